#!/bin/sh
# Certificate chains: `--certs` on every fixture of tests/data/certs/ (made by
# make-certs.sh with the openssl command line; one TLS connection per case)
# and on the samples made with openssl s_server/s_client, the same findings
# in the detail tree (-V, -T fields), JSON, and --ca-file / --ca-dir.
#
# Each fixture must name the faulty certificate and the right finding, and
# the healthy chain must report nothing.
. "$(dirname "$0")/lib.sh"
C=$DATA/certs
S=$(cd "$DATA/../../samples" && pwd)

# ---- the detail tree (no --certs needed) ------------------------------------

run -V "$S/s1-weak-md2.pcapng"
check "-V: MD2 intermediate is certificate 2" contains "$out" \
	"[Expert Info (Error): Certificate 2 (Example Legacy Issuing CA (MD2)) is signed with MD2 (md2WithRSAEncryption), a broken digest that clients refuse]"
check "-V: md2 cannot be verified, not a bad signature" contains "$out" "cannot verify: md2 unsupported"
check "-V: algorithm name and OID" contains "$out" "[Signature Algorithm: md2WithRSAEncryption (1.2.840.113549.1.1.2)]"
check "-V: the root sent is a note" contains "$out" \
	"[Expert Info (Note): Certificate 3 (Example Test Root CA) is a self-signed root sent along with the chain"
check "-V: chain verdict" contains "$out" "[Certificate chain: server chain of 3 certificates: 1 error, 1 warning, 1 note]"
check "-V: healthy chain" contains "$out" "[Certificate chain: server chain of 2 certificates: no findings]"

run -T fields -e frame.number -e cert.finding "$S/s1-weak-md2.pcapng"
check "fields: cert.finding codes of frame 33" contains "$out" "$(printf '33\tweak-digest,cannot-verify,root-sent')"
run -T fields -e frame.number -e cert.sigalg -e cert.key_bits -E occurrence=a "$S/s1-weak-md2.pcapng"
check "fields: cert.sigalg" contains "$out" "$(printf '33\tsha256WithRSAEncryption,md2WithRSAEncryption,sha256WithRSAEncryption\t2048,2048,4096')"

run -V "$S/s5-expired-wrongname.pcapng"
check "-V: expired leaf" contains "$out" \
	"[Expert Info (Error): Certificate 1 (expired.example.test) expired on 2025-11-01 23:59:59 UTC, 386 days before the capture (2026-11-23 20:13:24 UTC)]"
check "-V: wrong name" contains "$out" \
	"[Expert Info (Error): The client asked for wrongname.example.test (SNI) but certificate 1 (other.example.test) is for other.example.test, www.other.example.test]"

run -V "$S/s3-mtls-unknown-ca.pcap"
check "-V: client certificate from an unaccepted CA" contains "$out" \
	"Client certificate 1 (alice) is issued by 'CN=Contractor Services Issuing CA,O=Contractor Services,C=US', but the server accepts only certificates from 'CN=Example Corp Client Auth CA,O=Example Corp,C=US' and 'CN=Example Test Root CA,O=Example Test PKI,C=US'"

# Revocation both ways: the certificate shows its CRL fetch, the CRL's frame names the certificate.
run -V "$S/s2-crl-revoked.pcapng"
check "-V: CRL fetched, seen from the certificate" contains "$out" "[CRL fetched in frame 23 (200 OK, 1 revoked, next update 2026-11-30 20:13:18 UTC; it lists this certificate as revoked)]"
check "-V: revoked leaf" contains "$out" "Certificate 1 (portal.example.test) is revoked (keyCompromise"
check "-V: the CRL frame names the certificate" contains "$out" "[This URL is the CRL distribution point of server certificate 1 (portal.example.test) in frame 10]"
check "-V: the CRL revokes it" contains "$out" "[Expert Info (Error): This CRL revokes server certificate 1 (portal.example.test, serial 0x1003) sent in frame 10]"
run -V "$C/healthy.pcap"
check "-V: OCSP answer seen from the certificate" contains "$out" "[OCSP answer fetched in frame 15 (200 OK, status good)]"
check "-V: the OCSP frame names the certificate (GET: URL prefix)" contains "$out" \
	"[This URL is the OCSP responder of server certificate 1 (good.tw.test) in frame 7]"
check "-V: healthy: no expert warning or error" [ -z "$(printf '%s\n' "$out" | grep -E 'Expert Info \((Warning|Error)')" ]
run -T fields -e frame.number -e cert.url_of "$C/revoked.pcap"
check "fields: cert.url_of on both CRL responses" [ "$(printf '%s\n' "$out" | awk -F'\t' '$2 != ""' | tr '\n' ' ')" = "$(printf '14\t7 24\t7 ')" ]

# Hostile names (an escape sequence and a bidi override in the CN and the SNI) come out escaped.
run -V "$C/hostile.pcap"
check "hostile -V: no raw escape byte" [ -z "$(printf '%s' "$out" | tr -d -c '\033')" ]
check "hostile -V: escaped" contains "$out" "The client asked for evil\\x1b[2J\\u202e.tw.test (SNI)"

# ---- --certs ------------------------------------------------------------------

run --certs "$C/healthy.pcap"
case $err in *"unrecognized option"*)
	echo "skip: --certs is not wired into main.c yet (see src/merge/certs.h); the tree checks above ran"
	finish
	exit $? ;;
esac

check "healthy: exit 0" [ "$rc" = 0 ]
check "healthy: no findings" contains "$out" "Server chain, frame 7 (2026-06-01 12:00:00.007000 UTC), 2 certificates: no findings"
check "healthy: says so" contains "$out" "no findings: nothing wrong with this chain"
check "healthy: nothing reported" [ -z "$(printf '%s\n' "$out" | grep -E '^ +(ERROR|WARNING|note) ')" ]
check "healthy: connection line" contains "$out" "healthy.pcap tcp.stream 0: 10.9.0.1:50001 → 10.9.0.2:443, SNI good.tw.test, TLSv1.2"
check "healthy: key facts" contains "$out" "signature   sha256WithRSAEncryption (1.2.840.113549.1.1.11), verified with the key of certificate 2"
check "healthy: serial" contains "$out" "serial      0x1001, version 3"
check "healthy: validity" contains "$out" "validity    2025-01-01 00:00:00 UTC to 2035-01-01 00:00:00 UTC (valid at the capture)"
check "healthy: summary" contains "$out" "1 chain; 0 errors"

# certs FILE FINDING-LINE: --certs on a fixture prints this finding line.
certs() {
	run --certs "$C/$1"
	check "$1: $2" contains "$out" "$2"
}
certs sha1.pcap "WARNING weak-digest: Certificate 2 (TW SHA-1 Issuing CA) is signed with SHA-1 (sha1WithRSAEncryption)"
certs md5.pcap "ERROR   weak-digest: Certificate 2 (TW MD5 Issuing CA) is signed with MD5 (md5WithRSAEncryption)"
certs md2.pcap "ERROR   weak-digest: Certificate 2 (TW MD2 Issuing CA) is signed with MD2 (md2WithRSAEncryption)"
certs md2.pcap "WARNING cannot-verify: The signature of certificate 2 (TW MD2 Issuing CA) was not checked (cannot verify: md2 unsupported"
certs md2.pcap "signature   md2WithRSAEncryption (1.2.840.113549.1.1.2), cannot verify: md2 unsupported"
certs expired.pcap "ERROR   expired: Certificate 1 (expired.tw.test) expired on 2025-01-01 00:00:00 UTC, 516 days before the capture (2026-06-01 12:00:00 UTC)"
certs wrongname.pcap "ERROR   name-mismatch: The client asked for wrongname.tw.test (SNI) but certificate 1 (other.tw.test) is for other.tw.test, www.other.tw.test"
certs wildcard.pcap "ERROR   name-mismatch: The client asked for a.b.wild.tw.test (SNI) but certificate 1 (*.wild.tw.test)"
certs wildcard.pcap "ERROR   name-mismatch: The client asked for www.part.tw.test (SNI)"
check "wildcard: a.wild.tw.test matches" [ "$(printf '%s\n' "$out" | grep -c 'no findings: nothing wrong')" = 1 ]
certs missing-inter.pcap "ERROR   missing-intermediate: Certificate 1 (good.tw.test) is issued by 'CN=TW Test Issuing CA,O=tracewb tests,C=US', which the server did not send"
certs out-of-order.pcap "WARNING out-of-order: Certificate 1 (deep.tw.test) is issued by certificate 3 (TW Test Sub CA), which should come right after it"
certs weak-key.pcap "WARNING weak-key: Certificate 1 (weak-key.tw.test) has a 1024-bit RSA key"
certs mtls.pcap "ERROR   ca-not-accepted: Client certificate 1 (alice) is issued by 'CN=TW Contractor CA,O=Contractor Services,C=US', but the server accepts only certificates from 'CN=TW Corp Client CA,O=tracewb tests,C=US' and 'CN=TW Test Root CA,O=tracewb tests,C=US'"
check "mtls: client chain header" contains "$out" "Client chain, frame 10"
check "mtls: server chain clean" contains "$out" "Server chain, frame 7 (2026-06-01 12:00:00.007000 UTC), 2 certificates: no findings"
certs revoked.pcap "ERROR   revoked: Certificate 1 (revoked.tw.test) is revoked (keyCompromise, since 2026-05-20 12:00:00 UTC) in the CRL fetched in frame 14, which lists its serial 0x1666"
certs revoked.pcap "WARNING crl-stale: The CRL for certificate 2 (TW Test Issuing CA) fetched in frame 24 was out of date at the capture"
certs revoked.pcap "in trace    CRL fetched in frame 14 (200 OK, 1 revoked, next update 2026-06-25 00:00:00 UTC; it lists this certificate as revoked)"

# Hostile names: escape sequences and bidi overrides come out escaped.
certs hostile.pcap "ERROR   name-mismatch: The client asked for evil\\x1b[2J\\u202e.tw.test (SNI) but certificate 1 (evil\\x1b[2J\\u202e.tw.test) is for hostile.tw.test"
check "hostile: no raw escape byte" [ -z "$(printf '%s' "$out" | tr -d -c '\033')" ]
# Every fixture but the healthy one reports something; only warnings for these.
for f in sha1 out-of-order weak-key; do
	run --certs "$C/$f.pcap"
	check "$f: warnings, no error" contains "$out" "1 chain; 0 errors"
done

# The samples.
run --certs "$S/s1-weak-md2.pcapng"
check "s1: two chains" contains "$out" "2 chains; 1 error"
check "s1: the MD2 certificate is number 2" contains "$out" "ERROR   weak-digest: Certificate 2 (Example Legacy Issuing CA (MD2))"
run --certs "$S/s6-tls13-hrr.pcapng"
check "s6: TLS 1.3 certificates are encrypted" contains "$out" "certificates encrypted (TLS 1.3): the chain is not in the capture"
run --certs "$S/s4-tls10-vs-tls12.pcap"
check "s4: no Certificate message" contains "$out" "0 chains; 1 TLS connection without a Certificate message; 0 errors"
# Revocation data from another file of the same timeline (B:24).
run --certs "$C/wildcard.pcap" "$C/revoked.pcap"
check "CRL fetched in another file" contains "$out" "fetched in frame B:24 was out of date"

# JSON: one object per chain and line, the whole model.
run --certs -T json "$C/md2.pcap"
check "json: one line" [ "$(lines "$out")" = 1 ]
check "json: finding" contains "$out" '"severity":"error","certificate":2,"code":"weak-digest"'
check "json: algorithm" contains "$out" '"signature_algorithm":{"name":"md2WithRSAEncryption","oid":"1.2.840.113549.1.1.2","digest":"md2","digest_supported":false,"check":"unsupported"}'
check "json: key" contains "$out" '"public_key":{"type":"RSA","known":true,"bits":2048,"curve":null}'
check "json: sni and side" contains "$out" '"sni":"md2.tw.test","tls_version":"TLSv1.2","side":"server"'
if command -v python3 >/dev/null 2>&1; then
	check "json: valid" sh -c 'printf "%s\n" "$1" | python3 -c "import json,sys; [json.loads(l) for l in sys.stdin]"' _ "$out"
fi
run --certs -T json "$C/mtls.pcap"
check "json: two chains" [ "$(lines "$out")" = 2 ]
check "json: acceptable CAs" contains "$out" '"acceptable_cas":["CN=TW Corp Client CA,O=tracewb tests,C=US","CN=TW Test Root CA,O=tracewb tests,C=US"]'
run --certs -T json "$S/s6-tls13-hrr.pcapng"
check "json: TLS 1.3 encrypted" contains "$out" '"encrypted":true,"frame":8,"certificates":[]'

# Trust anchors: OpenSSL's verification at the capture time.
run --certs --ca-file "$C/root.pem" "$C/healthy.pcap"
check "--ca-file: verified" contains "$out" "OpenSSL verifies the chain at the capture time with the trust anchors of --ca-file"
check "--ca-file: still no findings" contains "$out" "1 chain; 0 errors"
run --certs --ca-file "$C/root.pem" "$C/expired.pcap"
check "--ca-file: expired at capture time" contains "$out" "ERROR   untrusted: OpenSSL's verification at the capture time"
check "--ca-file: OpenSSL's reason" contains "$out" "certificate has expired"
run --certs --ca-file "$C/root.pem" "$S/s7-client.pcapng"
check "--ca-file: another root" contains "$out" "untrusted"
if command -v openssl >/dev/null 2>&1; then
	mkdir -p "$TMP/cadir"
	cp "$C/root.pem" "$TMP/cadir/$(openssl x509 -in "$C/root.pem" -noout -subject_hash).0"
	run --certs --ca-dir "$TMP/cadir" "$C/healthy.pcap"
	check "--ca-dir: verified" contains "$out" "with the trust anchors of --ca-dir"
fi
run --certs --ca-dir "$TMP/no-such-dir" "$C/healthy.pcap"
check "--ca-dir: not a directory is a usage error" [ "$rc" = 2 ]
run --certs --ca-file "$TMP/missing.pem" "$C/healthy.pcap"
check "--ca-file: unreadable is a usage error" [ "$rc" = 2 ]
check "--ca-file: says which file" contains "$err" "missing.pem"

finish
