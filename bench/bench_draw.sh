#!/bin/sh
# hintstub draw on the 1M-node graph (issue 12: summarised, under 10 s):
# the whole command, load and plan included, to .svg when Graphviz's dot
# is installed, else to .dot.  Median of REPS runs, wall time.  A line of
# the `make bench` summary in HS_BENCH_SUMMARY's format (bench_util.c).
# Usage: bench/bench_draw.sh HINTSTUB GRAPH [REPS]
set -u
hs=$1 graph=$2 reps=${3:-3}
ext=dot
command -v dot > /dev/null 2>&1 && ext=svg
out=$(mktemp -d "${TMPDIR:-/tmp}/hintstub-bench-draw.XXXXXX") || exit 1
trap 'rm -rf "$out"' EXIT
times=""
i=0
while [ "$i" -lt "$reps" ]; do
	t0=$(date +%s.%N)
	"$hs" draw --no-plugins "$graph" -o "$out/draw.$ext" || exit 1
	t1=$(date +%s.%N)
	times="$times $(echo "$t1 - $t0" | bc -l 2>/dev/null || awk "BEGIN { print $t1 - $t0 }")"
	i=$((i + 1))
done
median=$(echo "$times" | tr ' ' '\n' | grep . | sort -n | awk '{ v[NR] = $1 } END { printf "%.2f", v[int((NR + 1) / 2)] }')
size=$(wc -c < "$out/draw.$ext")
echo "draw: $graph to .$ext: median ${median} s of $reps, $size bytes"
ok=$(awk "BEGIN { print ($median < 10) ? \"ok\" : \"MISSED\" }")
[ -n "${HS_BENCH_SUMMARY:-}" ] &&
	printf '%-44s %-26s %-12s %s\n' "draw: 1M nodes summarised, to .$ext" "${median} s" "< 10 s" "$ok" \
		>> "$HS_BENCH_SUMMARY"
exit 0
