/*
 * pcapfile.h - classic pcap records read by us: the file is read with
 * pread(2) into one reused buffer and each packet handed out as a
 * pointer into it (the kernel's copy only: no stdio buffer, no copy into
 * libpcap's packet buffer).  mmap(2) was tried first and measured
 * slower on the project's VM: the first touch of each mapped 4 KiB page
 * cost ~2.6 us (shadow paging), more than the copies it saves.
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
	const uint8_t	*data;		/* caplen bytes, until the next call */
};

/*
 * Reads the classic pcap file open on fd (borrowed: open until
 * pcapfile_close; read by offset, its position is not used), a regular
 * file.  snapshot is libpcap's pcap_snapshot() for it,
 * max_caplen the most a record may claim for its link type.  NULL when
 * the file is not one we read: the caller reads it otherwise.
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
