/*
 * cidr.c - parsing, formatting and matching of IPv4/IPv6 networks.
 *
 * Every address lives in 16 bytes, IPv4 as ::ffff:a.b.c.d, so a v4
 * network a.b.c.d/n is the mapped network with prefix 96 + n and one
 * comparison routine serves both families.  Sets are small arrays built
 * at config load and scanned linearly: they are consulted per flow or
 * per alert, never per packet, and rarely hold more than a few dozen
 * networks.  Parsing is strict (no spaces, no leading '+', prefix digits
 * only) and never allocates; only cidr_set_add does.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cidr.h"

#define CIDR_TEXT_MAX	64	/* longest accepted "addr/prefix" */

static void
ip_addr_from_v4(struct ip_addr *out, const uint8_t v4[4])
{
	memset(out->b, 0, 10);
	out->b[10] = 0xff;
	out->b[11] = 0xff;
	memcpy(out->b + 12, v4, 4);
}

/* Parses an address; *is_v4 says which family it was. 0 / -1. */
static int
ip_addr_parse_fam(const char *text, struct ip_addr *out, bool *is_v4)
{
	uint8_t v4[4];

	if (inet_pton(AF_INET, text, v4) == 1) {
		ip_addr_from_v4(out, v4);
		*is_v4 = true;
		return 0;
	}
	if (inet_pton(AF_INET6, text, out->b) == 1) {
		*is_v4 = false;
		return 0;
	}
	return -1;
}

int
ip_addr_parse(const char *text, struct ip_addr *out)
{
	bool is_v4;

	return ip_addr_parse_fam(text, out, &is_v4);
}

const char *
ip_addr_format(const struct ip_addr *a, char *buf, size_t len)
{
	const char *r;

	if (ip_addr_is_v4(a))
		r = inet_ntop(AF_INET, a->b + 12, buf, (socklen_t)len);
	else
		r = inet_ntop(AF_INET6, a->b, buf, (socklen_t)len);
	if (r == NULL && len > 0)
		buf[0] = '\0';
	return buf;
}

static void
cidr_mask(struct ip_addr *a, unsigned prefix)
{
	unsigned i;

	for (i = 0; i < 16; i++) {
		if (prefix >= 8) {
			prefix -= 8;
			continue;
		}
		a->b[i] &= (uint8_t)(0xff00u >> prefix);
		prefix = 0;
	}
}

static int
cidr_parse_prefix(const char *s, unsigned max, unsigned *out)
{
	unsigned long v;
	char *end;
	size_t i, n = strlen(s);

	if (n == 0 || n > 3)
		return -1;
	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return -1;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno != 0 || *end != '\0' || v > max)
		return -1;
	*out = (unsigned)v;
	return 0;
}

int
cidr_parse(const char *text, struct cidr *out)
{
	char buf[CIDR_TEXT_MAX];
	char *slash;
	struct ip_addr a;
	unsigned prefix;
	bool is_v4;
	size_t n;

	if (text == NULL || (n = strlen(text)) == 0 || n >= sizeof(buf))
		return -1;
	memcpy(buf, text, n + 1);
	if ((slash = strchr(buf, '/')) != NULL)
		*slash = '\0';
	if (ip_addr_parse_fam(buf, &a, &is_v4) == -1)
		return -1;
	if (slash == NULL)
		prefix = 128;
	else if (cidr_parse_prefix(slash + 1, is_v4 ? 32 : 128, &prefix) ==
	    -1)
		return -1;
	else if (is_v4)
		prefix += 96;
	cidr_mask(&a, prefix);
	out->net = a;
	out->prefix = prefix;
	return 0;
}

static bool
cidr_contains(const struct cidr *c, const struct ip_addr *a)
{
	unsigned full = c->prefix / 8, rest = c->prefix % 8;
	uint8_t mask;

	if (memcmp(c->net.b, a->b, full) != 0)
		return false;
	if (rest == 0)
		return true;
	mask = (uint8_t)(0xff00u >> rest);
	return (a->b[full] & mask) == c->net.b[full];
}

void
cidr_set_init(struct cidr_set *s)
{
	s->v = NULL;
	s->n = 0;
	s->cap = 0;
}

int
cidr_set_add(struct cidr_set *s, const struct cidr *c)
{
	struct cidr *nv;
	size_t ncap;

	if (c->prefix > 128)
		return -1;
	if (s->n == s->cap) {
		ncap = s->cap == 0 ? 8 : s->cap * 2;
		if ((nv = reallocarray(s->v, ncap, sizeof(*nv))) == NULL)
			return -1;
		s->v = nv;
		s->cap = ncap;
	}
	s->v[s->n++] = *c;
	return 0;
}

bool
cidr_set_contains(const struct cidr_set *s, const struct ip_addr *a)
{
	size_t i;

	if (s == NULL || a == NULL)
		return false;
	for (i = 0; i < s->n; i++)
		if (cidr_contains(&s->v[i], a))
			return true;
	return false;
}

void
cidr_set_fini(struct cidr_set *s)
{
	free(s->v);
	cidr_set_init(s);
}
