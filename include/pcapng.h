/*
 * pcapng.h - a pcapng reader of our own, for files whose interfaces have
 * different link types (libpcap 1.10 refuses those, and the sensor read
 * them as zero packets).
 *
 * Reads Section Header, Interface Description, Enhanced, Simple and
 * (obsolete) Packet blocks from a stdio stream, in either byte order and
 * any number of sections; every other block is skipped.  Each packet
 * comes with its interface's link type, as a pcap DLT value.  Blocks are
 * read whole into one buffer of at most PCAPNG_MAX_BLOCK bytes and parsed
 * through cursor.h; a larger, short or inconsistent block is an error
 * with the file offset in the message.  Never allocates after open.
 */
#ifndef PCAPNG_H
#define PCAPNG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define PCAPNG_MAX_BLOCK	(1u << 20)	/* bytes in one block */
#define PCAPNG_MAX_IF		64		/* interfaces per section */

struct pcapng;

struct pcapng_pkt {
	uint32_t	 section;	/* 0, 1...: interfaces restart in each */
	uint32_t	 ifidx;		/* interface in its section */
	int		 dlt;		/* the interface's link type (DLT_*) */
	uint64_t	 ts_us;		/* microseconds since the epoch */
	uint32_t	 caplen;
	uint32_t	 wirelen;
	const uint8_t	*data;		/* valid until the next pcapng_next */
};

/* True when the first 4 bytes of a file are a pcapng Section Header. */
bool		 pcapng_magic(const uint8_t first[4]);
/*
 * Starts reading fp (borrowed; the caller closes it) whose first 4 bytes,
 * already consumed, are first.  NULL with a message in err.
 */
struct pcapng	*pcapng_open(FILE *fp, const uint8_t first[4], char *err,
		    size_t errlen);
/* The next packet: 1, 0 at the end of the file, -1 with err set. */
int		 pcapng_next(struct pcapng *r, struct pcapng_pkt *p, char *err,
		    size_t errlen);
void		 pcapng_close(struct pcapng *r);	/* NULL ok */

#endif /* PCAPNG_H */
