/*
 * cursor.h - the only way packet bytes are read.
 *
 * A cursor is a window [buf, buf+len) and a read offset.  Every read is
 * bounds-checked as "n > len - off", never by pointer sums.  The error is
 * sticky: after one short read every later read returns 0 and cur_ok()
 * is false, so a decoder checks once per header.  Values come back in
 * host order.  The bytes are borrowed: a cursor never outlives the
 * packet callback that handed them out.
 */
#ifndef CURSOR_H
#define CURSOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct cursor {
	const uint8_t	*buf;	/* first readable byte (borrowed) */
	size_t		 len;	/* readable bytes from buf */
	size_t		 off;	/* next byte to read */
	bool		 err;	/* sticky: a read ran past len */
};

static inline void
cur_init(struct cursor *c, const uint8_t *buf, size_t len)
{
	c->buf = buf;
	c->len = buf != NULL ? len : 0;
	c->off = 0;
	c->err = false;
}

static inline bool
cur_ok(const struct cursor *c)
{
	return !c->err;
}

static inline size_t
cur_left(const struct cursor *c)
{
	return c->err ? 0 : c->len - c->off;
}

/* Offset of the next byte from the start of the window. */
static inline size_t
cur_offset(const struct cursor *c)
{
	return c->off;
}

/* True (and no error) when n more bytes can be read. */
static inline bool
cur_has(const struct cursor *c, size_t n)
{
	return !c->err && n <= c->len - c->off;
}

/* Claims n bytes; on a short read sets the sticky error and returns false. */
static inline bool
cur_take(struct cursor *c, size_t n)
{
	if (!cur_has(c, n)) {
		c->err = true;
		return false;
	}
	c->off += n;
	return true;
}

/* Pointer to the next byte (borrowed, valid for cur_left() bytes). */
static inline const uint8_t *
cur_ptr(const struct cursor *c)
{
	return c->buf + (c->err ? c->len : c->off);
}

static inline bool
cur_skip(struct cursor *c, size_t n)
{
	return cur_take(c, n);
}

static inline uint8_t
cur_u8(struct cursor *c)
{
	const uint8_t *p = cur_ptr(c);

	return cur_take(c, 1) ? p[0] : 0;
}

static inline uint16_t
cur_be16(struct cursor *c)
{
	const uint8_t *p = cur_ptr(c);

	return cur_take(c, 2) ? (uint16_t)(p[0] << 8 | p[1]) : 0;
}

static inline uint16_t
cur_le16(struct cursor *c)
{
	const uint8_t *p = cur_ptr(c);

	return cur_take(c, 2) ? (uint16_t)(p[1] << 8 | p[0]) : 0;
}

static inline uint32_t
cur_be32(struct cursor *c)
{
	const uint8_t *p = cur_ptr(c);

	if (!cur_take(c, 4))
		return 0;
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

static inline uint32_t
cur_le32(struct cursor *c)
{
	const uint8_t *p = cur_ptr(c);

	if (!cur_take(c, 4))
		return 0;
	return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[1] << 8 | (uint32_t)p[0];
}

/* Copies n bytes out; on a short read copies nothing and zeroes dst. */
static inline bool
cur_bytes(struct cursor *c, void *dst, size_t n)
{
	const uint8_t *p = cur_ptr(c);

	if (!cur_take(c, n)) {
		memset(dst, 0, n);
		return false;
	}
	memcpy(dst, p, n);
	return true;
}

/* Byte at offset i past the read position, without consuming (0 if none). */
static inline uint8_t
cur_peek(const struct cursor *c, size_t i)
{
	return cur_has(c, i + 1) ? c->buf[c->off + i] : 0;
}

/*
 * A child cursor over the next n bytes, and the parent moves past them.
 * When fewer than n remain the child gets what is there and the parent's
 * error is NOT set: the caller decides (a lying length is counted by it).
 */
static inline struct cursor
cur_sub(struct cursor *c, size_t n)
{
	struct cursor sub;
	size_t left = cur_left(c);

	if (n > left)
		n = left;
	cur_init(&sub, cur_ptr(c), n);
	if (!c->err)
		c->off += n;
	return sub;
}

/* Shrinks the window to end n bytes past the read position (IP clamp). */
static inline void
cur_clamp(struct cursor *c, size_t n)
{
	if (!c->err && n < c->len - c->off)
		c->len = c->off + n;
}

#endif /* CURSOR_H */
