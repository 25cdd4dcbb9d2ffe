#!/usr/bin/env python3
"""pcap-feed.py - play captures into a pipe slowly, as a live link would.

    pcap-feed.py [--loops N] [--pps P] [--gap S] [--start T] FILE.pcap... | egress-sensor -r - ...

Writes one classic pcap stream (microsecond timestamps) to stdout: every
FILE in turn, the whole list --loops times.  Timestamps are shifted so
that packet time only goes forward and each file starts --gap seconds of
packet time after the previous one ended (past every idle timeout, so the
flows of one file are reported while the next plays, and each replay of a
file is a new set of flows with new flow_ids).  --start is the packet time
of the first packet (Unix seconds).  Throttled to --pps packets per wall
second, flushed after every packet, so a fault injected at a wall time
lands mid-capture.  All files must share one link type.  Stops quietly
when the reader goes away.  Standard library only.
"""
import argparse
import struct
import sys
import time


def read_pcap(path):
    with open(path, "rb") as f:
        data = f.read()
    magic = struct.unpack("<I", data[:4])[0]
    if magic in (0xA1B2C3D4, 0xA1B23C4D):
        end = "<"
    elif magic in (0xD4C3B2A1, 0x4D3CB2A1):
        end = ">"
    else:
        sys.exit("pcap-feed: %s: not a classic pcap" % path)
    nano = magic in (0xA1B23C4D, 0x4D3CB2A1)
    linktype = struct.unpack(end + "I", data[20:24])[0]
    pkts, off = [], 24
    while off + 16 <= len(data):
        sec, frac, incl, orig = struct.unpack(end + "IIII", data[off:off + 16])
        us = sec * 1000000 + (frac // 1000 if nano else frac)
        pkts.append((us, orig, data[off + 16:off + 16 + incl]))
        off += 16 + incl
    return linktype, pkts


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--loops", type=int, default=1)
    ap.add_argument("--pps", type=float, default=500.0)
    ap.add_argument("--gap", type=float, default=4000.0)
    ap.add_argument("--start", type=float, default=1800000000.0)
    ap.add_argument("files", nargs="+")
    a = ap.parse_args()
    caps = [read_pcap(p) for p in a.files]
    links = {c[0] for c in caps}
    if len(links) != 1:
        sys.exit("pcap-feed: the files have different link types")
    out = sys.stdout.buffer
    out.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 262144,
                          links.pop()))
    cursor = int(a.start * 1e6)
    gap = int(a.gap * 1e6)
    t0, n = time.monotonic(), 0
    try:
        for _ in range(a.loops):
            for _, pkts in caps:
                if not pkts:
                    continue
                shift = cursor - pkts[0][0]
                for us, orig, data in pkts:
                    ts = us + shift
                    cursor = max(cursor, ts)
                    out.write(struct.pack("<IIII", ts // 1000000,
                                          ts % 1000000, len(data), orig))
                    out.write(data)
                    out.flush()
                    n += 1
                    ahead = t0 + n / a.pps - time.monotonic()
                    if ahead > 0:
                        time.sleep(ahead)
                cursor += gap
    except BrokenPipeError:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
