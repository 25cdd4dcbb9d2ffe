#!/bin/sh
# tools/dashboard/run.sh - `make dashboard`: the dashboard against the demo's Redis.
#
# With REDIS_URL set, that Redis is used as it is (a sensor or `make demo`
# with REDIS_URL=... fills it).  Without, a private redis-server is started
# on the unix socket $BUILD/dashboard/redis.sock (kept in the foreground
# process group, stopped with the dashboard), `tools/demo.sh` fills it
# from every capture in pcaps/, and the dashboard serves it on
# http://127.0.0.1:${DASHBOARD_PORT:-8080}/.  Ctrl-C stops both (only the
# pids started here).  More captures can be pushed while it runs:
#   build/egress-sensor -r FILE --sensor-name demo --redis unix://$PWD/build/dashboard/redis.sock
set -u
cd "$(dirname "$0")/../.." || exit 1
BUILD=${BUILD:-build}
PORT=${DASHBOARD_PORT:-8080}
redis_pid=""
cleanup() {
	[ -n "$redis_pid" ] && kill "$redis_pid" 2>/dev/null && wait "$redis_pid" 2>/dev/null
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

if [ -z "${REDIS_URL:-}" ]; then
	dir=$BUILD/dashboard
	mkdir -p "$dir"
	sock=$(cd "$dir" && pwd)/redis.sock
	redis-server --port 0 --unixsocket "$sock" --save '' --appendonly no \
	    --daemonize no >"$dir/redis.log" 2>&1 &
	redis_pid=$!
	REDIS_URL=unix://$sock
	i=0
	until [ "$(redis-cli -s "$sock" PING 2>/dev/null)" = PONG ]; do
		i=$((i + 1)); [ $i -gt 100 ] && { echo "dashboard: redis did not start" >&2; exit 1; }
		sleep 0.05
	done
	REDIS_URL=$REDIS_URL tools/demo.sh || exit 1
fi
echo "dashboard: http://127.0.0.1:$PORT/  (Redis $REDIS_URL; Ctrl-C stops)"
/usr/bin/python3 tools/dashboard/server.py --redis "$REDIS_URL" --port "$PORT" \
    --prefix "${REDIS_PREFIX:-egress}"
