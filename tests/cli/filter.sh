#!/bin/sh
# Display filters (-Y): selection over frames and events, errors with a caret.
. "$(dirname "$0")/lib.sh"
S=$(cd "$(dirname "$0")/../../samples" && pwd)

run -Y 'tls.handshake.type == 11' -T fields -e frame.number "$S/s1-weak-md2.pcapng"
check "handshake type 11 selects the Certificate frames" [ "$rc" = 0 ]
check "frame numbers stay the original ones" [ "$(printf '%s' "$out" | tr '\n' ,)" = "10,33" ]

run -Y 'tls.handshake.type == 11' "$S/s1-weak-md2.pcapng"
check "summary lines of the selected frames only" [ "$(lines "$out")" = 2 ]
check "summary keeps the original number" contains "$out" "    33 "

run -Y 'event.id == 36888 || tls.alert_message' -T fields -e frame.number -e event.id \
    "$S/s1-weak-md2.pcapng" "$S/s1-weak-md2.evtx.jsonl"
# tshark -Y tls.alert_message selects 16, 18 (encrypted alerts) and 35 here.
check "frames and events together" [ "$(lines "$out")" = 4 ]
check "the encrypted alerts" contains "$out" "16	"
check "the alert frame" contains "$out" "35	"
check "the Schannel event" contains "$out" "	36888"

run -Y 'event.data.AlertDesc == "42" and event.provider contains "Schannel"' -T fields -e event.id \
    "$S/s1-weak-md2.evtx.jsonl"
check "event.data.NAME" [ "$out" = 36888 ]

run -Y 'event.message matches "FATAL ALERT"' -T fields -e event.id "$S/s1-weak-md2.evtx.jsonl"
check "matches is case-insensitive" [ "$(lines "$out")" = 2 ]

run -Y 'error' -T fields -e frame.number "$S/s1-weak-md2.pcapng"
check "error selects rows with an error finding" contains "$out" "35"

run -Y 'ip.addr == 10.77.0.2 && tcp.flags.reset == 1' "$S/s1-weak-md2.pcapng"
check "no match is not an error" [ "$rc" = 0 ] && check "and prints nothing" [ -z "$out" ]

run -Y 'tls.handshake.typo == 1' "$S/s1-weak-md2.pcapng"
check "typo: exit 2" [ "$rc" = 2 ]
check "typo: suggestion" contains "$err" "did you mean tls.handshake.type?"
check "typo: caret under the field" contains "$err" "    ^~~~~~~~~~~~~~~~~~"
check "typo: nothing printed" [ -z "$out" ]

run -Y 'tcp.port == 443 and (ip.src == 10.77.0.1' "$S/s1-weak-md2.pcapng"
check "unmatched paren: exit 2" [ "$rc" = 2 ]
check "unmatched paren: message" contains "$err" "unmatched '('"
check "unmatched paren: caret" contains "$err" "                     ^"

run -Y 'tcp.port == https' "$S/s1-weak-md2.pcapng"
check "bad value: message" contains "$err" "'https' is not a valid value for tcp.port"
check "bad value: caret" contains "$err" "                ^~~~~"

run -Y 'ip.addr == 10.77.0.0/33' "$S/s1-weak-md2.pcapng"
check "bad prefix" contains "$err" "not a valid value for ip.addr"

# ---- tracewb's own fields (row context); facts from samples/README.md ----
# s1: the Certificate message of shop.example.test is reassembled in frame 33; its 2nd
# certificate is signed md2WithRSAEncryption. s5: frame 10 carries the expired leaf
# (valid 2024-11-01 to 2025-11-01), frame 25 the other.example.test certificate.
run -Y 'cert.sigalg contains "md2"' -T fields -e frame.number "$S/s1-weak-md2.pcapng"
check "cert.sigalg: the MD2 chain's frame" [ "$out" = 33 ]
run -Y 'cert.sigalg == "md2WithRSAEncryption"' -P "$S/s1-weak-md2.pcapng"
check "cert.sigalg: summary print too" [ "$(printf '%s\n' "$out" | awk '{print $1}')" = 33 ]
run -Y 'cert.subject contains "Legacy Issuing CA"' -T fields -e frame.number "$S/s1-weak-md2.pcapng"
check "cert.subject" [ "$out" = 33 ]
run -Y 'cert.issuer contains "Legacy Issuing CA"' -T fields -e frame.number "$S/s1-weak-md2.pcapng"
check "cert.issuer: the leaf issued by the MD2 CA" [ "$out" = 33 ]
run -Y 'cert.expired' -T fields -e frame.number "$S/s5-expired-wrongname.pcapng"
check "cert.expired present on both certificate frames" [ "$(printf '%s' "$out" | tr '\n' ,)" = "10,25" ]
run -Y 'cert.expired == 1' -T fields -e frame.number "$S/s5-expired-wrongname.pcapng"
check "cert.expired == 1: the expired leaf" [ "$out" = 10 ]
run -Y 'x509ce.dNSName == "other.example.test"' -T fields -e frame.number "$S/s5-expired-wrongname.pcapng"
check "x509ce.dNSName (Wireshark name)" [ "$out" = 25 ]

run -Y 'finding contains "MD2"' -T fields -e frame.number "$S/s1-weak-md2.pcapng"
check "finding contains: the MD2 certificate frame" [ "$out" = 33 ]
run -Y 'finding.category == "certificate"' -T fields -e frame.number "$S/s1-weak-md2.pcapng"
check "finding.category" [ "$out" = 33 ]
run -Y 'finding && event' -T fields -e event.id -e event.data.AlertDesc "$S/s1-weak-md2.pcapng" "$S/s1-weak-md2.ps51.json"
check "finding on events: the 36888 of the failure" contains "$out" "36888	42"
run -Y 'not finding && frame.number <= 35' -T fields -e frame.number "$S/s1-weak-md2.pcapng"
check "not finding" [ "$(lines "$out")" = 33 ]

# s1 + ps51: 36880 (48215) describes the healthy handshake (frames 3-21), 36888 (48216) the
# failed one (frames 24-38); 36887 (48213) is a decoy 93 s earlier.
run -Y 'correlated && event' -T fields -e event.id "$S/s1-weak-md2.pcapng" "$S/s1-weak-md2.ps51.json"
check "correlated events" [ "$(printf '%s' "$out" | tr '\n' ,)" = "36880,36888" ]
run -Y 'correlated && tls.alert_message.desc == 42' -T fields -e frame.number "$S/s1-weak-md2.pcapng" "$S/s1-weak-md2.ps51.json"
check "correlated frames: the alert" [ "$out" = 35 ]
run -Y 'correlated && frame' -T fields -e frame.number "$S/s1-weak-md2.pcapng" "$S/s1-weak-md2.ps51.json"
check "correlated frames: both connections, nothing else" [ "$(printf '%s' "$out" | tr '\n' ,)" = "3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,24,25,26,27,28,29,30,31,32,33,34,35,36,37,38" ]
run -Y 'correlated' "$S/s1-weak-md2.pcapng"
check "correlated without events: nothing" [ "$rc" = 0 ] && check "and prints nothing" [ -z "$out" ]

# process.*: the OTRF pair (tests/cli/check.sh): Rubeus.exe 2476's Kerberos connection
# 172.18.39.6:53409 -> 172.18.38.5:88 (5156, 5158, Sysmon 3 on WORKSTATION6).
gzip -dc "$DATA/events/otrf-empire-asktgt-ptt.nxlog.jsonl.gz" > "$TMP/otrf.jsonl"
run -Y 'process.name == "rubeus.exe" && tcp' -T fields -e tcp.srcport -e tcp.dstport --tz otrf.jsonl=-04:00 \
    "$DATA/events/otrf-empire-asktgt-ptt.network.pcap" "$TMP/otrf.jsonl"
check "process.name: frames of rubeus's connection" [ "$(lines "$out")" -ge 8 ]
check "process.name: only that connection" [ -z "$(printf '%s\n' "$out" | grep -v '^53409	88$' | grep -v '^88	53409$')" ]
run -Y 'process.pid == 2476 && event' -T fields -e event.id --tz otrf.jsonl=-04:00 \
    "$DATA/events/otrf-empire-asktgt-ptt.network.pcap" "$TMP/otrf.jsonl"
check "process.pid: the linking events themselves" contains "$out" "5156"
run -Y 'process.name == "nosuch.exe"' --tz otrf.jsonl=-04:00 "$DATA/events/otrf-empire-asktgt-ptt.network.pcap" "$TMP/otrf.jsonl"
check "process.name: no match" [ -z "$out" ]

# ---- -Y with --check, --export, --conversations ----
run --check -Y 'ip.addr == 10.77.0.3' "$S/s1-weak-md2.pcapng" "$S/s1-weak-md2.ps51.json"
check "--check -Y: the healthy connection has no error, exit 0" [ "$rc" = 0 ]
check "--check -Y: no failed connection" contains "$out" "0 errors"
run --check -Y 'ip.addr == 10.77.0.2' "$S/s1-weak-md2.pcapng" "$S/s1-weak-md2.ps51.json"
check "--check -Y: the failed connection, exit 1" [ "$rc" = 1 ]
check "--check -Y: its MD2 finding" contains "$out" "MD2"
check "--check -Y: its Schannel event" contains "$out" "36888"
check "--check -Y: not the unrelated decoy" [ -z "$(printf '%s\n' "$out" | grep 36887)" ]
run --check "$S/s1-weak-md2.pcapng"
all=$out
run --check -Y 'tcp' "$S/s1-weak-md2.pcapng"
check "--check -Y: the same report as unfiltered when every connection matches" [ "$out" = "$all" ]
run --export "$TMP/f.jsonl" -Y 'event.id == 36888 || tls.alert_message' "$S/s1-weak-md2.pcapng" "$S/s1-weak-md2.ps51.json"
check "--export -Y: exit 0" [ "$rc" = 0 ]
# (tshark -Y tls.alert_message: 16, 18 (encrypted alerts) and 35)
check "--export -Y: the alerts and the 36888 only" [ "$(grep -c . "$TMP/f.jsonl")" = 4 ]
check "--export -Y: rows named" [ "$(grep -o '"row": *"[^"]*"' "$TMP/f.jsonl" | tr -d ' ' | tr '\n' ,)" = '"row":"A:16","row":"A:18","row":"A:35","row":"B:4",' ]
# tshark -n -r s1-weak-md2.pcapng -q -z conv,tcp,tls: 10.77.0.1:39690 <-> 10.77.0.3:443
# 4 frames 821 bytes ->, 5 frames 3349 bytes <-; 10.77.0.1:33572 <-> 10.77.0.2:443 2/462, 2/2593
run --conversations -Y tls "$S/s1-weak-md2.pcapng"
check "--conversations -Y: exit 0" [ "$rc" = 0 ]
check "--conversations -Y: counts like tshark -z conv,tcp,tls (1)" [ -n "$(printf '%s\n' "$out" | awk '$2 == "10.77.0.1:39690" && $4 == 4 && $5 == 821 && $6 == 5 && $7 == 3349')" ]
check "--conversations -Y: counts like tshark -z conv,tcp,tls (2)" [ -n "$(printf '%s\n' "$out" | awk '$2 == "10.77.0.1:33572" && $4 == 2 && $5 == 462 && $6 == 2 && $7 == 2593')" ]
run --conversations -Y 'udp' "$S/s1-weak-md2.pcapng"
check "--conversations -Y: a filter matching no TCP frame" contains "$out" "TCP conversations in s1-weak-md2.pcapng: 0"
run -Y tcp --certs "$S/s1-weak-md2.pcapng"
check "-Y with --certs is a usage error" [ "$rc" = 2 ]

run -Y 'tcp.port == 443 && ip.src == 10.77.0.1 && tls' -P "$S/s1-weak-md2.pcapng"
fast=$(printf '%s\n' "$out" | awk '{ print $1 }' | tr '\n' ,)
run -Y 'tcp.port == 443 && ip.src == 10.77.0.1 && tls' -T fields -e frame.number "$S/s1-weak-md2.pcapng"
check "summary fast path and tree path agree" [ "$fast" = "$(printf '%s\n' "$out" | tr '\n' ,)" ]

run --help
check "--help documents -Y" contains "$out" "--display-filter"
finish
