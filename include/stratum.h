/*
 * stratum.h - the Stratum (mining JSON-RPC) dissector.
 *
 * Miners speak newline-delimited JSON-RPC to pools over TCP on any port,
 * in several dialects.  The caller feeds TCP payload in sequence order
 * per direction together with a stash it borrowed from the stash pool
 * when the flow's first payload looked like JSON (stratum_looks_like);
 * this module splits lines, parses them with jscan, records what a
 * verdict needs (dialect, methods, agent, login, worker, algo,
 * difficulty) and says when it is done.  It never allocates, never logs
 * and never keeps a pointer into the payload or the stash.  Passwords
 * are never copied out.
 */
#ifndef STRATUM_H
#define STRATUM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "stash.h"

#define STRATUM_MAX_LINES	32	/* lines looked at, both directions */
#define STRATUM_MAX_BYTES	8192	/* line bytes looked at per direction */
#define STRATUM_NOMINING_LINES	6	/* lines without a mining method: not us */
#define STRATUM_AFTER_PROOF	8	/* lines waited for fields once proven */
#define STRATUM_STRAY_MAX	16	/* bytes of stray fragments skipped per direction */

enum stratum_dialect {
	STRATUM_NONE,
	STRATUM_V1,		/* bitcoin-style mining.* */
	STRATUM_XMRIG,		/* login/job/submit/keepalived */
	STRATUM_ETHPROXY,	/* eth_submitLogin/eth_getWork/... */
	STRATUM_NICEHASH	/* EthereumStratum/1.0.0 */
};

/* One bit per known method, in the order stratum_method_names uses. */
enum stratum_method {
	STRATUM_M_SUBSCRIBE,		/* mining.subscribe */
	STRATUM_M_AUTHORIZE,		/* mining.authorize */
	STRATUM_M_NOTIFY,		/* mining.notify */
	STRATUM_M_SET_DIFFICULTY,	/* mining.set_difficulty */
	STRATUM_M_MINING_SUBMIT,	/* mining.submit */
	STRATUM_M_EXTRANONCE_SUBSCRIBE,	/* mining.extranonce.subscribe */
	STRATUM_M_SET_EXTRANONCE,	/* mining.set_extranonce */
	STRATUM_M_CONFIGURE,		/* mining.configure */
	STRATUM_M_SUGGEST_DIFFICULTY,	/* mining.suggest_difficulty */
	STRATUM_M_SET_TARGET,		/* mining.set_target */
	STRATUM_M_PING,			/* mining.ping */
	STRATUM_M_PONG,			/* mining.pong */
	STRATUM_M_MULTI_VERSION,	/* mining.multi_version */
	STRATUM_M_SET_VERSION_MASK,	/* mining.set_version_mask */
	STRATUM_M_LOGIN,		/* login (XMRig) */
	STRATUM_M_JOB,			/* job (XMRig) */
	STRATUM_M_SUBMIT,		/* submit (XMRig) */
	STRATUM_M_KEEPALIVED,		/* keepalived (XMRig) */
	STRATUM_M_GETJOB,		/* getjob (XMRig) */
	STRATUM_M_ETH_SUBMITLOGIN,	/* eth_submitLogin */
	STRATUM_M_ETH_GETWORK,		/* eth_getWork */
	STRATUM_M_ETH_SUBMITWORK,	/* eth_submitWork */
	STRATUM_M_ETH_SUBMITHASHRATE,	/* eth_submitHashrate */
	STRATUM_M_COUNT
};

enum stratum_status {
	STRATUM_MORE,	/* keep feeding */
	STRATUM_DONE,	/* final: fields filled, verdict in si->proven */
	STRATUM_NOT	/* final: not Stratum (or nothing to show) */
};

struct stratum_info {
	enum stratum_dialect dialect;
	uint32_t	 methods;	/* 1 << STRATUM_M_*: mining methods seen, both directions */
	uint16_t	 rpc_lines[2];	/* valid JSON-RPC lines per direction (request, notification, response) */
	uint16_t	 mining_lines;	/* lines with a mining method */
	uint16_t	 replies;	/* responses (id + result/error) from the other side of a request */
	uint16_t	 skipped[2];	/* stray bytes skipped before a direction's first line (bytes) */
	char		 agent[64];	/* XMRig "agent" or mining.subscribe params[0] */
	char		 login[128];	/* wallet/user, the part before the first '.' */
	char		 worker[64];	/* after the '.', XMRig rigid, eth_submitLogin "worker" */
	char		 algo[32];	/* XMRig job "algo", else the login's first "algo" entry */
	double		 difficulty;	/* set_difficulty / "difficulty", else from an XMRig target */
	uint16_t	 ports_hint;	/* unused here; left 0 */
	bool		 proven;	/* conclusive: the verdict fires */
	uint64_t	 proven_ts_us;	/* packet time it became proven */
	char		 first_method[32];	/* first mining method seen */

	/* dissector state: not evidence */
	enum stratum_status status;	/* final status once reached */
	uint16_t	 lines;		/* non-blank lines parsed, both directions */
	uint16_t	 proven_lines;	/* lines when proven */
	uint32_t	 bytes[2];	/* line bytes consumed per direction */
	bool		 seen[2];	/* a line arrived from this direction */
	bool		 req[2];	/* a request came from this direction */
	bool		 mining_req[2];	/* a mining request came from this direction */
	bool		 weak_login[2];	/* XMRig-ish "login" awaiting a job to count */
	bool		 have_job;	/* an XMRig job was seen */
};

/* Clears si before the first stratum_feed of a flow. */
void		 stratum_info_init(struct stratum_info *si);

/* True when the first non-whitespace byte of p[0, n) is '{'. */
bool		 stratum_looks_like(const uint8_t *p, size_t n);

/*
 * Feeds n payload bytes from direction dir (0 = TCP initiator, 1 =
 * responder) at packet time ts_us.  p is borrowed for the call; st is the
 * flow's stash, appended to and consumed from (lines split on LF, an
 * optional CR dropped).  Returns STRATUM_MORE while it wants more, or a
 * final status, after which the caller returns st to its pool; later
 * calls just return the final status again.  A line longer than the
 * stash, a direction whose first line is not a JSON object, or
 * STRATUM_NOMINING_LINES lines with no mining method end it.  A short
 * fragment without '{' before a direction's first line (the tail of a
 * reply, such as `"}` + LF, some pools send first) is skipped up to the
 * next LF, at most STRATUM_STRAY_MAX bytes a direction, and counted in
 * si->skipped[dir].
 */
enum stratum_status stratum_feed(struct stratum_info *si, struct stash *st,
		    int dir, const uint8_t *p, size_t n, uint64_t ts_us);

/* Exchanges the two directions' state (the flow was turned around). */
void		 stratum_info_swap(struct stratum_info *si);

/* "stratum1", "xmrig", "ethproxy", "ethereumstratum", or "" for none. */
const char	*stratum_dialect_name(enum stratum_dialect d);

/*
 * Fills out[0, max) with the names of the methods in si->methods, in
 * enum stratum_method order (static strings); returns the count.
 */
size_t		 stratum_method_names(const struct stratum_info *si,
		    const char **out, size_t max);

#endif /* STRATUM_H */
