#!/bin/sh
# The version lives in one place, configure.ac's AC_INIT: debian/changelog's
# newest entry must name the same upstream version (a native package's
# version, or the part before the Debian revision).  Quick; in `make check`
# and run by `make deb` before building.
set -eu
srcdir=${srcdir:-.}
fail() { echo "FAIL: $*" >&2; exit 1; }

ac_version() { sed -n 's/^AC_INIT(\[hintstub\], *\[\([^]]*\)\].*/\1/p' "$1"; }
# The newest entry is the first line: 'hintstub (VERSION) DIST; urgency=...'.
changelog_version() { sed -n '1s/^hintstub (\([^)]*\)) .*/\1/p' "$1"; }
upstream() { case $1 in *-*) echo "${1%-*}" ;; *) echo "$1" ;; esac; }

# Prints nothing and succeeds when they agree, else says how they differ.
compare() {
	ac=$(ac_version "$1"); ch=$(changelog_version "$2")
	[ -n "$ac" ] || { echo "$1: no AC_INIT([hintstub], [VERSION], ...) found"; return 1; }
	[ -n "$ch" ] || { echo "$2:1: first line is not 'hintstub (VERSION) ...'"; return 1; }
	[ "$(upstream "$ch")" = "$ac" ] ||
		{ echo "$2:1: version $ch differs from configure.ac's AC_INIT version $ac (add a changelog entry: dch -v $ac)"; return 1; }
}

msg=$(compare "$srcdir/configure.ac" "$srcdir/debian/changelog") || fail "$msg"

# The check itself notices a difference (and a Debian revision is allowed).
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
printf 'AC_INIT([hintstub], [1.2.3], [], [hintstub])\n' > "$work/configure.ac"
printf 'hintstub (1.2.4) unstable; urgency=medium\n' > "$work/changelog"
if compare "$work/configure.ac" "$work/changelog" >/dev/null; then fail "1.2.4 taken for 1.2.3"; fi
printf 'hintstub (1.2.3-2) unstable; urgency=medium\n' > "$work/changelog"
compare "$work/configure.ac" "$work/changelog" >/dev/null || fail "1.2.3-2 not taken for 1.2.3"
echo "debian/changelog agrees with configure.ac ($(ac_version "$srcdir/configure.ac"))"
