#!/usr/bin/env python3
"""Writes a small classic pcap of IPv6 TCP sessions in which each side
puts its own flow label on its packets, as Linux TCP does
(net.ipv6.auto_flowlabels): the client fd00:20::10 (inside, ULA) talks to
2001:db8::7 (outside, documentation prefix) on 12 source ports.  Each
session is a handshake, two requests and answers, and a FIN exchange;
byte-exact, checksums right, 5 ms apart.  Used by tests/cli/workers.sh:
a flow hash that mixed the flow label in would send the two directions
of a session to different workers.  No scapy: struct only.

usage: tools/mkv6flows.py OUT.pcap
"""
import socket
import struct
import sys

CLIENT = socket.inet_pton(socket.AF_INET6, "fd00:20::10")
SERVER = socket.inet_pton(socket.AF_INET6, "2001:db8::7")
MAC_C = bytes.fromhex("020000000010")
MAC_S = bytes.fromhex("020000000007")
SYN, ACK, PSH, FIN = 0x02, 0x10, 0x08, 0x01


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def frame(src, dst, label, sport, dport, seq, ack, flags, payload=b""):
    tcp = struct.pack("!HHIIBBHHH", sport, dport, seq, ack, 5 << 4, flags,
                      64240, 0, 0) + payload
    pseudo = src + dst + struct.pack("!I3xB", len(tcp), 6)
    tcp = tcp[:16] + struct.pack("!H", csum(pseudo + tcp)) + tcp[18:]
    ip6 = struct.pack("!IHBB", (6 << 28) | label, len(tcp), 6, 64) + src + dst
    macs = (MAC_S + MAC_C) if src == CLIENT else (MAC_C + MAC_S)
    return macs + b"\x86\xdd" + ip6 + tcp


def session(i):
    sport, dport = 40000 + i, 8080
    lc, ls = 0x10000 + i * 7919 % 0xFFFF, 0x80000 + i * 104729 % 0xFFFF
    cs, ss = 1000 * i + 1, 5000 * i + 1
    c = lambda fl, p=b"": frame(CLIENT, SERVER, lc, sport, dport, cs, ss, fl, p)
    s = lambda fl, p=b"": frame(SERVER, CLIENT, ls, dport, sport, ss, cs, fl, p)
    out = [frame(CLIENT, SERVER, lc, sport, dport, cs - 1, 0, SYN),
           frame(SERVER, CLIENT, ls, dport, sport, ss - 1, cs, SYN | ACK),
           c(ACK)]
    for n in range(2):
        req = b"GET /%d HTTP/1.1\r\nHost: x\r\n\r\n" % n
        out.append(c(PSH | ACK, req))
        cs += len(req)
        resp = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"
        out.append(s(PSH | ACK, resp))
        ss += len(resp)
        out.append(c(ACK))
    out += [c(FIN | ACK), s(FIN | ACK)]
    cs += 1
    ss += 1
    out.append(c(ACK))
    return out


def main():
    frames = []
    for i in range(12):
        frames += session(i)
    with open(sys.argv[1], "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
        t = 1800000000.0
        for fr in frames:
            t += 0.005
            sec, usec = int(t), int(round((t - int(t)) * 1e6))
            f.write(struct.pack("<IIII", sec, usec, len(fr), len(fr)) + fr)


if __name__ == "__main__":
    main()
