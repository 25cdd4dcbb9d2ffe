/*
 * flow.c - the bidirectional flow table (see flow.h).
 *
 * Owns the array of hot flows, the parallel array of their cold parts and
 * a bucket array, all allocated in flow_table_new() and never resized
 * (mapped zeroed, util_map_array: pages are only touched as the table
 * fills).  Lookup hashes the symmetric key a 64-bit word at a time with
 * a per-run random seed (so crafted traffic cannot aim at one bucket);
 * the seed never reaches any output, so replays stay byte-identical.
 * Buckets are open addressing with linear probing, {hash, flow index}
 * pairs, at most half full: a lookup reads one line of buckets, then the
 * flow's first line (its key) only when the hash matches.  Removal
 * shifts the run back (no tombstones).  Idle lists per timeout class and
 * the report list are intrusive doubly linked lists of 32-bit flow
 * indices (index + 1, 0 = none), newest at the head.  A small
 * direct-mapped table of recently evicted keys (fixed size, overwritten
 * on collision) keeps the initiator of established flows thrown out
 * under pressure.  Never allocates after creation, never logs per
 * packet.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <netinet/in.h>

#include "dissect.h"
#include "flow.h"
#include "log.h"
#include "util.h"

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
	uint32_t	head;		/* flow index + 1, 0 = empty */
	uint32_t	tail;
};

struct flow_bucket {
	uint32_t	hash;
	uint32_t	idx;		/* flow index + 1, 0 = empty */
};

struct flow_table {
	struct flow	*flows;		/* capacity entries (hot) */
	struct flow_cold *colds;	/* capacity entries, flows[i].c */
	uint32_t	 capacity;
	uint32_t	 active;
	uint32_t	 free;		/* free list through idle_next */
	uint32_t	 fresh;		/* flows[fresh..] never used yet */
	struct flow_bucket *buckets;
	uint32_t	 nbuckets;	/* power of two, >= 1.5 * capacity */
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

/* The 64x64->128 multiply folded to 64 bits (wyhash's mixing step). */
static inline uint64_t
mix(uint64_t a, uint64_t b)
{
	__uint128_t r = (__uint128_t)a * b;

	return (uint64_t)r ^ (uint64_t)(r >> 64);
}

/* The lookup hash: the 40-byte key as five words, seeded. */
static inline uint32_t
key_hash(const struct flow_key *k, uint64_t seed)
{
	uint64_t w[5];

	_Static_assert(sizeof(*k) == sizeof(w), "flow_key is five words");
	memcpy(w, k, sizeof(w));
	return (uint32_t)mix(mix(w[0] ^ seed ^ 0xa0761d6478bd642fULL,
	    w[1] ^ 0xe7037ed1a0b428dbULL) ^ w[2],
	    mix(w[3] ^ 0x8ebc6af09c88c6e3ULL, w[4] ^ seed));
}

/* FNV-1a over the key bytes: only for flow_id, which records keep. */
static uint64_t
key_id_hash(const struct flow_key *k, uint64_t seed)
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

/*
 * Builds the symmetric key: the lower (address, port) end first.  True
 * when the packet's sender is the key's hi end.
 */
static bool
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
	return swapped;
}

static inline struct flow *
flow_at(const struct flow_table *t, uint32_t i)
{
	return i == 0 ? NULL : &t->flows[i - 1];
}

static inline uint32_t
flow_idx(const struct flow_table *t, const struct flow *f)
{
	return (uint32_t)(f - t->flows) + 1;
}

/* The list links of f: the idle list's (hot) or the report list's. */
static inline uint32_t *
link_prev(struct flow *f, bool rep)
{
	return rep ? &f->c->rep_prev : &f->idle_prev;
}

static inline uint32_t *
link_next(struct flow *f, bool rep)
{
	return rep ? &f->c->rep_next : &f->idle_next;
}

static void
list_unlink(struct flow_table *t, struct flow_list *l, struct flow *f,
    bool rep)
{
	uint32_t prev = *link_prev(f, rep), next = *link_next(f, rep);

	if (prev == 0)
		l->head = next;
	else
		*link_next(flow_at(t, prev), rep) = next;
	if (next == 0)
		l->tail = prev;
	else
		*link_prev(flow_at(t, next), rep) = prev;
}

static void
list_push_head(struct flow_table *t, struct flow_list *l, struct flow *f,
    bool rep)
{
	uint32_t i = flow_idx(t, f);

	*link_prev(f, rep) = 0;
	*link_next(f, rep) = l->head;
	if (l->head != 0)
		*link_prev(flow_at(t, l->head), rep) = i;
	l->head = i;
	if (l->tail == 0)
		l->tail = i;
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
	/* Full, the table fills at most 2/3 of the buckets (linear probes). */
	for (t->nbuckets = 1024; t->nbuckets < t->capacity / 2 * 3 &&
	    t->nbuckets < (1u << 30); t->nbuckets <<= 1)
		;
	/* Every lookup lands at random in these: aligned, huge pages. */
	t->flows = util_map_array(t->capacity, sizeof(*t->flows));
	t->colds = util_map_array(t->capacity, sizeof(*t->colds));
	t->buckets = util_map_array(t->nbuckets, sizeof(*t->buckets));
	t->evkeys = calloc(FLOW_EVKEYS, sizeof(*t->evkeys));
	if (t->flows == NULL || t->colds == NULL || t->buckets == NULL ||
	    t->evkeys == NULL)
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
	if (t == NULL)
		return;
	util_unmap_array(t->flows, t->capacity, sizeof(*t->flows));
	util_unmap_array(t->colds, t->capacity, sizeof(*t->colds));
	util_unmap_array(t->buckets, t->nbuckets, sizeof(*t->buckets));
	free(t->evkeys);
	free(t);
}

uint32_t
flow_active(const struct flow_table *t)
{
	return t->active;
}

/* Removes bucket slot i, shifting later members of its run back. */
static void
bucket_remove(struct flow_table *t, uint32_t i)
{
	uint32_t mask = t->nbuckets - 1, j = i, home;

	for (;;) {
		t->buckets[i].idx = 0;
		for (;;) {
			j = (j + 1) & mask;
			if (t->buckets[j].idx == 0)
				return;
			home = t->buckets[j].hash & mask;
			/* Stays unless its home lies cyclically in (i, j]. */
			if (i <= j ? (home <= i || home > j) :
			    (home <= i && home > j))
				break;
		}
		t->buckets[i] = t->buckets[j];
		i = j;
	}
}

/*
 * Removes f from the hash and the lists and returns it to the free list.
 * Its pooled parts, nDPI's state among them, were returned by the end
 * callback.
 */
static void
flow_release(struct flow_table *t, struct flow *f)
{
	uint32_t mask = t->nbuckets - 1, idx = flow_idx(t, f);
	uint32_t i = key_hash(&f->key, t->seed) & mask;

	while (t->buckets[i].idx != 0 && t->buckets[i].idx != idx)
		i = (i + 1) & mask;
	if (t->buckets[i].idx == idx)
		bucket_remove(t, i);
	list_unlink(t, &t->idle[f->fclass], f, false);
	list_unlink(t, &t->rep, f, true);
	f->in_use = false;
	f->idle_next = t->free;
	t->free = idx;
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
	uint32_t hash = key_hash(&f->key, t->seed);
	struct flow_evkey *e = &t->evkeys[hash & (FLOW_EVKEYS - 1)];

	e->key = f->key;
	e->hash = hash;
	e->used = true;
	e->init_lo = !f->init_is_hi;
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
		for (f = flow_at(t, t->idle[c].tail), i = 0; f != NULL &&
		    i < FLOW_EVICT_SCAN; f = flow_at(t, f->idle_prev), i++) {
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

/*
 * flow_id: stable across replays (key and start time), 52 bits like EVE.
 * Neither changes while the flow lives, so it is computed per record
 * rather than kept in every slot.
 */
uint64_t
flow_id(const struct flow *f)
{
	return (key_id_hash(&f->key, 0) ^
	    (f->first_us * 0x9e3779b97f4a7c15ULL)) & 0xfffffffffffffULL;
}

/*
 * A flow evicted under pressure that comes back mid-stream keeps its
 * initiator.  A bare SYN starts a new connection: the memory is dropped.
 */
static void
flow_orient_evicted(struct flow_table *t, struct flow *f,
    const struct packet *pkt, uint32_t hash)
{
	struct flow_evkey *e = evkey_find(t, &f->key, hash);

	if (e == NULL)
		return;
	e->used = false;
	if (pkt->l4_proto == IPPROTO_TCP && pkt->l4_ok &&
	    (pkt->tcp_flags & (TH_SYN | TH_ACK)) == TH_SYN)
		return;
	f->init_is_hi = !e->init_lo;
	f->orient = FO_EVICTED_KEY;
	stats_inc(t->st, ST_FLOWS_ORIENTATION_KEPT);
}

/* Inserts flow index idx with hash into the buckets (never full). */
static void
bucket_insert(struct flow_table *t, uint32_t hash, uint32_t idx)
{
	uint32_t mask = t->nbuckets - 1, i = hash & mask;

	while (t->buckets[i].idx != 0)
		i = (i + 1) & mask;
	t->buckets[i].hash = hash;
	t->buckets[i].idx = idx;
}

/* A cleared flow from the never-used tail, the free list or eviction. */
static struct flow *
flow_alloc(struct flow_table *t, uint64_t now_us)
{
	struct flow *f;
	uint32_t i;

	/*
	 * Untouched flows are taken in order before the free list is
	 * built, so memory is only paged in as the table fills.
	 */
	if (t->free == 0 && t->fresh < t->capacity)
		i = t->fresh++;
	else {
		if (t->free == 0 && !flow_evict_one(t, now_us)) {
			stats_inc(t->st, ST_FLOWS_DROPPED);
			return NULL;
		}
		i = t->free - 1;
		t->free = t->flows[i].idle_next;
	}
	f = &t->flows[i];
	memset(f, 0, sizeof(*f));
	memset(&t->colds[i], 0, sizeof(t->colds[i]));
	f->c = &t->colds[i];
	return f;
}

static struct flow *
flow_create(struct flow_table *t, const struct packet *pkt,
    const struct flow_key *k, bool sender_is_hi, uint32_t hash)
{
	struct flow *f;
	struct flow_cold *c;

	if ((f = flow_alloc(t, pkt->ts_us)) == NULL)
		return NULL;
	c = f->c;
	f->key = *k;
	f->in_use = true;
	/*
	 * Provisionally the sender of the first packet seen (normally the
	 * SYN); without a SYN, orient.c picks the initiator from the
	 * evidence (a SYN-ACK, ports, the first messages) and may swap.
	 */
	f->init_is_hi = sender_is_hi;
	if ((pkt->l4_proto == IPPROTO_ICMP ||
	    pkt->l4_proto == IPPROTO_ICMPV6) && pkt->l4_ok) {
		c->icmp_type = (uint8_t)pkt->sport;
		c->icmp_code = (uint8_t)pkt->dport;
	}
	flow_orient_evicted(t, f, pkt, hash);
	f->proto = pkt->l4_proto;
	c->ip_version = pkt->ip_version;
	c->vlan_count = pkt->vlan_count;
	memcpy(c->vlan, pkt->vlan, sizeof(c->vlan));
	f->syn_seen = pkt->l4_proto == IPPROTO_TCP && pkt->l4_ok &&
	    (pkt->tcp_flags & (TH_SYN | TH_ACK)) == TH_SYN;
	f->first_us = f->last_us = c->reported_us = pkt->ts_us;
	c->u = dissect_none();
	f->fclass = class_of_new(pkt->l4_proto);
	bucket_insert(t, hash, flow_idx(t, f));
	list_push_head(t, &t->idle[f->fclass], f, false);
	list_push_head(t, &t->rep, f, true);
	t->active++;
	t->st->v[ST_FLOWS_ACTIVE] = t->active;
	stats_inc(t->st, ST_FLOWS_CREATED);
	return f;
}

/* The flow with key k, or NULL. */
static struct flow *
flow_find(const struct flow_table *t, const struct flow_key *k,
    uint32_t hash)
{
	uint32_t mask = t->nbuckets - 1, i = hash & mask;
	const struct flow_bucket *b;

	for (b = &t->buckets[i]; b->idx != 0; b = &t->buckets[i]) {
		if (b->hash == hash) {
			/*
			 * The caller reads the cold part next: start that
			 * miss now, alongside the hot part's.
			 */
			__builtin_prefetch(&t->colds[b->idx - 1]);
			if (memcmp(&t->flows[b->idx - 1].key, k,
			    sizeof(*k)) == 0)
				return &t->flows[b->idx - 1];
		}
		i = (i + 1) & mask;
	}
	return NULL;
}

struct flow *
flow_lookup(struct flow_table *t, const struct packet *pkt, int *dir,
    bool *created)
{
	struct flow_key k;
	struct flow *f;
	const struct ip_addr *src;
	uint32_t hash;
	bool sender_is_hi;

	sender_is_hi = key_from_packet(pkt, &k);
	hash = key_hash(&k, t->seed);
	*created = false;
	f = flow_find(t, &k, hash);
	/* A new SYN on a closed connection is a new connection (port reuse). */
	if (f != NULL && f->fclass == FC_TCP_CLOSED && pkt->l4_ok &&
	    (pkt->tcp_flags & (TH_SYN | TH_ACK)) == TH_SYN) {
		flow_end(t, f, f->rst ? FE_RST : FE_FIN, pkt->ts_us);
		f = NULL;
	}
	if (f == NULL) {
		if ((f = flow_create(t, pkt, &k, sender_is_hi, hash)) == NULL)
			return NULL;
		*created = true;
	}
	src = flow_src(f);
	*dir = memcmp(src->b, pkt->src.b, sizeof(src->b)) == 0 &&
	    (!pkt->l4_ok || flow_sport(f) == pkt->sport ||
	    f->proto == IPPROTO_ICMP || f->proto == IPPROTO_ICMPV6) ? 0 : 1;
	/* Same address both ends (loopback): ports decide. */
	if (memcmp(src->b, flow_dst(f)->b, sizeof(src->b)) == 0 && pkt->l4_ok)
		*dir = pkt->sport == flow_sport(f) &&
		    pkt->dport == flow_dport(f) ? 0 : 1;
	return f;
}

static void
flow_set_class(struct flow_table *t, struct flow *f, enum flow_class c)
{
	if (f->fclass == c)
		return;
	list_unlink(t, &t->idle[f->fclass], f, false);
	f->fclass = c;
	list_push_head(t, &t->idle[c], f, false);
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
		f->c->dir[dir].first_us = pkt->ts_us;
	d->pkts++;
	d->bytes += pkt->ip_len;
	if (pkt->payload_len > 0)
		f->c->dir[dir].payload_bytes += pkt->payload_len;
	if (pkt->ts_us > f->last_us)
		f->last_us = pkt->ts_us;
	if (f->proto == IPPROTO_TCP && pkt->l4_ok) {
		d->tcp_flags |= pkt->tcp_flags;
		flow_tcp_state(t, f, pkt, dir);
	}
	/* Most recently seen at the head of its idle list. */
	if (t->idle[f->fclass].head != flow_idx(t, f)) {
		list_unlink(t, &t->idle[f->fclass], f, false);
		list_push_head(t, &t->idle[f->fclass], f, false);
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
		while ((f = flow_at(t, t->idle[c].tail)) != NULL &&
		    now_us > f->last_us + to[c]) {
			enum flow_end why = FE_TIMEOUT;

			if (c == FC_TCP_CLOSED)
				why = f->rst ? FE_RST : FE_FIN;
			flow_end(t, f, why, now_us);
		}
	if (t->active_timeout_us == 0)
		return;
	while ((f = flow_at(t, t->rep.tail)) != NULL &&
	    now_us >= f->c->reported_us + t->active_timeout_us) {
		f->c->reported_us = now_us;
		f->c->updates++;
		stats_inc(t->st, ST_FLOW_UPDATES);
		t->cb(t->cb_arg, f, FE_ACTIVE_TIMEOUT, now_us);
		list_unlink(t, &t->rep, f, true);
		list_push_head(t, &t->rep, f, true);
	}
}

void
flow_flush(struct flow_table *t, enum flow_end why, uint64_t now_us)
{
	struct flow *f;

	/* Oldest first so the output order is stable. */
	while ((f = flow_at(t, t->rep.tail)) != NULL) {
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
