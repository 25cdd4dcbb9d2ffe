/*
 * test_json.c - the record writer: structure, numbers, overflow, and
 * escaping of hostile strings checked by parsing the output back with
 * the JSON scanner and by a strict UTF-8 check of every byte written.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "jscan.h"
#include "json.h"

/* Strict UTF-8 with no control bytes: what a JSON consumer needs. */
static bool
valid_utf8_no_ctl(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, k, len;
	uint32_t cp;

	while (i < n) {
		if (p[i] < 0x20)
			return false;
		if (p[i] < 0x80) {
			i++;
			continue;
		}
		if (p[i] >= 0xc2 && p[i] <= 0xdf) { len = 2; cp = p[i] & 0x1f; }
		else if (p[i] >= 0xe0 && p[i] <= 0xef) { len = 3; cp = p[i] & 0x0f; }
		else if (p[i] >= 0xf0 && p[i] <= 0xf4) { len = 4; cp = p[i] & 7; }
		else return false;
		if (len > n - i)
			return false;
		for (k = 1; k < len; k++) {
			if ((p[i + k] & 0xc0) != 0x80)
				return false;
			cp = cp << 6 | (p[i + k] & 0x3f);
		}
		if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
		    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
			return false;
		i += len;
	}
	return true;
}

/* Escapes in, checks the literal parses and is clean, returns decoded. */
static size_t
round_trip(const char *in, size_t n, char *dec, size_t cap)
{
	char lit[4096];
	struct jscan_val v;
	size_t len;

	len = json_escape(lit, sizeof(lit), in, n);
	assert_true(len > 0);
	assert_true(valid_utf8_no_ctl(lit, len));
	assert_true(jscan_parse(lit, len, &v));
	assert_int_equal(v.type, JSCAN_STRING);
	return jscan_string(&v, dec, cap);
}

static void
test_plain_and_specials(void **state)
{
	/* quote, backslash, slash, newline, tab, CR, DEL, a NUL inside */
	static const char in[] = "a\"b\\c/d\ne\tf\rg\x7fh\0i";
	char dec[256];
	size_t n;

	(void)state;
	n = round_trip(in, sizeof(in) - 1, dec, sizeof(dec));
	/* jscan turns \u0000 into U+FFFD; everything else comes back. */
	assert_int_equal(n, sizeof(in) - 1 + 2);
	assert_memory_equal(dec, in, 15);
	assert_memory_equal(dec + 15, "\xef\xbf\xbd", 3);
	assert_int_equal(dec[18], 'i');
}

static void
test_every_byte(void **state)
{
	char in[1], dec[16], lit[16];
	int b;

	(void)state;
	for (b = 0; b < 256; b++) {
		in[0] = (char)b;
		round_trip(in, 1, dec, sizeof(dec));
		assert_true(json_escape(lit, sizeof(lit), in, 1) > 0);
	}
}

static void
test_valid_utf8_kept(void **state)
{
	/* "Grüße 日本 🚀" in UTF-8 must come back byte for byte */
	static const char in[] = "Gr\xc3\xbc\xc3\x9f" "e \xe6\x97\xa5\xe6\x9c\xac "
	    "\xf0\x9f\x9a\x80";
	char dec[64];
	size_t n;

	(void)state;
	n = round_trip(in, sizeof(in) - 1, dec, sizeof(dec));
	assert_int_equal(n, sizeof(in) - 1);
	assert_memory_equal(dec, in, n);
}

static void
test_invalid_utf8_escaped(void **state)
{
	static const char *const bad[] = {
		"\xc0\xaf",		/* overlong '/' */
		"\xe0\x80\xaf",		/* overlong, 3 bytes */
		"\xed\xa0\x80",		/* UTF-16 surrogate D800 */
		"\xf4\x90\x80\x80",	/* above U+10FFFF */
		"\xc3",			/* cut 2-byte sequence */
		"\xe6\x97",		/* cut 3-byte sequence */
		"\x80\xbf",		/* lone continuation bytes */
		"SSH-2.0-\xff\xfe\x01",	/* banner with garbage */
	};
	char lit[256], dec[256];
	size_t i, n;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		n = json_escape(lit, sizeof(lit), bad[i], strlen(bad[i]));
		assert_true(n > 0);
		assert_true(valid_utf8_no_ctl(lit, n));
		assert_non_null(strstr(lit, "\\u00"));
		round_trip(bad[i], strlen(bad[i]), dec, sizeof(dec));
	}
}

static void
test_object_structure(void **state)
{
	char buf[512];
	struct jbuf j;
	struct jscan_val v, m, e;
	double d;

	(void)state;
	jb_init(&j, buf, sizeof(buf));
	jb_open_object(&j, NULL);
	jb_string(&j, "s", "x\"y");
	jb_u64(&j, "u", UINT64_MAX);
	jb_i64(&j, "i", -5);
	jb_double(&j, "d", 0.25, 2);
	jb_double(&j, "nan", 0.0 / 0.0, 2);
	jb_bool(&j, "b", true);
	jb_null(&j, "n");
	jb_open_array(&j, "a");
	jb_u64(&j, NULL, 1);
	jb_open_object(&j, NULL);
	jb_close_object(&j);
	jb_close_array(&j);
	jb_raw(&j, "r", "{\"k\":1}", 7);
	jb_hex(&j, "h", (const uint8_t *)"\x01\xab", 2);
	jb_close_object(&j);
	assert_false(j.overflow);
	assert_string_equal(buf, "{\"s\":\"x\\\"y\",\"u\":18446744073709551615,"
	    "\"i\":-5,\"d\":0.25,\"nan\":0.00,\"b\":true,\"n\":null,"
	    "\"a\":[1,{}],\"r\":{\"k\":1},\"h\":\"01ab\"}");
	assert_true(jscan_parse(buf, j.len, &v));
	assert_true(jscan_member(&v, "d", &m));
	assert_true(jscan_number(&m, &d));
	assert_true(d == 0.25);
	assert_true(jscan_member(&v, "a", &m));
	assert_true(jscan_index(&m, 1, &e));
	assert_int_equal(e.type, JSCAN_OBJECT);
}

static void
test_overflow_never_writes_past(void **state)
{
	char buf[40];
	struct jbuf j;
	size_t cap;

	(void)state;
	for (cap = 1; cap < sizeof(buf); cap++) {
		memset(buf, 'Z', sizeof(buf));
		jb_init(&j, buf, cap);
		jb_open_object(&j, NULL);
		jb_string(&j, "key", "a long value with \x01 control bytes");
		jb_close_object(&j);
		assert_true(j.overflow);
		assert_true(j.len < cap);
		assert_int_equal(buf[cap], 'Z');	/* untouched */
	}
}

static void
test_timestamp(void **state)
{
	char ts[40];

	(void)state;
	/* 2026-01-01T00:00:00Z plus 1.000042 s */
	json_timestamp(ts, sizeof(ts), 1767225601000042ULL);
	assert_string_equal(ts, "2026-01-01T00:00:01.000042+0000");
}

/* The hand-made formatter against gmtime_r + strftime, leap years included. */
static void
test_timestamp_matches_libc(void **state)
{
	static const uint64_t fixed[] = {
		0, 951782400ULL,	/* 2000-02-29 (400-year leap) */
		4107542399ULL,		/* 2100-02-28 23:59:59 (no leap) */
		4107542400ULL,		/* 2100-03-01 */
		2147483648ULL,		/* past 2038 */
		253402300799ULL,	/* 9999-12-31 23:59:59 */
	};
	char mine[JSON_TIMESTAMP_LEN], want[64], date[32];
	uint64_t x = 88172645463325252ULL, secs, us;
	struct tm tm;
	time_t t;
	size_t i;

	(void)state;
	for (i = 0; i < 20000; i++) {
		if (i < sizeof(fixed) / sizeof(fixed[0]))
			secs = fixed[i];
		else {
			x ^= x << 13; x ^= x >> 7; x ^= x << 17;
			secs = x % 253402300800ULL;
		}
		us = (x >> 20) % 1000000;
		t = (time_t)secs;
		gmtime_r(&t, &tm);
		strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%S", &tm);
		snprintf(want, sizeof(want), "%s.%06u+0000", date, (unsigned)us);
		json_timestamp(mine, sizeof(mine), secs * 1000000 + us);
		assert_string_equal(mine, want);
	}
	json_timestamp(mine, 5, 0);	/* a short buffer is cut, terminated */
	assert_string_equal(mine, "1970");
}

static void
test_integers(void **state)
{
	char buf[128];
	struct jbuf j;

	(void)state;
	jb_init(&j, buf, sizeof(buf));
	jb_open_array(&j, NULL);
	jb_u64(&j, NULL, 0);
	jb_u64(&j, NULL, UINT64_MAX);
	jb_i64(&j, NULL, INT64_MIN);
	jb_i64(&j, NULL, INT64_MAX);
	jb_i64(&j, NULL, -7);
	jb_close_array(&j);
	assert_false(j.overflow);
	assert_int_equal(j.len, strlen("[0,18446744073709551615,"
	    "-9223372036854775808,9223372036854775807,-7]"));
	assert_memory_equal(buf, "[0,18446744073709551615,"
	    "-9223372036854775808,9223372036854775807,-7]", j.len);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_and_specials),
		cmocka_unit_test(test_every_byte),
		cmocka_unit_test(test_valid_utf8_kept),
		cmocka_unit_test(test_invalid_utf8_escaped),
		cmocka_unit_test(test_object_structure),
		cmocka_unit_test(test_overflow_never_writes_past),
		cmocka_unit_test(test_timestamp),
		cmocka_unit_test(test_timestamp_matches_libc),
		cmocka_unit_test(test_integers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
