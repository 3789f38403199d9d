#!/bin/sh
# Runs hintstub's whole test suite from a checkout: installs what is
# missing, builds, runs the unit and CLI tests, the release check (make
# distcheck), the suites under valgrind memcheck and under ASan+UBSan, the
# threads test and the graph suites under ThreadSanitizer, each fuzz
# target for a bounded time, and the Debian packages (build, lintian,
# use).  Set HS_QUICK=1 for the unit and CLI tests only.
set -eu
cd "$(dirname "$0")/.."
top=$(pwd)
sh scripts/deps.sh
# The Python suite runs with Debian's interpreter (which has python3-protobuf),
# not whichever python3 comes first in PATH.
[ -z "${PYTHON:-}" ] && [ -x /usr/bin/python3 ] && PYTHON=/usr/bin/python3 && export PYTHON
[ -f configure ] && [ configure -nt configure.ac ] || autoreconf -fi >/dev/null 2>&1
[ -f Makefile ] || ./configure -q 2>/dev/null
make -s -j2

# Check's own summaries live in the per-suite logs; show them and a total.
summarize() {
	grep -h "Checks:" "$1"/tests/*/*.log 2>/dev/null || true
	awk '/Checks: [0-9]+, Failures: [0-9]+, Errors: [0-9]+/ {
		gsub(/[,%]/, " "); for (i = 1; i <= NF; i++) {
			if ($i == "Checks:") c += $(i + 1);
			if ($i == "Failures:") f += $(i + 1);
			if ($i == "Errors:") f += $(i + 1) } }
		END { printf "%s: %d passed, %d failed\n", label, c - f, f }' \
		label="$2" "$1"/tests/*/*.log
}
show_failures() {
	for l in "$1"/tests/*/*.log; do
		grep -q -E "^:test-result: (FAIL|ERROR)" "${l%.log}.trs" 2>/dev/null &&
			{ echo "---- $l"; tail -n 40 "$l"; }
	done
	return 0
}

status=0
make -j2 check >/dev/null 2>&1 || status=$?
summarize . "unit tests"
if [ "$status" -ne 0 ]; then show_failures .; exit "$status"; fi
[ "${HS_QUICK:-0}" = 1 ] && exit 0

echo "== make distcheck"
make -s -j2 distcheck >/dev/null 2>&1 || { echo "distcheck: FAILED"; make -j2 distcheck 2>&1 | tail -n 40; exit 1; }
echo "distcheck: passed"

echo "== valgrind memcheck"
make -s valgrind >valgrind.log 2>&1 || { tail -n 60 valgrind.log; echo "valgrind: FAILED"; exit 1; }
echo "valgrind: passed (no errors, no definite leaks)"

echo "== ASan + UBSan build"
asan=$(mktemp -d)
trap 'rm -rf "$asan"' EXIT
tar -C "$asan" -xzf hintstub-*.tar.gz
(cd "$asan"/hintstub-* && ./configure -q --enable-sanitizers 2>/dev/null &&
	make -s -j2 >/dev/null 2>&1 &&
	ASAN_OPTIONS=detect_leaks=1 make -j2 check >/dev/null 2>&1) || status=$?
summarize "$(echo "$asan"/hintstub-*)" "sanitizer tests"
if [ "$status" -ne 0 ]; then show_failures "$(echo "$asan"/hintstub-*)"; exit "$status"; fi

echo "== ThreadSanitizer build"
# The threads test, the graph layer's suites and inspect's (its parallel
# rendering): any race halts the run.
tsan=$(mktemp -d)
trap 'rm -rf "$asan" "$tsan"' EXIT
tar -C "$tsan" -xzf hintstub-*.tar.gz
TSAN_TESTS="tests/graph/check_threads tests/graph/check_load_parallel tests/graph/check_graph tests/graph/check_container tests/graph/check_name_index tests/graph/check_io tests/graph/check_sink tests/report/check_inspect"
(cd "$tsan"/hintstub-* && ./configure -q --enable-tsan 2>/dev/null &&
	make -s -j2 >/dev/null 2>&1 &&
	TSAN_OPTIONS=halt_on_error=1 make -j2 check TESTS="$TSAN_TESTS" >/dev/null 2>&1) || status=$?
summarize "$(echo "$tsan"/hintstub-*)" "tsan tests"
if [ "$status" -ne 0 ]; then show_failures "$(echo "$tsan"/hintstub-*)"; exit "$status"; fi
echo "tsan: passed"

echo "== fuzz smoke"
if grep -q "^hs_cv_fuzzer=yes" config.log 2>/dev/null; then
	make -s fuzz-smoke FUZZ_SECONDS="${HS_FUZZ_SECONDS:-60}" >fuzz-smoke.log 2>&1 ||
		{ tail -n 60 fuzz-smoke.log; echo "fuzz smoke: FAILED"; exit 1; }
	grep -E "^fuzz-smoke:|stat::number_of_executed_units" fuzz-smoke.log
	echo "fuzz smoke: passed"
else
	echo "fuzz smoke: skipped (clang without -fsanitize=fuzzer)"
fi
echo "== Debian packages"
# dpkg-buildpackage -b, lintian (no errors), then the packages unpacked
# into a scratch root and used from there (tests/packaging/deb.sh).
deb_status=0
sh tests/packaging/deb.sh || deb_status=$?
case $deb_status in
0) echo "deb: passed" ;;
77) echo "deb: skipped (no dpkg-buildpackage or debhelper)" ;;
*) echo "deb: FAILED"; exit 1 ;;
esac
cd "$top"
echo "all test stages passed"
