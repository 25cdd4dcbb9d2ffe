/*
 * domset.h - a set of domain names (or other tokens) with suffix match.
 *
 * Built at config load from inline lists or files (one name a line; also
 * hosts-file lines "0.0.0.0 name" and adblock lines "||name^"; '#'
 * comments).  Names are lowercased, trailing dot removed.  Lookups walk
 * the labels of the query ("a.b.pool.example" -> "b.pool.example" ->
 * "pool.example" -> "example") against an open-addressing hash, so tens
 * of thousands of names cost a few probes.  Read-only after load.
 */
#ifndef DOMSET_H
#define DOMSET_H

#include <stdbool.h>
#include <stddef.h>

struct domset;

struct domset	*domset_new(void);
void		 domset_free(struct domset *d);		/* NULL ok */
int		 domset_add(struct domset *d, const char *name, size_t len);
/* Loads a file; on a bad line reports path:line:col via err. 0 / -1. */
int		 domset_load_file(struct domset *d, const char *path,
		    char *err, size_t errlen);
size_t		 domset_count(const struct domset *d);
/* Exact match (case-insensitive). */
bool		 domset_contains(const struct domset *d, const char *name,
		    size_t len);
/*
 * Suffix match on label boundaries; returns the matched entry (borrowed,
 * lives as long as d) or NULL.
 */
const char	*domset_match(const struct domset *d, const char *name,
		    size_t len);

#endif /* DOMSET_H */
