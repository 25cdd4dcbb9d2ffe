/*
 * out_file.c - NDJSON lines to a file or stdout (see out_file.h).
 *
 * One of the two modules allowed to write to a stdio stream.  Uses a
 * large stdio buffer so a record costs one memcpy.  Called from the writer
 * thread only (out_writer.c).  A file is opened for appending (a restart
 * never truncates what an earlier run wrote) and reopened by path on
 * request, so logrotate can rename it away and have a new one created.
 */
#include <sys/types.h>

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "out_file.h"

struct out_file {
	FILE	*fp;
	bool	 is_stdout;
	bool	 failed;	/* a write failed: logged once */
	char	 path[256];
};

struct out_file *
out_file_open(const char *path)
{
	struct out_file *o;

	if ((o = calloc(1, sizeof(*o))) == NULL) {
		log_warn("json: calloc");
		return NULL;
	}
	snprintf(o->path, sizeof(o->path), "%s", path);
	if (strcmp(path, "-") == 0) {
		o->fp = stdout;
		o->is_stdout = true;
	} else if ((o->fp = fopen(path, "ae")) == NULL) {
		log_warn("json: open %s", path);
		free(o);
		return NULL;
	}
	setvbuf(o->fp, NULL, _IOFBF, 1 << 18);
	return o;
}

static int
out_file_failed(struct out_file *o)
{
	if (!o->failed)
		log_warn("json: write %s", o->path);
	o->failed = true;
	return -1;
}

int
out_file_write(struct out_file *o, const char *line, size_t len)
{
	if (fwrite(line, 1, len, o->fp) != len || putc('\n', o->fp) == EOF)
		return out_file_failed(o);
	return 0;
}

int
out_file_flush(struct out_file *o)
{
	if (fflush(o->fp) == EOF)
		return out_file_failed(o);
	return 0;
}

int
out_file_reopen(struct out_file *o)
{
	FILE *fp;

	if (o == NULL || o->is_stdout)
		return 0;
	if ((fp = fopen(o->path, "ae")) == NULL) {
		/* Keep writing to the old file rather than losing lines. */
		log_warn("json: reopen %s (still writing the old file)",
		    o->path);
		return -1;
	}
	setvbuf(fp, NULL, _IOFBF, 1 << 18);
	if (fflush(o->fp) == EOF || fclose(o->fp) == EOF)
		out_file_failed(o);
	o->fp = fp;
	o->failed = false;
	log_info("json: reopened %s", o->path);
	return 0;
}

int
out_file_chown(struct out_file *o, uid_t uid, gid_t gid)
{
	if (o == NULL || o->is_stdout)
		return 0;
	if (fchown(fileno(o->fp), uid, gid) == -1) {
		log_warn("json: chown %s", o->path);
		return -1;
	}
	return 0;
}

int
out_file_close(struct out_file *o)
{
	int rc;

	if (o == NULL)
		return 0;
	rc = out_file_flush(o);
	if (!o->is_stdout && fclose(o->fp) == EOF)
		rc = out_file_failed(o);
	rc = o->failed ? -1 : rc;
	free(o);
	return rc;
}
