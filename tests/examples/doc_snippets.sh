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
# HS_KEEP=1 keeps the scratch directory (tests/tmp-snippets-*) to look at.
trap '[ -n "${HS_KEEP:-}" ] || rm -rf "$work"' EXIT
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

# The guide's console blocks, in order, as one script run by one shell in
# $work/guide: each "$ " line is a command (it must exit 0), the lines
# under it up to the next "$ " line or the block's end are what it must
# print.  Substitutions, as the guide says: the line that installs hintstub
# (./configure) is skipped; HOME is $work/home, whose hs/ is a prefix of
# links into the build tree (bin, include, lib, lib/pkgconfig/hintstub.pc),
# first in PATH and PKG_CONFIG_PATH from the start; ./hintstub is the
# source tree; `cc` is $CC with the library's CFLAGS (sanitizers); $EDITOR
# edits as an author would: mycell.c becomes the guide's C, the Makefile's
# check target is pointed at mycell's graphs and verdicts.
guide=$work/guide hs=$work/home/hs
mkdir -p "$guide" "$hs/bin" "$hs/include" "$hs/lib/pkgconfig"
ln -s "$srcdir" "$guide/hintstub"
ln -s "$srcdir/include/hintstub" "$hs/include/hintstub"
for f in "$build"/.libs/libhintstub.a "$build"/.libs/libhintstub.so*; do
	ln -s "$f" "$hs/lib/"
done
for exe in hintstub hintstub-gen; do
	printf '#!/bin/sh\nexec "%s/%s" "$@"\n' "$build" "$exe" > "$hs/bin/$exe"
	chmod 755 "$hs/bin/$exe"
done
# libdir too: a build configured with a multiarch --libdir (Debian's
# package build) names ${prefix}/lib/<triplet>.
sed "s|^prefix=.*|prefix=$hs|; s|^libdir=.*|libdir=$hs/lib|" "$build/hintstub.pc" > "$hs/lib/pkgconfig/hintstub.pc"
# shellcheck disable=SC2016 # $1 is the edit script's
printf '%s\n' '#!/bin/sh' 'case "$1" in' \
	"mycell.c) cp '$work/guide.c' mycell.c ;;" \
	"Makefile) sed -i 's/Sigmoid,Mul/MatMul,Tanh/; s/Tanh,Mul/Relu,Tanh/; s/no Sigmoid/no MatMul/; s/[$](FUNCTION)  [*]1/MyFusedCell  *1/' Makefile ;;" \
	'*) echo "edit: nothing to do for $1" >&2; exit 1 ;;' 'esac' > "$work/edit"
chmod 755 "$work/edit"
# guide.sh: command N writes gout.N (stdout and stderr), check_out N
# compares it with gexp.N (possibly empty: a command shown without output
# prints nothing).  guide-cmds: command N on line N.
awk -v dir="$work" '
	function done_cmd() { if (n) print "check_out " n; n = 0 }
	/^```console$/ { on = 1; next }
	/^```$/ && on { on = 0; done_cmd(); next }
	on && /^\$ / { done_cmd(); c++; cmd = substr($0, 3); print cmd > (dir "/guide-cmds")
		       f = dir "/gexp." c; printf "" > f; close(f)
		       if (cmd ~ /\.\/configure/) { print ": skipped " c; next }
		       n = c; print "{ " cmd "\n} > \"$work/gout." n "\" 2>&1 || fail_cmd " n; next }
	on && n { f = dir "/gexp." n; print >> f; close(f) }
' "$srcdir/doc/plugin-guide.md" > "$work/guide.sh"
grep -q '^check_out' "$work/guide.sh" || fail "doc/plugin-guide.md: no console command"
# shellcheck disable=SC2016 # run.sh's own expansions
{
	echo "work='$work'"
	echo 'cc() { command $HS_GUIDE_CC ${HS_CFLAGS:-} "$@"; }'
	printf '%s\n' 'fail_cmd() { printf "%s\n" "FAIL: doc/plugin-guide.md: \`$(sed -n "$1p" "$work/guide-cmds")\` exits non-zero:"; cat "$work/gout.$1"; exit 1; } >&2'
	printf '%s\n' 'check_out() { diff -u "$work/gexp.$1" "$work/gout.$1" || { printf "%s\n" "FAIL: doc/plugin-guide.md: \`$(sed -n "$1p" "$work/guide-cmds")\` prints something else"; exit 1; }; } >&2'
	cat "$work/guide.sh"
} > "$work/run.sh"
# shellcheck disable=SC2097,SC2098 # CC: the same compiler for make
(cd "$guide" && HOME="$work/home" PATH="$hs/bin:$PATH" \
	PKG_CONFIG_PATH="$hs/lib/pkgconfig" EDITOR="$work/edit" \
	HINTSTUB_RULES_DIR="$srcdir/rules" \
	HINTSTUB_PLUGIN_PATH="$build/plugins/lstm/.libs:$build/plugins/rnn/.libs:$build/plugins/conv/.libs" \
	HS_GUIDE_CC="$CC" CC="$CC" CFLAGS="${HS_CFLAGS:-} -Wall -Wextra -Wno-unused-parameter -Werror" MAKEFLAGS='' \
	sh -eu "$work/run.sh") || fail "doc/plugin-guide.md: its commands (above)"

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
