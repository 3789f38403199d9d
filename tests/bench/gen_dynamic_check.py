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


# ---------------------------------------------------------------- numbers
# A small interpreter of the ops the generator writes (While included),
# against a direct numpy LSTM/RNN over the graph's own weights: the graph
# must compute TensorFlow's semantics, not just have its shape.


def tensor_value(np, t):
    shape = [d.size for d in t.tensor_shape.dim]
    dt = {1: np.float32, 3: np.int32}[t.dtype]
    if t.tensor_content:
        return np.frombuffer(t.tensor_content, dtype=dt).reshape(shape).copy()
    vals = list(t.float_val) if t.dtype == 1 else list(t.int_val)
    if len(vals) == 1 and shape:
        return np.full(shape, vals[0], dtype=dt)
    return np.array(vals, dtype=dt).reshape(shape)


def run_op(np, lib, n, ins):
    op, a = n.op, n.attr
    if op == "Const":
        return [tensor_value(np, a["value"].tensor)]
    if op == "Identity":
        return [ins[0]]
    if op == "Shape":
        return [np.array(ins[0].shape, dtype=np.int32)]
    if op == "StridedSlice":
        b, e, st = ins[1][0], ins[2][0], ins[3][0]
        assert a["shrink_axis_mask"].i == 1 and len(ins[1]) == 1
        return [ins[0][b]]
    if op in ("Maximum", "Minimum", "Add", "AddV2", "Mul", "Less", "LogicalAnd"):
        f = {"Maximum": np.maximum, "Minimum": np.minimum, "Add": np.add,
             "AddV2": np.add, "Mul": np.multiply, "Less": np.less,
             "LogicalAnd": np.logical_and}[op]
        return [f(ins[0], ins[1])]
    if op == "Sigmoid":
        return [1 / (1 + np.exp(-ins[0]))]
    if op == "Tanh":
        return [np.tanh(ins[0])]
    if op == "BiasAdd":
        return [ins[0] + ins[1]]
    if op == "MatMul":
        x, y = ins
        if a["transpose_a"].b:
            x = x.T
        if a["transpose_b"].b:
            y = y.T
        return [x @ y]
    if op == "ConcatV2":
        return [np.concatenate(ins[:-1], axis=int(ins[-1]))]
    if op == "Fill":
        return [np.full(ins[0], ins[1], dtype=ins[1].dtype)]
    if op == "Transpose":
        return [np.transpose(ins[0], ins[1])]
    if op == "Unpack":
        return list(np.moveaxis(ins[0], a["axis"].i, 0))
    if op == "Softmax":
        e = np.exp(ins[0] - ins[0].max(axis=-1, keepdims=True))
        return [e / e.sum(axis=-1, keepdims=True)]
    if op == "Reshape":
        return [ins[0].reshape(ins[1])]
    if op == "ReverseV2":
        return [np.flip(ins[0], axis=tuple(int(x) for x in ins[1]))]
    if op == "TensorListReserve":
        return [[None] * int(ins[1])]
    if op == "TensorListFromTensor":
        return [list(ins[0])]
    if op == "TensorListGetItem":
        return [ins[0][int(ins[1])]]
    if op == "TensorListSetItem":
        out = list(ins[0])
        out[int(ins[1])] = ins[2]
        return [out]
    if op == "TensorListStack":
        return [np.stack(ins[0])]
    if op in ("While", "StatelessWhile"):
        cond, body = lib[a["cond"].func.name], lib[a["body"].func.name]
        vals = list(ins)
        while call_function(np, lib, cond, vals)[0]:
            vals = call_function(np, lib, body, vals)
        return vals
    raise ValueError("evaluate: op %s not supported" % op)


def call_function(np, lib, f, args):
    env = {a.name: v for a, v in zip(f.signature.input_arg, args)}
    outs = {}

    def ref(r):
        parts = r.split(":")
        return env[r] if len(parts) == 1 else outs[parts[0]][int(parts[2])]
    for n in f.node_def:  # the generator writes bodies in topological order
        outs[n.name] = run_op(np, lib, n, [ref(i) for i in n.input if not i.startswith("^")])
    return [ref(f.ret[a.name]) for a in f.signature.output_arg]


def evaluate_graph(np, g, lib, feeds, target):
    nodes = {n.name: n for n in g.node}
    memo = {}

    def value(r):
        name, _, port = r.partition(":")
        if name not in memo:
            n = nodes[name]
            if n.op == "Placeholder":
                memo[name] = [feeds[name]]
            else:
                memo[name] = run_op(np, lib, n, [value(i) for i in n.input if not i.startswith("^")])
        return memo[name][int(port or 0)]
    return value(target)


def reference(np, g, args, x):
    consts = {n.name: tensor_value(np, n.attr["value"].tensor) for n in g.node if n.op == "Const"}
    sig = lambda v: 1 / (1 + np.exp(-v))

    def stack(var_scope, xs):
        batch = xs.shape[1]
        layers = []
        for l in range(args.layers):
            w = lambda arg: consts["%s/rnn%d/%s" % (var_scope, l + 1, arg)]
            layers.append(w)
        states = []
        for l, w in enumerate(layers):
            if args.cell == "lstm":
                units = w("input_bias").shape[0]
                out = args.proj or units
                states.append([np.zeros((batch, units), np.float32), np.zeros((batch, out), np.float32)])
            else:
                states.append([np.zeros((batch, w("bias").shape[0]), np.float32)])
        ys = []
        for t in range(xs.shape[0]):
            h = xs[t]
            for l, w in enumerate(layers):
                if args.cell == "rnn":
                    W = np.concatenate([w("input_weights"), w("recurrent_weights")], axis=1)
                    h = np.tanh(np.concatenate([h, states[l][0]], axis=1) @ W.T + w("bias"))
                    states[l] = [h]
                    continue
                c, m = states[l]
                xm = np.concatenate([h, m], axis=1)
                gate = lambda k: xm @ np.concatenate([w("input_to_%s_w" % k), w("cell_to_%s_w" % k)], axis=1).T + w("%s_bias" % k)
                i, f, j, o = gate("input"), gate("forget"), gate("cell"), gate("output")
                if args.peephole:
                    c = sig(f + w("w_f_diag") * c) * c + sig(i + w("w_i_diag") * c) * np.tanh(j)
                    o = sig(o + w("w_o_diag") * c)
                else:
                    c = sig(f) * c + sig(i) * np.tanh(j)
                    o = sig(o)
                m = o * np.tanh(c)
                if args.proj:
                    m = m @ w("projection/kernel").T
                states[l] = [c, m]
                h = m
            ys.append(h)
        return np.stack(ys)

    if args.guide:
        logits = stack("rnn", np.transpose(x, (1, 0, 2)))[-1] @ consts["Variable"] + consts["Variable_1"]
        e = np.exp(logits - logits.max(axis=-1, keepdims=True))
        return e / e.sum(axis=-1, keepdims=True)
    if args.bidirectional:
        fw = stack("bidirectional_rnn/fw", x)
        bw = np.flip(stack("bidirectional_rnn/bw", np.flip(x, 0)), 0)
        y = np.concatenate([fw, bw], axis=2)
    else:
        y = x
        for k in range(args.loops):
            y = stack("rnn" if k == 0 else "rnn_%d" % k, y)
    if args.head:
        y = y.reshape(-1, y.shape[-1]) @ consts["dense/kernel"] + consts["dense/bias"]
    return y


def check_numbers(g, lib, args):
    import numpy as np
    shape = [d.size for d in next(n for n in g.node if n.name == "INPUT").attr["shape"].shape.dim]
    x = np.random.default_rng(7).uniform(-1, 1, shape).astype(np.float32)
    got = evaluate_graph(np, g, lib, {"INPUT": x}, "OUTPUT_CLASS" if args.guide else "OUTPUT")
    want = reference(np, g, args, x)
    if got.shape != want.shape or not np.allclose(got, want, rtol=1e-4, atol=1e-5):
        problem("numbers: OUTPUT differs from a direct %s stack (max |diff| %s)"
                % (args.cell, np.max(np.abs(got - want)) if got.shape == want.shape else "shape"))


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
    ap.add_argument("--guide", action="store_true")
    ap.add_argument("--evaluate", action="store_true",
                    help="also run the graph (numpy) against a direct LSTM/RNN")
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
    if ("OUTPUT_CLASS" if args.guide else "OUTPUT") not in top:
        problem("no OUTPUT node")
    if args.guide and not all("add" in b for b in body_names):
        problem("guide: top-level `add` beside the body's `add` expected")

    if args.evaluate and not problems:
        check_numbers(g, lib, args)

    for p in problems:
        print("FAIL: %s: %s" % (args.graph, p))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
