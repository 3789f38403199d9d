# Unit tests: one Check suite per core module.
TEST_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS) $(PROTOBUF_C_CFLAGS) \
	-DHS_TEST_DATA='"$(abs_top_srcdir)/tests/data"' \
	-DHS_BUILD_DIR='"$(abs_top_builddir)"'
TEST_LIBS = libhintstub.la $(CHECK_LIBS) $(PROTOBUF_C_LIBS)

check_PROGRAMS += tests/check_graph
tests_check_graph_SOURCES = tests/check_graph.c tests/testutil.c tests/testutil.h
nodist_tests_check_graph_SOURCES = core/graph.pb-c.c core/graph.pb-c.h
tests_check_graph_CFLAGS = $(TEST_CFLAGS)
tests_check_graph_LDADD = $(TEST_LIBS)

TESTS += tests/check_graph

EXTRA_DIST += tests/data

check_PROGRAMS += tests/check_hints tests/check_convert
tests_check_hints_SOURCES = tests/check_hints.c tests/testutil.c tests/testutil.h
nodist_tests_check_hints_SOURCES = core/graph.pb-c.c core/graph.pb-c.h
tests_check_hints_CFLAGS = $(TEST_CFLAGS)
tests_check_hints_LDADD = $(TEST_LIBS)
tests_check_convert_SOURCES = tests/check_convert.c tests/testutil.c tests/testutil.h
nodist_tests_check_convert_SOURCES = core/graph.pb-c.c core/graph.pb-c.h
tests_check_convert_CFLAGS = $(TEST_CFLAGS)
tests_check_convert_LDADD = $(TEST_LIBS)
TESTS += tests/check_hints tests/check_convert

check_PROGRAMS += tests/check_name_index
tests_check_name_index_SOURCES = tests/check_name_index.c tests/testutil.c tests/testutil.h
nodist_tests_check_name_index_SOURCES = core/graph.pb-c.c core/graph.pb-c.h
tests_check_name_index_CFLAGS = $(TEST_CFLAGS)
tests_check_name_index_LDADD = $(TEST_LIBS)
TESTS += tests/check_name_index

check_PROGRAMS += tests/check_badinput
tests_check_badinput_SOURCES = tests/check_badinput.c tests/testutil.c tests/testutil.h
nodist_tests_check_badinput_SOURCES = core/graph.pb-c.c core/graph.pb-c.h
tests_check_badinput_CFLAGS = $(TEST_CFLAGS)
tests_check_badinput_LDADD = $(TEST_LIBS)
TESTS += tests/check_badinput

check_PROGRAMS += tests/check_io
tests_check_io_SOURCES = tests/check_io.c tests/testutil.c tests/testutil.h
nodist_tests_check_io_SOURCES = core/graph.pb-c.c core/graph.pb-c.h
tests_check_io_CFLAGS = $(TEST_CFLAGS)
tests_check_io_LDADD = $(TEST_LIBS)
TESTS += tests/check_io

# The command on hostile inputs (tests/data/bad/, made by generate.py there).
TEST_EXTENSIONS = .sh
SH_LOG_COMPILER = $(SHELL)
TESTS += tests/cli_badinput.sh tests/cli_badplugins.sh
EXTRA_DIST += tests/cli_badinput.sh tests/cli_badplugins.sh
# The command converting: statuses, reports, layouts, --skip-bad-calls.
TESTS += tests/cli_convert.sh tests/cli_plugins.sh
EXTRA_DIST += tests/cli_convert.sh tests/cli_plugins.sh

# Every Check suite under valgrind memcheck (CK_FORK=no: Check must not
# fork each test away from valgrind), then the command's bad-input test
# with the command under memcheck.  Any error or definite leak fails.
VALGRIND_FLAGS = --quiet --error-exitcode=99 --leak-check=full --child-silent-after-fork=yes \
	--errors-for-leak-kinds=definite --show-leak-kinds=definite
valgrind: $(check_PROGRAMS) $(check_LTLIBRARIES) $(bin_PROGRAMS)
	@test -n "$(VALGRIND)" || { echo "valgrind not found (apt-get install valgrind)" >&2; exit 1; }
	@for t in $(check_PROGRAMS); do \
		echo "valgrind: $$t"; \
		CK_FORK=no $(LIBTOOL) --mode=execute $(VALGRIND) $(VALGRIND_FLAGS) ./$$t || exit 1; \
	done
	@for t in cli_badinput cli_badplugins; do \
		echo "valgrind: tests/$$t.sh"; \
		srcdir=$(srcdir) HINTSTUB="$(LIBTOOL) --mode=execute $(VALGRIND) $(VALGRIND_FLAGS) ./hintstub" \
			$(SHELL) $(srcdir)/tests/$$t.sh || exit 1; \
	done
.PHONY: valgrind

# Graphs past 32-bit offsets: ~7 GiB of (mostly sparse) disk, ~5 GiB of
# memory, so not part of `make check`.
EXTRA_DIST += tests/big_graph.sh
check-big: $(bin_PROGRAMS)
	srcdir=$(srcdir) $(SHELL) $(srcdir)/tests/big_graph.sh
.PHONY: check-big

# Plugin host: loader, registry, rules, ABI layout.  The test plugins
# (tests/plugins) are built as check_LTLIBRARIES and staged into private
# directories by the tests.
PLUGTEST_SOURCES = tests/plugtest.c tests/plugtest.h tests/testutil.c tests/testutil.h

check_PROGRAMS += tests/check_plugins tests/check_rules tests/check_abi
tests_check_plugins_SOURCES = tests/check_plugins.c $(PLUGTEST_SOURCES)
nodist_tests_check_plugins_SOURCES = core/graph.pb-c.c core/graph.pb-c.h
tests_check_plugins_CFLAGS = $(TEST_CFLAGS)
tests_check_plugins_LDADD = $(TEST_LIBS)

tests_check_rules_SOURCES = tests/check_rules.c $(PLUGTEST_SOURCES)
nodist_tests_check_rules_SOURCES = core/graph.pb-c.c core/graph.pb-c.h
tests_check_rules_CFLAGS = $(TEST_CFLAGS) -DHS_SRC_DIR='"$(abs_top_srcdir)"'
tests_check_rules_LDADD = $(TEST_LIBS)

tests_check_abi_SOURCES = tests/check_abi.c
tests_check_abi_CFLAGS = $(TEST_CFLAGS)
tests_check_abi_LDADD = $(TEST_LIBS)

TESTS += tests/check_plugins tests/check_rules tests/check_abi

include $(srcdir)/tests/plugins/local.mk

# Scratch directories of the suites (tests/tmp-XXXXXX), whatever a failed
# or interrupted run left behind.
clean-local: clean-test-scratch
clean-test-scratch:
	-rm -rf tests/tmp-*
.PHONY: clean-test-scratch

# Node lists in containers (GraphDef.node, FunctionDef.node_def).  The
# scope loader is internal (hidden in libhintstub), so the suite links the
# graph layer's own sources -- which also proves that layer links alone.
GRAPH_LAYER_SOURCES = core/error.c core/wire.c core/name_index.c \
	core/graph.c core/graph_edit.c core/attr.c core/sink.c \
	core/graph_write.c core/io.c core/verify.c
check_PROGRAMS += tests/check_container
tests_check_container_SOURCES = tests/check_container.c $(GRAPH_LAYER_SOURCES)
nodist_tests_check_container_SOURCES = core/graph.pb-c.c core/graph.pb-c.h
tests_check_container_CFLAGS = $(TEST_CFLAGS)
tests_check_container_LDADD = $(CHECK_LIBS) $(PROTOBUF_C_LIBS)
TESTS += tests/check_container

# Threads sharing one const graph, and threads converting their own; the
# witness of the ThreadSanitizer build (./configure --enable-tsan).
check_PROGRAMS += tests/check_threads
tests_check_threads_SOURCES = tests/check_threads.c tests/testutil.c tests/testutil.h
nodist_tests_check_threads_SOURCES = core/graph.pb-c.c core/graph.pb-c.h
tests_check_threads_CFLAGS = $(TEST_CFLAGS) -pthread
tests_check_threads_LDADD = $(TEST_LIBS) -lpthread
TESTS += tests/check_threads
