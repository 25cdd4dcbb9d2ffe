/*
 * inputs.c - -r arguments expanded and checked (see inputs.h).
 *
 * A directory's captures are ordered by the time of their first packet,
 * read by opening each one and dispatching a single packet; names break
 * ties, so files split by time (tcpdump -C / -G) replay in capture order
 * whatever their names.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture.h"
#include "inputs.h"

struct inputs_ent {
	char		*path;
	uint64_t	 first_us;
	uint64_t	 size;
};

void
inputs_init(struct inputs *in)
{
	memset(in, 0, sizeof(*in));
}

void
inputs_fini(struct inputs *in)
{
	int i;

	for (i = 0; i < in->n; i++)
		free(in->paths[i]);
	free(in->paths);
	free(in->sizes);
	for (i = 0; in->held != NULL && i < in->n; i++)
		cap_close(in->held[i]);
	free(in->held);
	inputs_init(in);
}

static int
inputs_push(struct inputs *in, char *path, uint64_t size)
{
	char **p;
	uint64_t *s;
	int cap;

	if (in->n == in->cap) {
		cap = in->cap == 0 ? 16 : in->cap * 2;
		if ((p = realloc(in->paths, (size_t)cap * sizeof(*p))) == NULL)
			return -1;
		in->paths = p;
		if ((s = realloc(in->sizes, (size_t)cap * sizeof(*s))) == NULL)
			return -1;
		in->sizes = s;
		in->cap = cap;
	}
	in->paths[in->n] = path;
	in->sizes[in->n++] = size;
	return 0;
}

static void
inputs_first_cb(void *arg, int dlt, uint64_t ts_us, uint32_t caplen,
    uint32_t wirelen, const uint8_t *bytes)
{
	(void)dlt, (void)caplen, (void)wirelen, (void)bytes;
	*(uint64_t *)arg = ts_us;
}

/* First packet time of a capture file; -1 when it is not one. */
static int
inputs_first_time(const char *path, uint64_t *ts, char *err, size_t errlen)
{
	struct capture *c;

	*ts = 0;
	if ((c = cap_open_file(path, err, errlen)) == NULL)
		return -1;
	(void)cap_dispatch(c, 1, inputs_first_cb, ts, err, errlen);
	cap_close(c);
	return 0;
}

static int
inputs_ent_cmp(const void *a, const void *b)
{
	const struct inputs_ent *x = a, *y = b;

	if (x->first_us != y->first_us)
		return x->first_us < y->first_us ? -1 : 1;
	return strcmp(x->path, y->path);
}

/* Reads dir's regular files into *ents (malloc'd); their count or -1. */
static int
inputs_scan(const char *dir, struct inputs_ent **ents, char *err,
    size_t errlen)
{
	struct inputs_ent *v = NULL, *nv;
	struct dirent *de;
	struct stat st;
	char path[4096];
	int n = 0, cap = 0;
	DIR *d;

	if ((d = opendir(dir)) == NULL) {
		snprintf(err, errlen, "%s: %s", dir, strerror(errno));
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.' || (size_t)snprintf(path, sizeof(path),
		    "%s/%s", dir, de->d_name) >= sizeof(path) ||
		    stat(path, &st) == -1 || !S_ISREG(st.st_mode))
			continue;
		if (n == cap) {
			cap = cap == 0 ? 16 : cap * 2;
			if ((nv = realloc(v, (size_t)cap * sizeof(*v))) == NULL)
				break;
			v = nv;
		}
		if ((v[n].path = strdup(path)) == NULL)
			break;
		v[n].size = (uint64_t)st.st_size;
		if (inputs_first_time(path, &v[n].first_us, err, errlen) == -1) {
			free(v[n].path);
			goto fail;
		}
		n++;
	}
	closedir(d);
	if (de != NULL) {
		snprintf(err, errlen, "%s: out of memory", dir);
		d = NULL;
		goto fail;
	}
	qsort(v, (size_t)n, sizeof(*v), inputs_ent_cmp);
	*ents = v;
	return n;
fail:
	if (d != NULL)
		closedir(d);
	while (n > 0)
		free(v[--n].path);
	free(v);
	return -1;
}

int
inputs_add(struct inputs *in, const char *arg, char *err, size_t errlen)
{
	struct inputs_ent *ents = NULL;
	struct stat st;
	char *p;
	int i, n;

	if (strcmp(arg, "-") == 0 || stat(arg, &st) == -1 ||
	    !S_ISDIR(st.st_mode)) {
		/* A missing file is reported when it is opened. */
		if ((p = strdup(arg)) == NULL || inputs_push(in, p,
		    strcmp(arg, "-") != 0 && stat(arg, &st) == 0 ?
		    (uint64_t)st.st_size : 0) == -1) {
			free(p);
			snprintf(err, errlen, "out of memory");
			return -1;
		}
		return 0;
	}
	if ((n = inputs_scan(arg, &ents, err, errlen)) == -1)
		return -1;
	if (n == 0)
		snprintf(err, errlen, "%s: no capture files in the directory",
		    arg);
	for (i = 0; i < n; i++)
		if (inputs_push(in, ents[i].path, ents[i].size) == -1) {
			snprintf(err, errlen, "out of memory");
			while (i < n)
				free(ents[i++].path);
			n = 0;
		}
	free(ents);
	return n == 0 ? -1 : 0;
}

struct capture *
inputs_open(struct inputs *in, int i, const char *bpf, char *err,
    size_t errlen)
{
	struct capture *c;

	if (in->held != NULL && in->held[i] != NULL) {
		c = in->held[i];
		in->held[i] = NULL;
		return c;
	}
	if ((c = cap_open_file(in->paths[i], err, errlen)) == NULL)
		return NULL;
	if (bpf != NULL && cap_set_filter(c, bpf, err, errlen) == -1) {
		cap_close(c);
		return NULL;
	}
	return c;
}

int
inputs_check(struct inputs *in, const char *bpf, int *bad_filter, char *err,
    size_t errlen)
{
	struct capture *c;
	int i;

	*bad_filter = 0;
	if (in->n > 0 && (in->held = calloc((size_t)in->n,
	    sizeof(*in->held))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	for (i = 0; i < in->n; i++) {
		if ((c = cap_open_file(in->paths[i], err, errlen)) == NULL)
			return -1;
		if (bpf != NULL && cap_set_filter(c, bpf, err, errlen) == -1) {
			*bad_filter = 1;
			cap_close(c);
			return -1;
		}
		if (i < INPUTS_HOLD || strcmp(in->paths[i], "-") == 0)
			in->held[i] = c;
		else
			cap_close(c);
	}
	return 0;
}

uint64_t
inputs_total(const struct inputs *in)
{
	uint64_t t = 0;
	int i;

	for (i = 0; i < in->n; i++) {
		if (in->sizes[i] == 0)
			return 0;
		t += in->sizes[i];
	}
	return t;
}
