#!/bin/bash
# Classic pcap files read by our own reader (sensor/pcapfile.c) against
# libpcap's: the same file given as -r FILE (ours) and on stdin (libpcap,
# which reads pipes) must give byte-identical NDJSON, the same warning and
# exit code, in each byte order with micro- and nanosecond timestamps, for
# whole, cut and garbled files (tests/cli/mkcut.py).  Expected packet
# counts and messages are also checked on their own, so a reader that
# failed both ways would not pass.  Prints "ok - ..." / "not ok - ..." lines
# for tools/run-tests.sh; called by tests/cli/run.sh.
set -u
cd "$(dirname "$0")/../.." || exit 1
BUILD=${BUILD:-build}
S=$BUILD/egress-sensor
tmp=$(mktemp -d "${TMPDIR:-/tmp}/i10r-pcapfile.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM

check() {	# check NAME COND-COMMAND...
	local name=$1; shift
	if "$@"; then echo "ok - pcapfile: $name"; else echo "not ok - pcapfile: $name"; fi
}
pkts() {	# packets in the last stats record of an NDJSON file
	jq -s '[.[]|select(.event_type=="stats")][-1].stats.packets' "$1" 2>/dev/null
}

if ! python3 tests/cli/mkcut.py pcaps/tls-sni.pcap "$tmp"; then
	echo "not ok - pcapfile: tests/cli/mkcut.py failed"
	exit 0
fi

# case  packets  the capture warning (empty: none)
cases='
full	25	-
cutdata	24	truncated dump file; tried to read 66 captured bytes, only got 49
cuthdr	0	truncated dump file; tried to read 16 header bytes, only got 8
toolong	2	invalid packet capture length 262145, bigger than snaplen of 262144
snap60	25	-
snap60cut	5	truncated dump file; tried to read 387 captured bytes, only got 100
snap60cut2	5	truncated dump file; tried to read 60 captured bytes, only got 30
ts2038	25	-
v23	25	-
big	3000	-
'
for fmt in leus lens beus bens; do
	while IFS=$'\t' read -r tag want msg; do
		[ -n "$tag" ] || continue
		f=$tmp/$fmt-$tag.pcap
		"$S" -r "$f" -c rules/egress.yaml --json "$tmp/own.ndjson" 2>"$tmp/own.err"
		rc_own=$?
		"$S" -r - -c rules/egress.yaml --json "$tmp/lib.ndjson" <"$f" 2>"$tmp/lib.err"
		rc_lib=$?
		warn_own=$(grep 'capture: ' "$tmp/own.err" | sed "s|$f|-|")
		warn_lib=$(grep 'capture: ' "$tmp/lib.err")
		check "$fmt $tag: NDJSON identical to libpcap's" \
		    cmp -s "$tmp/own.ndjson" "$tmp/lib.ndjson"
		check "$fmt $tag: exit code and warnings identical to libpcap's ($rc_own)" \
		    test "$rc_own" = "$rc_lib" -a "$warn_own" = "$warn_lib"
		check "$fmt $tag: $want packets" test "$(pkts "$tmp/own.ndjson")" = "$want"
		if [ "$msg" = - ]; then
			check "$fmt $tag: no capture warning" test -z "$warn_own"
		else
			check "$fmt $tag: warned '$msg'" grep -qF "$f: $msg" "$tmp/own.err"
		fi
		rm -f "$tmp/own.ndjson" "$tmp/lib.ndjson"
	done <<<"$cases"
done

# Two files in one run: each read by its own reader state.
"$S" -r "$tmp/leus-snap60.pcap" -r "$tmp/leus-full.pcap" -c rules/egress.yaml \
    --json "$tmp/two.ndjson" 2>"$tmp/two.err"
check "two files in a row: both counted" grep -q "leus-full.pcap: 25 packets" "$tmp/two.err"
