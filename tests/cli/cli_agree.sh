#!/bin/sh
# inspect, explain, the --report of a dry run and of the conversion, and
# the converted graph itself agree on every call of every test graph,
# under several option sets.  This script runs the command; the helper
# cli_agree.py compares call by call (by uuid) and names every mismatch.
# A self-check spoils one output of each kind and must see it caught.
set -u
srcdir=${srcdir:-.}
# HINTSTUB may be a command with arguments (e.g. under valgrind), used unquoted.
HS=${HINTSTUB:-./hintstub}
GEN=${HINTSTUB_GEN:-./hintstub-gen}
PY=${PYTHON:-python3}
AGREE="$srcdir/tests/cli/cli_agree.py"
command -v "$PY" >/dev/null 2>&1 || { echo "SKIP: no $PY"; exit 77; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/hintstub-agree.XXXXXX") || exit 99
trap '[ -n "${KEEP:-}" ] || rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

PP="--plugin-path plugins/lstm/.libs --plugin-path plugins/rnn/.libs"
PP="$PP --plugin-path plugins/conv/.libs"
printf 'plugin rnn\nplugin conv\nunclaimed keep\n' > "$tmp/keep.rules"
printf 'plugin lstm\nplugin rnn\nplugin conv\noverlap error\n' > "$tmp/strict.rules"
# The test plugin `failing` claims Test* calls and fails to emit bad*.
printf 'plugin failing\nplugin conv\non-failure skip\nunclaimed error\n' \
	> "$tmp/failing.rules"
[ -f tests/host/plugins/.libs/failing.so ] || { echo "test plugins not built"; exit 99; }
# label|options (word-split; no path holds a blank)
OPTION_SETS="none|--no-plugins
plugins|$PP --plugins lstm,rnn,conv --rules $srcdir/rules/default.rules
present|$PP --rules $srcdir/rules/default.rules --input-layout present
escape-warn|--no-plugins --interior-escape warn --side-input error
exact|$PP --rules $srcdir/rules/default.rules --tf-exact --interior-escape ignore
keep|$PP --rules $tmp/keep.rules
strict|$PP --rules $tmp/strict.rules
failing|$PP --plugin-path tests/host/plugins/.libs --rules $tmp/failing.rules"

# Test-time graphs from the generator, small.
g="$tmp/graphs"
mkdir "$g" || exit 99
$GEN lstm --layers 2 --steps 3 -q -o "$g/gen-lstm.pb" &&
$GEN lstm --layers 1 --steps 2 --peephole --proj -q -o "$g/gen-lstm-peep.pb" &&
$GEN rnn --layers 2 --steps 3 -q -o "$g/gen-rnn.pb" &&
$GEN conv --calls 4 -q -o "$g/gen-conv.pb" &&
$GEN conv --calls 2 --function MyConv -q -o "$g/gen-conv-unclaimed.pb" &&
$GEN mixed --calls 3 --nodes 120 --seed 7 -q -o "$g/gen-mixed.pb" &&
$GEN dynamic --cell lstm --layers 2 -q -o "$g/gen-dynamic-lstm.pb" &&
$GEN dynamic --cell rnn --layers 3 --stateless --bidirectional --head -q \
	-o "$g/gen-dynamic-rnn-bidi.pb" ||
	fail "hintstub-gen"
# Escape, overlap, cycle, level 2, plugin failures.
"$PY" "$AGREE" graphs "$g" || fail "scenario graphs"

GRAPHS="$srcdir/tests/data/*.pb $srcdir/tests/data/bad/*.pb $srcdir/tests/data/fuzz-regressions/*.pb
	$srcdir/examples/*.pb
	$srcdir/examples/mycell/mycell.pb $g/*.pb"

# run_case DIR LABEL GRAPH OPTIONS...: every view of one graph.
run_case() {
	cd_=$1 cl_=$2 cg_=$3
	shift 3
	mkdir "$cd_" || exit 99
	echo "$cl_" > "$cd_/label"
	{
		$HS inspect --json "$@" "$cg_" > "$cd_/inspect.json" 2>"$cd_/inspect.err"
		echo "inspect $?"
		$HS explain "$@" "$cg_" > "$cd_/explain.txt" 2>"$cd_/explain.err"
		echo "explain $?"
		$HS -k -n -r "$cd_/dry.json" "$@" "$cg_" "$cd_/none.pb" 2>"$cd_/dry.err"
		echo "dry $?"
		$HS -k -r "$cd_/report.json" "$@" "$cg_" "$cd_/out.pb" 2>"$cd_/convert.err"
		echo "convert $?"
		if [ -f "$cd_/out.pb" ]; then
			$HS inspect --json "$@" "$cd_/out.pb" > "$cd_/out.json" 2>"$cd_/out.err"
			echo "reinspect $?"
		fi
	} > "$cd_/status"
}

loaded=0
for graph in $GRAPHS; do
	# Graphs that do not load are cli_badinput.sh's business.
	$HS inspect --no-plugins --json "$graph" > "$tmp/loads.json" 2>/dev/null || continue
	# Without calls only the plugins matter: the first two option sets.
	sets=100
	grep -q '"calls":\[\]' "$tmp/loads.json" && sets=2
	loaded=$((loaded + 1))
	name=$loaded-$(basename "$graph" .pb)
	shown=${graph#"$srcdir"/}
	shown=${shown#"$tmp"/}
	echo "$OPTION_SETS" | {
		k=0
		while IFS='|' read -r set opts && [ "$k" -lt "$sets" ]; do
			k=$((k + 1))
			# shellcheck disable=SC2086
			run_case "$tmp/case-$name-$k" "$shown [$set: $opts]" "$graph" $opts
			# The converted graph goes round again: already-converted calls.
			if [ "$set" = plugins ] && [ -f "$tmp/case-$name-$k/out.pb" ]; then
				cp "$tmp/case-$name-$k/out.pb" "$tmp/conv-$name.pb"
				# shellcheck disable=SC2086
				run_case "$tmp/case-$name-$k-again" "$shown converted [$set: $opts]" \
					"$tmp/conv-$name.pb" $opts
			fi
		done
	}
done
[ "$loaded" -ge 20 ] || fail "only $loaded graphs loaded"

"$PY" "$AGREE" compare "$tmp"/case-* > "$tmp/compare.out"
rc=$?
cat "$tmp/compare.out"
[ "$rc" -eq 0 ] || fail "inspect, explain, --report and the conversion disagree"
set -- "$tmp"/case-*
n=$#
# Failing alike is agreeing, but not testing: every option set must have
# converted graphs (a wrong plugin path would fail each of its runs).
for set in $(echo "$OPTION_SETS" | cut -d'|' -f1); do
	ok=0
	for label in $(grep -l "\[$set:" "$tmp"/case-*/label); do
		grep -q '^convert 0$' "$(dirname "$label")/status" && ok=$((ok + 1))
	done
	[ "$ok" -ge 10 ] || fail "option set $set: only $ok runs converted"
done
converted=$(cat "$tmp"/case-*/report.json 2>/dev/null | grep -o '"result":"converted"' | wc -l)
[ "$converted" -ge 50 ] || fail "only $converted converted calls compared"

# Self-check: one spoilt fact of each kind is caught, naming its call.
selfcheck=0
model=$(grep -l "^tests/data/ophint_lstm.pb \\[plugins:" "$tmp"/case-*/label | head -n 1)
[ -n "$model" ] || fail "self-check: no case to spoil"
for what in inspect explain verdict dry report out; do
	spoilt="$tmp/spoilt-$what"
	cp -R "$(dirname "$model")" "$spoilt" || exit 99
	uuid=$("$PY" "$AGREE" tamper "$spoilt" "$what") || fail "tamper $what"
	if "$PY" "$AGREE" compare "$spoilt" > "$tmp/spoilt.out"; then
		fail "self-check: a spoilt $what went unnoticed"
	fi
	grep -q "^MISMATCH .*uuid $uuid: " "$tmp/spoilt.out" ||
		fail "self-check: the spoilt $what is not named by its uuid $uuid"
	selfcheck=$((selfcheck + 1))
done
echo "cli_agree: $loaded graphs, $converted converted calls; $((n + selfcheck)) passed, 0 failed"
