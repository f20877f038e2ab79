"""How the op atlas checks an entry: the computations behind spec/test_20_op_atlas.py.

For one op, dtype and execution mode everything is computed in one call over all samples (and one over
all special points), traced or compiled once per op and mode, then cached: each test case only reads
and asserts. Per sample, with fixed random directions u (one per float output), v and w (one per
differentiable input) and φ(x) = Σ ⟨u, f(x)⟩:

- reverse:  g = ∇φ from `tf.GradientTape`;              oracle ⟨g, v⟩ = d/dt φ(x + t v) by differences
- forward:  J v from `tf.autodiff.ForwardAccumulator`;   oracle J v by differences of f, and ⟨u, J v⟩ = ⟨g, v⟩
- second order, wᵀ H v in four compositions (reverse-over-reverse, forward-over-reverse,
  reverse-over-forward, forward-over-forward);           oracle d/dt ⟨∇φ(x + t v), w⟩ by differences of the
  float64 reverse gradient, itself checked by the first case
- special points: the gradient of Σ f(x) by reverse mode and by forward mode (one one-hot tangent per
  input element), against the record's mathematical value
- float32: the reverse gradient in float32 against float64 on the same (float32-exact) inputs.

Differences are float64 and eager (`oracle.directional_derivative_fd`); the function under test is the
op's own float64 forward value, never a gradient TensorFlow computed for the same check. The kernels that compute
the derivatives live in spec/atlas/kernels.py; this module runs them in a mode, once, and caches what they return.
"""
from __future__ import annotations

import contextlib
import functools

import numpy as np
import tensorflow as tf

from spec import oracle
from spec.atlas.kernels import (
    DTYPES,
    ZERO,
    PartFailed,
    Prepared,
    call,
    dense,
    first_order_kernel,
    float_outputs,
    inner,
    jvp_cache,
    new_jvp_cache,
    point_higher_kernel,
    point_kernel,
    prepare,
    second_order_kernel,
)
from spec.atlas.records import Op
from spec.harness import modes

# ------------------------------------------------------------------------------ cached results


def run_in(mode: str, kernel, *args):
    """kernel(*args) on the CPU: eagerly, or traced once as a tf.function (jit_compile=True for XLA), not kept
    in modes.compile_in's cache (each kernel is new, and runs once).

    The traced modes run without autograph. Autograph never converts tensorflow or keras code, so the ops
    are traced exactly as with it; it would convert only this module's loops over Python lists of samples,
    which it leaves as they are, and that costs about a third of the tf.function tracing time."""
    with tf.device("/device:CPU:0"):
        if mode == "eager":
            return kernel(*args)
        return modes.traced(mode, kernel, autograph=False)(*args)


def to_numpy(structure):
    return tf.nest.map_structure(lambda t: np.asarray(t, np.float64), structure)


def tensors(arrays, dtype):
    return [tf.constant(a, dtype) for a in arrays]


def once(method):
    """A method's result cached on its instance, per arguments: releasing an op's OpResults then frees everything
    it computed (functools.cache would keep every instance alive in a class-level table)."""

    @functools.wraps(method)
    def cached(self, *args):
        key = (method.__name__, args)
        if key not in self._memo:
            self._memo[key] = method(self, *args)
        return self._memo[key]

    return cached


class OpResults:
    """Everything computed for one op, cached per (dtype, mode, composition): each computed once, on demand."""

    def __init__(self, op: Op):
        self.op = op
        self.dtype = op.dtype  # float64, or float32 for a float32-only kernel (checked against its NumPy reference)
        self.prepared = prepare(op)
        # second order on the last sample only (the broadcasting or batched one where there is one): nested forward
        # mode traces a JVP of a JVP per op type and shape, seconds per sample, and the first order covers the rest
        self.representative = op.second_order_sample % len(self.prepared)
        self.second_order_samples = self.prepared[self.representative:self.representative + 1]
        self._kernels: dict = {}
        self._cache: dict = {}
        self._jvp_caches: dict = {}  # "first" / "nested" -> the op's own ForwardAccumulator cache (jvp_cache)
        self._memo: dict = {}  # results of the @once methods

    def _kernel(self, key, build):
        if key not in self._kernels:
            self._kernels[key] = build()
        return self._kernels[key]

    def _computed(self, kind: str, dtype: str, mode: str, part: str):
        """One part of a kernel's results (reverse or forward), computed once per op, dtype and mode: in a traced
        mode one trace or XLA compile over all samples or points. What TensorFlow raised is kept and re-raised."""
        parts = (part,)
        key = (kind, dtype, mode, parts)
        if key not in self._cache and mode != "eager" and part == "reverse" and self.op.points:
            self._trace_reverse_together(dtype, mode)
        if key not in self._cache:
            errors: dict = {}
            try:
                with self.forward_mode(part == "forward"):
                    self._cache[key] = (self._run(kind, dtype, mode, parts, errors), errors)
            except Exception as err:  # noqa: BLE001 - a runtime error of the whole call belongs to every part
                self._cache[key] = (None, {p: err for p in parts})
        values, errors = self._cache[key]
        if part in errors:
            raise PartFailed(part, errors[part])
        return values

    def _point(self, kind: str, mode: str, part: str, index: int) -> list:
        """The `part` gradient at point `index` of `kind` (points or tails). If the call over all points failed at
        run time (an XLA compile error, a singular matrix), each point is computed alone, so that one failing point
        does not fail the others."""
        key = (kind, self.dtype, mode, (part,))
        try:
            values = self._computed(kind, self.dtype, mode, part)
        except PartFailed:
            if key not in self._cache or self._cache[key][0] is not None:
                raise
            values, errors = self._one_by_one(kind, mode, part)
            self._cache[key] = (values, errors)
        errors = self._cache[key][1]
        if f"{part}@{index}" in errors:
            raise PartFailed(part, errors[f"{part}@{index}"])
        return values[index][part]

    def _one_by_one(self, kind: str, mode: str, part: str) -> tuple[list, dict]:
        tf_dtype = DTYPES[self.dtype]
        chosen = self.op.points if kind == "points" else self.op.tails
        values, errors = [], {}
        for i, point in enumerate(chosen):
            found: dict = {}
            try:
                with self.forward_mode(part == "forward"):
                    kernel = point_kernel(self.op, (point,), tf_dtype, (part,), found)
                    values.append(to_numpy(run_in(mode, kernel, self.point_inputs([point], tf_dtype)))[0])
            except Exception as err:  # noqa: BLE001 - this point's own failure
                found[f"{part}@0"] = err
                values.append({part: []})
            if f"{part}@0" in found:
                errors[f"{part}@{i}"] = found[f"{part}@0"]
        return values, errors

    def _trace_reverse_together(self, dtype: str, mode: str) -> None:
        """In a traced mode, the reverse-mode kernels of the samples and of the special points in ONE function: one
        trace or XLA compile per op and mode instead of two. What each raised while tracing stays apart; if the call
        fails at run time, nothing is cached and each kernel is traced alone, so one cannot fail the other."""
        tf_dtype = DTYPES[dtype]
        errors = {"first": {}, "points": {}, "tails": {}}
        samples = self.samples_in(mode)
        first = first_order_kernel(self.op, samples, tf_dtype, ("reverse",), errors["first"])
        points = point_kernel(self.op, self.op.points, tf_dtype, ("reverse",), errors["points"])
        tails = point_kernel(self.op, self.op.tails, tf_dtype, ("reverse",), errors["tails"])

        def together(xss, uss, vss, point_xss, tail_xss):
            return {"first": first(xss, uss, vss), "points": points(point_xss), "tails": tails(tail_xss)}

        args = [[tensors(getattr(p, name), tf_dtype) for p in samples] for name in ("xs", "us", "vs")]
        try:
            values = to_numpy(run_in(mode, together, *args, self.point_inputs(self.op.points, tf_dtype),
                                     self.point_inputs(self.op.tails, tf_dtype)))
        except Exception:  # noqa: BLE001 - a runtime error (a singular matrix at a point): trace each kernel alone
            return
        for kind in ("first", "points", "tails"):
            self._cache[(kind, dtype, mode, ("reverse",))] = (values[kind], errors[kind])

    def point_inputs(self, points, tf_dtype) -> list[list]:
        """The differentiable arguments of each point as tensors of `tf_dtype`."""
        return [[tf.constant(np.asarray(point.args[i], np.float64), tf_dtype) for i in self.op.diff] for point in points]

    def _run(self, kind: str, dtype: str, mode: str, parts: tuple, errors: dict):
        tf_dtype = DTYPES[dtype]
        if kind in ("points", "tails"):
            chosen = self.op.points if kind == "points" else self.op.tails
            kernel = point_kernel(self.op, chosen, tf_dtype, parts, errors)
            return to_numpy(run_in(mode, kernel, self.point_inputs(chosen, tf_dtype)))
        samples = self.samples_in(mode)
        kernel = first_order_kernel(self.op, samples, tf_dtype, parts, errors)
        args = [[tensors(getattr(p, name), tf_dtype) for p in samples] for name in ("xs", "us", "vs")]
        return to_numpy(run_in(mode, kernel, *args))

    def sample_indices(self, mode: str) -> list[int]:
        """The samples checked in `mode`: every one eagerly; in tf.function and XLA the op's representative sample
        (the one second order uses: the broadcasting or batched one where there is one), beside every special
        point. A traced kernel's cost grows with what it traces, and the eager cases check every sample already."""
        return list(range(len(self.prepared))) if mode == "eager" else [self.representative]

    def samples_in(self, mode: str) -> list[Prepared]:
        return [self.prepared[i] for i in self.sample_indices(mode)]

    def reverse(self, dtype: str, mode: str) -> list[dict]:
        """Per sample of `sample_indices(mode)`, {"phi", "grads"}: φ and ∇φ from the tape."""
        return self._computed("first", dtype, mode, "reverse")

    def forward(self, dtype: str, mode: str) -> list[dict]:
        """Per sample {"jvps"}: J·v per float output from ForwardAccumulator."""
        return self._computed("first", dtype, mode, "forward")

    def point(self, mode: str, direction: str, index: int) -> list:
        """At special point `index`, the gradient of Σf per differentiable argument, by `direction` mode."""
        return self._point("points", mode, direction, index)

    def point_again(self, index: int) -> list[np.ndarray]:
        """The eager reverse-mode gradient at point `index`, computed afresh (not from the cache)."""
        tf_dtype = DTYPES[self.dtype]
        point = self.op.points[index]
        kernel = point_kernel(self.op, (point,), tf_dtype, ("reverse",))
        return to_numpy(run_in("eager", kernel, self.point_inputs([point], tf_dtype)))[0]["reverse"]

    def tail(self, mode: str, direction: str, index: int) -> list:
        """At float64 tail point `index` (`Op.tails`), the gradient of Σf per differentiable argument."""
        return self._point("tails", mode, direction, index)

    def point_higher(self, index: int, composition: str, which: str = "second", mode: str = "eager") -> list[np.ndarray]:
        """At special point `index`: its `second` (H·v) by `composition`, or its `third` (composition "third").
        Each point on its own (one point raising does not touch another), computed once per mode."""
        key = ("higher", which, composition, index, mode)
        if key not in self._cache:
            point = self.op.points[index]
            expected = getattr(point, which)
            tf_dtype = DTYPES[self.dtype]
            kernel = point_higher_kernel(self.op, [(point, expected)], tf_dtype, composition)
            xs = self.point_inputs([point], tf_dtype)
            vs = [tensors(expected.tangents([np.asarray(point.args[i]) for i in self.op.diff]), tf_dtype)]
            nested = "nested" if composition == "forward_over_forward" else "first"
            try:
                with self.forward_mode("forward" in composition, nested):
                    self._cache[key] = (to_numpy(run_in(mode, kernel, xs, vs))[0], None)
            except Exception as err:  # noqa: BLE001 - re-raised by the case that asked for it
                self._cache[key] = (None, err)
        value, error = self._cache[key]
        if error is not None:
            raise PartFailed(composition, error)
        return value

    def first_order_on(self, dtype: str, device_name: str) -> list[dict]:
        """The eager reverse-mode results computed on another device (the GPU case)."""
        tf_dtype = DTYPES[dtype]
        kernel = first_order_kernel(self.op, self.prepared, tf_dtype, ("reverse",))
        with tf.device(device_name):
            args = [[tensors(getattr(p, name), tf_dtype) for p in self.prepared] for name in ("xs", "us", "vs")]
            return to_numpy(kernel(*args))

    @once
    def second_order(self, composition: str, mode: str) -> list[float]:
        tf_dtype = DTYPES[self.dtype]
        kernel = self._kernel(("second", composition), lambda: second_order_kernel(self.op, self.second_order_samples, tf_dtype, composition))
        args = [[tensors(getattr(p, name), tf_dtype) for p in self.second_order_samples] for name in ("xs", "us", "vs", "ws")]
        # forward over forward in a JVP cache of its own (tensorflow#127753, see jvp_cache)
        nested = "nested" if composition == "forward_over_forward" else "first"
        with self.forward_mode(composition != "reverse_over_reverse", nested):
            return [float(r) for r in to_numpy(run_in(mode, kernel, *args))]

    def forward_mode(self, uses_it: bool = True, level: str = "first"):
        """The context of a computation of this op: its own JVP cache (one for first-order forward mode, one for
        forward over forward) where it uses forward mode."""
        if not uses_it:
            return contextlib.nullcontext()
        if level not in self._jvp_caches:
            self._jvp_caches[level] = new_jvp_cache()
        return jvp_cache(self._jvp_caches[level])

    # -- oracles (float64, eager)

    def forward_value(self, p: Prepared, xs: list) -> list:
        """The op's float64 value at xs: TensorFlow's float64 kernel, or for a float32-only kernel its NumPy
        reference (never the float32 kernel under test)."""
        if self.op.reference is not None:
            args = list(p.sample.args)
            for position, x in zip(self.op.diff, xs):
                args[position] = x
            args = [np.asarray(a, np.float64) if isinstance(a, np.ndarray) and a.dtype.kind == "f" else a for a in args]
            return [np.asarray(o, np.float64) for o in tf.nest.flatten(self.op.reference(*args, **p.sample.kwargs))]
        outs = call(self.op, p.sample.args, p.sample.kwargs, [tf.constant(x, tf.float64) for x in xs], tf.float64)
        return [o.numpy() for o in float_outputs(outs)]

    @once
    def directional_oracle(self) -> list[dict]:
        """Per sample: d/dt f(x + t v) by differences (list per output), and φ(x)."""
        result = []
        for p in self.prepared:
            jv = oracle.directional_derivative_fd(lambda xs, p=p: self.forward_value(p, xs), p.xs, p.vs)
            phi = float(sum(np.vdot(u, o) for u, o in zip(p.us, self.forward_value(p, p.xs))))
            result.append({"jv": jv, "phi": phi, "u_jv": float(sum(np.vdot(u, j) for u, j in zip(p.us, jv)))})
        return result

    def gradient_value(self, p: Prepared, xs: list) -> list:
        """∇φ at xs by the eager float64 tape (the first check verifies it against differences)."""
        xs = [tf.constant(x, tf.float64) for x in xs]
        with tf.GradientTape() as tape:
            tape.watch(xs)
            phi = inner([tf.constant(u) for u in p.us], float_outputs(call(self.op, p.sample.args, p.sample.kwargs, xs, tf.float64)))
        return [dense(g).numpy() for g in tape.gradient(phi, xs, unconnected_gradients=ZERO)]

    @once
    def second_order_oracle(self) -> list[float]:
        """Per sample: d/dt ⟨∇φ(x + t v), w⟩ by differences of the eager float64 reverse gradient; for a
        float32-only kernel, nested differences of its float64 NumPy reference (d²/ds dt φ(x + t·v + s·w))."""
        result = []
        for p in self.second_order_samples:
            if self.op.reference is not None:
                phi = lambda xs, p=p: [sum(np.vdot(u, o) for u, o in zip(p.us, self.forward_value(p, xs)))]  # noqa: E731
                along_w = lambda xs, p=p: oracle.directional_derivative_fd(phi, xs, p.ws)  # noqa: E731
                result.append(float(oracle.directional_derivative_fd(along_w, p.xs, p.vs)[0]))
                continue
            hv = oracle.directional_derivative_fd(lambda xs, p=p: self.gradient_value(p, xs), p.xs, p.vs)
            result.append(float(sum(np.vdot(h, w) for h, w in zip(hv, p.ws))))
        return result


RESULTS: dict[str, OpResults] = {}


def results_for(op: Op) -> OpResults:
    if op.name not in RESULTS:
        RESULTS[op.name] = OpResults(op)
    return RESULTS[op.name]
