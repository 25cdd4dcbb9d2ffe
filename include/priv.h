/*
 * priv.h - dropping root after the capture and the outputs are open.
 *
 * OpenBSD daemons' habit: everything that needs privilege (the capture
 * handle, output files, the Redis socket) is opened first, then the
 * process becomes an unprivileged user before the first packet byte is
 * read.  Fatal on failure: a sensor that meant to drop root must not run
 * as root by accident.
 */
#ifndef PRIV_H
#define PRIV_H

#include <sys/types.h>

/* The uid and primary gid of user; 0, or -1 when there is no such user. */
int	priv_lookup(const char *user, uid_t *uid, gid_t *gid);
/* Becomes user (its uid, primary gid, no supplementary groups). */
void	priv_drop(const char *user);
/* 0 when user exists (checked before any output is opened), else -1. */
int	priv_check(const char *user);

#endif /* PRIV_H */
