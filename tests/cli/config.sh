#!/bin/bash
# Configuration on the command line: search order, include layers, YAML
# anchors, list syntax, -n warnings and summary, empty configs,
# --home-net.  Prints "ok - ..." / "not ok - ..." for tools/run-tests.sh.
set -u
cd "$(dirname "$0")/../.." || exit 1
BUILD=${BUILD:-build}
S=$PWD/$BUILD/egress-sensor
tmp=$(mktemp -d /tmp/i11-cfg.XXXXXX)
trap 'rm -rf "$tmp"' EXIT INT TERM
unset EGRESS_SENSOR_CONFIG

check() {	# check NAME COND-COMMAND...
	local name=$1; shift
	if "$@"; then echo "ok - config: $name"; else echo "not ok - config: $name"
		sed 's/^/#   /' "$tmp/err" 2>/dev/null | head -5; fi
}
# run CMD...: status in $rc, stderr in $tmp/err, stdout in $tmp/out
run() { "$@" >"$tmp/out" 2>"$tmp/err"; rc=$?; }
has() { grep -qE -- "$1" "$tmp/err"; }

# --- search order ------------------------------------------------------
printf 'sensor: {name: from-env}\nrules: []\n' >"$tmp/env.yaml"
printf 'sensor: {name: from-c}\nrules: []\n' >"$tmp/c.yaml"
run env EGRESS_SENSOR_CONFIG="$tmp/env.yaml" "$S" -n -c "$tmp/c.yaml"
check "-c wins over \$EGRESS_SENSOR_CONFIG" has "c.yaml: ok"
run env EGRESS_SENSOR_CONFIG="$tmp/env.yaml" "$S" -n
check "\$EGRESS_SENSOR_CONFIG without -c" has "env.yaml: ok"
run env EGRESS_SENSOR_CONFIG="$tmp/none.yaml" "$S" -n
check "\$EGRESS_SENSOR_CONFIG missing: exit 2 naming it" test "$rc" -eq 2
check "\$EGRESS_SENSOR_CONFIG missing: message" has "none.yaml:1:1: cannot open"
if [ -e /etc/egress-sensor/egress.yaml ]; then
	echo "ok - config: source tree fallback # SKIP /etc/egress-sensor/egress.yaml exists here"
	echo "ok - config: nothing found # SKIP /etc/egress-sensor/egress.yaml exists here"
else
	(cd /tmp && "$S" -n) >"$tmp/out" 2>"$tmp/err"; rc=$?
	check "no -c from /tmp: the source tree's rules/egress.yaml" test "$rc" -eq 0
	check "no -c from /tmp: path relative to the binary" has "$(dirname "$(dirname "$S")")/rules/egress.yaml: ok"
	mkdir -p "$tmp/x/bin"
	cp "$S" "$tmp/x/bin/egress-sensor"
	(cp -r rules "$tmp/" && cd "$tmp" &&
	    "$tmp/x/bin/egress-sensor" -n) >"$tmp/out" 2>"$tmp/err"; rc=$?
	check "nothing found: exit 2 (a rules/ in the cwd is not used)" test "$rc" -eq 2
	check "nothing found: the paths tried" has "tried \\\$EGRESS_SENSOR_CONFIG \(unset\), /etc/egress-sensor/egress.yaml, $tmp/x/rules/egress.yaml"
	rm -rf "$tmp/rules"
fi

# --- include -----------------------------------------------------------
mkdir -p "$tmp/inc/conf.d"
cat >"$tmp/inc/main.yaml" <<'Y'
networks:
  training: [10.0.0.0/8]
lists:
  ssh_allowed: [203.0.113.22/32]
flow: {capacity: 1024, udp_timeout: 60}
rules:
  - {sid: 1, id: a, title: A, severity: 1, when: {detector: reverse_ssh, src_net: training}, unless: {dest_net: ssh_allowed}}
  - {sid: 2, id: b, title: B, severity: 2, when: {detector: stratum}}
include: [local.yaml, conf.d]
Y
cat >"$tmp/inc/local.yaml" <<'Y'
networks:
  training: [10.20.0.0/16]
output:
rules:
  - {sid: 2, id: b, title: B here, severity: 3, when: {detector: stratum}}
  - {sid: 3, id: c, title: C, severity: 3, when: {detector: crypto_node}}
Y
printf 'flow: {capacity: 2048}\n' >"$tmp/inc/conf.d/10-a.yaml"
printf 'flow: {capacity: 4096}\n' >"$tmp/inc/conf.d/20-b.yml"
printf 'flow: {capacity: 8}\n' >"$tmp/inc/conf.d/.hidden.yaml"
printf 'not yaml: [\n' >"$tmp/inc/conf.d/README"
run "$S" -n -c "$tmp/inc/main.yaml" --json -
check "include: loads (local.yaml + conf.d)" test "$rc" -eq 0
check "include: rules appended, same sid replaced (3 rules)" has "main.yaml: ok: 3 rules"
# What the layers made, seen in a run: the stratum rule from local.yaml.
run "$S" -r pcaps/stratum-btc.pcap -c "$tmp/inc/main.yaml" --json "$tmp/inc.ndjson"
check "include: the replacing rule fires" test "$(jq -rs 'map(select(.event_type=="alert"))|.[0].alert.signature' "$tmp/inc.ndjson")" = "B here"
check "include: ... where the rule it replaced stood (severity 3)" test "$(jq -rs 'map(select(.event_type=="alert"))|.[0].alert.severity' "$tmp/inc.ndjson")" = 3
printf 'flow: {capacity: oops}\n' >"$tmp/inc/conf.d/30-c.yaml"
run "$S" -n -c "$tmp/inc/main.yaml"
check "include: an error names the included file" has "conf.d/30-c.yaml:1:18: 'oops'"
check "include: ... and fails with 2" test "$rc" -eq 2
printf 'include: ../main.yaml\n' >"$tmp/inc/conf.d/30-c.yaml"
run "$S" -n -c "$tmp/inc/main.yaml"
check "include: a cycle is an error" has "30-c.yaml:1:10: include '.*conf.d/../main.yaml': a cycle"
rm "$tmp/inc/conf.d/30-c.yaml"
printf 'include: [nothere.yaml]\n' >"$tmp/inc/conf.d/40-d.yaml"
run "$S" -n -c "$tmp/inc/main.yaml"
check "include: a missing file is an error at its line" has "40-d.yaml:1:11: include '.*conf.d/nothere.yaml': No such file"
rm "$tmp/inc/conf.d/40-d.yaml"
for i in 1 2 3 4 5 6 7 8 9 10; do printf 'include: d%d.yaml\n' $((i + 1)) >"$tmp/inc/d$i.yaml"; done
printf 'rules: []\n' >"$tmp/inc/d11.yaml"
run "$S" -n -c "$tmp/inc/d1.yaml"
check "include: nesting deeper than 8 is an error" has "includes nested more than 8 deep"

# --- anchors -----------------------------------------------------------
cat >"$tmp/anchors.yaml" <<'Y'
networks:
  training: &train [10.20.0.0/16]
  lab: *train
lists:
  ssh_allowed: [203.0.113.22/32]
defaults: &d {severity: 2, category: ssh, suppress: {seconds: 60}}
Y
run "$S" -n -c "$tmp/anchors.yaml"
check "anchors: a map's unknown key still an error" has "anchors.yaml:6:1: config: unknown key 'defaults'"
cat >"$tmp/anchors.yaml" <<'Y'
networks:
  training: &train [10.20.0.0/16]
  lab: *train
lists:
  ssh_allowed: [203.0.113.22/32]
rules:
  - &r1 {sid: 1, id: a, title: A, severity: 2, category: ssh,
         when: {detector: reverse_ssh, src_net: lab}}
  - {<<: *r1, sid: 2, id: b, when: {detector: ssh_remote_forward}}
Y
run "$S" -n -c "$tmp/anchors.yaml" --json -
check "anchors: aliases and merge keys load" test "$rc" -eq 0
check "anchors: two rules" has "ok: 2 rules"
{
	echo "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"
	for i in 1 2 3 4 5 6 7 8 9; do
		p=$((i - 1))
		echo "a$i: &a$i [*a$p, *a$p, *a$p, *a$p, *a$p, *a$p, *a$p, *a$p, *a$p, *a$p]"
	done
} >"$tmp/laughs.yaml"
run timeout 10 "$S" -n -c "$tmp/laughs.yaml"
check "billion laughs: exit 2, not an OOM or a hang" test "$rc" -eq 2
check "billion laughs: message" has "aliases expand to more than 10000 nodes"

# --- lists -------------------------------------------------------------
printf 'pool.one.example\npool.two.example\n' >"$tmp/pools.txt"
cat >"$tmp/lists.yaml" <<Y
lists:
  mining_pools: {files: [$tmp/pools.txt], entries: [extra.example]}
rules:
  - {sid: 1, id: a, title: A, severity: 1, when: {detector: mining_pool_tls}}
Y
run "$S" -n -c "$tmp/lists.yaml" --json -
check "lists: files and entries together" has "mining_pools 3\)"
printf 'lists:\n  mining_pools: [pools.txt, extra.example]\nrules: []\n' >"$tmp/amb.yaml"
run "$S" -n -c "$tmp/amb.yaml"
check "lists: a path among entries is an error" has "amb.yaml:2:18: list 'mining_pools': 'pools.txt' is a file next to the config"
printf 'lists:\n  mining_pools: [./pools.txt, extra.example]\nrules: []\n' >"$tmp/amb.yaml"
run "$S" -n -c "$tmp/amb.yaml"
check "lists: './pools.txt' among entries is an error" has "amb.yaml:2:18: list 'mining_pools': './pools.txt' looks like a file path"
printf 'lists:\n  ssh_allowed: [203.0.113.22, git.example.org]\nrules: []\n' >"$tmp/ssh.yaml"
run "$S" -n -c "$tmp/ssh.yaml"
check "lists: a host name in ssh_allowed is an error" has "ssh.yaml:2:31: list 'ssh_allowed': 'git.example.org': only addresses and networks"

# --- -n warnings and summary --------------------------------------------
cat >"$tmp/warn.yaml" <<Y
networks:
  training: [10.20.0.0/16]
  unused_net: [10.99.0.0/16]
lists:
  mining_pool: [pool.example]
  hosts: [10.1.1.1, name.example]
  empty: []
rules:
  - {sid: 1, id: a, title: A, severity: 1, when: {detector: mining_pool_tls, src_net: training}}
  - {sid: 2, id: b, title: B, severity: 1, when: {detector: ssh_unapproved_destination, dest_net: [hosts, empty]}}
Y
run "$S" -n -c "$tmp/warn.yaml"
check "-n warnings: still exit 0" test "$rc" -eq 0
check "-n warns: network defined, never used" has "warning: network 'unused_net' is defined but no rule uses it"
check "-n warns: list defined, never used (a typo of mining_pools)" has "warning: list 'mining_pool' is defined but no rule uses it"
check "-n warns: pool detectors without mining_pools" has "warning: rules use the mining pool detectors but there is no list 'mining_pools'"
check "-n warns: ssh_unapproved_destination without ssh_allowed" has "warning: a rule uses ssh_unapproved_destination but there is no list 'ssh_allowed'"
check "-n warns: names in a list used as dest_net" has "warning: list 'hosts' is used as src_net/dest_net: its 1 names never match"
check "-n warns: empty list" has "warning: list 'empty' is empty"
check "-n warns: no output configured" has "warning: no output configured"
check "-n summary: one line with rules, networks, lists and sizes" has "warn.yaml: ok: 2 rules \(2 of 12 detectors\), 3 networks, 3 lists \(mining_pool 1, hosts 2, empty 0\)"
# The detectors that read a list come from the registry: mining_pool_ip too.
printf 'rules:\n  - {sid: 1, id: a, title: A, severity: 1, when: {detector: mining_pool_ip}}\n' >"$tmp/poolip.yaml"
run "$S" -n -c "$tmp/poolip.yaml" --json -
check "-n warns: mining_pool_ip without mining_pools" has "warning: rules use the mining pool detectors but there is no list 'mining_pools'"
printf 'rules:\n  - {sid: 1, id: a, title: A, severity: 1, when: {detector: crypto_node}}\n' >"$tmp/node.yaml"
run "$S" -n -c "$tmp/node.yaml" --json -
check "-n: crypto_node reads no list: no list warning" test "$(grep -c "no list" "$tmp/err")" -eq 0
# No silent cap: 20 rules on one verdict raise the first 16 alerts (the
# sensor's DET_MAX_RULES) and count the other 4 in det_max_rules.
{ printf 'rules:\n'; for i in $(seq 1 20); do
	printf '  - {sid: %d, id: r%d, title: T, severity: 1, when: {detector: stratum}}\n' "$i" "$i"; done; } >"$tmp/many.yaml"
run "$S" -r pcaps/stratum-btc.pcap -c "$tmp/many.yaml" --json "$tmp/many.ndjson"
check "20 rules on one verdict: 16 alerts, the first 16 sids" test "$(jq -sc '[.[]|select(.event_type=="alert")|.alert.signature_id]' "$tmp/many.ndjson")" = "[$(seq -s, 1 16)]"
check "20 rules on one verdict: det_max_rules 4" test "$(jq -s '[.[]|select(.event_type=="stats")][-1].stats.det_max_rules' "$tmp/many.ndjson")" -eq 4
# A confidence that rises later: the OpenSSH 9.2 -R shell reads 0.75 at
# the set-up and 0.9 at the nested handshake.  The plain rule alerts at
# the first reading; the min_confidence 0.9 rule once, at the second.
cat >"$tmp/rise.yaml" <<'Y'
networks: {internal: [10.0.0.0/8]}
rules:
  - {sid: 1, id: any, title: A, severity: 2, when: {detector: ssh_remote_forward}}
  - {sid: 2, id: sure, title: B, severity: 1, when: {detector: ssh_remote_forward, min_confidence: 0.9}}
Y
run "$S" -r pcaps/ssh-rshell-22-chacha.pcap -c "$tmp/rise.yaml" --json "$tmp/rise.ndjson"
check "rising confidence: one alert per rule (sid 1 at 0.75, then sid 2 at 0.9)" \
    test "$(jq -sc '[.[]|select(.event_type=="alert")|[.alert.signature_id,.alert.confidence]]' "$tmp/rise.ndjson")" = "[[1,0.75],[2,0.9]]"
check "rising confidence: the second alert is later, with the later evidence (nested handshake 0 -> 1)" \
    test "$(jq -sr '[.[]|select(.event_type=="alert")] | (.[1].timestamp > .[0].timestamp) and (.[0].evidence.nested_handshakes == 0) and (.[1].evidence.nested_handshakes == 1)' "$tmp/rise.ndjson")" = true
run "$S" -n -c "$tmp/warn.yaml" --redis unix:///nonexistent
check "-n: --redis counts as an output" test "$(grep -c 'no output configured' "$tmp/err")" -eq 0
run "$S" -n -c rules/egress.yaml --json -
check "-n on the shipped rules: no warnings with an output" test "$(grep -c warning "$tmp/err")" -eq 0
: >"$tmp/empty.yaml"
run "$S" -n -c "$tmp/empty.yaml"
check "-n: an empty config fails (exit 2)" test "$rc" -eq 2
check "-n: an empty config: message" has "empty.yaml:1:1: no settings and no rules"
printf 'rules: []\n' >"$tmp/norules.yaml"
run "$S" -n -c "$tmp/norules.yaml" --json -
check "-n: 'rules: []' says no rules on purpose" test "$rc" -eq 0

# --- --home-net ---------------------------------------------------------
run "$S" -n --home-net 10.0.0.0/33
check "--home-net: a bad network is exit 2" test "$rc" -eq 2
check "--home-net: message" has "--home-net: '10.0.0.0/33': not an address or network"
cp -r rules "$tmp/r"
sed 's|^  training: \[10.0.0.0/8\]|  training: [10.99.0.0/16]|' rules/egress.yaml >"$tmp/r/narrow.yaml"
run "$S" -r pcaps/ssh-nonstd-port.pcap -c "$tmp/r/narrow.yaml" --json "$tmp/hn0.ndjson"
check "--home-net: without it, no SSH alert (training elsewhere)" test "$(jq -s 'map(select(.event_type=="alert"))|length' "$tmp/hn0.ndjson")" -eq 0
run "$S" -r pcaps/ssh-nonstd-port.pcap -c "$tmp/r/narrow.yaml" --home-net 10.20.0.0/16,fd00::/8 --json "$tmp/hn1.ndjson"
check "--home-net: with it, the SSH detectors alert" test "$(jq -s 'map(select(.event_type=="alert" and .alert.detector=="ssh_nonstandard_port"))|length' "$tmp/hn1.ndjson")" -eq 1
run "$S" -r pcaps/ssh-nonstd-port.pcap -c rules/egress.yaml --home-net 192.168.0.0/16 --json "$tmp/hn2.ndjson"
check "--home-net: overrides internal (the flow is external now)" test "$(jq -rs 'map(select(.event_type=="flow"))|.[0].direction' "$tmp/hn2.ndjson")" = external

# --- logging under systemd: syslog levels on the journal stream ------------
: >"$tmp/j.err"
JOURNAL_STREAM=$(stat -c %d:%i "$tmp/j.err") "$S" -r "$tmp/nofile.pcap" 2>>"$tmp/j.err"
check "journal: lines carry their syslog level (<4> warning)" grep -q "^<4>egress-sensor: capture: .*nofile.pcap" "$tmp/j.err"
JOURNAL_STREAM=1:2 "$S" -r "$tmp/nofile.pcap" 2>"$tmp/nj.err"
check "not the journal: plain lines" grep -q "^egress-sensor: capture: .*nofile.pcap" "$tmp/nj.err"

# An include that is not a regular file is refused (a FIFO would block).
mkfifo "$tmp/fifo.yaml"
printf 'include: fifo.yaml\nrules: []\n' >"$tmp/incfifo.yaml"
run timeout 10 "$S" -n -c "$tmp/incfifo.yaml"
check "include: a FIFO is refused, not read" has "include '.*fifo.yaml': not a regular file or directory"

# -u: the inputs are opened before privileges are dropped.
if [ "$(id -u)" -eq 0 ] && id nobody >/dev/null 2>&1; then
	install -m 600 pcaps/tls-sni.pcap "$tmp/private.pcap"
	chmod 711 "$tmp"
	run "$S" -r "$tmp/private.pcap" -c rules/egress.yaml -u nobody --json -
	check "-u nobody: a root-only capture is still read" test "$(grep -c '"event_type":"flow"' "$tmp/out")" -eq 1
else
	echo "ok - config: -u and root-only captures # SKIP needs root and user nobody"
fi
