#!/usr/bin/python3
"""mkpcap.py - crafted, byte-exact, deterministic test captures (no network needed).

  tools/mkpcap.py [--out pcaps]

Writes:
  encap-mix.pcap         one small TCP conversation 10.20.0.5:4000x -> 198.51.100.9:80 in each of:
                         plain Ethernet, 802.1Q (100), QinQ (200/100), GRE/IPv4, ERSPAN II,
                         ERSPAN III, VXLAN (VNI 42); IPv6 TCP + UDP with a hop-by-hop header;
                         a fragmented IPv4 UDP datagram; ARP; ICMP echo/reply
  encap-more.pcap        the same conversation (client ports 401xx) in each of: MPLS (0x8847,
                         two labels), 802.1Q + MPLS multicast (0x8848), MPLS pseudowire with a
                         control word + Ethernet, MPLS -> IPv6, PPPoE session (PPP IPv4 and IPv6),
                         Geneve (option + Ethernet, and IPv4 direct), GTP-U (E/S flags + PDU session
                         container, and the bare 8-byte header); PPPoE discovery PADI/PADO
  sll.pcap sll2.pcap raw.pcap null.pcap
                         one TCP conversation each in DLT_LINUX_SLL / LINUX_SLL2 / RAW / NULL
  regress/truncated-file.pcap regress/bad-magic.pcap regress/huge-caplen.pcap
  regress/garbage-frames.pcap regress/snaplen-64.pcap (the last from ssh-forward-login.pcap
                         with editcap -s 64, when that capture and editcap are present)

Timestamps start at 2026-01-01T00:00:00Z; pcap files are written here with struct (classic pcap,
little-endian, microseconds), so the same scapy version gives the same bytes every run.
"""
import argparse
import os
import random
import shutil
import struct
import subprocess
import sys

from scapy.layers.inet import IP, TCP, UDP, ICMP, fragment
from scapy.layers.inet6 import IPv6, IPv6ExtHdrHopByHop, RouterAlert
from scapy.layers.l2 import ARP, Dot1Q, Ether
from scapy.layers.vxlan import VXLAN
from scapy.packet import Raw

T0 = 1767225600          # 2026-01-01T00:00:00Z

LINKTYPE_NULL = 0
LINKTYPE_ETHERNET = 1
LINKTYPE_RAW = 101
LINKTYPE_LINUX_SLL = 113
LINKTYPE_LINUX_SLL2 = 276

MAC_CLIENT = "02:00:0a:14:00:05"
MAC_GW = "02:00:0a:14:00:01"
MAC_TAP_A = "02:00:0a:63:00:01"     # mirror source (tunnel outer)
MAC_TAP_B = "02:00:0a:63:00:02"     # collector

HTTP_REQ = b"GET / HTTP/1.1\r\nHost: www.example.org\r\nUser-Agent: curl/7.88.1\r\nAccept: */*\r\n\r\n"
HTTP_RSP = (b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 6\r\n"
            b"Connection: close\r\n\r\nhello\n")


def pcap_bytes(linktype, records, snaplen=262144):
    """records: [(ts_float, bytes)] -> classic pcap file bytes."""
    out = [struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, snaplen, linktype)]
    for ts, data in records:
        sec = int(ts)
        usec = int(round((ts - sec) * 1e6))
        if usec >= 1000000:
            sec, usec = sec + 1, usec - 1000000
        out.append(struct.pack("<IIII", sec, usec, len(data), len(data)))
        out.append(data)
    return b"".join(out)


def write(path, data):
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)
    print("mkpcap: %s (%d bytes)" % (path, len(data)), file=sys.stderr)


def tcp_conv(t, cli, srv, sport, dport, v6=False, hbh=False, rtt=0.030, ipid=0x1000):
    """A complete small TCP conversation. Returns [(ts, dir, L3 packet)], dir 0 = client->server."""
    def l3(d, ident):
        src, dst = (cli, srv) if d == 0 else (srv, cli)
        if v6:
            p = IPv6(src=src, dst=dst, hlim=64 if d == 0 else 55)
            if hbh:
                p = p / IPv6ExtHdrHopByHop(options=[RouterAlert(value=0)])
            return p
        return IP(src=src, dst=dst, id=ident & 0xffff, flags="DF", ttl=64 if d == 0 else 55)

    ci, si = 0x1a2b3c4d, 0x5e6f7081
    sp, dp = sport, dport
    pk = []
    n = [0]

    def add(dt, d, flags, seq, ack, payload=b"", opts=None):
        t_ = add.t + dt
        add.t = t_
        n[0] += 1
        seg = TCP(sport=sp if d == 0 else dp, dport=dp if d == 0 else sp, flags=flags,
                  seq=seq & 0xffffffff, ack=ack & 0xffffffff,
                  window=(64240 if d == 0 else 65160) if "S" in flags else (502 if d == 0 else 509),
                  options=opts or [])
        p = l3(d, ipid + n[0]) / seg
        if payload:
            p = p / Raw(payload)
        pk.append((t_, d, p))
    add.t = t
    syn_opts = [("MSS", 1460 if not v6 else 1440), ("SAckOK", b""), ("WScale", 7)]
    add(0.0, 0, "S", ci, 0, opts=syn_opts)
    add(rtt, 1, "SA", si, ci + 1, opts=syn_opts)
    add(0.0002, 0, "A", ci + 1, si + 1)
    add(0.0004, 0, "PA", ci + 1, si + 1, HTTP_REQ)
    add(rtt, 1, "A", si + 1, ci + 1 + len(HTTP_REQ))
    add(0.0015, 1, "PA", si + 1, ci + 1 + len(HTTP_REQ), HTTP_RSP)
    add(0.0002, 0, "A", ci + 1 + len(HTTP_REQ), si + 1 + len(HTTP_RSP))
    add(0.0010, 0, "FA", ci + 1 + len(HTTP_REQ), si + 1 + len(HTTP_RSP))
    add(rtt, 1, "FA", si + 1 + len(HTTP_RSP), ci + 2 + len(HTTP_REQ))
    add(0.0002, 0, "A", ci + 2 + len(HTTP_REQ), si + 2 + len(HTTP_RSP))
    return pk


def eth(d, inner, ethertype=None, src=MAC_CLIENT, dst=MAC_GW):
    s, t = (src, dst) if d == 0 else (dst, src)
    e = Ether(src=s, dst=t)
    if ethertype is not None:
        e.type = ethertype
    return e / inner


def erspan2_hdr(session, index, vlan=100):
    # ver=1 (4) | vlan (12) ; cos (3) en (2) t (1) session (10) ; reserved (12) index (20)
    w0 = (1 << 12) | (vlan & 0xfff)
    w1 = (0 << 13) | (3 << 11) | (0 << 10) | (session & 0x3ff)     # en=3: 802.1Q trunk kept
    w2 = index & 0xfffff
    return struct.pack("!HHI", w0, w1, w2)


def erspan3_hdr(session, ts_units, vlan=100):
    # ver=2 (4) | vlan (12) ; cos (3) bso (2) t (1) session (10) ; timestamp (32) ;
    # sgt (16) ; p (1) ft (5) hwid (6) d (1) gra (2) o (1)
    w0 = (2 << 12) | (vlan & 0xfff)
    w1 = (0 << 13) | (0 << 11) | (0 << 10) | (session & 0x3ff)
    w3 = (0 << 15) | (0 << 10) | (1 << 4) | (0 << 3) | (1 << 1) | 0   # hwid 1, gra=01 (100us)
    return struct.pack("!HHIHH", w0, w1, ts_units & 0xffffffff, 0, w3)


def gre_hdr(proto, seq=None):
    flags = 0x1000 if seq is not None else 0          # S bit
    h = struct.pack("!HH", flags, proto)
    if seq is not None:
        h += struct.pack("!I", seq & 0xffffffff)
    return h


def outer_ipv4(payload_bytes, proto, ident):
    o = Ether(src=MAC_TAP_A, dst=MAC_TAP_B) / IP(src="10.99.0.1", dst="10.99.0.2", ttl=64,
                                                   id=ident & 0xffff, proto=proto, flags="DF")
    return o / Raw(payload_bytes)


def encap_mix():
    recs = []
    t = float(T0)
    cli, srv = "10.20.0.5", "198.51.100.9"

    # 1. plain Ethernet, client port 40000
    for ts, d, p in tcp_conv(t, cli, srv, 40000, 80, ipid=0x1000):
        recs.append((ts, bytes(eth(d, p))))
    t += 1
    # 2. 802.1Q VLAN 100, port 40001
    for ts, d, p in tcp_conv(t, cli, srv, 40001, 80, ipid=0x2000):
        recs.append((ts, bytes(eth(d, Dot1Q(vlan=100, prio=0) / p))))
    t += 1
    # 3. QinQ outer 802.1ad 200 / inner 802.1Q 100, port 40002
    for ts, d, p in tcp_conv(t, cli, srv, 40002, 80, ipid=0x3000):
        inner = Dot1Q(vlan=200, type=0x8100) / Dot1Q(vlan=100) / p
        recs.append((ts, bytes(eth(d, inner, ethertype=0x88a8))))
    t += 1
    # 4. GRE over IPv4 (plain GRE, proto 0x0800), port 40003
    for i, (ts, d, p) in enumerate(tcp_conv(t, cli, srv, 40003, 80, ipid=0x4000)):
        recs.append((ts, bytes(outer_ipv4(gre_hdr(0x0800) + bytes(p), 47, 0x7000 + i))))
    t += 1
    # 5. ERSPAN type II: GRE 0x88BE with S bit, 8-byte ERSPAN II header, inner Ethernet (VLAN 100
    #    kept in the mirrored frame), port 40004
    for i, (ts, d, p) in enumerate(tcp_conv(t, cli, srv, 40004, 80, ipid=0x5000)):
        frame = bytes(eth(d, Dot1Q(vlan=100) / p))
        payload = gre_hdr(0x88BE, seq=i + 1) + erspan2_hdr(7, 3) + frame
        recs.append((ts, bytes(outer_ipv4(payload, 47, 0x7100 + i))))
    t += 1
    # 6. ERSPAN type III: GRE 0x22EB with S bit, 12-byte ERSPAN III header, inner Ethernet,
    #    port 40005
    for i, (ts, d, p) in enumerate(tcp_conv(t, cli, srv, 40005, 80, ipid=0x6000)):
        frame = bytes(eth(d, p))
        units = int(round((ts - T0) * 10000))          # 100 us granularity
        payload = gre_hdr(0x22EB, seq=i + 1) + erspan3_hdr(8, units, vlan=0) + frame
        recs.append((ts, bytes(outer_ipv4(payload, 47, 0x7200 + i))))
    t += 1
    # 7. VXLAN UDP 4789 VNI 42, port 40006
    for i, (ts, d, p) in enumerate(tcp_conv(t, cli, srv, 40006, 80, ipid=0x8000)):
        frame = eth(d, p)
        o = (Ether(src=MAC_TAP_A, dst=MAC_TAP_B) /
             IP(src="10.99.0.1", dst="10.99.0.2", ttl=64, id=0x7300 + i, flags="DF") /
             UDP(sport=49152 + (40006 % 16384), dport=4789) / VXLAN(flags=0x08, vni=42) / frame)
        recs.append((ts, bytes(o)))
    t += 1
    # 8. IPv6 TCP with a hop-by-hop header (router alert), fd00::5:40010 -> [2001:db8::9]:80
    for ts, d, p in tcp_conv(t, "fd00::5", "2001:db8::9", 40010, 80, v6=True, hbh=True):
        recs.append((ts, bytes(eth(d, p))))
    t += 1
    # 9. IPv6 UDP with a hop-by-hop header, fd00::5:40011 -> [2001:db8::9]:9999, two exchanges
    for k in range(2):
        for d, payload, dt in ((0, b"ping %d\n" % k, 0.0), (1, b"pong %d\n" % k, 0.030)):
            src, dst = ("fd00::5", "2001:db8::9") if d == 0 else ("2001:db8::9", "fd00::5")
            sp, dp = (40011, 9999) if d == 0 else (9999, 40011)
            p = (IPv6(src=src, dst=dst, hlim=64) / IPv6ExtHdrHopByHop(options=[RouterAlert(value=0)]) /
                 UDP(sport=sp, dport=dp) / Raw(payload))
            recs.append((t + k * 0.5 + dt, bytes(eth(d, p))))
    t += 1
    # 10. a fragmented IPv4 UDP datagram (3000 bytes of payload -> 3 fragments) and a reply,
    #     10.20.0.5:40020 -> 198.51.100.9:9999
    big = IP(src=cli, dst=srv, id=0x4242, ttl=64) / UDP(sport=40020, dport=9999) / \
        Raw(bytes((i * 7) & 0xff for i in range(3000)))
    big = IP(bytes(big))            # fix lengths and checksums before fragmenting
    for i, f in enumerate(fragment(big, fragsize=1480)):
        recs.append((t + i * 0.0001, bytes(eth(0, f))))
    rep = IP(src=srv, dst=cli, id=0x0001, ttl=55) / UDP(sport=9999, dport=40020) / Raw(b"ok\n")
    recs.append((t + 0.031, bytes(eth(1, rep))))
    t += 1
    # 11. ARP who-has / is-at
    recs.append((t, bytes(Ether(src=MAC_CLIENT, dst="ff:ff:ff:ff:ff:ff") /
                          ARP(op=1, hwsrc=MAC_CLIENT, psrc=cli, hwdst="00:00:00:00:00:00",
                              pdst="10.20.0.1"))))
    recs.append((t + 0.0001, bytes(Ether(src=MAC_GW, dst=MAC_CLIENT) /
                                   ARP(op=2, hwsrc=MAC_GW, psrc="10.20.0.1", hwdst=MAC_CLIENT,
                                       pdst=cli))))
    t += 1
    # 12. ICMP echo / reply
    payload = bytes(range(0x10, 0x40))
    recs.append((t, bytes(eth(0, IP(src=cli, dst=srv, id=0x0ec0, ttl=64, flags="DF") /
                              ICMP(type=8, id=0x1234, seq=1) / Raw(payload)))))
    recs.append((t + 0.030, bytes(eth(1, IP(src=srv, dst=cli, id=0x9ec0, ttl=55) /
                                     ICMP(type=0, id=0x1234, seq=1) / Raw(payload)))))
    recs.sort(key=lambda r: r[0])
    return recs


def mpls_stack(labels, ttl=64):
    """labels: [label, ...] outermost first; the last gets the bottom-of-stack bit."""
    out = b""
    for i, label in enumerate(labels):
        s = 1 if i == len(labels) - 1 else 0
        out += struct.pack("!I", (label & 0xfffff) << 12 | s << 8 | ttl)
    return out


def pppoe_sess(session, ppp_proto, payload):
    return struct.pack("!BBHHH", 0x11, 0x00, session, 2 + len(payload), ppp_proto) + payload


def pppoe_disc(code, session, tags):
    body = b"".join(struct.pack("!HH", t, len(v)) + v for t, v in tags)
    return struct.pack("!BBHH", 0x11, code, session, len(body)) + body


def geneve_hdr(vni, proto, options=b""):
    assert len(options) % 4 == 0
    return struct.pack("!BBHI", len(options) // 4, 0, proto, (vni & 0xffffff) << 8) + options


def gtpu_hdr(teid, payload, seq=None, exts=()):
    """GTP-U v1 T-PDU; exts: [(type, content)] with len(content) + 2 a multiple of 4."""
    flags = 0x30
    opt = b""
    if seq is not None or exts:
        flags |= 0x02 if seq is not None else 0
        flags |= 0x04 if exts else 0
        opt = struct.pack("!HBB", (seq or 0) & 0xffff, 0, exts[0][0] if exts else 0)
        for i, (_, content) in enumerate(exts):
            nxt = exts[i + 1][0] if i + 1 < len(exts) else 0
            n = len(content) + 2
            assert n % 4 == 0
            opt += struct.pack("!B", n // 4) + content + struct.pack("!B", nxt)
    return struct.pack("!BBHI", flags, 0xff, len(opt) + len(payload), teid) + opt + payload


def outer_udp(d, sport, dport, payload_bytes, ident):
    src, dst = ("10.99.0.1", "10.99.0.2") if d == 0 else ("10.99.0.2", "10.99.0.1")
    o = (Ether(src=MAC_TAP_A, dst=MAC_TAP_B) /
         IP(src=src, dst=dst, ttl=64, id=ident & 0xffff, flags="DF") /
         UDP(sport=sport, dport=dport) / Raw(payload_bytes))
    return bytes(o)


def encap_more():
    recs = []
    t = float(T0) + 100
    cli, srv = "10.20.0.5", "198.51.100.9"
    cli6, srv6 = "fd00::5", "2001:db8::9"
    core = Ether(src=MAC_TAP_A, dst=MAC_TAP_B, type=0x8847)

    # 1. MPLS unicast, two labels (16001, bottom 24005), IPv4, port 40100
    for ts, d, p in tcp_conv(t, cli, srv, 40100, 80, ipid=0x1100):
        recs.append((ts, bytes(core) + mpls_stack([16001, 24005]) + bytes(p)))
    t += 1
    # 2. 802.1Q VLAN 300, MPLS multicast (0x8848) one label 24006, IPv4, port 40101
    for ts, d, p in tcp_conv(t, cli, srv, 40101, 80, ipid=0x1200):
        hdr = Ether(src=MAC_TAP_A, dst=MAC_TAP_B) / Dot1Q(vlan=300, type=0x8848)
        recs.append((ts, bytes(hdr) + mpls_stack([24006]) + bytes(p)))
    t += 1
    # 3. Ethernet pseudowire: MPLS 16002 / 299 (bottom), control word 0, the customer's
    #    Ethernet frame, IPv4, port 40102
    for i, (ts, d, p) in enumerate(tcp_conv(t, cli, srv, 40102, 80, ipid=0x1300)):
        cw = struct.pack("!I", 0)
        recs.append((ts, bytes(core) + mpls_stack([16002, 299]) + cw + bytes(eth(d, p))))
    t += 1
    # 4. MPLS one label 24007, IPv6 [fd00::5]:40103 -> [2001:db8::9]:80
    for ts, d, p in tcp_conv(t, cli6, srv6, 40103, 80, v6=True):
        recs.append((ts, bytes(core) + mpls_stack([24007]) + bytes(p)))
    t += 1
    # 5. PPPoE discovery PADI (broadcast) / PADO, then a PPPoE session 0x0017 carrying PPP
    #    IPv4 (0x0021), port 40104
    host_uniq = (0x0103, b"\x00\x00\x4e\x20")
    recs.append((t, bytes(Ether(src=MAC_CLIENT, dst="ff:ff:ff:ff:ff:ff", type=0x8863)) +
                 pppoe_disc(0x09, 0, [(0x0101, b""), host_uniq])))
    recs.append((t + 0.002, bytes(Ether(src=MAC_GW, dst=MAC_CLIENT, type=0x8863)) +
                 pppoe_disc(0x07, 0, [(0x0101, b""), (0x0102, b"bras-1"), host_uniq])))
    t += 0.1
    for ts, d, p in tcp_conv(t, cli, srv, 40104, 80, ipid=0x1400):
        recs.append((ts, bytes(eth(d, b"", ethertype=0x8864)) + pppoe_sess(0x0017, 0x0021, bytes(p))))
    t += 1
    # 6. PPPoE session 0x0017 carrying PPP IPv6 (0x0057), [fd00::5]:40105 -> [2001:db8::9]:80
    for ts, d, p in tcp_conv(t, cli6, srv6, 40105, 80, v6=True):
        recs.append((ts, bytes(eth(d, b"", ethertype=0x8864)) + pppoe_sess(0x0017, 0x0057, bytes(p))))
    t += 1
    # 7. Geneve (UDP 6081) VNI 77, one 8-byte option (class 0x0103 type 0x80), protocol 0x6558:
    #    an Ethernet frame, IPv4, port 40106
    opt = struct.pack("!HBB", 0x0103, 0x80, 1) + b"\x00\x00\x00\x2a"
    for i, (ts, d, p) in enumerate(tcp_conv(t, cli, srv, 40106, 80, ipid=0x1500)):
        payload = geneve_hdr(77, 0x6558, opt) + bytes(eth(d, p))
        recs.append((ts, outer_udp(d, 50000 + i, 6081, payload, 0x7400 + i)))
    t += 1
    # 8. Geneve VNI 78, no options, protocol 0x0800: IPv4 directly, port 40107
    for i, (ts, d, p) in enumerate(tcp_conv(t, cli, srv, 40107, 80, ipid=0x1600)):
        payload = geneve_hdr(78, 0x0800) + bytes(p)
        recs.append((ts, outer_udp(d, 50100 + i, 6081, payload, 0x7500 + i)))
    t += 1
    # 9. GTP-U (UDP 2152 both ways) T-PDU with E and S flags: sequence number, then one PDU
    #    session container extension (0x85, UL/DL by direction, QFI 9), IPv4, port 40108
    for i, (ts, d, p) in enumerate(tcp_conv(t, cli, srv, 40108, 80, ipid=0x1700)):
        psc = struct.pack("!BB", 0x10 if d == 0 else 0x00, 9)
        payload = gtpu_hdr(0x00abcd00 + d, bytes(p), seq=i, exts=[(0x85, psc)])
        recs.append((ts, outer_udp(d, 2152, 2152, payload, 0x7600 + i)))
    t += 1
    # 10. GTP-U bare 8-byte header (no E/S/PN), IPv4, port 40109
    for i, (ts, d, p) in enumerate(tcp_conv(t, cli, srv, 40109, 80, ipid=0x1800)):
        payload = gtpu_hdr(0x00abce00 + d, bytes(p))
        recs.append((ts, outer_udp(d, 2152, 2152, payload, 0x7700 + i)))
    recs.sort(key=lambda r: r[0])
    return recs


def linktype_captures(out):
    cli, srv = "10.20.0.5", "198.51.100.9"
    conv = {name: tcp_conv(float(T0) + 10, cli, srv, port, 80, ipid=port)
            for name, port in (("sll", 41000), ("sll2", 41001), ("raw", 41002), ("null", 41003))}
    macs = {0: MAC_CLIENT, 1: MAC_GW}

    def mac8(m):
        return bytes(int(x, 16) for x in m.split(":")) + b"\0\0"

    # DLT_LINUX_SLL: pkttype(2) arphrd(2) addrlen(2) addr(8) proto(2); captured on the client:
    # outgoing (4) for client->server, to-us (0) for server->client, link address = sender's
    recs = []
    for ts, d, p in conv["sll"]:
        hdr = struct.pack("!HHH", 4 if d == 0 else 0, 1, 6) + mac8(macs[d]) + struct.pack("!H", 0x0800)
        recs.append((ts, hdr + bytes(p)))
    write(os.path.join(out, "sll.pcap"), pcap_bytes(LINKTYPE_LINUX_SLL, recs))
    # DLT_LINUX_SLL2: proto(2) reserved(2) ifindex(4) arphrd(2) pkttype(1) addrlen(1) addr(8)
    recs = []
    for ts, d, p in conv["sll2"]:
        hdr = struct.pack("!HHIHBB", 0x0800, 0, 2, 1, 4 if d == 0 else 0, 6) + mac8(macs[d])
        recs.append((ts, hdr + bytes(p)))
    write(os.path.join(out, "sll2.pcap"), pcap_bytes(LINKTYPE_LINUX_SLL2, recs))
    # DLT_RAW (LINKTYPE_RAW 101): the IP header first
    recs = [(ts, bytes(p)) for ts, d, p in conv["raw"]]
    write(os.path.join(out, "raw.pcap"), pcap_bytes(LINKTYPE_RAW, recs))
    # DLT_NULL: 4-byte address family in the writer's byte order (little-endian, like the file)
    recs = [(ts, struct.pack("<I", 2) + bytes(p)) for ts, d, p in conv["null"]]
    write(os.path.join(out, "null.pcap"), pcap_bytes(LINKTYPE_NULL, recs))


def regress(out, encap):
    rd = os.path.join(out, "regress")
    good = pcap_bytes(LINKTYPE_ETHERNET, encap[:12])
    # truncated-file: 24-byte header, 4 whole records, then half of the 5th record's data
    off = 24
    for _, data in encap[:4]:
        off += 16 + len(data)
    cut = off + 16 + len(encap[4][1]) // 2
    write(os.path.join(rd, "truncated-file.pcap"), good[:cut])
    # bad-magic: a garbage global header in front of otherwise valid records
    write(os.path.join(rd, "bad-magic.pcap"), b"\xde\xad\xbe\xef\x13\x37\x00\x04" + bytes(16) + good[24:])
    # huge-caplen: one good record, then a record header claiming caplen = len = 0x7fffffff
    rec0 = good[24:24 + 16 + len(encap[0][1])]
    ts = T0 + 5
    bad = struct.pack("<IIII", ts, 0, 0x7fffffff, 0x7fffffff) + bytes(range(64))
    write(os.path.join(rd, "huge-caplen.pcap"), good[:24] + rec0 + bad)
    # garbage-frames: valid headers, 200 frames of random bytes (seeded), Ethernet link type
    rnd = random.Random(20260101)
    recs = []
    for i in range(200):
        n = rnd.choice([0, 1, 13, 14, 15, 33, 34, 54, 60, 64]) if i % 4 == 0 else rnd.randint(1, 1600)
        recs.append((float(T0) + i * 0.001, bytes(rnd.getrandbits(8) for _ in range(n))))
    write(os.path.join(rd, "garbage-frames.pcap"), pcap_bytes(LINKTYPE_ETHERNET, recs))
    # snaplen-64: a real lab capture cut to 64 bytes a packet
    src = os.path.join(out, "ssh-forward-login.pcap")
    dst = os.path.join(rd, "snaplen-64.pcap")
    if os.path.exists(src) and shutil.which("editcap"):
        subprocess.run(["editcap", "-F", "pcap", "-s", "64", src, dst], check=True)
        print("mkpcap: %s (editcap -s 64 of %s)" % (dst, src), file=sys.stderr)
    else:
        print("mkpcap: skipped %s (needs %s and editcap)" % (dst, src), file=sys.stderr)


def main():
    ap = argparse.ArgumentParser(description="crafted test captures")
    ap.add_argument("--out", default="pcaps")
    a = ap.parse_args()
    encap = encap_mix()
    write(os.path.join(a.out, "encap-mix.pcap"), pcap_bytes(LINKTYPE_ETHERNET, encap))
    write(os.path.join(a.out, "encap-more.pcap"), pcap_bytes(LINKTYPE_ETHERNET, encap_more()))
    linktype_captures(a.out)
    regress(a.out, encap)


if __name__ == "__main__":
    main()
