# shellcheck shell=bash
# lab-common.sh - the plumbing tools/mkpcaps.sh and tools/mkpcaps-clients.sh share: lab set-up
# and teardown, background processes, tcpdump on the router's outside veth, and the sshd world
# (private user database, hostname, /run and /var/log under unshare --mount --uts).
#
# Sourced, never run: it only defines functions. The script that sources it sets HERE (this
# folder), OUT (where captures go), SVC (tools/labsvc.py), LAB_PREFIX and LAB_RUN (exported, for
# tools/lab.sh), then calls lab_init. Hooks a script may redefine after sourcing:
# ssh_setup_extra (more files or client keys for the `user` login) and sshd_conf_extra (more
# sshd_config lines); both do nothing by default.

# lab_init NAME WORK: namespace names, a work folder /tmp/WORK.XXXXXX ($W), the teardown trap,
# SSH_OPTS; exits unless root. NAME prefixes log lines.
lab_init() {
	LAB_NAME=$1
	NS_T=${LAB_PREFIX}train
	NS_R=${LAB_PREFIX}router
	NS_O=${LAB_PREFIX}outside
	W=$(mktemp -d "/tmp/$2.XXXXXX")
	chmod 755 "$W"
	PIDS=()
	LAB_UP=0
	CAP_PID=
	SSH_READY=0
	trap cleanup EXIT
	trap 'exit 130' INT TERM
	[ "$(id -u)" -eq 0 ] || { log "needs root (network namespaces)"; exit 1; }
	# shellcheck disable=SC2034 # used by the scripts that source this file
	SSH_OPTS=(-F /dev/null -i "$W/keys/id_user" -o StrictHostKeyChecking=no
		-o UserKnownHostsFile=/dev/null -o LogLevel=ERROR -o ServerAliveInterval=0)
}

log() { echo "$LAB_NAME: $*" >&2; }

cleanup() {
	local p
	for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
	sleep 0.3
	for p in "${PIDS[@]}"; do kill -9 "$p" 2>/dev/null || true; done
	[ "$LAB_UP" = 1 ] && "$HERE/lab.sh" down
	if [ -n "${KEEP_WORK:-}" ]; then log "work files kept in $W"; else rm -rf "$W"; fi
}

# need_lab: build the lab (tools/lab.sh up) once, after clearing a stale one of the same prefix
need_lab() {
	[ $LAB_UP = 1 ] && return
	"$HERE/lab.sh" down 2>/dev/null || true
	LAB_UP=1
	"$HERE/lab.sh" up
}

# bg NS CMD...: run CMD in namespace NS in the background, remember its PID
bg() {
	local ns=$1; shift
	ip netns exec "$ns" "$@" &
	PIDS+=($!)
	LASTPID=$!
}

stop() { kill "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; }

# wait_listen NS ADDR:PORT [tcp|udp]
wait_listen() {
	local i=0 flag=-ltn
	[ "${3:-tcp}" = udp ] && flag=-lun
	until ip netns exec "$1" ss -H $flag "sport = :${2##*:}" | grep -q "${2%:*}:${2##*:}"; do
		i=$((i + 1)); [ $i -lt 100 ] || { log "nothing listens on $2 in $1"; exit 1; }
		sleep 0.1
	done
}

# cap_start NAME: tcpdump on the router's r-out into $OUT/NAME.pcap; cap_stop ends it
cap_start() {
	local f=$OUT/$1.pcap
	rm -f "$f"
	ip netns exec "$NS_R" tcpdump -i r-out -s 0 -U -n -Z root -w "$f" 2>"$W/tcpdump.err" &
	CAP_PID=$!
	PIDS+=("$CAP_PID")
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

# ---------------------------------------------------------------- ssh plumbing
# ssh_setup: one `user` login (uid 4242) with a home under $W, a private user database (bind-
# mounted over /etc/passwd, /etc/shadow, /etc/group by in_sshd_world), the OpenSSH client key
# $W/keys/id_user in authorized_keys. ssh_setup_extra runs before the home is handed to the user.
ssh_setup() {
	[ $SSH_READY = 1 ] && return
	local e=$W/etc
	mkdir -p "$e" "$W/home/user/.ssh" "$W/keys"
	cp /etc/passwd "$e/passwd"; cp /etc/shadow "$e/shadow"; cp /etc/group "$e/group"
	echo "user:x:4242:4242:Lab User:$W/home/user:/bin/bash" >>"$e/passwd"
	echo "user:*:20000:0:99999:7:::" >>"$e/shadow"
	echo "user:x:4242:" >>"$e/group"
	ssh-keygen -q -t ed25519 -N '' -C user@lab -f "$W/keys/id_user"
	cp "$W/keys/id_user.pub" "$W/home/user/.ssh/authorized_keys"
	cat >"$W/home/user/.profile" <<-'EOF'
	PS1='\u@\h:\w\$ '
	export LANG=C.UTF-8
	EOF
	echo "hello from the lab" >"$W/home/user/notes.txt"
	ssh_setup_extra
	chown -R 4242:4242 "$W/home/user"
	chmod 700 "$W/home/user/.ssh"
	SSH_READY=1
}
ssh_setup_extra() { :; }

# sshd_conf ROLE HOSTNAME "ListenAddress lines...": host keys and $W/sshd-ROLE/sshd_config
# (sshd_conf_extra's output is appended to the config)
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
		EOF
		sshd_conf_extra
	} >"$d/sshd_config"
}
sshd_conf_extra() { :; }

# in_sshd_world DIR HOSTNAME CMD: the shell snippet that gives CMD the lab's private user
# database, DIR/hostname, /run and /var/log (run it under unshare --mount --uts)
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

# sshd_start ROLE(outside|train) HOSTNAME "ListenAddress lines...": sshd -D in that namespace,
# its PID in SSHD_PID_ROLE
sshd_start() {
	local role=$1 ns d=$W/sshd-$1
	case $role in outside) ns=$NS_O ;; train) ns=$NS_T ;; esac
	sshd_conf "$@"
	bg "$ns" unshare --mount --uts /bin/sh -c \
	    "$(in_sshd_world "$d" "$2" "/usr/sbin/sshd -D -e -f $d/sshd_config")" 2>"$d/sshd.log"
	eval "SSHD_PID_$role=$LASTPID"
}

# tunnel_login TUN TUNNEL_PORT IDLE SEED TYPER_ARGS...: once the reverse tunnel listens on
# 127.0.0.1:TUNNEL_PORT in outside, wait IDLE seconds, then the operator logs in back through it
# with OpenSSH and types TYPER_ARGS (--line ...); then stop the implant TUN and the capture
tunnel_login() {
	local tun=$1 tport=$2 idle=$3 seed=$4
	shift 4
	wait_listen "$NS_O" "127.0.0.1:$tport"
	sleep "$idle"
	ip netns exec "$NS_O" $SVC typer --seed "$seed" "$@" -- \
	    ssh "${SSH_OPTS[@]}" -tt -p "$tport" user@127.0.0.1 2>>"$W/typer.log"
	sleep 2
	stop "$tun"
	cap_stop
}
