#!/bin/sh
# valgrind.sh - memcheck over every print mode on a spread of captures
# (the normal build; the sanitizer build is checked by ASan itself).
set -u
bin=${1:?usage: valgrind.sh BINARY}
d=$(dirname "$0")/data/captures
fail=0
vg() {
	if ! valgrind -q --error-exitcode=9 --leak-check=full --errors-for-leak-kinds=definite,indirect \
		"$bin" "$@" > /dev/null 2> /tmp/tw-vg.$$; then
		echo "valgrind reports errors for: tracewb $*"
		cat /tmp/tw-vg.$$
		fail=1
	fi
}
# The same for runs whose own exit status may be 1 or 2 (--explain found
# nothing, a bad input file among good ones): any other status, or a
# valgrind report ("==PID==" lines), fails.
vge() {
	valgrind -q --error-exitcode=9 --leak-check=full --errors-for-leak-kinds=definite,indirect \
		"$bin" "$@" > /dev/null 2> /tmp/tw-vg.$$
	rc=$?
	if [ "$rc" -gt 2 ] || grep -q '^==[0-9]*==' /tmp/tw-vg.$$; then
		echo "valgrind reports errors (exit $rc) for: tracewb $*"
		cat /tmp/tw-vg.$$
		fail=1
	fi
}
for f in dhcp.pcap synthetic-eth.pcap synthetic-sll.pcap synthetic-null.pcap communityid.pcap dmgr.pcapng tls12-dsb.pcapng; do
	vg -V -x "$d/$f"
	vg -T json "$d/$f"
done
vg -T fields -e ip.src -e tcp.seq -e _ws.col.Info "$d/synthetic-eth.pcap" "$d/dhcp.pcap"
vg "$d/many_interfaces.pcapng.1" "$d/nfs.pcap"
# Windows event exports: every dialect and encoding, bad input, mixed with a capture.
e=$(dirname "$0")/data/events
vge -V "$e/ps51-depth3.utf16le.json" "$e/ps51-default-depth.utf16le.json" "$e/evtx-dump.jsonl" \
	"$e/evtx-dump-records-bad.json" "$e/winlogbeat8.ndjson" "$e/nxlog.jsonl" "$e/malformed-lines.crlf.jsonl" \
	"$e/no-time.ndjson" "$e/truncated-array.json" "$e/package.json" "$e/ps7-single.utf16be.json"
vg -T json --tz -04:00 "$e/nxlog.jsonl" "$e/escapes.ndjson" "$d/dhcp.pcap"
vg -T fields -e event.id -e event.data.AlertDesc -e event.data -e frame.number "$e/evtx-dump.jsonl" "$d/dhcp.pcap"
vge --explain 43 --explain 0x80090326 --explain SEC_E_UNTRUSTED_ROOT --explain 36888 --explain NOPE
rm -f /tmp/tw-vg.$$
[ "$fail" = 0 ] && echo "valgrind: clean"
exit $fail
