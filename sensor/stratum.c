/*
 * stratum.c - the Stratum (mining JSON-RPC) dissector (see stratum.h).
 *
 * nDPI 4.2 calls any JSON-RPC "Mining" and extracts no fields, so the
 * lines are parsed here: each complete line of a direction is validated
 * as one JSON object by jscan, given a JSON-RPC shape (request,
 * notification, response) and, when its method is a known mining method
 * whose params look the part, counted.  The verdict ("proven") needs a
 * mining request answered from the other side, or two distinct mining
 * methods; generic names ("login", "submit", "keepalived") only count
 * with XMRig-like params, so a chat app's login or an Ethereum node's
 * eth_blockNumber never prove anything.  Work is bounded: lines are at
 * most a stash wide, and the dissector stops after STRATUM_MAX_LINES
 * lines or STRATUM_MAX_BYTES per direction.  The module owns nothing:
 * the stash is the caller's, payload bytes are borrowed for one call,
 * and only decoded strings (never passwords) are copied into the info.
 */
#include <string.h>

#include "cursor.h"
#include "jscan.h"
#include "stash.h"
#include "stratum.h"
#include "util.h"

#define STRATUM_METHOD_MAX	40	/* longest method name looked up */

/* How strongly one line's method says "mining". */
enum stratum_level {
	SL_NONE,	/* not a mining method, or params do not fit */
	SL_WEAK,	/* "login" with login + pass: needs a job back */
	SL_MINING	/* counts */
};

enum stratum_shape {
	SS_NONE,	/* valid JSON, not JSON-RPC */
	SS_REQUEST,	/* method + non-null id */
	SS_NOTIFY,	/* method, id null or absent */
	SS_RESPONSE	/* id + result and/or error, no method */
};

struct stratum_msg {
	struct jscan_val	 root;		/* the line's object */
	struct jscan_val	 params;	/* type JSCAN_INVALID when absent */
	struct jscan_val	 result;	/* type JSCAN_INVALID when absent */
	enum stratum_shape	 shape;
	int			 method;	/* STRATUM_M_*, -1 none or unknown */
};

static const struct {
	const char		*name;
	enum stratum_dialect	 dialect;	/* what its first sighting implies */
} stratum_methods[STRATUM_M_COUNT] = {
	[STRATUM_M_SUBSCRIBE] = { "mining.subscribe", STRATUM_V1 },
	[STRATUM_M_AUTHORIZE] = { "mining.authorize", STRATUM_V1 },
	[STRATUM_M_NOTIFY] = { "mining.notify", STRATUM_V1 },
	[STRATUM_M_SET_DIFFICULTY] = { "mining.set_difficulty", STRATUM_V1 },
	[STRATUM_M_MINING_SUBMIT] = { "mining.submit", STRATUM_V1 },
	[STRATUM_M_EXTRANONCE_SUBSCRIBE] =
	    { "mining.extranonce.subscribe", STRATUM_V1 },
	[STRATUM_M_SET_EXTRANONCE] = { "mining.set_extranonce", STRATUM_V1 },
	[STRATUM_M_CONFIGURE] = { "mining.configure", STRATUM_V1 },
	[STRATUM_M_SUGGEST_DIFFICULTY] =
	    { "mining.suggest_difficulty", STRATUM_V1 },
	[STRATUM_M_SET_TARGET] = { "mining.set_target", STRATUM_V1 },
	[STRATUM_M_PING] = { "mining.ping", STRATUM_V1 },
	[STRATUM_M_PONG] = { "mining.pong", STRATUM_V1 },
	[STRATUM_M_MULTI_VERSION] = { "mining.multi_version", STRATUM_V1 },
	[STRATUM_M_SET_VERSION_MASK] =
	    { "mining.set_version_mask", STRATUM_V1 },
	[STRATUM_M_LOGIN] = { "login", STRATUM_XMRIG },
	[STRATUM_M_JOB] = { "job", STRATUM_XMRIG },
	[STRATUM_M_SUBMIT] = { "submit", STRATUM_XMRIG },
	[STRATUM_M_KEEPALIVED] = { "keepalived", STRATUM_XMRIG },
	[STRATUM_M_GETJOB] = { "getjob", STRATUM_XMRIG },
	[STRATUM_M_ETH_SUBMITLOGIN] = { "eth_submitLogin", STRATUM_ETHPROXY },
	[STRATUM_M_ETH_GETWORK] = { "eth_getWork", STRATUM_ETHPROXY },
	[STRATUM_M_ETH_SUBMITWORK] = { "eth_submitWork", STRATUM_ETHPROXY },
	[STRATUM_M_ETH_SUBMITHASHRATE] =
	    { "eth_submitHashrate", STRATUM_ETHPROXY },
};

void
stratum_info_init(struct stratum_info *si)
{
	memset(si, 0, sizeof(*si));
	si->dialect = STRATUM_NONE;
	si->status = STRATUM_MORE;
}

bool
stratum_looks_like(const uint8_t *p, size_t n)
{
	struct cursor c;
	uint8_t b;

	cur_init(&c, p, n);
	while (cur_left(&c) > 0) {
		b = cur_u8(&c);
		if (b != ' ' && b != '\t' && b != '\r' && b != '\n')
			return b == '{';
	}
	return false;
}

void
stratum_info_swap(struct stratum_info *si)
{
	UTIL_SWAP2(si->rpc_lines);
	UTIL_SWAP2(si->bytes);
	UTIL_SWAP2(si->seen);
	UTIL_SWAP2(si->req);
	UTIL_SWAP2(si->mining_req);
	UTIL_SWAP2(si->weak_login);
}

const char *
stratum_dialect_name(enum stratum_dialect d)
{
	switch (d) {
	case STRATUM_V1:
		return "stratum1";
	case STRATUM_XMRIG:
		return "xmrig";
	case STRATUM_ETHPROXY:
		return "ethproxy";
	case STRATUM_NICEHASH:
		return "ethereumstratum";
	default:
		return "";
	}
}

size_t
stratum_method_names(const struct stratum_info *si, const char **out,
    size_t max)
{
	size_t i, k = 0;

	for (i = 0; i < STRATUM_M_COUNT && k < max; i++)
		if (si->methods & (UINT32_C(1) << i))
			out[k++] = stratum_methods[i].name;
	return k;
}

/* Copies n bytes of src into dst (cap bytes), truncating, NUL-terminated. */
static void
stratum_copy(char *dst, size_t cap, const char *src, size_t n)
{
	if (cap == 0)
		return;
	if (n >= cap)
		n = cap - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

/* Decodes string v into dst unless it is not a string or is empty. */
static void
stratum_set_str(char *dst, size_t cap, const struct jscan_val *v)
{
	if (v->type == JSCAN_STRING && v->len > 2)
		(void)jscan_string(v, dst, cap);
}

/* "wallet.worker" into login and worker; no '.' leaves worker alone. */
static void
stratum_set_login(struct stratum_info *si, const struct jscan_val *v)
{
	char tmp[sizeof(si->login) + sizeof(si->worker)];
	size_t n, dot;

	if (v->type != JSCAN_STRING)
		return;
	n = jscan_string(v, tmp, sizeof(tmp));
	if (n >= sizeof(tmp))
		n = strlen(tmp);
	if (n == 0)
		return;
	for (dot = 0; dot < n && tmp[dot] != '.'; dot++)
		;
	stratum_copy(si->login, sizeof(si->login), tmp, dot);
	if (dot + 1 < n)
		stratum_copy(si->worker, sizeof(si->worker), tmp + dot + 1,
		    n - dot - 1);
}

static void
stratum_set_diff(struct stratum_info *si, const struct jscan_val *v)
{
	double d;

	if (jscan_number(v, &d) && d > 0 && d < 1e300)
		si->difficulty = d;
}

/*
 * XMRig's "target" is a little-endian hex number, 32 or 64 bits; the
 * share difficulty is its maximum divided by it.
 */
static void
stratum_target_diff(struct stratum_info *si, const struct jscan_val *v)
{
	char hex[20];
	uint64_t t = 0;
	size_t n, i;
	int nib;

	n = jscan_string(v, hex, sizeof(hex));
	if (n != 8 && n != 16)
		return;
	for (i = 0; i < n; i++) {
		if (hex[i] >= '0' && hex[i] <= '9')
			nib = hex[i] - '0';
		else if (hex[i] >= 'a' && hex[i] <= 'f')
			nib = hex[i] - 'a' + 10;
		else if (hex[i] >= 'A' && hex[i] <= 'F')
			nib = hex[i] - 'A' + 10;
		else
			return;
		/* byte i / 2, high nibble first within the byte */
		t |= (uint64_t)nib << (8 * (i / 2) + (i % 2 == 0 ? 4 : 0));
	}
	if (t == 0)
		return;
	si->difficulty = (n == 8 ? 4294967295.0 : 18446744073709551615.0) /
	    (double)t;
}

/* An XMRig job object: blob and job_id at least. */
static bool
stratum_is_job(const struct jscan_val *v)
{
	struct jscan_val x;

	return jscan_member(v, "blob", &x) && jscan_member(v, "job_id", &x);
}

static void
stratum_job(struct stratum_info *si, const struct jscan_val *job)
{
	struct jscan_val v;

	si->have_job = true;
	if (jscan_member(job, "algo", &v))
		stratum_set_str(si->algo, sizeof(si->algo), &v);
	if (jscan_member(job, "difficulty", &v) && v.type == JSCAN_NUMBER)
		stratum_set_diff(si, &v);
	else if (jscan_member(job, "target", &v))
		stratum_target_diff(si, &v);
}

static void
stratum_xmr_login(struct stratum_info *si, const struct jscan_val *params)
{
	struct jscan_val v, a;

	if (jscan_member(params, "login", &v))
		stratum_set_login(si, &v);
	if (jscan_member(params, "agent", &v))
		stratum_set_str(si->agent, sizeof(si->agent), &v);
	if (jscan_member(params, "rigid", &v))
		stratum_set_str(si->worker, sizeof(si->worker), &v);
	if (si->algo[0] == '\0' && jscan_member(params, "algo", &a) &&
	    jscan_index(&a, 0, &v))
		stratum_set_str(si->algo, sizeof(si->algo), &v);
}

/* Copies out the fields a counted (or weak) method carries. */
static void
stratum_extract(struct stratum_info *si, const struct stratum_msg *m)
{
	struct jscan_val v;

	switch (m->method) {
	case STRATUM_M_SUBSCRIBE:
		if (jscan_index(&m->params, 0, &v))
			stratum_set_str(si->agent, sizeof(si->agent), &v);
		if (jscan_index(&m->params, 1, &v) &&
		    jscan_string_prefix(&v, "EthereumStratum/") &&
		    (si->dialect == STRATUM_V1 || si->dialect == STRATUM_NONE))
			si->dialect = STRATUM_NICEHASH;
		break;
	case STRATUM_M_AUTHORIZE:
		if (jscan_index(&m->params, 0, &v))
			stratum_set_login(si, &v);
		break;
	case STRATUM_M_SET_DIFFICULTY:
		if (jscan_index(&m->params, 0, &v))
			stratum_set_diff(si, &v);
		break;
	case STRATUM_M_LOGIN:
		stratum_xmr_login(si, &m->params);
		break;
	case STRATUM_M_JOB:
		stratum_job(si, &m->params);
		break;
	case STRATUM_M_ETH_SUBMITLOGIN:
		if (jscan_index(&m->params, 0, &v))
			stratum_set_login(si, &v);
		if (jscan_member(&m->root, "worker", &v))
			stratum_set_str(si->worker, sizeof(si->worker), &v);
		break;
	default:
		break;
	}
}

/* Generic method names count only with XMRig-like params. */
static enum stratum_level
stratum_qualify(const struct stratum_info *si, const struct stratum_msg *m)
{
	const struct jscan_val *pa = &m->params;
	struct jscan_val v;

	switch (m->method) {
	case STRATUM_M_LOGIN:
		if (!jscan_member(pa, "login", &v) || v.type != JSCAN_STRING)
			return SL_NONE;
		if (jscan_member(pa, "agent", &v) && v.type == JSCAN_STRING)
			return SL_MINING;
		return jscan_member(pa, "pass", &v) ? SL_WEAK : SL_NONE;
	case STRATUM_M_JOB:
		return stratum_is_job(pa) ? SL_MINING : SL_NONE;
	case STRATUM_M_SUBMIT:
		return jscan_member(pa, "job_id", &v) &&
		    jscan_member(pa, "nonce", &v) ? SL_MINING : SL_NONE;
	case STRATUM_M_KEEPALIVED:
	case STRATUM_M_GETJOB:
		return si->dialect == STRATUM_XMRIG ? SL_MINING : SL_NONE;
	default:
		return SL_MINING;
	}
}

static void
stratum_prove(struct stratum_info *si, uint64_t ts_us)
{
	if (si->proven)
		return;
	si->proven = true;
	si->proven_ts_us = ts_us;
	si->proven_lines = si->lines;
}

/* Counts one mining method from dir and applies the proof rules. */
static void
stratum_count(struct stratum_info *si, int dir, int method, bool request,
    uint64_t ts_us)
{
	uint32_t bit = UINT32_C(1) << method;
	const char *name = stratum_methods[method].name;

	si->mining_lines++;
	if (si->first_method[0] == '\0')
		stratum_copy(si->first_method, sizeof(si->first_method),
		    name, strlen(name));
	if (si->dialect == STRATUM_NONE)
		si->dialect = stratum_methods[method].dialect;
	if ((si->methods & ~bit) != 0)
		stratum_prove(si, ts_us);	/* two distinct methods */
	si->methods |= bit;
	if (si->mining_req[!dir])
		stratum_prove(si, ts_us);	/* the other side answers */
	if (request)
		si->mining_req[dir] = true;
}

/* A weak "login" from dir is confirmed by a job from the other side. */
static void
stratum_upgrade(struct stratum_info *si, int dir, uint64_t ts_us)
{
	si->weak_login[dir] = false;
	stratum_count(si, dir, STRATUM_M_LOGIN, true, ts_us);
}

static void
stratum_method(struct stratum_info *si, int dir,
    const struct stratum_msg *m, uint64_t ts_us)
{
	enum stratum_level level;

	if (m->shape == SS_REQUEST)
		si->req[dir] = true;
	if (m->method < 0)
		return;
	level = stratum_qualify(si, m);
	if (level == SL_NONE)
		return;
	if (level == SL_WEAK) {
		if (m->shape == SS_REQUEST)
			si->weak_login[dir] = true;
		stratum_extract(si, m);
		return;
	}
	if (m->method == STRATUM_M_JOB && si->weak_login[!dir])
		stratum_upgrade(si, !dir, ts_us);
	stratum_count(si, dir, m->method, m->shape == SS_REQUEST, ts_us);
	stratum_extract(si, m);
}

static void
stratum_response(struct stratum_info *si, int dir,
    const struct stratum_msg *m, uint64_t ts_us)
{
	struct jscan_val job;

	if (si->req[!dir])
		si->replies++;
	/* XMRig's login reply carries the first job. */
	if (jscan_member(&m->result, "job", &job) && stratum_is_job(&job)) {
		stratum_job(si, &job);
		if (si->weak_login[!dir])
			stratum_upgrade(si, !dir, ts_us);
	}
	if (si->mining_req[!dir])
		stratum_prove(si, ts_us);
}

static int
stratum_lookup(const struct jscan_val *v)
{
	char name[STRATUM_METHOD_MAX];
	int i;

	if (jscan_string(v, name, sizeof(name)) >= sizeof(name))
		return -1;
	for (i = 0; i < STRATUM_M_COUNT; i++)
		if (strcmp(name, stratum_methods[i].name) == 0)
			return i;
	return -1;
}

/* Parses one line; false when it is not a single JSON object. */
static bool
stratum_parse(struct stratum_msg *m, const char *b, size_t n)
{
	struct jscan_val id, v;
	bool has_id, has_result, has_error;

	memset(m, 0, sizeof(*m));
	m->method = -1;
	m->shape = SS_NONE;
	if (!jscan_parse_object(b, n, &m->root))
		return false;
	has_id = jscan_member(&m->root, "id", &id);
	(void)jscan_member(&m->root, "params", &m->params);
	if (jscan_member(&m->root, "method", &v) && v.type == JSCAN_STRING) {
		m->shape = has_id && id.type != JSCAN_NULL ? SS_REQUEST :
		    SS_NOTIFY;
		m->method = stratum_lookup(&v);
		return true;
	}
	has_result = jscan_member(&m->root, "result", &m->result);
	has_error = jscan_member(&m->root, "error", &v);
	if (has_id && (has_result || has_error))
		m->shape = SS_RESPONSE;
	return true;
}

static bool
stratum_blank(const char *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (b[i] != ' ' && b[i] != '\t' && b[i] != '\r')
			return false;
	return true;
}

/* The end of the road without a natural finish. */
static enum stratum_status
stratum_end(const struct stratum_info *si)
{
	return si->proven || si->mining_lines > 0 ? STRATUM_DONE : STRATUM_NOT;
}

/* Whether a proven session has shown what its dialect can tell. */
static bool
stratum_complete(const struct stratum_info *si)
{
	switch (si->dialect) {
	case STRATUM_V1:
	case STRATUM_NICEHASH:
		return si->login[0] != '\0' && (si->difficulty > 0 ||
		    (si->methods & (UINT32_C(1) << STRATUM_M_SET_TARGET)));
	case STRATUM_XMRIG:
		return si->login[0] != '\0' && si->have_job;
	case STRATUM_ETHPROXY:
		return si->login[0] != '\0';
	default:
		return false;
	}
}

static enum stratum_status
stratum_check(const struct stratum_info *si)
{
	if (si->status != STRATUM_MORE)
		return si->status;
	if (si->proven && (stratum_complete(si) ||
	    si->lines - si->proven_lines >= STRATUM_AFTER_PROOF))
		return STRATUM_DONE;
	if (si->lines >= STRATUM_MAX_LINES ||
	    si->bytes[0] >= STRATUM_MAX_BYTES ||
	    si->bytes[1] >= STRATUM_MAX_BYTES)
		return stratum_end(si);
	if (si->mining_lines == 0 && si->lines >= STRATUM_NOMINING_LINES)
		return STRATUM_NOT;
	return STRATUM_MORE;
}

/*
 * A stray fragment: the first line of dir, short, with no '{' (so no
 * object was cut), that fits what may still be skipped in dir.
 */
static bool
stratum_stray(const struct stratum_info *si, int dir, const char *b,
    size_t n)
{
	size_t i;

	if (si->seen[dir] ||
	    n + 1 > (size_t)(STRATUM_STRAY_MAX - si->skipped[dir]))
		return false;
	for (i = 0; i < n; i++)
		if (b[i] == '{')
			return false;
	return true;
}

/* One complete line from dir, the LF already cut off. */
static void
stratum_line(struct stratum_info *si, int dir, const char *b, size_t n,
    uint64_t ts_us)
{
	struct stratum_msg m;
	bool first;

	if (stratum_blank(b, n))
		return;
	if (si->skipped[dir] < STRATUM_STRAY_MAX &&
	    stratum_stray(si, dir, b, n) && !stratum_parse(&m, b, n)) {
		si->skipped[dir] += (uint16_t)(n + 1);	/* resync on the LF */
		return;
	}
	first = !si->seen[dir];
	si->seen[dir] = true;
	si->lines++;
	if (!stratum_parse(&m, b, n)) {
		if (first)
			si->status = si->proven ? STRATUM_DONE : STRATUM_NOT;
		return;
	}
	if (m.shape == SS_NONE)
		return;
	if (si->rpc_lines[dir] < UINT16_MAX)
		si->rpc_lines[dir]++;
	if (m.shape == SS_RESPONSE)
		stratum_response(si, dir, &m, ts_us);
	else
		stratum_method(si, dir, &m, ts_us);
}

/* Index of the first LF in the cursor's window. */
static bool
stratum_find_lf(const struct cursor *c, size_t *at)
{
	size_t i, n = cur_left(c);
	const uint8_t *b = cur_ptr(c);

	for (i = 0; i < n; i++) {
		if (b[i] == '\n') {
			*at = i;
			return true;
		}
	}
	return false;
}

/* Parses and consumes every complete line stashed for dir. */
static void
stratum_lines(struct stratum_info *si, struct stash *st, int dir,
    uint64_t ts_us)
{
	struct cursor c;
	const char *line;
	size_t lf;

	cur_init(&c, st->buf[dir], st->len[dir]);
	while (si->status == STRATUM_MORE && stratum_find_lf(&c, &lf)) {
		line = (const char *)cur_ptr(&c);
		cur_skip(&c, lf + 1);
		stratum_line(si, dir, line, lf, ts_us);
		si->bytes[dir] += (uint32_t)(lf + 1);
		si->status = stratum_check(si);
	}
	stash_consume(st, dir, cur_offset(&c));
	/* A line longer than the stash: not Stratum as we know it. */
	if (si->status == STRATUM_MORE && st->len[dir] >= STASH_DIR_BYTES)
		si->status = stratum_end(si);
}

enum stratum_status
stratum_feed(struct stratum_info *si, struct stash *st, int dir,
    const uint8_t *p, size_t n, uint64_t ts_us)
{
	struct cursor c;
	size_t k;

	if (si->status != STRATUM_MORE)
		return si->status;
	if (st == NULL || (dir != 0 && dir != 1)) {
		si->status = STRATUM_NOT;
		return si->status;
	}
	cur_init(&c, p, n);
	while (si->status == STRATUM_MORE && cur_left(&c) > 0) {
		k = stash_append(st, dir, cur_ptr(&c), cur_left(&c));
		cur_skip(&c, k);
		stratum_lines(si, st, dir, ts_us);
		if (k == 0 && si->status == STRATUM_MORE)
			si->status = stratum_end(si);
	}
	return si->status;
}
