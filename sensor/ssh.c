/*
 * ssh.c - the SSH-2 handshake dissector (see ssh.h).
 *
 * Each direction is a little state machine: banner lines until the
 * "SSH-" line, then cleartext binary packets (RFC 4253 section 6) until
 * NEWKEYS, after which everything is encrypted and ignored.  Bytes arrive
 * in a borrowed stash; every complete unit is parsed through a cursor and
 * consumed.  The one exception is a KEXINIT: it stays at the front of its
 * stash ("held") until the other side's KEXINIT has been seen and the
 * roles are known from the KEX message codes, because only then can the
 * algorithms be negotiated from the client's preference.  Roles come
 * from what a direction sends, never from ports, so a TCP initiator that
 * answers with an ECDH reply is reported as the SSH server.
 *
 * This module owns no memory, never allocates, never logs (a bad stream is
 * a status the caller counts) and never keeps a pointer to packet bytes.
 */
#include <string.h>

#include "classify.h"
#include "cursor.h"
#include "ssh.h"
#include "util.h"

enum ssh_phase { SSH_PH_BANNER, SSH_PH_PACKETS, SSH_PH_DONE };

#define SSH_MSG_KEXINIT		20
#define SSH_MSG_NEWKEYS		21
#define SSH_MSG_KEX_FIRST	30	/* method-specific KEX codes */
#define SSH_MSG_KEX_LAST	49
#define SSH_NAME_MAX		64	/* RFC 4251 section 6 (bytes) */

/* The ten name-lists of a KEXINIT, in wire order (RFC 4253 7.1). */
enum ssh_list {
	SSH_L_KEX, SSH_L_HOSTKEY, SSH_L_ENC_C2S, SSH_L_ENC_S2C,
	SSH_L_MAC_C2S, SSH_L_MAC_S2C, SSH_L_COMP_C2S, SSH_L_COMP_S2C,
	SSH_L_LANG_C2S, SSH_L_LANG_S2C, SSH_L_N
};

struct ssh_cipher_size {
	const char	*name;
	uint8_t		 block;		/* bytes */
	uint8_t		 tag;		/* AEAD tag (bytes), else 0 */
	bool		 aead;
	bool		 len_enc;	/* packet_length encrypted (non-ETM) */
};

static const struct ssh_cipher_size ssh_ciphers[] = {
	{ "chacha20-poly1305@openssh.com",	8, 16, true, true },
	{ "aes128-gcm@openssh.com",		16, 16, true, false },
	{ "aes256-gcm@openssh.com",		16, 16, true, false },
	{ "aes128-ctr",				16, 0, false, true },
	{ "aes192-ctr",				16, 0, false, true },
	{ "aes256-ctr",				16, 0, false, true },
	{ "aes128-cbc",				16, 0, false, true },
	{ "aes192-cbc",				16, 0, false, true },
	{ "aes256-cbc",				16, 0, false, true },
	{ "rijndael-cbc@lysator.liu.se",	16, 0, false, true },
	{ "3des-cbc",				8, 0, false, true },
	{ "blowfish-cbc",			8, 0, false, true },
	{ "cast128-cbc",			8, 0, false, true },
	{ "none",				8, 0, false, false },
};

struct ssh_mac_size {
	const char	*name;
	uint8_t		 len;		/* bytes */
	bool		 etm;
};

static const struct ssh_mac_size ssh_macs[] = {
	{ "hmac-sha2-256",			32, false },
	{ "hmac-sha2-512",			64, false },
	{ "hmac-sha1",				20, false },
	{ "hmac-sha1-96",			12, false },
	{ "hmac-md5",				16, false },
	{ "hmac-md5-96",			12, false },
	{ "umac-64@openssh.com",		8, false },
	{ "umac-128@openssh.com",		16, false },
	{ "hmac-sha2-256-etm@openssh.com",	32, true },
	{ "hmac-sha2-512-etm@openssh.com",	64, true },
	{ "hmac-sha1-etm@openssh.com",		20, true },
	{ "hmac-sha1-96-etm@openssh.com",	12, true },
	{ "hmac-md5-etm@openssh.com",		16, true },
	{ "hmac-md5-96-etm@openssh.com",	12, true },
	{ "umac-64-etm@openssh.com",		8, true },
	{ "umac-128-etm@openssh.com",		16, true },
	{ "none",				0, false },
};

void
ssh_info_init(struct ssh_info *si)
{
	memset(si, 0, sizeof(*si));
	si->client_dir = -1;
	si->error_dir = -1;
	si->status = SSH_MORE;
	si->names_used = 1;	/* names[0] is the "" every unset name reads */
}

const char *
ssh_error_name(uint8_t error)
{
	static const char *const names[] = {
		[SSH_ERR_NONE] = "none",
		[SSH_ERR_LENGTH] = "bad_length",
		[SSH_ERR_TOO_LARGE] = "too_large",
		[SSH_ERR_KEXINIT] = "kexinit_malformed",
		[SSH_ERR_TOO_MANY] = "too_many_packets",
		[SSH_ERR_ARGUMENT] = "bad_argument",
	};

	return error < sizeof(names) / sizeof(names[0]) ? names[error] :
	    "unknown";
}

/* Notes why direction dir was refused; returns SSH_ERROR. */
static enum ssh_status
ssh_fail(struct ssh_info *si, int dir, enum ssh_error why)
{
	if (si->error == SSH_ERR_NONE) {
		si->error = (uint8_t)why;
		si->error_dir = (int8_t)dir;
	}
	return SSH_ERROR;
}

/* True when the bytes at the read position start with s (all of it). */
static bool
ssh_prefix(const struct cursor *c, const char *s)
{
	size_t i;

	for (i = 0; s[i] != '\0'; i++)
		if (!cur_has(c, i + 1) || cur_peek(c, i) != (uint8_t)s[i])
			return false;
	return true;
}

bool
ssh_looks_like(const uint8_t *p, size_t n)
{
	static const char magic[] = "SSH-";
	struct cursor c;
	size_t i;

	cur_init(&c, p, n);
	if (cur_left(&c) == 0)
		return false;
	for (i = 0; i < 4 && cur_has(&c, i + 1); i++)
		if (cur_peek(&c, i) != (uint8_t)magic[i])
			return false;
	return true;
}

const char *
ssh_algo(const struct ssh_info *si, enum ssh_algo a)
{
	if ((unsigned)a >= SSH_ALGOS || si->algo_at[a] >= sizeof(si->names))
		return "";
	return si->names + si->algo_at[a];
}

void
ssh_algo_set(struct ssh_info *si, enum ssh_algo a, const char *name)
{
	size_t n, room;
	int i;

	if ((unsigned)a >= SSH_ALGOS)
		return;
	si->algo_at[a] = 0;
	if (name[0] == '\0')
		return;
	for (i = 0; i < SSH_ALGOS; i++)		/* the same name: share it */
		if (si->algo_at[i] != 0 &&
		    strcmp(si->names + si->algo_at[i], name) == 0) {
			si->algo_at[a] = si->algo_at[i];
			return;
		}
	if (si->names_used == 0)	/* a zeroed ssh_info */
		si->names_used = 1;
	room = sizeof(si->names) - si->names_used;
	if ((n = strlen(name)) > SSH_ALGO_MAX - 1)
		n = SSH_ALGO_MAX - 1;
	if (n > room - 1 || room < 2) {
		si->algos_cut = true;
		if (room < 2)
			return;
		n = room - 1;
	}
	memcpy(si->names + si->names_used, name, n);
	si->names[si->names_used + n] = '\0';
	si->algo_at[a] = si->names_used;
	si->names_used = (uint8_t)(si->names_used + n + 1);
}

void
ssh_hassh_hex(const struct ssh_side *sd, bool client, char out[33])
{
	static const char hex[] = "0123456789abcdef";
	const uint8_t *h = client ? sd->hassh_client : sd->hassh_server;
	int i;

	out[0] = '\0';
	if (!sd->kexinit_seen)
		return;
	for (i = 0; i < 16; i++) {
		out[2 * i] = hex[h[i] >> 4];
		out[2 * i + 1] = hex[h[i] & 15];
	}
	out[32] = '\0';
}

bool
ssh_compressed(const struct ssh_info *si)
{
	const char *c2s = ssh_algo(si, SSH_A_COMP_C2S);
	const char *s2c = ssh_algo(si, SSH_A_COMP_S2C);

	return (c2s[0] != '\0' && strcmp(c2s, "none") != 0) ||
	    (s2c[0] != '\0' && strcmp(s2c, "none") != 0);
}

void
ssh_info_swap(struct ssh_info *si)
{
	UTIL_SWAP2(si->side);
	UTIL_SWAP2(si->st);
	if (si->client_dir >= 0)
		si->client_dir = (int8_t)!si->client_dir;
}

const char *
ssh_role_name(const struct ssh_info *si, int dir)
{
	if (si == NULL || si->client_dir < 0 || (dir != 0 && dir != 1))
		return "unknown";
	return dir == si->client_dir ? "client" : "server";
}

/* Reads the next comma-separated name into name (truncated); false at end. */
static bool
ssh_next_name(struct cursor *l, char name[SSH_NAME_MAX + 1])
{
	size_t n = 0;
	uint8_t ch;

	if (cur_left(l) == 0)
		return false;
	while (cur_left(l) > 0 && (ch = cur_u8(l)) != ',')
		if (n < SSH_NAME_MAX)
			name[n++] = (char)ch;
	name[n] = '\0';
	return true;
}

/* True when the name-list l (a copy) contains exactly name. */
static bool
ssh_list_has(struct cursor l, const char *name)
{
	char n[SSH_NAME_MAX + 1];

	while (ssh_next_name(&l, n))
		if (strcmp(n, name) == 0)
			return true;
	return false;
}

/*
 * RFC 4253 7.1: the first client algorithm the server also lists.  For the
 * KEX list the pseudo-algorithms (ext-info-*, kex-strict-*) are markers,
 * not methods, and are skipped.
 */
static void
ssh_pick(struct ssh_info *si, enum ssh_algo a, struct cursor cl,
    struct cursor sl, bool kex)
{
	char n[SSH_NAME_MAX + 1];

	ssh_algo_set(si, a, "");
	while (ssh_next_name(&cl, n)) {
		if (n[0] == '\0')
			continue;
		if (kex && (strncmp(n, "ext-info-", 9) == 0 ||
		    strncmp(n, "kex-strict-", 11) == 0))
			continue;
		if (ssh_list_has(sl, n)) {
			ssh_algo_set(si, a, n);
			return;
		}
	}
}

static bool
ssh_is_aead(const char *cipher)
{
	size_t i;

	for (i = 0; i < sizeof(ssh_ciphers) / sizeof(ssh_ciphers[0]); i++)
		if (strcmp(ssh_ciphers[i].name, cipher) == 0)
			return ssh_ciphers[i].aead;
	return false;
}

/*
 * Splits a KEXINIT payload (read position after the message code) into
 * its ten name-lists as child cursors.  False when a list runs past the
 * packet or the trailing boolean and reserved word are missing.
 */
static bool
ssh_kexinit_lists(struct cursor *pl, struct cursor nl[SSH_L_N])
{
	uint32_t len;
	int i;

	cur_skip(pl, 16);			/* cookie */
	for (i = 0; i < SSH_L_N; i++) {
		len = cur_be32(pl);
		if (!cur_ok(pl) || len > cur_left(pl))
			return false;
		nl[i] = cur_sub(pl, len);
	}
	(void)cur_u8(pl);			/* first_kex_packet_follows */
	(void)cur_be32(pl);			/* reserved */
	return cur_ok(pl);
}

/* The KEXINIT packet held at the front of a stash direction. */
static bool
ssh_kexinit_at(const uint8_t *buf, size_t len, struct cursor nl[SSH_L_N])
{
	struct cursor c, pl;
	uint32_t plen;
	uint8_t padl;

	cur_init(&c, buf, len);
	plen = cur_be32(&c);
	padl = cur_u8(&c);
	if (!cur_ok(&c) || plen < 5 || padl >= plen - 1 ||
	    plen - 1 > cur_left(&c))
		return false;
	pl = cur_sub(&c, plen - 1 - padl);
	if (cur_u8(&pl) != SSH_MSG_KEXINIT)
		return false;
	return ssh_kexinit_lists(&pl, nl);
}

/* HASSH-style MD5 of "kex;enc;mac;comp"; a payload always fits buf. */
static void
ssh_hassh(const struct cursor nl[SSH_L_N], int enc, int mac, int comp,
    uint8_t out[16])
{
	uint8_t buf[STASH_DIR_BYTES];
	const int idx[4] = { SSH_L_KEX, enc, mac, comp };
	struct cursor l;
	size_t n = 0, k;
	int i;

	for (i = 0; i < 4; i++) {
		if (i > 0 && n < sizeof(buf))
			buf[n++] = ';';
		l = nl[idx[i]];
		k = cur_left(&l);
		if (k > sizeof(buf) - n)
			k = sizeof(buf) - n;
		cur_bytes(&l, buf + n, k);
		n += k;
	}
	cls_md5(buf, n, out);
}

/* Fills the negotiated fields from the two KEXINITs held in st. */
static void
ssh_negotiate(struct ssh_info *si, const struct stash *st)
{
	struct cursor cn[SSH_L_N], sn[SSH_L_N];
	int c = si->client_dir, s = !si->client_dir;

	if (!ssh_kexinit_at(st->buf[c], si->st[c].held, cn) ||
	    !ssh_kexinit_at(st->buf[s], si->st[s].held, sn))
		return;
	ssh_pick(si, SSH_A_KEX, cn[SSH_L_KEX], sn[SSH_L_KEX], true);
	ssh_pick(si, SSH_A_HOSTKEY, cn[SSH_L_HOSTKEY], sn[SSH_L_HOSTKEY],
	    false);
	ssh_pick(si, SSH_A_CIPHER_C2S, cn[SSH_L_ENC_C2S], sn[SSH_L_ENC_C2S],
	    false);
	ssh_pick(si, SSH_A_CIPHER_S2C, cn[SSH_L_ENC_S2C], sn[SSH_L_ENC_S2C],
	    false);
	ssh_pick(si, SSH_A_COMP_C2S, cn[SSH_L_COMP_C2S], sn[SSH_L_COMP_C2S],
	    false);
	ssh_pick(si, SSH_A_COMP_S2C, cn[SSH_L_COMP_S2C], sn[SSH_L_COMP_S2C],
	    false);
	ssh_algo_set(si, SSH_A_MAC_C2S, "");
	ssh_algo_set(si, SSH_A_MAC_S2C, "");
	if (!ssh_is_aead(ssh_algo(si, SSH_A_CIPHER_C2S)))
		ssh_pick(si, SSH_A_MAC_C2S, cn[SSH_L_MAC_C2S],
		    sn[SSH_L_MAC_C2S], false);
	if (!ssh_is_aead(ssh_algo(si, SSH_A_CIPHER_S2C)))
		ssh_pick(si, SSH_A_MAC_S2C, cn[SSH_L_MAC_S2C],
		    sn[SSH_L_MAC_S2C], false);
	si->strict_kex =
	    ssh_list_has(cn[SSH_L_KEX], "kex-strict-c-v00@openssh.com") &&
	    ssh_list_has(sn[SSH_L_KEX], "kex-strict-s-v00@openssh.com");
}

/*
 * Negotiates once both KEXINITs are held and the roles known, then
 * releases what each direction held (all of it past NEWKEYS).
 */
static void
ssh_try_negotiate(struct ssh_info *si, struct stash *st)
{
	int d;

	if (si->negotiated || si->client_dir < 0 ||
	    !si->side[0].kexinit_seen || !si->side[1].kexinit_seen)
		return;
	ssh_negotiate(si, st);
	si->negotiated = true;
	for (d = 0; d < 2; d++) {
		stash_consume(st, d, si->st[d].phase == SSH_PH_DONE ?
		    st->len[d] : si->st[d].held);
		si->st[d].held = 0;
	}
}

/* A KEX message code tells who is the client: 30, 32, 34 vs 31, 33. */
static void
ssh_role_from_code(struct ssh_info *si, int dir, uint8_t code)
{
	if (si->client_dir >= 0 || !si->side[dir].kexinit_seen)
		return;
	if (code == 30 || code == 32 || code == 34)
		si->client_dir = (int8_t)dir;
	else if (code == 31 || code == 33)
		si->client_dir = (int8_t)!dir;
}

/* One banner or pre-banner line; *used = 0 when it is not complete yet. */
static enum ssh_status
ssh_banner_unit(struct ssh_info *si, int dir, struct cursor *c, size_t *used)
{
	struct ssh_side *sd = &si->side[dir];
	size_t left = cur_left(c), i, n;
	uint8_t ch;

	*used = 0;
	/* The initiator's first bytes must be (a prefix of) "SSH-". */
	if (dir == 0 && !ssh_looks_like(cur_ptr(c), left))
		return left > 0 ? SSH_NOT_SSH : SSH_MORE;
	for (i = 0; i < left && i < SSH_BANNER_LINE_MAX; i++)
		if (cur_peek(c, i) == '\n')
			break;
	if (i == SSH_BANNER_LINE_MAX)
		return SSH_NOT_SSH;		/* no LF within 255 bytes */
	if (i == left)
		return SSH_MORE;
	*used = i + 1;
	n = i > 0 && cur_peek(c, i - 1) == '\r' ? i - 1 : i;
	if (ssh_prefix(c, "SSH-")) {
		if (!ssh_prefix(c, "SSH-2.0-") && !ssh_prefix(c, "SSH-1.99-"))
			return SSH_NOT_SSH;
		if (n > SSH_BANNER_MAX - 1)
			n = SSH_BANNER_MAX - 1;
		cur_bytes(c, sd->banner, n);
		sd->banner[n] = '\0';
		sd->banner_seen = true;
		si->st[dir].phase = SSH_PH_PACKETS;
		return SSH_MORE;
	}
	/* RFC 4253 4.2: other lines may precede the server's banner. */
	if (dir == 0 || ++si->st[dir].pre_lines > SSH_PRE_LINES_MAX ||
	    ssh_prefix(c, "HTTP/"))
		return SSH_NOT_SSH;
	for (i = 0; i < n; i++) {
		ch = cur_peek(c, i);
		if ((ch < 0x20 && ch != '\t') || ch == 0x7f)
			return SSH_NOT_SSH;
	}
	return SSH_MORE;
}

static enum ssh_status
ssh_kexinit(struct ssh_info *si, int dir, struct cursor *pl, uint32_t plen)
{
	struct ssh_side *sd = &si->side[dir];
	struct cursor nl[SSH_L_N];

	if (!ssh_kexinit_lists(pl, nl))
		return ssh_fail(si, dir, SSH_ERR_KEXINIT);
	ssh_hassh(nl, SSH_L_ENC_C2S, SSH_L_MAC_C2S, SSH_L_COMP_C2S,
	    sd->hassh_client);
	ssh_hassh(nl, SSH_L_ENC_S2C, SSH_L_MAC_S2C, SSH_L_COMP_S2C,
	    sd->hassh_server);
	sd->kexinit_len = plen;
	sd->kexinit_seen = true;
	return SSH_MORE;
}

/* Acts on one complete cleartext packet; used = its size on the wire. */
static enum ssh_status
ssh_on_packet(struct ssh_info *si, int dir, struct cursor *pl, uint32_t plen,
    size_t used, uint64_t ts_us)
{
	struct ssh_side *sd = &si->side[dir];
	uint8_t code = cur_u8(pl);

	if (++sd->pkts_clear > SSH_CLEAR_PKTS_MAX)
		return ssh_fail(si, dir, SSH_ERR_TOO_MANY);
	if (code == SSH_MSG_KEXINIT)
		return sd->kexinit_seen ? SSH_MORE : ssh_kexinit(si, dir, pl,
		    plen);
	/* KEX messages mean nothing before this side's KEXINIT. */
	if (!sd->kexinit_seen || (code != SSH_MSG_NEWKEYS &&
	    (code < SSH_MSG_KEX_FIRST || code > SSH_MSG_KEX_LAST)))
		return SSH_MORE;
	if (sd->n_kex_msgs < SSH_KEX_MSGS)
		sd->kex_msgs[sd->n_kex_msgs++] = code;
	ssh_role_from_code(si, dir, code);
	if (code == SSH_MSG_NEWKEYS) {
		sd->newkeys_seen = true;
		sd->newkeys_ts_us = ts_us;
		sd->newkeys_offset = (uint32_t)(si->st[dir].stream_off + used);
		si->st[dir].phase = SSH_PH_DONE;
	}
	return SSH_MORE;
}

/*
 * One binary packet; *used = 0 when it is not complete yet.  room is what
 * the stash can ever hold for this packet, so a bigger one is an error
 * now rather than a stall.
 */
static enum ssh_status
ssh_packet_unit(struct ssh_info *si, int dir, struct cursor *c, size_t room,
    size_t *used, uint64_t ts_us)
{
	struct cursor pl;
	uint32_t plen;
	uint8_t padl;

	*used = 0;
	if (!cur_has(c, 5))
		return SSH_MORE;
	plen = cur_be32(c);
	padl = cur_u8(c);
	if (plen < 5 || plen > SSH_PKT_LEN_MAX || padl >= plen - 1)
		return ssh_fail(si, dir, SSH_ERR_LENGTH);
	if ((size_t)plen + 4 > room)
		return ssh_fail(si, dir, SSH_ERR_TOO_LARGE);
	/* The code of a partial packet already tells the roles. */
	if (cur_has(c, 1))
		ssh_role_from_code(si, dir, cur_peek(c, 0));
	if (!cur_has(c, plen - 1))
		return SSH_MORE;
	pl = cur_sub(c, plen - 1 - padl);
	*used = (size_t)plen + 4;
	return ssh_on_packet(si, dir, &pl, plen, *used, ts_us);
}

/* Parses and consumes every complete unit stashed for dir. */
static enum ssh_status
ssh_parse_dir(struct ssh_info *si, struct stash *st, int dir, uint64_t ts_us)
{
	struct ssh_dir_state *ds = &si->st[dir];
	enum ssh_status rv;
	struct cursor c;
	size_t used;

	while (ds->phase != SSH_PH_DONE) {
		cur_init(&c, st->buf[dir], st->len[dir]);
		cur_skip(&c, ds->held);
		if (ds->phase == SSH_PH_BANNER)
			rv = ssh_banner_unit(si, dir, &c, &used);
		else
			rv = ssh_packet_unit(si, dir, &c,
			    STASH_DIR_BYTES - ds->held, &used, ts_us);
		if (rv != SSH_MORE)
			return rv;
		if (used > 0) {
			ds->stream_off += (uint32_t)used;
			if (si->side[dir].kexinit_seen && !si->negotiated)
				ds->held += (uint32_t)used;
			else
				stash_consume(st, dir, used);
		}
		ssh_try_negotiate(si, st);
		if (used == 0)
			break;
	}
	/* Past NEWKEYS the rest is ciphertext: drop it unless still held. */
	if (ds->phase == SSH_PH_DONE && ds->held == 0)
		stash_consume(st, dir, st->len[dir]);
	return SSH_MORE;
}

enum ssh_status
ssh_feed(struct ssh_info *si, struct stash *st, int dir, const uint8_t *p,
    size_t n, uint64_t ts_us)
{
	enum ssh_status rv;
	struct cursor in;
	size_t take;

	if (si == NULL || st == NULL || (dir != 0 && dir != 1) ||
	    (p == NULL && n > 0))
		return SSH_ERROR;
	if (si->status != SSH_MORE)
		return (enum ssh_status)si->status;
	cur_init(&in, p, n);
	while (si->st[dir].phase != SSH_PH_DONE && cur_left(&in) > 0) {
		take = STASH_DIR_BYTES - st->len[dir];
		if (take == 0) {
			/* Full and nothing parsable: a unit too big. */
			(void)ssh_fail(si, dir, SSH_ERR_TOO_LARGE);
			si->status = SSH_ERROR;
			return SSH_ERROR;
		}
		if (take > cur_left(&in))
			take = cur_left(&in);
		stash_append(st, dir, cur_ptr(&in), take);
		cur_skip(&in, take);
		if ((rv = ssh_parse_dir(si, st, dir, ts_us)) != SSH_MORE) {
			si->status = (uint8_t)rv;
			return rv;
		}
	}
	if (si->side[0].newkeys_seen && si->side[1].newkeys_seen)
		si->status = SSH_DONE;
	return (enum ssh_status)si->status;
}

bool
ssh_sizing_for(const char *cipher, const char *mac, struct ssh_sizing *out)
{
	const struct ssh_cipher_size *cs = NULL;
	const struct ssh_mac_size *ms = NULL;
	size_t i;

	memset(out, 0, sizeof(*out));
	if (cipher == NULL)
		return false;
	for (i = 0; i < sizeof(ssh_ciphers) / sizeof(ssh_ciphers[0]); i++)
		if (strcmp(ssh_ciphers[i].name, cipher) == 0)
			cs = &ssh_ciphers[i];
	if (cs == NULL)
		return false;
	out->block = cs->block;
	if (cs->aead) {
		out->mac_len = cs->tag;
		out->aead = true;
		out->length_encrypted = cs->len_enc;
		return true;
	}
	for (i = 0; mac != NULL && i < sizeof(ssh_macs) / sizeof(ssh_macs[0]);
	    i++)
		if (strcmp(ssh_macs[i].name, mac) == 0)
			ms = &ssh_macs[i];
	if (ms == NULL) {
		memset(out, 0, sizeof(*out));
		return false;
	}
	out->mac_len = ms->len;
	out->etm = ms->etm;
	out->length_encrypted = cs->len_enc && !ms->etm;
	return true;
}
