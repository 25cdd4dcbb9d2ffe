/*
 * yconf.c - libyaml events to a small node tree (see yconf.h).
 *
 * This is the one file that includes <yaml.h>.  It walks the parser's
 * events with an explicit stack bounded by YCONF_MAX_DEPTH (no recursion
 * while parsing, so a hostile file cannot exhaust the C stack), copies
 * every scalar into the tree and records 1-based positions.  Structural
 * problems that libyaml itself reports, and nesting beyond the limit,
 * stop the parse; duplicate keys, unknown aliases and alias expansion
 * beyond its budget are reported and parsing goes on so the operator
 * sees every such error at once.  An alias is a deep copy of its
 * anchor's node (so every node has one owner and one position: the
 * anchor's), made with the same depth bound and counted against
 * YCONF_MAX_ALIAS_NODES.  It owns
 * the tree it returns and never keeps a pointer into the caller's text.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <yaml.h>

#include "log.h"
#include "util.h"
#include "yconf.h"

struct ylevel {
	struct yconf_node	*node;		/* the open map or sequence */
	char			*key;		/* map: pending key, owned */
	unsigned		 key_line;
	unsigned		 key_col;
};

struct yanchor {
	char			*name;		/* owned */
	struct yconf_node	*node;		/* borrowed from the tree */
};

struct ybuild {
	struct yconf_errs	*e;
	struct yanchor		 anchors[YCONF_MAX_ANCHORS];
	int			 n_anchors;
	size_t			 alias_nodes;	/* copied so far */
	struct yconf_node	*root;
	struct ylevel		 lv[YCONF_MAX_DEPTH];
	int			 depth;		/* open containers */
	int			 docs;
	bool			 failed;	/* stop: structure is unusable */
	const unsigned char	*text;		/* the input, for reader errors */
	size_t			 len;
};

static void
yconf_vreport(struct yconf_errs *e, const char *file, unsigned line,
    unsigned col, const char *fmt, va_list ap)
{
	char msg[512], line_buf[1536];

	if (file == NULL)
		file = e->file != NULL ? e->file : "<config>";
	vsnprintf(msg, sizeof(msg), fmt, ap);
	snprintf(line_buf, sizeof(line_buf), "%s:%u:%u: %s", file, line, col,
	    msg);
	yconf_error_raw(e, line_buf);
}

void
yconf_error_raw(struct yconf_errs *e, const char *msg)
{
	e->count++;
	if (e->fn != NULL)
		e->fn(e->arg, msg);
	else
		log_warnx("%s", msg);
}

void
yconf_error_at(struct yconf_errs *e, unsigned line, unsigned col,
    const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	yconf_vreport(e, NULL, line, col, fmt, ap);
	va_end(ap);
}

void
yconf_error(struct yconf_errs *e, const struct yconf_node *n,
    const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	yconf_vreport(e, n != NULL ? n->file : NULL, n != NULL ? n->line : 1,
	    n != NULL ? n->col : 1, fmt, ap);
	va_end(ap);
}

void
yconf_error_key(struct yconf_errs *e, const struct yconf_node *n,
    const char *fmt, ...)
{
	va_list ap;
	unsigned line = 1, col = 1;

	if (n != NULL) {
		line = n->key != NULL ? n->key_line : n->line;
		col = n->key != NULL ? n->key_col : n->col;
	}
	va_start(ap, fmt);
	yconf_vreport(e, n != NULL ? n->file : NULL, line, col, fmt, ap);
	va_end(ap);
}

void
yconf_free(struct yconf_node *n)
{
	struct yconf_node *c, *next;

	if (n == NULL)
		return;
	for (c = n->child; c != NULL; c = next) {
		next = c->next;
		yconf_free(c);	/* recursion depth <= YCONF_MAX_DEPTH */
	}
	free(n->str);
	free(n->key);
	free(n);
}

static struct yconf_node *
ynode_new(struct ybuild *b, enum yconf_type t, const yaml_mark_t *m)
{
	struct yconf_node *n;

	if ((n = calloc(1, sizeof(*n))) == NULL) {
		yconf_error_at(b->e, (unsigned)m->line + 1,
		    (unsigned)m->column + 1, "out of memory");
		b->failed = true;
		return NULL;
	}
	n->type = t;
	n->line = (unsigned)m->line + 1;
	n->col = (unsigned)m->column + 1;
	return n;
}

/* Forgets every anchor that points into the subtree n (about to go). */
static void
yforget(struct ybuild *b, const struct yconf_node *n)
{
	const struct yconf_node *c;
	int i;

	for (i = 0; i < b->n_anchors; i++)
		if (b->anchors[i].node == n)
			b->anchors[i].node = NULL;
	for (c = n->child; c != NULL; c = c->next)
		yforget(b, c);	/* depth <= YCONF_MAX_DEPTH */
}

/* Unlinks child c from p and frees it. */
static void
yunlink(struct ybuild *b, struct yconf_node *p, struct yconf_node *c)
{
	struct yconf_node **pp, *prev = NULL;

	for (pp = &p->child; *pp != NULL; prev = *pp, pp = &(*pp)->next)
		if (*pp == c) {
			*pp = c->next;
			if (p->tail == c)
				p->tail = prev;
			p->n_children--;
			c->next = NULL;
			yforget(b, c);
			yconf_free(c);
			return;
		}
}

static struct yconf_node *
yfind_key(struct yconf_node *map, const char *key)
{
	struct yconf_node *c;

	for (c = map->child; c != NULL; c = c->next)
		if (c->key != NULL && strcmp(c->key, key) == 0)
			return c;
	return NULL;
}

/* Moves the keys of map src that dst lacks into dst, marked merged. */
static void
ymerge_map(struct yconf_node *dst, struct yconf_node *src)
{
	struct yconf_node *c, *next, **pp = &src->child;

	for (c = src->child; c != NULL; c = next) {
		next = c->next;
		if (yfind_key(dst, c->key) != NULL) {
			pp = &c->next;
			continue;
		}
		*pp = next;
		src->n_children--;
		c->next = NULL;
		c->merged = true;
		if (dst->tail == NULL)
			dst->child = c;
		else
			dst->tail->next = c;
		dst->tail = c;
		dst->n_children++;
	}
	src->tail = NULL;
	for (c = src->child; c != NULL; c = c->next)
		src->tail = c;
}

/* `<<: v` in map p is complete: merge v's map(s) into p, drop v. */
static void
ymerge(struct ybuild *b, struct yconf_node *p, struct yconf_node *v)
{
	struct yconf_node *m;

	if (v->type == YCONF_MAP)
		ymerge_map(p, v);
	else if (v->type == YCONF_SEQ) {
		for (m = v->child; m != NULL; m = m->next)
			if (m->type == YCONF_MAP)
				ymerge_map(p, m);
			else
				yconf_error(b->e, m, "<<: expected a map");
	} else
		yconf_error(b->e, v, "<<: expected a map or a list of maps");
	yunlink(b, p, v);
}

/*
 * Hangs n under the innermost open container (or makes it the root).
 * A scalar arriving where a map expects a key becomes the pending key;
 * a key given after a << merge brought it in replaces the merged one.
 * Takes ownership of n in every case.
 */
static void
yattach(struct ybuild *b, struct yconf_node *n)
{
	struct ylevel *lv;
	struct yconf_node *p, *first;

	if (b->depth == 0) {
		b->root = n;
		return;
	}
	lv = &b->lv[b->depth - 1];
	p = lv->node;
	if (p->type == YCONF_MAP && lv->key == NULL) {
		if (n->type != YCONF_SCALAR) {
			yconf_error(b->e, n, "map keys must be scalars");
			b->failed = true;
			yconf_free(n);
			return;
		}
		if ((first = yfind_key(p, n->str)) != NULL && first->merged)
			yunlink(b, p, first);
		else if (first != NULL)
			yconf_error(b->e, n, "duplicate key '%s' (first at "
			    "line %u column %u)", n->str, first->key_line,
			    first->key_col);
		lv->key = n->str;
		lv->key_line = n->line;
		lv->key_col = n->col;
		n->str = NULL;
		yconf_free(n);
		return;
	}
	if (p->type == YCONF_MAP) {
		n->key = lv->key;
		n->key_line = lv->key_line;
		n->key_col = lv->key_col;
		lv->key = NULL;
	}
	yconf_append_child(p, n);
}

/* True when the next node attached becomes a map key. */
static bool
yat_key(const struct ybuild *b)
{
	const struct ylevel *lv;

	if (b->depth == 0)
		return false;
	lv = &b->lv[b->depth - 1];
	return lv->node->type == YCONF_MAP && lv->key == NULL;
}

static void
yanchor(struct ybuild *b, const yaml_char_t *name, struct yconf_node *n)
{
	struct yanchor *a;

	if (b->n_anchors == YCONF_MAX_ANCHORS) {
		yconf_error(b->e, n, "more than %d anchors",
		    YCONF_MAX_ANCHORS);
		return;
	}
	a = &b->anchors[b->n_anchors];
	if ((a->name = strdup((const char *)name)) == NULL) {
		yconf_error(b->e, n, "out of memory");
		b->failed = true;
		return;
	}
	a->node = n;
	b->n_anchors++;
}

static void ymerge_value(struct ybuild *b, struct yconf_node *n);

static void
yscalar(struct ybuild *b, const yaml_event_t *ev)
{
	struct yconf_node *n;
	bool key;
	size_t len = ev->data.scalar.length;

	if ((n = ynode_new(b, YCONF_SCALAR, &ev->start_mark)) == NULL)
		return;
	if (memchr(ev->data.scalar.value, '\0', len) != NULL)
		yconf_error(b->e, n, "NUL byte in a scalar");
	if ((n->str = malloc(len + 1)) == NULL) {
		yconf_error(b->e, n, "out of memory");
		b->failed = true;
		free(n);
		return;
	}
	memcpy(n->str, ev->data.scalar.value, len);
	n->str[len] = '\0';
	n->len = len;
	n->plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
	key = yat_key(b);
	if (ev->data.scalar.anchor != NULL) {
		if (key)
			yconf_error(b->e, n, "anchors on map keys are not "
			    "supported");
		else
			yanchor(b, ev->data.scalar.anchor, n);
	}
	yattach(b, n);
	if (!key)
		ymerge_value(b, n);
}

static void
yopen(struct ybuild *b, const yaml_event_t *ev, enum yconf_type t)
{
	struct yconf_node *n;
	const yaml_char_t *anchor;

	anchor = t == YCONF_MAP ? ev->data.mapping_start.anchor :
	    ev->data.sequence_start.anchor;
	if (b->depth >= YCONF_MAX_DEPTH) {
		yconf_error_at(b->e, (unsigned)ev->start_mark.line + 1,
		    (unsigned)ev->start_mark.column + 1,
		    "nesting deeper than %d levels", YCONF_MAX_DEPTH);
		b->failed = true;
		return;
	}
	if ((n = ynode_new(b, t, &ev->start_mark)) == NULL)
		return;
	yattach(b, n);
	if (b->failed)
		return;
	if (anchor != NULL)
		yanchor(b, anchor, n);
	b->lv[b->depth].node = n;
	b->lv[b->depth].key = NULL;
	b->depth++;
}

/* A complete value under key "<<" is merged into its map. */
static void
ymerge_value(struct ybuild *b, struct yconf_node *n)
{
	if (b->depth > 0 && n->key != NULL && strcmp(n->key, "<<") == 0 &&
	    b->lv[b->depth - 1].node->type == YCONF_MAP)
		ymerge(b, b->lv[b->depth - 1].node, n);
}

static void
yclose(struct ybuild *b)
{
	struct yconf_node *n;

	if (b->depth == 0)
		return;
	b->depth--;
	n = b->lv[b->depth].node;
	free(b->lv[b->depth].key);
	b->lv[b->depth].key = NULL;
	ymerge_value(b, n);
}

/* Deep copy of src within depth levels and the alias budget, or NULL. */
static struct yconf_node *
yclone(struct ybuild *b, const struct yconf_node *src, int depth)
{
	const struct yconf_node *c;
	struct yconf_node *n, *k;

	if (++b->alias_nodes > YCONF_MAX_ALIAS_NODES || (depth <= 0 &&
	    src->type != YCONF_SCALAR)) {
		yconf_error(b->e, src, depth <= 0 ? "an alias nests deeper "
		    "than %d levels" : "aliases expand to more than %d nodes",
		    depth <= 0 ? YCONF_MAX_DEPTH : YCONF_MAX_ALIAS_NODES);
		b->failed = true;
		return NULL;
	}
	if ((n = calloc(1, sizeof(*n))) == NULL)
		goto oom;
	*n = (struct yconf_node){ .type = src->type, .line = src->line,
	    .col = src->col, .len = src->len, .plain = src->plain,
	    .key_line = src->key_line, .key_col = src->key_col,
	    .file = src->file };
	if ((src->str != NULL && (n->str = strdup(src->str)) == NULL) ||
	    (src->key != NULL && (n->key = strdup(src->key)) == NULL))
		goto oom;
	for (c = src->child; c != NULL; c = c->next) {
		if ((k = yclone(b, c, depth - 1)) == NULL) {
			yconf_free(n);
			return NULL;
		}
		if (n->tail == NULL)
			n->child = k;
		else
			n->tail->next = k;
		n->tail = k;
		n->n_children++;
	}
	return n;
oom:
	yconf_free(n);
	yconf_error(b->e, src, "out of memory");
	b->failed = true;
	return NULL;
}

static const struct yanchor *
yanchor_find(const struct ybuild *b, const char *name)
{
	int i;

	for (i = b->n_anchors - 1; i >= 0; i--)
		if (strcmp(b->anchors[i].name, name) == 0)
			return &b->anchors[i];
	return NULL;
}

static bool
yopen_now(const struct ybuild *b, const struct yconf_node *n)
{
	int i;

	for (i = 0; i < b->depth; i++)
		if (b->lv[i].node == n)
			return true;
	return false;
}

static void
yalias(struct ybuild *b, const yaml_event_t *ev)
{
	const char *name = (const char *)ev->data.alias.anchor;
	const struct yanchor *a = yanchor_find(b, name);
	unsigned line = (unsigned)ev->start_mark.line + 1;
	unsigned col = (unsigned)ev->start_mark.column + 1;
	struct yconf_node *n = NULL;
	bool key;

	if (a == NULL || a->node == NULL)
		yconf_error_at(b->e, line, col, "unknown alias '*%s'", name);
	else if (yopen_now(b, a->node))
		yconf_error_at(b->e, line, col, "alias '*%s' is inside the "
		    "node it names", name);
	else if ((n = yclone(b, a->node, YCONF_MAX_DEPTH - b->depth)) !=
	    NULL) {
		free(n->key);	/* the copy takes the alias' place and key */
		n->key = NULL;
		n->line = line;
		n->col = col;
		key = yat_key(b);
		yattach(b, n);
		if (!key && !b->failed)
			ymerge_value(b, n);
		return;
	}
	if (b->failed)
		return;
	/* Keep the map's key/value rhythm with a null placeholder. */
	if ((n = ynode_new(b, YCONF_SCALAR, &ev->start_mark)) == NULL)
		return;
	if ((n->str = calloc(1, 1)) == NULL) {
		free(n);
		b->failed = true;
		return;
	}
	n->plain = true;
	yattach(b, n);
}

/* Handles one event; returns true at the end of the stream. */
static bool
yevent(struct ybuild *b, const yaml_event_t *ev)
{
	switch (ev->type) {
	case YAML_DOCUMENT_START_EVENT:
		if (++b->docs > 1) {
			yconf_error_at(b->e, (unsigned)ev->start_mark.line + 1,
			    (unsigned)ev->start_mark.column + 1,
			    "only one YAML document is allowed");
			b->failed = true;
		}
		break;
	case YAML_MAPPING_START_EVENT:
		yopen(b, ev, YCONF_MAP);
		break;
	case YAML_SEQUENCE_START_EVENT:
		yopen(b, ev, YCONF_SEQ);
		break;
	case YAML_MAPPING_END_EVENT:
	case YAML_SEQUENCE_END_EVENT:
		yclose(b);
		break;
	case YAML_SCALAR_EVENT:
		yscalar(b, ev);
		break;
	case YAML_ALIAS_EVENT:
		yalias(b, ev);
		break;
	case YAML_STREAM_END_EVENT:
		return true;
	default:
		break;
	}
	return false;
}

/*
 * libyaml's reader errors (bad UTF-8, NUL and other control bytes) carry
 * a byte offset, not a mark: report them at their line and column
 * (characters, as marks count them).
 */
static void
yreader_error(struct ybuild *b, const yaml_parser_t *p)
{
	size_t i, off = p->problem_offset;
	unsigned line = 1, col = 1;

	if (off > b->len)
		off = b->len;
	for (i = 0; i < off; i++) {
		if (b->text[i] == '\n') {
			line++;
			col = 1;
		} else if ((b->text[i] & 0xc0) != 0x80)
			col++;
	}
	if (p->problem_value >= 0)
		yconf_error_at(b->e, line, col, "yaml: %s (byte 0x%02x)",
		    p->problem != NULL ? p->problem : "invalid input",
		    (unsigned)p->problem_value & 0xffu);
	else
		yconf_error_at(b->e, line, col, "yaml: %s",
		    p->problem != NULL ? p->problem : "invalid input");
	b->failed = true;
}

static void
yparse_error(struct ybuild *b, const yaml_parser_t *p)
{
	const yaml_mark_t *m = &p->problem_mark;

	if (p->error == YAML_READER_ERROR) {
		yreader_error(b, p);
		return;
	}

	if (p->context != NULL)
		yconf_error_at(b->e, (unsigned)m->line + 1,
		    (unsigned)m->column + 1, "yaml: %s %s",
		    p->problem != NULL ? p->problem : "syntax error",
		    p->context);
	else
		yconf_error_at(b->e, (unsigned)m->line + 1,
		    (unsigned)m->column + 1, "yaml: %s",
		    p->problem != NULL ? p->problem : "syntax error");
	b->failed = true;
}

struct yconf_node *
yconf_load_string(const char *text, size_t len, struct yconf_errs *e)
{
	yaml_parser_t parser;
	yaml_event_t ev;
	struct ybuild b;
	unsigned errs_before = e->count;
	bool done = false;
	yaml_mark_t zero = { 0, 0, 0 };

	memset(&b, 0, sizeof(b));
	b.e = e;
	b.text = (const unsigned char *)text;
	b.len = len;
	if (!yaml_parser_initialize(&parser)) {
		yconf_error_at(e, 1, 1, "yaml: cannot initialise parser");
		return NULL;
	}
	yaml_parser_set_input_string(&parser, (const unsigned char *)text,
	    len);
	while (!done && !b.failed) {
		if (!yaml_parser_parse(&parser, &ev)) {
			yparse_error(&b, &parser);
			break;
		}
		done = yevent(&b, &ev);
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&parser);
	while (b.depth > 0)
		yclose(&b);
	while (b.n_anchors > 0)
		free(b.anchors[--b.n_anchors].name);
	if (b.root == NULL && !b.failed) {
		if ((b.root = ynode_new(&b, YCONF_MAP, &zero)) == NULL)
			return NULL;
		b.root->line = b.root->col = 0;	/* no document at all */
	}
	if (b.failed || e->count != errs_before) {
		yconf_free(b.root);
		return NULL;
	}
	return b.root;
}

struct yconf_node *
yconf_load_file(const char *path, struct yconf_errs *e)
{
	struct yconf_node *root;
	char err[256];
	FILE *fp;
	char *buf;
	size_t n;
	int fd;

	if ((fd = util_open_regular(path, YCONF_MAX_FILE, err,
	    sizeof(err))) == -1) {
		yconf_error_at(e, 1, 1, "%s", err);
		return NULL;
	}
	if ((fp = fdopen(fd, "r")) == NULL) {
		close(fd);
		yconf_error_at(e, 1, 1, "cannot open: %s", strerror(errno));
		return NULL;
	}
	if ((buf = malloc(YCONF_MAX_FILE + 1)) == NULL) {
		fclose(fp);
		yconf_error_at(e, 1, 1, "out of memory");
		return NULL;
	}
	n = fread(buf, 1, YCONF_MAX_FILE + 1, fp);
	if (ferror(fp) || n > YCONF_MAX_FILE) {
		yconf_error_at(e, 1, 1, ferror(fp) ? "read error" :
		    "file larger than %u bytes", YCONF_MAX_FILE);
		fclose(fp);
		free(buf);
		return NULL;
	}
	fclose(fp);
	root = yconf_load_string(buf, n, e);
	free(buf);
	return root;
}

const struct yconf_node *
yconf_get(const struct yconf_node *map, const char *key)
{
	const struct yconf_node *c;

	if (map == NULL || map->type != YCONF_MAP)
		return NULL;
	for (c = map->child; c != NULL; c = c->next)
		if (strcmp(c->key, key) == 0)
			return c;
	return NULL;
}

bool
yconf_is_null(const struct yconf_node *n)
{
	if (n == NULL || n->type != YCONF_SCALAR || !n->plain)
		return false;
	return n->len == 0 || strcmp(n->str, "~") == 0 ||
	    strcmp(n->str, "null") == 0 || strcmp(n->str, "Null") == 0 ||
	    strcmp(n->str, "NULL") == 0;
}

const char *
yconf_type_name(enum yconf_type t)
{
	switch (t) {
	case YCONF_MAP:
		return "a map";
	case YCONF_SEQ:
		return "a sequence";
	default:
		return "a scalar";
	}
}

int
yconf_check_keys(struct yconf_errs *e, const struct yconf_node *map,
    const char *const *allowed, const char *what)
{
	const struct yconf_node *c;
	size_t i;
	int rc = 0;

	if (map == NULL || map->type != YCONF_MAP) {
		yconf_error(e, map, "%s: expected a map, found %s", what,
		    map != NULL ? yconf_type_name(map->type) : "nothing");
		return -1;
	}
	for (c = map->child; c != NULL; c = c->next) {
		for (i = 0; allowed[i] != NULL; i++)
			if (strcmp(c->key, allowed[i]) == 0)
				break;
		if (allowed[i] == NULL) {
			yconf_error_key(e, c, "%s: unknown key '%s'", what,
			    c->key);
			rc = -1;
		}
	}
	return rc;
}

int
yconf_u64(struct yconf_errs *e, const struct yconf_node *n, uint64_t min,
    uint64_t max, uint64_t *out)
{
	unsigned long long v;
	char *end;
	size_t i;

	if (n == NULL || n->type != YCONF_SCALAR || n->len == 0 ||
	    n->len > 20)
		goto bad;
	for (i = 0; i < n->len; i++)
		if (n->str[i] < '0' || n->str[i] > '9')
			goto bad;
	errno = 0;
	v = strtoull(n->str, &end, 10);
	if (errno != 0 || *end != '\0' || v < min || v > max)
		goto bad;
	*out = v;
	return 0;
bad:
	yconf_error(e, n, "'%s': expected a whole number from %llu to %llu",
	    n != NULL && n->type == YCONF_SCALAR ? n->str : "...",
	    (unsigned long long)min, (unsigned long long)max);
	return -1;
}

int
yconf_u32(struct yconf_errs *e, const struct yconf_node *n, uint32_t min,
    uint32_t max, uint32_t *out)
{
	uint64_t v;

	if (yconf_u64(e, n, min, max, &v) == -1)
		return -1;
	*out = (uint32_t)v;
	return 0;
}

void
yconf_u32_fields(struct yconf_errs *e, const struct yconf_node *map,
    const struct yconf_u32_field *f, void *base)
{
	const struct yconf_node *v;
	uint32_t val;

	for (; f->key != NULL; f++) {
		if ((v = yconf_get(map, f->key)) == NULL)
			continue;
		if (yconf_u32(e, v, f->min, f->max, &val) == 0)
			memcpy((char *)base + f->off, &val, sizeof(val));
	}
}

int
yconf_double(struct yconf_errs *e, const struct yconf_node *n, double min,
    double max, double *out)
{
	double v;
	char *end;

	if (n == NULL || n->type != YCONF_SCALAR || n->len == 0 ||
	    n->len > 32 || n->str[0] == ' ')
		goto bad;
	errno = 0;
	v = strtod(n->str, &end);
	if (errno != 0 || *end != '\0' || !isfinite(v) || v < min || v > max)
		goto bad;
	*out = v;
	return 0;
bad:
	yconf_error(e, n, "'%s': expected a number from %g to %g",
	    n != NULL && n->type == YCONF_SCALAR ? n->str : "...", min, max);
	return -1;
}

int
yconf_str(struct yconf_errs *e, const struct yconf_node *n, char *buf,
    size_t len)
{
	if (n == NULL || n->type != YCONF_SCALAR) {
		yconf_error(e, n, "expected a string, found %s",
		    n != NULL ? yconf_type_name(n->type) : "nothing");
		return -1;
	}
	if (yconf_is_null(n)) {
		buf[0] = '\0';
		return 0;
	}
	if (n->len >= len) {
		yconf_error(e, n, "string longer than %zu bytes", len - 1);
		return -1;
	}
	memcpy(buf, n->str, n->len + 1);
	return 0;
}

const char *
yconf_lib_version(void)
{
	return yaml_get_version_string();
}

void
yconf_append_child(struct yconf_node *p, struct yconf_node *c)
{
	c->next = NULL;
	if (p->tail == NULL)
		p->child = c;
	else
		p->tail->next = c;
	p->tail = c;
	p->n_children++;
}
