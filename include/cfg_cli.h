/*
 * cfg_cli.h - what the command line does with a loaded config:
 * --home-net overrides, and `-n`'s report (warnings and a summary).
 */
#ifndef CFG_CLI_H
#define CFG_CLI_H

#include <stdbool.h>
#include <stddef.h>

struct cfg;

/*
 * Parses spec ("CIDR[,CIDR...]") and, when c is not NULL, makes it the
 * content of the networks `internal` and `training` (training only when
 * the config defines it).  0, or -1 with a message in err.
 */
int	cfg_cli_home_net(struct cfg *c, const char *spec, char *err,
	    size_t errlen);

/*
 * `-n`: prints one "warning: ..." line per policy mistake that loads but
 * quietly weakens detection (a network or list no rule or detector uses,
 * a detector whose list is missing or empty, names in a list used as
 * src_net/dest_net, no output configured), then a one-line summary.
 * Returns the exit status: 0, or 2 when the config has no rules at all
 * (an explicit `rules: []` allows that).  cli_output: --json or --redis
 * was given.
 */
int	cfg_cli_check(const struct cfg *c, bool cli_output);

#endif /* CFG_CLI_H */
