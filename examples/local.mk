# The out-of-tree example plugin: `make check` builds it the way a user
# would (pkg-config only), against the build tree through an uninstalled
# .pc file, and runs it through the CLI.
EXTRA_DIST += examples/mycell/mycell.c examples/mycell/Makefile \
	examples/mycell/mycell.rules examples/mycell/mycell.pb \
	examples/mycell/README.md tests/examples/example_plugin.sh

# pkg-config picks NAME-uninstalled.pc over NAME.pc when both are in
# PKG_CONFIG_PATH.
hintstub-uninstalled.pc: Makefile
	$(AM_V_GEN){ \
	  echo 'plugindir=$(abs_top_builddir)/plugins'; \
	  echo 'rulesdir=$(abs_top_srcdir)/rules'; \
	  echo 'Name: hintstub'; \
	  echo 'Description: hintstub (uninstalled build tree)'; \
	  echo 'Version: $(PACKAGE_VERSION)'; \
	  echo 'Requires.private: libprotobuf-c'; \
	  echo 'Cflags: -I$(abs_top_srcdir)/include -I$(abs_top_builddir)/include'; \
	  echo 'Libs: -L$(abs_top_builddir)/.libs -lhintstub'; \
	  echo 'Libs.private: $(DL_LIBS)'; \
	} > $@
CLEANFILES += hintstub-uninstalled.pc
check_DATA = hintstub-uninstalled.pc

TESTS += tests/examples/example_plugin.sh

# The copy-me template plugin: its own `make check`, against the build tree.
EXTRA_DIST += examples/template/myswish.c examples/template/Makefile \
	examples/template/myswish.rules examples/template/README.md \
	tests/examples/template_plugin.sh
TESTS += tests/examples/template_plugin.sh

# The C blocks of doc/plugin-guide.md and README.md compile and run.
TESTS += tests/examples/doc_snippets.sh
EXTRA_DIST += tests/examples/doc_snippets.sh

# The TFLite LSTM guide's model (2 LSTM layers of 64 units, 28 steps, batch
# 1, depth 28) as a frozen dynamic_rnn graph, written by the generator with
# the options in examples/ophint_dynamic_lstm.sh: `make regen-dynamic-example`
# rewrites it; tests/examples/dynamic_example.sh checks the shipped file is
# what the generator writes.
regen-dynamic-example: hintstub-gen
	HINTSTUB_GEN=./hintstub-gen $(SHELL) $(srcdir)/examples/ophint_dynamic_lstm.sh \
		$(srcdir)/examples/ophint_dynamic_lstm.pb
.PHONY: regen-dynamic-example
EXTRA_DIST += examples/ophint_dynamic_lstm.pb examples/ophint_dynamic_lstm.sh \
	tests/examples/dynamic_example.sh
TESTS += tests/examples/dynamic_example.sh
