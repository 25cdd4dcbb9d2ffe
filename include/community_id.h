/*
 * community_id.h - Community ID v1 flow hashes (corelight community-id
 * spec): the same 5-tuple gives the same "1:<base64 SHA-1>" string in
 * Zeek, Suricata, Arkime and here, so an analyst can join our records
 * with theirs.
 */
#ifndef COMMUNITY_ID_H
#define COMMUNITY_ID_H

#include <stddef.h>
#include <stdint.h>

#include "flow.h"
#include "packet.h"

#define COMMUNITY_ID_LEN	31	/* "1:" + 28 base64 chars + NUL */

/* Initialises the hash library once; 0 or -1 (logged). */
int	community_id_init(void);

/*
 * Writes the v1 ID of a flow into out (cap >= COMMUNITY_ID_LEN).  Ports
 * are host order; for ICMP and ICMPv6 pass the type as sport and the
 * code as dport (the spec's port equivalents are applied here).  Other
 * protocols than TCP, UDP, SCTP and ICMP hash without ports.  Returns 0,
 * or -1 when cap is too small.
 */
int	community_id_v1(char *out, size_t cap, uint16_t seed,
	    const struct ip_addr *src, const struct ip_addr *dst,
	    uint8_t proto, uint16_t sport, uint16_t dport);

/* The v1 ID (seed 0) of flow f, as in its records; out as above. */
int	community_id_flow(const struct flow *f, char *out, size_t cap);

#endif /* COMMUNITY_ID_H */
