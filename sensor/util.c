/*
 * util.c - string helpers (see util.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"

size_t
util_strlcpy(char *dst, const char *src, size_t size)
{
	size_t len = strlen(src);

	if (size > 0) {
		size_t n = len < size - 1 ? len : size - 1;

		memcpy(dst, src, n);
		dst[n] = '\0';
	}
	return len;
}

void
util_swap(void *a, void *b, size_t n)
{
	unsigned char *x = a, *y = b, t;
	size_t i;

	for (i = 0; i < n; i++) {
		t = x[i];
		x[i] = y[i];
		y[i] = t;
	}
}

void
util_strncpy_printable(char *dst, size_t size, const char *src, size_t n)
{
	size_t i;

	if (size == 0)
		return;
	if (n > size - 1)
		n = size - 1;
	for (i = 0; i < n; i++)
		dst[i] = src[i] != '\0' ? src[i] : '.';
	dst[n] = '\0';
}

static const char *
util_file_kind(mode_t m)
{
	if (S_ISFIFO(m))
		return "a FIFO";
	if (S_ISCHR(m))
		return "a character device";
	if (S_ISBLK(m))
		return "a block device";
	if (S_ISDIR(m))
		return "a directory";
	if (S_ISSOCK(m))
		return "a socket";
	return "not a file";
}

int
util_open_regular(const char *path, size_t max_bytes, char *err,
    size_t errlen)
{
	struct stat st;
	int fd;

	/* O_NONBLOCK: opening a FIFO with no writer must not hang. */
	fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd == -1) {
		snprintf(err, errlen, "cannot open: %s", strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) == -1) {
		snprintf(err, errlen, "cannot stat: %s", strerror(errno));
		close(fd);
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "not a regular file (%s)",
		    util_file_kind(st.st_mode));
		close(fd);
		return -1;
	}
	if ((uint64_t)st.st_size > (uint64_t)max_bytes) {
		snprintf(err, errlen, "larger than %zu bytes", max_bytes);
		close(fd);
		return -1;
	}
	/* A regular file never blocks; back to plain reads. */
	(void)fcntl(fd, F_SETFL, 0);
	return fd;
}

/* Bytes mapped for n * size, whole pages; 0 on overflow. */
static size_t
map_len(size_t n, size_t size)
{
	const size_t page = 4096;

	if (size != 0 && n > (SIZE_MAX - (4u << 20)) / size)
		return 0;
	return (n * size + page - 1) / page * page;
}

void *
util_map_array(size_t n, size_t size)
{
	const uintptr_t huge = 2u << 20;
	size_t len = map_len(n, size);
	uintptr_t a, start;
	void *p;

	if (len == 0)
		return NULL;
	/* A huge page more, so the array can start on one; trim the rest. */
	p = mmap(NULL, len + huge, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return NULL;
	start = (uintptr_t)p;
	a = (start + huge - 1) & ~(huge - 1);
	if (a > start)
		(void)munmap(p, a - start);
	if (start + huge > a)
		(void)munmap((void *)(a + len), start + huge - a);
	/* First 2 MiB in small pages: filled in order, at most half unused. */
	if (len > huge)
		util_hugepages((void *)(a + huge), len - huge);
	return (void *)a;
}

void
util_unmap_array(void *p, size_t n, size_t size)
{
	if (p != NULL)
		(void)munmap(p, map_len(n, size));
}

void
util_hugepages(void *p, size_t len)
{
	const uintptr_t huge = 2u << 20;
	uintptr_t a = ((uintptr_t)p + huge - 1) & ~(huge - 1);
	uintptr_t b = ((uintptr_t)p + len) & ~(huge - 1);

	if (p != NULL && b > a)
		(void)madvise((void *)a, b - a, MADV_HUGEPAGE);
}
