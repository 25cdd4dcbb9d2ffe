/*
 * pcapw.h - a tiny classic-pcap writer for the capture generators
 * (mkflood.c, mkflows.c): Ethernet/IPv4/TCP or UDP frames with correct
 * checksums, little-endian pcap, microsecond timestamps.  Header-only
 * because each generator is one file built by make.
 */
#ifndef PCAPW_H
#define PCAPW_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PCAPW_MTU	1500

static inline void
pcapw_put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static inline void
pcapw_put32(uint8_t *p, uint32_t v)
{
	pcapw_put16(p, (uint16_t)(v >> 16));
	pcapw_put16(p + 2, (uint16_t)v);
}

static inline uint32_t
pcapw_sum16(const uint8_t *p, size_t n, uint32_t s)
{
	size_t i;

	for (i = 0; i + 1 < n; i += 2)
		s += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (n & 1)
		s += (uint32_t)(p[n - 1] << 8);
	return s;
}

static inline uint16_t
pcapw_fold(uint32_t s)
{
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

static inline void
pcapw_le32(FILE *out, uint32_t v)
{
	uint8_t b[4] = { (uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16),
	    (uint8_t)(v >> 24) };

	fwrite(b, 1, 4, out);
}

/* The file header: Ethernet, snaplen 65535. */
static inline void
pcapw_header(FILE *out)
{
	pcapw_le32(out, 0xa1b2c3d4);
	fwrite("\x02\x00\x04\x00", 1, 4, out);
	pcapw_le32(out, 0);
	pcapw_le32(out, 0);
	pcapw_le32(out, 65535);
	pcapw_le32(out, 1);
}

/*
 * One Ethernet/IPv4 frame at ts_us: TCP (proto 6, seq/ack/flags used) or
 * UDP (proto 17, seq/ack/flags ignored) carrying n bytes of data.
 */
static inline void
pcapw_frame(FILE *out, uint64_t ts_us, uint8_t proto, uint32_t src,
    uint16_t sp, uint32_t dst, uint16_t dp, uint32_t seq, uint32_t ack,
    uint8_t flags, const void *data, size_t n)
{
	static uint16_t ipid;
	uint8_t f[14 + 20 + 20 + PCAPW_MTU], ph[12];
	uint8_t *ip = f + 14, *l4 = f + 34;
	size_t l4h = proto == 6 ? 20 : 8, len = 34 + l4h + n;
	uint32_t s;

	if (n + 20 + l4h > PCAPW_MTU)
		abort();
	memset(f, 0, 34 + l4h);
	memcpy(f, "\x02\x00\x00\x00\x00\x02\x02\x00\x00\x00\x00\x01\x08\x00",
	    14);
	ip[0] = 0x45;
	pcapw_put16(ip + 2, (uint16_t)(20 + l4h + n));
	pcapw_put16(ip + 4, ipid++);
	ip[6] = 0x40;
	ip[8] = 64;
	ip[9] = proto;
	pcapw_put32(ip + 12, src);
	pcapw_put32(ip + 16, dst);
	pcapw_put16(ip + 10, pcapw_fold(pcapw_sum16(ip, 20, 0)));
	pcapw_put16(l4, sp);
	pcapw_put16(l4 + 2, dp);
	if (proto == 6) {
		pcapw_put32(l4 + 4, seq);
		pcapw_put32(l4 + 8, ack);
		l4[12] = 0x50;
		l4[13] = flags;
		pcapw_put16(l4 + 14, 64240);
	} else {
		pcapw_put16(l4 + 4, (uint16_t)(8 + n));
	}
	if (n > 0)
		memcpy(l4 + l4h, data, n);
	memcpy(ph, ip + 12, 8);
	ph[8] = 0;
	ph[9] = proto;
	pcapw_put16(ph + 10, (uint16_t)(l4h + n));
	s = pcapw_sum16(ph, 12, 0);
	pcapw_put16(l4 + (proto == 6 ? 16 : 6),
	    pcapw_fold(pcapw_sum16(l4, l4h + n, s)));
	pcapw_le32(out, (uint32_t)(ts_us / 1000000));
	pcapw_le32(out, (uint32_t)(ts_us % 1000000));
	pcapw_le32(out, (uint32_t)len);
	pcapw_le32(out, (uint32_t)len);
	fwrite(f, 1, len, out);
}

#endif /* PCAPW_H */
