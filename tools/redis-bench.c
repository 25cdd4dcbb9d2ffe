/*
 * redis-bench.c - sustained records/s from the writer thread into Redis.
 *
 *   redis-bench URL [N] [SPOOL_DIR]
 *
 * Pushes N (default 500000) copies of a real flow record (~1 KB line with
 * the usual 8 flat fields, each with its own timestamp) through the same
 * path the sensor uses: out_writer_push into the ring (file mode: waits
 * for room), the writer thread pipelining XADD batches, then
 * out_writer_close, which returns once every record is written.  Prints
 * records/s over that whole time and the counters; exits 1 unless every
 * record was written (redis_written = N, nothing spooled or dropped).
 * The flows stream is trimmed with MAXLEN ~ 100000 so Redis memory stays
 * bounded, as in production.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "log.h"
#include "out_writer.h"
#include "stats.h"

static const char line_fmt[] =
"{\"timestamp\":\"2026-11-27T19:17:29.%06u+0000\",\"flow_id\":%u,"
"\"event_type\":\"flow\",\"sensor\":\"bench\",\"host\":\"bench\","
"\"src_ip\":\"10.20.0.10\",\"src_port\":42602,\"dest_ip\":\"198.51.100.20\","
"\"dest_port\":443,\"proto\":\"TCP\",\"direction\":\"outbound\","
"\"app_proto\":\"tls\",\"community_id\":\"1:LbvnhlVaJ84Vym5lTA9/X9+ojD8=\","
"\"flow\":{\"pkts_toserver\":12,\"pkts_toclient\":11,\"bytes_toserver\":1158,"
"\"bytes_toclient\":7709,\"start\":\"2026-11-27T19:17:29.708842+0000\","
"\"end\":\"2026-11-27T19:17:29.873223+0000\",\"age\":0,\"duration\":0.164381,"
"\"state\":\"closed\",\"reason\":\"fin\",\"tcp_flags_ts\":\"1b\","
"\"tcp_flags_tc\":\"1b\"},\"ndpi\":{\"protocol\":\"TLS\",\"category\":\"Web\","
"\"confidence\":\"DPI\",\"risks\":[]},\"tls\":{\"sni\":\"pool.example.net\","
"\"ja3\":\"e7d705a3286e19ea42f587b344ee6865\"},\"verdicts\":[{\"detector\":"
"\"mining_pool_tls\",\"confidence\":0.80,\"first_seen\":"
"\"2026-11-27T19:17:29.873223+0000\",\"evidence\":{\"sni\":\"pool.example.net\","
"\"matched\":\"example.net\",\"source\":\"sni\"}}]}";

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int
main(int argc, char **argv)
{
	struct out_field flat[8] = {
		{ "src_ip", "10.20.0.10", 10 }, { "dest_ip", "198.51.100.20", 13 },
		{ "dest_port", "443", 3 }, { "app_proto", "tls", 3 },
		{ "direction", "outbound", 8 }, { "bytes", "8867", 4 },
		{ "verdicts", "mining_pool_tls", 15 },
		{ "community_id", "1:LbvnhlVaJ84Vym5lTA9/X9+ojD8=", 30 },
	};
	struct out_redis_opts ro = { .prefix = "bench", .sensor = "bench",
	    .version = "bench", .maxlen = { [REC_FLOW] = 100000 },
	    .timeout_ms = 5000 };
	struct out_writer_opts wo = { .ring_bytes = 64u << 20,
	    .wait_when_full = true, .spool_max_bytes = 1ull << 30 };
	struct out_writer *w;
	struct stats st;
	char line[2048];
	unsigned long n = 500000, i;
	uint64_t ts = 1800000000ull * 1000000;
	double t0, t1;
	int len = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: redis-bench URL [N] [SPOOL_DIR]\n");
		return 2;
	}
	log_init(0);
	ro.url = argv[1];
	if (argc > 2)
		n = strtoul(argv[2], NULL, 10);
	wo.redis = &ro;
	wo.spool_dir = argc > 3 ? argv[3] : NULL;
	if ((w = out_writer_open(&wo)) == NULL)
		return 1;
	t0 = now_s();
	for (i = 0; i < n; i++) {
		len = snprintf(line, sizeof(line), line_fmt,
		    (unsigned)(i % 1000000), (unsigned)i);
		out_writer_push(w, REC_FLOW, ts + i * 10, line, (size_t)len,
		    flat, 8);
	}
	memset(&st, 0, sizeof(st));
	out_writer_close(w, &st);
	t1 = now_s();
	printf("redis-bench: %lu records (%d bytes each) in %.3f s: "
	    "%.0f records/s (written %" PRIu64 ", spooled %" PRIu64
	    ", dropped %" PRIu64 ")\n", n, len, t1 - t0, (double)n / (t1 - t0),
	    st.v[ST_REDIS_WRITTEN], st.v[ST_REDIS_SPOOLED],
	    st.v[ST_REDIS_ERRORS]);
	return st.v[ST_REDIS_WRITTEN] == n ? 0 : 1;
}
