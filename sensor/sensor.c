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
#include "log.h"
#include "orient.h"
#include "sensor.h"
#include "ssh.h"
#include "stratum.h"
#include "summary.h"
#include "util.h"

#define SENSOR_STASHES_MIN	256	/* reassembly buffers at least */
#define SENSOR_SUPPRESS_SLOTS	65536	/* alert dedup windows kept */
#define DET_MAX_RULES		16	/* rules one verdict may fire */

static void sensor_flow_end(void *arg, struct flow *f, enum flow_end why,
    uint64_t now_us);
static void sensor_incident(void *arg, const struct incident *inc,
    enum incident_event ev, const struct flow *f, uint64_t ts_us);

int
sensor_init(struct sensor *s, struct cfg *cfg, const char *name)
{
	size_t nstash;

	memset(s, 0, sizeof(*s));
	if (community_id_init() == -1)
		return -1;
	s->cfg = cfg;
	strlcpy(s->name, name, sizeof(s->name));
	/* One stash per 64 flows: only young SSH/JSON flows hold one. */
	nstash = cfg->flow.capacity / 64;
	if (nstash < SENSOR_STASHES_MIN)
		nstash = SENSOR_STASHES_MIN;
	s->cls = cls_new(cfg->flow.ndpi_max_packets);
	s->stashes = stash_pool_new(nstash);
	s->frags = frag_table_new();
	s->suppress = rules_suppress_new(SENSOR_SUPPRESS_SLOTS);
	s->flows = flow_table_new(&cfg->flow, sensor_flow_end, s, &s->st);
	s->det.ssh = det_ssh_new();
	s->det.mining = det_mining_new(cfg);
	s->incidents = incident_table_new(&cfg->incident, sensor_incident, s,
	    &s->st);
	if (s->det.ssh == NULL || s->det.mining == NULL || s->cls == NULL ||
	    s->incidents == NULL ||
	    s->frags == NULL || s->stashes == NULL || s->suppress == NULL ||
	    s->flows == NULL) {
		log_warnx("sensor: cannot allocate the flow state");
		return -1;
	}
	return 0;
}

void
sensor_fini(struct sensor *s)
{
	flow_table_free(s->flows);
	stash_pool_free(s->stashes);
	frag_table_free(s->frags);
	rules_suppress_free(s->suppress);
	incident_table_free(s->incidents);
	cls_free(s->cls);
	det_ssh_free(s->det.ssh);
	det_mining_free(s->det.mining);
	cfg_free(s->cfg);
	s->cfg = NULL;
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
	cfg_free(s->cfg);
	s->cfg = cfg;
	flow_table_set_config(s->flows, &cfg->flow);
	incident_table_set_config(s->incidents, &cfg->incident);
}

/* Fills a rule subject from a flow; detector NULL for a flow record. */
static void
subject_of(const struct flow *f, struct rule_subject *rs, int detector)
{
	const struct cls_result *r = &f->cls.res;

	memset(rs, 0, sizeof(*rs));
	rs->detector = detector >= 0 ? verdict_name(detector) : NULL;
	rs->confidence = detector >= 0 ?
	    det_confidence(f, (enum detector)detector) / 100.0 : 1.0;
	rs->src = &f->src;
	rs->dst = &f->dst;
	rs->src_port = f->sport;
	rs->dest_port = f->dport;
	rs->l4_proto = f->proto;
	rs->app_proto = det_app_proto(f);
	rs->direction = (enum direction)f->netdir;
	rs->duration_us = f->last_us - f->first_us;
	rs->bytes_out = f->dir[0].bytes;
	rs->bytes_in = f->dir[1].bytes;
	rs->sni = r->sni[0] != '\0' ? r->sni : NULL;
	det_ssh_hassh(f, &rs->hassh_client, &rs->hassh_server);
	if (rs->hassh_client[0] == '\0')
		rs->hassh_client = NULL;
	if (rs->hassh_server[0] == '\0')
		rs->hassh_server = NULL;
	rs->dns_name = r->dns_query[0] != '\0' ? r->dns_query : NULL;
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
	struct rule_subject rs;
	size_t i, n, nb = 0;

	subject_of(f, &rs, detector);
	n = rules_match(s->cfg->rules, s->cfg, &rs, hits, DET_MAX_RULES);
	if (was >= 0 && n > 0) {
		rs.confidence = was / 100.0;
		nb = rules_match(s->cfg->rules, s->cfg, &rs, before,
		    DET_MAX_RULES);
		rs.confidence = det_confidence(f, (enum detector)detector) /
		    100.0;
	}
	for (i = 0; i < n; i++) {
		if (sensor_hit(before, nb, hits[i]))
			continue;	/* raised (or not) at first already */
		if (sensor_budget_spent(s)) {
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
		s->budget_used++;
		emit_alert(s, f, hits[i], detector, ts_us);
		if (s->summary != NULL)
			summary_alert(s->summary, f->netdir == DIR_INBOUND ?
			    &f->dst : &f->src, detector, hits[i]->severity);
	}
}

/*
 * Raises each verdict that newly holds, once per flow.  A verdict's
 * confidence only rises: when a later reading is higher, the verdict
 * keeps it and the rules it now meets for the first time alert, once
 * (a min_confidence not met at first).
 */
static void
sensor_detect(struct sensor *s, struct flow *f, uint64_t ts_us)
{
	uint32_t raised = 0, now;
	uint8_t c, was;
	int i, d;

	/* Not against a side that may still turn out to be the other. */
	if (orient_pending(f))
		return;
	for (i = 0; i < f->n_verdicts; i++) {
		raised |= 1u << f->verdicts[i].detector;
		c = det_confidence(f, (enum detector)f->verdicts[i].detector);
		if (c <= f->verdicts[i].confidence)
			continue;
		was = f->verdicts[i].confidence;
		f->verdicts[i].confidence = c;
		sensor_alert(s, f, f->verdicts[i].detector, ts_us, was);
	}
	now = det_check(&s->det, s->cfg, f, ts_us) & ~raised;
	for (d = 0; now != 0 && d < DET_COUNT; d++) {
		if (!(now & (1u << d)) || f->n_verdicts >= FLOW_MAX_VERDICTS)
			continue;
		f->verdicts[f->n_verdicts++] = (struct verdict){
			.ts_us = ts_us, .detector = (uint8_t)d,
			.confidence = det_confidence(f, (enum detector)d) };
		stats_inc(&s->st, ST_VERDICTS);
		sensor_alert(s, f, d, ts_us, -1);
		incident_verdict(s->incidents, s->cfg, f, d,
		    f->verdicts[f->n_verdicts - 1].confidence, ts_us);
	}
}

static void
sensor_dissect_tcp(struct sensor *s, struct flow *f, const struct packet *pkt,
    int dir, const uint8_t *p, size_t n);

static void
sensor_drop_stash(struct sensor *s, struct flow *f)
{
	stash_put(s->stashes, f->stash);
	f->stash = NULL;
}

/* Picks our dissector from the first payload bytes of the flow. */
static void
sensor_pick_app(struct sensor *s, struct flow *f, const uint8_t *p, size_t n)
{
	if (ssh_looks_like(p, n)) {
		f->app = APP_SSH;
		ssh_info_init(&f->u.ssh.hs);
		det_ssh_track_init(&f->u.ssh.track);
	} else if (stratum_looks_like(p, n)) {
		f->app = APP_STRATUM;
		stratum_info_init(&f->u.stratum);
	} else if (proxy_looks_like(p, n)) {
		f->app = APP_PROXY;
		proxy_info_init(&f->u.proxy.info);
		f->u.proxy.inner_on = f->u.proxy.inner_tried = false;
	} else {
		f->app = APP_OTHER;
		return;
	}
	if ((f->stash = stash_get(s->stashes)) == NULL) {
		stats_inc(&s->st, ST_STASH_EXHAUSTED);
		f->app = APP_OTHER;
	}
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
		    f->stash != NULL) {
			stats_inc(&s->st, ST_DISSECT_GAP);
			sensor_drop_stash(s, f);
		}
		sensor_dissect_tcp(s, f, pkt, dir, p, n);
		/* The key exchange tells a mid-stream flow who is the client. */
		if (orient_ssh(f)) {
			dir = !dir;
			f->netdir = (uint8_t)cfg_direction(s->cfg, &f->src,
			    &f->dst);
		}
		if (f->app == APP_SSH)
			det_ssh_packet(s->det.ssh, s->cfg, f, dir, pkt, n);
	}
	det_mining_packet(s->det.mining, s->cfg, f, dir, pkt, p, n);
}

/*
 * The first client bytes through a granted proxy tunnel: if they look
 * like Stratum, the tunnel gets the Stratum dissector (a miner behind an
 * HTTP CONNECT or SOCKS proxy).
 */
static void
sensor_tunnel_start(struct sensor *s, struct flow *f, int dir,
    const uint8_t *p, size_t n)
{
	if (f->u.proxy.inner_tried || dir != 0 || !f->u.proxy.info.granted)
		return;
	f->u.proxy.inner_tried = true;
	if (!stratum_looks_like(p, n))
		return;
	if ((f->stash = stash_get(s->stashes)) == NULL) {
		stats_inc(&s->st, ST_STASH_EXHAUSTED);
		return;
	}
	stratum_info_init(&f->u.proxy.inner);
	f->u.proxy.inner_on = true;
}

/* Feeds the Stratum dissector si; counts the stray bytes it skipped. */
static bool
sensor_stratum(struct sensor *s, struct stratum_info *si, struct stash *st,
    int dir, const uint8_t *p, size_t n, uint64_t ts_us)
{
	uint32_t before = (uint32_t)si->skipped[0] + si->skipped[1];
	enum stratum_status rv = stratum_feed(si, st, dir, p, n, ts_us);

	stats_add(&s->st, ST_STRATUM_SKIPPED,
	    (uint32_t)si->skipped[0] + si->skipped[1] - before);
	return rv != STRATUM_MORE;
}

static void
sensor_dissect_tcp(struct sensor *s, struct flow *f, const struct packet *pkt,
    int dir, const uint8_t *p, size_t n)
{
	bool done = false;

	if (n == 0)
		return;
	if (f->app == APP_UNKNOWN)
		sensor_pick_app(s, f, p, n);
	else if (f->app == APP_PROXY && f->stash == NULL)
		sensor_tunnel_start(s, f, dir, p, n);
	if (f->stash == NULL)
		return;
	if (f->app == APP_SSH)
		done = ssh_feed(&f->u.ssh.hs, f->stash, dir, p, n,
		    pkt->ts_us) != SSH_MORE;
	else if (f->app == APP_STRATUM)
		done = sensor_stratum(s, &f->u.stratum, f->stash, dir, p, n,
		    pkt->ts_us);
	else if (f->app == APP_PROXY && f->u.proxy.inner_on)
		done = sensor_stratum(s, &f->u.proxy.inner, f->stash, dir, p,
		    n, pkt->ts_us);
	else if (f->app == APP_PROXY)
		done = proxy_feed(&f->u.proxy.info, f->stash, dir, p, n,
		    pkt->ts_us) != PROXY_MORE;
	if (done)
		sensor_drop_stash(s, f);
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
		incident_expire(s->incidents, s->now_us);
	}
	if ((f = flow_lookup(s->flows, &pkt, &dir, &created)) == NULL)
		return;
	if (created) {
		orient_created(f, &pkt, &dir);
		f->netdir = (uint8_t)cfg_direction(s->cfg, &f->src, &f->dst);
		det_mining_flow_init(f);
	}
	if (orient_packet(f, &pkt, &dir))
		f->netdir = (uint8_t)cfg_direction(s->cfg, &f->src, &f->dst);
	flow_update(s->flows, f, &pkt, dir);
	if (!f->cls.res.done)
		cls_packet(s->cls, &f->cls, &pkt, dir, &s->st);
	sensor_dissect(s, f, &pkt, dir);
	/*
	 * Verdicts come from handshakes and first messages, and from the
	 * shape of SSH sessions; other flows are re-checked now and then.
	 */
	total = f->dir[0].pkts + f->dir[1].pkts;
	if (f->app == APP_SSH || f->stash != NULL || total <= 64 ||
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
		cls_finish(s->cls, &f->cls, &s->st);
		sensor_drop_stash(s, f);
	}
	sensor_detect(s, f, f->last_us);
	emit_flow(s, f, why, now_us);
	if (why != FE_ACTIVE_TIMEOUT) {
		sensor_alert(s, f, -1, f->last_us, -1);
		incident_flow_end(s->incidents, f, f->last_us);
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

	emit_incident(s, inc, ev, ts_us);
	if (ev == IE_CLOSE || f == NULL)
		return;
	subject_of(f, &rs, -1);
	rs.src = rs.dst = &inc->host;	/* per host: suppression by src_ip */
	rs.incident = true;
	rs.incident_score = inc->score;
	n = rules_match(s->cfg->rules, s->cfg, &rs, hits, DET_MAX_RULES);
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
		incident_expire(s->incidents, s->now_us);
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

void
sensor_finish(struct sensor *s, enum flow_end why)
{
	flow_flush(s->flows, why, s->now_us);
	incident_flush(s->incidents, why == FE_SHUTDOWN ? IC_SHUTDOWN : IC_EOF,
	    s->now_us);
	/* Every flow handled first, so the final stats count them all. */
	if (s->out != NULL)
		out_writer_sync(s->out);
	emit_stats(s, s->now_us);
	if (out_writer_has_redis(s->out))
		out_writer_health(s->out, &s->st);	/* the last heartbeat */
}
