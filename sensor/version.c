/*
 * version.c - --version: ours and the versions of the libraries that
 * shape what we see (libpcap, nDPI), write (hiredis) and read (libyaml).
 * Each library is asked through the one module that includes it.
 */
#include <stdio.h>

#include "capture.h"
#include "classify.h"
#include "out_redis.h"
#include "sensor.h"
#include "version.h"
#include "yconf.h"

void
version_string(char *buf, size_t len)
{
	int ma, mi, pa;

	out_redis_lib_version(&ma, &mi, &pa);
	(void)snprintf(buf, len, "egress-sensor %s\n  %s\n  nDPI %s\n"
	    "  hiredis %d.%d.%d\n  libyaml %s", SENSOR_VERSION,
	    cap_lib_version(), cls_lib_version(), ma, mi, pa,
	    yconf_lib_version());
}
