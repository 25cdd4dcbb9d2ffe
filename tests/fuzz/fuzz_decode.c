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
#include <string.h>

#include "cfg.h"
#include "log.h"
#include "sensor.h"

#define DLT_EN10MB	1

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct sensor s;
	struct cfg *c;
	size_t off = 0, n;
	uint64_t ts = 1767225600000000ULL;

	if ((c = cfg_load_string("flow: {capacity: 64}\n", 20, "fuzz")) == NULL)
		return 0;
	if (sensor_init(&s, c, "fuzz") == -1) {
		sensor_fini(&s);
		return 0;
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
	sensor_fini(&s);
	return 0;
}
