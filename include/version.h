/*
 * version.h - the sensor's version and the libraries it runs with.
 */
#ifndef VERSION_H
#define VERSION_H

#include <stddef.h>

/* "egress-sensor X (libpcap ..., nDPI ..., hiredis a.b.c, libyaml ...)" */
void	version_string(char *buf, size_t len);

#endif /* VERSION_H */
