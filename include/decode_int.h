/*
 * decode_int.h - what the four decoder files share; not a public API.
 *
 * dec_frame() (decode_link.c) builds a struct dec_ctx on its stack and
 * hands it down with a cursor: link -> IP -> L4, and from L4 back into a
 * link or IP decoder when a tunnel is removed.  That recursion is bounded
 * by dec_tunnel_enter(), which allows at most DEC_MAX_DEPTH tunnels.
 *
 * Counting rule: the function that finds a problem bumps its ST_DEC_*
 * counter once (dec_err(), dec_count()) and returns the status; callers
 * pass a failing status upward untouched, so each problem counts once.
 */
#ifndef DECODE_INT_H
#define DECODE_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "cursor.h"
#include "decode.h"
#include "packet.h"
#include "stats.h"

#define DEC_ETH_IPV4		0x0800
#define DEC_ETH_IPV6		0x86dd
#define DEC_ETH_VLAN		0x8100	/* 802.1Q */
#define DEC_ETH_QINQ		0x88a8	/* 802.1ad */
#define DEC_ETH_QINQ_OLD	0x9100	/* pre-standard QinQ */
#define DEC_ETH_TEB		0x6558	/* GRE transparent Ethernet bridging */
#define DEC_ETH_ERSPAN2		0x88be	/* ERSPAN type I and II */
#define DEC_ETH_ERSPAN3		0x22eb	/* ERSPAN type III */
#define DEC_ETH_MPLS_UC		0x8847	/* MPLS unicast */
#define DEC_ETH_MPLS_MC		0x8848	/* MPLS multicast */
#define DEC_ETH_PPPOE_DISC	0x8863	/* PPPoE discovery: never IP */
#define DEC_ETH_PPPOE_SESS	0x8864	/* PPPoE session: PPP inside */

#define DEC_MAX_MPLS		8	/* MPLS labels popped per stack */
#define DEC_MAX_GTP_EXT		4	/* GTP-U extension headers walked */

#define DEC_VXLAN_PORT		4789
#define DEC_GENEVE_PORT		6081
#define DEC_GTPU_PORT		2152

/* Per-frame decoder state; lives on dec_frame()'s stack. */
struct dec_ctx {
	struct packet	*pkt;		/* filled as headers are read */
	struct stats	*st;		/* ST_DEC_* counters */
	bool		 partial;	/* snaplen cut, or inside a first
					   fragment: short lengths expected */
	bool		 len_lied;	/* ST_DEC_IP_LEN_LIES counted */
};

/*
 * Once an IP length was counted as a lie, a header cut short further in
 * is that same problem (the frame is shorter than it says), so it is not
 * counted again as ST_DEC_TRUNCATED.
 */
static inline void
dec_count(struct dec_ctx *ctx, enum stat_id id)
{
	if (id == ST_DEC_TRUNCATED && ctx->len_lied)
		return;
	if (id == ST_DEC_IP_LEN_LIES) {
		if (ctx->len_lied)
			return;
		ctx->len_lied = true;
	}
	stats_inc(ctx->st, id);
}

/* Counts the counter that goes with a failing status and returns it. */
static inline enum dec_status
dec_err(struct dec_ctx *ctx, enum dec_status s)
{
	switch (s) {
	case DEC_TRUNCATED:
		dec_count(ctx, ST_DEC_TRUNCATED);
		break;
	case DEC_MALFORMED:
		dec_count(ctx, ST_DEC_MALFORMED);
		break;
	case DEC_UNSUPPORTED:
		dec_count(ctx, ST_DEC_UNSUPPORTED);
		break;
	case DEC_NOT_IP:
		dec_count(ctx, ST_DEC_NOT_IP);
		break;
	case DEC_OK:
		break;
	}
	return s;
}

/* decode_link.c: an Ethernet header (also the inner frame of a tunnel). */
enum dec_status	dec_ether(struct dec_ctx *, struct cursor *);
/*
 * decode_link.c: an MPLS label stack and what its bottom label carries
 * (IPv4, IPv6, or Ethernet after a pseudowire control word).
 */
enum dec_status	dec_mpls(struct dec_ctx *, struct cursor *);

/* decode_ip.c: IP headers; each clamps the cursor to the IP length. */
enum dec_status	dec_ipv4(struct dec_ctx *, struct cursor *);
enum dec_status	dec_ipv6(struct dec_ctx *, struct cursor *);
/* Raw IP: picks dec_ipv4 or dec_ipv6 by the version nibble. */
enum dec_status	dec_ip_raw(struct dec_ctx *, struct cursor *);

/* decode_tunnel.c */
/* True (depth bumped) when one more tunnel may be removed; else counted. */
bool		dec_tunnel_enter(struct dec_ctx *);
/* GRE after an IP header (proto 47). */
enum dec_status	dec_gre(struct dec_ctx *, struct cursor *);
/* True when the UDP payload at c looks like VXLAN (I flag set). */
bool		dec_vxlan_match(const struct cursor *);
/* VXLAN in a UDP payload; the outer UDP stays in pkt when not removed. */
enum dec_status	dec_vxlan(struct dec_ctx *, struct cursor *);
/* True when the UDP payload at c looks like Geneve (version 0). */
bool		dec_geneve_match(const struct cursor *);
/* Geneve in a UDP payload; the outer UDP stays when not removed. */
enum dec_status	dec_geneve(struct dec_ctx *, struct cursor *);
/* True when the UDP payload at c is a GTP-U version 1 T-PDU. */
bool		dec_gtpu_match(const struct cursor *);
/* GTP-U T-PDU in a UDP payload; the outer UDP stays when not removed. */
enum dec_status	dec_gtpu(struct dec_ctx *, struct cursor *);

/* decode_l4.c: TCP, UDP, ICMP, ICMPv6 or any other protocol after IP. */
enum dec_status	dec_l4(struct dec_ctx *, struct cursor *, uint8_t proto);

#endif /* DECODE_INT_H */
