/*
 * proxy.h - HTTP CONNECT and SOCKS4/4a/5 request dissector: which host
 * and port a client asks a proxy to reach, and whether the proxy agreed.
 * Bounded, allocation-free, fed in-order TCP payload like the other
 * dissectors (stash.h).
 *
 * Accepted requests: "CONNECT host:port HTTP/1.x" (host a name, an IPv4
 * address or [IPv6]); SOCKS5 greeting (RFC 1928), optional
 * username/password sub-negotiation (RFC 1929), then a request with
 * address type IPv4, domain or IPv6; SOCKS4 and SOCKS4a (user id, then
 * the domain when the address is 0.0.0.x).  Replies: HTTP 2xx, SOCKS5
 * REP 0x00, SOCKS4 0x5a set granted.
 */
#ifndef PROXY_H
#define PROXY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "stash.h"

#define PROXY_HOST_MAX	256	/* bytes of a target host kept, NUL included */
#define PROXY_LINE_MAX	1024	/* CONNECT request line at most */

enum proxy_kind { PROXY_NONE, PROXY_HTTP_CONNECT, PROXY_SOCKS4, PROXY_SOCKS5 };
enum proxy_status { PROXY_MORE, PROXY_DONE, PROXY_NOT };

struct proxy_info {
	enum proxy_kind	kind;
	char		host[PROXY_HOST_MAX];	/* target name or address text */
	uint16_t	port;		/* target port */
	bool		host_is_name;	/* host is a domain, not an address */
	bool		requested;	/* the request was parsed: host, port valid */
	bool		replied;	/* the proxy answered the request */
	bool		granted;	/* the proxy said yes (200 / 0x5a / 0x00) */
	uint16_t	reply_code;	/* HTTP status, SOCKS REP / CD byte */
	uint8_t		status;		/* private to proxy.c */
};

void		 proxy_info_init(struct proxy_info *pi);
/* The first payload bytes of a flow look like a proxy request. */
bool		 proxy_looks_like(const uint8_t *p, size_t n);
/*
 * Appends p[0, n) (direction dir, 0 = client) to the stash and parses
 * what it can.  PROXY_DONE once request and reply are both parsed,
 * PROXY_NOT when the bytes are not a proxy conversation (or overflow the
 * stash before a request), else PROXY_MORE.  p is borrowed.
 */
enum proxy_status proxy_feed(struct proxy_info *pi, struct stash *st, int dir,
		    const uint8_t *p, size_t n, uint64_t ts_us);
/* "http_connect", "socks4", "socks5", "" */
const char	*proxy_kind_name(enum proxy_kind k);

#endif /* PROXY_H */
