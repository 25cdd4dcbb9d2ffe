/*
 * test_ssh.c - unit tests for the SSH handshake dissector (ssh.h).
 *
 * Handshakes are assembled by small builders (banner line, binary packet
 * with padding, KEXINIT from ten name-lists, KEX messages with filler
 * bodies) rather than long hex arrays; each builder says what it writes.
 * A handshake is a script of (direction, bytes) messages that is fed
 * whole, byte by byte and split at every offset, and must always give the
 * same result.  Malformed inputs must give SSH_NOT_SSH or SSH_ERROR and
 * never crash (run under ASan/UBSan too).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "ssh.h"
#include "stash.h"

/* OpenSSH 9.2p1 (Debian 12, Terrapin fix backported) as a client. */
#define C_KEX	"sntrup761x25519-sha512@openssh.com,curve25519-sha256," \
	"curve25519-sha256@libssh.org,ecdh-sha2-nistp256,ecdh-sha2-nistp384," \
	"ecdh-sha2-nistp521,diffie-hellman-group-exchange-sha256," \
	"diffie-hellman-group16-sha512,diffie-hellman-group18-sha512," \
	"diffie-hellman-group14-sha256,ext-info-c,kex-strict-c-v00@openssh.com"
#define C_HOSTKEY "ssh-ed25519-cert-v01@openssh.com," \
	"ecdsa-sha2-nistp256-cert-v01@openssh.com," \
	"ecdsa-sha2-nistp384-cert-v01@openssh.com," \
	"ecdsa-sha2-nistp521-cert-v01@openssh.com," \
	"sk-ssh-ed25519-cert-v01@openssh.com," \
	"sk-ecdsa-sha2-nistp256-cert-v01@openssh.com," \
	"rsa-sha2-512-cert-v01@openssh.com,rsa-sha2-256-cert-v01@openssh.com," \
	"ssh-ed25519,ecdsa-sha2-nistp256,ecdsa-sha2-nistp384," \
	"ecdsa-sha2-nistp521,sk-ssh-ed25519@openssh.com," \
	"sk-ecdsa-sha2-nistp256@openssh.com,rsa-sha2-512,rsa-sha2-256"
#define CIPHERS	"chacha20-poly1305@openssh.com,aes128-ctr,aes192-ctr," \
	"aes256-ctr,aes128-gcm@openssh.com,aes256-gcm@openssh.com"
#define MACS	"umac-64-etm@openssh.com,umac-128-etm@openssh.com," \
	"hmac-sha2-256-etm@openssh.com,hmac-sha2-512-etm@openssh.com," \
	"hmac-sha1-etm@openssh.com,umac-64@openssh.com,umac-128@openssh.com," \
	"hmac-sha2-256,hmac-sha2-512,hmac-sha1"
#define C_COMP	"none,zlib@openssh.com,zlib"
/* OpenSSH 9.2p1 as a server (ed25519 + rsa + ecdsa host keys). */
#define S_KEX	"sntrup761x25519-sha512@openssh.com,curve25519-sha256," \
	"curve25519-sha256@libssh.org,ecdh-sha2-nistp256,ecdh-sha2-nistp384," \
	"ecdh-sha2-nistp521,diffie-hellman-group-exchange-sha256," \
	"diffie-hellman-group16-sha512,diffie-hellman-group18-sha512," \
	"diffie-hellman-group14-sha256,kex-strict-s-v00@openssh.com"
#define S_HOSTKEY "rsa-sha2-512,rsa-sha2-256,ecdsa-sha2-nistp256,ssh-ed25519"
#define S_COMP	"none,zlib@openssh.com"

static const char *const client92[10] = {
	C_KEX, C_HOSTKEY, CIPHERS, CIPHERS, MACS, MACS, C_COMP, C_COMP, "", ""
};
static const char *const server92[10] = {
	S_KEX, S_HOSTKEY, CIPHERS, CIPHERS, MACS, MACS, S_COMP, S_COMP, "", ""
};

#define C_BANNER	"SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3"
#define S_BANNER	"SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u2"

/* ---- byte builders ---- */

struct tbuf {
	uint8_t		b[12288];
	size_t		n;
};

static void
tb_put(struct tbuf *t, const void *p, size_t n)
{
	assert_true(n <= sizeof(t->b) - t->n);
	memcpy(t->b + t->n, p, n);
	t->n += n;
}

static void
tb_u8(struct tbuf *t, uint8_t v)
{
	tb_put(t, &v, 1);
}

static void
tb_be32(struct tbuf *t, uint32_t v)
{
	uint8_t b[4] = { v >> 24, v >> 16, v >> 8, v };

	tb_put(t, b, 4);
}

/* An SSH string: uint32 length + bytes. */
static void
tb_str(struct tbuf *t, const char *s)
{
	tb_be32(t, (uint32_t)strlen(s));
	tb_put(t, s, strlen(s));
}

/* n filler bytes (0x5a), standing in for keys and signatures. */
static void
tb_fill(struct tbuf *t, size_t n, uint8_t v)
{
	while (n-- > 0)
		tb_u8(t, v);
}

/*
 * One binary packet around payload: packet_length, padding_length, payload,
 * zero padding to a multiple of 8 with at least 4 bytes (RFC 4253 6).
 */
static void
tb_packet(struct tbuf *t, const uint8_t *payload, size_t n)
{
	size_t pad = 8 - (5 + n) % 8;

	if (pad < 4)
		pad += 8;
	tb_be32(t, (uint32_t)(1 + n + pad));
	tb_u8(t, (uint8_t)pad);
	tb_put(t, payload, n);
	tb_fill(t, pad, 0);
}

/* A packet with message code and body_len filler bytes as body. */
static void
tb_msg(struct tbuf *t, uint8_t code, size_t body_len)
{
	struct tbuf p = { .n = 0 };

	tb_u8(&p, code);
	tb_fill(&p, body_len, 0x5a);
	tb_packet(t, p.b, p.n);
}

/* KEXINIT: 20, cookie (16 x 0x11), ten name-lists, false, reserved 0. */
static void
tb_kexinit(struct tbuf *t, const char *const lists[10])
{
	struct tbuf p = { .n = 0 };
	int i;

	tb_u8(&p, 20);
	tb_fill(&p, 16, 0x11);
	for (i = 0; i < 10; i++)
		tb_str(&p, lists[i]);
	tb_u8(&p, 0);
	tb_be32(&p, 0);
	tb_packet(t, p.b, p.n);
}

/* ---- scripts: messages in capture order ---- */

struct script {
	struct {
		int	dir;
		size_t	off, len;
	}		m[24];
	int		n;
	uint8_t		data[32768];
	size_t		used;
};

static void
sc_add(struct script *s, int dir, const void *p, size_t n)
{
	assert_true(s->n < 24);
	assert_true(n <= sizeof(s->data) - s->used);
	memcpy(s->data + s->used, p, n);
	s->m[s->n].dir = dir;
	s->m[s->n].off = s->used;
	s->m[s->n].len = n;
	s->used += n;
	s->n++;
}

static void
sc_tb(struct script *s, int dir, const struct tbuf *t)
{
	sc_add(s, dir, t->b, t->n);
}

static void
sc_line(struct script *s, int dir, const char *line)
{
	sc_add(s, dir, line, strlen(line));
}

/* One KEX message packet as its own script entry. */
static void
sc_msg(struct script *s, int dir, uint8_t code, size_t body_len)
{
	struct tbuf t = { .n = 0 };

	tb_msg(&t, code, body_len);
	sc_tb(s, dir, &t);
}

static void
sc_kexinit(struct script *s, int dir, const char *const lists[10])
{
	struct tbuf t = { .n = 0 };

	tb_kexinit(&t, lists);
	sc_tb(s, dir, &t);
}

/*
 * A curve25519 handshake: banners, both KEXINITs, ECDH_INIT (30, a 32 byte
 * key), ECDH_REPLY (31, host key + key + signature: 170 bytes), NEWKEYS
 * both ways.  The SSH client is direction cdir.
 */
static void
build_ecdh(struct script *s, int cdir, const char *const cl[10],
    const char *const sl[10])
{
	int sdir = !cdir;

	memset(s, 0, sizeof(*s));
	sc_line(s, cdir, C_BANNER "\r\n");
	sc_line(s, sdir, S_BANNER "\r\n");
	sc_kexinit(s, cdir, cl);
	sc_kexinit(s, sdir, sl);
	sc_msg(s, cdir, 30, 36);
	sc_msg(s, sdir, 31, 170);
	sc_msg(s, sdir, 21, 0);
	sc_msg(s, cdir, 21, 0);
}

static struct stash test_stash;

enum feed_mode { FEED_WHOLE, FEED_BYTES, FEED_SPLIT };

/*
 * Feeds a script: each message whole, byte by byte, or message split_m
 * split at byte split_k.  Returns the last status.
 */
static enum ssh_status
feed_script(const struct script *s, struct ssh_info *si, enum feed_mode mode,
    int split_m, size_t split_k)
{
	enum ssh_status rv = SSH_MORE;
	const uint8_t *p;
	size_t len, i;
	int m;

	ssh_info_init(si);
	memset(&test_stash, 0, sizeof(test_stash));
	for (m = 0; m < s->n; m++) {
		p = s->data + s->m[m].off;
		len = s->m[m].len;
		if (mode == FEED_BYTES) {
			for (i = 0; i < len; i++)
				rv = ssh_feed(si, &test_stash, s->m[m].dir,
				    p + i, 1, 1000 + m);
		} else if (mode == FEED_SPLIT && m == split_m) {
			rv = ssh_feed(si, &test_stash, s->m[m].dir, p,
			    split_k, 1000 + m);
			rv = ssh_feed(si, &test_stash, s->m[m].dir,
			    p + split_k, len - split_k, 1000 + m);
		} else
			rv = ssh_feed(si, &test_stash, s->m[m].dir, p, len,
			    1000 + m);
	}
	return rv;
}

/* The public result of two parses is the same. */
static void
assert_same_info(const struct ssh_info *a, const struct ssh_info *b)
{
	assert_memory_equal(a->side, b->side, sizeof(a->side));
	assert_int_equal(a->client_dir, b->client_dir);
	assert_string_equal(ssh_algo(a, SSH_A_KEX), ssh_algo(b, SSH_A_KEX));
	assert_string_equal(ssh_algo(a, SSH_A_HOSTKEY), ssh_algo(b, SSH_A_HOSTKEY));
	assert_string_equal(ssh_algo(a, SSH_A_CIPHER_C2S), ssh_algo(b, SSH_A_CIPHER_C2S));
	assert_string_equal(ssh_algo(a, SSH_A_CIPHER_S2C), ssh_algo(b, SSH_A_CIPHER_S2C));
	assert_string_equal(ssh_algo(a, SSH_A_MAC_C2S), ssh_algo(b, SSH_A_MAC_C2S));
	assert_string_equal(ssh_algo(a, SSH_A_MAC_S2C), ssh_algo(b, SSH_A_MAC_S2C));
	assert_int_equal(a->strict_kex, b->strict_kex);
	assert_int_equal(a->negotiated, b->negotiated);
}

/* Feeds a banner line and then bytes on direction 0; returns the status. */
static enum ssh_status
feed_after_banner(struct ssh_info *si, const uint8_t *p, size_t n)
{
	static const char banner[] = C_BANNER "\r\n";

	ssh_info_init(si);
	memset(&test_stash, 0, sizeof(test_stash));
	assert_int_equal(ssh_feed(si, &test_stash, 0, (const uint8_t *)banner,
	    strlen(banner), 1), SSH_MORE);
	return ssh_feed(si, &test_stash, 0, p, n, 2);
}

/* ---- tests ---- */

static void
test_looks_like(void **state)
{
	(void)state;
	assert_true(ssh_looks_like((const uint8_t *)"SSH-2.0-x\r\n", 11));
	assert_true(ssh_looks_like((const uint8_t *)"SS", 2));
	assert_false(ssh_looks_like((const uint8_t *)"HTTP/1.1", 8));
	assert_false(ssh_looks_like((const uint8_t *)"SSX", 3));
	assert_false(ssh_looks_like((const uint8_t *)"", 0));
	assert_false(ssh_looks_like(NULL, 0));
}

/* OpenSSH 9.2 client to 9.2 server, normal roles, fed message by message. */
static void
test_normal_exchange(void **state)
{
	static struct script s;
	struct ssh_info si;
	const struct ssh_side *c = &si.side[0], *sv = &si.side[1];
	struct tbuf k = { .n = 0 };
	uint32_t off;

	(void)state;
	build_ecdh(&s, 0, client92, server92);
	assert_int_equal(feed_script(&s, &si, FEED_WHOLE, -1, 0), SSH_DONE);
	assert_string_equal(c->banner, C_BANNER);
	assert_string_equal(sv->banner, S_BANNER);
	assert_true(c->banner_seen && sv->banner_seen);
	assert_true(c->kexinit_seen && sv->kexinit_seen);
	assert_true(c->newkeys_seen && sv->newkeys_seen);
	assert_int_equal(si.client_dir, 0);
	assert_string_equal(ssh_role_name(&si, 0), "client");
	assert_string_equal(ssh_role_name(&si, 1), "server");
	/* client: 30 then 21; server: 31 then 21 */
	assert_int_equal(c->n_kex_msgs, 2);
	assert_int_equal(c->kex_msgs[0], 30);
	assert_int_equal(c->kex_msgs[1], 21);
	assert_int_equal(sv->n_kex_msgs, 2);
	assert_int_equal(sv->kex_msgs[0], 31);
	assert_int_equal(sv->kex_msgs[1], 21);
	assert_int_equal(c->pkts_clear, 3);
	assert_int_equal(sv->pkts_clear, 3);
	/* KEXINIT packet_length: the built packet minus its length field */
	tb_kexinit(&k, client92);
	assert_int_equal(c->kexinit_len, k.n - 4);
	/* encryption starts after banner + KEXINIT + 30 + 21 */
	off = (uint32_t)(s.m[0].len + s.m[2].len + s.m[4].len + s.m[7].len);
	assert_int_equal(c->newkeys_offset, off);
	off = (uint32_t)(s.m[1].len + s.m[3].len + s.m[5].len + s.m[6].len);
	assert_int_equal(sv->newkeys_offset, off);
	assert_int_equal(c->newkeys_ts_us, 1007);
	assert_int_equal(sv->newkeys_ts_us, 1006);
	/* RFC 4253 7.1: first client algorithm the server knows */
	assert_true(si.negotiated);
	assert_string_equal(ssh_algo(&si, SSH_A_KEX), "sntrup761x25519-sha512@openssh.com");
	assert_string_equal(ssh_algo(&si, SSH_A_HOSTKEY), "ssh-ed25519");
	assert_string_equal(ssh_algo(&si, SSH_A_CIPHER_C2S), "chacha20-poly1305@openssh.com");
	assert_string_equal(ssh_algo(&si, SSH_A_CIPHER_S2C), "chacha20-poly1305@openssh.com");
	assert_string_equal(ssh_algo(&si, SSH_A_MAC_C2S), "");	/* AEAD: implicit MAC */
	assert_string_equal(ssh_algo(&si, SSH_A_MAC_S2C), "");
	assert_true(si.strict_kex);
	/* done is sticky; ciphertext afterwards is ignored */
	assert_int_equal(ssh_feed(&si, &test_stash, 0,
	    (const uint8_t *)"\xff\xff\xff\xff", 4, 9), SSH_DONE);
}

/* The same handshake byte by byte and split at every offset of each message. */
static void
test_segmentation_invariant(void **state)
{
	static struct script s;
	struct ssh_info ref, si;
	size_t k;
	int m;

	(void)state;
	build_ecdh(&s, 0, client92, server92);
	assert_int_equal(feed_script(&s, &ref, FEED_WHOLE, -1, 0), SSH_DONE);
	assert_int_equal(feed_script(&s, &si, FEED_BYTES, -1, 0), SSH_DONE);
	assert_same_info(&ref, &si);
	for (m = 0; m < s.n; m++) {
		for (k = 0; k <= s.m[m].len; k++) {
			assert_int_equal(feed_script(&s, &si, FEED_SPLIT, m, k),
			    SSH_DONE);
			assert_same_info(&ref, &si);
		}
	}
}

/*
 * Each direction's whole stream in two pieces, dir 0 split at every
 * offset, with dir 1 fed in between: negotiation must not depend on
 * which side's KEXINIT arrives first.
 */
static void
test_stream_split_invariant(void **state)
{
	static struct script s;
	static uint8_t d0[8192], d1[8192];
	struct ssh_info ref, si;
	size_t n0 = 0, n1 = 0, k;
	int m;

	(void)state;
	build_ecdh(&s, 0, client92, server92);
	for (m = 0; m < s.n; m++) {
		if (s.m[m].dir == 0) {
			memcpy(d0 + n0, s.data + s.m[m].off, s.m[m].len);
			n0 += s.m[m].len;
		} else {
			memcpy(d1 + n1, s.data + s.m[m].off, s.m[m].len);
			n1 += s.m[m].len;
		}
	}
	ssh_info_init(&ref);
	memset(&test_stash, 0, sizeof(test_stash));
	assert_int_equal(ssh_feed(&ref, &test_stash, 0, d0, n0, 5), SSH_MORE);
	assert_int_equal(ssh_feed(&ref, &test_stash, 1, d1, n1, 5), SSH_DONE);
	for (k = 0; k <= n0; k++) {
		ssh_info_init(&si);
		memset(&test_stash, 0, sizeof(test_stash));
		ssh_feed(&si, &test_stash, 0, d0, k, 5);
		ssh_feed(&si, &test_stash, 1, d1, n1, 5);
		assert_int_equal(ssh_feed(&si, &test_stash, 0, d0 + k, n0 - k,
		    5), SSH_DONE);
		assert_same_info(&ref, &si);
		assert_int_equal(test_stash.len[0], 0);
		assert_int_equal(test_stash.len[1], 0);
	}
}

/*
 * Client prefers aes256-ctr / hmac-sha2-512 (c2s) and aes128-ctr /
 * hmac-sha2-256-etm (s2c); the server lists them in the other order.
 * The client's order wins in both directions.
 */
static void
test_negotiation_client_preference(void **state)
{
	static const char *const cl[10] = {
		"curve25519-sha256,ext-info-c", "ssh-ed25519,rsa-sha2-512",
		"aes256-ctr,aes128-ctr", "aes128-ctr,aes256-ctr",
		"hmac-sha2-512,hmac-sha2-256-etm@openssh.com",
		"hmac-sha2-256-etm@openssh.com,hmac-sha2-512",
		"none", "none", "", ""
	};
	static const char *const sl[10] = {
		"ecdh-sha2-nistp256,curve25519-sha256",
		"rsa-sha2-512,ssh-ed25519",
		"aes128-ctr,aes256-ctr", "aes256-ctr,aes128-ctr",
		"hmac-sha2-256-etm@openssh.com,hmac-sha2-512",
		"hmac-sha2-512,hmac-sha2-256-etm@openssh.com",
		"none", "none", "", ""
	};
	static struct script s;
	struct ssh_info si;
	struct ssh_sizing z;

	(void)state;
	build_ecdh(&s, 0, cl, sl);
	assert_int_equal(feed_script(&s, &si, FEED_WHOLE, -1, 0), SSH_DONE);
	assert_string_equal(ssh_algo(&si, SSH_A_KEX), "curve25519-sha256");
	assert_string_equal(ssh_algo(&si, SSH_A_HOSTKEY), "ssh-ed25519");
	assert_string_equal(ssh_algo(&si, SSH_A_CIPHER_C2S), "aes256-ctr");
	assert_string_equal(ssh_algo(&si, SSH_A_CIPHER_S2C), "aes128-ctr");
	assert_string_equal(ssh_algo(&si, SSH_A_MAC_C2S), "hmac-sha2-512");
	assert_string_equal(ssh_algo(&si, SSH_A_MAC_S2C), "hmac-sha2-256-etm@openssh.com");
	assert_false(si.strict_kex);
	assert_true(ssh_sizing_for(ssh_algo(&si, SSH_A_CIPHER_C2S), ssh_algo(&si, SSH_A_MAC_C2S), &z));
	assert_int_equal(z.block, 16);
	assert_int_equal(z.mac_len, 64);
	assert_false(z.etm);
	assert_true(z.length_encrypted);
	assert_true(ssh_sizing_for(ssh_algo(&si, SSH_A_CIPHER_S2C), ssh_algo(&si, SSH_A_MAC_S2C), &z));
	assert_int_equal(z.mac_len, 32);
	assert_true(z.etm);
	assert_false(z.length_encrypted);
}

/* AES-GCM chosen: the MAC is implicit, so mac_* stay empty. */
static void
test_negotiation_gcm(void **state)
{
	static const char *const cl[10] = {
		"curve25519-sha256", "ssh-ed25519",
		"aes256-gcm@openssh.com,aes128-ctr",
		"aes256-gcm@openssh.com,aes128-ctr",
		"hmac-sha2-256", "hmac-sha2-256", "none", "none", "", ""
	};
	static struct script s;
	struct ssh_info si;

	(void)state;
	build_ecdh(&s, 0, cl, server92);
	assert_int_equal(feed_script(&s, &si, FEED_WHOLE, -1, 0), SSH_DONE);
	assert_string_equal(ssh_algo(&si, SSH_A_CIPHER_C2S), "aes256-gcm@openssh.com");
	assert_string_equal(ssh_algo(&si, SSH_A_MAC_C2S), "");
	assert_string_equal(ssh_algo(&si, SSH_A_MAC_S2C), "");
	assert_false(si.strict_kex);	/* client did not offer it */
}

/*
 * Role inversion: the TCP initiator (dir 0) runs the SSH server (sends
 * its KEXINIT and 31), the responder is the client.  The negotiation
 * must use dir 1's lists as the client's: dir 0 prefers aes128-ctr,
 * dir 1 prefers aes256-ctr, so the answer is aes256-ctr.
 */
static void
test_role_inversion(void **state)
{
	static const char *const cl[10] = {
		"curve25519-sha256", "ssh-ed25519,rsa-sha2-512",
		"aes256-ctr,aes128-ctr", "aes256-ctr,aes128-ctr",
		"hmac-sha2-256,hmac-sha1", "hmac-sha2-256,hmac-sha1",
		"none", "none", "", ""
	};
	static const char *const sl[10] = {
		"curve25519-sha256", "rsa-sha2-512,ssh-ed25519",
		"aes128-ctr,aes256-ctr", "aes128-ctr,aes256-ctr",
		"hmac-sha1,hmac-sha2-256", "hmac-sha1,hmac-sha2-256",
		"none", "none", "", ""
	};
	static struct script s;
	struct ssh_info si;
	int m;

	(void)state;
	build_ecdh(&s, 1, cl, sl);
	assert_int_equal(feed_script(&s, &si, FEED_WHOLE, -1, 0), SSH_DONE);
	assert_int_equal(si.client_dir, 1);
	assert_string_equal(ssh_role_name(&si, 0), "server");
	assert_string_equal(ssh_role_name(&si, 1), "client");
	assert_int_equal(si.side[0].kex_msgs[0], 31);
	assert_int_equal(si.side[1].kex_msgs[0], 30);
	assert_string_equal(si.side[0].banner, S_BANNER);
	assert_string_equal(ssh_algo(&si, SSH_A_HOSTKEY), "ssh-ed25519");
	assert_string_equal(ssh_algo(&si, SSH_A_CIPHER_C2S), "aes256-ctr");
	assert_string_equal(ssh_algo(&si, SSH_A_MAC_C2S), "hmac-sha2-256");
	assert_int_equal(feed_script(&s, &si, FEED_BYTES, -1, 0), SSH_DONE);
	assert_int_equal(si.client_dir, 1);
	assert_string_equal(ssh_algo(&si, SSH_A_CIPHER_S2C), "aes256-ctr");
	/* capture order skewed: dir 0's whole stream first; its 31 decides */
	ssh_info_init(&si);
	memset(&test_stash, 0, sizeof(test_stash));
	assert_int_equal(ssh_feed(&si, &test_stash, 1, s.data + s.m[0].off,
	    s.m[0].len, 1), SSH_MORE);
	for (m = 0; m < s.n; m++)
		if (s.m[m].dir == 0)
			assert_int_equal(ssh_feed(&si, &test_stash, 0,
			    s.data + s.m[m].off, s.m[m].len, 1), SSH_MORE);
	assert_int_equal(si.client_dir, 1);
	assert_false(si.negotiated);	/* dir 1's KEXINIT not seen yet */
	for (m = 1; m < s.n; m++)
		if (s.m[m].dir == 1)
			(void)ssh_feed(&si, &test_stash, 1,
			    s.data + s.m[m].off, s.m[m].len, 1);
	assert_int_equal(ssh_feed(&si, &test_stash, 1, NULL, 0, 1), SSH_DONE);
	assert_string_equal(ssh_algo(&si, SSH_A_CIPHER_C2S), "aes256-ctr");
	assert_string_equal(ssh_algo(&si, SSH_A_HOSTKEY), "ssh-ed25519");
}

/*
 * Group exchange: client 34 (request), server 31 (group, 270 bytes),
 * client 32 (init), server 33 (reply), NEWKEYS both ways.
 */
static void
test_gex(void **state)
{
	static struct script s;
	struct ssh_info si;

	(void)state;
	memset(&s, 0, sizeof(s));
	sc_line(&s, 0, C_BANNER "\r\n");
	sc_line(&s, 1, S_BANNER "\r\n");
	sc_kexinit(&s, 0, client92);
	sc_kexinit(&s, 1, server92);
	sc_msg(&s, 0, 34, 12);
	sc_msg(&s, 1, 31, 270);
	sc_msg(&s, 0, 32, 260);
	sc_msg(&s, 1, 33, 800);
	sc_msg(&s, 1, 21, 0);
	sc_msg(&s, 0, 21, 0);
	assert_int_equal(feed_script(&s, &si, FEED_WHOLE, -1, 0), SSH_DONE);
	assert_int_equal(si.client_dir, 0);
	assert_int_equal(si.side[0].n_kex_msgs, 3);
	assert_memory_equal(si.side[0].kex_msgs, "\x22\x20\x15", 3);
	assert_int_equal(si.side[1].n_kex_msgs, 3);
	assert_memory_equal(si.side[1].kex_msgs, "\x1f\x21\x15", 3);
	assert_int_equal(feed_script(&s, &si, FEED_BYTES, -1, 0), SSH_DONE);
	assert_int_equal(si.client_dir, 0);
}

/* The server sends two greeting lines before "SSH-2.0-..." (RFC 4253 4.2). */
static void
test_prebanner_lines(void **state)
{
	static struct script s, t;
	struct ssh_info ref, si;
	int i;

	(void)state;
	build_ecdh(&s, 0, client92, server92);
	assert_int_equal(feed_script(&s, &ref, FEED_WHOLE, -1, 0), SSH_DONE);
	/* same script with "Welcome\r\n" "authorised use only\n" first */
	memset(&t, 0, sizeof(t));
	sc_line(&t, 1, "Welcome\r\nauthorised use only\n");
	for (i = 0; i < s.n; i++)
		sc_add(&t, s.m[i].dir, s.data + s.m[i].off, s.m[i].len);
	assert_int_equal(feed_script(&t, &si, FEED_WHOLE, -1, 0), SSH_DONE);
	assert_string_equal(si.side[1].banner, S_BANNER);
	assert_int_equal(si.side[1].newkeys_offset,
	    ref.side[1].newkeys_offset + 29);
	assert_int_equal(feed_script(&t, &si, FEED_BYTES, -1, 0), SSH_DONE);
	/* nine lines before the banner: too many */
	ssh_info_init(&si);
	memset(&test_stash, 0, sizeof(test_stash));
	for (i = 0; i < SSH_PRE_LINES_MAX; i++)
		assert_int_equal(ssh_feed(&si, &test_stash, 1,
		    (const uint8_t *)"hello\r\n", 7, 1), SSH_MORE);
	assert_int_equal(ssh_feed(&si, &test_stash, 1,
	    (const uint8_t *)"hello\r\n", 7, 1), SSH_NOT_SSH);
	/* a binary "line" before the banner is not a greeting */
	ssh_info_init(&si);
	memset(&test_stash, 0, sizeof(test_stash));
	assert_int_equal(ssh_feed(&si, &test_stash, 1,
	    (const uint8_t *)"\x00\x01\x02\n", 4, 1), SSH_NOT_SSH);
}

static enum ssh_status
feed_one(int dir, const char *text)
{
	struct ssh_info si;

	ssh_info_init(&si);
	memset(&test_stash, 0, sizeof(test_stash));
	return ssh_feed(&si, &test_stash, dir, (const uint8_t *)text,
	    strlen(text), 1);
}

static void
test_not_ssh(void **state)
{
	static char longline[400];
	struct ssh_info si;

	(void)state;
	assert_int_equal(feed_one(0, "HTTP/1.1 200 OK\r\n"), SSH_NOT_SSH);
	assert_int_equal(feed_one(0, "GET / HTTP/1.1\r\n"), SSH_NOT_SSH);
	assert_int_equal(feed_one(0, "SX"), SSH_NOT_SSH);	/* early */
	assert_int_equal(feed_one(1, "HTTP/1.1 400 Bad Request\r\n"),
	    SSH_NOT_SSH);
	assert_int_equal(feed_one(0, "SSH-1.5-OpenSSH_2.0\r\n"), SSH_NOT_SSH);
	assert_int_equal(feed_one(1, "SSH-1.5-OpenSSH_2.0\r\n"), SSH_NOT_SSH);
	assert_int_equal(feed_one(0, "SSH-1.99-OpenSSH_3.9\r\n"), SSH_MORE);
	assert_int_equal(feed_one(0, "SSH-2.0-x\n"), SSH_MORE);	/* LF only */
	assert_int_equal(feed_one(0, "SS"), SSH_MORE);
	/* a 300 byte "banner" without LF */
	memset(longline, 'a', sizeof(longline) - 1);
	memcpy(longline, "SSH-2.0-", 8);
	assert_int_equal(feed_one(0, longline), SSH_NOT_SSH);
	/* sticky */
	ssh_info_init(&si);
	memset(&test_stash, 0, sizeof(test_stash));
	assert_int_equal(ssh_feed(&si, &test_stash, 0,
	    (const uint8_t *)"HTTP", 4, 1), SSH_NOT_SSH);
	assert_int_equal(ssh_feed(&si, &test_stash, 1,
	    (const uint8_t *)"SSH-2.0-x\r\n", 11, 1), SSH_NOT_SSH);
}

/* Lying lengths after a good banner: SSH_ERROR, never a crash. */
static void
test_lying_lengths(void **state)
{
	/* packet_length 3 (< 5) */
	static const uint8_t short_len[] = { 0, 0, 0, 3, 1, 20, 0 };
	/* packet_length 40000 (> 35000) */
	static const uint8_t huge_len[] = { 0, 0, 0x9c, 0x40, 4, 20 };
	/* packet_length 12, padding_length 12 */
	static const uint8_t bad_pad[] = { 0, 0, 0, 12, 12, 20,
	    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 };
	/* packet_length 12, padding_length 11: no payload at all */
	static const uint8_t no_payload[] = { 0, 0, 0, 12, 11, 20,
	    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 };
	struct tbuf t = { .n = 0 }, p = { .n = 0 };
	struct ssh_info si;

	(void)state;
	assert_int_equal(feed_after_banner(&si, short_len, sizeof(short_len)),
	    SSH_ERROR);
	assert_int_equal(feed_after_banner(&si, huge_len, sizeof(huge_len)),
	    SSH_ERROR);
	assert_int_equal(feed_after_banner(&si, bad_pad, sizeof(bad_pad)),
	    SSH_ERROR);
	assert_int_equal(feed_after_banner(&si, no_payload,
	    sizeof(no_payload)), SSH_ERROR);
	/* sticky */
	assert_int_equal(ssh_feed(&si, &test_stash, 1,
	    (const uint8_t *)"SSH-2.0-x\r\n", 11, 1), SSH_ERROR);

	/* KEXINIT whose first name-list claims 0xfffffff0 bytes */
	tb_u8(&p, 20);
	tb_fill(&p, 16, 0x11);
	tb_be32(&p, 0xfffffff0);
	tb_put(&p, "curve25519-sha256", 17);
	tb_packet(&t, p.b, p.n);
	assert_int_equal(feed_after_banner(&si, t.b, t.n), SSH_ERROR);

	/* KEXINIT whose 5th list runs 1 byte past the packet */
	p.n = t.n = 0;
	tb_u8(&p, 20);
	tb_fill(&p, 16, 0x11);
	tb_str(&p, "a");
	tb_str(&p, "b");
	tb_str(&p, "c");
	tb_str(&p, "d");
	tb_be32(&p, 2);
	tb_u8(&p, 'e');
	tb_packet(&t, p.b, p.n);
	/* padding bytes follow the payload: the list must not read them */
	assert_int_equal(feed_after_banner(&si, t.b, t.n), SSH_ERROR);

	/* KEXINIT with ten empty lists and the boolean, no reserved word */
	p.n = t.n = 0;
	tb_u8(&p, 20);
	tb_fill(&p, 16, 0x11);
	tb_fill(&p, 41, 0);
	tb_packet(&t, p.b, p.n);
	assert_int_equal(feed_after_banner(&si, t.b, t.n), SSH_ERROR);

	/* KEXINIT cut after the cookie */
	p.n = t.n = 0;
	tb_u8(&p, 20);
	tb_fill(&p, 16, 0x11);
	tb_packet(&t, p.b, p.n);
	assert_int_equal(feed_after_banner(&si, t.b, t.n), SSH_ERROR);

	/* a truncated packet is just incomplete */
	t.n = 0;
	tb_kexinit(&t, client92);
	assert_int_equal(feed_after_banner(&si, t.b, t.n - 1), SSH_MORE);
	assert_false(si.side[0].kexinit_seen);
	assert_int_equal(ssh_feed(&si, &test_stash, 0, t.b + t.n - 1, 1, 3),
	    SSH_MORE);
	assert_true(si.side[0].kexinit_seen);
}

/* A KEXINIT of about 5 KB (a 5000 byte kex list) cannot fit the stash. */
static void
test_kexinit_too_big(void **state)
{
	static char biglist[5001];
	const char *lists[10];
	static struct tbuf t;
	struct ssh_info si;
	enum ssh_status rv = SSH_MORE;
	size_t i;
	int j;

	(void)state;
	memset(biglist, 'k', sizeof(biglist) - 1);
	for (j = 0; j < 10; j++)
		lists[j] = server92[j];
	lists[0] = biglist;
	t.n = 0;
	tb_kexinit(&t, lists);
	assert_int_equal(feed_after_banner(&si, t.b, t.n), SSH_ERROR);
	(void)feed_after_banner(&si, NULL, 0);
	for (i = 0; i < t.n && rv == SSH_MORE; i++)
		rv = ssh_feed(&si, &test_stash, 0, t.b + i, 1, 3);
	assert_int_equal(rv, SSH_ERROR);
	assert_true(i <= 6);	/* known from the length field */
}

/*
 * One 6 KB segment: banner, ten SSH_MSG_IGNORE (2) packets of ~500
 * bytes, then the KEXINIT: more than a stash, but no unit is too big.
 */
static void
test_large_segment(void **state)
{
	static struct tbuf t;
	struct ssh_info si;
	int i;

	(void)state;
	t.n = 0;
	tb_put(&t, C_BANNER "\r\n", strlen(C_BANNER) + 2);
	for (i = 0; i < 10; i++)
		tb_msg(&t, 2, 500);
	tb_kexinit(&t, client92);
	assert_true(t.n > STASH_DIR_BYTES);
	ssh_info_init(&si);
	memset(&test_stash, 0, sizeof(test_stash));
	assert_int_equal(ssh_feed(&si, &test_stash, 0, t.b, t.n, 1), SSH_MORE);
	assert_string_equal(si.side[0].banner, C_BANNER);
	assert_true(si.side[0].kexinit_seen);
	assert_int_equal(si.side[0].pkts_clear, 11);
	assert_int_equal(si.side[0].n_kex_msgs, 0);
	/* 53 more IGNOREs reach SSH_CLEAR_PKTS_MAX; one more is too many */
	t.n = 0;
	for (i = 0; i < SSH_CLEAR_PKTS_MAX - 11; i++)
		tb_msg(&t, 2, 8);
	assert_int_equal(ssh_feed(&si, &test_stash, 0, t.b, t.n, 1), SSH_MORE);
	t.n = 0;
	tb_msg(&t, 2, 8);
	assert_int_equal(ssh_feed(&si, &test_stash, 0, t.b, t.n, 1), SSH_ERROR);
}

/*
 * HASSH of the OpenSSH 9.2 lists above, expected values computed with
 * python3: hashlib.md5(";".join([kex, enc, mac, comp]).encode()):
 *   client: C_KEX;CIPHERS;MACS;C_COMP -> aae6b9604f6f3356543709a376d7f657
 *   server: S_KEX;CIPHERS;MACS;S_COMP -> a65c3b91f743d3f246e72172e77288f1
 */
static void
test_hassh(void **state)
{
	static struct script s;
	struct ssh_info si;
	char hex[33];

	(void)state;
	build_ecdh(&s, 0, client92, server92);
	assert_int_equal(feed_script(&s, &si, FEED_WHOLE, -1, 0), SSH_DONE);
	ssh_hassh_hex(&si.side[0], true, hex);
	assert_string_equal(hex, "aae6b9604f6f3356543709a376d7f657");
	ssh_hassh_hex(&si.side[1], false, hex);
	assert_string_equal(hex, "a65c3b91f743d3f246e72172e77288f1");
	/* c2s and s2c lists are the same here, so both hashes agree */
	ssh_hassh_hex(&si.side[0], false, hex);
	assert_string_equal(hex, "aae6b9604f6f3356543709a376d7f657");
}

/* NEWKEYS then ciphertext in the same segment; the other side still in KEX. */
static void
test_ciphertext_ignored(void **state)
{
	static struct script s;
	static struct tbuf t;
	struct ssh_info si;
	int m;

	(void)state;
	build_ecdh(&s, 0, client92, server92);
	ssh_info_init(&si);
	memset(&test_stash, 0, sizeof(test_stash));
	/* everything up to and including the server's NEWKEYS (msgs 0..6) */
	for (m = 0; m < 7; m++)
		assert_int_equal(ssh_feed(&si, &test_stash, s.m[m].dir,
		    s.data + s.m[m].off, s.m[m].len, 1), SSH_MORE);
	/* server ciphertext: would be a lying packet_length if parsed */
	assert_int_equal(ssh_feed(&si, &test_stash, 1,
	    (const uint8_t *)"\xde\xad\xbe\xef\xff", 5, 2), SSH_MORE);
	assert_int_equal(test_stash.len[1], 0);
	/* client NEWKEYS followed by 64 bytes of ciphertext */
	t.n = 0;
	tb_put(&t, s.data + s.m[7].off, s.m[7].len);
	tb_fill(&t, 64, 0xee);
	assert_int_equal(ssh_feed(&si, &test_stash, 0, t.b, t.n, 3), SSH_DONE);
	assert_int_equal(si.side[0].newkeys_offset,
	    s.m[0].len + s.m[2].len + s.m[4].len + s.m[7].len);
}

static void
test_sizing(void **state)
{
	struct ssh_sizing z;

	(void)state;
	assert_true(ssh_sizing_for("chacha20-poly1305@openssh.com", "", &z));
	assert_int_equal(z.block, 8);
	assert_int_equal(z.mac_len, 16);
	assert_true(z.aead && z.length_encrypted && !z.etm);
	assert_true(ssh_sizing_for("aes128-gcm@openssh.com", NULL, &z));
	assert_int_equal(z.block, 16);
	assert_int_equal(z.mac_len, 16);
	assert_true(z.aead && !z.length_encrypted);
	assert_true(ssh_sizing_for("aes128-ctr", "umac-64-etm@openssh.com",
	    &z));
	assert_int_equal(z.mac_len, 8);
	assert_true(z.etm && !z.aead && !z.length_encrypted);
	assert_true(ssh_sizing_for("aes256-cbc", "hmac-sha1", &z));
	assert_int_equal(z.mac_len, 20);
	assert_true(z.length_encrypted);
	assert_false(ssh_sizing_for("aes128-ctr", "", &z));
	assert_false(ssh_sizing_for("aes128-ctr", "hmac-foo", &z));
	assert_false(ssh_sizing_for("rot13", "hmac-sha1", &z));
	assert_int_equal(z.block, 0);
	assert_false(ssh_sizing_for(NULL, NULL, &z));
}

static void
test_bad_args(void **state)
{
	struct ssh_info si;

	(void)state;
	ssh_info_init(&si);
	memset(&test_stash, 0, sizeof(test_stash));
	assert_int_equal(si.client_dir, -1);
	assert_string_equal(ssh_role_name(&si, 0), "unknown");
	assert_string_equal(ssh_role_name(NULL, 0), "unknown");
	assert_int_equal(ssh_feed(&si, &test_stash, 2,
	    (const uint8_t *)"SSH-", 4, 1), SSH_ERROR);
	assert_int_equal(ssh_feed(&si, NULL, 0,
	    (const uint8_t *)"SSH-", 4, 1), SSH_ERROR);
	assert_int_equal(ssh_feed(&si, &test_stash, 0, NULL, 5, 1), SSH_ERROR);
	assert_int_equal(ssh_feed(&si, &test_stash, 0, NULL, 0, 1), SSH_MORE);
}

/*
 * Garbage after valid banners and KEXINITs: random bytes in random chunk
 * sizes (xorshift, fixed seed), and random mutations of a valid handshake.
 * Only the absence of crashes and sanitizer reports is checked.
 */
static void
test_random_input(void **state)
{
	static struct script s;
	static uint8_t buf[3000];
	struct ssh_info si;
	uint32_t x = 2463534242u;
	size_t i, off, k;
	int run, m, dir, n[4] = { 0 };

	(void)state;
	build_ecdh(&s, 0, client92, server92);
	for (run = 0; run < 3000; run++) {
		ssh_info_init(&si);
		memset(&test_stash, 0, sizeof(test_stash));
		/* a prefix of the handshake, then garbage */
		for (m = 0; m < run % (s.n + 1); m++) {
			memcpy(buf, s.data + s.m[m].off, s.m[m].len);
			x ^= x << 13, x ^= x >> 17, x ^= x << 5;
			if (run > 0 && x % 3 == 0)
				buf[x / 3 % s.m[m].len] ^= (uint8_t)(x >> 8);
			(void)ssh_feed(&si, &test_stash, s.m[m].dir, buf,
			    s.m[m].len, 1);
		}
		for (off = 0; off < (size_t)(run % 7 == 0 ? 0 : 20); off++) {
			x ^= x << 13, x ^= x >> 17, x ^= x << 5;
			k = x % 700;
			dir = (int)(x >> 20) & 1;
			for (i = 0; i < k; i++) {
				x ^= x << 13, x ^= x >> 17, x ^= x << 5;
				buf[i] = (uint8_t)x;
			}
			assert_true(ssh_feed(&si, &test_stash, dir, buf, k, 2)
			    <= SSH_ERROR);
		}
		n[ssh_feed(&si, &test_stash, 0, NULL, 0, 3)]++;
	}
	print_message("more %d done %d not-ssh %d error %d\n", n[0], n[1], n[2],
	    n[3]);
	/* every outcome was reached */
	assert_true(n[SSH_MORE] > 0 && n[SSH_DONE] > 0);
	assert_true(n[SSH_NOT_SSH] > 0 && n[SSH_ERROR] > 0);
}

/*
 * The negotiated names share one store: a name used twice is stored
 * once, a name longer than SSH_ALGO_MAX - 1 is cut to it, and when the
 * store is full a name is cut to the room left and algos_cut is set.
 */
static void
test_algo_store(void **state)
{
	struct ssh_info si;
	char longname[200];
	int a;

	(void)state;
	memset(&si, 0, sizeof(si));	/* a zeroed state reads "" */
	for (a = 0; a < SSH_ALGOS; a++)
		assert_string_equal(ssh_algo(&si, (enum ssh_algo)a), "");
	assert_string_equal(ssh_algo(&si, SSH_ALGOS), "");
	ssh_info_init(&si);
	ssh_algo_set(&si, SSH_A_CIPHER_C2S, "aes256-ctr");
	ssh_algo_set(&si, SSH_A_CIPHER_S2C, "aes256-ctr");
	assert_int_equal(si.algo_at[SSH_A_CIPHER_C2S],
	    si.algo_at[SSH_A_CIPHER_S2C]);
	assert_int_equal(si.names_used, 1 + sizeof("aes256-ctr"));
	ssh_algo_set(&si, SSH_A_MAC_C2S, "");
	assert_string_equal(ssh_algo(&si, SSH_A_MAC_C2S), "");
	memset(longname, 'k', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	ssh_algo_set(&si, SSH_A_KEX, longname);
	assert_int_equal(strlen(ssh_algo(&si, SSH_A_KEX)), SSH_ALGO_MAX - 1);
	assert_false(si.algos_cut);
	longname[0] = 'h';
	ssh_algo_set(&si, SSH_A_HOSTKEY, longname);
	longname[0] = 'm';
	ssh_algo_set(&si, SSH_A_MAC_S2C, longname);
	assert_false(si.algos_cut);	/* 1 + 11 + 3 * 48 = 156 of 160 */
	longname[0] = 'z';
	ssh_algo_set(&si, SSH_A_COMP_C2S, longname);
	assert_true(si.algos_cut);
	assert_string_equal(ssh_algo(&si, SSH_A_COMP_C2S), "zkk");
	assert_int_equal(si.names_used, SSH_NAMES_BYTES);
	ssh_algo_set(&si, SSH_A_COMP_S2C, "zlib@openssh.com");
	assert_string_equal(ssh_algo(&si, SSH_A_COMP_S2C), "");
	/* the earlier names are intact */
	assert_string_equal(ssh_algo(&si, SSH_A_CIPHER_S2C), "aes256-ctr");
	assert_int_equal(ssh_algo(&si, SSH_A_HOSTKEY)[0], 'h');
	assert_int_equal(strlen(ssh_algo(&si, SSH_A_MAC_S2C)),
	    SSH_ALGO_MAX - 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_looks_like),
		cmocka_unit_test(test_normal_exchange),
		cmocka_unit_test(test_segmentation_invariant),
		cmocka_unit_test(test_stream_split_invariant),
		cmocka_unit_test(test_negotiation_client_preference),
		cmocka_unit_test(test_negotiation_gcm),
		cmocka_unit_test(test_role_inversion),
		cmocka_unit_test(test_gex),
		cmocka_unit_test(test_prebanner_lines),
		cmocka_unit_test(test_not_ssh),
		cmocka_unit_test(test_lying_lengths),
		cmocka_unit_test(test_kexinit_too_big),
		cmocka_unit_test(test_large_segment),
		cmocka_unit_test(test_hassh),
		cmocka_unit_test(test_ciphertext_ignored),
		cmocka_unit_test(test_sizing),
		cmocka_unit_test(test_bad_args),
		cmocka_unit_test(test_algo_store),
		cmocka_unit_test(test_random_input),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
