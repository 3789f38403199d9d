#!/bin/sh
# Graphs past 32-bit offsets (not part of `make check`: it needs ~7 GiB of
# disk, mostly sparse, and ~5 GiB of memory; run `make check-big`).
#  1. a 2.4 GiB graph (two 1.2 GiB Const nodes, then a node reading the
#     second) converts to a byte-identical copy: offsets past 2 GiB work;
#  2. a file of 4 GiB and more (here: one node field larger than 4 GiB) is
#     refused from its size with its message (nodes keep 32-bit offsets);
#  3. --max-file-size refuses the same file before reading it.
set -u
srcdir=${srcdir:-.}
HINTSTUB=${HINTSTUB:-./hintstub}
work=$(mktemp -d "${BIG_TMPDIR:-.}/hintstub-big-XXXXXX") || exit 99
trap 'rm -rf "$work"' EXIT
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }

# Protobuf varint of $1 as printf octal escapes.
varint() {
	v=$1 out=
	while [ "$v" -ge 128 ]; do
		out="$out$(printf '\\%03o' $(( (v & 127) | 128 )))"
		v=$((v >> 7))
	done
	printf '%s\\%03o' "$out" "$v"
}
len() { printf "$1" | wc -c; }

# put FILE OFFSET ESCAPED-BYTES: writes bytes at an offset, keeping the rest.
put() { printf "$3" | dd of="$1" bs=1M oflag=seek_bytes seek="$2" conv=notrunc status=none; }

# A Const node named $1 whose tensor_content is $2 zero bytes: prints the
# header (everything before the content) as escapes.
const_header() {
	name=$1 size=$2
	t="\\042$(varint "$size")"                     # tensor_content (4)
	v="\\102$(varint $(( $(len "$t") + size )))"     # AttrValue.tensor (8)
	e="\\012\\005value\\022$(varint $(( $(len "$v") + $(len "$t") + size )))"
	body_head="\\012$(varint ${#name})$name\\022\\005Const\\052$(varint $(( $(len "$e") + $(len "$v") + $(len "$t") + size )))"
	node_len=$(( $(len "$body_head") + $(len "$e") + $(len "$v") + $(len "$t") + size ))
	printf '%s' "\\012$(varint $node_len)$body_head$e$v$t"
}

big=$work/big.pb
size=$((1200 * 1024 * 1024))
h1=$(const_header a $size)
h2=$(const_header b $size)
off=0
put "$big" $off "$h1"; off=$((off + $(len "$h1") + size))
put "$big" $off "$h2"; off=$((off + $(len "$h2") + size))
tail_node="\\012\\020\\012\\001c\\022\\010Identity\\032\\001b"
put "$big" $off "$tail_node"
total=$((off + $(len "$tail_node")))
[ "$(stat -c %s "$big")" -eq "$total" ] || fail "generator: size $(stat -c %s "$big") != $total"
echo "big graph: $total bytes; last node at byte $off"

start=$(date +%s)
$HINTSTUB "$big" "$work/out.pb" 2> "$work/stderr" || fail "2.4 GiB graph: $(cat "$work/stderr")"
end=$(date +%s)
cmp -s "$big" "$work/out.pb" || fail "2.4 GiB graph: output differs from input"
echo "2.4 GiB graph converted (byte-identical) in $((end - start)) s"
rm -f "$work/out.pb"

huge=$work/huge.pb
hsize=$(( (4 << 30) + 100 ))
put "$huge" 0 "\\012$(varint $hsize)"
truncate -s $(( hsize + $(len "\\012$(varint $hsize)") )) "$huge"
$HINTSTUB --max-file-size=16G "$huge" "$work/out.pb" 2> "$work/stderr"
status=$?
[ "$status" -eq 1 ] &&
	[ "$(cat "$work/stderr")" = "hintstub: $huge: input is $(stat -c %s "$huge") bytes, more than the largest GraphDef hintstub reads (4294967295 bytes, 4 GiB - 1; protobuf refuses 2 GiB and more)" ] ||
	fail "node > 4 GiB: status $status, stderr '$(cat "$work/stderr")'"
[ ! -e "$work/out.pb" ] || fail "node > 4 GiB: output written"
$HINTSTUB --max-file-size=4G "$huge" "$work/out.pb" 2> "$work/stderr"
status=$?
[ "$status" -eq 1 ] &&
	[ "$(cat "$work/stderr")" = "hintstub: $huge: file is $(stat -c %s "$huge") bytes, more than the limit of 4294967296" ] ||
	fail "--max-file-size: status $status, stderr '$(cat "$work/stderr")'"

echo "$failures failures"
[ "$failures" -eq 0 ]
