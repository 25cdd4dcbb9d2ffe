#!/usr/bin/python3
"""stratum-emu.py - a small Stratum pool / miner emulator for making test captures.

  stratum-emu.py --role pool  --dialect D --listen HOST:PORT [--once]
  stratum-emu.py --role miner --dialect D --connect HOST:PORT [--submits N] [--delay-ms MS]

Dialects (newline-delimited JSON over TCP, each from its public description):
  btc       Bitcoin Stratum V1: mining.subscribe, mining.authorize, mining.set_difficulty,
            mining.notify, mining.submit
  xmrig     Monero / XMRig: login (with "agent"), job, submit, keepalived
  ethproxy  ETH proxy (getwork over TCP): eth_submitLogin, eth_getWork, eth_submitHashrate,
            eth_submitWork, pool-pushed work as {"id":0,"result":[...]}
  nicehash  EthereumStratum/1.0.0 (NiceHash): mining.subscribe [agent,"EthereumStratum/1.0.0"],
            mining.extranonce.subscribe, mining.authorize, mining.set_difficulty,
            mining.set_extranonce, mining.notify, mining.submit

The miner runs a short scripted session (handshake, a job, --submits submits, a keepalive or
hashrate report) and closes; the pool answers any connection until killed (or one with --once).
All values are deterministic so captures are reproducible apart from timing and TCP details.
"""
import argparse
import json
import socket
import sys
import threading
import time

BTC_WALLET = "bc1qxy2kgdygjrsqtzq2n0yrf2493p83kkfjhx0wlh"
BTC_WORKER = BTC_WALLET + ".rig07"
XMR_WALLET = ("48edfHu7V9Z84YzzMa6fUueoELZ9ZRXq9VetWzYGzKt52XU5xvqgzYnDK9URnRoJMk1j8nLwEVsa"
              "SWJ4fhdUyZijBGUicoD")
XMR_AGENT = "XMRig/6.21.0 (Linux x86_64) libuv/1.44.2 gcc/12.2.0"
ETH_WALLET = "0x52bc44d5378309ee2abf1539bf71de1b7d7be3b5"
ETH_WORKER = "rig07"
NH_AGENT = "ethminer/0.19.0"


def dumps(obj):
    return (json.dumps(obj, separators=(",", ":")) + "\n").encode()


class Conn:
    def __init__(self, sock, name):
        self.s = sock
        self.buf = b""
        self.name = name

    def send(self, obj):
        self.s.sendall(dumps(obj))

    def recv(self, timeout=10.0):
        self.s.settimeout(timeout)
        while b"\n" not in self.buf:
            d = self.s.recv(65536)
            if not d:
                return None
            self.buf += d
        line, self.buf = self.buf.split(b"\n", 1)
        return json.loads(line)

    def wait_id(self, want):
        """Read until the reply with id == want; return it (pushed notifications are skipped)."""
        while True:
            m = self.recv()
            if m is None:
                raise EOFError("pool closed")
            if m.get("id") == want and "method" not in m:
                return m


def hexs(seed, n):
    """Deterministic hex string of n bytes."""
    out = []
    x = seed & 0xffffffff or 1
    for _ in range(n):
        x = (x * 1103515245 + 12345) & 0x7fffffff
        out.append("%02x" % ((x >> 16) & 0xff))
    return "".join(out)


# ---------------------------------------------------------------- pool side

def pool_btc(c, a):
    jobs = 0
    while True:
        m = c.recv(timeout=60)
        if m is None:
            return
        mid, meth = m.get("id"), m.get("method")
        if meth == "mining.subscribe":
            c.send({"id": mid, "result": [[["mining.set_difficulty", "b4b6693b72a50c7116db18d6497cac52"],
                                           ["mining.notify", "ae6812eb4cd7735a302a8a9dd95cf71f"]],
                                          "08000002", 4], "error": None})
        elif meth == "mining.authorize":
            c.send({"id": mid, "result": True, "error": None})
            time.sleep(a.delay_ms / 1000.0)
            c.send({"id": None, "method": "mining.set_difficulty", "params": [8192]})
            jobs += 1
            c.send(btc_notify(jobs, True))
        elif meth == "mining.submit":
            c.send({"id": mid, "result": True, "error": None})
            if mid % 2 == 0:
                time.sleep(a.delay_ms / 1000.0)
                jobs += 1
                c.send(btc_notify(jobs, False))
        elif meth == "mining.extranonce.subscribe":
            c.send({"id": mid, "result": True, "error": None})
        else:
            c.send({"id": mid, "result": None, "error": [20, "Unsupported method", None]})


def btc_notify(n, clean):
    return {"id": None, "method": "mining.notify", "params": [
        "%x" % (0x1d4f + n),
        hexs(n, 32),
        "01000000010000000000000000000000000000000000000000000000000000000000000000ffffffff20020862062f503253482f04b8864e5008",
        "072f736c7573682f000000000100f2052a010000001976a914d23fcdf86f7e756a64a7a9688ef9903327048ed988ac00000000",
        [hexs(n + 100, 32), hexs(n + 200, 32)],
        "20000000", "1703a30c", "%08x" % (0x65920000 + n * 30), clean]}


def xmr_job(n):
    return {"blob": "1010" + hexs(n, 37) + "00000000" + hexs(n + 7, 33) + "02",
            "job_id": "%d" % (614000 + n), "target": "b88d0600", "algo": "rx/0",
            "height": 3145000 + n, "seed_hash": hexs(99, 32)}


def pool_xmrig(c, a):
    sess = "5e2f1a9c-04d1-4b7a-9d0e-6f3a2c81b7e4"
    n = 0
    while True:
        m = c.recv(timeout=60)
        if m is None:
            return
        mid, meth = m.get("id"), m.get("method")
        if meth == "login":
            n += 1
            c.send({"id": mid, "jsonrpc": "2.0", "error": None,
                    "result": {"id": sess, "job": xmr_job(n),
                               "extensions": ["algo", "nicehash", "connect", "tls", "keepalive"],
                               "status": "OK"}})
        elif meth == "submit":
            c.send({"id": mid, "jsonrpc": "2.0", "error": None, "result": {"status": "OK"}})
            if mid % 2 == 0:
                time.sleep(a.delay_ms / 1000.0)
                n += 1
                c.send({"jsonrpc": "2.0", "method": "job", "params": xmr_job(n)})
        elif meth == "keepalived":
            c.send({"id": mid, "jsonrpc": "2.0", "error": None, "result": {"status": "KEEPALIVED"}})
        else:
            c.send({"id": mid, "jsonrpc": "2.0", "error": {"code": -1, "message": "Unsupported method"}})


def eth_work(n):
    return ["0x" + hexs(n, 32), "0x" + hexs(500, 32), "0x00000000ffff0000000000000000000000000000000000000000000000000000"]


def pool_ethproxy(c, a):
    n = 1
    while True:
        m = c.recv(timeout=60)
        if m is None:
            return
        mid, meth = m.get("id"), m.get("method")
        if meth == "eth_submitLogin":
            c.send({"id": mid, "jsonrpc": "2.0", "result": True})
        elif meth == "eth_getWork":
            c.send({"id": mid, "jsonrpc": "2.0", "result": eth_work(n)})
        elif meth == "eth_submitHashrate":
            c.send({"id": mid, "jsonrpc": "2.0", "result": True})
        elif meth == "eth_submitWork":
            c.send({"id": mid, "jsonrpc": "2.0", "result": True})
            time.sleep(a.delay_ms / 1000.0)
            n += 1
            c.send({"id": 0, "jsonrpc": "2.0", "result": eth_work(n)})
        else:
            c.send({"id": mid, "jsonrpc": "2.0", "result": None,
                    "error": {"code": -32601, "message": "Method not found"}})


def nh_notify(n):
    return {"id": None, "method": "mining.notify",
            "params": ["%08x" % (0xbf0488aa + n), hexs(500, 32), hexs(n, 32), True]}


def pool_nicehash(c, a):
    n = 0
    while True:
        m = c.recv(timeout=60)
        if m is None:
            return
        mid, meth = m.get("id"), m.get("method")
        if meth == "mining.subscribe":
            c.send({"id": mid, "result": [["mining.notify", "ae6812eb4cd7735a302a8a9dd95cf71f",
                                           "EthereumStratum/1.0.0"], "080c"], "error": None})
        elif meth == "mining.extranonce.subscribe":
            c.send({"id": mid, "result": True, "error": None})
        elif meth == "mining.authorize":
            c.send({"id": mid, "result": True, "error": None})
            time.sleep(a.delay_ms / 1000.0)
            c.send({"id": None, "method": "mining.set_difficulty", "params": [0.5]})
            n += 1
            c.send(nh_notify(n))
        elif meth == "mining.submit":
            c.send({"id": mid, "result": True, "error": None})
            if mid == 5:
                time.sleep(a.delay_ms / 1000.0)
                c.send({"id": None, "method": "mining.set_extranonce", "params": ["af4c"]})
                n += 1
                c.send(nh_notify(n))
        else:
            c.send({"id": mid, "result": None, "error": [20, "Unsupported method", None]})


POOLS = {"btc": pool_btc, "xmrig": pool_xmrig, "ethproxy": pool_ethproxy, "nicehash": pool_nicehash}


def run_pool(a):
    host, port = a.listen.rsplit(":", 1)
    ls = socket.socket()
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind((host, int(port)))
    ls.listen(8)
    print("pool: %s listening on %s" % (a.dialect, a.listen), file=sys.stderr, flush=True)

    def serve(s, peer):
        c = Conn(s, "pool")
        try:
            POOLS[a.dialect](c, a)
        except (OSError, ValueError, EOFError) as e:
            print("pool: %s: %s" % (peer, e), file=sys.stderr)
        finally:
            s.close()

    while True:
        s, peer = ls.accept()
        if a.once:
            serve(s, peer)
            return
        threading.Thread(target=serve, args=(s, peer), daemon=True).start()


# ---------------------------------------------------------------- miner side

def miner_btc(c, a, pause):
    c.send({"id": 1, "method": "mining.subscribe", "params": ["cgminer/4.10.0"]})
    r = c.wait_id(1)
    extranonce1, en2size = r["result"][1], r["result"][2]
    c.send({"id": 2, "method": "mining.authorize", "params": [BTC_WORKER, "x"]})
    c.wait_id(2)
    job = None
    while job is None:
        m = c.recv()
        if m and m.get("method") == "mining.notify":
            job = m["params"]
    for i in range(a.submits):
        pause()
        mid = 3 + i
        c.send({"id": mid, "method": "mining.submit",
                "params": [BTC_WORKER, job[0], hexs(mid, en2size), job[7], hexs(mid + 50, 4)]})
        c.wait_id(mid)
    _ = extranonce1


def miner_xmrig(c, a, pause):
    c.send({"id": 1, "jsonrpc": "2.0", "method": "login",
            "params": {"login": XMR_WALLET, "pass": "x", "agent": XMR_AGENT,
                       "algo": ["cn/1", "cn/2", "cn/r", "cn/fast", "cn/half", "cn/xao", "cn/rto",
                                "cn/rwz", "cn/zls", "cn/double", "cn/ccx", "cn-lite/1",
                                "cn-heavy/0", "cn-heavy/tube", "cn-heavy/xhv", "cn-pico",
                                "cn-pico/tlo", "cn/upx2", "rx/0", "rx/wow", "rx/arq",
                                "rx/graft", "rx/sfx", "rx/keva", "argon2/chukwa",
                                "argon2/chukwav2", "argon2/ninja", "ghostrider"]}})
    r = c.wait_id(1)
    sess = r["result"]["id"]
    job = r["result"]["job"]
    mid = 1
    for i in range(a.submits):
        pause()
        mid += 1
        c.send({"id": mid, "jsonrpc": "2.0", "method": "submit",
                "params": {"id": sess, "job_id": job["job_id"], "nonce": hexs(mid, 4),
                           "result": hexs(mid + 1000, 32), "algo": "rx/0"}})
        c.wait_id(mid)
    pause()
    mid += 1
    c.send({"id": mid, "jsonrpc": "2.0", "method": "keepalived", "params": {"id": sess}})
    c.wait_id(mid)


def miner_ethproxy(c, a, pause):
    c.send({"id": 1, "jsonrpc": "2.0", "method": "eth_submitLogin", "worker": ETH_WORKER,
            "params": [ETH_WALLET + "." + ETH_WORKER, "x"]})
    c.wait_id(1)
    c.send({"id": 2, "jsonrpc": "2.0", "method": "eth_getWork", "params": []})
    work = c.wait_id(2)["result"]
    c.send({"id": 3, "jsonrpc": "2.0", "method": "eth_submitHashrate",
            "params": ["0x%064x" % 61500000, "0x" + hexs(3, 32)], "worker": ETH_WORKER})
    c.wait_id(3)
    mid = 3
    for i in range(a.submits):
        pause()
        mid += 1
        c.send({"id": mid, "jsonrpc": "2.0", "method": "eth_submitWork", "worker": ETH_WORKER,
                "params": ["0x" + hexs(mid, 8), work[0], "0x" + hexs(mid + 77, 32)]})
        c.wait_id(mid)
        # pushed work: {"id":0,"result":[...]}
        m = c.recv()
        if m and m.get("id") == 0:
            work = m["result"]


def miner_nicehash(c, a, pause):
    c.send({"id": 1, "method": "mining.subscribe", "params": [NH_AGENT, "EthereumStratum/1.0.0"]})
    r = c.wait_id(1)
    c.send({"id": 2, "method": "mining.extranonce.subscribe", "params": []})
    c.wait_id(2)
    c.send({"id": 3, "method": "mining.authorize", "params": [ETH_WALLET + "." + ETH_WORKER, "x"]})
    c.wait_id(3)
    job = None
    while job is None:
        m = c.recv()
        if m and m.get("method") == "mining.notify":
            job = m["params"]
    mid = 3
    for i in range(a.submits):
        pause()
        mid += 1
        c.send({"id": mid, "method": "mining.submit",
                "params": [ETH_WALLET + "." + ETH_WORKER, job[0], hexs(mid, 6)]})
        c.wait_id(mid)
    _ = r


MINERS = {"btc": miner_btc, "xmrig": miner_xmrig, "ethproxy": miner_ethproxy,
          "nicehash": miner_nicehash}


def run_miner(a):
    host, port = a.connect.rsplit(":", 1)
    s = socket.create_connection((host, int(port)), timeout=10)
    c = Conn(s, "miner")

    def pause():
        time.sleep(a.delay_ms / 1000.0)

    MINERS[a.dialect](c, a, pause)
    time.sleep(a.delay_ms / 2000.0)
    s.shutdown(socket.SHUT_WR)
    s.settimeout(5)
    try:
        while s.recv(65536):
            pass
    except OSError:
        pass
    s.close()


def main():
    ap = argparse.ArgumentParser(description="Stratum pool/miner emulator")
    ap.add_argument("--role", choices=["pool", "miner"], required=True)
    ap.add_argument("--dialect", choices=sorted(POOLS), required=True)
    ap.add_argument("--listen", help="pool: HOST:PORT")
    ap.add_argument("--connect", help="miner: HOST:PORT")
    ap.add_argument("--submits", type=int, default=3)
    ap.add_argument("--delay-ms", type=float, default=700,
                    help="pause between miner steps / before pool pushes")
    ap.add_argument("--once", action="store_true", help="pool: serve one connection, then exit")
    a = ap.parse_args()
    if a.role == "pool":
        if not a.listen:
            ap.error("--role pool needs --listen")
        run_pool(a)
    else:
        if not a.connect:
            ap.error("--role miner needs --connect")
        run_miner(a)


if __name__ == "__main__":
    main()
