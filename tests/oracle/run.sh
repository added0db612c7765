#!/bin/sh
# tshark-oracle comparison runner (used by `make check`).
#
#   tests/oracle/run.sh [BINARY [NAME...]]
#
# BINARY defaults to build/tracewb.  NAMEs restrict the run to those capture
# files (basenames of captures, or of oracle files without .fields).
#
# Field sets: tests/oracle/fields-SET.txt lists the fields of set SET.  The
# oracle of set l4 for capture FILE is tests/data/oracle/FILE.fields; that of
# any other set is FILE.SET.fields.  FILE is looked up in tests/data/captures/,
# then in samples/.
#
# For every oracle file it runs
#   TZ=UTC BINARY -T fields -E occurrence=a -E aggregator=, -e f1 -e f2 ... CAPTURE
# with the fields of the file's set, and compares stdout line by line and
# column by column with the oracle file.  All columns must match exactly,
# except frame.protocols: both sides are cut to their longest leading run of
# protocols listed in tests/oracle/known-protocols.txt (everything from the
# first unknown protocol on is ignored).
# BINARY must exit with status 0.
#
# For every tests/data/oracle/FILE.libpcap-error, BINARY (same command) must
# exit with status 2 and print an error on stderr that contains FILE's name.
#
# Two lists in tests/oracle/ (lines `FILE<TAB>reason`; `#` comments and
# blank lines ignored; a missing list is empty; FILE names a capture, for
# all its sets, or FILE.SET one set only) change that:
#
#   frame-only.txt  captures whose link type tracewb does not dissect.  Only
#                   frame.number, frame.time_epoch, frame.len and
#                   frame.cap_len are compared; frame.protocols is skipped;
#                   every other column of BINARY's output must be empty
#                   (tracewb must not invent values).  Also
#                   `BINARY -P FILE` must exit 0 and print one line per frame,
#                   each containing "unsupported link type N" (checked
#                   with the l4 set).
#   pending.txt     captures that need a feature tracewb does not have yet.
#                   They are compared as usual but count neither as passed
#                   nor as failed: `pending NAME (reason): N of M lines
#                   differ`.  A pending file that passes is a FAILURE
#                   (`pending NAME now passes: remove it from pending.txt`),
#                   so the list stays honest.  PENDING_DETAILS=1 also prints
#                   the differing lines.
#
# PENDING_LIST=PATH and FRAME_ONLY_LIST=PATH replace the two lists (used by
# selftest.sh).
# An entry in either list without an oracle file for it is a FAILURE too.
#
# Prints `ok NAME (N frames)`, `FAIL NAME` (+ up to MAXDIFF=5 differing
# lines) or `pending ...` per file and a last line `N passed, M failed`
# (pending files not counted).  Exit status 1 if any failed.
# Needs only POSIX sh and awk (no tshark, no python).

set -u

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
caps=$repo/tests/data/captures
samples=$repo/samples
oracle=$repo/tests/data/oracle
knownfile=$here/known-protocols.txt
pendingfile=${PENDING_LIST:-$here/pending.txt}
frameonlyfile=${FRAME_ONLY_LIST:-$here/frame-only.txt}
MAXDIFF=${MAXDIFF:-5}
PENDING_DETAILS=${PENDING_DETAILS:-0}
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

# Field list of a set (comments and blank lines allowed), as words.
setfields() { grep -v '^[[:space:]]*#' "$here/fields-$1.txt" | tr -s ' \t\r' '\n\n\n' | grep -v '^$' | tr '\n' ' '; }
known=$(grep -v '^[[:space:]]*#' "$knownfile" | tr -s ' \t\r' '\n\n\n' | grep -v '^$' | tr '\n' ' ')

tmp=$(mktemp -d "${TMPDIR:-/tmp}/tracewb-oracle.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM

if command -v timeout >/dev/null 2>&1; then tmo="timeout $TIMEOUT"; else tmo=; fi

passed=0
failed=0

selected() { # NAME [ONAME]
    [ -z "$only" ] && return 0
    for o in $only; do [ "$o" = "$1" ] || [ "$o" = "${2:-}" ] && return 0; done
    return 1
}

# readlist FILE > normalized "NAME<TAB>reason" lines (comments, blank lines
# and CRs dropped, surrounding blanks trimmed; a line without TAB has an
# empty reason).
readlist() {
    [ -f "$1" ] || return 0
    awk '
        { sub(/\r$/, "") }
        /^[[:space:]]*(#|$)/ { next }
        {
            t = index($0, "\t")
            if (t) { n = substr($0, 1, t - 1); r = substr($0, t + 1) } else { n = $0; r = "" }
            sub(/^[[:space:]]+/, "", n); sub(/[[:space:]]+$/, "", n)
            sub(/^[[:space:]]+/, "", r); sub(/[[:space:]]+$/, "", r)
            print n "\t" r
        }' "$1"
}
readlist "$pendingfile" > "$tmp/pending"
readlist "$frameonlyfile" > "$tmp/frameonly"

# lookup LIST NAME [ONAME]: exit 0 and print the reason if ONAME (FILE.SET)
# or NAME (the capture, for every set) is in LIST.
lookup() {
    awk -F '\t' -v n="$2" -v o="${3:-}" '
        $1 == o && o != "" { print $2; f = 1; exit }
        $1 == n { r = $2; g = 1 }
        END { if (!f && g) print r; exit !(f || g) }' "$1"
}

# Entries that name no oracle file.
for list in pending frameonly; do
    case $list in
        pending)   lf=$pendingfile;   want='.fields or .libpcap-error' ;;
        frameonly) lf=$frameonlyfile; want='.fields' ;;
    esac
    while IFS='	' read -r name _; do
        selected "$name" "$name" || continue
        if [ -f "$oracle/$name.fields" ]; then continue; fi
        if [ $list = pending ] && [ -f "$oracle/$name.libpcap-error" ]; then continue; fi
        echo "FAIL $name"
        echo "  listed in ${lf#"$repo"/} but there is no tests/data/oracle/$name$want"
        echo "  (lines must be FILE<TAB>reason, FILE a basename in tests/data/captures/)"
        failed=$((failed + 1))
    done < "$tmp/$list"
done

# finish ONAME [NAME]: report the result of one file.  Uses $res (ok|fail),
# $okmsg, $short (one-line summary of the failure) and $tmp/report (details).
finish() {
    if pr=$(lookup "$tmp/pending" "${2:-$1}" "$1"); then
        if [ $res = ok ]; then
            echo "pending $1 now passes: remove it from pending.txt"
            failed=$((failed + 1))
        else
            if [ -n "$pr" ]; then echo "pending $1 ($pr): $short"; else echo "pending $1: $short"; fi
            [ "$PENDING_DETAILS" = 1 ] && cat "$tmp/report"
        fi
    elif [ $res = ok ]; then
        echo "ok $1 ($okmsg)"
        passed=$((passed + 1))
    else
        echo "FAIL $1"
        cat "$tmp/report"
        failed=$((failed + 1))
    fi
}

for exp in "$oracle"/*.fields "$oracle"/*.libpcap-error; do
    [ -f "$exp" ] || continue
    case $exp in
        *.fields)        oname=$(basename "$exp" .fields);        kind=fields ;;
        *.libpcap-error) oname=$(basename "$exp" .libpcap-error); kind=error ;;
    esac
    # FILE.SET.fields belongs to set SET when tests/oracle/fields-SET.txt exists.
    fset=l4 name=$oname
    sfx=${oname##*.}
    if [ $kind = fields ] && [ "$sfx" != "$oname" ] && [ "$sfx" != l4 ] && [ -f "$here/fields-$sfx.txt" ]; then
        fset=$sfx name=${oname%.*}
    fi
    selected "$name" "$oname" || continue
    cap=$caps/$name
    [ -f "$cap" ] || [ ! -f "$samples/$name" ] || cap=$samples/$name
    res=fail okmsg='' short=''
    : > "$tmp/report"
    if [ ! -f "$cap" ]; then
        short="capture file missing"
        echo "  capture file missing: $cap" > "$tmp/report"
        finish "$oname" "$name"
        continue
    fi
    frameonly=0
    if [ $kind = fields ] && lookup "$tmp/frameonly" "$name" "$oname" > /dev/null; then frameonly=1; fi

    fieldnames=$(setfields $fset)
    set --  # "$@" now holds the -e arguments
    for f in $fieldnames; do set -- "$@" -e "$f"; done
    TZ=UTC $tmo "$bin" -T fields -E occurrence=a -E aggregator=, "$@" "$cap" > "$tmp/out" 2> "$tmp/err"
    rc=$?

    if [ $kind = error ]; then
        if [ $rc -eq 2 ] && [ -s "$tmp/err" ] && grep -F -q -- "$name" "$tmp/err"; then
            res=ok okmsg="error exit 2"
        else
            short="exit status $rc, expected 2 and an error naming the file"
            {
                echo "  libpcap cannot read this file ($(head -n 1 "$exp"))"
                echo "  expected: exit status 2 and an error on stderr naming '$name'"
                if [ -s "$tmp/err" ]; then
                    echo "  got: exit status $rc, stderr:"
                    head -n 3 "$tmp/err" | sed 's/^/    /'
                else
                    echo "  got: exit status $rc, empty stderr"
                fi
            } > "$tmp/report"
        fi
        finish "$oname" "$name"
        continue
    fi

    if [ $rc -ne 0 ]; then
        {
            if [ $rc -eq 124 ] && [ -n "$tmo" ]; then
                short="timed out after ${TIMEOUT}s"
                echo "  timed out after ${TIMEOUT}s (TIMEOUT=...)"
            else
                short="exit status $rc (expected 0)"
                echo "  exit status $rc (expected 0)"
            fi
            [ -s "$tmp/err" ] && head -n 3 "$tmp/err" | sed 's/^/    stderr: /'
        } > "$tmp/report"
        finish "$oname" "$name"
        continue
    fi

    # Compare.  Output of awk: first line "OK n" or "FAIL ndiff nexpected ngot";
    # then report lines.
    awk -v names="$fieldnames" -v known="$known" -v maxdiff="$MAXDIFF" -v frameonly=$frameonly '
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
            for (i = 1; i <= nf; i++) {
                if (N[i] == "frame.protocols") pcol = i
                else if (N[i] ~ /^frame\./) F[i] = 1     # compared in frame-only mode
            }
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
                } else if (frameonly || E[l] != G[l]) {
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
                            if (frameonly) continue
                            et = trunc(ev); gt = trunc(gv)
                            if (et != gt)
                                msg = msg "    " col ": expected " q(et) " got " q(gt) \
                                      "   (full: " q(ev) " / " q(gv) ")\n"
                        } else if (frameonly && !(c in F)) {
                            if (gv != "")
                                msg = msg "    " col ": expected empty (frame-only file) got " q(gv) \
                                      (ev != "" && ev != gv ? "   (tshark: " q(ev) ")" : "") "\n"
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
            print "FAIL " ndiff " " ne + 0 " " ng + 0
            if (frameonly)
                print "  frame-only file (tests/oracle/frame-only.txt): only frame.number, frame.time_epoch, frame.len, frame.cap_len are compared, other columns must be empty"
            printf "  %d of %d expected lines differ (got %d lines)\n", ndiff, ne, ng
            printf "%s", rep
            if (ndiff > shown) printf "  ... %d more differing lines\n", ndiff - shown
        }' "$exp" "$tmp/out" > "$tmp/cmp"

    read -r status n ne _ < "$tmp/cmp"
    sed 1d "$tmp/cmp" > "$tmp/report"
    if [ "$status" = OK ]; then
        res=ok okmsg="$n frames"
    else
        short="$n of $ne lines differ"
    fi

    # Frame-only files: `BINARY -P FILE` must say why nothing is dissected.
    if [ $frameonly = 1 ] && [ $fset = l4 ]; then
        nexp=$(wc -l < "$exp" | tr -d ' ')
        TZ=UTC $tmo "$bin" -P "$cap" > "$tmp/pout" 2> "$tmp/perr"
        prc=$?
        plines=$(wc -l < "$tmp/pout" | tr -d ' ')
        pmatch=$(grep -c 'unsupported link type [0-9]' "$tmp/pout")
        if [ $prc -ne 0 ] || [ "$plines" != "$nexp" ] || [ "$pmatch" != "$nexp" ]; then
            pshort="-P: exit status $prc, $pmatch of $plines lines say 'unsupported link type N' (expected $nexp of $nexp)"
            if [ $res = ok ]; then res=fail short=$pshort; else short="$short; $pshort"; fi
            {
                echo "  $(basename "$bin") -P $name: expected exit status 0 and $nexp lines (one per frame), each containing 'unsupported link type N'"
                echo "  got: exit status $prc, $plines lines, $pmatch containing 'unsupported link type N'"
                grep -v 'unsupported link type [0-9]' "$tmp/pout" | head -n 3 | sed 's/^/    stdout: /'
                [ -s "$tmp/perr" ] && head -n 3 "$tmp/perr" | sed 's/^/    stderr: /'
            } >> "$tmp/report"
        else
            okmsg="$okmsg, frame columns only"
        fi
    fi
    finish "$oname" "$name"
done

echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
