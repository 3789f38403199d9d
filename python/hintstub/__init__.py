"""hintstub: replace the TensorFlow OpHint regions of a frozen GraphDef by
stub fused ops, from Python.

A drop-in for TensorFlow 1.x's pass, over libhintstub (ctypes, standard
library only)::

    import hintstub
    graph_def = hintstub.convert_op_hints_to_stubs(graph_def=graph_def)

or, with the report and every option of the command line::

    result = hintstub.convert("model.pb", plugins="lstm")
    result.graph, result.report, result.warnings

Functions: convert, convert_op_hints_to_stubs, inspect, explain,
list_plugins.  Every failure raises hintstub.Error (or a subclass:
BadInputError, PluginError, VerifyError, InvalidArgumentError), carrying
the library's message and error code.  Warnings are returned with the
result and also issued through the `warnings` module (HintstubWarning).

A graph is given as bytes, bytearray or memoryview (its serialized
bytes), as a path (str or os.PathLike), or as any object with
SerializeToString() (a TensorFlow or protobuf GraphDef); results come back
of the same kind.  The library releases the GIL while it converts
(ctypes.CDLL), prints nothing, and keeps its error messages per thread, so
threads may convert in parallel.
"""

import ctypes
import json
import os
import pkgutil
import warnings as _warnings
from ctypes import byref, c_char, c_char_p, c_size_t, c_void_p
from typing import Any, Callable, Dict, Iterable, List, Optional, Union

# A VPATH build tree keeps the generated _paths.py in the build directory:
# let the package span both (a no-op when installed).
__path__ = pkgutil.extend_path(__path__, __name__)

from . import _lib  # noqa: E402  (after __path__)
from . import _paths  # noqa: E402
from ._lib import lib as _c  # noqa: E402

__all__ = ["convert", "convert_op_hints_to_stubs", "inspect", "explain",
           "list_plugins", "Result", "Error", "BadInputError", "PluginError",
           "VerifyError", "InvalidArgumentError", "HintstubWarning",
           "library_version", "library_path"]

Graph = Union[bytes, bytearray, memoryview, str, "os.PathLike[str]", Any]
Names = Union[str, Iterable[str], None]


# ----------------------------------------------------------------- errors

class Error(Exception):
    """A libhintstub failure.  `code` is the library's (negative)
    hs_error_code, `message` its one-line message, `name` the code's short
    name ("parse error", ...)."""

    def __init__(self, code: int, message: str):
        super().__init__(message)
        self.code = code
        self.message = message
        self.name = (_c.hs_error_name(code) or b"").decode()


class BadInputError(Error):
    """The graph cannot be converted: not a GraphDef, malformed, broken
    hints, a call with errors, a resource limit, or an unreadable file.
    For calls with errors, `report` and `warnings` say what was found."""
    report = None
    warnings = ()


class PluginError(Error):
    """A plugin could not be loaded or failed, or a rule file is bad."""


class VerifyError(Error):
    """The converted graph failed verification (nothing is returned)."""


class InvalidArgumentError(Error, ValueError):
    """An argument hintstub cannot take (also a ValueError, as
    TensorFlow raises for convert_op_hints_to_stubs)."""

    def __init__(self, message: str, code: int = _lib.HS_EINVAL):
        super().__init__(code, message)


class HintstubWarning(UserWarning):
    """A warning of a conversion (also in Result.warnings)."""


_ERROR_CLASSES = {
    _lib.HS_EIO: BadInputError, _lib.HS_EPARSE: BadInputError,
    _lib.HS_EGRAPH: BadInputError, _lib.HS_EHINT: BadInputError,
    _lib.HS_ELIMIT: BadInputError, _lib.HS_ENOTFOUND: BadInputError,
    _lib.HS_ERULES: PluginError, _lib.HS_EPLUGIN: PluginError,
    _lib.HS_EVERIFY: VerifyError, _lib.HS_EINVAL: InvalidArgumentError,
}


def _error(code: int, message: str) -> Error:
    cls = _ERROR_CLASSES.get(code, Error)
    if cls is InvalidArgumentError:
        return InvalidArgumentError(message)
    return cls(code, message)


def _check(rc: int, prefix: str = "", cls=None) -> None:
    """Raises the library's error of this thread when rc is a failure (as
    `cls` when given, for codes other than EINVAL and ENOMEM)."""
    if rc != _lib.HS_OK:
        message = (_c.hs_error_last() or b"").decode("utf-8", "replace")
        if cls is None or rc in (_lib.HS_EINVAL, _lib.HS_ENOMEM):
            raise _error(rc, prefix + message)
        raise cls(rc, prefix + message)


def library_version() -> str:
    """The version of the loaded libhintstub."""
    return _c.hs_version().decode()


def library_path() -> str:
    """The file libhintstub was loaded from ($HINTSTUB_LIBRARY, else the
    path recorded when the package was built)."""
    return _lib.library_path()


__version__ = library_version()


# --------------------------------------------------------------- options

class _PassOptions:
    """The options that shape the plan (the command line's --plugins,
    --rules, ..., --max-nodes), shared by convert, inspect and explain."""

    def __init__(self, plugins: Names = None, rules=None, plugin_path=(),
                 no_plugins: bool = False, input_layout: str = "dense",
                 tf_exact: bool = False, interior_escape: str = "error",
                 side_input: str = "warn", allow_empty: bool = False,
                 max_file_size: int = 0, max_nodes: int = 0,
                 max_depth: int = 0):
        self.plugins = _names(plugins)
        self.rules = rules
        self.plugin_path = [plugin_path] if isinstance(
            plugin_path, (str, bytes, os.PathLike)) else list(plugin_path)
        self.no_plugins = no_plugins
        self.allow_empty = allow_empty
        if no_plugins and (self.plugins or rules):
            raise InvalidArgumentError(
                "no_plugins cannot be combined with plugins or rules")
        self.layout = _choice(input_layout, _lib.LAYOUTS, "input_layout")
        self.escape = _choice(interior_escape, _lib.POLICIES, "interior_escape")
        self.side = _choice(side_input, _lib.POLICIES, "side_input")
        self.tf_exact = bool(tf_exact)
        self.limits = _lib.hs_load_options()
        _check(_c.hs_load_options_init(byref(self.limits),
                                       _lib.HS_LOAD_OPTIONS_VERSION))
        for field, value in (("max_file_size", max_file_size),
                             ("max_nodes", max_nodes), ("max_depth", max_depth)):
            if not isinstance(value, int) or value < 0:
                raise InvalidArgumentError("invalid %s value %r" % (field, value))
            setattr(self.limits, field, value)

    def fill_plan(self, plan: _lib.hs_plan_options, registry) -> None:
        plan.input_layout = self.layout
        plan.interior_escape = self.escape
        plan.unhinted_side_input = self.side
        plan.tf_exact = int(self.tf_exact)
        plan.registry = registry.handle if registry else None


def _names(names: Names) -> List[str]:
    if names is None:
        return []
    if isinstance(names, str):
        return [n for n in names.split(",") if n]
    return list(names)


def _choice(value: str, table: Dict[str, int], what: str) -> int:
    try:
        return table[value]
    except (KeyError, TypeError):
        raise InvalidArgumentError("invalid value %r for %s (one of %s)" % (
            value, what, ", ".join(sorted(table)))) from None


def _fs(path) -> bytes:
    return os.fsencode(path)


# -------------------------------------------------------------- registry

class _Owner:
    """Owns library objects: `with` frees them (close) on every path."""

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


class _Registry(_Owner):
    """Plugins and rules, opened as the command line opens them: search
    dirs, --plugins selection, the rule file (default: the installed
    default.rules), then the selected plugins the rules did not load.
    Plugin warnings are collected in `diagnostics` (the only Python
    callback that can run during a conversion)."""

    def __init__(self, o: _PassOptions):
        self.handle = c_void_p()
        self.diagnostics: List[str] = []
        _check(_c.hs_registry_new(byref(self.handle), 0))
        try:
            self._diag = _lib.DIAGNOSTIC_FN(self._on_diagnostic)
            _c.hs_registry_set_diagnostic(self.handle, self._diag, None)
            dirs = [_fs(d) for d in list(o.plugin_path) + list(_paths.PLUGIN_DIRS)]
            for d in dict.fromkeys(dirs):
                _check(_c.hs_registry_add_search_dir(self.handle, d), cls=PluginError)
            for name in o.plugins:
                one = (c_char_p * 1)(name.encode())
                _check(_c.hs_registry_select(self.handle, one, 1), cls=PluginError)
            rules = o.rules
            if rules is None and os.access(_paths.RULES, os.R_OK):
                rules = _paths.RULES
            if rules is not None:
                _check(_c.hs_registry_load_rules(self.handle, _fs(rules)), cls=PluginError)
            for name in o.plugins:
                if not _c.hs_registry_has_plugin(self.handle, name.encode()):
                    _check(_c.hs_registry_load_plugin(self.handle, name.encode()),
                           cls=PluginError)
        except BaseException:
            self.close()
            raise

    def _on_diagnostic(self, message, payload):
        self.diagnostics.append("warning: " + message.decode("utf-8", "replace"))

    def close(self):
        if self.handle:
            _c.hs_registry_free(self.handle)
            self.handle = c_void_p()


def _open_registry(o: _PassOptions) -> Optional[_Registry]:
    return None if o.no_plugins else _Registry(o)


# ---------------------------------------------------------------- graphs

class _Input(_Owner):
    """A loaded graph and how to give a result back in the input's kind.

    No copy is made on the way in on the Python side: bytes are passed as
    they are, writable buffers through ctypes' from_buffer, paths are read
    by the library.  hs_graph_load_buffer copies the bytes into its own
    buffer (the graph keeps views into it), so that one copy is the
    library's.  A read-only buffer that is not bytes is copied once."""

    def __init__(self, graph: Graph, limits: _lib.hs_load_options):
        self.handle = c_void_p()
        self.kind = None
        self.label = "graph"
        if isinstance(graph, (str, os.PathLike)):
            self.kind = "path"
            self.label = os.fspath(graph)
            rc = _c.hs_graph_load_file(byref(self.handle), _fs(graph), byref(limits))
            _check(rc)
            return
        if isinstance(graph, (bytes, bytearray, memoryview)):
            self.kind = type(graph)
            data, size = _buffer(graph)
        elif callable(getattr(graph, "SerializeToString", None)):
            self.kind = type(graph)
            data = graph.SerializeToString()
            size = len(data)
        else:
            raise InvalidArgumentError(
                "graph must be bytes, bytearray, memoryview, a path or an "
                "object with SerializeToString(), not %s" % type(graph).__name__)
        rc = _c.hs_graph_load_buffer(byref(self.handle), data, size,
                                     self.label.encode(), byref(limits))
        _check(rc)

    def check(self, allow_empty: bool) -> None:
        """What the command requires beyond loading: a non-empty graph
        (unless allowed) that verifies."""
        if not allow_empty and _c.hs_graph_serialized_size(self.handle) == 0:
            raise BadInputError(_lib.HS_EPARSE, "%s: empty input: not a GraphDef "
                                "(allow_empty=True accepts it)" % self.label)
        _check(_c.hs_graph_verify(self.handle), self.label + ": ")

    def result(self, output=None):
        """The graph's bytes in the input's kind: one copy out of the
        library's buffer (or a file written atomically for `output`)."""
        if output is not None:
            _check(_c.hs_graph_write_file(self.handle, _fs(output)))
            return output
        buf, size = c_void_p(), c_size_t()
        _check(_c.hs_graph_write_buffer(byref(buf), byref(size), self.handle))
        try:
            n = size.value
            if self.kind is bytearray:
                out = bytearray(n)
                if n:
                    ctypes.memmove((c_char * n).from_buffer(out), buf, n)
                return out
            data = ctypes.string_at(buf, n) if n else b""
        finally:
            _c.hs_free(buf)
        if self.kind in (bytes, "path"):
            return data
        if self.kind is memoryview:
            return memoryview(data)
        return self.kind.FromString(data)

    def close(self):
        if self.handle:
            _c.hs_graph_free(self.handle)
            self.handle = c_void_p()


def _buffer(obj):
    """(pointer-compatible object, size) for a bytes-like object."""
    if isinstance(obj, bytes):
        return obj, len(obj)
    view = obj if isinstance(obj, memoryview) else memoryview(obj)
    if not view.c_contiguous:
        data = view.tobytes()
        return data, len(data)
    view = view.cast("B") if view.format != "B" or view.ndim != 1 else view
    n = view.nbytes
    if n == 0:
        return b"", 0
    if view.readonly:
        if isinstance(view.obj, bytes) and len(view.obj) == n:
            return view.obj, n
        data = view.tobytes()
        return data, n
    return (c_char * n).from_buffer(view), n


# ---------------------------------------------------------------- plans

class _Plan(_Owner):
    """load -> registry -> discover -> plan, as the command's inspect and
    explain build it."""

    def __init__(self, graph: Graph, o: _PassOptions, explain: bool):
        self.registry = _open_registry(o)
        self.input = None
        self.calls = c_void_p()
        self.handle = c_void_p()
        try:
            self.input = _Input(graph, o.limits)
            self.input.check(o.allow_empty)
            popts = _lib.hs_plan_options()
            _check(_c.hs_plan_options_init(byref(popts), _lib.HS_PLAN_OPTIONS_VERSION))
            o.fill_plan(popts, self.registry)
            popts.explain = int(explain)
            prefix = self.input.label + ": "
            _check(_c.hs_discover(byref(self.calls), self.input.handle, None), prefix)
            _check(_c.hs_plan_new(byref(self.handle), self.input.handle,
                                  self.calls, byref(popts)), prefix)
        except BaseException:
            self.close()
            raise

    def close(self):
        _c.hs_plan_free(self.handle)
        _c.hs_callset_free(self.calls)
        self.handle = self.calls = c_void_p()
        if self.input:
            self.input.close()
        if self.registry:
            self.registry.close()


def _take_string(fn, *args) -> str:
    """Calls fn(&out, *args) returning a library-owned string, frees it."""
    out = c_void_p()
    _check(fn(byref(out), *args))
    try:
        return ctypes.string_at(out).decode("utf-8", "replace")
    finally:
        _c.hs_free(out)


def _problem(p) -> Dict[str, str]:
    return {"severity": _c.hs_severity_name(p.severity).decode(),
            "code": (p.code or b"").decode(), "message": (p.message or b"").decode()}


def _cstr(s) -> Optional[str]:
    return None if s is None else s.decode("utf-8", "replace")


# -------------------------------------------------------------- results

class Result:
    """What convert() returns.

    graph: the converted graph, of the input's kind (bytes for a path,
        unless `output` was given: then the output path);
    report: the conversion report (the command's --report JSON) as Python
        objects;
    warnings: every diagnostic of the run, one line each (the command's
        standard error without the 'hintstub: IN: ' prefix).
    """
    __slots__ = ("graph", "report", "warnings")

    def __init__(self, graph, report, warnings):
        self.graph = graph
        self.report = report
        self.warnings = warnings

    @property
    def converted(self) -> int:
        """Number of calls converted."""
        return self.report.get("converted", 0)

    def __repr__(self):
        return "<hintstub.Result: %d of %d calls converted, %d warning(s)>" % (
            self.converted, self.report.get("calls_total", 0), len(self.warnings))


def _report_lines(report) -> List[str]:
    """The command's stderr lines for a report (cli/main.c print_problems)."""
    lines = []
    for i in range(_c.hs_report_problem_count(report)):
        p = _problem(_c.hs_report_problem(report, i).contents)
        lines.append("%(severity)s: %(message)s [%(code)s]" % p)
    for i in range(_c.hs_report_count(report)):
        e = _c.hs_report_entry(report, i).contents
        for k in range(e.n_problems):
            lines.append("%(severity)s: %(message)s [%(code)s]" % _problem(e.problems[k]))
        if e.result == _lib.HS_CALL_FAILED or (e.result == _lib.HS_CALL_SKIPPED
                                               and not e.n_problems):
            lines.append("%s: call %s (%s) %s: %s" % (
                "error" if e.error else "warning", e.uuid.text(), e.function.text(),
                _c.hs_call_result_name(e.result).decode(), _cstr(e.reason) or ""))
    return lines


def _warn(lines: List[str]) -> None:
    """Every line but notes (e.g. a call already converted) through the
    warnings module."""
    for line in lines:
        if not line.startswith("note: "):
            _warnings.warn(line, HintstubWarning, stacklevel=3)


def convert(graph: Graph, *, plugins: Names = None, rules=None,
            plugin_path=(), no_plugins: bool = False,
            input_layout: str = "dense", tf_exact: bool = False,
            strip_hints: bool = False, skip_bad_calls: bool = False,
            interior_escape: str = "error", side_input: str = "warn",
            keep_pack_unpack: bool = False, allow_empty: bool = False,
            max_file_size: int = 0, max_nodes: int = 0, max_depth: int = 0,
            output=None, prune_library: bool = False) -> Result:
    """Converts every OpHint call of `graph`; the input is never modified.

    The options are the command line's: plugins ("lstm,rnn" or a list:
    use only these), rules (a rule file; default: the installed
    default.rules), plugin_path (directories searched first), no_plugins
    (generic stubs only), input_layout ("dense" or "present"), tf_exact,
    strip_hints, keep_pack_unpack, prune_library, skip_bad_calls, interior_escape and
    side_input ("error", "warn" or "ignore"), allow_empty and the limits
    (0: the library's default).  `output`, a path, writes the result
    there atomically instead of returning its bytes.

    Raises BadInputError when a call (or a hint) has errors, unless
    skip_bad_calls: then those calls stay as they were.  Returns a Result.
    """
    o = _PassOptions(plugins, rules, plugin_path, no_plugins, input_layout,
                     tf_exact, interior_escape, side_input, allow_empty,
                     max_file_size, max_nodes, max_depth)
    opts = _lib.hs_convert_options()
    _check(_c.hs_convert_options_init(byref(opts), _lib.HS_CONVERT_OPTIONS_VERSION))
    opts.apply.strip_hints = int(strip_hints)
    opts.apply.keep_pack_unpack = int(keep_pack_unpack)
    opts.apply.prune_library = int(prune_library)
    registry = _open_registry(o)
    try:
        o.fill_plan(opts.plan, registry)
        with _Input(graph, o.limits) as g:
            g.check(allow_empty)
            report = c_void_p()
            _check(_c.hs_convert(byref(report), g.handle, byref(opts)), g.label + ": ")
            try:
                lines = (registry.diagnostics if registry else []) + _report_lines(report)
                data = json.loads(_take_string(_c.hs_report_to_json, report))
                _refuse_errors(g.label, report, data, lines, skip_bad_calls)
                out = g.result(output)
            finally:
                _c.hs_report_free(report)
    finally:
        if registry:
            registry.close()
    _warn(lines)
    return Result(out, data, lines)


def _refuse_errors(label, report, data, lines, skip_bad_calls):
    """Calls with errors and hints forming no call stop the result, as
    they stop the command writing OUT."""
    bad_calls = _c.hs_report_errors(report)
    bad_hints = _c.hs_report_problem_count(report)
    if skip_bad_calls or not (bad_calls or bad_hints):
        return
    what = "%d call(s)" % bad_calls if bad_calls else "%d hint(s)" % bad_hints
    first = next((l for l in lines if l.startswith("error: ")), None)
    e = BadInputError(_lib.HS_EHINT, "%s: %s with errors; nothing converted "
                      "(see skip_bad_calls)%s" % (label, what,
                                                  ": " + first[7:] if first else ""))
    e.report = data
    e.warnings = lines
    raise e


def convert_op_hints_to_stubs(session=None, graph_def=None,
                              write_callback: Callable = lambda graph_def, comments: None,
                              **options):
    """tf.lite.experimental.convert_op_hints_to_stubs, by hintstub.

    Converts a GraphDef with OpHints into stub operations and returns the
    new GraphDef (of graph_def's own class; bytes stay bytes).  Only
    frozen graphs are converted: pass graph_def= (a session raises
    InvalidArgumentError, a ValueError, saying so).  write_callback is
    called as TensorFlow calls it, write_callback(graph_def, "initial"),
    after the level-1 calls are converted: hintstub converts them all in
    one pass, so it is called once, with the converted graph.  Keyword
    options are those of convert().
    """
    if session is not None and graph_def is not None:
        raise InvalidArgumentError("Provide only one of session and graph_def.")
    if session is not None:
        raise InvalidArgumentError(
            "hintstub converts frozen graphs only: pass graph_def= a frozen "
            "GraphDef (tf.compat.v1.graph_util.convert_variables_to_constants"
            "(session, session.graph_def, output_names)), not a session")
    if graph_def is None:
        raise InvalidArgumentError("Must specify session or graph_def as input.")
    result = convert(graph_def, **options)
    if result.converted and write_callback is not None:
        write_callback(result.graph, "initial")
    return result.graph


def inspect(graph: Graph, **options) -> Dict[str, Any]:
    """What `hintstub inspect --json` prints: node and op counts and every
    call with its operands, problems and planned outcome.  Options: those
    of convert() that shape the plan (plugins, rules, plugin_path,
    no_plugins, input_layout, tf_exact, interior_escape, side_input,
    allow_empty, the limits)."""
    with _Plan(graph, _PassOptions(**options), explain=False) as p:
        return json.loads(_take_string(_c.hs_plan_to_json, p.handle))


def explain(graph: Graph, **options) -> List[Dict[str, Any]]:
    """For every call, which plugin claims it and why each plugin before
    it does not, then what the conversion does with it (`hintstub
    explain`).  Returns one dict per call: function, uuid, inputs and
    outputs (counts), problems, verdicts (a list of {"plugin", "claims",
    "reason"}) and outcome ({"result", "plugin", "reason", "error",
    "nodes_removed", "nodes_added"}).  Options as for inspect()."""
    with _Plan(graph, _PassOptions(**options), explain=True) as p:
        calls = _c.hs_plan_calls(p.handle)
        return [_explain_call(p.handle, calls, i)
                for i in range(_c.hs_plan_count(p.handle))]


def _explain_call(plan, calls, i):
    verdicts = []

    def verdict(plugin, claims, reason, payload):
        verdicts.append({"plugin": _cstr(plugin), "claims": bool(claims),
                         "reason": None if claims else (_cstr(reason) or "")})

    _check(_c.hs_plan_explain(plan, i, _lib.EXPLAIN_FN(verdict), None))
    call = _c.hs_callset_call(calls, i)
    e = _c.hs_plan_entry(plan, i).contents
    return {
        "function": _c.hs_call_function(call).text(),
        "uuid": _c.hs_call_uuid(call).text(),
        "inputs": _c.hs_call_input_count(call),
        "outputs": _c.hs_call_output_count(call),
        "problems": [_problem(e.problems[k]) for k in range(e.n_problems)],
        "verdicts": verdicts,
        "outcome": {"result": _c.hs_call_result_name(e.result).decode(),
                    "plugin": _cstr(e.plugin), "reason": _cstr(e.reason),
                    "error": bool(e.error), "nodes_removed": e.nodes_removed,
                    "nodes_added": e.nodes_added},
    }


def list_plugins(*, plugins: Names = None, rules=None, plugin_path=(),
                 no_plugins: bool = False) -> List[Dict[str, Any]]:
    """The plugins a conversion with these options would use, in
    conversion order (`hintstub --list-plugins`): name, version, file,
    description, priority and signatures (function pattern, level, closed,
    inputs and outputs as {"index", "required"})."""
    o = _PassOptions(plugins, rules, plugin_path, no_plugins)
    registry = _open_registry(o)
    if registry is None:
        return []
    with registry:
        return [_plugin(registry.handle, i)
                for i in range(_c.hs_registry_plugin_count(registry.handle))]


def _plugin(r, i):
    d = _c.hs_registry_plugin(r, i).contents

    def args(arr, n):
        return [{"index": arr[k].index,
                 "required": bool(arr[k].flags & _lib.HS_ARG_REQUIRED)} for k in range(n)]

    sigs = []
    for s in range(d.n_signatures):
        sig = d.signatures[s]
        sigs.append({"function": _cstr(_c.hs_registry_plugin_function(r, i, s)),
                     "level": sig.level, "closed": bool(sig.flags & _lib.HS_SIG_CLOSED),
                     "inputs": args(sig.inputs, sig.n_inputs),
                     "outputs": args(sig.outputs, sig.n_outputs)})
    return {"name": _cstr(d.name), "version": _cstr(d.version),
            "file": _cstr(_c.hs_registry_plugin_file(r, i)),
            "description": _cstr(d.description), "priority": d.priority,
            "signatures": sigs}
