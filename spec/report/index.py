"""SPEC.md's index, as data: which behaviours concern which API, and which pitfall.

By API: derived from each behaviour's code (spec/report/snippets.py: the dotted `tf.*` / `keras.*` names, the
methods and the keyword arguments its test and helpers use) with the table `API` below, plus markers and
chapters where the code alone does not say it (Keras, distribution, devices, execution modes).

By pitfall: derived from the run itself (what TensorFlow returned, raised, warned or logged, and how the
outcomes differ between modes) plus the claim's words: None gradients, NaN and inf, errors by type, warnings
and log messages, known TensorFlow bugs, errata, modes that disagree.

Words are matched whole ("banana" is not NaN). Both return {entry: [behaviour key, ...]} in the order the report lists behaviours; the report links each key
to its behaviour's anchor.
"""
from __future__ import annotations

import re

# label -> predicate on a behaviour's facts (a dict: calls, keywords, text, file, meta)
API = [
    ("tf.GradientTape: gradient", lambda f: ".gradient" in f["calls"]),
    ("tf.GradientTape: jacobian", lambda f: ".jacobian" in f["calls"]),
    ("tf.GradientTape: batch_jacobian", lambda f: ".batch_jacobian" in f["calls"]),
    ("tf.GradientTape: watch", lambda f: ".watch" in f["calls"]),
    ("tf.GradientTape(watch_accessed_variables=False)", lambda f: "watch_accessed_variables" in f["keywords"]),
    ("tf.GradientTape: watched_variables", lambda f: ".watched_variables" in f["calls"]),
    ("tf.GradientTape(persistent=True)", lambda f: "persistent" in f["keywords"]),
    ("tf.GradientTape: stop_recording", lambda f: ".stop_recording" in f["calls"]),
    ("tf.GradientTape: reset", lambda f: ".reset" in f["calls"] and word(f["text"], "GradientTape")),
    ("unconnected_gradients", lambda f: "unconnected_gradients" in f["keywords"] or "UnconnectedGradients" in f["text"]),
    ("output_gradients", lambda f: "output_gradients" in f["keywords"]),
    ("experimental_use_pfor", lambda f: "experimental_use_pfor" in f["keywords"]),
    ("tf.autodiff.ForwardAccumulator", lambda f: "ForwardAccumulator" in f["text"]),
    ("tf.custom_gradient", lambda f: "custom_gradient" in f["text"]),
    ("tf.recompute_grad", lambda f: "recompute_grad" in f["text"]),
    ("tf.stop_gradient", lambda f: "tf.stop_gradient" in f["calls"]),
    ("tf.grad_pass_through", lambda f: "tf.grad_pass_through" in f["calls"]),
    ("Gradient registry (tf.RegisterGradient, tf.no_gradient, ops without a gradient)",
     lambda f: bool(re.search(r"RegisterGradient|no_gradient|gradient_override_map|NOT_DIFFERENTIABLE", f["text"]))),
    ("tf.gradients (graph mode)", lambda f: "tf.gradients" in f["calls"]),
    ("tf.function", lambda f: "tf.function" in f["calls"] or "compile_in" in f["text"] or f["file"].endswith("test_15_modes.py")),
    ("XLA (jit_compile=True)", lambda f: "jit_compile" in f["keywords"] or '"xla"' in f["text"]),
    ("Control flow (tf.cond, tf.while_loop, Python if/for)", lambda f: bool({"tf.cond", "tf.while_loop", "tf.case", "tf.switch_case"}
                                                                          & f["calls"]) or f["file"].endswith("test_05_control_flow.py")),
    ("tf.where", lambda f: "tf.where" in f["calls"]),
    ("tf.Variable", lambda f: "tf.Variable" in f["calls"]),
    ("tf.IndexedSlices (sparse gradients)", lambda f: "IndexedSlices" in f["text"]),
    ("tf.RaggedTensor", lambda f: "tf.ragged" in f["text"] or "RaggedTensor" in f["text"]),
    ("tf.test.compute_gradient", lambda f: "compute_gradient" in f["text"]),
    ("tf.numpy_function / tf.py_function", lambda f: bool({"tf.numpy_function", "tf.py_function"} & f["calls"])),
    ("Keras (layers, models, keras.ops)", lambda f: f["meta"].get("keras") or any(c.startswith(("keras.", "tf.keras"))
                                                                                   for c in f["calls"])),
    ("Keras optimizers (apply_gradients)", lambda f: ".apply_gradients" in f["calls"] or "optimizers" in f["text"]),
    ("Distribution (tf.distribute)", lambda f: "tf.distribute" in f["text"] or f["file"].endswith("test_17_distribution.py")),
    ("Devices (tf.device, several devices)", lambda f: "second_device_name" in f["text"] or f["file"].endswith("test_16_devices.py")),
    ("SavedModel", lambda f: "saved_model" in f["text"]),
    ("Complex numbers", lambda f: bool(re.search(r"\bcomplex(64|128)?\b|tf\.complex\b", f["text"]))),
    ("Mixed dtypes (float16, bfloat16, float64, int)", lambda f: bool(re.search(r"float16|bfloat16|int32|int64", f["text"]))),
]

_NONE = re.compile(r"\bNone\b")
_NONFINITE = re.compile(r"\b(?:nan|inf|infinity)\b", re.IGNORECASE)  # whole words: "banana" is not NaN


def word(text: str, name: str) -> bool:
    """Whether `name` occurs in `text` as a whole word or dotted name (not inside another identifier)."""
    return re.search(rf"(?<![\w.]){re.escape(name)}(?!\w)", text) is not None


def api_entries(facts: list[dict]) -> dict:
    """API label -> keys of the behaviours whose code (or marker, or chapter) concerns it."""
    out: dict = {}
    for label, predicate in API:
        keys = []
        for f in facts:
            try:
                if predicate(f):
                    keys.append(f["key"])
            except Exception:  # noqa: BLE001 - a predicate that cannot read a behaviour skips it
                continue
        if keys:
            out[label] = keys
    return out


def pitfall_entries(facts: list[dict]) -> dict:
    """Pitfall -> keys: from what this run returned, raised, warned and logged, and from the claims."""
    out: dict = {}

    def add(label, key):
        out.setdefault(label, [])
        if key not in out[label]:
            out[label].append(key)

    for f in facts:
        returned = " ".join(f["returned"])
        claim = f["claim"]
        if _NONE.search(returned) or _NONE.search(claim):
            add("None gradients (a source the tape cannot reach)", f["key"])
        if _NONFINITE.search(returned) or _NONFINITE.search(claim):
            add("NaN and inf in values or gradients", f["key"])
        for error in f["raised"]:
            add(f"Errors: {error}", f["key"])
        if f["warned"] or re.search(r"\bwarn|\blogs?\b", claim):
            add("Warnings and log messages", f["key"])
        if f.get("known_bug"):
            add("Known TensorFlow bugs (the correct value is asserted as a strict xfail)", f["key"])
        if f["meta"].get("erratum"):
            add("Errata: the documentation disagrees with TensorFlow", f["key"])
        if f["differs"]:
            add("Modes disagree (eager, tf.function, XLA give different outcomes or values)", f["key"])
        if f["meta"].get("eager_only"):
            add("Eager only (the behaviour does not exist inside tf.function)", f["key"])
    order = ["None gradients", "NaN and inf", "Errors:", "Warnings", "Known TensorFlow bugs", "Errata", "Modes disagree",
             "Eager only"]
    return dict(sorted(out.items(), key=lambda kv: (next((i for i, p in enumerate(order) if kv[0].startswith(p)), 99), kv[0])))
