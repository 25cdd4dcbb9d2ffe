/*
 * decode_tunnel.c - GRE (with ERSPAN I/II/III and bridged Ethernet) and
 * VXLAN decapsulation.
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
