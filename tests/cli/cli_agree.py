#!/usr/bin/env python3
"""Compares what hintstub says about every call (tests/cli/cli_agree.sh).

    cli_agree.py graphs DIR        writes the scenario graphs into DIR
    cli_agree.py compare CASE...   one directory per (graph, options) run
    cli_agree.py tamper CASE WHAT  spoils one file of CASE (the self-check)

A case directory holds what cli_agree.sh wrote for one graph and one
option set: `label`, `status` (one "STEP EXIT" line per step),
inspect.json, explain.txt, dry.json (the --dry-run report), report.json
(the conversion's report), out.pb and out.json (inspect --json of the
converted graph).  Every call is compared by uuid; each disagreement is
printed as "MISMATCH LABEL uuid UUID: ..." and makes the exit status 1.

The JSON files are read with surrogateescape, so a name that is not UTF-8
survives the round trip; where JSON meets text (explain, the graph) both
are compared as a reader sees them, invalid bytes as U+FFFD (seen())."""
import json
import os
import re
import sys


def read_bytes(path):
    with open(path, "rb") as f:
        return f.read()


def read_json(path):
    return json.loads(read_bytes(path).decode("utf-8", "surrogateescape"))


def raw(s):
    """The bytes hintstub printed for a JSON string."""
    return s.encode("utf-8", "surrogateescape")


def printable(data):
    """hs_escape (graph.h) of bytes: what the text outputs print."""
    out, i = [], 0
    while i < len(data):
        b = data[i]
        if b in (0x0a, 0x0d, 0x09):
            out.append({0x0a: "\\n", 0x0d: "\\r", 0x09: "\\t"}[b])
        elif 0x20 <= b < 0x7f:
            out.append(chr(b))
        else:
            n = 2 if 0xc2 <= b <= 0xdf else 3 if 0xe0 <= b <= 0xef else \
                4 if 0xf0 <= b <= 0xf4 else 0
            try:
                ch = data[i:i + n].decode("utf-8") if n else None
            except UnicodeDecodeError:
                ch = None
            if ch is not None and len(ch) == 1 and ord(ch) >= 0xa0:
                out.append(ch)
                i += n
                continue
            out.append("\\x%02x" % b)
        i += 1
    return "".join(out)


BROKEN = re.compile(r"(?:\\x[89a-f][0-9a-f]|\ufffd)+")


def seen(data):
    """Text as a reader sees it: printed as hs_escape prints it, and any
    run of bytes that are not UTF-8 (or C1 controls) as one U+FFFD, whether
    the JSON carried them as U+FFFD or the text escaped them (\\xHH)."""
    if isinstance(data, str):
        data = raw(data)
    return BROKEN.sub("\ufffd", printable(data))


def seen_lines(data):
    """seen() of each line of a text output (its newlines kept)."""
    return "\n".join(seen(line) for line in data.split(b"\n"))


# ------------------------------------------------------------ scenarios

def scenarios():
    """Small graphs for the fates the other test graphs do not reach:
    an interior escape, overlapping regions, a stub closing a cycle, a
    level-2 call, calls the `failing` test plugin fails on (uuid bad*)
    and names needing escapes.  The encoder is the bad-input corpus's (generate.py)."""
    sys.dont_write_bytecode = True  # no __pycache__ in the source tree
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                    "..", "data", "bad"))
    from generate import attr_i, attr_s, attr_type, hint, node
    x = node("x", "Placeholder")
    yield "escape", (x + hint("e_in", "Esc", "esc0", 0, inputs=["x"]) +
                     node("e_m", "Neg", ["e_in"]) +
                     hint("e_out", "Esc", "esc0", 0, is_input=False, inputs=["e_m"]) +
                     node("reader", "Relu", ["e_m"]))
    # One call inside another: both regions hold o_m.
    yield "overlap", (x + hint("b_in", "Outer", "outer", 0, inputs=["x"]) +
                      hint("a_in", "Inner", "inner", 0, inputs=["b_in"]) +
                      node("o_m", "Neg", ["a_in"]) +
                      hint("a_out", "Inner", "inner", 0, is_input=False, inputs=["o_m"]) +
                      hint("b_out", "Outer", "outer", 0, is_input=False, inputs=["a_out"]))
    # Input 1 depends on output 0: the stub would read what it writes.
    yield "cycle", (x + hint("c_in0", "Cyc", "cyc", 0, inputs=["x"]) +
                    node("c_m0", "Neg", ["c_in0"]) +
                    hint("c_out0", "Cyc", "cyc", 0, is_input=False, inputs=["c_m0"]) +
                    node("c_n", "Relu", ["c_out0"]) +
                    hint("c_in1", "Cyc", "cyc", 1, inputs=["c_n"]) +
                    node("c_m1", "Neg", ["c_in1"]) +
                    hint("c_out1", "Cyc", "cyc", 1, is_input=False, inputs=["c_m1"]))

    def level2(name, index, is_input, inputs):
        key = "_tflite_function_%s_index" % ("input" if is_input else "output")
        return node(name, "Identity", inputs, [
            ("T", attr_type(1)), ("_tflite_function_name", attr_s("Rnn2")),
            ("_tflite_function_uuid", attr_s("lvl2")), (key, attr_i(index)),
            ("_tflite_ophint_level", attr_i(2))])
    yield "level2", (x + level2("l_in", 0, True, ["x"]) + node("l_m", "Neg", ["l_in"]) +
                     level2("l_out", 0, False, ["l_m"]))
    failing = x
    for uuid in ("good1", "bad1", "good2", "bad2"):
        failing += (hint(uuid + "_in", "TestFn", uuid, 0, inputs=["x"]) +
                    node(uuid + "_m", "Neg", [uuid + "_in"]) +
                    hint(uuid + "_out", "TestFn", uuid, 0, is_input=False,
                         inputs=[uuid + "_m"]))
    yield "failing", failing
    # Names that need escaping in JSON and are not UTF-8.
    odd = b'q"u\\o\tt\xffe'
    yield "odd-names", (x + hint(b"in " + odd, "F n", odd, 0, inputs=["x"]) +
                        node(b"m " + odd, "Neg", [b"in " + odd]) +
                        hint(b"out " + odd, "F n", odd, 0, is_input=False,
                             inputs=[b"m " + odd]))


def cmd_graphs(directory):
    for name, data in scenarios():
        with open(os.path.join(directory, "scenario-%s.pb" % name), "wb") as f:
            f.write(data)
    return 0


# ------------------------------------------------------------- GraphDef

def varint(buf, pos):
    shift = value = 0
    while True:
        b = buf[pos]
        pos += 1
        value |= (b & 0x7F) << shift
        if b < 0x80:
            return value, pos
        shift += 7


def fields(buf):
    """(number, wire type, value) of each field of one message."""
    pos = 0
    while pos < len(buf):
        key, pos = varint(buf, pos)
        number, wire = key >> 3, key & 7
        if wire == 0:
            value, pos = varint(buf, pos)
        elif wire == 1:
            value, pos = buf[pos:pos + 8], pos + 8
        elif wire == 2:
            n, pos = varint(buf, pos)
            value, pos = buf[pos:pos + n], pos + n
        elif wire == 5:
            value, pos = buf[pos:pos + 4], pos + 4
        else:
            raise ValueError("wire type %d" % wire)
        yield number, wire, value


def node_ops(path):
    """{name: op} of every GraphDef.node (field 1: name 1, op 2)."""
    ops = {}
    for number, wire, body in fields(read_bytes(path)):
        if number != 1 or wire != 2:
            continue
        name = op = b""
        for n, w, v in fields(body):
            if n == 1 and w == 2:
                name = v
            elif n == 2 and w == 2:
                op = v
        ops[seen(name)] = seen(op)
    return ops


# ------------------------------------------------------------ outcomes

def counts(e):
    return "%d nodes removed, %d added" % (e["nodes_removed"], e["nodes_added"])


def explain_line(e):
    """The `  -> ` line explain prints for a plan entry."""
    if e["result"] == "converted" and e["plugin"] == "generic":
        return "unclaimed: generic stub (%s)" % counts(e)
    if e["result"] == "converted":
        return "converted by %s (%s)" % (e["plugin"], counts(e))
    return "%s: %s" % (e["result"], e["reason"] or "")


def inspect_text(e):
    """The conversion text inspect prints for a plan entry."""
    if e["result"] == "converted":
        return "would convert (%s stub, %s)" % (e["plugin"], counts(e))
    return "would be %s: %s" % (e["result"], e["reason"] or "")


def explain_blocks(text, calls):
    """{uuid: (problems, verdicts, outcome)} from explain's output: the
    problem lines, the plugins' verdict lines and the `  -> ` line of each
    call, as text (seen()).  Each call's block starts with the header explain
    prints for it (built from inspect's JSON, in plan order), so names
    holding newlines or '->' cannot confuse the split."""
    heads = []
    for c in calls:
        heads.append("call %s %s (%d inputs, %d outputs)\n" % (
            seen(c["function"]), seen(c["uuid"]), len(c["inputs"]),
            len(c["outputs"])))
    found, pos, bad = {}, 0, []
    for k, c in enumerate(calls):
        if not text.startswith(heads[k], pos):
            bad.append(c["uuid"])
            break
        start = pos + len(heads[k])
        end = len(text)
        if k + 1 < len(calls):
            end = text.find("\n" + heads[k + 1], start)
            end = len(text) if end < 0 else end + 1
        block = text[start:end]
        problems = "".join("  problem (%s): %s\n" % (seen(p["code"]), seen(p["message"]))
                            for p in c["problems"])
        arrow = block.rfind("  -> ")
        if not block.startswith(problems) or arrow < len(problems) or \
                block[arrow - 1:arrow] not in ("", "\n"):
            bad.append(c["uuid"])
            break
        found[c["uuid"]] = (problems, block[len(problems):arrow],
                            block[arrow + 5:].rstrip("\n"))
        pos = end
    if not calls and text != "no OpHint calls\n":
        bad.append("(no calls)")
    elif calls and not bad and pos != len(text):
        bad.append("(trailing text)")
    return found, bad


def claimers(verdicts, indent="  "):
    """The plugins whose verdict line says they claim the call (a level-2
    call's children's verdicts are indented deeper)."""
    return [line[len(indent):-len(": claims it")] for line in verdicts.split("\n")
            if line.startswith(indent) and not line.startswith(indent + " ") and
            line.endswith(": claims it")]


def child_blocks(verdicts, children):
    """[(child, its verdict lines)] of a level-2 call's explain block: each
    child's header `  child J (layer J+1 of N) FUNCTION UUID:`, then its
    verdicts and outcome, indented four."""
    out, pos = [], 0
    for j, k in enumerate(children):
        head = "  child %d (layer %d of %d) %s %s:\n" % (
            j, j + 1, len(children), seen(k["function"]), seen(k["uuid"]))
        at = verdicts.find(head, pos)
        if at < 0:
            return None
        start = at + len(head)
        nxt = verdicts.find("\n  child ", start)
        end = len(verdicts) if nxt < 0 else nxt + 1
        out.append((k, verdicts[start:end]))
        pos = end
    return out


# ------------------------------------------------------------- compare

class Case:
    def __init__(self, path):
        self.path = path
        self.label = read_bytes(os.path.join(path, "label")).decode().strip()
        self.status = {}
        for line in read_bytes(os.path.join(path, "status")).decode().split("\n"):
            if line:
                step, rc = line.split()
                self.status[step] = int(rc)
        self.problems = []
        self.failed_in_apply = 0

    def file(self, name):
        return os.path.join(self.path, name)

    def bad(self, uuid, what):
        where = "uuid %s" % uuid if uuid is not None else "graph"
        self.problems.append("MISMATCH %s %s: %s" % (self.label, where, what))


def by_uuid(case, calls, source):
    out = {}
    for c in calls:
        if c["uuid"] in out:
            case.bad(c["uuid"], "%s lists the uuid twice" % source)
        out[c["uuid"]] = c
    return out


def compare_statuses(case):
    """All four fail together or succeed together."""
    st = case.status
    steps = ("inspect", "explain", "dry", "convert")
    if len({st[s] for s in steps}) != 1:
        case.bad(None, "exit statuses differ: " +
                 ", ".join("%s %d" % (s, st[s]) for s in steps))
        return False
    return st["inspect"] == 0


def failed_in_apply(planned, done):
    """The one outcome the plan cannot foresee: the plugin's emit failing
    (on-failure skip).  The run then reports the call failed, with the
    plugin's message, and leaves it as it was."""
    return (planned["result"] == "converted" and done["result"] == "failed" and
            done["plugin"] is None and done["reason"] and not done["error"] and
            done["nodes_removed"] == done["nodes_added"] == 0)


def compare_explained(case, u, block, e):
    """explain's verdicts and outcome against the plan's entry e."""
    _, verdicts, said = block
    if said != seen(explain_line(e)):
        case.bad(u, "explain says %r, the dry run %r" % (said, explain_line(e)))
    who = claimers(verdicts)
    if len(who) > 1 or (who and verdicts.rstrip("\n").split("\n")[-1] !=
                        "  %s: claims it" % who[0]):
        case.bad(u, "explain's verdicts go on after a claim: %r" % verdicts)
    children = e.get("children")
    if children:
        blocks = child_blocks(verdicts, children)
        if blocks is None:
            case.bad(u, "explain does not show the children %r" % verdicts)
            return
        for k, text in blocks:
            kw = claimers(text, "    ")
            if k["plugin"] is not None and kw != ([] if k["plugin"] == "generic" else [k["plugin"]]):
                case.bad(u, "child %s claimed by %s, but explain has %r claim it" %
                         (k["uuid"], k["plugin"], kw))
        return
    if e["result"] == "converted" and who != \
            ([] if e["plugin"] == "generic" else [e["plugin"]]):
        case.bad(u, "converted by %s, but explain has %r claim it" % (e["plugin"], who))


def compare_plan(case, insp, dry, report, explained):
    """inspect, explain, the dry-run report and the run, call by call."""
    calls = insp["calls"]
    order = [c["uuid"] for c in calls]
    for name, r in (("dry-run report", dry), ("report", report)):
        if [e["uuid"] for e in r["calls"]] != order:
            case.bad(None, "%s lists other calls than inspect: %r vs %r" %
                     (name, [e["uuid"] for e in r["calls"]], order))
    if report["dry_run"] or not dry["dry_run"]:
        case.bad(None, "dry_run flags wrong in the reports")
    if insp["graph_problems"] != dry["problems"] or dry["problems"] != report["problems"]:
        case.bad(None, "graph problems differ: inspect %r, dry run %r, conversion %r" %
                 (insp["graph_problems"], dry["problems"], report["problems"]))
    for name, r in (("dry-run report", dry), ("report", report)):
        tally = (len(r["calls"]),
                 sum(e["result"] == "converted" for e in r["calls"]),
                 sum(bool(e["error"]) for e in r["calls"]))
        if tally != (r["calls_total"], r["converted"], r["errors"]):
            case.bad(None, "%s's totals %r do not count its calls %r" %
                     (name, (r["calls_total"], r["converted"], r["errors"]), tally))
    # Not compared: pack_unpack_nodes_removed, 0 in a dry run, which
    # builds no stubs and so collapses no Pack/Unpack pairs between them.
    d, r = by_uuid(case, dry["calls"], "dry"), by_uuid(case, report["calls"], "report")
    for c in calls:
        u, conv = c["uuid"], c["conversion"]
        de, re_ = d.get(u), r.get(u)
        if de is None or re_ is None:
            case.bad(u, "missing from a report")
            continue
        for key in ("result", "plugin", "reason"):
            if conv[key] != de[key]:
                case.bad(u, "%s: inspect %r, dry run %r" % (key, conv[key], de[key]))
        if not c["problems"] == de["problems"] == re_["problems"]:
            case.bad(u, "problems differ: inspect %r, dry run %r, conversion %r" %
                     (c["problems"], de["problems"], re_["problems"]))
        if conv["text"] != inspect_text(de):
            case.bad(u, "inspect says %r, the dry run %r" % (conv["text"], inspect_text(de)))
        if de["result"] == "converted" and de["nodes_removed"] != c["interior"]:
            case.bad(u, "inspect's interior %d, the dry run removes %d" %
                     (c["interior"], de["nodes_removed"]))
        if u in explained:
            compare_explained(case, u, explained[u], de)
        if failed_in_apply(de, re_):
            case.failed_in_apply += 1
            continue
        for key in ("result", "plugin", "reason", "error", "nodes_removed", "nodes_added"):
            if de[key] != re_[key]:
                case.bad(u, "%s: dry run %r, conversion %r" % (key, de[key], re_[key]))


def compare_output(case, insp, report, out, ops):
    """The converted graph: a stub where the report says converted, the
    call as it was where it does not."""
    before = by_uuid(case, insp["calls"], "inspect")
    after = by_uuid(case, out["calls"], "inspect of OUT")
    # A converted level-2 call's children come up from its loop body: OUT
    # has them as calls (converted) and their stubs; the parent has none.
    lifted = {}
    for e in report["calls"]:
        if e["result"] == "converted":
            for k in e.get("children", []):
                lifted[k["uuid"]] = k
    for u in after:
        if u not in before and u not in lifted:
            case.bad(u, "a call of OUT that IN did not have")
    for u, k in lifted.items():
        if ops.get(seen(u)) != seen(k["function"]):
            case.bad(u, "a converted child, but OUT's node %r has op %r, not %r" %
                     (u, ops.get(seen(u)), k["function"]))
        a = after.get(u)
        if a is None or (a["conversion"]["result"], a["conversion"]["reason"]) != \
                ("kept", "already converted"):
            case.bad(u, "a converted child, but inspect of OUT says %r" %
                     (a and a["conversion"]["text"]))
    removed = added = 0
    for e in report["calls"]:
        u, a = e["uuid"], after.get(e["uuid"])
        removed += e["nodes_removed"]
        added += e["nodes_added"]
        if e["result"] == "converted":
            op = ops.get(seen(u))
            if e.get("children"):
                if op is not None:
                    case.bad(u, "a converted level-2 call, but OUT has a node %r" % u)
            elif op != seen(e["function"]):
                case.bad(u, "converted, but OUT's node %r has op %r, not %r" %
                         (u, op, e["function"]))
            if a is None:
                case.bad(u, "converted, but gone from OUT (hints survive)")
            elif (a["conversion"]["result"], a["conversion"]["reason"]) != \
                    ("kept", "already converted"):
                case.bad(u, "converted, but inspect of OUT says %r" %
                         a["conversion"]["text"])
            continue
        # A call inside a converted region (an overlap's loser) loses its
        # identities with that region; any other is still there as it was.
        names = [seen(n) for o in before[u]["inputs"] + before[u]["outputs"]
                 for n in o["nodes"] if n is not None]
        if not all(n in ops for n in names):
            continue
        if a is None:
            case.bad(u, "%s, but gone from OUT" % e["result"])
        elif a["conversion"]["reason"] == "already converted" and \
                e["reason"] != "already converted":
            case.bad(u, "%s, but OUT has its stub" % e["result"])
        elif a["interior"] < before[u]["interior"]:
            case.bad(u, "%s, but OUT lost part of its interior (%d of %d nodes)" %
                     (e["result"], a["interior"], before[u]["interior"]))
    want = insp["nodes"] - removed + added - report["pack_unpack_nodes_removed"]
    if out["nodes"] != want or len(ops) != want:
        case.bad(None, "OUT has %d nodes (%d read), the report accounts for %d" %
                 (out["nodes"], len(ops), want))


def compare(case):
    if not compare_statuses(case):
        return
    insp = read_json(case.file("inspect.json"))
    dry = read_json(case.file("dry.json"))
    report = read_json(case.file("report.json"))
    explained, bad = explain_blocks(seen_lines(read_bytes(case.file("explain.txt"))),
                                    insp["calls"])
    for u in bad:
        case.bad(u, "explain's calls or problems differ from inspect's from here on")
    compare_plan(case, insp, dry, report, explained)
    if case.status.get("reinspect") != 0:
        case.bad(None, "inspect of OUT failed (exit %s)" % case.status.get("reinspect"))
        return
    compare_output(case, insp, report, read_json(case.file("out.json")),
                   node_ops(case.file("out.pb")))


def cmd_compare(paths):
    failed = emit_failures = 0
    for path in paths:
        case = Case(path)
        try:
            compare(case)
        except (OSError, ValueError, KeyError, IndexError, TypeError) as err:
            case.bad(None, "unreadable output: %s: %s" % (type(err).__name__, err))
        for line in case.problems:
            print(line)
        failed += bool(case.problems)
        emit_failures += case.failed_in_apply
    print("cli_agree: %d case(s) compared, %d with mismatches; %d call(s) planned "
          "converted whose plugin then failed" % (len(paths), failed, emit_failures))
    return 1 if failed else 0


# ------------------------------------------------------------ self-check

def first_converted(calls, key):
    for c in calls:
        if (c["conversion"] if key else c)["result"] == "converted":
            return c
    raise SystemExit("tamper: no converted call to spoil")


def write_json(path, doc):
    with open(path, "wb") as f:
        f.write(json.dumps(doc).encode("utf-8", "surrogateescape"))


def cmd_tamper(path, what):
    """Spoils one fact about one converted call; prints its uuid."""
    if what == "inspect":
        doc = read_json(os.path.join(path, "inspect.json"))
        c = first_converted(doc["calls"], True)
        c["conversion"]["plugin"] = "nobody"
        write_json(os.path.join(path, "inspect.json"), doc)
    elif what in ("dry", "report"):
        doc = read_json(os.path.join(path, what + ".json"))
        c = first_converted(doc["calls"], False)
        c["result"], c["plugin"] = "kept", None
        write_json(os.path.join(path, what + ".json"), doc)
    elif what == "explain":
        insp = read_json(os.path.join(path, "inspect.json"))
        c = first_converted(insp["calls"], True)
        text = read_bytes(os.path.join(path, "explain.txt"))
        head = b"call %s %s (" % (raw(c["function"]), raw(c["uuid"]))
        at = text.index(b"  -> ", text.index(head))
        text = text[:at] + b"  -> kept: by hand" + text[text.index(b"\n", at):]
        with open(os.path.join(path, "explain.txt"), "wb") as f:
            f.write(text)
    elif what == "verdict":
        insp = read_json(os.path.join(path, "inspect.json"))
        c = first_converted(insp["calls"], True)
        text = read_bytes(os.path.join(path, "explain.txt"))
        claim = b"  %s: claims it\n" % raw(c["conversion"]["plugin"])
        at = text.index(claim, text.index(b"call %s %s (" % (raw(c["function"]),
                                                             raw(c["uuid"]))))
        text = text[:at] + b"  nobody: claims it\n" + text[at + len(claim):]
        with open(os.path.join(path, "explain.txt"), "wb") as f:
            f.write(text)
    elif what == "out":
        # OUT as if the call had not been converted: IN's view of it.
        insp = read_json(os.path.join(path, "inspect.json"))
        out = read_json(os.path.join(path, "out.json"))
        c = first_converted(insp["calls"], True)
        out["calls"] = [c if o["uuid"] == c["uuid"] else o for o in out["calls"]]
        write_json(os.path.join(path, "out.json"), out)
    else:
        raise SystemExit("tamper: unknown target %s" % what)
    print(c["uuid"])
    return 0


def main(argv):
    if len(argv) == 3 and argv[1] == "graphs":
        return cmd_graphs(argv[2])
    if len(argv) >= 2 and argv[1] == "compare":
        return cmd_compare(argv[2:])
    if len(argv) == 4 and argv[1] == "tamper":
        return cmd_tamper(argv[2], argv[3])
    sys.stderr.write(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
