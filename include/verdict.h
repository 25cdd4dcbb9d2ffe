/*
 * verdict.h - detector ids and the verdict a detector leaves on a flow.
 *
 * A verdict is small on purpose: which detector, how sure, and when.  Its
 * evidence is rendered from the flow's own state when a record or alert
 * is written (detect.c), so the flow does not carry JSON around.  Every
 * other fact about a detector (its name, check, confidence, evidence,
 * incident stage, the list it reads) is one row of the registry in
 * detect.c, indexed by this enum: a new detector is one constant here,
 * one row there and the file that implements it.  The names are a stable
 * contract: rules, tests, dashboards and the README tables use them (a
 * unit test checks the README against the registry).
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

/*
 * Sets of detectors are uint64_t bitmasks of DET_BIT(d) (verdicts that
 * hold, verdicts raised, detectors a rule or an incident names).
 */
#define DET_BIT(d)	((uint64_t)1 << (d))
_Static_assert(DET_COUNT <= 64, "a detector set is a uint64_t: widen it");

/*
 * Each detector is raised at most once per flow, so a flow has room for
 * every one of them: no verdict is ever dropped for lack of space.
 */
#define FLOW_MAX_VERDICTS	DET_COUNT
_Static_assert(FLOW_MAX_VERDICTS >= DET_COUNT,
    "a flow must hold one verdict of every detector");

struct verdict {
	uint64_t	ts_us;		/* packet time it was raised */
	uint8_t		detector;	/* enum detector */
	uint8_t		confidence;	/* percent, 0..100 */
};

/* Stable name ("reverse_ssh"); "unknown" for a bad value. */
const char	*verdict_name(enum detector d);
/* Looks a name up (load time only: a string compare); -1 when unknown. */
int		 verdict_lookup(const char *name);

#endif /* VERDICT_H */
