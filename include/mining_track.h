/*
 * mining_track.h - per-flow state of the mining detectors (det_mining.c):
 * small (under 128 bytes), taken from a capped pool only by the flows
 * that need one (a pool name, address or port, a node signature, a
 * proxy to a pool...); plus the DNS record of a DNS flow, which lives in
 * the flow's app union.
 */
#ifndef MINING_TRACK_H
#define MINING_TRACK_H

#include <stdbool.h>
#include <stdint.h>

#include "packet.h"

#define MINING_NAME_KEEP	64	/* bytes of a matched name (tail kept) */
#define DNS_INFO_ANSWERS	4	/* answer addresses kept per DNS flow */
#define DNS_INFO_NAME		128	/* bytes of rrname / cname kept */

/* mining_track.flags: verdicts and progress (det_mining.c) */
#define MT_TLS		0x0001	/* verdict: mining_pool_tls */
#define MT_DNS		0x0002	/* verdict: mining_pool_dns */
#define MT_PROXY	0x0004	/* verdict: mining_proxy */
#define MT_NODE		0x0008	/* verdict: crypto_node */
#define MT_STARTED	0x0010	/* first packet handled (cache looked up) */
#define MT_SNI_DONE	0x0020	/* nDPI's SNI checked */
#define MT_PROXY_DONE	0x0040	/* proxy target checked */
#define MT_PORT		0x0080	/* responder port is a pool port */
/* ... and node signatures (mining_node.c) */
#define MT_FIRST0	0x0100	/* initiator's first payload seen */
#define MT_FIRST1	0x0200	/* responder's first payload seen */
#define MT_TLS_HELLO	0x0400	/* initiator opened with a TLS handshake */
#define MT_POST		0x0800	/* initiator opened with an HTTP POST */
#define MT_JSONRPC	0x1000	/* "jsonrpc" member seen in the request */
#define MT_JSON_RPC_PATH 0x2000	/* POST /json_rpc (Monero daemon/wallet) */
#define MT_PDNS		0x4000	/* destination answered for a pool name */
#define MT_IP		0x8000	/* verdict: mining_pool_ip */
/*
 * The progress bits a flow keeps in flow_cold.det_flags while it has no
 * track: with them, no track reads as a zeroed one.  Any other bit (or a
 * node, a name) makes det_mining.c take a track from the pool.
 */
#define MT_BARE		(MT_STARTED | MT_SNI_DONE | MT_PROXY_DONE | \
			 MT_FIRST0 | MT_FIRST1 | MT_TLS_HELLO)

/* Message rhythm of one direction (cadence of a TLS session). */
struct mining_dir {
	uint32_t	last_ms;	/* ms after flow start, last payload */
	uint32_t	msg_bytes;	/* payload bytes of the current message */
	uint16_t	msgs;		/* messages (payload bursts) */
	uint16_t	gaps_ok;	/* gaps between messages in the window */
	uint16_t	gaps_bad;	/* gaps outside it */
	uint16_t	bulk;		/* messages over cadence_max_message */
};

struct mining_track {
	char		name[MINING_NAME_KEEP];	/* matched name, or node method */
	uint64_t	dns_seen_us;	/* passive DNS: answer time */
	uint32_t	dns_ttl;	/* passive DNS: TTL answered, s */
	uint32_t	last_push_ms;	/* last unsolicited server message */
	uint32_t	flags;		/* MT_* bits (det_mining.c) */
	uint16_t	pushes;		/* server messages with no request */
	uint16_t	push_ok;	/* push gaps inside the job window */
	uint16_t	push_bad;
	uint8_t		how;		/* enum mining_how: mining_pool_tls */
	uint8_t		proxy_how;	/* enum mining_how: mining_proxy */
	uint8_t		match_off;	/* matched list entry = name + off */
	uint8_t		node;		/* enum crypto_kind */
	uint8_t		scanned;	/* initiator payload packets scanned */
	struct mining_dir dir[2];
};

/* What a DNS flow asked and was answered (flows with APP_DNS). */
struct dns_info {
	char		rrname[DNS_INFO_NAME];	/* first question */
	char		cname[DNS_INFO_NAME];	/* first CNAME target */
	struct ip_addr	answers[DNS_INFO_ANSWERS];
	uint16_t	rrtype;		/* of the first question */
	uint16_t	n_answers;	/* addresses answered (all responses) */
	uint8_t		rcode;		/* of the first response */
	bool		response;	/* a response was seen */
	uint16_t	queries;	/* messages without QR */
	uint16_t	responses;
};

struct det_ctx;
struct flow;

/*
 * The pool (mining_track.c): dc->mtracks, the calling worker's, one
 * track per flow slot.  A flow without a track (f->c->mt NULL) reads as
 * a zeroed one with its MT_BARE bits in f->c->det_flags.
 */
/* What readers see: f's track, or a shared zeroed one (never NULL). */
const struct mining_track *mining_track_ro(const struct flow *f);
/*
 * The track to work on: f's own, or scratch standing in for one (zeroed
 * but for the bits in det_flags); mining_track_done() keeps the work.
 */
struct mining_track *mining_track_begin(struct flow *f,
		    struct mining_track *scratch);
/*
 * After work on mt (from mining_track_begin): on scratch, the progress
 * bits go back to det_flags and anything more (another flag, a node)
 * into a track from the pool; none free: counted
 * (ST_MINING_TRACK_EXHAUSTED) and the flow goes on as though nothing
 * had been found.
 */
void		 mining_track_done(struct det_ctx *dc, struct flow *f,
		    const struct mining_track *mt);
/* The flow ended: its track back to the pool, its bits cleared. */
void		 mining_track_put(struct det_ctx *dc, struct flow *f);

#endif /* MINING_TRACK_H */
