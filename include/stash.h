/*
 * stash.h - a preallocated pool of per-flow reassembly buffers.
 *
 * Dissectors that must see whole messages across TCP segments (the SSH
 * handshake, Stratum JSON lines) borrow one stash per flow while they
 * work and give it back when done, so the flow itself stays small.  The
 * pool is allocated once at start-up; getting and putting a stash never
 * allocates.  Data is appended in TCP sequence order by the caller; a
 * dissector consumes from the front as it parses.
 */
#ifndef STASH_H
#define STASH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define STASH_DIR_BYTES	4096	/* per direction */

struct stash {
	uint8_t		 buf[2][STASH_DIR_BYTES]; /* [0] from initiator, [1] from responder */
	uint32_t	 len[2];	/* bytes held per direction */
	uint32_t	 dropped[2];	/* bytes that did not fit */
	struct stash	*next;		/* free list link */
};

struct stash_pool;

struct stash_pool *stash_pool_new(size_t n);	/* NULL on no memory */
void		 stash_pool_free(struct stash_pool *p);	/* NULL ok */
/* A cleared stash, or NULL when all n are in use (caller counts it). */
struct stash	*stash_get(struct stash_pool *p);
void		 stash_put(struct stash_pool *p, struct stash *s);	/* NULL ok */
size_t		 stash_in_use(const struct stash_pool *p);

/* Appends up to n bytes to direction dir; returns bytes appended. */
size_t		 stash_append(struct stash *s, int dir, const uint8_t *p,
		    size_t n);
/* Removes the first n bytes of direction dir. */
void		 stash_consume(struct stash *s, int dir, size_t n);
/* Nothing held and nothing dropped: the stash can go back meanwhile. */
bool		 stash_idle(const struct stash *s);
/* Exchanges the two directions (the flow was turned around); NULL ok. */
void		 stash_swap(struct stash *s);

#endif /* STASH_H */
