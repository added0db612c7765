#!/usr/bin/env python3
"""Helpers to give an X.509 certificate an md2WithRSAEncryption signature.

OpenSSL 3 has no MD2, so make-samples.sh lets openssl build an ordinary
certificate and then uses this helper for the parts OpenSSL cannot do:

  md2sign.py selftest
      check the MD2 code against the RFC 1319 test suite (A.5)
  md2sign.py tbs CERT.der TBS.der
      copy the TBSCertificate out of CERT.der, with its signature
      AlgorithmIdentifier replaced by md2WithRSAEncryption
  md2sign.py digestinfo TBS.der DI.bin
      write the PKCS#1 v1.5 DigestInfo (RFC 8017 9.2) of MD2(TBS.der)
  md2sign.py assemble TBS.der SIG.bin CERT.der
      write Certificate ::= SEQUENCE { TBS, md2WithRSAEncryption, BIT STRING SIG }
  md2sign.py check TBS.der RECOVERED.bin
      exit 1 unless RECOVERED.bin (openssl pkeyutl -verifyrecover) is the DigestInfo of TBS

The RSA signing itself is done by `openssl pkeyutl -sign` with the issuer's key:
without -digest, pkeyutl applies PKCS#1 v1.5 type-1 padding to the DigestInfo as given.
Only the standard library is used.
"""
import sys

# ---------------------------------------------------------------- MD2, RFC 1319

# RFC 1319 section 3.2: "a random permutation of 0..255 constructed from the digits of pi"
PI_SUBST = bytes([
    41, 46, 67, 201, 162, 216, 124, 1, 61, 54, 84, 161, 236, 240, 6,
    19, 98, 167, 5, 243, 192, 199, 115, 140, 152, 147, 43, 217, 188,
    76, 130, 202, 30, 155, 87, 60, 253, 212, 224, 22, 103, 66, 111, 24,
    138, 23, 229, 18, 190, 78, 196, 214, 218, 158, 222, 73, 160, 251,
    245, 142, 187, 47, 238, 122, 169, 104, 121, 145, 21, 178, 7, 63,
    148, 194, 16, 137, 11, 34, 95, 33, 128, 127, 93, 154, 90, 144, 50,
    39, 53, 62, 204, 231, 191, 247, 151, 3, 255, 25, 48, 179, 72, 165,
    181, 209, 215, 94, 146, 42, 172, 86, 170, 198, 79, 184, 56, 210,
    150, 164, 125, 182, 118, 252, 107, 226, 156, 116, 4, 241, 69, 157,
    112, 89, 100, 113, 135, 32, 134, 91, 207, 101, 230, 45, 168, 2, 27,
    96, 37, 173, 174, 176, 185, 246, 28, 70, 97, 105, 52, 64, 126, 15,
    85, 71, 163, 35, 221, 81, 175, 58, 195, 92, 249, 206, 186, 197,
    234, 38, 44, 83, 13, 110, 133, 40, 132, 9, 211, 223, 205, 244, 65,
    129, 77, 82, 106, 220, 55, 200, 108, 193, 171, 250, 36, 225, 123,
    8, 12, 189, 177, 74, 120, 136, 149, 139, 227, 99, 232, 109, 233,
    203, 213, 254, 59, 0, 29, 57, 242, 239, 183, 14, 102, 88, 208, 228,
    166, 119, 114, 248, 235, 117, 75, 10, 49, 68, 80, 180, 143, 237,
    31, 26, 219, 153, 141, 51, 159, 17, 131, 20,
])


def md2(data: bytes) -> bytes:
    # 3.1 padding: always 1..16 bytes, each equal to the pad length
    pad = 16 - (len(data) % 16)
    msg = bytearray(data) + bytes([pad]) * pad
    # 3.2 checksum
    cks = bytearray(16)
    last = 0
    for i in range(0, len(msg), 16):
        for j in range(16):
            cks[j] ^= PI_SUBST[msg[i + j] ^ last]
            last = cks[j]
    msg += cks
    # 3.3-3.4 the 48-byte state, 18 rounds per block
    x = bytearray(48)
    for i in range(0, len(msg), 16):
        for j in range(16):
            x[16 + j] = msg[i + j]
            x[32 + j] = x[16 + j] ^ x[j]
        t = 0
        for rnd in range(18):
            for k in range(48):
                x[k] ^= PI_SUBST[t]
                t = x[k]
            t = (t + rnd) & 0xFF
    return bytes(x[:16])


RFC1319_VECTORS = [  # RFC 1319 appendix A.5
    (b"", "8350e5a3e24c153df2275c9f80692773"),
    (b"a", "32ec01ec4a6dac72c0ab96fb34c0b5d1"),
    (b"abc", "da853b0d3f88d99b30283a69e6ded6bb"),
    (b"message digest", "ab4f496bfb2a530b219ff33031fe06b0"),
    (b"abcdefghijklmnopqrstuvwxyz", "4e8ddff3650292ab5a4108c3aa47940b"),
    (b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
     "da33def2a42df13975352846c30338cd"),
    (b"1234567890" * 8, "d5976f79d83d3a0dc9806c3c66f3efd8"),
]


def selftest() -> None:
    assert sorted(PI_SUBST) == list(range(256)), "PI_SUBST is not a permutation"
    for msg, want in RFC1319_VECTORS:
        got = md2(msg).hex()
        if got != want:
            raise SystemExit(f"MD2 self-test FAILED for {msg!r}: {got} != {want}")


# ---------------------------------------------------------------- minimal DER

def der_read(buf: bytes, pos: int):
    """Return (tag, header_len, content_len) of the TLV at pos."""
    tag = buf[pos]
    if tag & 0x1F == 0x1F:
        raise ValueError("multi-byte tags not supported")
    first = buf[pos + 1]
    if first < 0x80:
        return tag, 2, first
    n = first & 0x7F
    if n == 0 or n > 4:
        raise ValueError("bad DER length")
    return tag, 2 + n, int.from_bytes(buf[pos + 2:pos + 2 + n], "big")


def der_children(buf: bytes, pos: int):
    """List of (start, end) of the children of the constructed TLV at pos."""
    _, hl, cl = der_read(buf, pos)
    p, end, out = pos + hl, pos + hl + cl, []
    while p < end:
        _, h, c = der_read(buf, p)
        out.append((p, p + h + c))
        p += h + c
    if p != end:
        raise ValueError("DER children overrun")
    return out


def der_tlv(tag: int, content: bytes) -> bytes:
    n = len(content)
    if n < 0x80:
        hdr = bytes([tag, n])
    else:
        lb = n.to_bytes((n.bit_length() + 7) // 8, "big")
        hdr = bytes([tag, 0x80 | len(lb)]) + lb
    return hdr + content


OID_MD2_WITH_RSA = bytes.fromhex("2a864886f70d010102")   # 1.2.840.113549.1.1.2
OID_MD2 = bytes.fromhex("2a864886f70d0202")              # 1.2.840.113549.2.2
ALGID_MD2_WITH_RSA = der_tlv(0x30, der_tlv(0x06, OID_MD2_WITH_RSA) + b"\x05\x00")


def tbs_with_md2(cert: bytes) -> bytes:
    top = der_children(cert, 0)           # tbsCertificate, signatureAlgorithm, signatureValue
    if len(top) != 3:
        raise ValueError("not an X.509 Certificate")
    ts, te = top[0]
    tbs = cert[ts:te]
    kids = der_children(tbs, 0)
    # TBSCertificate: [0] version (optional), serialNumber, signature AlgorithmIdentifier, ...
    idx = 2 if tbs[kids[0][0]] == 0xA0 else 1
    s, e = kids[idx]
    if tbs[s] != 0x30:
        raise ValueError("unexpected TBS layout")
    body = b"".join(tbs[a:b] for a, b in kids[:idx]) + ALGID_MD2_WITH_RSA + \
        b"".join(tbs[a:b] for a, b in kids[idx + 1:])
    return der_tlv(0x30, body)


def digest_info(tbs: bytes) -> bytes:
    alg = der_tlv(0x30, der_tlv(0x06, OID_MD2) + b"\x05\x00")
    return der_tlv(0x30, alg + der_tlv(0x04, md2(tbs)))


def assemble(tbs: bytes, sig: bytes) -> bytes:
    return der_tlv(0x30, tbs + ALGID_MD2_WITH_RSA + der_tlv(0x03, b"\x00" + sig))


def main(argv):
    if len(argv) < 2:
        raise SystemExit(__doc__)
    cmd = argv[1]
    selftest()
    rd = lambda p: open(p, "rb").read()
    if cmd == "selftest":
        print("MD2 RFC 1319 test vectors: OK")
    elif cmd == "tbs":
        open(argv[3], "wb").write(tbs_with_md2(rd(argv[2])))
    elif cmd == "digestinfo":
        open(argv[3], "wb").write(digest_info(rd(argv[2])))
    elif cmd == "assemble":
        open(argv[4], "wb").write(assemble(rd(argv[2]), rd(argv[3])))
    elif cmd == "check":
        want, got = digest_info(rd(argv[2])), rd(argv[3])
        if want != got:
            raise SystemExit("MD2 signature check FAILED: recovered DigestInfo != MD2(TBS)")
        print("md2WithRSAEncryption signature OK: recovered DigestInfo = MD2(TBS) =",
              want[-16:].hex())
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
