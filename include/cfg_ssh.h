/*
 * cfg_ssh.h - the `ssh:` section of the config: reverse-SSH detector
 * thresholds.  Parsed by cfg_ssh_parse() (sensor/det_ssh.c), called from
 * cfg.c for the `ssh` key; see rules/README.md for every key.
 */
#ifndef CFG_SSH_H
#define CFG_SSH_H

#include <stdint.h>

struct yconf_errs;
struct yconf_node;

#define CFG_SSH_RECONNECT_MAX	8	/* largest reconnect_count */

struct cfg_ssh {
	/* reverse_ssh: interactive typing model */
	uint32_t	keystrokes_min;		/* human-timed pairs for a verdict */
	uint32_t	keystroke_interval_min_ms; /* faster: chaff/bulk (ms) */
	uint32_t	keystroke_interval_max_ms; /* slower: a pause (ms) */
	uint32_t	keystroke_bytes_max;	/* chars in one keystroke record */
	uint32_t	nested_layers;		/* SSH layers allowed inside (0..2) */
	uint32_t	echo_slack_ms;		/* echo delay beyond 2 x RTT (ms) */
	uint32_t	echo_max_ms;		/* echo delay cap (ms) */
	uint32_t	chaff_pairs_min;	/* regular chaff pairs for a verdict */
	/* ssh_remote_forward: nested handshake */
	uint32_t	burst_quiet_ms;		/* silence that starts a burst (ms) */
	uint32_t	nested_window_ms;	/* burst must qualify within (ms) */
	uint32_t	nested_min_bytes;	/* bytes each side sends (bytes) */
	uint32_t	kex_record_min;		/* a KEXINIT-sized record (bytes) */
	/* ssh_remote_forward: tcpip-forward set-up right after auth */
	uint32_t	forward_setup_window_ms; /* request after auth end (ms) */
	uint32_t	forward_reply_max_ms;	/* reply after request (ms) */
	uint32_t	forward_request_payload_min; /* request payload (bytes) */
	uint32_t	forward_request_payload_max;
	uint32_t	forward_reply_payload_max; /* REQUEST_SUCCESS (bytes) */
	/* ssh_long_lived */
	uint32_t	long_lived_seconds;	/* ssh_long_lived after this (s) */
	uint32_t	keepalive_interval_min_seconds; /* slower pairs (s) */
	uint32_t	reconnect_count;	/* connections that count (n) */
	uint32_t	reconnect_window_seconds; /* ... within this (s) */
};

void	cfg_ssh_defaults(struct cfg_ssh *cs);
/* Parses the `ssh` map n (may be NULL) into cs; errors go to e. */
void	cfg_ssh_parse(struct yconf_errs *e, const struct yconf_node *n,
	    struct cfg_ssh *cs);

#endif /* CFG_SSH_H */
