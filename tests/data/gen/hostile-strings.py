#!/usr/bin/env python3
"""hostile-strings.py - terminal-safety test data (issue 10).

    tests/data/gen/hostile-strings.py   writes
        tests/data/captures/hostile-strings.pcapng
        tests/data/events/hostile-strings.ndjson

Frames (Ethernet/IPv4, fixed addresses and times): an HTTP request and
response, a DNS query, a TLS ClientHello and a TLS Certificate message, each
carrying in header values / names / SNI / the certificate subject: CSI
(ESC [ 31 m), an OSC 52 clipboard write (ESC ] 52 ; c ; ... BEL), a title
change (ESC ] 0 ; ... BEL), the C1 CSI 0x9b in raw and UTF-8 form, U+202E
(RIGHT-TO-LEFT OVERRIDE) and invalid UTF-8. The event export carries the
same in an event's provider, computer and message, and in the event data
of a Schannel 36888 whose message tracewb writes from its catalog. Deterministic: the certificate's key is fixed (seeded
from a constant) so the output is the same on every run.
"""
import os, struct, datetime

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
EVIL = (b"\x1b[31mRED\x1b[0m" b"\x1b]52;c;ZXZpbA==\x07" b"\x1b]0;pwned\x07"
        b"\x9b" b"\xc2\x9b2J" b"\xe2\x80\xaeRLO" b"\xff\xfe")
EVIL_NAME = b"x\x1b[31m.\x1b]0;t\x07.\x9b.\xe2\x80\xae.\xff"

def csum(b):
    if len(b) % 2: b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16: s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff

def ipv4(proto, src, dst, payload):
    h = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), 1, 0x4000, 64, proto, 0, src, dst)
    h = h[:10] + struct.pack("!H", csum(h)) + h[12:]
    return h + payload

def tcp(src, dst, sp, dp, seq, ack, flags, data):
    h = struct.pack("!HHIIBBHHH", sp, dp, seq, ack, 5 << 4, flags, 65535, 0, 0)
    ph = src + dst + struct.pack("!BBH", 0, 6, len(h) + len(data))
    c = csum(ph + h + data)
    return h[:16] + struct.pack("!H", c) + h[18:] + data

def udp(src, dst, sp, dp, data):
    h = struct.pack("!HHHH", sp, dp, 8 + len(data), 0)
    ph = src + dst + struct.pack("!BBH", 0, 17, len(h) + len(data))
    return h[:6] + struct.pack("!H", csum(ph + h + data) or 0xffff) + data

def eth(payload):
    return b"\x00\x11\x22\x33\x44\x55" + b"\x66\x77\x88\x99\xaa\xbb" + b"\x08\x00" + payload

C, S = bytes([10, 0, 0, 1]), bytes([10, 0, 0, 2])
frames = []
def tcpf(a, b, sp, dp, seq, ack, flags, data=b""):
    frames.append(eth(ipv4(6, a, b, tcp(a, b, sp, dp, seq, ack, flags, data))))

# HTTP
req = b"GET /" + b"%1b" + b" HTTP/1.1\r\nHost: ex" + EVIL + b"\r\nUser-Agent: " + EVIL + b"\r\n\r\n"
rsp = b"HTTP/1.1 200 OK\r\nServer: " + EVIL + b"\r\nContent-Length: 0\r\n\r\n"
tcpf(C, S, 40000, 80, 1000, 0, 0x02)
tcpf(S, C, 80, 40000, 5000, 1001, 0x12)
tcpf(C, S, 40000, 80, 1001, 5001, 0x10)
tcpf(C, S, 40000, 80, 1001, 5001, 0x18, req)
tcpf(S, C, 80, 40000, 5001, 1001 + len(req), 0x18, rsp)

# DNS query: raw label bytes
def dname(labels):
    return b"".join(bytes([len(l)]) + l for l in labels) + b"\0"
q = struct.pack("!HHHHHH", 0x1234, 0x0100, 1, 0, 0, 0) + dname(EVIL_NAME.split(b".") + [b"test"]) + struct.pack("!HH", 1, 1)
frames.append(eth(ipv4(17, C, S, udp(C, S, 53000, 53, q))))

# TLS ClientHello with SNI
sni = b"a" + EVIL + b".example"
sn_ext = struct.pack("!HBH", len(sni) + 3, 0, len(sni)) + sni
ext = struct.pack("!HH", 0, len(sn_ext)) + sn_ext
body = b"\x03\x03" + bytes(32) + b"\x00" + b"\x00\x02\x00\x2f" + b"\x01\x00" + struct.pack("!H", len(ext)) + ext
hs = b"\x01" + struct.pack("!I", len(body))[1:] + body
rec = b"\x16\x03\x01" + struct.pack("!H", len(hs)) + hs
tcpf(C, S, 40001, 443, 2000, 0, 0x02)
tcpf(S, C, 443, 40001, 7000, 2001, 0x12)
tcpf(C, S, 40001, 443, 2001, 7001, 0x10)
tcpf(C, S, 40001, 443, 2001, 7001, 0x18, rec)

# TLS ServerHello + Certificate with a hostile subject
cert_der = b""
try:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID
    key = ec.derive_private_key(0x1234567890abcdef, ec.SECP256R1())
    cn = EVIL.decode("utf-8", "replace").replace("\ufffd", "?")
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, "\x1b]52;c;ZXZpbA==\x07\u202eorg")])
    t0 = datetime.datetime(2024, 1, 1)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(1).not_valid_before(t0).not_valid_after(t0 + datetime.timedelta(days=365))
            .sign(key, hashes.SHA256()))
    cert_der = cert.public_bytes(serialization.Encoding.DER)
except ImportError:
    pass
sh_body = b"\x03\x03" + bytes(32) + b"\x00" + b"\x00\x2f" + b"\x00" + b"\x00\x00"
shm = b"\x02" + struct.pack("!I", len(sh_body))[1:] + sh_body
clist = struct.pack("!I", len(cert_der))[1:] + cert_der
cbody = struct.pack("!I", len(clist))[1:] + clist
cm = b"\x0b" + struct.pack("!I", len(cbody))[1:] + cbody
hs2 = shm + cm
rec2 = b"\x16\x03\x03" + struct.pack("!H", len(hs2)) + hs2
tcpf(S, C, 443, 40001, 7001, 2001 + len(rec), 0x18, rec2)

def block(t, body):
    body += bytes(-len(body) % 4)
    return struct.pack("<II", t, len(body) + 12) + body + struct.pack("<I", len(body) + 12)
out = block(0x0A0D0D0A, struct.pack("<IHHq", 0x1A2B3C4D, 1, 0, -1))
out += block(1, struct.pack("<HHI", 1, 0, 65535))
ts = 1700000000 * 1000000
for i, f in enumerate(frames):
    t = ts + i * 1000
    out += block(6, struct.pack("<IIIII", 0, t >> 32, t & 0xffffffff, len(f), len(f)) + f)
open(os.path.join(ROOT, "captures", "hostile-strings.pcapng"), "wb").write(out)

# JSON needs control characters escaped; U+202E and U+009B go in raw UTF-8.
esc = '\\u001b[31mRED\\u001b[0m\\u001b]52;c;ZXZpbA==\\u0007\\u001b]0;pwned\\u0007\\u009b\\u202e\\ud800'
line = ('{"SourceName":"Evil' + esc + '","Level":"2","Channel":"System","Hostname":"h' + esc + '",'
        '"TimeCreated":"2023-11-14T22:13:20.000Z","EventID":1,"Message":"msg ' + esc +
        ' raw:\u202e\u009bRLO"}\n').encode("utf-8")
# A Schannel 36888 (Winlogbeat 8 layout) without a message: tracewb writes
# the message from its catalog with the event data, whose TargetName (the
# SNI of frame 10) and ErrorState carry the same sequences.
sni = ('a\\u001b[31mRED\\u001b[0m\\u001b]52;c;ZXZpbA==\\u0007\\u001b]0;pwned\\u0007\\u009b'
       '\\u202eRLO.example')
line += ('{"@timestamp":"2023-11-14T22:13:20.0105Z","event":{"code":"36888","provider":"Schannel"},'
         '"log":{"level":"error"},"winlog":{"channel":"System","computer_name":"WS01",'
         '"event_data":{"AlertDesc":"48","ErrorState":"252' + esc + '","TargetName":"' + sni + '"},'
         '"event_id":"36888","provider_name":"Schannel","record_id":2}}\n').encode("utf-8")
open(os.path.join(ROOT, "events", "hostile-strings.ndjson"), "wb").write(line)
