/*
 * test_detect.c - unit tests for the detector registry (detect.h).
 *
 * Every row complete and its name unique and found again by
 * verdict_lookup(); incident stages and the lists detectors read as the
 * registry says; no verdict from a flow that carries nothing.  Then the
 * documents that list detectors are checked against the registry, both
 * ways, so a detector added to the code or to a document only fails
 * here: README.md's "What it detects" table, rules/README.md's detector
 * names and its incident stage table, and egress-sensor.yaml(5).  The
 * parsers are run on an altered copy too, to show they can fail.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cfg.h"
#include "detect.h"
#include "flow_fix.h"
#include "incident.h"
#include "verdict.h"

#define NAMES_MAX	64
#define NAME_LEN	64

struct names {
	char	v[NAMES_MAX][NAME_LEN];
	size_t	n;
};

/* Reads a file of the source tree, from the root or a build dir below. */
static char *
slurp(const char *rel)
{
	static const char *const up[] = { "", "../", "../../", NULL };
	char path[512];
	FILE *fp = NULL;
	char *buf;
	long n;
	size_t i;

	for (i = 0; up[i] != NULL && fp == NULL; i++) {
		snprintf(path, sizeof(path), "%s%s", up[i], rel);
		fp = fopen(path, "r");
	}
	assert_non_null(fp);
	assert_int_equal(fseek(fp, 0, SEEK_END), 0);
	n = ftell(fp);
	assert_true(n > 0);
	rewind(fp);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, fp), (size_t)n);
	buf[n] = '\0';
	fclose(fp);
	return buf;
}

static void
names_add(struct names *ns, const char *p, size_t len)
{
	assert_true(ns->n < NAMES_MAX && len > 0 && len < NAME_LEN);
	memcpy(ns->v[ns->n], p, len);
	ns->v[ns->n][len] = '\0';
	ns->n++;
}

/* Every `word` between backticks in [p, end). */
static void
backticked(struct names *ns, const char *p, const char *end)
{
	const char *q;

	while (p < end && (p = memchr(p, '`', (size_t)(end - p))) != NULL) {
		q = memchr(p + 1, '`', (size_t)(end - p - 1));
		if (q == NULL)
			break;
		names_add(ns, p + 1, (size_t)(q - p - 1));
		p = q + 1;
	}
}

static const char *
line_end(const char *p)
{
	const char *e = strchr(p, '\n');

	return e != NULL ? e : p + strlen(p);
}

/*
 * README.md: the first column of the table after "## What it detects"
 * (rows "| `name` | ..."), up to the first line that is not a row.
 */
static void
readme_names(const char *text, struct names *ns)
{
	const char *p = strstr(text, "\n## What it detects\n"), *e, *q;

	memset(ns, 0, sizeof(*ns));
	assert_non_null(p);
	p = strstr(p, "\n| detector |");
	assert_non_null(p);
	p = line_end(p + 1) + 1;			/* the |---| line */
	for (p = line_end(p) + 1; *p == '|'; p = line_end(p) + 1) {
		e = line_end(p);
		q = memchr(p + 1, '|', (size_t)(e - p - 1));	/* first cell */
		assert_non_null(q);
		backticked(ns, p, q);
	}
}

/* rules/README.md: the paragraph that starts "Detector names:". */
static void
rules_readme_names(const char *text, struct names *ns)
{
	const char *p = strstr(text, "\nDetector names:"), *e;

	memset(ns, 0, sizeof(*ns));
	assert_non_null(p);
	e = strstr(p + 1, "\n\n");
	assert_non_null(e);
	backticked(ns, p, e);
}

/* rules/README.md: the detectors column of a stage's row. */
static void
stage_names(const char *text, const char *stage, struct names *ns)
{
	char row[64];
	const char *p, *e, *cell;

	memset(ns, 0, sizeof(*ns));
	snprintf(row, sizeof(row), "\n| `%s` |", stage);
	p = strstr(text, row);
	assert_non_null(p);
	cell = p + strlen(row);
	e = memchr(cell, '|', (size_t)(line_end(cell) - cell));
	assert_non_null(e);
	backticked(ns, cell, e);
}

/* egress-sensor.yaml(5): the ".BR name ," lines after "Detectors:". */
static void
man_names(const char *text, struct names *ns)
{
	const char *p = strstr(text, "\nDetectors:\n"), *e, *w;

	memset(ns, 0, sizeof(*ns));
	assert_non_null(p);
	for (p = line_end(p + 1) + 1; strncmp(p, ".B", 2) == 0;
	    p = line_end(p) + 1) {
		e = line_end(p);
		w = memchr(p, ' ', (size_t)(e - p));
		assert_non_null(w);
		w++;
		while (e > w && (e[-1] == ',' || e[-1] == '.' || e[-1] == ' '))
			e--;
		names_add(ns, w, (size_t)(e - w));
	}
}

static bool
names_has(const struct names *ns, const char *name)
{
	size_t i;

	for (i = 0; i < ns->n; i++)
		if (strcmp(ns->v[i], name) == 0)
			return true;
	return false;
}

/*
 * True when ns is exactly the registry rows for which want(d) holds:
 * each once, nothing else.  Prints what differs.
 */
static bool
names_are(const struct names *ns, bool (*want)(int d, const void *arg),
    const void *arg, const char *what)
{
	bool ok = true;
	size_t i, j;
	int d;

	for (d = 0; d < DET_COUNT; d++)
		if (want(d, arg) && !names_has(ns, verdict_name(d))) {
			printf("# %s lacks %s\n", what, verdict_name(d));
			ok = false;
		}
	for (i = 0; i < ns->n; i++) {
		d = verdict_lookup(ns->v[i]);
		if (d < 0 || !want(d, arg)) {
			printf("# %s has %s, not in the registry (here)\n",
			    what, ns->v[i]);
			ok = false;
		}
		for (j = 0; j < i; j++)
			if (strcmp(ns->v[i], ns->v[j]) == 0) {
				printf("# %s has %s twice\n", what, ns->v[i]);
				ok = false;
			}
	}
	return ok;
}

static bool
want_all(int d, const void *arg)
{
	(void)d;
	(void)arg;
	return true;
}

static bool
want_stage(int d, const void *arg)
{
	return det_def((enum detector)d)->stage == *(const int *)arg;
}

static void
test_rows(void **state)
{
	const struct det_def *dd;
	const char *c;
	int d, e;

	(void)state;
	for (d = 0; d < DET_COUNT; d++) {
		dd = det_def((enum detector)d);
		assert_non_null(dd->name);
		assert_non_null(dd->check);
		assert_non_null(dd->confidence);
		assert_non_null(dd->evidence);
		assert_true(dd->gate < DG_COUNT);
		assert_true(dd->stage >= -1 && dd->stage < IS_NEW_DEST);
		assert_true(dd->stage == -1 || dd->what != NULL);
		assert_true(dd->list == NULL ||
		    strcmp(dd->list, CFG_LIST_SSH_ALLOWED) == 0 ||
		    strcmp(dd->list, CFG_LIST_MINING_POOLS) == 0);
		for (c = dd->name; *c != '\0'; c++)
			assert_true((*c >= 'a' && *c <= 'z') || *c == '_');
		assert_ptr_equal(verdict_name((enum detector)d), dd->name);
		assert_int_equal(verdict_lookup(dd->name), d);
		assert_int_equal(incident_stage_of(d), dd->stage);
		for (e = 0; e < d; e++)
			assert_string_not_equal(det_def((enum detector)e)->name,
			    dd->name);
	}
	assert_string_equal(verdict_name(DET_COUNT), "unknown");
	assert_string_equal(verdict_name((enum detector)-1), "unknown");
	assert_int_equal(verdict_lookup("reverse_ssh "), -1);
	assert_int_equal(incident_stage_of(-1), -1);
	assert_int_equal(incident_stage_of(DET_COUNT), -1);
	assert_true(FLOW_MAX_VERDICTS >= DET_COUNT);
	assert_true(DET_BIT(DET_COUNT - 1) != 0);
}

/* A flow that carries nothing (no app, no banner, no DNS): no verdict. */
static void
test_check_empty(void **state)
{
	struct cfg *c = cfg_default();
	struct det_ctx dc = { NULL, NULL, NULL, NULL };
	static struct flow_fix x;
	struct flow *f = flow_fix_init(&x);

	(void)state;
	assert_non_null(c);
	f->proto = 6;
	f->key.hi_port = 2222;	/* dest port: the initiator is the lo end */
	f->netdir = DIR_OUTBOUND;
	assert_int_equal(det_check(&dc, c, f, 1000000), 0);
	cfg_free(c);
}

static void
test_readme(void **state)
{
	char *text = slurp("README.md");
	struct names ns;

	(void)state;
	readme_names(text, &ns);
	assert_true(names_are(&ns, want_all, NULL, "README.md"));
	free(text);
}

static void
test_rules_readme(void **state)
{
	static const struct {
		const char	*stage;
		int		 is;
	} st[] = { { "tunnel", IS_TUNNEL }, { "mining", IS_MINING },
	    { "node", IS_NODE } };
	char *text = slurp("rules/README.md");
	struct names ns;
	size_t i;

	(void)state;
	rules_readme_names(text, &ns);
	assert_true(names_are(&ns, want_all, NULL, "rules/README.md"));
	for (i = 0; i < sizeof(st) / sizeof(st[0]); i++) {
		stage_names(text, st[i].stage, &ns);
		assert_true(names_are(&ns, want_stage, &st[i].is,
		    st[i].stage));
	}
	free(text);
}

static void
test_man(void **state)
{
	char *text = slurp("man/egress-sensor.yaml.5");
	struct names ns;

	(void)state;
	man_names(text, &ns);
	assert_true(names_are(&ns, want_all, NULL, "egress-sensor.yaml.5"));
	free(text);
}

/* The checks catch a row added on one side only, or one missing. */
static void
test_can_fail(void **state)
{
	char *text = slurp("README.md"), *alt;
	const char *row = "| `crypto_node` |";
	char *p = strstr(text, row);
	struct names ns;
	size_t len = strlen(text), off, n, next;

	(void)state;
	assert_non_null(p);
	off = (size_t)(p - text);
	alt = malloc(len + 128);
	assert_non_null(alt);
	/* A row the registry does not have. */
	memcpy(alt, text, off);
	n = (size_t)snprintf(alt + off, 128, "| `ssh_new_thing` | x |\n");
	memcpy(alt + off + n, text + off, len - off + 1);
	readme_names(alt, &ns);
	assert_false(names_are(&ns, want_all, NULL, "altered README.md"));
	/* A registry row the table lacks. */
	next = (size_t)(line_end(p) + 1 - text);
	memcpy(alt, text, off);
	memcpy(alt + off, text + next, len - next + 1);
	readme_names(alt, &ns);
	assert_false(names_are(&ns, want_all, NULL, "altered README.md"));
	/* Unaltered, the same parser agrees. */
	readme_names(text, &ns);
	assert_true(names_are(&ns, want_all, NULL, "README.md"));
	free(alt);
	free(text);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rows),
		cmocka_unit_test(test_check_empty),
		cmocka_unit_test(test_readme),
		cmocka_unit_test(test_rules_readme),
		cmocka_unit_test(test_man),
		cmocka_unit_test(test_can_fail),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
