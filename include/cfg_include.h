/*
 * cfg_include.h - `include:` layers of a configuration.
 *
 * A file may name other files or directories under the top-level key
 * `include:` (a path or a list of paths, relative to the including
 * file).  A directory stands for its *.yaml and *.yml files (not
 * starting with '.') in name order.  Included files are layered over the
 * including file, in order, and may include others (at most
 * CFG_INCLUDE_DEPTH deep; a file that includes itself, directly or not,
 * is an error).  Layering: maps merge key by key; any other value
 * replaces the earlier one (a network, a list, a threshold, an output);
 * `rules:` are appended, and a rule whose `sid` is already defined
 * replaces that rule in place.  Every node keeps the name of its file
 * so errors read "included.yaml:line:col: ...".
 */
#ifndef CFG_INCLUDE_H
#define CFG_INCLUDE_H

#include "yconf.h"

#define CFG_INCLUDE_DEPTH	8	/* nested includes */
#define CFG_INCLUDE_FILES	64	/* files in one configuration */

struct cfg_include {
	char	*names[CFG_INCLUDE_FILES];	/* owned; nodes point here */
	int	 n;
};

/*
 * Loads path and everything it includes into one tree (caller frees it
 * with yconf_free, then the names with cfg_include_fini).  NULL after
 * reporting every error through e.
 */
struct yconf_node *cfg_include_load(const char *path, struct yconf_errs *e,
		    struct cfg_include *inc);
/* The same for a tree already loaded from a string named name. */
struct yconf_node *cfg_include_expand(struct yconf_node *root,
		    const char *name, struct yconf_errs *e,
		    struct cfg_include *inc);
void		 cfg_include_fini(struct cfg_include *inc);

#endif /* CFG_INCLUDE_H */
