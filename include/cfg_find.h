/*
 * cfg_find.h - where the configuration comes from when -c is not given.
 *
 * Search order: -c FILE, $EGRESS_SENSOR_CONFIG, CFG_FIND_SYSTEM
 * (/etc/egress-sensor/egress.yaml), then the source tree's
 * rules/egress.yaml next to the binary (<dir of the binary>/../rules/),
 * never the working directory.  -c and the variable are explicit: when
 * given they are used as they are, found or not (the loader reports a
 * missing file).  The other two are used when they exist.
 */
#ifndef CFG_FIND_H
#define CFG_FIND_H

#include <stddef.h>

#ifndef CFG_FIND_SYSTEM
#define CFG_FIND_SYSTEM	"/etc/egress-sensor/egress.yaml"
#endif
#define CFG_FIND_ENV	"EGRESS_SENSOR_CONFIG"

/*
 * Picks the config path into out (len bytes).  opt is -c's argument or
 * NULL.  0 when a path was chosen; -1 when none exists, with the paths
 * tried, comma-separated, in tried.
 */
int	cfg_find(const char *opt, char *out, size_t len, char *tried,
	    size_t tried_len);

#endif /* CFG_FIND_H */
