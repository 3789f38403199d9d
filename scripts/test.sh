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
make -j2 check || { cat tests/*.log 2>/dev/null | tail -n 100; exit 1; }
make -s -j2 distcheck >/dev/null
echo "distcheck: passed"
