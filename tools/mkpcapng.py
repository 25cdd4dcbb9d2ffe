#!/usr/bin/env python3
"""mkpcapng.py - a pcapng whose interfaces have different link types.

usage: tools/mkpcapng.py OUT.pcapng

Crafted byte by byte with struct (no scapy) from two committed captures:

Section 1, little-endian:
  IDB 0  LINKTYPE_ETHERNET (1)
  IDB 1  LINKTYPE_RAW (101), if_tsresol 9 (nanoseconds)
  IDB 2  LINKTYPE_USER0 (147): a link type the sensor does not decode
  pcaps/stratum-btc.pcap, every odd IPv4 packet as an EPB on interface 1
  (the Ethernet header cut off, timestamp in ns), the others on
  interface 0 (Ethernet frame); one extra frame on interface 2; an Interface
  Statistics Block and a custom block (skipped).
Section 2, big-endian:
  IDB 0  LINKTYPE_LINUX_SLL (113)
  pcaps/tls-sni.pcap rewritten with a Linux cooked header, as EPBs except
  the third packet, a Simple Packet Block.

libpcap 1.10 refuses to read past the second IDB (different link type);
the sensor must read all 30 + 1 + 25 packets.
"""
import struct
import sys


def read_pcap(path):
    with open(path, "rb") as f:
        data = f.read()
    magic = struct.unpack("<I", data[:4])[0]
    assert magic == 0xA1B2C3D4, path
    off, out = 24, []
    while off + 16 <= len(data):
        sec, usec, incl, orig = struct.unpack("<IIII", data[off:off + 16])
        out.append((sec * 1000000 + usec, data[off + 16:off + 16 + incl], orig))
        off += 16 + incl
    return out


def pad4(b):
    return b + b"\0" * (-len(b) % 4)


def block(e, btype, body):
    body = pad4(body)
    n = 12 + len(body)
    return struct.pack(e + "II", btype, n) + body + struct.pack(e + "I", n)


def opt(e, code, value):
    return struct.pack(e + "HH", code, len(value)) + pad4(value)


def shb(e):
    return block(e, 0x0A0D0D0A, struct.pack(e + "IHHq", 0x1A2B3C4D, 1, 0, -1)
                 + opt(e, 0, b""))


def idb(e, linktype, opts=b""):
    return block(e, 1, struct.pack(e + "HHI", linktype, 0, 65535) + opts)


def epb(e, ifidx, ts, frame, orig):
    return block(e, 6, struct.pack(e + "IIIII", ifidx, ts >> 32, ts & 0xFFFFFFFF,
                                   len(frame), orig) + pad4(frame))


def spb(e, frame, orig):
    return block(e, 3, struct.pack(e + "I", orig) + pad4(frame))


def sll(frame):
    # Linux cooked header: packet type (4 = sent by us), ARPHRD_ETHER, the
    # source MAC, then the Ethernet frame's EtherType.
    return struct.pack(">HHH", 4, 1, 6) + frame[6:12] + b"\0\0" + frame[12:14] + frame[14:]


def main():
    out = bytearray()
    e = "<"
    out += shb(e)
    out += idb(e, 1)
    out += idb(e, 101, opt(e, 9, b"\x09") + opt(e, 0, b""))
    out += idb(e, 147)
    pkts = read_pcap("pcaps/stratum-btc.pcap")
    for i, (ts, frame, orig) in enumerate(pkts):
        if i % 2 == 0 or frame[12:14] != b"\x08\x00":
            out += epb(e, 0, ts, frame, orig)
        else:
            out += epb(e, 1, ts * 1000, frame[14:], orig - 14)
        if i == 3:
            out += block(e, 5, struct.pack(e + "III", 0, ts >> 32, ts & 0xFFFFFFFF))
            out += block(e, 0x40000BAD, struct.pack(e + "I", 32473) + b"skip me")
    ts, frame, orig = pkts[-1]
    out += epb(e, 2, ts + 1, frame, orig)
    e = ">"
    out += shb(e)
    out += idb(e, 113)
    for i, (ts, frame, orig) in enumerate(read_pcap("pcaps/tls-sni.pcap")):
        f = sll(frame)
        if i == 2:
            out += spb(e, f, len(f))
        else:
            out += epb(e, 0, ts, f, len(f))
    with open(sys.argv[1], "wb") as f:
        f.write(out)


if __name__ == "__main__":
    main()
