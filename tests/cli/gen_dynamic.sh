#!/bin/sh
# hintstub-gen dynamic, every shape of issue 9 (LSTM and RNN, 1..4 layers,
# While and StatelessWhile, bidirectional, a head whose names clash with
# the body's): protobuf's own parser reads it, every input resolves (top
# level and FunctionDef syntax), loops and cell hints have the layouts of
# spec §2.6/§3.1-3.4 (tests/bench/gen_dynamic_check.py), the graph computes
# the LSTM/RNN stack of its weights (when numpy is there), and `hintstub
# inspect` discovers one level-2 TfLiteDynamicRnn call per loop -- with L
# children once the detector reads loop bodies.  Conversion is not checked
# here.
set -u
srcdir=${srcdir:-.}
HS=${HINTSTUB:-./hintstub}
GEN=${HINTSTUB_GEN:-./hintstub-gen}
CHECK="$srcdir/tests/bench/gen_dynamic_check.py"
PROTOC=${PROTOC:-protoc}

# Usage errors: exit 2, one line naming the option, nothing written.
for bad in "--cell gru|--cell" "--bidirectional --loops 2|--loops" "--layers 33|--layers" \
	"--cell rnn --peephole|--cell lstm" "--guide --head|--guide" "--batch 0|batch"; do
	args=${bad%%|*}
	want=${bad#*|}
	# shellcheck disable=SC2086
	err=$($GEN dynamic $args -o /dev/null 2>&1 >/dev/null)
	rc=$?
	[ "$rc" -eq 2 ] || { echo "FAIL: hintstub-gen dynamic $args: exit $rc, expected 2"; exit 1; }
	case $err in *"$want"*) ;; *) echo "FAIL: $args: '$err' does not name $want"; exit 1;; esac
done

PY=
for p in ${PYTHON:-} python3 /usr/bin/python3; do
	if "$p" -c 'import google.protobuf' >/dev/null 2>&1; then PY=$p; break; fi
done
[ -n "$PY" ] || { echo "SKIP: no python3 with google.protobuf (python3-protobuf)"; exit 77; }
command -v "$PROTOC" >/dev/null 2>&1 || { echo "SKIP: no protoc (protobuf-compiler)"; exit 77; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/hintstub-gendyn.XXXXXX") || exit 99
trap '[ -n "${KEEP:-}" ] || rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

mkdir "$tmp/pb" && "$PROTOC" -I "$srcdir/core/graph" --python_out="$tmp/pb" \
	"$srcdir/core/graph/graph.proto" || fail "protoc --python_out"
EVAL=--evaluate
"$PY" -c 'import numpy' >/dev/null 2>&1 || { EVAL=; echo "note: no numpy, numbers not checked"; }

# generator options|checker options (word-split; no blanks inside)
SHAPES=
for cell in lstm rnn; do
	for l in 1 2 3 4; do
		SHAPES="$SHAPES
--cell $cell --layers $l|--cell $cell --layers $l
--cell $cell --layers $l --stateless|--cell $cell --layers $l --stateless"
	done
done
SHAPES="$SHAPES
--cell lstm --layers 2 --bidirectional|--cell lstm --layers 2 --bidirectional
--cell rnn --layers 2 --bidirectional --stateless|--cell rnn --layers 2 --bidirectional --stateless
--cell lstm --layers 2 --head|--cell lstm --layers 2 --head
--cell rnn --layers 3 --bidirectional --head|--cell rnn --layers 3 --bidirectional --head
--cell lstm --layers 2 --peephole --proj=4 --batch 3 --steps 5 --depth 6|--cell lstm --layers 2 --peephole --proj=4
--cell lstm --layers 3 --peephole --stateless --bidirectional --head --units 5|--cell lstm --layers 3 --peephole --stateless --bidirectional --head
--cell rnn --layers 2 --loops 3 --head|--cell rnn --layers 2 --loops 3 --head
--guide --cell lstm --layers 2 --units 16 --steps 6 --batch 2 --depth 5|--cell lstm --layers 2 --guide"

n=0
echo "$SHAPES" | { while IFS='|' read -r gen_args check_args; do
	[ -n "$gen_args" ] || continue
	n=$((n + 1))
	f="$tmp/g$n.pb"
	# shellcheck disable=SC2086
	$GEN dynamic $gen_args -q -o "$f" || fail "hintstub-gen dynamic $gen_args"
	# shellcheck disable=SC2086
	"$PY" "$CHECK" "$tmp/pb" "$f" $check_args $EVAL || fail "gen_dynamic_check: $gen_args"
	$HS inspect --json "$f" > "$f.json" || fail "inspect: $gen_args"
	# shellcheck disable=SC2086
	"$PY" - "$f.json" $check_args <<'PYEOF' || fail "inspect discovery: $gen_args"
import json, sys
args = sys.argv[2:]
layers = int(args[args.index("--layers") + 1])
loops = 2 if "--bidirectional" in args else int(args[args.index("--loops") + 1]) if "--loops" in args else 1
calls = json.load(open(sys.argv[1]))["calls"]
parents = [c for c in calls if c["function"] == "TfLiteDynamicRnn" and c["level"] == 2]
ok = len(parents) == loops
for c in parents:
    kids = c.get("children")
    if kids is None or len(kids) != layers:
        print("call %s: %d children, expected %d" % (c["uuid"], len(kids or []), layers))
        ok = False
if len(parents) != loops:
    print("%d level-2 TfLiteDynamicRnn calls, expected %d" % (len(parents), loops))
sys.exit(0 if ok else 1)
PYEOF
done
echo "ok: $n dynamic_rnn shapes"
}
