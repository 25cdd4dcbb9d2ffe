/*
 * spool.c - the on-disk record queue (see spool.h).
 *
 * Owns the segment files of one directory and two fds (the newest segment
 * for appends, the oldest for reads).  An append is one writev(2) of frame
 * header and blob: once it returns, the record survives a crash of the
 * sensor (not of the machine: there is no fsync per record).  Segments are
 * validated once at open; a torn tail is truncated there, so a segment is
 * always a clean run of frames afterwards.  Allocation happens at open and
 * when a segment is added, never per record.
 */
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/uio.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "outq.h"
#include "spool.h"

#define SPOOL_MAGIC	0x31534745u	/* "EGS1" little-endian */
#define SPOOL_FRAME	12		/* magic, len, crc */
#define SPOOL_PEEK_MAX	8192		/* records per peek */
#define SPOOL_SEG_MIN	(64u * 1024)
#define SPOOL_SEG_MAX	(64u * 1024 * 1024)
#define SPOOL_MAX_SEGS	4096

struct spool_seg {
	uint64_t	no;		/* file name number */
	uint64_t	bytes;		/* valid bytes */
	uint64_t	nrec;		/* records in it */
};

struct spool {
	char		 dir[512];
	uint64_t	 max_bytes;
	uint64_t	 seg_max;
	struct spool_seg *segs;		/* oldest first */
	size_t		 nseg, segcap;
	int		 wfd;		/* segs[nseg - 1] when >= 0 */
	int		 rfd;		/* segs[0] when >= 0 */
	uint64_t	 rd_off;	/* read offset in segs[0] */
	uint64_t	 rd_rec;	/* records consumed in segs[0] */
	uint64_t	 total_bytes;	/* sum of segment bytes */
	uint64_t	 total_rec;	/* sum of segment records */
	uint64_t	 ends[SPOOL_PEEK_MAX];	/* offsets after peeked records */
	size_t		 npeek;
	struct spool_counts c;
};

static uint32_t crc_table[256];
static pthread_once_t crc_once = PTHREAD_ONCE_INIT;

static void
crc_init(void)
{
	uint32_t c;
	int i, k;

	for (i = 0; i < 256; i++) {
		c = (uint32_t)i;
		for (k = 0; k < 8; k++)
			c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
		crc_table[i] = c;
	}
}

uint32_t
spool_crc32(const void *p, size_t n)
{
	const uint8_t *b = p;
	uint32_t c = 0xffffffffu;

	pthread_once(&crc_once, crc_init);
	while (n-- > 0)
		c = crc_table[(c ^ *b++) & 0xff] ^ (c >> 8);
	return c ^ 0xffffffffu;
}

static void
seg_path(const struct spool *sp, uint64_t no, char *buf, size_t size)
{
	snprintf(buf, size, "%s/%020" PRIu64 ".seg", sp->dir, no);
}

static uint32_t
rd32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return v;
}

/* Length of the valid frame at p[avail]: 0 when short, -1 when bad. */
static long
frame_check(const uint8_t *p, size_t avail)
{
	uint32_t len;

	if (avail < SPOOL_FRAME)
		return 0;
	len = rd32(p + 4);
	if (rd32(p) != SPOOL_MAGIC || len < OUTREC_HDR || len > (1u << 26))
		return -1;
	if (avail - SPOOL_FRAME < len)
		return 0;
	if (spool_crc32(p + SPOOL_FRAME, len) != rd32(p + 8) ||
	    outrec_len(p + SPOOL_FRAME) != len)
		return -1;
	return (long)(SPOOL_FRAME + len);
}

/* Reads a whole segment into a new buffer; NULL on error (logged). */
static uint8_t *
seg_load(const struct spool *sp, uint64_t no, size_t *len)
{
	char path[600];
	struct stat st;
	uint8_t *buf;
	ssize_t n;
	int fd;

	seg_path(sp, no, path, sizeof(path));
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1 ||
	    fstat(fd, &st) == -1) {
		log_warn("spool: %s", path);
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	*len = (size_t)st.st_size;
	if ((buf = malloc(*len + 1)) == NULL ||
	    (n = pread(fd, buf, *len, 0)) < 0 || (size_t)n != *len) {
		log_warn("spool: read %s", path);
		free(buf);
		close(fd);
		return NULL;
	}
	close(fd);
	return buf;
}

/* Counts the good frames of a segment, truncating a torn tail. */
static int
seg_validate(struct spool *sp, struct spool_seg *s)
{
	char path[600];
	uint8_t *buf;
	size_t len, off = 0;
	long fl;

	if ((buf = seg_load(sp, s->no, &len)) == NULL)
		return -1;
	s->nrec = 0;
	while (off < len && (fl = frame_check(buf + off, len - off)) > 0) {
		off += (size_t)fl;
		s->nrec++;
	}
	free(buf);
	s->bytes = off;
	if (off < len) {
		sp->c.torn++;
		seg_path(sp, s->no, path, sizeof(path));
		log_warnx("spool: %s: torn record at offset %zu (%zu bytes "
		    "skipped)", path, off, len - off);
		if (truncate(path, (off_t)off) == -1)
			log_warn("spool: truncate %s", path);
	}
	return 0;
}

static int
seg_cmp(const void *a, const void *b)
{
	const struct spool_seg *x = a, *y = b;

	return x->no < y->no ? -1 : x->no > y->no;
}

static int
seg_add(struct spool *sp, uint64_t no)
{
	struct spool_seg *n;
	size_t cap;

	if (sp->nseg == sp->segcap) {
		cap = sp->segcap ? sp->segcap * 2 : 16;
		if (cap > SPOOL_MAX_SEGS ||
		    (n = realloc(sp->segs, cap * sizeof(*n))) == NULL)
			return -1;
		sp->segs = n;
		sp->segcap = cap;
	}
	sp->segs[sp->nseg++] = (struct spool_seg){ no, 0, 0 };
	return 0;
}

/* Lists the *.seg files of the directory, oldest first. */
static int
spool_list(struct spool *sp)
{
	struct dirent *de;
	DIR *d;
	char *end;
	uint64_t no;

	if ((d = opendir(sp->dir)) == NULL) {
		log_warn("spool: %s", sp->dir);
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		if (strlen(de->d_name) != 24 ||
		    strcmp(de->d_name + 20, ".seg") != 0)
			continue;
		no = strtoull(de->d_name, &end, 10);
		if (end != de->d_name + 20 || seg_add(sp, no) == -1)
			continue;
	}
	closedir(d);
	if (sp->nseg > 1)
		qsort(sp->segs, sp->nseg, sizeof(*sp->segs), seg_cmp);
	return 0;
}

static void
cursor_path(const struct spool *sp, char *buf, size_t size, const char *sfx)
{
	snprintf(buf, size, "%s/cursor%s", sp->dir, sfx);
}

/* Writes "segno offset records" to the cursor file, atomically. */
static void
cursor_save(struct spool *sp)
{
	char path[600], tmp[600], line[96];
	int fd, n;

	cursor_path(sp, path, sizeof(path), "");
	cursor_path(sp, tmp, sizeof(tmp), ".tmp");
	n = snprintf(line, sizeof(line), "%" PRIu64 " %" PRIu64 " %" PRIu64
	    "\n", sp->nseg ? sp->segs[0].no : 0, sp->rd_off, sp->rd_rec);
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
	    0600)) == -1 || write(fd, line, (size_t)n) != n ||
	    close(fd) == -1 || rename(tmp, path) == -1) {
		sp->c.io_errors++;
		if (fd >= 0)
			close(fd);
	}
}

/* Drops segments before the saved cursor; sets the read offset. */
static void
cursor_load(struct spool *sp)
{
	char path[600];
	uint64_t no = 0, off = 0, nrec = 0;
	FILE *fp;
	size_t i = 0;

	cursor_path(sp, path, sizeof(path), "");
	if ((fp = fopen(path, "r")) == NULL)
		return;
	if (fscanf(fp, "%" SCNu64 " %" SCNu64 " %" SCNu64, &no, &off,
	    &nrec) != 3)
		no = off = nrec = 0;
	fclose(fp);
	while (i < sp->nseg && sp->segs[i].no < no)
		i++;
	for (size_t k = 0; k < i; k++) {
		seg_path(sp, sp->segs[k].no, path, sizeof(path));
		unlink(path);
	}
	memmove(sp->segs, sp->segs + i, (sp->nseg - i) * sizeof(*sp->segs));
	sp->nseg -= i;
	if (sp->nseg > 0 && sp->segs[0].no == no && off <= sp->segs[0].bytes &&
	    nrec <= sp->segs[0].nrec) {
		sp->rd_off = off;
		sp->rd_rec = nrec;
	}
}

struct spool *
spool_open(const char *dir, uint64_t max_bytes)
{
	struct spool *sp;
	size_t i;

	if ((sp = calloc(1, sizeof(*sp))) == NULL) {
		log_warn("spool: calloc");
		return NULL;
	}
	sp->wfd = sp->rfd = -1;
	if (snprintf(sp->dir, sizeof(sp->dir), "%s", dir) >=
	    (int)sizeof(sp->dir)) {
		log_warnx("spool: directory name too long");
		goto fail;
	}
	if (mkdir(dir, 0700) == -1 && errno != EEXIST) {
		log_warn("spool: mkdir %s", dir);
		goto fail;
	}
	sp->max_bytes = max_bytes;
	sp->seg_max = max_bytes / 8;
	if (sp->seg_max < SPOOL_SEG_MIN)
		sp->seg_max = SPOOL_SEG_MIN;
	if (sp->seg_max > SPOOL_SEG_MAX)
		sp->seg_max = SPOOL_SEG_MAX;
	if (spool_list(sp) == -1)
		goto fail;
	for (i = 0; i < sp->nseg; i++) {
		if (seg_validate(sp, &sp->segs[i]) == -1)
			goto fail;
		sp->total_bytes += sp->segs[i].bytes;
		sp->total_rec += sp->segs[i].nrec;
	}
	cursor_load(sp);
	sp->total_bytes = sp->total_rec = 0;
	for (i = 0; i < sp->nseg; i++) {
		sp->total_bytes += sp->segs[i].bytes;
		sp->total_rec += sp->segs[i].nrec;
	}
	return sp;
fail:
	free(sp->segs);
	free(sp);
	return NULL;
}

void
spool_close(struct spool *sp)
{
	if (sp == NULL)
		return;
	if (sp->wfd >= 0)
		close(sp->wfd);
	if (sp->rfd >= 0)
		close(sp->rfd);
	cursor_save(sp);
	free(sp->segs);
	free(sp);
}

/* Removes segs[0] (read or dropped); the read position moves on. */
static void
seg_remove_first(struct spool *sp)
{
	char path[600];

	if (sp->nseg == 0)
		return;
	if (sp->rfd >= 0) {
		close(sp->rfd);
		sp->rfd = -1;
	}
	if (sp->nseg == 1 && sp->wfd >= 0) {
		close(sp->wfd);
		sp->wfd = -1;
	}
	seg_path(sp, sp->segs[0].no, path, sizeof(path));
	unlink(path);
	sp->total_bytes -= sp->segs[0].bytes;
	sp->total_rec -= sp->segs[0].nrec;
	memmove(sp->segs, sp->segs + 1, (sp->nseg - 1) * sizeof(*sp->segs));
	sp->nseg--;
	sp->rd_off = sp->rd_rec = 0;
	sp->npeek = 0;
}

/* A new newest segment for appends; 0 or -1. */
static int
seg_start(struct spool *sp)
{
	char path[600];
	uint64_t no = sp->nseg ? sp->segs[sp->nseg - 1].no + 1 : 1;

	if (sp->wfd >= 0) {
		close(sp->wfd);
		sp->wfd = -1;
	}
	if (seg_add(sp, no) == -1)
		return -1;
	seg_path(sp, no, path, sizeof(path));
	sp->wfd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND |
	    O_CLOEXEC, 0600);
	if (sp->wfd == -1) {
		sp->nseg--;
		return -1;
	}
	return 0;
}

int
spool_append(struct spool *sp, const uint8_t *blob, size_t len)
{
	uint32_t hdr[3] = { SPOOL_MAGIC, (uint32_t)len, 0 };
	struct iovec iov[2];
	struct spool_seg *s;
	size_t need = SPOOL_FRAME + len;
	ssize_t n;

	while (sp->total_bytes + need > sp->max_bytes && sp->nseg > 0 &&
	    !(sp->nseg == 1 && sp->wfd >= 0)) {
		sp->c.dropped_full += sp->segs[0].nrec - sp->rd_rec;
		sp->total_rec -= sp->rd_rec;	/* keep the backlog right */
		sp->segs[0].nrec -= sp->rd_rec;
		seg_remove_first(sp);
	}
	if (sp->total_bytes + need > sp->max_bytes) {
		sp->c.dropped_full++;
		return -1;
	}
	if (sp->wfd < 0 || (sp->segs[sp->nseg - 1].bytes > 0 &&
	    sp->segs[sp->nseg - 1].bytes + need > sp->seg_max)) {
		if (seg_start(sp) == -1) {
			sp->c.io_errors++;
			return -1;
		}
	}
	hdr[2] = spool_crc32(blob, len);
	iov[0] = (struct iovec){ hdr, SPOOL_FRAME };
	iov[1] = (struct iovec){ (void *)(uintptr_t)blob, len };
	s = &sp->segs[sp->nseg - 1];
	n = writev(sp->wfd, iov, 2);
	if (n < 0 || (size_t)n != need) {
		if (n > 0 && ftruncate(sp->wfd, (off_t)s->bytes) == -1)
			s->bytes += (uint64_t)n;	/* the reader skips it */
		sp->c.io_errors++;
		return -1;
	}
	s->bytes += need;
	s->nrec++;
	sp->total_bytes += need;
	sp->total_rec++;
	sp->c.appended++;
	return 0;
}

/* The read fd on segs[0]; -1 on error. */
static int
rfd_get(struct spool *sp)
{
	char path[600];

	if (sp->rfd >= 0)
		return sp->rfd;
	seg_path(sp, sp->segs[0].no, path, sizeof(path));
	if ((sp->rfd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		sp->c.io_errors++;
	return sp->rfd;
}

size_t
spool_peek(struct spool *sp, uint8_t *dst, size_t cap, size_t *nrec)
{
	size_t off = 0, out = 0, avail;
	ssize_t n;
	long fl;

	*nrec = 0;
	sp->npeek = 0;
	for (;;) {
		if (sp->nseg == 0)
			return 0;
		if (sp->rd_off < sp->segs[0].bytes)
			break;
		/* segs[0] is read: drop it unless it is the one written. */
		if (sp->nseg == 1 && sp->wfd >= 0)
			return 0;
		seg_remove_first(sp);
	}
	if (rfd_get(sp) < 0)
		return 0;
	avail = sp->segs[0].bytes - sp->rd_off;
	if (avail > cap)
		avail = cap;
	if ((n = pread(sp->rfd, dst, avail, (off_t)sp->rd_off)) <= 0) {
		sp->c.io_errors++;
		return 0;
	}
	avail = (size_t)n;
	while (sp->npeek < SPOOL_PEEK_MAX &&
	    (fl = frame_check(dst + off, avail - off)) != 0) {
		if (fl < 0) {
			/* Corrupt after open: skip the rest of the segment. */
			sp->c.torn++;
			sp->segs[0].bytes = sp->rd_off + off;
			break;
		}
		memmove(dst + out, dst + off + SPOOL_FRAME,
		    (size_t)fl - SPOOL_FRAME);
		out += (size_t)fl - SPOOL_FRAME;
		off += (size_t)fl;
		sp->ends[sp->npeek++] = sp->rd_off + off;
	}
	*nrec = sp->npeek;
	return out;
}

void
spool_consume(struct spool *sp, size_t nrec)
{
	if (nrec == 0 || nrec > sp->npeek || sp->nseg == 0)
		return;
	sp->rd_off = sp->ends[nrec - 1];
	sp->rd_rec += nrec;
	sp->npeek = 0;
	if (sp->rd_rec >= sp->segs[0].nrec && sp->rd_off >= sp->segs[0].bytes) {
		/* All read: the whole spool may be empty now. */
		if (sp->nseg == 1) {
			seg_remove_first(sp);
		} else
			seg_remove_first(sp);
	}
	cursor_save(sp);
}

uint64_t
spool_records(const struct spool *sp)
{
	return sp->total_rec - sp->rd_rec;
}

uint64_t
spool_bytes(const struct spool *sp)
{
	return sp->total_bytes;
}

const struct spool_counts *
spool_counts(const struct spool *sp)
{
	return &sp->c;
}

int
spool_chown(struct spool *sp, uid_t uid, gid_t gid)
{
	char path[600];
	size_t i;
	int rc = 0;

	if (chown(sp->dir, uid, gid) == -1) {
		log_warn("spool: chown %s", sp->dir);
		rc = -1;
	}
	for (i = 0; i < sp->nseg; i++) {
		seg_path(sp, sp->segs[i].no, path, sizeof(path));
		if (chown(path, uid, gid) == -1 && errno != ENOENT)
			rc = -1;
	}
	cursor_path(sp, path, sizeof(path), "");
	if (chown(path, uid, gid) == -1 && errno != ENOENT)
		rc = -1;
	return rc;
}

void
spool_scan(struct spool *sp, void (*fn)(void *arg, const uint8_t *blob,
    size_t len), void *arg)
{
	uint8_t *buf;
	size_t i, len, off;
	long fl;

	for (i = 0; i < sp->nseg; i++) {
		if ((buf = seg_load(sp, sp->segs[i].no, &len)) == NULL)
			continue;
		off = i == 0 ? sp->rd_off : 0;
		if (len > sp->segs[i].bytes)
			len = sp->segs[i].bytes;
		while (off < len && (fl = frame_check(buf + off,
		    len - off)) > 0) {
			fn(arg, buf + off + SPOOL_FRAME,
			    (size_t)fl - SPOOL_FRAME);
			off += (size_t)fl;
		}
		free(buf);
	}
}
