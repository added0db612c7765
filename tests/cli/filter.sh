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

run -Y tcp --check "$S/s1-weak-md2.pcapng"
check "-Y with --check is a usage error" [ "$rc" = 2 ]

run -Y 'tcp.port == 443 && ip.src == 10.77.0.1 && tls' -P "$S/s1-weak-md2.pcapng"
fast=$(printf '%s\n' "$out" | awk '{ print $1 }' | tr '\n' ,)
run -Y 'tcp.port == 443 && ip.src == 10.77.0.1 && tls' -T fields -e frame.number "$S/s1-weak-md2.pcapng"
check "summary fast path and tree path agree" [ "$fast" = "$(printf '%s\n' "$out" | tr '\n' ,)" ]

run --help
check "--help documents -Y" contains "$out" "--display-filter"
finish
