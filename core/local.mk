# libhintstub, built from one convenience library per layer.  Layers, lowest
# first: util, graph, calls, ophint, host, plan, apply, report; eval sits
# above graph beside the others (it uses only graph and util).  A layer may
# use only the layers before it: each is compiled with the include paths of
# itself and the layers below (HS_INC_<layer>), and tests/layers links each
# layer with only those below it, so an upward call fails to build.
#
# Version-info update rules (libtool): when a release changes the
# interface, current+1 and revision=0; when it only adds, age+1; when it
# removes or changes, age=0; otherwise only revision+1.
lib_LTLIBRARIES += libhintstub.la

HS_INC_UTIL = -I$(top_srcdir)/core/util
HS_INC_GRAPH = $(HS_INC_UTIL) -I$(top_srcdir)/core/graph -I$(top_builddir)/core/graph
HS_INC_CALLS = $(HS_INC_GRAPH) -I$(top_srcdir)/core/calls
HS_INC_OPHINT = $(HS_INC_CALLS) -I$(top_srcdir)/core/ophint
HS_INC_HOST = $(HS_INC_CALLS) -I$(top_srcdir)/core/host
HS_INC_PLAN = $(HS_INC_HOST) -I$(top_srcdir)/core/plan
HS_INC_APPLY = $(HS_INC_PLAN) $(HS_INC_OPHINT) -I$(top_srcdir)/core/apply
HS_INC_REPORT = $(HS_INC_APPLY) -I$(top_srcdir)/core/report
HS_INC_EVAL = $(HS_INC_GRAPH) -I$(top_srcdir)/core/eval
# Everything: for tests that look inside the library.
HS_INC_ALL = $(HS_INC_REPORT) -I$(top_srcdir)/core/eval

HS_CORE_CFLAGS = $(AM_CFLAGS) $(PROTOBUF_C_CFLAGS) -fvisibility=hidden

noinst_LTLIBRARIES += core/util/libhs_util.la core/graph/libhs_graph.la \
	core/calls/libhs_calls.la core/ophint/libhs_ophint.la \
	core/host/libhs_host.la core/plan/libhs_plan.la \
	core/apply/libhs_apply.la core/report/libhs_report.la
noinst_LTLIBRARIES += core/eval/libhs_eval.la

core_util_libhs_util_la_SOURCES = \
	core/util/error.c core/util/error.h core/util/grow.h \
	core/util/arena.c core/util/arena.h \
	core/util/hash.c core/util/hash.h core/util/strmap.h \
	core/util/wire.c core/util/wire.h core/util/json.c core/util/json.h \
	core/util/text.c core/util/text.h core/util/prefetch.h \
	core/util/suggest.c core/util/suggest.h
core_util_libhs_util_la_SOURCES += core/util/sysmem.c core/util/sysmem.h
core_util_libhs_util_la_SOURCES += core/util/keytable.c core/util/keytable.h
core_util_libhs_util_la_CPPFLAGS = $(AM_CPPFLAGS) $(HS_INC_UTIL)
core_util_libhs_util_la_CFLAGS = $(HS_CORE_CFLAGS)

core_graph_libhs_graph_la_SOURCES = \
	core/graph/graph.c core/graph/graph_internal.h \
	core/graph/name_index.c core/graph/name_index.h \
	core/graph/op_table.c \
	core/graph/graph_edit.c core/graph/attr.c core/graph/attr_iter.h \
	core/graph/sink.c core/graph/sink.h core/graph/direct_out.c \
	core/graph/direct_out.h core/graph/graph_write.c \
	core/graph/io.c core/graph/verify.c core/graph/tensor.c \
	core/graph/text.c core/graph/text_print.c core/graph/text.h \
	core/graph/library.c core/graph/library.h
nodist_core_graph_libhs_graph_la_SOURCES = core/graph/graph.pb-c.c core/graph/graph.pb-c.h
core_graph_libhs_graph_la_CPPFLAGS = $(AM_CPPFLAGS) $(HS_INC_GRAPH)
core_graph_libhs_graph_la_CFLAGS = $(HS_CORE_CFLAGS)

core_calls_libhs_calls_la_SOURCES = core/calls/callset.c core/calls/calls_internal.h
core_calls_libhs_calls_la_CPPFLAGS = $(AM_CPPFLAGS) $(HS_INC_CALLS)
core_calls_libhs_calls_la_CFLAGS = $(HS_CORE_CFLAGS)

core_ophint_libhs_ophint_la_SOURCES = core/ophint/ophint_internal.h core/ophint/hints.c \
	core/ophint/loop.c
core_ophint_libhs_ophint_la_SOURCES += core/ophint/library_note.c
core_ophint_libhs_ophint_la_CPPFLAGS = $(AM_CPPFLAGS) $(HS_INC_OPHINT)
core_ophint_libhs_ophint_la_CFLAGS = $(HS_CORE_CFLAGS)

core_host_libhs_host_la_SOURCES = \
	core/host/dispatch.h core/host/registry.c core/host/registry_internal.h \
	core/host/plugin_loader.h \
	core/host/plugin_loader.c core/host/rules.c \
	core/host/emit_guard.h core/host/emit_guard.c
core_host_libhs_host_la_CPPFLAGS = $(AM_CPPFLAGS) $(HS_INC_HOST)
core_host_libhs_host_la_CFLAGS = $(HS_CORE_CFLAGS)

core_plan_libhs_plan_la_SOURCES = core/plan/plan_internal.h core/plan/plan.c \
	core/plan/entry.c core/plan/problem.c \
	core/plan/region.c core/plan/cycles.c \
	core/plan/level2.c core/plan/stub_shape.c
core_plan_libhs_plan_la_CPPFLAGS = $(AM_CPPFLAGS) $(HS_INC_PLAN)
core_plan_libhs_plan_la_CFLAGS = $(HS_CORE_CFLAGS)

core_apply_libhs_apply_la_SOURCES = \
	core/apply/apply_internal.h core/apply/apply.c \
	core/apply/stub.h core/apply/stub.c core/apply/pack_unpack.c \
	core/apply/convert.c core/apply/chain.c core/apply/chain.h
core_apply_libhs_apply_la_CPPFLAGS = $(AM_CPPFLAGS) $(HS_INC_APPLY)
core_apply_libhs_apply_la_CFLAGS = $(HS_CORE_CFLAGS)

core_report_libhs_report_la_SOURCES = core/report/report_internal.h \
	core/report/report_json.c core/report/inspect.c
# hintstub draw: DOT and HTML pictures of a plan.
core_report_libhs_report_la_SOURCES += core/report/draw_internal.h \
	core/report/draw.c core/report/draw_dot.c core/report/draw_html.c
core_report_libhs_report_la_CPPFLAGS = $(AM_CPPFLAGS) $(HS_INC_REPORT)
core_report_libhs_report_la_CFLAGS = $(HS_CORE_CFLAGS)

# The reference evaluator: one file per op family (kernels_*.c).  It needs
# libm; CBLAS, when configure found one (HAVE_CBLAS), is opened at the
# first MatMul (core/eval/blas.c), not linked.
HS_EVAL_LIBS = -lm $(DL_LIBS)
core_eval_libhs_eval_la_SOURCES = core/eval/eval_internal.h core/eval/eval.c \
	core/eval/tensor.c core/eval/function.c core/eval/kutil.c \
	core/eval/kernels.c core/eval/kernels_core.c core/eval/kernels_math.c \
	core/eval/kernels_shape.c core/eval/kernels_array.c \
	core/eval/kernels_control.c core/eval/kernels_list.c
# The fused ops of the stubs (fused_*.c) and Conv2D (conv.c).
core_eval_libhs_eval_la_SOURCES += core/eval/fused.h core/eval/fused_internal.h \
	core/eval/fused_kernels.c core/eval/fused_util.c core/eval/fused_builtin.c \
	core/eval/fused_lstm.c core/eval/fused_rnn.c core/eval/conv.c
# NumPy .npy files of values (include/hintstub/npy.h).
core_eval_libhs_eval_la_SOURCES += core/eval/npy.c
core_eval_libhs_eval_la_SOURCES += core/eval/blas.c core/eval/blas.h
core_eval_libhs_eval_la_CPPFLAGS = $(AM_CPPFLAGS) $(HS_INC_EVAL)
core_eval_libhs_eval_la_CFLAGS = $(HS_CORE_CFLAGS)

# Highest layer first, as a static link resolves them.
HS_LAYER_LIBS = core/eval/libhs_eval.la \
	core/report/libhs_report.la core/apply/libhs_apply.la \
	core/plan/libhs_plan.la core/host/libhs_host.la \
	core/ophint/libhs_ophint.la core/calls/libhs_calls.la \
	core/graph/libhs_graph.la core/util/libhs_util.la
# Every library source, for the fuzz targets (built from sources).
HS_CORE_SRCS = $(core_util_libhs_util_la_SOURCES) \
	$(core_graph_libhs_graph_la_SOURCES) $(core_calls_libhs_calls_la_SOURCES) \
	$(core_ophint_libhs_ophint_la_SOURCES) $(core_host_libhs_host_la_SOURCES) \
	$(core_plan_libhs_plan_la_SOURCES) $(core_apply_libhs_apply_la_SOURCES) \
	$(core_report_libhs_report_la_SOURCES) \
	$(core_eval_libhs_eval_la_SOURCES)

libhintstub_la_SOURCES =
libhintstub_la_LIBADD = $(HS_LAYER_LIBS) $(PROTOBUF_C_LIBS) $(DL_LIBS) $(HS_EVAL_LIBS)
libhintstub_la_LDFLAGS = -version-info $(HS_LT_VERSION) -no-undefined

pkginclude_HEADERS += include/hintstub/hintstub.h include/hintstub/graph.h \
	include/hintstub/calls.h include/hintstub/ophint.h include/hintstub/plan.h \
	include/hintstub/plugin.h
pkginclude_HEADERS += include/hintstub/eval.h
pkginclude_HEADERS += include/hintstub/npy.h

BUILT_SOURCES += core/graph/graph.pb-c.c core/graph/graph.pb-c.h
CLEANFILES += core/graph/graph.pb-c.c core/graph/graph.pb-c.h
EXTRA_DIST += core/graph/graph.proto

core/graph/graph.pb-c.c core/graph/graph.pb-c.h: core/graph/graph.proto
	$(AM_V_GEN)$(MKDIR_P) core/graph && \
	$(PROTOC_C) --proto_path=$(srcdir)/core/graph --c_out=core/graph $(srcdir)/core/graph/graph.proto
