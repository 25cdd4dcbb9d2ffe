/*
 * test_pdns.c - unit tests for the DNS message parser and the passive
 * DNS cache (sensor/pdns.c).
 *
 * Messages are written out byte by byte with a comment per field; each
 * is parsed from a heap copy of exactly its length so ASan flags any
 * overread.  Hostile cases: compression-pointer loops (self, two-step),
 * pointers past the end, lying counts, truncation at every length,
 * obsolete label types, over-long names, random bytes.  The cache is
 * checked for packet-time expiry, the ttl_min/ttl_max bounds, several
 * names per address, CNAME owners, and full buckets.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cidr.h"
#include "pdns.h"

static enum pdns_status
parse_exact(const uint8_t *p, size_t n, struct pdns_msg *m)
{
	uint8_t *b = malloc(n > 0 ? n : 1);
	enum pdns_status r;

	assert_non_null(b);
	memcpy(b, p, n);
	r = pdns_parse(b, n, m);
	free(b);
	return r;
}

/* Response: pool.supportxmr.com A -> CNAME edge.cdn.example -> 2 x A. */
static const uint8_t resp_cname[] = {
	0x4d, 0x21, 0x81, 0x80,		/* id, QR RD RA, rcode 0 */
	0x00, 0x01, 0x00, 0x03,		/* qdcount 1, ancount 3 */
	0x00, 0x00, 0x00, 0x00,		/* nscount, arcount */
	/* 12: question "Pool.SupportXMR.com" (mixed case) A IN */
	4, 'P', 'o', 'o', 'l', 10, 'S', 'u', 'p', 'p', 'o', 'r', 't', 'X',
	'M', 'R', 3, 'c', 'o', 'm', 0, 0x00, 0x01, 0x00, 0x01,
	/* 37: ptr to 12, CNAME IN ttl 300, rdata "edge.cdn" + ptr to 17 */
	0xc0, 0x0c, 0x00, 0x05, 0x00, 0x01, 0x00, 0x00, 0x01, 0x2c,
	0x00, 0x0b, 4, 'e', 'd', 'g', 'e', 3, 'c', 'd', 'n', 0xc0, 0x11,
	/* answer 2: owner ptr to the CNAME target (offset 49), A 300 */
	0xc0, 0x31, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x01, 0x2c,
	0x00, 0x04, 198, 51, 100, 30,
	/* answer 3: same owner, A ttl 0x80000000 (treated as 0) */
	0xc0, 0x31, 0x00, 0x01, 0x00, 0x01, 0x80, 0x00, 0x00, 0x00,
	0x00, 0x04, 198, 51, 100, 31,
};

static void
ip4(struct ip_addr *a, uint8_t x, uint8_t y, uint8_t z, uint8_t w)
{
	char s[32];

	snprintf(s, sizeof(s), "%u.%u.%u.%u", x, y, z, w);
	assert_int_equal(ip_addr_parse(s, a), 0);
}

static void
test_parse_cname_chain(void **state)
{
	struct pdns_msg m;
	struct ip_addr a;

	(void)state;
	assert_int_equal(parse_exact(resp_cname, sizeof(resp_cname), &m),
	    PDNS_OK);
	assert_true(m.response);
	assert_int_equal(m.rcode, 0);
	assert_int_equal(m.qtype, PDNS_TYPE_A);
	assert_string_equal(m.qname, "pool.supportxmr.com");
	assert_int_equal(m.n_cnames, 1);
	assert_string_equal(m.cnames[0], "edge.cdn.supportxmr.com");
	assert_int_equal(m.n_addrs, 2);
	ip4(&a, 198, 51, 100, 30);
	assert_memory_equal(m.addrs[0].ip.b, a.b, 16);
	assert_int_equal(m.addrs[0].ttl, 300);
	assert_int_equal(m.addrs[1].ttl, 0);
	assert_false(m.answers_cut);
	assert_int_equal(m.answers_walked, 3);
}

/* Every truncation of a good message: no crash, never more than whole. */
static void
test_parse_every_length(void **state)
{
	struct pdns_msg m;
	enum pdns_status r;
	size_t n;

	(void)state;
	for (n = 0; n < sizeof(resp_cname); n++) {
		r = parse_exact(resp_cname, n, &m);
		if (n < 12)
			assert_int_equal(r, PDNS_TRUNCATED);
		else if (n < 37)	/* question incomplete */
			assert_int_equal(r, PDNS_TRUNCATED);
		else {
			assert_int_equal(r, PDNS_OK);
			assert_true(m.answers_cut);
			assert_true(m.n_addrs < 2);
		}
	}
}

static void
test_pointer_loops(void **state)
{
	/* question name is a pointer to itself (offset 12) */
	static const uint8_t self[] = {
		0, 1, 0x81, 0x80, 0, 1, 0, 0, 0, 0, 0, 0,
		0xc0, 0x0c, 0, 1, 0, 1 };
	/* 12 -> 14 -> 12: label "a" then pointer to 14, at 14 ptr to 12 */
	static const uint8_t two[] = {
		0, 1, 0x81, 0x80, 0, 1, 0, 0, 0, 0, 0, 0,
		1, 'a', 0xc0, 0x0c, 0, 1, 0, 1 };
	/* pointer past the end of the message in the question */
	static const uint8_t past[] = {
		0, 1, 0x81, 0x80, 0, 1, 0, 0, 0, 0, 0, 0,
		0xc3, 0xff, 0, 1, 0, 1 };
	/* obsolete 0x40 label type */
	static const uint8_t ext[] = {
		0, 1, 0x81, 0x80, 0, 1, 0, 0, 0, 0, 0, 0,
		0x41, 'x', 0, 0, 1, 0, 1 };
	struct pdns_msg m;

	(void)state;
	assert_int_equal(parse_exact(self, sizeof(self), &m), PDNS_MALFORMED);
	assert_int_equal(parse_exact(two, sizeof(two), &m), PDNS_MALFORMED);
	assert_int_equal(parse_exact(past, sizeof(past), &m), PDNS_MALFORMED);
	assert_int_equal(parse_exact(ext, sizeof(ext), &m), PDNS_MALFORMED);
}

static void
test_lying_counts(void **state)
{
	uint8_t b[sizeof(resp_cname)];
	struct pdns_msg m;

	(void)state;
	/* ancount 65535 with 3 records present */
	memcpy(b, resp_cname, sizeof(b));
	b[6] = 0xff;
	b[7] = 0xff;
	assert_int_equal(parse_exact(b, sizeof(b), &m), PDNS_OK);
	assert_int_equal(m.n_addrs, 2);
	assert_true(m.answers_cut);
	/* qdcount 2 with one question: the answers are read as one */
	memcpy(b, resp_cname, sizeof(b));
	b[5] = 2;
	(void)parse_exact(b, sizeof(b), &m);
	assert_string_equal(m.qname, "pool.supportxmr.com");
	assert_true(m.n_addrs <= 2);
	/* qdcount 1000: not DNS */
	b[4] = 0x03;
	b[5] = 0xe8;
	assert_int_equal(parse_exact(b, sizeof(b), &m), PDNS_MALFORMED);
	/* A record claiming rdlength 200 */
	memcpy(b, resp_cname, sizeof(b));
	b[sizeof(b) - 5] = 200;
	assert_int_equal(parse_exact(b, sizeof(b), &m), PDNS_OK);
	assert_int_equal(m.n_addrs, 1);
	assert_true(m.answers_cut);
}

/* Names: too long to keep (kept as ""), too long on the wire (bad). */
static void
test_long_names(void **state)
{
	uint8_t b[600];
	struct pdns_msg m;
	size_t n = 12, i, l;

	(void)state;
	memset(b, 0, 12);
	b[2] = 0x81;
	b[5] = 1;
	for (l = 0; l < 3; l++) {	/* 3 x 63-byte labels: 192 chars */
		b[n++] = 63;
		for (i = 0; i < 63; i++)
			b[n++] = 'a';
	}
	b[n++] = 0;
	b[n++] = 0;
	b[n++] = 1;
	b[n++] = 0;
	b[n++] = 1;
	assert_int_equal(parse_exact(b, n, &m), PDNS_OK);
	assert_string_equal(m.qname, "");
	/* 5 x 63: over 255 on the wire */
	n = 12;
	for (l = 0; l < 5; l++) {
		b[n++] = 63;
		for (i = 0; i < 63; i++)
			b[n++] = 'b';
	}
	b[n++] = 0;
	b[n++] = 0;
	b[n++] = 1;
	b[n++] = 0;
	b[n++] = 1;
	assert_int_equal(parse_exact(b, n, &m), PDNS_MALFORMED);
}

static void
test_random_bytes(void **state)
{
	uint8_t b[512];
	struct pdns_msg m;
	unsigned seed = 20260104;
	size_t n, i;
	int it;

	(void)state;
	for (it = 0; it < 20000; it++) {
		n = (size_t)(rand_r(&seed) % sizeof(b));
		for (i = 0; i < n; i++)
			b[i] = (uint8_t)rand_r(&seed);
		if (n > 12 && it % 2 == 0)
			b[12] = 0xc0;	/* pointer-heavy */
		(void)parse_exact(b, n, &m);
		assert_true(m.n_addrs <= PDNS_MAX_ADDRS);
		assert_true(strlen(m.qname) < PDNS_NAME_MAX);
	}
}

static void
test_cache_expiry(void **state)
{
	const struct pdns_entry *hits[PDNS_WAYS];
	struct pdns_msg m;
	struct pdns *pd;
	struct ip_addr a;
	uint64_t t0 = 1000000000ULL * 1000;

	(void)state;
	pd = pdns_new(64, 0, 86400);
	assert_non_null(pd);
	assert_int_equal(parse_exact(resp_cname, sizeof(resp_cname), &m),
	    PDNS_OK);
	pdns_insert_msg(pd, &m, t0);
	ip4(&a, 198, 51, 100, 30);
	assert_int_equal(pdns_lookup(pd, &a, t0 + 299000000ULL, hits, 4), 1);
	assert_string_equal(hits[0]->qname, "pool.supportxmr.com");
	assert_string_equal(hits[0]->owner, "edge.cdn.supportxmr.com");
	assert_int_equal(hits[0]->ttl, 300);
	assert_int_equal(pdns_lookup(pd, &a, t0 + 301000000ULL, hits, 4), 0);
	/* ttl 0 entry: alive only at its own instant when ttl_min is 0 */
	ip4(&a, 198, 51, 100, 31);
	assert_int_equal(pdns_lookup(pd, &a, t0 + 1, hits, 4), 0);
	/* ttl_min keeps it 10 minutes, ttl_max caps the 300 s one at 60 */
	pdns_set_ttl(pd, 600, 600);
	pdns_insert_msg(pd, &m, t0);
	assert_int_equal(pdns_lookup(pd, &a, t0 + 599000000ULL, hits, 4), 1);
	pdns_set_ttl(pd, 0, 60);
	pdns_insert_msg(pd, &m, t0);
	ip4(&a, 198, 51, 100, 30);
	assert_int_equal(pdns_lookup(pd, &a, t0 + 61000000ULL, hits, 4), 0);
	/* responses with an error code are not stored */
	m.rcode = 3;
	pdns_set_ttl(pd, 0, 86400);
	ip4(&a, 198, 51, 100, 99);
	m.addrs[0].ip = a;
	pdns_insert_msg(pd, &m, t0);
	assert_int_equal(pdns_lookup(pd, &a, t0, hits, 4), 0);
	pdns_free(pd);
	pdns_free(NULL);
}

static void
test_cache_names_and_buckets(void **state)
{
	const struct pdns_entry *hits[PDNS_WAYS];
	struct pdns *pd;
	struct ip_addr a;
	uint64_t t = 5000000;
	unsigned i;

	(void)state;
	pd = pdns_new(16, 0, 86400);
	assert_non_null(pd);
	assert_int_equal(pdns_capacity(pd), 16);
	ip4(&a, 203, 0, 113, 5);
	pdns_insert(pd, &a, "www.example.org", NULL, 60, t);
	pdns_insert(pd, &a, "xmr.pool.minergate.com", "", 60, t + 1);
	pdns_insert(pd, &a, "www.example.org", NULL, 60, t + 2);	/* refresh */
	assert_int_equal(pdns_lookup(pd, &a, t + 3, hits, PDNS_WAYS), 2);
	assert_string_equal(hits[0]->qname, "www.example.org");	/* newest */
	assert_string_equal(hits[1]->qname, "xmr.pool.minergate.com");
	/* flood: thousands of addresses through 16 slots */
	for (i = 0; i < 5000; i++) {
		ip4(&a, 10, (uint8_t)(i >> 8), (uint8_t)i, 7);
		pdns_insert(pd, &a, "flood.example", NULL, 3600, t + 10 + i);
	}
	assert_true(pdns_counters(pd)->replaced > 0);
	ip4(&a, 10, (uint8_t)(4999 >> 8), (uint8_t)4999, 7);
	assert_int_equal(pdns_lookup(pd, &a, t + 6000, hits, PDNS_WAYS), 1);
	pdns_insert(pd, &a, "", NULL, 60, t);	/* ignored */
	pdns_free(pd);
}

static void
test_names(void **state)
{
	(void)state;
	assert_string_equal(pdns_type_name(28), "AAAA");
	assert_null(pdns_type_name(4242));
	assert_string_equal(pdns_rcode_name(3), "NXDOMAIN");
	assert_null(pdns_rcode_name(12));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_cname_chain),
		cmocka_unit_test(test_parse_every_length),
		cmocka_unit_test(test_pointer_loops),
		cmocka_unit_test(test_lying_counts),
		cmocka_unit_test(test_long_names),
		cmocka_unit_test(test_random_bytes),
		cmocka_unit_test(test_cache_expiry),
		cmocka_unit_test(test_cache_names_and_buckets),
		cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
