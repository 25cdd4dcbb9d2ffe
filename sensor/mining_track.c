/*
 * mining_track.c - the mining detectors' per-flow track, taken from the
 * worker's pool (see mining_track.h) only when something is found.
 *
 * A flow without a track keeps its few progress bits (MT_BARE) in
 * flow_cold.det_flags and reads as a zeroed track; work on it is done
 * on a scratch track on the stack, and only a result beyond those bits
 * takes a track from the pool.  Nothing here allocates or logs.
 */
#include <string.h>

#include "detect.h"
#include "flow.h"
#include "mining_node.h"
#include "mining_track.h"
#include "slab.h"
#include "stats.h"

const struct mining_track *
mining_track_ro(const struct flow *f)
{
	static const struct mining_track none;

	return f->c->mt != NULL ? f->c->mt : &none;
}

struct mining_track *
mining_track_begin(struct flow *f, struct mining_track *scratch)
{
	if (f->c->mt != NULL)
		return f->c->mt;
	memset(scratch, 0, sizeof(*scratch));
	scratch->flags = f->c->det_flags & MT_BARE;
	return scratch;
}

void
mining_track_done(struct det_ctx *dc, struct flow *f,
    const struct mining_track *mt)
{
	if (mt == f->c->mt)
		return;
	f->c->det_flags = mt->flags & MT_BARE;
	if (!(mt->flags & ~(uint32_t)MT_BARE) && mt->node == CN_NONE)
		return;
	if (dc == NULL || dc->mtracks == NULL ||
	    (f->c->mt = slab_get(dc->mtracks)) == NULL) {
		if (dc != NULL && dc->st != NULL)
			stats_inc(dc->st, ST_MINING_TRACK_EXHAUSTED);
		return;
	}
	*f->c->mt = *mt;
}

void
mining_track_put(struct det_ctx *dc, struct flow *f)
{
	if (f->c->mt != NULL)
		slab_put(dc->mtracks, f->c->mt);
	f->c->mt = NULL;
	f->c->det_flags = 0;
}
