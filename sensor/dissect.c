/*
 * dissect.c - the table of our payload dissectors (see dissect.h).
 *
 * Owns the pool of per-flow dissector states and the stash pool.  The
 * sensor hands every flow's new in-order TCP bytes to dissect_tcp(),
 * which picks the dissector from the table by the first bytes and feeds
 * it; nothing here switches on an app.  Never allocates after
 * dissect_new(), never logs per packet.
 */
#include <stdlib.h>
#include <string.h>

#include "det_ssh.h"
#include "dissect.h"
#include "slab.h"

struct dissect {
	struct slab		*states;	/* union flow_app_state */
	struct stash_pool	*stashes;
	struct stats		*st;
};

struct dissector {
	enum flow_app	 app;
	/* First payload bytes of the flow (either side) are this app's. */
	bool		(*looks_like)(const uint8_t *p, size_t n);
	void		(*init)(union flow_app_state *u);
	/* In-order bytes; true when done (the stash goes back). */
	bool		(*feed)(struct dissect *d, union flow_app_state *u,
			    struct stash *st, int dir, const uint8_t *p,
			    size_t n, uint64_t ts_us);
	/* Bytes after done (no stash): may start an inner dissector. */
	void		(*resume)(struct dissect *d, struct flow *f, int dir,
			    const uint8_t *p, size_t n);
	void		(*swap)(union flow_app_state *u);
	bool		 fixed_dir;	/* orient.c must not swap the flow */
};

static union flow_app_state app_none;	/* zeroed, never written */

static void
ssh_init(union flow_app_state *u)
{
	ssh_info_init(&u->ssh.hs);
	det_ssh_track_init(&u->ssh.track);
}

static bool
ssh_feed_row(struct dissect *d, union flow_app_state *u, struct stash *st,
    int dir, const uint8_t *p, size_t n, uint64_t ts_us)
{
	(void)d;
	return ssh_feed(&u->ssh.hs, st, dir, p, n, ts_us) != SSH_MORE;
}

static void
ssh_swap(union flow_app_state *u)
{
	ssh_info_swap(&u->ssh.hs);
	det_ssh_track_swap(&u->ssh.track);
}

/* Feeds the Stratum dissector si; counts the stray bytes it skipped. */
static bool
stratum_run(struct dissect *d, struct stratum_info *si, struct stash *st,
    int dir, const uint8_t *p, size_t n, uint64_t ts_us)
{
	uint32_t before = (uint32_t)si->skipped[0] + si->skipped[1];
	enum stratum_status rv = stratum_feed(si, st, dir, p, n, ts_us);

	stats_add(d->st, ST_STRATUM_SKIPPED,
	    (uint32_t)si->skipped[0] + si->skipped[1] - before);
	return rv != STRATUM_MORE;
}

static void
stratum_init(union flow_app_state *u)
{
	stratum_info_init(&u->stratum);
}

static bool
stratum_feed_row(struct dissect *d, union flow_app_state *u, struct stash *st,
    int dir, const uint8_t *p, size_t n, uint64_t ts_us)
{
	return stratum_run(d, &u->stratum, st, dir, p, n, ts_us);
}

static void
stratum_swap(union flow_app_state *u)
{
	stratum_info_swap(&u->stratum);
}

static void
proxy_init(union flow_app_state *u)
{
	proxy_info_init(&u->proxy.info);
	u->proxy.inner_on = u->proxy.inner_tried = false;
}

static bool
proxy_feed_row(struct dissect *d, union flow_app_state *u, struct stash *st,
    int dir, const uint8_t *p, size_t n, uint64_t ts_us)
{
	if (u->proxy.inner_on)
		return stratum_run(d, &u->proxy.inner, st, dir, p, n, ts_us);
	return proxy_feed(&u->proxy.info, st, dir, p, n, ts_us) != PROXY_MORE;
}

/*
 * The first client bytes through a granted proxy tunnel: if they look
 * like Stratum, the tunnel gets the Stratum dissector (a miner behind an
 * HTTP CONNECT or SOCKS proxy).
 */
static void
proxy_resume(struct dissect *d, struct flow *f, int dir, const uint8_t *p,
    size_t n)
{
	union flow_app_state *u = f->c->u;

	if (u->proxy.inner_tried || dir != 0 || !u->proxy.info.granted)
		return;
	u->proxy.inner_tried = true;
	if (!stratum_looks_like(p, n))
		return;
	if ((f->c->stash = stash_get(d->stashes)) == NULL) {
		stats_inc(d->st, ST_STASH_EXHAUSTED);
		return;
	}
	stratum_info_init(&u->proxy.inner);
	u->proxy.inner_on = true;
	f->dissecting = true;
}

/* Tried in this order on a flow's first payload. */
static const struct dissector dissectors[] = {
	[APP_SSH] = { APP_SSH, ssh_looks_like, ssh_init, ssh_feed_row, NULL,
	    ssh_swap, false },
	[APP_STRATUM] = { APP_STRATUM, stratum_looks_like, stratum_init,
	    stratum_feed_row, NULL, stratum_swap, false },
	[APP_PROXY] = { APP_PROXY, proxy_looks_like, proxy_init,
	    proxy_feed_row, proxy_resume, NULL, true },
	/* Claimed by det_mining.c from a parsed DNS message, not by bytes. */
	[APP_DNS] = { APP_DNS, NULL, NULL, NULL, NULL, NULL, false },
};
#define NDISSECTORS	(sizeof(dissectors) / sizeof(dissectors[0]))

static const struct dissector *
row_of(unsigned app)
{
	if (app >= NDISSECTORS || dissectors[app].app != (enum flow_app)app ||
	    app == APP_UNKNOWN)
		return NULL;
	return &dissectors[app];
}

struct dissect *
dissect_new(size_t napps, size_t nstash, struct stats *st)
{
	struct dissect *d;

	if ((d = calloc(1, sizeof(*d))) == NULL)
		return NULL;
	d->st = st;
	d->states = slab_new(napps, sizeof(union flow_app_state));
	d->stashes = stash_pool_new(nstash);
	if (d->states == NULL || d->stashes == NULL) {
		dissect_free(d);
		return NULL;
	}
	return d;
}

void
dissect_free(struct dissect *d)
{
	if (d == NULL)
		return;
	slab_free(d->states);
	stash_pool_free(d->stashes);
	free(d);
}

union flow_app_state *
dissect_none(void)
{
	return &app_none;
}

int
dissect_attach(struct dissect *d, struct flow *f, enum flow_app app,
    bool with_stash)
{
	const struct dissector *r = row_of(app);
	union flow_app_state *u;

	f->app = APP_OTHER;
	if (r == NULL)
		return -1;
	if ((u = slab_get(d->states)) == NULL) {
		stats_inc(d->st, ST_APP_STATE_EXHAUSTED);
		return -1;
	}
	if (with_stash && (f->c->stash = stash_get(d->stashes)) == NULL) {
		stats_inc(d->st, ST_STASH_EXHAUSTED);
		slab_put(d->states, u);
		return -1;
	}
	if (r->init != NULL)
		r->init(u);
	f->c->u = u;
	f->app = (uint8_t)app;
	f->dissecting = with_stash;
	return 0;
}

/* Picks our dissector from the first payload bytes of the flow. */
static void
dissect_pick(struct dissect *d, struct flow *f, const uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i < NDISSECTORS; i++)
		if (row_of((unsigned)i) != NULL &&
		    dissectors[i].looks_like != NULL &&
		    dissectors[i].looks_like(p, n)) {
			(void)dissect_attach(d, f, dissectors[i].app, true);
			return;
		}
	f->app = APP_OTHER;
}

void
dissect_tcp(struct dissect *d, struct flow *f, int dir, const uint8_t *p,
    size_t n, uint64_t ts_us)
{
	const struct dissector *r;

	if (n == 0)
		return;
	if (f->app == APP_UNKNOWN)
		dissect_pick(d, f, p, n);
	else if (!f->dissecting && (r = row_of(f->app)) != NULL &&
	    r->resume != NULL)
		r->resume(d, f, dir, p, n);
	if (!f->dissecting || (r = row_of(f->app)) == NULL || r->feed == NULL)
		return;
	if (f->c->stash == NULL &&
	    (f->c->stash = stash_get(d->stashes)) == NULL) {
		stats_inc(d->st, ST_STASH_EXHAUSTED);
		f->dissecting = false;	/* as if done: what was read stays */
		return;
	}
	if (r->feed(d, f->c->u, f->c->stash, dir, p, n, ts_us))
		dissect_drop_stash(d, f);
	else if (stash_idle(f->c->stash)) {
		/*
		 * Nothing held (a banner parsed, the answer not yet here):
		 * the 8 KiB go back until bytes must wait again.
		 */
		stash_put(d->stashes, f->c->stash);
		f->c->stash = NULL;
	}
}

void
dissect_drop_stash(struct dissect *d, struct flow *f)
{
	stash_put(d->stashes, f->c->stash);
	f->c->stash = NULL;
	f->dissecting = false;
}

void
dissect_end(struct dissect *d, struct flow *f)
{
	dissect_drop_stash(d, f);
	if (f->c->u != &app_none)
		slab_put(d->states, f->c->u);
	f->c->u = &app_none;
}

bool
dissect_can_swap(const struct flow *f)
{
	const struct dissector *r = row_of(f->app);

	return r == NULL || !r->fixed_dir;
}

void
dissect_swap(struct flow *f)
{
	const struct dissector *r = row_of(f->app);

	stash_swap(f->c->stash);
	if (r != NULL && r->swap != NULL)
		r->swap(f->c->u);
}

void
dissect_counts(const struct dissect *d, size_t *in_use, size_t *high,
    size_t *cap)
{
	struct slab_counts c;

	slab_counts(d->states, &c);
	*in_use = c.in_use;
	*high = c.high;
	*cap = c.n;
}
