/*
 * test_det_mining.c - unit tests for the mining detectors beyond Stratum
 * (sensor/det_mining.c, sensor/mining_node.c, sensor/mining_track.c):
 * the `mining:` config section, SNI and passive-DNS pool matches, the
 * TLS cadence heuristic, DNS flow records, crypto node signatures and
 * the pool of per-flow tracks.
 *
 * Flows are built by hand (a zeroed struct flow with addresses, ports
 * and times) and fed synthetic payload through det_mining_packet(), the
 * way sensor.c does; the verdict bits come from the detector registry's
 * checks (det_check), restricted to this module's rows.
 * Cadence sessions are generated with a fixed seed: a miner (client
 * shares at its own pace, server jobs pushed every 30-60 s, small
 * records), a keepalive session (client ping answered at once), a bulk
 * session (server pushes 50 KB), a short session and one on port 443.
 * Tracks come from a pool as in the sensor: only flows something was
 * found for take one, and an empty pool is counted, never fatal.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>

#include "flow_fix.h"
#include "cfg.h"
#include "cidr.h"
#include "det_mining.h"
#include "detect.h"
#include "flow.h"
#include "json.h"
#include "mining_node.h"
#include "slab.h"
#include "util.h"
#include "yconf.h"

#define SEC	1000000ULL
#define T0	(1767484800ULL * SEC)

static const char base_cfg[] =
    "lists:\n"
    "  mining_pools: [supportxmr.com, xmr.pool.minergate.com]\n";

struct collect {
	char		all[8192];
	unsigned	n;
};

static struct collect col;

static void
collect_fn(void *arg, const char *msg)
{
	struct collect *c = arg;
	size_t len = strlen(c->all);

	snprintf(c->all + len, sizeof(c->all) - len, "%s\n", msg);
	c->n++;
}

static struct cfg *
load(const char *text)
{
	struct yconf_errs e;

	memset(&col, 0, sizeof(col));
	memset(&e, 0, sizeof(e));
	e.fn = collect_fn;
	e.arg = &col;
	return cfg_load_string_errs(text, strlen(text), "t.yaml", &e);
}

static void
expect(const char *needle)
{
	if (strstr(col.all, needle) == NULL)
		fail_msg("missing \"%s\" in:\n%s", needle, col.all);
}

static void
test_cfg_section(void **state)
{
	struct cfg *c;

	(void)state;
	c = load(base_cfg);
	assert_non_null(c);
	assert_int_equal(c->mining.pdns_capacity, 65536);
	assert_true(cfg_mining_port(&c->mining, 3333));
	assert_true(cfg_mining_port(&c->mining, 14433));
	assert_false(cfg_mining_port(&c->mining, 443));
	cfg_free(c);
	c = load("mining:\n  pdns_capacity: 1024\n  pdns_ttl_min: 60\n"
	    "  ports: [443, 8443]\n  cadence_min_seconds: 120\n");
	assert_non_null(c);
	assert_int_equal(c->mining.pdns_capacity, 1024);
	assert_int_equal(c->mining.pdns_ttl_min, 60);
	assert_int_equal(c->mining.n_ports, 2);
	assert_true(cfg_mining_port(&c->mining, 8443));
	assert_false(cfg_mining_port(&c->mining, 3333));
	assert_int_equal(c->mining.cadence_min_seconds, 120);
	cfg_free(c);
	c = load("mining:\n  pdns_capacty: 1\n");
	assert_null(c);
	expect("t.yaml:2:3:");
	expect("pdns_capacty");
	c = load("mining:\n  ports: [3333, 70000]\n  pdns_capacity: 1\n");
	assert_null(c);
	assert_int_equal(col.n, 2);
	expect("t.yaml:2:17:");
	expect("t.yaml:3:18:");
	c = load("mining:\n  ports: 3333\n");
	assert_null(c);
	expect("expected a sequence");
	c = load("mining:\n  pdns_ttl_min: 600\n  pdns_ttl_max: 60\n");
	assert_null(c);
	expect("t.yaml:3:17:");
	c = load("mining:\n");
	assert_non_null(c);
	cfg_free(c);
}

struct fixture {
	struct cfg		*c;
	struct det_mining	*d;
	struct dissect		*dis;
	struct slab		*mtracks;	/* as a worker's */
	struct stats		 st;
};

static struct det_ctx
ctx(struct fixture *fx)
{
	return (struct det_ctx){ NULL, fx->d, fx->mtracks, &fx->st };
}

static struct flow *
mkflow(const char *src, const char *dst, uint16_t sport, uint16_t dport,
    uint8_t proto, uint64_t t)
{
	struct flow_fix *x = calloc(1, sizeof(*x));
	struct ip_addr s, d;
	struct flow *f;

	assert_non_null(x);
	f = flow_fix_init(x);
	assert_int_equal(ip_addr_parse(src, &s), 0);
	assert_int_equal(ip_addr_parse(dst, &d), 0);
	flow_fix_ends(f, &s, sport, &d, dport);
	f->proto = proto;
	f->first_us = f->last_us = t;
	det_mining_flow_init(f);
	return f;
}

/* The flow ends: its track back to the pool (sensor_flow_end). */
static void
drop(struct fixture *fx, struct flow *f)
{
	struct det_ctx dc = ctx(fx);

	mining_track_put(&dc, f);
	free(f);
}

/* One payload of n bytes (content p, or filler) at time t. */
static void
feed(struct fixture *fx, struct flow *f, int dir, uint64_t t,
    const void *p, size_t n)
{
	static uint8_t filler[65536];
	struct det_ctx dc;
	struct packet pkt;
	uint8_t *b = malloc(n > 0 ? n : 1);

	assert_non_null(b);
	memcpy(b, p != NULL ? p : filler, n);
	memset(&pkt, 0, sizeof(pkt));
	pkt.ts_us = t;
	f->last_us = t;
	f->dir[dir].pkts++;
	f->c->dir[dir].payload_bytes += n;
	dc = ctx(fx);
	det_mining_packet(&dc, fx->dis, fx->c, f, dir, &pkt, b, n);
	free(b);
}

static uint32_t
check(struct fixture *fx, struct flow *f)
{
	struct det_ctx dc = ctx(fx);
	const uint64_t mine = DET_BIT(DET_MINING_POOL_TLS) |
	    DET_BIT(DET_MINING_POOL_DNS) | DET_BIT(DET_MINING_PROXY) |
	    DET_BIT(DET_CRYPTO_NODE) | DET_BIT(DET_MINING_POOL_IP);

	return (uint32_t)(det_check(&dc, fx->c, f, f->last_us) & mine);
}

static int
setup(void **state)
{
	static struct fixture fx;

	fx.c = load(base_cfg);
	if (fx.c == NULL)
		return -1;
	fx.d = det_mining_new(fx.c);
	fx.dis = dissect_new(4096, 16, &fx.st);
	fx.mtracks = slab_new(64, sizeof(struct mining_track));
	*state = &fx;
	if (fx.d == NULL || fx.dis == NULL || fx.mtracks == NULL)
		return -1;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *fx = *state;

	det_mining_free(fx->d);
	dissect_free(fx->dis);
	slab_free(fx->mtracks);
	cfg_free(fx->c);
	det_mining_free(NULL);
	return 0;
}

/* Response for name (already in wire form) A -> addr, ttl. */
static size_t
dns_resp(uint8_t *b, const char *wire, size_t wl, const uint8_t ip[4],
    uint32_t ttl)
{
	static const uint8_t hdr[12] = { 0x12, 0x34, 0x81, 0x80, 0, 1, 0, 1,
		0, 0, 0, 0 };
	size_t n = 0;

	memcpy(b, hdr, 12);
	n = 12;
	memcpy(b + n, wire, wl);
	n += wl;
	memcpy(b + n, "\x00\x01\x00\x01\xc0\x0c\x00\x01\x00\x01", 10);
	n += 10;
	b[n++] = (uint8_t)(ttl >> 24);
	b[n++] = (uint8_t)(ttl >> 16);
	b[n++] = (uint8_t)(ttl >> 8);
	b[n++] = (uint8_t)ttl;
	b[n++] = 0;
	b[n++] = 4;
	memcpy(b + n, ip, 4);
	return n + 4;
}

static void
test_dns_then_tcp(void **state)
{
	static const char pool[] = "\x04pool\x0asupportxmr\x03" "com";
	static const char other[] = "\x03www\x07" "example\x03org";
	static const uint8_t ip[4] = { 198, 51, 100, 30 };
	static const uint8_t ip2[4] = { 198, 51, 100, 20 };
	/* a TLS record header opening a ClientHello; 8 opaque bytes */
	static const uint8_t hello[] = { 0x16, 0x03, 0x01, 0x00, 0x40, 0x01 };
	static const uint8_t blob[] = { 0x8e, 0x01, 0x77, 0x00, 0x13, 0xc4,
	    0x5a, 0x02 };
	struct fixture *fx = *state;
	struct flow *dns, *tls, *late, *neg, *clear;
	char line[2048];
	struct jbuf j;
	uint8_t b[256];
	size_t n;

	dns = mkflow("10.20.0.10", "198.51.100.53", 40000, 53, IPPROTO_UDP,
	    T0);
	n = dns_resp(b, pool, sizeof(pool), ip, 300);
	feed(fx, dns, 1, T0 + 30000, b, n);
	assert_int_equal(dns->app, APP_DNS);
	assert_int_equal(check(fx, dns), 1u << DET_MINING_POOL_DNS);
	assert_int_equal(det_mining_confidence(dns, DET_MINING_POOL_DNS), 80);
	jb_init(&j, line, sizeof(line));
	jb_open_object(&j, NULL);
	det_mining_put_record(&j, dns);
	det_mining_evidence(&j, dns, DET_MINING_POOL_DNS);
	jb_close_object(&j);
	assert_non_null(strstr(line, "\"dns\":{\"rrname\":\"pool.supportxmr.com\","
	    "\"rrtype\":\"A\",\"rcode\":\"NOERROR\",\"answers\":"
	    "[\"198.51.100.30\"]}"));
	assert_non_null(strstr(line, "\"matched\":\"supportxmr.com\""));
	/* TCP to the answer four minutes later, no SNI: passive DNS */
	tls = mkflow("10.20.0.10", "198.51.100.30", 40001, 443, IPPROTO_TCP,
	    T0 + 240 * SEC);
	feed(fx, tls, 0, T0 + 240 * SEC, NULL, 0);
	/* an address alone names no protocol: wait for the payload */
	assert_int_equal(check(fx, tls), 0);
	feed(fx, tls, 0, T0 + 240 * SEC + 1000, hello, sizeof(hello));
	assert_int_equal(check(fx, tls), 1u << DET_MINING_POOL_TLS);
	assert_int_equal(det_mining_confidence(tls, DET_MINING_POOL_TLS), 85);
	jb_init(&j, line, sizeof(line));
	jb_open_object(&j, NULL);
	det_mining_evidence(&j, tls, DET_MINING_POOL_TLS);
	jb_close_object(&j);
	assert_non_null(strstr(line, "\"how\":\"passive_dns\","
	    "\"name\":\"pool.supportxmr.com\""));
	assert_non_null(strstr(line, "\"ttl_left\":60"));
	/* the same address in clear, bytes that are neither TLS nor JSON */
	clear = mkflow("10.20.0.10", "198.51.100.30", 40004, 3333,
	    IPPROTO_TCP, T0 + 241 * SEC);
	feed(fx, clear, 0, T0 + 241 * SEC, NULL, 0);
	assert_int_equal(check(fx, clear), 0);
	feed(fx, clear, 0, T0 + 241 * SEC + 1000, blob, sizeof(blob));
	assert_int_equal(check(fx, clear), 1u << DET_MINING_POOL_IP);
	assert_int_equal(det_mining_confidence(clear, DET_MINING_POOL_IP), 70);
	jb_init(&j, line, sizeof(line));
	jb_open_object(&j, NULL);
	det_mining_evidence(&j, clear, DET_MINING_POOL_IP);
	jb_close_object(&j);
	assert_non_null(strstr(line, "\"how\":\"passive_dns\","
	    "\"name\":\"pool.supportxmr.com\""));
	assert_non_null(strstr(line, "\"tls\":false,\"payload\":"
	    "\"unreadable\""));
	drop(fx, clear);
	/* after TTL (and the default 300 s floor): nothing */
	late = mkflow("10.20.0.10", "198.51.100.30", 40002, 443, IPPROTO_TCP,
	    T0 + 400 * SEC);
	feed(fx, late, 0, T0 + 400 * SEC, NULL, 0);
	assert_int_equal(check(fx, late), 0);
	/* an ordinary name: no DNS verdict, no TLS verdict later */
	neg = mkflow("10.20.0.10", "198.51.100.53", 40003, 53, IPPROTO_UDP,
	    T0);
	n = dns_resp(b, other, sizeof(other), ip2, 300);
	feed(fx, neg, 1, T0 + 1000, b, n);
	assert_int_equal(check(fx, neg), 0);
	drop(fx, late);
	late = mkflow("10.20.0.10", "198.51.100.20", 40004, 443, IPPROTO_TCP,
	    T0 + 2 * SEC);
	feed(fx, late, 0, T0 + 2 * SEC, NULL, 0);
	assert_int_equal(check(fx, late), 0);
	drop(fx, dns);
	drop(fx, tls);
	drop(fx, late);
	drop(fx, neg);
}

static void
test_sni(void **state)
{
	struct fixture *fx = *state;
	struct flow *f;

	f = mkflow("10.20.0.10", "203.0.113.9", 40010, 14433, IPPROTO_TCP,
	    T0);
	feed(fx, f, 0, T0, NULL, 0);
	assert_int_equal(check(fx, f), 0);
	flow_fix_text(f, CLS_SNI, "XMR.Pool.Minergate.COM");
	assert_int_equal(check(fx, f), 1u << DET_MINING_POOL_TLS);
	assert_int_equal(det_mining_confidence(f, DET_MINING_POOL_TLS), 90);
	drop(fx, f);
	f = mkflow("10.20.0.10", "203.0.113.9", 40011, 443, IPPROTO_TCP, T0);
	flow_fix_text(f, CLS_SNI, "xsupportxmr.com");
	assert_int_equal(check(fx, f), 0);
	drop(fx, f);
}

enum session { S_MINER, S_KEEPALIVE, S_BULK };

/* A TLS session of `minutes` to port; returns the verdict bits. */
static uint32_t
session(struct fixture *fx, enum session kind, uint16_t port, int minutes,
    unsigned seed)
{
	static const uint8_t hello[] = { 0x16, 0x03, 0x01, 0x01, 0x3c, 0x01 };
	uint64_t t = T0, end = T0 + (uint64_t)minutes * 60 * SEC, job, share;
	struct flow *f;
	uint32_t m;

	f = mkflow("10.20.0.10", "203.0.113.40", 40100, port, IPPROTO_TCP, t);
	feed(fx, f, 0, t, hello, sizeof(hello));
	feed(fx, f, 1, t + 40000, NULL, 1400);
	feed(fx, f, 1, t + 40300, NULL, 1100);
	feed(fx, f, 0, t + 41000, NULL, 80);
	feed(fx, f, 0, t + 42000, NULL, 420);		/* login */
	feed(fx, f, 1, t + 90000, NULL, 600);		/* first job */
	job = t + (30 + rand_r(&seed) % 30) * SEC;
	share = t + (5 + rand_r(&seed) % 15) * SEC;
	while (job < end || share < end) {
		if (kind == S_KEEPALIVE) {
			share += 30 * SEC;
			feed(fx, f, 0, share, NULL, 35);
			feed(fx, f, 1, share + 41000, NULL, 35);
			if (share >= end)
				break;
			continue;
		}
		if (job < share) {
			feed(fx, f, 1, job, NULL, kind == S_BULK ? 50000 : 380);
			job += (30 + rand_r(&seed) % 30) * SEC;
		} else {
			feed(fx, f, 0, share, NULL, 210);
			feed(fx, f, 1, share + 41000, NULL, 70);
			share += (3 + rand_r(&seed) % 80) * SEC;
		}
	}
	m = check(fx, f);
	if (m != 0)
		assert_int_equal(det_mining_confidence(f, DET_MINING_POOL_TLS),
		    60);
	drop(fx, f);
	return m;
}

static void
test_cadence(void **state)
{
	struct fixture *fx = *state;
	unsigned seed;

	for (seed = 1; seed <= 20; seed++) {
		assert_int_equal(session(fx, S_MINER, 3333, 20, seed),
		    1u << DET_MINING_POOL_TLS);
		assert_int_equal(session(fx, S_MINER, 14433, 8, seed),
		    1u << DET_MINING_POOL_TLS);
		/* too short to judge */
		assert_int_equal(session(fx, S_MINER, 3333, 3, seed), 0);
		/* not a pool port */
		assert_int_equal(session(fx, S_MINER, 443, 20, seed), 0);
		assert_int_equal(session(fx, S_KEEPALIVE, 3333, 20, seed), 0);
		assert_int_equal(session(fx, S_BULK, 3333, 20, seed), 0);
	}
}

static void
test_node_signatures(void **state)
{
	static const uint8_t btc[24] = { 0x0b, 0x11, 0x09, 0x07, 'v', 'e', 'r',
		's', 'i', 'o', 'n', 0, 0, 0, 0, 0, 0x66, 0, 0, 0 };
	static const uint8_t levin[16] = { 0x01, 0x21, 0x01, 0x01, 0x01, 0x01,
		0x01, 0x01, 0xdc };
	static const char post[] = "POST / HTTP/1.1\r\nHost: n:8545\r\n"
	    "Content-Length: 60\r\n\r\n";
	static const char body[] = "{\"jsonrpc\":\"2.0\", \"method\" : "
	    "\"eth_blockNumber\",\"id\":1}";
	static const char log[] = "{\"ts\":1,\"method\":\"GET\",\"id\":17,"
	    "\"jsonrpc\":\"no\"}\n";
	static const char mpost[] = "POST /json_rpc HTTP/1.1\r\n\r\n"
	    "{\"jsonrpc\":\"2.0\",\"method\":\"get_block_template\"}";
	static const char eth_tls[] = "\x16\x03\x01\x02\x00";
	struct mining_track mt;

	(void)state;
	memset(&mt, 0, sizeof(mt));
	assert_true(mining_node_scan(&mt, 1, btc, sizeof(btc), true));
	assert_int_equal(mt.node, CN_BTC_P2P);
	assert_string_equal(mt.name, "testnet3");
	memset(&mt, 0, sizeof(mt));
	assert_false(mining_node_scan(&mt, 0, btc, 15, true));	/* short */
	memset(&mt, 0, sizeof(mt));
	assert_true(mining_node_scan(&mt, 0, levin, sizeof(levin), true));
	assert_int_equal(mt.node, CN_MONERO_P2P);
	/* headers and body in two packets */
	memset(&mt, 0, sizeof(mt));
	assert_false(mining_node_scan(&mt, 0, (const uint8_t *)post,
	    sizeof(post) - 1, true));
	assert_true(mining_node_scan(&mt, 0, (const uint8_t *)body,
	    sizeof(body) - 1, true));
	assert_int_equal(mt.node, CN_ETH_RPC);
	assert_string_equal(mt.name, "eth_blockNumber");
	/* look-alike log lines: not a POST */
	memset(&mt, 0, sizeof(mt));
	assert_false(mining_node_scan(&mt, 0, (const uint8_t *)log,
	    sizeof(log) - 1, true));
	assert_false(mining_node_scan(&mt, 0, (const uint8_t *)body,
	    sizeof(body) - 1, true));
	memset(&mt, 0, sizeof(mt));
	assert_true(mining_node_scan(&mt, 0, (const uint8_t *)mpost,
	    sizeof(mpost) - 1, false));
	assert_int_equal(mt.node, CN_MONERO_RPC);
	assert_string_equal(mt.name, "");
	assert_string_equal(mining_node_kind_name(CN_MONERO_RPC),
	    "monero_rpc");
	memset(&mt, 0, sizeof(mt));
	assert_false(mining_node_scan(&mt, 0, (const uint8_t *)eth_tls, 5,
	    true));
	assert_true(mining_node_tls(&mt));
}

static void
test_track_size(void **state)
{
	(void)state;
	assert_true(sizeof(struct mining_track) <= 128);
}

static size_t
tracks_in_use(const struct fixture *fx)
{
	struct slab_counts sc;

	slab_counts(fx->mtracks, &sc);
	return sc.in_use;
}

/*
 * Everyday flows take no track; what they read (each side's first bytes,
 * the SNI) is remembered without one, so a node signature later in the
 * stream stays unread as before.  Flows something was found for take
 * one, give it back when they end, and an empty pool is counted.
 */
static void
test_track_pool(void **state)
{
	static const char get[] = "GET / HTTP/1.1\r\nHost: a\r\n\r\n";
	static const uint8_t hello[] = { 0x16, 0x03, 0x01, 0x00, 0x40, 0x01 };
	static const uint8_t btc[24] = { 0xf9, 0xbe, 0xb4, 0xd9, 'v', 'e', 'r',
		's', 'i', 'o', 'n', 0, 0, 0, 0, 0, 0x66, 0, 0, 0 };
	struct fixture *fx = *state;
	struct slab *all = fx->mtracks;
	struct flow *f, *g;
	size_t base = tracks_in_use(fx);
	uint64_t ex = fx->st.v[ST_MINING_TRACK_EXHAUSTED];

	/* HTTP, then a Bitcoin version message mid-stream: not a node */
	f = mkflow("10.20.0.10", "203.0.113.50", 40200, 8333, IPPROTO_TCP, T0);
	feed(fx, f, 0, T0, NULL, 0);
	feed(fx, f, 0, T0 + 1000, get, sizeof(get) - 1);
	feed(fx, f, 1, T0 + 2000, NULL, 200);
	feed(fx, f, 0, T0 + 3000, btc, sizeof(btc));
	assert_int_equal(check(fx, f), 0);
	assert_null(f->c->mt);
	det_mining_flow_swap(f);	/* turned around: still nothing */
	feed(fx, f, 1, T0 + 4000, btc, sizeof(btc));
	assert_int_equal(check(fx, f), 0);
	assert_null(f->c->mt);
	drop(fx, f);
	/* TLS to an ordinary port with an ordinary SNI */
	f = mkflow("10.20.0.10", "203.0.113.51", 40201, 443, IPPROTO_TCP, T0);
	feed(fx, f, 0, T0, hello, sizeof(hello));
	flow_fix_text(f, CLS_SNI, "www.example.org");
	assert_int_equal(check(fx, f), 0);
	assert_null(f->c->mt);
	assert_int_equal(tracks_in_use(fx), base);
	/* the same Bitcoin message first: a node, with a track */
	g = mkflow("10.20.0.10", "203.0.113.50", 40202, 8333, IPPROTO_TCP, T0);
	feed(fx, g, 0, T0, btc, sizeof(btc));
	assert_int_equal(check(fx, g), 1u << DET_CRYPTO_NODE);
	assert_non_null(g->c->mt);
	assert_int_equal(tracks_in_use(fx), base + 1);
	drop(fx, g);
	assert_int_equal(tracks_in_use(fx), base);
	/* a pool of one: the second flow that needs a track goes without */
	fx->mtracks = slab_new(1, sizeof(struct mining_track));
	assert_non_null(fx->mtracks);
	g = mkflow("10.20.0.10", "203.0.113.52", 40203, 3333, IPPROTO_TCP, T0);
	feed(fx, g, 0, T0, NULL, 0);
	assert_non_null(g->c->mt);
	flow_fix_text(f, CLS_SNI, "pool.supportxmr.com");
	f->c->det_flags &= ~(uint32_t)MT_SNI_DONE;
	assert_int_equal(check(fx, f), 0);
	assert_null(f->c->mt);
	assert_int_equal(fx->st.v[ST_MINING_TRACK_EXHAUSTED], ex + 1);
	assert_true(f->c->det_flags & MT_SNI_DONE);
	drop(fx, g);
	drop(fx, f);
	assert_int_equal(tracks_in_use(fx), 0);
	slab_free(fx->mtracks);
	fx->mtracks = all;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cfg_section),
		cmocka_unit_test(test_dns_then_tcp),
		cmocka_unit_test(test_sni),
		cmocka_unit_test(test_cadence),
		cmocka_unit_test(test_node_signatures),
		cmocka_unit_test(test_track_size),
		cmocka_unit_test(test_track_pool),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
