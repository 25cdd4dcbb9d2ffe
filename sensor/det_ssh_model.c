/*
 * det_ssh_model.c - what the encrypted records of one SSH session say
 * about who is typing, and whether a handshake ran inside it.
 *
 * Sizes.  A keystroke is one SSH_MSG_CHANNEL_DATA with a few bytes; what
 * the negotiated cipher and MAC make of it (ssh_sizing_for) gives the
 * smallest and largest "small" record per direction, with room for the
 * configured number of SSH layers nested inside (an -R tunnel carries a
 * whole inner SSH record per keystroke; the inner cipher is unknown, so
 * the worst common one is assumed).
 *
 * Pairs.  A small record that finds no unanswered small record of the
 * other side waits (a short FIFO); a small record from the other side
 * within the echo bound answers the oldest one: a keystroke/echo pair,
 * credited to the side that sent first.  The echo bound is twice the
 * echoing side's round trip from the capture point (SYN/SYN-ACK, else the
 * fastest answer seen during the cleartext handshake) plus a slack, so an
 * echo is "within about a round trip" wherever the sensor sits, and a
 * typist's next key after a far echo is not taken for an answer.  A pair
 * whose keystroke side sent bulk just before it (scp's per-file replies)
 * does not count: typists do not produce the bulk output they answer.
 * After a nested handshake (another login inside), a side also types when
 * its pairs since then meet the same rule.
 * Pair intervals below the human minimum are chaff or machine traffic;
 * steady ones (OpenSSH 9.5+ ObscureKeystrokeTiming) are counted apart.
 * Slow regular pairs are keepalive-like.
 *
 * An empty SSH_MSG_IGNORE followed at once by another record of the same
 * side (asyncssh sends one in front of every message) is one event with
 * that record: the second is neither a new keystroke nor another echo.
 *
 * Set-up.  What the client asks for right after authentication (the
 * -R set-up) and OpenSSH's host-key update are read from exact sealed
 * sizes and their order in det_ssh_setup.c; the records of the host-key
 * update are kept out of the burst model.
 *
 * Bursts.  A record from the SSH server side while both sides were quiet
 * (the client for a round trip of the server longer) starts a burst; one that starts with a small record (a channel open,
 * not a rekey's KEXINIT) and in which both sides soon send
 * key-exchange-sized data is a nested handshake: an -R forward in use.
 *
 * Nothing here allocates or logs; it only reads the flow and writes
 * f->c->u->ssh.track.
 */
#include <string.h>

#include "dissect.h"
#include "det_ssh_model.h"
#include "det_ssh_setup.h"
#include "ssh.h"

#define DSM_TICK_US	100	/* one tick (us) */
#define DSM_MS		10	/* ticks per ms */
#define DSM_CHAN_DATA	9	/* msg code, channel, length (bytes) */
#define DSM_FB_MIN	16	/* bounds when the cipher is unknown */
#define DSM_FB_MAX	192
#define DSM_CHAFF_TOL	(3 * DSM_MS)	/* cadence tolerance floor */
#define DSM_PREFIX_GAP	(5 * DSM_MS)	/* an IGNORE prefix precedes by */

static uint32_t
dsm_tick(const struct flow *f, uint64_t ts_us)
{
	uint64_t k;

	if (ts_us < f->first_us)
		return 1;
	k = (ts_us - f->first_us) / DSM_TICK_US + 1;
	return k >= UINT32_MAX ? UINT32_MAX : (uint32_t)k;
}

uint64_t
det_ssh_model_us(const struct flow *f, uint32_t k)
{
	return k == 0 ? 0 : f->first_us + (uint64_t)(k - 1) * DSM_TICK_US;
}

int
det_ssh_model_server_dir(const struct flow *f)
{
	return f->c->u->ssh.hs.client_dir == 1 ? 0 : 1;
}

static uint16_t
dsm_u16(uint64_t v)
{
	return v > UINT16_MAX ? UINT16_MAX : (uint16_t)v;
}

static void
dsm_inc16(uint16_t *v)
{
	if (*v < UINT16_MAX)
		(*v)++;
}

/*
 * Running min, max and a median estimate: the estimate moves towards
 * each sample by at most 1/16 of itself (at least 1), so a stray value
 * barely moves it while a steady one is reached in a few samples.
 */
static void
dsm_stat(struct ssh_stat *s, uint16_t n, uint64_t v)
{
	uint16_t x = dsm_u16(v), step, d;

	if (n <= 1) {
		s->min = s->max = s->med = x;
		return;
	}
	if (x < s->min)
		s->min = x;
	if (x > s->max)
		s->max = x;
	d = x > s->med ? x - s->med : s->med - x;
	step = s->med / 16 > 1 ? s->med / 16 : 1;
	if (step > d)
		step = d;
	s->med = x > s->med ? s->med + step : s->med - step;
}

bool
det_ssh_model_payload(const struct flow *f, int d, uint32_t len,
    unsigned *lo, unsigned *hi)
{
	struct ssh_sizing z;

	*lo = *hi = 0;
	return det_ssh_setup_sizing(f, d, &z) &&
	    det_ssh_setup_payload(&z, len, lo, hi);
}

/* Small-record bounds of direction d from the negotiated algorithms. */
static void
dsm_size_dir(const struct cfg_ssh *cs, struct flow *f, int d)
{
	/* the worst common inner layer: a 16-byte block, 64-byte MAC */
	static const struct ssh_sizing worst = { 16, 64, false, false, true };
	const struct ssh_info *si = &f->c->u->ssh.hs;
	struct ssh_track *t = &f->c->u->ssh.track;
	struct ssh_sizing z;
	bool c2s = d == (si->client_dir >= 0 ? si->client_dir : 0);
	unsigned p = DSM_CHAN_DATA + cs->keystroke_bytes_max;
	uint32_t i;

	if (!ssh_sizing_for(ssh_algo(si, c2s ? SSH_A_CIPHER_C2S : SSH_A_CIPHER_S2C),
	    ssh_algo(si, c2s ? SSH_A_MAC_C2S : SSH_A_MAC_S2C), &z)) {
		t->small_min[d] = DSM_FB_MIN;
		t->small_max[d] = DSM_FB_MAX;
		return;
	}
	for (i = 0; i < cs->nested_layers; i++)
		p = DSM_CHAN_DATA + det_ssh_setup_rec_len(&worst, p);
	t->small_min[d] = dsm_u16(det_ssh_setup_rec_len(&z, 1));
	t->small_max[d] = dsm_u16(det_ssh_setup_rec_len(&z, p));
}

static void
dsm_size(const struct cfg_ssh *cs, struct flow *f)
{
	struct ssh_track *t = &f->c->u->ssh.track;

	if (t->sized)
		return;
	dsm_size_dir(cs, f, 0);
	dsm_size_dir(cs, f, 1);
	t->sized = f->c->u->ssh.hs.negotiated;
}

/* Echo bound (ticks) when direction e is the one answering. */
static uint32_t
dsm_echo_bound(const struct cfg_ssh *cs, const struct ssh_track *t, int e)
{
	uint32_t cap = cs->echo_max_ms * DSM_MS, b;

	if (t->rtt[e] == 0)
		return cap;
	b = 2u * t->rtt[e] + cs->echo_slack_ms * DSM_MS;
	return b < cap ? b : cap;
}

/* Round trip of each side from the capture point, cleartext phase only. */
static void
dsm_rtt(struct flow *f, int dir, uint32_t now)
{
	struct ssh_track *t = &f->c->u->ssh.track;
	const struct ssh_info *si = &f->c->u->ssh.hs;
	uint32_t s;

	if (t->rtt[1] == 0 && f->syn_seen && f->c->dir[1].first_us >
	    f->c->dir[0].first_us)
		t->rtt[1] = dsm_u16((f->c->dir[1].first_us - f->c->dir[0].first_us) /
		    DSM_TICK_US + 1);
	if (si->side[0].newkeys_seen && si->side[1].newkeys_seen)
		return;
	if (dir == 1 && f->syn_seen)
		return;		/* SYN -> SYN-ACK is the better measure */
	if (t->last_rec[!dir] == 0 || t->last_rec[!dir] <= t->last_any[dir])
		return;
	s = now - t->last_rec[!dir];
	if (s == 0)
		s = 1;
	if (t->rtt[dir] == 0 || s < t->rtt[dir])
		t->rtt[dir] = dsm_u16(s);
}

/* Inter-key interval iv (ticks) of a pair from s: fast, human or slow. */
static void
dsm_interval(const struct cfg_ssh *cs, struct ssh_track *t, int s,
    uint32_t iv)
{
	uint32_t tol, ka = cs->keepalive_interval_min_seconds * 1000 * DSM_MS;
	uint16_t sec;

	if (iv < cs->keystroke_interval_min_ms * DSM_MS) {
		dsm_inc16(&t->fast[s]);
		tol = t->chaff_iv[s] / 4 > DSM_CHAFF_TOL ? t->chaff_iv[s] / 4 :
		    DSM_CHAFF_TOL;
		if (t->chaff_iv[s] != 0 && iv + tol >= t->chaff_iv[s] &&
		    iv <= t->chaff_iv[s] + tol)
			dsm_inc16(&t->chaff[s]);
		t->chaff_iv[s] = t->chaff_iv[s] == 0 ? dsm_u16(iv) :
		    dsm_u16(((uint32_t)t->chaff_iv[s] * 3 + iv) / 4);
		return;
	}
	dsm_inc16(&t->keys[s]);
	if (iv <= cs->keystroke_interval_max_ms * DSM_MS) {
		dsm_inc16(&t->human[s]);
		dsm_stat(&t->key_iv[s], t->human[s], iv / DSM_MS);
	}
	if (iv >= ka) {
		sec = dsm_u16(iv / (1000 * DSM_MS));
		dsm_inc16(&t->ka_pairs[s]);
		if (t->ka_iv[s] != 0 && sec + 1 + t->ka_iv[s] / 10 >=
		    t->ka_iv[s] && sec <= t->ka_iv[s] + 1 + t->ka_iv[s] / 10)
			dsm_inc16(&t->ka_regular[s]);
		t->ka_iv[s] = sec;
	}
}

/* A keystroke from s at tick tk (klen bytes) echoed at te (elen bytes). */
static void
dsm_pair(const struct cfg_ssh *cs, struct ssh_track *t, int s, uint32_t tk,
    uint16_t klen, uint32_t te, uint16_t elen)
{
	uint32_t hmax = cs->keystroke_interval_max_ms * DSM_MS;
	uint16_t n;

	/* Bulk from the keystroke side just before: a protocol reply. */
	if (t->last_bulk[s] != 0 && t->last_bulk[s] <= tk &&
	    tk - t->last_bulk[s] < hmax) {
		t->last_key[s] = tk;
		return;
	}
	if (t->last_key[s] == 0)
		dsm_inc16(&t->keys[s]);
	else if (tk > t->last_key[s])
		dsm_interval(cs, t, s, tk - t->last_key[s]);
	else
		dsm_inc16(&t->fast[s]);
	t->last_key[s] = tk;
	n = t->keys[s] + t->fast[s];
	dsm_stat(&t->ks_len[s], n, klen);
	dsm_stat(&t->echo_len[s], n, elen);
	dsm_stat(&t->echo_lat[s], n, te - tk);
}

/* A small record from dir at now: an echo of the other side, or a key. */
static void
dsm_small(const struct cfg_ssh *cs, struct ssh_track *t, int dir,
    uint32_t now, uint16_t len)
{
	int o = !dir;
	uint32_t bound = dsm_echo_bound(cs, t, dir);

	/* Forget the other side's records too old to be answered now. */
	while (t->pend_n[o] > 0 && now - t->pend[o][0] > bound) {
		memmove(&t->pend[o][0], &t->pend[o][1],
		    sizeof(t->pend[o][0]) * (SSH_TRACK_PEND - 1));
		memmove(&t->pend_len[o][0], &t->pend_len[o][1],
		    sizeof(t->pend_len[o][0]) * (SSH_TRACK_PEND - 1));
		t->pend_n[o]--;
	}
	if (t->pend_n[o] > 0) {
		dsm_pair(cs, t, o, t->pend[o][0], t->pend_len[o][0], now, len);
		memmove(&t->pend[o][0], &t->pend[o][1],
		    sizeof(t->pend[o][0]) * (SSH_TRACK_PEND - 1));
		memmove(&t->pend_len[o][0], &t->pend_len[o][1],
		    sizeof(t->pend_len[o][0]) * (SSH_TRACK_PEND - 1));
		t->pend_n[o]--;
		return;
	}
	if (t->pend_n[dir] == SSH_TRACK_PEND) {	/* drop the oldest */
		memmove(&t->pend[dir][0], &t->pend[dir][1],
		    sizeof(t->pend[dir][0]) * (SSH_TRACK_PEND - 1));
		memmove(&t->pend_len[dir][0], &t->pend_len[dir][1],
		    sizeof(t->pend_len[dir][0]) * (SSH_TRACK_PEND - 1));
		t->pend_n[dir]--;
	}
	t->pend[dir][t->pend_n[dir]] = now;
	t->pend_len[dir][t->pend_n[dir]] = len;
	t->pend_n[dir]++;
}

/*
 * Burst bookkeeping.  A burst starts with a record from the SSH server
 * side after both sides were quiet (the server's own earlier records and
 * the client's, so it is nobody's answer); it lasts nested_window_ms.
 * One that starts small (a channel open, not a rekey's KEXINIT) and in
 * which both sides then send key-exchange-sized data is a nested
 * handshake.  prev = dir's previous data record (tick).
 */
static void
dsm_burst(const struct cfg_ssh *cs, struct flow *f, int dir, uint32_t now,
    uint32_t prev, uint32_t len)
{
	struct ssh_track *t = &f->c->u->ssh.track;
	int s = det_ssh_model_server_dir(f);
	uint32_t q = cs->burst_quiet_ms * DSM_MS;

	if (t->nested_at != 0)
		return;		/* frozen: the first one is the evidence */
	/*
	 * The client's last record must be older than the server's round
	 * trip too: a later server record may be its answer (the next step
	 * of an exchange on a far link), not the start of a burst.
	 */
	if (dir == s && (prev == 0 || now - prev >= q) &&
	    now - t->last_rec[!s] >= q + t->rtt[s]) {
		t->burst_dir = (int8_t)dir;
		t->burst_start = now;
		t->burst_bytes[0] = t->burst_bytes[1] = 0;
		t->burst_big[0] = t->burst_big[1] = 0;
		t->burst_first = dsm_u16(len);
	}
	if (t->burst_dir < 0 ||
	    now - t->burst_start > cs->nested_window_ms * DSM_MS)
		return;
	if (t->burst_bytes[dir] < UINT32_MAX - len)
		t->burst_bytes[dir] += len;
	if (len > t->burst_big[dir])
		t->burst_big[dir] = dsm_u16(len);
	if (t->burst_first >= cs->kex_record_min)
		return;
	if (t->burst_bytes[0] >= cs->nested_min_bytes &&
	    t->burst_bytes[1] >= cs->nested_min_bytes &&
	    t->burst_big[0] >= cs->kex_record_min &&
	    t->burst_big[1] >= cs->kex_record_min) {
		t->nested_at = now;
		t->nested = 1;
		t->human_base[0] = t->human[0];
		t->human_base[1] = t->human[1];
	}
}

/* Bytes of this packet past direction dir's NEWKEYS (0: cleartext). */
static uint32_t
dsm_encrypted(struct flow *f, int dir, size_t n)
{
	const struct ssh_info *si = &f->c->u->ssh.hs;
	struct ssh_track *t = &f->c->u->ssh.track;
	uint32_t end, start = t->stream_off[dir];

	end = n > UINT32_MAX - start ? UINT32_MAX : start + (uint32_t)n;
	t->stream_off[dir] = end;
	if (!si->side[dir].newkeys_seen) {
		/* A handshake we could not follow: treat it all as sealed. */
		return si->status == SSH_ERROR ? end - start : 0;
	}
	if (end <= si->side[dir].newkeys_offset)
		return 0;
	if (start >= si->side[dir].newkeys_offset)
		return end - start;
	return end - si->side[dir].newkeys_offset;
}

/*
 * True when dir's record at now follows its previous one (at prev) that
 * had the size of an empty SSH_MSG_IGNORE, within DSM_PREFIX_GAP and with
 * nothing from the other side in between: the IGNORE was this message's
 * prefix (asyncssh sends one in front of every message), so the two are
 * one event and this record is neither a new keystroke nor an echo.
 */
static bool
dsm_after_ignore(const struct flow *f, int dir, uint32_t now, uint32_t prev)
{
	const struct ssh_track *t = &f->c->u->ssh.track;
	struct ssh_sizing z;

	if (prev == 0 || now - prev > DSM_PREFIX_GAP ||
	    t->last_rec[!dir] > prev || t->last_len[dir] == 0)
		return false;
	return det_ssh_setup_sizing(f, dir, &z) && t->last_len[dir] ==
	    det_ssh_setup_rec_len(&z, DSS_P_IGNORE_EMPTY);
}

bool
det_ssh_model_typing(const struct cfg_ssh *cs, const struct ssh_track *t,
    int dir)
{
	int o = !dir;
	unsigned a, b;

	if (t->human[dir] >= cs->keystrokes_min &&
	    t->human[dir] >= 2u * t->human[o])
		return true;
	/*
	 * A nested handshake starts another login: its typist is judged on
	 * the pairs since then (an -R asked for late in a session the inside
	 * user typed in, then used by someone outside).
	 */
	if (t->nested_at != 0) {
		a = (unsigned)t->human[dir] - t->human_base[dir];
		b = (unsigned)t->human[o] - t->human_base[o];
		if (a >= cs->keystrokes_min && a >= 2u * b)
			return true;
	}
	/* Obfuscated typing: a steady chaff cadence answered by the peer. */
	return t->chaff[dir] >= cs->chaff_pairs_min && t->keys[dir] >= 2 &&
	    t->chaff[dir] >= 2u * t->chaff[o];
}

int
det_ssh_model_typing_dir(const struct cfg_ssh *cs, const struct ssh_track *t)
{
	if (det_ssh_model_typing(cs, t, 1))
		return 1;
	if (det_ssh_model_typing(cs, t, 0))
		return 0;
	return -1;
}

void
det_ssh_model_packet(const struct cfg_ssh *cs, struct flow *f, int dir,
    uint64_t ts_us, size_t new_bytes, uint32_t payload_len)
{
	struct ssh_track *t = &f->c->u->ssh.track;
	uint32_t now = dsm_tick(f, ts_us), enc, prev;
	bool prefixed;

	dsm_rtt(f, dir, now);
	if (new_bytes == 0) {
		/* A pure ACK of the other side's bulk output. */
		if (payload_len == 0 && t->last_bulk[!dir] > t->last_any[dir])
			dsm_inc16(&t->bulk_acks[dir]);
		t->last_any[dir] = now;
		return;
	}
	t->last_any[dir] = now;
	prev = t->last_rec[dir];
	t->last_rec[dir] = now;
	if ((enc = dsm_encrypted(f, dir, new_bytes)) == 0)
		return;
	dsm_size(cs, f);
	prefixed = dsm_after_ignore(f, dir, now, prev);
	t->last_len[dir] = prefixed ? 0 : dsm_u16(enc);
	/* The host-key update after auth is no burst (det_ssh_setup.c). */
	if (!det_ssh_setup_packet(cs, f, dir, now, enc))
		dsm_burst(cs, f, dir, now, prev, enc);
	if (enc > t->small_max[dir]) {
		t->last_bulk[dir] = now;
		dsm_inc16(&t->bulk_recs[dir]);
		/* Output answers a pending key, but is no echo. */
		t->pend_n[!dir] = 0;
	} else if (enc >= t->small_min[dir] && !prefixed)
		dsm_small(cs, t, dir, now, dsm_u16(enc));
	t->typing = (uint8_t)((det_ssh_model_typing(cs, t, 0) ? 1 : 0) |
	    (det_ssh_model_typing(cs, t, 1) ? 2 : 0));
	if (t->rev_at == 0 && (t->typing & 2)) {
		t->rev_at = now;
		t->rev_keys = (uint32_t)t->keys[1] + t->fast[1];
	}
}
