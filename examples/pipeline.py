#!/usr/bin/env python3
"""A converter pipeline's OpHint step, with hintstub in place of
tf.lite.experimental.convert_op_hints_to_stubs.

    python3 examples/pipeline.py [IN.pb [OUT.pb]]

Converts IN (default: examples/ophint_lstm.pb) through
hintstub.convert_op_hints_to_stubs, writes OUT when given, and prints the
conversion's report.  With TensorFlow (or any protobuf GraphDef class) the
graph would be a GraphDef object; here it is the file's bytes, which the
package takes as well.  In a build tree: PYTHONPATH=python (doc/python.md).
"""
import json
import os
import sys

import hintstub


def main(argv):
    here = os.path.dirname(os.path.abspath(__file__))
    src = argv[1] if len(argv) > 1 else os.path.join(here, "ophint_lstm.pb")
    with open(src, "rb") as f:
        graph_def = f.read()          # TensorFlow: a frozen tf.compat.v1.GraphDef

    # Before: graph_def = tf.lite.experimental.convert_op_hints_to_stubs(graph_def=graph_def)
    stubbed = hintstub.convert_op_hints_to_stubs(
        graph_def=graph_def,
        write_callback=lambda g, comment: print("write_callback: %s, %d bytes" % (comment, len(g))))

    if len(argv) > 2:
        with open(argv[2], "wb") as f:
            f.write(stubbed)

    # The same conversion with its report (what `hintstub --report` writes).
    result = hintstub.convert(graph_def)
    assert result.graph == stubbed
    print(json.dumps(result.report, indent=2))
    for w in result.warnings:
        print("warning:", w, file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
