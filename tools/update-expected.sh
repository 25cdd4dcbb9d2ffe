#!/bin/bash
# Regenerates tests/pcap/expected/NAME.ndjson for the named TESTLIST cases
# (all of them with no argument).  Review the diff before committing.
set -u
cd "$(dirname "$0")/.." || exit 1
BUILD=${BUILD:-build}
export TZ=UTC
only=" $* "
trim() { local s="$1"; s="${s#"${s%%[![:space:]]*}"}"; echo "${s%"${s##*[![:space:]]}"}"; }
while IFS='|' read -r name files flags _; do
	name=$(trim "$name")
	case "$name" in ''|'#'*) continue ;; esac
	[ $# -gt 0 ] && [ "${only#* "$name" }" = "$only" ] && continue
	files=$(trim "$files"); flags=$(trim "$flags")
	args=()
	for f in $files; do
		if [ "$f" = "-" ]; then args+=(-r -); else args+=(-r "pcaps/$f"); fi
	done
	redirect=/dev/null
	case "$flags" in "<"*) redirect=${flags#<}; flags="" ;; esac
	flags=${flags//exit=[0-9]/}
	eval "\"$BUILD/egress-sensor\" \"\${args[@]}\" $flags -c rules/egress.yaml \
	    --sensor-name test --json -" <"$redirect" \
	    >"tests/pcap/expected/$name.ndjson" 2>/dev/null
	echo "updated tests/pcap/expected/$name.ndjson ($(wc -l <"tests/pcap/expected/$name.ndjson") records)"
done < <(cat tests/pcap/TESTLIST tests/pcap/*.list 2>/dev/null)
