#!/bin/sh
# Injection (issue 13): node names, uuids, function names, op names, rule
# file text and option values holding a newline, "hintstub: forged", ESC
# sequences, a C1 CSI (U+009B) and bytes that are not UTF-8 go through
# every output -- the conversion's errors and warnings, --report, inspect
# (text and JSON), explain, --list-plugins, rule-file errors -- and come
# out escaped (hs_escape: \n, \xHH): no output holds a raw control byte or
# a line the input forged, text outputs are valid UTF-8, and every JSON
# output parses with python3's json.  Before, each of them printed the
# bytes raw (a forged 'hintstub: forged' line, ESC reaching the terminal).
set -u
srcdir=${srcdir:-.}
HS=${HINTSTUB:-./hintstub}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/hintstub-injection.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
PY=${PYTHON:-python3}
command -v "$PY" > /dev/null 2>&1 || { echo "SKIP: no python3"; exit 77; }

cat > "$tmp/clean.py" <<'PYEOF'
import sys
data = open(sys.argv[1], "rb").read()
tab = sys.argv[2] == "1"
try:
    text = data.decode("utf-8")
except UnicodeDecodeError as e:
    sys.exit("not UTF-8: %s" % e)
for ch in text:
    o = ord(ch)
    if (o < 0x20 and ch != "\n" and not (tab and ch == "\t")) or 0x7f <= o <= 0x9f:
        sys.exit("raw control U+%04X" % o)
for line in text.split("\n"):
    if line.startswith("hintstub: forged"):
        sys.exit("forged line: %r" % line)
if len(sys.argv) > 3:
    import json
    json.loads(text)
PYEOF

# clean FILE WHAT: FILE is UTF-8 without C0 (but newline; tab when TAB=1),
# DEL or C1 controls, and no line of it is forged.
clean() {
	"$PY" "$tmp/clean.py" "$1" "${TAB:-0}" || fail "$2: $(head -c 600 "$1")"
}
# json_ok FILE WHAT: clean, and parses as JSON.
json_ok() {
	"$PY" "$tmp/clean.py" "$1" 0 json || fail "$2: $(head -c 600 "$1")"
}

F='\nhintstub: forged\033[31m\377\302\233'
U='u\n\033[31m\377\302\233'
hint() { # NAME INPUT INDEX-ATTR
	printf 'node { name: "%s" op: "Identity" input: "%s"\n' "$1" "$2"
	printf '  attr { key: "T" value { type: DT_FLOAT } }\n'
	printf '  attr { key: "_tflite_function_name" value { s: "Fn%s" } }\n' "$F"
	printf '  attr { key: "_tflite_function_uuid" value { s: "%s" } }\n' "$U"
	[ -n "$3" ] && printf '  attr { key: "%s" value { i: 0 } }\n' "$3"
	printf '}\n'
}
{
	printf 'node { name: "x%s" op: "Placeholder" attr { key: "dtype" value { type: DT_FLOAT } } }\n' "$F"
	hint "in$F" "x$F" _tflite_function_input_index
	hint "stray$F" "x$F" ""
	printf 'node { name: "mid%s" op: "Tanh%s" input: "in%s" attr { key: "T" value { type: DT_FLOAT } } }\n' \
		"$F" "$F" "$F"
	hint "out$F" "mid$F" _tflite_function_output_index
	printf 'node { name: "y%s" op: "Identity" input: "out%s" attr { key: "T" value { type: DT_FLOAT } } }\n' \
		"$F" "$F"
} > "$tmp/a.pbtxt"
# A call whose uuid cannot name a stub (':' in it): errors, not warnings.
sed 's/"u\\n/"u:\\n/' "$tmp/a.pbtxt" > "$tmp/bad.pbtxt"
# An input naming no node, in a forged name.
printf 'node { name: "a%s" op: "Neg" input: "ghost%s" }\n' "$F" "$F" > "$tmp/dangling.pbtxt"

# The conversion: a warning (no-index) on stderr, the report, the graph.
$HS --no-plugins -r "$tmp/report.json" "$tmp/a.pbtxt" "$tmp/out.pb" 2> "$tmp/convert.err" ||
	fail "converting the forged graph: $(cat "$tmp/convert.err")"
grep -q 'warning: .*stray\\nhintstub: forged\\x1b\[31m\\xff\\xc2\\x9b' "$tmp/convert.err" ||
	fail "the warning does not quote the name escaped: $(cat "$tmp/convert.err")"
clean "$tmp/convert.err" "conversion stderr"
json_ok "$tmp/report.json" "--report"
$HS --no-plugins --dry-run -r - "$tmp/a.pbtxt" - > "$tmp/dry.json" 2> "$tmp/dry.err" ||
	fail "--dry-run -r -"
json_ok "$tmp/dry.json" "--dry-run --report -"
clean "$tmp/dry.err" "--dry-run stderr"

# Errors of the call, of the graph.
$HS --no-plugins -r "$tmp/bad.json" "$tmp/bad.pbtxt" "$tmp/bad.pb" 2> "$tmp/bad.err"
[ $? -eq 1 ] || fail "bad uuid: expected status 1"
grep -q 'error: call u:\\n\\x1b\[31m\\xff\\xc2\\x9b' "$tmp/bad.err" ||
	fail "bad uuid: $(cat "$tmp/bad.err")"
clean "$tmp/bad.err" "errors of a call"
json_ok "$tmp/bad.json" "--report of a failed run"
$HS --no-plugins "$tmp/dangling.pbtxt" "$tmp/d.pb" 2> "$tmp/dangling.err"
[ $? -eq 1 ] || fail "dangling input: expected status 1"
grep -q "input 0 'ghost\\\\nhintstub: forged" "$tmp/dangling.err" ||
	fail "dangling input: $(cat "$tmp/dangling.err")"
clean "$tmp/dangling.err" "graph error"

# inspect, inspect --json and explain, of the good and the bad graph.
for g in a bad; do
	$HS inspect --no-plugins "$tmp/$g.pbtxt" > "$tmp/$g.inspect" 2> "$tmp/$g.inspect.err"
	clean "$tmp/$g.inspect" "inspect of $g"
	clean "$tmp/$g.inspect.err" "inspect stderr of $g"
	$HS inspect --json --no-plugins "$tmp/$g.pbtxt" > "$tmp/$g.ijson" 2> "$tmp/$g.ijson.err"
	json_ok "$tmp/$g.ijson" "inspect --json of $g"
	$HS explain --no-plugins "$tmp/$g.pbtxt" > "$tmp/$g.explain" 2> "$tmp/$g.explain.err"
	clean "$tmp/$g.explain" "explain of $g"
	clean "$tmp/$g.explain.err" "explain stderr of $g"
done
grep -q '^  Tanh\\nhintstub: forged\\x1b\[31m\\xff\\xc2\\x9b ' "$tmp/a.inspect" ||
	fail "inspect does not list the op escaped: $(cat "$tmp/a.inspect")"
grep -q '^call Fn\\nhintstub: forged\\x1b\[31m\\xff\\xc2\\x9b u\\n' "$tmp/a.explain" ||
	fail "explain does not name the call escaped: $(cat "$tmp/a.explain")"

# A uuid starting with NUL: shown as \x00, not cut at the NUL.
sed 's/"u\\n\\033\[31m\\377\\302\\233"/"\\000abc"/' "$tmp/a.pbtxt" > "$tmp/nul.pbtxt"
$HS explain --no-plugins "$tmp/nul.pbtxt" > "$tmp/nul.explain" 2> /dev/null
grep -q '^call Fn\\nhintstub: forged\\x1b\[31m\\xff\\xc2\\x9b \\x00abc (1 inputs, 1 outputs)$' \
	"$tmp/nul.explain" || fail "explain of a NUL uuid: $(cat "$tmp/nul.explain")"
clean "$tmp/nul.explain" "explain of a NUL uuid"
$HS inspect --no-plugins "$tmp/nul.pbtxt" | grep -q 'uuid \\x00abc level' ||
	fail "inspect of a NUL uuid"

# --list-plugins with an option value holding ESC and a C1 CSI.
printf 'plugin conv\noption conv.function = "Cu\033[31m*\302\233"\n' > "$tmp/esc.rules"
$HS --list-plugins --plugin-path plugins/conv/.libs --rules "$tmp/esc.rules" > "$tmp/list" ||
	fail "--list-plugins"
grep -q 'option function = Cu\\x1b\[31m\*\\xc2\\x9b (set)' "$tmp/list" ||
	fail "--list-plugins: $(cat "$tmp/list")"
TAB=1 clean "$tmp/list" "--list-plugins"

# A rule file including a file that is no rule file: a short excerpt of
# its first token, escaped, not its lines.
printf 'root:$6$saltsaltsalt$0123456789abcdefghijklmnopqrstuvwxyz\033[31m:19000:0:99999:7:::\nuser:x:1\n' \
	> "$tmp/shadow"
printf 'include "%s"\n' "$tmp/shadow" > "$tmp/inc.rules"
$HS inspect --rules "$tmp/inc.rules" "$tmp/a.pbtxt" > /dev/null 2> "$tmp/inc.err"
[ $? -eq 1 ] || fail "include of a non-rule file: expected status 1"
grep -qxF "hintstub: $tmp/shadow:1:1: unknown statement 'root:\$6\$saltsaltsalt\$0123456789a...'" \
	"$tmp/inc.err" || fail "include of a non-rule file: $(cat "$tmp/inc.err")"
clean "$tmp/inc.err" "rule-file error"
grep -q 'bcdefghij\|user:x' "$tmp/inc.err" && fail "more of the included file is quoted"

echo "injection: every output escaped"
exit 0
