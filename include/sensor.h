/*
 * sensor.h - the per-packet pipeline and the context every module shares.
 *
 * decode -> flow -> classify -> dissect -> detect -> rules -> emit, one
 * packet at a time, single-threaded, on packet time.  struct sensor is
 * the one context (no globals besides the signal flags in main.c).
 */
#ifndef SENSOR_H
#define SENSOR_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "cfg.h"
#include "classify.h"
#include "detect.h"
#include "flow.h"
#include "frag.h"
#include "incident.h"
#include "json.h"
#include "out_writer.h"
#include "rules.h"
#include "stash.h"
#include "stats.h"

#define SENSOR_VERSION	"0.1.0"

struct sensor;

/*
 * What the workers of one live interface share (worker.h): one lock over
 * the state that spans flows.  The home sensor owns that state (passive
 * DNS, SSH reconnection history, suppression and threshold windows, the
 * alert budget, incidents, the summary) and has no flow table; each
 * worker has its own flows, classifier, stashes and fragments and
 * borrows the rest.  Taken per verdict, flow end and tick, never per
 * packet.  A sensor with sh NULL is alone and takes no lock.
 */
struct sensor_shared {
	pthread_mutex_t	 mu;
	struct sensor	*home;		/* owns the shared state */
	struct sensor	*cur;		/* the sensor holding mu */
	int		 n;		/* workers */
	struct stats	*snap;		/* [n]: counters at each one's last tick */
};

struct sensor {
	struct cfg		*cfg;		/* owned; swapped on reload */
	char			 name[CFG_NAME_MAX];	/* sensor name */
	struct classifier	*cls;
	struct flow_table	*flows;
	struct dissect		*dis;		/* dissector table's pools */
	/*
	 * Flows' verdict arrays: SENSOR_VERDICTS_FEW first (most flows
	 * raise one or two), then all FLOW_MAX_VERDICTS.
	 */
	struct slab		*verdicts_few;
	struct slab		*verdicts;
	struct frag_table	*frags;		/* fragment trains -> ports */
	struct rules_suppress	*suppress;
	struct incident_table	*incidents;	/* one per inside host */
	struct det_ctx		 det;		/* detectors' cross-flow state */
	struct out_writer	*out;		/* NDJSON + Redis; NULL = none */
	struct summary		*summary;	/* NULL = none (main.c's) */
	struct stats		 st;
	uint64_t		 now_us;	/* packet clock, never goes back */
	uint64_t		 last_stats_us;	/* last periodic stats record */
	uint64_t		 started_unix;	/* wall clock, for health only */
	uint64_t		 last_health_unix;
	uint64_t		 budget_sec;	/* packet second of budget_used */
	uint32_t		 budget_used;	/* alerts raised in that second */
	struct sensor_shared	*sh;		/* NULL = alone (one thread) */
	char			 line[JSON_LINE_MAX];	/* the one record buffer */
	struct json_clock	 clock;		/* its timestamps' second text */
};

/*
 * Builds everything but the outputs from cfg (taking ownership of it).
 * 0 or -1 (logged).
 */
int	sensor_init(struct sensor *s, struct cfg *cfg, const char *name);
/*
 * The two halves of sensor_init, for workers (worker.c): the state that
 * spans flows (a home sensor; zeroes s first) and the per-flow state
 * (flow table of capacity flows, classifier, stashes, fragments).
 */
int	sensor_init_shared(struct sensor *s, struct cfg *cfg, const char *name);
int	sensor_init_flows(struct sensor *s, uint32_t capacity);
/* The capture callback (cap_handler shape). */
void	sensor_packet(void *arg, int dlt, uint64_t ts_us, uint32_t caplen,
	    uint32_t wirelen, const uint8_t *bytes);
/* Periodic work between batches: expiry on an idle clock, stats, health,
 * output flushes.  now_us is packet time (live: wall clock when idle). */
void	sensor_tick(struct sensor *s, uint64_t now_us, uint64_t wall_unix);
/* Ends every flow with why (eof, shutdown), writes the final stats (a
 * worker only ends its flows: the home does the rest). */
void	sensor_finish(struct sensor *s, enum flow_end why);
/*
 * Starts a new capture (the next -r file without --continuous): ends
 * every flow (reason eof) and forgets what the last one taught: passive
 * DNS, SSH reconnect history, fragments, alert suppression windows and
 * the packet clock.  Counters and outputs stay.  0 or -1 (logged).
 */
int	sensor_new_capture(struct sensor *s);
/* Swaps in a new config (rules, lists) after a successful reload; a
 * sensor that shares (sh) leaves the old one to its owner. */
void	sensor_reload(struct sensor *s, struct cfg *cfg);
/* Frees what s owns (a worker: not the shared state nor the config). */
void	sensor_fini(struct sensor *s);

/* emit.c: records into s->line, then to every output. */
void	emit_flow(struct sensor *s, const struct flow *f, enum flow_end why,
	    uint64_t now_us);
void	emit_alert(struct sensor *s, const struct flow *f,
	    const struct rule *r, int detector, uint64_t ts_us);
void	emit_stats(struct sensor *s, uint64_t ts_us);
void	emit_incident(struct sensor *s, const struct incident *inc,
	    enum incident_event ev, uint64_t ts_us);
/* An alert of an incident rule r, with f's 5-tuple (the flow that
 * changed the incident). */
void	emit_incident_alert(struct sensor *s, const struct flow *f,
	    const struct rule *r, const struct incident *inc, uint64_t ts_us);

#endif /* SENSOR_H */
