# Test plugins: built for `make check` only, never installed.
TP_LDFLAGS = -module -avoid-version -shared -rpath /nowhere -no-undefined
check_LTLIBRARIES += tests/host/plugins/alpha.la tests/host/plugins/beta.la tests/host/plugins/picky.la tests/host/plugins/failing.la tests/host/plugins/badabi.la tests/host/plugins/initfail.la tests/host/plugins/noentry.la tests/host/plugins/wrongname.la \
	tests/host/plugins/strs.la tests/host/plugins/fuser.la \
	tests/host/plugins/badname.la \
	tests/host/plugins/exiter.la tests/host/plugins/crasher.la tests/host/plugins/deleter.la \
	tests/host/plugins/hugesigs.la tests/host/plugins/nullargs.la tests/host/plugins/editor.la \
	tests/host/plugins/bypasser.la tests/host/plugins/truncator.la

tests_host_plugins_alpha_la_SOURCES = tests/host/plugins/tp.c
tests_host_plugins_alpha_la_CFLAGS = $(AM_CFLAGS) -fvisibility=hidden -DTP_NAME=alpha -DTP_MODE=0
tests_host_plugins_alpha_la_LDFLAGS = $(TP_LDFLAGS)
tests_host_plugins_beta_la_SOURCES = tests/host/plugins/tp.c
tests_host_plugins_beta_la_CFLAGS = $(AM_CFLAGS) -fvisibility=hidden -DTP_NAME=beta -DTP_MODE=0
tests_host_plugins_beta_la_LDFLAGS = $(TP_LDFLAGS)
tests_host_plugins_picky_la_SOURCES = tests/host/plugins/tp.c
tests_host_plugins_picky_la_CFLAGS = $(AM_CFLAGS) -fvisibility=hidden -DTP_NAME=picky -DTP_MODE=1
tests_host_plugins_picky_la_LDFLAGS = $(TP_LDFLAGS)
tests_host_plugins_failing_la_SOURCES = tests/host/plugins/tp.c
tests_host_plugins_failing_la_CFLAGS = $(AM_CFLAGS) -fvisibility=hidden -DTP_NAME=failing -DTP_MODE=2
tests_host_plugins_failing_la_LDFLAGS = $(TP_LDFLAGS)
tests_host_plugins_badabi_la_SOURCES = tests/host/plugins/tp.c
tests_host_plugins_badabi_la_CFLAGS = $(AM_CFLAGS) -fvisibility=hidden -DTP_NAME=badabi -DTP_MODE=3
tests_host_plugins_badabi_la_LDFLAGS = $(TP_LDFLAGS)
tests_host_plugins_initfail_la_SOURCES = tests/host/plugins/tp.c
tests_host_plugins_initfail_la_CFLAGS = $(AM_CFLAGS) -fvisibility=hidden -DTP_NAME=initfail -DTP_MODE=4
tests_host_plugins_initfail_la_LDFLAGS = $(TP_LDFLAGS)
tests_host_plugins_noentry_la_SOURCES = tests/host/plugins/tp.c
tests_host_plugins_noentry_la_CFLAGS = $(AM_CFLAGS) -fvisibility=hidden -DTP_NAME=noentry -DTP_MODE=5
tests_host_plugins_noentry_la_LDFLAGS = $(TP_LDFLAGS)
tests_host_plugins_wrongname_la_SOURCES = tests/host/plugins/tp.c
tests_host_plugins_wrongname_la_CFLAGS = $(AM_CFLAGS) -fvisibility=hidden -DTP_NAME=wrongname -DTP_MODE=6
tests_host_plugins_wrongname_la_LDFLAGS = $(TP_LDFLAGS)
tests_host_plugins_strs_la_SOURCES = tests/host/plugins/tp.c
tests_host_plugins_strs_la_CFLAGS = $(AM_CFLAGS) -fvisibility=hidden -DTP_NAME=strs -DTP_MODE=7
tests_host_plugins_strs_la_LDFLAGS = $(TP_LDFLAGS)
tests_host_plugins_fuser_la_SOURCES = tests/host/plugins/tp.c
tests_host_plugins_fuser_la_CFLAGS = $(AM_CFLAGS) -fvisibility=hidden -DTP_NAME=fuser -DTP_MODE=8
tests_host_plugins_fuser_la_LDFLAGS = $(TP_LDFLAGS)
tests_host_plugins_badname_la_SOURCES = tests/host/plugins/tp.c
tests_host_plugins_badname_la_CFLAGS = $(AM_CFLAGS) -fvisibility=hidden -DTP_NAME=badname -DTP_MODE=9
tests_host_plugins_badname_la_LDFLAGS = $(TP_LDFLAGS)
tests_host_plugins_exiter_la_SOURCES = tests/host/plugins/hostile.c
tests_host_plugins_exiter_la_CFLAGS = $(AM_CFLAGS) -fvisibility=hidden -DHP_NAME=exiter -DHP_MODE=0
tests_host_plugins_exiter_la_LDFLAGS = $(TP_LDFLAGS)
tests_host_plugins_crasher_la_SOURCES = tests/host/plugins/hostile.c
tests_host_plugins_crasher_la_CFLAGS = $(AM_CFLAGS) -fvisibility=hidden -DHP_NAME=crasher -DHP_MODE=1
tests_host_plugins_crasher_la_LDFLAGS = $(TP_LDFLAGS)
tests_host_plugins_deleter_la_SOURCES = tests/host/plugins/hostile.c
tests_host_plugins_deleter_la_CFLAGS = $(AM_CFLAGS) -fvisibility=hidden -DHP_NAME=deleter -DHP_MODE=2
tests_host_plugins_deleter_la_LDFLAGS = $(TP_LDFLAGS)
tests_host_plugins_hugesigs_la_SOURCES = tests/host/plugins/hostile.c
tests_host_plugins_hugesigs_la_CFLAGS = $(AM_CFLAGS) -fvisibility=hidden -DHP_NAME=hugesigs -DHP_MODE=3
tests_host_plugins_hugesigs_la_LDFLAGS = $(TP_LDFLAGS)
tests_host_plugins_nullargs_la_SOURCES = tests/host/plugins/hostile.c
tests_host_plugins_nullargs_la_CFLAGS = $(AM_CFLAGS) -fvisibility=hidden -DHP_NAME=nullargs -DHP_MODE=4
tests_host_plugins_nullargs_la_LDFLAGS = $(TP_LDFLAGS)
tests_host_plugins_editor_la_SOURCES = tests/host/plugins/hostile.c
tests_host_plugins_editor_la_CFLAGS = $(AM_CFLAGS) -fvisibility=hidden -DHP_NAME=editor -DHP_MODE=5
tests_host_plugins_editor_la_LDFLAGS = $(TP_LDFLAGS)
tests_host_plugins_bypasser_la_SOURCES = tests/host/plugins/hostile.c
tests_host_plugins_bypasser_la_CFLAGS = $(AM_CFLAGS) -fvisibility=hidden -DHP_NAME=bypasser -DHP_MODE=6
tests_host_plugins_bypasser_la_LDFLAGS = $(TP_LDFLAGS)
tests_host_plugins_bypasser_la_LIBADD = $(DL_LIBS)
tests_host_plugins_truncator_la_SOURCES = tests/host/plugins/hostile.c
tests_host_plugins_truncator_la_CFLAGS = $(AM_CFLAGS) -fvisibility=hidden -DHP_NAME=truncator -DHP_MODE=7
tests_host_plugins_truncator_la_LDFLAGS = $(TP_LDFLAGS)
