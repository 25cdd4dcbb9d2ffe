/*
 * proxy.h - HTTP CONNECT and SOCKS4/4a/5 request dissector: which host
 * and port a client asks a proxy to reach.  Bounded, allocation-free,
 * fed in-order TCP payload like the other dissectors (stash.h).
 */
#ifndef PROXY_H
#define PROXY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "stash.h"

enum proxy_kind { PROXY_NONE, PROXY_HTTP_CONNECT, PROXY_SOCKS4, PROXY_SOCKS5 };
enum proxy_status { PROXY_MORE, PROXY_DONE, PROXY_NOT };

struct proxy_info {
	enum proxy_kind	kind;
	char		host[256];	/* target name or address text */
	uint16_t	port;		/* target port */
	bool		granted;	/* the proxy said yes (200 / 0x5a / 0x00) */
	uint8_t		status;		/* private to proxy.c */
};

void		 proxy_info_init(struct proxy_info *pi);
bool		 proxy_looks_like(const uint8_t *p, size_t n);
enum proxy_status proxy_feed(struct proxy_info *pi, struct stash *st, int dir,
		    const uint8_t *p, size_t n, uint64_t ts_us);
const char	*proxy_kind_name(enum proxy_kind k);

#endif /* PROXY_H */
