/*
 * yconf.h - a small YAML document tree for configuration files.
 *
 * The only module that talks to libyaml.  A document is read with the
 * libyaml *event* API into a tree of maps, sequences and scalars; every
 * node carries the 1-based line and column where it starts, so the
 * loaders built on top (cfg.c, rules.c) can report "file:line:col:
 * message".  Nesting is limited to YCONF_MAX_DEPTH.  Anchors and aliases
 * are expanded into copies (at most YCONF_MAX_ALIAS_NODES nodes in all,
 * so a "billion laughs" file is an error, not an out-of-memory), and a
 * merge key `<<: *a` (or `<<: [*a, *b]`) copies the keys of those maps
 * that the map does not set itself.  Non-scalar map keys, duplicate keys
 * and multi-document streams are rejected: configuration must read the
 * same to a human and to us.
 *
 * Errors go to a struct yconf_errs sink: by default each one is a
 * log_warnx() line, a test may install a callback instead.  The sink
 * counts them, so a loader can keep going and report all errors in one
 * pass, then fail when count > 0.
 */
#ifndef YCONF_H
#define YCONF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define YCONF_MAX_DEPTH		32		/* nested maps/sequences */
#define YCONF_MAX_FILE		(16u << 20)	/* bytes read from a file */
#define YCONF_MAX_ANCHORS	256		/* anchors in one document */
#define YCONF_MAX_ALIAS_NODES	10000		/* nodes copied by aliases */

enum yconf_type {
	YCONF_SCALAR,
	YCONF_MAP,
	YCONF_SEQ,
};

struct yconf_node {
	enum yconf_type		 type;
	unsigned		 line;		/* 1-based start of the node */
	unsigned		 col;		/* 1-based */
	char			*str;		/* scalar text, NUL-terminated (owned) */
	size_t			 len;		/* scalar length in bytes */
	bool			 plain;		/* scalar was unquoted */
	char			*key;		/* key when a map value (owned), else NULL */
	unsigned		 key_line;	/* position of that key */
	unsigned		 key_col;
	struct yconf_node	*child;		/* first child (map values / items) */
	struct yconf_node	*tail;		/* last child, for appending */
	struct yconf_node	*next;		/* next sibling */
	size_t			 n_children;
	const char		*file;		/* file it came from (an
						   include), NULL = e->file */
	bool			 merged;	/* copied in by a << merge key */
};

/* Where errors go.  fn NULL = log_warnx().  Zero-initialise, set file. */
struct yconf_errs {
	const char	*file;		/* name used in messages (borrowed) */
	void		(*fn)(void *arg, const char *msg);
	void		*arg;
	unsigned	 count;		/* errors reported so far */
};

/*
 * Parses text (len bytes, need not be NUL-terminated) into a new tree.
 * An empty document (no content: blanks and comments at most) gives an
 * empty map at line 0, which no real node has.  On any error returns NULL after
 * reporting every problem found through e.  Free with yconf_free().
 */
struct yconf_node *yconf_load_string(const char *text, size_t len,
		    struct yconf_errs *e);
/* The same from a file of at most YCONF_MAX_FILE bytes. */
struct yconf_node *yconf_load_file(const char *path, struct yconf_errs *e);
void		 yconf_free(struct yconf_node *n);	/* NULL ok */
/* Appends c (which p then owns) as p's last child. */
void		 yconf_append_child(struct yconf_node *p, struct yconf_node *c);

/* Value of key in a map, or NULL (also when map is not a map). */
const struct yconf_node *yconf_get(const struct yconf_node *map,
		    const char *key);
/* True for a plain empty scalar, "~", "null" or "Null"/"NULL". */
bool		 yconf_is_null(const struct yconf_node *n);
const char	*yconf_type_name(enum yconf_type t);

/* Reports "file:line:col: message" at node n's position (or at its key). */
void		 yconf_error(struct yconf_errs *e, const struct yconf_node *n,
		    const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void		 yconf_error_key(struct yconf_errs *e,
		    const struct yconf_node *n, const char *fmt, ...)
		    __attribute__((format(printf, 3, 4)));
void		 yconf_error_at(struct yconf_errs *e, unsigned line,
		    unsigned col, const char *fmt, ...)
		    __attribute__((format(printf, 4, 5)));
/* Reports an already formatted message as is. */
void		 yconf_error_raw(struct yconf_errs *e, const char *msg);

/*
 * Checks that map is a map whose keys are all in allowed (NULL-terminated)
 * and reports each unknown key.  0 or -1.
 */
int		 yconf_check_keys(struct yconf_errs *e,
		    const struct yconf_node *map, const char *const *allowed,
		    const char *what);

/*
 * Typed scalar readers: on a wrong type or an out-of-range value they
 * report at the node and return -1 leaving *out untouched.
 */
/* A uint32_t member of a config struct, its key and accepted range. */
struct yconf_u32_field {
	const char	*key;
	size_t		 off;		/* offsetof the member */
	uint32_t	 min;
	uint32_t	 max;
};

#define YCONF_U32(type, member, lo, hi) \
	{ #member, offsetof(type, member), lo, hi }

/*
 * Reads every field of the NULL-key-terminated table that map has into
 * base + off (range-checked; errors go to e).  Absent keys keep their
 * default.
 */
void		 yconf_u32_fields(struct yconf_errs *e,
		    const struct yconf_node *map,
		    const struct yconf_u32_field *fields, void *base);
int		 yconf_u32(struct yconf_errs *e, const struct yconf_node *n,
		    uint32_t min, uint32_t max, uint32_t *out);
int		 yconf_u64(struct yconf_errs *e, const struct yconf_node *n,
		    uint64_t min, uint64_t max, uint64_t *out);
int		 yconf_double(struct yconf_errs *e, const struct yconf_node *n,
		    double min, double max, double *out);
/* Copies a scalar into buf; too long (>= len) or not a scalar is -1. */
int		 yconf_str(struct yconf_errs *e, const struct yconf_node *n,
		    char *buf, size_t len);

/* libyaml's run-time version string (--version). */
const char	*yconf_lib_version(void);

#endif /* YCONF_H */
