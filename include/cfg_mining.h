/*
 * cfg_mining.h - the `mining:` section of the config: mining detector
 * settings.  Parsed by cfg_mining_parse() (sensor/det_mining.c), called
 * from cfg.c for the `mining` key; see rules/README.md.
 */
#ifndef CFG_MINING_H
#define CFG_MINING_H

#include <stdint.h>

struct yconf_errs;
struct yconf_node;

struct cfg_mining {
	uint32_t	pdns_capacity;	/* passive DNS entries kept */
};

void	cfg_mining_defaults(struct cfg_mining *cm);
/* Parses the `mining` map n (may be NULL) into cm; errors go to e. */
void	cfg_mining_parse(struct yconf_errs *e, const struct yconf_node *n,
	    struct cfg_mining *cm);

#endif /* CFG_MINING_H */
