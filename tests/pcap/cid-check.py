#!/usr/bin/env python3
"""Independent Community ID check: recomputes the v1 ID (seed 0) of every
TCP/UDP flow and alert record with Python's hashlib from the record's own
5-tuple and compares it with the sensor's `community_id`.  One TAP line per
file; a file without any TCP/UDP record is not counted."""
import base64, hashlib, ipaddress, json, struct, sys

PROTO = {"TCP": 6, "UDP": 17}


def cid(src, dst, proto, sport, dport):
    a, b = ipaddress.ip_address(src), ipaddress.ip_address(dst)
    if (a.packed, sport) > (b.packed, dport):
        a, b, sport, dport = b, a, dport, sport
    data = struct.pack("!H", 0) + a.packed + b.packed + \
        struct.pack("!BBHH", proto, 0, sport, dport)
    return "1:" + base64.b64encode(hashlib.sha1(data).digest()).decode()


for path in sys.argv[1:]:
    checked, bad = 0, []
    for n, line in enumerate(open(path, encoding="utf-8"), 1):
        try:
            r = json.loads(line)
        except ValueError:
            continue
        if r.get("event_type") not in ("flow", "alert") or \
                r.get("proto") not in PROTO:
            continue
        want = cid(r["src_ip"], r["dest_ip"], PROTO[r["proto"]],
                   r["src_port"], r["dest_port"])
        checked += 1
        if r.get("community_id") != want:
            bad.append("line %d: %s, want %s" % (n, r.get("community_id"), want))
    name = path.rsplit("/", 1)[-1]
    if checked == 0:
        continue
    if bad:
        print("not ok - community_id %s: %s" % (name, bad[0]))
    else:
        print("ok - community_id %s: %d records" % (name, checked))
