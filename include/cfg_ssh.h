/*
 * cfg_ssh.h - the `ssh:` section of the config: reverse-SSH detector
 * thresholds.  Parsed by cfg_ssh_parse() (sensor/det_ssh.c), called from
 * cfg.c for the `ssh` key; see rules/README.md.
 */
#ifndef CFG_SSH_H
#define CFG_SSH_H

#include <stdint.h>

struct yconf_errs;
struct yconf_node;

struct cfg_ssh {
	uint32_t	long_lived_seconds;	/* ssh_long_lived after this (s) */
};

void	cfg_ssh_defaults(struct cfg_ssh *cs);
/* Parses the `ssh` map n (may be NULL) into cs; errors go to e. */
void	cfg_ssh_parse(struct yconf_errs *e, const struct yconf_node *n,
	    struct cfg_ssh *cs);

#endif /* CFG_SSH_H */
