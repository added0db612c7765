#!/usr/bin/env python3
"""adversarial.py - adversarial captures for the resource-limit checks
(tests/cli/limits.sh) and the linearity bench (bench/run.sh). Made in the
test run, not committed (they are large).

    adversarial.py tiny OUT MB     about MB megabytes of tiny frames
    adversarial.py big OUT KIB     one frame of KIB kibibytes (snaplen 262144)
    adversarial.py frag OUT MB     about MB megabytes of copies of one IP fragment

tiny: Ethernet frames of 1 to 61 bytes, round robin over the patterns that
make per-frame state grow: 1-byte TCP segments of an HTTP response that
announces a 1 GiB body (everything stays pending until the limit or the
end), of a chunked HTTP response made of 1-byte chunks, of an HTTP request
whose header lines never end, and of a TLS record stream; DNS queries each
from a new UDP port (a conversation each), first IPv4 fragments each of a
new datagram (a reassembly group each), and 1-byte frames (cut Ethernet).

big: one Ethernet/IPv4/TCP frame to port 80 whose IPv4 and TCP headers
claim 65535 bytes, carrying an HTTP request with thousands of header lines
(one header line per 8 bytes) and, past the IP length, a trailer of escape
bytes; captured whole (snaplen 262144, libpcap's maximum).

frag: the last fragment (offset 800, no MF) of one IPv4 datagram, then
copies of one of its middle fragments; the first never comes, so the
datagram stays open and every copy is one more fragment of it.
"""
import struct, sys

def pcap_header(snaplen):
    return struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, snaplen, 1)

def rec(ts, data):
    return struct.pack("<IIII", ts // 1000000, ts % 1000000, len(data), len(data)) + data

def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff

ETH = bytes.fromhex("020000000002" "020000000001" "0800")

def ipv4(proto, payload, src=0x0a000001, dst=0x0a000002, ident=1, frag=0, total=None):
    total = total if total is not None else 20 + len(payload)
    h = struct.pack("!BBHHHBBHII", 0x45, 0, total & 0xffff, ident & 0xffff, frag, 64, proto, 0, src, dst)
    h = h[:10] + struct.pack("!H", csum(h)) + h[12:]
    return h + payload

def tcp(sport, dport, seq, payload, flags=0x18):
    return struct.pack("!HHIIBBHHH", sport, dport, seq & 0xffffffff, 1, 5 << 4, flags, 65535, 0, 0) + payload

def udp(sport, dport, payload):
    return struct.pack("!HHHH", sport, dport, 8 + len(payload), 0) + payload

class Stream:
    """A TCP direction sent one byte a segment; head, then body repeated."""
    def __init__(self, sport, head, body):
        self.sport, self.head, self.body, self.pos, self.seq = sport, head, body, 0, 1000
    def frame(self):
        p = self.pos
        b = self.head[p] if p < len(self.head) else self.body[(p - len(self.head)) % len(self.body)]
        self.pos += 1
        fr = ETH + ipv4(6, tcp(self.sport, 40000 + self.sport % 1000, self.seq, bytes([b])), 0x0a000002, 0x0a000001)
        self.seq += 1
        return fr

def tiny(out, mb):
    want = mb * 1000000
    streams = [
        Stream(80, b"HTTP/1.1 200 OK\r\nContent-Length: 1073741824\r\n\r\n", b"a"),
        Stream(8080, b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", b"1\r\nz\r\n"),
        Stream(3128, b"GET / HTTP/1.1\r\n", b"x: y\r\n"),
        Stream(443, b"", b"\x17\x03\x03\x40\x00" + b"B" * 16384),
    ]
    dnsq = bytes.fromhex("abcd01000001000000000000") + b"\x01a\x00\x00\x01\x00\x01"
    with open(out, "wb") as f:
        f.write(pcap_header(65535))
        size, ts, i = 24, 0, 0
        port = frag_id = 0
        chunks = []
        while size < want:
            k = i % 7
            if k < 4:
                fr = streams[k].frame()
            elif k == 4:  # a DNS query from a new port: a new conversation
                port = port % 60000 + 1
                fr = ETH + ipv4(17, udp(1024 + port, 53, dnsq), 0x0a000001 + (i >> 16), 0x0a000002)
            elif k == 5:  # the first fragment of a new datagram
                frag_id += 1
                fr = ETH + ipv4(17, b"\0" * 8, ident=frag_id, frag=0x2000)
            else:         # a cut Ethernet header
                fr = b"\x02"
            r = rec(ts, fr)
            chunks.append(r)
            size += len(r)
            ts += 7
            i += 1
            if len(chunks) >= 65536:
                f.write(b"".join(chunks))
                chunks = []
        f.write(b"".join(chunks))
    return i

def frag(out, mb):
    want = mb * 1000000
    last = rec(0, ETH + ipv4(17, b"L" * 8, 0x0a090909, ident=0xfff0, frag=100))
    mid = ETH + ipv4(17, b"D" * 8, 0x0a090909, ident=0xfff0, frag=0x2000 | 1)
    with open(out, "wb") as f:
        f.write(pcap_header(65535))
        f.write(last)
        size, i, chunks = 24 + len(last), 1, []
        while size < want:
            r = rec(i * 7, mid)
            chunks.append(r)
            size += len(r)
            i += 1
        f.write(b"".join(chunks))
    return i

def big(out, kib):
    n = kib * 1024
    http = b"GET /" + b"A" * 32 + b" HTTP/1.1\r\nHost: big\r\n"
    ip_payload_max = 65535 - 20 - 20
    lines = b"x: abc\r\n" * ((ip_payload_max - len(http) - 2) // 8)
    payload = (http + lines + b"\r\n")[:ip_payload_max]
    fr = ETH + ipv4(6, tcp(40000, 80, 1, payload), total=65535)
    fr += b"\x1b[2J\x1b]52;c;AAAA\x07" * ((n - len(fr)) // 16 + 1)
    fr = fr[:n]
    with open(out, "wb") as f:
        f.write(pcap_header(262144))
        f.write(rec(0, fr))
    return 1

if __name__ == "__main__":
    modes = {"tiny": tiny, "big": big, "frag": frag}
    if len(sys.argv) != 4 or sys.argv[1] not in modes:
        sys.exit(__doc__)
    n = modes[sys.argv[1]](sys.argv[2], int(sys.argv[3]))
    print("%s: %d frames" % (sys.argv[2], n))
