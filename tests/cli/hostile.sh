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

# --- 2. alert storms: a rule threshold and the global budget --------------
# 3,000 SYNs in one burst (no flood): every flow to port 22 matches a plain
# flow rule; the threshold lets 3 through, the budget 5 per second.
storm_cfg() {	# storm_cfg FILE RULE-EXTRA BUDGET
	sed "s/^  stats_interval: 0/  stats_interval: 0\n  alert_budget: $3/" \
	    rules/egress.yaml >"$1"
	sed -i "s#^  mining_pools: lists/#  mining_pools: $PWD/rules/lists/#" "$1"
	cat >>"$1" <<EOR
  - sid: 2000001
    id: scan-22
    title: Outbound flow to port 22
    severity: 3
    when: {direction: outbound, dest_port: 22}
$2
EOR
}
if "$BUILD/mkflood" "$tmp/storm.pcap" 3000 1; then
	storm_cfg "$tmp/thr.yaml" "    threshold: {count: 3, seconds: 600, by: []}" 0
	"$S" -r "$tmp/storm.pcap" -c "$tmp/thr.yaml" --json "$tmp/thr.ndjson" 2>"$tmp/thr.err"
	check "threshold: config with threshold and alert_budget 0 loads" test $? -eq 0
	n22=$(jqn "$tmp/thr.ndjson" '[.[]|select(.event_type=="flow" and .dest_port==22)]|length')
	check "threshold: exactly 3 alerts of the rule (of $n22 flows to port 22)" test "$(jqn "$tmp/thr.ndjson" '[.[]|select(.event_type=="alert" and .alert.rule=="scan-22")]|length')" -eq 3
	check "threshold: the rest counted in alerts_thresholded" test "$(jqn "$tmp/thr.ndjson" '[.[]|select(.event_type=="stats")][-1].stats.alerts_thresholded')" -eq $((n22 - 3))
	storm_cfg "$tmp/bud.yaml" "" 5
	"$S" -r "$tmp/storm.pcap" -c "$tmp/bud.yaml" --json "$tmp/bud.ndjson" 2>"$tmp/bud.err"
	a=$(jqn "$tmp/bud.ndjson" '[.[]|select(.event_type=="alert" and .alert.rule=="scan-22")]|length')
	ob=$(jqn "$tmp/bud.ndjson" '[.[]|select(.event_type=="stats")][-1].stats.alerts_over_budget')
	# The flows end by timeout over about 11 s of packet time: <= 5 a second.
	check "budget: $a alerts, at most 5 a second of packet time" test "$a" -gt 0 -a "$a" -le 60
	check "budget: alerts + over budget = flows to port 22 ($a + $ob = $n22)" test $((a + ob)) -eq "$n22"
	check "budget: the Stratum alert still raised" test "$(jqn "$tmp/bud.ndjson" '[.[]|select(.event_type=="alert" and .alert.detector=="stratum")]|length')" -eq 1
	check "budget: no second holds more than 5 alerts" test "$(jq -s '[.[]|select(.event_type=="alert")|.timestamp[0:19]]|group_by(.)|map(length)|max' "$tmp/bud.ndjson")" -le 5
else
	echo "not ok - hostile: storm: mkflood failed"
fi
printf 'rules:\n  - sid: 1\n    id: a\n    title: t\n    severity: 1\n    when: {dest_port: 22}\n    threshold: {seconds: 0, by: [nope]}\n' >"$tmp/badthr.yaml"
"$S" -n -c "$tmp/badthr.yaml" 2>"$tmp/err"; rc=$?
check "threshold: bad threshold is exit 2 (got $rc)" test "$rc" -eq 2
check "threshold: count required, seconds range, by names: file:line:col each" test "$(grep -cE 'badthr.yaml:7:[0-9]+: ' "$tmp/err")" -ge 3

# --- 3. config hazards: exit 2 in under a second, clear file:line ---------
# expect_cfg NAME REGEX CONFIG [ARGS]: -n and a real start both exit 2 fast.
expect_cfg() {
	local name=$1 re=$2 cfg=$3 t0 t1 rc; shift 3
	echo keep >"$tmp/keep.ndjson"
	t0=$(ms)
	timeout 5 "$S" -r pcaps/tls-sni.pcap -c "$cfg" --json "$tmp/keep.ndjson" "$@" \
	    >"$tmp/out" 2>"$tmp/err"
	rc=$?
	t1=$(ms)
	echo "# config hazard '$name': exit $rc in $((t1 - t0)) ms"
	check "$name: exit 2 (got $rc)" test "$rc" -eq 2
	check "$name: under a second ($((t1 - t0)) ms)" test $((t1 - t0)) -lt 1000
	check "$name: message" grep -qE "$re" "$tmp/err"
	check "$name: --json file untouched" test "$(cat "$tmp/keep.ndjson")" = keep
}
list_cfg() {	# list_cfg FILE LISTPATH
	printf 'lists:\n  pools: %s\nrules:\n  - sid: 1\n    id: a\n    title: t\n    severity: 1\n    when: {detector: stratum}\n' "$2" >"$1"
}
mkfifo "$tmp/i9-fifo"
list_cfg "$tmp/l-zero.yaml" /dev/zero
expect_cfg "list file /dev/zero" "l-zero.yaml:2:10: list 'pools': /dev/zero: not a regular file \(a character device\)" "$tmp/l-zero.yaml"
list_cfg "$tmp/l-fifo.yaml" "$tmp/i9-fifo"
expect_cfg "list file a FIFO" "l-fifo.yaml:2:10: list 'pools': .*i9-fifo: not a regular file \(a FIFO\)" "$tmp/l-fifo.yaml"
head -c 3000000 /dev/zero | tr '\0' a >"$tmp/long.txt"
list_cfg "$tmp/l-long.yaml" "$tmp/long.txt"
expect_cfg "list line without end" "long.txt:1:1: line longer than 4096 bytes" "$tmp/l-long.yaml"
printf 'pool.example\nbad\000name\n' >"$tmp/nul.txt"
list_cfg "$tmp/l-nul.yaml" "$tmp/nul.txt"
expect_cfg "list file with a NUL" "nul.txt:2:4: NUL byte" "$tmp/l-nul.yaml"
expect_cfg "config /dev/zero" "/dev/zero:1:1: not a regular file" /dev/zero
expect_cfg "config a FIFO" "i9-fifo:1:1: not a regular file \(a FIFO\)" "$tmp/i9-fifo"
printf 'sensor:\n  name: ok\nnetworks:\n  internal: [10.0.0.0/8]  # caf\351\n' >"$tmp/utf8.yaml"
expect_cfg "invalid UTF-8 at its line:col" "utf8.yaml:4:32: yaml: .*UTF-8" "$tmp/utf8.yaml"
printf 'sensor:\n  name: ok\n  # x\000y\n' >"$tmp/nul.yaml"
expect_cfg "NUL at its line:col" "nul.yaml:3:6: yaml: control characters are not allowed \(byte 0x00\)" "$tmp/nul.yaml"
: >"$tmp/empty.yaml"
expect_cfg "zero-byte config" "empty.yaml:1:1: no settings and no rules" "$tmp/empty.yaml"
printf '  \n\n# nothing\n' >"$tmp/blank.yaml"
expect_cfg "whitespace-only config" "blank.yaml:1:1: no settings and no rules" "$tmp/blank.yaml"
"$S" -n -c "$tmp/empty.yaml" --allow-empty-config 2>"$tmp/err"
check "--allow-empty-config accepts a zero-byte config" test $? -eq 0
printf 'networks:\n  internal: [10.1.2.3/8, 10.0.0.0/08]\nrules: []\n' >"$tmp/cidr.yaml"
"$S" -n -c "$tmp/cidr.yaml" 2>"$tmp/err"
check "non-canonical CIDRs: accepted (exit 0)" test $? -eq 0
check "non-canonical CIDRs: a warning each, at line:col" test "$(grep -cE "cidr.yaml:2:(14|26): warning: '10\.(1\.2\.3/8|0\.0\.0/08)' is not canonical: read as 10\.0\.0\.0/8" "$tmp/err")" -eq 2

# SIGHUP with hazards: the old policy stays and packets keep flowing to
# records while each reload is attempted.
mkfifo "$tmp/in"
mkdir -p "$tmp/hup"
cp -r rules/. "$tmp/hup/"
"$S" -r - -c "$tmp/hup/egress.yaml" --json "$tmp/hup.ndjson" <"$tmp/in" 2>"$tmp/hup.err" &
spid=$!; pids+=("$spid")
exec 7>"$tmp/in"
cat pcaps/stratum-btc.pcap >&7		# a first capture: one Stratum alert
sleep 1
hup() {	# hup: SIGHUP, then another capture's packets (global header cut)
	kill -HUP "$spid"; sleep 0.3
	tail -c +25 "$1" >&7; sleep 0.5
}
sed -i "s#^  mining_pools: .*#  mining_pools: /dev/zero#" "$tmp/hup/egress.yaml"
hup pcaps/mining-stratum-split.pcap
sed -i "s#^  mining_pools: .*#  mining_pools: $tmp/i9-fifo#" "$tmp/hup/egress.yaml"
hup pcaps/mining-stratum-ports.pcap
: >"$tmp/hup/egress.yaml"
hup pcaps/mining-stratum-dialect-ports.pcap
exec 7>&-
wait "$spid"; rc=$?
check "SIGHUP hazards: run exits 0 (got $rc)" test "$rc" -eq 0
check "SIGHUP /dev/zero list: rejected" grep -q "list 'mining_pools': /dev/zero: not a regular file" "$tmp/hup.err"
check "SIGHUP FIFO list: rejected without waiting" grep -q "i9-fifo: not a regular file (a FIFO)" "$tmp/hup.err"
check "SIGHUP empty config: rejected" grep -q "egress.yaml:1:1: no settings and no rules" "$tmp/hup.err"
check "SIGHUP hazards: three reloads refused, old rules stay" test "$(grep -c "old rules stay" "$tmp/hup.err")" -eq 3
# Each capture sent after a refused reload has its flows and its Stratum
# alerts under the old rules: capture went on through every attempt.
check "SIGHUP hazards: flows of every capture recorded" test "$(jq -s -c '[.[]|select(.event_type=="flow")|.src_ip]|unique' "$tmp/hup.ndjson")" = '["10.20.0.10","10.20.0.13","10.20.0.17"]'
check "SIGHUP hazards: Stratum alerts from every capture, old rule" test "$(jq -s -c '[.[]|select(.event_type=="alert")|[.src_ip,.alert.rule]]|unique' "$tmp/hup.ndjson")" = '[["10.20.0.10","stratum-mining"],["10.20.0.13","stratum-mining"],["10.20.0.17","stratum-mining"]]'

# --- 5. start-up does no damage before it succeeds -------------------------
expect_start() {	# expect_start NAME STATUS REGEX ARGS...
	local name=$1 want=$2 re=$3 rc; shift 3
	echo keep >"$tmp/keep.ndjson"
	"$S" -r pcaps/tls-sni.pcap -c rules/egress.yaml --json "$tmp/keep.ndjson" "$@" \
	    >"$tmp/out" 2>"$tmp/err"
	rc=$?
	check "$name: exit $want (got $rc)" test "$rc" -eq "$want"
	check "$name: message" grep -qE "$re" "$tmp/err"
	check "$name: existing --json file untouched" test "$(cat "$tmp/keep.ndjson")" = keep
}
expect_start "bad Redis URL" 2 'redis: bad url "redis://bob:\*\*\*\*\*@"' --redis 'redis://bob:s3cret@'
check "bad Redis URL: the password is never printed" test "$(grep -c s3cret "$tmp/err")" -eq 0
expect_start "bad Redis URL, password only" 2 'bad url "redis://\*\*\*\*\*@:x"' --redis 'redis://hunter2@:x'
check "password-only URL: never printed" test "$(grep -c hunter2 "$tmp/err")" -eq 0
expect_start "unknown -u user" 2 "unknown user 'i9-nosuchuser'" -u i9-nosuchuser
expect_start "Redis down" 1 "redis: connect" --redis "unix://$tmp/none.sock"
if command -v redis-server >/dev/null; then
	redis-server --port 0 --unixsocket "$tmp/r.sock" --save '' --appendonly no \
	    --daemonize no >"$tmp/redis.log" 2>&1 &
	rpid=$!; pids+=("$rpid")
	for _ in $(seq 50); do [ -S "$tmp/r.sock" ] && break; sleep 0.1; done
	expect_start "unknown -u user with Redis up" 2 "unknown user" -u i9-nosuchuser --redis "unix://$tmp/r.sock"
	check "unknown -u user: nothing registered in Redis" test "$(redis-cli -s "$tmp/r.sock" dbsize)" -eq 0
	kill "$rpid" 2>/dev/null; wait "$rpid" 2>/dev/null
else
	echo "ok - hostile: unknown -u user with Redis up # SKIP no redis-server"
fi

# --- 4. files read as nothing must not look like success -------------------
"$S" -r pcaps/multi-link.pcapng -r pcaps/tls-sni.pcap -c rules/egress.yaml --json "$tmp/ml.ndjson" 2>"$tmp/ml.err"
check "multi-link pcapng: exit 0" test $? -eq 0
check "multi-link pcapng: per-file packet counts in the summary" grep -q "pcaps/multi-link.pcapng: 56 packets" "$tmp/ml.err"
check "multi-link pcapng: the second file counted on its own" grep -q "pcaps/tls-sni.pcap: 25 packets" "$tmp/ml.err"
check "multi-link pcapng: one warning for the unsupported link type" test "$(grep -c 'link type 147 .* is not supported' "$tmp/ml.err")" -eq 1
"$S" -r - -c rules/egress.yaml --json "$tmp/mls.ndjson" <pcaps/multi-link.pcapng 2>"$tmp/mls.err"
check "multi-link pcapng on stdin: every packet read" test "$(jqn "$tmp/mls.ndjson" '[.[]|select(.event_type=="stats")][-1].stats.packets')" -eq 56
"$S" -r pcaps/multi-link.pcapng -f 'tcp port 443' -c rules/egress.yaml --json "$tmp/mlf.ndjson" 2>/dev/null
check "multi-link pcapng: BPF filter compiled per interface (TLS flow only)" test "$(jq -s -c '[.[]|select(.event_type=="flow")|[.dest_port,.flow.pkts_toserver,.flow.pkts_toclient]]' "$tmp/mlf.ndjson")" = '[[443,12,11]]'
head -c 3000 pcaps/multi-link.pcapng >"$tmp/cut.pcapng"
"$S" -r "$tmp/cut.pcapng" -c rules/egress.yaml --json /dev/null 2>"$tmp/cut.err"
check "cut pcapng: read up to the damage, warned with the offset" grep -q "pcapng: file cut in the block at offset" "$tmp/cut.err"
printf '\n\r\r\n\034\000\000\000\115\074\053\032\001\000\000\000\377\377\377\377\377\377\377\377\034\000\000\000' >"$tmp/empty.pcapng"
"$S" -r "$tmp/empty.pcapng" -c rules/egress.yaml --json /dev/null 2>"$tmp/e.err"
check "pcapng with no packets: warned" grep -q "empty.pcapng: no packets read" "$tmp/e.err"
