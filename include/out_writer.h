/*
 * out_writer.h - the outputs behind the packet thread: a bounded ring of
 * finished records (outq.h) and one writer thread that owns the NDJSON
 * file, the Redis connection (out_redis.h) and the disk spool (spool.h).
 *
 * The packet thread only pushes records (a memcpy into the ring); it never
 * calls hiredis and never blocks on disk.  The writer appends each record
 * to the NDJSON file and writes it to Redis in pipelined batches; while
 * Redis does not take writes (down, slow past its timeout, OOM, READONLY,
 * NOAUTH/WRONGPASS, NOPERM) it appends to the spool and replays it in
 * order when Redis is back.  Entry IDs are <packet ms>-<seq>, strictly
 * increasing per stream and never below the stream's last-generated-id
 * read at each connect, so a replay never duplicates.  One log line per
 * state change: connected, lost (why), spooling, replaying N, caught up.
 */
#ifndef OUT_WRITER_H
#define OUT_WRITER_H

#include <sys/types.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "out_redis.h"
#include "outq.h"
#include "stats.h"

struct out_writer;

struct out_writer_opts {
	const char	*json_path;	/* NULL or "" none, "-" stdout */
	const struct out_redis_opts *redis;	/* NULL = no Redis */
	const char	*spool_dir;	/* NULL or "" = no spool */
	uint64_t	 spool_max_bytes;
	size_t		 ring_bytes;
	bool		 wait_when_full; /* files: wait for room, never drop */
	uint64_t	 started_unix;	/* for the health hash */
};

/*
 * Opens the NDJSON file (appending), the spool, connects to Redis and
 * starts the writer thread.  Redis down at start is fatal (NULL) only
 * without a spool.  NULL on failure (logged).
 */
struct out_writer *out_writer_open(const struct out_writer_opts *o);
/*
 * Packet thread: queues one record (copied).  0, or -1 when the ring is
 * full (dropped and counted as out_dropped_ring_full).
 */
int		 out_writer_push(struct out_writer *w, enum rec_kind kind,
		    uint64_t ts_us, const char *json, size_t len,
		    const struct out_field *flat, size_t nflat);
/* Packet thread: queues a heartbeat carrying every counter of st. */
void		 out_writer_health(struct out_writer *w, const struct stats *st);
/* Packet thread: waits until every record pushed so far is handled. */
void		 out_writer_sync(struct out_writer *w);
/* Asks the writer to reopen the NDJSON file (SIGHUP, log rotation). */
void		 out_writer_reopen(struct out_writer *w);
/* Copies the writer's counters into st's output rows. */
void		 out_writer_counters(struct out_writer *w, struct stats *st);
bool		 out_writer_has_redis(const struct out_writer *w);
/* Gives the NDJSON file and spool to uid/gid (before dropping root). */
int		 out_writer_chown(struct out_writer *w, uid_t uid, gid_t gid);
/*
 * Drains the ring, replays what it can, sends a last heartbeat, stops the
 * thread and closes everything; the final counters go to st (NULL ok).
 * -1 if the NDJSON output failed.  w NULL ok.
 */
int		 out_writer_close(struct out_writer *w, struct stats *st);

#endif /* OUT_WRITER_H */
