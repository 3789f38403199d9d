# libhintstub.  Version-info update rules (libtool): when a release changes
# the interface, current+1 and revision=0; when it only adds, age+1; when
# it removes or changes, age=0; otherwise only revision+1.
lib_LTLIBRARIES += libhintstub.la

libhintstub_la_SOURCES = \
	core/error.c core/error.h core/grow.h \
	core/wire.c core/wire.h \
	core/graph.c core/graph_internal.h \
	core/name_index.c core/name_index.h \
	core/graph_edit.c \
	core/attr.c \
	core/sink.c core/sink.h core/graph_write.c \
	core/io.c \
	core/verify.c \
	core/dispatch.h core/registry.c core/registry_internal.h \
	core/plugin_loader.c core/rules.c \
	core/ophint_internal.h core/hints.c core/region.c \
	core/stub.h core/stub.c core/pack_unpack.c \
	core/cycles.c core/convert.c core/report_json.c
nodist_libhintstub_la_SOURCES = core/graph.pb-c.c core/graph.pb-c.h
libhintstub_la_CFLAGS = $(AM_CFLAGS) $(PROTOBUF_C_CFLAGS) -fvisibility=hidden
libhintstub_la_CPPFLAGS = $(AM_CPPFLAGS) -DHS_PLUGINDIR='"$(plugindir)"'
libhintstub_la_LIBADD = $(PROTOBUF_C_LIBS) $(DL_LIBS)
libhintstub_la_LDFLAGS = -version-info $(HS_LT_VERSION) -no-undefined

pkginclude_HEADERS += include/hintstub/hintstub.h include/hintstub/ophint.h \
	include/hintstub/plugin.h

BUILT_SOURCES += core/graph.pb-c.c core/graph.pb-c.h
CLEANFILES += core/graph.pb-c.c core/graph.pb-c.h
EXTRA_DIST += core/graph.proto

core/graph.pb-c.c core/graph.pb-c.h: core/graph.proto
	$(AM_V_GEN)$(MKDIR_P) core && \
	$(PROTOC_C) --proto_path=$(srcdir)/core --c_out=core $(srcdir)/core/graph.proto
