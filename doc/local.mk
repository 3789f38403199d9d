dist_man_MANS += doc/hintstub.1

EXTRA_DIST += doc/design.md doc/robustness.md doc/conversion.md README.md examples/README.md examples/ophint_lstm.pb examples/ophint_lstm.pbtxt \
	scripts/deps.sh scripts/demo.sh scripts/test.sh
# The reference evaluator (core/eval).
EXTRA_DIST += doc/eval.md
EXTRA_DIST += doc/draw.md doc/draw-lstm.png
