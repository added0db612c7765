#!/usr/bin/env bash
# make-certs.sh - the certificate fixtures of tests/test_x509.c and
# tests/cli/certs.sh, made with the openssl command line.
#
#   tests/data/certs/make-certs.sh          # rewrites tests/data/certs/*.{pem,crl,txt,pcap}
#
# Needs openssl 3.x and python3 (standard library only). Run it only to
# (re)create the files: the tests never run it. Keys are random, so after
# a regeneration the values recorded in tests/test_x509.c that depend on a
# key (fingerprints, key identifiers, signatures) must be updated from the
# new NAME.txt files (the rest is fixed here: names, serials, dates).
#
# Every certificate is issued by `openssl ca` (it takes explicit start and
# end dates, so validity is fixed and independent of the day this runs).
# One exception: OpenSSL 3 cannot sign with MD2, so md2-ca.pem is issued
# by openssl with SHA-256 and then re-signed the way samples/pki is made:
# md2sign.py (MD2 per RFC 1319, checked against the RFC's test vectors)
# rewrites the TBSCertificate's algorithm and builds the PKCS#1 v1.5
# DigestInfo, `openssl pkeyutl -sign` signs it with the root's key, and
# `openssl pkeyutl -verifyrecover` checks the result.
#
# PKI (all validity 2025-01-01 .. 2035-01-01 unless said otherwise):
#
#   root        CN=TW Test Root CA            self-signed, RSA 2048, serial 0x01
#   inter       CN=TW Test Issuing CA         root,  serial 0x0101, CDP root.crl, AIA caIssuers
#   sub         CN=TW Test Sub CA             inter, serial 0x0201 (4-level chain)
#   inter-rekey CN=TW Test Issuing CA         root,  serial 0x0102: inter's name, another key
#   sha1-ca     CN=TW SHA-1 Issuing CA        root,  serial 0x0103, sha1WithRSAEncryption
#   md5-ca      CN=TW MD5 Issuing CA          root,  serial 0x0104, md5WithRSAEncryption
#   md2-ca      CN=TW MD2 Issuing CA          root,  serial 0x0105, md2WithRSAEncryption
#   noca        CN=TW Not A CA                root,  serial 0x0106, CA:FALSE, issues noca-leaf
#   corp-ca     CN=TW Corp Client CA          self-signed, serial 0x21 (the mTLS server's CA)
#   contractor  CN=TW Contractor CA           self-signed, serial 0x31 (alice's issuer)
#
#   good        good.tw.test (+www), inter, 0x1001: CDP inter.crl, AIA OCSP and caIssuers,
#               a certificate policy and one private extension (1.3.6.1.4.1.55555.1)
#   sha1-leaf / md5-leaf / md2-leaf   sha1|md5|md2.tw.test under the weak CAs
#   expired     expired.tw.test, inter, 0x1004, 2024-01-01 .. 2025-01-01
#   notyet      notyet.tw.test, inter, 0x1005, 2030-01-01 .. 2031-01-01
#   other       other.tw.test (+www), inter, 0x1006 (served for wrongname.tw.test)
#   wild        *.wild.tw.test and w*.part.tw.test, inter, 0x1007
#   cnonly      CN=cnonly.tw.test without subjectAltName, inter, 0x1008
#   deep        deep.tw.test, sub, 0x1009 (the 4-level chain)
#   weak-key    weak-key.tw.test, RSA 1024, inter, 0x100a
#   tiny-key    tiny-key.tw.test, RSA 512, inter, 0x100b
#   leafca      leafca.tw.test with CA:TRUE, inter, 0x100c
#   ec          ec.tw.test, EC P-256, inter, 0x100d
#   noca-leaf   noca-leaf.tw.test, noca, 0x100e
#   revoked     revoked.tw.test, inter, 0x1666: listed in inter.crl (keyCompromise)
#   alice       CN=alice, clientAuth only, contractor, 0x3101
#   hostile     CN "evil ESC[2J U+202E .tw.test" (escape sequence, bidi override), inter, 0x1010
#
# CRLs: inter.crl (lastUpdate 2026-05-25, nextUpdate 2026-06-25, revokes 0x1666)
# and root.crl (2026-04-01 .. 2026-04-08: stale at the captures' time).
# OCSP: good-ocsp-req.der (`openssl ocsp -reqout`) and good.ocsp, inter's answer "good"
# (`openssl ocsp -index`; produced when the script runs, valid 3650 days).
#
# Captures (mkcap.py; every frame on 2026-06-01 from 12:00:00 UTC): one TLS 1.2
# connection per case, client 10.9.0.1, server 10.9.0.2:443, the server's
# flight cut into 1448-byte TCP segments, the client's fatal alert where a
# real client would send one. Each NAME.pcap's chain is chain-NAME.pem:
#
#   healthy       [good, inter]                    SNI good.tw.test, handshake completes; the client
#                 checks good.pem with OCSP (GET http://ocsp.tw.test/<base64 request>): good
#   sha1          [sha1-leaf, sha1-ca]             SNI sha1.tw.test
#   md5           [md5-leaf, md5-ca]               SNI md5.tw.test
#   md2           [md2-leaf, md2-ca, root]         SNI md2.tw.test
#   expired       [expired, inter]                 SNI expired.tw.test
#   wrongname     [other, inter]                   SNI wrongname.tw.test
#   wildcard      [wild, inter] three times        SNI a.wild.tw.test (ok), a.b.wild.tw.test, www.part.tw.test
#   missing-inter [good]                           SNI good.tw.test
#   out-of-order  [deep, inter, sub]               SNI deep.tw.test
#   weak-key      [weak-key, inter]                SNI weak-key.tw.test
#   mtls          server [good, inter] + CertificateRequest (corp-ca, root);
#                 client [alice, contractor]; the server sends unknown_ca
#   revoked       [revoked, inter] and two CRL fetches over HTTP (inter.crl, root.crl)
#   hostile       [hostile, inter]                 SNI "evil ESC[2J U+202E .tw.test"
#
# Each certificate also gets NAME.txt: `openssl x509 -text` and the SHA-1 and
# SHA-256 fingerprints, which tests/test_x509.c compares field by field.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
PY=${PYTHON:-python3}
openssl version | grep -q '^OpenSSL 3' || { echo "make-certs.sh: needs OpenSSL 3.x" >&2; exit 1; }
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
"$PY" "$HERE/md2sign.py" selftest >/dev/null

cat >"$W/ext.cnf" <<'EOF'
[ root ]
basicConstraints = critical,CA:true
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[ subca ]
basicConstraints = critical,CA:true
keyUsage = critical,keyCertSign,cRLSign,digitalSignature
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
crlDistributionPoints = URI:http://crl.tw.test/root.crl
authorityInfoAccess = caIssuers;URI:http://pki.tw.test/root.cer
[ notca ]
basicConstraints = critical,CA:false
keyUsage = critical,digitalSignature,keyEncipherment
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[ server ]
basicConstraints = critical,CA:false
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
subjectAltName = ${ENV::SAN}
crlDistributionPoints = URI:http://crl.tw.test/inter.crl
[ good ]
basicConstraints = critical,CA:false
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth,clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
subjectAltName = ${ENV::SAN}
crlDistributionPoints = URI:http://crl.tw.test/inter.crl
authorityInfoAccess = OCSP;URI:http://ocsp.tw.test/,caIssuers;URI:http://pki.tw.test/inter.cer
certificatePolicies = 2.23.140.1.2.1
1.3.6.1.4.1.55555.1 = ASN1:UTF8String:tracewb test extension
[ nosan ]
basicConstraints = critical,CA:false
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[ leafca ]
basicConstraints = critical,CA:true
keyUsage = critical,digitalSignature,keyEncipherment,keyCertSign
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
subjectAltName = ${ENV::SAN}
[ client ]
basicConstraints = critical,CA:false
keyUsage = critical,digitalSignature
extendedKeyUsage = clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
subjectAltName = email:alice@contractor.tw.test
EOF
export SAN=DNS:x

# One `openssl ca` database per issuer.
cadb() { # name
	mkdir -p "$W/db/$1"
	: >"$W/db/$1/index.txt"
	echo 01 >"$W/db/$1/crlnumber"
	cat >"$W/db/$1/ca.cnf" <<EOF
[ ca ]
default_ca = this
[ this ]
dir = $W/db/$1
database = \$dir/index.txt
serial = \$dir/serial
crlnumber = \$dir/crlnumber
new_certs_dir = \$dir
certificate = $W/$1.pem
private_key = $W/$1.key
default_md = sha256
policy = anything
unique_subject = no
copy_extensions = none
preserve = yes
email_in_dn = no
[ anything ]
countryName = optional
organizationName = optional
commonName = supplied
[ crl_ext ]
authorityKeyIdentifier = keyid:always
EOF
}
key() { # name [bits | ec]
	case ${2:-2048} in
	ec) openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$W/$1.key" 2>/dev/null ;;
	*) openssl genpkey -algorithm RSA -pkeyopt "rsa_keygen_bits:${2:-2048}" -out "$W/$1.key" 2>/dev/null ;;
	esac
}
csr() { openssl req -new -utf8 -key "$W/$1.key" -subj "$2" -out "$W/$1.csr"; }
# issue NAME SUBJECT ISSUER SERIAL EXT [START END [MD]]
issue() {
	local name=$1 subj=$2 issuer=$3 serial=$4 ext=$5 start=${6:-20250101000000Z} end=${7:-20350101000000Z} md=${8:-sha256}
	csr "$name" "$subj"
	echo "$serial" >"$W/db/$issuer/serial"
	if [ "$issuer" = "$name" ]; then
		openssl ca -batch -notext -selfsign -config "$W/db/$issuer/ca.cnf" -keyfile "$W/$name.key" \
			-in "$W/$name.csr" -startdate "$start" -enddate "$end" -md "$md" \
			-extfile "$W/ext.cnf" -extensions "$ext" -out "$W/$name.pem" 2>"$W/err" || { cat "$W/err" >&2; exit 1; }
	else
		openssl ca -batch -notext -config "$W/db/$issuer/ca.cnf" -in "$W/$name.csr" \
			-startdate "$start" -enddate "$end" -md "$md" \
			-extfile "$W/ext.cnf" -extensions "$ext" -out "$W/$name.pem" 2>"$W/err" || { cat "$W/err" >&2; exit 1; }
	fi
}

O="/C=US/O=tracewb tests"
# -- roots ------------------------------------------------------------------
key root; cadb root; issue root "$O/CN=TW Test Root CA" root 01 root 20250101000000Z 20400101000000Z
key corp-ca; cadb corp-ca; issue corp-ca "$O/CN=TW Corp Client CA" corp-ca 21 root
key contractor; cadb contractor; issue contractor "/C=US/O=Contractor Services/CN=TW Contractor CA" contractor 31 root

# -- intermediates ----------------------------------------------------------------
key inter; cadb inter; issue inter "$O/CN=TW Test Issuing CA" root 0101 subca
key sub; cadb sub; issue sub "$O/CN=TW Test Sub CA" inter 0201 subca
key inter-rekey; issue inter-rekey "$O/CN=TW Test Issuing CA" root 0102 subca
key sha1-ca; cadb sha1-ca; issue sha1-ca "$O/CN=TW SHA-1 Issuing CA" root 0103 subca 20250101000000Z 20350101000000Z sha1
key md5-ca; cadb md5-ca; issue md5-ca "$O/CN=TW MD5 Issuing CA" root 0104 subca 20250101000000Z 20350101000000Z md5
key noca; cadb noca; issue noca "$O/CN=TW Not A CA" root 0106 notca

# md2-ca: issued with SHA-256, then re-signed with md2WithRSAEncryption (see the header).
key md2-ca; cadb md2-ca; issue md2-ca "$O/CN=TW MD2 Issuing CA" root 0105 subca
openssl x509 -in "$W/md2-ca.pem" -outform DER -out "$W/md2-sha256.der"
"$PY" "$HERE/md2sign.py" tbs "$W/md2-sha256.der" "$W/md2-tbs.der"
"$PY" "$HERE/md2sign.py" digestinfo "$W/md2-tbs.der" "$W/md2-di.bin"
openssl pkeyutl -sign -inkey "$W/root.key" -in "$W/md2-di.bin" -out "$W/md2-sig.bin"
"$PY" "$HERE/md2sign.py" assemble "$W/md2-tbs.der" "$W/md2-sig.bin" "$W/md2.der"
openssl x509 -inform DER -in "$W/md2.der" -out "$W/md2-ca.pem"
openssl x509 -in "$W/root.pem" -pubkey -noout >"$W/root-pub.pem"
openssl pkeyutl -verifyrecover -pubin -inkey "$W/root-pub.pem" -in "$W/md2-sig.bin" -out "$W/md2-rec.bin"
"$PY" "$HERE/md2sign.py" check "$W/md2-tbs.der" "$W/md2-rec.bin" >/dev/null
openssl x509 -in "$W/md2-ca.pem" -noout -text | grep -q 'Signature Algorithm: md2WithRSAEncryption'

# -- end entities -----------------------------------------------------------------
key good; SAN=DNS:good.tw.test,DNS:www.good.tw.test issue good "/CN=good.tw.test" inter 1001 good
key sha1-leaf; SAN=DNS:sha1.tw.test issue sha1-leaf "/CN=sha1.tw.test" sha1-ca 1002 server
key md5-leaf; SAN=DNS:md5.tw.test issue md5-leaf "/CN=md5.tw.test" md5-ca 1003 server
key md2-leaf; SAN=DNS:md2.tw.test issue md2-leaf "/CN=md2.tw.test" md2-ca 100f server
key expired; SAN=DNS:expired.tw.test issue expired "/CN=expired.tw.test" inter 1004 server 20240101000000Z 20250101000000Z
key notyet; SAN=DNS:notyet.tw.test issue notyet "/CN=notyet.tw.test" inter 1005 server 20300101000000Z 20310101000000Z
key other; SAN=DNS:other.tw.test,DNS:www.other.tw.test issue other "/CN=other.tw.test" inter 1006 server
key wild; SAN='DNS:*.wild.tw.test,DNS:w*.part.tw.test' issue wild "/CN=*.wild.tw.test" inter 1007 server
key cnonly; issue cnonly "/CN=cnonly.tw.test" inter 1008 nosan
key deep; SAN=DNS:deep.tw.test issue deep "/CN=deep.tw.test" sub 1009 server
key weak-key 1024; SAN=DNS:weak-key.tw.test issue weak-key "/CN=weak-key.tw.test" inter 100a server
key tiny-key 512; SAN=DNS:tiny-key.tw.test issue tiny-key "/CN=tiny-key.tw.test" inter 100b server
key leafca; SAN=DNS:leafca.tw.test issue leafca "/CN=leafca.tw.test" inter 100c leafca
key ec ec; SAN=DNS:ec.tw.test issue ec "/CN=ec.tw.test" inter 100d server
key noca-leaf; SAN=DNS:noca-leaf.tw.test issue noca-leaf "/CN=noca-leaf.tw.test" noca 100e server
key revoked; SAN=DNS:revoked.tw.test issue revoked "/CN=revoked.tw.test" inter 1666 server
key alice; issue alice "/O=Contractor Services/CN=alice" contractor 3101 client
# hostile: a CN with an escape sequence and a bidi override (UTF8String), for the display sanitizer
key hostile; SAN=DNS:hostile.tw.test issue hostile "/CN=$(printf 'evil\033[2J\342\200\256.tw.test')" inter 1010 server

# -- CRLs ---------------------------------------------------------------------------
# Revoked on 2026-05-20 (before the CRL's lastUpdate): the index line is written the way
# `openssl ca -revoke` writes one, with that date instead of today's.
awk -F'\t' 'BEGIN { OFS = "\t" } $4 == "1666" { $1 = "R"; $3 = "260520120000Z,keyCompromise" } { print }' \
	"$W/db/inter/index.txt" >"$W/index.new" && mv "$W/index.new" "$W/db/inter/index.txt"
grep -q '^R.*260520120000Z,keyCompromise.1666' "$W/db/inter/index.txt"
openssl ca -batch -config "$W/db/inter/ca.cnf" -gencrl -crlexts crl_ext -crl_lastupdate 20260525000000Z \
	-crl_nextupdate 20260625000000Z -out "$W/inter.crl.pem" 2>"$W/err" || { cat "$W/err" >&2; exit 1; }
openssl crl -in "$W/inter.crl.pem" -outform DER -out "$W/inter.crl"
openssl ca -batch -config "$W/db/root/ca.cnf" -gencrl -crlexts crl_ext -crl_lastupdate 20260401000000Z \
	-crl_nextupdate 20260408000000Z -out "$W/root.crl.pem" 2>"$W/err" || { cat "$W/err" >&2; exit 1; }
openssl crl -in "$W/root.crl.pem" -outform DER -out "$W/root.crl"

# -- OCSP: a request for good.pem and inter's answer (status good), fetched with GET in healthy.pcap
openssl ocsp -issuer "$W/inter.pem" -cert "$W/good.pem" -no_nonce -reqout "$W/good-ocsp-req.der" >/dev/null
openssl ocsp -index "$W/db/inter/index.txt" -rsigner "$W/inter.pem" -rkey "$W/inter.key" -CA "$W/inter.pem" \
	-reqin "$W/good-ocsp-req.der" -respout "$W/good.ocsp" -ndays 3650 >/dev/null 2>&1
openssl ocsp -respin "$W/good.ocsp" -resp_text -noverify 2>/dev/null | grep -q 'Cert Status: good'

# -- sanity: what openssl itself says ---------------------------------------------
at=$(date -u -d 2026-06-01T12:00:00Z +%s)
v() { openssl verify -attime "$at" -CAfile "$W/root.pem" "$@" 2>&1 || true; }
v -untrusted "$W/inter.pem" "$W/good.pem" | grep -q ': OK$'
v -untrusted "$W/inter.pem" "$W/expired.pem" | grep -q 'certificate has expired'
v -untrusted "$W/inter.pem" -crl_check -CRLfile "$W/inter.crl" "$W/revoked.pem" | grep -q 'certificate revoked'
v -untrusted "$W/md2-ca.pem" "$W/md2-leaf.pem" | grep -vq ': OK$'
v -untrusted "$W/inter.pem" -untrusted "$W/sub.pem" "$W/deep.pem" | grep -q ': OK$'
openssl verify -attime "$at" -CAfile "$W/contractor.pem" "$W/alice.pem" | grep -q ': OK$'

# -- install -------------------------------------------------------------------------
certs="root corp-ca contractor inter sub inter-rekey sha1-ca md5-ca md2-ca noca good sha1-leaf md5-leaf
       md2-leaf expired notyet other wild cnonly deep weak-key tiny-key leafca ec noca-leaf revoked alice hostile"
rm -f "$HERE"/*.pem "$HERE"/*.crl "$HERE"/*.txt "$HERE"/*.pcap "$HERE"/*.der "$HERE"/*.ocsp
for c in $certs; do
	openssl x509 -in "$W/$c.pem" -out "$HERE/$c.pem"
	{
		openssl x509 -in "$W/$c.pem" -noout -text
		openssl x509 -in "$W/$c.pem" -noout -fingerprint -sha1
		openssl x509 -in "$W/$c.pem" -noout -fingerprint -sha256
	} >"$HERE/$c.txt"
done
cp "$W/inter.crl" "$W/root.crl" "$W/good-ocsp-req.der" "$W/good.ocsp" "$HERE/"
chain() { # name certs...
	local n=$1; shift
	for c in "$@"; do cat "$HERE/$c.pem"; done >"$HERE/chain-$n.pem"
}
chain healthy good inter
chain sha1 sha1-leaf sha1-ca
chain md5 md5-leaf md5-ca
chain md2 md2-leaf md2-ca root
chain expired expired inter
chain wrongname other inter
chain wildcard wild inter
chain missing-inter good
chain out-of-order deep inter sub
chain weak-key weak-key inter
chain mtls-server good inter
chain mtls-client alice contractor
chain revoked revoked inter
chain hostile hostile inter
"$PY" "$HERE/mkcap.py" "$HERE"
echo "make-certs.sh: wrote $(ls "$HERE"/*.pem | wc -l) PEM files, 2 CRLs and $(ls "$HERE"/*.pcap | wc -l) captures in $HERE"
