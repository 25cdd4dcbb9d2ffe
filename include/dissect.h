/*
 * dissect.h - the table of our payload dissectors (SSH, Stratum, HTTP
 * CONNECT / SOCKS proxy, DNS) and their per-flow state.
 *
 * One row per enum flow_app: how to recognise the app from the first
 * payload bytes (looks_like), set up its state (init), feed it in-order
 * bytes (feed), pick up a tunnel after it is done (resume), and turn it
 * around (swap; a row without one keeps its direction: orient.c will not
 * swap the flow).  A new dissector is one row in dissect.c and one file.
 *
 * The state of a flow's dissector (union flow_app_state) and its
 * reassembly stash come from capped pools owned by struct dissect: taken
 * when a dissector claims the flow, returned when the flow ends.  When a
 * pool is empty the flow is counted (ST_APP_STATE_EXHAUSTED,
 * ST_STASH_EXHAUSTED) and left undissected (APP_OTHER).  A flow without
 * state points at dissect_none(), a zeroed object, so reading f->c->u
 * is always safe.
 */
#ifndef DISSECT_H
#define DISSECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "flow.h"
#include "mining_track.h"
#include "proxy.h"
#include "ssh.h"
#include "ssh_track.h"
#include "stash.h"
#include "stats.h"
#include "stratum.h"

union flow_app_state {
	struct {
		struct ssh_info	 hs;	/* handshake (ssh.c) */
		struct ssh_track track;	/* encrypted part (det_ssh.c) */
	} ssh;
	struct stratum_info	stratum;
	struct {
		struct proxy_info   info;	/* the request (proxy.c) */
		struct stratum_info inner;	/* Stratum in the tunnel */
		bool		    inner_on;	/* inner is being parsed */
		bool		    inner_tried; /* tunnel start looked at */
	} proxy;
	struct dns_info		dns;	/* det_mining.c fills it */
};

struct dissect;

/* Pools of napps dissector states and nstash stashes. NULL on no memory. */
struct dissect	*dissect_new(size_t napps, size_t nstash, struct stats *st);
void		 dissect_free(struct dissect *d);	/* NULL ok */
/* The shared zeroed state of flows no dissector owns (never written). */
union flow_app_state *dissect_none(void);

/*
 * Gives f to the dissector of app (state from the pool, init, and a
 * stash when with_stash).  -1 when a pool is empty (counted; f->app is
 * then APP_OTHER).
 */
int		 dissect_attach(struct dissect *d, struct flow *f,
		    enum flow_app app, bool with_stash);
/*
 * Feeds new in-order TCP payload of direction dir: the first bytes pick
 * the dissector (APP_OTHER when none claims them).  Drops the stash
 * when the dissector is done.
 */
void		 dissect_tcp(struct dissect *d, struct flow *f, int dir,
		    const uint8_t *p, size_t n, uint64_t ts_us);
/* Gives back the stash (a gap, or done); the state stays. */
void		 dissect_drop_stash(struct dissect *d, struct flow *f);
/* The flow ended: state and stash back to their pools. */
void		 dissect_end(struct dissect *d, struct flow *f);
/* False when f's dissector keeps its direction (a proxy request). */
bool		 dissect_can_swap(const struct flow *f);
/* Exchanges the directions of f's dissector state and stash. */
void		 dissect_swap(struct flow *f);
/* Counters of the state pool (-v, tests). */
void		 dissect_counts(const struct dissect *d, size_t *in_use,
		    size_t *high, size_t *cap);

/* The flow's Stratum state: plain, or inside a proxy tunnel; or NULL. */
static inline const struct stratum_info *
flow_stratum(const struct flow *f)
{
	if (f->app == APP_STRATUM)
		return &f->c->u->stratum;
	if (f->app == APP_PROXY && f->c->u->proxy.inner_on)
		return &f->c->u->proxy.inner;
	return NULL;
}

#endif /* DISSECT_H */
