/*
 * cfg_incident.h - the `incident:` section of the config: how verdicts of
 * one inside host are joined into one incident.  Parsed by
 * cfg_incident_parse() (sensor/incident.c), called from cfg.c for the
 * `incident` key; see rules/README.md for every key.
 */
#ifndef CFG_INCIDENT_H
#define CFG_INCIDENT_H

#include <stdint.h>

struct yconf_errs;
struct yconf_node;

struct cfg_incident {
	uint32_t	window;		/* s of packet time an incident stays open after its last member */
	uint32_t	max_hosts;	/* incidents open at once (table size, at start) */
	uint32_t	new_destinations; /* new_destination members per incident at most */
	uint32_t	redis_ttl;	/* s: EXPIRE of the per-incident Redis hash */
};

void	cfg_incident_defaults(struct cfg_incident *ci);
/* Parses the `incident` map n (may be NULL) into ci; errors go to e. */
void	cfg_incident_parse(struct yconf_errs *e, const struct yconf_node *n,
	    struct cfg_incident *ci);

#endif /* CFG_INCIDENT_H */
