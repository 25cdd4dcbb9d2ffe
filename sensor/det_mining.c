/*
 * det_mining.c - mining detectors beyond Stratum (see det_mining.h).
 * Skeleton: the `mining:` config section and the hooks.
 */
#include <stdlib.h>
#include <string.h>

#include "det_mining.h"
#include "yconf.h"

struct det_mining {
	int	unused;
};

void
cfg_mining_defaults(struct cfg_mining *cm)
{
	cm->pdns_capacity = 65536;
}

void
cfg_mining_parse(struct yconf_errs *e, const struct yconf_node *n,
    struct cfg_mining *cm)
{
	static const char *const keys[] = { "pdns_capacity", NULL };
	const struct yconf_node *v;

	if (n == NULL || yconf_is_null(n))
		return;
	if (yconf_check_keys(e, n, keys, "mining") == -1)
		return;
	if ((v = yconf_get(n, "pdns_capacity")) != NULL)
		yconf_u32(e, v, 16, 1u << 24, &cm->pdns_capacity);
}

struct det_mining *
det_mining_new(const struct cfg *c)
{
	(void)c;
	return calloc(1, sizeof(struct det_mining));
}

void
det_mining_free(struct det_mining *d)
{
	free(d);
}

void
det_mining_flow_init(struct flow *f)
{
	memset(&f->mtrack, 0, sizeof(f->mtrack));
}

void
det_mining_packet(struct det_mining *d, const struct cfg *c, struct flow *f,
    int dir, const struct packet *pkt, const uint8_t *p, size_t n)
{
	(void)d; (void)c; (void)f; (void)dir; (void)pkt; (void)p; (void)n;
}

uint32_t
det_mining_check(struct det_mining *d, const struct cfg *c, struct flow *f,
    uint64_t now_us)
{
	(void)d; (void)c; (void)f; (void)now_us;
	return 0;
}

uint8_t
det_mining_confidence(const struct flow *f, enum detector d)
{
	(void)f; (void)d;
	return 50;
}

void
det_mining_evidence(struct jbuf *j, const struct flow *f, enum detector d)
{
	(void)j; (void)f; (void)d;
}

void
det_mining_put_record(struct jbuf *j, const struct flow *f)
{
	(void)j; (void)f;
}
