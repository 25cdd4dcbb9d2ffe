/*
 * orient.h - who started a flow, when the capture did not see it start.
 *
 * A TCP flow whose first captured packet is the client's SYN needs
 * nothing from here.  Any other flow is created with the first packet's
 * sender as initiator and then oriented from the evidence there is, best
 * first: a SYN-ACK's sender is the server; the SSH key exchange (the
 * side that sends the client KEX message: ECDH/DH init or a GEX request,
 * never banner order, which races); a TLS ServerHello, an HTTP response
 * or a DNS response comes from the server; else the lower well-known or
 * registered port is the server (unless both ports are ephemeral-range);
 * else the first packet's sender stays.  When the evidence contradicts
 * the current orientation the flow is swapped whole: addresses, ports,
 * per-direction counters and TCP state, the dissectors' per-direction
 * state and the stash.  nDPI needs nothing: it orders by packet content
 * and ports itself.  While a TCP flow's orientation may still change,
 * verdicts wait (orient_pending), so nothing is raised against the
 * wrong side; the orientation is settled at the latest when the first
 * record is written.  UDP flows are decided on their first datagram
 * (a DNS response or the port rule), other protocols never change.
 */
#ifndef ORIENT_H
#define ORIENT_H

#include <stdbool.h>

#include "flow.h"
#include "packet.h"

#define ORIENT_WAIT_PKTS	24	/* packets a TCP flow may stay undecided */

/*
 * A flow was just created from pkt: decides what its first packet
 * allows (SYN, SYN-ACK, DNS response, ports); may swap f and flip *dir.
 */
void		 orient_created(struct flow *f, const struct packet *pkt,
		    int *dir);
/*
 * Before pkt (direction *dir) is counted or dissected: content evidence
 * (TLS ServerHello, HTTP response) from an undecided flow.  True when f
 * was swapped (*dir flipped; the caller recomputes what depends on the
 * orientation, such as the network direction).
 */
bool		 orient_packet(struct flow *f, const struct packet *pkt,
		    int *dir);
/* After SSH dissection: the KEX roles. True when f was swapped. */
bool		 orient_ssh(struct flow *f);
/* Verdicts wait while this is true. */
bool		 orient_pending(const struct flow *f);
/* No more changes (a record is about to be written). */
void		 orient_settle(struct flow *f);
/* "syn_ack", "ssh_banner", ...; NULL when a SYN decided (no field). */
const char	*orient_reason_name(const struct flow *f);

#endif /* ORIENT_H */
