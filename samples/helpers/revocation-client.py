#!/usr/bin/env python3
"""revocation-client.py HOST ROOT_CA CRL_DIR URL... - a TLS client that checks revocation
the way Windows does it: in the middle of the handshake.

1. Resolve HOST, connect to port 443 and send the ClientHello (python ssl = OpenSSL,
   TLS 1.2 at most so the certificates stay readable on the wire).
2. When the server's flight has arrived, and before OpenSSL looks at it, fetch the CRLs
   with curl using the request headers CryptoAPI sends (User-Agent Microsoft-CryptoAPI/10.0).
   The CRL URLs are the CRL distribution points of the server's chain, given on the
   command line because OpenSSL has not parsed the certificates yet at this point.
3. Add the CRLs to the trust store and let OpenSSL continue the handshake with
   X509_V_FLAG_CRL_CHECK|CRL_CHECK_ALL: a revoked certificate makes OpenSSL send the fatal
   alert certificate_revoked (44) and the client closes the connection.

Exit status 0 when the handshake failed with "certificate revoked", 1 otherwise.
"""
import os
import socket
import ssl
import subprocess
import sys
import base64


def main():
    host, root_ca, crl_dir, urls = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
    addr = socket.getaddrinfo(host, 443, socket.AF_INET, socket.SOCK_STREAM)[0][4]
    sock = socket.create_connection(addr, timeout=10)

    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.maximum_version = ssl.TLSVersion.TLSv1_2
    ctx.load_verify_locations(cafile=root_ca)
    ctx.verify_flags |= ssl.VERIFY_CRL_CHECK_CHAIN
    # memory BIOs: OpenSSL does all of TLS, this code only carries its bytes, so it can hold
    # the server's flight back until the CRLs are there
    inc, out = ssl.MemoryBIO(), ssl.MemoryBIO()
    tls = ctx.wrap_bio(inc, out, server_hostname=host)

    def flush():
        data = out.read()
        if data:
            sock.sendall(data)

    try:
        tls.do_handshake()            # writes the ClientHello
    except ssl.SSLWantReadError:
        pass
    flush()
    flight = b""
    sock.settimeout(10)
    flight += sock.recv(65536)        # the server's flight ...
    sock.settimeout(0.2)
    try:
        while True:                   # ... all of it (ServerHello .. ServerHelloDone)
            data = sock.recv(65536)
            if not data:
                break
            flight += data
    except socket.timeout:
        pass
    sock.settimeout(10)

    os.makedirs(crl_dir, exist_ok=True)
    cmd = ["curl", "-sS", "--fail", "--http1.1", "-A", "",
           "-H", "Cache-Control: max-age = 900", "-H", "Connection: Keep-Alive",
           "-H", "Accept: */*", "-H", "User-Agent: Microsoft-CryptoAPI/10.0"]
    files = []
    for i, url in enumerate(urls):
        f = os.path.join(crl_dir, f"fetched-{i}.crl")
        files.append(f)
        cmd += [url, "-o", f]
    subprocess.run(cmd, check=True)

    pem = os.path.join(crl_dir, "fetched.pem")
    with open(pem, "w") as fp:
        for f in files:
            b64 = base64.b64encode(open(f, "rb").read()).decode()
            fp.write("-----BEGIN X509 CRL-----\n")
            fp.write("\n".join(b64[i:i + 64] for i in range(0, len(b64), 64)))
            fp.write("\n-----END X509 CRL-----\n")
    ctx.load_verify_locations(cafile=pem)

    inc.write(flight)
    while True:
        try:
            tls.do_handshake()
        except ssl.SSLWantReadError:
            flush()
            data = sock.recv(65536)
            if not data:
                inc.write_eof()
            else:
                inc.write(data)
            continue
        except ssl.SSLCertVerificationError as e:
            flush()                   # the fatal alert OpenSSL wrote
            sock.close()
            print(f"revocation-client: {e.verify_message} (verify code {e.verify_code})", file=sys.stderr)
            return 0 if e.verify_code == 23 else 1
        break
    flush()
    sock.close()
    print("revocation-client: handshake unexpectedly succeeded", file=sys.stderr)
    return 1

if __name__ == "__main__":
    sys.exit(main())
