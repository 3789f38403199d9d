#!/bin/sh
# The hintstub command on hostile inputs: for every class of bad input, the
# exact one-line error on stderr, exit status 1, the input file unchanged,
# and nothing written: no output, no .hintstub-* temporary, and a previous
# output left as it was.  Also pipelines through standard input/output and
# output failures (full device, missing directory, read-only directory).
set -u
srcdir=${srcdir:-.}
# HINTSTUB may be a command with arguments (make valgrind runs it under
# memcheck), so it is used unquoted.
HINTSTUB=${HINTSTUB:-./hintstub}
BAD=$srcdir/tests/data/bad
GOOD=$srcdir/tests/data/ophint_lstm.pb
work=$(mktemp -d "${TMPDIR:-/tmp}/hintstub-cli-XXXXXX") || exit 99
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT
failures=0
cases=0

fail() {
	echo "FAIL: $*" >&2
	failures=$((failures + 1))
}

# expect_refusal NAME MESSAGE [OPTION...]: runs hintstub on tests/data/bad/NAME.pb
# and expects exactly "hintstub: IN: MESSAGE" on stderr.  MESSAGE may hold
# several lines, each then given as "hintstub: IN: LINE".
expect_refusal() {
	name=$1 msg=$2
	shift 2
	cases=$((cases + 1))
	in=$BAD/$name.pb
	out_dir=$work/$cases-$name
	mkdir "$out_dir" || exit 99
	printf 'previous output\n' > "$out_dir/out.pb"
	before=$(cksum < "$in")
	$HINTSTUB "$@" "$in" "$out_dir/out.pb" > "$work/stdout" 2> "$work/stderr"
	status=$?
	[ "$status" -eq 1 ] || fail "$name: exit status $status, expected 1"
	expected=$(printf '%s\n' "$msg" | sed "s|^|hintstub: $in: |")
	[ "$(cat "$work/stderr")" = "$expected" ] ||
		fail "$name: stderr was '$(cat "$work/stderr")', expected '$expected'"
	[ ! -s "$work/stdout" ] || fail "$name: wrote to standard output"
	[ "$(cksum < "$in")" = "$before" ] || fail "$name: the input file changed"
	[ "$(cat "$out_dir/out.pb")" = "previous output" ] ||
		fail "$name: the previous output was modified"
	[ "$(ls -A "$out_dir")" = "out.pb" ] ||
		fail "$name: files left in the output directory: $(ls -A "$out_dir")"
}

expect_refusal empty "empty input: not a GraphDef (--allow-empty accepts it)"
expect_refusal truncated-head "truncated GraphDef: the field at byte 0 runs past the end of the input (7 bytes)"
expect_refusal truncated-middle "truncated GraphDef: the field at byte 32761 runs past the end of the input (32785 bytes)"
expect_refusal truncated-last-byte "truncated GraphDef: the field at byte 65568 runs past the end of the input (65569 bytes)"
expect_refusal random-wire-type "not a GraphDef: invalid wire type at byte 0"
expect_refusal random-field-zero "not a GraphDef: invalid field number at byte 0"
expect_refusal random-varint "not a GraphDef: malformed varint at byte 0"
expect_refusal wrong-wire-type-node "not a GraphDef: field 'node' has a wrong wire type at byte 0"
expect_refusal wrong-wire-type-name "node #0: field 'name' has a wrong wire type at byte 2"
expect_refusal wrong-wire-type-attr-key "node #0 'a': attribute key has a wrong wire type at byte 7"
expect_refusal length-past-end "truncated GraphDef: the field at byte 0 runs past the end of the input (6 bytes)"
expect_refusal length-past-end-nested "node #0 'a': truncated field (length or varint runs past the end) at byte 5"
expect_refusal length-overflow "truncated GraphDef: the field at byte 0 runs past the end of the input (11 bytes)"
expect_refusal deep-nesting "node #0 'a': attribute 'value': value nested deeper than the limit of 64 at byte 344"
expect_refusal deep-nesting "node #0 'a': attribute 'value': value nested deeper than the limit of 10 at byte 74" --max-depth=10
expect_refusal malformed-attr-value "node #0 'a': attribute 'value': truncated field (length or varint runs past the end) at byte 25"
expect_refusal many-nodes "graph has 2000 nodes, more than the limit of 1000" --max-nodes=1000
expect_refusal many-nodes "file is 28890 bytes, more than the limit of 16384" --max-file-size=16K
expect_refusal no-name "node #0: has no name (node field at byte 0)"
expect_refusal duplicate-names "duplicate node name 'a' (nodes #0 and #2)"
expect_refusal missing-input "node 'b': input 1 'ghost:1' names no node of the graph"
expect_refusal bad-input-text "node 'b': input 0 '^a:1' is not of the form name, name:port or ^name (TensorFlow reads it as port 1 of a node '^a': a control input has no port)"
expect_refusal cycle "the graph has a cycle through node 'd'"

# OpHint faults: the conversion refuses the calls and writes nothing.
expect_refusal hint-wrong-type "error: call 0123456789abcdef0123456789abcdef (Fn): hint 'h_in': attribute _tflite_function_input_index is of another type, expected an int [bad-attr-type]
error: call 0123456789abcdef0123456789abcdef (Fn) has no input hints [no-inputs]
1 call(s) with errors; nothing written (see --skip-bad-calls)"
expect_refusal hint-uuid-type "error: node 'h': attribute _tflite_function_uuid is of another type, expected a string; the node is not treated as a hint [bad-attr-type]
1 hint(s) with errors; nothing written (see --skip-bad-calls)"
expect_refusal hint-shared-uuid "error: call 0123456789abcdef0123456789abcdef: hint 'b_in' names function 'FnB', other hints of the call name 'FnA' [function-mismatch]
error: call 0123456789abcdef0123456789abcdef: hint 'b_out' names function 'FnB', other hints of the call name 'FnA' [function-mismatch]
error: call 0123456789abcdef0123456789abcdef (FnA): input 0 is given twice without a sort index: 'a_in' and 'b_in' [duplicate-index]
error: call 0123456789abcdef0123456789abcdef (FnA): output 0 is given twice without a sort index: 'a_out' and 'b_out' [duplicate-index]
1 call(s) with errors; nothing written (see --skip-bad-calls)"
expect_refusal hint-sort-gap "error: call 0123456789abcdef0123456789abcdef (Fn): input 0: sort index 1 is missing (next is 2 at 's2') [sort-gap]
1 call(s) with errors; nothing written (see --skip-bad-calls)"

# A malformed children mapping is kept as text for level 2; the level-1
# call it sits on converts.
cases=$((cases + 1))
$HINTSTUB "$BAD/hint-bad-children.pb" "$work/children.pb" 2> "$work/stderr" &&
	[ ! -s "$work/stderr" ] && [ -s "$work/children.pb" ] ||
	fail "hint-bad-children: not converted: $(cat "$work/stderr")"

# Limits within bounds accept the same files.
cases=$((cases + 1))
$HINTSTUB --max-nodes=2000 --max-file-size=28890 --max-depth=101 \
	"$BAD/many-nodes.pb" "$work/many.pb" 2> "$work/stderr" &&
	cmp -s "$BAD/many-nodes.pb" "$work/many.pb" ||
	fail "many-nodes within the limits: $(cat "$work/stderr")"

# --allow-empty: an empty GraphDef converts to an empty file.
cases=$((cases + 1))
$HINTSTUB --allow-empty "$BAD/empty.pb" "$work/empty-out.pb" &&
	[ -f "$work/empty-out.pb" ] && [ ! -s "$work/empty-out.pb" ] ||
	fail "--allow-empty did not write an empty output"

# Bad option values are usage errors (exit 2) and name the option.
for opt in --max-nodes=0 --max-nodes=x --max-depth=1025 --max-file-size=99999999999T \
	   --max-file-size=12Q --max-nodes=-1; do
	cases=$((cases + 1))
	$HINTSTUB "$opt" "$GOOD" "$work/never.pb" 2> "$work/stderr"
	status=$?
	[ "$status" -eq 2 ] || fail "$opt: exit status $status, expected 2"
	grep -q "^hintstub: invalid ${opt%%=*} value '${opt#*=}'" "$work/stderr" ||
		fail "$opt: stderr was '$(cat "$work/stderr")'"
	[ ! -e "$work/never.pb" ] || fail "$opt: wrote an output"
done

# Pipelines: standard input and output give what a file gives.
cases=$((cases + 1))
$HINTSTUB "$GOOD" "$work/converted.pb" && [ -s "$work/converted.pb" ] ||
	fail "converting the fixture to a file"
$HINTSTUB - - < "$GOOD" | cmp -s - "$work/converted.pb" || fail "stdin to stdout pipeline"
cases=$((cases + 1))
$HINTSTUB "$GOOD" - | cmp -s - "$work/converted.pb" || fail "file to stdout pipeline"
cases=$((cases + 1))
out=$($HINTSTUB - - < "$BAD/cycle.pb" 2> "$work/stderr")
status=$?
[ "$status" -eq 1 ] && [ -z "$out" ] &&
	[ "$(cat "$work/stderr")" = "hintstub: <stdin>: the graph has a cycle through node 'd'" ] ||
	fail "bad input on stdin: status $status, stderr '$(cat "$work/stderr")'"

# Output failures.
if [ -w /dev/full ]; then
	cases=$((cases + 1))
	$HINTSTUB "$GOOD" - > /dev/full 2> "$work/stderr"
	status=$?
	[ "$status" -eq 1 ] &&
		[ "$(cat "$work/stderr")" = "hintstub: <stdout>: write failed: No space left on device" ] ||
		fail "stdout on /dev/full: status $status, stderr '$(cat "$work/stderr")'"
	cases=$((cases + 1))
	$HINTSTUB "$GOOD" /dev/full 2> "$work/stderr"
	status=$?
	[ "$status" -eq 1 ] && [ -c /dev/full ] &&
		[ "$(cat "$work/stderr")" = "hintstub: /dev/full: write failed: No space left on device" ] ||
		fail "/dev/full as OUT: status $status, stderr '$(cat "$work/stderr")'"
else
	echo "SKIP: /dev/full is not writable here"
fi

cases=$((cases + 1))
$HINTSTUB "$GOOD" "$work/no/such/dir/out.pb" 2> "$work/stderr"
status=$?
[ "$status" -eq 1 ] &&
	[ "$(cat "$work/stderr")" = "hintstub: $work/no/such/dir/out.pb: cannot create a temporary file in '$work/no/such/dir': No such file or directory" ] ||
	fail "missing output directory: status $status, stderr '$(cat "$work/stderr")'"

cases=$((cases + 1))
$HINTSTUB "$work/does-not-exist.pb" "$work/x.pb" 2> "$work/stderr"
status=$?
[ "$status" -eq 1 ] &&
	[ "$(cat "$work/stderr")" = "hintstub: $work/does-not-exist.pb: cannot open: No such file or directory" ] ||
	fail "missing input: status $status, stderr '$(cat "$work/stderr")'"

cases=$((cases + 1))
$HINTSTUB "$work" "$work/x.pb" 2> "$work/stderr"
status=$?
[ "$status" -eq 1 ] && [ "$(cat "$work/stderr")" = "hintstub: $work: is a directory" ] ||
	fail "directory as input: status $status, stderr '$(cat "$work/stderr")'"

# A read-only directory: root ignores permissions, so only as a user.
if [ "$(id -u)" -ne 0 ]; then
	cases=$((cases + 1))
	mkdir "$work/ro" && printf 'old\n' > "$work/ro/out.pb" && chmod 555 "$work/ro"
	$HINTSTUB "$GOOD" "$work/ro/out.pb" 2> "$work/stderr"
	status=$?
	[ "$status" -eq 1 ] &&
		[ "$(cat "$work/stderr")" = "hintstub: $work/ro/out.pb: cannot create a temporary file in '$work/ro': Permission denied" ] &&
		[ "$(cat "$work/ro/out.pb")" = old ] && [ "$(ls -A "$work/ro")" = out.pb ] ||
		fail "read-only directory: status $status, stderr '$(cat "$work/stderr")'"
	chmod 755 "$work/ro"
else
	echo "SKIP: read-only directory test (running as root: permissions are not enforced)"
fi

# Unbounded reads: a device or pipe is read to at most the limit + 1
# bytes, and a stream that is no GraphDef is refused at its first bad
# field, before the limit (/dev/zero used to be read to 16 GB).
cases=$((cases + 1))
for sub in inspect explain; do
	timeout 20 $HINTSTUB $sub /dev/zero > /dev/null 2> "$work/stderr"
	status=$?
	[ "$status" -eq 1 ] &&
		[ "$(cat "$work/stderr")" = "hintstub: /dev/zero: not a GraphDef: invalid field number at byte 0" ] ||
		fail "$sub /dev/zero: status $status, stderr '$(cat "$work/stderr")'"
done
# 8 MiB of well-framed varint fields (08 08 ...) through a pipe, with a
# limit of 1 MiB: refused, and no more than the limit + 1 byte read (plus
# what the pipe buffers); the old reader doubled its buffer past it.
cases=$((cases + 1))
head -c 8388608 /dev/zero | tr '\000' '\010' > "$work/framed.bin"
(trap '' PIPE; dd if="$work/framed.bin" bs=4096 2> "$work/dd.err") |
	$HINTSTUB inspect --max-file-size=1M - > /dev/null 2> "$work/stderr"
status=$?
copied=$(sed -n 's/^\([0-9]*\) bytes.*/\1/p' "$work/dd.err")
[ "$status" -eq 1 ] &&
	[ "$(cat "$work/stderr")" = "hintstub: <stdin>: input is more than the limit of 1048576 bytes" ] &&
	[ -n "$copied" ] && [ "$copied" -le $((1048576 + 1 + 65536 + 4096)) ] ||
	fail "pipe past the limit: status $status, $copied bytes read, stderr '$(cat "$work/stderr")'"
# A length-delimited field longer than the limit is refused when its
# length arrives, not after reading it.
cases=$((cases + 1))
printf '\012\200\200\200\100' | $HINTSTUB explain --max-file-size=1M - > /dev/null 2> "$work/stderr"
status=$?
[ "$status" -eq 1 ] &&
	[ "$(cat "$work/stderr")" = "hintstub: <stdin>: the field at byte 0 is longer than the limit of 1048576 bytes" ] ||
	fail "long field on a pipe: status $status, stderr '$(cat "$work/stderr")'"
# --max-memory bounds the run (RLIMIT_AS; not under valgrind or sanitizers,
# which map far more than they use).
cases=$((cases + 1))
case $HINTSTUB in
*valgrind*) under_valgrind=1 ;; # its own heap lives under the limit too
*) under_valgrind=0 ;;
esac
if [ "$under_valgrind" = 0 ] && $HINTSTUB --max-memory=256M "$GOOD" "$work/mm.pb" 2> /dev/null; then
	head -c 67108864 /dev/zero | tr '\000' '\010' |
		$HINTSTUB inspect --max-memory=48M --max-file-size=1G - > /dev/null 2> "$work/stderr"
	status=$?
	[ "$status" -eq 1 ] &&
		[ "$(cat "$work/stderr")" = "hintstub: <stdin>: out of memory reading" ] ||
		fail "--max-memory: status $status, stderr '$(cat "$work/stderr")'"
else
	echo "SKIP: --max-memory (this build cannot run in 256 MiB of address space)"
fi
cases=$((cases + 1))
$HINTSTUB explain --max-memory=12Q "$GOOD" > /dev/null 2> "$work/stderr"
status=$?
[ "$status" -eq 2 ] && grep -q "^hintstub: invalid --max-memory value '12Q'" "$work/stderr" ||
	fail "--max-memory=12Q: status $status, stderr '$(cat "$work/stderr")'"

# --report: never over the input, never mixed with the graph on stdout,
# never over OUT; written atomically (a hard link to the old report keeps
# the old text, as with the graph).
for args in "--report $work/in-copy.pb $work/in-copy.pb $work/r1.pb" \
	    "--report - $work/in-copy.pb -" \
	    "--report $work/r2.pb $work/in-copy.pb $work/r2.pb"; do
	cases=$((cases + 1))
	cp "$GOOD" "$work/in-copy.pb"
	$HINTSTUB $args > "$work/stdout" 2> "$work/stderr"
	status=$?
	[ "$status" -eq 2 ] && [ ! -s "$work/stdout" ] && cmp -s "$GOOD" "$work/in-copy.pb" &&
		[ ! -e "$work/r1.pb" ] && [ ! -e "$work/r2.pb" ] ||
		fail "$args: status $status, stderr '$(cat "$work/stderr")'"
done
cases=$((cases + 1))
cp "$GOOD" "$work/in-copy.pb"
ln -s in-copy.pb "$work/in-link.pb"
$HINTSTUB --report "$work/in-link.pb" "$work/in-copy.pb" "$work/r3.pb" 2> "$work/stderr"
status=$?
[ "$status" -eq 2 ] && cmp -s "$GOOD" "$work/in-copy.pb" &&
	[ "$(head -n 1 "$work/stderr")" = "hintstub: --report $work/in-link.pb is the input $work/in-copy.pb: refusing to overwrite it" ] ||
	fail "--report over the input through a link: status $status, stderr '$(cat "$work/stderr")'"
cases=$((cases + 1))
$HINTSTUB -n --report - "$GOOD" - > "$work/report-dry.json" 2> "$work/stderr" &&
	grep -q '"calls"' "$work/report-dry.json" ||
	fail "--report - with --dry-run and OUT -: '$(cat "$work/stderr")'"
cases=$((cases + 1))
printf 'old report\n' > "$work/report.json"
ln "$work/report.json" "$work/report-old.json"
$HINTSTUB --report "$work/report.json" "$GOOD" "$work/rep-out.pb" 2> "$work/stderr" &&
	[ "$(cat "$work/report-old.json")" = "old report" ] &&
	grep -q '"calls"' "$work/report.json" &&
	[ -z "$(ls -A "$work" | grep '^\.hintstub-')" ] ||
	fail "report not replaced atomically: '$(cat "$work/stderr")'"
cases=$((cases + 1))
$HINTSTUB --report "$work/no/dir/r.json" "$GOOD" "$work/rep-out2.pb" 2> "$work/stderr"
status=$?
[ "$status" -eq 1 ] && [ ! -e "$work/rep-out2.pb" ] &&
	[ "$(cat "$work/stderr")" = "hintstub: cannot write the report: $work/no/dir/r.json: cannot create a temporary file in '$work/no/dir': No such file or directory" ] ||
	fail "report in a missing directory: status $status, stderr '$(cat "$work/stderr")'"

echo "$cases cases, $failures failures"
[ "$failures" -eq 0 ]
