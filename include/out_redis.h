/*
 * out_redis.h - the Redis sink (hiredis), per DESIGN.md's key layout.
 *
 *   stream  <prefix>:<sensor>:flows    XADD MAXLEN ~ n * json <line> <flat...>
 *   stream  <prefix>:<sensor>:alerts   same shape, alerts only
 *   channel <prefix>:live              PUBLISH of every alert line
 *   set     <prefix>:sensors           SADD sensor name
 *   hash    <prefix>:<sensor>:health   HSET fields + EXPIRE ttl
 *
 * Commands are queued with redisAppendCommandArgv (explicit lengths, never
 * a format string fed with data) and sent as one pipeline by
 * out_redis_flush().  In this version a Redis that goes away makes
 * flush return -1 with one log line; the caller decides to stop.
 */
#ifndef OUT_REDIS_H
#define OUT_REDIS_H

#include <stddef.h>
#include <stdint.h>

#include "stats.h"

struct out_redis;

enum rec_kind { REC_FLOW, REC_ALERT, REC_STATS };

struct out_redis_opts {
	const char	*url;		/* redis://[user:pass@]host[:port][/db] | unix:///path */
	const char	*prefix;	/* "egress" */
	const char	*sensor;	/* sensor name */
	const char	*version;	/* sensor version for the health hash */
	uint32_t	 flows_maxlen;
	uint32_t	 alerts_maxlen;
	uint32_t	 health_ttl;	/* s */
	uint32_t	 timeout_ms;
};

/* A flat field for dashboard filters; value is not NUL-terminated. */
struct out_field {
	const char	*name;
	const char	*value;
	size_t		 len;
};

/*
 * Connects, authenticates, selects the db, registers the sensor in the
 * sensors set.  Logs the cause and returns NULL on failure.  Strings in
 * opts are copied.
 */
struct out_redis *out_redis_open(const struct out_redis_opts *o);
/*
 * Queues one record: REC_FLOW to the flows stream, REC_ALERT to the alerts
 * stream and the live channel, REC_STATS nowhere but the health hash.
 * json/len is the exact NDJSON line without the newline (copied by
 * hiredis).  0 or -1.
 */
int		 out_redis_record(struct out_redis *r, enum rec_kind kind,
		    const char *json, size_t len, const struct out_field *flat,
		    size_t nflat);
/* Queues the health hash: version, started, updated, every stats counter. */
int		 out_redis_health(struct out_redis *r, const struct stats *st,
		    uint64_t started_unix, uint64_t now_unix);
/* Sends everything queued and reads the replies. 0 or -1 (logged). */
int		 out_redis_flush(struct out_redis *r);
void		 out_redis_close(struct out_redis *r);	/* flushes; NULL ok */

/* Parses a URL into its parts; for tests. 0 or -1. */
struct redis_url {
	char	host[256];
	int	port;		/* 6379 default */
	char	path[256];	/* unix socket, "" for TCP */
	char	user[128];
	char	pass[256];
	int	db;
};
int		 out_redis_parse_url(const char *url, struct redis_url *u);

/* hiredis' version (compile time: hiredis has no run-time call). */
void		out_redis_lib_version(int *major, int *minor, int *patch);

#endif /* OUT_REDIS_H */
