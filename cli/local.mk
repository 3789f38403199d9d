bin_PROGRAMS += hintstub
hintstub_SOURCES = cli/main.c cli/guard.c cli/cli.h cli/pass.c cli/inspect.c cli/limits.c \
	cli/plugins.c cli/explain.c
# hintstub draw
hintstub_SOURCES += cli/draw.c cli/graphviz.c
hintstub_LDADD = libhintstub.la
hintstub_CPPFLAGS = $(AM_CPPFLAGS)
