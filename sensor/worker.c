/*
 * worker.c - N capture threads on one live interface (see worker.h).
 *
 * Owns the handles, the worker sensors and their threads, and the lock
 * they share with the home sensor (struct sensor_shared).  A worker runs
 * the single-threaded loop of main.c on its own handle: poll, one buffer
 * of packets through sensor_packet(), its drop counters, sensor_tick();
 * then, under the lock, it publishes a copy of its counters (the
 * coordinator sums the copies; it never reads a counter being written)
 * and takes up a reloaded config.  The coordinator (main's thread) never
 * touches packets: it writes the stats records and the heartbeat, and
 * hands reloads and the stop over.  Nothing here runs per packet.
 */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "summary.h"
#include "util.h"
#include "worker.h"

#define WORKER_POLL_MS	100	/* longest a stop or reload waits */
#define WORKER_SETTLE_MS 250	/* > 2 block timeouts: pre-join packets */

struct worker {
	struct workers	*ws;
	int		 idx;
	struct capture	*cap;
	struct sensor	*s;		/* owned; big (its record buffer) */
	pthread_t	 thr;
	bool		 started;
	bool		 done;		/* under sh.mu: the thread has ended */
	unsigned	 gen;		/* under sh.mu: config generation */
};

struct workers {
	struct sensor_shared sh;
	pthread_cond_t	 moved;		/* a worker took up a reload */
	struct worker	*w;		/* [n] */
	int		 n;
	int		 stop;		/* atomic */
	int		 failed;	/* atomic */
	int		 why;		/* enum flow_end, set before stop */
	unsigned	 gen;		/* under sh.mu: config generation */
	uint64_t	 last_stats_us;	/* coordinator only */
	uint64_t	 last_health_unix;
};

struct workers *
workers_open(const struct cap_live_opts *o, const char *bpf, int n,
    bool *bad_filter, char *err, size_t errlen)
{
	struct workers *ws;
	int i, group = -1;

	*bad_filter = false;
	if ((ws = calloc(1, sizeof(*ws))) == NULL ||
	    (ws->w = calloc((size_t)n, sizeof(*ws->w))) == NULL ||
	    (ws->sh.snap = calloc((size_t)n, sizeof(*ws->sh.snap))) == NULL) {
		snprintf(err, errlen, "out of memory");
		workers_free(ws);
		return NULL;
	}
	ws->n = ws->sh.n = n;
	pthread_mutex_init(&ws->sh.mu, NULL);
	pthread_cond_init(&ws->moved, NULL);
	for (i = 0; i < n; i++) {
		ws->w[i].ws = ws;
		ws->w[i].idx = i;
		if ((ws->w[i].cap = cap_open_live(o, err, errlen)) == NULL)
			goto fail;
		if (bpf != NULL && cap_set_filter(ws->w[i].cap, bpf, err,
		    errlen) == -1) {
			*bad_filter = true;
			goto fail;
		}
		if (cap_fanout_join(ws->w[i].cap, &group, err, errlen) == -1)
			goto fail;
	}
	log_info("capture: %s: %d workers, fanout group %d (hash, defrag)",
	    o->iface, n, group);
	return ws;
fail:
	workers_free(ws);
	return NULL;
}

/* Under sh.mu: the worker's counters for the coordinator, a reload. */
static void
worker_sync(struct worker *w)
{
	struct workers *ws = w->ws;

	pthread_mutex_lock(&ws->sh.mu);
	ws->sh.snap[w->idx] = w->s->st;
	if (w->gen != ws->gen) {
		ws->sh.cur = w->s;
		sensor_reload(w->s, ws->sh.home->cfg);
		ws->sh.cur = NULL;
		w->gen = ws->gen;
		pthread_cond_broadcast(&ws->moved);
	}
	pthread_mutex_unlock(&ws->sh.mu);
}

static void *
worker_main(void *arg)
{
	struct worker *w = arg;
	struct workers *ws = w->ws;
	struct sensor *s = w->s;
	struct pollfd pfd = { .fd = cap_fd(w->cap), .events = POLLIN };
	char err[CAP_ERRBUF];
	uint64_t drops, ifdrops;
	struct timespec ts;

	while (!__atomic_load_n(&ws->stop, __ATOMIC_ACQUIRE)) {
		(void)poll(&pfd, 1, WORKER_POLL_MS);
		if (cap_dispatch(w->cap, -1, sensor_packet, s, err,
		    sizeof(err)) == -1) {
			log_warnx("capture: worker %d: %s", w->idx, err);
			__atomic_store_n(&ws->failed, 1, __ATOMIC_RELEASE);
			break;
		}
		if (cap_stats(w->cap, &drops, &ifdrops) == 0) {
			s->st.v[ST_CAPTURE_DROPS] = drops;
			s->st.v[ST_CAPTURE_IFDROPS] = ifdrops;
		}
		/* Idle links still age flows: wall time is packet time. */
		clock_gettime(CLOCK_REALTIME, &ts);
		sensor_tick(s, (uint64_t)ts.tv_sec * 1000000ULL +
		    (uint64_t)ts.tv_nsec / 1000, (uint64_t)ts.tv_sec);
		worker_sync(w);
	}
	sensor_finish(s, (enum flow_end)ws->why);	/* its flows only */
	worker_sync(w);
	pthread_mutex_lock(&ws->sh.mu);
	w->done = true;
	pthread_cond_broadcast(&ws->moved);
	pthread_mutex_unlock(&ws->sh.mu);
	return NULL;
}

/* Drops what the handles took in while the group was forming. */
static void
workers_settle(struct workers *ws)
{
	struct timespec t0, t;
	uint64_t n = 0;
	int i;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	do {
		for (i = 0; i < ws->n; i++)
			n += cap_discard(ws->w[i].cap);
		(void)poll(NULL, 0, 10);
		clock_gettime(CLOCK_MONOTONIC, &t);
	} while ((t.tv_sec - t0.tv_sec) * 1000 +
	    (t.tv_nsec - t0.tv_nsec) / 1000000 < WORKER_SETTLE_MS);
	log_debug("capture: %llu packets from before the fanout group was "
	    "complete dropped", (unsigned long long)n);
}

static int
workers_spawn(struct workers *ws)
{
	sigset_t all, old;
	int i, rc = 0;

	/* Signals are for the coordinator (main.c's flags). */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	for (i = 0; i < ws->n && rc == 0; i++) {
		if ((rc = pthread_create(&ws->w[i].thr, NULL, worker_main,
		    &ws->w[i])) == 0)
			ws->w[i].started = true;
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc != 0) {
		errno = rc;
		log_warn("worker: pthread_create");
		return -1;
	}
	return 0;
}

int
workers_start(struct workers *ws, struct sensor *home)
{
	uint32_t cap = (home->cfg->flow.capacity + (uint32_t)ws->n - 1) /
	    (uint32_t)ws->n;
	struct sensor *s;
	int i;

	ws->sh.home = home;
	home->sh = &ws->sh;
	if (cap < 16)
		cap = 16;
	for (i = 0; i < ws->n; i++) {
		if ((s = calloc(1, sizeof(*s))) == NULL) {
			log_warn("worker: calloc");
			return -1;
		}
		ws->w[i].s = s;
		*s = (struct sensor){ .cfg = home->cfg, .det = home->det,
		    .suppress = home->suppress, .incidents = home->incidents,
		    .out = home->out, .summary = home->summary,
		    .started_unix = home->started_unix, .sh = &ws->sh };
		strlcpy(s->name, home->name, sizeof(s->name));
		if (sensor_init_flows(s, cap) == -1)
			return -1;
	}
	workers_settle(ws);
	return workers_spawn(ws);
}

/* Under sh.mu: the home's own counters plus every worker's copy. */
static void
workers_sum(struct workers *ws, struct stats *sum)
{
	uint64_t ifdrops = 0;
	int i, k;

	*sum = ws->sh.home->st;
	for (i = 0; i < ws->n; i++) {
		for (k = 0; k < ST_OUT_FIRST; k++)
			sum->v[k] += ws->sh.snap[i].v[k];
		/* Every handle reports the interface's own drops. */
		if (ws->sh.snap[i].v[ST_CAPTURE_IFDROPS] > ifdrops)
			ifdrops = ws->sh.snap[i].v[ST_CAPTURE_IFDROPS];
	}
	sum->v[ST_CAPTURE_IFDROPS] = ifdrops;
}

/*
 * Under sh.mu: a stats record of the summed counters.  The home's own
 * rows get what writing it counted (records); the writer's rows are
 * the writer's.
 */
static void
workers_emit_stats(struct workers *ws)
{
	struct sensor *h = ws->sh.home;
	struct stats own = h->st, sum;
	int k;

	ws->sh.cur = h;
	workers_sum(ws, &h->st);
	sum = h->st;
	emit_stats(h, h->now_us);
	for (k = 0; k < ST_OUT_FIRST; k++)
		own.v[k] += h->st.v[k] - sum.v[k];
	for (; k < ST_COUNT; k++)
		own.v[k] = h->st.v[k];
	h->st = own;
	ws->sh.cur = NULL;
}

/* Under sh.mu: the heartbeat with the summed counters. */
static void
workers_health(struct workers *ws)
{
	struct stats sum;

	workers_sum(ws, &sum);
	out_writer_counters(ws->sh.home->out, &sum);
	out_writer_health(ws->sh.home->out, &sum);
}

void
workers_counters(struct workers *ws, struct stats *sum)
{
	pthread_mutex_lock(&ws->sh.mu);
	workers_sum(ws, sum);
	pthread_mutex_unlock(&ws->sh.mu);
}

void
workers_tick(struct workers *ws, uint64_t wall_unix)
{
	struct sensor *h = ws->sh.home;
	uint32_t interval;

	pthread_mutex_lock(&ws->sh.mu);
	interval = h->cfg->output.stats_interval;
	if (interval > 0 && h->now_us >= ws->last_stats_us +
	    interval * 1000000ULL) {
		if (ws->last_stats_us != 0)
			workers_emit_stats(ws);
		ws->last_stats_us = h->now_us;
	}
	if (out_writer_has_redis(h->out) && wall_unix >=
	    ws->last_health_unix + h->cfg->output.redis.health_interval) {
		ws->last_health_unix = wall_unix;
		workers_health(ws);
	}
	pthread_mutex_unlock(&ws->sh.mu);
}

void
workers_reload(struct workers *ws, struct cfg *fresh)
{
	struct sensor *h = ws->sh.home;
	struct cfg *old;
	int i;

	if (fresh->workers != (uint32_t)ws->n)
		log_warnx("reload: workers: %u takes effect at the next "
		    "start (%d running)", fresh->workers, ws->n);
	pthread_mutex_lock(&ws->sh.mu);
	old = h->cfg;
	ws->sh.cur = h;
	sensor_reload(h, fresh);	/* shares: does not free old */
	ws->sh.cur = NULL;
	ws->gen++;
	/* Each worker takes it up at its next tick (WORKER_POLL_MS). */
	for (i = 0; i < ws->n; i++)
		while (ws->w[i].started && !ws->w[i].done &&
		    ws->w[i].gen != ws->gen)
			pthread_cond_wait(&ws->moved, &ws->sh.mu);
	pthread_mutex_unlock(&ws->sh.mu);
	cfg_free(old);
}

void
workers_print(struct workers *ws, FILE *fp)
{
	const struct stats *st;
	int i;

	pthread_mutex_lock(&ws->sh.mu);
	for (i = 0; i < ws->n; i++) {
		st = &ws->sh.snap[i];
		fprintf(fp, "  worker %d: packets %llu capture_drops %llu "
		    "flows_created %llu flows_active %llu records %llu\n", i,
		    (unsigned long long)st->v[ST_PACKETS],
		    (unsigned long long)st->v[ST_CAPTURE_DROPS],
		    (unsigned long long)st->v[ST_FLOWS_CREATED],
		    (unsigned long long)st->v[ST_FLOWS_ACTIVE],
		    (unsigned long long)st->v[ST_RECORDS]);
	}
	pthread_mutex_unlock(&ws->sh.mu);
}

void
workers_stats(struct workers *ws, FILE *fp)
{
	struct stats sum;

	pthread_mutex_lock(&ws->sh.mu);
	workers_sum(ws, &sum);
	if (ws->sh.home->out != NULL)
		out_writer_counters(ws->sh.home->out, &sum);
	fprintf(fp, "egress-sensor: stats\n");
	stats_print(&sum, fp);
	workers_emit_stats(ws);
	pthread_mutex_unlock(&ws->sh.mu);
	workers_print(ws, fp);
}

bool
workers_failed(struct workers *ws)
{
	return __atomic_load_n(&ws->failed, __ATOMIC_ACQUIRE) != 0;
}

void
workers_stop(struct workers *ws, enum flow_end why)
{
	struct sensor *h = ws->sh.home;
	struct stats sum;
	int i;

	ws->why = (int)why;
	__atomic_store_n(&ws->stop, 1, __ATOMIC_RELEASE);
	for (i = 0; i < ws->n; i++)
		if (ws->w[i].started) {
			pthread_join(ws->w[i].thr, NULL);
			ws->w[i].started = false;
			if (ws->w[i].s->now_us > h->now_us)
				h->now_us = ws->w[i].s->now_us;
		}
	/* Only this thread is left: sensor_finish's second half. */
	pthread_mutex_lock(&ws->sh.mu);
	ws->sh.cur = h;
	incident_flush(h->incidents, why == FE_SHUTDOWN ? IC_SHUTDOWN :
	    IC_EOF, h->now_us);
	ws->sh.cur = NULL;
	pthread_mutex_unlock(&ws->sh.mu);
	if (h->out != NULL)
		out_writer_sync(h->out);
	pthread_mutex_lock(&ws->sh.mu);
	workers_emit_stats(ws);
	if (out_writer_has_redis(h->out))
		workers_health(ws);		/* the last heartbeat */
	workers_sum(ws, &sum);
	h->st = sum;		/* what main's summary and -v print */
	pthread_mutex_unlock(&ws->sh.mu);
}

void
workers_free(struct workers *ws)
{
	int i;

	if (ws == NULL)
		return;
	if (ws->sh.home != NULL)
		ws->sh.home->sh = NULL;		/* alone again */
	for (i = 0; ws->w != NULL && i < ws->n; i++) {
		if (ws->w[i].s != NULL) {
			sensor_fini(ws->w[i].s);
			free(ws->w[i].s);
		}
		cap_close(ws->w[i].cap);
	}
	if (ws->n > 0) {
		pthread_mutex_destroy(&ws->sh.mu);
		pthread_cond_destroy(&ws->moved);
	}
	free(ws->w);
	free(ws->sh.snap);
	free(ws);
}
