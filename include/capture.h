/*
 * capture.h - libpcap, wrapped: the only module that includes pcap.h.
 *
 * Opens a capture file (pcap or pcapng, "-" for stdin) or a live
 * interface (promiscuous, snaplen, kernel buffer, BPF filter) and hands
 * each packet to a callback.  The bytes are borrowed only for the call
 * (pcap_loop(3)).  Errors are written into a caller buffer, libpcap's way.
 */
#ifndef CAPTURE_H
#define CAPTURE_H

#include <stddef.h>
#include <stdint.h>

#define CAP_ERRBUF	512
#define CAP_MAX_DLTS	16	/* link types remembered per file */

struct capture;

struct cap_live_opts {
	const char	*iface;
	int		 snaplen;	/* bytes kept per packet */
	int		 promisc;	/* 1 = promiscuous */
	int		 buffer_kb;	/* kernel buffer, 0 = libpcap default */
	int		 timeout_ms;	/* read timeout, batching */
};

/* Called per packet; bytes valid only during the call. */
typedef void (*cap_handler)(void *arg, int dlt, uint64_t ts_us,
    uint32_t caplen, uint32_t wirelen, const uint8_t *bytes);

struct capture	*cap_open_file(const char *path, char *err, size_t errlen);
struct capture	*cap_open_live(const struct cap_live_opts *o, char *err,
		    size_t errlen);
/* Compiles and installs a BPF filter. 0 or -1 (message in err). */
int		 cap_set_filter(struct capture *c, const char *bpf, char *err,
		    size_t errlen);
int		 cap_datalink(const struct capture *c);
const char	*cap_datalink_name(const struct capture *c);
const char	*cap_dlt_name(int dlt);		/* "EN10MB", "unknown" */
/*
 * The link types of the packets read so far (a pcapng file may have one
 * per interface); returns how many, *dlts borrowed from c.
 */
int		 cap_link_types(const struct capture *c, const int **dlts);
/* Packets handed to the handler so far (after the filter). */
uint64_t	 cap_packets(const struct capture *c);
/*
 * Reads up to max packets (max <= 0: one buffer) and calls h for each.
 * Returns the packets handled, 0 when a live read timed out or
 * cap_breakloop() was called, -1 on error (message in err), -2 at end of
 * file.
 */
int		 cap_dispatch(struct capture *c, int max, cap_handler h,
		    void *arg, char *err, size_t errlen);
/* Selectable fd for poll(2) in live mode, -1 for files. */
int		 cap_fd(const struct capture *c);
/* Interrupts a cap_dispatch in progress (from a signal handler). */
void		 cap_breakloop(struct capture *c);
/*
 * Live: joins c to a PACKET_FANOUT group in hash mode with IPv4
 * defragmentation (Linux), so each packet goes to one member and both
 * directions of a flow to the same one.  *group < 0: a new group (its
 * id is stored in *group); else the group to join.  0 or -1 (err).
 */
int		 cap_fanout_join(struct capture *c, int *group, char *err,
		    size_t errlen);
/* Live: reads and drops every packet ready now; how many. */
uint64_t	 cap_discard(struct capture *c);
/* Live drop counters; 0 or -1. */
int		 cap_stats(struct capture *c, uint64_t *drops, uint64_t *ifdrops);
void		 cap_close(struct capture *c);	/* NULL ok */
/* libpcap's version string. */
const char	*cap_lib_version(void);

/* Bytes of a capture file read so far (progress); 0 when unknown. */
uint64_t	 cap_file_pos(struct capture *c);

#endif /* CAPTURE_H */
