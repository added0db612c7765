#!/usr/bin/env python3
"""crl-httpd.py IP PORT DIR - serve DIR over HTTP/1.1 (keep-alive) for one TCP connection.

The stand-in for a CRL distribution point: python's own http.server, with .crl files
sent as Content-Type application/pkix-crl (RFC 5280 section 4.2.1.13 / RFC 2585).
"""
import functools
import http.server
import sys


class CRLHandler(http.server.SimpleHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    extensions_map = {".crl": "application/pkix-crl", ".crt": "application/pkix-cert",
                      "": "application/octet-stream"}

    def end_headers(self):
        self.send_header("Cache-Control", "max-age=900")
        super().end_headers()

    def log_message(self, fmt, *args):
        sys.stderr.write("crl-httpd: " + (fmt % args) + "\n")


def main():
    ip, port, root = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    handler = functools.partial(CRLHandler, directory=root)
    with http.server.HTTPServer((ip, port), handler) as srv:
        srv.timeout = 30
        srv.handle_request()      # one connection, any number of keep-alive requests


if __name__ == "__main__":
    main()
