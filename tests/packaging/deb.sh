#!/bin/sh
# The Debian packages, built and used as a user gets them: `make deb`
# (dpkg-buildpackage -us -uc -b on a copy of `make dist`, then lintian,
# which must report no error), then every package unpacked with dpkg -x
# into a scratch root and run from there:
#   - the command on examples/ophint_lstm.pb with the packaged plugins and
#     rules (convert, inspect, draw), and the library it runs being the
#     packaged one;
#   - the example plugin (libhintstub-dev's examples/mycell) built with
#     pkg-config against the packaged hintstub.pc, then run by the command;
#   - a program linked with the static library;
#   - `import hintstub` from python3-hintstub, converting with plugins.
# Slow (a whole package build): a stage of scripts/test.sh, not of
# `make check`.  Run from the top of a configured build tree; exits 77
# (skipped) without dpkg-buildpackage or debhelper.
set -eu
srcdir=${srcdir:-.}
srcdir=$(cd "$srcdir" && pwd)
build=$(pwd)
fail() { echo "FAIL: $*" >&2; exit 1; }

if ! command -v dpkg-buildpackage >/dev/null || ! [ -x /usr/bin/dh ]; then
	echo "SKIP: dpkg-buildpackage or debhelper not installed (sh scripts/deps.sh)"
	exit 77
fi
[ -f "$build/Makefile" ] || fail "run from a configured build tree"

# The suite has run already: the package build skips it (nocheck).
DEB_BUILD_OPTIONS=${DEB_BUILD_OPTIONS:-"nocheck parallel=2"} make -s deb \
	>"$build/deb-build.log" 2>&1 || { tail -n 60 "$build/deb-build.log"; fail "make deb"; }
# lintian's findings (errors already failed make deb); warnings are listed.
sed -n '/^lintian /,$p' "$build/deb-build.log" | grep -E '^[EWI]: ' || true

debs="$build/deb-packages"
version=$(sed -n 's/^PACKAGE_VERSION = //p' "$build/Makefile")
ma=$(dpkg-architecture -qDEB_HOST_MULTIARCH)
arch=$(dpkg-architecture -qDEB_HOST_ARCH)
# The library package is named after the soname libtool gave the library.
soname=$(objdump -p "$build/.libs/libhintstub.so" | sed -n 's/^ *SONAME *//p')
libpkg=$(echo "$soname" | sed -n 's/^libhintstub\.so\.\([0-9][0-9]*\)$/libhintstub\1/p')
[ -n "$libpkg" ] || fail "unexpected soname '$soname'"
for p in "hintstub_${version}_$arch" "${libpkg}_${version}_$arch" \
	"libhintstub-dev_${version}_$arch" "python3-hintstub_${version}_all"; do
	[ -f "$debs/$p.deb" ] || fail "$p.deb not built (have: $(ls "$debs"))"
done

work=$(mktemp -d "$build/tests/tmp-deb-XXXXXX")
trap 'rm -rf "$work"' EXIT
chmod 700 "$work"
root="$work/root"
for d in "$debs"/*.deb; do dpkg -x "$d" "$root"; done
lib="$root/usr/lib/$ma"
plugins="$lib/hintstub/plugins"
rules="$root/usr/share/hintstub/rules/default.rules"
for f in "$lib/$soname" "$lib/libhintstub.so" "$lib/libhintstub.a" \
	"$lib/pkgconfig/hintstub.pc" "$root/usr/include/hintstub/plugin.h" \
	"$plugins/lstm.so" "$plugins/rnn.so" "$plugins/conv.so" "$rules" \
	"$root/usr/share/man/man1/hintstub.1.gz" "$root/usr/share/man/man5/hintstub-rules.5.gz" \
	"$root/usr/lib/python3/dist-packages/hintstub/__init__.py"; do
	[ -e "$f" ] || fail "${f#"$root"} not in the packages"
done
[ -z "$(find "$root" -name '*.la')" ] || fail "libtool archives shipped"

# The command, with the packaged library, plugins and rules.
hs() { LD_LIBRARY_PATH="$lib" "$root/usr/bin/hintstub" "$@"; }
LD_LIBRARY_PATH="$lib" ldd "$root/usr/bin/hintstub" | grep -q "$soname => $lib/$soname" ||
	fail "the command does not load the packaged library"
hs --version | grep -q "$version" || fail "--version: $(hs --version)"
hs --list-plugins --plugin-path "$plugins" --rules "$rules" > "$work/list"
for p in lstm rnn conv; do
	grep -q "^$p " "$work/list" || fail "--list-plugins lacks $p: $(cat "$work/list")"
done
in="$srcdir/examples/ophint_lstm.pb"
hs --plugin-path "$plugins" --rules "$rules" -r "$work/report.json" \
	"$in" "$work/out.pb"
[ "$(grep -o '"plugin":"lstm"' "$work/report.json" | wc -l)" -eq 2 ] ||
	fail "lstm did not convert both calls: $(cat "$work/report.json")"
hs inspect "$work/out.pb" | grep -q 'UnidirectionalSequenceLstm  *2' ||
	fail "expected two UnidirectionalSequenceLstm stubs"
hs draw --plugin-path "$plugins" --rules "$rules" "$in" -o "$work/calls.dot"
grep -q '^digraph' "$work/calls.dot" || fail "draw wrote no DOT graph"
# The plugin directory compiled in is the packaged one (multiarch).
grep -q "/usr/lib/$ma/hintstub/plugins" "$lib/$soname" ||
	fail "libhintstub does not search /usr/lib/$ma/hintstub/plugins"

# The example plugin, built as a plugin author does: pkg-config only,
# here against the packaged hintstub.pc (its paths moved into the root).
cp -R "$root/usr/share/doc/libhintstub-dev/examples/mycell" "$work/mycell"
[ -f "$work/mycell/mycell.pb" ] || gunzip "$work/mycell/mycell.pb.gz" 2>/dev/null || true
export PKG_CONFIG_PATH="$lib/pkgconfig"
export PKG_CONFIG_SYSROOT_DIR="$root"
pkg-config --cflags hintstub | grep -q -- "-I$root/usr/include" ||
	fail "pkg-config did not use the packaged hintstub.pc: $(pkg-config --cflags hintstub)"
[ "$(pkg-config --modversion hintstub)" = "$version" ] || fail "hintstub.pc version"
make -s -C "$work/mycell" CFLAGS="-O2 -Wall -Wextra -Werror" >/dev/null
chmod 755 "$work/mycell/mycell.so"
hs explain --plugin-path "$work/mycell" --plugins mycell "$work/mycell/mycell.pb" > "$work/explain"
grep -q "converted by mycell" "$work/explain" || fail "mycell: $(cat "$work/explain")"

# The static library: a program using it runs without libhintstub.so.
cat > "$work/static.c" <<'END'
#include <stdio.h>
#include <hintstub/hintstub.h>
int main(void) { puts(hs_version()); return 0; }
END
# shellcheck disable=SC2046
cc -o "$work/static" "$work/static.c" $(pkg-config --cflags hintstub) \
	"$lib/libhintstub.a" $(pkg-config --static --libs-only-l hintstub | sed 's/-lhintstub//')
[ "$("$work/static")" = "$version" ] || fail "static program: $("$work/static")"
! ldd "$work/static" | grep -q libhintstub || fail "static program loads libhintstub.so"
unset PKG_CONFIG_PATH PKG_CONFIG_SYSROOT_DIR

# The Python package, with Debian's interpreter, finds the library by its
# soname (Architecture: all) and converts with the packaged plugins.
PYTHONPATH="$root/usr/lib/python3/dist-packages" LD_LIBRARY_PATH="$lib" \
	PYTHONDONTWRITEBYTECODE=1 /usr/bin/python3 -c '
import sys, hintstub
assert hintstub.__file__.startswith(sys.argv[1]), hintstub.__file__
assert hintstub.library_version() == sys.argv[2], hintstub.library_version()
r = hintstub.convert(sys.argv[3], plugins="lstm", plugin_path=[sys.argv[4]], rules=sys.argv[5])
assert r.converted == 2, r
' "$root" "$version" "$in" "$plugins" "$rules" || fail "python3-hintstub"

echo "deb: $(cd "$debs" && ls ./*.deb | sed 's|^\./||' | tr '\n' ' ')"
echo "debian packages OK"
