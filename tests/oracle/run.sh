#!/bin/sh
# tshark-oracle comparison runner (used by `make check`).
#
#   tests/oracle/run.sh [BINARY [NAME...]]
#
# BINARY defaults to build/tracewb.  NAMEs restrict the run to those capture
# files (basenames in tests/data/captures/).
#
# For every tests/data/oracle/FILE.fields it runs
#   TZ=UTC BINARY -T fields -E occurrence=a -E aggregator=, -e f1 -e f2 ... tests/data/captures/FILE
# with the fields of tests/oracle/fields-l4.txt, and compares stdout line by
# line and column by column with FILE.fields.  All columns must match
# exactly, except frame.protocols: both sides are cut to their longest
# leading run of protocols listed in tests/oracle/known-protocols.txt
# (everything from the first unknown protocol on is ignored).
# BINARY must exit with status 0.
#
# For every tests/data/oracle/FILE.libpcap-error, BINARY (same command) must
# exit with status 2 and print an error on stderr that contains FILE's name.
#
# Prints `ok NAME (N frames)` or `FAIL NAME` (+ up to 5 differing lines) per
# file and a last line `N passed, M failed`.  Exit status 1 if any failed.
# Needs only POSIX sh and awk (no tshark, no python).

set -u

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
caps=$repo/tests/data/captures
oracle=$repo/tests/data/oracle
fieldsfile=$here/fields-l4.txt
knownfile=$here/known-protocols.txt
MAXDIFF=${MAXDIFF:-5}
TIMEOUT=${TIMEOUT:-120}

bin=${1:-build/tracewb}
[ $# -gt 0 ] && shift
only="$*"      # optional NAME... filter
case $bin in
    /*) ;;
    *) if [ ! -e "$bin" ] && [ -e "$repo/$bin" ]; then bin=$repo/$bin; fi ;;
esac
if [ ! -x "$bin" ]; then
    echo "run.sh: binary not found or not executable: $bin" >&2
    echo "0 passed, 1 failed"
    exit 1
fi

# Field list (comments and blank lines allowed).
fields=$(grep -v '^[[:space:]]*#' "$fieldsfile" | tr -s ' \t\r' '\n\n\n' | grep -v '^$')
set --  # "$@" now holds the -e arguments
for f in $fields; do set -- "$@" -e "$f"; done
fieldnames=$(printf '%s ' $fields)
known=$(grep -v '^[[:space:]]*#' "$knownfile" | tr -s ' \t\r' '\n\n\n' | grep -v '^$' | tr '\n' ' ')

tmp=$(mktemp -d "${TMPDIR:-/tmp}/tracewb-oracle.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM

if command -v timeout >/dev/null 2>&1; then tmo="timeout $TIMEOUT"; else tmo=; fi

passed=0
failed=0

selected() {
    [ -z "$only" ] && return 0
    for o in $only; do [ "$o" = "$1" ] && return 0; done
    return 1
}

for exp in "$oracle"/*.fields "$oracle"/*.libpcap-error; do
    [ -f "$exp" ] || continue
    case $exp in
        *.fields)        name=$(basename "$exp" .fields);        kind=fields ;;
        *.libpcap-error) name=$(basename "$exp" .libpcap-error); kind=error ;;
    esac
    selected "$name" || continue
    cap=$caps/$name
    if [ ! -f "$cap" ]; then
        echo "FAIL $name"
        echo "  capture file missing: $cap"
        failed=$((failed + 1))
        continue
    fi

    TZ=UTC $tmo "$bin" -T fields -E occurrence=a -E aggregator=, "$@" "$cap" > "$tmp/out" 2> "$tmp/err"
    rc=$?

    if [ $kind = error ]; then
        if [ $rc -eq 2 ] && [ -s "$tmp/err" ] && grep -F -q -- "$name" "$tmp/err"; then
            echo "ok $name (error exit 2)"
            passed=$((passed + 1))
        else
            echo "FAIL $name"
            echo "  libpcap cannot read this file ($(head -n 1 "$exp"))"
            echo "  expected: exit status 2 and an error on stderr naming '$name'"
            if [ -s "$tmp/err" ]; then
                echo "  got: exit status $rc, stderr:"
                head -n 3 "$tmp/err" | sed 's/^/    /'
            else
                echo "  got: exit status $rc, empty stderr"
            fi
            failed=$((failed + 1))
        fi
        continue
    fi

    if [ $rc -ne 0 ]; then
        echo "FAIL $name"
        if [ $rc -eq 124 ] && [ -n "$tmo" ]; then
            echo "  timed out after ${TIMEOUT}s (TIMEOUT=...)"
        else
            echo "  exit status $rc (expected 0)"
        fi
        [ -s "$tmp/err" ] && head -n 3 "$tmp/err" | sed 's/^/    stderr: /'
        failed=$((failed + 1))
        continue
    fi

    # Compare.  Output of awk: first line "OK n" or "FAIL"; then report lines.
    awk -v names="$fieldnames" -v known="$known" -v maxdiff="$MAXDIFF" '
        function trunc(s,    n, p, i, out) {
            n = split(s, p, ":")
            out = ""
            for (i = 1; i <= n; i++) {
                if (!(p[i] in K)) break
                out = out (i > 1 ? ":" : "") p[i]
            }
            return out
        }
        function q(s) { return "\047" s "\047" }
        function showline(s) {          # a whole line: tabs as \t, at most 240 chars
            gsub(/\t/, "\\t", s)
            if (length(s) > 240) s = substr(s, 1, 240) "..."
            return q(s)
        }
        BEGIN {
            nf = split(names, N, " ")
            pcol = 0
            for (i = 1; i <= nf; i++) if (N[i] == "frame.protocols") pcol = i
            nk = split(known, kk, " ")
            for (i = 1; i <= nk; i++) K[kk[i]] = 1
        }
        FILENAME == ARGV[1] { E[++ne] = $0; next }
        { G[++ng] = $0 }
        END {
            ndiff = 0; shown = 0; rep = ""
            max = ne > ng ? ne : ng
            for (l = 1; l <= max; l++) {
                msg = ""
                if (l > ng) {
                    msg = "    missing line, expected " showline(E[l])
                } else if (l > ne) {
                    msg = "    unexpected extra line " showline(G[l])
                } else if (E[l] != G[l]) {
                    a = split(E[l], e, "\t")
                    b = split(G[l], g, "\t")
                    if (a != b)
                        msg = msg "    column count: expected " a " got " b "\n"
                    m = a > b ? a : b
                    for (c = 1; c <= m; c++) {
                        ev = (c <= a) ? e[c] : ""
                        gv = (c <= b) ? g[c] : ""
                        col = (c <= nf) ? N[c] : ("column " c)
                        if (c == pcol) {
                            et = trunc(ev); gt = trunc(gv)
                            if (et != gt)
                                msg = msg "    " col ": expected " q(et) " got " q(gt) \
                                      "   (full: " q(ev) " / " q(gv) ")\n"
                        } else if (ev != gv) {
                            msg = msg "    " col ": expected " q(ev) " got " q(gv) "\n"
                        }
                    }
                    sub(/\n$/, "", msg)
                }
                if (msg != "") {
                    ndiff++
                    if (shown < maxdiff) {
                        shown++
                        fr = (l <= ne) ? E[l] : G[l]
                        sub(/\t.*/, "", fr)
                        rep = rep "  line " l " (frame " fr "):\n" msg "\n"
                    }
                }
            }
            if (ndiff == 0) { print "OK " ne + 0; exit 0 }
            print "FAIL"
            printf "  %d of %d expected lines differ (got %d lines)\n", ndiff, ne, ng
            printf "%s", rep
            if (ndiff > shown) printf "  ... %d more differing lines\n", ndiff - shown
        }' "$exp" "$tmp/out" > "$tmp/report"

    read -r status n < "$tmp/report"
    if [ "$status" = OK ]; then
        echo "ok $name ($n frames)"
        passed=$((passed + 1))
    else
        echo "FAIL $name"
        sed 1d "$tmp/report"
        failed=$((failed + 1))
    fi
done

echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
