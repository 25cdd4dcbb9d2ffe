/*
 * frag.c - fragment trains to flows (see frag.h).
 *
 * A direct-mapped table: a new train simply overwrites whatever shared its
 * slot, which is enough for the few trains alive at once on a sane link
 * and keeps a flood of fragments from costing more than one slot each.
 */
#include <stdlib.h>
#include <string.h>

#include "frag.h"

struct frag_slot {
	struct ip_addr	src;
	struct ip_addr	dst;
	uint32_t	id;
	uint8_t		proto;
	uint16_t	sport;
	uint16_t	dport;
	uint64_t	ts_us;		/* first fragment's time, 0 = empty */
};

struct frag_table {
	struct frag_slot slot[FRAG_TABLE_SLOTS];
};

struct frag_table *
frag_table_new(void)
{
	return calloc(1, sizeof(struct frag_table));
}

void
frag_table_free(struct frag_table *ft)
{
	free(ft);
}

static struct frag_slot *
frag_slot_of(struct frag_table *ft, const struct packet *pkt)
{
	uint32_t h = pkt->frag_id * 2654435761u ^ pkt->l4_proto;
	int i;

	for (i = 12; i < 16; i++)
		h = (h ^ pkt->src.b[i] ^ (uint32_t)pkt->dst.b[i] << 8) *
		    16777619u;
	return &ft->slot[h % FRAG_TABLE_SLOTS];
}

static bool
frag_same(const struct frag_slot *sl, const struct packet *pkt)
{
	return sl->ts_us != 0 && sl->id == pkt->frag_id &&
	    sl->proto == pkt->l4_proto &&
	    memcmp(&sl->src, &pkt->src, sizeof(sl->src)) == 0 &&
	    memcmp(&sl->dst, &pkt->dst, sizeof(sl->dst)) == 0;
}

bool
frag_track(struct frag_table *ft, struct packet *pkt)
{
	struct frag_slot *sl;

	if (pkt->frag_first && pkt->l4_ok) {
		sl = frag_slot_of(ft, pkt);
		sl->src = pkt->src;
		sl->dst = pkt->dst;
		sl->id = pkt->frag_id;
		sl->proto = pkt->l4_proto;
		sl->sport = pkt->sport;
		sl->dport = pkt->dport;
		sl->ts_us = pkt->ts_us | 1;
		return false;
	}
	if (!pkt->fragment)
		return false;
	sl = frag_slot_of(ft, pkt);
	if (!frag_same(sl, pkt) || pkt->ts_us > sl->ts_us + FRAG_TTL_US)
		return false;
	pkt->sport = sl->sport;
	pkt->dport = sl->dport;
	pkt->l4_ok = true;
	pkt->payload = NULL;	/* continuation bytes, not an L4 payload */
	pkt->payload_len = 0;
	return true;
}
