/*
 * det_ssh.h - the reverse-SSH detectors: reverse_ssh, ssh_remote_forward,
 * ssh_long_lived (and repeated reconnection), from the encrypted part of
 * an SSH session: record sizes, directions and timing.
 *
 * The sensor calls det_ssh_packet() for every TCP packet of a flow whose
 * payload our SSH dissector claimed (f->app == APP_SSH), with the count
 * of new in-order payload bytes; the detector registry (detect.c) calls
 * the det_ssh_check_*() of its rows after it.
 */
#ifndef DET_SSH_H
#define DET_SSH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cfg.h"
#include "flow.h"
#include "json.h"
#include "packet.h"
#include "ssh_track.h"

struct det_ctx;
struct det_ssh;		/* cross-flow state (reconnections); owned by the sensor */

struct det_ssh	*det_ssh_new(void);
void		 det_ssh_free(struct det_ssh *d);	/* NULL ok */
/* Called once when a flow becomes SSH (app chosen). */
void		 det_ssh_track_init(struct ssh_track *t);
/* The flow was turned around: exchanges every per-direction member. */
void		 det_ssh_track_swap(struct ssh_track *t);
/* Per packet of an SSH flow; new_bytes = in-order payload bytes not seen before. */
void		 det_ssh_packet(struct det_ssh *d, const struct cfg *c,
		    struct flow *f, int dir, const struct packet *pkt,
		    size_t new_bytes);
/*
 * The registry rows' checks (detect.h): reverse_ssh, ssh_remote_forward
 * and ssh_long_lived hold for f now.  False for a flow that is not our
 * SSH; ssh_long_lived remembers its trigger in f.
 */
bool		 det_ssh_check_reverse(struct det_ctx *dc, const struct cfg *c,
		    struct flow *f, uint64_t now_us);
bool		 det_ssh_check_forward(struct det_ctx *dc, const struct cfg *c,
		    struct flow *f, uint64_t now_us);
bool		 det_ssh_check_long(struct det_ctx *dc, const struct cfg *c,
		    struct flow *f, uint64_t now_us);
uint8_t		 det_ssh_confidence(const struct flow *f, enum detector d);
/* Evidence members of verdict d (reverse_ssh, ssh_remote_forward, ssh_long_lived). */
void		 det_ssh_evidence(struct jbuf *j, const struct flow *f,
		    enum detector d);
/* Extra members inside the flow record's "ssh" object. */
void		 det_ssh_put_record(struct jbuf *j, const struct flow *f);

#endif /* DET_SSH_H */
