/*
 * test_stratum.c - unit tests for the Stratum dissector.
 *
 * Each conversation is a list of TCP payloads with their direction
 * (0 = miner, the TCP initiator; 1 = pool), written as C strings taken
 * from the shapes real miners and pools send.  A conversation is fed
 * whole, then with every payload split at every byte offset, then byte
 * by byte: the result must be the same each time.  Payload pieces are
 * heap copies of exactly their length so ASan sees any overread.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stash.h"
#include "stratum.h"

struct seg {
	int		 dir;
	const char	*text;
};

#define NSEGS(a)	(sizeof(a) / sizeof((a)[0]))

static struct stash_pool *pool;

static int
setup(void **state)
{
	(void)state;
	pool = stash_pool_new(2);
	return pool == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	(void)state;
	stash_pool_free(pool);
	return 0;
}

/* Feeds p[0, n) as one heap copy of exactly n bytes. */
static enum stratum_status
feed_exact(struct stratum_info *si, struct stash *st, int dir,
    const char *p, size_t n, uint64_t ts)
{
	uint8_t *b = malloc(n > 0 ? n : 1);
	enum stratum_status r;

	assert_non_null(b);
	memcpy(b, p, n);
	r = stratum_feed(si, st, dir, b, n, ts);
	free(b);
	return r;
}

/*
 * Runs a conversation, each payload cut into pieces of `chunk` bytes
 * (0: whole) or, with split > 0, into two pieces at byte `split`.
 * Payload i gets packet time (i + 1) * 1000.
 */
static enum stratum_status
run_conv(struct stratum_info *si, const struct seg *segs, size_t n,
    size_t chunk, size_t split)
{
	enum stratum_status r = STRATUM_MORE;
	struct stash *st = stash_get(pool);
	size_t i, off, len, k;

	assert_non_null(st);
	stratum_info_init(si);
	for (i = 0; i < n && r == STRATUM_MORE; i++) {
		len = strlen(segs[i].text);
		for (off = 0; off < len && r == STRATUM_MORE; off += k) {
			k = len - off;
			if (chunk > 0 && k > chunk)
				k = chunk;
			if (split > 0 && off == 0 && split < len)
				k = split;
			r = feed_exact(si, st, segs[i].dir, segs[i].text + off,
			    k, (i + 1) * 1000);
		}
	}
	stash_put(pool, st);
	return r;
}

static void
assert_same(const struct stratum_info *a, const struct stratum_info *b)
{
	assert_int_equal(a->status, b->status);
	assert_int_equal(a->dialect, b->dialect);
	assert_int_equal(a->methods, b->methods);
	assert_int_equal(a->rpc_lines[0], b->rpc_lines[0]);
	assert_int_equal(a->rpc_lines[1], b->rpc_lines[1]);
	assert_int_equal(a->mining_lines, b->mining_lines);
	assert_int_equal(a->replies, b->replies);
	assert_string_equal(a->agent, b->agent);
	assert_string_equal(a->login, b->login);
	assert_string_equal(a->worker, b->worker);
	assert_string_equal(a->algo, b->algo);
	assert_true(a->difficulty == b->difficulty);
	assert_int_equal(a->proven, b->proven);
	assert_int_equal(a->proven_ts_us, b->proven_ts_us);
	assert_string_equal(a->first_method, b->first_method);
}

/*
 * Runs segs whole, then split at every offset, then in 1..7 byte chunks,
 * checking every run matches the whole one; leaves the whole run in *si.
 */
static enum stratum_status
run_all_splits(struct stratum_info *si, const struct seg *segs, size_t n)
{
	struct stratum_info other;
	enum stratum_status r, r2;
	size_t maxlen = 0, i, k;

	r = run_conv(si, segs, n, 0, 0);
	for (i = 0; i < n; i++)
		if (strlen(segs[i].text) > maxlen)
			maxlen = strlen(segs[i].text);
	for (k = 1; k < maxlen; k++) {
		r2 = run_conv(&other, segs, n, 0, k);
		assert_int_equal(r, r2);
		assert_same(si, &other);
	}
	for (k = 1; k <= 7; k++) {
		r2 = run_conv(&other, segs, n, k, 0);
		assert_int_equal(r, r2);
		assert_same(si, &other);
	}
	return r;
}

/* A pool whose first bytes are the tail of some reply: `"}` + LF. */
static const struct seg conv_stray[] = {
	{ 0, "{\"id\":1,\"method\":\"mining.subscribe\","
	    "\"params\":[\"cgminer/4.10.0\"]}\n" },
	{ 1, "\"}\n" },
	{ 1, "{\"id\":1,\"result\":[[[\"mining.notify\",\"ae68\"]],"
	    "\"08000002\",4],\"error\":null}\n" },
};

/* ... and one whose first line is something else: not Stratum. */
static const struct seg conv_not_stray[] = {
	{ 0, "{\"id\":1,\"method\":\"mining.subscribe\","
	    "\"params\":[\"cgminer/4.10.0\"]}\n" },
	{ 1, "this is not the pool you are looking for\n" },
	{ 1, "{\"id\":1,\"result\":[[[\"mining.notify\",\"ae68\"]],"
	    "\"08000002\",4],\"error\":null}\n" },
};

static void
test_stray_fragment(void **state)
{
	struct stratum_info si;

	(void)state;
	(void)run_all_splits(&si, conv_stray, 3);
	assert_true(si.proven);
	assert_int_equal(si.skipped[1], 3);
	assert_int_equal(si.skipped[0], 0);
	assert_int_equal(si.rpc_lines[1], 1);
	assert_int_equal(si.replies, 1);
	(void)run_conv(&si, conv_not_stray, 3, 0, 0);
	assert_false(si.proven);
	assert_int_equal(si.status, STRATUM_NOT);
	assert_int_equal(si.skipped[1], 0);
}

/* Bitcoin Stratum V1, cgminer against a pool: subscribe, authorize. */
static const struct seg conv_v1[] = {
	{ 0, "{\"id\": 1, \"method\": \"mining.subscribe\", "
	    "\"params\": [\"cgminer/4.10.0\"]}\n" },
	{ 1, "{\"id\":1,\"result\":[[[\"mining.set_difficulty\","
	    "\"b4b6693b72a50c7116db18d6497cac52\"],[\"mining.notify\","
	    "\"ae6812eb4cd7735a302a8a9dd95cf71f\"]],\"08000002\",4],"
	    "\"error\":null}\n" },
	/* key order differs from the first request, CRLF line end */
	{ 0, "{\"params\": [\"bc1qxy2kgdygjrsqtzq2n0yrf2493p83kkfjhx0wlh.rig07\""
	    ", \"x\"], \"id\": 2, \"method\": \"mining.authorize\"}\r\n" },
	/* reply, difficulty and first job in one segment */
	{ 1, "{\"id\":2,\"result\":true,\"error\":null}\n"
	    "{\"id\":null,\"method\":\"mining.set_difficulty\","
	    "\"params\":[8192]}\n"
	    "{\"id\":null,\"method\":\"mining.notify\",\"params\":[\"1d50\","
	    "\"4d16b6f85af6e2198f44ae2a6de67f78487ae5611b77c6c0440b921e0000000"
	    "0\",\"01000000010000000000000000000000000000000000000000000000000"
	    "000000000000000ffffffff20020862062f503253482f04b8864e5008\","
	    "\"072f736c7573682f000000000100f2052a010000001976a914d23fcdf86f7e"
	    "756a64a7a9688ef9903327048ed988ac00000000\",[],\"20000000\","
	    "\"1703a30c\",\"6592001e\",true]}\n" },
};

static void
test_v1(void **state)
{
	struct stratum_info si;
	const char *names[8];

	(void)state;
	assert_int_equal(run_all_splits(&si, conv_v1, NSEGS(conv_v1)),
	    STRATUM_DONE);
	assert_int_equal(si.dialect, STRATUM_V1);
	assert_true(si.proven);
	assert_int_equal(si.proven_ts_us, 2000);	/* the subscribe reply */
	assert_string_equal(si.agent, "cgminer/4.10.0");
	assert_string_equal(si.login,
	    "bc1qxy2kgdygjrsqtzq2n0yrf2493p83kkfjhx0wlh");
	assert_string_equal(si.worker, "rig07");
	assert_true(si.difficulty == 8192.0);
	assert_string_equal(si.first_method, "mining.subscribe");
	assert_int_equal(si.rpc_lines[0], 2);
	assert_int_equal(si.rpc_lines[1], 3);	/* done before the notify */
	assert_int_equal(si.replies, 2);
	assert_int_equal(si.mining_lines, 3);
	assert_int_equal(stratum_method_names(&si, names, 8), 3);
	assert_string_equal(names[0], "mining.subscribe");
	assert_string_equal(names[1], "mining.authorize");
	assert_string_equal(names[2], "mining.set_difficulty");
	assert_int_equal(stratum_method_names(&si, names, 1), 1);
	assert_string_equal(stratum_dialect_name(si.dialect), "stratum1");
}

/* XMRig 6.21 logging in to a Monero pool; the reply carries the job. */
static const struct seg conv_xmrig[] = {
	{ 0, "{\"id\":1,\"jsonrpc\":\"2.0\",\"method\":\"login\",\"params\":{"
	    "\"login\":\"48edfHu7V9Z84YzzMa6fUueoELZ9ZRXq9VetWzYGzKt52XU5xvqgz"
	    "YnDK9URnRoJMk1j8nLwEVsaSWJ4fhdUyZijBGUicoD\",\"pass\":\"x\","
	    "\"agent\":\"XMRig/6.21.0 (Linux x86_64) libuv/1.44.2 gcc/12.2.0\","
	    "\"algo\":[\"cn/1\",\"cn/2\",\"cn/r\",\"rx/0\",\"rx/wow\","
	    "\"argon2/chukwav2\",\"ghostrider\"],\"rigid\":\"gpu-node-17\"}}\n" },
	{ 1, "{\"id\":1,\"jsonrpc\":\"2.0\",\"error\":null,\"result\":{"
	    "\"id\":\"5e2f1a9c-04d1-4b7a-9d0e-6f3a2c81b7e4\",\"job\":{"
	    "\"blob\":\"10109ed6f1a406e4c1e6a3b3ad4a0d2c3f7b1e8d9a6c5b4a392817"
	    "060504030201000000009a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d"
	    "7e6f5a4b3c2d1e0f02\",\"job_id\":\"614001\",\"target\":\"b88d0600\","
	    "\"algo\":\"rx/0\",\"height\":3145001,\"seed_hash\":\"a4c8f0e2\"},"
	    "\"extensions\":[\"algo\",\"nicehash\",\"connect\",\"tls\","
	    "\"keepalive\"],\"status\":\"OK\"}}\n" },
	{ 0, "{\"id\":2,\"jsonrpc\":\"2.0\",\"method\":\"submit\",\"params\":{"
	    "\"id\":\"5e2f1a9c\",\"job_id\":\"614001\",\"nonce\":\"3a0f0000\","
	    "\"result\":\"e1364b8782719d7683e2ccd3d8f724bc59dfa780a9e960e7c0e0"
	    "046acdb40100\",\"algo\":\"rx/0\"}}\n" },
};

static void
test_xmrig(void **state)
{
	struct stratum_info si;

	(void)state;
	assert_int_equal(run_all_splits(&si, conv_xmrig, NSEGS(conv_xmrig)),
	    STRATUM_DONE);
	assert_int_equal(si.dialect, STRATUM_XMRIG);
	assert_true(si.proven);
	assert_int_equal(si.proven_ts_us, 2000);
	assert_string_equal(si.agent,
	    "XMRig/6.21.0 (Linux x86_64) libuv/1.44.2 gcc/12.2.0");
	assert_string_equal(si.login, "48edfHu7V9Z84YzzMa6fUueoELZ9ZRXq9VetWzYG"
	    "zKt52XU5xvqgzYnDK9URnRoJMk1j8nLwEVsaSWJ4fhdUyZijBGUicoD");
	assert_string_equal(si.worker, "gpu-node-17");
	assert_string_equal(si.algo, "rx/0");	/* the job's, not the list's */
	/* target b88d0600 = 0x00068db8 little-endian: 0xffffffff / it */
	assert_true(fabs(si.difficulty - 10000.0) < 1.0);
	assert_int_equal(si.methods, 1u << STRATUM_M_LOGIN);
	assert_string_equal(si.first_method, "login");
	assert_string_equal(stratum_dialect_name(si.dialect), "xmrig");
}

/*
 * An xmr-stak style login without "agent" (only login + pass) counts
 * only once the pool answers with a job, here pushed as a "job"
 * notification after a plain OK.  Keys spaced out and one escaped.
 */
static const struct seg conv_xmr_weak[] = {
	{ 0, "{ \"method\" : \"login\" , \"params\" : { \"pass\" : \"w1\" , "
	    "\"\\u006cogin\" : \"44AFFq5kSiGBoZ.rig3\" } , \"id\" : 1 }\n" },
	{ 1, "{\"id\":1,\"jsonrpc\":\"2.0\",\"error\":null,"
	    "\"result\":{\"status\":\"OK\"}}\n" },
	{ 1, "{\"jsonrpc\":\"2.0\",\"method\":\"job\",\"params\":{\"blob\":"
	    "\"0707d5efb9ee0581\",\"job_id\":\"q2\",\"target\":"
	    "\"ffffff0000000000\",\"algo\":\"cn/r\"}}\n" },
};

static void
test_xmrig_weak_login(void **state)
{
	struct stratum_info si;

	(void)state;
	assert_int_equal(run_all_splits(&si, conv_xmr_weak,
	    NSEGS(conv_xmr_weak)), STRATUM_DONE);
	assert_int_equal(si.dialect, STRATUM_XMRIG);
	assert_true(si.proven);
	assert_int_equal(si.proven_ts_us, 3000);
	assert_string_equal(si.login, "44AFFq5kSiGBoZ");
	assert_string_equal(si.worker, "rig3");
	assert_string_equal(si.algo, "cn/r");
	/* 64-bit target 0x0000000000ffffff */
	assert_true(si.difficulty > 1.0e12);
	assert_int_equal(si.methods,
	    (1u << STRATUM_M_LOGIN) | (1u << STRATUM_M_JOB));
}

/* Claymore/PhoenixMiner ETH proxy: eth_submitLogin with a worker member. */
static const struct seg conv_ethproxy[] = {
	{ 0, "{\"worker\": \"rig07\", \"jsonrpc\": \"2.0\", \"params\": "
	    "[\"0x52bc44d5378309ee2abf1539bf71de1b7d7be3b5\", \"x\"], "
	    "\"id\": 2, \"method\": \"eth_submitLogin\"}\n" },
	{ 1, "{\"id\":2,\"jsonrpc\":\"2.0\",\"result\":true}\n" },
	{ 0, "{\"id\":3,\"jsonrpc\":\"2.0\",\"method\":\"eth_getWork\","
	    "\"params\":[]}\n" },
};

static void
test_ethproxy(void **state)
{
	struct stratum_info si;

	(void)state;
	assert_int_equal(run_all_splits(&si, conv_ethproxy,
	    NSEGS(conv_ethproxy)), STRATUM_DONE);
	assert_int_equal(si.dialect, STRATUM_ETHPROXY);
	assert_true(si.proven);
	assert_int_equal(si.proven_ts_us, 2000);
	assert_string_equal(si.login,
	    "0x52bc44d5378309ee2abf1539bf71de1b7d7be3b5");
	assert_string_equal(si.worker, "rig07");
	assert_string_equal(si.first_method, "eth_submitLogin");
	assert_int_equal(si.replies, 1);
	assert_string_equal(stratum_dialect_name(si.dialect), "ethproxy");
}

/* ethminer speaking NiceHash EthereumStratum/1.0.0. */
static const struct seg conv_nicehash[] = {
	{ 0, "{\"id\": 1, \"method\": \"mining.subscribe\", \"params\": "
	    "[\"ethminer/0.19.0\", \"EthereumStratum/1.0.0\"]}\n" },
	{ 1, "{\"id\":1,\"result\":[[\"mining.notify\","
	    "\"ae6812eb4cd7735a302a8a9dd95cf71f\",\"EthereumStratum/1.0.0\"],"
	    "\"080c\"],\"error\":null}\n" },
	/* two requests in one segment */
	{ 0, "{\"id\": 2, \"method\": \"mining.extranonce.subscribe\", "
	    "\"params\": []}\n{\"id\": 3, \"method\": \"mining.authorize\", "
	    "\"params\": [\"0x52bc44d5378309ee2abf1539bf71de1b7d7be3b5.rig07\","
	    " \"x\"]}\n" },
	{ 1, "{\"id\":2,\"result\":true,\"error\":null}\n"
	    "{\"id\":3,\"result\":true,\"error\":null}\n"
	    "{\"id\":null,\"method\":\"mining.set_difficulty\","
	    "\"params\":[0.5]}\n"
	    "{\"id\":null,\"method\":\"mining.notify\",\"params\":[\"bf0488aa\","
	    "\"abad8f99f3918bf903c6a909d9bbc0fdfa5a2f4b9cb1196175ec825c6610126c\","
	    "\"645cf20198c2f3861e947d4f67e3ab63b7b2e24dcc9095bd9123e7b33371f6cc\","
	    "true]}\n" },
};

static void
test_nicehash(void **state)
{
	struct stratum_info si;

	(void)state;
	assert_int_equal(run_all_splits(&si, conv_nicehash,
	    NSEGS(conv_nicehash)), STRATUM_DONE);
	assert_int_equal(si.dialect, STRATUM_NICEHASH);
	assert_true(si.proven);
	assert_string_equal(si.agent, "ethminer/0.19.0");
	assert_string_equal(si.login,
	    "0x52bc44d5378309ee2abf1539bf71de1b7d7be3b5");
	assert_string_equal(si.worker, "rig07");
	assert_true(si.difficulty == 0.5);
	assert_int_equal(si.rpc_lines[0], 3);
	assert_string_equal(stratum_dialect_name(si.dialect),
	    "ethereumstratum");
}

/* The whole V1 miner side in one segment, then the pool's in one. */
static void
test_many_lines_one_segment(void **state)
{
	static const struct seg conv[] = {
		{ 0, "{\"id\":1,\"method\":\"mining.subscribe\",\"params\":[]}\n"
		    "{\"id\":2,\"method\":\"mining.authorize\","
		    "\"params\":[\"alice.w1\",\"\"]}\n" },
		{ 1, "{\"id\":1,\"result\":[null,\"00\",4],\"error\":null}\n"
		    "{\"id\":2,\"result\":true,\"error\":null}\n"
		    "{\"id\":null,\"method\":\"mining.set_difficulty\","
		    "\"params\":[1]}\n" },
	};
	struct stratum_info si;

	(void)state;
	assert_int_equal(run_all_splits(&si, conv, NSEGS(conv)),
	    STRATUM_DONE);
	assert_true(si.proven);
	/* two distinct methods in the first segment already prove it */
	assert_int_equal(si.proven_ts_us, 1000);
	assert_string_equal(si.login, "alice");
	assert_string_equal(si.worker, "w1");
	assert_true(si.difficulty == 1.0);
}

/* An Ethereum node's JSON-RPC over a raw socket: never mining. */
static const struct seg conv_ethnode[] = {
	{ 0, "{\"jsonrpc\":\"2.0\",\"method\":\"eth_blockNumber\","
	    "\"params\":[],\"id\":1}\n" },
	{ 1, "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":\"0x10d4f\"}\n" },
	{ 0, "{\"jsonrpc\":\"2.0\",\"method\":\"net_version\",\"params\":[],"
	    "\"id\":2}\n" },
	{ 1, "{\"jsonrpc\":\"2.0\",\"id\":2,\"result\":\"1\"}\n" },
	{ 0, "{\"jsonrpc\":\"2.0\",\"method\":\"eth_call\",\"params\":[{\"to\":"
	    "\"0xdac17f958d2ee523a2206206994597c13d831ec7\",\"data\":"
	    "\"0x70a08231\"},\"latest\"],\"id\":3}\n" },
	{ 1, "{\"jsonrpc\":\"2.0\",\"id\":3,\"result\":\"0x00\"}\n" },
	{ 0, "{\"jsonrpc\":\"2.0\",\"method\":\"eth_getBalance\","
	    "\"params\":[\"0x52bc44d5378309ee2abf1539bf71de1b7d7be3b5\","
	    "\"latest\"],\"id\":4}\n" },
};

/* Language-server JSON-RPC sent as bare lines (no Content-Length). */
static const struct seg conv_lsp[] = {
	{ 0, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":"
	    "{\"processId\":1234,\"rootUri\":\"file:///home/u/src\","
	    "\"capabilities\":{}}}\n" },
	{ 1, "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"capabilities\":"
	    "{\"textDocumentSync\":1}}}\n" },
	{ 0, "{\"jsonrpc\":\"2.0\",\"method\":\"initialized\",\"params\":{}}\n"
	    "{\"jsonrpc\":\"2.0\",\"method\":\"textDocument/didOpen\",\"params\":"
	    "{\"textDocument\":{\"uri\":\"file:///home/u/src/a.c\",\"languageId\""
	    ":\"c\",\"version\":1,\"text\":\"int main(void) { return 0; }\\n\"}}}"
	    "\n" },
	{ 1, "{\"jsonrpc\":\"2.0\",\"method\":\"textDocument/publishDiagnostics\""
	    ",\"params\":{\"uri\":\"file:///home/u/src/a.c\",\"diagnostics\":[]}}"
	    "\n" },
	{ 0, "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"shutdown\"}\n" },
};

/* A log shipper sending newline JSON records. */
static const struct seg conv_logs[] = {
	{ 0, "{\"level\":\"info\",\"ts\":1700000000.1,\"msg\":\"started\"}\n"
	    "{\"level\":\"info\",\"ts\":1700000000.2,\"msg\":\"login ok\","
	    "\"user\":\"bob\"}\n" },
	{ 0, "{\"level\":\"warn\",\"ts\":1700000001.0,\"msg\":\"slow request\","
	    "\"method\":\"GET\",\"path\":\"/mining.submit\"}\n"
	    "{\"level\":\"info\",\"ts\":1700000002.0,\"msg\":\"job done\","
	    "\"job\":{\"blob\":\"x\",\"job_id\":\"y\"}}\n" },
	{ 0, "{\"level\":\"error\",\"ts\":1700000003.0,\"msg\":\"retry\"}\n"
	    "{\"level\":\"info\",\"ts\":1700000004.0,\"msg\":\"bye\"}\n" },
};

/* A chat app whose JSON-RPC happens to have "login" and "submit". */
static const struct seg conv_chat[] = {
	{ 0, "{\"id\":1,\"method\":\"login\",\"params\":{\"login\":\"alice\","
	    "\"pass\":\"hunter2\"}}\n" },
	{ 1, "{\"id\":1,\"result\":{\"status\":\"OK\",\"session\":\"abc\"}}\n" },
	{ 0, "{\"id\":2,\"method\":\"submit\",\"params\":{\"form\":\"msg\","
	    "\"text\":\"hi bob\"}}\n" },
	{ 1, "{\"id\":2,\"result\":{\"ok\":true}}\n"
	    "{\"method\":\"message\",\"params\":{\"from\":\"bob\",\"text\":\"yo\""
	    "}}\n" },
	{ 0, "{\"id\":3,\"method\":\"login\",\"params\":{\"username\":\"a\","
	    "\"password\":\"b\"}}\n" },
	{ 1, "{\"id\":3,\"result\":true}\n" },
};

static void
test_negatives(void **state)
{
	struct stratum_info si;

	(void)state;
	assert_int_equal(run_all_splits(&si, conv_ethnode, NSEGS(conv_ethnode)),
	    STRATUM_NOT);
	assert_false(si.proven);
	assert_int_equal(si.methods, 0);
	assert_int_equal(si.replies, 3);
	assert_int_equal(run_all_splits(&si, conv_lsp, NSEGS(conv_lsp)),
	    STRATUM_NOT);
	assert_false(si.proven);
	assert_int_equal(si.mining_lines, 0);
	assert_int_equal(run_all_splits(&si, conv_logs, NSEGS(conv_logs)),
	    STRATUM_NOT);
	assert_false(si.proven);
	assert_int_equal(si.methods, 0);
	/* only the record with "method":"GET" has a JSON-RPC shape */
	assert_int_equal(si.rpc_lines[0], 1);
	assert_int_equal(run_all_splits(&si, conv_chat, NSEGS(conv_chat)),
	    STRATUM_NOT);
	assert_false(si.proven);
	assert_int_equal(si.methods, 0);
	assert_int_equal(si.dialect, STRATUM_NONE);
}

/* Too few lines to decide: still MORE, and nothing proven. */
static void
test_short_negative_stays_open(void **state)
{
	struct stratum_info si;

	(void)state;
	assert_int_equal(run_conv(&si, conv_ethnode, 2, 0, 0), STRATUM_MORE);
	assert_false(si.proven);
	assert_int_equal(run_conv(&si, conv_chat, 2, 0, 0), STRATUM_MORE);
	assert_false(si.proven);
}

/* LSP framed as it really is: the first line is a header, not JSON. */
static void
test_lsp_content_length(void **state)
{
	static const struct seg conv[] = {
		{ 0, "Content-Length: 52\r\n\r\n{\"jsonrpc\":\"2.0\",\"id\":1,"
		    "\"method\":\"initialize\"}" },
	};
	struct stratum_info si;

	(void)state;
	assert_int_equal(run_all_splits(&si, conv, NSEGS(conv)), STRATUM_NOT);
}

static void
test_looks_like(void **state)
{
	(void)state;
	assert_true(stratum_looks_like((const uint8_t *)"{", 1));
	assert_true(stratum_looks_like((const uint8_t *)" \r\n\t{\"id\"", 8));
	assert_false(stratum_looks_like((const uint8_t *)"  ", 2));
	assert_false(stratum_looks_like((const uint8_t *)"", 0));
	assert_false(stratum_looks_like(NULL, 0));
	assert_false(stratum_looks_like((const uint8_t *)"[{}]", 4));
	assert_false(stratum_looks_like((const uint8_t *)"GET / HTTP/1.1", 14));
}

static void
test_hostile(void **state)
{
	/* unterminated string in the first line */
	static const struct seg unterminated[] = {
		{ 0, "{\"id\":1,\"method\":\"mining.subscribe\",\"params\":[\"abc}\n" },
	};
	/* NUL byte inside the method name: fed with explicit lengths below */
	static const char nul[] = "{\"id\":1,\"method\":\"mining.sub\0scribe\"}\n";
	/* invalid UTF-8 in the agent is kept as bytes, no crash */
	static const struct seg bad_utf8[] = {
		{ 0, "{\"id\":1,\"method\":\"mining.subscribe\",\"params\":"
		    "[\"\xff\xfe\xc3 miner\"]}\n" },
		{ 1, "{\"id\":1,\"result\":[null,\"00\",4],\"error\":null}\n" },
	};
	struct stratum_info si;
	struct stash *st;

	(void)state;
	assert_int_equal(run_all_splits(&si, unterminated, NSEGS(unterminated)),
	    STRATUM_NOT);
	st = stash_get(pool);
	stratum_info_init(&si);
	assert_int_equal(feed_exact(&si, st, 0, nul, sizeof(nul) - 1, 1),
	    STRATUM_NOT);
	/* after a final status, more input changes nothing */
	assert_int_equal(feed_exact(&si, st, 0, "{}\n", 3, 2), STRATUM_NOT);
	stash_put(pool, st);
	run_all_splits(&si, bad_utf8, NSEGS(bad_utf8));
	assert_true(si.proven);
	assert_string_equal(si.agent, "\xff\xfe\xc3 miner");
}

static void
test_deep_nesting(void **state)
{
	char line[3000];
	struct stratum_info si;
	struct stash *st;
	size_t n = 0, i;

	(void)state;
	n += (size_t)snprintf(line, sizeof(line),
	    "{\"id\":1,\"method\":\"mining.subscribe\",\"params\":");
	for (i = 0; i < 1000; i++)
		line[n++] = '[';
	for (i = 0; i < 1000; i++)
		line[n++] = ']';
	line[n++] = '}';
	line[n++] = '\n';
	st = stash_get(pool);
	stratum_info_init(&si);
	assert_int_equal(feed_exact(&si, st, 0, line, n, 1), STRATUM_NOT);
	stash_put(pool, st);
}

/* A line longer than the stash, whole and in 100-byte pieces. */
static void
test_huge_line(void **state)
{
	static char big[3 * STASH_DIR_BYTES];
	struct stratum_info si;
	struct stash *st;
	enum stratum_status r = STRATUM_MORE;
	size_t n, off;

	(void)state;
	memset(big, ' ', sizeof(big));
	n = (size_t)snprintf(big, sizeof(big),
	    "{\"id\":1,\"method\":\"mining.subscribe\",\"params\":[\"");
	big[n] = 'A';
	memcpy(big + sizeof(big) - 4, "\"]}\n", 4);
	for (off = n; off < sizeof(big) - 4; off++)
		big[off] = 'A';
	st = stash_get(pool);
	stratum_info_init(&si);
	assert_int_equal(feed_exact(&si, st, 0, big, sizeof(big), 1),
	    STRATUM_NOT);
	stash_put(pool, st);
	st = stash_get(pool);
	stratum_info_init(&si);
	for (off = 0; off < sizeof(big) && r == STRATUM_MORE; off += 100)
		r = feed_exact(&si, st, 0, big + off,
		    sizeof(big) - off < 100 ? sizeof(big) - off : 100, 1);
	assert_int_equal(r, STRATUM_NOT);
	assert_true(off <= STASH_DIR_BYTES + 100);
	stash_put(pool, st);
}

/* Proven first, then a huge line: DONE, keeping what was learned. */
static void
test_huge_line_after_proof(void **state)
{
	static char big[STASH_DIR_BYTES + 10];
	struct stratum_info si;
	struct stash *st;
	size_t i;

	(void)state;
	st = stash_get(pool);
	stratum_info_init(&si);
	for (i = 0; i < 2; i++)
		assert_int_equal(feed_exact(&si, st, conv_v1[i].dir,
		    conv_v1[i].text, strlen(conv_v1[i].text), 1), STRATUM_MORE);
	assert_true(si.proven);
	memset(big, '{', sizeof(big));
	assert_int_equal(feed_exact(&si, st, 1, big, sizeof(big), 2),
	    STRATUM_DONE);
	stash_put(pool, st);
}

/* A miner only ever reporting hashrate, never answered: bounded. */
static void
test_line_limit(void **state)
{
	static const char line[] = "{\"id\":6,\"jsonrpc\":\"2.0\",\"method\":"
	    "\"eth_submitHashrate\",\"params\":[\"0x1dcd6500\",\"0x3d07a1\"]}\n";
	struct stratum_info si;
	struct stash *st;
	enum stratum_status r = STRATUM_MORE;
	int i;

	(void)state;
	st = stash_get(pool);
	stratum_info_init(&si);
	for (i = 0; i < 100 && r == STRATUM_MORE; i++)
		r = feed_exact(&si, st, 0, line, sizeof(line) - 1, 1);
	assert_int_equal(r, STRATUM_DONE);
	assert_int_equal(i, STRATUM_MAX_LINES);
	assert_false(si.proven);
	assert_int_equal(si.dialect, STRATUM_ETHPROXY);
	stash_put(pool, st);
}

/* Mutated conversations in random pieces: never crash, always bounded. */
static void
test_random_mutations(void **state)
{
	static const struct seg *convs[] = { conv_v1, conv_xmrig,
	    conv_ethproxy, conv_nicehash, conv_chat };
	static const size_t ns[] = { NSEGS(conv_v1), NSEGS(conv_xmrig),
	    NSEGS(conv_ethproxy), NSEGS(conv_nicehash), NSEGS(conv_chat) };
	static const char junk[] = "{}[]\":,\\\n\r\0\xff u0.";
	char buf[1024];
	struct stratum_info si;
	struct stash *st;
	uint32_t x = 4242;
	size_t round, c, i, len, off, k;
	enum stratum_status r;

	(void)state;
	for (round = 0; round < 3000; round++) {
		c = round % 5;
		st = stash_get(pool);
		stratum_info_init(&si);
		r = STRATUM_MORE;
		for (i = 0; i < ns[c] && r == STRATUM_MORE; i++) {
			len = strlen(convs[c][i].text);
			if (len > sizeof(buf))
				len = sizeof(buf);
			memcpy(buf, convs[c][i].text, len);
			for (k = 0; k < 1 + round % 4; k++) {
				x = x * 1103515245 + 12345;
				buf[(x >> 8) % len] =
				    junk[(x >> 20) % (sizeof(junk) - 1)];
			}
			for (off = 0; off < len && r == STRATUM_MORE; off += k) {
				x = x * 1103515245 + 12345;
				k = 1 + (x >> 16) % 64;
				if (k > len - off)
					k = len - off;
				r = feed_exact(&si, st, convs[c][i].dir,
				    buf + off, k, round);
			}
		}
		assert_true(si.lines <= STRATUM_MAX_LINES);
		stash_put(pool, st);
	}
}

static void
test_names(void **state)
{
	struct stratum_info si;
	const char *names[STRATUM_M_COUNT];
	size_t i;

	(void)state;
	assert_string_equal(stratum_dialect_name(STRATUM_NONE), "");
	stratum_info_init(&si);
	assert_int_equal(stratum_method_names(&si, names, STRATUM_M_COUNT), 0);
	si.methods = (1u << STRATUM_M_COUNT) - 1;
	assert_int_equal(stratum_method_names(&si, names, STRATUM_M_COUNT),
	    STRATUM_M_COUNT);
	for (i = 0; i < STRATUM_M_COUNT; i++)
		assert_non_null(names[i]);
	assert_string_equal(names[STRATUM_M_ETH_SUBMITHASHRATE],
	    "eth_submitHashrate");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_v1),
		cmocka_unit_test(test_stray_fragment),
		cmocka_unit_test(test_xmrig),
		cmocka_unit_test(test_xmrig_weak_login),
		cmocka_unit_test(test_ethproxy),
		cmocka_unit_test(test_nicehash),
		cmocka_unit_test(test_many_lines_one_segment),
		cmocka_unit_test(test_negatives),
		cmocka_unit_test(test_short_negative_stays_open),
		cmocka_unit_test(test_lsp_content_length),
		cmocka_unit_test(test_looks_like),
		cmocka_unit_test(test_hostile),
		cmocka_unit_test(test_deep_nesting),
		cmocka_unit_test(test_huge_line),
		cmocka_unit_test(test_huge_line_after_proof),
		cmocka_unit_test(test_line_limit),
		cmocka_unit_test(test_random_mutations),
		cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
