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
	/* c.cls.res: tests write nDPI's answers (flow_fix_text) */
	_Alignas(struct cls_result) uint8_t r[256];
	struct verdict		v[FLOW_MAX_VERDICTS];	/* c.verdicts */
};

/* Clears x and links its parts; returns the flow. */
static inline struct flow *
flow_fix_init(struct flow_fix *x)
{
	memset(x, 0, sizeof(*x));
	x->f.c = &x->c;
	x->c.u = &x->u;
	x->c.cls.res = (struct cls_result *)x->r;
	x->c.verdicts = x->v;
	return &x->f;
}

/*
 * Sets f's ends, src:sport the initiator, the way flow.c does: the key
 * holds the lower (address, port) end first and init_is_hi says which
 * end src is, so flow_src() and friends read them back.
 */
static inline void
flow_fix_ends(struct flow *f, const struct ip_addr *src, uint16_t sport,
    const struct ip_addr *dst, uint16_t dport)
{
	int c = memcmp(src->b, dst->b, sizeof(src->b));
	bool hi = c > 0 || (c == 0 && sport > dport);

	f->key.lo_addr = hi ? *dst : *src;
	f->key.hi_addr = hi ? *src : *dst;
	f->key.lo_port = hi ? dport : sport;
	f->key.hi_port = hi ? sport : dport;
	f->init_is_hi = hi;
}

/* Sets one of nDPI's strings in f's result, after those already set. */
static inline void
flow_fix_text(struct flow *f, enum cls_text t, const char *s)
{
	struct cls_result *r = f->c->cls.res;
	size_t used = 0, end, n = strlen(s);
	int i;

	for (i = 0; i < CLS_TEXTS; i++)
		if (r->text_off[i] != 0 &&
		    (end = r->text_off[i] + strlen(cls_text(r, i))) > used)
			used = end;
	if (sizeof(struct cls_result) + used + n + 1 > 256)
		return;
	memcpy(r->text + used, s, n + 1);
	r->text_off[t] = (uint8_t)(used + 1);
}

#endif /* FLOW_FIX_H */
