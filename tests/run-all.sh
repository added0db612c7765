#!/bin/sh
# run-all.sh - every test of `make check`, for each build directory given.
#
#   tests/run-all.sh build build/asan
#
# Per build: each cmocka unit test (tests/test_*.c), the tshark oracle
# (tests/oracle/run.sh) and the command-line tests (tests/cli/*.sh). The
# last line is "N passed, M failed" over all suites; exit 1 on any failure.
set -u
cd "$(dirname "$0")/.."
export TZ=UTC LC_ALL=C.UTF-8
# Leak checks are part of the sanitizer run; abort on the first UB report.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

passed=0 failed=0 failures=""
run() { # name, command...
	name=$1; shift
	log=$(mktemp)
	if "$@" >"$log" 2>&1; then
		passed=$((passed + 1))
		printf 'PASS  %s\n' "$name"
	else
		failed=$((failed + 1))
		failures="$failures $name"
		printf 'FAIL  %s\n' "$name"
		sed 's/^/      /' "$log" | tail -40
	fi
	rm -f "$log"
}

for b in "$@"; do
	tag=$(basename "$b")
	for t in "$b"/tests/test_*; do
		[ -x "$t" ] || continue
		run "$tag/unit/$(basename "$t")" "$t"
	done
	run "$tag/oracle" tests/oracle/run.sh "$b/tracewb"
	run "$tag/oracle-filters" tests/oracle/filters.sh "$b/tracewb"
	for t in tests/cli/*.sh; do
		[ -f "$t" ] || continue
		run "$tag/cli/$(basename "$t" .sh)" sh "$t" "$b/tracewb"
	done
	# Screen tests of the interactive UI (tmux; see tests/tui/lib.sh).
	run "$tag/tui/screens" sh tests/tui/screens.sh "$b/tracewb"
	# Terminal safety of the workbench: escape sequences from the input never reach the terminal.
	run "$tag/tui/hostile" sh tests/tui/hostile.sh "$b/tracewb"
done
# Memcheck once, on the first (normal) build.
if command -v valgrind >/dev/null 2>&1; then
	run "$(basename "$1")/valgrind" tests/valgrind.sh "$1/tracewb"
else
	run "valgrind-installed" false
fi

echo
[ -n "$failures" ] && echo "failed:$failures"
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
