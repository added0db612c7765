#!/bin/sh
# --threads: the print pass in worker threads prints exactly what the serial
# loop (--threads 1) prints, byte for byte, in every mode; the serial loop is
# the one the tshark oracle (tests/oracle) checks field by field, and the
# default (one thread per CPU) is the one every other test runs.
. "$(dirname "$0")/lib.sh"
S=$(cd "$(dirname "$0")/../../samples" && pwd)
C=$DATA/captures
E=$DATA/events

# same NAME ARGS...: --threads 1, 2 and 3 (more threads than rows per
# chunk on these small files) and the default agree, status included.
same() {
	name=$1; shift
	"$BIN" --threads 1 "$@" > "$TMP/t1" 2> "$TMP/e1"; r1=$?
	ok=true
	for t in 2 3 default; do
		if [ $t = default ]; then
			"$BIN" "$@" > "$TMP/tn" 2> "$TMP/en"; rn=$?
		else
			"$BIN" --threads $t "$@" > "$TMP/tn" 2> "$TMP/en"; rn=$?
		fi
		if [ $r1 != $rn ] || ! cmp -s "$TMP/t1" "$TMP/tn" || ! cmp -s "$TMP/e1" "$TMP/en"; then
			echo "  --threads $t differs from --threads 1: tracewb $*"
			diff "$TMP/t1" "$TMP/tn" | head -5
			ok=false
		fi
	done
	check "$name" $ok
}

caps="$S/s1-weak-md2.pcapng $S/s2-crl-revoked.pcapng $S/s3-mtls-unknown-ca.pcap $S/s4-tls10-vs-tls12.pcap
$S/s5-expired-wrongname.pcapng $S/s6-tls13-hrr.pcapng $S/s7-client.pcapng $S/s7-server.pcap
$C/http-ooo.pcap $C/dns_port.pcap $C/dhcp.pcap $C/tls12-dsb.pcapng $C/many_interfaces.pcapng.1"
for f in $caps; do
	b=$(basename "$f")
	same "$b -P" -P "$f"
	same "$b -V -x -t ad" -V -x -t ad "$f"
	same "$b -x -t d" -x -t d "$f"
	same "$b -T json" -T json "$f"
	same "$b -T fields" -T fields -E header=y -e frame.number -e _ws.col.Time -e ip.src -e tcp.srcport \
		-e tls.handshake.type -e x509sat.printableString -e frame.time_delta_displayed -e _ws.col.Info "$f"
	same "$b -Y summary fields" -Y 'tcp.port == 443 || udp.port == 53' "$f"
	same "$b -Y tree fields" -Y 'tls.handshake.type == 11 || dns.flags.response == 1' -V "$f"
	same "$b -Y -t dd" -Y 'tcp' -t dd "$f"
	same "$b -Y -c 7" -Y 'tcp' -c 7 "$f"
	same "$b -c 5" -c 5 -t e "$f"
done

# Several sources, events with their owning processes and duplicate marks.
same "capture pair and events -P" -P "$S/s7-client.pcapng" "$S/s7-server.pcap" "$S/s7-client.evtx.jsonl"
same "capture pair and events -V" -V "$S/s7-client.pcapng" "$S/s7-server.pcap" "$S/s7-client.evtx.jsonl"
same "capture and events -T json" -T json "$S/s1-weak-md2.pcapng" "$S/s1-weak-md2.evtx.jsonl"
same "capture and events -T fields process" -T fields -e frame.number -e process.name -e event.id \
	"$S/s3-mtls-unknown-ca.pcap" "$S/s3-mtls-unknown-ca.winlogbeat.ndjson"
same "capture and events -Y -c" -Y 'tls || event' -c 3 "$S/s1-weak-md2.pcapng" "$S/s1-weak-md2.evtx.jsonl"
same "events -V" -V "$E/evtx-dump.jsonl" "$E/elastic-hits.ndjson" "$E/escapes.ndjson"
same "chain verified against anchors" -V --ca-file "$S/pki/example-root-ca.pem" "$S/s2-crl-revoked.pcapng"

# -c counts printed rows: with a filter the cut falls inside a chunk.
run --threads 3 -Y 'tcp' -c 7 "$S/s1-weak-md2.pcapng"
check "-Y -c 7 prints 7 rows" [ "$(lines "$out")" = 7 ]
run --threads 3 -c 0 "$S/s1-weak-md2.pcapng"
check "-c 0 prints nothing" [ -z "$out" ]

for bad in 0 65 x 2x ""; do
	run --threads "$bad" "$S/s1-weak-md2.pcapng"
	check "--threads '$bad' is a usage error" [ "$rc" = 2 ]
	check "--threads '$bad' says what it wants" contains "$err" "--threads needs a number of threads from 1 to 64"
done
run --help
check "--help documents --threads" contains "$out" "--threads N"

finish
