/*
 * det_ssh_setup.c - what a client asks for right after authentication,
 * read from exact record sizes and their order.
 *
 * Sizes.  Every record after NEWKEYS is sealed, but its wire size is a
 * function of the SSH payload it carries and the negotiated cipher and
 * MAC (det_ssh_setup_rec_len; minimal padding, as OpenSSH, dropbear,
 * PuTTY, paramiko and Go all pad).  The messages that matter here have
 * fixed payloads (det_ssh_setup.h): USERAUTH_SUCCESS and REQUEST_SUCCESS
 * 1 byte, REQUEST_SUCCESS with an allocated port and CHANNEL_SUCCESS 5,
 * CHANNEL_OPEN_CONFIRMATION 17, CHANNEL_OPEN "session" 24,
 * "no-more-sessions@openssh.com" 34, "tcpip-forward" 27 plus its bind
 * address ("localhost": 36), "hostkeys-00@openssh.com" 29 plus 4 + blob
 * per host key (ed25519 51, ECDSA P-256 104, RSA-3072 407 bytes), and
 * "hostkeys-prove-00@openssh.com" 35 plus the same for the keys asked.
 * With compression sizes say nothing: the set-up rules stand down.
 *
 * Order.  The server answers requests that want a reply in the order it
 * got them, and an OpenSSH client sends its tcpip-forward requests
 * before the session's CHANNEL_OPEN.  So the end of authentication is
 * the server's first USERAUTH_SUCCESS-sized record; the client's first
 * record after it is the first request; and the server's first control
 * record that can be an answer to it (not earlier than the server's
 * round trip, not a larger record such as EXT_INFO or the hostkeys-00
 * push) says what that request was: REQUEST_SUCCESS for a global
 * request, CHANNEL_OPEN_CONFIRMATION for a session.  A first client
 * segment that is exactly CHANNEL_OPEN session + no-more-sessions (the
 * ordinary start of every OpenSSH login) ends the set-up phase at once;
 * a server segment that may hide the answer among other records (Nagle
 * coalesces EXT_INFO, the push and the answer) ends it without a
 * verdict.  Readings that need something unusual (a coalesced request,
 * a 5-byte reply, a bind address over 64 bytes) set DSS_* flags that
 * lower the confidence and show in the evidence.
 *
 * An empty SSH_MSG_IGNORE from the client (asyncssh sends one in front
 * of every message it seals) is neither a request nor a reaction.
 *
 * Host-key update.  An OpenSSH server pushes all its host keys right
 * after auth; a client that lacks some asks for proofs, and the server
 * answers with signatures.  These three segments are recognised by
 * order, size and timing, and kept out of the burst model, which would
 * otherwise see a server-started exchange of large records.
 */
#include <string.h>

#include "dissect.h"
#include "det_ssh_setup.h"

#define DSS_MS		10	/* ticks per ms */
#define DSS_AUTH_RECS	16	/* server records before auth must end */
#define DSS_LONG_ADDR	64	/* longer bind addresses are unusual */

enum dss_phase { DSS_AUTH, DSS_OPEN, DSS_DONE };

unsigned
det_ssh_setup_rec_len(const struct ssh_sizing *z, unsigned payload)
{
	unsigned blk = z->block < 8 ? 8 : z->block, n;

	if (z->aead || z->etm) {
		/* packet_length stays outside the padded, encrypted part */
		n = 1 + payload + 4;
		n = (n + blk - 1) / blk * blk;
		return 4 + n + z->mac_len;
	}
	n = 4 + 1 + payload + 4;
	n = (n + blk - 1) / blk * blk;
	return n + z->mac_len;
}

bool
det_ssh_setup_payload(const struct ssh_sizing *z, uint32_t len,
    unsigned *lo, unsigned *hi)
{
	unsigned blk = z->block < 8 ? 8 : z->block, n, hdr;
	bool out = z->aead || z->etm;

	/* packet_length outside the padded part (AEAD, etm), or inside */
	hdr = out ? 0 : 4;
	if (len < (out ? 4u : 0u) + z->mac_len + blk)
		return false;
	n = len - z->mac_len - (out ? 4 : 0);
	if (n % blk != 0 || n < hdr + 1 + 1 + 4)
		return false;
	*hi = n - hdr - 1 - 4;
	*lo = n - blk < hdr + 1 + 4 ? 1 : n - blk - hdr - 1 - 4 + 1;
	return true;
}

bool
det_ssh_setup_sizing(const struct flow *f, int d, struct ssh_sizing *z)
{
	const struct ssh_info *si = &f->c->u->ssh.hs;
	bool c2s = d == (si->client_dir >= 0 ? si->client_dir : 0);

	return ssh_sizing_for(ssh_algo(si, c2s ? SSH_A_CIPHER_C2S : SSH_A_CIPHER_S2C),
	    ssh_algo(si, c2s ? SSH_A_MAC_C2S : SSH_A_MAC_S2C), z);
}

static int
dss_server_dir(const struct flow *f)
{
	return f->c->u->ssh.hs.client_dir == 1 ? 0 : 1;
}

/* Ticks within which a reply of the server (s) is expected. */
static uint32_t
dss_bound(const struct ssh_track *t, int s, uint32_t ms)
{
	return ms * DSS_MS + 2u * t->rtt[s];
}

/* Both round trips plus ms: an exchange seen from anywhere. */
static uint32_t
dss_exchange(const struct ssh_track *t, uint32_t ms)
{
	return ms * DSS_MS + 2u * ((uint32_t)t->rtt[0] + t->rtt[1]);
}

static bool
dss_openssh_server(const struct flow *f)
{
	return strncmp(f->c->u->ssh.hs.side[dss_server_dir(f)].banner,
	    "SSH-2.0-OpenSSH_", 16) == 0;
}

/*
 * Host-key update bookkeeping: true when this segment is the push, the
 * prove request or the proof.
 */
static bool
dss_hostkeys(const struct cfg_ssh *cs, struct flow *f, int dir,
    uint32_t now, uint32_t len, const struct ssh_sizing *z)
{
	struct ssh_track *t = &f->c->u->ssh.track;
	int s = dss_server_dir(f);
	uint32_t win = dss_exchange(t, cs->forward_reply_max_ms);

	if (t->auth_end == 0 || !dss_openssh_server(f))
		return false;
	if (t->hk_push == 0) {
		if (dir == s && now - t->auth_end <= win &&
		    len >= det_ssh_setup_rec_len(z, DSS_P_HOSTKEYS +
		    DSS_HOSTKEY_BLOB_MIN)) {
			t->hk_push = now;
			t->hk_push_len = len > UINT16_MAX ? UINT16_MAX :
			    (uint16_t)len;
			return true;
		}
		return false;
	}
	if (t->hk_prove == 0) {
		if (dir != s && now - t->hk_push <= win &&
		    len >= det_ssh_setup_rec_len(z, DSS_P_HOSTKEYS_PROVE +
		    DSS_HOSTKEY_BLOB_MIN)) {
			t->hk_prove = now;
			t->hk_prove_len = len > UINT16_MAX ? UINT16_MAX :
			    (uint16_t)len;
			return true;
		}
		return false;
	}
	if (t->hk_reply == 0 && dir == s && now - t->hk_prove <= win &&
	    len >= det_ssh_setup_rec_len(z, DSS_P_REQUEST_SUCCESS +
	    DSS_HOSTKEY_SIG_MIN)) {
		t->hk_reply = now;
		t->hk_reply_len = len > UINT16_MAX ? UINT16_MAX : (uint16_t)len;
		return true;
	}
	return false;
}

/* The client's first record after auth: the first request. */
static void
dss_request(const struct cfg_ssh *cs, struct ssh_track *t,
    const struct ssh_sizing *z, uint32_t now, uint32_t len)
{
	unsigned lo, hi;

	t->fwd_req = now;
	t->fwd_req_len = len > UINT16_MAX ? UINT16_MAX : (uint16_t)len;
	if (!det_ssh_setup_payload(z, len, &lo, &hi)) {
		/* The ordinary start: CHANNEL_OPEN session + no-more-sessions. */
		if (len == det_ssh_setup_rec_len(z, DSS_P_OPEN_SESSION) +
		    det_ssh_setup_rec_len(z, DSS_P_NO_MORE_SESSIONS))
			t->fwd_phase = DSS_DONE;
		t->fwd_flags |= DSS_REQ_COALESCED;
		return;
	}
	if (hi < cs->forward_request_payload_min ||
	    lo > cs->forward_request_payload_max) {
		t->fwd_phase = DSS_DONE;	/* no tcpip-forward fits */
		return;
	}
	if (lo > DSS_P_TCPIP_FORWARD + DSS_LONG_ADDR)
		t->fwd_flags |= DSS_REQ_LONG_ADDR;
	if (len == det_ssh_setup_rec_len(z, DSS_P_OPEN_SESSION))
		t->fwd_flags |= DSS_REQ_SESSION_SIZE;
}

/* A server segment while the first request waits for its answer. */
static void
dss_answer(const struct cfg_ssh *cs, struct ssh_track *t, int s,
    const struct ssh_sizing *z, uint32_t now, uint32_t len, bool hk)
{
	unsigned lo, hi;
	bool one = det_ssh_setup_payload(z, len, &lo, &hi);

	if (t->fwd_req == 0)
		return;		/* unsolicited: the hostkeys push, DEBUG */
	/* Sooner than the server's round trip: no answer to the request. */
	if (t->rtt[s] != 0 && now - t->fwd_req < (uint32_t)t->rtt[s] * 3 / 4)
		return;
	if (!one || lo > DSS_P_CONTROL_MAX) {
		/*
		 * Larger than any control answer, so several records or a
		 * larger message.  Sizes cannot always tell which (with
		 * CTR + HMAC any sum of records looks like one record), and
		 * Nagle coalesces the push, DEBUG and the answer: the answer
		 * may hide in it.  A client record after it ends the set-up
		 * phase (dss_reacted).
		 */
		t->fwd_flags |= hk ? DSS_SRV_PUSH : DSS_SRV_HIDDEN;
		return;
	}
	t->fwd_phase = DSS_DONE;
	if (now - t->fwd_req > dss_bound(t, s, cs->forward_reply_max_ms))
		return;
	if (len == det_ssh_setup_rec_len(z, DSS_P_REQUEST_SUCCESS)) {
		t->fwd_at = now;
		/* 16-byte blocks: CHANNEL_SUCCESS has the same size */
		if (len == det_ssh_setup_rec_len(z, DSS_P_CHANNEL_SUCCESS))
			t->fwd_flags |= DSS_REPLY_SHARED;
	} else if (len == det_ssh_setup_rec_len(z, DSS_P_REQUEST_SUCCESS_PORT) &&
	    DSS_P_REQUEST_SUCCESS_PORT <= cs->forward_reply_payload_max) {
		t->fwd_at = now;
		t->fwd_flags |= DSS_REPLY_PORT;
	}
	if (t->fwd_at != 0)
		t->fwd_rep_len = (uint16_t)len;
}

/*
 * A client record (len) after a coalesced server segment: may it react
 * to an answer hidden in that segment?  Not the session's CHANNEL_OPEN
 * and no-more-sessions (an OpenSSH client sends them without waiting;
 * Nagle may hold them until the push is ACKed), nor the recognised
 * hostkeys-prove-00 after a push when the request is unambiguous.
 */
static bool
dss_reacted(const struct ssh_track *t, const struct ssh_sizing *z,
    uint32_t len, bool hk)
{
	unsigned so = det_ssh_setup_rec_len(z, DSS_P_OPEN_SESSION);
	unsigned nm = det_ssh_setup_rec_len(z, DSS_P_NO_MORE_SESSIONS);

	if (len == so || len == nm || len == so + nm)
		return false;
	if (t->fwd_flags & DSS_SRV_HIDDEN)
		return true;
	if (!(t->fwd_flags & DSS_SRV_PUSH))
		return false;
	return !hk || (t->fwd_flags & (DSS_REQ_SESSION_SIZE |
	    DSS_REQ_COALESCED)) != 0;
}

/* Set-up phase: dir sent len sealed bytes at now (hk: host-key update). */
static void
dss_setup(const struct cfg_ssh *cs, struct flow *f, int dir, uint32_t now,
    uint32_t len, const struct ssh_sizing *z, bool hk)
{
	struct ssh_track *t = &f->c->u->ssh.track;
	int s = dss_server_dir(f);

	if (t->fwd_phase == DSS_AUTH) {
		if (dir != s)
			return;
		if (len == det_ssh_setup_rec_len(z, DSS_P_USERAUTH_SUCCESS)) {
			t->auth_end = now;
			t->fwd_phase = DSS_OPEN;
		} else if (++t->auth_recs >= DSS_AUTH_RECS)
			t->fwd_phase = DSS_DONE;
		return;
	}
	if (dir == s) {
		dss_answer(cs, t, s, z, now, len, hk);
		return;
	}
	/* asyncssh sends an empty IGNORE before every message: no request */
	if (len == det_ssh_setup_rec_len(z, DSS_P_IGNORE_EMPTY))
		return;
	if (now - t->auth_end > dss_bound(t, s, cs->forward_setup_window_ms)) {
		t->fwd_phase = DSS_DONE;
		return;
	}
	if (t->fwd_recs < UINT8_MAX)
		t->fwd_recs++;
	if (t->fwd_req == 0)
		dss_request(cs, t, z, now, len);
	else if (dss_reacted(t, z, len, hk))
		t->fwd_phase = DSS_DONE;  /* it may answer a hidden reply */
	else if (t->fwd_flags & (DSS_SRV_HIDDEN | DSS_SRV_PUSH))
		t->fwd_flags |= DSS_CLI_AFTER_SRV;
}

bool
det_ssh_setup_packet(const struct cfg_ssh *cs, struct flow *f, int dir,
    uint32_t now, uint32_t len)
{
	struct ssh_track *t = &f->c->u->ssh.track;
	struct ssh_sizing z;
	bool hk;

	if (!t->sized)
		return false;
	/* Compressed records do not tell payload lengths: no size rules. */
	if (ssh_compressed(&f->c->u->ssh.hs) || !det_ssh_setup_sizing(f, dir, &z)) {
		t->fwd_phase = DSS_DONE;
		return false;
	}
	hk = t->hk_reply == 0 && dss_hostkeys(cs, f, dir, now, len, &z);
	if (t->fwd_phase != DSS_DONE)
		dss_setup(cs, f, dir, now, len, &z, hk);
	return hk;
}

int
det_ssh_setup_confidence(const struct ssh_track *t)
{
	int c = 75;

	if (t->fwd_flags & DSS_REQ_COALESCED)
		c -= 15;
	if (t->fwd_flags & DSS_REPLY_PORT)
		c -= 10;
	if (t->fwd_flags & DSS_REQ_LONG_ADDR)
		c -= 10;
	/*
	 * An ordinary start whose confirmation hid in a coalesced server
	 * segment, followed by a channel request of the session open's size
	 * (a short exec) answered by CHANNEL_SUCCESS, would read the same.
	 * Without a client record after such a segment the reply can only
	 * answer the request: a CHANNEL_OPEN gets a confirmation, which is
	 * larger.
	 */
	if ((t->fwd_flags & DSS_REQ_SESSION_SIZE) &&
	    (t->fwd_flags & DSS_REPLY_SHARED) &&
	    (t->fwd_flags & DSS_CLI_AFTER_SRV))
		c -= 10;
	return c;
}
