/*
 * test_out_redis.c - the Redis sink: URL parsing of every accepted form and
 * of the refused ones, then a live round trip against a redis-server this
 * test starts itself on a unix socket in a mkdtemp directory (skipped when
 * redis-server is not installed).  The live part checks the stream
 * entries byte for byte with the IDs the sensor chose, duplicates refused
 * as such, the flat fields, the sensors set and sorted set, the health
 * hash and its TTL, MAXLEN trimming over one big pipeline, AUTH (URL,
 * password option, ACL user), NOPERM sorted by kind, SELECT, and the
 * reconnect after Redis restarts.  It only ever kills the pid it
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
	struct out_redis *r;
	const char *why;

	(void)state;
	assert_null(out_redis_new(&o));
	o.url = "unix:///nonexistent/dir/redis.sock";
	o.timeout_ms = 100;
	assert_non_null(r = out_redis_new(&o));
	assert_int_equal(out_redis_connect(r), -1);
	assert_int_equal(out_redis_error(r, &why), ORE_CONN);
	assert_non_null(strstr(why, "connect"));
	assert_false(out_redis_connected(r));
	out_redis_free(r);
	out_redis_free(NULL);
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
static void	server_stop(void);

static bool
server_pong(void)
{
	struct timeval tv = { 0, 200000 };
	redisContext *c = redisConnectUnixWithTimeout(L.sock, tv);
	redisReply *rep = NULL;
	bool ok = false;

	/* Any answer will do: NOAUTH from a --requirepass server too. */
	if (c != NULL && c->err == 0 &&
	    (rep = redisCommand(c, "PING")) != NULL)
		ok = true;
	if (rep != NULL)
		freeReplyObject(rep);
	if (c != NULL)
		redisFree(c);
	return ok;
}

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
	server_stop();		/* never two: a failed test left one running */
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
	/* Ready when it answers PING, not when the socket file appears. */
	for (i = 0; i < 250; i++) {
		if (stat(L.sock, &sb) == 0 && server_pong())
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

/* Blobs for the records of a write; each rec points into its blob. */
static uint8_t blobs[8][512];

static void
mkrec(int slot, struct outrec *rec, enum rec_kind kind, const char *json,
    size_t len, const struct out_field *flat, size_t nflat, uint64_t ms,
    uint64_t seq)
{
	size_t n = outrec_size(len, flat, nflat);

	assert_true(n > 0 && n <= sizeof(blobs[slot]));
	outrec_encode(blobs[slot], n, kind, ms * 1000, json, len, flat,
	    nflat);
	outrec_set_id(blobs[slot], ms, seq);
	assert_int_equal(outrec_decode(blobs[slot], n, rec), n);
	assert_int_equal(rec->id_ms, ms);
	assert_int_equal(rec->id_seq, seq);
}

static int
write_sample(struct out_redis *r, enum out_redis_res *res)
{
	/* dest_port's value is not NUL-terminated: only len counts. */
	static const struct out_field flat[] = {
		{ "src_ip", "10.20.0.5", 9 },
		{ "dest_port", "2222xxxx", 4 },
		{ "verdicts", "", 0 },
	};
	struct outrec recs[6];

	mkrec(0, &recs[0], REC_FLOW, flow0, sizeof(flow0) - 1, flat, 3, 5, 0);
	mkrec(1, &recs[1], REC_ALERT, alert0, sizeof(alert0) - 1, flat, 3, 5,
	    0);
	mkrec(2, &recs[2], REC_FLOW, flow1, sizeof(flow1) - 1, NULL, 0, 5, 1);
	mkrec(3, &recs[3], REC_STATS, "{}", 2, NULL, 0, 6, 0);
	mkrec(4, &recs[4], REC_FLOW, flow2, sizeof(flow2) - 1, flat, 3, 7, 0);
	mkrec(5, &recs[5], REC_ALERT, alert1, sizeof(alert1) - 1, NULL, 0, 9,
	    0);
	return out_redis_write(r, recs, 6, res);
}

static void
check_stream(redisContext *c, const char *key, const char *const *want,
    const size_t *wlen, size_t n, const char *id0)
{
	redisReply *rep = redisCommand(c, "XRANGE %s - +", key);
	const redisReply *v;
	size_t i;

	assert_non_null(rep);
	assert_int_equal(rep->type, REDIS_REPLY_ARRAY);
	assert_int_equal(rep->elements, n);
	assert_string_equal(rep->element[0]->element[0]->str, id0);
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
	assert_int_equal(int_cmd(c, "HLEN %s", "egress:t1:health"), 3 + 2);
	ttl = int_cmd(c, "TTL %s", "egress:t1:health");
	assert_true(ttl > 0 && ttl <= 60);
	rep = redisCommand(c, "ZSCORE egress:sensors:seen t1");
	assert_non_null(rep);
	assert_string_equal(rep->str, "1700000042");
	freeReplyObject(rep);
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

static struct out_redis *
live_open(struct out_redis_opts *o, char *url, size_t size)
{
	struct out_redis *r;

	snprintf(url, size, "unix://%s", L.sock);
	o->url = url;
	assert_non_null(r = out_redis_new(o));
	assert_int_equal(out_redis_connect(r), 0);
	return r;
}

static void
test_live_records(void **state)
{
	struct out_redis_opts o = { .prefix = "egress", .sensor = "t1",
	    .version = "9.9", .maxlen = { [REC_ALERT] = 100 },
	    .health_ttl = 60, .legacy_set = true };
	const char *fw[3] = { flow0, flow1, flow2 };
	const size_t fl[3] = { sizeof(flow0) - 1, sizeof(flow1) - 1,
	    sizeof(flow2) - 1 };
	const char *aw[2] = { alert0, alert1 };
	const size_t al[2] = { sizeof(alert0) - 1, sizeof(alert1) - 1 };
	static const struct out_field hf[] = { { "packets", "42", 2 },
	    { "dec_truncated", "0", 1 } };
	struct timeval tv = { 2, 0 };
	enum out_redis_res res[6];
	struct outrec h;
	char url[160];
	struct out_redis *r;
	redisContext *c, *sub;
	redisReply *rep;
	uint64_t ms, seq;
	int i;

	(void)state;
	SKIP_WITHOUT_SERVER();
	assert_int_equal(server_start(NULL), 0);
	c = client();
	sub = client();
	redisSetTimeout(sub, tv);
	rep = redisCommand(sub, "SUBSCRIBE egress:live");
	assert_non_null(rep);
	freeReplyObject(rep);

	r = live_open(&o, url, sizeof(url));
	assert_int_equal(out_redis_last_id(r, REC_FLOW, &ms, &seq), 0);
	assert_true(ms == 0 && seq == 0);		/* no stream yet */
	assert_int_equal(write_sample(r, res), 0);
	for (i = 0; i < 6; i++)
		assert_int_equal(res[i], ORR_OK);
	mkrec(7, &h, REC_HEALTH, "", 0, hf, 2, 0, 0);
	assert_int_equal(out_redis_health(r, &h, 1700000000, 1700000042), 0);
	assert_int_equal(out_redis_last_id(r, REC_FLOW, &ms, &seq), 0);
	assert_true(ms == 7 && seq == 0);

	check_stream(c, "egress:t1:flows", fw, fl, 3, "5-0");
	check_stream(c, "egress:t1:alerts", aw, al, 2, "5-0");
	assert_int_equal(int_cmd(c, "XLEN %s", "egress:t1:stats"), 1);
	check_health(c);
	assert_int_equal(int_cmd(c, "SISMEMBER egress:sensors %s", "t1"), 1);
	check_published(sub);

	/* The same records again: Redis refuses every one as a duplicate. */
	assert_int_equal(write_sample(r, res), 0);
	for (i = 0; i < 6; i++)
		assert_int_equal(res[i], ORR_DUP);
	assert_int_equal(int_cmd(c, "XLEN %s", "egress:t1:flows"), 3);
	out_redis_free(r);
	redisFree(sub);
	redisFree(c);
	server_stop();
}

static void
test_live_maxlen_pipeline(void **state)
{
	struct out_redis_opts o = { .prefix = "px", .sensor = "t2",
	    .maxlen = { [REC_FLOW] = 5 } };
	static uint8_t big[3000][48];
	static struct outrec recs[3000];
	static enum out_redis_res res[3000];
	char url[160], line[32];
	struct out_redis *r;
	redisContext *c;
	long long n;
	int i, len;

	(void)state;
	SKIP_WITHOUT_SERVER();
	assert_int_equal(server_start(NULL), 0);
	r = live_open(&o, url, sizeof(url));
	for (i = 0; i < 3000; i++) {
		len = snprintf(line, sizeof(line), "{\"n\":%d}", i);
		outrec_encode(big[i], outrec_size((size_t)len, NULL, 0),
		    REC_FLOW, 1000, line, (size_t)len, NULL, 0);
		outrec_set_id(big[i], 1, (uint64_t)i);
		outrec_decode(big[i], sizeof(big[i]), &recs[i]);
	}
	assert_int_equal(out_redis_write(r, recs, 3000, res), 0);
	c = client();
	n = int_cmd(c, "XLEN %s", "px:t2:flows");
	assert_true(n >= 5 && n <= 205);	/* ~: whole macro nodes */
	redisFree(c);
	out_redis_free(r);
	server_stop();
}

static void
test_live_auth_select(void **state)
{
	static const char *const extra[] = { "--requirepass", "pw",
	    "--user", "alice", "on", ">apw", "~*", "&*", "+@all", NULL,
	    NULL, NULL, NULL, NULL, NULL, NULL, NULL };
	struct out_redis_opts o = { .sensor = "t3", .timeout_ms = 1000 };
	enum out_redis_res res[1];
	struct outrec rec;
	char url[200];
	struct out_redis *r;
	redisContext *c;
	redisReply *rep;

	(void)state;
	SKIP_WITHOUT_SERVER();
	assert_int_equal(server_start(extra), 0);
	o.url = url;
	snprintf(url, sizeof(url), "unix://%s?db=3", L.sock);
	assert_non_null(r = out_redis_new(&o));
	assert_int_equal(out_redis_connect(r), -1);	/* NOAUTH */
	assert_int_equal(out_redis_error(r, NULL), ORE_AUTH);
	out_redis_free(r);
	o.password = "bad";				/* WRONGPASS */
	assert_non_null(r = out_redis_new(&o));
	assert_int_equal(out_redis_connect(r), -1);
	assert_int_equal(out_redis_error(r, NULL), ORE_AUTH);
	out_redis_free(r);
	o.password = "pw";	/* from password_file or the environment */
	assert_non_null(r = out_redis_new(&o));
	assert_int_equal(out_redis_connect(r), 0);
	mkrec(0, &rec, REC_FLOW, "{}", 2, NULL, 0, 1, 0);
	assert_int_equal(out_redis_write(r, &rec, 1, res), 0);
	out_redis_free(r);
	snprintf(url, sizeof(url), "unix://%s?db=5", L.sock);
	o.user = "alice";
	o.password = "apw";
	assert_non_null(r = out_redis_new(&o));
	assert_int_equal(out_redis_connect(r), 0);
	assert_int_equal(out_redis_write(r, &rec, 1, res), 0);
	mkrec(1, &rec, REC_FLOW, "{}", 2, NULL, 0, 2, 0);
	assert_int_equal(out_redis_write(r, &rec, 1, res), 0);

	/* An ACL without XADD: refused, sorted as NOPERM. */
	c = client();
	rep = redisCommand(c, "AUTH pw");
	freeReplyObject(rep);
	rep = redisCommand(c, "ACL SETUSER alice -xadd");
	freeReplyObject(rep);
	mkrec(2, &rec, REC_FLOW, "{}", 2, NULL, 0, 3, 0);
	assert_int_equal(out_redis_write(r, &rec, 1, res), -1);
	assert_int_equal(res[0], ORR_REFUSED);
	assert_int_equal(out_redis_error(r, NULL), ORE_NOPERM);
	assert_int_equal(out_redis_errors(r, ORE_NOPERM), 1);
	out_redis_free(r);

	rep = redisCommand(c, "SELECT 3");
	freeReplyObject(rep);
	assert_int_equal(int_cmd(c, "XLEN %s", "egress:t3:flows"), 1);
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
	enum out_redis_res res[1];
	struct outrec rec;
	char url[160];
	struct out_redis *r;
	redisContext *c;

	(void)state;
	SKIP_WITHOUT_SERVER();
	assert_int_equal(server_start(NULL), 0);
	r = live_open(&o, url, sizeof(url));
	mkrec(0, &rec, REC_FLOW, "{}", 2, NULL, 0, 1, 0);
	assert_int_equal(out_redis_write(r, &rec, 1, res), 0);

	server_stop();
	mkrec(0, &rec, REC_FLOW, "{}", 2, NULL, 0, 2, 0);
	assert_int_equal(out_redis_write(r, &rec, 1, res), -1);
	assert_int_equal(res[0], ORR_FAILED);
	assert_false(out_redis_connected(r));
	assert_int_equal(out_redis_connect(r), -1);

	assert_int_equal(server_start(NULL), 0);
	assert_int_equal(out_redis_connect(r), 0);
	mkrec(0, &rec, REC_FLOW, "{\"back\":1}", 10, NULL, 0, 2, 0);
	assert_int_equal(out_redis_write(r, &rec, 1, res), 0);
	c = client();
	assert_int_equal(int_cmd(c, "XLEN %s", "egress:t4:flows"), 1);
	redisFree(c);
	out_redis_free(r);
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
