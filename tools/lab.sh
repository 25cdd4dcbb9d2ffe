#!/bin/sh
# lab.sh - a three-namespace capture lab that cannot reach anything outside itself.
#
#   tools/lab.sh up      build the topology and start the WAN delay relay
#   tools/lab.sh down    kill the relay (by its recorded PID) and delete the namespaces
#   tools/lab.sh status  show addresses and routes
#
#   train (10.20.0.10/16) --veth-- router --veth-- [relay: WAN delay] --veth-- outside
#        eth0          r-in      (forwards)   r-out ~ r-wan      r-ext            eth0
#
# The router forwards in the kernel between r-in and r-out. r-out's peer r-wan is also in the
# router namespace; a user-space relay (tools/labsvc.py relay) bridges r-wan and r-ext, releasing
# each frame LAB_DELAY_MS later (no netem in this kernel). tcpdump on r-out therefore sees what a
# mirrored edge port sees: inside hosts ~0.1 ms away, outside hosts 2*LAB_DELAY_MS away.
#
# Addresses: outside holds 203.0.113.22 (allowed bastion), 198.51.100.{7-9,20,30-33,40,50,53};
# train has routes only to 198.51.100.0/24 and 203.0.113.0/24, outside only to 10.20.0.0/16; no
# default route anywhere, IPv6 off, offloads off on every veth.
#
# Environment: LAB_PREFIX (namespace name prefix, default empty: train/router/outside),
# LAB_DELAY_MS (one-way WAN delay, default 20), LAB_RUN (state dir, default /tmp/egress-lab).
set -eu

P=${LAB_PREFIX:-}
NS_T=${P}train
NS_R=${P}router
NS_O=${P}outside
DELAY=${LAB_DELAY_MS:-20}
RUN=${LAB_RUN:-/tmp/egress-lab}
HERE=$(cd "$(dirname "$0")" && pwd)
PY=/usr/bin/python3

OUT_ADDRS="203.0.113.22 198.51.100.7 198.51.100.8 198.51.100.9 198.51.100.20 198.51.100.30 198.51.100.31
198.51.100.32 198.51.100.33 198.51.100.40 198.51.100.50 198.51.100.53"

nsx() { ns=$1; shift; ip netns exec "$ns" "$@"; }

offload_off() {
	nsx "$1" ethtool -K "$2" tso off gso off gro off tx off rx off >/dev/null 2>&1 || true
	nsx "$1" ethtool -K "$2" sg off ufo off lro off >/dev/null 2>&1 || true
}

ns_base() {
	ip netns add "$1"
	nsx "$1" ip link set lo up
	nsx "$1" sysctl -qw net.ipv6.conf.all.disable_ipv6=1
	nsx "$1" sysctl -qw net.ipv6.conf.default.disable_ipv6=1
	nsx "$1" sysctl -qw net.ipv4.conf.all.rp_filter=0
	nsx "$1" sysctl -qw net.ipv4.conf.default.rp_filter=0
}

up() {
	for ns in "$NS_T" "$NS_R" "$NS_O"; do
		if ip netns list | grep -qw "^$ns"; then
			echo "lab: namespace $ns exists; run 'tools/lab.sh down' first" >&2
			exit 1
		fi
	done
	mkdir -p "$RUN"
	ns_base "$NS_T"; ns_base "$NS_R"; ns_base "$NS_O"

	# train <-> router
	ip link add eth0 netns "$NS_T" type veth peer name r-in netns "$NS_R"
	# router: r-out <-> r-wan (both in router), relay bridges r-wan <-> r-ext
	ip link add r-out netns "$NS_R" type veth peer name r-wan netns "$NS_R"
	ip link add r-ext netns "$NS_R" type veth peer name eth0 netns "$NS_O"
	nsx "$NS_T" ip link set eth0 address 02:00:0a:14:00:0a
	nsx "$NS_R" ip link set r-in address 02:00:0a:14:00:01
	nsx "$NS_R" ip link set r-out address 02:00:c6:33:64:01
	nsx "$NS_O" ip link set eth0 address 02:00:c6:33:64:fe

	offload_off "$NS_T" eth0
	for i in r-in r-out r-wan r-ext; do offload_off "$NS_R" $i; done
	offload_off "$NS_O" eth0

	# train
	nsx "$NS_T" ip addr add 10.20.0.10/16 dev eth0
	nsx "$NS_T" ip link set eth0 up
	nsx "$NS_T" ip route add 198.51.100.0/24 via 10.20.0.1
	nsx "$NS_T" ip route add 203.0.113.0/24 via 10.20.0.1

	# router
	nsx "$NS_R" sysctl -qw net.ipv4.ip_forward=1
	nsx "$NS_R" ip addr add 10.20.0.1/16 dev r-in
	nsx "$NS_R" ip addr add 198.51.100.1/32 dev r-out
	for i in r-in r-out; do nsx "$NS_R" ip link set $i up; done
	for i in r-wan r-ext; do
		nsx "$NS_R" ip link set $i arp off
		nsx "$NS_R" ip link set $i promisc on
		nsx "$NS_R" ip link set $i up
	done
	nsx "$NS_R" ip route add 198.51.100.0/24 dev r-out
	nsx "$NS_R" ip route add 203.0.113.0/24 dev r-out
	# never answer ICMP redirects etc. towards the lab hosts
	nsx "$NS_R" sysctl -qw net.ipv4.conf.all.send_redirects=0
	nsx "$NS_R" sysctl -qw net.ipv4.conf.r-out.send_redirects=0

	# outside
	for a in $OUT_ADDRS; do nsx "$NS_O" ip addr add "$a/32" dev eth0; done
	nsx "$NS_O" ip link set eth0 up
	nsx "$NS_O" ip route add 198.51.100.1/32 dev eth0 scope link
	nsx "$NS_O" ip route add 10.20.0.0/16 via 198.51.100.1 src 198.51.100.7

	# WAN delay relay
	ip netns exec "$NS_R" $PY "$HERE/labsvc.py" relay --if-a r-wan --if-b r-ext \
	    --delay-ms "$DELAY" >"$RUN/relay.log" 2>&1 &
	echo $! >"$RUN/relay.pid"
	# wait until the path works (ARP through the relay)
	i=0
	until nsx "$NS_T" $PY "$HERE/labsvc.py" probe --connect 198.51.100.7:9 2>/dev/null; do
		i=$((i + 1))
		if [ $i -ge 10 ]; then echo "lab: no path train -> outside" >&2; exit 1; fi
	done
	echo "lab: up (delay ${DELAY} ms one way, relay pid $(cat "$RUN/relay.pid"))" >&2
}

down() {
	if [ -f "$RUN/relay.pid" ]; then
		kill "$(cat "$RUN/relay.pid")" 2>/dev/null || true
		rm -f "$RUN/relay.pid"
	fi
	for ns in "$NS_O" "$NS_R" "$NS_T"; do
		ip netns del "$ns" 2>/dev/null || true
	done
}

status() {
	for ns in "$NS_T" "$NS_R" "$NS_O"; do
		echo "== $ns"; nsx "$ns" ip -br addr; nsx "$ns" ip route
	done
}

case "${1:-}" in
up) up ;;
down) down ;;
status) status ;;
*) echo "usage: $0 up|down|status" >&2; exit 2 ;;
esac
