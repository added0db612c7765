#!/bin/sh
# Display-filter oracle: tracewb -Y against tshark -Y.
#
#   tests/oracle/filters.sh [BINARY]   compare (used by tests/run-all.sh)
#   tests/oracle/filters.sh --make     regenerate the expected lists (needs tshark)
#
# tests/oracle/filters.txt lists CAPTURE<TAB>EXPR lines (# comments).
# tests/data/oracle/filters.expected holds CAPTURE<TAB>EXPR<TAB>FRAMES, FRAMES
# the frame numbers tshark selects, comma-separated, made by
#   tshark -n -2 -o tcp.reassemble_out_of_order:TRUE -r CAPTURE -Y EXPR -T fields -e frame.number
# and compared with
#   BINARY -n -Y EXPR -T fields -e frame.number CAPTURE   (detail-tree path)
#   BINARY -n -P -Y EXPR CAPTURE, first column          (summary fast path)
# Prints `ok`/`FAIL` per expression and `N passed, M failed`; exit 1 on a failure.
set -u
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
list=$here/filters.txt
expected=$repo/tests/data/oracle/filters.expected
TSHARK_CMD='tshark -n -2 -o tcp.reassemble_out_of_order:TRUE -r CAPTURE -Y EXPR -T fields -e frame.number'

capture() {
    if [ -f "$repo/tests/data/captures/$1" ]; then echo "$repo/tests/data/captures/$1"
    else echo "$repo/samples/$1"; fi
}
join() { tr '\n' ',' | sed 's/,$//'; }
entries() { grep -v '^[[:space:]]*\(#\|$\)' "$list"; }

if [ "${1:-}" = --make ]; then
    command -v tshark >/dev/null 2>&1 || { echo "filters.sh: tshark not found" >&2; exit 1; }
    tmp=$(mktemp)
    {
        echo "# Made by tests/oracle/filters.sh --make with $(tshark -v 2>/dev/null | head -1)"
        echo "# command: $TSHARK_CMD"
        echo "# CAPTURE<TAB>EXPR<TAB>frame numbers tshark selects (comma-separated)"
        entries | while IFS='	' read -r cap expr; do
            nums=$(tshark -n -2 -o tcp.reassemble_out_of_order:TRUE -r "$(capture "$cap")" -Y "$expr" \
                   -T fields -e frame.number 2>/dev/null | join) || nums=ERROR
            printf '%s\t%s\t%s\n' "$cap" "$expr" "$nums"
        done
    } > "$tmp" && mv "$tmp" "$expected"
    echo "wrote $expected ($(grep -vc '^#' "$expected") expressions)"
    exit 0
fi

bin=${1:-build/tracewb}
case $bin in /*) ;; *) [ -e "$repo/$bin" ] && bin=$repo/$bin ;; esac
passed=0
failed=0
tab='	'
while IFS="$tab" read -r cap expr want; do
    case $cap in '#'*|'') continue ;; esac
    got=$(TZ=UTC "$bin" -n -Y "$expr" -T fields -e frame.number "$(capture "$cap")" 2>/dev/null | join)
    # The summary print (-P) takes the fast path where it can (filter.h): same frames.
    gotp=$(TZ=UTC "$bin" -n -P -Y "$expr" "$(capture "$cap")" 2>/dev/null | awk '{ print $1 }' | join)
    if [ "$got" = "$want" ] && [ "$gotp" = "$want" ]; then
        passed=$((passed + 1))
        echo "ok $cap: $expr"
    else
        failed=$((failed + 1))
        echo "FAIL $cap: $expr"
        echo "  tshark:  $want"
        echo "  tracewb: $got"
        echo "  tracewb -P: $gotp"
    fi
done < "$expected"
# Every listed expression must have an expected line.
entries | while IFS="$tab" read -r cap expr; do
    grep -qF "$cap$tab$expr$tab" "$expected" || grep -qxF "$cap$tab$expr$tab" "$expected" ||
        echo "FAIL $cap: $expr: not in filters.expected (run tests/oracle/filters.sh --make)"
done | { missing=$(cat); [ -z "$missing" ] || { echo "$missing"; exit 1; }; } || failed=$((failed + 1))
echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
