/*
 * test_det_ssh.c - unit tests for the reverse-SSH detectors (det_ssh.h).
 *
 * Each test builds an SSH flow by hand (roles, negotiated cipher, a
 * cleartext handshake that ends in NEWKEYS, so the round trips from the
 * capture point are known) and drives det_ssh_packet() and the registry's
 * checks (det_check, this module's rows)
 * with a synthetic packet script: sizes, directions and times in ms.
 * Direction 0 is the inside TCP initiator (the SSH client), direction 1
 * the outside server, 40 ms away; the inside is 0.1 ms away, as at an
 * egress mirror port.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "flow_fix.h"
#include "cfg.h"
#include "det_ssh.h"
#include "det_ssh_setup.h"
#include "detect.h"
#include "util.h"
#include "yconf.h"

#define T0	1790000000000000ULL	/* flow start (us) */
#define B	(1u << DET_REVERSE_SSH)
#define F	(1u << DET_SSH_REMOTE_FORWARD)
#define L	(1u << DET_SSH_LONG_LIVED)

struct sess {
	struct cfg	*cfg;
	struct det_ssh	*det;
	struct flow	 f;
	struct flow_cold fc;
	union flow_app_state fu;
	uint32_t	 seen;		/* OR of the checks' results */
	double		 first_rev_ms;	/* when B was first set */
};

static struct cfg *
load_cfg(const char *yaml)
{
	return cfg_load_string(yaml, strlen(yaml), "t.yaml");
}

/* One packet: dir, time (ms from flow start), new bytes, payload. */
static uint32_t
pkt(struct sess *s, int dir, double ms, size_t n)
{
	struct det_ctx dc = { s->det, NULL, NULL, NULL };
	struct packet p;
	uint32_t m;

	memset(&p, 0, sizeof(p));
	p.ts_us = T0 + (uint64_t)(ms * 1000.0);
	p.payload_len = (uint32_t)n;
	s->f.last_us = p.ts_us;
	det_ssh_packet(s->det, s->cfg, &s->f, dir, &p, n);
	m = (uint32_t)(det_check(&dc, s->cfg, &s->f, p.ts_us) & (B | F | L));
	if ((m & B) && !(s->seen & B))
		s->first_rev_ms = ms;
	s->seen |= m;
	return m;
}

/*
 * A flow from 10.20.0.10 to 198.51.100.7:dport whose handshake ends at
 * 300 ms; cipher/mac as negotiated both ways.
 */
static void
sess_open_on(struct sess *s, struct det_ssh *d, struct cfg *c,
    const char *cipher, const char *mac, uint16_t dport)
{
	struct ip_addr src = { { 0 } }, dst = { { 0 } };
	struct ssh_info *si;

	memset(s, 0, sizeof(*s));
	s->f.c = &s->fc;
	s->fc.u = &s->fu;
	s->cfg = c;
	s->det = d;
	s->f.app = APP_SSH;
	s->f.proto = 6;
	src.b[10] = src.b[11] = 0xff;
	src.b[12] = 10; src.b[13] = 20; src.b[15] = 10;
	dst.b[10] = dst.b[11] = 0xff;
	dst.b[12] = 198; dst.b[13] = 51; dst.b[14] = 100; dst.b[15] = 7;
	flow_fix_ends(&s->f, &src, 0, &dst, dport);
	s->f.first_us = T0;
	s->f.syn_seen = true;
	s->f.c->dir[0].first_us = T0;
	s->f.c->dir[1].first_us = T0 + 40000;	/* SYN-ACK: 40 ms RTT */
	si = &s->fu.ssh.hs;
	ssh_info_init(si);
	si->client_dir = 0;
	si->negotiated = true;
	ssh_algo_set(si, SSH_A_CIPHER_C2S, cipher);
	ssh_algo_set(si, SSH_A_CIPHER_S2C, cipher);
	ssh_algo_set(si, SSH_A_MAC_C2S, mac);
	ssh_algo_set(si, SSH_A_MAC_S2C, mac);
	det_ssh_track_init(&s->fu.ssh.track);
	/* cleartext: banners, KEXINITs; the inside ACKs at once */
	pkt(s, 0, 40.2, 100);
	pkt(s, 1, 80.3, 100);
	pkt(s, 0, 80.4, 0);
	pkt(s, 0, 120.0, 100);
	pkt(s, 1, 160.1, 100);
	pkt(s, 0, 160.2, 0);
	si->side[0].newkeys_seen = si->side[1].newkeys_seen = true;
	si->side[0].newkeys_offset = 200;
	si->side[1].newkeys_offset = 200;
	si->side[0].banner_seen = si->side[1].banner_seen = true;
	strlcpy(si->side[0].banner, "SSH-2.0-OpenSSH_9.2p1",
	    sizeof(si->side[0].banner));
	strlcpy(si->side[1].banner, "SSH-2.0-OpenSSH_9.2p1",
	    sizeof(si->side[1].banner));
}

static struct det_ssh *shared_det;
static struct cfg *shared_cfg;

static void
sess_open(struct sess *s, const char *cipher, const char *mac)
{
	det_ssh_free(shared_det);
	shared_det = det_ssh_new();
	sess_open_on(s, shared_det, shared_cfg, cipher, mac, 22);
}

#define CHACHA	"chacha20-poly1305@openssh.com"

/*
 * Keystrokes typed at side `typist`, echoed by the other side after
 * echo_ms, with a delayed ACK from the typist 40 ms after the echo.
 */
static double
type_keys(struct sess *s, int typist, double t, int n, double iv,
    size_t klen, double echo_ms)
{
	int i;

	for (i = 0; i < n; i++) {
		pkt(s, typist, t, klen);
		pkt(s, !typist, t + echo_ms, klen);
		pkt(s, typist, t + echo_ms + 40, 0);
		t += iv + (i % 3) * 37;		/* not perfectly regular */
	}
	return t;
}

static void
test_sizing(void **state)
{
	struct sess s;

	(void)state;
	/* chacha: 4 + 8k + 16; one nested layer of up to 8 chars */
	sess_open(&s, CHACHA, "");
	pkt(&s, 0, 1000, 36);
	assert_int_equal(s.fu.ssh.track.small_min[0], 28);
	assert_int_equal(s.fu.ssh.track.small_max[0], 132);
	/* aes-ctr + hmac-sha2-256: 16k + 32 */
	sess_open(&s, "aes128-ctr", "hmac-sha2-256");
	pkt(&s, 0, 1000, 64);
	assert_int_equal(s.fu.ssh.track.small_min[0], 48);
	assert_int_equal(s.fu.ssh.track.small_max[0], 160);
	/* etm: length in clear, 4 + 16k + 32 */
	sess_open(&s, "aes128-ctr", "hmac-sha2-256-etm@openssh.com");
	pkt(&s, 0, 1000, 52);
	assert_int_equal(s.fu.ssh.track.small_min[0], 52);
	assert_int_equal(s.fu.ssh.track.small_max[0], 148);
	/* aes-gcm: 4 + 16k + 16 */
	sess_open(&s, "aes256-gcm@openssh.com", "");
	pkt(&s, 0, 1000, 36);
	assert_int_equal(s.fu.ssh.track.small_min[0], 36);
	assert_int_equal(s.fu.ssh.track.small_max[0], 132);
}

/* The outside server side types (through -R), the inside echoes fast. */
static void
test_server_typing(void **state)
{
	struct sess s;
	const struct ssh_track *t = &s.fu.ssh.track;

	(void)state;
	sess_open(&s, CHACHA, "");
	type_keys(&s, 1, 2000, 5, 250, 76, 0.5);
	assert_false(s.seen & B);
	type_keys(&s, 1, 4000, 10, 250, 76, 0.5);
	assert_true(s.seen & B);
	/* certain on the echo of the 7th key: 6 human intervals */
	assert_int_equal(t->rev_keys, 7);
	assert_true(s.first_rev_ms > 4000 && s.first_rev_ms < 5000);
	assert_int_equal(t->keys[1], 15);
	assert_int_equal(t->ks_len[1].med, 76);
	assert_true(t->echo_lat[1].max <= 6);	/* ticks: 0.6 ms */
	assert_true(t->key_iv[1].med >= 250 && t->key_iv[1].med <= 330);
	assert_int_equal(t->keys[0], 0);
	assert_int_equal(t->typing, 2);
	assert_true(det_ssh_confidence(&s.f, DET_REVERSE_SSH) >= 80);
}

/* The inside client types; the far server echoes after a round trip. */
static void
test_client_typing(void **state)
{
	struct sess s;

	(void)state;
	sess_open(&s, CHACHA, "");
	type_keys(&s, 0, 2000, 30, 200, 36, 41);
	assert_false(s.seen & B);
	assert_int_equal(s.fu.ssh.track.typing, 1);
	assert_true(s.fu.ssh.track.human[0] >= 20);
	assert_int_equal(s.fu.ssh.track.human[1], 0);
}

/*
 * A fast typist on a long path: the far echo arrives 150 ms after each
 * key and the next key 60 ms after that.  Echo -> next key must not be
 * taken for a key from the far side.
 */
static void
test_fast_typist_long_rtt(void **state)
{
	struct sess s;
	double t = 2000;
	int i;

	(void)state;
	sess_open(&s, CHACHA, "");
	s.fu.ssh.track.rtt[1] = 1500;	/* 150 ms */
	for (i = 0; i < 30; i++, t += 210) {
		pkt(&s, 0, t, 36);
		pkt(&s, 1, t + 150, 36);
	}
	assert_false(s.seen & B);
	assert_int_equal(s.fu.ssh.track.human[1], 0);
}

/* An upload: bulk from the client, pure ACKs back, a status at the end. */
static void
test_bulk_upload(void **state)
{
	struct sess s;
	double t = 1000;
	int i;

	(void)state;
	sess_open(&s, CHACHA, "");
	for (i = 0; i < 2000; i++, t += 0.3) {
		pkt(&s, 0, t, 1448);
		if (i % 2)	/* ACKs of earlier segments */
			pkt(&s, 1, t + 0.1, 0);
	}
	pkt(&s, 1, t + 40, 36);
	pkt(&s, 0, t + 40.2, 36);
	assert_int_equal(s.seen & (B | F), 0);
	assert_true(s.fu.ssh.track.bulk_acks[1] > 900);
}

/*
 * Legacy scp download of many files: the server sends a small header,
 * the client answers at once, then the server sends the file.  Human
 * timing, but the "typist" sends the bulk: not typing.
 */
static void
test_scp_many_files(void **state)
{
	struct sess s;
	double t = 1000;
	int i, k;

	(void)state;
	sess_open(&s, CHACHA, "");
	for (i = 0; i < 40; i++) {
		pkt(&s, 1, t, 68);		/* C0644 size name */
		pkt(&s, 0, t + 0.3, 36);	/* \0 */
		for (k = 0; k < 8; k++)
			pkt(&s, 1, t + 40 + k * 5, 1448);
		pkt(&s, 1, t + 90, 36);		/* \0 after the data */
		pkt(&s, 0, t + 90.3, 36);	/* \0 */
		t += 300;
	}
	assert_int_equal(s.seen & B, 0);
	assert_int_equal(s.fu.ssh.track.human[1], 0);
}

/*
 * OpenSSH 9.5+ ObscureKeystrokeTiming from the outside typist: small
 * records every 20 ms while typing (keys and chaff alike), each answered
 * by the inside (echo or PONG); pauses between commands.
 */
static void
test_chaff_from_server(void **state)
{
	struct sess s;
	double t = 2000;
	int b, i;

	(void)state;
	sess_open(&s, CHACHA, "");
	for (b = 0; b < 3; b++) {
		for (i = 0; i < 40; i++, t += 20) {
			pkt(&s, 1, t, 76);
			pkt(&s, 0, t + 0.4, 76);
		}
		t += 1500;
	}
	assert_true(s.seen & B);
	assert_true(s.fu.ssh.track.chaff[1] >= 30);
	assert_true(s.fu.ssh.track.keys[1] >= 2);
}

/* The same chaff from the inside client (a forward login): no verdict. */
static void
test_chaff_from_client(void **state)
{
	struct sess s;
	double t = 2000;
	int b, i;

	(void)state;
	sess_open(&s, CHACHA, "");
	for (b = 0; b < 3; b++) {
		for (i = 0; i < 40; i++, t += 20) {
			pkt(&s, 0, t, 36);
			pkt(&s, 1, t + 40.5, 36);
		}
		t += 1500;
	}
	assert_int_equal(s.seen & B, 0);
	assert_true(s.fu.ssh.track.chaff[0] >= 30);
	assert_int_equal(s.fu.ssh.track.chaff[1], 0);
}

/* A burst the server starts after quiet with a channel open, then KEX. */
static void
nested_script(struct sess *s, int starter, size_t first, double t)
{
	pkt(s, starter, t, first);		/* CHANNEL_OPEN / KEXINIT */
	pkt(s, !starter, t + 1, 44);		/* confirmation */
	pkt(s, !starter, t + 8, 76);		/* inner banner */
	pkt(s, starter, t + 42, 76);		/* inner banner */
	pkt(s, !starter, t + 43, 1140);		/* inner KEXINIT */
	pkt(s, starter, t + 50, 1448);		/* inner KEXINIT + init */
	pkt(s, starter, t + 84, 148);
	pkt(s, starter, t + 130, 1244);
	pkt(s, !starter, t + 140, 1448);	/* KEX reply */
	pkt(s, !starter, t + 140, 156);
}

static void
test_nested_handshake(void **state)
{
	struct sess s;
	const struct ssh_track *t = &s.fu.ssh.track;

	(void)state;
	sess_open(&s, CHACHA, "");
	pkt(&s, 0, 500, 68);	/* tcpip-forward */
	pkt(&s, 1, 540, 28);
	nested_script(&s, 1, 92, 30000);
	assert_true(s.seen & F);
	assert_int_equal(t->nested, 1);
	assert_int_equal(t->burst_first, 92);
	assert_true(t->burst_bytes[1] >= 800 && t->burst_bytes[0] >= 800);
	assert_int_equal(s.seen & B, 0);
}

/* ProxyJump (client-started nested handshake) and a server rekey. */
static void
test_nested_negatives(void **state)
{
	struct sess s;

	(void)state;
	sess_open(&s, CHACHA, "");
	nested_script(&s, 0, 92, 30000);
	assert_int_equal(s.seen & F, 0);
	sess_open(&s, CHACHA, "");
	nested_script(&s, 1, 1100, 30000);	/* starts with a KEXINIT */
	assert_int_equal(s.seen & F, 0);
	/* session set-up: no quiet before the server's records */
	sess_open(&s, CHACHA, "");
	pkt(&s, 1, 170, 200);
	pkt(&s, 0, 200, 1000);
	pkt(&s, 1, 240, 548);
	pkt(&s, 0, 241, 1448);
	assert_int_equal(s.seen & F, 0);
}

/*
 * Record sizes of one cipher family (OpenSSH 9.2 lab captures): the
 * authentication exchange (SERVICE_REQUEST/ACCEPT, "none", publickey
 * query, PK_OK, signed request, USERAUTH_SUCCESS), then the requests a
 * client sends after it and what the server answers.
 */
struct sizes {
	const char	*cipher, *mac;
	size_t		 auth[8];	/* client, server, client, ... */
	size_t		 fwd;		/* tcpip-forward "localhost" */
	size_t		 nms;		/* no-more-sessions@openssh.com */
	size_t		 ok;		/* REQUEST_SUCCESS / FAILURE */
	size_t		 conf;		/* CHANNEL_OPEN_CONFIRMATION */
	size_t		 ka;		/* keepalive@openssh.com */
};

static const struct sizes fam[] = {
	{ CHACHA, "", { 44, 44, 60, 44, 140, 100, 308, 28 }, 68, 60, 28, 44,
	    52 },
	{ "aes256-gcm@openssh.com", "", { 52, 52, 68, 52, 148, 100, 308, 36 },
	    68, 68, 36, 52, 52 },
	{ "aes128-ctr", "hmac-sha2-256", { 64, 64, 80, 64, 160, 112, 320, 48 },
	    80, 80, 48, 64, 64 },
	{ "aes128-ctr", "hmac-sha2-256-etm@openssh.com",
	    { 68, 68, 84, 68, 164, 116, 324, 52 }, 84, 84, 52, 68, 68 },
};
#define NFAM	(sizeof(fam) / sizeof(fam[0]))

/* The authentication exchange from 330 ms; returns its end (ms). */
static double
auth(struct sess *s, const struct sizes *z)
{
	double t = 330;
	int i;

	for (i = 0; i < 8; i++) {
		pkt(s, i % 2, t, z->auth[i]);
		t += i % 2 ? 0.5 : 41;
	}
	return t - 0.5;
}

/* -N -R: tcpip-forward + no-more-sessions, hostkeys push, the reply. */
static void
test_setup_each_cipher(void **state)
{
	const struct ssh_track *t;
	struct sess s;
	double a;
	size_t i;

	(void)state;
	for (i = 0; i < NFAM; i++) {
		sess_open(&s, fam[i].cipher, fam[i].mac);
		a = auth(&s, &fam[i]);
		pkt(&s, 0, a + 0.1, fam[i].fwd);
		pkt(&s, 0, a + 0.2, fam[i].nms);
		assert_int_equal(s.seen & F, 0);
		pkt(&s, 1, a + 41, 548);	/* hostkeys-00 + debug */
		assert_int_equal(s.seen & F, 0);
		pkt(&s, 1, a + 126, fam[i].ok);
		assert_true(s.seen & F);
		t = &s.fu.ssh.track;
		assert_int_equal(t->fwd_req_len, fam[i].fwd);
		assert_int_equal(t->fwd_rep_len, fam[i].ok);
		assert_int_equal(t->fwd_recs, 2);
		/*
		 * CTR + HMAC: request and reply sizes shared with a session
		 * open and CHANNEL_SUCCESS, but no client record after the
		 * coalesced push: 75 (test_setup_confidence)
		 */
		assert_int_equal(det_ssh_confidence(&s.f,
		    DET_SSH_REMOTE_FORWARD), 75);
		assert_int_equal(s.seen & B, 0);
	}
}

/*
 * -R from an interactive login (Nagle holds the session open until the
 * push is ACKed): still set up; the typing stays the client's.
 */
/*
 * The same pairs in an inbound session (the outside client's admin
 * session to an inside server, whatever the model makes of it) and in
 * an -R tunnel no login ran through (a program's requests answered by
 * the inside): never reverse_ssh.
 */
static void
test_server_typing_not_reverse(void **state)
{
	struct sess s;
	double a;

	(void)state;
	sess_open(&s, CHACHA, "");
	s.f.netdir = DIR_INBOUND;
	type_keys(&s, 1, 2000, 15, 250, 76, 0.5);
	assert_int_equal(s.fu.ssh.track.typing, 2);
	assert_false(s.seen & B);
	sess_open(&s, CHACHA, "");
	a = auth(&s, &fam[0]);
	pkt(&s, 0, a + 0.1, 68);	/* tcpip-forward */
	pkt(&s, 1, a + 81, 28);		/* REQUEST_SUCCESS */
	type_keys(&s, 1, 2000, 15, 250, 76, 0.5);
	assert_int_equal(s.fu.ssh.track.typing, 2);
	assert_true(s.seen & F);
	assert_false(s.seen & B);
}

static void
test_setup_interactive(void **state)
{
	struct sess s;
	double a;

	(void)state;
	sess_open(&s, CHACHA, "");
	a = auth(&s, &fam[0]);
	pkt(&s, 0, a + 0.1, 68);
	pkt(&s, 1, a + 41, 548);
	pkt(&s, 0, a + 41.1, 112);	/* CHANNEL_OPEN + no-more-sessions */
	pkt(&s, 1, a + 81, 28);
	assert_true(s.seen & F);
	pkt(&s, 1, a + 166, 44);
	pkt(&s, 0, a + 166.1, 376);	/* pty-req, env, shell */
	pkt(&s, 1, a + 214, 108);
	type_keys(&s, 0, 2000, 10, 250, 36, 41);
	assert_true(s.seen & F);
	assert_int_equal(s.seen & B, 0);
	/* REQUEST_SUCCESS with the allocated port (-R 0:...): 5 bytes */
	sess_open(&s, CHACHA, "");
	a = auth(&s, &fam[0]);
	pkt(&s, 0, a + 0.1, 68);
	pkt(&s, 1, a + 90, 36);
	assert_true(s.seen & F);
}

/* Sessions without -R: the first control answer is no small reply. */
static void
test_setup_negatives(void **state)
{
	struct sess s;
	double a;
	size_t i;

	(void)state;
	for (i = 0; i < NFAM; i++) {
		/* interactive or -T: session open (+ no-more-sessions) */
		sess_open(&s, fam[i].cipher, fam[i].mac);
		a = auth(&s, &fam[i]);
		pkt(&s, 0, a + 0.1, fam[i].ka + fam[i].nms);
		pkt(&s, 1, a + 41, 548);
		pkt(&s, 1, a + 124, fam[i].conf);
		pkt(&s, 0, a + 124.5, 376);
		pkt(&s, 1, a + 166, fam[i].ok);	/* pty-req's SUCCESS */
		assert_int_equal(s.seen & F, 0);
		/* -N (-L unused), ServerAliveInterval=1: keepalive ~1 s on */
		sess_open(&s, fam[i].cipher, fam[i].mac);
		a = auth(&s, &fam[i]);
		pkt(&s, 0, a + 0.1, fam[i].nms);
		pkt(&s, 1, a + 41, 548);
		pkt(&s, 0, a + 1041, fam[i].ka);
		pkt(&s, 1, a + 1081, fam[i].ok);
		assert_int_equal(s.seen & F, 0);
		/* -N -L used at once: direct-tcpip open, confirmation */
		sess_open(&s, fam[i].cipher, fam[i].mac);
		a = auth(&s, &fam[i]);
		pkt(&s, 0, a + 0.1, fam[i].nms);
		pkt(&s, 0, a + 5, 92);
		pkt(&s, 1, a + 41, 548);
		pkt(&s, 1, a + 46, fam[i].conf);
		pkt(&s, 0, a + 47, 124);
		pkt(&s, 1, a + 90, fam[i].ok);
		assert_int_equal(s.seen & F, 0);
	}
}

/* Timing and size bounds of the set-up, from the config. */
static void
test_setup_bounds(void **state)
{
	struct cfg *c;
	struct sess s;
	double a;

	(void)state;
	/* a request too late after auth, or a reply too late after it */
	sess_open(&s, CHACHA, "");
	a = auth(&s, &fam[0]);
	pkt(&s, 0, a + 700, 68);
	pkt(&s, 1, a + 740, 28);
	assert_int_equal(s.seen & F, 0);
	sess_open(&s, CHACHA, "");
	a = auth(&s, &fam[0]);
	pkt(&s, 0, a + 0.1, 68);
	pkt(&s, 1, a + 1200, 28);
	assert_int_equal(s.seen & F, 0);
	/* a request smaller than any tcpip-forward (payload <= 19) */
	sess_open(&s, CHACHA, "");
	a = auth(&s, &fam[0]);
	pkt(&s, 0, a + 0.1, 44);
	pkt(&s, 1, a + 41, 28);
	assert_int_equal(s.seen & F, 0);
	/* no USERAUTH_SUCCESS-sized record in the first 16: never */
	sess_open(&s, CHACHA, "");
	for (a = 400; a < 400 + 17 * 100; a += 100) {
		pkt(&s, 0, a, 60);
		pkt(&s, 1, a + 40, 44);
	}
	pkt(&s, 1, a, 28);
	pkt(&s, 0, a + 1, 68);
	pkt(&s, 1, a + 41, 28);
	assert_int_equal(s.seen & F, 0);
	/* config: narrower request window; bad ranges rejected */
	c = load_cfg("ssh:\n  forward_request_payload_min: 40\n"
	    "  forward_setup_window_ms: 50\n  forward_reply_max_ms: 200\n");
	assert_non_null(c);
	assert_int_equal(c->ssh.forward_reply_payload_max, 5);
	sess_open_on(&s, shared_det, c, CHACHA, "", 22);
	a = auth(&s, &fam[0]);
	pkt(&s, 0, a + 0.1, 68);	/* payload 36 .. 43: still fits */
	pkt(&s, 1, a + 126, 28);
	assert_true(s.seen & F);
	sess_open_on(&s, shared_det, c, CHACHA, "", 22);
	a = auth(&s, &fam[0]);
	pkt(&s, 0, a + 0.1, 60);	/* payload 28 .. 35: too small */
	pkt(&s, 1, a + 126, 28);
	assert_int_equal(s.seen & F, 0);
	cfg_free(c);
	assert_null(load_cfg("ssh:\n  forward_request_payload_min: 50\n"
	    "  forward_request_payload_max: 40\n"));
	assert_null(load_cfg("ssh:\n  forward_reply_payload_max: 65\n"));
}

/* Set-up then a nested handshake: evidence of both, higher confidence. */
static void
test_setup_evidence(void **state)
{
	char buf[4096];
	struct jbuf j;
	struct sess s;
	double a;

	(void)state;
	sess_open(&s, CHACHA, "");
	a = auth(&s, &fam[0]);
	pkt(&s, 0, a + 0.1, 68);
	pkt(&s, 1, a + 126, 28);
	jb_init(&j, buf, sizeof(buf));
	jb_open_object(&j, NULL);
	det_ssh_evidence(&j, &s.f, DET_SSH_REMOTE_FORWARD);
	jb_close_object(&j);
	assert_false(j.overflow);
	assert_non_null(strstr(buf, "\"trigger\":\"setup\""));
	assert_non_null(strstr(buf, "\"request_bytes\":68,"
	    "\"request_payload_min\":36,\"request_payload_max\":43"));
	assert_non_null(strstr(buf, "\"reply_bytes\":28,"
	    "\"reply_payload_min\":1,\"reply_payload_max\":3"));
	assert_non_null(strstr(buf, "\"request_after_auth_ms\":"));
	assert_non_null(strstr(buf, "\"nested_handshakes\":0"));
	assert_null(strstr(buf, "started_by_role"));
	nested_script(&s, 1, 92, 30000);
	assert_int_equal(det_ssh_confidence(&s.f, DET_SSH_REMOTE_FORWARD), 90);
	jb_init(&j, buf, sizeof(buf));
	jb_open_object(&j, NULL);
	det_ssh_evidence(&j, &s.f, DET_SSH_REMOTE_FORWARD);
	jb_close_object(&j);
	assert_non_null(strstr(buf, "\"trigger\":\"setup\""));
	assert_non_null(strstr(buf, "\"started_by_role\":\"server\""));
	assert_non_null(strstr(buf, "\"nested_handshakes\":1"));
}

/*
 * Exact sealed sizes per cipher family (det_ssh_setup_rec_len), checked
 * against records of the lab captures: USERAUTH_SUCCESS / REQUEST_SUCCESS
 * (1), CHANNEL_SUCCESS (5), CHANNEL_OPEN_CONFIRMATION (17), CHANNEL_OPEN
 * session (24), no-more-sessions (34), tcpip-forward "localhost" (36),
 * and the way back (det_ssh_setup_payload) for every payload size.
 */
static void
test_record_sizes(void **state)
{
	static const struct {
		const char	*cipher, *mac;
		unsigned	 len[7];	/* payloads 1 5 17 24 34 36 603 */
	} fams[] = {
		{ CHACHA, "", { 28, 36, 44, 52, 60, 68, 628 } },
		{ "aes256-gcm@openssh.com", "", { 36, 36, 52, 52, 68, 68, 628 } },
		{ "aes128-gcm@openssh.com", "", { 36, 36, 52, 52, 68, 68, 628 } },
		{ "aes128-ctr", "hmac-sha2-256", { 48, 48, 64, 80, 80, 80, 656 } },
		{ "aes256-ctr", "hmac-sha1", { 36, 36, 52, 68, 68, 68, 644 } },
		{ "aes256-ctr", "hmac-sha2-512", { 80, 80, 96, 112, 112, 112,
		    688 } },
		{ "aes128-ctr", "hmac-sha2-256-etm@openssh.com",
		    { 52, 52, 68, 68, 84, 84, 644 } },
		{ "aes256-ctr", "umac-64-etm@openssh.com",
		    { 28, 28, 44, 44, 60, 60, 620 } },
	};
	static const unsigned pay[7] = { 1, 5, 17, 24, 34, 36, 603 };
	struct ssh_sizing z;
	unsigned lo, hi, p;
	size_t i, k;

	(void)state;
	for (i = 0; i < sizeof(fams) / sizeof(fams[0]); i++) {
		assert_true(ssh_sizing_for(fams[i].cipher, fams[i].mac, &z));
		for (k = 0; k < 7; k++)
			assert_int_equal(det_ssh_setup_rec_len(&z, pay[k]),
			    fams[i].len[k]);
		for (p = 1; p < 2000; p++) {
			assert_true(det_ssh_setup_payload(&z,
			    det_ssh_setup_rec_len(&z, p), &lo, &hi));
			assert_true(lo <= p && p <= hi);
			assert_true(hi - lo < (z.block < 8 ? 8u : z.block));
		}
	}
	/* chacha: two records never look like one (lengths 4 mod 8) */
	assert_true(ssh_sizing_for(CHACHA, "", &z));
	assert_false(det_ssh_setup_payload(&z, 52 + 60, &lo, &hi));
	assert_false(ssh_sizing_for("aes128-ctr", "no-such-mac", &z));
}

/*
 * Field shapes that raised ssh_remote_forward on ordinary logins.
 * OpenSSH 8.2 -> 7.9 (chacha): CHANNEL_OPEN session + no-more-sessions
 * (112 bytes) 0.4 ms after USERAUTH_SUCCESS, the confirmation hidden in
 * a coalesced server segment, then a 36-byte CHANNEL_SUCCESS 102 ms on.
 * OpenSSH 10 with UpdateHostKeys: a server-started exchange of the
 * hostkeys push, the client's prove and the proof after auth.  With
 * zlib, sizes say nothing at all.
 */
static void
test_setup_field_shapes(void **state)
{
	const struct ssh_track *t;
	struct sess s;
	double a;

	(void)state;
	sess_open(&s, CHACHA, "");
	a = auth(&s, &fam[0]);
	pkt(&s, 0, a + 0.4, 112);
	pkt(&s, 1, a + 102.4, 36);
	assert_int_equal(s.seen & F, 0);
	sess_open(&s, CHACHA, "");
	a = auth(&s, &fam[0]);
	pkt(&s, 0, a + 0.4, 112);
	pkt(&s, 1, a + 41, 972);	/* EXT_INFO + push + confirmation */
	pkt(&s, 0, a + 41.5, 376);	/* pty-req, env, shell */
	pkt(&s, 1, a + 82, 36);		/* CHANNEL_SUCCESS */
	assert_int_equal(s.seen & F, 0);
	/* a request-sized single record answered by a coalesced segment */
	sess_open(&s, "aes128-ctr", "hmac-sha2-256");
	a = auth(&s, &fam[2]);
	pkt(&s, 0, a + 0.1, 80);	/* session open or tcpip-forward */
	pkt(&s, 1, a + 42, 64 + 112);	/* confirmation + data */
	pkt(&s, 0, a + 43, 400);
	pkt(&s, 1, a + 84, 48);
	assert_int_equal(s.seen & F, 0);
	/* host-key update in a server-started burst: no nested handshake */
	sess_open(&s, CHACHA, "");
	a = auth(&s, &fam[0]);
	pkt(&s, 0, a + 0.4, 112);
	pkt(&s, 1, a + 200, 44);	/* confirmation after a pause */
	pkt(&s, 1, a + 201, 628);	/* hostkeys-00: 3 keys */
	pkt(&s, 0, a + 202, 580);	/* hostkeys-prove-00: 2 keys */
	pkt(&s, 0, a + 203, 376);
	pkt(&s, 1, a + 245, 540);	/* the proof */
	pkt(&s, 1, a + 246, 300);
	pkt(&s, 0, a + 300, 36);
	assert_int_equal(s.seen & F, 0);
	t = &s.fu.ssh.track;
	assert_int_equal(t->hk_push_len, 628);
	assert_int_equal(t->hk_prove_len, 580);
	assert_int_equal(t->hk_reply_len, 540);
	assert_int_equal(t->nested, 0);
	/* the same sizes and order, but zlib: no set-up reading */
	sess_open(&s, CHACHA, "");
	ssh_algo_set(&s.fu.ssh.hs, SSH_A_COMP_C2S, "zlib@openssh.com");
	ssh_algo_set(&s.fu.ssh.hs, SSH_A_COMP_S2C, "zlib@openssh.com");
	a = auth(&s, &fam[0]);
	pkt(&s, 0, a + 0.1, 68);
	pkt(&s, 1, a + 41, 28);
	assert_int_equal(s.seen & F, 0);
}

/*
 * Weaker readings: a 5-byte reply (allocated port, or CHANNEL_SUCCESS)
 * and a request that shares its segment lower the confidence below the
 * shipped rule's 0.7, and the evidence says why.
 */
static void
test_setup_confidence(void **state)
{
	char buf[4096];
	struct jbuf j;
	struct sess s;
	double a;

	(void)state;
	sess_open(&s, CHACHA, "");
	a = auth(&s, &fam[0]);
	pkt(&s, 0, a + 0.1, 68);
	pkt(&s, 1, a + 90, 36);
	assert_true(s.seen & F);
	assert_int_equal(det_ssh_confidence(&s.f, DET_SSH_REMOTE_FORWARD), 65);
	jb_init(&j, buf, sizeof(buf));
	jb_open_object(&j, NULL);
	det_ssh_evidence(&j, &s.f, DET_SSH_REMOTE_FORWARD);
	jb_close_object(&j);
	assert_non_null(strstr(buf, "\"reply_reading\":\"request_success_port\""));
	assert_non_null(strstr(buf,
	    "\"ambiguity\":[\"reply_5_bytes_port_or_channel_success\"]"));
	/* tcpip-forward + another request in one segment, then the reply */
	sess_open(&s, CHACHA, "");
	a = auth(&s, &fam[0]);
	pkt(&s, 0, a + 0.1, 68 + 60);
	pkt(&s, 1, a + 41, 28);
	assert_true(s.seen & F);
	assert_int_equal(det_ssh_confidence(&s.f, DET_SSH_REMOTE_FORWARD), 60);
	/* exact REQUEST_SUCCESS to a single tcpip-forward: 75 */
	sess_open(&s, CHACHA, "");
	a = auth(&s, &fam[0]);
	pkt(&s, 0, a + 0.1, 68);
	pkt(&s, 1, a + 41, 28);
	assert_int_equal(det_ssh_confidence(&s.f, DET_SSH_REMOTE_FORWARD), 75);
	/*
	 * aes128-ctr + hmac-sha2-256 (MAC over the plaintext, length
	 * encrypted): tcpip-forward "localhost" and CHANNEL_OPEN session are
	 * both 80 bytes, REQUEST_SUCCESS and CHANNEL_SUCCESS both 48.  The
	 * -R set-up of OpenSSH 9.2, plink and paramiko: request, the
	 * hostkeys push with DEBUG (coalesced), the reply, no client record
	 * in between: the 48 can only answer the request (a session open
	 * gets a 64-byte confirmation).  75, not 65.
	 */
	sess_open(&s, "aes128-ctr", "hmac-sha2-256");
	a = auth(&s, &fam[2]);
	pkt(&s, 0, a + 0.1, 80);
	pkt(&s, 1, a + 41, 624);
	pkt(&s, 1, a + 122, 48);
	assert_true(s.seen & F);
	assert_int_equal(det_ssh_confidence(&s.f, DET_SSH_REMOTE_FORWARD), 75);
	/*
	 * The same sizes from an ordinary paramiko exec: session open (80),
	 * the confirmation hidden in the coalesced segment, "exec" of a short
	 * command (80 again), CHANNEL_SUCCESS (48): the ambiguity is real.
	 */
	sess_open(&s, "aes128-ctr", "hmac-sha2-256");
	a = auth(&s, &fam[2]);
	pkt(&s, 0, a + 0.1, 80);
	pkt(&s, 1, a + 41, 624 + 64);
	pkt(&s, 0, a + 41.5, 80);
	pkt(&s, 1, a + 82, 48);
	assert_true(s.seen & F);
	assert_int_equal(det_ssh_confidence(&s.f, DET_SSH_REMOTE_FORWARD), 65);
	jb_init(&j, buf, sizeof(buf));
	jb_open_object(&j, NULL);
	det_ssh_evidence(&j, &s.f, DET_SSH_REMOTE_FORWARD);
	jb_close_object(&j);
	assert_non_null(strstr(buf, "\"ambiguity\":["
	    "\"request_sized_like_session_open\","
	    "\"reply_sized_like_channel_success\","
	    "\"client_record_after_coalesced_segment\"]"));
	/* -etm: the length stays clear, so tcpip-forward (84) != open (68) */
	sess_open(&s, "aes128-ctr", "hmac-sha2-256-etm@openssh.com");
	a = auth(&s, &fam[3]);
	pkt(&s, 0, a + 0.1, 84);
	pkt(&s, 1, a + 41, 604);
	pkt(&s, 1, a + 122, 52);
	assert_int_equal(det_ssh_confidence(&s.f, DET_SSH_REMOTE_FORWARD), 75);
	/* asyncssh: an empty IGNORE (36 with chacha) before each message */
	sess_open(&s, CHACHA, "");
	a = auth(&s, &fam[0]);
	pkt(&s, 0, a + 6.5, 36);
	pkt(&s, 0, a + 13, 68);
	pkt(&s, 1, a + 173, 972);
	pkt(&s, 1, a + 389, 28);
	assert_true(s.seen & F);
	assert_int_equal(det_ssh_confidence(&s.f, DET_SSH_REMOTE_FORWARD), 75);
}

/*
 * asyncssh as the implant: it seals an empty IGNORE (36 bytes with
 * chacha) in front of every message, so each operator keystroke from
 * outside (76) is followed by the inside's IGNORE and then its echo (76).
 * The IGNORE is the echo; the record right behind it is no keystroke of
 * the inside.
 */
static void
test_ignore_prefix(void **state)
{
	struct sess s;
	double ms;
	int i;

	(void)state;
	sess_open(&s, CHACHA, "");
	for (i = 0, ms = 5000; i < 30; i++, ms += 230) {
		pkt(&s, 1, ms, 76);		/* keystroke from outside */
		pkt(&s, 0, ms + 5, 36);		/* asyncssh's IGNORE */
		pkt(&s, 0, ms + 5.1, 76);	/* the echo */
	}
	assert_true(s.seen & B);
	assert_true(s.fu.ssh.track.keys[1] >= 29);
	assert_int_equal(s.fu.ssh.track.keys[0], 0);
}

/* ServerAliveInterval 15: an hour of keepalive pairs from the client. */
static void
test_keepalives_long_lived(void **state)
{
	struct sess s;
	const struct ssh_track *t = &s.fu.ssh.track;
	double ms;

	(void)state;
	sess_open(&s, CHACHA, "");
	for (ms = 15000; ms < 3500 * 1000.0; ms += 15000) {
		pkt(&s, 0, ms, 52);
		pkt(&s, 1, ms + 40.5, 28);
	}
	assert_int_equal(s.seen & (L | B), 0);
	for (; ms < 3700 * 1000.0; ms += 15000) {
		pkt(&s, 0, ms, 52);
		pkt(&s, 1, ms + 40.5, 28);
	}
	assert_true(s.seen & L);
	assert_true(t->ka_pairs[0] > 200);
	assert_true(t->ka_regular[0] > 200);
	assert_int_equal(t->ka_iv[0], 15);
	assert_int_equal(t->long_why, 1);
	assert_true(det_ssh_confidence(&s.f, DET_SSH_LONG_LIVED) >= 75);
}

/* Three connections to one endpoint within ten minutes. */
static void
test_reconnects(void **state)
{
	struct det_ssh *d = det_ssh_new();
	struct sess s;
	int i;

	(void)state;
	for (i = 0; i < 3; i++) {
		sess_open_on(&s, d, shared_cfg, CHACHA, "", 22);
		s.f.first_us += (uint64_t)i * 120 * 1000000;
		if (i < 2)
			assert_int_equal(s.seen & L, 0);
	}
	assert_int_equal(s.fu.ssh.track.reconnects, 3);
	assert_true(s.seen & L);
	assert_int_equal(s.fu.ssh.track.long_why, 2);
	/* another port is another endpoint */
	sess_open_on(&s, d, shared_cfg, CHACHA, "", 443);
	assert_int_equal(s.fu.ssh.track.reconnects, 1);
	det_ssh_free(d);
}

static void
test_config(void **state)
{
	const char *y = "ssh:\n  keystrokes_min: 3\n  long_lived_seconds: 60\n";
	struct cfg *c = load_cfg(y);
	struct sess s;

	(void)state;
	assert_non_null(c);
	assert_int_equal(c->ssh.keystrokes_min, 3);
	assert_int_equal(c->ssh.long_lived_seconds, 60);
	assert_int_equal(c->ssh.reconnect_count, 3);	/* default kept */
	sess_open_on(&s, shared_det, c, CHACHA, "", 2222);
	type_keys(&s, 1, 2000, 4, 250, 76, 0.5);
	assert_true(s.seen & B);
	assert_int_equal(s.fu.ssh.track.rev_keys, 4);
	pkt(&s, 0, 61000, 0);
	assert_true(s.seen & L);
	cfg_free(c);
	/* strict: unknown keys, ranges, max above min */
	assert_null(load_cfg("ssh:\n  keystroke_min: 3\n"));
	assert_null(load_cfg("ssh:\n  keystrokes_min: 0\n"));
	assert_null(load_cfg("ssh:\n  reconnect_count: 9\n"));
	assert_null(load_cfg("ssh:\n  keystroke_interval_min_ms: 500\n"
	    "  keystroke_interval_max_ms: 400\n"));
	c = load_cfg("ssh:\n");
	assert_non_null(c);
	assert_int_equal(c->ssh.keystrokes_min, 6);
	cfg_free(c);
}

/* Evidence and record members render as JSON. */
static void
test_evidence(void **state)
{
	char buf[4096];
	struct jbuf j;
	struct sess s;

	(void)state;
	sess_open(&s, CHACHA, "");
	type_keys(&s, 1, 2000, 10, 250, 76, 0.5);
	jb_init(&j, buf, sizeof(buf));
	jb_open_object(&j, NULL);
	det_ssh_evidence(&j, &s.f, DET_REVERSE_SSH);
	jb_close_object(&j);
	assert_false(j.overflow);
	assert_non_null(strstr(buf, "\"typing_party\":\"responder\""));
	assert_non_null(strstr(buf, "\"keystrokes_at_verdict\":7"));
	assert_non_null(strstr(buf, "\"keystroke_bytes_median\":76"));
	jb_init(&j, buf, sizeof(buf));
	jb_open_object(&j, NULL);
	det_ssh_put_record(&j, &s.f);
	jb_close_object(&j);
	assert_non_null(strstr(buf, "\"typing_side\":\"server\""));
	assert_non_null(strstr(buf,
	    "\"keystrokes\":{\"from_client\":0,\"from_server\":10}"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sizing),
		cmocka_unit_test(test_server_typing),
		cmocka_unit_test(test_server_typing_not_reverse),
		cmocka_unit_test(test_client_typing),
		cmocka_unit_test(test_fast_typist_long_rtt),
		cmocka_unit_test(test_bulk_upload),
		cmocka_unit_test(test_scp_many_files),
		cmocka_unit_test(test_chaff_from_server),
		cmocka_unit_test(test_chaff_from_client),
		cmocka_unit_test(test_nested_handshake),
		cmocka_unit_test(test_nested_negatives),
		cmocka_unit_test(test_setup_each_cipher),
		cmocka_unit_test(test_setup_interactive),
		cmocka_unit_test(test_setup_negatives),
		cmocka_unit_test(test_setup_bounds),
		cmocka_unit_test(test_setup_evidence),
		cmocka_unit_test(test_record_sizes),
		cmocka_unit_test(test_setup_field_shapes),
		cmocka_unit_test(test_setup_confidence),
		cmocka_unit_test(test_ignore_prefix),
		cmocka_unit_test(test_keepalives_long_lived),
		cmocka_unit_test(test_reconnects),
		cmocka_unit_test(test_config),
		cmocka_unit_test(test_evidence),
	};
	int rv;

	shared_cfg = cfg_default();
	rv = cmocka_run_group_tests(tests, NULL, NULL);
	det_ssh_free(shared_det);
	cfg_free(shared_cfg);
	return rv;
}
