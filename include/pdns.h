/*
 * pdns.h - DNS message parser and the passive DNS cache (answer IP ->
 * the names it was looked up by), used by the mining detectors.
 *
 * pdns_parse() reads one DNS message (RFC 1035) from a UDP payload
 * through cursor.h: the header, the first question and the answer
 * section.  Names are decompressed with a bound on pointer jumps (a
 * pointer loop is an error, not a hang); counts that lie about the
 * records present stop the walk at the end of the data.  A, AAAA and
 * CNAME answers are kept; other types are skipped.
 *
 * The cache is allocated once by pdns_new() (capacity entries, rounded
 * up to a multiple of PDNS_WAYS) and never allocates again.  It is set
 * associative: an address hashes to one bucket of PDNS_WAYS entries; an
 * insert replaces the same address, else an expired or empty slot, else
 * the entry that expires first.  Expiry is packet time: an entry lives
 * max(ttl, ttl_min) capped at ttl_max seconds after its answer was seen.
 */
#ifndef PDNS_H
#define PDNS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "packet.h"

#define PDNS_NAME_MAX	128	/* bytes of a name kept, NUL included */
#define PDNS_MAX_PTRS	16	/* compression jumps in one name */
#define PDNS_MAX_RR	64	/* answer records walked in one message */
#define PDNS_MAX_ADDRS	16	/* A/AAAA answers kept from one message */
#define PDNS_MAX_CNAMES	4	/* CNAME targets kept from one message */
#define PDNS_WAYS	4	/* entries per cache bucket */

#define PDNS_TYPE_A	1
#define PDNS_TYPE_CNAME	5
#define PDNS_TYPE_AAAA	28

enum pdns_status {
	PDNS_OK,		/* parsed (possibly with answers skipped) */
	PDNS_TRUNCATED,		/* ran out of data inside the header/question */
	PDNS_MALFORMED,		/* pointer loop, bad label, not DNS */
};

struct pdns_addr {
	struct ip_addr	ip;
	uint32_t	ttl;		/* s, as answered */
};

/* One parsed message; names are lowercase, without the trailing dot. */
struct pdns_msg {
	uint16_t	id;
	bool		response;	/* QR bit */
	uint8_t		opcode;
	uint8_t		rcode;
	uint16_t	qdcount, ancount;	/* as the header claims */
	uint16_t	qtype;
	char		qname[PDNS_NAME_MAX];	/* "" when no question */
	char		cnames[PDNS_MAX_CNAMES][PDNS_NAME_MAX]; /* targets */
	uint8_t		n_cnames;
	struct pdns_addr addrs[PDNS_MAX_ADDRS];
	uint8_t		n_addrs;
	uint16_t	answers_walked;	/* records actually present */
	bool		answers_cut;	/* the answer walk stopped early */
};

/* Parses n bytes at p into *m (all fields reset first). */
enum pdns_status pdns_parse(const uint8_t *p, size_t n, struct pdns_msg *m);
/* "A", "AAAA", "CNAME", ... or NULL for a type without a name here. */
const char	*pdns_type_name(uint16_t type);
/* "NOERROR", "NXDOMAIN", ... or NULL. */
const char	*pdns_rcode_name(uint8_t rcode);

/* One cache entry: an address and the names it was learned from. */
struct pdns_entry {
	struct ip_addr	ip;
	uint64_t	seen_us;	/* packet time of the answer */
	uint64_t	expires_us;	/* packet time it is forgotten; 0 = free */
	uint32_t	ttl;		/* s, as answered */
	char		qname[PDNS_NAME_MAX];	/* the name asked */
	char		owner[PDNS_NAME_MAX];	/* last CNAME target, "" = none */
};

struct pdns_counters {
	uint64_t	inserts;
	uint64_t	replaced;	/* live entries pushed out (bucket full) */
	uint64_t	hits;
	uint64_t	misses;
	uint64_t	expired;	/* found but past its lifetime */
};

struct pdns;

/* NULL on no memory (not logged: the caller knows the context). */
struct pdns	*pdns_new(uint32_t capacity, uint32_t ttl_min, uint32_t ttl_max);
void		 pdns_free(struct pdns *pd);	/* NULL ok */
uint32_t	 pdns_capacity(const struct pdns *pd);
/* Replaces the lifetime bounds (config reload). */
void		 pdns_set_ttl(struct pdns *pd, uint32_t ttl_min,
		    uint32_t ttl_max);
/*
 * Stores every address of m under m's question name and, when the answer
 * went through CNAMEs, the last CNAME target.  now_us is packet time.
 * Only successful responses (rcode 0) with a question are stored.
 */
void		 pdns_insert_msg(struct pdns *pd, const struct pdns_msg *m,
		    uint64_t now_us);
/* One address -> names (owner may be NULL or ""); an empty qname is
 * ignored.  The same address under the same qname is refreshed. */
void		 pdns_insert(struct pdns *pd, const struct ip_addr *ip,
		    const char *qname, const char *owner, uint32_t ttl,
		    uint64_t now_us);
/*
 * Looks ip up at packet time now_us: stores up to max live entries for it
 * (several names may share an address) in out, newest first, and returns
 * how many.  The pointers are borrowed until the next insert.
 */
size_t		 pdns_lookup(struct pdns *pd, const struct ip_addr *ip,
		    uint64_t now_us, const struct pdns_entry **out, size_t max);
const struct pdns_counters *pdns_counters(const struct pdns *pd);

#endif /* PDNS_H */
