/*
 * flow.c - the bidirectional flow table (see flow.h).
 *
 * Owns one array of flows and a bucket array, both allocated in
 * flow_table_new() and never resized.  Lookup hashes a symmetric key with
 * a per-run random seed (so crafted traffic cannot aim at one bucket);
 * the seed never reaches any output, so replays stay byte-identical.
 * Idle lists per timeout class and the report list are intrusive doubly
 * linked lists, newest at the head.  A small direct-mapped table of
 * recently evicted keys (fixed size, overwritten on collision) keeps the
 * initiator of established flows thrown out under pressure.  Never
 * allocates after creation, never logs per packet.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <netinet/in.h>

#include "flow.h"
#include "log.h"

#define FLOW_EVKEYS		4096	/* evicted keys remembered (2^n) */
#define FLOW_EVICT_SCAN		8	/* flows looked at per idle list */
#define FLOW_EMERG_DIVISOR	10	/* emergency: cheap timeouts / this */
#define FLOW_EMERG_LOW_PCT	80	/* leave emergency below this fill */

/* A recently evicted flow: its key and which end initiated it. */
struct flow_evkey {
	struct flow_key	key;
	uint32_t	hash;
	bool		used;
	bool		init_lo;	/* the initiator is the key's lo end */
};

struct flow_list {
	struct flow	*head;
	struct flow	*tail;
};

struct flow_table {
	struct flow	*flows;		/* capacity entries */
	uint32_t	 capacity;
	uint32_t	 active;
	struct flow	*free;		/* free list through hnext */
	uint32_t	 fresh;		/* flows[fresh..] never used yet */
	struct flow	**buckets;
	uint32_t	 nbuckets;	/* power of two */
	uint64_t	 seed;
	uint64_t	 timeout_us[FC_COUNT];
	uint64_t	 emerg_timeout_us[FC_COUNT];	/* in emergency mode */
	uint64_t	 active_timeout_us;
	bool		 emergency;	/* full: cheap flows age faster */
	struct flow_evkey *evkeys;	/* FLOW_EVKEYS entries */
	struct flow_list idle[FC_COUNT];
	struct flow_list rep;		/* by reported_us, oldest at tail */
	flow_end_cb	 cb;
	void		*cb_arg;
	struct stats	*st;
};

/* FNV-1a over the key bytes, mixed with the seed. */
static uint64_t
key_hash(const struct flow_key *k, uint64_t seed)
{
	const uint8_t *p = (const uint8_t *)k;
	uint64_t h = 0xcbf29ce484222325ULL ^ seed;
	size_t i;

	for (i = 0; i < sizeof(*k); i++) {
		h ^= p[i];
		h *= 0x100000001b3ULL;
	}
	return h ^ (h >> 29);
}

static int
endpoint_cmp(const struct ip_addr *a, uint16_t ap, const struct ip_addr *b,
    uint16_t bp)
{
	int c = memcmp(a->b, b->b, sizeof(a->b));

	if (c != 0)
		return c;
	return (int)ap - (int)bp;
}

/* Builds the symmetric key: the lower (address, port) end first. */
static void
key_from_packet(const struct packet *pkt, struct flow_key *k)
{
	uint16_t sp = pkt->l4_ok ? pkt->sport : 0;
	uint16_t dp = pkt->l4_ok ? pkt->dport : 0;
	bool swapped;

	memset(k, 0, sizeof(*k));	/* padding too: the key is hashed */
	/* ICMP type/code are not ports: keep the pair in one flow. */
	if (pkt->l4_proto == IPPROTO_ICMP || pkt->l4_proto == IPPROTO_ICMPV6)
		sp = dp = 0;
	swapped = endpoint_cmp(&pkt->src, sp, &pkt->dst, dp) > 0;
	k->lo_addr = swapped ? pkt->dst : pkt->src;
	k->hi_addr = swapped ? pkt->src : pkt->dst;
	k->lo_port = swapped ? dp : sp;
	k->hi_port = swapped ? sp : dp;
	k->vlan = pkt->vlan_count > 0 ? pkt->vlan[pkt->vlan_count - 1] : 0;
	k->proto = pkt->l4_proto;
}

static void
list_unlink(struct flow_list *l, struct flow *f, bool rep)
{
	struct flow **prev_next, **next_prev;
	struct flow *prev = rep ? f->rep_prev : f->idle_prev;
	struct flow *next = rep ? f->rep_next : f->idle_next;

	prev_next = prev == NULL ? &l->head :
	    rep ? &prev->rep_next : &prev->idle_next;
	next_prev = next == NULL ? &l->tail :
	    rep ? &next->rep_prev : &next->idle_prev;
	*prev_next = next;
	*next_prev = prev;
}

static void
list_push_head(struct flow_list *l, struct flow *f, bool rep)
{
	if (rep) {
		f->rep_prev = NULL;
		f->rep_next = l->head;
		if (l->head != NULL)
			l->head->rep_prev = f;
	} else {
		f->idle_prev = NULL;
		f->idle_next = l->head;
		if (l->head != NULL)
			l->head->idle_prev = f;
	}
	l->head = f;
	if (l->tail == NULL)
		l->tail = f;
}

void
flow_table_set_config(struct flow_table *t, const struct cfg_flow *fc)
{
	int c;

	t->timeout_us[FC_TCP_SYN] = fc->tcp_syn_timeout * 1000000ULL;
	t->timeout_us[FC_TCP_EST] = fc->tcp_established_timeout * 1000000ULL;
	t->timeout_us[FC_TCP_CLOSED] = fc->tcp_closed_timeout * 1000000ULL;
	t->timeout_us[FC_UDP] = fc->udp_timeout * 1000000ULL;
	t->timeout_us[FC_ICMP] = fc->icmp_timeout * 1000000ULL;
	t->timeout_us[FC_OTHER] = fc->other_timeout * 1000000ULL;
	t->active_timeout_us = fc->active_timeout * 1000000ULL;
	for (c = 0; c < FC_COUNT; c++) {
		t->emerg_timeout_us[c] = t->timeout_us[c];
		if (c == FC_TCP_EST)	/* live connections keep theirs */
			continue;
		t->emerg_timeout_us[c] /= FLOW_EMERG_DIVISOR;
		if (t->emerg_timeout_us[c] < 1000000ULL)
			t->emerg_timeout_us[c] = 1000000ULL;
		if (t->emerg_timeout_us[c] > t->timeout_us[c])
			t->emerg_timeout_us[c] = t->timeout_us[c];
	}
}

struct flow_table *
flow_table_new(const struct cfg_flow *fc, flow_end_cb cb, void *cb_arg,
    struct stats *st)
{
	struct flow_table *t;
	if ((t = calloc(1, sizeof(*t))) == NULL)
		goto fail;
	t->capacity = fc->capacity > 0 ? fc->capacity : 1;
	for (t->nbuckets = 1024; t->nbuckets < t->capacity * 2 &&
	    t->nbuckets < (1u << 30); t->nbuckets <<= 1)
		;
	t->flows = calloc(t->capacity, sizeof(*t->flows));
	t->buckets = calloc(t->nbuckets, sizeof(*t->buckets));
	t->evkeys = calloc(FLOW_EVKEYS, sizeof(*t->evkeys));
	if (t->flows == NULL || t->buckets == NULL || t->evkeys == NULL)
		goto fail;
	if (getrandom(&t->seed, sizeof(t->seed), GRND_NONBLOCK) !=
	    sizeof(t->seed))
		t->seed = 0x9e3779b97f4a7c15ULL;
	flow_table_set_config(t, fc);
	t->cb = cb;
	t->cb_arg = cb_arg;
	t->st = st;
	return t;
fail:
	log_warnx("flow: cannot allocate a table of %u flows", fc->capacity);
	flow_table_free(t);
	return NULL;
}

void
flow_table_free(struct flow_table *t)
{
	uint32_t i;

	if (t == NULL)
		return;
	if (t->flows != NULL)
		for (i = 0; i < t->fresh; i++)
			if (t->flows[i].in_use)
				cls_flow_release(&t->flows[i].cls);
	free(t->flows);
	free(t->buckets);
	free(t->evkeys);
	free(t);
}

uint32_t
flow_active(const struct flow_table *t)
{
	return t->active;
}

/* Removes f from the hash, the lists and returns it to the free list. */
static void
flow_release(struct flow_table *t, struct flow *f)
{
	struct flow **pp = &t->buckets[f->hash & (t->nbuckets - 1)];

	while (*pp != NULL && *pp != f)
		pp = &(*pp)->hnext;
	if (*pp == f)
		*pp = f->hnext;
	list_unlink(&t->idle[f->fclass], f, false);
	list_unlink(&t->rep, f, true);
	cls_flow_release(&f->cls);
	f->in_use = false;
	f->hnext = t->free;
	t->free = f;
	t->active--;
	t->st->v[ST_FLOWS_ACTIVE] = t->active;
}

enum flow_value
flow_value_of(const struct flow *f)
{
	if (f->n_verdicts > 0 ||
	    (f->app != APP_UNKNOWN && f->app != APP_OTHER))
		return FV_APP;
	if (f->dir[1].pkts == 0)
		return FV_UNANSWERED;
	if (f->proto == IPPROTO_TCP && f->fclass == FC_TCP_EST)
		return FV_ESTABLISHED;
	return FV_ANSWERED;
}

/* Remembers who initiated f, so its return keeps the orientation. */
static void
evkey_put(struct flow_table *t, const struct flow *f)
{
	struct flow_evkey *e = &t->evkeys[f->hash & (FLOW_EVKEYS - 1)];

	e->key = f->key;
	e->hash = f->hash;
	e->used = true;
	e->init_lo = memcmp(f->src.b, f->key.lo_addr.b,
	    sizeof(f->src.b)) == 0 && f->sport == f->key.lo_port;
}

/* The slot remembering key k, or NULL. */
static struct flow_evkey *
evkey_find(struct flow_table *t, const struct flow_key *k, uint32_t hash)
{
	struct flow_evkey *e = &t->evkeys[hash & (FLOW_EVKEYS - 1)];

	if (!e->used || e->hash != hash ||
	    memcmp(&e->key, k, sizeof(*k)) != 0)
		return NULL;
	return e;
}

static void
flow_end(struct flow_table *t, struct flow *f, enum flow_end why,
    uint64_t now_us)
{
	static const enum stat_id by_value[FV_COUNT] = {
		ST_FLOWS_EVICTED_UNANSWERED, ST_FLOWS_EVICTED_ANSWERED,
		ST_FLOWS_EVICTED_ESTABLISHED, ST_FLOWS_EVICTED_APP };
	enum flow_value v;

	if (why == FE_EVICTED) {
		v = flow_value_of(f);
		stats_inc(t->st, ST_FLOWS_EVICTED);
		stats_inc(t->st, by_value[v]);
		if (v >= FV_ESTABLISHED)
			evkey_put(t, f);
	} else
		stats_inc(t->st, ST_FLOWS_EXPIRED);
	t->cb(t->cb_arg, f, why, now_us);
	flow_release(t, f);
}

/*
 * The flow to evict: the least valuable of the last FLOW_EVICT_SCAN
 * flows of each idle list, the least recently seen among equals.  An
 * unanswered flow at a list's tail ends the search of that list.
 */
static struct flow *
flow_pick_victim(struct flow_table *t)
{
	struct flow *best = NULL, *f;
	enum flow_value bv = FV_COUNT, v;
	int c, i;

	for (c = 0; c < FC_COUNT; c++) {
		for (f = t->idle[c].tail, i = 0; f != NULL &&
		    i < FLOW_EVICT_SCAN; f = f->idle_prev, i++) {
			v = flow_value_of(f);
			if (v < bv || (v == bv && f->last_us < best->last_us)) {
				best = f;
				bv = v;
			}
			if (v == FV_UNANSWERED)
				break;
		}
	}
	return best;
}

/* Evicts the least valuable flow; the table is in emergency mode. */
static bool
flow_evict_one(struct flow_table *t, uint64_t now_us)
{
	struct flow *victim;

	if (!t->emergency) {
		t->emergency = true;
		stats_inc(t->st, ST_FLOW_EMERGENCY);
	}
	if ((victim = flow_pick_victim(t)) == NULL)
		return false;
	flow_end(t, victim, FE_EVICTED, now_us);
	return true;
}

bool
flow_emergency(const struct flow_table *t)
{
	return t->emergency;
}

static enum flow_class
class_of_new(uint8_t proto)
{
	switch (proto) {
	case IPPROTO_TCP:	return FC_TCP_SYN;
	case IPPROTO_UDP:	return FC_UDP;
	case IPPROTO_ICMP:
	case IPPROTO_ICMPV6:	return FC_ICMP;
	default:		return FC_OTHER;
	}
}

/* flow_id: stable across replays (key and start time), 52 bits like EVE. */
static uint64_t
flow_make_id(const struct flow_key *k, uint64_t first_us)
{
	return (key_hash(k, 0) ^ (first_us * 0x9e3779b97f4a7c15ULL)) &
	    0xfffffffffffffULL;
}

/*
 * A flow evicted under pressure that comes back mid-stream keeps its
 * initiator.  A bare SYN starts a new connection: the memory is dropped.
 */
static void
flow_orient_evicted(struct flow_table *t, struct flow *f,
    const struct packet *pkt)
{
	const struct flow_key *k = &f->key;
	struct flow_evkey *e = evkey_find(t, k, f->hash);

	if (e == NULL)
		return;
	e->used = false;
	if (pkt->l4_proto == IPPROTO_TCP && pkt->l4_ok &&
	    (pkt->tcp_flags & (TH_SYN | TH_ACK)) == TH_SYN)
		return;
	f->src = e->init_lo ? k->lo_addr : k->hi_addr;
	f->dst = e->init_lo ? k->hi_addr : k->lo_addr;
	f->sport = e->init_lo ? k->lo_port : k->hi_port;
	f->dport = e->init_lo ? k->hi_port : k->lo_port;
	f->orient = FO_EVICTED_KEY;
	stats_inc(t->st, ST_FLOWS_ORIENTATION_KEPT);
}

static struct flow *
flow_create(struct flow_table *t, const struct packet *pkt,
    const struct flow_key *k, uint32_t hash)
{
	struct flow *f;

	/*
	 * Untouched flows are taken in order before the free list is
	 * built, so memory is only paged in as the table fills.
	 */
	if (t->free == NULL && t->fresh < t->capacity)
		f = &t->flows[t->fresh++];
	else {
		if (t->free == NULL && !flow_evict_one(t, pkt->ts_us)) {
			stats_inc(t->st, ST_FLOWS_DROPPED);
			return NULL;
		}
		f = t->free;
		t->free = f->hnext;
	}
	memset(f, 0, sizeof(*f));
	f->key = *k;
	f->hash = hash;
	f->in_use = true;
	/*
	 * Provisionally the sender of the first packet seen (normally the
	 * SYN); without a SYN, orient.c picks the initiator from the
	 * evidence (a SYN-ACK, ports, the first messages) and may swap.
	 */
	f->src = pkt->src;
	f->dst = pkt->dst;
	f->sport = pkt->l4_ok ? pkt->sport : 0;
	f->dport = pkt->l4_ok ? pkt->dport : 0;
	if (pkt->l4_proto == IPPROTO_ICMP || pkt->l4_proto == IPPROTO_ICMPV6) {
		f->icmp_type = (uint8_t)f->sport;
		f->icmp_code = (uint8_t)f->dport;
		f->sport = f->dport = 0;
	}
	flow_orient_evicted(t, f, pkt);
	f->proto = pkt->l4_proto;
	f->ip_version = pkt->ip_version;
	f->vlan_count = pkt->vlan_count;
	memcpy(f->vlan, pkt->vlan, sizeof(f->vlan));
	f->syn_seen = pkt->l4_proto == IPPROTO_TCP && pkt->l4_ok &&
	    (pkt->tcp_flags & (TH_SYN | TH_ACK)) == TH_SYN;
	f->first_us = f->last_us = f->reported_us = pkt->ts_us;
	f->id = flow_make_id(k, pkt->ts_us);
	f->fclass = class_of_new(pkt->l4_proto);
	f->hnext = t->buckets[hash & (t->nbuckets - 1)];
	t->buckets[hash & (t->nbuckets - 1)] = f;
	list_push_head(&t->idle[f->fclass], f, false);
	list_push_head(&t->rep, f, true);
	t->active++;
	t->st->v[ST_FLOWS_ACTIVE] = t->active;
	stats_inc(t->st, ST_FLOWS_CREATED);
	return f;
}

struct flow *
flow_lookup(struct flow_table *t, const struct packet *pkt, int *dir,
    bool *created)
{
	struct flow_key k;
	struct flow *f;
	uint32_t hash;

	key_from_packet(pkt, &k);
	hash = (uint32_t)key_hash(&k, t->seed);
	*created = false;
	for (f = t->buckets[hash & (t->nbuckets - 1)]; f != NULL; f = f->hnext)
		if (f->hash == hash && memcmp(&f->key, &k, sizeof(k)) == 0)
			break;
	/* A new SYN on a closed connection is a new connection (port reuse). */
	if (f != NULL && f->fclass == FC_TCP_CLOSED && pkt->l4_ok &&
	    (pkt->tcp_flags & (TH_SYN | TH_ACK)) == TH_SYN) {
		flow_end(t, f, f->rst ? FE_RST : FE_FIN, pkt->ts_us);
		f = NULL;
	}
	if (f == NULL) {
		if ((f = flow_create(t, pkt, &k, hash)) == NULL)
			return NULL;
		*created = true;
	}
	*dir = memcmp(f->src.b, pkt->src.b, sizeof(f->src.b)) == 0 &&
	    (!pkt->l4_ok || f->sport == pkt->sport ||
	    f->proto == IPPROTO_ICMP || f->proto == IPPROTO_ICMPV6) ? 0 : 1;
	/* Same address both ends (loopback): ports decide. */
	if (memcmp(f->src.b, f->dst.b, sizeof(f->src.b)) == 0 && pkt->l4_ok)
		*dir = pkt->sport == f->sport && pkt->dport == f->dport ? 0 : 1;
	return f;
}

static void
flow_set_class(struct flow_table *t, struct flow *f, enum flow_class c)
{
	if (f->fclass == c)
		return;
	list_unlink(&t->idle[f->fclass], f, false);
	f->fclass = c;
	list_push_head(&t->idle[c], f, false);
}

/* TCP state: handshake, established, closed (FIN both ways or RST). */
static void
flow_tcp_state(struct flow_table *t, struct flow *f, const struct packet *pkt,
    int dir)
{
	struct flow_dir *d = &f->dir[dir];

	if (pkt->tcp_flags & TH_RST)
		f->rst = true;
	if (pkt->tcp_flags & TH_FIN)
		d->fin = true;
	if (f->rst || (f->dir[0].fin && f->dir[1].fin))
		flow_set_class(t, f, FC_TCP_CLOSED);
	else if (f->fclass == FC_TCP_SYN && f->dir[0].pkts > 0 &&
	    f->dir[1].pkts > 0 && (pkt->tcp_flags & TH_ACK))
		flow_set_class(t, f, FC_TCP_EST);
	/* A mid-stream pickup (no SYN seen) is established once data flows. */
	else if (f->fclass == FC_TCP_SYN && !f->syn_seen &&
	    pkt->payload_len > 0)
		flow_set_class(t, f, FC_TCP_EST);
}

void
flow_update(struct flow_table *t, struct flow *f, const struct packet *pkt,
    int dir)
{
	struct flow_dir *d = &f->dir[dir];

	if (d->pkts == 0)
		d->first_us = pkt->ts_us;
	d->pkts++;
	d->bytes += pkt->ip_len;
	d->payload_bytes += pkt->payload_len;
	if (pkt->ts_us > d->last_us)
		d->last_us = pkt->ts_us;
	if (pkt->ts_us > f->last_us)
		f->last_us = pkt->ts_us;
	if (f->proto == IPPROTO_TCP && pkt->l4_ok) {
		d->tcp_flags |= pkt->tcp_flags;
		flow_tcp_state(t, f, pkt, dir);
	}
	/* Most recently seen at the head of its idle list. */
	if (t->idle[f->fclass].head != f) {
		list_unlink(&t->idle[f->fclass], f, false);
		list_push_head(&t->idle[f->fclass], f, false);
	}
}

/* Serial-number comparison (RFC 1982): a before b. */
static inline bool
seq_lt(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) < 0;
}

bool
flow_tcp_inorder(struct flow *f, const struct packet *pkt, int dir,
    const uint8_t **p, size_t *n)
{
	struct flow_dir *d = &f->dir[dir];
	uint32_t seq = pkt->tcp_seq, len = pkt->payload_len, skip;

	*p = pkt->payload;
	*n = 0;
	if (d->gap)
		return false;
	if (pkt->tcp_flags & TH_SYN) {
		d->next_seq = seq + 1;
		d->seq_known = true;
		seq++;
	}
	if (len == 0)
		return true;
	if (!d->seq_known) {	/* picked up mid-stream: start here */
		d->next_seq = seq;
		d->seq_known = true;
	}
	if (seq_lt(d->next_seq, seq)) {	/* bytes missing before this one */
		d->gap = true;
		return false;
	}
	skip = d->next_seq - seq;
	if (skip >= len)		/* all seen before: retransmission */
		return true;
	*p = pkt->payload + skip;
	*n = len - skip;
	d->next_seq = seq + len;
	return true;
}

void
flow_expire(struct flow_table *t, uint64_t now_us)
{
	const uint64_t *to;
	struct flow *f;
	int c;

	if (t->emergency && (uint64_t)t->active * 100 <
	    (uint64_t)t->capacity * FLOW_EMERG_LOW_PCT)
		t->emergency = false;
	to = t->emergency ? t->emerg_timeout_us : t->timeout_us;
	for (c = 0; c < FC_COUNT; c++)
		while ((f = t->idle[c].tail) != NULL &&
		    now_us > f->last_us + to[c]) {
			enum flow_end why = FE_TIMEOUT;

			if (c == FC_TCP_CLOSED)
				why = f->rst ? FE_RST : FE_FIN;
			flow_end(t, f, why, now_us);
		}
	if (t->active_timeout_us == 0)
		return;
	while ((f = t->rep.tail) != NULL &&
	    now_us >= f->reported_us + t->active_timeout_us) {
		f->reported_us = now_us;
		f->updates++;
		stats_inc(t->st, ST_FLOW_UPDATES);
		t->cb(t->cb_arg, f, FE_ACTIVE_TIMEOUT, now_us);
		list_unlink(&t->rep, f, true);
		list_push_head(&t->rep, f, true);
	}
}

void
flow_flush(struct flow_table *t, enum flow_end why, uint64_t now_us)
{
	struct flow *f;

	/* Oldest first so the output order is stable. */
	while ((f = t->rep.tail) != NULL) {
		enum flow_end w = why;

		if (f->fclass == FC_TCP_CLOSED)
			w = f->rst ? FE_RST : FE_FIN;
		flow_end(t, f, w, now_us);
	}
}

const char *
flow_end_name(enum flow_end why)
{
	static const char *const names[] = {
		"timeout", "active_timeout", "fin", "rst", "eof", "evicted",
		"shutdown" };

	return (unsigned)why < sizeof(names) / sizeof(names[0]) ?
	    names[why] : "unknown";
}

const char *
flow_state_name(const struct flow *f)
{
	if (f->proto != IPPROTO_TCP)
		return f->dir[1].pkts > 0 ? "established" : "new";
	switch (f->fclass) {
	case FC_TCP_SYN:	return "new";
	case FC_TCP_CLOSED:	return "closed";
	default:		return "established";
	}
}
