#!/bin/sh
# Self-test of tests/oracle/run.sh with fake binaries (no tracewb needed).
#
#   tests/oracle/selftest.sh        # prints the runner's output for each fake, then PASS/FAIL
#
# fakes (written to a temp dir):
#   cat     prints the expected .fields file; exits 2 with an error naming
#           the file for .libpcap-error files                 -> all must pass
#   proto   like cat, but replaces everything after the known-protocol
#           prefix of frame.protocols by ":data:junk"          -> all must pass
#   bad     like cat, but tcp.seq + 1 on every TCP line, drops the last line
#           of ipv6.pcap, and exits 0 for .libpcap-error files  -> must fail
set -u

here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/tracewb-selftest.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM

# Common prologue: find the capture (last argument) and check the arguments.
cat > "$tmp/prologue" <<EOF
#!/bin/sh
known="$(grep -v '^[[:space:]]*#' "$here/known-protocols.txt" | tr '\n' ' ')"
want="-T fields -E occurrence=a -E aggregator=, $(grep -v '^[[:space:]]*#' "$here/fields-l4.txt" | sed 's/^/-e /' | tr '\n' ' ')"
EOF
cat >> "$tmp/prologue" <<'EOF'
for cap; do :; done
args=$(printf '%s ' "$@")
[ "$args" = "$want$cap " ] || { echo "fake: unexpected arguments: $args" >&2; exit 3; }
[ "${TZ:-}" = UTC ] || { echo "fake: TZ not UTC" >&2; exit 3; }
name=$(basename "$cap")
oracle=$(dirname "$cap")/../oracle
EOF

{ cat "$tmp/prologue"; cat <<'EOF'
if [ -f "$oracle/$name.libpcap-error" ]; then echo "fake: $cap: $(cat "$oracle/$name.libpcap-error")" >&2; exit 2; fi
cat "$oracle/$name.fields"
EOF
} > "$tmp/cat"

{ cat "$tmp/prologue"; cat <<'EOF'
if [ -f "$oracle/$name.libpcap-error" ]; then echo "fake: cannot read $name" >&2; exit 2; fi
awk -F '\t' -v OFS='\t' -v known="$known" '
    BEGIN { n = split(known, k, " "); for (i = 1; i <= n; i++) K[k[i]] = 1 }
    { m = split($5, p, ":"); out = ""
      for (i = 1; i <= m && (p[i] in K); i++) out = out (i > 1 ? ":" : "") p[i]
      $5 = out ":data:junk"; print }' "$oracle/$name.fields"
EOF
} > "$tmp/proto"

{ cat "$tmp/prologue"; cat <<'EOF'
if [ -f "$oracle/$name.libpcap-error" ]; then exit 0; fi
if [ "$name" = ipv6.pcap ]; then exit 0; fi
awk -F '\t' -v OFS='\t' '$27 != "" { $27 = $27 + 1 } { print }' "$oracle/$name.fields"
EOF
} > "$tmp/bad"

chmod +x "$tmp/cat" "$tmp/proto" "$tmp/bad"

ok=1
for fake in cat proto bad; do
    echo "=== fake: $fake"
    "$here/run.sh" "$tmp/$fake" > "$tmp/$fake.log" 2>&1
    rc=$?
    cat "$tmp/$fake.log"
    last=$(tail -n 1 "$tmp/$fake.log")
    case $fake in
        cat|proto)
            case $last in *" passed, 0 failed") ;; *) ok=0; echo "SELFTEST: $fake should pass" ;; esac
            [ $rc -eq 0 ] || { ok=0; echo "SELFTEST: $fake: run.sh exit $rc, want 0"; } ;;
        bad)
            [ $rc -eq 1 ] || { ok=0; echo "SELFTEST: bad: run.sh exit $rc, want 1"; }
            grep -q "tcp.seq: expected '1' got '2'" "$tmp/bad.log" || { ok=0; echo "SELFTEST: bad: no tcp.seq diff"; }
            grep -q '^FAIL ipv6.pcap' "$tmp/bad.log" || { ok=0; echo "SELFTEST: bad: ipv6.pcap not failed"; }
            grep -q '^FAIL many_interfaces.pcapng.1' "$tmp/bad.log" || { ok=0; echo "SELFTEST: bad: libpcap-error file not failed"; }
            grep -q '^ok dhcp.pcap ' "$tmp/bad.log" || { ok=0; echo "SELFTEST: bad: non-TCP file dhcp.pcap should pass"; }
            case $last in *" passed, "[1-9]*" failed") ;; *) ok=0; echo "SELFTEST: bad: wrong summary: $last" ;; esac ;;
    esac
done
if [ $ok = 1 ]; then echo "SELFTEST PASS"; else echo "SELFTEST FAIL"; exit 1; fi
