/*
 * mkflows.c - benchmark captures: many concurrent flows, or a few bulk ones.
 *
 * usage: mkflows many OUT.pcap [FLOWS]
 *        mkflows bulk OUT.pcap [FLOWS [PACKETS]]
 *
 * many (default 1,000,000 flows, 6 packets each): every flow opens in the
 * first 100 s (SYN, SYN-ACK, then the client's first bytes) and closes
 * in the next 100 s (the server's answer, FIN each way), so at 100 s all
 * of them are open at once: the flow table must hold FLOWS flows.  A
 * quarter each of HTTP on 80, a TLS 1.2 ClientHello with SNI on 443,
 * an SSH banner exchange on 22 and opaque bytes on high ports, from 4,096
 * hosts in 10.20.0.0/20 to 198.51.100.0/24 and 203.0.113.0/24.
 *
 * bulk (default 6 flows, 1,000,000 packets): HTTP downloads, interleaved;
 * after the request and response headers every server packet carries
 * 1,460 bytes and the client ACKs every second one.
 *
 * Deterministic (fixed seed); used by tools/bench.sh.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pcapw.h"

#define T0	1767225600ULL	/* 2026-01-01 00:00:00 UTC */
#define PHASE_S	100		/* opening phase, then closing phase */
#define MSS	1460

static FILE *out;
static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static uint32_t
rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng >> 16);
}

struct conn {
	uint32_t c, s;		/* client, server address */
	uint16_t cp, sp;
	uint32_t cseq, sseq;	/* next sequence number per side */
};

static void
c_send(struct conn *k, uint64_t t, uint8_t fl, const void *d, size_t n)
{
	pcapw_frame(out, t, 6, k->c, k->cp, k->s, k->sp, k->cseq,
	    fl == 0x02 ? 0 : k->sseq, fl, d, n);
	k->cseq += (uint32_t)n + ((fl & 0x03) != 0);
}

static void
s_send(struct conn *k, uint64_t t, uint8_t fl, const void *d, size_t n)
{
	pcapw_frame(out, t, 6, k->s, k->sp, k->c, k->cp, k->sseq, k->cseq,
	    fl, d, n);
	k->sseq += (uint32_t)n + ((fl & 0x03) != 0);
}

/* A TLS 1.2 ClientHello with one cipher suite and an SNI for host. */
static size_t
client_hello(uint8_t *b, const char *host)
{
	size_t hl = strlen(host), ext = 9 + hl, body = 2 + 32 + 1 + 4 + 2 +
	    2 + ext, i;
	uint8_t *p = b;

	*p++ = 0x16; *p++ = 3; *p++ = 1;
	pcapw_put16(p, (uint16_t)(4 + body)); p += 2;
	*p++ = 1; *p++ = 0;
	pcapw_put16(p, (uint16_t)body); p += 2;
	*p++ = 3; *p++ = 3;
	for (i = 0; i < 32; i++)
		*p++ = (uint8_t)rnd();
	*p++ = 0;				/* session id */
	pcapw_put16(p, 2); p += 2;
	pcapw_put16(p, 0xc02f); p += 2;		/* ECDHE-RSA-AES128-GCM */
	*p++ = 1; *p++ = 0;			/* null compression */
	pcapw_put16(p, (uint16_t)ext); p += 2;
	pcapw_put16(p, 0); p += 2;		/* server_name */
	pcapw_put16(p, (uint16_t)(5 + hl)); p += 2;
	pcapw_put16(p, (uint16_t)(3 + hl)); p += 2;
	*p++ = 0;
	pcapw_put16(p, (uint16_t)hl); p += 2;
	memcpy(p, host, hl);
	return (size_t)(p + hl - b);
}

/* The first client and server bytes of flow i's kind. */
static void
payloads(long i, uint8_t *cb, size_t *cn, uint8_t *sb, size_t *sn,
    uint16_t *port)
{
	char host[64];
	size_t k;

	snprintf(host, sizeof(host), "api%ld.example.com", i % 997);
	switch (i % 4) {
	case 0:
		*port = 80;
		*cn = (size_t)snprintf((char *)cb, 512, "GET /v1/item/%ld "
		    "HTTP/1.1\r\nHost: %s\r\nUser-Agent: curl/7.88.1\r\n"
		    "Accept: */*\r\n\r\n", i, host);
		*sn = (size_t)snprintf((char *)sb, 512, "HTTP/1.1 200 OK\r\n"
		    "Content-Type: application/json\r\nContent-Length: 2"
		    "\r\n\r\n{}");
		break;
	case 1:
		*port = 443;
		*cn = client_hello(cb, host);
		/* ServerHello: no session id, the one suite, no extensions */
		*sn = 5 + 4 + 38;
		memcpy(sb, "\x16\x03\x03\x00\x2a\x02\x00\x00\x26\x03\x03", 11);
		for (k = 11; k < 43; k++)
			sb[k] = (uint8_t)rnd();
		memcpy(sb + 43, "\x00\xc0\x2f\x00", 4);
		break;
	case 2:
		*port = 22;
		*cn = (size_t)snprintf((char *)cb, 512,
		    "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n");
		*sn = (size_t)snprintf((char *)sb, 512,
		    "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n");
		break;
	default:
		*port = (uint16_t)(10000 + rnd() % 50000);
		*cn = 64 + rnd() % 400;
		*sn = 64 + rnd() % 400;
		for (k = 0; k < *cn; k++)
			cb[k] = (uint8_t)rnd();
		for (k = 0; k < *sn; k++)
			sb[k] = (uint8_t)rnd();
	}
}

static struct conn
conn_of(long i, uint16_t sport)
{
	struct conn k;

	k.c = 0x0a140000u | (uint32_t)(i % 4096);
	k.cp = (uint16_t)(1024 + (i / 4096) % 64000);
	k.s = ((rnd() & 1) ? 0xc6336400u : 0xcb007100u) | (rnd() % 254 + 1);
	k.sp = sport;
	k.cseq = rnd();
	k.sseq = rnd();
	return k;
}

/* Two passes over the same seed: opening phase, then closing phase. */
static void
many(long n)
{
	static uint8_t cb[512], sb[512];
	uint64_t base = T0 * 1000000ULL, step = PHASE_S * 1000000ULL /
	    (uint64_t)n, t;
	uint64_t seed = rng;
	struct conn k;
	size_t cn, sn;
	uint16_t port;
	long i;
	int pass;

	for (pass = 0; pass < 2; pass++) {
		rng = seed;
		for (i = 0; i < n; i++) {
			t = base + (uint64_t)i * step +
			    (uint64_t)pass * (PHASE_S + 10) * 1000000ULL;
			payloads(i, cb, &cn, sb, &sn, &port);
			k = conn_of(i, port);
			if (pass == 0) {
				c_send(&k, t, 0x02, "", 0);
				s_send(&k, t + 300, 0x12, "", 0);
				c_send(&k, t + 400, 0x18, cb, cn);
				continue;
			}
			k.cseq += 1 + (uint32_t)cn;
			k.sseq += 1;
			s_send(&k, t, 0x18, sb, sn);
			c_send(&k, t + 200, 0x11, "", 0);
			s_send(&k, t + 400, 0x11, "", 0);
		}
	}
}

static void
bulk(long nflows, long npkts)
{
	static uint8_t data[MSS];
	struct conn k[64];
	uint64_t t = T0 * 1000000ULL;
	long i, sent = 0, j;
	char req[256];
	size_t n;

	if (nflows > 64)
		nflows = 64;
	for (j = 0; j < MSS; j++)
		data[j] = (uint8_t)rnd();
	for (i = 0; i < nflows; i++) {
		k[i] = conn_of(i, 80);
		c_send(&k[i], t, 0x02, "", 0);
		s_send(&k[i], t + 300, 0x12, "", 0);
		c_send(&k[i], t + 400, 0x10, "", 0);
		n = (size_t)snprintf(req, sizeof(req), "GET /datasets/shard-%ld"
		    ".tar HTTP/1.1\r\nHost: mirror.example.com\r\n\r\n", i);
		c_send(&k[i], t + 500, 0x18, req, n);
		n = (size_t)snprintf(req, sizeof(req), "HTTP/1.1 200 OK\r\n"
		    "Content-Type: application/x-tar\r\nContent-Length: %ld"
		    "\r\n\r\n", npkts * MSS);
		s_send(&k[i], t + 800, 0x18, req, n);
		sent += 5;
		t += 1000;
	}
	for (j = 0; sent < npkts; j++) {
		i = j % nflows;
		s_send(&k[i], t, 0x10, data, MSS);
		sent++;
		if ((j / nflows) % 2 == 1) {
			c_send(&k[i], t + 1, 0x10, "", 0);
			sent++;
		}
		t += 10;
	}
	for (i = 0; i < nflows; i++) {
		c_send(&k[i], t, 0x11, "", 0);
		s_send(&k[i], t + 300, 0x11, "", 0);
		t += 1000;
	}
}

int
main(int argc, char **argv)
{
	long a = -1, b = -1;

	if (argc < 3 || argc > 5 || (strcmp(argv[1], "many") != 0 &&
	    strcmp(argv[1], "bulk") != 0)) {
		fprintf(stderr, "usage: mkflows many OUT.pcap [FLOWS]\n"
		    "       mkflows bulk OUT.pcap [FLOWS [PACKETS]]\n");
		return 2;
	}
	if (argc > 3)
		a = strtol(argv[3], NULL, 10);
	if (argc > 4)
		b = strtol(argv[4], NULL, 10);
	if ((out = fopen(argv[2], "wb")) == NULL) {
		perror(argv[2]);
		return 1;
	}
	pcapw_header(out);
	if (argv[1][0] == 'm')
		many(a > 0 ? a : 1000000);
	else
		bulk(a > 0 ? a : 6, b > 0 ? b : 1000000);
	if (fclose(out) != 0) {
		perror(argv[2]);
		return 1;
	}
	return 0;
}
