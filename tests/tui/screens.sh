#!/bin/sh
# screens.sh - screen tests of the interactive UI: the real binary in a
# private tmux server at 80x24 (and other sizes), keys sent with
# send-keys, assertions on what capture-pane shows.
#
#   tests/tui/screens.sh build/tracewb
set -u
BIN=${1:-build/tracewb}
cd "$(dirname "$0")/../.."
command -v tmux >/dev/null 2>&1 || { echo "tmux is not installed"; exit 1; }
. tests/tui/lib.sh
trap 'tui_stop; rm -rf "$TMPD"' EXIT INT TERM
TMPD=$(mktemp -d)
PCAP=samples/s1-weak-md2.pcapng
EVT=samples/s1-weak-md2.ps51.json
ESC=$(printf '\033')
TUI_ERR="$TMPD/stderr"  # the binary's standard error (sanitizer reports)
: > "$TUI_ERR"

# 1. first screen at 80x24
tui_start 80 24 "$BIN" --tui "$PCAP" "$EVT"
expect "first screen: list header" "No\. *Time *Source *Destination *Proto *Info"
expect "first screen: an event row, distinct" "EVENT *E 36887 Schannel"
expect "first screen: frames" "TLSv1.2 *Client Hello"
expect "first screen: detail tree" "Detail: event 1"
expect "first screen: tabs" "Hex  Certificates  Event"
expect "first screen: hint bar" "H help e next error Tab"
expect "first screen: status bar" "s1-weak-md2.pcapng, B:s1-weak-md2.ps51.json | row 1/45 | time: relative"
[ "$(tui_screen | wc -l)" -le 24 ] || { echo "FAIL more than 24 lines"; fails=$((fails + 1)); }

# 2. e: the bad certificate (frame 33), e again: the alert (frame 35)
tui_keys e
expect "e: the certificate message" "Detail: frame 33"
expect "e: its finding is shown" "\[Error\] Certificate 2"
tui_keys e
expect "e again: on the alert row" "Detail: frame 35"
expect "e again: alert shown" "35 .*Alert (Level: Fatal"
expect "e again: the finding is selected in the tree" "\[Error\].*ad_certificate"

# 3. c: to the Schannel event and back
tui_keys c
expect "c: the correlated Schannel event" "Detail: event 4"
expect "c: it is the 36888" "E 36888 Schannel"
tui_keys c
expect "c again: back on the alert" "Detail: frame 35"
tui_keys S
# reference: tshark -r samples/s1-weak-md2.pcapng -o tcp.reassemble_out_of_order:TRUE -V
#   frame 33 "[3 Reassembled TCP Segments (3525 bytes): #29(1378), #31(1448), #33(699)]",
#   Certificate (3520), Server Key Exchange (300), Server Hello Done (4); frame 35 Alert
expect "S: the connection, both sides" "TCP stream 1, reassembled: client 10.77.0.1:33572 <-> server 10.77.0.2:443"
expect "S: the Client Hello record" "client -> server  frame 27, 323 bytes"
expect "S: the Certificate reassembled from 3 segments" "server -> client  frame 33 (3 segments: #29 #31 #33), 3525 bytes"
expect "S: the Certificate record" "TLSv1.2 Record: Handshake: Certificate, 3520 bytes"
expect "S: records completing in one frame" "TLSv1.2 Record: Handshake: Server Hello Done, 4 bytes"
expect "S: the alert record" "client -> server  frame 35, 7 bytes"
expect "S: the alert" "Alert (Level: Fatal, Description: Bad Certificate), 2 bytes"
expect_not "S: no gap in a complete capture" "GAP"
expect "S: the view says how to leave and pick a direction" "Esc/S close  Tab: both ways"
tui_keys Tab
expect "Tab: the client's side only" "Tab: client -> server only"
expect_not "client only: no server record" "Server Hello"
expect "client only: the alert stays" "Alert (Level: Fatal, Description: Bad Certificate)"
tui_keys Tab
expect "Tab again: the server's side" "TLSv1.2 Record: Handshake: Certificate, 3520 bytes"
expect_not "server only: no Client Hello" "Client Hello"
tui_keys Tab
tui_keys S
expect "S again: back" "Detail: frame 35"

# 4. Tab to the tree, Enter/Right expand, the hex pane highlights the bytes
tui_keys Tab g Down Down
tui_keys Right
expect "Right expands the IP layer" "Version: 4"
tui_keys Down
tui_screen_attr > "$TMPD/attr"
# the highlight: "Version/Header Length" byte 0x45 at frame offset 14
if grep -q "${ESC}\[[0-9;]*4[0-7]m45" "$TMPD/attr" || grep -q "${ESC}\[[0-9;]*7m45" "$TMPD/attr"; then
	echo "ok   hex highlights the selected field's byte"
else
	echo "FAIL no highlighted 45 in the hex pane"; sed 's/^/     |/' "$TMPD/attr" | cat -v; fails=$((fails + 1))
fi
tui_keys Left Left
expect_not "Left collapses" "Version: 4"
tui_keys Enter
expect "Enter toggles open" "Version: 4"

# 5. the certificate chain of the failing handshake: the faulty one stands out
tui_keys Tab Tab
expect "Tab reaches the certificate chain" "Chain from frame 33, leaf first"
expect "leaf certificate" "1 leaf: .*CN=shop.example.test"
expect "the MD2 certificate is badged" "2: \[ERROR\] CN=Example Legacy Issuing"
tui_screen_attr > "$TMPD/certs"
grep -q "${ESC}\[[0-9;]*41m2: \[ERROR\]" "$TMPD/certs" && echo "ok   the faulty certificate is in the error colour" ||
	{ echo "FAIL error badge not coloured"; grep ERROR "$TMPD/certs" | cat -v; fails=$((fails + 1)); }
tui_keys Tab
expect "event tab on a frame" "The selected row is a frame"
tui_keys Tab
expect "Tab wraps to the list" "Detail: frame 35"

# 6. go to, search, time format, quit
tui_keys : 2 7 Enter
expect ": goes to frame 27" "Detail: frame 27"
tui_keys / S c h a n n e l Enter
expect "/ finds the Schannel event" "Detail: event"
tui_keys g
tui_keys t
expect "t cycles the time format" "time: delta"
tui_keys q
sleep 0.3
if TM list-panes -t t -F '#{pane_current_command}' | grep -q sleep; then
	echo "ok   q quits"
else
	echo "FAIL q did not quit"; fails=$((fails + 1))
fi

# 6. resize 120x40 -> 80x24 reflows; too small; back
tui_start 120 40 "$BIN" --tui "$PCAP" "$EVT"
expect "120x40: Len column" "Proto *Len *Info"
tui_resize 80 24
expect_not "80x24 after resize: no Len column" "Proto *Len"
expect "80x24 after resize: status" "row 1/45"
[ "$(tui_screen | grep -c .)" -le 24 ] || { echo "FAIL resize left garbage"; fails=$((fails + 1)); }
tui_resize 30 8
expect "30x8: terminal too small" "terminal too small"
expect_not "30x8: no garbage" "Detail"
tui_resize 80 24
expect "back to 80x24" "Detail: event 1"
tui_stop

# 7. the help overlay lists every bound key (from the live keymap)
tui_start 120 80 "$BIN" --tui "$PCAP"
tui_keys H
tui_screen > "$TMPD/help"
sed -n 's/^[[:space:]]*"bind \([a-z]*\) \([^ ]*\) \([a-z-]*\)\\n"$/\1 \2 \3/p' src/ui/keymap.c > "$TMPD/binds"
[ -s "$TMPD/binds" ] || { echo "FAIL could not read the default bindings"; fails=$((fails + 1)); }
missing=0
while read -r km key act; do
	[ "$key" = '\"' ] && key='"'
	[ "$km" = generic ] && want="$key" || want="$km:$key"
	if ! grep -- " $act " "$TMPD/help" | grep -qF -- "$want"; then
		echo "FAIL help: $want for $act missing"; missing=$((missing + 1))
	fi
done < "$TMPD/binds"
[ $missing = 0 ] && echo "ok   help lists all $(wc -l < "$TMPD/binds") bindings" || fails=$((fails + 1))
tui_keys Escape
expect "help closes" "Detail: frame 1"
tui_stop

# 7b. on a terminal the workbench is the default; -P prints; Enter in the help runs an action
tui_start 80 24 "$BIN" "$PCAP"
expect "default on a terminal: the workbench" "Detail: frame 1"
tui_keys F1 j j j j j j j j j j j j j j j j j j j j j j j j j j j Enter
expect "help (F1): Enter ran next-error" "Detail: frame 33"
tui_stop
tui_start 80 24 "$BIN" -P -c 2 "$PCAP"
expect "-P prints on a terminal" "^ *2 .*DNS"
expect_not "-P: no workbench" "Detail:"
tui_stop

# 8. NO_COLOR: attributes only, no colours
TUI_ENV="NO_COLOR=1" tui_start 80 24 "$BIN" --tui "$PCAP" "$EVT"
tui_screen_attr > "$TMPD/mono"
if grep -q "${ESC}\[[0-9;]*3[0-7]m\|${ESC}\[[0-9;]*4[0-7]m\|${ESC}\[38;\|${ESC}\[48;" "$TMPD/mono"; then
	echo "FAIL NO_COLOR: colours used"; cat -v "$TMPD/mono" | head -5; fails=$((fails + 1))
else
	echo "ok   NO_COLOR: no colours"
fi
grep -q "${ESC}\[[0-9;]*7m" "$TMPD/mono" && echo "ok   NO_COLOR: cursor in reverse video" ||
	{ echo "FAIL NO_COLOR: no reverse cursor"; fails=$((fails + 1)); }
expect "NO_COLOR: usable" "Detail: event 1"
tui_stop

# 8b. themes: monochrome file, 256 colours; a config file rebinding a key
TUI_ENV="" tui_start 80 24 "$BIN" --tui --theme mono "$PCAP"
tui_screen_attr > "$TMPD/mono2"
if grep -q "${ESC}\[[0-9;]*3[0-7]m\|${ESC}\[38;" "$TMPD/mono2"; then
	echo "FAIL --theme mono: colours used"; fails=$((fails + 1))
else
	echo "ok   --theme mono: no colours"
fi
tui_stop
tui_start 80 24 "$BIN" --tui --theme 256 "$PCAP" "$EVT"
tui_screen_attr > "$TMPD/c256"
grep -q "${ESC}\[[0-9;]*38;5;[0-9]*m" "$TMPD/c256" && echo "ok   --theme 256: 256-colour roles" ||
	{ echo "FAIL --theme 256: no 256-colour escapes"; cat -v "$TMPD/c256" | head -3; fails=$((fails + 1)); }
tui_stop
# an 8-colour terminal: the 256-colour theme folds to the 8 basic colours
TUI_ENV="TERM=xterm" tui_start 80 24 "$BIN" --tui --theme 256 "$PCAP" "$EVT"
tui_screen_attr > "$TMPD/c8"
if grep -q "${ESC}\[[0-9;]*38;5;[0-9]*m\|${ESC}\[[0-9;]*48;5;[0-9]*m" "$TMPD/c8"; then
	echo "FAIL TERM=xterm: 256-colour escapes sent"; fails=$((fails + 1))
elif grep -q "${ESC}\[[0-9;]*3[0-7]m\|${ESC}\[[0-9;]*4[0-7]m" "$TMPD/c8"; then
	echo "ok   TERM=xterm: the 256-colour theme in 8 colours"
else
	echo "FAIL TERM=xterm: no colours at all"; cat -v "$TMPD/c8" | head -3; fails=$((fails + 1))
fi
expect "TERM=xterm: usable" "Detail: event 1"
tui_stop
mkdir -p "$TMPD/cfg/tracewb"
printf '# test config\nset time-format utc\nbind generic Q quit\nunbind generic q\n' > "$TMPD/cfg/tracewb/config"
TUI_ENV="XDG_CONFIG_HOME=$TMPD/cfg" tui_start 80 24 "$BIN" --tui "$PCAP"
expect "config: time format" "time: UTC"
expect "config: hint bar follows the keymap" "Q quit"
tui_keys q
expect "config: q unbound" "row 1/"
tui_keys Q
sleep 0.3
TM list-panes -t t -F '#{pane_current_command}' | grep -q sleep && echo "ok   config: Q quits" ||
	{ echo "FAIL config: Q did not quit"; fails=$((fails + 1)); }
tui_stop

# 8b. the display filter prompt (f): the -Y language, checked as it is typed
FST="$TMPD/state"
TUI_ENV="XDG_STATE_HOME=$FST" tui_start 80 24 "$BIN" --tui "$PCAP" "$EVT"
tui_keys Down Down
expect "filter: start on frame 1 (row 3)" "Detail: frame 1 "
tui_keys f
tui_keys -l 'tls.handshake.typo == 11'
expect "filter: the expression is echoed" "^filter: tls.handshake.typo == 11"
expect "filter: the error as it is typed" "unknown field 'tls.handshake.typo'; did you mean tls.handshake.type?"
expect "filter: the caret under the field (column 9)" "^        ^ unknown field"
tui_screen_attr > "$TMPD/fbad"
grep "filter: " "$TMPD/fbad" | grep -q "${ESC}\[[0-9;]*\(41\|7\)[;m]" && echo "ok   filter: invalid expression drawn in the error colour" ||
	{ echo "FAIL filter: invalid expression not in the error colour"; grep "filter: " "$TMPD/fbad" | cat -v; fails=$((fails + 1)); }
tui_keys Enter
expect "filter: Enter on an invalid filter keeps the prompt" "^filter: tls.handshake.typo == 11"
tui_keys C-u
tui_keys -l 'tls.handshake.type == 11'
expect "filter: a valid expression" "valid: Enter filters"
tui_screen_attr > "$TMPD/fgood"
grep "filter: " "$TMPD/fgood" | grep -q "${ESC}\[[0-9;]*32[;m]" && echo "ok   filter: valid expression drawn in the ok colour" ||
	{ echo "FAIL filter: valid expression not in the ok colour"; grep "filter: " "$TMPD/fgood" | cat -v; fails=$((fails + 1)); }
tui_keys Enter
expect "filter: handshake type 11 keeps frame 10" "A  10 .*Certificate, Server Key"
expect "filter: and frame 33" "A  33 .*Certificate, Server Key"
expect_not "filter: no Client Hello" "Client Hello"
expect "filter: status counts the rows" "2 of 45 rows match"
expect "filter: the next matching row is selected" "Detail: frame 10"
tui_keys Escape
expect "filter: Esc clears it, back on frame 1" "Detail: frame 1 "
expect "filter: every row again" "row 3/45"
tui_keys f Up
expect "filter: Up recalls the last filter" "^filter: tls.handshake.type == 11"
tui_keys Enter
tui_keys e
expect "filter: e inside the filtered view" "Detail: frame 33"
tui_keys E
expect "filter: E finds no earlier error in the view" "no previous error"
tui_keys Escape
expect "filter: Esc after choosing a row keeps it" "Detail: frame 33"
expect "filter: at its place among all rows" "row 36/45"
# the issue's filters; the s1 pair has no RST: s3's connection 2 ends with one (frame 35, README)
tui_keys f C-u
tui_keys -l 'event.id == 36888 || tls.alert_message'
tui_keys Enter
expect "filter: 36888 or an alert: frame 35" "A  35 .*Alert (Level: Fatal"
expect "filter: and the 36888 event" "B   4 .*E 36888 Schannel"
expect "filter: the next matching row after frame 33 is selected" "Detail: frame 35"
tui_keys c
expect "filter: c inside the filtered view" "Detail: event 4"
expect_not "filter: c keeps the filtered view" "A  34 "
tui_keys c
expect "filter: c again, back" "Detail: frame 35"
tui_keys f Up
expect "filter: Up recalls the filter typed before" "^filter: event.id == 36888 || tls.alert_message"
tui_keys Up
expect "filter: Up again, the one before" "^filter: tls.handshake.type == 11"
tui_keys Escape Down
expect "filter: Down in the filtered view" "Detail: event 4"
tui_keys f C-u Enter
expect "filter: an empty filter shows every row" "row 42/45 "
expect "filter: the row chosen in the filtered view stays selected" "Detail: event 4"
tui_stop
TUI_ENV="XDG_STATE_HOME=$FST" tui_start 80 24 "$BIN" --tui samples/s3-mtls-unknown-ca.pcap
tui_keys f Up
expect "filter: the history is kept across sessions" "^filter: event.id == 36888 || tls.alert_message"
tui_keys C-u
tui_keys -l 'ip.addr == 10.77.0.6 && tcp.flags.reset == 1'
tui_keys Enter
expect "filter: address and RST: frame 35" "35 .*RST, ACK"
expect "filter: one row" "1 of [0-9]* rows match"
tui_keys f C-u
tui_keys -l 'tcp.port == 99999'
expect "filter: a value out of range, as tshark says" "'99999' is too big for tcp.port, maximum 65535"
tui_keys Escape
expect "filter: Esc in the prompt keeps the applied filter" "filter: ip.addr == 10.77.0.6"
tui_keys f C-u
tui_keys -l 'tcp.port == 1'
tui_keys Enter
expect "filter: no match" "no row matches the filter"
tui_stop
grep -q 'tls.handshake.type == 11' "$FST/tracewb/filter-history" && echo "ok   filter: history file in XDG_STATE_HOME" ||
	{ echo "FAIL filter: no history file"; fails=$((fails + 1)); }

# 9. ASCII drawing when the locale is not UTF-8
TUI_LC_ALL=C tui_start 80 24 "$BIN" --tui "$PCAP"
expect "C locale: ASCII separator" "|"
expect_not "C locale: no UTF-8 box drawing" "│"
tui_stop

# 10. an escape sequence in an HTTP request is shown escaped, never sent
EVIL="$TMPD/evil.pcap"
sh tests/tui/mkevil.sh "$EVIL"
tui_start 80 24 "$BIN" --tui "$EVIL"
expect "request line escaped" 'GET /\\x1b\[7mPWNED'
tui_keys Tab x
tui_keys G
expect "header escaped" 'X-Evil: \\x1b\]0;pwned\\x07'
tui_keys S
expect "follow stream: the request as text, escaped" 'X-Evil: \\x1b\]0;pwned\\x07'
tui_screen_attr >> "$TMPD/evil"
tui_keys Escape
tui_screen_attr >> "$TMPD/evil"
if grep -q "${ESC}\[7mPWNED\|${ESC}\]0;pwned" "$TMPD/evil"; then
	echo "FAIL raw escape sequence from the input reached the terminal"; fails=$((fails + 1))
else
	echo "ok   no raw escape from the input"
fi
tui_stop

# 11. less/vim keys: ? searches backward (n keeps the direction, N reverses); help is H/F1
tui_start 80 24 "$BIN" --tui "$PCAP" "$EVT"
tui_keys G ?
expect "?: the backward search prompt says where help went" "search backward (like less).*Help: H or F1"
tui_keys S c h a n n e l Enter
expect "?Schannel from the last row: event 6" "Detail: event 6"
tui_keys n
expect "n keeps searching backward: event 4" "Detail: event 4"
tui_keys N
expect "N reverses: event 6 again" "Detail: event 6"
# marks: m marks, ' next, " previous (wrapping); shown in the list and the status bar
tui_keys g m j j m g
expect "two marks on the status bar" "| 2 marks"
[ "$(tui_screen | grep -c '^●')" = 2 ] && echo "ok   marked rows carry the mark glyph" ||
	{ echo "FAIL mark glyphs"; tui_screen | sed 's/^/     |/'; fails=$((fails + 1)); }
tui_keys "'"
expect "' goes to the next mark (frame 1)" "Detail: frame 1"
tui_keys "'"
expect "' wraps to the first mark (event 1)" "Detail: event 1"
tui_keys '"'
expect "\" goes to the previous mark, wrapping (frame 1)" "Detail: frame 1"
tui_keys m '"'
expect "unmarked: one mark left" "| 1 mark$"
tui_stop

# 12. config: columns, correlation window; bad lines name file:line
CFG="$TMPD/cfg2"
mkdir -p "$CFG/tracewb"
printf '# columns and window\nset columns no, proto:8, info\nset correlation-window 50us\n' > "$CFG/tracewb/config"
TUI_ENV="XDG_CONFIG_HOME=$CFG" tui_start 80 24 "$BIN" --tui "$PCAP" "$EVT"
expect "set columns: only No., Proto (8 wide) and Info" "^ S No\. Proto    Info"
expect_not "set columns: no Time column" "No\..*Time"
expect "set columns: rows follow" "   6 TLSv1.2  Client Hello"
tui_keys e e c
# the 36888 is logged 0.1-0.3 ms after its alert (samples/README.md): outside a 50 us window
expect "set correlation-window 50us: the alert has no event" "no event is linked to this row"
tui_stop
TUI_ENV="XDG_CONFIG_HOME=$CFG" tui_start 80 24 "$BIN" --tui --window 2s "$PCAP" "$EVT"
tui_keys e e c
expect "--window wins over the config file" "Detail: event 4"
tui_stop
for bad in "set columns no,colour|2: columns: unknown column 'colour'" \
	"set colour red|2: unknown setting 'colour'" \
	"set correlation-window soon|2: correlation-window is a positive duration" \
	"set layout sideways|2: layout is auto, wide or stacked" \
	"sett theme mono|2: unknown command 'sett'" \
	"set $(printf '\033')[31mred on|2: unknown setting '\\x1b[31mred'" \
	"bind generic $(printf '\033')]0;x quit|2: unknown key '\\x1b]0;x'"; do
	printf '# bad\n%s\n' "${bad%%|*}" > "$CFG/tracewb/config"
	XDG_CONFIG_HOME=$CFG "$BIN" --tui "$PCAP" < /dev/null > /dev/null 2> "$TMPD/cfgerr"
	rc=$?
	if [ $rc = 2 ] && grep -qF "$CFG/tracewb/config:${bad#*|}" "$TMPD/cfgerr"; then
		echo "ok   bad config names file:line: $(printf '%s' "${bad%%|*}" | cat -v)"
	else
		echo "FAIL bad config '$(printf '%s' "${bad%%|*}" | cat -v)': rc $rc, want '${bad#*|}':"
		sed 's/^/     |/' "$TMPD/cfgerr" | cat -v; fails=$((fails + 1))
	fi
done

# 13. side-by-side by itself from 160 columns; L toggles
tui_start 170 40 "$BIN" --tui "$PCAP" "$EVT"
tui_screen | head -1 | grep -q "No\. .*Detail: event 1" && echo "ok   170 columns: list and tree side by side" ||
	{ echo "FAIL 170 columns: not side by side"; tui_screen | sed 's/^/     |/'; fails=$((fails + 1)); }
tui_keys L
expect "L: stacked" "stacked layout"
tui_screen | head -1 | grep -q "Detail" && { echo "FAIL L did not stack"; fails=$((fails + 1)); } ||
	echo "ok   L: the tree left the first line"
tui_keys L
tui_screen | head -1 | grep -q "No\. .*Detail: event 1" && echo "ok   L again: side by side" ||
	{ echo "FAIL L again"; fails=$((fails + 1)); }
tui_resize 80 24
expect "80x24: stacked again" "Hex  Certificates  Event"
tui_stop

# 14. warnings found after the first 5000 frames (indexed from the loop) are shown
BIG="$TMPD/big.pcap"
sh tests/tui/mkbig.sh "$BIG"
tui_start 80 24 "$BIN" --tui "$BIG"
expect "status bar counts the load warning" "! 1 warning\|1 new load warning"
tui_keys !
expect "! lists the warnings" "Load warnings: 1"
expect "the cut record is named" "file cut at offset 444024"
tui_keys Escape
expect "Esc closes the list" "row 1/6000"
tui_stop

# 15. follow stream with a segment never captured: a marked GAP
# (tests/data/captures/s1-lost-segment.pcapng: frame 31 of s1, 1448 bytes of payload, deleted)
tui_start 80 30 "$BIN" --tui tests/data/captures/s1-lost-segment.pcapng
tui_keys : 3 2 Enter S
expect "S: the hole is a marked gap with its size" "GAP: 1448 server -> client bytes missing here"
expect "S: the Certificate never completed" "frame 29, 1378 bytes, INCOMPLETE"
expect "S: records after the gap still listed" "Server Key Exchange, 300 bytes"
expect "S: the gap is counted" "1 GAP"
tui_stop

# 16. the issue's "done means", at 80x24 on the demo: e, Tab, c find the failing
# handshake, the bad certificate and the Schannel event (s1: frame 33 carries the
# MD2-signed intermediate, frame 35 the alert 42, event 4 the 36888 with alert code 42)
tui_start 80 24 "$BIN" "$PCAP" "$EVT"
expect "an event row shows its Event tab at once" "Windows Event 36887, Schannel, Error"
tui_keys S
expect "S on an event says what to do" "an event: select a frame (c: its handshake)"
tui_keys e
expect "e: the Certificate message with the error" "Detail: frame 33"
tui_keys Tab Tab
expect "Tab Tab: straight to the faulty chain" "Chain from frame 33, leaf first"
expect "the bad certificate is badged" "2: \[ERROR\] CN=Example Legacy Issuing"
tui_keys e
expect "e: the alert" "Detail: frame 35"
tui_keys c
expect "c: the Schannel event" "Detail: event 4"
expect "c: the side pane follows to the Event tab" "Windows Event 36888, Schannel, Error"
expect "c: how sure" "confidence 100; c again: back"
tui_stop

# 17. 100x30: the Length column, the stream and an empty warnings list
tui_start 100 30 "$BIN" "$PCAP" "$EVT"
expect "100x30: Len column by default" "Proto *Len *Info"
expect "100x30: no warnings, none counted" "row 1/45 | time: relative$"
tui_keys !
expect "! with nothing to list" "(none: every file loaded cleanly)"
tui_keys q
expect "q closes the list (does not quit)" "Detail: event 1"
tui_keys : 3 3 Enter S
expect "100x30 S: reassembled from 3 segments" "frame 33 (3 segments: #29 #31 #33), 3525 bytes"
expect "100x30 S: totals per side" "client: 2 records, 330 bytes. server: 4 records, 3909 bytes"
tui_keys Escape
tui_stop

if [ -s "$TUI_ERR" ]; then
	echo "FAIL the UI wrote to standard error:"; sed 's/^/     |/' "$TUI_ERR" | head -40; fails=$((fails + 1))
fi
echo "$fails failed"
[ "$fails" = 0 ]
