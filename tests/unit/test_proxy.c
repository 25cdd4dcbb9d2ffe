/*
 * test_proxy.c - unit tests for the HTTP CONNECT / SOCKS dissector
 * (sensor/proxy.c).
 *
 * Each conversation is a list of payloads with their direction (0 =
 * client, 1 = proxy).  It is fed whole, then with every payload split at
 * every byte offset, then byte by byte; the result (kind, host, port,
 * granted) must be the same each time.  Pieces are heap copies of exactly
 * their length so ASan sees any overread.  Hostile input must end in
 * PROXY_NOT (or a refused reply), never a crash or a bogus target.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "proxy.h"
#include "stash.h"

struct seg {
	int		 dir;
	const char	*p;
	size_t		 n;
};

#define S(d, lit)	{ d, lit, sizeof(lit) - 1 }
#define NSEGS(a)	(sizeof(a) / sizeof((a)[0]))

struct want {
	enum proxy_status last;
	enum proxy_kind	kind;
	const char	*host;
	uint16_t	port;
	bool		granted;
};

static struct stash_pool *pool;

static int
setup(void **state)
{
	(void)state;
	pool = stash_pool_new(2);
	return pool == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	(void)state;
	stash_pool_free(pool);
	return 0;
}

static enum proxy_status
feed_exact(struct proxy_info *pi, struct stash *st, int dir, const char *p,
    size_t n)
{
	uint8_t *b = malloc(n > 0 ? n : 1);
	enum proxy_status r;

	assert_non_null(b);
	memcpy(b, p, n);
	r = proxy_feed(pi, st, dir, b, n, 0);
	free(b);
	return r;
}

/* Feeds segs with segment `split` cut at `at` (split -1: none; at 0:
 * byte by byte everywhere). */
static enum proxy_status
run(struct proxy_info *pi, const struct seg *segs, size_t nsegs, int split,
    size_t at)
{
	struct stash *st = stash_get(pool);
	enum proxy_status r = PROXY_MORE;
	size_t i, j;

	assert_non_null(st);
	proxy_info_init(pi);
	for (i = 0; i < nsegs && r == PROXY_MORE; i++) {
		if (at == 0 && split == -2) {
			for (j = 0; j < segs[i].n && r == PROXY_MORE; j++)
				r = feed_exact(pi, st, segs[i].dir,
				    segs[i].p + j, 1);
		} else if ((int)i == split && at < segs[i].n) {
			r = feed_exact(pi, st, segs[i].dir, segs[i].p, at);
			if (r == PROXY_MORE)
				r = feed_exact(pi, st, segs[i].dir,
				    segs[i].p + at, segs[i].n - at);
		} else
			r = feed_exact(pi, st, segs[i].dir, segs[i].p,
			    segs[i].n);
	}
	stash_put(pool, st);
	return r;
}

static void
check(const struct proxy_info *pi, enum proxy_status r, const struct want *w)
{
	assert_int_equal(r, w->last);
	if (w->last == PROXY_NOT)
		return;
	assert_int_equal(pi->kind, w->kind);
	assert_true(pi->requested);
	assert_string_equal(pi->host, w->host);
	assert_int_equal(pi->port, w->port);
	assert_int_equal(pi->granted, w->granted);
}

static void
run_all(const struct seg *segs, size_t nsegs, const struct want *w)
{
	struct proxy_info pi;
	size_t i, at;

	check(&pi, run(&pi, segs, nsegs, -1, 0), w);
	check(&pi, run(&pi, segs, nsegs, -2, 0), w);
	for (i = 0; i < nsegs; i++)
		for (at = 1; at < segs[i].n; at++)
			check(&pi, run(&pi, segs, nsegs, (int)i, at), w);
}

static void
test_http_connect(void **state)
{
	static const struct seg c[] = {
		S(0, "CONNECT pool.supportxmr.com:443 HTTP/1.1\r\n"
		    "Host: pool.supportxmr.com:443\r\n\r\n"),
		S(1, "HTTP/1.1 200 Connection established\r\n\r\n"),
	};
	static const struct seg v6[] = {
		S(0, "CONNECT [2001:db8::7]:14433 HTTP/1.0\n\n"),
		S(1, "HTTP/1.0 407 Proxy Authentication Required\r\n"),
	};
	const struct want w = { PROXY_DONE, PROXY_HTTP_CONNECT,
	    "pool.supportxmr.com", 443, true };
	const struct want w6 = { PROXY_DONE, PROXY_HTTP_CONNECT,
	    "2001:db8::7", 14433, false };
	struct proxy_info pi;

	(void)state;
	run_all(c, NSEGS(c), &w);
	run_all(v6, NSEGS(v6), &w6);
	(void)run(&pi, v6, 1, -1, 0);
	assert_false(pi.host_is_name);
	(void)run(&pi, c, 1, -1, 0);
	assert_true(pi.host_is_name);
	assert_false(pi.replied);
}

static void
test_http_hostile(void **state)
{
	static const char *const bad[] = {
		"CONNECT pool.example:70000 HTTP/1.1\r\n",
		"CONNECT pool.example:0 HTTP/1.1\r\n",
		"CONNECT pool.example:44x HTTP/1.1\r\n",
		"CONNECT pool.example HTTP/1.1\r\n",
		"CONNECT :443 HTTP/1.1\r\n",
		"CONNECT pool.example:443\r\n",
		"CONNECT pool.example:443 FTP/1.1\r\n",
		"CONNECT [::1:443 HTTP/1.1\r\n",
	};
	struct proxy_info pi;
	struct seg s;
	char *big;
	size_t i;

	(void)state;
	for (i = 0; i < NSEGS(bad); i++) {
		s = (struct seg){ 0, bad[i], strlen(bad[i]) };
		assert_int_equal(run(&pi, &s, 1, -1, 0), PROXY_NOT);
	}
	/* a request line that never ends */
	big = malloc(5000);
	assert_non_null(big);
	memcpy(big, "CONNECT ", 8);
	memset(big + 8, 'a', 5000 - 8);
	s = (struct seg){ 0, big, 5000 };
	assert_int_equal(run(&pi, &s, 1, -1, 0), PROXY_NOT);
	s.n = 1100;
	assert_int_equal(run(&pi, &s, 1, -1, 0), PROXY_NOT);
	free(big);
}

static void
test_socks5(void **state)
{
	/* greeting (no auth), CONNECT domain gulf.moneroocean.stream:3333 */
	static const struct seg dom[] = {
		S(0, "\x05\x01\x00"),
		S(1, "\x05\x00"),
		S(0, "\x05\x01\x00\x03\x17gulf.moneroocean.stream\x0d\x05"),
		S(1, "\x05\x00\x00\x01\xc6\x33\x64\x08\xc4\x88"),
	};
	/* greeting offers user/pass, RFC 1929, IPv4 198.51.100.31:3333 */
	static const struct seg auth[] = {
		S(0, "\x05\x02\x00\x02"),
		S(1, "\x05\x02"),
		S(0, "\x01\x04rig1\x06s3cret"),
		S(1, "\x01\x00"),
		S(0, "\x05\x01\x00\x01\xc6\x33\x64\x1f\x0d\x05"),
		S(1, "\x05\x00\x00\x01\xc6\x33\x64\x08\xc4\x89"),
	};
	/* IPv6 target, refused (REP 0x02) */
	static const struct seg v6[] = {
		S(0, "\x05\x01\x00"),
		S(1, "\x05\x00"),
		S(0, "\x05\x01\x00\x04\x20\x01\x0d\xb8\x00\x00\x00\x00"
		    "\x00\x00\x00\x00\x00\x00\x00\x09\x01\xbb"),
		S(1, "\x05\x02\x00\x01\x00\x00\x00\x00\x00\x00"),
	};
	/* greeting and request pipelined in one segment */
	static const struct seg pipe[] = {
		S(0, "\x05\x01\x00\x05\x01\x00\x03\x0fxmr.2miners.com\x08\xae"),
		S(1, "\x05\x00\x05\x00\x00\x01\x00\x00\x00\x00\x00\x00"),
	};
	const struct want wd = { PROXY_DONE, PROXY_SOCKS5,
	    "gulf.moneroocean.stream", 3333, true };
	const struct want wa = { PROXY_DONE, PROXY_SOCKS5, "198.51.100.31",
	    3333, true };
	const struct want w6 = { PROXY_DONE, PROXY_SOCKS5, "2001:db8::9", 443,
	    false };
	const struct want wp = { PROXY_DONE, PROXY_SOCKS5, "xmr.2miners.com",
	    2222, true };

	(void)state;
	run_all(dom, NSEGS(dom), &wd);
	run_all(auth, NSEGS(auth), &wa);
	run_all(v6, NSEGS(v6), &w6);
	run_all(pipe, NSEGS(pipe), &wp);
}

static void
test_socks5_hostile(void **state)
{
	static const struct seg atyp[] = {
		S(0, "\x05\x01\x00"), S(1, "\x05\x00"),
		S(0, "\x05\x01\x00\x07\x01\x02\x03\x04\x00\x50"),
	};
	static const struct seg zero_len[] = {
		S(0, "\x05\x01\x00"), S(1, "\x05\x00"),
		S(0, "\x05\x01\x00\x03\x00\x00\x50"),
	};
	static const struct seg bind[] = {
		S(0, "\x05\x01\x00"), S(1, "\x05\x00"),
		S(0, "\x05\x02\x00\x01\x01\x02\x03\x04\x00\x50"),
	};
	static const struct seg port0[] = {
		S(0, "\x05\x01\x00"), S(1, "\x05\x00"),
		S(0, "\x05\x01\x00\x01\x01\x02\x03\x04\x00\x00"),
	};
	static const struct seg nomethod[] = {
		S(0, "\x05\x01\x00"), S(1, "\x05\xff"),
	};
	struct proxy_info pi;

	(void)state;
	assert_int_equal(run(&pi, atyp, NSEGS(atyp), -1, 0), PROXY_NOT);
	assert_int_equal(run(&pi, zero_len, NSEGS(zero_len), -1, 0),
	    PROXY_NOT);
	assert_int_equal(run(&pi, bind, NSEGS(bind), -1, 0), PROXY_NOT);
	assert_int_equal(run(&pi, port0, NSEGS(port0), -1, 0), PROXY_NOT);
	assert_int_equal(run(&pi, nomethod, NSEGS(nomethod), -1, 0),
	    PROXY_MORE);
	assert_true(pi.replied);
	assert_false(pi.requested);
	assert_false(pi.granted);
}

static void
test_socks4(void **state)
{
	static const struct seg v4[] = {
		S(0, "\x04\x01\x11\x5c\xc6\x33\x64\x1f" "rig11\x00"),
		S(1, "\x00\x5a\x00\x00\x00\x00\x00\x00"),
	};
	static const struct seg v4a[] = {
		S(0, "\x04\x01\x08\xae\x00\x00\x00\x01" "rig11\x00"
		    "xmr.2miners.com\x00"),
		S(1, "\x00\x5b\x00\x00\x00\x00\x00\x00"),
	};
	const struct want w4 = { PROXY_DONE, PROXY_SOCKS4, "198.51.100.31",
	    4444, true };
	const struct want w4a = { PROXY_DONE, PROXY_SOCKS4,
	    "xmr.2miners.com", 2222, false };
	struct proxy_info pi;
	struct seg s;
	char *big;

	(void)state;
	run_all(v4, NSEGS(v4), &w4);
	run_all(v4a, NSEGS(v4a), &w4a);
	/* a user id that never ends: give up when the stash is full */
	big = malloc(STASH_DIR_BYTES + 100);
	assert_non_null(big);
	memcpy(big, "\x04\x01\x00\x50\x01\x02\x03\x04", 8);
	memset(big + 8, 'u', STASH_DIR_BYTES + 92);
	s = (struct seg){ 0, big, STASH_DIR_BYTES + 100 };
	assert_int_equal(run(&pi, &s, 1, -1, 0), PROXY_NOT);
	free(big);
	/* BIND is not a target */
	s = (struct seg){ 0, "\x04\x02\x00\x50\x01\x02\x03\x04\x00", 9 };
	assert_int_equal(run(&pi, &s, 1, -1, 0), PROXY_NOT);
}

static void
test_looks_like(void **state)
{
	(void)state;
	assert_true(proxy_looks_like((const uint8_t *)"CONNECT a:1 HTTP/1.1",
	    20));
	assert_false(proxy_looks_like((const uint8_t *)"GET / HTTP/1.1", 14));
	assert_false(proxy_looks_like((const uint8_t *)"CONNEC", 6));
	assert_true(proxy_looks_like((const uint8_t *)"\x05\x01\x00", 3));
	assert_true(proxy_looks_like((const uint8_t *)"\x05\x02\x00\x02", 4));
	assert_true(proxy_looks_like((const uint8_t *)"\x05\x01\x00\x05\x01",
	    5));
	assert_false(proxy_looks_like((const uint8_t *)"\x05\x00", 2));
	assert_false(proxy_looks_like((const uint8_t *)"\x05\x02\x00", 3));
	assert_false(proxy_looks_like((const uint8_t *)"\x05\x01\xff", 3));
	assert_false(proxy_looks_like((const uint8_t *)"\x05\x01\x00\x16", 4));
	assert_true(proxy_looks_like(
	    (const uint8_t *)"\x04\x01\x00\x50\x01\x02\x03\x04\x00", 9));
	assert_false(proxy_looks_like(
	    (const uint8_t *)"\x04\x03\x00\x50\x01\x02\x03\x04\x00", 9));
	assert_false(proxy_looks_like((const uint8_t *)"\x16\x03\x01\x00", 4));
	assert_false(proxy_looks_like(NULL, 0));
	assert_string_equal(proxy_kind_name(PROXY_SOCKS5), "socks5");
	assert_string_equal(proxy_kind_name(PROXY_NONE), "");
}

static void
test_random(void **state)
{
	struct proxy_info pi;
	struct stash *st;
	unsigned seed = 4242;
	char b[64];
	size_t n, i;
	int it, k;

	(void)state;
	for (it = 0; it < 5000; it++) {
		st = stash_get(pool);
		proxy_info_init(&pi);
		for (k = 0; k < 6; k++) {
			n = (size_t)(rand_r(&seed) % sizeof(b));
			for (i = 0; i < n; i++)
				b[i] = (char)rand_r(&seed);
			if (k == 0 && n > 0)
				b[0] = "\x04\x05" "C"[rand_r(&seed) % 3];
			if (feed_exact(&pi, st, k & 1, b, n) != PROXY_MORE)
				break;
		}
		assert_true(strlen(pi.host) < sizeof(pi.host));
		stash_put(pool, st);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_http_connect),
		cmocka_unit_test(test_http_hostile),
		cmocka_unit_test(test_socks5),
		cmocka_unit_test(test_socks5_hostile),
		cmocka_unit_test(test_socks4),
		cmocka_unit_test(test_looks_like),
		cmocka_unit_test(test_random),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
