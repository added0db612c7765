#!/bin/sh
# check.sh - `tracewb --check` on every scenario: the paragraph names the
# failed connection, the alert and the corroborating event (facts from
# samples/README.md); exit codes 0 (no error), 1 (errors), 2 (usage or
# unreadable input); -T json is one valid JSON document; --offset.
. "$(dirname "$0")/lib.sh"
S=$(cd "$(dirname "$0")/../.." && pwd)/samples

# paragraph LINE-PATTERN...: the "Failed connections" paragraph containing every pattern
para() {
	printf '%s\n' "$out" | grep -F "$1" | grep -qF "$2" && printf '%s\n' "$out" | grep -F "$1" | grep -qF "$3"
}

run --check "$S/s1-weak-md2.pcapng" "$S/s1-weak-md2.ps51.json"
check "s1 exit 1" [ "$rc" = 1 ]
check "s1 summary" para "TLS 1.2 handshake to shop.example.test (10.77.0.2:443" "the client sent fatal alert bad_certificate (42)" "Schannel 36888 (record 48216"
check "s1 alert frame" contains "$out" "Server Hello Done (frame A:35)"
check "s1 decoy 48213 unlinked" contains "$out" "record 48213 on WS01.corp.example.test): A fatal alert was received from the peer, alert handshake_failure (40); outside the captures' time span."
check "s1 counts" contains "$out" "1 failed TLS connection"
# the faulty certificate (from the certificate checks) is named in the paragraph
check "s1 names the MD2 certificate" para "to shop.example.test" "Example Legacy Issuing CA (MD2)" "md2WithRSAEncryption"

run --check "$S/s2-crl-revoked.pcapng" "$S/s2-crl-revoked.evtx.json"
check "s2 exit 1" [ "$rc" = 1 ]
check "s2 summary" para "to portal.example.test (10.77.0.4:443" "certificate_revoked (44)" "record 48392"
check "s2 names the revoked serial" para "to portal.example.test" "revoked" "0x1003"
check "s2 CAPI2 in summary" para "to portal.example.test" "CAPI2 error events 41, 11, 30" "concern its certificates"
check "s2 CAPI2 41 result" contains "$out" "CAPI2 41 (record 7315 on WS01.corp.example.test): Verify Revocation (CertVerifyRevocation), result "
check "s2 CAPI2 41 code" contains "$out" "(0x80092010)"
check "s2 decoy printer note" contains "$out" "target printer.corp.example.test; outside the captures' time span."

run --check "$S/s3-mtls-unknown-ca.pcap" "$S/s3-mtls-unknown-ca.winlogbeat.ndjson"
check "s3 conn 1" para "tcp.stream 0" "the server sent fatal alert unknown_ca (48)" "record 20420"
check "s3 conn 2 rst" para "tcp.stream 1" "then the server reset the connection" "record 20422"
check "s3 ambiguity shown" contains "$out" "2 candidate handshakes"
check "s3 names the client's CA" para "tcp.stream 0" "Contractor Services Issuing CA" "Example Corp Client Auth CA"

run --check "$S/s4-tls10-vs-tls12.pcap" "$S/s4-tls10-vs-tls12.ps51.json"
check "s4 summary" para "protocol_version (70)" "the client offered at most TLS 1.0" "record 219143 on ERP01.corp.example.test"

run --check "$S/s5-expired-wrongname.pcapng" "$S/s5-expired-wrongname.ps7.json"
check "s5 expired" para "to expired.example.test (10.77.0.8:443" "certificate_expired (45)" "record 48578"
check "s5 name" para "to wrongname.example.test (10.77.0.9:443" "Schannel 36884 (record 48580" "record 48581"
check "s5 names the expiry" para "to expired.example.test" "(expired.example.test) expired" "2025-11-01"
check "s5 names the mismatch" para "to wrongname.example.test" "wrongname.example.test (SNI)" "other.example.test"

run --check "$S/s6-tls13-hrr.pcapng" "$S/s6-tls13-hrr.winlogbeat.ndjson"
check "s6 healthy exit 0" [ "$rc" = 0 ]
check "s6 no failed connection" contains "$out" "0 errors"

run --check "$S/s7-client.pcapng" "$S/s7-server.pcap" "$S/s7-client.evtx.jsonl" --offset s7-server.pcap=-1.25s
check "s7 exit 1" [ "$rc" = 1 ]
check "s7 one paragraph for both sides" para "to intranet.example.test (10.77.0.12:443" "unknown_ca (48)" "the same connection is in B as tcp.stream 0"
check "s7 event" para "intranet.example.test (10.77.0.12:443" "record 48812" "confidence 100"

# duplicates across the two captures are marked once they line up
run --offset s7-server.pcap=-1.25s "$S/s7-client.pcapng" "$S/s7-server.pcap"
check "dup marked" contains "$out" "[dup of A:12] Alert (Level: Fatal, Description: Unknown CA)"
run "$S/s7-client.pcapng" "$S/s7-server.pcap"
check "no dup without offset" [ -z "$(printf '%s\n' "$out" | grep -F '[dup of')" ]

# --offset lines the server file up with the client file: the SYN (frame 3) in both at one time
# (the time column follows the offset; frame.time_epoch stays the time recorded in the file)
run -t e -c 3 "$S/s7-client.pcapng"
a=$(printf '%s\n' "$out" | awk 'NR == 3 { print $2 }')
run -t e -c 3 --offset "$S/s7-server.pcap=-1250ms" "$S/s7-server.pcap"
b=$(printf '%s\n' "$out" | awk 'NR == 3 { print $2 }')
check "offset aligns SYN" awk -v a="$a" -v b="$b" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(d < 0.001) }'
run -t e -c 3 "$S/s7-server.pcap"
c=$(printf '%s\n' "$out" | awk 'NR == 3 { print $2 }')
check "without offset 1.25 s apart" awk -v a="$a" -v c="$c" 'BEGIN { d = c - a; exit !(d > 1.2 && d < 1.3) }'

# --window: s3's two alerts are 0.88 s apart (frames 15 and 33): the default 2 s window
# sees both handshakes as candidates for each 36888, a 500 ms window only one
run --check "$S/s3-mtls-unknown-ca.pcap" "$S/s3-mtls-unknown-ca.winlogbeat.ndjson"
check "window default sees both" contains "$out" "2 candidate handshakes"
run --check --window 500ms "$S/s3-mtls-unknown-ca.pcap" "$S/s3-mtls-unknown-ca.winlogbeat.ndjson"
check "window 500ms" [ -z "$(printf '%s\n' "$out" | grep -F 'candidate handshakes')" ]
check "window 500ms still links" para "tcp.stream 1" "record 20422" "confidence 100"
run --check --window -1s "$S/s1-weak-md2.pcapng"
check "bad window exit 2" [ "$rc" = 2 ]

# JSON
run --check -T json "$S/s1-weak-md2.pcapng" "$S/s1-weak-md2.evtx.jsonl"
check "json exit 1" [ "$rc" = 1 ]
printf '%s\n' "$out" > "$TMP/c.json"
check "json valid" python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); l=[x for x in d["links"] if x.get("record_id")==48216][0]; assert l["frame"]==["A:35"] and l["tcp_stream"]==1 and l["confidence"]>=90; assert any("shop.example.test" in s["text"] for s in d["summaries"])' "$TMP/c.json"

# usage and unreadable input
run --check
check "no file exit 2" [ "$rc" = 2 ]
run --check "$TMP/nonexistent.pcap"
check "unreadable exit 2" [ "$rc" = 2 ]
run --check --offset nothere.pcap=+1s "$S/s1-weak-md2.pcapng"
check "offset names unknown file" [ "$rc" = 2 ]
run --offset "$S/s1-weak-md2.pcapng=+1x" "$S/s1-weak-md2.pcapng"
check "bad offset unit exit 2" [ "$rc" = 2 ]
check "bad offset message" contains "$err" "--offset needs FILE="

# hostile names are escaped in the report
printf '{"TimeCreated":"2026-11-23T21:13:20.151Z","Id":36888,"ProviderName":"Schannel","RecordId":7,"Properties":[{"Value":42},{"Value":"\033]0;pwn\007"}],"LevelDisplayName":"Error","Level":2}\n' > "$TMP/evil.json"
run --check "$S/s1-weak-md2.pcapng" "$TMP/evil.json"
check "no raw escape in report" sh -c '! grep -q "$(printf "\033")" "$1"' _ "$TMP/out"

# --export: JSON lines for Timesketch (datetime, timestamp_desc, message) and CSV
run --export "$TMP/t.jsonl" "$S/s1-weak-md2.pcapng" "$S/s1-weak-md2.evtx.jsonl"
check "export exit 0" [ "$rc" = 0 ]
check "export jsonl" python3 -c '
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
assert len(rows) == 38 + 7, len(rows)            # 38 frames (capinfos) + 7 events
for r in rows:
    assert r["datetime"].endswith("Z") and len(r["datetime"]) == 30 and r["message"]
a = [r for r in rows if r["row"] == "A:35"][0]
assert a["timestamp_desc"] == "Packet captured" and "Bad Certificate" in a["message"] and a["tcp_stream"] == 1
assert "B:" in a["links"] and "bad_certificate (42)" in a["findings"]
e = [r for r in rows if r.get("record_id") == 48216][0]
assert e["timestamp_desc"] == "Event logged" and e["links"].startswith("A:35 ")
assert [r["datetime"] for r in rows] == sorted(r["datetime"] for r in rows)
' "$TMP/t.jsonl"
run --export "$TMP/t.csv" "$S/s1-weak-md2.pcapng" "$S/s1-weak-md2.evtx.jsonl"
check "export csv" python3 -c '
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="")))
assert len(rows) == 45 and rows[0]["datetime"].endswith("Z")
assert any(r["row"] == "A:35" and "Bad Certificate" in r["message"] for r in rows)
' "$TMP/t.csv"
run --export "$TMP/t.txt" "$S/s1-weak-md2.pcapng"
check "export bad extension exit 2" [ "$rc" = 2 ]
run --export "$TMP/nodir/t.csv" "$S/s1-weak-md2.pcapng"
check "export unwritable exit 2" [ "$rc" = 2 ]

# process.name / process.pid on frames, from the real OTRF pair (5156 on the DC: lsass.exe 696;
# 5156/5158/Sysmon 3 on WORKSTATION6: Rubeus.exe 2476; Kerberos 172.18.39.6:53409 -> 172.18.38.5:88)
gzip -dc "$DATA/events/otrf-empire-asktgt-ptt.nxlog.jsonl.gz" > "$TMP/otrf.jsonl"
run -T fields -e tcp.srcport -e tcp.dstport -e process.name -e process.pid --tz otrf.jsonl=-04:00 "$DATA/events/otrf-empire-asktgt-ptt.network.pcap" "$TMP/otrf.jsonl"
check "process exit 0" [ "$rc" = 0 ]
k=$(printf '%s\n' "$out" | awk -F'\t' '$2 == 88 || $1 == 88')
check "kerberos frames have processes" [ "$(printf '%s\n' "$k" | grep -c 'lsass.exe,rubeus.exe	696,2476')" = "$(printf '%s\n' "$k" | grep -c .)" ]
check "kerberos frames found" [ "$(printf '%s\n' "$k" | grep -c .)" -ge 8 ]
check "smb frames have none" [ -z "$(printf '%s\n' "$out" | awk -F'\t' '($2 == 445 || $1 == 445) && $3 != ""')" ]
run -V --tz otrf.jsonl=-04:00 "$DATA/events/otrf-empire-asktgt-ptt.network.pcap" "$TMP/otrf.jsonl"
check "tree Process subtree" contains "$out" "[Process: lsass.exe (PID 696) on MORDORDC.theshire.local, from event 5156"

finish
