#!/bin/bash
# End-to-end tests over the captures in pcaps/ (see tests/pcap/TESTLIST).
# Prints "ok - ..." / "not ok - ..." lines; tools/run-tests.sh counts them.
#   tests/pcap/run.sh [NAME...]     run only these cases
set -u
cd "$(dirname "$0")/../.." || exit 1
BUILD=${BUILD:-build}
SENSOR=$BUILD/egress-sensor
export TZ=UTC
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

JQ_LIB='def flows: map(select(.event_type=="flow"));
def alerts: map(select(.event_type=="alert"));
def incidents: map(select(.event_type=="incident"));
def stats: (map(select(.event_type=="stats"))|last|.stats) // {};
def verdict(d): flows | any(.[]; any(.verdicts[]?; .detector==d));
def no_verdict(d): verdict(d) | not;
def alert(d): alerts | any(.[]; .alert.detector==d);'

trim() { local s="$1"; s="${s#"${s%%[![:space:]]*}"}"; echo "${s%"${s##*[![:space:]]}"}"; }

# Runs one case; writes $tmp/NAME.out and returns the sensor's status.
run_case() {
	local name=$1 files=$2 flags=$3 args=() f redirect=""
	for f in $files; do
		if [ "$f" = "-" ]; then args+=(-r -); else args+=(-r "pcaps/$f"); fi
	done
	case "$flags" in
	"<"*) redirect=${flags#<}; flags="" ;;
	esac
	flags=${flags//exit=[0-9]/}
	if [ -n "$redirect" ]; then
		eval "\"$SENSOR\" \"\${args[@]}\" $flags -c rules/egress.yaml \
		    --sensor-name test --json -" <"$redirect" \
		    >"$tmp/$name.out" 2>"$tmp/$name.err"
	else
		eval "\"$SENSOR\" \"\${args[@]}\" $flags -c rules/egress.yaml \
		    --sensor-name test --json -" \
		    >"$tmp/$name.out" 2>"$tmp/$name.err"
	fi
}

only=" $* "
while IFS='|' read -r name files flags checks; do
	name=$(trim "$name")
	case "$name" in ''|'#'*) continue ;; esac
	[ $# -gt 0 ] && [ "${only#* "$name" }" = "$only" ] && continue
	files=$(trim "$files"); flags=$(trim "$flags"); checks=$(trim "$checks")
	want=0
	[[ "$flags" =~ exit=([0-9]) ]] && want=${BASH_REMATCH[1]}
	run_case "$name" "$files" "$flags"
	rc=$?
	if [ "$rc" -eq "$want" ]; then echo "ok - $name: exit $rc"
	else echo "not ok - $name: exit $rc, wanted $want: $(head -c 300 "$tmp/$name.err")"; fi
	out=$tmp/$name.out
	if jq -e -c . "$out" >/dev/null 2>&1 &&
	    [ "$(jq -c . "$out" | wc -l)" -eq "$(wc -l <"$out")" ]; then
		echo "ok - $name: every line is one JSON object"
	else
		echo "not ok - $name: output is not valid NDJSON"
	fi
	exp=tests/pcap/expected/$name.ndjson
	if [ ! -f "$exp" ]; then
		echo "not ok - $name: no golden file $exp (tools/update-expected.sh $name)"
	elif cmp -s "$out" "$exp"; then
		echo "ok - $name: output equals the golden file"
	else
		echo "not ok - $name: output differs from $exp:"
		# The first differing record, field by field.
		ln=$(cmp "$exp" "$out" 2>/dev/null | sed -n 's/.* line \([0-9]*\).*/\1/p')
		ln=${ln:-1}
		diff <(sed -n "${ln}p" "$exp" | jq -S . 2>/dev/null) \
		    <(sed -n "${ln}p" "$out" | jq -S . 2>/dev/null) |
		    head -12 | cut -c1-160 | sed "s/^/#   record $ln: /"
	fi
	IFS=';' read -ra list <<<"$checks"
	for c in "${list[@]}"; do
		c=$(trim "$c")
		[ -z "$c" ] && continue
		if jq -e -s "$JQ_LIB $c" "$out" >/dev/null 2>&1; then
			echo "ok - $name: $c"
		else
			echo "not ok - $name: $c"
		fi
	done
done < <(cat tests/pcap/TESTLIST tests/pcap/*.list 2>/dev/null)

# Every record's community_id equals an independent computation (hashlib).
python3 tests/pcap/cid-check.py "$tmp"/*.out

# Every TCP conversation tshark sees is a flow, with the same initiator
# (the SYN's sender) where the handshake was captured.
if command -v tshark >/dev/null; then
	for p in pcaps/*.pcap pcaps/*.pcapng; do
		tests/pcap/conv-check.sh "$SENSOR" "$p" "$tmp"
		tests/pcap/hassh-check.sh "$SENSOR" "$p"
	done
fi
