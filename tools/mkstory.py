#!/usr/bin/python3
"""mkstory.py - pcaps/story-rssh-then-mining.pcap: one inside host's whole story (issue #12).

  tools/mkstory.py [--pcaps pcaps] [--out pcaps/story-rssh-then-mining.pcap]

No traffic is made: the packets of four existing captures are re-addressed to one inside
host (10.20.66.6) and re-timed onto one clock, every payload byte kept (real OpenSSH bytes
for the tunnel).  Only the inside address, the IPv4 header checksum and the TCP/UDP checksum
change; ARP frames are left out.  The story, starting 2026-12-01T09:00:00Z:

  +0 s     ssh-rshell-443-aesgcm.pcap: a reverse SSH tunnel out to 198.51.100.7:443 (-R,
           an outside operator types through it); the session lasts 27.5 s
  +12 s    dns-then-tls.pcap: the host resolves pool.supportxmr.com (198.51.100.53) and opens
           TLS without SNI to the answer 198.51.100.30:443 (named by passive DNS)
  +15 s    mining-tls-sni.pcap: TLS with SNI xmr.pool.minergate.com to 198.51.100.30:443/14433
  +19 s    stratum-xmrig.pcap: XMRig Stratum in the clear to 198.51.100.30:14444

The mining happens while the tunnel is still up, so the incident reaches the top score on a
packet long before the SSH flow's end record.  Deterministic: the same inputs give the same
bytes.
"""
import argparse
import struct


T0 = 1796115600          # 2026-12-01T09:00:00Z
HOST = bytes([10, 20, 66, 6])
PARTS = [  # (capture, inside addresses to replace, offset of its first packet in s)
    ("ssh-rshell-443-aesgcm.pcap", ["10.20.0.10"], 0.0),
    ("dns-then-tls.pcap", ["10.20.0.10"], 12.0),
    ("mining-tls-sni.pcap", ["10.20.0.11"], 15.0),
    ("stratum-xmrig.pcap", ["10.20.0.10"], 19.0),
]


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return (~s) & 0xFFFF


def readdress(frame, inside):
    """The frame with inside addresses replaced by HOST and checksums redone; None if not IPv4."""
    if len(frame) < 34 or frame[12:14] != b"\x08\x00":
        return None
    b = bytearray(frame)
    ihl = (b[14] & 0x0F) * 4
    total = struct.unpack("!H", b[16:18])[0]
    for off in (26, 30):
        if bytes(b[off:off + 4]) in inside:
            b[off:off + 4] = HOST
    b[24:26] = b"\0\0"
    b[24:26] = struct.pack("!H", csum(bytes(b[14:14 + ihl])))
    proto, l4 = b[23], 14 + ihl
    seg_end = 14 + total
    if proto in (6, 17) and seg_end <= len(b):
        co = l4 + (16 if proto == 6 else 6)
        b[co:co + 2] = b"\0\0"
        seg = bytes(b[l4:seg_end])
        pseudo = bytes(b[26:34]) + struct.pack("!BBH", 0, proto, len(seg))
        c = csum(pseudo + seg)
        if proto == 17 and c == 0:
            c = 0xFFFF
        b[co:co + 2] = struct.pack("!H", c)
    return bytes(b)


def read_pcap(path):
    """(ts_us, frame) of every record of a classic microsecond pcap."""
    with open(path, "rb") as f:
        data = f.read()
    magic = struct.unpack("<I", data[:4])[0]
    if magic != 0xA1B2C3D4:
        raise SystemExit("%s: not a little-endian microsecond pcap" % path)
    off = 24
    while off + 16 <= len(data):
        sec, usec, incl, _ = struct.unpack("<IIII", data[off:off + 16])
        yield sec * 1000000 + usec, data[off + 16:off + 16 + incl]
        off += 16 + incl


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--pcaps", default="pcaps")
    ap.add_argument("--out", default="pcaps/story-rssh-then-mining.pcap")
    a = ap.parse_args()
    pkts = []
    for name, inside, offset in PARTS:
        ins = {bytes(int(x) for x in ip.split(".")) for ip in inside}
        first = None
        for ts, data in read_pcap("%s/%s" % (a.pcaps, name)):
            if first is None:
                first = ts
            frame = readdress(data, ins)
            if frame is None:
                continue
            t = T0 * 1000000 + int(offset * 1000000) + (ts - first)
            pkts.append((t, len(pkts), frame))
    pkts.sort()
    with open(a.out, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 262144, 1))
        for t, _, frame in pkts:
            f.write(struct.pack("<IIII", t // 1000000, t % 1000000, len(frame), len(frame)))
            f.write(frame)
    print("%s: %d packets" % (a.out, len(pkts)))


if __name__ == "__main__":
    main()
