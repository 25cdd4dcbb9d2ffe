/*
 * frag.h - which flow a non-first IP fragment belongs to.
 *
 * Fragments are not reassembled: the first fragment carries the ports,
 * later ones only the IP ID.  A small fixed table remembers (addresses,
 * protocol, ID) -> ports from first fragments, so later fragments are
 * counted to the same flow.  When the first fragment was not seen (or
 * was overwritten), the fragment keeps ports 0 and forms its own flow by
 * address pair.  Bounded, no allocation after frag_table_new().
 */
#ifndef FRAG_H
#define FRAG_H

#include <stddef.h>

#include "packet.h"

#define FRAG_TABLE_SLOTS	4096	/* fragment trains remembered */
#define FRAG_TTL_US		30000000ULL	/* packet time a train is kept */

struct frag_table;

struct frag_table *frag_table_new(void);
void		 frag_table_free(struct frag_table *ft);	/* NULL ok */
/*
 * First fragments are remembered; a later fragment of a remembered train
 * gets its ports (pkt->sport/dport, l4_ok) filled in and true is
 * returned.  Other packets are left alone.
 */
bool		 frag_track(struct frag_table *ft, struct packet *pkt);

#endif /* FRAG_H */
