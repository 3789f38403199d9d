# Built-in plugins: each its own module, installed to plugindir and loaded
# exactly like a user's plugin (no link against libhintstub: they use the
# host API table only).
PLUGIN_CFLAGS = $(AM_CFLAGS) -fvisibility=hidden
PLUGIN_LDFLAGS = -module -avoid-version -shared -no-undefined

plugin_LTLIBRARIES += plugins/lstm/lstm.la plugins/rnn/rnn.la plugins/conv/conv.la

plugins_lstm_lstm_la_SOURCES = plugins/lstm/lstm.c plugins/options.h
plugins_lstm_lstm_la_CFLAGS = $(PLUGIN_CFLAGS)
plugins_lstm_lstm_la_LDFLAGS = $(PLUGIN_LDFLAGS)

plugins_rnn_rnn_la_SOURCES = plugins/rnn/rnn.c plugins/options.h
plugins_rnn_rnn_la_CFLAGS = $(PLUGIN_CFLAGS)
plugins_rnn_rnn_la_LDFLAGS = $(PLUGIN_LDFLAGS)

plugins_conv_conv_la_SOURCES = plugins/conv/conv.c plugins/options.h
plugins_conv_conv_la_CFLAGS = $(PLUGIN_CFLAGS)
plugins_conv_conv_la_LDFLAGS = $(PLUGIN_LDFLAGS)
