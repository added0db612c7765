#!/bin/sh
# run.sh - run each libFuzzer harness for a bounded time (make fuzz).
#
#   tests/fuzz/run.sh BINDIR SECONDS TARGET...
#
# Each target starts from its committed seeds (tests/fuzz/corpus/<t>/) and
# grows a working corpus in build/fuzz-work/<t>/ (not committed). Fails on
# any crash, sanitizer report, leak, timeout (-timeout=10) or OOM; the
# reproducer is left as build/fuzz-work/<t>-crash-* for tests/data/regress/.
# Prints the executions each target reached.
set -u
cd "$(dirname "$0")/../.."
bindir=$1 secs=$2; shift 2
work=build/fuzz-work
mkdir -p "$work"
fail=0
summary=""
for t in "$@"; do
	case $t in
	capture) max=65536 ;;
	events) max=65536 ;;
	pkix) max=16384 ;;
	tls|http|tcp|dns_tcp) max=16384 ;;
	*) max=4096 ;;
	esac
	mkdir -p "$work/$t"
	log=$work/$t.log
	printf 'fuzz %-8s %ss ... ' "$t" "$secs"
	"$bindir/fuzz_$t" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
		-max_len=$max -print_final_stats=1 -artifact_prefix="$work/$t-" \
		"$work/$t" "tests/fuzz/corpus/$t" >"$log" 2>&1
	rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
	if [ "$rc" = 0 ]; then
		echo "ok, ${execs:-?} execs"
	else
		echo "FAILED (exit $rc), ${execs:-?} execs; see $log"
		grep -m3 -E 'ERROR|runtime error|Timeout|out-of-memory' "$log" | sed 's/^/    /'
		ls "$work/$t"-* 2>/dev/null | sed 's/^/    reproducer: /'
		fail=1
	fi
	summary="$summary $t=${execs:-?}"
done
echo "executions:$summary"
exit $fail
