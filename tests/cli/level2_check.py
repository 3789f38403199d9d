#!/usr/bin/env python3
"""Checks one level-2 conversion (tests/cli/level2.sh): IN and OUT as text
(.pbtxt, as hintstub writes them), the expected number of stubs, their op
and the port a stub reads its predecessor at.  Every stub chain starts at
a TfLiteDynamicRnn input hint, link j reads stub j-1 at PORT, the parent's
output hint reads the last stub; no While, StatelessWhile or TensorList*
node is left, no input dangles, and every node that is gone was loop
machinery (nothing the user computes)."""
import re
import sys

LOOP_OPS = {"While", "StatelessWhile", "Shape", "StridedSlice", "Maximum",
            "Minimum", "Const", "Fill", "Pack", "ConcatV2"}


def nodes_of(path):
    text = open(path).read().split("\nlibrary {")[0]
    out = {}
    for blk in re.findall(r"^node \{\n(.*?)^\}", text, re.S | re.M):
        name = re.search(r'^  name: "(.*)"', blk, re.M).group(1)
        op = re.search(r'^  op: "(.*)"', blk, re.M).group(1)
        ins = re.findall(r'^  input: "(.*)"', blk, re.M)
        out[name] = (op, ins, blk)
    return out


def stub_shapes(path):
    """Per stub in file order: op, input count, _tflite_input_indices,
    _output_types, and whether input 0 reads another stub (at which port)."""
    b = nodes_of(path)
    out = []
    for n, (op, ins, blk) in b.items():
        if not op.startswith("UnidirectionalSequence"):
            continue
        attrs = dict((k, " ".join(v.split())) for k, v in
                     re.findall(r'key: "(\w+)"\n    value \{\n(.*?)\n    \}', blk, re.S))
        first = ins[0].split(":")
        reads = first[1] if first[0] in b and b[first[0]][0] == op else None
        out.append((op, len(ins), attrs.get("_tflite_input_indices"),
                    attrs.get("_output_types"), reads))
    return sorted(out, key=lambda t: t[4] is not None)


def same_as_static(static, dynamic):
    """The dynamic_rnn conversion has the stubs the static_rnn one has."""
    a, b = stub_shapes(static), stub_shapes(dynamic)
    if a != b:
        print("level2_check: static %r\n  dynamic %r" % (a, b))
        return 1
    return 0


def main():
    if sys.argv[1] == "--same-as-static":
        return same_as_static(sys.argv[2], sys.argv[3])
    src, dst, want, op, port = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5]
    a, b = nodes_of(src), nodes_of(dst)
    bad = []
    stubs = [n for n, v in b.items() if v[0].startswith("UnidirectionalSequence")]
    if len(stubs) != want:
        bad.append("%d stubs, expected %d" % (len(stubs), want))
    bad += ["stub %s is %s, expected %s" % (s, b[s][0], op) for s in stubs if b[s][0] != op]
    for n, v in b.items():
        if v[0] in ("While", "StatelessWhile") or v[0].startswith("TensorList"):
            bad.append("loop node left: %s (%s)" % (n, v[0]))
        for i in v[1]:
            if i.lstrip("^").split(":")[0] not in b:
                bad.append("%s reads %s, which is no node" % (n, i))
    for n, v in a.items():
        if n not in b and v[0] not in LOOP_OPS and not v[0].startswith("TensorList"):
            bad.append("node %s (%s) is gone" % (n, v[0]))
        if n in b and b[n][0] != v[0]:
            bad.append("node %s changed op %s -> %s" % (n, v[0], b[n][0]))
    # The chains: a stub fed by a parent input hint starts one.
    for s in stubs:
        first = b[s][1][0]
        if first in stubs or first.split(":")[0] in stubs:
            continue
        if "InputHint-TfLiteDynamicRnn" not in first:
            bad.append("stub %s reads %s first" % (s, first))
            continue
        chain, cur = [s], s
        while True:
            nxt = [t for t in stubs if b[t][1][0] == cur + ":" + port]
            if not nxt:
                break
            chain.append(nxt[0])
            cur = nxt[0]
        outs = [n for n, v in b.items() if "OutputHint-TfLiteDynamicRnn" in n and v[1] == [cur + ":" + port]]
        if not outs:
            bad.append("no parent output hint reads the last stub %s:%s" % (cur, port))
        if len(chain) * (len(stubs) // len(chain)) != len(stubs):
            bad.append("chain of %d from %s" % (len(chain), s))
    for line in bad[:20]:
        print("level2_check: %s: %s" % (dst, line))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
