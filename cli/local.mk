bin_PROGRAMS += hintstub
hintstub_SOURCES = cli/main.c cli/guard.c cli/cli.h cli/pass.c cli/inspect.c cli/limits.c \
	cli/plugins.c cli/explain.c \
	cli/print.c
# hintstub draw
hintstub_SOURCES += cli/draw.c cli/graphviz.c
hintstub_LDADD = libhintstub.la
hintstub_CPPFLAGS = $(AM_CPPFLAGS)
# Evaluating subcommands: run, verify, test-models (libyaml when found).
hintstub_SOURCES += cli/evalcli.h cli/inputs.c cli/feed.c cli/run.c cli/verify.c \
	cli/plugin_eval.c cli/test_models.c cli/manifest.h
if HAVE_YAML
hintstub_SOURCES += cli/manifest.c
endif
hintstub_CPPFLAGS += $(YAML_CFLAGS)
hintstub_LDADD += $(YAML_LIBS) -lm
