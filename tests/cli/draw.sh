#!/bin/sh
# hintstub draw: every output form (.dot, .svg, .png, .html, standard
# output), the SVG well-formed and naming every call, the HTML page
# self-contained (no http:// or https:// reference), a missing Graphviz
# (simulated with a PATH without dot) a clear error with nothing written
# for .svg/.png and the DOT text for .html, and a large graph summarised
# to a bounded size.  The parts needing dot skip when it is not installed.
set -u
srcdir=${srcdir:-.}
HS=${HINTSTUB:-./hintstub}
GEN=${HINTSTUB_GEN:-./hintstub-gen}
IN=$srcdir/examples/ophint_lstm.pb
U0=47eb6ae2de2411e9a4834201c0a80701
U1=47eb6ae3de2411e9a4834201c0a80701
tmp=$(mktemp -d "${TMPDIR:-/tmp}/hintstub-draw.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
have_dot=0
command -v dot > /dev/null 2>&1 && have_dot=1

# .dot needs nothing; standard output without -o.
$HS draw --no-plugins "$IN" -o "$tmp/r.dot" || fail "draw -o r.dot"
head -n 1 "$tmp/r.dot" | grep -qx 'digraph hintstub {' || fail "r.dot is not a digraph"
[ "$(grep -c '^ subgraph cluster_c' "$tmp/r.dot")" -eq 2 ] || fail "r.dot: not one cluster per call"
grep -q 'generic stub' "$tmp/r.dot" || fail "r.dot: no result in the labels"
$HS draw --no-plugins "$IN" > "$tmp/stdout.dot" || fail "draw to standard output"
cmp -s "$tmp/r.dot" "$tmp/stdout.dot" || fail "standard output differs from -o r.dot"

# The plan of the plugins, and the stubs they made (--after).
plugins="plugins/lstm/.libs:plugins/rnn/.libs:plugins/conv/.libs"
rules="--rules $srcdir/rules/default.rules"
# shellcheck disable=SC2086
HINTSTUB_PLUGIN_PATH=$plugins $HS $rules "$IN" "$tmp/stubbed.pb" || fail "converting"
# shellcheck disable=SC2086
HINTSTUB_PLUGIN_PATH=$plugins $HS draw $rules "$IN" --after "$tmp/stubbed.pb" -o "$tmp/after.dot" ||
	fail "draw --after"
grep -q 'converted by plugin lstm' "$tmp/after.dot" || fail "after.dot: no plugin named"
grep -q '^ subgraph cluster_a0 {' "$tmp/after.dot" || fail "after.dot: no stub drawn"

# The plan's verdicts, as explain gives them: an error and its problem,
# a generic stub.
$HS draw --no-plugins "$srcdir/tests/data/ophint_bad_calls.pb" -o "$tmp/bad.dot" ||
	fail "draw of ophint_bad_calls.pb"
grep -q "tooltip=\"call aaaa0000aaaa0000aaaa0000aaaa0000 (f): error: input 0: sort index 1 is missing" \
	"$tmp/bad.dot" || fail "bad.dot: call aaaa... is not an error with its problem"
grep -q 'tooltip="call bbbb1111bbbb1111bbbb1111bbbb1111 (g): generic stub"' "$tmp/bad.dot" ||
	fail "bad.dot: call bbbb... is not a generic stub"

# Usage errors: an unknown extension, the input as output, a bad call.
$HS draw "$IN" -o "$tmp/r.jpg" 2> "$tmp/err"
[ $? -eq 2 ] || fail "draw -o r.jpg: expected exit status 2"
grep -q 'extension must be .dot, .svg, .png or .html' "$tmp/err" || fail "r.jpg: $(cat "$tmp/err")"
cp "$IN" "$tmp/in.dot"
$HS draw --no-plugins "$tmp/in.dot" -o "$tmp/in.dot" 2> /dev/null
[ $? -eq 2 ] || fail "draw IN -o IN: expected exit status 2"
cmp -s "$IN" "$tmp/in.dot" || fail "draw IN -o IN changed the input"
$HS draw --no-plugins --detail nosuchcall "$IN" 2> "$tmp/err" > /dev/null
[ $? -eq 1 ] || fail "--detail nosuchcall: expected exit status 1"
grep -q "no call's uuid is or starts with 'nosuchcall'" "$tmp/err" || fail "--detail: $(cat "$tmp/err")"
$HS draw --no-plugins --detail 47eb6ae3 "$IN" | grep -q '^ subgraph cluster_c1 {' ||
	fail "--detail 47eb6ae3 does not open call 1"

# No dot in PATH: every other command the wrappers need stays.
nodot=$tmp/nodot
mkdir "$nodot"
for d in $(echo "$PATH" | tr ':' ' '); do
	for f in "$d"/*; do
		b=${f##*/}
		[ "$b" = dot ] || [ -e "$nodot/$b" ] || ln -s "$f" "$nodot/$b" 2> /dev/null
	done
done
for ext in svg png; do
	echo old > "$tmp/old.$ext"
	PATH=$nodot $HS draw --no-plugins "$IN" -o "$tmp/old.$ext" 2> "$tmp/err"
	[ $? -eq 1 ] || fail "no dot, .$ext: expected exit status 1"
	grep -q "apt-get install graphviz" "$tmp/err" || fail "no dot, .$ext: $(cat "$tmp/err")"
	[ "$(cat "$tmp/old.$ext")" = old ] || fail "no dot, .$ext: the old file changed"
	PATH=$nodot $HS draw --no-plugins "$IN" -o "$tmp/new.$ext" 2> /dev/null
	[ ! -e "$tmp/new.$ext" ] || fail "no dot, .$ext: a file was written"
done
PATH=$nodot $HS draw --no-plugins "$IN" -o "$tmp/nodot.html" || fail "no dot, .html"
grep -q '<pre>digraph hintstub {' "$tmp/nodot.html" || fail "no dot, .html: no DOT text"
grep -q 'apt-get install graphviz' "$tmp/nodot.html" || fail "no dot, .html: no note"
PATH=$nodot $HS draw --no-plugins "$IN" -o "$tmp/nodot.dot" || fail "no dot, .dot"

# A dot that hangs is stopped (--dot-timeout), one that fails or writes
# nothing is an error: nothing written in every case.
fake=$tmp/fakedot
mkdir "$fake"
printf '#!/bin/sh\nexec sleep 30\n' > "$fake/dot"
chmod 755 "$fake/dot"
PATH=$fake:$PATH $HS draw --no-plugins --dot-timeout=1 "$IN" -o "$tmp/slow.svg" 2> "$tmp/err"
[ $? -eq 1 ] || fail "a hanging dot: expected exit status 1"
grep -q 'dot took longer than 1 s' "$tmp/err" || fail "a hanging dot: $(cat "$tmp/err")"
[ ! -e "$tmp/slow.svg" ] || fail "a hanging dot: a file was written"
printf '#!/bin/sh\necho "Error: <stdin>: syntax error" >&2\nexit 3\n' > "$fake/dot"
PATH=$fake:$PATH $HS draw --no-plugins "$IN" -o "$tmp/bad.png" 2> "$tmp/err"
[ $? -eq 1 ] || fail "a failing dot: expected exit status 1"
grep -q 'dot failed (exit status 3): Error: <stdin>: syntax error' "$tmp/err" ||
	fail "a failing dot: $(cat "$tmp/err")"
[ ! -e "$tmp/bad.png" ] || fail "a failing dot: a file was written"
printf '#!/bin/sh\nexit 0\n' > "$fake/dot"
PATH=$fake:$PATH $HS draw --no-plugins "$IN" -o "$tmp/empty.svg" 2> "$tmp/err"
[ $? -eq 1 ] || fail "a dot writing nothing: expected exit status 1"
[ ! -e "$tmp/empty.svg" ] || fail "a dot writing nothing: a file was written"
$HS draw --no-plugins --dot-timeout=0 "$IN" -o "$tmp/x.svg" 2> /dev/null
[ $? -eq 2 ] || fail "--dot-timeout=0: expected exit status 2"

# A large graph: summarised, bounded, whatever dot is.
$GEN mixed --nodes 100000 --calls 500 -o "$tmp/mixed.pb" 2> /dev/null || fail "hintstub-gen"
$HS draw --no-plugins "$tmp/mixed.pb" -o "$tmp/mixed.dot" || fail "draw of the large graph"
size=$(wc -c < "$tmp/mixed.dot")
[ "$size" -lt 16384 ] || fail "the large graph's summary has $size bytes"
grep -q '(summarised)' "$tmp/mixed.dot" || fail "the large graph is not summarised"
grep -q 'CustomConv2D\\n500 calls' "$tmp/mixed.dot" || fail "the large graph's calls are not counted"
uuid=$($HS inspect --no-plugins "$tmp/mixed.pb" | sed -n 's/^call 7: CustomConv2D uuid \([0-9a-f]*\) .*/\1/p')
[ -n "$uuid" ] || fail "no uuid for call 7"
$HS draw --no-plugins --detail "$uuid" "$tmp/mixed.pb" -o "$tmp/detail.dot" || fail "--detail of the large graph"
grep -q '^ subgraph cluster_c7 {' "$tmp/detail.dot" || fail "--detail does not open call 7"
size=$(wc -c < "$tmp/detail.dot")
[ "$size" -lt 32768 ] || fail "--detail drew $size bytes"

if [ "$have_dot" -eq 0 ]; then
	echo "SKIP: Graphviz's dot is not installed: .svg, .png and the inline SVG are not tested"
	exit 0
fi

# .svg: well-formed XML naming every call; .png: a PNG.
# shellcheck disable=SC2086
HINTSTUB_PLUGIN_PATH=$plugins $HS draw $rules "$IN" --after "$tmp/stubbed.pb" -o "$tmp/r.svg" ||
	fail "draw -o r.svg"
if command -v python3 > /dev/null 2>&1; then
	python3 -c 'import sys, xml.dom.minidom; xml.dom.minidom.parse(sys.argv[1])' "$tmp/r.svg" ||
		fail "r.svg is not well-formed XML"
fi
grep -q "$U0" "$tmp/r.svg" && grep -q "$U1" "$tmp/r.svg" || fail "r.svg does not name every call"
$HS draw --no-plugins "$IN" -o "$tmp/plain.svg" || fail "draw -o plain.svg"
for u in "$U0" "$U1"; do
	grep -q "call $u (UnidirectionalSequenceLstm): generic stub" "$tmp/plain.svg" || fail "plain.svg does not name call $u"
done
$HS draw --no-plugins --summary "$IN" -o "$tmp/summary.svg" || fail "draw --summary -o summary.svg"
grep -q "$U1" "$tmp/summary.svg" || fail "summary.svg does not name call $U1"
$HS draw --no-plugins "$IN" -o "$tmp/r.png" || fail "draw -o r.png"
[ "$(head -c 4 "$tmp/r.png" | od -An -tx1 | tr -d ' ')" = 89504e47 ] || fail "r.png is not a PNG"
$HS draw --no-plugins "$tmp/mixed.pb" -o "$tmp/mixed.svg" || fail "draw of the large graph to .svg"

# .html: the picture inline, the table, nothing fetched.
# shellcheck disable=SC2086
HINTSTUB_PLUGIN_PATH=$plugins $HS draw $rules "$IN" --after "$tmp/stubbed.pb" -o "$tmp/r.html" ||
	fail "draw -o r.html"
grep -q '<svg' "$tmp/r.html" || fail "r.html: no inline SVG"
! grep -Eq 'https?://' "$tmp/r.html" || fail "r.html refers to $(grep -Eo 'https?://[^"]*' "$tmp/r.html" | head -n 1)"
! grep -Eiq '<(script|link|img|iframe)[^>]* (src|href)=' "$tmp/r.html" || fail "r.html loads something"
grep -q "<td class=\"uuid\">$U0</td>" "$tmp/r.html" || fail "r.html: no row for $U0"
grep -q "<td class=\"uuid\">$U1</td>" "$tmp/r.html" || fail "r.html: no row for $U1"
grep -q '<li>lstm: claims it</li>' "$tmp/r.html" || fail "r.html: no explain verdicts"
grep -q "<input id=\"q\"" "$tmp/r.html" || fail "r.html: no search box"
echo "draw OK"
