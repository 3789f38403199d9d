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

# Command-line tests (shell).
AM_TESTS_ENVIRONMENT = HS_SRCDIR='$(abs_top_srcdir)' HS_BUILDDIR='$(abs_top_builddir)'; \
	export HS_SRCDIR HS_BUILDDIR;
TESTS += tests/cli_convert.sh
EXTRA_DIST += tests/cli_convert.sh
