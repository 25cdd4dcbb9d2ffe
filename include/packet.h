/*
 * packet.h - one decoded packet: pointers and lengths into the frame.
 *
 * Filled by the decoders, read by the flow table, nDPI and the detectors.
 * Lives on the stack of the packet callback; every pointer in it is
 * borrowed from libpcap and dies when the callback returns, so nothing
 * here is ever stored in a flow.
 */
#ifndef PACKET_H
#define PACKET_H

#include <stdbool.h>
#include <stdint.h>

#define DEC_MAX_VLAN	2	/* 802.1Q + QinQ outer tag */
#define DEC_MAX_IP6_EXT	8	/* IPv6 extension headers walked */
#define DEC_MAX_DEPTH	3	/* nested tunnels (GRE, ERSPAN, VXLAN) */

/* An IPv4 or IPv6 address; IPv4 is stored as ::ffff:a.b.c.d. */
struct ip_addr {
	uint8_t		b[16];
};

struct packet {
	uint64_t	 ts_us;		/* capture time, microseconds */
	uint32_t	 wire_len;	/* frame length on the wire */
	uint16_t	 vlan[DEC_MAX_VLAN]; /* VLAN IDs, outermost first */
	uint8_t		 vlan_count;
	uint8_t		 tunnel_depth;	/* tunnels removed to reach inner IP */
	uint8_t		 ip_version;	/* 4 or 6, 0 when not IP */
	uint8_t		 l4_proto;	/* IPPROTO_TCP, _UDP, _ICMP, _ICMPV6... */
	bool		 fragment;	/* non-first fragment: no L4 header */
	bool		 frag_first;	/* first fragment of several (MF set) */
	uint32_t	 frag_id;	/* IPv4 ID / IPv6 identification */
	bool		 l4_ok;		/* ports/flags below were decoded */
	struct ip_addr	 src;
	struct ip_addr	 dst;
	uint16_t	 sport;		/* host order; ICMP: type, code in dport */
	uint16_t	 dport;
	uint8_t		 tcp_flags;	/* TH_FIN 0x01 ... TH_CWR 0x80 */
	uint32_t	 tcp_seq;
	uint32_t	 tcp_ack;
	uint16_t	 tcp_win;
	const uint8_t	*l3;		/* inner IP header, for nDPI (borrowed) */
	uint32_t	 l3_len;	/* IP bytes captured, clamped to IP length */
	uint32_t	 ip_len;	/* IP total length as the header claims */
	const uint8_t	*payload;	/* L4 payload (borrowed) */
	uint32_t	 payload_len;	/* captured payload bytes */
};

#define TH_FIN	0x01
#define TH_SYN	0x02
#define TH_RST	0x04
#define TH_PUSH	0x08
#define TH_ACK	0x10

static inline bool
ip_addr_is_v4(const struct ip_addr *a)
{
	static const uint8_t prefix[12] = {
		0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };
	int i;

	for (i = 0; i < 12; i++)
		if (a->b[i] != prefix[i])
			return false;
	return true;
}

#endif /* PACKET_H */
