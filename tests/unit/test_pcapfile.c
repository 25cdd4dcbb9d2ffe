/*
 * test_pcapfile.c - unit tests for sensor/pcapfile.c, the classic pcap
 * record reader: both byte orders, micro- and nanosecond timestamps,
 * records cut by the snapshot length, cut and garbled files with
 * libpcap 1.10's messages, formats left to libpcap, and a file bigger
 * than the read buffer (records straddling a refill).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "pcapfile.h"

#define MAXCAP	262144u

static size_t
put32(uint8_t *b, uint32_t v, int be)
{
	int i;

	for (i = 0; i < 4; i++)
		b[i] = (uint8_t)(be ? v >> (24 - 8 * i) : v >> (8 * i));
	return 4;
}

static size_t
put16(uint8_t *b, uint16_t v, int be)
{
	b[0] = (uint8_t)(be ? v >> 8 : v);
	b[1] = (uint8_t)(be ? v : v >> 8);
	return 2;
}

/* A file header: magic, version, zone, sigfigs, snaplen, link type 1. */
static size_t
file_hdr(uint8_t *b, int be, int ns, uint16_t major, uint16_t minor)
{
	size_t n = 0;

	n += put32(b + n, ns ? 0xa1b23c4d : 0xa1b2c3d4, be);
	n += put16(b + n, major, be);
	n += put16(b + n, minor, be);
	n += put32(b + n, 0, be);
	n += put32(b + n, 0, be);
	n += put32(b + n, 65535, be);
	n += put32(b + n, 1, be);
	return n;
}

/* A record of caplen bytes, each byte fill, claiming caplen on the wire. */
static size_t
rec(uint8_t *b, int be, uint32_t sec, uint32_t frac, uint32_t caplen,
    uint32_t wirelen, uint8_t fill, size_t body)
{
	size_t n = 0;

	n += put32(b + n, sec, be);
	n += put32(b + n, frac, be);
	n += put32(b + n, caplen, be);
	n += put32(b + n, wirelen, be);
	memset(b + n, fill, body);
	return n + body;
}

static uint8_t buf[4096];

/* Two records in each of the 4 formats; the fraction in ns is cut to us. */
static void
test_formats(void **state)
{
	struct pcapfile_pkt p;
	struct pcapfile *r;
	char err[256];
	int be, ns;
	size_t n;

	(void)state;
	for (be = 0; be < 2; be++)
		for (ns = 0; ns < 2; ns++) {
			n = file_hdr(buf, be, ns, 2, 4);
			n += rec(buf + n, be, 1767225600, ns ? 999999999 :
			    999999, 5, 60, 0xaa, 5);
			n += rec(buf + n, be, 1767225601, 7000, 3, 3, 0xbb, 3);
			assert_non_null(r = pcapfile_open_mem(buf, n, 65535,
			    MAXCAP));
			assert_int_equal(pcapfile_next(r, &p, err,
			    sizeof(err)), 1);
			assert_int_equal(p.caplen, 5);
			assert_int_equal(p.wirelen, 60);
			assert_true(p.data == buf + 24 + 16);
			assert_int_equal(p.data[4], 0xaa);
			assert_true(p.ts_us == 1767225600ULL * 1000000 + 999999);
			assert_int_equal(pcapfile_next(r, &p, err,
			    sizeof(err)), 1);
			assert_true(p.ts_us == 1767225601ULL * 1000000 +
			    (ns ? 7 : 7000));
			assert_int_equal(p.data[0], 0xbb);
			assert_int_equal(pcapfile_next(r, &p, err,
			    sizeof(err)), 0);
			assert_int_equal(pcapfile_pos(r), n);
			pcapfile_close(r);
		}
}

/* Past 2^31: signed in the host's byte order, unsigned when swapped. */
static void
test_ts_sign(void **state)
{
	struct pcapfile_pkt p;
	struct pcapfile *r;
	char err[256];
	size_t n;

	(void)state;
	n = file_hdr(buf, 0, 0, 2, 4);
	n += rec(buf + n, 0, 0x80000000u, 0, 1, 1, 0, 1);
	assert_non_null(r = pcapfile_open_mem(buf, n, 65535, MAXCAP));
	assert_int_equal(pcapfile_next(r, &p, err, sizeof(err)), 1);
	assert_true(p.ts_us == (uint64_t)(-2147483648LL * 1000000));
	pcapfile_close(r);
	n = file_hdr(buf, 1, 0, 2, 4);
	n += rec(buf + n, 1, 0x80000000u, 0, 1, 1, 0, 1);
	assert_non_null(r = pcapfile_open_mem(buf, n, 65535, MAXCAP));
	assert_int_equal(pcapfile_next(r, &p, err, sizeof(err)), 1);
	assert_true(p.ts_us == 2147483648ULL * 1000000);
	pcapfile_close(r);
}

/* Beyond the snapshot: cut to it, the next record found after the rest. */
static void
test_snapshot(void **state)
{
	struct pcapfile_pkt p;
	struct pcapfile *r;
	char err[256];
	size_t n;

	(void)state;
	n = file_hdr(buf, 1, 1, 2, 4);
	n += rec(buf + n, 1, 1, 0, 10, 10, 0x11, 10);
	n += rec(buf + n, 1, 2, 0, 2, 2, 0x22, 2);
	assert_non_null(r = pcapfile_open_mem(buf, n, 4, MAXCAP));
	assert_int_equal(pcapfile_next(r, &p, err, sizeof(err)), 1);
	assert_int_equal(p.caplen, 4);
	assert_int_equal(p.wirelen, 10);
	assert_int_equal(pcapfile_next(r, &p, err, sizeof(err)), 1);
	assert_int_equal(p.caplen, 2);
	assert_int_equal(p.data[1], 0x22);
	assert_int_equal(pcapfile_next(r, &p, err, sizeof(err)), 0);
	pcapfile_close(r);

	/* Cut inside the snapshot's bytes, then after them. */
	assert_non_null(r = pcapfile_open_mem(buf, 24 + 16 + 3, 4, MAXCAP));
	assert_int_equal(pcapfile_next(r, &p, err, sizeof(err)), -1);
	assert_string_equal(err, "truncated dump file; tried to read 4 "
	    "captured bytes, only got 3");
	pcapfile_close(r);
	assert_non_null(r = pcapfile_open_mem(buf, 24 + 16 + 7, 4, MAXCAP));
	assert_int_equal(pcapfile_next(r, &p, err, sizeof(err)), -1);
	assert_string_equal(err, "truncated dump file; tried to read 10 "
	    "captured bytes, only got 7");
	pcapfile_close(r);
}

/* Cut headers and bodies, a length beyond the maximum: libpcap's words. */
static void
test_cut(void **state)
{
	struct pcapfile_pkt p;
	struct pcapfile *r;
	char err[256];
	size_t n, full;

	(void)state;
	n = file_hdr(buf, 0, 1, 2, 4);
	n += rec(buf + n, 0, 1, 0, 8, 8, 0x33, 8);
	full = n;
	n += rec(buf + n, 0, 1, 0, 300000, 300000, 0, 0);
	assert_non_null(r = pcapfile_open_mem(buf, full + 5, 65535, MAXCAP));
	assert_int_equal(pcapfile_next(r, &p, err, sizeof(err)), 1);
	assert_int_equal(pcapfile_next(r, &p, err, sizeof(err)), -1);
	assert_string_equal(err, "truncated dump file; tried to read 16 "
	    "header bytes, only got 5");
	pcapfile_close(r);

	assert_non_null(r = pcapfile_open_mem(buf, full - 1, 65535, MAXCAP));
	assert_int_equal(pcapfile_next(r, &p, err, sizeof(err)), -1);
	assert_string_equal(err, "truncated dump file; tried to read 8 "
	    "captured bytes, only got 7");
	pcapfile_close(r);

	assert_non_null(r = pcapfile_open_mem(buf, n, 65535, MAXCAP));
	assert_int_equal(pcapfile_next(r, &p, err, sizeof(err)), 1);
	assert_int_equal(pcapfile_next(r, &p, err, sizeof(err)), -1);
	assert_string_equal(err, "invalid packet capture length 300000, "
	    "bigger than snaplen of 65535");
	pcapfile_close(r);
}

/* Version 2.3 swaps the lengths only when caplen > len; 2.2 always. */
static void
test_versions(void **state)
{
	struct pcapfile_pkt p;
	struct pcapfile *r;
	char err[256];
	size_t n;

	(void)state;
	n = file_hdr(buf, 0, 0, 2, 3);
	n += rec(buf + n, 0, 1, 0, 40, 4, 0, 4);
	n += rec(buf + n, 0, 1, 0, 2, 40, 0, 2);
	assert_non_null(r = pcapfile_open_mem(buf, n, 65535, MAXCAP));
	assert_int_equal(pcapfile_next(r, &p, err, sizeof(err)), 1);
	assert_int_equal(p.caplen, 4);
	assert_int_equal(p.wirelen, 40);
	assert_int_equal(pcapfile_next(r, &p, err, sizeof(err)), 1);
	assert_int_equal(p.caplen, 2);
	assert_int_equal(p.wirelen, 40);
	pcapfile_close(r);
	n = file_hdr(buf, 1, 0, 2, 2);
	n += rec(buf + n, 1, 1, 0, 40, 4, 0, 4);
	assert_non_null(r = pcapfile_open_mem(buf, n, 65535, MAXCAP));
	assert_int_equal(pcapfile_next(r, &p, err, sizeof(err)), 1);
	assert_int_equal(p.caplen, 4);
	pcapfile_close(r);
}

/* Left to libpcap: Kuznetzov's format, unknown versions, a short file. */
static void
test_not_ours(void **state)
{
	struct pcapfile *r;
	size_t n;

	(void)state;
	n = file_hdr(buf, 0, 0, 2, 4);
	put32(buf, 0xa1b2cd34, 0);
	assert_null(pcapfile_open_mem(buf, n, 65535, MAXCAP));
	n = file_hdr(buf, 0, 0, 2, 5);
	assert_null(pcapfile_open_mem(buf, n, 65535, MAXCAP));
	n = file_hdr(buf, 1, 0, 543, 1);
	assert_null(pcapfile_open_mem(buf, n, 65535, MAXCAP));
	n = file_hdr(buf, 0, 0, 2, 4);
	assert_null(pcapfile_open_mem(buf, n - 1, 65535, MAXCAP));
	assert_non_null(r = pcapfile_open_mem(buf, n, 65535, MAXCAP));
	pcapfile_close(r);
}

/* A 2.2 MB file through the fd reader: records straddle two refills. */
static void
test_file_refill(void **state)
{
	static uint8_t r1[16 + 1001];
	struct pcapfile_pkt p;
	struct pcapfile *r;
	char path[] = "/tmp/i10r-pcapfile-XXXXXX", err[256];
	uint32_t i, want = 2200, got = 0;
	int fd, pipefd[2];
	size_t n;

	(void)state;
	assert_true((fd = mkstemp(path)) >= 0);
	unlink(path);
	n = file_hdr(buf, 1, 0, 2, 4);
	assert_int_equal(write(fd, buf, n), (ssize_t)n);
	for (i = 0; i < want; i++) {
		n = rec(r1, 1, i, 0, 1001 - i % 3, 1500, (uint8_t)i,
		    1001 - i % 3);
		assert_int_equal(write(fd, r1, n), (ssize_t)n);
	}
	assert_non_null(r = pcapfile_open(fd, 65535, MAXCAP));
	while (pcapfile_next(r, &p, err, sizeof(err)) == 1) {
		assert_int_equal(p.caplen, 1001 - got % 3);
		assert_int_equal(p.data[0], (uint8_t)got);
		assert_int_equal(p.data[p.caplen - 1], (uint8_t)got);
		assert_true(p.ts_us == (uint64_t)got * 1000000);
		got++;
	}
	assert_int_equal(got, want);
	assert_true(pcapfile_pos(r) == (uint64_t)lseek(fd, 0, SEEK_END));
	pcapfile_close(r);
	close(fd);

	/* A pipe is libpcap's. */
	assert_int_equal(pipe(pipefd), 0);
	assert_null(pcapfile_open(pipefd[0], 65535, MAXCAP));
	close(pipefd[0]);
	close(pipefd[1]);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_formats),
		cmocka_unit_test(test_ts_sign),
		cmocka_unit_test(test_snapshot),
		cmocka_unit_test(test_cut),
		cmocka_unit_test(test_versions),
		cmocka_unit_test(test_not_ours),
		cmocka_unit_test(test_file_refill),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
