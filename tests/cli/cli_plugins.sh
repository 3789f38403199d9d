#!/bin/sh
# The built-in plugins, loaded from this build tree as a user's would be,
# claim what they are written for: both calls of TensorFlow's LSTM graph,
# and the generator's LSTM, RNN and custom-conv graphs, every call.
set -u
srcdir=${srcdir:-.}
HS=${HINTSTUB:-./hintstub}
GEN=${HINTSTUB_GEN:-./hintstub-gen}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/hintstub-plugins.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
P="--plugin-path plugins/lstm/.libs --plugin-path plugins/rnn/.libs
   --plugin-path plugins/conv/.libs --rules $srcdir/rules/default.rules"

# claimed GRAPH PLUGIN CALLS [OPTIONS...]: every call converted by PLUGIN.
claimed() {
	graph=$1 plugin=$2 calls=$3
	shift 3
	# shellcheck disable=SC2086
	$HS $P "$@" -r "$tmp/r.json" "$graph" "$tmp/out.pb" ||
		fail "$graph: conversion failed"
	n=$(grep -o "\"plugin\":\"$plugin\"" "$tmp/r.json" | wc -l)
	[ "$n" -eq "$calls" ] || fail "$graph: $n of $calls calls claimed by $plugin"
	grep -q "\"converted\":$calls," "$tmp/r.json" || fail "$graph: not all converted"
	$HS inspect "$tmp/out.pb" | grep -q "already converted" ||
		fail "$graph: output not seen as converted"
}

claimed "$srcdir/tests/data/ophint_lstm.pb" lstm 2 --plugins lstm,rnn
$GEN lstm --layers 3 --steps 4 --peephole --proj -o "$tmp/lstm.pb" 2>/dev/null || fail "gen lstm"
claimed "$tmp/lstm.pb" lstm 3
$GEN rnn --layers 2 --steps 5 -o "$tmp/rnn.pb" 2>/dev/null || fail "gen rnn"
claimed "$tmp/rnn.pb" rnn 2
$GEN conv --calls 50 -o "$tmp/conv.pb" 2>/dev/null || fail "gen conv"
claimed "$tmp/conv.pb" conv 50

# The lstm stub carries the op options TOCO reads.
$HS $P --plugins lstm "$srcdir/tests/data/ophint_lstm.pb" "$tmp/l.pb" || fail "lstm only"
for key in fused_activation_function cell_clip proj_clip time_major; do
	grep -q "$key" "$tmp/l.pb" || fail "lstm stub lacks $key"
done
echo "cli_plugins: 5 passed, 0 failed"
