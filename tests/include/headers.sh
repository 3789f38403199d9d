#!/bin/sh
# Every public header compiles on its own, twice in one unit (include
# guard), as C99 and as C++11 when a C++ compiler was found: what a
# binding generator or a C++ program including just one header sees.
# The headers are every include/hintstub/*.h, and that list must be the
# installed one (pkginclude_HEADERS), so a new header is tested and
# shipped.  make check passes HS_CC, HS_CXX and HS_PUBLIC_HEADERS.
set -u
srcdir=${srcdir:-.}
CC=${HS_CC:-cc}
CXX=${HS_CXX:-}
work=$(mktemp -d "${TMPDIR:-/tmp}/hintstub-headers-XXXXXX") || exit 99
trap 'rm -rf "$work"' EXIT
failures=0 count=0

fail() {
	echo "FAIL: $*"
	failures=$((failures + 1))
}

found=
for path in "$srcdir"/include/hintstub/*.h; do
	[ -f "$path" ] || continue
	found="$found include/hintstub/${path##*/}"
done
[ -n "$found" ] || { echo "no header under $srcdir/include/hintstub"; exit 1; }
if [ -n "${HS_PUBLIC_HEADERS+set}" ]; then
	listed=$(printf '%s\n' $HS_PUBLIC_HEADERS | sort | tr '\n' ' ')
	present=$(printf '%s\n' $found | sort | tr '\n' ' ')
	[ "$listed" = "$present" ] ||
		fail "installed headers ($listed) differ from include/hintstub ($present)"
fi

# check EXT COMPILER HEADER FLAGS...
check() {
	ext=$1 compiler=$2 name=${3##*/}
	shift 3
	unit=$work/$name.$ext
	printf '#include <hintstub/%s>\n#include <hintstub/%s>\n' "$name" "$name" > "$unit"
	count=$((count + 1))
	$compiler "$@" -fsyntax-only -I"$srcdir/include" "$unit" > "$work/out" 2>&1 ||
		fail "$name does not compile alone ($compiler $*):
$(cat "$work/out")"
}

for header in $found; do
	check c "$CC" "$header" -x c -std=c99 -pedantic -Wall -Wextra -Wstrict-prototypes -Werror
	[ -z "$CXX" ] ||
		check cc "$CXX" "$header" -x c++ -std=c++11 -pedantic -Wall -Wextra -Werror
done
[ -n "$CXX" ] || echo "no C++ compiler found by configure: C++ not checked"
echo "$count compilation(s), $failures failure(s):$found"
[ "$failures" -eq 0 ]
