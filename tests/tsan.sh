#!/bin/sh
# tsan.sh - ThreadSanitizer over the threaded print pass (`make tsan`, part of
# `make check`): the ThreadSanitizer build prints the samples and reference
# captures with 3 threads in every print mode, and a 20,000-frame capture
# made from the samples (bench/mkbig.c) in the modes the benchmark uses.
# Any report fails (exit status 66 or a "ThreadSanitizer" line).
#
#   tests/tsan.sh build/tsan/tracewb
set -u
cd "$(dirname "$0")/.."
bin=${1:?usage: tsan.sh build/tsan/tracewb}
export TZ=UTC LC_ALL=C.UTF-8
export TSAN_OPTIONS="halt_on_error=0 exitcode=66 ${TSAN_OPTIONS:-}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0 runs=0
ts() { # args...
	runs=$((runs + 1))
	"$bin" --threads 3 "$@" > /dev/null 2> "$tmp/err"
	rc=$?
	if [ "$rc" = 66 ] || grep -q 'ThreadSanitizer' "$tmp/err"; then
		echo "ThreadSanitizer report (exit $rc) for: tracewb --threads 3 $*"
		head -60 "$tmp/err"
		fail=1
	fi
}

S=samples C=tests/data/captures E=tests/data/events
for f in $S/*.pcap $S/*.pcapng $C/http-ooo.pcap $C/dns_port.pcap $C/tls12-dsb.pcapng $C/rsasnakeoil2.pcap \
         $C/http2-data-reassembly.pcap $C/many_interfaces.pcapng.1 $C/nfs.pcap; do
	[ -f "$f" ] || continue
	ts -P "$f"
	ts -V -x "$f"
	ts -T json "$f"
	ts -T fields -e ip.src -e tls.handshake.type -e x509sat.printableString -e _ws.col.Info "$f"
	ts -Y 'tcp.port == 443' "$f"
	ts -Y 'tls.handshake.type == 11 || http' "$f"
done
for m in -P -V "-T json" "-Y tls||event"; do
	# shellcheck disable=SC2086
	ts $m $S/s7-client.pcapng $S/s7-server.pcap $S/s7-client.evtx.jsonl
	# shellcheck disable=SC2086
	ts $m $S/s3-mtls-unknown-ca.pcap $S/s3-mtls-unknown-ca.winlogbeat.ndjson
done
ts -V "$E/evtx-dump.jsonl" "$E/elastic-hits.ndjson"
ts -V --ca-file $S/pki/example-root-ca.pem $S/s2-crl-revoked.pcapng

# A capture with many chunks per thread and many connections.
cc -O2 -o "$tmp/mkbig" bench/mkbig.c $(pkg-config --cflags --libs libpcap) || { echo "tsan.sh: cannot build bench/mkbig"; exit 1; }
# shellcheck disable=SC2046
"$tmp/mkbig" "$tmp/big.pcap" 20000 $(ls $S/*.pcap $S/*.pcapng) > /dev/null || { echo "tsan.sh: mkbig failed"; exit 1; }
ts -P "$tmp/big.pcap"
ts -Y 'tls.handshake.type == 11' "$tmp/big.pcap"
ts -Y 'ip.addr == 10.0.0.0/8 && tcp.flags.reset == 1' -c 500 "$tmp/big.pcap"
ts -V -c 3000 "$tmp/big.pcap"
ts -T json -c 3000 "$tmp/big.pcap"

echo "tsan: $runs runs, $([ $fail = 0 ] && echo 'no reports' || echo 'REPORTS')"
exit $fail
