# Unit tests, mirroring the tree: tests/<layer>/check_<module>.c is the
# Check suite of core/<layer>/<module>.c (tests/bench for bench/, tests/cli
# and tests/examples for the command and the example plugin).  They share
# tests/lib (graph builders, files, the suite runner, the plugin staging).
TEST_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS) $(PROTOBUF_C_CFLAGS) $(HS_INC_ALL) \
	-I$(top_srcdir)/tests/lib \
	-DHS_TEST_DATA='"$(abs_top_srcdir)/tests/data"' \
	-DHS_BUILD_DIR='"$(abs_top_builddir)"' -DHS_SRC_DIR='"$(abs_top_srcdir)"'
TEST_LIBS = tests/lib/libhstest.la libhintstub.la $(CHECK_LIBS) $(PROTOBUF_C_LIBS)

check_LTLIBRARIES += tests/lib/libhstest.la
tests_lib_libhstest_la_SOURCES = tests/lib/testutil.c tests/lib/testutil.h \
	tests/lib/run.c tests/lib/run.h \
	tests/lib/plugtest.c tests/lib/plugtest.h
nodist_tests_lib_libhstest_la_SOURCES = core/graph/graph.pb-c.c core/graph/graph.pb-c.h
tests_lib_libhstest_la_CFLAGS = $(TEST_CFLAGS)

HS_UNIT_TESTS = tests/graph/check_graph tests/graph/check_io tests/graph/check_map tests/graph/check_verify \
	tests/graph/check_name_index tests/ophint/check_hints \
	tests/apply/check_convert tests/apply/check_badinput tests/apply/check_hostile \
	tests/host/check_plugins tests/host/check_rules tests/host/check_abi \
	tests/host/check_host tests/include/check_errors \
	tests/graph/check_attr tests/calls/check_callset tests/plan/check_plan \
	tests/report/check_inspect tests/graph/check_tensor tests/graph/check_text
tests_graph_check_text_SOURCES = tests/graph/check_text.c
tests_graph_check_text_CFLAGS = $(TEST_CFLAGS)
tests_graph_check_text_LDADD = $(TEST_LIBS)
tests_calls_check_callset_SOURCES = tests/calls/check_callset.c
tests_calls_check_callset_CFLAGS = $(TEST_CFLAGS)
tests_calls_check_callset_LDADD = $(TEST_LIBS)
HS_UNIT_TESTS += tests/calls/check_region
tests_calls_check_region_SOURCES = tests/calls/check_region.c
tests_calls_check_region_CFLAGS = $(TEST_CFLAGS)
tests_calls_check_region_LDADD = tests/lib/libhstest.la core/calls/libhs_calls.la \
	core/graph/libhs_graph.la core/util/libhs_util.la \
	$(CHECK_LIBS) $(PROTOBUF_C_LIBS)
tests_plan_check_plan_SOURCES = tests/plan/check_plan.c
tests_plan_check_plan_CFLAGS = $(TEST_CFLAGS)
tests_plan_check_plan_LDADD = $(TEST_LIBS)
tests_report_check_inspect_SOURCES = tests/report/check_inspect.c
tests_report_check_inspect_CFLAGS = $(TEST_CFLAGS) -pthread
tests_report_check_inspect_LDADD = $(TEST_LIBS) -lpthread
check_PROGRAMS += $(HS_UNIT_TESTS)
TESTS += $(HS_UNIT_TESTS)
tests_graph_check_graph_SOURCES = tests/graph/check_graph.c
tests_graph_check_graph_CFLAGS = $(TEST_CFLAGS)
tests_graph_check_graph_LDADD = $(TEST_LIBS)
tests_graph_check_io_SOURCES = tests/graph/check_io.c
tests_graph_check_io_CFLAGS = $(TEST_CFLAGS)
tests_graph_check_io_LDADD = $(TEST_LIBS)
tests_graph_check_map_SOURCES = tests/graph/check_map.c
tests_graph_check_map_CFLAGS = $(TEST_CFLAGS)
tests_graph_check_map_LDADD = $(TEST_LIBS)
tests_graph_check_verify_SOURCES = tests/graph/check_verify.c
tests_graph_check_verify_CFLAGS = $(TEST_CFLAGS)
tests_graph_check_verify_LDADD = tests/lib/libhstest.la \
	core/graph/libhs_graph.la core/util/libhs_util.la \
	$(CHECK_LIBS) $(PROTOBUF_C_LIBS)
HS_UNIT_TESTS += tests/graph/check_sink
tests_graph_check_sink_SOURCES = tests/graph/check_sink.c
tests_graph_check_sink_CFLAGS = $(TEST_CFLAGS)
tests_graph_check_sink_LDADD = tests/lib/libhstest.la \
	core/graph/libhs_graph.la core/util/libhs_util.la \
	$(CHECK_LIBS) $(PROTOBUF_C_LIBS)
HS_UNIT_TESTS += tests/graph/check_edit_views
tests_graph_check_edit_views_SOURCES = tests/graph/check_edit_views.c
tests_graph_check_edit_views_CFLAGS = $(TEST_CFLAGS)
tests_graph_check_edit_views_LDADD = tests/lib/libhstest.la \
	core/graph/libhs_graph.la core/util/libhs_util.la \
	$(CHECK_LIBS) $(PROTOBUF_C_LIBS)
tests_graph_check_name_index_SOURCES = tests/graph/check_name_index.c
tests_graph_check_name_index_CFLAGS = $(TEST_CFLAGS)
tests_graph_check_name_index_LDADD = $(TEST_LIBS)
tests_ophint_check_hints_SOURCES = tests/ophint/check_hints.c
tests_ophint_check_hints_CFLAGS = $(TEST_CFLAGS)
tests_ophint_check_hints_LDADD = $(TEST_LIBS)
tests_apply_check_convert_SOURCES = tests/apply/check_convert.c
tests_apply_check_convert_CFLAGS = $(TEST_CFLAGS)
tests_apply_check_convert_LDADD = $(TEST_LIBS)
# The adversarial shapes are bench_hostile's generator.
tests_apply_check_hostile_SOURCES = tests/apply/check_hostile.c \
	bench/hostile_shapes.c bench/hostile_shapes.h
tests_apply_check_hostile_CFLAGS = $(TEST_CFLAGS) -I$(top_srcdir)/bench
tests_apply_check_hostile_LDADD = $(TEST_LIBS)
tests_apply_check_badinput_SOURCES = tests/apply/check_badinput.c
tests_apply_check_badinput_CFLAGS = $(TEST_CFLAGS)
tests_apply_check_badinput_LDADD = $(TEST_LIBS)
tests_host_check_plugins_SOURCES = tests/host/check_plugins.c
tests_host_check_plugins_CFLAGS = $(TEST_CFLAGS)
tests_host_check_plugins_LDADD = $(TEST_LIBS)
tests_host_check_rules_SOURCES = tests/host/check_rules.c
tests_host_check_rules_CFLAGS = $(TEST_CFLAGS)
tests_host_check_rules_LDADD = $(TEST_LIBS)
tests_host_check_abi_SOURCES = tests/host/check_abi.c
tests_host_check_abi_CFLAGS = $(TEST_CFLAGS)
tests_host_check_abi_LDADD = $(TEST_LIBS)
tests_graph_check_attr_SOURCES = tests/graph/check_attr.c
tests_graph_check_attr_CFLAGS = $(TEST_CFLAGS)
tests_graph_check_attr_LDADD = $(TEST_LIBS)
tests_graph_check_tensor_SOURCES = tests/graph/check_tensor.c
tests_graph_check_tensor_CFLAGS = $(TEST_CFLAGS)
tests_graph_check_tensor_LDADD = $(TEST_LIBS)

# The util layer alone (private functions, no libhintstub): keyed hashing
# and uthash's wrapper, the JSON writer.
HS_UTIL_TESTS = tests/util/check_hash tests/util/check_json tests/util/check_error
HS_UTIL_TESTS += tests/util/check_arena
check_PROGRAMS += $(HS_UTIL_TESTS)
TESTS += $(HS_UTIL_TESTS)
UTIL_TEST_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS) $(HS_INC_UTIL) -I$(top_srcdir)/tests/lib
UTIL_TEST_LIBS = core/util/libhs_util.la $(CHECK_LIBS)
tests_util_check_hash_SOURCES = tests/util/check_hash.c tests/lib/run.c tests/lib/run.h
tests_util_check_hash_CFLAGS = $(UTIL_TEST_CFLAGS)
tests_util_check_hash_LDADD = $(UTIL_TEST_LIBS)
tests_util_check_json_SOURCES = tests/util/check_json.c tests/lib/run.c tests/lib/run.h
tests_util_check_json_CFLAGS = $(UTIL_TEST_CFLAGS)
tests_util_check_json_LDADD = $(UTIL_TEST_LIBS)
tests_util_check_error_SOURCES = tests/util/check_error.c tests/lib/run.c tests/lib/run.h
tests_util_check_error_CFLAGS = $(UTIL_TEST_CFLAGS)
tests_util_check_error_LDADD = $(UTIL_TEST_LIBS)
HS_UTIL_TESTS += tests/util/check_keytable
tests_util_check_keytable_SOURCES = tests/util/check_keytable.c tests/lib/run.c tests/lib/run.h
tests_util_check_keytable_CFLAGS = $(UTIL_TEST_CFLAGS)
tests_util_check_keytable_LDADD = $(UTIL_TEST_LIBS)
check_PROGRAMS += tests/util/check_text
TESTS += tests/util/check_text
tests_util_check_text_SOURCES = tests/util/check_text.c tests/lib/run.c tests/lib/run.h
tests_util_check_text_CFLAGS = $(UTIL_TEST_CFLAGS)
tests_util_check_text_LDADD = $(UTIL_TEST_LIBS)
tests_util_check_arena_SOURCES = tests/util/check_arena.c tests/lib/run.c tests/lib/run.h
tests_util_check_arena_CFLAGS = $(UTIL_TEST_CFLAGS)
tests_util_check_arena_LDADD = $(UTIL_TEST_LIBS)
tests_util_check_arena_LDFLAGS = -Wl,--wrap=calloc
tests_host_check_host_SOURCES = tests/host/check_host.c
tests_host_check_host_CFLAGS = $(TEST_CFLAGS)
tests_host_check_host_LDADD = $(TEST_LIBS)
tests_include_check_errors_SOURCES = tests/include/check_errors.c
tests_include_check_errors_CFLAGS = $(TEST_CFLAGS)
tests_include_check_errors_LDADD = $(TEST_LIBS)

# The loader linked without the rest of the library: the registry sits
# above it, never the other way round.
check_PROGRAMS += tests/host/check_loader
TESTS += tests/host/check_loader
tests_host_check_loader_SOURCES = tests/host/check_loader.c \
	core/host/plugin_loader.c core/host/plugin_loader.h \
	core/util/error.c core/util/error.h core/util/suggest.c core/util/suggest.h
tests_host_check_loader_CPPFLAGS = $(AM_CPPFLAGS) $(HS_INC_UTIL) -I$(top_srcdir)/core/host
tests_host_check_loader_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS) \
	-DHS_BUILD_DIR='"$(abs_top_builddir)"'
tests_host_check_loader_LDADD = $(CHECK_LIBS) $(DL_LIBS)

# Each public header compiles alone as C and C++.
TESTS += tests/include/headers.sh
EXTRA_DIST += tests/include/headers.sh
# The layers of core/ call only downward: each links, whole, with only the
# layers below it (and an upward call is shown to fail).
TESTS += tests/layers/layers.sh
EXTRA_DIST += tests/layers/layers.sh
# HS_CFLAGS: programs a test builds against the library need its
# sanitizer flags (tests/examples/doc_snippets.sh).
AM_TESTS_ENVIRONMENT = HS_CC='$(CC)' HS_CXX='$(HS_CXX)' HS_CFLAGS='$(CFLAGS)' \
	HS_PUBLIC_HEADERS='$(pkginclude_HEADERS)' HS_SRCDIR='$(srcdir)' \
	HS_EXT_LIBS='$(PROTOBUF_C_LIBS) $(DL_LIBS) $(HS_EVAL_LIBS)'; \
	export HS_CC HS_CXX HS_CFLAGS HS_PUBLIC_HEADERS HS_SRCDIR HS_EXT_LIBS;

EXTRA_DIST += tests/data

# The command on hostile inputs (tests/data/bad/, made by generate.py there).
TEST_EXTENSIONS = .sh
SH_LOG_COMPILER = $(SHELL)
TESTS += tests/cli/cli_badinput.sh tests/cli/cli_badplugins.sh
EXTRA_DIST += tests/cli/cli_badinput.sh tests/cli/cli_badplugins.sh
# The command converting: statuses, reports, layouts, --skip-bad-calls.
TESTS += tests/cli/cli_convert.sh tests/cli/cli_plugins.sh
EXTRA_DIST += tests/cli/cli_convert.sh tests/cli/cli_plugins.sh
# Reconfigure a copy of the build tree with another prefix, install, run.
TESTS += tests/cli/install_prefix.sh
EXTRA_DIST += tests/cli/install_prefix.sh
# Verdicts and the warnings of what did not happen.
TESTS += tests/cli/cli_verdicts.sh
EXTRA_DIST += tests/cli/cli_verdicts.sh
# A mapped input: the same result as a read one; one that shrinks under
# the mapping is an input error, nothing written.
TESTS += tests/cli/cli_mapped.sh
EXTRA_DIST += tests/cli/cli_mapped.sh
# inspect, explain, --report and the converted graph agree on every call
# of every test graph (Python 3 compares; skipped without it).
TESTS += tests/cli/cli_agree.sh
# Text-format GraphDef on the command line; protobuf's Python parser reads
# what it writes (skipped without python3-protobuf and protoc).
TESTS += tests/cli/cli_text.sh
EXTRA_DIST += tests/cli/cli_text.sh
EXTRA_DIST += tests/cli/cli_agree.sh tests/cli/cli_agree.py
# Issue 13 items 8 and 9: every output escaped (python3 checks; skipped
# without it); TensorFlow's input syntax, kept fields, option ranges.
TESTS += tests/cli/injection.sh tests/cli/cli_harden.sh
EXTRA_DIST += tests/cli/injection.sh tests/cli/cli_harden.sh

# Every Check suite under valgrind memcheck (CK_FORK=no: Check must not
# fork each test away from valgrind), then the command's bad-input test
# with the command under memcheck.  Any error or definite leak fails.
VALGRIND_FLAGS = --quiet --error-exitcode=99 --leak-check=full --child-silent-after-fork=yes \
	--errors-for-leak-kinds=definite --show-leak-kinds=definite
valgrind: $(NEED_CHECK) $(check_PROGRAMS) $(check_LTLIBRARIES) $(bin_PROGRAMS)
	@test -n "$(VALGRIND)" || { echo "valgrind not found (apt-get install valgrind)" >&2; exit 1; }
	@for t in $(check_PROGRAMS); do \
		echo "valgrind: $$t"; \
		CK_FORK=no $(LIBTOOL) --mode=execute $(VALGRIND) $(VALGRIND_FLAGS) ./$$t || exit 1; \
	done
	@for t in cli_badinput cli_badplugins; do \
		echo "valgrind: tests/cli/$$t.sh"; \
		srcdir=$(srcdir) HINTSTUB="$(LIBTOOL) --mode=execute $(VALGRIND) $(VALGRIND_FLAGS) ./hintstub" \
			$(SHELL) $(srcdir)/tests/cli/$$t.sh || exit 1; \
	done
.PHONY: valgrind

# Graphs past 32-bit offsets: ~7 GiB of (mostly sparse) disk, ~5 GiB of
# memory, so not part of `make check`.
EXTRA_DIST += tests/cli/big_graph.sh
check-big: $(bin_PROGRAMS)
	srcdir=$(srcdir) $(SHELL) $(srcdir)/tests/cli/big_graph.sh
.PHONY: check-big

# The test plugins (tests/host/plugins) are built as check_LTLIBRARIES and
# staged into private directories by the tests.
include $(srcdir)/tests/host/plugins/local.mk

# Scratch directories of the suites (tests/tmp-XXXXXX), whatever a failed
# or interrupted run left behind.
clean-local: clean-test-scratch
clean-test-scratch:
	-rm -rf tests/tmp-*
.PHONY: clean-test-scratch

# Node lists in containers (GraphDef.node, FunctionDef.node_def).  The
# scope loader is internal (hidden in libhintstub), so the suite links the
# graph and util layers' convenience libraries, and only them: the graph
# layer links alone.
check_PROGRAMS += tests/graph/check_container
TESTS += tests/graph/check_container
tests_graph_check_container_SOURCES = tests/graph/check_container.c
tests_graph_check_container_CFLAGS = $(TEST_CFLAGS)
tests_graph_check_container_LDADD = tests/lib/libhstest.la \
	core/graph/libhs_graph.la core/util/libhs_util.la \
	$(CHECK_LIBS) $(PROTOBUF_C_LIBS)

# Threads sharing one const graph, and threads converting their own; the
# witness of the ThreadSanitizer build (./configure --enable-tsan).
check_PROGRAMS += tests/graph/check_threads
TESTS += tests/graph/check_threads
tests_graph_check_threads_SOURCES = tests/graph/check_threads.c
tests_graph_check_threads_CFLAGS = $(TEST_CFLAGS) -pthread
tests_graph_check_threads_LDADD = $(TEST_LIBS) -lpthread

# HS_LOAD_PARALLEL: the indexing thread's graph is the serial load's.
check_PROGRAMS += tests/graph/check_load_parallel
TESTS += tests/graph/check_load_parallel
tests_graph_check_load_parallel_SOURCES = tests/graph/check_load_parallel.c
tests_graph_check_load_parallel_CFLAGS = $(TEST_CFLAGS)
tests_graph_check_load_parallel_LDADD = $(TEST_LIBS)

# Level 2 (issue 9): discovery and its checks, conversion through the
# library (check_level2_*), the function library itself (internal, so
# linked from the graph and util layers alone), and the command line.
HS_LEVEL2_TESTS = tests/ophint/check_level2 tests/apply/check_level2_convert \
	tests/graph/check_level2_library
check_PROGRAMS += $(HS_LEVEL2_TESTS)
TESTS += $(HS_LEVEL2_TESTS) tests/cli/level2.sh
EXTRA_DIST += tests/cli/level2.sh tests/cli/level2_check.py
tests_ophint_check_level2_SOURCES = tests/ophint/check_level2.c
tests_ophint_check_level2_CFLAGS = $(TEST_CFLAGS)
tests_ophint_check_level2_LDADD = $(TEST_LIBS)
tests_apply_check_level2_convert_SOURCES = tests/apply/check_level2_convert.c
tests_apply_check_level2_convert_CFLAGS = $(TEST_CFLAGS)
tests_apply_check_level2_convert_LDADD = $(TEST_LIBS)
tests_graph_check_level2_library_SOURCES = tests/graph/check_level2_library.c
tests_graph_check_level2_library_CFLAGS = $(TEST_CFLAGS)
tests_graph_check_level2_library_LDADD = tests/lib/libhstest.la \
	core/graph/libhs_graph.la core/util/libhs_util.la \
	$(CHECK_LIBS) $(PROTOBUF_C_LIBS)

# The reference evaluator (core/eval): the evaluator, then one suite per
# kernel family, sharing tests/eval/evaltest.c (graphs one node a line).
check_LTLIBRARIES += tests/eval/libevaltest.la
tests_eval_libevaltest_la_SOURCES = tests/eval/evaltest.c tests/eval/evaltest.h
tests_eval_libevaltest_la_CFLAGS = $(TEST_CFLAGS)
HS_EVAL_TESTS = tests/eval/check_eval tests/eval/check_kernels_math \
	tests/eval/check_kernels_shape tests/eval/check_kernels_array \
	tests/eval/check_kernels_control tests/eval/check_fixture \
	tests/eval/check_dynamic tests/eval/check_table
check_PROGRAMS += $(HS_EVAL_TESTS)
TESTS += $(HS_EVAL_TESTS)
HS_EVAL_TEST_LIBS = tests/eval/libevaltest.la $(TEST_LIBS) -lm
tests_eval_check_eval_SOURCES = tests/eval/check_eval.c
tests_eval_check_eval_CFLAGS = $(TEST_CFLAGS)
tests_eval_check_eval_LDADD = $(HS_EVAL_TEST_LIBS)
tests_eval_check_kernels_math_SOURCES = tests/eval/check_kernels_math.c
tests_eval_check_kernels_math_CFLAGS = $(TEST_CFLAGS)
tests_eval_check_kernels_math_LDADD = $(HS_EVAL_TEST_LIBS)
tests_eval_check_kernels_shape_SOURCES = tests/eval/check_kernels_shape.c
tests_eval_check_kernels_shape_CFLAGS = $(TEST_CFLAGS)
tests_eval_check_kernels_shape_LDADD = $(HS_EVAL_TEST_LIBS)
tests_eval_check_kernels_array_SOURCES = tests/eval/check_kernels_array.c
tests_eval_check_kernels_array_CFLAGS = $(TEST_CFLAGS)
tests_eval_check_kernels_array_LDADD = $(HS_EVAL_TEST_LIBS)
tests_eval_check_kernels_control_SOURCES = tests/eval/check_kernels_control.c
tests_eval_check_kernels_control_CFLAGS = $(TEST_CFLAGS)
tests_eval_check_kernels_control_LDADD = $(HS_EVAL_TEST_LIBS)
tests_eval_check_fixture_SOURCES = tests/eval/check_fixture.c
tests_eval_check_fixture_CFLAGS = $(TEST_CFLAGS)
tests_eval_check_fixture_LDADD = $(HS_EVAL_TEST_LIBS)
# Runs hintstub-gen dynamic: built first.
tests_eval_check_dynamic_SOURCES = tests/eval/check_dynamic.c
tests_eval_check_dynamic_CFLAGS = $(TEST_CFLAGS)
tests_eval_check_dynamic_LDADD = $(HS_EVAL_TEST_LIBS)
tests_eval_check_dynamic_DEPENDENCIES = tests/eval/libevaltest.la libhintstub.la hintstub-gen$(EXEEXT)
# The kernel table is internal: the suite links the eval, graph and util
# layers' convenience libraries (the eval layer needs only those).
tests_eval_check_table_SOURCES = tests/eval/check_table.c tests/lib/run.c tests/lib/run.h
tests_eval_check_table_CFLAGS = $(TEST_CFLAGS)
tests_eval_check_table_LDADD = core/eval/libhs_eval.la core/graph/libhs_graph.la \
	core/util/libhs_util.la $(CHECK_LIBS) $(PROTOBUF_C_LIBS) $(HS_EVAL_LIBS)

# The fused ops (core/eval/fused_*.c, conv.c): their arithmetic and
# kernels, then against the hinted regions they replace.
HS_FUSED_TESTS = tests/eval/check_fused_lstm tests/eval/check_fused_conv \
	tests/eval/check_fused_rnn tests/eval/check_fused_regions \
	tests/eval/check_fused_plugins
check_PROGRAMS += $(HS_FUSED_TESTS)
TESTS += $(HS_FUSED_TESTS)
tests_eval_check_fused_lstm_SOURCES = tests/eval/check_fused_lstm.c
tests_eval_check_fused_lstm_CFLAGS = $(TEST_CFLAGS)
tests_eval_check_fused_lstm_LDADD = $(HS_EVAL_TEST_LIBS)
tests_eval_check_fused_conv_SOURCES = tests/eval/check_fused_conv.c
tests_eval_check_fused_conv_CFLAGS = $(TEST_CFLAGS)
tests_eval_check_fused_conv_LDADD = $(HS_EVAL_TEST_LIBS)
tests_eval_check_fused_rnn_SOURCES = tests/eval/check_fused_rnn.c
tests_eval_check_fused_rnn_CFLAGS = $(TEST_CFLAGS)
tests_eval_check_fused_rnn_LDADD = $(HS_EVAL_TEST_LIBS)
tests_eval_check_fused_regions_SOURCES = tests/eval/check_fused_regions.c \
	tests/bench/gen_testutil.c tests/bench/gen_testutil.h bench/gen.c bench/gen.h
tests_eval_check_fused_regions_CFLAGS = $(TEST_CFLAGS) -Wno-format-truncation -I$(top_srcdir)/bench \
	-I$(top_srcdir)/tests/bench
tests_eval_check_fused_regions_LDADD = $(HS_EVAL_TEST_LIBS)
tests_eval_check_fused_plugins_SOURCES = tests/eval/check_fused_plugins.c
tests_eval_check_fused_plugins_CFLAGS = $(TEST_CFLAGS)
tests_eval_check_fused_plugins_LDADD = $(HS_EVAL_TEST_LIBS)
# Plugins with an evaluate callback: the examples mycell and myswish (the
# template) as they ship, and
# evalp.c built in four modes (tests/eval/plugins/evalp.c).
check_LTLIBRARIES += tests/eval/plugins/mycell.la tests/eval/plugins/myswish.la \
	tests/eval/plugins/evalp.la \
	tests/eval/plugins/evalfail.la tests/eval/plugins/evalunset.la \
	tests/eval/plugins/evalold.la
tests_eval_plugins_mycell_la_SOURCES = examples/mycell/mycell.c
tests_eval_plugins_mycell_la_CFLAGS = $(AM_CFLAGS) -fvisibility=hidden
tests_eval_plugins_mycell_la_LDFLAGS = $(TP_LDFLAGS)
tests_eval_plugins_myswish_la_SOURCES = examples/template/myswish.c
tests_eval_plugins_myswish_la_CFLAGS = $(AM_CFLAGS) -fvisibility=hidden
tests_eval_plugins_myswish_la_LDFLAGS = $(TP_LDFLAGS)
tests_eval_plugins_evalp_la_SOURCES = tests/eval/plugins/evalp.c
tests_eval_plugins_evalp_la_CFLAGS = $(AM_CFLAGS) -fvisibility=hidden -DEP_NAME=evalp -DEP_MODE=0
tests_eval_plugins_evalp_la_LDFLAGS = $(TP_LDFLAGS)
tests_eval_plugins_evalfail_la_SOURCES = tests/eval/plugins/evalp.c
tests_eval_plugins_evalfail_la_CFLAGS = $(AM_CFLAGS) -fvisibility=hidden -DEP_NAME=evalfail -DEP_MODE=1
tests_eval_plugins_evalfail_la_LDFLAGS = $(TP_LDFLAGS)
tests_eval_plugins_evalunset_la_SOURCES = tests/eval/plugins/evalp.c
tests_eval_plugins_evalunset_la_CFLAGS = $(AM_CFLAGS) -fvisibility=hidden -DEP_NAME=evalunset -DEP_MODE=2
tests_eval_plugins_evalunset_la_LDFLAGS = $(TP_LDFLAGS)
tests_eval_plugins_evalold_la_SOURCES = tests/eval/plugins/evalp.c
tests_eval_plugins_evalold_la_CFLAGS = $(AM_CFLAGS) -fvisibility=hidden -DEP_NAME=evalold -DEP_MODE=3
tests_eval_plugins_evalold_la_LDFLAGS = $(TP_LDFLAGS)
# hintstub draw: DOT and HTML pictures of a plan (core/report/draw*.c),
# and the command with every output form.
check_PROGRAMS += tests/report/check_draw
TESTS += tests/report/check_draw
tests_report_check_draw_SOURCES = tests/report/check_draw.c
tests_report_check_draw_CFLAGS = $(TEST_CFLAGS)
tests_report_check_draw_LDADD = $(TEST_LIBS)
TESTS += tests/cli/draw.sh
EXTRA_DIST += tests/cli/draw.sh

# Clear messages (issue 13, item 10): what protobuf accepts on the wire
# (unknown groups, 10-byte varints), and the command's messages for empty
# paths, FIFOs, unreadable plugins, --plugins '', a rule file's BOM and
# getopt's errors.
check_PROGRAMS += tests/graph/check_wire_compat
TESTS += tests/graph/check_wire_compat tests/cli/cli_messages.sh
EXTRA_DIST += tests/cli/cli_messages.sh
tests_graph_check_wire_compat_SOURCES = tests/graph/check_wire_compat.c
tests_graph_check_wire_compat_CFLAGS = $(TEST_CFLAGS)
tests_graph_check_wire_compat_LDADD = $(TEST_LIBS)

# The test-models manifest reader (cli/manifest.c, libyaml), linked alone.
if HAVE_YAML
check_PROGRAMS += tests/cli/check_manifest
TESTS += tests/cli/check_manifest
tests_cli_check_manifest_SOURCES = tests/cli/check_manifest.c cli/manifest.c \
	cli/manifest.h cli/inputs.c cli/evalcli.h tests/lib/run.c tests/lib/run.h
tests_cli_check_manifest_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS) $(YAML_CFLAGS) \
	-I$(top_srcdir)/cli -I$(top_srcdir)/tests/lib
tests_cli_check_manifest_LDADD = $(CHECK_LIBS) $(YAML_LIBS) -lm
endif

# .npy files (core/eval/npy.c), with numpy's own files when there is one.
check_PROGRAMS += tests/eval/check_npy
TESTS += tests/eval/check_npy
tests_eval_check_npy_SOURCES = tests/eval/check_npy.c
tests_eval_check_npy_CFLAGS = $(TEST_CFLAGS)
tests_eval_check_npy_LDADD = $(TEST_LIBS)

# hintstub run / verify / IN OUT --verify and test-models over
# examples/models.yaml (issue 10); numpy_eval.py evaluates the fixture
# with NumPy for `run` to match (skipped without numpy).
TESTS += tests/cli/cli_verify.sh tests/cli/test_models.sh
EXTRA_DIST += tests/cli/cli_verify.sh tests/cli/test_models.sh tests/cli/numpy_eval.py \
	examples/models.yaml
