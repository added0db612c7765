#!/usr/bin/env python3
"""Write the TLS captures of the certificate fixtures (see make-certs.sh).

    mkcap.py DIR        # reads DIR/chain-*.pem, DIR/*.pem, DIR/*.crl; writes DIR/*.pcap

Each capture is a classic pcap (microseconds, Ethernet) of TLS 1.2
connections built byte for byte from RFC 5246 (records, ClientHello with
server_name, ServerHello, Certificate, CertificateRequest, ServerHelloDone,
ClientKeyExchange, ChangeCipherSpec, alerts) over TCP/IPv4 with correct
checksums, and HTTP/1.1 CRL fetches (RFC 9112). The certificates are the
DER of the PEM files as openssl wrote them. Deterministic: fixed times
(2026-06-01 12:00:00 UTC onwards, 1 ms apart), randoms and ports.
Only the standard library is used.
"""
import base64
import calendar
import hashlib
import os
import struct
import sys
import urllib.parse

T0 = calendar.timegm((2026, 6, 1, 12, 0, 0))
CLIENT, SERVER, CRLSRV = "10.9.0.1", "10.9.0.2", "10.9.0.5"
MSS = 1448


def pem_certs(path):
    out, cur = [], None
    for line in open(path):
        line = line.strip()
        if line == "-----BEGIN CERTIFICATE-----":
            cur = []
        elif line == "-----END CERTIFICATE-----":
            out.append(base64.b64decode("".join(cur)))
            cur = None
        elif cur is not None:
            cur.append(line)
    return out


def pem_names(path):
    """The subject Name (DER) of each certificate in a PEM file, via a minimal TLV walk."""
    names = []
    for der in pem_certs(path):
        tbs = tlv_children(der, 0)[0]
        kids = tlv_children(der, tbs[0])
        i = 1 if der[kids[0][0]] == 0xA0 else 0  # skip [0] version
        # serial, signature, issuer, validity, subject
        s, e = kids[i + 4]
        names.append(der[s:e])
    return names


def tlv(buf, pos):
    first = buf[pos + 1]
    if first < 0x80:
        return 2, first
    n = first & 0x7F
    return 2 + n, int.from_bytes(buf[pos + 2:pos + 2 + n], "big")


def tlv_children(buf, pos):
    h, ln = tlv(buf, pos)
    p, end, out = pos + h, pos + h + ln, []
    while p < end:
        hh, ll = tlv(buf, p)
        out.append((p, p + hh + ll))
        p += hh + ll
    return out


def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return (~s) & 0xFFFF


def ip4(s):
    return bytes(int(x) for x in s.split("."))


class Capture:
    def __init__(self):
        self.frames = []
        self.t = 0

    def add(self, frame):
        self.t += 1000  # 1 ms apart
        self.frames.append((T0 + self.t // 1000000, self.t % 1000000, frame))

    def write(self, path):
        with open(path, "wb") as f:
            f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
            for sec, usec, fr in self.frames:
                f.write(struct.pack("<IIII", sec, usec, len(fr), len(fr)) + fr)


class Conn:
    """One TCP connection; side 0 is the client."""

    def __init__(self, cap, cport, sip, sport, isn=(1000, 5000)):
        self.cap = cap
        self.ip = [CLIENT, sip]
        self.port = [cport, sport]
        self.mac = [bytes.fromhex("00155d000001"), bytes.fromhex("525400000002")]
        self.seq = [isn[0], isn[1]]
        self.ipid = [1, 1]
        self.seg(0, 0x002)
        self.seq[0] += 1
        self.seg(1, 0x012)
        self.seq[1] += 1
        self.seg(0, 0x010)

    def seg(self, d, flags, payload=b""):
        o = 1 - d
        ack = self.seq[o] if flags & 0x010 else 0
        th = struct.pack("!HHIIHHHH", self.port[d], self.port[o], self.seq[d], ack, (5 << 12) | flags, 64240, 0, 0)
        ph = ip4(self.ip[d]) + ip4(self.ip[o]) + struct.pack("!BBH", 0, 6, len(th) + len(payload))
        c = csum(ph + th + payload)
        th = th[:16] + struct.pack("!H", c) + th[18:]
        tot = 20 + len(th) + len(payload)
        ih = struct.pack("!BBHHHBBH4s4s", 0x45, 0, tot, self.ipid[d], 0x4000, 64, 6, 0, ip4(self.ip[d]), ip4(self.ip[o]))
        ih = ih[:10] + struct.pack("!H", csum(ih)) + ih[12:]
        self.ipid[d] += 1
        self.cap.add(self.mac[o] + self.mac[d] + b"\x08\x00" + ih + th + payload)
        self.seq[d] += len(payload)

    def send(self, d, data):
        """Data from side d, cut into MSS-sized segments; the peer ACKs."""
        for i in range(0, len(data), MSS):
            self.seg(d, 0x018, data[i:i + MSS])
        self.seg(1 - d, 0x010)

    def close(self, first):
        self.seg(first, 0x011)
        self.seq[first] += 1
        self.seg(1 - first, 0x011)
        self.seq[1 - first] += 1
        self.seg(first, 0x010)


# ---- TLS 1.2 (RFC 5246) --------------------------------------------------

def u8(v): return struct.pack("!B", v)
def u16(v): return struct.pack("!H", v)
def u24(v): return struct.pack("!I", v)[1:]


def record(ctype, body):
    out = b""
    for i in range(0, len(body), 16384):
        out += u8(ctype) + u16(0x0303) + u16(len(body[i:i + 16384])) + body[i:i + 16384]
    return out


def hs(mtype, body):
    return u8(mtype) + u24(len(body)) + body


def rnd(label):
    return hashlib.sha256(label.encode()).digest()


def client_hello(sni, label):
    ext = b""
    if sni:
        name = sni.encode()
        sn = u8(0) + u16(len(name)) + name
        ext += u16(0) + u16(len(sn) + 2) + u16(len(sn)) + sn
    groups = u16(4) + u16(0x001D) + u16(0x0017)
    ext += u16(10) + u16(len(groups)) + groups
    algs = b"".join(u16(a) for a in (0x0403, 0x0804, 0x0401, 0x0201))
    ext += u16(13) + u16(len(algs) + 2) + u16(len(algs)) + algs
    suites = u16(0xC02F) + u16(0xC030) + u16(0x009C)
    body = u16(0x0303) + rnd("ch" + label) + u8(0) + u16(len(suites)) + suites + u8(1) + u8(0) + u16(len(ext)) + ext
    return hs(1, body)


def server_hello(label):
    return hs(2, u16(0x0303) + rnd("sh" + label) + u8(0) + u16(0xC02F) + u8(0) + u16(0))


def certificate(ders):
    lst = b"".join(u24(len(d)) + d for d in ders)
    return hs(11, u24(len(lst)) + lst)


def server_kex(label):
    point = b"\x04" + rnd("pt" + label) + rnd("pt2" + label)
    sig = rnd("sig" + label) * 8
    return hs(12, u8(3) + u16(0x0017) + u8(len(point)) + point + u16(0x0401) + u16(len(sig)) + sig)


def cert_request(names):
    dn = b"".join(u16(len(n)) + n for n in names)
    algs = b"".join(u16(a) for a in (0x0401, 0x0804, 0x0403))
    return hs(13, u8(2) + u8(1) + u8(64) + u16(len(algs)) + algs + u16(len(dn)) + dn)


def client_kex(label):
    point = b"\x04" + rnd("cpt" + label) + rnd("cpt2" + label)
    return hs(16, u8(len(point)) + point)


def alert(desc):
    return record(21, u8(2) + u8(desc))


def tls_conn(cap, cport, sni, chain, label, alert_desc=None, certreq=None, client_chain=None,
             between=None):
    """A TLS 1.2 handshake to SERVER:443. alert_desc: the fatal alert (from the
    server when certreq is given, else from the client); None: it completes."""
    c = Conn(cap, cport, SERVER, 443, isn=(1000 + cport, 90000 + cport))
    c.send(0, record(22, client_hello(sni, label)))
    flight = server_hello(label) + certificate(chain) + server_kex(label)
    if certreq is not None:
        flight += cert_request(certreq)
    flight += hs(14, b"")
    c.send(1, record(22, flight))
    if between:
        between()
    if client_chain is not None:
        c.send(0, record(22, certificate(client_chain) + client_kex(label) + hs(15, u16(0x0401) + u16(64) + rnd("cv" + label) * 2))
               + record(20, b"\x01") + record(22, rnd("fin" + label) + rnd("fin2" + label)[:8]))
        c.send(1, alert(alert_desc))
        c.close(1)
        return
    if alert_desc is not None:
        c.send(0, alert(alert_desc))
        c.close(0)
        return
    c.send(0, record(22, client_kex(label)) + record(20, b"\x01") + record(22, rnd("cfin" + label)[:24] + rnd("x" + label)[:16]))
    c.send(1, record(20, b"\x01") + record(22, rnd("sfin" + label)[:24] + rnd("y" + label)[:16]))
    c.send(0, record(23, rnd("app" + label) * 3))
    c.send(0, record(21, rnd("cn" + label)[:26]))
    c.close(0)


def http_fetch(cap, cport, host, path, body, ctype):
    c = Conn(cap, cport, CRLSRV, 80, isn=(3000 + cport, 70000 + cport))
    req = ("GET %s HTTP/1.1\r\nCache-Control: max-age = 900\r\nConnection: Keep-Alive\r\nAccept: */*\r\n"
           "User-Agent: Microsoft-CryptoAPI/10.0\r\nHost: %s\r\n\r\n" % (path, host)).encode()
    c.send(0, req)
    hdr = ("HTTP/1.1 200 OK\r\nContent-Type: %s\r\nContent-Length: %d\r\nDate: Mon, 01 Jun 2026 12:00:00 GMT\r\n\r\n"
           % (ctype, len(body))).encode()
    c.send(1, hdr + body)
    c.close(0)


def main(d):
    def chain(name):
        return pem_certs(os.path.join(d, "chain-%s.pem" % name))

    # Alert descriptions (RFC 5246 7.2): 42 bad_certificate, 45 certificate_expired,
    # 44 certificate_revoked, 48 unknown_ca, 71 insufficient_security.
    cases = [
        ("healthy", "good.tw.test", None),
        ("sha1", "sha1.tw.test", 42),
        ("md5", "md5.tw.test", 42),
        ("md2", "md2.tw.test", 42),
        ("expired", "expired.tw.test", 45),
        ("wrongname", "wrongname.tw.test", 42),
        ("missing-inter", "good.tw.test", 48),
        ("out-of-order", "deep.tw.test", None),
        ("weak-key", "weak-key.tw.test", 71),
        ("hostile", "evil\x1b[2J\u202e.tw.test", 42),
    ]
    for name, sni, al in cases:
        cap = Capture()
        between = None
        if name == "healthy":
            # RFC 6960 A.1: GET {url}/{url-encoding of base-64 encoding of the DER OCSPRequest}
            req = open(os.path.join(d, "good-ocsp-req.der"), "rb").read()
            resp = open(os.path.join(d, "good.ocsp"), "rb").read()
            path = "/" + urllib.parse.quote(base64.b64encode(req).decode(), safe="")

            def between(cap=cap, path=path, resp=resp):
                http_fetch(cap, 50201, "ocsp.tw.test", path, resp, "application/ocsp-response")
        tls_conn(cap, 50001, sni, chain(name), name, al, between=between)
        cap.write(os.path.join(d, name + ".pcap"))

    cap = Capture()
    for i, sni in enumerate(("a.wild.tw.test", "a.b.wild.tw.test", "www.part.tw.test")):
        tls_conn(cap, 50001 + i, sni, chain("wildcard"), "wild%d" % i, None if i == 0 else 42)
    cap.write(os.path.join(d, "wildcard.pcap"))

    cap = Capture()
    accepted = pem_names(os.path.join(d, "corp-ca.pem")) + pem_names(os.path.join(d, "root.pem"))
    tls_conn(cap, 50001, "good.tw.test", chain("mtls-server"), "mtls", 48, certreq=accepted,
             client_chain=chain("mtls-client"))
    cap.write(os.path.join(d, "mtls.pcap"))

    cap = Capture()
    crls = [open(os.path.join(d, n), "rb").read() for n in ("inter.crl", "root.crl")]

    def fetch():
        http_fetch(cap, 50101, "crl.tw.test", "/inter.crl", crls[0], "application/pkix-crl")
        http_fetch(cap, 50102, "crl.tw.test", "/root.crl", crls[1], "application/pkix-crl")
    tls_conn(cap, 50001, "revoked.tw.test", chain("revoked"), "revoked", 44, between=fetch)
    cap.write(os.path.join(d, "revoked.pcap"))


if __name__ == "__main__":
    main(sys.argv[1])
