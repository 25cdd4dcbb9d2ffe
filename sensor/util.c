/*
 * util.c - string helpers (see util.h).
 */
#include <string.h>

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
