/*
 * outq.h - finished records on their way from the packet thread to the
 * writer thread: one record format (the blob) and one bounded ring.
 *
 * A blob is one record as bytes: kind, packet time, the stream entry ID
 * the writer gives it, the NDJSON line and the flat fields for Redis.
 * The same bytes travel through the ring and, framed with a CRC, through
 * the disk spool (spool.h).  Integers are in host byte order: a spool is
 * read back by the machine that wrote it.
 *
 *   u32 len  u8 kind  u8 flags  u16 nflat  u64 ts_us  u64 id_ms  u64 id_seq
 *   u32 json_len  json  { u16 name_len  u16 value_len  name  value } * nflat
 *
 * The ring is a preallocated byte buffer with one mutex and two condition
 * variables: a push copies the blob in (no allocation), a pop copies whole
 * records out in order.  Any number of producers (the --workers threads;
 * a push holds the mutex for its copy, so records never interleave and
 * each producer's stay in its order), one consumer.  Stream entry IDs are
 * given by the consumer in pop order (out_writer.c), so they stay unique
 * and increasing per stream whoever pushed.
 */
#ifndef OUTQ_H
#define OUTQ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define OUTREC_MAX_FLAT		96	/* flat fields per record at most */
#define OUTREC_HDR		36	/* bytes before the json */
#define OUTREC_FIXED_ID		0x01	/* flags: id_ms/id_seq are set */

/*
 * Record kinds; a new kind adds a row to out_redis.c's stream table.
 * REC_HEALTH (the heartbeat) and REC_REOPEN (reopen the NDJSON file here,
 * between the records before and after a SIGHUP) are not stream records.
 */
enum rec_kind {
	REC_FLOW, REC_ALERT, REC_STATS, REC_INCIDENT, REC_HEALTH, REC_REOPEN,
	REC_KINDS
};

/* A flat field for dashboard filters; value is not NUL-terminated. */
struct out_field {
	const char	*name;
	const char	*value;
	size_t		 len;
};

/* A decoded blob: pointers into the bytes it was decoded from. */
struct outrec {
	enum rec_kind	 kind;
	uint8_t		 flags;
	uint64_t	 ts_us;		/* packet time of the record */
	uint64_t	 id_ms;		/* stream entry ID <id_ms>-<id_seq> */
	uint64_t	 id_seq;
	const char	*json;
	size_t		 json_len;
	struct out_field flat[OUTREC_MAX_FLAT];	/* names NUL-less too */
	size_t		 name_len[OUTREC_MAX_FLAT];
	size_t		 nflat;
};

/* Bytes a blob of these parts needs; 0 when too big or too many fields. */
size_t	outrec_size(size_t json_len, const struct out_field *flat,
	    size_t nflat);
/* Encodes into dst[size] (size from outrec_size); returns size. */
size_t	outrec_encode(uint8_t *dst, size_t size, enum rec_kind kind,
	    uint64_t ts_us, const char *json, size_t json_len,
	    const struct out_field *flat, size_t nflat);
/* Decodes the blob at p[avail]; its length, or 0 when malformed. */
size_t	outrec_decode(const uint8_t *p, size_t avail, struct outrec *r);
/* Sets the stream entry ID in an encoded blob. */
void	outrec_set_id(uint8_t *blob, uint64_t id_ms, uint64_t id_seq);
/* Length of the blob starting at p (its first field). */
uint32_t outrec_len(const uint8_t *p);

struct outq;

/* A ring of cap bytes (at least 64 KiB); NULL on failure (logged). */
struct outq	*outq_new(size_t cap);
void		 outq_free(struct outq *q);	/* NULL ok */
/*
 * Copies one record in.  When the ring is full: waits for room if wait,
 * else returns -1 at once (the caller counts the drop).  0 on success.
 * Producer side only; safe from several threads.
 */
int		 outq_push(struct outq *q, enum rec_kind kind, uint64_t ts_us,
		    const char *json, size_t len, const struct out_field *flat,
		    size_t nflat, bool wait);
/*
 * Consumer side: copies whole records, oldest first, into dst[cap] (cap
 * at least the biggest record), waiting up to wait_ms when the ring is
 * empty.  Returns the bytes copied and sets *nrec.  Pass the count back
 * with outq_done() once the records are written.
 */
size_t		 outq_pop(struct outq *q, uint8_t *dst, size_t cap,
		    unsigned wait_ms, size_t *nrec);
void		 outq_done(struct outq *q, size_t nrec);
/* Producer side: waits until every record pushed so far (by any
 * producer) is done. */
void		 outq_sync(struct outq *q);
/* Wakes a consumer blocked in outq_pop (stop, reopen requests). */
void		 outq_kick(struct outq *q);
size_t		 outq_high_water(struct outq *q);	/* bytes */
bool		 outq_empty(struct outq *q);
/* Consumer side: a producer is waiting in outq_sync. */
bool		 outq_syncing(struct outq *q);

#endif /* OUTQ_H */
