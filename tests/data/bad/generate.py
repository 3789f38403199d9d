#!/usr/bin/env python3
"""Regenerates the bad-input corpus of hintstub (tests/data/bad/*.pb).

Run from anywhere: python3 tests/data/bad/generate.py.  The output is
deterministic (fixed seed); the files are committed, so building and
testing never need Python.  Each file is one class of hostile input; what
hintstub must do with each is in doc/robustness.md and asserted by
tests/cli_badinput.sh and tests/check_badinput.c."""
import os
import random

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURE = os.path.join(HERE, "..", "ophint_lstm.pb")


def varint(v):
    out = bytearray()
    while v >= 0x80:
        out.append((v & 0x7F) | 0x80)
        v >>= 7
    out.append(v)
    return bytes(out)


def tag(number, wire_type):
    return varint(number << 3 | wire_type)


def ld(number, payload):
    if isinstance(payload, str):
        payload = payload.encode()
    return tag(number, 2) + varint(len(payload)) + payload


def vi(number, value):
    return tag(number, 0) + varint(value & 0xFFFFFFFFFFFFFFFF)


# AttrValue: s = 2, i = 3, type = 6, func = 10 (NameAttrList: name 1, attr 2)
def attr_s(v):
    return ld(2, v)


def attr_i(v):
    return vi(3, v)


def attr_type(v):
    return vi(6, v)


def node(name, op, inputs=(), attrs=()):
    body = ld(1, name) + ld(2, op)
    for i in inputs:
        body += ld(3, i)
    for key, value in attrs:
        body += ld(5, ld(1, key) + ld(2, value))
    return ld(1, body)


def hint(name, function, uuid, index, is_input=True, sort=None, aggregate=None,
         index_value=None, inputs=()):
    attrs = [("T", attr_type(1)),
             ("_tflite_function_name", attr_s(function)),
             ("_tflite_function_uuid", attr_s(uuid)),
             ("_tflite_function_input_index" if is_input
              else "_tflite_function_output_index",
              index_value if index_value is not None else attr_i(index))]
    if aggregate is not None:
        attrs.append(("_tflite_function_sort_index", attr_i(sort)))
        attrs.append(("_tflite_function_aggregate", attr_s(aggregate)))
    attrs.append(("_tflite_ophint_level", attr_i(1)))
    return node(name, "Identity", inputs, attrs)


def deep_func(depth):
    """An AttrValue nesting func -> NameAttrList.attr -> AttrValue depth times."""
    value = attr_i(1)
    for _ in range(depth):
        value = ld(10, ld(1, "f") + ld(2, ld(1, "k") + ld(2, value)))
    return value


UUID = "0123456789abcdef0123456789abcdef"


def files():
    fixture = open(FIXTURE, "rb").read()
    rnd = random.Random(20261122)
    noise = bytes(rnd.getrandbits(8) for _ in range(4096))
    yield "empty", b""
    # Truncated inside the first node, inside a later node, one byte short.
    yield "truncated-head", fixture[:7]
    yield "truncated-middle", fixture[:len(fixture) // 2]
    yield "truncated-last-byte", fixture[:-1]
    # Random bytes; the first byte fixes which check trips first.
    yield "random-wire-type", b"\x0e" + noise          # field 1, wire type 6
    yield "random-field-zero", b"\x00" + noise         # field number 0
    yield "random-varint", b"\xff" * 11 + noise        # varint over 10 bytes
    yield "wrong-wire-type-node", vi(1, 1)             # node as a varint
    yield "wrong-wire-type-name", ld(1, vi(1, 1))      # name as a varint
    yield "wrong-wire-type-attr-key", ld(1, ld(1, "a") + ld(5, vi(1, 1)))
    yield "length-past-end", tag(1, 2) + varint(1000) + b"\x0a\x01a"
    yield "length-past-end-nested", ld(1, ld(1, "a") + tag(2, 2) + varint(50) + b"Const")
    yield "length-overflow", tag(1, 2) + b"\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01"
    yield "deep-nesting", node("a", "Const", attrs=[("value", deep_func(100))])
    yield "malformed-attr-value", node("a", "Const", attrs=[("value", ld(1, b"\x0a\x09xx"))])
    yield "many-nodes", b"".join(node("n%d" % i, "NoOp") for i in range(2000))
    yield "no-name", ld(1, ld(2, "Const"))
    yield "duplicate-names", node("a", "Const") + node("b", "Identity", ["a"]) + node("a", "Const")
    yield "missing-input", node("a", "Const") + node("b", "Add", ["a", "ghost:1"])
    yield "bad-input-text", node("a", "Const") + node("b", "Identity", ["^a:1"])
    yield "cycle", (node("a", "Const") + node("b", "Add", ["a", "d"]) +
                    node("c", "Relu", ["b"]) + node("d", "Relu", ["c"]))
    # OpHint classes (checked by the conversion pass).
    yield "hint-wrong-type", (node("x", "Placeholder") +
                              hint("h_in", "Fn", UUID, 0, index_value=attr_s("zero"), inputs=["x"]) +
                              hint("h_out", "Fn", UUID, 0, is_input=False, inputs=["h_in"]))
    yield "hint-uuid-type", (node("x", "Placeholder") +
                             node("h", "Identity", ["x"],
                                  [("_tflite_function_uuid", attr_i(1))]))
    yield "hint-shared-uuid", (node("x", "Placeholder") +
                               hint("a_in", "FnA", UUID, 0, inputs=["x"]) +
                               hint("a_out", "FnA", UUID, 0, is_input=False, inputs=["a_in"]) +
                               hint("b_in", "FnB", UUID, 0, inputs=["a_out"]) +
                               hint("b_out", "FnB", UUID, 0, is_input=False, inputs=["b_in"]))
    yield "hint-sort-gap", (node("x", "Placeholder") +
                            hint("s0", "Fn", UUID, 0, sort=0, aggregate="stack", inputs=["x"]) +
                            hint("s2", "Fn", UUID, 0, sort=2, aggregate="stack", inputs=["x"]) +
                            node("body", "AddN", ["s0", "s2"]) +
                            hint("out", "Fn", UUID, 0, is_input=False, inputs=["body"]))
    yield "hint-bad-children", (node("x", "Placeholder") +
                                node("h_in", "Identity", ["x"], [
                                    ("T", attr_type(1)),
                                    ("_tflite_function_name", attr_s("Fn")),
                                    ("_tflite_function_uuid", attr_s(UUID)),
                                    ("_tflite_function_input_index", attr_i(0)),
                                    ("_tflite_children_ophint_inputs_mapping", attr_s('{"child": [1, ')),
                                    ("_tflite_ophint_level", attr_i(1))]) +
                                hint("h_out", "Fn", UUID, 0, is_input=False, inputs=["h_in"]))


def main():
    for name, data in files():
        with open(os.path.join(HERE, name + ".pb"), "wb") as f:
            f.write(data)


if __name__ == "__main__":
    main()
