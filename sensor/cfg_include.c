/*
 * cfg_include.c - `include:` layering (see cfg_include.h).
 *
 * Works on yconf trees only: each included file is parsed on its own
 * (with its name in the error sink), tagged with its name, expanded
 * recursively, then merged into the including tree and freed.  Cycles
 * are found by comparing realpath(3)s along the include chain.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfg_include.h"

struct cfg_inc_ctx {
	struct yconf_errs	*e;
	struct cfg_include	*inc;
	char			*chain[CFG_INCLUDE_DEPTH + 1];	/* realpaths */
	int			 depth;
};

static struct yconf_node *cfg_inc_file(struct cfg_inc_ctx *x,
    const char *path, const struct yconf_node *at);
static void cfg_inc_merge(struct yconf_node *dst, struct yconf_node *src,
    int level);

void
cfg_include_fini(struct cfg_include *inc)
{
	while (inc->n > 0)
		free(inc->names[--inc->n]);
}

static void
cfg_inc_tag(struct yconf_node *n, const char *file)
{
	struct yconf_node *c;

	n->file = file;
	for (c = n->child; c != NULL; c = c->next)
		cfg_inc_tag(c, file);	/* depth <= YCONF_MAX_DEPTH */
}

/* Unlinks child c of p (not freed); returns c. */
static struct yconf_node *
cfg_inc_unlink(struct yconf_node *p, struct yconf_node *c)
{
	struct yconf_node **pp, *prev = NULL;

	for (pp = &p->child; *pp != NULL; prev = *pp, pp = &(*pp)->next)
		if (*pp == c) {
			*pp = c->next;
			if (p->tail == c)
				p->tail = prev;
			p->n_children--;
			c->next = NULL;
			return c;
		}
	return c;
}

/* Replaces old (a child of p) with new in place. */
static void
cfg_inc_replace(struct yconf_node *p, struct yconf_node *old,
    struct yconf_node *new)
{
	struct yconf_node **pp;

	for (pp = &p->child; *pp != NULL; pp = &(*pp)->next)
		if (*pp == old) {
			new->next = old->next;
			*pp = new;
			if (p->tail == old)
				p->tail = new;
			old->next = NULL;
			yconf_free(old);
			return;
		}
}

static struct yconf_node *
cfg_inc_get(struct yconf_node *map, const char *key)
{
	struct yconf_node *c;

	if (map->type != YCONF_MAP)
		return NULL;
	for (c = map->child; c != NULL; c = c->next)
		if (strcmp(c->key, key) == 0)
			return c;
	return NULL;
}

static const char *
cfg_inc_sid(const struct yconf_node *rule)
{
	const struct yconf_node *v = yconf_get(rule, "sid");

	return v != NULL && v->type == YCONF_SCALAR ? v->str : NULL;
}

/* rules: appended; the same sid replaces the earlier rule. */
static void
cfg_inc_rules(struct yconf_node *dst, struct yconf_node *src)
{
	struct yconf_node *r, *next, *d;
	const char *sid, *dsid;

	for (r = src->child; r != NULL; r = next) {
		next = r->next;
		cfg_inc_unlink(src, r);
		sid = cfg_inc_sid(r);
		for (d = dst->child; sid != NULL && d != NULL; d = d->next)
			if ((dsid = cfg_inc_sid(d)) != NULL &&
			    strcmp(dsid, sid) == 0)
				break;
		if (sid != NULL && d != NULL)
			cfg_inc_replace(dst, d, r);
		else
			yconf_append_child(dst, r);
	}
}

static void
cfg_inc_merge(struct yconf_node *dst, struct yconf_node *src, int level)
{
	struct yconf_node *c, *next, *d;

	for (c = src->child; c != NULL; c = next) {
		next = c->next;
		d = cfg_inc_get(dst, c->key);
		if (d != NULL && level == 0 && strcmp(c->key, "rules") == 0 &&
		    d->type == YCONF_SEQ && c->type == YCONF_SEQ) {
			cfg_inc_rules(d, c);
			continue;
		}
		if (yconf_is_null(c))	/* an empty section changes nothing */
			continue;
		if (d != NULL && d->type == YCONF_MAP && c->type == YCONF_MAP) {
			cfg_inc_merge(d, c, level + 1);
			continue;
		}
		cfg_inc_unlink(src, c);
		if (d != NULL)
			cfg_inc_replace(dst, d, c);
		else
			yconf_append_child(dst, c);
	}
}

/* dir of file (or "." ) + "/" + rel, or rel when absolute. */
static int
cfg_inc_path(const char *file, const char *rel, char *out, size_t len)
{
	const char *slash = file != NULL ? strrchr(file, '/') : NULL;
	int n;

	if (rel[0] == '/' || slash == NULL)
		n = snprintf(out, len, "%s", rel);
	else
		n = snprintf(out, len, "%.*s/%s", (int)(slash - file), file,
		    rel);
	return n < 0 || (size_t)n >= len ? -1 : 0;
}

static int
cfg_inc_name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool
cfg_inc_yaml_name(const char *name)
{
	size_t n = strlen(name);

	return name[0] != '.' && ((n > 5 && strcmp(name + n - 5, ".yaml") ==
	    0) || (n > 4 && strcmp(name + n - 4, ".yml") == 0));
}

/* Layers one included file over root. */
static void
cfg_inc_one(struct cfg_inc_ctx *x, struct yconf_node *root, const char *path,
    const struct yconf_node *at)
{
	struct yconf_node *sub;

	if ((sub = cfg_inc_file(x, path, at)) == NULL)
		return;
	cfg_inc_merge(root, sub, 0);
	yconf_free(sub);
}

/* A directory: its *.yaml / *.yml files in name order. */
static void
cfg_inc_dir(struct cfg_inc_ctx *x, struct yconf_node *root, const char *dir,
    const struct yconf_node *at)
{
	char *names[CFG_INCLUDE_FILES], path[PATH_MAX];
	struct dirent *de;
	int i, n = 0;
	DIR *d;

	if ((d = opendir(dir)) == NULL) {
		yconf_error(x->e, at, "include '%s': %s", dir, strerror(errno));
		return;
	}
	while ((de = readdir(d)) != NULL)
		if (cfg_inc_yaml_name(de->d_name)) {
			if (n == CFG_INCLUDE_FILES) {
				yconf_error(x->e, at, "include '%s': more than "
				    "%d files", dir, CFG_INCLUDE_FILES);
				break;
			}
			if ((names[n] = strdup(de->d_name)) != NULL)
				n++;
		}
	closedir(d);
	qsort(names, (size_t)n, sizeof(names[0]), cfg_inc_name_cmp);
	for (i = 0; i < n; i++) {
		if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir,
		    names[i]) < sizeof(path))
			cfg_inc_one(x, root, path, at);
		free(names[i]);
	}
}

/* Handles root's top-level include: (relative to file), then drops it. */
static struct yconf_node *
cfg_inc_expand(struct cfg_inc_ctx *x, struct yconf_node *root,
    const char *file)
{
	struct yconf_node *inc, *items[CFG_INCLUDE_FILES], *i;
	char path[PATH_MAX];
	struct stat st;
	int k, n = 0;

	if ((inc = cfg_inc_get(root, "include")) == NULL)
		return root;
	cfg_inc_unlink(root, inc);
	if (inc->type == YCONF_SCALAR && !yconf_is_null(inc))
		items[n++] = inc;
	else if (inc->type == YCONF_SEQ)
		for (i = inc->child; i != NULL && n < CFG_INCLUDE_FILES;
		    i = i->next)
			items[n++] = i;
	else if (!yconf_is_null(inc))
		yconf_error(x->e, inc, "include: expected a path or a list "
		    "of paths");
	for (k = 0; k < n; k++) {
		if (items[k]->type != YCONF_SCALAR || items[k]->len == 0) {
			yconf_error(x->e, items[k], "include: expected a path");
			continue;
		}
		if (cfg_inc_path(file, items[k]->str, path, sizeof(path)) ==
		    -1) {
			yconf_error(x->e, items[k], "include: path too long");
			continue;
		}
		if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
			cfg_inc_dir(x, root, path, items[k]);
		else
			cfg_inc_one(x, root, path, items[k]);
	}
	yconf_free(inc);
	return root;
}

static struct yconf_node *
cfg_inc_file(struct cfg_inc_ctx *x, const char *path,
    const struct yconf_node *at)
{
	struct yconf_node *root;
	const char *saved = x->e->file;
	char *real, *name;
	struct stat st;
	int i;

	if (x->depth >= CFG_INCLUDE_DEPTH) {
		yconf_error(x->e, at, "include '%s': includes nested more "
		    "than %d deep", path, CFG_INCLUDE_DEPTH);
		return NULL;
	}
	if ((real = realpath(path, NULL)) == NULL) {
		yconf_error(x->e, at, "include '%s': %s", path,
		    strerror(errno));
		return NULL;
	}
	if (stat(real, &st) == -1 || !S_ISREG(st.st_mode)) {
		/* never a FIFO or a device: a load must not block */
		yconf_error(x->e, at, "include '%s': not a regular file or "
		    "directory", path);
		free(real);
		return NULL;
	}
	for (i = 0; i < x->depth; i++)
		if (x->chain[i] != NULL && strcmp(x->chain[i], real) == 0) {
			yconf_error(x->e, at, "include '%s': a cycle (the file "
			    "is already being loaded)", path);
			free(real);
			return NULL;
		}
	if (x->inc->n == CFG_INCLUDE_FILES ||
	    (name = strdup(path)) == NULL) {
		yconf_error(x->e, at, "include '%s': more than %d files",
		    path, CFG_INCLUDE_FILES);
		free(real);
		return NULL;
	}
	x->inc->names[x->inc->n++] = name;
	x->e->file = name;
	root = yconf_load_file(name, x->e);
	x->e->file = saved;
	if (root == NULL) {
		free(real);
		return NULL;
	}
	cfg_inc_tag(root, name);
	x->chain[x->depth++] = real;
	root = cfg_inc_expand(x, root, name);
	free(x->chain[--x->depth]);
	return root;
}

static struct yconf_node *
cfg_inc_top(struct cfg_inc_ctx *x, struct yconf_node *root, const char *name)
{
	unsigned before = x->e->count;

	x->chain[0] = realpath(name, NULL);	/* NULL: a string, no cycle */
	x->depth = 1;
	root = cfg_inc_expand(x, root, name);
	free(x->chain[0]);
	if (x->e->count != before) {
		yconf_free(root);
		return NULL;
	}
	return root;
}

struct yconf_node *
cfg_include_expand(struct yconf_node *root, const char *name,
    struct yconf_errs *e, struct cfg_include *inc)
{
	struct cfg_inc_ctx x = { .e = e, .inc = inc };

	return cfg_inc_top(&x, root, name);
}

struct yconf_node *
cfg_include_load(const char *path, struct yconf_errs *e,
    struct cfg_include *inc)
{
	struct yconf_node *root;

	if ((root = yconf_load_file(path, e)) == NULL)
		return NULL;
	return cfg_include_expand(root, path, e, inc);
}
