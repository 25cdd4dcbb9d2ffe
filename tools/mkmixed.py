#!/usr/bin/env python3
"""mkmixed.py - write a deterministic mixed-traffic capture for `make bench`.

    tools/mkmixed.py OUT.pcap [--flows N] [--seed S] [--verify K]

Every byte is a function of --flows and --seed: fixed base time
2026-01-01T00:00:00Z, about ten minutes of packet time, Ethernet link type.
Internal hosts are 10.20.x.y; the outside is 198.51.100.0/24 and
203.0.113.0/24 only (plus 2001:db8::/32 inside AAAA answers).

Traffic (default 2000 flows, ~200k packets, ~100 MB):
  - HTTP/1.1 GET + response, with real headers, port 80/8080
  - TLS 1.2 (abbreviated) and TLS 1.3 sessions: full ClientHello with SNI,
    ALPN, key_share..., ServerHello, CCS, application-data records, 443/8443
  - SSH: "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3" banners both ways, KEXINIT,
    ECDH, NEWKEYS, then encrypted-looking interactive traffic, 22/2222
  - DNS A/AAAA/HTTPS queries and answers over UDP (EDNS0), many preceding
    the HTTP/TLS connection to the name they resolve
  - Stratum JSON-lines mining sessions (Bitcoin-style and xmrig-style)
  - NTP client/server, ICMP echo request/reply
  - bulk transfers: long runs of 1448-byte segments with delayed ACKs

All TCP sessions are complete: SYN/SYN-ACK/ACK with options, correct
seq/ack, data both ways, FIN both ways.  Checksums are correct.  The capture
point is next to the internal hosts: client packets leave "now", server
packets arrive one RTT later.

Packets are built with struct (scapy objects are ~50x slower); scapy is
used only by --verify, which re-reads the first K packets and checks that
scapy sees valid checksums.  Generation needs only the standard library.
"""

import argparse
import array
import random
import struct
import sys
import time

BASE_TS = 1767225600            # 2026-01-01T00:00:00Z
SPAN = 600.0                    # seconds of packet time
MSS = 1448                      # 1460 minus the 12-byte timestamp option
NTP_EPOCH = 2208988800

SSH_BANNER = b"SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n"

DOMAINS = [
    "www.google.com", "github.com", "api.github.com", "deb.debian.org",
    "security.debian.org", "en.wikipedia.org", "www.youtube.com",
    "login.microsoftonline.com", "outlook.office365.com", "slack.com",
    "www.amazon.com", "s3.amazonaws.com", "cdn.jsdelivr.net",
    "registry.npmjs.org", "pypi.org", "files.pythonhosted.org",
    "www.cloudflare.com", "zoom.us", "www.netflix.com", "api.twitter.com",
    "www.facebook.com", "example.com", "www.example.org",
    "updates.example.net", "mail.example.com", "www.bbc.co.uk",
    "docs.python.org", "www.reddit.com", "time.cloudflare.com",
    "ocsp.digicert.com", "www.linkedin.com", "static.example.net",
]
HTTP_PATHS = [
    "/", "/index.html", "/favicon.ico", "/debian/dists/bookworm/InRelease",
    "/api/v1/status", "/static/js/app.8f3a1c.js", "/images/logo.png",
    "/robots.txt", "/search?q=egress+sensor", "/ubuntu/ls-lR.gz",
]
USER_AGENTS = [
    "Mozilla/5.0 (X11; Linux x86_64; rv:115.0) Gecko/20100101 Firefox/115.0",
    "curl/7.88.1",
    "Debian APT-HTTP/1.3 (2.6.1)",
    "Wget/1.21.3",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
    "(KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36",
]
SERVERS = ["nginx/1.22.1", "Apache/2.4.57 (Debian)", "cloudflare", "gws"]


def ip4(s):
    return bytes(int(x) for x in s.split("."))


def csum(data):
    """RFC 1071 checksum, returned as the two bytes to store."""
    if len(data) & 1:
        data += b"\0"
    s = sum(array.array("H", data))
    s = (s & 0xFFFF) + (s >> 16)
    s = (s & 0xFFFF) + (s >> 16)
    s = (s & 0xFFFF) + (s >> 16)
    # A native-order sum folds to the native-order checksum (RFC 1071 2(B)).
    return struct.pack("=H", ~s & 0xFFFF)


class Host:
    def __init__(self, addr, mac, ttl, rng):
        self.addr = ip4(addr)
        self.name = addr
        self.mac = mac
        self.ttl = ttl
        self.ipid = rng.randrange(65536)
        self.port = rng.randrange(33000, 60000)

    def next_port(self):
        self.port += 1
        if self.port > 60999:
            self.port = 32768
        return self.port


class Capture:
    """Collects (time, bytes) and writes them sorted as a classic pcap."""

    def __init__(self):
        self.pkts = []
        self.gw_mac = bytes.fromhex("020000000001")

    def ip(self, t, src, dst, proto, l4):
        ln = 20 + len(l4)
        src.ipid = (src.ipid + 1) & 0xFFFF
        hdr = struct.pack("!BBHHHBBH4s4s", 0x45, 0, ln, src.ipid, 0x4000,
                          src.ttl, proto, 0, src.addr, dst.addr)
        hdr = hdr[:10] + csum(hdr) + hdr[12:]
        if src.mac is None:         # outside host: arrives via the gateway
            eth = dst.mac + self.gw_mac + b"\x08\x00"
        else:
            eth = self.gw_mac + src.mac + b"\x08\x00"
        self.pkts.append((int(t * 1e6), len(self.pkts), eth + hdr + l4))

    def udp(self, t, src, dst, sport, dport, payload):
        ln = 8 + len(payload)
        hdr = struct.pack("!HHHH", sport, dport, ln, 0)
        ph = src.addr + dst.addr + struct.pack("!BBH", 0, 17, ln)
        c = csum(ph + hdr + payload)
        if c == b"\0\0":
            c = b"\xff\xff"
        self.ip(t, src, dst, 17, hdr[:6] + c + payload)

    def icmp(self, t, src, dst, typ, ident, seq, payload):
        msg = struct.pack("!BBHHH", typ, 0, 0, ident, seq) + payload
        self.ip(t, src, dst, 1, msg[:2] + csum(msg) + msg[4:])

    def write(self, path):
        self.pkts.sort()
        with open(path, "wb") as f:
            f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
            out = []
            for us, _, data in self.pkts:
                sec, usec = divmod(us, 1000000)
                out.append(struct.pack("<IIII", BASE_TS + sec, usec,
                                       len(data), len(data)))
                out.append(data)
                if len(out) > 8192:
                    f.write(b"".join(out))
                    out = []
            f.write(b"".join(out))
        return len(self.pkts)


SYN, FIN, RST, PSH, ACK = 0x02, 0x01, 0x04, 0x08, 0x10


class Tcp:
    """One TCP connection seen from next to the client."""

    def __init__(self, cap, rng, cli, srv, dport, t, rtt):
        self.cap, self.rng = cap, rng
        self.cli, self.srv = cli, srv
        self.sport, self.dport = cli.next_port(), dport
        self.seq = {True: rng.getrandbits(32), False: rng.getrandbits(32)}
        self.tsv = {True: rng.getrandbits(31), False: rng.getrandbits(31)}
        self.tsecr = {True: 0, False: 0}
        self.win = {True: rng.choice((501, 502, 509, 2048)),
                    False: rng.choice((235, 501, 1026, 65535))}
        self.t = t
        self.rtt = rtt
        self.t0 = t
        self.quiet = t

    def emit(self, t, c2s, flags, payload=b"", syn=False):
        src, dst = (self.cli, self.srv) if c2s else (self.srv, self.cli)
        sport, dport = ((self.sport, self.dport) if c2s
                        else (self.dport, self.sport))
        tsval = (self.tsv[c2s] + int((t - self.t0) * 1000)) & 0xFFFFFFFF
        if syn:
            opts = (struct.pack("!BBH", 2, 4, 1460) + b"\x04\x02" +
                    struct.pack("!BBII", 8, 10, tsval, self.tsecr[c2s]) +
                    b"\x01\x03\x03\x07")
            win = 64240 if c2s else 65160
        else:
            opts = b"\x01\x01" + struct.pack("!BBII", 8, 10, tsval,
                                             self.tsecr[c2s])
            win = self.win[c2s]
        self.tsecr[not c2s] = tsval
        ack = self.seq[not c2s] if flags & ACK else 0
        hdr = struct.pack("!HHIIBBHHH", sport, dport, self.seq[c2s], ack,
                          (20 + len(opts)) << 2, flags, win, 0, 0) + opts
        ln = len(hdr) + len(payload)
        ph = src.addr + dst.addr + struct.pack("!BBH", 0, 6, ln)
        c = csum(ph + hdr + payload)
        self.cap.ip(t, src, dst, 6, hdr[:16] + c + hdr[18:] + payload)
        self.seq[c2s] = (self.seq[c2s] + len(payload) +
                         (1 if flags & (SYN | FIN) else 0)) & 0xFFFFFFFF

    def handshake(self):
        t = self.t
        self.emit(t, True, SYN, syn=True)
        t += self.rtt
        self.emit(t, False, SYN | ACK, syn=True)
        t += self.rng.uniform(20e-6, 80e-6)
        self.emit(t, True, ACK)
        self.t = t

    def send(self, c2s, data, gap=None):
        """Sends data as MSS segments; the receiver ACKs every second one.

        Server ACKs of client data reach the capture point one RTT after
        the segment left; the server sends nothing before the last of them
        (self.quiet).  The final client segment gets no lone ACK: the
        server's next segment carries it.
        """
        rng = self.rng
        if gap is None:
            gap = rng.uniform(100e-6, 400e-6)
        t = self.t if c2s else max(self.t, self.quiet)
        n = (len(data) + MSS - 1) // MSS
        for i in range(n):
            final = i == n - 1
            self.emit(t, c2s, ACK | (PSH if final else 0),
                      data[i * MSS:(i + 1) * MSS])
            if c2s:
                if i & 1 and not final:
                    self.quiet = t + self.rtt
                    self.emit(self.quiet, False, ACK)
            elif i & 1 or final:
                at = t + rng.uniform(15e-6, 60e-6)
                self.emit(at, True, ACK)
                self.t = at
            if not final:
                t += gap * rng.uniform(0.8, 1.25)
        self.t = max(self.t, t)

    def wait(self, dt):
        self.t += dt

    def close(self, client_first=True):
        t = self.t + self.rng.uniform(1e-3, 50e-3)
        if not client_first:
            t = max(t, self.quiet)
        if client_first:
            self.emit(t, True, FIN | ACK)
            t += self.rtt
            self.emit(t, False, FIN | ACK)
            self.emit(t + self.rng.uniform(20e-6, 80e-6), True, ACK)
        else:
            self.emit(t, False, FIN | ACK)
            t += self.rng.uniform(20e-6, 3e-3)
            self.emit(t, True, FIN | ACK)
            self.emit(t + self.rtt, False, ACK)
        self.t = t + self.rtt


# --- application payloads ---------------------------------------------------

def http_date(t):
    return time.strftime("%a, %d %b %Y %H:%M:%S GMT",
                         time.gmtime(BASE_TS + int(t)))


def tls_ext(typ, body):
    return struct.pack("!HH", typ, len(body)) + body


def tls_client_hello(rng, sni, tls13):
    suites = [0x1301, 0x1302, 0x1303] if tls13 else []
    suites += [0xC02B, 0xC02F, 0xC02C, 0xC030, 0xCCA9, 0xCCA8, 0xC013,
               0xC014, 0x009C, 0x009D, 0x002F, 0x0035]
    name = sni.encode()
    exts = tls_ext(0x0000, struct.pack("!HBH", len(name) + 3, 0, len(name))
                   + name)
    exts += tls_ext(0x0017, b"")                        # extended master secret
    exts += tls_ext(0xFF01, b"\x00")                    # renegotiation_info
    groups = struct.pack("!5H", 0x001D, 0x0017, 0x0018, 0x0019, 0x0100)
    exts += tls_ext(0x000A, struct.pack("!H", len(groups)) + groups)
    exts += tls_ext(0x000B, b"\x01\x00")                # ec_point_formats
    exts += tls_ext(0x0023, b"")                        # session_ticket
    alpn = b"\x02h2\x08http/1.1"
    exts += tls_ext(0x0010, struct.pack("!H", len(alpn)) + alpn)
    exts += tls_ext(0x0005, b"\x01\x00\x00\x00\x00")    # status_request
    sigs = struct.pack("!8H", 0x0403, 0x0503, 0x0603, 0x0804, 0x0805,
                       0x0806, 0x0401, 0x0501)
    exts += tls_ext(0x000D, struct.pack("!H", len(sigs)) + sigs)
    if tls13:
        ks = struct.pack("!HH", 0x001D, 32) + rng.randbytes(32)
        exts += tls_ext(0x0033, struct.pack("!H", len(ks)) + ks)
        exts += tls_ext(0x002B, b"\x04\x03\x04\x03\x03")  # 1.3, 1.2
        exts += tls_ext(0x002D, b"\x01\x01")            # psk_dhe_ke
    body = (b"\x03\x03" + rng.randbytes(32) + b"\x20" + rng.randbytes(32) +
            struct.pack("!H", 2 * len(suites)) +
            struct.pack("!%dH" % len(suites), *suites) + b"\x01\x00" +
            struct.pack("!H", len(exts)) + exts)
    hs = b"\x01" + struct.pack("!I", len(body))[1:] + body
    return b"\x16\x03\x01" + struct.pack("!H", len(hs)) + hs


def tls_server_hello(rng, tls13):
    if tls13:
        exts = tls_ext(0x002B, b"\x03\x04")
        exts += tls_ext(0x0033, struct.pack("!HH", 0x001D, 32) +
                        rng.randbytes(32))
        suite = 0x1301
    else:
        exts = tls_ext(0xFF01, b"\x00") + tls_ext(0x0017, b"")
        suite = 0xC02F
    body = (b"\x03\x03" + rng.randbytes(32) + b"\x20" + rng.randbytes(32) +
            struct.pack("!HB", suite, 0) + struct.pack("!H", len(exts)) + exts)
    hs = b"\x02" + struct.pack("!I", len(body))[1:] + body
    return b"\x16\x03\x03" + struct.pack("!H", len(hs)) + hs


TLS_CCS = b"\x14\x03\x03\x00\x01\x01"


def tls_records(blob, rng, size, ctype=0x17):
    """Application-data records (max 16401 bytes each) totalling ~size."""
    out = []
    while size > 0:
        n = min(size, 16384) + 17
        off = rng.randrange(len(blob) - n)
        out.append(struct.pack("!BHH", ctype, 0x0303, n) + blob[off:off + n])
        size -= n - 17
    return b"".join(out)


def ssh_string(b):
    return struct.pack("!I", len(b)) + b


def ssh_packet(payload, rng):
    pad = 8 - (len(payload) + 5) % 8
    if pad < 4:
        pad += 8
    return (struct.pack("!IB", len(payload) + pad + 1, pad) + payload +
            rng.randbytes(pad))


def ssh_kexinit(rng):
    lists = [
        b"sntrup761x25519-sha512@openssh.com,curve25519-sha256,"
        b"curve25519-sha256@libssh.org,ecdh-sha2-nistp256,"
        b"diffie-hellman-group16-sha512,ext-info-c",
        b"ssh-ed25519-cert-v01@openssh.com,ssh-ed25519,"
        b"ecdsa-sha2-nistp256,rsa-sha2-512,rsa-sha2-256",
        b"chacha20-poly1305@openssh.com,aes128-ctr,aes192-ctr,aes256-ctr,"
        b"aes128-gcm@openssh.com,aes256-gcm@openssh.com",
        None,
        b"umac-64-etm@openssh.com,umac-128-etm@openssh.com,"
        b"hmac-sha2-256-etm@openssh.com,hmac-sha2-512-etm@openssh.com",
        None,
        b"none,zlib@openssh.com", None, b"", b"",
    ]
    for i, v in enumerate(lists):
        if v is None:
            lists[i] = lists[i - 1]
    p = b"\x14" + rng.randbytes(16)
    p += b"".join(ssh_string(x) for x in lists) + b"\x00" + b"\0\0\0\0"
    return ssh_packet(p, rng)


def ssh_encrypted(blob, rng, n):
    """An encrypted-looking packet: length, ciphertext, 16-byte MAC."""
    n = max(16, (n + 15) & ~15)
    off = rng.randrange(len(blob) - n - 16)
    return struct.pack("!I", n) + blob[off:off + n + 16]


def dns_name(name):
    return b"".join(bytes([len(x)]) + x.encode()
                    for x in name.split(".")) + b"\0"


def dns_query(qid, name, qtype):
    q = struct.pack("!HHHHHH", qid, 0x0100, 1, 0, 0, 1)
    q += dns_name(name) + struct.pack("!HH", qtype, 1)
    q += b"\x00" + struct.pack("!HHIH", 41, 1232, 0, 0)     # EDNS0 OPT
    return q


def dns_response(qid, name, qtype, answers, rcode=0):
    r = struct.pack("!HHHHHH", qid, 0x8180 | rcode, 1, len(answers), 0, 1)
    r += dns_name(name) + struct.pack("!HH", qtype, 1)
    for ttl, rdata in answers:
        r += struct.pack("!HHHIH", 0xC00C, qtype, 1, ttl, len(rdata)) + rdata
    r += b"\x00" + struct.pack("!HHIH", 41, 1232, 0, 0)
    return r


# --- the world --------------------------------------------------------------

class World:
    def __init__(self, rng):
        self.rng = rng
        self.cap = Capture()
        self.blob = rng.randbytes(1 << 20)
        self.inside = []
        for i in range(240):
            a = "10.20.%d.%d" % (1 + i // 60, 10 + (i % 60) * 4)
            mac = bytes.fromhex("02000a14") + bytes([1 + i // 60,
                                                     10 + (i % 60) * 4])
            self.inside.append(Host(a, mac, 64, rng))
        self.outside = {}
        self.resolver = self.ext("198.51.100.53", 58)
        self.ntp = [self.ext("203.0.113.123", 55),
                    self.ext("198.51.100.123", 57)]
        self.addr_of = {}
        for i, d in enumerate(DOMAINS):
            net = "198.51.100." if i % 2 == 0 else "203.0.113."
            self.addr_of[d] = self.ext(net + str(10 + i * 3), 50 + i % 9)

    def ext(self, addr, ttl):
        if addr not in self.outside:
            self.outside[addr] = Host(addr, None, ttl, self.rng)
        return self.outside[addr]

    def client(self):
        return self.rng.choice(self.inside)

    def rtt(self):
        return self.rng.choice((0.004, 0.012, 0.025, 0.040, 0.090)) * \
            self.rng.uniform(0.9, 1.3)

    def start(self, horizon=40.0):
        return self.rng.uniform(0.0, SPAN - horizon)


def gen_dns(w, cli=None, t=None, name=None, qtype=None):
    rng = w.rng
    cli = cli or w.client()
    t = w.start(2) if t is None else t
    name = name or rng.choice(DOMAINS)
    qtype = qtype or rng.choice((1, 1, 1, 28, 65))
    qid = rng.randrange(65536)
    sport = cli.next_port()
    srv = w.resolver
    w.cap.udp(t, cli, srv, sport, 53, dns_query(qid, name, qtype))
    t += rng.uniform(0.002, 0.060)
    rcode, ans = 0, []
    if name not in w.addr_of and rng.random() < 0.5:
        rcode = 3
    elif qtype == 1:
        h = w.addr_of.get(name)
        ans = [(300, h.addr if h else ip4("203.0.113.%d" %
                                          rng.randrange(1, 255)))]
    elif qtype == 28:
        ans = [(300, bytes.fromhex("20010db8") + rng.randbytes(12))]
    w.cap.udp(t, srv, cli, 53, sport, dns_response(qid, name, qtype, ans,
                                                   rcode))
    return t


def maybe_resolve(w, cli, t, name):
    if w.rng.random() < 0.5:
        return gen_dns(w, cli, t, name, 1) + w.rng.uniform(1e-4, 2e-3)
    return t


def gen_http(w, body_size=None, path=None):
    rng = w.rng
    cli = w.client()
    host = rng.choice(DOMAINS)
    t = maybe_resolve(w, cli, w.start(), host)
    port = rng.choice((80, 80, 80, 8080))
    c = Tcp(w.cap, rng, cli, w.addr_of[host], port, t, w.rtt())
    c.handshake()
    for _ in range(rng.choice((1, 1, 2, 3))):
        req = ("GET %s HTTP/1.1\r\nHost: %s\r\nUser-Agent: %s\r\n"
               "Accept: */*\r\nAccept-Encoding: gzip, deflate\r\n"
               "Connection: keep-alive\r\n\r\n" %
               (path or rng.choice(HTTP_PATHS), host,
                rng.choice(USER_AGENTS))).encode()
        c.send(True, req)
        c.wait(c.rtt + rng.uniform(0.001, 0.030))
        n = body_size or int(rng.lognormvariate(8.5, 1.2))
        off = rng.randrange(len(w.blob) - min(n, 60000))
        body = (w.blob[off:off + n] if n <= 60000
                else (w.blob * (n // len(w.blob) + 1))[:n])
        hdr = ("HTTP/1.1 200 OK\r\nDate: %s\r\nServer: %s\r\n"
               "Content-Type: %s\r\nContent-Length: %d\r\n"
               "Last-Modified: Tue, 30 Dec 2025 08:12:44 GMT\r\n"
               "ETag: \"%08x\"\r\nCache-Control: max-age=3600\r\n"
               "Connection: keep-alive\r\n\r\n" %
               (http_date(c.t), rng.choice(SERVERS),
                rng.choice(("text/html; charset=utf-8",
                            "application/octet-stream", "image/png",
                            "application/json")),
                n, rng.getrandbits(32))).encode()
        c.send(False, hdr + body)
        c.wait(rng.uniform(0.05, 2.0))
    c.close(client_first=rng.random() < 0.7)


def gen_tls(w, bulk=None):
    rng = w.rng
    cli = w.client()
    sni = rng.choice(DOMAINS)
    t = maybe_resolve(w, cli, w.start(), sni)
    tls13 = rng.random() < 0.7
    c = Tcp(w.cap, rng, cli, w.addr_of[sni], rng.choice((443,) * 6 + (8443,)),
            t, w.rtt())
    c.handshake()
    c.send(True, tls_client_hello(rng, sni, tls13))
    c.wait(c.rtt + rng.uniform(0.0005, 0.010))
    if tls13:
        c.send(False, tls_server_hello(rng, True) + TLS_CCS +
               tls_records(w.blob, rng, rng.randrange(2500, 5200)))
        c.wait(rng.uniform(0.0005, 0.003))
        c.send(True, TLS_CCS + tls_records(w.blob, rng, 53))
    else:
        # Abbreviated (resumed) handshake: ServerHello, CCS, Finished.
        c.send(False, tls_server_hello(rng, False) + TLS_CCS +
               tls_records(w.blob, rng, 40 - 17, 0x16))
        c.wait(rng.uniform(0.0005, 0.003))
        c.send(True, TLS_CCS + tls_records(w.blob, rng, 40 - 17, 0x16))
    rounds = 1 if bulk else rng.choice((1, 2, 3, 4, 6, 8, 12))
    for _ in range(rounds):
        c.send(True, tls_records(w.blob, rng, rng.randrange(80, 700)))
        c.wait(c.rtt + rng.uniform(0.002, 0.080))
        size = bulk or int(rng.lognormvariate(8.8, 1.3))
        c.send(False, tls_records(w.blob, rng, size),
               gap=rng.uniform(110e-6, 250e-6) if bulk else None)
        c.wait(rng.uniform(0.05, 5.0))
    c.send(True, tls_records(w.blob, rng, 2, 0x15))        # close_notify
    c.close(client_first=True)


def gen_ssh(w, upload=None):
    rng = w.rng
    cli = w.client()
    srv = w.ext(rng.choice(("203.0.113.22", "198.51.100.22", "203.0.113.40",
                            "198.51.100.77")), 49)
    c = Tcp(w.cap, rng, cli, srv, rng.choice((22, 22, 22, 2222)),
            w.start(60), w.rtt())
    c.handshake()
    c.wait(c.rtt / 2)
    c.send(False, SSH_BANNER)           # the server speaks first
    c.send(True, SSH_BANNER)
    c.send(True, ssh_kexinit(rng))
    c.send(False, ssh_kexinit(rng))
    c.wait(c.rtt)
    c.send(True, ssh_packet(b"\x1e" + ssh_string(rng.randbytes(32)), rng))
    c.wait(c.rtt + 0.004)
    hostkey = ssh_string(b"ssh-ed25519") + ssh_string(rng.randbytes(32))
    sig = ssh_string(b"ssh-ed25519") + ssh_string(rng.randbytes(64))
    c.send(False, ssh_packet(b"\x1f" + ssh_string(hostkey) +
                             ssh_string(rng.randbytes(32)) + ssh_string(sig),
                             rng) +
           ssh_packet(b"\x15", rng) + ssh_encrypted(w.blob, rng, 240))
    c.send(True, ssh_packet(b"\x15", rng) + ssh_encrypted(w.blob, rng, 48))
    c.wait(c.rtt)
    for n in (48, 80, 64, 560):         # service request, userauth
        c.send(True, ssh_encrypted(w.blob, rng, n))
        c.wait(c.rtt + 0.002)
        c.send(False, ssh_encrypted(w.blob, rng, 32))
    if upload:
        c.send(True, b"".join(ssh_encrypted(w.blob, rng, 32752)
                              for _ in range(upload // 32768 + 1)),
               gap=rng.uniform(110e-6, 200e-6))
    else:
        for _ in range(rng.randrange(30, 220)):
            c.wait(rng.expovariate(1 / 0.25))
            c.send(True, ssh_encrypted(w.blob, rng, 16))     # keystroke
            c.wait(c.rtt)
            if rng.random() < 0.1:
                c.send(False, ssh_encrypted(w.blob, rng,
                                            rng.randrange(200, 6000)))
            else:
                c.send(False, ssh_encrypted(w.blob, rng, 16))  # echo
    c.send(True, ssh_encrypted(w.blob, rng, 32))
    c.close(client_first=False)


def gen_stratum(w, idx):
    rng = w.rng
    cli = w.client()
    xmr = idx % 2 == 1
    srv = w.ext("203.0.113.%d" % (200 + idx % 10), 47)
    c = Tcp(w.cap, rng, cli, srv, (3333, 14444, 3333, 4444)[idx % 4],
            rng.uniform(0, 30), w.rtt())
    c.handshake()
    if xmr:
        c.send(True, (b'{"id":1,"jsonrpc":"2.0","method":"login","params":'
                      b'{"login":"4AdUndXHHZ6cfufTMvppY6JwXNouMBzSkbLYfpAV5'
                      b'Usx3skxNgYeYTRj5UzqtReoS44qo9mtmXCqY45DJ852K5Jv2684'
                      b'Rge","pass":"x","agent":"XMRig/6.21.0 (Linux x86_64)'
                      b' libuv/1.44.2 gcc/12.2.0","algo":["rx/0"]}}\n'))
        c.wait(c.rtt + 0.01)
        c.send(False, (b'{"id":1,"jsonrpc":"2.0","error":null,"result":'
                       b'{"id":"%08x","job":{"blob":"%s","job_id":"%d",'
                       b'"target":"b88d0600","algo":"rx/0","height":3100000,'
                       b'"seed_hash":"%s"},"status":"OK"}}\n') %
               (rng.getrandbits(32), rng.randbytes(76).hex().encode(),
                rng.randrange(10**6), rng.randbytes(32).hex().encode()))
    else:
        c.send(True, b'{"id": 1, "method": "mining.subscribe", "params": '
                     b'["cgminer/4.12.1"]}\n')
        c.wait(c.rtt + 0.01)
        c.send(False, b'{"id":1,"result":[[["mining.set_difficulty","1"],'
                      b'["mining.notify","ae6812eb4cd7735a302a8a9dd95cf71f"]'
                      b'],"08000002",4],"error":null}\n')
        c.send(True, b'{"id": 2, "method": "mining.authorize", "params": '
                     b'["worker1.rig01", "x"]}\n')
        c.wait(c.rtt + 0.01)
        c.send(False, b'{"id":2,"result":true,"error":null}\n'
                      b'{"id":null,"method":"mining.set_difficulty",'
                      b'"params":[16384]}\n')
    msgid = 3
    while c.t < SPAN - 30:
        c.wait(rng.uniform(5, 40))
        if rng.random() < 0.4:
            if xmr:
                m = (b'{"jsonrpc":"2.0","method":"job","params":{"blob":"%s",'
                     b'"job_id":"%d","target":"b88d0600","algo":"rx/0",'
                     b'"height":%d}}\n' %
                     (rng.randbytes(76).hex().encode(), rng.randrange(10**6),
                      3100000 + msgid))
            else:
                m = (b'{"id":null,"method":"mining.notify","params":["%x","%s",'
                     b'"%s","%s",[],"20000000","1703a30c","%08x",true]}\n' %
                     (rng.getrandbits(24), rng.randbytes(32).hex().encode(),
                      rng.randbytes(60).hex().encode(),
                      rng.randbytes(40).hex().encode(),
                      0x6955B000 + msgid))
            c.send(False, m)
        else:
            if xmr:
                m = (b'{"id":%d,"jsonrpc":"2.0","method":"submit","params":'
                     b'{"id":"1be0b7b6","job_id":"%d","nonce":"%08x",'
                     b'"result":"%s"}}\n' %
                     (msgid, rng.randrange(10**6), rng.getrandbits(32),
                      rng.randbytes(32).hex().encode()))
            else:
                m = (b'{"params": ["worker1.rig01", "%x", "%08x", "%08x", '
                     b'"%08x"], "id": %d, "method": "mining.submit"}\n' %
                     (rng.getrandbits(24), rng.getrandbits(32),
                      0x6955B000 + msgid, rng.getrandbits(32), msgid))
            c.send(True, m)
            c.wait(c.rtt + 0.005)
            c.send(False, b'{"id":%d,"jsonrpc":"2.0","error":null,'
                          b'"result":{"status":"OK"}}\n' % msgid if xmr else
                   b'{"id":%d,"result":true,"error":null}\n' % msgid)
        msgid += 1
    c.close(client_first=True)


def gen_ntp(w):
    rng = w.rng
    cli = w.client()
    srv = rng.choice(w.ntp)
    t = w.start(2)
    sport = rng.choice((123, cli.next_port()))

    def ts(x):
        v = BASE_TS + NTP_EPOCH + x
        return struct.pack("!II", int(v), int((v % 1) * 2**32))
    q = b"\x23" + b"\0" * 39 + ts(t)
    w.cap.udp(t, cli, srv, sport, 123, q)
    t2 = t + rng.uniform(0.005, 0.060)
    r = (b"\x24\x02\x03\xe9" + struct.pack("!II", 0x00000A2B, 0x00000F1C) +
         ip4("192.0.2.1") + ts(t - 64.3) + ts(t) + ts(t + 0.01) +
         ts(t + 0.0101))
    w.cap.udp(t2, srv, cli, 123, sport, r)


def gen_icmp(w):
    rng = w.rng
    cli = w.client()
    srv = w.ext(rng.choice(("198.51.100.1", "203.0.113.1",
                            "198.51.100.%d" % rng.randrange(2, 250))), 56)
    t = w.start(20)
    ident = rng.randrange(1, 65535)
    rtt = w.rtt()
    pattern = bytes(range(0x10, 0x38))
    for seq in range(1, rng.randrange(2, 11)):
        sec = BASE_TS + int(t)
        pl = struct.pack("<QQ", sec, int((t % 1) * 1e6)) + pattern
        w.cap.icmp(t, cli, srv, 8, ident, seq, pl)
        w.cap.icmp(t + rtt * rng.uniform(0.95, 1.1), srv, cli, 0, ident,
                   seq, pl)
        t += rng.uniform(0.999, 1.002)


def generate(flows, seed):
    rng = random.Random(seed)
    w = World(rng)
    k = flows / 2000.0

    def n(x):
        return max(1, int(round(x * k)))
    plan = ([("http", None)] * n(420) + [("tls", None)] * n(760) +
            [("ssh", None)] * n(110) + [("dns", None)] * n(420) +
            [("ntp", None)] * n(120) + [("icmp", None)] * n(110) +
            [("stratum", i) for i in range(n(8))] +
            [("bulk", i) for i in range(n(12))])
    rng.shuffle(plan)
    for kind, arg in plan:
        if kind == "http":
            gen_http(w)
        elif kind == "tls":
            gen_tls(w)
        elif kind == "ssh":
            gen_ssh(w)
        elif kind == "dns":
            gen_dns(w)
        elif kind == "ntp":
            gen_ntp(w)
        elif kind == "icmp":
            gen_icmp(w)
        elif kind == "stratum":
            gen_stratum(w, arg)
        else:
            size = rng.randrange(1_000_000, 4_500_000)
            if arg % 4 == 0:
                gen_http(w, body_size=size,
                         path="/debian/pool/main/l/linux/linux-image.deb")
            elif arg % 4 == 3:
                gen_ssh(w, upload=size // 2)
            else:
                gen_tls(w, bulk=size)
    return w


def verify(path, count):
    from scapy.all import PcapReader, IP, TCP, UDP, ICMP  # noqa: lazy
    bad = 0
    with PcapReader(path) as r:
        for i, p in enumerate(r):
            if i >= count:
                break
            for layer in (IP, TCP, UDP, ICMP):
                if layer in p:
                    got = p[layer].chksum
                    q = p[layer].copy()
                    del q.chksum
                    if layer(bytes(q)).chksum != got:
                        bad += 1
                        print("verify: packet %d: bad %s checksum" %
                              (i + 1, layer.__name__), file=sys.stderr)
    print("verify: %d packets, %d bad checksums" % (min(count, i + 1), bad),
          file=sys.stderr)
    return bad == 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("out")
    ap.add_argument("--flows", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=20260101)
    ap.add_argument("--verify", type=int, default=0, metavar="K",
                    help="re-read the first K packets with scapy")
    a = ap.parse_args()
    if a.flows < 1:
        ap.error("--flows must be >= 1")
    t0 = time.time()
    w = generate(a.flows, a.seed)
    npkts = w.cap.write(a.out)
    print("mkmixed: %s: %d packets, %d flows planned, %.1f s" %
          (a.out, npkts, a.flows, time.time() - t0), file=sys.stderr)
    if a.verify and not verify(a.out, a.verify):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
