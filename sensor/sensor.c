/*
 * sensor.c - the per-packet pipeline and the periodic tick.
 *
 * decode -> flow -> classify -> dissect -> detect -> rules -> emit, for
 * one packet, synchronously in the capture callback: the packet bytes are
 * borrowed from libpcap and gone when it returns, so nothing here keeps a
 * pointer to them.  Nothing on this path allocates (nDPI's per-flow state
 * aside, freed once the flow is classified) and nothing logs.
 */
#include <string.h>
#include <netinet/in.h>

#include "community_id.h"
#include "decode.h"
#include "det_mining.h"
#include "det_ssh.h"
#include "detect.h"
#include "dissect.h"
#include "log.h"
#include "mining_track.h"
#include "orient.h"
#include "slab.h"
#include "sensor.h"
#include "summary.h"
#include "util.h"

#define SENSOR_STASHES_MIN	256	/* reassembly buffers at least */
#define SENSOR_APPS_MIN		1024	/* dissector states at least */
#define SENSOR_VERDICTS_FEW	2	/* verdicts in a flow's first array */

#define SENSOR_SUPPRESS_SLOTS	65536	/* alert dedup windows kept */
#define DET_MAX_RULES		16	/* rules one verdict may fire (more: counted) */

/*
 * Room for one more verdict on f: the small array first, the full one
 * (copied over) for the third.  A pool per size with one array per table
 * slot: never short.
 */
static bool
sensor_verdict_room(struct sensor *s, struct flow *f)
{
	struct verdict *all;

	if (f->c->verdicts == NULL)
		return (f->c->verdicts = slab_get(s->verdicts_few)) != NULL;
	if (f->n_verdicts < SENSOR_VERDICTS_FEW)
		return true;
	if (f->n_verdicts > SENSOR_VERDICTS_FEW)
		return f->n_verdicts < FLOW_MAX_VERDICTS;
	if ((all = slab_get(s->verdicts)) == NULL)
		return false;
	memcpy(all, f->c->verdicts, SENSOR_VERDICTS_FEW * sizeof(*all));
	slab_put(s->verdicts_few, f->c->verdicts);
	f->c->verdicts = all;
	return true;
}

static void sensor_flow_end(void *arg, struct flow *f, enum flow_end why,
    uint64_t now_us);
static void sensor_incident(void *arg, const struct incident *inc,
    enum incident_event ev, const struct flow *f, uint64_t ts_us);

int
sensor_init_shared(struct sensor *s, struct cfg *cfg, const char *name)
{
	memset(s, 0, sizeof(*s));
	if (community_id_init() == -1)
		return -1;
	s->cfg = cfg;
	strlcpy(s->name, name, sizeof(s->name));
	s->suppress = rules_suppress_new(SENSOR_SUPPRESS_SLOTS);
	s->det.ssh = det_ssh_new();
	s->det.mining = det_mining_new(cfg);
	s->incidents = incident_table_new(&cfg->incident, sensor_incident, s,
	    &s->st);
	if (s->det.ssh == NULL || s->det.mining == NULL ||
	    s->incidents == NULL || s->suppress == NULL) {
		log_warnx("sensor: cannot allocate the cross-flow state");
		return -1;
	}
	return 0;
}

int
sensor_init_flows(struct sensor *s, uint32_t capacity)
{
	struct cfg_flow fc = s->cfg->flow;
	size_t nstash, napps;

	fc.capacity = capacity;
	/* One stash per 64 flows: only young SSH/JSON flows hold one. */
	nstash = capacity / 64;
	if (nstash < SENSOR_STASHES_MIN)
		nstash = SENSOR_STASHES_MIN;
	/*
	 * Dissector states: one per 8 flows (SSH sessions keep theirs for
	 * life, DNS flows are many and short).  As many nDPI states unless
	 * flow.ndpi_states says: one is held only while a flow is being
	 * classified, its first packets.
	 */
	napps = capacity / 8;
	if (napps < SENSOR_APPS_MIN)
		napps = SENSOR_APPS_MIN;
	/*
	 * A result per flow at most (of each size: pages are touched only
	 * as used); nDPI states for the flows still being classified.
	 */
	s->cls = cls_new(s->cfg->flow.ndpi_max_packets,
	    s->cfg->flow.ndpi_states > 0 ? s->cfg->flow.ndpi_states : napps,
	    capacity);
	s->dis = dissect_new(napps, nstash, &s->st);
	s->verdicts_few = slab_new(capacity,
	    SENSOR_VERDICTS_FEW * sizeof(struct verdict));
	s->verdicts = slab_new(capacity,
	    FLOW_MAX_VERDICTS * sizeof(struct verdict));
	/* One per slot, touched only as flows with mining state come. */
	s->det.mtracks = slab_new(capacity, sizeof(struct mining_track));
	s->det.st = &s->st;
	s->frags = frag_table_new();
	s->flows = flow_table_new(&fc, sensor_flow_end, s, &s->st);
	if (s->cls == NULL || s->frags == NULL || s->dis == NULL ||
	    s->verdicts == NULL || s->verdicts_few == NULL ||
	    s->det.mtracks == NULL ||
	    s->flows == NULL) {
		log_warnx("sensor: cannot allocate the flow state");
		return -1;
	}
	return 0;
}

int
sensor_init(struct sensor *s, struct cfg *cfg, const char *name)
{
	if (sensor_init_shared(s, cfg, name) == -1)
		return -1;
	return sensor_init_flows(s, cfg->flow.capacity);
}

void
sensor_fini(struct sensor *s)
{
	flow_table_free(s->flows);
	dissect_free(s->dis);
	slab_free(s->verdicts);
	slab_free(s->verdicts_few);
	slab_free(s->det.mtracks);
	s->det.mtracks = NULL;
	frag_table_free(s->frags);
	cls_free(s->cls);
	s->flows = NULL;
	if (s->sh != NULL && s->sh->home != s)
		return;		/* a worker borrows the rest */
	rules_suppress_free(s->suppress);
	incident_table_free(s->incidents);
	det_ssh_free(s->det.ssh);
	det_mining_free(s->det.mining);
	cfg_free(s->cfg);
	s->cfg = NULL;
}

/*
 * Workers (s->sh): the lock over the state that spans flows.  The holder
 * becomes sh->cur (incident records are written with its buffer) and
 * moves the home's packet clock (the budget's) forward to its own.
 */
static void
sensor_lock(struct sensor *s)
{
	if (s->sh == NULL)
		return;
	pthread_mutex_lock(&s->sh->mu);
	s->sh->cur = s;
	if (s->now_us > s->sh->home->now_us)
		s->sh->home->now_us = s->now_us;
}

static void
sensor_unlock(struct sensor *s)
{
	if (s->sh == NULL)
		return;
	s->sh->cur = NULL;
	pthread_mutex_unlock(&s->sh->mu);
}

/* Who keeps the alert budget: the home of a worker, else s itself. */
static struct sensor *
sensor_home(struct sensor *s)
{
	return s->sh != NULL ? s->sh->home : s;
}

int
sensor_new_capture(struct sensor *s)
{
	flow_flush(s->flows, FE_EOF, s->now_us);
	/* An incident is one capture's story too. */
	incident_flush(s->incidents, IC_EOF, s->now_us);
	det_ssh_free(s->det.ssh);
	det_mining_free(s->det.mining);
	rules_suppress_free(s->suppress);
	frag_table_free(s->frags);
	s->det.ssh = det_ssh_new();
	s->det.mining = det_mining_new(s->cfg);
	s->suppress = rules_suppress_new(SENSOR_SUPPRESS_SLOTS);
	s->frags = frag_table_new();
	s->now_us = 0;
	s->last_stats_us = 0;
	if (s->det.ssh == NULL || s->det.mining == NULL ||
	    s->suppress == NULL || s->frags == NULL) {
		log_warnx("sensor: cannot allocate the state of a new capture");
		return -1;
	}
	return 0;
}

void
sensor_reload(struct sensor *s, struct cfg *cfg)
{
	if (s->sh == NULL)
		cfg_free(s->cfg);
	s->cfg = cfg;
	if (s->flows != NULL)
		flow_table_set_config(s->flows, &cfg->flow);
	if (s->sh == NULL || s->sh->home == s)
		incident_table_set_config(s->incidents, &cfg->incident);
}

/* A rule subject leaves absent strings NULL. */
static const char *
text_or_null(const char *s)
{
	return s[0] != '\0' ? s : NULL;
}

/*
 * Fills a rule subject from a flow; detector -1 for a flow record.  The
 * app_proto and the HASSHes (string lookups) only when a rule reads them.
 */
static void
subject_of(const struct sensor *s, const struct flow *f,
    struct rule_subject *rs, int detector)
{
	const struct cls_result *r = cls_res(&f->c->cls);
	unsigned wants = rules_wants(s->cfg->rules);

	memset(rs, 0, sizeof(*rs));
	rs->detector = detector;
	rs->confidence = detector >= 0 ?
	    det_confidence(f, (enum detector)detector) / 100.0 : 1.0;
	rs->src = flow_src(f);
	rs->dst = flow_dst(f);
	rs->src_port = flow_sport(f);
	rs->dest_port = flow_dport(f);
	rs->l4_proto = f->proto;
	if (wants & RULES_WANT_APP_PROTO)
		rs->app_proto = det_app_proto(f);
	rs->direction = (enum direction)f->netdir;
	rs->duration_us = f->last_us - f->first_us;
	rs->bytes_out = f->dir[0].bytes;
	rs->bytes_in = f->dir[1].bytes;
	rs->sni = text_or_null(cls_text(r, CLS_SNI));
	if (wants & RULES_WANT_HASSH) {
		det_ssh_hassh(f, rs->hassh_text[0], rs->hassh_text[1]);
		rs->hassh_client = text_or_null(rs->hassh_text[0]);
		rs->hassh_server = text_or_null(rs->hassh_text[1]);
	}
	rs->dns_name = text_or_null(cls_text(r, CLS_DNS_QUERY));
}

/*
 * True when the global budget (output.alert_budget alerts per second of
 * packet time, by the sensor's clock, which never goes back) is spent
 * for the current second.  Checked before the
 * rule's suppression and threshold windows, so an alert dropped for
 * lack of budget opens no window and can still be raised later.
 */
static bool
sensor_budget_spent(struct sensor *s)
{
	uint32_t budget = s->cfg->output.alert_budget;

	if (budget == 0)
		return false;
	if (s->now_us / 1000000 != s->budget_sec) {
		s->budget_sec = s->now_us / 1000000;
		s->budget_used = 0;
	}
	return s->budget_used >= budget;
}

/*
 * The rules that match rs, at most DET_MAX_RULES of them into hits[] (in
 * file order); the matches past that are counted (det_max_rules).
 */
static size_t
sensor_match(struct sensor *s, const struct rule_subject *rs,
    const struct rule **hits)
{
	size_t n = rules_match(s->cfg->rules, s->cfg, rs, hits,
	    DET_MAX_RULES);

	if (n <= DET_MAX_RULES)
		return n;
	stats_add(&s->st, ST_DET_MAX_RULES, n - DET_MAX_RULES);
	return DET_MAX_RULES;
}

/* True when rule r is among the n rules of hits. */
static bool
sensor_hit(const struct rule *const *hits, size_t n, const struct rule *r)
{
	while (n-- > 0)
		if (hits[n] == r)
			return true;
	return false;
}

/*
 * Runs the rules for one verdict (or a flow record) and writes alerts.
 * was >= 0: the verdict's confidence rose from was (percent); only the
 * rules that did not match at that confidence alert now.
 */
static void
sensor_alert(struct sensor *s, const struct flow *f, int detector,
    uint64_t ts_us, int was)
{
	const struct rule *hits[DET_MAX_RULES], *before[DET_MAX_RULES];
	struct sensor *h = sensor_home(s);
	struct rule_subject rs;
	size_t i, n, nb = 0;

	subject_of(s, f, &rs, detector);
	n = sensor_match(s, &rs, hits);
	if (was >= 0 && n > 0) {
		rs.confidence = was / 100.0;
		nb = rules_match(s->cfg->rules, s->cfg, &rs, before,
		    DET_MAX_RULES);
		if (nb > DET_MAX_RULES)	/* counted by sensor_match */
			nb = DET_MAX_RULES;
		rs.confidence = det_confidence(f, (enum detector)detector) /
		    100.0;
	}
	for (i = 0; i < n; i++) {
		if (sensor_hit(before, nb, hits[i]))
			continue;	/* raised (or not) at first already */
		if (sensor_budget_spent(h)) {
			stats_inc(&s->st, ST_ALERTS_OVER_BUDGET);
			continue;
		}
		if (rules_suppressed(s->suppress, hits[i], &rs, ts_us)) {
			stats_inc(&s->st, ST_ALERTS_SUPPRESSED);
			continue;
		}
		if (rules_thresholded(s->suppress, hits[i], &rs, ts_us)) {
			stats_inc(&s->st, ST_ALERTS_THRESHOLDED);
			continue;
		}
		h->budget_used++;
		emit_alert(s, f, hits[i], detector, ts_us);
		if (s->summary != NULL)
			summary_alert(s->summary, f->netdir == DIR_INBOUND ?
			    flow_dst(f) : flow_src(f), detector, hits[i]->severity);
	}
}

/*
 * Raises each verdict that newly holds, once per flow.  A flow holds one
 * verdict of every detector (FLOW_MAX_VERDICTS), so none is ever dropped.
 * A verdict's confidence only rises: when a later reading is higher, the
 * verdict keeps it and the rules it now meets for the first time alert,
 * once (a min_confidence not met at first).
 */
static void
sensor_detect(struct sensor *s, struct flow *f, uint64_t ts_us)
{
	uint64_t raised = 0, now;
	uint8_t c, was;
	int i, d;

	/* Not against a side that may still turn out to be the other. */
	if (orient_pending(f))
		return;
	for (i = 0; i < f->n_verdicts; i++) {
		struct verdict *v = &f->c->verdicts[i];

		raised |= DET_BIT(v->detector);
		c = det_confidence(f, (enum detector)v->detector);
		if (c <= v->confidence)
			continue;
		was = v->confidence;
		v->confidence = c;
		sensor_lock(s);
		sensor_alert(s, f, v->detector, ts_us, was);
		sensor_unlock(s);
	}
	now = det_check(&s->det, s->cfg, f, ts_us) & ~raised;
	if (now == 0)
		return;
	sensor_lock(s);		/* rules, budget, incidents: shared */
	for (d = 0; d < DET_COUNT; d++) {
		if (!(now & DET_BIT(d)) || f->n_verdicts >= FLOW_MAX_VERDICTS)
			continue;
		if (!sensor_verdict_room(s, f))
			continue;
		f->c->verdicts[f->n_verdicts++] = (struct verdict){
			.ts_us = ts_us, .detector = (uint8_t)d,
			.confidence = det_confidence(f, (enum detector)d) };
		stats_inc(&s->st, ST_VERDICTS);
		sensor_alert(s, f, d, ts_us, -1);
		incident_verdict(s->incidents, s->cfg, f, d,
		    f->c->verdicts[f->n_verdicts - 1].confidence, ts_us);
	}
	sensor_unlock(s);
}

/*
 * Feeds in-order TCP payload to the flow's dissector, then the payload
 * (TCP: new in-order bytes only; UDP: the datagram) to the detectors'
 * per-packet hooks.
 */
static void
sensor_dissect(struct sensor *s, struct flow *f, const struct packet *pkt,
    int dir)
{
	const uint8_t *p = pkt->payload;
	size_t n = pkt->payload_len;

	if (pkt->fragment)	/* no L4 header: nothing to dissect */
		return;
	if (f->proto == IPPROTO_TCP && pkt->l4_ok) {
		if (!flow_tcp_inorder(f, pkt, dir, &p, &n) &&
		    f->dissecting) {
			stats_inc(&s->st, ST_DISSECT_GAP);
			dissect_drop_stash(s->dis, f);
		}
		dissect_tcp(s->dis, f, dir, p, n, pkt->ts_us);
		/* The key exchange tells a mid-stream flow who is the client. */
		if (orient_ssh(f)) {
			dir = !dir;
			f->netdir = (uint8_t)cfg_direction(s->cfg, flow_src(f),
			    flow_dst(f));
		}
		if (f->app == APP_SSH)
			det_ssh_packet(s->det.ssh, s->cfg, f, dir, pkt, n);
	}
	det_mining_packet(&s->det, s->dis, s->cfg, f, dir, pkt, p, n);
}

void
sensor_packet(void *arg, int dlt, uint64_t ts_us, uint32_t caplen,
    uint32_t wirelen, const uint8_t *bytes)
{
	struct sensor *s = arg;
	struct packet pkt;
	struct flow *f;
	uint64_t total;
	bool created;
	int dir;

	stats_inc(&s->st, ST_PACKETS);
	stats_add(&s->st, ST_BYTES, wirelen);
	memset(&pkt, 0, sizeof(pkt));
	pkt.ts_us = ts_us;
	pkt.wire_len = wirelen;
	if (dec_frame(bytes, caplen, dlt, &pkt, &s->st) != DEC_OK)
		return;
	stats_inc(&s->st, ST_DECODED);
	if (pkt.frag_first || pkt.fragment)
		frag_track(s->frags, &pkt);
	if (ts_us > s->now_us) {
		s->now_us = ts_us;
		flow_expire(s->flows, s->now_us);
		if (s->sh == NULL)	/* workers: at their tick */
			incident_expire(s->incidents, s->now_us);
	}
	if ((f = flow_lookup(s->flows, &pkt, &dir, &created)) == NULL)
		return;
	if (created) {
		orient_created(f, &pkt, &dir);
		f->netdir = (uint8_t)cfg_direction(s->cfg, flow_src(f), flow_dst(f));
		det_mining_flow_init(f);
	}
	if (orient_packet(f, &pkt, &dir))
		f->netdir = (uint8_t)cfg_direction(s->cfg, flow_src(f), flow_dst(f));
	flow_update(s->flows, f, &pkt, dir);
	if (!f->c->cls.done)
		cls_packet(s->cls, &f->c->cls, &pkt, dir, &s->st);
	sensor_dissect(s, f, &pkt, dir);
	/*
	 * Verdicts come from handshakes and first messages, and from the
	 * shape of SSH sessions; other flows are re-checked now and then.
	 */
	total = f->dir[0].pkts + f->dir[1].pkts;
	if (f->app == APP_SSH || f->dissecting || total <= 64 ||
	    (total & 63) == 0)
		sensor_detect(s, f, ts_us);
}

/* Flow table callback: a flow ended, or a long one is reported. */
static void
sensor_flow_end(void *arg, struct flow *f, enum flow_end why, uint64_t now_us)
{
	struct sensor *s = arg;

	orient_settle(f);	/* records never contradict each other */
	if (why != FE_ACTIVE_TIMEOUT) {
		cls_finish(s->cls, &f->c->cls, &s->st);
		dissect_drop_stash(s->dis, f);
	}
	sensor_detect(s, f, f->last_us);
	emit_flow(s, f, why, now_us);
	if (why != FE_ACTIVE_TIMEOUT) {
		sensor_lock(s);
		sensor_alert(s, f, -1, f->last_us, -1);
		incident_flow_end(s->incidents, f, f->last_us);
		sensor_unlock(s);
		dissect_end(s->dis, f);
		slab_put(f->n_verdicts <= SENSOR_VERDICTS_FEW ?
		    s->verdicts_few : s->verdicts, f->c->verdicts);
		f->c->verdicts = NULL;
		mining_track_put(&s->det, f);
		cls_flow_free(s->cls, &f->c->cls);
	}
}

/*
 * Incident table callback: writes the incident record and, on an open or
 * a stage change, runs the incident rules (incident_min_score) for it.
 */
static void
sensor_incident(void *arg, const struct incident *inc,
    enum incident_event ev, const struct flow *f, uint64_t ts_us)
{
	struct sensor *s = arg;
	const struct rule *hits[DET_MAX_RULES];
	struct rule_subject rs;
	size_t i, n;

	/* A worker holds the lock: its line buffer, its counters. */
	if (s->sh != NULL && s->sh->cur != NULL)
		s = s->sh->cur;
	emit_incident(s, inc, ev, ts_us);
	if (ev == IE_CLOSE || f == NULL)
		return;
	subject_of(s, f, &rs, -1);
	rs.src = rs.dst = &inc->host;	/* per host: suppression by src_ip */
	rs.incident = true;
	rs.incident_score = inc->score;
	n = sensor_match(s, &rs, hits);
	for (i = 0; i < n; i++) {
		if (rules_suppressed(s->suppress, hits[i], &rs, ts_us)) {
			stats_inc(&s->st, ST_ALERTS_SUPPRESSED);
			continue;
		}
		emit_incident_alert(s, f, hits[i], inc, ts_us);
	}
}

void
sensor_tick(struct sensor *s, uint64_t now_us, uint64_t wall_unix)
{
	uint32_t interval = s->cfg->output.stats_interval;

	if (now_us > s->now_us) {
		s->now_us = now_us;
		flow_expire(s->flows, s->now_us);
		if (s->sh == NULL)
			incident_expire(s->incidents, s->now_us);
	}
	if (s->sh != NULL) {	/* stats and health: the home's (worker.c) */
		sensor_lock(s);
		incident_expire(s->incidents, s->sh->home->now_us);
		sensor_unlock(s);
		return;
	}
	if (interval > 0 && s->now_us >= s->last_stats_us +
	    interval * 1000000ULL) {
		if (s->last_stats_us != 0)
			emit_stats(s, s->now_us);
		s->last_stats_us = s->now_us;
	}
	/* The heartbeat goes through the writer like every record. */
	if (out_writer_has_redis(s->out) && wall_unix >= s->last_health_unix +
	    s->cfg->output.redis.health_interval) {
		s->last_health_unix = wall_unix;
		out_writer_counters(s->out, &s->st);
		out_writer_health(s->out, &s->st);
	}
}

/* -v: how full the flows' pools got (sizing the caps). */
static void
sensor_log_pools(const struct sensor *s)
{
	struct cls_counts cc;
	struct slab_counts mc;
	size_t du, dh, dc;

	dissect_counts(s->dis, &du, &dh, &dc);
	cls_counts(s->cls, &cc);
	slab_counts(s->det.mtracks, &mc);
	log_info("flow pools: %zu+%zu bytes per flow (hot+cold); dissector "
	    "states at most %zu of %zu in use (%zu bytes each, %llu refused);"
	    " nDPI states at most %zu of %zu (%zu bytes each, %llu given up "
	    "early); nDPI results at most %zu of %zu (48 to 256 bytes each, "
	    "%llu refused); mining tracks at most %zu of %zu (%zu bytes each, "
	    "%llu refused)", sizeof(struct flow), sizeof(struct flow_cold),
	    dh, dc, sizeof(union flow_app_state),
	    (unsigned long long)s->st.v[ST_APP_STATE_EXHAUSTED],
	    cc.states_high, cc.states_cap, cc.state_size,
	    (unsigned long long)s->st.v[ST_NDPI_STATE_RECLAIMED],
	    cc.results_high, cc.results_cap,
	    (unsigned long long)s->st.v[ST_CLS_RESULT_EXHAUSTED], mc.high,
	    mc.n, mc.size,
	    (unsigned long long)s->st.v[ST_MINING_TRACK_EXHAUSTED]);
}

void
sensor_finish(struct sensor *s, enum flow_end why)
{
	flow_flush(s->flows, why, s->now_us);
	sensor_log_pools(s);
	if (s->sh != NULL)
		return;		/* a worker: the home ends the rest */
	incident_flush(s->incidents, why == FE_SHUTDOWN ? IC_SHUTDOWN : IC_EOF,
	    s->now_us);
	/* Every flow handled first, so the final stats count them all. */
	if (s->out != NULL)
		out_writer_sync(s->out);
	emit_stats(s, s->now_us);
	if (out_writer_has_redis(s->out))
		out_writer_health(s->out, &s->st);	/* the last heartbeat */
}
