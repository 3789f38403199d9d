#!/bin/sh
# Wrong results and exit codes (issue 13, item 9), each of which hintstub
# got wrong before: inputs read as TensorFlow reads them, garbage in the
# kept top-level fields refused, hints in the function library noted,
# call-made stub failures as errors, stubs told from look-alikes, float
# options range-checked.
set -u
srcdir=${srcdir:-.}
HS=${HINTSTUB:-./hintstub}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/hintstub-harden.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

# refused FILE MESSAGE [OPTIONS]: exit 1, exactly "hintstub: FILE: MESSAGE",
# nothing written.
refused() {
	f=$1 msg=$2
	shift 2
	$HS --no-plugins "$@" "$f" "$tmp/out.pb" 2> "$tmp/err"
	st=$?
	[ $st -eq 1 ] || fail "$f: status $st, expected 1 ($(cat "$tmp/err"))"
	[ "$(cat "$tmp/err")" = "hintstub: $f: $msg" ] ||
		fail "$f: stderr was '$(cat "$tmp/err")', expected 'hintstub: $f: $msg'"
	[ ! -e "$tmp/out.pb" ] || fail "$f: OUT written"
}

# Inputs: TensorFlow's ParseTensorName.  "a:-1" used to read as a:0.
for text in 'a:-1' 'a:0x1' 'a:+1' 'a: 1' 'a:1:2'; do
	printf 'node { name: "a" op: "Const" }\nnode { name: "b" op: "Neg" input: "%s" }\n' \
		"$text" > "$tmp/in.pbtxt"
	case $text in
	a:1:2) how="node 'a:1', port 2";;
	*) how="node '$text', port 0";;
	esac
	refused "$tmp/in.pbtxt" \
		"node 'b': input 0 '$text' names no node of the graph (TensorFlow reads it as $how)"
done
printf 'node { name: "a" op: "Const" }\nnode { name: "b" op: "Neg" input: "a:2147483648" }\n' \
	> "$tmp/port.pbtxt"
refused "$tmp/port.pbtxt" \
	"node 'b': input 0 'a:2147483648' is not of the form name, name:port or ^name (its port is larger than 2^31-1)"
printf 'node { name: "a" op: "Const" }\nnode { name: "b" op: "Neg" input: "a:2147483647" }\n' \
	> "$tmp/maxport.pbtxt"
$HS --no-plugins "$tmp/maxport.pbtxt" "$tmp/maxport.pb" || fail "port 2^31-1 refused"

# Kept top-level fields: garbage is refused, not copied into an output
# that no longer parses.  node "x" (Placeholder), then the field.
node='\012\020\012\001x\022\013Placeholder'
printf "$node"'\042\004\012\005ab' > "$tmp/versions.pb"
refused "$tmp/versions.pb" \
	"not a GraphDef: field 'versions': truncated field (length or varint runs past the end) at byte 20"
printf "$node"'\052\001\007' > "$tmp/debug.pb"
refused "$tmp/debug.pb" "not a GraphDef: field 'debug_info': invalid field number at byte 20"
# library { function { node_def { attr { key: "k" value: <truncated> } } } }
printf "$node"'\022\013\012\011\032\007\052\005\012\001k\022\000' > "$tmp/lib-ok.pb"
$HS --no-plugins "$tmp/lib-ok.pb" "$tmp/lib-ok.out.pb" || fail "a well-formed library refused"
cmp -s "$tmp/lib-ok.pb" "$tmp/lib-ok.out.pb" || fail "the library is not copied as it was"
printf "$node"'\022\015\012\013\032\011\052\007\012\001k\022\002\012\011' > "$tmp/lib.pb"
refused "$tmp/lib.pb" \
	"not a GraphDef: field 'library': truncated field (length or varint runs past the end) at byte 31"

# Hints inside the library that no level-2 call reaches: a note, exit 0.
# library { function { signature { name: "body" } node_def { name: "h"
#   op: "Identity" attr { key: "_tflite_function_uuid" value { s: "u" } } } } }
hintattr='\052\037\012\025_tflite_function_uuid\022\006\022\004uuid'
printf "$node"'\022\072\012\070\012\006\012\004body\032\056\012\001h\022\010Identity'"$hintattr" \
	> "$tmp/libhint.pb"
$HS --no-plugins "$tmp/libhint.pb" "$tmp/libhint.out.pb" 2> "$tmp/err" ||
	fail "library hints: $(cat "$tmp/err")"
grep -qxF "hintstub: $tmp/libhint.pb: note: function 'body' of the library holds 1 OpHint node(s): hints in a function are converted only inside the loop of a level-2 call, and no call of this graph is one, so they are left as they are [library-hints]" \
	"$tmp/err" || fail "library hints: stderr was '$(cat "$tmp/err")'"

# Generic stubs the call's own text cannot make: errors (exit 1), not
# warnings with exit 0.
call() { # FUNCTION UUID [NAME-OF-X]
	x=${3:-x}
	printf 'node { name: "%s" op: "Placeholder" attr { key: "dtype" value { type: DT_FLOAT } } }\n' "$x"
	for h in in:"$x":_tflite_function_input_index out:m:_tflite_function_output_index; do
		n=${h%%:*} rest=${h#*:}
		printf 'node { name: "%s" op: "Identity" input: "%s"\n' "$n" "${rest%%:*}"
		printf '  attr { key: "T" value { type: DT_FLOAT } }\n'
		printf '  attr { key: "_tflite_function_name" value { s: "%s" } }\n' "$1"
		printf '  attr { key: "_tflite_function_uuid" value { s: "%s" } }\n' "$2"
		printf '  attr { key: "%s" value { i: 0 } } }\n' "${rest#*:}"
		[ "$n" = in ] && printf 'node { name: "m" op: "Tanh" input: "in" }\n'
	done
	printf 'node { name: "y" op: "Identity" input: "out" }\n'
}
call "" u1 > "$tmp/nofn.pbtxt"
refused "$tmp/nofn.pbtxt" "error: call u1 (): the function name is empty, and no op can be [bad-function]
hintstub: $tmp/nofn.pbtxt: 1 call(s) with errors; nothing written (see --skip-bad-calls)"
$HS --no-plugins --skip-bad-calls "$tmp/nofn.pbtxt" "$tmp/nofn.pb" 2> /dev/null ||
	fail "--skip-bad-calls with an empty function name"

# A uuid that is also a node's name: the stub is x_1, and later runs see
# it converted (the _hintstub_call mark), however often.
call Fn x > "$tmp/x.pbtxt"
$HS --no-plugins "$tmp/x.pbtxt" "$tmp/x1.pb" || fail "uuid x"
$HS --no-plugins "$tmp/x1.pb" "$tmp/x2.pb" 2> /dev/null || fail "uuid x, again"
$HS --no-plugins "$tmp/x2.pb" "$tmp/x3.pb" 2> /dev/null || fail "uuid x, a third time"
cmp -s "$tmp/x1.pb" "$tmp/x2.pb" && cmp -s "$tmp/x2.pb" "$tmp/x3.pb" ||
	fail "converting again changed the graph"
$HS inspect "$tmp/x1.pb" | grep -q 'already converted' || fail "x_1 not seen as the stub"
# A node that only looks like TensorFlow's stub (named after the uuid, of
# the function's op, reading the input identity; no _tflite_input_indices)
# is the graph's own: the call is converted, not taken as done.
{ call Fn u; printf 'node { name: "u" op: "Fn" input: "in" }\n'; } > "$tmp/look.pbtxt"
$HS inspect --no-plugins "$tmp/look.pbtxt" | grep -q 'would convert' ||
	fail "a look-alike of the stub was taken for it: $($HS inspect --no-plugins "$tmp/look.pbtxt")"

# Float options: past FLT_MAX (inf) and below FLT_MIN (0 or a denormal)
# are refused, not turned into inf or 0.
P="--plugin-path plugins/lstm/.libs"
for v in 1e39 1e-50; do
	printf 'plugin lstm\noption lstm.cell_clip = %s\n' "$v" > "$tmp/clip.rules"
	$HS $P --rules "$tmp/clip.rules" "$srcdir/tests/data/ophint_lstm.pb" "$tmp/clip.pb" \
		2> "$tmp/err"
	[ $? -eq 1 ] || fail "cell_clip = $v accepted"
	case $v in
	1e39) want="'1e39' is out of the range of a float (at most 3.40282e+38)";;
	*) want="'1e-50' is too small for a float (it would be 0; the smallest is 1.17549e-38, or 0)";;
	esac
	grep -qxF "hintstub: $tmp/clip.rules:2:8: lstm: cell_clip: $want" "$tmp/err" ||
		fail "cell_clip = $v: $(cat "$tmp/err")"
done

echo "cli_harden: ok"
exit 0
