/*
 * test_spool.c - the disk spool in a mkdtemp directory: order across
 * segments, peek without consuming, the read position kept over a restart
 * (close and open again), a torn tail (half a frame appended, as a crash
 * mid-write leaves it) detected, counted and truncated, a corrupt CRC in
 * the middle, the size cap dropping whole oldest segments (counted), the
 * directory emptied once everything is read, and the CRC-32 check value.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "outq.h"
#include "spool.h"

static char dir[64];

static int
setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/i7-test_spool.XXXXXX");
	return mkdtemp(dir) == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

/* A fresh spool directory under dir. */
static void
subdir(char *buf, size_t size, const char *name)
{
	snprintf(buf, size, "%s/%s", dir, name);
}

/* Appends record i: ts_us = i, json of ~100..400 bytes. */
static int
append(struct spool *sp, unsigned i)
{
	uint8_t blob[600];
	char json[500];
	int n = snprintf(json, sizeof(json), "{\"i\":%u,\"p\":\"%*s\"}", i,
	    (int)(100 + i % 300), "");
	size_t len = outrec_size((size_t)n, NULL, 0);

	outrec_encode(blob, len, REC_FLOW, i, json, (size_t)n, NULL, 0);
	outrec_set_id(blob, i, 0);
	return spool_append(sp, blob, len);
}

/* Reads up to max records, checks they are first, first+1...; count. */
static unsigned
drain(struct spool *sp, unsigned first, unsigned max, int consume)
{
	static uint8_t buf[1 << 16];
	struct outrec r;
	size_t len, nrec, off, n;
	unsigned got = 0;

	while (got < max && (len = spool_peek(sp, buf, sizeof(buf),
	    &nrec)) > 0) {
		for (off = 0, n = 0; off < len && got < max; n++, got++) {
			size_t l = outrec_decode(buf + off, len - off, &r);

			assert_true(l > 0);
			assert_int_equal(r.ts_us, first + got);
			assert_int_equal(r.id_ms, first + got);
			off += l;
		}
		if (!consume)
			return got;
		spool_consume(sp, n);
	}
	return got;
}

static unsigned
count_files(const char *d, const char *suffix)
{
	DIR *dp = opendir(d);
	struct dirent *de;
	unsigned n = 0;

	assert_non_null(dp);
	while ((de = readdir(dp)) != NULL)
		if (strstr(de->d_name, suffix) != NULL)
			n++;
	closedir(dp);
	return n;
}

static void
test_crc32(void **state)
{
	(void)state;
	/* The CRC-32 check value of "123456789". */
	assert_int_equal(spool_crc32("123456789", 9), 0xcbf43926u);
	assert_int_equal(spool_crc32("", 0), 0);
}

static void
test_order_restart(void **state)
{
	char d[128];
	struct spool *sp;
	unsigned i;

	(void)state;
	subdir(d, sizeof(d), "order");
	assert_non_null(sp = spool_open(d, 64ull << 20));
	for (i = 0; i < 3000; i++)
		assert_int_equal(append(sp, i), 0);
	assert_int_equal(spool_records(sp), 3000);
	assert_int_equal(spool_counts(sp)->appended, 3000);
	/* A peek does not consume. */
	assert_int_equal(drain(sp, 0, 10, 0), 10);
	assert_int_equal(spool_records(sp), 3000);
	assert_int_equal(drain(sp, 0, 1000, 1), 1000);
	assert_int_equal(spool_records(sp), 2000);
	spool_close(sp);

	/* A restart goes on where the last consume left off. */
	assert_non_null(sp = spool_open(d, 64ull << 20));
	assert_int_equal(spool_records(sp), 2000);
	assert_int_equal(spool_counts(sp)->torn, 0);
	for (i = 3000; i < 3500; i++)
		assert_int_equal(append(sp, i), 0);
	assert_int_equal(drain(sp, 1000, 100000, 1), 2500);
	assert_int_equal(spool_records(sp), 0);
	assert_int_equal(count_files(d, ".seg"), 0);	/* emptied */
	spool_close(sp);
}

static void
test_torn_tail(void **state)
{
	static const uint8_t half[] = { 'E', 'G', 'S', '1', 0xff, 0x01, 0, 0,
	    1, 2, 3, 4, 't', 'o', 'r', 'n' };
	char d[128], seg[200];
	struct spool *sp;
	struct stat st;
	off_t good;
	unsigned i;
	int fd;

	(void)state;
	subdir(d, sizeof(d), "torn");
	assert_non_null(sp = spool_open(d, 64ull << 20));
	for (i = 0; i < 100; i++)
		assert_int_equal(append(sp, i), 0);
	spool_close(sp);
	snprintf(seg, sizeof(seg), "%s/%020u.seg", d, 1u);
	assert_int_equal(stat(seg, &st), 0);
	good = st.st_size;
	/* A crash in the middle of an append. */
	assert_true((fd = open(seg, O_WRONLY | O_APPEND)) >= 0);
	assert_int_equal(write(fd, half, sizeof(half)), sizeof(half));
	close(fd);

	assert_non_null(sp = spool_open(d, 64ull << 20));
	assert_int_equal(spool_counts(sp)->torn, 1);
	assert_int_equal(spool_records(sp), 100);
	assert_int_equal(stat(seg, &st), 0);
	assert_int_equal(st.st_size, good);	/* the torn tail is cut */
	/* New records go to a new segment, after the good old ones. */
	for (i = 100; i < 150; i++)
		assert_int_equal(append(sp, i), 0);
	assert_int_equal(drain(sp, 0, 1000, 1), 150);
	spool_close(sp);
}

static void
test_corrupt_middle(void **state)
{
	char d[128], seg[200];
	struct spool *sp;
	unsigned i;
	uint8_t b;
	int fd;

	(void)state;
	subdir(d, sizeof(d), "crc");
	assert_non_null(sp = spool_open(d, 64ull << 20));
	for (i = 0; i < 50; i++)
		assert_int_equal(append(sp, i), 0);
	spool_close(sp);
	snprintf(seg, sizeof(seg), "%s/%020u.seg", d, 1u);
	/* Flip a byte inside the 11th record's json (records >= 112 B). */
	assert_true((fd = open(seg, O_RDWR)) >= 0);
	assert_int_equal(pread(fd, &b, 1, 10 * 112 + 60), 1);
	b ^= 0x55;
	assert_int_equal(pwrite(fd, &b, 1, 10 * 112 + 60), 1);
	close(fd);
	assert_non_null(sp = spool_open(d, 64ull << 20));
	assert_int_equal(spool_counts(sp)->torn, 1);
	i = (unsigned)spool_records(sp);
	assert_true(i >= 1 && i < 11);	/* the good ones before it */
	assert_int_equal(drain(sp, 0, 1000, 1), i);
	spool_close(sp);
}

static void
test_full(void **state)
{
	char d[128];
	struct spool *sp;
	const struct spool_counts *c;
	unsigned i, first, left;

	(void)state;
	subdir(d, sizeof(d), "full");
	/* 512 KiB cap: 64 KiB segments, the oldest dropped when full. */
	assert_non_null(sp = spool_open(d, 512 * 1024));
	for (i = 0; i < 10000; i++)
		append(sp, i);
	c = spool_counts(sp);
	assert_true(c->dropped_full > 0);
	assert_true(spool_bytes(sp) <= 512 * 1024);
	left = (unsigned)spool_records(sp);
	assert_int_equal(left + c->dropped_full, 10000);
	assert_true(count_files(d, ".seg") <= 9);
	/* What is left is the newest, in order. */
	first = 10000 - left;
	assert_int_equal(drain(sp, first, 100000, 1), left);
	spool_close(sp);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_crc32),
		cmocka_unit_test(test_order_restart),
		cmocka_unit_test(test_torn_tail),
		cmocka_unit_test(test_corrupt_middle),
		cmocka_unit_test(test_full),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
