#!/bin/sh
# The shipped examples/ophint_dynamic_lstm.pb is exactly what
# examples/ophint_dynamic_lstm.sh makes the generator write (regenerate
# with `make regen-dynamic-example`), it loads, and inspect finds its one
# level-2 TfLiteDynamicRnn call.
set -u
srcdir=${srcdir:-.}
HS=${HINTSTUB:-./hintstub}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/hintstub-dynex.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
HINTSTUB_GEN=${HINTSTUB_GEN:-./hintstub-gen} sh "$srcdir/examples/ophint_dynamic_lstm.sh" \
	"$tmp/fresh.pb" || fail "examples/ophint_dynamic_lstm.sh"
cmp -s "$tmp/fresh.pb" "$srcdir/examples/ophint_dynamic_lstm.pb" ||
	fail "examples/ophint_dynamic_lstm.pb differs from the generator's output: make regen-dynamic-example"
$HS inspect "$srcdir/examples/ophint_dynamic_lstm.pb" > "$tmp/inspect.txt" || fail "inspect"
grep -q '^call 0: TfLiteDynamicRnn uuid [0-9a-f]* level 2' "$tmp/inspect.txt" ||
	fail "inspect does not show the level-2 call: $(cat "$tmp/inspect.txt")"
echo "ok"
