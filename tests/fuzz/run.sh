#!/bin/sh
# run.sh - run each libFuzzer harness for a bounded time (make fuzz).
#
#   tests/fuzz/run.sh BINDIR SECONDS TARGET...
#
# Each target starts from its committed seeds (tests/fuzz/corpus/<t>/) and
# grows a working corpus in build/fuzz-work/<t>/ (not committed). Fails on
# any crash, sanitizer report, leak, timeout (-timeout=10) or OOM; the
# reproducer is left as build/fuzz-work/<t>-crash-* (or -timeout-, -oom-,
# -leak-) for tests/data/regress/.
#
# At the end it prints a Markdown table of what each target reached, from
# libFuzzer's -print_final_stats (executions, executions per second, the
# working corpus, peak RSS), ready to paste into the README; the table is
# also written to build/fuzz-work/table.md.
set -u
cd "$(dirname "$0")/../.."
bindir=$1 secs=$2; shift 2
work=build/fuzz-work
mkdir -p "$work"
fail=0
rows=""
stat() { sed -n "s/^stat::$1: *//p" "$2" | tail -1; }
for t in "$@"; do
	case $t in
	capture) max=65536 ;;
	events) max=65536 ;;
	pkix) max=16384 ;;
	tls|http|tcp|dns_tcp) max=16384 ;;
	theme|keymap|config) max=8192 ;;
	*) max=4096 ;;
	esac
	mkdir -p "$work/$t"
	log=$work/$t.log
	printf 'fuzz %-8s %ss ... ' "$t" "$secs"
	"$bindir/fuzz_$t" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
		-max_len=$max -print_final_stats=1 -artifact_prefix="$work/$t-" \
		"$work/$t" "tests/fuzz/corpus/$t" >"$log" 2>&1
	rc=$?
	execs=$(stat number_of_executed_units "$log")
	rate=$(stat average_exec_per_sec "$log")
	rss=$(stat peak_rss_mb "$log")
	units=$(ls "$work/$t" | wc -l)
	if [ "$rc" = 0 ]; then
		echo "ok, ${execs:-?} execs"
		result=ok
	else
		echo "FAILED (exit $rc), ${execs:-?} execs; see $log"
		grep -m3 -E 'ERROR|runtime error|Timeout|out-of-memory|deadly signal' "$log" | sed 's/^/    /'
		ls "$work/$t"-* 2>/dev/null | sed 's/^/    reproducer: /'
		fail=1
		result="FAILED (exit $rc)"
	fi
	rows="$rows| $t | $secs | ${execs:-?} | ${rate:-?} | $units | ${rss:-?} | $result |
"
done
{
	echo "Fuzzing run of $(date -u +%Y-%m-%d) ($(git rev-parse --short HEAD 2>/dev/null || echo ?)), ${secs} s per target, $(nproc) cores:"
	echo
	echo "| target | seconds | executions | exec/s | corpus files | peak RSS MB | result |"
	echo "|---|---:|---:|---:|---:|---:|---|"
	printf '%s' "$rows"
} > "$work/table.md"
echo
cat "$work/table.md"
exit $fail
