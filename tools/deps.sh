#!/bin/sh
# Installs the Debian 12 packages the build, demo and tests need.
# Idempotent: installs only what is missing; apt-get update once, first.
set -e
PKGS="build-essential pkg-config libpcap-dev libndpi-dev libndpi-bin libhiredis-dev
libyaml-dev libgcrypt20-dev libsystemd-dev libcmocka-dev redis-server redis-tools tcpdump tshark jq python3
python3-scapy python3-pexpect openssh-server openssh-client socat iproute2
ethtool openssl time python3-redis python3-aiohttp chromium chromium-driver
python3-selenium"
missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
	    missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "deps: installing:$missing" >&2
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
echo "wireshark-common wireshark-common/install-setuid boolean false" |
    $SUDO debconf-set-selections 2>/dev/null || true
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
