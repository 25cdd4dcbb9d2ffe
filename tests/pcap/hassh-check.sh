#!/bin/bash
# hassh-check.sh SENSOR PCAP: the HASSH values in our SSH flow records
# must equal the ones Wireshark computes (ssh.kex.hassh / hasshserver),
# for every SSH flow whose key exchange tshark decodes.  One TAP line.
set -u
sensor=$1 pcap=$2
name=$(basename "$pcap")
ours=$("$sensor" -r "$pcap" -c rules/egress.yaml --sensor-name test --json - \
    2>/dev/null | jq -r 'select(.event_type=="flow" and .ssh != null and
    .ssh.initiator_role != "unknown") | "\(.dest_port) \(.ssh.client.hassh // "-") \(.ssh.server.hassh // "-")"')
[ -z "$ours" ] && exit 0
decode=()
for port in $(echo "$ours" | awk '{print $1}' | sort -u); do
	decode+=(-d "tcp.port==$port,ssh")
done
theirs=$(tshark -r "$pcap" "${decode[@]}" -Y 'ssh.kex.hassh or ssh.kex.hasshserver' \
    -T fields -e ssh.kex.hassh -e ssh.kex.hasshserver 2>/dev/null | tr '\t' '\n' |
    grep -E '^[0-9a-f]{32}$' | sort -u)
bad=0 n=0
while read -r _ c s; do
	for h in $c $s; do
		[ "$h" = "-" ] && continue
		n=$((n + 1))
		grep -qx "$h" <<<"$theirs" || bad=$((bad + 1))
	done
done <<<"$ours"
if [ "$bad" -eq 0 ]; then
	echo "ok - hassh $name: $n HASSH values equal Wireshark's"
else
	echo "not ok - hassh $name: $bad of $n HASSH values differ from Wireshark's"
fi
