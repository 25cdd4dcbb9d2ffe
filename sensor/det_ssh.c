/*
 * det_ssh.c - reverse-SSH detectors (see det_ssh.h).  Skeleton: the
 * `ssh:` config section and the hooks; the models come next.
 */
#include <stdlib.h>
#include <string.h>

#include "det_ssh.h"
#include "yconf.h"

struct det_ssh {
	int	unused;
};

void
cfg_ssh_defaults(struct cfg_ssh *cs)
{
	cs->long_lived_seconds = 3600;
}

void
cfg_ssh_parse(struct yconf_errs *e, const struct yconf_node *n,
    struct cfg_ssh *cs)
{
	static const char *const keys[] = { "long_lived_seconds", NULL };
	const struct yconf_node *v;

	if (n == NULL || yconf_is_null(n))
		return;
	if (yconf_check_keys(e, n, keys, "ssh") == -1)
		return;
	if ((v = yconf_get(n, "long_lived_seconds")) != NULL)
		yconf_u32(e, v, 1, 30 * 86400, &cs->long_lived_seconds);
}

struct det_ssh *
det_ssh_new(void)
{
	return calloc(1, sizeof(struct det_ssh));
}

void
det_ssh_free(struct det_ssh *d)
{
	free(d);
}

void
det_ssh_track_init(struct ssh_track *t)
{
	memset(t, 0, sizeof(*t));
}

void
det_ssh_packet(struct det_ssh *d, const struct cfg *c, struct flow *f,
    int dir, const struct packet *pkt, size_t new_bytes)
{
	(void)d;
	(void)c;
	if (new_bytes == 0)
		return;
	f->u.ssh.track.enc_pkts[dir]++;
	f->u.ssh.track.last_ts_us[dir] = pkt->ts_us;
}

uint32_t
det_ssh_check(struct det_ssh *d, const struct cfg *c, struct flow *f,
    uint64_t now_us)
{
	(void)d;
	(void)c;
	(void)f;
	(void)now_us;
	return 0;
}

uint8_t
det_ssh_confidence(const struct flow *f, enum detector d)
{
	(void)f;
	(void)d;
	return 50;
}

void
det_ssh_evidence(struct jbuf *j, const struct flow *f, enum detector d)
{
	(void)j;
	(void)f;
	(void)d;
}

void
det_ssh_put_record(struct jbuf *j, const struct flow *f)
{
	(void)j;
	(void)f;
}
