#!/bin/sh
# Bad input files: a one-line clear error per file, exit 2 when nothing could
# be loaded, every complete frame before a cut still loads, and the message
# says where the file was cut.
. "$(dirname "$0")/lib.sh"

good=$DATA/captures/dhcp.pcap           # 4 frames, 1400 bytes, pcap LE us
goodng=$DATA/captures/dhcp.pcapng       # the same frames in pcapng

# Truncated last record: cut 10 bytes off the end of a pcap.
size=$(wc -c < "$good")
head -c $((size - 10)) "$good" > "$TMP/cut.pcap"
run -P "$TMP/cut.pcap"
check "cut pcap exits 0" [ "$rc" = 0 ]
check "cut pcap keeps the 3 complete frames" [ "$(lines "$out")" = 3 ]
# The 4th record starts where the 3rd ends: compute it from the record headers.
off=24
for i in 1 2 3; do
	incl=$(od -An -tu4 -j $((off + 8)) -N4 "$good" | tr -d ' ')
	off=$((off + 16 + incl))
done
check "cut pcap: warning names the offset ($off)" contains "$err" "file cut at offset $off"
check "cut pcap: warning names the file" contains "$err" "cut.pcap"

# Truncated pcapng, cut inside the last block.
size=$(wc -c < "$goodng")
head -c $((size - 30)) "$goodng" > "$TMP/cut.pcapng"
run -P "$TMP/cut.pcapng"
check "cut pcapng exits 0" [ "$rc" = 0 ]
check "cut pcapng keeps 3 frames" [ "$(lines "$out")" = 3 ]
check "cut pcapng warns about the cut" contains "$err" "file cut at offset"

# Cut inside the file header.
head -c 10 "$good" > "$TMP/hdr.pcap"
run -P "$TMP/hdr.pcap"
check "header cut exits 2" [ "$rc" = 2 ]
check "header cut message" contains "$err" "hdr.pcap: file cut inside its header"

# Zero-length file.
: > "$TMP/empty.pcap"
run -P "$TMP/empty.pcap"
check "empty file exits 2" [ "$rc" = 2 ]
check "empty file message" contains "$err" "empty.pcap: empty file (0 bytes)"

# A directory.
mkdir "$TMP/dir.pcap"
run -P "$TMP/dir.pcap"
check "directory exits 2" [ "$rc" = 2 ]
check "directory message" contains "$err" "dir.pcap: is a directory"

# Not a capture: text, JSON, gzip.
echo "hello world, not a capture" > "$TMP/text.pcap"
run -P "$TMP/text.pcap"
check "text exits 2" [ "$rc" = 2 ]
check "text message" contains "$err" "text.pcap: not a capture file"
printf '\037\213\010\000' > "$TMP/c.pcap.gz"
run -P "$TMP/c.pcap.gz"
check "gzip exits 2" [ "$rc" = 2 ]
check "gzip message says decompress" contains "$err" "gzip-compressed"

# Missing file.
run -P "$TMP/nope.pcap"
check "missing exits 2" [ "$rc" = 2 ]
check "missing message" contains "$err" "nope.pcap: No such file or directory"

# Unreadable permissions (as an unprivileged user when running as root).
cp "$good" "$TMP/locked.pcap"
chmod 000 "$TMP/locked.pcap"
if [ "$(id -u)" = 0 ]; then
	chmod 755 "$TMP"
	if command -v setpriv >/dev/null 2>&1; then
		setpriv --reuid=65534 --regid=65534 --clear-groups "$BIN" -P "$TMP/locked.pcap" > "$TMP/out" 2> "$TMP/err"
		rc=$?
		err=$(cat "$TMP/err")
		check "unreadable exits 2" [ "$rc" = 2 ]
		check "unreadable message" contains "$err" "locked.pcap: Permission denied"
	else
		echo "note: setpriv missing; permission case not run"
	fi
else
	run -P "$TMP/locked.pcap"
	check "unreadable exits 2" [ "$rc" = 2 ]
	check "unreadable message" contains "$err" "locked.pcap: Permission denied"
fi

# pcapng whose interfaces have different link types: libpcap refuses.
run -P "$DATA/captures/many_interfaces.pcapng.1"
check "mixed link types exit 2" [ "$rc" = 2 ]
check "mixed link types: names the limitation" contains "$err" "different link-layer types"

# One bad file among good ones: the good ones load, exit 0.
run -P "$good" "$TMP/empty.pcap"
check "one bad among good exits 0" [ "$rc" = 0 ]
check "the good file's frames print" [ "$(lines "$out")" = 4 ]
check "the bad file is named" contains "$err" "empty.pcap: empty file"

# A hostile file name never reaches the terminal raw.
esc=$(printf '\033')
cp "$TMP/text.pcap" "$TMP/bad${esc}[31mname.pcap"
run -P "$TMP/bad${esc}[31mname.pcap"
check "escape in file name is shown escaped" contains "$err" 'bad\x1b[31mname.pcap'
check "no raw ESC on stderr" sh -c "! grep -q \"\$(printf '\\033')\" '$TMP/err'"

# Unsupported link type: frames still listed.
run -P "$DATA/captures/nfs.pcap"
check "unsupported link type exits 0" [ "$rc" = 0 ]
check "unsupported link type listed per frame" [ "$(printf '%s\n' "$out" | grep -c 'unsupported link type 10')" = 2 ]

finish
