#!/bin/sh
# Writes examples/ophint_dynamic_lstm.pb (or $1): the TFLite LSTM guide's
# model -- INPUT [1, 28, 28] transposed to time-major, dynamic_rnn over
# StackedRNNCells of two TFLiteLSTMCell(64), control flow v2 (While), the
# last step's output through softmax to OUTPUT_CLASS -- frozen, with seeded
# random weights.  `make regen-dynamic-example` runs it.
set -eu
GEN=${HINTSTUB_GEN:-./hintstub-gen}
exec $GEN dynamic --guide --cell lstm --layers 2 --units 64 --steps 28 \
	--batch 1 --depth 28 --seed 1 -q -o "${1:-examples/ophint_dynamic_lstm.pb}"
