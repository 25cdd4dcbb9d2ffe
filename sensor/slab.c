/*
 * slab.c - a capped pool of fixed-size objects (see slab.h).
 *
 * Owns one mapped block (util_map_array: zeroed by the kernel, never by
 * a memset of the whole).  Free objects are linked through their first
 * bytes; objects never handed out yet are taken from the block's tail
 * index first, so untouched pages stay untouched.
 */
#include <stdlib.h>
#include <string.h>

#include "slab.h"
#include "util.h"

struct slab {
	uint8_t		*mem;
	size_t		 n;
	size_t		 size;
	size_t		 fresh;		/* mem objects [fresh..n) never used */
	void		*free;		/* free list through the first word */
	size_t		 in_use;
	size_t		 high;
	uint64_t	 exhausted;
};

struct slab *
slab_new(size_t n, size_t size)
{
	struct slab *s;

	if ((s = calloc(1, sizeof(*s))) == NULL)
		return NULL;
	s->size = (size + 15) & ~(size_t)15;
	s->n = n;
	/* Handed out in order: huge pages fill as the pool does. */
	if (n > 0 && (s->mem = util_map_array(n, s->size)) == NULL) {
		free(s);
		return NULL;
	}
	return s;
}

void
slab_free(struct slab *s)
{
	if (s == NULL)
		return;
	util_unmap_array(s->mem, s->n, s->size);
	free(s);
}

void *
slab_get(struct slab *s)
{
	void *obj;

	if (s->free != NULL) {
		obj = s->free;
		memcpy(&s->free, obj, sizeof(s->free));
	} else if (s->fresh < s->n)
		obj = s->mem + s->fresh++ * s->size;
	else {
		s->exhausted++;
		return NULL;
	}
	memset(obj, 0, s->size);
	if (++s->in_use > s->high)
		s->high = s->in_use;
	return obj;
}

void
slab_put(struct slab *s, void *obj)
{
	if (obj == NULL)
		return;
	memcpy(obj, &s->free, sizeof(s->free));
	s->free = obj;
	s->in_use--;
}

void
slab_counts(const struct slab *s, struct slab_counts *out)
{
	out->n = s->n;
	out->size = s->size;
	out->in_use = s->in_use;
	out->high = s->high;
	out->exhausted = s->exhausted;
}
