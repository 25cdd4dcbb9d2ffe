/*
 * decode_ip.c - IPv4 and IPv6 headers.
 *
 * Checks version and header length, records addresses and lengths in
 * struct packet, and clamps the cursor to the length the IP header
 * claims, so Ethernet padding or an FCS never becomes payload.  A length
 * that claims more than was captured is a lie only when the frame was not
 * cut by the snaplen; either way decoding goes on with what is there.
 * Fragments are flagged, never reassembled: a non-first fragment is a
 * flow by address pair only.  IPv6 extension headers are walked up to
 * DEC_MAX_IP6_EXT, each with its own length rule.  Then the payload goes
 * to the L4 decoders, or back through an IP or GRE decoder for tunnels.
 * Never allocates, never logs, reads only through cursor.h.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "cursor.h"
#include "decode.h"
#include "decode_int.h"

#define DEC_IPV4_HDR	20
#define DEC_IPV6_HDR	40
#define DEC_IP4_MF	0x2000
#define DEC_IP4_OFFMASK	0x1fff
#define DEC_IP6_MF	0x0001	/* in the fragment header's offset word */

/* IP protocol numbers the IP layer acts on itself. */
#define DEC_P_HOPOPTS	0
#define DEC_P_IPIP	4
#define DEC_P_IPV6	41
#define DEC_P_ROUTING	43
#define DEC_P_FRAGMENT	44
#define DEC_P_GRE	47
#define DEC_P_AH	51
#define DEC_P_NONE	59	/* IPv6 "no next header" */
#define DEC_P_DSTOPTS	60

/*
 * Starts a new (possibly inner) IP header: forget what an outer header
 * left in the L4 fields so the packet describes only the inner one.
 */
static void
dec_ip_reset(struct packet *pkt, uint8_t version)
{
	pkt->ip_version = version;
	pkt->fragment = false;
	pkt->frag_first = false;
	pkt->frag_id = 0;
	pkt->l4_ok = false;
	pkt->sport = 0;
	pkt->dport = 0;
	pkt->tcp_flags = 0;
	pkt->tcp_seq = 0;
	pkt->tcp_ack = 0;
	pkt->tcp_win = 0;
	pkt->payload = NULL;
	pkt->payload_len = 0;
}

/*
 * Lengths common to both versions.  avail is what was captured from the
 * IP header on; claimed is the IP length; c sits after the fixed header
 * (hdr bytes in) and is clamped to the claimed length.
 */
static void
dec_ip_len(struct dec_ctx *ctx, struct cursor *c, size_t avail,
    size_t claimed, size_t hdr)
{
	struct packet *pkt = ctx->pkt;

	pkt->ip_len = (uint32_t)claimed;
	pkt->l3_len = (uint32_t)(claimed < avail ? claimed : avail);
	if (claimed > avail && !ctx->partial)
		dec_count(ctx, ST_DEC_IP_LEN_LIES);
	cur_clamp(c, claimed - hdr);
}

/* What follows an IP header (or the last IPv6 extension header). */
static enum dec_status
dec_ip_next(struct dec_ctx *ctx, struct cursor *c, uint8_t proto)
{
	switch (proto) {
	case DEC_P_IPIP:
		if (!dec_tunnel_enter(ctx))
			return DEC_OK;
		return dec_ipv4(ctx, c);
	case DEC_P_IPV6:
		if (!dec_tunnel_enter(ctx))
			return DEC_OK;
		return dec_ipv6(ctx, c);
	case DEC_P_GRE:
		return dec_gre(ctx, c);
	default:
		return dec_l4(ctx, c, proto);
	}
}

static void
dec_ip_fragment(struct dec_ctx *ctx)
{
	ctx->pkt->fragment = true;
	ctx->pkt->l4_ok = false;
	dec_count(ctx, ST_DEC_FRAGMENT);
}

enum dec_status
dec_ipv4(struct dec_ctx *ctx, struct cursor *c)
{
	struct packet *pkt = ctx->pkt;
	const uint8_t *l3 = cur_ptr(c);
	size_t avail = cur_left(c), hlen, tot;
	uint16_t frag, id;
	uint8_t vihl, proto;

	if (cur_has(c, 1) && (cur_peek(c, 0) >> 4) != 4)
		return dec_err(ctx, DEC_MALFORMED);
	if (!cur_has(c, DEC_IPV4_HDR))
		return dec_err(ctx, DEC_TRUNCATED);
	vihl = cur_u8(c);
	if ((vihl & 0x0f) < 5)
		return dec_err(ctx, DEC_MALFORMED);
	hlen = (size_t)(vihl & 0x0f) * 4;
	cur_skip(c, 1);			/* TOS */
	tot = cur_be16(c);
	id = cur_be16(c);
	frag = cur_be16(c);
	cur_skip(c, 1);			/* TTL */
	proto = cur_u8(c);
	cur_skip(c, 2);			/* checksum */
	if (tot < hlen)
		return dec_err(ctx, DEC_MALFORMED);
	dec_ip_reset(pkt, 4);
	memset(&pkt->src, 0, sizeof(pkt->src));
	memset(&pkt->dst, 0, sizeof(pkt->dst));
	pkt->src.b[10] = pkt->src.b[11] = 0xff;
	pkt->dst.b[10] = pkt->dst.b[11] = 0xff;
	cur_bytes(c, &pkt->src.b[12], 4);
	cur_bytes(c, &pkt->dst.b[12], 4);
	if (!cur_skip(c, hlen - DEC_IPV4_HDR))	/* options */
		return dec_err(ctx, DEC_TRUNCATED);
	pkt->l3 = l3;
	pkt->l4_proto = proto;
	dec_ip_len(ctx, c, avail, tot, hlen);
	pkt->frag_id = id;
	if ((frag & DEC_IP4_OFFMASK) != 0) {
		dec_ip_fragment(ctx);
		return DEC_OK;
	}
	/* A first fragment: what it carries is cut short by design. */
	if (frag & DEC_IP4_MF) {
		ctx->partial = true;
		pkt->frag_first = true;
	}
	return dec_ip_next(ctx, c, proto);
}

static bool
dec_ip6_is_ext(uint8_t nh)
{
	return nh == DEC_P_HOPOPTS || nh == DEC_P_ROUTING ||
	    nh == DEC_P_FRAGMENT || nh == DEC_P_DSTOPTS || nh == DEC_P_AH;
}

/*
 * Skips one IPv6 extension header of the given type and returns the
 * type of the next.  Hop-by-hop, routing and destination options count
 * their length in 8-byte units past the first 8, AH in 4-byte units past
 * the first 8, and the fragment header is always 8 bytes; its offset
 * offset and M flag come back in *offlg.  A short header sets the cursor
 * error.
 */
static uint8_t
dec_ip6_ext(struct cursor *c, uint8_t type, uint16_t *offlg, uint32_t *id)
{
	uint8_t nh, len;

	nh = cur_u8(c);
	len = cur_u8(c);
	switch (type) {
	case DEC_P_FRAGMENT:
		*offlg = cur_be16(c);
		*id = cur_be32(c);
		break;
	case DEC_P_AH:
		cur_skip(c, ((size_t)len + 2) * 4 - 2);
		break;
	default:
		cur_skip(c, ((size_t)len + 1) * 8 - 2);
		break;
	}
	return nh;
}

/*
 * Walks the extension headers after the fixed IPv6 header.  A cut or
 * over-long chain still leaves a flow by address (DEC_OK, l4_ok false);
 * ESP and "no next header" simply end at L4 with nothing to parse.
 */
static enum dec_status
dec_ip6_walk(struct dec_ctx *ctx, struct cursor *c, uint8_t nh)
{
	struct packet *pkt = ctx->pkt;
	uint16_t offlg;
	unsigned int n;

	for (n = 0; dec_ip6_is_ext(nh); n++) {
		pkt->l4_proto = nh;
		if (n == DEC_MAX_IP6_EXT) {
			dec_count(ctx, ST_DEC_MAX_IP6_EXT);
			return DEC_OK;
		}
		offlg = 0;
		nh = dec_ip6_ext(c, nh, &offlg, &pkt->frag_id);
		if (!cur_ok(c)) {
			dec_count(ctx, ST_DEC_TRUNCATED);
			return DEC_OK;
		}
		if ((offlg & DEC_IP6_MF) && (offlg >> 3) == 0) {
			ctx->partial = true;
			pkt->frag_first = true;
		}
		if ((offlg >> 3) != 0) {
			pkt->l4_proto = nh;
			dec_ip_fragment(ctx);
			return DEC_OK;
		}
	}
	pkt->l4_proto = nh;
	return dec_ip_next(ctx, c, nh);
}

enum dec_status
dec_ipv6(struct dec_ctx *ctx, struct cursor *c)
{
	struct packet *pkt = ctx->pkt;
	const uint8_t *l3 = cur_ptr(c);
	size_t avail = cur_left(c), plen;
	uint8_t nh;

	if (cur_has(c, 1) && (cur_peek(c, 0) >> 4) != 6)
		return dec_err(ctx, DEC_MALFORMED);
	if (!cur_has(c, DEC_IPV6_HDR))
		return dec_err(ctx, DEC_TRUNCATED);
	cur_skip(c, 4);			/* version, class, flow label */
	plen = cur_be16(c);
	nh = cur_u8(c);
	cur_skip(c, 1);			/* hop limit */
	/* Zero with a next header means a jumbogram (RFC 2675). */
	if (plen == 0 && nh != DEC_P_NONE)
		return dec_err(ctx, DEC_UNSUPPORTED);
	dec_ip_reset(pkt, 6);
	cur_bytes(c, pkt->src.b, sizeof(pkt->src.b));
	cur_bytes(c, pkt->dst.b, sizeof(pkt->dst.b));
	pkt->l3 = l3;
	dec_ip_len(ctx, c, avail, DEC_IPV6_HDR + plen, DEC_IPV6_HDR);
	return dec_ip6_walk(ctx, c, nh);
}

enum dec_status
dec_ip_raw(struct dec_ctx *ctx, struct cursor *c)
{
	if (!cur_has(c, 1))
		return dec_err(ctx, DEC_TRUNCATED);
	switch (cur_peek(c, 0) >> 4) {
	case 4:
		return dec_ipv4(ctx, c);
	case 6:
		return dec_ipv6(ctx, c);
	default:
		return dec_err(ctx, DEC_MALFORMED);
	}
}
