/*
 * classify.h - nDPI 4.2, wrapped: the only module that includes ndpi_api.h.
 *
 * A classifier owns one nDPI detection module.  Each flow gets nDPI state
 * (struct cls_flow.ndpi, opaque) on its first packet, is fed packets until
 * nDPI decides (and has no extra dissection left) or the packet budget
 * runs out, then the results are copied into struct cls_result and the
 * nDPI state is freed.  The result is plain data the rest of the sensor
 * reads without nDPI headers (cls_res()); it is taken from a capped pool
 * when nDPI decides and given back with cls_flow_free() when the flow
 * ends.  With the pool empty the flow is counted
 * (ST_CLS_RESULT_EXHAUSTED) and reads as unclassified.
 */
#ifndef CLASSIFY_H
#define CLASSIFY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "packet.h"
#include "stats.h"

#define CLS_MAX_RISKS	8

struct cls_result {
	char		protocol[48];	/* "TLS.Google", "SSH", "Unknown" */
	char		app_proto[24];	/* our lowercase app name: "ssh", "tls", "dns", "http", "" */
	char		category[32];
	char		confidence[32];	/* nDPI confidence name */
	uint16_t	risks[CLS_MAX_RISKS];	/* ndpi_risk_enum values */
	uint8_t		n_risks;
	bool		mining;		/* nDPI said Mining (evidence only) */
	char		ssh_banner_client[64];	/* as nDPI saw them (port-ordered) */
	char		ssh_banner_server[64];
	char		hassh_client[33];
	char		hassh_server[33];
	char		sni[128];
	char		ja3[33];
	char		dns_query[128];
};

struct cls_flow {
	void		*ndpi;		/* nDPI flow state while classifying */
	struct cls_result *res;		/* pooled; NULL: none (cls_res) */
	uint16_t	 pkts;		/* packets given to nDPI */
	bool		 done;		/* classification finished */
};

/* The flow's result, or a shared empty one; never NULL. */
const struct cls_result *cls_res(const struct cls_flow *f);

struct classifier;

/*
 * Creates the nDPI module (all protocols) and a pool of nresults results.
 * NULL on failure (logged).
 */
struct classifier *cls_new(uint32_t max_packets, size_t nresults);
void		 cls_free(struct classifier *c);	/* NULL ok */
/*
 * Feeds one packet of a flow. dir 0 = initiator->responder. Frees the
 * nDPI state once done.  Never allocates except nDPI's per-flow state on
 * the flow's first packet.
 */
void		 cls_packet(struct classifier *c, struct cls_flow *f,
		    const struct packet *pkt, int dir, struct stats *st);
/* Flow ended before nDPI finished: give up, keep the guess, free state. */
void		 cls_finish(struct classifier *c, struct cls_flow *f,
		    struct stats *st);
/* Frees nDPI state without a result (eviction at shutdown). */
void		 cls_flow_release(struct cls_flow *f);
/* The flow ended: frees nDPI state and gives its result back. */
void		 cls_flow_free(struct classifier *c, struct cls_flow *f);
/* Results in use now, at most, and the pool's size (-v, tests). */
void		 cls_counts(const struct classifier *c, size_t *in_use,
		    size_t *high, size_t *cap);
const char	*cls_risk_name(uint16_t risk);

/* MD5 of data as 32 lowercase hex digits + NUL (through nDPI's ndpi_md5). */
void		 cls_md5_hex(const void *data, size_t len, char out[33]);

/* nDPI's run-time version string (--version). */
const char	*cls_lib_version(void);

#endif /* CLASSIFY_H */
