#!/bin/sh
# The layers of core/ call only downward, and the linker proves it.
#
# Each layer's convenience library is linked whole (every object, not just
# those something needs) into a shared object together with the layers
# below it, with --no-undefined: a symbol a layer takes from a layer above
# it is then undefined and the link fails.  A control case shows the check
# can fail: an object calling upward (the graph layer calling the plan)
# must not link.
#
# Last, the modules (object files) of all layers are checked for cycles.
#
# Order, lowest first (core/local.mk): util graph calls ophint host plan
# apply report; eval uses only graph and util.  host and plan do not use ophint: the registry and the
# plan work on any call set, whoever detected it.
set -u
work=$(mktemp -d "${TMPDIR:-/tmp}/hs-layers-XXXXXX") || exit 99
trap 'rm -rf "$work"' EXIT
cc=${HS_CC:-cc}
# The build's own flags: a sanitizer build's objects need its runtime.
cflags=${HS_CFLAGS:-}
ext_libs="${HS_EXT_LIBS:--lprotobuf-c -ldl}"
failures=0

lib() { echo "core/$1/.libs/libhs_$1.a"; }

for l in util graph calls ophint host plan apply report eval; do
	[ -f "$(lib "$l")" ] || { echo "SKIP: $(lib "$l") not built (static convenience libraries needed)"; exit 77; }
done

# below LAYER: the layers LAYER may use.
below() {
	case $1 in
	util) echo "";;
	graph) echo "util";;
	calls) echo "graph util";;
	ophint) echo "calls graph util";;
	host) echo "calls graph util";;
	plan) echo "host calls graph util";;
	apply) echo "plan host ophint calls graph util";;
	report) echo "apply plan host ophint calls graph util";;
	eval) echo "graph util";;
	esac
}

# link NAME LAYER... : one shared object of these layers, whole.
link() {
	name=$1
	shift
	archives=""
	for x in "$@"; do archives="$archives $(lib "$x")"; done
	# shellcheck disable=SC2086
	$cc $cflags -shared -o "$work/$name.so" "$work/empty.o" -Wl,--whole-archive $archives \
		-Wl,--no-whole-archive $ext_libs -Wl,--no-undefined 2> "$work/$name.err"
}

printf 'int hs_layer_check_empty;\n' > "$work/empty.c"
$cc $cflags -fPIC -c -o "$work/empty.o" "$work/empty.c" || exit 99

for l in util graph calls ophint host plan apply report eval; do
	# shellcheck disable=SC2046
	if link "$l" "$l" $(below "$l"); then
		echo "ok: $l links with only: $(below "$l")"
	else
		echo "FAIL: layer $l uses a layer above it:"
		grep -o "undefined reference to \`[^']*'" "$work/$l.err" | sort -u | head -n 10
		failures=$((failures + 1))
	fi
done

# Control: the graph layer calling the plan must fail to link.
printf '#include <hintstub/hintstub.h>\nint hs_layer_upward(void) { return hs_plan_new(0, 0, 0, 0); }\n' \
	> "$work/upward.c"
$cc $cflags -fPIC -I"${HS_SRCDIR:-.}/include" -c -o "$work/upward.o" "$work/upward.c" || exit 99
if $cc $cflags -shared -o "$work/upward.so" "$work/upward.o" -Wl,--whole-archive "$(lib graph)" \
	"$(lib util)" -Wl,--no-whole-archive $ext_libs -Wl,--no-undefined 2> "$work/upward.err"; then
	echo "FAIL: an upward call (graph -> hs_plan_new) linked: the check proves nothing"
	failures=$((failures + 1))
elif grep -q "hs_plan_new" "$work/upward.err"; then
	echo "ok: an upward call (graph -> hs_plan_new) fails to link"
else
	echo "FAIL: the upward link failed for another reason:"
	cat "$work/upward.err"
	failures=$((failures + 1))
fi

# Within and across layers, modules form no cycle: module A uses module
# B when an object of A leaves undefined a symbol an object of B defines.
for l in util graph calls ophint host plan apply report eval; do
	nm -A -g --defined-only "$(lib "$l")" 2>/dev/null |
		awk '$2 ~ /^[TDBRCV]$/ { split($1, p, ":"); print $3, p[2] }'
done | sed 's/ libhs_[a-z]*_la-/ /; s/\.o$//' | sort -u > "$work/defs"
for l in util graph calls ophint host plan apply report eval; do
	nm -A -u "$(lib "$l")" 2>/dev/null | awk '{ split($1, p, ":"); print $NF, p[2] }'
done | sed 's/ libhs_[a-z]*_la-/ /; s/\.o$//' | sort -u > "$work/uses"
join "$work/uses" "$work/defs" | awk '$2 != $3 { print $2, $3 }' | sort -u > "$work/edges"
if [ ! -s "$work/edges" ]; then
	echo "FAIL: no module dependencies found (nm output not understood)"
	failures=$((failures + 1))
elif tsort "$work/edges" > /dev/null 2> "$work/tsort.err"; then
	echo "ok: the $(wc -l < "$work/edges") dependencies between modules form no cycle"
else
	echo "FAIL: modules depend on each other in a cycle:"
	grep -v 'input contains a loop' "$work/tsort.err" | sed 's/^tsort: /  /'
	failures=$((failures + 1))
fi

echo "$((11 - failures)) passed, $failures failed"
[ "$failures" -eq 0 ]
