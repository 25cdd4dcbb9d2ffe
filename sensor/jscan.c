/*
 * jscan.c - a bounded, allocation-free JSON scanner (see jscan.h).
 *
 * The Stratum dissector needs to read newline-delimited JSON-RPC from
 * the wire without trusting field order, whitespace or key escaping, so
 * this is a real RFC 8259 recogniser for one value, not a byte-layout
 * matcher.  Values are never materialised: a scan only moves an index
 * through the caller's buffer, and lookups rescan the container they are
 * given.  Every byte access is index-checked against the buffer length;
 * recursion happens only for nested containers and stops at
 * JSCAN_MAX_DEPTH.  The module owns no memory, keeps no state between
 * calls and never logs: a malformed input is just a false return.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "jscan.h"

#define JSCAN_NUM_MAX	64	/* longest number jscan_number converts */

static bool	js_value(const char *, size_t, size_t *, int,
		    enum jscan_type *);

static bool
js_is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static bool
js_is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Index of the first non-whitespace byte at or after off (n if none). */
static size_t
js_ws(const char *b, size_t n, size_t off)
{
	while (off < n && js_is_ws(b[off]))
		off++;
	return off;
}

/* Value of 4 hex digits at b[i], or -1. */
static long
js_hex4(const char *b, size_t n, size_t i)
{
	long v = 0;
	size_t k;
	char c;

	if (i > n || 4 > n - i)
		return -1;
	for (k = 0; k < 4; k++) {
		c = b[i + k];
		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= c - '0';
		else if (c >= 'a' && c <= 'f')
			v |= c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			v |= c - 'A' + 10;
		else
			return -1;
	}
	return v;
}

/* Encodes code point u (< 0x110000) as UTF-8; returns the byte count. */
static size_t
js_utf8(long u, unsigned char out[4])
{
	if (u < 0x80) {
		out[0] = (unsigned char)u;
		return 1;
	}
	if (u < 0x800) {
		out[0] = (unsigned char)(0xc0 | (u >> 6));
		out[1] = (unsigned char)(0x80 | (u & 0x3f));
		return 2;
	}
	if (u < 0x10000) {
		out[0] = (unsigned char)(0xe0 | (u >> 12));
		out[1] = (unsigned char)(0x80 | ((u >> 6) & 0x3f));
		out[2] = (unsigned char)(0x80 | (u & 0x3f));
		return 3;
	}
	out[0] = (unsigned char)(0xf0 | (u >> 18));
	out[1] = (unsigned char)(0x80 | ((u >> 12) & 0x3f));
	out[2] = (unsigned char)(0x80 | ((u >> 6) & 0x3f));
	out[3] = (unsigned char)(0x80 | (u & 0x3f));
	return 4;
}

/*
 * One unescaped byte run at b[*off]: a whole UTF-8 sequence when the
 * lead and continuation bytes fit together (so truncation never splits
 * it), otherwise the single byte as it is.
 */
static size_t
js_raw(const char *b, size_t n, size_t *off, unsigned char out[4])
{
	unsigned char c = (unsigned char)b[*off];
	size_t k, want = 1;

	if (c >= 0xc2 && c <= 0xdf)
		want = 2;
	else if (c >= 0xe0 && c <= 0xef)
		want = 3;
	else if (c >= 0xf0 && c <= 0xf4)
		want = 4;
	if (want > n - *off)
		want = 1;
	for (k = 1; k < want; k++)
		if (((unsigned char)b[*off + k] & 0xc0) != 0x80)
			want = 1;
	for (k = 0; k < want; k++)
		out[k] = (unsigned char)b[*off + k];
	*off += want;
	return want;
}

/* A \uXXXX escape at b[*off] (the backslash), surrogate pairs joined. */
static size_t
js_uescape(const char *b, size_t n, size_t *off, unsigned char out[4])
{
	long u, lo;
	size_t i = *off;

	if ((u = js_hex4(b, n, i + 2)) < 0)
		return 0;
	i += 6;
	if (u >= 0xd800 && u <= 0xdbff) {
		if (i < n && 6 <= n - i && b[i] == '\\' && b[i + 1] == 'u' &&
		    (lo = js_hex4(b, n, i + 2)) >= 0xdc00 && lo <= 0xdfff) {
			u = 0x10000 + ((u - 0xd800) << 10) + (lo - 0xdc00);
			i += 6;
		} else
			u = 0xfffd;
	} else if ((u >= 0xdc00 && u <= 0xdfff) || u == 0)
		u = 0xfffd;
	*off = i;
	return js_utf8(u, out);
}

/*
 * Decodes one character of a string body at b[*off] into out and moves
 * *off past it.  Returns 0 at the closing quote (*off left on it) and on
 * any error (a control byte, a bad escape, the end of the buffer), where
 * *off is left on the offending byte; callers tell the two apart by
 * looking for the quote.
 */
static size_t
js_char(const char *b, size_t n, size_t *off, unsigned char out[4])
{
	size_t i = *off;
	unsigned char c;

	if (i >= n)
		return 0;
	c = (unsigned char)b[i];
	if (c == '"' || c < 0x20)
		return 0;
	if (c != '\\')
		return js_raw(b, n, off, out);
	if (2 > n - i)
		return 0;
	switch (b[i + 1]) {
	case '"':
	case '\\':
	case '/':
		out[0] = (unsigned char)b[i + 1];
		break;
	case 'b':
		out[0] = '\b';
		break;
	case 'f':
		out[0] = '\f';
		break;
	case 'n':
		out[0] = '\n';
		break;
	case 'r':
		out[0] = '\r';
		break;
	case 't':
		out[0] = '\t';
		break;
	case 'u':
		return js_uescape(b, n, off, out);
	default:
		return 0;
	}
	*off = i + 2;
	return 1;
}

/* A string token at b[*off] (the opening quote); *off moves past it. */
static bool
js_string_scan(const char *b, size_t n, size_t *off)
{
	unsigned char u[4];
	size_t i = *off;

	if (i >= n || b[i] != '"')
		return false;
	i++;
	while (js_char(b, n, &i, u) > 0)
		;
	if (i >= n || b[i] != '"')
		return false;
	*off = i + 1;
	return true;
}

/* One or more digits at b[*i]. */
static bool
js_digits(const char *b, size_t n, size_t *i)
{
	size_t start = *i;

	while (*i < n && js_is_digit(b[*i]))
		(*i)++;
	return *i > start;
}

/* -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)? */
static bool
js_number_scan(const char *b, size_t n, size_t *off)
{
	size_t i = *off;

	if (i < n && b[i] == '-')
		i++;
	if (i >= n)
		return false;
	if (b[i] == '0')
		i++;
	else if (!js_digits(b, n, &i))
		return false;
	if (i < n && b[i] == '.') {
		i++;
		if (!js_digits(b, n, &i))
			return false;
	}
	if (i < n && (b[i] == 'e' || b[i] == 'E')) {
		i++;
		if (i < n && (b[i] == '+' || b[i] == '-'))
			i++;
		if (!js_digits(b, n, &i))
			return false;
	}
	*off = i;
	return true;
}

static bool
js_literal(const char *b, size_t n, size_t *off, const char *lit)
{
	size_t k = strlen(lit);

	if (*off > n || k > n - *off || memcmp(b + *off, lit, k) != 0)
		return false;
	*off += k;
	return true;
}

/*
 * An object or array at b[*off] (its opening bracket), nested depth
 * containers deep (0 for the root).
 */
static bool
js_container(const char *b, size_t n, size_t *off, int depth, bool object)
{
	char close = object ? '}' : ']';
	enum jscan_type t;
	size_t i;

	if (depth >= JSCAN_MAX_DEPTH)
		return false;
	i = js_ws(b, n, *off + 1);
	if (i < n && b[i] == close) {
		*off = i + 1;
		return true;
	}
	for (;;) {
		if (object) {
			if (!js_string_scan(b, n, &i))
				return false;
			i = js_ws(b, n, i);
			if (i >= n || b[i] != ':')
				return false;
			i = js_ws(b, n, i + 1);
		}
		if (!js_value(b, n, &i, depth + 1, &t))
			return false;
		i = js_ws(b, n, i);
		if (i >= n)
			return false;
		if (b[i] == close) {
			*off = i + 1;
			return true;
		}
		if (b[i] != ',')
			return false;
		i = js_ws(b, n, i + 1);
	}
}

/* Any value starting exactly at b[*off]; *off moves past it. */
static bool
js_value(const char *b, size_t n, size_t *off, int depth, enum jscan_type *t)
{
	if (*off >= n)
		return false;
	switch (b[*off]) {
	case '{':
		*t = JSCAN_OBJECT;
		return js_container(b, n, off, depth, true);
	case '[':
		*t = JSCAN_ARRAY;
		return js_container(b, n, off, depth, false);
	case '"':
		*t = JSCAN_STRING;
		return js_string_scan(b, n, off);
	case 't':
		*t = JSCAN_TRUE;
		return js_literal(b, n, off, "true");
	case 'f':
		*t = JSCAN_FALSE;
		return js_literal(b, n, off, "false");
	case 'n':
		*t = JSCAN_NULL;
		return js_literal(b, n, off, "null");
	default:
		*t = JSCAN_NUMBER;
		return js_number_scan(b, n, off);
	}
}

bool
jscan_parse(const char *buf, size_t n, struct jscan_val *out)
{
	enum jscan_type t = JSCAN_INVALID;
	size_t i, start;

	out->p = NULL;
	out->len = 0;
	out->type = JSCAN_INVALID;
	if (buf == NULL)
		return false;
	start = i = js_ws(buf, n, 0);
	if (!js_value(buf, n, &i, 0, &t))
		return false;
	if (js_ws(buf, n, i) != n)
		return false;
	out->p = buf + start;
	out->len = i - start;
	out->type = t;
	return true;
}

bool
jscan_parse_object(const char *buf, size_t n, struct jscan_val *out)
{
	return jscan_parse(buf, n, out) && out->type == JSCAN_OBJECT;
}

void
jscan_iter_init(struct jscan_iter *it, const struct jscan_val *v)
{
	memset(it, 0, sizeof(*it));
	it->done = true;
	if (v == NULL || v->p == NULL || v->len < 2)
		return;
	if (v->type != JSCAN_OBJECT && v->type != JSCAN_ARRAY)
		return;
	it->p = v->p;
	it->len = v->len;
	it->off = 1;
	it->object = v->type == JSCAN_OBJECT;
	it->done = false;
}

bool
jscan_iter_next(struct jscan_iter *it, struct jscan_val *key,
    struct jscan_val *val)
{
	const char *b = it->p;
	size_t n = it->len, i, start;
	enum jscan_type t;

	if (it->done)
		return false;
	i = js_ws(b, n, it->off);
	if (i >= n)
		goto end;
	if (it->n > 0) {
		if (b[i] != ',')
			goto end;
		i = js_ws(b, n, i + 1);
	} else if (b[i] == (it->object ? '}' : ']'))
		goto end;
	if (key != NULL) {
		key->p = NULL;
		key->len = 0;
		key->type = JSCAN_INVALID;
	}
	if (it->object) {
		start = i;
		if (!js_string_scan(b, n, &i))
			goto end;
		if (key != NULL) {
			key->p = b + start;
			key->len = i - start;
			key->type = JSCAN_STRING;
		}
		i = js_ws(b, n, i);
		if (i >= n || b[i] != ':')
			goto end;
		i = js_ws(b, n, i + 1);
	}
	start = i;
	if (!js_value(b, n, &i, 1, &t))
		goto end;
	val->p = b + start;
	val->len = i - start;
	val->type = t;
	it->off = i;
	it->n++;
	return true;
end:
	it->done = true;
	return false;
}

bool
jscan_member(const struct jscan_val *obj, const char *key,
    struct jscan_val *out)
{
	struct jscan_iter it;
	struct jscan_val k, v;

	if (obj == NULL || obj->type != JSCAN_OBJECT)
		return false;
	jscan_iter_init(&it, obj);
	while (jscan_iter_next(&it, &k, &v)) {
		if (jscan_string_eq(&k, key)) {
			*out = v;
			return true;
		}
	}
	return false;
}

bool
jscan_index(const struct jscan_val *arr, size_t i, struct jscan_val *out)
{
	struct jscan_iter it;
	struct jscan_val v;

	if (arr == NULL || arr->type != JSCAN_ARRAY)
		return false;
	jscan_iter_init(&it, arr);
	while (jscan_iter_next(&it, NULL, &v)) {
		if (it.n == i + 1) {
			*out = v;
			return true;
		}
	}
	return false;
}

size_t
jscan_string(const struct jscan_val *v, char *dst, size_t cap)
{
	unsigned char u[4];
	size_t i = 1, k, w = 0, total = 0;
	bool full = false;

	if (cap > 0)
		dst[0] = '\0';
	if (v == NULL || v->type != JSCAN_STRING || v->len < 2)
		return 0;
	while ((k = js_char(v->p, v->len, &i, u)) > 0) {
		if (!full && cap > 0 && k < cap - w) {
			memcpy(dst + w, u, k);
			w += k;
		} else
			full = true;
		total += k;
	}
	if (cap > 0)
		dst[w] = '\0';
	return total;
}

/* Compares the decoded string v with s: whole (prefix false) or prefix. */
static bool
js_compare(const struct jscan_val *v, const char *s, bool prefix)
{
	unsigned char u[4];
	size_t i = 1, k, j = 0, slen;

	if (v == NULL || s == NULL || v->type != JSCAN_STRING || v->len < 2)
		return false;
	slen = strlen(s);
	while (j < slen || !prefix) {
		k = js_char(v->p, v->len, &i, u);
		if (k == 0)
			break;
		if (k > slen - j || memcmp(s + j, u, k) != 0)
			return false;
		j += k;
	}
	if (prefix)
		return j == slen;
	return j == slen && i < v->len && v->p[i] == '"';
}

bool
jscan_string_eq(const struct jscan_val *v, const char *s)
{
	return js_compare(v, s, false);
}

bool
jscan_string_prefix(const struct jscan_val *v, const char *s)
{
	return js_compare(v, s, true);
}

bool
jscan_number(const struct jscan_val *v, double *out)
{
	char tmp[JSCAN_NUM_MAX];

	if (v == NULL || v->type != JSCAN_NUMBER || v->len == 0 ||
	    v->len >= sizeof(tmp))
		return false;
	memcpy(tmp, v->p, v->len);
	tmp[v->len] = '\0';
	*out = strtod(tmp, NULL);
	return true;
}
