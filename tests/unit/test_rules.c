/*
 * test_rules.c - unit tests for include/rules.h.
 *
 * Each condition on its own, alternatives ("any of"), `unless`, detector
 * rules versus flow rules, match order and the out[] bound, and the
 * suppression table: windows in packet time, keys by src/dest/port, the
 * bounded table overwriting its oldest windows.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "cfg.h"
#include "rules.h"
#include "verdict.h"
#include "yconf.h"

#define SEC	1000000ull

static const char base_yaml[] =
	"networks:\n"
	"  training: [10.20.0.0/16]\n"
	"  lab: [10.30.0.0/16]\n"
	"lists:\n"
	"  allowed: [203.0.113.22/32]\n"
	"  pools: [nanopool.org, pool.example]\n"
	"  hasshes: [ec7378c1a92f5a8dde7e8b7a1ddf33d1]\n"
	"rules:\n";

static struct cfg *cfg;

static void
quiet(void *arg, const char *msg)
{
	(void)arg;
	(void)msg;
}

/* Loads base_yaml plus one rule body (indented under "  - "). */
static struct cfg *
with_rules(const char *rules)
{
	char text[8192];
	struct yconf_errs e;
	struct cfg *c;

	memset(&e, 0, sizeof(e));
	e.fn = quiet;
	snprintf(text, sizeof(text), "%s%s", base_yaml, rules);
	c = cfg_load_string_errs(text, strlen(text), "r.yaml", &e);
	return c;
}

#define RULE(sid, when)							\
	"  - {sid: " #sid ", id: r" #sid ", title: t, severity: 2, "	\
	"when: " when "}\n"

static struct ip_addr
addr(const char *s)
{
	struct ip_addr a;

	assert_int_equal(ip_addr_parse(s, &a), 0);
	return a;
}

static struct ip_addr src_a, dst_a;

static struct rule_subject
subject(const char *detector, const char *src, const char *dst)
{
	struct rule_subject s;

	memset(&s, 0, sizeof(s));
	src_a = addr(src);
	dst_a = addr(dst);
	s.detector = detector != NULL ? verdict_lookup(detector) : -1;
	assert_true(detector == NULL || s.detector >= 0);
	s.confidence = 0.9;
	s.src = &src_a;
	s.dst = &dst_a;
	s.src_port = 40000;
	s.dest_port = 22;
	s.l4_proto = 6;
	s.app_proto = "SSH";
	s.direction = DIR_OUTBOUND;
	s.duration_us = 120 * SEC;
	s.bytes_out = 5000;
	s.bytes_in = 9000;
	return s;
}

static size_t
nmatch(const struct rule_subject *s)
{
	const struct rule *out[8];

	return rules_match(cfg->rules, cfg, s, out, 8);
}

static void
load_one(const char *rule)
{
	cfg_free(cfg);
	cfg = with_rules(rule);
	assert_non_null(cfg);
	assert_int_equal(rules_count(cfg->rules), 1);
}

static void
test_detector(void **state)
{
	struct rule_subject s;

	(void)state;
	load_one(RULE(1, "{detector: reverse_ssh}"));
	s = subject("reverse_ssh", "10.20.1.1", "198.51.100.1");
	assert_int_equal(nmatch(&s), 1);
	s.detector = DET_STRATUM;
	assert_int_equal(nmatch(&s), 0);
	s.detector = -1;		/* a flow record never matches */
	assert_int_equal(nmatch(&s), 0);

	/* A rule without a detector sees flow records only. */
	load_one(RULE(2, "{dest_port: 22}"));
	s = subject(NULL, "10.20.1.1", "198.51.100.1");
	assert_int_equal(nmatch(&s), 1);
	s.detector = DET_REVERSE_SSH;
	assert_int_equal(nmatch(&s), 0);
	assert_int_equal(verdict_lookup("crypto_node"), DET_CRYPTO_NODE);
	assert_int_equal(verdict_lookup("mining_pool_ip"), DET_MINING_POOL_IP);
	assert_int_equal(verdict_lookup("crypto"), -1);
}

/* Collects the error messages of a load. */
struct errs {
	char	 text[2048];
	size_t	 n;
};

static void
collect(void *arg, const char *msg)
{
	struct errs *x = arg;
	int k = snprintf(x->text + x->n, sizeof(x->text) - x->n, "%s\n", msg);

	if (k > 0 && (size_t)k < sizeof(x->text) - x->n)
		x->n += (size_t)k;
}

/* Loads base_yaml + rules, expecting failure; returns the messages. */
static const char *
load_errors(struct errs *x, const char *rules)
{
	char text[8192];
	struct yconf_errs e;

	memset(x, 0, sizeof(*x));
	memset(&e, 0, sizeof(e));
	e.fn = collect;
	e.arg = x;
	snprintf(text, sizeof(text), "%s%s", base_yaml, rules);
	assert_null(cfg_load_string_errs(text, strlen(text), "r.yaml", &e));
	assert_true(e.count > 0);
	return x->text;
}

/*
 * Names are resolved when the rules are built: an unknown detector or
 * list is a load error naming file:line:col; a known one matches by its
 * enum or by the list's own set, whatever the name's spelling elsewhere.
 */
static void
test_resolution(void **state)
{
	struct errs x;
	struct rule_subject s;
	int d;

	(void)state;
	/* base_yaml is 8 lines: the rule is line 9; the column is the name's. */
	assert_non_null(strstr(load_errors(&x, RULE(1, "{detector: rev_ssh}")),
	    "r.yaml:9:62: detector: unknown detector 'rev_ssh'"));
	load_errors(&x, RULE(2, "{detector: reverse_ssh, src_net: nolist}"));
	assert_non_null(strstr(x.text,
	    "r.yaml:9:84: unknown network or list 'nolist'"));
	load_errors(&x, RULE(3, "{sni_in: nolist}"));
	assert_non_null(strstr(x.text,
	    "r.yaml:9:60: sni_in: 'nolist' is not a list name"));
	load_errors(&x, RULE(4, "{dns_in: training}"));	/* a network */
	assert_non_null(strstr(x.text, "'training' is not a list name"));

	/* Every registry name loads, and matches its own verdicts only. */
	for (d = 0; d < DET_COUNT; d++) {
		char rule[256];

		snprintf(rule, sizeof(rule), "  - {sid: 1, id: a, title: t, "
		    "severity: 1, when: {detector: %s}}\n",
		    verdict_name((enum detector)d));
		load_one(rule);
		s = subject(verdict_name((enum detector)d), "10.20.1.1",
		    "198.51.100.1");
		assert_int_equal(s.detector, d);
		assert_int_equal(nmatch(&s), 1);
		s.detector = (d + 1) % DET_COUNT;
		assert_int_equal(nmatch(&s), 0);
	}

	/* Lists resolved: dest_net by a list's addresses, sni_in by names. */
	load_one(RULE(5, "{dest_net: allowed, sni_in: pools}"));
	s = subject(NULL, "10.20.1.1", "203.0.113.22");
	s.sni = "eu1.nanopool.org";
	assert_int_equal(nmatch(&s), 1);
	s.sni = "example.org";
	assert_int_equal(nmatch(&s), 0);
	s.sni = "eu1.nanopool.org";
	s = subject(NULL, "10.20.1.1", "203.0.113.23");
	s.sni = "eu1.nanopool.org";
	assert_int_equal(nmatch(&s), 0);
	/* Only rules reading app_proto or HASSHes make the caller look. */
	assert_int_equal(rules_wants(cfg->rules), 0);
	load_one(RULE(6, "{dest_port: 22, hassh_in: hasshes}"));
	assert_int_equal(rules_wants(cfg->rules), RULES_WANT_HASSH);
	cfg_free(cfg);
	cfg = with_rules(RULE(7, "{detector: stratum}")
	    "  - {sid: 8, id: r8, title: t, severity: 1, when: {dest_port: 1},"
	    " unless: {app_proto: ssh}}\n");
	assert_non_null(cfg);
	assert_int_equal(rules_wants(cfg->rules), RULES_WANT_APP_PROTO);
	assert_int_equal(rules_wants(NULL), 0);
}

/* More matches than room: the first max kept, all counted. */
static void
test_match_overflow(void **state)
{
	const struct rule *out[4];
	struct rule_subject s;
	char rules[4096];
	size_t n = 0;
	int i;

	(void)state;
	for (i = 1; i <= 6; i++)
		n += (size_t)snprintf(rules + n, sizeof(rules) - n,
		    "  - {sid: %d, id: r%d, title: t, severity: 2, "
		    "when: {detector: stratum}}\n", i, i);
	cfg_free(cfg);
	cfg = with_rules(rules);
	assert_non_null(cfg);
	s = subject("stratum", "10.20.1.1", "198.51.100.1");
	memset(out, 0, sizeof(out));
	assert_int_equal(rules_match(cfg->rules, cfg, &s, out, 4), 6);
	for (i = 0; i < 4; i++)
		assert_int_equal(out[i]->sid, (uint32_t)i + 1);
	assert_int_equal(rules_match(cfg->rules, cfg, &s, out, 0), 6);
}

static void
test_nets(void **state)
{
	struct rule_subject s;

	(void)state;
	load_one(RULE(1, "{src_net: training, dest_net: [allowed, lab]}"));
	s = subject(NULL, "10.20.1.1", "203.0.113.22");
	assert_int_equal(nmatch(&s), 1);
	s = subject(NULL, "10.20.1.1", "10.30.4.4");
	assert_int_equal(nmatch(&s), 1);
	s = subject(NULL, "10.20.1.1", "203.0.113.23");
	assert_int_equal(nmatch(&s), 0);
	s = subject(NULL, "10.21.1.1", "203.0.113.22");
	assert_int_equal(nmatch(&s), 0);
	s.src = NULL;
	assert_int_equal(nmatch(&s), 0);

	/* The implicit "internal" network is usable by name. */
	load_one(RULE(1, "{src_net: internal}"));
	s = subject(NULL, "192.168.1.1", "8.8.8.8");
	assert_int_equal(nmatch(&s), 1);
	s = subject(NULL, "8.8.4.4", "8.8.8.8");
	assert_int_equal(nmatch(&s), 0);
}

static void
test_flow_fields(void **state)
{
	struct rule_subject s;

	(void)state;
	load_one(RULE(1, "{app_proto: [tls, ssh]}"));
	s = subject(NULL, "10.20.1.1", "198.51.100.1");
	assert_int_equal(nmatch(&s), 1);	/* "SSH" vs "ssh" */
	s.app_proto = "http";
	assert_int_equal(nmatch(&s), 0);
	s.app_proto = NULL;
	assert_int_equal(nmatch(&s), 0);

	load_one(RULE(1, "{direction: [outbound, external]}"));
	s = subject(NULL, "10.20.1.1", "198.51.100.1");
	assert_int_equal(nmatch(&s), 1);
	s.direction = DIR_EXTERNAL;
	assert_int_equal(nmatch(&s), 1);
	s.direction = DIR_INBOUND;
	assert_int_equal(nmatch(&s), 0);

	load_one(RULE(1, "{dest_port: [22, 2222]}"));
	s.dest_port = 2222;
	assert_int_equal(nmatch(&s), 1);
	s.dest_port = 443;
	assert_int_equal(nmatch(&s), 0);

	load_one(RULE(1, "{min_duration: 120, min_bytes_out: 5000}"));
	s = subject(NULL, "10.20.1.1", "198.51.100.1");
	assert_int_equal(nmatch(&s), 1);
	s.duration_us = 120 * SEC - 1;
	assert_int_equal(nmatch(&s), 0);
	s.duration_us = 120 * SEC;
	s.bytes_out = 4999;
	assert_int_equal(nmatch(&s), 0);

	load_one(RULE(1, "{detector: stratum, min_confidence: 0.8}"));
	s = subject("stratum", "10.20.1.1", "198.51.100.1");
	assert_int_equal(nmatch(&s), 1);
	s.confidence = 0.79;
	assert_int_equal(nmatch(&s), 0);
}

static void
test_names(void **state)
{
	struct rule_subject s;

	(void)state;
	load_one(RULE(1, "{sni_in: pools}"));
	s = subject(NULL, "10.20.1.1", "198.51.100.1");
	assert_int_equal(nmatch(&s), 0);	/* no SNI */
	s.sni = "XMR-EU1.nanopool.org";
	assert_int_equal(nmatch(&s), 1);
	s.sni = "xnanopool.org";
	assert_int_equal(nmatch(&s), 0);

	load_one(RULE(1, "{dns_in: pools}"));
	s.dns_name = "eu.pool.example.";
	assert_int_equal(nmatch(&s), 1);
	s.dns_name = "pool.example.net";
	assert_int_equal(nmatch(&s), 0);

	load_one(RULE(1, "{hassh_in: hasshes}"));
	assert_int_equal(nmatch(&s), 0);
	s.hassh_server = "EC7378C1A92F5A8DDE7E8B7A1DDF33D1";
	assert_int_equal(nmatch(&s), 1);
	s.hassh_server = "ec7378c1a92f5a8dde7e8b7a1ddf33d";
	assert_int_equal(nmatch(&s), 0);
	s.hassh_client = "ec7378c1a92f5a8dde7e8b7a1ddf33d1";
	assert_int_equal(nmatch(&s), 1);
}

static void
test_unless_and_order(void **state)
{
	const struct rule *out[8];
	struct rule_subject s;

	(void)state;
	cfg_free(cfg);
	cfg = with_rules(
	    "  - sid: 10\n    id: a\n    title: t\n    severity: 1\n"
	    "    when: {detector: reverse_ssh, src_net: training}\n"
	    "    unless: {dest_net: allowed, dest_port: 22}\n"
	    "  - sid: 11\n    id: b\n    title: t\n    severity: 3\n"
	    "    when: {detector: reverse_ssh}\n"
	    "  - sid: 12\n    id: c\n    title: t\n    severity: 2\n"
	    "    when: {detector: reverse_ssh, app_proto: ssh}\n");
	assert_non_null(cfg);
	s = subject("reverse_ssh", "10.20.1.1", "198.51.100.1");
	assert_int_equal(rules_match(cfg->rules, cfg, &s, out, 8), 3);
	assert_int_equal(out[0]->sid, 10);
	assert_int_equal(out[1]->sid, 11);
	assert_int_equal(out[2]->sid, 12);
	assert_int_equal(out[0]->severity, 1);
	/* out[] is bounded by max, in file order; all matches counted. */
	assert_int_equal(rules_match(cfg->rules, cfg, &s, out, 2), 3);
	assert_int_equal(out[1]->sid, 11);
	/* unless holds only when all its keys hold. */
	s = subject("reverse_ssh", "10.20.1.1", "203.0.113.22");
	assert_int_equal(rules_match(cfg->rules, cfg, &s, out, 8), 2);
	assert_int_equal(out[0]->sid, 11);
	s.dest_port = 443;
	assert_int_equal(rules_match(cfg->rules, cfg, &s, out, 8), 3);
	assert_int_equal(rules_match(NULL, cfg, &s, out, 8), 0);
}

/* unless: a list of alternatives; when: {not: ...} is the same. */
static void
test_unless_alternatives(void **state)
{
	const struct rule *out[8];
	struct rule_subject s;

	(void)state;
	cfg_free(cfg);
	cfg = with_rules(
	    "  - sid: 20\n    id: a\n    title: t\n    severity: 1\n"
	    "    when: {detector: reverse_ssh}\n"
	    "    unless: [{dest_net: allowed}, {src_net: lab}]\n"
	    "  - sid: 21\n    id: b\n    title: t\n    severity: 1\n"
	    "    when: {detector: reverse_ssh, not: [{dest_net: allowed},"
	    " {src_net: lab}]}\n"
	    "  - sid: 22\n    id: c\n    title: t\n    severity: 1\n"
	    "    when: {detector: reverse_ssh, not: {dest_port: 22}}\n"
	    "    unless: {src_net: lab}\n");
	assert_non_null(cfg);
	s = subject("reverse_ssh", "10.20.1.1", "198.51.100.1");
	s.dest_port = 443;
	assert_int_equal(rules_match(cfg->rules, cfg, &s, out, 8), 3);
	/* either alternative stops sid 20 and 21 */
	s = subject("reverse_ssh", "10.20.1.1", "203.0.113.22");
	s.dest_port = 443;
	assert_int_equal(rules_match(cfg->rules, cfg, &s, out, 8), 1);
	assert_int_equal(out[0]->sid, 22);
	s = subject("reverse_ssh", "10.30.1.1", "198.51.100.1");
	s.dest_port = 443;
	assert_int_equal(rules_match(cfg->rules, cfg, &s, out, 8), 0);
	s = subject("reverse_ssh", "10.20.1.1", "198.51.100.1");
	s.dest_port = 22;
	assert_int_equal(rules_match(cfg->rules, cfg, &s, out, 8), 2);
	/* errors: not alone, not in unless, a scalar alternative, an empty list */
	cfg_free(cfg);
	cfg = with_rules(RULE(30, "{not: {dest_port: 22}}"));
	assert_null(cfg);
	cfg = with_rules("  - {sid: 31, id: a, title: t, severity: 1, "
	    "when: {dest_port: 1}, unless: {not: {dest_port: 2}}}\n");
	assert_null(cfg);
	cfg = with_rules("  - {sid: 32, id: a, title: t, severity: 1, "
	    "when: {dest_port: 1}, unless: [x]}\n");
	assert_null(cfg);
	cfg = with_rules("  - {sid: 33, id: a, title: t, severity: 1, "
	    "when: {dest_port: 1}, unless: []}\n");
	assert_null(cfg);
}

static void
test_suppress(void **state)
{
	struct rules_suppress *sp;
	const struct rule *r, *r2;
	struct rule_subject s;
	uint64_t t0 = 1700000000ull * SEC;

	(void)state;
	cfg_free(cfg);
	cfg = with_rules(
	    "  - {sid: 1, id: a, title: t, severity: 1, when: {dest_port: 22},"
	    " suppress: {by: [src_ip, dest_ip], seconds: 60}}\n"
	    "  - {sid: 2, id: b, title: t, severity: 1, when: {dest_port: 22},"
	    " suppress: {by: [dest_port], seconds: 10}}\n"
	    "  - {sid: 3, id: c, title: t, severity: 1, when: {dest_port: 22}}\n"
	    "  - {sid: 4, id: d, title: t, severity: 1, when: {dest_port: 22},"
	    " suppress: {by: [], seconds: 5}}\n");
	assert_non_null(cfg);
	r = rules_get(cfg->rules, 0);
	sp = rules_suppress_new(1024);
	assert_non_null(sp);
	s = subject(NULL, "10.20.1.1", "198.51.100.1");
	assert_false(rules_suppressed(sp, r, &s, t0));
	assert_true(rules_suppressed(sp, r, &s, t0 + 1));
	assert_true(rules_suppressed(sp, r, &s, t0 + 60 * SEC - 1));
	assert_int_equal(rules_suppress_count(sp), 2);
	/* The window ends; the next alert opens a new one. */
	assert_false(rules_suppressed(sp, r, &s, t0 + 60 * SEC));
	assert_true(rules_suppressed(sp, r, &s, t0 + 61 * SEC));
	/* Other keys are separate windows; dest_port is not in the key. */
	s.dest_port = 2222;
	assert_true(rules_suppressed(sp, r, &s, t0 + 62 * SEC));
	s = subject(NULL, "10.20.1.2", "198.51.100.1");
	assert_false(rules_suppressed(sp, r, &s, t0 + 62 * SEC));
	s = subject(NULL, "10.20.1.1", "198.51.100.2");
	assert_false(rules_suppressed(sp, r, &s, t0 + 62 * SEC));

	/* Keyed by dest_port only: any address pair shares the window. */
	r2 = rules_get(cfg->rules, 1);
	assert_false(rules_suppressed(sp, r2, &s, t0));
	s = subject(NULL, "10.99.1.1", "192.0.2.7");
	assert_true(rules_suppressed(sp, r2, &s, t0 + 9 * SEC));
	s.dest_port = 23;
	assert_false(rules_suppressed(sp, r2, &s, t0 + 9 * SEC));

	/* by: [] is one window for the whole rule. */
	r2 = rules_get(cfg->rules, 3);
	assert_false(rules_suppressed(sp, r2, &s, t0));
	s = subject(NULL, "10.1.1.1", "192.0.2.8");
	s.dest_port = 9;
	assert_true(rules_suppressed(sp, r2, &s, t0 + 4 * SEC));

	/* Without suppress: never. */
	r2 = rules_get(cfg->rules, 2);
	assert_false(rules_suppressed(sp, r2, &s, t0));
	assert_false(rules_suppressed(sp, r2, &s, t0));
	assert_false(rules_suppressed(NULL, r, &s, t0));
	rules_suppress_free(sp);
	rules_suppress_free(NULL);
}

/* threshold: at most count alerts per window and key; suppress first. */
static void
test_threshold(void **state)
{
	struct rules_suppress *sp;
	const struct rule *r, *r2;
	struct rule_subject s;
	uint64_t t0 = 1700000000ull * SEC;
	int i, raised = 0;

	(void)state;
	cfg_free(cfg);
	cfg = with_rules(
	    "  - {sid: 1, id: a, title: t, severity: 1, when: {dest_port: 22},"
	    " threshold: {count: 3, seconds: 60}}\n"
	    "  - {sid: 2, id: b, title: t, severity: 1, when: {dest_port: 22},"
	    " threshold: {count: 1, seconds: 10, by: [src_ip]}}\n");
	assert_non_null(cfg);
	r = rules_get(cfg->rules, 0);
	r2 = rules_get(cfg->rules, 1);
	sp = rules_suppress_new(1024);
	assert_non_null(sp);
	/* by: [] (the default): 3 alerts a minute for the whole rule. */
	for (i = 0; i < 10; i++) {
		s = subject(NULL, i % 2 ? "10.20.1.1" : "10.20.1.2",
		    "198.51.100.1");
		if (!rules_thresholded(sp, r, &s, t0 + (uint64_t)i * SEC))
			raised++;
	}
	assert_int_equal(raised, 3);
	assert_false(rules_thresholded(sp, r, &s, t0 + 60 * SEC));
	/* by: [src_ip]: each source has its own window. */
	s = subject(NULL, "10.20.1.1", "198.51.100.1");
	assert_false(rules_thresholded(sp, r2, &s, t0));
	assert_true(rules_thresholded(sp, r2, &s, t0 + 9 * SEC));
	s = subject(NULL, "10.20.1.2", "198.51.100.1");
	assert_false(rules_thresholded(sp, r2, &s, t0 + 9 * SEC));
	/* A rule without threshold is never limited; nor is suppress. */
	assert_false(rules_suppressed(sp, r, &s, t0));
	rules_suppress_free(sp);
	/* count is required, seconds in range, by names known. */
	cfg_free(cfg);
	cfg = with_rules(
	    "  - {sid: 1, id: a, title: t, severity: 1, when: {dest_port: 22},"
	    " threshold: {seconds: 0, by: [nope]}}\n");
	assert_null(cfg);
}

static void
test_suppress_bounded(void **state)
{
	struct rules_suppress *sp;
	const struct rule *r;
	struct rule_subject s;
	struct ip_addr a;
	uint64_t t0 = 1000 * SEC;
	unsigned i, again = 0;
	char ip[32];

	(void)state;
	load_one("  - {sid: 1, id: a, title: t, severity: 1, when: "
	    "{dest_port: 22}, suppress: {seconds: 3600}}\n");
	r = rules_get(cfg->rules, 0);
	sp = rules_suppress_new(64);	/* the minimum */
	s = subject(NULL, "10.20.1.1", "198.51.100.1");
	/* 5000 distinct sources: the table keeps at most 64 windows. */
	for (i = 0; i < 5000; i++) {
		snprintf(ip, sizeof(ip), "10.%u.%u.1", i / 256, i % 256);
		a = addr(ip);
		s.src = &a;
		assert_false(rules_suppressed(sp, r, &s, t0 + i));
	}
	/* Most of the 64 newest windows are still there (newest first). */
	for (i = 4999; i >= 5000 - 64; i--) {
		snprintf(ip, sizeof(ip), "10.%u.%u.1", i / 256, i % 256);
		a = addr(ip);
		s.src = &a;
		if (rules_suppressed(sp, r, &s, t0 + 5000))
			again++;
	}
	assert_true(again >= 32);
	assert_int_equal(rules_suppress_count(sp), again);
	/* The oldest were overwritten: they alert again. */
	for (i = 0; i < 100; i++) {
		snprintf(ip, sizeof(ip), "10.%u.%u.1", i / 256, i % 256);
		a = addr(ip);
		s.src = &a;
		assert_false(rules_suppressed(sp, r, &s, t0 + 5000));
	}
	rules_suppress_free(sp);
}

static void
test_build_api(void **state)
{
	struct yconf_errs e;
	struct yconf_node *root;
	struct ruleset *rs;
	const char *text = "- {sid: 5, id: x, title: t, severity: 2, "
	    "when: {src_net: training}}\n";

	(void)state;
	load_one(RULE(1, "{dest_port: 22}"));
	memset(&e, 0, sizeof(e));
	e.fn = quiet;
	e.file = "x.yaml";
	root = yconf_load_string(text, strlen(text), &e);
	assert_non_null(root);
	rs = rules_build(root, cfg, "x.yaml");
	assert_non_null(rs);
	assert_int_equal(rules_count(rs), 1);
	assert_int_equal(rules_get(rs, 0)->sid, 5);
	rules_free(rs);
	rs = rules_build_errs(NULL, cfg, &e);
	assert_int_equal(rules_count(rs), 0);
	rules_free(rs);
	yconf_free(root);
	rules_free(NULL);
	cfg_free(cfg);
	cfg = NULL;
}

/* incident_min_score: only incident subjects, at or above the score. */
static void
test_incident_score(void **state)
{
	struct rule_subject s;
	struct yconf_errs e;
	struct cfg *bad;
	char text[1024];

	(void)state;
	load_one(RULE(1, "{incident_min_score: 90, src_net: training}"));
	s = subject(NULL, "10.20.1.1", "10.20.1.1");
	assert_int_equal(nmatch(&s), 0);	/* a flow record */
	s.incident = true;
	s.incident_score = 100;
	assert_int_equal(nmatch(&s), 1);
	s.incident_score = 89;
	assert_int_equal(nmatch(&s), 0);
	s.incident_score = 90;
	assert_int_equal(nmatch(&s), 1);
	s = subject(NULL, "10.30.1.1", "10.30.1.1");
	s.incident = true;
	s.incident_score = 100;
	assert_int_equal(nmatch(&s), 0);	/* src_net still holds */
	/* Other rules never see incidents. */
	load_one(RULE(2, "{src_net: training}"));
	s = subject(NULL, "10.20.1.1", "10.20.1.1");
	s.incident = true;
	s.incident_score = 100;
	assert_int_equal(nmatch(&s), 0);
	s.incident = false;
	assert_int_equal(nmatch(&s), 1);
	/* Out of range, and combined with a detector: errors. */
	memset(&e, 0, sizeof(e));
	e.fn = quiet;
	snprintf(text, sizeof(text), "%s%s", base_yaml,
	    RULE(3, "{incident_min_score: 101}"));
	bad = cfg_load_string_errs(text, strlen(text), "r.yaml", &e);
	assert_null(bad);
	assert_int_equal(e.count, 1);
	memset(&e, 0, sizeof(e));
	e.fn = quiet;
	snprintf(text, sizeof(text), "%s%s", base_yaml,
	    RULE(4, "{incident_min_score: 50, detector: stratum}"));
	bad = cfg_load_string_errs(text, strlen(text), "r.yaml", &e);
	assert_null(bad);
	assert_int_equal(e.count, 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_detector),
		cmocka_unit_test(test_resolution),
		cmocka_unit_test(test_match_overflow),
		cmocka_unit_test(test_nets),
		cmocka_unit_test(test_flow_fields),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_unless_and_order),
		cmocka_unit_test(test_unless_alternatives),
		cmocka_unit_test(test_suppress),
		cmocka_unit_test(test_threshold),
		cmocka_unit_test(test_suppress_bounded),
		cmocka_unit_test(test_build_api),
		cmocka_unit_test(test_incident_score),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
