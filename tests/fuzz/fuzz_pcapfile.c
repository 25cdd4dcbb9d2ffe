/*
 * fuzz_pcapfile.c - libFuzzer target for the classic pcap record reader
 * (sensor/pcapfile.c) over a whole file in memory.
 *
 * The snapshot length comes from the input's header field (0 or more
 * than 262144: 262144, as libpcap adjusts it).  Every packet handed out
 * must lie inside the input, be no longer than the snapshot length, and
 * the read offset must only grow; a breach aborts.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "pcapfile.h"

#define MAXCAP	262144u

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pcapfile_pkt p;
	struct pcapfile *r;
	uint32_t snap = 0;
	uint64_t pos = 0;
	char err[256];
	int rc;

	if (size >= 20)
		snap = (uint32_t)data[16] | (uint32_t)data[17] << 8 |
		    (uint32_t)data[18] << 16 | (uint32_t)data[19] << 24;
	if (snap == 0 || snap > MAXCAP)
		snap = MAXCAP;
	if ((r = pcapfile_open_mem(data, size, snap, MAXCAP)) == NULL)
		return 0;
	while ((rc = pcapfile_next(r, &p, err, sizeof(err))) == 1) {
		if (p.data < data || p.caplen > snap ||
		    (size_t)(p.data - data) > size ||
		    p.caplen > size - (size_t)(p.data - data) ||
		    pcapfile_pos(r) <= pos || pcapfile_pos(r) > size)
			abort();
		pos = pcapfile_pos(r);
	}
	pcapfile_close(r);
	return 0;
}
