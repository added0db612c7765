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
for f in dhcp.pcap synthetic-eth.pcap synthetic-sll.pcap synthetic-null.pcap communityid.pcap dmgr.pcapng tls12-dsb.pcapng; do
	vg -V -x "$d/$f"
	vg -T json "$d/$f"
done
vg -T fields -e ip.src -e tcp.seq -e _ws.col.Info "$d/synthetic-eth.pcap" "$d/dhcp.pcap"
vg "$d/many_interfaces.pcapng.1" "$d/nfs.pcap"
rm -f /tmp/tw-vg.$$
[ "$fail" = 0 ] && echo "valgrind: clean"
exit $fail
