#!/bin/bash
# Command-line contract: exit codes, messages, stdin, signals, live capture.
# Prints "ok - ..." / "not ok - ..." lines for tools/run-tests.sh.
set -u
cd "$(dirname "$0")/../.." || exit 1
BUILD=${BUILD:-build}
S=$BUILD/egress-sensor
tmp=$(mktemp -d)
# Namespace names carry our PID so parallel runs never share (or delete) them.
nsa=es-cli-a-$$ nsb=es-cli-b-$$
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
	ip netns del "$nsa" 2>/dev/null
	ip netns del "$nsb" 2>/dev/null
	[ -z "${CLI_KEEP:-}" ] && rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

check() {	# check NAME COND-COMMAND...
	local name=$1; shift
	if "$@"; then echo "ok - cli: $name"; else echo "not ok - cli: $name"; fi
}
# expect_exit NAME STATUS STDERR-REGEX CMD...: status, message, empty stdout
expect_exit() {
	local name=$1 want=$2 re=$3; shift 3
	"$@" >"$tmp/out" 2>"$tmp/err"
	local rc=$?
	check "$name: exit $want (got $rc)" test "$rc" -eq "$want"
	check "$name: message" grep -qE "$re" "$tmp/err"
	check "$name: nothing on stdout" test ! -s "$tmp/out"
}

expect_exit "no input" 2 "give either -r FILE or -i IFACE" "$S"
expect_exit "unknown option" 2 "unrecognized option" "$S" --bogus -r x
expect_exit "stray argument" 2 "unexpected argument" "$S" -r pcaps/tls-sni.pcap extra
expect_exit "bad snaplen" 2 "snaplen" "$S" -i lo -s 12
expect_exit "missing file" 1 "nofile.pcap.*No such file" "$S" -r "$tmp/nofile.pcap"
expect_exit "not a capture" 1 "unknown file format" "$S" -r README.md
expect_exit "bad magic" 1 "bad-magic.pcap" "$S" -r pcaps/regress/bad-magic.pcap
expect_exit "unknown interface" 1 "nosuchif0" "$S" -i nosuchif0
expect_exit "bad BPF" 2 "bad filter" "$S" -r pcaps/tls-sni.pcap -f 'tcp port'
expect_exit "redis down" 1 "redis: connect" "$S" -r pcaps/tls-sni.pcap --redis "unix://$tmp/none.sock"
printf 'flow:\n  capacity: 12\nrules:\n  - sid: 1\n    id: a\n    title: t\n    severity: 9\n    when: {detector: nope}\n' >"$tmp/bad.yaml"
expect_exit "bad config" 2 "bad.yaml:2:13: .*|bad.yaml:7:15" "$S" -n -c "$tmp/bad.yaml"
check "bad config: every error reported" test "$(grep -c 'bad.yaml:[0-9]*:[0-9]*:' "$tmp/err")" -ge 3
expect_exit "unknown -u user" 2 "unknown user 'nosuchuser'" "$S" -r pcaps/tls-sni.pcap -u nosuchuser
expect_exit "no config file" 2 "missing.yaml" "$S" -r pcaps/tls-sni.pcap -c "$tmp/missing.yaml"
"$S" -n -c rules/egress.yaml 2>"$tmp/err"
check "-n on the shipped rules exits 0" test $? -eq 0
"$S" --version >"$tmp/out"
check "--version" grep -q "egress-sensor [0-9]" "$tmp/out"
"$S" --help >"$tmp/out"
check "--help lists -r" grep -q -- "-r FILE" "$tmp/out"
"$S" -r pcaps/tls-sni.pcap -c rules/egress.yaml >"$tmp/out" 2>/dev/null
check "no --json: nothing on stdout" test ! -s "$tmp/out"
"$S" -r pcaps/tls-sni.pcap -c rules/egress.yaml --json "$tmp/f.ndjson" 2>/dev/null
check "--json FILE" test "$(jq -s 'map(select(.event_type=="flow"))|length' "$tmp/f.ndjson")" -eq 1
"$S" -r pcaps/tls-sni.pcap -c rules/egress.yaml --json "$tmp/f.ndjson" 2>/dev/null
check "--json FILE appends (a second run adds its records)" test "$(jq -s 'map(select(.event_type=="flow"))|length' "$tmp/f.ndjson")" -eq 2
"$S" -n -c rules/egress.yaml --redis 'redis://u:s3cr3t-pw@127.0.0.1:6379' 2>"$tmp/err"
check "-n: exit 0 with a password in the URL" test $? -eq 0
check "-n: warns that the URL carries a password" grep -q "carries a password" "$tmp/err"
check "-n: never prints the password" bash -c "! grep -q s3cr3t-pw '$tmp/err'"
EGRESS_REDIS_PASSWORD=s3cr3t-pw "$S" -r pcaps/tls-sni.pcap -c rules/egress.yaml \
    --redis "unix://$tmp/none.sock" 2>"$tmp/err"
check "redis down: the password is never printed" bash -c "! grep -q s3cr3t-pw '$tmp/err'"

# logrotate without copytruncate: the file is renamed, a new one created,
# SIGHUP reopens it; with -u nobody the dropped user does the reopening.
# Two captures one after the other (tools/pcap-feed.py, packet time moved
# past the idle timeouts between them): the first one's flow is written
# when the second one's first packet arrives, before the rotation.
python3 tools/pcap-feed.py --pps 1000000 pcaps/tls-sni.pcap pcaps/stratum-btc.pcap >"$tmp/ab.pcap"
# split: the end of the second capture's first IP packet (an ARP frame
# does not move packet time).
split=$(python3 -c 'import os,struct,sys
o = os.path.getsize(sys.argv[1])
d = open(sys.argv[2], "rb").read()
while True:
    n = struct.unpack("<I", d[o + 8:o + 12])[0]
    ip = d[o + 28:o + 30] in (b"\x08\x00", b"\x86\xdd")
    o += 16 + n
    if ip:
        break
print(o)' pcaps/tls-sni.pcap "$tmp/ab.pcap")
rotuser=""
[ "$(id -u)" -eq 0 ] && id nobody >/dev/null 2>&1 && rotuser=nobody
mkdir -p "$tmp/rot" && chmod 755 "$tmp" "$tmp/rot"
mkfifo "$tmp/rotfifo"
"$S" -r - -c rules/egress.yaml --json "$tmp/rot/r.ndjson" -v \
    ${rotuser:+-u "$rotuser"} <"$tmp/rotfifo" 2>"$tmp/rot.err" &
spid=$!; pids+=("$spid")
exec 7>"$tmp/rotfifo"
head -c "$split" "$tmp/ab.pcap" >&7
for _ in $(seq 100); do	# start-up is slow on a loaded machine
	[ -s "$tmp/rot/r.ndjson" ] && break
	sleep 0.1
done
mv "$tmp/rot/r.ndjson" "$tmp/rot/r.ndjson.1"
: >"$tmp/rot/r.ndjson"	# logrotate's "create 0640 nobody ..."
[ -n "$rotuser" ] && chown "$rotuser" "$tmp/rot/r.ndjson"
kill -HUP "$spid"; sleep 0.5
tail -c +$((split + 1)) "$tmp/ab.pcap" >&7
exec 7>&-
wait "$spid"; rc=$?
check "logrotate: exit 0 (got $rc)" test "$rc" -eq 0
check "logrotate: the first capture's flow in the rotated file" test "$(jq -s 'map(select(.event_type=="flow" and .dest_port==443))|length' "$tmp/rot/r.ndjson.1")" -eq 1
check "logrotate: the rest in the new file" test "$(jq -s 'map(select(.event_type=="alert"))|length' "$tmp/rot/r.ndjson")" -ge 1
check "logrotate: reopened (logged)" grep -q "json: reopened" "$tmp/rot.err"
[ -n "$rotuser" ] && check "logrotate: ran as $rotuser" grep -q "running as $rotuser" "$tmp/rot.err"

# SIGHUP: a bad config is rejected, the old rules stay; SIGUSR1: stats.
mkfifo "$tmp/fifo"
cp -r rules "$tmp/rules"
"$S" -r - -c "$tmp/rules/egress.yaml" --json "$tmp/sig.ndjson" \
    <"$tmp/fifo" 2>"$tmp/sig.err" &
spid=$!; pids+=("$spid")
exec 7>"$tmp/fifo"
# the global header and the first records of a capture, then wait
head -c 2000 pcaps/stratum-btc.pcap >&7
sleep 1
printf 'rules: [\n' >"$tmp/rules/egress.yaml"
kill -HUP "$spid"; sleep 0.3
kill -USR1 "$spid"; sleep 0.3
tail -c +2001 pcaps/stratum-btc.pcap >&7
exec 7>&-
wait "$spid"; rc=$?
check "signals: run still exits 0" test "$rc" -eq 0
check "SIGHUP with a bad file: old rules stay (message)" grep -q "old rules stay" "$tmp/sig.err"
check "SIGHUP with a bad file: file:line:col named" grep -qE "egress.yaml:[0-9]+:[0-9]+" "$tmp/sig.err"
check "SIGUSR1: counters on stderr" grep -q "packets" "$tmp/sig.err"
check "SIGUSR1: a stats record" test "$(jq -s 'map(select(.event_type=="stats"))|length' "$tmp/sig.ndjson")" -ge 2
check "SIGHUP: alerts still raised under the old rules" test "$(jq -s 'map(select(.event_type=="alert"))|length' "$tmp/sig.ndjson")" -ge 1

# SIGHUP with a good file: the new rules apply from the next packet.
# Two captures merged (mining-stratum-ports first, then stratum-btc); the
# rule's title is changed between them.
if command -v mergecap >/dev/null; then
	mergecap -F pcap -w "$tmp/two.pcap" pcaps/mining-stratum-ports.pcap \
	    pcaps/stratum-btc.pcap
	split=$(stat -c %s pcaps/mining-stratum-ports.pcap)
	rm -rf "$tmp/rules" "$tmp/fifo"
	cp -r rules "$tmp/rules"
	mkfifo "$tmp/fifo"
	"$S" -r - -c "$tmp/rules/egress.yaml" --json "$tmp/hup.ndjson" \
	    <"$tmp/fifo" 2>"$tmp/hup.err" &
	spid=$!; pids+=("$spid")
	exec 7>"$tmp/fifo"
	head -c "$split" "$tmp/two.pcap" >&7
	sleep 1
	sed -i 's/title: Stratum mining protocol from an internal host/title: Stratum after reload/' \
	    "$tmp/rules/egress.yaml"
	kill -HUP "$spid"; sleep 0.3
	tail -c +"$((split + 1))" "$tmp/two.pcap" >&7
	exec 7>&-
	wait "$spid"
	check "SIGHUP reload: alerts before it use the old rules" test "$(jq -s '[.[]|select(.event_type=="alert" and .src_ip=="10.20.0.13")|.alert.signature]|unique' -c "$tmp/hup.ndjson")" = '["Stratum mining protocol from an internal host"]'
	check "SIGHUP reload: alerts after it use the new rules" test "$(jq -s '[.[]|select(.event_type=="alert" and .src_ip=="10.20.0.10")|.alert.signature]|unique' -c "$tmp/hup.ndjson")" = '["Stratum after reload"]'
fi

# Live capture on a veth pair between two namespaces of our own; SIGTERM
# ends the run and flushes every flow with reason "shutdown".
if [ "$(id -u)" -eq 0 ] && ip netns add "$nsa" 2>/dev/null &&
    ip netns add "$nsb" 2>/dev/null; then
	ip link add es-a netns "$nsa" type veth peer name es-b netns "$nsb"
	ip -n "$nsa" addr add 10.20.99.1/24 dev es-a
	ip -n "$nsb" addr add 10.20.99.2/24 dev es-b
	ip -n "$nsa" link set es-a up
	ip -n "$nsb" link set es-b up
	chmod 755 "$tmp"
	ip netns exec "$nsa" "$S" -i es-a -c rules/egress.yaml -u nobody \
	    --json "$tmp/live.ndjson" -v 2>"$tmp/live.err" &
	lpid=$!; pids+=("$lpid")
	sleep 1
	for i in 1 2 3; do
		ip netns exec "$nsb" bash -c \
		    'echo "hello $0" >/dev/udp/10.20.99.1/9999' "$i"
		sleep 0.2
	done
	sleep 0.5
	kill -TERM "$lpid"; wait "$lpid"; rc=$?
	check "live: SIGTERM exits 0" test "$rc" -eq 0
	check "live: UDP flow flushed with reason shutdown" test "$(jq -s 'map(select(.event_type=="flow" and .proto=="UDP" and .dest_port==9999 and .flow.reason=="shutdown"))|length' "$tmp/live.ndjson")" -eq 3
	check "live: ran as nobody after opening the capture" grep -q "running as nobody" "$tmp/live.err"
	check "live: stats record" test "$(jq -s 'map(select(.event_type=="stats"))|length' "$tmp/live.ndjson")" -eq 1
else
	echo "ok - cli: live capture # SKIP needs root and ip netns"
fi
tests/cli/hostile.sh
tests/cli/workers.sh
tests/cli/pcapfile.sh
