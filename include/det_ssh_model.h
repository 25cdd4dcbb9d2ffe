/*
 * det_ssh_model.h - the record model behind the reverse-SSH detectors
 * (sensor/det_ssh_model.c): keystroke/echo pairing, chaff cadence,
 * keepalive-like pairs, bursts and nested handshakes, all kept in the
 * flow's struct ssh_track.  Used by det_ssh.c only.
 */
#ifndef DET_SSH_MODEL_H
#define DET_SSH_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cfg_ssh.h"
#include "flow.h"

/*
 * Feeds one TCP packet of SSH flow f sent in direction dir at ts_us:
 * new_bytes in-order payload bytes not seen before, payload_len what
 * the packet carried (0 with new_bytes 0: a pure ACK; > 0 with
 * new_bytes 0: a retransmission).  Updates f->c->u->ssh.track and sets
 * rev_at / nested_at on the packet that makes them certain.
 */
void		 det_ssh_model_packet(const struct cfg_ssh *cs, struct flow *f,
		    int dir, uint64_t ts_us, size_t new_bytes,
		    uint32_t payload_len);
/* True when the records from dir look typed by a human (see .c). */
bool		 det_ssh_model_typing(const struct cfg_ssh *cs,
		    const struct ssh_track *t, int dir);
/* The direction that types, -1 when neither does. */
int		 det_ssh_model_typing_dir(const struct cfg_ssh *cs,
		    const struct ssh_track *t);
/* The SSH server's direction of travel (responder's when unknown). */
int		 det_ssh_model_server_dir(const struct flow *f);
/*
 * Payload bytes [*lo, *hi] one record of len wire bytes sent in direction
 * d carries under f's negotiated cipher and MAC; false when unknown or
 * len is no single record.
 */
bool		 det_ssh_model_payload(const struct flow *f, int d,
		    uint32_t len, unsigned *lo, unsigned *hi);
/* Packet time (us) of tick k of flow f; 0 for 0. */
uint64_t	 det_ssh_model_us(const struct flow *f, uint32_t k);

#endif /* DET_SSH_MODEL_H */
