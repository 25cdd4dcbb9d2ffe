/*
 * ssh_track.h - per-flow state of the reverse-SSH detectors (det_ssh.c):
 * what the encrypted part of an SSH session looked like so far (record
 * sizes, directions and timing), in fixed-size fields only; counters
 * saturate.  Lives inside
 * struct flow for SSH flows, so it is kept under about 256 bytes.
 *
 * Times are "ticks": units of 100 us since the flow's first packet, kept
 * in 32 bits (about 4.9 days; later times saturate).  0 means "never".
 * Index [d] is the direction of travel: 0 sent by the TCP initiator.
 */
#ifndef SSH_TRACK_H
#define SSH_TRACK_H

#include <stdbool.h>
#include <stdint.h>

#define SSH_TRACK_PEND	2	/* unanswered small records kept per dir */

struct ssh_stat {		/* running min / max / median estimate */
	uint16_t	min, max, med;	/* units of the quantity */
};

struct ssh_track {
	uint32_t	last_any[2];	/* last packet, any (tick) */
	uint32_t	last_rec[2];	/* last new encrypted data (tick) */
	uint32_t	last_key[2];	/* last keystroke event (tick) */
	uint32_t	last_bulk[2];	/* last record above the small bound */
	uint32_t	pend[2][SSH_TRACK_PEND]; /* unanswered small records */
	uint16_t	pend_len[2][SSH_TRACK_PEND]; /* their sizes (bytes) */
	uint32_t	stream_off[2];	/* payload bytes so far (bytes) */
	uint16_t	keys[2];	/* keystroke pairs, interval >= min */
	uint16_t	human[2];	/* ... with a human interval */
	uint16_t	human_base[2];	/* human[] at the nested handshake */
	uint16_t	bulk_recs[2];	/* encrypted records above the bound */
	uint16_t	fast[2];	/* pairs faster than a human */
	uint16_t	chaff[2];	/* fast pairs at a steady cadence */
	uint16_t	chaff_iv[2];	/* cadence estimate (ticks) */
	uint16_t	bulk_acks[2];	/* pure ACKs of the other's bulk */
	struct ssh_stat	ks_len[2];	/* keystroke record sizes (bytes) */
	struct ssh_stat	echo_len[2];	/* echo sizes, by keystroke side */
	struct ssh_stat	echo_lat[2];	/* echo delay (ticks) */
	struct ssh_stat	key_iv[2];	/* human inter-key interval (ms) */
	uint16_t	small_min[2];	/* record size bounds per dir (bytes) */
	uint16_t	small_max[2];
	uint16_t	rtt[2];		/* min response time of dir (ticks) */
	uint16_t	ka_pairs[2];	/* keepalive-like pairs (slow, small) */
	uint16_t	ka_regular[2];	/* ... at the same interval as before */
	uint16_t	ka_iv[2];	/* last keepalive interval (s) */
	uint16_t	last_len[2];	/* size of dir's last sealed record */
	/*
	 * Bursts: activity after a quiet period.  Once a burst qualifies as
	 * a nested handshake its fields are frozen as that one's evidence.
	 */
	uint32_t	burst_start;	/* tick */
	uint32_t	burst_bytes[2];	/* bytes per dir in this burst */
	uint16_t	burst_first;	/* size of its first record */
	uint16_t	burst_big[2];	/* largest record per dir (bytes) */
	int8_t		burst_dir;	/* who started it, -1 none */
	bool		burst_done;	/* already counted as nested */
	/* what was decided, and when (tick) */
	uint8_t		nested;		/* nested handshakes seen */
	uint8_t		pend_n[2];
	uint16_t	reconnects;	/* SSH starts in window, incl. this */
	uint32_t	rev_at;		/* reverse_ssh certain at (tick) */
	uint32_t	rev_keys;	/* keystrokes by then */
	uint32_t	nested_at;	/* first nested handshake (tick) */
	/*
	 * Forward set-up: the client's first requests after the end of
	 * authentication and the server's first control-sized answer.
	 */
	uint32_t	auth_end;	/* USERAUTH_SUCCESS-sized record (tick) */
	uint32_t	fwd_req;	/* first request-sized client record */
	uint32_t	fwd_at;		/* its small reply: set-up certain */
	uint16_t	fwd_req_len;	/* request record (bytes) */
	uint16_t	fwd_rep_len;	/* reply record (bytes) */
	uint8_t		fwd_phase;	/* enum in det_ssh_setup.c */
	uint8_t		fwd_flags;	/* DSS_* (det_ssh_setup.h) */
	/*
	 * OpenSSH's host-key update after auth: the server's hostkeys-00
	 * push, the client's hostkeys-prove-00, the server's proof (tick,
	 * bytes of the segment that carried each).
	 */
	uint32_t	hk_push, hk_prove, hk_reply;
	uint16_t	hk_push_len, hk_prove_len, hk_reply_len;
	uint8_t		fwd_recs;	/* client records since auth end */
	uint8_t		auth_recs;	/* server records before auth end */
	uint8_t		typing;		/* bit d: direction d types */
	uint8_t		long_why;	/* 1 duration, 2 reconnects */
	bool		started;
	bool		sized;		/* small_* set from the cipher */
};

#endif /* SSH_TRACK_H */
