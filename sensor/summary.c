/*
 * summary.c - progress line and end-of-run summary (see summary.h).
 *
 * Alerts are counted by detector and severity in a fixed table and by
 * inside host in an open-addressing table of SUMMARY_HOSTS slots (hosts
 * beyond it are counted together as "others").  The inputs' table is
 * allocated once for the number of -r inputs.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cidr.h"
#include "summary.h"
#include "util.h"
#include "verdict.h"

#define SUMMARY_HOSTS	4096	/* inside hosts counted one by one */
#define SUMMARY_TOP	10	/* hosts printed */
#define SUMMARY_RULE	DET_COUNT	/* row of flow rules (no detector) */

struct summary_host {
	struct ip_addr	addr;
	uint64_t	alerts;
	bool		used;
};

struct summary {
	struct summary_hot	 hot;		/* first: summary_packet() */
	struct summary_input	*inputs;
	int			 n_inputs;	/* capacity */
	int			 used;		/* inputs started */
	bool			 progress;
	bool			 drawn;		/* a progress line is shown */
	uint64_t		 total;		/* bytes of all inputs, 0 = ? */
	uint64_t		 done;		/* bytes of finished inputs */
	struct timespec		 start;
	struct timespec		 last_draw;
	uint64_t		 by_det[DET_COUNT + 1][3];
	uint64_t		 alerts;
	uint64_t		 other_hosts;	/* alerts of hosts not in hosts[] */
	struct summary_host	 hosts[SUMMARY_HOSTS];
};

struct summary *
summary_new(int n_inputs, bool progress)
{
	struct summary *sm;

	if ((sm = calloc(1, sizeof(*sm))) == NULL)
		return NULL;
	if (n_inputs > 0 &&
	    (sm->inputs = calloc((size_t)n_inputs, sizeof(*sm->inputs))) ==
	    NULL) {
		free(sm);
		return NULL;
	}
	sm->n_inputs = n_inputs;
	sm->progress = progress;
	clock_gettime(CLOCK_MONOTONIC, &sm->start);
	return sm;
}

void
summary_free(struct summary *sm)
{
	if (sm == NULL)
		return;
	free(sm->inputs);
	free(sm);
}

void
summary_set_total(struct summary *sm, uint64_t bytes)
{
	sm->total = bytes;
}

void
summary_input(struct summary *sm, const char *name, uint64_t size)
{
	struct summary_input *in;

	if (sm->hot.cur != NULL)
		sm->done += sm->hot.cur->size;
	if (sm->used >= sm->n_inputs) {
		sm->hot.cur = NULL;
		return;
	}
	in = &sm->inputs[sm->used++];
	strlcpy(in->name, name, sizeof(in->name));
	in->size = size;
	sm->hot.cur = in;
}

static double
summary_elapsed(const struct timespec *from, const struct timespec *to)
{
	return (double)(to->tv_sec - from->tv_sec) +
	    (double)(to->tv_nsec - from->tv_nsec) / 1e9;
}

/* "1.2 MB" style, into buf. */
static const char *
summary_bytes(uint64_t b, char *buf, size_t len)
{
	static const char *const unit[] = { "B", "kB", "MB", "GB", "TB" };
	double v = (double)b;
	int u = 0;

	while (v >= 1000.0 && u < 4) {
		v /= 1000.0;
		u++;
	}
	(void)snprintf(buf, len, u == 0 ? "%.0f %s" : "%.1f %s", v, unit[u]);
	return buf;
}

void
summary_progress(struct summary *sm, uint64_t pos)
{
	struct timespec now;
	double secs, rate, frac = -1.0, eta = -1.0;
	uint64_t read = sm->done + pos;
	char b1[32], b2[32], tail[64] = "";

	if (!sm->progress)
		return;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (sm->drawn && summary_elapsed(&sm->last_draw, &now) < 0.25)
		return;
	sm->last_draw = now;
	secs = summary_elapsed(&sm->start, &now);
	rate = secs > 0 ? (double)sm->hot.pkts / secs : 0;
	if (sm->total > 0) {
		frac = (double)read / (double)sm->total;
		if (frac > 1.0)
			frac = 1.0;
		if (read > 0 && secs > 0.5)
			eta = secs * (double)(sm->total - (read < sm->total ?
			    read : sm->total)) / (double)read;
	}
	if (frac >= 0 && eta >= 0)
		(void)snprintf(tail, sizeof(tail), "  %.1f%% of %s  ETA %.0fs",
		    frac * 100.0, summary_bytes(sm->total, b2, sizeof(b2)), eta);
	else if (frac >= 0)
		(void)snprintf(tail, sizeof(tail), "  %.1f%% of %s",
		    frac * 100.0, summary_bytes(sm->total, b2, sizeof(b2)));
	fprintf(stderr, "\r\033[K%d/%d %llu pkts  %s  %.0f pkts/s%s",
	    sm->used, sm->n_inputs, (unsigned long long)sm->hot.pkts,
	    summary_bytes(sm->hot.bytes, b1, sizeof(b1)), rate, tail);
	fflush(stderr);
	sm->drawn = true;
}

void
summary_alert(struct summary *sm, const struct ip_addr *inside, int detector,
    unsigned severity)
{
	uint32_t h = 2166136261u;
	size_t i, k;

	if (severity < 1 || severity > 3)
		return;
	sm->by_det[detector >= 0 && detector < DET_COUNT ? detector :
	    SUMMARY_RULE][severity - 1]++;
	sm->alerts++;
	for (i = 0; i < sizeof(inside->b); i++)
		h = (h ^ inside->b[i]) * 16777619u;
	for (i = 0; i < SUMMARY_HOSTS; i++) {
		k = (h + i) & (SUMMARY_HOSTS - 1);
		if (!sm->hosts[k].used) {
			sm->hosts[k].used = true;
			sm->hosts[k].addr = *inside;
		}
		if (memcmp(&sm->hosts[k].addr, inside, sizeof(*inside)) == 0) {
			sm->hosts[k].alerts++;
			return;
		}
	}
	sm->other_hosts++;
}

static const char *
summary_time(uint64_t us, char *buf, size_t len)
{
	time_t t = (time_t)(us / 1000000);
	struct tm tm;

	if (gmtime_r(&t, &tm) == NULL ||
	    strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		(void)snprintf(buf, len, "?");
	return buf;
}

static void
summary_print_alerts(const struct summary *sm, FILE *fp)
{
	const uint64_t *row;
	int d;

	fprintf(fp, "egress-sensor: %llu alerts\n",
	    (unsigned long long)sm->alerts);
	if (sm->alerts == 0)
		return;
	fprintf(fp, "  %-28s %8s %8s %8s\n", "detector", "sev 1", "sev 2",
	    "sev 3");
	for (d = 0; d <= DET_COUNT; d++) {
		row = sm->by_det[d];
		if (row[0] + row[1] + row[2] == 0)
			continue;
		fprintf(fp, "  %-28s %8llu %8llu %8llu\n", d == SUMMARY_RULE ?
		    "(flow rules)" : verdict_name((enum detector)d),
		    (unsigned long long)row[0], (unsigned long long)row[1],
		    (unsigned long long)row[2]);
	}
}

static int
summary_host_cmp(const void *a, const void *b)
{
	const struct summary_host *x = a, *y = b;

	if (x->alerts != y->alerts)
		return x->alerts < y->alerts ? 1 : -1;
	return memcmp(&x->addr, &y->addr, sizeof(x->addr));
}

/* Sorts the host table in place: called once, at the end. */
static void
summary_print_hosts(struct summary *sm, FILE *fp)
{
	char buf[64];
	size_t i;

	if (sm->alerts == 0)
		return;
	qsort(sm->hosts, SUMMARY_HOSTS, sizeof(sm->hosts[0]),
	    summary_host_cmp);
	fprintf(fp, "  inside hosts with the most alerts:\n");
	for (i = 0; i < SUMMARY_TOP && sm->hosts[i].used &&
	    sm->hosts[i].alerts > 0; i++)
		fprintf(fp, "    %-40s %llu\n", ip_addr_format(
		    &sm->hosts[i].addr, buf, sizeof(buf)),
		    (unsigned long long)sm->hosts[i].alerts);
	if (sm->other_hosts > 0)
		fprintf(fp, "    %-40s %llu\n", "(others)",
		    (unsigned long long)sm->other_hosts);
	/* The table is sorted now: no more summary_alert() after this. */
	memset(sm->hosts, 0, sizeof(sm->hosts));
}

void
summary_print(struct summary *sm, FILE *fp)
{
	const struct summary_input *in;
	char t1[32], t2[32], b[32];
	int i;

	if (sm->drawn) {
		fprintf(stderr, "\r\033[K");
		sm->drawn = false;
	}
	summary_print_alerts(sm, fp);
	summary_print_hosts(sm, fp);
	for (i = 0; i < sm->used; i++) {
		in = &sm->inputs[i];
		if (in->pkts == 0) {
			fprintf(fp, "  input %s: 0 packets\n", in->name);
			continue;
		}
		fprintf(fp, "  input %s: %llu packets, %s, %s .. %s\n",
		    in->name, (unsigned long long)in->pkts,
		    summary_bytes(in->bytes, b, sizeof(b)),
		    summary_time(in->first_us, t1, sizeof(t1)),
		    summary_time(in->last_us, t2, sizeof(t2)));
	}
	fflush(fp);
}
