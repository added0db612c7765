#!/bin/sh
# Windows event exports on the command line: every sample dialect loads
# with the counts and records samples/README.md documents, events and
# frames share one timeline, --tz, --explain, -T fields/json, and bad input
# (malformed JSON, rejected events, files that are not event exports).
. "$(dirname "$0")/lib.sh"

S=$(cd "$(dirname "$0")/../../samples" && pwd)
E=$DATA/events

# field VALUE... : the -T fields line of the row whose first field is $1
row() { printf '%s\n' "$out" | awk -F'\t' -v k="$1" '$1 == k' | head -1; }
tab() { printf '%s' "$*" | tr ' ' '\t'; }

# ---- the samples (samples/README.md) ---------------------------------------

F="-T fields -e event.record_id -e event.id -e event.level -e event.computer -e event.data.AlertDesc -e event.data.ErrorState -e event.data.TargetName"
for f in s1-weak-md2.ps51.json s1-weak-md2.ps7.json s1-weak-md2.evtx.jsonl s1-weak-md2.winlogbeat.ndjson; do
	# shellcheck disable=SC2086
	run $F "$S/$f"
	check "$f: exit 0" [ "$rc" = 0 ]
	check "$f: 7 events" [ "$(lines "$out")" = 7 ]
	check "$f: record 48216 is 36888 alert 42, state 252, shop.example.test" \
		[ "$(row 48216)" = "$(printf '48216\t36888\tError\tWS01.corp.example.test\t42\t252\tshop.example.test')" ]
	check "$f: record 48213 is the 36887 decoy, alert 40" [ "$(row 48213 | cut -f2,5)" = "$(printf '36887\t40')" ]
	check "$f: records in time order" [ "$(printf '%s\n' "$out" | cut -f1 | tr '\n' ' ')" = "48213 48214 48215 48216 1129840 48217 48218 " ]
	check "$f: no warnings" [ -z "$err" ]
done
# The time of record 48216 (samples/anchors.txt: 2026-11-23T20:13:20.1510443Z); PowerShell 5.1 keeps milliseconds.
run -T fields -e event.record_id -e event.time -t ud "$S/s1-weak-md2.ps7.json"
check "ps7: 48216 at 20:13:20.1510443 UTC (local +01:00 converted)" [ "$(row 48216 | cut -f2)" = "Nov 23, 2026 20:13:20.151044300 UTC" ]
run -T fields -e event.record_id -e event.time "$S/s1-weak-md2.ps51.json"
check "ps51: 48216 at 20:13:20.151 UTC" [ "$(row 48216 | cut -f2)" = "Nov 23, 2026 20:13:20.151000000 UTC" ]
run -T fields -e event.record_id -e event.time "$S/s1-weak-md2.evtx.jsonl"
check "evtx: 48216 at 20:13:20.151044 UTC" [ "$(row 48216 | cut -f2)" = "Nov 23, 2026 20:13:20.151044000 UTC" ]

# The four s1 exports hold the same records: merged, counted.
run -P "$S/s1-weak-md2.ps51.json" "$S/s1-weak-md2.ps7.json" "$S/s1-weak-md2.evtx.jsonl" "$S/s1-weak-md2.winlogbeat.ndjson"
check "s1 x4: 7 rows after merging" [ "$(lines "$out")" = 7 ]
check "s1 x4: duplicates counted per file" [ "$(printf '%s\n' "$err" | grep -c '7 duplicate events merged')" = 3 ]

run -T fields -e event.record_id -e event.id -e event.provider -e event.data.AlertDesc -e event.data.TargetName -e event.data.URL "$S/s2-crl-revoked.evtx.json"
check "s2: 16 events" [ "$(lines "$out")" = 16 ]
check "s2: 48392 is 36888 alert 44 for portal.example.test" [ "$(row 48392 | cut -f2,4,5)" = "$(printf '36888\t44\tportal.example.test')" ]
check "s2: CAPI2 7311..7321 are there" [ "$(printf '%s\n' "$out" | awk -F'\t' '$1 >= 7311 && $1 <= 7321' | wc -l)" = 11 ]
check "s2: 7314 is CAPI2 53 with the CRL URL" [ "$(row 7314 | cut -f2,3,6)" = "$(printf '53\tMicrosoft-Windows-CAPI2\thttp://crl.pki.example.test/pki/example-issuing-g2.crl')" ]
check "s2: framing" sh -c "'$BIN' -V -c 1 '$S/s2-crl-revoked.evtx.json' | grep -q 'Record N blocks'"

run -T fields -e event.record_id -e event.id -e event.level -e event.data.AlertDesc -e event.data.ErrorCode -e event.data.CallerProcessImageName "$S/s3-mtls-unknown-ca.winlogbeat.ndjson"
check "s3: 8 events" [ "$(lines "$out")" = 8 ]
check "s3: 20420 is 36888 alert 48" [ "$(row 20420 | cut -f2,4)" = "$(printf '36888\t48')" ]
check "s3: 20419 is 36877 (warning) 0x800b0109 from System" [ "$(row 20419 | cut -f2,3,5,6)" = "$(printf '36877\tWarning\t0x800b0109\tSystem')" ]

run -T fields -e event.record_id -e event.id -e event.data.AlertDesc -e event.data.ErrorState "$S/s4-tls10-vs-tls12.ps51.json"
check "s4: 5 events" [ "$(lines "$out")" = 5 ]
check "s4: 219143 alert 70 state 105, read back from the message" [ "$(row 219143 | cut -f2-4)" = "$(printf '36888\t70\t105')" ]
check "s4: 219141 alert 40 state 1205" [ "$(row 219141 | cut -f3,4)" = "$(printf '40\t1205')" ]
check "s4: warns about the depth" contains "$err" "Properties cut to type names"

run -T fields -e event.record_id -e event.id -e event.data.AlertDesc -e event.data.TargetName -e event.data.Name "$S/s5-expired-wrongname.ps7.json"
check "s5: 6 events" [ "$(lines "$out")" = 6 ]
check "s5: 48578 alert 45 expired.example.test" [ "$(row 48578 | cut -f3,4)" = "$(printf '45\texpired.example.test')" ]
check "s5: 48580 36884 wrongname.example.test" [ "$(row 48580 | cut -f2,5)" = "$(printf '36884\twrongname.example.test')" ]
check "s5: 48581 alert 42" [ "$(row 48581 | cut -f3)" = 42 ]

run -T fields -e event.record_id -e event.id -e event.data.TargetName -e event.data.Protocol "$S/s6-tls13-hrr.winlogbeat.ndjson"
check "s6: 5 events" [ "$(lines "$out")" = 5 ]
check "s6: 48705 36880 hrr.example.test TLS 1.3" [ "$(row 48705 | cut -f2-4)" = "$(printf '36880\thrr.example.test\tTLS 1.3')" ]

run -T fields -e event.record_id -e event.id -e event.data.AlertDesc -e event.data.TargetName "$S/s7-client.evtx.jsonl"
check "s7: 4 events" [ "$(lines "$out")" = 4 ]
check "s7: 48812 alert 48 intranet.example.test" [ "$(row 48812 | cut -f2-4)" = "$(printf '36888\t48\tintranet.example.test')" ]

# ---- one timeline with frames ----------------------------------------------------

run -T fields -e frame.number -e event.record_id -e frame.time_epoch -e event.id "$S/s1-weak-md2.pcapng" "$S/s1-weak-md2.evtx.jsonl"
check "s1 capture + events: 38 frames and 7 events" [ "$(lines "$out")" = 45 ]
# 36888 (48216) is logged 0.31 ms after the alert frame 35 (samples/README.md): after frame 35, not before.
n35=$(printf '%s\n' "$out" | awk -F'\t' '$1 == 35 {print NR}')
n48216=$(printf '%s\n' "$out" | awk -F'\t' '$2 == 48216 {print NR}')
check "48216 comes after frame 35" [ "$n48216" -gt "$n35" ]
check "frame rows have no event fields" [ "$(printf '%s\n' "$out" | awk -F'\t' '$1 == 35' | cut -f2,4)" = "$(printf '\t')" ]
check "event rows have no frame fields" [ "$(printf '%s\n' "$out" | awk -F'\t' '$2 == 48216' | cut -f1,3)" = "$(printf '\t')" ]
run -t e -T fields -e _ws.col.Time "$S/s1-weak-md2.evtx.jsonl" "$S/s1-weak-md2.pcapng"
check "rows in time order" sh -c "printf '%s\n' '$out' | sort -n -c"
run -P "$S/s1-weak-md2.pcapng" "$S/s1-weak-md2.evtx.jsonl"
check "summary: event rows have the source letter, computer, channel, EVENT" \
	contains "$out" "B      4 "
check "summary: Info of 36888" contains "$out" "WS01.corp.example.test → System          EVENT - E 36888 Schannel Error  A fatal alert was generated and sent to the remote endpoint."

# NXLog with local time (real OTRF data, UTC-4): --tz puts the events next to the frames.
gzip -dc "$E/otrf-empire-asktgt-ptt.nxlog.jsonl.gz" > "$TMP/otrf.jsonl"
run -T fields -e event.record_id -e _ws.col.Time -t ud "$TMP/otrf.jsonl"
check "otrf: 1179 events" [ "$(lines "$out")" = 1179 ]
check "otrf: EventTime taken as UTC without --tz" [ "$(row 797029 | cut -f2)" = "2020-09-21 22:38:47.000000" ]
check "otrf: warns that times have no zone" contains "$err" "1179 event times have no time zone and were taken as UTC"
run -T fields -e event.record_id -e _ws.col.Time -t ud --tz otrf.jsonl=-04:00 "$TMP/otrf.jsonl"
check "otrf --tz FILE=-04:00 shifts to UTC" [ "$(row 797029 | cut -f2)" = "2020-09-22 02:38:47.000000" ]
check "otrf --tz: no zone warning" [ -z "$err" ]
# The 5156 events for rubeus.exe's connection 172.18.39.6:53409 -> 172.18.38.5:88 fall in the second of its SYN (frame 151).
run -T fields -e frame.number -e tcp.srcport -e event.id -e event.data.SourcePort -e event.data.Application -t ud \
	--tz -04:00 "$TMP/otrf.jsonl" "$E/otrf-empire-asktgt-ptt.network.pcap"
syn=$(printf '%s\n' "$out" | awk -F'\t' '$1 == 151 {print NR}')
ev=$(printf '%s\n' "$out" | awk -F'\t' '$3 == 5156 && $4 == 53409 && $5 ~ /rubeus/ {print NR}')
check "the rubeus 5156 event is next to frame 151" [ -n "$syn" ] && [ -n "$ev" ] && [ $((ev - syn)) -le 3 ] && [ $((syn - ev)) -le 40 ]

# ---- output formats ------------------------------------------------------------

run -T json "$E/evtx-dump.jsonl"
check "json: one object per event" [ "$(lines "$out")" = 4 ]
check "json: kind event" contains "$out" '"kind":"event"'
check "json: data fields by name" contains "$out" '"field":"event.data.AlertDesc"'
check "json: the explanation" contains "$out" 'unsupported_certificate (TLS1_ALERT_UNSUPPORTED_CERT)'
check "json: no length for events" sh -c "! grep -q '\"length\"' '$TMP/out'"
run -V "$E/evtx-dump.jsonl"
check "-V: time note" contains "$out" "[The export gives this time in UTC]"
check "-V: expert info" contains "$out" "[Expert Info (Error): Schannel 36888 (Error): A fatal alert was generated and sent to the peer]"
check "-V: rendered message marked" contains "$out" "[The export has no message: tracewb rendered it from the Schannel catalog]"
run -T fields -e event.data "$E/evtx-dump.jsonl"
check "-e event.data: every data value of the row" [ "$(printf '%s\n' "$out" | head -1)" = "10.00.,15063,,Multiprocessor Free,0" ]
run -c 2 "$E/evtx-dump.jsonl"
check "-c counts events" [ "$(lines "$out")" = 2 ]
run --list-fields
check "--list-fields lists event fields" contains "$out" "$(printf 'event.data.\n' | head -c 0)event.provider"
run -T fields -e event.nosuch "$E/evtx-dump.jsonl"
check "unknown event field is a usage error" [ "$rc" = 2 ]

# Escape sequences inside an event never reach the terminal raw.
run -P "$E/escapes.ndjson"
check "escapes: message shown escaped" contains "$out" 'Evil \x1b[31mred\x1b[0m text \u202eeulav and a bell\x07'
check "escapes: no raw ESC on stdout" sh -c "! grep -q \"\$(printf '\\033')\" '$TMP/out'"
run -V "$E/escapes.ndjson"
check "escapes: data value escaped in -V" contains "$out" 'TargetName: x\x1b]0;owned\x07.example.test'
check "escapes: no raw ESC in -V" sh -c "! grep -q \"\$(printf '\\033')\" '$TMP/out'"
run -T json "$E/escapes.ndjson"
check "escapes: no raw ESC in JSON" sh -c "! grep -q \"\$(printf '\\033')\" '$TMP/out'"

# ---- every dialect, every encoding --------------------------------------------------

for f in ps51-depth3.utf16le.json:3 ps51-default-depth.utf16le.json:2 ps51-select-single.utf8bom.json:1 \
	ps7-depth4.json:2 ps7-compress.jsonl:2 ps7-single.utf16be.json:1 evtx-dump.jsonl:4 evtx-dump-records.json:3 \
	evtx-dump-separate-attributes.jsonl:1 winlogbeat8.ndjson:2 winlogbeat7.ndjson:2 winlogbeat6.ndjson:2 \
	elastic-hits.ndjson:1 nxlog.jsonl:3 otrf-flat.jsonl:1; do
	run -P "$E/${f%:*}"
	check "${f%:*}: exit 0" [ "$rc" = 0 ]
	check "${f%:*}: ${f#*:} events" [ "$(lines "$out")" = "${f#*:}" ]
done

# ---- bad input ---------------------------------------------------------------------

run -P "$E/malformed-lines.crlf.jsonl"
check "bad lines: exit 0, good lines kept" [ "$rc" = 0 ] && [ "$(lines "$out")" = 4 ]
check "bad lines: file, line and column" contains "$err" "malformed-lines.crlf.jsonl: warning: line 2, column 33: malformed JSON: expected a member name in double quotes, found '}'; line skipped"
check "bad lines: the non-JSON line" contains "$err" "line 5, column 1: malformed JSON"

run -P "$E/truncated-array.json"
check "truncated array: keeps the complete events" [ "$rc" = 0 ] && [ "$(lines "$out")" = 2 ]
check "truncated array: says where" contains "$err" "malformed JSON: string not closed before the end of input; the 2 events before it were loaded"
head -c 40 "$E/ps7-depth4.json" > "$TMP/cut.json"
run -P "$TMP/cut.json"
check "cut before any event: exit 2" [ "$rc" = 2 ]
check "cut before any event: file, line, column" contains "$err" "cut.json: line 4, column "

run -P "$E/evtx-dump-records-bad.json"
check "bad Record block: the others load" [ "$rc" = 0 ] && [ "$(lines "$out")" = 2 ]
check "bad Record block: reported and skipped" contains "$err" "record skipped"

run -P "$E/no-time.ndjson"
check "no time: the good events load" [ "$(lines "$out")" = 2 ]
check "no time: listed with the reason" contains "$err" "no-time.ndjson: warning: line 1: event rejected: no time (@timestamp is missing)"
check "no time: bad date quoted" contains "$err" 'line 6: event rejected: @timestamp is not a date and time: "2023-02-30T10:00:00Z"'

run -P "$E/package.json"
check "package.json: exit 2" [ "$rc" = 2 ]
check "package.json: not an event export" contains "$err" "package.json: not a Windows event export"
printf 'Just some notes\nabout a failure\n' > "$TMP/notes.txt"
run -P "$TMP/notes.txt"
check "text: exit 2" [ "$rc" = 2 ]
check "text: names both possibilities" contains "$err" "notes.txt: not a capture file (pcap, pcapng) nor a Windows event export (JSON)"
run -P "$E/package.json" "$E/evtx-dump.jsonl"
check "one bad among good: exit 0" [ "$rc" = 0 ] && [ "$(lines "$out")" = 4 ]

# ---- --tz ---------------------------------------------------------------------------

run --tz 4 "$E/nxlog.jsonl"
check "--tz without a sign: usage error" [ "$rc" = 2 ]
check "--tz format message" contains "$err" "--tz needs [FILE=]+hh:mm"
run --tz other.json=+01:00 "$E/nxlog.jsonl"
check "--tz naming a file not given: usage error" [ "$rc" = 2 ] && contains "$err" "not one of the input files"
run -T fields -e event.record_id -e _ws.col.Time -t ud --tz "$E/nxlog.jsonl=+02:00" "$E/nxlog.jsonl"
check "--tz +02:00 (full path)" [ "$(row 2783 | cut -f2)" = "2020-09-21 21:03:04.000000" ]
run --tz "$E/evtx-dump.jsonl=+02:00" "$E/evtx-dump.jsonl"
check "--tz on a zoned export: no effect, says so" contains "$err" "--tz has no effect"

# ---- --explain ---------------------------------------------------------------------

run --explain 43
check "--explain 43: exit 0" [ "$rc" = 0 ]
check "--explain 43: alert name" contains "$out" "unsupported_certificate"
check "--explain 43: Schannel name" contains "$out" "TLS1_ALERT_UNSUPPORTED_CERT"
run --explain 0x80090326
check "--explain 0x80090326" contains "$out" "SEC_E_ILLEGAL_MESSAGE"
check "--explain 0x80090326: text" contains "$out" "The message received was unexpected or badly formatted."
run --explain SEC_E_UNTRUSTED_ROOT
check "--explain SEC_E_UNTRUSTED_ROOT" contains "$out" "0x80090325"
check "--explain SEC_E_UNTRUSTED_ROOT: alert 48" contains "$out" "48 unknown_ca"
run --explain 36888
check "--explain 36888" contains "$out" "A fatal alert was generated and sent to the remote endpoint."
check "--explain 36888: fields" contains "$out" "%1  AlertDesc"
run --explain NOT_A_CODE
check "--explain unknown: exit 1" [ "$rc" = 1 ]
check "--explain unknown: says so" contains "$out" "nothing known about 'NOT_A_CODE'"
run --explain 43 --explain 252
check "--explain twice" contains "$out" "unsupported_certificate" && contains "$out" "MD5"

finish
