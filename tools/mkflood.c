/*
 * mkflood.c - a SYN flood around a 20-minute Stratum session, as a pcap.
 *
 * usage: mkflood OUT.pcap [SYNS [BURSTS]]
 *
 * Writes a classic little-endian pcap (Ethernet, microseconds) with one
 * Stratum V1 session from 10.20.0.10:55716 to the pool 198.51.100.31:3333
 * (handshake, subscribe, authorize, then a job from the pool and a share
 * from the miner every 30 s for 20 minutes, FIN at the end) and SYNS
 * spoofed SYNs (default 600,000) from random 10.x addresses to
 * 203.0.113.0/24 on ports 22, 80, 443, 3389 and 8080, sent in BURSTS
 * bursts (default 3) of 10 s at 100 s, 500 s, 900 s...: each burst alone
 * is more flows than the default table holds, while the Stratum flow is
 * idle between two messages, so a least-recently-seen eviction throws it
 * out.  Deterministic (fixed seed), so tests can count what it makes.
 * No payload of the flood is ever answered.  Built by make (build/mkflood);
 * used by tests/cli/run.sh (flood case) and tools/bench.sh.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pcapw.h"

#define SESSION_S	1200	/* Stratum session length */
#define PERIOD_S	30	/* a job and a share this often */
#define BURST_S		10	/* a burst lasts this long */
#define T0		1767225600ULL	/* 2026-01-01 00:00:00 UTC */

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

/* One Ethernet/IPv4/TCP frame at ts_us. */
static void
frame(uint64_t ts_us, uint32_t src, uint16_t sp, uint32_t dst, uint16_t dp,
    uint32_t seq, uint32_t ack, uint8_t flags, const char *data, size_t n)
{
	pcapw_frame(out, ts_us, 6, src, sp, dst, dp, seq, ack, flags, data, n);
}

/* The Stratum TCP connection: seq numbers per side. */
static const uint32_t MINER = 0x0a14000a, POOL = 0xc633641f;
static uint32_t seq_c = 1000, seq_s = 5000;

static void
send_c(uint64_t t, const char *s)
{
	size_t n = strlen(s);

	frame(t, MINER, 55716, POOL, 3333, seq_c, seq_s, 0x18, s, n);
	seq_c += (uint32_t)n;
	frame(t + 40000, POOL, 3333, MINER, 55716, seq_s, seq_c, 0x10, "", 0);
}

static void
send_s(uint64_t t, const char *s)
{
	size_t n = strlen(s);

	frame(t, POOL, 3333, MINER, 55716, seq_s, seq_c, 0x18, s, n);
	seq_s += (uint32_t)n;
	frame(t + 200, MINER, 55716, POOL, 3333, seq_c, seq_s, 0x10, "", 0);
}

static void
session_start(uint64_t t)
{
	frame(t, MINER, 55716, POOL, 3333, seq_c++, 0, 0x02, "", 0);
	frame(t + 40000, POOL, 3333, MINER, 55716, seq_s++, seq_c, 0x12,
	    "", 0);
	frame(t + 40100, MINER, 55716, POOL, 3333, seq_c, seq_s, 0x10, "", 0);
	send_c(t + 50000, "{\"id\":1,\"method\":\"mining.subscribe\","
	    "\"params\":[\"cgminer/4.10.0\"]}\n");
	send_s(t + 100000, "{\"id\":1,\"result\":[[[\"mining.notify\","
	    "\"ae6812eb4cd7735a302a8a9dd95cf71f\"]],\"08000002\",4],"
	    "\"error\":null}\n{\"id\":null,\"method\":"
	    "\"mining.set_difficulty\",\"params\":[8192]}\n");
	send_c(t + 150000, "{\"id\":2,\"method\":\"mining.authorize\","
	    "\"params\":[\"bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq.rig11\","
	    "\"x\"]}\n");
	send_s(t + 200000, "{\"id\":2,\"result\":true,\"error\":null}\n");
}

/* Round i at t: a job from the pool, a share 1 s later, its result. */
static void
session_round(uint64_t t, int i)
{
	char buf[512];

	snprintf(buf, sizeof(buf), "{\"id\":null,\"method\":\"mining.notify\","
	    "\"params\":[\"%x\",\"%08x%08x%08x%08x\",\"01000000010000\","
	    "\"ffffffff\",[],\"20000000\",\"1d00ffff\",\"65a1b2c3\",true]}\n",
	    0x4f1 + i, rnd(), rnd(), rnd(), rnd());
	send_s(t, buf);
	snprintf(buf, sizeof(buf), "{\"id\":%d,\"method\":\"mining.submit\","
	    "\"params\":[\"bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq.rig11\","
	    "\"%x\",\"%08x\",\"65a1b2c3\",\"%08x\"]}\n", i + 3, 0x4f1 + i,
	    rnd(), rnd());
	send_c(t + 1000000, buf);
	snprintf(buf, sizeof(buf), "{\"id\":%d,\"result\":true,"
	    "\"error\":null}\n", i + 3);
	send_s(t + 1040000, buf);
}

static void
burst(uint64_t t, long n)
{
	static const uint16_t ports[] = { 22, 80, 443, 3389, 8080 };
	long i;

	for (i = 0; i < n; i++) {
		uint32_t src = 0x0a000000 | (rnd() & 0xffffff);
		uint32_t dst = 0xcb007100 | (rnd() & 0xff);

		frame(t + (uint64_t)i * BURST_S * 1000000 / (uint64_t)n, src,
		    (uint16_t)(1024 + rnd() % 64000), dst, ports[rnd() % 5],
		    rnd(), 0, 0x02, "", 0);
	}
}

int
main(int argc, char **argv)
{
	long syns = 600000, bursts = 3, done = 0, b = 0;
	uint64_t t0 = T0 * 1000000ULL, bt;
	int round;

	if (argc < 2 || argc > 4) {
		fprintf(stderr, "usage: mkflood OUT.pcap [SYNS [BURSTS]]\n");
		return 2;
	}
	if (argc > 2)
		syns = strtol(argv[2], NULL, 10);
	if (argc > 3)
		bursts = strtol(argv[3], NULL, 10);
	if (syns < 0 || bursts < 1 || bursts > SESSION_S / 400 + 1)
		return 2;
	if ((out = fopen(argv[1], "wb")) == NULL) {
		perror(argv[1]);
		return 1;
	}
	pcapw_header(out);
	session_start(t0);
	for (round = 0; round * PERIOD_S < SESSION_S; round++) {
		uint64_t t = t0 + (uint64_t)(round * PERIOD_S + 5) * 1000000;

		session_round(t, round);
		/* A burst in the quiet gap after rounds at 95 s, 495 s... */
		bt = (uint64_t)(100 + 400 * b) * 1000000;
		if (b < bursts && t - t0 + 2000000 < bt &&
		    t - t0 + PERIOD_S * 1000000 > bt) {
			long n = (syns - done) / (bursts - b);

			burst(t0 + bt, n);
			done += n;
			b++;
		}
	}
	t0 += (uint64_t)SESSION_S * 1000000 + 1000000;
	frame(t0, MINER, 55716, POOL, 3333, seq_c, seq_s, 0x11, "", 0);
	frame(t0 + 40000, POOL, 3333, MINER, 55716, seq_s, seq_c + 1, 0x11,
	    "", 0);
	frame(t0 + 40100, MINER, 55716, POOL, 3333, seq_c + 1, seq_s + 1,
	    0x10, "", 0);
	if (fclose(out) != 0) {
		perror(argv[1]);
		return 1;
	}
	return 0;
}
