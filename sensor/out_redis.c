/*
 * out_redis.c - the Redis sink: flow and alert records into per-sensor
 * streams, alerts onto the live channel, the sensor's health hash.
 *
 * This is the only file that talks hiredis.  It owns one blocking
 * redisContext with a short command timeout and a pipeline of queued
 * commands: out_redis_record() and out_redis_health() only append
 * (redisAppendCommandArgv with explicit lengths, never a format string fed
 * with data) and out_redis_flush() writes the whole pipeline and reads one
 * reply per queued command.  The pipeline is bounded: past OUT_REDIS_PIPE
 * queued commands the record call flushes by itself.  A context error
 * throws the context away (hiredis cannot recover one); later calls try to
 * reconnect with a wall-clock backoff, and records offered while Redis is
 * away are dropped and counted, logged once when Redis goes and once when
 * it comes back.  It never logs per record and never exits.
 */
#include <sys/time.h>

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <hiredis/hiredis.h>

#include "log.h"
#include "out_redis.h"

#define OUT_REDIS_PIPE		256	/* queued commands before a flush */
#define OUT_REDIS_MAX_FLAT	32	/* flat fields per stream entry */
#define OUT_REDIS_KEY_MAX	320
#define OUT_REDIS_NAME_MAX	128
#define OUT_REDIS_TIMEOUT_MS	500	/* when opts.timeout_ms is 0 */
#define OUT_REDIS_BACKOFF_MIN	1	/* s before the first reconnect */
#define OUT_REDIS_BACKOFF_MAX	30	/* s between reconnects at most */

struct out_redis {
	redisContext	*ctx;		/* NULL while Redis is away */
	struct redis_url url;
	char		 url_text[512];	/* for log lines, password hidden */
	char		 sensor[OUT_REDIS_NAME_MAX];
	char		 version[OUT_REDIS_NAME_MAX];
	char		 k_flows[OUT_REDIS_KEY_MAX];
	char		 k_alerts[OUT_REDIS_KEY_MAX];
	char		 k_health[OUT_REDIS_KEY_MAX];
	char		 k_live[OUT_REDIS_KEY_MAX];
	char		 k_sensors[OUT_REDIS_KEY_MAX];
	char		 flows_maxlen[16];	/* decimal, "" = no trimming */
	char		 alerts_maxlen[16];
	char		 health_ttl[16];	/* decimal s, "" = no EXPIRE */
	uint32_t	 timeout_ms;
	size_t		 pending;	/* replies owed by the server */
	uint64_t	 err_replies;	/* error replies, all time */
	uint64_t	 dropped;	/* records lost while Redis was away */
	uint64_t	 down_since;	/* monotonic s when the context died */
	uint64_t	 next_try;	/* monotonic s of the next reconnect */
	uint32_t	 backoff;	/* s */
	bool		 warned_flat;	/* "too many flat fields" said once */
	bool		 warned_reply;	/* error replies said once per run */
	bool		 quiet;		/* reconnecting: failures not logged */
};

#define OUT_REDIS_WARN(r, ...) do {					\
	if (!(r)->quiet)						\
		log_warnx(__VA_ARGS__);					\
} while (0)

static uint64_t
mono_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec;
}

/* Copies src into dst[size] with a NUL; -1 when it does not fit. */
static int
copy_str(char *dst, size_t size, const char *src, size_t len)
{
	if (len >= size)
		return -1;
	memcpy(dst, src, len);
	dst[len] = '\0';
	return 0;
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Copies src[len] into dst[size], decoding %XX escapes. 0 or -1. */
static int
copy_pct(char *dst, size_t size, const char *src, size_t len)
{
	size_t i, o = 0;
	int hi, lo;

	for (i = 0; i < len; i++) {
		if (o + 1 >= size)
			return -1;
		if (src[i] != '%') {
			dst[o++] = src[i];
			continue;
		}
		if (len - i < 3 || (hi = hexval(src[i + 1])) < 0 ||
		    (lo = hexval(src[i + 2])) < 0)
			return -1;
		dst[o++] = (char)(hi * 16 + lo);
		i += 2;
	}
	dst[o] = '\0';
	return 0;
}

/* Parses all of s[len] as a decimal in [min, max]. 0 or -1. */
static int
parse_num(const char *s, size_t len, long min, long max, int *out)
{
	long v = 0;
	size_t i;

	if (len == 0 || len > 10)
		return -1;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	if (v < min || v > max)
		return -1;
	*out = (int)v;
	return 0;
}

/* "user:pass", ":pass" or "pass" (redis-cli's reading) before the '@'. */
static int
parse_userinfo(const char *s, size_t len, struct redis_url *u)
{
	const char *colon;

	colon = memchr(s, ':', len);
	if (colon == NULL)
		return copy_pct(u->pass, sizeof(u->pass), s, len);
	if (copy_pct(u->user, sizeof(u->user), s, (size_t)(colon - s)) == -1)
		return -1;
	return copy_pct(u->pass, sizeof(u->pass), colon + 1,
	    len - (size_t)(colon - s) - 1);
}

/* "host", "host:port", "[v6]", "[v6]:port". */
static int
parse_hostport(const char *s, size_t len, struct redis_url *u)
{
	const char *end = s + len, *h = s, *p;
	size_t hlen;

	if (len > 0 && s[0] == '[') {
		if ((p = memchr(s, ']', len)) == NULL)
			return -1;
		h = s + 1;
		hlen = (size_t)(p - h);
		p++;
		if (p != end && *p != ':')
			return -1;
	} else {
		p = memchr(s, ':', len);
		if (p == NULL)
			p = end;
		hlen = (size_t)(p - h);
	}
	if (hlen == 0)
		return -1;
	if (copy_str(u->host, sizeof(u->host), h, hlen) == -1)
		return -1;
	if (p == end)
		return 0;
	return parse_num(p + 1, (size_t)(end - p - 1), 1, 65535, &u->port);
}

/* Everything after "redis://": [userinfo@]host[:port][/db]. */
static int
parse_tcp(const char *s, struct redis_url *u)
{
	const char *at, *slash, *auth = s;
	size_t len = strlen(s);

	if ((at = strrchr(s, '@')) != NULL) {
		if (parse_userinfo(s, (size_t)(at - s), u) == -1)
			return -1;
		auth = at + 1;
	}
	slash = strchr(auth, '/');
	if (slash == NULL)
		slash = s + len;
	if (parse_hostport(auth, (size_t)(slash - auth), u) == -1)
		return -1;
	if (*slash == '\0' || slash[1] == '\0')
		return 0;
	return parse_num(slash + 1, strlen(slash + 1), 0, 65535, &u->db);
}

/* One "name=value" of a unix URL's query. */
static int
parse_query_item(const char *s, size_t len, struct redis_url *u)
{
	const char *eq;
	size_t nlen;

	if ((eq = memchr(s, '=', len)) == NULL)
		return -1;
	nlen = (size_t)(eq - s);
	len -= nlen + 1;
	if (nlen == 2 && memcmp(s, "db", 2) == 0)
		return parse_num(eq + 1, len, 0, 65535, &u->db);
	if (nlen == 4 && memcmp(s, "user", 4) == 0)
		return copy_pct(u->user, sizeof(u->user), eq + 1, len);
	if (nlen == 8 && memcmp(s, "password", 8) == 0)
		return copy_pct(u->pass, sizeof(u->pass), eq + 1, len);
	return -1;
}

/* Everything after "unix://": /path/to/sock[?db=N&user=U&password=P]. */
static int
parse_unix(const char *s, struct redis_url *u)
{
	const char *q, *amp;

	if (s[0] != '/')
		return -1;
	q = strchr(s, '?');
	if (copy_str(u->path, sizeof(u->path), s,
	    q ? (size_t)(q - s) : strlen(s)) == -1 || u->path[1] == '\0')
		return -1;
	while (q != NULL) {
		q++;
		amp = strchr(q, '&');
		if (parse_query_item(q, amp ? (size_t)(amp - q) : strlen(q),
		    u) == -1)
			return -1;
		q = amp;
	}
	return 0;
}

int
out_redis_parse_url(const char *url, struct redis_url *u)
{
	if (url == NULL || u == NULL)
		return -1;
	memset(u, 0, sizeof(*u));
	u->port = 6379;
	if (strncmp(url, "redis://", 8) == 0)
		return parse_tcp(url + 8, u);
	if (strncmp(url, "unix://", 7) == 0)
		return parse_unix(url + 7, u);
	return -1;
}

/* A synchronous command for the connection set-up; 0 or -1 (logged). */
static int
setup_cmd(struct out_redis *r, int argc, const char **argv)
{
	size_t lens[4];
	redisReply *rep;
	int i, rc = 0;

	for (i = 0; i < argc; i++)
		lens[i] = strlen(argv[i]);
	rep = redisCommandArgv(r->ctx, argc, argv, lens);
	if (rep == NULL) {
		OUT_REDIS_WARN(r, "redis: %s %s: %s", r->url_text, argv[0],
		    r->ctx->errstr);
		return -1;
	}
	if (rep->type == REDIS_REPLY_ERROR) {
		OUT_REDIS_WARN(r, "redis: %s %s: %s", r->url_text, argv[0],
		    rep->str);
		rc = -1;
	}
	freeReplyObject(rep);
	return rc;
}

/* Connects, AUTH, SELECT, SADD the sensor.  0, or -1 (logged, ctx NULL). */
static int
connect_ctx(struct out_redis *r)
{
	struct timeval tv;
	const char *argv[3];
	char db[16];

	tv.tv_sec = r->timeout_ms / 1000;
	tv.tv_usec = (suseconds_t)(r->timeout_ms % 1000) * 1000;
	if (r->url.path[0] != '\0')
		r->ctx = redisConnectUnixWithTimeout(r->url.path, tv);
	else
		r->ctx = redisConnectWithTimeout(r->url.host, r->url.port, tv);
	if (r->ctx == NULL) {
		OUT_REDIS_WARN(r, "redis: connect %s: out of memory",
		    r->url_text);
		return -1;
	}
	if (r->ctx->err) {
		OUT_REDIS_WARN(r, "redis: connect %s: %s", r->url_text,
		    r->ctx->errstr);
		goto fail;
	}
	if (redisSetTimeout(r->ctx, tv) != REDIS_OK) {
		OUT_REDIS_WARN(r, "redis: %s: cannot set timeout",
		    r->url_text);
		goto fail;
	}
	argv[0] = "AUTH";
	if (r->url.user[0] != '\0') {
		argv[1] = r->url.user;
		argv[2] = r->url.pass;
		if (setup_cmd(r, 3, argv) == -1)
			goto fail;
	} else if (r->url.pass[0] != '\0') {
		argv[1] = r->url.pass;
		if (setup_cmd(r, 2, argv) == -1)
			goto fail;
	}
	if (r->url.db != 0) {
		snprintf(db, sizeof(db), "%d", r->url.db);
		argv[0] = "SELECT";
		argv[1] = db;
		if (setup_cmd(r, 2, argv) == -1)
			goto fail;
	}
	argv[0] = "SADD";
	argv[1] = r->k_sensors;
	argv[2] = r->sensor;
	if (setup_cmd(r, 3, argv) == -1)
		goto fail;
	r->pending = 0;
	return 0;
fail:
	redisFree(r->ctx);
	r->ctx = NULL;
	return -1;
}

/* The context is broken: log once, free it, schedule a reconnect. */
static void
ctx_lost(struct out_redis *r, const char *what)
{
	log_warnx("redis: %s %s: %s; %zu queued commands lost, reconnecting",
	    r->url_text, what, r->ctx->errstr[0] ? r->ctx->errstr :
	    "connection error", r->pending);
	r->dropped += r->pending;
	r->pending = 0;
	redisFree(r->ctx);
	r->ctx = NULL;
	r->down_since = mono_s();
	r->backoff = OUT_REDIS_BACKOFF_MIN;
	r->next_try = r->down_since + r->backoff;
}

/* While Redis is away: one quiet reconnect attempt when it is time. */
static int
maybe_reconnect(struct out_redis *r)
{
	uint64_t now;

	if (r->ctx != NULL)
		return 0;
	now = mono_s();
	if (now < r->next_try)
		return -1;
	/* Failed attempts are not logged again: only the state change is. */
	r->quiet = true;
	connect_ctx(r);
	r->quiet = false;
	if (r->ctx == NULL) {
		if (r->backoff < OUT_REDIS_BACKOFF_MAX)
			r->backoff *= 2;
		if (r->backoff > OUT_REDIS_BACKOFF_MAX)
			r->backoff = OUT_REDIS_BACKOFF_MAX;
		r->next_try = now + r->backoff;
		return -1;
	}
	log_warnx("redis: reconnected to %s after %" PRIu64 " s, %" PRIu64
	    " records dropped", r->url_text, now - r->down_since, r->dropped);
	return 0;
}

/* "redis://host:port/db" or "unix:///path" without the credentials. */
static void
url_for_logs(struct out_redis *r)
{
	if (r->url.path[0] != '\0')
		snprintf(r->url_text, sizeof(r->url_text), "unix://%s",
		    r->url.path);
	else
		snprintf(r->url_text, sizeof(r->url_text), "redis://%s:%d",
		    r->url.host, r->url.port);
}

static void
fmt_u32(char *buf, size_t size, uint32_t v)
{
	if (v == 0)
		buf[0] = '\0';
	else
		snprintf(buf, size, "%" PRIu32, v);
}

static int
make_keys(struct out_redis *r, const char *prefix)
{
	int n = 0;

	n |= snprintf(r->k_flows, sizeof(r->k_flows), "%s:%s:flows", prefix,
	    r->sensor) >= (int)sizeof(r->k_flows);
	n |= snprintf(r->k_alerts, sizeof(r->k_alerts), "%s:%s:alerts",
	    prefix, r->sensor) >= (int)sizeof(r->k_alerts);
	n |= snprintf(r->k_health, sizeof(r->k_health), "%s:%s:health",
	    prefix, r->sensor) >= (int)sizeof(r->k_health);
	n |= snprintf(r->k_live, sizeof(r->k_live), "%s:live", prefix) >=
	    (int)sizeof(r->k_live);
	n |= snprintf(r->k_sensors, sizeof(r->k_sensors), "%s:sensors",
	    prefix) >= (int)sizeof(r->k_sensors);
	return n ? -1 : 0;
}

/*
 * hiredis writes with write(2): a Redis that closes the socket would kill
 * the sensor with SIGPIPE instead of giving EPIPE.  Redis itself ignores
 * the signal; so do we, unless someone installed a handler already.
 */
static void
ignore_sigpipe(void)
{
	struct sigaction sa;

	if (sigaction(SIGPIPE, NULL, &sa) == 0 && sa.sa_handler == SIG_DFL) {
		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = SIG_IGN;
		sigemptyset(&sa.sa_mask);
		sigaction(SIGPIPE, &sa, NULL);
	}
}

struct out_redis *
out_redis_open(const struct out_redis_opts *o)
{
	struct out_redis *r;
	const char *prefix, *sensor;

	if ((r = calloc(1, sizeof(*r))) == NULL) {
		log_warn("redis: calloc");
		return NULL;
	}
	if (out_redis_parse_url(o->url, &r->url) == -1) {
		log_warnx("redis: bad url \"%s\" (want redis://[user:pass@]"
		    "host[:port][/db] or unix:///path[?db=N])",
		    o->url ? o->url : "");
		goto fail;
	}
	url_for_logs(r);
	prefix = o->prefix && o->prefix[0] ? o->prefix : "egress";
	sensor = o->sensor && o->sensor[0] ? o->sensor : "sensor";
	if (copy_str(r->sensor, sizeof(r->sensor), sensor,
	    strlen(sensor)) == -1 || copy_str(r->version, sizeof(r->version),
	    o->version ? o->version : "", o->version ? strlen(o->version) :
	    0) == -1 || make_keys(r, prefix) == -1) {
		log_warnx("redis: prefix, sensor name or version too long");
		goto fail;
	}
	fmt_u32(r->flows_maxlen, sizeof(r->flows_maxlen), o->flows_maxlen);
	fmt_u32(r->alerts_maxlen, sizeof(r->alerts_maxlen), o->alerts_maxlen);
	fmt_u32(r->health_ttl, sizeof(r->health_ttl), o->health_ttl);
	r->timeout_ms = o->timeout_ms ? o->timeout_ms : OUT_REDIS_TIMEOUT_MS;
	ignore_sigpipe();
	if (connect_ctx(r) == -1)
		goto fail;
	return r;
fail:
	free(r);
	return NULL;
}

/* Appends one command; a context error here means the buffer is gone. */
static int
append(struct out_redis *r, int argc, const char **argv, const size_t *lens)
{
	if (redisAppendCommandArgv(r->ctx, argc, argv, lens) != REDIS_OK) {
		ctx_lost(r, "append");
		return -1;
	}
	r->pending++;
	return 0;
}

/* XADD key [MAXLEN ~ n] * json line flat...; 0 or -1. */
static int
append_xadd(struct out_redis *r, const char *key, const char *maxlen,
    const char *json, size_t len, const struct out_field *flat, size_t nflat)
{
	const char *argv[8 + 2 * OUT_REDIS_MAX_FLAT];
	size_t lens[8 + 2 * OUT_REDIS_MAX_FLAT], i;
	int argc = 0;

	if (nflat > OUT_REDIS_MAX_FLAT) {
		if (!r->warned_flat)
			log_warnx("redis: %zu flat fields, keeping %d", nflat,
			    OUT_REDIS_MAX_FLAT);
		r->warned_flat = true;
		nflat = OUT_REDIS_MAX_FLAT;
	}
	argv[argc] = "XADD", lens[argc++] = 4;
	argv[argc] = key, lens[argc++] = strlen(key);
	if (maxlen[0] != '\0') {
		argv[argc] = "MAXLEN", lens[argc++] = 6;
		argv[argc] = "~", lens[argc++] = 1;
		argv[argc] = maxlen, lens[argc++] = strlen(maxlen);
	}
	argv[argc] = "*", lens[argc++] = 1;
	argv[argc] = "json", lens[argc++] = 4;
	argv[argc] = json, lens[argc++] = len;
	for (i = 0; i < nflat; i++) {
		argv[argc] = flat[i].name;
		lens[argc++] = strlen(flat[i].name);
		argv[argc] = flat[i].value ? flat[i].value : "";
		lens[argc++] = flat[i].value ? flat[i].len : 0;
	}
	return append(r, argc, argv, lens);
}

static int
append_publish(struct out_redis *r, const char *json, size_t len)
{
	const char *argv[3] = { "PUBLISH", r->k_live, json };
	size_t lens[3] = { 7, strlen(r->k_live), len };

	return append(r, 3, argv, lens);
}

int
out_redis_record(struct out_redis *r, enum rec_kind kind, const char *json,
    size_t len, const struct out_field *flat, size_t nflat)
{
	int rc = 0;

	if (r == NULL || json == NULL)
		return -1;
	if (kind == REC_STATS)
		return 0;	/* stats reach Redis as the health hash */
	if (maybe_reconnect(r) == -1) {
		r->dropped++;
		return -1;
	}
	if (kind == REC_FLOW)
		rc = append_xadd(r, r->k_flows, r->flows_maxlen, json, len,
		    flat, nflat);
	else if (kind == REC_ALERT) {
		rc = append_xadd(r, r->k_alerts, r->alerts_maxlen, json, len,
		    flat, nflat);
		if (rc == 0)
			rc = append_publish(r, json, len);
	} else
		return -1;
	if (rc == -1) {
		r->dropped++;
		return -1;
	}
	if (r->pending > OUT_REDIS_PIPE)
		return out_redis_flush(r);
	return 0;
}

int
out_redis_health(struct out_redis *r, const struct stats *st,
    uint64_t started_unix, uint64_t now_unix)
{
	const char *argv[8 + 2 * ST_COUNT];
	size_t lens[8 + 2 * ST_COUNT];
	char nums[ST_COUNT + 2][24];
	const char *name;
	int argc = 0, i;

	if (r == NULL || st == NULL || maybe_reconnect(r) == -1)
		return -1;
	snprintf(nums[0], sizeof(nums[0]), "%" PRIu64, started_unix);
	snprintf(nums[1], sizeof(nums[1]), "%" PRIu64, now_unix);
	argv[argc++] = "HSET";
	argv[argc++] = r->k_health;
	argv[argc++] = "version";
	argv[argc++] = r->version;
	argv[argc++] = "started";
	argv[argc++] = nums[0];
	argv[argc++] = "updated";
	argv[argc++] = nums[1];
	for (i = 0; i < ST_COUNT; i++) {
		if ((name = stats_name((enum stat_id)i)) == NULL)
			continue;	/* a counter without a name yet */
		snprintf(nums[i + 2], sizeof(nums[i + 2]), "%" PRIu64,
		    st->v[i]);
		argv[argc++] = name;
		argv[argc++] = nums[i + 2];
	}
	for (i = 0; i < argc; i++)
		lens[i] = strlen(argv[i]);
	if (append(r, argc, argv, lens) == -1)
		return -1;
	if (r->health_ttl[0] == '\0')
		return 0;
	argv[0] = "EXPIRE";
	argv[1] = r->k_health;
	argv[2] = r->health_ttl;
	for (i = 0; i < 3; i++)
		lens[i] = strlen(argv[i]);
	return append(r, 3, argv, lens);
}

int
out_redis_flush(struct out_redis *r)
{
	redisReply *rep;
	uint64_t errs = 0;
	const char *first = NULL;
	char msg[128] = "";

	if (r == NULL)
		return -1;
	if (maybe_reconnect(r) == -1)
		return -1;
	while (r->pending > 0) {
		if (redisGetReply(r->ctx, (void **)&rep) != REDIS_OK) {
			ctx_lost(r, "write/read");
			return -1;
		}
		r->pending--;
		if (rep != NULL && rep->type == REDIS_REPLY_ERROR) {
			if (errs++ == 0 && rep->str != NULL)
				snprintf(msg, sizeof(msg), "%s", rep->str);
			first = msg;
		}
		freeReplyObject(rep);
	}
	if (errs == 0)
		return 0;
	r->err_replies += errs;
	if (!r->warned_reply)
		log_warnx("redis: %s: %" PRIu64 " commands refused: %s",
		    r->url_text, errs, first);
	r->warned_reply = true;
	return -1;
}

void
out_redis_close(struct out_redis *r)
{
	if (r == NULL)
		return;
	if (r->ctx != NULL) {
		out_redis_flush(r);
		if (r->ctx != NULL)
			redisFree(r->ctx);
	}
	if (r->dropped > 0 || r->err_replies > 0)
		log_warnx("redis: %s: %" PRIu64 " records dropped, %" PRIu64
		    " commands refused", r->url_text, r->dropped,
		    r->err_replies);
	free(r);
}

void
out_redis_lib_version(int *major, int *minor, int *patch)
{
	*major = HIREDIS_MAJOR;
	*minor = HIREDIS_MINOR;
	*patch = HIREDIS_PATCH;
}
