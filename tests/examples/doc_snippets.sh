#!/bin/sh
# The C in the documentation compiles against the public headers and does
# what it says: the C blocks of doc/plugin-guide.md, read in order, are one
# plugin, built and run through the CLI; each C block of README.md is a
# function body (its #include lines go on top), built into a program that
# converts examples/ophint_lstm.pb; the commands of README.md's console
# blocks print what README.md shows.
set -eu
srcdir=${srcdir:-.}
srcdir=$(cd "$srcdir" && pwd)
build=$(pwd)
# make check passes the library's compiler and CFLAGS (sanitizers
# included: a program linked with an ASan library must be built with ASan).
CC=${HS_CC:-${CC:-cc}}
work=$(mktemp -d "$build/tests/tmp-snippets-XXXXXX")
trap 'rm -rf "$work"' EXIT
chmod 700 "$work"
fail() { echo "FAIL: $*" >&2; exit 1; }
cflags="${HS_CFLAGS:-} -std=c99 -D_POSIX_C_SOURCE=200809L -Wall -Wextra -Wno-unused-parameter -Werror -I$srcdir/include -I$build/include"

# Prints the C blocks of $1 (``` c ... ```), each followed by a line "@@".
c_blocks() {
	awk '/^```c$/ { on = 1; next } /^```$/ && on { on = 0; print "@@"; next } on' "$1"
}

c_blocks "$srcdir/doc/plugin-guide.md" | grep -v '^@@$' > "$work/guide.c"
[ -s "$work/guide.c" ] || fail "no C block in doc/plugin-guide.md"
# shellcheck disable=SC2086
$CC $cflags -shared -fPIC -o "$work/mycell.so" "$work/guide.c" ||
	{ cat -n "$work/guide.c" >&2; fail "doc/plugin-guide.md: its C does not compile"; }
chmod 755 "$work/mycell.so"
"$build/hintstub" explain --plugin-path "$work" --plugins mycell \
	"$srcdir/examples/mycell/mycell.pb" > "$work/explain"
# The output the guide shows: the indented block after "mycell.pb".
awk '/^for `examples\/mycell\/mycell.pb`/ { on = 1; next }
     on && /^    / { sub(/^    /, ""); print; seen = 1; next }
     on && seen { exit }' "$srcdir/doc/plugin-guide.md" > "$work/expected"
[ -s "$work/expected" ] || fail "doc/plugin-guide.md shows no explain output"
diff -u "$work/expected" "$work/explain" ||
	fail "the guide's plugin does not print what the guide shows"

# README.md: every block is wrapped in main() and run in a directory
# holding model.pb.
c_blocks "$srcdir/README.md" | awk -v dir="$work" '
	/^@@$/ { n++; f = dir "/readme" n ".c"
		 print inc "int main(void)\n{\n" body "return 0;\n}" > f
		 close(f); inc = body = ""; next }
	/^#include/ { inc = inc $0 "\n"; next }
	{ body = body $0 "\n" }'
ls "$work"/readme*.c > /dev/null 2>&1 || fail "no C block in README.md"
for c in "$work"/readme*.c; do
	exe=${c%.c}
	# shellcheck disable=SC2086
	$CC $cflags -o "$exe" "$c" -L"$build/.libs" -lhintstub ||
		{ cat -n "$c" >&2; fail "README.md: a C block does not compile"; }
	rm -f "$work/model.pb" "$work/stubbed.pb"
	cp "$srcdir/examples/ophint_lstm.pb" "$work/model.pb"
	(cd "$work" && LD_LIBRARY_PATH="$build/.libs${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" "$exe") > "$exe.out" 2>&1 ||
		fail "README.md: $(basename "$c") exits $?: $(cat "$exe.out")"
	! grep -q '^hintstub:' "$exe.out" || fail "README.md: $(basename "$c"): $(cat "$exe.out")"
	[ -s "$work/stubbed.pb" ] || fail "README.md: $(basename "$c") wrote no stubbed.pb"
	"$build/hintstub" inspect "$work/stubbed.pb" | grep -q '^  UnidirectionalSequenceLstm  *2$' ||
		fail "README.md: $(basename "$c"): stubbed.pb has no two stubs"
done
# README.md's console blocks: each "$ hintstub ..." prints what follows it,
# run in the source tree with the built-in plugins of the build tree.
awk -v dir="$work" '
	/^```console$/ { on = 1; next }
	/^```$/ { on = 0; next }
	on && /^\$ hintstub / { n++; sub(/^\$ hintstub /, ""); print > (dir "/cmd" n); close(dir "/cmd" n)
				 printf "" > (dir "/exp" n); next }
	on { print >> (dir "/exp" n) }' "$srcdir/README.md"
ls "$work"/cmd* > /dev/null 2>&1 || fail "no console block in README.md"
plugins="$build/plugins/lstm/.libs:$build/plugins/rnn/.libs:$build/plugins/conv/.libs"
for cmd in "$work"/cmd*; do
	# shellcheck disable=SC2046
	(cd "$srcdir" && HINTSTUB_PLUGIN_PATH=$plugins "$build/hintstub" $(cat "$cmd")) > "$cmd.out" ||
		fail "README.md: 'hintstub $(cat "$cmd")' fails"
	diff -u "$work/exp${cmd##*/cmd}" "$cmd.out" ||
		fail "README.md: 'hintstub $(cat "$cmd")' prints something else"
done
echo "documentation snippets OK"
