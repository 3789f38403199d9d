# hintstub-gen (synthetic OpHint graphs; installed: it is what a plugin
# author tests with, see hintstub-gen(1)), its Check suite, and the
# benchmarks run by `make bench` (never by `make check`).
# Names are built in fixed buffers far larger than any scope used here.
GEN_CFLAGS = $(AM_CFLAGS) $(PROTOBUF_C_CFLAGS) -Wno-format-truncation

bin_PROGRAMS += hintstub-gen
dist_man_MANS += doc/hintstub-gen.1
hintstub_gen_SOURCES = bench/gen_main.c bench/gen.c bench/gen.h
nodist_hintstub_gen_SOURCES = core/graph/graph.pb-c.c core/graph/graph.pb-c.h
hintstub_gen_CFLAGS = $(GEN_CFLAGS)
hintstub_gen_LDADD = $(PROTOBUF_C_LIBS)

check_PROGRAMS += tests/bench/check_gen
tests_bench_check_gen_SOURCES = tests/bench/check_gen.c tests/bench/gen_testutil.c \
	tests/bench/gen_testutil.h bench/gen.c bench/gen.h
tests_bench_check_gen_CFLAGS = $(TEST_CFLAGS) -Wno-format-truncation -I$(top_srcdir)/bench
tests_bench_check_gen_LDADD = $(TEST_LIBS)
TESTS += tests/bench/check_gen

check_PROGRAMS += tests/bench/check_gen_dynamic
tests_bench_check_gen_dynamic_SOURCES = tests/bench/check_gen_dynamic.c \
	tests/bench/gen_testutil.c tests/bench/gen_testutil.h bench/gen.c bench/gen.h
tests_bench_check_gen_dynamic_CFLAGS = $(TEST_CFLAGS) -Wno-format-truncation -I$(top_srcdir)/bench
tests_bench_check_gen_dynamic_LDADD = $(TEST_LIBS)
TESTS += tests/bench/check_gen_dynamic
# The dynamic_rnn graphs through protobuf's own parser, a structure and
# numbers checker, and inspect (skipped without python3-protobuf/protoc).
TESTS += tests/cli/gen_dynamic.sh
EXTRA_DIST += tests/cli/gen_dynamic.sh tests/bench/gen_dynamic_check.py

# Benchmarks: built and run only by `make bench`.
EXTRA_PROGRAMS = bench/bench_io bench/bench_convert bench/bench_dispatch \
	bench/bench_names bench/bench_hostile bench/bench_dynamic
CLEANFILES += $(EXTRA_PROGRAMS)
BENCH_CFLAGS = $(AM_CFLAGS) $(PROTOBUF_C_CFLAGS) $(HS_INC_ALL) -I$(top_srcdir)/bench
BENCH_LIBS = libhintstub.la $(PROTOBUF_C_LIBS)

bench_bench_io_SOURCES = bench/bench_io.c bench/bench_util.c bench/bench_util.h
nodist_bench_bench_io_SOURCES = core/graph/graph.pb-c.c core/graph/graph.pb-c.h
bench_bench_io_CFLAGS = $(BENCH_CFLAGS)
bench_bench_io_LDADD = $(BENCH_LIBS)
bench_bench_io_LDFLAGS = -no-install

bench_bench_convert_SOURCES = bench/bench_convert.c bench/bench_run.c bench/bench_run.h \
	bench/bench_util.c bench/bench_util.h
nodist_bench_bench_convert_SOURCES = core/graph/graph.pb-c.c core/graph/graph.pb-c.h
bench_bench_convert_CFLAGS = $(BENCH_CFLAGS)
bench_bench_convert_LDADD = $(BENCH_LIBS)
bench_bench_convert_LDFLAGS = -no-install

# Plugins from the build tree, rules from the source tree.
bench_bench_dispatch_SOURCES = bench/bench_dispatch.c bench/bench_util.c bench/bench_util.h
nodist_bench_bench_dispatch_SOURCES = core/graph/graph.pb-c.c core/graph/graph.pb-c.h
bench_bench_dispatch_CFLAGS = $(BENCH_CFLAGS) \
	-DHS_BUILD_DIR='"$(abs_top_builddir)"' -DHS_SOURCE_DIR='"$(abs_top_srcdir)"'
bench_bench_dispatch_LDADD = $(BENCH_LIBS)
bench_bench_dispatch_LDFLAGS = -no-install

# Adversarial shapes of issue 13, generated in memory (no data files).
bench_bench_hostile_SOURCES = bench/bench_hostile.c bench/hostile_shapes.c \
	bench/hostile_shapes.h bench/bench_util.c bench/bench_util.h
nodist_bench_bench_hostile_SOURCES = core/graph/graph.pb-c.c core/graph/graph.pb-c.h
bench_bench_hostile_CFLAGS = $(BENCH_CFLAGS)
bench_bench_hostile_LDADD = $(BENCH_LIBS)
bench_bench_hostile_LDFLAGS = -no-install

# dynamic_rnn graphs (While loops, function library) against the floor.
bench_bench_dynamic_SOURCES = bench/bench_dynamic.c bench/bench_run.c bench/bench_run.h \
	bench/bench_util.c bench/bench_util.h
nodist_bench_bench_dynamic_SOURCES = core/graph/graph.pb-c.c core/graph/graph.pb-c.h
bench_bench_dynamic_CFLAGS = $(BENCH_CFLAGS)
bench_bench_dynamic_LDADD = $(BENCH_LIBS)
bench_bench_dynamic_LDFLAGS = -no-install

# The name index alone, linked with the graph and util layers (it is
# private to the library).
bench_bench_names_SOURCES = bench/bench_names.c bench/bench_util.c bench/bench_util.h
nodist_bench_bench_names_SOURCES = core/graph/graph.pb-c.c core/graph/graph.pb-c.h
bench_bench_names_CFLAGS = $(BENCH_CFLAGS)
bench_bench_names_LDADD = core/graph/libhs_graph.la core/util/libhs_util.la $(PROTOBUF_C_LIBS)

BENCH_OUT = bench/data
BENCH_MIXED_NODES = 1000000
BENCH_MIXED_CALLS = 5000
BENCH_CONV_CALLS = 1000
BENCH_REPS = 5
# Plugin dispatch: a conv chain of this many calls (9 nodes a call), and a
# mixed graph of as many calls among filler.
BENCH_DISPATCH_CALLS = 10000
BENCH_DISPATCH_MIXED_NODES = 300000
# dynamic_rnn: LOOPS separate loops of LAYERS cells (10,000 layers) among
# filler up to NODES top-level nodes (~100 MB with rnn cells; lstm cells
# write ~2x the bytes), and a tenth of it for the per-layer growth.
BENCH_DYNAMIC_CELL = rnn
BENCH_DYNAMIC_LOOPS = 5000
BENCH_DYNAMIC_LAYERS = 2
BENCH_DYNAMIC_NODES = 300000

# Generates the graphs into the build tree, runs the benchmarks, prints a
# summary.  bench_convert needs hs_convert; if it does not link yet, it is
# reported as skipped.
bench: hintstub-gen bench/bench_io bench/bench_dispatch bench/bench_names \
		bench/bench_hostile bench/bench_dynamic $(plugin_LTLIBRARIES)
	@$(MKDIR_P) $(BENCH_OUT)
	@rm -f $(BENCH_OUT)/summary.txt
	./hintstub-gen mixed --nodes $(BENCH_MIXED_NODES) --calls $(BENCH_MIXED_CALLS) \
		--seed 1 -o $(BENCH_OUT)/mixed.pb
	./hintstub-gen conv --calls $(BENCH_CONV_CALLS) --seed 1 -o $(BENCH_OUT)/conv.pb
	./hintstub-gen conv --calls $(BENCH_DISPATCH_CALLS) --seed 1 \
		-o $(BENCH_OUT)/conv-$(BENCH_DISPATCH_CALLS).pb
	./hintstub-gen mixed --nodes $(BENCH_DISPATCH_MIXED_NODES) \
		--calls $(BENCH_DISPATCH_CALLS) --seed 1 \
		-o $(BENCH_OUT)/mixed-$(BENCH_DISPATCH_CALLS).pb
	HS_BENCH_SUMMARY=$(BENCH_OUT)/summary.txt \
		bench/bench_io $(BENCH_OUT)/mixed.pb $(BENCH_REPS)
	HS_BENCH_SUMMARY=$(BENCH_OUT)/summary.txt \
		bench/bench_names $(BENCH_OUT)/mixed.pb $(BENCH_REPS)
	@if $(MAKE) $(AM_MAKEFLAGS) bench/bench_convert >/dev/null 2>&1; then \
		HS_BENCH_SUMMARY=$(BENCH_OUT)/summary.txt bench/bench_convert \
			$(BENCH_OUT)/conv.pb $(BENCH_OUT)/mixed.pb $(BENCH_REPS) || \
		echo "convert: all                                 FAILED (bench_convert exited non-zero)" \
			>> $(BENCH_OUT)/summary.txt; \
	else \
		echo "bench_convert: skipped (does not link: hs_convert missing from this tree)"; \
		echo "convert: all                                 skipped (no hs_convert)" \
			>> $(BENCH_OUT)/summary.txt; \
	fi
	HS_BENCH_SUMMARY=$(BENCH_OUT)/summary.txt bench/bench_dispatch -n $(BENCH_REPS) \
		$(BENCH_OUT)/conv-$(BENCH_DISPATCH_CALLS).pb \
		$(BENCH_OUT)/mixed-$(BENCH_DISPATCH_CALLS).pb || \
		echo "dispatch: all                                 FAILED (bench_dispatch exited non-zero)" \
			>> $(BENCH_OUT)/summary.txt
	HS_BENCH_SUMMARY=$(BENCH_OUT)/summary.txt bench/bench_hostile 3 || \
		echo "hostile: all                                 MISSED (bench_hostile exited non-zero)" \
			>> $(BENCH_OUT)/summary.txt
	./hintstub-gen dynamic --cell $(BENCH_DYNAMIC_CELL) --layers $(BENCH_DYNAMIC_LAYERS) \
		--loops $$(($(BENCH_DYNAMIC_LOOPS) / 10)) --nodes $$(($(BENCH_DYNAMIC_NODES) / 10)) \
		--seed 1 -o $(BENCH_OUT)/dynamic-small.pb
	./hintstub-gen dynamic --cell $(BENCH_DYNAMIC_CELL) --layers $(BENCH_DYNAMIC_LAYERS) \
		--loops $(BENCH_DYNAMIC_LOOPS) --nodes $(BENCH_DYNAMIC_NODES) \
		--seed 1 -o $(BENCH_OUT)/dynamic.pb
	HS_BENCH_SUMMARY=$(BENCH_OUT)/summary.txt bench/bench_dynamic \
		$(BENCH_OUT)/dynamic-small.pb $(BENCH_OUT)/dynamic.pb \
		$$(($(BENCH_DYNAMIC_LOOPS) / 10 * $(BENCH_DYNAMIC_LAYERS))) \
		$$(($(BENCH_DYNAMIC_LOOPS) * $(BENCH_DYNAMIC_LAYERS))) $(BENCH_REPS) || \
		echo "dynamic: all                                 FAILED (bench_dynamic exited non-zero)" \
			>> $(BENCH_OUT)/summary.txt
	HS_BENCH_SUMMARY=$(BENCH_OUT)/summary.txt $(SHELL) $(srcdir)/bench/bench_draw.sh \
		./hintstub $(BENCH_OUT)/mixed.pb 3 || \
		echo "draw: 1M nodes                               FAILED (bench_draw.sh exited non-zero)" \
			>> $(BENCH_OUT)/summary.txt
	@$(MAKE) $(AM_MAKEFLAGS) bench-verify || \
		echo "verify: all                                  FAILED (bench-verify failed)" \
			>> $(BENCH_OUT)/summary.txt
	@$(MAKE) $(AM_MAKEFLAGS) bench-floor || \
		echo "floor: all                                   FAILED (bench-floor failed)" \
			>> $(BENCH_OUT)/summary.txt
	@$(MAKE) $(AM_MAKEFLAGS) bench-render || \
		echo "render: all                                  FAILED (bench-render failed)" \
			>> $(BENCH_OUT)/summary.txt
	@$(MAKE) $(AM_MAKEFLAGS) bench-phases || \
		echo "phases: all                                  FAILED (bench-phases failed)" \
			>> $(BENCH_OUT)/summary.txt
	@echo; echo "== hintstub benchmark summary (ratios from one run; medians of $(BENCH_REPS)) =="
	@cat $(BENCH_OUT)/summary.txt

.PHONY: bench

EXTRA_DIST += bench/README.md bench/bench_draw.sh

# The generated graphs are large: `make clean` drops them.
clean-local: clean-bench
clean-bench:
	-rm -rf $(BENCH_OUT)
.PHONY: clean-bench

# `hintstub verify` on the TFLite LSTM guide's model shape (2 layers x 64
# units, 28 steps of 28 features) and on a 2-layer 512-unit LSTM over 100
# steps, batch 8, both converted by the lstm plugin; and the evaluator's
# MatMul against cblas_sgemm in the same run (issue 10).  Weights are scaled
# about 1/sqrt(fan-in), as trained ones are: with weights of size 1 a wide
# LSTM over 100 steps is chaotic and two correct evaluations end apart.
EXTRA_PROGRAMS += bench/bench_verify
bench_bench_verify_SOURCES = bench/bench_verify.c bench/bench_util.c bench/bench_util.h
nodist_bench_bench_verify_SOURCES = core/graph/graph.pb-c.c core/graph/graph.pb-c.h
bench_bench_verify_CFLAGS = $(BENCH_CFLAGS) $(CBLAS_CFLAGS)
bench_bench_verify_LDADD = $(BENCH_LIBS) $(CBLAS_LIBS)
bench_bench_verify_LDFLAGS = -no-install
BENCH_VERIFY_PLUGINS = --plugin-path plugins/lstm/.libs --plugins lstm
BENCH_VERIFY_TARGET_MS = 2000

bench-verify: hintstub hintstub-gen bench/bench_verify $(plugin_LTLIBRARIES)
	@$(MKDIR_P) $(BENCH_OUT)
	./hintstub-gen lstm --layers 2 --units 64 --steps 28 --input-depth 28 --seed 1 -q \
		--weight-scale 0.1 -o $(BENCH_OUT)/lstm-guide.pb
	./hintstub-gen lstm --layers 2 --units 512 --steps 100 --input-depth 512 --seed 1 -q \
		--weight-scale 0.04 -o $(BENCH_OUT)/lstm-512.pb
	./hintstub $(BENCH_VERIFY_PLUGINS) $(BENCH_OUT)/lstm-guide.pb $(BENCH_OUT)/lstm-guide-conv.pb
	./hintstub $(BENCH_VERIFY_PLUGINS) $(BENCH_OUT)/lstm-512.pb $(BENCH_OUT)/lstm-512-conv.pb
	HS_BENCH_SUMMARY=$(BENCH_OUT)/summary.txt bench/bench_verify $(BENCH_REPS) ./hintstub \
		"lstm 2x64, 28 steps (TFLite guide)" INPUT=1,28,28 \
		$(BENCH_OUT)/lstm-guide.pb $(BENCH_OUT)/lstm-guide-conv.pb 0 \
		"lstm 2x512, 100 steps, batch 8" INPUT=8,100,512 \
		$(BENCH_OUT)/lstm-512.pb $(BENCH_OUT)/lstm-512-conv.pb $(BENCH_VERIFY_TARGET_MS) \
		-- $(BENCH_VERIFY_PLUGINS)
.PHONY: bench-verify

# The floors of issue 15: the conversion, --dry-run and inspect by the CLI
# against `cp IN OUT && sync OUT` of the same mixed graph at 100k, 940k and
# 4M nodes (generated under $TMPDIR and deleted after each size).  The CLI
# runs as the binary itself, not through libtool's wrapper script (a shell
# start-up of ~10 ms a run would be 10% of the 100k figures).
# Built by `make check` for its smoke test (10,000 nodes, one round), but
# no check program: `make valgrind` runs those without arguments.
EXTRA_PROGRAMS += bench/bench_floor
check_DATA += bench/bench_floor$(EXEEXT)
TESTS += tests/bench/floor_smoke.sh
EXTRA_DIST += tests/bench/floor_smoke.sh
bench_bench_floor_SOURCES = bench/bench_floor.c bench/bench_util.c bench/bench_util.h
nodist_bench_bench_floor_SOURCES = core/graph/graph.pb-c.c core/graph/graph.pb-c.h
bench_bench_floor_CFLAGS = $(BENCH_CFLAGS)
bench_bench_floor_LDADD = $(PROTOBUF_C_LIBS)
bench_bench_floor_LDFLAGS = -no-install
BENCH_FLOOR_SIZES = 100000 940000 4000000
BENCH_FLOOR_BIG_REPS = 3

bench-floor: hintstub hintstub-gen bench/bench_floor
	@$(MKDIR_P) $(BENCH_OUT)
	@hs=$(abs_top_builddir)/hintstub; \
	test -x $(abs_top_builddir)/.libs/hintstub && hs=$(abs_top_builddir)/.libs/hintstub; \
	LD_LIBRARY_PATH=$(abs_top_builddir)/.libs$${LD_LIBRARY_PATH:+:$$LD_LIBRARY_PATH} \
	HS_BENCH_SUMMARY=$(BENCH_OUT)/summary.txt bench/bench_floor -n $(BENCH_REPS) \
		-b $(BENCH_FLOOR_BIG_REPS) $$hs ./hintstub-gen $(BENCH_FLOOR_SIZES)
.PHONY: bench-floor

# inspect's rendering alone (text and JSON) against memcpy of its bytes,
# on a mixed graph as dense in calls as the floor's (issue 15's 940k
# nodes, 60k calls); information, no target.
EXTRA_PROGRAMS += bench/bench_render
bench_bench_render_SOURCES = bench/bench_render.c bench/bench_util.c bench/bench_util.h
nodist_bench_bench_render_SOURCES = core/graph/graph.pb-c.c core/graph/graph.pb-c.h
bench_bench_render_CFLAGS = $(BENCH_CFLAGS)
bench_bench_render_LDADD = $(BENCH_LIBS)
bench_bench_render_LDFLAGS = -no-install
BENCH_RENDER_NODES = 940000
BENCH_RENDER_CALLS = 60000

bench-render: hintstub-gen bench/bench_render
	@$(MKDIR_P) $(BENCH_OUT)
	./hintstub-gen mixed --nodes $(BENCH_RENDER_NODES) --calls $(BENCH_RENDER_CALLS) \
		--seed 1 -q -o $(BENCH_OUT)/mixed-render.pb
	HS_BENCH_SUMMARY=$(BENCH_OUT)/summary.txt bench/bench_render \
		$(BENCH_OUT)/mixed-render.pb $(BENCH_REPS)
	@rm -f $(BENCH_OUT)/mixed-render.pb
.PHONY: bench-render

# Stage by stage (load, discover, plan, apply, write): time and private
# memory (RssAnon) after each, and the resident peak, on the same graph
# as bench-render; information, no target.
EXTRA_PROGRAMS += bench/bench_phases
bench_bench_phases_SOURCES = bench/bench_phases.c bench/bench_util.c bench/bench_util.h
nodist_bench_bench_phases_SOURCES = core/graph/graph.pb-c.c core/graph/graph.pb-c.h
bench_bench_phases_CFLAGS = $(BENCH_CFLAGS)
bench_bench_phases_LDADD = $(BENCH_LIBS)
bench_bench_phases_LDFLAGS = -no-install

bench-phases: hintstub-gen bench/bench_phases $(plugin_LTLIBRARIES)
	@$(MKDIR_P) $(BENCH_OUT)
	./hintstub-gen mixed --nodes $(BENCH_RENDER_NODES) --calls $(BENCH_RENDER_CALLS) \
		--seed 1 -q -o $(BENCH_OUT)/mixed-phases.pb
	bench/bench_phases -n 3 $(BENCH_OUT)/mixed-phases.pb $(BENCH_OUT)/mixed-phases-out.pb
	bench/bench_phases -n 3 -i $(BENCH_OUT)/mixed-phases.pb
	HINTSTUB_PLUGIN_PATH=plugins/lstm/.libs:plugins/rnn/.libs:plugins/conv/.libs \
		bench/bench_phases -n 3 -p $(BENCH_OUT)/mixed-phases.pb \
		$(BENCH_OUT)/mixed-phases-out.pb
	@rm -f $(BENCH_OUT)/mixed-phases.pb $(BENCH_OUT)/mixed-phases-out.pb
.PHONY: bench-phases
