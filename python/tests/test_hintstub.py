"""The Python package against the build tree (python/tests/run.sh sets
the paths): inputs of every kind, results identical to the command's,
TensorFlow's own OpHint graphs, errors, threads, the struct layouts and a
leak loop."""

import ctypes
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import unittest
import warnings

import hintstub
from hintstub import _lib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tfgraph  # noqa: E402

BUILD = os.environ.get("HS_BUILD_DIR", os.getcwd())
SRC = os.environ.get("HS_SRC_DIR", BUILD)
DATA = os.path.join(SRC, "tests", "data")
FIXTURE = os.path.join(DATA, "ophint_lstm.pb")
BAD_CALLS = os.path.join(DATA, "ophint_bad_calls.pb")
CLI = os.path.join(BUILD, "hintstub")
GEN = os.path.join(BUILD, "hintstub-gen")
PLUGIN_DIRS = [os.path.join(BUILD, "plugins", p, ".libs") for p in ("lstm", "rnn", "conv")]
RULES = os.path.join(SRC, "rules", "default.rules")

# (python keyword options, command-line options): one row per option.
OPTION_SETS = [
    ({"no_plugins": True}, ["--no-plugins"]),
    ({}, []),
    ({"plugins": "lstm"}, ["--plugins", "lstm"]),
    ({"plugins": ["rnn", "conv"]}, ["--plugins", "rnn,conv"]),
    ({"input_layout": "present"}, ["--input-layout", "present"]),
    ({"tf_exact": True}, ["--tf-exact"]),
    ({"strip_hints": True}, ["--strip-hints"]),
    ({"keep_pack_unpack": True}, ["--keep-pack-unpack"]),
    ({"prune_library": True}, ["--prune-library"]),
    ({"interior_escape": "warn", "side_input": "ignore"},
     ["--interior-escape", "warn", "--side-input", "ignore"]),
    ({"skip_bad_calls": True, "tf_exact": True, "input_layout": "present"},
     ["--skip-bad-calls", "--tf-exact", "--input-layout", "present"]),
]


CLI_ONLY = re.compile(r": warning: (plugin [a-z0-9_]+ converts no|--plugin-path )")


def plugin_options(py, cli):
    """Both sides get the build tree's plugins and the source's rules
    explicitly, so that nothing installed on the machine takes part."""
    if py.get("no_plugins"):
        return dict(py), list(cli)
    py = dict(py, plugin_path=PLUGIN_DIRS)
    py["rules"] = RULES
    cli = ["--rules", RULES] + cli
    for d in PLUGIN_DIRS:
        cli = ["--plugin-path", d] + cli
    return py, cli


def run_cli(args):
    return subprocess.run([CLI] + args, capture_output=True)


def read(path):
    with open(path, "rb") as f:
        return f.read()


class Scratch(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="hintstub-py.")

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def path(self, name):
        return os.path.join(self.tmp, name)


class Layout(unittest.TestCase):
    """The ctypes Structures match the C structs, field for field."""

    def test_sizes_and_offsets(self):
        out = subprocess.run([os.path.join(BUILD, "python", "tests", "layout")],
                             capture_output=True, check=True).stdout.decode()
        c = {d["struct"]: d for d in map(json.loads, out.splitlines())}
        self.assertEqual(set(c), {s.__name__ for s in _lib.STRUCTS})
        for s in _lib.STRUCTS:
            with self.subTest(struct=s.__name__):
                self.assertEqual(ctypes.sizeof(s), c[s.__name__]["size"])
                self.assertEqual([f[0] for f in s._fields_], list(c[s.__name__]["fields"]))
                for name, off in c[s.__name__]["fields"].items():
                    self.assertEqual(getattr(s, name).offset, off, name)

    def test_init_functions_fill_the_declared_fields(self):
        o = _lib.hs_convert_options()
        self.assertEqual(_lib.lib.hs_convert_options_init(
            ctypes.byref(o), _lib.HS_CONVERT_OPTIONS_VERSION), 0)
        self.assertEqual((o.version, o.discover.version, o.plan.version, o.apply.version),
                         (2, 1, 1, 1))
        self.assertEqual((o.plan.interior_escape, o.plan.unhinted_side_input),
                         (_lib.POLICIES["error"], _lib.POLICIES["warn"]))
        self.assertNotEqual(_lib.lib.hs_convert_options_init(ctypes.byref(o), 99), 0)


class Inputs(Scratch):
    """Every kind of input, and a result of the same kind."""

    def setUp(self):
        self.data = read(FIXTURE)
        self.expected = hintstub.convert(FIXTURE, no_plugins=True).graph

    def test_bytes(self):
        r = hintstub.convert(self.data, no_plugins=True)
        self.assertIsInstance(r.graph, bytes)
        self.assertEqual(r.graph, self.expected)
        self.assertEqual(r.converted, 2)
        self.assertEqual(r.report["calls_total"], 2)

    def test_bytearray_untouched(self):
        buf = bytearray(self.data)
        r = hintstub.convert(buf, no_plugins=True)
        self.assertIsInstance(r.graph, bytearray)
        self.assertEqual(bytes(r.graph), self.expected)
        self.assertEqual(bytes(buf), self.data)
        buf.append(0)  # no buffer export left behind
        self.assertEqual(len(buf), len(self.data) + 1)

    def test_memoryviews(self):
        for view in (memoryview(self.data), memoryview(bytearray(self.data)),
                     memoryview(b"xx" + self.data)[2:]):
            r = hintstub.convert(view, no_plugins=True)
            self.assertIsInstance(r.graph, memoryview)
            self.assertEqual(r.graph.tobytes(), self.expected)

    def test_path_and_output(self):
        import pathlib
        r = hintstub.convert(pathlib.Path(FIXTURE), no_plugins=True)
        self.assertIsInstance(r.graph, bytes)
        out = self.path("out.pb")
        r = hintstub.convert(FIXTURE, no_plugins=True, output=out)
        self.assertEqual(r.graph, out)
        self.assertEqual(read(out), self.expected)

    def test_unchanged_graph_comes_back_identical(self):
        r = hintstub.convert(self.expected, no_plugins=True)
        self.assertEqual(r.graph, self.expected)

    def test_not_a_graph_kind(self):
        with self.assertRaises(hintstub.InvalidArgumentError):
            hintstub.convert(12345)


def generated(tmp):
    """hintstub-gen graphs: (name, path)."""
    out = []
    for args in (["lstm", "--layers", "2", "--steps", "3", "--peephole"],
                 ["rnn", "--layers", "2", "--steps", "3"], ["conv", "--calls", "20"]):
        path = os.path.join(tmp, args[0] + ".pb")
        subprocess.run([GEN] + args + ["-o", path], check=True, capture_output=True)
        out.append(path)
    return out


class SameAsCommand(Scratch):
    """Byte for byte what the command writes, the same report, for every
    option, on the fixture and the generator's graphs."""

    def test_convert(self):
        graphs = [FIXTURE, BAD_CALLS] + generated(self.tmp)
        for graph in graphs:
            data = read(graph)
            for py, cli in OPTION_SETS:
                py, cli = plugin_options(py, cli)
                with self.subTest(graph=os.path.basename(graph), options=cli):
                    out, rep = self.path("cli.pb"), self.path("cli.json")
                    for f in (out, rep):
                        if os.path.exists(f):
                            os.unlink(f)
                    proc = run_cli(cli + ["-r", rep, graph, out])
                    with warnings.catch_warnings():
                        warnings.simplefilter("ignore")
                        if proc.returncode != 0:
                            with self.assertRaises(hintstub.BadInputError) as cm:
                                hintstub.convert(data, **py)
                            self.assertEqual(cm.exception.report, json.loads(read(rep)))
                            self.assertFalse(os.path.exists(out))
                            continue
                        r = hintstub.convert(data, **py)
                    self.assertEqual(r.graph, read(out))
                    self.assertEqual(r.report, json.loads(read(rep)))
                    # The command's own words on plugin selection (a plugin
                    # converting nothing, --plugin-path plugins left unused)
                    # are the command's, not the library's diagnostics.
                    stderr = [line.split(": ", 2)[2] for line in
                              proc.stderr.decode().splitlines()
                              if not CLI_ONLY.search(line)]
                    self.assertEqual(r.warnings, stderr)

    def test_inspect(self):
        for py, cli in OPTION_SETS[:5]:
            py, cli = plugin_options(py, cli)
            py.pop("skip_bad_calls", None)
            py.pop("strip_hints", None)
            py.pop("keep_pack_unpack", None)
            py.pop("prune_library", None)
            with self.subTest(options=cli):
                proc = run_cli(["inspect", "--json"] + cli + [FIXTURE])
                self.assertEqual(hintstub.inspect(FIXTURE, **py), json.loads(proc.stdout))

    def test_explain(self):
        for plugins in ("rnn,conv", "lstm", "lstm,rnn,conv"):
            py, cli = plugin_options({"plugins": plugins}, ["--plugins", plugins])
            for graph in (FIXTURE, BAD_CALLS):
                with self.subTest(plugins=plugins, graph=graph):
                    text = run_cli(["explain"] + cli + [graph]).stdout.decode()
                    self.assertEqual(render_explain(hintstub.explain(graph, **py)), text)

    def test_list_plugins(self):
        py, cli = plugin_options({}, [])
        text = run_cli(["--list-plugins"] + cli).stdout.decode()
        plugins = hintstub.list_plugins(plugin_path=py["plugin_path"], rules=RULES)
        self.assertEqual([p["name"] for p in plugins], ["lstm", "rnn", "conv"])
        first = [line.split()[0] for line in text.splitlines() if not line.startswith(" ")]
        self.assertEqual(first, [p["name"] for p in plugins])
        self.assertEqual(plugins[0]["signatures"][0]["function"], "UnidirectionalSequenceLstm")
        self.assertEqual(hintstub.list_plugins(no_plugins=True), [])


def render_explain(calls):
    """hintstub explain's text (cli/explain.c) from explain()'s dicts."""
    if not calls:
        return "no OpHint calls\n"
    out = []
    for c in calls:
        out.append("call %s %s (%d inputs, %d outputs)" % (
            c["function"], c["uuid"], c["inputs"], c["outputs"]))
        for p in c["problems"]:
            out.append("  problem (%s): %s" % (p["code"], p["message"]))
        for v in c["verdicts"]:
            out.append("  %s: claims it" % v["plugin"] if v["claims"]
                       else "  %s: no: %s" % (v["plugin"], v["reason"]))
        o = c["outcome"]
        if o["result"] == "converted" and o["plugin"] == "generic":
            out.append("  -> unclaimed: generic stub (%d nodes removed, %d added)" % (
                o["nodes_removed"], o["nodes_added"]))
        elif o["result"] == "converted":
            out.append("  -> converted by %s (%d nodes removed, %d added)" % (
                o["plugin"], o["nodes_removed"], o["nodes_added"]))
        else:
            out.append("  -> %s: %s" % (o["result"], o["reason"] or ""))
    return "\n".join(out) + "\n"


class TensorFlowTests(unittest.TestCase):
    """TensorFlow's own OpHint tests (tests/apply/check_convert.c rebuilds
    them in C) through convert_op_hints_to_stubs."""

    def ops(self, graph):
        return hintstub.inspect(graph, no_plugins=True)["ops"]

    def test_swish(self):
        calls = []
        out = hintstub.convert_op_hints_to_stubs(
            graph_def=tfgraph.swish(), write_callback=lambda g, c: calls.append((g, c)),
            no_plugins=True)
        self.assertEqual(self.ops(out), {"Const": 2, "Identity": 4, "cool_activation": 1})
        self.assertEqual(calls, [(out, "initial")])

    def test_two_functions(self):
        out = hintstub.convert_op_hints_to_stubs(graph_def=tfgraph.two_functions(),
                                                 no_plugins=True)
        self.assertEqual(self.ops(out)["add_test"], 2)
        self.assertNotIn("Mul", self.ops(out))

    def test_aggregate(self):
        out = hintstub.convert_op_hints_to_stubs(graph_def=tfgraph.aggregate(),
                                                 no_plugins=True)
        ops = self.ops(out)
        self.assertEqual(ops.get("agg"), 1)
        self.assertNotIn("Pack", ops)
        self.assertNotIn("Unpack", ops)

    def test_same_as_command_on_fixture(self):
        proc = subprocess.run([CLI, "--no-plugins", FIXTURE, "-"], capture_output=True)
        out = hintstub.convert_op_hints_to_stubs(graph_def=read(FIXTURE), no_plugins=True)
        self.assertEqual(out, proc.stdout)

    def test_signature_errors(self):
        with self.assertRaises(ValueError) as cm:
            hintstub.convert_op_hints_to_stubs(session=object())
        self.assertIn("frozen", str(cm.exception))
        self.assertIsInstance(cm.exception, hintstub.Error)
        with self.assertRaises(ValueError):
            hintstub.convert_op_hints_to_stubs(session=object(), graph_def=b"")
        with self.assertRaises(ValueError):
            hintstub.convert_op_hints_to_stubs()

    def test_no_call_no_callback(self):
        calls = []
        data = hintstub.convert(FIXTURE, strip_hints=True, no_plugins=True).graph
        hintstub.convert_op_hints_to_stubs(graph_def=data, write_callback=lambda *a: calls.append(a))
        self.assertEqual(calls, [])


def compiled_schema(tmp):
    """graph_pb2 compiled from core/graph/graph.proto, or a skip reason."""
    try:
        import google.protobuf  # noqa: F401
    except ImportError:
        return None, ("google.protobuf is not importable by %s (Debian: "
                      "python3-protobuf)" % sys.executable)
    protoc = shutil.which("protoc")
    if not protoc:
        return None, "protoc not found (Debian: protobuf-compiler)"
    schema = os.path.join(SRC, "core", "graph")
    subprocess.run([protoc, "-I", schema, "--python_out", tmp,
                    os.path.join(schema, "graph.proto")], check=True)
    sys.path.insert(0, tmp)
    try:
        import graph_pb2
    except Exception as e:  # an incompatible protobuf runtime
        return None, "graph_pb2 does not import: %s" % e
    finally:
        sys.path.remove(tmp)
    return graph_pb2, None


class GraphDefObjects(Scratch):
    """GraphDef objects (the project's own schema, compiled by protoc)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.pb2, reason = compiled_schema(cls.tmp)
        if reason:
            raise unittest.SkipTest(reason)

    def test_drop_in(self):
        gd = self.pb2.GraphDef.FromString(read(FIXTURE))
        seen = []
        out = hintstub.convert_op_hints_to_stubs(
            graph_def=gd, write_callback=lambda g, c: seen.append(c), no_plugins=True)
        self.assertIs(type(out), self.pb2.GraphDef)
        cli = subprocess.run([CLI, "--no-plugins", FIXTURE, "-"], capture_output=True).stdout
        self.assertEqual(out, self.pb2.GraphDef.FromString(cli))
        self.assertEqual(seen, ["initial"])
        ops = [n.op for n in out.node]
        self.assertEqual(ops.count("UnidirectionalSequenceLstm"), 2)

    def test_convert_result(self):
        gd = self.pb2.GraphDef.FromString(tfgraph.swish())
        r = hintstub.convert(gd, no_plugins=True)
        self.assertIsInstance(r.graph, self.pb2.GraphDef)
        self.assertIn("cool_activation", [n.op for n in r.graph.node])
        self.assertEqual(hintstub.inspect(gd, no_plugins=True)["nodes"], len(gd.node))


class Errors(Scratch):
    """Each error class, its code and the library's message."""

    def test_bad_input(self):
        cases = [(b"\xff\xff\xff", _lib.HS_EPARSE), (b"", _lib.HS_EPARSE),
                 (os.path.join(self.tmp, "missing.pb"), _lib.HS_EIO),
                 (os.path.join(DATA, "bad", "cycle.pb"), _lib.HS_EGRAPH)]
        for graph, code in cases:
            with self.subTest(graph=graph):
                with self.assertRaises(hintstub.BadInputError) as cm:
                    hintstub.convert(graph, no_plugins=True)
                e = cm.exception
                self.assertEqual(e.code, code)
                self.assertTrue(e.message)
                self.assertEqual(str(e), e.message)
                self.assertIsInstance(e, hintstub.Error)

    def test_limits(self):
        with self.assertRaises(hintstub.BadInputError) as cm:
            hintstub.convert(FIXTURE, no_plugins=True, max_nodes=10)
        self.assertEqual(cm.exception.code, _lib.HS_ELIMIT)

    def test_call_with_errors(self):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with self.assertRaises(hintstub.BadInputError) as cm:
                hintstub.convert(BAD_CALLS, no_plugins=True)
        e = cm.exception
        self.assertEqual(e.code, _lib.HS_EHINT)
        self.assertIn("sort index 1 is missing", e.message)
        self.assertEqual(e.report["errors"], 1)
        with self.assertWarns(hintstub.HintstubWarning):
            r = hintstub.convert(BAD_CALLS, no_plugins=True, skip_bad_calls=True)
        self.assertEqual(r.converted, 1)
        self.assertTrue(any("[unhinted-side-input]" in w for w in r.warnings))

    def test_plugin_and_rules(self):
        with self.assertRaises(hintstub.PluginError) as cm:
            hintstub.convert(FIXTURE, plugins="nosuchplugin", plugin_path=PLUGIN_DIRS,
                             rules=RULES)
        self.assertIn(cm.exception.code, (_lib.HS_EPLUGIN, _lib.HS_ENOTFOUND))
        self.assertIn("nosuchplugin", cm.exception.message)
        rules = self.path("bad.rules")
        with open(rules, "w") as f:
            f.write("plugin lstm\nfrobnicate everything\n")
        with self.assertRaises(hintstub.PluginError) as cm:
            hintstub.convert(FIXTURE, rules=rules, plugin_path=PLUGIN_DIRS)
        self.assertEqual(cm.exception.code, _lib.HS_ERULES)
        self.assertIn("bad.rules:2", cm.exception.message)

    def test_plugin_warnings_and_failures(self):
        # tests/host/plugins: strs warns on a call "warnme", failing's emit
        # fails on calls "bad...".
        tp = os.path.join(BUILD, "tests", "host", "plugins", ".libs")

        def one_call(uuid):
            g = tfgraph.Graph()
            g.node("x", "Const")
            g.hint("i", "x", "TestFn", uuid, True, 0)
            g.node("n", "Neg", "i")
            g.hint("o", "n", "TestFn", uuid, False, 0)
            g.node("y", "Identity", "o")
            return g.serialize()

        with self.assertWarns(hintstub.HintstubWarning) as cm:
            r = hintstub.convert(one_call("warnme"), plugins="strs", plugin_path=tp)
        self.assertIn("warning: looked at %s twice", r.warnings)
        self.assertIn("looked at %s twice", str(cm.warning))
        self.assertEqual(r.report["calls"][0]["plugin"], "strs")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            r = hintstub.convert(one_call("bad0"), plugins="failing", plugin_path=tp)
        self.assertEqual(r.report["calls"][0]["result"], "failed")
        self.assertTrue(any("cannot convert this one" in w for w in r.warnings), r.warnings)

    def test_verify_error_class(self):
        # A verification failure needs a plugin writing a broken graph;
        # the code maps to its class.
        e = hintstub._error(_lib.HS_EVERIFY, "x")
        self.assertIsInstance(e, hintstub.VerifyError)
        self.assertEqual(e.code, _lib.HS_EVERIFY)
        self.assertEqual(e.name, _lib.lib.hs_error_name(_lib.HS_EVERIFY).decode())

    def test_invalid_arguments(self):
        for kwargs in ({"input_layout": "sparse"}, {"interior_escape": "maybe"},
                       {"no_plugins": True, "plugins": "lstm"}, {"max_nodes": -1}):
            with self.subTest(**kwargs):
                with self.assertRaises(hintstub.InvalidArgumentError) as cm:
                    hintstub.convert(FIXTURE, **kwargs)
                self.assertEqual(cm.exception.code, _lib.HS_EINVAL)
                self.assertIsInstance(cm.exception, ValueError)


class Threads(Scratch):
    """Threads converting at once, each with its own error message."""

    def test_parallel(self):
        good = read(FIXTURE)
        expected = hintstub.convert(good, no_plugins=True).graph
        failures = []

        def work(k):
            missing = os.path.join(self.tmp, "missing-%d.pb" % k)
            try:
                for _ in range(30):
                    if hintstub.convert(good, no_plugins=True).graph != expected:
                        failures.append("thread %d: wrong result" % k)
                    try:
                        hintstub.convert(missing, no_plugins=True)
                        failures.append("thread %d: no error" % k)
                    except hintstub.BadInputError as e:
                        if "missing-%d.pb" % k not in e.message:
                            failures.append("thread %d got %r" % (k, e.message))
            except Exception as e:  # reported below
                failures.append("thread %d: %r" % (k, e))

        threads = [threading.Thread(target=work, args=(k,)) for k in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(failures, [])


def rss_kib():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 1024


class Memory(unittest.TestCase):
    """10,000 conversions of a small graph (and the failing, inspect and
    explain paths) keep the resident set flat."""

    @unittest.skipUnless(os.path.exists("/proc/self/statm"), "needs /proc/self/statm")
    def test_leak_loop(self):
        graph = tfgraph.swish()
        bad = b"\x0a\x05\xff"

        def rounds(n):
            for _ in range(n):
                hintstub.convert(graph, no_plugins=True)
            for _ in range(n // 10):
                try:
                    hintstub.convert(bad, no_plugins=True)
                except hintstub.BadInputError:
                    pass
                hintstub.inspect(graph, no_plugins=True)
                hintstub.explain(graph, no_plugins=True)

        rounds(1000)  # warm up: allocator pools, caches
        before = rss_kib()
        rounds(10000)
        growth = rss_kib() - before
        self.assertLess(growth, 2048, "RSS grew by %d KiB over 10,000 conversions" % growth)


class Quiet(unittest.TestCase):
    """The library prints nothing, on success or failure."""

    def test_nothing_printed(self):
        code = ("import warnings, hintstub\n"
                "warnings.simplefilter('ignore')\n"
                "hintstub.convert(%r, no_plugins=True)\n"
                "hintstub.convert(%r, no_plugins=True, skip_bad_calls=True)\n"
                "hintstub.explain(%r, plugin_path=%r, rules=%r)\n"
                "for g in (b'\\xff', %r):\n"
                "    try: hintstub.convert(g, no_plugins=True)\n"
                "    except hintstub.Error: pass\n") % (
                    FIXTURE, BAD_CALLS, FIXTURE, PLUGIN_DIRS, RULES, BAD_CALLS)
        proc = subprocess.run([sys.executable, "-c", code], capture_output=True)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual((proc.stdout, proc.stderr), (b"", b""))


class Example(Scratch):
    """examples/pipeline.py converts the fixture to the command's bytes
    (the uninstalled package's defaults: this tree's plugins and rules)."""

    def test_pipeline(self):
        out = self.path("pipeline.pb")
        proc = subprocess.run([sys.executable, os.path.join(SRC, "examples", "pipeline.py"),
                               FIXTURE, out], capture_output=True)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertTrue(proc.stdout.startswith(b"write_callback: initial, "))
        report = json.loads(proc.stdout.split(b"\n", 1)[1])
        self.assertEqual(report["converted"], 2)
        _, cli = plugin_options({}, [])
        self.assertEqual(read(out), run_cli(cli + [FIXTURE, "-"]).stdout)


class Package(unittest.TestCase):
    def test_library_and_help(self):
        self.assertTrue(hintstub._paths.UNINSTALLED)
        self.assertEqual(hintstub.library_path(), hintstub._paths.LIBRARY)
        self.assertRegex(hintstub.__version__, r"^\d+\.\d+\.\d+")
        import pydoc
        text = pydoc.render_doc(hintstub)
        for name in ("convert_op_hints_to_stubs", "explain", "BadInputError"):
            self.assertIn(name, text)

    def test_environment_overrides(self):
        code = "import hintstub; print(hintstub.library_path())"
        env = dict(os.environ, HINTSTUB_LIBRARY=os.path.join(self.tmpdir(), "nope.so"))
        proc = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True)
        self.assertNotEqual(proc.returncode, 0)
        self.assertIn(b"HINTSTUB_LIBRARY", proc.stderr)
        env["HINTSTUB_LIBRARY"] = hintstub._paths.LIBRARY
        proc = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True)
        self.assertEqual(proc.stdout.decode().strip(), hintstub._paths.LIBRARY)

    def tmpdir(self):
        d = tempfile.mkdtemp(prefix="hintstub-py.")
        self.addCleanup(shutil.rmtree, d, True)
        return d


if __name__ == "__main__":
    unittest.main()
