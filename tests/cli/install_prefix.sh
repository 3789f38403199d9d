#!/bin/sh
# The install trap (issue 14): a copy of this build tree, configured for
# the default prefix and built, is reconfigured with another prefix and
# installed there (a VPATH build, as in distcheck, configures a new build
# directory instead); the installed CLI must run without LD_LIBRARY_PATH (its
# rpath names the new libdir), find its plugins and rules in the new
# prefix, not the old, and read include <default.rules> and the rules.d/
# drop-ins; hintstub-gen is installed; hintstub.pc links a program against
# the static library with `pkg-config --static`.
set -eu
srcdir=${srcdir:-.}
abs_srcdir=$(cd "$srcdir" && pwd)
build=$(pwd)
CC=${HS_CC:-${CC:-cc}}
fail() { echo "FAIL: $*" >&2; exit 1; }
command -v pkg-config > /dev/null || { echo "SKIP: no pkg-config"; exit 77; }
work=$(mktemp -d "$build/tests/tmp-prefix-XXXXXX")
trap 'rm -rf "$work"' EXIT
copy=$work/tree
prefix=$work/p2
mkdir "$copy"
opts=$(cd "$build" && ./config.status --config)
# A tree configured with its own --libdir (Debian's package build: a
# multiarch one) is not the layout this test moves; tests/packaging/deb.sh
# checks the packaged install instead.
case $opts in *--libdir=*)
	echo "SKIP: configured with --libdir (checked for the default layout only)"; exit 77 ;;
esac
if [ "$abs_srcdir" = "$build" ]; then
	# The build tree with its timestamps (sources included), without
	# what tests leave in it.
	(cd "$build" && tar cf - --exclude=./.git --exclude='./tests/tmp-*' \
		--exclude='*.log' --exclude='*.trs' --exclude=./bench/data .) |
		(cd "$copy" && tar xf -)
	conf=./configure
else
	conf=$abs_srcdir/configure
fi
(
	cd "$copy"
	# Same options, another prefix: config.h changes, and make rebuilds
	# and relinks what uses the directories.
	eval "set -- $opts"
	for a; do
		shift
		case $a in --srcdir=*|--prefix=*) ;; *) set -- "$@" "$a" ;; esac
	done
	"$conf" -q "$@" --prefix="$prefix" > "$work/configure.out" 2>&1 ||
		{ cat "$work/configure.out" >&2; exit 1; }
	grep -q "HS_PLUGINDIR \"$prefix/lib/hintstub/plugins\"" config.h
	make -s -j2 install > "$work/install.out" 2>&1 ||
		{ tail -20 "$work/install.out" >&2; exit 1; }
) || fail "reconfigure with --prefix=$prefix and make install"
! grep -q "cannot remove 'core'" "$work/configure.out" || fail "configure printed rm errors"
rm -rf "$copy"

bin=$prefix/bin
unset LD_LIBRARY_PATH HINTSTUB_PLUGIN_PATH HINTSTUB_RULES_DIR || true
[ -x "$bin/hintstub-gen" ] || fail "hintstub-gen not installed"
[ -f "$prefix/share/man/man1/hintstub-gen.1" ] || fail "hintstub-gen.1 not installed"
"$bin/hintstub" --list-plugins > "$work/list" 2>&1 || fail "installed hintstub: $(cat "$work/list")"
for p in lstm rnn conv; do
	grep -q "$prefix/lib/hintstub/plugins/$p.so" "$work/list" ||
		fail "installed hintstub does not load $p from $prefix: $(cat "$work/list")"
done
"$bin/hintstub" inspect "$abs_srcdir/examples/ophint_lstm.pb" | grep -q 'UnidirectionalSequenceLstm' ||
	fail "installed hintstub does not convert the LSTM example with its plugins"

# A stacked custom call: its output Packs, read by nothing, survive.
"$bin/hintstub-gen" custom -q --function MyGru --interior MatMul,Sigmoid,Mul,Add,Tanh \
	--inputs 3 --outputs 2 --stack 4 -o "$work/gru.pb"
"$bin/hintstub" "$work/gru.pb" "$work/gru.out.pb"
"$bin/hintstub" inspect "$work/gru.out.pb" > "$work/gru.inspect"
grep -q '^  MyGru  *1$' "$work/gru.inspect" || fail "no MyGru stub: $(cat "$work/gru.inspect")"
grep -q '^  Pack  *2$' "$work/gru.inspect" || fail "the stacked outputs are lost: $(cat "$work/gru.inspect")"

# include <default.rules> and a drop-in of the installed rules directory.
rules=$prefix/share/hintstub/rules
[ -d "$rules/rules.d" ] || fail "rules.d/ not installed"
"$bin/hintstub-gen" custom -q --function MySwish --interior Sigmoid,Mul -o "$work/swish.pb"
printf 'include <default.rules>\n' > "$work/mine.rules"
"$bin/hintstub" explain --rules "$work/mine.rules" "$abs_srcdir/examples/ophint_lstm.pb" > "$work/explain1"
grep -q 'converted by lstm' "$work/explain1" || fail "include <default.rules>: $(cat "$work/explain1")"
"$bin/hintstub" explain --rules "$work/mine.rules" "$work/swish.pb" > "$work/explain1"
grep -q 'generic stub' "$work/explain1" || fail "swish before the drop-in: $(cat "$work/explain1")"
printf 'unclaimed keep\n' > "$rules/rules.d/50-keep.rules"
"$bin/hintstub" explain --rules "$work/mine.rules" "$work/swish.pb" > "$work/explain2"
if grep -q 'generic stub' "$work/explain2" || ! grep -q 'kept' "$work/explain2"; then
	fail "drop-in not read: $(cat "$work/explain2")"
fi
rm "$rules/rules.d/50-keep.rules"

# pkg-config: the installed library, shared and static.
export PKG_CONFIG_PATH="$prefix/lib/pkgconfig"
[ "$(pkg-config --variable=rulesdir hintstub)" = "$rules" ] || fail "hintstub.pc: rulesdir"
[ "$(pkg-config --variable=plugindir hintstub)" = "$prefix/lib/hintstub/plugins" ] ||
	fail "hintstub.pc: plugindir"
# The template plugin, built out of the tree against the installed
# hintstub, runs its own checks through the installed CLI.
cp "$abs_srcdir"/examples/template/* "$work/"
chmod 700 "$work"
PATH="$bin:$PATH" ${MAKE:-make} -s -C "$work" check CC="$CC" \
	CFLAGS="${HS_CFLAGS:-} -Wall -Wextra -Werror" > "$work/template.log" 2>&1 ||
	fail "examples/template against $prefix: $(cat "$work/template.log")"
# IN OUT [PLUGIN_DIR PLUGIN]: converts through the C API, with the plugin
# when given; prints the plugin that converted the first call.
cat > "$work/tiny.c" <<'C'
#include <stdio.h>
#include <hintstub/hintstub.h>
#include <hintstub/plugin.h>
int main(int argc, char **argv)
{
	hs_graph *g = NULL;
	hs_registry *r = NULL;
	hs_report *rep = NULL;
	hs_convert_options o = HS_CONVERT_OPTIONS_INIT;
	if (argc == 5 && (hs_registry_new(&r, 0) != HS_OK ||
			  hs_registry_add_search_dir(r, argv[3]) != HS_OK ||
			  hs_registry_load_plugin(r, argv[4]) != HS_OK))
		goto fail;
	o.plan.registry = r;
	if (hs_graph_load_file(&g, argv[1], NULL) != HS_OK ||
	    hs_convert(&rep, g, &o) != HS_OK ||
	    hs_graph_write_file(g, argv[2]) != HS_OK)
		goto fail;
	const hs_call_report *e = hs_report_count(rep) ? hs_report_entry(rep, 0) : NULL;
	printf("%s\n", e && e->plugin ? e->plugin : "-");
	hs_report_free(rep);
	hs_graph_free(g);
	hs_registry_free(r);
	return 0;
fail:
	fprintf(stderr, "%s\n", hs_error_last());
	return 1;
}
C
# shellcheck disable=SC2046,SC2086
$CC ${HS_CFLAGS:-} -o "$work/tiny-static" "$work/tiny.c" $(pkg-config --cflags hintstub) \
	-Wl,-Bstatic $(pkg-config --static --libs hintstub) -Wl,-Bdynamic ||
	fail "pkg-config --static link"
"$work/tiny-static" "$work/swish.pb" "$work/swish.out.pb" > "$work/by" || fail "static program does not convert"
[ "$(cat "$work/by")" = generic ] || fail "static program: converted by $(cat "$work/by")"
# shellcheck disable=SC2046,SC2086
$CC ${HS_CFLAGS:-} -o "$work/tiny" "$work/tiny.c" $(pkg-config --cflags --libs hintstub) \
	-Wl,-rpath,"$prefix/lib" || fail "pkg-config shared link"
"$work/tiny" "$work/swish.pb" "$work/swish.out2.pb" "$work" myswish > "$work/by" ||
	fail "shared program does not convert"
[ "$(cat "$work/by")" = myswish ] || fail "C API with the template plugin: converted by $(cat "$work/by")"
"$work/tiny-static" "$work/swish.pb" "$work/swish.out3.pb" "$work" myswish > "$work/by" ||
	fail "static program does not convert with the plugin"
[ "$(cat "$work/by")" = myswish ] || fail "static C API with the template plugin: $(cat "$work/by")"
echo "install_prefix: PASS"
