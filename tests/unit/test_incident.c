/*
 * test_incident.c - unit tests for include/incident.h.
 *
 * Stages from the detector table, the score table, the inside host of a
 * flow by direction, open / stage change / no event for a member of a
 * stage already present, the window (a verdict after it opens a new
 * incident with a new id; expiry closes), new_destination members
 * (outbound, new address, no stage verdict, bounded), the bounded table
 * (eviction of the least recently active, counted), the timeline bound,
 * the end-of-run flush and the record's JSON (parsed back by members).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include <cmocka.h>

#include "flow_fix.h"
#include "cfg.h"
#include "incident.h"
#include "yconf.h"

#define SEC	1000000ull

struct ev {
	enum incident_event	 ev;
	char			 id[20];
	char			 host[16];
	uint8_t			 score;
	uint8_t			 close;
	uint32_t		 stages;
};

static struct ev evs[64];
static int nev;
static struct stats st;

static void
on_event(void *arg, const struct incident *inc, enum incident_event ev,
    const struct flow *f, uint64_t ts_us)
{
	(void)arg;
	(void)f;
	(void)ts_us;
	assert_true(nev < 64);
	evs[nev].ev = ev;
	memcpy(evs[nev].id, inc->id, sizeof(evs[nev].id));
	memcpy(evs[nev].host, inc->host.b, 16);
	evs[nev].score = inc->score;
	evs[nev].close = inc->close;
	evs[nev].stages = inc->stages;
	nev++;
}

static struct incident_table *
table(uint32_t hosts, uint32_t window, uint32_t newdest)
{
	struct cfg_incident ci;

	cfg_incident_defaults(&ci);
	ci.max_hosts = hosts;
	ci.window = window;
	ci.new_destinations = newdest;
	nev = 0;
	memset(&st, 0, sizeof(st));
	return incident_table_new(&ci, on_event, NULL, &st);
}

static struct flow fl;
static struct flow_fix fl_fix;	/* fl's cold part */

/* An outbound TCP flow from src to dst:port (v4-mapped addresses). */
static const struct flow *
flow(const char *src, const char *dst, uint16_t port)
{
	struct ip_addr s, d;

	fl = *flow_fix_init(&fl_fix);
	assert_int_equal(ip_addr_parse(src, &s), 0);
	assert_int_equal(ip_addr_parse(dst, &d), 0);
	flow_fix_ends(&fl, &s, 40000, &d, port);
	fl.proto = IPPROTO_TCP;
	fl.c->ip_version = 4;
	fl.netdir = DIR_OUTBOUND;
	fl.app = APP_OTHER;
	return &fl;
}

static void
test_tables(void **state)
{
	(void)state;
	assert_int_equal(incident_stage_of(DET_REVERSE_SSH), IS_TUNNEL);
	assert_int_equal(incident_stage_of(DET_SSH_ROLE_INVERSION), IS_TUNNEL);
	assert_int_equal(incident_stage_of(DET_SSH_REMOTE_FORWARD), IS_TUNNEL);
	assert_int_equal(incident_stage_of(DET_SSH_LONG_LIVED), IS_TUNNEL);
	assert_int_equal(incident_stage_of(DET_STRATUM), IS_MINING);
	assert_int_equal(incident_stage_of(DET_MINING_POOL_TLS), IS_MINING);
	assert_int_equal(incident_stage_of(DET_MINING_POOL_DNS), IS_MINING);
	assert_int_equal(incident_stage_of(DET_MINING_PROXY), IS_MINING);
	assert_int_equal(incident_stage_of(DET_CRYPTO_NODE), IS_NODE);
	assert_int_equal(incident_stage_of(DET_SSH_NONSTANDARD_PORT), -1);
	assert_int_equal(incident_stage_of(DET_SSH_UNAPPROVED_DESTINATION), -1);
	assert_int_equal(incident_stage_of(-1), -1);
	assert_int_equal(incident_stage_of(DET_COUNT), -1);
	assert_int_equal(incident_score(1u << IS_TUNNEL), 60);
	assert_int_equal(incident_score(1u << IS_MINING), 50);
	assert_int_equal(incident_score(1u << IS_NODE), 20);
	assert_int_equal(incident_score((1u << IS_TUNNEL) |
	    (1u << IS_MINING)), 100);
	assert_int_equal(incident_score((1u << IS_TUNNEL) | (1u << IS_NODE) |
	    (1u << IS_NEW_DEST)), 90);
	assert_int_equal(incident_score((1u << IS_MINING) | (1u << IS_NODE) |
	    (1u << IS_NEW_DEST) | (1u << IS_TUNNEL)), 100);
	assert_string_equal(incident_stage_name(IS_NEW_DEST),
	    "new_destination");
	assert_string_equal(incident_close_name(IC_WINDOW), "window");
}

static void
test_host_of(void **state)
{
	struct ip_addr h, want;

	(void)state;
	flow("10.20.0.5", "198.51.100.7", 22);
	assert_true(incident_host_of(&fl, &h));
	assert_memory_equal(&h, flow_src(&fl), sizeof(h));
	fl.netdir = DIR_INBOUND;	/* role inversion seen from outside */
	assert_true(incident_host_of(&fl, &h));
	assert_memory_equal(&h, flow_dst(&fl), sizeof(h));
	fl.netdir = DIR_INTERNAL;	/* a lookup at the inside resolver */
	assert_true(incident_host_of(&fl, &h));
	ip_addr_parse("10.20.0.5", &want);
	assert_memory_equal(&h, &want, sizeof(h));
	fl.netdir = DIR_EXTERNAL;
	assert_false(incident_host_of(&fl, &h));
}

static void
test_open_stage_window(void **state)
{
	struct incident_table *t = table(16, 60, 8);
	char first[20];

	(void)state;
	assert_non_null(t);
	incident_verdict(t, NULL, flow("10.20.0.5", "198.51.100.7", 443),
	    DET_SSH_NONSTANDARD_PORT, 95, 1 * SEC);
	assert_int_equal(nev, 0);		/* policy verdicts do not open */
	incident_verdict(t, NULL, &fl, DET_REVERSE_SSH, 95, 2 * SEC);
	assert_int_equal(nev, 1);
	assert_int_equal(evs[0].ev, IE_OPEN);
	assert_int_equal(evs[0].score, 60);
	assert_int_equal(strlen(evs[0].id), 16);
	memcpy(first, evs[0].id, sizeof(first));
	incident_verdict(t, NULL, &fl, DET_SSH_REMOTE_FORWARD, 70, 3 * SEC);
	assert_int_equal(nev, 1);		/* same stage: no record */
	incident_verdict(t, NULL, flow("10.20.0.5", "198.51.100.30", 3333),
	    DET_STRATUM, 95, 30 * SEC);
	assert_int_equal(nev, 2);
	assert_int_equal(evs[1].ev, IE_STAGE);
	assert_int_equal(evs[1].score, 100);
	assert_string_equal(evs[1].id, first);
	assert_int_equal(incident_open_count(t), 1);
	/* Another host: its own incident. */
	incident_verdict(t, NULL, flow("10.20.0.6", "198.51.100.30", 3333),
	    DET_STRATUM, 95, 31 * SEC);
	assert_int_equal(nev, 3);
	assert_int_equal(evs[2].ev, IE_OPEN);
	assert_string_not_equal(evs[2].id, first);
	assert_int_equal(incident_open_count(t), 2);
	/* Past the window of 10.20.0.5 (last 30 s + 60 s): closed, reopened. */
	incident_verdict(t, NULL, flow("10.20.0.5", "198.51.100.30", 3333),
	    DET_STRATUM, 95, 91 * SEC);
	assert_int_equal(nev, 5);
	assert_int_equal(evs[3].ev, IE_CLOSE);
	assert_int_equal(evs[3].close, IC_WINDOW);
	assert_string_equal(evs[3].id, first);
	assert_int_equal(evs[4].ev, IE_OPEN);
	assert_string_not_equal(evs[4].id, first);
	/* Expiry closes the quiet 10.20.0.6 (last 31 s). */
	incident_expire(t, 92 * SEC);
	assert_int_equal(nev, 6);
	assert_int_equal(evs[5].ev, IE_CLOSE);
	assert_int_equal(evs[5].close, IC_WINDOW);
	incident_flush(t, IC_EOF, 100 * SEC);
	assert_int_equal(nev, 7);
	assert_int_equal(evs[6].close, IC_EOF);
	assert_int_equal(incident_open_count(t), 0);
	assert_int_equal(st.v[ST_INCIDENTS_OPENED], 3);
	assert_int_equal(st.v[ST_INCIDENTS_CLOSED], 3);
	incident_table_free(t);
}

static void
test_same_id_on_replay(void **state)
{
	struct incident_table *t;
	char a[20];

	(void)state;
	t = table(4, 60, 8);
	incident_verdict(t, NULL, flow("10.20.0.5", "198.51.100.7", 22),
	    DET_REVERSE_SSH, 95, 5 * SEC);
	memcpy(a, evs[0].id, sizeof(a));
	incident_table_free(t);
	t = table(4, 60, 8);
	incident_verdict(t, NULL, flow("10.20.0.5", "198.51.100.7", 22),
	    DET_REVERSE_SSH, 95, 5 * SEC);
	assert_string_equal(evs[0].id, a);
	incident_table_free(t);
}

static void
test_new_destination(void **state)
{
	struct incident_table *t = table(4, 600, 2);
	struct flow other;

	(void)state;
	/* No incident for the host: nothing. */
	incident_flow_end(t, flow("10.20.0.5", "203.0.113.9", 443), 1 * SEC);
	assert_int_equal(nev, 0);
	incident_verdict(t, NULL, flow("10.20.0.5", "198.51.100.7", 22),
	    DET_REVERSE_SSH, 95, 2 * SEC);
	/* The tunnel's own destination is not new. */
	incident_flow_end(t, &fl, 3 * SEC);
	assert_int_equal(nev, 1);
	/* A flow with a stage verdict of its own is a member already. */
	flow("10.20.0.5", "198.51.100.30", 3333);
	fl.c->verdicts[0].detector = DET_STRATUM;
	fl.n_verdicts = 1;
	incident_flow_end(t, &fl, 4 * SEC);
	assert_int_equal(nev, 1);
	/* A new outside address: a member and a stage change. */
	incident_flow_end(t, flow("10.20.0.5", "203.0.113.9", 443), 5 * SEC);
	assert_int_equal(nev, 2);
	assert_int_equal(evs[1].ev, IE_STAGE);
	assert_true(evs[1].stages & (1u << IS_NEW_DEST));
	assert_int_equal(evs[1].score, 70);
	/* Same address again: nothing; inbound: nothing. */
	incident_flow_end(t, flow("10.20.0.5", "203.0.113.9", 80), 6 * SEC);
	other = *flow("198.51.100.99", "10.20.0.5", 22);
	other.netdir = DIR_INBOUND;
	incident_flow_end(t, &other, 6 * SEC);
	/* One more new (the bound is 2), then the bound holds. */
	incident_flow_end(t, flow("10.20.0.5", "203.0.113.10", 443),
	    7 * SEC);
	incident_flow_end(t, flow("10.20.0.5", "203.0.113.11", 443),
	    8 * SEC);
	assert_int_equal(nev, 2);
	incident_flush(t, IC_SHUTDOWN, 9 * SEC);
	assert_int_equal(nev, 3);
	incident_table_free(t);
}

static void
test_evict_and_bounds(void **state)
{
	struct incident_table *t = table(2, 600, 0);
	char ip[32];
	int i;

	(void)state;
	incident_verdict(t, NULL, flow("10.20.0.1", "198.51.100.7", 22),
	    DET_REVERSE_SSH, 95, 1 * SEC);
	incident_verdict(t, NULL, flow("10.20.0.2", "198.51.100.7", 22),
	    DET_REVERSE_SSH, 95, 2 * SEC);
	incident_verdict(t, NULL, flow("10.20.0.1", "198.51.100.7", 22),
	    DET_SSH_LONG_LIVED, 95, 3 * SEC);	/* .1 active again */
	incident_verdict(t, NULL, flow("10.20.0.3", "198.51.100.7", 22),
	    DET_REVERSE_SSH, 95, 4 * SEC);	/* full: evicts .2 */
	assert_int_equal(nev, 4);
	assert_int_equal(evs[2].ev, IE_CLOSE);
	assert_int_equal(evs[2].close, IC_EVICTED);
	assert_int_equal(evs[2].host[15], 2);
	assert_int_equal(st.v[ST_INCIDENTS_EVICTED], 1);
	assert_int_equal(incident_open_count(t), 2);
	/* The timeline is bounded; the rest is counted. */
	for (i = 0; i < INCIDENT_MAX_MEMBERS + 5; i++) {
		snprintf(ip, sizeof(ip), "198.51.100.%d", 100 + i);
		incident_verdict(t, NULL, flow("10.20.0.3", ip, 3333),
		    DET_STRATUM, 95, (10 + i) * SEC);
	}
	assert_int_equal(st.v[ST_INCIDENT_MEMBERS_DROPPED], 6);
	incident_table_free(t);
	incident_table_free(NULL);
}

/* The JSON record object: ids, stages, the timeline members. */
static struct incident last;

static void
keep_last(void *arg, const struct incident *inc, enum incident_event ev,
    const struct flow *f, uint64_t ts_us)
{
	(void)arg;
	(void)ev;
	(void)f;
	(void)ts_us;
	last = *inc;
}

static void
test_put(void **state)
{
	struct cfg_incident ci;
	struct incident_table *t;
	const struct flow *f;
	char buf[JSON_LINE_MAX], want_id[40];
	struct jbuf j;

	(void)state;
	cfg_incident_defaults(&ci);
	assert_int_equal(community_id_init(), 0);
	t = incident_table_new(&ci, keep_last, NULL, &st);
	f = flow("10.20.0.5", "198.51.100.7", 443);
	snprintf(want_id, sizeof(want_id), "\"flow_id\":%llu,",
	    (unsigned long long)flow_id(f));
	incident_verdict(t, NULL, f, DET_REVERSE_SSH, 95,
	    1764000000ull * SEC);
	incident_verdict(t, NULL, flow("10.20.0.5", "198.51.100.30", 3333),
	    DET_STRATUM, 95, 1764000010ull * SEC);
	jb_init(&j, buf, sizeof(buf));
	jb_open_object(&j, NULL);
	incident_put(&j, &last, IE_STAGE);
	jb_close_object(&j);
	assert_false(j.overflow);
	assert_non_null(strstr(buf, "\"host\":\"10.20.0.5\""));
	assert_non_null(strstr(buf, "\"event\":\"stage\",\"state\":\"open\""));
	assert_non_null(strstr(buf, "\"score\":100"));
	assert_non_null(strstr(buf, "\"stages\":[\"tunnel\",\"mining\"]"));
	assert_non_null(strstr(buf,
	    "\"detectors\":[\"reverse_ssh\",\"stratum\"]"));
	assert_non_null(strstr(buf, want_id));
	assert_non_null(strstr(buf, "\"community_id\":\"1:"));
	assert_non_null(strstr(buf, "\"dest_ip\":\"198.51.100.30\","
	    "\"dest_port\":3333"));
	assert_non_null(strstr(buf, "\"summary\":\"Stratum mining\""));
	assert_null(strstr(buf, "\"reason\""));
	incident_table_free(t);
}

static void
quiet(void *arg, const char *msg)
{
	(void)arg;
	(void)msg;
}

/* The incident: section: values, ranges, unknown keys. */
static void
test_config(void **state)
{
	static const char good[] = "incident: {window: 3600, max_hosts: 16, "
	    "new_destinations: 0, redis_ttl: 60}\n";
	static const char bad[] = "incident:\n  window: 0\n  max_host: 3\n"
	    "  new_destinations: 25\n";
	static const char range[] = "incident: {window: 0, "
	    "new_destinations: 25}\n";
	struct yconf_errs e;
	struct cfg *c;

	(void)state;
	c = cfg_load_string(good, strlen(good), "i.yaml");
	assert_non_null(c);
	assert_int_equal(c->incident.window, 3600);
	assert_int_equal(c->incident.max_hosts, 16);
	assert_int_equal(c->incident.new_destinations, 0);
	assert_int_equal(c->incident.redis_ttl, 60);
	cfg_free(c);
	c = cfg_default();
	assert_int_equal(c->incident.window, 86400);
	assert_int_equal(c->incident.max_hosts, 4096);
	cfg_free(c);
	memset(&e, 0, sizeof(e));
	e.fn = quiet;
	assert_null(cfg_load_string_errs(bad, strlen(bad), "i.yaml", &e));
	assert_int_equal(e.count, 1);	/* unknown key stops the section */
	memset(&e, 0, sizeof(e));
	e.fn = quiet;
	assert_null(cfg_load_string_errs(range, strlen(range), "i.yaml", &e));
	assert_int_equal(e.count, 2);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tables),
		cmocka_unit_test(test_host_of),
		cmocka_unit_test(test_open_stage_window),
		cmocka_unit_test(test_same_id_on_replay),
		cmocka_unit_test(test_new_destination),
		cmocka_unit_test(test_evict_and_bounds),
		cmocka_unit_test(test_put),
		cmocka_unit_test(test_config),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
