/*
 * cidr.h - sets of IPv4/IPv6 networks.
 *
 * IPv4 networks are stored in the ::ffff:0:0/96 space so one lookup covers
 * both families.  A set is built once at config load and is read-only
 * afterwards; lookups do not allocate.
 */
#ifndef CIDR_H
#define CIDR_H

#include <stdbool.h>
#include <stddef.h>

#include "packet.h"

struct cidr {
	struct ip_addr	net;	/* address with host bits cleared */
	unsigned	prefix;	/* 0..128 in the IPv6 (mapped) space */
};

struct cidr_set {
	struct cidr	*v;	/* owned */
	size_t		 n;
	size_t		 cap;
};

/* Parses "10.0.0.0/8", "fc00::/7" or a bare address (/32, /128). 0 or -1. */
int	cidr_parse(const char *text, struct cidr *out);
/* Parses "10.1.2.3" or "2001:db8::1" into an ip_addr. 0 or -1. */
int	ip_addr_parse(const char *text, struct ip_addr *out);
/* Formats an address the way inet_ntop does; returns buf. */
const char *ip_addr_format(const struct ip_addr *a, char *buf, size_t len);

void	cidr_set_init(struct cidr_set *s);
int	cidr_set_add(struct cidr_set *s, const struct cidr *c);	/* 0 / -1 */
bool	cidr_set_contains(const struct cidr_set *s, const struct ip_addr *a);
void	cidr_set_fini(struct cidr_set *s);	/* frees v; safe twice */

#endif /* CIDR_H */
