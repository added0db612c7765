#!/bin/sh
# Command-line options of print mode. Reference values come from tshark 4.0.17
# on the same file:  TZ=UTC tshark -n -r tests/data/captures/dhcp.pcap -t FMT
#   -t ud  -> "2004-12-05 19:16:24.317453" (frame 1), "...317748" (frame 2)
#   -t u   -> "19:16:24.317453"
#   -t e   -> "1102274184.317453"
#   -t r   -> frame 2 "0.000295";  -t d -> frame 2 "0.000295"
. "$(dirname "$0")/lib.sh"
f=$DATA/captures/dhcp.pcap

run -t ud -c 2 "$f"
check "-t ud frame 1" contains "$(printf '%s\n' "$out" | sed -n 1p)" "2004-12-05 19:16:24.317453"
check "-t ud frame 2" contains "$(printf '%s\n' "$out" | sed -n 2p)" "2004-12-05 19:16:24.317748"
run -t u -c 1 "$f";  check "-t u" contains "$out" " 19:16:24.317453 "
run -t e -c 1 "$f";  check "-t e" contains "$out" " 1102274184.317453 "
run -t r -c 2 "$f";  check "-t r" contains "$(printf '%s\n' "$out" | sed -n 2p)" " 0.000295 "
run -t d "$f";       check "-t d" contains "$(printf '%s\n' "$out" | sed -n 2p)" " 0.000295 "
run -t zz "$f";      check "bad -t exits 2" [ "$rc" = 2 ]

# Nanosecond captures print nine digits.
run -t e -c 1 "$DATA/captures/dhcp-nanosecond.pcap"
check "ns pcap keeps 9 digits" contains "$out" " 1102274184.317453000 "

run -c 3 "$f";  check "-c 3 prints 3 lines" [ "$(lines "$out")" = 3 ]
run -c 0 "$f";  check "-c 0 prints nothing" [ -z "$out" ]
run -c x "$f";  check "-c x exits 2" [ "$rc" = 2 ]

# Summary line content (addresses, protocol, length, Info).
run -c 1 "$f"
check "summary has addresses" contains "$out" "0.0.0.0 → 255.255.255.255"
check "summary has proto, length, info" contains "$out" "UDP 314 68 → 67 Len=272"

# -V: the tree's top-level lines, as tshark -V prints them for this frame.
run -V -c 1 "$f"
check "-V frame line" contains "$out" "Frame 1: 314 bytes on wire (2512 bits), 314 bytes captured (2512 bits)"
check "-V eth line" contains "$out" "Ethernet II, Src: 00:0b:82:01:fc:42, Dst: ff:ff:ff:ff:ff:ff"
check "-V ip line" contains "$out" "Internet Protocol Version 4, Src: 0.0.0.0, Dst: 255.255.255.255"
check "-V udp line" contains "$out" "User Datagram Protocol, Src Port: 68, Dst Port: 67"
check "-V nested field" contains "$out" "    Time to Live: 250"
check "-V checksum verified" contains "$out" "Header Checksum: 0x178b [correct]"
check "-V without -P has no summary line" sh -c "! printf '%s\n' \"\$1\" | grep -q '^ *1 *0.000000 '" _ "$out"

# -x: hex dump rows; 314 bytes = 20 rows; first row as xxd would show it.
run -x -c 1 "$f"
check "-x first row" contains "$out" "0000  ff ff ff ff ff ff 00 0b  82 01 fc 42 08 00 45 00  ...........B..E."
check "-x row count" [ "$(printf '%s\n' "$out" | grep -c '^0[0-9a-f][0-9a-f]0  ')" = 20 ]

# -T fields, tshark's -E options.
run -T fields -e frame.number -e ip.src -e udp.dstport -E header=y -E separator=, -c 2 "$f"
check "-T fields header" [ "$(printf '%s\n' "$out" | sed -n 1p)" = "frame.number,ip.src,udp.dstport" ]
check "-T fields row" [ "$(printf '%s\n' "$out" | sed -n 2p)" = "1,0.0.0.0,67" ]
run -T fields -e ip.addr -E occurrence=f -c 1 "$f"
check "occurrence=f" [ "$out" = "0.0.0.0" ]
run -T fields -e ip.addr -E occurrence=l -c 1 "$f"
check "occurrence=l" [ "$out" = "255.255.255.255" ]
run -T fields -e ip.addr -E aggregator=/s -c 1 "$f"
check "aggregator=/s" [ "$out" = "0.0.0.0 255.255.255.255" ]
run -T fields -e ip.src -E quote=d -c 1 "$f"
check "quote=d" [ "$out" = '"0.0.0.0"' ]
run -T fields -e _ws.col.Protocol -e _ws.col.Info -c 1 "$f"
check "column pseudo-fields" [ "$out" = "$(printf 'UDP\t68 → 67 Len=272')" ]
run -T fields -e no.such.field "$f"
check "unknown field exits 2" [ "$rc" = 2 ]
check "unknown field named" contains "$err" "no.such.field"
run -T fields "$f"
check "-T fields without -e exits 2" [ "$rc" = 2 ]

# -T json: one object per line, with the tree.
run -T json -c 2 "$f"
check "json: two lines" [ "$(lines "$out")" = 2 ]
check "json: fields" contains "$out" '"protocol":"UDP"'
check "json: tree with field names" contains "$out" '"field":"udp.dstport"'

# Several files: one timeline, a source letter per row, ordered by time.
run -c 8 "$f" "$DATA/captures/dhcp-nanosecond.pcap"
check "two sources interleave" [ "$(printf '%s\n' "$out" | cut -c1 | tr -d '\n')" = "ABABABAB" ]

run --version; check "--version" contains "$out" "tracewb "
run --help;    check "--help exits 0" [ "$rc" = 0 ]
check "--help lists -T" contains "$out" "-T, --output FORMAT"
run --bogus;   check "unknown option exits 2" [ "$rc" = 2 ]
run;           check "no file exits 2" [ "$rc" = 2 ]

finish
