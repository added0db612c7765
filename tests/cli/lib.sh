# lib.sh - helpers for the command-line tests (sourced).
# Each test script gets the binary as $1, runs its checks with `check` and
# ends with `finish`; it exits non-zero if any check failed.
set -u
BIN=${1:?usage: test.sh BINARY}
case $BIN in /*) ;; *) BIN=$(pwd)/$BIN ;; esac
DATA=$(cd "$(dirname "$0")/../data" && pwd)
TMP=$(mktemp -d)
trap 'chmod -R u+rwx "$TMP" 2>/dev/null; rm -rf "$TMP"' EXIT
nfail=0 nok=0

# check NAME CONDITION-COMMAND...
check() {
	name=$1; shift
	if "$@"; then
		nok=$((nok + 1))
	else
		nfail=$((nfail + 1))
		echo "not ok: $name"
	fi
}

# run ARGS... : sets $out, $err, $rc
run() {
	"$BIN" "$@" > "$TMP/out" 2> "$TMP/err"
	rc=$?
	out=$(cat "$TMP/out")
	err=$(cat "$TMP/err")
}

contains() { case $1 in *"$2"*) return 0 ;; *) return 1 ;; esac; }
lines() { printf '%s\n' "$1" | grep -c . || true; }

finish() {
	echo "$nok passed, $nfail failed"
	[ "$nfail" = 0 ]
}
