/*
 * test_cfg.c - unit tests for include/cfg.h.
 *
 * Defaults, a full file with a list file resolved relative to the config,
 * direction, every kind of error with its exact "name:line:col" (through
 * the yconf_errs callback), all errors reported in one pass, and the
 * shipped rules/egress.yaml loading cleanly.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "cfg.h"
#include "domset.h"
#include "rules.h"
#include "yconf.h"

struct collect {
	char		all[16384];
	unsigned	n;
};

static struct collect col;

static void
collect_fn(void *arg, const char *msg)
{
	struct collect *c = arg;
	size_t len = strlen(c->all);

	snprintf(c->all + len, sizeof(c->all) - len, "%s\n", msg);
	c->n++;
}

static struct yconf_errs
errs(void)
{
	struct yconf_errs e;

	memset(&col, 0, sizeof(col));
	memset(&e, 0, sizeof(e));
	e.fn = collect_fn;
	e.arg = &col;
	return e;
}

static struct cfg *
load(const char *text)
{
	struct yconf_errs e = errs();

	return cfg_load_string_errs(text, strlen(text), "t.yaml", &e);
}

static void
expect(const char *needle)
{
	if (strstr(col.all, needle) == NULL)
		fail_msg("missing \"%s\" in:\n%s", needle, col.all);
}

static struct ip_addr
addr(const char *s)
{
	struct ip_addr a;

	assert_int_equal(ip_addr_parse(s, &a), 0);
	return a;
}

static void
test_defaults(void **state)
{
	struct cfg *c;
	struct ip_addr a, b;

	(void)state;
	c = cfg_default();
	assert_non_null(c);
	assert_string_equal(c->sensor_name, "egress-sensor");
	assert_int_equal(c->flow.capacity, 131072);
	assert_int_equal(c->flow.tcp_syn_timeout, 30);
	assert_int_equal(c->flow.tcp_established_timeout, 600);
	assert_int_equal(c->flow.tcp_closed_timeout, 10);
	assert_int_equal(c->flow.udp_timeout, 60);
	assert_int_equal(c->flow.icmp_timeout, 30);
	assert_int_equal(c->flow.other_timeout, 60);
	assert_int_equal(c->flow.active_timeout, 300);
	assert_int_equal(c->flow.ndpi_max_packets, 32);
	assert_string_equal(c->output.json, "");
	assert_int_equal(c->output.stats_interval, 0);
	assert_string_equal(c->output.redis.url, "");
	assert_string_equal(c->output.redis.prefix, "egress");
	assert_int_equal(c->output.redis.flows_maxlen, 100000);
	assert_int_equal(c->output.redis.alerts_maxlen, 100000);
	assert_int_equal(c->output.redis.health_ttl, 30);
	assert_int_equal(c->output.redis.health_interval, 5);
	assert_int_equal(c->output.redis.timeout_ms, 200);
	assert_int_equal(c->n_nets, 1);
	assert_int_equal(c->n_lists, 0);
	assert_non_null(c->rules);
	assert_int_equal(rules_count(c->rules), 0);
	assert_non_null(cfg_net(c, "internal"));
	assert_null(cfg_net(c, "training"));

	a = addr("10.20.0.5");
	b = addr("8.8.8.8");
	assert_int_equal(cfg_direction(c, &a, &b), DIR_OUTBOUND);
	assert_int_equal(cfg_direction(c, &b, &a), DIR_INBOUND);
	assert_int_equal(cfg_direction(c, &b, &b), DIR_EXTERNAL);
	b = addr("192.168.1.1");
	assert_int_equal(cfg_direction(c, &a, &b), DIR_INTERNAL);
	a = addr("fd00::1");
	assert_int_equal(cfg_direction(c, &a, &b), DIR_INTERNAL);
	b = addr("172.32.0.1");
	assert_int_equal(cfg_direction(c, &a, &b), DIR_OUTBOUND);
	assert_string_equal(direction_name(DIR_OUTBOUND), "outbound");
	assert_string_equal(direction_name(DIR_INBOUND), "inbound");
	assert_string_equal(direction_name(DIR_INTERNAL), "internal");
	assert_string_equal(direction_name(DIR_EXTERNAL), "external");
	cfg_free(c);
	cfg_free(NULL);

	/* Empty sections are the same as absent ones. */
	c = load("sensor:\nnetworks:\nlists:\nflow:\noutput:\nrules:\n");
	assert_non_null(c);
	assert_int_equal(col.n, 0);
	cfg_free(c);
}

static const char full_yaml[] =
	"sensor: {name: dc1-edge-a}\n"
	"networks:\n"
	"  internal: [10.0.0.0/8, fc00::/7]\n"
	"  training: [10.20.0.0/16]\n"
	"  single: 192.0.2.1\n"
	"lists:\n"
	"  ssh_allowed: [203.0.113.22/32, 198.51.100.0/24]\n"
	"  mining_pools: lists/pools.txt\n"
	"flow: {capacity: 1024, tcp_syn_timeout: 5, tcp_established_timeout:"
	" 700, tcp_closed_timeout: 2, udp_timeout: 61, icmp_timeout: 31,"
	" other_timeout: 62, active_timeout: 0, ndpi_max_packets: 16}\n"
	"output:\n"
	"  json: \"-\"\n"
	"  stats_interval: 60\n"
	"  redis: {url: \"redis://127.0.0.1:6379/2\", prefix: eg,"
	" flows_maxlen: 5, alerts_maxlen: 6, health_ttl: 7,"
	" health_interval: 3, timeout_ms: 50}\n"
	"rules:\n"
	"  - sid: 1000001\n"
	"    id: rssh-shell\n"
	"    title: Reverse SSH shell from the training network\n"
	"    severity: 1\n"
	"    category: reverse-ssh\n"
	"    when: {detector: reverse_ssh, src_net: training}\n"
	"    unless: {dest_net: ssh_allowed}\n"
	"    suppress: {by: [src_ip, dest_ip], seconds: 3600}\n"
	"  - sid: 1000002\n"
	"    id: pool-sni\n"
	"    title: TLS to a pool\n"
	"    severity: 2\n"
	"    when: {sni_in: mining_pools, app_proto: [tls, quic]}\n";

static void
test_full(void **state)
{
	char dir[] = "/tmp/cfgtest-XXXXXX", path[256];
	struct yconf_errs e;
	const struct cfg_list *l;
	const struct rule *r;
	struct ip_addr a;
	struct cfg *c;
	FILE *fp;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/lists", dir);
	assert_int_equal(mkdir(path, 0700), 0);
	snprintf(path, sizeof(path), "%s/lists/pools.txt", dir);
	fp = fopen(path, "w");
	fputs("# pools\nnanopool.org\n0.0.0.0 supportxmr.com\n", fp);
	fclose(fp);
	snprintf(path, sizeof(path), "%s/egress.yaml", dir);
	fp = fopen(path, "w");
	fputs(full_yaml, fp);
	fclose(fp);

	e = errs();
	c = cfg_load_errs(path, &e);
	if (c == NULL)
		fail_msg("%s", col.all);
	assert_string_equal(c->path, path);
	assert_string_equal(c->sensor_name, "dc1-edge-a");
	assert_int_equal(c->n_nets, 3);
	assert_int_equal(c->n_lists, 2);
	a = addr("172.16.0.1");
	assert_false(cidr_set_contains(cfg_net(c, "internal"), &a));
	a = addr("10.20.1.1");
	assert_true(cidr_set_contains(cfg_net(c, "training"), &a));
	a = addr("192.0.2.1");
	assert_true(cidr_set_contains(cfg_net(c, "single"), &a));
	l = cfg_list(c, "ssh_allowed");
	assert_non_null(l);
	assert_int_equal(l->nets.n, 2);
	assert_int_equal(domset_count(l->names), 0);
	assert_ptr_equal(cfg_net(c, "ssh_allowed"), &l->nets);
	l = cfg_list(c, "mining_pools");
	assert_int_equal(domset_count(l->names), 2);
	assert_non_null(domset_match(l->names, "xmr.nanopool.org", 16));
	assert_null(cfg_list(c, "training"));
	assert_int_equal(c->flow.capacity, 1024);
	assert_int_equal(c->flow.tcp_syn_timeout, 5);
	assert_int_equal(c->flow.tcp_established_timeout, 700);
	assert_int_equal(c->flow.tcp_closed_timeout, 2);
	assert_int_equal(c->flow.udp_timeout, 61);
	assert_int_equal(c->flow.icmp_timeout, 31);
	assert_int_equal(c->flow.other_timeout, 62);
	assert_int_equal(c->flow.active_timeout, 0);
	assert_int_equal(c->flow.ndpi_max_packets, 16);
	assert_string_equal(c->output.json, "-");
	assert_int_equal(c->output.stats_interval, 60);
	assert_string_equal(c->output.redis.url, "redis://127.0.0.1:6379/2");
	assert_string_equal(c->output.redis.prefix, "eg");
	assert_int_equal(c->output.redis.flows_maxlen, 5);
	assert_int_equal(c->output.redis.alerts_maxlen, 6);
	assert_int_equal(c->output.redis.health_ttl, 7);
	assert_int_equal(c->output.redis.health_interval, 3);
	assert_int_equal(c->output.redis.timeout_ms, 50);
	assert_int_equal(rules_count(c->rules), 2);
	r = rules_get(c->rules, 0);
	assert_int_equal(r->sid, 1000001);
	assert_string_equal(r->id, "rssh-shell");
	assert_string_equal(r->title,
	    "Reverse SSH shell from the training network");
	assert_string_equal(r->category, "reverse-ssh");
	assert_int_equal(r->severity, 1);
	r = rules_get(c->rules, 1);
	assert_string_equal(r->category, "");
	assert_null(rules_get(c->rules, 2));
	cfg_free(c);

	/* A missing list file is reported at the config position. */
	unlink(path);
	snprintf(path, sizeof(path), "%s/lists/pools.txt", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/lists", dir);
	rmdir(path);
	rmdir(dir);
	assert_null(cfg_load_string_errs(full_yaml, strlen(full_yaml),
	    "/nonexistent/dir/egress.yaml", &e));
	expect("/nonexistent/dir/egress.yaml:8:17: list 'mining_pools': "
	    "/nonexistent/dir/lists/pools.txt: cannot open");
	e = errs();
	assert_null(cfg_load_errs("/nonexistent/x.yaml", &e));
	expect("/nonexistent/x.yaml:1:1: cannot open");
}

static const char bad_yaml[] =
	"sensor: {name: \"bad name\"}\n"			/* 1 */
	"bogus: 1\n"						/* 2 */
	"networks:\n"						/* 3 */
	"  training: [10.20.0.0/16, 10.300.0.0/16]\n"		/* 4 */
	"  'bad name': [10.0.0.0/8]\n"				/* 5 */
	"lists:\n"						/* 6 */
	"  training: [1.2.3.4]\n"				/* 7 */
	"  ok: [\"has space\"]\n"				/* 8 */
	"flow: {capacity: 0, udp_timeout: -1, colour: red, icmp_timeout: x}\n"
	"output:\n"						/* 10 */
	"  json: [a]\n"						/* 11 */
	"  stats_interval: 99999999999\n"			/* 12 */
	"  redis: {prefix: 'a:b', timeout_ms: 0, extra: 1}\n"	/* 13 */
	"rules:\n"						/* 14 */
	"  - sid: 1\n"						/* 15 */
	"    id: one\n"						/* 16 */
	"    title: t\n"					/* 17 */
	"    severity: 4\n"					/* 18 */
	"    when: {detector: rev_ssh, src_net: nowhere, dest_port: 70000}\n"
	"    unless: {colour: red}\n"				/* 20 */
	"    suppress: {by: [src_ip, vlan], seconds: 0}\n"	/* 21 */
	"  - sid: 1\n"						/* 22 */
	"    id: one\n"						/* 23 */
	"    title: t\n"					/* 24 */
	"    severity: 1\n"					/* 25 */
	"    when: {direction: sideways, min_confidence: 2, sni_in: training}\n"
	"  - {id: three, sid: 3, title: t, severity: 1, when: {}}\n" /* 27 */
	"  - {sid: 4, id: four, title: t, severity: 1}\n"	/* 28 */
	"  - [not, a, map]\n";					/* 29 */

static void
test_errors(void **state)
{
	(void)state;
	assert_null(load(bad_yaml));
	expect("t.yaml:1:16: sensor.name 'bad name': use 1-63");
	expect("t.yaml:2:1: config: unknown key 'bogus'");
	expect("t.yaml:4:28: '10.300.0.0/16': not an address or network");
	expect("t.yaml:5:3: network 'bad name': names use 1-63");
	expect("t.yaml:7:3: list 'training': name already used");
	expect("t.yaml:8:8: list 'ok': 'has space' is neither");
	expect("t.yaml:9:18: '0': expected a whole number from 16 to");
	expect("t.yaml:9:34: '-1': expected a whole number from 1 to 86400");
	expect("t.yaml:9:38: flow: unknown key 'colour'");
	expect("t.yaml:9:65: 'x': expected a whole number");
	expect("t.yaml:11:9: expected a string, found a sequence");
	expect("t.yaml:12:19: '99999999999': expected a whole number from 0 "
	    "to 86400");
	expect("t.yaml:13:19: output.redis.prefix 'a:b'");
	expect("t.yaml:13:38: '0': expected a whole number from 1 to 60000");
	expect("t.yaml:13:41: output.redis: unknown key 'extra'");
	expect("t.yaml:18:15: '4': expected a whole number from 1 to 3");
	expect("t.yaml:19:22: detector: unknown detector 'rev_ssh'");
	expect("t.yaml:19:40: unknown network or list 'nowhere'");
	expect("t.yaml:19:60: '70000': expected a whole number from 0 to "
	    "65535");
	expect("t.yaml:20:14: unless: unknown key 'colour'");
	expect("t.yaml:21:29: suppress.by: 'vlan' is not src_ip");
	expect("t.yaml:21:45: '0': expected a whole number from 1 to");
	expect("t.yaml:22:10: sid 1 already used by rule 'one' at line 15");
	expect("t.yaml:23:9: id 'one' already used by the rule at line 15");
	expect("t.yaml:26:23: direction: 'sideways' is not outbound");
	expect("t.yaml:26:49: '2': expected a number from 0 to 1");
	expect("t.yaml:26:60: sni_in: 'training' is not a list name");
	expect("t.yaml:27:54: when: needs at least one condition");
	expect("t.yaml:28:5: rule: 'when' is required");
	expect("t.yaml:29:5: rule: expected a map, found a sequence");
	assert_int_equal(col.n, 30);
}

static void
test_small_errors(void **state)
{
	(void)state;
	assert_null(load("- a\n- b\n"));
	expect("t.yaml:1:1: config: expected a map, found a sequence");
	assert_null(load("networks: [10.0.0.0/8]\n"));
	expect("t.yaml:1:11: networks: expected a map");
	assert_null(load("lists: {a: {b: c}}\n"));
	expect("t.yaml:1:13: list: unknown key 'b'");
	/* a file path among inline entries is not taken for a name */
	assert_null(load("lists: {a: [lists/x.txt, pool.example]}\n"));
	expect("t.yaml:1:13: list 'a': 'lists/x.txt' looks like a file path");
	/* ssh_allowed is matched by address: names would never match */
	assert_null(load("lists: {ssh_allowed: [198.51.100.1, git.example]}\n"));
	expect("t.yaml:1:37: list 'ssh_allowed': 'git.example': only "
	    "addresses and networks");
	assert_null(load("lists: {a: {}}\n"));
	expect("list 'a': give files:, entries: or both");
	assert_null(load("rules: {a: 1}\n"));
	expect("t.yaml:1:8: rules: expected a sequence of rules");
	assert_null(load("rules:\n  - sid: 1\n    id: x\n    title: t\n"
	    "    severity: 1\n    when: {src_net: [a, [b]]}\n"));
	expect("t.yaml:6:25: src_net: expected a scalar");
	/* A syntax error stops at libyaml's position. */
	assert_null(load("flow: {capacity: 10\n"));
	assert_int_equal(col.n, 1);
	expect("t.yaml:2:1: yaml: ");
}

/* The directory of the test binary's source tree, for rules/egress.yaml. */
static void
shipped_path(char *buf, size_t len)
{
	char exe[1024];
	ssize_t n;
	char *p;

	if (access("rules/egress.yaml", R_OK) == 0) {
		snprintf(buf, len, "rules/egress.yaml");
		return;
	}
	/* build/tests/test_cfg -> ../../rules/egress.yaml */
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	assert_true(n > 0);
	exe[n] = '\0';
	if ((p = strstr(exe, "/build")) != NULL)
		*p = '\0';
	snprintf(buf, len, "%s/rules/egress.yaml", exe);
}

static void
test_shipped(void **state)
{
	struct yconf_errs e;
	const struct cfg_list *l;
	struct cfg *c;
	char path[1100];
	size_t i;

	(void)state;
	shipped_path(path, sizeof(path));
	e = errs();
	c = cfg_load_errs(path, &e);
	if (c == NULL)
		fail_msg("%s: %s", path, col.all);
	assert_int_equal(col.n, 0);
	assert_int_equal(rules_count(c->rules), 13);
	for (i = 0; i < 12; i++)
		assert_int_equal(rules_get(c->rules, i)->sid, 1000001 + i);
	/* The incident rule, and the incident section as documented. */
	assert_int_equal(rules_get(c->rules, 12)->sid, 1000050);
	assert_int_equal(c->incident.window, 86400);
	assert_non_null(cfg_net(c, "training"));
	l = cfg_list(c, "mining_pools");
	assert_non_null(l);
	assert_true(domset_count(l->names) >= 60);
	assert_non_null(domset_match(l->names, "pool.minexmr.com", 16));
	assert_non_null(domset_match(l->names, "xmr-eu1.nanopool.org", 20));
	assert_non_null(cfg_list(c, "ssh_allowed"));
	cfg_free(c);
	/* And through the logging entry point, as main uses it. */
	c = cfg_load(path);
	assert_non_null(c);
	cfg_free(c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_full),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_small_errors),
		cmocka_unit_test(test_shipped),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
