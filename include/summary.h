/*
 * summary.h - triage at a glance: a progress line while files are read
 * and a summary of what was found at the end of a run.
 *
 * The progress line (packets, bytes, percent of the input read, packets/s,
 * ETA) is drawn on stderr only when stderr is a terminal, at most four
 * times a second, and erased before anything else is printed.  The
 * summary (alerts by detector and severity, the inside hosts with the most
 * alerts, per input its packets and first/last packet time) is printed
 * at the end of every run, terminal or not: it is a handful of lines on
 * stderr and replaces the counter dump (which -v still prints).  All
 * memory is allocated by summary_new(); nothing per packet allocates.
 */
#ifndef SUMMARY_H
#define SUMMARY_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "packet.h"

struct summary;
struct flow;
struct rule;

/* n_inputs: -r files to come (0 for live).  progress: draw the line. */
struct summary	*summary_new(int n_inputs, bool progress);
void		 summary_free(struct summary *sm);	/* NULL ok */
/* Total bytes of all inputs (for percent and ETA); 0 = unknown. */
void		 summary_set_total(struct summary *sm, uint64_t bytes);
/* The next input starts (index in order, its name, its size or 0). */
void		 summary_input(struct summary *sm, const char *name,
		    uint64_t size);
/* Between batches: pos = bytes of the current input read so far. */
void		 summary_progress(struct summary *sm, uint64_t pos);
/* One alert: by detector (-1 = a flow rule) and severity, and the
 * inside host of the flow (internal = the cfg's internal set). */
void		 summary_alert(struct summary *sm, const struct ip_addr *inside,
		    int detector, unsigned severity);
/* Erases the progress line and prints the summary. */
void		 summary_print(struct summary *sm, FILE *fp);

/* The per-packet part, inline: two compares and two adds. */
struct summary_input {
	char		 name[256];
	uint64_t	 size;
	uint64_t	 pkts;
	uint64_t	 bytes;
	uint64_t	 first_us;
	uint64_t	 last_us;
};

struct summary_hot {
	struct summary_input	*cur;		/* NULL before the first */
	uint64_t		 pkts;		/* all inputs */
	uint64_t		 bytes;
};

/* One packet of the current input (packet time).  struct summary_hot
 * is the first member of struct summary (summary.c). */
static inline void
summary_packet(struct summary *sm, uint64_t ts_us, uint32_t wirelen)
{
	struct summary_hot *h = (struct summary_hot *)(void *)sm;
	struct summary_input *in = h->cur;

	h->pkts++;
	h->bytes += wirelen;
	if (in == NULL)
		return;
	if (in->pkts++ == 0 || ts_us < in->first_us)
		in->first_us = ts_us;
	if (ts_us > in->last_us)
		in->last_us = ts_us;
	in->bytes += wirelen;
}

#endif /* SUMMARY_H */
