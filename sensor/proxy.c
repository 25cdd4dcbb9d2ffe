/*
 * proxy.c - HTTP CONNECT / SOCKS request dissector (see proxy.h).
 * Skeleton: recognises nothing yet.
 */
#include <string.h>

#include "proxy.h"

void
proxy_info_init(struct proxy_info *pi)
{
	memset(pi, 0, sizeof(*pi));
}

bool
proxy_looks_like(const uint8_t *p, size_t n)
{
	(void)p;
	(void)n;
	return false;
}

enum proxy_status
proxy_feed(struct proxy_info *pi, struct stash *st, int dir, const uint8_t *p,
    size_t n, uint64_t ts_us)
{
	(void)pi; (void)st; (void)dir; (void)p; (void)n; (void)ts_us;
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
