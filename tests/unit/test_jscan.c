/*
 * test_jscan.c - unit tests for the bounded JSON scanner.
 *
 * Every input is copied into a heap buffer of exactly its length first,
 * so under ASan any read past the end of the buffer is caught rather
 * than hidden by a NUL terminator.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "jscan.h"

/* A heap copy of s[0, n) with no terminator; free()d by the caller. */
static char *
dup_exact(const char *s, size_t n)
{
	char *p = malloc(n > 0 ? n : 1);

	assert_non_null(p);
	memcpy(p, s, n);
	return p;
}

static bool
parse_n(const char *s, size_t n, struct jscan_val *v)
{
	char *p = dup_exact(s, n);
	bool ok = jscan_parse(p, n, v);

	free(p);
	return ok;
}

/* Parses s into *v, keeping the heap copy in *keep (free()d by the caller). */
static bool
parse_keep(const char *s, struct jscan_val *v, char **keep)
{
	*keep = dup_exact(s, strlen(s));
	return jscan_parse(*keep, strlen(s), v);
}

static bool
parse(const char *s)
{
	struct jscan_val v;

	return parse_n(s, strlen(s), &v);
}

static void
test_valid(void **state)
{
	static const char *ok[] = {
		"{}", "[]", " { } ", "\t\r\n{}\n", "0", "-0", "1.5e10",
		"-12.25E-3", "1e+2", "true", "false", "null", "\"\"",
		"\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\"", "\"\\u00e9\\uD83D\\uDE00\"",
		"{\"a\":1,\"b\":[1,2,{\"c\":null}],\"d\":{\"e\":\"f\"}}",
		"{ \"a\" : [ ] , \"b\" : { } }",
		"[\"\xc3\xa9\", \"\xff raw high bytes are accepted\"]",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		assert_true(parse(ok[i]));
}

static void
test_invalid(void **state)
{
	static const char *bad[] = {
		"", " ", "{", "}", "{]", "[}", "{,}", "[,]", "[1,]",
		"{\"a\":1,}", "{\"a\" 1}", "{\"a\":}", "{a:1}", "{'a':1}",
		"01", "1.", ".5", "-", "+1", "1e", "1e+", "0x10", "tru",
		"nul", "True", "\"abc", "\"a\\x\"", "\"\\u12G4\"", "\"\\u12\"",
		"\"tab\there\"", "{}x", "{}{}", "[1 2]", "{\"a\":1 \"b\":2}",
		"\"\\", "{\"a\"", "{\"a\":", "[", "NaN", "Infinity",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_false(parse(bad[i]));
}

static void
test_nul_byte(void **state)
{
	/* {"a":"x<NUL>y"}: a raw NUL is a control byte inside a string */
	static const char in[] = "{\"a\":\"x\0y\"}";
	/* {"a":1}<NUL>: trailing garbage */
	static const char in2[] = "{\"a\":1}\0";
	struct jscan_val v;

	(void)state;
	assert_false(parse_n(in, sizeof(in) - 1, &v));
	assert_false(parse_n(in2, sizeof(in2) - 1, &v));
}

static void
test_depth(void **state)
{
	char buf[4096];
	struct jscan_val v;
	size_t d, i, n;

	(void)state;
	for (d = 1; d <= JSCAN_MAX_DEPTH + 1; d++) {
		n = 0;
		for (i = 0; i < d; i++)
			buf[n++] = '[';
		for (i = 0; i < d; i++)
			buf[n++] = ']';
		if (d <= JSCAN_MAX_DEPTH)
			assert_true(parse_n(buf, n, &v));
		else
			assert_false(parse_n(buf, n, &v));
	}
	/* 4000 opening brackets, never closed: fails fast, no deep stack */
	memset(buf, '[', sizeof(buf));
	assert_false(parse_n(buf, sizeof(buf), &v));
	/* {"a":{"a":{... 1000 deep */
	n = 0;
	for (i = 0; i < 800 && n + 5 < sizeof(buf); i++) {
		memcpy(buf + n, "{\"a\":", 5);
		n += 5;
	}
	assert_false(parse_n(buf, n, &v));
}

static void
test_truncated_every_length(void **state)
{
	/* an XMRig login request, the kind of line the dissector sees */
	static const char line[] =
	    "{\"id\":1,\"jsonrpc\":\"2.0\",\"method\":\"login\",\"params\":"
	    "{\"login\":\"48edfHu7V9Z84YzzMa6fUueo\",\"pass\":\"x\","
	    "\"agent\":\"XMRig/6.21.0 \\u00e9\",\"algo\":[\"rx/0\",\"cn/r\"],"
	    "\"n\":-1.5e3,\"t\":true,\"f\":false,\"z\":null}}";
	struct jscan_val v;
	size_t n;

	(void)state;
	assert_true(parse_n(line, sizeof(line) - 1, &v));
	assert_int_equal(v.type, JSCAN_OBJECT);
	for (n = 0; n < sizeof(line) - 1; n++)
		assert_false(parse_n(line, n, &v));
}

static void
test_member_lookup(void **state)
{
	/* same members, different order, spacing and key escaping */
	static const char *forms[] = {
		"{\"id\":7,\"method\":\"mining.subscribe\",\"params\":[]}",
		"{ \"params\" : [ ] ,\n\t\"method\" : \"mining.subscribe\" , "
		    "\"id\" : 7 }",
		"{\"\\u0069d\":7,\"meth\\u006fd\":\"mining.subscribe\","
		    "\"params\":[]}",
		"{\"x\":{\"id\":1,\"method\":\"no\"},\"s\":\"\\\"id\\\":2\","
		    "\"id\":7,\"method\":\"mining.subscribe\",\"params\":[]}",
	};
	struct jscan_val root, v;
	double d;
	size_t i;
	char *p;

	(void)state;
	for (i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
		p = dup_exact(forms[i], strlen(forms[i]));
		assert_true(jscan_parse_object(p, strlen(forms[i]), &root));
		assert_true(jscan_member(&root, "id", &v));
		assert_int_equal(v.type, JSCAN_NUMBER);
		assert_true(jscan_number(&v, &d));
		assert_true(d == 7.0);
		assert_true(jscan_member(&root, "method", &v));
		assert_true(jscan_string_eq(&v, "mining.subscribe"));
		assert_false(jscan_string_eq(&v, "mining.subscrib"));
		assert_false(jscan_string_eq(&v, "mining.subscribex"));
		assert_true(jscan_string_prefix(&v, "mining."));
		assert_true(jscan_member(&root, "params", &v));
		assert_int_equal(v.type, JSCAN_ARRAY);
		assert_false(jscan_index(&v, 0, &v));
		assert_false(jscan_member(&root, "missing", &v));
		assert_false(jscan_member(&root, "i", &v));
		free(p);
	}
}

static void
test_member_not_object(void **state)
{
	struct jscan_val v, out;
	char *p;

	(void)state;
	memset(&v, 0, sizeof(v));
	assert_false(jscan_member(&v, "a", &out));
	assert_false(jscan_index(&v, 0, &out));
	assert_true(parse_keep("[1,2]", &v, &p));
	assert_false(jscan_member(&v, "a", &out));
	free(p);
}

static void
test_iterate(void **state)
{
	static const char in[] =
	    "{\"a\":[1,\"two\",{\"three\":3},[4],true,null],\"b\":{},\"c\":\"\"}";
	struct jscan_val root, k, v, e;
	struct jscan_iter it;
	enum jscan_type want[] = { JSCAN_NUMBER, JSCAN_STRING, JSCAN_OBJECT,
	    JSCAN_ARRAY, JSCAN_TRUE, JSCAN_NULL };
	size_t n = 0;
	char *p = dup_exact(in, sizeof(in) - 1);

	(void)state;
	assert_true(jscan_parse_object(p, sizeof(in) - 1, &root));
	jscan_iter_init(&it, &root);
	while (jscan_iter_next(&it, &k, &v))
		n++;
	assert_int_equal(n, 3);
	assert_false(jscan_iter_next(&it, &k, &v));
	assert_true(jscan_member(&root, "a", &v));
	n = 0;
	jscan_iter_init(&it, &v);
	while (jscan_iter_next(&it, &k, &e)) {
		assert_int_equal(k.type, JSCAN_INVALID);
		assert_true(n < 6);
		assert_int_equal(e.type, want[n]);
		n++;
	}
	assert_int_equal(n, 6);
	assert_true(jscan_index(&v, 1, &e));
	assert_true(jscan_string_eq(&e, "two"));
	assert_true(jscan_index(&v, 2, &e));
	assert_true(jscan_member(&e, "three", &e));
	assert_false(jscan_index(&v, 6, &e));
	/* an empty object iterates nothing; a scalar iterates nothing */
	assert_true(jscan_member(&root, "b", &v));
	jscan_iter_init(&it, &v);
	assert_false(jscan_iter_next(&it, &k, &e));
	assert_true(jscan_member(&root, "c", &v));
	jscan_iter_init(&it, &v);
	assert_false(jscan_iter_next(&it, &k, &e));
	free(p);
}

static struct jscan_val
str_val(const char *lit, char **keep)
{
	struct jscan_val v;

	*keep = dup_exact(lit, strlen(lit));
	assert_true(jscan_parse(*keep, strlen(lit), &v));
	assert_int_equal(v.type, JSCAN_STRING);
	return v;
}

static void
test_string_decode(void **state)
{
	struct jscan_val v;
	char out[64], *p;
	size_t n;

	(void)state;
	v = str_val("\"a\\\"b\\\\c\\/d\\n\\t\"", &p);
	n = jscan_string(&v, out, sizeof(out));
	assert_string_equal(out, "a\"b\\c/d\n\t");
	assert_int_equal(n, 9);
	free(p);
	/* \u00e9 = e-acute, U+1F600 as a surrogate pair */
	v = str_val("\"caf\\u00e9 \\uD83D\\uDE00\"", &p);
	n = jscan_string(&v, out, sizeof(out));
	assert_string_equal(out, "caf\xc3\xa9 \xf0\x9f\x98\x80");
	assert_int_equal(n, 10);
	free(p);
	/* a lone high surrogate, a lone low one, and \u0000 become U+FFFD */
	v = str_val("\"\\uD800x\\uDC00\\u0000\"", &p);
	jscan_string(&v, out, sizeof(out));
	assert_string_equal(out, "\xef\xbf\xbdx\xef\xbf\xbd\xef\xbf\xbd");
	free(p);
	/* \u20AC euro sign, 3 bytes, upper-case hex */
	v = str_val("\"\\u20AC\"", &p);
	jscan_string(&v, out, sizeof(out));
	assert_string_equal(out, "\xe2\x82\xac");
	free(p);
	/* not a string: empty result */
	assert_true(parse_keep("12", &v, &p));
	assert_int_equal(jscan_string(&v, out, sizeof(out)), 0);
	assert_string_equal(out, "");
	free(p);
}

static void
test_string_truncation(void **state)
{
	struct jscan_val v;
	char out[8], *p;
	size_t n;

	(void)state;
	v = str_val("\"abcdefghij\"", &p);
	n = jscan_string(&v, out, sizeof(out));
	assert_int_equal(n, 10);	/* full length: truncated */
	assert_string_equal(out, "abcdefg");
	assert_int_equal(jscan_string(&v, NULL, 0), 10);
	free(p);
	/* "abcdef" + e-acute: 8 bytes, the 2-byte char must not be split */
	v = str_val("\"abcdef\\u00e9\"", &p);
	n = jscan_string(&v, out, sizeof(out));
	assert_int_equal(n, 8);
	assert_string_equal(out, "abcdef");
	free(p);
	/* the same with a raw UTF-8 sequence */
	v = str_val("\"abcdef\xc3\xa9\"", &p);
	n = jscan_string(&v, out, sizeof(out));
	assert_int_equal(n, 8);
	assert_string_equal(out, "abcdef");
	free(p);
	/* 4-byte emoji at the edge */
	v = str_val("\"abcd\\uD83D\\uDE00\"", &p);
	n = jscan_string(&v, out, sizeof(out));
	assert_int_equal(n, 8);
	assert_string_equal(out, "abcd");
	free(p);
}

static void
test_numbers(void **state)
{
	struct jscan_val v;
	char *p;
	double d;

	(void)state;
	assert_true(parse_keep("8192", &v, &p));
	assert_true(jscan_number(&v, &d));
	assert_true(d == 8192.0);
	free(p);
	assert_true(parse_keep("-0.5e1", &v, &p));
	assert_true(jscan_number(&v, &d));
	assert_true(d == -5.0);
	free(p);
	assert_true(parse_keep("\"1\"", &v, &p));
	assert_false(jscan_number(&v, &d));
	free(p);
}

/* Random bytes from a fixed seed: never crash, never read out of bounds. */
static void
test_random_bytes(void **state)
{
	static const char alphabet[] = "{}[]\":,\\u0123456789abcdefEe+-.tfn \n";
	struct jscan_val v, m;
	struct jscan_iter it;
	uint32_t x = 12345;
	char buf[64], *p;
	size_t i, n, round;

	(void)state;
	for (round = 0; round < 20000; round++) {
		n = 1 + round % sizeof(buf);
		for (i = 0; i < n; i++) {
			x = x * 1103515245 + 12345;
			buf[i] = alphabet[(x >> 16) % (sizeof(alphabet) - 1)];
		}
		buf[0] = '{';
		p = dup_exact(buf, n);
		if (jscan_parse(p, n, &v)) {
			(void)jscan_member(&v, "a", &m);
			jscan_iter_init(&it, &v);
			while (jscan_iter_next(&it, &m, &m))
				;
		}
		free(p);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid),
		cmocka_unit_test(test_invalid),
		cmocka_unit_test(test_nul_byte),
		cmocka_unit_test(test_depth),
		cmocka_unit_test(test_truncated_every_length),
		cmocka_unit_test(test_member_lookup),
		cmocka_unit_test(test_member_not_object),
		cmocka_unit_test(test_iterate),
		cmocka_unit_test(test_string_decode),
		cmocka_unit_test(test_string_truncation),
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_random_bytes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
