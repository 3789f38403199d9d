#!/bin/sh
# Installs what is missing, builds hintstub, and converts the shipped
# example graph, printing what it found.
set -eu
cd "$(dirname "$0")/.."
sh scripts/deps.sh
[ -f configure ] || autoreconf -fi >/dev/null 2>&1
[ -f Makefile ] || ./configure -q
make -s -j2 >/dev/null
./hintstub inspect examples/ophint_lstm.pb
./hintstub examples/ophint_lstm.pb examples/ophint_lstm.stubbed.pb
./hintstub inspect examples/ophint_lstm.stubbed.pb | head -n 1
