/*
 * classify.c - nDPI 4.2, wrapped (see classify.h).
 *
 * The only file that includes ndpi_api.h.  Owns the detection module, a
 * capped pool of nDPI flow states and the pools of results.  A flow holds
 * a state from its first packet until it is classified (nDPI decided and
 * wants no extra packets) or the packet budget is spent; then the answers
 * are copied into a struct cls_result and the state goes back, so
 * long-lived flows cost nDPI nothing.  When every state is taken, a clock
 * sweep gives up the one whose flow has been quiet longest: on a mirror
 * port with a million half-open flows nDPI's memory stays bounded, and
 * each flow has still been through nDPI with its first packets.
 *
 * nDPI 4.2 names the SSH client and server by port order, and calls any
 * JSON-RPC "Mining": both are kept as evidence only, the sensor's own
 * dissectors decide.
 */
#include <ctype.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ndpi_api.h>

#include "classify.h"
#include "log.h"
#include "ndpi_mem.h"
#include "slab.h"
#include "util.h"

#define STATE_NONE	UINT32_MAX
#define MARK_OWNED	0x01
#define MARK_REF	0x02	/* a packet since the clock passed */

/* One nDPI flow state of the pool. */
struct cls_state {
	struct cls_flow	*owner;		/* NULL: free */
	uint32_t	 next;		/* free list */
	struct ndpi_flow_struct nf;
};

/*
 * Result sizes (slab rounds to 16): named only; one banner; a server name
 * and JA3; more; SSH's two banners and HASSHes.
 */
static const size_t cls_result_sizes[] = { 48, 64, 96, 128, 256 };
#define CLS_RESULT_SIZES	(sizeof(cls_result_sizes) / sizeof(cls_result_sizes[0]))
/* Text that fits the largest result (offsets are a byte: below 255). */
#define CLS_TEXT_MAX	(256 - sizeof(struct cls_result))

struct classifier {
	struct ndpi_detection_module_struct *mod;
	uint32_t	 max_packets;
	struct cls_state *states;
	uint8_t		*marks;		/* per state: MARK_*, for the clock */
	uint32_t	 nstates;
	uint32_t	 handed;	/* states[0..handed) used at least once */
	uint32_t	 free_head;
	uint32_t	 in_use, high;
	uint32_t	 hand;		/* the clock */
	struct slab	*results[CLS_RESULT_SIZES];
};

/*
 * Protocol and category names, copied once from the first module (every
 * module has the same ones) so records are written without nDPI.
 */
static struct {
	pthread_mutex_t	 mu;
	int		 refs;
	uint32_t	 nproto;
	char		**proto;	/* as nDPI spells them */
	char		**proto_lc;	/* lowercase: app_proto */
	char		*cat[NDPI_PROTOCOL_NUM_CATEGORIES];
} names = { .mu = PTHREAD_MUTEX_INITIALIZER };

static const struct cls_result cls_none;	/* what unclassified reads */

static void
names_release(void)
{
	uint32_t i;

	pthread_mutex_lock(&names.mu);
	if (--names.refs == 0) {
		for (i = 0; i < names.nproto; i++) {
			free(names.proto[i]);
			free(names.proto_lc[i]);
		}
		free(names.proto);
		free(names.proto_lc);
		names.proto = names.proto_lc = NULL;
		names.nproto = 0;
		for (i = 0; i < NDPI_PROTOCOL_NUM_CATEGORIES; i++) {
			free(names.cat[i]);
			names.cat[i] = NULL;
		}
	}
	pthread_mutex_unlock(&names.mu);
}

static int
names_fill(struct ndpi_detection_module_struct *mod)
{
	uint32_t i, n = ndpi_get_num_supported_protocols(mod);
	size_t j;

	if ((names.proto = calloc(n, sizeof(char *))) == NULL ||
	    (names.proto_lc = calloc(n, sizeof(char *))) == NULL)
		return -1;
	names.nproto = n;
	for (i = 0; i < n; i++) {
		const char *nm = ndpi_get_proto_name(mod, (uint16_t)i);

		if ((names.proto[i] = strdup(nm != NULL ? nm : "Unknown")) ==
		    NULL || (names.proto_lc[i] = strdup(names.proto[i])) == NULL)
			return -1;
		for (j = 0; names.proto_lc[i][j] != '\0'; j++)
			names.proto_lc[i][j] = (char)tolower(
			    (unsigned char)names.proto_lc[i][j]);
	}
	for (i = 0; i < NDPI_PROTOCOL_NUM_CATEGORIES; i++) {
		const char *nm = ndpi_category_get_name(mod,
		    (ndpi_protocol_category_t)i);

		if ((names.cat[i] = strdup(nm != NULL ? nm : "")) == NULL)
			return -1;
	}
	return 0;
}

static int
names_hold(struct ndpi_detection_module_struct *mod)
{
	int rc = 0;

	pthread_mutex_lock(&names.mu);
	names.refs++;
	if (names.refs == 1 && names_fill(mod) == -1)
		rc = -1;
	pthread_mutex_unlock(&names.mu);
	if (rc == -1)
		names_release();
	return rc;
}

static const char *
proto_name(uint16_t id)
{
	return id < names.nproto ? names.proto[id] : "Unknown";
}

const struct cls_result *
cls_res(const struct cls_flow *f)
{
	return f->res != NULL ? f->res : &cls_none;
}

const char *
cls_text(const struct cls_result *r, enum cls_text t)
{
	return r->text_off[t] != 0 ? r->text + r->text_off[t] - 1 : "";
}

const char *
cls_app_proto(const struct cls_result *r)
{
	uint16_t id = r->master_id != NDPI_PROTOCOL_UNKNOWN ? r->master_id :
	    r->app_id;

	if (r->guessed || id == NDPI_PROTOCOL_UNKNOWN || id >= names.nproto)
		return "";
	return names.proto_lc[id];
}

/*
 * As ndpi_protocol2name(): "Master.App", or the one that is known.  Once
 * per flow record: no printf.
 */
const char *
cls_protocol(const struct cls_result *r, char *buf, size_t len)
{
	if (r->master_id != NDPI_PROTOCOL_UNKNOWN &&
	    r->master_id != r->app_id) {
		size_t n = strlcpy(buf, proto_name(r->master_id), len);

		if (r->app_id != NDPI_PROTOCOL_UNKNOWN && n + 1 < len) {
			buf[n++] = '.';
			strlcpy(buf + n, proto_name(r->app_id), len - n);
		}
	} else
		strlcpy(buf, proto_name(r->app_id), len);
	return buf;
}

const char *
cls_category(const struct cls_result *r)
{
	return r->category_id < NDPI_PROTOCOL_NUM_CATEGORIES &&
	    names.cat[r->category_id] != NULL ? names.cat[r->category_id] : "";
}

const char *
cls_confidence(const struct cls_result *r)
{
	return ndpi_confidence_get_name((ndpi_confidence_t)r->confidence_id);
}

struct classifier *
cls_new(uint32_t max_packets, size_t nstates, size_t nresults)
{
	struct classifier *c;
	NDPI_PROTOCOL_BITMASK all;
	size_t i;

	if ((c = calloc(1, sizeof(*c))) == NULL) {
		log_warn("classify: calloc");
		return NULL;
	}
	ndpi_mem_build_begin();		/* its tables: ndpi_mem.h */
	if ((c->mod = ndpi_init_detection_module(ndpi_no_prefs)) != NULL) {
		NDPI_BITMASK_SET_ALL(all);
		ndpi_set_protocol_detection_bitmask2(c->mod, &all);
		ndpi_finalize_initialization(c->mod);
	}
	ndpi_mem_build_end();
	if (c->mod == NULL) {
		log_warnx("classify: ndpi_init_detection_module failed");
		ndpi_mem_put();
		free(c);
		return NULL;
	}
	if (names_hold(c->mod) == -1) {
		log_warnx("classify: cannot copy nDPI's protocol names");
		ndpi_exit_detection_module(c->mod);
		ndpi_mem_put();
		free(c);
		return NULL;
	}
	c->nstates = nstates > 0 && nstates < STATE_NONE ? (uint32_t)nstates :
	    1;
	c->free_head = STATE_NONE;
	/* Mapped: pages are touched only as states are handed out. */
	c->states = util_map_array(c->nstates, sizeof(struct cls_state));
	c->marks = calloc(c->nstates, 1);
	for (i = 0; i < CLS_RESULT_SIZES; i++)
		c->results[i] = slab_new(nresults, cls_result_sizes[i]);
	for (i = 0; i < CLS_RESULT_SIZES; i++)
		if (c->results[i] == NULL)
			break;
	if (c->states == NULL || c->marks == NULL || i < CLS_RESULT_SIZES) {
		log_warnx("classify: cannot allocate %u nDPI states and %zu "
		    "results", c->nstates, nresults);
		cls_free(c);
		return NULL;
	}
	c->max_packets = max_packets > 0 ? max_packets : 32;
	return c;
}

void
cls_free(struct classifier *c)
{
	uint32_t i;

	if (c == NULL)
		return;
	/* Owners may be gone already (flow table freed first). */
	for (i = 0; c->states != NULL && i < c->handed; i++)
		if (c->states[i].owner != NULL)
			ndpi_free_flow_data(&c->states[i].nf);
	util_unmap_array(c->states, c->nstates, sizeof(struct cls_state));
	free(c->marks);
	for (i = 0; i < CLS_RESULT_SIZES; i++)
		slab_free(c->results[i]);
	if (c->mod != NULL) {
		ndpi_exit_detection_module(c->mod);
		ndpi_mem_put();
		names_release();
	}
	free(c);
}

/* The state f holds (f->state is its index + 1), or NULL. */
static inline struct cls_state *
state_of(const struct classifier *c, const struct cls_flow *f)
{
	return f->state == 0 ? NULL : &c->states[f->state - 1];
}

static void
state_put(struct classifier *c, struct cls_state *s)
{
	uint32_t i = (uint32_t)(s - c->states);

	ndpi_free_flow_data(&s->nf);
	s->owner = NULL;
	c->marks[i] = 0;
	s->next = c->free_head;
	c->free_head = i;
	c->in_use--;
}

static void
cls_flow_release(struct classifier *c, struct cls_flow *f)
{
	if (f->state != 0) {
		state_put(c, state_of(c, f));
		f->state = 0;
	}
}

void
cls_flow_free(struct classifier *c, struct cls_flow *f)
{
	cls_flow_release(c, f);
	if (f->res != NULL)
		slab_put(c->results[f->res->pool], f->res);
	f->res = NULL;
}

void
cls_counts(const struct classifier *c, struct cls_counts *out)
{
	struct slab_counts sc;
	size_t i;

	memset(out, 0, sizeof(*out));
	out->states_cap = c->nstates;
	out->states_high = c->high;
	out->state_size = sizeof(struct cls_state);
	for (i = 0; i < CLS_RESULT_SIZES; i++) {
		slab_counts(c->results[i], &sc);
		out->results_cap += sc.n;
		out->results_high += sc.high;
	}
}

/* Packed text: each string found, NUL-terminated, in cls_text order. */
struct text_build {
	const char	*s[CLS_TEXTS];
	size_t		 n[CLS_TEXTS];
	bool		 lower[CLS_TEXTS];
	size_t		 len;
};

static void
text_add(struct text_build *tb, enum cls_text t, const char *s, bool lower)
{
	size_t n = strnlen(s, CLS_TEXT_MAX);

	if (n == 0 || tb->len + n + 1 > CLS_TEXT_MAX)
		return;		/* nothing, or would not fit a result */
	tb->s[t] = s;
	tb->n[t] = n;
	tb->lower[t] = lower;
	tb->len += n + 1;
}

static void
text_fill(struct cls_result *r, const struct text_build *tb)
{
	size_t off = 0, n, i;
	int t;

	for (t = 0; t < CLS_TEXTS; t++) {
		if ((n = tb->n[t]) == 0)
			continue;
		for (i = 0; i < n; i++)
			r->text[off + i] = tb->lower[t] ?
			    (char)tolower((unsigned char)tb->s[t][i]) :
			    tb->s[t][i];
		r->text[off + n] = '\0';
		r->text_off[t] = (uint8_t)(off + 1);
		off += n + 1;
	}
}

/*
 * Copies what nDPI learned into a result of the right size (from the
 * pools).  False when that pool is empty (counted): the flow reads as
 * unclassified.
 */
static bool
cls_collect(struct classifier *c, struct cls_flow *f, ndpi_protocol proto,
    bool guessed, struct stats *st)
{
	struct ndpi_flow_struct *nf = &state_of(c, f)->nf;
	struct text_build tb;
	struct cls_result *r;
	uint16_t main_id;
	size_t pool;
	int i;

	memset(&tb, 0, sizeof(tb));
	main_id = proto.master_protocol != NDPI_PROTOCOL_UNKNOWN ?
	    proto.master_protocol : proto.app_protocol;
	if (main_id == NDPI_PROTOCOL_SSH) {
		text_add(&tb, CLS_SSH_BANNER_CLIENT,
		    nf->protos.ssh.client_signature, false);
		text_add(&tb, CLS_SSH_BANNER_SERVER,
		    nf->protos.ssh.server_signature, false);
		/* HASSH is lowercase hex everywhere else. */
		text_add(&tb, CLS_HASSH_CLIENT, nf->protos.ssh.hassh_client,
		    true);
		text_add(&tb, CLS_HASSH_SERVER, nf->protos.ssh.hassh_server,
		    true);
	}
	if (main_id == NDPI_PROTOCOL_TLS || main_id == NDPI_PROTOCOL_QUIC) {
		text_add(&tb, CLS_SNI, nf->host_server_name, false);
		text_add(&tb, CLS_JA3, nf->protos.tls_quic.ja3_client, false);
	} else if (main_id == NDPI_PROTOCOL_DNS || main_id == NDPI_PROTOCOL_MDNS)
		text_add(&tb, CLS_DNS_QUERY, nf->host_server_name, false);
	for (pool = 0; pool + 1 < CLS_RESULT_SIZES &&
	    sizeof(struct cls_result) + tb.len > cls_result_sizes[pool]; pool++)
		;
	if ((r = slab_get(c->results[pool])) == NULL) {
		stats_inc(st, ST_CLS_RESULT_EXHAUSTED);
		return false;
	}
	f->res = r;
	r->pool = (uint8_t)pool;
	r->app_id = proto.app_protocol;
	r->master_id = proto.master_protocol;
	r->category_id = (uint16_t)proto.category;
	r->confidence_id = (uint8_t)nf->confidence;
	r->guessed = guessed;
	r->mining = proto.app_protocol == NDPI_PROTOCOL_MINING ||
	    proto.master_protocol == NDPI_PROTOCOL_MINING;
	for (i = 1; i < NDPI_MAX_RISK && r->n_risks < CLS_MAX_RISKS; i++)
		if (nf->risk & ((ndpi_risk)1 << i))
			r->risks[r->n_risks++] = (uint16_t)i;
	text_fill(r, &tb);
	return true;
}

static void
cls_done(struct classifier *c, struct cls_flow *f)
{
	f->done = true;
	cls_flow_release(c, f);
}

static void	cls_giveup(struct classifier *, struct cls_flow *,
		    struct stats *);

/*
 * A state for a new flow: a free one, one never used, or, with all in
 * use, the one the clock finds quiet (no packet since the hand last
 * passed it), whose flow is given up with what nDPI knows.
 */
static struct cls_state *
state_get(struct classifier *c, struct stats *st)
{
	struct cls_state *s;
	uint32_t n;

	if (c->free_head == STATE_NONE && c->handed == c->nstates) {
		/* The marks are a byte each: the sweep reads no state. */
		for (n = 0; n < 2 * c->nstates; n++) {
			uint8_t *m = &c->marks[c->hand];

			s = &c->states[c->hand];
			c->hand = c->hand + 1 < c->nstates ? c->hand + 1 : 0;
			if (!(*m & MARK_OWNED))
				continue;
			if (*m & MARK_REF) {
				*m &= (uint8_t)~MARK_REF;
				continue;
			}
			stats_inc(st, ST_NDPI_STATE_RECLAIMED);
			if (state_of(c, s->owner) == s)
				cls_giveup(c, s->owner, st);
			else	/* never: its flow ended without us */
				state_put(c, s);
			break;
		}
	}
	if (c->free_head != STATE_NONE) {
		s = &c->states[c->free_head];
		c->free_head = s->next;
	} else if (c->handed < c->nstates)
		s = &c->states[c->handed++];
	else
		return NULL;
	memset(&s->nf, 0, sizeof(s->nf));
	if (++c->in_use > c->high)
		c->high = c->in_use;
	return s;
}

/*
 * nDPI keeps a TLS flow's 2 KiB reassembly buffer until the flow is freed,
 * also while nothing is pending (a ClientHello waiting for the answer):
 * let it go; nDPI allocates a new one with the next TLS bytes.  While a
 * partial record is pending (often opaque bytes whose "length" nDPI waits
 * on) keep only those bytes: nDPI grows the buffer itself when more come
 * (tls.c: it reallocates whenever the free space is short).
 */
#define TLS_TRIM_SLACK	512	/* free space worth giving back (bytes) */

static void
state_trim(struct ndpi_flow_struct *nf, const struct packet *pkt)
{
	struct message *m = &nf->l4.tcp.tls.message;
	uint8_t *smaller;

	if (pkt->l4_proto != IPPROTO_TCP || m->buffer == NULL)
		return;
	if (m->buffer_used == 0) {
		ndpi_free(m->buffer);
		m->buffer = NULL;
		m->buffer_len = 0;
		return;
	}
	if (m->buffer_len - m->buffer_used < TLS_TRIM_SLACK ||
	    (smaller = ndpi_malloc(m->buffer_used)) == NULL)
		return;
	memcpy(smaller, m->buffer, m->buffer_used);
	ndpi_free(m->buffer);
	m->buffer = smaller;
	m->buffer_len = m->buffer_used;
}

void
cls_packet(struct classifier *c, struct cls_flow *f, const struct packet *pkt,
    int dir, struct stats *st)
{
	struct cls_state *s;
	ndpi_protocol proto;

	(void)dir;
	if (f->done || pkt->l3 == NULL || pkt->l3_len == 0)
		return;
	if ((s = state_of(c, f)) == NULL) {
		if (f->pkts > 0)	/* state lost earlier: nothing to do */
			return;
		if ((s = state_get(c, st)) == NULL) {
			stats_inc(st, ST_NDPI_ALLOC_FAILED);
			f->done = true;
			return;
		}
		s->owner = f;
		f->state = (uint32_t)(s - c->states) + 1;
	}
	c->marks[s - c->states] = MARK_OWNED | MARK_REF;
	/*
	 * After the first, segments without payload tell nDPI nothing it
	 * classifies on (its sequence tracking starts again from the next
	 * segment with data).
	 */
	if (f->pkts > 0 && pkt->l4_proto == IPPROTO_TCP &&
	    pkt->payload_len == 0)
		return;
	f->pkts++;
	proto = ndpi_detection_process_packet(c->mod, &s->nf, pkt->l3,
	    pkt->l3_len > 0xffff ? 0xffff : (unsigned short)pkt->l3_len,
	    pkt->ts_us / 1000);
	if (proto.app_protocol != NDPI_PROTOCOL_UNKNOWN &&
	    !ndpi_extra_dissection_possible(c->mod, &s->nf)) {
		(void)cls_collect(c, f, proto, false, st);
		stats_inc(st, ST_NDPI_DETECTED);
		cls_done(c, f);
	} else if (f->pkts >= c->max_packets)
		cls_giveup(c, f, st);
	else
		state_trim(&s->nf, pkt);
}

static void
cls_giveup(struct classifier *c, struct cls_flow *f, struct stats *st)
{
	struct cls_state *s = state_of(c, f);
	ndpi_protocol proto;
	uint8_t guessed = 0;

	proto = ndpi_detection_giveup(c->mod, &s->nf, 1, &guessed);
	/*
	 * A guess from ports or addresses names nothing that was seen: it
	 * stays in ndpi.protocol, never in app_proto.
	 */
	(void)cls_collect(c, f, proto, guessed != 0, st);
	if (proto.app_protocol == NDPI_PROTOCOL_UNKNOWN &&
	    proto.master_protocol == NDPI_PROTOCOL_UNKNOWN)
		stats_inc(st, ST_NDPI_GIVEUP);
	else
		stats_inc(st, ST_NDPI_DETECTED);
	cls_done(c, f);
}

void
cls_finish(struct classifier *c, struct cls_flow *f, struct stats *st)
{
	if (f->done)
		return;
	if (f->state == 0) {
		f->done = true;
		return;
	}
	cls_giveup(c, f, st);
}

const char *
cls_risk_name(uint16_t risk)
{
	return ndpi_risk2str((ndpi_risk_enum)risk);
}

void
cls_md5(const void *data, size_t len, uint8_t out[16])
{
	ndpi_md5((const u_char *)data, len, out);
}

const char *
cls_lib_version(void)
{
	return ndpi_revision();
}
