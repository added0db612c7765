#!/usr/bin/env python3
"""mtls-rst-server.py IP PORT CERT KEY CHAIN CLIENT_CAS - one-connection TLS 1.2 server that
requires a client certificate and, when the client's chain is not trusted, lets OpenSSL send
its fatal alert and then closes the socket with SO_LINGER {on, 0}: the kernel sends a TCP RST
instead of a FIN (what many load balancers and Windows servers do after a failed handshake).
"""
import socket
import ssl
import struct
import sys


def main():
    ip, port, cert, key, chain, cas = sys.argv[1], int(sys.argv[2]), *sys.argv[3:7]
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.maximum_version = ssl.TLSVersion.TLSv1_2
    ctx.verify_mode = ssl.CERT_REQUIRED
    ctx.load_verify_locations(cafile=cas)
    # python does not set the CertificateRequest CA list: this server sends an empty one
    full = cert + ".full"
    with open(full, "w") as f:
        f.write(open(cert).read() + open(chain).read())
    ctx.load_cert_chain(full, key)
    with socket.create_server((ip, port)) as ls:
        conn, _ = ls.accept()
        tls = ctx.wrap_socket(conn, server_side=True, do_handshake_on_connect=False)
        try:
            tls.do_handshake()
            tls.recv(1024)
        except ssl.SSLError as e:
            print(f"mtls-rst-server: {e}", file=sys.stderr)
            tls.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        tls.close()

if __name__ == "__main__":
    main()
