/*
 * orient.c - who started a flow the capture did not see start (see
 * orient.h).
 *
 * Owns nothing: it reads the packet in hand through a cursor and the
 * flow's own state, and swaps the flow's two directions when the
 * evidence says the first packet came from the server.  Each dissector
 * swaps its own per-direction state (ssh_info_swap, det_ssh_track_swap,
 * stratum_info_swap, stash_swap, det_mining_flow_swap); a proxy request
 * parsed from the wrong side cannot be turned around, so such a flow
 * keeps its orientation.  Never allocates, never logs.
 */
#include <string.h>
#include <netinet/in.h>

#include "cursor.h"
#include "det_mining.h"
#include "det_ssh.h"
#include "dissect.h"
#include "orient.h"

#define ORIENT_DNS_PORT		53
#define ORIENT_EPHEMERAL_MIN	32768	/* Linux and Windows ephemeral ranges */

static const char *const orient_names[] = {
	[FO_SYN] = NULL,
	[FO_SYN_ACK] = "syn_ack",
	[FO_SSH] = "ssh_banner",
	[FO_TLS] = "tls_server_hello",
	[FO_HTTP] = "http_response",
	[FO_DNS] = "dns_response",
	[FO_PORT] = "port",
	[FO_FIRST] = "first_packet",
	[FO_EVICTED_KEY] = "evicted_key",
};

const char *
orient_reason_name(const struct flow *f)
{
	if (f->orient >= sizeof(orient_names) / sizeof(orient_names[0]))
		return NULL;
	return orient_names[f->orient];
}

/*
 * Which end is the server by ports: 0 the first, 1 the second, -1 no
 * idea.  The lower port when it is well-known or registered below the
 * ephemeral ranges (a client's port is ephemeral there).
 */
static int
orient_port_server(uint16_t a, uint16_t b)
{
	uint16_t lo = a < b ? a : b;

	if (a == b || lo == 0 || lo >= ORIENT_EPHEMERAL_MIN)
		return -1;
	return a == lo ? 0 : 1;
}

/* Swaps the two directions of f and of every dissector's state. */
static bool
orient_swap(struct flow *f)
{
	struct flow_dir d;
	struct flow_cdir cd;

	if (!dissect_can_swap(f))
		return false;	/* a request read from the server side */
	f->init_is_hi = !f->init_is_hi;	/* the ends: flow_src() and friends */
	d = f->dir[0];
	f->dir[0] = f->dir[1];
	f->dir[1] = d;
	cd = f->c->dir[0];
	f->c->dir[0] = f->c->dir[1];
	f->c->dir[1] = cd;
	dissect_swap(f);
	det_mining_flow_swap(f);
	return true;
}

/* Sets the reason; swaps when the server (by that evidence) is dir 0. */
static bool
orient_decide(struct flow *f, enum flow_orient why, int server_dir,
    bool final)
{
	bool swapped = false;

	if (server_dir == 0) {
		if (!orient_swap(f)) {
			f->orient_final = true;
			return false;
		}
		swapped = true;
	}
	f->orient = (uint8_t)why;
	f->orient_final = final;
	return swapped;
}

/* A DNS message with QR set (one question, standard query) on port 53. */
static bool
orient_dns_response(const struct packet *pkt)
{
	struct cursor c;
	uint16_t flags, qd;

	if (pkt->sport != ORIENT_DNS_PORT && pkt->dport != ORIENT_DNS_PORT)
		return false;
	cur_init(&c, pkt->payload, pkt->payload_len);
	(void)cur_be16(&c);		/* id */
	flags = cur_be16(&c);
	qd = cur_be16(&c);
	return cur_ok(&c) && (flags & 0x8000) && ((flags >> 11) & 0xf) == 0 &&
	    qd == 1;
}

/* A TLS handshake record (SSL 3.0 .. TLS 1.3) opening with ServerHello. */
static bool
orient_tls_server_hello(const struct packet *pkt)
{
	struct cursor c;
	uint8_t type, major, minor, hs;
	uint16_t len;

	cur_init(&c, pkt->payload, pkt->payload_len);
	type = cur_u8(&c);
	major = cur_u8(&c);
	minor = cur_u8(&c);
	len = cur_be16(&c);
	hs = cur_u8(&c);
	return cur_ok(&c) && type == 0x16 && major == 3 && minor <= 4 &&
	    len >= 4 && hs == 2;
}

/* "HTTP/1.x NNN" or "HTTP/2 NNN" at the start of the payload. */
static bool
orient_http_response(const struct packet *pkt)
{
	static const char v1[] = "HTTP/1.", v2[] = "HTTP/2 ";
	struct cursor c;
	size_t i, at;

	cur_init(&c, pkt->payload, pkt->payload_len);
	for (i = 0; i < 7; i++)
		if (!cur_has(&c, i + 1) || cur_peek(&c, i) != (uint8_t)v1[i])
			break;
	if (i == 7) {
		if (!cur_has(&c, 9) || cur_peek(&c, 8) != ' ')
			return false;
		at = 9;
	} else {
		for (i = 0; i < 7; i++)
			if (!cur_has(&c, i + 1) ||
			    cur_peek(&c, i) != (uint8_t)v2[i])
				return false;
		at = 7;
	}
	for (i = at; i < at + 3; i++)
		if (!cur_has(&c, i + 1) || cur_peek(&c, i) < '0' ||
		    cur_peek(&c, i) > '9')
			return false;
	return true;
}

void
orient_created(struct flow *f, const struct packet *pkt, int *dir)
{
	int ps;

	/* flow.c remembered this key's initiator from before an eviction. */
	if (f->orient == FO_EVICTED_KEY) {
		f->orient_final = true;
		return;
	}
	f->orient = FO_SYN;
	f->orient_final = true;
	if (!pkt->l4_ok || pkt->fragment)
		return;
	if (f->proto == IPPROTO_TCP) {
		if ((pkt->tcp_flags & (TH_SYN | TH_ACK)) == TH_SYN)
			return;
		if ((pkt->tcp_flags & (TH_SYN | TH_ACK)) == (TH_SYN | TH_ACK)) {
			if (orient_decide(f, FO_SYN_ACK, 0, true))
				*dir = !*dir;
			return;
		}
		ps = orient_port_server(flow_sport(f), flow_dport(f));
		if (ps < 0)
			(void)orient_decide(f, FO_FIRST, 1, false);
		else if (orient_decide(f, FO_PORT, ps, false))
			*dir = !*dir;
		return;
	}
	if (f->proto != IPPROTO_UDP)
		return;
	/* UDP: the first datagram's sender, unless it answers something. */
	if (orient_dns_response(pkt)) {
		if (orient_decide(f, FO_DNS, 0, true))
			*dir = !*dir;
	} else if (orient_port_server(flow_sport(f), flow_dport(f)) == 0) {
		if (orient_decide(f, FO_PORT, 0, true))
			*dir = !*dir;
	}
}

bool
orient_packet(struct flow *f, const struct packet *pkt, int *dir)
{
	enum flow_orient why;

	if (f->orient_final || f->proto != IPPROTO_TCP || !pkt->l4_ok)
		return false;
	if (f->dir[0].pkts + f->dir[1].pkts >= ORIENT_WAIT_PKTS) {
		f->orient_final = true;
		return false;
	}
	if ((pkt->tcp_flags & (TH_SYN | TH_ACK)) == (TH_SYN | TH_ACK))
		why = FO_SYN_ACK;
	else if (pkt->payload_len == 0)
		return false;
	else if (orient_tls_server_hello(pkt))
		why = FO_TLS;
	else if (orient_http_response(pkt))
		why = FO_HTTP;
	else
		return false;
	if (!orient_decide(f, why, *dir, true))
		return false;
	*dir = !*dir;
	return true;
}

bool
orient_ssh(struct flow *f)
{
	const struct ssh_info *si = &f->c->u->ssh.hs;

	if (f->orient_final || f->app != APP_SSH || si->client_dir < 0)
		return false;
	/* The SSH server is the side that is not the SSH client. */
	return orient_decide(f, FO_SSH, !si->client_dir, true);
}

bool
orient_pending(const struct flow *f)
{
	return !f->orient_final;
}

void
orient_settle(struct flow *f)
{
	f->orient_final = true;
}
