#!/bin/bash
# conv-check.sh SENSOR PCAP TMPDIR: every TCP conversation tshark finds in
# PCAP must be a flow record of the sensor.  Where tshark saw the SYN, with
# the same initiator (its sender); without one tshark only knows who sent
# the first packet, which is no oracle (the sensor infers the initiator:
# flow.orientation), so there only the two endpoints must match.
set -u
sensor=$1 pcap=$2 tmp=$3
name=$(basename "$pcap")
"$sensor" -r "$pcap" -c rules/egress.yaml --sensor-name test --json - \
    2>/dev/null | jq -r 'select(.event_type=="flow" and .proto=="TCP") |
    "\(.src_ip) \(.src_port) \(.dest_ip) \(.dest_port)"' >"$tmp/conv-ours" 2>/dev/null
# tcp.stream is tshark's conversation index; the last address of a
# field list is the innermost header (tunnels).
tshark -r "$pcap" -Y tcp -T fields -E separator='|' -e tcp.stream \
    -e ip.src -e ipv6.src -e tcp.srcport -e ip.dst -e ipv6.dst \
    -e tcp.dstport -e tcp.flags.syn -e tcp.flags.ack 2>/dev/null \
    >"$tmp/conv-tshark"
python3 - "$tmp/conv-ours" "$tmp/conv-tshark" "$name" <<'PY'
import ipaddress, sys
ours = set()
for line in open(sys.argv[1]):
    ours.add(tuple(line.split()))
streams = {}
for line in open(sys.argv[2]):
    f = line.rstrip("\n").split("|")
    if len(f) < 9 or f[0] == "":
        continue
    last = lambda v: v.split(",")[-1]
    src = last(f[2]) if f[2] else last(f[1])
    dst = last(f[5]) if f[5] else last(f[4])
    src = str(ipaddress.ip_address(src)); dst = str(ipaddress.ip_address(dst))
    t = (src, last(f[3]), dst, last(f[6]))
    syn = last(f[7]) in ("1", "True"); ack = last(f[8]) in ("1", "True")
    s = streams.setdefault(f[0], {"first": t, "syn": None})
    if syn and not ack and s["syn"] is None:
        s["syn"] = t
bad = []
nosyn = 0
for k, s in streams.items():
    t = s["syn"] or s["first"]
    if t in ours:
        continue
    if s["syn"] is None and (t[2], t[3], t[0], t[1]) in ours:
        nosyn += 1
        continue
    bad.append("stream %s %s" % (k, " ".join(t)))
name = sys.argv[3]
if bad:
    print("not ok - conv %s: %d of %d tshark TCP conversations missing or with another initiator: %s"
          % (name, len(bad), len(streams), "; ".join(bad[:3])))
else:
    print("ok - conv %s: all %d tshark TCP conversations found, same initiator where the SYN was seen"
          " (%d without a SYN oriented otherwise)" % (name, len(streams), nosyn))
PY
