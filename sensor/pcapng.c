/*
 * pcapng.c - our own pcapng block reader (see pcapng.h).
 *
 * Owns one block buffer and the interface table of the current section.
 * A block is read in two steps: its 8-byte header (type, total length),
 * then the rest, whose trailing length must repeat the first.  Bodies
 * are parsed with a cursor in the section's byte order.  Timestamps are
 * scaled by each interface's if_tsresol and shifted by if_tsoffset.
 * Never logs: errors go to the caller's buffer with the block's offset.
 */
#include <stdlib.h>
#include <string.h>

#include "cursor.h"
#include "pcapng.h"

#define BT_SHB		0x0a0d0d0aU
#define BT_IDB		1U
#define BT_PB		2U	/* obsolete Packet Block */
#define BT_SPB		3U
#define BT_EPB		6U
#define OPT_TSRESOL	9U
#define OPT_TSOFFSET	14U

struct pcapng_if {
	int		dlt;
	uint32_t	snaplen;
	uint64_t	units;		/* timestamp units per second */
	int64_t		offset_s;	/* if_tsoffset */
};

struct pcapng {
	FILE		*fp;		/* borrowed */
	bool		 be;		/* section is big-endian */
	uint8_t		*buf;		/* PCAPNG_MAX_BLOCK bytes */
	uint64_t	 off;		/* file offset of the next block */
	uint64_t	 last_ts_us;	/* for Simple Packet Blocks */
	struct pcapng_if ifs[PCAPNG_MAX_IF];
	uint32_t	 n_if;
	uint32_t	 section;	/* sections started, minus one */
};

static uint32_t
rd32(const struct pcapng *r, struct cursor *c)
{
	return r->be ? cur_be32(c) : cur_le32(c);
}

static uint16_t
rd16(const struct pcapng *r, struct cursor *c)
{
	return r->be ? cur_be16(c) : cur_le16(c);
}

static uint32_t
raw32(const struct pcapng *r, const uint8_t *p)
{
	struct cursor c;

	cur_init(&c, p, 4);
	return rd32(r, &c);
}

bool
pcapng_magic(const uint8_t first[4])
{
	return first[0] == 0x0a && first[1] == 0x0d && first[2] == 0x0d &&
	    first[3] == 0x0a;
}

/* pcapng LINKTYPE_* to libpcap DLT_*: they differ for raw IP only. */
static int
pcapng_dlt(uint16_t linktype)
{
	return linktype == 101 ? 12 : linktype;
}

/*
 * Reads the block whose 4 type bytes are hdr[0..3] (already read) into
 * r->buf: *len gets its total length.  For a Section Header the byte
 * order comes from its byte-order magic.  0 or -1 (err set).
 */
static int
pcapng_read_block(struct pcapng *r, const uint8_t type[4], uint32_t *len,
    char *err, size_t errlen)
{
	uint8_t *b = r->buf;

	memcpy(b, type, 4);
	if (fread(b + 4, 1, 4, r->fp) != 4)
		goto short_read;
	if (pcapng_magic(type)) {
		if (fread(b + 8, 1, 4, r->fp) != 4)
			goto short_read;
		if (b[8] == 0x1a && b[9] == 0x2b && b[10] == 0x3c &&
		    b[11] == 0x4d)
			r->be = true;
		else if (b[8] == 0x4d && b[9] == 0x3c && b[10] == 0x2b &&
		    b[11] == 0x1a)
			r->be = false;
		else {
			snprintf(err, errlen, "pcapng: bad byte-order magic "
			    "at offset %llu", (unsigned long long)r->off);
			return -1;
		}
	}
	*len = raw32(r, b + 4);
	if (*len < 12 || *len % 4 != 0 || *len > PCAPNG_MAX_BLOCK ||
	    (pcapng_magic(type) && *len < 28)) {
		snprintf(err, errlen, "pcapng: block of %u bytes at offset "
		    "%llu (must be 12..%u, a multiple of 4)", *len,
		    (unsigned long long)r->off, PCAPNG_MAX_BLOCK);
		return -1;
	}
	if (pcapng_magic(type)) {
		if (fread(b + 12, 1, *len - 12, r->fp) != *len - 12)
			goto short_read;
	} else if (fread(b + 8, 1, *len - 8, r->fp) != *len - 8)
		goto short_read;
	if (raw32(r, b + *len - 4) != *len) {
		snprintf(err, errlen, "pcapng: block at offset %llu: trailing "
		    "length differs", (unsigned long long)r->off);
		return -1;
	}
	r->off += *len;
	return 0;
short_read:
	snprintf(err, errlen, "pcapng: file cut in the block at offset %llu",
	    (unsigned long long)r->off);
	return -1;
}

/* Interface Description Block body (after type and length). */
static int
pcapng_idb(struct pcapng *r, struct cursor *c, char *err, size_t errlen)
{
	struct pcapng_if *ifc;
	uint16_t code, n;
	uint8_t v;

	if (r->n_if == PCAPNG_MAX_IF) {
		snprintf(err, errlen, "pcapng: more than %d interfaces in a "
		    "section", PCAPNG_MAX_IF);
		return -1;
	}
	ifc = &r->ifs[r->n_if];
	memset(ifc, 0, sizeof(*ifc));
	ifc->dlt = pcapng_dlt(rd16(r, c));
	(void)rd16(r, c);
	ifc->snaplen = rd32(r, c);
	ifc->units = 1000000;
	while (cur_ok(c) && cur_left(c) >= 4) {
		code = rd16(r, c);
		n = rd16(r, c);
		if (code == 0 || !cur_has(c, n))
			break;
		if (code == OPT_TSRESOL && n >= 1) {
			v = cur_peek(c, 0);
			if ((v & 0x80) ? (v & 0x7f) > 63 : v > 19)
				goto bad_resol;
			ifc->units = 1;
			if (v & 0x80)
				ifc->units <<= (v & 0x7f);
			else
				while (v-- > 0)
					ifc->units *= 10;
		} else if (code == OPT_TSOFFSET && n == 8) {
			struct cursor o = *c;
			uint64_t hi = rd32(r, &o), lo = rd32(r, &o);

			ifc->offset_s = (int64_t)(r->be ? hi << 32 | lo :
			    lo << 32 | hi);
		}
		cur_skip(c, ((size_t)n + 3) & ~(size_t)3);
	}
	if (ifc->units == 0)
		goto bad_resol;
	r->n_if++;
	return 0;
bad_resol:
	snprintf(err, errlen, "pcapng: interface %u: bad if_tsresol",
	    r->n_if);
	return -1;
}

static uint64_t
pcapng_ts_us(const struct pcapng_if *ifc, uint64_t t)
{
	uint64_t s = t / ifc->units, frac = t % ifc->units;
	unsigned __int128 us = (unsigned __int128)frac * 1000000u /
	    ifc->units;

	return (uint64_t)((int64_t)s + ifc->offset_s) * 1000000u +
	    (uint64_t)us;
}

/* Enhanced (or obsolete) Packet Block body into p; 1, or -1. */
static int
pcapng_epb(struct pcapng *r, struct cursor *c, bool obsolete,
    struct pcapng_pkt *p, char *err, size_t errlen)
{
	const struct pcapng_if *ifc;
	uint64_t hi, lo;

	if (obsolete) {
		p->ifidx = rd16(r, c);
		(void)rd16(r, c);
	} else
		p->ifidx = rd32(r, c);
	hi = rd32(r, c);
	lo = rd32(r, c);
	p->caplen = rd32(r, c);
	p->wirelen = rd32(r, c);
	if (!cur_ok(c) || p->ifidx >= r->n_if || !cur_has(c, p->caplen)) {
		snprintf(err, errlen, "pcapng: packet block before offset "
		    "%llu: %s", (unsigned long long)r->off,
		    p->ifidx >= r->n_if ? "unknown interface" :
		    "captured length beyond the block");
		return -1;
	}
	ifc = &r->ifs[p->ifidx];
	p->dlt = ifc->dlt;
	p->data = cur_ptr(c);
	p->ts_us = r->last_ts_us = pcapng_ts_us(ifc, hi << 32 | lo);
	return 1;
}

/* Simple Packet Block: interface 0, no timestamp (the last one seen). */
static int
pcapng_spb(struct pcapng *r, struct cursor *c, struct pcapng_pkt *p,
    char *err, size_t errlen)
{
	if (r->n_if == 0) {
		snprintf(err, errlen, "pcapng: simple packet block before any "
		    "interface");
		return -1;
	}
	p->ifidx = 0;
	p->dlt = r->ifs[0].dlt;
	p->wirelen = rd32(r, c);
	p->caplen = (uint32_t)cur_left(c);
	if (p->caplen > p->wirelen)
		p->caplen = p->wirelen;
	if (r->ifs[0].snaplen != 0 && p->caplen > r->ifs[0].snaplen)
		p->caplen = r->ifs[0].snaplen;
	p->data = cur_ptr(c);
	p->ts_us = r->last_ts_us;
	return 1;
}

struct pcapng *
pcapng_open(FILE *fp, const uint8_t first[4], char *err, size_t errlen)
{
	struct pcapng *r;
	uint32_t len;

	if ((r = calloc(1, sizeof(*r))) == NULL ||
	    (r->buf = malloc(PCAPNG_MAX_BLOCK)) == NULL) {
		free(r);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	r->fp = fp;
	if (pcapng_read_block(r, first, &len, err, errlen) == -1) {
		pcapng_close(r);
		return NULL;
	}
	return r;
}

int
pcapng_next(struct pcapng *r, struct pcapng_pkt *p, char *err,
    size_t errlen)
{
	uint8_t type[4];
	uint32_t len, bt;
	struct cursor c;
	size_t n;

	for (;;) {
		if ((n = fread(type, 1, 4, r->fp)) == 0 && feof(r->fp))
			return 0;
		if (n != 4) {
			snprintf(err, errlen, "pcapng: file cut at offset "
			    "%llu", (unsigned long long)r->off);
			return -1;
		}
		if (pcapng_read_block(r, type, &len, err, errlen) == -1)
			return -1;
		bt = raw32(r, r->buf);
		cur_init(&c, r->buf + 8, len - 12);
		p->section = r->section;
		if (bt == BT_SHB) {
			r->n_if = 0;	/* a new section, new interfaces */
			r->section++;
		} else if (bt == BT_IDB) {
			if (pcapng_idb(r, &c, err, errlen) == -1)
				return -1;
		} else if (bt == BT_EPB || bt == BT_PB)
			return pcapng_epb(r, &c, bt == BT_PB, p, err, errlen);
		else if (bt == BT_SPB)
			return pcapng_spb(r, &c, p, err, errlen);
	}
}

void
pcapng_close(struct pcapng *r)
{
	if (r == NULL)
		return;
	free(r->buf);
	free(r);
}
