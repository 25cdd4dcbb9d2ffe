/*
 * rules.c - the operator's alert policy (see rules.h, rules/README.md).
 *
 * rules_build() turns the `rules:` sequence of a yconf tree into an array
 * of rules, each with a `when` condition set, an optional `unless` set and
 * an optional suppression window.  Detector names are resolved once, to
 * enum detector, and network and list names to the sets of the struct cfg
 * they came with (pointers, plus indices for `-n`), so evaluation is a
 * handful of integer comparisons and set lookups with no allocation, no
 * string parsing and no name compared.  A ruleset is immutable once
 * built.  Suppression state lives in a separate bounded table
 * (set-associative, oldest window in a bucket is overwritten) keyed by sid
 * and the chosen subject fields, in packet time, so it survives a reload
 * and replays identically.  This module knows nothing of flows, packets or
 * nDPI: the sensor fills a rule_subject.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cfg.h"
#include "domset.h"
#include "rules.h"
#include "verdict.h"
#include "yconf.h"

#define RULES_MAX_ALT		16	/* alternatives in one condition */
#define RULES_MAX_UNLESS	8	/* unless alternatives (with not:) */
#define RULES_APP_MAX		32	/* app_proto name bytes */
#define RULES_SUPP_WAYS		8	/* suppression entries per bucket */
#define RULES_SUPP_MIN		64	/* smallest suppression table */

enum rules_bit {
	RB_DETECTOR	= 1u << 0,
	RB_SRC_NET	= 1u << 1,
	RB_DEST_NET	= 1u << 2,
	RB_APP_PROTO	= 1u << 3,
	RB_DIRECTION	= 1u << 4,
	RB_DEST_PORT	= 1u << 5,
	RB_MIN_DURATION	= 1u << 6,
	RB_MIN_BYTES	= 1u << 7,
	RB_MIN_CONF	= 1u << 8,
	RB_SNI_IN	= 1u << 9,
	RB_HASSH_IN	= 1u << 10,
	RB_DNS_IN	= 1u << 11,
	RB_INC_SCORE	= 1u << 12,
};

#define RS_SRC_IP	0x1u	/* suppress.by members */
#define RS_DEST_IP	0x2u
#define RS_DEST_PORT	0x4u

static const char *const rules_cond_keys[] = { "detector", "src_net",
	"dest_net", "app_proto", "direction", "dest_port", "min_duration",
	"min_bytes_out", "min_confidence", "sni_in", "hassh_in", "dns_in",
	"incident_min_score", NULL };

/* A network set by name: cfg->nets[idx].set or cfg->lists[idx].nets. */
struct rules_netref {
	const struct cidr_set	*set;	/* resolved: borrowed from the cfg */
	bool			 list;
	uint16_t		 idx;
};

/* A list's names by list name: cfg->lists[idx].names. */
struct rules_listref {
	const struct domset	*names;	/* resolved: borrowed from the cfg */
	uint16_t		 idx;
};

struct rules_cond {
	unsigned		 mask;		/* enum rules_bit present */
	int			 detector;	/* enum detector, -1 none */
	struct rules_netref	 src[RULES_MAX_ALT];
	size_t			 n_src;
	struct rules_netref	 dst[RULES_MAX_ALT];
	size_t			 n_dst;
	char			 app[RULES_MAX_ALT][RULES_APP_MAX];
	size_t			 n_app;
	unsigned		 dirs;		/* 1u << enum direction */
	uint16_t		 ports[RULES_MAX_ALT];
	size_t			 n_ports;
	uint64_t		 min_duration_us;
	uint64_t		 min_bytes_out;
	double			 min_conf;
	struct rules_listref	 sni_list;
	struct rules_listref	 hassh_list;
	struct rules_listref	 dns_list;
	uint32_t		 inc_score;	/* incident_min_score */
};

/* The public struct rule first, so a const struct rule * casts back. */
struct rules_rule {
	struct rule		 pub;
	struct rules_cond	 when;
	/* the rule does not fire when any of these holds (unless:, not:) */
	struct rules_cond	 unless[RULES_MAX_UNLESS];
	size_t			 n_unless;
	uint32_t		 supp_seconds;	/* 0 = never suppress */
	unsigned		 supp_by;	/* RS_* */
	uint32_t		 thr_count;	/* alerts per window, 0 = no limit */
	uint32_t		 thr_seconds;
	unsigned		 thr_by;	/* RS_* */
	unsigned		 line;		/* where the rule starts */
};

struct ruleset {
	struct rules_rule	*v;	/* owned */
	size_t			 n;
	unsigned		 wants;	/* RULES_WANT_* */
};

struct rules_ctx {
	struct yconf_errs	*e;
	const struct cfg	*c;
};

/*
 * Collects a scalar or a sequence of scalars into out[] (at most max);
 * reports anything else.  Returns the count, 0 on error.
 */
static size_t
rules_items(struct rules_ctx *x, const struct yconf_node *v,
    const struct yconf_node **out, size_t max)
{
	const struct yconf_node *i;
	size_t n = 0;

	if (v->type == YCONF_SCALAR && !yconf_is_null(v)) {
		out[0] = v;
		return 1;
	}
	if (v->type != YCONF_SEQ || v->n_children == 0) {
		yconf_error(x->e, v, "%s: expected a value or a list of "
		    "values", v->key);
		return 0;
	}
	for (i = v->child; i != NULL; i = i->next) {
		if (i->type != YCONF_SCALAR) {
			yconf_error(x->e, i, "%s: expected a scalar", v->key);
			return 0;
		}
		if (n == max) {
			yconf_error(x->e, i, "%s: more than %zu values",
			    v->key, max);
			return 0;
		}
		out[n++] = i;
	}
	return n;
}

static int
rules_netref(struct rules_ctx *x, const struct yconf_node *n,
    struct rules_netref *r)
{
	size_t i;

	for (i = 0; i < x->c->n_nets; i++)
		if (strcmp(x->c->nets[i].name, n->str) == 0) {
			r->set = &x->c->nets[i].set;
			r->list = false;
			r->idx = (uint16_t)i;
			return 0;
		}
	for (i = 0; i < x->c->n_lists; i++)
		if (strcmp(x->c->lists[i].name, n->str) == 0) {
			r->set = &x->c->lists[i].nets;
			r->list = true;
			r->idx = (uint16_t)i;
			return 0;
		}
	yconf_error(x->e, n, "unknown network or list '%s'", n->str);
	return -1;
}

static void
rules_nets(struct rules_ctx *x, const struct yconf_node *v,
    struct rules_netref *refs, size_t *nrefs)
{
	const struct yconf_node *items[RULES_MAX_ALT];
	size_t i, n = rules_items(x, v, items, RULES_MAX_ALT);

	for (i = 0; i < n; i++)
		if (rules_netref(x, items[i], &refs[*nrefs]) == 0)
			(*nrefs)++;
}

static void
rules_list_ref(struct rules_ctx *x, const struct yconf_node *v,
    struct rules_listref *r)
{
	size_t i;

	if (v->type == YCONF_SCALAR)
		for (i = 0; i < x->c->n_lists; i++)
			if (strcmp(x->c->lists[i].name, v->str) == 0) {
				r->names = x->c->lists[i].names;
				r->idx = (uint16_t)i;
				return;
			}
	yconf_error(x->e, v, "%s: '%s' is not a list name", v->key,
	    v->type == YCONF_SCALAR ? v->str : "...");
}

static void
rules_app(struct rules_ctx *x, const struct yconf_node *v,
    struct rules_cond *rc)
{
	const struct yconf_node *items[RULES_MAX_ALT];
	size_t i, n = rules_items(x, v, items, RULES_MAX_ALT);

	for (i = 0; i < n; i++)
		if (yconf_str(x->e, items[i], rc->app[rc->n_app],
		    RULES_APP_MAX) == 0)
			rc->n_app++;
}

static void
rules_dirs(struct rules_ctx *x, const struct yconf_node *v,
    struct rules_cond *rc)
{
	static const enum direction all[] = { DIR_OUTBOUND, DIR_INBOUND,
	    DIR_INTERNAL, DIR_EXTERNAL };
	const struct yconf_node *items[RULES_MAX_ALT];
	size_t i, j, n = rules_items(x, v, items, RULES_MAX_ALT);

	for (i = 0; i < n; i++) {
		for (j = 0; j < 4; j++)
			if (strcmp(items[i]->str, direction_name(all[j])) == 0)
				break;
		if (j == 4)
			yconf_error(x->e, items[i], "direction: '%s' is not "
			    "outbound, inbound, internal or external",
			    items[i]->str);
		else
			rc->dirs |= 1u << all[j];
	}
}

static void
rules_ports(struct rules_ctx *x, const struct yconf_node *v,
    struct rules_cond *rc)
{
	const struct yconf_node *items[RULES_MAX_ALT];
	size_t i, n = rules_items(x, v, items, RULES_MAX_ALT);
	uint32_t port;

	for (i = 0; i < n; i++)
		if (yconf_u32(x->e, items[i], 0, 65535, &port) == 0)
			rc->ports[rc->n_ports++] = (uint16_t)port;
}

static void
rules_detector(struct rules_ctx *x, const struct yconf_node *v,
    struct rules_cond *rc)
{
	if (v->type == YCONF_SCALAR &&
	    (rc->detector = verdict_lookup(v->str)) >= 0)
		return;
	yconf_error(x->e, v, "detector: unknown detector '%s'",
	    v->type == YCONF_SCALAR ? v->str : "...");
}

/* Parses one condition key; sets its bit in rc->mask. */
static void
rules_cond_key(struct rules_ctx *x, const struct yconf_node *v,
    struct rules_cond *rc)
{
	const char *k = v->key;
	uint64_t u;

	if (strcmp(k, "detector") == 0) {
		rc->mask |= RB_DETECTOR;
		rules_detector(x, v, rc);
	} else if (strcmp(k, "src_net") == 0) {
		rc->mask |= RB_SRC_NET;
		rules_nets(x, v, rc->src, &rc->n_src);
	} else if (strcmp(k, "dest_net") == 0) {
		rc->mask |= RB_DEST_NET;
		rules_nets(x, v, rc->dst, &rc->n_dst);
	} else if (strcmp(k, "app_proto") == 0) {
		rc->mask |= RB_APP_PROTO;
		rules_app(x, v, rc);
	} else if (strcmp(k, "direction") == 0) {
		rc->mask |= RB_DIRECTION;
		rules_dirs(x, v, rc);
	} else if (strcmp(k, "dest_port") == 0) {
		rc->mask |= RB_DEST_PORT;
		rules_ports(x, v, rc);
	} else if (strcmp(k, "min_duration") == 0) {
		rc->mask |= RB_MIN_DURATION;
		if (yconf_u64(x->e, v, 0, 100ull * 365 * 86400, &u) == 0)
			rc->min_duration_us = u * 1000000;
	} else if (strcmp(k, "min_bytes_out") == 0) {
		rc->mask |= RB_MIN_BYTES;
		(void)yconf_u64(x->e, v, 0, UINT64_MAX, &rc->min_bytes_out);
	} else if (strcmp(k, "min_confidence") == 0) {
		rc->mask |= RB_MIN_CONF;
		(void)yconf_double(x->e, v, 0.0, 1.0, &rc->min_conf);
	} else if (strcmp(k, "sni_in") == 0) {
		rc->mask |= RB_SNI_IN;
		rules_list_ref(x, v, &rc->sni_list);
	} else if (strcmp(k, "hassh_in") == 0) {
		rc->mask |= RB_HASSH_IN;
		rules_list_ref(x, v, &rc->hassh_list);
	} else if (strcmp(k, "dns_in") == 0) {
		rc->mask |= RB_DNS_IN;
		rules_list_ref(x, v, &rc->dns_list);
	} else if (strcmp(k, "incident_min_score") == 0) {
		rc->mask |= RB_INC_SCORE;
		(void)yconf_u32(x->e, v, 0, 100, &rc->inc_score);
	}
}

static void
rules_cond(struct rules_ctx *x, const struct yconf_node *map,
    struct rules_cond *rc, const char *what)
{
	static const char *const when_keys[] = { "detector", "src_net",
	    "dest_net", "app_proto", "direction", "dest_port", "min_duration",
	    "min_bytes_out", "min_confidence", "sni_in", "hassh_in", "dns_in",
	    "incident_min_score", "not", NULL };
	const struct yconf_node *v;
	bool when = strcmp(what, "when") == 0;

	rc->detector = -1;
	if (yconf_check_keys(x->e, map, when ? when_keys : rules_cond_keys,
	    what) == -1 && map->type != YCONF_MAP)
		return;
	if (map->n_children == 0 || (when && map->n_children == 1 &&
	    yconf_get(map, "not") != NULL))
		yconf_error(x->e, map, "%s: needs at least one condition",
		    what);
	for (v = map->child; v != NULL; v = v->next)
		if (strcmp(v->key, "not") != 0)
			rules_cond_key(x, v, rc);
}

/*
 * unless: (and when: {not: ...}): one condition map or a sequence of
 * them; the rule does not fire when any one of them holds.
 */
static void
rules_unless_one(struct rules_ctx *x, const struct yconf_node *m,
    struct rules_rule *r, const char *what)
{
	if (m->type != YCONF_MAP)
		yconf_error(x->e, m, "%s: expected a condition map or a list "
		    "of them", what);
	else if (r->n_unless == RULES_MAX_UNLESS)
		yconf_error(x->e, m, "%s: more than %d alternatives (unless "
		    "and not together)", what, RULES_MAX_UNLESS);
	else
		rules_cond(x, m, &r->unless[r->n_unless++], what);
}

static void
rules_unless(struct rules_ctx *x, const struct yconf_node *v,
    struct rules_rule *r, const char *what)
{
	const struct yconf_node *m;

	if (v->type != YCONF_SEQ) {
		rules_unless_one(x, v, r, what);
		return;
	}
	if (v->n_children == 0)
		yconf_error(x->e, v, "%s: an empty list", what);
	for (m = v->child; m != NULL; m = m->next)
		rules_unless_one(x, m, r, what);
}

/* Reads a `by:` list into RS_* bits (what = "suppress" or "threshold"). */
static unsigned
rules_by_cfg(struct rules_ctx *x, const struct yconf_node *v,
    const char *what)
{
	static const char *const by[] = { "src_ip", "dest_ip", "dest_port",
	    NULL };
	const struct yconf_node *items[RULES_MAX_ALT];
	unsigned bits = 0;
	size_t i, j, n;

	if (v->type == YCONF_SEQ && v->n_children == 0)
		return 0;	/* by: [] = one window per rule */
	n = rules_items(x, v, items, RULES_MAX_ALT);
	for (i = 0; i < n; i++) {
		for (j = 0; by[j] != NULL; j++)
			if (strcmp(items[i]->str, by[j]) == 0)
				break;
		if (by[j] == NULL)
			yconf_error(x->e, items[i], "%s.by: '%s' is not "
			    "src_ip, dest_ip or dest_port", what,
			    items[i]->str);
		else
			bits |= 1u << j;
	}
	return bits;
}

static void
rules_suppress_cfg(struct rules_ctx *x, const struct yconf_node *map,
    struct rules_rule *r)
{
	static const char *const keys[] = { "by", "seconds", NULL };
	const struct yconf_node *v;

	if (yconf_check_keys(x->e, map, keys, "suppress") == -1 &&
	    map->type != YCONF_MAP)
		return;
	r->supp_by = RS_SRC_IP | RS_DEST_IP;
	if ((v = yconf_get(map, "seconds")) == NULL)
		yconf_error(x->e, map, "suppress: 'seconds' is required");
	else
		(void)yconf_u32(x->e, v, 1, 30 * 86400, &r->supp_seconds);
	if ((v = yconf_get(map, "by")) != NULL)
		r->supp_by = rules_by_cfg(x, v, "suppress");
}

/* threshold: {count, seconds, by}: at most count alerts per window. */
static void
rules_threshold_cfg(struct rules_ctx *x, const struct yconf_node *map,
    struct rules_rule *r)
{
	static const char *const keys[] = { "count", "seconds", "by", NULL };
	const struct yconf_node *v;

	if (yconf_check_keys(x->e, map, keys, "threshold") == -1 &&
	    map->type != YCONF_MAP)
		return;
	r->thr_by = 0;		/* default: one window per rule */
	if ((v = yconf_get(map, "count")) == NULL)
		yconf_error(x->e, map, "threshold: 'count' is required");
	else
		(void)yconf_u32(x->e, v, 1, 1000000, &r->thr_count);
	if ((v = yconf_get(map, "seconds")) == NULL)
		yconf_error(x->e, map, "threshold: 'seconds' is required");
	else
		(void)yconf_u32(x->e, v, 1, 30 * 86400, &r->thr_seconds);
	if ((v = yconf_get(map, "by")) != NULL)
		r->thr_by = rules_by_cfg(x, v, "threshold");
}

/* Reports a sid or id already used by an earlier rule. */
static void
rules_check_unique(struct rules_ctx *x, const struct ruleset *rs,
    const struct rules_rule *r, const struct yconf_node *map)
{
	size_t i;

	for (i = 0; i < rs->n; i++) {
		if (r->pub.sid != 0 && rs->v[i].pub.sid == r->pub.sid)
			yconf_error(x->e, yconf_get(map, "sid"), "sid %u "
			    "already used by rule '%s' at line %u",
			    r->pub.sid, rs->v[i].pub.id, rs->v[i].line);
		if (r->pub.id[0] != '\0' &&
		    strcmp(rs->v[i].pub.id, r->pub.id) == 0)
			yconf_error(x->e, yconf_get(map, "id"), "id '%s' "
			    "already used by the rule at line %u", r->pub.id,
			    rs->v[i].line);
	}
}

static void
rules_strings(struct rules_ctx *x, const struct yconf_node *map,
    struct rules_rule *r)
{
	const struct yconf_node *v;
	uint32_t u;

	if ((v = yconf_get(map, "sid")) != NULL)
		(void)yconf_u32(x->e, v, 1, UINT32_MAX, &r->pub.sid);
	r->pub.rev = 1;
	if ((v = yconf_get(map, "rev")) != NULL)
		(void)yconf_u32(x->e, v, 1, UINT32_MAX, &r->pub.rev);
	if ((v = yconf_get(map, "id")) != NULL &&
	    yconf_str(x->e, v, r->pub.id, sizeof(r->pub.id)) == 0 &&
	    r->pub.id[0] == '\0')
		yconf_error(x->e, v, "id: must not be empty");
	if ((v = yconf_get(map, "title")) != NULL)
		(void)yconf_str(x->e, v, r->pub.title, sizeof(r->pub.title));
	if ((v = yconf_get(map, "category")) != NULL)
		(void)yconf_str(x->e, v, r->pub.category,
		    sizeof(r->pub.category));
	if ((v = yconf_get(map, "severity")) != NULL &&
	    yconf_u32(x->e, v, 1, 3, &u) == 0)
		r->pub.severity = (uint8_t)u;
}

/* The subject fields the caller must look up for rc (RULES_WANT_*). */
static unsigned
rules_cond_wants(const struct rules_cond *rc)
{
	return ((rc->mask & RB_APP_PROTO) ? RULES_WANT_APP_PROTO : 0) |
	    ((rc->mask & RB_HASSH_IN) ? RULES_WANT_HASSH : 0);
}

static void
rules_one(struct rules_ctx *x, const struct yconf_node *map,
    struct ruleset *rs)
{
	static const char *const keys[] = { "sid", "rev", "id", "title",
	    "severity", "category", "when", "unless", "suppress", "threshold",
	    NULL };
	static const char *const required[] = { "sid", "id", "title",
	    "severity", "when", NULL };
	struct rules_rule *r = &rs->v[rs->n];
	const struct yconf_node *v;
	size_t i;

	memset(r, 0, sizeof(*r));
	r->line = map->line;
	r->when.detector = -1;
	if (yconf_check_keys(x->e, map, keys, "rule") == -1 &&
	    map->type != YCONF_MAP)
		return;
	for (i = 0; required[i] != NULL; i++)
		if (yconf_get(map, required[i]) == NULL)
			yconf_error(x->e, map, "rule: '%s' is required",
			    required[i]);
	rules_strings(x, map, r);
	if ((v = yconf_get(map, "when")) != NULL) {
		rules_cond(x, v, &r->when, "when");
		if ((r->when.mask & RB_INC_SCORE) &&
		    (r->when.mask & RB_DETECTOR))
			yconf_error(x->e, v, "when: incident_min_score and "
			    "detector cannot be combined");
		if ((v = yconf_get(v, "not")) != NULL)
			rules_unless(x, v, r, "not");
	}
	if ((v = yconf_get(map, "unless")) != NULL)
		rules_unless(x, v, r, "unless");
	if ((v = yconf_get(map, "suppress")) != NULL)
		rules_suppress_cfg(x, v, r);
	if ((v = yconf_get(map, "threshold")) != NULL)
		rules_threshold_cfg(x, v, r);
	rules_check_unique(x, rs, r, map);
	rs->wants |= rules_cond_wants(&r->when);
	for (i = 0; i < r->n_unless; i++)
		rs->wants |= rules_cond_wants(&r->unless[i]);
	rs->n++;
}

struct ruleset *
rules_build_errs(const struct yconf_node *seq, const struct cfg *c,
    struct yconf_errs *e)
{
	struct rules_ctx x = { e, c };
	struct ruleset *rs;
	const struct yconf_node *item;
	unsigned before = e->count;

	if ((rs = calloc(1, sizeof(*rs))) == NULL)
		return NULL;
	if (seq == NULL || yconf_is_null(seq))
		return rs;
	if (seq->type != YCONF_SEQ) {
		yconf_error(e, seq, "rules: expected a sequence of rules");
		goto fail;
	}
	if (seq->n_children > 0 &&
	    (rs->v = calloc(seq->n_children, sizeof(*rs->v))) == NULL) {
		yconf_error(e, seq, "out of memory");
		goto fail;
	}
	for (item = seq->child; item != NULL; item = item->next)
		rules_one(&x, item, rs);
	if (e->count == before)
		return rs;
fail:
	rules_free(rs);
	return NULL;
}

struct ruleset *
rules_build(const struct yconf_node *seq, const struct cfg *c,
    const char *file)
{
	struct yconf_errs e = { 0 };

	e.file = file;
	return rules_build_errs(seq, c, &e);
}

void
rules_free(struct ruleset *rs)
{
	if (rs == NULL)
		return;
	free(rs->v);
	free(rs);
}

size_t
rules_count(const struct ruleset *rs)
{
	return rs != NULL ? rs->n : 0;
}

const struct rule *
rules_get(const struct ruleset *rs, size_t i)
{
	if (rs == NULL || i >= rs->n)
		return NULL;
	return &rs->v[i].pub;
}

static bool
rules_in_nets(const struct rules_netref *refs, size_t n,
    const struct ip_addr *a)
{
	size_t i;

	if (a == NULL)
		return false;
	for (i = 0; i < n; i++)
		if (cidr_set_contains(refs[i].set, a))
			return true;
	return false;
}

static bool
rules_suffix_in(const struct rules_listref *l, const char *name)
{
	return name != NULL &&
	    domset_match(l->names, name, strlen(name)) != NULL;
}

static bool
rules_exact_in(const struct rules_listref *l, const char *name)
{
	return name != NULL && name[0] != '\0' &&
	    domset_contains(l->names, name, strlen(name));
}

static bool
rules_app_in(const struct rules_cond *rc, const char *app)
{
	size_t i;

	if (app == NULL)
		return false;
	for (i = 0; i < rc->n_app; i++)
		if (strcasecmp(rc->app[i], app) == 0)
			return true;
	return false;
}

static bool
rules_port_in(const struct rules_cond *rc, uint16_t port)
{
	size_t i;

	for (i = 0; i < rc->n_ports; i++)
		if (rc->ports[i] == port)
			return true;
	return false;
}

/* True when every condition present in rc holds for s. */
static bool
rules_cond_holds(const struct rules_cond *rc, const struct rule_subject *s)
{
	unsigned m = rc->mask;

	if ((m & RB_DETECTOR) && s->detector != rc->detector)
		return false;
	if ((m & RB_SRC_NET) && !rules_in_nets(rc->src, rc->n_src, s->src))
		return false;
	if ((m & RB_DEST_NET) && !rules_in_nets(rc->dst, rc->n_dst, s->dst))
		return false;
	if ((m & RB_APP_PROTO) && !rules_app_in(rc, s->app_proto))
		return false;
	if ((m & RB_DIRECTION) && !(rc->dirs & (1u << s->direction)))
		return false;
	if ((m & RB_DEST_PORT) && !rules_port_in(rc, s->dest_port))
		return false;
	if ((m & RB_MIN_DURATION) && s->duration_us < rc->min_duration_us)
		return false;
	if ((m & RB_MIN_BYTES) && s->bytes_out < rc->min_bytes_out)
		return false;
	if ((m & RB_MIN_CONF) && s->confidence < rc->min_conf)
		return false;
	if ((m & RB_SNI_IN) && !rules_suffix_in(&rc->sni_list, s->sni))
		return false;
	if ((m & RB_HASSH_IN) &&
	    !rules_exact_in(&rc->hassh_list, s->hassh_client) &&
	    !rules_exact_in(&rc->hassh_list, s->hassh_server))
		return false;
	if ((m & RB_DNS_IN) && !rules_suffix_in(&rc->dns_list, s->dns_name))
		return false;
	if ((m & RB_INC_SCORE) && (!s->incident ||
	    s->incident_score < rc->inc_score))
		return false;
	return true;
}

unsigned
rules_wants(const struct ruleset *rs)
{
	return rs != NULL ? rs->wants : 0;
}

size_t
rules_match(const struct ruleset *rs, const struct cfg *c,
    const struct rule_subject *s, const struct rule **out, size_t max)
{
	const struct rules_rule *r;
	size_t i, k, n = 0;

	if (rs == NULL || c == NULL || s == NULL)
		return 0;
	for (i = 0; i < rs->n; i++) {
		r = &rs->v[i];
		/*
		 * Incident rules see incidents; of the others, detector rules
		 * see verdicts and the rest flow records.
		 */
		if (((r->when.mask & RB_INC_SCORE) != 0) != s->incident)
			continue;
		if (((r->when.mask & RB_DETECTOR) != 0) != (s->detector >= 0))
			continue;
		if (!rules_cond_holds(&r->when, s))
			continue;
		for (k = 0; k < r->n_unless; k++)
			if (rules_cond_holds(&r->unless[k], s))
				break;
		if (k < r->n_unless)
			continue;
		if (n < max)
			out[n] = &r->pub;
		n++;	/* past max: counted, not kept */
	}
	return n;
}

/*
 * Suppression table.  Keys are compared in full (no false sharing from
 * hash collisions); a bucket holds RULES_SUPP_WAYS windows and, when all
 * are in use, the one that opened first is overwritten.
 */
struct rules_supp_key {
	uint32_t	sid;
	uint16_t	port;
	uint8_t		kind;		/* 0 suppress, 1 threshold */
	uint8_t		src[16];
	uint8_t		dst[16];
};

struct rules_supp_ent {
	struct rules_supp_key	k;
	uint64_t		start_us;	/* window opened, packet time */
	uint32_t		count;		/* alerts let through in it */
	bool			used;
};

struct rules_suppress {
	struct rules_supp_ent	*v;		/* nbuckets * WAYS, owned */
	size_t			 nbuckets;	/* power of two */
	uint64_t		 suppressed;	/* alerts swallowed */
};

struct rules_suppress *
rules_suppress_new(size_t slots)
{
	struct rules_suppress *sp;
	size_t nb = 1;

	if (slots < RULES_SUPP_MIN)
		slots = RULES_SUPP_MIN;
	while (nb * RULES_SUPP_WAYS < slots && nb < ((size_t)1 << 24))
		nb <<= 1;
	if ((sp = calloc(1, sizeof(*sp))) == NULL)
		return NULL;
	if ((sp->v = calloc(nb * RULES_SUPP_WAYS, sizeof(*sp->v))) == NULL) {
		free(sp);
		return NULL;
	}
	sp->nbuckets = nb;
	return sp;
}

void
rules_suppress_free(struct rules_suppress *sp)
{
	if (sp == NULL)
		return;
	free(sp->v);
	free(sp);
}

uint64_t
rules_suppress_count(const struct rules_suppress *sp)
{
	return sp != NULL ? sp->suppressed : 0;
}

static uint64_t
rules_supp_hash(const struct rules_supp_key *k)
{
	const uint8_t *p = (const uint8_t *)k;
	uint64_t h = 14695981039346656037ull;
	size_t i;

	for (i = 0; i < sizeof(*k); i++) {
		h ^= p[i];
		h *= 1099511628211ull;
	}
	return h ^ (h >> 29);
}

/*
 * The window of (kind, rule, the `by` parts of s): true when limit alerts
 * already went through it (the caller counts); false when this one may
 * go, counted in the window (a new window opens when none is live).
 */
static bool
rules_window_full(struct rules_suppress *sp, uint8_t kind, uint32_t sid,
    unsigned by, const struct rule_subject *s, uint64_t ts_us,
    uint32_t seconds, uint32_t limit)
{
	struct rules_supp_ent *b, *victim = NULL;
	struct rules_supp_key k;
	uint64_t win = (uint64_t)seconds * 1000000, age;
	size_t i;

	memset(&k, 0, sizeof(k));
	k.sid = sid;
	k.kind = kind;
	if ((by & RS_SRC_IP) && s->src != NULL)
		memcpy(k.src, s->src->b, 16);
	if ((by & RS_DEST_IP) && s->dst != NULL)
		memcpy(k.dst, s->dst->b, 16);
	if (by & RS_DEST_PORT)
		k.port = s->dest_port;
	b = &sp->v[(rules_supp_hash(&k) & (sp->nbuckets - 1)) *
	    RULES_SUPP_WAYS];
	for (i = 0; i < RULES_SUPP_WAYS; i++) {
		if (b[i].used && memcmp(&b[i].k, &k, sizeof(k)) == 0) {
			age = ts_us >= b[i].start_us ? ts_us - b[i].start_us :
			    b[i].start_us - ts_us;
			if (age < win) {
				if (b[i].count >= limit)
					return true;
				b[i].count++;
				return false;
			}
			victim = &b[i];
			break;
		}
		if (victim == NULL || !b[i].used ||
		    (victim->used && b[i].start_us < victim->start_us))
			victim = &b[i];
	}
	memcpy(&victim->k, &k, sizeof(k));
	victim->start_us = ts_us;
	victim->count = 1;
	victim->used = true;
	return false;
}

bool
rules_suppressed(struct rules_suppress *sp, const struct rule *pub,
    const struct rule_subject *s, uint64_t ts_us)
{
	const struct rules_rule *r = (const struct rules_rule *)pub;

	if (sp == NULL || r == NULL || r->supp_seconds == 0)
		return false;
	if (!rules_window_full(sp, 0, r->pub.sid, r->supp_by, s, ts_us,
	    r->supp_seconds, 1))
		return false;
	sp->suppressed++;
	return true;
}

bool
rules_thresholded(struct rules_suppress *sp, const struct rule *pub,
    const struct rule_subject *s, uint64_t ts_us)
{
	const struct rules_rule *r = (const struct rules_rule *)pub;

	if (sp == NULL || r == NULL || r->thr_count == 0)
		return false;
	return rules_window_full(sp, 1, r->pub.sid, r->thr_by, s, ts_us,
	    r->thr_seconds, r->thr_count);
}

static void
rules_cond_refs(const struct rules_cond *rc, bool *nets, bool *lists,
    bool *net_lists)
{
	size_t i;

	for (i = 0; i < rc->n_src; i++) {
		(rc->src[i].list ? lists : nets)[rc->src[i].idx] = true;
		if (rc->src[i].list)
			net_lists[rc->src[i].idx] = true;
	}
	for (i = 0; i < rc->n_dst; i++) {
		(rc->dst[i].list ? lists : nets)[rc->dst[i].idx] = true;
		if (rc->dst[i].list)
			net_lists[rc->dst[i].idx] = true;
	}
	if (rc->mask & RB_SNI_IN)
		lists[rc->sni_list.idx] = true;
	if (rc->mask & RB_HASSH_IN)
		lists[rc->hassh_list.idx] = true;
	if (rc->mask & RB_DNS_IN)
		lists[rc->dns_list.idx] = true;
}

uint64_t
rules_refs(const struct ruleset *rs, bool *nets, bool *lists,
    bool *net_lists)
{
	const struct rules_rule *r;
	uint64_t detectors = 0;
	size_t i, k;

	for (i = 0; rs != NULL && i < rs->n; i++) {
		r = &rs->v[i];
		if ((r->when.mask & RB_DETECTOR) && r->when.detector >= 0)
			detectors |= DET_BIT(r->when.detector);
		rules_cond_refs(&r->when, nets, lists, net_lists);
		for (k = 0; k < r->n_unless; k++)
			rules_cond_refs(&r->unless[k], nets, lists, net_lists);
	}
	return detectors;
}
