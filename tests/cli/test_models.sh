#!/bin/sh
# hintstub test-models: examples/models.yaml passes; a model whose
# conversion computes something else, or converts fewer calls than
# fused_calls, fails its row and the run; manifest errors name
# FILE:LINE:COL; built without libyaml the command says what to install.
set -u
srcdir=${srcdir:-.}
HS=${HINTSTUB:-./hintstub}
GEN=${HINTSTUB_GEN:-./hintstub-gen}
P="--plugin-path plugins/lstm/.libs --plugin-path plugins/rnn/.libs
   --plugin-path plugins/conv/.libs --rules $srcdir/rules/default.rules"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/hintstub-models.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

if ! grep -q '^#define HAVE_YAML 1' config.h 2> /dev/null; then
	$HS test-models "$srcdir/examples/models.yaml" 2> "$tmp/err"
	[ $? -eq 2 ] || fail "without libyaml: not a usage error"
	grep -q 'libyaml-dev' "$tmp/err" || fail "without libyaml: no install hint"
	echo "SKIP: test-models (built without libyaml)"
	exit 77
fi

# shellcheck disable=SC2086
$HS test-models $P "$srcdir/examples/models.yaml" > "$tmp/out" 2> "$tmp/err" ||
	{ cat "$tmp/out" "$tmp/err"; fail "examples/models.yaml"; }
cat "$tmp/out"
grep -q '^test-models: [1-9][0-9]* passed, 0 failed' "$tmp/out" || fail "no total"
grep -q '^ophint-lstm-plugins  *352  *2  *2 .* PASS$' "$tmp/out" || fail "the plugins row"
# shellcheck disable=SC2086
$HS test-models $P --json --only ophint-lstm-generic "$srcdir/examples/models.yaml" \
	> "$tmp/json" 2> /dev/null || fail "--json --only"
grep -q '"model": "ophint-lstm-generic", "nodes": 352, "calls": 2, "converted": 2' "$tmp/json" ||
	fail "--json row"
[ "$(grep -c '"model"' "$tmp/json")" -eq 1 ] || fail "--only ran other models"
# shellcheck disable=SC2086
$HS test-models $P --only nope "$srcdir/examples/models.yaml" 2> /dev/null
[ $? -eq 2 ] || fail "--only of an unknown model is not a usage error"

# A lost forget bias and a call count that is not met fail.
$GEN lstm --forget-bias-in-region 1 -q -o "$tmp/fb.pb" || fail "hintstub-gen"
$GEN rnn -q -o "$tmp/rnn.pb" || fail "hintstub-gen rnn"
cat > "$tmp/m.yaml" <<'YAML'
forget-bias:
  model: fb.pb
  plugins: lstm
  inputs: {INPUT: [2, 3, 8]}
generic-ok:
  model: rnn.pb
  plugins: []
too-few:
  model: rnn.pb
  plugins: [rnn]
  fused_calls: 3
skipped:
  model: rnn.pb
  disabled: true
YAML
# shellcheck disable=SC2086
$HS test-models $P "$tmp/m.yaml" > "$tmp/out" 2> "$tmp/err"
rc=$?
cat "$tmp/out"
[ $rc -eq 1 ] || fail "failing models: exit $rc, not 1"
grep -q '^forget-bias .* FAIL (the converted graph computes something else)$' "$tmp/out" ||
	fail "forget-bias row"
grep -q 'verify: output OUTPUT differs at element \[' "$tmp/err" || fail "element not named"
grep -q '^generic-ok .* PASS$' "$tmp/out" || fail "generic-ok row"
grep -q '^too-few .* FAIL (2 call(s) converted, fused_calls wants 3)$' "$tmp/out" ||
	fail "too-few row"
grep -q '^skipped .* SKIP (disabled)$' "$tmp/out" || fail "skipped row"
grep -q '^test-models: 1 passed, 2 failed, 1 skipped$' "$tmp/out" || fail "total"

# Manifest errors: one line naming FILE:LINE:COL, exit 1.
printf 'm:\n  model: fb.pb\n  inputs:\n    INPUT: np.zeros([1, 3, 8])\n' > "$tmp/np.yaml"
$HS test-models "$tmp/np.yaml" 2> "$tmp/err"
[ $? -eq 1 ] || fail "a NumPy expression: not exit 1"
grep -q "np.yaml:4:12: inputs: INPUT: 'np.zeros(\[1, 3, 8\])' is a NumPy expression, which hintstub does not evaluate: write its shape as a list" "$tmp/err" ||
	{ cat "$tmp/err"; fail "the NumPy message"; }
printf 'm:\n  model: missing.pb\n' > "$tmp/missing.yaml"
$HS test-models "$tmp/missing.yaml" > "$tmp/out" 2> /dev/null
[ $? -eq 1 ] || fail "a missing model is not a failure"
grep -q '^m .* FAIL' "$tmp/out" || fail "missing model row"
$HS test-models 2> /dev/null
[ $? -eq 2 ] || fail "no manifest is not a usage error"
echo "PASS: test_models"
