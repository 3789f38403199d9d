"""Builds small GraphDefs in the wire format, without protobuf: the graphs
of TensorFlow's own OpHint tests (as tests/apply/check_convert.c rebuilds
them), for the suite."""


def _varint(v):
    v &= (1 << 64) - 1
    out = bytearray()
    while True:
        b = v & 0x7F
        v >>= 7
        if v:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def _field(num, payload):
    """A length-delimited field."""
    if isinstance(payload, str):
        payload = payload.encode()
    return _varint(num << 3 | 2) + _varint(len(payload)) + payload


def _vfield(num, value):
    return _varint(num << 3) + _varint(value)


class Graph:
    def __init__(self):
        self.nodes = []

    def node(self, name, op, *inputs, **attrs):
        """attrs: name -> ('s', str) | ('i', int) | ('type', int)."""
        body = _field(1, name) + _field(2, op)
        for i in inputs:
            body += _field(3, i)
        for key in sorted(attrs):
            kind, value = attrs[key]
            if kind == "s":
                av = _field(2, value)
            elif kind == "i":
                av = _vfield(3, value)
            else:
                av = _vfield(6, value)
            body += _field(5, _field(1, key) + _field(2, av))
        self.nodes.append(body)
        return name

    def hint(self, name, source, function, uuid, is_input, index, sort=None,
             aggregate=None):
        attrs = {"T": ("type", 1), "_tflite_function_name": ("s", function),
                 "_tflite_function_uuid": ("s", uuid), "_tflite_ophint_level": ("i", 1),
                 ("_tflite_function_input_index" if is_input
                  else "_tflite_function_output_index"): ("i", index)}
        if aggregate:
            attrs["_tflite_function_sort_index"] = ("i", sort)
            attrs["_tflite_function_aggregate"] = ("s", aggregate)
        return self.node(name, "Identity", source, **attrs)

    def serialize(self):
        return b"".join(_field(1, n) for n in self.nodes)


U1 = "aaaa0000aaaa0000aaaa0000aaaa0000"
U2 = "bbbb1111bbbb1111bbbb1111bbbb1111"


def swish():
    """TF's testSwishLiteHint: one call, two inputs, one output."""
    g = Graph()
    g.node("Const", "Const")
    g.node("Const_1", "Const")
    i0 = "InputHint-cool_activation-%s-0-None-None" % U1
    i1 = "InputHint-cool_activation-%s-1-None-None" % U1
    o0 = "OutputHint-cool_activation-%s-0-None-None" % U1
    g.hint(i0, "Const", "cool_activation", U1, True, 0)
    g.hint(i1, "Const_1", "cool_activation", U1, True, 1)
    g.node("Sigmoid", "Sigmoid", i0)
    g.node("mul", "Mul", "Sigmoid", i0)
    g.node("mul_1", "Mul", "mul", i1)
    g.hint(o0, "mul_1", "cool_activation", U1, False, 0)
    g.node("ModelOutput", "Identity", o0)
    return g.serialize()


def two_functions():
    """TF's testTwoFunctions: two calls of one function."""
    g = Graph()
    g.node("Const", "Const")
    g.node("Const_1", "Const")
    g.hint("ia", "Const", "add_test", U1, True, 0)
    g.node("ma", "Mul", "ia", "ia")
    g.hint("oa", "ma", "add_test", U1, False, 0)
    g.hint("ib", "Const_1", "add_test", U2, True, 0)
    g.node("mb", "Mul", "ib", "ib")
    g.hint("ob", "mb", "add_test", U2, False, 0)
    g.node("Add", "AddV2", "oa", "ob")
    g.node("ModelOutput", "Identity", "Add")
    return g.serialize()


def aggregate():
    """TF's testAggregate: stacked inputs and outputs, whose hint-made
    Pack/Unpack pairs cancel."""
    g = Graph()
    g.node("Const", "Const")
    g.node("Const_1", "Const")
    g.node("unstack", "Unpack", "Const", num=("i", 2), T=("type", 1))
    g.node("unstack_1", "Unpack", "Const_1", num=("i", 2), T=("type", 1))
    g.hint("c0", "unstack", "agg", U1, True, 0, 0, "stack")
    g.hint("n0", "unstack_1", "agg", U1, True, 1, 0, "stack")
    g.hint("c1", "unstack:1", "agg", U1, True, 0, 1, "stack")
    g.hint("n1", "unstack_1:1", "agg", U1, True, 1, 1, "stack")
    g.node("addleft", "Add", "c0", "n0")
    g.node("addright", "Add", "c1", "n1")
    g.hint("out0", "addleft", "agg", U1, False, 0, 0, "stack")
    g.hint("out1", "addright", "agg", U1, False, 0, 1, "stack")
    g.node("stack", "Pack", "out0", "out1", N=("i", 2), T=("type", 1))
    g.node("FINAL_OUTPUT", "Identity", "stack")
    return g.serialize()


def sort_gap():
    """A stacked input whose sort indices skip 1: an error-severity call."""
    g = Graph()
    g.node("Const", "Const")
    g.hint("a0", "Const", "gap", U1, True, 0, 0, "stack")
    g.hint("a2", "Const", "gap", U1, True, 0, 2, "stack")
    g.node("add", "Add", "a0", "a2")
    g.hint("o", "add", "gap", U1, False, 0)
    g.node("ModelOutput", "Identity", "o")
    return g.serialize()
