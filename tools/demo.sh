#!/bin/sh
# tools/demo.sh - `make demo`: every capture under pcaps/ (pcaps/regress/
# aside) through the sensor into Redis, then a short summary read back
# from Redis, not from the NDJSON: how many flows and alerts reached the
# streams, the alerts grouped by signature, and one line per alert.
#
# Without REDIS_URL a private redis-server is started on a unix socket in
# a mktemp -d directory and stopped at the end (only that pid).  With
# REDIS_URL (redis://... or unix:///path[?db=N]) that Redis is used and
# kept; only the entries this run added are summarised.  The NDJSON stays
# in $BUILD/demo.ndjson.  Run from anywhere; BUILD defaults to build,
# CONFIG to rules/egress.yaml, PCAPS to pcaps.
set -u

cd "$(dirname "$0")/.." || exit 1
BUILD=${BUILD:-build}
SENSOR=$BUILD/egress-sensor
CONFIG=${CONFIG:-rules/egress.yaml}
PCAPS=${PCAPS:-pcaps}
NAME=${SENSOR_NAME:-demo}
PREFIX=${REDIS_PREFIX:-egress}
OUT=$BUILD/demo.ndjson
tmp=""
redis_pid=""

die() { echo "demo: $*" >&2; exit 1; }

# shellcheck disable=SC2317  # called from the EXIT trap
cleanup() {
	if [ -n "$redis_pid" ]; then
		kill "$redis_pid" 2>/dev/null
		wait "$redis_pid" 2>/dev/null
	fi
	[ -n "$tmp" ] && rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

for t in redis-cli jq; do
	command -v "$t" >/dev/null 2>&1 || die "$t not installed (make deps)"
done
[ -x "$SENSOR" ] || die "$SENSOR missing: run make first"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/egress-demo.XXXXXX") || exit 1

if [ -n "${REDIS_URL:-}" ]; then
	URL=$REDIS_URL
else
	command -v redis-server >/dev/null 2>&1 ||
	    die "redis-server not installed (make deps), or set REDIS_URL"
	redis-server --port 0 --unixsocket "$tmp/redis.sock" --save '' \
	    --appendonly no --daemonize no >"$tmp/redis.log" 2>&1 &
	redis_pid=$!
	URL=unix://$tmp/redis.sock
fi

# redis-cli arguments for URL: -u for redis://, -s/-n/--user/-a for unix://.
set_cli_args() {
	case $URL in
	redis://*)
		set -- -u "$URL" ;;
	unix://*)
		_p=${URL#unix://}
		_q=""
		case $_p in *\?*) _q=${_p#*\?}; _p=${_p%%\?*} ;; esac
		set -- -s "$_p"
		for _kv in $(echo "$_q" | tr '&' ' '); do
			case $_kv in
			db=*) set -- "$@" -n "${_kv#db=}" ;;
			user=*) set -- "$@" --user "${_kv#user=}" ;;
			password=*) set -- "$@" -a "${_kv#password=}" ;;
			esac
		done ;;
	*)
		die "REDIS_URL must be redis://... or unix:///path" ;;
	esac
	CLI_ARGS=$*
}
set_cli_args
# The socket path comes from mktemp and has no spaces, so word splitting of
# CLI_ARGS is safe here; URLs with spaces are not supported.
# shellcheck disable=SC2086
rcli() { redis-cli --no-auth-warning $CLI_ARGS "$@"; }

i=0
while [ "$(rcli PING 2>/dev/null)" != PONG ]; do
	i=$((i + 1))
	[ $i -gt 100 ] && die "no Redis answering at $URL"
	sleep 0.05
done

find "$PCAPS" \( -path "$PCAPS/regress" -prune \) -o -type f \
    \( -name '*.pcap' -o -name '*.pcapng' \) -print 2>/dev/null |
    LC_ALL=C sort >"$tmp/captures"
set --
while read -r f; do
	set -- "$@" -r "$f"
done <"$tmp/captures"
[ $# -gt 0 ] || die "no captures in $PCAPS/"
ncap=$(($# / 2))

# Only what this run adds: the streams' last ids before it.
last_id() {
	_id=$(rcli --raw XREVRANGE "$1" + - COUNT 1 | head -n 1)
	if [ -n "$_id" ]; then echo "($_id"; else echo "-"; fi
}
KF=$PREFIX:$NAME:flows
KA=$PREFIX:$NAME:alerts
KI=$PREFIX:$NAME:incidents
from_f=$(last_id "$KF")
from_a=$(last_id "$KA")
from_i=$(last_id "$KI")

echo "demo: $ncap captures -> $SENSOR -> $URL"
if ! "$SENSOR" "$@" -c "$CONFIG" --sensor-name "$NAME" --redis "$URL" \
    --json "$OUT" 2>"$tmp/sensor.err"; then
	cat "$tmp/sensor.err" >&2
	die "sensor failed"
fi

# Lua, run inside Redis: one field of each entry of a stream, from an id.
LUA_FIELD='local out = {}
for _, e in ipairs(redis.call("XRANGE", KEYS[1], ARGV[1], "+")) do
	local f = e[2]
	for i = 1, #f, 2 do
		if f[i] == ARGV[2] then out[#out + 1] = f[i + 1] end
	end
end
return out'
field() { rcli --raw EVAL "$LUA_FIELD" 1 "$1" "$2" "$3" | sed '/^$/d'; }

field "$KF" "$from_f" app_proto >"$tmp/apps"
field "$KA" "$from_a" json >"$tmp/alerts"
field "$KI" "$from_i" json >"$tmp/incidents"
nf=$(wc -l <"$tmp/apps")
na=$(wc -l <"$tmp/alerts")
pk=$(rcli HGET "$PREFIX:$NAME:health" packets)

echo
echo "== read back from Redis ($URL) =="
# Incidents first: the last record of each, ranked by score, then the
# most recent; each with its timeline (one line per member verdict).
if [ -s "$tmp/incidents" ]; then
	echo "incidents (stream $KI, ranked by score):"
	jq -rs 'group_by(.incident.id) | map(last)
	    | sort_by(.incident.score, .incident.last_seen) | reverse[]
	    | .incident as $i
	    | "  INCIDENT \($i.id)  host \($i.host)  score \($i.score)  " +
	      "stages \($i.stages | join("+"))  \($i.first_seen[0:19] | sub("T"; " "))" +
	      " .. \($i.last_seen[11:19])  \($i.members) members  " +
	      "(\($i.state)\(if $i.reason then ", " + $i.reason else "" end))",
	      ($i.timeline[0:8][] | "      \(.time[11:23])  \(.stage)/\(.detector)  " +
	        "\(.dest_ip):\(.dest_port // "-")  \(.summary)"),
	      (if ($i.timeline | length) > 8 then
	        "      ... \(($i.timeline | length) - 8) more in the record" else empty end)' \
	    "$tmp/incidents"
	echo
fi
echo "stream $KF: $nf flow records this run ($(rcli XLEN "$KF") in stream)"
echo "stream $KA: $na alerts this run ($(rcli XLEN "$KA") in stream)"
echo "hash $PREFIX:$NAME:health: packets ${pk:-?}," \
    "sensors registered: $(rcli SMEMBERS "$PREFIX:sensors" | tr '\n' ' ')"
if [ "$nf" -gt 0 ]; then
	printf 'flows by app_proto:'
	sed 's/^$/unknown/' "$tmp/apps" | sort | uniq -c | sort -rn |
	    awk '{ printf " %s %s", $2, $1 } END { print "" }'
fi

if [ "$na" -gt 0 ]; then
	echo
	echo "alerts by signature:"
	jq -rs 'group_by(.alert.signature_id)
	    | map({n: length, a: .[0].alert})
	    | sort_by(.a.severity, -.n)[]
	    | "  \(.n)x  sev \(.a.severity)  [\(.a.signature_id)] \(.a.signature)"' \
	    "$tmp/alerts"
	echo
	echo "alerts:"
	jq -r '
	    def ev: (.evidence // {}) | to_entries
		| map("\(.key)=\(.value | if type == "string" then .
		    else tojson end)")
		| join(" ") | if length > 110 then .[0:107] + "..." else . end;
	    "  \(.timestamp[0:19] | sub("T"; " "))  \(.src_ip) -> " +
	    "\(.dest_ip):\(.dest_port)  \(.alert.detector)  " +
	    "\(.alert.signature)\n      \(ev)"' "$tmp/alerts"
fi

echo
echo "NDJSON of this run: $OUT"
if [ -n "$redis_pid" ]; then
	echo "(private Redis stopped; set REDIS_URL to keep the streams)"
fi
exit 0
