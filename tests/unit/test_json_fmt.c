/*
 * test_json_fmt.c - the record writer's printf-free number, address and
 * time writers against the libc functions they replace: json_fmt_double
 * against snprintf("%.*f") (with the old 64-byte cut to "0"), json_fmt_ip
 * against inet_ntop, jb_timestamp with its second cache against
 * gmtime_r + strftime, json_fmt_u64 against PRIu64.  Fixed edge cases
 * first, then many pseudo-random values (fixed seed).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <float.h>
#include <inttypes.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <arpa/inet.h>
#include <cmocka.h>

#include "json.h"

static uint64_t rng = 0x2545f4914f6cdd1dULL;

static uint64_t
rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* What jb_double printed before: snprintf, NaN/huge as 0, long as "0". */
static void
want_double(char *out, double v, int decimals)
{
	char tmp[JSON_DOUBLE_MAX];
	int n;

	if (v != v || v > 1e300 || v < -1e300)
		v = 0;
	n = snprintf(tmp, sizeof(tmp), "%.*f", decimals, v);
	if (n < 0 || (size_t)n >= sizeof(tmp))
		snprintf(tmp, sizeof(tmp), "0");
	memcpy(out, tmp, strlen(tmp) + 1);
}

static void
check_double(double v, int decimals)
{
	char mine[JSON_DOUBLE_MAX], want[JSON_DOUBLE_MAX];
	size_t n;

	memset(mine, 'Z', sizeof(mine));
	n = json_fmt_double(mine, v, decimals);
	want_double(want, v, decimals);
	if (strcmp(mine, want) != 0 || n != strlen(want))
		fail_msg("%.17g with %d decimals: got \"%s\", want \"%s\"",
		    v, decimals, mine, want);
}

static void
test_double_edges(void **state)
{
	static const double fixed[] = {
		0.0, -0.0, 0.5, 1.5, 2.5, 3.5, -0.5, -1.5, -2.5,
		0.125, 0.375, 0.625, 0.875, 1.125, -0.125,	/* exact ties */
		0.005, 0.015, 0.025, 0.045, 0.055, 1.005, 2.675,  /* near ties */
		0.0000005, 0.0000015, 0.0000025, 1e-7, 9.9999995e-7,
		0.05, 0.95, 0.995, 0.9995, 0.99999949999, 0.9999995,
		9.5, 99.5, 999.9999995, 123456.7890125,
		0.01, 0.1, 0.2, 0.3, 0.7, 1.0, 10.0, 100.0, 1e6, 1e9,
		4503599627370495.5, 4503599627370496.0, 9007199254740992.0,
		9007199254740993.0, 18446744073709551615.0, 18446744073709551616.0,
		36893488147419103232.0, 1e19, 1e20, 1e21, 1e22, 1e23, 1e30,
		1e50, 1e52, 1e53, 1e54, 1e55, 1e56, 1e60, 9.999999999999999e62,
		1e63, 1e64, 1e70, 1e72, 1e100, 1e300, -1e300, 1.0000001e300,
		1e301, -1e301, DBL_MAX, -DBL_MAX, DBL_MIN, -DBL_MIN,
		4.9406564584124654e-324, 2.2250738585072009e-308,
		1234.5678, -1234.5678, 3600.000001, 86399.999999, 0.3333333333,
		0.6666666666, 2.0 / 3.0, 1.0 / 3.0,
	};
	size_t i;
	int d;

	(void)state;
	for (i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
		for (d = 0; d <= 9; d++)
			check_double(fixed[i], d);
	for (d = 0; d <= 9; d++) {
		check_double(INFINITY, d);
		check_double(-INFINITY, d);
		check_double(NAN, d);
	}
}

/* The values records carry: durations (us / 1e6), confidences (n / 100),
 * SSH timings (ticks / 10), difficulties. */
static void
test_double_record_values(void **state)
{
	uint64_t i, x;

	(void)state;
	for (i = 0; i <= 100; i++)
		check_double((double)i / 100.0, 2);
	for (i = 0; i < 2000000; i += 7)
		check_double((double)i / 1e6, 6);
	for (i = 0; i < 200000; i++) {
		x = rnd();
		check_double((double)(x % 100000000000000ULL) / 1e6, 6);
		check_double((double)(x % 100000) / 10.0, 1);
		check_double((double)(x % 10000000) / 1000.0, 3);
		check_double((double)(x >> 11) / 1e3, 3);
	}
}

/* Ties: k + 0.5 units of the last digit, exact or nearest double. */
static void
test_double_ties(void **state)
{
	static const double scale[10] = { 1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7,
	    1e8, 1e9 };
	uint64_t i, k;
	int d;

	(void)state;
	for (d = 0; d <= 9; d++)
		for (i = 0; i < 20000; i++) {
			k = rnd() % 100000000;
			check_double(((double)k + 0.5) / scale[d], d);
			check_double(-((double)k + 0.5) / scale[d], d);
			check_double((double)k / 8.0, d);	/* exact halves */
		}
}

/* Every binade from tiny to past the cut, random mantissas. */
static void
test_double_random_bits(void **state)
{
	uint64_t bits, i;
	double v;

	(void)state;
	for (i = 0; i < 300000; i++) {
		bits = rnd();
		/* Exponent between 2^-80 and 2^220, or anywhere. */
		if (i % 4 != 0)
			bits = (bits & 0x800fffffffffffffULL) |
			    (uint64_t)(1023 - 80 + rnd() % 300) << 52;
		memcpy(&v, &bits, sizeof(v));
		check_double(v, (int)(i % 10));
	}
}

static void
check_ip(const uint8_t a[16])
{
	static const uint8_t mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	    0xff, 0xff };
	char mine[JSON_IP_MAX], want[64];
	size_t n;

	if (memcmp(a, mapped, 12) == 0)
		inet_ntop(AF_INET, a + 12, want, sizeof(want));
	else
		inet_ntop(AF_INET6, a, want, sizeof(want));
	n = json_fmt_ip(mine, a);
	assert_string_equal(mine, want);
	assert_int_equal(n, strlen(want));
}

static void
test_ip_matches_inet_ntop(void **state)
{
	uint8_t a[16];
	uint64_t x;
	int i, w;

	(void)state;
	memset(a, 0, sizeof(a));
	check_ip(a);				/* :: */
	a[15] = 1;
	check_ip(a);				/* ::1 */
	a[12] = 1, a[13] = 2, a[14] = 3, a[15] = 4;
	check_ip(a);				/* ::1.2.3.4 */
	a[10] = a[11] = 0xff;
	check_ip(a);				/* 1.2.3.4 (mapped) */
	a[10] = 0, a[11] = 0xfe;
	check_ip(a);
	memset(a, 0xff, sizeof(a));
	check_ip(a);				/* longest text */
	memset(a, 0, 12);
	a[10] = a[11] = 0xff, a[12] = a[13] = a[14] = a[15] = 255;
	check_ip(a);				/* 255.255.255.255 */
	memset(a, 0, 16);
	a[10] = a[11] = 0xff;
	check_ip(a);				/* 0.0.0.0 (mapped) */
	for (i = 0; i < 200000; i++) {
		x = rnd();
		memset(a, 0, sizeof(a));
		for (w = 0; w < 8; w++) {
			/* Mostly zero words, so runs of every length occur. */
			if ((x >> w) & 1)
				continue;
			a[2 * w] = (x >> (8 + w)) & 1 ? (uint8_t)rnd() : 0;
			a[2 * w + 1] = (uint8_t)rnd();
		}
		if (i % 5 == 0) {		/* the embedded IPv4 forms */
			memset(a, 0, 10);
			a[10] = a[11] = i % 10 == 0 ? 0xff : 0;
		}
		check_ip(a);
	}
}

/* A sequence of stamps through one cache against strftime each time. */
static void
test_timestamp_cache(void **state)
{
	struct json_clock clk;
	char buf[128], want[64], date[32];
	uint64_t secs = 1767225600ULL, us, x;
	struct jbuf j;
	struct tm tm;
	time_t t;
	int i;

	(void)state;
	memset(&clk, 0, sizeof(clk));
	for (i = 0; i < 300000; i++) {
		x = rnd();
		switch (x % 8) {
		case 0: secs += 1; break;		/* the next second */
		case 1: secs -= x % 300; break;		/* an older flow start */
		case 2: secs = (x >> 8) % 253402300800ULL; break;
		case 3: secs = x % 2 ? 951782399 : 951868800; break; /* 2000-02-29 */
		case 4: secs = 2147483647 + x % 3; break;	/* 2038 */
		case 5: secs = 4107542399ULL + x % 2; break;	/* 2100-02-28/03-01 */
		default: break;				/* the same second */
		}
		us = (x >> 24) % 1000000;
		jb_init_clock(&j, buf, sizeof(buf), &clk);
		jb_timestamp(&j, NULL, secs * 1000000 + us);
		t = (time_t)secs;
		gmtime_r(&t, &tm);
		strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%S", &tm);
		snprintf(want, sizeof(want), "\"%s.%06u+0000\"", date,
		    (unsigned)us);
		assert_false(j.overflow);
		assert_string_equal(buf, want);
	}
	/* Without a clock, and cut by a short buffer: overflow, no write. */
	jb_init(&j, buf, 20);
	jb_timestamp(&j, "t", 0);
	assert_true(j.overflow);
	assert_true(j.len < 20);
}

static void
test_u64(void **state)
{
	char mine[JSON_U64_MAX], want[32];
	uint64_t v;
	int i;

	(void)state;
	for (i = 0; i < 100000; i++) {
		v = i < 64 ? (uint64_t)1 << i : i < 128 ? ((uint64_t)1 << (i - 64)) - 1
		    : rnd() >> (i % 64);
		snprintf(want, sizeof(want), "%" PRIu64, v);
		assert_int_equal(json_fmt_u64(mine, v), strlen(want));
		assert_string_equal(mine, want);
	}
	json_fmt_u64(mine, UINT64_MAX);
	assert_string_equal(mine, "18446744073709551615");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_double_edges),
		cmocka_unit_test(test_double_record_values),
		cmocka_unit_test(test_double_ties),
		cmocka_unit_test(test_double_random_bits),
		cmocka_unit_test(test_ip_matches_inet_ntop),
		cmocka_unit_test(test_timestamp_cache),
		cmocka_unit_test(test_u64),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
