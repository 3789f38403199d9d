#!/bin/sh
# The command maps its input (HS_LOAD_MAP): the converted graph is the one
# reading a copy gives, and an input that shrinks under the mapping (here
# a plugin truncates it mid-conversion, as another program could) is an
# input error: exit status 1, one line naming the cause, no output and no
# temporary file left.  Also: freeing the graph before exit or not
# (HINTSTUB_FREE_AT_EXIT) writes the same output.
set -u
srcdir=${srcdir:-.}
HINTSTUB=${HINTSTUB:-./hintstub}
work=$(mktemp -d "${TMPDIR:-/tmp}/hintstub-map-XXXXXX") || exit 99
trap 'rm -rf "$work"' EXIT
chmod 700 "$work"
mkdir -m 700 "$work/plugins" "$work/out" || exit 99
cp tests/host/plugins/.libs/truncator.so "$work/plugins/" || { echo "test plugins not built"; exit 99; }
failures=0
fail() {
	echo "FAIL: $*" >&2
	failures=$((failures + 1))
}

# Mapped (a file) and read (standard input) give the same bytes.
cp "$srcdir/tests/data/ophint_lstm.pb" "$work/in.pb"
$HINTSTUB "$work/in.pb" "$work/mapped.pb" 2>"$work/err" || fail "mapped conversion: $(cat "$work/err")"
$HINTSTUB - "$work/read.pb" <"$work/in.pb" 2>"$work/err" || fail "read conversion: $(cat "$work/err")"
cmp -s "$work/mapped.pb" "$work/read.pb" || fail "mapped and read inputs convert differently"
cmp -s "$work/in.pb" "$srcdir/tests/data/ophint_lstm.pb" || fail "the input changed"

# The graph left to the exit (the default) or freed first: the same output.
HINTSTUB_FREE_AT_EXIT=1 $HINTSTUB "$work/in.pb" "$work/freed.pb" 2>"$work/err" ||
	fail "HINTSTUB_FREE_AT_EXIT=1: $(cat "$work/err")"
cmp -s "$work/mapped.pb" "$work/freed.pb" || fail "freeing at exit changes the output"

# Truncated under the mapping.
HP_TRUNCATE=$work/in.pb $HINTSTUB "$work/in.pb" "$work/out/out.pb" \
	--plugin-path "$work/plugins" --plugins truncator 2>"$work/err"
status=$?
[ "$status" -eq 1 ] || fail "truncated input: exit status $status, not 1"
grep -q '^hintstub: an input file shrank while it was being read' "$work/err" ||
	fail "truncated input: stderr is '$(cat "$work/err")'"
[ "$(wc -l <"$work/err")" -eq 1 ] || fail "truncated input: more than one line: $(cat "$work/err")"
[ -z "$(ls -A "$work/out")" ] || fail "truncated input left $(ls -A "$work/out")"

[ "$failures" -eq 0 ] && echo "PASS: mapped input (3 cases)"
exit $((failures != 0))
