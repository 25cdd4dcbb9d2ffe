/*
 * test_cidr.c - unit tests for include/cidr.h.
 *
 * IPv4 and IPv6 networks, bare addresses, /0, host bits cleared, strict
 * rejection of malformed text, set membership across both families and
 * address formatting.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "cidr.h"

static struct ip_addr
addr(const char *s)
{
	struct ip_addr a;

	assert_int_equal(ip_addr_parse(s, &a), 0);
	return a;
}

static void
test_parse_v4(void **state)
{
	struct cidr c;
	char buf[64];

	(void)state;
	assert_int_equal(cidr_parse("10.1.2.3/8", &c), 0);
	assert_int_equal(c.prefix, 96 + 8);
	assert_true(ip_addr_is_v4(&c.net));
	assert_string_equal(ip_addr_format(&c.net, buf, sizeof(buf)),
	    "10.0.0.0");
	assert_int_equal(cidr_parse("192.168.1.77", &c), 0);
	assert_int_equal(c.prefix, 128);
	assert_string_equal(ip_addr_format(&c.net, buf, sizeof(buf)),
	    "192.168.1.77");
	assert_int_equal(cidr_parse("172.16.0.0/12", &c), 0);
	assert_int_equal(cidr_parse("1.2.3.4/32", &c), 0);
	assert_int_equal(c.prefix, 128);
	assert_int_equal(cidr_parse("0.0.0.0/0", &c), 0);
	assert_int_equal(c.prefix, 96);
}

static void
test_parse_v6(void **state)
{
	struct cidr c;
	char buf[64];

	(void)state;
	assert_int_equal(cidr_parse("fc00::/7", &c), 0);
	assert_int_equal(c.prefix, 7);
	assert_false(ip_addr_is_v4(&c.net));
	assert_int_equal(cidr_parse("2001:db8::1/32", &c), 0);
	assert_string_equal(ip_addr_format(&c.net, buf, sizeof(buf)),
	    "2001:db8::");
	assert_int_equal(cidr_parse("2001:db8::1", &c), 0);
	assert_int_equal(c.prefix, 128);
	assert_int_equal(cidr_parse("::/0", &c), 0);
	assert_int_equal(c.prefix, 0);
	assert_int_equal(cidr_parse("::1/128", &c), 0);
}

static void
test_parse_bad(void **state)
{
	static const char *const bad[] = { "", "10.0.0.0/", "10.0.0.0/33",
	    "10.0.0.0/-1", "10.0.0.0/+8", "10.0.0.0/8/8", "10.0.0/8",
	    "256.0.0.0/8", " 10.0.0.0/8", "10.0.0.0/8 ", "10.0.0.0/ 8",
	    "fc00::/129", "fc00::/1000", "fc00:::/7", "pool.example",
	    "10.0.0.0/0x8", "10.0.0.0/8a",
	    "1111111111111111111111111111111111111111111111111111111111111111"
	    "1111", NULL };
	struct cidr c;
	struct ip_addr a;
	size_t i;

	(void)state;
	for (i = 0; bad[i] != NULL; i++)
		assert_int_equal(cidr_parse(bad[i], &c), -1);
	assert_int_equal(cidr_parse(NULL, &c), -1);
	assert_int_equal(ip_addr_parse("10.0.0.0/8", &a), -1);
	assert_int_equal(ip_addr_parse("x", &a), -1);
}

static void
test_contains(void **state)
{
	struct cidr_set s;
	struct cidr c;
	struct ip_addr a;
	static const char *const nets[] = { "10.0.0.0/8", "172.16.0.0/12",
	    "192.168.0.0/16", "fc00::/7", "203.0.113.22", NULL };
	size_t i;

	(void)state;
	cidr_set_init(&s);
	a = addr("10.1.2.3");
	assert_false(cidr_set_contains(&s, &a));
	for (i = 0; nets[i] != NULL; i++) {
		assert_int_equal(cidr_parse(nets[i], &c), 0);
		assert_int_equal(cidr_set_add(&s, &c), 0);
	}
	for (i = 0; i < 20; i++) {	/* grows past the first allocation */
		assert_int_equal(cidr_parse("198.51.100.0/24", &c), 0);
		assert_int_equal(cidr_set_add(&s, &c), 0);
	}
	a = addr("10.255.255.255");
	assert_true(cidr_set_contains(&s, &a));
	a = addr("11.0.0.0");
	assert_false(cidr_set_contains(&s, &a));
	a = addr("172.31.255.1");
	assert_true(cidr_set_contains(&s, &a));
	a = addr("172.32.0.1");
	assert_false(cidr_set_contains(&s, &a));
	a = addr("203.0.113.22");
	assert_true(cidr_set_contains(&s, &a));
	a = addr("203.0.113.23");
	assert_false(cidr_set_contains(&s, &a));
	a = addr("fd12:3456::1");
	assert_true(cidr_set_contains(&s, &a));
	a = addr("fe80::1");
	assert_false(cidr_set_contains(&s, &a));
	a = addr("198.51.100.200");
	assert_true(cidr_set_contains(&s, &a));
	assert_false(cidr_set_contains(NULL, &a));
	cidr_set_fini(&s);
	cidr_set_fini(&s);

	/* /0 in one family covers that family only. */
	cidr_set_init(&s);
	assert_int_equal(cidr_parse("0.0.0.0/0", &c), 0);
	assert_int_equal(cidr_set_add(&s, &c), 0);
	a = addr("8.8.8.8");
	assert_true(cidr_set_contains(&s, &a));
	a = addr("2001:db8::1");
	assert_false(cidr_set_contains(&s, &a));
	cidr_set_fini(&s);
	cidr_set_init(&s);
	assert_int_equal(cidr_parse("::/0", &c), 0);
	assert_int_equal(cidr_set_add(&s, &c), 0);
	assert_true(cidr_set_contains(&s, &a));
	cidr_set_fini(&s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_v4),
		cmocka_unit_test(test_parse_v6),
		cmocka_unit_test(test_parse_bad),
		cmocka_unit_test(test_contains),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
