#!/usr/bin/python3
"""mkfield.py - crafted, byte-exact captures of what field captures showed (issue #13).

  tools/mkfield.py [--out pcaps]

No network traffic: every packet is built here with scapy and written as classic pcap
(Ethernet, microsecond timestamps), with the helpers of tools/mkmining.py (DNS messages,
the real OpenSSL ClientHello, Stratum payloads).  Sessions are complete TCP conversations
(SYN/SYN-ACK/ACK, correct seq/ack, the peer ACKs data it does not answer at once, FIN);
a "mid-stream" flow is the same conversation with the packets before a cut left out, as a
capture that starts while the connection is up.  Each host has a round trip from the
capture point (inside ~0.2 ms, outside 40 or 80 ms) and every answer is timed by it.  SSH
sessions are built from record sizes: cleartext banners, KEXINITs (real name-lists),
ECDH init/reply and NEWKEYS, then chacha20-poly1305 records whose sizes follow from the
SSH payloads they stand for (4 + padded(1 + payload + 4, 8) + 16), bodies seeded random.
Random(20261202) drives every choice.  See pcaps/README.md, "Field cases (issue #13)".
"""
import argparse
import os
import random
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mkmining as mm  # noqa: E402

from scapy.layers.inet import IP, TCP, UDP  # noqa: E402
from scapy.layers.l2 import Ether  # noqa: E402
from scapy.packet import Raw  # noqa: E402

T0 = 1764633600          # 2025-12-02T00:00:00Z
R = random.Random(20261202)
mm.R = R                 # mkmining's payload helpers draw from our generator
MAC_A, MAC_B = "02:00:0a:14:00:15", "02:00:0a:14:00:01"
IN_RTT = 0.0002


class Conn:
    """One TCP conversation seen at the edge.  Side 0 is the client, side 1 the server;
    rtt[d] is side d's round trip from the capture point.  Packets before `cut` are not
    written (a capture that starts mid-stream)."""

    def __init__(self, pc, t, cli, srv, sport, dport, rtt_cli, rtt_srv, cut=None):
        self.pc, self.t, self.cut = pc, t, cut
        self.addr, self.port = (cli, srv), (sport, dport)
        self.rtt = (rtt_cli, rtt_srv)
        self.seq = [R.getrandbits(32), R.getrandbits(32)]
        self.ipid = [R.getrandbits(16), R.getrandbits(16)]
        opts = [("MSS", 1460), ("SAckOK", b""), ("WScale", 7)]
        self.pkt(0, "S", opts=opts)
        self.t += rtt_srv
        self.pkt(1, "SA", opts=opts)
        self.t += rtt_cli
        self.pkt(0, "A")

    def pkt(self, d, flags, payload=b"", opts=None):
        ack = self.seq[1 - d] if "A" in flags else 0
        seg = TCP(sport=self.port[d], dport=self.port[1 - d], flags=flags, seq=self.seq[d],
                  ack=ack, window=64240 if "S" in flags else 502, options=opts or [])
        self.ipid[d] = (self.ipid[d] + 1) & 0xffff
        ip = IP(src=self.addr[d], dst=self.addr[1 - d], id=self.ipid[d], flags="DF",
                ttl=64 if self.addr[d].startswith("10.") else 52)
        frame = Ether(src=MAC_A if d == 0 else MAC_B, dst=MAC_B if d == 0 else MAC_A) / ip / seg
        if payload:
            frame = frame / Raw(payload)
        if self.cut is None or self.t >= self.cut:
            self.pc.add(self.t, frame)
        self.seq[d] = (self.seq[d] + len(payload) + (1 if ("S" in flags or "F" in flags) else 0)) \
            & 0xffffffff

    def send(self, d, data, at=None, ack=True):
        """d sends data (MSS-sized segments) at `at`; the peer ACKs after its round trip
        unless ack is False (its answer will carry the ACK)."""
        if at is not None:
            self.t = max(self.t, at)
        for off in range(0, len(data), mm.MSS):
            if off > 0:
                self.t += 0.00005
            self.pkt(d, "PA", data[off:off + mm.MSS])
        if ack:
            save = self.t
            self.t += self.rtt[1 - d]
            self.pkt(1 - d, "A")
            self.t = save

    def close(self, at=None):
        if at is not None:
            self.t = max(self.t, at)
        self.pkt(0, "FA")
        self.t += self.rtt[1]
        self.pkt(1, "FA")
        self.t += self.rtt[0]
        self.pkt(0, "A")
        return self.t


# --- SSH from record sizes ----------------------------------------------------------------

def sstr(b):
    return struct.pack("!I", len(b)) + b


def ssh_packet(payload, block=8):
    pad = block - (5 + len(payload)) % block
    if pad < 4:
        pad += block
    return struct.pack("!IB", 1 + len(payload) + pad, pad) + payload + bytes(pad)


def kexinit(client):
    kex = (b"curve25519-sha256,curve25519-sha256@libssh.org,ecdh-sha2-nistp256,ext-info-c,"
           b"kex-strict-c-v00@openssh.com" if client else
           b"curve25519-sha256,curve25519-sha256@libssh.org,ecdh-sha2-nistp256,"
           b"kex-strict-s-v00@openssh.com")
    hostkey = b"ssh-ed25519,ecdsa-sha2-nistp256,rsa-sha2-512" if client else \
        b"rsa-sha2-512,ecdsa-sha2-nistp256,ssh-ed25519"
    enc = b"chacha20-poly1305@openssh.com,aes128-ctr,aes256-ctr,aes128-gcm@openssh.com"
    mac = b"umac-64-etm@openssh.com,hmac-sha2-256-etm@openssh.com,hmac-sha2-256"
    comp = b"none,zlib@openssh.com"
    lists = [kex, hostkey, enc, enc, mac, mac, comp, comp, b"", b""]
    body = bytes([20]) + bytes(R.getrandbits(8) for _ in range(16))
    for n in lists:
        body += sstr(n)
    return ssh_packet(body + b"\x00" + bytes(4))


def rnd(n):
    return bytes(R.getrandbits(8) for _ in range(n))


def ecdh_init():
    return ssh_packet(bytes([30]) + sstr(rnd(32)))


def ecdh_reply_newkeys():
    hk = sstr(b"ssh-ed25519") + sstr(rnd(32))
    sig = sstr(b"ssh-ed25519") + sstr(rnd(64))
    return ssh_packet(bytes([31]) + sstr(hk) + sstr(rnd(32)) + sstr(sig)) + newkeys()


def newkeys():
    return ssh_packet(bytes([21]))


def rec(payload):
    """A chacha20-poly1305 record carrying `payload` SSH payload bytes."""
    n = 1 + payload + 4
    n = (n + 7) // 8 * 8
    return rnd(4 + n + 16)


def ssh_handshake(c, client_banner, server_banner, server_first=True):
    """Banners (the server's first by default, as OpenSSH servers do), KEXINITs, ECDH,
    NEWKEYS; then service request/accept and a public-key authentication that ends
    with USERAUTH_SUCCESS.  Returns the time authentication ended."""
    t = c.t + 0.001
    if server_first:
        c.send(1, server_banner + b"\r\n", at=t)
        c.send(0, client_banner + b"\r\n", at=c.t + 0.002)
    else:
        c.send(0, client_banner + b"\r\n", at=t)
        c.send(1, server_banner + b"\r\n", at=c.t + c.rtt[1])
    c.send(0, kexinit(True), at=c.t + 0.001, ack=False)
    c.send(1, kexinit(False), at=c.t + c.rtt[1] / 2, ack=False)
    c.send(0, ecdh_init(), at=c.t + c.rtt[0] + 0.0005, ack=False)
    c.send(1, ecdh_reply_newkeys(), at=c.t + c.rtt[1] + 0.002, ack=False)
    c.send(0, newkeys() + rec(17), at=c.t + c.rtt[0] + 0.001, ack=False)   # + SERVICE_REQUEST
    c.send(1, rec(17), at=c.t + c.rtt[1], ack=False)                       # SERVICE_ACCEPT
    c.send(0, rec(380), at=c.t + c.rtt[0] + 0.001, ack=False)              # publickey query
    c.send(1, rec(60), at=c.t + c.rtt[1], ack=False)                       # PK_OK
    c.send(0, rec(480), at=c.t + c.rtt[0] + 0.003, ack=False)              # signed request
    c.send(1, rec(1), at=c.t + c.rtt[1] + 0.001, ack=False)                # USERAUTH_SUCCESS
    return c.t


OPENSSH = b"SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3"


# --- the captures -------------------------------------------------------------------------

def cap_midstream(out):
    """Mid-stream starts, one flow each: SSH to :22 and to a high port, TLS, HTTP, an
    established TLS session with nothing but records, a SYN-ACK first, and a lone DNS
    response."""
    pc = mm.Pcap()
    cli = "10.20.0.21"
    # SSH to 198.51.100.70:22: the capture starts with the server's banner.
    t = T0 + 10
    c = Conn(pc, t, cli, "198.51.100.70", 51000, 22, IN_RTT, 0.040, cut=t + 0.040 + 0.0005)
    ssh_handshake(c, OPENSSH, OPENSSH)
    for i in range(4):
        c.send(0, rec(10), at=c.t + 0.4, ack=False)
        c.send(1, rec(10), at=c.t + 0.041)
    c.close(at=c.t + 1)
    # SSH to a server on 52222 from port 41022: both ports ephemeral-range, no port rule;
    # the server's banner comes first, the key exchange says who is the client.
    t = T0 + 20
    c = Conn(pc, t, cli, "198.51.100.71", 41022, 52222, IN_RTT, 0.040, cut=t + 0.040 + 0.0005)
    ssh_handshake(c, b"SSH-2.0-OpenSSH_8.9p1 Ubuntu-3ubuntu0.10", OPENSSH)
    c.send(0, rec(10), at=c.t + 0.5, ack=False)
    c.send(1, rec(10), at=c.t + 0.041)
    c.close(at=c.t + 1)
    # TLS to 198.51.100.72:443: the capture starts with the ServerHello.
    t = T0 + 30
    c = Conn(pc, t, cli, "198.51.100.72", 51002, 443, IN_RTT, 0.040, cut=t + 0.0805)
    c.send(0, mm.client_hello("www.example.org"), at=t + 0.041)
    c.send(1, mm.server_flight(), at=c.t + 0.040, ack=True)
    c.send(0, mm.client_finish(), at=c.t + 0.001)
    c.send(0, mm.tls_record(300), at=c.t + 0.001)
    c.send(1, mm.tls_record(1200), at=c.t + 0.041)
    c.close(at=c.t + 0.5)
    # HTTP to 198.51.100.73:80: the capture starts with the response.
    t = T0 + 40
    c = Conn(pc, t, cli, "198.51.100.73", 51003, 80, IN_RTT, 0.040, cut=t + 0.0805)
    c.send(0, b"GET /index.html HTTP/1.1\r\nHost: www.example.org\r\nUser-Agent: curl/7.88.1\r\n"
              b"Accept: */*\r\n\r\n", at=t + 0.041, ack=False)
    body = b"<html><body>" + b"x" * 600 + b"</body></html>\n"
    c.send(1, b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: %d\r\n\r\n"
           % len(body) + body, at=c.t + 0.040)
    c.close(at=c.t + 0.2)
    # An established TLS session on 443, only application records, the server's first.
    t = T0 + 50
    c = Conn(pc, t, cli, "198.51.100.74", 51004, 443, IN_RTT, 0.040, cut=t + 1)
    c.send(0, mm.tls_record(200), at=t + 0.5)
    for i in range(3):
        c.send(1, mm.tls_record(900), at=t + 1.2 + i)
        c.send(0, mm.tls_record(120), at=c.t + 0.3)
    c.close(at=c.t + 0.5)
    # HTTP to 198.51.100.75:8080: the SYN was missed, the capture starts with the SYN-ACK.
    t = T0 + 60
    c = Conn(pc, t, cli, "198.51.100.75", 51005, 8080, IN_RTT, 0.040, cut=t + 0.001)
    c.send(0, b"GET /status HTTP/1.1\r\nHost: 198.51.100.75:8080\r\n\r\n", at=c.t + 0.001)
    c.send(1, b"HTTP/1.1 204 No Content\r\n\r\n", at=c.t + 0.040)
    c.close(at=c.t + 0.1)
    # DNS: only the response of 198.51.100.53 to 10.20.0.21:53001 was captured.
    mm.udp(pc, T0 + 70, cli, "198.51.100.53", 53001, 53,
           mm.dns_response(0x5151, "www.example.org", 1, [(None, 1, 300, "198.51.100.20")]), 1)
    pc.write(os.path.join(out, "field-midstream.pcap"))


def cap_stratum_stray(out):
    """Stratum v1 to 198.51.100.31:3333 whose pool sends `"}` + LF before its first reply."""
    pc = mm.Pcap()
    t = T0 + 100
    c = Conn(pc, t, "10.20.0.22", "198.51.100.31", 42300, 3333, IN_RTT, 0.040)
    c.send(0, b'{"id":1,"method":"mining.subscribe","params":["cgminer/4.10.0"]}\n', at=c.t + 0.01)
    c.send(1, b'"}\n', at=c.t + 0.020, ack=False)
    c.send(1, b'{"id":1,"result":[[["mining.notify","ae6812eb4cd7735a302a8a9dd95cf71f"]],'
              b'"08000002",4],"error":null}\n', at=c.t + 0.021)
    c.send(0, b'{"id":2,"method":"mining.authorize","params":["bc1qar0srrr7xfkvy5l643lydnw9re'
              b'59gtzzwf5mdq.rig12","x"]}\n', at=c.t + 0.02)
    c.send(1, b'{"id":2,"result":true,"error":null}\n'
              b'{"id":null,"method":"mining.set_difficulty","params":[16384]}\n', at=c.t + 0.04)
    for i in range(2):
        c.send(0, ('{"id":%d,"method":"mining.submit","params":["bc1qar0srrr7xfkvy5l643lydnw9re'
                   '59gtzzwf5mdq.rig12","4f1","%08x","65a1b2c3","%08x"]}\n'
                   % (i + 3, R.getrandbits(32), R.getrandbits(32))).encode(), at=c.t + 1.1)
        c.send(1, ('{"id":%d,"result":true,"error":null}\n' % (i + 3)).encode(), at=c.t + 0.04)
    c.close(at=c.t + 0.5)
    pc.write(os.path.join(out, "field-stratum-stray.pcap"))


def cap_pool_ip(out):
    """A pool name answered with 198.51.100.80, then from 10.20.0.23: XMRig Stratum in
    clear to :3333, TLS (no SNI) to :443, and an unreadable binary protocol to :7777."""
    pc = mm.Pcap()
    t = T0 + 200
    cli, srv = "10.20.0.23", "198.51.100.80"
    mm.dns_exchange(pc, t, cli, "198.51.100.53", 53100, 0x6a01, "pool.supportxmr.com", 1,
                    [(None, 1, 300, srv)])
    c = Conn(pc, t + 1, cli, srv, 42400, 3333, IN_RTT, 0.040)
    c.send(0, mm.XMRIG_LOGIN, at=c.t + 0.001)
    c.send(1, mm.xmr_login_result(), at=c.t + 0.040)
    c.send(0, mm.xmr_submit(0), at=c.t + 2.0)
    c.send(1, mm.xmr_ok(0), at=c.t + 0.040)
    c.close(at=c.t + 1)
    c = Conn(pc, t + 5, cli, srv, 42401, 443, IN_RTT, 0.040)
    c.send(0, mm.client_hello(None), at=c.t + 0.001)
    c.send(1, mm.server_flight(), at=c.t + 0.040)
    c.send(0, mm.client_finish(), at=c.t + 0.001)
    c.send(0, mm.tls_record(420), at=c.t + 0.01)
    c.send(1, mm.tls_record(610), at=c.t + 0.05)
    c.close(at=c.t + 1)
    c = Conn(pc, t + 9, cli, srv, 42402, 7777, IN_RTT, 0.040)
    c.send(0, bytes([0x8e, 0x01]) + rnd(150), at=c.t + 0.001)
    c.send(1, bytes([0x8e, 0x02]) + rnd(420), at=c.t + 0.040)
    c.send(0, bytes([0x8e, 0x03]) + rnd(90), at=c.t + 3.0)
    c.send(1, bytes([0x8e, 0x04]) + rnd(40), at=c.t + 0.040)
    c.close(at=c.t + 1)
    pc.write(os.path.join(out, "field-pool-ip-clear.pcap"))


def cap_rfwd_socks(out):
    """ssh -N -R 1080 from 10.20.0.24 to 203.0.113.90:22 (80 ms away); on the outside a
    program runs curl -x socks5h://localhost:1080 every 1.5 s through the forward."""
    pc = mm.Pcap()
    t = T0 + 300
    rtt = 0.080
    c = Conn(pc, t, "10.20.0.24", "203.0.113.90", 47800, 22, IN_RTT, rtt)
    ssh_handshake(c, OPENSSH, OPENSSH)
    c.send(0, rec(36), at=c.t + 0.0003, ack=False)       # tcpip-forward "localhost" 1080
    c.send(1, rec(1), at=c.t + rtt + 0.001)             # REQUEST_SUCCESS
    start = c.t + 1.0
    for i in range(10):
        t = start + 1.5 * i + R.uniform(0, 0.05)
        c.send(1, rec(72), at=t, ack=False)              # CHANNEL_OPEN forwarded-tcpip
        c.send(0, rec(17), at=c.t + 0.0004, ack=False)   # OPEN_CONFIRMATION
        c.send(1, rec(9 + 3), at=c.t + rtt + 0.002, ack=False)    # SOCKS5 greeting
        c.send(0, rec(9 + 2), at=c.t + 0.0003, ack=False)         # method: no auth
        c.send(1, rec(9 + 22), at=c.t + rtt + 0.001, ack=False)   # CONNECT www.example.org:80
        c.send(0, rec(9 + 10), at=c.t + 0.030, ack=False)         # granted (after connect)
        c.send(1, rec(9 + 78), at=c.t + rtt + 0.001, ack=False)   # GET / HTTP/1.1
        c.send(0, rec(9 + 1256), at=c.t + 0.045, ack=False)       # the page
        c.send(1, rec(4), at=c.t + rtt, ack=False)               # WINDOW_ADJUST / EOF
        c.send(0, rec(4) + rec(4), at=c.t + 0.0004, ack=False)    # EOF + CLOSE
        c.send(1, rec(4), at=c.t + rtt)                          # CLOSE
    c.close(at=c.t + 2)
    pc.write(os.path.join(out, "field-rfwd-socks.pcap"))


def cap_inbound_admin(out):
    """An admin at 203.0.113.40 (80 ms away) logs in to 10.20.0.30:22 and types fast:
    keys 55-130 ms apart (faster than the echo bound of a client that far away), output
    and prompt after Enter, the next command started 90-170 ms after the prompt.  A second session of
    the same admin was captured mid-stream (from the server's banner)."""
    pc = mm.Pcap()
    rtt = 0.080
    cmds = ["ls -la", "df -h", "uptime", "who", "free -m", "ps aux", "id", "w", "date",
            "cat /etc/os-release", "ip a", "exit"]
    for k, (sport, cut) in enumerate(((50123, None), (50124, 0.0805))):
        t = T0 + 400 + 60 * k
        c = Conn(pc, t, "203.0.113.40", "10.20.0.30", sport, 22, rtt, IN_RTT,
                 cut=None if cut is None else t + cut)
        ssh_handshake(c, OPENSSH, OPENSSH)
        c.send(0, rec(300), at=c.t + rtt, ack=False)     # pty-req, shell
        c.send(1, rec(700), at=c.t + 0.003, ack=False)   # motd and prompt
        prompt_at = c.t
        for cmd in cmds:
            at = prompt_at + R.uniform(0.09, 0.17)
            for ch in cmd + "\r":
                c.send(0, rec(9 + 1), at=at, ack=False)                 # key
                c.send(1, rec(9 + 1), at=c.t + 0.0003, ack=False)       # echo
                at = c.t + R.uniform(0.055, 0.130)
            c.send(1, rec(9 + R.randint(40, 300)), at=c.t + 0.004, ack=False)   # output
            c.send(1, rec(9 + 24), at=c.t + 0.002)                              # prompt
            prompt_at = c.t
        c.close(at=c.t + 0.3)
    pc.write(os.path.join(out, "field-inbound-admin.pcap"))


def cap_late_final(out):
    """A session to 198.51.100.76:80 carrying opaque bytes (no HTTP) with data
    every 60 s until 290 s, never closed; a DNS exchange at 310 s moves the clock past the
    active timeout (300 s) while it is idle; the capture ends (EOF).  And an SSH session
    to 198.51.100.77:22 whose client KEXINIT has a name-list longer than its packet."""
    pc = mm.Pcap()
    t = T0 + 600
    c = Conn(pc, t, "10.20.0.25", "198.51.100.76", 42500, 80, IN_RTT, 0.040)
    for i in range(6):
        c.send(0, rnd(60 + 10 * i), at=t + 1 + 58 * i)
        c.send(1, rnd(120), at=c.t + 0.041)
    mm.dns_exchange(pc, t + 310, "10.20.0.25", "198.51.100.53", 53200, 0x7a01,
                    "www.example.org", 1, [(None, 1, 300, "198.51.100.20")])
    c = Conn(pc, t + 320, "10.20.0.25", "198.51.100.77", 42501, 22, IN_RTT, 0.040)
    c.send(1, OPENSSH + b"\r\n", at=c.t + 0.002)
    c.send(0, OPENSSH + b"\r\n", at=c.t + 0.001)
    bad = bytearray(kexinit(True))
    bad[5 + 17:5 + 21] = struct.pack("!I", 60000)   # the kex name-list "is" 60000 bytes
    c.send(0, bytes(bad), at=c.t + 0.001, ack=False)
    c.send(1, kexinit(False), at=c.t + 0.020)
    c.close(at=c.t + 0.5)
    pc.write(os.path.join(out, "field-late-final.pcap"))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default="pcaps")
    a = ap.parse_args()
    cap_midstream(a.out)
    cap_stratum_stray(a.out)
    cap_pool_ip(a.out)
    cap_rfwd_socks(a.out)
    cap_inbound_admin(a.out)
    cap_late_final(a.out)


if __name__ == "__main__":
    main()
