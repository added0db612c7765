#!/bin/sh
# regress.sh - replay every input of tests/data/regress/ (crashes and hangs
# found by fuzzing or mutation, kept before they are fixed, tcpdump's habit)
# and every seed corpus of tests/fuzz/corpus/ through the harnesses'
# standalone replayers of this build (BUILD/fuzz/fuzz_<target>), and the
# capture ones also through tracewb -P -V and --check with a time limit.
#
# A file's name starts with its harness: capture-*, events-*, pkix-*,
# tls-*, dns-*, ... Files listed in tests/data/regress/KNOWN are bugs not
# fixed yet: they are expected to fail.
. "$(dirname "$0")/lib.sh"
BDIR=$(dirname "$BIN")
REG=$DATA/regress
FUZZ=$(cd "$DATA/../fuzz" && pwd)

sane() { # RC ERRFILE
	[ "$1" -le 2 ] || return 1
	! grep -qE 'AddressSanitizer|LeakSanitizer|runtime error:|UndefinedBehaviorSanitizer' "$2"
}
known() { grep -q "^$1	" "$REG/KNOWN" 2>/dev/null; }

for d in "$FUZZ"/corpus/*/; do
	t=$(basename "$d")
	[ -x "$BDIR/fuzz/fuzz_$t" ] || { check "replayer fuzz_$t built" false; continue; }
	timeout 120 "$BDIR/fuzz/fuzz_$t" "$d" > "$TMP/out" 2> "$TMP/err"
	rc=$?
	check "corpus $t replays (exit $rc)" sane "$rc" "$TMP/err"
	[ "$rc" = 0 ] || tail -20 "$TMP/err"
done

for f in "$REG"/*; do
	b=$(basename "$f")
	case $b in KNOWN|*.md) continue ;; esac
	t=${b%%-*}
	[ -x "$BDIR/fuzz/fuzz_$t" ] || { check "$b: replayer fuzz_$t built" false; continue; }
	timeout 60 "$BDIR/fuzz/fuzz_$t" "$f" > "$TMP/out" 2> "$TMP/err"
	rc=$?
	ok=true
	sane "$rc" "$TMP/err" && [ "$rc" = 0 ] || ok=false
	if [ "$t" = capture ]; then
		for args in "-P -V" "--check"; do
			timeout 10 "$BIN" $args "$f" > "$TMP/out" 2> "$TMP/err2"
			sane $? "$TMP/err2" || { ok=false; cat "$TMP/err2" >> "$TMP/err"; }
		done
	fi
	if known "$b"; then
		if $ok; then
			echo "note: $b passes in this build: if it passes in build/asan too, remove it from tests/data/regress/KNOWN"
		else
			echo "known bug (tests/data/regress/KNOWN): $b"
			grep -m2 -E 'runtime error|ERROR' "$TMP/err" | sed 's/^/    /'
		fi
		nok=$((nok + 1))
	else
		check "regress $b" $ok
		$ok || tail -20 "$TMP/err"
	fi
done
finish
