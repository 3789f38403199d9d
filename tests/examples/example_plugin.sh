#!/bin/sh
# Builds examples/mycell with pkg-config against the build tree (through
# hintstub-uninstalled.pc) and runs it through the CLI: proof that the
# public headers are enough to write a plugin.
set -eu
srcdir=${srcdir:-.}
srcdir=$(cd "$srcdir" && pwd)
build=$(pwd)
PKG_CONFIG=${PKG_CONFIG:-pkg-config}
CC=${CC:-cc}
work=$(mktemp -d "$build/tests/tmp-example-XXXXXX")
trap 'rm -rf "$work"' EXIT
chmod 700 "$work"
fail() { echo "FAIL: $*" >&2; exit 1; }

export PKG_CONFIG_PATH="$build${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}"
cflags=$($PKG_CONFIG --cflags hintstub)
libs=$($PKG_CONFIG --libs hintstub)
case $cflags in *"$build/include"*) ;; *) fail "pkg-config did not use the uninstalled .pc: $cflags" ;; esac
# shellcheck disable=SC2086
$CC -shared -fPIC -Wall -Wextra -Werror $cflags -o "$work/mycell.so" \
	"$srcdir/examples/mycell/mycell.c" $libs
chmod 755 "$work/mycell.so"

hs="$build/hintstub"
in="$srcdir/examples/mycell/mycell.pb"
"$hs" --list-plugins --plugin-path "$work" --plugins mycell > "$work/list"
grep -q '^mycell 1.0' "$work/list" || fail "--list-plugins: $(cat "$work/list")"

"$hs" explain --plugin-path "$work" --plugins mycell "$in" > "$work/explain"
cat > "$work/expected" <<'END'
call MyCell c0ffee01 (2 inputs, 1 outputs)
  mycell: claims it
  -> converted by mycell (2 nodes removed, 1 added)
call MyCell c0ffee02 (1 inputs, 1 outputs)
  mycell: no: region has no MatMul
  -> unclaimed: generic stub (1 nodes removed, 1 added)
END
diff -u "$work/expected" "$work/explain" || fail "explain output differs"

"$hs" --plugin-path "$work" --plugins mycell -r "$work/report.json" "$in" "$work/out.pb"
grep -q '"plugin":"mycell"' "$work/report.json" || fail "mycell did not convert: $(cat "$work/report.json")"
"$hs" inspect "$work/out.pb" | grep -q 'MyCell  *2' || fail "expected two MyCell stubs"

# Rule file options reach the plugin; errors carry file:line:col.
printf 'plugin mycell\noption mycell.units = many\n' > "$work/bad.rules"
if "$hs" --plugin-path "$work" --rules "$work/bad.rules" "$in" "$work/out2.pb" 2> "$work/err"; then
	fail "bad option accepted"
fi
grep -q "bad.rules:2:8: mycell: units must be a positive integer, got 'many'" "$work/err" ||
	fail "unexpected error: $(cat "$work/err")"
[ ! -e "$work/out2.pb" ] || fail "output written despite the error"
# CLI failures: one line, exit 1 (bad input) or 2 (usage), no output.
status=0
"$hs" --plugin-path "$work" --plugins nope "$in" "$work/out3.pb" 2> "$work/err" || status=$?
[ "$status" -eq 1 ] || fail "missing plugin: exit $status"
grep -q "^hintstub: plugin nope: nope.so not found (searched: $work" "$work/err" ||
	fail "unexpected error: $(cat "$work/err")"
[ ! -e "$work/out3.pb" ] || fail "output written despite a missing plugin"
status=0
"$hs" --no-plugins --plugins mycell "$in" "$work/out3.pb" 2> /dev/null || status=$?
[ "$status" -eq 2 ] || fail "--no-plugins with --plugins: exit $status"
"$hs" --no-plugins -r "$work/generic.json" "$in" "$work/out4.pb"
grep -q '"plugin":"generic"' "$work/generic.json" || fail "--no-plugins did not use the generic pass"
chmod 777 "$work"
status=0
"$hs" --plugin-path "$work" --plugins mycell "$in" "$work/out5.pb" 2> "$work/err" || status=$?
chmod 700 "$work"
[ "$status" -eq 1 ] || fail "world-writable plugin directory accepted"
grep -q "refusing directory $work: writable by group or others" "$work/err" ||
	fail "unexpected error: $(cat "$work/err")"
echo "example plugin OK"
