#!/bin/bash
# The dashboard in a real browser: a private redis-server on a unix socket,
# the sensor over every capture in pcaps/ but one (stratum-nicehash.pcap),
# tools/dashboard/server.py on a free loopback port, then
# tests/dashboard/browser.py drives headless Chromium (chromedriver) over
# the page: the story incident on top with both stages, the held-back
# capture's alert appearing live without a reload, the evidence, a filter.
# Screenshot: $BUILD/dashboard-test.png.  Skipped (counted) only when
# Chromium, chromedriver or the Python packages are missing.
set -u
cd "$(dirname "$0")/../.." || exit 1
BUILD=${BUILD:-build}
SENSOR=$BUILD/egress-sensor
LATE=pcaps/stratum-nicehash.pcap
tmp=$(mktemp -d /tmp/i12-dash.XXXXXX)
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

for t in /usr/bin/chromium /usr/bin/chromedriver; do
	if [ ! -x "$t" ]; then
		echo "ok - dashboard: browser test # SKIP $t not installed (tools/deps.sh)"
		exit 0
	fi
done
if ! /usr/bin/python3 -c 'import selenium, aiohttp, redis.asyncio' 2>/dev/null; then
	echo "ok - dashboard: browser test # SKIP python3-selenium/aiohttp/redis missing"
	exit 0
fi

redis-server --port 0 --unixsocket "$tmp/redis.sock" --save '' --appendonly no \
    --daemonize no >"$tmp/redis.log" 2>&1 &
pids+=($!)
for _ in $(seq 100); do
	[ "$(redis-cli -s "$tmp/redis.sock" PING 2>/dev/null)" = PONG ] && break
	sleep 0.05
done
URL=unix://$tmp/redis.sock

args=()
while read -r f; do
	[ "$f" = "$LATE" ] || args+=(-r "$f")
done < <(find pcaps -path pcaps/regress -prune -o -type f -name '*.pcap*' -print | LC_ALL=C sort)
if "$SENSOR" "${args[@]}" -c rules/egress.yaml --sensor-name demo --redis "$URL" \
    2>"$tmp/sensor.err"; then
	echo "ok - dashboard: sensor over $((${#args[@]} / 2)) captures into Redis"
else
	echo "not ok - dashboard: sensor failed: $(head -3 "$tmp/sensor.err")"
	exit 0
fi

port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
/usr/bin/python3 tools/dashboard/server.py --redis "$URL" --port "$port" \
    >"$tmp/server.log" 2>&1 &
pids+=($!)
up=0
for _ in $(seq 100); do
	if curl -sf "http://127.0.0.1:$port/api/state" >"$tmp/state.json" 2>/dev/null; then
		up=1; break
	fi
	sleep 0.1
done
if [ $up = 1 ] && jq -e '.sensors[0].sensor == "demo" and (.incidents|length) > 0' \
    "$tmp/state.json" >/dev/null; then
	echo "ok - dashboard: server answers /api/state on 127.0.0.1:$port"
else
	echo "not ok - dashboard: server not answering: $(tail -3 "$tmp/server.log")"
	exit 0
fi

mkdir -p "$BUILD"
timeout 60 /usr/bin/python3 tests/dashboard/browser.py "http://127.0.0.1:$port/" \
    "$SENSOR" "$URL" "$LATE" "$BUILD/dashboard-test.png" "$tmp/chromium" \
    2>"$tmp/browser.err" ||
    { echo "not ok - dashboard: browser run failed"; sed 's/^/#   /' "$tmp/browser.err" | tail -5; }
