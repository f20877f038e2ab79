"""Which raw ops with a registered gradient the op atlas reaches, measured, and why the others are not reached.

Each atlas record is built once in a graph (traced, never run): every sample and special point through the op
and through reverse mode twice (the tape's gradient of ⟨∇Σf, w⟩), so the graph holds the op's forward ops, their
gradients and their gradients' gradients. The raw op types are collected from that graph and from every
function in its library (while-loop bodies, cond branches, backward functions). A raw op is *reached* when it
appears there.

The gradient list is the live registry's (`inventory.live()["gradient"]`): every public raw op with a registered
gradient function. An op that no record reaches must be listed in the committed `registry_unreached.json` with
its reason; `test_every_registered_gradient_is_reached_or_listed_with_its_reason` (chapter 20) checks both
directions, so a release that registers a new gradient fails until the op is checked or listed. The file is
written by one command, which keeps the reasons already given and marks new ops for a reason to be written:

    python -m spec.atlas.coverage           # reached N of M; the unreached by reason; what the file lacks
    python -m spec.atlas.coverage --write   # rewrite the file from the live registry and the atlas
"""
from __future__ import annotations

import json
import pathlib
import sys

PATH = pathlib.Path(__file__).with_name("registry_unreached.json")
TO_WRITE = "TO WRITE: why no atlas record reaches this op"


def op_types(graph) -> set[str]:
    """The op types of a graph and of every function in its library."""
    graph_def = graph.as_graph_def()
    types = {node.op for node in graph_def.node}
    for function in graph_def.library.function:
        types.update(node.op for node in function.node_def)
    return types


def reached_by(op) -> set[str]:
    """The raw op types in the graph of `op`'s samples and points through reverse mode twice.

    Built in a bare function graph (traced, never run, never made a tf.function: about half the cost). Calls that
    differ only in the values of their differentiable arrays reach the same ops and are traced once. Where the
    second derivative cannot be built (a gradient without a gradient of its own), the first is kept, and where
    that cannot be built either, the forward ops."""
    import numpy as np
    import tensorflow as tf
    from tensorflow.python.framework import func_graph

    from spec.atlas import kernels

    dtype = tf.float32 if op.reference is not None else tf.float64
    calls, seen = [], set()
    for args, kwargs in [(s.args, s.kwargs) for s in op.samples] + [(p.args, p.kwargs) for p in op.points]:
        key = repr([np.shape(a) if i in op.diff else a for i, a in enumerate(args)]) + repr(sorted(kwargs.items()))
        if key not in seen:
            seen.add(key)
            calls.append((args, kwargs))
    types: set[str] = set()
    for args, kwargs in calls:
        graph = func_graph.FuncGraph(f"coverage of {op.name}")  # inside a function: no TF1 "never used" warnings
        with graph.as_default(), tf.device("/device:CPU:0"):
            xs = [tf.constant(np.asarray(args[i], np.float64), dtype) for i in op.diff]
            try:
                with tf.GradientTape(persistent=True) as outer:
                    outer.watch(xs)
                    with tf.GradientTape() as tape:
                        tape.watch(xs)
                        outs = kernels.float_outputs(kernels.call(op, args, kwargs, xs, dtype))
                        total = tf.add_n([tf.reduce_sum(o) for o in outs])
                    grads = [kernels.dense(g) for g in tape.gradient(total, xs, unconnected_gradients=kernels.ZERO)]
                    along_w = kernels.inner(grads, [tf.ones_like(g) for g in grads])
                outer.gradient(along_w, xs, unconnected_gradients=kernels.ZERO)
            except Exception:  # noqa: BLE001 - what was built before the failure is what this call reaches
                pass
        types |= op_types(graph)
    return types


def measure(ops=None) -> dict:
    """{"reached": {raw op: [atlas entries]}, "failed": {entry: error}} over every record (or `ops`)."""
    from spec.atlas import ALL_OPS

    reached: dict[str, list[str]] = {}
    failed: dict[str, str] = {}
    for entry in ALL_OPS if ops is None else ops:
        try:
            types = reached_by(entry)
        except Exception as err:  # noqa: BLE001 - a record that cannot be traced reaches nothing; reported
            failed[entry.name] = f"{type(err).__name__}: {' '.join(str(err).split())[:200]}"
            continue
        for name in types:
            reached.setdefault(name, []).append(entry.name)
    return {"reached": reached, "failed": failed}


def gradient_ops() -> list[str]:
    from spec.atlas import inventory

    return inventory.live()["gradient"]


def committed() -> dict[str, str]:
    """{raw op: the reason no atlas record reaches it}."""
    return json.loads(PATH.read_text(encoding="utf-8"))["unreached"]


def compare(reached: set[str], gradients: list[str], listed: dict[str, str]) -> dict:
    """What the file and the measurement disagree on: unlisted unreached ops, listed ops now reached, ops listed
    without a reason."""
    unreached = [name for name in gradients if name not in reached]
    return {
        "unreached": unreached,
        "unlisted": [name for name in unreached if name not in listed],
        "stale": sorted(name for name in listed if name in reached or name not in gradients),
        "no_reason": sorted(name for name, why in listed.items() if not why.strip() or why == TO_WRITE),
    }


def render(listed: dict[str, str], tensorflow: str) -> str:
    """JSON with one op per line, grouped by reason, so that a diff reads op by op."""
    lines = ["{", f'  "tensorflow": {json.dumps(tensorflow)},', '  "unreached": {']
    items = sorted(listed.items(), key=lambda kv: (kv[1], kv[0]))
    lines.extend(f"    {json.dumps(name)}: {json.dumps(why, ensure_ascii=False)}{',' if i < len(items) - 1 else ''}"
                 for i, (name, why) in enumerate(items))
    lines += ["  }", "}"]
    return "\n".join(lines) + "\n"


def main(argv: list[str]) -> int:
    if argv not in ([], ["--write"]):
        print("usage: python -m spec.atlas.coverage [--write]", file=sys.stderr)
        return 2
    from spec.harness import runtime

    runtime.configure(require_gpu=False)
    import tensorflow as tf

    measured = measure()
    gradients = gradient_ops()
    listed = committed() if PATH.exists() else {}
    result = compare(set(measured["reached"]), gradients, listed)
    count = len(gradients) - len(result["unreached"])
    print(f"TensorFlow {tf.__version__}: the atlas reaches {count} of the {len(gradients)} raw ops with a registered gradient")
    for name, error in measured["failed"].items():
        print(f"  could not trace {name}: {error}")
    if argv == ["--write"]:
        fresh = {name: listed.get(name, TO_WRITE) for name in result["unreached"]}
        PATH.write_text(render(fresh, tf.__version__), encoding="utf-8")
        print(f"wrote {PATH}: {len(fresh)} unreached ops, {sum(why == TO_WRITE for why in fresh.values())} without a reason yet")
        return 0
    by_reason: dict[str, list[str]] = {}
    for name in result["unreached"]:
        by_reason.setdefault(listed.get(name, "NOT LISTED"), []).append(name)
    for why, names in sorted(by_reason.items()):
        print(f"- {why} ({len(names)}): {', '.join(names)}")
    if result["stale"]:
        print(f"listed but reached (or no longer with a gradient): {', '.join(result['stale'])}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
