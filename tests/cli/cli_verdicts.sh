#!/bin/sh
# One verdict everywhere, and saying what did not happen: a failing check
# is a failed call under the on-failure rule (the report is written under
# abort too); warnings name IN; plugins asked for that convert nothing, or
# left unused in a --plugin-path directory, are warned of; misspelt
# plugin and option names get a suggestion; uppercase --plugins names are
# a usage error.
set -u
srcdir=${srcdir:-.}
HS=${HINTSTUB:-./hintstub}
GEN=${HINTSTUB_GEN:-./hintstub-gen}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/hintstub-verdicts.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
mkdir "$tmp/plugins" && chmod 700 "$tmp/plugins" || exit 99
for p in failing alpha beta picky; do
	cp "tests/host/plugins/.libs/$p.so" "$tmp/plugins/" || { echo "test plugins not built"; exit 99; }
done
chmod 755 "$tmp/plugins"/*.so
P="--plugin-path $tmp/plugins"
$GEN conv --calls 2 -o "$tmp/conv.pb" 2>/dev/null || fail "gen conv"
IN=$tmp/conv.pb

# A failing check under on-failure skip: failed, a warning naming IN.
printf 'plugin failing\noption failing.function = CustomConv2D\noption failing.fail = check\n' > "$tmp/skip.rules"
$HS $P --rules "$tmp/skip.rules" -r "$tmp/skip.json" "$IN" "$tmp/skip.pb" 2> "$tmp/err" ||
	fail "skip: exit $?: $(cat "$tmp/err")"
grep -q "^hintstub: $IN: warning: call [0-9a-f]* (CustomConv2D) failed: plugin failing: [0-9a-f]*: check exploded$" "$tmp/err" ||
	fail "skip: $(cat "$tmp/err")"
grep -q '"result":"failed","error":false' "$tmp/skip.json" || fail "skip report: $(cat "$tmp/skip.json")"

# ... under abort: exit 1, nothing written, and the report says why.
cat "$tmp/skip.rules" > "$tmp/abort.rules"
printf 'on-failure abort\n' >> "$tmp/abort.rules"
status=0
$HS $P --rules "$tmp/abort.rules" -r "$tmp/abort.json" "$IN" "$tmp/abort.pb" 2> "$tmp/err" || status=$?
[ "$status" -eq 1 ] || fail "abort: exit $status"
[ ! -e "$tmp/abort.pb" ] || fail "abort: output written"
grep -q "^hintstub: $IN: plugin failing: [0-9a-f]*: check exploded$" "$tmp/err" || fail "abort: $(cat "$tmp/err")"
grep -q '"result":"failed","error":true' "$tmp/abort.json" || fail "abort report: $(cat "$tmp/abort.json" 2>&1)"
grep -q '"converted":0,' "$tmp/abort.json" || fail "abort report counts conversions"

# A plugin asked for that converts nothing: the name it may have meant.
printf 'plugin alpha\noption alpha.function = CustomConv2d\n' > "$tmp/typo.rules"
$HS $P --rules "$tmp/typo.rules" "$IN" "$tmp/typo.pb" 2> "$tmp/err" || fail "typo: exit $?"
grep -q "^hintstub: $IN: warning: plugin alpha converts no call: no call is named like its signature 'CustomConv2d'; did you mean 'CustomConv2D'?$" "$tmp/err" ||
	fail "typo: $(cat "$tmp/err")"
$HS $P --plugins alpha "$IN" "$tmp/far.pb" 2> "$tmp/err" || fail "far: exit $?"
grep -q "^hintstub: $IN: warning: plugin alpha converts no call: no call is named like its signature 'TestFn'; the graph's functions: 'CustomConv2D'$" "$tmp/err" ||
	fail "far: $(cat "$tmp/err")"
# ... and the plugins of --plugin-path nobody asked for (picky, beta).
grep -q "^hintstub: $IN: warning: --plugin-path $tmp/plugins: .*beta.* neither selected with --plugins nor named in the rules: not used$" "$tmp/err" ||
	fail "unused: $(cat "$tmp/err")"
# A plugin a rule file names for other models is no news, a typo is.
printf 'plugin picky\noption picky.function = CustomConv2D\n' > "$tmp/picky.rules"
$HS $P --rules "$tmp/picky.rules" "$IN" "$tmp/quiet.pb" 2> "$tmp/err" || fail "quiet: exit $?"
! grep -q "converts" "$tmp/err" || fail "quiet: $(cat "$tmp/err")"
# A plugin whose function matches but whose check declines: explain says why.
$HS $P --rules "$tmp/picky.rules" --plugins picky "$IN" "$tmp/picky.pb" 2> "$tmp/err" || fail "picky: exit $?"
grep -q "^hintstub: $IN: warning: plugin picky converts none of the 2 call(s) named like its signature (hintstub explain $IN says why)$" "$tmp/err" ||
	fail "picky: $(cat "$tmp/err")"

# Misspelt plugin names: a suggestion; uppercase: a usage error.
status=0
$HS $P --plugins alpah "$IN" "$tmp/x.pb" 2> "$tmp/err" || status=$?
[ "$status" -eq 1 ] || fail "alpah: exit $status"
grep -q "did you mean 'alpha'?$" "$tmp/err" || fail "alpah: $(cat "$tmp/err")"
status=0
$HS $P --plugins Alpha "$IN" "$tmp/x.pb" 2> "$tmp/err" || status=$?
[ "$status" -eq 2 ] || fail "Alpha: exit $status"
grep -q "^hintstub: --plugins: 'Alpha' is not a plugin name (lowercase: did you mean 'alpha'?)$" "$tmp/err" ||
	fail "Alpha: $(cat "$tmp/err")"
[ ! -e "$tmp/x.pb" ] || fail "output written on a usage error"

# --list-plugins: aggregation, options in effect, priority.
printf 'plugin lstm priority 5\noption lstm.cell_clip = 3\n' > "$tmp/lstm.rules"
$HS --plugin-path plugins/lstm/.libs --plugin-path plugins/conv/.libs --rules "$tmp/lstm.rules" \
	--plugins lstm,conv --list-plugins > "$tmp/list" 2>&1 || fail "list: exit $?"
for line in '  priority 5' '  option cell_clip = 3 (set): cell state clip (0: none)' \
	    '  option proj_clip = 0 (default): projection clip (0: none)' \
	    '  signature CustomConv2D: any inputs and outputs; then the plugin'"'"'s check'; do
	grep -qxF "$line" "$tmp/list" || fail "list lacks '$line': $(cat "$tmp/list")"
done
grep -q '^  signature UnidirectionalSequenceLstm: in0 stack, in1? single,.* out2 stack (no other index); then' "$tmp/list" ||
	fail "list: $(cat "$tmp/list")"
exit 0
