/*
 * fuzz_ssh.c - libFuzzer target for the SSH handshake dissector.
 *
 * The input is a script of chunks: one header byte (bit 7 = direction,
 * bits 0-6 = chunk length) followed by that many bytes, fed in order to
 * ssh_feed with one stash.  When the first byte is odd, both directions
 * first get a valid banner, so the fuzzer spends its time on binary
 * packets.  Nothing is checked but the absence of crashes, sanitizer
 * reports and out-of-range statuses.  Builds with clang -fsanitize=fuzzer
 * or with tests/fuzz/onefile.c for plain replay.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ssh.h"
#include "stash.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char banner[] = "SSH-2.0-OpenSSH_9.2p1\r\n";
	static struct stash st;
	struct ssh_info si;
	enum ssh_status rv;
	size_t off = 0, n;
	int dir;

	ssh_info_init(&si);
	memset(&st, 0, sizeof(st));
	if (size > 0 && (data[0] & 1)) {
		(void)ssh_feed(&si, &st, 0, (const uint8_t *)banner,
		    sizeof(banner) - 1, 0);
		(void)ssh_feed(&si, &st, 1, (const uint8_t *)banner,
		    sizeof(banner) - 1, 0);
		off = 1;
	}
	while (off < size) {
		dir = data[off] >> 7;
		n = data[off] & 0x7f;
		off++;
		if (n > size - off)
			n = size - off;
		rv = ssh_feed(&si, &st, dir, data + off, n, off);
		if (rv > SSH_ERROR || st.len[0] > STASH_DIR_BYTES ||
		    st.len[1] > STASH_DIR_BYTES)
			abort();
		off += n;
	}
	(void)ssh_role_name(&si, 0);
	return 0;
}
