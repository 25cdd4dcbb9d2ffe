/*
 * pcapfile.c - classic pcap records read in place (see pcapfile.h).
 *
 * Owns the mapping and a read offset.  A record is a 16-byte header
 * (seconds, fraction, captured and wire lengths, in the file's byte
 * order) and its captured bytes; both are checked against what is left
 * of the file before a pointer is handed out.  The checks, their order
 * and their messages are libpcap 1.10's, so a cut or garbled file stops
 * at the same packet with the same warning whichever reader had it.
 * Never logs.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include "cursor.h"
#include "pcapfile.h"

#define PF_MAGIC_US	0xa1b2c3d4U	/* microsecond timestamps */
#define PF_MAGIC_NS	0xa1b23c4dU	/* nanosecond timestamps */
#define PF_FILEHDR	24u
#define PF_RECHDR	16u
#define PF_HOST_BE	(__BYTE_ORDER__ == __ORDER_BIG_ENDIAN__)

/* Captured and wire lengths in the order of old versions (libpcap's). */
enum pf_lens {
	PF_LENS_PLAIN,
	PF_LENS_SWAPPED,	/* before 2.3, and DG/UX's 543.0 */
	PF_LENS_MAYBE,		/* 2.3: swapped when caplen > len */
};

struct pcapfile {
	const uint8_t	*buf;
	size_t		 len;
	size_t		 off;		/* next record */
	bool		 mapped;	/* buf is ours to munmap */
	bool		 be;		/* fields are big-endian */
	bool		 swapped;	/* not the host's byte order */
	bool		 nsec;
	enum pf_lens	 lens;
	uint32_t	 snapshot;
	uint32_t	 max_caplen;
};

static uint32_t
pf_rd32(const struct pcapfile *r, struct cursor *c)
{
	return r->be ? cur_be32(c) : cur_le32(c);
}

static uint16_t
pf_rd16(const struct pcapfile *r, struct cursor *c)
{
	return r->be ? cur_be16(c) : cur_le16(c);
}

/* The file header: magic, byte order, version.  0, or -1: not ours. */
static int
pf_header(struct pcapfile *r)
{
	struct cursor c, m;
	uint32_t le, be;
	uint16_t major, minor;

	cur_init(&c, r->buf, r->len);
	m = c;
	le = cur_le32(&m);
	m = c;
	be = cur_be32(&m);
	if (le == PF_MAGIC_US || le == PF_MAGIC_NS)
		r->nsec = le == PF_MAGIC_NS;
	else if (be == PF_MAGIC_US || be == PF_MAGIC_NS) {
		r->be = true;
		r->nsec = be == PF_MAGIC_NS;
	} else
		return -1;	/* Kuznetzov's format, or not pcap at all */
	cur_skip(&c, 4);
	major = pf_rd16(r, &c);
	minor = pf_rd16(r, &c);
	if (!cur_take(&c, PF_FILEHDR - 8))
		return -1;
	if (major == 2 && minor < 3)
		r->lens = PF_LENS_SWAPPED;
	else if (major == 2 && minor == 3)
		r->lens = PF_LENS_MAYBE;
	else if (major == 2 && minor == 4)
		r->lens = PF_LENS_PLAIN;
	else if (major == 543 && minor == 0)
		r->lens = PF_LENS_SWAPPED;
	else
		return -1;	/* libpcap refuses these */
	r->swapped = r->be != PF_HOST_BE;
	r->off = PF_FILEHDR;
	return 0;
}

struct pcapfile *
pcapfile_open_mem(const uint8_t *buf, size_t len, uint32_t snapshot,
    uint32_t max_caplen)
{
	struct pcapfile *r;

	if (buf == NULL || len < PF_FILEHDR || snapshot == 0 ||
	    (r = calloc(1, sizeof(*r))) == NULL)
		return NULL;
	r->buf = buf;
	r->len = len;
	r->snapshot = snapshot;
	r->max_caplen = max_caplen;
	if (pf_header(r) == -1) {
		free(r);
		return NULL;
	}
	return r;
}

struct pcapfile *
pcapfile_open(int fd, uint32_t snapshot, uint32_t max_caplen)
{
	struct pcapfile *r;
	struct stat st;
	size_t len;
	void *m;

	if (fd < 0 || fstat(fd, &st) == -1 || !S_ISREG(st.st_mode) ||
	    st.st_size < (off_t)PF_FILEHDR || (uint64_t)st.st_size > SIZE_MAX)
		return NULL;
	len = (size_t)st.st_size;
	if ((m = mmap(NULL, len, PROT_READ, MAP_PRIVATE, fd, 0)) == MAP_FAILED)
		return NULL;
	(void)madvise(m, len, MADV_SEQUENTIAL);
	if ((r = pcapfile_open_mem(m, len, snapshot, max_caplen)) == NULL) {
		(void)munmap(m, len);
		return NULL;
	}
	r->mapped = true;
	return r;
}

/*
 * libpcap 1.10's timeval: its 32-bit fields are signed when the file is
 * in the host's byte order and unsigned when libpcap swapped them
 * (SWAPLONG gives an unsigned int), so a time past 2038 or a fraction
 * past 2^31 differs by byte order; nanoseconds are cut to micro after.
 */
static uint64_t
pf_ts_us(const struct pcapfile *r, uint32_t sec, uint32_t frac)
{
	int64_t s = r->swapped ? (int64_t)sec : (int64_t)(int32_t)sec;
	int64_t f = r->swapped ? (int64_t)frac : (int64_t)(int32_t)frac;

	if (r->nsec)
		f /= 1000;
	return (uint64_t)s * 1000000u + (uint64_t)f;
}

/* A record's captured bytes: how many are kept, or -1 (err set). */
static int
pf_body(struct pcapfile *r, uint32_t caplen, size_t left, uint32_t *keep,
    char *err, size_t errlen)
{
	uint32_t want = caplen;

	if (caplen > r->max_caplen) {
		if (caplen > r->snapshot)
			snprintf(err, errlen, "invalid packet capture length "
			    "%u, bigger than snaplen of %d", caplen,
			    (int)r->snapshot);
		else
			snprintf(err, errlen, "invalid packet capture length "
			    "%u, bigger than maximum of %u", caplen,
			    r->max_caplen);
		return -1;
	}
	/* Beyond the snapshot length: cut to it, the rest skipped. */
	if (caplen > r->snapshot && left < r->snapshot)
		want = r->snapshot;
	if (left < want) {
		snprintf(err, errlen, "truncated dump file; tried to read %u "
		    "captured bytes, only got %zu", want, left);
		return -1;
	}
	*keep = caplen > r->snapshot ? r->snapshot : caplen;
	return 0;
}

int
pcapfile_next(struct pcapfile *r, struct pcapfile_pkt *p, char *err,
    size_t errlen)
{
	uint32_t sec, frac, caplen, wirelen, t, keep;
	struct cursor c;

	cur_init(&c, r->buf + r->off, r->len - r->off);
	if (cur_left(&c) == 0)
		return 0;
	if (!cur_has(&c, PF_RECHDR)) {
		snprintf(err, errlen, "truncated dump file; tried to read %u "
		    "header bytes, only got %zu", PF_RECHDR, cur_left(&c));
		r->off = r->len;
		return -1;
	}
	sec = pf_rd32(r, &c);
	frac = pf_rd32(r, &c);
	caplen = pf_rd32(r, &c);
	wirelen = pf_rd32(r, &c);
	r->off += PF_RECHDR;
	if (r->lens == PF_LENS_SWAPPED ||
	    (r->lens == PF_LENS_MAYBE && caplen > wirelen)) {
		t = caplen;
		caplen = wirelen;
		wirelen = t;
	}
	if (pf_body(r, caplen, cur_left(&c), &keep, err, errlen) == -1) {
		if (caplen <= r->max_caplen)	/* read to the end */
			r->off = r->len;
		return -1;
	}
	p->data = cur_ptr(&c);
	p->caplen = keep;
	p->wirelen = wirelen;
	p->ts_us = pf_ts_us(r, sec, frac);
	r->off += caplen;
	return 1;
}

uint64_t
pcapfile_pos(const struct pcapfile *r)
{
	return r->off;
}

void
pcapfile_close(struct pcapfile *r)
{
	if (r == NULL)
		return;
	if (r->mapped)
		(void)munmap((void *)(uintptr_t)r->buf, r->len);
	free(r);
}
