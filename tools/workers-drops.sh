#!/bin/bash
# workers-drops.sh - capture drops of a live sensor, 1 worker vs 2, as
# the replay rate grows (issue #10's --workers acceptance).  Not part of
# make test: it loads the machine for a few minutes.  Root.
#
#   tools/workers-drops.sh [RATE ...]      (packets/s; default below)
#
# Two network namespaces of our own (i10w- names), a veth pair between
# them; the sensor listens on one end with --workers N (rules/egress.yaml,
# records to a file), tcpreplay sends the bench's mixed capture
# (tools/mkmixed.py: HTTP, TLS, DNS, SSH, Stratum, NTP, ICMP, bulk; about
# 2,000 flows) into the other, preloaded, looped, at each rate for about
# SECS seconds, then as fast as it can (--topspeed).  A fresh sensor per
# step; its final stats record gives the packets it read and its capture
# drops (pcap_stats, summed over workers).  Then the acceptance pair:
# 2 workers at the top rate tcpreplay reached against 1 worker at half
# that rate.  Prints one line per step and the load average around it.
#
# Environment: BUILD (build), SECS (4), BUF (-B KiB per handle, 32768;
# 0 = libpcap's default, 2 MiB), PAR (tcpreplay processes sending at
# once, each at RATE / PAR; 1), PCAP (a capture instead of the mixed one).
# The sender shares the machine's cores with the sensor: on a veth the
# kernel's receive path (and the fanout) runs in the sender's context.
set -u
cd "$(dirname "$0")/.." || exit 1
BUILD=${BUILD:-build}
S=$BUILD/egress-sensor
SECS=${SECS:-4}
BUF=${BUF:-32768}
PAR=${PAR:-1}
bufarg=()
[ "$BUF" != 0 ] && bufarg=(-B "$BUF")
RATES=("$@")
[ ${#RATES[@]} -eq 0 ] && RATES=(20000 40000 80000 120000 160000 240000)
tmp=$(mktemp -d /tmp/i10w-drops.XXXXXX)
nsa=i10w-ma-$$ nsb=i10w-mb-$$
spid=
cleanup() {
	[ -n "$spid" ] && kill "$spid" 2>/dev/null
	ip netns del "$nsa" 2>/dev/null
	ip netns del "$nsb" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

[ "$(id -u)" -eq 0 ] || { echo "workers-drops: needs root" >&2; exit 1; }
PCAP=${PCAP:-$BUILD/bench/mixed.pcap}
if [ ! -s "$PCAP" ]; then
	mkdir -p "$(dirname "$PCAP")"
	echo "# generating $PCAP (tools/mkmixed.py)"
	python3 tools/mkmixed.py "$PCAP" >/dev/null || exit 1
fi
ip netns add "$nsa" && ip netns add "$nsb" || exit 1
for ns in "$nsa" "$nsb"; do
	ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1
done
ip link add i10w-mtx netns "$nsa" mtu 9000 type veth peer name i10w-mrx \
    netns "$nsb" mtu 9000
ip -n "$nsa" link set i10w-mtx up
ip -n "$nsb" link set i10w-mrx up
ip netns exec "$nsa" ethtool -K i10w-mtx tso off gso off gro off tx off \
    rx off >/dev/null 2>&1
ip netns exec "$nsb" ethtool -K i10w-mrx tso off gso off gro off tx off \
    rx off >/dev/null 2>&1
pkts=$(capinfos -c -M "$PCAP" 2>/dev/null | awk '/Number of packets/{print $NF}')
echo "# $(nproc) cores; capture $PCAP ($pkts packets); -B $BUF KiB per handle (0 = libpcap default); $PAR sender(s); ${SECS} s a step"
echo "# load before: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-8s %-10s %-10s %-10s %-10s %-8s %-9s %-9s %-8s %s\n' workers \
    target_pps sent_pps sent read drops drop_pct "load(1m)" cpu_s per_worker

# step WORKERS RATE|top: one sensor run; sets RES_PPS and RES_DROPS.
step() {
	local n=$1 rate=$2 limit args st sent=0 pps=0 i cpu
	rm -f "$tmp/out.ndjson"
	ip netns exec "$nsb" "$S" -i i10w-mrx --workers "$n" "${bufarg[@]}" \
	    -c rules/egress.yaml --json "$tmp/out.ndjson" -vv \
	    2>"$tmp/err" &
	spid=$!
	sleep 1.5	# up, and 2 workers settled (250 ms)
	if [ "$rate" = top ]; then
		limit=$((pkts * 2 / PAR))
		args=(--topspeed)
	else
		limit=$((rate * SECS / PAR))
		args=(--pps="$((rate / PAR))")
	fi
	for i in $(seq "$PAR"); do
		ip netns exec "$nsa" tcpreplay -K -i i10w-mtx "${args[@]}" \
		    --loop=0 --limit="$limit" "$PCAP" >"$tmp/tr$i" 2>&1 &
	done
	wait $(jobs -p | grep -v "^$spid\$")
	for i in $(seq "$PAR"); do
		sent=$((sent + $(awk '/Actual:/{print $2; exit}' "$tmp/tr$i")))
		pps=$((pps + $(awk '/Rated:/{for(i=1;i<=NF;i++) if($i ~ /pps/) print int($(i-1)); exit}' "$tmp/tr$i")))
	done
	sleep 1
	# The sensor's CPU seconds (user + system, all threads) so far.
	cpu=$(awk -v hz="$(getconf CLK_TCK)" '{printf "%.2f", ($14 + $15) / hz}' \
	    "/proc/$spid/stat")
	kill -TERM "$spid"; wait "$spid"; spid=
	st=$(jq -c 'select(.event_type=="stats")' "$tmp/out.ndjson" | tail -1)
	RES_PPS=$pps
	RES_DROPS=$(echo "$st" | jq '.stats.capture_drops')
	printf '%-8s %-10s %-10s %-10s %-10s %-8s %-9s %-9s %-8s %s\n' "$n" "$rate" \
	    "$pps" "$sent" "$(echo "$st" | jq '.stats.packets')" \
	    "$RES_DROPS" "$(awk -v d="$RES_DROPS" -v s="$sent" \
	    'BEGIN{printf "%.2f", (s > 0) ? 100 * d / s : 0}')" \
	    "$(cut -d' ' -f1 /proc/loadavg)" "$cpu" \
	    "$(echo "$st" | jq -c '[.workers[]?.packets]')"
}

declare -A first
for n in 1 2; do
	for r in "${RATES[@]}" top; do
		step "$n" "$r"
		[ "${RES_DROPS:-0}" -gt 0 ] && [ -z "${first[$n]:-}" ] &&
		    first[$n]="$r (sent $RES_PPS pps, $RES_DROPS drops)"
		[ "$r" = top ] && top[$n]=$RES_PPS && topdrops[$n]=$RES_DROPS
	done
done
echo "# first rate with capture drops: 1 worker: ${first[1]:-none up to top}; 2 workers: ${first[2]:-none up to top}"
half=$((top[2] / 2))
echo "# acceptance: 2 workers at the top rate reached (${top[2]} pps) vs 1 worker at half of it ($half pps)"
step 1 "$half"
echo "# 2 workers @ ${top[2]} pps: ${topdrops[2]} drops; 1 worker @ $half pps: $RES_DROPS drops -> $([ "${topdrops[2]}" -le "$RES_DROPS" ] && echo PASS || echo FAIL)"
echo "# load after: $(cut -d' ' -f1-3 /proc/loadavg)"
