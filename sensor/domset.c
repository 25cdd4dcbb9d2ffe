/*
 * domset.c - a set of domain names with label-boundary suffix match.
 *
 * Names are normalised once on insert (lowercase, no trailing dot, no
 * leading "*." or ".") and kept in an open-addressing hash table with
 * linear probing that doubles at half load.  A suffix query walks the
 * labels of the queried name from the left and probes each remaining
 * suffix, so "a.b.pool.example" costs at most one probe per label and
 * "xpool.example" can never match "pool.example".  The table owns copies
 * of every name; lookups never allocate and never modify the set.  List
 * files accept plain names, hosts-file lines and adblock "||name^" lines.
 */
#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cidr.h"
#include "domset.h"
#include "util.h"

#define DOMSET_NAME_MAX	255	/* longest name kept, bytes */
#define DOMSET_LINE_MAX	4096	/* longest line in a list file */
#define DOMSET_FILE_MAX	(64u << 20)	/* largest list file, bytes */

struct domset_ent {
	char		*name;		/* owned, normalised; NULL = empty slot */
	size_t		 len;
	uint32_t	 hash;
};

struct domset {
	struct domset_ent *slots;
	size_t		 cap;		/* power of two */
	size_t		 n;
};

static uint32_t
domset_hash(const char *s, size_t len)
{
	uint32_t h = 2166136261u;
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= (uint8_t)s[i];
		h *= 16777619u;
	}
	return h;
}

/* Lowercases name into buf and trims dots/wildcards; returns the length. */
static size_t
domset_norm(const char *name, size_t len, char *buf)
{
	size_t i;

	if (len >= 2 && name[0] == '*' && name[1] == '.') {
		name += 2;
		len -= 2;
	}
	while (len > 0 && name[0] == '.') {
		name++;
		len--;
	}
	while (len > 0 && name[len - 1] == '.')
		len--;
	if (len > DOMSET_NAME_MAX)
		return 0;
	for (i = 0; i < len; i++)
		buf[i] = (char)tolower((unsigned char)name[i]);
	buf[len] = '\0';
	return len;
}

struct domset *
domset_new(void)
{
	struct domset *d;

	if ((d = calloc(1, sizeof(*d))) == NULL)
		return NULL;
	d->cap = 64;
	if ((d->slots = calloc(d->cap, sizeof(*d->slots))) == NULL) {
		free(d);
		return NULL;
	}
	return d;
}

void
domset_free(struct domset *d)
{
	size_t i;

	if (d == NULL)
		return;
	for (i = 0; i < d->cap; i++)
		free(d->slots[i].name);
	free(d->slots);
	free(d);
}

size_t
domset_count(const struct domset *d)
{
	return d != NULL ? d->n : 0;
}

static const struct domset_ent *
domset_find(const struct domset *d, const char *s, size_t len, uint32_t h)
{
	size_t i, mask = d->cap - 1;

	for (i = h & mask; d->slots[i].name != NULL; i = (i + 1) & mask) {
		if (d->slots[i].hash == h && d->slots[i].len == len &&
		    memcmp(d->slots[i].name, s, len) == 0)
			return &d->slots[i];
	}
	return NULL;
}

static void
domset_put(struct domset_ent *slots, size_t cap, struct domset_ent *e)
{
	size_t i, mask = cap - 1;

	for (i = e->hash & mask; slots[i].name != NULL; i = (i + 1) & mask)
		;
	slots[i] = *e;
}

static int
domset_grow(struct domset *d)
{
	struct domset_ent *ns;
	size_t i, ncap = d->cap * 2;

	if ((ns = calloc(ncap, sizeof(*ns))) == NULL)
		return -1;
	for (i = 0; i < d->cap; i++)
		if (d->slots[i].name != NULL)
			domset_put(ns, ncap, &d->slots[i]);
	free(d->slots);
	d->slots = ns;
	d->cap = ncap;
	return 0;
}

int
domset_add(struct domset *d, const char *name, size_t len)
{
	char buf[DOMSET_NAME_MAX + 1];
	struct domset_ent e;
	size_t i, n;

	if ((n = domset_norm(name, len, buf)) == 0)
		return -1;
	for (i = 0; i < n; i++)
		if ((unsigned char)buf[i] <= ' ' || buf[i] == 0x7f)
			return -1;
	e.hash = domset_hash(buf, n);
	if (domset_find(d, buf, n, e.hash) != NULL)
		return 0;
	if ((d->n + 1) * 2 > d->cap && domset_grow(d) == -1)
		return -1;
	if ((e.name = malloc(n + 1)) == NULL)
		return -1;
	memcpy(e.name, buf, n + 1);
	e.len = n;
	domset_put(d->slots, d->cap, &e);
	d->n++;
	return 0;
}

bool
domset_contains(const struct domset *d, const char *name, size_t len)
{
	char buf[DOMSET_NAME_MAX + 1];
	size_t n;

	if (d == NULL || name == NULL || d->n == 0)
		return false;
	if ((n = domset_norm(name, len, buf)) == 0)
		return false;
	return domset_find(d, buf, n, domset_hash(buf, n)) != NULL;
}

const char *
domset_match(const struct domset *d, const char *name, size_t len)
{
	char buf[DOMSET_NAME_MAX + 1];
	const struct domset_ent *e;
	size_t n, off = 0;

	if (d == NULL || name == NULL || d->n == 0)
		return NULL;
	if ((n = domset_norm(name, len, buf)) == 0)
		return NULL;
	for (;;) {
		e = domset_find(d, buf + off, n - off,
		    domset_hash(buf + off, n - off));
		if (e != NULL)
			return e->name;
		while (off < n && buf[off] != '.')
			off++;
		if (off >= n - 1)
			return NULL;
		off++;
	}
}

static bool
domset_name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' ||
	    c == '*';
}

/* Length of the name token at s; sets *bad to the first invalid char. */
static size_t
domset_token(const char *s, const char **bad)
{
	size_t i;

	*bad = NULL;
	for (i = 0; s[i] != '\0' && s[i] != ' ' && s[i] != '\t'; i++)
		if (*bad == NULL && !domset_name_char(s[i]))
			*bad = s + i;
	return i;
}

static bool
domset_hosts_skip(const char *s, size_t n)
{
	static const char *const skip[] = { "localhost",
	    "localhost.localdomain", "local", "broadcasthost", NULL };
	char buf[64];
	struct ip_addr a;
	size_t i;

	for (i = 0; skip[i] != NULL; i++)
		if (strlen(skip[i]) == n && strncmp(skip[i], s, n) == 0)
			return true;
	if (n >= 4 && strncmp(s, "ip6-", 4) == 0)
		return true;
	if (n >= sizeof(buf))
		return false;
	memcpy(buf, s, n);
	buf[n] = '\0';
	return ip_addr_parse(buf, &a) == 0;
}

struct domset_file {
	struct domset	*d;
	const char	*path;
	char		*err;
	size_t		 errlen;
	unsigned	 lineno;
};

static int
domset_file_err(struct domset_file *f, const char *line, const char *at,
    const char *msg)
{
	snprintf(f->err, f->errlen, "%s:%u:%zu: %s", f->path, f->lineno,
	    (size_t)(at - line) + 1, msg);
	return -1;
}

/* Adds the names of one hosts-file line: "addr name [name...]". */
static int
domset_hosts_line(struct domset_file *f, const char *line, const char *p)
{
	const char *bad;
	size_t n;

	for (;;) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '\0')
			return 0;
		n = domset_token(p, &bad);
		if (bad != NULL)
			return domset_file_err(f, line, bad,
			    "invalid character in a domain name");
		if (!domset_hosts_skip(p, n) &&
		    domset_add(f->d, p, n) == -1)
			return domset_file_err(f, line, p,
			    "invalid domain name");
		p += n;
	}
}

/* Adds the name on one adblock line "||name^" (options after ^ ignored). */
static int
domset_adblock_line(struct domset_file *f, const char *line, const char *p)
{
	const char *bad, *end;
	size_t n;

	p += 2;
	if ((end = strchr(p, '^')) == NULL)
		return domset_file_err(f, line, p, "'||' line without '^'");
	n = domset_token(p, &bad);
	if (bad == NULL && n < (size_t)(end - p))
		bad = p + n;
	if (bad != NULL && bad < end)
		return domset_file_err(f, line, bad,
		    "invalid character in a domain name");
	if (end[1] != '\0' && end[1] != '$')
		return domset_file_err(f, line, end + 1,
		    "unexpected text after '^'");
	if (domset_add(f->d, p, (size_t)(end - p)) == -1)
		return domset_file_err(f, line, p, "invalid domain name");
	return 0;
}

static int
domset_line(struct domset_file *f, char *line)
{
	const char *p = line, *bad;
	char *hash, tok[64];
	size_t n;
	struct ip_addr a;

	if ((hash = strchr(line, '#')) != NULL)
		*hash = '\0';
	n = strlen(line);
	while (n > 0 && (line[n - 1] == ' ' || line[n - 1] == '\t' ||
	    line[n - 1] == '\r' || line[n - 1] == '\n'))
		line[--n] = '\0';
	while (*p == ' ' || *p == '\t')
		p++;
	if (*p == '\0' || *p == '!' || *p == '[')
		return 0;	/* blank, adblock comment or header */
	if (p[0] == '|' && p[1] == '|')
		return domset_adblock_line(f, line, p);
	n = domset_token(p, &bad);
	if (n < sizeof(tok)) {
		memcpy(tok, p, n);
		tok[n] = '\0';
		if (ip_addr_parse(tok, &a) == 0)
			return domset_hosts_line(f, line, p + n);
	}
	if (bad != NULL)
		return domset_file_err(f, line, bad,
		    "invalid character in a domain name");
	if (p[n] != '\0')
		return domset_file_err(f, line, p + n + 1,
		    "unexpected text after the name");
	if (domset_add(f->d, p, n) == -1)
		return domset_file_err(f, line, p, "invalid domain name");
	return 0;
}

/*
 * Reads one line of at most DOMSET_LINE_MAX bytes into buf (NUL
 * terminated, newline dropped): 1, 0 at the end of the file, -1 with a
 * message in f->err for a longer line (checked before it is read any
 * further), a NUL byte or a read error.
 */
static int
domset_read_line(struct domset_file *f, FILE *fp, char *buf)
{
	size_t n = 0;
	int c;

	while ((c = getc(fp)) != EOF && c != '\n') {
		if (c == '\0') {
			snprintf(f->err, f->errlen, "%s:%u:%zu: NUL byte",
			    f->path, f->lineno + 1, n + 1);
			return -1;
		}
		if (n == DOMSET_LINE_MAX) {
			snprintf(f->err, f->errlen, "%s:%u:1: line longer "
			    "than %d bytes", f->path, f->lineno + 1,
			    DOMSET_LINE_MAX);
			return -1;
		}
		buf[n++] = (char)c;
	}
	if (ferror(fp)) {
		snprintf(f->err, f->errlen, "%s:%u:1: read error", f->path,
		    f->lineno + 1);
		return -1;
	}
	buf[n] = '\0';
	f->lineno++;
	return c == EOF && n == 0 ? 0 : 1;
}

int
domset_load_file(struct domset *d, const char *path, char *err,
    size_t errlen)
{
	struct domset_file f = { d, path, err, errlen, 0 };
	char line[DOMSET_LINE_MAX + 1], why[256];
	FILE *fp;
	int fd, rc = 0, r;

	if ((fd = util_open_regular(path, DOMSET_FILE_MAX, why,
	    sizeof(why))) == -1) {
		snprintf(err, errlen, "%s: %s", path, why);
		return -1;
	}
	if ((fp = fdopen(fd, "r")) == NULL) {
		snprintf(err, errlen, "%s: cannot open: %s", path,
		    strerror(errno));
		close(fd);
		return -1;
	}
	while (rc == 0 && (r = domset_read_line(&f, fp, line)) != 0)
		rc = r == -1 ? -1 : domset_line(&f, line);
	fclose(fp);
	return rc;
}
