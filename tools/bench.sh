#!/usr/bin/env bash
# bench.sh - packets/s of egress-sensor vs ndpiReader vs a bare libpcap loop,
# then the sensor with Redis healthy vs paused for the whole run (same
# capture, same run of this script), and the writer's records/s into Redis.
#
# Run from the repo root (`make bench` does: BUILD=build tools/bench.sh).
# Uses $BENCH_PCAP if set, else $BUILD/bench/mixed.pcap, generating the
# latter with tools/mkmixed.py when it is missing or older than the script.
# Each tool reads the whole capture three times; the best wall-clock time
# counts (startup included: ndpiReader spends ~50 ms loading its protocol
# tables).  Packet count comes from pcap-loop.  Peak RSS comes from GNU
# time (package `time`).  The table goes to stdout and to
# $BUILD/bench/results.txt.  Then the flood case: build/mkflood's 600,000
# spoofed SYNs around a Stratum session, with its time, peak RSS and alert
# count.  Always exits 0: a tool that is missing or
# fails is reported and skipped.

set -u

BUILD=${BUILD:-build}
OUTDIR=$BUILD/bench
RESULTS=$OUTDIR/results.txt
RUNS=${BENCH_RUNS:-3}
LOOP=$BUILD/pcap-loop
SENSOR=$BUILD/egress-sensor
RULES=${BENCH_RULES:-rules/egress.yaml}
NDPI=${NDPIREADER:-ndpiReader}
GNUTIME=/usr/bin/time

mkdir -p "$OUTDIR"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/bench.XXXXXX") || exit 0
trap 'rm -rf "$tmp"' EXIT

note() { echo "bench: $*" >&2; }

if [ -n "${BENCH_PCAP:-}" ]; then
	PCAP=$BENCH_PCAP
	if [ ! -r "$PCAP" ]; then
		note "BENCH_PCAP=$PCAP: not readable"
		exit 0
	fi
else
	PCAP=$OUTDIR/mixed.pcap
	if [ ! -s "$PCAP" ] || [ tools/mkmixed.py -nt "$PCAP" ]; then
		note "generating $PCAP (tools/mkmixed.py)"
		g0=$(date +%s.%N)
		if ! python3 tools/mkmixed.py "$PCAP.tmp"; then
			rm -f "$PCAP.tmp"
			note "tools/mkmixed.py failed; nothing to bench"
			exit 0
		fi
		mv "$PCAP.tmp" "$PCAP"
		note "generated in $(awk -v a="$g0" -v b="$(date +%s.%N)" \
		    'BEGIN { printf "%.1f", b - a }') s"
	fi
fi

if [ ! -x "$GNUTIME" ]; then
	if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
		note "installing package 'time' for peak RSS"
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time \
		    >/dev/null 2>&1 || true
	fi
	[ -x "$GNUTIME" ] || note "no $GNUTIME: peak RSS not measured"
fi

# run_best NAME CMD...: runs CMD $RUNS times, stdout/stderr to files in $tmp.
# Sets BEST (seconds, best of the runs), RSS (KiB, max over runs), OK (0/1).
run_best() {
	local name=$1 t0 t1 s r
	shift
	BEST="" RSS="" OK=1
	for _ in $(seq "$RUNS"); do
		t0=$(date +%s%N)
		if [ -x "$GNUTIME" ]; then
			"$GNUTIME" -f %M -o "$tmp/$name.rss" "$@" \
			    >"$tmp/$name.out" 2>"$tmp/$name.err"
		else
			"$@" >"$tmp/$name.out" 2>"$tmp/$name.err"
		fi
		r=$?
		t1=$(date +%s%N)
		if [ "$r" -ne 0 ]; then
			note "$name exited $r; stderr:"
			tail -n 5 "$tmp/$name.err" >&2
			OK=0
			return
		fi
		s=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.6f", (b - a) / 1e9 }')
		if [ -z "$BEST" ] ||
		    awk -v s="$s" -v b="$BEST" 'BEGIN { exit !(s < b) }'; then
			BEST=$s
		fi
		if [ -s "$tmp/$name.rss" ]; then
			r=$(tail -n 1 "$tmp/$name.rss")
			if [ -z "$RSS" ] || [ "$r" -gt "$RSS" ]; then
				RSS=$r
			fi
		fi
	done
}

declare -A SEC KIB
tools=()

if [ ! -x "$LOOP" ]; then
	note "$LOOP not built (make all); nothing to bench"
	exit 0
fi
run_best pcap-loop "$LOOP" "$PCAP"
if [ "$OK" -ne 1 ]; then
	exit 0
fi
SEC[pcap-loop]=$BEST KIB[pcap-loop]=$RSS
tools+=(pcap-loop)
PKTS=$(sed -n 's/.*packets=\([0-9]*\).*/\1/p' "$tmp/pcap-loop.out")
BYTES=$(sed -n 's/.*bytes=\([0-9]*\).*/\1/p' "$tmp/pcap-loop.out")
if [ -z "$PKTS" ] || [ "$PKTS" -eq 0 ]; then
	note "pcap-loop read no packets from $PCAP"
	exit 0
fi

# ndpiReader: -q quiet (no per-flow dump); -n is ignored for pcap files,
# so it runs one reader thread; its summary goes to /dev/null.
if command -v "$NDPI" >/dev/null; then
	run_best ndpiReader "$NDPI" -i "$PCAP" -q
	if [ "$OK" -eq 1 ]; then
		SEC[ndpiReader]=$BEST KIB[ndpiReader]=$RSS
		tools+=(ndpiReader)
	fi
else
	note "$NDPI not found (package libndpi-bin); skipped"
fi

if [ -x "$SENSOR" ]; then
	run_best egress-sensor "$SENSOR" -r "$PCAP" -c "$RULES" --json /dev/null
	if [ "$OK" -eq 1 ]; then
		SEC[egress-sensor]=$BEST KIB[egress-sensor]=$RSS
		tools+=(egress-sensor)
	fi
else
	note "$SENSOR not built yet; skipped"
fi

{
	echo "capture: $PCAP"
	echo "packets: $PKTS  bytes: $BYTES  runs: best of $RUNS (wall clock)"
	echo
	printf '%-14s %10s %12s %9s %9s\n' tool seconds packets/s vs-loop rss-MiB
	for t in "${tools[@]}"; do
		awk -v t="$t" -v s="${SEC[$t]}" -v base="${SEC[pcap-loop]}" \
		    -v p="$PKTS" -v k="${KIB[$t]}" 'BEGIN {
			pps = s > 0 ? p / s : 0
			lpps = base > 0 ? p / base : 0
			ratio = lpps > 0 ? pps / lpps : 0
			rss = k == "" ? "-" : sprintf("%.1f", k / 1024)
			printf "%-14s %10.3f %12.0f %9.4f %9s\n", t, s, pps,
			    ratio, rss
		}'
	done
	echo "(vs-loop = packets/s divided by the bare loop's packets/s)"
	if [ -n "${SEC[egress-sensor]:-}" ] && [ -n "${SEC[ndpiReader]:-}" ]; then
		awk -v e="${SEC[egress-sensor]}" -v n="${SEC[ndpiReader]}" 'BEGIN {
			printf "egress-sensor/ndpiReader packets/s: %.3f" \
			    " (>1: egress-sensor faster)\n", n / e
		}'
	else
		echo "egress-sensor/ndpiReader packets/s: n/a"
	fi
} | tee "$RESULTS"

# The flood case (issue 9): 600,000 spoofed SYNs around a 20-minute Stratum
# session (build/mkflood), default config: time, peak RSS, alerts.
FLOOD=$OUTDIR/flood.pcap
if [ -x "$BUILD/mkflood" ] && [ -x "$SENSOR" ]; then
	if [ ! -s "$FLOOD" ] || [ "$BUILD/mkflood" -nt "$FLOOD" ]; then
		"$BUILD/mkflood" "$FLOOD" 600000 3 || rm -f "$FLOOD"
	fi
	if [ -s "$FLOOD" ]; then
		run_best flood "$SENSOR" -r "$FLOOD" -c "$RULES" --json /dev/null -v
		if [ "$OK" -eq 1 ]; then
			{
				echo
				echo "flood: $FLOOD (600,000 SYNs around a Stratum session)"
				awk -v s="$BEST" -v k="$RSS" \
				    -v a="$(awk '$1 == "alerts" { print $2 }' "$tmp/flood.err")" \
				    -v e="$(awk '$1 == "flows_evicted" { print $2 }' "$tmp/flood.err")" \
				    'BEGIN { printf "flood: %.3f s, peak RSS %s MiB, alerts %s, flows evicted %s\n", s,
					k == "" ? "-" : sprintf("%.1f", k / 1024), a == "" ? 0 : a, e == "" ? 0 : e }'
			} | tee -a "$RESULTS"
		fi
	fi
fi
# ---- Redis: the packet path with Redis paused vs healthy, and the
# writer's sustained records/s (issue 7).  A private redis-server on a
# unix socket in $tmp; the sensor gets a copy of the rules with a spool.
if ! command -v redis-server >/dev/null || ! command -v redis-cli >/dev/null; then
	echo "redis: redis-server not installed; skipped" | tee -a "$RESULTS"
	exit 0
fi
RSOCK=$tmp/redis.sock
redis-server --port 0 --unixsocket "$RSOCK" --save '' --appendonly no \
    --daemonize no >"$tmp/redis.log" 2>&1 &
rpid=$!
trap 'kill $rpid 2>/dev/null; wait $rpid 2>/dev/null; rm -rf "$tmp"' EXIT
for _ in $(seq 100); do
	[ "$(redis-cli -s "$RSOCK" PING 2>/dev/null)" = PONG ] && break
	sleep 0.05
done
cp -R "$(dirname "$RULES")" "$tmp/cfg"
awk '/^output:/ { skip = 1; next } skip && /^[^ \t#]/ { skip = 0 } !skip' \
    "$RULES" >"$tmp/cfg/bench.yaml"
printf 'output:\n  redis:\n    timeout_ms: 200\n    spool: {dir: %s, max_bytes: 1073741824}\n' \
    "$tmp/spool" >>"$tmp/cfg/bench.yaml"
# run_redis NAME: best of $RUNS, a fresh spool and an empty Redis each run.
run_redis() {
	local name=$1 t0 t1 s
	BEST=""
	for _ in $(seq "$RUNS"); do
		rm -rf "$tmp/spool"
		[ "$name" = healthy ] &&
		    redis-cli -s "$RSOCK" FLUSHALL >/dev/null 2>&1
		t0=$(date +%s%N)
		"$SENSOR" -r "$PCAP" -c "$tmp/cfg/bench.yaml" \
		    --redis "unix://$RSOCK" --json /dev/null -v \
		    >"$tmp/$name.out" 2>"$tmp/$name.err"
		t1=$(date +%s%N)
		s=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.6f", (b - a) / 1e9 }')
		if [ -z "$BEST" ] ||
		    awk -v s="$s" -v b="$BEST" 'BEGIN { exit !(s < b) }'; then
			BEST=$s
		fi
	done
}
# The writer alone first, into the healthy Redis.
writer=$("$BUILD/redis-bench" "unix://$RSOCK" "${BENCH_RECORDS:-500000}")
run_redis healthy
healthy=$BEST
hw=$(sed -n 's/^ *redis_written *//p' "$tmp/healthy.err")
# Paused for the whole of every paused run; a paused Redis answers no
# client (not even CLIENT UNPAUSE), so it is killed at the end instead.
redis-cli -s "$RSOCK" CLIENT PAUSE 3600000 ALL >/dev/null
run_redis paused
paused=$BEST
ps=$(sed -n 's/^ *redis_spooled *//p' "$tmp/paused.err")
{
	echo
	awk -v p="$PKTS" -v h="$healthy" -v q="$paused" -v hw="${hw:-0}" \
	    -v ps="${ps:-0}" 'BEGIN {
		printf "redis healthy: %10.0f packets/s (%.3f s, %d records written)\n", p / h, h, hw
		printf "redis paused:  %10.0f packets/s (%.3f s, %d records spooled)\n", p / q, q, ps
		printf "paused/healthy packets/s: %.3f (target >= 0.90)\n", h / q
	}'
	echo "$writer" | sed 's/^redis-bench: /redis writer: /'
	echo "(redis writer target: >= 150000 records/s)"
} | tee -a "$RESULTS"
exit 0
