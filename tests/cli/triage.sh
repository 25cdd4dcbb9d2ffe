#!/bin/bash
# Triage over several files: each -r file is its own capture (no passive
# DNS, flow or suppression state crosses files) unless --continuous; -r
# DIR in first-packet-time order with no file limit; the end-of-run
# summary; the progress line on a terminal; --version.
# Prints "ok - ..." / "not ok - ..." for tools/run-tests.sh.
set -u
cd "$(dirname "$0")/../.." || exit 1
BUILD=${BUILD:-build}
S=$PWD/$BUILD/egress-sensor
tmp=$(mktemp -d /tmp/i11-triage.XXXXXX)
trap 'rm -rf "$tmp"' EXIT INT TERM

check() {	# check NAME COND-COMMAND...
	local name=$1; shift
	if "$@"; then echo "ok - triage: $name"; else echo "not ok - triage: $name"; fi
}
alerts() { jq -s "map(select(.event_type==\"alert\" and $2))|length" "$1"; }

if ! command -v editcap >/dev/null; then
	echo "ok - triage: passive DNS per file # SKIP editcap (wireshark-common) not installed"
	exit 0
fi
# dns-then-tls.pcap cut in two captures: the DNS answer
# (pool.supportxmr.com A 198.51.100.30, packets 1-4) and the TLS session
# to 198.51.100.30 without an SNI-matching name (packets 5-).
editcap -r pcaps/dns-then-tls.pcap "$tmp/1-dns.pcap" 1-4 2>/dev/null
editcap -r pcaps/dns-then-tls.pcap "$tmp/2-tls.pcap" 5-100000 2>/dev/null
check "the halves: DNS answer in one, TLS in the other" \
    test "$(tshark -r "$tmp/2-tls.pcap" -Y dns 2>/dev/null | wc -l)" -eq 0 -a \
    "$(tshark -r "$tmp/1-dns.pcap" -Y 'dns.a==198.51.100.30' 2>/dev/null | wc -l)" -eq 1
"$S" -r "$tmp/1-dns.pcap" -r "$tmp/2-tls.pcap" -c rules/egress.yaml \
    --json "$tmp/sep.ndjson" 2>"$tmp/sep.err"
check "separate files: exit 0" test $? -eq 0
check "separate files: the DNS lookup alerts (mining_pool_dns)" \
    test "$(alerts "$tmp/sep.ndjson" '.alert.detector=="mining_pool_dns"')" -eq 1
check "separate files: no pool verdict from the other file's DNS answer" \
    test "$(jq -s 'map(select(.event_type=="flow" and .dest_port==443)|.verdicts // []|map(select(.detector=="mining_pool_tls"))|length)|add' "$tmp/sep.ndjson")" -eq 0
"$S" -r "$tmp/1-dns.pcap" -r "$tmp/2-tls.pcap" --continuous -c rules/egress.yaml \
    --json "$tmp/cont.ndjson" 2>"$tmp/cont.err"
check "--continuous: the TLS flow gets the pool verdict by DNS name" \
    test "$(alerts "$tmp/cont.ndjson" '.alert.detector=="mining_pool_tls" and .evidence.how=="passive_dns" and .evidence.name=="pool.supportxmr.com"')" -eq 1
# Without --continuous the DNS flow ends with its file (reason eof) ...
check "separate files: the first file's flows end at its end" \
    test "$(jq -rs 'map(select(.event_type=="flow" and .app_proto=="dns"))|.[0].flow.reason' "$tmp/sep.ndjson")" = eof
# ... and the output is the same as running the files one at a time.
for f in 1-dns 2-tls; do
	"$S" -r "$tmp/$f.pcap" -c rules/egress.yaml --json - 2>/dev/null |
	    jq -c 'select(.event_type!="stats")'
done >"$tmp/one-by-one.ndjson"
jq -c 'select(.event_type!="stats")' "$tmp/sep.ndjson" >"$tmp/sep-nostats.ndjson"
check "separate files = one run per file (records, byte for byte)" \
    cmp -s "$tmp/one-by-one.ndjson" "$tmp/sep-nostats.ndjson"

# Suppression does not cross files either: the same capture twice alerts
# twice; --continuous (same packet times) suppresses the second.
"$S" -r pcaps/stratum-btc.pcap -r pcaps/stratum-btc.pcap -c rules/egress.yaml \
    --json "$tmp/twice.ndjson" 2>/dev/null
check "suppression windows reset between files" \
    test "$(alerts "$tmp/twice.ndjson" '.alert.detector=="stratum"')" -eq 2

# The summary, not a tty: alerts by detector and severity, inside hosts,
# per input packets and first/last time.
"$S" -r pcaps/stratum-btc.pcap -r pcaps/ssh-nonstd-port.pcap -c rules/egress.yaml \
    --json /dev/null 2>"$tmp/sum.err"
check "summary: alert count" grep -q "^egress-sensor: 3 alerts$" "$tmp/sum.err"
check "summary: by detector and severity" grep -qE "^  stratum +1 +0 +0$" "$tmp/sum.err"
check "summary: ... severity 3 column" grep -qE "^  ssh_nonstandard_port +0 +0 +1$" "$tmp/sum.err"
check "summary: inside hosts with the most alerts" grep -qE "^    10.20.0.10 +3$" "$tmp/sum.err"
check "summary: per file packets and first/last time" grep -qE "^  input pcaps/stratum-btc.pcap: 30 packets, 3.9 kB, 2026-11-27T19:17:36Z .. 2026-11-27T19:17:40Z$" "$tmp/sum.err"
check "summary: every input listed" test "$(grep -c '^  input ' "$tmp/sum.err")" -eq 2
check "summary: no counter dump without -v" test "$(grep -c '^  packets' "$tmp/sum.err")" -eq 0
check "summary: no progress escapes when not a terminal" test "$(grep -c $'\033' "$tmp/sum.err")" -eq 0

# -r DIR: time order (not name order), any number of files.
mkdir -p "$tmp/dir"
cp pcaps/stratum-btc.pcap "$tmp/dir/a-later.pcap"	# 19:17:36
cp pcaps/ssh-nonstd-port.pcap "$tmp/dir/b-earlier.pcap"	# 19:16:59
"$S" -r "$tmp/dir" -c rules/egress.yaml --json "$tmp/dir.ndjson" 2>"$tmp/dir.err"
check "-r DIR: exit 0" test $? -eq 0
check "-r DIR: files in first-packet order" test "$(grep '^  input ' "$tmp/dir.err" | sed 's/:.*//; s|.*/||' | tr '\n' ' ')" = "b-earlier.pcap a-later.pcap "
check "-r DIR: records in that order" test "$(jq -rs 'map(select(.event_type=="flow"))|map(.app_proto)|join(",")' "$tmp/dir.ndjson")" = "ssh,stratum"
echo "not a capture" >"$tmp/dir/notes.txt"
"$S" -r "$tmp/dir" -c rules/egress.yaml >/dev/null 2>"$tmp/bad.err"
check "-r DIR: a file that is not a capture fails the run (exit 1)" test $? -eq 1
check "-r DIR: ... named" grep -q "notes.txt" "$tmp/bad.err"
mkdir -p "$tmp/empty"
"$S" -r "$tmp/empty" -c rules/egress.yaml >/dev/null 2>"$tmp/empty.err"
check "-r DIR: an empty directory is exit 1" test $? -eq 1
mkdir -p "$tmp/many"
for i in $(seq 1 300); do ln -s "$PWD/pcaps/tls-sni.pcap" "$tmp/many/t$i.pcap"; done
"$S" -r "$tmp/many" -c rules/egress.yaml --json "$tmp/many.ndjson" 2>"$tmp/many.err"
check "300 files (no 256 limit): exit 0" test $? -eq 0
check "300 files: 300 flows" test "$(jq -s 'map(select(.event_type=="flow"))|length' "$tmp/many.ndjson")" -eq 300

# The progress line, on a terminal only (script(1) gives us one).
if command -v script >/dev/null; then
	script -qec "$S -r pcaps/encap-mix.pcap -r pcaps/tls-sni.pcap -c rules/egress.yaml --json /dev/null" \
	    "$tmp/tty.out" >/dev/null 2>&1
	check "tty: a progress line with rate and percent" grep -qE '[12]/2 [0-9]+ pkts .* pkts/s .*[0-9.]+% of [0-9.]+ kB' "$tmp/tty.out"
	check "tty: erased before the summary" grep -q $'\r\033\\[K' "$tmp/tty.out"
else
	echo "ok - triage: progress line # SKIP script(1) not installed"
fi

"$S" --version >"$tmp/version"
check "--version: libpcap, nDPI, hiredis, libyaml" grep -q "libpcap version" "$tmp/version"
check "--version: nDPI" grep -qE "^  nDPI [0-9]" "$tmp/version"
check "--version: hiredis" grep -qE "^  hiredis [0-9]+\.[0-9]+\.[0-9]+" "$tmp/version"
