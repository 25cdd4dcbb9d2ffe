/*
 * community_id.c - Community ID v1 (the published corelight spec).
 *
 * SHA-1 over seed, the ordered endpoint pair, protocol, a pad byte and
 * the ordered ports, base64-encoded behind "1:".  The endpoints are put
 * in a canonical order (lower address, then lower port, first) so both
 * directions give one ID; ICMP types that have a counterpart (echo and
 * reply, ...) use it as the "destination port", and one-way ICMP types
 * keep the order as seen.  SHA-1 comes from libgcrypt, which nDPI links
 * already; this is the only module that calls it.
 */
#include <stdbool.h>
#include <string.h>
#include <netinet/in.h>

#include <gcrypt.h>

#include "community_id.h"
#include "log.h"

#define CID_SHA1_LEN	20

/* The spec's ICMP "port equivalents": type -> counterpart type. */
struct icmp_pair {
	uint8_t	proto;
	uint8_t	type;
	uint8_t	peer;
};

static const struct icmp_pair icmp_pairs[] = {
	{ IPPROTO_ICMP, 8, 0 },   { IPPROTO_ICMP, 0, 8 },	/* echo */
	{ IPPROTO_ICMP, 13, 14 }, { IPPROTO_ICMP, 14, 13 },	/* timestamp */
	{ IPPROTO_ICMP, 15, 16 }, { IPPROTO_ICMP, 16, 15 },	/* info */
	{ IPPROTO_ICMP, 10, 9 },  { IPPROTO_ICMP, 9, 10 },	/* router */
	{ IPPROTO_ICMP, 17, 18 }, { IPPROTO_ICMP, 18, 17 },	/* mask */
	{ IPPROTO_ICMPV6, 128, 129 }, { IPPROTO_ICMPV6, 129, 128 },
	{ IPPROTO_ICMPV6, 133, 134 }, { IPPROTO_ICMPV6, 134, 133 },
	{ IPPROTO_ICMPV6, 135, 136 }, { IPPROTO_ICMPV6, 136, 135 },
	{ IPPROTO_ICMPV6, 139, 140 }, { IPPROTO_ICMPV6, 140, 139 },
	{ IPPROTO_ICMPV6, 144, 145 }, { IPPROTO_ICMPV6, 145, 144 },
	{ IPPROTO_ICMPV6, 130, 131 }, { IPPROTO_ICMPV6, 131, 130 },
};

int
community_id_init(void)
{
	if (gcry_check_version(NULL) == NULL) {
		log_warnx("community_id: libgcrypt failed to initialise");
		return -1;
	}
	gcry_control(GCRYCTL_INITIALIZATION_FINISHED, 0);
	return 0;
}

/* Maps ICMP type/code to port equivalents; true when one-way. */
static bool
icmp_ports(uint8_t proto, uint16_t *sport, uint16_t *dport)
{
	size_t i;

	for (i = 0; i < sizeof(icmp_pairs) / sizeof(icmp_pairs[0]); i++) {
		if (icmp_pairs[i].proto == proto &&
		    icmp_pairs[i].type == *sport) {
			*dport = icmp_pairs[i].peer;
			return false;
		}
	}
	return true;
}

static void
base64(char *out, const uint8_t *in, size_t n)
{
	static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t i;
	uint32_t v;

	for (i = 0; i + 2 < n; i += 3) {
		v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8 | in[i + 2];
		*out++ = tab[v >> 18 & 63];
		*out++ = tab[v >> 12 & 63];
		*out++ = tab[v >> 6 & 63];
		*out++ = tab[v & 63];
	}
	if (n - i == 1) {
		v = (uint32_t)in[i] << 16;
		*out++ = tab[v >> 18 & 63];
		*out++ = tab[v >> 12 & 63];
		*out++ = '=';
		*out++ = '=';
	} else if (n - i == 2) {
		v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8;
		*out++ = tab[v >> 18 & 63];
		*out++ = tab[v >> 12 & 63];
		*out++ = tab[v >> 6 & 63];
		*out++ = '=';
	}
	*out = '\0';
}

int
community_id_v1(char *out, size_t cap, uint16_t seed,
    const struct ip_addr *src, const struct ip_addr *dst, uint8_t proto,
    uint16_t sport, uint16_t dport)
{
	uint8_t buf[2 + 16 + 16 + 2 + 4], digest[CID_SHA1_LEN];
	const struct ip_addr *a = src, *b = dst;
	size_t alen = ip_addr_is_v4(src) && ip_addr_is_v4(dst) ? 4 : 16;
	size_t off = alen == 4 ? 12 : 0, n = 0;
	bool ports, one_way = false;
	uint16_t pa, pb;
	int c;

	if (cap < COMMUNITY_ID_LEN)
		return -1;
	ports = proto == IPPROTO_TCP || proto == IPPROTO_UDP ||
	    proto == IPPROTO_SCTP || proto == IPPROTO_ICMP ||
	    proto == IPPROTO_ICMPV6;
	if (proto == IPPROTO_ICMP || proto == IPPROTO_ICMPV6)
		one_way = icmp_ports(proto, &sport, &dport);
	pa = sport;
	pb = dport;
	c = memcmp(src->b + off, dst->b + off, alen);
	if (!one_way && (c > 0 || (c == 0 && ports && sport > dport))) {
		a = dst;
		b = src;
		pa = dport;
		pb = sport;
	}
	buf[n++] = seed >> 8;
	buf[n++] = seed & 0xff;
	memcpy(buf + n, a->b + off, alen);
	n += alen;
	memcpy(buf + n, b->b + off, alen);
	n += alen;
	buf[n++] = proto;
	buf[n++] = 0;
	if (ports) {
		buf[n++] = pa >> 8;
		buf[n++] = pa & 0xff;
		buf[n++] = pb >> 8;
		buf[n++] = pb & 0xff;
	}
	gcry_md_hash_buffer(GCRY_MD_SHA1, digest, buf, n);
	out[0] = '1';
	out[1] = ':';
	base64(out + 2, digest, sizeof(digest));
	return 0;
}

int
community_id_flow(const struct flow *f, char *out, size_t cap)
{
	bool icmp = f->proto == IPPROTO_ICMP || f->proto == IPPROTO_ICMPV6;

	return community_id_v1(out, cap, 0, flow_src(f), flow_dst(f), f->proto,
	    icmp ? f->c->icmp_type : flow_sport(f),
	    icmp ? f->c->icmp_code : flow_dport(f));
}
