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
	rm -rf "$tmp"
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
