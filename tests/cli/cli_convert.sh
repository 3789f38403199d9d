#!/bin/sh
# The hintstub command: exit statuses, nothing written when a call has an
# error, --skip-bad-calls, reports, dry runs, layouts.
set -u
srcdir=${srcdir:-.}
HS=${HINTSTUB:-./hintstub}
DATA=$srcdir/tests/data
tmp=$(mktemp -d "${TMPDIR:-/tmp}/hintstub-cli.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
first_line() { $HS inspect "$1" | head -n 1; }

$HS "$DATA/ophint_lstm.pb" "$tmp/out.pb" || fail "converting the LSTM fixture"
first_line "$tmp/out.pb" | grep -q ': 162 nodes,' || fail "dense layout: expected 162 nodes"
$HS --input-layout present "$DATA/ophint_lstm.pb" "$tmp/present.pb" || fail "present layout"
first_line "$tmp/present.pb" | grep -q ': 160 nodes,' || fail "present layout: expected 160 nodes"

# Every conversion option is taken as itself (not as another option).
$HS --tf-exact --strip-hints --keep-pack-unpack --interior-escape warn --side-input ignore \
	-r "$tmp/opts.json" "$DATA/ophint_lstm.pb" "$tmp/opts.pb" || fail "all options"
$HS inspect "$tmp/opts.pb" | grep -q "0 OpHint call(s)" || fail "--strip-hints left hints"
$HS inspect "$tmp/opts.pb" | grep -q "^  Pack  *2$" || fail "--keep-pack-unpack: expected both hint Packs"

# Converting the result again changes nothing.
$HS "$tmp/out.pb" "$tmp/again.pb" 2>/dev/null || fail "reconverting"
cmp -s "$tmp/out.pb" "$tmp/again.pb" || fail "reconverting changed the graph"

# Dry run with a report on stdout: nothing written.
$HS --dry-run --report - "$DATA/ophint_lstm.pb" "$tmp/dry.pb" > "$tmp/report.json" ||
	fail "dry run"
test ! -e "$tmp/dry.pb" || fail "dry run wrote OUT"
grep -q '"dry_run":true' "$tmp/report.json" || fail "report: dry_run"
grep -q '"converted":2' "$tmp/report.json" || fail "report: converted"

# A call with a sort-index gap: exit 1, OUT not written, error on stderr.
$HS "$DATA/ophint_bad_calls.pb" "$tmp/bad.pb" 2> "$tmp/err"
test $? -eq 1 || fail "a bad call must fail the run"
test ! -e "$tmp/bad.pb" || fail "OUT written despite an error"
grep -q "^hintstub: .*ophint_bad_calls.pb: error: .*sort index 1 is missing" "$tmp/err" ||
	fail "no sort-gap error on stderr"
grep -q "^hintstub: .*ophint_bad_calls.pb: warning: .*without an input hint" "$tmp/err" ||
	fail "no side-input warning on stderr"

# --skip-bad-calls converts the good call; --side-input error refuses it.
$HS --skip-bad-calls -r "$tmp/r.json" "$DATA/ophint_bad_calls.pb" "$tmp/skip.pb" 2>/dev/null ||
	fail "--skip-bad-calls"
grep -q '"converted":1' "$tmp/r.json" || fail "--skip-bad-calls converts one call"
$HS --side-input error "$DATA/ophint_bad_calls.pb" "$tmp/strict.pb" 2>/dev/null
test $? -eq 1 || fail "--side-input error must fail"

# Usage errors.
$HS --input-layout sideways a b 2>/dev/null
test $? -eq 2 || fail "bad --input-layout value is a usage error"
$HS only-one 2>/dev/null
test $? -eq 2 || fail "missing OUT is a usage error"
exit 0
