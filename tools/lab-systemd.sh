#!/bin/bash
# lab-systemd.sh - the appliance acceptance on a real systemd (issue 11).
#
# Boots a Debian 12 root file system with systemd-nspawn (systemd as PID
# 1 inside, whatever runs as PID 1 here), then does what the README's
# "Install and run as a service" tells an operator to do:
#   make install (into the container's /), systemd-sysusers, edit only
#   /etc/egress-sensor/local.yaml (networks, an allowlist, the Redis URL),
#   egress-sensor -n, systemctl enable --now egress-sensor@host0
# and checks that it captures and feeds Redis: captures are replayed from
# outside into the container's interface (nspawn's veth pair), the
# alerts are read back with redis-cli inside.  Then `systemctl reload`,
# `systemctl status` (the sd_notify STATUS line), the watchdog (the
# sensor is frozen with SIGSTOP: systemd must kill and restart it), `man
# egress-sensor`, and `systemctl stop`.
#
# Usage: tools/lab-systemd.sh      (root; from the repo root, after make)
# The root file system is built once with debootstrap and cached in
# $LAB_SYSTEMD_DIR (default /var/cache/egress-sensor/bookworm-systemd);
# each run boots a throw-away copy (--keep-unit --register=no: no
# systemd or D-Bus is needed outside).  Not part of `make test` (minutes,
# needs systemd-nspawn and tcpreplay: apt-get install systemd-container
# tcpreplay).  Prints "ok - ..." / "not ok - ..." and exits 1 on a failure.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
BUILD=${BUILD:-build}
DIR=${LAB_SYSTEMD_DIR:-/var/cache/egress-sensor/bookworm-systemd}
M=i11-sensor
PKGS=systemd,systemd-sysv,dbus,iproute2,procps,redis-server,redis-tools,man-db,libpcap0.8,libndpi4.2,libhiredis0.14,libyaml-0-2,libgcrypt20,libsystemd0
fails=0

[ "$(id -u)" -eq 0 ] || { echo "lab-systemd: needs root" >&2; exit 1; }
for t in systemd-nspawn tcpreplay nsenter debootstrap; do
	command -v $t >/dev/null ||
	    { echo "lab-systemd: $t missing (apt-get install systemd-container tcpreplay debootstrap)" >&2; exit 1; }
done
[ -x "$BUILD/egress-sensor" ] || { echo "lab-systemd: run make first" >&2; exit 1; }

check() {	# check NAME COMMAND...
	local name=$1; shift
	if "$@"; then echo "ok - systemd: $name"
	else echo "not ok - systemd: $name"; fails=$((fails + 1)); fi
}

if [ ! -e "$DIR/.complete" ]; then
	mirror=$(tools/debian-mirror.sh) || exit 1
	rm -rf "$DIR"
	mkdir -p "$(dirname "$DIR")"
	echo "lab-systemd: debootstrap bookworm into $DIR (once)" >&2
	debootstrap --include="$PKGS" bookworm "$DIR" "$mirror" >&2 || exit 1
	touch "$DIR/.complete"
fi

tmp=$(mktemp -d /tmp/i11-systemd.XXXXXX)
root=$tmp/root
nspawn=
cleanup() {
	[ -n "$nspawn" ] && kill "$nspawn" 2>/dev/null && wait "$nspawn" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT INT TERM
cp -a "$DIR" "$root"
# The container is its own host: no address of ours leaks into it.
echo "$M" >"$root/etc/hostname"

# --- make install, as the README says, into the container's / -----------
make --no-print-directory -s install BUILD="$BUILD" DESTDIR="$root" \
    PREFIX=/usr/local >"$tmp/install.log" 2>&1
check "make install into the container" test $? -eq 0
cat >>"$root/etc/egress-sensor/local.yaml" <<'EOF'

# lab-systemd.sh: the operator's edits
networks:
  internal: [10.0.0.0/8]
  training: [10.20.0.0/16]
lists:
  ssh_allowed: [203.0.113.22/32]
output:
  redis:
    url: redis://127.0.0.1:6379
EOF

# --- boot -------------------------------------------------------------------
systemd-nspawn --register=no --keep-unit --console=passive -q -D "$root" \
    -M "$M" --network-veth -b </dev/null \
    >"$tmp/boot.log" 2>&1 &
nspawn=$!
leader=
for _ in $(seq 100); do
	leader=$(ps -o pid= --ppid "$nspawn" 2>/dev/null | head -1 | tr -d ' ')
	[ -n "$leader" ] && [ "$(cat /proc/$leader/comm 2>/dev/null)" = systemd ] && break
	sleep 0.2
done
cin() { nsenter -t "$leader" -a -- "$@"; }
# Until PID 1 answers on its bus, then until start-up is done.
state=
for _ in $(seq 120); do
	state=$(cin systemctl is-system-running 2>/dev/null)
	case $state in running|degraded) break ;; esac
	sleep 0.5
done
check "systemd boots as PID 1 in the container (state: ${state:-none})" \
    test -n "$leader" -a "$(cin cat /proc/1/comm 2>/dev/null)" = systemd
[ -n "$leader" ] || { tail -20 "$tmp/boot.log" >&2; exit 1; }
cin systemctl is-active -q redis-server
check "redis-server runs in the container" test $? -eq 0

# --- the operator's steps ---------------------------------------------------
cin systemd-sysusers >/dev/null 2>&1
cin id -u egress-sensor >/dev/null 2>&1
check "systemd-sysusers creates the egress-sensor user" test $? -eq 0
cin egress-sensor -n >"$tmp/n.out" 2>&1
check "egress-sensor -n passes on the edited local.yaml" test $? -eq 0
cin ip link set host0 up
t0=$(date +%s.%N)
cin systemctl enable --now egress-sensor@host0 >/dev/null 2>&1
rc=$?
t1=$(date +%s.%N)
check "systemctl enable --now egress-sensor@host0 (returned after $(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.2f", b-a}') s, Type=notify)" \
    test $rc -eq 0
check "the service is active" cin systemctl is-active -q egress-sensor@host0
pid=$(cin systemctl show -p MainPID --value egress-sensor@host0)
check "it runs as egress-sensor (uid $(cin ps -o user= -p "$pid" 2>/dev/null))" \
    test "$(cin ps -o user= -p "$pid" 2>/dev/null)" = egress-sensor

# --- traffic from the mirror port -----------------------------------------
ip link set "ve-$M" up 2>/dev/null || ip link set "ve-${M:0:10}" up
veth=$(ip -o link | grep -oE "ve-${M:0:10}[^:@]*" | head -1)
sleep 1
for p in ssh-ossh10-rshell.pcap stratum-xmrig.pcap; do
	tcpreplay -q -i "$veth" "pcaps/$p" >>"$tmp/replay.log" 2>&1
done
sleep 3
S=egress:$M-host0	# the unit names the sensor <host>-IFACE
alerts=$(cin redis-cli XLEN $S:alerts)
flows=$(cin redis-cli XLEN $S:flows)
cin redis-cli --raw XRANGE $S:alerts - + >"$tmp/alerts.txt"
check "alerts in Redis ($S:alerts: ${alerts:-0} entries, :flows ${flows:-0})" test "${alerts:-0}" -gt 0
check "a reverse-SSH alert from the replayed OpenSSH 10 shell" \
    grep -qE '^(reverse_ssh|ssh_remote_forward)$' "$tmp/alerts.txt"
check "a Stratum alert from the replayed xmrig session" grep -qx stratum "$tmp/alerts.txt"
cin systemctl status egress-sensor@host0 --no-pager >"$tmp/status.txt" 2>&1
check "systemctl status shows the sensor's STATUS line" \
    grep -qE 'Status: "[0-9]+ packets' "$tmp/status.txt"

# --- reload, watchdog, man, stop -------------------------------------------
cin systemctl reload egress-sensor@host0
check "systemctl reload (SIGHUP) keeps it active" cin systemctl is-active -q egress-sensor@host0
sleep 1
cin journalctl -u egress-sensor@host0 --no-pager >"$tmp/journal.txt" 2>&1
check "the sensor reloaded its policy (journal: reload: ... loaded)" \
    grep -q 'reload: /etc/egress-sensor/egress.yaml loaded' "$tmp/journal.txt"
cin kill -STOP "$pid"
echo "lab-systemd: sensor frozen; waiting for the 30 s watchdog" >&2
for _ in $(seq 60); do
	n=$(cin systemctl show -p NRestarts --value egress-sensor@host0)
	[ "${n:-0}" -ge 1 ] && break
	sleep 1
done
check "a frozen sensor is restarted by the watchdog (NRestarts=${n:-0})" test "${n:-0}" -ge 1
cin journalctl -u egress-sensor@host0 --no-pager >"$tmp/journal.txt" 2>&1
check "the journal says why (watchdog timeout)" grep -qi watchdog "$tmp/journal.txt"
sleep 2
check "active again after the restart" cin systemctl is-active -q egress-sensor@host0
MANWIDTH=80 cin man egress-sensor >"$tmp/man.txt" 2>/dev/null
check "man egress-sensor works" grep -q -- '--home-net' "$tmp/man.txt"
cin systemctl stop egress-sensor@host0
check "systemctl stop: inactive, not failed ($(cin systemctl is-active egress-sensor@host0))" \
    test "$(cin systemctl is-active egress-sensor@host0)" = inactive
cin systemctl poweroff >/dev/null 2>&1
for _ in $(seq 30); do kill -0 "$nspawn" 2>/dev/null || break; sleep 1; done
if [ "$fails" -gt 0 ]; then
	echo "lab-systemd: $fails failed; status, replay, journal:" >&2
	cat "$tmp/status.txt" "$tmp/replay.log" >&2
	tail -30 "$tmp/journal.txt" >&2
	exit 1
fi
echo "lab-systemd: all passed"
