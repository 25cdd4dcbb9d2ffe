/*
 * stash.c - the reassembly buffer pool (see stash.h).
 *
 * One calloc at start-up holds every stash; a singly linked free list
 * hands them out.  Owns the memory; never allocates after stash_pool_new.
 */
#include <stdlib.h>
#include <string.h>

#include "stash.h"
#include "util.h"

struct stash_pool {
	struct stash	*slots;		/* n stashes, one allocation */
	struct stash	*free;
	size_t		 n;
	size_t		 fresh;		/* slots[fresh..n) never handed out */
	size_t		 in_use;
};

struct stash_pool *
stash_pool_new(size_t n)
{
	struct stash_pool *p;

	if ((p = calloc(1, sizeof(*p))) == NULL)
		return NULL;
	if (n > 0 && (p->slots = calloc(n, sizeof(*p->slots))) == NULL) {
		free(p);
		return NULL;
	}
	/*
	 * No free list yet: slots are handed out in order when the list is
	 * empty, so a page of the (large) array is touched only when used.
	 */
	p->n = n;
	return p;
}

void
stash_pool_free(struct stash_pool *p)
{
	if (p == NULL)
		return;
	free(p->slots);
	free(p);
}

struct stash *
stash_get(struct stash_pool *p)
{
	struct stash *s;

	if (p == NULL)
		return NULL;
	if ((s = p->free) != NULL)
		p->free = s->next;
	else if (p->fresh < p->n)
		s = &p->slots[p->fresh++];
	else
		return NULL;
	p->in_use++;
	s->next = NULL;
	s->len[0] = s->len[1] = 0;
	s->dropped[0] = s->dropped[1] = 0;
	return s;
}

void
stash_put(struct stash_pool *p, struct stash *s)
{
	if (p == NULL || s == NULL)
		return;
	s->next = p->free;
	p->free = s;
	p->in_use--;
}

size_t
stash_in_use(const struct stash_pool *p)
{
	return p != NULL ? p->in_use : 0;
}

size_t
stash_append(struct stash *s, int dir, const uint8_t *p, size_t n)
{
	size_t room = STASH_DIR_BYTES - s->len[dir];

	if (n > room) {
		s->dropped[dir] += (uint32_t)(n - room);
		n = room;
	}
	memcpy(s->buf[dir] + s->len[dir], p, n);
	s->len[dir] += (uint32_t)n;
	return n;
}

void
stash_consume(struct stash *s, int dir, size_t n)
{
	if (n >= s->len[dir]) {
		s->len[dir] = 0;
		return;
	}
	memmove(s->buf[dir], s->buf[dir] + n, s->len[dir] - n);
	s->len[dir] -= (uint32_t)n;
}

void
stash_swap(struct stash *s)
{
	if (s == NULL)
		return;
	UTIL_SWAP2(s->buf);
	UTIL_SWAP2(s->len);
	UTIL_SWAP2(s->dropped);
}

bool
stash_idle(const struct stash *s)
{
	return s->len[0] == 0 && s->len[1] == 0 && s->dropped[0] == 0 &&
	    s->dropped[1] == 0;
}
