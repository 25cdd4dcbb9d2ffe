/*
 * out_file.h - the NDJSON sink: one record a line to a file or stdout.
 *
 * Buffered stdio; a write error is logged once and counted, never fatal
 * after start-up.  Owns its FILE unless it is stdout.
 */
#ifndef OUT_FILE_H
#define OUT_FILE_H

#include <sys/types.h>

#include <stddef.h>

struct out_file;

/* path "-" = stdout, else appended to. NULL on failure (logged). */
struct out_file	*out_file_open(const char *path);
/* Writes line (no newline in it) plus '\n'. 0 or -1. */
int		 out_file_write(struct out_file *o, const char *line, size_t len);
int		 out_file_flush(struct out_file *o);
/* Opens the path again (after logrotate moved it); 0 or -1 (old kept). */
int		 out_file_reopen(struct out_file *o);
/* Gives the file to uid/gid, so the user -u drops to can reopen it. */
int		 out_file_chown(struct out_file *o, uid_t uid, gid_t gid);
/* Flushes and closes; 0 or -1 if any write failed. NULL ok. */
int		 out_file_close(struct out_file *o);

#endif /* OUT_FILE_H */
