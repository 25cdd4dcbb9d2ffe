/*
 * stats.h - counters for everything the sensor sees, drops or refuses.
 *
 * One flat array of uint64_t indexed by enum stat_id, so the stats record,
 * the exit summary and the Redis health hash are all one loop.  A limit
 * hit or a malformed packet bumps its counter; nothing on the packet path
 * logs.  Names are stable: they are field names in the `stats` record.
 */
#ifndef STATS_H
#define STATS_H

#include <stdint.h>
#include <stdio.h>

enum stat_id {
	ST_PACKETS,		/* frames handed to the sensor */
	ST_BYTES,		/* wire bytes of those frames */
	ST_DECODED,		/* frames decoded down to a flow */
	/* decode outcomes, by reason */
	ST_DEC_TRUNCATED,	/* a header ran past the captured bytes */
	ST_DEC_MALFORMED,	/* a field that cannot be right (bad IHL...) */
	ST_DEC_UNSUPPORTED,	/* link type or protocol we do not decode */
	ST_DEC_NOT_IP,		/* ARP, LLDP, STP...: valid but not IP */
	ST_DEC_IP_LEN_LIES,	/* IP total length beyond the captured frame */
	ST_DEC_FRAGMENT,	/* non-first IPv4/IPv6 fragments */
	ST_DEC_MAX_VLAN,	/* more VLAN tags than DEC_MAX_VLAN */
	ST_DEC_MAX_IP6_EXT,	/* more IPv6 extension headers than allowed */
	ST_DEC_MAX_DEPTH,	/* tunnels nested deeper than DEC_MAX_DEPTH */
	ST_DEC_MAX_MPLS,	/* MPLS stacks deeper than DEC_MAX_MPLS */
	ST_DEC_MAX_GTP_EXT,	/* GTP-U chains longer than DEC_MAX_GTP_EXT */
	ST_DEC_GRE,		/* GRE packets decapsulated */
	ST_DEC_ERSPAN,		/* ERSPAN II/III packets decapsulated */
	ST_DEC_VXLAN,		/* VXLAN packets decapsulated */
	ST_DEC_MPLS,		/* MPLS label stacks removed */
	ST_DEC_PPPOE,		/* PPPoE session headers removed */
	ST_DEC_GENEVE,		/* Geneve packets decapsulated */
	ST_DEC_GTP,		/* GTP-U T-PDUs decapsulated */
	/* flows */
	ST_FLOWS_CREATED,
	ST_FLOWS_EXPIRED,	/* ended by idle timeout, FIN or RST */
	ST_FLOWS_EVICTED,	/* table full: least valuable flow removed */
	ST_FLOWS_EVICTED_UNANSWERED,	/* ... of them: no reply yet (SYN-only) */
	ST_FLOWS_EVICTED_ANSWERED,	/* ... a reply, handshake unfinished, closed */
	ST_FLOWS_EVICTED_ESTABLISHED,	/* ... established TCP, no app state */
	ST_FLOWS_EVICTED_APP,	/* ... a verdict or a dissector's state */
	ST_FLOW_EMERGENCY,	/* times the table entered emergency mode */
	ST_FLOWS_ORIENTATION_KEPT, /* re-created flows oriented as evicted */
	ST_FLOWS_DROPPED,	/* table full and nothing could be evicted */
	ST_FLOWS_ACTIVE,	/* gauge: flows in the table now */
	ST_FLOW_UPDATES,	/* active_timeout update records */
	/* nDPI */
	ST_NDPI_DETECTED,	/* flows nDPI named */
	ST_NDPI_GIVEUP,		/* flows nDPI gave up on */
	ST_NDPI_ALLOC_FAILED,	/* no memory for nDPI flow state */
	ST_CLS_RESULT_EXHAUSTED, /* no nDPI result free: unclassified */
	ST_NDPI_STATE_RECLAIMED, /* all nDPI states busy: a quiet flow given up */
	ST_STASH_EXHAUSTED,	/* no reassembly buffer free: not dissected */
	ST_APP_STATE_EXHAUSTED,	/* no dissector state free: not dissected */
	ST_MINING_TRACK_EXHAUSTED, /* no mining_track free: nothing kept */
	ST_DISSECT_GAP,		/* TCP hole stopped a dissector */
	ST_STRATUM_SKIPPED,	/* stray bytes skipped to resync Stratum lines */
	/* detection and output */
	ST_VERDICTS,
	ST_ALERTS,
	ST_ALERTS_SUPPRESSED,
	ST_ALERTS_THRESHOLDED,	/* over a rule's threshold: not raised */
	ST_ALERTS_OVER_BUDGET,	/* over output.alert_budget: not raised */
	ST_DET_MAX_RULES,	/* rules matching one verdict, flow or
				   incident past DET_MAX_RULES: not raised */
	/* incidents (incident.c) */
	ST_INCIDENTS_OPENED,
	ST_INCIDENTS_CLOSED,	/* window expired, end of run, evicted */
	ST_INCIDENTS_EVICTED,	/* host table full: least recently active closed */
	ST_INCIDENT_MEMBERS_DROPPED, /* timeline full (INCIDENT_MAX_MEMBERS) */
	ST_RECORDS,		/* records written */
	ST_JSON_TRUNCATED,	/* record longer than JSON_LINE_MAX */
	ST_REDIS_ERRORS,	/* records lost from the Redis output */
	/* capture */
	ST_CAPTURE_DROPS,	/* pcap_stats ps_drop (live) */
	ST_CAPTURE_IFDROPS,	/* pcap_stats ps_ifdrop (live) */
	/*
	 * Outputs, from the writer thread (out_writer.h); in the stats
	 * record only when the Redis output is on (ST_OUT_FIRST..).
	 */
	ST_OUT_RING_HIGH,	/* gauge: most bytes ever queued in the ring */
	ST_OUT_DROPPED_RING,	/* ring full (live): lost to every output */
	ST_REDIS_WRITTEN,	/* stream entries Redis accepted */
	ST_REDIS_DUPS,		/* entries Redis already had (replays) */
	ST_REDIS_SPOOLED,	/* records appended to the disk spool */
	ST_REDIS_REPLAYED,	/* spooled records written to Redis */
	ST_REDIS_BACKLOG,	/* gauge: records waiting in the spool */
	ST_REDIS_DROPPED_DOWN,	/* Redis away and no spool configured */
	ST_REDIS_DROPPED_FULL,	/* lost with the oldest spool segment */
	ST_REDIS_SPOOL_TORN,	/* torn or corrupt spool records skipped */
	ST_REDIS_SPOOL_IO,	/* spool writes that failed (record lost) */
	ST_REDIS_RECONNECTS,	/* connections made after a loss */
	ST_REDIS_ERR_TIMEOUT,	/* Redis errors by kind: reply timeouts */
	ST_REDIS_ERR_CONN,	/* refused, reset or closed connections */
	ST_REDIS_ERR_OOM,	/* OOM (maxmemory, noeviction) */
	ST_REDIS_ERR_READONLY,	/* READONLY (a replica) */
	ST_REDIS_ERR_AUTH,	/* NOAUTH, WRONGPASS */
	ST_REDIS_ERR_NOPERM,	/* NOPERM (ACL) */
	ST_REDIS_ERR_OTHER,	/* any other error reply */
	ST_COUNT
};

#define ST_OUT_FIRST	ST_OUT_RING_HIGH

struct stats {
	uint64_t	v[ST_COUNT];
};

static inline void
stats_inc(struct stats *st, enum stat_id id)
{
	st->v[id]++;
}

static inline void
stats_add(struct stats *st, enum stat_id id, uint64_t n)
{
	st->v[id] += n;
}

/* Stable snake_case name of a counter ("dec_truncated"). */
const char	*stats_name(enum stat_id id);

/* Writes "name value" lines for every non-zero counter to fp. */
void		 stats_print(const struct stats *st, FILE *fp);

#endif /* STATS_H */
