#!/bin/sh
# tests/redis/chaos.sh - faults injected into a real redis-server while the
# sensor reads a capture through a pipe, slowly (tools/pcap-feed.py), so
# each fault lands mid-run.  One fresh redis-server per scenario on a unix
# socket in a mktemp -d directory (AOF on, fsync always, so what Redis
# acknowledged survives its SIGKILL), the sensor with a disk spool:
#
#   redis-kill   SIGKILL redis-server, restart it 3 s later
#   pause        CLIENT PAUSE 4000 (past the 200 ms client timeout)
#   oom          maxmemory 1mb with noeviction, cleared 3 s later
#   auth         requirepass set (connections killed), cleared 3 s later
#   acl          the sensor's ACL user loses XADD, gets it back 3 s later
#   sensor-kill  Redis killed, the sensor SIGKILLed while spooling, a torn
#                record appended to its spool, Redis back, the sensor
#                restarted on the same spool and NDJSON file
#
# After each: every flow and alert record of the NDJSON is in Redis exactly
# once (the multiset of flow_id, event_type, signature, timestamp of the
# NDJSON equals that of the two streams), and the final stats record has
# the counters that say what happened.  Kills only the pids it started.
# Prints "ok - name" / "not ok - name".
set -u

cd "$(dirname "$0")/../.." || exit 1
BUILD=${BUILD:-build}
SENSOR=$BUILD/egress-sensor
FEED=tools/pcap-feed.py
CAPS="pcaps/stratum-xmrig.pcap pcaps/mining-proxy.pcap pcaps/tls-sni.pcap
pcaps/ssh-rshell-22-chacha.pcap pcaps/mining-tls-sni.pcap pcaps/stratum-btc.pcap
pcaps/dns-then-tls.pcap"
PPS=${CHAOS_PPS:-700}
tmp=""
redis_pid=""
sensor_pid=""

ok() { echo "ok - chaos $1"; }
notok() { echo "not ok - chaos $1"; }
check() {
	_name=$1
	shift
	if "$@"; then ok "$_name"; else notok "$_name"; fi
}

cleanup() {
	[ -n "$sensor_pid" ] && kill -9 "$sensor_pid" 2>/dev/null
	[ -n "$redis_pid" ] && kill -9 "$redis_pid" 2>/dev/null
	wait 2>/dev/null
	[ -n "$tmp" ] && [ -z "${CHAOS_KEEP:-}" ] && rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

for t in redis-server redis-cli jq python3; do
	command -v "$t" >/dev/null 2>&1 || { notok "$t installed"; exit 0; }
done
[ -x "$SENSOR" ] || { notok "sensor binary $SENSOR exists"; exit 0; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/i7-chaos.XXXXXX") || exit 1
SOCK=$tmp/redis.sock
AUTH=""
rcli() { redis-cli -s "$SOCK" $AUTH "$@" 2>/dev/null; }

redis_start() {
	mkdir -p "$tmp/rdata"
	redis-server --port 0 --unixsocket "$SOCK" --dir "$tmp/rdata" \
	    --save '' --appendonly yes --appendfsync always \
	    --maxmemory-policy noeviction --daemonize no \
	    >>"$tmp/redis.log" 2>&1 &
	redis_pid=$!
	i=0
	while [ "$(rcli PING)" != PONG ]; do
		i=$((i + 1))
		[ $i -gt 100 ] && return 1
		sleep 0.05
	done
}

redis_kill() {
	kill -9 "$redis_pid" 2>/dev/null
	wait "$redis_pid" 2>/dev/null
	redis_pid=""
}

# mkcfg NAME [extra lines for output.redis]: the shipped config with our
# output section (lists stay relative to the copied rules directory).
mkcfg() {
	rm -rf "$tmp/cfg" && cp -R rules "$tmp/cfg"
	awk '/^output:/ { skip = 1; next }
	    skip && /^[^ \t#]/ { skip = 0 }
	    !skip { print }' rules/egress.yaml >"$tmp/cfg/egress.yaml"
	{
		echo "output:"
		echo "  stats_interval: 0"
		echo "  redis:"
		echo "    timeout_ms: 200"
		echo "    health_interval: 1"
		echo "    spool: {dir: $tmp/spool-$1, max_bytes: 67108864}"
		shift
		for l in "$@"; do echo "    $l"; done
	} >>"$tmp/cfg/egress.yaml"
}

# run_sensor NAME LOOPS START: feeds the captures in the background.
run_sensor() {
	python3 "$FEED" --loops "$2" --pps "$PPS" --start "$3" $CAPS |
	    "$SENSOR" -r - -c "$tmp/cfg/egress.yaml" --sensor-name "$1" \
	    --redis "unix://$SOCK" --json "$tmp/$1.ndjson" \
	    2>>"$tmp/$1.err" &
	sensor_pid=$!
}

# wait_started NAME: the sensor is up and has written to Redis (start-up
# takes a while on a loaded machine; the fault must not come first).
wait_started() {
	i=0
	while [ "$(rcli XLEN "egress:$1:flows")" = 0 ] && [ $i -lt 200 ]; do
		sleep 0.05
		i=$((i + 1))
	done
}

wait_sensor() {
	wait "$sensor_pid"
	_rc=$?
	sensor_pid=""
	return $_rc
}

# keys: one line per flow/alert record, sorted (a multiset).
KEYS='select(.event_type == "flow" or .event_type == "alert") |
    "\(.flow_id) \(.event_type) \(.alert.signature_id // .flow.reason) \(.timestamp)"'
LUA_JSON='local out = {}
for _, e in ipairs(redis.call("XRANGE", KEYS[1], "-", "+")) do
	local f = e[2]
	for i = 1, #f, 2 do
		if f[i] == "json" then out[#out + 1] = f[i + 1] end
	end
end
return out'

# verify NAME: NDJSON records = Redis entries, each exactly once.
verify() {
	jq -r "$KEYS" "$tmp/$1.ndjson" | LC_ALL=C sort >"$tmp/want"
	for k in flows alerts; do
		rcli --raw EVAL "$LUA_JSON" 1 "egress:$1:$k" | sed '/^$/d'
	done | jq -r "$KEYS" | LC_ALL=C sort >"$tmp/got"
	n=$(wc -l <"$tmp/want")
	d=$(uniq -d "$tmp/got" | wc -l)
	if [ "$n" -gt 20 ] && cmp -s "$tmp/want" "$tmp/got"; then
		ok "$1: all $n NDJSON flow/alert records in Redis exactly once"
	else
		notok "$1: NDJSON ($n) vs Redis ($(wc -l <"$tmp/got"), $d repeated)"
		diff "$tmp/want" "$tmp/got" | head -4 | sed 's/^/#   /'
	fi
}

# stat NAME FIELD: the field of the last stats record.
stat() {
	jq -r "select(.event_type == \"stats\") | .stats.$2" \
	    "$tmp/$1.ndjson" | tail -n 1
}

# expect NAME FIELD>0 ...: counters of the final stats record.
expect() {
	_n=$1
	shift
	for c in "$@"; do
		v=$(stat "$_n" "$c")
		check "$_n: $c > 0 (got $v)" [ "${v:-0}" -gt 0 ]
	done
	v=$(stat "$_n" redis_errors)
	check "$_n: redis_errors = 0 (got $v)" [ "${v:-1}" -eq 0 ]
	v=$(stat "$_n" redis_spool_backlog)
	check "$_n: spool empty at exit (got $v)" [ "${v:-1}" -eq 0 ]
}

logged() {
	check "$1: logged '$2'" grep -q "$2" "$tmp/$1.err"
}

# A fresh Redis, the sensor, a fault at 2 s, cleared after $2 s.
scenario() {
	name=$1 fault=$2 clear=$3
	AUTH=""
	rm -rf "$tmp/rdata"
	redis_start || { notok "$name: redis-server started"; return; }
	run_sensor "$name" 14 1800000000
	wait_started "$name"
	sleep 1
	eval "$fault"
	sleep 3
	eval "$clear"
	wait_sensor
	check "$name: sensor exits 0" [ $? -eq 0 ]
	verify "$name"
}

mkcfg redis-kill
scenario redis-kill 'redis_kill' 'redis_start'
expect redis-kill redis_spooled redis_replayed redis_reconnects
logged redis-kill "redis: lost"
logged redis-kill "caught up"
redis_kill

mkcfg pause
scenario pause 'rcli CLIENT PAUSE 4000 >/dev/null' ':'
expect pause redis_err_timeout redis_spooled redis_replayed
redis_kill

mkcfg oom
scenario oom 'rcli CONFIG SET maxmemory 1mb >/dev/null' \
    'rcli CONFIG SET maxmemory 0 >/dev/null'
expect oom redis_err_oom redis_spooled redis_replayed
logged oom "OOM"
redis_kill

mkcfg auth
scenario auth 'rcli CONFIG SET requirepass i7pw >/dev/null;
    AUTH="-a i7pw --no-auth-warning"; rcli CLIENT KILL TYPE normal >/dev/null' \
    'rcli CONFIG SET requirepass "" >/dev/null; AUTH=""'
expect auth redis_err_auth redis_spooled redis_replayed
redis_kill

printf 'i7secret\n' >"$tmp/pwfile"
mkcfg acl "user: i7sensor" "password_file: $tmp/pwfile"
AUTH=""
rm -rf "$tmp/rdata"
if redis_start; then
	rcli ACL SETUSER i7sensor on '>i7secret' '~*' '&*' '+@all' >/dev/null
	run_sensor acl 14 1800000000
	wait_started acl
	sleep 1
	rcli ACL SETUSER i7sensor -xadd >/dev/null
	sleep 3
	rcli ACL SETUSER i7sensor +xadd >/dev/null
	wait_sensor
	check "acl: sensor exits 0" [ $? -eq 0 ]
	verify acl
	expect acl redis_err_noperm redis_spooled redis_replayed
	logged acl "NOPERM"
	check "acl: the password is never printed" \
	    sh -c "! grep -q i7secret '$tmp/acl.err'"
	redis_kill
fi

# The sensor dies while spooling; its next run replays the spool.
mkcfg sensor-kill
rm -rf "$tmp/rdata"
if redis_start; then
	run_sensor sensor-kill 40 1800000000
	wait_started sensor-kill
	sleep 1
	redis_kill
	sleep 2.5
	kill -9 "$sensor_pid"
	wait "$sensor_pid" 2>/dev/null
	sensor_pid=""
	seg=$(ls "$tmp/spool-sensor-kill"/*.seg 2>/dev/null | tail -n 1)
	check "sensor-kill: records left in the spool" [ -s "$seg" ]
	# A crash mid-append: a frame header with half a record.
	[ -n "$seg" ] && printf 'EGS1\377\001\000\000torn' >>"$seg"
	redis_start
	run_sensor sensor-kill 3 1900000000
	wait_sensor
	check "sensor-kill: restarted sensor exits 0" [ $? -eq 0 ]
	verify sensor-kill
	expect sensor-kill redis_replayed redis_spool_torn
	logged sensor-kill "records from an earlier run to replay"
	redis_kill
fi
exit 0
