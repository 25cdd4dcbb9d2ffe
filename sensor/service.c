/*
 * service.c - sd_notify for the systemd unit (see service.h).
 */
#include <stdbool.h>
#include <systemd/sd-daemon.h>

#include "service.h"
#include "stats.h"

#define SERVICE_STATUS_US	5000000	/* STATUS= line at most this often */

static uint64_t watchdog_us;	/* 0: no watchdog asked for */
static uint64_t last_ping_us, last_status_us;
static bool	checked;

static void
service_check(void)
{
	uint64_t us;

	if (checked)
		return;
	checked = true;
	/* Keeps $WATCHDOG_USEC: a forked helper must not inherit it. */
	if (sd_watchdog_enabled(0, &us) > 0)
		watchdog_us = us;
}

void
service_ready(void)
{
	service_check();
	(void)sd_notify(0, "READY=1\nSTATUS=capturing");
}

void
service_reloading(void)
{
	(void)sd_notify(0, "RELOADING=1\nSTATUS=reloading the policy");
}

void
service_stopping(void)
{
	(void)sd_notify(0, "STOPPING=1\nSTATUS=stopping: flushing flows");
}

void
service_tick(uint64_t wall_us, const struct stats *st)
{
	service_check();
	if (watchdog_us != 0 && wall_us - last_ping_us >= watchdog_us / 2) {
		last_ping_us = wall_us;
		(void)sd_notify(0, "WATCHDOG=1");
	}
	if (wall_us - last_status_us >= SERVICE_STATUS_US) {
		last_status_us = wall_us;
		(void)sd_notifyf(0, "STATUS=%llu packets, %llu flows, %llu "
		    "alerts, %llu capture drops",
		    (unsigned long long)st->v[ST_PACKETS],
		    (unsigned long long)st->v[ST_FLOWS_CREATED],
		    (unsigned long long)st->v[ST_ALERTS],
		    (unsigned long long)st->v[ST_CAPTURE_DROPS]);
	}
}
