/*
 * proxy.c - HTTP CONNECT / SOCKS request dissector (see proxy.h).
 *
 * The client's bytes (direction 0) and the proxy's (direction 1) are
 * appended to the flow's stash and parsed from the front with cursor.h;
 * a parse that needs more bytes leaves the stash as it is and waits.
 * Only the request line / request message and the first reply are read:
 * what follows is the tunnelled stream and none of our business.  Every
 * length on the wire is checked against the bytes held; nothing here
 * allocates or logs, and hostile input can at most make us give up
 * (PROXY_NOT).
 */
#include <stdio.h>
#include <string.h>

#include "cidr.h"
#include "cursor.h"
#include "proxy.h"

/* status bits */
#define PS_GREETED	0x01	/* SOCKS5 greeting consumed */
#define PS_AUTHED	0x02	/* SOCKS5 user/pass sub-negotiation consumed */
#define PS_METHOD	0x04	/* SOCKS5 method selection reply consumed */
#define PS_AUTH_REPLY	0x08	/* SOCKS5 sub-negotiation reply consumed */
#define PS_BAD		0x80	/* gave up */

enum step { STEP_MORE, STEP_DONE, STEP_BAD };

void
proxy_info_init(struct proxy_info *pi)
{
	memset(pi, 0, sizeof(*pi));
}

/* Copies n wire bytes into host; odd bytes become '?'.  false if too long. */
static bool
host_copy(struct proxy_info *pi, struct cursor *c, size_t n)
{
	size_t i;
	uint8_t b;

	if (n == 0 || n >= sizeof(pi->host) || !cur_has(c, n))
		return false;
	for (i = 0; i < n; i++) {
		b = cur_u8(c);
		pi->host[i] = (char)(b > 0x20 && b < 0x7f ? b : '?');
	}
	pi->host[n] = '\0';
	return true;
}

static void
host_addr(struct proxy_info *pi, const uint8_t *b, bool v6)
{
	struct ip_addr a;

	memset(&a, 0, sizeof(a));
	if (v6)
		memcpy(a.b, b, 16);
	else {
		a.b[10] = a.b[11] = 0xff;
		memcpy(a.b + 12, b, 4);
	}
	ip_addr_format(&a, pi->host, sizeof(pi->host));
	pi->host_is_name = false;
}

static bool
socks5_method_ok(uint8_t m)
{
	return m <= 0x09 || (m >= 0x80 && m <= 0xfe);
}

bool
proxy_looks_like(const uint8_t *p, size_t n)
{
	struct cursor c;
	uint8_t v, a, i, nm;
	char word[8];

	cur_init(&c, p, n);
	if (n >= 8) {
		cur_bytes(&c, word, 8);
		if (memcmp(word, "CONNECT ", 8) == 0)
			return true;
		cur_init(&c, p, n);
	}
	v = cur_u8(&c);
	a = cur_u8(&c);
	if (!cur_ok(&c))
		return false;
	if (v == 4)
		return (a == 1 || a == 2) && n >= 9;
	if (v != 5 || a == 0 || n < 2u + a)
		return false;
	nm = a;
	for (i = 0; i < nm; i++)
		if (!socks5_method_ok(cur_u8(&c)))
			return false;
	/* The greeting alone, or pipelined with the request. */
	return cur_left(&c) == 0 || cur_u8(&c) == 5;
}

/* Unsigned decimal port from text; false unless 1..65535. */
static bool
port_parse(const char *s, size_t n, uint16_t *out)
{
	uint32_t v = 0;
	size_t i;

	if (n == 0 || n > 5)
		return false;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (uint32_t)(s[i] - '0');
	}
	if (v == 0 || v > 65535)
		return false;
	*out = (uint16_t)v;
	return true;
}

/* "CONNECT authority HTTP/1.x" from the first line of the stash. */
static enum step
http_request(struct proxy_info *pi, struct stash *st)
{
	char line[PROXY_LINE_MAX];
	struct cursor c;
	size_t n, i, sp, colon, hs, he;

	n = st->len[0] < sizeof(line) - 1 ? st->len[0] : sizeof(line) - 1;
	cur_init(&c, st->buf[0], n);
	cur_bytes(&c, line, n);
	line[n] = '\0';
	for (i = 0; i < n && line[i] != '\n'; i++)
		;
	if (i == n)
		return st->len[0] >= sizeof(line) - 1 ? STEP_BAD : STEP_MORE;
	if (i > 0 && line[i - 1] == '\r')
		i--;
	line[i] = '\0';
	if (strncmp(line, "CONNECT ", 8) != 0)
		return STEP_BAD;
	for (sp = 8; line[sp] != '\0' && line[sp] != ' '; sp++)
		;
	if (strncmp(line + sp, " HTTP/", 6) != 0)
		return STEP_BAD;
	/* authority = host ":" port, host may be "[v6]" */
	for (colon = sp; colon > 8 && line[colon - 1] != ':'; colon--)
		;
	if (colon <= 9)
		return STEP_BAD;
	if (!port_parse(line + colon, sp - colon, &pi->port))
		return STEP_BAD;
	hs = 8;
	he = colon - 1;
	if (line[hs] == '[') {
		if (he < hs + 3 || line[he - 1] != ']')
			return STEP_BAD;
		hs++;
		he--;
	}
	cur_init(&c, (const uint8_t *)line + hs, he - hs);
	if (!host_copy(pi, &c, he - hs))
		return STEP_BAD;
	{
		struct ip_addr a;

		pi->host_is_name = ip_addr_parse(pi->host, &a) != 0;
	}
	return STEP_DONE;
}

/* SOCKS4 / 4a request: VN CD DSTPORT DSTIP USERID NUL [DOMAIN NUL]. */
static enum step
socks4_request(struct proxy_info *pi, struct stash *st)
{
	struct cursor c;
	uint8_t ip[4];
	size_t start, n;
	bool found;

	cur_init(&c, st->buf[0], st->len[0]);
	(void)cur_u8(&c);
	if (cur_u8(&c) != 1 && cur_ok(&c))
		return STEP_BAD;	/* BIND: no target to report */
	pi->port = cur_be16(&c);
	cur_bytes(&c, ip, 4);
	found = false;
	while (cur_left(&c) > 0 && !found)
		found = cur_u8(&c) == 0;	/* user id */
	if (!found)
		return st->len[0] >= STASH_DIR_BYTES ? STEP_BAD : STEP_MORE;
	if (ip[0] == 0 && ip[1] == 0 && ip[2] == 0 && ip[3] != 0) {
		start = cur_offset(&c);
		while (cur_left(&c) > 0 && cur_peek(&c, 0) != 0)
			cur_skip(&c, 1);
		if (cur_left(&c) == 0)
			return st->len[0] >= STASH_DIR_BYTES ? STEP_BAD :
			    STEP_MORE;
		n = cur_offset(&c) - start;
		cur_init(&c, st->buf[0] + start, n);
		if (!host_copy(pi, &c, n))
			return STEP_BAD;
		pi->host_is_name = true;
	} else
		host_addr(pi, ip, false);
	return pi->port != 0 ? STEP_DONE : STEP_BAD;
}

/* SOCKS5: greeting, optional RFC 1929 sub-negotiation, request. */
static enum step
socks5_request(struct proxy_info *pi, struct stash *st)
{
	struct cursor c;
	uint8_t b[16], atyp, len;

	cur_init(&c, st->buf[0], st->len[0]);
	if (!(pi->status & PS_GREETED)) {
		(void)cur_u8(&c);
		len = cur_u8(&c);
		if (!cur_skip(&c, len))
			return STEP_MORE;
		stash_consume(st, 0, cur_offset(&c));
		pi->status |= PS_GREETED;
		cur_init(&c, st->buf[0], st->len[0]);
	}
	if (cur_left(&c) == 0)
		return STEP_MORE;
	if (!(pi->status & PS_AUTHED) && cur_peek(&c, 0) == 0x01) {
		(void)cur_u8(&c);
		len = cur_u8(&c);	/* user */
		cur_skip(&c, len);
		len = cur_u8(&c);	/* password */
		if (!cur_skip(&c, len))
			return STEP_MORE;
		stash_consume(st, 0, cur_offset(&c));
		pi->status |= PS_AUTHED;
		cur_init(&c, st->buf[0], st->len[0]);
	}
	if (cur_u8(&c) != 5 && cur_ok(&c))
		return STEP_BAD;
	if (cur_u8(&c) != 1 && cur_ok(&c))
		return STEP_BAD;	/* BIND / UDP ASSOCIATE */
	(void)cur_u8(&c);		/* RSV */
	atyp = cur_u8(&c);
	if (!cur_ok(&c))
		return STEP_MORE;
	if (atyp == 1 || atyp == 4) {
		if (!cur_bytes(&c, b, atyp == 1 ? 4 : 16))
			return STEP_MORE;
		host_addr(pi, b, atyp == 4);
	} else if (atyp == 3) {
		len = cur_u8(&c);
		if (!cur_has(&c, (size_t)len + 2))
			return STEP_MORE;
		if (!host_copy(pi, &c, len))
			return STEP_BAD;
		pi->host_is_name = true;
	} else
		return STEP_BAD;
	pi->port = cur_be16(&c);
	if (!cur_ok(&c))
		return STEP_MORE;
	return pi->port != 0 ? STEP_DONE : STEP_BAD;
}

static enum step
parse_request(struct proxy_info *pi, struct stash *st)
{
	uint8_t v;

	if (st->len[0] == 0)
		return STEP_MORE;
	v = st->buf[0][0];
	if (pi->kind == PROXY_NONE)
		pi->kind = v == 'C' ? PROXY_HTTP_CONNECT : v == 4 ?
		    PROXY_SOCKS4 : v == 5 ? PROXY_SOCKS5 : PROXY_NONE;
	switch (pi->kind) {
	case PROXY_HTTP_CONNECT:
		return http_request(pi, st);
	case PROXY_SOCKS4:
		return socks4_request(pi, st);
	case PROXY_SOCKS5:
		return socks5_request(pi, st);
	default:
		return STEP_BAD;
	}
}

/* "HTTP/1.x NNN" */
static enum step
http_reply(struct proxy_info *pi, struct stash *st)
{
	char w[12];
	struct cursor c;
	int i;

	cur_init(&c, st->buf[1], st->len[1]);
	if (!cur_bytes(&c, w, sizeof(w)))
		return STEP_MORE;
	if (memcmp(w, "HTTP/1.", 7) != 0 || w[8] != ' ')
		return STEP_BAD;
	pi->reply_code = 0;
	for (i = 9; i < 12; i++) {
		if (w[i] < '0' || w[i] > '9')
			return STEP_BAD;
		pi->reply_code = (uint16_t)(pi->reply_code * 10 + (w[i] - '0'));
	}
	pi->granted = pi->reply_code >= 200 && pi->reply_code < 300;
	return STEP_DONE;
}

static enum step
socks_reply(struct proxy_info *pi, struct stash *st)
{
	struct cursor c;
	uint8_t v, r;

	cur_init(&c, st->buf[1], st->len[1]);
	if (pi->kind == PROXY_SOCKS5 && !(pi->status & PS_METHOD)) {
		if (!cur_has(&c, 2))
			return STEP_MORE;
		if (cur_u8(&c) != 5)
			return STEP_BAD;
		if (cur_u8(&c) == 0xff) {	/* no acceptable method */
			pi->reply_code = 0xff;
			return STEP_DONE;
		}
		stash_consume(st, 1, 2);
		pi->status |= PS_METHOD;
		cur_init(&c, st->buf[1], st->len[1]);
	}
	if (pi->kind == PROXY_SOCKS5 && !(pi->status & PS_AUTH_REPLY) &&
	    cur_peek(&c, 0) == 0x01 && cur_has(&c, 2)) {
		stash_consume(st, 1, 2);	/* RFC 1929 status */
		pi->status |= PS_AUTH_REPLY;
		cur_init(&c, st->buf[1], st->len[1]);
	}
	if (!pi->requested || !cur_has(&c, 2))
		return STEP_MORE;
	v = cur_u8(&c);
	r = cur_u8(&c);
	if (pi->kind == PROXY_SOCKS4) {
		if (v != 0)
			return STEP_BAD;
		pi->granted = r == 0x5a;
	} else {
		if (v != 5)
			return STEP_BAD;
		pi->granted = r == 0x00;
	}
	pi->reply_code = r;
	return STEP_DONE;
}

enum proxy_status
proxy_feed(struct proxy_info *pi, struct stash *st, int dir, const uint8_t *p,
    size_t n, uint64_t ts_us)
{
	enum step s;

	(void)ts_us;
	if (pi->status & PS_BAD)
		return PROXY_NOT;
	if (dir != 0 && dir != 1)
		return PROXY_MORE;
	if (stash_append(st, dir, p, n) < n && dir == 0 && !pi->requested)
		goto bad;
	if (!pi->requested) {
		if ((s = parse_request(pi, st)) == STEP_BAD)
			goto bad;
		pi->requested = s == STEP_DONE;
	}
	if (pi->kind != PROXY_NONE && !pi->replied) {
		s = pi->kind == PROXY_HTTP_CONNECT ? (pi->requested ?
		    http_reply(pi, st) : STEP_MORE) : socks_reply(pi, st);
		if (s == STEP_BAD)
			return pi->requested ? PROXY_DONE : PROXY_NOT;
		pi->replied = s == STEP_DONE;
	}
	return pi->requested && pi->replied ? PROXY_DONE : PROXY_MORE;
bad:
	pi->status |= PS_BAD;
	return PROXY_NOT;
}

const char *
proxy_kind_name(enum proxy_kind k)
{
	switch (k) {
	case PROXY_HTTP_CONNECT:	return "http_connect";
	case PROXY_SOCKS4:		return "socks4";
	case PROXY_SOCKS5:		return "socks5";
	default:			return "";
	}
}
