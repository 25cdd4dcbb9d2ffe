#!/usr/bin/python3
"""mkmining.py - crafted, byte-exact captures for the mining detectors (issue #4).

  tools/mkmining.py [--out pcaps]

No network traffic: every packet is built here with scapy (complete TCP sessions with
handshake, correct seq/ack, an ACK for every data segment, FIN) and written as classic pcap
(Ethernet, microsecond timestamps).  Inside hosts 10.20.0.x sit ~0.1 ms from the capture
point, outside hosts (198.51.100.x, 203.0.113.x) ~40 ms away, as at a real egress.  The TLS
ClientHello is the one openssl s_client sent in pcaps/tls-sni.pcap (OpenSSL 3.0, TLS 1.3),
with its server_name extension rewritten (or removed); the encrypted records that follow are
seeded random bytes of realistic sizes.  Random(20260104) drives every choice, so the same
scapy version gives the same bytes on every run.  See pcaps/README.md, section "Mining
captures", for what each file holds and must trigger.
"""
import argparse
import json
import os
import random
import struct
import sys

from scapy.layers.inet import IP, TCP, UDP
from scapy.layers.l2 import Ether
from scapy.packet import Raw

T0 = 1767484800          # 2026-01-04T00:00:00Z
MAC_IN = "02:00:0a:14:00:0b"
MAC_GW = "02:00:0a:14:00:01"
RTT = 0.040
MSS = 1448
R = random.Random(20260104)

# The ClientHello openssl s_client -servername www.example.org sent (pcaps/tls-sni.pcap).
CLIENT_HELLO = bytes.fromhex(
    "160301013c010001380303163a11e793f8f6c860b81be629224623a4a0e6626fb953ab601cf19e3e697b53"
    "20768e741b490005914bbb87af00175a9c86f054de81f1c8981c3aa07e1c3244d5003e130213031301c02c"
    "c030009fcca9cca8ccaac02bc02f009ec024c028006bc023c0270067c00ac0140039c009c0130033009d00"
    "9c003d003c0035002f00ff010000b100000014001200000f7777772e6578616d706c652e6f7267000b0004"
    "03000102000a00160014001d0017001e0019001801000101010201030104002300000016000000170000"
    "000d002a0028040305030603080708080809080a080b080408050806040105010601030303010302040205"
    "020602002b0009080304030303020301002d00020101003300260024001d002011ea42f70e0da5ee9ae978"
    "ef6d642f506e248b505daf4d301283f9092eed651a")


def client_hello(sni):
    """The real ClientHello with its SNI replaced by sni (None: no SNI extension)."""
    ch = CLIENT_HELLO
    body = ch[9:]                       # after record (5) and handshake (4) headers
    p = 2 + 32
    p += 1 + body[p]                    # session id
    p += 2 + struct.unpack("!H", body[p:p + 2])[0]     # cipher suites
    p += 1 + body[p]                    # compression
    ext_start = p + 2
    exts, q = [], ext_start
    while q < len(body):
        et, el = struct.unpack("!HH", body[q:q + 4])
        exts.append((et, body[q + 4:q + 4 + el]))
        q += 4 + el
    out = b""
    for et, ed in exts:
        if et == 0:
            if sni is None:
                continue
            n = sni.encode()
            ed = struct.pack("!HBH", len(n) + 3, 0, len(n)) + n
        out += struct.pack("!HH", et, len(ed)) + ed
    hs_body = body[:p] + struct.pack("!H", len(out)) + out
    hs = b"\x01" + struct.pack("!I", len(hs_body))[1:] + hs_body
    return b"\x16\x03\x01" + struct.pack("!H", len(hs)) + hs


def tls_record(n, ctype=0x17):
    """One TLS record carrying n bytes of (seeded random) ciphertext."""
    return bytes([ctype, 3, 3]) + struct.pack("!H", n) + bytes(R.getrandbits(8) for _ in range(n))


def server_flight():
    """ServerHello, CCS, then encrypted extensions/cert/verify/finished as openssl sizes them."""
    sh = bytes.fromhex("160303007a020000760303") + bytes(R.getrandbits(8) for _ in range(32)) + \
        bytes.fromhex("20") + bytes(R.getrandbits(8) for _ in range(32)) + \
        bytes.fromhex("130200002e002b0002030400330024001d0020") + \
        bytes(R.getrandbits(8) for _ in range(32))
    return sh + bytes.fromhex("140303000101") + tls_record(23) + tls_record(823) + \
        tls_record(281) + tls_record(69)


def client_finish():
    return bytes.fromhex("140303000101") + tls_record(69)


class Pcap:
    def __init__(self):
        self.recs = []

    def add(self, ts, frame):
        self.recs.append((ts, bytes(frame)))

    def write(self, path):
        self.recs.sort(key=lambda r: r[0])
        out = [struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 262144, 1)]
        for ts, data in self.recs:
            us = int(round(ts * 1e6))
            out.append(struct.pack("<IIII", us // 1000000, us % 1000000, len(data), len(data)))
            out.append(data)
        os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
        with open(path, "wb") as f:
            f.write(b"".join(out))
        print("mkmining: %s (%d packets)" % (path, len(self.recs)), file=sys.stderr)


class Tcp:
    """One TCP session seen at the edge: client inside, server ~RTT away."""

    def __init__(self, pc, t, cli, srv, sport, dport):
        self.pc, self.t = pc, t
        self.cli, self.srv, self.sport, self.dport = cli, srv, sport, dport
        self.seq = [R.getrandbits(32), R.getrandbits(32)]
        self.ipid = [R.getrandbits(16), R.getrandbits(16)]
        self.pkt(0, "S", opts=[("MSS", 1460), ("SAckOK", b""), ("WScale", 7)])
        self.t += RTT
        self.pkt(1, "SA", opts=[("MSS", 1460), ("SAckOK", b""), ("WScale", 7)])
        self.t += 0.0001
        self.pkt(0, "A")

    def pkt(self, d, flags, payload=b"", opts=None):
        src, dst = (self.cli, self.srv) if d == 0 else (self.srv, self.cli)
        sp, dp = (self.sport, self.dport) if d == 0 else (self.dport, self.sport)
        ack = self.seq[1 - d] if "A" in flags else 0
        seg = TCP(sport=sp, dport=dp, flags=flags, seq=self.seq[d], ack=ack,
                  window=(64240 if d == 0 else 65160) if "S" in flags else (502 if d == 0 else 509),
                  options=opts or [])
        self.ipid[d] = (self.ipid[d] + 1) & 0xffff
        ip = IP(src=src, dst=dst, id=self.ipid[d], flags="DF", ttl=64 if d == 0 else 52)
        frame = Ether(src=MAC_IN if d == 0 else MAC_GW, dst=MAC_GW if d == 0 else MAC_IN) / ip / seg
        if payload:
            frame = frame / Raw(payload)
        self.pc.add(self.t, frame)
        self.seq[d] = (self.seq[d] + len(payload) + (1 if ("S" in flags or "F" in flags) else 0)) \
            & 0xffffffff

    def send(self, d, data, at=None, segs=None):
        """d sends data (split at MSS, or at the given sizes); the peer ACKs each segment."""
        if at is not None:
            self.t = max(self.t, at)
        sizes = segs or []
        parts, off = [], 0
        for s in sizes:
            parts.append(data[off:off + s])
            off += s
        while off < len(data):
            parts.append(data[off:off + MSS])
            off += MSS
        for i, part in enumerate(parts):
            if i > 0:
                self.t += 0.0003 if d == 1 else 0.00005
            self.pkt(d, "PA" if i == len(parts) - 1 else "A", part)
        self.t += RTT if d == 0 else 0.0002
        self.pkt(1 - d, "A")

    def close(self, at=None):
        if at is not None:
            self.t = max(self.t, at)
        self.pkt(0, "FA")
        self.t += RTT
        self.pkt(1, "FA")
        self.t += 0.0001
        self.pkt(0, "A")
        return self.t

    def tls_handshake(self, sni):
        self.send(0, client_hello(sni))
        self.t += 0.002
        self.send(1, server_flight())
        self.t += 0.001
        self.send(0, client_finish())


def udp(pc, t, cli, srv, sport, dport, payload, d):
    src, dst = (cli, srv) if d == 0 else (srv, cli)
    sp, dp = (sport, dport) if d == 0 else (dport, sport)
    frame = (Ether(src=MAC_IN if d == 0 else MAC_GW, dst=MAC_GW if d == 0 else MAC_IN) /
             IP(src=src, dst=dst, id=R.getrandbits(16), ttl=64 if d == 0 else 52) /
             UDP(sport=sp, dport=dp) / Raw(payload))
    pc.add(t, frame)


# --- DNS messages, built by hand so compression is exactly as written -------------------

def dname(name):
    out = b""
    for label in name.split("."):
        out += bytes([len(label)]) + label.encode()
    return out + b"\x00"


def dns_query(qid, name, qtype=1):
    return struct.pack("!HHHHHH", qid, 0x0100, 1, 0, 0, 0) + dname(name) + struct.pack("!HH", qtype, 1)


def dns_response(qid, name, qtype, answers, rcode=0):
    """answers: [(owner, type, ttl, rdata)] with owner None = the question (pointer 0xc00c),
    a name = written in full, CNAME rdata given as a name string."""
    msg = struct.pack("!HHHHHH", qid, 0x8180 | rcode, 1, len(answers), 0, 0)
    msg += dname(name) + struct.pack("!HH", qtype, 1)
    offsets = {name: 12}
    for owner, rtype, ttl, rdata in answers:
        if owner is None or owner in offsets:
            o = struct.pack("!H", 0xc000 | offsets[owner or name])
        else:
            offsets[owner] = len(msg)
            o = dname(owner)
        if rtype == 5:
            target_off = len(msg) + len(o) + 10
            rd = dname(rdata)
            offsets.setdefault(rdata, target_off)
        elif rtype == 1:
            rd = bytes(int(x) for x in rdata.split("."))
        else:
            rd = rdata
        msg += o + struct.pack("!HHIH", rtype, 1, ttl, len(rd)) + rd
    return msg


def dns_exchange(pc, t, cli, srv, sport, qid, name, qtype, answers, rcode=0):
    udp(pc, t, cli, srv, sport, 53, dns_query(qid, name, qtype), 0)
    udp(pc, t + RTT + 0.002, cli, srv, sport, 53, dns_response(qid, name, qtype, answers, rcode), 1)


# --- Stratum / proxy payloads -----------------------------------------------------------

XMR_WALLET = ("48edfHu7V9Z84YzzMa6fUueoELZ9ZRXq9VetWzYGzKt52XU5xvqgzYnDK9URnRoJMk1j8nLwEVsaSWJ4"
              "fhdUyZijBGUicoD")
XMRIG_LOGIN = ('{"id":1,"jsonrpc":"2.0","method":"login","params":{"login":"%s","pass":"rig11",'
               '"agent":"XMRig/6.21.0 (Linux x86_64) libuv/1.44.2 gcc/12.2.0","algo":["rx/0"]}}\n'
               % XMR_WALLET).encode()


def xmr_job(i):
    blob = "%0152x" % R.getrandbits(608)
    return ('{"jsonrpc":"2.0","method":"job","params":{"blob":"%s","job_id":"%d","target":'
            '"f3220000","algo":"rx/0","height":3100%03d}}\n' % (blob, 500 + i, i)).encode()


def xmr_login_result():
    blob = "%0152x" % R.getrandbits(608)
    return ('{"id":1,"jsonrpc":"2.0","error":null,"result":{"id":"a1b2c3","job":{"blob":"%s",'
            '"job_id":"500","target":"f3220000","algo":"rx/0"},"status":"OK"}}\n' % blob).encode()


def xmr_submit(i):
    return ('{"id":%d,"jsonrpc":"2.0","method":"submit","params":{"id":"a1b2c3","job_id":"%d",'
            '"nonce":"%08x","result":"%064x"}}\n' % (i + 2, 500 + i, R.getrandbits(32),
                                                     R.getrandbits(256))).encode()


def xmr_ok(i):
    return ('{"id":%d,"jsonrpc":"2.0","error":null,"result":{"status":"OK"}}\n' % (i + 2)).encode()


def btc_session(s, t, split=False):
    """Stratum v1: subscribe (split over 3 segments when split), then the pool's result,
    set_difficulty and notify in ONE segment; authorize; submit."""
    sub = b'{"id":1,"method":"mining.subscribe","params":["cgminer/4.10.0"]}\n'
    s.send(0, sub, at=t + 0.01, segs=[9, 22] if split else None)
    notify = ('{"id":null,"method":"mining.notify","params":["4f1",'
              '"%064x","01000000010000","ffffffff",[],"20000000","1d00ffff","65a1b2c3",true]}\n'
              % R.getrandbits(256)).encode()
    s.send(1, b'{"id":1,"result":[[["mining.notify","ae6812eb4cd7735a302a8a9dd95cf71f"]],'
              b'"08000002",4],"error":null}\n'
              b'{"id":null,"method":"mining.set_difficulty","params":[8192]}\n' + notify,
           at=s.t + 0.05)
    auth = b'{"id":2,"method":"mining.authorize","params":["bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq.rig11","x"]}\n'
    s.send(0, auth, at=s.t + 0.02)
    s.send(1, b'{"id":2,"result":true,"error":null}\n', at=s.t + 0.04)
    for i in range(3):
        sub = ('{"id":%d,"method":"mining.submit","params":["bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq.rig11",'
               '"4f1","%08x","65a1b2c3","%08x"]}\n' % (i + 3, R.getrandbits(32), R.getrandbits(32))).encode()
        s.send(0, sub, at=s.t + R.uniform(0.8, 1.5))
        s.send(1, ('{"id":%d,"result":true,"error":null}\n' % (i + 3)).encode(), at=s.t + 0.04)


# --- the captures ----------------------------------------------------------------------

def cap_tls_sni(out):
    pc = Pcap()
    t = T0 + 10
    for sport, dport in ((40100, 443), (40101, 14433)):
        s = Tcp(pc, t, "10.20.0.11", "198.51.100.30", sport, dport)
        s.tls_handshake("xmr.pool.minergate.com")
        s.send(0, tls_record(420), at=s.t + 0.01)     # login
        s.send(1, tls_record(610), at=s.t + 0.05)     # login result + job
        s.send(0, tls_record(210), at=s.t + 3.2)      # submit
        s.send(1, tls_record(96), at=s.t + 0.001)
        t = s.close(at=s.t + 1.0) + 2
    pc.write(os.path.join(out, "mining-tls-sni.pcap"))


def cap_dns_late_tls(out):
    """Pool lookup through a CNAME, then 3 minutes later TLS without SNI to the answer."""
    pc = Pcap()
    t = T0 + 100
    cli, dns = "10.20.0.11", "198.51.100.53"
    dns_exchange(pc, t, cli, dns, 51000, 0x4d21, "gulf.moneroocean.stream", 1, [
        (None, 5, 300, "mo-edge.cdn-example.net"),
        ("mo-edge.cdn-example.net", 1, 600, "203.0.113.50"),
        ("mo-edge.cdn-example.net", 1, 600, "203.0.113.51")])
    dns_exchange(pc, t + 0.001, cli, dns, 51001, 0x4d22, "gulf.moneroocean.stream", 28, [
        (None, 5, 300, "mo-edge.cdn-example.net")])
    s = Tcp(pc, t + 180, cli, "203.0.113.51", 40200, 443)
    s.tls_handshake(None)
    s.send(0, tls_record(420), at=s.t + 0.01)
    s.send(1, tls_record(610), at=s.t + 0.05)
    s.close(at=s.t + 2)
    pc.write(os.path.join(out, "mining-dns-late-tls.pcap"))


def cap_dns_negative(out):
    pc = Pcap()
    t = T0 + 200
    cli, dns = "10.20.0.11", "198.51.100.53"
    dns_exchange(pc, t, cli, dns, 52000, 0x1001, "www.example.org", 1,
                 [(None, 1, 3600, "198.51.100.20")])
    dns_exchange(pc, t + 0.5, cli, dns, 52001, 0x1002, "mail.example.com", 1, [
        (None, 5, 300, "mx-1.mail.example.com"),
        ("mx-1.mail.example.com", 5, 300, "mx-1.eu.mail.example.com"),
        ("mx-1.eu.mail.example.com", 1, 300, "198.51.100.25")])
    dns_exchange(pc, t + 1.0, cli, dns, 52002, 0x1003, "nonexistent.example.net", 1, [], rcode=3)
    dns_exchange(pc, t + 1.5, cli, dns, 52003, 0x1004, "www.example.org", 28, [
        (None, 28, 3600, bytes.fromhex("20010db8000000000000000000000020"))])
    s = Tcp(pc, t + 2, cli, "198.51.100.20", 40300, 443)
    s.tls_handshake("www.example.org")
    s.send(0, tls_record(380), at=s.t + 0.01)
    s.send(1, tls_record(1200), at=s.t + 0.05)
    s.close(at=s.t + 1)
    pc.write(os.path.join(out, "mining-dns-negative.pcap"))


def cap_proxy(out):
    pc = Pcap()
    t = T0 + 300
    cli, px = "10.20.0.12", "198.51.100.8"
    # HTTP CONNECT to a pool name, then TLS inside the tunnel.
    s = Tcp(pc, t, cli, px, 41000, 3128)
    s.send(0, b"CONNECT pool.supportxmr.com:443 HTTP/1.1\r\nHost: pool.supportxmr.com:443\r\n"
              b"User-Agent: XMRig/6.21.0\r\nProxy-Connection: Keep-Alive\r\n\r\n", at=s.t + 0.001)
    s.send(1, b"HTTP/1.1 200 Connection established\r\n\r\n", at=s.t + 0.01)
    s.tls_handshake("pool.supportxmr.com")
    s.send(0, tls_record(420), at=s.t + 0.01)
    s.send(1, tls_record(610), at=s.t + 0.05)
    t = s.close(at=s.t + 1) + 1
    # SOCKS5, no auth, domain gulf.moneroocean.stream:3333, Stratum inside.
    s = Tcp(pc, t, cli, px, 41001, 1080)
    s.send(0, b"\x05\x01\x00", at=s.t + 0.001)
    s.send(1, b"\x05\x00", at=s.t + 0.001)
    host = b"gulf.moneroocean.stream"
    s.send(0, b"\x05\x01\x00\x03" + bytes([len(host)]) + host + struct.pack("!H", 3333),
           at=s.t + 0.001)
    s.send(1, b"\x05\x00\x00\x01" + bytes([198, 51, 100, 8]) + struct.pack("!H", 50312),
           at=s.t + 0.05)
    s.send(0, XMRIG_LOGIN, at=s.t + 0.001)
    s.send(1, xmr_login_result(), at=s.t + 0.05)
    t = s.close(at=s.t + 1) + 1
    # SOCKS5 with username/password, IPv4 target on pool port 3333 (no name known).
    s = Tcp(pc, t, cli, px, 41002, 1080)
    s.send(0, b"\x05\x02\x00\x02", at=s.t + 0.001)
    s.send(1, b"\x05\x02", at=s.t + 0.001)
    s.send(0, b"\x01\x04rig1\x06s3cret", at=s.t + 0.001)
    s.send(1, b"\x01\x00", at=s.t + 0.001)
    s.send(0, b"\x05\x01\x00\x01" + bytes([198, 51, 100, 31]) + struct.pack("!H", 3333),
           at=s.t + 0.001)
    s.send(1, b"\x05\x00\x00\x01" + bytes([198, 51, 100, 8]) + struct.pack("!H", 50313),
           at=s.t + 0.05)
    btc_session(s, s.t)
    t = s.close(at=s.t + 1) + 1
    # SOCKS4a: user id, then the domain (split over two segments).
    s = Tcp(pc, t, cli, px, 41003, 1080)
    req = b"\x04\x01" + struct.pack("!H", 2222) + b"\x00\x00\x00\x01" + b"rig11\x00xmr.2miners.com\x00"
    s.send(0, req, at=s.t + 0.001, segs=[14])
    s.send(1, b"\x00\x5a\x00\x00\x00\x00\x00\x00", at=s.t + 0.05)
    s.send(0, XMRIG_LOGIN, at=s.t + 0.001)
    s.send(1, xmr_login_result(), at=s.t + 0.05)
    s.close(at=s.t + 1)
    pc.write(os.path.join(out, "mining-proxy.pcap"))


def cap_proxy_negative(out):
    pc = Pcap()
    t = T0 + 400
    cli, px = "10.20.0.12", "198.51.100.8"
    s = Tcp(pc, t, cli, px, 41100, 3128)
    s.send(0, b"CONNECT www.example.org:443 HTTP/1.1\r\nHost: www.example.org:443\r\n"
              b"User-Agent: curl/7.88.1\r\n\r\n", at=s.t + 0.001)
    s.send(1, b"HTTP/1.1 200 Connection established\r\n\r\n", at=s.t + 0.01)
    s.tls_handshake("www.example.org")
    s.send(0, tls_record(380), at=s.t + 0.01)
    s.send(1, tls_record(1200), at=s.t + 0.05)
    t = s.close(at=s.t + 1) + 1
    s = Tcp(pc, t, cli, px, 41101, 1080)
    s.send(0, b"\x05\x01\x00", at=s.t + 0.001)
    s.send(1, b"\x05\x00", at=s.t + 0.001)
    host = b"www.example.org"
    s.send(0, b"\x05\x01\x00\x03" + bytes([len(host)]) + host + struct.pack("!H", 443),
           at=s.t + 0.001)
    s.send(1, b"\x05\x00\x00\x01" + bytes([198, 51, 100, 8]) + struct.pack("!H", 50400),
           at=s.t + 0.05)
    s.tls_handshake("www.example.org")
    s.close(at=s.t + 1)
    pc.write(os.path.join(out, "mining-proxy-negative.pcap"))


def cap_stratum_split(out):
    pc = Pcap()
    s = Tcp(pc, T0 + 500, "10.20.0.13", "198.51.100.31", 42000, 3333)
    btc_session(s, s.t, split=True)
    s.close(at=s.t + 1)
    pc.write(os.path.join(out, "mining-stratum-split.pcap"))


def cap_stratum_ports(out):
    pc = Pcap()
    t = T0 + 600
    for sport, dport in ((42100, 80), (42101, 47213)):
        s = Tcp(pc, t, "10.20.0.13", "198.51.100.35", sport, dport)
        s.send(0, XMRIG_LOGIN, at=s.t + 0.001)
        s.send(1, xmr_login_result(), at=s.t + 0.05)
        for i in range(2):
            s.send(0, xmr_submit(i), at=s.t + R.uniform(1, 3))
            s.send(1, xmr_ok(i), at=s.t + 0.001)
        s.send(1, xmr_job(1), at=s.t + 5)
        t = s.close(at=s.t + 1) + 1
    pc.write(os.path.join(out, "mining-stratum-ports.pcap"))


def long_session(pc, t, cli, srv, sport, dport, sni, minutes, kind):
    """kind 'miner': shares at the miner's pace, jobs pushed every 30-60 s, no bulk.
    'keepalive': a client ping every 30 s answered at once, nothing else.
    'bulk': like a miner but the server pushes 40-60 KB every minute (a sync/download)."""
    s = Tcp(pc, t, cli, srv, sport, dport)
    s.tls_handshake(sni)
    start, end = s.t, s.t + minutes * 60
    events = []
    if kind == "keepalive":
        x = start + 30
        while x < end:
            events.append((x, "ping"))
            x += 30 + R.uniform(-0.2, 0.2)
    else:
        x = start + R.uniform(30, 60)
        while x < end:
            events.append((x, "job"))
            x += R.uniform(30, 60)
        x = start + R.uniform(5, 20)
        while x < end:
            events.append((x, "share"))
            x += R.expovariate(1 / 40.0) + 3
    events.sort()
    s.send(0, tls_record(R.randint(380, 460)), at=start + 0.01)      # login
    s.send(1, tls_record(R.randint(560, 640)), at=s.t + 0.05)         # first job
    for at, what in events:
        if at < s.t + 0.5:
            at = s.t + 0.5
        if what == "job":
            n = R.randint(40000, 60000) if kind == "bulk" else R.randint(330, 420)
            s.send(1, b"".join(tls_record(min(16384, n - o)) for o in range(0, n, 16384)), at=at)
        elif what == "share":
            s.send(0, tls_record(R.randint(190, 230)), at=at)
            s.send(1, tls_record(R.randint(60, 80)), at=s.t + 0.002)
        else:
            s.send(0, tls_record(R.randint(30, 40)), at=at)
            s.send(1, tls_record(R.randint(30, 40)), at=s.t + 0.002)
    return s.close(at=end)


def cap_tls_cadence(out):
    pc = Pcap()
    long_session(pc, T0 + 1000, "10.20.0.14", "198.51.100.36", 43000, 5555, None, 20, "miner")
    pc.write(os.path.join(out, "mining-tls-cadence.pcap"))


def cap_tls_negatives(out):
    pc = Pcap()
    t = T0 + 3000
    long_session(pc, t, "10.20.0.15", "198.51.100.20", 44000, 443, "www.example.org", 12,
                 "keepalive")
    long_session(pc, t + 1, "10.20.0.15", "198.51.100.21", 44001, 8888, "app.example.org", 12,
                 "keepalive")
    long_session(pc, t + 2, "10.20.0.15", "198.51.100.22", 44002, 9999, "sync.example.org", 12,
                 "bulk")
    pc.write(os.path.join(out, "mining-tls-negatives.pcap"))


def cap_crypto_node(out):
    pc = Pcap()
    t = T0 + 5000
    cli = "10.20.0.16"

    def btc_msg(cmd, payload, magic=b"\xf9\xbe\xb4\xd9"):
        import hashlib
        ck = hashlib.sha256(hashlib.sha256(payload).digest()).digest()[:4]
        return magic + cmd.ljust(12, b"\x00") + struct.pack("<I", len(payload)) + ck + payload

    def version_payload(ts):
        ua = b"/Satoshi:26.0.0/"
        return (struct.pack("<iQq", 70016, 0x409, ts) + b"\x00" * 26 + b"\x00" * 26 +
                struct.pack("<Q", R.getrandbits(64)) + bytes([len(ua)]) + ua +
                struct.pack("<i?", 830000, True))

    s = Tcp(pc, t, cli, "198.51.100.41", 45000, 8333)
    s.send(0, btc_msg(b"version", version_payload(int(t))), at=s.t + 0.001)
    s.send(1, btc_msg(b"version", version_payload(int(t) + 1)) + btc_msg(b"verack", b""),
           at=s.t + 0.01)
    s.send(0, btc_msg(b"verack", b""), at=s.t + 0.001)
    t = s.close(at=s.t + 2) + 1

    def levin(cmd, body, req=True, flags=1):
        return (b"\x01\x21\x01\x01\x01\x01\x01\x01" + struct.pack("<Q?Iii", len(body), req, cmd,
                                                                  0, flags) +
                struct.pack("<I", 1) + body)

    s = Tcp(pc, t, cli, "198.51.100.42", 45001, 18080)
    s.send(0, levin(1001, bytes(R.getrandbits(8) for _ in range(220))), at=s.t + 0.001)
    s.send(1, levin(1001, bytes(R.getrandbits(8) for _ in range(3100)), req=False, flags=2),
           at=s.t + 0.01)
    t = s.close(at=s.t + 2) + 1

    body = b'{"jsonrpc":"2.0","id":"0","method":"get_info"}'
    s = Tcp(pc, t, cli, "198.51.100.42", 45002, 18081)
    s.send(0, b"POST /json_rpc HTTP/1.1\r\nHost: 198.51.100.42:18081\r\nContent-Type: "
              b"application/json\r\nContent-Length: %d\r\n\r\n" % len(body), at=s.t + 0.001)
    s.send(0, body, at=s.t + 0.0001)
    s.send(1, b"HTTP/1.1 200 Ok\r\nServer: Epee-based\r\nContent-Length: 60\r\nContent-Type: "
              b"application/json\r\n\r\n"
              b'{"id":"0","jsonrpc":"2.0","result":{"height":3100123,"status":"OK"}}',
           at=s.t + 0.01)
    t = s.close(at=s.t + 1) + 1

    body = b'{"id":7,"jsonrpc":"2.0","method":"eth_getBlockByNumber","params":["latest",false]}'
    s = Tcp(pc, t, cli, "198.51.100.40", 45003, 8545)
    s.send(0, b"POST / HTTP/1.1\r\nHost: 198.51.100.40:8545\r\nContent-Type: application/json\r\n"
              b"Content-Length: %d\r\n\r\n" % len(body) + body, at=s.t + 0.001)
    s.send(1, b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 40\r\n\r\n"
              b'{"jsonrpc":"2.0","id":7,"result":null}\n', at=s.t + 0.01)
    s.close(at=s.t + 1)
    pc.write(os.path.join(out, "mining-crypto-node.pcap"))


def cap_dns_hostile(out):
    """DNS responses a parser must survive: a compression-pointer loop, a pointer past the
    end, lying counts, a truncated answer, a name of 63-byte labels; then a good one."""
    pc = Pcap()
    t = T0 + 6000
    cli, dns = "10.20.0.17", "198.51.100.53"
    q = dns_query(0x2001, "xmr.nanopool.org")
    loop = struct.pack("!HHHHHH", 0x2001, 0x8180, 1, 1, 0, 0) + b"\xc0\x0c" + struct.pack("!HH", 1, 1)
    past = struct.pack("!HHHHHH", 0x2002, 0x8180, 1, 1, 0, 0) + dname("xmr.nanopool.org") + \
        struct.pack("!HH", 1, 1) + b"\xc3\xff" + struct.pack("!HHIH", 1, 1, 60, 4) + bytes(4)
    lying = dns_response(0x2003, "xmr.nanopool.org", 1, [(None, 1, 60, "203.0.113.60")])
    lying = lying[:6] + struct.pack("!H", 65535) + lying[8:]
    trunc = dns_response(0x2004, "xmr.nanopool.org", 1, [(None, 1, 60, "203.0.113.61")])[:-3]
    long_name = ".".join(["a" * 63] * 3) + ".example.org"
    for i, (sport, resp) in enumerate(((53000, loop), (53001, past), (53002, lying),
                                       (53003, trunc))):
        udp(pc, t + i, cli, dns, sport, 53, q, 0)
        udp(pc, t + i + RTT, cli, dns, sport, 53, resp, 1)
    dns_exchange(pc, t + 5, cli, dns, 53004, 0x2005, long_name, 1,
                 [(None, 1, 60, "203.0.113.62")])
    pc.write(os.path.join(out, "mining-dns-hostile.pcap"))


def cap_jsonrpc_negatives(out):
    """Newline-delimited JSON-RPC that is not mining: a language server
    over TCP (initialize, didOpen, completion, progress, shutdown) and a
    web app whose methods are called "login" and "submit"."""
    pc = Pcap()
    t = T0 + 900
    lsp = Tcp(pc, t, "10.20.0.15", "198.51.100.60", 43000, 2087)
    msgs = [
        (0, {"jsonrpc": "2.0", "id": 1, "method": "initialize",
             "params": {"processId": 4242, "rootUri": "file:///work/model",
                        "capabilities": {"textDocument": {"completion": {}}}}}),
        (1, {"jsonrpc": "2.0", "id": 1, "result": {"capabilities": {
            "textDocumentSync": 1, "completionProvider": {"triggerCharacters": ["."]}}}}),
        (0, {"jsonrpc": "2.0", "method": "initialized", "params": {}}),
        (0, {"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {
            "uri": "file:///work/model/train.py", "languageId": "python", "version": 1,
            "text": "import torch\nmodel = torch.nn.Linear(4, 2)\n"}}}),
        (1, {"jsonrpc": "2.0", "method": "$/progress",
             "params": {"token": "idx", "value": {"kind": "begin", "title": "Indexing"}}}),
        (0, {"jsonrpc": "2.0", "id": 2, "method": "textDocument/completion",
             "params": {"textDocument": {"uri": "file:///work/model/train.py"},
                        "position": {"line": 1, "character": 17}}}),
        (1, {"jsonrpc": "2.0", "id": 2, "result": {"isIncomplete": False, "items": [
            {"label": "Linear"}, {"label": "LayerNorm"}, {"label": "LSTM"}]}}),
        (1, {"jsonrpc": "2.0", "method": "$/progress",
             "params": {"token": "idx", "value": {"kind": "end"}}}),
        (0, {"jsonrpc": "2.0", "id": 3, "method": "shutdown"}),
        (1, {"jsonrpc": "2.0", "id": 3, "result": None}),
        (0, {"jsonrpc": "2.0", "method": "exit"}),
    ]
    for d, m in msgs:
        lsp.send(d, (json.dumps(m) + "\n").encode(), at=lsp.t + R.uniform(0.05, 0.8))
    t = lsp.close(at=lsp.t + 0.5) + 1
    app = Tcp(pc, t, "10.20.0.15", "198.51.100.61", 43001, 8080)
    msgs = [
        (0, {"jsonrpc": "2.0", "id": 1, "method": "login",
             "params": {"login": "alice", "pass": "correct horse"}}),
        (1, {"jsonrpc": "2.0", "id": 1, "result": {"status": "OK", "session": "f3a9"}}),
        (0, {"jsonrpc": "2.0", "id": 2, "method": "submit",
             "params": {"form": "expense", "amount": 42}}),
        (1, {"jsonrpc": "2.0", "id": 2, "result": {"status": "OK"}}),
        (0, {"jsonrpc": "2.0", "id": 3, "method": "keepalived", "params": {}}),
        (1, {"jsonrpc": "2.0", "id": 3, "error": {"code": -32601, "message": "no such method"}}),
    ]
    for d, m in msgs:
        app.send(d, (json.dumps(m) + "\n").encode(), at=app.t + R.uniform(0.2, 2))
    app.close(at=app.t + 0.5)
    pc.write(os.path.join(out, "mining-jsonrpc-negatives.pcap"))


def cap_stratum_dialect_ports(out):
    """Each dialect on a port usually used by another one, with field
    order and whitespace unlike the lab emulator: V1 (bfgminer, keys in
    odd order, spaces) on 4444, ETH proxy (Claymore-style, worker member)
    on 3333, EthereumStratum/1.0.0 (NiceHash, lolMiner agent) on 14444,
    XMRig on 443 in cleartext."""
    pc = Pcap()
    t = T0 + 1000
    eth = "0x9f2c6e6a3a3e8b1a9d1d1c2b2e7e8f7a6b5c4d3e"
    flows = [
        (4444, [
            (0, '{ "params" : [ "bfgminer/5.5.0" ], "id" : 1, "method" : "mining.subscribe" }\n'),
            (1, '{"error": null, "id": 1, "result": [[["mining.set_difficulty", "1"], ["mining.notify", "1"]], "2a000000", 4]}\n'),
            (0, '{"method": "mining.authorize", "id": 2, "params": ["3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy.gpu04", "x"]}\n'),
            (1, '{"id": 2, "error": null, "result": true}\n{"params": [65536], "id": null, "method": "mining.set_difficulty"}\n'),
            (1, '{"params": ["7b", "%064x", "01000000", "ffffffff", [], "20000000", "1703a30c", "65b0c3d4", true], "id": null, "method": "mining.notify"}\n' % R.getrandbits(256)),
            (0, '{"method": "mining.submit", "id": 3, "params": ["3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy.gpu04", "7b", "00000001", "65b0c3d4", "%08x"]}\n' % R.getrandbits(32)),
            (1, '{"id": 3, "error": null, "result": true}\n'),
        ]),
        (3333, [
            (0, '{"worker": "gpu04", "jsonrpc": "2.0", "params": ["%s", "x"], "id": 1, "method": "eth_submitLogin"}\n' % eth),
            (1, '{"id":1,"jsonrpc":"2.0","result":true}\n'),
            (0, '{"worker": "", "jsonrpc": "2.0", "params": [], "id": 3, "method": "eth_getWork"}\n'),
            (1, '{"id":3,"jsonrpc":"2.0","result":["0x%064x","0x%064x","0x%064x"]}\n' % (R.getrandbits(256), R.getrandbits(256), R.getrandbits(256))),
            (0, '{"id":6,"jsonrpc":"2.0","method":"eth_submitHashrate","params":["0x%016x","0x%064x"],"worker":"gpu04"}\n' % (R.getrandbits(40), R.getrandbits(256))),
            (1, '{"id":6,"jsonrpc":"2.0","result":true}\n'),
        ]),
        (14444, [
            (0, '{"id":1,"method":"mining.subscribe","params":["lolMiner 1.82","EthereumStratum/1.0.0"]}\n'),
            (1, '{"id":1,"result":[["mining.notify","a1b2c3","EthereumStratum/1.0.0"],"a1b2"],"error":null}\n'),
            (0, '{"id":2,"method":"mining.authorize","params":["%s.gpu04","x"]}\n' % eth),
            (1, '{"id":2,"result":true,"error":null}\n{"id":null,"method":"mining.set_difficulty","params":[2.5]}\n'),
            (1, '{"id":null,"method":"mining.notify","params":["cd01","0x%064x","0x%064x",true]}\n' % (R.getrandbits(256), R.getrandbits(256))),
            (0, '{"id":4,"method":"mining.submit","params":["%s.gpu04","cd01","%012x"]}\n' % (eth, R.getrandbits(48))),
            (1, '{"id":4,"result":true,"error":null}\n'),
        ]),
    ]
    sport = 44000
    for dport, msgs in flows:
        s = Tcp(pc, t, "10.20.0.17", "198.51.100.37", sport, dport)
        for d, m in msgs:
            s.send(d, m.encode(), at=s.t + R.uniform(0.05, 1.2))
        t = s.close(at=s.t + 0.5) + 1
        sport += 1
    s = Tcp(pc, t, "10.20.0.17", "198.51.100.38", sport, 443)
    s.send(0, XMRIG_LOGIN, at=s.t + 0.001)
    s.send(1, xmr_login_result(), at=s.t + 0.05)
    s.send(0, xmr_submit(0), at=s.t + 2)
    s.send(1, xmr_ok(0), at=s.t + 0.001)
    s.close(at=s.t + 0.5)
    pc.write(os.path.join(out, "mining-stratum-dialect-ports.pcap"))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "..", "pcaps"))
    a = ap.parse_args()
    for fn in (cap_tls_sni, cap_dns_late_tls, cap_dns_negative, cap_proxy, cap_proxy_negative,
               cap_stratum_split, cap_stratum_ports, cap_tls_cadence, cap_tls_negatives,
               cap_crypto_node, cap_dns_hostile, cap_jsonrpc_negatives,
               cap_stratum_dialect_ports):
        fn(a.out)


if __name__ == "__main__":
    main()
