#!/bin/sh
# tests/redis/run.sh - the Redis sink against a real redis-server.
#
# Starts a throwaway redis-server on a unix socket in a mktemp -d directory
# (no TCP port), replays every capture under pcaps/ (pcaps/regress/ aside)
# through the sensor with --redis and --json, and checks that Redis holds
# exactly what the NDJSON holds: XLEN of the flows and alerts streams,
# the `json` field byte-identical to the NDJSON lines in the same order,
# the flat fields (present, and equal to the record's own values), the
# sensors set, the health hash and its TTL, every alert on the live
# channel, and MAXLEN ~ trimming with a config whose
# output.redis.flows_maxlen is 5.  Kills only the pids it started.
#
# Run from anywhere; BUILD (default build) names the build directory.
# Prints "ok - name" / "not ok - name", then "N passed, N failed".
set -u

cd "$(dirname "$0")/../.." || exit 1
BUILD=${BUILD:-build}
SENSOR=$BUILD/egress-sensor
CONFIG=${CONFIG:-rules/egress.yaml}
PCAPS=${PCAPS:-pcaps}
PREFIX=egress
NAME="test"
pass=0
fail=0
tmp=""
redis_pid=""
sub_pid=""

ok() { pass=$((pass + 1)); echo "ok - $1"; }
notok() { fail=$((fail + 1)); echo "not ok - $1"; }
check() {
	_name=$1
	shift
	if "$@"; then ok "$_name"; else notok "$_name"; fi
}

finish() {
	[ -n "$sub_pid" ] && kill "$sub_pid" 2>/dev/null
	[ -n "$redis_pid" ] && kill "$redis_pid" 2>/dev/null &&
	    wait "$redis_pid" 2>/dev/null
	[ -n "$tmp" ] && rm -rf "$tmp"
	echo "$pass passed, $fail failed"
	[ "$fail" -eq 0 ]
	exit $?
}
trap finish EXIT
trap 'fail=$((fail + 1)); exit 1' INT TERM HUP

for t in redis-server redis-cli jq; do
	if ! command -v "$t" >/dev/null 2>&1; then
		notok "$t installed"
		exit 1
	fi
done
if [ ! -x "$SENSOR" ]; then
	notok "sensor binary $SENSOR exists (run make)"
	exit 1
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/egress-redis.XXXXXX") || exit 1
SOCK=$tmp/redis.sock
rcli() { redis-cli -s "$SOCK" "$@"; }

redis-server --port 0 --unixsocket "$SOCK" --save '' --appendonly no \
    --daemonize no >"$tmp/redis.log" 2>&1 &
redis_pid=$!
i=0
while [ "$(rcli PING 2>/dev/null)" != PONG ]; do
	i=$((i + 1))
	if [ $i -gt 100 ]; then
		notok "redis-server started"
		exit 1
	fi
	sleep 0.05
done

# Every capture, sorted, pcaps/regress/ aside (PCAPS overrides pcaps).
find "$PCAPS" \( -path "$PCAPS/regress" -prune \) -o -type f \
    \( -name '*.pcap' -o -name '*.pcapng' \) -print 2>/dev/null |
    LC_ALL=C sort >"$tmp/captures"
if [ ! -s "$tmp/captures" ]; then
	notok "captures found in pcaps/"
	exit 1
fi

# Lua, run inside Redis: the json fields of a stream, one a line, in order
# (redis-cli --raw prints bytes as they are).
LUA_JSON='local out = {}
for _, e in ipairs(redis.call("XRANGE", KEYS[1], "-", "+")) do
	local f = e[2]
	for i = 1, #f, 2 do
		if f[i] == "json" then out[#out + 1] = f[i + 1] end
	end
end
return out'

# Lua: entries whose flat fields are missing or disagree with their json.
LUA_FLAT='local bad = {}
local need = {"src_ip", "dest_ip", "dest_port", "app_proto", "direction",
    "bytes", "verdicts"}
for _, e in ipairs(redis.call("XRANGE", KEYS[1], "-", "+")) do
	local f, h = e[2], {}
	for i = 1, #f, 2 do h[f[i]] = f[i + 1] end
	local why = nil
	for _, n in ipairs(need) do
		if h[n] == nil then why = "missing " .. n end
	end
	if why == nil and h.json then
		local ok, j = pcall(cjson.decode, h.json)
		if not ok then why = "json does not parse"
		else
			for _, n in ipairs({"src_ip", "dest_ip", "direction"}) do
				if j[n] ~= nil and tostring(j[n]) ~= h[n] then
					why = n .. " differs"
				end
			end
			if j.dest_port ~= nil and
			    string.format("%d", j.dest_port) ~= h.dest_port then
				why = "dest_port differs"
			end
		end
	end
	if why then bad[#bad + 1] = e[1] .. ": " .. why end
end
return bad'

parses() { jq . "$1" >/dev/null; }

# stream_json KEY > file: the json fields of a stream.  An empty reply
# prints an empty line; a record is never empty, so empty lines go.
stream_json() { rcli --raw EVAL "$LUA_JSON" 1 "$1" | sed '/^$/d'; }

# lines_of TYPE NDJSON > file: the NDJSON lines of one event_type, as they
# are (jq only reads the type; the lines themselves are never rewritten).
lines_of() {
	jq -r '.event_type' "$2" >"$tmp/types" || return 1
	paste -d ' ' "$tmp/types" "$2" | awk -v t="$1" '$1 == t' |
	    cut -d ' ' -f 2-
}

# same_lines NAME WANT GOT: byte-identical, with a hint when not.
same_lines() {
	if cmp -s "$2" "$3"; then
		ok "$1"
	else
		notok "$1"
		diff "$2" "$3" | head -5 | sed 's/^/#   /'
	fi
}

# Waits until file $1 has at least $2 lines (the subscriber is async).
wait_lines() {
	i=0
	while [ "$(wc -l <"$1")" -lt "$2" ] && [ $i -lt 40 ]; do
		sleep 0.05
		i=$((i + 1))
	done
}

# maxlen_config FILE: FILE with output.redis.flows_maxlen set to 5, for
# block-style YAML (an existing flows_maxlen is replaced); a file without
# an output section gets one appended.
maxlen_config() {
	awk '
	function indent(l) { match(l, /^[ \t]*/); return RLENGTH }
	function blank(l) { return l ~ /^[ \t]*(#.*)?$/ }
	/^output:[ \t]*$/ { print; inout = 1; seen = 1; next }
	/^output:/ { seen = 1 }
	inout && !blank($0) && indent($0) == 0 {
		if (!done) { print "  redis:"; print "    flows_maxlen: 5" }
		done = 1; inout = 0
	}
	inout && !inredis && /^[ \t]+redis:[ \t]*$/ {
		print; rind = indent($0); inredis = 1; want = 1; done = 1; next
	}
	inredis && !blank($0) {
		if (indent($0) <= rind) {
			if (want) printf "%*sflows_maxlen: 5\n", rind + 2, ""
			want = 0; inredis = 0; done = 1
		} else {
			if (want) printf "%*sflows_maxlen: 5\n", indent($0), ""
			want = 0; done = 1
			if ($0 ~ /^[ \t]*flows_maxlen:/) next
		}
	}
	{ print }
	END {
		if (want) printf "%*sflows_maxlen: 5\n", rind + 2, ""
		else if (inout && !done) {
			print "  redis:"; print "    flows_maxlen: 5"
		} else if (!seen)
			print "output: {redis: {flows_maxlen: 5}}"
	}' "$1"
}

# check_incidents CASE NDJSON: the incidents stream holds the NDJSON's
# incident lines; each incident whose last record is open or cut by the
# end of the run has its hash (json = that line, TTL set); one closed by
# its window or evicted has none.
check_incidents() {
	lines_of incident "$2" >"$tmp/want-inc"
	ni=$(wc -l <"$tmp/want-inc")
	xi=$(rcli XLEN "$PREFIX:$NAME:incidents")
	check "$1: XLEN incidents = $ni incident lines (got $xi)" [ "$xi" = "$ni" ]
	[ "$ni" -gt 0 ] || return 0
	stream_json "$PREFIX:$NAME:incidents" >"$tmp/got-inc"
	same_lines "$1: incidents json fields = NDJSON incident lines" \
	    "$tmp/want-inc" "$tmp/got-inc"
	for id in $(jq -r '.incident.id' "$tmp/want-inc" | sort -u); do
		grep -F "\"id\":\"$id\"" "$tmp/want-inc" | tail -n 1 >"$tmp/last-inc"
		key=$PREFIX:$NAME:incident:$id
		case $(jq -r '.incident.reason // "open"' "$tmp/last-inc") in
		window|evicted)
			check "$1: incident $id closed: no hash" \
			    [ "$(rcli EXISTS "$key")" = 0 ] ;;
		*)
			rcli --raw HGET "$key" json | sed '/^$/d' >"$tmp/hash-inc"
			same_lines "$1: hash $key json = its last record" \
			    "$tmp/last-inc" "$tmp/hash-inc"
			check "$1: hash $key has a TTL" [ "$(rcli TTL "$key")" -gt 0 ]
			check "$1: hash $key flat score" [ "$(rcli HGET "$key" score)" = \
			    "$(jq -r .incident.score "$tmp/last-inc")" ] ;;
		esac
	done
}

# The subscriber sees every alert of every run below.
: >"$tmp/sub.out"
redis-cli -s "$SOCK" SUBSCRIBE "$PREFIX:live" >>"$tmp/sub.out" 2>&1 &
sub_pid=$!
wait_lines "$tmp/sub.out" 3
: >"$tmp/all-alerts"
total_flows=0

while read -r cap; do
	c=$(basename "$cap")
	out=$tmp/out.ndjson
	rm -f "$out"	# --json appends
	rcli FLUSHALL >/dev/null
	if ! "$SENSOR" -r "$cap" -c "$CONFIG" --sensor-name "$NAME" \
	    --redis "unix://$SOCK" --json "$out" 2>"$tmp/sensor.err"; then
		notok "$c: sensor exits 0"
		sed 's/^/#   /' "$tmp/sensor.err" | head -5
		continue
	fi
	check "$c: NDJSON parses" parses "$out"
	lines_of flow "$out" >"$tmp/want-flows"
	lines_of alert "$out" >"$tmp/want-alerts"
	cat "$tmp/want-alerts" >>"$tmp/all-alerts"
	nf=$(wc -l <"$tmp/want-flows")
	na=$(wc -l <"$tmp/want-alerts")
	total_flows=$((total_flows + nf))

	xf=$(rcli XLEN "$PREFIX:$NAME:flows")
	xa=$(rcli XLEN "$PREFIX:$NAME:alerts")
	check "$c: XLEN flows = $nf flow lines (got $xf)" [ "$xf" = "$nf" ]
	check "$c: XLEN alerts = $na alert lines (got $xa)" [ "$xa" = "$na" ]
	stream_json "$PREFIX:$NAME:flows" >"$tmp/got-flows"
	stream_json "$PREFIX:$NAME:alerts" >"$tmp/got-alerts"
	same_lines "$c: flows json fields = NDJSON flow lines" \
	    "$tmp/want-flows" "$tmp/got-flows"
	same_lines "$c: alerts json fields = NDJSON alert lines" \
	    "$tmp/want-alerts" "$tmp/got-alerts"
	for k in flows alerts; do
		rcli --raw EVAL "$LUA_FLAT" 1 "$PREFIX:$NAME:$k" |
		    sed '/^$/d' >"$tmp/flat-bad"
		if [ -s "$tmp/flat-bad" ]; then
			notok "$c: $k flat fields present and right"
			head -3 "$tmp/flat-bad" | sed 's/^/#   /'
		else
			ok "$c: $k flat fields present and right"
		fi
	done
	check "$c: SISMEMBER $PREFIX:sensors $NAME" \
	    [ "$(rcli SISMEMBER "$PREFIX:sensors" "$NAME")" = 1 ]
	hk=$PREFIX:$NAME:health
	ttl=$(rcli TTL "$hk")
	check "$c: health hash exists with TTL > 0 (got $ttl)" \
	    [ "$ttl" -gt 0 ]
	for f in version started updated packets; do
		check "$c: health has $f" [ "$(rcli HEXISTS "$hk" "$f")" = 1 ]
	done
	pk=$(rcli HGET "$hk" packets)
	check "$c: health packets > 0 (got $pk)" [ "${pk:-0}" -gt 0 ]
	check_incidents "$c" "$out"
done <"$tmp/captures"

# Pub/sub: after the 3-line subscribe confirmation, each message is
# "message", the channel, the payload.
n=$(wc -l <"$tmp/all-alerts")
wait_lines "$tmp/sub.out" $((3 + 3 * n))
kill "$sub_pid" 2>/dev/null
wait "$sub_pid" 2>/dev/null
sub_pid=""
tail -n +4 "$tmp/sub.out" | awk 'NR % 3 == 0' >"$tmp/got-live"
same_lines "subscriber on $PREFIX:live received all $n alerts" \
    "$tmp/all-alerts" "$tmp/got-live"

# MAXLEN ~: a config copy (list paths stay relative to it) with
# output.redis.flows_maxlen 5, every capture in one run, and macro nodes
# of 4 entries so that ~ trims close to the cap even over few flows.
cp -R "$(dirname "$CONFIG")" "$tmp/cfg"
mcfg=$tmp/cfg/$(basename "$CONFIG")
maxlen_config "$CONFIG" >"$mcfg"
if ! "$SENSOR" -n -c "$mcfg" >/dev/null 2>"$tmp/sensor.err"; then
	notok "maxlen: config with output.redis.flows_maxlen 5 accepted"
	sed 's/^/#   /' "$tmp/sensor.err" | head -5
else
	rcli FLUSHALL >/dev/null
	rcli CONFIG SET stream-node-max-entries 4 >/dev/null
	set --
	while read -r cap; do set -- "$@" -r "$cap"; done <"$tmp/captures"
	"$SENSOR" "$@" -c "$mcfg" --sensor-name "$NAME" \
	    --redis "unix://$SOCK" --json "$tmp/all.ndjson" 2>"$tmp/sensor.err"
	check "maxlen: sensor exits 0" [ $? -eq 0 ]
	nf=$(lines_of flow "$tmp/all.ndjson" | wc -l)
	xf=$(rcli XLEN "$PREFIX:$NAME:flows")
	if [ "$nf" -le 9 ]; then
		notok "maxlen: more than 9 flows to trim (only $nf)"
	else
		check "maxlen: XLEN $xf within [5, 9) of $nf flows" \
		    test "$xf" -ge 5 -a "$xf" -lt 9
		lines_of flow "$tmp/all.ndjson" | tail -n "$xf" \
		    >"$tmp/want-tail"
		stream_json "$PREFIX:$NAME:flows" >"$tmp/got-tail"
		same_lines "maxlen: the stream keeps the newest $xf flows" \
		    "$tmp/want-tail" "$tmp/got-tail"
	fi
fi

# Incidents closed by their window: the story capture with a 1 s window
# (config copy) closes its first incident before the next verdict.
cp -R "$(dirname "$CONFIG")" "$tmp/wcfg"
wcfg=$tmp/wcfg/$(basename "$CONFIG")
sed 's/^  window: [0-9]*/  window: 1/' "$CONFIG" >"$wcfg"
rcli FLUSHALL >/dev/null
if "$SENSOR" -r pcaps/story-rssh-then-mining.pcap -c "$wcfg" --sensor-name "$NAME" \
    --redis "unix://$SOCK" --json "$tmp/win.ndjson" 2>"$tmp/sensor.err"; then
	nw=$(jq -s 'map(select(.incident.reason == "window")) | length' "$tmp/win.ndjson")
	check "incident window 1 s: some incidents closed by the window (got $nw)" \
	    [ "$nw" -gt 0 ]
	check_incidents "incident window 1 s" "$tmp/win.ndjson"
else
	notok "incident window 1 s: sensor exits 0"
fi
# The SOC contract on one capture with alerts: the consumer-group recipe
# of the README (XGROUP CREATE ... MKSTREAM before the sensor ever wrote,
# XREADGROUP, XACK, nothing pending), the alerts' flat fields, the stats
# stream, the sensors sorted set scored with the real time of the last
# heartbeat.
rcli FLUSHALL >/dev/null
AK=$PREFIX:$NAME:alerts
check "group: XGROUP CREATE ... MKSTREAM" \
    [ "$(rcli XGROUP CREATE "$AK" soc '$' MKSTREAM)" = OK ]
rm -f "$tmp/soc.ndjson"
"$SENSOR" -r pcaps/stratum-btc.pcap -c "$CONFIG" --sensor-name "$NAME" \
    --redis "unix://$SOCK" --json "$tmp/soc.ndjson" 2>"$tmp/sensor.err"
check "group: sensor exits 0" [ $? -eq 0 ]
na=$(lines_of alert "$tmp/soc.ndjson" | wc -l)
rcli --raw XREADGROUP GROUP soc w1 COUNT 1000 STREAMS "$AK" '>' |
    grep -E '^[0-9]+-[0-9]+$' >"$tmp/ids"
check "group: XREADGROUP delivers the $na alerts (got $(wc -l <"$tmp/ids"))" \
    test "$na" -ge 1 -a "$(wc -l <"$tmp/ids")" -eq "$na"
# shellcheck disable=SC2046
acked=$(rcli XACK "$AK" soc $(cat "$tmp/ids"))
check "group: XACK acknowledges them all (got $acked)" [ "$acked" = "$na" ]
pend=$(rcli XPENDING "$AK" soc | head -n 1)
check "group: nothing pending after XACK (got $pend)" [ "$pend" = 0 ]
check "group: a second XREADGROUP finds nothing new" \
    [ -z "$(rcli --raw XREADGROUP GROUP soc w1 COUNT 10 STREAMS "$AK" '>')" ]

LUA_ALERT='local bad = {}
for _, e in ipairs(redis.call("XRANGE", KEYS[1], "-", "+")) do
	local f, h = e[2], {}
	for i = 1, #f, 2 do h[f[i]] = f[i + 1] end
	local j = cjson.decode(h.json)
	local want = { severity = tostring(j.alert.severity),
	    signature_id = tostring(j.alert.signature_id),
	    signature = j.alert.signature, detector = j.alert.detector or "",
	    timestamp = j.timestamp, src_ip = j.src_ip, dest_ip = j.dest_ip,
	    community_id = j.community_id }
	for k, v in pairs(want) do
		if h[k] ~= v then bad[#bad + 1] = e[1] .. " " .. k end
	end
end
return bad'
rcli --raw EVAL "$LUA_ALERT" 1 "$AK" | sed '/^$/d' >"$tmp/alert-bad"
if [ -s "$tmp/alert-bad" ]; then
	notok "alerts: flat severity signature_id signature detector timestamp src_ip dest_ip community_id"
	head -3 "$tmp/alert-bad" | sed 's/^/#   /'
else
	ok "alerts: flat severity signature_id signature detector timestamp src_ip dest_ip community_id"
fi
lines_of stats "$tmp/soc.ndjson" >"$tmp/want-stats"
stream_json "$PREFIX:$NAME:stats" >"$tmp/got-stats"
same_lines "stats: the stats records in $PREFIX:$NAME:stats" \
    "$tmp/want-stats" "$tmp/got-stats"
seen=$(rcli ZSCORE "$PREFIX:sensors:seen" "$NAME")
now=$(date +%s)
check "sensors:seen: scored by the real time of the last heartbeat ($seen ~ $now)" \
    test "${seen:-0}" -ge $((now - 30)) -a "${seen:-0}" -le $((now + 5))
upd=$(rcli HGET "$PREFIX:$NAME:health" updated)
check "health: the final heartbeat has the real time ($upd ~ $now)" \
    test "${upd:-0}" -ge $((now - 30)) -a "${upd:-0}" -le $((now + 5))
check "health: carries the writer's counters" \
    [ "$(rcli HGET "$PREFIX:$NAME:health" redis_written)" -ge 1 ]
