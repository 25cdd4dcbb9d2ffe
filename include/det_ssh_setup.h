/*
 * det_ssh_setup.h - the SSH messages that follow authentication, told
 * apart by their exact sealed sizes and their order (sensor/
 * det_ssh_setup.c): the -R set-up (tcpip-forward answered by
 * REQUEST_SUCCESS) against the ordinary session start (CHANNEL_OPEN
 * "session", no-more-sessions, CHANNEL_OPEN_CONFIRMATION), and OpenSSH's
 * host-key update (hostkeys-00 / hostkeys-prove-00).  Used by
 * det_ssh_model.c and det_ssh.c only.
 */
#ifndef DET_SSH_SETUP_H
#define DET_SSH_SETUP_H

#include <stdbool.h>
#include <stdint.h>

#include "cfg_ssh.h"
#include "flow.h"
#include "ssh.h"
#include "ssh_track.h"

/* SSH payload sizes (bytes) of the messages the set-up rules name. */
enum {
	DSS_P_USERAUTH_SUCCESS = 1,		/* code */
	DSS_P_REQUEST_SUCCESS = 1,		/* code */
	DSS_P_REQUEST_SUCCESS_PORT = 5,		/* code, allocated port */
	DSS_P_CHANNEL_SUCCESS = 5,		/* code, channel */
	DSS_P_OPEN_CONFIRMATION = 17,		/* code, 4 x uint32 */
	DSS_P_OPEN_SESSION = 24,		/* code, "session", 3 x uint32 */
	DSS_P_NO_MORE_SESSIONS = 34,		/* code, name, want-reply 0 */
	DSS_P_TCPIP_FORWARD = 27,		/* ... plus the bind address */
	DSS_P_HOSTKEYS = 29,			/* ... plus 4 + blob per key */
	DSS_P_HOSTKEYS_PROVE = 35,		/* ... plus 4 + blob per key */
	DSS_P_IGNORE_EMPTY = 5,			/* code, empty string */
	DSS_P_CONTROL_MAX = 24,			/* larger: no control reply */
	DSS_HOSTKEY_BLOB_MIN = 55,		/* 4 + ssh-ed25519 blob (51) */
	DSS_HOSTKEY_SIG_MIN = 87		/* 4 + ssh-ed25519 signature */
};

/* Flags of struct ssh_track.fwd_flags: why a set-up reading is weaker. */
#define DSS_REQ_COALESCED	0x01	/* request shared its segment */
#define DSS_REQ_LONG_ADDR	0x02	/* only a > 64-byte bind address fits */
#define DSS_REPLY_PORT		0x04	/* reply is 5 bytes: with port, or */
					/* a CHANNEL_SUCCESS */
#define DSS_REQ_SESSION_SIZE	0x08	/* same size as CHANNEL_OPEN session */
#define DSS_REPLY_SHARED	0x10	/* CHANNEL_SUCCESS has the same size */
#define DSS_SRV_HIDDEN		0x20	/* a coalesced server segment passed */
#define DSS_SRV_PUSH		0x40	/* ... the hostkeys push with others */
#define DSS_CLI_AFTER_SRV	0x80	/* a client record of a session open's */
					/* size followed such a segment */

/*
 * Wire size (bytes) of one binary packet carrying payload bytes under z,
 * with the minimal padding (4 .. block + 3) every common implementation
 * uses.
 */
unsigned	 det_ssh_setup_rec_len(const struct ssh_sizing *z,
		    unsigned payload);
/*
 * Payload bytes [*lo, *hi] one packet of len wire bytes carries under z;
 * false when len is no single packet (several coalesced, or a part).
 */
bool		 det_ssh_setup_payload(const struct ssh_sizing *z,
		    uint32_t len, unsigned *lo, unsigned *hi);
/* Sizing of direction d of f; false when unknown. */
bool		 det_ssh_setup_sizing(const struct flow *f, int d,
		    struct ssh_sizing *z);
/*
 * Feeds one sealed record (or several coalesced) of len bytes that dir
 * sent at tick now.  Returns true when it belongs to OpenSSH's host-key
 * update (the hostkeys-00 push, the client's hostkeys-prove-00 or the
 * server's proof): bursts must not count it.
 */
bool		 det_ssh_setup_packet(const struct cfg_ssh *cs,
		    struct flow *f, int dir, uint32_t now, uint32_t len);
/* Confidence (0..100) of the -R set-up reading of f (fwd_at != 0). */
int		 det_ssh_setup_confidence(const struct ssh_track *t);

#endif /* DET_SSH_SETUP_H */
