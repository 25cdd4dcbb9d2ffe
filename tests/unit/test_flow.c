/*
 * test_flow.c - the flow table: symmetric keys, initiator choice, VLAN in
 * the key, per-direction counters, TCP state, idle and active timeouts in
 * packet time, eviction at the cap, in-order TCP payload, flush order.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <netinet/in.h>
#include <cmocka.h>

#include "cidr.h"
#include "flow.h"

struct ended {
	int		n;
	enum flow_end	why[64];
	uint16_t	sport[64];
	uint64_t	pkts[64];
};

static void
on_end(void *arg, struct flow *f, enum flow_end why, uint64_t now)
{
	struct ended *e = arg;

	(void)now;
	if (e->n < 64) {
		e->why[e->n] = why;
		e->sport[e->n] = flow_sport(f);
		e->pkts[e->n] = f->dir[0].pkts + f->dir[1].pkts;
	}
	e->n++;
}

static struct cfg_flow
small_cfg(uint32_t cap)
{
	struct cfg_flow fc = {
		.capacity = cap, .tcp_syn_timeout = 30,
		.tcp_established_timeout = 600, .tcp_closed_timeout = 10,
		.udp_timeout = 60, .icmp_timeout = 30, .other_timeout = 60,
		.active_timeout = 300, .ndpi_max_packets = 8 };

	return fc;
}

/* A TCP packet a:ap -> b:bp with flags at t seconds. */
static struct packet
tcp(const char *a, uint16_t ap, const char *b, uint16_t bp, uint8_t flags,
    double t)
{
	struct packet p;

	memset(&p, 0, sizeof(p));
	assert_int_equal(ip_addr_parse(a, &p.src), 0);
	assert_int_equal(ip_addr_parse(b, &p.dst), 0);
	p.ip_version = 4;
	p.l4_proto = IPPROTO_TCP;
	p.l4_ok = true;
	p.sport = ap;
	p.dport = bp;
	p.tcp_flags = flags;
	p.ip_len = 40;
	p.ts_us = (uint64_t)(t * 1e6) + 1767225600000000ULL;
	return p;
}

static void
test_symmetric_and_initiator(void **state)
{
	struct cfg_flow fc = small_cfg(16);
	struct ended e = { 0 };
	struct stats st = { 0 };
	struct flow_table *t = flow_table_new(&fc, on_end, &e, &st);
	struct packet syn = tcp("10.20.0.5", 40000, "198.51.100.9", 80, TH_SYN, 0);
	struct packet sa = tcp("198.51.100.9", 80, "10.20.0.5", 40000,
	    TH_SYN | TH_ACK, 0.03);
	struct flow *f1, *f2;
	bool created;
	int dir;

	(void)state;
	f1 = flow_lookup(t, &syn, &dir, &created);
	assert_non_null(f1);
	assert_true(created);
	assert_int_equal(dir, 0);
	flow_update(t, f1, &syn, dir);
	f2 = flow_lookup(t, &sa, &dir, &created);
	assert_ptr_equal(f1, f2);
	assert_false(created);
	assert_int_equal(dir, 1);
	flow_update(t, f2, &sa, dir);
	assert_int_equal(flow_sport(f1), 40000);
	assert_int_equal(flow_dport(f1), 80);
	assert_int_equal(f1->dir[0].pkts, 1);
	assert_int_equal(f1->dir[1].pkts, 1);
	assert_int_equal(st.v[ST_FLOWS_CREATED], 1);
	flow_table_free(t);
}

static void
test_first_packet_sender_initiates(void **state)
{
	struct cfg_flow fc = small_cfg(16);
	struct ended e = { 0 };
	struct stats st = { 0 };
	struct flow_table *t = flow_table_new(&fc, on_end, &e, &st);
	/* The SYN was not captured: the first packet's sender is the
	 * initiator (README contract, as tshark's conversation A). */
	struct packet sa = tcp("198.51.100.9", 80, "10.20.0.5", 40000,
	    TH_SYN | TH_ACK, 0);
	struct flow *f;
	bool created;
	int dir;

	(void)state;
	f = flow_lookup(t, &sa, &dir, &created);
	assert_int_equal(flow_sport(f), 80);
	assert_int_equal(flow_dport(f), 40000);
	assert_int_equal(dir, 0);
	flow_table_free(t);
}

/*
 * The initiator's and responder's ends are read from the key through
 * init_is_hi: for every shape of key they must be the first packet's
 * sender and receiver as sent, with ports only where the key has them,
 * and the reply must find the same flow the other way round.
 */
static void
test_endpoints_from_key(void **state)
{
	static const struct {
		const char	*a, *b;		/* first packet: a -> b */
		uint16_t	 ap, bp;	/* as decoded (ICMP: type, code) */
		uint8_t		 proto;
		bool		 l4_ok;
		uint16_t	 sport, dport;	/* the flow's */
		int		 reply_dir;	/* of the packet b -> a */
	} cs[] = {
		{ "10.0.0.1", "10.0.0.2", 40000, 80, IPPROTO_TCP, true,
		    40000, 80, 1 },			/* sender is lo */
		{ "198.51.100.9", "10.0.0.5", 80, 40000, IPPROTO_TCP, true,
		    80, 40000, 1 },			/* sender is hi */
		{ "2001:db8::9", "2001:db8::1", 5000, 443, IPPROTO_UDP, true,
		    5000, 443, 1 },			/* IPv6, sender hi */
		{ "127.0.0.1", "127.0.0.1", 50000, 6379, IPPROTO_TCP, true,
		    50000, 6379, 1 },			/* one address */
		{ "127.0.0.1", "127.0.0.1", 7000, 7000, IPPROTO_UDP, true,
		    7000, 7000, 0 },			/* one (addr, port) */
		{ "10.0.0.9", "10.0.0.1", 8, 0, IPPROTO_ICMP, true,
		    0, 0, 1 },				/* echo: no ports */
		{ "10.0.0.9", "10.0.0.1", 0, 0, 47, false, 0, 0, 1 }, /* GRE */
		{ "10.0.0.9", "10.0.0.1", 1234, 53, IPPROTO_UDP, false,
		    0, 0, 1 },				/* a fragment */
	};
	struct cfg_flow fc = small_cfg(16);
	struct ended e = { 0 };
	struct stats st = { 0 };
	struct flow_table *t = flow_table_new(&fc, on_end, &e, &st);
	struct packet p, r;
	struct flow *f;
	bool created;
	size_t i;
	int dir;

	(void)state;
	for (i = 0; i < sizeof(cs) / sizeof(cs[0]); i++) {
		p = tcp(cs[i].a, cs[i].ap, cs[i].b, cs[i].bp, TH_ACK, i);
		p.l4_proto = cs[i].proto;
		p.l4_ok = cs[i].l4_ok;
		f = flow_lookup(t, &p, &dir, &created);
		assert_non_null(f);
		assert_true(created);
		assert_int_equal(dir, 0);
		assert_memory_equal(flow_src(f), &p.src, sizeof(p.src));
		assert_memory_equal(flow_dst(f), &p.dst, sizeof(p.dst));
		assert_int_equal(flow_sport(f), cs[i].sport);
		assert_int_equal(flow_dport(f), cs[i].dport);
		if (cs[i].proto == IPPROTO_ICMP)
			assert_int_equal(f->c->icmp_type, cs[i].ap);
		r = tcp(cs[i].b, cs[i].bp, cs[i].a, cs[i].ap, TH_ACK, i);
		r.l4_proto = cs[i].proto;
		r.l4_ok = cs[i].l4_ok;
		if (cs[i].proto == IPPROTO_ICMP)
			r.sport = 0;			/* echo reply */
		assert_ptr_equal(flow_lookup(t, &r, &dir, &created), f);
		assert_false(created);
		assert_int_equal(dir, cs[i].reply_dir);
	}
	assert_int_equal(st.v[ST_FLOWS_CREATED], i);
	flow_table_free(t);
}

static void
test_vlan_splits_flows(void **state)
{
	struct cfg_flow fc = small_cfg(16);
	struct ended e = { 0 };
	struct stats st = { 0 };
	struct flow_table *t = flow_table_new(&fc, on_end, &e, &st);
	struct packet a = tcp("10.20.0.5", 1, "198.51.100.9", 2, TH_SYN, 0);
	struct packet b = a;
	bool created;
	int dir;

	(void)state;
	b.vlan[0] = 100;
	b.vlan_count = 1;
	assert_ptr_not_equal(flow_lookup(t, &a, &dir, &created),
	    flow_lookup(t, &b, &dir, &created));
	assert_int_equal(flow_active(t), 2);
	flow_table_free(t);
}

static void
test_timeouts_packet_time(void **state)
{
	struct cfg_flow fc = small_cfg(16);
	struct ended e = { 0 };
	struct stats st = { 0 };
	struct flow_table *t = flow_table_new(&fc, on_end, &e, &st);
	struct packet p = tcp("10.20.0.5", 1, "198.51.100.9", 2, TH_SYN, 0);
	struct packet u = p;
	struct flow *f;
	bool created;
	int dir;

	(void)state;
	u.l4_proto = IPPROTO_UDP;
	u.tcp_flags = 0;
	f = flow_lookup(t, &p, &dir, &created);
	flow_update(t, f, &p, dir);
	f = flow_lookup(t, &u, &dir, &created);
	flow_update(t, f, &u, dir);
	/* 29 s: nothing; 31 s: the half-open TCP flow; 61 s: the UDP one. */
	flow_expire(t, p.ts_us + 29000000ULL);
	assert_int_equal(e.n, 0);
	flow_expire(t, p.ts_us + 31000000ULL);
	assert_int_equal(e.n, 1);
	assert_int_equal(e.why[0], FE_TIMEOUT);
	flow_expire(t, p.ts_us + 61000000ULL);
	assert_int_equal(e.n, 2);
	assert_int_equal(flow_active(t), 0);
	flow_table_free(t);
}

static void
test_fin_rst_and_active(void **state)
{
	struct cfg_flow fc = small_cfg(16);
	struct ended e = { 0 };
	struct stats st = { 0 };
	struct flow_table *t = flow_table_new(&fc, on_end, &e, &st);
	struct packet pk[] = {
		tcp("10.20.0.5", 1, "198.51.100.9", 2, TH_SYN, 0),
		tcp("198.51.100.9", 2, "10.20.0.5", 1, TH_SYN | TH_ACK, 0.1),
		tcp("10.20.0.5", 1, "198.51.100.9", 2, TH_ACK, 0.2),
		tcp("10.20.0.5", 1, "198.51.100.9", 2, TH_ACK, 400),
		tcp("10.20.0.5", 1, "198.51.100.9", 2, TH_FIN | TH_ACK, 700),
		tcp("198.51.100.9", 2, "10.20.0.5", 1, TH_FIN | TH_ACK, 700.1),
	};
	struct flow *f;
	bool created;
	size_t i;
	int dir;

	(void)state;
	for (i = 0; i < sizeof(pk) / sizeof(pk[0]); i++) {
		flow_expire(t, pk[i].ts_us);
		f = flow_lookup(t, &pk[i], &dir, &created);
		flow_update(t, f, &pk[i], dir);
	}
	/* 300 s after the start an update record; then again at 700. */
	assert_true(e.n >= 1);
	assert_int_equal(e.why[0], FE_ACTIVE_TIMEOUT);
	assert_string_equal(flow_state_name(f), "closed");
	flow_expire(t, pk[5].ts_us + 11000000ULL);
	assert_int_equal(e.why[e.n - 1], FE_FIN);
	assert_int_equal(e.pkts[e.n - 1], 6);
	assert_int_equal(flow_active(t), 0);
	flow_table_free(t);
}

static void
test_eviction_at_cap(void **state)
{
	struct cfg_flow fc = small_cfg(4);
	struct ended e = { 0 };
	struct stats st = { 0 };
	struct flow_table *t = flow_table_new(&fc, on_end, &e, &st);
	struct packet p;
	struct flow *f;
	bool created;
	int dir, i;

	(void)state;
	for (i = 0; i < 6; i++) {
		p = tcp("10.20.0.5", (uint16_t)(1000 + i), "198.51.100.9", 80,
		    TH_SYN, i);
		f = flow_lookup(t, &p, &dir, &created);
		assert_non_null(f);
		flow_update(t, f, &p, dir);
	}
	assert_int_equal(flow_active(t), 4);
	assert_int_equal(st.v[ST_FLOWS_EVICTED], 2);
	/* The least recently seen went first. */
	assert_int_equal(e.why[0], FE_EVICTED);
	assert_int_equal(e.sport[0], 1000);
	assert_int_equal(e.sport[1], 1001);
	flow_flush(t, FE_EOF, p.ts_us);
	assert_int_equal(flow_active(t), 0);
	assert_int_equal(e.why[e.n - 1], FE_EOF);
	flow_table_free(t);
}

static void
test_tcp_inorder(void **state)
{
	struct cfg_flow fc = small_cfg(4);
	struct ended e = { 0 };
	struct stats st = { 0 };
	struct flow_table *t = flow_table_new(&fc, on_end, &e, &st);
	static const uint8_t data[] = "0123456789";
	struct packet p = tcp("10.20.0.5", 1, "198.51.100.9", 2, TH_SYN, 0);
	const uint8_t *out;
	struct flow *f;
	size_t n;
	bool created;
	int dir;

	(void)state;
	p.tcp_seq = 99;
	f = flow_lookup(t, &p, &dir, &created);
	assert_true(flow_tcp_inorder(f, &p, dir, &out, &n));
	p.tcp_flags = TH_ACK;
	p.tcp_seq = 100;
	p.payload = data;
	p.payload_len = 6;
	assert_true(flow_tcp_inorder(f, &p, dir, &out, &n));
	assert_int_equal(n, 6);
	/* A retransmission overlapping by 4 gives the 2 new bytes. */
	p.tcp_seq = 102;
	assert_true(flow_tcp_inorder(f, &p, dir, &out, &n));
	assert_int_equal(n, 2);
	assert_memory_equal(out, data + 4, 2);
	/* A pure retransmission gives nothing. */
	p.tcp_seq = 100;
	assert_true(flow_tcp_inorder(f, &p, dir, &out, &n));
	assert_int_equal(n, 0);
	/* A hole stops dissection for good. */
	p.tcp_seq = 200;
	assert_false(flow_tcp_inorder(f, &p, dir, &out, &n));
	p.tcp_seq = 108;
	assert_false(flow_tcp_inorder(f, &p, dir, &out, &n));
	flow_table_free(t);
}

static void
test_port_reuse_new_flow(void **state)
{
	struct cfg_flow fc = small_cfg(8);
	struct ended e = { 0 };
	struct stats st = { 0 };
	struct flow_table *t = flow_table_new(&fc, on_end, &e, &st);
	struct packet pk[] = {
		tcp("10.20.0.5", 1, "198.51.100.9", 2, TH_SYN, 0),
		tcp("198.51.100.9", 2, "10.20.0.5", 1, TH_RST | TH_ACK, 0.1),
		tcp("10.20.0.5", 1, "198.51.100.9", 2, TH_SYN, 1),
	};
	struct flow *f = NULL, *first = NULL;
	bool created;
	size_t i;
	int dir;

	(void)state;
	for (i = 0; i < 3; i++) {
		f = flow_lookup(t, &pk[i], &dir, &created);
		if (i == 0)
			first = f;
		flow_update(t, f, &pk[i], dir);
	}
	/* The refused attempt ended with rst; the retry is a new flow. */
	assert_int_equal(e.n, 1);
	assert_int_equal(e.why[0], FE_RST);
	assert_true(created);
	assert_int_equal(f->dir[0].pkts, 1);
	assert_int_equal(st.v[ST_FLOWS_CREATED], 2);
	(void)first;
	flow_table_free(t);
}

/* Feeds one packet; returns its flow. */
static struct flow *
feed(struct flow_table *t, struct packet p, int *dir)
{
	struct flow *f;
	bool created;

	f = flow_lookup(t, &p, dir, &created);
	assert_non_null(f);
	flow_update(t, f, &p, *dir);
	return f;
}

/* A three-way handshake client:cp -> 198.51.100.9:80 at t. */
static struct flow *
handshake(struct flow_table *t, const char *client, uint16_t cp, double at)
{
	int dir;

	feed(t, tcp(client, cp, "198.51.100.9", 80, TH_SYN, at), &dir);
	feed(t, tcp("198.51.100.9", 80, client, cp, TH_SYN | TH_ACK,
	    at + 0.01), &dir);
	return feed(t, tcp(client, cp, "198.51.100.9", 80, TH_ACK,
	    at + 0.02), &dir);
}

/*
 * Under pressure SYN-only flows go first, even when an established flow
 * is the least recently seen; evictions are counted by class.
 */
static void
test_eviction_by_value(void **state)
{
	struct cfg_flow fc = small_cfg(4);
	struct ended e = { 0 };
	struct stats st = { 0 };
	struct flow_table *t = flow_table_new(&fc, on_end, &e, &st);
	struct flow *est;
	int dir, i;

	(void)state;
	est = handshake(t, "10.20.0.5", 40000, 0);
	assert_int_equal(flow_value_of(est), FV_ESTABLISHED);
	for (i = 0; i < 10; i++)
		feed(t, tcp("203.0.113.7", (uint16_t)(1000 + i), "10.20.0.6",
		    22, TH_SYN, 1 + i * 0.001), &dir);
	assert_int_equal(flow_active(t), 4);
	assert_int_equal(st.v[ST_FLOWS_EVICTED], 7);
	assert_int_equal(st.v[ST_FLOWS_EVICTED_UNANSWERED], 7);
	assert_int_equal(st.v[ST_FLOWS_EVICTED_ESTABLISHED], 0);
	assert_int_equal(st.v[ST_FLOW_EMERGENCY], 1);
	assert_true(flow_emergency(t));
	for (i = 0; i < e.n; i++)
		assert_int_not_equal(e.sport[i], 40000);
	/* Emergency: SYN-only flows time out after 30 s / 10, not 30 s. */
	flow_expire(t, est->last_us + 4500000);
	assert_int_equal(flow_active(t), 1);
	assert_int_equal(st.v[ST_FLOWS_EXPIRED], 3);
	flow_expire(t, est->last_us + 4600000);
	assert_false(flow_emergency(t));
	flow_table_free(t);
}

/*
 * An established flow evicted under pressure that comes back mid-stream
 * from the server's side keeps its client as initiator.
 */
static void
test_evicted_key_keeps_orientation(void **state)
{
	struct cfg_flow fc = small_cfg(16);
	struct ended e = { 0 };
	struct stats st = { 0 };
	struct flow_table *t = flow_table_new(&fc, on_end, &e, &st);
	struct flow *f;
	char a[64];
	int dir, i;

	(void)state;
	for (i = 0; i < 16; i++)
		handshake(t, "10.20.0.5", (uint16_t)(40000 + i), i);
	/* One more: the oldest established flow (port 40000) goes. */
	handshake(t, "10.20.0.7", 50000, 20);
	assert_int_equal(st.v[ST_FLOWS_EVICTED_ESTABLISHED], 1);
	assert_int_equal(e.sport[0], 40000);
	/* The pool speaks first when it comes back. */
	f = feed(t, tcp("198.51.100.9", 80, "10.20.0.5", 40000,
	    TH_ACK | TH_PUSH, 21), &dir);
	assert_int_equal(dir, 1);
	assert_string_equal(ip_addr_format(flow_src(f), a, sizeof(a)),
	    "10.20.0.5");
	assert_int_equal(flow_sport(f), 40000);
	assert_int_equal(flow_dport(f), 80);
	assert_int_equal(f->orient, FO_EVICTED_KEY);
	assert_int_equal(st.v[ST_FLOWS_ORIENTATION_KEPT], 1);
	/* A flow never evicted takes the first packet's sender. */
	f = feed(t, tcp("198.51.100.9", 80, "10.20.0.8", 1234, TH_ACK, 22),
	    &dir);
	assert_int_not_equal(f->orient, FO_EVICTED_KEY);
	assert_string_equal(ip_addr_format(flow_src(f), a, sizeof(a)),
	    "198.51.100.9");
	flow_table_free(t);
}

/*
 * The hot part stays within two cache lines with the key first (a lookup
 * reads the buckets, then one line of the flow); the cold part is
 * printed so its growth shows in the test log, and kept at 112 bytes
 * (the mining detectors' track is pooled: a pointer here; the endpoints
 * and flow_id are read from the key; nDPI's state is an index).
 */
static void
test_hot_size(void **state)
{
	(void)state;
	print_message("sizeof(struct flow) %zu (hot), sizeof(struct flow_cold)"
	    " %zu, sizeof(struct flow_key) %zu\n", sizeof(struct flow),
	    sizeof(struct flow_cold), sizeof(struct flow_key));
	assert_true(sizeof(struct flow) <= 128);
	assert_int_equal(offsetof(struct flow, key), 0);
	assert_true(offsetof(struct flow, last_us) + 8 <= 64);
	assert_true(sizeof(struct flow_cold) <= 112);
}

/*
 * A small table churned through many more flows than it holds: eviction
 * and re-insertion move buckets around (removal shifts runs back), and
 * every flow still in the table is found again, none twice.
 */
static void
test_buckets_churn(void **state)
{
	struct cfg_flow fc = small_cfg(64);
	struct ended e = { 0 };
	struct stats st = { 0 };
	struct flow_table *t = flow_table_new(&fc, on_end, &e, &st);
	struct packet p;
	struct flow *f, *g;
	bool created;
	int dir, i, j;

	(void)state;
	for (i = 0; i < 5000; i++) {
		p = tcp("10.20.0.5", (uint16_t)(1024 + i), "198.51.100.9", 443,
		    TH_SYN, i * 0.001);
		f = flow_lookup(t, &p, &dir, &created);
		assert_non_null(f);
		assert_true(created);
		flow_update(t, f, &p, dir);
		/* The newest 32 are all still there, each found once. */
		for (j = i > 31 ? i - 31 : 0; j <= i; j++) {
			p = tcp("198.51.100.9", 443, "10.20.0.5",
			    (uint16_t)(1024 + j), TH_SYN | TH_ACK, i * 0.001);
			g = flow_lookup(t, &p, &dir, &created);
			assert_false(created);
			assert_int_equal(dir, 1);
			assert_int_equal(flow_sport(g), 1024 + j);
		}
		assert_true(flow_active(t) <= 64);
	}
	assert_int_equal(st.v[ST_FLOWS_CREATED], 5000);
	assert_int_equal(st.v[ST_FLOWS_EVICTED], 5000 - 64);
	flow_flush(t, FE_EOF, 0);
	assert_int_equal(flow_active(t), 0);
	flow_table_free(t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hot_size),
		cmocka_unit_test(test_buckets_churn),
		cmocka_unit_test(test_symmetric_and_initiator),
		cmocka_unit_test(test_first_packet_sender_initiates),
		cmocka_unit_test(test_endpoints_from_key),
		cmocka_unit_test(test_vlan_splits_flows),
		cmocka_unit_test(test_timeouts_packet_time),
		cmocka_unit_test(test_fin_rst_and_active),
		cmocka_unit_test(test_eviction_at_cap),
		cmocka_unit_test(test_tcp_inorder),
		cmocka_unit_test(test_port_reuse_new_flow),
		cmocka_unit_test(test_eviction_by_value),
		cmocka_unit_test(test_evicted_key_keeps_orientation),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
