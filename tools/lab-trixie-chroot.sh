#!/bin/bash
# lab-trixie-chroot.sh - build (once, cached) a Debian 13 "trixie" chroot holding the newer SSH
# software the capture lab runs inside its namespaces: OpenSSH 10.0p1 client and server, paramiko,
# asyncssh, Go with golang.org/x/crypto/ssh, pexpect, dropbear, autossh.
#
# Usage: tools/lab-trixie-chroot.sh [DIR]     (root; default DIR /var/cache/egress-sensor/trixie)
# Prints DIR on success. Not part of `make test`: only tools/mkpcaps-trixie.sh needs it.
# The mirror is the Debian URI already in the machine's apt sources. A chroot that finished
# (DIR/.complete) is reused as is; delete DIR to rebuild.
set -euo pipefail
DIR=${1:-/var/cache/egress-sensor/trixie}
PKGS=openssh-client,openssh-server,python3-paramiko,python3-asyncssh,golang-go,golang-golang-x-crypto-dev,python3-pexpect,dropbear-bin,autossh,procps,iproute2
[ "$(id -u)" -eq 0 ] || { echo "lab-trixie-chroot: needs root" >&2; exit 1; }
if [ -e "$DIR/.complete" ]; then echo "$DIR"; exit 0; fi
command -v debootstrap >/dev/null || apt-get install -y debootstrap >&2
mirror=$("$(dirname "$0")/debian-mirror.sh") || exit 1
mkdir -p "$(dirname "$DIR")"
rm -rf "$DIR"
debootstrap --variant=minbase --include="$PKGS" trixie "$DIR" "$mirror" >&2 || {
	# a package that failed to configure: finish it inside the chroot
	mount --bind /proc "$DIR/proc" 2>/dev/null || true
	chroot "$DIR" apt-get -f install -y >&2
	umount "$DIR/proc" 2>/dev/null || true
}
# sshd's privilege separation directory and a shell that exists
mkdir -p "$DIR/run/sshd"
touch "$DIR/.complete"
echo "$DIR"
