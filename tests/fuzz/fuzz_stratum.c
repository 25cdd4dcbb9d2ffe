/*
 * fuzz_stratum.c - libFuzzer target for the Stratum dissector and jscan.
 *
 * The whole input is first given to jscan as one buffer (parse, look up
 * the JSON-RPC members, walk and decode what is there).  Then it is read
 * as a script of chunks: one header byte (bit 7 = direction, bits 0-6 =
 * chunk length) followed by that many bytes, fed in order to
 * stratum_feed with one stash until a final status.  Nothing is checked
 * but the absence of crashes, sanitizer reports and broken invariants.
 * Builds with clang -fsanitize=fuzzer or with tests/fuzz/onefile.c for
 * plain replay.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "jscan.h"
#include "stash.h"
#include "stratum.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
fuzz_jscan(const char *buf, size_t size)
{
	static const char *keys[] = { "id", "method", "params", "result",
	    "error", "login", "agent", "job" };
	struct jscan_val root, v, k, e;
	struct jscan_iter it;
	char out[16];
	double d;
	size_t i;

	if (!jscan_parse(buf, size, &root))
		return;
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (jscan_member(&root, keys[i], &v))
			(void)jscan_string(&v, out, sizeof(out));
	jscan_iter_init(&it, &root);
	while (jscan_iter_next(&it, &k, &v)) {
		(void)jscan_string(&k, out, sizeof(out));
		(void)jscan_number(&v, &d);
		(void)jscan_index(&v, 1, &e);
		if (jscan_string(&v, out, sizeof(out)) >= sizeof(out) &&
		    strlen(out) >= sizeof(out))
			abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct stash st;
	struct stratum_info si;
	enum stratum_status rv = STRATUM_MORE;
	const char *names[STRATUM_M_COUNT];
	size_t off = 0, n;
	int dir;

	fuzz_jscan((const char *)data, size);
	stratum_info_init(&si);
	memset(&st, 0, sizeof(st));
	while (off < size && rv == STRATUM_MORE) {
		dir = data[off] >> 7;
		n = data[off] & 0x7f;
		off++;
		if (n > size - off)
			n = size - off;
		rv = stratum_feed(&si, &st, dir, data + off, n, off);
		if (rv > STRATUM_NOT || st.len[0] > STASH_DIR_BYTES ||
		    st.len[1] > STASH_DIR_BYTES || si.lines > STRATUM_MAX_LINES)
			abort();
		off += n;
	}
	if (stratum_method_names(&si, names, STRATUM_M_COUNT) > STRATUM_M_COUNT)
		abort();
	(void)stratum_dialect_name(si.dialect);
	return 0;
}
