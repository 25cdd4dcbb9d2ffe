/*
 * outq.c - the record blob and the bounded ring between the packet thread
 * and the writer thread (see outq.h).
 *
 * The ring owns one buffer allocated at start-up; records are stored
 * contiguously, and a record that does not fit before the end of the
 * buffer starts again at offset 0 (a zero length word, or fewer than four
 * bytes left, tells the reader to wrap).  One mutex guards the indices
 * and the copy in, so any number of threads may push;
 * `more` wakes the consumer, `room` a producer waiting for space (file
 * mode), `idle` a producer waiting in outq_sync.  Nothing here does I/O.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "log.h"
#include "outq.h"

#define OUTQ_MIN	(64 * 1024)

struct outq {
	pthread_mutex_t	 mu;
	pthread_cond_t	 more;		/* signalled on push and kick */
	pthread_cond_t	 room;		/* signalled on pop */
	pthread_cond_t	 idle;		/* signalled on done */
	uint8_t		*buf;
	size_t		 cap;
	size_t		 rd, wr;	/* read and write offsets */
	size_t		 used;		/* bytes in use, wrap padding included */
	size_t		 high;		/* high-water mark of used */
	uint64_t	 pushed, done;	/* records */
	bool		 kicked;
	bool		 sleeping;	/* the consumer waits on `more` */
	int		 syncing;	/* producers waiting in outq_sync */
};

/*
 * A flow record wakes a sleeping writer only once this much is queued:
 * a wake-up costs a futex call and a context switch, more than the
 * record.  Anything else (alerts, incidents, stats) wakes it at once, and
 * the writer's own idle timeout bounds how long flow records wait.
 */
#define OUTQ_WAKE_BYTES	(64 * 1024)

static void
put32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, 4);
}

static void
put64(uint8_t *p, uint64_t v)
{
	memcpy(p, &v, 8);
}

static uint32_t
get32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return v;
}

static uint64_t
get64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, 8);
	return v;
}

static uint16_t
get16(const uint8_t *p)
{
	uint16_t v;

	memcpy(&v, p, 2);
	return v;
}

size_t
outrec_size(size_t json_len, const struct out_field *flat, size_t nflat)
{
	size_t n = OUTREC_HDR + json_len, i, nl;

	if (nflat > OUTREC_MAX_FLAT || json_len > UINT32_MAX / 2)
		return 0;
	for (i = 0; i < nflat; i++) {
		nl = strlen(flat[i].name);
		if (nl > UINT16_MAX || flat[i].len > UINT16_MAX)
			return 0;
		n += 4 + nl + flat[i].len;
	}
	return n > UINT32_MAX / 2 ? 0 : n;
}

size_t
outrec_encode(uint8_t *dst, size_t size, enum rec_kind kind, uint64_t ts_us,
    const char *json, size_t json_len, const struct out_field *flat,
    size_t nflat)
{
	size_t o = OUTREC_HDR, i;
	uint16_t nl, vl, nf = (uint16_t)nflat;

	put32(dst, (uint32_t)size);
	dst[4] = (uint8_t)kind;
	dst[5] = 0;
	memcpy(dst + 6, &nf, 2);
	put64(dst + 8, ts_us);
	put64(dst + 16, 0);
	put64(dst + 24, 0);
	put32(dst + 32, (uint32_t)json_len);
	memcpy(dst + o, json, json_len);
	o += json_len;
	for (i = 0; i < nflat; i++) {
		nl = (uint16_t)strlen(flat[i].name);
		vl = (uint16_t)flat[i].len;
		memcpy(dst + o, &nl, 2);
		memcpy(dst + o + 2, &vl, 2);
		memcpy(dst + o + 4, flat[i].name, nl);
		if (vl > 0)
			memcpy(dst + o + 4 + nl, flat[i].value, vl);
		o += 4 + (size_t)nl + vl;
	}
	return o;
}

uint32_t
outrec_len(const uint8_t *p)
{
	return get32(p);
}

void
outrec_set_id(uint8_t *blob, uint64_t id_ms, uint64_t id_seq)
{
	blob[5] |= OUTREC_FIXED_ID;
	put64(blob + 16, id_ms);
	put64(blob + 24, id_seq);
}

size_t
outrec_decode(const uint8_t *p, size_t avail, struct outrec *r)
{
	size_t len, o = OUTREC_HDR, i, nl, vl;

	if (avail < OUTREC_HDR || (len = get32(p)) < OUTREC_HDR ||
	    len > avail || p[4] >= REC_KINDS)
		return 0;
	r->kind = (enum rec_kind)p[4];
	r->flags = p[5];
	r->nflat = get16(p + 6);
	r->ts_us = get64(p + 8);
	r->id_ms = get64(p + 16);
	r->id_seq = get64(p + 24);
	r->json_len = get32(p + 32);
	if (r->nflat > OUTREC_MAX_FLAT || r->json_len > len - o)
		return 0;
	r->json = (const char *)(p + o);
	o += r->json_len;
	for (i = 0; i < r->nflat; i++) {
		if (len - o < 4)
			return 0;
		nl = get16(p + o);
		vl = get16(p + o + 2);
		if (nl + vl > len - o - 4)
			return 0;
		r->flat[i].name = (const char *)(p + o + 4);
		r->name_len[i] = nl;
		r->flat[i].value = (const char *)(p + o + 4 + nl);
		r->flat[i].len = vl;
		o += 4 + nl + vl;
	}
	return o == len ? len : 0;
}

struct outq *
outq_new(size_t cap)
{
	struct outq *q;

	if (cap < OUTQ_MIN)
		cap = OUTQ_MIN;
	if ((q = calloc(1, sizeof(*q))) == NULL ||
	    (q->buf = malloc(cap)) == NULL) {
		log_warn("outq: %zu bytes", cap);
		free(q);
		return NULL;
	}
	q->cap = cap;
	pthread_mutex_init(&q->mu, NULL);
	pthread_cond_init(&q->more, NULL);
	pthread_cond_init(&q->room, NULL);
	pthread_cond_init(&q->idle, NULL);
	return q;
}

void
outq_free(struct outq *q)
{
	if (q == NULL)
		return;
	pthread_mutex_destroy(&q->mu);
	pthread_cond_destroy(&q->more);
	pthread_cond_destroy(&q->room);
	pthread_cond_destroy(&q->idle);
	free(q->buf);
	free(q);
}

/* Where n bytes go: sets *pos and *pad (bytes skipped at the end). */
static bool
outq_room(struct outq *q, size_t n, size_t *pos, size_t *pad)
{
	if (q->used == 0)
		q->rd = q->wr = 0;
	*pad = 0;
	if (q->used > 0 && q->wr <= q->rd) {	/* free: [wr, rd) */
		*pos = q->wr;
		return q->rd - q->wr >= n;
	}
	if (q->cap - q->wr >= n) {		/* free: [wr, cap) [0, rd) */
		*pos = q->wr;
		return true;
	}
	*pad = q->cap - q->wr;
	*pos = 0;
	return q->rd >= n;
}

int
outq_push(struct outq *q, enum rec_kind kind, uint64_t ts_us,
    const char *json, size_t len, const struct out_field *flat, size_t nflat,
    bool wait)
{
	size_t n, pos, pad;

	if ((n = outrec_size(len, flat, nflat)) == 0 || n > q->cap / 2)
		return -1;
	pthread_mutex_lock(&q->mu);
	while (!outq_room(q, n, &pos, &pad)) {
		if (!wait) {
			pthread_mutex_unlock(&q->mu);
			return -1;
		}
		pthread_cond_wait(&q->room, &q->mu);
	}
	if (pad >= 4)
		put32(q->buf + q->wr, 0);	/* wrap marker */
	outrec_encode(q->buf + pos, n, kind, ts_us, json, len, flat, nflat);
	q->wr = pos + n;
	q->used += pad + n;
	if (q->used > q->high)
		q->high = q->used;
	q->pushed++;
	if (q->sleeping && (kind != REC_FLOW || q->used >= OUTQ_WAKE_BYTES ||
	    q->used >= q->cap / 4))
		pthread_cond_signal(&q->more);
	pthread_mutex_unlock(&q->mu);
	return 0;
}

static void
deadline(struct timespec *ts, unsigned ms)
{
	clock_gettime(CLOCK_REALTIME, ts);
	ts->tv_sec += ms / 1000;
	ts->tv_nsec += (long)(ms % 1000) * 1000000L;
	if (ts->tv_nsec >= 1000000000L) {
		ts->tv_sec++;
		ts->tv_nsec -= 1000000000L;
	}
}

size_t
outq_pop(struct outq *q, uint8_t *dst, size_t cap, unsigned wait_ms,
    size_t *nrec)
{
	struct timespec ts;
	size_t out = 0, len;

	*nrec = 0;
	pthread_mutex_lock(&q->mu);
	if (q->used == 0 && !q->kicked && wait_ms > 0) {
		deadline(&ts, wait_ms);
		q->sleeping = true;
		while (q->used == 0 && !q->kicked &&
		    pthread_cond_timedwait(&q->more, &q->mu, &ts) != ETIMEDOUT)
			;
		q->sleeping = false;
	}
	q->kicked = false;
	while (q->used > 0) {
		if (q->cap - q->rd < 4 || get32(q->buf + q->rd) == 0) {
			q->used -= q->cap - q->rd;
			q->rd = 0;
			continue;
		}
		len = get32(q->buf + q->rd);
		if (len > cap - out)
			break;
		memcpy(dst + out, q->buf + q->rd, len);
		out += len;
		q->rd += len;
		q->used -= len;
		(*nrec)++;
	}
	if (out > 0)	/* every waiting producer: several may push */
		pthread_cond_broadcast(&q->room);
	pthread_mutex_unlock(&q->mu);
	return out;
}

void
outq_done(struct outq *q, size_t nrec)
{
	pthread_mutex_lock(&q->mu);
	q->done += nrec;
	pthread_cond_broadcast(&q->idle);
	pthread_mutex_unlock(&q->mu);
}

void
outq_sync(struct outq *q)
{
	pthread_mutex_lock(&q->mu);
	q->kicked = true;
	q->syncing++;
	pthread_cond_signal(&q->more);
	while (q->done < q->pushed)
		pthread_cond_wait(&q->idle, &q->mu);
	q->syncing--;
	pthread_mutex_unlock(&q->mu);
}

void
outq_kick(struct outq *q)
{
	pthread_mutex_lock(&q->mu);
	q->kicked = true;
	pthread_cond_signal(&q->more);
	pthread_mutex_unlock(&q->mu);
}

size_t
outq_high_water(struct outq *q)
{
	size_t h;

	pthread_mutex_lock(&q->mu);
	h = q->high;
	pthread_mutex_unlock(&q->mu);
	return h;
}

bool
outq_syncing(struct outq *q)
{
	bool b;

	pthread_mutex_lock(&q->mu);
	b = q->syncing > 0;
	pthread_mutex_unlock(&q->mu);
	return b;
}

bool
outq_empty(struct outq *q)
{
	bool e;

	pthread_mutex_lock(&q->mu);
	e = q->used == 0;
	pthread_mutex_unlock(&q->mu);
	return e;
}
