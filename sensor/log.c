/*
 * log.c - stderr logging with levels.
 *
 * The only module besides out_file.c that writes to a stdio stream.  The
 * level lives in one file-static int set once at start-up.  Under
 * systemd (stderr is the journal stream named by $JOURNAL_STREAM) each
 * line starts with its syslog level, "<4>" warning, "<6>" info, "<7>"
 * debug, so `journalctl -p warning` works; the journal adds the time.
 * Elsewhere a live capture (a long run) puts a UTC timestamp first; file
 * runs keep plain lines.
 */
#include <sys/stat.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "log.h"

static int log_verbosity;
static int log_journal;		/* stderr is systemd's journal stream */
static int log_stamps;		/* timestamp each line */

/* $JOURNAL_STREAM is "dev:ino" of the journal socket given as stderr. */
static int
log_on_journal(void)
{
	const char *js = getenv("JOURNAL_STREAM");
	unsigned long long dev, ino;
	struct stat st;

	return js != NULL && sscanf(js, "%llu:%llu", &dev, &ino) == 2 &&
	    fstat(STDERR_FILENO, &st) == 0 &&
	    (unsigned long long)st.st_dev == dev &&
	    (unsigned long long)st.st_ino == ino;
}

void
log_init(int verbosity)
{
	log_verbosity = verbosity;
	log_journal = log_on_journal();
}

void
log_timestamps(int on)
{
	log_stamps = on && !log_journal;
}

int
log_level(void)
{
	return log_verbosity;
}

static void
log_vwrite(int level, const char *fmt, va_list ap, int saved_errno)
{
	static const char prio[] = { '4', '6', '7' };
	char stamp[32];
	struct tm tm;
	time_t now;

	if (log_journal)
		fprintf(stderr, "<%c>", prio[level]);
	else if (log_stamps) {
		now = time(NULL);
		if (gmtime_r(&now, &tm) != NULL &&
		    strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%SZ ",
		    &tm) > 0)
			fputs(stamp, stderr);
	}
	fputs("egress-sensor: ", stderr);
	vfprintf(stderr, fmt, ap);
	if (saved_errno != 0)
		fprintf(stderr, ": %s", strerror(saved_errno));
	fputc('\n', stderr);
}

void
log_warn(const char *fmt, ...)
{
	int saved = errno;
	va_list ap;

	va_start(ap, fmt);
	log_vwrite(LOG_LVL_WARN, fmt, ap, saved);
	va_end(ap);
}

void
log_warnx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vwrite(LOG_LVL_WARN, fmt, ap, 0);
	va_end(ap);
}

void
log_info(const char *fmt, ...)
{
	va_list ap;

	if (log_verbosity < LOG_LVL_INFO)
		return;
	va_start(ap, fmt);
	log_vwrite(LOG_LVL_INFO, fmt, ap, 0);
	va_end(ap);
}

void
log_debug(const char *fmt, ...)
{
	va_list ap;

	if (log_verbosity < LOG_LVL_DEBUG)
		return;
	va_start(ap, fmt);
	log_vwrite(LOG_LVL_DEBUG, fmt, ap, 0);
	va_end(ap);
}

void
fatal(int status, const char *fmt, ...)
{
	int saved = errno;
	va_list ap;

	va_start(ap, fmt);
	log_vwrite(LOG_LVL_WARN, fmt, ap, saved);
	va_end(ap);
	exit(status);
}

void
fatalx(int status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vwrite(LOG_LVL_WARN, fmt, ap, 0);
	va_end(ap);
	exit(status);
}
