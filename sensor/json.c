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
#include <string.h>

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
	j->clock = NULL;
	if (cap > 0)
		buf[0] = '\0';
}

void
jb_init_clock(struct jbuf *j, char *buf, size_t cap, struct json_clock *clk)
{
	jb_init(j, buf, cap);
	j->clock = clk;
}

/* Room for n more bytes (then NUL-terminated), or NULL on overflow. */
static char *
jb_space(struct jbuf *j, size_t n)
{
	char *p;

	if (j->overflow)
		return NULL;
	if (n >= j->cap - j->len) {
		j->overflow = true;
		return NULL;
	}
	p = j->buf + j->len;
	j->len += n;
	j->buf[j->len] = '\0';
	return p;
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

/*
 * Comma if needed, then "key": when key is given.  Keys are the code's
 * own ASCII names: one pass finds the length and whether any byte needs
 * escaping, then one copy (the escaping writer only for the odd key).
 */
static void
jb_member(struct jbuf *j, const char *key)
{
	bool comma = !j->first[j->depth];
	const unsigned char *k = (const unsigned char *)key;
	size_t n = 0;
	char *p;

	j->first[j->depth] = false;
	if (key == NULL) {
		if (comma)
			jb_putc(j, ',');
		return;
	}
	while (k[n] >= 0x20 && k[n] < 0x80 && k[n] != '"' && k[n] != '\\')
		n++;
	if (k[n] != '\0') {
		if (comma)
			jb_putc(j, ',');
		jb_escaped(j, key, n + strlen(key + n));
		jb_putc(j, ':');
		return;
	}
	if ((p = jb_space(j, n + 3 + comma)) == NULL)
		return;
	if (comma)
		*p++ = ',';
	*p++ = '"';
	memcpy(p, key, n);
	p[n] = '"';
	p[n + 1] = ':';
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

/* Decimal digits of v into out (>= 20 bytes), no NUL; returns the length.
 * Two digits per division, filled from the end. */
static size_t
u64_digits(char *out, uint64_t v)
{
	static const char pairs[] =
	    "000102030405060708091011121314151617181920212223242526272829"
	    "303132333435363738394041424344454647484950515253545556575859"
	    "606162636465666768697071727374757677787980818283848586878889"
	    "90919293949596979899";
	char tmp[20];
	size_t n = sizeof(tmp);

	while (v >= 100) {
		n -= 2;
		memcpy(tmp + n, pairs + 2 * (v % 100), 2);
		v /= 100;
	}
	if (v >= 10) {
		n -= 2;
		memcpy(tmp + n, pairs + 2 * v, 2);
	} else
		tmp[--n] = (char)('0' + v);
	memcpy(out, tmp + n, sizeof(tmp) - n);
	return sizeof(tmp) - n;
}

size_t
json_fmt_u64(char out[JSON_U64_MAX], uint64_t v)
{
	size_t n = u64_digits(out, v);

	out[n] = '\0';
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
	char tmp[JSON_DOUBLE_MAX];
	size_t n = json_fmt_double(tmp, v, decimals);

	jb_member(j, key);
	jb_put(j, tmp, n);
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
 * "YYYY-MM-DDTHH:MM:SS" of secs (days-to-civil-date arithmetic, proleptic
 * Gregorian, years mod 10000), no NUL.
 */
static void
ts_second(char out[19], uint64_t secs)
{
	uint64_t days = secs / 86400, sod = secs % 86400;
	uint64_t z = days + 719468, era = z / 146097, doe = z - era * 146097;
	uint64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	uint64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	uint64_t mp = (5 * doy + 2) / 153;
	uint64_t d = doy - (153 * mp + 2) / 5 + 1;
	uint64_t m = mp < 10 ? mp + 3 : mp - 9;
	uint64_t y = yoe + era * 400 + (m <= 2);

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
}

/* The 31 bytes of ts_us's timestamp, no NUL; clk NULL ok. */
static void
ts_text(char out[31], uint64_t ts_us, struct json_clock *clk)
{
	uint64_t secs = ts_us / 1000000;
	int i;

	if (clk == NULL)
		ts_second(out, secs);
	else {
		for (i = 0; i < 2; i++)
			if (clk->valid[i] && clk->sec[i] == secs)
				break;
		if (i == 2) {
			i = clk->next;
			clk->next = (uint8_t)!i;
			clk->sec[i] = secs;
			clk->valid[i] = true;
			ts_second(clk->text[i], secs);
		}
		memcpy(out, clk->text[i], 19);
	}
	out[19] = '.';
	put_digits(out + 20, ts_us % 1000000, 6);
	memcpy(out + 26, "+0000", 5);
}

/*
 * Formatted by hand because it runs for every record: gmtime_r +
 * strftime + snprintf were a tenth of the sensor's time.  Same text:
 * 2026-11-27T19:17:36.985533+0000.
 */
void
json_timestamp(char *dst, size_t cap, uint64_t ts_us)
{
	char out[JSON_TIMESTAMP_LEN];
	size_t n = sizeof(out) - 1;

	if (cap == 0)
		return;
	ts_text(out, ts_us, NULL);
	if (n > cap - 1)
		n = cap - 1;
	memcpy(dst, out, n);
	dst[n] = '\0';
}

void
jb_timestamp(struct jbuf *j, const char *key, uint64_t ts_us)
{
	char *p;

	jb_member(j, key);
	if ((p = jb_space(j, JSON_TIMESTAMP_LEN + 1)) == NULL)
		return;
	p[0] = '"';
	ts_text(p + 1, ts_us, j->clock);
	p[JSON_TIMESTAMP_LEN] = '"';
}

/*
 * ---- numbers: "%.*f" without printf.
 *
 * A double is m * 2^e exactly.  With e < 0 the integer part is m >> -e
 * and the fraction f / 2^k (k = -e, f < 2^53); its decimals digits are
 * f * 10^decimals / 2^k, rounded to nearest with ties to even on the
 * exact value, which is what glibc's printf does.  f * 10^9 < 2^83 is
 * held in two 64-bit halves.  With e >= 0 the value is an integer,
 * written from base-10^9 limbs when it passes 2^64.
 */
static const uint64_t pow10_tab[10] = {
	1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000,
	1000000000 };

#define DBL_LIMBS	8	/* 72 digits: past JSON_DOUBLE_MAX */

/* Bit b (< 128) of hi:lo. */
static unsigned
bit128(uint64_t hi, uint64_t lo, int b)
{
	return (unsigned)((b < 64 ? lo >> b : hi >> (b - 64)) & 1);
}

/* Whether any of bits 0 .. b-1 of hi:lo is set (b < 128). */
static bool
any_below(uint64_t hi, uint64_t lo, int b)
{
	if (b == 0)
		return false;
	if (b <= 64)
		return (b == 64 ? lo : lo & ((1ULL << b) - 1)) != 0;
	return lo != 0 || (hi & ((1ULL << (b - 64)) - 1)) != 0;
}

/*
 * The decimals digits of f / 2^k (f < 2^53, k >= 1) as an integer,
 * rounded; *carry is set when it rounds up to 1.0.  odd: the parity of
 * the digit before (decides a tie when decimals is 0).
 */
static uint64_t
frac_digits(uint64_t f, int k, int decimals, bool odd, bool *carry)
{
	uint64_t p = pow10_tab[decimals];
	uint64_t p0 = (f & 0xffffffffu) * p, p1 = (f >> 32) * p;
	uint64_t lo = p0 + (p1 << 32), hi = (p1 >> 32) + (lo < p0);
	uint64_t q;

	*carry = false;
	if (k >= 100)		/* f * p < 2^83: below half a unit */
		return 0;
	q = k < 64 ? lo >> k | hi << (64 - k) : hi >> (k - 64);
	if (decimals > 0)
		odd = q & 1;
	if (bit128(hi, lo, k - 1) && (any_below(hi, lo, k - 1) || odd))
		q++;
	if (q == p) {
		*carry = true;
		q = 0;
	}
	return q;
}

/* Integer digits of m * 2^e (e >= 0) into out; 0 when too long. */
static size_t
big_digits(char *out, uint64_t m, int e)
{
	uint32_t limb[DBL_LIMBS + 1];
	size_t n = 0, len, i;
	uint64_t x, carry;
	int s;

	if (e <= 11)
		return u64_digits(out, m << e);
	limb[n++] = (uint32_t)(m % 1000000000);
	limb[n++] = (uint32_t)(m / 1000000000);
	for (; e > 0; e -= s) {
		s = e < 29 ? e : 29;
		for (carry = 0, i = 0; i < n; i++) {
			x = ((uint64_t)limb[i] << s) + carry;
			limb[i] = (uint32_t)(x % 1000000000);
			carry = x / 1000000000;
		}
		while (carry != 0 && n <= DBL_LIMBS) {
			limb[n++] = (uint32_t)(carry % 1000000000);
			carry /= 1000000000;
		}
		if (n > DBL_LIMBS)
			return 0;
	}
	while (n > 1 && limb[n - 1] == 0)
		n--;
	len = u64_digits(out, limb[n - 1]);
	for (i = n - 1; i-- > 0; len += 9)
		put_digits(out + len, limb[i], 9);
	return len;
}

size_t
json_fmt_double(char out[JSON_DOUBLE_MAX], double v, int decimals)
{
	char tmp[DBL_LIMBS * 9 + 16], *p = tmp;
	uint64_t bits, m, ip, q = 0;
	int e, k;
	bool carry = false;
	size_t n;

	/* JSON has no NaN or infinity. */
	if (v != v || v > 1e300 || v < -1e300)
		v = 0;
	decimals = decimals < 0 ? 0 : decimals > 9 ? 9 : decimals;
	memcpy(&bits, &v, sizeof(bits));
	if (bits >> 63)
		*p++ = '-';
	e = (int)(bits >> 52 & 0x7ff);
	m = bits & ((1ULL << 52) - 1);
	if (e == 0)
		e = 1;		/* subnormal */
	else
		m |= 1ULL << 52;
	e -= 1075;		/* v = m * 2^e */
	if (e >= 0) {
		if ((n = big_digits(p, m, e)) == 0)
			goto too_long;
		p += n;
	} else {
		k = -e;
		ip = k < 64 ? m >> k : 0;
		q = frac_digits(k < 64 ? m & ((1ULL << k) - 1) : m, k, decimals,
		    ip & 1, &carry);
		p += u64_digits(p, ip + carry);
	}
	if (decimals > 0) {
		*p++ = '.';
		put_digits(p, q, decimals);
		p += decimals;
	}
	if ((n = (size_t)(p - tmp)) >= JSON_DOUBLE_MAX)
		goto too_long;
	memcpy(out, tmp, n);
	out[n] = '\0';
	return n;
too_long:			/* snprintf into 64 bytes did not fit */
	memcpy(out, "0", 2);
	return 1;
}

/* ---- addresses: inet_ntop's text without its sprintf. */

static size_t
ip4_text(char *out, const uint8_t *a)
{
	size_t n = 0;
	int i;

	for (i = 0; i < 4; i++) {
		if (i > 0)
			out[n++] = '.';
		n += u64_digits(out + n, a[i]);
	}
	return n;
}

/* The longest run (>= 2) of zero words, first of equals; *len 0: none. */
static int
ip6_zero_run(const uint16_t w[8], int *len)
{
	int best = -1, best_len = 0, cur = -1, i;

	for (i = 0; i <= 8; i++) {
		if (i < 8 && w[i] == 0) {
			if (cur < 0)
				cur = i;
			continue;
		}
		if (cur >= 0 && i - cur > best_len) {
			best = cur;
			best_len = i - cur;
		}
		cur = -1;
	}
	*len = best_len >= 2 ? best_len : 0;
	return best_len >= 2 ? best : -1;
}

/* glibc's inet_ntop6, embedded IPv4 forms included. */
static size_t
ip6_text(char *out, const uint8_t *a)
{
	static const char hex[] = "0123456789abcdef";
	uint16_t w[8];
	size_t n = 0;
	int i, run, len, sh;

	for (i = 0; i < 8; i++)
		w[i] = (uint16_t)(a[2 * i] << 8 | a[2 * i + 1]);
	run = ip6_zero_run(w, &len);
	for (i = 0; i < 8; i++) {
		if (run >= 0 && i >= run && i < run + len) {
			if (i == run)
				out[n++] = ':';
			continue;
		}
		if (i != 0)
			out[n++] = ':';
		if (i == 6 && run == 0 &&
		    (len == 6 || (len == 5 && w[5] == 0xffff)))
			return n + ip4_text(out + n, a + 12);
		for (sh = 12; sh > 0 && (w[i] >> sh) == 0; sh -= 4)
			;
		for (; sh >= 0; sh -= 4)
			out[n++] = hex[w[i] >> sh & 15];
	}
	if (run >= 0 && run + len == 8)
		out[n++] = ':';
	return n;
}

size_t
json_fmt_ip(char out[JSON_IP_MAX], const uint8_t addr[16])
{
	static const uint8_t mapped[12] = {
		0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };
	size_t n;

	if (memcmp(addr, mapped, sizeof(mapped)) == 0)
		n = ip4_text(out, addr + 12);
	else
		n = ip6_text(out, addr);
	out[n] = '\0';
	return n;
}
