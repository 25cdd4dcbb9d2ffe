/*
 * test_yconf.c - unit tests for include/yconf.h.
 *
 * Nesting of maps and sequences with positions, the depth limit, libyaml
 * syntax errors reported at line:col, duplicate keys, anchors and
 * aliases, multiple documents, and the typed scalar readers.  Errors are
 * collected through the yconf_errs callback instead of stderr.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "yconf.h"

struct collect {
	char		all[4096];	/* every message, '\n' separated */
	unsigned	n;
};

static void
collect_fn(void *arg, const char *msg)
{
	struct collect *c = arg;
	size_t len = strlen(c->all);

	snprintf(c->all + len, sizeof(c->all) - len, "%s\n", msg);
	c->n++;
}

static struct yconf_node *
load(const char *text, struct collect *c, struct yconf_errs *e)
{
	memset(c, 0, sizeof(*c));
	memset(e, 0, sizeof(*e));
	e->file = "t.yaml";
	e->fn = collect_fn;
	e->arg = c;
	return yconf_load_string(text, strlen(text), e);
}

static void
test_nesting(void **state)
{
	struct collect c;
	struct yconf_errs e;
	struct yconf_node *root;
	const struct yconf_node *a, *b, *i;

	(void)state;
	root = load("a:\n  b: [1, two, {c: d}]\n  e: ~\nf: 'x y'\n", &c, &e);
	assert_non_null(root);
	assert_int_equal(root->type, YCONF_MAP);
	assert_int_equal(root->n_children, 2);
	a = yconf_get(root, "a");
	assert_non_null(a);
	assert_int_equal(a->type, YCONF_MAP);
	assert_int_equal(a->key_line, 1);
	assert_int_equal(a->key_col, 1);
	assert_int_equal(a->line, 2);
	assert_int_equal(a->col, 3);
	b = yconf_get(a, "b");
	assert_int_equal(b->type, YCONF_SEQ);
	assert_int_equal(b->n_children, 3);
	assert_int_equal(b->line, 2);
	assert_int_equal(b->col, 6);
	i = b->child;
	assert_string_equal(i->str, "1");
	assert_true(i->plain);
	i = i->next;
	assert_string_equal(i->str, "two");
	assert_int_equal(i->col, 10);
	i = i->next;
	assert_int_equal(i->type, YCONF_MAP);
	assert_string_equal(yconf_get(i, "c")->str, "d");
	assert_true(yconf_is_null(yconf_get(a, "e")));
	assert_string_equal(yconf_get(root, "f")->str, "x y");
	assert_false(yconf_get(root, "f")->plain);
	assert_false(yconf_is_null(yconf_get(root, "f")));
	assert_null(yconf_get(root, "zz"));
	assert_null(yconf_get(b, "b"));
	assert_int_equal(c.n, 0);
	yconf_free(root);

	/* An empty document is an empty map. */
	root = load("", &c, &e);
	assert_non_null(root);
	assert_int_equal(root->type, YCONF_MAP);
	assert_int_equal(root->n_children, 0);
	yconf_free(root);
	root = load("# only a comment\n", &c, &e);
	assert_non_null(root);
	yconf_free(root);
}

static void
test_depth(void **state)
{
	struct collect c;
	struct yconf_errs e;
	struct yconf_node *root;
	char text[256];
	int i;

	(void)state;
	/* YCONF_MAX_DEPTH levels are fine, one more is an error. */
	memset(text, 0, sizeof(text));
	for (i = 0; i < YCONF_MAX_DEPTH; i++)
		text[i] = '[';
	for (i = 0; i < YCONF_MAX_DEPTH; i++)
		text[YCONF_MAX_DEPTH + i] = ']';
	root = load(text, &c, &e);
	assert_non_null(root);
	yconf_free(root);

	memset(text, 0, sizeof(text));
	for (i = 0; i < YCONF_MAX_DEPTH + 1; i++)
		text[i] = '[';
	for (i = 0; i < YCONF_MAX_DEPTH + 1; i++)
		text[YCONF_MAX_DEPTH + 1 + i] = ']';
	root = load(text, &c, &e);
	assert_null(root);
	assert_int_equal(c.n, 1);
	assert_non_null(strstr(c.all, "t.yaml:1:33: nesting deeper than"));

	/* 1000 levels: stops at the limit, no stack blow-up. */
	{
		char big[2100];

		memset(big, '[', 1000);
		memset(big + 1000, ']', 1000);
		big[2000] = '\0';
		root = load(big, &c, &e);
		assert_null(root);
		assert_int_equal(c.n, 1);
	}
}

static void
test_syntax_errors(void **state)
{
	struct collect c;
	struct yconf_errs e;

	(void)state;
	assert_null(load("a: [1, 2\nb: 3\n", &c, &e));
	assert_int_equal(c.n, 1);
	assert_non_null(strstr(c.all, "t.yaml:2:2: yaml: "));

	assert_null(load("a: b\n  c: d\n", &c, &e));
	assert_int_equal(c.n, 1);
	assert_non_null(strstr(c.all, "t.yaml:2:4: yaml: mapping values"));

	assert_null(load("a: 1\n\tb: 2\n", &c, &e));
	assert_int_equal(c.n, 1);
	assert_non_null(strstr(c.all, "t.yaml:2:"));

	assert_null(load("a: 1\n---\nb: 2\n", &c, &e));
	assert_non_null(strstr(c.all, "t.yaml:2:1: only one YAML document"));

	assert_null(load("? [a, b]\n: c\n", &c, &e));
	assert_non_null(strstr(c.all, "t.yaml:1:3: map keys must be scalars"));
}

static void
test_duplicates_and_aliases(void **state)
{
	struct collect c;
	struct yconf_errs e;

	(void)state;
	/* Every problem is reported, each at its own position. */
	assert_null(load("a: 1\nb:\n  x: 1\n  x: 2\na: 3\n", &c, &e));
	assert_int_equal(c.n, 2);
	assert_non_null(strstr(c.all, "t.yaml:4:3: duplicate key 'x' "
	    "(first at line 3 column 3)"));
	assert_non_null(strstr(c.all, "t.yaml:5:1: duplicate key 'a' "
	    "(first at line 1 column 1)"));

}

/* Anchors and aliases: copies, merge keys, and the bounds. */
static void
test_aliases(void **state)
{
	struct collect c;
	struct yconf_errs e;
	struct yconf_node *root;
	const struct yconf_node *b, *x;
	char big[2048];
	int i, n;

	(void)state;
	root = load("a: &anc 1\nb: *anc\nl: &l [x, y]\nm: *l\n", &c, &e);
	assert_non_null(root);
	assert_string_equal(yconf_get(root, "b")->str, "1");
	assert_int_equal(yconf_get(root, "m")->type, YCONF_SEQ);
	assert_int_equal(yconf_get(root, "m")->n_children, 2);
	assert_string_equal(yconf_get(root, "m")->child->next->str, "y");
	/* the copy stands where the alias is written */
	assert_int_equal(yconf_get(root, "m")->line, 4);
	yconf_free(root);

	/* <<: the map's own keys win, before or after the merge key */
	root = load("d: &d {x: 1, y: 2, z: 3}\n"
	    "b: {x: 9, <<: *d, z: 7}\n", &c, &e);
	assert_non_null(root);
	b = yconf_get(root, "b");
	assert_int_equal(b->n_children, 3);
	assert_string_equal(yconf_get(b, "x")->str, "9");
	assert_string_equal(yconf_get(b, "y")->str, "2");
	assert_string_equal(yconf_get(b, "z")->str, "7");
	assert_null(yconf_get(b, "<<"));
	yconf_free(root);
	root = load("p: &p {a: 1}\nq: &q {a: 2, b: 3}\n"
	    "r: {<<: [*p, *q]}\n", &c, &e);
	assert_non_null(root);
	x = yconf_get(yconf_get(root, "r"), "a");
	assert_string_equal(x->str, "1");	/* the first map wins */
	yconf_free(root);

	assert_null(load("a: *nope\n", &c, &e));
	assert_non_null(strstr(c.all, "t.yaml:1:4: unknown alias '*nope'"));
	assert_null(load("a: &r [1, *r]\n", &c, &e));
	assert_non_null(strstr(c.all, "is inside the node it names"));
	assert_null(load("a: &s 1\nb: {<<: *s}\n", &c, &e));
	assert_non_null(strstr(c.all, "<<: expected a map"));
	/* still a duplicate when both keys are the map's own */
	assert_null(load("d: &d {x: 1}\nb: {x: 2, <<: *d, x: 3}\n", &c, &e));
	assert_non_null(strstr(c.all, "duplicate key 'x'"));

	/* billion laughs: 9 levels of 9 copies is an error, not 387M nodes */
	n = snprintf(big, sizeof(big), "l0: &l0 [lol, lol, lol, lol, lol, "
	    "lol, lol, lol, lol]\n");
	for (i = 1; i <= 9; i++)
		n += snprintf(big + n, sizeof(big) - (size_t)n,
		    "l%d: &l%d [*l%d, *l%d, *l%d, *l%d, *l%d, *l%d, *l%d, "
		    "*l%d, *l%d]\n", i, i, i - 1, i - 1, i - 1, i - 1, i - 1,
		    i - 1, i - 1, i - 1, i - 1);
	assert_null(load(big, &c, &e));
	assert_non_null(strstr(c.all, "aliases expand to more than 10000 "
	    "nodes"));
	assert_int_equal(c.n, 1);
}

static void
test_readers(void **state)
{
	struct collect c;
	struct yconf_errs e;
	struct yconf_node *root;
	uint32_t u = 7;
	uint64_t u64;
	double d;
	char buf[4];
	static const char *const allowed[] = { "n", "neg", "big", "f", "s",
	    "m", "hex", NULL };

	(void)state;
	root = load("n: 42\nneg: -1\nbig: 4294967296\nf: 0.75\ns: abcd\n"
	    "m: {}\nhex: 0x10\nzz: 1\n", &c, &e);
	assert_non_null(root);
	assert_int_equal(yconf_u32(&e, yconf_get(root, "n"), 0, 100, &u), 0);
	assert_int_equal(u, 42);
	assert_int_equal(yconf_u32(&e, yconf_get(root, "n"), 0, 41, &u), -1);
	assert_int_equal(u, 42);
	assert_non_null(strstr(c.all, "t.yaml:1:4: '42': expected a whole "
	    "number from 0 to 41"));
	assert_int_equal(yconf_u32(&e, yconf_get(root, "neg"), 0, 9, &u), -1);
	assert_int_equal(yconf_u32(&e, yconf_get(root, "big"), 0, UINT32_MAX,
	    &u), -1);
	assert_int_equal(yconf_u64(&e, yconf_get(root, "big"), 0, UINT64_MAX,
	    &u64), 0);
	assert_true(u64 == 4294967296ull);
	assert_int_equal(yconf_u32(&e, yconf_get(root, "hex"), 0, 99, &u), -1);
	assert_int_equal(yconf_u32(&e, yconf_get(root, "m"), 0, 99, &u), -1);
	assert_int_equal(yconf_double(&e, yconf_get(root, "f"), 0, 1, &d), 0);
	assert_true(d == 0.75);
	assert_int_equal(yconf_double(&e, yconf_get(root, "s"), 0, 1, &d), -1);
	assert_int_equal(yconf_str(&e, yconf_get(root, "s"), buf,
	    sizeof(buf)), -1);
	assert_non_null(strstr(c.all, "t.yaml:5:4: string longer than 3"));
	assert_int_equal(yconf_str(&e, yconf_get(root, "n"), buf,
	    sizeof(buf)), 0);
	assert_string_equal(buf, "42");
	c.n = 0;
	assert_int_equal(yconf_check_keys(&e, root, allowed, "top"), -1);
	assert_int_equal(c.n, 1);
	assert_non_null(strstr(c.all, "t.yaml:8:1: top: unknown key 'zz'"));
	yconf_free(root);
	yconf_free(NULL);
}

static void
test_file(void **state)
{
	struct collect c;
	struct yconf_errs e;
	struct yconf_node *root;
	char path[] = "/tmp/yconf-XXXXXX";
	FILE *fp;
	int fd;

	(void)state;
	fd = mkstemp(path);
	assert_true(fd >= 0);
	fp = fdopen(fd, "w");
	fputs("k: [a, b]\n", fp);
	fclose(fp);
	memset(&c, 0, sizeof(c));
	memset(&e, 0, sizeof(e));
	e.file = path;
	e.fn = collect_fn;
	e.arg = &c;
	root = yconf_load_file(path, &e);
	assert_non_null(root);
	assert_int_equal(yconf_get(root, "k")->n_children, 2);
	yconf_free(root);
	unlink(path);
	assert_null(yconf_load_file(path, &e));
	assert_int_equal(c.n, 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nesting),
		cmocka_unit_test(test_depth),
		cmocka_unit_test(test_syntax_errors),
		cmocka_unit_test(test_duplicates_and_aliases),
		cmocka_unit_test(test_aliases),
		cmocka_unit_test(test_readers),
		cmocka_unit_test(test_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
