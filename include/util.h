/*
 * util.h - small string helpers the C library lacks (glibc 2.36 has no
 * strlcpy in <string.h> without _DEFAULT_SOURCE... it has since 2.38).
 */
#ifndef UTIL_H
#define UTIL_H

#include <stddef.h>

/* Copies at most size-1 bytes and NUL-terminates; returns strlen(src). */
size_t	util_strlcpy(char *dst, const char *src, size_t size);
#define strlcpy util_strlcpy

/* Copies n bytes of src as a C string, replacing NUL bytes with '.', and
 * truncating to size-1. */
void	util_strncpy_printable(char *dst, size_t size, const char *src,
	    size_t n);

/* Exchanges n bytes of a and b (the two halves of a [2] array). */
void	util_swap(void *a, void *b, size_t n);
/*
 * Asks for transparent huge pages over the 2 MiB-aligned part of a large
 * array read at random (fewer TLB misses and page faults); a hint only.
 */
void	util_hugepages(void *p, size_t len);
/*
 * A zeroed array of n elements for the life of a table: mapped at a
 * 2 MiB boundary (so every element lies on the cache lines its size
 * allows), touched only as used.  Huge pages back it past its first
 * 2 MiB: a table filled in order asks for them only once it has used
 * that much, so a small run costs the pages it touches.  NULL on
 * overflow or no memory.  util_unmap_array takes the same n and size.
 */
void	*util_map_array(size_t n, size_t size);
void	 util_unmap_array(void *p, size_t n, size_t size);
#define UTIL_SWAP2(arr)	util_swap(&(arr)[0], &(arr)[1], sizeof((arr)[0]))

/*
 * Opens path read-only for a config or list file without ever blocking:
 * FIFOs, devices (/dev/zero), sockets and directories are refused, and
 * so is a file larger than max_bytes.  Returns the fd (the caller closes
 * it) or -1 with "cannot open: ...", "not a regular file (a FIFO)" or
 * "larger than N bytes" in err.
 */
int	util_open_regular(const char *path, size_t max_bytes, char *err,
	    size_t errlen);

#endif /* UTIL_H */
