/*
 * detect.c - the detector registry, and the detectors that need no file
 * of their own (the SSH policy checks, stratum).
 *
 * det_defs[] is the one table of detectors: a row per enum detector with
 * its name, check, confidence, evidence, incident stage and the list it
 * reads.  Everything that iterates over detectors or names one (det_check,
 * rules, incidents, `-n`, the summary, the README tests) goes through it,
 * so a detector is one enum constant (verdict.h), one row here and the
 * file that implements its functions.  Pure functions of a flow's state:
 * no allocation, no output.  The SSH
 * detectors trust our own handshake dissector (ssh.c) over nDPI, which
 * labels client and server by port order; nDPI's SSH label is only a
 * fallback for flows whose handshake we could not follow.  nDPI's
 * "Mining" label is never a verdict by itself (nDPI 4.2 calls any
 * JSON-RPC mining); `stratum` needs our dissector's proof.
 */
#include <string.h>
#include <strings.h>
#include <netinet/in.h>

#include "dissect.h"
#include "cidr.h"
#include "det_mining.h"
#include "det_ssh.h"
#include "detect.h"
#include "incident.h"
#include "util.h"

#define SSH_PORT	22

/* Our dissector saw an SSH banner from both sides. */
static bool
ssh_dissected(const struct flow *f)
{
	return f->app == APP_SSH && f->c->u->ssh.hs.side[0].banner_seen &&
	    f->c->u->ssh.hs.side[1].banner_seen;
}

bool
det_is_ssh(const struct flow *f)
{
	if (f->proto != IPPROTO_TCP)
		return false;
	return ssh_dissected(f) || strcmp(cls_app_proto(cls_res(&f->c->cls)), "ssh") == 0;
}

const char *
det_app_proto(const struct flow *f)
{
	const struct stratum_info *si = flow_stratum(f);

	if (si != NULL && si->proven)
		return "stratum";
	if (det_is_ssh(f))
		return "ssh";
	/* nDPI 4.2 calls any JSON-RPC "Mining"; unproven, it is JSON-RPC. */
	if (cls_res(&f->c->cls)->mining && si != NULL &&
	    si->rpc_lines[0] + si->rpc_lines[1] > 0)
		return "jsonrpc";
	if (cls_app_proto(cls_res(&f->c->cls))[0] != '\0')
		return cls_app_proto(cls_res(&f->c->cls));
	return "unknown";
}

/* MD5 of nothing: nDPI's HASSH of a KEXINIT it could not read. */
static bool
hassh_empty(const char *h)
{
	return strcasecmp(h, "d41d8cd98f00b204e9800998ecf8427e") == 0;
}

/* nDPI's HASSH into out, "" for none or the MD5 of nothing. */
static void
hassh_of_ndpi(const struct cls_result *r, enum cls_text t, char out[33])
{
	const char *h = cls_text(r, t);

	if (hassh_empty(h))
		h = "";
	(void)strlcpy(out, h, 33);
}

void
det_ssh_hassh(const struct flow *f, char client[33], char server[33])
{
	const struct ssh_info *si = &f->c->u->ssh.hs;
	const struct cls_result *r = cls_res(&f->c->cls);
	int cd;

	/* nDPI's only for flows our dissector never had. */
	if (f->app != APP_SSH) {
		hassh_of_ndpi(r, CLS_HASSH_CLIENT, client);
		hassh_of_ndpi(r, CLS_HASSH_SERVER, server);
		return;
	}
	cd = si->client_dir >= 0 ? si->client_dir : 0;
	ssh_hassh_hex(&si->side[cd], true, client);
	ssh_hassh_hex(&si->side[!cd], false, server);
}

const char *
det_ssh_hassh_error(const struct flow *f, bool client)
{
	const struct ssh_info *si = &f->c->u->ssh.hs;
	const struct cls_result *r = cls_res(&f->c->cls);
	const char *h;
	int d;

	if (f->app != APP_SSH) {
		h = client ? cls_text(r, CLS_HASSH_CLIENT) : cls_text(r, CLS_HASSH_SERVER);
		return hassh_empty(h) ? "ndpi_empty_kexinit" : NULL;
	}
	d = si->client_dir >= 0 ? si->client_dir : 0;
	if (!client)
		d = !d;
	if (si->side[d].kexinit_seen)
		return NULL;
	/* Refused this side's bytes, or stopped before reading them. */
	if (si->status == SSH_ERROR && si->error != SSH_ERR_NONE)
		return si->error_dir == d ? ssh_error_name(si->error) :
		    "not_parsed_after_error";
	if (si->status == SSH_NOT_SSH)
		return "not_ssh";
	if (f->dir[d].gap)
		return "stream_gap";
	if (si->status == SSH_MORE && f->dissecting)
		return NULL;	/* still reading: not yet */
	return "kexinit_not_seen";
}

/*
 * An SSH banner came from at least one side (our dissector or nDPI's).
 * nDPI also names a flow "ssh" from port 22 alone (a bare SYN of a
 * scan): no SSH verdict without a banner.
 */
static bool
ssh_banner_seen(const struct flow *f)
{
	const struct cls_result *r = cls_res(&f->c->cls);

	if (f->app == APP_SSH && (f->c->u->ssh.hs.side[0].banner_seen ||
	    f->c->u->ssh.hs.side[1].banner_seen))
		return true;
	return cls_text(r, CLS_SSH_BANNER_CLIENT)[0] != '\0' ||
	    cls_text(r, CLS_SSH_BANNER_SERVER)[0] != '\0';
}

static bool
ssh_dest_allowed(const struct cfg *c, const struct flow *f)
{
	const struct cfg_list *l = c->ssh_allowed;	/* resolved at load */

	return l != NULL && cidr_set_contains(&l->nets, flow_dst(f));
}

/*
 * SSH seen (banner from a side, and our dissector or nDPI calls it SSH):
 * what the SSH policy checks need.  The banner test first: it is the
 * cheap one, false for almost every flow.
 */
static bool
ssh_policy_flow(const struct flow *f)
{
	return ssh_banner_seen(f) && det_is_ssh(f);
}

static bool
check_nonstandard_port(struct det_ctx *dc, const struct cfg *c,
    struct flow *f, uint64_t now_us)
{
	(void)dc;
	(void)c;
	(void)now_us;
	return flow_dport(f) != SSH_PORT;	/* gate: DG_SSH_SEEN */
}

static bool
check_unapproved_destination(struct det_ctx *dc, const struct cfg *c,
    struct flow *f, uint64_t now_us)
{
	(void)dc;
	(void)now_us;
	return f->netdir == DIR_OUTBOUND && !ssh_dest_allowed(c, f);
}

/* The TCP initiator plays the SSH server. */
static bool
check_role_inversion(struct det_ctx *dc, const struct cfg *c,
    struct flow *f, uint64_t now_us)
{
	(void)dc;
	(void)c;
	(void)now_us;
	return ssh_dissected(f) && f->c->u->ssh.hs.client_dir == 1;
}

/* Proven; wait for the login (wallet) unless the dissector is done. */
static bool
check_stratum(struct det_ctx *dc, const struct cfg *c, struct flow *f,
    uint64_t now_us)
{
	const struct stratum_info *si = flow_stratum(f);

	(void)dc;
	(void)c;
	(void)now_us;
	return si != NULL && si->proven && (si->login[0] != '\0' ||
	    si->status != STRATUM_MORE || !f->dissecting);
}

static uint8_t
conf_role_inversion(const struct flow *f, enum detector d)
{
	(void)f;
	(void)d;
	return 95;
}

static uint8_t
conf_stratum(const struct flow *f, enum detector d)
{
	(void)d;
	return flow_stratum(f) != NULL && flow_stratum(f)->replies > 0 ?
	    95 : 85;
}

/* nonstandard port, unapproved destination: nDPI alone says less. */
static uint8_t
conf_ssh_policy(const struct flow *f, enum detector d)
{
	(void)d;
	return ssh_dissected(f) ? 95 : 75;
}

/* The banner a side sent: ours by direction, else nDPI's by port order. */
static const char *
ssh_banner(const struct flow *f, int dir)
{
	if (ssh_dissected(f))
		return f->c->u->ssh.hs.side[dir].banner;
	return dir == 0 ? cls_text(cls_res(&f->c->cls), CLS_SSH_BANNER_CLIENT) :
	    cls_text(cls_res(&f->c->cls), CLS_SSH_BANNER_SERVER);
}

static void
evidence_ssh_common(struct jbuf *j, const struct flow *f)
{
	jb_string(j, "identified_by", ssh_dissected(f) ? "ssh_banners" :
	    "ndpi");
	jb_string(j, "initiator_banner", ssh_banner(f, 0));
	jb_string(j, "responder_banner", ssh_banner(f, 1));
}

static void
evidence_stratum(struct jbuf *j, const struct flow *f)
{
	const struct stratum_info *si = flow_stratum(f);
	const char *names[32];
	size_t i, n;

	jb_string(j, "dialect", stratum_dialect_name(si->dialect));
	jb_open_array(j, "methods");
	n = stratum_method_names(si, names, 32);
	for (i = 0; i < n; i++)
		jb_string(j, NULL, names[i]);
	jb_close_array(j);
	jb_string(j, "first_method", si->first_method);
	if (si->agent[0] != '\0')
		jb_string(j, "agent", si->agent);
	if (si->login[0] != '\0')
		jb_string(j, "login", si->login);
	if (si->worker[0] != '\0')
		jb_string(j, "worker", si->worker);
	if (si->algo[0] != '\0')
		jb_string(j, "algo", si->algo);
	if (si->difficulty > 0)
		jb_double(j, "difficulty", si->difficulty, 3);
	jb_u64(j, "rpc_lines_toserver", si->rpc_lines[0]);
	jb_u64(j, "rpc_lines_toclient", si->rpc_lines[1]);
	jb_u64(j, "mining_lines", si->mining_lines);
	jb_u64(j, "replies", si->replies);
	jb_bool(j, "ndpi_mining", cls_res(&f->c->cls)->mining);
}

static void
ev_nonstandard_port(struct jbuf *j, const struct cfg *c, const struct flow *f,
    enum detector d)
{
	(void)c;
	(void)d;
	jb_u64(j, "dest_port", flow_dport(f));
	jb_u64(j, "standard_port", SSH_PORT);
	evidence_ssh_common(j, f);
}

static void
ev_unapproved_destination(struct jbuf *j, const struct cfg *c,
    const struct flow *f, enum detector d)
{
	const struct cfg_list *l = c != NULL ? c->ssh_allowed : NULL;

	(void)d;
	jb_string(j, "allowed_list", CFG_LIST_SSH_ALLOWED);
	jb_u64(j, "allowed_entries", l != NULL ? l->nets.n : 0);
	evidence_ssh_common(j, f);
}

static void
ev_role_inversion(struct jbuf *j, const struct cfg *c, const struct flow *f,
    enum detector d)
{
	(void)c;
	(void)d;
	jb_string(j, "initiator_role", "server");
	evidence_ssh_common(j, f);
	jb_open_array(j, "initiator_kex_msgs");
	for (int i = 0; i < f->c->u->ssh.hs.side[0].n_kex_msgs; i++)
		jb_u64(j, NULL, f->c->u->ssh.hs.side[0].kex_msgs[i]);
	jb_close_array(j);
	jb_open_array(j, "responder_kex_msgs");
	for (int i = 0; i < f->c->u->ssh.hs.side[1].n_kex_msgs; i++)
		jb_u64(j, NULL, f->c->u->ssh.hs.side[1].kex_msgs[i]);
	jb_close_array(j);
}

static void
ev_stratum(struct jbuf *j, const struct cfg *c, const struct flow *f,
    enum detector d)
{
	(void)c;
	(void)d;
	evidence_stratum(j, f);
}

/* The files' evidence writers need no config. */
static void
ev_ssh(struct jbuf *j, const struct cfg *c, const struct flow *f,
    enum detector d)
{
	(void)c;
	det_ssh_evidence(j, f, d);
}

static void
ev_mining(struct jbuf *j, const struct cfg *c, const struct flow *f,
    enum detector d)
{
	(void)c;
	det_mining_evidence(j, f, d);
}

/*
 * The registry.  Row order is the enum's, which is also the order in
 * which verdicts that start to hold on the same packet are raised.
 * Columns: name, gate, check, confidence, evidence; incident stage and
 * timeline summary; the config list the detector reads.
 */
static const struct det_def det_defs[DET_COUNT] = {
	[DET_REVERSE_SSH] = { "reverse_ssh", DG_SSH_OURS,
	    det_ssh_check_reverse, det_ssh_confidence, ev_ssh,
	    IS_TUNNEL, "outside party types in SSH", NULL },
	[DET_SSH_ROLE_INVERSION] = { "ssh_role_inversion", DG_SSH_SEEN,
	    check_role_inversion, conf_role_inversion, ev_role_inversion,
	    IS_TUNNEL, "initiator is the SSH server", NULL },
	[DET_SSH_REMOTE_FORWARD] = { "ssh_remote_forward", DG_SSH_OURS,
	    det_ssh_check_forward, det_ssh_confidence, ev_ssh,
	    IS_TUNNEL, "-R forward in outbound SSH", NULL },
	[DET_SSH_NONSTANDARD_PORT] = { "ssh_nonstandard_port", DG_SSH_SEEN,
	    check_nonstandard_port, conf_ssh_policy, ev_nonstandard_port,
	    -1, NULL, NULL },
	[DET_SSH_UNAPPROVED_DESTINATION] = { "ssh_unapproved_destination", DG_SSH_SEEN,
	    check_unapproved_destination, conf_ssh_policy, ev_unapproved_destination,
	    -1, NULL, CFG_LIST_SSH_ALLOWED },
	[DET_SSH_LONG_LIVED] = { "ssh_long_lived", DG_SSH_OURS,
	    det_ssh_check_long, det_ssh_confidence, ev_ssh,
	    IS_TUNNEL, "long-lived/reconnecting SSH", NULL },
	[DET_STRATUM] = { "stratum", DG_STRATUM,
	    check_stratum, conf_stratum, ev_stratum,
	    IS_MINING, "Stratum mining", NULL },
	[DET_MINING_POOL_TLS] = { "mining_pool_tls", DG_ANY,
	    det_mining_check_tls, det_mining_confidence, ev_mining,
	    IS_MINING, "TLS to a mining pool", CFG_LIST_MINING_POOLS },
	[DET_MINING_POOL_DNS] = { "mining_pool_dns", DG_ANY,
	    det_mining_check_dns, det_mining_confidence, ev_mining,
	    IS_MINING, "lookup of a mining pool", CFG_LIST_MINING_POOLS },
	[DET_MINING_PROXY] = { "mining_proxy", DG_ANY,
	    det_mining_check_proxy, det_mining_confidence, ev_mining,
	    IS_MINING, "proxy request to a pool", CFG_LIST_MINING_POOLS },
	[DET_CRYPTO_NODE] = { "crypto_node", DG_ANY,
	    det_mining_check_node, det_mining_confidence, ev_mining,
	    IS_NODE, "crypto node protocol", NULL },
	[DET_MINING_POOL_IP] = { "mining_pool_ip", DG_ANY,
	    det_mining_check_ip, det_mining_confidence, ev_mining,
	    IS_MINING, "traffic to a pool address", CFG_LIST_MINING_POOLS },
};

const struct det_def *
det_def(enum detector d)
{
	return &det_defs[d];
}

const char *
verdict_name(enum detector d)
{
	return (unsigned)d < DET_COUNT ? det_defs[d].name : "unknown";
}

int
verdict_lookup(const char *name)
{
	int i;

	for (i = 0; i < DET_COUNT; i++)
		if (strcmp(det_defs[i].name, name) == 0)
			return i;
	return -1;
}

/* Our SSH dissector's flow whose encrypted session the detectors track. */
static bool
ssh_tracked(const struct flow *f)
{
	return f->app == APP_SSH && f->c->u->ssh.track.started;
}

static bool
stratum_proven(const struct flow *f)
{
	const struct stratum_info *si = flow_stratum(f);

	return si != NULL && si->proven;
}

uint64_t
det_check(struct det_ctx *dc, const struct cfg *c, struct flow *f,
    uint64_t now_us)
{
	bool open[DG_COUNT];
	uint64_t m = 0;
	int d;

	open[DG_ANY] = true;
	open[DG_SSH_SEEN] = ssh_policy_flow(f);
	open[DG_SSH_OURS] = ssh_tracked(f);
	open[DG_STRATUM] = stratum_proven(f);
	/*
	 * Unrolled, the table's constant columns fold away: direct calls,
	 * the gates known per row (no cost over a hand-written sequence).
	 */
#pragma GCC unroll 64
	for (d = 0; d < DET_COUNT; d++)
		if (open[det_defs[d].gate] &&
		    det_defs[d].check(dc, c, f, now_us))
			m |= DET_BIT(d);
	return m;
}

uint8_t
det_confidence(const struct flow *f, enum detector d)
{
	return det_defs[d].confidence(f, d);
}

void
det_evidence(struct jbuf *j, const struct cfg *c, const struct flow *f,
    enum detector d)
{
	det_defs[d].evidence(j, c, f, d);
}
