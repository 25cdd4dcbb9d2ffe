/*
 * json.h - building one JSON object in a caller's fixed buffer.
 *
 * No allocation: the writer fills buf up to cap and sets `overflow` when
 * a value does not fit (the caller counts ST_JSON_TRUNCATED and drops or
 * truncates the record).  Strings are escaped per RFC 8259: quotes,
 * backslash and control bytes, and bytes that are not valid UTF-8 are
 * written as \u00XX of their byte value (Latin-1 reading), so any banner
 * or SNI from the wire yields valid JSON.  Commas are placed by the
 * writer.
 */
#ifndef JSON_H
#define JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define JSON_MAX_DEPTH	16
#define JSON_LINE_MAX	16384
#define JSON_DOUBLE_MAX	64	/* longest json_fmt_double text, NUL included */
#define JSON_IP_MAX	46	/* longest json_fmt_ip text, NUL included */
#define JSON_U64_MAX	21	/* longest json_fmt_u64 text, NUL included */

/*
 * The date and time text ("YYYY-MM-DDTHH:MM:SS") of the last two seconds
 * a record writer stamped, so the records of one second compute it once.
 * Owned by the writer (struct sensor); zeroed memory is an empty cache.
 */
struct json_clock {
	uint64_t sec[2];
	char	 text[2][20];
	bool	 valid[2];
	uint8_t	 next;		/* slot a miss replaces */
};

struct jbuf {
	char	*buf;		/* borrowed */
	size_t	 cap;
	size_t	 len;		/* bytes written, buf NUL-terminated */
	bool	 overflow;
	int	 depth;
	bool	 first[JSON_MAX_DEPTH];	/* no member written yet at depth */
	struct json_clock *clock;	/* borrowed; NULL = no cache */
};

void	jb_init(struct jbuf *j, char *buf, size_t cap);
/* jb_init, then jb_timestamp uses (and fills) clk. */
void	jb_init_clock(struct jbuf *j, char *buf, size_t cap,
	    struct json_clock *clk);
/* key is NULL inside arrays and for the top-level object. */
void	jb_open_object(struct jbuf *j, const char *key);
void	jb_close_object(struct jbuf *j);
void	jb_open_array(struct jbuf *j, const char *key);
void	jb_close_array(struct jbuf *j);
void	jb_string(struct jbuf *j, const char *key, const char *s);
void	jb_stringn(struct jbuf *j, const char *key, const char *s, size_t n);
void	jb_u64(struct jbuf *j, const char *key, uint64_t v);
void	jb_i64(struct jbuf *j, const char *key, int64_t v);
/* Exactly snprintf's "%.*f" (decimals 0..9; NaN, infinities and values
 * past 1e300 are 0; a text of JSON_DOUBLE_MAX bytes or more is 0). */
void	jb_double(struct jbuf *j, const char *key, double v, int decimals);
void	jb_bool(struct jbuf *j, const char *key, bool v);
void	jb_null(struct jbuf *j, const char *key);
/* Inserts an already valid JSON value (e.g. pre-rendered evidence). */
void	jb_raw(struct jbuf *j, const char *key, const char *json, size_t n);
/* Hex string of n bytes. */
void	jb_hex(struct jbuf *j, const char *key, const uint8_t *p, size_t n);
/* json_timestamp's text as a string member (j->clock caches the second). */
void	jb_timestamp(struct jbuf *j, const char *key, uint64_t ts_us);

/* Escapes s into a JSON string literal (with quotes) in dst; for tests. */
size_t	json_escape(char *dst, size_t cap, const char *s, size_t n);

/* ISO 8601 UTC timestamp with microseconds: 2026-11-27T19:08:53.123456+0000 */
#define JSON_TIMESTAMP_LEN	32	/* "YYYY-MM-DDTHH:MM:SS.uuuuuu+0000" + NUL */
void	json_timestamp(char *dst, size_t cap, uint64_t ts_us);

/*
 * The writers behind the members, no printf family: each writes its text
 * and a NUL into out and returns the length.  json_fmt_double is
 * byte-identical to jb_double's value; json_fmt_ip to inet_ntop of a
 * 16-byte address, ::ffff:a.b.c.d (IPv4-mapped) written as IPv4.
 */
size_t	json_fmt_u64(char out[JSON_U64_MAX], uint64_t v);
size_t	json_fmt_double(char out[JSON_DOUBLE_MAX], double v, int decimals);
size_t	json_fmt_ip(char out[JSON_IP_MAX], const uint8_t addr[16]);

#endif /* JSON_H */
