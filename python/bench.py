#!/usr/bin/env python3
"""Python overhead per conversion (make bench-python).

    python3 python/bench.py GRAPH... [--reps N]

For each graph, the median wall time of one in-memory conversion (generic
stubs, bytes in, bytes out):
  c-api     the library's calls alone, made through ctypes with no Python
            work between them: hs_graph_load_buffer, hs_convert,
            hs_graph_write_buffer, hs_free (what a C program does);
  python    hintstub.convert(data, no_plugins=True): the same plus the
            checks the command makes (empty input, hs_graph_verify), the
            report as Python objects and the warnings;
  cli       `hintstub --no-plugins IN OUT` as a process (start-up, file
            read and atomic write included; $HINTSTUB names the command,
            default ./hintstub), when the command is found.
Targets: python within 10% of c-api on the 1M-node graph, under 1 ms
extra on the fixture.
"""
import ctypes
import os
import statistics
import subprocess
import sys
import tempfile
import time
from ctypes import byref, c_size_t, c_void_p

import hintstub
from hintstub import _lib

C = _lib.lib


def c_api(data):
    g, report, buf, size = c_void_p(), c_void_p(), c_void_p(), c_size_t()
    opts = _lib.hs_convert_options()
    C.hs_convert_options_init(byref(opts), _lib.HS_CONVERT_OPTIONS_VERSION)
    assert C.hs_graph_load_buffer(byref(g), data, len(data), b"bench", None) == 0
    assert C.hs_convert(byref(report), g, byref(opts)) == 0
    assert C.hs_graph_write_buffer(byref(buf), byref(size), g) == 0
    out = ctypes.string_at(buf, size.value)
    C.hs_free(buf)
    C.hs_report_free(report)
    C.hs_graph_free(g)
    return out


def median_ms(fn, reps):
    times = []
    for _ in range(reps):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1e3)
    return statistics.median(times)


def main(argv):
    reps = 20
    if "--reps" in argv:
        i = argv.index("--reps")
        reps = int(argv[i + 1])
        del argv[i:i + 2]
    cli = os.environ.get("HINTSTUB", "./hintstub").split()
    tmp = tempfile.mkdtemp(prefix="hintstub-bench.")
    print("%-28s %10s %10s %10s %12s %8s" % ("graph", "c-api ms", "python ms", "cli ms",
                                             "overhead ms", "ratio"))
    for path in argv[1:]:
        with open(path, "rb") as f:
            data = f.read()
        assert c_api(data) == hintstub.convert(data, no_plugins=True).graph
        n = reps if len(data) < 10 << 20 else max(3, reps // 4)
        c = median_ms(lambda: c_api(data), n)
        py = median_ms(lambda: hintstub.convert(data, no_plugins=True), n)
        out = os.path.join(tmp, "out.pb")
        if os.access(cli[-1], os.X_OK):
            run = lambda: subprocess.run(cli + ["--no-plugins", path, out], check=True)  # noqa: E731
            cl = "%10.3f" % median_ms(run, n)
        else:
            cl = "%10s" % "-"
        print("%-28s %10.3f %10.3f %s %12.3f %8.3f" % (
            os.path.basename(path)[:28], c, py, cl, py - c, py / c))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
