/*
 * test_dissect.c - the dissector table and its capped pools: a flow's
 * first bytes pick the dissector, state and stash come from the pools
 * and go back at the end, an empty pool is counted and leaves the flow
 * undissected (APP_OTHER) instead of failing.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "dissect.h"
#include "slab.h"

static const uint8_t ssh_banner[] = "SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n";

/* A cleared hot + cold flow pair (no table: the pools are under test). */
static struct flow *
mkflow(struct flow *f, struct flow_cold *c)
{
	memset(f, 0, sizeof(*f));
	memset(c, 0, sizeof(*c));
	f->c = c;
	c->u = dissect_none();
	return f;
}

static void
test_pick_and_pool_exhaustion(void **state)
{
	struct stats st = { 0 };
	struct dissect *d = dissect_new(1, 4, &st);
	struct flow fa, fb;
	struct flow_cold ca, cb;
	size_t in_use, high, cap;

	(void)state;
	assert_non_null(d);
	mkflow(&fa, &ca);
	mkflow(&fb, &cb);
	dissect_tcp(d, &fa, 0, ssh_banner, sizeof(ssh_banner) - 1, 1);
	assert_int_equal(fa.app, APP_SSH);
	assert_true(fa.c->u != dissect_none());
	assert_true(fa.c->u->ssh.hs.side[0].banner_seen);
	/* The only state is taken: the next SSH flow is counted, not dissected. */
	dissect_tcp(d, &fb, 0, ssh_banner, sizeof(ssh_banner) - 1, 1);
	assert_int_equal(fb.app, APP_OTHER);
	assert_true(fb.c->u == dissect_none());
	assert_null(fb.c->stash);
	assert_int_equal(st.v[ST_APP_STATE_EXHAUSTED], 1);
	dissect_counts(d, &in_use, &high, &cap);
	assert_int_equal(in_use, 1);
	assert_int_equal(cap, 1);
	/* Back to the pool at the end; the next flow gets it. */
	dissect_end(d, &fa);
	assert_true(fa.c->u == dissect_none());
	assert_null(fa.c->stash);
	mkflow(&fb, &cb);
	dissect_tcp(d, &fb, 0, ssh_banner, sizeof(ssh_banner) - 1, 2);
	assert_int_equal(fb.app, APP_SSH);
	dissect_end(d, &fb);
	dissect_counts(d, &in_use, &high, &cap);
	assert_int_equal(in_use, 0);
	assert_int_equal(high, 1);
	dissect_free(d);
}

static void
test_stash_exhaustion_and_other(void **state)
{
	static const uint8_t http[] = "GET / HTTP/1.1\r\nHost: a\r\n\r\n";
	struct stats st = { 0 };
	struct dissect *d = dissect_new(4, 0, &st);
	struct flow f;
	struct flow_cold c;
	size_t in_use, high, cap;

	(void)state;
	mkflow(&f, &c);
	/* None of ours: APP_OTHER, no state taken. */
	dissect_tcp(d, &f, 0, http, sizeof(http) - 1, 1);
	assert_int_equal(f.app, APP_OTHER);
	assert_true(f.c->u == dissect_none());
	/* No stash: counted, the state goes back. */
	mkflow(&f, &c);
	dissect_tcp(d, &f, 0, ssh_banner, sizeof(ssh_banner) - 1, 1);
	assert_int_equal(f.app, APP_OTHER);
	assert_int_equal(st.v[ST_STASH_EXHAUSTED], 1);
	dissect_counts(d, &in_use, &high, &cap);
	assert_int_equal(in_use, 0);
	dissect_free(d);
}

static void
test_slab(void **state)
{
	struct slab *s = slab_new(2, 24);
	struct slab_counts c;
	void *a, *b;

	(void)state;
	assert_non_null(a = slab_get(s));
	assert_non_null(b = slab_get(s));
	assert_null(slab_get(s));
	slab_put(s, a);
	assert_ptr_equal(slab_get(s), a);
	slab_counts(s, &c);
	assert_int_equal(c.size, 32);
	assert_int_equal(c.in_use, 2);
	assert_int_equal(c.high, 2);
	assert_int_equal(c.exhausted, 1);
	slab_free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pick_and_pool_exhaustion),
		cmocka_unit_test(test_stash_exhaustion_and_other),
		cmocka_unit_test(test_slab),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
