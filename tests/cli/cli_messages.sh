#!/bin/sh
# Clear messages (issue 13, item 10), each the exact stderr and status:
#   - an empty OUT, --report or IN is a usage error before any work;
#   - report write failures say why (errno);
#   - a FIFO as OUT or --report that no process reads is refused after
#     10 s (a FIFO with a reader, or one that gets it meanwhile, is
#     written to);
#   - an unreadable plugin says "Permission denied", not "not a shared
#     object";
#   - --plugins '' is a usage error naming --no-plugins;
#   - a UTF-8 byte-order mark at the start of a rule file is skipped;
#   - getopt's errors start with "hintstub:", not the program's path;
#   - unknown groups and 10-byte varints that protobuf (Debian's
#     python3-protobuf, when installed) accepts load and round-trip.
set -u
srcdir=${srcdir:-.}
# HINTSTUB may be a command with arguments (make valgrind), used unquoted.
HINTSTUB=${HINTSTUB:-./hintstub}
IN=$srcdir/tests/data/ophint_lstm.pb
work=$(mktemp -d "${TMPDIR:-/tmp}/hintstub-msg-XXXXXX") || exit 99
trap 'rm -rf "$work"' EXIT
chmod 700 "$work"
failures=0
fail() {
	echo "FAIL: $*" >&2
	failures=$((failures + 1))
}

# expect NAME STATUS MESSAGE COMMAND...: exit status and exact stderr.
expect() {
	name=$1 want_status=$2 msg=$3
	shift 3
	timeout 20 "$@" > "$work/stdout" 2> "$work/stderr" < /dev/null
	status=$?
	[ "$status" -eq "$want_status" ] || fail "$name: exit status $status, expected $want_status"
	[ "$(cat "$work/stderr")" = "$msg" ] ||
		fail "$name: stderr was '$(cat "$work/stderr")', expected '$msg'"
}
try="Try 'hintstub --help' for more information."

# Empty paths: refused before the conversion (so before any file is read).
expect empty-out 2 "hintstub: OUT is an empty path (use - for standard output)
$try" $HINTSTUB --no-plugins "$IN" ""
expect empty-report 2 "hintstub: --report is an empty path (use - for standard output)
$try" $HINTSTUB --no-plugins -r "" "$IN" "$work/out.pb"
expect empty-in 2 "hintstub: IN is an empty path (use - for standard input)" \
	$HINTSTUB --no-plugins "" "$work/out.pb"
expect empty-in-inspect 2 "hintstub: IN is an empty path (use - for standard input)" \
	$HINTSTUB inspect ""
[ -z "$(ls -A "$work" | grep -v -x -e stdout -e stderr)" ] || fail "empty paths: left $(ls -A "$work")"

# Report write failures: the reason, and no graph written.
expect report-no-dir 1 "hintstub: cannot write the report: $work/none/r.json: cannot create a temporary file in '$work/none': No such file or directory" \
	$HINTSTUB --no-plugins -r "$work/none/r.json" "$IN" "$work/out.pb"
expect report-full 1 "hintstub: cannot write the report: /dev/full: write failed: No space left on device" \
	$HINTSTUB --no-plugins -r /dev/full "$IN" "$work/out.pb"
[ ! -e "$work/out.pb" ] || fail "report failure: OUT written"

# A FIFO nobody reads: refused after 10 s (timeout would say 124).
mkfifo "$work/fifo" || exit 99
expect fifo-out 1 "hintstub: $work/fifo: a FIFO that no process opened for reading within 10 s: nothing written (start its reader first)" \
	$HINTSTUB --no-plugins "$IN" "$work/fifo"
expect fifo-report 1 "hintstub: cannot write the report: $work/fifo: a FIFO that no process opened for reading within 10 s: nothing written (start its reader first)" \
	$HINTSTUB --no-plugins -r "$work/fifo" "$IN" "$work/out.pb"
# A reader that comes a moment after the write began waiting gets the graph.
$HINTSTUB --no-plugins "$IN" "$work/fifo" 2> "$work/fifo-err" &
writer=$!
sleep 1
cat "$work/fifo" > "$work/from-fifo"
wait $writer || fail "FIFO with a late reader: $(cat "$work/fifo-err")"
$HINTSTUB --no-plugins "$IN" "$work/direct.pb" || fail "direct conversion"
cmp -s "$work/from-fifo" "$work/direct.pb" || fail "FIFO with a reader: not the converted graph"
rm -f "$work/fifo" "$work/from-fifo" "$work/fifo-err" "$work/direct.pb"

# --plugins '': a usage error that names the way to select none.
expect plugins-empty 2 "hintstub: --plugins '' names no plugin (for none, use --no-plugins)
$try" $HINTSTUB --plugins "" "$IN" "$work/out.pb"

# A rule file starting with a UTF-8 byte-order mark: accepted, and
# columns on its first line count from the first visible character.
printf '\357\273\277plugin lstm\n' > "$work/bom.rules"
$HINTSTUB --plugin-path plugins/lstm/.libs --rules "$work/bom.rules" -r "$work/bom.json" \
	"$IN" "$work/bom.pb" 2> "$work/stderr" || fail "BOM rule file refused: $(cat "$work/stderr")"
grep -q '"plugin":"lstm"' "$work/bom.json" 2>/dev/null || fail "BOM rule file: lstm not used"
printf '\357\273\277bogus\n' > "$work/bom2.rules"
expect bom-column 1 "hintstub: $work/bom2.rules:1:1: unknown statement 'bogus'" \
	$HINTSTUB --rules "$work/bom2.rules" "$IN" "$work/out.pb"
rm -f "$work"/bom*

# getopt's own messages: "hintstub:", for every subcommand, whatever path
# the program was run by (here the libtool wrapper's .libs/lt-hintstub).
expect getopt-long 2 "hintstub: unrecognized option '--bogus'
$try" $HINTSTUB --bogus
expect getopt-arg 2 "hintstub: option '--report' requires an argument
$try" $HINTSTUB "$IN" --report
expect getopt-inspect 2 "hintstub: invalid option -- 'Z'
Try 'hintstub inspect --help' for more information." $HINTSTUB inspect -Z "$IN"
expect getopt-explain 2 "hintstub: unrecognized option '--bogus'
Try 'hintstub explain --help' for more information." $HINTSTUB explain --bogus "$IN"

# An unreadable plugin: the errno, not "not a shared object".  Root reads
# any file: then the command runs as nobody, when nobody can run it.
pdir=$(mktemp -d "${TMPDIR:-/tmp}/hintstub-unread-XXXXXX") || exit 99
trap 'rm -rf "$work" "$pdir"' EXIT
chmod 755 "$pdir"
cp plugins/lstm/.libs/lstm.so "$pdir/" || exit 99
chmod 600 "$pdir/lstm.so"
as=""
if [ "$(id -u)" -eq 0 ]; then
	as="setpriv --reuid=nobody --regid=nogroup --clear-groups"
	$as $HINTSTUB --version > /dev/null 2>&1 || as=skip
else
	chmod 000 "$pdir/lstm.so"
fi
if [ "$as" = skip ]; then
	echo "unreadable plugin: skipped (nobody cannot run $HINTSTUB)"
else
	# shellcheck disable=SC2086
	expect unreadable-plugin 1 "hintstub: plugin lstm: cannot open $pdir/lstm.so: Permission denied" \
		$as $HINTSTUB --plugin-path "$pdir" --plugins lstm "$IN" /dev/null
fi

# Wire encodings protobuf accepts: an unknown group (nested) at the top
# level and in a node, a 10-byte varint ending in 0x7f.  hintstub loads
# them and writes the input back byte for byte (no call: nothing changes).
# Debian's python3-protobuf is for the system's python3, which a python3
# first on PATH (pyenv, a venv) may not be: prefer one that has it.
PY= PB=
for p in ${PYTHON:-} python3 /usr/bin/python3; do
	"$p" -c 'import sys' 2>/dev/null || continue
	[ -n "$PY" ] || PY=$p
	"$p" -c 'import google.protobuf' 2>/dev/null && { PY=$p PB=1; break; }
done
[ -n "$PY" ] || { echo "FAIL: no python3" >&2; exit 1; }
"$PY" - "$work/groups.pb" <<'END'
import sys
def varint(v):
    out = b""
    while v >= 0x80:
        out += bytes([v & 0x7f | 0x80]); v >>= 7
    return out + bytes([v])
def tag(n, t): return varint(n << 3 | t)
def ld(n, b): return tag(n, 2) + varint(len(b)) + b
def group(n, body): return tag(n, 3) + body + tag(n, 4)
inner = tag(1, 0) + varint(5) + ld(2, b"inside") + group(8, tag(1, 5) + b"\1\2\3\4")
long_varint = b"\x80" * 9 + b"\x7f"
value = tag(3, 0) + long_varint
node = ld(1, b"a") + ld(2, b"Const") + ld(5, ld(1, b"v") + ld(2, value)) + group(99, inner)
graph = ld(1, node) + group(100, inner) + ld(4, tag(1, 0) + long_varint)
open(sys.argv[1], "wb").write(graph)
END
$HINTSTUB --no-plugins "$work/groups.pb" "$work/groups-out.pb" 2> "$work/stderr" ||
	fail "groups: refused: $(cat "$work/stderr")"
cmp -s "$work/groups.pb" "$work/groups-out.pb" || fail "groups: not written back as read"
$HINTSTUB inspect "$work/groups.pb" > /dev/null 2>&1 || fail "groups: inspect refused"
# The referee: protobuf's own parser takes the same bytes.
if [ -n "$PB" ] && command -v protoc >/dev/null 2>&1; then
	protoc --python_out="$work" -I"$srcdir/core/graph" "$srcdir/core/graph/graph.proto" ||
		fail "protoc --python_out"
	"$PY" - "$work" <<'END' || fail "groups: protobuf refuses the bytes"
import sys
sys.path.insert(0, sys.argv[1])
import graph_pb2
g = graph_pb2.GraphDef.FromString(open(sys.argv[1] + "/groups.pb", "rb").read())
assert len(g.node) == 1 and g.node[0].attr["v"].i == -2**63, g
assert g.versions.producer == 0, g.versions  # int32: the low 32 bits of 2^63
END
else
	echo "protobuf referee: skipped (no python3-protobuf or protoc)"
fi

[ "$failures" -eq 0 ] || exit 1
echo "clear messages OK"
