"""Array structure: concatenation, stacking, splitting, slicing, padding, tiling, permutations, reshapes,
broadcasting, selection, norm clipping, space/batch/depth rearrangements, patches, fake quantisation.

These ops move, copy or drop entries, so their gradient of Σ⟨u, f(x)⟩ is the cotangent u moved back: an
index, offset or permutation away from being wrong. The runner's random cotangents and tangents (distinct
values everywhere) catch a wrong one; the special points count how often each input entry reaches the
output (the gradient of Σ f), including dropped entries (0), repeated entries (tile, broadcast, reflect
padding, overlapping patches: the count) and zero-size dimensions (an empty gradient). Every point states its
Hessian-vector product: 0 for the linear ops (with_linear_seconds), the bilinear terms of einsum, and at the kink
of norm clipping a value between the identity branch's 0 and the clipped branch's closed form.

Degenerate shapes: concat/stack/split with empty or zero-width parts and single pieces, identities, slices,
strided slices and indexing that select nothing, pads with zero counts (REFLECT, SYMMETRIC) and of empty inputs
(constant_values then reaches every cell), symmetric padding of a size-1 axis, tiles and repeats with zero counts
and of empty inputs, broadcasts and fills of empty shapes, empty meshgrids, transposes, reverses, rolls, squeezes
and expand_dims of empty tensors, reverse_sequence with zero lengths and no batch, empty einsum batches, where and
boolean_mask on empty inputs and all-false masks, clipping of empty tensors, empty batches of the space/batch/depth
rearrangements and patches.
"""
import numpy as np
import tensorflow as tf

import dataclasses

from spec.atlas.records import (POINT_CHECKS, POINT_SECOND, REAL, Domain, KnownBug, Op, Sample, Workaround,
                                as_f32_exact, between, draw, hvp, op, point, reproducer, rng_for)

FAMILY = "array structure: concat, slice, pad, tile, transpose, reshape, where, clip_by_norm, space/depth"


def sample(name: str, label: str, *shapes, domain: Domain = REAL, **kwargs) -> Sample:
    """A sample whose differentiable arguments (in order) have `shapes`, drawn from `domain`; the rest as kwargs."""
    return Sample(tuple(draw(name, *shapes, domain=domain, salt=label)), kwargs, label)


def fixed(label: str, *arrays, **kwargs) -> Sample:
    """A sample with hand-chosen (float32-exact) arrays, for ops whose samples must avoid a kink."""
    return Sample(tuple(as_f32_exact(a) for a in arrays), kwargs, label)


def ones(*shape):
    return np.ones(shape)


def zeros(*shape):
    return np.zeros(shape)


def _fake_quant(x, **kw):
    # FakeQuantWithMinMaxArgs exists for float32 only: the entry casts in and out (Cast's gradient is the identity)
    return tf.cast(tf.quantization.fake_quant_with_min_max_args(tf.cast(x, tf.float32), **kw), x.dtype)


def _outside(name: str, shape, lo: float, hi: float, salt: str = "") -> np.ndarray:
    """Values at least 0.3 outside [lo, hi] (the clamped, flat part of a fake-quantisation)."""
    rng = rng_for(name + salt)
    magnitude = rng.uniform(0.3, 2.0, size=shape)
    side = rng.choice([-1.0, 1.0], size=shape)
    return as_f32_exact(np.where(side < 0, lo - magnitude, hi + magnitude))


PAD_WORKAROUND = Workaround('''import tensorflow as tf


def pad_constant(x, c, paddings):
    """tf.pad(x, paddings, constant_values=c) as pad(x − c) + c: the same values, and the derivative in c is the number
    of padded cells (1 for each, minus 1 for each entry of x, plus 1 for each of them back), in every mode."""
    return tf.pad(x - c, paddings) + c
''', "pad_constant")

GLOBAL_NORM_WORKAROUND = Workaround('''import tensorflow as tf


def clip_by_global_norm_tensors(a, b, clip_norm):
    """The clipped tensors of tf.clip_by_global_norm([a, b], clip_norm), with the scale c/‖(a, b)‖ taken only where the
    global norm exceeds clip_norm (elsewhere the constant 1, as TensorFlow's value is): at all-zero inputs the op is the
    identity with derivative 1, not 0·inf = NaN. The comparison is made on constants (stop_gradient)."""
    squares = tf.reduce_sum(tf.square(a)) + tf.reduce_sum(tf.square(b))
    clipped = tf.stop_gradient(squares) > tf.square(tf.stop_gradient(clip_norm))
    norm = tf.sqrt(tf.where(clipped, squares, tf.ones_like(squares)))
    scale = tf.where(clipped, clip_norm / norm, tf.ones_like(norm))
    return [a * scale, b * scale]
''', "clip_by_global_norm_tensors")

ENSURE_SHAPE_WORKAROUND = Workaround('''import tensorflow as tf


def ensure_shape(x, shape):
    """tf.ensure_shape checked while tracing (x's static shape must be compatible with `shape`) and returned through
    tf.identity, whose forward-mode rule traces in tf.function and XLA; a dimension only known at run time is not
    checked (TensorFlow's EnsureShape would check it)."""
    x = tf.convert_to_tensor(x)
    if not x.shape.is_compatible_with(shape):
        raise ValueError(f"shape {x.shape} is not compatible with {shape}")
    return tf.identity(x)
''', "ensure_shape")

FAKE_QUANT_WORKAROUND = Workaround('''import tensorflow as tf


def fake_quant(x, min=-6.0, max=6.0, num_bits=8, narrow_range=False):
    """The atlas's float64 entry for tf.quantization.fake_quant_with_min_max_args (it casts to float32 and back), with
    the straight-through gradient written as x·inside + stop_gradient(quantised − x·inside), inside = 1 on TensorFlow's
    nudged range [nudged_min, nudged_max] and 0 outside: the documented gradient in reverse and in forward mode, and
    derivatives of it 0."""
    quant_min, quant_max = (1 if narrow_range else 0), 2**num_bits - 1
    scale = (max - min) / (quant_max - quant_min)
    zero_point = quant_min - min / scale
    zero_point = float(quant_min if zero_point < quant_min else quant_max if zero_point > quant_max else int(zero_point + 0.5))  # C's round
    nudged_min, nudged_max = (quant_min - zero_point) * scale, (quant_max - zero_point) * scale
    fixed = tf.stop_gradient(x)  # the quantiser and the comparison see a constant: no tangent enters them
    quantised = tf.cast(tf.quantization.fake_quant_with_min_max_args(
        tf.cast(fixed, tf.float32), min=min, max=max, num_bits=num_bits, narrow_range=narrow_range), x.dtype)
    inside = tf.cast((fixed >= nudged_min) & (fixed <= nudged_max), x.dtype)
    return x * inside + tf.stop_gradient(quantised - x * inside)
''', "fake_quant")


_PAD_CONSTANT_BUG = KnownBug(
    "Pad's gradient returns None for constant_values (array_grad._PadGrad), so d/dc = 0 although every padded "
    "cell equals c: the derivative of Σ pad(x, c) w.r.t. c is the number of padded cells",
    "unreported",
    reproducer("x, c = tf.constant([1.0, 2.0]), tf.constant(0.5)", "with tf.GradientTape() as t:", "    t.watch(c)",
               "    y = tf.reduce_sum(tf.pad(x, [[1, 2]], constant_values=c))", "print(t.gradient(y, c))  # expected 3.0, got None"),
    kind="missing gradient", kind_why="the output is linear in c (every padded cell is c); the registered gradient "
    "returns None for it",
    searched=("tf.pad constant_values gradient None not differentiable",),
    workaround=PAD_WORKAROUND)

_GLOBAL_NORM_ZERO_BUG = KnownBug(
    "clip_by_global_norm at all-zero inputs: the output is the input (scale 1 on a whole neighbourhood since the "
    "norm 0 < clip_norm), but the gradient goes through 1/global_norm and sqrt at 0 and is NaN (and so is H·v)",
    "unreported",
    reproducer("a = tf.zeros([3])", "with tf.GradientTape() as t:", "    t.watch(a)",
               "    y = tf.reduce_sum(tf.clip_by_global_norm([a], 1.0)[0][0])",
               "print(t.gradient(y, a))  # expected [1, 1, 1], got [nan, nan, nan]"),
    checks=POINT_CHECKS + POINT_SECOND,
    kind="wrong value", kind_why="the op is the identity on a neighbourhood of 0 (derivative 1, second derivative 0); "
    "TensorFlow returns NaN",
    related=("https://github.com/tensorflow/tensorflow/issues/22048",),
    searched=("tf.linalg.global_norm gradient nan zero tensors clip_by_global_norm",),
    workaround=GLOBAL_NORM_WORKAROUND)

# ‖(0.75, 1)‖ = 1.25 exactly; on the scaled branch c·t/‖t‖ at ‖t‖ = c: ∂Σ/∂t_j = 1 − (Σt)·t_j/c², ∂Σ/∂c = Σt/c
_KINK_DT = lambda tj: 1.0 - 1.75 * tj / 1.25**2  # noqa: E731
_KINK_DC = 1.75 / 1.25


LINEAR = "the op moves, copies or drops entries (linear in every differentiable argument): H = 0"
EMPTY = "no entries: the Hessian-vector product is an empty array"


def clip_scaled_hvp(t, c, vt, vc):
    """H·v of Σ(c·t/‖t‖) (the clipped branch of clip_by_norm, over all entries of t) for the tangent (vt, vc):
    H_tt = c(−(t1ᵀ + 1tᵀ)/r³ − S·I/r³ + 3S·ttᵀ/r⁵), H_tc = 1/r − S·t/r³, H_cc = 0 (S = Σt, r = ‖t‖)."""
    t, vt = np.asarray(t, np.float64), np.asarray(vt, np.float64)
    total, r = t.sum(), np.sqrt(np.sum(t * t))
    h_tc = 1 / r - total * t / r**3
    ones_ = np.ones_like(t)
    h_tt = c * (-(np.outer(t, ones_) + np.outer(ones_, t)) / r**3 - total * np.eye(t.size) / r**3
                + 3 * total * np.outer(t, t) / r**5)
    return h_tt @ vt + h_tc * vc, float(h_tc @ vt)


CLIP_SCALED_HVP = ("on the clipped branch Σ c·t/‖t‖ over all entries: H_tt = c(−(t1ᵀ + 1tᵀ)/r³ − S·I/r³ + 3S·ttᵀ/r⁵), "
                   "H_tc = 1/r − S·t/r³, H_cc = 0 (S = Σt, r = ‖t‖), applied to v = 1 (clip_scaled_hvp)")
# one-sided second derivatives at ‖t‖ = c: the identity branch has H = 0, the clipped branch clip_scaled_hvp
_KINK_HVP_T, _KINK_HVP_C = clip_scaled_hvp([0.75, 1.0], 1.25, [1.0, 1.0], 1.0)
_GKINK_HVP_T, _GKINK_HVP_C = clip_scaled_hvp([0.75, 0.0, 1.0], 1.25, [1.0, 1.0, 1.0], 1.0)


def with_linear_seconds(entry: Op) -> Op:
    """`entry` with H = 0 stated at every point that states no Hessian-vector product (for ops linear in their
    differentiable arguments; an empty array where the argument has no entries)."""
    points = []
    for pt in entry.points:
        if pt.second is None:
            shapes = [np.shape(pt.args[i]) for i in entry.diff]
            empty = all(int(np.prod(sh, dtype=int)) == 0 for sh in shapes)
            pt = dataclasses.replace(pt, second=hvp([np.zeros(sh) for sh in shapes], EMPTY if empty else LINEAR))
        points.append(pt)
    return dataclasses.replace(entry, points=tuple(points))


def rounded_between(lo, hi):
    """between(lo, hi) widened by 1e-12 for float64 rounding of the one-sided values (computed in another order)."""
    return between(np.asarray(lo, float) - 1e-12, np.asarray(hi, float) + 1e-12)


_ENSURE_SHAPE_FORWARD_BUG = KnownBug(
    "forward mode through tf.ensure_shape inside tf.function (and jit_compile) raises TypeError: Could not generate a "
    "generic TraceType for dim {...}: the JVP dispatch function is traced with EnsureShape's `shape` attribute, a "
    "TensorShapeProto, as an argument (eagerly it runs; the tape gradient is fine)",
    "unreported",
    "x = tf.ones([2, 3])\n@tf.function\ndef jvp(x):\n    with tf.autodiff.ForwardAccumulator(x, tf.ones_like(x)) as acc:\n"
    "        y = tf.ensure_shape(x, (2, 3))\n    return acc.jvp(y)\n"
    "print(jvp(x))  # expected ones((2, 3)), got TypeError: Could not generate a generic TraceType for dim {...}",
    checks=("forward",), modes=("function", "xla"),
    kind="mode failure", kind_why="ensure_shape is the identity; eager forward mode and every reverse mode return its "
    "derivative, forward mode in tf.function and XLA raises while tracing",
    searched=("ensure_shape ForwardAccumulator tf.function TypeError Could not generate a generic TraceType",),
    workaround=ENSURE_SHAPE_WORKAROUND,
)

_FAKE_QUANT_FORWARD_BUG = KnownBug(
    "ForwardAccumulator gives no tangent (None, i.e. 0) through FakeQuantWithMinMaxArgs inside [min, max], where the "
    "tape gives the documented straight-through 1: its backward op FakeQuantWithMinMaxArgsGradient is registered "
    "NotDifferentiable, so forward mode (which transposes the backward function) finds no path",
    "unreported",
    "x = tf.constant([0.3])\nwith tf.autodiff.ForwardAccumulator(x, tf.constant([1.0])) as acc:\n"
    "    y = tf.quantization.fake_quant_with_min_max_args(x, min=-1.0, max=2.0, num_bits=2)\n"
    "print(acc.jvp(y))  # expected [1.] (the tape's straight-through gradient), got None",
    checks=("special_forward",),
    kind="mode failure", kind_why="the documented gradient inside [min, max] is the straight-through 1, which reverse "
    "mode returns; forward mode returns 0 there",
    searched=("fake_quant_with_min_max_args forward mode jvp None straight-through FakeQuantWithMinMaxArgsGradient "
              "NotDifferentiable",),
    workaround=FAKE_QUANT_WORKAROUND,
)

_FAKE_QUANT_NO_SECOND_ORDER_BEFORE_2_17 = KnownBug(
    "TensorFlow 2.16 only: forward mode and every second-order composition through FakeQuantWithMinMaxArgs raise "
    "LookupError, because its backward op FakeQuantWithMinMaxArgsGradient has no registry entry at all (2.17 "
    "registered it NotDifferentiable, so the derivative of the straight-through gradient is 0, which is right "
    "outside [min, max] where the samples are)",
    "unreported",
    "x = tf.constant([3.0])  # outside [min, max]: the op is constant there, J·v = 0\n"
    "with tf.autodiff.ForwardAccumulator(x, tf.constant([1.0])) as acc:\n"
    "    y = tf.quantization.fake_quant_with_min_max_args(x, min=-1.0, max=2.0, num_bits=2)\n"
    "print(acc.jvp(y))  # TensorFlow 2.16: LookupError: gradient registry has no entry for: "
    "FakeQuantWithMinMaxArgsGradient; 2.17 on: None (0)",
    checks=("forward", "reverse_over_reverse", "forward_over_reverse", "reverse_over_forward", "forward_over_forward")
    + POINT_SECOND,
    until="2.17", releases_why="2.17 registered FakeQuantWithMinMaxArgsGradient NotDifferentiable (array_grad.py)",
    kind="missing gradient", kind_why="the straight-through gradient's own derivative is 0 (it is piecewise constant); "
    "on 2.16 the backward op has no registry entry, so every derivative through it raises",
    searched=("fake_quant_with_min_max_args forward mode jvp None straight-through FakeQuantWithMinMaxArgsGradient "
              "NotDifferentiable",),
    workaround=FAKE_QUANT_WORKAROUND,
)

OPS = [
    # ------------------------------------------------------------------ joining and splitting
    op("tf.concat", lambda a, b, axis: tf.concat([a, b], axis=axis), [
        sample("tf.concat", "2x3 and 1x3, axis=0", (2, 3), (1, 3), axis=0),
        sample("tf.concat", "2x3 and 2x2, axis=1", (2, 3), (2, 2), axis=1),
        sample("tf.concat", "2x1x2 and 2x1x3, axis=-1", (2, 1, 2), (2, 1, 3), axis=-1),
    ], diff=(0, 1), points=[
        point("empty 0x3 with 2x3, axis=0", [zeros(0, 3), [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]], [zeros(0, 3), ones(2, 3)],
              "concatenating an empty tensor adds nothing: its gradient is empty, every other entry appears once", axis=0),
        point("2x1 with 2x2, axis=-1", [[[1.0], [2.0]], [[3.0, 4.0], [5.0, 6.0]]], [ones(2, 1), ones(2, 2)],
              "each input entry appears exactly once in the output", axis=-1),
        point("both empty 0x2, axis=0", [zeros(0, 2), zeros(0, 2)], [zeros(0, 2), zeros(0, 2)],
              "concatenating two empty tensors gives an empty tensor: empty gradients", axis=0),
        point("2x0 with 2x2, axis=1", [zeros(2, 0), [[1.0, 2.0], [3.0, 4.0]]], [zeros(2, 0), ones(2, 2)],
              "a zero-width part adds no column: its gradient is empty, the other's entries appear once", axis=1),
    ]),
    op("tf.stack", lambda a, b, axis: tf.stack([a, b], axis=axis), [
        sample("tf.stack", "3 and 3, axis=0", (3,), (3,), axis=0),
        sample("tf.stack", "2x3 and 2x3, axis=1", (2, 3), (2, 3), axis=1),
        sample("tf.stack", "2x3 and 2x3, axis=-1", (2, 3), (2, 3), axis=-1),
    ], diff=(0, 1), points=[
        point("empty 0x2 pair, axis=1", [zeros(0, 2), zeros(0, 2)], [zeros(0, 2), zeros(0, 2)],
              "stacking empty tensors gives an empty tensor: empty gradients", axis=1),
        point("size-1 pair, axis=0", [[1.5], [-2.0]], [ones(1), ones(1)], "each entry appears once in the 2x1 output",
              axis=0),
    ]),
    op("tf.unstack", lambda x, axis: tf.unstack(x, axis=axis), [
        sample("tf.unstack", "3x2, axis=0", (3, 2), axis=0),
        sample("tf.unstack", "2x3x2, axis=1", (2, 3, 2), axis=1),
        sample("tf.unstack", "2x4, axis=-1", (2, 4), axis=-1),
    ], points=[
        point("1x3, axis=0 (one output)", [[[1.0, 2.0, 3.0]]], [ones(1, 3)], "the single output is the whole input", axis=0),
        point("2x0, axis=0 (empty outputs)", [zeros(2, 0)], [zeros(2, 0)], "two empty outputs: an empty gradient", axis=0),
    ]),
    op("tf.split", lambda x, splits, axis: tf.split(x, splits, axis=axis), [
        sample("tf.split", "6, num=3", (6,), splits=3, axis=0),
        sample("tf.split", "2x6, size_splits=[1,3,2], axis=1", (2, 6), splits=[1, 3, 2], axis=1),
        sample("tf.split", "3x2x4, size_splits=[3,-1], axis=-1", (3, 2, 4), splits=[3, -1], axis=-1),
    ], points=[
        point("size_splits with an empty piece [2,0,2]", [[1.0, 2.0, 3.0, 4.0]], [ones(4)],
              "the pieces partition the input: every entry lands in exactly one output, the empty piece in none",
              splits=[2, 0, 2], axis=0),
        point("an empty tensor into 2, axis 0", [zeros(0, 2)], [zeros(0, 2)], "two empty (0, 2) pieces: an empty gradient",
              splits=2, axis=0),
        point("num 1", [[1.0, 2.0, 3.0]], [ones(3)], "a single piece is the whole input", splits=1, axis=0),
        point("zero-width pieces [0,0] of 2x0, axis 1", [zeros(2, 0)], [zeros(2, 0)],
              "both pieces are empty: an empty gradient", splits=[0, 0], axis=1),
    ]),
    op("tf.identity_n", lambda a, b: tf.identity_n([a, b]), [
        sample("tf.identity_n", "3 and 2x2", (3,), (2, 2)),
        sample("tf.identity_n", "scalar and 2x3", (), (2, 3)),
    ], diff=(0, 1), points=[
        point("an empty tensor and a vector", [zeros(0), [1.0, 2.0]], [zeros(0), ones(2)],
              "identities: an empty gradient for the empty input, ones for the other"),
    ]),
    op("tf.identity", tf.identity, [sample("tf.identity", "scalar", ()), sample("tf.identity", "2x3", (2, 3))],
       points=[
        point("x=0", [0.0], [1.0], "d x/dx = 1"),
        point("empty 0x3", [zeros(0, 3)], [zeros(0, 3)], "an empty identity: an empty gradient"),
    ]),
    # the representative sample (traced modes, second order) comes first: the workaround's forward case in tf.function
    # and XLA pairs the first sample with it
    op("tf.ensure_shape", lambda x, shape: tf.ensure_shape(x, shape), bugs=(_ENSURE_SHAPE_FORWARD_BUG,), samples=[
        sample("tf.ensure_shape", "scalar as ()", (), shape=()),
        sample("tf.ensure_shape", "2x3 as (2, 3)", (2, 3), shape=(2, 3)),
        sample("tf.ensure_shape", "2x3 as (None, 3)", (2, 3), shape=(None, 3)),
    ], second_order_sample=0, points=[
        point("empty 0x3 as (0, 3)", [zeros(0, 3)], [zeros(0, 3)], "an empty identity: an empty gradient", shape=(0, 3)),
        point("2x3 as (None, 3)", [[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]], [ones(2, 3)], "the identity", shape=(None, 3)),
    ]),
    # ------------------------------------------------------------------ slicing
    op("tf.slice", lambda x, begin, size: tf.slice(x, begin, size), [
        sample("tf.slice", "4x5, begin [1,2], size [2,-1]", (4, 5), begin=[1, 2], size=[2, -1]),
        sample("tf.slice", "3x4x2, begin [0,1,1], size [3,2,1]", (3, 4, 2), begin=[0, 1, 1], size=[3, 2, 1]),
    ], points=[
        point("5, begin [1], size [3]", [[1.0, 2.0, 3.0, 4.0, 5.0]], [[0.0, 1.0, 1.0, 1.0, 0.0]],
              "entries inside the slice appear once, the others not at all", begin=[1], size=[3]),
        point("size 0", [[1.0, 2.0, 3.0]], [zeros(3)], "an empty slice does not depend on x", begin=[1], size=[0]),
        point("2x2, size [0, 2]", [[[1.0, 2.0], [3.0, 4.0]]], [zeros(2, 2)], "a slice of zero rows: no dependence on x",
              begin=[1, 0], size=[0, 2]),
        point("empty 0x3, whole", [zeros(0, 3)], [zeros(0, 3)], "slicing an empty tensor: an empty gradient", begin=[0, 0],
              size=[0, 3]),
    ]),
    op("tf.strided_slice", lambda x, **kw: tf.strided_slice(x, **kw), [
        sample("tf.strided_slice", "6, [5:0:-2] (negative stride)", (6,), begin=[5], end=[0], strides=[-2]),
        sample("tf.strided_slice", "3x4, [1, 0:4:2] shrink_axis_mask=1", (3, 4), begin=[1, 0], end=[2, 4], strides=[1, 2],
               shrink_axis_mask=1),
        sample("tf.strided_slice", "2x3, [0:2, newaxis, 1:3] new_axis_mask=2", (2, 3), begin=[0, 0, 1], end=[2, 0, 3],
               strides=[1, 1, 1], new_axis_mask=2),
        sample("tf.strided_slice", "2x3x4, [..., 3::-2] ellipsis_mask=1 end_mask=2", (2, 3, 4), begin=[0, 3], end=[0, 0],
               strides=[1, -2], ellipsis_mask=1, end_mask=2),
    ], points=[
        point("6, [5:0:-2]", [[1.0, 2.0, 3.0, 4.0, 5.0, 6.0]], [[0.0, 1.0, 0.0, 1.0, 0.0, 1.0]],
              "indices 5, 3, 1 are taken once each; 0, 2, 4 never", begin=[5], end=[0], strides=[-2]),
        point("4, [::-1] via begin/end masks", [[1.0, 2.0, 3.0, 4.0]], [ones(4)],
              "a full reversal takes every entry once", begin=[0], end=[0], strides=[-1], begin_mask=1, end_mask=1),
        point("4, [2:2] (empty)", [[1.0, 2.0, 3.0, 4.0]], [zeros(4)], "an empty slice does not depend on x",
              begin=[2], end=[2], strides=[1]),
        point("4, [3:1] (begin past end, stride 1: empty)", [[1.0, 2.0, 3.0, 4.0]], [zeros(4)],
              "an empty slice does not depend on x", begin=[3], end=[1], strides=[1]),
        point("empty 0x2, [0:0]", [zeros(0, 2)], [zeros(0, 2)], "slicing an empty tensor: an empty gradient", begin=[0, 0],
              end=[0, 2], strides=[1, 1]),
    ]),
    op("tf.Tensor.__getitem__", lambda x, key: x[key], [
        sample("tf.Tensor.__getitem__", "4x5, x[::-1, 1]", (4, 5), key=(slice(None, None, -1), 1)),
        sample("tf.Tensor.__getitem__", "2x3x4, x[..., None, 1:3]", (2, 3, 4), key=(Ellipsis, None, slice(1, 3))),
        sample("tf.Tensor.__getitem__", "5x4, x[1::2, -1:0:-2]", (5, 4), key=(slice(1, None, 2), slice(-1, 0, -2))),
        sample("tf.Tensor.__getitem__", "3x4, x[-1]", (3, 4), key=-1),
    ], points=[
        point("6, x[1::2]", [[1.0, 2.0, 3.0, 4.0, 5.0, 6.0]], [[0.0, 1.0, 0.0, 1.0, 0.0, 1.0]],
              "odd positions are taken once each, even ones never", key=slice(1, None, 2)),
        point("3, x[5:10] (empty)", [[1.0, 2.0, 3.0]], [zeros(3)], "a slice past the end is empty: no dependence on x",
              key=slice(5, 10)),
        point("3x2, x[1:1, :] (no rows)", [[[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]], [zeros(3, 2)],
              "an empty row range: no dependence on x", key=(slice(1, 1), slice(None))),
    ]),
    # ------------------------------------------------------------------ padding, tiling, repeating
    op("tf.pad", lambda x, paddings, mode, constant_values=0.0: tf.pad(x, paddings, mode, constant_values), [
        sample("tf.pad", "2x3, CONSTANT [[1,0],[2,1]] value 0.5", (2, 3), paddings=[[1, 0], [2, 1]], mode="CONSTANT",
               constant_values=0.5),
        sample("tf.pad", "3x4, REFLECT [[1,2],[2,1]]", (3, 4), paddings=[[1, 2], [2, 1]], mode="REFLECT"),
        sample("tf.pad", "2x3, SYMMETRIC [[2,1],[0,3]]", (2, 3), paddings=[[2, 1], [0, 3]], mode="SYMMETRIC"),
    ], points=[
        point("3, REFLECT [[2,2]]", [[1.0, 2.0, 3.0]], [[2.0, 3.0, 2.0]],
              "[a,b,c] reflect-padded by 2 is [c,b,a,b,c,b,a]: a twice, b three times, c twice",
              paddings=[[2, 2]], mode="REFLECT"),
        point("3, SYMMETRIC [[3,2]]", [[1.0, 2.0, 3.0]], [[2.0, 3.0, 3.0]],
              "[a,b,c] symmetric-padded by (3, 2) is [c,b,a,a,b,c,c,b]: a twice, b and c three times",
              paddings=[[3, 2]], mode="SYMMETRIC"),
        point("2, CONSTANT [[1,2]]", [[1.0, 2.0]], [ones(2)], "constant padding copies each entry once", paddings=[[1, 2]],
              mode="CONSTANT"),
        point("2, REFLECT with zero counts [[0,0]]", [[1.0, 2.0]], [ones(2)], "no padding: the identity",
              paddings=[[0, 0]], mode="REFLECT"),
        point("2, SYMMETRIC with zero counts [[0,0]]", [[1.0, 2.0]], [ones(2)], "no padding: the identity",
              paddings=[[0, 0]], mode="SYMMETRIC"),
        point("1, SYMMETRIC [[1,1]] (a size-1 axis)", [[3.0]], [[3.0]], "[a] symmetric-padded by 1 is [a, a, a]: three copies",
              paddings=[[1, 1]], mode="SYMMETRIC"),
        point("empty, CONSTANT [[1,2]]", [zeros(0)], [zeros(0)], "padding no entries gives three padded zeros: an empty "
              "gradient", paddings=[[1, 2]], mode="CONSTANT"),
    ]),
    op("tf.pad(constant_values)", lambda x, c, paddings: tf.pad(x, paddings, "CONSTANT", constant_values=c), [
        Sample((draw("tf.pad(c)", (4,), salt="b")[0], as_f32_exact(-1.25)), {"paddings": [[2, 3]]}, "4 [[2,3]], c"),
        Sample((draw("tf.pad(c)", (2, 3))[0], as_f32_exact(0.75)), {"paddings": [[1, 0], [2, 1]]}, "2x3 [[1,0],[2,1]], c"),
    ], diff=(0, 1), domain="all reals; c any (the padding value)", second_order_sample=0,
        bugs=(dataclasses.replace(_PAD_CONSTANT_BUG, checks=("reverse", "forward")),),
        points=[
        point("2 padded by [[1,2]]", [[1.0, 2.0], 0.5], [ones(2), 3.0],
              "Σ pad(x, c) = Σx + 3c: the derivative in c is the number of padded cells (3)", paddings=[[1, 2]],
              bug=_PAD_CONSTANT_BUG),
        point("no padding [[0,0]]", [[1.0, 2.0], 0.5], [ones(2), 0.0], "with no padded cell the output does not depend on c",
              paddings=[[0, 0]]),
        point("empty x padded by [[1,2]]", [zeros(0), 0.5], [zeros(0), 3.0],
              "pad([], c) = [c, c, c]: an empty gradient for x, 3 for c", paddings=[[1, 2]], bug=_PAD_CONSTANT_BUG),
    ]),
    op("tf.tile", lambda x, multiples: tf.tile(x, multiples), [
        sample("tf.tile", "2x3, multiples [2,1]", (2, 3), multiples=[2, 1]),
        sample("tf.tile", "3, multiples [3]", (3,), multiples=[3]),
        sample("tf.tile", "2x1x2, multiples [1,3,2]", (2, 1, 2), multiples=[1, 3, 2]),
    ], points=[
        point("2x1, multiples [2,3]", [[[1.0], [2.0]]], [[[6.0], [6.0]]], "each entry is copied 2·3 = 6 times",
              multiples=[2, 3]),
        point("2, multiples [0]", [[1.0, 2.0]], [zeros(2)], "zero copies: the output is empty", multiples=[0]),
        point("empty, multiples [3]", [zeros(0)], [zeros(0)], "tiling no entries: an empty gradient", multiples=[3]),
        point("2x2, multiples [0,2]", [[[1.0, 2.0], [3.0, 4.0]]], [zeros(2, 2)], "zero copies along axis 0: an empty output",
              multiples=[0, 2]),
    ]),
    op("tf.repeat", lambda x, repeats, axis=None: tf.repeat(x, repeats, axis=axis), [
        sample("tf.repeat", "4, repeats 2, axis None", (4,), repeats=2),
        sample("tf.repeat", "3x2, repeats [1,0,2], axis 0", (3, 2), repeats=[1, 0, 2], axis=0),
        sample("tf.repeat", "2x3, repeats [2,3,1], axis 1", (2, 3), repeats=[2, 3, 1], axis=1),
            ], points=[
        point("3, repeats [3,0,1]", [[1.0, 2.0, 3.0]], [[3.0, 0.0, 1.0]],
              "entry i appears repeats[i] times; a zero repeat drops it", repeats=[3, 0, 1], axis=0),
        point("3, all repeats 0", [[1.0, 2.0, 3.0]], [zeros(3)], "every entry is dropped: an empty output", repeats=[0, 0, 0],
              axis=0),
        point("empty, repeats 2", [zeros(0)], [zeros(0)], "repeating no entries: an empty gradient", repeats=2),
        point("2x2, repeats 0 along axis 0", [[[1.0, 2.0], [3.0, 4.0]]], [zeros(2, 2)], "no row repeated: an empty output",
              repeats=0, axis=0),
    ]),
    op("tf.broadcast_to", lambda x, shape: tf.broadcast_to(x, shape), [
        sample("tf.broadcast_to", "3x1 to [2,3,4]", (3, 1), shape=[2, 3, 4]),
        sample("tf.broadcast_to", "4 to [3,4]", (4,), shape=[3, 4]),
        sample("tf.broadcast_to", "scalar to [2,3]", (), shape=[2, 3]),
    ], points=[
        point("3x1 to [2,3,4]", [[[1.0], [2.0], [3.0]]], [np.full((3, 1), 8.0)], "each entry is copied 2·4 = 8 times",
              shape=[2, 3, 4]),
        point("1x3 to [0,3]", [[[1.0, 2.0, 3.0]]], [zeros(1, 3)], "broadcasting to an empty shape: no dependence on x",
              shape=[0, 3]),
        point("1x0 to [2,0]", [zeros(1, 0)], [zeros(1, 0)], "an empty input broadcast to an empty shape: an empty gradient",
              shape=[2, 0]),
    ]),
    op("tf.fill", lambda value, dims: tf.fill(dims, value), [
        sample("tf.fill", "value into [2,3]", (), dims=[2, 3]),
        sample("tf.fill", "value into [4]", (), dims=[4]),
    ], points=[
        point("dims [2,3]", [1.5], [6.0], "Σ fill(dims, v) = 6v", dims=[2, 3]),
        point("dims [0,3]", [1.5], [0.0], "an empty fill does not depend on the value", dims=[0, 3]),
        point("dims [0]", [1.5], [0.0], "an empty fill does not depend on the value", dims=[0]),
    ]),
    op("tf.meshgrid", lambda x, y, indexing: tf.meshgrid(x, y, indexing=indexing), [
        sample("tf.meshgrid", "3 and 2, indexing xy", (3,), (2,), indexing="xy"),
        sample("tf.meshgrid", "3 and 4, indexing ij", (3,), (4,), indexing="ij"),
    ], diff=(0, 1), points=[
        point("3 and 2, xy", [[1.0, 2.0, 3.0], [4.0, 5.0]], [np.full(3, 2.0), np.full(2, 3.0)],
              "each x entry fills a column of 2, each y entry a row of 3", indexing="xy"),
        point("an empty x with 2 y, xy", [zeros(0), [4.0, 5.0]], [zeros(0), zeros(2)],
              "the 2x0 grids are empty: no dependence on y, an empty gradient for x", indexing="xy"),
    ]),
    # ------------------------------------------------------------------ permutations and reshapes
    op("tf.transpose", lambda x, perm=None: tf.transpose(x, perm), [
        sample("tf.transpose", "2x3, default perm", (2, 3)),
        sample("tf.transpose", "2x3x4, perm [2,0,1]", (2, 3, 4), perm=[2, 0, 1]),
        sample("tf.transpose", "1x2x3x2, perm [3,1,0,2]", (1, 2, 3, 2), perm=[3, 1, 0, 2]),
    ], points=[
        point("0x3", [zeros(0, 3)], [zeros(0, 3)], "an empty tensor: an empty gradient"),
        point("2x0x3, perm [2,0,1]", [zeros(2, 0, 3)], [zeros(2, 0, 3)], "an empty tensor: an empty gradient", perm=[2, 0, 1]),
    ]),
    op("tf.reshape", lambda x, shape: tf.reshape(x, shape), [
        sample("tf.reshape", "2x3 to [3,2]", (2, 3), shape=[3, 2]),
        sample("tf.reshape", "2x3x2 to [-1,4]", (2, 3, 2), shape=[-1, 4]),
        sample("tf.reshape", "scalar to [1,1]", (), shape=[1, 1]),
    ], points=[
        point("0x3 to [3,0]", [zeros(0, 3)], [zeros(0, 3)], "an empty tensor: an empty gradient", shape=[3, 0]),
        point("2x3 to [6] (flat)", [[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]], [ones(2, 3)], "a reshape keeps every entry once",
              shape=[6]),
    ]),
    op("tf.squeeze", lambda x, axis=None: tf.squeeze(x, axis), [
        sample("tf.squeeze", "1x3x1, all", (1, 3, 1)),
        sample("tf.squeeze", "2x1x3, axis [1]", (2, 1, 3), axis=[1]),
        sample("tf.squeeze", "2x3x1, axis -1", (2, 3, 1), axis=-1),
    ], points=[
        point("0x1, axis [1]", [zeros(0, 1)], [zeros(0, 1)], "an empty tensor: an empty gradient", axis=[1]),
        point("1x1 to a scalar", [[[2.5]]], [ones(1, 1)], "squeezing every size-1 axis keeps the entry"),
    ]),
    op("tf.expand_dims", lambda x, axis: tf.expand_dims(x, axis), [
        sample("tf.expand_dims", "2x3, axis 0", (2, 3), axis=0),
        sample("tf.expand_dims", "2x3, axis 1", (2, 3), axis=1),
        sample("tf.expand_dims", "3, axis -1", (3,), axis=-1),
        sample("tf.expand_dims", "scalar, axis 0", (), axis=0),
    ], points=[
        point("empty, axis 1", [zeros(0)], [zeros(0)], "an empty tensor: an empty gradient", axis=1),
    ]),
    op("tf.reverse", lambda x, axis: tf.reverse(x, axis), [
        sample("tf.reverse", "5, axis [0]", (5,), axis=[0]),
        sample("tf.reverse", "2x3, axis [1]", (2, 3), axis=[1]),
        sample("tf.reverse", "2x3x2, axis [0,-1]", (2, 3, 2), axis=[0, -1]),
    ], points=[
        point("3, axis [] (no reversal)", [[1.0, 2.0, 3.0]], [ones(3)], "reversing no axis is the identity", axis=[]),
        point("0x2, axis [0]", [zeros(0, 2)], [zeros(0, 2)], "an empty tensor: an empty gradient", axis=[0]),
    ]),
    op("tf.roll", lambda x, shift, axis: tf.roll(x, shift, axis), [
        sample("tf.roll", "5, shift 2, axis 0", (5,), shift=2, axis=0),
        sample("tf.roll", "3x4, shift [-1,2], axis [0,1]", (3, 4), shift=[-1, 2], axis=[0, 1]),
        sample("tf.roll", "2x5, shift [1,2], axis [1,1] (shifts add)", (2, 5), shift=[1, 2], axis=[1, 1]),
        sample("tf.roll", "5, shift -7 (wraps)", (5,), shift=-7, axis=0),
    ], points=[
        point("4, shift 3", [[1.0, 2.0, 3.0, 4.0]], [ones(4)], "a cyclic shift is a permutation", shift=3, axis=0),
        point("empty, shift 1", [zeros(0)], [zeros(0)], "an empty tensor: an empty gradient", shift=1, axis=0),
    ]),
    op("tf.reverse_sequence", lambda x, seq_lengths, seq_axis, batch_axis:
       tf.reverse_sequence(x, seq_lengths, seq_axis=seq_axis, batch_axis=batch_axis), [
        sample("tf.reverse_sequence", "3x4, lengths [4,2,1], seq 1, batch 0", (3, 4), seq_lengths=[4, 2, 1], seq_axis=1, batch_axis=0),
        sample("tf.reverse_sequence", "4x2x3, lengths [3,0], seq 0, batch 1", (4, 2, 3), seq_lengths=[3, 0], seq_axis=0, batch_axis=1),
    ], points=[
        point("2x3, lengths [2,3]", [[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]], [ones(2, 3)],
              "reversing prefixes is a permutation", seq_lengths=[2, 3], seq_axis=1, batch_axis=0),
        point("2x3, lengths [0,0] (nothing reversed)", [[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]], [ones(2, 3)],
              "zero lengths reverse nothing: the identity", seq_lengths=[0, 0], seq_axis=1, batch_axis=0),
        point("no batch rows: 0x3", [zeros(0, 3)], [zeros(0, 3)], "an empty batch: an empty gradient",
              seq_lengths=np.zeros(0, np.int64), seq_axis=1, batch_axis=0),
    ]),
    op("tf.einsum", lambda a, b, equation: tf.einsum(equation, a, b), [
        sample("tf.einsum", "ij,jk->ik", (2, 3), (3, 4), equation="ij,jk->ik"),
                sample("tf.einsum", "...ij,...jk->...ik (batch 2x1 with 3)", (2, 1, 2, 3), (3, 3, 2), equation="...ij,...jk->...ik"),
        sample("tf.einsum", "ii,i->i (diagonal)", (3, 3), (3,), equation="ii,i->i"),
        sample("tf.einsum", "ij,ij-> (full contraction)", (2, 3), (2, 3), equation="ij,ij->"),
    ], diff=(0, 1), points=[
        point("ii,i->i", [[[1.0, 2.0], [3.0, 4.0]], [5.0, 6.0]], [[[5.0, 0.0], [0.0, 6.0]], [1.0, 4.0]],
              "Σ_i A_ii v_i: ∂/∂A = diag(v) on the diagonal only, ∂/∂v = diag(A)", equation="ii,i->i",
              second=hvp([np.eye(2), [1.0, 1.0]], "bilinear: ∂²/∂A_ii∂v_i = 1, so H·1 = (diag(1), [1, 1])")),
        point("ij,jk->ik with j = 0", [zeros(2, 0), zeros(0, 3)], [zeros(2, 0), zeros(0, 3)],
              "an empty contraction is the zero matrix: empty gradients", equation="ij,jk->ik",
              second=hvp([zeros(2, 0), zeros(0, 3)], EMPTY)),
        point("i,j->ij (outer)", [[1.0, 2.0], [3.0, 4.0, 5.0]], [[12.0, 12.0], [3.0, 3.0, 3.0]],
              "Σ_ij a_i b_j = (Σa)(Σb): ∂/∂a_i = Σb = 12, ∂/∂b_j = Σa = 3", equation="i,j->ij",
              second=hvp([[3.0, 3.0], [2.0, 2.0, 2.0]], "∂²/∂a_i∂b_j = 1: H·1 = (Σ_j 1, Σ_i 1) = ([3, 3], [2, 2, 2])")),
        point("bij,bjk->bik with b = 0", [zeros(0, 2, 3), zeros(0, 3, 2)], [zeros(0, 2, 3), zeros(0, 3, 2)],
              "an empty batch: empty gradients", equation="bij,bjk->bik",
              second=hvp([zeros(0, 2, 3), zeros(0, 3, 2)], EMPTY)),
    ]),
    # ------------------------------------------------------------------ selection
    op("tf.where", lambda x, y, condition: tf.where(condition, x, y), [
        sample("tf.where", "2x3 condition", (2, 3), (2, 3), condition=np.array([[True, False, True], [False, False, True]])),
        sample("tf.where", "3x1 condition with 1x4 and 4", (1, 4), (4,), condition=np.array([[True], [False], [True]])),
        sample("tf.where", "4 condition with 3x4 and scalar", (3, 4), (), condition=np.array([False, True, True, False])),
    ], diff=(0, 1), domain="x, y any; condition boolean (broadcast with x and y)", points=[
        point("untaken branches hold NaN and inf", [[1.0, np.nan, 2.0, np.inf], [np.inf, 3.0, -np.inf, 4.0]],
              [[1.0, 0.0, 1.0, 0.0], [0.0, 1.0, 0.0, 1.0]],
              "the output takes x where the condition holds and y elsewhere; untaken entries, even NaN or inf, do not "
              "reach the output, so their derivative is 0 (no NaN leaks through the select itself)",
              condition=np.array([True, False, True, False])),
        point("scalar condition True", [[1.0, 2.0], [3.0, 4.0]], [ones(2), zeros(2)],
              "a scalar True condition selects all of x", condition=np.array(True)),
        point("empty x, y and condition", [zeros(0), zeros(0)], [zeros(0), zeros(0)], "no entries: empty gradients",
              condition=np.zeros(0, bool)),
        point("0x3 condition", [zeros(0, 3), zeros(0, 3)], [zeros(0, 3), zeros(0, 3)], "no entries: empty gradients",
              condition=np.zeros((0, 3), bool)),
    ]),
    op("tf.boolean_mask", lambda x, mask, axis=None: tf.boolean_mask(x, mask, axis=axis), [
                sample("tf.boolean_mask", "3x4, mask on axis 1", (3, 4), mask=np.array([False, True, True, False]), axis=1),
        sample("tf.boolean_mask", "2x3x2, 2-D mask on axes 0-1", (2, 3, 2), mask=np.array([[True, True, False], [False, True, False]]),
               axis=0),
    ], points=[
        point("4, mask [T,F,F,T]", [[1.0, 2.0, 3.0, 4.0]], [[1.0, 0.0, 0.0, 1.0]], "kept entries once, dropped ones never",
              mask=np.array([True, False, False, True])),
        point("3, mask all False", [[1.0, 2.0, 3.0]], [zeros(3)], "an empty selection does not depend on x",
              mask=np.array([False, False, False])),
        point("empty x, empty mask", [zeros(0, 2)], [zeros(0, 2)], "no rows: an empty gradient", mask=np.zeros(0, bool)),
        point("3x2, mask [F,F] on axis 1", [[[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]], [zeros(3, 2)],
              "no column kept: no dependence on x", mask=np.array([False, False]), axis=1),
    ]),
    # ------------------------------------------------------------------ norm clipping
    op("tf.clip_by_norm", lambda t, clip_norm, axes=None: tf.clip_by_norm(t, clip_norm, axes), [
        Sample((draw("tf.clip_by_norm", (5,))[0], as_f32_exact(0.75)), {}, "5, clipped (norm > clip_norm)"),
                fixed("2x3, axes [1], row 0 clipped, row 1 not", [[1.5, -1.0, 0.5], [0.25, -0.5, 0.375]], 1.0, axes=[1]),
        fixed("3x2, axes [0], column 0 clipped, column 1 not", [[1.0, 0.25], [-0.75, 0.125], [1.25, -0.5]], 1.5, axes=[0]),
    ], diff=(0, 1), domain="t any; clip_norm > 0; away from ‖t‖ = clip_norm", points=[
        point("t = 0", [zeros(3), 1.5], [ones(3), 0.0],
              "‖t‖ = 0 < clip_norm: the op is the identity on a neighbourhood, so ∂/∂t = 1 and ∂/∂clip_norm = 0",
              second=hvp([zeros(3), 0.0], "the identity on a neighbourhood of t = 0: H = 0")),
        point("‖t‖ = clip_norm (kink)", [[0.75, 1.0], 1.25],
              [rounded_between([_KINK_DT(0.75), _KINK_DT(1.0)], [1.0, 1.0]), rounded_between(0.0, _KINK_DC)],
              "at ‖t‖ = c the identity branch (∂/∂t_j = 1, ∂/∂c = 0) meets the scaled branch c·t/‖t‖ "
              "(∂/∂t_j = 1 − (Σt)t_j/c² = 0.16, −0.12; ∂/∂c = Σt/‖t‖ = 1.4): any value between is a subgradient",
              second=hvp([rounded_between(np.minimum(0.0, _KINK_HVP_T), np.maximum(0.0, _KINK_HVP_T)),
                          rounded_between(min(0.0, _KINK_HVP_C), max(0.0, _KINK_HVP_C))],
                         "not twice differentiable at ‖t‖ = c: the identity branch has H·1 = 0, the clipped branch "
                         + CLIP_SCALED_HVP + f" gives {np.round(_KINK_HVP_T, 4).tolist()} and {_KINK_HVP_C:.3f}; asserted: "
                         "a value between the two one-sided ones", exists=False)),
        point("empty t", [zeros(0), 1.5], [zeros(0), 0.0], "clipping no entries: an empty output, which depends on neither",
              second=hvp([zeros(0), 0.0], "an empty output: H = 0")),
        point("0x2 t, axes [1]", [zeros(0, 2), 1.5], [zeros(0, 2), 0.0], "no rows to clip: an empty output",
              axes=[1], second=hvp([zeros(0, 2), 0.0], "an empty output: H = 0")),
    ]),
    op("tf.clip_by_global_norm", lambda a, b, clip_norm: tf.clip_by_global_norm([a, b], clip_norm)[0], [
        Sample((*draw("tf.clip_by_global_norm", (3,), (2, 2)), as_f32_exact(1.25)), {}, "3 and 2x2, clipped"),
        Sample((*draw("tf.clip_by_global_norm", (2,), (1, 3), salt="id"), as_f32_exact(8.0)), {}, "2 and 1x3, not clipped"),
    ], diff=(0, 1, 2), domain="tensors any; clip_norm > 0; away from global norm = clip_norm (the clipped list only)", points=[
        point("all zero", [zeros(2), zeros(3), 1.5], [ones(2), ones(3), 0.0],
              "global norm 0 < clip_norm: the op is the identity on a neighbourhood, so ∂/∂t = 1 and ∂/∂clip_norm = 0",
              bug=_GLOBAL_NORM_ZERO_BUG, second=hvp([zeros(2), zeros(3), 0.0], "the identity on a neighbourhood: H = 0")),
        point("global norm = clip_norm (kink)", [[0.75, 0.0], [1.0], 1.25],
              [rounded_between([_KINK_DT(0.75), 1.0], [1.0, 1.0]), rounded_between([_KINK_DT(1.0)], [1.0]),
               rounded_between(0.0, _KINK_DC)],
              "at ‖(a, b)‖ = c the identity branch (1; ∂/∂c = 0) meets c·t/‖(a,b)‖ (∂/∂t_j = 1 − (Σt)t_j/c² = 0.16, 1, "
              "−0.12; ∂/∂c = Σt/c = 1.4): any value between is a subgradient",
              second=hvp([rounded_between(np.minimum(0.0, _GKINK_HVP_T[:2]), np.maximum(0.0, _GKINK_HVP_T[:2])),
                          rounded_between(np.minimum(0.0, _GKINK_HVP_T[2:]), np.maximum(0.0, _GKINK_HVP_T[2:])),
                          rounded_between(min(0.0, _GKINK_HVP_C), max(0.0, _GKINK_HVP_C))],
                         "not twice differentiable at ‖(a, b)‖ = c: the identity branch has H·1 = 0, the clipped branch "
                         + CLIP_SCALED_HVP + " over the entries of a and b; asserted: a value between the two one-sided ones",
                         exists=False)),
        point("both tensors empty", [zeros(0), zeros(0, 2), 1.5], [zeros(0), zeros(0, 2), 0.0],
              "clipping no entries: empty outputs, which depend on nothing",
              second=hvp([zeros(0), zeros(0, 2), 0.0], "empty outputs: H = 0")),
        point("an empty tensor and [3, 4], clipped at 1", [zeros(0), [3.0, 4.0], 1.0], [zeros(0), [0.032, -0.024], 1.4],
              "the empty tensor adds nothing to the global norm 5 > 1, so the other is c·t/‖t‖: ∂/∂t_j = c(1/r − S t_j/r³) "
              "= [0.2 − 0.168, 0.2 − 0.224], ∂/∂c = S/r = 7/5; an empty gradient for the empty tensor",
              second=hvp([zeros(0), *clip_scaled_hvp([3.0, 4.0], 1.0, [1.0, 1.0], 1.0)], CLIP_SCALED_HVP)),
    ]),
    # ------------------------------------------------------------------ space, batch and depth rearrangements
    op("tf.space_to_batch_nd", lambda x, block_shape, paddings: tf.space_to_batch_nd(x, block_shape, paddings), [
        sample("tf.space_to_batch_nd", "1x4x4x1, block [2,2]", (1, 4, 4, 1), block_shape=[2, 2], paddings=[[0, 0], [0, 0]]),
        sample("tf.space_to_batch_nd", "2x2x3x1, block [2,2], paddings [[0,0],[1,0]]", (2, 2, 3, 1), block_shape=[2, 2],
               paddings=[[0, 0], [1, 0]]),
        sample("tf.space_to_batch_nd", "2x4x2, block [2], paddings [[1,1]]", (2, 4, 2), block_shape=[2], paddings=[[1, 1]]),
    ], points=[
        point("1x2x2x1 padded [[1,1],[0,0]]", [np.arange(1.0, 5.0).reshape(1, 2, 2, 1)], [ones(1, 2, 2, 1)],
              "padding adds zeros; every input entry lands in exactly one batch slot", block_shape=[2, 2],
              paddings=[[1, 1], [0, 0]]),
        point("an empty batch: 0x4x1, block [2]", [zeros(0, 4, 1)], [zeros(0, 4, 1)], "no images: an empty gradient",
              block_shape=[2], paddings=[[0, 0]]),
    ]),
    op("tf.batch_to_space", lambda x, block_shape, crops: tf.batch_to_space(x, block_shape, crops), [
        sample("tf.batch_to_space", "4x2x2x1, block [2,2]", (4, 2, 2, 1), block_shape=[2, 2], crops=[[0, 0], [0, 0]]),
        sample("tf.batch_to_space", "4x1x3x1, block [2,2], crops [[0,0],[1,1]]", (4, 1, 3, 1), block_shape=[2, 2],
               crops=[[0, 0], [1, 1]]),
        sample("tf.batch_to_space", "4x3x2, block [2], crops [[1,2]]", (4, 3, 2), block_shape=[2], crops=[[1, 2]]),
    ], points=[
        point("4x1x1x1, block [2,2], crops [[0,1],[1,0]]", [np.arange(1.0, 5.0).reshape(4, 1, 1, 1)],
              [np.array([0.0, 1.0, 0.0, 0.0]).reshape(4, 1, 1, 1)],
              "batch b = 2i + j fills output pixel (i, j) of a 2x2 image; the crops keep only pixel (0, 1), i.e. batch 1",
              block_shape=[2, 2], crops=[[0, 1], [1, 0]]),
        point("an empty batch: 0x2x1, block [2]", [zeros(0, 2, 1)], [zeros(0, 2, 1)], "no images: an empty gradient",
              block_shape=[2], crops=[[0, 0]]),
    ]),
    op("tf.nn.space_to_depth", lambda x, block_size: tf.nn.space_to_depth(x, block_size), [
        sample("tf.nn.space_to_depth", "1x4x4x1, block 2", (1, 4, 4, 1), block_size=2),
        sample("tf.nn.space_to_depth", "1x2x4x3, block 2", (1, 2, 4, 3), block_size=2),
        sample("tf.nn.space_to_depth", "2x2x2x2, block 2", (2, 2, 2, 2), block_size=2),
    ], points=[
        point("1x2x2x1, block 2", [np.arange(1.0, 5.0).reshape(1, 2, 2, 1)], [ones(1, 2, 2, 1)],
              "a 2x2 block moves into the channels: every entry appears once", block_size=2),
        point("an empty batch: 0x2x2x1", [zeros(0, 2, 2, 1)], [zeros(0, 2, 2, 1)], "no images: an empty gradient",
              block_size=2),
    ]),
    op("tf.nn.depth_to_space", lambda x, block_size: tf.nn.depth_to_space(x, block_size), [
        sample("tf.nn.depth_to_space", "1x2x2x4, block 2", (1, 2, 2, 4), block_size=2),
        sample("tf.nn.depth_to_space", "1x1x2x8, block 2", (1, 1, 2, 8), block_size=2),
        sample("tf.nn.depth_to_space", "2x1x1x8, block 2", (2, 1, 1, 8), block_size=2),
    ], points=[
        point("1x1x1x4, block 2", [np.arange(1.0, 5.0).reshape(1, 1, 1, 4)], [ones(1, 1, 1, 4)],
              "four channels spread into a 2x2 block: every entry appears once", block_size=2),
        point("an empty batch: 0x1x1x4", [zeros(0, 1, 1, 4)], [zeros(0, 1, 1, 4)], "no images: an empty gradient",
              block_size=2),
    ]),
    op("tf.extract_volume_patches", lambda x, ksizes, strides, padding: tf.extract_volume_patches(x, ksizes, strides, padding), [
        sample("tf.extract_volume_patches", "1x2x3x3x1, k 2x2x2, stride 1, VALID", (1, 2, 3, 3, 1), ksizes=[1, 2, 2, 2, 1],
               strides=[1, 1, 1, 1, 1], padding="VALID"),
        sample("tf.extract_volume_patches", "1x2x3x3x1, k 1x2x2, stride 1x2x2, SAME", (1, 2, 3, 3, 1), ksizes=[1, 1, 2, 2, 1],
               strides=[1, 1, 2, 2, 1], padding="SAME"),
            ], skips={"xla": "XLA cannot compile ExtractVolumePatches: no XLA_CPU_JIT kernel is registered for it"}, points=[
        point("1x1x2x3x1, k 1x2x2, stride 1, VALID (overlap)", [np.arange(1.0, 7.0).reshape(1, 1, 2, 3, 1)],
              [np.array([1.0, 2.0, 1.0, 1.0, 2.0, 1.0]).reshape(1, 1, 2, 3, 1)],
              "two 2x2 windows at columns 0-1 and 1-2: the middle column is in both, the outer ones in one",
              ksizes=[1, 1, 2, 2, 1], strides=[1, 1, 1, 1, 1], padding="VALID"),
        point("1x1x1x3x1, k 1x1x2, stride 1, SAME", [np.array([1.0, 2.0, 3.0]).reshape(1, 1, 1, 3, 1)],
              [np.array([1.0, 2.0, 2.0]).reshape(1, 1, 1, 3, 1)],
              "SAME with k = 2, stride 1 pads one zero after: windows [0,1], [1,2], [2,pad]; column 0 once, 1 and 2 twice",
              ksizes=[1, 1, 1, 2, 1], strides=[1, 1, 1, 1, 1], padding="SAME"),
        point("an empty batch: 0x1x1x1x1", [zeros(0, 1, 1, 1, 1)], [zeros(0, 1, 1, 1, 1)], "no volumes: an empty gradient",
              ksizes=[1, 1, 1, 1, 1], strides=[1, 1, 1, 1, 1], padding="VALID"),
    ]),
    # ------------------------------------------------------------------ fake quantisation (straight-through)
    op("tf.quantization.fake_quant_with_min_max_args", _fake_quant, [
        fixed("2x3, num_bits 8, outside [-1, 2]", _outside("fq", (2, 3), -1.0, 2.0, "b"), min=-1.0, max=2.0, num_bits=8),
        fixed("5, num_bits 2, outside [-1, 2]", _outside("fq", (5,), -1.0, 2.0), min=-1.0, max=2.0, num_bits=2),
    ], second_order_sample=0, domain="float32 only (the entry casts); samples in the clamped parts x < min, x > max, where the op is constant "
              "and its derivative 0 agrees with the straight-through gradient; inside [min, max] the op is a staircase "
              "whose derivative is 0 between steps and the gradient is the straight-through convention (points)",
       points=[
        point("inside and at the edges of [-1, 2], num_bits 2", [[-1.5, -1.0, 0.3, 2.0, 2.5]], [[0.0, 1.0, 1.0, 1.0, 0.0]],
              "straight-through convention, not the staircase's derivative: backprops = gradients * (inputs >= min && "
              "inputs <= max) (documented for tf.raw_ops.FakeQuantWithMinMaxArgsGradient); with min = -1, max = 2, "
              "num_bits = 2 the scale is 1 and the nudged range is exactly [-1, 2], so both edges pass the gradient",
              min=-1.0, max=2.0, num_bits=2, bug=_FAKE_QUANT_FORWARD_BUG,
              second=hvp([zeros(5)], "the straight-through gradient (1 inside [min, max], 0 outside) is constant on each "
                         "side of the edges, so both one-sided derivatives of it are 0, at the edges -1 and 2 too (where it "
                         "jumps and has no derivative); asserted: 0", exists=False)),
    ], bugs=(_FAKE_QUANT_NO_SECOND_ORDER_BEFORE_2_17,)),
]

# every other point of these ops is linear (H = 0) or empty: stated by with_linear_seconds
OPS = [with_linear_seconds(entry) for entry in OPS]
