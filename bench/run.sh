#!/bin/sh
# bench/run.sh - `make bench`: tracewb against tshark on one large capture.
# A benchmark, not a test: it reports, it does not pass or fail.
#
#   bench/run.sh build/tracewb
#   FRAMES=800000 bench/run.sh build/tracewb
#
# Builds bench/out/big.pcap (FRAMES frames, default 800000) by replicating
# the bundled samples with distinct flows (bench/mkbig.c), then measures
# wall time and peak RSS (GNU time) of printing every summary line.
set -eu
cd "$(dirname "$0")/.."
bin=${1:-build/tracewb}
FRAMES=${FRAMES:-800000}
out=bench/out
mkdir -p "$out"
cc -O2 -Wall -o "$out/mkbig" bench/mkbig.c $(pkg-config --cflags --libs libpcap)

inputs=$(ls samples/*.pcap samples/*.pcapng 2>/dev/null || true)
[ -n "$inputs" ] || inputs="tests/data/captures/tls12-chacha20poly1305.pcap tests/data/captures/rsasnakeoil2.pcap tests/data/captures/http2-data-reassembly.pcap tests/data/captures/dns_port.pcap"
big=$out/big.pcap
if [ ! -f "$big" ] || [ "$(cat "$out/big.frames" 2>/dev/null)" != "$FRAMES $inputs" ]; then
	# shellcheck disable=SC2086
	"$out/mkbig" "$big" "$FRAMES" $inputs
	echo "$FRAMES $inputs" > "$out/big.frames"
fi
size=$(du -h "$big" | cut -f1)

if ! command -v /usr/bin/time >/dev/null 2>&1 && ! [ -x /usr/bin/time ]; then
	echo "bench: GNU time (/usr/bin/time) is needed: apt-get install time" >&2
	exit 1
fi

measure() { # label, command... ; leaves "seconds KiB" in $out/last
	label=$1; shift
	cat "$big" > /dev/null # warm the page cache so both tools read from memory
	/usr/bin/time -f "%e %M" -o "$out/last" "$@" > /dev/null 2> "$out/stderr.txt" || {
		echo "bench: $label failed:" >&2; tail -5 "$out/stderr.txt" >&2; exit 1; }
	read -r secs kb < "$out/last"
	printf '%-34s %8.2f s %9.1f MiB\n' "$label" "$secs" "$(echo "$kb / 1024" | bc -l)"
}

echo "benchmark capture: $big ($FRAMES frames, $size)"
echo
printf '%-34s %10s %13s\n' "" "wall" "peak RSS"
measure "tracewb -P" "$bin" -P "$big"
read -r tw_s tw_kb < "$out/last"
measure "tshark -n -r (summary lines)" tshark -n -r "$big"
read -r ts_s ts_kb < "$out/last"
echo
echo "speed:  tracewb is $(echo "scale=1; $ts_s / $tw_s" | bc -l)x faster than tshark (target: >= 5x)"
echo "memory: tracewb uses $(echo "scale=1; 100 * $tw_kb / $ts_kb" | bc -l)% of tshark's peak RSS (target: <= 25%)"

# ---- event JSON lines load ---------------------------------------------------
# 1,000,000 events (EVENTS=N to change) of evtx_dump -o jsonl, made from the
# event fixtures by bench/mkevents.c: every copy has its own record id and a
# time 1 ms after the previous one. Target: loaded in <= 3 s (`-c 0` loads
# and prints nothing); the full -P print is shown for comparison.
EVENTS=${EVENTS:-1000000}
cc -O2 -Wall -D_GNU_SOURCE -o "$out/mkevents" bench/mkevents.c
evfix="samples/s1-weak-md2.evtx.jsonl samples/s7-client.evtx.jsonl tests/data/events/evtx-dump.jsonl"
evbig=$out/events.jsonl
if [ ! -f "$evbig" ] || [ "$(cat "$out/events.count" 2>/dev/null)" != "$EVENTS $evfix" ]; then
	# shellcheck disable=SC2086
	"$out/mkevents" "$evbig" "$EVENTS" $evfix
	echo "$EVENTS $evfix" > "$out/events.count"
fi
evmeasure() { # label, command...
	label=$1; shift
	cat "$evbig" > /dev/null
	/usr/bin/time -f "%e %M" -o "$out/last" "$@" > /dev/null 2> "$out/stderr.txt" || {
		echo "bench: $label failed:" >&2; tail -5 "$out/stderr.txt" >&2; exit 1; }
	read -r secs kb < "$out/last"
	printf '%-34s %8.2f s %9.1f MiB\n' "$label" "$secs" "$(echo "$kb / 1024" | bc -l)"
}
echo
echo "event export: $evbig ($EVENTS events, $(du -h "$evbig" | cut -f1))"
echo
printf '%-34s %10s %13s\n' "" "wall" "peak RSS"
evmeasure "tracewb -c 0 (load)" "$bin" -c 0 "$evbig"
read -r ev_s ev_kb < "$out/last"
evmeasure "tracewb -P (load and print)" "$bin" -P "$evbig"
echo
echo "events: loaded in $ev_s s (target: <= 3 s)"

# ---- display filters (-Y) ------------------------------------------------------
# The same expressions through tracewb -Y and tshark -Y on the capture above,
# matching rows printed to /dev/null. Target: a filter on summary fields
# (addresses, ports, protocol names, tls.handshake.type) under 1 s in all
# (`-c 0` is the load alone): the load pass's index decides those without
# dissecting (filter.h, filter_match_index). tcp.flags.reset is a
# detail-tree field, for contrast. FILTER_TSHARK=0 skips tshark (about 20 s
# per expression).
echo
echo "display filters on $big"
echo
printf '%-50s %10s %13s\n' "" "wall" "peak RSS"
measure "tracewb -c 0 (load only)" "$bin" -c 0 "$big"
for expr in 'tcp.port == 443' 'ip.src == 10.77.0.1 && tcp.dstport == 443' 'dns || udp.port == 53' \
            'tls.handshake.type == 11' 'tls && !(tcp.port == 443)' 'ip.addr == 10.0.0.0/8 && tcp.flags.reset == 1'; do
	measure "tracewb -Y '$expr'" "$bin" -Y "$expr" "$big"
	[ "${FILTER_TSHARK:-1}" = 0 ] || measure "tshark -Y '$expr'" tshark -n -r "$big" -Y "$expr"
done

# ---- adversarial captures: linear time ------------------------------------------
# tests/data/gen/adversarial.py at two sizes each: tiny frames (1-byte TCP
# segments of an HTTP body announced as 1 GiB, a chunked body of 1-byte
# chunks, a header block that never ends, TLS records; a new UDP
# conversation and IP fragment group every few frames; cut Ethernet) at
# ADV_MB/4 and ADV_MB megabytes (default 100), loaded (-c 0) and printed
# (-P); copies of one IP fragment at ADV_MB/20 and ADV_MB/5 megabytes; and
# one frame of 64 KiB and of 256 KiB printed with -P -V -x. Load
# time per MB should stay flat from the small to the large size (linear);
# the figures vary with the machine's load, so read the ratio.
ADV_MB=${ADV_MB:-100}
adv=tests/data/gen/adversarial.py
echo
echo "adversarial captures (linearity: time per MB at two sizes)"
echo
printf '%-44s %8s %10s %10s\n' "" "wall" "peak RSS" "s per MB"
advmeasure() { # label, file, args...
	label=$1 file=$2; shift 2
	cat "$file" > /dev/null
	/usr/bin/time -f "%e %M" -o "$out/last" "$bin" "$@" "$file" > /dev/null 2> "$out/stderr.txt" || {
		echo "bench: $label failed:" >&2; tail -5 "$out/stderr.txt" >&2; exit 1; }
	read -r secs kb < "$out/last"
	fmb=$(echo "$(wc -c < "$file") / 1000000" | bc -l)
	printf '%-44s %6.2f s %6.1f MiB %8.4f s\n' "$label" "$secs" "$(echo "$kb / 1024" | bc -l)" \
		"$(echo "$secs / $fmb" | bc -l)"
}
for mb in $((ADV_MB / 4)) "$ADV_MB"; do
	[ -f "$out/tiny-$mb.pcap" ] || python3 "$adv" tiny "$out/tiny-$mb.pcap" "$mb" > /dev/null
	advmeasure "tiny frames, $mb MB: tracewb -c 0 (load)" "$out/tiny-$mb.pcap" -c 0
	advmeasure "tiny frames, $mb MB: tracewb -P" "$out/tiny-$mb.pcap" -P
done
for mb in $((ADV_MB / 20)) $((ADV_MB / 5)); do
	[ -f "$out/frag-$mb.pcap" ] || python3 "$adv" frag "$out/frag-$mb.pcap" "$mb" > /dev/null
	advmeasure "IP fragment copies, $mb MB: tracewb -c 0" "$out/frag-$mb.pcap" -c 0
done
for kib in 64 256; do
	[ -f "$out/big-$kib.pcap" ] || python3 "$adv" big "$out/big-$kib.pcap" "$kib" > /dev/null
	advmeasure "one $kib KiB frame: tracewb -P -V -x" "$out/big-$kib.pcap" -P -V -x
done
