/*
 * decode_l4.c - TCP, UDP, ICMP and ICMPv6 after the IP header.
 *
 * Fills ports (ICMP: type and code), TCP flags, sequence numbers and
 * window, and points pkt->payload at the captured L4 payload, which the
 * IP decoder has already clamped to the IP length.  A cut L4 header is
 * normal with a small snaplen: the flow still counts by address, so it
 * returns DEC_OK with l4_ok false and bumps ST_DEC_TRUNCATED.  A UDP
 * datagram to the VXLAN port with the I flag, to the Geneve port with
 * version 0, or to the GTP-U port that is a version 1 T-PDU is handed to
 * the tunnel decoder; anything else on those ports is plain UDP.  Other
 * protocols are fine and carry no ports.  Reads only through cursor.h;
 * no allocation, no logging.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cursor.h"
#include "decode.h"
#include "decode_int.h"

#define DEC_P_ICMP	1
#define DEC_P_TCP	6
#define DEC_P_UDP	17
#define DEC_P_ICMPV6	58

#define DEC_TCP_HDR	20
#define DEC_UDP_HDR	8
#define DEC_ICMP_HDR	8	/* type, code, checksum, 4 type-specific */

static void
dec_l4_payload(struct packet *pkt, const struct cursor *c)
{
	pkt->payload = cur_ptr(c);
	pkt->payload_len = (uint32_t)cur_left(c);
}

static enum dec_status
dec_l4_cut(struct dec_ctx *ctx)
{
	ctx->pkt->l4_ok = false;
	dec_count(ctx, ST_DEC_TRUNCATED);
	return DEC_OK;
}

/*
 * TCP: once the fixed 20 bytes are there, ports and flags are kept even
 * if the options were cut by the snaplen (payload empty, counted).
 */
static enum dec_status
dec_tcp(struct dec_ctx *ctx, struct cursor *c)
{
	struct packet *pkt = ctx->pkt;
	size_t hlen;

	if (!cur_has(c, DEC_TCP_HDR))
		return dec_l4_cut(ctx);
	pkt->sport = cur_be16(c);
	pkt->dport = cur_be16(c);
	pkt->tcp_seq = cur_be32(c);
	pkt->tcp_ack = cur_be32(c);
	hlen = (size_t)(cur_u8(c) >> 4) * 4;
	pkt->tcp_flags = cur_u8(c);
	pkt->tcp_win = cur_be16(c);
	cur_skip(c, 4);			/* checksum, urgent pointer */
	if (hlen < DEC_TCP_HDR)
		return dec_err(ctx, DEC_MALFORMED);
	pkt->l4_ok = true;
	if (!cur_skip(c, hlen - DEC_TCP_HDR)) {
		dec_count(ctx, ST_DEC_TRUNCATED);
		return DEC_OK;
	}
	dec_l4_payload(pkt, c);
	return DEC_OK;
}

/* UDP: the payload is min(length - 8, what was captured). */
static enum dec_status
dec_udp(struct dec_ctx *ctx, struct cursor *c)
{
	struct packet *pkt = ctx->pkt;
	struct cursor body;
	uint16_t ulen;

	if (!cur_has(c, DEC_UDP_HDR))
		return dec_l4_cut(ctx);
	pkt->sport = cur_be16(c);
	pkt->dport = cur_be16(c);
	ulen = cur_be16(c);
	cur_skip(c, 2);			/* checksum */
	if (ulen < DEC_UDP_HDR)
		return dec_err(ctx, DEC_MALFORMED);
	pkt->l4_ok = true;
	body = cur_sub(c, ulen - DEC_UDP_HDR);
	dec_l4_payload(pkt, &body);
	if (pkt->dport == DEC_VXLAN_PORT && dec_vxlan_match(&body))
		return dec_vxlan(ctx, &body);
	if (pkt->dport == DEC_GENEVE_PORT && dec_geneve_match(&body))
		return dec_geneve(ctx, &body);
	if (pkt->dport == DEC_GTPU_PORT && dec_gtpu_match(&body))
		return dec_gtpu(ctx, &body);
	return DEC_OK;
}

/* ICMP and ICMPv6: type in sport, code in dport, like flow exporters. */
static enum dec_status
dec_icmp(struct dec_ctx *ctx, struct cursor *c)
{
	struct packet *pkt = ctx->pkt;

	if (!cur_has(c, DEC_ICMP_HDR))
		return dec_l4_cut(ctx);
	pkt->sport = cur_u8(c);
	pkt->dport = cur_u8(c);
	cur_skip(c, DEC_ICMP_HDR - 2);
	pkt->l4_ok = true;
	dec_l4_payload(pkt, c);
	return DEC_OK;
}

enum dec_status
dec_l4(struct dec_ctx *ctx, struct cursor *c, uint8_t proto)
{
	ctx->pkt->l4_proto = proto;
	switch (proto) {
	case DEC_P_TCP:
		return dec_tcp(ctx, c);
	case DEC_P_UDP:
		return dec_udp(ctx, c);
	case DEC_P_ICMP:
	case DEC_P_ICMPV6:
		return dec_icmp(ctx, c);
	default:
		return DEC_OK;	/* ESP, SCTP, IPv6 no-next-header... */
	}
}
