/*
 * det_mining.h - the mining detectors beyond Stratum: mining_pool_tls,
 * mining_pool_ip, mining_pool_dns, mining_proxy, crypto_node; and the
 * passive DNS cache they share (answer IPs -> names, bounded, with TTL,
 * packet time).
 *
 * The sensor calls det_mining_packet() for every packet of every flow
 * (p, n = the new in-order TCP payload, or the UDP payload); the
 * detector registry (detect.c) calls the det_mining_check_*() of its
 * rows after it.  A flow's struct mining_track comes from the worker's
 * pool (dc->mtracks, mining_track.h) only when something is found for
 * it; the sensor gives it back with mining_track_put() when the flow
 * ends.
 */
#ifndef DET_MINING_H
#define DET_MINING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cfg.h"
#include "flow.h"
#include "json.h"
#include "packet.h"

struct det_ctx;
struct det_mining;	/* passive DNS cache and other cross-flow state */
struct dissect;

struct det_mining *det_mining_new(const struct cfg *c);
void		 det_mining_free(struct det_mining *d);	/* NULL ok */
/* A new flow (its cold part zeroed: no track yet). */
void		 det_mining_flow_init(struct flow *f);
/* The flow was turned around (orient.c): per-direction state follows. */
void		 det_mining_flow_swap(struct flow *f);
/*
 * A packet of f; dis is the calling worker's dissector pools, which a
 * DNS flow takes its state from; dc->mining is shared by the workers,
 * dc->mtracks (the pool of tracks) is the worker's own.
 */
void		 det_mining_packet(struct det_ctx *dc, struct dissect *dis,
		    const struct cfg *c, struct flow *f, int dir,
		    const struct packet *pkt, const uint8_t *p, size_t n);
/*
 * The registry rows' checks (detect.h): mining_pool_tls, mining_pool_ip,
 * mining_pool_dns, mining_proxy and crypto_node hold for f now.  The TLS
 * and IP checks settle, once, what a pool address, a pool SNI or a
 * miner's cadence make of the flow.
 */
bool		 det_mining_check_tls(struct det_ctx *dc, const struct cfg *c,
		    struct flow *f, uint64_t now_us);
bool		 det_mining_check_ip(struct det_ctx *dc, const struct cfg *c,
		    struct flow *f, uint64_t now_us);
bool		 det_mining_check_dns(struct det_ctx *dc, const struct cfg *c,
		    struct flow *f, uint64_t now_us);
bool		 det_mining_check_proxy(struct det_ctx *dc, const struct cfg *c,
		    struct flow *f, uint64_t now_us);
bool		 det_mining_check_node(struct det_ctx *dc, const struct cfg *c,
		    struct flow *f, uint64_t now_us);
uint8_t		 det_mining_confidence(const struct flow *f, enum detector d);
void		 det_mining_evidence(struct jbuf *j, const struct flow *f,
		    enum detector d);
/* Extra record objects: "dns" for DNS flows, "proxy" for proxy flows. */
void		 det_mining_put_record(struct jbuf *j, const struct flow *f);

#endif /* DET_MINING_H */
