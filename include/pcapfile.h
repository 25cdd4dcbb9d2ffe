/*
 * pcapfile.h - classic pcap files read in place: the file is mmap(2)ed
 * and each packet handed out as a pointer into the mapping (no read(2)
 * copy, no stdio copy, no copy into a packet buffer).
 *
 * Only the record layer is ours: the file header has already been
 * checked by libpcap (capture.c opens every file with it first, so open
 * errors stay libpcap's), which also gives the link type and the
 * snapshot length.  Reads the 4 usual magics (micro- or nanosecond
 * timestamps, either byte order) and every version libpcap accepts;
 * anything else (Kuznetzov's patched format, a pipe, an empty file)
 * is left to libpcap.  Records behave as libpcap 1.10's sf-pcap.c reads
 * them, messages included: a cut header or packet, a captured length
 * beyond the link type's maximum, a captured length beyond the snapshot
 * length (the packet is cut to it).  Every read is bounds-checked
 * through cursor.h.  Never allocates after open.
 */
#ifndef PCAPFILE_H
#define PCAPFILE_H

#include <stddef.h>
#include <stdint.h>

struct pcapfile;

struct pcapfile_pkt {
	uint64_t	 ts_us;		/* microseconds, as libpcap's timeval */
	uint32_t	 caplen;	/* <= the snapshot length */
	uint32_t	 wirelen;
	const uint8_t	*data;		/* into the mapping; caplen bytes */
};

/*
 * Maps the classic pcap file open on fd (borrowed; it may be closed
 * after this call).  snapshot is libpcap's pcap_snapshot() for it,
 * max_caplen the most a record may claim for its link type.  NULL when
 * the file is not one we read in place: the caller reads it otherwise.
 */
struct pcapfile	*pcapfile_open(int fd, uint32_t snapshot, uint32_t max_caplen);
/* The same over bytes the caller keeps (tests, fuzzing); NULL as above. */
struct pcapfile	*pcapfile_open_mem(const uint8_t *buf, size_t len,
		    uint32_t snapshot, uint32_t max_caplen);
/* The next packet: 1, 0 at the end of the file, -1 with err set. */
int		 pcapfile_next(struct pcapfile *r, struct pcapfile_pkt *p,
		    char *err, size_t errlen);
/* Bytes of the file consumed so far. */
uint64_t	 pcapfile_pos(const struct pcapfile *r);
void		 pcapfile_close(struct pcapfile *r);	/* NULL ok */

#endif /* PCAPFILE_H */
