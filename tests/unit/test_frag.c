/*
 * test_frag.c - non-first fragments join the flow of their first fragment
 * by (addresses, protocol, ID); unknown trains and expired ones do not.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <netinet/in.h>
#include <cmocka.h>

#include "cidr.h"
#include "frag.h"

static struct packet
frag_pkt(uint32_t id, bool first, uint64_t ts)
{
	struct packet p;

	memset(&p, 0, sizeof(p));
	ip_addr_parse("10.20.0.5", &p.src);
	ip_addr_parse("198.51.100.9", &p.dst);
	p.l4_proto = IPPROTO_UDP;
	p.frag_id = id;
	p.ts_us = ts;
	if (first) {
		p.frag_first = true;
		p.l4_ok = true;
		p.sport = 40020;
		p.dport = 9999;
	} else
		p.fragment = true;
	return p;
}

static void
test_train(void **state)
{
	struct frag_table *ft = frag_table_new();
	struct packet a = frag_pkt(0x4242, true, 1000);
	struct packet b = frag_pkt(0x4242, false, 2000);
	struct packet c = frag_pkt(0x4343, false, 2000);
	struct packet d = frag_pkt(0x4242, false, 1000 + FRAG_TTL_US + 10);

	(void)state;
	assert_false(frag_track(ft, &a));
	assert_true(frag_track(ft, &b));
	assert_true(b.l4_ok);
	assert_int_equal(b.sport, 40020);
	assert_int_equal(b.dport, 9999);
	assert_int_equal(b.payload_len, 0);
	/* Another ID: no ports, its own flow by address pair. */
	assert_false(frag_track(ft, &c));
	assert_false(c.l4_ok);
	/* Too late: the train is forgotten. */
	assert_false(frag_track(ft, &d));
	frag_table_free(ft);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_train),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
