#!/bin/sh
# --conversations: the TCP/UDP conversation tables. Frame and byte counts are
# those of `tshark -n -q -r samples/s1-weak-md2.pcapng -z conv,tcp` (tshark's
# "<-" columns are B->A):
#   10.77.0.1:39690 <-> 10.77.0.3:443   B->A 9 frames 3621 bytes, A->B 10 frames 1225 bytes
#   10.77.0.1:33572 <-> 10.77.0.2:443   B->A 6 frames 4313 bytes, A->B 9 frames 932 bytes
. "$(dirname "$0")/lib.sh"
s1=$(cd "$(dirname "$0")/../.." && pwd)/samples/s1-weak-md2.pcapng

run --conversations "$s1"
check "exit 0" [ "$rc" = 0 ]
check "two TCP conversations" contains "$out" "TCP conversations in s1-weak-md2.pcapng: 2"
row0=$(printf '%s\n' "$out" | grep '10.77.0.1:39690')
row1=$(printf '%s\n' "$out" | grep '10.77.0.1:33572')
check "stream 0 counts match tshark" sh -c 'set -- $1; [ "$4 $5 $6 $7" = "10 1225 9 3621" ]' _ "$row0"
check "stream 1 counts match tshark" sh -c 'set -- $1; [ "$4 $5 $6 $7" = "9 932 6 4313" ]' _ "$row1"
check "who closed stream 1" contains "$row1" "FIN by client (frame 36)"
check "TLS summary names the alert" contains "$out" "client fatal alert bad_certificate (42) (frame 35"
check "TLS summary says where the handshake stopped" contains "$out" "handshake stopped after the server's Server Hello Done (frame 33)"
check "TLS summary names the SNI" contains "$out" "SNI shop.example.test"
check "healthy handshake complete" contains "$out" "SNI good.example.test, TLS 1.2 TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384; handshake complete"
check "UDP table" contains "$out" "UDP conversations in s1-weak-md2.pcapng: 2"

# A reset connection.
run --conversations "$DATA/captures/tls-renegotiation.pcap"
check "RST by server" contains "$out" "RST by server (frame 53)"
finish
