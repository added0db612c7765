#!/bin/sh
# hostile.sh - terminal safety of the workbench (issue 10): the
# terminal-safety fixtures (tests/data/gen/hostile-strings.py: CSI, OSC 52
# clipboard writes, title changes, C1 controls, U+202E and invalid UTF-8 in
# HTTP headers, a DNS name, the SNI, a certificate subject, event
# provider/computer/message and Schannel event data) in a private tmux
# server at 160x50. Every screen is captured with `capture-pane -e`, which
# keeps the escape sequences tmux would send to a real terminal: the list,
# the expanded detail tree, the hex pane, follow-stream, the certificate
# pane and the event pane must show the sequences as text (\x1b, \u202e)
# and nothing of them may have reached the terminal: no SGR from the input
# (ESC [31m RED), no title change (pane_title), no clipboard write (with
# set-clipboard on an OSC 52 would make a paste buffer), no C1 control or
# bidi override character on the screen.
# Also: the "reassembly limit reached" note in the workbench's tree.
#
#   tests/tui/hostile.sh build/tracewb
set -u
BIN=${1:-build/tracewb}
cd "$(dirname "$0")/../.."
command -v tmux >/dev/null 2>&1 || { echo "tmux is not installed"; exit 1; }
. tests/tui/lib.sh
trap 'tui_stop; rm -rf "$TMPD"' EXIT INT TERM
TMPD=$(mktemp -d)
CAP=tests/data/captures/hostile-strings.pcapng
EV=tests/data/events/hostile-strings.ndjson
TUI_ERR="$TMPD/stderr"
: > "$TUI_ERR"
ALL="$TMPD/all"
: > "$ALL"
snap() { tui_screen_attr >> "$ALL"; }
# Stacked panes (160 columns would be side by side): the list's Info column gets the whole width.
mkdir -p "$TMPD/config/tracewb" "$TMPD/state"
echo 'set layout stacked' > "$TMPD/config/tracewb/config"
TUI_ENV="XDG_CONFIG_HOME=$TMPD/config XDG_STATE_HOME=$TMPD/state"

tui_start 160 50 "$BIN" --tui "$CAP" "$EV"
TM set-option -g set-clipboard on >/dev/null 2>&1
title0=$(TM display -p -t t '#{pane_title}')
snap
# 1. the list
expect "list: DNS name escaped" 'Standard query 0x1234 A x\\x1b\[31m\.\\x1b\]0;t\\x07\.\\x9b\.\\u202e\.\\xff\.test'
expect "list: event provider escaped" 'E 1 Evil\\x1b\[31mRED\\x1b\[0m\\x1b\]52;c;ZXZpbA==\\x07\\x1b\]0;pwned\\x07\\u009b\\u202e'
expect "list: event computer escaped" ' h\\x1b\[31mRED\\x1b\[0m\\x1b\]52;c;ZXZpbA==\\'

# 2. the HTTP request (frame 4, row 5): tree, hex, follow stream
tui_keys Down Down Down Down
tui_keys Tab x
tui_keys G
snap
expect "tree: HTTP Host escaped" 'Host: ex\\x1b\[31mRED\\x1b\[0m\\x1b\]52;c;ZXZpbA==\\x07\\x1b\]0;pwned\\x07\\x9b\\u009b2J'
expect "tree: HTTP User-Agent escaped" 'User-Agent: \\x1b\[31mRED\\x1b\[0m'
expect "hex: ESC as 1b, a dot in the ASCII column" '0050 78 1b 5b 33 31 6d 52 45 44 1b 5b 30 6d 1b 5d 35  x\.\[31mRED\.\[0m\.\]5'
expect "hex: C1 and RLO bytes as dots" '0070 3b 70 77 6e 65 64 07 9b c2 9b 32 4a e2 80 ae 52  ;pwned\.\.\.\.2J\.\.\.R'
tui_keys S
snap
expect "follow stream of the request" 'TCP stream 0, reassembled: client 10.0.0.1:40000 <-> server 10.0.0.2:80'
tui_keys S

# 3. the HTTP response (frame 5)
tui_keys BTab Down
tui_keys Tab x
tui_keys G
snap
expect "tree: HTTP Server header escaped" 'Server: \\x1b\[31mRED\\x1b\[0m\\x1b\]52;c;'

# 4. the DNS query (frame 6)
tui_keys BTab Down
tui_keys Tab x
tui_keys G
snap
expect "tree: DNS name escaped" 'Name: x\\x1b\[31m\.\\x1b\]0;t\\x07\.\\x9b\.\\u202e\.\\xff\.test'

# 5. the Client Hello (frame 10)
tui_keys BTab Down Down Down Down
tui_keys Tab x
tui_keys G
snap
expect "tree: SNI escaped" 'Server Name: a\\x1b\[31mRED\\x1b\[0m\\x1b\]52;c;'

# 6. the certificate (frame 11): the tree and the certificate pane
tui_keys BTab Down
tui_keys Tab X
tui_keys G '*' z
snap
expect "tree: certificate subject escaped" 'Certificate 1 (431 bytes): O=\\\\1B\]52\\\\;c\\\\;ZXZpbA==\\\\07\\u202eorg'
tui_keys z BTab ']'
snap
expect "certificate pane: subject escaped" 'CN=\\\\1B\[31mRED\\\\1B\[0m\\\\1B\]52\\\\;c'
expect "certificate pane: finding escaped" '(\\x1b\[31mRED\\x1b\[0m\\x1b\]52;c;ZXZpbA==\\x07'

# 7. the events: the Schannel event (data, catalog message), then event 1
tui_keys Down ']'
snap
expect "event pane: Schannel TargetName escaped" 'TargetName.*a\\x1b\[31mRED\\x1b\[0m\\x1b\]52;c;'
tui_keys g Down
snap
expect "event pane: message escaped" 'msg \\x1b\[31mRED\\x1b\[0m\\x1b\]52;c;'

# Nothing reached the terminal.
title1=$(TM display -p -t t '#{pane_title}')
if [ "$title1" = "$title0" ]; then echo "ok   pane title unchanged ($title1)"
else echo "FAIL the pane title changed: '$title0' -> '$title1'"; fails=$((fails + 1)); fi
bufs=$(TM list-buffers 2>/dev/null)
if [ -z "$bufs" ]; then echo "ok   no clipboard write (no paste buffer)"
else echo "FAIL a paste buffer appeared (OSC 52 got through): $bufs"; fails=$((fails + 1)); fi
if python3 - "$ALL" <<'PY'
import re, sys
d = open(sys.argv[1], "rb").read()
s = d.decode("utf-8", "replace")
bad = []
# tmux writes only SGR sequences in a capture; anything else, or the input's own SGR, is a leak.
for m in re.finditer("\x1b", s):
    if not re.match(r"\x1b\[[0-9;:]*m", s[m.start():]):
        bad.append("non-SGR escape %r" % s[m.start():m.start() + 12])
if "\x1b[31mRED" in s:
    bad.append("the input's ESC [31m reached the terminal")
for ch in s:
    o = ord(ch)
    if 0x80 <= o <= 0x9f or 0x202a <= o <= 0x202e or 0x2066 <= o <= 0x2069 or (o < 0x20 and ch not in "\n\x1b"):
        bad.append("raw U+%04X on the screen" % o)
        break
if bad:
    print("\n".join(bad[:5]))
    sys.exit(1)
PY
then echo "ok   no raw escape, C1 or bidi character on any screen ($(wc -l < "$ALL") lines)"
else echo "FAIL raw sequences from the input reached the terminal"; fails=$((fails + 1)); fi
tui_stop

# The reassembly limit in the tree: s1's 3-segment Certificate record with
# a 2 KiB limit is cut short at frame 31 (tests/cli/reassembly.sh).
tui_start 160 50 "$BIN" --tui --reassembly-limit 2K samples/s1-weak-md2.pcapng
tui_keys :
tui_keys 3 1 Enter
tui_keys Tab X
tui_keys G Up Right
expect "tree: frame 31" 'Detail: frame 31'
expect "tree: the two segments gathered" '\[2 Reassembled TCP Segments (2826 bytes): #29(1378), #31(1448)\]'
expect "tree: the reassembly limit note" 'PDU never completed (reassembly limit reached)'
tui_stop

if [ -s "$TUI_ERR" ]; then
	echo "FAIL the UI wrote to standard error:"; sed 's/^/     |/' "$TUI_ERR" | head -40; fails=$((fails + 1))
fi
echo "$fails failed"
[ "$fails" = 0 ]
