#!/bin/sh
# mkbig.sh OUT - a pcap of 6000 small UDP frames whose last record is cut
# short: the capture's warning ("file cut at offset ...") is found only
# after the first 5000 frames, which the workbench indexes from its loop.
set -eu
python3 - "$1" <<'PY'
import struct, sys
out = open(sys.argv[1], "wb")
out.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
def frame(i):
    payload = b"x" * 16
    udp = struct.pack(">HHHH", 5000, 6000, 8 + len(payload), 0) + payload
    ip = struct.pack(">BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), i & 0xffff, 0, 64, 17, 0,
                     bytes([10, 0, 0, 1]), bytes([10, 0, 0, 2])) + udp
    return b"\x00\x11\x22\x33\x44\x55\x00\x66\x77\x88\x99\xaa\x08\x00" + ip
for i in range(6000):
    f = frame(i)
    out.write(struct.pack("<IIII", 1700000000 + i // 1000, (i % 1000) * 1000, len(f), len(f)) + f)
f = frame(6000)
out.write(struct.pack("<IIII", 1700000006, 0, len(f), len(f)) + f[:10])  # cut short
PY
