"""Fake quantization and quantize-dequantize: documented straight-through estimators.

Every op here is a staircase in its input (piecewise constant, derivative 0 between steps), and its gradient is a
documented *straight-through estimator* (STE), not the staircase's derivative. The oracle is the documented rule,
checked at special points (inside the range, outside it, on the nudged boundaries, zero-size inputs, size-1 axes):

- FakeQuantWithMinMaxVars / ...PerChannel (tf.quantization.fake_quant_with_min_max_vars[_per_channel]), as their
  gradient ops FakeQuantWithMinMaxVarsGradient / ...PerChannelGradient document it: backprops_wrt_input = gradients
  · (min ≤ x ≤ max), backprop_wrt_min = Σ gradients · (x < min), backprop_wrt_max = Σ gradients · (x > max), with
  min and max the *nudged* range the forward clamps to (measured: min = −0.8, max = 2.2, num_bits = 2 nudge to
  [−1, 2], and x = −0.9 passes the gradient, x = 2.1 sends it to max). Nudging: scale = (max − min)/(q_max − q_min),
  zero point round(q_min − min/scale) clamped to [q_min, q_max], nudged range ((q_min − zp)·scale, (q_max − zp)·scale)
  with q_min = 1 if narrow_range else 0, q_max = 2^num_bits − 1. Float32 only: the records cast in and out (Cast's
  gradient is the identity). (fake_quant_with_min_max_args is in family_array.)
- QuantizeAndDequantizeV4 (tf.quantization.quantize_and_dequantize_v2): "a gradient of 1 for inputs that are within
  the quantization range, or 0 otherwise" (its docstring and QuantizeAndDequantizeV4Grad's), the range being
  [input_min, input_max] when range_given, else the input's own min and max (the V4 doc of input_min/input_max).
  Nothing is said of a gradient w.r.t. the range: those records differentiate the input only.
- QuantizeAndDequantizeV2 / V3 (tf.quantization.quantize_and_dequantize, tf.raw_ops.QuantizeAndDequantizeV3):
  pass-through, gradient 1 everywhere (the deprecation note of quantize_and_dequantize: "To simulate the V1 behavior
  ... use tf.grad_pass_through(tf.quantization.quantize_and_dequantize_v2)").
- QuantizeAndDequantizeV4Grad itself (tf.raw_ops): linear in its `gradients`, so its derivative w.r.t. them is
  the mask, a true derivative that differences check.

QuantizeAndDequantizeV4Grad has no XLA kernel, so quantize_and_dequantize_v2 (whose gradient it is) and the raw op
skip XLA. TensorFlow's straight-through gradients are right in reverse mode; forward mode, and second order where
it runs through a gradient op, fail (known bugs): the workarounds write the documented rule as a formula,
sg(y) + mask·(x − sg(x)), which every mode differentiates, with the op itself fed a stopped input.

Each rule is piecewise constant in the input, so the second derivative of Σf is 0 away from the range's edges
(every point's H·v = 0). The difference-based checks (reverse, forward and the four second-order compositions on
samples) compare an STE with the staircase's derivative and are declared skips with that reason, except for
QuantizeAndDequantizeV4Grad. Left out: tf.quantization.quantize / dequantize / requantize and the
quantized_* ops, whose outputs are integers (no gradient, and none registered).
"""
import dataclasses

import numpy as np
import tensorflow as tf

from spec.atlas.records import (POINT_CHECKS, POINT_SECOND, KnownBug, Sample, Workaround, as_f32_exact, hvp, op, point, rng_for)

FAMILY = "quantization: straight-through estimators (fake_quant, quantize_and_dequantize)"

F32 = tf.float32
STE_SKIP = ("the op is a staircase (derivative 0 between steps) and its gradient the documented straight-through "
            "estimator, so differences of the forward test another rule; the special points check the documented one")
DIFFERENCE_CHECKS = ("reverse", "forward", "reverse_over_reverse", "forward_over_reverse", "reverse_over_forward",
                     "forward_over_forward")
STE_SKIPS = {c: STE_SKIP for c in DIFFERENCE_CHECKS}
NO_XLA_V4_GRAD = ("XLA cannot compile QuantizeAndDequantizeV4Grad{}: no XLA_CPU_JIT kernel is registered for it "
                  "(jit_compile=True raises 'Detected unsupported operations')")
ZERO_SECOND = "the documented rule is piecewise constant in every argument away from the range's edges: H·v = 0"


def zero_hvp(*shapes):
    return hvp([np.zeros(s) for s in shapes], ZERO_SECOND)


# ----------------------------------------------------------------------------------- the records' functions


def fake_quant_vars(x, lo, hi, num_bits=8, narrow_range=False):
    """FakeQuantWithMinMaxVars exists for float32 only: cast in and out (Cast's gradient is the identity)."""
    y = tf.quantization.fake_quant_with_min_max_vars(tf.cast(x, F32), tf.cast(lo, F32), tf.cast(hi, F32),
                                                     num_bits=num_bits, narrow_range=narrow_range)
    return tf.cast(y, x.dtype)


def fake_quant_per_channel(x, lo, hi, num_bits=8, narrow_range=False):
    y = tf.quantization.fake_quant_with_min_max_vars_per_channel(tf.cast(x, F32), tf.cast(lo, F32), tf.cast(hi, F32),
                                                                 num_bits=num_bits, narrow_range=narrow_range)
    return tf.cast(y, x.dtype)


def qdq_v2(x, lo, hi, range_given=True, num_bits=8, signed_input=True, axis=None):
    return tf.quantization.quantize_and_dequantize_v2(x, lo, hi, signed_input=signed_input, num_bits=num_bits,
                                                      range_given=range_given, axis=axis)


def qdq_v1(x, lo, hi, range_given=True, num_bits=8, signed_input=True):
    return tf.quantization.quantize_and_dequantize(x, lo, hi, signed_input=signed_input, num_bits=num_bits,
                                                   range_given=range_given)


def qdq_v3(x, lo, hi, range_given=True, num_bits=8, signed_input=True):
    return tf.raw_ops.QuantizeAndDequantizeV3(input=x, input_min=lo, input_max=hi, num_bits=num_bits,
                                             signed_input=signed_input, range_given=range_given)


def qdq_v4_grad(gradients, x, lo, hi, axis=-1):
    return tf.raw_ops.QuantizeAndDequantizeV4Grad(gradients=gradients, input=x, input_min=lo, input_max=hi, axis=axis)


# ----------------------------------------------------------------------------------- known bugs

FAKE_QUANT_STE_CODE = '''import tensorflow as tf


def _nudged(lo, hi, num_bits, narrow_range):
    """The range FakeQuantWithMinMaxVars clamps to (its kernel's nudging, zero point rounded half away from 0)."""
    q_min, q_max = (1.0 if narrow_range else 0.0), 2.0 ** num_bits - 1.0
    scale = (hi - lo) / (q_max - q_min)
    zero = q_min - lo / scale
    zero = tf.clip_by_value(tf.sign(zero) * tf.floor(tf.abs(zero) + 0.5), q_min, q_max)
    return (q_min - zero) * scale, (q_max - zero) * scale


def _straight_through(y, x, lo, hi, num_bits, narrow_range):
    """y with the documented straight-through gradient written as a formula, which forward mode sees too."""
    sg = tf.stop_gradient
    n_lo, n_hi = _nudged(sg(lo), sg(hi), num_bits, narrow_range)
    zero = tf.zeros_like(x)
    return (sg(y) + tf.where((x >= n_lo) & (x <= n_hi), x - sg(x), zero)
            + tf.where(x < n_lo, lo - sg(lo) + zero, zero) + tf.where(x > n_hi, hi - sg(hi) + zero, zero))
'''

FAKE_QUANT_VARS_WORKAROUND = Workaround(FAKE_QUANT_STE_CODE + '''

def fake_quant_vars(x, lo, hi, num_bits=8, narrow_range=False):
    f32 = tf.float32
    y = tf.quantization.fake_quant_with_min_max_vars(tf.cast(x, f32), tf.cast(lo, f32), tf.cast(hi, f32),
                                                     num_bits=num_bits, narrow_range=narrow_range)
    return _straight_through(tf.cast(y, x.dtype), x, lo, hi, num_bits, narrow_range)
''', "fake_quant_vars")

FAKE_QUANT_PER_CHANNEL_WORKAROUND = Workaround(FAKE_QUANT_STE_CODE + '''

def fake_quant_per_channel(x, lo, hi, num_bits=8, narrow_range=False):
    f32 = tf.float32
    y = tf.quantization.fake_quant_with_min_max_vars_per_channel(
        tf.cast(x, f32), tf.cast(lo, f32), tf.cast(hi, f32), num_bits=num_bits, narrow_range=narrow_range)
    return _straight_through(tf.cast(y, x.dtype), x, lo, hi, num_bits, narrow_range)  # lo, hi broadcast on the last axis
''', "fake_quant_per_channel")


def fake_quant_forward_bug(api: str, raw: str, workaround: Workaround) -> KnownBug:
    return KnownBug(
        f"ForwardAccumulator gives no tangent (None, i.e. 0) through {raw}, where the tape gives the documented "
        "straight-through gradient (1 inside the nudged range for the input, the counts below and above for min and "
        f"max): its backward op {raw}Gradient is registered NotDifferentiable, although it is linear in its "
        "incoming gradients, so forward mode (which transposes the backward function) finds no path",
        "unreported",
        "import tensorflow as tf\nx = tf.constant([0.3])\n"
        "with tf.autodiff.ForwardAccumulator(x, tf.constant([1.0])) as acc:\n"
        f"    y = {api}\n"
        "print(acc.jvp(y))  # expected [1.] (the tape's straight-through gradient), got None",
        checks=("special_forward",),
        kind="mode failure",
        kind_why="reverse mode gives the documented straight-through gradient, forward mode gives none (0) at the same point",
        searched=("fake_quant_with_min_max_vars ForwardAccumulator jvp None",
                  "fake_quant_with_min_max_vars ForwardAccumulator jvp None forward mode FakeQuantWithMinMaxVarsGradient "
                  "not differentiable"),
        workaround=workaround)


FAKE_QUANT_VARS_FORWARD = fake_quant_forward_bug(
    "tf.quantization.fake_quant_with_min_max_vars(x, -1.0, 2.0, num_bits=2)", "FakeQuantWithMinMaxVars",
    FAKE_QUANT_VARS_WORKAROUND)
FAKE_QUANT_PER_CHANNEL_FORWARD = fake_quant_forward_bug(
    "tf.quantization.fake_quant_with_min_max_vars_per_channel(x, [-1.0], [2.0], num_bits=2)",
    "FakeQuantWithMinMaxVarsPerChannel", FAKE_QUANT_PER_CHANNEL_WORKAROUND)

QDQ_V2_STE_WORKAROUND = Workaround('''import tensorflow as tf


def qdq_v2(x, lo, hi, range_given=True, num_bits=8, signed_input=True, axis=None):
    """tf.quantization.quantize_and_dequantize_v2 with its documented gradient (1 inside the quantization range, 0
    outside) written as a formula: right in forward mode and to second order, and with the input's own range when
    range_given=False."""
    sx = tf.stop_gradient(x)  # the op, the range and the mask see no tangent: only the identity term carries one
    y = tf.quantization.quantize_and_dequantize_v2(sx, lo, hi, signed_input=signed_input, num_bits=num_bits,
                                                   range_given=range_given, axis=axis)
    if not range_given:
        axes = [a for a in range(x.shape.rank) if axis is None or a != axis % x.shape.rank]
        lo, hi = tf.reduce_min(sx, axes), tf.reduce_max(sx, axes)
    if axis is not None:  # a range per slice along axis: broadcast it there
        shape = [-1 if a == axis % x.shape.rank else 1 for a in range(x.shape.rank)]
        lo, hi = tf.reshape(lo, shape), tf.reshape(hi, shape)
    inside = (sx >= lo) & (sx <= hi)
    return y + tf.where(inside, x - sx, tf.zeros_like(x))
''', "qdq_v2")

QDQ_V4_FORWARD = KnownBug(
    "forward mode and every second-order composition through QuantizeAndDequantizeV4 raise TypeError: the gradient "
    "registered for its backward op QuantizeAndDequantizeV4Grad (_QuantizeAndDequantizeV4GradGrad(op, grad)) takes one "
    "incoming gradient, but the op has three outputs, so differentiating the backward function fails",
    "https://github.com/tensorflow/tensorflow/issues/59960",
    "import tensorflow as tf\nx = tf.constant([0.3], tf.float64)\n"
    "with tf.autodiff.ForwardAccumulator(x, tf.constant([1.0], tf.float64)) as acc:\n"
    "    y = tf.quantization.quantize_and_dequantize_v2(x, -1.0, 2.0, num_bits=2, range_given=True)\n"
    "print(acc.jvp(y))  # expected [1.] (the tape's straight-through gradient), got TypeError: "
    "_QuantizeAndDequantizeV4GradGrad() takes 2 positional arguments but 4 were given",
    checks=("special_forward",) + POINT_SECOND,
    symptom="_QuantizeAndDequantizeV4GradGrad() takes 2 positional arguments",
    kind="mode failure",
    kind_why="reverse mode gives the documented gradient; forward mode and second order raise TypeError at the same point",
    related=("https://github.com/tensorflow/tensorflow/issues/60059",),
    searched=("_QuantizeAndDequantizeV4GradGrad takes 2 positional arguments but 4 were given",),
    workaround=QDQ_V2_STE_WORKAROUND)

QDQ_V2_IGNORED_RANGE = KnownBug(
    "with range_given=False quantize_and_dequantize_v2 quantizes over the input's own min and max (the documented "
    "meaning of range_given=False: input_min/input_max are ignored), so nothing is clamped and the documented "
    "gradient is 1 for every input; QuantizeAndDequantizeV4Grad masks with the ignored input_min/input_max "
    "instead (with the common placeholder 0, 0 every gradient is 0 except at x = 0); forward mode, which transposes "
    "that backward rule, would return the same mask, and on 2.21 raises #59960's TypeError before it gets there",
    "unreported",
    "import tensorflow as tf\nx = tf.constant([-1.5, 0.3, 2.5], tf.float64)\n"
    "with tf.GradientTape() as t:\n    t.watch(x)\n"
    "    y = tf.quantization.quantize_and_dequantize_v2(x, 0.0, 0.0, num_bits=2, range_given=False)\n"
    "print(t.gradient(y, x))  # expected [1. 1. 1.] (every input is inside its own range), got [0. 0. 0.]",
    checks=("special_reverse", "special_forward"),
    kind="wrong value",
    kind_why="the documented rule (1 inside the quantization range, which is the input's own) gives 1; TensorFlow "
             "returns 0 by masking with arguments the forward ignored",
    searched=("quantize_and_dequantize_v2 gradient zero range_given False",
              "quantize_and_dequantize_v2 range_given=False gradient zero input_min input_max ignored",
              "_QuantizeAndDequantizeV4GradGrad takes 2 positional arguments but 4 were given"),
    workaround=QDQ_V2_STE_WORKAROUND)

QDQ_V4_GRAD_NO_GRADIENT = KnownBug(
    "QuantizeAndDequantizeV4Grad is linear in `gradients` (input_backprop = gradients · (input_min ≤ x ≤ input_max)), "
    "but differentiating it raises TypeError in every mode: its registered gradient _QuantizeAndDequantizeV4GradGrad("
    "op, grad) accepts one incoming gradient and the op has three outputs",
    "https://github.com/tensorflow/tensorflow/issues/60059",
    "import tensorflow as tf\ng = tf.constant([1.0, 1.0], tf.float64); x = tf.constant([0.3, 3.0], tf.float64)\n"
    "with tf.GradientTape() as t:\n    t.watch(g)\n"
    "    b = tf.raw_ops.QuantizeAndDequantizeV4Grad(gradients=g, input=x, input_min=tf.constant(-1.0, tf.float64),\n"
    "                                               input_max=tf.constant(2.0, tf.float64))[0]\n"
    "print(t.gradient(b, g))  # expected [1. 0.], got TypeError: _QuantizeAndDequantizeV4GradGrad() takes 2 "
    "positional arguments but 4 were given",
    checks=("reverse", "forward", "float32") + ("reverse_over_reverse", "forward_over_reverse", "reverse_over_forward",
                                                "forward_over_forward", "special_reverse", "special_forward") + POINT_SECOND,
    symptom="_QuantizeAndDequantizeV4GradGrad() takes 2 positional arguments",
    kind="missing gradient",
    kind_why="a linear function of `gradients`; the tape and forward mode raise instead of returning the mask",
    related=("https://github.com/tensorflow/tensorflow/issues/59960",),
    searched=("_QuantizeAndDequantizeV4GradGrad takes 2 positional arguments but 4 were given",),
    workaround=Workaround('''import tensorflow as tf


def qdq_v4_grad(gradients, x, lo, hi, axis=-1):
    """QuantizeAndDequantizeV4Grad's input_backprop as the formula it computes (range per slice along axis if
    axis >= 0), differentiable in gradients; the range backprops are zeros, as the op returns them."""
    if axis >= 0:
        shape = [-1 if a == axis else 1 for a in range(x.shape.rank)]
        lo, hi = tf.reshape(lo, shape), tf.reshape(hi, shape)
    backprop = tf.where((x >= lo) & (x <= hi), gradients, tf.zeros_like(gradients))
    return backprop, tf.zeros_like(lo), tf.zeros_like(hi)
''', "qdq_v4_grad"))


# ----------------------------------------------------------------------------------- samples and points


def a(*values) -> np.ndarray:
    return np.asarray(values, np.float64)


def outside(name, shape, lo, hi):
    """x at least 0.3 outside [lo, hi] (the clamped, flat part)."""
    rng = rng_for(name)
    magnitude, side = rng.uniform(0.3, 2.0, shape), rng.choice([-1.0, 1.0], shape)
    return as_f32_exact(np.where(side < 0, lo - magnitude, hi + magnitude))


def inside(name, shape, lo, hi):
    return as_f32_exact(rng_for(name + " inside").uniform(lo + 0.1, hi - 0.1, shape))


VARS_RULE = ("documented straight-through rule of FakeQuantWithMinMaxVarsGradient on the nudged range [{lo}, {hi}]: "
             "∂/∂x = 1 inside (edges included), ∂/∂min = #(x < {lo}), ∂/∂max = #(x > {hi})")


def vars_points(bug):
    rule = VARS_RULE.format
    return [
        point("inside, below, above, edges; [-1,2], num_bits 2", [a(-1.5, -1.0, 0.3, 2.0, 2.5), -1.0, 2.0],
              [a(0, 1, 1, 1, 0), 1.0, 1.0], rule(lo=-1, hi=2) + "; scale 1, zero point 1: the range is not moved",
              bug=bug, second=zero_hvp((5,), (), ()), num_bits=2),
        point("nudged: [-0.8,2.2] -> [-1,2], num_bits 2", [a(-1.2, -0.9, 2.1, 2.4), -0.8, 2.2],
              [a(0, 1, 0, 0), 1.0, 2.0],
              rule(lo=-1, hi=2) + "; scale 1, zero point round(0.8) = 1 nudges [−0.8, 2.2] to [−1, 2]: x = −0.9 (below "
              "min, inside the nudged range) passes the gradient, x = 2.1 (inside [min, max], above the nudged max) sends "
              "it to max", bug=bug, second=zero_hvp((4,), (), ()), num_bits=2),
        point("narrow_range, num_bits 8, [0,31.75]", [a(-0.5, 0.0, 31.75, 32.0), 0.0, 31.75], [a(0, 1, 1, 0), 1.0, 1.0],
              rule(lo=0, hi=31.75) + "; narrow_range: q in [1, 255], scale 31.75/254 = 1/8, zero point 1",
              bug=bug, second=zero_hvp((4,), (), ()), num_bits=8, narrow_range=True),
        point("2x1 (size-1 axis)", [np.array([[-2.0], [0.5]]), -1.0, 2.0], [np.array([[0.0], [1.0]]), 1.0, 0.0],
              rule(lo=-1, hi=2), bug=bug, second=zero_hvp((2, 1), (), ()), num_bits=2),
        point("zero-size input", [np.zeros(0), -1.0, 2.0], [np.zeros(0), 0.0, 0.0],
              "no input: Σ over no entries, every gradient 0 (the input's empty)", second=zero_hvp((0,), (), ()),
              num_bits=2),
    ]


def per_channel_points(bug):
    return [
        point("2 channels: [-1,2] and [-0.8,2.2] -> [-1,2]", [np.array([[-1.5, 0.3], [2.5, 3.0], [0.0, -2.0]]),
                                                             a(-1.0, -0.8), a(2.0, 2.2)],
              [np.array([[0.0, 1.0], [0.0, 0.0], [1.0, 0.0]]), a(1.0, 1.0), a(1.0, 1.0)],
              "the documented rule per channel (last axis): channel 0 on [−1, 2], channel 1 nudged from [−0.8, 2.2] to "
              "[−1, 2]; ∂/∂min_c = #(x_c below), ∂/∂max_c = #(x_c above)", bug=bug,
              second=zero_hvp((3, 2), (2,), (2,)), num_bits=2),
        point("1 channel, edges", [np.array([[-1.0], [2.0], [2.5]]), a(-1.0), a(2.0)],
              [np.array([[1.0], [1.0], [0.0]]), a(0.0), a(1.0)], "edges pass the gradient, 2.5 goes to max", bug=bug,
              second=zero_hvp((3, 1), (1,), (1,)), num_bits=2),
        point("zero-size batch", [np.zeros((0, 2)), a(-1.0, -1.0), a(2.0, 2.0)], [np.zeros((0, 2)), a(0, 0), a(0, 0)],
              "no input rows: every gradient 0", second=zero_hvp((0, 2), (2,), (2,)), num_bits=2),
    ]


SAMPLE_CHECKS = ("reverse", "forward", "float32", "reverse_over_reverse", "forward_over_reverse", "reverse_over_forward",
                 "forward_over_forward")


def v4_grad_bug(checks):
    """QDQ_V4_GRAD_NO_GRADIENT on the samples (the op's bug) or at one point (the point's own): a zero-size point
    breaks fewer checks, and an op-level bug naming the point checks would cover it too."""
    return dataclasses.replace(QDQ_V4_GRAD_NO_GRADIENT, checks=tuple(checks))


def v4_bug_variant(checks):
    return dataclasses.replace(QDQ_V4_FORWARD, checks=tuple(checks))


QDQ_WHY = "documented rule: gradient 1 for inputs within the quantization range [{lo}, {hi}] (edges included), 0 outside"


def qdq_v2_points():
    return [
        point("range [-1,2] given, num_bits 2", [a(-1.5, -1.0, 0.3, 2.0, 2.5), -1.0, 2.0], [a(0, 1, 1, 1, 0)],
              QDQ_WHY.format(lo=-1, hi=2), bug=QDQ_V4_FORWARD, second=zero_hvp((5,)), range_given=True, num_bits=2),
        point("range [0,1] given, unsigned, num_bits 8", [a(-0.25, 0.0, 0.5, 1.0, 1.25), 0.0, 1.0], [a(0, 1, 1, 1, 0)],
              QDQ_WHY.format(lo=0, hi=1), bug=QDQ_V4_FORWARD, second=zero_hvp((5,)), range_given=True, num_bits=8,
              signed_input=False),
        point("range from the input (range_given=False, placeholders 0, 0)", [a(-1.5, 0.3, 2.5), 0.0, 0.0], [a(1, 1, 1)],
              "range_given=False: the quantization range is the input's own [min x, max x] = [−1.5, 2.5] (input_min and "
              "input_max are ignored, as documented), so every input is inside and gets 1", bug=QDQ_V2_IGNORED_RANGE,
              second=hvp([np.zeros(3)], ZERO_SECOND, bug=QDQ_V4_FORWARD), range_given=False, num_bits=2),
        point("2x1 (size-1 axis)", [np.array([[-2.0], [0.5]]), -1.0, 2.0], [np.array([[0.0], [1.0]])],
              QDQ_WHY.format(lo=-1, hi=2), bug=QDQ_V4_FORWARD, second=zero_hvp((2, 1)), range_given=True, num_bits=8),
        point("zero-size input", [np.zeros(0), -1.0, 2.0], [np.zeros(0)], "no input: the gradient is empty",
              bug=v4_bug_variant(("special_reverse_over_reverse", "special_forward_over_reverse", "special_reverse_over_forward")),
              second=zero_hvp((0,)), range_given=True, num_bits=8),
    ]


PASS_THROUGH_WHY = ("pass-through, as documented for the V1 op (tf.grad_pass_through(quantize_and_dequantize_v2) "
                    "simulates it): gradient 1 for every input, inside the range or not")


def pass_through_points():
    return [
        point("inside, outside, edges; [-1,2], num_bits 2", [a(-1.5, -1.0, 0.3, 2.0, 2.5), -1.0, 2.0], [np.ones(5)],
              PASS_THROUGH_WHY, second=zero_hvp((5,)), range_given=True, num_bits=2),
        point("range from the input", [a(-1.5, 0.3, 2.5), 0.0, 0.0], [np.ones(3)], PASS_THROUGH_WHY,
              second=zero_hvp((3,)), range_given=False, num_bits=8),
        point("2x1 (size-1 axis)", [np.array([[-2.0], [0.5]]), -1.0, 2.0], [np.ones((2, 1))], PASS_THROUGH_WHY,
              second=zero_hvp((2, 1)), range_given=True, num_bits=8),
        point("zero-size input", [np.zeros(0), -1.0, 2.0], [np.zeros(0)], "no input: the gradient is empty",
              second=zero_hvp((0,)), range_given=True, num_bits=8),
    ]


def qdq_samples(name, **kw):
    return [
        Sample((inside(name, (5,), -1.0, 2.0), np.asarray(-1.0), np.asarray(2.0)), dict(range_given=True, num_bits=8, **kw),
               "5 inside [-1, 2]"),
        Sample((outside(name, (2, 3), -1.0, 2.0), np.asarray(-1.0), np.asarray(2.0)), dict(range_given=True, num_bits=8, **kw),
               "2x3 outside [-1, 2]"),
    ]


def vars_samples(name):
    return [
        Sample((outside(name, (5,), -1.0, 2.0), np.asarray(-1.0), np.asarray(2.0)), {"num_bits": 2}, "5 outside [-1, 2]"),
        Sample((inside(name, (2, 3), -1.0, 2.0), np.asarray(-1.0), np.asarray(2.0)), {"num_bits": 8}, "2x3 inside [-1, 2]"),
    ]


def v4_grad_samples(name):
    rng = rng_for(name)
    g = as_f32_exact(rng.uniform(-2, 2, (6,)))
    x = np.array([-1.5, -1.0, 0.3, 1.2, 2.0, 2.5])
    g2 = as_f32_exact(rng.uniform(-2, 2, (2, 3)))
    x2 = np.array([[-1.5, 0.5, 0.3], [0.25, 3.0, -0.5]])
    # the per-column sample first, as the representative one (second_order_sample=0): the workaround test checks forward
    # mode in tf.function and XLA too, and the runner's forward check pairs the representative sample's result with the
    # first sample, so these must be the same one
    return [Sample((g2, x2, np.array([-1.0, 0.0, -1.0]), np.array([2.0, 1.0, 0.0])), {"axis": 1}, "2x3, range per column"),
            Sample((g, x, np.asarray(-1.0), np.asarray(2.0)), {}, "6, range [-1, 2]")]


OPS = [
    op("tf.quantization.fake_quant_with_min_max_vars", fake_quant_vars, vars_samples("fqv"), diff=(0, 1, 2),
       domain="float32 only (the record casts); the gradient is the documented straight-through rule",
       points=vars_points(FAKE_QUANT_VARS_FORWARD), skips=STE_SKIPS),
    op("tf.quantization.fake_quant_with_min_max_vars_per_channel", fake_quant_per_channel, [
        Sample((outside("fqc", (3, 2), -1.0, 2.0), np.array([-1.0, -1.0]), np.array([2.0, 2.0])), {"num_bits": 2},
               "3x2 outside [-1, 2]"),
        Sample((inside("fqc", (2, 2, 3), -1.0, 2.0), np.array([-1.0, -1.0, -1.0]), np.array([2.0, 2.0, 2.0])),
               {"num_bits": 8}, "2x2x3 inside [-1, 2]"),
    ], diff=(0, 1, 2), domain="float32 only (the record casts); the documented straight-through rule per channel",
       points=per_channel_points(FAKE_QUANT_PER_CHANNEL_FORWARD), skips=STE_SKIPS),
    op("tf.quantization.quantize_and_dequantize_v2", qdq_v2, qdq_samples("qdq2"), diff=(0,),
       domain="all reals; the gradient is the documented straight-through rule (1 inside the range, 0 outside)",
       points=qdq_v2_points(), skips={**STE_SKIPS, "xla": NO_XLA_V4_GRAD.format(", the op's gradient")}),
    op("tf.quantization.quantize_and_dequantize", qdq_v1, qdq_samples("qdq1"), diff=(0,),
       domain="all reals; the gradient is pass-through (1 everywhere)", points=pass_through_points(), skips=STE_SKIPS),
    op("tf.raw_ops.QuantizeAndDequantizeV3", qdq_v3, qdq_samples("qdq3"), diff=(0,),
       domain="all reals; the gradient is pass-through (1 everywhere)", points=pass_through_points(), skips=STE_SKIPS),
    op("tf.raw_ops.QuantizeAndDequantizeV4Grad", qdq_v4_grad, v4_grad_samples("qdq4g"), diff=(0,),
       domain="gradients: all reals (linear); input, input_min, input_max fixed",
       bugs=(v4_grad_bug(SAMPLE_CHECKS),), second_order_sample=0,
       skips={"xla": NO_XLA_V4_GRAD.format("")}, points=[
           point("mask of [-1,2]", [np.ones(6), a(-1.5, -1.0, 0.3, 1.2, 2.0, 2.5), -1.0, 2.0], [a(0, 1, 1, 1, 1, 0)],
                 "input_backprop = gradients · (input_min ≤ x ≤ input_max), linear in gradients: its derivative is the "
                 "mask (edges included)", bug=v4_grad_bug(POINT_CHECKS + POINT_SECOND), second=zero_hvp((6,))),
           # no entries: forward mode has no one-hot tangent to push, so only the reverse-mode compositions raise
           point("zero-size", [np.zeros(0), np.zeros(0), -1.0, 2.0], [np.zeros(0)], "no entries: the gradient is empty",
                 bug=v4_grad_bug(("special_reverse",) + POINT_SECOND[:3]), second=zero_hvp((0,))),
       ]),
]
