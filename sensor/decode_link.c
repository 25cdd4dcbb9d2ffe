/*
 * decode_link.c - link layers and the dec_frame() entry point.
 *
 * A table maps each pcap link type to the function that removes its
 * header: Ethernet with up to DEC_MAX_VLAN 802.1Q/QinQ tags, Linux
 * cooked captures (SLL, SLL2), raw IP, and the BSD null/loopback header.
 * Each hands the cursor to the IP decoders.  Ethernet is also what GRE
 * bridging, ERSPAN and VXLAN carry, so dec_ether() is shared with
 * decode_tunnel.c.  Nothing here copies or allocates; every byte is read
 * through cursor.h, and a frame we cannot use is counted, never logged.
 */
#include <stddef.h>
#include <stdint.h>

#include "cursor.h"
#include "decode.h"
#include "decode_int.h"

#define DEC_ETH_MIN_TYPE	0x0600	/* smaller: an 802.3 length field */
#define DEC_SLL_HDR		16
#define DEC_SLL2_HDR		20

/* BSD address families as the null/loop header carries them. */
#define DEC_AF_INET		2
#define DEC_AF_INET6_LINUX	10
#define DEC_AF_INET6_BSD	24	/* NetBSD, OpenBSD */
#define DEC_AF_INET6_FREEBSD	28
#define DEC_AF_INET6_DARWIN	30

static enum dec_status	dec_link_ether(struct dec_ctx *, struct cursor *);
static enum dec_status	dec_link_sll(struct dec_ctx *, struct cursor *);
static enum dec_status	dec_link_sll2(struct dec_ctx *, struct cursor *);
static enum dec_status	dec_link_null(struct dec_ctx *, struct cursor *);

static const struct dec_link {
	int		  dlt;		/* pcap DLT_* / LINKTYPE_* value */
	enum dec_status	(*fn)(struct dec_ctx *, struct cursor *);
} dec_links[] = {
	{ 0,	dec_link_null },	/* DLT_NULL */
	{ 1,	dec_link_ether },	/* DLT_EN10MB */
	{ 12,	dec_ip_raw },		/* DLT_RAW (most systems) */
	{ 14,	dec_ip_raw },		/* DLT_RAW (OpenBSD) */
	{ 101,	dec_ip_raw },		/* LINKTYPE_RAW */
	{ 108,	dec_link_null },	/* DLT_LOOP */
	{ 113,	dec_link_sll },		/* DLT_LINUX_SLL */
	{ 228,	dec_ipv4 },		/* DLT_IPV4 */
	{ 229,	dec_ipv6 },		/* DLT_IPV6 */
	{ 276,	dec_link_sll2 },	/* DLT_LINUX_SLL2 */
};

static const struct dec_link *
dec_link_find(int dlt)
{
	size_t i;

	for (i = 0; i < sizeof(dec_links) / sizeof(dec_links[0]); i++)
		if (dec_links[i].dlt == dlt)
			return &dec_links[i];
	return NULL;
}

int
dec_dlt_supported(int dlt)
{
	return dec_link_find(dlt) != NULL;
}

enum dec_status
dec_frame(const uint8_t *frame, size_t caplen, int dlt,
    struct packet *pkt, struct stats *st)
{
	const struct dec_link *l;
	struct dec_ctx ctx;
	struct cursor c;

	ctx.pkt = pkt;
	ctx.st = st;
	ctx.partial = pkt->wire_len > caplen;
	ctx.len_lied = false;
	if ((l = dec_link_find(dlt)) == NULL)
		return dec_err(&ctx, DEC_UNSUPPORTED);
	cur_init(&c, frame, caplen);
	return l->fn(&ctx, &c);
}

static bool
dec_is_vlan(uint16_t type)
{
	return type == DEC_ETH_VLAN || type == DEC_ETH_QINQ ||
	    type == DEC_ETH_QINQ_OLD;
}

/*
 * Everything after an ethertype: VLAN tags, then IP.  The tag limit is
 * per link header; pkt->vlan keeps the first DEC_MAX_VLAN IDs seen in
 * frame order, so a tunnel's outer tags win over inner ones.
 */
static enum dec_status
dec_ethertype(struct dec_ctx *ctx, struct cursor *c, uint16_t type)
{
	struct packet *pkt = ctx->pkt;
	unsigned int tags = 0;
	uint16_t tci;

	while (dec_is_vlan(type)) {
		if (tags == DEC_MAX_VLAN) {
			dec_count(ctx, ST_DEC_MAX_VLAN);
			return DEC_UNSUPPORTED;
		}
		tci = cur_be16(c);
		type = cur_be16(c);
		if (!cur_ok(c))
			return dec_err(ctx, DEC_TRUNCATED);
		if (pkt->vlan_count < DEC_MAX_VLAN)
			pkt->vlan[pkt->vlan_count++] = tci & 0x0fff;
		tags++;
	}
	switch (type) {
	case DEC_ETH_IPV4:
		return dec_ipv4(ctx, c);
	case DEC_ETH_IPV6:
		return dec_ipv6(ctx, c);
	default:
		/* ARP, LLDP, STP, 802.3 lengths, SLL's pseudo-types... */
		return dec_err(ctx, DEC_NOT_IP);
	}
}

enum dec_status
dec_ether(struct dec_ctx *ctx, struct cursor *c)
{
	uint16_t type;

	cur_skip(c, 12);		/* destination and source MAC */
	type = cur_be16(c);
	if (!cur_ok(c))
		return dec_err(ctx, DEC_TRUNCATED);
	if (type < DEC_ETH_MIN_TYPE)
		return dec_err(ctx, DEC_NOT_IP);	/* 802.3 + LLC */
	return dec_ethertype(ctx, c, type);
}

static enum dec_status
dec_link_ether(struct dec_ctx *ctx, struct cursor *c)
{
	return dec_ether(ctx, c);
}

/*
 * Linux cooked v1: packet type, ARPHRD type, address length, 8 address
 * bytes, protocol.  The protocol is an ethertype, or a small number for
 * 802.3/802.2 frames, which dec_ethertype() calls not IP.
 */
static enum dec_status
dec_link_sll(struct dec_ctx *ctx, struct cursor *c)
{
	uint16_t proto;

	cur_skip(c, DEC_SLL_HDR - 2);
	proto = cur_be16(c);
	if (!cur_ok(c))
		return dec_err(ctx, DEC_TRUNCATED);
	return dec_ethertype(ctx, c, proto);
}

/*
 * Linux cooked v2: protocol first, then reserved, interface index,
 * ARPHRD type, packet type, address length and 8 address bytes.
 */
static enum dec_status
dec_link_sll2(struct dec_ctx *ctx, struct cursor *c)
{
	uint16_t proto;

	proto = cur_be16(c);
	cur_skip(c, DEC_SLL2_HDR - 2);
	if (!cur_ok(c))
		return dec_err(ctx, DEC_TRUNCATED);
	return dec_ethertype(ctx, c, proto);
}

/*
 * BSD null (host byte order of the capturing machine, which we do not
 * know) and loop (network order): a 4-byte address family.  Families
 * fit in 16 bits, so a value above that is the other byte order.
 */
static enum dec_status
dec_link_null(struct dec_ctx *ctx, struct cursor *c)
{
	uint32_t af;

	af = cur_be32(c);
	if (!cur_ok(c))
		return dec_err(ctx, DEC_TRUNCATED);
	if (af > 0xffff)
		af = (af >> 24) | ((af >> 8) & 0xff00);
	switch (af) {
	case DEC_AF_INET:
		return dec_ipv4(ctx, c);
	case DEC_AF_INET6_LINUX:
	case DEC_AF_INET6_BSD:
	case DEC_AF_INET6_FREEBSD:
	case DEC_AF_INET6_DARWIN:
		return dec_ipv6(ctx, c);
	default:
		return dec_err(ctx, DEC_NOT_IP);
	}
}
