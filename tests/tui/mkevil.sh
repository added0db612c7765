#!/bin/sh
# mkevil.sh OUT - a one-frame pcap: an HTTP request whose URI and a header
# carry terminal escape sequences (ESC [7m, OSC 0 ... BEL).
set -eu
out=$1
le32() { printf "$(printf '\\%03o\\%03o\\%03o\\%03o' $(($1 & 255)) $((($1 >> 8) & 255)) $((($1 >> 16) & 255)) $((($1 >> 24) & 255)))"; }
be16() { printf "$(printf '\\%03o\\%03o' $((($1 >> 8) & 255)) $(($1 & 255)))"; }
payload=$(mktemp)
printf 'GET /\033[7mPWNED HTTP/1.1\r\nHost: evil.test\r\nX-Evil: \033]0;pwned\007\r\n\r\n' > "$payload"
plen=$(wc -c < "$payload")
iplen=$((20 + 20 + plen))
flen=$((14 + iplen))
{
	le32 2712847316; printf '\002\000\004\000'; le32 0; le32 0; le32 65535; le32 1
	le32 1700000000; le32 0; le32 $flen; le32 $flen
	printf '\000\021\042\063\104\125\000\146\167\210\231\252\010\000'
	printf '\105\000'; be16 $iplen; printf '\000\001\100\000\100\006\000\000'
	printf '\012\000\000\001\012\000\000\002'
	be16 40000; be16 80; printf '\000\000\000\001\000\000\000\000\120\030\377\377\000\000\000\000'
	cat "$payload"
} > "$out"
rm -f "$payload"
