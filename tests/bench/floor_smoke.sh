#!/bin/sh
# bench_floor on a 10,000-node graph, one round (the real runs are `make
# bench-floor`'s): every command runs, each size line and summary line is
# printed, and the scratch directory under $TMPDIR is gone afterwards.
set -u
HS=${HINTSTUB:-./hintstub}
GEN=${HINTSTUB_GEN:-./hintstub-gen}
FLOOR=${BENCH_FLOOR:-bench/bench_floor}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/floor-smoke.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
out=$(TMPDIR=$tmp HS_BENCH_SUMMARY=$tmp/summary.txt "$FLOOR" -n 1 -r 10000 "$HS" "$GEN" 10000 20000)
rc=$?
[ "$rc" -eq 0 ] || { echo "FAIL: bench_floor exited $rc"; echo "$out"; exit 1; }
for want in "floor: 10000 nodes, 638 calls" "floor: 20000 nodes, 1277 calls" \
	"  cp + sync " "  convert " "  dry-run " "  inspect " \
	"floor: convert / cp+sync, 10k nodes" "floor: convert peak RSS / file, 10k" \
	"floor: inspect / dry-run, 10k" "floor: same two, round by round, 10k" \
	"floor: convert time a node, 20k / 10k"; do
	case $out in *"$want"*) ;; *) echo "FAIL: no '$want' in:"; echo "$out"; exit 1;; esac
done
[ "$(wc -l < "$tmp/summary.txt")" -eq 8 ] || { echo "FAIL: summary file:"; cat "$tmp/summary.txt"; exit 1; }
left=$(ls "$tmp" | grep -v '^summary.txt$')
[ -z "$left" ] || { echo "FAIL: scratch left behind: $left"; exit 1; }
# Usage errors: exit 2.
"$FLOOR" -n 0 "$HS" "$GEN" > /dev/null 2>&1
[ $? -eq 2 ] || { echo "FAIL: -n 0 accepted"; exit 1; }
exit 0
