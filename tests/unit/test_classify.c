/*
 * test_classify.c - the pool of nDPI flow states: capped, handed out
 * without allocation, and when full the clock gives up the flow that was
 * quiet since the hand last passed (counted), which keeps a result; the
 * results' names come back without nDPI.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <netinet/in.h>
#include <cmocka.h>

#include "classify.h"
#include "ndpi_mem.h"
#include "stats.h"

/* An IPv4 TCP SYN from 10.20.0.5:sport to 198.51.100.9:8123. */
static void
syn(uint8_t b[40], uint16_t sport)
{
	memset(b, 0, 40);
	b[0] = 0x45;
	b[3] = 40;
	b[8] = 64;
	b[9] = IPPROTO_TCP;
	b[12] = 10; b[13] = 20; b[14] = 0; b[15] = 5;
	b[16] = 198; b[17] = 51; b[18] = 100; b[19] = 9;
	b[20] = (uint8_t)(sport >> 8);
	b[21] = (uint8_t)sport;
	b[22] = 0x1f;		/* 8123 */
	b[23] = 0xbb;
	b[32] = 0x50;		/* data offset 5 */
	b[33] = 0x02;		/* SYN */
	b[34] = 0xff;
}

static void
feed(struct classifier *c, struct cls_flow *f, uint16_t sport,
    uint64_t ts_us, struct stats *st)
{
	uint8_t b[40];
	struct packet p;

	syn(b, sport);
	memset(&p, 0, sizeof(p));
	p.l3 = b;
	p.l3_len = sizeof(b);
	p.l4_proto = IPPROTO_TCP;
	p.ts_us = ts_us;
	cls_packet(c, f, &p, 0, st);
}

static void
test_pool_clock(void **state)
{
	struct classifier *c = cls_new(32, 2, 16);
	struct cls_flow a, b, d, e;
	struct cls_counts cc;
	struct stats st;
	char name[64];

	(void)state;
	assert_non_null(c);
	memset(&st, 0, sizeof(st));
	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	memset(&d, 0, sizeof(d));
	memset(&e, 0, sizeof(e));
	feed(c, &a, 40001, 1000000, &st);
	feed(c, &b, 40002, 1000100, &st);
	assert_int_not_equal(a.state, 0);
	assert_int_not_equal(b.state, 0);
	assert_int_equal(st.v[ST_NDPI_STATE_RECLAIMED], 0);

	/* Full: both were touched since; the first sweep clears, then a. */
	feed(c, &d, 40003, 1000200, &st);
	assert_int_equal(st.v[ST_NDPI_STATE_RECLAIMED], 1);
	assert_true(a.done);
	assert_int_equal(a.state, 0);
	assert_int_not_equal(d.state, 0);
	assert_false(b.done);
	/* a kept what nDPI had: a result that names a protocol. */
	assert_non_null(a.res);
	assert_string_equal(cls_protocol(cls_res(&a), name, sizeof(name)),
	    "Unknown");
	assert_string_equal(cls_text(cls_res(&a), CLS_SNI), "");

	/* b had a packet since the hand passed: d, then b, then b goes. */
	feed(c, &b, 40002, 1000300, &st);
	feed(c, &e, 40004, 1000400, &st);
	assert_int_equal(st.v[ST_NDPI_STATE_RECLAIMED], 2);
	assert_true(b.done);
	assert_false(d.done);
	assert_int_not_equal(e.state, 0);

	cls_counts(c, &cc);
	assert_int_equal(cc.states_cap, 2);
	assert_int_equal(cc.states_high, 2);

	/* A flow that ends gives its state and result back. */
	cls_finish(c, &d, &st);
	assert_int_equal(d.state, 0);
	cls_flow_free(c, &d);
	assert_null(d.res);
	cls_flow_free(c, &a);
	cls_flow_free(c, &b);
	cls_free(c);	/* e's state still held: freed with the pool */
}

static void
test_unclassified_reads_empty(void **state)
{
	struct cls_flow f;

	(void)state;
	memset(&f, 0, sizeof(f));
	assert_string_equal(cls_app_proto(cls_res(&f)), "");
	assert_string_equal(cls_text(cls_res(&f), CLS_DNS_QUERY), "");
	assert_false(cls_res(&f)->mining);
}

/*
 * nDPI's tables come from the region while a classifier is built, stay
 * while any classifier lives, and the region is given back with the last.
 */
static void
test_tables_region(void **state)
{
	struct classifier *a, *b;
	unsigned long one, two;

	(void)state;
	assert_int_equal(ndpi_mem_region_used(), 0);
	a = cls_new(32, 2, 16);
	assert_non_null(a);
	one = ndpi_mem_region_used();
	assert_true(one > (1ul << 20));		/* its lists: megabytes */
	assert_true(one <= NDPI_MEM_REGION);
	b = cls_new(32, 2, 16);
	assert_non_null(b);
	two = ndpi_mem_region_used();
	assert_true(two > one && two <= 2 * one + 4096);
	cls_free(a);
	assert_int_equal(ndpi_mem_region_used(), two);	/* b uses its part */
	cls_free(b);
	assert_int_equal(ndpi_mem_region_used(), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pool_clock),
		cmocka_unit_test(test_unclassified_reads_empty),
		cmocka_unit_test(test_tables_region),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
