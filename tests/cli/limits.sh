#!/bin/sh
# limits.sh - resource limits on adversarial captures made here, in the test
# run (tests/data/gen/adversarial.py; too big to commit):
#
#  - about 100 MB of tiny frames: 1-byte TCP
#    segments of an HTTP body announced as 1 GiB, of a chunked body of
#    1-byte chunks, of a header block that never ends and of TLS records;
#    a new UDP conversation and a new IP fragment group every few frames;
#    cut Ethernet headers. -P must finish under a generous time limit with
#    a peak RSS (GNU time) bounded by a small multiple of the file size
#    (3x + 64 MiB; 6x + 256 MiB for ASan's shadow memory and quarantine):
#    a guard against quadratic time and runaway allocation, not a timing
#    test (linearity is measured by `make bench`);
#  - one frame of 256 KiB (libpcap's largest snaplen) whose headers claim
#    64 KiB and that ends in escape sequences: -P -V -x must finish, bounded,
#    and print no ESC;
#  - 20 MB of copies of one IP fragment of a datagram whose last fragment
#    came first and whose first never comes: it must load in the same
#    bounded time (each copy used to re-sort every fragment gathered);
#  - a 5 MB tiny capture with --reassembly-limit 1K: the announced 1 GiB
#    body is cut short once, when its 1025th byte passes the limit, with
#    "reassembly limit reached"; the bytes after it are not gathered (no
#    PDU starts there) so it is never said again.
. "$(dirname "$0")/lib.sh"
GEN=$(cd "$(dirname "$0")/../data/gen" && pwd)/adversarial.py
case $BIN in
*/asan/*) MB=100 LIMIT=600 RSSX=6 RSSPLUS=262144 ;;  # ASan: slower, shadow memory and quarantine
*) MB=100 LIMIT=300 RSSX=3 RSSPLUS=65536 ;;
esac
if ! command -v python3 >/dev/null 2>&1 || ! [ -x /usr/bin/time ]; then
	check "python3 and GNU time (/usr/bin/time) installed" false
	finish
	exit
fi
sane() { # RC ERRFILE
	[ "$1" -le 2 ] || return 1
	! grep -qE 'AddressSanitizer|LeakSanitizer|runtime error:|UndefinedBehaviorSanitizer' "$2"
}
# timed LABEL ARGS...: runs BIN under timeout and GNU time; sets $rc, $secs, $kb.
timed() {
	label=$1; shift
	/usr/bin/time -f "%e %M" -o "$TMP/time" timeout "$LIMIT" "$BIN" "$@" > "$TMP/out" 2> "$TMP/err"
	rc=$?
	read -r secs kb < "$TMP/time" || { secs=? kb=0; }
	echo "$label: exit $rc, ${secs} s, peak RSS $((kb / 1024)) MiB"
}

python3 "$GEN" tiny "$TMP/tiny.pcap" "$MB" > /dev/null
size_kb=$(( $(wc -c < "$TMP/tiny.pcap") / 1024 ))
timed "tiny frames ($MB MB) -P" -P "$TMP/tiny.pcap"
check "tiny frames: -P finishes within ${LIMIT}s, no sanitizer report (exit $rc)" sane "$rc" "$TMP/err"
frames=$(wc -l < "$TMP/out")
check "tiny frames: every frame printed ($frames)" [ "$frames" -gt $((MB * 15000)) ]
check "tiny frames: peak RSS $((kb / 1024)) MiB <= ${RSSX}x the file + $((RSSPLUS / 1024)) MiB" \
	[ "$kb" -le $((size_kb * RSSX + RSSPLUS)) ]
rm -f "$TMP/tiny.pcap" "$TMP/out"

python3 "$GEN" big "$TMP/big.pcap" 256 > /dev/null
timed "one 256 KiB frame -P -V -x" -P -V -x "$TMP/big.pcap"
check "256 KiB frame: -P -V -x finishes (exit $rc)" sane "$rc" "$TMP/err"
check "256 KiB frame: the hex dump reaches the last byte (0x3ffff)" grep -q '^3fff0 ' "$TMP/out"
check "256 KiB frame: no ESC printed" [ "$(tr -cd '\033' < "$TMP/out" | wc -c)" = 0 ]
check "256 KiB frame: peak RSS $((kb / 1024)) MiB <= 64 MiB + the sanitizer's" [ "$kb" -le $((RSSPLUS + 65536)) ]

python3 "$GEN" frag "$TMP/frag.pcap" 20 > /dev/null
timed "copies of one IP fragment (20 MB) -P" -P "$TMP/frag.pcap"
check "fragment copies: -P finishes within ${LIMIT}s, no sanitizer report (exit $rc)" sane "$rc" "$TMP/err"
check "fragment copies: every frame printed" [ "$(wc -l < "$TMP/out")" -gt 300000 ]
check "fragment copies: peak RSS $((kb / 1024)) MiB <= ${RSSX}x the file + $((RSSPLUS / 1024)) MiB" \
	[ "$kb" -le $(( $(wc -c < "$TMP/frag.pcap") / 1024 * RSSX + RSSPLUS)) ]
rm -f "$TMP/frag.pcap" "$TMP/out"

python3 "$GEN" tiny "$TMP/small.pcap" 5 > /dev/null
run -V --reassembly-limit 1K -Y 'tcp.srcport == 80 && warning' "$TMP/small.pcap"
check "--reassembly-limit 1K on the tiny capture: exit 0" [ "$rc" = 0 ]
cuts=$(grep -c 'PDU never completed (reassembly limit reached)' "$TMP/out")
check "--reassembly-limit 1K: the 1 GiB body is cut short once ($cuts)" [ "$cuts" = 1 ]
# 1-byte segments, one in 7 frames for port 80 (frames 1, 8, ...): the 1025th is frame 7169.
check "--reassembly-limit 1K: the cut is in frame 7169" grep -q '^Frame 7169:' "$TMP/out"
check "--reassembly-limit 1K: it gathers 1025 segments" grep -q '^\[1025 Reassembled TCP Segments (1025 bytes): #1(1), #8(1),' "$TMP/out"
finish
