/*
 * slab.h - a capped pool of fixed-size objects (the cold parts of flows).
 *
 * One calloc at creation reserves n objects of one size; they are handed
 * out in order first (so pages are touched only as the pool fills), then
 * from a free list.  Never allocates after slab_new().  An exhausted pool
 * returns NULL and counts it; the caller degrades (the flow is tracked
 * and recorded, just not dissected).
 */
#ifndef SLAB_H
#define SLAB_H

#include <stddef.h>
#include <stdint.h>

struct slab;

/* n objects of size bytes (rounded up to 16). NULL on no memory. */
struct slab	*slab_new(size_t n, size_t size);
void		 slab_free(struct slab *s);		/* NULL ok */
/* A zeroed object, or NULL when all n are in use (counted). */
void		*slab_get(struct slab *s);
void		 slab_put(struct slab *s, void *obj);	/* NULL ok */

struct slab_counts {
	size_t		n;		/* capacity */
	size_t		size;		/* bytes per object */
	size_t		in_use;
	size_t		high;		/* most ever in use at once */
	uint64_t	exhausted;	/* slab_get that found none free */
};
void		 slab_counts(const struct slab *s, struct slab_counts *out);

#endif /* SLAB_H */
