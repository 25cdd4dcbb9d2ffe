/*
 * test_out_redis.c - the Redis sink: URL parsing of every accepted form and
 * of the refused ones, then a live round trip against a redis-server this
 * test starts itself on a unix socket in a mkdtemp directory (skipped when
 * redis-server is not installed).  The live part checks the stream
 * entries byte for byte, the flat fields, the sensors set, the health hash
 * and its TTL, MAXLEN trimming with the bounded pipeline, AUTH and SELECT,
 * and the reconnect after Redis restarts.  It only ever kills the pid it
 * started, and talks to that server through hiredis directly.
 */
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <hiredis/hiredis.h>

#include "out_redis.h"
#include "stats.h"

/* ---- URL parsing ---- */

static void
test_url_tcp_forms(void **state)
{
	struct redis_url u;

	(void)state;
	assert_int_equal(out_redis_parse_url("redis://localhost", &u), 0);
	assert_string_equal(u.host, "localhost");
	assert_int_equal(u.port, 6379);
	assert_string_equal(u.path, "");
	assert_string_equal(u.user, "");
	assert_string_equal(u.pass, "");
	assert_int_equal(u.db, 0);

	assert_int_equal(out_redis_parse_url("redis://10.1.2.3:6380", &u), 0);
	assert_string_equal(u.host, "10.1.2.3");
	assert_int_equal(u.port, 6380);

	assert_int_equal(out_redis_parse_url(
	    "redis://alice:s3cret@redis.example:7000/4", &u), 0);
	assert_string_equal(u.user, "alice");
	assert_string_equal(u.pass, "s3cret");
	assert_string_equal(u.host, "redis.example");
	assert_int_equal(u.port, 7000);
	assert_int_equal(u.db, 4);

	assert_int_equal(out_redis_parse_url("redis://:pw@host", &u), 0);
	assert_string_equal(u.user, "");
	assert_string_equal(u.pass, "pw");
	assert_string_equal(u.host, "host");
	assert_int_equal(u.port, 6379);

	/* redis-cli's reading: no colon means a password alone. */
	assert_int_equal(out_redis_parse_url("redis://pw@host/2", &u), 0);
	assert_string_equal(u.pass, "pw");
	assert_int_equal(u.db, 2);

	/* Percent escapes in credentials; the last '@' ends them. */
	assert_int_equal(out_redis_parse_url(
	    "redis://u%3Ax:p%40ss@w@h:1/", &u), 0);
	assert_string_equal(u.user, "u:x");
	assert_string_equal(u.pass, "p@ss@w");
	assert_string_equal(u.host, "h");
	assert_int_equal(u.port, 1);
	assert_int_equal(u.db, 0);

	assert_int_equal(out_redis_parse_url("redis://[::1]:6390/3", &u), 0);
	assert_string_equal(u.host, "::1");
	assert_int_equal(u.port, 6390);
	assert_int_equal(u.db, 3);
	assert_int_equal(out_redis_parse_url("redis://[fe80::1]", &u), 0);
	assert_string_equal(u.host, "fe80::1");
	assert_int_equal(u.port, 6379);
}

static void
test_url_unix_forms(void **state)
{
	struct redis_url u;

	(void)state;
	assert_int_equal(out_redis_parse_url("unix:///run/redis/r.sock", &u),
	    0);
	assert_string_equal(u.path, "/run/redis/r.sock");
	assert_string_equal(u.host, "");
	assert_int_equal(u.db, 0);

	assert_int_equal(out_redis_parse_url("unix:///tmp/x.sock?db=7", &u),
	    0);
	assert_string_equal(u.path, "/tmp/x.sock");
	assert_int_equal(u.db, 7);

	assert_int_equal(out_redis_parse_url(
	    "unix:///tmp/x.sock?db=1&user=bob&password=a%26b", &u), 0);
	assert_int_equal(u.db, 1);
	assert_string_equal(u.user, "bob");
	assert_string_equal(u.pass, "a&b");
}

static void
test_url_bad(void **state)
{
	static const char *const bad[] = {
		"",
		"localhost",
		"http://host",
		"rediss://host",		/* TLS: not supported */
		"redis://",
		"redis://:6379",
		"redis://host:",
		"redis://host:0",
		"redis://host:65536",
		"redis://host:12ab",
		"redis://host:-1",
		"redis://host:1:2",
		"redis://host/x",
		"redis://host/-1",
		"redis://host/1/2",
		"redis://user:pass@",
		"redis://p%4@host",		/* broken escape */
		"redis://p%zz@host",
		"redis://[::1",
		"redis://[::1]x",
		"redis://[]:80",
		"unix://",
		"unix://relative/sock",
		"unix:///",
		"unix:///tmp/s?db=x",
		"unix:///tmp/s?db=",
		"unix:///tmp/s?nope=1",
		"unix:///tmp/s?db",
		"unix:///tmp/s?db=1&",
	};
	struct redis_url u;
	char big[600];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (out_redis_parse_url(bad[i], &u) != -1)
			fail_msg("accepted bad url \"%s\"", bad[i]);
	}
	assert_int_equal(out_redis_parse_url(NULL, &u), -1);

	/* A host longer than redis_url.host. */
	memcpy(big, "redis://", 8);
	memset(big + 8, 'h', sizeof(big) - 9);
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(out_redis_parse_url(big, &u), -1);
	memcpy(big, "unix:///", 8);
	assert_int_equal(out_redis_parse_url(big, &u), -1);
}

static void
test_open_bad_url(void **state)
{
	struct out_redis_opts o = { .url = "ftp://x", .sensor = "t" };

	(void)state;
	assert_null(out_redis_open(&o));
	o.url = "unix:///nonexistent/dir/redis.sock";
	o.timeout_ms = 100;
	assert_null(out_redis_open(&o));
	out_redis_close(NULL);
}

/* ---- live tests against a private redis-server ---- */

struct live {
	char	dir[64];
	char	sock[128];
	pid_t	pid;
};

static struct live L;

static int
have_redis_server(void)
{
	return system("command -v redis-server >/dev/null 2>&1") == 0;
}

/* Starts redis-server on L.sock; extra is NULL or NULL-terminated. */
static int
server_start(const char *const *extra)
{
	const char *argv[32] = { "redis-server", "--port", "0",
	    "--unixsocket", L.sock, "--save", "", "--appendonly", "no",
	    "--daemonize", "no" };
	struct stat sb;
	int i, n = 11, fd;

	for (i = 0; extra != NULL && extra[i] != NULL && n < 31; i++)
		argv[n++] = extra[i];
	unlink(L.sock);
	if ((L.pid = fork()) == -1)
		return -1;
	if (L.pid == 0) {
		if ((fd = open("/dev/null", O_WRONLY)) >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
		}
		execvp("redis-server", (char *const *)(uintptr_t)argv);
		_exit(127);
	}
	for (i = 0; i < 250; i++) {
		if (stat(L.sock, &sb) == 0)
			return 0;
		usleep(20000);
	}
	return -1;
}

static void
server_stop(void)
{
	if (L.pid > 0) {
		kill(L.pid, SIGTERM);
		waitpid(L.pid, NULL, 0);
	}
	L.pid = 0;
}

static int
live_setup(void **state)
{
	(void)state;
	if (!have_redis_server())
		return 0;
	snprintf(L.dir, sizeof(L.dir), "/tmp/test_out_redis.XXXXXX");
	if (mkdtemp(L.dir) == NULL)
		return -1;
	snprintf(L.sock, sizeof(L.sock), "%s/redis.sock", L.dir);
	return 0;
}

static int
live_teardown(void **state)
{
	(void)state;
	server_stop();
	if (L.dir[0] != '\0') {
		unlink(L.sock);
		rmdir(L.dir);
	}
	return 0;
}

static redisContext *
client(void)
{
	redisContext *c = redisConnectUnix(L.sock);

	assert_non_null(c);
	assert_int_equal(c->err, 0);
	return c;
}

static long long
int_cmd(redisContext *c, const char *fmt, const char *arg)
{
	redisReply *rep = redisCommand(c, fmt, arg);
	long long v;

	assert_non_null(rep);
	assert_int_equal(rep->type, REDIS_REPLY_INTEGER);
	v = rep->integer;
	freeReplyObject(rep);
	return v;
}

/* The value of field name in a stream entry's field list, or NULL. */
static const redisReply *
entry_field(const redisReply *entry, const char *name)
{
	const redisReply *kv = entry->element[1];
	size_t i;

	for (i = 0; i + 1 < kv->elements; i += 2)
		if (strcmp(kv->element[i]->str, name) == 0)
			return kv->element[i + 1];
	return NULL;
}

#define SKIP_WITHOUT_SERVER() do {					\
	if (L.dir[0] == '\0')						\
		skip();							\
} while (0)

/* Three flows (one with bytes a C string could not carry), two alerts. */
static const char flow0[] = "{\"event_type\":\"flow\",\"n\":0}";
static const char flow1[] = "{\"event_type\":\"flow\",\"s\":\"\\u0000\xff\r\"}";
static const char flow2[] = "{\"event_type\":\"flow\",\"n\":2}\0tail";
static const char alert0[] = "{\"event_type\":\"alert\",\"sid\":1}";
static const char alert1[] = "{\"event_type\":\"alert\",\"sid\":2}";

static void
push_sample(struct out_redis *r)
{
	/* dest_port's value is not NUL-terminated: only len counts. */
	struct out_field flat[] = {
		{ "src_ip", "10.20.0.5", 9 },
		{ "dest_port", "2222xxxx", 4 },
		{ "verdicts", "", 0 },
	};

	assert_int_equal(out_redis_record(r, REC_FLOW, flow0,
	    sizeof(flow0) - 1, flat, 3), 0);
	assert_int_equal(out_redis_record(r, REC_ALERT, alert0,
	    sizeof(alert0) - 1, flat, 3), 0);
	assert_int_equal(out_redis_record(r, REC_FLOW, flow1,
	    sizeof(flow1) - 1, NULL, 0), 0);
	assert_int_equal(out_redis_record(r, REC_STATS, "{}", 2, NULL, 0), 0);
	assert_int_equal(out_redis_record(r, REC_FLOW, flow2,
	    sizeof(flow2) - 1, flat, 3), 0);
	assert_int_equal(out_redis_record(r, REC_ALERT, alert1,
	    sizeof(alert1) - 1, NULL, 0), 0);
}

static void
check_stream(redisContext *c, const char *key, const char *const *want,
    const size_t *wlen, size_t n)
{
	redisReply *rep = redisCommand(c, "XRANGE %s - +", key);
	const redisReply *v;
	size_t i;

	assert_non_null(rep);
	assert_int_equal(rep->type, REDIS_REPLY_ARRAY);
	assert_int_equal(rep->elements, n);
	for (i = 0; i < n; i++) {
		v = entry_field(rep->element[i], "json");
		assert_non_null(v);
		assert_int_equal(v->len, wlen[i]);
		assert_memory_equal(v->str, want[i], wlen[i]);
	}
	v = entry_field(rep->element[0], "dest_port");
	assert_non_null(v);
	assert_string_equal(v->str, "2222");
	v = entry_field(rep->element[0], "verdicts");
	assert_non_null(v);
	assert_int_equal(v->len, 0);
	freeReplyObject(rep);
}

static void
check_health(redisContext *c)
{
	redisReply *rep;
	long long ttl;

	rep = redisCommand(c, "HMGET egress:t1:health version started "
	    "updated packets dec_truncated nosuchfield");
	assert_non_null(rep);
	assert_int_equal(rep->elements, 6);
	assert_string_equal(rep->element[0]->str, "9.9");
	assert_string_equal(rep->element[1]->str, "1700000000");
	assert_string_equal(rep->element[2]->str, "1700000042");
	assert_string_equal(rep->element[3]->str, "42");
	assert_string_equal(rep->element[4]->str, "0");
	assert_int_equal(rep->element[5]->type, REDIS_REPLY_NIL);
	freeReplyObject(rep);
	assert_int_equal(int_cmd(c, "HLEN %s", "egress:t1:health"),
	    3 + ST_COUNT);
	ttl = int_cmd(c, "TTL %s", "egress:t1:health");
	assert_true(ttl > 0 && ttl <= 60);
}

static void
check_published(redisContext *sub)
{
	const char *want[2] = { alert0, alert1 };
	redisReply *rep;
	int i;

	for (i = 0; i < 2; i++) {
		assert_int_equal(redisGetReply(sub, (void **)&rep), REDIS_OK);
		assert_int_equal(rep->elements, 3);
		assert_string_equal(rep->element[0]->str, "message");
		assert_string_equal(rep->element[1]->str, "egress:live");
		assert_string_equal(rep->element[2]->str, want[i]);
		freeReplyObject(rep);
	}
}

static void
test_live_records(void **state)
{
	struct out_redis_opts o = { .prefix = "egress", .sensor = "t1",
	    .version = "9.9", .alerts_maxlen = 100, .health_ttl = 60 };
	const char *fw[3] = { flow0, flow1, flow2 };
	const size_t fl[3] = { sizeof(flow0) - 1, sizeof(flow1) - 1,
	    sizeof(flow2) - 1 };
	const char *aw[2] = { alert0, alert1 };
	const size_t al[2] = { sizeof(alert0) - 1, sizeof(alert1) - 1 };
	struct timeval tv = { 2, 0 };
	char url[160];
	struct stats st;
	struct out_redis *r;
	redisContext *c, *sub;
	redisReply *rep;

	(void)state;
	SKIP_WITHOUT_SERVER();
	assert_int_equal(server_start(NULL), 0);
	c = client();
	sub = client();
	redisSetTimeout(sub, tv);
	rep = redisCommand(sub, "SUBSCRIBE egress:live");
	assert_non_null(rep);
	freeReplyObject(rep);

	snprintf(url, sizeof(url), "unix://%s", L.sock);
	o.url = url;
	assert_non_null(r = out_redis_open(&o));
	assert_int_equal(int_cmd(c, "SISMEMBER egress:sensors %s", "t1"), 1);
	push_sample(r);
	memset(&st, 0, sizeof(st));
	st.v[ST_PACKETS] = 42;
	assert_int_equal(out_redis_health(r, &st, 1700000000, 1700000042), 0);
	assert_int_equal(out_redis_flush(r), 0);
	assert_int_equal(out_redis_flush(r), 0);	/* nothing queued */

	check_stream(c, "egress:t1:flows", fw, fl, 3);
	check_stream(c, "egress:t1:alerts", aw, al, 2);
	check_health(c);
	check_published(sub);
	out_redis_close(r);
	redisFree(sub);
	redisFree(c);
	server_stop();
}

static void
test_live_maxlen_pipeline(void **state)
{
	struct out_redis_opts o = { .prefix = "px", .sensor = "t2",
	    .flows_maxlen = 5 };
	char url[160], line[64];
	struct out_redis *r;
	redisContext *c;
	long long n;
	int i, len;

	(void)state;
	SKIP_WITHOUT_SERVER();
	assert_int_equal(server_start(NULL), 0);
	snprintf(url, sizeof(url), "unix://%s", L.sock);
	o.url = url;
	assert_non_null(r = out_redis_open(&o));
	/* No explicit flush: the pipeline must drain itself past ~256. */
	for (i = 0; i < 3000; i++) {
		len = snprintf(line, sizeof(line), "{\"n\":%d}", i);
		assert_int_equal(out_redis_record(r, REC_FLOW, line,
		    (size_t)len, NULL, 0), 0);
	}
	c = client();
	n = int_cmd(c, "XLEN %s", "px:t2:flows");
	assert_true(n > 0 && n < 3000);	/* flushed before close */
	out_redis_close(r);
	n = int_cmd(c, "XLEN %s", "px:t2:flows");
	assert_true(n >= 5 && n <= 205);	/* ~: whole macro nodes */
	assert_int_equal(int_cmd(c, "SISMEMBER px:sensors %s", "t2"), 1);
	redisFree(c);
	server_stop();
}

static void
test_live_auth_select(void **state)
{
	static const char *const extra[] = { "--requirepass", "pw",
	    "--user", "alice", "on", ">apw", "~*", "&*", "+@all", NULL };
	struct out_redis_opts o = { .sensor = "t3", .timeout_ms = 1000 };
	char url[200];
	struct out_redis *r;
	redisContext *c;
	redisReply *rep;

	(void)state;
	SKIP_WITHOUT_SERVER();
	assert_int_equal(server_start(extra), 0);
	o.url = url;
	snprintf(url, sizeof(url), "unix://%s?db=3", L.sock);
	assert_null(out_redis_open(&o));		/* NOAUTH */
	snprintf(url, sizeof(url), "unix://%s?db=3&password=bad", L.sock);
	assert_null(out_redis_open(&o));
	snprintf(url, sizeof(url), "unix://%s?db=3&password=pw", L.sock);
	assert_non_null(r = out_redis_open(&o));
	assert_int_equal(out_redis_record(r, REC_FLOW, "{}", 2, NULL, 0), 0);
	out_redis_close(r);
	snprintf(url, sizeof(url), "unix://%s?db=5&user=alice&password=apw",
	    L.sock);
	assert_non_null(r = out_redis_open(&o));
	assert_int_equal(out_redis_record(r, REC_FLOW, "{}", 2, NULL, 0), 0);
	assert_int_equal(out_redis_record(r, REC_FLOW, "{}", 2, NULL, 0), 0);
	out_redis_close(r);

	c = client();
	rep = redisCommand(c, "AUTH pw");
	freeReplyObject(rep);
	rep = redisCommand(c, "SELECT 3");
	freeReplyObject(rep);
	assert_int_equal(int_cmd(c, "XLEN %s", "egress:t3:flows"), 1);
	assert_int_equal(int_cmd(c, "SISMEMBER egress:sensors %s", "t3"), 1);
	rep = redisCommand(c, "SELECT 5");
	freeReplyObject(rep);
	assert_int_equal(int_cmd(c, "XLEN %s", "egress:t3:flows"), 2);
	redisFree(c);
	server_stop();
}

static void
test_live_reconnect(void **state)
{
	struct out_redis_opts o = { .sensor = "t4", .timeout_ms = 200 };
	char url[160];
	struct out_redis *r;
	redisContext *c;
	int i, rc = -1;

	(void)state;
	SKIP_WITHOUT_SERVER();
	assert_int_equal(server_start(NULL), 0);
	snprintf(url, sizeof(url), "unix://%s", L.sock);
	o.url = url;
	assert_non_null(r = out_redis_open(&o));
	assert_int_equal(out_redis_record(r, REC_FLOW, "{}", 2, NULL, 0), 0);
	assert_int_equal(out_redis_flush(r), 0);

	server_stop();
	/* Queued fine, then the pipeline fails: one log line, no signal. */
	out_redis_record(r, REC_FLOW, "{}", 2, NULL, 0);
	assert_int_equal(out_redis_flush(r), -1);
	assert_int_equal(out_redis_record(r, REC_FLOW, "{}", 2, NULL, 0), -1);

	assert_int_equal(server_start(NULL), 0);
	for (i = 0; i < 40 && rc != 0; i++) {	/* backoff is 1 s */
		rc = out_redis_record(r, REC_FLOW, "{\"back\":1}", 10, NULL,
		    0);
		if (rc != 0)
			usleep(100000);
	}
	assert_int_equal(rc, 0);
	assert_int_equal(out_redis_flush(r), 0);
	c = client();
	assert_int_equal(int_cmd(c, "XLEN %s", "egress:t4:flows"), 1);
	assert_int_equal(int_cmd(c, "SISMEMBER egress:sensors %s", "t4"), 1);
	redisFree(c);
	out_redis_close(r);
	server_stop();
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_url_tcp_forms),
		cmocka_unit_test(test_url_unix_forms),
		cmocka_unit_test(test_url_bad),
		cmocka_unit_test(test_open_bad_url),
		cmocka_unit_test(test_live_records),
		cmocka_unit_test(test_live_maxlen_pipeline),
		cmocka_unit_test(test_live_auth_select),
		cmocka_unit_test(test_live_reconnect),
	};

	return cmocka_run_group_tests(tests, live_setup, live_teardown);
}
