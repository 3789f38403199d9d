#!/usr/bin/env python3
"""Writes a frozen dynamic_rnn GraphDef (text format) the way TensorFlow
1.14/1.15 lays it out with control flow v2 (doc/conversion.md, "Level 2";
spec §2.6, §3.3, §3.4): a TfLiteDynamicRnn level-2 call around one While
or StatelessWhile whose body function holds one time step of L stacked
cells (TfLiteRNNCell or TFLiteLSTMCell hints).  Small by design: for
tests until `hintstub-gen dynamic` exists, and for the faults the level-2
checks must catch (--fault).

usage: dynrnn.py [--cell rnn|lstm] [--layers L] [--stateless]
                 [--bidirectional] [--peephole] [--head] [--seqlen]
                 [--fault F] > graph.pbtxt
"""
import argparse
import json

MAPPING = {"parent_first_child_input": [{"parent_ophint_input_index": 0,
                                         "first_child_ophint_input_index": 0}],
           "parent_last_child_output": [{"parent_output_index": 0,
                                         "child_output_index": -1}],
           "internal_children_input_output": [{"child_input_index": 0,
                                               "child_output_index": -1}]}
FAULTS = ["body-missing", "loop-arity", "bad-mapping", "mapping-index",
          "no-children", "children-unchained", "nested-loop", "level-3"]


def q(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


class Attr:
    def __init__(self, text):
        self.text = text


def a_type(t):
    return Attr("type: %s" % t)


def a_i(v):
    return Attr("i: %d" % v)


def a_s(v):
    return Attr("s: %s" % q(v))


def a_b(v):
    return Attr("b: %s" % ("true" if v else "false"))


def a_func(name):
    return Attr("func { name: %s }" % q(name))


def a_types(ts):
    return Attr("list { %s }" % " ".join("type: %s" % t for t in ts))


def a_tensor(dtype, dims, val):
    shape = " ".join("dim { size: %d }" % d for d in dims)
    field = "float_val" if dtype == "DT_FLOAT" else "int_val"
    return Attr("tensor { dtype: %s tensor_shape { %s } %s: %s }"
                % (dtype, shape, field, val))


def node_text(name, op, inputs, attrs, field="node"):
    out = ["%s {" % field, "  name: %s" % q(name), "  op: %s" % q(op)]
    out += ["  input: %s" % q(i) for i in inputs]
    for k in sorted(attrs):
        out.append("  attr { key: %s value { %s } }" % (q(k), attrs[k].text))
    out.append("}")
    return "\n".join(out)


class Scope:
    """Nodes of one container (the graph, or a function body)."""

    def __init__(self, field):
        self.field = field
        self.nodes = []

    def add(self, name, op, inputs=(), **attrs):
        self.nodes.append((name, op, list(inputs), attrs))
        return name

    def const(self, name, dtype="DT_FLOAT", dims=(), val="0"):
        return self.add(name, "Const", dtype=a_type(dtype),
                        value=a_tensor(dtype, list(dims), val))

    def text(self, indent=""):
        return "\n".join(indent + line
                         for n in self.nodes
                         for line in node_text(*n, field=self.field).split("\n"))


def hint(fn, uuid, direction, index, sort=None, agg=None, level=1, mapping=None):
    attrs = {"T": a_type("DT_FLOAT"),
             "_tflite_function_name": a_s(fn),
             "_tflite_function_uuid": a_s(uuid),
             "_tflite_ophint_level": a_i(level)}
    attrs["_tflite_function_%s_index" % direction] = a_i(index)
    if sort is not None:
        attrs["_tflite_function_sort_index"] = a_i(sort)
        attrs["_tflite_function_aggregate"] = a_s(agg)
    if mapping is not None:
        attrs["_tflite_children_ophint_inputs_mapping"] = a_s(mapping)
    return attrs


def hint_name(prefix, fn, uuid, index, sort, arg):
    return "%s-%s-%s-%d-%s-%s" % (prefix, fn, uuid, index,
                                  "None" if sort is None else sort, arg)


def uuid_of(tag, n):
    return ("%s%030x" % (tag, n))[:32]


RNN_WEIGHTS = [(1, "input_weights"), (2, "recurrent_weights"), (3, "bias")]
LSTM_WEIGHTS = ([(1, "input_to_input_w"), (2, "input_to_forget_w"),
                 (3, "input_to_cell_w"), (4, "input_to_output_w"),
                 (5, "cell_to_input_w"), (6, "cell_to_forget_w"),
                 (7, "cell_to_cell_w"), (8, "cell_to_output_w")],
                [(9, "w_i_diag"), (10, "w_f_diag"), (11, "w_o_diag")],
                [(12, "input_bias"), (13, "forget_bias"), (14, "cell_bias"),
                 (15, "output_bias")])


def weights_of(o):
    if o.cell == "rnn":
        return RNN_WEIGHTS
    w = LSTM_WEIGHTS[0] + (LSTM_WEIGHTS[1] if o.peephole else []) + LSTM_WEIGHTS[2]
    return w


def states_of(o):
    return ["h"] if o.cell == "rnn" else ["c", "m"]


def rnn_cell(body, o, cs, uuid, x_src, args):
    fn = "UnidirectionalSequenceRnn"
    h = {}
    xh = body.add(cs + hint_name("InputHint", fn, uuid, 0, 0, "input"), "Identity",
                  [x_src], **hint(fn, uuid, "input", 0, 0, "stack"))
    for idx, arg in RNN_WEIGHTS:
        h[idx] = body.add(cs + hint_name("InputHint", fn, uuid, idx, None, arg), "Identity",
                          [args[arg]], **hint(fn, uuid, "input", idx))
    hs = body.add(cs + hint_name("InputHint", fn, uuid, 4, 0, "hidden_state"), "Identity",
                  [args["h"]], **hint(fn, uuid, "input", 4, 0, "first"))
    t = {"T": a_type("DT_FLOAT")}
    m0 = body.add(cs + "MatMul", "MatMul", [xh + ":output:0", h[1] + ":output:0"],
                  transpose_b=a_b(True), **t)
    m1 = body.add(cs + "MatMul_1", "MatMul", [hs + ":output:0", h[2] + ":output:0"],
                  transpose_b=a_b(True), **t)
    ad = body.add(cs + "add", "AddV2", [m0 + ":product:0", m1 + ":product:0"], **t)
    ba = body.add(cs + "BiasAdd", "BiasAdd", [ad + ":z:0", h[3] + ":output:0"], **t)
    th = body.add(cs + "Tanh", "Tanh", [ba + ":output:0"], **t)
    out = body.add(cs + hint_name("OutputHint", fn, uuid, 1, 0, "output"), "Identity",
                   [th + ":y:0"], **hint(fn, uuid, "output", 1, 0, "stack"))
    return {"h": out, "out": out}


def lstm_cell(body, o, cs, uuid, x_src, args):
    fn = "UnidirectionalSequenceLstm"
    h = {}
    xh = body.add(cs + hint_name("InputHint", fn, uuid, 0, 0, "input"), "Identity",
                  [x_src], **hint(fn, uuid, "input", 0, 0, "stack"))
    for idx, arg in weights_of(o):
        h[idx] = body.add(cs + hint_name("InputHint", fn, uuid, idx, None, arg), "Identity",
                          [args[arg]], **hint(fn, uuid, "input", idx))
    mh = body.add(cs + hint_name("InputHint", fn, uuid, 18, 0, "m_prev"), "Identity",
                  [args["m"]], **hint(fn, uuid, "input", 18, 0, "first"))
    ch = body.add(cs + hint_name("InputHint", fn, uuid, 19, 0, "c_prev"), "Identity",
                  [args["c"]], **hint(fn, uuid, "input", 19, 0, "first"))
    t = {"T": a_type("DT_FLOAT")}
    terms = []
    for k in range(1, 9):
        src = xh if k <= 4 else mh
        terms.append(body.add(cs + "MatMul_%d" % k, "MatMul",
                              [src + ":output:0", h[k] + ":output:0"],
                              transpose_b=a_b(True), **t) + ":product:0")
    for k in (9, 10, 11):
        if k in h:
            terms.append(body.add(cs + "mul_%d" % k, "Mul",
                                  [ch + ":output:0", h[k] + ":output:0"], **t) + ":z:0")
    for k in (12, 13, 14, 15):
        terms.append(h[k] + ":output:0")
    gates = body.add(cs + "gates", "AddN", terms, N=a_i(len(terms)), **t)
    sig = body.add(cs + "Sigmoid", "Sigmoid", [gates + ":sum:0"], **t)
    c_new = body.add(cs + "add_1", "Mul", [sig + ":y:0", ch + ":output:0"], **t)
    tc = body.add(cs + "Tanh", "Tanh", [c_new + ":z:0"], **t)
    m_new = body.add(cs + "mul_2", "Mul", [tc + ":y:0", sig + ":y:0"], **t)
    c_out = body.add(cs + hint_name("OutputHint", fn, uuid, 1, 0, "c"), "Identity",
                     [c_new + ":z:0"], **hint(fn, uuid, "output", 1, 0, "last"))
    m_out = body.add(cs + hint_name("OutputHint", fn, uuid, 2, 0, "m"), "Identity",
                     [m_new + ":z:0"], **hint(fn, uuid, "output", 2, 0, "stack"))
    return {"c": c_out, "m": m_out, "out": m_out}


def direction(top, functions, o, scope, src, tag):
    """One dynamic_rnn call: top-level loop and its body function."""
    fn = "TfLiteDynamicRnn"
    puuid = uuid_of(tag + "0", 0)
    level = 3 if o.fault == "level-3" else 2
    mapping = json.dumps(MAPPING)
    if o.fault == "bad-mapping":
        mapping = mapping[:-2]
    if o.fault == "mapping-index":
        mapping = mapping.replace('"child_input_index": 0', '"child_input_index": 7')
    ih = top.add(scope + "/" + hint_name("InputHint", fn, puuid, 0, None, "input"), "Identity",
                 [src], **hint(fn, puuid, "input", 0, level=level, mapping=mapping))
    s = scope + "/"
    shape = top.add(s + "Shape", "Shape", [ih], T=a_type("DT_FLOAT"))
    ssc = top.const(s + "strided_slice/stack", "DT_INT32", [1], "0")
    ss = top.add(s + "strided_slice", "StridedSlice", [shape, ssc, ssc, ssc],
                 T=a_type("DT_INT32"), Index=a_type("DT_INT32"))
    es = top.const(s + "TensorArrayUnstack/Const", "DT_INT32", [2], "-1")
    inl = top.add(s + "TensorArrayUnstack/TensorListFromTensor", "TensorListFromTensor",
                  [ih, es], element_dtype=a_type("DT_FLOAT"), shape_type=a_type("DT_INT32"))
    res = top.add(s + "TensorArray/TensorListReserve", "TensorListReserve", [es, ss],
                  element_dtype=a_type("DT_FLOAT"), shape_type=a_type("DT_INT32"))
    time = top.const(s + "time", "DT_INT32", [], "0")
    lc = top.const(s + "while/loop_counter", "DT_INT32", [], "0")
    mi = top.const(s + "while/maximum_iterations", "DT_INT32", [], "1000")
    mx = top.add(s + "Maximum", "Maximum", [ss, lc], T=a_type("DT_INT32"))
    mn = top.add(s + "Minimum", "Minimum", [mx, mi], T=a_type("DT_INT32"))
    state_in, weight_in = [], []
    for l in range(o.layers):
        for st in states_of(o):
            dims = top.const(s + "zeros_%s%d/dims" % (st, l), "DT_INT32", [2], "2")
            zero = top.const(s + "zeros_%s%d/Const" % (st, l), "DT_FLOAT", [], "0")
            state_in.append(("%s_%d" % (st, l), top.add(s + "zeros_%s%d" % (st, l), "Fill",
                                                         [dims, zero], T=a_type("DT_FLOAT"))))
        for idx, arg in weights_of(o):
            k = top.const(s + "cell_%d/%s" % (l, arg), "DT_FLOAT", [2, 2], "0.5")
            weight_in.append(("%s_%d" % (arg, l), top.add(k + "/read", "Identity", [k],
                                                           T=a_type("DT_FLOAT"))))
    args = ([("loop_counter", lc, "DT_INT32"), ("maximum_iterations", mn, "DT_INT32"),
             ("time", time, "DT_INT32"), ("out_list", res, "DT_VARIANT")] +
            [(a, n, "DT_FLOAT") for a, n in state_in] + [("in_list", inl, "DT_VARIANT")] +
            [(a, n, "DT_FLOAT") for a, n in weight_in])
    fname = scope.replace("/", "_") + "_while_body_%d" % len(functions)
    cname = scope.replace("/", "_") + "_while_cond_%d" % len(functions)
    body = Scope("node_def")
    gi_c = body.const("TensorArrayV2Read/Const", "DT_INT32", [2], "-1")
    item = body.add("TensorArrayV2Read/TensorListGetItem", "TensorListGetItem",
                    ["in_list", "time", gi_c + ":output:0"], element_dtype=a_type("DT_FLOAT"))
    x = item + ":item:0"
    outs = {}
    for l in range(o.layers):
        la = {st: "%s_%d" % (st, l) for st in states_of(o)}
        la.update({arg: "%s_%d" % (arg, l) for _, arg in weights_of(o)})
        cell = rnn_cell if o.cell == "rnn" else lstm_cell
        if o.fault == "children-unchained" and l == 1:
            x = item + ":item:0"
        got = cell(body, o, "multi_rnn_cell/cell_%d/" % l, uuid_of(tag + "c", l + 1), x, la)
        for st in states_of(o):
            outs["%s_%d" % (st, l)] = got[st] + ":output:0"
        x = got["out"] + ":output:0"
    body.add("TensorArrayV2Write/TensorListSetItem", "TensorListSetItem", ["out_list", "time", x],
             element_dtype=a_type("DT_FLOAT"))
    one = body.const("add/y", "DT_INT32", [], "1")
    body.add("add", "AddV2", ["time", one + ":output:0"], T=a_type("DT_INT32"))
    body.add("add_1", "AddV2", ["loop_counter", one + ":output:0"], T=a_type("DT_INT32"))
    if o.seqlen:
        less = body.add("Less", "Less", ["time", "maximum_iterations"], T=a_type("DT_INT32"))
        body.add("Select", "Select", [less + ":z:0", "h_0" if o.cell == "rnn" else "m_0",
                                      "h_0" if o.cell == "rnn" else "m_0"], T=a_type("DT_FLOAT"))
    if o.fault == "nested-loop":
        body.add("inner/while", "While", ["time"], T=a_types(["DT_INT32"]),
                 body=a_func(fname), cond=a_func(cname))
    if o.fault == "no-children":
        body.nodes = [(n, op, i, {k: v for k, v in a.items() if not k.startswith("_tflite")})
                      for n, op, i, a in body.nodes]
    ret = {"loop_counter": "add_1:z:0", "time": "add:z:0",
           "out_list": "TensorArrayV2Write/TensorListSetItem:output_handle:0"}
    ret.update(outs)
    sig_args = args[:-1] if o.fault == "loop-arity" else args
    functions.append(function_text(fname, sig_args, body, ret))
    cond = Scope("node_def")
    cond.add("Less", "Less", ["time", "maximum_iterations"], T=a_type("DT_INT32"))
    functions.append(function_text(cname, args, cond, {"identity": "Less:z:0"}, cond=True))
    loop = top.add(s + "while", "StatelessWhile" if o.stateless else "While",
                   [n for _, n, _ in args], T=a_types([t for _, _, t in args]),
                   body=a_func("missing_body" if o.fault == "body-missing" else fname),
                   cond=a_func(cname), parallel_iterations=a_i(32))
    stack = top.add(s + "TensorArrayV2Stack/TensorListStack", "TensorListStack",
                    [loop + ":3", es], element_dtype=a_type("DT_FLOAT"))
    return top.add(s + hint_name("OutputHint", fn, puuid, 0, None, "outputs"), "Identity",
                   [stack], **hint(fn, puuid, "output", 0, level=level, mapping=mapping))


def function_text(name, args, body, ret, cond=False):
    sig = ["  signature {", "    name: %s" % q(name)]
    sig += ["    input_arg { name: %s type: %s }" % (q(a), t) for a, _, t in args]
    if cond:
        sig.append("    output_arg { name: \"identity\" type: DT_BOOL }")
    else:
        sig += ["    output_arg { name: %s type: %s }" % (q(a + "_out"), t) for a, _, t in args]
    sig.append("  }")
    rets = ["  ret { key: %s value: %s }" % (q(k if cond else k + "_out"), q(v))
            for k, v in sorted(ret.items())]
    return "\n".join(["function {"] + sig + [body.text("  ")] + rets + ["}"])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cell", choices=["rnn", "lstm"], default="rnn")
    ap.add_argument("--layers", type=int, default=2)
    ap.add_argument("--stateless", action="store_true")
    ap.add_argument("--bidirectional", action="store_true")
    ap.add_argument("--peephole", action="store_true")
    ap.add_argument("--head", action="store_true")
    ap.add_argument("--seqlen", action="store_true")
    ap.add_argument("--fault", choices=FAULTS)
    o = ap.parse_args()
    top = Scope("node")
    functions = []
    x = top.add("input", "Placeholder", dtype=a_type("DT_FLOAT"))
    if o.bidirectional:
        axis = top.const("bidirectional_rnn/axis", "DT_INT32", [1], "0")
        fw = direction(top, functions, o, "bidirectional_rnn/fw/rnn", x, "f")
        rx = top.add("bidirectional_rnn/bw/ReverseV2", "ReverseV2", [x, axis],
                     T=a_type("DT_FLOAT"), Tidx=a_type("DT_INT32"))
        bw = direction(top, functions, o, "bidirectional_rnn/bw/rnn", rx, "b")
        rb = top.add("bidirectional_rnn/bw/ReverseV2_1", "ReverseV2", [bw, axis],
                     T=a_type("DT_FLOAT"), Tidx=a_type("DT_INT32"))
        caxis = top.const("concat/axis", "DT_INT32", [], "2")
        out = top.add("concat", "ConcatV2", [fw, rb, caxis], N=a_i(2), T=a_type("DT_FLOAT"),
                      Tidx=a_type("DT_INT32"))
    else:
        out = direction(top, functions, o, "rnn", x, "a")
    if o.head:
        # Names the loop body uses too (its time counter is `add`):
        # TensorFlow's converter loses this `add`; hintstub must not.
        w = top.const("dense/kernel", "DT_FLOAT", [2, 2], "0.25")
        b = top.const("dense/bias", "DT_FLOAT", [2], "0.1")
        mm = top.add("MatMul", "MatMul", [out, w], T=a_type("DT_FLOAT"))
        out = top.add("add", "Add", [mm, b], T=a_type("DT_FLOAT"))
        top.add("add_1", "Identity", [out], T=a_type("DT_FLOAT"))
    top.add("OUTPUT", "Identity", [out], T=a_type("DT_FLOAT"))
    print(top.text())
    print("library {")
    for f in functions:
        print("\n".join("  " + line for line in f.split("\n")))
    print("}")
    print("versions { producer: 134 }")


if __name__ == "__main__":
    main()
