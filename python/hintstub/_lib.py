"""ctypes declarations of libhintstub's public API (include/hintstub/*.h).

Only what the package calls is declared.  The Structures mirror the C
structs field for field; python/tests/layout.c prints the C sizes and
offsets and the test suite compares them with these.  Options structs are
always filled by the library's own *_options_init functions, so defaults
live in C only.

Every foreign call goes through ctypes.CDLL, which releases the GIL for
the duration of the call.
"""

import ctypes
import os
from ctypes import (CFUNCTYPE, POINTER, Structure, c_char_p, c_int, c_int64,
                    c_size_t, c_uint, c_uint32, c_uint64, c_void_p)

from . import _paths

# hs_error_code (graph.h)
HS_OK = 0
HS_ERROR = -1
HS_ENOMEM = -2
HS_EIO = -3
HS_EPARSE = -4
HS_EGRAPH = -5
HS_EHINT = -6
HS_ERULES = -7
HS_EPLUGIN = -8
HS_EVERIFY = -9
HS_ELIMIT = -10
HS_EINVAL = -11
HS_ENOTFOUND = -12
HS_EEXISTS = -13

# Options struct versions this binding was written for.
HS_LOAD_OPTIONS_VERSION = 1
HS_DISCOVER_OPTIONS_VERSION = 1
HS_PLAN_OPTIONS_VERSION = 1
HS_APPLY_OPTIONS_VERSION = 1
HS_CONVERT_OPTIONS_VERSION = 2

# hs_policy, hs_input_layout, hs_call_result, hs_severity (plan.h, calls.h)
POLICIES = {"error": 0, "warn": 1, "ignore": 2}
LAYOUTS = {"dense": 0, "present": 1}
HS_CALL_CONVERTED, HS_CALL_KEPT, HS_CALL_SKIPPED, HS_CALL_FAILED = 0, 1, 2, 3

HS_ARG_REQUIRED = 0x1
HS_SIG_CLOSED = 0x1


class hs_str(Structure):
    _fields_ = [("ptr", c_void_p), ("len", c_size_t)]

    def text(self):
        if not self.len:
            return ""
        return ctypes.string_at(self.ptr, self.len).decode("utf-8", "replace")


class hs_problem(Structure):
    _fields_ = [("severity", c_int), ("code", c_char_p), ("message", c_char_p)]


class hs_load_options(Structure):
    _fields_ = [("version", c_uint), ("max_file_size", c_uint64),
                ("max_nodes", c_uint64), ("max_depth", c_uint32),
                ("format", c_uint32), ("flags", c_uint32),
                ("reserved", c_uint32 * 6)]


class hs_discover_options(Structure):
    _fields_ = [("version", c_uint), ("colocation_edges", c_int),
                ("reserved", c_uint32 * 8)]


class hs_plan_options(Structure):
    _fields_ = [("version", c_uint), ("interior_escape", c_int),
                ("unhinted_side_input", c_int), ("input_layout", c_int),
                ("tf_exact", c_int), ("registry", c_void_p),
                ("explain", c_int), ("reserved", c_uint32 * 8)]


class hs_apply_options(Structure):
    _fields_ = [("version", c_uint), ("strip_hints", c_int),
                ("keep_pack_unpack", c_int), ("dry_run", c_int),
                ("verify_all", c_uint32), ("prune_library", c_int),
                ("reserved", c_uint32 * 6)]


class hs_convert_options(Structure):
    _fields_ = [("version", c_uint), ("discover", hs_discover_options),
                ("plan", hs_plan_options), ("apply", hs_apply_options),
                ("reserved", c_uint32 * 8)]


class hs_call_report(Structure):
    _fields_ = [("function", hs_str), ("uuid", hs_str), ("result", c_int),
                ("plugin", c_char_p), ("nodes_removed", c_size_t),
                ("nodes_added", c_size_t), ("reason", c_char_p),
                ("error", c_int), ("n_problems", c_size_t),
                ("problems", POINTER(hs_problem)), ("ordinal", c_size_t)]


class hs_plugin_arg(Structure):
    _fields_ = [("index", c_int64), ("flags", c_uint), ("aggregation", c_int),
                ("dtype", c_int), ("reserved", c_uint32)]


class hs_plugin_signature(Structure):
    _fields_ = [("function", c_char_p), ("level", c_int64), ("flags", c_uint),
                ("n_inputs", c_size_t), ("inputs", POINTER(hs_plugin_arg)),
                ("n_outputs", c_size_t), ("outputs", POINTER(hs_plugin_arg)),
                ("reserved", c_void_p * 4)]


class hs_plugin_desc(Structure):
    # The callbacks are never called from Python: plain pointers.
    _fields_ = [("abi_major", c_uint32), ("abi_minor", c_uint32),
                ("struct_size", c_uint32), ("reserved0", c_uint32),
                ("name", c_char_p), ("version", c_char_p),
                ("description", c_char_p), ("priority", c_int),
                ("n_signatures", c_size_t),
                ("signatures", POINTER(hs_plugin_signature)),
                ("create", c_void_p), ("destroy", c_void_p),
                ("set_option", c_void_p), ("check", c_void_p),
                ("emit", c_void_p), ("free_claim", c_void_p),
                ("options", c_void_p), ("evaluate", c_void_p),
                ("reserved", c_void_p * 5)]


# Structures the layout test compares with python/tests/layout.c.
STRUCTS = (hs_str, hs_problem, hs_load_options, hs_discover_options,
           hs_plan_options, hs_apply_options, hs_convert_options,
           hs_call_report, hs_plugin_arg, hs_plugin_signature, hs_plugin_desc)

EXPLAIN_FN = CFUNCTYPE(None, c_char_p, c_int, c_char_p, c_void_p)
DIAGNOSTIC_FN = CFUNCTYPE(None, c_char_p, c_void_p)

_P = c_void_p  # every opaque handle
_PP = POINTER(c_void_p)

# name: (restype, argtypes)
_PROTOTYPES = {
    "hs_version": (c_char_p, []),
    "hs_error_last": (c_char_p, []),
    "hs_error_last_code": (c_int, []),
    "hs_error_clear": (None, []),
    "hs_error_name": (c_char_p, [c_int]),
    "hs_free": (None, [c_void_p]),
    "hs_load_options_init": (c_int, [POINTER(hs_load_options), c_uint]),
    "hs_discover_options_init": (c_int, [POINTER(hs_discover_options), c_uint]),
    "hs_plan_options_init": (c_int, [POINTER(hs_plan_options), c_uint]),
    "hs_apply_options_init": (c_int, [POINTER(hs_apply_options), c_uint]),
    "hs_convert_options_init": (c_int, [POINTER(hs_convert_options), c_uint]),
    "hs_graph_load_file": (c_int, [_PP, c_char_p, POINTER(hs_load_options)]),
    "hs_graph_load_buffer": (c_int, [_PP, c_void_p, c_size_t, c_char_p,
                                     POINTER(hs_load_options)]),
    "hs_graph_write_file": (c_int, [_P, c_char_p]),
    "hs_graph_write_buffer": (c_int, [_PP, POINTER(c_size_t), _P]),
    "hs_graph_serialized_size": (c_size_t, [_P]),
    "hs_graph_verify": (c_int, [_P]),
    "hs_graph_source": (c_char_p, [_P]),
    "hs_graph_free": (None, [_P]),
    "hs_discover": (c_int, [_PP, _P, POINTER(hs_discover_options)]),
    "hs_callset_free": (None, [_P]),
    "hs_callset_call": (_P, [_P, c_size_t]),
    "hs_call_function": (hs_str, [_P]),
    "hs_call_uuid": (hs_str, [_P]),
    "hs_call_input_count": (c_size_t, [_P]),
    "hs_call_output_count": (c_size_t, [_P]),
    "hs_severity_name": (c_char_p, [c_int]),
    "hs_call_result_name": (c_char_p, [c_int]),
    "hs_plan_new": (c_int, [_PP, _P, _P, POINTER(hs_plan_options)]),
    "hs_plan_free": (None, [_P]),
    "hs_plan_calls": (_P, [_P]),
    "hs_plan_count": (c_size_t, [_P]),
    "hs_plan_entry": (POINTER(hs_call_report), [_P, c_size_t]),
    "hs_plan_explain": (c_int, [_P, c_size_t, EXPLAIN_FN, c_void_p]),
    "hs_plan_to_json": (c_int, [_PP, _P]),
    "hs_convert": (c_int, [_PP, _P, POINTER(hs_convert_options)]),
    "hs_report_count": (c_size_t, [_P]),
    "hs_report_entry": (POINTER(hs_call_report), [_P, c_size_t]),
    "hs_report_errors": (c_size_t, [_P]),
    "hs_report_problem_count": (c_size_t, [_P]),
    "hs_report_problem": (POINTER(hs_problem), [_P, c_size_t]),
    "hs_report_to_json": (c_int, [_PP, _P]),
    "hs_report_free": (None, [_P]),
    "hs_registry_new": (c_int, [_PP, c_uint]),
    "hs_registry_free": (None, [_P]),
    "hs_registry_add_search_dir": (c_int, [_P, c_char_p]),
    "hs_registry_select": (c_int, [_P, POINTER(c_char_p), c_size_t]),
    "hs_registry_has_plugin": (c_int, [_P, c_char_p]),
    "hs_registry_load_plugin": (c_int, [_P, c_char_p]),
    "hs_registry_load_rules": (c_int, [_P, c_char_p]),
    "hs_registry_plugin_count": (c_size_t, [_P]),
    "hs_registry_plugin": (POINTER(hs_plugin_desc), [_P, c_size_t]),
    "hs_registry_plugin_file": (c_char_p, [_P, c_size_t]),
    "hs_registry_plugin_function": (c_char_p, [_P, c_size_t, c_size_t]),
    "hs_registry_set_diagnostic": (None, [_P, DIAGNOSTIC_FN, c_void_p]),
}


def library_path():
    """The file the package loads: $HINTSTUB_LIBRARY, else the library of
    the build tree (uninstalled) or of the installation it belongs to."""
    return os.environ.get("HINTSTUB_LIBRARY") or _paths.LIBRARY


def _open():
    path = library_path()
    try:
        lib = ctypes.CDLL(path)
    except OSError as e:
        raise ImportError(
            "hintstub: cannot load libhintstub from %r (%s); set "
            "HINTSTUB_LIBRARY to the path of libhintstub.so" % (path, e)) from e
    for name, (restype, argtypes) in _PROTOTYPES.items():
        fn = getattr(lib, name)
        fn.restype = restype
        fn.argtypes = argtypes
    return lib


lib = _open()
