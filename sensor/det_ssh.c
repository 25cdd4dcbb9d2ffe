/*
 * det_ssh.c - the reverse-SSH detectors: reverse_ssh, ssh_remote_forward
 * and ssh_long_lived, from the encrypted part of an SSH session.
 *
 * Nothing here can read the session, so the models are about behaviour:
 * record sizes (bounded by what the negotiated cipher makes of a
 * keystroke, with room for one SSH layer nested inside), directions and
 * timing.  A keystroke is a small record that the other side answers
 * with a small record (the echo) within about a round trip of the echoing
 * side, at human intervals; the side whose records get answered is the
 * side that types.  Typing from the TCP responder (the outside SSH server
 * of an outbound session) is reverse_ssh.  ssh_remote_forward has two
 * triggers: the -R set-up, a request-sized client record right after the
 * end of authentication that the server answers first with a
 * REQUEST_SUCCESS-sized record (sizes translated back to SSH payload
 * lengths through the negotiated cipher), and, once used, a burst after
 * silence that the SSH server side starts and in which both sides send
 * key-exchange-sized data: a handshake nested in a forwarded channel.
 * Long sessions, keepalive-like pairs and repeated reconnection of one
 * inside host to one outside endpoint give ssh_long_lived.
 *
 * Per-flow state is struct ssh_track (fixed size, in the flow); the only
 * cross-flow state is the bounded reconnection table in struct det_ssh,
 * allocated once.  All times are packet times.  This file never
 * allocates on the packet path and never logs.
 */
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dissect.h"
#include "det_ssh.h"
#include "det_ssh_model.h"
#include "util.h"
#include "det_ssh_setup.h"
#include "yconf.h"

#define DSSH_CONN_SLOTS		4096	/* reconnection table entries */
#define DSSH_CONN_WAYS		4	/* entries searched per key */

struct dssh_conn {			/* SSH starts of one (src, dst, port) */
	struct ip_addr	src, dst;
	uint16_t	dport;
	bool		used;
	uint8_t		n;		/* stamps held */
	uint64_t	last_us;	/* newest start, for replacement */
	uint64_t	start_us[CFG_SSH_RECONNECT_MAX]; /* ring of starts */
};

struct det_ssh {
	/* Workers share the table: taken once per SSH flow start. */
	pthread_mutex_t	 mu;
	struct dssh_conn conn[DSSH_CONN_SLOTS];
};

void
cfg_ssh_defaults(struct cfg_ssh *cs)
{
	cs->keystrokes_min = 6;
	cs->keystroke_interval_min_ms = 50;
	cs->keystroke_interval_max_ms = 1000;
	cs->keystroke_bytes_max = 8;
	cs->nested_layers = 1;
	cs->echo_slack_ms = 25;
	cs->echo_max_ms = 600;
	cs->chaff_pairs_min = 30;
	cs->burst_quiet_ms = 150;
	cs->nested_window_ms = 5000;
	cs->nested_min_bytes = 800;
	cs->kex_record_min = 500;
	cs->forward_setup_window_ms = 500;
	cs->forward_reply_max_ms = 1000;
	cs->forward_request_payload_min = 27;
	cs->forward_request_payload_max = 160;
	cs->forward_reply_payload_max = 5;
	cs->long_lived_seconds = 3600;
	cs->keepalive_interval_min_seconds = 5;
	cs->reconnect_count = 3;
	cs->reconnect_window_seconds = 600;
}

#define DSSH_K(n, lo, hi)	YCONF_U32(struct cfg_ssh, n, lo, hi)

static const struct yconf_u32_field dssh_keys[] = {
	DSSH_K(keystrokes_min, 2, 1000),
	DSSH_K(keystroke_interval_min_ms, 1, 10000),
	DSSH_K(keystroke_interval_max_ms, 1, 60000),
	DSSH_K(keystroke_bytes_max, 1, 64),
	DSSH_K(nested_layers, 0, 2),
	DSSH_K(echo_slack_ms, 0, 10000),
	DSSH_K(echo_max_ms, 1, 60000),
	DSSH_K(chaff_pairs_min, 2, 100000),
	DSSH_K(burst_quiet_ms, 1, 3600000),
	DSSH_K(nested_window_ms, 1, 3600000),
	DSSH_K(nested_min_bytes, 1, 1000000),
	DSSH_K(kex_record_min, 1, 35000),
	DSSH_K(forward_setup_window_ms, 1, 60000),
	DSSH_K(forward_reply_max_ms, 1, 60000),
	DSSH_K(forward_request_payload_min, 1, 35000),
	DSSH_K(forward_request_payload_max, 1, 35000),
	DSSH_K(forward_reply_payload_max, 1, 64),
	DSSH_K(long_lived_seconds, 1, 30 * 86400),
	DSSH_K(keepalive_interval_min_seconds, 1, 86400),
	DSSH_K(reconnect_count, 2, CFG_SSH_RECONNECT_MAX),
	DSSH_K(reconnect_window_seconds, 1, 7 * 86400),
	{ NULL, 0, 0, 0 }
};
#define DSSH_NKEYS	(sizeof(dssh_keys) / sizeof(dssh_keys[0]) - 1)

void
cfg_ssh_parse(struct yconf_errs *e, const struct yconf_node *n,
    struct cfg_ssh *cs)
{
	const char *keys[DSSH_NKEYS + 1];
	const struct yconf_node *v;
	size_t i;

	if (n == NULL || yconf_is_null(n))
		return;
	for (i = 0; i < DSSH_NKEYS; i++)
		keys[i] = dssh_keys[i].key;
	keys[DSSH_NKEYS] = NULL;
	if (yconf_check_keys(e, n, keys, "ssh") == -1)
		return;
	yconf_u32_fields(e, n, dssh_keys, cs);
	v = yconf_get(n, "keystroke_interval_max_ms");
	if (v != NULL && cs->keystroke_interval_max_ms <=
	    cs->keystroke_interval_min_ms)
		yconf_error(e, v, "keystroke_interval_max_ms must be above "
		    "keystroke_interval_min_ms (%u)",
		    cs->keystroke_interval_min_ms);
	v = yconf_get(n, "forward_request_payload_max");
	if (v == NULL)
		v = yconf_get(n, "forward_request_payload_min");
	if (v != NULL && cs->forward_request_payload_max <
	    cs->forward_request_payload_min)
		yconf_error(e, v, "forward_request_payload_max must not be "
		    "below forward_request_payload_min (%u)",
		    cs->forward_request_payload_min);
}

struct det_ssh *
det_ssh_new(void)
{
	struct det_ssh *d = calloc(1, sizeof(struct det_ssh));

	if (d != NULL)
		pthread_mutex_init(&d->mu, NULL);
	return d;
}

void
det_ssh_free(struct det_ssh *d)
{
	if (d == NULL)
		return;
	pthread_mutex_destroy(&d->mu);
	free(d);
}

void
det_ssh_track_init(struct ssh_track *t)
{
	memset(t, 0, sizeof(*t));
	t->burst_dir = -1;
}

void
det_ssh_track_swap(struct ssh_track *t)
{
	UTIL_SWAP2(t->last_any);
	UTIL_SWAP2(t->last_rec);
	UTIL_SWAP2(t->last_key);
	UTIL_SWAP2(t->last_bulk);
	UTIL_SWAP2(t->pend);
	UTIL_SWAP2(t->pend_len);
	UTIL_SWAP2(t->stream_off);
	UTIL_SWAP2(t->keys);
	UTIL_SWAP2(t->human);
	UTIL_SWAP2(t->human_base);
	UTIL_SWAP2(t->bulk_recs);
	UTIL_SWAP2(t->fast);
	UTIL_SWAP2(t->chaff);
	UTIL_SWAP2(t->chaff_iv);
	UTIL_SWAP2(t->bulk_acks);
	UTIL_SWAP2(t->ks_len);
	UTIL_SWAP2(t->echo_len);
	UTIL_SWAP2(t->echo_lat);
	UTIL_SWAP2(t->key_iv);
	UTIL_SWAP2(t->small_min);
	UTIL_SWAP2(t->small_max);
	UTIL_SWAP2(t->rtt);
	UTIL_SWAP2(t->ka_pairs);
	UTIL_SWAP2(t->ka_regular);
	UTIL_SWAP2(t->ka_iv);
	UTIL_SWAP2(t->last_len);
	UTIL_SWAP2(t->burst_bytes);
	UTIL_SWAP2(t->burst_big);
	UTIL_SWAP2(t->pend_n);
	if (t->burst_dir >= 0)
		t->burst_dir = (int8_t)!t->burst_dir;
	t->typing = (uint8_t)(((t->typing & 1) << 1) | ((t->typing >> 1) & 1));
}

static uint32_t
dssh_hash(const struct flow *f)
{
	const struct ip_addr *src = flow_src(f), *dst = flow_dst(f);
	uint16_t dport = flow_dport(f);
	uint32_t h = 2166136261u;
	size_t i;

	for (i = 0; i < 16; i++) {
		h = (h ^ src->b[i]) * 16777619u;
		h = (h ^ dst->b[i]) * 16777619u;
	}
	h = (h ^ (dport & 0xff)) * 16777619u;
	return (h ^ (dport >> 8)) * 16777619u;
}

/*
 * Notes the start of SSH flow f at ts_us in the reconnection table and
 * returns how many starts of the same (inside host, outside endpoint)
 * fall within the window, this one included.  A full bucket forgets its
 * stalest entry, which can only lower a count.
 */
static uint16_t
dssh_reconnect(struct det_ssh *d, const struct cfg_ssh *cs,
    const struct flow *f, uint64_t ts_us)
{
	struct dssh_conn *c, *victim = NULL;
	uint64_t win = (uint64_t)cs->reconnect_window_seconds * 1000000;
	uint32_t base = dssh_hash(f) % DSSH_CONN_SLOTS;
	uint16_t n = 0;
	size_t i;

	if (d == NULL)
		return 1;
	for (i = 0; i < DSSH_CONN_WAYS; i++) {
		c = &d->conn[(base + i) % DSSH_CONN_SLOTS];
		if (c->used && c->dport == flow_dport(f) &&
		    memcmp(&c->src, flow_src(f), sizeof(c->src)) == 0 &&
		    memcmp(&c->dst, flow_dst(f), sizeof(c->dst)) == 0)
			break;
		if (victim == NULL || !c->used ||
		    (victim->used && c->last_us < victim->last_us))
			victim = c;
		c = NULL;
	}
	if (c == NULL) {
		c = victim;
		memset(c, 0, sizeof(*c));
		c->used = true;
		c->src = *flow_src(f);
		c->dst = *flow_dst(f);
		c->dport = flow_dport(f);
	}
	c->start_us[c->n++ % CFG_SSH_RECONNECT_MAX] = ts_us;
	if (c->n > 2 * CFG_SSH_RECONNECT_MAX)
		c->n -= CFG_SSH_RECONNECT_MAX;
	c->last_us = ts_us;
	for (i = 0; i < CFG_SSH_RECONNECT_MAX && i < c->n; i++)
		if (c->start_us[i] <= ts_us && ts_us - c->start_us[i] <= win)
			n++;
	return n;
}

void
det_ssh_packet(struct det_ssh *d, const struct cfg *c, struct flow *f,
    int dir, const struct packet *pkt, size_t new_bytes)
{
	struct ssh_track *t = &f->c->u->ssh.track;

	if (dir != 0 && dir != 1)
		return;
	if (!t->started) {
		t->started = true;
		if (d != NULL)
			pthread_mutex_lock(&d->mu);
		t->reconnects = dssh_reconnect(d, &c->ssh, f, pkt->ts_us);
		if (d != NULL)
			pthread_mutex_unlock(&d->mu);
	}
	det_ssh_model_packet(&c->ssh, f, dir, pkt->ts_us, new_bytes,
	    pkt->payload_len);
}

static bool
dssh_long_by_time(const struct cfg *c, const struct flow *f, uint64_t now_us)
{
	uint64_t end = now_us > f->last_us ? now_us : f->last_us;

	return end - f->first_us >= (uint64_t)c->ssh.long_lived_seconds *
	    1000000;
}

/*
 * reverse_ssh claims an outside typist.  Never in an inbound session
 * (the outside client typing into an inside server is an admin).  Nor
 * in an -R tunnel that no login ran through: with the set-up seen and
 * no nested handshake, the server side's small request/answer pairs are
 * a program using the forward (SOCKS, a port tunnel), which
 * ssh_remote_forward reports by itself.
 */
static bool
dssh_outside_typist(const struct flow *f)
{
	const struct ssh_track *t = &f->c->u->ssh.track;

	if (f->netdir == DIR_INBOUND)
		return false;
	return t->fwd_at == 0 || t->nested_at != 0;
}

/*
 * The registry's checks (detect.c): one per verdict of this module.  A
 * flow this module never tracked (not our SSH, no session yet) has none.
 */
static const struct ssh_track *
dssh_started(const struct flow *f)
{
	if (f->app != APP_SSH || !f->c->u->ssh.track.started)
		return NULL;
	return &f->c->u->ssh.track;
}

bool
det_ssh_check_reverse(struct det_ctx *dc, const struct cfg *c,
    struct flow *f, uint64_t now_us)
{
	const struct ssh_track *t = dssh_started(f);

	(void)dc;
	(void)c;
	(void)now_us;
	return t != NULL && t->rev_at != 0 && dssh_outside_typist(f);
}

bool
det_ssh_check_forward(struct det_ctx *dc, const struct cfg *c,
    struct flow *f, uint64_t now_us)
{
	const struct ssh_track *t = dssh_started(f);

	(void)dc;
	(void)c;
	(void)now_us;
	return t != NULL && (t->nested_at != 0 || t->fwd_at != 0);
}

bool
det_ssh_check_long(struct det_ctx *dc, const struct cfg *c, struct flow *f,
    uint64_t now_us)
{
	struct ssh_track *t = &f->c->u->ssh.track;

	(void)dc;
	if (dssh_started(f) == NULL)
		return false;
	if (dssh_long_by_time(c, f, now_us))
		t->long_why |= 1;
	if (t->reconnects >= c->ssh.reconnect_count)
		t->long_why |= 2;
	return t->long_why != 0;
}

uint8_t
det_ssh_confidence(const struct flow *f, enum detector d)
{
	const struct ssh_track *t = &f->c->u->ssh.track;
	int c;

	switch (d) {
	case DET_REVERSE_SSH:
		c = 80;
		/* The inside side produced the output, the outside ACKed it. */
		if (t->bulk_recs[0] > t->bulk_recs[1] ||
		    t->bulk_acks[1] > t->bulk_acks[0])
			c += 5;
		if (t->human[0] == 0)
			c += 5;
		if (t->nested_at != 0)
			c += 5;
		return (uint8_t)c;
	case DET_SSH_REMOTE_FORWARD:
		/* Sizes and order alone (set-up) say less than a handshake. */
		if (t->nested_at == 0)
			return (uint8_t)(det_ssh_setup_confidence(t) +
			    (t->rev_at != 0 ? 10 : 0));
		return t->rev_at != 0 ? 95 : t->fwd_at != 0 ? 90 : 85;
	case DET_SSH_LONG_LIVED:
		c = (t->long_why & 2) ? 70 : 60;
		if (t->ka_regular[0] >= 2 || t->ka_regular[1] >= 2)
			c += 15;
		return (uint8_t)c;
	default:
		return 50;
	}
}

static const char *const dssh_party[2] = { "initiator", "responder" };

static void
dssh_ms(struct jbuf *j, const char *key, uint32_t ticks)
{
	jb_double(j, key, ticks / 10.0, 1);
}

static void
dssh_time(struct jbuf *j, const char *key, const struct flow *f, uint32_t k)
{
	char ts[40];

	json_timestamp(ts, sizeof(ts), det_ssh_model_us(f, k));
	jb_string(j, key, ts);
}

/* When verdict d was raised: exact from the verdict, else from tick k. */
static void
dssh_certain(struct jbuf *j, const struct flow *f, enum detector d,
    uint32_t k)
{
	char ts[40];
	int i;

	for (i = 0; i < f->n_verdicts; i++)
		if (f->c->verdicts[i].detector == d) {
			json_timestamp(ts, sizeof(ts), f->c->verdicts[i].ts_us);
			jb_string(j, "certain_at", ts);
			return;
		}
	dssh_time(j, "certain_at", f, k);
}

/* Flat members "<what>_min", "_median", "_max" of a stat. */
static void
dssh_stat(struct jbuf *j, const char *what, const struct ssh_stat *s,
    bool ticks)
{
	char k[48];

	snprintf(k, sizeof(k), "%s_min", what);
	if (ticks)
		dssh_ms(j, k, s->min);
	else
		jb_u64(j, k, s->min);
	snprintf(k, sizeof(k), "%s_median", what);
	if (ticks)
		dssh_ms(j, k, s->med);
	else
		jb_u64(j, k, s->med);
	snprintf(k, sizeof(k), "%s_max", what);
	if (ticks)
		dssh_ms(j, k, s->max);
	else
		jb_u64(j, k, s->max);
}

static void
dssh_ev_reverse(struct jbuf *j, const struct flow *f)
{
	const struct ssh_track *t = &f->c->u->ssh.track;
	int d;

	jb_string(j, "typing_party", "responder");
	jb_string(j, "typing_role", ssh_role_name(&f->c->u->ssh.hs, 1));
	dssh_certain(j, f, DET_REVERSE_SSH, t->rev_at);
	jb_u64(j, "keystrokes_at_verdict", t->rev_keys);
	for (d = 0; d < 2; d++) {
		char k[48];

		snprintf(k, sizeof(k), "keystrokes_%s", dssh_party[d]);
		jb_u64(j, k, t->keys[d]);
		snprintf(k, sizeof(k), "human_timed_%s", dssh_party[d]);
		jb_u64(j, k, t->human[d]);
		snprintf(k, sizeof(k), "fast_pairs_%s", dssh_party[d]);
		jb_u64(j, k, t->fast[d]);
		snprintf(k, sizeof(k), "chaff_pairs_%s", dssh_party[d]);
		jb_u64(j, k, t->chaff[d]);
	}
	dssh_stat(j, "keystroke_bytes", &t->ks_len[1], false);
	dssh_stat(j, "echo_bytes", &t->echo_len[1], false);
	dssh_stat(j, "echo_ms", &t->echo_lat[1], true);
	dssh_stat(j, "interkey_ms", &t->key_iv[1], false);
	jb_u64(j, "small_record_min", t->small_min[1]);
	jb_u64(j, "small_record_max", t->small_max[1]);
	dssh_ms(j, "rtt_initiator_ms", t->rtt[0]);
	dssh_ms(j, "rtt_responder_ms", t->rtt[1]);
	jb_u64(j, "bulk_records_initiator", t->bulk_recs[0]);
	jb_u64(j, "bulk_records_responder", t->bulk_recs[1]);
	jb_u64(j, "bulk_acks_initiator", t->bulk_acks[0]);
	jb_u64(j, "bulk_acks_responder", t->bulk_acks[1]);
}

/* One sealed record: its size and the payload sizes it can carry. */
static void
dssh_record(struct jbuf *j, const char *what, const struct flow *f, int d,
    uint16_t len)
{
	unsigned lo, hi;
	char k[48];

	snprintf(k, sizeof(k), "%s_bytes", what);
	jb_u64(j, k, len);
	if (!det_ssh_model_payload(f, d, len, &lo, &hi))
		return;		/* several records in one segment */
	snprintf(k, sizeof(k), "%s_payload_min", what);
	jb_u64(j, k, lo);
	snprintf(k, sizeof(k), "%s_payload_max", what);
	jb_u64(j, k, hi);
}

/*
 * What the set-up sizes read as, and why a reading is weaker:
 * "ambiguity" lists each DSS_* flag that lowered the confidence.
 */
static void
dssh_setup_reading(struct jbuf *j, const struct ssh_track *t)
{
	static const struct {
		uint8_t		 flag;
		const char	*why;
	} amb[] = {
		{ DSS_REQ_COALESCED, "request_shares_segment" },
		{ DSS_REQ_LONG_ADDR, "bind_address_over_64_bytes" },
		{ DSS_REPLY_PORT, "reply_5_bytes_port_or_channel_success" },
		{ DSS_REQ_SESSION_SIZE, "request_sized_like_session_open" },
		{ DSS_REPLY_SHARED, "reply_sized_like_channel_success" },
		{ DSS_CLI_AFTER_SRV, "client_record_after_coalesced_segment" },
	};
	const uint8_t both = DSS_REQ_SESSION_SIZE | DSS_REPLY_SHARED;
	uint8_t fl = t->fwd_flags;
	size_t i;

	jb_string(j, "request_reading", "tcpip-forward");
	jb_string(j, "reply_reading", (t->fwd_flags & DSS_REPLY_PORT) ?
	    "request_success_port" : "request_success");
	/* the client record after a coalesced segment matters only there */
	if ((fl & both) != both)
		fl &= (uint8_t)~DSS_CLI_AFTER_SRV;
	jb_open_array(j, "ambiguity");
	for (i = 0; i < sizeof(amb) / sizeof(amb[0]); i++)
		if (fl & amb[i].flag)
			jb_string(j, NULL, amb[i].why);
	jb_close_array(j);
}

static void
dssh_ev_setup(struct jbuf *j, const struct flow *f)
{
	const struct ssh_track *t = &f->c->u->ssh.track;
	int s = det_ssh_model_server_dir(f);

	dssh_time(j, "auth_end", f, t->auth_end);
	dssh_ms(j, "request_after_auth_ms", t->fwd_req - t->auth_end);
	dssh_record(j, "request", f, !s, t->fwd_req_len);
	dssh_record(j, "reply", f, s, t->fwd_rep_len);
	dssh_ms(j, "reply_after_request_ms", t->fwd_at - t->fwd_req);
	jb_u64(j, "client_records_before_reply", t->fwd_recs);
	dssh_ms(j, "rtt_server_ms", t->rtt[s]);
	dssh_setup_reading(j, t);
}

static void
dssh_ev_nested(struct jbuf *j, const struct flow *f)
{
	const struct ssh_track *t = &f->c->u->ssh.track;
	int s = det_ssh_model_server_dir(f);

	jb_string(j, "started_by_role", "server");
	jb_string(j, "started_by_party", dssh_party[s]);
	dssh_time(j, "burst_start", f, t->burst_start);
	dssh_time(j, "nested_at", f, t->nested_at);
	dssh_ms(j, "burst_ms", t->nested_at - t->burst_start);
	jb_u64(j, "first_record_bytes", t->burst_first);
	jb_u64(j, "bytes_from_server", t->burst_bytes[s]);
	jb_u64(j, "bytes_from_client", t->burst_bytes[!s]);
	jb_u64(j, "largest_from_server", t->burst_big[s]);
	jb_u64(j, "largest_from_client", t->burst_big[!s]);
}

/*
 * trigger: what raised the verdict first, the -R set-up after
 * authentication or a handshake nested in a forwarded channel; the
 * members of each that was seen follow.
 */
static void
dssh_ev_forward(struct jbuf *j, const struct flow *f)
{
	const struct ssh_track *t = &f->c->u->ssh.track;
	bool setup = t->fwd_at != 0 &&
	    (t->nested_at == 0 || t->fwd_at <= t->nested_at);

	jb_string(j, "trigger", setup ? "setup" : "nested_handshake");
	dssh_certain(j, f, DET_SSH_REMOTE_FORWARD,
	    setup ? t->fwd_at : t->nested_at);
	jb_bool(j, "setup_seen", t->fwd_at != 0);
	if (t->fwd_at != 0)
		dssh_ev_setup(j, f);
	jb_u64(j, "nested_handshakes", t->nested);
	if (t->nested_at != 0)
		dssh_ev_nested(j, f);
	/* OpenSSH's host-key update, recognised and kept out of bursts */
	if (t->hk_push != 0) {
		jb_u64(j, "hostkeys_push_bytes", t->hk_push_len);
		jb_u64(j, "hostkeys_prove_bytes", t->hk_prove_len);
		jb_u64(j, "hostkeys_proof_bytes", t->hk_reply_len);
	}
}

static void
dssh_ev_long(struct jbuf *j, const struct flow *f)
{
	const struct ssh_track *t = &f->c->u->ssh.track;
	int s = det_ssh_model_server_dir(f);

	jb_string(j, "trigger", (t->long_why & 1) ? "duration" :
	    "reconnects");
	jb_u64(j, "duration_s", (f->last_us - f->first_us) / 1000000);
	jb_u64(j, "reconnects", t->reconnects);
	jb_u64(j, "keepalive_pairs_client", t->ka_pairs[!s]);
	jb_u64(j, "keepalive_regular_client", t->ka_regular[!s]);
	jb_u64(j, "keepalive_interval_s_client", t->ka_iv[!s]);
	jb_u64(j, "keepalive_pairs_server", t->ka_pairs[s]);
	jb_u64(j, "keepalive_regular_server", t->ka_regular[s]);
	jb_u64(j, "keepalive_interval_s_server", t->ka_iv[s]);
}

void
det_ssh_evidence(struct jbuf *j, const struct flow *f, enum detector d)
{
	if (f->app != APP_SSH)
		return;
	if (d == DET_REVERSE_SSH)
		dssh_ev_reverse(j, f);
	else if (d == DET_SSH_REMOTE_FORWARD)
		dssh_ev_forward(j, f);
	else if (d == DET_SSH_LONG_LIVED)
		dssh_ev_long(j, f);
}

void
det_ssh_put_record(struct jbuf *j, const struct flow *f)
{
	const struct ssh_track *t = &f->c->u->ssh.track;
	int s = det_ssh_model_server_dir(f);

	if (!t->started)
		return;
	jb_open_object(j, "keystrokes");
	jb_u64(j, "from_client", t->keys[!s]);
	jb_u64(j, "from_server", t->keys[s]);
	jb_close_object(j);
	if (t->chaff[0] != 0 || t->chaff[1] != 0) {
		jb_open_object(j, "chaff_pairs");
		jb_u64(j, "from_client", t->chaff[!s]);
		jb_u64(j, "from_server", t->chaff[s]);
		jb_close_object(j);
	}
	jb_string(j, "typing_side", (t->typing & (1 << s)) ? "server" :
	    (t->typing & (1 << !s)) ? "client" : "none");
	jb_u64(j, "nested_handshakes", t->nested);
	jb_u64(j, "reconnects", t->reconnects);
}
