/*
 * incident.c - one incident per inside host (see incident.h).
 *
 * Owns a fixed table of incidents (cfg.incident.max_hosts, allocated once)
 * with a chained hash on the host address and a free list; nothing is
 * allocated per packet or per verdict.  Which detector belongs to which
 * stage, and how a timeline entry of it reads, are columns of the
 * detector registry (detect.c), so a new detector joins with its row.  Time is
 * packet time.  The module never writes records itself: it calls the
 * sensor back on open, stage change and close, and never logs per packet.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>

#include "dissect.h"
#include "cidr.h"
#include "detect.h"
#include "incident.h"
#include "log.h"
#include "util.h"
#include "yconf.h"

#define INC_NONE	UINT32_MAX	/* end of a hash chain */
#define INC_EXPIRE_US	1000000ULL	/* expiry scan at most once a second */
#define INC_FREE	UINT64_MAX	/* last[] of an entry not in use */

struct incident_table {
	struct incident		*v;		/* owned, max_hosts entries */
	/*
	 * v[i].last_us of the entries in use, INC_FREE for the others: the
	 * expiry and eviction scans read this array, not the (large) v.
	 */
	uint64_t		*last;
	uint32_t		*buckets;	/* owned, heads of chains */
	uint32_t		*free_idx;	/* owned stack of free entries */
	uint32_t		 n;		/* entries */
	uint32_t		 mask;		/* buckets - 1 */
	uint32_t		 n_free;
	uint64_t		 window_us;
	uint32_t		 new_dest_max;
	uint64_t		 next_expire_us;
	incident_cb		 cb;
	void			*cb_arg;
	struct stats		*st;		/* borrowed */
};

/* Score weights of a stage alone (tunnel + mining together: top). */
static const uint8_t inc_weight[IS_COUNT] = {
	[IS_TUNNEL] = 60, [IS_MINING] = 50, [IS_NODE] = 20,
	[IS_NEW_DEST] = 10,
};

static const char *const inc_stage_names[IS_COUNT] = {
	[IS_TUNNEL] = "tunnel", [IS_MINING] = "mining", [IS_NODE] = "node",
	[IS_NEW_DEST] = "new_destination",
};

static const struct yconf_u32_field inc_fields[] = {
	YCONF_U32(struct cfg_incident, window, 1, 2592000),
	YCONF_U32(struct cfg_incident, max_hosts, 1, 1048576),
	YCONF_U32(struct cfg_incident, new_destinations, 0,
	    INCIDENT_MAX_MEMBERS),
	YCONF_U32(struct cfg_incident, redis_ttl, 1, 2592000),
	{ NULL, 0, 0, 0 }
};

void
cfg_incident_defaults(struct cfg_incident *ci)
{
	ci->window = 86400;
	ci->max_hosts = 4096;
	ci->new_destinations = 8;
	ci->redis_ttl = 86400;
}

void
cfg_incident_parse(struct yconf_errs *e, const struct yconf_node *n,
    struct cfg_incident *ci)
{
	static const char *const keys[] = { "window", "max_hosts",
	    "new_destinations", "redis_ttl", NULL };

	if (n == NULL || yconf_is_null(n))
		return;
	if (yconf_check_keys(e, n, keys, "incident") == -1)
		return;
	yconf_u32_fields(e, n, inc_fields, ci);
}

int
incident_stage_of(int detector)
{
	if (detector < 0 || detector >= DET_COUNT)
		return -1;
	return det_def((enum detector)detector)->stage;
}

static const char *
inc_what(int detector)
{
	const struct det_def *dd;

	if (detector < 0)
		return "first flow to a new outside address";
	dd = det_def((enum detector)detector);
	return dd->what != NULL ? dd->what : dd->name;
}

const char *
incident_stage_name(enum incident_stage s)
{
	return (unsigned)s < IS_COUNT ? inc_stage_names[s] : "unknown";
}

const char *
incident_close_name(enum incident_close c)
{
	switch (c) {
	case IC_WINDOW:		return "window";
	case IC_EOF:		return "eof";
	case IC_SHUTDOWN:	return "shutdown";
	case IC_EVICTED:	return "evicted";
	default:		return "";
	}
}

uint8_t
incident_score(uint32_t stages)
{
	unsigned sum = 0;
	int s;

	if ((stages & (1u << IS_TUNNEL)) && (stages & (1u << IS_MINING)))
		return INCIDENT_SCORE_TOP;
	for (s = 0; s < IS_COUNT; s++)
		if (stages & (1u << s))
			sum += inc_weight[s];
	return (uint8_t)(sum > 95 ? 95 : sum);
}

bool
incident_host_of(const struct flow *f, struct ip_addr *host)
{
	switch ((enum direction)f->netdir) {
	case DIR_OUTBOUND:
	case DIR_INTERNAL:
		*host = *flow_src(f);
		return true;
	case DIR_INBOUND:
		*host = *flow_dst(f);
		return true;
	default:
		return false;
	}
}

static uint32_t
inc_hash(const struct ip_addr *a)
{
	uint32_t h = 2166136261u;
	int i;

	for (i = 0; i < 16; i++)
		h = (h ^ a->b[i]) * 16777619u;
	return h;
}

struct incident_table *
incident_table_new(const struct cfg_incident *ci, incident_cb cb,
    void *cb_arg, struct stats *st)
{
	struct incident_table *t;
	uint32_t nb = 16, i;

	if ((t = calloc(1, sizeof(*t))) == NULL)
		goto fail;
	t->n = ci->max_hosts;
	while (nb < t->n * 2 && nb < (1u << 30))
		nb <<= 1;
	t->mask = nb - 1;
	t->v = calloc(t->n, sizeof(*t->v));
	t->last = malloc(t->n * sizeof(*t->last));
	t->buckets = malloc(nb * sizeof(*t->buckets));
	t->free_idx = malloc(t->n * sizeof(*t->free_idx));
	if (t->v == NULL || t->last == NULL || t->buckets == NULL ||
	    t->free_idx == NULL)
		goto fail;
	for (i = 0; i < nb; i++)
		t->buckets[i] = INC_NONE;
	for (i = 0; i < t->n; i++)
		t->free_idx[i] = t->n - 1 - i;
	for (i = 0; i < t->n; i++)
		t->last[i] = INC_FREE;
	t->n_free = t->n;
	t->cb = cb;
	t->cb_arg = cb_arg;
	t->st = st;
	incident_table_set_config(t, ci);
	return t;
fail:
	log_warnx("incident: cannot allocate %u incidents", ci->max_hosts);
	incident_table_free(t);
	return NULL;
}

void
incident_table_free(struct incident_table *t)
{
	if (t == NULL)
		return;
	free(t->v);
	free(t->last);
	free(t->buckets);
	free(t->free_idx);
	free(t);
}

void
incident_table_set_config(struct incident_table *t,
    const struct cfg_incident *ci)
{
	t->window_us = ci->window * 1000000ULL;
	t->new_dest_max = ci->new_destinations;
}

uint32_t
incident_open_count(const struct incident_table *t)
{
	return t->n - t->n_free;
}

static struct incident *
inc_find(struct incident_table *t, const struct ip_addr *host)
{
	uint32_t i = t->buckets[inc_hash(host) & t->mask];

	for (; i != INC_NONE; i = t->v[i].hnext)
		if (memcmp(&t->v[i].host, host, sizeof(*host)) == 0)
			return &t->v[i];
	return NULL;
}

/* Calls back the close, unlinks and frees the entry. */
static void
inc_close(struct incident_table *t, struct incident *inc,
    enum incident_close why, uint64_t now_us)
{
	uint32_t idx = (uint32_t)(inc - t->v), *pp;

	inc->close = (uint8_t)why;
	stats_inc(t->st, ST_INCIDENTS_CLOSED);
	if (why == IC_EVICTED)
		stats_inc(t->st, ST_INCIDENTS_EVICTED);
	t->cb(t->cb_arg, inc, IE_CLOSE, NULL, now_us);
	pp = &t->buckets[inc_hash(&inc->host) & t->mask];
	while (*pp != idx)
		pp = &t->v[*pp].hnext;
	*pp = inc->hnext;
	inc->in_use = false;
	t->last[idx] = INC_FREE;
	t->free_idx[t->n_free++] = idx;
}

/* A free entry; closes the least recently active one when full. */
static struct incident *
inc_alloc(struct incident_table *t, uint64_t now_us)
{
	uint32_t i, old = 0;

	if (t->n_free == 0) {
		for (i = 1; i < t->n; i++)
			if (t->last[i] < t->last[old])
				old = i;
		inc_close(t, &t->v[old], IC_EVICTED, now_us);
	}
	return &t->v[t->free_idx[--t->n_free]];
}

static struct incident *
inc_open(struct incident_table *t, const struct ip_addr *host,
    uint64_t ts_us)
{
	struct incident *inc = inc_alloc(t, ts_us);
	uint32_t idx = (uint32_t)(inc - t->v), b;
	uint64_t h = 14695981039346656037ULL;
	int i;

	memset(inc, 0, sizeof(*inc));
	inc->host = *host;
	inc->first_us = inc->last_us = ts_us;
	/* Stable id: FNV-1a 64 of the host and the packet time it opened. */
	for (i = 0; i < 16; i++)
		h = (h ^ host->b[i]) * 1099511628211ULL;
	for (i = 0; i < 8; i++)
		h = (h ^ ((ts_us >> (8 * i)) & 0xff)) * 1099511628211ULL;
	snprintf(inc->id, sizeof(inc->id), "%016llx", (unsigned long long)h);
	b = inc_hash(host) & t->mask;
	inc->hnext = t->buckets[b];
	t->buckets[b] = idx;
	inc->in_use = true;
	t->last[idx] = ts_us;
	stats_inc(t->st, ST_INCIDENTS_OPENED);
	return inc;
}

/*
 * The name a member is known by, from the verdict's own evidence (SNI,
 * the pool name learned by DNS, the DNS question, the proxy target), else
 * the flow's SNI, DNS query or Stratum login.  Escaped values are skipped.
 */
static void
inc_name(const struct cfg *c, const struct flow *f, int detector, char *buf,
    size_t cap)
{
	static const char *const keys[] = { "\"sni\":\"", "\"name\":\"",
	    "\"rrname\":\"", "\"host\":\"" };
	const struct stratum_info *si = flow_stratum(f);
	char ev[2048];
	struct jbuf j;
	const char *p, *q;
	size_t i;

	buf[0] = '\0';
	if (detector >= 0 && c != NULL) {
		jb_init(&j, ev, sizeof(ev));
		jb_open_object(&j, NULL);
		det_evidence(&j, c, f, (enum detector)detector);
		jb_close_object(&j);
		for (i = 0; !j.overflow && i < sizeof(keys) / sizeof(keys[0]);
		    i++) {
			if ((p = strstr(ev, keys[i])) == NULL)
				continue;
			p += strlen(keys[i]);
			q = strchr(p, '"');
			if (q == NULL || memchr(p, '\\', (size_t)(q - p)) != NULL)
				continue;
			snprintf(buf, cap, "%.*s", (int)(q - p), p);
			return;
		}
	}
	if (cls_text(cls_res(&f->c->cls), CLS_SNI)[0] != '\0')
		strlcpy(buf, cls_text(cls_res(&f->c->cls), CLS_SNI), cap);
	else if (cls_text(cls_res(&f->c->cls), CLS_DNS_QUERY)[0] != '\0')
		strlcpy(buf, cls_text(cls_res(&f->c->cls), CLS_DNS_QUERY), cap);
	else if (si != NULL && si->login[0] != '\0')
		strlcpy(buf, si->login, cap);
}

/* "what; app detail" in one line, from the flow's state. */
static void
inc_summary(const struct flow *f, int detector, const char *name, char *buf,
    size_t cap)
{
	const struct stratum_info *si = flow_stratum(f);
	char detail[INCIDENT_SUMMARY_MAX] = "";
	const char *app;
	int cd;

	if (f->app == APP_SSH && f->c->u->ssh.hs.side[0].banner_seen &&
	    f->c->u->ssh.hs.side[1].banner_seen) {
		cd = f->c->u->ssh.hs.client_dir >= 0 ? f->c->u->ssh.hs.client_dir : 0;
		snprintf(detail, sizeof(detail), "server %.60s",
		    f->c->u->ssh.hs.side[!cd].banner);
	} else if (si != NULL && si->dialect != STRATUM_NONE)
		snprintf(detail, sizeof(detail), "%.12s login %.24s agent %.24s",
		    stratum_dialect_name(si->dialect), si->login,
		    si->agent[0] ? si->agent : "-");
	else if (name[0] != '\0')
		strlcpy(detail, name, sizeof(detail));
	app = det_app_proto(f);
	if (strcmp(app, "unknown") == 0)
		app = "";
	snprintf(buf, cap, "%.40s%s%.12s%s%.56s", inc_what(detector),
	    app[0] || detail[0] ? "; " : "", app, app[0] && detail[0] ? " " :
	    "", detail);
}

static void
inc_add(struct incident_table *t, struct incident *inc, const struct cfg *c,
    const struct flow *f, int detector, int stage, uint8_t confidence,
    uint64_t ts_us)
{
	struct incident_member *m;

	if (ts_us > inc->last_us)
		t->last[inc - t->v] = inc->last_us = ts_us;
	if (detector >= 0)
		inc->detectors |= DET_BIT(detector);
	if (inc->n_members >= INCIDENT_MAX_MEMBERS) {
		inc->members_dropped++;
		stats_inc(t->st, ST_INCIDENT_MEMBERS_DROPPED);
		return;
	}
	m = &inc->m[inc->n_members++];
	memset(m, 0, sizeof(*m));
	m->ts_us = ts_us;
	m->flow_id = flow_id(f);
	m->dst = *flow_dst(f);
	m->dport = flow_dport(f);
	m->proto = f->proto;
	m->detector = (int8_t)detector;
	m->stage = (uint8_t)stage;
	m->confidence = confidence;
	if (community_id_flow(f, m->community_id,
	    sizeof(m->community_id)) == -1)
		m->community_id[0] = '\0';
	inc_name(c, f, detector, m->name, sizeof(m->name));
	inc_summary(f, detector, m->name, m->summary, sizeof(m->summary));
}

/* Adds a member and calls back an open or a stage change. */
static void
inc_member(struct incident_table *t, struct incident *inc, bool opened,
    const struct cfg *c, const struct flow *f, int detector, int stage,
    uint8_t confidence, uint64_t member_us, uint64_t ts_us)
{
	bool new_stage = !(inc->stages & (1u << stage));

	inc->stages |= 1u << stage;
	inc->score = incident_score(inc->stages);
	inc_add(t, inc, c, f, detector, stage, confidence, member_us);
	if (opened)
		t->cb(t->cb_arg, inc, IE_OPEN, f, ts_us);
	else if (new_stage)
		t->cb(t->cb_arg, inc, IE_STAGE, f, ts_us);
}

void
incident_verdict(struct incident_table *t, const struct cfg *c,
    const struct flow *f, int detector, uint8_t confidence, uint64_t ts_us)
{
	struct incident *inc;
	struct ip_addr host;
	int stage = incident_stage_of(detector);
	bool opened = false;

	if (t == NULL || stage < 0 || !incident_host_of(f, &host))
		return;
	inc = inc_find(t, &host);
	if (inc != NULL && ts_us > inc->last_us + t->window_us) {
		inc_close(t, inc, IC_WINDOW, ts_us);
		inc = NULL;
	}
	if (inc == NULL) {
		inc = inc_open(t, &host, ts_us);
		opened = true;
	}
	inc_member(t, inc, opened, c, f, detector, stage, confidence, ts_us,
	    ts_us);
}

/* True when the incident already has a member with this destination. */
static bool
inc_has_dest(const struct incident *inc, const struct ip_addr *dst)
{
	int i;

	for (i = 0; i < inc->n_members; i++)
		if (memcmp(&inc->m[i].dst, dst, sizeof(*dst)) == 0)
			return true;
	return false;
}

void
incident_flow_end(struct incident_table *t, const struct flow *f,
    uint64_t ts_us)
{
	struct incident *inc;
	int i;

	if (t == NULL || t->n_free == t->n || f->netdir != DIR_OUTBOUND)
		return;
	for (i = 0; i < f->n_verdicts; i++)
		if (incident_stage_of(f->c->verdicts[i].detector) >= 0)
			return;
	if ((inc = inc_find(t, flow_src(f))) == NULL ||
	    inc->n_new_dest >= t->new_dest_max ||
	    f->first_us > inc->last_us + t->window_us ||
	    inc_has_dest(inc, flow_dst(f)))
		return;
	inc->n_new_dest++;
	inc_member(t, inc, false, NULL, f, -1, IS_NEW_DEST, 0, f->first_us,
	    ts_us);
}

void
incident_expire(struct incident_table *t, uint64_t now_us)
{
	uint64_t due;
	uint32_t i;

	if (t == NULL || now_us < t->next_expire_us || t->n_free == t->n)
		return;
	due = now_us + t->window_us;	/* one opened later expires later */
	/*
	 * The next scan is due when the stalest incident still open can
	 * expire (last_us only grows), so the table is walked about once
	 * per window, not once per second of packet time.
	 */
	for (i = 0; i < t->n; i++) {
		if (t->last[i] == INC_FREE)
			continue;
		if (now_us > t->last[i] + t->window_us)
			inc_close(t, &t->v[i], IC_WINDOW, now_us);
		else if (t->last[i] + t->window_us < due)
			due = t->last[i] + t->window_us;
	}
	t->next_expire_us = due > now_us + INC_EXPIRE_US ? due :
	    now_us + INC_EXPIRE_US;
}

void
incident_flush(struct incident_table *t, enum incident_close why,
    uint64_t now_us)
{
	uint32_t i;

	if (t == NULL)
		return;
	for (i = 0; i < t->n && t->n_free < t->n; i++)
		if (t->v[i].in_use)
			inc_close(t, &t->v[i], why, now_us);
}

static void
inc_put_member(struct jbuf *j, const struct incident_member *m)
{
	char ts[40], a[64];

	json_timestamp(ts, sizeof(ts), m->ts_us);
	jb_open_object(j, NULL);
	jb_string(j, "time", ts);
	jb_u64(j, "flow_id", m->flow_id);
	if (m->community_id[0] != '\0')
		jb_string(j, "community_id", m->community_id);
	jb_string(j, "detector", m->detector >= 0 ?
	    verdict_name((enum detector)m->detector) : "new_destination");
	jb_string(j, "stage", incident_stage_name(m->stage));
	if (m->detector >= 0)
		jb_double(j, "confidence", m->confidence / 100.0, 2);
	jb_string(j, "dest_ip", ip_addr_format(&m->dst, a, sizeof(a)));
	if (m->proto == IPPROTO_TCP || m->proto == IPPROTO_UDP)
		jb_u64(j, "dest_port", m->dport);
	if (m->name[0] != '\0')
		jb_string(j, "name", m->name);
	jb_string(j, "summary", m->summary);
	jb_close_object(j);
}

void
incident_put(struct jbuf *j, const struct incident *inc,
    enum incident_event ev)
{
	static const char *const evname[] = { "open", "stage", "close" };
	char ts[40], a[64];
	int i;

	jb_open_object(j, "incident");
	jb_string(j, "id", inc->id);
	jb_string(j, "host", ip_addr_format(&inc->host, a, sizeof(a)));
	jb_string(j, "event", evname[ev]);
	jb_string(j, "state", ev == IE_CLOSE ? "closed" : "open");
	if (ev == IE_CLOSE)
		jb_string(j, "reason",
		    incident_close_name((enum incident_close)inc->close));
	json_timestamp(ts, sizeof(ts), inc->first_us);
	jb_string(j, "first_seen", ts);
	json_timestamp(ts, sizeof(ts), inc->last_us);
	jb_string(j, "last_seen", ts);
	jb_u64(j, "score", inc->score);
	jb_open_array(j, "stages");
	for (i = 0; i < IS_COUNT; i++)
		if (inc->stages & (1u << i))
			jb_string(j, NULL, inc_stage_names[i]);
	jb_close_array(j);
	jb_open_array(j, "detectors");
	for (i = 0; i < DET_COUNT; i++)
		if (inc->detectors & DET_BIT(i))
			jb_string(j, NULL, verdict_name((enum detector)i));
	jb_close_array(j);
	jb_u64(j, "members", inc->n_members + inc->members_dropped);
	if (inc->members_dropped > 0)
		jb_u64(j, "members_dropped", inc->members_dropped);
	jb_open_array(j, "timeline");
	for (i = 0; i < inc->n_members; i++)
		inc_put_member(j, &inc->m[i]);
	jb_close_array(j);
	jb_close_object(j);
}
