# The Python package `hintstub` (doc/python.md): pure Python over ctypes
# and libhintstub, installed into Python 3's site-packages when configure
# found a Python 3 (AM_PATH_PYTHON).  It loads the library whose path is
# recorded in its _paths.py: the installed one for the installed package
# (python/install/_paths.py), this build tree's for the uninstalled one
# (python/hintstub/_paths.py), which the suite runs.
HS_PY_SOURCES = python/hintstub/__init__.py python/hintstub/_lib.py
EXTRA_DIST += $(HS_PY_SOURCES)
if HAVE_PYTHON
hintstubpydir = $(pythondir)/hintstub
hintstubpy_PYTHON = $(HS_PY_SOURCES)
nodist_hintstubpy_PYTHON = python/install/_paths.py
endif

# The library's file name as libtool made it (libhintstub.so.0 on Linux).
HS_PY_DLNAME = sed -n "s/^dlname='\(.*\)'$$/\1/p" libhintstub.la

python/install/_paths.py: libhintstub.la Makefile
	$(AM_V_GEN)$(MKDIR_P) python/install && dl=`$(HS_PY_DLNAME)` && { \
	  echo '"""Paths recorded when hintstub was built (installed package)."""'; \
	  echo "LIBRARY = '$(libdir)/$$dl'"; \
	  echo "RULES = '$(rulesdir)/default.rules'"; \
	  echo "PLUGIN_DIRS = ()  # the library searches its installed plugin dir"; \
	  echo "UNINSTALLED = False"; \
	} > $@

python/hintstub/_paths.py: libhintstub.la Makefile
	$(AM_V_GEN)$(MKDIR_P) python/hintstub && dl=`$(HS_PY_DLNAME)` && { \
	  echo '"""Paths of the build tree (uninstalled package, not installed)."""'; \
	  echo "LIBRARY = '$(abs_top_builddir)/.libs/$$dl'"; \
	  echo "RULES = '$(abs_top_srcdir)/rules/default.rules'"; \
	  echo "PLUGIN_DIRS = ('$(abs_top_builddir)/plugins/lstm/.libs',"; \
	  echo "               '$(abs_top_builddir)/plugins/rnn/.libs',"; \
	  echo "               '$(abs_top_builddir)/plugins/conv/.libs')"; \
	  echo "UNINSTALLED = True"; \
	} > $@

all-local: python/hintstub/_paths.py python/install/_paths.py
CLEANFILES += python/hintstub/_paths.py python/install/_paths.py

# The suite (python/tests/test_hintstub.py), run uninstalled against this
# build tree; python/tests/layout prints the C layouts of the structs the
# package declares with ctypes, for the suite to compare.
check_PROGRAMS += python/tests/layout
python_tests_layout_SOURCES = python/tests/layout.c
TESTS += python/tests/run.sh
EXTRA_DIST += python/tests/run.sh python/tests/test_hintstub.py \
	python/tests/tfgraph.py examples/pipeline.py doc/python.md
AM_TESTS_ENVIRONMENT += HS_PYTHON='$(PYTHON)'; export HS_PYTHON;

# The Python overhead per conversion against the C API and the command,
# on the fixture and a 1M-node generated graph (not part of `make check`).
EXTRA_DIST += python/bench.py
bench-python: all hintstub-gen
	@$(MKDIR_P) $(BENCH_OUT)
	./hintstub-gen mixed --nodes $(BENCH_MIXED_NODES) --calls $(BENCH_MIXED_CALLS) \
		--seed 1 -o $(BENCH_OUT)/mixed.pb
	HINTSTUB="env LD_LIBRARY_PATH=$(abs_top_builddir)/.libs $(abs_top_builddir)/.libs/hintstub" \
	PYTHONPATH='$(abs_top_builddir)/python:$(abs_top_srcdir)/python' PYTHONDONTWRITEBYTECODE=1 \
		$(PYTHON) $(srcdir)/python/bench.py $(srcdir)/tests/data/ophint_lstm.pb \
		$(BENCH_OUT)/mixed.pb
.PHONY: bench-python
