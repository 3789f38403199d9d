#!/bin/sh
# Installs what is missing, builds hintstub, and converts the shipped
# example graph with the built-in plugins, printing what it found and did,
# and draws it as an HTML report.
set -eu
cd "$(dirname "$0")/.."
sh scripts/deps.sh
[ -f configure ] || autoreconf -fi >/dev/null 2>&1
[ -f Makefile ] || ./configure -q 2>/dev/null
make -s -j2 >/dev/null
# Uninstalled: point hintstub at the plugins and rules of this build tree.
HINTSTUB_PLUGIN_PATH=plugins/lstm/.libs:plugins/rnn/.libs:plugins/conv/.libs
export HINTSTUB_PLUGIN_PATH
./hintstub inspect --rules rules/default.rules examples/ophint_lstm.pb
./hintstub explain --rules rules/default.rules examples/ophint_lstm.pb
./hintstub --rules rules/default.rules --report - \
	examples/ophint_lstm.pb examples/ophint_lstm.stubbed.pb
echo
./hintstub inspect examples/ophint_lstm.stubbed.pb | head -n 1

# The TFLite LSTM guide's model as a dynamic_rnn graph (TF 1.14 While loop,
# level-2 TfLiteDynamicRnn call, cells inside the loop body; issue 9).
# The call becomes two chained UnidirectionalSequenceLstm stubs and the
# While goes; a While left is a failure of the demo.
echo
./hintstub inspect --rules rules/default.rules examples/ophint_dynamic_lstm.pb
./hintstub --rules rules/default.rules --report - \
	examples/ophint_dynamic_lstm.pb examples/ophint_dynamic_lstm.stubbed.pb
echo
loops=$(./hintstub inspect examples/ophint_dynamic_lstm.stubbed.pb |
	awk '$1 == "While" || $1 == "StatelessWhile" { n += $2 } END { print n + 0 }')
stubs=$(./hintstub inspect examples/ophint_dynamic_lstm.stubbed.pb |
	awk '$1 == "UnidirectionalSequenceLstm" { n += $2 } END { print n + 0 }')
if [ "$loops" -eq 0 ] && [ "$stubs" -gt 0 ]; then
	echo "dynamic_rnn: converted: $stubs UnidirectionalSequenceLstm stub(s), no While left"
else
	echo "dynamic_rnn: NOT converted: $loops While loop(s) left, $stubs stub(s)" >&2
	exit 1
fi

# The picture of what was fused: one page, the calls in a table.
./hintstub draw --rules rules/default.rules examples/ophint_lstm.pb \
	--after examples/ophint_lstm.stubbed.pb -o examples/ophint_lstm.report.html
echo "report: $(pwd)/examples/ophint_lstm.report.html (open it in a browser)"
