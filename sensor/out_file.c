/*
 * out_file.c - NDJSON lines to a file or stdout (see out_file.h).
 *
 * One of the two modules allowed to write to a stdio stream.  Uses a
 * large stdio buffer so a record costs one memcpy on the packet path.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
	} else if ((o->fp = fopen(path, "w")) == NULL) {
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
