/*
 * stats.c - names of the counters in struct stats, and the exit summary.
 *
 * The names are field names of the `stats` record and keys of the Redis
 * health hash, so they never change once shipped.
 */
#include "stats.h"

static const char *const stat_names[ST_COUNT] = {
	[ST_PACKETS] = "packets",
	[ST_BYTES] = "bytes",
	[ST_DECODED] = "decoded",
	[ST_DEC_TRUNCATED] = "dec_truncated",
	[ST_DEC_MALFORMED] = "dec_malformed",
	[ST_DEC_UNSUPPORTED] = "dec_unsupported",
	[ST_DEC_NOT_IP] = "dec_not_ip",
	[ST_DEC_IP_LEN_LIES] = "dec_ip_len_lies",
	[ST_DEC_FRAGMENT] = "dec_fragment",
	[ST_DEC_MAX_VLAN] = "dec_max_vlan",
	[ST_DEC_MAX_IP6_EXT] = "dec_max_ip6_ext",
	[ST_DEC_MAX_DEPTH] = "dec_max_depth",
	[ST_DEC_MAX_MPLS] = "dec_max_mpls",
	[ST_DEC_MAX_GTP_EXT] = "dec_max_gtp_ext",
	[ST_DEC_GRE] = "dec_gre",
	[ST_DEC_ERSPAN] = "dec_erspan",
	[ST_DEC_VXLAN] = "dec_vxlan",
	[ST_DEC_MPLS] = "dec_mpls",
	[ST_DEC_PPPOE] = "dec_pppoe",
	[ST_DEC_GENEVE] = "dec_geneve",
	[ST_DEC_GTP] = "dec_gtp",
	[ST_FLOWS_CREATED] = "flows_created",
	[ST_FLOWS_EXPIRED] = "flows_expired",
	[ST_FLOWS_EVICTED] = "flows_evicted",
	[ST_FLOWS_EVICTED_UNANSWERED] = "flows_evicted_unanswered",
	[ST_FLOWS_EVICTED_ANSWERED] = "flows_evicted_answered",
	[ST_FLOWS_EVICTED_ESTABLISHED] = "flows_evicted_established",
	[ST_FLOWS_EVICTED_APP] = "flows_evicted_app",
	[ST_FLOW_EMERGENCY] = "flow_emergency",
	[ST_FLOWS_ORIENTATION_KEPT] = "flows_orientation_kept",
	[ST_FLOWS_DROPPED] = "flows_dropped",
	[ST_FLOWS_ACTIVE] = "flows_active",
	[ST_FLOW_UPDATES] = "flow_updates",
	[ST_NDPI_DETECTED] = "ndpi_detected",
	[ST_NDPI_GIVEUP] = "ndpi_giveup",
	[ST_NDPI_ALLOC_FAILED] = "ndpi_alloc_failed",
	[ST_CLS_RESULT_EXHAUSTED] = "ndpi_result_exhausted",
	[ST_NDPI_STATE_RECLAIMED] = "ndpi_state_reclaimed",
	[ST_STASH_EXHAUSTED] = "stash_exhausted",
	[ST_APP_STATE_EXHAUSTED] = "app_state_exhausted",
	[ST_MINING_TRACK_EXHAUSTED] = "mining_track_exhausted",
	[ST_DISSECT_GAP] = "dissect_gap",
	[ST_STRATUM_SKIPPED] = "stratum_skipped_bytes",
	[ST_VERDICTS] = "verdicts",
	[ST_ALERTS] = "alerts",
	[ST_ALERTS_SUPPRESSED] = "alerts_suppressed",
	[ST_ALERTS_THRESHOLDED] = "alerts_thresholded",
	[ST_ALERTS_OVER_BUDGET] = "alerts_over_budget",
	[ST_DET_MAX_RULES] = "det_max_rules",
	[ST_INCIDENTS_OPENED] = "incidents_opened",
	[ST_INCIDENTS_CLOSED] = "incidents_closed",
	[ST_INCIDENTS_EVICTED] = "incidents_evicted",
	[ST_INCIDENT_MEMBERS_DROPPED] = "incident_members_dropped",
	[ST_RECORDS] = "records",
	[ST_JSON_TRUNCATED] = "json_truncated",
	[ST_REDIS_ERRORS] = "redis_errors",
	[ST_CAPTURE_DROPS] = "capture_drops",
	[ST_CAPTURE_IFDROPS] = "capture_ifdrops",
	[ST_OUT_RING_HIGH] = "out_ring_high_water",
	[ST_OUT_DROPPED_RING] = "out_dropped_ring_full",
	[ST_REDIS_WRITTEN] = "redis_written",
	[ST_REDIS_DUPS] = "redis_already_written",
	[ST_REDIS_SPOOLED] = "redis_spooled",
	[ST_REDIS_REPLAYED] = "redis_replayed",
	[ST_REDIS_BACKLOG] = "redis_spool_backlog",
	[ST_REDIS_DROPPED_DOWN] = "redis_dropped_no_spool",
	[ST_REDIS_DROPPED_FULL] = "redis_dropped_spool_full",
	[ST_REDIS_SPOOL_TORN] = "redis_spool_torn",
	[ST_REDIS_SPOOL_IO] = "redis_spool_io_errors",
	[ST_REDIS_RECONNECTS] = "redis_reconnects",
	[ST_REDIS_ERR_TIMEOUT] = "redis_err_timeout",
	[ST_REDIS_ERR_CONN] = "redis_err_connection",
	[ST_REDIS_ERR_OOM] = "redis_err_oom",
	[ST_REDIS_ERR_READONLY] = "redis_err_readonly",
	[ST_REDIS_ERR_AUTH] = "redis_err_auth",
	[ST_REDIS_ERR_NOPERM] = "redis_err_noperm",
	[ST_REDIS_ERR_OTHER] = "redis_err_other",
};

const char *
stats_name(enum stat_id id)
{
	if ((unsigned)id >= ST_COUNT || stat_names[id] == NULL)
		return "unknown";
	return stat_names[id];
}

void
stats_print(const struct stats *st, FILE *fp)
{
	int i;

	for (i = 0; i < ST_COUNT; i++)
		if (st->v[i] != 0)
			fprintf(fp, "  %-20s %llu\n", stat_names[i],
			    (unsigned long long)st->v[i]);
}
