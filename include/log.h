/*
 * log.h - the log_* / fatal* API (OpenBSD daemons' shape).
 *
 * Everything goes to stderr, lowercase, prefixed with the module
 * ("redis: connect ...").  The level is checked before formatting.  Never
 * called per packet.  fatal*() only before the first packet (main, cfg,
 * capture open).
 */
#ifndef LOG_H
#define LOG_H

#include <stdarg.h>

enum log_level { LOG_LVL_WARN, LOG_LVL_INFO, LOG_LVL_DEBUG };

void	log_init(int verbosity);	/* 0 warn, 1 info, 2+ debug */
/* Timestamps on stderr lines (live capture; never under journald). */
void	log_timestamps(int on);
int	log_level(void);
void	log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void	log_warnx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void	log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void	log_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Log and exit(status); fatal() adds strerror(errno). */
void	fatal(int status, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3), noreturn));
void	fatalx(int status, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3), noreturn));

#endif /* LOG_H */
