/*
 * pcap-loop: the floor for `make bench`.
 *
 * Reads every packet of a capture file with pcap_next_ex(), touching the
 * first and last byte of each so the loop does no less work than a real
 * reader must, optionally N times over (reopening the file each pass), and
 * prints one line:
 *
 *	packets=P bytes=B seconds=S pps=X
 *
 * P and B are totals over all passes; S is wall-clock (CLOCK_MONOTONIC)
 * from the first open to the last close.
 *
 * Usage: pcap-loop FILE [N]
 */

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <pcap/pcap.h>

struct loop_stats {
	uint64_t	packets;
	uint64_t	bytes;
	unsigned int	sink;		/* keeps the byte reads alive */
};

static void	usage(void);
static int	parse_count(const char *, unsigned long *);
static int	read_pass(const char *, struct loop_stats *);
static double	now_seconds(void);

static void
usage(void)
{
	fprintf(stderr, "usage: pcap-loop FILE [N]\n");
	exit(2);
}

/* Parses a positive decimal pass count; 0 on success, -1 otherwise. */
static int
parse_count(const char *s, unsigned long *out)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v == 0 || v > 1000000)
		return (-1);
	*out = v;
	return (0);
}

static double
now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((double)ts.tv_sec + (double)ts.tv_nsec / 1e9);
}

/*
 * One pass over the file.  Adds to *st; returns 0, or -1 after printing
 * libpcap's error.
 */
static int
read_pass(const char *path, struct loop_stats *st)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *hdr;
	const u_char *data;
	pcap_t *p;
	int rc;

	errbuf[0] = '\0';
	p = pcap_open_offline(path, errbuf);
	if (p == NULL) {
		fprintf(stderr, "pcap-loop: %s: %s\n", path, errbuf);
		return (-1);
	}
	while ((rc = pcap_next_ex(p, &hdr, &data)) == 1) {
		st->packets++;
		st->bytes += hdr->caplen;
		if (hdr->caplen > 0)
			st->sink += (unsigned int)data[0] +
			    (unsigned int)data[hdr->caplen - 1];
	}
	if (rc == PCAP_ERROR) {
		fprintf(stderr, "pcap-loop: %s: %s\n", path, pcap_geterr(p));
		pcap_close(p);
		return (-1);
	}
	pcap_close(p);
	return (0);
}

int
main(int argc, char *argv[])
{
	struct loop_stats st = { 0, 0, 0 };
	unsigned long i, passes = 1;
	double t0, secs;

	if (argc < 2 || argc > 3)
		usage();
	if (argc == 3 && parse_count(argv[2], &passes) == -1)
		usage();

	t0 = now_seconds();
	for (i = 0; i < passes; i++)
		if (read_pass(argv[1], &st) == -1)
			return (1);
	secs = now_seconds() - t0;

	printf("packets=%" PRIu64 " bytes=%" PRIu64 " seconds=%.6f pps=%.0f\n",
	    st.packets, st.bytes, secs,
	    secs > 0 ? (double)st.packets / secs : 0.0);
	/* Never true in practice; makes the sink observable to the compiler. */
	if (st.sink == UINT_MAX)
		fprintf(stderr, "pcap-loop: sink %u\n", st.sink);
	return (0);
}
