/*
 * det_mining.c - mining detectors beyond Stratum (see det_mining.h):
 * mining_pool_tls (SNI, passive DNS, or a miner's cadence on a pool
 * port), mining_pool_dns (a lookup of a pool name), mining_proxy (HTTP
 * CONNECT / SOCKS to a pool) and crypto_node (Bitcoin / Monero P2P,
 * Ethereum / Monero node RPC; reported, never called mining).
 *
 * It owns the passive DNS cache (pdns.c), fed from every DNS response
 * on UDP port 53, and the small per-flow struct mining_track, taken
 * from the worker's pool only by a flow something was found for (see
 * mining_track.c); the others keep a few progress bits (MT_BARE) in
 * flow_cold.det_flags and read as a zeroed track.  The work
 * happens where the data is: DNS names are matched as their packets
 * pass, a TCP flow's destination is looked up in the cache on its first
 * packet, node signatures are read from the first payload of each side,
 * and the checks (det_mining_check_*, one per registry row) only read
 * what was found (plus the SNI nDPI extracted, and the cadence
 * counters).  Evidence is rendered from the flow's own state when a
 * record is written.  Nothing here allocates
 * after det_mining_new() or logs on the packet path; the pool list is
 * the config's (resolved when it was loaded, read at match time) so a
 * reload takes effect for new matches.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>

#include "cidr.h"
#include "det_mining.h"
#include "detect.h"
#include "dissect.h"
#include "domset.h"
#include "mining_node.h"
#include "mining_track.h"
#include "pdns.h"
#include "stratum.h"
#include "util.h"
#include "yconf.h"

#define DNS_PORT		53
#define MINING_BURST_MS		1000	/* payload closer than this: one message */
#define MINING_REPLY_MS		2000	/* server message this soon after the client's: a reply */
#define MINING_SKIP_MSGS	4	/* handshake messages left out of the rhythm */
#define PDNS_HITS_MAX		PDNS_WAYS

enum mining_how { HOW_NONE, HOW_SNI, HOW_PDNS, HOW_CADENCE, HOW_LIST,
	HOW_PORT };

struct det_mining {
	/* Workers share the cache: taken per DNS answer and TCP flow start. */
	pthread_mutex_t	 mu;
	struct pdns	*pdns;		/* owned */
	uint64_t	 dns_parsed;	/* DNS messages read */
	uint64_t	 dns_bad;	/* port 53 datagrams that did not parse */
};

/* Stratum and Stratum-over-TLS ports of the big public pools. */
static const uint16_t default_ports[] = {
	3333, 3334, 3357, 4444, 5555, 6666, 7777, 8888, 9999, 10128, 14433,
	14444, 17777, 20535, 20580, 45560, 45700,
};

void
cfg_mining_defaults(struct cfg_mining *cm)
{
	size_t i;

	memset(cm, 0, sizeof(*cm));
	cm->pdns_capacity = 65536;
	cm->pdns_ttl_min = 300;
	cm->pdns_ttl_max = 86400;
	for (i = 0; i < sizeof(default_ports) / sizeof(default_ports[0]); i++)
		cm->ports[cm->n_ports++] = default_ports[i];
	cm->cadence_min_seconds = 300;
	cm->cadence_min_messages = 8;
	cm->cadence_min_pushes = 4;
	cm->cadence_push_min = 10;
	cm->cadence_push_max = 180;
	cm->cadence_share_max = 600;
	cm->cadence_max_message = 2048;
}

static void
parse_ports(struct yconf_errs *e, const struct yconf_node *n,
    struct cfg_mining *cm)
{
	const struct yconf_node *v;
	uint32_t port;

	if (n->type != YCONF_SEQ) {
		yconf_error(e, n, "ports: expected a sequence of ports");
		return;
	}
	cm->n_ports = 0;
	for (v = n->child; v != NULL; v = v->next) {
		if (cm->n_ports >= CFG_MINING_MAX_PORTS) {
			yconf_error(e, v, "ports: more than %d ports",
			    CFG_MINING_MAX_PORTS);
			return;
		}
		if (yconf_u32(e, v, 1, 65535, &port) == 0)
			cm->ports[cm->n_ports++] = (uint16_t)port;
	}
}

void
cfg_mining_parse(struct yconf_errs *e, const struct yconf_node *n,
    struct cfg_mining *cm)
{
	static const char *const keys[] = { "pdns_capacity", "pdns_ttl_min",
	    "pdns_ttl_max", "ports", "cadence_min_seconds",
	    "cadence_min_messages", "cadence_min_pushes", "cadence_push_min",
	    "cadence_push_max", "cadence_share_max", "cadence_max_message",
	    NULL };
#define NUM(k, lo, hi)	YCONF_U32(struct cfg_mining, k, lo, hi)
	static const struct yconf_u32_field nums[] = {
		NUM(pdns_capacity, 16, 1u << 24),
		NUM(pdns_ttl_min, 0, 7 * 86400),
		NUM(pdns_ttl_max, 1, 30 * 86400),
		NUM(cadence_min_seconds, 1, 86400),
		NUM(cadence_min_messages, 2, 10000),
		NUM(cadence_min_pushes, 2, 10000),
		NUM(cadence_push_min, 1, 86400),
		NUM(cadence_push_max, 1, 86400),
		NUM(cadence_share_max, 1, 86400),
		NUM(cadence_max_message, 64, 1u << 20),
		{ NULL, 0, 0, 0 }
	};
#undef NUM
	const struct yconf_node *v;

	if (n == NULL || yconf_is_null(n))
		return;
	if (yconf_check_keys(e, n, keys, "mining") == -1)
		return;
	yconf_u32_fields(e, n, nums, cm);
	if ((v = yconf_get(n, "ports")) != NULL)
		parse_ports(e, v, cm);
	if (cm->pdns_ttl_max < cm->pdns_ttl_min)
		yconf_error(e, yconf_get(n, "pdns_ttl_max") != NULL ?
		    yconf_get(n, "pdns_ttl_max") : n,
		    "pdns_ttl_max: less than pdns_ttl_min (%u)",
		    cm->pdns_ttl_min);
	if (cm->cadence_push_max < cm->cadence_push_min)
		yconf_error(e, yconf_get(n, "cadence_push_max") != NULL ?
		    yconf_get(n, "cadence_push_max") : n,
		    "cadence_push_max: less than cadence_push_min (%u)",
		    cm->cadence_push_min);
}

bool
cfg_mining_port(const struct cfg_mining *cm, uint16_t port)
{
	uint8_t i;

	for (i = 0; i < cm->n_ports; i++)
		if (cm->ports[i] == port)
			return true;
	return false;
}

struct det_mining *
det_mining_new(const struct cfg *c)
{
	struct det_mining *d;

	if ((d = calloc(1, sizeof(*d))) == NULL)
		return NULL;
	d->pdns = pdns_new(c->mining.pdns_capacity, c->mining.pdns_ttl_min,
	    c->mining.pdns_ttl_max);
	if (d->pdns == NULL) {
		free(d);
		return NULL;
	}
	pthread_mutex_init(&d->mu, NULL);
	return d;
}

void
det_mining_free(struct det_mining *d)
{
	if (d == NULL)
		return;
	pdns_free(d->pdns);
	pthread_mutex_destroy(&d->mu);
	free(d);
}

void
det_mining_flow_init(struct flow *f)
{
	f->c->det_flags = 0;
}

/* The pool list entry name falls under, or NULL. */
static const char *
pool_match(const struct cfg *c, const char *name)
{
	const struct cfg_list *l = c->mining_pools;	/* resolved at load */

	if (l == NULL || l->names == NULL || name == NULL || name[0] == '\0')
		return NULL;
	return domset_match(l->names, name, strlen(name));
}

/* Keeps the tail of name (the matched suffix survives) and the entry. */
static void
track_name(struct mining_track *mt, const char *name, const char *entry)
{
	size_t n = strlen(name), e = entry != NULL ? strlen(entry) : 0;

	if (n >= sizeof(mt->name))
		name += n - (sizeof(mt->name) - 1);
	strlcpy(mt->name, name, sizeof(mt->name));
	n = strlen(mt->name);
	mt->match_off = (uint8_t)(e <= n ? n - e : 0);
}

/*
 * A pool name for ip in the passive DNS cache: fills the track and
 * returns true.  The asked name is preferred over a CNAME target.
 */
static bool
pdns_pool(struct det_mining *d, const struct cfg *c, struct mining_track *mt,
    const struct ip_addr *ip, uint64_t now_us)
{
	const struct pdns_entry *hits[PDNS_HITS_MAX];
	const char *entry;
	size_t n, i;
	bool found = false;

	pthread_mutex_lock(&d->mu);	/* the hits are borrowed */
	n = pdns_lookup(d->pdns, ip, now_us, hits, PDNS_HITS_MAX);
	for (i = 0; i < n && !found; i++) {
		if ((entry = pool_match(c, hits[i]->qname)) != NULL)
			track_name(mt, hits[i]->qname, entry);
		else if ((entry = pool_match(c, hits[i]->owner)) != NULL)
			track_name(mt, hits[i]->owner, entry);
		else
			continue;
		mt->dns_seen_us = hits[i]->seen_us;
		mt->dns_ttl = hits[i]->ttl;
		found = true;
	}
	pthread_mutex_unlock(&d->mu);
	return found;
}

static void
dns_keep(struct dns_info *di, const struct pdns_msg *m)
{
	uint8_t i;

	if (di->rrname[0] == '\0' && m->qname[0] != '\0') {
		strlcpy(di->rrname, m->qname, sizeof(di->rrname));
		di->rrtype = m->qtype;
	}
	if (!m->response) {
		di->queries++;
		return;
	}
	if (di->responses++ == 0)
		di->rcode = m->rcode;
	di->response = true;
	if (di->cname[0] == '\0' && m->n_cnames > 0)
		strlcpy(di->cname, m->cnames[0], sizeof(di->cname));
	for (i = 0; i < m->n_addrs; i++) {
		if (di->n_answers < DNS_INFO_ANSWERS)
			di->answers[di->n_answers] = m->addrs[i].ip;
		if (di->n_answers < UINT16_MAX)
			di->n_answers++;
	}
}

/* A UDP datagram to or from port 53. */
static void
dns_packet(struct det_mining *d, struct dissect *dis, const struct cfg *c,
    struct flow *f, struct mining_track *mt, const struct packet *pkt,
    const uint8_t *p, size_t n)
{
	struct pdns_msg m;
	const char *entry;
	uint8_t i;

	if (f->app != APP_UNKNOWN && f->app != APP_DNS)
		return;
	if (pdns_parse(p, n, &m) != PDNS_OK) {
		__atomic_fetch_add(&d->dns_bad, 1, __ATOMIC_RELAXED);
		return;
	}
	__atomic_fetch_add(&d->dns_parsed, 1, __ATOMIC_RELAXED);
	/* No state free (counted): the flow stays open to the next try. */
	if (f->app == APP_UNKNOWN && dis != NULL &&
	    dissect_attach(dis, f, APP_DNS, false) == -1)
		f->app = APP_UNKNOWN;
	if (f->app == APP_DNS)
		dns_keep(&f->c->u->dns, &m);
	pthread_mutex_lock(&d->mu);
	pdns_set_ttl(d->pdns, c->mining.pdns_ttl_min, c->mining.pdns_ttl_max);
	pdns_insert_msg(d->pdns, &m, pkt->ts_us);
	pthread_mutex_unlock(&d->mu);
	if (mt->flags & MT_DNS)
		return;
	if ((entry = pool_match(c, m.qname)) != NULL)
		track_name(mt, m.qname, entry);
	for (i = 0; entry == NULL && i < m.n_cnames; i++)
		if ((entry = pool_match(c, m.cnames[i])) != NULL)
			track_name(mt, m.cnames[i], entry);
	if (entry != NULL)
		mt->flags |= MT_DNS;
}

/*
 * Message rhythm of a session to a pool port: payload bursts per side,
 * the gaps between them, and server messages that answer nothing (a
 * pool pushing a new job).  The handshake's first messages are skipped.
 */
static void
cadence_packet(const struct cfg_mining *cm, const struct flow *f,
    struct mining_track *mt, int dir, uint64_t ts_us, size_t n)
{
	struct mining_dir *md = &mt->dir[dir];
	uint64_t rel = (ts_us - f->first_us) / 1000;
	uint32_t t = rel > UINT32_MAX ? UINT32_MAX : (uint32_t)rel, gap;

	if (md->msgs > 0 && t - md->last_ms <= MINING_BURST_MS) {
		md->msg_bytes = md->msg_bytes > UINT32_MAX - n ? UINT32_MAX :
		    md->msg_bytes + (uint32_t)n;
		md->last_ms = t;
		return;
	}
	if (md->msgs > MINING_SKIP_MSGS) {
		if (md->msg_bytes > cm->cadence_max_message && md->bulk <
		    UINT16_MAX)
			md->bulk++;
		gap = t - md->last_ms;
		if (gap <= (dir == 0 ? cm->cadence_share_max :
		    cm->cadence_push_max) * 1000u) {
			if (md->gaps_ok < UINT16_MAX)
				md->gaps_ok++;
		} else if (md->gaps_bad < UINT16_MAX)
			md->gaps_bad++;
	}
	if (dir == 1 && md->msgs >= MINING_SKIP_MSGS &&
	    (mt->dir[0].msgs == 0 ||
	    t - mt->dir[0].last_ms > MINING_REPLY_MS)) {
		if (mt->pushes > 0) {
			gap = t - mt->last_push_ms;
			if (gap >= cm->cadence_push_min * 1000u &&
			    gap <= cm->cadence_push_max * 1000u) {
				if (mt->push_ok < UINT16_MAX)
					mt->push_ok++;
			} else if (mt->push_bad < UINT16_MAX)
				mt->push_bad++;
		}
		if (mt->pushes < UINT16_MAX)
			mt->pushes++;
		mt->last_push_ms = t;
	}
	if (md->msgs < UINT16_MAX)
		md->msgs++;
	md->msg_bytes = (uint32_t)n;
	md->last_ms = t;
}

static uint32_t
bulk_now(const struct cfg_mining *cm, const struct mining_dir *md)
{
	return md->bulk + (md->msgs > MINING_SKIP_MSGS &&
	    md->msg_bytes > cm->cadence_max_message);
}

/* Small messages both ways, client at its pace, server pushing jobs. */
static bool
cadence_ok(const struct cfg_mining *cm, const struct flow *f,
    const struct mining_track *mt)
{
	const struct mining_dir *c2s = &mt->dir[0], *s2c = &mt->dir[1];
	uint32_t msgs = (uint32_t)c2s->msgs + s2c->msgs;
	uint32_t cg = (uint32_t)c2s->gaps_ok + c2s->gaps_bad;
	uint32_t pg = (uint32_t)mt->push_ok + mt->push_bad;

	if (f->last_us - f->first_us < cm->cadence_min_seconds * 1000000ULL)
		return false;
	if (c2s->msgs < cm->cadence_min_messages ||
	    mt->pushes < cm->cadence_min_pushes)
		return false;
	if ((bulk_now(cm, c2s) + bulk_now(cm, s2c)) * 20 > msgs)
		return false;
	return cg > 0 && c2s->gaps_ok * 10u >= cg * 7u &&
	    pg > 0 && mt->push_ok * 10u >= pg * 7u;
}

static void
proxy_check(struct det_mining *d, const struct cfg *c, const struct flow *f,
    struct mining_track *mt, uint64_t now_us)
{
	const struct proxy_info *pi = &f->c->u->proxy.info;
	const char *entry = NULL;
	struct ip_addr a;

	mt->flags |= MT_PROXY_DONE;
	if (pi->host_is_name)
		entry = pool_match(c, pi->host);
	if (entry != NULL) {
		if (!(mt->flags & (MT_TLS | MT_PDNS)))
			track_name(mt, pi->host, entry);
		mt->proxy_how = HOW_LIST;
	} else if (!pi->host_is_name && ip_addr_parse(pi->host, &a) == 0 &&
	    !(mt->flags & (MT_TLS | MT_PDNS)) &&
	    pdns_pool(d, c, mt, &a, now_us))
		mt->proxy_how = HOW_PDNS;
	else if (cfg_mining_port(&c->mining, pi->port))
		mt->proxy_how = HOW_PORT;
	else
		return;
	mt->flags |= MT_PROXY;
}

/* A TCP packet: the destination on the first, then payload signatures. */
static void
tcp_packet(struct det_mining *d, const struct cfg *c, struct flow *f,
    struct mining_track *mt, int dir, const struct packet *pkt,
    const uint8_t *p, size_t n)
{
	if (!(mt->flags & MT_STARTED)) {
		mt->flags |= MT_STARTED;
		if (cfg_mining_port(&c->mining, flow_dport(f)))
			mt->flags |= MT_PORT;
		/* Which verdict it makes depends on what the flow carries. */
		if (pdns_pool(d, c, mt, flow_dst(f), pkt->ts_us)) {
			mt->how = HOW_PDNS;
			mt->flags |= MT_PDNS;
		}
	}
	if (n == 0)
		return;
	if (!(mt->flags & MT_NODE) && mining_node_scan(mt, dir, p, n,
	    !(mt->flags & (MT_TLS | MT_PROXY | MT_PDNS))))
		mt->flags |= MT_NODE;
	if (mt->flags & MT_PORT)
		cadence_packet(&c->mining, f, mt, dir, pkt->ts_us, n);
	if (f->app == APP_PROXY && f->c->u->proxy.info.requested &&
	    !(mt->flags & MT_PROXY_DONE))
		proxy_check(d, c, f, mt, pkt->ts_us);
}

/*
 * Nothing to do for a TCP packet of a flow without a track whose
 * destination was looked up: no payload, or more from a side whose
 * first payload was read (only a POST, which takes a track, or a proxy
 * request reads on).
 */
static bool
tcp_idle(const struct flow *f, int dir, size_t n)
{
	uint32_t b = f->c->det_flags;

	return f->c->mt == NULL && (b & MT_STARTED) && (n == 0 ||
	    ((b & (dir == 0 ? MT_FIRST0 : MT_FIRST1)) &&
	    f->app != APP_PROXY));
}

void
det_mining_packet(struct det_ctx *dc, struct dissect *dis,
    const struct cfg *c, struct flow *f, int dir, const struct packet *pkt,
    const uint8_t *p, size_t n)
{
	struct mining_track scratch, *mt;

	if (f->proto == IPPROTO_UDP) {
		if ((flow_dport(f) == DNS_PORT || flow_sport(f) == DNS_PORT) &&
		    n > 0) {
			mt = mining_track_begin(f, &scratch);
			dns_packet(dc->mining, dis, c, f, mt, pkt, p, n);
			mining_track_done(dc, f, mt);
		}
		return;
	}
	if (f->proto != IPPROTO_TCP || tcp_idle(f, dir, n))
		return;
	mt = mining_track_begin(f, &scratch);
	tcp_packet(dc->mining, c, f, mt, dir, pkt, p, n);
	mining_track_done(dc, f, mt);
}

/*
 * A TCP flow to an address learned from a pool's DNS answer: TLS makes
 * it mining_pool_tls; proven Stratum is the stratum verdict's (nothing
 * here); anything else the initiator sends, once our dissector is done
 * with it (a JSON-RPC session that never proved itself, or bytes that
 * are neither TLS nor JSON), is mining_pool_ip.  A proxy's own address
 * is the proxy check's business.
 */
static void
pdns_verdict(const struct flow *f, struct mining_track *mt)
{
	const struct stratum_info *si = flow_stratum(f);

	if (f->app == APP_PROXY)
		return;
	if (mining_node_tls(mt) || strcmp(cls_app_proto(cls_res(&f->c->cls)), "tls") == 0) {
		mt->flags |= MT_TLS;
		return;
	}
	if (!(mt->flags & MT_FIRST0))
		return;		/* nothing from the client yet */
	if (si != NULL && (si->proven || f->dissecting))
		return;		/* Stratum, or still being read */
	mt->flags |= MT_IP;
}

void
det_mining_flow_swap(struct flow *f)
{
	struct mining_track scratch, *mt = mining_track_begin(f, &scratch);
	uint32_t first = mt->flags & (MT_FIRST0 | MT_FIRST1);

	UTIL_SWAP2(mt->dir);
	/* What was looked up for the old destination is redone. */
	if (mt->flags & MT_PDNS) {
		memset(mt->name, 0, sizeof(mt->name));
		mt->match_off = 0;
		mt->dns_seen_us = 0;
		mt->dns_ttl = 0;
	}
	mt->flags &= ~(uint32_t)(MT_STARTED | MT_PORT | MT_PDNS | MT_TLS_HELLO |
	    MT_POST | MT_JSONRPC | MT_JSON_RPC_PATH | MT_FIRST0 | MT_FIRST1);
	mt->flags |= ((first & MT_FIRST0) ? MT_FIRST1 : 0) |
	    ((first & MT_FIRST1) ? MT_FIRST0 : 0);
	mt->how = HOW_NONE;
	mt->scanned = 0;
	mt->pushes = mt->push_ok = mt->push_bad = 0;
	mt->last_push_ms = 0;
	if (mt != f->c->mt)	/* only progress bits: nothing to keep */
		f->c->det_flags = mt->flags & MT_BARE;
}

/*
 * What mining_pool_tls and mining_pool_ip decide from state other
 * packets left: the pool address's verdict (pdns_verdict), a pool SNI,
 * a miner's cadence on a pool port.  Idempotent: each step runs once.
 */
static void
mining_update_tls(const struct cfg *c, const struct flow *f,
    struct mining_track *mt)
{
	const char *sni = cls_text(cls_res(&f->c->cls), CLS_SNI), *entry;

	if ((mt->flags & (MT_PDNS | MT_TLS | MT_IP)) == MT_PDNS)
		pdns_verdict(f, mt);
	if (f->proto == IPPROTO_TCP && !(mt->flags & MT_SNI_DONE) &&
	    sni[0] != '\0') {
		mt->flags |= MT_SNI_DONE;
		if (!(mt->flags & MT_TLS) &&
		    (entry = pool_match(c, sni)) != NULL) {
			track_name(mt, sni, entry);
			mt->how = HOW_SNI;
			mt->flags |= MT_TLS;
		}
	}
	if ((mt->flags & (MT_TLS | MT_PORT)) == MT_PORT &&
	    (mining_node_tls(mt) ||
	    strcmp(cls_app_proto(cls_res(&f->c->cls)), "tls") == 0) &&
	    cadence_ok(&c->mining, f, mt)) {
		mt->how = HOW_CADENCE;
		mt->flags |= MT_TLS;
	}
}

/* The registry rows' checks (detect.c), one per verdict of this module. */
bool
det_mining_check_tls(struct det_ctx *dc, const struct cfg *c, struct flow *f,
    uint64_t now_us)
{
	struct mining_track scratch, *mt;

	(void)now_us;
	/* No track: only an SNI not read yet can find something. */
	if (f->c->mt == NULL && (f->proto != IPPROTO_TCP ||
	    (f->c->det_flags & MT_SNI_DONE) ||
	    cls_text(cls_res(&f->c->cls), CLS_SNI)[0] == '\0'))
		return false;
	mt = mining_track_begin(f, &scratch);
	mining_update_tls(c, f, mt);
	mining_track_done(dc, f, mt);
	return (mining_track_ro(f)->flags & MT_TLS) != 0;
}

bool
det_mining_check_ip(struct det_ctx *dc, const struct cfg *c, struct flow *f,
    uint64_t now_us)
{
	struct mining_track *mt = f->c->mt;

	(void)dc;
	(void)c;
	(void)now_us;
	if (mt == NULL)		/* MT_PDNS would have taken one */
		return false;
	/* Of mining_update_tls, only the pool address's verdict sets MT_IP. */
	if ((mt->flags & (MT_PDNS | MT_TLS | MT_IP)) == MT_PDNS)
		pdns_verdict(f, mt);
	return (mt->flags & MT_IP) != 0;
}

bool
det_mining_check_dns(struct det_ctx *dc, const struct cfg *c, struct flow *f,
    uint64_t now_us)
{
	(void)dc;
	(void)c;
	(void)now_us;
	return (mining_track_ro(f)->flags & MT_DNS) != 0;
}

bool
det_mining_check_proxy(struct det_ctx *dc, const struct cfg *c,
    struct flow *f, uint64_t now_us)
{
	(void)dc;
	(void)c;
	(void)now_us;
	return (mining_track_ro(f)->flags & MT_PROXY) != 0;
}

bool
det_mining_check_node(struct det_ctx *dc, const struct cfg *c,
    struct flow *f, uint64_t now_us)
{
	struct mining_track scratch, *mt;

	(void)c;
	(void)now_us;
	if (!(mining_track_ro(f)->flags & MT_NODE) &&
	    cls_res(&f->c->cls)->mining &&
	    (flow_dport(f) == MINING_NODE_ETH_PORT ||
	    flow_sport(f) == MINING_NODE_ETH_PORT)) {
		mt = mining_track_begin(f, &scratch);
		mt->node = CN_ETH_P2P;
		mt->flags |= MT_NODE;
		mining_track_done(dc, f, mt);
	}
	return (mining_track_ro(f)->flags & MT_NODE) != 0;
}

uint8_t
det_mining_confidence(const struct flow *f, enum detector d)
{
	const struct mining_track *mt = mining_track_ro(f);

	switch (d) {
	case DET_MINING_POOL_TLS:
		return mt->how == HOW_SNI ? 90 : mt->how == HOW_PDNS ? 85 : 60;
	case DET_MINING_POOL_DNS:
		return 80;
	case DET_MINING_PROXY:
		return mt->proxy_how == HOW_LIST ? 90 :
		    mt->proxy_how == HOW_PDNS ? 85 : 60;
	case DET_CRYPTO_NODE:
		return mt->node == CN_ETH_P2P ? 60 : 90;
	case DET_MINING_POOL_IP:
		return 70;
	default:
		return 50;
	}
}

static const char *
how_name(uint8_t how)
{
	switch (how) {
	case HOW_SNI:		return "sni";
	case HOW_PDNS:		return "passive_dns";
	case HOW_CADENCE:	return "cadence";
	case HOW_LIST:		return "pool_list";
	case HOW_PORT:		return "mining_port";
	default:		return "";
	}
}

static void
evidence_pdns(struct jbuf *j, const struct flow *f)
{
	const struct mining_track *mt = mining_track_ro(f);
	uint64_t until = mt->dns_seen_us + mt->dns_ttl * 1000000ULL;
	char ts[40];

	json_timestamp(ts, sizeof(ts), mt->dns_seen_us);
	jb_string(j, "dns_seen", ts);
	jb_u64(j, "dns_ttl", mt->dns_ttl);
	jb_u64(j, "ttl_left", until > f->first_us ?
	    (until - f->first_us) / 1000000 : 0);
}

static void
evidence_cadence(struct jbuf *j, const struct flow *f)
{
	const struct mining_track *mt = mining_track_ro(f);

	jb_u64(j, "dest_port", flow_dport(f));
	jb_u64(j, "duration_s", (f->last_us - f->first_us) / 1000000);
	jb_u64(j, "messages_toserver", mt->dir[0].msgs);
	jb_u64(j, "messages_toclient", mt->dir[1].msgs);
	jb_u64(j, "server_pushes", mt->pushes);
	jb_u64(j, "push_gaps_in_window", mt->push_ok);
	jb_u64(j, "push_gaps_outside", mt->push_bad);
	jb_u64(j, "client_gaps_in_window", mt->dir[0].gaps_ok);
	jb_u64(j, "client_gaps_outside", mt->dir[0].gaps_bad);
	jb_u64(j, "bulk_messages", (uint64_t)mt->dir[0].bulk + mt->dir[1].bulk);
	jb_u64(j, "avg_bytes_toserver", mt->dir[0].msgs > 0 ?
	    f->c->dir[0].payload_bytes / mt->dir[0].msgs : 0);
	jb_u64(j, "avg_bytes_toclient", mt->dir[1].msgs > 0 ?
	    f->c->dir[1].payload_bytes / mt->dir[1].msgs : 0);
}

static void
put_answers(struct jbuf *j, const struct dns_info *di)
{
	char a[64];
	uint16_t i;

	jb_open_array(j, "answers");
	for (i = 0; i < di->n_answers && i < DNS_INFO_ANSWERS; i++)
		jb_string(j, NULL, ip_addr_format(&di->answers[i], a,
		    sizeof(a)));
	jb_close_array(j);
}

void
det_mining_evidence(struct jbuf *j, const struct flow *f, enum detector d)
{
	const struct mining_track *mt = mining_track_ro(f);
	const struct proxy_info *pi = &f->c->u->proxy.info;

	switch (d) {
	case DET_MINING_POOL_TLS:
		jb_string(j, "how", how_name(mt->how));
		if (mt->how == HOW_CADENCE) {
			evidence_cadence(j, f);
			break;
		}
		jb_string(j, mt->how == HOW_SNI ? "sni" : "name", mt->name);
		jb_string(j, "matched", mt->name + mt->match_off);
		if (mt->how == HOW_PDNS)
			evidence_pdns(j, f);
		break;
	case DET_MINING_POOL_DNS:
		jb_string(j, "rrname", f->c->u->dns.rrname);
		jb_string(j, "name", mt->name);
		jb_string(j, "matched", mt->name + mt->match_off);
		put_answers(j, &f->c->u->dns);
		break;
	case DET_MINING_PROXY:
		jb_string(j, "proxy", proxy_kind_name(pi->kind));
		jb_string(j, "host", pi->host);
		jb_u64(j, "port", pi->port);
		jb_bool(j, "granted", pi->granted);
		jb_string(j, "reason", how_name(mt->proxy_how));
		if (mt->proxy_how == HOW_LIST || mt->proxy_how == HOW_PDNS)
			jb_string(j, "matched", mt->name + mt->match_off);
		if (mt->proxy_how == HOW_PDNS) {
			jb_string(j, "name", mt->name);
			evidence_pdns(j, f);
		}
		break;
	case DET_MINING_POOL_IP:
		jb_string(j, "how", how_name(mt->how));
		jb_string(j, "name", mt->name);
		jb_string(j, "matched", mt->name + mt->match_off);
		evidence_pdns(j, f);
		jb_u64(j, "dest_port", flow_dport(f));
		jb_bool(j, "tls", false);
		jb_string(j, "payload", flow_stratum(f) != NULL ?
		    "jsonrpc_unproven" : "unreadable");
		jb_u64(j, "payload_bytes_toserver", f->c->dir[0].payload_bytes);
		jb_u64(j, "payload_bytes_toclient", f->c->dir[1].payload_bytes);
		break;
	case DET_CRYPTO_NODE:
		jb_string(j, "kind", mining_node_kind_name(mt->node));
		if (mt->name[0] != '\0' &&
		    !(mt->flags & (MT_TLS | MT_PROXY | MT_PDNS)))
			jb_string(j, "detail", mt->name);
		jb_u64(j, "dest_port", flow_dport(f));
		break;
	default:
		break;
	}
}

void
det_mining_put_record(struct jbuf *j, const struct flow *f)
{
	const struct dns_info *di = &f->c->u->dns;
	const struct proxy_info *pi = &f->c->u->proxy.info;
	const char *s;

	if (f->app == APP_DNS) {
		jb_open_object(j, "dns");
		if (di->rrname[0] != '\0') {
			jb_string(j, "rrname", di->rrname);
			if ((s = pdns_type_name(di->rrtype)) != NULL)
				jb_string(j, "rrtype", s);
			else
				jb_u64(j, "rrtype", di->rrtype);
		}
		if (di->response) {
			if ((s = pdns_rcode_name(di->rcode)) != NULL)
				jb_string(j, "rcode", s);
			else
				jb_u64(j, "rcode", di->rcode);
			put_answers(j, di);
			if (di->cname[0] != '\0')
				jb_string(j, "cname", di->cname);
		}
		jb_close_object(j);
	} else if (f->app == APP_PROXY && pi->kind != PROXY_NONE &&
	    pi->requested) {
		jb_open_object(j, "proxy");
		jb_string(j, "kind", proxy_kind_name(pi->kind));
		jb_string(j, "host", pi->host);
		jb_u64(j, "port", pi->port);
		jb_bool(j, "granted", pi->granted);
		jb_close_object(j);
	}
}
