#!/bin/sh
# Runs the test suites and ends with one line "N passed, N failed".
#   tools/run-tests.sh [unit|cli|pcap|redis|dashboard|fuzz|install|all] (default all)
# Each suite prints TAP-style "ok - name" / "not ok - name" lines; this
# script counts them.  "ok - name # SKIP reason" counts as skipped, never
# as passed.  Exit status 0 only when nothing failed and something passed.
BUILD=${BUILD:-build}
export BUILD
what=${1:-all}
log=$(mktemp)
trap 'rm -f "$log"' EXIT INT TERM

run_unit() {
	for t in "$BUILD"/tests/test_*; do
		case "$t" in *.d) continue ;; esac
		[ -x "$t" ] || continue
		echo "# unit: $(basename "$t")"
		# cmocka's TAP output: one "ok N - name" per test.
		if ! CMOCKA_MESSAGE_OUTPUT=TAP "$t" 2>&1; then
			echo "not ok - $(basename "$t") exited non-zero"
		fi
	done
}

case "$what" in
unit)	run_unit ;;
pcap)	tests/pcap/run.sh ;;
cli)	tests/cli/run.sh; tests/cli/config.sh; tests/cli/triage.sh ;;
dashboard) tests/dashboard/run.sh ;;
redis)	tests/redis/run.sh; tests/redis/chaos.sh ;;
install) tests/install/run.sh ;;
fuzz)	make --no-print-directory fuzz-replay ;;
all)
	run_unit
	make --no-print-directory fuzz-replay
	tests/cli/run.sh
	tests/cli/config.sh
	tests/cli/triage.sh
	tests/pcap/run.sh
	tests/redis/run.sh
	tests/dashboard/run.sh
	tests/redis/chaos.sh
	tests/install/run.sh
	;;
*)	echo "usage: $0 [unit|cli|pcap|redis|dashboard|fuzz|install|all]" >&2; exit 2 ;;
esac 2>&1 | tee "$log" | grep -v '^ok ' | grep -v '^1\.\.' | grep -v '^[0-9]* passed, [0-9]* failed'
grep '^ok .*# SKIP' "$log"

skipped=$(grep -c '^ok .*# SKIP' "$log")
passed=$(($(grep -c '^ok ' "$log") - skipped))
failed=$(grep -c '^not ok' "$log")
echo "${passed} passed, ${failed} failed, ${skipped} skipped"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
