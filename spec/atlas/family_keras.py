"""keras.ops on the TensorFlow backend: the wrappers that compose TensorFlow ops with their own formula.

Only keras.ops that do their own work on the TensorFlow backend are listed (keras/src/backend/tensorflow/
nn.py, numpy.py, math.py, linalg.py and keras/src/ops/nn.py); pure aliases of a tf op (keras.ops.relu,
sigmoid, softplus, silu, selu, gelu, leaky_relu, log_sigmoid, logsumexp, erf, erfinv, logdet, top_k, ...)
are left to the tf.nn / tf.math families. Every entry is marked `keras`.
"""
import dataclasses
import math

import keras
import numpy as np

from spec.atlas.family_nn import MAX, TINY

from spec.atlas.records import (FLUSH_TO_ZERO, POINT_CHECKS, POINT_SECOND, PROBABILITY, REAL, REAL_NONZERO, TAIL_CHECKS, UNARY_SHAPES, Domain, KnownBug, Op, Sample,
                                Workaround, hvp, tail,
                                as_f32_exact, between, binary, distinct, draw, op, point, unary)

FAMILY = "keras.ops (TensorFlow backend): wrappers with their own formula"

ko = keras.ops
SQRT_EPS = np.sqrt(1e-7)  # keras.config.epsilon() = 1e-7, the default epsilon of the normalizations


def _sinc_prime(x):
    x = np.float64(x)
    return (np.pi * x * np.cos(np.pi * x) - np.sin(np.pi * x)) / (np.pi * x * x)


def _repro(*lines):
    return "\n".join(("import numpy as np, tensorflow as tf, keras",) + lines)


def _tape(setup, call, expected, got):
    return _repro(*setup, "with tf.GradientTape() as t:", f"    t.watch(x); y = {call}",
                  f"print(t.gradient(y, x))  # expected {expected}, got {got}")


def unary_kw(name, fn, domain, kwargs_per_shape, points=(), **extra) -> Op:
    """An elementwise op of one argument with a keyword that changes the math: shapes (), (5,), (2, 3), each with
    its own keyword set (labels say them)."""
    samples = []
    for shape, kwargs in zip(UNARY_SHAPES, kwargs_per_shape):
        label = ("scalar" if shape == () else "x".join(map(str, shape))) + "".join(f" {k}={v}" for k, v in kwargs.items())
        samples.append(Sample(tuple(draw(name, shape, domain=domain, salt=label)), dict(kwargs), label))
    return Op(name, fn, tuple(samples), (0,), domain.text, points=tuple(points), keras=True, **extra)


# ------------------------------------------------------------------------------------------ workarounds

CELU_WORKAROUND = Workaround('''import tensorflow as tf


def celu(x, alpha=1.0):
    """keras.ops.celu with its two pieces chosen by where instead of added: max(x, 0) + α·expm1(min(x, 0)/α) sends the
    gradients of both Maximum and Minimum to x at 0 (ties go to the first argument) and counts slope 1 twice."""
    return tf.where(x > 0, x, alpha * tf.math.expm1(tf.minimum(x, tf.zeros_like(x)) / alpha))
''', "celu")
SPARSEMAX_WORKAROUND = Workaround('''import tensorflow as tf


def sparsemax(x, axis=-1):
    """Sparsemax (Martins & Astudillo 2016) with the threshold from the sum of the sorted logits over the support,
    τ = (Σ_{i≤k} z_(i) − 1)/k, not from the sum of their cumulative sums."""
    rank = x.shape.rank
    axis %= rank
    perm = [i for i in range(rank) if i != axis] + [axis]
    back = [perm.index(i) for i in range(rank)]
    z = tf.transpose(x, perm)
    zs = tf.sort(z, axis=-1, direction="DESCENDING")
    k = tf.range(1, z.shape[-1] + 1, dtype=z.dtype)
    support = 1 + k * zs > tf.cumsum(zs, axis=-1)
    size = tf.reduce_sum(tf.cast(support, z.dtype), axis=-1, keepdims=True)
    tau = (tf.reduce_sum(tf.where(support, zs, tf.zeros_like(zs)), axis=-1, keepdims=True) - 1) / size
    return tf.transpose(tf.maximum(z - tau, tf.zeros_like(z)), back)
''', "sparsemax")
NORMALIZE_WORKAROUND = Workaround('''import tensorflow as tf


def normalize(x, axis=-1, order=2, epsilon=None):
    """x / max(‖x‖, ε) with the bound applied before the root (rsqrt(max(Σx², ε²))), so no rsqrt(0) = inf enters the
    graph and its gradient is never 0·inf (the fix of keras-team/keras#23093)."""
    eps = 1e-7 if epsilon is None else epsilon
    if order == 2:
        return x * tf.math.rsqrt(tf.maximum(tf.reduce_sum(tf.square(x), axis=axis, keepdims=True), eps * eps))
    return x / tf.maximum(tf.norm(x, ord=order, axis=axis, keepdims=True), eps)
''', "normalize")
SEGMENT_SUM_WORKAROUND = Workaround('''import numpy as np
import tensorflow as tf


def segment_sum(data, segment_ids, num_segments=None, sorted=False):
    """Σ over each segment as a product with the one-hot matrix of the ids (given as a NumPy array): num_segments is
    max(id) + 1 as documented, and the gradient is a dense matmul, not the IndexedSlices of a gather that nested
    forward mode cannot pack."""
    n = int(np.max(segment_ids)) + 1 if num_segments is None else num_segments
    return tf.tensordot(tf.one_hot(segment_ids, n, dtype=data.dtype), data, axes=[[0], [0]])
''', "segment_sum")
SEGMENT_MAX_WORKAROUND = Workaround('''import numpy as np
import tensorflow as tf


def segment_max(data, segment_ids, num_segments=None, sorted=False):
    """The max of each segment as reduce_max over a masked copy of the data (ids given as a NumPy array): an empty
    segment is a row of −inf whose reduce_max gradient divides by the row length, never by 0, and where() then gives it
    keras's value (0 for sorted ids, the lowest float otherwise) with a zero gradient."""
    ids = np.asarray(segment_ids)
    n = int(ids.max()) + 1 if num_segments is None else num_segments
    member = ids[None, :] == np.arange(n)[:, None]  # (segments, entries)
    flat = tf.reshape(data, [data.shape[0], -1])
    masked = tf.where(member[:, :, None], flat[None], tf.constant(-float("inf"), data.dtype))
    out = tf.reduce_max(masked, axis=1)
    empty = tf.constant(~member.any(axis=1))[:, None]
    fill = tf.zeros_like(out) + (0.0 if sorted else data.dtype.min)
    return tf.reshape(tf.where(empty, fill, out), [n] + data.shape[1:])
''', "segment_max")
HYPOT_WORKAROUND = Workaround('''import tensorflow as tf


def hypot(x1, x2):
    """m·√((x1/m)² + (x2/m)²) with the scale m = max(|x1|, |x2|) held constant (stop_gradient): no overflow, and since
    the value does not depend on m the gradient is exactly (x1, x2)/hypot, with no Maximum or Minimum to route it."""
    m = tf.stop_gradient(tf.maximum(tf.abs(x1), tf.abs(x2)))
    m = tf.where(m > 0, m, tf.ones_like(m))
    return m * tf.sqrt(tf.square(x1 / m) + tf.square(x2 / m))
''', "hypot")
LOGADDEXP_WORKAROUND = Workaround('''import tensorflow as tf


def logaddexp(x1, x2):
    """m + log(e^(x1 − m) + e^(x2 − m)) with the shift m = max(x1, x2) held constant (stop_gradient, 0 where it is not
    finite): the gradient is the softmax (1/2, 1/2 at a tie), with no Maximum or Abs to route it."""
    m = tf.stop_gradient(tf.maximum(x1, x2))
    m = tf.where(tf.math.is_finite(m), m, tf.zeros_like(m))
    return m + tf.math.log(tf.exp(x1 - m) + tf.exp(x2 - m))
''', "logaddexp")
FMOD_WORKAROUND = Workaround('''import tensorflow as tf


def fmod(x1, x2):
    """x1 − trunc(x1/x2)·x2 with the integer part held constant: ∂/∂x1 = 1 and ∂/∂x2 = −trunc(x1/x2), at x1 = 0 too."""
    q = x1 / x2
    return x1 - tf.stop_gradient(tf.where(q >= 0, tf.floor(q), tf.math.ceil(q))) * x2
''', "fmod")
LDEXP_WORKAROUND = Workaround('''import tensorflow as tf


def ldexp(x1, x2):
    """x1·2^x2 with no where() around it: keras's where(x1 == 0, x1, …) picks the identity at 0 (the fix of
    keras-team/keras#23615 drops that condition)."""
    return x1 * tf.pow(tf.constant(2.0, x1.dtype), tf.cast(x2, x1.dtype))
''', "ldexp")
BCE_WORKAROUND = Workaround('''import tensorflow as tf


def binary_crossentropy(target, output, from_logits=False):
    """−(t·log p + (1 − t)·log(1 − p)) with xlogy and no clipping: xlogy(0, 0) = 0 with a zero gradient, so at p = 0
    (t = 0) or p = 1 (t = 1) the one-sided derivative ±1 survives instead of clip_by_value's 0."""
    if from_logits:
        return tf.nn.sigmoid_cross_entropy_with_logits(labels=target, logits=output)
    return -(tf.math.xlogy(target, output) + tf.math.xlogy(1 - target, 1 - output))
''', "binary_crossentropy")
CCE_WORKAROUND = Workaround('''import tensorflow as tf


def categorical_crossentropy(target, output, from_logits=False, axis=-1):
    """−Σ t·log(p/Σp) with xlogy and no clipping: a class with t = 0 and p = 0 contributes 0 with a zero gradient."""
    if from_logits:
        return tf.nn.softmax_cross_entropy_with_logits(labels=target, logits=output, axis=axis)
    return -tf.reduce_sum(tf.math.xlogy(target, output / tf.reduce_sum(output, axis=axis, keepdims=True)), axis=axis)
''', "categorical_crossentropy")
SCCE_WORKAROUND = Workaround('''import tensorflow as tf


def sparse_categorical_crossentropy(target, output, from_logits=False, axis=-1):
    """The categorical crossentropy of the one-hot targets, −Σ t·log(p/Σp), with xlogy and no clipping."""
    t = tf.one_hot(target, output.shape[axis], dtype=output.dtype, axis=axis)
    if from_logits:
        return tf.nn.softmax_cross_entropy_with_logits(labels=t, logits=output, axis=axis)
    return -tf.reduce_sum(tf.math.xlogy(t, output / tf.reduce_sum(output, axis=axis, keepdims=True)), axis=axis)
''', "sparse_categorical_crossentropy")
MOMENTS_WORKAROUND = Workaround('''import tensorflow as tf


def moments(x, axes, keepdims=False, synchronized=False):
    """Mean and variance with the variance as mean((x − mean)²), the mean not stopped: its Hessian is 2/n·(I − 11ᵀ/n)."""
    mean = tf.reduce_mean(x, axis=axes, keepdims=True)
    var = tf.reduce_mean(tf.square(x - mean), axis=axes, keepdims=True)
    if not keepdims:
        mean, var = tf.squeeze(mean, axes), tf.squeeze(var, axes)
    return mean, var
''', "moments")
LAYER_NORM_WORKAROUND = Workaround('''import tensorflow as tf


def layer_normalization(x, gamma=None, beta=None, axis=-1, epsilon=None):
    """γ·(x − mean)/√(var + ε) + β with var = mean((x − mean)²), the mean not stopped (keras takes both from
    moments(), whose variance stops the mean's gradient and loses a term of the Hessian)."""
    eps = 1e-7 if epsilon is None else epsilon
    rank = x.shape.rank
    axes = sorted(a % rank for a in ([axis] if isinstance(axis, int) else axis))
    mean = tf.reduce_mean(x, axis=axes, keepdims=True)
    var = tf.reduce_mean(tf.square(x - mean), axis=axes, keepdims=True)
    out = (x - mean) * tf.math.rsqrt(var + eps)
    shape = [x.shape[d] if d in axes else 1 for d in range(rank)]

    def broadcast(v):
        return tf.reshape(v, shape) if v.shape.rank != rank and axes != [rank - 1] else v

    if gamma is not None:
        out = out * broadcast(gamma)
    if beta is not None:
        out = out + broadcast(beta)
    return out
''', "layer_normalization")


# ------------------------------------------------------------------------------------------ known bugs

CELU_ZERO = KnownBug(
    "keras.ops.celu is maximum(x, 0) + α·expm1(minimum(x, 0)/α): at x = 0 both Maximum and Minimum send the "
    "whole gradient to x (ties go to the first argument), so the derivative is 1 + 1 = 2 where celu is C¹ "
    "with derivative 1 from both sides", "unreported",
    _tape(["x = tf.constant(0.0, tf.float64)"], "keras.ops.celu(x)", "1.0", "2.0"),
    kind="wrong value", kind_why="celu is C¹ at 0 (slope 1 from both sides); TensorFlow returns 2",
    searched=("keras celu gradient at zero equals 2 maximum minimum tie",), workaround=CELU_WORKAROUND)
SQUAREPLUS_B0 = KnownBug(
    "keras.ops.squareplus with b = 0 is (x + sqrt(x²))/2 = relu(x): at x = 0 Sqrt's gradient inf meets 2x = 0 "
    "and gives NaN where any value in [0, 1] is a subgradient", "unreported",
    _tape(["x = tf.constant(0.0, tf.float64)"], "keras.ops.squareplus(x, b=0)", "a value in [0, 1]", "nan"),
    kind="convention", kind_why="relu has no derivative at 0; TensorFlow returns NaN where [0, 1] holds subgradients; jax.nn.squareplus is the same (x + sqrt(x² + b))/2 (jax/_src/nn/functions.py) and with JAX (jax-ml/jax jax/_src/lax/lax.py: sqrt's JVP is g·0.5/ans) also NaN there; PyTorch has no squareplus",
    searched=("keras squareplus gradient NaN",),
    checks=POINT_CHECKS + POINT_SECOND)
SPARSEMAX_TAU = KnownBug(
    "keras.ops.sparsemax computes its threshold from the sum of the cumulative sums over the support instead "
    "of the k-th cumulative sum, so its outputs do not sum to 1 once the support has two or more entries, and "
    "the gradient of Σ sparsemax (identically 1) is not 0", "https://github.com/keras-team/keras/issues/23425",
    _tape(["x = tf.constant([0.1, 0.5, 0.2], tf.float64)"], "keras.ops.sparsemax(x)", "[0, 0, 0]",
          "[-1/3, 0, -2/3]"),
    kind="wrong value", kind_why="Σ sparsemax ≡ 1 is differentiable with gradient 0; the threshold formula makes it another function",
    related=("https://github.com/keras-team/keras/pull/23469", "https://github.com/keras-team/keras/pull/23426", "https://github.com/tensorflow/tensorflow/issues/127246"),
    searched=("keras sparsemax outputs do not sum to one threshold cumulative sum",), workaround=SPARSEMAX_WORKAROUND)
NORM_ZERO = KnownBug(
    "keras.ops.norm's p-norms (ord None/2 via sqrt(Σx²), other p via pow(Σ|x|^p, 1/p)) differentiate the outer "
    "root at 0: inf·0 = NaN at the zero vector, where any vector of the dual unit ball (entries in [-1, 1]) "
    "is a subgradient", "unreported",
    _tape(["x = tf.constant([0.0, 0.0], tf.float64)"], "keras.ops.norm(x)", "entries in [-1, 1]", "[nan, nan]"),
    kind="convention", kind_why="a norm has no derivative at 0; TensorFlow returns NaN where the dual unit ball holds subgradients; jnp.linalg.norm(ord=None) is sqrt(sum(x·conj x)) (jax/_src/numpy/linalg.py), NaN there by JAX (jax-ml/jax jax/_src/lax/lax.py: sqrt's JVP is g·0.5/ans); PyTorch not checked",
    related=("https://github.com/tensorflow/tensorflow/issues/12071",), searched=("keras.ops.normalize gradient NaN zero vector XLA",))
CDIST_SAME = KnownBug(
    "keras.ops.cdist is sqrt(Σ(x − y)²): for coincident points Sqrt's gradient inf meets 2(x − y) = 0 and gives "
    "NaN where the Euclidean distance has the unit ball as subdifferential", "unreported",
    _repro("x, y = tf.constant([[1.0, 2.0]], tf.float64), tf.constant([[1.0, 2.0]], tf.float64)",
           "with tf.GradientTape() as t:", "    t.watch([x, y]); d = keras.ops.cdist(x, y)",
           "print(t.gradient(d, [x, y]))  # expected entries in [-1, 1], got nan"),
    kind="convention", kind_why="‖x − y‖ has no derivative at x = y; TensorFlow returns NaN where the unit ball holds subgradients; JAX has no cdist; PyTorch not checked",
    searched=("cdist gradient NaN coincident points sqrt",))
BCE_CLIP = KnownBug(
    "keras.ops.binary_crossentropy (from probabilities) clips the output to [ε, 1 − ε] before the log, and "
    "clip_by_value's gradient outside the interval is 0: at p = 0 (target 0) or p = 1 (target 1) the loss "
    "−log(1 − p) or −log(p) has derivative ±1, but the gradient is 0",
    "https://github.com/keras-team/keras/issues/9664",
    _tape(["x = tf.constant([1.0], tf.float64)"], "keras.ops.binary_crossentropy(tf.constant([1.0], tf.float64), x)",
          "[-1.0]", "[0.0]"),
    kind="wrong value", kind_why="the loss −log(1 − p) (−log p) has the one-sided derivative ±1 at the edge; clipping returns 0",
    related=("https://github.com/tensorflow/tensorflow/issues/51675",),
    searched=("binary_crossentropy clip epsilon gradient zero at prediction 0 or 1 keras",), workaround=BCE_WORKAROUND,
    checks=POINT_CHECKS + POINT_SECOND)


def _cce_clip(call, workaround):
    return KnownBug(
        "the categorical crossentropy from probabilities normalises the output by its sum and clips it to "
        "[ε, 1 − ε] before the log; clip_by_value's gradient is 0 at a clipped entry, so for p = (1, 0, 0) with "
        "target class 0 the loss −log(p0/Σp) has derivative (0, 1, 1) but the gradient is (0, 0, 0)",
        "unreported", _tape(["x = tf.constant([1.0, 0.0, 0.0], tf.float64)"], call, "[0, 1, 1]", "[0, 0, 0]"),
    checks=POINT_CHECKS + POINT_SECOND,
    kind="wrong value", kind_why="−log(p0/Σp) is differentiable at p = (1, 0, 0) (one-sided at the simplex edge); clipping returns 0",
    related=("https://github.com/keras-team/keras/issues/9664",),
    searched=("categorical_crossentropy from probabilities clip_by_value zero gradient one-hot prediction",), workaround=workaround)


MOMENTS_AT_POINT = KnownBug(
    "keras.ops.moments' variance mean((x − stop_gradient(mean))²) has the Hessian 2/n·I instead of 2/n·(I − 11ᵀ/n): at a "
    "constant vector H·e₀ comes out (2/3, 0, 0) instead of (4/9, −2/9, −2/9)", "unreported",
    "import numpy as np, tensorflow as tf, keras\nx = tf.constant([1.0, 1.0, 1.0], tf.float64)\nwith tf.GradientTape() as t2:\n"
    "    t2.watch(x)\n    with tf.GradientTape() as t:\n        t.watch(x); m, v = keras.ops.moments(x, axes=[0]); s = m + v\n"
    "    g = t.gradient(s, x)\nprint(t2.gradient(g, x, output_gradients=tf.constant([1.0, 0.0, 0.0], tf.float64)))"
    "  # expected [0.444, -0.222, -0.222], got [0.667, 0, 0]",
    checks=("special_reverse_over_reverse", "special_forward_over_reverse", "special_reverse_over_forward",
            "special_forward_over_forward"),
    kind="wrong value", kind_why="the variance is smooth; its Hessian comes out 2/n·I instead of 2/n·P",
    related=("https://github.com/tensorflow/tensorflow/pull/19609",), searched=("moments variance stop_gradient mean second derivative hessian",), workaround=MOMENTS_WORKAROUND)
MOMENTS_SECOND_ORDER = KnownBug(
    "keras.ops.moments (and layer_normalization, built on it) is tf.nn.moments, whose variance is "
    "mean((x − stop_gradient(mean))²): right to first order (Σ(x − mean) = 0) but the Hessian of the variance "
    "loses its coupling term (2/n·I instead of 2/n·(I − 11ᵀ/n))", "unreported",
    _repro("x = tf.constant([0.5, -1.0, 2.0], tf.float64)", "with tf.GradientTape() as t2:", "    t2.watch(x)",
           "    with tf.GradientTape() as t:", "        t.watch(x); _, v = keras.ops.moments(x, axes=[0])",
           "    g = t.gradient(v, x)",
           "print(t2.jacobian(g, x))  # expected 2/3·(I − 1/3) (diagonal 4/9, off-diagonal −2/9), got 2/3·I"),
    checks=("reverse_over_reverse", "forward_over_reverse", "reverse_over_forward", "forward_over_forward"),
    kind="wrong value", kind_why="the variance is smooth; its Hessian comes out 2/n·I instead of 2/n·P",
    related=("https://github.com/tensorflow/tensorflow/pull/19609",), searched=("moments variance stop_gradient mean second derivative hessian",), workaround=MOMENTS_WORKAROUND)
LAYER_NORM_SECOND_ORDER = dataclasses.replace(
    MOMENTS_SECOND_ORDER, summary="keras.ops.layer_normalization takes mean and variance from keras.ops.moments, whose "
    "variance mean((x − stop_gradient(mean))²) is right to first order but loses the coupling term of its Hessian",
    workaround=LAYER_NORM_WORKAROUND)
NESTED_FORWARD_META = dict(
    summary="forward over forward through a segment op raises: the inner ForwardAccumulator transposes a backward function "
    "built on gather, whose gradient is an IndexedSlices, and the outer accumulator cannot pack it (AttributeError: "
    "'IndexedSlices' object has no attribute '_id')", issue="unreported",
    reproducer=_repro("x = tf.constant([0.5, -1.0, 2.0], tf.float64)",
           "with tf.autodiff.ForwardAccumulator(x, tf.ones_like(x)) as outer:",
           "    with tf.autodiff.ForwardAccumulator(x, tf.ones_like(x)) as inner:",
           "        y = tf.reduce_sum(keras.ops.segment_max(x, np.array([0, 0, 1])) ** 2)",
           "    jvp = inner.jvp(y)",
           "print(outer.jvp(jvp))  # expected d²/dt² [(0.5 + t)² + (2 + t)²] = 4, got AttributeError: 'IndexedSlices' object has no attribute '_id'"),
    checks=("forward_over_forward",),
    kind="mode failure", kind_why="forward over forward raises where the other three compositions give the second derivative",
    searched=("ForwardAccumulator IndexedSlices object has no attribute _id nested forward",))
NESTED_FORWARD_SUM = KnownBug(**NESTED_FORWARD_META, workaround=SEGMENT_SUM_WORKAROUND)
NESTED_FORWARD_MAX = KnownBug(**{**NESTED_FORWARD_META, "checks": ("forward_over_forward", "special_forward_over_forward")},
                              workaround=SEGMENT_MAX_WORKAROUND)
XLA_SORTED_SEGMENT = ("XLA cannot compile {}: sorted=True maps to it and it has no XLA_CPU_JIT kernel (the unsorted "
                      "variant compiles, but the atlas compiles all samples of an op in one function)")
NORMALIZE_ZERO_XLA = KnownBug(
    "keras.ops.normalize (order 2) is x·minimum(rsqrt(Σx²), 1/ε): at x = 0 rsqrt(0) = inf and Minimum sends the "
    "gradient to the constant 1/ε, so Rsqrt's gradient is 0·inf; TensorFlow's eager kernel returns 0 there, but "
    "under XLA it is NaN, and the whole gradient is NaN where 1/ε is right",
    "https://github.com/keras-team/keras/issues/23075",
    _repro("f = tf.function(keras.ops.normalize, jit_compile=True)",
           "x = tf.constant([0.0, 0.0, 0.0], tf.float64)", "with tf.GradientTape() as t:",
           "    t.watch(x); y = f(x)", "print(t.gradient(y, x))  # expected [1e7, 1e7, 1e7], got [nan, nan, nan]"),
    checks=("special_reverse",), modes=("xla",),
    kind="mode failure", kind_why="eager and tf.function give 1/ε; only XLA returns NaN",
    related=("https://github.com/keras-team/keras/pull/23093",), searched=("keras.ops.normalize gradient NaN zero vector XLA",),
    workaround=NORMALIZE_WORKAROUND)
SEGMENT_SUM_GAP = KnownBug(
    "keras.ops.segment_sum without num_segments infers it as the number of distinct ids (tf.unique), not "
    "max(id) + 1 as documented: ids with a gap ([0, 0, 2]) raise InvalidArgumentError (\"segment_ids[2] = 2 is "
    "out of range [0, 2)\"), so no value and no gradient exist", "unreported",
    _tape(["x = tf.constant([1.0, 2.0, 3.0], tf.float64)"], "keras.ops.segment_sum(x, np.array([0, 0, 2]))",
          "[1, 1, 1]", "InvalidArgumentError"),
    kind="missing gradient", kind_why="the documented function is linear in data; the call raises, so the tape has no gradient",
    related=("https://github.com/keras-team/keras/pull/22804",), searched=("segment_sum num_segments inferred unique ids out of range keras",), workaround=SEGMENT_SUM_WORKAROUND,
    checks=POINT_CHECKS + POINT_SECOND)


def _segment_max_empty(issue, call, label, related=()):
    return KnownBug(
        f"segment max with an empty segment ({label}): its gradient divides by the number of selected entries "
        "per segment, 0 for an empty one; reverse mode never gathers that entry, but forward mode (which "
        "transposes the backward function) turns 0/0 into a NaN JVP for the empty segment's constant output",
        issue,
        _repro("x = tf.constant([1.0, 2.0, 3.0], tf.float64)",
               "with tf.autodiff.ForwardAccumulator(x, tf.constant([0.0, 1.0, 0.0], tf.float64)) as acc:",
               f"    y = {call}", "print(acc.jvp(y))  # expected finite (0 for the empty segment), got nan"),
        checks=("special_forward",),
    kind="mode failure", kind_why="reverse mode gives the right gradient; forward mode returns NaN for the empty segment",
    related=related + ("https://github.com/tensorflow/tensorflow/pull/127449",),
    searched=("segment_max gradient empty segment NaN forward mode sorted segment ids",), workaround=SEGMENT_MAX_WORKAROUND)


SINC_WORKAROUND = Workaround('''import math
import tensorflow as tf


def sinc(x):
    """sin(πx)/(πx), with its Taylor polynomial 1 − t/6 + t²/120 − t³/5040 (t = (πx)²) for |x| < 1e-3: the quotient's
    gradient (πx·cos πx − sin πx)/(πx²) cancels catastrophically near 0 (and is 0/0 at 0), the polynomial's does not.
    The quotient gets a safe input where it is not used, so where's zero gradient never meets NaN."""
    small = tf.abs(x) < 1e-3
    xs = tf.where(small, tf.ones_like(x), x)
    t = tf.square(math.pi * x)
    taylor = 1 - t / 6 + t * t / 120 - t * t * t / 5040
    return tf.where(small, taylor, tf.sin(math.pi * xs) / (math.pi * xs))
''', "sinc")
SINC_ZERO = KnownBug(
    "keras.ops.sinc is where(x == 0, 1, sin(πx)/(πx)): the unselected branch's gradient at 0 is 0/0 = NaN and "
    "`where` multiplies it by 0, so reverse mode gives NaN where sinc'(0) = 0 (forward mode gives 0)",
    "https://github.com/tensorflow/tensorflow/issues/127226",
    _tape(["x = tf.constant(0.0, tf.float64)"], "keras.ops.sinc(x)", "0.0", "nan"), checks=("special_reverse",),
    kind="wrong value", kind_why="sinc is analytic at 0 with sinc'(0) = 0; reverse mode returns NaN",
    workaround=SINC_WORKAROUND,
    related=("https://github.com/tensorflow/tensorflow/pull/127478", "https://github.com/tensorflow/tensorflow/pull/127742"), searched=("keras.ops.sinc gradient NaN at zero tf.where",))
HYPOT_TIE = KnownBug(
    "keras.ops.hypot is max·sqrt(1 + (min/max)²) with max/min of |x1|, |x2|: at |x1| = |x2| Maximum and Minimum "
    "both send their gradient to x1, so the partials are (±√2, 0) instead of the smooth (x1, x2)/hypot", "unreported",
    _repro("x1, x2 = tf.constant(1.0, tf.float64), tf.constant(1.0, tf.float64)", "with tf.GradientTape() as t:",
           "    t.watch([x1, x2]); h = keras.ops.hypot(x1, x2)",
           "print(t.gradient(h, [x1, x2]))  # expected [0.7071, 0.7071], got [1.4142, 0.0]"),
    kind="wrong value", kind_why="hypot is smooth at |x1| = |x2| ≠ 0; TensorFlow returns (±√2, 0)",
    related=("https://github.com/tensorflow/tensorflow/issues/127230", "https://github.com/tensorflow/tensorflow/pull/127697"),
    searched=("hypot gradient equal magnitude abs(x) == abs(y) all gradient goes to x keras",
              "tf.keras.ops.numpy.hypot incorrect gradient when inputs have equal magnitude"), workaround=HYPOT_WORKAROUND,
    checks=POINT_CHECKS + POINT_SECOND)
LOGADDEXP_TIE = KnownBug(
    "keras.ops.logaddexp is maximum(x1, x2) + log1p(exp(-|x1 − x2|)): at x1 = x2 Maximum sends the whole gradient "
    "to x1 and Abs'(0) = 0 drops the correction, so the partials are (1, 0) instead of (1/2, 1/2)",
    "https://github.com/tensorflow/tensorflow/issues/127232",
    _repro("x1, x2 = tf.constant(0.0, tf.float64), tf.constant(0.0, tf.float64)", "with tf.GradientTape() as t:",
           "    t.watch([x1, x2]); y = keras.ops.logaddexp(x1, x2)",
           "print(t.gradient(y, [x1, x2]))  # expected [0.5, 0.5], got [1.0, 0.0]"),
    kind="wrong value", kind_why="logaddexp is smooth at x1 = x2; TensorFlow returns (1, 0)",
    related=("https://github.com/keras-team/keras/pull/23616", "https://github.com/tensorflow/tensorflow/pull/127741"),
    searched=("logaddexp gradient equal inputs maximum tie wrong gradient 1 0 instead of 0.5",), workaround=LOGADDEXP_WORKAROUND,
    checks=POINT_CHECKS + POINT_SECOND)
CBRT_ZERO = KnownBug(
    "keras.ops.cbrt is sign(x)·|x|^(1/3): at x = 0 Pow's gradient (1/3)·0^(-2/3) = inf meets Sign(0) = 0 and "
    "Abs'(0) = 0, giving NaN where the cube root's derivative is +inf from both sides", "unreported",
    _tape(["x = tf.constant(0.0, tf.float64)"], "keras.ops.cbrt(x)", "inf", "nan"),
    kind="convention", kind_why="the cube root has no finite derivative at 0 (+inf from both sides); TensorFlow returns NaN; JAX returns +inf (jax/_src/lax/lax.py: cbrt's JVP is g·(1/3)·ans⁻²); PyTorch not checked",
    searched=("cbrt gradient NaN at zero",))
FMOD_ZERO = KnownBug(
    "keras.ops.fmod is sign(x1)·floormod(|x1|, |x2|): at x1 = 0 Sign(0) = 0 kills the gradient, so "
    "∂fmod/∂x1 = 0 where fmod(x1, x2) = x1 for |x1| < |x2| has derivative 1", "unreported",
    _tape(["x = tf.constant(0.0, tf.float64)"], "keras.ops.fmod(x, tf.constant(2.0, tf.float64))", "1.0", "0.0"),
    kind="wrong value", kind_why="fmod(x1, x2) = x1 near x1 = 0 (|x1| < |x2|), slope 1; TensorFlow returns 0",
    searched=("keras.ops.fmod gradient zero at x1 = 0 sign floormod",), workaround=FMOD_WORKAROUND)
LDEXP_ZERO = KnownBug(
    "keras.ops.ldexp is where(isinf(x1) | (x1 == 0), x1, x1·2^x2): at x1 = 0 the identity branch is selected, so "
    "the derivative is 1 where x1·2^x2 has derivative 2^x2 everywhere", "https://github.com/tensorflow/tensorflow/issues/127244",
    _tape(["x = tf.constant(0.0, tf.float64)"], "keras.ops.ldexp(x, np.array(3))", "8.0", "1.0"),
    kind="wrong value", kind_why="x1·2ⁿ is linear in x1; at x1 = 0 TensorFlow returns 1 instead of 2ⁿ", related=("https://github.com/keras-team/keras/pull/23615",),
    searched=("keras.ops.ldexp gradient at zero returns 1 instead of 2**n",), workaround=LDEXP_WORKAROUND)

KERAS_ELU_TAIL = KnownBug(
    "keras.ops.elu(x, alpha ≠ 1) is where(x > 0, elu(x), α·elu(x)) on tf.nn.elu, whose EluGrad computes the derivative "
    "for x < 0 as upstream·(y + 1) with y = expm1(x): once eˣ < 2⁻⁵³ (x < −37) y + 1 cancels to 0, so α·eˣ, a normal "
    "float64 down to x = −707.7 for α = 1/2, comes out 0", "https://github.com/tensorflow/tensorflow/issues/124833",
    _tape(["x = tf.constant(-707.5, tf.float64)"], "keras.ops.elu(x, alpha=0.5)", "0.5·exp(-707.5) = 2.727e-308", "0.0"),
    checks=TAIL_CHECKS, kind="tail", kind_why="α·eˣ is a normal float64 at x = −707.5; EluGrad's y + 1 cancels it to 0",
    workaround=Workaround('''import tensorflow as tf


def elu(x, alpha=1.0):
    """keras.ops.elu with the negative branch α·expm1(x) written out: its derivative α·eˣ comes from Expm1's gradient
    exp(x), not from y + 1 (which cancels to 0 for x < −37)."""
    return tf.where(x > 0, x, alpha * tf.math.expm1(tf.minimum(x, tf.zeros_like(x))))
''', "elu"),
    related=("https://github.com/tensorflow/tensorflow/pull/124902",),
    searched=("elu gradient zero for large negative inputs EluGrad expm1 y + 1 underflow float64",))
SQUAREPLUS_WORKAROUND = Workaround('''import tensorflow as tf


def squareplus(x, b=4):
    """(x + √(x² + b))/2 without overflow or cancellation: for x > 1 as x/2·(1 + √(1 + b/x²)), for x < −1 as
    (b/2)·(1/|x|)/(1 + √(1 + b·(1/x)²)) (the same number, with no x + √(x² + b) to cancel and the derivative's factor 1/x²
    formed from 1/|x| directly), and the plain formula on [−1, 1]. Each branch gets a safe input where it is not used,
    so where's zero gradient never meets inf or NaN."""
    b = tf.cast(b, x.dtype)
    one = tf.ones_like(x)
    p = tf.where(x > 1, x, one)
    s = tf.where(x < -1, -x, one)
    m = tf.where(tf.abs(x) <= 1, x, tf.zeros_like(x))
    pos = p / 2 * (1 + tf.sqrt(1 + b * tf.square(tf.math.reciprocal(p))))  # b·(1/p)², not b/p²: p² = inf at max
    neg = b / 2 * tf.math.reciprocal(s) / (1 + tf.sqrt(1 + b * tf.square(tf.math.reciprocal(s))))
    mid = (m + tf.sqrt(tf.square(m) + b)) / 2
    return tf.where(x > 1, pos, tf.where(x < -1, neg, mid))
''', "squareplus")
SQUAREPLUS_TAIL = KnownBug(
    "keras.ops.squareplus is (x + sqrt(x² + b))/2: for x ≪ 0 the sum x + sqrt(x² + b) cancels (b/(4x²) is lost below "
    "x ≈ −1e8: the derivative, a normal float64 down to x = −6.7e153, comes out 0), and at |x| > 1.3e154 x² overflows, "
    "so at ±max the gradient x/sqrt(inf) − … is NaN where the derivative is 1 (x > 0) or 0 (x < 0)", "unreported",
    _tape(["x = tf.constant([-6.5e153, 1.7976931348623157e308], tf.float64)"], "keras.ops.squareplus(x)",
          "[2.367e-308, 1.0]", "[0.0, nan]"),
    checks=TAIL_CHECKS, kind="tail",
    kind_why="b/(4x²) is a normal float64 at x = −6.5e153 and the slope at +max is 1; cancellation gives 0 and overflow NaN",
    workaround=SQUAREPLUS_WORKAROUND,
    searched=("keras squareplus gradient NaN",))
SQUAREPLUS_OVERFLOW = KnownBug(
    "keras.ops.squareplus at x = −1e155: x² + b overflows to inf, so the value is x/2 + inf/2 = inf (it is 2e-155) and "
    "the reverse-mode derivative 1/2 + x/(2·inf) = 0.5 (forward mode NaN), where the derivative b/(4x²) = 1e-310 is a "
    "subnormal number", "unreported",
    _tape(["x = tf.constant(-1e155, tf.float64)"], "keras.ops.squareplus(x)", "1e-310 (subnormal)", "0.5"),
    checks=TAIL_CHECKS, kind="wrong value",
    kind_why="the derivative is 1e-310 (at most 0 after flush-to-zero); TensorFlow returns 0.5, the slope at +inf",
    no_workaround="the true derivative is subnormal, and TensorFlow's CPU kernels flush subnormal results to zero "
                  "(tensorflow#127905): the stable form (the workaround of the neighbouring tail bug) returns 0, not 1e-310",
    related=("https://github.com/tensorflow/tensorflow/issues/127905",), searched=("keras squareplus gradient NaN",))
SUBNORMAL_INPUT = ("TensorFlow's CPU kernels read a subnormal input as 0 (denormals-are-zero: x·2³⁰⁰ gives 0, log x "
                   "gives −inf, x > 0 is False, pow(x, 1/3) is 1.35e-108 instead of 4.6e-104), so no composition of "
                   "TensorFlow ops sees x = 1e-310 (tensorflow#127905)")
CBRT_SUBNORMAL = KnownBug(
    "keras.ops.cbrt is sign(x)·|x|^(1/3): at a subnormal x the CPU kernels treat x as 0 (denormals-are-zero), so "
    "Sign(x) and Abs's gradient sign(x) are 0 and value and derivative come out 0, where the derivative "
    "(1/3)·x^(−2/3) = 1.5e206 is representable", "https://github.com/tensorflow/tensorflow/issues/127905",
    _tape(["x = tf.constant(1e-310, tf.float64)"], "keras.ops.cbrt(x)", "1.547e206", "0.0"),
    checks=TAIL_CHECKS, kind="tail",
    kind_why="(1/3)·x^(−2/3) = 1.5e206 at x = 1e-310 is a normal float64; Sign of the subnormal input is 0",
    no_workaround=SUBNORMAL_INPUT,
    related=("https://github.com/tensorflow/tensorflow/issues/62399",),
    searched=("float64 gradient subnormal returns 0 ScopedFlushDenormal denormals-are-zero eager tf.function XLA",))
KERAS_SINC_SMALL = KnownBug(
    "keras.ops.sinc's gradient near 0 is the quotient rule (πx·cos πx − sin πx)/(πx²), whose numerator −(πx)³/3 is "
    "the difference of two numbers of size πx: relative error ε/(πx)², so 1e-4 wrong at x = 1e-6, 30% at x = 1e-8, and "
    "0 (−inf under XLA) at x = 1e-300, where the derivative −π²x/3 is a normal float64", "unreported",
    _tape(["x = tf.constant(1e-8, tf.float64)"], "keras.ops.sinc(x)", "-π²·1e-8/3 = -3.2899e-08", "-2.34e-08"),
    checks=TAIL_CHECKS, kind="tail",
    kind_why="sinc'(x) = −π²x/3 + O(x³) is representable near 0; the quotient-rule gradient cancels to 0 or garbage",
    workaround=SINC_WORKAROUND,
    searched=("sinc gradient inaccurate near zero catastrophic cancellation small x",))


NORM_L1_KINK = KnownBug(
    "keras.ops.norm(ord=1) is pow(Σ pow(|x|, 1), 1): at a zero entry the second derivative of pow(|x|, 1), "
    "1·0·|x|^(−1) = 0·inf, is NaN where ‖x‖₁ is piecewise linear (both one-sided second derivatives 0)", "unreported",
    _repro("x = tf.constant([0.0, 2.0], tf.float64)", "with tf.GradientTape() as t2:", "    t2.watch(x)",
           "    with tf.GradientTape() as t:", "        t.watch(x); n = keras.ops.norm(x, ord=1)", "    g = t.gradient(n, x)",
           "print(t2.gradient(g, x))  # expected [0, 0] (piecewise linear), got [nan, 0]"),
    checks=POINT_SECOND, kind="convention",
    kind_why="‖x‖₁ has no second derivative at a zero entry; TensorFlow returns NaN where both one-sided ones are 0; "
             "PyTorch and JAX not checked",
    searched=("keras.ops.normalize gradient NaN zero vector XLA",))
NORMALIZE_ZERO_SECOND = KnownBug(
    "keras.ops.normalize at x = 0 is x/ε (linear, every higher derivative 0), but its second and third derivatives through "
    "reverse mode are NaN: the unselected rsqrt(Σx²) = inf (order 2) or pow(|x|, 1)'s 0·|x|^(−1) (order 1) enters the "
    "derivative of the first derivative (forward over forward is right)", "unreported",
    _repro("x = tf.constant([0.0, 0.0, 0.0], tf.float64)", "with tf.GradientTape() as t2:", "    t2.watch(x)",
           "    with tf.GradientTape() as t:", "        t.watch(x); y = keras.ops.normalize(x)", "    g = t.gradient(y, x)",
           "print(t2.gradient(g, x))  # expected [0, 0, 0], got [nan, nan, nan]"),
    checks=("special_reverse_over_reverse", "special_forward_over_reverse", "special_reverse_over_forward", "special_third"),
    kind="wrong value", kind_why="x/ε is linear near 0, so its Hessian is 0; TensorFlow returns NaN",
    related=("https://github.com/keras-team/keras/issues/23075", "https://github.com/keras-team/keras/pull/23093"),
    searched=("keras.ops.normalize gradient NaN zero vector XLA",), workaround=NORMALIZE_WORKAROUND)
SINC_ZERO_SECOND = KnownBug(
    "keras.ops.sinc's second and third derivatives at 0 are NaN in every composition: where(x == 0, 1, sin(πx)/(πx)) "
    "differentiates the unselected quotient at 0/0", "https://github.com/tensorflow/tensorflow/issues/127226",
    _repro("x = tf.constant(0.0, tf.float64)", "with tf.GradientTape() as t2:", "    t2.watch(x)",
           "    with tf.GradientTape() as t:", "        t.watch(x); y = keras.ops.sinc(x)", "    g = t.gradient(y, x)",
           "print(t2.gradient(g, x))  # expected -pi**2/3 = -3.2899, got nan"),
    checks=POINT_SECOND + ("special_third",), kind="wrong value",
    kind_why="sinc is analytic at 0 (sinc'' = −π²/3, sinc‴ = 0); TensorFlow returns NaN",
    related=("https://github.com/tensorflow/tensorflow/pull/127478",), searched=("keras.ops.sinc gradient NaN at zero tf.where",),
    workaround=SINC_WORKAROUND)
HYPOT_ZERO_SECOND = KnownBug(
    "keras.ops.hypot is max·sqrt(1 + (min/max)²): where one component is 0, min/max = 0 and the Hessian's (I − uuᵀ)/r comes "
    "out 0 for the zero component (the min/max quotient's second derivative is lost)", "https://github.com/tensorflow/tensorflow/issues/127230",
    _repro("x, y = tf.constant(0.0, tf.float64), tf.constant(2.0, tf.float64)", "with tf.GradientTape() as t2:", "    t2.watch(x)",
           "    with tf.GradientTape() as t:", "        t.watch(x); h = keras.ops.hypot(x, y)", "    g = t.gradient(h, x)",
           "print(t2.gradient(g, x))  # expected 1/hypot = 0.5, got 0.0"),
    checks=POINT_SECOND, kind="wrong value", kind_why="hypot is smooth at (0, 2) with ∂²/∂x² = 1/2; TensorFlow returns 0",
    related=("https://github.com/tensorflow/tensorflow/pull/127697",),
    searched=("tf.keras.ops.numpy.hypot incorrect gradient when inputs have equal magnitude",), workaround=HYPOT_WORKAROUND)

# ------------------------------------------------------------------------------------------- helpers

HS_DOMAIN = Domain(-5.0, 5.0, "x ≠ ±3 (kinks)", avoid=(-3.0, 3.0))
SPARSE_PLUS_DOMAIN = Domain(-2.5, 2.5, "x ≠ ±1 (pieces join)", avoid=(-1.0, 1.0))
SHRINK_DOMAIN = Domain(-2.0, 2.0, "|x| ≠ threshold (0.5 or 1: kinks)", avoid=(-1.0, -0.5, 0.5, 1.0))

# sparsemax samples chosen by hand: support sizes 1, 2 and 3, every entry at least 0.1 from its threshold
SPARSEMAX_SAMPLES = [
    Sample((as_f32_exact([0.1, 0.5, 0.2]),), {}, "3 (support 3)"),
    Sample((as_f32_exact([[1.5, 0.25, -0.5], [0.3, 0.9, -1.0]]),), {}, "2x3 axis=-1"),
    Sample((as_f32_exact([[0.4, 2.0], [-0.3, 0.1], [1.2, -0.7]]),), {"axis": 0}, "3x2 axis=0"),
]

# fmod samples: x1/x2 at least 0.06 from an integer (fmod jumps there)
FMOD_SAMPLES = [
    Sample((as_f32_exact(0.7), as_f32_exact(1.3)), {}, "scalar with scalar"),
    Sample((as_f32_exact([0.3, -0.4, 1.7, -2.5]), as_f32_exact([1.0, 0.9, 1.1, 1.2])), {}, "4 with 4"),
    Sample((as_f32_exact([[0.35], [-1.45], [2.2]]), as_f32_exact([0.8, 1.15, -0.9, 1.6])), {}, "3x1 with 4"),
]


def _distribution(name, shape, salt=""):
    """Rows summing to 1 along the last axis (soft labels), float32-exact up to rounding of the sum."""
    raw = draw(name, shape, domain=PROBABILITY, salt=salt + "dist")[0]
    return as_f32_exact(raw / raw.sum(axis=-1, keepdims=True))


def _attention_point():
    """q = 0: uniform attention over S = 3 keys with scale 1/2; closed form below."""
    q = np.zeros((1, 2, 1, 2))
    k = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]]).reshape(1, 3, 1, 2)
    v = np.array([[1.0, 2.0], [0.0, 1.0], [3.0, -1.0]]).reshape(1, 3, 1, 2)
    w = v.reshape(3, 2).sum(axis=1)  # Σ_h v_sh = [3, 1, 2]
    dq_t = 0.5 * ((w - w.mean())[:, None] * k.reshape(3, 2)).mean(axis=0)  # scale · Σ_s p_s (w_s − w̄) k_s
    dq = np.broadcast_to(dq_t, (1, 2, 1, 2))
    return point("q=0 (uniform attention), scale=0.5", [q, k, v], [dq, np.zeros_like(k), np.full_like(v, 2 / 3)],
                 "Σ out = Σ_t Σ_s p_ts w_s with w_s = Σ_h v_sh and p uniform (1/3): ∂/∂v = T/S = 2/3; ∂/∂k ∝ q = 0; "
                 "∂/∂q_t = scale·Σ_s p_s (w_s − w̄) k_s = (1/6, −1/6)", scale=0.5,
                 second=hvp([dq, np.zeros_like(k), np.zeros_like(v)], "out is linear in v, so with the tangent (0, 0, V) (V = the values) H·v = (∂/∂q, ∂/∂k, ∂/∂v) of ⟨∇_v Σout, V⟩ = Σ_t Σ_s p_ts w_s, the loss itself with w_s = Σ_h V_sh: its q-gradient is the first-order one above, its k-gradient ∝ q = 0, and it is linear in v", v=(np.zeros_like(q), np.zeros_like(k), v)))


CCE_H_WHY = "L = −Σ t_i·log p_i + (Σt)·log Σp: H = diag(t_i/p_i²) − (Σt)/(Σp)²·11ᵀ."
HYPOT_H_WHY = "∇²‖(x, y)‖ = (I − uuᵀ)/r with u = (x, y)/r:"
LSE_H_WHY = "log(e^x1 + e^x2): H = p(1 − p)·[[1, −1], [−1, 1]] with p = σ(x1 − x2), so H·1 = 0 and v = (1, 0) gives p(1 − p)·(1, −1);"

OPS = [
    unary("keras.ops.hard_sigmoid", ko.hard_sigmoid, HS_DOMAIN, [
        point("x=0", [0.0], [1 / 6], "relu6(x + 3)/6 has slope 1/6 on (−3, 3)",
              second=hvp([0.0], "relu6(x + 3)/6 is linear on (−3, 3): 0")),
        point("x=-3", [-3.0], [between(0, 1 / 6)], "kink: left derivative 0, right 1/6",
              second=hvp([0.0], "hard_sigmoid at −3: the first derivative jumps, so the second does not exist; both one-sided second derivatives are 0 (linear pieces), and 0 is asserted", exists=False)),
        point("x=3", [3.0], [between(0, 1 / 6)], "kink: left derivative 1/6, right 0",
              second=hvp([0.0], "hard_sigmoid at 3: the first derivative jumps, so the second does not exist; both one-sided second derivatives are 0 (linear pieces), and 0 is asserted", exists=False)),
    ], keras=True, tails=[
        tail("x=smallest normal", [TINY], [1 / 6], "slope 1/6 on (−3, 3), the smallest normal float64 included"),
        tail("x=±max", [[MAX, -MAX]], [[0.0, 0.0]], "constant (1 or 0) outside [−3, 3], up to the largest float"),
    ]),
    unary("keras.ops.hard_silu", ko.hard_silu, HS_DOMAIN, [
        point("x=0", [0.0], [0.5], "x(x + 3)/6 on (−3, 3): derivative (2x + 3)/6 = 1/2 at 0",
              second=hvp([1 / 3], "(x(x + 3)/6)'' = 1/3 on (−3, 3)")),
        point("x=-3", [-3.0], [between(-0.5, 0)], "kink: left derivative 0, right (2·(−3) + 3)/6 = −1/2",
              second=hvp([between(0, 1 / 3)], "hard_silu is 0 left of −3 and x(x + 3)/6 right of it: the first derivative jumps (0 to −1/2), so the second does not exist; a value between the one-sided 0 and 1/3 is asserted", exists=False)),
        point("x=3", [3.0], [between(1, 1.5)], "kink: left derivative (2·3 + 3)/6 = 3/2, right 1",
              second=hvp([between(0, 1 / 3)], "x(x + 3)/6 left of 3, x right of it: the first derivative jumps (3/2 to 1), so the second does not exist; a value between the one-sided 1/3 and 0 is asserted", exists=False)),
    ], keras=True, tails=[
        tail("x=smallest normal", [TINY], [0.5], "(2x + 3)/6 = 1/2 at the smallest normal float64"),
        tail("x=±max", [[MAX, -MAX]], [[1.0, 0.0]], "x for x > 3 (slope 1), 0 for x < −3, up to the largest float"),
    ]),
    unary_kw("keras.ops.elu", ko.elu, REAL_NONZERO, [{"alpha": 0.5}, {"alpha": 0.5}, {"alpha": 2.0}], [
        point("x=-1,alpha=0.5", [-1.0], [0.5 * np.exp(-1.0)], "α(eˣ − 1) for x < 0: derivative αeˣ", alpha=0.5,
              second=hvp([0.5 * np.exp(-1.0)], "(α(eˣ − 1))'' = αeˣ")),
        point("x=0,alpha=0.5", [0.0], [between(0.5, 1)], "kink for α ≠ 1: left derivative α = 0.5, right 1", alpha=0.5,
              second=hvp([between(0, 0.5)], "the slope jumps from α to 1 at 0, so the second derivative does not exist; a value between the one-sided α·e⁰ = 0.5 and 0 is asserted", exists=False)),
        point("x=0,alpha=2", [0.0], [between(1, 2)], "kink: right derivative 1, left α = 2", alpha=2.0,
              second=hvp([between(0, 2)], "the slope jumps from α = 2 to 1: no second derivative; a value between the one-sided 2 and 0 is asserted", exists=False)),
    ], tails=[
        tail("x=-707.5 alpha=0.5 (last normal f')", [-707.5], [0.5 * math.exp(-707.5)],
             "α·eˣ = 2.7e-308, a normal float64 (α·e^−707.8 is subnormal)", bug=KERAS_ELU_TAIL, alpha=0.5),
        tail("x=-740 alpha=0.5 (subnormal f')", [-740.0], [0.5 * math.exp(-740.0)], "α·e^−740 = 2.1e-322, subnormal",
             bug=FLUSH_TO_ZERO, alpha=0.5),
        tail("x=max alpha=0.5", [MAX], [1.0], "slope 1 for x > 0 up to the largest float", alpha=0.5),
    ]),
    unary_kw("keras.ops.celu", ko.celu, REAL_NONZERO, [{}, {"alpha": 0.5}, {"alpha": 2.0}], [
        point("x=0", [0.0], [1.0], "celu = max(0, x) + α·expm1(min(0, x)/α) is C¹: derivative 1 from both sides",
              bug=CELU_ZERO,
              second=hvp([between(0, 1)], "celu is C¹ at 0 but celu'' is e^(x/α)/α = 1 on the left and 0 on the right (α = 1): it does not exist; a value between is asserted", exists=False)),
        point("x=0,alpha=0.5", [0.0], [1.0], "C¹ at 0 for every α: e^(0/α) = 1 on the left, 1 on the right",
              bug=CELU_ZERO, alpha=0.5,
              second=hvp([between(0, 2)], "celu'' is 1/α = 2 on the left of 0 and 0 on the right: it does not exist; a value between is asserted", exists=False)),
        point("x=-1", [-1.0], [np.exp(-1.0)], "derivative e^(x/α) = e⁻¹ for x < 0, α = 1",
              second=hvp([np.exp(-1.0)], "celu'' = e^(x/α)/α = e⁻¹ (α = 1)")),
    ], tails=[
        tail("x=-708 (last normal f')", [-708.0], [math.exp(-708.0)], "e^(x/α) = e^−708 = 3.3e-308 (α = 1), a normal float64"),
        tail("x=-740 (subnormal f')", [-740.0], [math.exp(-740.0)], "e^−740 = 4.2e-322, subnormal",
             bug=FLUSH_TO_ZERO),
        tail("x=max", [MAX], [1.0], "slope 1 for x > 0 up to the largest float"),
    ]),
    unary("keras.ops.sparse_plus", ko.sparse_plus, SPARSE_PLUS_DOMAIN, [
        point("x=0", [0.0], [0.5], "(x + 1)²/4 on (−1, 1): derivative (x + 1)/2",
              second=hvp([0.5], "((x + 1)²/4)'' = 1/2")),
        point("x=-1", [-1.0], [0.0], "C¹ join: 0 on the left, (x + 1)/2 = 0 on the right",
              second=hvp([between(0, 0.5)], "sparse_plus'' is 0 left of −1 and 1/2 right of it: it does not exist there; a value between is asserted", exists=False)),
        point("x=1", [1.0], [1.0], "C¹ join: (x + 1)/2 = 1 on the left, 1 on the right",
              second=hvp([between(0, 0.5)], "sparse_plus'' is 1/2 left of 1 and 0 right of it: it does not exist there; a value between is asserted", exists=False)),
    ], keras=True, tails=[
        tail("x=smallest normal", [TINY], [0.5], "(x + 1)/2 = 1/2 at the smallest normal float64"),
        tail("x=±max", [[MAX, -MAX]], [[1.0, 0.0]], "x for x ≥ 1, 0 for x ≤ −1, up to the largest float"),
    ]),
    unary_kw("keras.ops.squareplus", ko.squareplus, REAL, [{}, {"b": 1.0}, {"b": 0.25}], [
        point("x=0", [0.0], [0.5], "(x + √(x² + b))/2: derivative (1 + x/√(x² + b))/2 = 1/2 at 0",
              second=hvp([0.25], "squareplus'' = b/(2(x² + b)^(3/2)) = 4/(2·8) at 0 (b = 4)")),
        point("x=0,b=0", [0.0], [between(0, 1)], "b = 0 is the limit where squareplus = relu: subgradients [0, 1] at 0",
              bug=SQUAREPLUS_B0, b=0.0,
              second=hvp([0.0], "b = 0 is relu: the slope jumps at 0, so no second derivative; both one-sided second derivatives are 0, and 0 is asserted", exists=False)),
        point("x=3,b=0", [3.0], [1.0], "relu for b = 0: derivative 1 for x > 0", b=0.0,
              second=hvp([0.0], "relu for b = 0: linear for x > 0")),
    ], tails=[
        tail("x=-6.5e153 (last normal f')", [-6.5e153], [2.0 / (6.5e153 * 1.3e154)],
             "f' = (1 + x/r)/2 = b/(2r(r − x)) for x < 0 (r = √(x² + b), b = 4) = 2/(6.5e153·1.3e154) = 2.4e-308, a normal "
             "float64 (b/(4x²) is subnormal below x = −6.7e153)", bug=SQUAREPLUS_TAIL),
        tail("x=-1e155 (subnormal f')", [-1e155], [(2.0 / 1e155) / 2e155], "b/(2r(r − x)) = 2/(1e155·2e155) = 1e-310, subnormal",
             bug=SQUAREPLUS_OVERFLOW),
        tail("x=±max", [[MAX, -MAX]], [[1.0, 0.0]], "(1 + x/r)/2 → 1 as x → +∞; b/(4x²) = 1/max² underflows to 0 at −max",
             bug=SQUAREPLUS_TAIL),
    ]),
    op("keras.ops.sparsemax", ko.sparsemax, SPARSEMAX_SAMPLES, domain="all reals, away from the support's edges",
       points=[
           point("support of 3", [[0.1, 0.5, 0.2]], [[0.0, 0.0, 0.0]],
                 "sparsemax is the projection onto the probability simplex: Σ sparsemax ≡ 1, so its gradient is 0",
                 bug=SPARSEMAX_TAU,
              second=hvp([np.zeros(3)], "Σ sparsemax ≡ 1: H = 0 (sparsemax is piecewise linear, so this holds for the computed function too)")),
           point("support of 1", [[0.0, 3.0, 0.5]], [[0.0, 0.0, 0.0]], "Σ sparsemax ≡ 1 (output (0, 1, 0) here)",
              second=hvp([np.zeros(3)], "Σ sparsemax ≡ 1: H = 0")),
           point("size-1 axis", [[[0.3], [-1.0]]], [np.zeros((2, 1))], "the projection of one value onto the simplex is 1: derivative 0",
              second=hvp([np.zeros((2, 1))], "the output is constant: 0")),
       ], keras=True),
    unary_kw("keras.ops.soft_shrink", ko.soft_shrink, SHRINK_DOMAIN, [{}, {}, {"threshold": 1.0}], [
        point("x=0", [0.0], [0.0], "0 on (−t, t)",
              second=hvp([0.0], "0 on (−t, t)")),
        point("x=0.5", [0.5], [between(0, 1)], "kink at the threshold: 0 inside, 1 outside",
              second=hvp([0.0], "soft_shrink at the threshold: the first derivative jumps, so the second does not exist; both one-sided second derivatives are 0 (linear pieces), and 0 is asserted", exists=False)),
        point("x=-0.5", [-0.5], [between(0, 1)], "kink at −threshold",
              second=hvp([0.0], "soft_shrink at −threshold: the first derivative jumps, so the second does not exist; both one-sided second derivatives are 0 (linear pieces), and 0 is asserted", exists=False)),
        point("x=1.5", [1.5], [1.0], "x − t outside: derivative 1",
              second=hvp([0.0], "x − t is linear")),
    ], tails=[
        tail("x=±max", [[MAX, -MAX]], [[1.0, 1.0]], "x ∓ t outside (−t, t): slope 1 up to the largest float"),
    ]),
    op("keras.ops.softmax", ko.softmax, [
        Sample(tuple(draw("softmax", (4,))), {}, "4"),
        Sample(tuple(draw("softmax", (2, 3), salt="n")), {"axis": None}, "2x3 axis=None (all entries)"),
        Sample(tuple(draw("softmax", (3, 2), salt="0")), {"axis": 0}, "3x2 axis=0"),
    ], points=[
        point("axis=None", [[[1.0, 2.0], [3.0, 4.0]]], [np.zeros((2, 2))], "Σ softmax ≡ 1 over all entries: gradient 0",
              axis=None,
              second=hvp([np.zeros((2, 2))], "Σ softmax ≡ 1: H = 0", v=([[1.0, 0.0], [0.0, 0.0]],))),
        point("tie", [[1.0, 1.0]], [[0.0, 0.0]], "Σ softmax ≡ 1: gradient 0",
              second=hvp([np.zeros(2)], "Σ softmax ≡ 1: H = 0", v=([1.0, 0.0],))),
        point("size-1 axis", [[[0.5], [-2.0]]], [np.zeros((2, 1))], "softmax over one entry is 1 for every input: derivative 0",
              second=hvp([np.zeros((2, 1))], "the output is constant: 0")),
        point("zero-size batch", [np.zeros((0, 3))], [np.zeros((0, 3))], "a 0x3 batch: Σ over the empty output is 0 for every input",
              second=hvp([np.zeros((0, 3))], "an empty input: the empty Hessian-vector product")),
    ], keras=True),
    op("keras.ops.norm", ko.norm, [
        Sample(tuple(draw("norm", (7,))), {}, "7 ord=None"),
        Sample(tuple(draw("norm", (2, 3), domain=REAL_NONZERO, salt="1")), {"ord": 1, "axis": 1}, "2x3 ord=1 axis=1"),
        Sample((distinct("norm", (5,), salt="inf"),), {"ord": np.inf}, "5 ord=inf"),
        Sample(tuple(draw("norm", (4,), domain=REAL_NONZERO, salt="3")), {"ord": 3, "keepdims": True}, "4 ord=3 keepdims"),
        Sample(tuple(draw("norm", (3, 5), salt="fro")), {"ord": "fro", "axis": (0, 1)}, "3x5 ord=fro axis=(0,1)"),
        Sample(tuple(draw("norm", (3, 2), salt="2")), {"ord": 2, "axis": (0, 1)}, "3x2 ord=2 (spectral) axis=(0,1)"),
    ], points=[
        point("x=[3,4]", [[3.0, 4.0]], [[0.6, 0.8]], "∂‖x‖₂/∂x = x/‖x‖₂",
              second=hvp([[0.032, -0.024]], "∇²‖x‖ = (I − uuᵀ)/r with u = x/r = (0.6, 0.8), r = 5: H·1 = (1 − 1.4·u)/5")),
        point("zero vector", [[0.0, 0.0]], [between(-1, 1)],
              "‖·‖₂ at 0: subdifferential is the unit ball, entries in [−1, 1]", bug=NORM_ZERO,
              second=hvp([None], "‖x‖ is not twice differentiable at 0 (its Hessian (I − uuᵀ)/r is unbounded as r → 0): nothing is asserted", exists=False)),
        point("zero vector ord=3", [[0.0, 0.0]], [between(-1, 1)],
              "a p-norm at 0: subgradients form the dual-norm unit ball, entries in [−1, 1]", bug=NORM_ZERO, ord=3,
              second=hvp([None], "a p-norm is not twice differentiable at 0 (its Hessian grows like 1/r): nothing is asserted", exists=False)),
        point("empty vector", [np.zeros(0)], [np.zeros(0)], "the norm of an empty vector is 0 for every input: an empty gradient",
              second=hvp([np.zeros(0)], "an empty input: the empty Hessian-vector product")),
        point("size-1 axis", [[[3.0], [-2.0]]], [[[1.0], [-1.0]]], "‖x‖ along a length-1 axis is |x|: derivative sign(x) away from 0",
              axis=1, second=hvp([np.zeros((2, 1))], "|x| is linear near ±3, ±2: 0")),
        point("ord=1 with a zero", [[0.0, 2.0]], [between([-1, 1], [1, 1])], "∂|x|: [−1, 1] at 0, sign elsewhere", ord=1,
              second=hvp([[0.0, 0.0]], "‖x‖₁ is piecewise linear: at the kink x₀ = 0 the second derivative does not exist, both one-sided ones are 0, and 0 is asserted", exists=False, bug=NORM_L1_KINK)),
        point("ord=inf tie", [[1.0, -1.0, 0.5]], [between([0, -1, 0], [1, 0, 0])],
              "max |x_i| over the tie {1, −1}: convex combinations of e₀ and −e₁", ord=np.inf,
              second=hvp([np.zeros(3)], "max |x_i| is piecewise linear: no second derivative at the tie, 0 on every piece, and 0 is asserted", exists=False)),
    ], keras=True),
    op("keras.ops.normalize", ko.normalize, [
        Sample(tuple(draw("normalize", (4,))), {}, "4 order=2"),
        Sample(tuple(draw("normalize", (2, 3), salt="0")), {"axis": 0}, "2x3 axis=0"),
        Sample(tuple(draw("normalize", (2, 3), domain=REAL_NONZERO, salt="1")), {"order": 1}, "2x3 order=1"),
    ], points=[
        point("x=[3,4]", [[3.0, 4.0]], [[0.2 - 21 / 125, 0.2 - 28 / 125]],
              "∂/∂x_j Σ_i x_i/r = 1/r − (Σx) x_j/r³ with r = 5, Σx = 7",
              second=hvp([[-0.01888, 0.01216]], "Σx/r: H = −(x1ᵀ + 1xᵀ)/r³ − S·I/r³ + 3S·xxᵀ/r⁵ (S = 7, r = 5, n = 2), H·1 = −(n·x + 2S·1)/r³ + 3S²·x/r⁵")),
        point("zero vector", [[0.0, 0.0, 0.0]], [np.full(3, 1e7)],
              "normalize = x/max(‖x‖, ε) (documented: ε is a lower bound of the norm): x/ε near 0, derivative 1/ε = 1e7",
              bug=NORMALIZE_ZERO_XLA,
              second=hvp([np.zeros(3)], "x/ε is linear near 0: H = 0", bug=NORMALIZE_ZERO_SECOND),
              third=hvp([np.zeros(3)], "x/ε is linear near 0: every higher derivative is 0 (the rsqrt of Σx² is never used there)",
                        bug=NORMALIZE_ZERO_SECOND)),
        point("size-1 axis", [[[3.0], [-2.0]]], [np.zeros((2, 1))], "x/|x| along a length-1 axis is sign(x): derivative 0 away from 0",
              axis=1, second=hvp([np.zeros((2, 1))], "sign(x) is constant near ±3, ±2: 0")),
        point("zero vector order=1", [[0.0, 0.0, 0.0]], [np.full(3, 1e7)], "x/max(‖x‖₁, ε) = x/ε near 0", order=1,
              second=hvp([np.zeros(3)], "x/ε is linear near 0: H = 0", bug=NORMALIZE_ZERO_SECOND),
              third=hvp([np.zeros(3)], "x/ε is linear near 0: every higher derivative is 0 (the rsqrt of Σx² is never used there)",
                        bug=NORMALIZE_ZERO_SECOND)),
    ], keras=True),
    op("keras.ops.rms_normalization", ko.rms_normalization, [
        Sample(tuple(draw("rms", (2, 4), (4,))), {}, "2x4 scale 4"),
        Sample(tuple(draw("rms", (5,), (5,), salt="v")), {}, "5 scale 5"),
        Sample(tuple(draw("rms", (3, 2), (3, 1), salt="0")), {"axis": 0}, "3x2 axis=0 scale 3x1"),
    ], diff=(0, 1), domain="all reals", points=[
        point("x=0", [np.zeros(3), [1.0, 2.0, 3.0]], [np.array([1.0, 2.0, 3.0]) / SQRT_EPS, np.zeros(3)],
              "x·scale/√(mean x² + ε): at x = 0 the factor is 1/√ε and its own derivative ∝ x vanishes",
              second=hvp([np.full(3, 1 / SQRT_EPS), np.full(3, 1 / SQRT_EPS)], "f = Σ x·s/√(mean x² + ε): every second partial but ∂²/∂x_j∂s_j = 1/√ε carries a factor x = 0, so H·(1, 1) = (1/√ε, 1/√ε) per entry")),
    ], keras=True),
    op("keras.ops.layer_normalization", ko.layer_normalization, [
        Sample(tuple(draw("ln", (2, 4), (4,), (4,))), {}, "2x4 gamma 4 beta 4"),
        Sample(tuple(draw("ln", (2, 3), (3,), (3,), salt="e")), {"epsilon": 0.1}, "2x3 epsilon=0.1"),
        Sample(tuple(draw("ln", (3, 2), (3,), (3,), salt="0")), {"axis": 0}, "3x2 axis=0 gamma 3 beta 3"),
    ], diff=(0, 1, 2), domain="all reals", bugs=(LAYER_NORM_SECOND_ORDER,), points=[
        point("constant row", [[1.0, 1.0, 1.0], [1.0, 2.0, 3.0], [0.0, 0.0, 0.0]],
              [(np.array([1.0, 2.0, 3.0]) - 2.0) / SQRT_EPS, np.zeros(3), np.ones(3)],
              "out = γ(x − mean)/√(var + ε) + β: at a constant row ∂Σout/∂x = (γ − mean γ)/√ε (the variance's "
              "derivative ∝ x − mean = 0), ∂/∂γ = (x − mean)/√ε = 0, ∂/∂β = 1",
              second=hvp([np.array([2.0, -1.0, -1.0]) / 3 / SQRT_EPS, np.array([2.0, -1.0, -1.0]) / 3 / SQRT_EPS, np.zeros(3)], "f = γᵀPx/√(var + ε) + Σβ (P = I − 11ᵀ/n): at Px = 0 the only nonzero block is ∂²f/∂x∂γ = P/√ε, so H·(e₀, e₀, 0) = (Pe₀, Pe₀, 0)/√ε with Pe₀ = (2, −1, −1)/3", v=([1.0, 0.0, 0.0], [1.0, 0.0, 0.0], [0.0, 0.0, 0.0]))),
        point("size-1 axis", [[[1.5], [-2.0]], [0.7], [0.25]], [np.zeros((2, 1)), [0.0], [2.0]],
              "normalising over one value: x − mean ≡ 0, so out = β for every x and γ, and Σ out = 2β over the two rows",
              second=hvp([np.zeros((2, 1)), [0.0], [0.0]], "Σ out = 2β is linear: H = 0")),
    ], keras=True),
    op("keras.ops.moments", ko.moments, [
        Sample(tuple(draw("moments", (2, 3))), {"axes": [0]}, "2x3 axes=[0]"),
        Sample(tuple(draw("moments", (2, 3), salt="k")), {"axes": [0, 1], "keepdims": True}, "2x3 axes=[0,1] keepdims"),
        Sample(tuple(draw("moments", (4,), salt="v")), {"axes": [0]}, "4 axes=[0]"),
    ], bugs=(MOMENTS_SECOND_ORDER,), points=[
        point("constant vector", [[1.0, 1.0, 1.0]], [np.full(3, 1 / 3)],
              "∂mean/∂x = 1/n; ∂var/∂x = 2(x − mean)/n = 0 at a constant vector", axes=[0],
              second=hvp([[4 / 9, -2 / 9, -2 / 9]], "mean is linear; var = ‖Px‖²/n has Hessian 2P/n (P = I − 11ᵀ/n): H·e₀ = (2/3)·(2/3, −1/3, −1/3)", v=([1.0, 0.0, 0.0],), bug=MOMENTS_AT_POINT)),
        point("size-1 axis", [[[2.0], [3.0]]], [np.ones((2, 1))], "over one value: mean = x, var ≡ 0", axes=[1],
              second=hvp([np.zeros((2, 1))], "mean = x and var ≡ 0 over one value: H = 0", bug=MOMENTS_AT_POINT)),
    ], keras=True),
    op("keras.ops.binary_crossentropy", ko.binary_crossentropy, [
        Sample((draw("bce", (4,), domain=PROBABILITY)[0], draw("bce", (4,), domain=PROBABILITY, salt="p")[0]), {},
               "4 from probabilities"),
        Sample((draw("bce", (2, 3), domain=PROBABILITY, salt="t")[0], draw("bce", (2, 3), salt="z")[0]),
               {"from_logits": True}, "2x3 from_logits=True"),
    ], diff=(0, 1), domain="target in [0, 1]; output in (0, 1) (or any logit)", points=[
        point("p=0.5,t=0.25", [[0.25], [0.5]], [[0.0], [1.0]],
              "∂/∂p = −t/p + (1 − t)/(1 − p) = −0.5 + 1.5; ∂/∂t = −log p + log(1 − p) = 0",
              second=hvp([[-8.0], [4.0]], "L = −t·log p − (1 − t)·log(1 − p): H_tt = 0, H_tp = −1/p − 1/(1 − p) = −4, H_pp = t/p² + (1 − t)/(1 − p)² = 4; H·(1, 2) = (−8, −4 + 8)", v=([1.0], [2.0])),
              third=hvp([[0.0], [8.0]], "with v = (0, 1) vᵀHv = H_pp = t/p² + (1 − t)/(1 − p)², whose gradient is "
                        "(1/p² − 1/(1 − p)², −2t/p³ + 2(1 − t)/(1 − p)³) = (0, −4 + 12) at p = 1/2, t = 1/4", v=([0.0], [1.0]))),
        point("logit 0, t=1", [[1.0], [0.0]], [[0.0], [-0.5]], "∂/∂z = σ(z) − t = −1/2; ∂/∂t = −z = 0",
              from_logits=True,
              second=hvp([[-1.0], [-0.75]], "L = softplus(z) − t·z: H_tz = −1, H_zz = σ'(0) = 1/4: H·(1, 1) = (−1, −3/4)")),
        point("p=0,t=0", [[0.0], [0.0]], [None, [1.0]], "with t = 0 the loss is −log(1 − p): derivative 1/(1 − p) = 1",
              bug=BCE_CLIP,
              second=hvp([None, [1.0]], "with t = 0 the loss is −log(1 − p): ∂²/∂p² = 1/(1 − p)² = 1 (v = (0, 1); H_tp = −1/p − 1/(1 − p) is infinite at p = 0, so the t-part is not asserted)", v=([0.0], [1.0]))),
        point("p=1,t=1", [[1.0], [1.0]], [None, [-1.0]], "with t = 1 the loss is −log p: derivative −1/p = −1",
              bug=BCE_CLIP,
              second=hvp([None, [1.0]], "with t = 1 the loss is −log p: ∂²/∂p² = 1/p² = 1 (v = (0, 1); the t-part is not asserted)", v=([0.0], [1.0]))),
    ], keras=True),
    op("keras.ops.categorical_crossentropy", ko.categorical_crossentropy, [
        Sample((_distribution("cce", (3,)), draw("cce", (3,), domain=PROBABILITY, salt="p")[0]), {},
               "3 from probabilities"),
        Sample((_distribution("cce", (2, 3), salt="t"), draw("cce", (2, 3), salt="z")[0]), {"from_logits": True},
               "2x3 from_logits=True"),
        Sample((_distribution("cce", (2, 3), salt="a").T, draw("cce", (3, 2), domain=PROBABILITY, salt="q")[0]),
               {"axis": 0}, "3x2 axis=0 from probabilities"),
    ], diff=(1,), domain="target: a probability distribution (not differentiated: the logits path assumes Σt = 1); "
       "output in (0, 1) (normalised inside) or any logits", points=[
        point("p=[.2,.3,.5], class 1", [[0.0, 1.0, 0.0], [0.2, 0.3, 0.5]], [[1.0, -7 / 3, 1.0]],
              "L = −Σ t_i log(p_i/Σp): ∂/∂p_j = −t_j/p_j + Σt/Σp",
              second=hvp([[-3.0, 1 / 0.09 - 3.0, -3.0]], CCE_H_WHY + " With t = (0, 1, 0), p = (.2, .3, .5): H·1 = (0, 1/0.09, 0) − 3")),
        point("p=(1,0,0), class 0", [[1.0, 0.0, 0.0], [1.0, 0.0, 0.0]], [[0.0, 1.0, 1.0]],
              "L = −log(p0/Σp): ∂/∂p0 = −1/p0 + 1/Σp = 0, ∂/∂p_j = 1/Σp = 1 for j ≠ 0",
              bug=_cce_clip("keras.ops.categorical_crossentropy(tf.constant([1.0, 0.0, 0.0], tf.float64), x)", CCE_WORKAROUND),
              second=hvp([[-2.0, -3.0, -3.0]], CCE_H_WHY + " With t = p = (1, 0, 0) (the t_j = 0 terms vanish): H·1 = (1, 0, 0) − 3")),
    ], keras=True),
    op("keras.ops.sparse_categorical_crossentropy", ko.sparse_categorical_crossentropy, [
        Sample((np.array([0, 2]), draw("scce", (2, 3), domain=PROBABILITY)[0]), {}, "targets [0,2], 2x3 probabilities"),
        Sample((np.array([1, 0]), draw("scce", (2, 3), salt="z")[0]), {"from_logits": True}, "2x3 from_logits=True"),
        Sample((np.array(1), draw("scce", (3,), domain=PROBABILITY, salt="v")[0]), {}, "target 1, 3 probabilities"),
    ], diff=(1,), domain="integer targets; output in (0, 1) or any logits", points=[
        point("p=[.2,.3,.5], class 1", [np.array(1), [0.2, 0.3, 0.5]], [[1.0, -7 / 3, 1.0]],
              "L = −log(p1/Σp): ∂/∂p_j = −[j = 1]/p_j + 1/Σp",
              second=hvp([[-3.0, 1 / 0.09 - 3.0, -3.0]], CCE_H_WHY + " With t = e₁, p = (.2, .3, .5): H·1 = (0, 1/0.09, 0) − 3")),
        point("p=(1,0,0), class 0", [np.array(0), [1.0, 0.0, 0.0]], [[0.0, 1.0, 1.0]],
              "L = −log(p0/Σp): (−1/p0 + 1/Σp, 1/Σp, 1/Σp) = (0, 1, 1)",
              bug=_cce_clip("keras.ops.sparse_categorical_crossentropy(np.array(0), x)", SCCE_WORKAROUND),
              second=hvp([[-2.0, -3.0, -3.0]], CCE_H_WHY + " With t = e₀, p = (1, 0, 0): H·1 = (1, 0, 0) − 3")),
    ], keras=True),
    op("keras.ops.segment_sum", ko.segment_sum, [
        Sample((draw("ssum", (5,))[0], np.array([0, 0, 1, 2, 2])), {"num_segments": 3}, "5 ids [0,0,1,2,2]"),
        Sample((draw("ssum", (4, 2), salt="e")[0], np.array([1, 0, 1, 3])), {"num_segments": 4},
               "4x2 unsorted ids, segment 2 empty"),
        Sample((draw("ssum", (5,), salt="s")[0], np.array([0, 0, 1, 1, 3])), {"sorted": True}, "5 sorted=True"),
    ], domain="data any; integer segment ids (not differentiated)", bugs=(NESTED_FORWARD_SUM,), skips={"xla": XLA_SORTED_SEGMENT.format("SegmentSum")}, points=[
        point("ids with a gap, num_segments inferred", [[1.0, 2.0, 3.0], np.array([0, 0, 2])], [[1.0, 1.0, 1.0]],
              "each entry lands in exactly one segment: ∂Σ/∂data = 1 (documented: num_segments inferred from the "
              "maximum id)", bug=SEGMENT_SUM_GAP,
              second=hvp([np.zeros(3)], "a sum is linear: H = 0")),
    ], keras=True),
    op("keras.ops.segment_max", ko.segment_max, [
        Sample((distinct("smax", (5,)), np.array([0, 0, 1, 1, 2])), {}, "5 ids [0,0,1,1,2] num_segments inferred"),
        Sample((distinct("smax", (5,), salt="u"), np.array([2, 0, 1, 0, 2])), {"num_segments": 3}, "5 unsorted ids"),
        Sample((distinct("smax", (4, 2), salt="2"), np.array([0, 1, 0, 1])), {}, "4x2 ids [0,1,0,1]"),
        Sample((distinct("smax", (5,), salt="s"), np.array([0, 0, 1, 2, 2])), {"sorted": True}, "5 sorted=True"),
    ], domain="data without ties inside a segment; integer segment ids", bugs=(NESTED_FORWARD_MAX,),
       skips={"xla": XLA_SORTED_SEGMENT.format("SegmentMax")}, points=[
        point("tie inside a segment", [[2.0, 2.0, 3.0], np.array([0, 0, 1])], [[0.5, 0.5, 1.0]],
              "convention (documented in tensorflow/python/ops/math_grad.py: the gradient of a segment is divided "
              "evenly among its maximal entries)",
              second=hvp([np.zeros(3)], "a max is piecewise linear: no second derivative at the tie, 0 on every piece, and 0 is asserted", exists=False)),
        point("empty segments", [[1.0, 2.0, 3.0], np.array([0, 0, 2])], [[0.0, 1.0, 1.0]],
              "segments 1 and 3 are empty (constant outputs); the maxima are entries 1 and 2",
              bug=_segment_max_empty("unreported", "keras.ops.segment_max(x, np.array([0, 0, 2]), num_segments=4)",
                                     "unsorted, num_segments=4", ("https://github.com/tensorflow/tensorflow/issues/57002",)),
              num_segments=4,
              second=hvp([np.zeros(3)], "the maxima are unique: locally linear, H = 0")),
        point("sorted, leading empty segment", [[1.0, 2.0, 3.0], np.array([1, 1, 2])], [[0.0, 1.0, 1.0]],
              "segment 0 is empty (output 0, constant); the maxima are entries 1 and 2",
              bug=_segment_max_empty("https://github.com/tensorflow/tensorflow/issues/57002",
                                     "keras.ops.segment_max(x, np.array([1, 1, 2]), sorted=True)", "sorted, first id 1"),
              sorted=True,
              second=hvp([np.zeros(3)], "the maxima are unique: locally linear, H = 0")),
    ], keras=True),
    unary("keras.ops.sinc", ko.sinc, REAL_NONZERO, [
        point("x=0", [0.0], [0.0], "sinc is even and analytic at 0: derivative 0", bug=SINC_ZERO,
              second=hvp([-np.pi ** 2 / 3], "sinc = 1 − (πx)²/6 + …: sinc''(0) = −π²/3", bug=SINC_ZERO_SECOND),
              third=hvp([0.0], "sinc is even, so its odd derivatives vanish at 0: sinc‴(0) = 0 (the series "
                        "1 − (πx)²/6 + (πx)⁴/120 − … has no odd term)", bug=SINC_ZERO_SECOND)),
        point("x=0.5", [0.5], [_sinc_prime(0.5)], "(πx cos πx − sin πx)/(πx²) = −4/π",
              second=hvp([-2 * np.pi + 16 / np.pi], "sinc''(x) = π²·g''(πx) with g(y) = sin y/y, g'' = −sin y/y − 2cos y/y² + 2 sin y/y³: π²(−2/π + 16/π³) at y = π/2"),
              third=hvp([12 * np.pi - 96 / np.pi], "sinc‴(x) = π³·g‴(πx), g‴ = −cos y/y + 3 sin y/y² + 6 cos y/y³ − 6 sin y/y⁴ = 12/π² − 96/π⁴ at y = π/2: 12π − 96/π (float64 central differences of numpy.sinc agree to 2e-6)")),
    ], keras=True, tails=[
        tail("x=1e-8", [1e-8], [-np.pi ** 2 * 1e-8 / 3], "sinc'(x) = −π²x/3 + π⁴x³/30 − …: −π²·1e-8/3 (the cubic term is 1e-16 of it)",
             bug=KERAS_SINC_SMALL),
        tail("x=1e-300", [1e-300], [-np.pi ** 2 * 1e-300 / 3], "−π²x/3 = −3.3e-300, a normal float64", bug=KERAS_SINC_SMALL),
    ]),
    binary("keras.ops.hypot", ko.hypot, REAL_NONZERO, REAL_NONZERO, tails=[
        tail("x=1e-300,y=1e10 (subnormal ∂/∂x)", [1e-300, 1e10], [1e-300 / 1e10, 1.0],
             "x/hypot = 1e-310, y/hypot = 1: hypot = 1e10 to 1e-620 relative, so the partials are exactly x/y and 1; "
             "1e-310 is subnormal", bug=FLUSH_TO_ZERO),
        tail("x=1e-290,y=1e10", [1e-290, 1e10], [1e-300, 1.0], "x/hypot = 1e-300 (normal), y/hypot = 1; forward mode "
             "forms r·dr/√(1 + r²) with r = x/y = 1e-300 and dr = 1e-10, a subnormal 1e-310 on the way, and flushes it",
             bug=dataclasses.replace(FLUSH_TO_ZERO, checks=("tail_forward",))),
        tail("x=1e300,y=2e300", [1e300, 2e300], [5 ** -0.5, 2 * 5 ** -0.5], "near the largest float hypot = √5·1e300 "
             "still fits: the partials are (1, 2)/√5 (|x| ≠ |y|, away from the tie where Maximum and Minimum misroute)"),
    ], points=[
        point("x=3,y=4", [3.0, 4.0], [0.6, 0.8], "(x, y)/hypot",
              second=hvp([0.032, -0.024], HYPOT_H_WHY + " u = (0.6, 0.8), r = 5: H·1 = (1 − 1.4·u)/5")),
        point("x=0,y=2", [0.0, 2.0], [0.0, 1.0], "(x, y)/hypot, smooth away from the origin",
              second=hvp([0.5, 0.0], HYPOT_H_WHY + " u = (0, 1), r = 2: H·1 = (1, 0)/2", bug=HYPOT_ZERO_SECOND)),
        point("x=0,y=0", [0.0, 0.0], [between(-1, 1), between(-1, 1)], "the origin: subgradients fill the unit disc",
              second=hvp([None, None], "hypot is not twice differentiable at the origin (its Hessian grows like 1/r): nothing is asserted", exists=False)),
        point("x=y=1", [1.0, 1.0], [1 / np.sqrt(2), 1 / np.sqrt(2)], "(x, y)/hypot = (1, 1)/√2: smooth at |x| = |y|",
              bug=HYPOT_TIE,
              second=hvp([0.5 / np.sqrt(2), -0.5 / np.sqrt(2)], HYPOT_H_WHY + " u = (1, 1)/√2, r = √2, v = (1, 0): (1 − 1/2, −1/2)/√2", v=(1.0, 0.0))),
        point("x=-1,y=1", [-1.0, 1.0], [-1 / np.sqrt(2), 1 / np.sqrt(2)], "(x, y)/hypot = (−1, 1)/√2", bug=HYPOT_TIE,
              second=hvp([0.5 / np.sqrt(2), 0.5 / np.sqrt(2)], HYPOT_H_WHY + " u = (−1, 1)/√2, r = √2, v = (1, 0): (1 − 1/2, 1/2)/√2", v=(1.0, 0.0))),
        point("x=3e200,y=4e200", [3e200, 4e200], [0.6, 0.8], "(x, y)/hypot: only the ratio matters",
              second=hvp([0.032e-200, -0.024e-200], HYPOT_H_WHY + " u = (0.6, 0.8), r = 5e200: H·1 = (1 − 1.4·u)/r")),
    ], keras=True),
    binary("keras.ops.logaddexp", ko.logaddexp, REAL, REAL, tails=[
        tail("x1=-700,x2=0", [-700.0, 0.0], [np.exp(-700.0) / (1 + np.exp(-700.0)), 1 / (1 + np.exp(-700.0))],
             "∂/∂x1 = σ(x1 − x2) = e^−700/(1 + e^−700) = 9.86e-305 (normal), ∂/∂x2 = σ(x2 − x1) = 1"),
        tail("x1=-740,x2=0", [-740.0, 0.0], [np.exp(-740.0), 1.0], "σ(−740) = e^−740 = 4.2e-322, subnormal", bug=FLUSH_TO_ZERO),
        tail("x1=1e308,x2=5e307", [1e308, 5e307], [1.0, 0.0], "near the largest float: σ(5e307) = 1 and σ(−5e307) = "
             "e^−5e307, which is 0 in float64 too (away from the tie x1 = x2, a known bug of its own)"),
    ], points=[
        point("x1=x2=0", [0.0, 0.0], [0.5, 0.5], "e^x1/(e^x1 + e^x2): 1/2 each at a tie (smooth)", bug=LOGADDEXP_TIE,
              second=hvp([0.25, -0.25], LSE_H_WHY + " p = 1/2", v=(1.0, 0.0))),
        point("x1=0,x2=2", [0.0, 2.0], [1 / (1 + np.exp(2.0)), 1 / (1 + np.exp(-2.0))], "e^xi/(e^x1 + e^x2)",
              second=hvp([0.25 / np.cosh(1.0) ** 2, -0.25 / np.cosh(1.0) ** 2], LSE_H_WHY + " p = σ(−2): p(1 − p) = 1/(4cosh²1)", v=(1.0, 0.0))),
        point("x1=-inf,x2=0", [-np.inf, 0.0], [0.0, 1.0], "limit x1 → −inf: logaddexp → x2",
              second=hvp([0.0, 0.0], LSE_H_WHY + " p = σ(−inf) = 0", v=(1.0, 0.0))),
    ], keras=True),
    unary("keras.ops.cbrt", ko.cbrt, REAL_NONZERO, [
        point("x=0", [0.0], [np.inf], "x^(-2/3)/3 → +inf from both sides (vertical tangent)", bug=CBRT_ZERO,
              second=hvp([None], "the cube root has no second derivative at 0 (−(2/9)x^(−5/3) is unbounded, with opposite signs on the two sides): nothing is asserted", exists=False)),
        point("x=-8", [-8.0], [1 / 12], "(1/3)·8^(-2/3)",
              second=hvp([1 / 144], "cbrt'' = −(2/9)·x^(−5/3) = −(2/9)·(−1/32) at −8"),
              third=hvp([10 / 6912], "cbrt‴ = (10/27)·x^(−8/3) = (10/27)·(−2)^(−8) = 10/6912 at −8 (the power rule's "
                        "x^(1/3 − 3))")),
    ], keras=True, tails=[
        tail("x=1e-310 (subnormal x)", [1e-310], [(1e-310) ** (-2 / 3) / 3], "(1/3)·x^(−2/3) = 1.5e206, a normal float64",
             bug=CBRT_SUBNORMAL),
        tail("x=smallest normal", [TINY], [TINY ** (-2 / 3) / 3], "(1/3)·x^(−2/3) = 4.2e204"),
        tail("x=±max", [[MAX, -MAX]], [[MAX ** (-2 / 3) / 3] * 2], "(1/3)·|x|^(−2/3) = 1.05e-206 on both sides"),
    ]),
    op("keras.ops.fmod", ko.fmod, FMOD_SAMPLES, diff=(0, 1), domain="x2 ≠ 0; x1/x2 away from integers (jumps)",
       points=[
           point("x1=3.5,x2=2", [3.5, 2.0], [1.0, -1.0], "fmod = x1 − trunc(x1/x2)·x2: (1, −trunc(1.75)) = (1, −1)",
              second=hvp([0.0, 0.0], "x1 − trunc(x1/x2)·x2 with trunc locally constant: linear, H = 0")),
           point("x1=-3.5,x2=2", [-3.5, 2.0], [1.0, 1.0], "(1, −trunc(−1.75)) = (1, 1)",
              second=hvp([0.0, 0.0], "linear near the point: H = 0")),
           point("x1=0,x2=2", [0.0, 2.0], [1.0, 0.0], "fmod(x1, 2) = x1 for |x1| < 2: (1, −trunc(0)) = (1, 0)",
                 bug=FMOD_ZERO,
              second=hvp([0.0, 0.0], "fmod(x1, 2) = x1 near 0: H = 0")),
       ], keras=True),
    op("keras.ops.ldexp", ko.ldexp, [
        Sample((draw("ldexp", (5,))[0], np.array([2, -1, 0, 3, 1])), {}, "5 with exponents 5"),
        Sample((draw("ldexp", (), salt="s")[0], np.array(3)), {}, "scalar with exponent 3"),
        Sample((draw("ldexp", (2, 3), salt="b")[0], np.array([1, -2, 0])), {}, "2x3 with exponents 3 (broadcast)"),
    ], domain="x1 any; integer exponents (not differentiated)", points=[
        point("x1=1,x2=3", [1.0, np.array(3)], [8.0], "ldexp(x1, n) = x1·2ⁿ: derivative 2ⁿ",
              second=hvp([0.0], "x1·2ⁿ is linear in x1: 0")),
        point("x1=0,x2=3", [0.0, np.array(3)], [8.0], "x1·2ⁿ is linear: derivative 2ⁿ = 8 at x1 = 0 too", bug=LDEXP_ZERO,
              second=hvp([0.0], "x1·2ⁿ is linear in x1: 0")),
    ], keras=True),
    op("keras.ops.cdist", ko.cdist, [
        Sample(tuple(draw("cdist", (2, 3), (3, 3))), {}, "2x3 with 3x3"),
        Sample(tuple(draw("cdist", (2, 2, 2), (2, 3, 2), salt="b")), {}, "batched 2x2x2 with 2x3x2"),
    ], diff=(0, 1), domain="points not coinciding", points=[
        point("x=[[3,4]],y=[[0,0]]", [[[3.0, 4.0]], [[0.0, 0.0]]], [[[0.6, 0.8]], [[-0.6, -0.8]]],
              "∂‖x − y‖/∂x = (x − y)/‖x − y‖ = −∂/∂y",
              second=hvp([[[0.032, -0.024]], [[-0.032, 0.024]]], "‖x − y‖: H_xx = H_yy = (I − uuᵀ)/r = −H_xy with u = (0.6, 0.8), r = 5; v = (1, 0) (H·1 = 0): ((1 − 1.4u)/5, −(1 − 1.4u)/5)", v=([[1.0, 1.0]], [[0.0, 0.0]]))),
        point("coincident points", [[[1.0, 2.0]], [[1.0, 2.0]]], [between(-1, 1), between(-1, 1)],
              "‖x − y‖ at x = y: subgradients (u, −u) with ‖u‖ ≤ 1", bug=CDIST_SAME,
              second=hvp([None, None], "‖x − y‖ is not twice differentiable where x = y (Hessian ∝ 1/r): nothing is asserted", exists=False)),
    ], keras=True),
    op("keras.ops.quantile", ko.quantile, [
        Sample((distinct("quantile", (6,)), 0.3), {}, "6 q=0.3 linear"),
        Sample((distinct("quantile", (2, 5), salt="m"), 0.5), {"axis": 1, "method": "midpoint"},
               "2x5 q=0.5 axis=1 method=midpoint"),
        Sample((distinct("quantile", (3, 2), salt="lo"), 0.4), {"axis": 0, "method": "lower", "keepdims": True},
               "3x2 q=0.4 axis=0 method=lower keepdims"),
    ], domain="distinct values (sorting is continuous, its order is not)", points=[
        point("even count, q=0.5", [[1.0, 2.0, 3.0, 4.0], 0.5], [[0.0, 0.5, 0.5, 0.0]],
              "linear interpolation halfway between the 2nd and 3rd smallest",
              second=hvp([np.zeros(4)], "linear interpolation between order statistics, locally linear: H = 0")),
        point("tie at the median", [[1.0, 2.0, 2.0], 0.5], [between([0, 0, 0], [0, 1, 1])],
              "the median is the tied value 2: any convex combination of the tied entries is a subgradient",
              second=hvp([np.zeros(3)], "piecewise linear: no second derivative at the tie, 0 on every piece, and 0 is asserted", exists=False)),
    ], keras=True),
    op("keras.ops.dot_product_attention", ko.dot_product_attention, [
        Sample(tuple(draw("dpa", (1, 3, 1, 2), (1, 3, 1, 2), (1, 3, 1, 2), salt="c")), {"is_causal": True, "scale": 0.7},
               "T=S=3 is_causal=True scale=0.7"),
        Sample(tuple(draw("dpa", (1, 2, 1, 2), (1, 3, 1, 2), (1, 3, 1, 2), salt="m")),
               {"mask": np.array([[[[True, False, True], [True, True, False]]]]),
                "bias": draw("dpa", (1, 1, 2, 3), salt="bias")[0]}, "T=2 S=3 H=2 with mask and bias (default scale)"),
        Sample(tuple(draw("dpa", (1, 2, 4, 2), (1, 3, 2, 2), (1, 3, 2, 2), salt="g")), {}, "4 query heads, 2 kv heads"),
    ], diff=(0, 1, 2), domain="all reals", points=[_attention_point()], keras=True),
]
