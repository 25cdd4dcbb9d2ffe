/*
 * mining_node.c - crypto_node signatures (see mining_node.h).
 *
 * P2P protocols are recognised by the first bytes a side sends: Bitcoin
 * opens with a network magic and the "version" command, Monero's levin
 * protocol with its 8-byte signature.  Node RPC is HTTP: a POST whose
 * JSON body carries "jsonrpc" and an Ethereum namespace method
 * (eth_, net_, web3_...), or a POST to Monero's /json_rpc with a daemon
 * method, or to one of Monero's REST paths.  Only the first few
 * initiator packets are searched, each through a bounded copy made with
 * cursor.h, so a long flow costs nothing after its start.  Nothing here
 * allocates or logs.
 */
#include <string.h>

#include "cursor.h"
#include "mining_node.h"
#include "util.h"

#define HEAD_BYTES	64	/* stream start copied for the prefix tests */

static const struct {
	uint8_t		 magic[4];
	const char	*net;
} btc_nets[] = {
	{ { 0xf9, 0xbe, 0xb4, 0xd9 }, "mainnet" },
	{ { 0x0b, 0x11, 0x09, 0x07 }, "testnet3" },
	{ { 0x1c, 0x16, 0x3f, 0x28 }, "testnet4" },
	{ { 0x0a, 0x03, 0xcf, 0x40 }, "signet" },
	{ { 0xfa, 0xbf, 0xb5, 0xda }, "regtest" },
};

/* levin bucket signature 0x0101010101012101, little-endian */
static const uint8_t levin_sig[8] = { 0x01, 0x21, 0x01, 0x01, 0x01, 0x01,
	0x01, 0x01 };

static const char *const eth_prefixes[] = { "eth_", "net_", "web3_",
	"txpool_", "debug_", "admin_", "parity_", "trace_", "erigon_", NULL };

static const char *const monero_methods[] = { "get_info",
	"get_block_template", "submit_block", "get_block_count",
	"get_last_block_header", "get_block_header_by_height",
	"get_block_header_by_hash", "get_block", "get_connections",
	"sync_info", "get_version", "get_fee_estimate", "on_get_block_hash",
	"get_miner_data", "get_bans", "hard_fork_info", NULL };

static const char *const monero_paths[] = { "POST /get_info ",
	"POST /getheight ", "POST /get_height ", "POST /get_transactions ",
	"POST /sendrawtransaction ", "POST /send_raw_transaction ",
	"POST /get_transaction_pool ", "POST /getblocks.bin ",
	"POST /get_outs ", NULL };

static bool
has_prefix(const char *s, size_t n, const char *pfx)
{
	size_t l = strlen(pfx);

	return n >= l && memcmp(s, pfx, l) == 0;
}

static bool
in_list(const char *s, const char *const *list, bool prefix)
{
	for (; *list != NULL; list++)
		if (prefix ? has_prefix(s, strlen(s), *list) :
		    strcmp(s, *list) == 0)
			return true;
	return false;
}

/* The stream's first bytes of one side. */
static bool
scan_head(struct mining_track *mt, int dir, const uint8_t *p, size_t n,
    bool may_name)
{
	char h[HEAD_BYTES];
	struct cursor c;
	size_t k = n < sizeof(h) ? n : sizeof(h), i;

	cur_init(&c, p, n);
	cur_bytes(&c, h, k);
	for (i = 0; k >= 16 && i < sizeof(btc_nets) / sizeof(btc_nets[0]);
	    i++)
		if (memcmp(h, btc_nets[i].magic, 4) == 0 &&
		    memcmp(h + 4, "version\0\0\0\0\0", 12) == 0) {
			mt->node = CN_BTC_P2P;
			if (may_name)
				strlcpy(mt->name, btc_nets[i].net,
				    sizeof(mt->name));
			return true;
		}
	if (k >= 8 && memcmp(h, levin_sig, 8) == 0) {
		mt->node = CN_MONERO_P2P;
		return true;
	}
	if (dir != 0)
		return false;
	if (k >= 3 && h[0] == 0x16 && h[1] == 0x03 && h[2] <= 0x04)
		mt->flags |= MT_TLS_HELLO;
	if (!has_prefix(h, k, "POST "))
		return false;
	mt->flags |= MT_POST;
	if (has_prefix(h, k, "POST /json_rpc ") ||
	    has_prefix(h, k, "POST /json_rpc?"))
		mt->flags |= MT_JSON_RPC_PATH;
	for (i = 0; monero_paths[i] != NULL; i++)
		if (has_prefix(h, k, monero_paths[i])) {
			mt->node = CN_MONERO_RPC;
			if (may_name)
				util_strncpy_printable(mt->name,
				    sizeof(mt->name), monero_paths[i] + 5,
				    strlen(monero_paths[i]) - 6);
			return true;
		}
	return false;
}

/* The string value of "method" in buf, into out; false if none. */
static bool
find_method(const char *buf, size_t n, char *out, size_t cap)
{
	const char *m = memmem(buf, n, "\"method\"", 8);
	size_t i, o = 0;

	if (m == NULL)
		return false;
	i = (size_t)(m - buf) + 8;
	while (i < n && (buf[i] == ' ' || buf[i] == '\t' || buf[i] == '\r' ||
	    buf[i] == '\n'))
		i++;
	if (i >= n || buf[i++] != ':')
		return false;
	while (i < n && (buf[i] == ' ' || buf[i] == '\t'))
		i++;
	if (i >= n || buf[i++] != '"')
		return false;
	while (i < n && o + 1 < cap && ((buf[i] >= 'a' && buf[i] <= 'z') ||
	    (buf[i] >= 'A' && buf[i] <= 'Z') || (buf[i] >= '0' &&
	    buf[i] <= '9') || buf[i] == '_' || buf[i] == '.'))
		out[o++] = buf[i++];
	out[o] = '\0';
	return o > 0 && i < n && buf[i] == '"';
}

/* One initiator packet of an HTTP POST: headers and/or JSON body. */
static bool
scan_post(struct mining_track *mt, const uint8_t *p, size_t n, bool may_name)
{
	char buf[MINING_NODE_SCAN_BYTES], method[MINING_NAME_KEEP];
	struct cursor c;
	size_t k = n < sizeof(buf) ? n : sizeof(buf);

	cur_init(&c, p, n);
	cur_bytes(&c, buf, k);
	if (memmem(buf, k, "\"jsonrpc\"", 9) != NULL)
		mt->flags |= MT_JSONRPC;
	if (!find_method(buf, k, method, sizeof(method)))
		return false;
	if ((mt->flags & MT_JSON_RPC_PATH) &&
	    in_list(method, monero_methods, false))
		mt->node = CN_MONERO_RPC;
	else if ((mt->flags & MT_JSONRPC) && in_list(method, eth_prefixes,
	    true))
		mt->node = CN_ETH_RPC;
	else
		return false;
	if (may_name)
		strlcpy(mt->name, method, sizeof(mt->name));
	return true;
}

bool
mining_node_scan(struct mining_track *mt, int dir, const uint8_t *p,
    size_t n, bool may_name)
{
	uint16_t bit = dir == 0 ? MT_FIRST0 : MT_FIRST1;

	if (n == 0 || mt->node != CN_NONE)
		return false;
	if (!(mt->flags & bit)) {
		mt->flags |= bit;
		if (scan_head(mt, dir, p, n, may_name))
			return true;
	}
	if (dir != 0 || !(mt->flags & MT_POST) ||
	    mt->scanned >= MINING_NODE_SCAN_PKTS)
		return false;
	mt->scanned++;
	return scan_post(mt, p, n, may_name);
}

bool
mining_node_tls(const struct mining_track *mt)
{
	return (mt->flags & MT_TLS_HELLO) != 0;
}

const char *
mining_node_kind_name(uint8_t kind)
{
	switch (kind) {
	case CN_BTC_P2P:	return "bitcoin_p2p";
	case CN_MONERO_P2P:	return "monero_p2p";
	case CN_ETH_RPC:	return "ethereum_rpc";
	case CN_MONERO_RPC:	return "monero_rpc";
	case CN_ETH_P2P:	return "ethereum_p2p";
	default:		return "";
	}
}
