#!/usr/bin/env bash
# make-samples.sh - regenerate tracewb's scenario samples with real software.
#
#   sudo samples/make-samples.sh            # everything from scratch (new PKI, captures, events)
#   sudo samples/make-samples.sh --keep-pki # reuse samples/pki/*, redo captures and events
#   samples/make-samples.sh --events-only   # only rerun events/make-events.py (no root needed)
#   KEEPWORK=1 sudo -E samples/make-samples.sh  # keep the temporary work directory (logs)
#
# Needs root (network namespaces, tcpdump) and: openssl (3.x), tcpdump, iproute2, ethtool,
# python3, dnsmasq (Debian: dnsmasq-base), curl, tshark and editcap (Debian: tshark,
# wireshark-common).  See README.md for what each file shows.
#
# How it works: two network namespaces, twc (the client, 10.77.0.1) and tws (all servers,
# 10.77.0.2 and up, plus DNS on 10.77.0.53), joined by a veth pair with MTU 1500 and every
# offload off, so tcpdump sees wire-sized frames with correct checksums.  Each scenario runs
# openssl s_server / s_client (and for s2 a python ssl client + curl + python http.server +
# dnsmasq) while tcpdump writes the capture from the client's veth.  Nothing is hand-made:
# the only post-processing is editcap (pcap -> pcapng or microsecond pcap, and the +1.25 s
# shift of s7's server file).
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
PY=python3
[ -x /usr/bin/python3 ] && PY=/usr/bin/python3
NSC=twc            # client namespace
NSS=tws            # server namespace
IFC=twc0           # client end of the veth pair (in twc)
IFS_=tws0          # server end (in tws)
CLIENT_IP=10.77.0.1
DNS_IP=10.77.0.53

KEEP_PKI=0
EVENTS_ONLY=0
for a in "$@"; do
    case "$a" in
        --keep-pki) KEEP_PKI=1 ;;
        --events-only) EVENTS_ONLY=1 ;;
        -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
        *) echo "make-samples.sh: unknown option $a" >&2; exit 2 ;;
    esac
done

die() { echo "make-samples.sh: ERROR: $*" >&2; exit 1; }
log() { echo "== $*" >&2; }

if [ "$EVENTS_ONLY" = 1 ]; then
    "$PY" "$HERE/events/make-events.py" "$HERE"
    exit 0
fi

[ "$(id -u)" = 0 ] || die "needs root (network namespaces, tcpdump): run with sudo"
for t in openssl tcpdump ip ethtool dnsmasq curl tshark editcap capinfos; do
    command -v "$t" >/dev/null || die "missing tool: $t (apt-get install openssl tcpdump iproute2 ethtool dnsmasq-base curl tshark)"
done
openssl version | grep -q '^OpenSSL 3' || die "needs OpenSSL 3.x"

WORK=$(mktemp -d /tmp/tracewb-samples.XXXXXX)
OUT=$WORK/out            # finished files, moved into samples/ at the very end
mkdir -p "$OUT" "$WORK/run"
BGPIDS=()

cleanup() {
    local rc=$?
    set +e
    for p in "${BGPIDS[@]:-}"; do
        [ -n "$p" ] && kill "$p" 2>/dev/null
    done
    sleep 0.2
    for p in "${BGPIDS[@]:-}"; do
        [ -n "$p" ] && kill -9 "$p" 2>/dev/null
    done
    ip netns del $NSC 2>/dev/null
    ip netns del $NSS 2>/dev/null
    rm -rf /etc/netns/$NSC
    if [ $rc -ne 0 ]; then
        echo "make-samples.sh: FAILED (rc=$rc); work files kept in $WORK" >&2
    elif [ -n "${KEEPWORK:-}" ]; then
        echo "make-samples.sh: work files kept in $WORK (KEEPWORK set)" >&2
    else
        rm -rf "$WORK"
    fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ============================================================== PKI
# Every certificate is made by openssl; the one exception, the md2WithRSAEncryption
# signature of the "legacy" intermediate, is computed by pki/md2sign.py (MD2, RFC 1319)
# and RSA-signed by `openssl pkeyutl` with the root's key, then checked with -verifyrecover.
P=$WORK/pki
ext_file=$WORK/ext.cnf

make_pki() {
    log "PKI"
    mkdir -p "$P"
    cat >"$ext_file" <<'EOF'
[ root ]
basicConstraints = critical,CA:true
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
[ subca ]
basicConstraints = critical,CA:true,pathlen:0
keyUsage = critical,keyCertSign,cRLSign,digitalSignature
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
crlDistributionPoints = URI:http://crl.pki.example.test/pki/example-root-ca.crl
[ server ]
basicConstraints = critical,CA:false
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
subjectAltName = DNS:${ENV::SAN1},DNS:${ENV::SAN2}
crlDistributionPoints = URI:http://crl.pki.example.test/pki/example-issuing-g2.crl
[ server_nocdp ]
basicConstraints = critical,CA:false
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
subjectAltName = DNS:${ENV::SAN1},DNS:${ENV::SAN2}
[ client ]
basicConstraints = critical,CA:false
keyUsage = critical,digitalSignature
extendedKeyUsage = clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
subjectAltName = email:alice@contractor.test
EOF
    rsa()  { openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$P/$1.key" 2>/dev/null; }
    ec()   { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$P/$1.key"; }
    selfsigned() { # name subject days
        openssl req -new -x509 -key "$P/$1.key" -subj "$2" -days "$3" -sha256 \
            -set_serial "$4" -config "$ext_file" -extensions root -out "$P/$1.pem"
    }
    issue() { # name subject issuer serial days extsection san1 san2
        openssl req -new -key "$P/$1.key" -subj "$2" -out "$WORK/$1.csr"
        SAN1=${7:-x} SAN2=${8:-x} openssl x509 -req -in "$WORK/$1.csr" -CA "$P/$3.pem" -CAkey "$P/$3.key" \
            -set_serial "$4" -days "$5" -sha256 -extfile "$ext_file" -extensions "$6" -out "$P/$1.pem" 2>/dev/null
    }
    export SAN1=x SAN2=x

    # a 4096-bit root, as most real roots: with it the Certificate message of s1 needs 3 segments
    openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:4096 -out "$P/example-root-ca.key" 2>/dev/null
    selfsigned example-root-ca "/C=US/O=Example Test PKI/CN=Example Test Root CA" 7300 0x01

    # -- the md2WithRSAEncryption intermediate --------------------------------------
    rsa legacy-md2-ca
    issue legacy-md2-ca "/C=US/O=Example Test PKI/CN=Example Legacy Issuing CA (MD2)" example-root-ca 0x0211 3650 subca
    openssl x509 -in "$P/legacy-md2-ca.pem" -outform DER -out "$WORK/md2-sha256.der"
    "$PY" "$P/md2sign.py" tbs "$WORK/md2-sha256.der" "$WORK/md2-tbs.der"
    "$PY" "$P/md2sign.py" digestinfo "$WORK/md2-tbs.der" "$WORK/md2-di.bin"
    openssl pkeyutl -sign -inkey "$P/example-root-ca.key" -in "$WORK/md2-di.bin" -out "$WORK/md2-sig.bin"
    "$PY" "$P/md2sign.py" assemble "$WORK/md2-tbs.der" "$WORK/md2-sig.bin" "$WORK/md2.der"
    openssl x509 -inform DER -in "$WORK/md2.der" -out "$P/legacy-md2-ca.pem"
    openssl x509 -in "$P/example-root-ca.pem" -pubkey -noout >"$WORK/root-pub.pem"
    openssl pkeyutl -verifyrecover -pubin -inkey "$WORK/root-pub.pem" -in "$WORK/md2-sig.bin" -out "$WORK/md2-rec.bin"
    "$PY" "$P/md2sign.py" check "$WORK/md2-tbs.der" "$WORK/md2-rec.bin" >&2
    openssl x509 -in "$P/legacy-md2-ca.pem" -noout -text | grep -q 'Signature Algorithm: md2WithRSAEncryption' \
        || die "legacy-md2-ca.pem does not show md2WithRSAEncryption"

    rsa example-issuing-g2
    issue example-issuing-g2 "/C=US/O=Example Test PKI/CN=Example Issuing CA G2" example-root-ca 0x0212 3650 subca

    # -- server certificates ----------------------------------------------------------
    rsa shop;  issue shop "/CN=shop.example.test" legacy-md2-ca 0x1001 397 server_nocdp shop.example.test www.shop.example.test
    rsa good;  issue good "/CN=good.example.test" example-issuing-g2 0x1002 397 server good.example.test www.good.example.test
    rsa portal; issue portal "/CN=portal.example.test" example-issuing-g2 0x1003 397 server portal.example.test portal2.example.test
    rsa other; issue other "/CN=other.example.test" example-issuing-g2 0x1005 397 server other.example.test www.other.example.test
    rsa mtls;  issue mtls "/CN=mtls.example.test" example-issuing-g2 0x1006 397 server mtls.example.test api.mtls.example.test
    rsa legacy; issue legacy "/CN=legacy.example.test" example-issuing-g2 0x1007 397 server legacy.example.test erp.example.test
    ec tls13;  issue tls13 "/CN=tls13.example.test" example-issuing-g2 0x1008 397 server tls13.example.test hrr.example.test

    # expired: `openssl ca` is the openssl command that takes explicit start/end dates
    rsa expired
    openssl req -new -key "$P/expired.key" -subj "/CN=expired.example.test" -out "$WORK/expired.csr"
    mkdir -p "$WORK/ca"; : >"$WORK/ca/index.txt"; echo 1004 >"$WORK/ca/serial"
    cat >"$WORK/ca.cnf" <<EOF
[ ca ]
default_ca = g2
[ g2 ]
dir = $WORK/ca
database = \$dir/index.txt
serial = \$dir/serial
new_certs_dir = \$dir
certificate = $P/example-issuing-g2.pem
private_key = $P/example-issuing-g2.key
default_md = sha256
default_crl_days = 7
crlnumber = \$dir/crlnumber
crl_extensions = crl_ext
policy = anything
unique_subject = no
copy_extensions = none
[ anything ]
commonName = supplied
[ crl_ext ]
authorityKeyIdentifier = keyid:always
EOF
    echo 0A >"$WORK/ca/crlnumber"
    SAN1=expired.example.test SAN2=www.expired.example.test openssl ca -batch -notext -config "$WORK/ca.cnf" \
        -in "$WORK/expired.csr" -startdate 20241101000000Z -enddate 20251101235959Z \
        -extfile "$ext_file" -extensions server -out "$P/expired.pem" 2>/dev/null

    # -- client auth: a CA the mTLS server trusts, and another one that issued alice's cert
    rsa corp-client-ca
    selfsigned corp-client-ca "/C=US/O=Example Corp/CN=Example Corp Client Auth CA" 3650 0x21
    rsa contractor-ca
    selfsigned contractor-ca "/C=US/O=Contractor Services/CN=Contractor Services Issuing CA" 3650 0x31
    rsa alice
    issue alice "/O=Contractor Services/CN=alice" contractor-ca 0x3101 365 client

    # -- s7: a server whose chain ends in a root the client does not trust -----------
    rsa intranet-root
    selfsigned intranet-root "/O=Intranet/CN=Intranet Private Root" 3650 0x41
    rsa intranet; issue intranet "/CN=intranet.example.test" intranet-root 0x4101 397 server_nocdp intranet.example.test intranet

    # -- CRLs: the root's (revokes the retired G1 intermediate) and G2's (revokes portal)
    openssl x509 -in "$P/portal.pem" -out "$WORK/ca/portal.pem"
    openssl ca -batch -config "$WORK/ca.cnf" -revoke "$P/portal.pem" -crl_reason keyCompromise 2>/dev/null
    openssl ca -batch -config "$WORK/ca.cnf" -gencrl -crldays 7 -out "$WORK/g2.crl.pem" 2>/dev/null
    openssl crl -in "$WORK/g2.crl.pem" -outform DER -out "$P/example-issuing-g2.crl"
    mkdir -p "$WORK/rootca"; : >"$WORK/rootca/index.txt"; echo 03 >"$WORK/rootca/crlnumber"
    sed -e "s#dir = $WORK/ca#dir = $WORK/rootca#" -e "s#$P/example-issuing-g2#$P/example-root-ca#g" \
        "$WORK/ca.cnf" >"$WORK/rootca.cnf"
    # G1 was never issued here; its index line is written the way `openssl ca -revoke` writes one
    printf 'R\t300101000000Z\t250301120000Z,superseded\t0210\tunknown\t/C=US/O=Example Test PKI/CN=Example Issuing CA G1\n' \
        >"$WORK/rootca/index.txt"
    openssl ca -batch -config "$WORK/rootca.cnf" -gencrl -crldays 30 -out "$WORK/root.crl.pem" 2>/dev/null
    openssl crl -in "$WORK/root.crl.pem" -outform DER -out "$P/example-root-ca.crl"

    # -- bundles used by the servers -----------------------------------------------
    cat "$P/legacy-md2-ca.pem" "$P/example-root-ca.pem" >"$P/chain-md2.pem"
    cat "$P/example-issuing-g2.pem" >"$P/chain-g2.pem"
    cat "$P/corp-client-ca.pem" "$P/example-root-ca.pem" >"$P/mtls-client-cas.pem"
    rm -f "$P"/*.srl

    # sanity: each chain verifies (or fails) as intended
    openssl verify -CAfile "$P/example-root-ca.pem" -untrusted "$P/chain-g2.pem" "$P/good.pem" >/dev/null
    local v
    v=$(openssl verify -CAfile "$P/example-root-ca.pem" -untrusted "$P/chain-g2.pem" -crl_check \
        -CRLfile "$P/example-issuing-g2.crl" "$P/portal.pem" 2>&1 || true)
    grep -q 'certificate revoked' <<<"$v" || die "portal.pem is not revoked by the G2 CRL: $v"
    v=$(openssl verify -CAfile "$P/example-root-ca.pem" -untrusted "$P/chain-g2.pem" "$P/expired.pem" 2>&1 || true)
    grep -q 'certificate has expired' <<<"$v" || die "expired.pem is not expired: $v"
    openssl verify -CAfile "$P/example-root-ca.pem" -untrusted "$P/chain-md2.pem" "$P/shop.pem" >/dev/null 2>&1 \
        && die "the MD2 chain unexpectedly verifies"
    openssl verify -CAfile "$P/contractor-ca.pem" "$P/alice.pem" >/dev/null
    true
}

if [ "$KEEP_PKI" = 1 ]; then
    log "PKI: reusing $HERE/pki"
    mkdir -p "$P"; cp -a "$HERE/pki/." "$P/"
else
    mkdir -p "$P"; cp "$HERE/pki/md2sign.py" "$P/"
    make_pki
fi

# ============================================================== network
# twc (client 10.77.0.1) <-- veth, MTU 1500 --> tws (servers 10.77.0.2.., DNS 10.77.0.53)
SERVER_IPS="2 3 4 5 6 7 8 9 10 11 12 53"
MAC_C=00:15:5d:4d:57:01     # Hyper-V OUI: the "Windows client"
MAC_S=52:54:00:a7:10:02     # KVM OUI: the server side

net_up() {
    log "network namespaces $NSC / $NSS"
    ip netns del $NSC 2>/dev/null || true
    ip netns del $NSS 2>/dev/null || true
    ip netns add $NSC
    ip netns add $NSS
    ip link add $IFC netns $NSC address $MAC_C mtu 1500 type veth peer name $IFS_ netns $NSS address $MAC_S mtu 1500
    local ns ifc
    for ns in $NSC $NSS; do
        ip netns exec $ns sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
        ip netns exec $ns ip link set lo up
    done
    ip -n $NSC addr add $CLIENT_IP/24 dev $IFC
    for i in $SERVER_IPS; do ip -n $NSS addr add 10.77.0.$i/24 dev $IFS_; done
    for ns in $NSC $NSS; do
        ifc=$IFC; [ $ns = $NSS ] && ifc=$IFS_
        ip netns exec $ns sysctl -qw net.ipv6.conf.$ifc.disable_ipv6=1
        ip netns exec $ns ethtool -K $ifc tso off gso off gro off tx off rx off >/dev/null 2>&1 || true
        ip netns exec $ns ethtool -K $ifc sg off >/dev/null 2>&1 || true
        ip -n $ns link set $ifc up
    done
    # static neighbours: no ARP noise in the captures
    for i in $SERVER_IPS; do ip -n $NSC neigh replace 10.77.0.$i lladdr $MAC_S dev $IFC nud permanent; done
    ip -n $NSS neigh replace $CLIENT_IP lladdr $MAC_C dev $IFS_ nud permanent
    ip netns exec $NSC ethtool -k $IFC | grep -q 'tcp-segmentation-offload: off' || die "TSO still on"
    # the client resolves through dnsmasq in tws (ip netns exec bind-mounts this file)
    mkdir -p /etc/netns/$NSC
    printf 'nameserver %s\noptions timeout:2 attempts:1\n' $DNS_IP >/etc/netns/$NSC/resolv.conf
    printf '127.0.0.1 localhost\n' >/etc/netns/$NSC/hosts
}

start_dns() {
    ip netns exec $NSS dnsmasq --keep-in-foreground --conf-file=/dev/null --no-resolv --no-hosts \
        --no-poll --bind-interfaces --listen-address=$DNS_IP --port=53 --user=root --pid-file= \
        --local-ttl=300 --log-facility="$WORK/run/dnsmasq.log" --log-queries \
        --host-record=shop.example.test,10.77.0.2 \
        --host-record=good.example.test,10.77.0.3 \
        --host-record=portal.example.test,10.77.0.4 \
        --host-record=edge-07.fra.cdn.test,10.77.0.5 \
        --cname=crl.pki.example.test,crl.pki.cdn.test,3600 \
        --cname=crl.pki.cdn.test,edge-07.fra.cdn.test,60 \
        --host-record=mtls.example.test,10.77.0.6 \
        --host-record=legacy.example.test,10.77.0.7 \
        --host-record=expired.example.test,10.77.0.8 \
        --host-record=wrongname.example.test,10.77.0.9 \
        --host-record=other.example.test,10.77.0.9 \
        --host-record=tls13.example.test,10.77.0.10 \
        --host-record=hrr.example.test,10.77.0.11 \
        --host-record=intranet.example.test,10.77.0.12 &
    BGPIDS+=($!)
    local n=0
    until ip netns exec $NSS ss -Hlun "sport = :53" | grep -q "$DNS_IP"; do
        sleep 0.1; n=$((n+1)); [ $n -lt 50 ] || die "dnsmasq did not start"
    done
}

CAP_PID=
start_capture() { # ns iface file
    ip netns exec "$1" tcpdump -i "$2" -n -U --immediate-mode -Z root --time-stamp-precision=nano -w "$3" 2>"$3.log" &
    CAP_PID=$!
    BGPIDS+=($CAP_PID)
    local n=0
    until grep -q 'listening on' "$3.log"; do
        sleep 0.05; n=$((n+1)); [ $n -lt 100 ] || die "tcpdump did not start: $(cat "$3.log")"
    done
    sleep 0.2
}
stop_capture() { # pid
    sleep 0.3
    kill -INT "$1"
    wait "$1" || true
}

# start_server IP PORT CMD... : run a server in tws, wait until it listens
start_server() {
    local ip=$1 port=$2; shift 2
    (cd "$WORK/www" && exec ip netns exec $NSS "$@") >>"$WORK/run/servers.log" 2>&1 &
    SRV_PID=$!
    BGPIDS+=($SRV_PID)
    local n=0
    until ip netns exec $NSS ss -Hltn "sport = :$port" | grep -q "$ip:$port"; do
        sleep 0.05; n=$((n+1)); [ $n -lt 100 ] || die "server on $ip:$port did not start: $*"
    done
}
wait_server() { # pid: the servers run with -naccept 1 / one connection, so they end by themselves
    local n=0
    while kill -0 "$1" 2>/dev/null; do
        sleep 0.05; n=$((n+1))
        if [ $n -gt 100 ]; then kill "$1" 2>/dev/null; break; fi
    done
    wait "$1" 2>/dev/null || true
}

# s_server with a certificate from pki/, one connection, serving ./index.html for -WWW
ossl_server() { # ip cert chain extra-args...
    local ip=$1 cert=$2 chain=$3; shift 3
    local chainopt=()
    [ -n "$chain" ] && chainopt=(-cert_chain "$P/$chain.pem")
    start_server "$ip" 443 openssl s_server -accept "$ip:443" -naccept 1 -WWW \
        -cert "$P/$cert.pem" -key "$P/$cert.key" "${chainopt[@]}" "$@"
}

# s_client as the "Windows client": verifies against the Example Test Root CA
ossl_client() { # host extra-args... ; stdin is the request
    local host=$1; shift
    ip netns exec $NSC openssl s_client -connect "$host:443" -servername "$host" \
        -verify_hostname "$host" -verify_return_error -CAfile "$P/example-root-ca.pem" "$@" \
        >>"$WORK/run/client-$host.log" 2>&1
}
get() { printf 'GET /index.html HTTP/1.0\r\nHost: %s\r\nUser-Agent: tracewb-sample\r\n\r\n' "$1"; }

topcapng() { # in.pcap out.pcapng comment
    editcap -F pcapng --capture-comment "$3" "$1" "$2"
}

net_up
start_dns
mkdir -p "$WORK/www"
printf '<!doctype html><title>ok</title><p>Hello from %s.\n' "the tracewb sample server" >"$WORK/www/index.html"

# ============================================================== s1: MD2 intermediate
s1() {
    log "s1: healthy good.example.test, then shop.example.test with an md2WithRSAEncryption intermediate"
    local cap=$WORK/s1.pcap
    ossl_server 10.77.0.3 good chain-g2 -tls1_2 -quiet
    local p1=$SRV_PID
    # a server at security level 0 will send the weak chain (at level 1+ openssl refuses it)
    ossl_server 10.77.0.2 shop chain-md2 -tls1_2 -quiet -cipher "DEFAULT:@SECLEVEL=0"
    local p2=$SRV_PID
    start_capture $NSC $IFC "$cap"; local cp=$CAP_PID
    get good.example.test | ossl_client good.example.test -ign_eof || die "s1: healthy handshake failed"
    sleep 0.6
    ossl_client shop.example.test </dev/null && die "s1: the MD2 chain was accepted"
    wait_server $p1; wait_server $p2
    stop_capture $cp
    topcapng "$cap" "$OUT/s1-weak-md2.pcapng" "tracewb sample s1: TLS 1.2 chain with an md2WithRSAEncryption intermediate; made by samples/make-samples.sh (tcpdump on a veth, client side)"
}

# ============================================================== s2: CRL fetch, revoked leaf
s2() {
    log "s2: portal.example.test, CRLs fetched mid-handshake from crl.pki.example.test (CNAME chain), leaf revoked"
    local cap=$WORK/s2.pcap
    mkdir -p "$WORK/cdp/pki"
    cp "$P/example-issuing-g2.crl" "$P/example-root-ca.crl" "$WORK/cdp/pki/"
    ossl_server 10.77.0.4 portal chain-g2 -quiet
    local p1=$SRV_PID
    start_server 10.77.0.5 80 "$PY" "$HERE/helpers/crl-httpd.py" 10.77.0.5 80 "$WORK/cdp"
    local p2=$SRV_PID
    start_capture $NSC $IFC "$cap"; local cp=$CAP_PID
    ip netns exec $NSC "$PY" "$HERE/helpers/revocation-client.py" portal.example.test \
        "$P/example-root-ca.pem" "$WORK/run/crls" \
        http://crl.pki.example.test/pki/example-issuing-g2.crl \
        http://crl.pki.example.test/pki/example-root-ca.crl 2>>"$WORK/run/client-portal.log" \
        || die "s2: the client did not fail with 'certificate revoked' ($(cat "$WORK/run/client-portal.log"))"
    wait_server $p1; wait_server $p2
    stop_capture $cp
    topcapng "$cap" "$OUT/s2-crl-revoked.pcapng" "tracewb sample s2: CRL retrieval during a TLS 1.2 handshake, leaf revoked; made by samples/make-samples.sh"
}

# ============================================================== s3: mTLS, untrusted client cert
s3() {
    log "s3: mtls.example.test requests a client certificate and rejects alice's (other CA)"
    local cap=$WORK/s3.pcap
    local cc=(-cert "$P/alice.pem" -key "$P/alice.key" -cert_chain "$P/contractor-ca.pem")
    ossl_server 10.77.0.6 mtls chain-g2 -tls1_2 -quiet -Verify 1 -verify_return_error \
        -CAfile "$P/mtls-client-cas.pem"
    local p1=$SRV_PID
    start_capture $NSC $IFC "$cap"; local cp=$CAP_PID
    get mtls.example.test | ossl_client mtls.example.test "${cc[@]}" -ign_eof && die "s3: alice was accepted"
    wait_server $p1
    sleep 0.8
    # variant 2: a python ssl server (OpenSSL too) that resets the connection after its alert
    start_server 10.77.0.6 443 "$PY" "$HERE/helpers/mtls-rst-server.py" 10.77.0.6 443 \
        "$P/mtls.pem" "$P/mtls.key" "$P/chain-g2.pem" "$P/mtls-client-cas.pem"
    local p2=$SRV_PID
    get mtls.example.test | ossl_client mtls.example.test "${cc[@]}" -ign_eof && die "s3: alice was accepted (rst)"
    wait_server $p2
    stop_capture $cp
    cp "$cap" "$OUT/s3-mtls-unknown-ca.pcap"    # the nanosecond pcap exactly as tcpdump wrote it
}

# ============================================================== s4: TLS 1.0 client, TLS 1.2+ server
s4() {
    log "s4: a TLS 1.0-only client against legacy.example.test (TLS 1.2 minimum)"
    local cap=$WORK/s4.pcap
    ossl_server 10.77.0.7 legacy chain-g2 -quiet -min_protocol TLSv1.2
    local p1=$SRV_PID
    start_capture $NSC $IFC "$cap"; local cp=$CAP_PID
    ossl_client legacy.example.test -tls1 -cipher 'DEFAULT:@SECLEVEL=0' </dev/null \
        && die "s4: TLS 1.0 was accepted"
    wait_server $p1
    stop_capture $cp
    # a microsecond pcap (classic magic a1b2c3d4), the format of most old captures
    editcap -F pcap "$cap" "$OUT/s4-tls10-vs-tls12.pcap"
}

# ============================================================== s5: expired, wrong name
s5() {
    log "s5: expired.example.test (certificate expired), wrongname.example.test (certificate for other.example.test)"
    local cap=$WORK/s5.pcap
    ossl_server 10.77.0.8 expired chain-g2 -quiet
    local p1=$SRV_PID
    ossl_server 10.77.0.9 other chain-g2 -quiet
    local p2=$SRV_PID
    start_capture $NSC $IFC "$cap"; local cp=$CAP_PID
    ossl_client expired.example.test -tls1_2 </dev/null && die "s5: expired certificate accepted"
    sleep 1.1
    ossl_client wrongname.example.test -tls1_2 </dev/null && die "s5: wrong name accepted"
    wait_server $p1; wait_server $p2
    stop_capture $cp
    topcapng "$cap" "$OUT/s5-expired-wrongname.pcapng" "tracewb sample s5: expired certificate, then a name mismatch; made by samples/make-samples.sh"
}

# ============================================================== s6: TLS 1.3, HelloRetryRequest
s6() {
    log "s6: TLS 1.3 to tls13.example.test, then hrr.example.test (server wants P-256, client guessed X25519)"
    local cap=$WORK/s6.pcap
    ossl_server 10.77.0.10 tls13 chain-g2 -quiet -tls1_3
    local p1=$SRV_PID
    ossl_server 10.77.0.11 tls13 chain-g2 -quiet -tls1_3 -groups P-256
    local p2=$SRV_PID
    start_capture $NSC $IFC "$cap"; local cp=$CAP_PID
    get tls13.example.test | ossl_client tls13.example.test -ign_eof || die "s6: TLS 1.3 handshake failed"
    sleep 0.5
    get hrr.example.test | ossl_client hrr.example.test -ign_eof -groups X25519:P-256 || die "s6: HRR handshake failed"
    wait_server $p1; wait_server $p2
    stop_capture $cp
    topcapng "$cap" "$OUT/s6-tls13-hrr.pcapng" "tracewb sample s6: TLS 1.3 handshake, then one with a HelloRetryRequest; made by samples/make-samples.sh"
}

# ============================================================== s7: two-sided capture
S7_OFFSET=1.25
s7() {
    log "s7: intranet.example.test (untrusted root), captured on both ends; server file shifted +$S7_OFFSET s"
    local capc=$WORK/s7c.pcap caps=$WORK/s7s.pcap
    ossl_server 10.77.0.12 intranet "" -quiet -tls1_2 -cert_chain "$P/intranet-root.pem"
    local p1=$SRV_PID
    start_capture $NSS $IFS_ "$caps"; local cps=$CAP_PID
    start_capture $NSC $IFC "$capc"; local cpc=$CAP_PID
    ossl_client intranet.example.test </dev/null && die "s7: untrusted root accepted"
    wait_server $p1
    stop_capture $cpc
    stop_capture $cps
    topcapng "$capc" "$OUT/s7-client.pcapng" "tracewb sample s7, client side (10.77.0.1); the server-side file is s7-server.pcap"
    # the server's clock is 1.25 s ahead: a real editcap time shift, nothing else changed
    editcap -F pcap -t "+$S7_OFFSET" "$caps" "$OUT/s7-server.pcap"
}

# ============================================================== run everything
s1; s2; s3; s4; s5; s6; s7

log "event exports (events/make-events.py)"
mkdir -p "$OUT/pki"
for f in "$P"/*.pem "$P"/*.key "$P"/*.crl; do cp "$f" "$OUT/pki/"; done
"$PY" "$HERE/events/make-events.py" "$OUT" | tee "$WORK/anchors.txt"

# ============================================================== verify with tshark
log "verifying the captures"
check() { # file filter expected-count what
    local n
    n=$(tshark -r "$OUT/$1" -Y "$2" 2>/dev/null | wc -l)
    [ "$n" = "$3" ] || die "$1: expected $3 frame(s) matching '$2' ($4), found $n"
    printf '   ok  %-28s %-70s %s\n' "$1" "$4" "$n" >&2
}
# s1: alert 42 from the client to shop; the Certificate message of shop spans several segments
check s1-weak-md2.pcapng 'tls.alert_message.desc == 42 && ip.src == 10.77.0.1 && ip.dst == 10.77.0.2' 1 'bad_certificate alert to shop'
check s1-weak-md2.pcapng 'tls.handshake.type == 11 && ip.src == 10.77.0.2 && tcp.segments' 1 'shop Certificate reassembled'
check s1-weak-md2.pcapng 'x509af.algorithm.id == 1.2.840.113549.1.1.2' 1 'md2WithRSAEncryption signature'
check s1-weak-md2.pcapng 'tls.handshake.type == 11 && ip.src == 10.77.0.3' 1 'healthy handshake'
check s1-weak-md2.pcapng 'tls.alert_message.level == 2 && ip.src == 10.77.0.3' 0 'no alert on good'
n=$(tshark -r "$OUT/s1-weak-md2.pcapng" -Y 'tls.handshake.type == 11 && ip.src == 10.77.0.2' -T fields -e tcp.segment.count 2>/dev/null)
[ "${n:-0}" -ge 2 ] || die "s1: shop's Certificate is in $n segment(s), expected several"
check s2-crl-revoked.pcapng 'dns.resp.type == 5' 2 'CNAME answers (A and AAAA)'
check s2-crl-revoked.pcapng 'http.request && http.user_agent == "Microsoft-CryptoAPI/10.0"' 2 'CryptoAPI GETs'
check s2-crl-revoked.pcapng 'http.content_type == "application/pkix-crl"' 2 'CRL responses'
check s2-crl-revoked.pcapng 'x509af.userCertificate == 10:03' 1 'serial 0x1003 revoked'
check s2-crl-revoked.pcapng 'tls.alert_message.desc == 44' 1 'certificate_revoked alert'
check s3-mtls-unknown-ca.pcap 'tls.handshake.type == 13' 2 'CertificateRequest'
check s3-mtls-unknown-ca.pcap 'tls.handshake.dnames_len > 0' 1 'CA list in request 1 (2 names)'
check s3-mtls-unknown-ca.pcap 'tls.handshake.dname' 1 'CA names present'
check s3-mtls-unknown-ca.pcap 'tls.alert_message.desc == 48 && ip.src == 10.77.0.6' 2 'unknown_ca from server'
check s3-mtls-unknown-ca.pcap 'tcp.flags.reset == 1 && ip.src == 10.77.0.6' 1 'server RST (variant 2)'
check s4-tls10-vs-tls12.pcap 'tls.handshake.type == 1 && tls.handshake.version == 0x0301 && !tls.handshake.extensions.supported_version' 1 'TLS 1.0-only ClientHello'
check s4-tls10-vs-tls12.pcap 'tls.alert_message.desc == 70' 1 'protocol_version alert'
check s5-expired-wrongname.pcapng 'tls.alert_message.desc == 45' 1 'certificate_expired alert'
check s5-expired-wrongname.pcapng 'tls.handshake.extensions_server_name == "wrongname.example.test"' 1 'SNI wrongname'
check s5-expired-wrongname.pcapng 'x509ce.dNSName == "other.example.test"' 1 'cert for other.example.test'
check s5-expired-wrongname.pcapng 'tls.alert_message.level == 2' 2 'two fatal alerts'
check s6-tls13-hrr.pcapng 'tls.handshake.extensions_key_share_selected_group == 23' 1 'HelloRetryRequest (secp256r1)'
check s6-tls13-hrr.pcapng 'tls.handshake.type == 11' 0 'no cleartext Certificate in TLS 1.3'
check s6-tls13-hrr.pcapng 'tls.handshake.type == 2 && tls.handshake.extensions.supported_version == 0x0304' 3 'TLS 1.3 ServerHellos (incl. HRR)'
check s7-client.pcapng 'tls.alert_message.desc == 48' 1 'unknown_ca (client side)'
check s7-server.pcap 'tls.alert_message.desc == 48' 1 'unknown_ca (server side)'
off=$(grep 'server file - client file' "$WORK/anchors.txt" | awk '{print $(NF-1)}')
case "$off" in +1.2*) ;; *) die "s7: server-client offset is $off, expected about +1.25 s";; esac

# ============================================================== install into samples/
log "installing into $HERE"
rm -f "$HERE"/s[1-7]-* "$HERE/anchors.txt"
find "$HERE/pki" -maxdepth 1 \( -name '*.pem' -o -name '*.key' -o -name '*.crl' \) -delete
cp "$OUT"/s[1-7]-* "$HERE/"
cp "$WORK/anchors.txt" "$HERE/anchors.txt"
cp "$OUT"/pki/* "$HERE/pki/"
du -sh "$HERE" >&2
log "done"
