# hintstub-gen (synthetic OpHint graphs), its Check suite, and the
# benchmarks run by `make bench` (never by `make check`).
# Names are built in fixed buffers far larger than any scope used here.
GEN_CFLAGS = $(AM_CFLAGS) $(PROTOBUF_C_CFLAGS) -Wno-format-truncation

noinst_PROGRAMS += hintstub-gen
hintstub_gen_SOURCES = bench/gen_main.c bench/gen.c bench/gen.h
nodist_hintstub_gen_SOURCES = core/graph.pb-c.c core/graph.pb-c.h
hintstub_gen_CFLAGS = $(GEN_CFLAGS)
hintstub_gen_LDADD = $(PROTOBUF_C_LIBS)

check_PROGRAMS += tests/check_gen
tests_check_gen_SOURCES = tests/check_gen.c bench/gen.c bench/gen.h \
	tests/testutil.c tests/testutil.h
nodist_tests_check_gen_SOURCES = core/graph.pb-c.c core/graph.pb-c.h
tests_check_gen_CFLAGS = $(TEST_CFLAGS) -Wno-format-truncation -I$(top_srcdir)/bench
tests_check_gen_LDADD = $(TEST_LIBS)
TESTS += tests/check_gen
