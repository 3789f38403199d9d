# libFuzzer targets (clang -fsanitize=fuzzer,address,undefined).  They are
# built from the library's sources directly, with the fuzzer's
# instrumentation, by `make fuzz`; `make fuzz-smoke` runs each one for
# FUZZ_SECONDS on its seed corpus.  configure finds a suitable FUZZ_CC.
EXTRA_DIST += fuzz/fuzz_load.c fuzz/fuzz_convert.c fuzz/fuzz_rules.c fuzz/fuzz_text.c fuzz/README.md \
	fuzz/fuzz_eval.c \
	fuzz/seeds/all-statements.rules fuzz/seeds/policies.rules fuzz/seeds/cycle.rules

FUZZ_TARGETS = fuzz/fuzz_load fuzz/fuzz_convert fuzz/fuzz_rules fuzz/fuzz_text fuzz/fuzz_eval
FUZZ_SECONDS = 60
FUZZ_FLAGS = -g -O1 -fno-omit-frame-pointer \
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined
FUZZ_CPPFLAGS = -I$(top_builddir) -I$(top_srcdir)/include $(HS_INC_ALL) \
	$(PROTOBUF_C_CFLAGS) $(CBLAS_CFLAGS)
FUZZ_LIBS = $(PROTOBUF_C_LIBS) $(DL_LIBS) $(HS_EVAL_LIBS)
FUZZ_CORPUS_DIR = fuzz-corpus
# The library's own source list, so that new core files are fuzzed too;
# libhintstub.la as a prerequisite stands for "a core source changed".
FUZZ_LINK = $(MKDIR_P) fuzz && \
	srcs=`for f in $(HS_CORE_SRCS); do \
		case $$f in *.c) echo $(srcdir)/$$f;; esac; done` && \
	$(FUZZ_CC) $(FUZZ_FLAGS) $(FUZZ_CPPFLAGS) -o $@ $$srcs core/graph/graph.pb-c.c

fuzz/fuzz_load: $(srcdir)/fuzz/fuzz_load.c libhintstub.la
	$(AM_V_CCLD)$(FUZZ_LINK) $(srcdir)/fuzz/fuzz_load.c $(FUZZ_LIBS)
fuzz/fuzz_convert: $(srcdir)/fuzz/fuzz_convert.c libhintstub.la
	$(AM_V_CCLD)$(FUZZ_LINK) $(srcdir)/fuzz/fuzz_convert.c $(FUZZ_LIBS)
# The built-in plugins, instrumented too, for fuzz_convert (found in
# fuzz/plugins next to the target).  Built from the same sources as
# plugins/*/NAME.la (never committed: `make clean` removes them).
FUZZ_PLUGINS = fuzz/plugins/lstm.so fuzz/plugins/rnn.so fuzz/plugins/conv.so
FUZZ_PLUGIN_FLAGS = -g -O1 -fno-omit-frame-pointer -fPIC -shared -fvisibility=hidden \
	-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined
FUZZ_PLUGIN_DEPS = $(srcdir)/include/hintstub/hintstub.h \
	$(srcdir)/include/hintstub/ophint.h $(srcdir)/include/hintstub/plugin.h
FUZZ_PLUGIN_LINK = $(MKDIR_P) fuzz/plugins && \
	srcs=`for f in $$sources; do case $$f in *.c) echo $(srcdir)/$$f;; esac; done` && \
	$(FUZZ_CC) $(FUZZ_PLUGIN_FLAGS) $(AM_CPPFLAGS) \
		-o $@ $$srcs
fuzz/plugins/lstm.so: $(plugins_lstm_lstm_la_SOURCES) $(FUZZ_PLUGIN_DEPS)
	$(AM_V_CCLD)sources='$(plugins_lstm_lstm_la_SOURCES)' && $(FUZZ_PLUGIN_LINK)
fuzz/plugins/rnn.so: $(plugins_rnn_rnn_la_SOURCES) $(FUZZ_PLUGIN_DEPS)
	$(AM_V_CCLD)sources='$(plugins_rnn_rnn_la_SOURCES)' && $(FUZZ_PLUGIN_LINK)
fuzz/plugins/conv.so: $(plugins_conv_conv_la_SOURCES) $(FUZZ_PLUGIN_DEPS)
	$(AM_V_CCLD)sources='$(plugins_conv_conv_la_SOURCES)' && $(FUZZ_PLUGIN_LINK)
CLEANFILES += $(FUZZ_PLUGINS)

fuzz/fuzz_rules: $(srcdir)/fuzz/fuzz_rules.c libhintstub.la
	$(AM_V_CCLD)$(FUZZ_LINK) $(srcdir)/fuzz/fuzz_rules.c $(FUZZ_LIBS)
fuzz/fuzz_text: $(srcdir)/fuzz/fuzz_text.c libhintstub.la
	$(AM_V_CCLD)$(FUZZ_LINK) $(srcdir)/fuzz/fuzz_text.c $(FUZZ_LIBS)
# The reference evaluator on arbitrary graphs (small limits).
fuzz/fuzz_eval: $(srcdir)/fuzz/fuzz_eval.c libhintstub.la
	$(AM_V_CCLD)$(FUZZ_LINK) $(srcdir)/fuzz/fuzz_eval.c $(FUZZ_LIBS)

CLEANFILES += $(FUZZ_TARGETS)

if HAVE_FUZZER
fuzz: $(FUZZ_TARGETS) $(FUZZ_PLUGINS)

# Seeds: every graph under tests/data (good and bad), the examples and the
# fuzz regressions.  fuzz-smoke runs the targets one after the other, each
# in one process.
fuzz-seeds:
	$(AM_V_GEN)for t in $(FUZZ_TARGETS); do \
		n=`basename $$t`; d=$(FUZZ_CORPUS_DIR)/$$n; $(MKDIR_P) $$d; \
		case $$n in \
		fuzz_rules) seeds="$(srcdir)/rules/*.rules $(srcdir)/examples/*/*.rules \
			$(srcdir)/fuzz/seeds/*.rules \
			$(srcdir)/tests/data/fuzz-regressions/rules-*";; \
		fuzz_text) seeds="$(srcdir)/tests/data/*.pbtxt $(srcdir)/examples/*.pbtxt \
			$(srcdir)/tests/data/fuzz-regressions/*.pbtxt";; \
		*) seeds="$(srcdir)/tests/data/*.pb $(srcdir)/tests/data/bad/*.pb \
			$(srcdir)/examples/*.pb $(srcdir)/examples/*/*.pb \
			$(srcdir)/tests/data/fuzz-regressions/*.pb";; \
		esac; \
		for f in $$seeds; do test -f "$$f" && cp -f "$$f" $$d/; done; \
	done; :

fuzz-smoke: fuzz fuzz-seeds
	@for t in $(FUZZ_TARGETS); do \
		n=`basename $$t`; echo "fuzz-smoke: $$n for $(FUZZ_SECONDS)s"; \
		$$t -max_total_time=$(FUZZ_SECONDS) \
			-rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 \
			$(FUZZ_CORPUS_DIR)/$$n || exit 1; \
	done
else
fuzz fuzz-seeds fuzz-smoke:
	@echo "fuzzing needs clang with -fsanitize=fuzzer (set FUZZ_CC; see fuzz/README.md)" >&2; exit 1
endif
.PHONY: fuzz fuzz-seeds fuzz-smoke
