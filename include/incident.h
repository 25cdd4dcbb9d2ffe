/*
 * incident.h - one incident per inside host: its threat verdicts joined.
 *
 * The first verdict of a threat detector (tunnel, mining or crypto-node
 * stage, a column of the detector registry in detect.c) about an inside
 * host opens an incident; later verdicts about that host within
 * cfg.incident.window seconds of packet time join its timeline, and so do
 * outbound flows to outside addresses new to the incident (stage
 * new_destination).  A score comes from the stages present (tunnel + mining
 * = 100).  The table is fixed (cfg.incident.max_hosts at start); when it is
 * full the incident active least recently is closed (reason "evicted",
 * counted).
 *
 * The module only keeps state and calls back; the sensor writes the
 * records (emit.c) and runs the incident rules.
 */
#ifndef INCIDENT_H
#define INCIDENT_H

#include <stdbool.h>
#include <stdint.h>

#include "cfg.h"
#include "community_id.h"
#include "flow.h"
#include "json.h"
#include "stats.h"

#define INCIDENT_MAX_MEMBERS	24	/* timeline entries kept per incident */
#define INCIDENT_SUMMARY_MAX	112	/* one-line evidence, bytes with NUL */
#define INCIDENT_NAME_MAX	72	/* SNI, DNS name or login, bytes with NUL */
#define INCIDENT_SCORE_TOP	100	/* tunnel + mining from one host */

enum incident_stage {
	IS_TUNNEL,		/* reverse SSH, role inversion, -R, long-lived */
	IS_MINING,		/* Stratum, pool TLS/DNS/IP, mining proxies */
	IS_NODE,		/* crypto_node */
	IS_NEW_DEST,		/* first flow to an outside address during it */
	IS_COUNT
};

enum incident_event {
	IE_OPEN,		/* first member */
	IE_STAGE,		/* a member of a stage not present before */
	IE_CLOSE		/* window expired, end of run or evicted */
};

enum incident_close {
	IC_NONE, IC_WINDOW, IC_EOF, IC_SHUTDOWN, IC_EVICTED
};

struct incident_member {
	uint64_t	ts_us;		/* packet time it joined */
	uint64_t	flow_id;
	struct ip_addr	dst;		/* the flow's responder */
	uint16_t	dport;
	uint8_t		proto;
	int8_t		detector;	/* enum detector; -1 = new_destination */
	uint8_t		stage;		/* enum incident_stage */
	uint8_t		confidence;	/* percent */
	char		community_id[COMMUNITY_ID_LEN];
	char		name[INCIDENT_NAME_MAX];	/* "" when none */
	char		summary[INCIDENT_SUMMARY_MAX];
};

struct incident {
	struct ip_addr	host;		/* the inside host */
	char		id[20];		/* 16 hex digits: host + open time */
	uint64_t	first_us;	/* first member, packet time */
	uint64_t	last_us;	/* last member */
	uint32_t	stages;		/* 1u << enum incident_stage */
	uint64_t	detectors;	/* DET_BIT(enum detector) */
	uint8_t		score;		/* 0..INCIDENT_SCORE_TOP */
	uint8_t		close;		/* enum incident_close once closed */
	uint16_t	n_members;
	uint32_t	members_dropped; /* timeline was full */
	uint32_t	n_new_dest;	/* new_destination members */
	struct incident_member m[INCIDENT_MAX_MEMBERS];
	/* table links (private to incident.c) */
	uint32_t	hnext;
	bool		in_use;
};

struct incident_table;

/*
 * Called for each open, stage change and close, on the packet that
 * causes it; f is the flow that caused an open or stage change, NULL on
 * close.  inc is borrowed for the call.
 */
typedef void (*incident_cb)(void *arg, const struct incident *inc,
    enum incident_event ev, const struct flow *f, uint64_t ts_us);

/* Preallocates ci->max_hosts incidents.  NULL on no memory (logged). */
struct incident_table *incident_table_new(const struct cfg_incident *ci,
		    incident_cb cb, void *cb_arg, struct stats *st);
void		 incident_table_free(struct incident_table *t);	/* NULL ok */
/* Window and limits after a reload (the table size stays). */
void		 incident_table_set_config(struct incident_table *t,
		    const struct cfg_incident *ci);

/* The stage of detector d, or -1 when d opens no incident. */
int		 incident_stage_of(int detector);
const char	*incident_stage_name(enum incident_stage s);
const char	*incident_close_name(enum incident_close c);
/* Score of a stage set (documented in rules/README.md). */
uint8_t		 incident_score(uint32_t stages);

/*
 * The inside host of f: the initiator of outbound and internal flows,
 * the responder of inbound ones; false for external flows.
 */
bool		 incident_host_of(const struct flow *f, struct ip_addr *host);

/*
 * Verdict d raised on f at ts_us: opens or extends the host's incident.
 * c (borrowed; NULL = no evidence names) renders the verdict's evidence
 * for the member's name.
 */
void		 incident_verdict(struct incident_table *t, const struct cfg *c,
		    const struct flow *f, int detector, uint8_t confidence,
		    uint64_t ts_us);
/*
 * A flow ended (not an update): when its host has an open incident, its
 * destination is outside and new to the incident and the flow has no
 * verdict of a stage, it joins as new_destination.
 */
void		 incident_flow_end(struct incident_table *t, const struct flow *f,
		    uint64_t ts_us);
/* Closes incidents quiet for longer than the window (packet time). */
void		 incident_expire(struct incident_table *t, uint64_t now_us);
/* Closes every open incident (end of run or shutdown). */
void		 incident_flush(struct incident_table *t, enum incident_close why,
		    uint64_t now_us);
/* Open incidents now. */
uint32_t	 incident_open_count(const struct incident_table *t);

/* Writes the "incident" object of a record for event ev. */
void		 incident_put(struct jbuf *j, const struct incident *inc,
		    enum incident_event ev);

#endif /* INCIDENT_H */
