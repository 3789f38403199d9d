#!/bin/sh
# Runs hintstub's whole test suite from a fresh checkout: installs what is
# missing, builds, runs the unit and CLI tests, then the release check
# (make distcheck).
set -eu
cd "$(dirname "$0")/.."
sh scripts/deps.sh
autoreconf -fi >/dev/null 2>&1
./configure -q
make -s -j2
status=0
make -j2 check || status=$?
# Check's own summaries live in the per-suite logs; show them and a total.
grep -h "Checks:" tests/*.log 2>/dev/null || true
awk '/Checks: [0-9]+, Failures: [0-9]+, Errors: [0-9]+/ {
	gsub(/[,%]/, " "); for (i = 1; i <= NF; i++) {
		if ($i == "Checks:") c += $(i + 1);
		if ($i == "Failures:") f += $(i + 1);
		if ($i == "Errors:") f += $(i + 1) } }
	END { printf "unit tests: %d passed, %d failed\n", c - f, f }' tests/*.log
if [ "$status" -ne 0 ]; then
	for l in tests/*.log; do
		grep -q -E "^(FAIL|ERROR)" "${l%.log}.trs" 2>/dev/null && tail -n 40 "$l"
	done
	exit "$status"
fi
make -s -j2 distcheck >/dev/null
echo "distcheck: passed"
