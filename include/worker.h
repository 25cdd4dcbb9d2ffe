/*
 * worker.h - several capture threads on one live interface (--workers N).
 *
 * N libpcap handles on the interface, joined to one Linux PACKET_FANOUT
 * group in hash mode: the kernel hashes each packet's flow (addresses and
 * ports, ordered so both directions give one value; IPv4 fragments are
 * reassembled first) and hands it to one handle, so a flow is always seen
 * whole by one worker.  Each worker thread owns a sensor with its own flow
 * table (capacity / N flows), nDPI module, stashes and fragment table; the
 * state that spans flows (passive DNS, SSH reconnection history,
 * suppression and threshold windows, the alert budget, incidents, the
 * summary) belongs to the home sensor and is shared under one lock
 * (struct sensor_shared), taken per verdict, flow end and tick, never per
 * packet.  Records of every worker go into the one output writer.
 *
 * The thread that calls workers_start() (main's) becomes the coordinator:
 * it acts on signals (reload, stats, stop) and writes the stats records
 * and the Redis heartbeat, with every worker's counters summed.
 */
#ifndef WORKER_H
#define WORKER_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "capture.h"
#include "sensor.h"

struct workers;

/*
 * Opens n (2..CFG_WORKERS_MAX) handles on o->iface with filter bpf (NULL
 * = none), each joined to one new fanout group.  Before any privilege is
 * dropped.  NULL on failure, with the message in err; *bad_filter tells a
 * filter error (exit 2) from a capture error (exit 1).
 */
struct workers	*workers_open(const struct cap_live_opts *o, const char *bpf,
		    int n, bool *bad_filter, char *err, size_t errlen);
/*
 * home: a sensor from sensor_init_shared() with its outputs and summary
 * set.  Builds the worker sensors, drops what the handles buffered while
 * the group was forming (a packet seen before its handle joined would be
 * seen twice) and starts the threads, with every signal blocked in them.
 * 0 or -1 (logged).
 */
int		 workers_start(struct workers *ws, struct sensor *home);
/* Coordinator, now and then: periodic stats records, the heartbeat. */
void		 workers_tick(struct workers *ws, uint64_t wall_unix);
/* The counters of every worker summed (sd_notify's STATUS line). */
void		 workers_counters(struct workers *ws, struct stats *sum);
/* SIGHUP: every worker moves to fresh (owned from here); the old config
 * is freed once none uses it. */
void		 workers_reload(struct workers *ws, struct cfg *fresh);
/* SIGUSR1: the summed counters and each worker's to fp, a stats record. */
void		 workers_stats(struct workers *ws, FILE *fp);
/* True once a worker stopped on a capture error (logged). */
bool		 workers_failed(struct workers *ws);
/*
 * Stops the threads (each ends its flows with why), closes the incidents,
 * writes the final stats record and heartbeat; home->st holds the sum.
 */
void		 workers_stop(struct workers *ws, enum flow_end why);
/* Each worker's main counters, one line each (-v at exit). */
void		 workers_print(struct workers *ws, FILE *fp);
/* Frees the workers and handles; the home is alone again.  NULL ok. */
void		 workers_free(struct workers *ws);

#endif /* WORKER_H */
