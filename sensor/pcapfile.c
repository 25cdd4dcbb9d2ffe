/*
 * pcapfile.c - classic pcap records, our reader (see pcapfile.h).
 *
 * Owns a read buffer (PF_BUF bytes, refilled by pread(2) when a record
 * runs past what it holds) and a read offset.  A record is a 16-byte header
 * (seconds, fraction, captured and wire lengths, in the file's byte
 * order) and its captured bytes; both are checked against what is left
 * of the file before a pointer is handed out.  The checks, their order
 * and their messages are libpcap 1.10's, so a cut or garbled file stops
 * at the same packet with the same warning whichever reader had it.
 * Never logs.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "cursor.h"
#include "pcapfile.h"

#define PF_MAGIC_US	0xa1b2c3d4U	/* microsecond timestamps */
#define PF_MAGIC_NS	0xa1b23c4dU	/* nanosecond timestamps */
#define PF_FILEHDR	24u
#define PF_RECHDR	16u
#define PF_BUF		(1u << 20)	/* read buffer: >= the largest record */
/* Read at most this much at once, so what is read is still in cache (L2) when parsed. */
#define PF_CHUNK	(128u << 10)
#define PF_HOST_BE	(__BYTE_ORDER__ == __ORDER_BIG_ENDIAN__)

/* Captured and wire lengths in the order of old versions (libpcap's). */
enum pf_lens {
	PF_LENS_PLAIN,
	PF_LENS_SWAPPED,	/* before 2.3, and DG/UX's 543.0 */
	PF_LENS_MAYBE,		/* 2.3: swapped when caplen > len */
};

struct pcapfile {
	int		 fd;		/* borrowed; -1: buf is the whole file */
	uint8_t		*own;		/* PF_BUF bytes, when fd >= 0 */
	const uint8_t	*buf;
	size_t		 off;		/* next record in buf */
	size_t		 end;		/* bytes of buf filled */
	uint64_t	 fpos;		/* file offset of buf[end] */
	bool		 eof;		/* nothing more to read */
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

	cur_init(&c, r->buf, r->end);
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

/*
 * Makes at least need bytes from r->off readable in buf, or all that is
 * left of the file: the unread tail moves to the front and the rest of
 * the buffer is filled by pread(2) (one copy, by the kernel).  0, or -1
 * on a read error (errno set).
 */
static int
pf_fill(struct pcapfile *r, size_t need)
{
	size_t want;
	ssize_t n;

	if (r->end - r->off >= need || r->eof)
		return 0;
	if (r->off > 0) {
		memmove(r->own, r->own + r->off, r->end - r->off);
		r->end -= r->off;
		r->off = 0;
	}
	while (r->end < need) {
		want = PF_BUF - r->end;
		if (want > PF_CHUNK && need - r->end <= PF_CHUNK)
			want = PF_CHUNK;
		n = pread(r->fd, r->own + r->end, want, (off_t)r->fpos);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			return -1;
		if (n == 0) {
			r->eof = true;
			break;
		}
		r->end += (size_t)n;
		r->fpos += (uint64_t)n;
	}
	return 0;
}

static struct pcapfile *
pf_new(int fd, const uint8_t *buf, size_t len, uint32_t snapshot,
    uint32_t max_caplen)
{
	struct pcapfile *r;

	if (snapshot == 0 || (r = calloc(1, sizeof(*r))) == NULL)
		return NULL;
	r->fd = fd;
	r->snapshot = snapshot;
	r->max_caplen = max_caplen;
	if (fd >= 0 && (r->own = malloc(PF_BUF)) == NULL) {
		free(r);
		return NULL;
	}
	r->buf = fd >= 0 ? r->own : buf;
	r->end = fd >= 0 ? 0 : len;
	r->eof = fd < 0;
	if (pf_fill(r, PF_FILEHDR) == -1 || r->end < PF_FILEHDR ||
	    pf_header(r) == -1) {
		pcapfile_close(r);
		return NULL;
	}
	return r;
}

struct pcapfile *
pcapfile_open_mem(const uint8_t *buf, size_t len, uint32_t snapshot,
    uint32_t max_caplen)
{
	if (buf == NULL)
		return NULL;
	return pf_new(-1, buf, len, snapshot, max_caplen);
}

struct pcapfile *
pcapfile_open(int fd, uint32_t snapshot, uint32_t max_caplen)
{
	struct stat st;

	/* Pipes stay with libpcap; a record must fit the buffer. */
	if (fd < 0 || fstat(fd, &st) == -1 || !S_ISREG(st.st_mode) ||
	    max_caplen > PF_BUF - PF_RECHDR)
		return NULL;
	(void)posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
	return pf_new(fd, NULL, 0, snapshot, max_caplen);
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

/* The captured length against the link type's maximum; 0 or -1. */
static int
pf_caplen_ok(const struct pcapfile *r, uint32_t caplen, char *err,
    size_t errlen)
{
	if (caplen <= r->max_caplen)
		return 0;
	if (caplen > r->snapshot)
		snprintf(err, errlen, "invalid packet capture length %u, "
		    "bigger than snaplen of %d", caplen, (int)r->snapshot);
	else
		snprintf(err, errlen, "invalid packet capture length %u, "
		    "bigger than maximum of %u", caplen, r->max_caplen);
	return -1;
}

/*
 * The captured bytes, left of them in the file: how many are kept (at
 * most the snapshot length, the rest skipped), or -1 for a cut file
 * with libpcap's count (it reads the snapshot length, then the rest).
 */
static int
pf_body(const struct pcapfile *r, uint32_t caplen, size_t left,
    uint32_t *keep, char *err, size_t errlen)
{
	uint32_t want = caplen;

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

/* A read error, worded as libpcap's; the file counts as ended. */
static int
pf_read_error(struct pcapfile *r, char *err, size_t errlen)
{
	snprintf(err, errlen, "error reading dump file: %s", strerror(errno));
	r->off = r->end;
	r->eof = true;
	return -1;
}

int
pcapfile_next(struct pcapfile *r, struct pcapfile_pkt *p, char *err,
    size_t errlen)
{
	uint32_t sec, frac, caplen, wirelen, t, keep;
	struct cursor c;

	if (pf_fill(r, PF_RECHDR) == -1)
		return pf_read_error(r, err, errlen);
	cur_init(&c, r->buf + r->off, r->end - r->off);
	if (cur_left(&c) == 0)
		return 0;
	if (!cur_has(&c, PF_RECHDR)) {
		snprintf(err, errlen, "truncated dump file; tried to read %u "
		    "header bytes, only got %zu", PF_RECHDR, cur_left(&c));
		r->off = r->end;
		return -1;
	}
	sec = pf_rd32(r, &c);
	frac = pf_rd32(r, &c);
	caplen = pf_rd32(r, &c);
	wirelen = pf_rd32(r, &c);
	if (r->lens == PF_LENS_SWAPPED ||
	    (r->lens == PF_LENS_MAYBE && caplen > wirelen)) {
		t = caplen;
		caplen = wirelen;
		wirelen = t;
	}
	if (pf_caplen_ok(r, caplen, err, errlen) == -1) {
		r->off += PF_RECHDR;
		return -1;
	}
	/* caplen <= max_caplen: header and bytes fit the buffer. */
	if (pf_fill(r, PF_RECHDR + (size_t)caplen) == -1)
		return pf_read_error(r, err, errlen);
	cur_init(&c, r->buf + r->off + PF_RECHDR, r->end - r->off - PF_RECHDR);
	if (pf_body(r, caplen, cur_left(&c), &keep, err, errlen) == -1) {
		r->off = r->end;
		return -1;
	}
	p->data = cur_ptr(&c);
	p->caplen = keep;
	p->wirelen = wirelen;
	p->ts_us = pf_ts_us(r, sec, frac);
	r->off += PF_RECHDR + (size_t)caplen;
	return 1;
}

uint64_t
pcapfile_pos(const struct pcapfile *r)
{
	return r->fd >= 0 ? r->fpos - (r->end - r->off) : r->off;
}

void
pcapfile_close(struct pcapfile *r)
{
	if (r == NULL)
		return;
	free(r->own);
	free(r);
}
