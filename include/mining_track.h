/*
 * mining_track.h - per-flow state of the mining detectors (det_mining.c):
 * small, kept for every flow; plus the DNS record of a DNS flow.
 */
#ifndef MINING_TRACK_H
#define MINING_TRACK_H

#include <stdbool.h>
#include <stdint.h>

struct mining_track {
	char		pool_name[96];	/* pool name matched (SNI or passive DNS) */
};

/* What a DNS flow asked and was answered (flows with APP_DNS). */
struct dns_info {
	char		rrname[128];
};

#endif /* MINING_TRACK_H */
