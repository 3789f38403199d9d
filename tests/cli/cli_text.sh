#!/bin/sh
# Text-format GraphDef on the command line: TensorFlow's .pbtxt converts
# to the same bytes as its binary form, every command reads text, and the
# text written for every test graph parses with protobuf's own Python
# parser (Debian's python3-protobuf, graph.proto compiled by protoc) to
# the same message as the binary output; text Python writes reads here as
# the same message too.  The Python half is skipped when either is absent.
set -u
srcdir=${srcdir:-.}
HS=${HINTSTUB:-./hintstub}
DATA=$srcdir/tests/data
tmp=$(mktemp -d "${TMPDIR:-/tmp}/hintstub-text.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

# The fixture in both forms gives the same converted graph, byte for byte.
$HS "$DATA/ophint_lstm.pbtxt" "$tmp/a.pb" || fail "converting the text fixture"
$HS "$DATA/ophint_lstm.pb" "$tmp/b.pb" || fail "converting the binary fixture"
cmp -s "$tmp/a.pb" "$tmp/b.pb" || fail "text and binary fixtures convert differently"
$HS "$srcdir/examples/ophint_lstm.pbtxt" "$tmp/e.pb" || fail "examples/ophint_lstm.pbtxt"
cmp -s "$tmp/e.pb" "$tmp/b.pb" || fail "examples/ophint_lstm.pbtxt converts differently"

# Every command reads text, from a pipe too.
cat "$DATA/ophint_lstm.pbtxt" | $HS - "$tmp/pipe.pb" || fail "text on standard input"
cmp -s "$tmp/pipe.pb" "$tmp/b.pb" || fail "text on standard input converts differently"
$HS inspect "$DATA/ophint_lstm.pbtxt" | head -n 1 | grep -q ': 352 nodes,' ||
	fail "inspect of the text fixture"
$HS inspect --json "$DATA/ophint_lstm.pbtxt" > /dev/null || fail "inspect --json of text"
$HS explain "$DATA/ophint_lstm.pbtxt" > "$tmp/explain-t" || fail "explain of text"
$HS explain "$DATA/ophint_lstm.pb" > "$tmp/explain-b" || fail "explain of binary"
sed 's/ophint_lstm\.pbtxt/ophint_lstm.pb/g' "$tmp/explain-t" | cmp -s - "$tmp/explain-b" ||
	fail "explain differs between text and binary input"

# Output format: by flag, by OUT's name, and binary otherwise.
$HS "$DATA/ophint_lstm.pb" "$tmp/out.pbtxt" || fail "OUT.pbtxt"
head -n 1 "$tmp/out.pbtxt" | grep -qx 'node {' || fail "OUT.pbtxt is not text"
$HS --output-format text "$DATA/ophint_lstm.pb" "$tmp/flag.txt" || fail "--output-format text"
cmp -s "$tmp/out.pbtxt" "$tmp/flag.txt" || fail "--output-format text differs from .pbtxt"
$HS --output-format binary "$DATA/ophint_lstm.pb" "$tmp/bin.pbtxt" || fail "--output-format binary"
cmp -s "$tmp/bin.pbtxt" "$tmp/b.pb" || fail "--output-format binary wrote something else"
$HS --output-format text "$DATA/ophint_lstm.pb" - > "$tmp/stdout.txt" || fail "text to stdout"
cmp -s "$tmp/stdout.txt" "$tmp/out.pbtxt" || fail "text on stdout differs"
# The text written converts (again: nothing left to do) to the same graph.
$HS "$tmp/out.pbtxt" "$tmp/again.pb" 2>/dev/null || fail "reading written text"
cmp -s "$tmp/again.pb" "$tmp/b.pb" || fail "written text reads as another graph"

# Usage and bad text: FILE:LINE:COL, status 1 or 2, nothing written.
$HS --output-format yaml "$DATA/ophint_lstm.pb" "$tmp/x.pb" 2>/dev/null
[ $? -eq 2 ] || fail "--output-format yaml: expected status 2"
printf 'node {\n  name: "a"\n  op: "Const"\n  colour: "red"\n}\n' > "$tmp/bad.pbtxt"
$HS "$tmp/bad.pbtxt" "$tmp/bad-out.pb" 2> "$tmp/err"
[ $? -eq 1 ] || fail "bad text: expected status 1"
grep -qx "hintstub: $tmp/bad.pbtxt:4:3: message tensorflow.NodeDef has no field named 'colour'" \
	"$tmp/err" || fail "bad text: message was: $(cat "$tmp/err")"
[ ! -e "$tmp/bad-out.pb" ] || fail "bad text: OUT written"

# Debian's python3-protobuf is for the system's python3, which a python3
# first on PATH (pyenv, a venv) may not be.
PY=
for p in ${PYTHON:-} python3 /usr/bin/python3; do
	"$p" -c 'import google.protobuf.text_format' 2>/dev/null && { PY=$p; break; }
done
[ -n "$PY" ] || { echo "SKIP: no python3 with python3-protobuf"; exit 77; }
command -v protoc >/dev/null 2>&1 || { echo "SKIP: no protoc (protobuf-compiler)"; exit 77; }
protoc --python_out="$tmp" -I"$srcdir/core/graph" "$srcdir/core/graph/graph.proto" ||
	fail "protoc --python_out"

# Every test graph that converts: text output against binary output.
GEN=${HINTSTUB_GEN:-./hintstub-gen}
$GEN lstm -q --peephole --proj -o "$tmp/gen-lstm.pb" || fail "hintstub-gen lstm"
$GEN rnn -q --steps 4 -o "$tmp/gen-rnn.pb" || fail "hintstub-gen rnn"
$GEN mixed -q --calls 3 --nodes 200 -o "$tmp/gen-mixed.pb" || fail "hintstub-gen mixed"
n=0
for g in "$DATA"/*.pb "$DATA"/bad/*.pb "$srcdir"/examples/*.pb "$srcdir"/examples/*/*.pb \
	"$DATA/ophint_lstm.pbtxt" "$tmp"/gen-*.pb; do
	b=$(basename "$g")
	$HS -k --allow-empty "$g" "$tmp/$b.out.pb" 2>/dev/null || continue
	$HS -k --allow-empty --output-format text "$g" "$tmp/$b.out.txt" 2>/dev/null ||
		fail "$b: converts to binary but not to text"
	echo "$tmp/$b.out.pb $tmp/$b.out.txt" >> "$tmp/pairs"
	n=$((n + 1))
done
[ "$n" -ge 5 ] || fail "only $n test graphs converted"
"$PY" - "$tmp" <<'PYEOF' || fail "protobuf's parser disagrees (above)"
import sys
sys.path.insert(0, sys.argv[1])
from google.protobuf import text_format
import graph_pb2
bad = 0
for line in open(sys.argv[1] + "/pairs"):
    binary, text = line.split()
    want = graph_pb2.GraphDef.FromString(open(binary, "rb").read())
    got = text_format.Parse(open(text).read(), graph_pb2.GraphDef())
    if got != want:
        print("FAIL: %s parses to another message than %s" % (text, binary))
        bad += 1
# Text Python writes (its own float and escape spelling) reads here too.
fixture = graph_pb2.GraphDef.FromString(open(binary, "rb").read())
with open(sys.argv[1] + "/python.pbtxt", "w") as f:
    f.write(text_format.MessageToString(fixture))
sys.exit(1 if bad else 0)
PYEOF
$HS -k --allow-empty --output-format binary "$tmp/python.pbtxt" "$tmp/python.pb" 2>/dev/null ||
	fail "text written by protobuf's Python printer does not read"
"$PY" - "$tmp" <<'PYEOF' || fail "text written by Python reads as another message"
import sys
sys.path.insert(0, sys.argv[1])
from google.protobuf import text_format
import graph_pb2
want = text_format.Parse(open(sys.argv[1] + "/python.pbtxt").read(), graph_pb2.GraphDef())
got = graph_pb2.GraphDef.FromString(open(sys.argv[1] + "/python.pb", "rb").read())
sys.exit(0 if got == want else 1)
PYEOF
echo "ok: $n graphs"
