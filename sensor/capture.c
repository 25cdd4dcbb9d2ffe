/*
 * capture.c - libpcap wrapper (see capture.h).
 *
 * Owns the pcap_t.  Files go through pcap_open_offline, which reads both
 * pcap and pcapng; live interfaces through pcap_create/pcap_activate so
 * snaplen, promiscuous mode, buffer size and timeout are set before
 * activation.  Packet timestamps are converted to microseconds here so
 * the rest of the sensor sees one time unit.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pcap/pcap.h>

#include "capture.h"
#include "util.h"

struct capture {
	pcap_t		*p;
	int		 dlt;
	bool		 live;
	cap_handler	 h;
	void		*arg;
};

struct capture *
cap_open_file(const char *path, char *err, size_t errlen)
{
	char pcap_err[PCAP_ERRBUF_SIZE] = "";
	struct capture *c;

	if ((c = calloc(1, sizeof(*c))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
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

int
cap_set_filter(struct capture *c, const char *bpf, char *err, size_t errlen)
{
	struct bpf_program prog;

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
	pcap_freecode(&prog);
	return 0;
}

int
cap_datalink(const struct capture *c)
{
	return c->dlt;
}

const char *
cap_datalink_name(const struct capture *c)
{
	const char *n = pcap_datalink_val_to_name(c->dlt);

	return n != NULL ? n : "unknown";
}

static void
cap_trampoline(u_char *user, const struct pcap_pkthdr *hdr,
    const u_char *bytes)
{
	struct capture *c = (struct capture *)user;
	uint64_t ts_us = (uint64_t)hdr->ts.tv_sec * 1000000ULL +
	    (uint64_t)hdr->ts.tv_usec;

	c->h(c->arg, c->dlt, ts_us, hdr->caplen, hdr->len, bytes);
}

int
cap_dispatch(struct capture *c, int max, cap_handler h, void *arg,
    char *err, size_t errlen)
{
	int n;

	c->h = h;
	c->arg = arg;
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
	if (c != NULL)
		pcap_breakloop(c->p);
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
	if (c == NULL)
		return;
	pcap_close(c->p);
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

	if (c->live || (fp = pcap_file(c->p)) == NULL ||
	    (pos = ftell(fp)) < 0)
		return 0;
	return (uint64_t)pos;
}
