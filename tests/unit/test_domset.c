/*
 * test_domset.c - unit tests for include/domset.h.
 *
 * Suffix match on label boundaries only ("xpool.com" must not match
 * "pool.com"), case and trailing-dot folding, exact match, list files
 * with plain, hosts-file and adblock lines and their error positions,
 * and 20000 names loaded and looked up.
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

#include "domset.h"

static const char *
match(const struct domset *d, const char *name)
{
	return domset_match(d, name, strlen(name));
}

static void
test_suffix(void **state)
{
	struct domset *d;

	(void)state;
	d = domset_new();
	assert_non_null(d);
	assert_null(match(d, "pool.com"));
	assert_int_equal(domset_add(d, "pool.com", 8), 0);
	assert_int_equal(domset_add(d, "Nanopool.ORG.", 13), 0);
	assert_int_equal(domset_add(d, "*.wild.example", 14), 0);
	assert_int_equal(domset_add(d, "pool.com", 8), 0);	/* duplicate */
	assert_int_equal(domset_count(d), 3);
	assert_string_equal(match(d, "pool.com"), "pool.com");
	assert_string_equal(match(d, "eu.pool.com"), "pool.com");
	assert_string_equal(match(d, "a.b.c.POOL.com."), "pool.com");
	assert_null(match(d, "xpool.com"));
	assert_null(match(d, "pool.com.evil"));
	assert_null(match(d, "com"));
	assert_null(match(d, "ool.com"));
	assert_string_equal(match(d, "xmr-eu1.nanopool.org"), "nanopool.org");
	assert_string_equal(match(d, "x.wild.example"), "wild.example");
	assert_null(match(d, ""));
	assert_null(match(d, "."));
	assert_null(domset_match(d, NULL, 0));
	assert_true(domset_contains(d, "POOL.com", 8));
	assert_false(domset_contains(d, "eu.pool.com", 11));
	/* Length-delimited: the query need not be NUL-terminated. */
	assert_string_equal(domset_match(d, "eu.pool.comXYZ", 11), "pool.com");
	assert_int_equal(domset_add(d, "", 0), -1);
	assert_int_equal(domset_add(d, "a b", 3), -1);
	assert_int_equal(domset_add(d, "...", 3), -1);
	domset_free(d);
	domset_free(NULL);
	assert_null(domset_match(NULL, "x", 1));
}

static char *
write_tmp(const char *text)
{
	static char path[64];
	FILE *fp;
	int fd;

	snprintf(path, sizeof(path), "/tmp/domset-XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	fp = fdopen(fd, "w");
	fputs(text, fp);
	fclose(fp);
	return path;
}

static void
test_file_formats(void **state)
{
	struct domset *d;
	char err[256] = "";
	char *path;

	(void)state;
	path = write_tmp("# a comment\n"
	    "\n"
	    "plain.example   # trailing comment\r\n"
	    "  indented.example\n"
	    "0.0.0.0 hosts-a.example hosts-b.example\n"
	    "127.0.0.1 localhost\n"
	    "::1 ip6-localhost ip6-loopback\n"
	    "0.0.0.0 0.0.0.0\n"
	    "||adblock.example^\n"
	    "||adblock-opt.example^$third-party\n"
	    "! adblock comment\n"
	    "[Adblock Plus 2.0]\n"
	    "*.wild.example\n"
	    "UPPER.Example.\n");
	d = domset_new();
	assert_int_equal(domset_load_file(d, path, err, sizeof(err)), 0);
	unlink(path);
	assert_int_equal(domset_count(d), 8);
	assert_non_null(match(d, "x.plain.example"));
	assert_non_null(match(d, "indented.example"));
	assert_non_null(match(d, "hosts-a.example"));
	assert_non_null(match(d, "hosts-b.example"));
	assert_null(match(d, "localhost"));
	assert_non_null(match(d, "a.adblock.example"));
	assert_non_null(match(d, "adblock-opt.example"));
	assert_non_null(match(d, "wild.example"));
	assert_non_null(match(d, "upper.example"));
	domset_free(d);
}

static void
test_file_errors(void **state)
{
	struct domset *d;
	char err[256];
	char *path;

	(void)state;
	d = domset_new();
	path = write_tmp("ok.example\nbad!name.example\n");
	assert_int_equal(domset_load_file(d, path, err, sizeof(err)), -1);
	assert_non_null(strstr(err, ":2:4: invalid character"));
	assert_ptr_equal(strstr(err, path), err);
	unlink(path);

	path = write_tmp("two.example names.example\n");
	assert_int_equal(domset_load_file(d, path, err, sizeof(err)), -1);
	assert_non_null(strstr(err, ":1:13: unexpected text"));
	unlink(path);

	path = write_tmp("\n\n||noend.example\n");
	assert_int_equal(domset_load_file(d, path, err, sizeof(err)), -1);
	assert_non_null(strstr(err, ":3:3: '||' line without '^'"));
	unlink(path);

	path = write_tmp("||x.example^junk\n");
	assert_int_equal(domset_load_file(d, path, err, sizeof(err)), -1);
	assert_non_null(strstr(err, ":1:13: unexpected text after '^'"));
	unlink(path);

	path = write_tmp("0.0.0.0 good.example b@d.example\n");
	assert_int_equal(domset_load_file(d, path, err, sizeof(err)), -1);
	assert_non_null(strstr(err, ":1:23: invalid character"));
	unlink(path);

	assert_int_equal(domset_load_file(d, "/nonexistent/list.txt", err,
	    sizeof(err)), -1);
	assert_non_null(strstr(err, "/nonexistent/list.txt: cannot open"));
	domset_free(d);
}

static void
test_many(void **state)
{
	struct domset *d;
	char name[64], err[256];
	char *path;
	FILE *fp;
	int i;

	(void)state;
	path = write_tmp("");
	fp = fopen(path, "w");
	for (i = 0; i < 20000; i++)
		fprintf(fp, "host%d.pool%d.example\n", i, i % 97);
	fclose(fp);
	d = domset_new();
	assert_int_equal(domset_load_file(d, path, err, sizeof(err)), 0);
	unlink(path);
	assert_int_equal(domset_count(d), 20000);
	for (i = 0; i < 20000; i++) {
		snprintf(name, sizeof(name), "a.b.HOST%d.pool%d.example", i,
		    i % 97);
		assert_non_null(match(d, name));
		snprintf(name, sizeof(name), "xhost%d.pool%d.example", i,
		    i % 97);
		assert_null(match(d, name));
	}
	domset_free(d);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_suffix),
		cmocka_unit_test(test_file_formats),
		cmocka_unit_test(test_file_errors),
		cmocka_unit_test(test_many),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
