/*
 * decode_link.c - link layers and the dec_frame() entry point.
 *
 * A table maps each pcap link type to the function that removes its
 * header: Ethernet with up to DEC_MAX_VLAN 802.1Q/QinQ tags, Linux
 * cooked captures (SLL, SLL2), raw IP, the BSD null/loopback header, PPP
 * (bare or in HDLC-like framing) and Cisco HDLC.  After an ethertype come
 * the shims a link can carry before IP: an MPLS stack of up to
 * DEC_MAX_MPLS labels and a PPPoE session header.  Each hands the cursor
 * to the IP decoders.  Ethernet is also what GRE bridging, ERSPAN, VXLAN,
 * Geneve and MPLS pseudowires carry, so dec_ether() is shared with
 * decode_tunnel.c; a pseudowire is a tunnel, counted by
 * dec_tunnel_enter(), which is what bounds Ethernet -> MPLS -> Ethernet.
 * Nothing here copies or allocates; every byte is read through cursor.h,
 * and a frame we cannot use is counted, never logged.
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

#define DEC_MPLS_S		0x00000100	/* bottom of stack */
#define DEC_MPLS_CW		4		/* pseudowire control word */

#define DEC_PPPOE_HDR		6
#define DEC_PPPOE_VERTYPE	0x11		/* version 1, type 1 */

/* PPP protocol numbers (RFC 1661 and the IANA PPP registry). */
#define DEC_PPP_IPV4		0x0021
#define DEC_PPP_IPV6		0x0057
#define DEC_PPP_ADDR		0xff		/* HDLC-like all-stations */
#define DEC_PPP_CTRL		0x03		/* HDLC-like unnumbered info */
#define DEC_CHDLC_UNICAST	0x0f		/* Cisco HDLC address bytes */
#define DEC_CHDLC_MULTICAST	0x8f

static enum dec_status	dec_link_ether(struct dec_ctx *, struct cursor *);
static enum dec_status	dec_link_sll(struct dec_ctx *, struct cursor *);
static enum dec_status	dec_link_sll2(struct dec_ctx *, struct cursor *);
static enum dec_status	dec_link_null(struct dec_ctx *, struct cursor *);
static enum dec_status	dec_link_ppp(struct dec_ctx *, struct cursor *);
static enum dec_status	dec_link_ppp_hdlc(struct dec_ctx *, struct cursor *);
static enum dec_status	dec_link_chdlc(struct dec_ctx *, struct cursor *);
static enum dec_status	dec_pppoe(struct dec_ctx *, struct cursor *);

static const struct dec_link {
	int		  dlt;		/* pcap DLT_* / LINKTYPE_* value */
	enum dec_status	(*fn)(struct dec_ctx *, struct cursor *);
} dec_links[] = {
	{ 0,	dec_link_null },	/* DLT_NULL */
	{ 1,	dec_link_ether },	/* DLT_EN10MB */
	{ 9,	dec_link_ppp },		/* DLT_PPP */
	{ 12,	dec_ip_raw },		/* DLT_RAW (most systems) */
	{ 14,	dec_ip_raw },		/* DLT_RAW (OpenBSD) */
	{ 50,	dec_link_ppp_hdlc },	/* DLT_PPP_SERIAL */
	{ 101,	dec_ip_raw },		/* LINKTYPE_RAW */
	{ 104,	dec_link_chdlc },	/* DLT_C_HDLC */
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
 * Everything after an ethertype: VLAN tags, then IP, MPLS or PPPoE.  The
 * tag limit is per link header; pkt->vlan keeps the first DEC_MAX_VLAN
 * IDs seen in frame order, so a tunnel's outer tags win over inner ones.
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
	case DEC_ETH_MPLS_UC:
	case DEC_ETH_MPLS_MC:
		return dec_mpls(ctx, c);
	case DEC_ETH_PPPOE_SESS:
		return dec_pppoe(ctx, c);
	default:
		/* ARP, LLDP, STP, PPPoE discovery, 802.3 lengths... */
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

/*
 * Cisco HDLC: address (0x0f unicast, 0x8f broadcast), control 0, then an
 * ethertype; SLARP keepalives (0x8035) and CDP are not IP.
 */
static enum dec_status
dec_link_chdlc(struct dec_ctx *ctx, struct cursor *c)
{
	uint16_t type;

	cur_skip(c, 2);			/* address, control */
	type = cur_be16(c);
	if (!cur_ok(c))
		return dec_err(ctx, DEC_TRUNCATED);
	return dec_ethertype(ctx, c, type);
}

/*
 * A PPP protocol field (RFC 1661): one byte when compressed (the first
 * byte is odd), else two.  IPv4 and IPv6 go on; LCP, IPCP, CHAP and the
 * rest are PPP talking to itself, not IP.
 */
static enum dec_status
dec_ppp_proto(struct dec_ctx *ctx, struct cursor *c)
{
	uint16_t proto;

	proto = cur_u8(c);
	if ((proto & 1) == 0)
		proto = (uint16_t)(proto << 8 | cur_u8(c));
	if (!cur_ok(c))
		return dec_err(ctx, DEC_TRUNCATED);
	switch (proto) {
	case DEC_PPP_IPV4:
		return dec_ipv4(ctx, c);
	case DEC_PPP_IPV6:
		return dec_ipv6(ctx, c);
	default:
		return dec_err(ctx, DEC_NOT_IP);
	}
}

/*
 * DLT_PPP: a PPP frame, with or without the HDLC-like address and
 * control bytes (0xff 0x03) in front of the protocol, since some
 * systems strip them (address-and-control-field compression).  No
 * protocol starts with 0xff (0x00ff is reserved), so that byte is the
 * address.
 */
static enum dec_status
dec_link_ppp(struct dec_ctx *ctx, struct cursor *c)
{
	uint8_t ctrl;

	if (cur_peek(c, 0) == DEC_PPP_ADDR) {
		cur_skip(c, 1);
		ctrl = cur_u8(c);
		if (!cur_ok(c))
			return dec_err(ctx, DEC_TRUNCATED);
		if (ctrl != DEC_PPP_CTRL)
			return dec_err(ctx, DEC_MALFORMED);
	}
	return dec_ppp_proto(ctx, c);
}

/*
 * DLT_PPP_SERIAL: PPP in HDLC-like framing (RFC 1662), or, as libpcap
 * documents for the same link type, Cisco HDLC framing (RFC 1547 4.3.1),
 * told apart by the address byte.
 */
static enum dec_status
dec_link_ppp_hdlc(struct dec_ctx *ctx, struct cursor *c)
{
	switch (cur_peek(c, 0)) {
	case DEC_CHDLC_UNICAST:
	case DEC_CHDLC_MULTICAST:
		return dec_link_chdlc(ctx, c);
	default:
		return dec_link_ppp(ctx, c);
	}
}

/*
 * PPPoE session stage (RFC 2516): version and type (0x11), code 0,
 * session ID, payload length, then a PPP protocol.  The cursor is
 * clamped to the payload length, so Ethernet padding is never PPP and an
 * IP length beyond it is a lie.
 */
static enum dec_status
dec_pppoe(struct dec_ctx *ctx, struct cursor *c)
{
	uint8_t vertype, code;
	uint16_t len;

	vertype = cur_u8(c);
	code = cur_u8(c);
	cur_skip(c, 2);			/* session ID */
	len = cur_be16(c);
	if (!cur_ok(c))
		return dec_err(ctx, DEC_TRUNCATED);
	if (vertype != DEC_PPPOE_VERTYPE || code != 0 || len < 2)
		return dec_err(ctx, DEC_MALFORMED);
	cur_clamp(c, len);
	dec_count(ctx, ST_DEC_PPPOE);
	return dec_ppp_proto(ctx, c);
}

/*
 * An Ethernet pseudowire (RFC 4448) after its control word.  It is a
 * tunnel: Ethernet can carry MPLS again, so dec_tunnel_enter() bounds
 * it.  Too deep inside an IP tunnel, the outer IP stays the flow; too
 * deep with no IP yet, the frame is counted once (ST_DEC_MAX_DEPTH).
 */
static enum dec_status
dec_mpls_pw(struct dec_ctx *ctx, struct cursor *c)
{
	if (!cur_skip(c, DEC_MPLS_CW))
		return dec_err(ctx, DEC_TRUNCATED);
	if (!dec_tunnel_enter(ctx))
		return ctx->pkt->ip_version != 0 ? DEC_OK : DEC_UNSUPPORTED;
	return dec_ether(ctx, c);
}

/*
 * MPLS (RFC 3032): 4-byte label entries down to the bottom-of-stack bit,
 * at most DEC_MAX_MPLS.  The stack does not say what it carries, so the
 * first nibble after it decides, as ECMP hashing in label switches and
 * Wireshark guess too: 4 and 6 are IP; 1 is a pseudowire associated
 * channel (OAM), not IP; 0 is taken as the control word of an Ethernet
 * pseudowire (RFC 4448), followed by the customer's frame.  Other
 * pseudowires (ATM, frame relay, or Ethernet without a control word) are
 * not recognised: each is counted once, as unsupported, not IP or
 * malformed, by whatever its first bytes look like.
 */
enum dec_status
dec_mpls(struct dec_ctx *ctx, struct cursor *c)
{
	uint32_t entry = 0;
	unsigned int n;

	for (n = 0; (entry & DEC_MPLS_S) == 0; n++) {
		if (n == DEC_MAX_MPLS) {
			dec_count(ctx, ST_DEC_MAX_MPLS);
			return DEC_UNSUPPORTED;
		}
		entry = cur_be32(c);
		if (!cur_ok(c))
			return dec_err(ctx, DEC_TRUNCATED);
	}
	if (!cur_has(c, 1))
		return dec_err(ctx, DEC_TRUNCATED);
	dec_count(ctx, ST_DEC_MPLS);
	switch (cur_peek(c, 0) >> 4) {
	case 4:
		return dec_ipv4(ctx, c);
	case 6:
		return dec_ipv6(ctx, c);
	case 0:
		return dec_mpls_pw(ctx, c);
	case 1:
		return dec_err(ctx, DEC_NOT_IP);
	default:
		return dec_err(ctx, DEC_UNSUPPORTED);
	}
}
