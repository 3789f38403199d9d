#!/usr/bin/env python3
"""CPU time of the command on the benchmark graphs, this tree against
another build tree (e.g. a worktree of an older commit), runs alternating
so that both see the same machine load.  Prints medians and ratios.

    make bench                      # generates bench/data/*.pb (once)
    git worktree add ../base OLD && (cd ../base && autoreconf -fi && ./configure -q && make -j2)
    python3 scripts/bench-compare.py ../base [ROUNDS]
"""
import os
import resource
import statistics
import subprocess
import sys

here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
data = os.path.join(here, 'bench', 'data')


def cpu_ms(tree, args):
    env = dict(os.environ, LD_LIBRARY_PATH=os.path.join(tree, '.libs'),
               HINTSTUB_PLUGIN_PATH=':'.join(os.path.join(tree, 'plugins', p, '.libs')
                                             for p in ('conv', 'lstm', 'rnn')))
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run([os.path.join(tree, '.libs', 'hintstub')] + args, check=True, env=env,
                   stdout=subprocess.DEVNULL)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return 1000 * (after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    base = os.path.abspath(sys.argv[1])
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 7
    out = os.path.join(data, 'compare-out.pb')
    cases = [
        ('convert conv chain (1k calls), no plugins', 3, ['--no-plugins', 'conv.pb']),
        ('convert conv-10000, no plugins', 1, ['--no-plugins', 'conv-10000.pb']),
        ('convert mixed 1M nodes, no plugins', 0.3, ['--no-plugins', 'mixed.pb']),
        ('convert conv-10000, plugins + rules', 1, ['--rules', 'RULES', 'conv-10000.pb']),
        ('convert mixed-10000, plugins + rules', 1, ['--rules', 'RULES', 'mixed-10000.pb']),
        ('dry run mixed 1M nodes', 0.3, ['-n', 'mixed.pb']),
        ('inspect mixed 1M nodes', 0.3, ['inspect', 'mixed.pb']),
    ]
    print('%-42s %10s %10s %7s' % ('CPU time (median)', 'other', 'this', 'ratio'))
    for name, weight, args in cases:
        args = [a if not a.endswith('.pb') else os.path.join(data, a) for a in args]
        if args[0] != 'inspect':
            args = args + [out]
        n = max(3, int(rounds * weight))
        runs = {base: [], here: []}
        for _ in range(n):
            for tree in (base, here):
                # Each tree with its own rule file (their syntax may differ).
                own = [os.path.join(tree, 'rules', 'default.rules') if a == 'RULES' else a
                       for a in args]
                runs[tree].append(cpu_ms(tree, own))
        b, m = statistics.median(runs[base]), statistics.median(runs[here])
        print('%-42s %8.1f ms %8.1f ms %7.2f' % (name, b, m, m / b))


if __name__ == '__main__':
    main()
