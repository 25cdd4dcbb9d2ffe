/*
 * pdns.c - DNS message parsing and the passive DNS cache (see pdns.h).
 *
 * The parser reads only through cursor.h and trusts no count in the
 * header: the question and answer walks stop at the end of the data, at
 * PDNS_MAX_RR records, or at the first record that does not fit, and a
 * name may follow at most PDNS_MAX_PTRS compression pointers, so a loop
 * of pointers ends as an error after a few steps.  The cache owns one
 * array allocated by pdns_new(); nothing on the packet path allocates or
 * logs, and time is always the caller's packet time.
 */
#include <stdlib.h>
#include <string.h>

#include "cursor.h"
#include "pdns.h"
#include "util.h"

#define PDNS_NAME_WIRE_MAX	255	/* RFC 1035 2.3.4 */

struct pdns {
	struct pdns_entry	*e;		/* nbuckets * PDNS_WAYS */
	/*
	 * Per bucket: ever written.  Every new TCP flow looks its
	 * destination up; most buckets are empty, and this byte answers
	 * without the four entries' cache lines.
	 */
	uint8_t			*used;
	uint32_t		 nbuckets;	/* a power of two */
	uint32_t		 ttl_min;	/* s */
	uint32_t		 ttl_max;	/* s */
	struct pdns_counters	 ct;
};

enum name_status { NAME_OK, NAME_SHORT, NAME_BAD };

/* Appends one label, lowercased, to out; bytes that would confuse a
 * name ('.', controls, non-ASCII) become '?'.  false when it won't fit. */
static bool
name_append(char *out, size_t cap, size_t *len, const uint8_t *lab,
    size_t n)
{
	size_t i;
	uint8_t b;

	if (*len + (*len > 0) + n + 1 > cap)
		return false;
	if (*len > 0)
		out[(*len)++] = '.';
	for (i = 0; i < n; i++) {
		b = lab[i];
		if (b >= 'A' && b <= 'Z')
			b = (uint8_t)(b - 'A' + 'a');
		else if (b <= 0x20 || b >= 0x7f || b == '.')
			b = '?';
		out[(*len)++] = (char)b;
	}
	out[*len] = '\0';
	return true;
}

/*
 * Reads a name at c (which moves past it as it appears in the record);
 * msg is the whole message, for compression pointers.  A name longer than
 * cap-1 is read to its end but stored as "" (still NAME_OK).
 */
static enum name_status
read_name(const struct cursor *msg, struct cursor *c, char *out, size_t cap)
{
	struct cursor r = *c;
	uint8_t lab[63];
	size_t len = 0, wire = 0;
	bool jumped = false, fits = true;
	int jumps = 0;
	uint8_t l;
	uint16_t off;

	out[0] = '\0';
	for (;;) {
		l = cur_u8(&r);
		if (!cur_ok(&r))
			return NAME_SHORT;
		if (l == 0)
			break;
		if ((l & 0xc0) == 0xc0) {
			off = (uint16_t)((l & 0x3f) << 8 | cur_u8(&r));
			if (!cur_ok(&r))
				return NAME_SHORT;
			if (!jumped)
				*c = r;
			jumped = true;
			if (++jumps > PDNS_MAX_PTRS)
				return NAME_BAD;
			r = *msg;
			if (!cur_skip(&r, off))
				return NAME_BAD;
			continue;
		}
		if ((l & 0xc0) != 0)
			return NAME_BAD;	/* 0x40/0x80: obsolete labels */
		wire += (size_t)l + 1;
		if (wire > PDNS_NAME_WIRE_MAX)
			return NAME_BAD;
		if (!cur_bytes(&r, lab, l))
			return NAME_SHORT;
		if (fits)
			fits = name_append(out, cap, &len, lab, l);
	}
	if (!jumped)
		*c = r;
	if (!fits)
		out[0] = '\0';
	return NAME_OK;
}

static void
addr_v4(struct ip_addr *a, const uint8_t *p)
{
	memset(a->b, 0, 10);
	a->b[10] = a->b[11] = 0xff;
	memcpy(a->b + 12, p, 4);
}

/* One answer record; false when the walk must stop. */
static bool
parse_answer(const struct cursor *msg, struct cursor *c, struct pdns_msg *m)
{
	char owner[PDNS_NAME_MAX];
	struct cursor rd;
	uint16_t type, rdlen;
	uint32_t ttl;
	uint8_t b[16];

	if (read_name(msg, c, owner, sizeof(owner)) != NAME_OK)
		return false;
	type = cur_be16(c);
	(void)cur_be16(c);		/* class */
	ttl = cur_be32(c);
	rdlen = cur_be16(c);
	if (!cur_ok(c) || !cur_has(c, rdlen))
		return false;
	if (ttl > 0x7fffffffu)		/* RFC 2181 8: treat as zero */
		ttl = 0;
	rd = cur_sub(c, rdlen);
	if (type == PDNS_TYPE_A && rdlen == 4 && m->n_addrs < PDNS_MAX_ADDRS) {
		cur_bytes(&rd, b, 4);
		addr_v4(&m->addrs[m->n_addrs].ip, b);
		m->addrs[m->n_addrs++].ttl = ttl;
	} else if (type == PDNS_TYPE_AAAA && rdlen == 16 &&
	    m->n_addrs < PDNS_MAX_ADDRS) {
		cur_bytes(&rd, m->addrs[m->n_addrs].ip.b, 16);
		m->addrs[m->n_addrs++].ttl = ttl;
	} else if (type == PDNS_TYPE_CNAME && m->n_cnames < PDNS_MAX_CNAMES) {
		if (read_name(msg, &rd, m->cnames[m->n_cnames],
		    PDNS_NAME_MAX) != NAME_OK)
			return false;
		if (m->cnames[m->n_cnames][0] != '\0')
			m->n_cnames++;
	}
	return true;
}

enum pdns_status
pdns_parse(const uint8_t *p, size_t n, struct pdns_msg *m)
{
	char scratch[PDNS_NAME_MAX];
	struct cursor msg, c;
	uint16_t flags, i;
	enum name_status ns;

	memset(m, 0, sizeof(*m));
	cur_init(&msg, p, n);
	c = msg;
	m->id = cur_be16(&c);
	flags = cur_be16(&c);
	m->qdcount = cur_be16(&c);
	m->ancount = cur_be16(&c);
	(void)cur_be16(&c);		/* nscount */
	(void)cur_be16(&c);		/* arcount */
	if (!cur_ok(&c))
		return PDNS_TRUNCATED;
	m->response = (flags & 0x8000) != 0;
	m->opcode = (uint8_t)(flags >> 11 & 0x0f);
	m->rcode = (uint8_t)(flags & 0x0f);
	if (m->opcode > 6 || m->qdcount > PDNS_MAX_RR)
		return PDNS_MALFORMED;
	for (i = 0; i < m->qdcount; i++) {
		ns = read_name(&msg, &c, i == 0 ? m->qname : scratch,
		    PDNS_NAME_MAX);
		if (ns == NAME_BAD)
			return PDNS_MALFORMED;
		if (i == 0)
			m->qtype = cur_be16(&c);
		else
			(void)cur_be16(&c);
		(void)cur_be16(&c);	/* qclass */
		if (ns == NAME_SHORT || !cur_ok(&c))
			return PDNS_TRUNCATED;
	}
	for (i = 0; i < m->ancount && i < PDNS_MAX_RR; i++) {
		if (!parse_answer(&msg, &c, m)) {
			m->answers_cut = true;
			return PDNS_OK;
		}
		m->answers_walked++;
	}
	m->answers_cut = i < m->ancount;
	return PDNS_OK;
}

const char *
pdns_type_name(uint16_t type)
{
	switch (type) {
	case 1:		return "A";
	case 2:		return "NS";
	case 5:		return "CNAME";
	case 6:		return "SOA";
	case 12:	return "PTR";
	case 15:	return "MX";
	case 16:	return "TXT";
	case 28:	return "AAAA";
	case 33:	return "SRV";
	case 64:	return "SVCB";
	case 65:	return "HTTPS";
	case 255:	return "ANY";
	default:	return NULL;
	}
}

const char *
pdns_rcode_name(uint8_t rcode)
{
	static const char *const names[] = { "NOERROR", "FORMERR",
	    "SERVFAIL", "NXDOMAIN", "NOTIMP", "REFUSED" };

	return rcode < sizeof(names) / sizeof(names[0]) ? names[rcode] : NULL;
}

struct pdns *
pdns_new(uint32_t capacity, uint32_t ttl_min, uint32_t ttl_max)
{
	struct pdns *pd;
	uint32_t nb = 1;

	while ((uint64_t)nb * PDNS_WAYS < capacity && nb < (1u << 28))
		nb <<= 1;
	if ((pd = calloc(1, sizeof(*pd))) == NULL)
		return NULL;
	if ((pd->e = calloc((size_t)nb * PDNS_WAYS, sizeof(*pd->e))) == NULL ||
	    (pd->used = calloc(nb, 1)) == NULL) {
		free(pd->e);
		free(pd);
		return NULL;
	}
	pd->nbuckets = nb;
	pdns_set_ttl(pd, ttl_min, ttl_max);
	return pd;
}

void
pdns_free(struct pdns *pd)
{
	if (pd == NULL)
		return;
	free(pd->e);
	free(pd->used);
	free(pd);
}

uint32_t
pdns_capacity(const struct pdns *pd)
{
	return pd->nbuckets * PDNS_WAYS;
}

void
pdns_set_ttl(struct pdns *pd, uint32_t ttl_min, uint32_t ttl_max)
{
	pd->ttl_min = ttl_min;
	pd->ttl_max = ttl_max < ttl_min ? ttl_min : ttl_max;
}

const struct pdns_counters *
pdns_counters(const struct pdns *pd)
{
	return &pd->ct;
}

/* FNV-1a over the address; fixed so that replays are identical. */
static uint32_t
bucket_idx(const struct pdns *pd, const struct ip_addr *ip)
{
	uint32_t h = 2166136261u;
	int i;

	for (i = 0; i < 16; i++)
		h = (h ^ ip->b[i]) * 16777619u;
	h ^= h >> 15;
	return h & (pd->nbuckets - 1);
}

static bool
entry_live(const struct pdns_entry *e, uint64_t now_us)
{
	return e->expires_us != 0 && now_us <= e->expires_us;
}

void
pdns_insert(struct pdns *pd, const struct ip_addr *ip, const char *qname,
    const char *owner, uint32_t ttl, uint64_t now_us)
{
	struct pdns_entry *b, *slot = NULL;
	uint64_t life;
	uint32_t idx;
	int i;

	if (qname == NULL || qname[0] == '\0')
		return;
	if (owner == NULL || strcmp(owner, qname) == 0)
		owner = "";
	idx = bucket_idx(pd, ip);
	pd->used[idx] = 1;
	b = pd->e + (size_t)idx * PDNS_WAYS;
	for (i = 0; i < PDNS_WAYS && slot == NULL; i++)
		if (b[i].expires_us != 0 &&
		    memcmp(b[i].ip.b, ip->b, 16) == 0 &&
		    strcmp(b[i].qname, qname) == 0)
			slot = &b[i];
	for (i = 0; i < PDNS_WAYS && slot == NULL; i++)
		if (!entry_live(&b[i], now_us))
			slot = &b[i];
	if (slot == NULL) {
		slot = &b[0];
		for (i = 1; i < PDNS_WAYS; i++)
			if (b[i].expires_us < slot->expires_us)
				slot = &b[i];
		pd->ct.replaced++;
	}
	life = ttl < pd->ttl_min ? pd->ttl_min : ttl;
	if (life > pd->ttl_max)
		life = pd->ttl_max;
	slot->ip = *ip;
	slot->seen_us = now_us;
	slot->expires_us = now_us + life * 1000000ULL;
	if (slot->expires_us == 0)
		slot->expires_us = 1;
	slot->ttl = ttl;
	strlcpy(slot->qname, qname, sizeof(slot->qname));
	strlcpy(slot->owner, owner, sizeof(slot->owner));
	pd->ct.inserts++;
}

void
pdns_insert_msg(struct pdns *pd, const struct pdns_msg *m, uint64_t now_us)
{
	const char *owner;
	uint8_t i;

	if (!m->response || m->rcode != 0 || m->qname[0] == '\0')
		return;
	owner = m->n_cnames > 0 ? m->cnames[m->n_cnames - 1] : NULL;
	for (i = 0; i < m->n_addrs; i++)
		pdns_insert(pd, &m->addrs[i].ip, m->qname, owner,
		    m->addrs[i].ttl, now_us);
}

size_t
pdns_lookup(struct pdns *pd, const struct ip_addr *ip, uint64_t now_us,
    const struct pdns_entry **out, size_t max)
{
	const struct pdns_entry *b, *t;
	size_t n = 0, i, j;
	uint32_t idx = bucket_idx(pd, ip);

	if (!pd->used[idx]) {
		pd->ct.misses++;
		return 0;
	}
	b = pd->e + (size_t)idx * PDNS_WAYS;
	for (i = 0; i < PDNS_WAYS; i++) {
		if (b[i].expires_us == 0 || memcmp(b[i].ip.b, ip->b, 16) != 0)
			continue;
		if (!entry_live(&b[i], now_us)) {
			pd->ct.expired++;
			continue;
		}
		if (n < max)
			out[n++] = &b[i];
	}
	/* Newest first: at most PDNS_WAYS entries, insertion sort. */
	for (i = 1; i < n; i++)
		for (j = i; j > 0 && out[j]->seen_us > out[j - 1]->seen_us;
		    j--) {
			t = out[j];
			out[j] = out[j - 1];
			out[j - 1] = t;
		}
	if (n > 0)
		pd->ct.hits++;
	else
		pd->ct.misses++;
	return n;
}
