/*
 * test_community_id.c - unit tests for include/community_id.h.
 *
 * The published Community ID v1 test vectors (the spec's baseline, seed
 * 0): TCP, UDP, SCTP over IPv4, TCP over IPv6, ICMP echo, ICMPv6 router
 * advertisement; each also in the reverse direction, which must give the
 * same ID, and a one-way ICMP type, which must not be reordered.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <netinet/in.h>
#include <cmocka.h>

#include "cidr.h"
#include "community_id.h"

struct vector {
	const char	*src, *dst;
	uint8_t		 proto;
	uint16_t	 sport, dport;
	const char	*want;
};

static const struct vector vectors[] = {
	{ "128.232.110.120", "66.35.250.204", IPPROTO_TCP, 34855, 80,
	  "1:LQU9qZlK+B5F3KDmev6m5PMibrg=" },
	{ "192.168.1.52", "8.8.8.8", IPPROTO_UDP, 54585, 53,
	  "1:d/FP5EW3wiY1vCndhwleRRKHowQ=" },
	{ "192.168.170.8", "192.168.170.56", IPPROTO_SCTP, 7, 7,
	  "1:MP2EtRCAUIZvTw6MxJHLV7N7JDs=" },
	{ "2001:470:e5bf:dead:4957:2174:e82c:4887", "2607:f8b0:400c:c03::1a",
	  IPPROTO_TCP, 63943, 25, "1:/qFaeAR+gFe1KYjMzVDsMv+wgU4=" },
	/* ICMP: type in sport, code in dport. */
	{ "192.168.0.89", "192.168.0.1", IPPROTO_ICMP, 8, 0,
	  "1:X0snYXpgwiv9TZtqg64sgzUn6Dk=" },
	{ "fe80::260:97ff:fe07:69ea", "ff02::1", IPPROTO_ICMPV6, 134, 0,
	  "1:pkvHqCL88/tg1k4cPigmZXUtL00=" },
};

static struct ip_addr
addr(const char *s)
{
	struct ip_addr a;

	assert_int_equal(ip_addr_parse(s, &a), 0);
	return a;
}

static void
test_vectors(void **state)
{
	char out[COMMUNITY_ID_LEN];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(vectors) / sizeof(vectors[0]); i++) {
		const struct vector *v = &vectors[i];
		struct ip_addr s = addr(v->src), d = addr(v->dst);

		assert_int_equal(community_id_v1(out, sizeof(out), 0, &s, &d,
		    v->proto, v->sport, v->dport), 0);
		assert_string_equal(out, v->want);
	}
}

/* The reply direction hashes to the same ID (ICMP: the reply type). */
static void
test_reverse_direction(void **state)
{
	char out[COMMUNITY_ID_LEN];
	struct ip_addr a, b;
	size_t i;

	(void)state;
	for (i = 0; i < 4; i++) {
		const struct vector *v = &vectors[i];

		a = addr(v->src);
		b = addr(v->dst);
		assert_int_equal(community_id_v1(out, sizeof(out), 0, &b, &a,
		    v->proto, v->dport, v->sport), 0);
		assert_string_equal(out, v->want);
	}
	a = addr("192.168.0.89");
	b = addr("192.168.0.1");
	assert_int_equal(community_id_v1(out, sizeof(out), 0, &b, &a,
	    IPPROTO_ICMP, 0, 0), 0);	/* echo reply */
	assert_string_equal(out, "1:X0snYXpgwiv9TZtqg64sgzUn6Dk=");
}

/* A one-way ICMP type (destination unreachable) keeps the seen order. */
static void
test_icmp_one_way(void **state)
{
	char fwd[COMMUNITY_ID_LEN], rev[COMMUNITY_ID_LEN];
	struct ip_addr a = addr("10.0.0.2"), b = addr("10.0.0.1");

	(void)state;
	assert_int_equal(community_id_v1(fwd, sizeof(fwd), 0, &a, &b,
	    IPPROTO_ICMP, 3, 1), 0);
	assert_int_equal(community_id_v1(rev, sizeof(rev), 0, &b, &a,
	    IPPROTO_ICMP, 3, 1), 0);
	assert_string_not_equal(fwd, rev);
	assert_int_equal(strncmp(fwd, "1:", 2), 0);
	assert_int_equal(strlen(fwd), COMMUNITY_ID_LEN - 1);
}

static void
test_seed_and_cap(void **state)
{
	char out[COMMUNITY_ID_LEN], seeded[COMMUNITY_ID_LEN];
	struct ip_addr s = addr("128.232.110.120"), d = addr("66.35.250.204");

	(void)state;
	assert_int_equal(community_id_v1(out, sizeof(out) - 1, 0, &s, &d,
	    IPPROTO_TCP, 34855, 80), -1);
	assert_int_equal(community_id_v1(out, sizeof(out), 0, &s, &d,
	    IPPROTO_TCP, 34855, 80), 0);
	assert_int_equal(community_id_v1(seeded, sizeof(seeded), 1, &s, &d,
	    IPPROTO_TCP, 34855, 80), 0);
	assert_string_not_equal(out, seeded);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vectors),
		cmocka_unit_test(test_reverse_direction),
		cmocka_unit_test(test_icmp_one_way),
		cmocka_unit_test(test_seed_and_cap),
	};

	if (community_id_init() != 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
