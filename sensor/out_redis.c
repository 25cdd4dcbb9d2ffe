/*
 * out_redis.c - the Redis connection: records into per-sensor streams
 * with entry IDs the sensor chose, alerts onto the live channel, the
 * heartbeat (health hash, sensors sorted set).
 *
 * This is the only file that talks hiredis, and only the writer thread
 * calls it.  It owns one blocking redisContext with a short command
 * timeout.  A write appends every command of a batch
 * (redisAppendCommandArgv with explicit lengths, never a format string fed
 * with data) and then reads one reply per command, so a batch is one
 * round trip.  A context error throws the context away (hiredis cannot
 * recover one); the writer decides when to reconnect.  Replies are sorted
 * by kind (OOM, READONLY, NOAUTH/WRONGPASS, NOPERM...) for the counters
 * and the state log line.  It never logs per record and never exits.
 */
#include <sys/time.h>

#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hiredis/hiredis.h>

#include "log.h"
#include "out_redis.h"

#define OUT_REDIS_KEY_MAX	320
#define OUT_REDIS_NAME_MAX	128
#define OUT_REDIS_TIMEOUT_MS	500	/* when opts.timeout_ms is 0 */
#define OUT_REDIS_ARGS		(12 + 2 * OUTREC_MAX_FLAT)
#define OUT_REDIS_SEEN_KEEP	(7 * 86400)	/* s a silent sensor stays */

/* Where each record kind goes: a new kind is one more row. */
static const struct {
	const char	*suffix;	/* <prefix>:<sensor>:<suffix>, NULL none */
	bool		 publish;	/* also PUBLISH on <prefix>:live */
	bool		 hash;		/* also a hash per "id" flat field */
} kinds[REC_KINDS] = {
	[REC_FLOW] = { "flows", false, false },
	[REC_ALERT] = { "alerts", true, false },
	[REC_STATS] = { "stats", false, false },
	[REC_INCIDENT] = { "incidents", false, true },
	[REC_HEALTH] = { NULL, false, false },
	[REC_REOPEN] = { NULL, false, false },
};

static const char *const err_names[ORE_COUNT] = {
	[ORE_NONE] = "none", [ORE_TIMEOUT] = "timeout",
	[ORE_CONN] = "connection", [ORE_OOM] = "oom",
	[ORE_READONLY] = "readonly", [ORE_AUTH] = "auth",
	[ORE_NOPERM] = "noperm", [ORE_OTHER] = "other",
};

struct out_redis {
	redisContext	*ctx;		/* NULL while not connected */
	struct redis_url url;
	char		 url_text[512];	/* for log lines, password hidden */
	char		 sensor[OUT_REDIS_NAME_MAX];
	char		 version[OUT_REDIS_NAME_MAX];
	char		 k_stream[REC_KINDS][OUT_REDIS_KEY_MAX];
	char		 maxlen[REC_KINDS][16];	/* decimal, "" = no trimming */
	char		 k_health[OUT_REDIS_KEY_MAX];
	char		 k_live[OUT_REDIS_KEY_MAX];
	char		 k_sensors[OUT_REDIS_KEY_MAX];
	char		 k_seen[OUT_REDIS_KEY_MAX];
	char		 health_ttl[16];	/* decimal s, "" = no EXPIRE */
	char		 k_incident[OUT_REDIS_KEY_MAX];	/* "...:incident:" */
	char		 incident_ttl[16];	/* decimal s, "" = no EXPIRE */
	uint32_t	 timeout_ms;
	bool		 legacy_set;
	enum out_redis_err err;		/* last failure */
	char		 why[160];	/* its text */
	uint64_t	 errs[ORE_COUNT];
};

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
	int n = 0, k;

	for (k = 0; k < REC_KINDS; k++)
		if (kinds[k].suffix != NULL)
			n |= snprintf(r->k_stream[k], OUT_REDIS_KEY_MAX,
			    "%s:%s:%s", prefix, r->sensor, kinds[k].suffix) >=
			    OUT_REDIS_KEY_MAX;
	n |= snprintf(r->k_health, sizeof(r->k_health), "%s:%s:health",
	    prefix, r->sensor) >= (int)sizeof(r->k_health);
	n |= snprintf(r->k_incident, sizeof(r->k_incident), "%s:%s:incident:",
	    prefix, r->sensor) >= (int)sizeof(r->k_incident) - 24;
	n |= snprintf(r->k_live, sizeof(r->k_live), "%s:live", prefix) >=
	    (int)sizeof(r->k_live);
	n |= snprintf(r->k_sensors, sizeof(r->k_sensors), "%s:sensors",
	    prefix) >= (int)sizeof(r->k_sensors);
	n |= snprintf(r->k_seen, sizeof(r->k_seen), "%s:sensors:seen",
	    prefix) >= (int)sizeof(r->k_seen);
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
out_redis_new(const struct out_redis_opts *o)
{
	struct out_redis *r;
	const char *prefix, *sensor;
	int k;

	if ((r = calloc(1, sizeof(*r))) == NULL) {
		log_warn("redis: calloc");
		return NULL;
	}
	if (out_redis_parse_url(o->url, &r->url) == -1) {
		/* Never echo the URL: it may carry a password. */
		log_warnx("redis: bad url (want redis://[user:pass@]"
		    "host[:port][/db] or unix:///path[?db=N])");
		goto fail;
	}
	if ((o->user != NULL && o->user[0] != '\0' && r->url.user[0] == '\0' &&
	    copy_str(r->url.user, sizeof(r->url.user), o->user,
	    strlen(o->user)) == -1) || (o->password != NULL &&
	    copy_str(r->url.pass, sizeof(r->url.pass), o->password,
	    strlen(o->password)) == -1)) {
		log_warnx("redis: user or password too long");
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
	for (k = 0; k < REC_KINDS; k++)
		fmt_u32(r->maxlen[k], sizeof(r->maxlen[k]), o->maxlen[k]);
	fmt_u32(r->health_ttl, sizeof(r->health_ttl), o->health_ttl);
	fmt_u32(r->incident_ttl, sizeof(r->incident_ttl), o->incident_ttl);
	r->timeout_ms = o->timeout_ms ? o->timeout_ms : OUT_REDIS_TIMEOUT_MS;
	r->legacy_set = o->legacy_set;
	ignore_sigpipe();
	return r;
fail:
	explicit_bzero(&r->url, sizeof(r->url));
	free(r);
	return NULL;
}

void
out_redis_disconnect(struct out_redis *r)
{
	if (r != NULL && r->ctx != NULL) {
		redisFree(r->ctx);
		r->ctx = NULL;
	}
}

void
out_redis_free(struct out_redis *r)
{
	if (r == NULL)
		return;
	out_redis_disconnect(r);
	explicit_bzero(&r->url, sizeof(r->url));
	free(r);
}

bool
out_redis_connected(const struct out_redis *r)
{
	return r->ctx != NULL;
}

/* Sorts an error reply by its code (the first word). */
static enum out_redis_err
reply_kind(const char *s)
{
	static const struct {
		const char		*code;
		enum out_redis_err	 e;
	} codes[] = {
		{ "OOM", ORE_OOM }, { "READONLY", ORE_READONLY },
		{ "NOAUTH", ORE_AUTH }, { "WRONGPASS", ORE_AUTH },
		{ "NOPERM", ORE_NOPERM },
	};
	size_t i, n;

	for (i = 0; s != NULL && i < sizeof(codes) / sizeof(codes[0]); i++) {
		n = strlen(codes[i].code);
		if (strncmp(s, codes[i].code, n) == 0 &&
		    (s[n] == ' ' || s[n] == '\0'))
			return codes[i].e;
	}
	return ORE_OTHER;
}

static bool
reply_dup(const char *s)
{
	return s != NULL && strstr(s, "XADD is equal or smaller") != NULL;
}

/* Records a failure: kind and text, counted. */
static void
set_err(struct out_redis *r, enum out_redis_err e, const char *what,
    const char *text)
{
	r->err = e;
	r->errs[e]++;
	snprintf(r->why, sizeof(r->why), "%s: %.120s", what,
	    text ? text : "error");
}

/* The context failed: why, then throw it away. */
static void
ctx_failed(struct out_redis *r, const char *what)
{
	enum out_redis_err e = ORE_CONN;

	if (r->ctx->err == REDIS_ERR_IO && (errno == EAGAIN ||
	    errno == EWOULDBLOCK))
		e = ORE_TIMEOUT;
	set_err(r, e, what, e == ORE_TIMEOUT ? "timed out" : r->ctx->errstr);
	out_redis_disconnect(r);
}

/* A synchronous command; 0 or -1 (error set, context kept on a reply). */
static int
sync_cmd(struct out_redis *r, int argc, const char **argv, const size_t *lens,
    redisReply **out)
{
	redisReply *rep;

	rep = redisCommandArgv(r->ctx, argc, argv, lens);
	if (rep == NULL) {
		ctx_failed(r, argv[0]);
		return -1;
	}
	if (rep->type == REDIS_REPLY_ERROR && out == NULL) {
		set_err(r, reply_kind(rep->str), argv[0], rep->str);
		freeReplyObject(rep);
		return -1;
	}
	if (out != NULL)
		*out = rep;
	else
		freeReplyObject(rep);
	return 0;
}

static int
auth_select(struct out_redis *r)
{
	const char *argv[3];
	size_t lens[3];
	char db[16];
	int argc = 0;

	if (r->url.pass[0] != '\0') {
		argv[argc] = "AUTH", lens[argc++] = 4;
		if (r->url.user[0] != '\0')
			argv[argc] = r->url.user, lens[argc] = strlen(argv[argc]),
			    argc++;
		argv[argc] = r->url.pass, lens[argc] = strlen(argv[argc]), argc++;
		if (sync_cmd(r, argc, argv, lens, NULL) == -1)
			return -1;
	}
	if (r->url.db != 0) {
		snprintf(db, sizeof(db), "%d", r->url.db);
		argv[0] = "SELECT", lens[0] = 6;
		argv[1] = db, lens[1] = strlen(db);
		if (sync_cmd(r, 2, argv, lens, NULL) == -1)
			return -1;
	}
	return 0;
}

int
out_redis_connect(struct out_redis *r)
{
	struct timeval tv;

	out_redis_disconnect(r);
	tv.tv_sec = r->timeout_ms / 1000;
	tv.tv_usec = (suseconds_t)(r->timeout_ms % 1000) * 1000;
	if (r->url.path[0] != '\0')
		r->ctx = redisConnectUnixWithTimeout(r->url.path, tv);
	else
		r->ctx = redisConnectWithTimeout(r->url.host, r->url.port, tv);
	if (r->ctx == NULL) {
		set_err(r, ORE_CONN, "connect", "out of memory");
		return -1;
	}
	if (r->ctx->err) {
		set_err(r, ORE_CONN, "connect", r->ctx->errstr);
		out_redis_disconnect(r);
		return -1;
	}
	if (redisSetTimeout(r->ctx, tv) != REDIS_OK) {
		set_err(r, ORE_CONN, "connect", "cannot set timeout");
		out_redis_disconnect(r);
		return -1;
	}
	if (auth_select(r) == -1) {
		out_redis_disconnect(r);
		return -1;
	}
	return 0;
}

/* "ms-seq" into its numbers; 0 or -1. */
static int
parse_id(const char *s, uint64_t *ms, uint64_t *seq)
{
	char *end;

	*ms = strtoull(s, &end, 10);
	if (*end != '-')
		return -1;
	*seq = strtoull(end + 1, &end, 10);
	return *end == '\0' ? 0 : -1;
}

int
out_redis_last_id(struct out_redis *r, enum rec_kind kind, uint64_t *ms,
    uint64_t *seq)
{
	const char *argv[3] = { "XINFO", "STREAM", r->k_stream[kind] };
	size_t lens[3] = { 5, 6, strlen(r->k_stream[kind]) }, i;
	redisReply *rep;
	int rc = -1;

	*ms = *seq = 0;
	if (r->ctx == NULL || kinds[kind].suffix == NULL)
		return -1;
	if (sync_cmd(r, 3, argv, lens, &rep) == -1)
		return -1;
	if (rep->type == REDIS_REPLY_ERROR) {
		if (strstr(rep->str, "no such key") != NULL)
			rc = 0;
		else
			set_err(r, reply_kind(rep->str), "XINFO", rep->str);
	} else if (rep->type == REDIS_REPLY_ARRAY) {
		for (i = 0; i + 1 < rep->elements; i += 2)
			if (rep->element[i]->type == REDIS_REPLY_STRING &&
			    strcmp(rep->element[i]->str,
			    "last-generated-id") == 0 &&
			    rep->element[i + 1]->type == REDIS_REPLY_STRING)
				rc = parse_id(rep->element[i + 1]->str, ms,
				    seq);
	}
	freeReplyObject(rep);
	return rc;
}

/* Appends XADD key [MAXLEN ~ n] <id> json <line> <flat...>. */
static int
append_xadd(struct out_redis *r, const struct outrec *rec)
{
	const char *argv[OUT_REDIS_ARGS];
	size_t lens[OUT_REDIS_ARGS], i;
	char id[48];
	int argc = 0;
	enum rec_kind k = rec->kind;

	snprintf(id, sizeof(id), "%" PRIu64 "-%" PRIu64, rec->id_ms,
	    rec->id_seq);
	argv[argc] = "XADD", lens[argc++] = 4;
	argv[argc] = r->k_stream[k], lens[argc++] = strlen(r->k_stream[k]);
	if (r->maxlen[k][0] != '\0') {
		argv[argc] = "MAXLEN", lens[argc++] = 6;
		argv[argc] = "~", lens[argc++] = 1;
		argv[argc] = r->maxlen[k], lens[argc++] = strlen(r->maxlen[k]);
	}
	argv[argc] = id, lens[argc++] = strlen(id);
	argv[argc] = "json", lens[argc++] = 4;
	argv[argc] = rec->json, lens[argc++] = rec->json_len;
	for (i = 0; i < rec->nflat; i++) {
		argv[argc] = rec->flat[i].name, lens[argc++] = rec->name_len[i];
		argv[argc] = rec->flat[i].value, lens[argc++] = rec->flat[i].len;
	}
	return redisAppendCommandArgv(r->ctx, argc, argv, lens) == REDIS_OK ?
	    0 : -1;
}

static int
append_publish(struct out_redis *r, const struct outrec *rec)
{
	const char *argv[3] = { "PUBLISH", r->k_live, rec->json };
	size_t lens[3] = { 7, strlen(r->k_live), rec->json_len };

	return redisAppendCommandArgv(r->ctx, 3, argv, lens) == REDIS_OK ?
	    0 : -1;
}

/* The flat field called name, or NULL. */
static const struct out_field *
flat_get(const struct outrec *rec, const char *name)
{
	size_t i, n = strlen(name);

	for (i = 0; i < rec->nflat; i++)
		if (rec->name_len[i] == n &&
		    memcmp(rec->flat[i].name, name, n) == 0)
			return &rec->flat[i];
	return NULL;
}

/*
 * An incident's hash: HSET json + flat fields (and EXPIRE) while it is
 * open, DEL once its flat field "open" is "0".  Appends the commands when
 * append is set; returns how many there are (their replies follow the
 * XADD's), or -1 when appending failed.
 */
static int
incident_hash(struct out_redis *r, const struct outrec *rec, bool append)
{
	const char *argv[4 + 2 * OUTREC_MAX_FLAT];
	size_t lens[4 + 2 * OUTREC_MAX_FLAT], i;
	const struct out_field *id = flat_get(rec, "id");
	const struct out_field *open = flat_get(rec, "open");
	char key[OUT_REDIS_KEY_MAX + 32];	/* k_incident + id (<= 24) */
	bool del = open != NULL && open->len == 1 && open->value[0] == '0';
	int argc = 0;

	if (id == NULL || id->len == 0 || id->len > 24)
		return 0;
	if (!append)
		return del || r->incident_ttl[0] == '\0' ? 1 : 2;
	snprintf(key, sizeof(key), "%s%.*s", r->k_incident, (int)id->len,
	    id->value);
	argv[argc] = del ? "DEL" : "HSET", lens[argc] = strlen(argv[argc]);
	argc++;
	argv[argc] = key, lens[argc++] = strlen(key);
	if (!del) {
		argv[argc] = "json", lens[argc++] = 4;
		argv[argc] = rec->json, lens[argc++] = rec->json_len;
		for (i = 0; i < rec->nflat; i++) {
			argv[argc] = rec->flat[i].name;
			lens[argc++] = rec->name_len[i];
			argv[argc] = rec->flat[i].value;
			lens[argc++] = rec->flat[i].len;
		}
	}
	if (redisAppendCommandArgv(r->ctx, argc, argv, lens) != REDIS_OK)
		return -1;
	if (del || r->incident_ttl[0] == '\0')
		return 1;
	argv[0] = "EXPIRE", lens[0] = 6;
	argv[2] = r->incident_ttl, lens[2] = strlen(r->incident_ttl);
	return redisAppendCommandArgv(r->ctx, 3, argv, lens) == REDIS_OK ?
	    2 : -1;
}

/* Reads one reply; 1 ok, 0 error reply (kind set), -1 connection. */
static int
read_reply(struct out_redis *r, bool *dup, const char *what)
{
	redisReply *rep;
	int rc = 1;

	*dup = false;
	if (redisGetReply(r->ctx, (void **)&rep) != REDIS_OK) {
		ctx_failed(r, what);
		return -1;
	}
	if (rep != NULL && rep->type == REDIS_REPLY_ERROR) {
		if (reply_dup(rep->str))
			*dup = true;
		else {
			set_err(r, reply_kind(rep->str), what, rep->str);
			rc = 0;
		}
	}
	freeReplyObject(rep);
	return rc;
}

int
out_redis_send(struct out_redis *r, const struct outrec *recs, size_t n)
{
	size_t i;
	int done = 0;

	if (r->ctx == NULL)
		return -1;
	for (i = 0; i < n; i++) {
		if (append_xadd(r, &recs[i]) == -1 ||
		    (kinds[recs[i].kind].publish &&
		    append_publish(r, &recs[i]) == -1) ||
		    (kinds[recs[i].kind].hash &&
		    incident_hash(r, &recs[i], true) == -1)) {
			ctx_failed(r, "append");
			return -1;
		}
	}
	/* Out on the wire now, so Redis works while the caller does. */
	while (!done)
		if (redisBufferWrite(r->ctx, &done) != REDIS_OK) {
			ctx_failed(r, "XADD");
			return -1;
		}
	return 0;
}

int
out_redis_recv(struct out_redis *r, const struct outrec *recs, size_t n,
    enum out_redis_res *res)
{
	size_t i, j;
	bool dup, failed = false;
	int rc, nh, h;

	for (i = 0; i < n; i++)
		res[i] = ORR_FAILED;
	if (r->ctx == NULL)
		return -1;
	for (i = 0; i < n; i++) {
		if ((rc = read_reply(r, &dup, "XADD")) == -1)
			return -1;
		res[i] = rc == 0 ? ORR_REFUSED : dup ? ORR_DUP : ORR_OK;
		failed |= rc == 0;
		/* The live channel is best effort: a refusal is counted. */
		if (kinds[recs[i].kind].publish &&
		    read_reply(r, &dup, "PUBLISH") == -1) {
			for (j = i + 1; j < n; j++)
				res[j] = ORR_FAILED;
			return -1;
		}
		/* The incident hash too: the stream entry is what counts. */
		nh = kinds[recs[i].kind].hash ?
		    incident_hash(r, &recs[i], false) : 0;
		for (h = 0; h < nh; h++)
			if (read_reply(r, &dup, "HSET") == -1) {
				for (j = i + 1; j < n; j++)
					res[j] = ORR_FAILED;
				return -1;
			}
	}
	return failed ? -1 : 0;
}

int
out_redis_write(struct out_redis *r, const struct outrec *recs, size_t n,
    enum out_redis_res *res)
{
	size_t i;

	if (out_redis_send(r, recs, n) == -1) {
		for (i = 0; i < n; i++)
			res[i] = ORR_FAILED;
		return -1;
	}
	return out_redis_recv(r, recs, n, res);
}

int
out_redis_health(struct out_redis *r, const struct outrec *h,
    uint64_t started_unix, uint64_t now_unix)
{
	const char *argv[OUT_REDIS_ARGS];
	size_t lens[OUT_REDIS_ARGS], i;
	char t0[24], t1[24], old[24];
	int argc = 0, ncmd = 0;
	bool dup;

	if (r->ctx == NULL)
		return -1;
	snprintf(t0, sizeof(t0), "%" PRIu64, started_unix);
	snprintf(t1, sizeof(t1), "%" PRIu64, now_unix);
	snprintf(old, sizeof(old), "(%" PRIu64, now_unix > OUT_REDIS_SEEN_KEEP ?
	    now_unix - OUT_REDIS_SEEN_KEEP : 0);
	argv[argc] = "HSET", lens[argc++] = 4;
	argv[argc] = r->k_health, lens[argc++] = strlen(r->k_health);
	argv[argc] = "version", lens[argc++] = 7;
	argv[argc] = r->version, lens[argc++] = strlen(r->version);
	argv[argc] = "started", lens[argc++] = 7;
	argv[argc] = t0, lens[argc++] = strlen(t0);
	argv[argc] = "updated", lens[argc++] = 7;
	argv[argc] = t1, lens[argc++] = strlen(t1);
	for (i = 0; h != NULL && i < h->nflat && argc + 2 <= OUT_REDIS_ARGS;
	    i++) {
		argv[argc] = h->flat[i].name, lens[argc++] = h->name_len[i];
		argv[argc] = h->flat[i].value, lens[argc++] = h->flat[i].len;
	}
	if (redisAppendCommandArgv(r->ctx, argc, argv, lens) != REDIS_OK)
		goto lost;
	ncmd++;
#define CMD(...) do {							\
	const char *a_[] = { __VA_ARGS__ };				\
	size_t l_[sizeof(a_) / sizeof(a_[0])], k_;			\
	for (k_ = 0; k_ < sizeof(a_) / sizeof(a_[0]); k_++)		\
		l_[k_] = strlen(a_[k_]);				\
	if (redisAppendCommandArgv(r->ctx, (int)(sizeof(a_) /		\
	    sizeof(a_[0])), a_, l_) != REDIS_OK)			\
		goto lost;						\
	ncmd++;								\
} while (0)
	if (r->health_ttl[0] != '\0')
		CMD("EXPIRE", r->k_health, r->health_ttl);
	CMD("ZADD", r->k_seen, t1, r->sensor);
	CMD("ZREMRANGEBYSCORE", r->k_seen, "-inf", old);
	if (r->legacy_set)
		CMD("SADD", r->k_sensors, r->sensor);
#undef CMD
	while (ncmd-- > 0)
		if (read_reply(r, &dup, "heartbeat") == -1)
			return -1;
	return 0;
lost:
	ctx_failed(r, "append");
	return -1;
}

bool
out_redis_is_stream(enum rec_kind kind)
{
	return (unsigned)kind < REC_KINDS && kinds[kind].suffix != NULL;
}

enum out_redis_err
out_redis_error(const struct out_redis *r, const char **why)
{
	if (why != NULL)
		*why = r->why;
	return r->err;
}

const char *
out_redis_err_name(enum out_redis_err e)
{
	return (unsigned)e < ORE_COUNT ? err_names[e] : "unknown";
}

const char *
out_redis_url_text(const struct out_redis *r)
{
	return r->url_text;
}

uint64_t
out_redis_errors(const struct out_redis *r, enum out_redis_err e)
{
	return (unsigned)e < ORE_COUNT ? r->errs[e] : 0;
}

const char *
out_redis_mask_url(const char *url, char *buf, size_t len)
{
	const char *auth, *at, *slash, *colon;

	if (strncmp(url, "redis://", 8) != 0) {
		snprintf(buf, len, "%s", url);
		return buf;
	}
	auth = url + 8;
	slash = strchr(auth, '/');
	at = strrchr(auth, '@');
	if (at == NULL || (slash != NULL && slash < at)) {
		snprintf(buf, len, "%s", url);
		return buf;
	}
	colon = memchr(auth, ':', (size_t)(at - auth));
	if (colon == NULL)
		snprintf(buf, len, "redis://*****%s", at);
	else
		snprintf(buf, len, "redis://%.*s:*****%s",
		    (int)(colon - auth), auth, at);
	return buf;
}

void
out_redis_lib_version(int *major, int *minor, int *patch)
{
	*major = HIREDIS_MAJOR;
	*minor = HIREDIS_MINOR;
	*patch = HIREDIS_PATCH;
}
