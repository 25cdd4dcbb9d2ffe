/*
 * ssh.h - the SSH-2 handshake dissector (cleartext part, both directions).
 *
 * Fed the TCP payload of one flow per direction, in sequence order, it
 * records what each direction of travel sent: banner, KEXINIT (HASSH),
 * the key-exchange messages and NEWKEYS.  Roles are decided by who sends
 * which KEX message, never by port: the side that sends KEXDH/ECDH_INIT
 * (30) or a GEX request/init (34, 32) is the SSH client.  Once roles and
 * both KEXINITs are known the algorithms are negotiated as in RFC 4253
 * section 7.1 (first client algorithm the server also lists).
 *
 * Reassembly uses a borrowed struct stash (stash.h); the dissector never
 * allocates.  A KEXINIT stays in its stash until the roles are known, so a
 * direction can hold at most STASH_DIR_BYTES of KEXINIT plus the packets
 * that follow it before negotiation.
 */
#ifndef SSH_H
#define SSH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "stash.h"

#define SSH_BANNER_MAX	64	/* stored banner with NUL (bytes) */
#define SSH_ALGO_MAX	48	/* stored algorithm name with NUL (bytes) */
/*
 * The negotiated names share one store, each distinct name once: the
 * usual five (kex, hostkey, cipher, MAC, compression; both directions
 * alike) fit with room to spare.  A name that does not fit is cut to the
 * room left and ssh_info.algos_cut says so (records show it).
 */
#define SSH_NAMES_BYTES	160
#define SSH_BANNER_LINE_MAX 255	/* RFC 4253 4.2: line incl. CR LF */
#define SSH_PRE_LINES_MAX 8	/* responder lines before "SSH-" */
#define SSH_PKT_LEN_MAX	35000	/* largest packet_length (bytes) */
#define SSH_CLEAR_PKTS_MAX 64	/* cleartext packets per direction */
#define SSH_KEX_MSGS	4	/* message codes kept per direction */

struct ssh_side {			/* what one direction sent */
	/* "SSH-2.0-...", CR/LF stripped, raw bytes, truncated */
	char		banner[SSH_BANNER_MAX];
	/* md5 of "kex;enc_c2s;mac_c2s;comp_c2s" (HASSH; ssh_hassh_hex) */
	uint8_t		hassh_client[16];
	/* md5 of "kex;enc_s2c;mac_s2c;comp_s2c" (HASSHServer) */
	uint8_t		hassh_server[16];
	uint32_t	kexinit_len;	/* its KEXINIT packet_length (bytes) */
	/* codes sent after KEXINIT (21, 30..49), in order */
	uint8_t		kex_msgs[SSH_KEX_MSGS];
	uint8_t		n_kex_msgs;
	uint32_t	pkts_clear;	/* cleartext binary packets (pkts) */
	uint64_t	newkeys_ts_us;	/* NEWKEYS fed at (0 = not yet) */
	/* stream offset where the encrypted part starts (bytes) */
	uint32_t	newkeys_offset;
	bool		banner_seen, kexinit_seen, newkeys_seen;
};

/* Parser state per direction: private to ssh.c. */
struct ssh_dir_state {
	uint32_t	stream_off;	/* bytes parsed so far */
	uint32_t	held;		/* parsed bytes kept at stash front */
	uint8_t		phase;		/* banner, packets, done */
	uint8_t		pre_lines;	/* lines before "SSH-" */
};

/* The negotiated algorithms (RFC 4253 7.1); ssh_algo() reads them. */
enum ssh_algo {
	SSH_A_KEX, SSH_A_HOSTKEY,
	SSH_A_CIPHER_C2S, SSH_A_CIPHER_S2C,
	SSH_A_MAC_C2S, SSH_A_MAC_S2C,	/* "" when the cipher is AEAD */
	SSH_A_COMP_C2S, SSH_A_COMP_S2C,	/* "none", "zlib@openssh.com" */
	SSH_ALGOS
};

struct ssh_info {
	struct ssh_side	side[2];	/* [0] initiator's, [1] responder's */
	int8_t		client_dir;	/* -1 unknown, else the SSH client */
	/* where each negotiated name starts in names (0: "", not yet) */
	uint8_t		algo_at[SSH_ALGOS];
	uint8_t		names_used;	/* bytes of names taken */
	bool		algos_cut;	/* a name was cut: names was full */
	char		names[SSH_NAMES_BYTES];	/* [0] = '\0', then the names */
	bool		strict_kex;	/* kex-strict-{c,s}-v00 by both */
	bool		negotiated;	/* the fields above are filled */
	uint8_t		status;		/* sticky enum ssh_status (private) */
	uint8_t		error;		/* enum ssh_error once SSH_ERROR */
	int8_t		error_dir;	/* direction whose bytes were refused, -1 */
	struct ssh_dir_state st[2];	/* private */
};

enum ssh_status { SSH_MORE, SSH_DONE, SSH_NOT_SSH, SSH_ERROR };

enum ssh_error {	/* why SSH_ERROR (ssh_info.error) */
	SSH_ERR_NONE,
	SSH_ERR_LENGTH,		/* packet_length or padding_length lies */
	SSH_ERR_TOO_LARGE,	/* a unit larger than the stash */
	SSH_ERR_KEXINIT,	/* a KEXINIT whose name-lists or trailer do not fit */
	SSH_ERR_TOO_MANY,	/* more than SSH_CLEAR_PKTS_MAX cleartext packets */
	SSH_ERR_ARGUMENT,	/* a bad call */
};

/* Clears si; client_dir becomes -1. */
void		 ssh_info_init(struct ssh_info *si);

/* True when p starts with "SSH-" (or a prefix of it when n < 4); n > 0. */
bool		 ssh_looks_like(const uint8_t *p, size_t n);

/*
 * Feeds n payload bytes of direction dir (0 = sent by the TCP initiator)
 * at packet time ts_us.  p is borrowed for the call; st is the flow's
 * stash (borrowed, the caller owns and returns it to its pool once the
 * result is not SSH_MORE).  Parses every complete banner line or binary
 * packet and consumes it from st.
 *   SSH_MORE     need more bytes.
 *   SSH_DONE     both sides sent NEWKEYS; later feeds are ignored.
 *   SSH_NOT_SSH  a direction's first line is not an SSH-2 (or 1.99)
 *                banner, or no LF within SSH_BANNER_LINE_MAX bytes.  The
 *                responder (only) may first send up to SSH_PRE_LINES_MAX
 *                printable lines not starting "HTTP/" (RFC 4253 4.2).
 *   SSH_ERROR    a lying length (packet_length < 5 or > SSH_PKT_LEN_MAX,
 *                padding_length leaving no payload, a name-list beyond
 *                its packet, a KEXINIT without its trailer), a unit larger
 *                than the stash, more than SSH_CLEAR_PKTS_MAX cleartext
 *                packets in a direction, or a bad argument.
 * The negotiated fields are filled (si->negotiated) once both KEXINITs
 * and the roles are known; they stay "" if the roles never show.
 * The status is sticky: once not SSH_MORE, every later call returns it.
 */
enum ssh_status	 ssh_feed(struct ssh_info *si, struct stash *st, int dir,
		    const uint8_t *p, size_t n, uint64_t ts_us);

/* The negotiated name of a, "" until negotiated (or when none applies). */
const char	*ssh_algo(const struct ssh_info *si, enum ssh_algo a);
/* Sets the name of a (the dissector, tests), cut to SSH_ALGO_MAX - 1. */
void		 ssh_algo_set(struct ssh_info *si, enum ssh_algo a,
		    const char *name);
/* The lowercase hex of a HASSH digest; "" when kexinit_seen is false. */
void		 ssh_hassh_hex(const struct ssh_side *sd, bool client,
		    char out[33]);

/*
 * True when compression was negotiated for either direction: record
 * sizes then no longer map to SSH payload lengths.
 */
bool		 ssh_compressed(const struct ssh_info *si);

/*
 * Exchanges the two directions (the flow was turned around: direction 0
 * is now the other side); the roles follow.
 */
void		 ssh_info_swap(struct ssh_info *si);

/* "kexinit_malformed", ...: why the dissector stopped (static string). */
const char	*ssh_error_name(uint8_t error);

/* "client", "server" or "unknown" for direction dir (static string). */
const char	*ssh_role_name(const struct ssh_info *si, int dir);

/* Cipher/MAC sizing of one direction, for keystroke-size models. */
struct ssh_sizing {
	uint8_t		block;		/* cipher block size (bytes) */
	uint8_t		mac_len;	/* MAC or AEAD tag length (bytes) */
	bool		etm;		/* encrypt-then-MAC */
	bool		aead;		/* chacha20-poly1305, AES-GCM */
	bool		length_encrypted; /* packet_length not in clear */
};

/*
 * Fills out for a negotiated cipher and MAC (mac may be "" or NULL for an
 * AEAD cipher).  False (out zeroed) for unknown algorithms.
 */
bool		 ssh_sizing_for(const char *cipher, const char *mac,
		    struct ssh_sizing *out);

#endif /* SSH_H */
