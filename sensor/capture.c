/*
 * capture.c - libpcap wrapper (see capture.h).
 *
 * Owns the pcap_t.  Classic pcap files are opened by libpcap, which
 * checks the header, and then, when they are regular files of a link
 * type we decode, their records are read by pcapfile.c (one pread(2)
 * copy, packets handed out in place; the pcap_t stays for the filter);
 * pipes and other link types are read by libpcap.  pcapng files go
 * through our own reader (pcapng.c), because libpcap 1.10 cannot read
 * one whose interfaces have different link types: each packet then
 * carries its interface's link type, and a BPF filter is compiled once
 * per interface.  Live interfaces through pcap_create/pcap_activate so
 * snaplen, promiscuous mode, buffer size and timeout are set before
 * activation.  Packet timestamps are converted to microseconds here so
 * the rest of the sensor sees one time unit.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <limits.h>
#include <unistd.h>
#include <sys/socket.h>
#include <linux/if_packet.h>

#include <pcap/pcap.h>

#include "capture.h"
#include "log.h"
#include "pcapfile.h"
#include "pcapng.h"
#include "util.h"

#define CAP_READ_BUF	(1 << 20)	/* stdio buffer for capture files */
#define CAP_MAX_CAPLEN	262144u		/* libpcap's MAXIMUM_SNAPLEN */

struct capture {
	pcap_t		*p;		/* NULL for a pcapng file */
	int		 dlt;
	bool		 live;
	cap_handler	 h;
	void		*arg;
	struct pcapfile	*pf;		/* a classic file read by pcapfile.c */
	/* pcapng files (pcapng.c) */
	struct pcapng	*ng;
	FILE		*fp;		/* owned unless stdin */
	char		*rbuf;		/* fp's stdio buffer (CAP_READ_BUF) */
	char		*bpf;		/* filter text, compiled per interface */
	struct bpf_program prog[PCAPNG_MAX_IF];
	bool		 prog_ok[PCAPNG_MAX_IF];
	volatile bool	 brk;		/* cap_breakloop() (pcapng, pf) */
	bool		 prog_bad[PCAPNG_MAX_IF];	/* filter fits not */
	int		 dlts[CAP_MAX_DLTS];	/* link types seen */
	int		 n_dlts;
	uint64_t	 pkts;		/* packets handed to the handler */
	uint32_t	 section;	/* pcapng section of prog[] */
};

/* A new pcapng section: its interfaces need filters of their own. */
static void
cap_ng_reset(struct capture *c, uint32_t section)
{
	int i;

	for (i = 0; i < PCAPNG_MAX_IF; i++) {
		if (c->prog_ok[i])
			pcap_freecode(&c->prog[i]);
		c->prog_ok[i] = c->prog_bad[i] = false;
	}
	c->section = section;
}

/*
 * A pcapng file (by its first 4 bytes) gets our reader; anything else
 * goes to libpcap.  Standard input is peeked once, so a classic pcap on
 * it is handed to libpcap through a stream that replays those bytes.
 */
struct cap_peek {
	FILE		*in;
	uint8_t		 head[4];
	size_t		 n, used;
};

/* One read(2) at most: a pipe hands over what it has, never waits for more. */
static ssize_t
cap_peek_read(void *cookie, char *buf, size_t size)
{
	struct cap_peek *pk = cookie;
	size_t n = 0;
	ssize_t r;

	while (pk->used < pk->n && n < size)
		buf[n++] = (char)pk->head[pk->used++];
	if (n > 0)
		return (ssize_t)n;
	do
		r = read(STDIN_FILENO, buf, size);
	while (r == -1 && errno == EINTR);
	return r;
}

/* The first bytes of stdin by read(2), so stdio buffers nothing yet. */
static size_t
cap_read_head(uint8_t *head, size_t want)
{
	size_t n = 0;
	ssize_t r;

	while (n < want) {
		r = read(STDIN_FILENO, head + n, want - n);
		if (r == -1 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		n += (size_t)r;
	}
	return n;
}

static int
cap_peek_close(void *cookie)
{
	free(cookie);
	return 0;
}

static int
cap_open_ng(struct capture *c, const char *path, FILE *fp,
    const uint8_t head[4], char *err, size_t errlen)
{
	char why[CAP_ERRBUF];

	c->fp = fp;
	if ((c->ng = pcapng_open(fp, head, why, sizeof(why))) == NULL) {
		snprintf(err, errlen, "%s: %s", path, why);
		return -1;
	}
	c->dlt = -1;
	return 0;
}

/* Opens stdin: pcapng by us, else libpcap over a replaying stream. */
static int
cap_open_stdin(struct capture *c, char *err, size_t errlen)
{
	cookie_io_functions_t io = { cap_peek_read, NULL, NULL,
	    cap_peek_close };
	char pcap_err[PCAP_ERRBUF_SIZE] = "";
	struct cap_peek *pk;
	FILE *fp;

	if ((pk = calloc(1, sizeof(*pk))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	pk->in = stdin;
	pk->n = cap_read_head(pk->head, 4);
	if (pk->n == 4 && pcapng_magic(pk->head)) {
		uint8_t head[4];

		memcpy(head, pk->head, 4);
		free(pk);
		return cap_open_ng(c, "-", stdin, head, err, errlen);
	}
	if ((fp = fopencookie(pk, "r", io)) == NULL) {
		free(pk);
		snprintf(err, errlen, "-: out of memory");
		return -1;
	}
	if ((c->p = pcap_fopen_offline(fp, pcap_err)) == NULL) {
		fclose(fp);
		snprintf(err, errlen, "-: %s", pcap_err);
		return -1;
	}
	return 0;
}

/*
 * Link types pcapfile.c reads: the ones we decode, whose packets libpcap
 * hands over as they are in the file (it rewrites the pseudo-headers of
 * USB and NFLOG captures from the other byte order) and may be up to
 * CAP_MAX_CAPLEN bytes (D-Bus, EBHSCR and USBPcap may be longer).
 */
static const int cap_map_dlts[] = {
	0, 1, 9, 12, 14, 50, 104, 108, 113, 228, 229, 276,
};

/* A classic file libpcap has opened on fp: pcapfile.c reads it if it can. */
static void
cap_open_map(struct capture *c, FILE *fp)
{
	size_t i;

	for (i = 0; i < sizeof(cap_map_dlts) / sizeof(cap_map_dlts[0]); i++)
		if (cap_map_dlts[i] == c->dlt) {
			c->pf = pcapfile_open(fileno(fp),
			    (uint32_t)pcap_snapshot(c->p), CAP_MAX_CAPLEN);
			return;
		}
}

struct capture *
cap_open_file(const char *path, char *err, size_t errlen)
{
	char pcap_err[PCAP_ERRBUF_SIZE] = "";
	struct capture *c;

	uint8_t head[4];
	FILE *fp;

	if ((c = calloc(1, sizeof(*c))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	if (strcmp(path, "-") == 0) {
		if (cap_open_stdin(c, err, errlen) == -1) {
			free(c);
			return NULL;
		}
		if (c->p != NULL)
			c->dlt = pcap_datalink(c->p);
		return c;
	}
	if ((fp = fopen(path, "rb")) != NULL) {
		/* stdio's 4 KiB reads were a tenth of a mixed run's time. */
		if ((c->rbuf = malloc(CAP_READ_BUF)) != NULL)
			(void)setvbuf(fp, c->rbuf, _IOFBF, CAP_READ_BUF);
		if (fread(head, 1, 4, fp) == 4 && pcapng_magic(head)) {
			if (cap_open_ng(c, path, fp, head, err, errlen) == 0)
				return c;
			cap_close(c);
			return NULL;
		}
		if (fseek(fp, 0, SEEK_SET) == 0 &&
		    (c->p = pcap_fopen_offline(fp, pcap_err)) != NULL) {
			c->dlt = pcap_datalink(c->p);
			cap_open_map(c, fp);
			return c;	/* the pcap_t owns fp now */
		}
		fclose(fp);
		free(c->rbuf);
		c->rbuf = NULL;
	}
	c->p = pcap_open_offline(path, pcap_err);
	if (c->p == NULL) {
		/* libpcap names the file itself for open errors. */
		if (strncmp(pcap_err, path, strlen(path)) == 0)
			snprintf(err, errlen, "%s", pcap_err);
		else
			snprintf(err, errlen, "%s: %s", path, pcap_err);
		free(c);
		return NULL;
	}
	c->dlt = pcap_datalink(c->p);
	return c;
}

struct capture *
cap_open_live(const struct cap_live_opts *o, char *err, size_t errlen)
{
	char pcap_err[PCAP_ERRBUF_SIZE] = "";
	struct capture *c;
	int rc;

	if ((c = calloc(1, sizeof(*c))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	c->live = true;
	if ((c->p = pcap_create(o->iface, pcap_err)) == NULL) {
		snprintf(err, errlen, "%s: %s", o->iface, pcap_err);
		free(c);
		return NULL;
	}
	pcap_set_snaplen(c->p, o->snaplen > 0 ? o->snaplen : 65535);
	pcap_set_promisc(c->p, o->promisc);
	pcap_set_timeout(c->p, o->timeout_ms > 0 ? o->timeout_ms : 100);
	if (o->buffer_kb > 0)
		pcap_set_buffer_size(c->p, o->buffer_kb * 1024);
	rc = pcap_activate(c->p);
	if (rc < 0) {
		snprintf(err, errlen, "%s: %s%s%s", o->iface,
		    pcap_statustostr(rc), rc == PCAP_ERROR ? ": " : "",
		    rc == PCAP_ERROR ? pcap_geterr(c->p) : "");
		pcap_close(c->p);
		free(c);
		return NULL;
	}
	if (pcap_setnonblock(c->p, 1, pcap_err) == -1) {
		snprintf(err, errlen, "%s: %s", o->iface, pcap_err);
		pcap_close(c->p);
		free(c);
		return NULL;
	}
	c->dlt = pcap_datalink(c->p);
	return c;
}

/* pcapng: the filter is checked now and compiled per interface later. */
static int
cap_set_filter_ng(struct capture *c, const char *bpf, char *err,
    size_t errlen)
{
	struct bpf_program prog;
	pcap_t *dead;

	if ((dead = pcap_open_dead(DLT_EN10MB, 262144)) == NULL ||
	    (c->bpf = strdup(bpf)) == NULL) {
		if (dead != NULL)
			pcap_close(dead);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (pcap_compile(dead, &prog, bpf, 1, PCAP_NETMASK_UNKNOWN) == -1) {
		snprintf(err, errlen, "bad filter '%s': %s", bpf,
		    pcap_geterr(dead));
		pcap_close(dead);
		return -1;
	}
	pcap_freecode(&prog);
	pcap_close(dead);
	return 0;
}

/* The compiled filter of interface i (link type dlt); NULL on error. */
static const struct bpf_program *
cap_ng_prog(struct capture *c, uint32_t i, int dlt, char *err,
    size_t errlen)
{
	pcap_t *dead;

	if (c->prog_ok[i])
		return &c->prog[i];
	if (c->prog_bad[i])
		return NULL;
	if ((dead = pcap_open_dead(dlt, 262144)) == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	/* A link type the filter cannot apply to: its packets never match. */
	if (pcap_compile(dead, &c->prog[i], c->bpf, 1,
	    PCAP_NETMASK_UNKNOWN) == -1) {
		log_warnx("capture: filter '%s' cannot apply to interface %u "
		    "(link type %d): %s; its packets are skipped", c->bpf, i,
		    dlt, pcap_geterr(dead));
		c->prog_bad[i] = true;
		pcap_close(dead);
		return NULL;
	}
	pcap_close(dead);
	c->prog_ok[i] = true;
	return &c->prog[i];
}

int
cap_set_filter(struct capture *c, const char *bpf, char *err, size_t errlen)
{
	struct bpf_program prog;

	if (c->ng != NULL)
		return cap_set_filter_ng(c, bpf, err, errlen);

	if (pcap_compile(c->p, &prog, bpf, 1, PCAP_NETMASK_UNKNOWN) == -1) {
		snprintf(err, errlen, "bad filter '%s': %s", bpf,
		    pcap_geterr(c->p));
		return -1;
	}
	if (pcap_setfilter(c->p, &prog) == -1) {
		snprintf(err, errlen, "cannot set filter: %s",
		    pcap_geterr(c->p));
		pcap_freecode(&prog);
		return -1;
	}
	if (c->pf != NULL) {	/* cap_dispatch_pf() runs it */
		if (c->prog_ok[0])
			pcap_freecode(&c->prog[0]);
		c->prog[0] = prog;
		c->prog_ok[0] = true;
		return 0;
	}
	pcap_freecode(&prog);
	return 0;
}

int
cap_datalink(const struct capture *c)
{
	return c->dlt >= 0 || c->n_dlts == 0 ? c->dlt : c->dlts[0];
}

const char *
cap_datalink_name(const struct capture *c)
{
	return cap_dlt_name(cap_datalink(c));
}

const char *
cap_dlt_name(int dlt)
{
	const char *n = pcap_datalink_val_to_name(dlt);

	return n != NULL ? n : "unknown";
}

/* Remembers a link type seen in this file (the first CAP_MAX_DLTS). */
static void
cap_saw_dlt(struct capture *c, int dlt)
{
	int i;

	for (i = 0; i < c->n_dlts; i++)
		if (c->dlts[i] == dlt)
			return;
	if (c->n_dlts < CAP_MAX_DLTS)
		c->dlts[c->n_dlts++] = dlt;
}

uint64_t
cap_packets(const struct capture *c)
{
	return c->pkts;
}

int
cap_link_types(const struct capture *c, const int **dlts)
{
	*dlts = c->dlts;
	return c->n_dlts;
}

static void
cap_trampoline(u_char *user, const struct pcap_pkthdr *hdr,
    const u_char *bytes)
{
	struct capture *c = (struct capture *)user;
	uint64_t ts_us = (uint64_t)hdr->ts.tv_sec * 1000000ULL +
	    (uint64_t)hdr->ts.tv_usec;

	c->pkts++;
	c->h(c->arg, c->dlt, ts_us, hdr->caplen, hdr->len, bytes);
}

/* cap_dispatch for a pcapng file: our reader, a filter per interface. */
static int
cap_dispatch_ng(struct capture *c, int max, char *err, size_t errlen)
{
	const struct bpf_program *prog;
	struct pcap_pkthdr hdr;
	struct pcapng_pkt p;
	int n = 0, rc;

	c->brk = false;
	while ((max <= 0 || n < max) && !c->brk) {
		if ((rc = pcapng_next(c->ng, &p, err, errlen)) == -1)
			return -1;
		if (rc == 0)
			return n > 0 ? n : -2;
		cap_saw_dlt(c, p.dlt);
		if (c->bpf != NULL) {
			if (p.section != c->section)
				cap_ng_reset(c, p.section);
			if (p.ifidx >= PCAPNG_MAX_IF)
				continue;
			if ((prog = cap_ng_prog(c, p.ifidx, p.dlt, err,
			    errlen)) == NULL) {
				if (c->prog_bad[p.ifidx])
					continue;
				return -1;
			}
			memset(&hdr, 0, sizeof(hdr));
			hdr.caplen = p.caplen;
			hdr.len = p.wirelen;
			if (pcap_offline_filter(prog, &hdr, p.data) == 0)
				continue;
		}
		c->h(c->arg, p.dlt, p.ts_us, p.caplen, p.wirelen, p.data);
		c->pkts++;
		n++;
	}
	return n;
}

/*
 * cap_dispatch for a classic file read by pcapfile.c: pcap_dispatch's
 * semantics (a break before the first packet returns 0 and is spent,
 * after one it stays for the next call; an error loses the batch's
 * count, not its packets).
 */
static int
cap_dispatch_pf(struct capture *c, int max, char *err, size_t errlen)
{
	struct pcap_pkthdr hdr;
	struct pcapfile_pkt p;
	int n = 0, rc;

	if (max <= 0)
		max = INT_MAX;
	memset(&hdr, 0, sizeof(hdr));
	for (;;) {
		if (c->brk) {
			if (n > 0)
				return n;
			c->brk = false;
			return 0;
		}
		if ((rc = pcapfile_next(c->pf, &p, err, errlen)) == -1)
			return -1;
		if (rc == 0)
			return n > 0 ? n : -2;
		if (c->prog_ok[0]) {
			hdr.caplen = p.caplen;
			hdr.len = p.wirelen;
			if (pcap_offline_filter(&c->prog[0], &hdr, p.data) == 0)
				continue;
		}
		c->pkts++;
		c->h(c->arg, c->dlt, p.ts_us, p.caplen, p.wirelen, p.data);
		if (++n == max)
			return n;
	}
}

int
cap_dispatch(struct capture *c, int max, cap_handler h, void *arg,
    char *err, size_t errlen)
{
	int n;

	if (c->ng != NULL) {
		c->h = h;
		c->arg = arg;
		return cap_dispatch_ng(c, max, err, errlen);
	}
	if (c->n_dlts == 0)
		cap_saw_dlt(c, c->dlt);
	c->h = h;
	c->arg = arg;
	if (c->pf != NULL)
		return cap_dispatch_pf(c, max, err, errlen);
	n = pcap_dispatch(c->p, max, cap_trampoline, (u_char *)c);
	if (n == PCAP_ERROR) {
		snprintf(err, errlen, "%s", pcap_geterr(c->p));
		return -1;
	}
	if (n == PCAP_ERROR_BREAK)	/* cap_breakloop(): not the end */
		return 0;
	if (n == 0 && !c->live)
		return -2;
	return n;
}

int
cap_fd(const struct capture *c)
{
	return c->live ? pcap_get_selectable_fd(c->p) : -1;
}

void
cap_breakloop(struct capture *c)
{
	if (c == NULL)
		return;
	if (c->ng != NULL || c->pf != NULL)
		c->brk = true;
	else
		pcap_breakloop(c->p);
}

/*
 * PACKET_FANOUT in hash mode (the kernel's flow hash: both directions of
 * a flow give the same value), IPv4 fragments reassembled before they
 * are hashed.  The first handle asks for a fresh group id
 * (PACKET_FANOUT_FLAG_UNIQUEID, so two sensors never collide); the
 * others join it with the same mode and flags.
 */
int
cap_fanout_join(struct capture *c, int *group, char *err, size_t errlen)
{
	uint32_t flags = PACKET_FANOUT_HASH | PACKET_FANOUT_FLAG_DEFRAG;
	uint32_t v;
	socklen_t len = sizeof(v);
	int fd;

	if (!c->live || (fd = pcap_fileno(c->p)) == -1) {
		snprintf(err, errlen, "fanout: not a live capture");
		return -1;
	}
	if (*group < 0)
		v = (flags | PACKET_FANOUT_FLAG_UNIQUEID) << 16;
	else
		v = (uint32_t)*group | flags << 16;
	if (setsockopt(fd, SOL_PACKET, PACKET_FANOUT, &v, sizeof(v)) == -1) {
		snprintf(err, errlen, "fanout: setsockopt PACKET_FANOUT: %s",
		    strerror(errno));
		return -1;
	}
	if (*group < 0) {
		if (getsockopt(fd, SOL_PACKET, PACKET_FANOUT, &v, &len) == -1) {
			snprintf(err, errlen, "fanout: getsockopt "
			    "PACKET_FANOUT: %s", strerror(errno));
			return -1;
		}
		*group = (int)(v & 0xffff);
	}
	return 0;
}

static void
cap_discard_one(u_char *user, const struct pcap_pkthdr *hdr,
    const u_char *bytes)
{
	(void)user;
	(void)hdr;
	(void)bytes;
}

uint64_t
cap_discard(struct capture *c)
{
	uint64_t n = 0;
	int r;

	if (!c->live)
		return 0;
	while ((r = pcap_dispatch(c->p, -1, cap_discard_one, NULL)) > 0)
		n += (uint64_t)r;
	return n;
}

int
cap_stats(struct capture *c, uint64_t *drops, uint64_t *ifdrops)
{
	struct pcap_stat ps;

	if (!c->live || pcap_stats(c->p, &ps) == -1)
		return -1;
	*drops = ps.ps_drop;
	*ifdrops = ps.ps_ifdrop;
	return 0;
}

void
cap_close(struct capture *c)
{
	int i;

	if (c == NULL)
		return;
	if (c->p != NULL)
		pcap_close(c->p);
	pcapfile_close(c->pf);
	pcapng_close(c->ng);
	if (c->fp != NULL && c->fp != stdin)
		fclose(c->fp);
	for (i = 0; i < PCAPNG_MAX_IF; i++)
		if (c->prog_ok[i])
			pcap_freecode(&c->prog[i]);
	free(c->bpf);
	free(c->rbuf);	/* after the FILE that used it */
	free(c);
}

const char *
cap_lib_version(void)
{
	return pcap_lib_version();
}

uint64_t
cap_file_pos(struct capture *c)
{
	FILE *fp;
	long pos;

	if (c->pf != NULL)
		return pcapfile_pos(c->pf);
	/* pcapng files are read by pcapng.c from c->fp, not by libpcap. */
	fp = c->p != NULL ? pcap_file(c->p) : c->fp;
	if (c->live || fp == NULL || (pos = ftell(fp)) < 0)
		return 0;
	return (uint64_t)pos;
}
