#!/bin/sh
# examples/template, copied out of the tree as a user would, runs its own
# `make check` against the build tree: pkg-config through the uninstalled
# .pc, the build's hintstub and hintstub-gen, the source tree's rules
# (include <default.rules>) and built-in plugins.
set -eu
srcdir=${srcdir:-.}
srcdir=$(cd "$srcdir" && pwd)
build=$(pwd)
fail() { echo "FAIL: $*" >&2; exit 1; }
command -v "${MAKE:-make}" > /dev/null || { echo "SKIP: no make"; exit 77; }
work=$(mktemp -d "$build/tests/tmp-template-XXXXXX")
trap 'rm -rf "$work"' EXIT
chmod 700 "$work"
cp "$srcdir"/examples/template/* "$work/"
export PKG_CONFIG_PATH="$build${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}"
export HINTSTUB_RULES_DIR="$srcdir/rules"
export HINTSTUB_PLUGIN_PATH="$build/plugins/lstm/.libs:$build/plugins/rnn/.libs:$build/plugins/conv/.libs"
${MAKE:-make} -s -C "$work" check CC="${HS_CC:-${CC:-cc}}" \
	CFLAGS="${HS_CFLAGS:-} -Wall -Wextra -Werror" \
	HINTSTUB="$build/hintstub" HINTSTUB_GEN="$build/hintstub-gen" > "$work/log" 2>&1 ||
	{ cat "$work/log" >&2; fail "examples/template: make check"; }
grep -q '^myswish: check passed$' "$work/log" || fail "$(cat "$work/log")"
# The rule option reaches the plugin; a bad one names its line.
printf 'plugin myswish\noption myswish.beta = -1\n' > "$work/bad.rules"
if "$build/hintstub" --plugin-path "$work" --rules "$work/bad.rules" \
	"$work/swish.pb" "$work/bad.pb" 2> "$work/err"; then
	fail "bad option accepted"
fi
grep -q "bad.rules:2:8: myswish: beta must be a positive number, got '-1'" "$work/err" ||
	fail "unexpected error: $(cat "$work/err")"
echo "template plugin OK"
