/*
 * emit.c - flow, alert and stats records (Suricata EVE conventions).
 *
 * Every record is built in the sensor's one line buffer with json.c and
 * written, byte-identical, to the NDJSON file and to Redis (with a few
 * flat fields for cheap dashboard filters).  src is always the flow's
 * initiator.  Timestamps are packet time, so replays are reproducible.
 * A record that does not fit JSON_LINE_MAX is counted and dropped rather
 * than written broken.
 *
 * Records are the sensor's busiest output path, so nothing here calls the
 * printf family: numbers, addresses and timestamps go through json.c's
 * writers, each value is formatted once (the header's addresses and
 * Community ID are reused by the Redis flat fields, which exist only with
 * Redis), and with no output at all a record is counted but not built.
 */
#include <string.h>
#include <netinet/in.h>

#include "cidr.h"
#include "community_id.h"
#include "dissect.h"
#include "det_mining.h"
#include "det_ssh.h"
#include "detect.h"
#include "log.h"
#include "orient.h"
#include "sensor.h"
#include "ssh.h"
#include "stratum.h"

static const char *
proto_name(uint8_t p)
{
	switch (p) {
	case IPPROTO_TCP:	return "TCP";
	case IPPROTO_UDP:	return "UDP";
	case IPPROTO_ICMP:	return "ICMP";
	case IPPROTO_ICMPV6:	return "IPv6-ICMP";
	case IPPROTO_GRE:	return "GRE";
	case IPPROTO_ESP:	return "ESP";
	case IPPROTO_SCTP:	return "SCTP";
	default:		return "other";
	}
}

/* The header's values the Redis flat fields repeat, formatted once. */
struct rec_head {
	char	 src[JSON_IP_MAX];
	char	 dst[JSON_IP_MAX];
	char	 cid[COMMUNITY_ID_LEN];
	size_t	 src_len, dst_len, cid_len;	/* cid_len 0: none */
};

/* Starts a record in s->line; false when no output wants it. */
static bool
rec_begin(struct sensor *s, struct jbuf *j)
{
	if (s->out == NULL) {
		stats_inc(&s->st, ST_RECORDS);	/* as if written */
		return false;
	}
	jb_init_clock(j, s->line, sizeof(s->line), &s->clock);
	return true;
}

static void
put_header(struct sensor *s, struct jbuf *j, const struct flow *f,
    const char *type, uint64_t ts_us, struct rec_head *h)
{
	int i;

	h->src_len = json_fmt_ip(h->src, flow_src(f)->b);
	h->dst_len = json_fmt_ip(h->dst, flow_dst(f)->b);
	h->cid_len = community_id_flow(f, h->cid, sizeof(h->cid)) == 0 ?
	    strlen(h->cid) : 0;
	jb_open_object(j, NULL);
	jb_timestamp(j, "timestamp", ts_us);
	jb_u64(j, "flow_id", flow_id(f));
	jb_string(j, "event_type", type);
	jb_string(j, "sensor", s->name);
	jb_string(j, "host", s->name);	/* EVE's name for the sensor */
	jb_stringn(j, "src_ip", h->src, h->src_len);
	if (f->proto == IPPROTO_TCP || f->proto == IPPROTO_UDP)
		jb_u64(j, "src_port", flow_sport(f));
	jb_stringn(j, "dest_ip", h->dst, h->dst_len);
	if (f->proto == IPPROTO_TCP || f->proto == IPPROTO_UDP)
		jb_u64(j, "dest_port", flow_dport(f));
	jb_string(j, "proto", proto_name(f->proto));
	if (f->c->vlan_count > 0) {
		jb_open_array(j, "vlan");
		for (i = 0; i < f->c->vlan_count; i++)
			jb_u64(j, NULL, f->c->vlan[i]);
		jb_close_array(j);
	}
	jb_string(j, "direction", direction_name(f->netdir));
	jb_string(j, "app_proto", det_app_proto(f));
	if (h->cid_len > 0)
		jb_stringn(j, "community_id", h->cid, h->cid_len);
}

static void
put_flow_counters(struct jbuf *j, const struct flow *f, enum flow_end why)
{
	jb_open_object(j, "flow");
	jb_u64(j, "pkts_toserver", f->dir[0].pkts);
	jb_u64(j, "pkts_toclient", f->dir[1].pkts);
	jb_u64(j, "bytes_toserver", f->dir[0].bytes);
	jb_u64(j, "bytes_toclient", f->dir[1].bytes);
	jb_timestamp(j, "start", f->first_us);
	jb_timestamp(j, "end", f->last_us);
	jb_u64(j, "age", (f->last_us - f->first_us) / 1000000);
	jb_double(j, "duration", (double)(f->last_us - f->first_us) / 1e6, 6);
	jb_string(j, "state", flow_state_name(f));
	jb_string(j, "reason", flow_end_name(why));
	if (f->proto == IPPROTO_TCP) {
		jb_hex(j, "tcp_flags_ts", &f->dir[0].tcp_flags, 1);
		jb_hex(j, "tcp_flags_tc", &f->dir[1].tcp_flags, 1);
	}
	/* No SYN decided who started it: say how it was decided. */
	if (orient_reason_name(f) != NULL) {
		jb_string(j, "orientation", "inferred");
		jb_string(j, "orientation_reason", orient_reason_name(f));
	}
	jb_close_object(j);
}

static void
put_ndpi(struct jbuf *j, const struct flow *f)
{
	const struct cls_result *r = cls_res(&f->c->cls);
	char name[96];
	int i;

	if (!f->c->cls.done || f->c->cls.res == NULL)
		return;
	jb_open_object(j, "ndpi");
	jb_string(j, "protocol", cls_protocol(r, name, sizeof(name)));
	jb_string(j, "category", cls_category(r));
	jb_string(j, "confidence", cls_confidence(r));
	jb_open_array(j, "risks");
	for (i = 0; i < r->n_risks; i++)
		jb_string(j, NULL, cls_risk_name(r->risks[i]));
	jb_close_array(j);
	jb_close_object(j);
}

static void
put_ssh_side(struct jbuf *j, const char *key, const char *banner,
    const char *hassh, const char *error)
{
	jb_open_object(j, key);
	jb_string(j, "banner", banner);
	if (hassh[0] != '\0')
		jb_string(j, "hassh", hassh);
	else if (error != NULL)
		jb_string(j, "hassh_error", error);
	jb_close_object(j);
}

/* The negotiated algorithms; s2c only where it differs from c2s. */
static void
put_ssh_algos(struct jbuf *j, const struct ssh_info *si)
{
	const char *c2s, *s2c;

	jb_string(j, "kex", ssh_algo(si, SSH_A_KEX));
	jb_string(j, "hostkey", ssh_algo(si, SSH_A_HOSTKEY));
	c2s = ssh_algo(si, SSH_A_CIPHER_C2S);
	s2c = ssh_algo(si, SSH_A_CIPHER_S2C);
	jb_string(j, "cipher", c2s);
	jb_string(j, "mac", ssh_algo(si, SSH_A_MAC_C2S));
	if (strcmp(c2s, s2c) != 0)
		jb_string(j, "cipher_s2c", s2c);
	c2s = ssh_algo(si, SSH_A_MAC_C2S);
	s2c = ssh_algo(si, SSH_A_MAC_S2C);
	if (strcmp(c2s, s2c) != 0)
		jb_string(j, "mac_s2c", s2c);
	if (si->algos_cut)
		jb_bool(j, "algorithms_cut", true);
}

static void
put_ssh(struct jbuf *j, const struct flow *f)
{
	const struct ssh_info *si = &f->c->u->ssh.hs;
	const struct cls_result *r = cls_res(&f->c->cls);
	char hc[33], hs[33];
	int cd;

	if (!det_is_ssh(f))
		return;
	det_ssh_hassh(f, hc, hs);
	jb_open_object(j, "ssh");
	if (f->app == APP_SSH && si->side[0].banner_seen &&
	    si->side[1].banner_seen) {
		/* Roles from the key exchange; the initiator until known. */
		cd = si->client_dir >= 0 ? si->client_dir : 0;
		put_ssh_side(j, "client", si->side[cd].banner, hc,
		    det_ssh_hassh_error(f, true));
		put_ssh_side(j, "server", si->side[!cd].banner, hs,
		    det_ssh_hassh_error(f, false));
		jb_string(j, "initiator_role", ssh_role_name(si, 0));
		if (si->negotiated) {
			put_ssh_algos(j, si);
			if (ssh_compressed(si))
				jb_string(j, "compression",
				    ssh_algo(si, SSH_A_COMP_C2S));
		}
	} else {
		put_ssh_side(j, "client", cls_text(r, CLS_SSH_BANNER_CLIENT), hc,
		    det_ssh_hassh_error(f, true));
		put_ssh_side(j, "server", cls_text(r, CLS_SSH_BANNER_SERVER), hs,
		    det_ssh_hassh_error(f, false));
		jb_string(j, "initiator_role", "unknown");
	}
	if (f->app == APP_SSH)
		det_ssh_put_record(j, f);
	jb_close_object(j);
}

static void
put_app(struct jbuf *j, const struct flow *f)
{
	const struct cls_result *r = cls_res(&f->c->cls);
	const struct stratum_info *si = flow_stratum(f);

	put_ssh(j, f);
	if (cls_text(r, CLS_SNI)[0] != '\0' || cls_text(r, CLS_JA3)[0] != '\0') {
		jb_open_object(j, "tls");
		if (cls_text(r, CLS_SNI)[0] != '\0')
			jb_string(j, "sni", cls_text(r, CLS_SNI));
		if (cls_text(r, CLS_JA3)[0] != '\0')
			jb_string(j, "ja3", cls_text(r, CLS_JA3));
		jb_close_object(j);
	}
	if (f->app == APP_DNS || f->app == APP_PROXY)
		det_mining_put_record(j, f);
	else if (cls_text(r, CLS_DNS_QUERY)[0] != '\0') {
		jb_open_object(j, "dns");
		jb_string(j, "rrname", cls_text(r, CLS_DNS_QUERY));
		jb_close_object(j);
	}
	if (si != NULL && si->dialect != STRATUM_NONE) {
		jb_open_object(j, "stratum");
		det_evidence(j, NULL, f, DET_STRATUM);
		jb_close_object(j);
	}
}

static void
put_verdicts(struct sensor *s, struct jbuf *j, const struct flow *f)
{
	int i;

	if (f->n_verdicts == 0)
		return;
	jb_open_array(j, "verdicts");
	for (i = 0; i < f->n_verdicts; i++) {
		const struct verdict *v = &f->c->verdicts[i];

		jb_open_object(j, NULL);
		jb_string(j, "detector", verdict_name(v->detector));
		jb_double(j, "confidence", v->confidence / 100.0, 2);
		jb_timestamp(j, "first_seen", v->ts_us);
		jb_open_object(j, "evidence");
		det_evidence(j, s->cfg, f, v->detector);
		jb_close_object(j);
		jb_close_object(j);
	}
	jb_close_array(j);
}

/*
 * Appends name to the comma-separated list in buf (NUL-terminated, len
 * bytes so far); false, list unchanged, when it does not fit.
 */
static bool
name_list_add(char *buf, size_t cap, size_t *len, const char *name)
{
	size_t n = strlen(name), comma = *len > 0;

	if (*len + comma + n >= cap)
		return false;
	if (comma)
		buf[(*len)++] = ',';
	memcpy(buf + *len, name, n + 1);
	*len += n;
	return true;
}

/* Comma-separated verdict names for the flat Redis field. */
static size_t
verdict_list(const struct flow *f, char *buf, size_t cap)
{
	size_t len = 0;
	int i;

	buf[0] = '\0';
	for (i = 0; i < f->n_verdicts; i++)
		if (!name_list_add(buf, cap, &len,
		    verdict_name(f->c->verdicts[i].detector)))
			break;
	return len;
}

/*
 * Hands the finished line to the writer thread (NDJSON + Redis) with its
 * flat fields (Redis only): the flow's (h: its header's values) for flow
 * and alert records, then extra[n].
 */
static void
emit_line(struct sensor *s, struct jbuf *j, enum rec_kind kind,
    const struct flow *f, const struct rec_head *h, uint64_t ts_us,
    const struct out_field *extra, size_t nextra)
{
	char port[JSON_U64_MAX], bytes[JSON_U64_MAX], verdicts[256];
	struct out_field flat[24];
	size_t n = 0, i;

	if (j->overflow) {
		stats_inc(&s->st, ST_JSON_TRUNCATED);
		return;
	}
	stats_inc(&s->st, ST_RECORDS);
	if (f != NULL && out_writer_has_redis(s->out)) {
		const char *app = det_app_proto(f);
		const char *dir = direction_name(f->netdir);
		size_t vl = verdict_list(f, verdicts, sizeof(verdicts));

		flat[n++] = (struct out_field){ "src_ip", h->src, h->src_len };
		flat[n++] = (struct out_field){ "dest_ip", h->dst, h->dst_len };
		flat[n++] = (struct out_field){ "dest_port", port,
		    json_fmt_u64(port, flow_dport(f)) };
		flat[n++] = (struct out_field){ "app_proto", app, strlen(app) };
		flat[n++] = (struct out_field){ "direction", dir, strlen(dir) };
		flat[n++] = (struct out_field){ "bytes", bytes,
		    json_fmt_u64(bytes, f->dir[0].bytes + f->dir[1].bytes) };
		flat[n++] = (struct out_field){ "verdicts", verdicts, vl };
		if (h->cid_len > 0)
			flat[n++] = (struct out_field){ "community_id", h->cid,
			    h->cid_len };
	}
	if (out_writer_has_redis(s->out))
		for (i = 0; i < nextra && n < sizeof(flat) / sizeof(flat[0]);
		    i++)
			flat[n++] = extra[i];
	/* Never blocks on an output; a full ring is counted there. */
	(void)out_writer_push(s->out, kind, ts_us, j->buf, j->len, flat, n);
}

void
emit_flow(struct sensor *s, const struct flow *f, enum flow_end why,
    uint64_t now_us)
{
	struct rec_head h;
	struct jbuf j;
	uint64_t ts;

	if (!rec_begin(s, &j))
		return;
	/*
	 * An update is stamped when it is written; the final record when the
	 * flow was last seen, but never before its own last update.
	 */
	ts = why == FE_ACTIVE_TIMEOUT ? now_us : f->last_us;
	if (why != FE_ACTIVE_TIMEOUT && f->c->updates > 0 && f->c->reported_us > ts)
		ts = f->c->reported_us;
	put_header(s, &j, f, "flow", ts, &h);
	put_flow_counters(&j, f, why);
	put_ndpi(&j, f);
	put_app(&j, f);
	put_verdicts(s, &j, f);
	jb_close_object(&j);
	emit_line(s, &j, REC_FLOW, f, &h, why == FE_ACTIVE_TIMEOUT ? now_us :
	    f->last_us, NULL, 0);
}

/* The alert's flat fields (SOC tools filter on them), then the line. */
static void
emit_alert_line(struct sensor *s, struct jbuf *j, const struct flow *f,
    const struct rec_head *h, const struct rule *r, int detector,
    uint64_t ts_us)
{
	char sev[JSON_U64_MAX], sid[JSON_U64_MAX], ts[JSON_TIMESTAMP_LEN];
	const char *det = detector >= 0 ? verdict_name(detector) : "";
	struct out_field x[5];

	if (!out_writer_has_redis(s->out)) {
		emit_line(s, j, REC_ALERT, f, h, ts_us, NULL, 0);
		return;
	}
	json_timestamp(ts, sizeof(ts), ts_us);
	x[0] = (struct out_field){ "severity", sev,
	    json_fmt_u64(sev, r->severity) };
	x[1] = (struct out_field){ "signature_id", sid,
	    json_fmt_u64(sid, r->sid) };
	x[2] = (struct out_field){ "signature", r->title, strlen(r->title) };
	x[3] = (struct out_field){ "detector", det, strlen(det) };
	x[4] = (struct out_field){ "timestamp", ts, JSON_TIMESTAMP_LEN - 1 };
	emit_line(s, j, REC_ALERT, f, h, ts_us, x, 5);
}

/* The alert object's rule members (left open for the caller). */
static void
put_alert_rule(struct jbuf *j, const struct rule *r)
{
	jb_open_object(j, "alert");
	jb_string(j, "action", "allowed");	/* passive: never blocked */
	jb_u64(j, "gid", 1);
	jb_u64(j, "signature_id", r->sid);
	jb_u64(j, "rev", r->rev);
	jb_string(j, "signature", r->title);
	jb_u64(j, "severity", r->severity);
	jb_string(j, "category", r->category);
	jb_string(j, "rule", r->id);
}

void
emit_alert(struct sensor *s, const struct flow *f, const struct rule *r,
    int detector, uint64_t ts_us)
{
	struct rec_head h;
	struct jbuf j;

	stats_inc(&s->st, ST_ALERTS);
	if (!rec_begin(s, &j))
		return;
	put_header(s, &j, f, "alert", ts_us, &h);
	put_alert_rule(&j, r);
	if (detector >= 0) {
		jb_string(&j, "detector", verdict_name(detector));
		jb_double(&j, "confidence",
		    det_confidence(f, (enum detector)detector) / 100.0, 2);
	}
	jb_close_object(&j);
	jb_open_object(&j, "evidence");
	if (detector >= 0)
		det_evidence(&j, s->cfg, f, (enum detector)detector);
	jb_u64(&j, "pkts_toserver", f->dir[0].pkts);
	jb_u64(&j, "pkts_toclient", f->dir[1].pkts);
	jb_u64(&j, "bytes_toserver", f->dir[0].bytes);
	jb_u64(&j, "bytes_toclient", f->dir[1].bytes);
	jb_double(&j, "duration", (double)(f->last_us - f->first_us) / 1e6, 6);
	jb_close_object(&j);
	put_app(&j, f);
	jb_close_object(&j);
	emit_alert_line(s, &j, f, &h, r, detector, ts_us);
}

/* "workers": each worker's packets, drops and flows (stats records). */
static void
put_workers(struct jbuf *j, const struct sensor_shared *sh)
{
	static const enum stat_id rows[] = { ST_PACKETS, ST_BYTES,
	    ST_DECODED, ST_CAPTURE_DROPS, ST_FLOWS_CREATED, ST_FLOWS_ACTIVE,
	    ST_VERDICTS, ST_RECORDS };
	size_t k;
	int i;

	jb_open_array(j, "workers");
	for (i = 0; i < sh->n; i++) {
		jb_open_object(j, NULL);
		jb_u64(j, "worker", (uint64_t)i);
		for (k = 0; k < sizeof(rows) / sizeof(rows[0]); k++)
			jb_u64(j, stats_name(rows[k]), sh->snap[i].v[rows[k]]);
		jb_close_object(j);
	}
	jb_close_array(j);
}

void
emit_stats(struct sensor *s, uint64_t ts_us)
{
	struct jbuf j;
	int i, last;

	if (!rec_begin(s, &j))
		return;
	jb_open_object(&j, NULL);
	jb_timestamp(&j, "timestamp", ts_us);
	jb_string(&j, "event_type", "stats");
	jb_string(&j, "sensor", s->name);
	jb_string(&j, "host", s->name);
	/* The writer's rows: only with Redis (goldens stay timing-free). */
	out_writer_counters(s->out, &s->st);
	last = out_writer_has_redis(s->out) ? ST_COUNT : ST_OUT_FIRST;
	jb_open_object(&j, "stats");
	for (i = 0; i < last; i++)
		jb_u64(&j, stats_name((enum stat_id)i), s->st.v[i]);
	jb_close_object(&j);
	if (s->sh != NULL)	/* --workers: each one's share (worker.h) */
		put_workers(&j, s->sh);
	jb_close_object(&j);
	emit_line(s, &j, REC_STATS, NULL, NULL, ts_us, NULL, 0);
}

/* "tunnel,mining" for the flat field. */
static size_t
stage_list(const struct incident *inc, char *buf, size_t cap)
{
	size_t len = 0;
	int i;

	buf[0] = '\0';
	for (i = 0; i < IS_COUNT; i++)
		if ((inc->stages & (1u << i)) && !name_list_add(buf, cap, &len,
		    incident_stage_name((enum incident_stage)i)))
			break;
	return len;
}

void
emit_incident(struct sensor *s, const struct incident *inc,
    enum incident_event ev, uint64_t ts_us)
{
	char host[JSON_IP_MAX], score[JSON_U64_MAX], stages[96];
	struct out_field flat[6];
	struct jbuf j;
	size_t hl;
	/* The hash lives while the incident may still grow. */
	bool keep = ev != IE_CLOSE || inc->close == IC_EOF ||
	    inc->close == IC_SHUTDOWN;

	if (!rec_begin(s, &j))
		return;
	hl = json_fmt_ip(host, inc->host.b);
	jb_open_object(&j, NULL);
	jb_timestamp(&j, "timestamp", ts_us);
	jb_string(&j, "event_type", "incident");
	jb_string(&j, "sensor", s->name);
	jb_string(&j, "host", s->name);
	jb_stringn(&j, "src_ip", host, hl);
	incident_put(&j, inc, ev);
	jb_close_object(&j);
	if (!out_writer_has_redis(s->out)) {
		emit_line(s, &j, REC_INCIDENT, NULL, NULL, ts_us, NULL, 0);
		return;
	}
	flat[0] = (struct out_field){ "id", inc->id, strlen(inc->id) };
	flat[1] = (struct out_field){ "open", keep ? "1" : "0", 1 };
	flat[2] = (struct out_field){ "host", host, hl };
	flat[3] = (struct out_field){ "score", score,
	    json_fmt_u64(score, inc->score) };
	flat[4] = (struct out_field){ "stages", stages,
	    stage_list(inc, stages, sizeof(stages)) };
	flat[5] = (struct out_field){ "state", ev == IE_CLOSE ? "closed" :
	    "open", ev == IE_CLOSE ? 6 : 4 };
	emit_line(s, &j, REC_INCIDENT, NULL, NULL, ts_us, flat, 6);
}

void
emit_incident_alert(struct sensor *s, const struct flow *f,
    const struct rule *r, const struct incident *inc, uint64_t ts_us)
{
	char host[JSON_IP_MAX];
	struct rec_head h;
	struct jbuf j;
	int i;

	stats_inc(&s->st, ST_ALERTS);
	if (!rec_begin(s, &j))
		return;
	put_header(s, &j, f, "alert", ts_us, &h);
	put_alert_rule(&j, r);
	jb_string(&j, "incident", inc->id);
	jb_u64(&j, "score", inc->score);
	jb_close_object(&j);
	jb_open_object(&j, "evidence");
	jb_string(&j, "incident_id", inc->id);
	jb_stringn(&j, "incident_host", host, json_fmt_ip(host, inc->host.b));
	jb_u64(&j, "score", inc->score);
	jb_open_array(&j, "stages");
	for (i = 0; i < IS_COUNT; i++)
		if (inc->stages & (1u << i))
			jb_string(&j, NULL,
			    incident_stage_name((enum incident_stage)i));
	jb_close_array(&j);
	jb_timestamp(&j, "first_seen", inc->first_us);
	jb_u64(&j, "members", inc->n_members + inc->members_dropped);
	jb_close_object(&j);
	jb_close_object(&j);
	emit_alert_line(s, &j, f, &h, r, -1, ts_us);
}
