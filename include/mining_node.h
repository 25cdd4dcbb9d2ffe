/*
 * mining_node.h - crypto_node signatures: Bitcoin P2P, Monero levin P2P,
 * Ethereum and Monero node JSON-RPC over HTTP, read from the start of
 * each side of a TCP stream (mining_node.c, used by det_mining.c).
 */
#ifndef MINING_NODE_H
#define MINING_NODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mining_track.h"

#define MINING_NODE_ETH_PORT	30303	/* devp2p; only with nDPI's word */
#define MINING_NODE_SCAN_PKTS	4	/* initiator packets searched for RPC */
#define MINING_NODE_SCAN_BYTES	2048	/* bytes of one packet searched */

enum crypto_kind {
	CN_NONE,
	CN_BTC_P2P,		/* magic + "version" at the stream start */
	CN_MONERO_P2P,		/* levin signature 0x0101010101012101 */
	CN_ETH_RPC,		/* HTTP POST, "jsonrpc", eth_/net_/web3_... */
	CN_MONERO_RPC,		/* POST /json_rpc get_info... or /get_info... */
	CN_ETH_P2P,		/* port 30303 and nDPI's mining label */
};

/*
 * Looks at one in-order payload (p, n: borrowed) of direction dir.
 * Sets mt->node (and mt->name to the network or method when may_name)
 * and returns true when a node signature is complete.
 */
bool		 mining_node_scan(struct mining_track *mt, int dir,
		    const uint8_t *p, size_t n, bool may_name);
/* The initiator opened with a TLS handshake record. */
bool		 mining_node_tls(const struct mining_track *mt);
/* "bitcoin_p2p", "monero_p2p", "ethereum_rpc", "monero_rpc", ... */
const char	*mining_node_kind_name(uint8_t kind);

#endif /* MINING_NODE_H */
