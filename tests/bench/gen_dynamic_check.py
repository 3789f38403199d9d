"""Checks a `hintstub-gen dynamic` graph with protobuf's own parser.

    gen_dynamic_check.py PB_MODULE_DIR GRAPH.pb --cell lstm|rnn --layers L
        [--loops N] [--bidirectional] [--head] [--stateless] [--peephole]
        [--proj P]

PB_MODULE_DIR holds graph_pb2.py (protoc --python_out of core/graph/graph.proto).
Checks: the bytes parse; every input of every node resolves (top level:
`node`, `node:k`, `^node`; inside a function: `node:out_arg:k`, bare argument
names, `^node`); each While/StatelessWhile names a cond and a body in the
library whose signatures match its inputs, T and output_shapes, whose ret
maps every output argument; one level-2 TfLiteDynamicRnn call per loop with
the mapping of spec §3.3; its body holds the weight hints and one step of L
level-1 cell hints with the layouts of spec §3.1/§3.2. Exit 1 with every
problem found, one a line.
"""
import argparse
import json
import sys

MAPPING = {
    "parent_first_child_input": [
        {"parent_ophint_input_index": 0, "first_child_ophint_input_index": 0}],
    "parent_last_child_output": [
        {"parent_output_index": 0, "child_output_index": -1}],
    "internal_children_input_output": [
        {"child_input_index": 0, "child_output_index": -1}],
}

problems = []


def problem(text):
    problems.append(text)


def attr_s(node, key):
    a = node.attr.get(key)
    return a.s.decode() if a is not None and a.WhichOneof("value") == "s" else None


def attr_i(node, key):
    a = node.attr.get(key)
    return a.i if a is not None and a.WhichOneof("value") == "i" else None


def hints(nodes):
    """uuid -> {function, level, mapping, inputs {index: [(sort, agg)]},
    outputs likewise}, in order of first appearance."""
    calls = {}
    for n in nodes:
        uuid = attr_s(n, "_tflite_function_uuid")
        if not uuid:
            continue
        c = calls.setdefault(uuid, {"function": attr_s(n, "_tflite_function_name"),
                                    "level": attr_i(n, "_tflite_ophint_level"),
                                    "mapping": set(), "inputs": {}, "outputs": {}})
        m = attr_s(n, "_tflite_children_ophint_inputs_mapping")
        c["mapping"].add(m)
        sort = attr_i(n, "_tflite_function_sort_index")
        agg = attr_s(n, "_tflite_function_aggregate")
        for key, side in (("_tflite_function_input_index", "inputs"),
                          ("_tflite_function_output_index", "outputs")):
            idx = attr_i(n, key)
            if idx is not None:
                c[side].setdefault(idx, []).append((sort, agg))
    return calls


def check_top_inputs(g):
    names = {n.name for n in g.node}
    if len(names) != len(g.node):
        problem("top level: duplicate node names")
    for n in g.node:
        for i in n.input:
            base = i[1:] if i.startswith("^") else i.split(":")[0]
            if base not in names:
                problem("top level: %s reads missing %s" % (n.name, i))
    return names


def check_function(f):
    args = [a.name for a in f.signature.input_arg]
    outs = [a.name for a in f.signature.output_arg]
    nodes = {n.name for n in f.node_def}
    where = "function %s" % f.signature.name
    if len(set(args)) != len(args) or len(set(outs)) != len(outs):
        problem("%s: duplicate argument names" % where)
    if set(args) & nodes:
        problem("%s: argument names equal node names" % where)

    def resolves(ref):
        if ref.startswith("^"):
            return ref[1:] in nodes
        parts = ref.split(":")
        if len(parts) == 1:
            return ref in args
        return len(parts) == 3 and parts[0] in nodes and parts[2].isdigit()

    for n in f.node_def:
        for i in n.input:
            if not resolves(i):
                problem("%s: %s reads %s, not a node:out:k or an argument" % (where, n.name, i))
    if set(f.ret.keys()) != set(outs):
        problem("%s: ret keys %s differ from output args" % (where, sorted(f.ret.keys())))
    for k, v in f.ret.items():
        if not resolves(v):
            problem("%s: ret %s -> %s does not resolve" % (where, k, v))


def lstm_layout(peephole, proj):
    ins = {0: ("stack",), 18: ("first",), 19: ("first",)}
    for i in list(range(1, 9)) + list(range(12, 16)):
        ins[i] = None
    if peephole:
        for i in (9, 10, 11):
            ins[i] = None
    if proj:
        ins[16] = None
    return ins, {1: ("last",), 2: ("stack",)}


def rnn_layout():
    return ({0: ("stack",), 1: None, 2: None, 3: None, 4: ("first",)},
            {1: ("stack",)})


def check_child(where, c, cell, args):
    fn = "UnidirectionalSequenceLstm" if cell == "lstm" else "UnidirectionalSequenceRnn"
    if c["function"] != fn:
        problem("%s: child function %s, expected %s" % (where, c["function"], fn))
    if c["level"] != 1:
        problem("%s: child level %s, expected 1" % (where, c["level"]))
    ins, outs = lstm_layout(args.peephole, args.proj) if cell == "lstm" else rnn_layout()
    for side, want in (("inputs", ins), ("outputs", outs)):
        got = c[side]
        if set(got) != set(want):
            problem("%s: %s indices %s, expected %s" % (where, side, sorted(got), sorted(want)))
            continue
        for idx, tag in want.items():
            elems = got[idx]
            if tag is None:
                if elems != [(None, None)]:
                    problem("%s: %s %d should be one untagged hint: %s" % (where, side, idx, elems))
            elif elems != [(0, tag[0])]:
                problem("%s: %s %d should be one element, sort 0, %s: %s" % (where, side, idx, tag[0], elems))


def check_loop(g, lib, w, args, body_names):
    where = "While %s" % w.name
    cond = lib.get(w.attr["cond"].func.name)
    body = lib.get(w.attr["body"].func.name)
    if cond is None or body is None:
        problem("%s: cond or body missing from the library" % where)
        return None
    n = len(w.input)
    for what, count in (("T", len(w.attr["T"].list.type)),
                        ("output_shapes", len(w.attr["output_shapes"].list.shape)),
                        ("cond inputs", len(cond.signature.input_arg)),
                        ("body inputs", len(body.signature.input_arg)),
                        ("body outputs", len(body.signature.output_arg))):
        if count != n:
            problem("%s: %d inputs but %s has %d" % (where, n, what, count))
    for k, (t, a) in enumerate(zip(w.attr["T"].list.type, body.signature.input_arg)):
        if a.type != t or body.signature.output_arg[k].type != t:
            problem("%s: input %d type %d, body arg type %d" % (where, k, t, a.type))
    if [a.type for a in cond.signature.output_arg] != [10]:
        problem("%s: cond must return one bool" % where)
    children = hints(body.node_def)
    if len(children) != args.layers:
        problem("%s: body %s holds %d child calls, expected %d"
                % (where, body.signature.name, len(children), args.layers))
    for uuid, c in children.items():
        check_child("%s child %s" % (where, uuid), c, args.cell, args)
    names = {x.name for x in body.node_def}
    for uuid in children:
        names = {x.replace(uuid, "<uuid>") for x in names}
    body_names.append(names)
    return children


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("pbdir")
    ap.add_argument("graph")
    ap.add_argument("--cell", choices=("lstm", "rnn"), required=True)
    ap.add_argument("--layers", type=int, required=True)
    ap.add_argument("--loops", type=int, default=1)
    ap.add_argument("--bidirectional", action="store_true")
    ap.add_argument("--head", action="store_true")
    ap.add_argument("--stateless", action="store_true")
    ap.add_argument("--peephole", action="store_true")
    ap.add_argument("--proj", type=int, default=0)
    args = ap.parse_args()
    sys.path.insert(0, args.pbdir)
    import graph_pb2  # noqa: E402

    g = graph_pb2.GraphDef()
    with open(args.graph, "rb") as f:
        g.ParseFromString(f.read())
    top = check_top_inputs(g)
    lib = {f.signature.name: f for f in g.library.function}
    if len(lib) != len(g.library.function):
        problem("library: duplicate function names")
    for f in g.library.function:
        check_function(f)

    loops = 2 if args.bidirectional else args.loops
    want_op = "StatelessWhile" if args.stateless else "While"
    whiles = [n for n in g.node if n.op in ("While", "StatelessWhile")]
    if len(whiles) != loops or any(w.op != want_op for w in whiles):
        problem("%d %s nodes, expected %d" % (len(whiles), want_op, loops))
    if len(lib) != 2 * loops:
        problem("library holds %d functions, expected %d" % (len(lib), 2 * loops))
    body_names = []
    children = {}
    for w in whiles:
        children.update(check_loop(g, lib, w, args, body_names) or {})

    parents = hints(g.node)
    if len(parents) != loops:
        problem("top level: %d calls, expected %d TfLiteDynamicRnn" % (len(parents), loops))
    for uuid, c in parents.items():
        where = "call %s" % uuid
        if c["function"] != "TfLiteDynamicRnn" or c["level"] != 2:
            problem("%s: %s level %s, expected TfLiteDynamicRnn level 2" % (where, c["function"], c["level"]))
        if c["inputs"] != {0: [(None, None)]} or c["outputs"] != {0: [(None, None)]}:
            problem("%s: expected one untagged input 0 and output 0" % where)
        if len(c["mapping"]) != 1 or json.loads(next(iter(c["mapping"]))) != MAPPING:
            problem("%s: mapping JSON %s differs from spec §3.3" % (where, c["mapping"]))
        if uuid in children:
            problem("%s: parent uuid reused by a child" % where)
    if len(children) != loops * args.layers:
        problem("%d distinct child uuids, expected %d" % (len(children), loops * args.layers))

    if args.bidirectional:
        if len(body_names) == 2 and body_names[0] != body_names[1]:
            problem("bidirectional: fw and bw bodies should have the same node names (but uuids)")
        for n in ("bidirectional_rnn/bw/ReverseV2", "ReverseV2", "concat"):
            if n not in top:
                problem("bidirectional: no %s" % n)
    if args.head:
        if "add" not in top or not all("add" in b for b in body_names):
            problem("head: top-level `add` beside the body's `add` expected")
    if "OUTPUT" not in top:
        problem("no OUTPUT node")

    for p in problems:
        print("FAIL: %s: %s" % (args.graph, p))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
