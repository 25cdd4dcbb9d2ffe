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
#define UTIL_SWAP2(arr)	util_swap(&(arr)[0], &(arr)[1], sizeof((arr)[0]))

#endif /* UTIL_H */
