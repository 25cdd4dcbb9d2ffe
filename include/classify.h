/*
 * classify.h - nDPI 4.2, wrapped: the only module that includes ndpi_api.h.
 *
 * A classifier owns one nDPI detection module and a capped pool of nDPI
 * flow states.  Each flow gets a state (struct cls_flow.state, opaque) on
 * its first packet, is fed packets until nDPI decides (and has no extra
 * dissection left) or the packet budget runs out, then the results are
 * copied into struct cls_result and the state goes back to the pool.
 * The result is plain data the rest of the sensor reads without nDPI
 * headers (cls_res()); it is taken from a capped pool when nDPI decides
 * and given back with cls_flow_free() when the flow ends.  With the pool
 * empty the flow is counted (ST_CLS_RESULT_EXHAUSTED) and reads as
 * unclassified.
 */
#ifndef CLASSIFY_H
#define CLASSIFY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "packet.h"
#include "stats.h"

#define CLS_MAX_RISKS	8

/* The strings nDPI found, kept in a result's text (cls_text()). */
enum cls_text {
	CLS_SNI,		/* TLS/QUIC server name */
	CLS_JA3,		/* TLS/QUIC client JA3 */
	CLS_DNS_QUERY,		/* DNS/mDNS name */
	CLS_SSH_BANNER_CLIENT,	/* as nDPI saw them (port-ordered) */
	CLS_SSH_BANNER_SERVER,
	CLS_HASSH_CLIENT,	/* lowercase hex */
	CLS_HASSH_SERVER,
	CLS_TEXTS
};

/*
 * What nDPI decided, as plain data: protocol ids (named by cls_protocol()
 * and friends) and only the strings found, packed in text[].  Results
 * come in five sizes from capped pools, so a flow that nDPI only named
 * costs 48 bytes and one with a server name and JA3 96.
 */
struct cls_result {
	uint16_t	app_id;		/* nDPI protocol ids */
	uint16_t	master_id;
	uint16_t	category_id;
	uint8_t		confidence_id;	/* ndpi_confidence_t */
	uint8_t		n_risks;
	bool		mining;		/* nDPI said Mining (evidence only) */
	bool		guessed;	/* from ports or addresses: no app_proto */
	uint8_t		pool;		/* which size it was taken from */
	uint8_t		text_off[CLS_TEXTS];	/* 1 + offset in text; 0 none */
	uint16_t	risks[CLS_MAX_RISKS];	/* ndpi_risk_enum values */
	char		text[];
};

/*
 * One per flow-table slot, so 16 bytes: the nDPI state it holds while
 * classifying is named by its index in the pool, not a pointer.
 */
struct cls_flow {
	struct cls_result *res;		/* pooled; NULL: none (cls_res) */
	uint32_t	 state;		/* nDPI state: pool index + 1, 0 none */
	uint16_t	 pkts;		/* packets given to nDPI */
	bool		 done;		/* classification finished */
};

/* The flow's result, or a shared empty one; never NULL. */
const struct cls_result *cls_res(const struct cls_flow *f);
/* One of the result's strings, "" when nDPI found none. */
const char	*cls_text(const struct cls_result *r, enum cls_text t);
/* Our lowercase app name ("ssh", "tls", "dns", "http"), "" when guessed. */
const char	*cls_app_proto(const struct cls_result *r);
/* nDPI's protocol name ("TLS.Google", "SSH", "Unknown") into buf. */
const char	*cls_protocol(const struct cls_result *r, char *buf, size_t len);
const char	*cls_category(const struct cls_result *r);
const char	*cls_confidence(const struct cls_result *r);

struct classifier;

/*
 * Creates the nDPI module (all protocols), a pool of nstates nDPI flow
 * states and pools of nresults results.  NULL on failure (logged).
 */
struct classifier *cls_new(uint32_t max_packets, size_t nstates,
		    size_t nresults);
void		 cls_free(struct classifier *c);	/* NULL ok */
/*
 * Feeds one packet of a flow. dir 0 = initiator->responder. Frees the
 * nDPI state once done.  Allocates nothing: the flow's nDPI state comes
 * from the pool on its first packet.  With every state in use, the one
 * whose flow has been quiet longest (a clock sweep) is given up early
 * (ST_NDPI_STATE_RECLAIMED): that flow keeps what nDPI found so far.
 */
void		 cls_packet(struct classifier *c, struct cls_flow *f,
		    const struct packet *pkt, int dir, struct stats *st);
/* Flow ended before nDPI finished: give up, keep the guess, free state. */
void		 cls_finish(struct classifier *c, struct cls_flow *f,
		    struct stats *st);
/* The flow ended: frees nDPI state and gives its result back. */
void		 cls_flow_free(struct classifier *c, struct cls_flow *f);

struct cls_counts {
	size_t		states_cap, states_high;	/* nDPI flow states */
	size_t		results_cap, results_high;	/* per size, summed */
	size_t		state_size;			/* bytes per state */
};
void		 cls_counts(const struct classifier *c, struct cls_counts *out);
const char	*cls_risk_name(uint16_t risk);

/* MD5 of data (through nDPI's ndpi_md5). */
void		 cls_md5(const void *data, size_t len, uint8_t out[16]);

/* nDPI's run-time version string (--version). */
const char	*cls_lib_version(void);

#endif /* CLASSIFY_H */
