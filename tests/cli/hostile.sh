#!/bin/bash
# Hostile conditions (issue 9): a SYN flood around a Stratum session, alert
# storms (SSH scan, threshold, global budget), config files that hang or
# empty the policy, multi-interface pcapng, start-up that must do no damage.
# Prints "ok - ..." / "not ok - ..." lines for tools/run-tests.sh; called
# by tests/cli/run.sh.
set -u
cd "$(dirname "$0")/../.." || exit 1
BUILD=${BUILD:-build}
S=$BUILD/egress-sensor
tmp=$(mktemp -d "${TMPDIR:-/tmp}/i9-hostile.XXXXXX")
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
	rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

check() {	# check NAME COND-COMMAND...
	local name=$1; shift
	if "$@"; then echo "ok - hostile: $name"; else echo "not ok - hostile: $name"; fi
}
jqn() {		# jqn FILE FILTER: a number from a slurped NDJSON file
	jq -s "$2" "$1" 2>/dev/null || echo -1
}
ms() { date +%s%3N; }

# --- 1. a SYN flood around a 20-minute Stratum session ---------------------
# 600,000 spoofed SYNs (3 bursts of 200,000 in 10 s, each more than the
# default 131,072 flows), default config, address space capped at 512 MiB.
# Only alerts, the Stratum flow's records and stats are kept.
if "$BUILD/mkflood" "$tmp/flood.pcap" 600000 3; then
	t0=$(ms)
	prlimit --as=$((512 * 1024 * 1024)) "$S" -r "$tmp/flood.pcap" \
	    -c rules/egress.yaml --json - 2>"$tmp/flood.err" |
	    grep -F -e '"event_type":"alert"' -e '"dest_port":3333' \
	    -e '"event_type":"stats"' >"$tmp/flood.ndjson"
	rc=${PIPESTATUS[0]}
	t1=$(ms)
	echo "# flood: $((t1 - t0)) ms, exit $rc"
	check "flood: exit 0 within 512 MiB of address space (got $rc)" test "$rc" -eq 0
	check "flood: exactly one alert" test "$(jqn "$tmp/flood.ndjson" '[.[]|select(.event_type=="alert")]|length')" -eq 1
	check "flood: it is the Stratum alert, outbound, from the miner" test "$(jq -c 'select(.event_type=="alert")|[.alert.detector,.direction,.src_ip]' "$tmp/flood.ndjson")" = '["stratum","outbound","10.20.0.10"]'
	check "flood: every record of the Stratum flow is outbound from the miner" test "$(jq -s -c '[.[]|select(.event_type=="flow" and (.src_port==3333 or .dest_port==3333))|[.direction,.src_ip]]|unique' "$tmp/flood.ndjson")" = '[["outbound","10.20.0.10"]]'
	check "flood: the Stratum flow ends by fin, never evicted" test "$(jq -s -c '[.[]|select(.event_type=="flow" and .dest_port==3333)|.flow.reason]|unique' "$tmp/flood.ndjson")" = '["active_timeout","fin"]'
	check "flood: no SSH verdict from bare SYNs to port 22" test "$(jqn "$tmp/flood.ndjson" '[.[]|select(.event_type=="stats")][-1].stats.verdicts')" -eq 1
	check "flood: emergency mode entered, no flow dropped, no nDPI alloc failure" test "$(jq -s -c '[.[]|select(.event_type=="stats")][-1].stats|[.flow_emergency>0,.flows_dropped,.ndpi_alloc_failed]' "$tmp/flood.ndjson")" = '[true,0,0]'
	check "flood: evictions counted by class add up" test "$(jq -s '[.[]|select(.event_type=="stats")][-1].stats|.flows_evicted==(.flows_evicted_unanswered+.flows_evicted_answered+.flows_evicted_established+.flows_evicted_app)' "$tmp/flood.ndjson")" = true
	check "flood: 600,001 flows created (the SYNs and the session)" test "$(jqn "$tmp/flood.ndjson" '[.[]|select(.event_type=="stats")][-1].stats.flows_created')" -eq 600001
else
	echo "not ok - hostile: flood: mkflood failed"
fi
