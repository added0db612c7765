#!/bin/sh
# terminal.sh - terminal safety (issue 10): a capture whose HTTP headers,
# DNS names, TLS SNI and certificate subject, and an event export whose
# message, provider and host, and a Schannel event's data (its message is
# written by tracewb from the catalog) carry CSI, OSC 52 clipboard writes,
# title changes, C1 controls, bidi overrides and invalid UTF-8 (made by
# tests/data/gen/hostile-strings.py). No output mode (print modes, --check,
# --certs, --conversations, --export as JSON lines and CSV, both files
# merged) may emit them raw:
# the output is valid UTF-8 with no C0 control but \n and \t, no C1
# control and no bidi override, and the escapes show as text (\x1b).
. "$(dirname "$0")/lib.sh"
CAP=$DATA/captures/hostile-strings.pcapng
EV=$DATA/events/hostile-strings.ndjson

clean() { # FILE: valid UTF-8, no raw controls or bidi overrides
	python3 - "$1" <<'PY'
import sys
d = open(sys.argv[1], "rb").read()
try:
    s = d.decode("utf-8")
except UnicodeDecodeError as e:
    print("invalid UTF-8 at", e.start, d[max(0, e.start - 20):e.start + 10]); sys.exit(1)
for i, ch in enumerate(s):
    o = ord(ch)
    if (o < 0x20 and ch not in "\n\t") or 0x7f <= o <= 0x9f or 0x202a <= o <= 0x202e or 0x2066 <= o <= 0x2069:
        print("raw U+%04X at %d: %r" % (o, i, s[max(0, i - 30):i + 10])); sys.exit(1)
PY
}

# A sanitizer stop at a bug already kept in tests/data/regress/KNOWN: say so
# instead of failing every content check (remove when fixed).
known_hit() {
	for loc in $(cut -f2 "$DATA/regress/KNOWN" | grep '^src/'); do
		grep -q "$loc:[0-9]*: runtime error" "$TMP/err" && { echo "known bug hit ($loc), checks skipped: $*"; return 0; }
	done
	return 1
}

for mode in "-P" "-P -V" "-P -V -x" "-T json" "--check"; do
	for f in "$CAP" "$EV"; do
		n=$(basename "$f")
		run $mode "$f"
		known_hit "$n $mode" && continue
		check "$n $mode: exit 0 or 1 (exit $rc)" [ "$rc" -le 1 ]
		check "$n $mode: stdout has no raw control, C1 or bidi character" clean "$TMP/out"
		check "$n $mode: stderr has no raw control, C1 or bidi character" clean "$TMP/err"
	done
done
run -P -V "$CAP"
known_hit "capture -V" || {
check "capture -V: HTTP header shown escaped" grep -qF 'Server: \x1b[31mRED\x1b[0m\x1b]52;c;' "$TMP/out"
check "capture -V: DNS name shown escaped" grep -qF 'x\x1b[31m.\x1b]0;t\x07.' "$TMP/out"
check "capture -V: SNI shown escaped" grep -qF 'Server Name: a\x1b[31mRED' "$TMP/out"
check "capture -V: certificate subject shown escaped" grep -qF 'CN=' "$TMP/out"
check "capture -V: bidi override shown as \\u202e" grep -qF '\u202e' "$TMP/out"
}
run -T json "$CAP"
known_hit "capture -T json" || check "capture -T json: escapes visible" grep -qF 'x1b[31mRED' "$TMP/out"
run -P -V "$EV"
check "events -V: message shown escaped" grep -qF 'msg \x1b[31mRED\x1b[0m\x1b]52;c;' "$TMP/out"
check "events -V: event data shown escaped" grep -qF 'TargetName: a\x1b[31mRED\x1b[0m\x1b]52;c;' "$TMP/out"
check "events -V: catalog message with the data, escaped" grep -qF 'Target name: a\x1b[31mRED' "$TMP/out"

# Both files on one timeline, and the modes that are not row printing.
for mode in "-P -V" "-T json" "--check" "--check -T json" "--certs" "--certs -T json" "--conversations"; do
	run $mode "$CAP" "$EV"
	known_hit "merged $mode" && continue
	check "merged $mode: exit 0 or 1 (exit $rc)" [ "$rc" -le 1 ]
	check "merged $mode: stdout has no raw control, C1 or bidi character" clean "$TMP/out"
	check "merged $mode: stderr has no raw control, C1 or bidi character" clean "$TMP/err"
done
for ext in jsonl csv; do
	run --export "$TMP/timeline.$ext" "$CAP" "$EV"
	check "--export .$ext: exit 0 (exit $rc)" [ "$rc" = 0 ]
	check "--export .$ext: the file has no raw control, C1 or bidi character" clean "$TMP/timeline.$ext"
	check "--export .$ext: stdout and stderr clean" sh -c 'cat "$1" "$2" > "$3"' _ "$TMP/out" "$TMP/err" "$TMP/both"
	check "--export .$ext: stdout and stderr have no raw control" clean "$TMP/both"
	# JSON doubles the backslash of the escape; CSV keeps it.
	case $ext in jsonl) want='x\\x1b[31m.\\x1b]0;t\\x07.' ;; *) want='x\x1b[31m.\x1b]0;t\x07.' ;; esac
	check "--export .$ext: the DNS name is there, escaped" grep -qF "$want" "$TMP/timeline.$ext"
done
check "--export .jsonl: every line is JSON" python3 -c '
import json, sys
for l in open(sys.argv[1], encoding="utf-8"):
    json.loads(l)' "$TMP/timeline.jsonl"
finish
