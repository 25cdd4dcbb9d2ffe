/*
 * decode.h - link, IP, tunnel and L4 decoders.
 *
 * dec_frame() turns one captured frame into a struct packet.  It never
 * copies packet bytes and never allocates; every read goes through
 * cursor.h.  The outcome is an enum dec_status, and each reason a frame
 * could not be fully decoded bumps its own counter in struct stats
 * (ST_DEC_*), so malformed input is counted, never logged, never fatal.
 */
#ifndef DECODE_H
#define DECODE_H

#include <stddef.h>
#include <stdint.h>

#include "packet.h"
#include "stats.h"

enum dec_status {
	DEC_OK,			/* IP found; pkt filled (l4_ok says if ports are) */
	DEC_TRUNCATED,		/* a header ran past the captured bytes */
	DEC_MALFORMED,		/* a field that cannot be right */
	DEC_UNSUPPORTED,	/* link type or protocol we do not decode */
	DEC_NOT_IP,		/* a valid frame that carries no IP */
};

/*
 * Decodes a frame of link type dlt (a DLT_* value from pcap) into pkt.
 * frame/caplen are borrowed for the call; pkt's pointers point into frame.
 * pkt must be zeroed by the caller except ts_us and wire_len.  st gets
 * one ST_DEC_* counter per problem found.  A truncated L4 header still
 * returns DEC_OK with l4_ok false, so the flow is counted by address.
 */
enum dec_status	dec_frame(const uint8_t *frame, size_t caplen, int dlt,
		    struct packet *pkt, struct stats *st);

/* True when dlt is a link type dec_frame() understands. */
int		dec_dlt_supported(int dlt);

#endif /* DECODE_H */
