/*
 * cfg_mining.h - the `mining:` section of the config: mining detector
 * settings.  Parsed by cfg_mining_parse() (sensor/det_mining.c), called
 * from cfg.c for the `mining` key; see rules/README.md.
 */
#ifndef CFG_MINING_H
#define CFG_MINING_H

#include <stdbool.h>
#include <stdint.h>

#define CFG_MINING_MAX_PORTS	64

struct yconf_errs;
struct yconf_node;

struct cfg_mining {
	uint32_t	pdns_capacity;	/* passive DNS entries kept */
	uint32_t	pdns_ttl_min;	/* s an answer is kept at least */
	uint32_t	pdns_ttl_max;	/* s an answer is kept at most */
	uint16_t	ports[CFG_MINING_MAX_PORTS]; /* well-known pool ports */
	uint8_t		n_ports;
	uint32_t	cadence_min_seconds;	/* session age before judging */
	uint32_t	cadence_min_messages;	/* client messages at least */
	uint32_t	cadence_min_pushes;	/* unsolicited server messages */
	uint32_t	cadence_push_min;	/* s between server pushes, low */
	uint32_t	cadence_push_max;	/* s, high */
	uint32_t	cadence_share_max;	/* s between client messages, max */
	uint32_t	cadence_max_message;	/* bytes; larger = bulk */
};

void	cfg_mining_defaults(struct cfg_mining *cm);
/* Parses the `mining` map n (may be NULL) into cm; errors go to e. */
void	cfg_mining_parse(struct yconf_errs *e, const struct yconf_node *n,
	    struct cfg_mining *cm);
/* True when port is one of cm's well-known pool ports. */
bool	cfg_mining_port(const struct cfg_mining *cm, uint16_t port);

#endif /* CFG_MINING_H */
