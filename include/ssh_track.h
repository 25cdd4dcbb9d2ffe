/*
 * ssh_track.h - per-flow state of the reverse-SSH detectors (det_ssh.c):
 * what the encrypted part of an SSH session looked like so far (record
 * sizes, directions, timing).  Lives inside struct flow for SSH flows.
 */
#ifndef SSH_TRACK_H
#define SSH_TRACK_H

#include <stdbool.h>
#include <stdint.h>

struct ssh_track {
	uint64_t	last_ts_us[2];	/* last payload packet per direction */
	uint32_t	enc_pkts[2];	/* encrypted payload packets per direction */
};

#endif /* SSH_TRACK_H */
