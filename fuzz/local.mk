# libFuzzer targets (clang -fsanitize=fuzzer,address,undefined).  They are
# built from the library's sources directly, with the fuzzer's
# instrumentation, by `make fuzz`; `make fuzz-smoke` runs each one for
# FUZZ_SECONDS on its seed corpus.  configure finds a suitable FUZZ_CC.
EXTRA_DIST += fuzz/fuzz_load.c fuzz/README.md

FUZZ_TARGETS = fuzz/fuzz_load
FUZZ_SECONDS = 60
FUZZ_FLAGS = -g -O1 -fno-omit-frame-pointer \
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined
FUZZ_CORE_SRCS = \
	$(srcdir)/core/error.c $(srcdir)/core/wire.c $(srcdir)/core/graph.c \
	$(srcdir)/core/graph_edit.c $(srcdir)/core/attr.c \
	$(srcdir)/core/graph_write.c $(srcdir)/core/io.c \
	$(srcdir)/core/verify.c $(srcdir)/core/registry.c core/graph.pb-c.c
FUZZ_CPPFLAGS = -I$(top_builddir) -I$(top_srcdir)/include -I$(top_srcdir)/core \
	-I$(top_builddir)/core $(PROTOBUF_C_CFLAGS)
FUZZ_LIBS = $(PROTOBUF_C_LIBS) $(DL_LIBS)
FUZZ_CORPUS_DIR = fuzz-corpus

fuzz/fuzz_load: $(srcdir)/fuzz/fuzz_load.c $(FUZZ_CORE_SRCS) core/graph.pb-c.h config.h
	$(AM_V_CCLD)$(MKDIR_P) fuzz && \
	$(FUZZ_CC) $(FUZZ_FLAGS) $(FUZZ_CPPFLAGS) -o $@ \
		$(srcdir)/fuzz/fuzz_load.c $(FUZZ_CORE_SRCS) $(FUZZ_LIBS)

CLEANFILES += $(FUZZ_TARGETS)

if HAVE_FUZZER
fuzz: $(FUZZ_TARGETS)

# Seeds: every graph under tests/data (good and bad) plus the regressions.
fuzz-seeds:
	$(AM_V_GEN)for t in $(FUZZ_TARGETS); do \
		d=$(FUZZ_CORPUS_DIR)/`basename $$t`; $(MKDIR_P) $$d; \
		for f in $(srcdir)/tests/data/*.pb $(srcdir)/tests/data/bad/*.pb \
			 $(srcdir)/tests/data/fuzz-regressions/*; do \
			test -f "$$f" && cp -f "$$f" $$d/; \
		done; \
	done; :

fuzz-smoke: fuzz fuzz-seeds
	@for t in $(FUZZ_TARGETS); do \
		n=`basename $$t`; echo "fuzz-smoke: $$n for $(FUZZ_SECONDS)s"; \
		$$t -max_total_time=$(FUZZ_SECONDS) -jobs=1 -workers=1 \
			-rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 \
			$(FUZZ_CORPUS_DIR)/$$n || exit 1; \
	done
else
fuzz fuzz-seeds fuzz-smoke:
	@echo "fuzzing needs clang with -fsanitize=fuzzer (set FUZZ_CC; see fuzz/README.md)" >&2; exit 1
endif
.PHONY: fuzz fuzz-seeds fuzz-smoke
