#!/usr/bin/env python3
"""mkcut.py SRC.pcap OUTDIR: classic pcap files cut or garbled on purpose.

From one little-endian microsecond capture, in each of the 4 classic
formats (le/be byte order x us/ns timestamps), writes:
  NAME-full        the packets as they are
  NAME-cutdata     cut 17 bytes before the end (in the last packet's bytes)
  NAME-cuthdr      cut 8 bytes into the first record header
  NAME-toolong     3rd record claims 262145 captured bytes (> libpcap's max)
  NAME-snap60      snaplen 60 in the file header: packets cut to 60 bytes
  NAME-snap60cut   the same, cut in the middle of the 6th packet's bytes (387 of them)
  NAME-snap60cut2  the same, cut within the first 60 bytes of the 6th packet
  NAME-ts2038      2nd record at 0x80000000 s with fraction 0xffffffff
  NAME-v23         version 2.3 with caplen and len swapped in every record
  NAME-big         the packets 120 times over (> 1 MiB: buffer refills)
Prints nothing; the CLI test reads the files and the stdin run is its oracle.
"""
import os
import struct
import sys


def records(data):
    recs, off = [], 24
    while off < len(data):
        sec, frac, cl, wl = struct.unpack('<IIII', data[off:off + 16])
        recs.append([sec, frac, cl, wl, data[off + 16:off + 16 + cl]])
        off += 16 + cl
    return recs


def build(fhdr, recs, be, ns, snap=None, ver=(2, 4), swap_lens=False):
    e = '>' if be else '<'
    magic, _, _, zone, sigfigs, snaplen, link = fhdr
    out = [struct.pack(e + 'IHHiIII', 0xa1b23c4d if ns else 0xa1b2c3d4,
                       ver[0], ver[1], zone, sigfigs,
                       snaplen if snap is None else snap, link)]
    for sec, frac, cl, wl, body in recs:
        if ns and frac < 1000000:
            frac = frac * 1000 + 123
        a, b = (wl, cl) if swap_lens else (cl, wl)
        out.append(struct.pack(e + 'IIII', sec, frac, a, b) + body)
    return b''.join(out)


def main():
    src, outdir = sys.argv[1], sys.argv[2]
    data = open(src, 'rb').read()
    fhdr = struct.unpack('<IHHiIII', data[:24])
    assert fhdr[0] == 0xa1b2c3d4, 'want a little-endian usec capture'
    recs = records(data)
    # the 6th record's bytes start after the file header and 5 records
    off6 = 24 + sum(16 + r[2] for r in recs[:5]) + 16
    for be in (False, True):
        for ns in (False, True):
            name = os.path.join(outdir, ('be' if be else 'le') +
                                ('ns' if ns else 'us'))

            def put(tag, blob):
                with open('%s-%s.pcap' % (name, tag), 'wb') as f:
                    f.write(blob)
            full = build(fhdr, recs, be, ns)
            put('full', full)
            put('cutdata', full[:-17])
            put('cuthdr', full[:24 + 8])
            bad = [r[:] for r in recs]
            bad[2][2] = 262145
            put('toolong', build(fhdr, bad, be, ns))
            s60 = build(fhdr, recs, be, ns, snap=60)
            put('snap60', s60)
            put('snap60cut', s60[:off6 + 100])
            put('snap60cut2', s60[:off6 + 30])
            ts = [r[:] for r in recs]
            ts[1][0], ts[1][1] = 0x80000000, 0xffffffff
            put('ts2038', build(fhdr, ts, be, ns))
            put('v23', build(fhdr, recs, be, ns, ver=(2, 3),
                             swap_lens=True))
            put('big', build(fhdr, recs * 120, be, ns))


if __name__ == '__main__':
    main()
