/*
 * decode_tunnel.c - GRE (with ERSPAN I/II/III and bridged Ethernet),
 * VXLAN, Geneve and GTP-U decapsulation.
 *
 * Mirrored traffic often reaches a sensor inside these, so the inner
 * packet is decoded and becomes what struct packet describes; outer VLAN
 * tags stay.  Each removed tunnel goes through dec_tunnel_enter(), which
 * stops at DEC_MAX_DEPTH: that bound is what keeps the link -> IP -> GRE
 * -> link recursion finite on hostile input.  When a tunnel cannot be
 * removed (too deep, cut short, a GRE variant we do not decode) the outer
 * packet is still a flow: DEC_OK, counted once.  Once the inner packet is
 * being decoded its status is the frame's.  No allocation, no logging.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cursor.h"
#include "decode.h"
#include "decode_int.h"

#define DEC_GRE_C	0x8000	/* checksum present */
#define DEC_GRE_R	0x4000	/* routing present (RFC 1701) */
#define DEC_GRE_K	0x2000	/* key present */
#define DEC_GRE_S	0x1000	/* sequence number present */
#define DEC_GRE_VER	0x0007

#define DEC_ERSPAN2_HDR	8
#define DEC_ERSPAN3_HDR	12
#define DEC_ERSPAN3_SUB	8	/* platform-specific subheader */
#define DEC_ERSPAN3_O	0x01	/* in the header's last byte */

#define DEC_VXLAN_HDR	8
#define DEC_VXLAN_I	0x08	/* VNI valid */

#define DEC_GENEVE_HDR	8
#define DEC_GENEVE_VER	0xc0	/* first byte: version (0) ... */
#define DEC_GENEVE_OPT	0x3f	/* ... and option length, 4-byte words */

#define DEC_GTP_HDR	8
#define DEC_GTP_OPT	4	/* sequence, N-PDU number, next type */
#define DEC_GTP_VER_PT	0xf0	/* first byte: version and PT bits ... */
#define DEC_GTP_V1	0x30	/* ... version 1, PT 1 (GTP, not GTP') */
#define DEC_GTP_E	0x04	/* extension header follows */
#define DEC_GTP_S	0x02	/* sequence number present */
#define DEC_GTP_PN	0x01	/* N-PDU number present */
#define DEC_GTP_TPDU	0xff	/* message type: user data */

bool
dec_tunnel_enter(struct dec_ctx *ctx)
{
	if (ctx->pkt->tunnel_depth >= DEC_MAX_DEPTH) {
		dec_count(ctx, ST_DEC_MAX_DEPTH);
		return false;
	}
	ctx->pkt->tunnel_depth++;
	return true;
}

/*
 * ERSPAN type III: 12 bytes, then 8 more when the O bit says a
 * platform-specific subheader follows, then the mirrored Ethernet frame.
 */
static enum dec_status
dec_erspan3(struct dec_ctx *ctx, struct cursor *c)
{
	uint8_t last;

	cur_skip(c, DEC_ERSPAN3_HDR - 1);
	last = cur_u8(c);
	if (last & DEC_ERSPAN3_O)
		cur_skip(c, DEC_ERSPAN3_SUB);
	if (!cur_ok(c))
		return dec_err(ctx, DEC_TRUNCATED);
	return dec_ether(ctx, c);
}

/* The GRE payload once the header is gone; proto is its ethertype. */
static enum dec_status
dec_gre_payload(struct dec_ctx *ctx, struct cursor *c, uint16_t proto,
    uint16_t flags)
{
	switch (proto) {
	case DEC_ETH_IPV4:
		return dec_ipv4(ctx, c);
	case DEC_ETH_IPV6:
		return dec_ipv6(ctx, c);
	case DEC_ETH_TEB:
		return dec_ether(ctx, c);
	case DEC_ETH_ERSPAN2:
		dec_count(ctx, ST_DEC_ERSPAN);
		/* Type II: sequence number and an 8-byte header; I: neither. */
		if ((flags & DEC_GRE_S) && !cur_skip(c, DEC_ERSPAN2_HDR))
			return dec_err(ctx, DEC_TRUNCATED);
		return dec_ether(ctx, c);
	case DEC_ETH_ERSPAN3:
		dec_count(ctx, ST_DEC_ERSPAN);
		return dec_erspan3(ctx, c);
	default:
		return DEC_OK;	/* not reached: dec_gre() checked proto */
	}
}

static bool
dec_gre_known(uint16_t proto)
{
	return proto == DEC_ETH_IPV4 || proto == DEC_ETH_IPV6 ||
	    proto == DEC_ETH_TEB || proto == DEC_ETH_ERSPAN2 ||
	    proto == DEC_ETH_ERSPAN3;
}

/*
 * GRE version 0 (RFC 2784/2890): flags and version, protocol, then 4
 * bytes each for checksum(+reserved), key and sequence when flagged.
 * The outer IP stays the flow (l4_ok false) when the header is cut, uses
 * RFC 1701 routing, is version 1 (PPTP) or carries another protocol.
 */
enum dec_status
dec_gre(struct dec_ctx *ctx, struct cursor *c)
{
	uint16_t flags, proto;
	size_t opt = 0;

	flags = cur_be16(c);
	proto = cur_be16(c);
	if (!cur_ok(c)) {
		dec_count(ctx, ST_DEC_TRUNCATED);
		return DEC_OK;
	}
	if ((flags & DEC_GRE_VER) != 0 || (flags & DEC_GRE_R) != 0 ||
	    !dec_gre_known(proto)) {
		dec_count(ctx, ST_DEC_UNSUPPORTED);
		return DEC_OK;
	}
	if (flags & DEC_GRE_C)
		opt += 4;
	if (flags & DEC_GRE_K)
		opt += 4;
	if (flags & DEC_GRE_S)
		opt += 4;
	if (!cur_skip(c, opt)) {
		dec_count(ctx, ST_DEC_TRUNCATED);
		return DEC_OK;
	}
	if (!dec_tunnel_enter(ctx))
		return DEC_OK;
	dec_count(ctx, ST_DEC_GRE);
	return dec_gre_payload(ctx, c, proto, flags);
}

bool
dec_vxlan_match(const struct cursor *c)
{
	return cur_has(c, DEC_VXLAN_HDR) &&
	    (cur_peek(c, 0) & DEC_VXLAN_I) != 0;
}

/*
 * VXLAN (RFC 7348): flags, 3 reserved bytes, 24-bit VNI, 1 reserved
 * byte, then Ethernet.  The caller checked dec_vxlan_match().
 */
enum dec_status
dec_vxlan(struct dec_ctx *ctx, struct cursor *c)
{
	if (!dec_tunnel_enter(ctx))
		return DEC_OK;
	if (!cur_skip(c, DEC_VXLAN_HDR))
		return dec_err(ctx, DEC_TRUNCATED);
	dec_count(ctx, ST_DEC_VXLAN);
	return dec_ether(ctx, c);
}

bool
dec_geneve_match(const struct cursor *c)
{
	return cur_has(c, DEC_GENEVE_HDR) &&
	    (cur_peek(c, 0) & DEC_GENEVE_VER) == 0;
}

/*
 * Geneve (RFC 8926): version and option length, O and C flags, protocol
 * type, 24-bit VNI, reserved, the options, then a frame of that protocol
 * type: Ethernet, IPv4 or IPv6.  The options are skipped by their total
 * length (at most 252 bytes), not walked.  Options cut short or another
 * protocol leave the outer UDP the flow, counted once.
 */
enum dec_status
dec_geneve(struct dec_ctx *ctx, struct cursor *c)
{
	uint16_t proto;
	size_t opt;

	opt = (size_t)(cur_u8(c) & DEC_GENEVE_OPT) * 4;
	cur_skip(c, 1);			/* O, C, reserved */
	proto = cur_be16(c);
	cur_skip(c, 4);			/* VNI, reserved */
	if (!cur_skip(c, opt)) {
		dec_count(ctx, ST_DEC_TRUNCATED);
		return DEC_OK;
	}
	if (proto != DEC_ETH_TEB && proto != DEC_ETH_IPV4 &&
	    proto != DEC_ETH_IPV6) {
		dec_count(ctx, ST_DEC_UNSUPPORTED);
		return DEC_OK;
	}
	if (!dec_tunnel_enter(ctx))
		return DEC_OK;
	dec_count(ctx, ST_DEC_GENEVE);
	switch (proto) {
	case DEC_ETH_IPV4:
		return dec_ipv4(ctx, c);
	case DEC_ETH_IPV6:
		return dec_ipv6(ctx, c);
	default:
		return dec_ether(ctx, c);
	}
}

bool
dec_gtpu_match(const struct cursor *c)
{
	return cur_has(c, DEC_GTP_HDR) &&
	    (cur_peek(c, 0) & DEC_GTP_VER_PT) == DEC_GTP_V1 &&
	    cur_peek(c, 1) == DEC_GTP_TPDU;
}

/*
 * GTP-U extension headers, from the type in the optional header on:
 * each is a length in 4-byte words (never 0), content, and the next
 * type in its last byte; type 0 ends the chain.  At most
 * DEC_MAX_GTP_EXT are walked.  False (counted once) when the chain is
 * cut, malformed or too long.
 */
static bool
dec_gtpu_ext(struct dec_ctx *ctx, struct cursor *c, uint8_t next)
{
	unsigned int n;
	size_t len;

	for (n = 0; next != 0; n++) {
		if (n == DEC_MAX_GTP_EXT) {
			dec_count(ctx, ST_DEC_MAX_GTP_EXT);
			return false;
		}
		len = cur_u8(c);
		if (cur_ok(c) && len == 0) {
			dec_count(ctx, ST_DEC_MALFORMED);
			return false;
		}
		if (len != 0)
			cur_skip(c, len * 4 - 2);
		next = cur_u8(c);
		if (!cur_ok(c)) {
			dec_count(ctx, ST_DEC_TRUNCATED);
			return false;
		}
	}
	return true;
}

/*
 * GTP-U version 1 (3GPP TS 29.281) T-PDU: flags, type, length, TEID;
 * when any of E, S or PN is set, 4 more bytes whose last is the first
 * extension type (used only with E); the extension headers; then the
 * subscriber's IP packet.  The caller checked dec_gtpu_match().  A
 * header that cannot be removed leaves the outer UDP the flow.
 */
enum dec_status
dec_gtpu(struct dec_ctx *ctx, struct cursor *c)
{
	uint8_t flags, next = 0;

	flags = cur_u8(c);
	cur_skip(c, DEC_GTP_HDR - 1);	/* type, length, TEID */
	if (flags & (DEC_GTP_E | DEC_GTP_S | DEC_GTP_PN)) {
		cur_skip(c, DEC_GTP_OPT - 1);
		next = cur_u8(c);
		if (!cur_ok(c)) {
			dec_count(ctx, ST_DEC_TRUNCATED);
			return DEC_OK;
		}
	}
	if ((flags & DEC_GTP_E) == 0)
		next = 0;
	if (!dec_gtpu_ext(ctx, c, next))
		return DEC_OK;
	if (!dec_tunnel_enter(ctx))
		return DEC_OK;
	dec_count(ctx, ST_DEC_GTP);
	return dec_ip_raw(ctx, c);
}
