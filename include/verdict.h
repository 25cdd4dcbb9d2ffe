/*
 * verdict.h - detector names and the verdict a detector leaves on a flow.
 *
 * A verdict is small on purpose: which detector, how sure, and when.  Its
 * evidence is rendered from the flow's own state when a record or alert
 * is written (detect.c), so the flow does not carry JSON around.  The
 * names are a stable contract: rules, tests and dashboards use them.
 */
#ifndef VERDICT_H
#define VERDICT_H

#include <stdint.h>

enum detector {
	DET_REVERSE_SSH,
	DET_SSH_ROLE_INVERSION,
	DET_SSH_REMOTE_FORWARD,
	DET_SSH_NONSTANDARD_PORT,
	DET_SSH_UNAPPROVED_DESTINATION,
	DET_SSH_LONG_LIVED,
	DET_STRATUM,
	DET_MINING_POOL_TLS,
	DET_MINING_POOL_DNS,
	DET_MINING_PROXY,
	DET_CRYPTO_NODE,
	DET_MINING_POOL_IP,
	DET_COUNT
};

#define FLOW_MAX_VERDICTS	6

struct verdict {
	uint64_t	ts_us;		/* packet time it was raised */
	uint8_t		detector;	/* enum detector */
	uint8_t		confidence;	/* percent, 0..100 */
};

/* Stable name ("reverse_ssh"); "unknown" for a bad value. */
const char	*verdict_name(enum detector d);
/* Looks a name up; -1 when unknown. */
int		 verdict_lookup(const char *name);

#endif /* VERDICT_H */
