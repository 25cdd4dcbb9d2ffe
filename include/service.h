/*
 * service.h - telling systemd how the sensor is doing (sd_notify).
 *
 * Under a unit with Type=notify the sensor says READY=1 once the capture
 * and the outputs are open (so `systemctl start` returns only then, and
 * a start that fails shows as failed), RELOADING=1/READY=1 around a
 * SIGHUP, STOPPING=1 at shutdown, and a STATUS= line with what it has
 * seen.  With WatchdogSec= set, service_tick() sends WATCHDOG=1 at half
 * the interval from the capture loop, so a loop that hangs (not merely a
 * quiet link: the loop wakes every second) gets the service restarted.
 * Outside systemd ($NOTIFY_SOCKET unset) every call does nothing.
 */
#ifndef SERVICE_H
#define SERVICE_H

#include <stdint.h>

struct stats;

void	service_ready(void);
void	service_reloading(void);
void	service_stopping(void);
/* From the capture loop; wall clock in microseconds. */
void	service_tick(uint64_t wall_us, const struct stats *st);

#endif /* SERVICE_H */
