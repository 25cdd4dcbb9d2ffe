/*
 * json.c - a JSON object writer into one caller-owned buffer.
 *
 * Used for every record the sensor writes, so it must be fast and must
 * never produce invalid JSON from hostile strings: banners, SNIs and DNS
 * names come straight off the wire.  Invalid UTF-8 bytes are written as
 * \u00XX (the byte read as Latin-1), control bytes as \uXXXX or the
 * short escapes.  When the buffer is full the writer stops and sets
 * `overflow`; it never writes past cap.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "json.h"

void
jb_init(struct jbuf *j, char *buf, size_t cap)
{
	j->buf = buf;
	j->cap = cap;
	j->len = 0;
	j->overflow = cap == 0;
	j->depth = 0;
	j->first[0] = true;
	if (cap > 0)
		buf[0] = '\0';
}

static void
jb_put(struct jbuf *j, const char *s, size_t n)
{
	if (j->overflow)
		return;
	if (n >= j->cap - j->len) {
		j->overflow = true;
		return;
	}
	memcpy(j->buf + j->len, s, n);
	j->len += n;
	j->buf[j->len] = '\0';
}

static void
jb_putc(struct jbuf *j, char c)
{
	jb_put(j, &c, 1);
}

/* Length of a valid UTF-8 sequence at s (1..4), or 0 if invalid. */
static size_t
utf8_seq_len(const unsigned char *s, size_t n)
{
	unsigned char c = s[0];
	size_t len, i;
	uint32_t cp;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf) {
		len = 2;
		cp = c & 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		len = 3;
		cp = c & 0x0f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		len = 4;
		cp = c & 0x07;
	} else
		return 0;
	if (len > n)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	/* Reject overlong forms, surrogates and values past U+10FFFF. */
	if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return len;
}

static void
jb_escaped(struct jbuf *j, const char *str, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *s = (const unsigned char *)str;
	char esc[7] = { '\\', 'u', '0', '0', 0, 0, 0 };
	size_t i = 0, run, k;

	jb_putc(j, '"');
	while (i < n && !j->overflow) {
		/* Copy the longest run of bytes that need no escaping. */
		for (run = i; run < n && s[run] >= 0x20 && s[run] < 0x80 &&
		    s[run] != '"' && s[run] != '\\'; run++)
			;
		jb_put(j, (const char *)s + i, run - i);
		if ((i = run) >= n)
			break;
		if (s[i] >= 0x80 && (k = utf8_seq_len(s + i, n - i)) > 0) {
			jb_put(j, (const char *)s + i, k);
			i += k;
			continue;
		}
		switch (s[i]) {
		case '"':	jb_put(j, "\\\"", 2); break;
		case '\\':	jb_put(j, "\\\\", 2); break;
		case '\n':	jb_put(j, "\\n", 2); break;
		case '\r':	jb_put(j, "\\r", 2); break;
		case '\t':	jb_put(j, "\\t", 2); break;
		default:
			esc[4] = hex[s[i] >> 4];
			esc[5] = hex[s[i] & 15];
			jb_put(j, esc, 6);
		}
		i++;
	}
	jb_putc(j, '"');
}

/* Comma if needed, then "key": when key is given. */
static void
jb_member(struct jbuf *j, const char *key)
{
	if (!j->first[j->depth])
		jb_putc(j, ',');
	j->first[j->depth] = false;
	if (key != NULL) {
		jb_escaped(j, key, strlen(key));
		jb_putc(j, ':');
	}
}

static void
jb_open(struct jbuf *j, const char *key, char c)
{
	if (j->depth > 0 || j->len > 0 || key != NULL)
		jb_member(j, key);
	jb_putc(j, c);
	if (j->depth + 1 >= JSON_MAX_DEPTH) {
		j->overflow = true;
		return;
	}
	j->first[++j->depth] = true;
}

static void
jb_close(struct jbuf *j, char c)
{
	if (j->depth > 0)
		j->depth--;
	jb_putc(j, c);
}

void
jb_open_object(struct jbuf *j, const char *key)
{
	jb_open(j, key, '{');
}

void
jb_close_object(struct jbuf *j)
{
	jb_close(j, '}');
}

void
jb_open_array(struct jbuf *j, const char *key)
{
	jb_open(j, key, '[');
}

void
jb_close_array(struct jbuf *j)
{
	jb_close(j, ']');
}

void
jb_stringn(struct jbuf *j, const char *key, const char *s, size_t n)
{
	jb_member(j, key);
	jb_escaped(j, s, n);
}

void
jb_string(struct jbuf *j, const char *key, const char *s)
{
	jb_stringn(j, key, s, strlen(s));
}

/* Decimal digits of v into out (>= 20 bytes), no NUL; returns the length. */
static size_t
u64_digits(char *out, uint64_t v)
{
	char rev[20];
	size_t n = 0, i;

	do {
		rev[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	for (i = 0; i < n; i++)
		out[i] = rev[n - 1 - i];
	return n;
}

void
jb_u64(struct jbuf *j, const char *key, uint64_t v)
{
	char tmp[24];

	jb_member(j, key);
	jb_put(j, tmp, u64_digits(tmp, v));
}

void
jb_i64(struct jbuf *j, const char *key, int64_t v)
{
	char tmp[24];
	size_t n = 0;

	if (v < 0)
		tmp[n++] = '-';
	/* The magnitude of INT64_MIN does not fit an int64_t: negate unsigned. */
	n += u64_digits(tmp + n, v < 0 ? 0 - (uint64_t)v : (uint64_t)v);
	jb_member(j, key);
	jb_put(j, tmp, n);
}

void
jb_double(struct jbuf *j, const char *key, double v, int decimals)
{
	char tmp[64];
	int n;

	/* JSON has no NaN or infinity. */
	if (v != v || v > 1e300 || v < -1e300)
		v = 0;
	n = snprintf(tmp, sizeof(tmp), "%.*f", decimals, v);
	if (n < 0 || (size_t)n >= sizeof(tmp))
		n = snprintf(tmp, sizeof(tmp), "0");
	jb_member(j, key);
	jb_put(j, tmp, (size_t)n);
}

void
jb_bool(struct jbuf *j, const char *key, bool v)
{
	jb_member(j, key);
	jb_put(j, v ? "true" : "false", v ? 4 : 5);
}

void
jb_null(struct jbuf *j, const char *key)
{
	jb_member(j, key);
	jb_put(j, "null", 4);
}

void
jb_raw(struct jbuf *j, const char *key, const char *json, size_t n)
{
	jb_member(j, key);
	jb_put(j, json, n);
}

void
jb_hex(struct jbuf *j, const char *key, const uint8_t *p, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	char pair[2];
	size_t i;

	jb_member(j, key);
	jb_putc(j, '"');
	for (i = 0; i < n; i++) {
		pair[0] = hex[p[i] >> 4];
		pair[1] = hex[p[i] & 15];
		jb_put(j, pair, 2);
	}
	jb_putc(j, '"');
}

size_t
json_escape(char *dst, size_t cap, const char *s, size_t n)
{
	struct jbuf j;

	jb_init(&j, dst, cap);
	jb_escaped(&j, s, n);
	return j.overflow ? 0 : j.len;
}

/* Writes v as exactly width digits, zero-padded (v < 10^width). */
static void
put_digits(char *out, uint64_t v, int width)
{
	while (width-- > 0) {
		out[width] = (char)('0' + v % 10);
		v /= 10;
	}
}

/*
 * Formatted by hand (days-to-civil-date arithmetic, proleptic Gregorian)
 * because it runs for every record: gmtime_r + strftime + snprintf were
 * a tenth of the sensor's time.  Same text: 2026-11-27T19:17:36.985533+0000.
 */
void
json_timestamp(char *dst, size_t cap, uint64_t ts_us)
{
	char out[JSON_TIMESTAMP_LEN];
	uint64_t secs = ts_us / 1000000, days = secs / 86400, sod = secs % 86400;
	uint64_t z = days + 719468, era = z / 146097, doe = z - era * 146097;
	uint64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	uint64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	uint64_t mp = (5 * doy + 2) / 153;
	uint64_t d = doy - (153 * mp + 2) / 5 + 1;
	uint64_t m = mp < 10 ? mp + 3 : mp - 9;
	uint64_t y = yoe + era * 400 + (m <= 2);
	size_t n = sizeof(out) - 1;

	if (cap == 0)
		return;
	put_digits(out, y % 10000, 4);
	out[4] = '-';
	put_digits(out + 5, m, 2);
	out[7] = '-';
	put_digits(out + 8, d, 2);
	out[10] = 'T';
	put_digits(out + 11, sod / 3600, 2);
	out[13] = ':';
	put_digits(out + 14, sod / 60 % 60, 2);
	out[16] = ':';
	put_digits(out + 17, sod % 60, 2);
	out[19] = '.';
	put_digits(out + 20, ts_us % 1000000, 6);
	memcpy(out + 26, "+0000", 5);
	if (n > cap - 1)
		n = cap - 1;
	memcpy(dst, out, n);
	dst[n] = '\0';
}
