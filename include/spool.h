/*
 * spool.h - a bounded on-disk queue of record blobs (outq.h) for the time
 * Redis does not take writes.
 *
 * A directory of segment files named <20 digits>.seg, oldest first.  Each
 * record is framed as  u32 magic "EGS1"  u32 len  u32 crc32(blob)  blob.
 * Appends go to the newest segment (a fresh one per open, so a torn tail
 * left by a crash is never written after); reads go from the oldest.
 * The read position survives a restart in the file "cursor" (segment and
 * offset, replaced atomically by rename).  When an append would pass
 * max_bytes the oldest segment is deleted and its records counted as
 * dropped.  A record whose frame or CRC is wrong (a crash mid-write) is
 * counted as torn and the rest of its segment skipped.
 *
 * Used by the writer thread only; not thread-safe.  Never exits.
 */
#ifndef SPOOL_H
#define SPOOL_H

#include <sys/types.h>

#include <stddef.h>
#include <stdint.h>

struct spool;

struct spool_counts {
	uint64_t	appended;	/* records written to the spool */
	uint64_t	dropped_full;	/* records lost with an oldest segment */
	uint64_t	torn;		/* torn or corrupt records skipped */
	uint64_t	io_errors;	/* failed writes (record not spooled) */
};

/*
 * Opens (creating) dir, validates every segment (truncating a torn tail,
 * counted) and finds the read position.  NULL on failure (logged).
 */
struct spool	*spool_open(const char *dir, uint64_t max_bytes);
void		 spool_close(struct spool *sp);	/* NULL ok */
/* Appends one blob; 0, or -1 (dropped: full or I/O error, counted). */
int		 spool_append(struct spool *sp, const uint8_t *blob, size_t len);
/*
 * Copies whole blobs from the read position into dst[cap] without
 * consuming them; returns bytes, sets *nrec.  0 when empty.
 */
size_t		 spool_peek(struct spool *sp, uint8_t *dst, size_t cap,
		    size_t *nrec);
/* Consumes the first nrec blobs of the last peek (they are in Redis). */
void		 spool_consume(struct spool *sp, size_t nrec);
uint64_t	 spool_records(const struct spool *sp);	/* backlog */
uint64_t	 spool_bytes(const struct spool *sp);
const struct spool_counts *spool_counts(const struct spool *sp);
/* Walks every unread blob (start-up: the highest IDs in the backlog). */
void		 spool_scan(struct spool *sp,
		    void (*fn)(void *arg, const uint8_t *blob, size_t len),
		    void *arg);

/* Gives the directory and its files to uid/gid; 0 or -1 (logged). */
int		 spool_chown(struct spool *sp, uid_t uid, gid_t gid);

/* CRC-32 (IEEE 802.3, zlib's) of p[n]. */
uint32_t	 spool_crc32(const void *p, size_t n);

#endif /* SPOOL_H */
