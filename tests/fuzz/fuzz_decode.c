/*
 * fuzz_decode.c - libFuzzer target for the whole packet path: decode,
 * flow table, nDPI, our dissectors, detectors, rules and the JSON writer.
 *
 * The input is a list of frames, each a 2-byte big-endian length and that
 * many bytes, handed to sensor_packet() as Ethernet frames 10 ms apart,
 * so flows build up across frames; then every flow is flushed.  Output
 * goes nowhere (no sinks); only crashes and sanitizer reports count.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "cfg.h"
#include "log.h"
#include "sensor.h"

#define DLT_EN10MB	1

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* nDPI's set-up is slow: one sensor for every input, flushed after each. */
	static struct sensor s;
	static bool ready;
	struct cfg *c;
	size_t off = 0, n;
	uint64_t ts = 1767225600000000ULL;

	if (!ready) {
		c = cfg_load_string("flow: {capacity: 64}\n", 20, "fuzz");
		if (c == NULL || sensor_init(&s, c, "fuzz") == -1)
			abort();
		ready = true;
	}
	while (size - off >= 2) {
		n = (size_t)data[off] << 8 | data[off + 1];
		off += 2;
		if (n > size - off)
			n = size - off;
		sensor_packet(&s, DLT_EN10MB, ts, (uint32_t)n, (uint32_t)n,
		    data + off);
		off += n;
		ts += 10000;
	}
	sensor_finish(&s, FE_EOF);
	return 0;
}
