#!/bin/sh
# Level 2 through the command line: hintstub-gen dynamic graphs of every
# shape of issue 9 (LSTM and RNN, 1..4 layers, While and StatelessWhile,
# bidirectional, a head whose names clash with the loop body's) convert to
# exactly L (2L) chained stubs, nothing of the loop left, every user node
# kept (tests/cli/level2_check.py); --plugins lstm,rnn gives the plugins'
# stubs; inspect, explain and the report show the children; a level-2
# call with a problem is left as it is and the rest converts under
# --skip-bad-calls; --prune-library drops the loop bodies; a second run
# finds everything converted.
set -u
srcdir=${srcdir:-.}
HS=${HINTSTUB:-./hintstub}
GEN=${HINTSTUB_GEN:-./hintstub-gen}
PY=${PYTHON:-python3}
CHECK="$srcdir/tests/cli/level2_check.py"
command -v "$PY" >/dev/null 2>&1 || { echo "SKIP: no $PY"; exit 77; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/hintstub-level2.XXXXXX") || exit 99
trap '[ -n "${KEEP:-}" ] || rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
PP="--plugin-path plugins/lstm/.libs --plugin-path plugins/rnn/.libs --plugins lstm,rnn"
printf 'unclaimed keep\n' > "$tmp/keep.rules"

n=0
for cell in lstm rnn; do
	if [ $cell = lstm ]; then op=UnidirectionalSequenceLstm port=2; else op=UnidirectionalSequenceRnn port=1; fi
	for layers in 1 2 3 4; do
		for shape in "" "--stateless" "--bidirectional --head" "--stateless --bidirectional" "--head"; do
			g="$tmp/g$n"
			n=$((n + 1))
			$GEN dynamic --cell $cell --layers $layers $shape -q -o "$g.pb" ||
				fail "hintstub-gen dynamic --cell $cell --layers $layers $shape"
			want=$layers
			case "$shape" in *bidirectional*) want=$((2 * layers)) ;; esac
			# The input as text, unchanged (every call kept by rule).
			$HS --rules "$tmp/keep.rules" "$g.pb" "$g.in.pbtxt" 2>/dev/null ||
				fail "$cell $layers $shape: text dump"
			$HS "$g.pb" "$g.out.pbtxt" || fail "$cell $layers $shape: conversion"
			"$PY" "$CHECK" "$g.in.pbtxt" "$g.out.pbtxt" $want $op $port ||
				fail "$cell $layers $shape: generic stubs"
			$HS $PP "$g.pb" "$g.plug.pbtxt" 2>"$g.err" || fail "$cell $layers $shape: --plugins"
			"$PY" "$CHECK" "$g.in.pbtxt" "$g.plug.pbtxt" $want $op $port ||
				fail "$cell $layers $shape: plugin stubs"
			[ "$(grep -c 'key: "fused_activation_function"' "$g.plug.pbtxt")" -ge $want ] ||
				fail "$cell $layers $shape: the plugin did not finish the stubs"
			grep "plugin $cell converts" "$g.err" && fail "$cell $layers $shape: plugin said idle"
		done
	done
done
echo "ok: $n generator graphs convert to their chained stubs, generic and plugins'"

# Where TensorFlow is right the result is its: the stubs of a dynamic_rnn
# stack are those of the same static_rnn stack (ops, inputs, attributes,
# chaining), which hintstub matches to TensorFlow already.
for cell in lstm rnn; do
	for opts in "" "--peephole"; do
		[ $cell = rnn ] && [ -n "$opts" ] && continue
		$GEN $cell --layers 3 --steps 3 $opts -q -o "$tmp/static.pb" &&
		$GEN dynamic --cell $cell --layers 3 $opts -q -o "$tmp/dynamic.pb" || fail "hintstub-gen"
		$HS "$tmp/static.pb" "$tmp/static.pbtxt" && $HS "$tmp/dynamic.pb" "$tmp/dynamic.pbtxt" ||
			fail "$cell $opts: conversion"
		"$PY" "$CHECK" --same-as-static "$tmp/static.pbtxt" "$tmp/dynamic.pbtxt" ||
			fail "$cell $opts: dynamic stubs differ from static ones"
	done
done
echo "ok: dynamic_rnn stubs are the static_rnn ones"

# inspect, explain and the report show the children.
g="$tmp/g5"
$HS inspect $PP "$g.pb" > "$tmp/inspect" 2>/dev/null || fail "inspect"
grep -q 'child 1 (layer 2 of 2): UnidirectionalSequenceLstm uuid .*: lstm stub' "$tmp/inspect" ||
	fail "inspect does not show the children: $(cat "$tmp/inspect")"
$HS explain $PP "$g.pb" > "$tmp/explain" 2>/dev/null || fail "explain"
grep -q '^  child 0 (layer 1 of 2) UnidirectionalSequenceLstm' "$tmp/explain" &&
	grep -q '^    lstm: claims it' "$tmp/explain" || fail "explain: $(cat "$tmp/explain")"
$HS explain --plugin-path plugins/rnn/.libs --plugins rnn "$g.pb" > "$tmp/explain2" 2>/dev/null
grep -q '^    rnn: no: ' "$tmp/explain2" || fail "explain says why rnn declines: $(cat "$tmp/explain2")"
$HS -n -r "$tmp/report.json" $PP "$g.pb" - >/dev/null 2>&1 || fail "report"
"$PY" - "$tmp/report.json" <<'PYEOF' || fail "report children"
import json, sys
d = json.load(open(sys.argv[1]))
c = d["calls"][0]
assert c["result"] == "converted" and c["plugin"] == "lstm", c
assert [k["layer"] for k in c["children"]] == [0, 1], c
assert all(k["plugin"] == "lstm" and k["result"] == "converted" for k in c["children"]), c
PYEOF
echo "ok: inspect, explain and the report show the children"

# A second run: everything converted already, nothing changes.
$HS "$tmp/g6.out.pbtxt" "$tmp/again.pbtxt" 2>/dev/null || fail "second run"
cmp -s "$tmp/g6.out.pbtxt" "$tmp/again.pbtxt" || fail "a second run changed the graph"
# --prune-library: the loop bodies go; without it the library stays.
grep -q 'signature' "$tmp/g6.out.pbtxt" || fail "the library is gone without --prune-library"
$HS --prune-library "$tmp/g6.pb" "$tmp/pruned.pbtxt" || fail "--prune-library"
grep -q 'signature' "$tmp/pruned.pbtxt" && fail "--prune-library left functions"
# --tf-exact: the copies keep the body's own names.
$HS --tf-exact "$tmp/g1.pb" "$tmp/exact.pbtxt" || fail "--tf-exact"
grep -q '^  name: "rnn/while/' "$tmp/g1.out.pbtxt" || fail "copies are not under the loop's name"
grep -q '^  name: "rnn/while/' "$tmp/exact.pbtxt" && fail "--tf-exact copies are under the loop's name"
echo "ok: second run, --prune-library, --tf-exact"

# A call with a problem stays; the rest converts with --skip-bad-calls.
bad="$tmp/bad.pbtxt"
body=$(sed -n 's/^        name: "\(.*_while_body_[0-9]*\)"$/\1/p' "$tmp/g2.in.pbtxt" | head -1)
[ -n "$body" ] || fail "no loop body in the graph"
# Only the While's attribute (8 blanks deep), not the function's signature.
sed "0,/^        name: \"$body\"\$/s//        name: \"no_such_body\"/" "$tmp/g2.in.pbtxt" > "$bad"
grep -q no_such_body "$bad" || fail "could not spoil the graph"
$HS "$bad" "$tmp/bad.out.pbtxt" 2>"$tmp/bad.err" && fail "a missing body converted"
grep -q 'body-missing' "$tmp/bad.err" || fail "no body-missing problem: $(cat "$tmp/bad.err")"
[ -e "$tmp/bad.out.pbtxt" ] && fail "OUT written despite the error"
$HS -k "$bad" "$tmp/bad.out.pbtxt" 2>/dev/null || fail "--skip-bad-calls"
[ "$(grep -c '^  op: "While"' "$tmp/bad.out.pbtxt")" = 1 ] || fail "the bad call's loop is not left as it was"
[ "$(grep -c '^  op: "UnidirectionalSequenceLstm"' "$tmp/bad.out.pbtxt")" = 1 ] ||
	fail "the good call did not convert"
echo "ok: a bad level-2 call is left as it is, the other converts"

# A plugin that converts nothing is told the children's functions too.
$GEN dynamic --cell lstm --layers 2 > "$tmp/idle.pb" 2>/dev/null || fail "generator"
$HS $PP "$tmp/idle.pb" "$tmp/idle.out.pb" 2>"$tmp/idle.err" || fail "idle conversion: $(cat "$tmp/idle.err")"
grep -q "plugin rnn converts no call: .*the graph's functions: 'TfLiteDynamicRnn', 'UnidirectionalSequenceLstm'$" "$tmp/idle.err" ||
	fail "idle plugin warning: $(cat "$tmp/idle.err")"
echo "ok: an idle plugin's warning names the children's functions"
