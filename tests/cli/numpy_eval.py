"""Evaluates a text-format GraphDef with NumPy, independently of hintstub,
for the ops of TensorFlow's OpHint LSTM graph, and compares one output
with the .npy file `hintstub run --save` wrote.

    numpy_eval.py GRAPH.pbtxt NAME=IN.npy FETCH EXPECTED.npy

Prints the largest difference; exit status 1 when it exceeds
atol 1e-5 + rtol 1e-4 * |value|."""
import re
import sys

import numpy as np

TOKEN = re.compile(r'\s*(?:#[^\n]*\n\s*)*("(?:[^"\\]|\\.)*"|[{}:]|[^\s{}:"]+)')


def tokens(text):
    pos = 0
    while True:
        m = TOKEN.match(text, pos)
        if not m:
            return
        yield m.group(1)
        pos = m.end()


def parse_message(it):
    """A text-format message as {field: [values]}; sub-messages as dicts."""
    msg = {}
    for tok in it:
        if tok == '}':
            return msg
        name = tok
        tok = next(it)
        if tok == ':':
            tok = next(it)
        if tok == '{':
            value = parse_message(it)
        elif tok.startswith('"'):
            value = tok[1:-1].encode('latin-1').decode('unicode_escape').encode('latin-1')
        else:
            value = tok
        msg.setdefault(name, []).append(value)
    return msg


DTYPES = {'DT_FLOAT': np.float32, 'DT_INT32': np.int32, 'DT_INT64': np.int64,
          'DT_BOOL': np.bool_}


def attr(node, key):
    for entry in node.get('attr', []):
        if entry['key'][0] == key.encode():
            return entry['value'][0]
    return None


def const_value(node):
    t = attr(node, 'value')['tensor'][0]
    dtype = DTYPES[t['dtype'][0]]
    shape = [int(d['size'][0]) for d in t.get('tensor_shape', [{}])[0].get('dim', [])]
    if 'tensor_content' in t:
        return np.frombuffer(t['tensor_content'][0], dtype=dtype).reshape(shape).copy()
    field = {np.float32: 'float_val', np.int32: 'int_val', np.int64: 'int64_val',
             np.bool_: 'bool_val'}[dtype]
    vals = [v == 'true' if dtype == np.bool_ else float(v) for v in t.get(field, [])]
    out = np.empty(int(np.prod(shape)), dtype=dtype)
    out[:] = vals[-1] if vals else 0
    out[:len(vals)] = vals[:out.size]
    return out.reshape(shape)


def sigmoid(x):
    return (1 / (1 + np.exp(-x))).astype(np.float32)


def strided_slice(x, begin, end, strides, node):
    shrink = int(attr(node, 'shrink_axis_mask')['i'][0])
    for k in ('begin_mask', 'end_mask', 'ellipsis_mask', 'new_axis_mask'):
        assert int(attr(node, k)['i'][0]) == 0, k
    index = []
    for i in range(len(begin)):
        if shrink & (1 << i):
            index.append(int(begin[i]))
        else:
            index.append(slice(int(begin[i]), int(end[i]), int(strides[i])))
    return x[tuple(index)]


def run_op(node, x):
    op = node['op'][0].decode()
    if op == 'Identity':
        return [x[0]]
    if op == 'Unpack':
        axis = int(attr(node, 'axis')['i'][0])
        return [np.take(x[0], i, axis=axis) for i in range(x[0].shape[axis])]
    if op == 'Pack':
        return [np.stack(x, axis=int(attr(node, 'axis')['i'][0]))]
    if op == 'Shape':
        return [np.array(x[0].shape, dtype=np.int32)]
    if op == 'StridedSlice':
        return [strided_slice(x[0], x[1], x[2], x[3], node)]
    if op == 'ExpandDims':
        return [np.expand_dims(x[0], int(x[1]))]
    if op == 'ConcatV2':
        return [np.concatenate(x[:-1], axis=int(x[-1]))]
    if op == 'Fill':
        return [np.full([int(d) for d in x[0]], x[1])]
    if op == 'MatMul':
        a, b = x
        if attr(node, 'transpose_a')['b'][0] == 'true':
            a = a.T
        if attr(node, 'transpose_b')['b'][0] == 'true':
            b = b.T
        return [np.matmul(a, b)]
    if op in ('BiasAdd', 'Add', 'AddV2'):
        return [x[0] + x[1]]
    if op == 'Mul':
        return [x[0] * x[1]]
    if op == 'Sigmoid':
        return [sigmoid(x[0])]
    if op == 'Tanh':
        return [np.tanh(x[0])]
    raise SystemExit('numpy_eval: no NumPy kernel for op %s' % op)


def evaluate(nodes, feeds, fetch):
    values = {}

    def output(name):
        node_name, _, port = name.partition(':')
        if node_name in feeds:
            return feeds[node_name][int(port or 0)]
        if node_name not in values:
            node = nodes[node_name]
            op = node['op'][0].decode()
            if op == 'Const':
                values[node_name] = [const_value(node)]
            else:
                ins = [output(i.decode()) for i in node.get('input', [])
                       if not i.startswith(b'^')]
                values[node_name] = run_op(node, ins)
        return values[node_name][int(port or 0)]

    sys.setrecursionlimit(100000)
    return output(fetch)


def main():
    graph, feed, fetch, expected = sys.argv[1:5]
    with open(graph) as f:
        msg = parse_message(tokens(f.read()))
    nodes = {n['name'][0].decode(): n for n in msg['node']}
    name, _, path = feed.partition('=')
    want = evaluate(nodes, {name: [np.load(path)]}, fetch)
    got = np.load(expected)
    assert got.shape == want.shape and got.dtype == want.dtype, (got.shape, want.shape)
    diff = np.abs(got.astype(np.float64) - want.astype(np.float64))
    print('numpy_eval: %s %s: max abs difference %.3g' % (fetch, want.shape, diff.max()))
    if not np.all(diff <= 1e-5 + 1e-4 * np.abs(want)):
        sys.exit(1)


if __name__ == '__main__':
    main()
