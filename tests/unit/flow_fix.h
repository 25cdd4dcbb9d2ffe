/*
 * flow_fix.h - a hand-built flow for unit tests: the hot part with its
 * cold part and a dissector state of its own (the flow table and the
 * dissector pools are not involved).
 */
#ifndef FLOW_FIX_H
#define FLOW_FIX_H

#include <string.h>

#include "dissect.h"
#include "flow.h"

struct flow_fix {
	struct flow		f;	/* first: a flow_fix * is a flow * */
	struct flow_cold	c;
	union flow_app_state	u;
	struct cls_result	r;	/* c.cls.res: tests write nDPI's answers */
	struct verdict		v[FLOW_MAX_VERDICTS];	/* c.verdicts */
};

/* Clears x and links its parts; returns the flow. */
static inline struct flow *
flow_fix_init(struct flow_fix *x)
{
	memset(x, 0, sizeof(*x));
	x->f.c = &x->c;
	x->c.u = &x->u;
	x->c.cls.res = &x->r;
	x->c.verdicts = x->v;
	return &x->f;
}

#endif /* FLOW_FIX_H */
