/*
 * test_decode.c - unit tests for dec_frame() (decode_*.c).
 *
 * Hand-written frames for every link type, IPv4 and IPv6 corner cases,
 * each tunnel and shim (GRE, ERSPAN, VXLAN, Geneve, GTP-U, MPLS, PPPoE)
 * and the L4 protocols, plus a loop that decodes every prefix of every
 * good frame and limit case from an exact-size heap copy (so ASan sees
 * any overread): it must never crash, and a failed decode must bump
 * exactly one ST_DEC_* counter.  Checksums in the frames are zero: the decoders
 * do not verify them.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <setjmp.h>
#include <cmocka.h>

#include "decode.h"
#include "decode_int.h"	/* DEC_MAX_MPLS, DEC_MAX_GTP_EXT */
#include "packet.h"
#include "stats.h"

#define DLT_NULL	0
#define DLT_EN10MB	1
#define DLT_PPP		9
#define DLT_RAW		12
#define DLT_RAW_OBSD	14
#define DLT_PPP_SERIAL	50
#define LINKTYPE_RAW	101
#define DLT_C_HDLC	104
#define DLT_LOOP	108
#define DLT_LINUX_SLL	113
#define DLT_IPV4	228
#define DLT_IPV6	229
#define DLT_LINUX_SLL2	276

/* Ethernet addresses: 00:11:22:33:44:55 <- 66:77:88:99:aa:bb. */
#define ETH_MACS \
	0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb

/* IPv4 10.0.0.1:5353 -> 10.0.0.2:53 UDP, total 30, payload "hi". */
#define IP4_UDP \
	0x45, 0x00, 0x00, 0x1e, 0x00, 0x01, 0x00, 0x00, \
	0x40, 0x11, 0x00, 0x00, 10, 0, 0, 1, 10, 0, 0, 2, \
	0x14, 0xe9, 0x00, 0x35, 0x00, 0x0a, 0x00, 0x00, 'h', 'i'

/* IPv4 172.16.0.1:1234 -> 172.16.0.2:443 TCP SYN, total 40, no payload. */
#define IP4_TCP_SYN \
	0x45, 0x00, 0x00, 0x28, 0x00, 0x02, 0x00, 0x00, \
	0x40, 0x06, 0x00, 0x00, 172, 16, 0, 1, 172, 16, 0, 2, \
	0x04, 0xd2, 0x01, 0xbb, 0x00, 0x00, 0x00, 0x64, \
	0x00, 0x00, 0x00, 0x00, 0x50, 0x02, 0x72, 0x10, \
	0x00, 0x00, 0x00, 0x00

/* IPv6 source 2001:db8::1, destination 2001:db8::2. */
#define IP6_ADDRS \
	0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, \
	0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2

/* IPv6 2001:db8::1:40000 -> 2001:db8::2:443 TCP SYN, no payload. */
#define IP6_TCP_SYN \
	0x60, 0x00, 0x00, 0x00, 0x00, 0x14, 0x06, 0x40, IP6_ADDRS, \
	0x9c, 0x40, 0x01, 0xbb, 0x00, 0x00, 0x00, 0x07, \
	0x00, 0x00, 0x00, 0x00, 0x50, 0x02, 0x72, 0x10, \
	0x00, 0x00, 0x00, 0x00

/*
 * Ethernet, IPv4 10.0.0.1 -> 192.168.1.2 (DF), TCP 50000 -> 22 [PSH,ACK]
 * seq 1 ack 2 win 65535, payload "SSH-".
 */
static const uint8_t eth_ip4_tcp[] = {
	ETH_MACS, 0x08, 0x00,
	0x45, 0x00, 0x00, 0x2c, 0x00, 0x01, 0x40, 0x00,
	0x40, 0x06, 0x00, 0x00, 10, 0, 0, 1, 192, 168, 1, 2,
	0xc3, 0x50, 0x00, 0x16, 0x00, 0x00, 0x00, 0x01,
	0x00, 0x00, 0x00, 0x02, 0x50, 0x18, 0xff, 0xff,
	0x00, 0x00, 0x00, 0x00,
	'S', 'S', 'H', '-',
};

/* As eth_ip4_tcp but IHL 6 with options NOP NOP NOP EOL, total 48. */
static const uint8_t eth_ip4_opts[] = {
	ETH_MACS, 0x08, 0x00,
	0x46, 0x00, 0x00, 0x30, 0x00, 0x01, 0x40, 0x00,
	0x40, 0x06, 0x00, 0x00, 10, 0, 0, 1, 192, 168, 1, 2,
	0x01, 0x01, 0x01, 0x00,
	0xc3, 0x50, 0x00, 0x16, 0x00, 0x00, 0x00, 0x01,
	0x00, 0x00, 0x00, 0x02, 0x50, 0x18, 0xff, 0xff,
	0x00, 0x00, 0x00, 0x00,
	'S', 'S', 'H', '-',
};

/* Ethernet, IP4_UDP (30 bytes), then 16 zero bytes of padding to 60. */
static const uint8_t eth_ip4_padded[] = {
	ETH_MACS, 0x08, 0x00, IP4_UDP,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
};

/* Ethernet, 802.1ad VLAN 100, 802.1Q VLAN 200 (PCP 1), IP4_UDP. */
static const uint8_t eth_qinq[] = {
	ETH_MACS, 0x88, 0xa8, 0x00, 0x64, 0x81, 0x00, 0x20, 0xc8,
	0x08, 0x00, IP4_UDP,
};

/* Ethernet, three tags (88a8 VLAN 100, 8100 VLAN 200, 8100 VLAN 300). */
static const uint8_t eth_3vlan[] = {
	ETH_MACS, 0x88, 0xa8, 0x00, 0x64, 0x81, 0x00, 0x00, 0xc8,
	0x81, 0x00, 0x01, 0x2c, 0x08, 0x00, IP4_UDP,
};

/* Ethernet, old QinQ 9100 VLAN 7, then IPv4 directly. */
static const uint8_t eth_9100[] = {
	ETH_MACS, 0x91, 0x00, 0x00, 0x07, 0x08, 0x00, IP4_UDP,
};

/* Ethernet ARP who-has 10.0.0.2 tell 10.0.0.1. */
static const uint8_t eth_arp[] = {
	ETH_MACS, 0x08, 0x06,
	0x00, 0x01, 0x08, 0x00, 0x06, 0x04, 0x00, 0x01,
	0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 10, 0, 0, 1,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 10, 0, 0, 2,
};

/* Ethernet 802.3 length 0x0026 (LLC/STP follows). */
static const uint8_t eth_8023[] = {
	ETH_MACS, 0x00, 0x26, 0x42, 0x42, 0x03, 0x00, 0x00,
};

/*
 * Linux SLL: to-us, ARPHRD_ETHER, address length 6, address
 * 00:11:22:33:44:55 + 2 pad, protocol IPv4, then IP4_UDP.
 */
static const uint8_t sll_ip4[] = {
	0x00, 0x00, 0x00, 0x01, 0x00, 0x06,
	0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x00, 0x00,
	0x08, 0x00, IP4_UDP,
};

/*
 * Linux SLL2: protocol IPv6, reserved, ifindex 2, ARPHRD_ETHER, to-us,
 * address length 6, address + 2 pad, then IP6_TCP_SYN.
 */
static const uint8_t sll2_ip6[] = {
	0x86, 0xdd, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02,
	0x00, 0x01, 0x00, 0x06,
	0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x00, 0x00,
	IP6_TCP_SYN,
};

/* Raw IPv4: IP4_UDP with no link header. */
static const uint8_t raw_ip4[] = { IP4_UDP };

/* Raw IPv6: IP6_TCP_SYN with no link header. */
static const uint8_t raw_ip6[] = { IP6_TCP_SYN };

/* BSD null, AF_INET little-endian (02 00 00 00), IP4_UDP. */
static const uint8_t null_le_ip4[] = { 0x02, 0x00, 0x00, 0x00, IP4_UDP };

/* BSD loop, AF_INET big-endian (00 00 00 02), IP4_UDP. */
static const uint8_t null_be_ip4[] = { 0x00, 0x00, 0x00, 0x02, IP4_UDP };

/* BSD null, AF_INET6 darwin (30) little-endian, IP6_TCP_SYN. */
static const uint8_t null_le_ip6[] = { 0x1e, 0x00, 0x00, 0x00, IP6_TCP_SYN };

/* BSD loop, AF_INET6 NetBSD/OpenBSD (24) big-endian, IP6_TCP_SYN. */
static const uint8_t null_be_ip6[] = { 0x00, 0x00, 0x00, 0x18, IP6_TCP_SYN };

/* BSD null, family 7 (not IP), some bytes. */
static const uint8_t null_other[] = { 0x07, 0x00, 0x00, 0x00, 0x01, 0x02 };

/*
 * Ethernet, IPv6 payload 28: hop-by-hop (next dest-opts, PadN 4), dest
 * options (next UDP, PadN 4), UDP 4660 -> 53 length 12, payload "abcd".
 */
static const uint8_t eth_ip6_ext_udp[] = {
	ETH_MACS, 0x86, 0xdd,
	0x60, 0x00, 0x00, 0x00, 0x00, 0x1c, 0x00, 0x40, IP6_ADDRS,
	0x3c, 0x00, 0x01, 0x04, 0x00, 0x00, 0x00, 0x00,
	0x11, 0x00, 0x01, 0x04, 0x00, 0x00, 0x00, 0x00,
	0x12, 0x34, 0x00, 0x35, 0x00, 0x0c, 0x00, 0x00,
	'a', 'b', 'c', 'd',
};

/*
 * Raw IPv6 payload 44: AH (next TCP, length 4 -> 24 bytes, SPI 0x1000,
 * seq 1, 12-byte ICV), TCP 40000 -> 443 SYN.
 */
static const uint8_t raw_ip6_ah_tcp[] = {
	0x60, 0x00, 0x00, 0x00, 0x00, 0x2c, 0x33, 0x40, IP6_ADDRS,
	0x06, 0x04, 0x00, 0x00, 0x00, 0x00, 0x10, 0x00,
	0x00, 0x00, 0x00, 0x01, 0xaa, 0xaa, 0xaa, 0xaa,
	0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa,
	0x9c, 0x40, 0x01, 0xbb, 0x00, 0x00, 0x00, 0x07,
	0x00, 0x00, 0x00, 0x00, 0x50, 0x02, 0x72, 0x10,
	0x00, 0x00, 0x00, 0x00,
};

/*
 * Raw IPv6 payload 16: fragment header (next UDP, offset 21, no M,
 * id 0x1234), then 8 bytes from the middle of the datagram.
 */
static const uint8_t raw_ip6_frag[] = {
	0x60, 0x00, 0x00, 0x00, 0x00, 0x10, 0x2c, 0x40, IP6_ADDRS,
	0x11, 0x00, 0x00, 0xa8, 0x00, 0x00, 0x12, 0x34,
	0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08,
};

/*
 * Raw IPv6 payload 16: fragment header (next UDP, offset 0, M set),
 * UDP 4660 -> 53 whose length (16) claims more than this fragment has.
 */
static const uint8_t raw_ip6_frag1[] = {
	0x60, 0x00, 0x00, 0x00, 0x00, 0x10, 0x2c, 0x40, IP6_ADDRS,
	0x11, 0x00, 0x00, 0x01, 0x00, 0x00, 0x12, 0x34,
	0x12, 0x34, 0x00, 0x35, 0x00, 0x10, 0x00, 0x00,
};

/* Raw IPv6 payload 8: ESP, SPI 0x100, sequence 1. */
static const uint8_t raw_ip6_esp[] = {
	0x60, 0x00, 0x00, 0x00, 0x00, 0x08, 0x32, 0x40, IP6_ADDRS,
	0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x01,
};

/* Raw IPv6 payload 0 with next header TCP: a jumbogram. */
static const uint8_t raw_ip6_jumbo[] = {
	0x60, 0x00, 0x00, 0x00, 0x00, 0x00, 0x06, 0x40, IP6_ADDRS,
};

/*
 * Raw IPv4 10.0.0.1 -> 10.0.0.2 UDP, total 28, fragment offset 185
 * (0x00b9, a non-first fragment), 8 bytes of data.
 */
static const uint8_t raw_ip4_frag[] = {
	0x45, 0x00, 0x00, 0x1c, 0x00, 0x01, 0x00, 0xb9,
	0x40, 0x11, 0x00, 0x00, 10, 0, 0, 1, 10, 0, 0, 2,
	0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08,
};

/*
 * Raw IPv4 first fragment (MF, offset 0), total 28: UDP 5353 -> 53 with
 * length 256, more than this fragment holds.
 */
static const uint8_t raw_ip4_frag1[] = {
	0x45, 0x00, 0x00, 0x1c, 0x00, 0x01, 0x20, 0x00,
	0x40, 0x11, 0x00, 0x00, 10, 0, 0, 1, 10, 0, 0, 2,
	0x14, 0xe9, 0x00, 0x35, 0x01, 0x00, 0x00, 0x00,
};

/*
 * Raw IPv4 first fragment (MF, offset 0) 10.0.0.1 -> 10.0.0.2 IP-in-IP,
 * total 48: inner IPv4 10.9.9.1 -> 10.9.9.2 UDP claiming total 1000,
 * UDP 5353 -> 53 length 980.  The inner length is not a lie.
 */
static const uint8_t raw_ip4_frag1_ipip[] = {
	0x45, 0x00, 0x00, 0x30, 0x00, 0x01, 0x20, 0x00,
	0x40, 0x04, 0x00, 0x00, 10, 0, 0, 1, 10, 0, 0, 2,
	0x45, 0x00, 0x03, 0xe8, 0x00, 0x01, 0x00, 0x00,
	0x40, 0x11, 0x00, 0x00, 10, 9, 9, 1, 10, 9, 9, 2,
	0x14, 0xe9, 0x00, 0x35, 0x03, 0xd4, 0x00, 0x00,
};

/* Raw IPv4 10.0.0.1 -> 10.0.0.2 ICMP echo request id 1 seq 1, "ping". */
static const uint8_t raw_ip4_icmp[] = {
	0x45, 0x00, 0x00, 0x20, 0x00, 0x01, 0x00, 0x00,
	0x40, 0x01, 0x00, 0x00, 10, 0, 0, 1, 10, 0, 0, 2,
	0x08, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01,
	'p', 'i', 'n', 'g',
};

/* Raw IPv6 ICMPv6 destination unreachable (type 1, code 4), 4 unused. */
static const uint8_t raw_ip6_icmp6[] = {
	0x60, 0x00, 0x00, 0x00, 0x00, 0x08, 0x3a, 0x40, IP6_ADDRS,
	0x01, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
};

/*
 * Ethernet, IPv4 10.1.1.1 -> 10.2.2.2 GRE (total 64), GRE version 0 no
 * flags protocol IPv4, inner IP4_TCP_SYN.
 */
static const uint8_t eth_gre_ip4[] = {
	ETH_MACS, 0x08, 0x00,
	0x45, 0x00, 0x00, 0x40, 0x00, 0x03, 0x00, 0x00,
	0x40, 0x2f, 0x00, 0x00, 10, 1, 1, 1, 10, 2, 2, 2,
	0x00, 0x00, 0x08, 0x00,
	IP4_TCP_SYN,
};

/*
 * As eth_gre_ip4 with GRE checksum and key flags (total 72): checksum +
 * reserved, key 0x0000abcd, then IP4_TCP_SYN.
 */
static const uint8_t eth_gre_ck_ip4[] = {
	ETH_MACS, 0x08, 0x00,
	0x45, 0x00, 0x00, 0x48, 0x00, 0x03, 0x00, 0x00,
	0x40, 0x2f, 0x00, 0x00, 10, 1, 1, 1, 10, 2, 2, 2,
	0xa0, 0x00, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0xab, 0xcd,
	IP4_TCP_SYN,
};

/* As eth_gre_ip4 but with the RFC 1701 routing bit set (unsupported). */
static const uint8_t eth_gre_routing[] = {
	ETH_MACS, 0x08, 0x00,
	0x45, 0x00, 0x00, 0x40, 0x00, 0x03, 0x00, 0x00,
	0x40, 0x2f, 0x00, 0x00, 10, 1, 1, 1, 10, 2, 2, 2,
	0x40, 0x00, 0x08, 0x00,
	IP4_TCP_SYN,
};

/*
 * Ethernet, IPv4 10.1.1.1 -> 10.2.2.2 GRE (total 80), GRE with S flag
 * protocol ERSPAN II, sequence 5, ERSPAN II header (version 1, VLAN 100,
 * session 1), inner Ethernet, IP4_UDP.
 */
static const uint8_t eth_erspan2[] = {
	ETH_MACS, 0x08, 0x00,
	0x45, 0x00, 0x00, 0x50, 0x00, 0x03, 0x00, 0x00,
	0x40, 0x2f, 0x00, 0x00, 10, 1, 1, 1, 10, 2, 2, 2,
	0x10, 0x00, 0x88, 0xbe, 0x00, 0x00, 0x00, 0x05,
	0x10, 0x64, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00,
	ETH_MACS, 0x08, 0x00, IP4_UDP,
};

/*
 * ERSPAN type I: IPv4 GRE (total 68), GRE without S protocol 0x88be,
 * inner Ethernet right away, IP4_UDP.
 */
static const uint8_t eth_erspan1[] = {
	ETH_MACS, 0x08, 0x00,
	0x45, 0x00, 0x00, 0x44, 0x00, 0x03, 0x00, 0x00,
	0x40, 0x2f, 0x00, 0x00, 10, 1, 1, 1, 10, 2, 2, 2,
	0x00, 0x00, 0x88, 0xbe,
	ETH_MACS, 0x08, 0x00, IP4_UDP,
};

/*
 * Ethernet, IPv4 GRE (total 92), GRE with S protocol ERSPAN III, seq 5,
 * ERSPAN III header (version 2, VLAN 100, session 1, timestamp 0x1000,
 * SGT 0, O bit set), 8-byte platform subheader, inner Ethernet, IP4_UDP.
 */
static const uint8_t eth_erspan3[] = {
	ETH_MACS, 0x08, 0x00,
	0x45, 0x00, 0x00, 0x5c, 0x00, 0x03, 0x00, 0x00,
	0x40, 0x2f, 0x00, 0x00, 10, 1, 1, 1, 10, 2, 2, 2,
	0x10, 0x00, 0x22, 0xeb, 0x00, 0x00, 0x00, 0x05,
	0x20, 0x64, 0x00, 0x01, 0x00, 0x00, 0x10, 0x00,
	0x00, 0x00, 0x00, 0x01,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	ETH_MACS, 0x08, 0x00, IP4_UDP,
};

/* As eth_erspan3 with the O bit clear and no subheader (total 84). */
static const uint8_t eth_erspan3_noo[] = {
	ETH_MACS, 0x08, 0x00,
	0x45, 0x00, 0x00, 0x54, 0x00, 0x03, 0x00, 0x00,
	0x40, 0x2f, 0x00, 0x00, 10, 1, 1, 1, 10, 2, 2, 2,
	0x10, 0x00, 0x22, 0xeb, 0x00, 0x00, 0x00, 0x05,
	0x20, 0x64, 0x00, 0x01, 0x00, 0x00, 0x10, 0x00,
	0x00, 0x00, 0x00, 0x00,
	ETH_MACS, 0x08, 0x00, IP4_UDP,
};

/*
 * Ethernet, IPv4 10.1.1.1 -> 10.2.2.2 UDP (total 90), 49152 -> 4789
 * length 70, VXLAN flags I, VNI 100, inner Ethernet, IP4_TCP_SYN.
 */
static const uint8_t eth_vxlan[] = {
	ETH_MACS, 0x08, 0x00,
	0x45, 0x00, 0x00, 0x5a, 0x00, 0x03, 0x00, 0x00,
	0x40, 0x11, 0x00, 0x00, 10, 1, 1, 1, 10, 2, 2, 2,
	0xc0, 0x00, 0x12, 0xb5, 0x00, 0x46, 0x00, 0x00,
	0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x64, 0x00,
	ETH_MACS, 0x08, 0x00, IP4_TCP_SYN,
};
#define VXLAN_FLAGS_OFF	(14 + 20 + 8)

/*
 * Raw IPv4-in-IPv4 five deep: 10.0.0.N -> 10.0.1.N for N = 1..4 with
 * protocol 4 (totals 108, 88, 68, 48), then 10.0.0.5 -> 10.0.1.5 UDP
 * 1 -> 2 with no payload (total 28).
 */
static const uint8_t raw_ipip5[] = {
	0x45, 0x00, 0x00, 0x6c, 0x00, 0x01, 0x00, 0x00,
	0x40, 0x04, 0x00, 0x00, 10, 0, 0, 1, 10, 0, 1, 1,
	0x45, 0x00, 0x00, 0x58, 0x00, 0x01, 0x00, 0x00,
	0x40, 0x04, 0x00, 0x00, 10, 0, 0, 2, 10, 0, 1, 2,
	0x45, 0x00, 0x00, 0x44, 0x00, 0x01, 0x00, 0x00,
	0x40, 0x04, 0x00, 0x00, 10, 0, 0, 3, 10, 0, 1, 3,
	0x45, 0x00, 0x00, 0x30, 0x00, 0x01, 0x00, 0x00,
	0x40, 0x04, 0x00, 0x00, 10, 0, 0, 4, 10, 0, 1, 4,
	0x45, 0x00, 0x00, 0x1c, 0x00, 0x01, 0x00, 0x00,
	0x40, 0x11, 0x00, 0x00, 10, 0, 0, 5, 10, 0, 1, 5,
	0x00, 0x01, 0x00, 0x02, 0x00, 0x08, 0x00, 0x00,
};

/*
 * Raw IPv4 10.0.0.1 -> 10.0.0.2 protocol 41 (total 80) carrying
 * IP6_TCP_SYN (6in4).
 */
static const uint8_t raw_6in4[] = {
	0x45, 0x00, 0x00, 0x50, 0x00, 0x01, 0x00, 0x00,
	0x40, 0x29, 0x00, 0x00, 10, 0, 0, 1, 10, 0, 0, 2,
	IP6_TCP_SYN,
};

/* MPLS label entries: label 16, and label 17 with bottom of stack; TTL 64. */
#define MPLS_16		0x00, 0x01, 0x00, 0x40
#define MPLS_17_BOS	0x00, 0x01, 0x11, 0x40

/* Ethernet, MPLS unicast, labels 16 and 17 (bottom), IP4_TCP_SYN. */
static const uint8_t eth_mpls_ip4[] = {
	ETH_MACS, 0x88, 0x47, MPLS_16, MPLS_17_BOS, IP4_TCP_SYN,
};

/* Ethernet, 802.1Q VLAN 300, MPLS multicast label 17 (bottom), IPv6. */
static const uint8_t eth_vlan_mpls_ip6[] = {
	ETH_MACS, 0x81, 0x00, 0x01, 0x2c, 0x88, 0x48, MPLS_17_BOS,
	IP6_TCP_SYN,
};

/* Linux SLL as sll_ip4 but protocol MPLS unicast, label 17, IP4_UDP. */
static const uint8_t sll_mpls_ip4[] = {
	0x00, 0x00, 0x00, 0x01, 0x00, 0x06,
	0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x00, 0x00,
	0x88, 0x47, MPLS_17_BOS, IP4_UDP,
};

/*
 * Ethernet pseudowire: MPLS labels 16 and 17 (bottom), control word 0,
 * the customer's Ethernet frame, IP4_UDP.
 */
static const uint8_t eth_mpls_pw[] = {
	ETH_MACS, 0x88, 0x47, MPLS_16, MPLS_17_BOS, 0x00, 0x00, 0x00, 0x00,
	ETH_MACS, 0x08, 0x00, IP4_UDP,
};

/* MPLS label 17 (bottom), associated channel header type 7 (BFD). */
static const uint8_t eth_mpls_ach[] = {
	ETH_MACS, 0x88, 0x47, MPLS_17_BOS, 0x10, 0x00, 0x00, 0x07,
	0x20, 0x40, 0x03, 0x18,
};

/* Ethernet, PPPoE session 0x0017 length 42, PPP IPv4, IP4_TCP_SYN. */
static const uint8_t eth_pppoe_ip4[] = {
	ETH_MACS, 0x88, 0x64, 0x11, 0x00, 0x00, 0x17, 0x00, 0x2a,
	0x00, 0x21, IP4_TCP_SYN,
};
#define PPPOE_OFF	14

/* PPPoE session length 61, compressed PPP protocol 0x57 (IPv6). */
static const uint8_t eth_pppoe_ip6[] = {
	ETH_MACS, 0x88, 0x64, 0x11, 0x00, 0x00, 0x17, 0x00, 0x3d,
	0x57, IP6_TCP_SYN,
};

/* PPPoE session length 10, LCP (0xc021) echo request id 1, magic 0. */
static const uint8_t eth_pppoe_lcp[] = {
	ETH_MACS, 0x88, 0x64, 0x11, 0x00, 0x00, 0x17, 0x00, 0x0a,
	0xc0, 0x21, 0x09, 0x01, 0x00, 0x08, 0x00, 0x00, 0x00, 0x00,
};

/* PPPoE discovery PADI, session 0, an empty Service-Name tag. */
static const uint8_t eth_pppoe_padi[] = {
	ETH_MACS, 0x88, 0x63, 0x11, 0x09, 0x00, 0x00, 0x00, 0x04,
	0x01, 0x01, 0x00, 0x00,
};

/*
 * Ethernet, IPv4 10.1.1.1 -> 10.2.2.2 UDP (total 98), 49152 -> 6081
 * length 78, Geneve with 2 words of options, protocol 0x6558, VNI 77;
 * option class 0x0103 type 0x80 length 1, data 42; inner Ethernet,
 * IP4_TCP_SYN.
 */
static const uint8_t eth_geneve[] = {
	ETH_MACS, 0x08, 0x00,
	0x45, 0x00, 0x00, 0x62, 0x00, 0x03, 0x00, 0x00,
	0x40, 0x11, 0x00, 0x00, 10, 1, 1, 1, 10, 2, 2, 2,
	0xc0, 0x00, 0x17, 0xc1, 0x00, 0x4e, 0x00, 0x00,
	0x02, 0x00, 0x65, 0x58, 0x00, 0x00, 0x4d, 0x00,
	0x01, 0x03, 0x80, 0x01, 0x00, 0x00, 0x00, 0x2a,
	ETH_MACS, 0x08, 0x00, IP4_TCP_SYN,
};
#define GENEVE_OFF	(14 + 20 + 8)

/*
 * Raw IPv4 10.1.1.1 -> 10.2.2.2 UDP (total 96), 49152 -> 6081 length
 * 76, Geneve without options, protocol IPv6, VNI 78, IP6_TCP_SYN.
 */
static const uint8_t raw_geneve_ip6[] = {
	0x45, 0x00, 0x00, 0x60, 0x00, 0x03, 0x00, 0x00,
	0x40, 0x11, 0x00, 0x00, 10, 1, 1, 1, 10, 2, 2, 2,
	0xc0, 0x00, 0x17, 0xc1, 0x00, 0x4c, 0x00, 0x00,
	0x00, 0x00, 0x86, 0xdd, 0x00, 0x00, 0x4e, 0x00,
	IP6_TCP_SYN,
};

/*
 * Raw IPv4 10.1.1.1 -> 10.2.2.2 UDP (total 84), 2152 -> 2152 length 64,
 * GTP-U T-PDU with E and S, length 48, TEID 0x00abcd00, sequence 1,
 * N-PDU 0, next 0x85: a PDU session container (length 1, uplink, QFI
 * 9, next 0), then IP4_TCP_SYN.
 */
static const uint8_t raw_gtpu_ext[] = {
	0x45, 0x00, 0x00, 0x54, 0x00, 0x03, 0x00, 0x00,
	0x40, 0x11, 0x00, 0x00, 10, 1, 1, 1, 10, 2, 2, 2,
	0x08, 0x68, 0x08, 0x68, 0x00, 0x40, 0x00, 0x00,
	0x36, 0xff, 0x00, 0x30, 0x00, 0xab, 0xcd, 0x00,
	0x00, 0x01, 0x00, 0x85, 0x01, 0x10, 0x09, 0x00,
	IP4_TCP_SYN,
};
#define GTP_OFF		(20 + 8)

/*
 * Ethernet, IPv4 10.1.1.1 -> 10.2.2.2 UDP (total 96), 49152 -> 2152
 * length 76, bare GTP-U T-PDU header (no E/S/PN), length 60, TEID 1,
 * IP6_TCP_SYN.
 */
static const uint8_t eth_gtpu_ip6[] = {
	ETH_MACS, 0x08, 0x00,
	0x45, 0x00, 0x00, 0x60, 0x00, 0x03, 0x00, 0x00,
	0x40, 0x11, 0x00, 0x00, 10, 1, 1, 1, 10, 2, 2, 2,
	0xc0, 0x00, 0x08, 0x68, 0x00, 0x4c, 0x00, 0x00,
	0x30, 0xff, 0x00, 0x3c, 0x00, 0x00, 0x00, 0x01,
	IP6_TCP_SYN,
};

/* DLT_PPP: address 0xff, control 0x03, protocol IPv4, IP4_UDP. */
static const uint8_t ppp_ip4[] = { 0xff, 0x03, 0x00, 0x21, IP4_UDP };

/* DLT_PPP without address/control, compressed protocol 0x21, IP4_UDP. */
static const uint8_t ppp_pfc_ip4[] = { 0x21, IP4_UDP };

/* DLT_PPP without address/control, protocol IPv6, IP6_TCP_SYN. */
static const uint8_t ppp_ip6[] = { 0x00, 0x57, IP6_TCP_SYN };

/* DLT_PPP: LCP (0xc021) configure-request id 1, length 4. */
static const uint8_t ppp_lcp[] = {
	0xff, 0x03, 0xc0, 0x21, 0x01, 0x01, 0x00, 0x04,
};

/* Cisco HDLC: unicast address, control 0, ethertype IPv6, IP6_TCP_SYN. */
static const uint8_t chdlc_ip6[] = { 0x0f, 0x00, 0x86, 0xdd, IP6_TCP_SYN };

/* Cisco HDLC: broadcast address, SLARP (0x8035) request, sequence 0. */
static const uint8_t chdlc_slarp[] = {
	0x8f, 0x00, 0x80, 0x35, 0x00, 0x00, 0x00, 0x00,
	10, 0, 0, 1, 255, 255, 255, 252, 0x00, 0x00,
};

struct tctx {
	struct packet	pkt;
	struct stats	st;
};

static enum dec_status
run_wire(struct tctx *t, const uint8_t *f, size_t len, int dlt,
    uint32_t wire)
{
	memset(t, 0, sizeof(*t));
	t->pkt.wire_len = wire;
	return dec_frame(f, len, dlt, &t->pkt, &t->st);
}

static enum dec_status
run(struct tctx *t, const uint8_t *f, size_t len, int dlt)
{
	return run_wire(t, f, len, dlt, (uint32_t)len);
}

/* Problem counters (not the GRE, VXLAN, MPLS... decapsulation tallies). */
static uint64_t
problems(const struct stats *st)
{
	uint64_t n = 0;
	int i;

	for (i = ST_DEC_TRUNCATED; i <= ST_DEC_MAX_GTP_EXT; i++)
		n += st->v[i];
	return n;
}

static void
assert_v4(const struct ip_addr *a, int b0, int b1, int b2, int b3)
{
	assert_true(ip_addr_is_v4(a));
	assert_int_equal(a->b[12], b0);
	assert_int_equal(a->b[13], b1);
	assert_int_equal(a->b[14], b2);
	assert_int_equal(a->b[15], b3);
}

static void
assert_v6_db8(const struct ip_addr *a, int last)
{
	static const uint8_t pre[15] = { 0x20, 0x01, 0x0d, 0xb8 };

	assert_false(ip_addr_is_v4(a));
	assert_memory_equal(a->b, pre, sizeof(pre));
	assert_int_equal(a->b[15], last);
}

/* IP4_UDP checks: 10.0.0.1:5353 -> 10.0.0.2:53, payload "hi". */
static void
assert_ip4_udp(const struct packet *p)
{
	assert_int_equal(p->ip_version, 4);
	assert_v4(&p->src, 10, 0, 0, 1);
	assert_v4(&p->dst, 10, 0, 0, 2);
	assert_int_equal(p->l4_proto, 17);
	assert_true(p->l4_ok);
	assert_int_equal(p->sport, 5353);
	assert_int_equal(p->dport, 53);
	assert_int_equal(p->l3_len, 30);
	assert_int_equal(p->ip_len, 30);
	assert_int_equal(p->payload_len, 2);
	assert_memory_equal(p->payload, "hi", 2);
}

/* IP4_TCP_SYN checks: 172.16.0.1:1234 -> 172.16.0.2:443 SYN. */
static void
assert_ip4_syn(const struct packet *p)
{
	assert_int_equal(p->ip_version, 4);
	assert_v4(&p->src, 172, 16, 0, 1);
	assert_v4(&p->dst, 172, 16, 0, 2);
	assert_int_equal(p->l4_proto, 6);
	assert_true(p->l4_ok);
	assert_int_equal(p->sport, 1234);
	assert_int_equal(p->dport, 443);
	assert_int_equal(p->tcp_flags, TH_SYN);
	assert_int_equal(p->tcp_seq, 100);
	assert_int_equal(p->payload_len, 0);
}

/* IP6_TCP_SYN checks. */
static void
assert_ip6_syn(const struct packet *p)
{
	assert_int_equal(p->ip_version, 6);
	assert_v6_db8(&p->src, 1);
	assert_v6_db8(&p->dst, 2);
	assert_int_equal(p->l4_proto, 6);
	assert_true(p->l4_ok);
	assert_int_equal(p->sport, 40000);
	assert_int_equal(p->dport, 443);
	assert_int_equal(p->tcp_flags, TH_SYN);
	assert_int_equal(p->tcp_seq, 7);
	assert_int_equal(p->tcp_win, 0x7210);
	assert_int_equal(p->ip_len, 60);
	assert_int_equal(p->payload_len, 0);
}

#define RUN(t, f, dlt)	run((t), (f), sizeof(f), (dlt))


static void
test_eth_ip4_tcp(void **state)
{
	struct tctx t;
	struct packet *p = &t.pkt;

	(void)state;
	assert_int_equal(RUN(&t, eth_ip4_tcp, DLT_EN10MB), DEC_OK);
	assert_int_equal(problems(&t.st), 0);
	assert_int_equal(p->ip_version, 4);
	assert_v4(&p->src, 10, 0, 0, 1);
	assert_v4(&p->dst, 192, 168, 1, 2);
	assert_int_equal(p->vlan_count, 0);
	assert_int_equal(p->tunnel_depth, 0);
	assert_false(p->fragment);
	assert_true(p->l4_ok);
	assert_int_equal(p->l4_proto, 6);
	assert_int_equal(p->sport, 50000);
	assert_int_equal(p->dport, 22);
	assert_int_equal(p->tcp_flags, TH_PUSH | TH_ACK);
	assert_int_equal(p->tcp_seq, 1);
	assert_int_equal(p->tcp_ack, 2);
	assert_int_equal(p->tcp_win, 65535);
	assert_ptr_equal(p->l3, &eth_ip4_tcp[14]);
	assert_int_equal(p->l3_len, 44);
	assert_int_equal(p->ip_len, 44);
	assert_int_equal(p->payload_len, 4);
	assert_ptr_equal(p->payload, &eth_ip4_tcp[54]);
	assert_memory_equal(p->payload, "SSH-", 4);
}

static void
test_ip4_options(void **state)
{
	struct tctx t;

	(void)state;
	assert_int_equal(RUN(&t, eth_ip4_opts, DLT_EN10MB), DEC_OK);
	assert_int_equal(problems(&t.st), 0);
	assert_int_equal(t.pkt.sport, 50000);
	assert_int_equal(t.pkt.dport, 22);
	assert_int_equal(t.pkt.l3_len, 48);
	assert_int_equal(t.pkt.payload_len, 4);
	assert_memory_equal(t.pkt.payload, "SSH-", 4);
}

static void
test_eth_padding(void **state)
{
	struct tctx t;

	(void)state;
	assert_int_equal(RUN(&t, eth_ip4_padded, DLT_EN10MB), DEC_OK);
	assert_int_equal(problems(&t.st), 0);
	assert_ip4_udp(&t.pkt);
}

static void
test_vlans(void **state)
{
	struct tctx t;

	(void)state;
	assert_int_equal(RUN(&t, eth_qinq, DLT_EN10MB), DEC_OK);
	assert_int_equal(problems(&t.st), 0);
	assert_int_equal(t.pkt.vlan_count, 2);
	assert_int_equal(t.pkt.vlan[0], 100);
	assert_int_equal(t.pkt.vlan[1], 200);
	assert_ip4_udp(&t.pkt);

	assert_int_equal(RUN(&t, eth_9100, DLT_EN10MB), DEC_OK);
	assert_int_equal(t.pkt.vlan_count, 1);
	assert_int_equal(t.pkt.vlan[0], 7);
	assert_ip4_udp(&t.pkt);

	assert_int_equal(RUN(&t, eth_3vlan, DLT_EN10MB), DEC_UNSUPPORTED);
	assert_int_equal(t.st.v[ST_DEC_MAX_VLAN], 1);
	assert_int_equal(problems(&t.st), 1);
}

static void
test_not_ip(void **state)
{
	struct tctx t;

	(void)state;
	assert_int_equal(RUN(&t, eth_arp, DLT_EN10MB), DEC_NOT_IP);
	assert_int_equal(t.st.v[ST_DEC_NOT_IP], 1);
	assert_int_equal(problems(&t.st), 1);
	assert_int_equal(t.pkt.ip_version, 0);

	assert_int_equal(RUN(&t, eth_8023, DLT_EN10MB), DEC_NOT_IP);
	assert_int_equal(t.st.v[ST_DEC_NOT_IP], 1);
	assert_int_equal(problems(&t.st), 1);
}

static void
test_sll(void **state)
{
	struct tctx t;

	(void)state;
	assert_int_equal(RUN(&t, sll_ip4, DLT_LINUX_SLL), DEC_OK);
	assert_int_equal(problems(&t.st), 0);
	assert_ip4_udp(&t.pkt);
	assert_ptr_equal(t.pkt.l3, &sll_ip4[16]);

	assert_int_equal(RUN(&t, sll2_ip6, DLT_LINUX_SLL2), DEC_OK);
	assert_int_equal(problems(&t.st), 0);
	assert_ip6_syn(&t.pkt);
	assert_ptr_equal(t.pkt.l3, &sll2_ip6[20]);
}

static void
test_raw(void **state)
{
	static const int v4dlts[] = {
		DLT_RAW, DLT_RAW_OBSD, LINKTYPE_RAW, DLT_IPV4 };
	static const int v6dlts[] = {
		DLT_RAW, DLT_RAW_OBSD, LINKTYPE_RAW, DLT_IPV6 };
	struct tctx t;
	size_t i;

	(void)state;
	for (i = 0; i < 4; i++) {
		assert_int_equal(RUN(&t, raw_ip4, v4dlts[i]), DEC_OK);
		assert_int_equal(problems(&t.st), 0);
		assert_ip4_udp(&t.pkt);
		assert_ptr_equal(t.pkt.l3, raw_ip4);
		assert_int_equal(RUN(&t, raw_ip6, v6dlts[i]), DEC_OK);
		assert_int_equal(problems(&t.st), 0);
		assert_ip6_syn(&t.pkt);
	}
	/* The wrong IP version for the link type is malformed. */
	assert_int_equal(RUN(&t, raw_ip6, DLT_IPV4), DEC_MALFORMED);
	assert_int_equal(t.st.v[ST_DEC_MALFORMED], 1);
	assert_int_equal(RUN(&t, raw_ip4, DLT_IPV6), DEC_MALFORMED);
	assert_int_equal(t.st.v[ST_DEC_MALFORMED], 1);
	/* An empty raw frame is truncated. */
	assert_int_equal(run(&t, raw_ip4, 0, DLT_RAW), DEC_TRUNCATED);
	assert_int_equal(t.st.v[ST_DEC_TRUNCATED], 1);
}

static void
test_null_loop(void **state)
{
	static const int dlts[] = { DLT_NULL, DLT_LOOP };
	struct tctx t;
	size_t i;

	(void)state;
	for (i = 0; i < 2; i++) {
		assert_int_equal(RUN(&t, null_le_ip4, dlts[i]), DEC_OK);
		assert_ip4_udp(&t.pkt);
		assert_int_equal(RUN(&t, null_be_ip4, dlts[i]), DEC_OK);
		assert_ip4_udp(&t.pkt);
		assert_int_equal(RUN(&t, null_le_ip6, dlts[i]), DEC_OK);
		assert_ip6_syn(&t.pkt);
		assert_int_equal(RUN(&t, null_be_ip6, dlts[i]), DEC_OK);
		assert_ip6_syn(&t.pkt);
		assert_int_equal(problems(&t.st), 0);
		assert_int_equal(RUN(&t, null_other, dlts[i]), DEC_NOT_IP);
		assert_int_equal(t.st.v[ST_DEC_NOT_IP], 1);
	}
}

static void
test_ip6_ext(void **state)
{
	struct tctx t;
	struct packet *p = &t.pkt;

	(void)state;
	assert_int_equal(RUN(&t, eth_ip6_ext_udp, DLT_EN10MB), DEC_OK);
	assert_int_equal(problems(&t.st), 0);
	assert_int_equal(p->ip_version, 6);
	assert_v6_db8(&p->src, 1);
	assert_v6_db8(&p->dst, 2);
	assert_int_equal(p->l4_proto, 17);
	assert_true(p->l4_ok);
	assert_int_equal(p->sport, 0x1234);
	assert_int_equal(p->dport, 53);
	assert_int_equal(p->ip_len, 68);
	assert_int_equal(p->l3_len, 68);
	assert_int_equal(p->payload_len, 4);
	assert_memory_equal(p->payload, "abcd", 4);

	assert_int_equal(RUN(&t, raw_ip6_ah_tcp, DLT_RAW), DEC_OK);
	assert_int_equal(problems(&t.st), 0);
	assert_int_equal(p->l4_proto, 6);
	assert_true(p->l4_ok);
	assert_int_equal(p->sport, 40000);
	assert_int_equal(p->tcp_flags, TH_SYN);

	/* ESP ends the walk: a flow by address, no ports. */
	assert_int_equal(RUN(&t, raw_ip6_esp, DLT_RAW), DEC_OK);
	assert_int_equal(problems(&t.st), 0);
	assert_int_equal(p->l4_proto, 50);
	assert_false(p->l4_ok);

	assert_int_equal(RUN(&t, raw_ip6_jumbo, DLT_RAW), DEC_UNSUPPORTED);
	assert_int_equal(t.st.v[ST_DEC_UNSUPPORTED], 1);
	assert_int_equal(problems(&t.st), 1);
}

/*
 * Builds raw IPv6 with n destination-options headers (8 bytes each,
 * PadN) before UDP 1 -> 2 with no payload; returns the length.
 */
static size_t
build_ip6_dstopts(uint8_t *buf, size_t n)
{
	static const uint8_t hdr[8] = {
		0x60, 0x00, 0x00, 0x00, 0x00, 0x00, 0x3c, 0x40 };
	static const uint8_t addrs[32] = { IP6_ADDRS };
	static const uint8_t udp[8] = {
		0x00, 0x01, 0x00, 0x02, 0x00, 0x08, 0x00, 0x00 };
	size_t i, off = 0, plen = n * 8 + 8;

	memcpy(buf, hdr, sizeof(hdr));
	buf[4] = (uint8_t)(plen >> 8);
	buf[5] = (uint8_t)plen;
	memcpy(buf + 8, addrs, sizeof(addrs));
	off = 40;
	for (i = 0; i < n; i++) {
		buf[off] = i + 1 == n ? 17 : 60;
		buf[off + 1] = 0;
		buf[off + 2] = 0x01;
		buf[off + 3] = 0x04;
		memset(buf + off + 4, 0, 4);
		off += 8;
	}
	memcpy(buf + off, udp, sizeof(udp));
	return off + sizeof(udp);
}

static void
test_ip6_max_ext(void **state)
{
	uint8_t buf[256];
	struct tctx t;
	size_t len;

	(void)state;
	len = build_ip6_dstopts(buf, DEC_MAX_IP6_EXT);
	assert_int_equal(run(&t, buf, len, DLT_RAW), DEC_OK);
	assert_int_equal(problems(&t.st), 0);
	assert_true(t.pkt.l4_ok);
	assert_int_equal(t.pkt.dport, 2);

	len = build_ip6_dstopts(buf, DEC_MAX_IP6_EXT + 1);
	assert_int_equal(run(&t, buf, len, DLT_RAW), DEC_OK);
	assert_int_equal(t.st.v[ST_DEC_MAX_IP6_EXT], 1);
	assert_int_equal(problems(&t.st), 1);
	assert_false(t.pkt.l4_ok);
	assert_int_equal(t.pkt.ip_version, 6);
}

static void
test_fragments(void **state)
{
	struct tctx t;
	struct packet *p = &t.pkt;

	(void)state;
	assert_int_equal(RUN(&t, raw_ip6_frag, DLT_RAW), DEC_OK);
	assert_int_equal(t.st.v[ST_DEC_FRAGMENT], 1);
	assert_int_equal(problems(&t.st), 1);
	assert_true(p->fragment);
	assert_false(p->l4_ok);
	assert_int_equal(p->l4_proto, 17);
	assert_int_equal(p->ip_version, 6);
	assert_v6_db8(&p->src, 1);

	/* First fragment: parsed, UDP payload limited to what is there. */
	assert_int_equal(RUN(&t, raw_ip6_frag1, DLT_RAW), DEC_OK);
	assert_int_equal(problems(&t.st), 0);
	assert_false(p->fragment);
	assert_true(p->l4_ok);
	assert_int_equal(p->dport, 53);
	assert_int_equal(p->payload_len, 0);

	assert_int_equal(RUN(&t, raw_ip4_frag, DLT_RAW), DEC_OK);
	assert_int_equal(t.st.v[ST_DEC_FRAGMENT], 1);
	assert_int_equal(problems(&t.st), 1);
	assert_true(p->fragment);
	assert_false(p->l4_ok);
	assert_int_equal(p->l4_proto, 17);
	assert_v4(&p->dst, 10, 0, 0, 2);
	assert_int_equal(p->sport, 0);

	assert_int_equal(RUN(&t, raw_ip4_frag1, DLT_RAW), DEC_OK);
	assert_int_equal(problems(&t.st), 0);
	assert_false(p->fragment);
	assert_true(p->l4_ok);
	assert_int_equal(p->sport, 5353);
	assert_int_equal(p->payload_len, 0);

	assert_int_equal(RUN(&t, raw_ip4_frag1_ipip, DLT_RAW), DEC_OK);
	assert_int_equal(problems(&t.st), 0);
	assert_int_equal(p->tunnel_depth, 1);
	assert_v4(&p->src, 10, 9, 9, 1);
	assert_int_equal(p->ip_len, 1000);
	assert_int_equal(p->l3_len, 28);
	assert_true(p->l4_ok);
	assert_int_equal(p->dport, 53);
}

static void
test_icmp(void **state)
{
	struct tctx t;

	(void)state;
	assert_int_equal(RUN(&t, raw_ip4_icmp, DLT_RAW), DEC_OK);
	assert_int_equal(problems(&t.st), 0);
	assert_true(t.pkt.l4_ok);
	assert_int_equal(t.pkt.l4_proto, 1);
	assert_int_equal(t.pkt.sport, 8);
	assert_int_equal(t.pkt.dport, 0);
	assert_int_equal(t.pkt.payload_len, 4);
	assert_memory_equal(t.pkt.payload, "ping", 4);

	assert_int_equal(RUN(&t, raw_ip6_icmp6, DLT_RAW), DEC_OK);
	assert_int_equal(problems(&t.st), 0);
	assert_true(t.pkt.l4_ok);
	assert_int_equal(t.pkt.l4_proto, 58);
	assert_int_equal(t.pkt.sport, 1);
	assert_int_equal(t.pkt.dport, 4);
}

static void
test_gre(void **state)
{
	struct tctx t;

	(void)state;
	assert_int_equal(RUN(&t, eth_gre_ip4, DLT_EN10MB), DEC_OK);
	assert_int_equal(problems(&t.st), 0);
	assert_int_equal(t.st.v[ST_DEC_GRE], 1);
	assert_int_equal(t.pkt.tunnel_depth, 1);
	assert_ip4_syn(&t.pkt);
	assert_ptr_equal(t.pkt.l3, &eth_gre_ip4[14 + 24]);
	assert_int_equal(t.pkt.l3_len, 40);

	assert_int_equal(RUN(&t, eth_gre_ck_ip4, DLT_EN10MB), DEC_OK);
	assert_int_equal(problems(&t.st), 0);
	assert_int_equal(t.st.v[ST_DEC_GRE], 1);
	assert_ip4_syn(&t.pkt);

	/* Routing: not removed, the outer GRE packet is the flow. */
	assert_int_equal(RUN(&t, eth_gre_routing, DLT_EN10MB), DEC_OK);
	assert_int_equal(t.st.v[ST_DEC_UNSUPPORTED], 1);
	assert_int_equal(problems(&t.st), 1);
	assert_int_equal(t.st.v[ST_DEC_GRE], 0);
	assert_int_equal(t.pkt.l4_proto, 47);
	assert_false(t.pkt.l4_ok);
	assert_v4(&t.pkt.src, 10, 1, 1, 1);
}

static void
test_erspan(void **state)
{
	struct tctx t;

	(void)state;
	assert_int_equal(RUN(&t, eth_erspan2, DLT_EN10MB), DEC_OK);
	assert_int_equal(problems(&t.st), 0);
	assert_int_equal(t.st.v[ST_DEC_GRE], 1);
	assert_int_equal(t.st.v[ST_DEC_ERSPAN], 1);
	assert_int_equal(t.pkt.tunnel_depth, 1);
	assert_ip4_udp(&t.pkt);
	assert_ptr_equal(t.pkt.l3, &eth_erspan2[14 + 20 + 16 + 14]);

	assert_int_equal(RUN(&t, eth_erspan1, DLT_EN10MB), DEC_OK);
	assert_int_equal(problems(&t.st), 0);
	assert_int_equal(t.st.v[ST_DEC_ERSPAN], 1);
	assert_ip4_udp(&t.pkt);

	assert_int_equal(RUN(&t, eth_erspan3, DLT_EN10MB), DEC_OK);
	assert_int_equal(problems(&t.st), 0);
	assert_int_equal(t.st.v[ST_DEC_GRE], 1);
	assert_int_equal(t.st.v[ST_DEC_ERSPAN], 1);
	assert_ip4_udp(&t.pkt);
	assert_ptr_equal(t.pkt.l3, &eth_erspan3[14 + 20 + 8 + 20 + 14]);

	assert_int_equal(RUN(&t, eth_erspan3_noo, DLT_EN10MB), DEC_OK);
	assert_int_equal(problems(&t.st), 0);
	assert_ip4_udp(&t.pkt);
}

static void
test_vxlan(void **state)
{
	uint8_t copy[sizeof(eth_vxlan)];
	struct tctx t;

	(void)state;
	assert_int_equal(RUN(&t, eth_vxlan, DLT_EN10MB), DEC_OK);
	assert_int_equal(problems(&t.st), 0);
	assert_int_equal(t.st.v[ST_DEC_VXLAN], 1);
	assert_int_equal(t.pkt.tunnel_depth, 1);
	assert_ip4_syn(&t.pkt);

	/* Without the I flag it is plain UDP to port 4789. */
	memcpy(copy, eth_vxlan, sizeof(copy));
	copy[VXLAN_FLAGS_OFF] = 0x00;
	assert_int_equal(RUN(&t, copy, DLT_EN10MB), DEC_OK);
	assert_int_equal(problems(&t.st), 0);
	assert_int_equal(t.st.v[ST_DEC_VXLAN], 0);
	assert_int_equal(t.pkt.tunnel_depth, 0);
	assert_int_equal(t.pkt.l4_proto, 17);
	assert_int_equal(t.pkt.dport, 4789);
	assert_int_equal(t.pkt.payload_len, 62);
	assert_v4(&t.pkt.src, 10, 1, 1, 1);
}

static void
test_ipip_depth(void **state)
{
	struct tctx t;

	(void)state;
	assert_int_equal(RUN(&t, raw_6in4, DLT_RAW), DEC_OK);
	assert_int_equal(problems(&t.st), 0);
	assert_int_equal(t.pkt.tunnel_depth, 1);
	assert_ip6_syn(&t.pkt);

	/* Four tunnels: the fourth stays; the packet is the 4th header. */
	assert_int_equal(RUN(&t, raw_ipip5, DLT_RAW), DEC_OK);
	assert_int_equal(t.st.v[ST_DEC_MAX_DEPTH], 1);
	assert_int_equal(problems(&t.st), 1);
	assert_int_equal(t.pkt.tunnel_depth, DEC_MAX_DEPTH);
	assert_v4(&t.pkt.src, 10, 0, 0, 4);
	assert_int_equal(t.pkt.l4_proto, 4);
	assert_false(t.pkt.l4_ok);
}

static void
test_ip_len_lies(void **state)
{
	uint8_t copy[sizeof(eth_ip4_tcp)];
	struct tctx t;

	(void)state;
	memcpy(copy, eth_ip4_tcp, sizeof(copy));
	copy[16] = 0x01;		/* total length 256 */
	copy[17] = 0x00;
	/* The frame was not cut by the snaplen: the header lies. */
	assert_int_equal(RUN(&t, copy, DLT_EN10MB), DEC_OK);
	assert_int_equal(t.st.v[ST_DEC_IP_LEN_LIES], 1);
	assert_int_equal(problems(&t.st), 1);
	assert_int_equal(t.pkt.ip_len, 256);
	assert_int_equal(t.pkt.l3_len, 44);
	assert_int_equal(t.pkt.payload_len, 4);
	assert_true(t.pkt.l4_ok);

	/* Same bytes with a wire length of 270: snaplen, not a lie. */
	assert_int_equal(run_wire(&t, copy, sizeof(copy), DLT_EN10MB, 270),
	    DEC_OK);
	assert_int_equal(problems(&t.st), 0);
	assert_int_equal(t.pkt.payload_len, 4);

	/* Total length 16, shorter than the header. */
	copy[16] = 0x00;
	copy[17] = 0x10;
	assert_int_equal(RUN(&t, copy, DLT_EN10MB), DEC_MALFORMED);
	assert_int_equal(t.st.v[ST_DEC_MALFORMED], 1);
	assert_int_equal(problems(&t.st), 1);

	/* IHL 4. */
	memcpy(copy, eth_ip4_tcp, sizeof(copy));
	copy[14] = 0x44;
	assert_int_equal(RUN(&t, copy, DLT_EN10MB), DEC_MALFORMED);
	assert_int_equal(t.st.v[ST_DEC_MALFORMED], 1);

	/* Total length 42: the payload is cut at the IP length. */
	memcpy(copy, eth_ip4_tcp, sizeof(copy));
	copy[17] = 42;
	assert_int_equal(RUN(&t, copy, DLT_EN10MB), DEC_OK);
	assert_int_equal(problems(&t.st), 0);
	assert_int_equal(t.pkt.payload_len, 2);
	assert_int_equal(t.pkt.l3_len, 42);
}

static void
test_tcp_bad_offset(void **state)
{
	uint8_t copy[sizeof(eth_ip4_tcp)];
	struct tctx t;

	(void)state;
	memcpy(copy, eth_ip4_tcp, sizeof(copy));
	copy[14 + 20 + 12] = 0x40;	/* data offset 4 */
	assert_int_equal(RUN(&t, copy, DLT_EN10MB), DEC_MALFORMED);
	assert_int_equal(t.st.v[ST_DEC_MALFORMED], 1);
	assert_int_equal(problems(&t.st), 1);
	assert_false(t.pkt.l4_ok);

	/* Data offset 15: options run past the frame, ports still kept. */
	copy[14 + 20 + 12] = 0xf0;
	assert_int_equal(RUN(&t, copy, DLT_EN10MB), DEC_OK);
	assert_int_equal(t.st.v[ST_DEC_TRUNCATED], 1);
	assert_int_equal(problems(&t.st), 1);
	assert_int_equal(t.pkt.dport, 22);
	assert_int_equal(t.pkt.payload_len, 0);
}

static void
test_unknown_dlt(void **state)
{
	struct tctx t;

	(void)state;
	assert_int_equal(RUN(&t, eth_ip4_tcp, 127), DEC_UNSUPPORTED);
	assert_int_equal(t.st.v[ST_DEC_UNSUPPORTED], 1);
	assert_int_equal(problems(&t.st), 1);
	assert_false(dec_dlt_supported(127));
	assert_false(dec_dlt_supported(-1));
	assert_true(dec_dlt_supported(DLT_EN10MB));
	assert_true(dec_dlt_supported(DLT_LINUX_SLL2));
	assert_true(dec_dlt_supported(DLT_NULL));
	assert_true(dec_dlt_supported(LINKTYPE_RAW));
}

/*
 * Builds Ethernet with an MPLS stack of n labels (label 16, the last
 * with the bottom-of-stack bit) before IP4_UDP; returns the length.
 */
static size_t
build_mpls(uint8_t *buf, size_t n)
{
	static const uint8_t eth[14] = { ETH_MACS, 0x88, 0x47 };
	static const uint8_t label[4] = { MPLS_16 };
	static const uint8_t ip[] = { IP4_UDP };
	size_t i, off = sizeof(eth);

	memcpy(buf, eth, sizeof(eth));
	for (i = 0; i < n; i++, off += sizeof(label)) {
		memcpy(buf + off, label, sizeof(label));
		if (i + 1 == n)
			buf[off + 2] |= 0x01;
	}
	memcpy(buf + off, ip, sizeof(ip));
	return off + sizeof(ip);
}

/*
 * Builds n Ethernet pseudowires nested in one another (Ethernet, MPLS
 * label 17 bottom, control word 0), the innermost frame carrying
 * IP4_UDP.  With geneve, raw IPv4 10.1.1.1 -> 10.2.2.2 UDP 49152 -> 6081
 * and a Geneve header (no options, protocol 0x6558) come first, their
 * lengths fixed up.  Returns the length.
 */
static size_t
build_pw(uint8_t *buf, size_t n, bool geneve)
{
	static const uint8_t outer[36] = {
		0x45, 0x00, 0x00, 0x00, 0x00, 0x03, 0x00, 0x00,
		0x40, 0x11, 0x00, 0x00, 10, 1, 1, 1, 10, 2, 2, 2,
		0xc0, 0x00, 0x17, 0xc1, 0x00, 0x00, 0x00, 0x00,
		0x00, 0x00, 0x65, 0x58, 0x00, 0x00, 0x4d, 0x00 };
	static const uint8_t pw[22] = {
		ETH_MACS, 0x88, 0x47, MPLS_17_BOS, 0x00, 0x00, 0x00, 0x00 };
	static const uint8_t last[] = { ETH_MACS, 0x08, 0x00, IP4_UDP };
	size_t i, off = 0;

	if (geneve) {
		memcpy(buf, outer, sizeof(outer));
		off = sizeof(outer);
	}
	for (i = 0; i < n; i++, off += sizeof(pw))
		memcpy(buf + off, pw, sizeof(pw));
	memcpy(buf + off, last, sizeof(last));
	off += sizeof(last);
	if (geneve) {
		buf[2] = (uint8_t)(off >> 8);
		buf[3] = (uint8_t)off;
		buf[24] = (uint8_t)((off - 20) >> 8);
		buf[25] = (uint8_t)(off - 20);
	}
	return off;
}

/*
 * Builds raw IPv4 10.1.1.1 -> 10.2.2.2, UDP 2152 -> 2152, a GTP-U T-PDU
 * with the E flag and a chain of n PDU session containers (4 bytes
 * each), then IP4_UDP, every length fixed up.  Returns the length.
 */
static size_t
build_gtp_ext(uint8_t *buf, size_t n)
{
	static const uint8_t hdr[40] = {
		0x45, 0x00, 0x00, 0x00, 0x00, 0x03, 0x00, 0x00,
		0x40, 0x11, 0x00, 0x00, 10, 1, 1, 1, 10, 2, 2, 2,
		0x08, 0x68, 0x08, 0x68, 0x00, 0x00, 0x00, 0x00,
		0x34, 0xff, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,
		0x00, 0x00, 0x00, 0x85 };
	static const uint8_t ext[4] = { 0x01, 0x10, 0x09, 0x85 };
	static const uint8_t ip[] = { IP4_UDP };
	size_t i, off = sizeof(hdr);

	memcpy(buf, hdr, sizeof(hdr));
	if (n == 0)
		buf[off - 1] = 0;
	for (i = 0; i < n; i++, off += sizeof(ext)) {
		memcpy(buf + off, ext, sizeof(ext));
		if (i + 1 == n)
			buf[off + 3] = 0;
	}
	memcpy(buf + off, ip, sizeof(ip));
	off += sizeof(ip);
	buf[2] = (uint8_t)(off >> 8);
	buf[3] = (uint8_t)off;
	buf[24] = (uint8_t)((off - 20) >> 8);
	buf[25] = (uint8_t)(off - 20);
	buf[30] = (uint8_t)((off - 36) >> 8);
	buf[31] = (uint8_t)(off - 36);
	return off;
}

static void
test_mpls(void **state)
{
	uint8_t buf[128];
	struct tctx t;
	size_t len;

	(void)state;
	assert_int_equal(RUN(&t, eth_mpls_ip4, DLT_EN10MB), DEC_OK);
	assert_int_equal(problems(&t.st), 0);
	assert_int_equal(t.st.v[ST_DEC_MPLS], 1);
	assert_int_equal(t.pkt.tunnel_depth, 0);
	assert_ip4_syn(&t.pkt);
	assert_ptr_equal(t.pkt.l3, &eth_mpls_ip4[14 + 8]);

	assert_int_equal(RUN(&t, eth_vlan_mpls_ip6, DLT_EN10MB), DEC_OK);
	assert_int_equal(problems(&t.st), 0);
	assert_int_equal(t.st.v[ST_DEC_MPLS], 1);
	assert_int_equal(t.pkt.vlan_count, 1);
	assert_int_equal(t.pkt.vlan[0], 300);
	assert_ip6_syn(&t.pkt);

	assert_int_equal(RUN(&t, sll_mpls_ip4, DLT_LINUX_SLL), DEC_OK);
	assert_int_equal(problems(&t.st), 0);
	assert_ip4_udp(&t.pkt);

	/* Nibble 0: a control word, then the customer's Ethernet frame. */
	assert_int_equal(RUN(&t, eth_mpls_pw, DLT_EN10MB), DEC_OK);
	assert_int_equal(problems(&t.st), 0);
	assert_int_equal(t.st.v[ST_DEC_MPLS], 1);
	assert_int_equal(t.pkt.tunnel_depth, 1);
	assert_ip4_udp(&t.pkt);
	assert_ptr_equal(t.pkt.l3, &eth_mpls_pw[14 + 8 + 4 + 14]);

	/* Nibble 1: an associated channel (OAM), not IP. */
	assert_int_equal(RUN(&t, eth_mpls_ach, DLT_EN10MB), DEC_NOT_IP);
	assert_int_equal(t.st.v[ST_DEC_NOT_IP], 1);
	assert_int_equal(problems(&t.st), 1);

	/* Nibble 5: nothing we know. */
	memcpy(buf, eth_mpls_ach, sizeof(eth_mpls_ach));
	buf[18] = 0x50;
	assert_int_equal(run(&t, buf, sizeof(eth_mpls_ach), DLT_EN10MB),
	    DEC_UNSUPPORTED);
	assert_int_equal(t.st.v[ST_DEC_UNSUPPORTED], 1);
	assert_int_equal(problems(&t.st), 1);

	len = build_mpls(buf, DEC_MAX_MPLS);
	assert_int_equal(run(&t, buf, len, DLT_EN10MB), DEC_OK);
	assert_int_equal(problems(&t.st), 0);
	assert_ip4_udp(&t.pkt);

	len = build_mpls(buf, DEC_MAX_MPLS + 1);
	assert_int_equal(run(&t, buf, len, DLT_EN10MB), DEC_UNSUPPORTED);
	assert_int_equal(t.st.v[ST_DEC_MAX_MPLS], 1);
	assert_int_equal(problems(&t.st), 1);
	assert_int_equal(t.st.v[ST_DEC_MPLS], 0);
	assert_int_equal(t.pkt.ip_version, 0);
}

static void
test_mpls_pw_depth(void **state)
{
	uint8_t buf[256];
	struct tctx t;
	size_t len;

	(void)state;
	len = build_pw(buf, DEC_MAX_DEPTH, false);
	assert_int_equal(run(&t, buf, len, DLT_EN10MB), DEC_OK);
	assert_int_equal(problems(&t.st), 0);
	assert_int_equal(t.pkt.tunnel_depth, DEC_MAX_DEPTH);
	assert_ip4_udp(&t.pkt);

	/* One more with no IP outside: the frame is counted once. */
	len = build_pw(buf, DEC_MAX_DEPTH + 1, false);
	assert_int_equal(run(&t, buf, len, DLT_EN10MB), DEC_UNSUPPORTED);
	assert_int_equal(t.st.v[ST_DEC_MAX_DEPTH], 1);
	assert_int_equal(problems(&t.st), 1);
	assert_int_equal(t.pkt.ip_version, 0);

	/* Inside Geneve the limit leaves the outer UDP as the flow. */
	len = build_pw(buf, DEC_MAX_DEPTH - 1, true);
	assert_int_equal(run(&t, buf, len, DLT_RAW), DEC_OK);
	assert_int_equal(problems(&t.st), 0);
	assert_int_equal(t.pkt.tunnel_depth, DEC_MAX_DEPTH);
	assert_ip4_udp(&t.pkt);

	len = build_pw(buf, DEC_MAX_DEPTH, true);
	assert_int_equal(run(&t, buf, len, DLT_RAW), DEC_OK);
	assert_int_equal(t.st.v[ST_DEC_MAX_DEPTH], 1);
	assert_int_equal(problems(&t.st), 1);
	assert_v4(&t.pkt.src, 10, 1, 1, 1);
	assert_int_equal(t.pkt.l4_proto, 17);
	assert_int_equal(t.pkt.dport, 6081);
}

static void
test_pppoe(void **state)
{
	uint8_t copy[sizeof(eth_pppoe_ip4)];
	struct tctx t;

	(void)state;
	assert_int_equal(RUN(&t, eth_pppoe_ip4, DLT_EN10MB), DEC_OK);
	assert_int_equal(problems(&t.st), 0);
	assert_int_equal(t.st.v[ST_DEC_PPPOE], 1);
	assert_int_equal(t.pkt.tunnel_depth, 0);
	assert_ip4_syn(&t.pkt);
	assert_ptr_equal(t.pkt.l3, &eth_pppoe_ip4[PPPOE_OFF + 8]);

	assert_int_equal(RUN(&t, eth_pppoe_ip6, DLT_EN10MB), DEC_OK);
	assert_int_equal(problems(&t.st), 0);
	assert_ip6_syn(&t.pkt);

	assert_int_equal(RUN(&t, eth_pppoe_lcp, DLT_EN10MB), DEC_NOT_IP);
	assert_int_equal(t.st.v[ST_DEC_NOT_IP], 1);
	assert_int_equal(problems(&t.st), 1);

	assert_int_equal(RUN(&t, eth_pppoe_padi, DLT_EN10MB), DEC_NOT_IP);
	assert_int_equal(t.st.v[ST_DEC_NOT_IP], 1);
	assert_int_equal(problems(&t.st), 1);
	assert_int_equal(t.st.v[ST_DEC_PPPOE], 0);

	/* Version 1 type 2, then a discovery code on the session type. */
	memcpy(copy, eth_pppoe_ip4, sizeof(copy));
	copy[PPPOE_OFF] = 0x12;
	assert_int_equal(RUN(&t, copy, DLT_EN10MB), DEC_MALFORMED);
	assert_int_equal(t.st.v[ST_DEC_MALFORMED], 1);
	assert_int_equal(problems(&t.st), 1);
	memcpy(copy, eth_pppoe_ip4, sizeof(copy));
	copy[PPPOE_OFF + 1] = 0x09;
	assert_int_equal(RUN(&t, copy, DLT_EN10MB), DEC_MALFORMED);
	assert_int_equal(problems(&t.st), 1);

	/* PPPoE length 22: the IP header claiming 40 lies. */
	memcpy(copy, eth_pppoe_ip4, sizeof(copy));
	copy[PPPOE_OFF + 5] = 22;
	assert_int_equal(RUN(&t, copy, DLT_EN10MB), DEC_OK);
	assert_int_equal(t.st.v[ST_DEC_IP_LEN_LIES], 1);
	assert_int_equal(problems(&t.st), 1);
	assert_int_equal(t.pkt.l3_len, 20);
	assert_false(t.pkt.l4_ok);
}

static void
test_geneve(void **state)
{
	uint8_t copy[sizeof(eth_geneve)];
	struct tctx t;

	(void)state;
	assert_int_equal(RUN(&t, eth_geneve, DLT_EN10MB), DEC_OK);
	assert_int_equal(problems(&t.st), 0);
	assert_int_equal(t.st.v[ST_DEC_GENEVE], 1);
	assert_int_equal(t.pkt.tunnel_depth, 1);
	assert_ip4_syn(&t.pkt);
	assert_ptr_equal(t.pkt.l3, &eth_geneve[GENEVE_OFF + 16 + 14]);

	assert_int_equal(RUN(&t, raw_geneve_ip6, DLT_RAW), DEC_OK);
	assert_int_equal(problems(&t.st), 0);
	assert_int_equal(t.st.v[ST_DEC_GENEVE], 1);
	assert_ip6_syn(&t.pkt);

	/* Protocol ARP: not removed, the outer UDP is the flow. */
	memcpy(copy, eth_geneve, sizeof(copy));
	copy[GENEVE_OFF + 2] = 0x08;
	copy[GENEVE_OFF + 3] = 0x06;
	assert_int_equal(RUN(&t, copy, DLT_EN10MB), DEC_OK);
	assert_int_equal(t.st.v[ST_DEC_UNSUPPORTED], 1);
	assert_int_equal(problems(&t.st), 1);
	assert_int_equal(t.st.v[ST_DEC_GENEVE], 0);
	assert_int_equal(t.pkt.tunnel_depth, 0);
	assert_v4(&t.pkt.src, 10, 1, 1, 1);
	assert_int_equal(t.pkt.dport, 6081);

	/* Version 1 is not Geneve as we know it: plain UDP. */
	memcpy(copy, eth_geneve, sizeof(copy));
	copy[GENEVE_OFF] = 0x42;
	assert_int_equal(RUN(&t, copy, DLT_EN10MB), DEC_OK);
	assert_int_equal(problems(&t.st), 0);
	assert_int_equal(t.st.v[ST_DEC_GENEVE], 0);
	assert_int_equal(t.pkt.dport, 6081);
	assert_int_equal(t.pkt.payload_len, 70);

	/* 252 bytes of options in a 70-byte payload. */
	memcpy(copy, eth_geneve, sizeof(copy));
	copy[GENEVE_OFF] = 0x3f;
	assert_int_equal(RUN(&t, copy, DLT_EN10MB), DEC_OK);
	assert_int_equal(t.st.v[ST_DEC_TRUNCATED], 1);
	assert_int_equal(problems(&t.st), 1);
	assert_int_equal(t.pkt.tunnel_depth, 0);
	assert_true(t.pkt.l4_ok);
	assert_int_equal(t.pkt.dport, 6081);
}

static void
test_gtpu(void **state)
{
	uint8_t copy[sizeof(raw_gtpu_ext)], buf[128];
	struct tctx t;
	size_t len;

	(void)state;
	assert_int_equal(RUN(&t, raw_gtpu_ext, DLT_RAW), DEC_OK);
	assert_int_equal(problems(&t.st), 0);
	assert_int_equal(t.st.v[ST_DEC_GTP], 1);
	assert_int_equal(t.pkt.tunnel_depth, 1);
	assert_ip4_syn(&t.pkt);
	assert_ptr_equal(t.pkt.l3, &raw_gtpu_ext[GTP_OFF + 16]);

	assert_int_equal(RUN(&t, eth_gtpu_ip6, DLT_EN10MB), DEC_OK);
	assert_int_equal(problems(&t.st), 0);
	assert_int_equal(t.st.v[ST_DEC_GTP], 1);
	assert_ip6_syn(&t.pkt);

	/* An echo request (type 1) carries no user data: plain UDP. */
	memcpy(copy, raw_gtpu_ext, sizeof(copy));
	copy[GTP_OFF + 1] = 0x01;
	assert_int_equal(RUN(&t, copy, DLT_RAW), DEC_OK);
	assert_int_equal(problems(&t.st), 0);
	assert_int_equal(t.st.v[ST_DEC_GTP], 0);
	assert_int_equal(t.pkt.dport, 2152);
	assert_int_equal(t.pkt.payload_len, 56);

	/* Only the destination port says GTP-U. */
	memcpy(copy, raw_gtpu_ext, sizeof(copy));
	copy[22] = 0x12;
	assert_int_equal(RUN(&t, copy, DLT_RAW), DEC_OK);
	assert_int_equal(problems(&t.st), 0);
	assert_int_equal(t.st.v[ST_DEC_GTP], 0);
	assert_int_equal(t.pkt.sport, 2152);

	/* An extension header of length 0. */
	memcpy(copy, raw_gtpu_ext, sizeof(copy));
	copy[GTP_OFF + 12] = 0x00;
	assert_int_equal(RUN(&t, copy, DLT_RAW), DEC_OK);
	assert_int_equal(t.st.v[ST_DEC_MALFORMED], 1);
	assert_int_equal(problems(&t.st), 1);
	assert_int_equal(t.pkt.tunnel_depth, 0);
	assert_int_equal(t.pkt.dport, 2152);

	/*
	 * S alone: the next-type byte (0x85) is not followed, so the
	 * extension's first byte (0x01) is read as the IP version.
	 */
	memcpy(copy, raw_gtpu_ext, sizeof(copy));
	copy[GTP_OFF] = 0x32;
	assert_int_equal(RUN(&t, copy, DLT_RAW), DEC_MALFORMED);
	assert_int_equal(t.st.v[ST_DEC_MALFORMED], 1);
	assert_int_equal(problems(&t.st), 1);
	assert_int_equal(t.pkt.tunnel_depth, 1);

	len = build_gtp_ext(buf, 0);
	assert_int_equal(run(&t, buf, len, DLT_RAW), DEC_OK);
	assert_int_equal(problems(&t.st), 0);
	assert_ip4_udp(&t.pkt);

	len = build_gtp_ext(buf, DEC_MAX_GTP_EXT);
	assert_int_equal(run(&t, buf, len, DLT_RAW), DEC_OK);
	assert_int_equal(problems(&t.st), 0);
	assert_int_equal(t.st.v[ST_DEC_GTP], 1);
	assert_ip4_udp(&t.pkt);

	len = build_gtp_ext(buf, DEC_MAX_GTP_EXT + 1);
	assert_int_equal(run(&t, buf, len, DLT_RAW), DEC_OK);
	assert_int_equal(t.st.v[ST_DEC_MAX_GTP_EXT], 1);
	assert_int_equal(problems(&t.st), 1);
	assert_int_equal(t.st.v[ST_DEC_GTP], 0);
	assert_int_equal(t.pkt.tunnel_depth, 0);
	assert_int_equal(t.pkt.dport, 2152);
}

static void
test_ppp(void **state)
{
	uint8_t copy[sizeof(ppp_ip4)];
	struct tctx t;

	(void)state;
	assert_int_equal(RUN(&t, ppp_ip4, DLT_PPP), DEC_OK);
	assert_int_equal(problems(&t.st), 0);
	assert_ip4_udp(&t.pkt);
	assert_ptr_equal(t.pkt.l3, &ppp_ip4[4]);

	assert_int_equal(RUN(&t, ppp_pfc_ip4, DLT_PPP), DEC_OK);
	assert_int_equal(problems(&t.st), 0);
	assert_ip4_udp(&t.pkt);
	assert_ptr_equal(t.pkt.l3, &ppp_pfc_ip4[1]);

	assert_int_equal(RUN(&t, ppp_ip6, DLT_PPP), DEC_OK);
	assert_int_equal(problems(&t.st), 0);
	assert_ip6_syn(&t.pkt);

	assert_int_equal(RUN(&t, ppp_lcp, DLT_PPP), DEC_NOT_IP);
	assert_int_equal(t.st.v[ST_DEC_NOT_IP], 1);
	assert_int_equal(problems(&t.st), 1);

	/* Address 0xff with a control byte other than 0x03. */
	memcpy(copy, ppp_ip4, sizeof(copy));
	copy[1] = 0x00;
	assert_int_equal(RUN(&t, copy, DLT_PPP), DEC_MALFORMED);
	assert_int_equal(t.st.v[ST_DEC_MALFORMED], 1);
	assert_int_equal(problems(&t.st), 1);

	/* PPP_SERIAL: HDLC-like PPP or Cisco HDLC, by the address byte. */
	assert_int_equal(RUN(&t, ppp_ip4, DLT_PPP_SERIAL), DEC_OK);
	assert_int_equal(problems(&t.st), 0);
	assert_ip4_udp(&t.pkt);
	assert_int_equal(RUN(&t, chdlc_ip6, DLT_PPP_SERIAL), DEC_OK);
	assert_int_equal(problems(&t.st), 0);
	assert_ip6_syn(&t.pkt);

	assert_int_equal(RUN(&t, chdlc_ip6, DLT_C_HDLC), DEC_OK);
	assert_int_equal(problems(&t.st), 0);
	assert_ip6_syn(&t.pkt);
	assert_ptr_equal(t.pkt.l3, &chdlc_ip6[4]);
	assert_int_equal(RUN(&t, chdlc_slarp, DLT_C_HDLC), DEC_NOT_IP);
	assert_int_equal(t.st.v[ST_DEC_NOT_IP], 1);
	assert_int_equal(problems(&t.st), 1);

	assert_true(dec_dlt_supported(DLT_PPP));
	assert_true(dec_dlt_supported(DLT_PPP_SERIAL));
	assert_true(dec_dlt_supported(DLT_C_HDLC));
}

static const struct good {
	const uint8_t	*f;
	size_t		 len;
	int		 dlt;
} goods[] = {
#define G(f, dlt)	{ f, sizeof(f), dlt }
	G(eth_ip4_tcp, DLT_EN10MB), G(eth_ip4_opts, DLT_EN10MB),
	G(eth_ip4_padded, DLT_EN10MB), G(eth_qinq, DLT_EN10MB),
	G(eth_3vlan, DLT_EN10MB), G(sll_ip4, DLT_LINUX_SLL),
	G(sll2_ip6, DLT_LINUX_SLL2), G(raw_ip4, DLT_RAW),
	G(raw_ip6, DLT_IPV6), G(null_le_ip4, DLT_NULL),
	G(null_be_ip6, DLT_LOOP), G(eth_ip6_ext_udp, DLT_EN10MB),
	G(raw_ip6_ah_tcp, DLT_RAW), G(raw_ip6_frag, DLT_RAW),
	G(raw_ip6_frag1, DLT_RAW), G(raw_ip4_frag, DLT_RAW),
	G(raw_ip4_icmp, DLT_RAW), G(raw_ip6_icmp6, DLT_RAW),
	G(eth_gre_ip4, DLT_EN10MB), G(eth_gre_ck_ip4, DLT_EN10MB),
	G(eth_erspan2, DLT_EN10MB), G(eth_erspan1, DLT_EN10MB),
	G(eth_erspan3, DLT_EN10MB), G(eth_erspan3_noo, DLT_EN10MB),
	G(eth_vxlan, DLT_EN10MB), G(raw_ipip5, DLT_RAW),
	G(raw_6in4, DLT_RAW), G(eth_arp, DLT_EN10MB),
	G(raw_ip4_frag1_ipip, DLT_RAW), G(eth_mpls_ip4, DLT_EN10MB),
	G(eth_vlan_mpls_ip6, DLT_EN10MB), G(sll_mpls_ip4, DLT_LINUX_SLL),
	G(eth_mpls_pw, DLT_EN10MB), G(eth_mpls_ach, DLT_EN10MB),
	G(eth_pppoe_ip4, DLT_EN10MB), G(eth_pppoe_ip6, DLT_EN10MB),
	G(eth_pppoe_lcp, DLT_EN10MB), G(eth_pppoe_padi, DLT_EN10MB),
	G(eth_geneve, DLT_EN10MB), G(raw_geneve_ip6, DLT_RAW),
	G(raw_gtpu_ext, DLT_RAW), G(eth_gtpu_ip6, DLT_EN10MB),
	G(ppp_ip4, DLT_PPP), G(ppp_pfc_ip4, DLT_PPP), G(ppp_ip6, DLT_PPP),
	G(ppp_lcp, DLT_PPP), G(ppp_ip4, DLT_PPP_SERIAL),
	G(chdlc_ip6, DLT_PPP_SERIAL), G(chdlc_ip6, DLT_C_HDLC),
	G(chdlc_slarp, DLT_C_HDLC),
#undef G
};

/*
 * Every prefix of one frame, from an exact-size heap copy, once as a
 * snaplen cut (wire length = full frame) and once as a whole frame.  A
 * failed decode counts exactly one problem; a short whole frame that
 * still decodes counts at least one (a lying length or a cut header);
 * only cutting Ethernet padding away is silent.
 */
static void
check_prefixes(const uint8_t *f, size_t len, int dlt)
{
	struct tctx t;
	enum dec_status s;
	uint8_t *buf;
	size_t n, wire;
	int pass;

	for (n = 0; n < len; n++) {
		for (pass = 0; pass < 2; pass++) {
			buf = malloc(n > 0 ? n : 1);
			assert_non_null(buf);
			memcpy(buf, f, n);
			wire = pass ? n : len;
			s = run_wire(&t, buf, n, dlt, (uint32_t)wire);
			if (s != DEC_OK)
				assert_int_equal(problems(&t.st), 1);
			/* A whole frame that is short must say so. */
			if (pass == 1 && s == DEC_OK &&
			    !(f == eth_ip4_padded && n >= 44))
				assert_true(problems(&t.st) > 0);
			if (s == DEC_OK)
				assert_true(t.pkt.payload_len <= n);
			free(buf);
		}
	}
}

/* check_prefixes() over every good frame and the built limit cases. */
static void
test_truncated_prefixes(void **state)
{
	uint8_t buf[256];
	size_t i, len;

	(void)state;
	for (i = 0; i < sizeof(goods) / sizeof(goods[0]); i++)
		check_prefixes(goods[i].f, goods[i].len, goods[i].dlt);
	len = build_mpls(buf, DEC_MAX_MPLS + 1);
	check_prefixes(buf, len, DLT_EN10MB);
	len = build_pw(buf, DEC_MAX_DEPTH + 1, false);
	check_prefixes(buf, len, DLT_EN10MB);
	len = build_pw(buf, DEC_MAX_DEPTH, true);
	check_prefixes(buf, len, DLT_RAW);
	len = build_gtp_ext(buf, DEC_MAX_GTP_EXT + 1);
	check_prefixes(buf, len, DLT_RAW);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_eth_ip4_tcp),
		cmocka_unit_test(test_ip4_options),
		cmocka_unit_test(test_eth_padding),
		cmocka_unit_test(test_vlans),
		cmocka_unit_test(test_not_ip),
		cmocka_unit_test(test_sll),
		cmocka_unit_test(test_raw),
		cmocka_unit_test(test_null_loop),
		cmocka_unit_test(test_ip6_ext),
		cmocka_unit_test(test_ip6_max_ext),
		cmocka_unit_test(test_fragments),
		cmocka_unit_test(test_icmp),
		cmocka_unit_test(test_gre),
		cmocka_unit_test(test_erspan),
		cmocka_unit_test(test_vxlan),
		cmocka_unit_test(test_ipip_depth),
		cmocka_unit_test(test_ip_len_lies),
		cmocka_unit_test(test_tcp_bad_offset),
		cmocka_unit_test(test_unknown_dlt),
		cmocka_unit_test(test_mpls),
		cmocka_unit_test(test_mpls_pw_depth),
		cmocka_unit_test(test_pppoe),
		cmocka_unit_test(test_geneve),
		cmocka_unit_test(test_gtpu),
		cmocka_unit_test(test_ppp),
		cmocka_unit_test(test_truncated_prefixes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
