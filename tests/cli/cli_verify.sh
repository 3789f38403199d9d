#!/bin/sh
# hintstub run / verify / IN OUT --verify (issue 10): conversions of the real
# TensorFlow fixture and of every generator shape agree with the original;
# a conversion that computes something else (two LSTM weights swapped, a
# wrong bias, the forget bias the fused op drops) fails, naming the output
# and the element; `hintstub run` gives NumPy's numbers (python3-numpy;
# skipped without it); statuses 0/1/2/3.
set -u
srcdir=${srcdir:-.}
HS=${HINTSTUB:-./hintstub}
GEN=${HINTSTUB_GEN:-./hintstub-gen}
DATA=$srcdir/tests/data
P="--plugin-path plugins/lstm/.libs --plugin-path plugins/rnn/.libs
   --plugin-path plugins/conv/.libs --rules $srcdir/rules/default.rules"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/hintstub-verify.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

# verify ORIG CONV [ARGS...]: must agree; prints the worst error.
agrees() {
	a=$1 b=$2
	shift 2
	# shellcheck disable=SC2086
	$HS verify $P "$@" "$a" "$b" > "$tmp/v.out" 2> "$tmp/v.err" ||
		{ cat "$tmp/v.out" "$tmp/v.err"; fail "verify $a $b $*: exit $?"; }
	grep -q '^verify: PASS' "$tmp/v.out" || fail "verify $a $b: no PASS line"
	echo "agree: $(basename "$b") $*: $(grep -v '^verify' "$tmp/v.out" | sed 's/  worst.*//' | tr '\n' ';')"
}

# disagrees ORIG CONV OUTPUT [ARGS...]: exit 1 naming OUTPUT and an element.
disagrees() {
	a=$1 b=$2 out=$3
	shift 3
	# shellcheck disable=SC2086
	$HS verify $P "$@" "$a" "$b" > "$tmp/v.out" 2> "$tmp/v.err"
	rc=$?
	[ $rc -eq 1 ] || { cat "$tmp/v.out" "$tmp/v.err"; fail "verify $b: exit $rc, not 1"; }
	grep -q "^hintstub: verify: output $out differs at element \[[0-9,]*\]" "$tmp/v.err" ||
		{ cat "$tmp/v.err"; fail "verify $b: the output and element are not named"; }
	grep -q "^$out .*DISAGREE\$" "$tmp/v.out" || fail "verify $b: no DISAGREE row"
	echo "disagree: $(basename "$b"): $(cat "$tmp/v.err")"
}

# --- the real fixture, generic stub and the lstm/rnn plugins --------------
FIX=$DATA/ophint_lstm.pb
$HS --no-plugins "$FIX" "$tmp/fix-generic.pb" || fail "generic conversion"
# shellcheck disable=SC2086
$HS $P --plugins lstm,rnn "$FIX" "$tmp/fix-lstm.pb" 2> /dev/null || fail "lstm conversion"
agrees "$FIX" "$tmp/fix-generic.pb"
agrees "$FIX" "$tmp/fix-lstm.pb" --plugins lstm,rnn
agrees "$FIX" "$tmp/fix-lstm.pb" --samples 3 --input INPUT=4,3,3 --plugins lstm
$HS verify --json "$FIX" "$tmp/fix-generic.pb" | grep -q '"agree": true' || fail "verify --json"

# --- generator shapes, converted generic and by their plugin --------------
for shape in "lstm" "lstm --peephole" "lstm --proj" "lstm --peephole --proj=3" \
	     "lstm --cifg" "lstm --cifg --peephole --proj" \
	     "lstm --layers 3 --steps 4" "rnn" "rnn --layers 3" "conv --calls 3" \
	     "conv --calls 2 --channels 8"; do
	name=$(echo "$shape" | tr ' =' '__')
	# shellcheck disable=SC2086
	$GEN $shape -q -o "$tmp/$name.pb" || fail "hintstub-gen $shape"
	$HS --no-plugins "$tmp/$name.pb" "$tmp/$name-generic.pb" || fail "$shape: generic"
	# shellcheck disable=SC2086
	$HS $P "$tmp/$name.pb" "$tmp/$name-plugin.pb" 2> /dev/null || fail "$shape: plugins"
	case $shape in
	conv*)
		# the generic stub of a custom function has no semantics: only
		# the conv plugin's stub (and its evaluate) can be verified
		$HS verify $P "$tmp/$name.pb" "$tmp/$name-generic.pb" 2> "$tmp/err"
		[ $? -eq 3 ] || fail "$shape: the generic stub did not give 3"
		grep -q 'no kernel for op CustomConv2D' "$tmp/err" || fail "$shape: op not named"
		;;
	*) agrees "$tmp/$name.pb" "$tmp/$name-generic.pb" ;;
	esac
	agrees "$tmp/$name.pb" "$tmp/$name-plugin.pb" --samples 2
done

# --- dynamic_rnn: the original While loop against the chained stubs -------
for shape in "dynamic --cell lstm --layers 2" "dynamic --cell lstm --layers 3 --stateless --peephole" \
	     "dynamic --cell rnn --layers 2" "dynamic --cell lstm --layers 2 --bidirectional --head" \
	     "dynamic --cell rnn --layers 4 --bidirectional --stateless"; do
	name=$(echo "$shape" | tr ' =' '__')
	# shellcheck disable=SC2086
	$GEN $shape -o "$tmp/$name.pb" 2> /dev/null || fail "hintstub-gen $shape"
	$HS --no-plugins "$tmp/$name.pb" "$tmp/$name-generic.pb" || fail "$shape: generic"
	# shellcheck disable=SC2086
	$HS $P "$tmp/$name.pb" "$tmp/$name-plugin.pb" 2> /dev/null || fail "$shape: plugins"
	agrees "$tmp/$name.pb" "$tmp/$name-generic.pb"
	agrees "$tmp/$name.pb" "$tmp/$name-plugin.pb" --samples 2
done

# --- conversions that compute something else -------------------------------
# The first stub's inputs as text lines: swap two, or put one in another's
# place (awk over the .pbtxt the converter writes).
stub_edit() { # IN OUT A B MODE(swap|copy)
	awk -v a="$3" -v b="$4" -v mode="$5" '
	/op: "UnidirectionalSequenceLstm"/ && !done { in_stub = 1; k = 0 }
	in_stub && /^  input: / { line[k++] = $0; if (k <= 20) next }
	in_stub && !/^  input: / && k {
		if (mode == "swap") { t = line[a]; line[a] = line[b]; line[b] = t }
		else line[a] = line[b]
		for (i = 0; i < k; i++) print line[i]
		in_stub = 0; done = 1; k = 0
	}
	{ print }' "$1" > "$2"
}
$HS --no-plugins "$tmp/lstm.pb" "$tmp/conv.pbtxt" || fail "text conversion"
agrees "$tmp/lstm.pb" "$tmp/conv.pbtxt"
stub_edit "$tmp/conv.pbtxt" "$tmp/swapped.pbtxt" 1 2 swap
cmp -s "$tmp/conv.pbtxt" "$tmp/swapped.pbtxt" && fail "the swap changed nothing"
disagrees "$tmp/lstm.pb" "$tmp/swapped.pbtxt" OUTPUT
stub_edit "$tmp/conv.pbtxt" "$tmp/bias.pbtxt" 12 14 copy
disagrees "$tmp/lstm.pb" "$tmp/bias.pbtxt" OUTPUT --samples 2

$GEN lstm --forget-bias-in-region 1.0 -q -o "$tmp/fb.pb" || fail "--forget-bias-in-region"
# shellcheck disable=SC2086
$HS $P --plugins lstm "$tmp/fb.pb" "$tmp/fb-lstm.pb" 2> /dev/null || fail "fb: lstm plugin"
disagrees "$tmp/fb.pb" "$tmp/fb-lstm.pb" OUTPUT --plugins lstm

# --- IN OUT --verify: written only when it agrees --------------------------
# shellcheck disable=SC2086
$HS $P --plugins lstm,rnn --verify "$FIX" "$tmp/v.pb" 2> "$tmp/err" ||
	{ cat "$tmp/err"; fail "--verify of the fixture"; }
cmp -s "$tmp/v.pb" "$tmp/fix-lstm.pb" || fail "--verify wrote something else"
echo previous > "$tmp/keep.pb"
# shellcheck disable=SC2086
$HS $P --plugins lstm --verify "$tmp/fb.pb" "$tmp/keep.pb" 2> "$tmp/err"
rc=$?
[ $rc -eq 1 ] || fail "--verify of the forget-bias graph: exit $rc, not 1"
grep -q 'output OUTPUT differs at element' "$tmp/err" || fail "--verify: output not named"
grep -q 'nothing written' "$tmp/err" || fail "--verify: no 'nothing written'"
[ "$(cat "$tmp/keep.pb")" = previous ] || fail "--verify replaced OUT on failure"
$HS --input INPUT=1,3,3 "$FIX" "$tmp/x.pb" 2> /dev/null && fail "--input without --verify"

# --- statuses: usage 2, cannot evaluate 3 ----------------------------------
cat > "$tmp/foo.pbtxt" <<'EOF'
node { name: "x" op: "Placeholder" attr { key: "dtype" value { type: DT_FLOAT } }
  attr { key: "shape" value { shape { dim { size: 2 } } } } }
node { name: "y" op: "Foo" input: "x" }
EOF
$HS verify "$tmp/foo.pbtxt" "$tmp/foo.pbtxt" 2> "$tmp/err"
rc=$?
[ $rc -eq 3 ] || fail "an op without a kernel: exit $rc, not 3"
grep -q "no kernel for op Foo (node 'y')" "$tmp/err" || { cat "$tmp/err"; fail "op/node not named"; }
$HS run "$tmp/foo.pbtxt" 2> /dev/null
[ $? -eq 3 ] || fail "run: an op without a kernel is not 3"
$HS verify "$FIX" 2> /dev/null
[ $? -eq 2 ] || fail "verify with one graph is not a usage error"
$HS verify --atol -1 "$FIX" "$FIX" 2> /dev/null
[ $? -eq 2 ] || fail "--atol -1 is not a usage error"
$HS verify --input NOPE=1 "$FIX" "$FIX" 2> /dev/null
[ $? -eq 2 ] || fail "--input of a missing tensor is not a usage error"
$HS verify --input INPUT=2,4,4 "$FIX" "$FIX" 2> "$tmp/err"
[ $? -eq 2 ] || fail "--input of the wrong shape is not a usage error"
grep -q "does not fit the Placeholder's shape \[?,3,3\]" "$tmp/err" || fail "shape message"
$HS verify "$FIX" "$tmp/missing.pb" 2> /dev/null
[ $? -eq 3 ] || fail "a missing graph is not 3"

# --- run, --save, and NumPy's numbers ---------------------------------------
$HS run --save "$tmp/out" --output OUTPUT:0 "$FIX" > "$tmp/run.out" || fail "run --save"
grep -q '^OUTPUT:0 float32 \[1,3\]  min ' "$tmp/run.out" || fail "run's summary"
[ -f "$tmp/out/OUTPUT%3A0.npy" ] || fail "--save did not write OUTPUT%3A0.npy"
PY=
for p in python3 /usr/bin/python3; do
	if $p -c 'import numpy' 2> /dev/null; then PY=$p; break; fi
done
if [ -z "$PY" ]; then
	echo "SKIP: hintstub run against NumPy (no python3 with numpy)"
else
	$PY -c "import numpy as np; np.save('$tmp/in.npy', np.random.RandomState(7).uniform(-2, 2, (5, 3, 3)).astype(np.float32))" ||
		fail "numpy could not write the input"
	$HS run --input "INPUT=$tmp/in.npy" --save "$tmp/np" "$FIX" > /dev/null || fail "run with a .npy input"
	$PY "$srcdir/tests/cli/numpy_eval.py" "$DATA/ophint_lstm.pbtxt" "INPUT=$tmp/in.npy" OUTPUT \
		"$tmp/np/OUTPUT.npy" || fail "hintstub run differs from NumPy"
fi
echo "PASS: cli_verify"
