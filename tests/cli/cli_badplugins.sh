#!/bin/sh
# The hintstub command with hostile plugins and rule files: the exact
# one-line error, exit status 1, the input unchanged, and no output and no
# temporary in the output directory.  Plugins: a file that is not a shared
# object, no entry symbol, a wrong ABI, a failing init, a wrong name, a
# group-writable file, a missing one; plugins that exit(), crash, edit
# nodes that existed before their call, or lie in their descriptor.  Rules: syntax error, unknown plugin,
# include loop, constraint cycle, and files that are not regular (FIFO,
# device, directory: they must not block or read garbage).
set -u
srcdir=${srcdir:-.}
# HINTSTUB may be a command with arguments (make valgrind), used unquoted.
HINTSTUB=${HINTSTUB:-./hintstub}
IN=$srcdir/tests/data/ophint_lstm.pb
work=$(mktemp -d "${TMPDIR:-/tmp}/hintstub-plug-XXXXXX") || exit 99
trap 'rm -rf "$work"' EXIT
chmod 700 "$work"
plugins=$work/plugins
mkdir -m 700 "$plugins" || exit 99
for p in alpha beta badabi initfail noentry wrongname exiter crasher deleter editor hugesigs nullargs bypasser; do
	cp "tests/host/plugins/.libs/$p.so" "$plugins/" || { echo "test plugins not built"; exit 99; }
done
printf 'this is not an ELF file\n' > "$plugins/garbage.so"
cp "$plugins/alpha.so" "$plugins/shared.so"
chmod 755 "$plugins"/*.so
chmod 775 "$plugins/shared.so"
failures=0
cases=0
fail() {
	echo "FAIL: $*" >&2
	failures=$((failures + 1))
}

# expect_refusal NAME MESSAGE OPTION...: the exact stderr "hintstub: MESSAGE".
expect_refusal() {
	name=$1 msg=$2
	shift 2
	cases=$((cases + 1))
	out_dir=$work/out-$cases
	mkdir "$out_dir" || exit 99
	before=$(cksum < "$IN")
	timeout 60 $HINTSTUB "$@" "$IN" "$out_dir/out.pb" > "$work/stdout" 2> "$work/all" < /dev/null
	status=$?
	# The staging directory holds every test plugin: the warning that the
	# unselected ones are not used is expected and beside the point here.
	grep -v 'neither selected with --plugins nor named in the rules' "$work/all" > "$work/stderr"
	[ "$status" -eq 1 ] || fail "$name: exit status $status, expected 1"
	[ "$(cat "$work/stderr")" = "hintstub: $msg" ] ||
		fail "$name: stderr was '$(cat "$work/stderr")', expected 'hintstub: $msg'"
	[ "$(cksum < "$IN")" = "$before" ] || fail "$name: the input changed"
	[ -z "$(ls -A "$out_dir")" ] || fail "$name: left $(ls -A "$out_dir")"
}

P="--plugin-path $plugins"
expect_refusal not-elf "plugin garbage: $plugins/garbage.so is not a shared object" $P --plugins garbage
expect_refusal no-entry "plugin noentry: $plugins/noentry.so has no entry symbol hintstub_plugin_init (define it with C linkage, inside extern \"C\" in C++, and exported: include <hintstub/plugin.h>, which declares it HS_PLUGIN_EXPORT, when building with -fvisibility=hidden)" $P --plugins noentry
expect_refusal wrong-abi "plugin badabi: ABI mismatch: host supports 2.1, plugin was built for 99.1" $P --plugins badabi
expect_refusal init-fails "plugin initfail: init failed: needs a license file" $P --plugins initfail
expect_refusal wrong-name "plugin wrongname: descriptor names itself 'somebody_else'; the file must be NAME.so" $P --plugins wrongname
expect_refusal untrusted "plugin shared: refusing $plugins/shared.so: writable by group or others" $P --plugins shared

# A missing plugin: the search list ends with the installed directory,
# which depends on the prefix; compare up to it.
cases=$((cases + 1))
timeout 60 $HINTSTUB $P --plugins missing "$IN" "$work/missing.pb" 2> "$work/stderr"
status=$?
case $(cat "$work/stderr") in
"hintstub: plugin missing: missing.so not found (searched: $plugins, "*")") ;;
*) fail "missing plugin: '$(cat "$work/stderr")'" ;;
esac
[ "$status" -eq 1 ] && [ ! -e "$work/missing.pb" ] || fail "missing plugin: status $status"

rules=$work/rules
mkdir "$rules" || exit 99
printf 'plugin alpha\nplugn beta\n' > "$rules/syntax.rules"
printf 'plugin alpha\nplugin nosuch\n' > "$rules/unknown.rules"
printf 'include "b.rules"\n' > "$rules/a.rules"
printf '# loops back\ninclude "a.rules"\n' > "$rules/b.rules"
printf 'plugin alpha before beta\nplugin beta before alpha\n' > "$rules/cycle.rules"
printf 'plugin alpha\ninclude "fifo"\n' > "$rules/fifo.rules"
mkfifo "$rules/fifo"
printf 'include "/dev/zero"\n' > "$rules/device.rules"
printf 'include "/dev/stdin"\n' > "$rules/stdin.rules"
mkdir "$rules/d"
printf 'include "."\n' > "$rules/d/self.rules"
printf 'include "d"\n' > "$rules/dir.rules"
printf 'option alpha.x = "unterminated\n' > "$rules/quote.rules"

expect_refusal rules-syntax "$rules/syntax.rules:2:1: unknown statement 'plugn'" $P --rules "$rules/syntax.rules"
cases=$((cases + 1))
timeout 60 $HINTSTUB $P --rules "$rules/unknown.rules" "$IN" "$work/unknown.pb" 2> "$work/stderr"
case $(cat "$work/stderr") in
"hintstub: $rules/unknown.rules:2:8: plugin nosuch: nosuch.so not found (searched: $plugins, "*")") ;;
*) fail "unknown plugin in rules: '$(cat "$work/stderr")'" ;;
esac
[ ! -e "$work/unknown.pb" ] || fail "unknown plugin in rules: output written"
expect_refusal include-loop "$rules/b.rules:2:9: include loop: $rules/a.rules -> $rules/b.rules -> $rules/a.rules" $P --rules "$rules/a.rules"
expect_refusal constraint-cycle "$rules/cycle.rules:1:8: before/after constraints form a cycle: alpha -> beta -> alpha" $P --rules "$rules/cycle.rules"
expect_refusal include-fifo "$rules/fifo.rules:2:9: included file $rules/fifo is not a regular file" $P --rules "$rules/fifo.rules"
expect_refusal include-device "$rules/device.rules:1:9: included file /dev/zero is not a regular file" $P --rules "$rules/device.rules"
expect_refusal include-stdin "$rules/stdin.rules:1:9: included file /dev/stdin is not a regular file" $P --rules "$rules/stdin.rules"
# A drop-in directory whose rule file includes the directory again.
expect_refusal include-dir "$rules/d/self.rules:1:9: include loop: $rules/d/self.rules -> $rules/d/self.rules" $P --rules "$rules/dir.rules"
expect_refusal rules-fifo "$rules/fifo: rule file is not a regular file" $P --rules "$rules/fifo"
expect_refusal rules-missing "$rules/none.rules: cannot open rule file: No such file or directory" $P --rules "$rules/none.rules"
cases=$((cases + 1))
timeout 60 $HINTSTUB $P --rules "$rules/quote.rules" "$IN" "$work/quote.pb" 2> "$work/stderr"
status=$?
grep -q "^hintstub: $rules/quote.rules:1:" "$work/stderr" && [ "$(wc -l < "$work/stderr")" -eq 1 ] &&
	[ "$status" -eq 1 ] && [ ! -e "$work/quote.pb" ] ||
	fail "unterminated quote: status $status, '$(cat "$work/stderr")'"

# Hostile plugins (tests/host/plugins/hostile.c), on the first call of IN.
UUID=47eb6ae2de2411e9a4834201c0a80701
expect_refusal lying-count "plugin hugesigs: descriptor declares 1073741824 signatures, more than the limit of 4096" $P --plugins hugesigs
expect_refusal null-args "plugin nullargs: signature 0 is incomplete" $P --plugins nullargs
cases=$((cases + 1))
timeout 60 $HINTSTUB $P --plugins hugesigs --list-plugins > /dev/null 2> "$work/stderr"
status=$?
[ "$status" -eq 1 ] && grep -q "more than the limit of 4096" "$work/stderr" ||
	fail "--list-plugins with a lying count: status $status, '$(cat "$work/stderr")'"
# exit() inside emit: status 1 with the plugin named, nothing written.
expect_refusal plugin-exit "plugin exiter, in emit (call $UUID): the plugin called exit(); nothing written" $P --plugins exiter
# A crash inside emit names the plugin, the callback and the call, and
# the process still dies of the signal (no core file).
cases=$((cases + 1))
mkdir "$work/crash" || exit 99
(ulimit -c 0; exec timeout 60 $HINTSTUB $P --plugins crasher "$IN" "$work/crash/out.pb") 2> "$work/stderr"
status=$?
# (A sanitizer build's handler takes over after the line and exits 1.)
[ "$status" -ne 0 ] || fail "plugin crash: status 0"
grep -qx "hintstub: crash (SIGSEGV) in plugin crasher, in emit (call $UUID)" "$work/stderr" ||
	fail "plugin crash: stderr '$(cat "$work/stderr")'"
[ -z "$(ls -A "$work/crash")" ] || fail "plugin crash: left $(ls -A "$work/crash")"
# Deleting a node that existed before the call is refused by the host;
# the plugin fails, the call stays, and what is written verifies.
cases=$((cases + 1))
timeout 60 $HINTSTUB $P --plugins deleter "$IN" "$work/deleted.pb" 2> "$work/stderr"
status=$?
[ "$status" -eq 0 ] || fail "deleter: status $status"
grep -q "remove refused: graph_remove_node: node 'unstack' existed before this call; emit may edit only the stub and the nodes it adds" "$work/stderr" ||
	fail "deleter: stderr '$(cat "$work/stderr")'"
timeout 60 $HINTSTUB inspect "$work/deleted.pb" > /dev/null 2>&1 || fail "deleter: the output does not load"
# A removal behind the host's back (the library's own symbol), then a
# failure: the graph is verified although no call converted, and nothing
# is written (it used to be written with a dangling input, exit 0).
expect_refusal bypass "$IN: the converted graph is invalid: node 'rnn/Shape': input 0 'unstack' names no node of the graph" $P --plugins bypasser
# An edit of a pre-existing node is refused even when the plugin goes on.
cases=$((cases + 1))
timeout 60 $HINTSTUB $P --plugins editor "$IN" "$work/edited.pb" 2> "$work/stderr"
status=$?
[ "$status" -eq 0 ] && ! grep -q edited_by_plugin "$work/edited.pb" ||
	fail "editor: status $status, or the edit of a pre-existing node reached the output"

echo "$cases cases, $failures failures"
[ "$failures" -eq 0 ]
