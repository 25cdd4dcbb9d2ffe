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

struct jbuf {
	char	*buf;		/* borrowed */
	size_t	 cap;
	size_t	 len;		/* bytes written, buf NUL-terminated */
	bool	 overflow;
	int	 depth;
	bool	 first[JSON_MAX_DEPTH];	/* no member written yet at depth */
};

void	jb_init(struct jbuf *j, char *buf, size_t cap);
/* key is NULL inside arrays and for the top-level object. */
void	jb_open_object(struct jbuf *j, const char *key);
void	jb_close_object(struct jbuf *j);
void	jb_open_array(struct jbuf *j, const char *key);
void	jb_close_array(struct jbuf *j);
void	jb_string(struct jbuf *j, const char *key, const char *s);
void	jb_stringn(struct jbuf *j, const char *key, const char *s, size_t n);
void	jb_u64(struct jbuf *j, const char *key, uint64_t v);
void	jb_i64(struct jbuf *j, const char *key, int64_t v);
void	jb_double(struct jbuf *j, const char *key, double v, int decimals);
void	jb_bool(struct jbuf *j, const char *key, bool v);
void	jb_null(struct jbuf *j, const char *key);
/* Inserts an already valid JSON value (e.g. pre-rendered evidence). */
void	jb_raw(struct jbuf *j, const char *key, const char *json, size_t n);
/* Hex string of n bytes. */
void	jb_hex(struct jbuf *j, const char *key, const uint8_t *p, size_t n);

/* Escapes s into a JSON string literal (with quotes) in dst; for tests. */
size_t	json_escape(char *dst, size_t cap, const char *s, size_t n);

/* ISO 8601 UTC timestamp with microseconds: 2026-11-27T19:08:53.123456+0000 */
#define JSON_TIMESTAMP_LEN	32	/* "YYYY-MM-DDTHH:MM:SS.uuuuuu+0000" + NUL */
void	json_timestamp(char *dst, size_t cap, uint64_t ts_us);

#endif /* JSON_H */
