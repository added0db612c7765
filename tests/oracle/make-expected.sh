#!/bin/sh
# Regenerate the tshark oracle in tests/data/oracle/ from tests/data/captures/.
#
# For every capture FILE (pcap/pcapng) in tests/data/captures/:
#   - libpcap check: `tcpdump -n -r FILE` must read the whole file.  If it
#     fails, FILE.libpcap-error gets tcpdump's error message and no .fields
#     is written (tracewb, built on libpcap, must exit 2 with an error).
#   - otherwise FILE.fields = output of the tshark command below, with the
#     field list from tests/oracle/fields-l4.txt (one field per line).
#   - FILE.count = number of frames (capinfos -c -M), for every file tshark
#     can read.
# Then, for every other field set tests/oracle/fields-SET.txt: FILE.SET.fields
# for each capture above with a .fields file that matches the set's
# "# select: FILTER" line (tshark -Y FILTER shows a frame), and for each
# capture on its "# extra: PATH..." line, minus the captures named on its
# "# exclude: NAME..." line; the command is the same with the set's fields and
# its "# tshark-options:" added.
# The section of tests/data/oracle/README.md between the GENERATED markers is
# rewritten; the rest of README.md (hand-written format notes) is kept.
#
# Needs tshark, capinfos, tcpdump (run time of tests/oracle/run.sh needs none).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
caps=$repo/tests/data/captures
out=$repo/tests/data/oracle
fieldsfile=$here/fields-l4.txt

for t in tshark capinfos tcpdump; do
    command -v $t >/dev/null 2>&1 || { echo "make-expected: $t not found" >&2; exit 1; }
done
[ -d "${HOME:-/nonexistent}/.config/wireshark" ] &&
    echo "make-expected: WARNING: ~/.config/wireshark exists; personal preferences may change the output" >&2

mkdir -p "$out"
rm -f "$out"/*.fields "$out"/*.count "$out"/*.libpcap-error

eargs=
for f in $(grep -v '^[[:space:]]*\(#\|$\)' "$fieldsfile"); do eargs="$eargs -e $f"; done

# The exact command (FILE replaced by the path).
cmd="TZ=UTC tshark -n -r FILE -T fields -E separator=/t -E occurrence=a -E aggregator=, -E quote=n -E header=n$eargs"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
: > "$tmp/table"; : > "$tmp/bad"; : > "$tmp/notshark"

for path in "$caps"/*; do
    [ -f "$path" ] || continue
    name=$(basename "$path")
    case $name in *.md|*.txt) continue ;; esac

    # Can tshark (wiretap) read it?
    if ! capinfos -c -E -M "$path" > "$tmp/ci" 2> "$tmp/cierr"; then
        printf '%s\t%s\n' "$name" "$(tr '\n' ' ' < "$tmp/cierr")" >> "$tmp/notshark"
        echo "tshark cannot read $name"
        continue
    fi
    count=$(awk -F: '/^Number of packets/ { gsub(/[ \t]/, "", $2); print $2 }' "$tmp/ci")
    echo "$count" > "$out/$name.count"
    linktype=$(awk '
        /^File encapsulation:/ { sub(/^File encapsulation: */, ""); enc = $0; next }
        /^Encapsulation in use/ { inuse = 1; next }
        inuse && /^[ \t]/ { sub(/^[ \t]+/, ""); lst = lst (lst == "" ? "" : ", ") $0; next }
        { inuse = 0 }
        END { print enc (lst == "" ? "" : " (" lst ")") }' "$tmp/ci")

    # Can libpcap read it (whole file)?
    if ! tcpdump -n -r "$path" > /dev/null 2> "$tmp/tderr"; then
        grep -v '^reading from file' "$tmp/tderr" > "$out/$name.libpcap-error" || true
        printf '%s\t%s\t%s\t%s\n' "$name" "$count" "$linktype" "$(tr '\n' ' ' < "$out/$name.libpcap-error" | sed 's/ *$//')" >> "$tmp/bad"
        echo "libpcap error  $name: $(cat "$out/$name.libpcap-error")"
        continue
    fi

    # shellcheck disable=SC2086
    TZ=UTC tshark -n -r "$path" -T fields -E separator=/t -E occurrence=a \
        -E aggregator=, -E quote=n -E header=n $eargs \
        > "$out/$name.fields" 2> "$tmp/tserr" || {
        echo "make-expected: tshark failed on $name:" >&2; cat "$tmp/tserr" >&2; exit 1; }
    grep -v '^Running as user' "$tmp/tserr" >&2 || true
    lines=$(wc -l < "$out/$name.fields" | tr -d ' ')
    if [ "$lines" != "$count" ]; then
        echo "make-expected: $name: $lines lines but capinfos says $count frames" >&2
        exit 1
    fi
    printf '%s\t%s\t%s\n' "$name" "$count" "$linktype" >> "$tmp/table"
    echo "ok  $name ($count frames)"
done

# Other field sets (fields-SET.txt, SET != l4).
setline() { sed -n "s/^#[[:space:]]*$2:[[:space:]]*//p" "$1" | head -n 1; }
: > "$tmp/sets"
for setfile in "$here"/fields-*.txt; do
    set=${setfile##*/fields-}; set=${set%.txt}
    [ "$set" = l4 ] && continue
    filter=$(setline "$setfile" select)
    topts=$(setline "$setfile" tshark-options)
    extra=$(setline "$setfile" extra)
    exclude=$(setline "$setfile" exclude)
    sargs=
    for f in $(grep -v '^[[:space:]]*\(#\|$\)' "$setfile"); do sargs="$sargs -e $f"; done
    scmd="TZ=UTC tshark${topts:+ $topts} -n -r FILE -T fields -E separator=/t -E occurrence=a -E aggregator=, -E quote=n -E header=n$sargs"
    : > "$tmp/set-$set"
    # The captures with an l4 .fields (libpcap reads them), then the extra ones.
    for path in $(cut -f1 "$tmp/table" | sed "s|^|$caps/|") $(for e in $extra; do echo "$repo/$e"; done); do
        name=$(basename "$path")
        [ -f "$path" ] || { echo "make-expected: $set: no such capture $path" >&2; exit 1; }
        case " $exclude " in *" $name "*) continue ;; esac
        case " $extra " in
            *" ${path#"$repo"/} "*) ;;
            *) [ -n "$filter" ] && [ -n "$(tshark -n -r "$path" -Y "$filter" 2>/dev/null | head -n 1)" ] || continue ;;
        esac
        # shellcheck disable=SC2086
        TZ=UTC tshark $topts -n -r "$path" -T fields -E separator=/t -E occurrence=a \
            -E aggregator=, -E quote=n -E header=n $sargs \
            > "$out/$name.$set.fields" 2> "$tmp/tserr" || {
            echo "make-expected: tshark failed on $name ($set):" >&2; cat "$tmp/tserr" >&2; exit 1; }
        grep -v '^Running as user' "$tmp/tserr" >&2 || true
        printf '%s\t%s\t%s\n' "$name" "$(wc -l < "$out/$name.$set.fields" | tr -d ' ')" "${path#"$repo"/}" >> "$tmp/set-$set"
        echo "ok  $name ($set)"
    done
    printf '%s\t%s\t%s\n' "$set" "$filter" "$scmd" >> "$tmp/sets"
done

version=$(tshark -v 2>/dev/null | head -1)
{
    echo '<!-- BEGIN GENERATED by tests/oracle/make-expected.sh; do not edit by hand -->'
    echo '## How the oracle was made'
    echo
    echo "tshark version: \`$version\`"
    echo "(no personal preferences: no \`~/.config/wireshark\`; defaults for every protocol)."
    echo
    echo 'For each capture `FILE` in `tests/data/captures/` that libpcap can read,'
    echo '`FILE.fields` is the stdout of exactly this command (fields from'
    echo '`tests/oracle/fields-l4.txt`, in that order):'
    echo
    echo '```sh'
    echo "$cmd"
    echo '```'
    echo
    echo '`FILE.count` is the frame count from `capinfos -c -M FILE` (written for every'
    echo 'file tshark can read; equals the line count of `FILE.fields`).'
    echo
    echo '### Files with an oracle'
    echo
    echo '| File | Frames | Encapsulation (capinfos) |'
    echo '|---|---:|---|'
    awk -F '\t' '{ printf "| `%s` | %s | %s |\n", $1, $2, $3 }' "$tmp/table"
    echo
    while IFS='	' read -r set filter scmd; do
        echo "### Field set \`$set\` (\`FILE.$set.fields\`)"
        echo
        echo "Fields from \`tests/oracle/fields-$set.txt\`; captures whose tshark output has a"
        echo "frame for \`$filter\`, plus the set's extra captures. Each file is the stdout of:"
        echo
        echo '```sh'
        echo "$scmd"
        echo '```'
        echo
        echo '| File | Frames | Capture |'
        echo '|---|---:|---|'
        awk -F '\t' '{ printf "| `%s` | %s | `%s` |\n", $1, $2, $3 }' "$tmp/set-$set"
        echo
    done < "$tmp/sets"
    echo '### Files libpcap cannot read (`FILE.libpcap-error`, no `.fields`)'
    echo
    echo 'tshark reads these, but libpcap (checked with `tcpdump -n -r FILE`) refuses'
    echo 'them: libpcap requires all pcapng interfaces (IDBs) of a file to have the'
    echo 'same link type and the same snapshot length. `FILE.libpcap-error` holds'
    echo 'the tcpdump message. tracewb must exit with status 2 and print an error'
    echo 'naming the file on stderr.'
    echo
    if [ -s "$tmp/bad" ]; then
        echo '| File | Frames (tshark) | Encapsulation (capinfos) | tcpdump error |'
        echo '|---|---:|---|---|'
        awk -F '\t' '{ printf "| `%s` | %s | %s | `%s` |\n", $1, $2, $3, $4 }' "$tmp/bad"
    else
        echo '(none)'
    fi
    echo
    echo '### Files tshark cannot read'
    echo
    if [ -s "$tmp/notshark" ]; then
        awk -F '\t' '{ printf "- `%s`: %s\n", $1, $2 }' "$tmp/notshark"
    else
        echo '(none)'
    fi
    echo '<!-- END GENERATED -->'
} > "$tmp/gen"

readme=$out/README.md
if [ -f "$readme" ] && grep -q '^<!-- BEGIN GENERATED' "$readme"; then
    awk -v gen="$tmp/gen" '
        /^<!-- BEGIN GENERATED/ { while ((getline l < gen) > 0) print l; skip = 1; next }
        /^<!-- END GENERATED/   { skip = 0; next }
        !skip { print }' "$readme" > "$tmp/readme"
    cat "$tmp/readme" > "$readme"
else
    { echo '# tshark oracle for tracewb (L2-L4 fields)'; echo; cat "$tmp/gen"; } > "$readme"
fi
echo "wrote $(ls "$out"/*.fields | wc -l | tr -d ' ') .fields (all sets), $(ls "$out"/*.libpcap-error 2>/dev/null | wc -l | tr -d ' ') .libpcap-error"
