"""The computations the op atlas traces: calling a record's op, its per-sample inputs, and the kernels that compute
every sample's (or special point's) first and second derivatives in one call per op, dtype and mode.

A kernel is a plain function of tensors: spec/atlas/checks.py runs it eagerly or traced (tf.function, XLA), once, and
caches what it returns. Imports: the records, the oracle's random directions, TensorFlow; nothing of the checks.
"""
from __future__ import annotations

import contextlib
import dataclasses

import numpy as np
import tensorflow as tf

from spec.atlas.records import Op, Point, Sample, rng_for

ZERO = tf.UnconnectedGradients.ZERO
DTYPES = {"float64": tf.float64, "float32": tf.float32}


# ------------------------------------------------------------------------------ calling an op


def call(op: Op, args: tuple, kwargs: dict, xs, dtype):
    """op.fn(*args, **kwargs) with the differentiable positions replaced by the tensors `xs`."""
    full = []
    for position, arg in enumerate(args):
        if position in op.diff:
            full.append(xs[op.diff.index(position)])
        elif isinstance(arg, np.ndarray) and arg.dtype.kind == "f":
            full.append(tf.constant(arg, dtype))
        else:
            full.append(arg)
    return op.fn(*full, **kwargs)


def float_outputs(result) -> list:
    """The floating-point tensors among an op's outputs (indices and other integer outputs dropped)."""
    flat = tf.nest.flatten(result)
    outs = [tf.convert_to_tensor(t) for t in flat if hasattr(t, "dtype")]
    complex_outs = [t for t in outs if t.dtype.is_complex]
    assert not complex_outs, "the atlas checks real functions: wrap a complex op as (real, imag) of tf.complex inputs"
    return [t for t in outs if t.dtype.is_floating]


def dense(gradient):
    return tf.convert_to_tensor(gradient) if isinstance(gradient, tf.IndexedSlices) else gradient


def inner(xs, ys):
    """Σ ⟨x, y⟩ over paired lists of tensors, as a scalar tensor."""
    terms = [tf.reduce_sum(x * y) for x, y in zip(xs, ys)]
    return tf.add_n(terms) if terms else tf.constant(0.0)


# ------------------------------------------------------------------------------- per-sample inputs


@dataclasses.dataclass
class Prepared:
    """A sample with its float64 output shapes and its fixed random directions."""

    sample: Sample
    xs: list  # differentiable inputs, float64 numpy
    us: list  # cotangents, one per float output
    vs: list  # first tangents, one per input
    ws: list  # second tangents, one per input


def prepare(op: Op) -> list[Prepared]:
    rng = rng_for(op.name + " directions")
    prepared = []
    dtype = DTYPES[op.dtype]
    for sample in op.samples:
        xs = [np.asarray(sample.args[i], np.float64) for i in op.diff]
        outs = float_outputs(call(op, sample.args, sample.kwargs, [tf.constant(x, dtype) for x in xs], dtype))
        # directions of size ~1 with float32-exact entries, so both dtypes use the same ones
        pick = lambda shape: np.asarray(rng.uniform(0.5, 1.5, shape) * rng.choice([-1.0, 1.0], shape), np.float32).astype(np.float64)  # noqa: E731
        prepared.append(Prepared(sample, xs, [pick(o.shape) for o in outs], [pick(x.shape) for x in xs],
                                 [pick(x.shape) for x in xs]))
    return prepared


# -------------------------------------------------------------------------------------- kernels
# Each kernel takes all samples (or points) at once, so a traced mode traces it once per op.


class PartFailed(Exception):
    """A part of a kernel (reverse or forward) raised while it was built or run; `cause` is TensorFlow's error."""

    def __init__(self, part: str, cause: BaseException):
        super().__init__(f"{part}: {type(cause).__name__}: {cause}")
        self.part, self.cause = part, cause


def guarded(errors: dict, part: str, compute):
    """compute() or, if TensorFlow raises (while tracing too), None with the error kept under `part`, so the
    other parts of the same kernel still run: a missing forward rule does not fail the reverse check."""
    try:
        return compute()
    except Exception as err:  # noqa: BLE001 - reported by the check that needs this part
        errors.setdefault(part, err)
        return None


def first_order_kernel(op: Op, prepared: list[Prepared], dtype, parts=("reverse", "forward"), errors=None):
    errors = {} if errors is None else errors

    def reverse(p, xs, us):
        with tf.GradientTape() as tape:
            tape.watch(xs)
            outs = float_outputs(call(op, p.sample.args, p.sample.kwargs, xs, dtype))
            phi = inner(us, outs)
        return {"phi": phi, "grads": [dense(g) for g in tape.gradient(phi, xs, unconnected_gradients=ZERO)]}

    def forward(p, xs, vs):
        with tf.autodiff.ForwardAccumulator(xs, vs) as acc:
            outs = float_outputs(call(op, p.sample.args, p.sample.kwargs, xs, dtype))
        # a JVP may come back as IndexedSlices (scatter_nd, dynamic_stitch): its value is what is checked
        return {"jvps": [dense(acc.jvp(o, unconnected_gradients=ZERO)) for o in outs]}

    def kernel(xss, uss, vss):
        results = []
        for p, xs, us, vs in zip(prepared, xss, uss, vss):
            entry = {}
            if "reverse" in parts:
                entry.update(guarded(errors, "reverse", lambda: reverse(p, xs, us)) or {})
            if "forward" in parts:
                entry.update(guarded(errors, "forward", lambda: forward(p, xs, vs)) or {})
            results.append(entry)
        return results

    return kernel


def second_order_kernel(op: Op, prepared: list[Prepared], dtype, composition: str):
    """wᵀ H v of φ = Σ⟨u, f⟩ in one of the four compositions. The cotangent u enters as the tape's
    output_gradients or is contracted after the accumulators have closed, so only the op's own computation is
    differentiated twice: nested forward mode traces a JVP function per primitive op and shape, and the
    contraction's Mul and Sum would add such traces to every op without checking anything."""

    def outputs(p, xs):
        return float_outputs(call(op, p.sample.args, p.sample.kwargs, xs, dtype))

    def grad_phi(p, xs, us):
        with tf.GradientTape() as tape:
            tape.watch(xs)
            outs = outputs(p, xs)
        return [dense(g) for g in tape.gradient(outs, xs, output_gradients=us, unconnected_gradients=ZERO)]

    def one(p, xs, us, vs, ws):
        if composition == "reverse_over_reverse":
            with tf.GradientTape() as outer:
                outer.watch(xs)
                g = grad_phi(p, xs, us)
            return inner([dense(h) for h in outer.gradient(g, xs, output_gradients=ws, unconnected_gradients=ZERO)], vs)
        if composition == "forward_over_reverse":
            with tf.autodiff.ForwardAccumulator(xs, vs) as acc:
                g = grad_phi(p, xs, us)
            return inner([dense(acc.jvp(gi, unconnected_gradients=ZERO)) for gi in g], ws)
        if composition == "reverse_over_forward":
            with tf.GradientTape() as outer:
                outer.watch(xs)
                with tf.autodiff.ForwardAccumulator(xs, vs) as acc:
                    outs = outputs(p, xs)
                along_v = [dense(acc.jvp(o, unconnected_gradients=ZERO)) for o in outs]
            return inner([dense(h) for h in outer.gradient(along_v, xs, output_gradients=us, unconnected_gradients=ZERO)], ws)
        if composition == "forward_over_forward":
            with tf.autodiff.ForwardAccumulator(xs, ws) as outer:
                with tf.autodiff.ForwardAccumulator(xs, vs) as acc:
                    outs = outputs(p, xs)
                along_v = [dense(acc.jvp(o, unconnected_gradients=ZERO)) for o in outs]
            return inner([dense(outer.jvp(j, unconnected_gradients=ZERO)) for j in along_v], us)
        raise ValueError(composition)

    def kernel(xss, uss, vss, wss):
        return [one(p, *arrays) for p, *arrays in zip(prepared, xss, uss, vss, wss)]

    return kernel


def new_jvp_cache():
    """An empty cache for ForwardAccumulator's traced JVP functions (None where a release has no such class)."""
    try:
        from tensorflow.core.function.polymorphism import function_cache
    except ImportError:
        return None
    return function_cache.FunctionCache()


@contextlib.contextmanager
def jvp_cache(cache):
    """ForwardAccumulator traces its JVP functions into `cache` for the duration, then uses the shared one again.

    ForwardAccumulator keeps one process-wide cache of traced JVP functions, one per op type and input shape.
    The atlas gives every op caches of its own instead, for two reasons:
    - a nested JVP of Mul traced for x·x is reused for a·b with wrong second derivatives (tensorflow#127753), so
      with a shared cache an op's forward-over-forward result would depend on the ops checked before it;
    - a cache miss scans every cached function, so one cache shared by ~370 ops makes each new trace slower than
      the last.
    Should a release lay ForwardAccumulator out differently, the shared cache is cleared instead."""
    from tensorflow.python.eager import forwardprop

    configs = [getattr(forwardprop, name, None) for name in ("_jvp_exact_config", "_jvp_relaxed_config")]
    if cache is None or not all(hasattr(config, "function_cache") for config in configs):
        forwardprop._jvp_function_cache.clear()  # noqa: SLF001
        yield
        return
    shared = [config.function_cache for config in configs]
    for config in configs:
        config.function_cache = cache
    try:
        yield
    finally:
        for config, original in zip(configs, shared):
            config.function_cache = original


def degenerate(point: Point) -> bool:
    """A point with a zero-size array among its arguments (empty ids, a zero-size dimension, no sparse values)."""
    return any(isinstance(a, np.ndarray) and a.size == 0 for a in point.args)


def total_of(op: Op, point: Point, xs, dtype):
    """Σf at a point: the sum of every float output's entries (0 for outputs with no entries)."""
    return tf.add_n([tf.reduce_sum(o) for o in float_outputs(call(op, point.args, point.kwargs, xs, dtype))])


def one_hots(xs, dtype):
    """Every one-hot tangent over the differentiable inputs: (input index, list of tangents per input)."""
    for k, x in enumerate(xs):
        size = int(np.prod(x.shape, dtype=int))
        for i in range(size):
            tangents = [tf.zeros_like(y) for y in xs]
            tangents[k] = tf.reshape(tf.one_hot(i, size, dtype=dtype), x.shape)
            yield k, tangents


def point_higher_kernel(op: Op, entries: list, dtype, composition: str):
    """At each (point, Second) of `entries`: H·v of Σf in one of the four compositions of reverse (tape) and
    forward (ForwardAccumulator) mode, or, for composition "third", D³(Σf)[·, v, v] by reverse over reverse over
    reverse. Returns per entry one array per differentiable argument. Forward over forward gives the scalar
    e_jᵀ H v, so it runs once per input element j (one-hot outer tangents): special points are small."""

    def gradient(point, xs):
        with tf.GradientTape() as tape:
            tape.watch(xs)
            total = total_of(op, point, xs, dtype)
        return [dense(g) for g in tape.gradient(total, xs, unconnected_gradients=ZERO)]

    def one(point, xs, vs):
        if composition == "reverse_over_reverse":
            with tf.GradientTape() as outer:
                outer.watch(xs)
                g = gradient(point, xs)
            return [dense(h) for h in outer.gradient(g, xs, output_gradients=vs, unconnected_gradients=ZERO)]
        if composition == "forward_over_reverse":
            with tf.autodiff.ForwardAccumulator(xs, vs) as acc:
                g = gradient(point, xs)
            return [dense(acc.jvp(gi, unconnected_gradients=ZERO)) for gi in g]
        if composition == "reverse_over_forward":
            with tf.GradientTape() as outer:
                outer.watch(xs)
                with tf.autodiff.ForwardAccumulator(xs, vs) as acc:
                    total = total_of(op, point, xs, dtype)
                along_v = acc.jvp(total, unconnected_gradients=ZERO)
            return [dense(h) for h in outer.gradient(along_v, xs, unconnected_gradients=ZERO)]
        if composition == "forward_over_forward":
            columns = [[] for _ in xs]
            for k, tangents in one_hots(xs, dtype):
                with tf.autodiff.ForwardAccumulator(xs, tangents) as outer:
                    with tf.autodiff.ForwardAccumulator(xs, vs) as acc:
                        total = total_of(op, point, xs, dtype)
                    along_v = acc.jvp(total, unconnected_gradients=ZERO)
                columns[k].append(outer.jvp(along_v, unconnected_gradients=ZERO))
            return [tf.reshape(tf.stack(c), x.shape) if c else tf.zeros_like(x) for c, x in zip(columns, xs)]
        if composition == "third":
            with tf.GradientTape() as third:
                third.watch(xs)
                with tf.GradientTape() as outer:
                    outer.watch(xs)
                    g = gradient(point, xs)
                hv = [dense(h) for h in outer.gradient(g, xs, output_gradients=vs, unconnected_gradients=ZERO)]
                vhv = inner(hv, vs)
            return [dense(t) for t in third.gradient(vhv, xs, unconnected_gradients=ZERO)]
        raise ValueError(composition)

    def kernel(xss, vss):
        return [one(point, xs, vs) for (point, _), xs, vs in zip(entries, xss, vss)]

    return kernel


def point_kernel(op: Op, points: tuple[Point, ...], dtype, parts=("reverse", "forward"), errors=None):
    """Reverse and forward gradient of Σ f at each point (forward: one one-hot tangent per input element)."""
    errors = {} if errors is None else errors

    def reverse(point, xs):
        with tf.GradientTape() as tape:
            tape.watch(xs)
            total = tf.add_n([tf.reduce_sum(o) for o in float_outputs(call(op, point.args, point.kwargs, xs, dtype))])
        return [dense(g) for g in tape.gradient(total, xs, unconnected_gradients=ZERO)]

    def forward(point, xs):
        columns = [[] for _ in xs]
        for k, tangents in one_hots(xs, dtype):
            with tf.autodiff.ForwardAccumulator(xs, tangents) as acc:
                outs = float_outputs(call(op, point.args, point.kwargs, xs, dtype))
            columns[k].append(tf.add_n([tf.reduce_sum(dense(acc.jvp(o, unconnected_gradients=ZERO))) for o in outs]))
        return [tf.reshape(tf.stack(c), x.shape) if c else tf.zeros_like(x) for c, x in zip(columns, xs)]

    def kernel(xss):
        results = []
        for i, (point, xs) in enumerate(zip(points, xss)):
            entry = {}
            for part, compute in (("reverse", reverse), ("forward", forward)):
                if part in parts:  # what one point raises while tracing is that point's, not its neighbours'
                    entry[part] = guarded(errors, f"{part}@{i}", lambda: compute(point, xs)) or []
            results.append(entry)
        return results

    return kernel
