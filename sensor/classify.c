/*
 * classify.c - nDPI 4.2, wrapped (see classify.h).
 *
 * The only file that includes ndpi_api.h.  Owns the detection module and,
 * per flow, nDPI's flow state from the first packet until the flow is
 * classified (nDPI decided and wants no extra packets) or the packet
 * budget is spent; then the answers are copied into struct cls_result and
 * the state is freed, so long-lived flows cost nDPI nothing.
 *
 * nDPI 4.2 names the SSH client and server by port order, and calls any
 * JSON-RPC "Mining": both are kept as evidence only, the sensor's own
 * dissectors decide.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ndpi_api.h>

#include "classify.h"
#include "log.h"
#include "slab.h"
#include "util.h"

struct classifier {
	struct ndpi_detection_module_struct *mod;
	uint32_t	max_packets;
	struct slab	*results;	/* struct cls_result */
};

static const struct cls_result cls_none;	/* what unclassified reads */

const struct cls_result *
cls_res(const struct cls_flow *f)
{
	return f->res != NULL ? f->res : &cls_none;
}

struct classifier *
cls_new(uint32_t max_packets, size_t nresults)
{
	struct classifier *c;
	NDPI_PROTOCOL_BITMASK all;

	if ((c = calloc(1, sizeof(*c))) == NULL) {
		log_warn("classify: calloc");
		return NULL;
	}
	if ((c->mod = ndpi_init_detection_module(ndpi_no_prefs)) == NULL) {
		log_warnx("classify: ndpi_init_detection_module failed");
		free(c);
		return NULL;
	}
	if ((c->results = slab_new(nresults, sizeof(struct cls_result))) ==
	    NULL) {
		log_warnx("classify: cannot allocate %zu results", nresults);
		ndpi_exit_detection_module(c->mod);
		free(c);
		return NULL;
	}
	NDPI_BITMASK_SET_ALL(all);
	ndpi_set_protocol_detection_bitmask2(c->mod, &all);
	ndpi_finalize_initialization(c->mod);
	c->max_packets = max_packets > 0 ? max_packets : 32;
	return c;
}

void
cls_free(struct classifier *c)
{
	if (c == NULL)
		return;
	ndpi_exit_detection_module(c->mod);
	slab_free(c->results);
	free(c);
}

void
cls_flow_free(struct classifier *c, struct cls_flow *f)
{
	cls_flow_release(f);
	slab_put(c->results, f->res);
	f->res = NULL;
}

void
cls_counts(const struct classifier *c, size_t *in_use, size_t *high,
    size_t *cap)
{
	struct slab_counts sc;

	slab_counts(c->results, &sc);
	*in_use = sc.in_use;
	*high = sc.high;
	*cap = sc.n;
}

void
cls_flow_release(struct cls_flow *f)
{
	if (f->ndpi != NULL) {
		ndpi_free_flow(f->ndpi);
		f->ndpi = NULL;
	}
}

static void
copy_lower(char *dst, size_t cap, const char *src)
{
	size_t i;

	for (i = 0; i + 1 < cap && src[i] != '\0'; i++)
		dst[i] = (char)tolower((unsigned char)src[i]);
	dst[i] = '\0';
}

/*
 * Copies what nDPI learned into the plain result (from the pool).  False
 * when the pool is empty (counted): the flow reads as unclassified.
 */
static bool
cls_collect(struct classifier *c, struct cls_flow *f, ndpi_protocol proto,
    struct stats *st)
{
	struct ndpi_flow_struct *nf = f->ndpi;
	struct cls_result *r;
	uint16_t main_id;
	int i;

	if (f->res == NULL && (f->res = slab_get(c->results)) == NULL) {
		stats_inc(st, ST_CLS_RESULT_EXHAUSTED);
		return false;
	}
	r = f->res;

	ndpi_protocol2name(c->mod, proto, r->protocol, sizeof(r->protocol));
	main_id = proto.master_protocol != NDPI_PROTOCOL_UNKNOWN ?
	    proto.master_protocol : proto.app_protocol;
	if (main_id != NDPI_PROTOCOL_UNKNOWN)
		copy_lower(r->app_proto, sizeof(r->app_proto),
		    ndpi_get_proto_name(c->mod, main_id));
	strlcpy(r->category, ndpi_category_get_name(c->mod, proto.category),
	    sizeof(r->category));
	strlcpy(r->confidence, ndpi_confidence_get_name(nf->confidence),
	    sizeof(r->confidence));
	r->mining = proto.app_protocol == NDPI_PROTOCOL_MINING ||
	    proto.master_protocol == NDPI_PROTOCOL_MINING;
	r->n_risks = 0;
	for (i = 1; i < NDPI_MAX_RISK && r->n_risks < CLS_MAX_RISKS; i++)
		if (nf->risk & ((ndpi_risk)1 << i))
			r->risks[r->n_risks++] = (uint16_t)i;
	if (main_id == NDPI_PROTOCOL_SSH) {
		strlcpy(r->ssh_banner_client, nf->protos.ssh.client_signature,
		    sizeof(r->ssh_banner_client));
		strlcpy(r->ssh_banner_server, nf->protos.ssh.server_signature,
		    sizeof(r->ssh_banner_server));
		/* HASSH is lowercase hex everywhere else. */
		copy_lower(r->hassh_client, sizeof(r->hassh_client),
		    nf->protos.ssh.hassh_client);
		copy_lower(r->hassh_server, sizeof(r->hassh_server),
		    nf->protos.ssh.hassh_server);
	}
	if (main_id == NDPI_PROTOCOL_TLS || main_id == NDPI_PROTOCOL_QUIC) {
		strlcpy(r->sni, nf->host_server_name, sizeof(r->sni));
		strlcpy(r->ja3, nf->protos.tls_quic.ja3_client,
		    sizeof(r->ja3));
	} else if (main_id == NDPI_PROTOCOL_DNS || main_id == NDPI_PROTOCOL_MDNS)
		strlcpy(r->dns_query, nf->host_server_name,
		    sizeof(r->dns_query));
	return true;
}

static void
cls_done(struct cls_flow *f)
{
	f->done = true;
	cls_flow_release(f);
}

void
cls_packet(struct classifier *c, struct cls_flow *f, const struct packet *pkt,
    int dir, struct stats *st)
{
	ndpi_protocol proto;

	(void)dir;
	if (f->done || pkt->l3 == NULL || pkt->l3_len == 0)
		return;
	if (f->ndpi == NULL) {
		if (f->pkts > 0)	/* state lost earlier: nothing to do */
			return;
		if ((f->ndpi = ndpi_flow_malloc(SIZEOF_FLOW_STRUCT)) == NULL) {
			stats_inc(st, ST_NDPI_ALLOC_FAILED);
			f->done = true;
			return;
		}
		memset(f->ndpi, 0, SIZEOF_FLOW_STRUCT);
	}
	f->pkts++;
	proto = ndpi_detection_process_packet(c->mod, f->ndpi, pkt->l3,
	    pkt->l3_len > 0xffff ? 0xffff : (unsigned short)pkt->l3_len,
	    pkt->ts_us / 1000);
	if (proto.app_protocol != NDPI_PROTOCOL_UNKNOWN &&
	    !ndpi_extra_dissection_possible(c->mod, f->ndpi)) {
		(void)cls_collect(c, f, proto, st);
		stats_inc(st, ST_NDPI_DETECTED);
		cls_done(f);
	} else if (f->pkts >= c->max_packets)
		cls_finish(c, f, st);
}

void
cls_finish(struct classifier *c, struct cls_flow *f, struct stats *st)
{
	ndpi_protocol proto;
	uint8_t guessed = 0;

	if (f->done)
		return;
	if (f->ndpi == NULL) {
		f->done = true;
		return;
	}
	proto = ndpi_detection_giveup(c->mod, f->ndpi, 1, &guessed);
	/*
	 * A guess from ports or addresses names nothing that was seen: it
	 * stays in ndpi.protocol, never in app_proto.
	 */
	if (cls_collect(c, f, proto, st) && guessed)
		f->res->app_proto[0] = '\0';
	if (proto.app_protocol == NDPI_PROTOCOL_UNKNOWN &&
	    proto.master_protocol == NDPI_PROTOCOL_UNKNOWN)
		stats_inc(st, ST_NDPI_GIVEUP);
	else
		stats_inc(st, ST_NDPI_DETECTED);
	cls_done(f);
}

const char *
cls_risk_name(uint16_t risk)
{
	return ndpi_risk2str((ndpi_risk_enum)risk);
}

void
cls_md5_hex(const void *data, size_t len, char out[33])
{
	static const char hex[] = "0123456789abcdef";
	u_char h[16];
	int i;

	ndpi_md5((const u_char *)data, len, h);
	for (i = 0; i < 16; i++) {
		out[2 * i] = hex[h[i] >> 4];
		out[2 * i + 1] = hex[h[i] & 15];
	}
	out[32] = '\0';
}

const char *
cls_lib_version(void)
{
	return ndpi_revision();
}
