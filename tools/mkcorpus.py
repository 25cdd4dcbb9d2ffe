#!/usr/bin/python3
"""Builds tests/fuzz/corpus/decode/ from the captures in pcaps/: for each
capture, up to 40 consecutive Ethernet frames as one fuzz input (2-byte
length + frame each).  Plain pcap files with DLT_EN10MB only.  Stdlib only."""
import os, struct, sys

def frames(path):
    with open(path, "rb") as f:
        hdr = f.read(24)
        if len(hdr) < 24:
            return
        magic = struct.unpack("<I", hdr[:4])[0]
        if magic in (0xa1b2c3d4, 0xa1b23c4d):
            e = "<"
        elif magic in (0xd4c3b2a1, 0x4d3cb2a1):
            e = ">"
        else:
            return
        if struct.unpack(e + "I", hdr[20:24])[0] != 1:
            return
        while True:
            rec = f.read(16)
            if len(rec) < 16:
                return
            _, _, incl, _ = struct.unpack(e + "IIII", rec)
            if incl > 262144:
                return
            data = f.read(incl)
            if len(data) < incl:
                return
            yield data

out = sys.argv[1] if len(sys.argv) > 1 else "tests/fuzz/corpus/decode"
os.makedirs(out, exist_ok=True)
for root, _, names in os.walk("pcaps"):
    for name in sorted(names):
        if not name.endswith(".pcap"):
            continue
        fr = list(frames(os.path.join(root, name)))
        for i in range(0, min(len(fr), 120), 40):
            blob = b"".join(struct.pack(">H", min(len(x), 65535)) + x[:65535]
                            for x in fr[i:i + 40])
            with open(os.path.join(out, "%s-%d" % (name[:-5], i)), "wb") as f:
                f.write(blob)
