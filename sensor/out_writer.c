/*
 * out_writer.c - the writer thread: ring -> NDJSON + Redis (+ spool).
 *
 * The packet thread owns nothing here but the push side of the ring and
 * the ring-full counter.  The writer thread owns the NDJSON file, the
 * Redis connection, the spool and the per-stream entry IDs; it publishes
 * its counters through relaxed atomics that the packet thread copies into
 * struct stats (out_writer_counters).  The order of a record's outputs is
 * Redis (or the spool) first, then the NDJSON line: whatever the NDJSON
 * holds is in Redis or in the spool, even after a SIGKILL.
 *
 * Entry IDs: <packet ms>-0 for a record later than the stream's last ID,
 * else <last ms>-<last seq + 1>; the last ID is the highest of what this
 * writer gave, what the spool holds, the lastid file in the spool
 * directory and the stream's last-generated-id read at every connect.  A
 * record refused by an error reply is certainly not in Redis and gets a
 * new ID when it is spooled; a record whose reply never came keeps its ID,
 * so its replay is refused as "equal or smaller" if it did land.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "out_file.h"
#include "out_writer.h"
#include "spool.h"

#define W_CHUNK		1024		/* records per Redis pipeline */
#define W_BATCH		(1024 * 1024)	/* bytes per ring pop */
#define W_RBUF		(512 * 1024)	/* bytes per spool peek */
#define W_WAIT_MS	100		/* idle wake-up */
#define W_BACKOFF_MIN	250		/* ms before the first reconnect */
#define W_BACKOFF_MAX	5000		/* ms between reconnects at most */
#define W_REPLAY_MS	50		/* replay slice before the ring again */
#define W_IDS_EVERY	2000		/* ms between lastid file updates */

struct w_id {
	uint64_t	ms, seq;
};

/* A batch of records on its way to Redis; two can be in flight. */
struct w_chunk {
	struct outrec	 recs[W_CHUNK];
	uint8_t		*blobs[W_CHUNK];	/* into the batch buffer */
	enum out_redis_res res[W_CHUNK];
	size_t		 n;
	bool		 sent;		/* replies still to read */
};

struct out_writer {
	struct outq	*q;
	struct out_file	*json;
	struct out_redis *redis;
	struct spool	*spool;
	char		 spool_dir[512];
	pthread_t	 thr;
	bool		 started;
	bool		 wait_when_full;
	int		 stop;			/* atomic: the request */
	uint64_t	 c[ST_COUNT];		/* atomics: output rows */
	uint64_t	 started_unix;
	/* Writer thread only from here. */
	uint8_t		*batch;
	uint8_t		*rbuf;
	struct w_chunk	 ch[2];
	struct w_id	 last[REC_KINDS];
	bool		 was_up;	/* "lost" is worth a log line */
	bool		 announce;	/* log "connected" at the next write */
	bool		 replaying;
	bool		 first_try;	/* never connected nor failed yet */
	uint64_t	 replayed_run;	/* replayed in this catch-up */
	uint64_t	 down_since, next_try, backoff;	/* mono ms */
	uint64_t	 ids_saved;	/* mono ms */
	bool		 ids_dirty;
};

static uint64_t
mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void
wc_add(struct out_writer *w, enum stat_id id, uint64_t n)
{
	__atomic_fetch_add(&w->c[id], n, __ATOMIC_RELAXED);
}

static void
wc_set(struct out_writer *w, enum stat_id id, uint64_t v)
{
	__atomic_store_n(&w->c[id], v, __ATOMIC_RELAXED);
}

static void
id_seen(struct out_writer *w, enum rec_kind k, uint64_t ms, uint64_t seq)
{
	if (ms > w->last[k].ms || (ms == w->last[k].ms && seq > w->last[k].seq))
		w->last[k] = (struct w_id){ ms, seq };
}

/* Gives a record the next ID of its stream, in the record and its blob. */
static void
id_assign(struct out_writer *w, struct outrec *r, uint8_t *blob)
{
	struct w_id *l = &w->last[r->kind];
	uint64_t ms = r->ts_us / 1000;

	if (ms > l->ms)
		*l = (struct w_id){ ms, 0 };
	else
		l->seq++;
	r->id_ms = l->ms;
	r->id_seq = l->seq;
	outrec_set_id(blob, l->ms, l->seq);
	w->ids_dirty = true;
}

/* The lastid file: "<kind> <ms> <seq>" lines, replaced by rename. */
static void
ids_save(struct out_writer *w)
{
	char path[600], tmp[600], buf[256];
	int fd, k, n = 0;

	if (w->spool == NULL || !w->ids_dirty)
		return;
	for (k = 0; k < REC_KINDS; k++)
		n += snprintf(buf + n, sizeof(buf) - (size_t)n, "%d %" PRIu64
		    " %" PRIu64 "\n", k, w->last[k].ms, w->last[k].seq);
	snprintf(path, sizeof(path), "%s/lastid", w->spool_dir);
	snprintf(tmp, sizeof(tmp), "%s/lastid.tmp", w->spool_dir);
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
	    0600)) == -1)
		return;
	if (write(fd, buf, (size_t)n) == n && close(fd) == 0)
		rename(tmp, path);
	else
		close(fd);
	w->ids_dirty = false;
	w->ids_saved = mono_ms();
}

static void
ids_load(struct out_writer *w)
{
	char path[600];
	uint64_t ms, seq;
	FILE *fp;
	int k;

	snprintf(path, sizeof(path), "%s/lastid", w->spool_dir);
	if ((fp = fopen(path, "re")) == NULL)
		return;
	while (fscanf(fp, "%d %" SCNu64 " %" SCNu64, &k, &ms, &seq) == 3)
		if (k >= 0 && k < REC_KINDS)
			id_seen(w, (enum rec_kind)k, ms, seq);
	fclose(fp);
}

static void
ids_from_blob(void *arg, const uint8_t *blob, size_t len)
{
	struct out_writer *w = arg;
	struct outrec *r = &w->ch[0].recs[0];

	if (outrec_decode(blob, len, r) == len &&
	    (r->flags & OUTREC_FIXED_ID))
		id_seen(w, r->kind, r->id_ms, r->id_seq);
}

/* Highest IDs in the stream; 0 or -1 (the connection is no good). */
static int
ids_from_redis(struct out_writer *w)
{
	uint64_t ms, seq;
	int k;

	for (k = 0; k < REC_KINDS; k++) {
		if (!out_redis_is_stream((enum rec_kind)k))
			continue;
		if (out_redis_last_id(w->redis, (enum rec_kind)k, &ms,
		    &seq) == -1) {
			out_redis_disconnect(w->redis);
			return -1;
		}
		id_seen(w, (enum rec_kind)k, ms, seq);
	}
	return 0;
}

/* Copies the connection's error counts into the rows. */
static void
note_errors(struct out_writer *w)
{
	static const enum stat_id rows[ORE_COUNT] = {
		[ORE_TIMEOUT] = ST_REDIS_ERR_TIMEOUT,
		[ORE_CONN] = ST_REDIS_ERR_CONN, [ORE_OOM] = ST_REDIS_ERR_OOM,
		[ORE_READONLY] = ST_REDIS_ERR_READONLY,
		[ORE_AUTH] = ST_REDIS_ERR_AUTH,
		[ORE_NOPERM] = ST_REDIS_ERR_NOPERM,
		[ORE_OTHER] = ST_REDIS_ERR_OTHER,
	};
	int e;

	for (e = ORE_TIMEOUT; e < ORE_COUNT; e++)
		wc_set(w, rows[e], out_redis_errors(w->redis,
		    (enum out_redis_err)e));
}

static void
gauges(struct out_writer *w)
{
	const struct spool_counts *sc;

	wc_set(w, ST_OUT_RING_HIGH, outq_high_water(w->q));
	if (w->spool == NULL)
		return;
	sc = spool_counts(w->spool);
	wc_set(w, ST_REDIS_BACKLOG, spool_records(w->spool));
	wc_set(w, ST_REDIS_DROPPED_FULL, sc->dropped_full);
	wc_set(w, ST_REDIS_SPOOL_TORN, sc->torn);
	wc_set(w, ST_REDIS_SPOOL_IO, sc->io_errors);
}

/* Redis stopped taking writes: one line when it had been taking them. */
static void
went_down(struct out_writer *w)
{
	const char *why;
	uint64_t now = mono_ms();

	out_redis_error(w->redis, &why);
	note_errors(w);
	out_redis_disconnect(w->redis);
	if (w->down_since == 0)
		w->down_since = now;
	if (w->was_up) {
		if (w->spool != NULL)
			log_warnx("redis: lost %s: %s; spooling to %s",
			    out_redis_url_text(w->redis), why, w->spool_dir);
		else
			log_warnx("redis: lost %s: %s; records are dropped "
			    "until it is back (no spool configured)",
			    out_redis_url_text(w->redis), why);
		w->down_since = now;
		w->backoff = W_BACKOFF_MIN;
	} else if (w->backoff < W_BACKOFF_MAX) {
		w->backoff = w->backoff ? w->backoff * 2 : W_BACKOFF_MIN;
		if (w->backoff > W_BACKOFF_MAX)
			w->backoff = W_BACKOFF_MAX;
	}
	w->was_up = w->announce = false;
	w->next_try = now + w->backoff;
}

/* A write went through: the first one after a reconnect is logged. */
static void
write_ok(struct out_writer *w)
{
	if (w->announce)
		log_warnx("redis: connected to %s again after %" PRIu64 " s",
		    out_redis_url_text(w->redis),
		    (mono_ms() - w->down_since) / 1000);
	w->announce = false;
	w->down_since = 0;
	w->was_up = true;
}

/* A record Redis does not have: to the spool, or lost (counted). */
static void
to_spool(struct out_writer *w, struct outrec *r, uint8_t *blob, bool refused)
{
	if (w->spool == NULL) {
		wc_add(w, ST_REDIS_DROPPED_DOWN, 1);
		return;
	}
	if (refused)	/* certainly not written: a fresh ID is safe */
		id_assign(w, r, blob);
	if (spool_append(w->spool, blob, outrec_len(blob)) == 0)
		wc_add(w, ST_REDIS_SPOOLED, 1);
}

/* Sorts the replies of a write into counters and the spool. */
static void
account(struct out_writer *w, struct w_chunk *c, size_t n, bool respool)
{
	size_t i;

	for (i = 0; i < n; i++) {
		switch (c->res[i]) {
		case ORR_OK:
			wc_add(w, ST_REDIS_WRITTEN, 1);
			break;
		case ORR_DUP:
			wc_add(w, ST_REDIS_DUPS, 1);
			break;
		case ORR_REFUSED:
		case ORR_FAILED:
			if (respool)
				to_spool(w, &c->recs[i], c->blobs[i],
				    c->res[i] == ORR_REFUSED);
			break;
		}
	}
}

/* The chunk's records are settled: its NDJSON lines, in ring order. */
static void
chunk_json(struct out_writer *w, struct w_chunk *c)
{
	size_t i;

	for (i = 0; w->json != NULL && i < c->n; i++)
		out_file_write(w->json, c->recs[i].json, c->recs[i].json_len);
	c->n = 0;
	c->sent = false;
}

/* Reads the replies of a chunk in flight and settles it. */
static void
chunk_finish(struct out_writer *w, struct w_chunk *c)
{
	if (c->sent) {
		if (out_redis_recv(w->redis, c->recs, c->n, c->res) == 0)
			write_ok(w);
		else if (out_redis_connected(w->redis) ||
		    w->was_up || w->announce)
			went_down(w);
		account(w, c, c->n, true);
	}
	chunk_json(w, c);
}

/*
 * A full chunk of ring records, IDs set: sent to Redis while the previous
 * one's replies are read (two batches in flight keep Redis busy), or
 * spooled while Redis is away or the spool has a backlog.
 */
static void
chunk_go(struct out_writer *w, struct w_chunk *c, struct w_chunk *prev)
{
	size_t i;

	if (w->redis != NULL && out_redis_connected(w->redis) &&
	    (w->spool == NULL || spool_records(w->spool) == 0)) {
		if (out_redis_send(w->redis, c->recs, c->n) == 0) {
			c->sent = true;
			chunk_finish(w, prev);
			return;
		}
		chunk_finish(w, prev);	/* its replies are lost too */
		went_down(w);
	}
	chunk_finish(w, prev);
	if (w->redis != NULL)
		for (i = 0; i < c->n; i++)
			to_spool(w, &c->recs[i], c->blobs[i], false);
	chunk_json(w, c);
}

static void
health(struct out_writer *w, const struct outrec *h)
{
	if (w->redis == NULL || !out_redis_connected(w->redis))
		return;
	if (out_redis_health(w->redis, h, w->started_unix,
	    (uint64_t)time(NULL)) == -1)
		went_down(w);
}

/* One popped batch: decode, IDs, Redis or spool, then NDJSON. */
static void
batch(struct out_writer *w, size_t len)
{
	struct w_chunk *c = &w->ch[0], *prev = &w->ch[1], *t;
	struct outrec *r;
	size_t off = 0, rl;
	uint8_t *p;

	while (off < len) {
		p = w->batch + off;
		r = &c->recs[c->n];
		if ((rl = outrec_decode(p, len - off, r)) == 0)
			break;	/* cannot happen: the ring holds blobs */
		off += rl;
		if (r->kind == REC_HEALTH) {
			health(w, r);
			continue;
		}
		if (r->kind == REC_REOPEN) {
			/* Everything before it goes to the old file. */
			if (c->n > 0) {
				chunk_go(w, c, prev);
				t = prev, prev = c, c = t;
			}
			chunk_finish(w, prev);
			out_file_reopen(w->json);
			continue;
		}
		c->blobs[c->n] = p;
		id_assign(w, r, p);
		if (++c->n < W_CHUNK && off < len)
			continue;
		chunk_go(w, c, prev);
		t = prev, prev = c, c = t;
	}
	if (c->n > 0) {
		chunk_go(w, c, prev);
		prev = c;
	}
	chunk_finish(w, prev);
	if (w->json != NULL)
		out_file_flush(w->json);
}

/*
 * One replay round: up to W_CHUNK spooled records to Redis.  Records known
 * written (or already there) are consumed; refused ones go back to the
 * tail with a fresh ID; those in flight when the connection went stay.
 * 0, or -1 when Redis failed (the caller marks it down).
 */
static int
replay_once(struct out_writer *w)
{
	struct w_chunk *c = &w->ch[0];
	size_t len, nrec, off = 0, n = 0, i, keep, good = 0;
	int rc;

	if ((len = spool_peek(w->spool, w->rbuf, W_RBUF, &nrec)) == 0)
		return 0;
	while (off < len && n < W_CHUNK &&
	    (i = outrec_decode(w->rbuf + off, len - off, &c->recs[n])) > 0) {
		c->blobs[n++] = w->rbuf + off;
		off += i;
	}
	rc = out_redis_write(w->redis, c->recs, n, c->res);
	for (keep = 0; keep < n && c->res[keep] != ORR_FAILED; keep++)
		if (c->res[keep] != ORR_REFUSED)
			good++;
	account(w, c, keep, false);
	for (i = 0; i < keep; i++)
		if (c->res[i] == ORR_REFUSED)
			to_spool(w, &c->recs[i], c->blobs[i], true);
	wc_add(w, ST_REDIS_REPLAYED, good);
	w->replayed_run += good;
	spool_consume(w->spool, keep);
	if (rc == -1)
		return -1;
	write_ok(w);
	return 0;
}

/* Replays for up to W_REPLAY_MS (forever when final) while Redis takes it. */
static void
replay(struct out_writer *w, bool final)
{
	uint64_t t0 = mono_ms(), backlog;

	while (out_redis_connected(w->redis) &&
	    (backlog = spool_records(w->spool)) > 0) {
		if (!w->replaying) {
			log_warnx("redis: replaying %" PRIu64 " records from "
			    "the spool", backlog);
			w->replaying = true;
			w->replayed_run = 0;
		}
		if (replay_once(w) == -1) {
			went_down(w);
			return;
		}
		if (!final && mono_ms() - t0 >= W_REPLAY_MS)
			return;
	}
	if (w->replaying && spool_records(w->spool) == 0) {
		log_warnx("redis: caught up, %" PRIu64 " records replayed",
		    w->replayed_run);
		w->replaying = false;
	}
}

/* Redis cannot be reached at start: said once, then spooling. */
static void
first_failed(struct out_writer *w)
{
	const char *why;

	out_redis_error(w->redis, &why);
	log_warnx("redis: cannot reach %s: %s; spooling to %s",
	    out_redis_url_text(w->redis), why, w->spool_dir);
	w->first_try = false;
	went_down(w);
}

/* One connection attempt; 0 connected, -1 not (state updated). */
static int
try_connect(struct out_writer *w)
{
	if (out_redis_connect(w->redis) == -1 || ids_from_redis(w) == -1) {
		if (w->first_try)
			first_failed(w);
		else
			went_down(w);
		return -1;
	}
	if (w->first_try) {
		log_info("redis: connected to %s", out_redis_url_text(w->redis));
		w->was_up = true;
	} else {
		wc_add(w, ST_REDIS_RECONNECTS, 1);
		w->announce = true;
	}
	w->first_try = false;
	return 0;
}

/* Between batches: reconnect when it is time, replay the spool. */
static void
redis_tick(struct out_writer *w, bool final)
{
	if (w->redis == NULL)
		return;
	/*
	 * A reconnect may block for timeout_ms: not while the packet thread
	 * waits for a drain or for the stop (the final attempt is below).
	 */
	if (!out_redis_connected(w->redis) && (mono_ms() < w->next_try ||
	    outq_syncing(w->q) || __atomic_load_n(&w->stop,
	    __ATOMIC_ACQUIRE) || try_connect(w) == -1))
		return;
	if (w->spool != NULL)
		replay(w, final);
	note_errors(w);
}

static void *
writer_main(void *arg)
{
	struct out_writer *w = arg;
	size_t len, nrec;
	bool stop;

	redis_tick(w, false);	/* the first connection, if not made yet */
	for (;;) {
		stop = __atomic_load_n(&w->stop, __ATOMIC_ACQUIRE);
		len = outq_pop(w->q, w->batch, W_BATCH, stop ? 0 : W_WAIT_MS,
		    &nrec);
		if (len > 0)
			batch(w, len);
		redis_tick(w, false);
		gauges(w);
		if (mono_ms() - w->ids_saved >= W_IDS_EVERY)
			ids_save(w);
		if (nrec > 0)
			outq_done(w->q, nrec);
		if (stop && len == 0 && outq_empty(w->q))
			break;
	}
	/* Shutdown: what Redis takes now is not left for the next run. */
	if (w->redis != NULL && w->spool != NULL &&
	    spool_records(w->spool) > 0 && (out_redis_connected(w->redis) ||
	    (mono_ms() >= w->next_try && try_connect(w) == 0)))
		replay(w, true);
	ids_save(w);
	gauges(w);
	if (w->redis != NULL)
		note_errors(w);
	return NULL;
}

/*
 * The first connection.  Without a spool Redis must be there now (the
 * caller stops); with one, the writer thread connects, so start-up never
 * waits on Redis either.
 */
static int
first_connect(struct out_writer *w)
{
	const char *why;

	w->first_try = true;
	if (w->spool != NULL)
		return 0;
	if (out_redis_connect(w->redis) == 0 && ids_from_redis(w) == 0) {
		log_info("redis: connected to %s",
		    out_redis_url_text(w->redis));
		w->was_up = true;
		w->first_try = false;
		note_errors(w);
		return 0;
	}
	out_redis_error(w->redis, &why);
	log_warnx("redis: connect %s: %s", out_redis_url_text(w->redis), why);
	return -1;
}

static int
open_outputs(struct out_writer *w, const struct out_writer_opts *o)
{
	if (o->json_path != NULL && o->json_path[0] != '\0' &&
	    (w->json = out_file_open(o->json_path)) == NULL)
		return -1;
	if (o->redis == NULL)
		return 0;
	if ((w->redis = out_redis_new(o->redis)) == NULL)
		return -1;
	if (o->spool_dir != NULL && o->spool_dir[0] != '\0') {
		snprintf(w->spool_dir, sizeof(w->spool_dir), "%s",
		    o->spool_dir);
		if ((w->spool = spool_open(o->spool_dir,
		    o->spool_max_bytes)) == NULL)
			return -1;
		ids_load(w);
		spool_scan(w->spool, ids_from_blob, w);
		if (spool_records(w->spool) > 0)
			log_warnx("spool: %" PRIu64 " records from an earlier "
			    "run to replay", spool_records(w->spool));
	}
	return first_connect(w);
}

static int
start_thread(struct out_writer *w)
{
	sigset_t all, old;
	int rc;

	/* Signals are for the packet thread (main.c's flags). */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	rc = pthread_create(&w->thr, NULL, writer_main, w);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc != 0) {
		errno = rc;
		log_warn("writer: pthread_create");
		return -1;
	}
	w->started = true;
	return 0;
}

static void
writer_free(struct out_writer *w)
{
	spool_close(w->spool);
	out_redis_free(w->redis);
	outq_free(w->q);
	free(w->batch);
	free(w->rbuf);
	free(w);
}

struct out_writer *
out_writer_open(const struct out_writer_opts *o)
{
	struct out_writer *w;

	if ((w = calloc(1, sizeof(*w))) == NULL ||
	    (w->batch = malloc(W_BATCH)) == NULL ||
	    (w->rbuf = malloc(W_RBUF)) == NULL) {
		log_warn("writer: calloc");
		if (w != NULL)
			writer_free(w);
		return NULL;
	}
	w->wait_when_full = o->wait_when_full;
	w->started_unix = o->started_unix;
	if ((w->q = outq_new(o->ring_bytes)) == NULL ||
	    open_outputs(w, o) == -1 || start_thread(w) == -1) {
		out_file_close(w->json);
		writer_free(w);
		return NULL;
	}
	return w;
}

int
out_writer_push(struct out_writer *w, enum rec_kind kind, uint64_t ts_us,
    const char *json, size_t len, const struct out_field *flat, size_t nflat)
{
	if (outq_push(w->q, kind, ts_us, json, len, flat, nflat,
	    w->wait_when_full) == 0)
		return 0;
	wc_add(w, ST_OUT_DROPPED_RING, 1);
	return -1;
}

void
out_writer_health(struct out_writer *w, const struct stats *st)
{
	struct out_field f[ST_COUNT];
	char nums[ST_COUNT][24];
	size_t n = 0;
	int i, len;

	if (w->redis == NULL)
		return;
	for (i = 0; i < ST_COUNT && n < OUTREC_MAX_FLAT; i++) {
		len = snprintf(nums[n], sizeof(nums[n]), "%" PRIu64, st->v[i]);
		f[n] = (struct out_field){ stats_name((enum stat_id)i),
		    nums[n], (size_t)len };
		n++;
	}
	/* A heartbeat may wait for room: it is not on the packet path. */
	(void)outq_push(w->q, REC_HEALTH, 0, "", 0, f, n, w->wait_when_full);
}

void
out_writer_sync(struct out_writer *w)
{
	outq_sync(w->q);
}

void
out_writer_reopen(struct out_writer *w)
{
	/* A marker in the ring: the records before it stay in the old file. */
	(void)outq_push(w->q, REC_REOPEN, 0, "", 0, NULL, 0, true);
}

bool
out_writer_has_redis(const struct out_writer *w)
{
	return w != NULL && w->redis != NULL;
}

void
out_writer_counters(struct out_writer *w, struct stats *st)
{
	int i;

	for (i = ST_OUT_FIRST; i < ST_COUNT; i++)
		st->v[i] = __atomic_load_n(&w->c[i], __ATOMIC_RELAXED);
	/* Records the Redis output will never have. */
	st->v[ST_REDIS_ERRORS] = st->v[ST_REDIS_DROPPED_DOWN] +
	    st->v[ST_REDIS_DROPPED_FULL] + st->v[ST_REDIS_SPOOL_IO] +
	    (w->redis != NULL ? st->v[ST_OUT_DROPPED_RING] : 0);
}

int
out_writer_chown(struct out_writer *w, uid_t uid, gid_t gid)
{
	int rc = out_file_chown(w->json, uid, gid);

	if (w->spool != NULL && spool_chown(w->spool, uid, gid) == -1)
		rc = -1;
	return rc;
}

int
out_writer_close(struct out_writer *w, struct stats *st)
{
	int rc;

	if (w == NULL)
		return 0;
	if (w->started) {
		__atomic_store_n(&w->stop, 1, __ATOMIC_RELEASE);
		outq_kick(w->q);
		pthread_join(w->thr, NULL);
	}
	if (w->spool != NULL && spool_records(w->spool) > 0)
		log_warnx("spool: %" PRIu64 " records left in %s for the "
		    "next run", spool_records(w->spool), w->spool_dir);
	if (st != NULL)
		out_writer_counters(w, st);
	rc = out_file_close(w->json);
	writer_free(w);
	return rc;
}
