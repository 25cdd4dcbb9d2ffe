/*
 * test_outq.c - the record blob and the ring between the packet thread
 * and the writer thread: encode/decode round trips (bytes a C string could
 * not carry, flat values without a NUL, the ID set later), malformed blobs
 * refused, the ring's order across many wraps, full-ring refusal without
 * waiting, the high-water mark, a real producer/consumer pair of
 * threads moving 200,000 records of varied sizes in order with outq_sync,
 * and four producers (--workers) pushing at once into one consumer:
 * every record whole, each producer's in its order, none lost.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "outq.h"

static void
test_blob_roundtrip(void **state)
{
	static const char json[] = "{\"a\":\"\\u0000\xff\"}\0tail";
	const struct out_field flat[] = {
		{ "src_ip", "10.0.0.1xxxx", 8 },
		{ "verdicts", "", 0 },
	};
	uint8_t buf[256];
	struct outrec r;
	size_t n;

	(void)state;
	n = outrec_size(sizeof(json) - 1, flat, 2);
	assert_int_equal(n, OUTREC_HDR + sizeof(json) - 1 + 4 + 6 + 8 + 4 + 8);
	assert_int_equal(outrec_encode(buf, n, REC_ALERT, 1234567, json,
	    sizeof(json) - 1, flat, 2), n);
	assert_int_equal(outrec_len(buf), n);
	assert_int_equal(outrec_decode(buf, n, &r), n);
	assert_int_equal(r.kind, REC_ALERT);
	assert_int_equal(r.ts_us, 1234567);
	assert_int_equal(r.flags & OUTREC_FIXED_ID, 0);
	assert_int_equal(r.json_len, sizeof(json) - 1);
	assert_memory_equal(r.json, json, sizeof(json) - 1);
	assert_int_equal(r.nflat, 2);
	assert_int_equal(r.name_len[0], 6);
	assert_memory_equal(r.flat[0].name, "src_ip", 6);
	assert_int_equal(r.flat[0].len, 8);
	assert_memory_equal(r.flat[0].value, "10.0.0.1", 8);
	assert_int_equal(r.flat[1].len, 0);

	outrec_set_id(buf, 1234, 7);
	assert_int_equal(outrec_decode(buf, n, &r), n);
	assert_true(r.flags & OUTREC_FIXED_ID);
	assert_int_equal(r.id_ms, 1234);
	assert_int_equal(r.id_seq, 7);

	/* Short, lying lengths and unknown kinds are refused. */
	assert_int_equal(outrec_decode(buf, n - 1, &r), 0);
	assert_int_equal(outrec_decode(buf, 10, &r), 0);
	buf[4] = REC_KINDS;
	assert_int_equal(outrec_decode(buf, n, &r), 0);
	buf[4] = REC_FLOW;
	buf[32] = 0xff;		/* json_len past the blob */
	assert_int_equal(outrec_decode(buf, n, &r), 0);
}

/* A record whose json says its number and whose size varies with it. */
static size_t
mkline(char *buf, size_t cap, unsigned i)
{
	int n = snprintf(buf, cap, "{\"i\":%u,\"pad\":\"%.*s\"}", i,
	    (int)(i % 700), "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");

	return (size_t)n;
}

/* Checks every record of a popped batch; returns the next expected i. */
static unsigned
check_batch(const uint8_t *buf, size_t len, unsigned next)
{
	char want[1024];
	struct outrec r;
	size_t off = 0, n, wl;

	while (off < len) {
		n = outrec_decode(buf + off, len - off, &r);
		assert_true(n > 0);
		wl = mkline(want, sizeof(want), next);
		assert_int_equal(r.json_len, wl);
		assert_memory_equal(r.json, want, wl);
		assert_int_equal(r.ts_us, next);
		off += n;
		next++;
	}
	return next;
}

static void
test_ring_wrap_and_full(void **state)
{
	struct outq *q;
	static uint8_t out[1 << 17];
	char line[1024];
	size_t len, nrec, n, pushed = 0;
	unsigned i = 0, next = 0;

	(void)state;
	assert_non_null(q = outq_new(1));	/* raised to the minimum */
	/* Fill it: a push into a full ring fails at once (live mode). */
	for (;;) {
		n = mkline(line, sizeof(line), i);
		if (outq_push(q, REC_FLOW, i, line, n, NULL, 0, false) != 0)
			break;
		pushed += n;
		i++;
	}
	assert_true(i > 50);
	assert_true(outq_high_water(q) >= pushed);
	assert_true(outq_high_water(q) <= 64 * 1024);
	/* Many rounds of half-drain and refill: every offset wraps. */
	for (int round = 0; round < 200; round++) {
		len = outq_pop(q, out, 20000, 0, &nrec);
		assert_true(nrec > 0);
		next = check_batch(out, len, next);
		outq_done(q, nrec);
		for (;;) {
			n = mkline(line, sizeof(line), i);
			if (outq_push(q, REC_FLOW, i, line, n, NULL, 0,
			    false) != 0)
				break;
			i++;
		}
	}
	while ((len = outq_pop(q, out, sizeof(out), 0, &nrec)) > 0) {
		next = check_batch(out, len, next);
		outq_done(q, nrec);
	}
	assert_int_equal(next, i);
	assert_true(outq_empty(q));
	outq_sync(q);		/* all done: returns at once */
	/* A record bigger than half the ring is refused, never split. */
	static char huge[40000];
	memset(huge, 'x', sizeof(huge));
	assert_int_equal(outq_push(q, REC_FLOW, 0, huge, sizeof(huge), NULL, 0,
	    false), -1);
	outq_free(q);
	outq_free(NULL);
}

#define N_THREADED	200000

static void *
consumer(void *arg)
{
	struct outq *q = arg;
	static uint8_t out[1 << 18];
	size_t len, nrec;
	unsigned next = 0;

	while (next < N_THREADED) {
		len = outq_pop(q, out, sizeof(out), 50, &nrec);
		next = check_batch(out, len, next);
		outq_done(q, nrec);
	}
	return NULL;
}

static void
test_ring_threads(void **state)
{
	struct outq *q;
	pthread_t t;
	char line[1024];
	size_t n;
	unsigned i;

	(void)state;
	assert_non_null(q = outq_new(256 * 1024));
	assert_int_equal(pthread_create(&t, NULL, consumer, q), 0);
	for (i = 0; i < N_THREADED; i++) {
		n = mkline(line, sizeof(line), i);
		/* File mode: wait for room rather than drop. */
		assert_int_equal(outq_push(q, REC_FLOW, i, line, n, NULL, 0,
		    true), 0);
		if (i == N_THREADED / 2)
			outq_sync(q);	/* the first half is all done */
	}
	outq_sync(q);
	assert_true(outq_empty(q));
	pthread_join(t, NULL);
	outq_free(q);
}

#define N_PRODUCERS	4
#define N_EACH		50000

struct producer {
	struct outq	*q;
	unsigned	 id;
};

static void *
producer(void *arg)
{
	const struct producer *p = arg;
	char line[1024];
	size_t n;
	unsigned i;

	for (i = 0; i < N_EACH; i++) {
		n = mkline(line, sizeof(line), i);
		if (outq_push(p->q, REC_FLOW, (uint64_t)p->id << 32 | i, line,
		    n, NULL, 0, true) != 0)
			abort();
		if (i % 10000 == 0)
			outq_sync(p->q);	/* syncs from several at once */
	}
	return NULL;
}

static void
test_ring_producers(void **state)
{
	static uint8_t out[1 << 18];
	struct producer p[N_PRODUCERS];
	pthread_t t[N_PRODUCERS];
	unsigned next[N_PRODUCERS] = { 0 }, id, seq, total = 0, k;
	char want[1024];
	struct outrec r;
	size_t len, off, nrec, n, wl;

	(void)state;
	assert_non_null(p[0].q = outq_new(128 * 1024));
	for (k = 0; k < N_PRODUCERS; k++) {
		p[k] = (struct producer){ p[0].q, k };
		assert_int_equal(pthread_create(&t[k], NULL, producer, &p[k]),
		    0);
	}
	while (total < N_PRODUCERS * N_EACH) {
		len = outq_pop(p[0].q, out, sizeof(out), 50, &nrec);
		for (off = 0; off < len; off += n, total++) {
			assert_true((n = outrec_decode(out + off, len - off,
			    &r)) > 0);
			id = (unsigned)(r.ts_us >> 32);
			seq = (unsigned)r.ts_us;
			assert_true(id < N_PRODUCERS);
			assert_int_equal(seq, next[id]);
			next[id]++;
			wl = mkline(want, sizeof(want), seq);
			assert_int_equal(r.json_len, wl);
			assert_memory_equal(r.json, want, wl);
		}
		outq_done(p[0].q, nrec);
	}
	for (k = 0; k < N_PRODUCERS; k++) {
		pthread_join(t[k], NULL);
		assert_int_equal(next[k], N_EACH);
	}
	assert_true(outq_empty(p[0].q));
	outq_free(p[0].q);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_blob_roundtrip),
		cmocka_unit_test(test_ring_wrap_and_full),
		cmocka_unit_test(test_ring_threads),
		cmocka_unit_test(test_ring_producers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
