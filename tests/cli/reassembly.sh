#!/bin/sh
# TCP reassembly on a capture made with real tools (samples/s1-weak-md2.pcapng,
# see samples/README.md), and on the same capture with the middle segment of
# the 3-segment Certificate record deleted (tests/data/captures/s1-lost-segment.pcapng,
# made with editcap, see tests/data/captures/SOURCES.md).
#
# Reference: tshark 4.0.17, `tshark -r FILE -o tcp.reassemble_out_of_order:TRUE`
# (and -V for the trees):
#   original, frame 33: "TLSv1.2 1079 Certificate, Server Key Exchange, Server Hello Done",
#     -V "[3 Reassembled TCP Segments (3525 bytes): #29(1378), #31(1448), #33(699)]";
#     frame 31: "... Len=1448 ... [TCP segment of a reassembled PDU]".
#   lost segment (frames after 30 renumbered: old 32 -> 31, old 33 -> 32, ...):
#     frame 32: "TCP 1079 [TCP Previous segment not captured] 443 → 33572 [PSH, ACK]
#       Seq=2897 ... Len=1013 ... [TCP segment of a reassembled PDU]" - tshark waits
#       for the hole to fill and never dissects the Server Key Exchange and Server
#       Hello Done records in it; tracewb resynchronizes after the gap and does
#       (a deliberate difference);
#     frame 34: "TLSv1.2 73 Alert (Level: Fatal, Description: Bad Certificate)".
# Other differences from tshark seen on these files, not checked here:
#   - a frame that only carries a segment: tshark appends "[TCP segment of a
#     reassembled PDU]" to the TCP summary ("443 → 33572 [ACK] Seq=1449 ... Len=1448
#     TSval=... [TCP segment of a reassembled PDU]"), tracewb shows it alone;
#   - Client Hello frames (record version 0x0301): tshark's Protocol column says
#     "TLSv1", tracewb's the negotiated "TLSv1.2";
#   - lost-segment file, frames 31 and 33 (client ACKs of the missing bytes): tshark
#     flags "[TCP ACKed unseen segment]", tracewb has no such analysis.
. "$(dirname "$0")/lib.sh"
orig=$(cd "$(dirname "$0")/../../samples" && pwd)/s1-weak-md2.pcapng
lost=$DATA/captures/s1-lost-segment.pcapng

# summary line of frame N (from -P output in $out)
frame_line() { printf '%s\n' "$out" | awk -v n="$1" '$1 == n { print; exit }'; }
# -V tree of frame N (from -V output in $out)
frame_tree() { printf '%s\n' "$out" | awk -v n="$1" '/^Frame [0-9]+:/ { on = ($2 == n ":") } on'; }

# ---- the original capture ------------------------------------------------
run -P "$orig"
check "original: exit 0" [ "$rc" = 0 ]
check "original: 38 frames" [ "$(lines "$out")" = 38 ]
check "original: frame 29 is the Server Hello" contains "$(frame_line 29)" "TLSv1.2 1514 Server Hello"
check "original: frame 31 is a segment of a reassembled PDU" \
	contains "$(frame_line 31)" "[TCP segment of a reassembled PDU]"
check "original: frame 33 completes the Certificate" \
	contains "$(frame_line 33)" "TLSv1.2 1079 Certificate, Server Key Exchange, Server Hello Done"
check "original: frame 35 is the alert" \
	contains "$(frame_line 35)" "Alert (Level: Fatal, Description: Bad Certificate)"

run -V "$orig"
t33=$(frame_tree 33)
check "original -V: segments of frame 33" \
	contains "$t33" "[3 Reassembled TCP Segments (3525 bytes): #29(1378), #31(1448), #33(699)]"
check "original -V: segment #29" contains "$t33" "[Frame: 29, payload: 0-1377 (1378 bytes)]"
check "original -V: segment #31" contains "$t33" "[Frame: 31, payload: 1378-2825 (1448 bytes)]"
check "original -V: segment #33" contains "$t33" "[Frame: 33, payload: 2826-3524 (699 bytes)]"
check "original -V: segment count" contains "$t33" "[Segment count: 3]"
check "original -V: Certificate record" contains "$t33" "TLSv1.2 Record Layer: Handshake Protocol: Certificate"
check "original -V: frame 29 points at 33" contains "$(frame_tree 29)" "[Reassembled PDU in frame: 33]"
check "original -V: frame 31 points at 33" contains "$(frame_tree 31)" "[Reassembled PDU in frame: 33]"
check "original -V: nothing never completed" sh -c "! grep -q 'never completed' \"\$1\"" _ "$TMP/out"

# ---- one segment lost ----------------------------------------------------
check "lost-segment file exists" [ -f "$lost" ]
run -P "$lost"
check "lost: exit 0" [ "$rc" = 0 ]
check "lost: 37 frames" [ "$(lines "$out")" = 37 ]
l32=$(frame_line 32)
# Reassembly resumes after the gap: the records behind it are dissected.
check "lost: frame 32 resynchronizes on the next records" \
	contains "$l32" "TLSv1.2 1079 [TCP Previous segment not captured] Server Key Exchange, Server Hello Done"
# tshark: "[TCP Previous segment not captured] 443 → 33572 ..." on frame 32, and
# for a frame whose TLS records it does dissect after a hole it keeps the prefix:
# "[TCP Previous segment not captured] , Application Data".
check "lost: frame 32 is flagged in its summary line" contains "$l32" "[TCP Previous segment not captured]"
check "lost: frame 29 still shows the Server Hello" contains "$(frame_line 29)" "Server Hello"
check "lost: the alert is still dissected (frame 34)" \
	contains "$(frame_line 34)" "TLSv1.2 73 Alert (Level: Fatal, Description: Bad Certificate)"

run -V "$lost"
t29=$(frame_tree 29)
t32=$(frame_tree 32)
check "lost -V: frame 32 analysis" contains "$t32" "[Previous segment(s) not captured (common at capture start)]"
check "lost -V: frame 32 skips the rest of the lost record" \
	contains "$t32" "[699 bytes already seen or before a resynchronization point: not reassembled]"
check "lost -V: frame 32 Server Key Exchange" contains "$t32" "TLSv1.2 Record Layer: Handshake Protocol: Server Key Exchange"
check "lost -V: no reassembly in frame 32" sh -c "! printf '%s' \"\$1\" | grep -q 'Reassembled TCP Segments'" _ "$t32"
check "lost -V: the Certificate never completed (frame 29)" \
	contains "$t29" "Segment of a PDU that never completed"
# The frame frame 29 names must show what was captured of the record, marked.
shown=$(printf '%s\n' "$t29" | sed -n 's/.*what was captured is shown in frame \([0-9]*\).*/\1/p' | head -1)
check "lost -V: frame 29 names a frame ($shown)" [ -n "$shown" ]
ts=$(frame_tree "${shown:-0}")
check "lost -V: frame $shown shows the incomplete record" contains "$ts" "[1 Reassembled TCP Segments (1378 bytes): #29(1378)]"
check "lost -V: frame $shown says it never completed" contains "$ts" "PDU never completed"
check "lost -V: summary says where the handshake stopped" \
	contains "$(frame_tree 34)" "handshake stopped after the server's Server Hello Done (frame 32); client fatal alert bad_certificate (42) (frame 34"


# ---- the per-stream limit (--reassembly-limit) -----------------------------
# The Certificate record is 3525 bytes in 3 segments (tshark, above): with a
# 2 KiB limit, #29(1378) + #31(1448) = 2826 pending bytes pass it at frame 31,
# which shows the two segments cut short with the note; the default (16 MiB)
# never says it.
run -V "$orig"
check "default limit: no note" [ "$(grep -c 'reassembly limit reached' "$TMP/out")" = 0 ]
run -V --reassembly-limit 2K "$orig"
check "--reassembly-limit 2K: exit 0" [ "$rc" = 0 ]
t31=$(frame_tree 31)
check "--reassembly-limit 2K: frame 31 gathers 2 segments" \
	contains "$t31" "[2 Reassembled TCP Segments (2826 bytes): #29(1378), #31(1448)]"
check "--reassembly-limit 2K: frame 31 says the limit was reached" \
	contains "$t31" "[Expert Info (Warning): PDU never completed (reassembly limit reached)]"
check "--reassembly-limit 2K: only there" [ "$(grep -c 'reassembly limit reached' "$TMP/out")" = 1 ]
# The TLS record in it (5-byte header + 3520) is cut by the limit, not by missing bytes.
check "--reassembly-limit 2K: the record names the limit as the cause" \
	contains "$t31" "Record cut short: 2821 of 3520 bytes were reassembled (the reassembly limit was reached)"
run -P --reassembly-limit 2K "$orig"
check "--reassembly-limit 2K: the alert is still found (frame 35)" \
	contains "$(printf '%s\n' "$out" | sed -n 35p)" "Alert (Level: Fatal, Description: Bad Certificate)"
for bad in 100 2G 16Q x ""; do
	run --reassembly-limit "$bad" "$orig"
	check "--reassembly-limit '$bad' refused" [ "$rc" = 2 ]
	check "--reassembly-limit '$bad' explained" contains "$err" "--reassembly-limit needs a size"
done
run -P --reassembly-limit 16M "$orig"
check "--reassembly-limit 16M accepted" [ "$rc" = 0 ]
run -P --reassembly-limit 1MiB "$orig"
check "--reassembly-limit 1MiB accepted" [ "$rc" = 0 ]

finish
