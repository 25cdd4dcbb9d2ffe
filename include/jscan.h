/*
 * jscan.h - a bounded, allocation-free JSON scanner.
 *
 * Validates that a buffer holds exactly one JSON value (RFC 8259 grammar:
 * objects, arrays, strings with escapes, numbers, true/false/null) with
 * nesting bounded by JSCAN_MAX_DEPTH, then answers questions about it:
 * the span and type of a top-level member, the i-th array element, an
 * iteration over members or elements, a string decoded to UTF-8.  Values
 * are spans into the caller's buffer (borrowed, never copied or kept).
 * Every read is index-checked against the buffer length, so hostile
 * input can make a call return false but never read past the end.
 *
 * Bytes >= 0x80 inside strings are accepted as they are (not checked to
 * be valid UTF-8): the scanner is for recognising, and json.c escapes
 * whatever is emitted later.
 */
#ifndef JSCAN_H
#define JSCAN_H

#include <stdbool.h>
#include <stddef.h>

#define JSCAN_MAX_DEPTH	16	/* nested objects + arrays, the root included */

enum jscan_type {
	JSCAN_INVALID = 0,
	JSCAN_OBJECT,
	JSCAN_ARRAY,
	JSCAN_STRING,
	JSCAN_NUMBER,
	JSCAN_TRUE,
	JSCAN_FALSE,
	JSCAN_NULL
};

struct jscan_val {
	const char	*p;	/* first byte: '{', '[', '"', '-', digit, t/f/n (borrowed) */
	size_t		 len;	/* bytes of the value, quotes and brackets included */
	enum jscan_type	 type;
};

struct jscan_iter {
	const char	*p;	/* the container's bytes (borrowed) */
	size_t		 len;	/* bytes of the container */
	size_t		 off;	/* next byte to scan */
	size_t		 n;	/* members or elements returned so far */
	bool		 object;	/* members (key + value) or elements */
	bool		 done;	/* end reached or malformed */
};

/*
 * Validates buf[0, n) as one JSON value with optional surrounding
 * whitespace; fills *out (a span into buf) and returns true.  False on
 * any syntax error, trailing bytes, or nesting over JSCAN_MAX_DEPTH.
 */
bool	jscan_parse(const char *buf, size_t n, struct jscan_val *out);
/* As jscan_parse, and the value must be an object. */
bool	jscan_parse_object(const char *buf, size_t n, struct jscan_val *out);

/*
 * Looks up the member named key (compared after unescaping, so "\u006did"
 * matches "id") in the object obj; the first match wins.  Fills *out and
 * returns true, false when obj is not an object or has no such member.
 */
bool	jscan_member(const struct jscan_val *obj, const char *key,
	    struct jscan_val *out);
/* The i-th element (from 0) of the array arr; false when there is none. */
bool	jscan_index(const struct jscan_val *arr, size_t i,
	    struct jscan_val *out);

/*
 * Iterates the members of an object or the elements of an array: after
 * jscan_iter_init, each jscan_iter_next fills *key (may be NULL; for
 * array elements it is set to type JSCAN_INVALID) and *val and returns
 * true, then false at the end.  A value that is neither an object nor an
 * array yields nothing.
 */
void	jscan_iter_init(struct jscan_iter *it, const struct jscan_val *v);
bool	jscan_iter_next(struct jscan_iter *it, struct jscan_val *key,
	    struct jscan_val *val);

/*
 * Decodes the string value v into dst (cap bytes, always NUL-terminated
 * when cap > 0): escapes are resolved, \uXXXX (and surrogate pairs) to
 * UTF-8; \u0000 and lone surrogates become U+FFFD.  Truncation never
 * splits a UTF-8 sequence.  Returns the full decoded length, so a result
 * >= cap means truncated (strlcpy convention); 0 and dst = "" when v is
 * not a string.
 */
size_t	jscan_string(const struct jscan_val *v, char *dst, size_t cap);
/* True when v is a string whose decoded value equals s. */
bool	jscan_string_eq(const struct jscan_val *v, const char *s);
/* True when v is a string whose decoded value starts with s. */
bool	jscan_string_prefix(const struct jscan_val *v, const char *s);
/* Converts a number value; false when v is not a number. */
bool	jscan_number(const struct jscan_val *v, double *out);

#endif /* JSCAN_H */
