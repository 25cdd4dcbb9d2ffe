/*
 * test_cursor.c - unit tests for include/cursor.h.
 *
 * Every reader, the sticky error (one short read poisons every later
 * read), cur_sub() handing out fewer bytes than asked without setting
 * the parent's error, and cur_clamp() shrinking the window.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "cursor.h"

/* 01 02 03 04 05 06 07 08 09 0a: ten counting bytes. */
static const uint8_t count10[] = {
	0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a,
};

static void
test_init(void **state)
{
	struct cursor c;

	(void)state;
	cur_init(&c, count10, sizeof(count10));
	assert_true(cur_ok(&c));
	assert_int_equal(cur_left(&c), 10);
	assert_int_equal(cur_offset(&c), 0);
	assert_ptr_equal(cur_ptr(&c), count10);

	/* A NULL buffer is an empty window, whatever length is given. */
	cur_init(&c, NULL, 100);
	assert_int_equal(cur_left(&c), 0);
	assert_int_equal(cur_u8(&c), 0);
	assert_false(cur_ok(&c));
}

static void
test_readers(void **state)
{
	struct cursor c;

	(void)state;
	cur_init(&c, count10, sizeof(count10));
	assert_int_equal(cur_u8(&c), 0x01);
	assert_int_equal(cur_be16(&c), 0x0203);
	assert_int_equal(cur_le16(&c), 0x0504);
	assert_int_equal(cur_offset(&c), 5);
	cur_init(&c, count10, sizeof(count10));
	assert_int_equal(cur_be32(&c), 0x01020304);
	assert_int_equal(cur_le32(&c), 0x08070605);
	assert_int_equal(cur_left(&c), 2);
	assert_ptr_equal(cur_ptr(&c), &count10[8]);
	assert_true(cur_ok(&c));
}

static void
test_skip_has_peek(void **state)
{
	struct cursor c;

	(void)state;
	cur_init(&c, count10, sizeof(count10));
	assert_true(cur_has(&c, 10));
	assert_false(cur_has(&c, 11));
	assert_true(cur_skip(&c, 3));
	assert_int_equal(cur_peek(&c, 0), 0x04);
	assert_int_equal(cur_peek(&c, 6), 0x0a);
	assert_int_equal(cur_peek(&c, 7), 0);	/* past the end, no error */
	assert_true(cur_ok(&c));
	assert_int_equal(cur_offset(&c), 3);
	assert_true(cur_skip(&c, 7));
	assert_int_equal(cur_left(&c), 0);
	assert_true(cur_ok(&c));
	assert_true(cur_skip(&c, 0));
	assert_false(cur_has(&c, 1));
}

static void
test_bytes(void **state)
{
	struct cursor c;
	uint8_t out[4] = { 0xee, 0xee, 0xee, 0xee };

	(void)state;
	cur_init(&c, count10, sizeof(count10));
	assert_true(cur_bytes(&c, out, 4));
	assert_memory_equal(out, count10, 4);
	cur_skip(&c, 4);
	/* Two left: asking for four copies nothing and zeroes out. */
	assert_false(cur_bytes(&c, out, 4));
	assert_int_equal(out[0] | out[1] | out[2] | out[3], 0);
	assert_false(cur_ok(&c));
}

static void
test_sticky(void **state)
{
	struct cursor c;

	(void)state;
	cur_init(&c, count10, 3);
	assert_int_equal(cur_be16(&c), 0x0102);
	/* One byte left: a 16-bit read fails and sets the error. */
	assert_int_equal(cur_be16(&c), 0);
	assert_false(cur_ok(&c));
	/* The byte that was there is no longer readable. */
	assert_int_equal(cur_u8(&c), 0);
	assert_int_equal(cur_le16(&c), 0);
	assert_int_equal(cur_be32(&c), 0);
	assert_int_equal(cur_le32(&c), 0);
	assert_int_equal(cur_left(&c), 0);
	assert_false(cur_has(&c, 0));
	assert_false(cur_skip(&c, 0));
	assert_int_equal(cur_peek(&c, 0), 0);
	assert_ptr_equal(cur_ptr(&c), &count10[3]);
	assert_false(cur_ok(&c));

	/* A huge skip must not wrap around. */
	cur_init(&c, count10, sizeof(count10));
	cur_skip(&c, 1);
	assert_false(cur_skip(&c, SIZE_MAX));
	assert_false(cur_ok(&c));
}

static void
test_sub(void **state)
{
	struct cursor c, s;

	(void)state;
	cur_init(&c, count10, sizeof(count10));
	cur_skip(&c, 2);
	s = cur_sub(&c, 4);
	assert_int_equal(cur_left(&s), 4);
	assert_int_equal(cur_u8(&s), 0x03);
	assert_int_equal(cur_offset(&c), 6);
	assert_int_equal(cur_u8(&c), 0x07);
	/* The child ends where asked. */
	assert_int_equal(cur_be16(&s), 0x0405);
	assert_int_equal(cur_u8(&s), 0x06);
	assert_int_equal(cur_u8(&s), 0);
	assert_false(cur_ok(&s));
	assert_true(cur_ok(&c));

	/* Asking for more than is left: the child gets 3, parent stays ok. */
	s = cur_sub(&c, 50);
	assert_int_equal(cur_left(&s), 3);
	assert_int_equal(cur_u8(&s), 0x08);
	assert_true(cur_ok(&c));
	assert_int_equal(cur_left(&c), 0);

	/* A sub of a failed cursor is empty. */
	cur_u8(&c);
	assert_false(cur_ok(&c));
	s = cur_sub(&c, 2);
	assert_int_equal(cur_left(&s), 0);
	assert_true(cur_ok(&s));
}

static void
test_clamp(void **state)
{
	struct cursor c;

	(void)state;
	cur_init(&c, count10, sizeof(count10));
	cur_skip(&c, 2);
	cur_clamp(&c, 5);
	assert_int_equal(cur_left(&c), 5);
	assert_int_equal(cur_be32(&c), 0x03040506);
	assert_int_equal(cur_u8(&c), 0x07);
	assert_int_equal(cur_u8(&c), 0);	/* 0x08 is clamped away */
	assert_false(cur_ok(&c));

	/* Clamping to more than is left changes nothing. */
	cur_init(&c, count10, sizeof(count10));
	cur_skip(&c, 8);
	cur_clamp(&c, 100);
	assert_int_equal(cur_left(&c), 2);
	cur_clamp(&c, 0);
	assert_int_equal(cur_left(&c), 0);
	assert_true(cur_ok(&c));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_init),
		cmocka_unit_test(test_readers),
		cmocka_unit_test(test_skip_has_peek),
		cmocka_unit_test(test_bytes),
		cmocka_unit_test(test_sticky),
		cmocka_unit_test(test_sub),
		cmocka_unit_test(test_clamp),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
