/*
 * classify.c - nDPI 4.2 wrapper (see classify.h).
 */
#include <ndpi_api.h>

#include "classify.h"

void
cls_md5_hex(const void *data, size_t len, char out[33])
{
	static const char hex[] = "0123456789abcdef";
	u_char h[16];
	int i;

	ndpi_md5((const u_char *)data, len, h);
	for (i = 0; i < 16; i++) {
		out[2 * i] = hex[h[i] >> 4];
		out[2 * i + 1] = hex[h[i] & 15];
	}
	out[32] = '\0';
}
