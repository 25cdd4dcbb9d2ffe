#!/bin/bash
# make install into a temp DESTDIR (files where README "Install" says,
# the installed config valid, the unit file verified), and the Debian
# package: built with dpkg-buildpackage in a copy of the tree, its
# contents checked, its config and binary run from an extracted copy; on
# a machine where systemd runs, installed, started and stopped for real.
# Prints "ok - ..." / "not ok - ..." lines for tools/run-tests.sh.
set -u
cd "$(dirname "$0")/../.." || exit 1
BUILD=${BUILD:-build}
tmp=$(mktemp -d /tmp/i11-install.XXXXXX)
trap 'rm -rf "$tmp"' EXIT INT TERM

check() {	# check NAME COND-COMMAND...
	local name=$1; shift
	if "$@"; then echo "ok - install: $name"; else echo "not ok - install: $name"; fi
}

# --- make install into DESTDIR -------------------------------------------
d=$tmp/root
make --no-print-directory -s install BUILD="$BUILD" DESTDIR="$d" \
    PREFIX=/usr/local >"$tmp/install.log" 2>&1
check "make install exits 0" test $? -eq 0
for f in /usr/local/sbin/egress-sensor /usr/local/bin/egress-sensor-tail \
    /usr/local/share/man/man8/egress-sensor.8 \
    /usr/local/share/man/man5/egress-sensor.yaml.5 \
    /usr/local/share/egress-sensor/lists/mining-pools.txt \
    /etc/egress-sensor/egress.yaml /etc/egress-sensor/local.yaml \
    /usr/local/lib/systemd/system/egress-sensor@.service \
    /usr/local/lib/sysusers.d/egress-sensor.conf; do
	check "installed $f" test -s "$d$f"
done
check "installed conf.d/" test -d "$d/etc/egress-sensor/conf.d"
check "installed config reads the pool list from /usr/local/share" \
    grep -q '^  mining_pools: /usr/local/share/egress-sensor/lists/mining-pools.txt' \
    "$d/etc/egress-sensor/egress.yaml"
check "installed config includes local.yaml and conf.d" \
    grep -q '^include: \[local.yaml, conf.d\]' "$d/etc/egress-sensor/egress.yaml"
# The installed config, with its absolute list path moved into DESTDIR.
sed "s|/usr/local/share|$d/usr/local/share|" "$d/etc/egress-sensor/egress.yaml" \
    >"$d/etc/egress-sensor/check.yaml"
"$d/usr/local/sbin/egress-sensor" -n -c "$d/etc/egress-sensor/check.yaml" \
    2>"$tmp/n.err"
check "installed config passes -n" test $? -eq 0
check "-n summary names the pool list" grep -qE 'mining_pools (1[0-9]{2}|[2-9][0-9]{2})' "$tmp/n.err"
# local.yaml is the site's: a second install keeps it.
echo "# edited" >>"$d/etc/egress-sensor/local.yaml"
make --no-print-directory -s install BUILD="$BUILD" DESTDIR="$d" \
    PREFIX=/usr/local >>"$tmp/install.log" 2>&1
check "reinstall keeps an edited local.yaml" grep -q '^# edited' "$d/etc/egress-sensor/local.yaml"
unit=$d/usr/local/lib/systemd/system/egress-sensor@.service
check "unit: ExecStart runs the installed binary as egress-sensor" \
    grep -q '^ExecStart=/usr/local/sbin/egress-sensor -i %I -c /etc/egress-sensor/egress.yaml -u egress-sensor' "$unit"
check "unit: capabilities bounded" grep -q '^CapabilityBoundingSet=CAP_NET_RAW CAP_NET_ADMIN CAP_SETUID CAP_SETGID$' "$unit"
check "unit: no placeholders left" test "$(grep -c @ "$unit")" -eq "$(grep -c 'egress-sensor@' "$unit")"
if command -v systemd-analyze >/dev/null; then
	# verify needs the ExecStart binary where the unit says: check a copy
	# pointing into DESTDIR, as instance lo.
	mkdir -p "$tmp/units"
	sed -e "s|/usr/local/sbin|$d/usr/local/sbin|g" \
	    -e "s|/etc/egress-sensor|$d/etc/egress-sensor|g" "$unit" \
	    >"$tmp/units/egress-sensor@.service"
	SYSTEMD_LOG_LEVEL=warning systemd-analyze verify --man=no \
	    "$tmp/units/egress-sensor@lo.service" >"$tmp/verify.out" 2>&1
	# Outside a booted systemd (containers) verify cannot load the
	# dependency units (network-online.target, the .device): those
	# complaints only.
	grep -vE 'sys-subsystem-net-devices|network-online|redis-server|multi-user|Failed to prepare filename|^$' \
	    "$tmp/verify.out" >"$tmp/verify.rest"
	# Any other line (an unknown key, a bad value) fails, whatever
	# the exit status.
	if [ ! -s "$tmp/verify.rest" ]; then
		echo "ok - install: systemd-analyze verify"
	else
		echo "not ok - install: systemd-analyze verify"
		sed 's/^/#   /' "$tmp/verify.rest" | head -10
	fi
else
	echo "ok - install: systemd-analyze verify # SKIP systemd-analyze not installed"
fi
if command -v man >/dev/null; then
	MANWIDTH=80 man -l "$d/usr/local/share/man/man8/egress-sensor.8" \
	    >"$tmp/man8.txt" 2>"$tmp/man8.err"
	check "man egress-sensor(8) renders without warnings" test ! -s "$tmp/man8.err"
	check "man egress-sensor(8) documents --home-net" grep -q -- '--home-net' "$tmp/man8.txt"
	MANWIDTH=80 man -l "$d/usr/local/share/man/man5/egress-sensor.yaml.5" \
	    >"$tmp/man5.txt" 2>"$tmp/man5.err"
	check "man egress-sensor.yaml(5) renders without warnings" test ! -s "$tmp/man5.err"
else
	echo "ok - install: man pages render # SKIP man not installed"
fi

# --- sd_notify: what the Type=notify unit hears ---------------------------
# The sensor on lo with a notify socket and a 2 s watchdog, as systemd
# would start it: READY=1 once capturing, WATCHDOG=1 about every second,
# RELOADING=1 then READY=1 on SIGHUP, STOPPING=1 on SIGTERM.
if [ "$(id -u)" -eq 0 ]; then
	python3 - "$tmp/notify" "$tmp/notify.log" <<'PY' &
import socket, sys, time
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1]); s.settimeout(15)
with open(sys.argv[2], "w") as log:
    end = time.time() + 15
    while time.time() < end:
        try:
            msg = s.recv(4096).decode()
        except socket.timeout:
            break
        log.write("%.3f %s\n" % (time.time(), msg.replace("\n", "|")))
        log.flush()
        if "STOPPING=1" in msg:
            break
PY
	rcv=$!
	for _ in $(seq 50); do [ -S "$tmp/notify" ] && break; sleep 0.1; done
	NOTIFY_SOCKET=$tmp/notify WATCHDOG_USEC=2000000 "$BUILD/egress-sensor" \
	    -i lo -c rules/egress.yaml --json "$tmp/notify.ndjson" \
	    2>"$tmp/notify.err" &
	sp=$!
	sleep 3.5
	kill -HUP "$sp"; sleep 1
	kill -TERM "$sp"; wait "$sp"; src=$?
	wait "$rcv"
	check "sd_notify: READY=1 once capturing" grep -q 'READY=1|STATUS=capturing' "$tmp/notify.log"
	check "sd_notify: WATCHDOG=1 at half the 2 s interval (>= 3 in 4.5 s)" \
	    test "$(grep -c 'WATCHDOG=1' "$tmp/notify.log")" -ge 3
	check "sd_notify: STATUS= line with counters" grep -q 'STATUS=[0-9]* packets' "$tmp/notify.log"
	check "sd_notify: RELOADING=1 then READY=1 on SIGHUP" \
	    awk '/RELOADING=1/ { r = 1 } r && /READY=1/ { ok = 1 } END { exit !ok }' "$tmp/notify.log"
	check "sd_notify: STOPPING=1 on SIGTERM, exit 0" \
	    test "$src" -eq 0 -a "$(grep -c 'STOPPING=1' "$tmp/notify.log")" -eq 1
	[ -s "$tmp/notify.log" ] || sed 's/^/#   /' "$tmp/notify.err" | head -5
else
	echo "ok - install: sd_notify on a live capture # SKIP needs root to capture on lo"
fi
check "unit: Type=notify with a watchdog" grep -q '^WatchdogSec=' "$unit"
# The sensor is not root after -u and the bounding set has no CAP_KILL:
# only a reload run outside the sandbox ("+") may signal it.
check "unit: ExecReload runs outside the sandbox" grep -q '^ExecReload=+/bin/kill -HUP' "$unit"

# --- Debian package --------------------------------------------------------
if ! command -v dpkg-buildpackage >/dev/null ||
    ! dpkg-query -W -f='${Status}' debhelper 2>/dev/null | grep -q "install ok installed"; then
	echo "ok - install: dpkg-buildpackage builds a .deb # SKIP dpkg-buildpackage or debhelper not installed (apt-get install debhelper)"
	exit 0
fi
src=$tmp/pkg/egress-sensor
mkdir -p "$src"
git ls-files -z -c -o --exclude-standard | tar --null -T - -cf - 2>/dev/null |
    tar -C "$src" -xf -
(cd "$src" && dpkg-buildpackage -us -uc -b) >"$tmp/deb.log" 2>&1
rc=$?
deb=$(ls "$tmp"/pkg/egress-sensor_*.deb 2>/dev/null | head -1)
check "dpkg-buildpackage -us -uc -b builds a .deb" test "$rc" -eq 0 -a -n "$deb"
[ "$rc" -eq 0 ] || { tail -20 "$tmp/deb.log" | sed 's/^/#   /'; exit 0; }
dpkg-deb -c "$deb" | awk '{print $6}' | sed 's|^\./|/|' >"$tmp/deb.list"
for f in /usr/sbin/egress-sensor /usr/bin/egress-sensor-tail \
    /usr/share/man/man8/egress-sensor.8.gz /usr/share/man/man5/egress-sensor.yaml.5.gz \
    /usr/share/egress-sensor/lists/mining-pools.txt \
    /etc/egress-sensor/egress.yaml /etc/egress-sensor/local.yaml \
    /lib/systemd/system/egress-sensor@.service; do
	check "package holds $f" grep -qx "$f" "$tmp/deb.list"
done
dpkg-deb -I "$deb" conffiles >"$tmp/conffiles" 2>/dev/null
check "package: both config files are conffiles" \
    test "$(grep -c '^/etc/egress-sensor/\(egress\|local\).yaml$' "$tmp/conffiles")" -eq 2
dpkg-deb -x "$deb" "$tmp/x"
sed "s|/usr/share/egress-sensor|$tmp/x/usr/share/egress-sensor|" \
    "$tmp/x/etc/egress-sensor/egress.yaml" >"$tmp/x/etc/egress-sensor/check.yaml"
"$tmp/x/usr/sbin/egress-sensor" -n -c "$tmp/x/etc/egress-sensor/check.yaml" 2>"$tmp/xn.err"
check "package: its binary passes -n on its config" test $? -eq 0
grep -q "ExecStart=/usr/sbin/egress-sensor -i %I -c /etc/egress-sensor/egress.yaml" \
    "$tmp/x/lib/systemd/system/egress-sensor@.service"
check "package: unit runs /usr/sbin/egress-sensor" test $? -eq 0
if [ -d /run/systemd/system ] && [ "$(id -u)" -eq 0 ] &&
    ! dpkg-query -W egress-sensor >/dev/null 2>&1; then
	dpkg -i "$deb" >"$tmp/dpkg.log" 2>&1
	check "package: dpkg -i" test $? -eq 0
	systemctl start egress-sensor@lo && sleep 2
	check "package: egress-sensor@lo starts" systemctl is-active -q egress-sensor@lo
	systemctl stop egress-sensor@lo
	check "package: egress-sensor@lo stops" test "$(systemctl is-active egress-sensor@lo)" != active
	dpkg --purge egress-sensor >>"$tmp/dpkg.log" 2>&1
	check "package: dpkg --purge" test $? -eq 0
else
	echo "ok - install: package installs, starts and stops the service # SKIP needs root, a running systemd (PID 1 here: $(ps -p 1 -o comm= 2>/dev/null)) and no egress-sensor package installed already"
fi
