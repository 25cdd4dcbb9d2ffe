#!/usr/bin/env bash
# bench.sh - the user's view of speed: packets/s of egress-sensor vs
# ndpiReader vs a bare libpcap read loop on three workloads, then the
# flood case, then the sensor with Redis healthy vs paused and the
# writer's records/s into Redis.
#
# Run from the repo root (`make bench` does: BUILD=build tools/bench.sh).
# Workloads (BENCH_WORKLOADS, default "mixed many bulk"), each generated
# once into $BUILD/bench and kept until its generator changes:
#   mixed  tools/mkmixed.py (186,482 packets, HTTP/TLS/DNS/SSH/Stratum/...),
#          or $BENCH_PCAP; best of $BENCH_RUNS (3) runs
#   many   build/mkflows many: 1,000,000 concurrent flows (BENCH_MANY_FLOWS),
#          6 M packets; the sensor's flow.capacity is raised to hold them
#          all (1,100,000); heavy, so one run (BENCH_HEAVY_RUNS)
#   bulk   build/mkflows bulk: 6 HTTP downloads, 1 M full-size packets;
#          best of $BENCH_RUNS
# For each: pcap-loop (the floor), ndpiReader -q, and egress-sensor with
# the shipped rules (every detector), one worker, records to an NDJSON
# file in a temp dir.  Wall-clock seconds (startup included), user+sys
# CPU seconds and peak RSS (GNU time, package `time`); packets/s, the
# ratios, the sensor's records/s and its flows_evicted counter.  The
# tables go to stdout and to $BUILD/bench/results.txt.  The machine may be
# shared: the load average is printed at the start and the end.
# Always exits 0: a tool that is missing or fails is reported and skipped.

set -u

BUILD=${BUILD:-build}
OUTDIR=$BUILD/bench
RESULTS=$OUTDIR/results.txt
RUNS=${BENCH_RUNS:-3}
HEAVY_RUNS=${BENCH_HEAVY_RUNS:-1}
WORKLOADS=${BENCH_WORKLOADS:-mixed many bulk}
MANY_FLOWS=${BENCH_MANY_FLOWS:-1000000}
MANY_CAPACITY=${BENCH_MANY_CAPACITY:-1100000}
TIMEOUT=${BENCH_TIMEOUT:-900}
LOOP=$BUILD/pcap-loop
SENSOR=$BUILD/egress-sensor
MKFLOWS=$BUILD/mkflows
RULES=${BENCH_RULES:-rules/egress.yaml}
NDPI=${NDPIREADER:-ndpiReader}
GNUTIME=/usr/bin/time

mkdir -p "$OUTDIR"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/bench.XXXXXX") || exit 0
trap 'rm -rf "$tmp"' EXIT
: >"$RESULTS"

note() { echo "bench: $*" >&2; }
out() { tee -a "$RESULTS"; }

if [ ! -x "$GNUTIME" ]; then
	if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
		note "installing package 'time' for peak RSS"
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time \
		    >/dev/null 2>&1 || true
	fi
	[ -x "$GNUTIME" ] || note "no $GNUTIME: CPU time and peak RSS not measured"
fi
if [ ! -x "$LOOP" ]; then
	note "$LOOP not built (make all); nothing to bench"
	exit 0
fi
[ -x "$SENSOR" ] || note "$SENSOR not built yet; egress-sensor skipped"
HAVE_NDPI=1
if ! command -v "$NDPI" >/dev/null; then
	note "$NDPI not found (package libndpi-bin); ndpiReader skipped"
	HAVE_NDPI=0
fi
# One worker: say so when the sensor knows --workers (offline -r is
# single-threaded either way; the NDJSON writer is its own thread).
SENSOR_OPTS=()
if [ -x "$SENSOR" ] && "$SENSOR" --help 2>&1 | grep -q -- '--workers'; then
	SENSOR_OPTS=(--workers 1)
fi

# gen OUT CMD...: runs CMD (which writes OUT.tmp) unless OUT is newer
# than the generator ($GEN); 0 when OUT is there.
gen() {
	local outf=$1 g0
	shift
	if [ -s "$outf" ] && [ ! "$GEN" -nt "$outf" ]; then
		return 0
	fi
	note "generating $outf ($*)"
	g0=$(date +%s.%N)
	if ! "$@" >/dev/null || [ ! -s "$outf.tmp" ]; then
		rm -f "$outf.tmp"
		note "$1 failed"
		return 1
	fi
	mv "$outf.tmp" "$outf"
	note "generated in $(awk -v a="$g0" -v b="$(date +%s.%N)" \
	    'BEGIN { printf "%.1f", b - a }') s"
}

# run_best NAME N CMD...: runs CMD N times (a {ndjson} argument is
# replaced by a fresh file in $tmp each run), stdout/stderr to $tmp.
# Sets BEST (wall seconds, best run), CPU (user+sys of that run), RSS
# (KiB, max over runs), OK (0/1).
run_best() {
	local name=$1 n=$2 t0 t1 s r c a args
	shift 2
	BEST="" CPU="" RSS="" OK=1
	for _ in $(seq "$n"); do
		args=()
		for a in "$@"; do
			[ "$a" = "{ndjson}" ] && a=$tmp/$name.ndjson
			args+=("$a")
		done
		rm -f "$tmp/$name.ndjson" "$tmp/$name.time"
		t0=$(date +%s%N)
		if [ -x "$GNUTIME" ]; then
			timeout "$TIMEOUT" "$GNUTIME" -f '%U %S %M' \
			    -o "$tmp/$name.time" "${args[@]}" \
			    >"$tmp/$name.out" 2>"$tmp/$name.err"
		else
			timeout "$TIMEOUT" "${args[@]}" \
			    >"$tmp/$name.out" 2>"$tmp/$name.err"
		fi
		r=$?
		t1=$(date +%s%N)
		if [ "$r" -ne 0 ]; then
			note "$name exited $r$([ "$r" -eq 124 ] &&
			    echo " (timeout ${TIMEOUT}s)"); stderr:"
			tail -n 5 "$tmp/$name.err" >&2
			OK=0
			return
		fi
		s=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.6f", (b - a) / 1e9 }')
		c=""
		if [ -s "$tmp/$name.time" ]; then
			read -r _u _s r <<<"$(tail -n 1 "$tmp/$name.time")"
			c=$(awk -v u="$_u" -v y="$_s" 'BEGIN { printf "%.2f", u + y }')
			if [ -z "$RSS" ] || [ "$r" -gt "$RSS" ]; then
				RSS=$r
			fi
		fi
		if [ -z "$BEST" ] ||
		    awk -v s="$s" -v b="$BEST" 'BEGIN { exit !(s < b) }'; then
			BEST=$s CPU=$c
		fi
	done
}

# stat_of FILE NAME: a counter from the sensor's -v stats (0 if absent:
# only non-zero counters are printed).
stat_of() {
	local v
	v=$(awk -v k="$2" '$1 == k { print $2 }' "$1" 2>/dev/null | tail -n 1)
	echo "${v:-0}"
}

# The summary rows, one per workload, filled by bench_workload.
SUMMARY=()

# bench_workload NAME PCAP RUNS CONFIG DESCRIPTION
bench_workload() {
	local name=$1 pcap=$2 n=$3 cfg=$4 desc=$5 pkts bytes recs ev t capped pools
	local -A sec cpu kib
	local tools=()

	run_best pcap-loop 1 "$LOOP" "$pcap"
	[ "$OK" -eq 1 ] || return
	pkts=$(sed -n 's/.*packets=\([0-9]*\).*/\1/p' "$tmp/pcap-loop.out")
	bytes=$(sed -n 's/.*bytes=\([0-9]*\).*/\1/p' "$tmp/pcap-loop.out")
	if [ -z "$pkts" ] || [ "$pkts" -eq 0 ]; then
		note "pcap-loop read no packets from $pcap"
		return
	fi
	# The first loop run warmed the page cache; now the timed ones.
	run_best pcap-loop "$n" "$LOOP" "$pcap"
	[ "$OK" -eq 1 ] || return
	sec[pcap-loop]=$BEST cpu[pcap-loop]=$CPU kib[pcap-loop]=$RSS
	tools+=(pcap-loop)
	# ndpiReader: -q quiet (no per-flow dump); -n is ignored for pcap
	# files, so it runs one reader thread.
	if [ "$HAVE_NDPI" -eq 1 ]; then
		run_best ndpiReader "$n" "$NDPI" -i "$pcap" -q
		if [ "$OK" -eq 1 ]; then
			sec[ndpiReader]=$BEST cpu[ndpiReader]=$CPU kib[ndpiReader]=$RSS
			tools+=(ndpiReader)
		fi
	fi
	recs="" ev=""
	if [ -x "$SENSOR" ]; then
		run_best egress-sensor "$n" "$SENSOR" -r "$pcap" -c "$cfg" \
		    "${SENSOR_OPTS[@]}" --json "{ndjson}" -v
		if [ "$OK" -eq 1 ]; then
			sec[egress-sensor]=$BEST cpu[egress-sensor]=$CPU
			kib[egress-sensor]=$RSS
			tools+=(egress-sensor)
			recs=$(wc -l <"$tmp/egress-sensor.ndjson" 2>/dev/null)
			ev=$(stat_of "$tmp/egress-sensor.err" flows_evicted)
			# What the caps cost, so a fast run is not a blind one.
			capped=""
			for k in ndpi_state_reclaimed app_state_exhausted \
			    stash_exhausted ndpi_result_exhausted; do
				capped="$capped $k $(stat_of "$tmp/egress-sensor.err" "$k")"
			done
			pools=$(sed -n 's/^egress-sensor: flow pools: //p' \
			    "$tmp/egress-sensor.err" | tail -n 1)
		fi
		rm -f "$tmp/egress-sensor.ndjson"
	fi
	{
		echo
		echo "== $name: $desc"
		awk -v p="$pkts" -v b="$bytes" -v n="$n" -v f="$pcap" 'BEGIN {
			runs = "one run"
			if (n + 0 > 1)
				runs = "best of " n " runs"
			printf "%s: %d packets, %.0f MB; %s\n", f, p, b / 1e6, runs
		}'
		printf '%-14s %9s %8s %12s %8s %9s %12s\n' tool seconds cpu-s \
		    packets/s vs-loop rss-MiB pkts/cpu-s
		for t in "${tools[@]}"; do
			awk -v t="$t" -v s="${sec[$t]}" -v c="${cpu[$t]}" \
			    -v base="${sec[pcap-loop]}" -v p="$pkts" \
			    -v k="${kib[$t]}" 'BEGIN {
				pps = s > 0 ? p / s : 0
				lpps = base > 0 ? p / base : 0
				ratio = lpps > 0 ? pps / lpps : 0
				pcpu = c > 0 ? sprintf("%.0f", p / c) : "-"
				if (c == "") c = "-"
				rss = k == "" ? "-" : sprintf("%.1f", k / 1024)
				printf "%-14s %9.3f %8s %12.0f %8.3f %9s %12s\n", t,
				    s, c, pps, ratio, rss, pcpu
			}'
		done
		echo "(seconds: wall clock, startup included; vs-loop: packets/s" \
		    "over the bare loop's; pkts/cpu-s: packets per user+sys second)"
		if [ -n "${sec[egress-sensor]:-}" ] && [ -n "${sec[ndpiReader]:-}" ]; then
			awk -v e="${sec[egress-sensor]}" -v d="${sec[ndpiReader]}" 'BEGIN {
				printf "egress-sensor/ndpiReader packets/s: %.2fx" \
				    " (>1: egress-sensor faster)\n", d / e }'
		else
			echo "egress-sensor/ndpiReader packets/s: n/a"
		fi
		if [ -n "${sec[egress-sensor]:-}" ]; then
			awk -v r="$recs" -v s="${sec[egress-sensor]}" -v e="$ev" 'BEGIN {
				rps = s > 0 ? r / s : 0
				printf "egress-sensor records: %d (%.0f records/s), flows evicted: %d\n",
				    r, rps, e }'
			echo "egress-sensor pool caps:$capped"
			[ -n "$pools" ] && echo "egress-sensor pools: $pools"
		fi
	} | out
	t=$(awk -v p="$pkts" -v s="${sec[egress-sensor]:-0}" \
	    -v l="${sec[pcap-loop]}" -v d="${sec[ndpiReader]:-0}" \
	    -v k="${kib[egress-sensor]:-}" -v nk="${kib[ndpiReader]:-}" \
	    -v r="${recs:-0}" -v e="${ev:--}" -v w="$name" 'BEGIN {
		pps = vn = vl = rps = "-"
		if (s > 0) {
			pps = sprintf("%.0f", p / s)
			vl = sprintf("%.3fx", l / s)
			rps = sprintf("%.0f", r / s)
			if (d > 0)
				vn = sprintf("%.2fx", d / s)
		}
		rss = k == "" ? "-" : sprintf("%.0f", k / 1024)
		nrss = nk == "" ? "-" : sprintf("%.0f", nk / 1024)
		printf "%-8s %11s %8s %8s %9s %10s %10s %8s\n", w, pps, vn,
		    vl, rss, nrss, rps, e }')
	SUMMARY+=("$t")
}

{
	echo "make bench: $(date -u '+%Y-%m-%d %H:%M UTC'), $(uname -n)," \
	    "$(nproc) CPUs ($(sed -n 's/^model name[[:space:]]*: //p' \
	    /proc/cpuinfo 2>/dev/null | head -n 1))"
	echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)" \
	    "(a shared machine skews wall-clock times; cpu-s is user+sys)"
	echo "egress-sensor: $RULES (every detector), one worker," \
	    "records to an NDJSON file in $tmp"
} | out

for w in $WORKLOADS; do
	case $w in
	mixed)
		if [ -n "${BENCH_PCAP:-}" ]; then
			PCAP=$BENCH_PCAP
			if [ ! -r "$PCAP" ]; then
				note "BENCH_PCAP=$PCAP: not readable"
				continue
			fi
		else
			PCAP=$OUTDIR/mixed.pcap GEN=tools/mkmixed.py
			gen "$PCAP" python3 tools/mkmixed.py "$PCAP.tmp" || continue
		fi
		bench_workload mixed "$PCAP" "$RUNS" "$RULES" \
		    "the project's mixed capture (tools/mkmixed.py)"
		;;
	many)
		[ -x "$MKFLOWS" ] || { note "$MKFLOWS not built; many skipped"; continue; }
		PCAP=$OUTDIR/many-$MANY_FLOWS.pcap GEN=$MKFLOWS
		gen "$PCAP" "$MKFLOWS" many "$PCAP.tmp" "$MANY_FLOWS" || continue
		# The shipped rules with flow.capacity raised to hold every flow.
		rm -rf "$tmp/cfg-many"
		cp -R "$(dirname "$RULES")" "$tmp/cfg-many"
		awk -v c="$MANY_CAPACITY" '
		    /^[^ \t#]/ { inflow = /^flow:/ }
		    inflow && /^[ \t]+capacity:/ { sub(/capacity:[ \t]*[0-9]+/, "capacity: " c) }
		    { print }' "$RULES" >"$tmp/cfg-many/$(basename "$RULES")"
		grep -q "capacity: $MANY_CAPACITY" "$tmp/cfg-many/$(basename "$RULES")" ||
		    note "could not set flow.capacity in a copy of $RULES"
		bench_workload many "$PCAP" "$HEAVY_RUNS" \
		    "$tmp/cfg-many/$(basename "$RULES")" \
		    "$MANY_FLOWS concurrent flows (build/mkflows many), flow.capacity $MANY_CAPACITY; heavy: $HEAVY_RUNS run(s)"
		;;
	bulk)
		[ -x "$MKFLOWS" ] || { note "$MKFLOWS not built; bulk skipped"; continue; }
		PCAP=$OUTDIR/bulk.pcap GEN=$MKFLOWS
		gen "$PCAP" "$MKFLOWS" bulk "$PCAP.tmp" || continue
		bench_workload bulk "$PCAP" "$RUNS" "$RULES" \
		    "6 HTTP downloads of full-size packets (build/mkflows bulk)"
		;;
	*)	note "unknown workload '$w' (mixed, many, bulk)" ;;
	esac
done

{
	echo
	echo "summary (egress-sensor; ratios are packets/s, >1x: the sensor is faster)"
	printf '%-8s %11s %8s %8s %9s %10s %10s %8s\n' workload packets/s \
	    vs-ndpi vs-loop rss-MiB ndpi-MiB records/s evicted
	for t in "${SUMMARY[@]}"; do
		echo "$t"
	done
	echo "(issue 10 targets: mixed >= 3x ndpiReader and >= 0.35x the loop;" \
	    "bulk >= 0.75x the loop; many >= 5x ndpiReader, <= 600 MiB, 0 evicted)"
} | out

# The mixed capture again for the Redis part below.
PCAP=${BENCH_PCAP:-$OUTDIR/mixed.pcap}
PKTS=$("$LOOP" "$PCAP" 2>/dev/null | sed -n 's/.*packets=\([0-9]*\).*/\1/p')
PKTS=${PKTS:-0}

# The flood case (issue 9): 600,000 spoofed SYNs around a 20-minute Stratum
# session (build/mkflood), default config: time, peak RSS, alerts.
FLOOD=$OUTDIR/flood.pcap
if [ -x "$BUILD/mkflood" ] && [ -x "$SENSOR" ]; then
	if [ ! -s "$FLOOD" ] || [ "$BUILD/mkflood" -nt "$FLOOD" ]; then
		"$BUILD/mkflood" "$FLOOD" 600000 3 || rm -f "$FLOOD"
	fi
	if [ -s "$FLOOD" ]; then
		run_best flood "$RUNS" "$SENSOR" -r "$FLOOD" -c "$RULES" --json /dev/null -v
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
if [ ! -x "$SENSOR" ] || [ "$PKTS" -eq 0 ]; then
	echo "redis: no sensor or no mixed capture; skipped" | tee -a "$RESULTS"
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
# The mixed capture REDIS_REPEAT times in one run: a paused Redis costs
# the sensor one timeout_ms (200) before it spools, and a run shorter than
# that (the mixed capture alone takes about 0.2 s) would measure the
# timeout, not the packet path.
REDIS_REPEAT=${BENCH_REDIS_REPEAT:-5}
RINPUTS=()
for _ in $(seq "$REDIS_REPEAT"); do RINPUTS+=(-r "$PCAP"); done
RPKTS=$((PKTS * REDIS_REPEAT))
# run_redis NAME: best of $RUNS, a fresh spool and an empty Redis each run.
run_redis() {
	local name=$1 t0 t1 s
	BEST=""
	for _ in $(seq "$RUNS"); do
		rm -rf "$tmp/spool"
		[ "$name" = healthy ] &&
		    redis-cli -s "$RSOCK" FLUSHALL >/dev/null 2>&1
		t0=$(date +%s%N)
		"$SENSOR" "${RINPUTS[@]}" -c "$tmp/cfg/bench.yaml" \
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
	echo "redis: the mixed capture $REDIS_REPEAT times per run (BENCH_REDIS_REPEAT)"
	awk -v p="$RPKTS" -v h="$healthy" -v q="$paused" -v hw="${hw:-0}" \
	    -v ps="${ps:-0}" 'BEGIN {
		printf "redis healthy: %10.0f packets/s (%.3f s, %d records written)\n", p / h, h, hw
		printf "redis paused:  %10.0f packets/s (%.3f s, %d records spooled)\n", p / q, q, ps
		printf "paused/healthy packets/s: %.3f (target >= 0.90)\n", h / q
	}'
	echo "$writer" | sed 's/^redis-bench: /redis writer: /'
	echo "(redis writer target: >= 150000 records/s)"
} | tee -a "$RESULTS"
exit 0
