/*
 * flow.h - the bidirectional flow table.
 *
 * Flows are preallocated (cfg.flow.capacity) and handed out from a free
 * list; the table never allocates after flow_table_new().  The key is
 * symmetric (both directions find the same flow) and includes the VLAN.
 * The initiator is the sender of the first SYN; a flow picked up without
 * one gets its initiator from the evidence there is (orient.c), and the
 * record says so (enum flow_orient).  Direction index 0 is initiator ->
 * responder ("toserver").
 *
 * Expiry runs on packet time.  Every flow sits on exactly one idle list,
 * one per timeout class (TCP handshake, established, closed, UDP, ICMP,
 * other); each list is kept in last-seen order, so the tail is always the
 * next to expire and checking costs O(1) when nothing is due.  A second
 * list in last-report order drives the active timeout (periodic update
 * records for long flows).
 *
 * When the table is full it is in emergency mode (Suricata's term) until
 * it drains to FLOW_EMERG_LOW_PCT of capacity: the idle timeouts of the
 * cheap classes (handshake, closed, UDP, ICMP, other) shrink to
 * 1/FLOW_EMERG_DIVISOR, and eviction takes the least valuable flow near
 * the tails of the idle lists (unanswered < answered or closed <
 * established < verdict or dissector state), oldest first within a value.
 * Evicted established flows leave their key and initiator in a small
 * fixed table, so when the same flow comes back mid-stream it keeps its
 * orientation (f->orient = FO_EVICTED_KEY) instead of taking the sender
 * of the first packet seen.
 */
#ifndef FLOW_H
#define FLOW_H

#include <stdbool.h>
#include <stdint.h>

#include "cfg.h"
#include "classify.h"
#include "packet.h"
#include "stats.h"
#include "verdict.h"

struct mining_track;
struct stash;
union flow_app_state;		/* dissect.h: the dissectors' per-flow state */

enum flow_class {	/* idle timeout classes */
	FC_TCP_SYN, FC_TCP_EST, FC_TCP_CLOSED, FC_UDP, FC_ICMP, FC_OTHER,
	FC_COUNT
};

enum flow_end {		/* why a record is written (the "reason" field) */
	FE_TIMEOUT, FE_ACTIVE_TIMEOUT, FE_FIN, FE_RST, FE_EOF, FE_EVICTED,
	FE_SHUTDOWN
};

enum flow_orient {	/* how the initiator was decided (orient.c) */
	FO_SYN,		/* the client's SYN (UDP: its first datagram) */
	FO_SYN_ACK,	/* a SYN-ACK's sender is the server */
	FO_SSH,		/* SSH key exchange: who sent the client KEX message */
	FO_TLS,		/* the sender of a TLS ServerHello is the server */
	FO_HTTP,	/* the sender of an HTTP response is the server */
	FO_DNS,		/* the sender of a DNS response is the server */
	FO_PORT,	/* the lower well-known/registered port is the server */
	FO_FIRST,	/* nothing better: the sender of the first packet */
	FO_EVICTED_KEY,	/* kept from this key's flow evicted earlier (flow.c) */
};

enum flow_value {	/* what an eviction would lose, least first */
	FV_UNANSWERED,	/* nothing from the responder (SYN-only, scans) */
	FV_ANSWERED,	/* a reply but no finished handshake, or closed */
	FV_ESTABLISHED,	/* established TCP, no dissector state */
	FV_APP,		/* a verdict or one of our dissectors' state */
	FV_COUNT
};

enum flow_app {		/* which of our dissectors owns the payload */
	APP_UNKNOWN,	/* no payload yet */
	APP_SSH,
	APP_STRATUM,
	APP_PROXY,	/* HTTP CONNECT / SOCKS request */
	APP_DNS,	/* DNS over UDP (det_mining.c fills u.dns) */
	APP_OTHER,	/* none of ours */
};

struct flow_key {
	struct ip_addr	lo_addr;	/* the lower (addr, port) end */
	struct ip_addr	hi_addr;
	uint16_t	lo_port;
	uint16_t	hi_port;
	uint16_t	vlan;		/* innermost VLAN id, 0 = none */
	uint8_t		proto;
	uint8_t		pad;		/* zero: the key is hashed and compared */
};

/* Per direction, counted on every packet (hot). */
struct flow_dir {
	uint64_t	pkts;
	uint64_t	bytes;		/* IP bytes as the headers claim */
	uint32_t	next_seq;	/* next in-order TCP sequence number */
	uint8_t		tcp_flags;	/* OR of all flags seen */
	bool		fin : 1;
	bool		seq_known : 1;	/* next_seq is valid */
	bool		gap : 1;	/* a hole in the stream: stop dissecting */
};

/* Per direction, read by records and detectors (cold). */
struct flow_cdir {
	uint64_t	first_us;
	uint64_t	payload_bytes;	/* L4 payload bytes captured */
};

/*
 * The cold part of a flow: one per table slot (struct flow.c points at
 * it, never NULL).  The big optional parts hang off it and are taken
 * from capped pools when the flow needs them: the dissector's state
 * (u, dissect.c; &dissect_none until then, so reading it is safe), the
 * reassembly stash, nDPI's state and result (classify.c), the mining
 * detectors' track (det_mining.c; NULL until the flow needs one, its
 * progress bits in det_flags until then) and the verdicts (sensor.c).
 * One per slot, so every byte counts capacity times: the endpoints are
 * read from the hot part's key (flow_src()), flow_id() is computed from
 * the key, and the members are ordered to leave no padding (test_flow
 * checks the size).
 */
struct flow_cold {
	uint8_t		 ip_version;
	uint8_t		 icmp_type;	/* first packet's, for community_id */
	uint8_t		 icmp_code;
	uint8_t		 vlan_count;
	uint16_t	 vlan[DEC_MAX_VLAN];
	uint32_t	 updates;	/* active_timeout records written */
	uint32_t	 det_flags;	/* det_mining.c: MT_BARE bits while mt is NULL */
	uint64_t	 reported_us;	/* last record (start or update) */
	uint32_t	 rep_prev, rep_next;	/* report list (flow.c) */
	struct flow_cdir dir[2];	/* [0] toserver, [1] toclient */
	struct cls_flow	 cls;
	struct stash	*stash;		/* borrowed from the pool while dissecting */
	union flow_app_state *u;	/* valid per app (dissect.h) */
	struct mining_track *mt;	/* pooled (det_mining.c), NULL: none */
	/* FLOW_MAX_VERDICTS, pooled (sensor.c) from the first; n_verdicts */
	struct verdict	*verdicts;
};

/*
 * The hot part: what every packet, lookup and expiry scan touches, two
 * cache lines (test_flow checks the size).  The key comes first, so a
 * lookup reads one line of the flow for the compare.
 */
struct flow {
	struct flow_key	 key;
	uint64_t	 first_us;
	uint64_t	 last_us;
	uint32_t	 idle_prev, idle_next;	/* idle list (flow.c) */
	/* second line */
	struct flow_dir	 dir[2];	/* [0] toserver, [1] toclient */
	struct flow_cold *c;		/* never NULL while in use */
	uint8_t		 proto;		/* = key.proto */
	uint8_t		 netdir;	/* enum direction */
	uint8_t		 fclass;	/* enum flow_class: which idle list */
	uint8_t		 app;		/* enum flow_app */
	uint8_t		 orient;	/* enum flow_orient */
	uint8_t		 n_verdicts;
	bool		 rst : 1;
	bool		 syn_seen : 1;	/* initiator picked from a SYN */
	bool		 orient_final : 1;	/* orientation no longer changes */
	bool		 in_use : 1;
	bool		 dissecting : 1;	/* our dissector still reads it */
	bool		 init_is_hi : 1;	/* the initiator is key.hi_* */
};

/*
 * The initiator's and responder's ends, read from the key (the flow
 * keeps no second copy): init_is_hi says which end started it, and
 * turning a flow around (orient.c) flips that bit.  Ports are 0 where
 * the key has none (ICMP, other protocols, fragments).
 */
static inline const struct ip_addr *
flow_src(const struct flow *f)
{
	return f->init_is_hi ? &f->key.hi_addr : &f->key.lo_addr;
}

static inline const struct ip_addr *
flow_dst(const struct flow *f)
{
	return f->init_is_hi ? &f->key.lo_addr : &f->key.hi_addr;
}

static inline uint16_t
flow_sport(const struct flow *f)
{
	return f->init_is_hi ? f->key.hi_port : f->key.lo_port;
}

static inline uint16_t
flow_dport(const struct flow *f)
{
	return f->init_is_hi ? f->key.lo_port : f->key.hi_port;
}

struct flow_table;

/* Called for each flow that ends (or is reported by active timeout). */
typedef void (*flow_end_cb)(void *arg, struct flow *f, enum flow_end why,
    uint64_t now_us);

/* Preallocates capacity flows. NULL on no memory (logged). */
struct flow_table *flow_table_new(const struct cfg_flow *fc, flow_end_cb cb,
		    void *cb_arg, struct stats *st);
void		 flow_table_free(struct flow_table *t);	/* NULL ok; no callbacks */
/* Replace timeouts after a reload. */
void		 flow_table_set_config(struct flow_table *t,
		    const struct cfg_flow *fc);

/*
 * Finds or creates the flow of pkt; *dir gets 0 (from initiator) or 1.
 * May evict (callback with FE_EVICTED) to make room. NULL when full and
 * nothing could be evicted (ST_FLOWS_DROPPED counted).  On creation the
 * caller sets netdir.
 */
struct flow	*flow_lookup(struct flow_table *t, const struct packet *pkt,
		    int *dir, bool *created);
/* Counts pkt in f (packets, bytes, flags, TCP state, idle list). */
void		 flow_update(struct flow_table *t, struct flow *f,
		    const struct packet *pkt, int dir);
/*
 * TCP in-order payload for dissectors: sets *p and *n to the part of pkt's
 * payload not seen before (0 bytes for retransmissions); returns false
 * when there is a gap (and marks the direction), so dissection stops.
 */
bool		 flow_tcp_inorder(struct flow *f, const struct packet *pkt,
		    int dir, const uint8_t **p, size_t *n);
/* Ends flows idle past their timeout and reports active ones; packet time. */
void		 flow_expire(struct flow_table *t, uint64_t now_us);
/* Ends every flow (EOF, shutdown), oldest first. */
void		 flow_flush(struct flow_table *t, enum flow_end why,
		    uint64_t now_us);
const char	*flow_end_name(enum flow_end why);
/* What evicting f would lose (enum flow_value). */
enum flow_value	 flow_value_of(const struct flow *f);
/* True while the table is in emergency mode. */
bool		 flow_emergency(const struct flow_table *t);
/* The flow_id of records: from the key and first_us, 52 bits. */
uint64_t	 flow_id(const struct flow *f);
/* "new", "established", "closed" summary of the TCP state (EVE's state). */
const char	*flow_state_name(const struct flow *f);
uint32_t	 flow_active(const struct flow_table *t);

#endif /* FLOW_H */
