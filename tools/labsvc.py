#!/usr/bin/python3
"""labsvc.py - small services for the capture lab (tools/lab.sh, tools/mkpcaps.sh).

  relay     --if-a IF --if-b IF --delay-ms N   bridge two interfaces with AF_PACKET, each frame
                                               released N ms later (the lab's WAN delay; no netem)
  probe     --connect ADDR:PORT                exit 0 if a TCP connect is answered (even refused)
  dns-server --listen ADDR[:PORT] --map NAME=IP ...   answer A queries from a fixed map (NXDOMAIN else)
  dns-query  --server ADDR[:PORT] NAME [--type A]     one query, print the answers
  rpc-server --listen ADDR:PORT                 HTTP JSON-RPC responder looking like an Ethereum node
  rpc-client --connect ADDR:PORT                a few eth_/net_ JSON-RPC POSTs, one connection each
  log-sink   --listen ADDR:PORT                 read newline-delimited JSON until EOF
  log-ship   --connect ADDR:PORT [--lines N]    send JSON log lines, one every --gap-ms
  typer     [--seed N] [--prompt RE] [--pause MIN MAX] --line CMD ... -- ARGV...
                                               run ARGV (e.g. ssh) in a pty with pexpect and type
                                               each CMD like a person: 80-350 ms between keys,
                                               the odd typo fixed with backspace, pauses between
                                               commands (--pause, default 0.8-2 s); the last CMD
                                               (e.g. exit) ends the session

Only the standard library plus scapy (for DNS encoding). Lab use only: the relay and the servers
bind to lab interfaces inside network namespaces.
"""
import argparse
import heapq
import http.client
import http.server
import json
import os
import select
import socket
import sys
import time

ETH_P_ALL = 0x0003
PACKET_OUTGOING = 4


def hostport(s, default_port=None):
    if ":" in s:
        h, p = s.rsplit(":", 1)
        return h, int(p)
    return s, default_port


def cmd_relay(a):
    socks = {}
    for name in (a.if_a, a.if_b):
        s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
        s.bind((name, 0))
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
        s.setblocking(False)
        socks[name] = s
    peer = {socks[a.if_a]: socks[a.if_b], socks[a.if_b]: socks[a.if_a]}
    delay = a.delay_ms / 1000.0
    q = []          # (release_time, seq, out_sock, frame)
    seq = 0
    last = {s: 0.0 for s in peer}   # keep per-direction order
    while True:
        now = time.monotonic()
        while q and q[0][0] <= now:
            _, _, out, frame = heapq.heappop(q)
            try:
                out.send(frame)
            except OSError as e:
                print("relay: send: %s" % e, file=sys.stderr)
        timeout = max(0.0, q[0][0] - time.monotonic()) if q else 1.0
        r, _, _ = select.select(list(peer), [], [], timeout)
        for s in r:
            while True:
                try:
                    frame, addr = s.recvfrom(65535)
                except BlockingIOError:
                    break
                if addr[2] == PACKET_OUTGOING:
                    continue
                t = max(time.monotonic() + delay, last[s])
                last[s] = t
                seq += 1
                heapq.heappush(q, (t, seq, peer[s], frame))


def cmd_probe(a):
    """Exit 0 when a TCP connect gets an answer (accepted or refused): the path works."""
    host, port = hostport(a.connect, 9)
    try:
        socket.create_connection((host, port), timeout=a.timeout).close()
    except ConnectionRefusedError:
        pass
    except OSError as e:
        print("probe: %s" % e, file=sys.stderr)
        sys.exit(1)


def cmd_dns_server(a):
    from scapy.layers.dns import DNS, DNSRR
    host, port = hostport(a.listen, 53)
    m = {}
    for kv in a.map:
        k, v = kv.split("=", 1)
        m[k.rstrip(".").lower()] = v
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((host, port))
    print("dns-server: listening on %s:%d" % (host, port), file=sys.stderr, flush=True)
    while True:
        data, peer = s.recvfrom(4096)
        try:
            q = DNS(data)
        except Exception:
            continue
        if q.qr != 0 or not q.qd:
            continue
        qd = q.qd[0] if hasattr(q.qd, "__getitem__") else q.qd
        name = qd.qname.decode(errors="replace").rstrip(".").lower()
        ip = m.get(name)
        if ip and qd.qtype == 1:
            r = DNS(id=q.id, qr=1, aa=1, rd=q.rd, ra=1, rcode=0, qd=q.qd,
                    an=DNSRR(rrname=qd.qname, type="A", ttl=300, rdata=ip))
        elif ip:
            r = DNS(id=q.id, qr=1, aa=1, rd=q.rd, ra=1, rcode=0, qd=q.qd)
        else:
            r = DNS(id=q.id, qr=1, aa=0, rd=q.rd, ra=1, rcode=3, qd=q.qd)
        s.sendto(bytes(r), peer)


def cmd_dns_query(a):
    from scapy.layers.dns import DNS, DNSQR
    host, port = hostport(a.server, 53)
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.settimeout(3)
    q = DNS(id=int.from_bytes(os.urandom(2), "big"), rd=1,
            qd=DNSQR(qname=a.name, qtype=a.type))
    s.sendto(bytes(q), (host, port))
    data, _ = s.recvfrom(4096)
    r = DNS(data)
    for i in range(r.ancount):
        rr = r.an[i]
        print("%s %s" % (rr.rrname.decode(), rr.rdata))


class RpcHandler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "Geth/v1.13.14-stable"
    sys_version = ""
    RESULTS = {
        "eth_blockNumber": "0x12a05f2",
        "eth_chainId": "0x1",
        "net_version": "1",
        "eth_syncing": False,
        "web3_clientVersion": "Geth/v1.13.14-stable/linux-amd64/go1.21.7",
        "eth_gasPrice": "0x3b9aca00",
    }

    def do_POST(self):
        n = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(n)
        try:
            req = json.loads(body)
            res = {"jsonrpc": "2.0", "id": req.get("id"),
                   "result": self.RESULTS.get(req.get("method"), None)}
        except ValueError:
            res = {"jsonrpc": "2.0", "id": None,
                   "error": {"code": -32700, "message": "parse error"}}
        out = json.dumps(res).encode() + b"\n"
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(out)))
        self.send_header("Vary", "Origin")
        self.end_headers()
        self.wfile.write(out)

    def log_message(self, fmt, *args):
        pass


def cmd_rpc_server(a):
    host, port = hostport(a.listen, 8545)
    srv = http.server.HTTPServer((host, port), RpcHandler)
    print("rpc-server: listening on %s:%d" % (host, port), file=sys.stderr, flush=True)
    srv.serve_forever()


def cmd_rpc_client(a):
    host, port = hostport(a.connect, 8545)
    calls = [("eth_blockNumber", []), ("eth_chainId", []), ("net_version", []),
             ("eth_syncing", []), ("eth_blockNumber", [])]
    for i, (m, p) in enumerate(calls, 1):
        c = http.client.HTTPConnection(host, port, timeout=5)
        body = json.dumps({"jsonrpc": "2.0", "method": m, "params": p, "id": i})
        c.request("POST", "/", body=body, headers={"Content-Type": "application/json",
                                                  "User-Agent": "Go-http-client/1.1"})
        r = c.getresponse()
        print(r.status, r.read().decode().strip())
        c.close()
        time.sleep(a.gap_ms / 1000.0)


def cmd_log_sink(a):
    host, port = hostport(a.listen, 5170)
    ls = socket.socket()
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind((host, port))
    ls.listen(4)
    print("log-sink: listening on %s:%d" % (host, port), file=sys.stderr, flush=True)
    while True:
        c, _ = ls.accept()
        n = 0
        while True:
            d = c.recv(65536)
            if not d:
                break
            n += d.count(b"\n")
        c.close()
        print("log-sink: %d lines" % n, file=sys.stderr, flush=True)


def cmd_log_ship(a):
    host, port = hostport(a.connect, 5170)
    s = socket.create_connection((host, port), timeout=5)
    msgs = [
        ("info", "epoch finished", {"epoch": 3, "loss": 0.4182, "step": 1200}),
        ("info", "checkpoint saved", {"path": "/ckpt/run42/step-1200.pt", "bytes": 734003200}),
        ("debug", "request done", {"method": "GET", "id": 17, "status": 200, "path": "/metrics"}),
        ("warn", "nccl slow", {"rank": 3, "params": ["allreduce", 2.75], "result": "retry"}),
        ("info", "dataloader", {"workers": 8, "queue": 64}),
    ]
    for i in range(a.lines):
        lvl, msg, extra = msgs[i % len(msgs)]
        rec = {"ts": "2026-01-01T00:00:%02d.%06dZ" % (i % 60, i * 1013 % 1000000),
               "level": lvl, "host": "gpu-node-07", "msg": msg}
        rec.update(extra)
        s.sendall(json.dumps(rec).encode() + b"\n")
        time.sleep(a.gap_ms / 1000.0)
    s.shutdown(socket.SHUT_WR)
    s.recv(1)
    s.close()


def cmd_typer(a):
    import pexpect
    import random
    rnd = random.Random(a.seed)
    argv = a.argv[1:] if a.argv and a.argv[0] == "--" else a.argv
    child = pexpect.spawn(argv[0], argv[1:], encoding="utf-8", timeout=a.timeout,
                          dimensions=(40, 120))
    child.logfile_read = sys.stderr
    child.expect(a.prompt)
    for n, line in enumerate(a.line):
        time.sleep(rnd.uniform(a.pause[0], a.pause[1]))
        for i, ch in enumerate(line):
            if i > 0 and rnd.random() < 0.07:
                child.send(rnd.choice("asdfjkl;eiru"))
                time.sleep(rnd.uniform(0.15, 0.4))
                child.send("\x7f")
                time.sleep(rnd.uniform(0.12, 0.3))
            child.send(ch)
            time.sleep(rnd.uniform(0.08, 0.35))
        time.sleep(rnd.uniform(0.1, 0.4))
        child.send("\r")
        if n == len(a.line) - 1:
            child.expect(pexpect.EOF)
        else:
            child.expect(a.prompt)
    child.close()
    sys.exit(child.exitstatus or 0)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sp = ap.add_subparsers(dest="cmd", required=True)
    p = sp.add_parser("relay")
    p.add_argument("--if-a", required=True)
    p.add_argument("--if-b", required=True)
    p.add_argument("--delay-ms", type=float, default=20)
    p = sp.add_parser("probe")
    p.add_argument("--connect", required=True)
    p.add_argument("--timeout", type=float, default=1.0)
    p = sp.add_parser("dns-server")
    p.add_argument("--listen", required=True)
    p.add_argument("--map", action="append", default=[])
    p = sp.add_parser("dns-query")
    p.add_argument("--server", required=True)
    p.add_argument("--type", default="A")
    p.add_argument("name")
    p = sp.add_parser("rpc-server")
    p.add_argument("--listen", required=True)
    p = sp.add_parser("rpc-client")
    p.add_argument("--connect", required=True)
    p.add_argument("--gap-ms", type=float, default=300)
    p = sp.add_parser("log-sink")
    p.add_argument("--listen", required=True)
    p = sp.add_parser("log-ship")
    p.add_argument("--connect", required=True)
    p.add_argument("--lines", type=int, default=12)
    p.add_argument("--gap-ms", type=float, default=150)
    p = sp.add_parser("typer")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--prompt", default=r"[$#] $")
    p.add_argument("--timeout", type=float, default=20)
    p.add_argument("--pause", type=float, nargs=2, default=[0.8, 2.0], metavar=("MIN", "MAX"),
                   help="seconds of thought before each command (default 0.8 2.0)")
    p.add_argument("--line", action="append", required=True)
    p.add_argument("argv", nargs=argparse.REMAINDER)
    a = ap.parse_args()
    {"typer": cmd_typer, "relay": cmd_relay, "probe": cmd_probe, "dns-server": cmd_dns_server, "dns-query": cmd_dns_query,
     "rpc-server": cmd_rpc_server, "rpc-client": cmd_rpc_client, "log-sink": cmd_log_sink,
     "log-ship": cmd_log_ship}[a.cmd](a)


if __name__ == "__main__":
    main()
