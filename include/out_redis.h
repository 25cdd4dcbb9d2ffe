/*
 * out_redis.h - the Redis connection of the writer thread (hiredis), per
 * README's key layout.  Called from the writer thread only (out_writer.h);
 * the packet thread never touches it.
 *
 *   stream  <prefix>:<sensor>:flows    XADD MAXLEN ~ n <id> json <line> <flat...>
 *   stream  <prefix>:<sensor>:alerts   same shape, alerts only
 *   stream  <prefix>:<sensor>:stats    stats records
 *   channel <prefix>:live              PUBLISH of every alert line
 *   zset    <prefix>:sensors:seen      sensor name scored by last heartbeat
 *   set     <prefix>:sensors           legacy (until the documented migration)
 *   stream  <prefix>:<sensor>:incidents  incident records, and
 *   hash    <prefix>:<sensor>:incident:<id>  HSET json + flat, EXPIRE
 *           incident_ttl; DEL when the incident's window closes it
 *   hash    <prefix>:<sensor>:health   HSET fields + EXPIRE ttl
 *
 * Every entry ID is chosen by the writer (<ms>-<seq>), so a record sent
 * twice is refused by Redis itself ("equal or smaller"), which counts as
 * already written.  A new record kind is one row in out_redis.c's stream
 * table plus its maxlen here.
 */
#ifndef OUT_REDIS_H
#define OUT_REDIS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "outq.h"

struct out_redis;

struct out_redis_opts {
	const char	*url;		/* redis://[user:pass@]host[:port][/db] | unix:///path */
	const char	*prefix;	/* "egress" */
	const char	*sensor;	/* sensor name */
	const char	*version;	/* sensor version for the health hash */
	const char	*user;		/* ACL user when the URL names none */
	const char	*password;	/* overrides the URL's; NULL = URL's */
	uint32_t	 maxlen[REC_KINDS];	/* MAXLEN ~ per stream, 0 none */
	uint32_t	 health_ttl;	/* s */
	uint32_t	 timeout_ms;
	bool		 legacy_set;	/* also SADD <prefix>:sensors */
	uint32_t	 incident_ttl;	/* s, EXPIRE of incident hashes */
};

/* Why Redis did not take a write. */
enum out_redis_err {
	ORE_NONE, ORE_TIMEOUT, ORE_CONN, ORE_OOM, ORE_READONLY, ORE_AUTH,
	ORE_NOPERM, ORE_OTHER, ORE_COUNT
};

/*
 * The outcome of one record of a write: written, already there, refused
 * by an error reply (certainly not written), or unknown (the connection
 * went while the command was in flight).
 */
enum out_redis_res { ORR_OK, ORR_DUP, ORR_REFUSED, ORR_FAILED };

/* Parses the URL and builds the keys; no connection yet.  NULL (logged). */
struct out_redis *out_redis_new(const struct out_redis_opts *o);
void		 out_redis_free(struct out_redis *r);	/* NULL ok */
/* Connects, AUTH, SELECT.  0, or -1 (out_redis_error says why). */
int		 out_redis_connect(struct out_redis *r);
bool		 out_redis_connected(const struct out_redis *r);
void		 out_redis_disconnect(struct out_redis *r);
/* The stream's last-generated-id (0-0 when there is no stream). 0 / -1. */
int		 out_redis_last_id(struct out_redis *r, enum rec_kind kind,
		    uint64_t *ms, uint64_t *seq);
/*
 * Writes n stream records (each with its ID set) as one pipeline and reads
 * every reply into res[i].  Returns 0 when every record is OK or DUP,
 * else -1 (a lost connection also closes the context).
 */
int		 out_redis_write(struct out_redis *r, const struct outrec *recs,
		    size_t n, enum out_redis_res *res);
/*
 * The same in two halves, so that two batches can be in flight: send
 * appends and writes every command (0, or -1 with the context closed),
 * recv reads the replies of the oldest batch sent.
 */
int		 out_redis_send(struct out_redis *r, const struct outrec *recs,
		    size_t n);
int		 out_redis_recv(struct out_redis *r, const struct outrec *recs,
		    size_t n, enum out_redis_res *res);
/*
 * The heartbeat: HSET health (version, started, updated, every flat field
 * of the health record), EXPIRE, ZADD sensors:seen now, SADD (legacy).
 */
int		 out_redis_health(struct out_redis *r, const struct outrec *h,
		    uint64_t started_unix, uint64_t now_unix);
/* True when records of this kind go to a stream. */
bool		 out_redis_is_stream(enum rec_kind kind);
/* The last failure: kind and a short text (never a password). */
enum out_redis_err out_redis_error(const struct out_redis *r,
		    const char **why);
const char	*out_redis_err_name(enum out_redis_err e);
const char	*out_redis_url_text(const struct out_redis *r);
/* Error replies and lost connections by kind, all time. */
uint64_t	 out_redis_errors(const struct out_redis *r,
		    enum out_redis_err e);

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

/*
 * Copies url into buf (len bytes) with the password replaced by five
 * stars (the user part, when there is one, stays), for messages: a
 * password is never printed.
 */
const char	*out_redis_mask_url(const char *url, char *buf, size_t len);
/* hiredis' version (compile time: hiredis has no run-time call). */
void		out_redis_lib_version(int *major, int *minor, int *patch);

#endif /* OUT_REDIS_H */
