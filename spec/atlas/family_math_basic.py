"""tf.math: arithmetic, powers, exponentials and logarithms, trigonometric and hyperbolic functions.

Elementwise ops of one or two tensors (and the few that take a list of them: add_n, accumulate_n,
polyval), the "safe" variants (xlogy, xdivy, divide_no_nan, multiply_no_nan, reciprocal_no_nan), the
piecewise-constant ones whose derivative is 0 almost everywhere (sign, floor, ceil, round, rint,
floordiv, truncatediv) and the complex parts (real, imag, conj, angle, abs) as real functions of
tf.complex(re, im). Gradient rules: tensorflow/python/ops/math_grad.py (Softplus/Softsign: nn_grad.py,
clip_by_value: clip_ops.py, a Minimum then a Maximum).

Second order: every special point states the Hessian-vector product H·v of Σf (`second`); for ops of two
arguments v = (1, 2) or another tangent that keeps the mixed and the diagonal terms apart, and where a partial is
infinite or jumps (pow at x = 0, xlogy/xdivy at x = y = 0, divide_no_nan at y = 0) v selects the part that exists
and the rest is not asserted. Third order (`third`, reverse³) where a gradient rule multiplies by a power of x or has
a 0·log 0 / 0·inf structure: pow at x = 0 for y = 0, 1, 2, 3, 1/2 and at x < 0, xlogy/xlog1py/xdivy at x = 0, sqrt,
rsqrt, log, log1p at their domain edge (one-sided limits), reciprocal, square, and the smooth odd/even functions at 0
(sin, cos, tan, atan, sinh, cosh, asinh, atanh, tanh, sigmoid, log_sigmoid, softplus). Where the first derivative is a
one-sided ±inf (sqrt, log, asin, acos, acosh, atanh at their edges) the second derivative is asserted as its one-sided
limit; forward over reverse meets 0·inf there (FORWARD_ZERO_TANGENT_TIMES_INF).

Tails (`tails`, relative comparison): every elementwise op whose derivative can leave the normal float64 range or
whose value can overflow while the derivative stays representable has a point where the derivative is last a normal
number, one where it is subnormal and one near the largest float (exp near 709.78, x² past 1.34e154, x/y and 1/x at
y = 2⁻⁵¹¹, sinh/cosh at 710, atan2 with |y| ≥ 2⁵¹²), plus sin/cos/tan at huge arguments (argument reduction) and
asin/acos/atanh next to ±1. TensorFlow's CPU kernels flush subnormal results and inputs to zero (FLUSH_DENORMALS), so
every subnormal tail is a strict xfail of that one record. No tail is given where none means anything: add_n,
accumulate_n, scalar_mul, negative, real, imag, conj (derivative constant), abs, sign, maximum, minimum,
clip_by_value (derivative 0 or ±1), floor, ceil, round, rint, floordiv, truncatediv, floormod, truncatemod (0
almost everywhere, or ±1 and −floor(x/y)), nextafter (1 and 0), polyval (its derivative is a polynomial whose tails
are those of multiply).

Degenerate shapes: every elementwise op has a zero-size point of shape (0,) and of shape (2, 0) (one argument), or x
of shape (0,) with a scalar y and x of shape (2, 0) broadcast against y of shape (2, 1) (two arguments): Σf is the
empty sum, so the gradient is the empty array and a broadcast partner's gradient is 0. Representative binary ops also
have x of shape (3, 1) against y of shape (1, 4), each entry's gradient summed over the axis it was broadcast along.
add_n and accumulate_n are also checked with a one-element list (tf.math.add_n([]) and accumulate_n([]) raise
ValueError: an empty list has no shape to give the empty sum), polyval with no, one and zero-size inputs.
"""
import dataclasses

import numpy as np
import tensorflow as tf

from spec.atlas.records import (BINARY_SHAPES, FLUSH_TO_ZERO, POINT_CHECKS, POINT_SECOND, POINT_THIRD, POSITIVE, REAL,
                                REAL_NONZERO, UNIT_OPEN, Domain, KnownBug, Sample, Workaround, as_f32_exact, between,
                                binary, distinct, draw, flushed, hvp, op, point, reproducer, rng_for, tail, unary)

FAMILY = "tf.math: elementwise arithmetic, exp/log, trigonometric"

# ------------------------------------------------------------------------------------------ domains

NOT_INTEGER = Domain(-2.4, 2.4, "x not an integer (floor/ceil jump there)", avoid=(-2.0, -1.0, 0.0, 1.0, 2.0))
NOT_HALF_INTEGER = Domain(-2.4, 2.4, "x not a half-integer (round/rint jump there)", avoid=(-1.5, -0.5, 0.5, 1.5))
ABOVE_ONE = Domain(1.2, 3.0, "x > 1")
ABOVE_MINUS_ONE = Domain(-0.8, 2.0, "y > -1")
TAN_DOMAIN = Domain(-1.2, 1.2, "-π/2 < x < π/2")
FAR_ABOVE = Domain(3.0, 4.0, "x2 > x1")

# ------------------------------------------------------------------------------------------ helpers


def pair_label(sx, sy) -> str:
    shape = lambda s: "scalar" if s == () else "x".join(map(str, s))  # noqa: E731
    return f"{shape(sx)} with {shape(sy)}"


def untied(name: str):
    """Binary samples with every broadcast pair (x, y) at least 0.05 apart: max/min away from their ties."""
    samples = []
    for k, (sx, sy) in enumerate(BINARY_SHAPES):
        nx, ny = int(np.prod(sx, dtype=int)), int(np.prod(sy, dtype=int))
        values = distinct(name, (nx + ny,), salt=str(k)).ravel()
        samples.append(Sample((values[:nx].reshape(sx), values[nx:].reshape(sy)),
                              label=pair_label(sx, sy)))
    return samples


def off_integer_quotients(name: str):
    """Binary samples where every broadcast x/y is at least 0.1 from an integer: floor/trunc of x/y are locally constant."""
    rng = rng_for(name + " quotients")

    def bad_for_x(x, y):
        q = np.asarray(x / y)
        bad = np.abs(q - np.floor(q) - 0.5) > 0.4  # the fractional part outside [0.1, 0.9]
        padded = (1,) * (bad.ndim - x.ndim) + x.shape
        axes = tuple(i for i, d in enumerate(padded) if d == 1 and bad.shape[i] != 1)
        return bad.any(axis=axes, keepdims=True).reshape(x.shape)

    samples = []
    for sx, sy in BINARY_SHAPES:
        y = as_f32_exact(rng.uniform(0.5, 2.0, sy) * rng.choice([-1.0, 1.0], sy))
        x = as_f32_exact(rng.uniform(-3.0, 3.0, sx))
        for _ in range(1000):
            bad = bad_for_x(x, y)
            if not bad.any():
                break
            x = np.where(bad, as_f32_exact(rng.uniform(-3.0, 3.0, sx)), x)
        assert not bad_for_x(x, y).any(), name
        samples.append(Sample((np.asarray(x), np.asarray(y)),
                              label=pair_label(sx, sy)))
    return samples


def complex_abs_or_abs(x, complex_pairs=False):
    """tf.math.abs of x, or (complex_pairs=True) of tf.complex(x[..., 0], x[..., 1]) (ComplexAbs)."""
    if complex_pairs:
        return tf.math.abs(tf.complex(x[..., 0], x[..., 1]))
    return tf.math.abs(x)


def conj_parts(re, im):
    z = tf.math.conj(tf.complex(re, im))
    return tf.math.real(z), tf.math.imag(z)


def polyval(coeffs, x):
    return tf.math.polyval(tf.unstack(coeffs), x)


def add_n(a, b, c, count=3):
    """tf.math.add_n of the first `count` of a, b, c (count=1: a one-element list; the others are then unused)."""
    return tf.math.add_n([a, b, c][:count])


def accumulate_n(a, b, c, count=3):
    return tf.math.accumulate_n([a, b, c][:count])


def reduce_to(a, shape) -> np.ndarray:
    """A broadcast array summed back to `shape`: the gradient of an argument that was broadcast to a's shape."""
    a = np.asarray(a, np.float64)
    while a.ndim > len(shape):
        a = a.sum(axis=0)
    for axis, n in enumerate(shape):
        if n == 1 and a.shape[axis] != 1:
            a = a.sum(axis=axis, keepdims=True)
    return a


def grid(label, x, y, d1, d2, why: str, second_why: str, v=(1.0, 2.0), **extra) -> "point":
    """A binary op at x of shape (3, 1) against y of shape (1, 4) (size-1 axes broadcast both ways), from its closed-form
    partials d1(x, y) = (f_x, f_y) and d2(x, y) = (f_xx, f_xy, f_yy) evaluated in float64 NumPy on the broadcast grid:
    each argument's gradient and H·v summed over the axis it was broadcast along."""
    x, y = np.asarray(x, np.float64), np.asarray(y, np.float64)
    X, Y = np.broadcast_arrays(x, y)
    fx, fy = d1(X, Y)
    fxx, fxy, fyy = d2(X, Y)
    VX = np.broadcast_to(np.broadcast_to(np.asarray(v[0], np.float64), x.shape), X.shape)
    VY = np.broadcast_to(np.broadcast_to(np.asarray(v[1], np.float64), y.shape), Y.shape)
    grads = [reduce_to(fx, x.shape), reduce_to(fy, y.shape)]
    hv = [reduce_to(fxx * VX + fxy * VY, x.shape), reduce_to(fxy * VX + fyy * VY, y.shape)]
    return point(label, [x, y], grads, why, second=hvp(hv, second_why, v=v), **extra)


def representative_first(entry):
    """The record with its representative sample (the last, broadcasting one, which second order and the traced modes
    use) moved to the front (second_order_sample=0): the same samples and the same representative. For ops whose known
    bug names the forward check: the workaround test runs that check in tf.function and XLA too, where the runner pairs
    the representative sample's results with the first sample (test_20_op_atlas.py zips results.prepared, all samples,
    with results.forward(…, mode), the representative only)."""
    samples = (entry.samples[entry.second_order_sample],) + tuple(
        s for i, s in enumerate(entry.samples) if i != entry.second_order_sample % len(entry.samples))
    return dataclasses.replace(entry, samples=samples, second_order_sample=0)


GRID_X, GRID_Y = np.array([[0.5], [1.0], [2.0]]), np.array([[0.25, 0.5, 1.5, 3.0]])  # (3, 1) against (1, 4)
EMPTY_WHY = "a zero-size input: Σf is the empty sum 0 whatever the input, so the gradient is the empty array"
EMPTY_SECOND = "the Hessian-vector product of the empty sum is the empty array (no entries to differentiate)"


def empty_unary() -> list:
    """Zero-size points of an elementwise op of one argument: shapes (0,) and (2, 0)."""
    return [point(f"empty {label}", [np.zeros(shape)], [np.zeros(shape)], EMPTY_WHY, second=hvp([np.zeros(shape)], EMPTY_SECOND))
            for label, shape in (("(0,)", (0,)), ("(2,0)", (2, 0)))]


def empty_binary(y0: float = 1.0) -> list:
    """Zero-size points of an elementwise op of two arguments: x (0,) with a scalar y, x (2, 0) with y (2, 1)."""
    why = EMPTY_WHY + "; y is broadcast over no entries, so ∂Σf/∂y = 0 (an empty sum) for each of its entries"
    return [point("empty x (0,) with scalar y", [np.zeros(0), y0], [np.zeros(0), 0.0], why,
                  second=hvp([np.zeros(0), 0.0], EMPTY_SECOND + "; y's part is an empty sum, 0")),
            point("empty x (2,0) with y (2,1)", [np.zeros((2, 0)), np.full((2, 1), y0)], [np.zeros((2, 0)), np.zeros((2, 1))],
                  why, second=hvp([np.zeros((2, 0)), np.zeros((2, 1))], EMPTY_SECOND + "; y's part is an empty sum, 0"))]


def sigmoid_prime(x):
    """σ'(x) = e^(−|x|)/(1 + e^(−|x|))², accurate in both tails (σ(x)(1 − σ(x)) loses it where σ rounds to 1)."""
    e = np.exp(-np.abs(np.asarray(x, np.float64)))
    return e / (1.0 + e) ** 2


def sech2(x):
    """sech²x = 4e^(−2|x|)/(1 + e^(−2|x|))², accurate in both tails (1 − tanh²x is 0 once tanh rounds to 1)."""
    e = np.exp(-2.0 * np.abs(np.asarray(x, np.float64)))
    return 4.0 * e / (1.0 + e) ** 2


LN2 = float(np.log(2.0))
BIG = 2.0 ** 511  # x² = 2^1022, the last power of two whose square is a normal float64's reciprocal
SUB = 2.0 ** 520  # 1/x² = 2^-1040: subnormal


# ------------------------------------------------------------------------------------------ known bugs

FLUSH_DENORMALS = FLUSH_TO_ZERO  # one cause for every family: spec/atlas/records.py


FORWARD_ZERO_TANGENT_TIMES_INF = KnownBug(
    "ForwardAccumulator multiplies zero tangents like any other: where one factor of a Mul is infinite (a one-sided "
    "derivative at a domain edge) and the other factor's tangent is a materialised 0 (a constant, or the upstream "
    "gradient 1 of the tape's own gradient graph), Mul's JVP adds inf·0 = NaN, so forward mode and forward over reverse "
    "give NaN where reverse mode (and reverse over reverse) give the one-sided limit ±inf: log's second derivative at 0 "
    "(the gradient graph's 1·(1/x)), erfcinv = −ndtri(x/2)·√(1/2) at 0 and 2, pow's ∂/∂x where ∂/∂y = inf",
    "unreported",
    reproducer("x = tf.constant(0.0, tf.float64)",
               "with tf.autodiff.ForwardAccumulator(x, tf.constant(1.0, tf.float64)) as acc:",
               "    with tf.GradientTape() as t:",
               "        t.watch(x)",
               "        y = tf.math.log(x)",
               "    g = t.gradient(y, x)  # 1/x = inf",
               "print(acc.jvp(g))  # expected -1/x**2 -> -inf (reverse over reverse gives -inf), got nan",
               "with tf.autodiff.ForwardAccumulator(x, tf.constant(1.0, tf.float64)) as acc:",
               "    y = tf.math.erfcinv(x)",
               "print(acc.jvp(y))  # expected -inf (GradientTape gives -inf), got nan"),
    checks=("special_forward", "special_forward_over_reverse", "special_forward_over_forward", "tail_forward"),
    searched=("ForwardAccumulator jvp NaN where GradientTape gives inf, zero tangent multiplied by infinite derivative",),
    kind="mode failure", kind_why="reverse mode (and reverse over reverse) return the one-sided limit; forward mode and "
                                  "forward over reverse return NaN from a zero tangent times inf",
    no_workaround="the NaN is made by Mul's JVP inside TensorFlow's own gradient graph (and inside composite ops such as "
                  "erfcinv), which no reformulation of the op reaches; reverse over reverse gives the limit")


def forward_inf(*checks: str) -> KnownBug:
    """FORWARD_ZERO_TANGENT_TIMES_INF for the forward compositions that meet the zero tangent at this point."""
    return dataclasses.replace(FORWARD_ZERO_TANGENT_TIMES_INF, checks=checks)


FWD_SECOND_INF = forward_inf("special_forward_over_reverse", "special_forward_over_forward")

_XLOGY_WORKAROUND = Workaround('''import tensorflow as tf


def xlogy(x, y):
    """tf.math.xlogy(x, y) as x·log y whose derivatives are right at x = 0 in every mode and order: ∂/∂x = log y and
    ∂²/∂x∂y = 1/y there (TensorFlow's gradient masks both to 0). multiply_no_nan gives 0 where x = 0 (also for
    y = 0, where log y = −inf), and where y = 0 the log's own y-derivative 1/y = inf is cut, which only 0·inf = NaN
    used."""
    at_zero = tf.equal(tf.stop_gradient(y), 0)  # a mask of a constant: no derivative to take of the comparison
    log_y = tf.math.log(tf.where(at_zero, tf.stop_gradient(y), y))
    return tf.math.multiply_no_nan(log_y, x)
''', "xlogy")

XLOGY_AT_X0 = KnownBug(
    "XlogyGrad returns ∂/∂x = xlogy(x ≠ 0, y) = 0 at x = 0, but ∂/∂x (x·log y) = log y for every x (the zero-mask "
    "of the forward value was applied to the derivative)",
    "https://github.com/tensorflow/tensorflow/issues/119476",
    reproducer("x, y = tf.constant(0.0, tf.float64), tf.constant(2.0, tf.float64)",
               "with tf.GradientTape() as t:",
               "    t.watch(x)",
               "    z = tf.math.xlogy(x, y)",
               "print(t.gradient(z, x))  # expected log(2) = 0.693..., got 0.0"),
    related=("https://github.com/tensorflow/tensorflow/pull/119869", "https://github.com/tensorflow/tensorflow/issues/56873"),
    searched=("xlogy gradient with respect to x is zero at x=0 should be log(y)",),
    kind="wrong value", kind_why="x·log y is differentiable in x at x = 0 for y > 0 (∂/∂x = log y); TensorFlow returns 0",
    workaround=_XLOGY_WORKAROUND)

XLOGY_SECOND_AT_X0 = dataclasses.replace(
    XLOGY_AT_X0,
    summary="XlogyGrad's masked partials xlogy(x ≠ 0, y) and xdivy(x, y) have zero x- and y-derivatives at x = 0, so the "
            "mixed second derivative ∂²(x·log y)/∂x∂y = 1/y and the third derivatives built on it come back 0",
    reproducer=reproducer("x, y = tf.constant(0.0, tf.float64), tf.constant(2.0, tf.float64)",
                          "with tf.GradientTape() as t2:",
                          "    t2.watch([x, y])",
                          "    with tf.GradientTape() as t1:",
                          "        t1.watch([x, y])",
                          "        z = tf.math.xlogy(x, y)",
                          "    gx = t1.gradient(z, x)",
                          "print(t2.gradient(gx, y))  # expected 1/y = 0.5, got 0.0"),
    checks=POINT_SECOND + POINT_THIRD,
    issue="https://github.com/tensorflow/tensorflow/issues/127240",
    related=("https://github.com/tensorflow/tensorflow/pull/127294", "https://github.com/tensorflow/tensorflow/pull/119869"),
    searched=("nested autodiff through tf.math.xlogy loses mixed second derivative terms at x=0",),
    kind_why="x·log y is smooth at x = 0 for y > 0 (∂²/∂x∂y = 1/y); TensorFlow returns 0")

_XLOG1PY_WORKAROUND = Workaround('''import tensorflow as tf


def xlog1py(x, y):
    """tf.math.xlog1py(x, y) as x·log(1 + y) whose derivatives are right at x = 0 in every mode and order
    (∂/∂x = log(1 + y), ∂²/∂x∂y = 1/(1 + y)); multiply_no_nan gives 0 where x = 0, and where y = −1 the log's own
    y-derivative (inf, which only 0·inf = NaN used) is cut."""
    at_edge = tf.equal(tf.stop_gradient(y), -1)
    log1p_y = tf.math.log1p(tf.where(at_edge, tf.stop_gradient(y), y))
    return tf.math.multiply_no_nan(log1p_y, x)
''', "xlog1py")

XLOG1PY_AT_X0 = KnownBug(
    "Xlog1pyGrad returns ∂/∂x = xlog1py(x ≠ 0, y) = 0 at x = 0, but ∂/∂x (x·log(1 + y)) = log(1 + y) for every x",
    "https://github.com/tensorflow/tensorflow/issues/119476",
    reproducer("x, y = tf.constant(0.0, tf.float64), tf.constant(1.0, tf.float64)",
               "with tf.GradientTape() as t:",
               "    t.watch(x)",
               "    z = tf.math.xlog1py(x, y)",
               "print(t.gradient(z, x))  # expected log(2) = 0.693..., got 0.0"),
    related=("https://github.com/tensorflow/tensorflow/pull/119869", "https://github.com/tensorflow/tensorflow/issues/56873"),
    searched=("xlogy gradient with respect to x is zero at x=0 should be log(y)",),
    kind="wrong value", kind_why="x·log(1 + y) is differentiable in x at x = 0 for y > −1; TensorFlow returns 0",
    workaround=_XLOG1PY_WORKAROUND)

XLOG1PY_SECOND_AT_X0 = dataclasses.replace(
    XLOG1PY_AT_X0,
    summary="Xlog1pyGrad's masked partials have zero derivatives at x = 0, so ∂²(x·log(1 + y))/∂x∂y = 1/(1 + y) and the "
            "third derivatives built on it come back 0",
    reproducer=reproducer("x, y = tf.constant(0.0, tf.float64), tf.constant(1.0, tf.float64)",
                          "with tf.GradientTape() as t2:",
                          "    t2.watch([x, y])",
                          "    with tf.GradientTape() as t1:",
                          "        t1.watch([x, y])",
                          "        z = tf.math.xlog1py(x, y)",
                          "    gx = t1.gradient(z, x)",
                          "print(t2.gradient(gx, y))  # expected 1/(1 + y) = 0.5, got 0.0"),
    checks=POINT_SECOND + POINT_THIRD,
    issue="unreported",
    related=("https://github.com/tensorflow/tensorflow/issues/127240", "https://github.com/tensorflow/tensorflow/pull/127294", "https://github.com/tensorflow/tensorflow/pull/119869"),
    searched=("nested autodiff through tf.math.xlogy loses mixed second derivative terms at x=0", "xlogy gradient with respect to x is zero at x=0 should be log(y)"),
    kind_why="x·log(1 + y) is smooth at x = 0 for y > −1 (∂²/∂x∂y = 1/(1 + y)); TensorFlow returns 0")

_XDIVY_WORKAROUND = Workaround('''import tensorflow as tf


def xdivy(x, y):
    """tf.math.xdivy(x, y) as x·(1/y) whose derivatives are right at x = 0 in every mode and order (∂/∂x = 1/y,
    ∂²/∂x∂y = −1/y²); multiply_no_nan gives 0 where x = 0 (also for y = 0), and where y = 0 the reciprocal's own
    y-derivative (−inf, which only 0·inf = NaN used) is cut."""
    at_zero = tf.equal(tf.stop_gradient(y), 0)
    inverse = tf.math.reciprocal(tf.where(at_zero, tf.stop_gradient(y), y))
    return tf.math.multiply_no_nan(inverse, x)
''', "xdivy")

XDIVY_AT_X0 = KnownBug(
    "XdivyGrad returns ∂/∂x = xdivy(x ≠ 0, y) = 0 at x = 0, but ∂/∂x (x / y) = 1/y for every x",
    "https://github.com/tensorflow/tensorflow/issues/127238",
    reproducer("x, y = tf.constant(0.0, tf.float64), tf.constant(2.0, tf.float64)",
               "with tf.GradientTape() as t:",
               "    t.watch(x)",
               "    z = tf.math.xdivy(x, y)",
               "print(t.gradient(z, x))  # expected 0.5, got 0.0"),
    related=("https://github.com/tensorflow/tensorflow/pull/127294",),
    searched=("tf.math.xdivy gradient x=0 returns 0 instead of 1/y",),
    kind="wrong value", kind_why="x/y is differentiable in x at x = 0 for y ≠ 0 (∂/∂x = 1/y); TensorFlow returns 0",
    workaround=_XDIVY_WORKAROUND)

XDIVY_SECOND_AT_X0 = dataclasses.replace(
    XDIVY_AT_X0,
    summary="XdivyGrad's masked partials have zero derivatives at x = 0, so ∂²(x/y)/∂x∂y = −1/y² and the third "
            "derivatives built on it come back 0",
    reproducer=reproducer("x, y = tf.constant(0.0, tf.float64), tf.constant(2.0, tf.float64)",
                          "with tf.GradientTape() as t2:",
                          "    t2.watch([x, y])",
                          "    with tf.GradientTape() as t1:",
                          "        t1.watch([x, y])",
                          "        z = tf.math.xdivy(x, y)",
                          "    gx = t1.gradient(z, x)",
                          "print(t2.gradient(gx, y))  # expected -1/y**2 = -0.25, got 0.0"),
    checks=POINT_SECOND + POINT_THIRD,
    issue="https://github.com/tensorflow/tensorflow/pull/127294",
    related=("https://github.com/tensorflow/tensorflow/issues/127238", "https://github.com/tensorflow/tensorflow/issues/127240"),
    searched=("tf.math.xdivy gradient x=0 returns 0 instead of 1/y", "nested autodiff through tf.math.xlogy loses mixed second derivative terms at x=0"),
    kind_why="x/y is smooth at x = 0 for y ≠ 0 (∂²/∂x∂y = −1/y²); TensorFlow returns 0")

POW_X0 = KnownBug(
    "PowGrad computes ∂/∂x = y·x^(y−1), and at x = 0 with an integer y ≥ 0 some derivative multiplies a zero "
    "coefficient by 0^(negative) = inf: ∂/∂x at y = 0 is 0·0^(−1) = NaN although x⁰ = 1 for every x, ∂²/∂x² at y = 1 "
    "is 1·0·0^(−1) = NaN although x¹ is linear, ∂³/∂x³ at y = 2 is 2·1·0·0^(−1) = NaN although x² has third "
    "derivative 0 (and so on: the (n+1)th derivative of xⁿ is NaN at 0)",
    "https://github.com/tensorflow/tensorflow/issues/35011",
    reproducer("x = tf.constant(0.0, tf.float64)",
               "with tf.GradientTape() as t:",
               "    t.watch(x)",
               "    z = tf.math.pow(x, tf.constant(0.0, tf.float64))",
               "print(t.gradient(z, x))  # expected 0.0 (x**0 = 1), got nan",
               "with tf.GradientTape() as t2:",
               "    t2.watch(x)",
               "    with tf.GradientTape() as t1:",
               "        t1.watch(x)",
               "        z = tf.math.pow(x, tf.constant(1.0, tf.float64))",
               "    g = t1.gradient(z, x)",
               "print(t2.gradient(g, x))  # expected 0.0 (x**1 = x), got nan"),
    checks=POINT_CHECKS + POINT_SECOND + POINT_THIRD,
    searched=("tf.pow gradient NaN at x=0 exponent 0 second derivative x**2 third derivative nan",),
    kind="wrong value", kind_why="xⁿ for an integer n ≥ 0 is a polynomial, smooth at 0 with every derivative finite; "
                                 "TensorFlow returns NaN for the ones of order n + 1",
    workaround=Workaround('''import tensorflow as tf


def pow(x, y):
    """tf.math.pow(x, y) as exp(y·log x) for x > 0 and, for x <= 0, with the exponents 0, 1, 2, 3 written as the
    products 1, x, x·x, x·x·x: every derivative of each is exact at x = 0, where tf.math.pow's rule y·x^(y−1)
    multiplies 0 by 0^(negative) = inf. Other exponents at x <= 0 go through tf.math.pow (with the small integer
    exponents replaced by 4 there, so that no unselected branch is infinite)."""
    positive = tf.stop_gradient(x) > 0  # masks of constants: no derivative to take of the comparisons
    power = tf.exp(y * tf.math.log(tf.where(positive, x, tf.ones_like(x))))
    small = [tf.equal(tf.stop_gradient(y), float(n)) for n in range(4)]
    rest = tf.math.pow(x, tf.where(small[0] | small[1] | small[2] | small[3], 4 * tf.ones_like(y), y))
    out = tf.where(small[3], x * x * x, rest)
    out = tf.where(small[2], x * x, out)
    out = tf.where(small[1], x + tf.zeros_like(y), out)
    out = tf.where(small[0], tf.ones_like(x * y), out)
    return tf.where(positive, power, out)
''', "pow"))

POW_AT_EDGE = KnownBug(
    "PowGrad's ∂/∂y = grad·x^y·log_x uses log_x = 0 where x = 0 (to avoid 0·log 0), so its x-derivative at x = 0 with "
    "0 < y < 1 is (y·x^(y−1))·0 = inf·0 = NaN; the one-sided limit of ∂²x^y/∂x∂y = x^(y−1)(1 + y log x) is −inf, and "
    "every second derivative and the third derivative built on it come back NaN (also along v = (1, 0), as 0·NaN)",
    "unreported",
    reproducer("x, y = tf.constant(0.0, tf.float64), tf.constant(0.5, tf.float64)",
               "with tf.GradientTape() as t2:",
               "    t2.watch([x, y])",
               "    with tf.GradientTape() as t1:",
               "        t1.watch([x, y])",
               "        z = tf.math.pow(x, y)",
               "    gy = t1.gradient(z, y)",
               "print(t2.gradient(gy, x))  # expected the one-sided limit x**(y-1)*(1 + y*log(x)) -> -inf, got nan"),
    checks=POINT_SECOND + POINT_THIRD,
    searched=("tf.pow gradient NaN at x=0 exponent 0 second derivative x**2 third derivative nan",),
    kind="convention", kind_why="x = 0 is the edge of x^y's domain for 0 < y < 1 and the second derivatives exist only as "
                                "one-sided limits (−inf); TensorFlow returns NaN (no source found states what PyTorch "
                                "or JAX return there)")

TRUNCATEMOD_NO_GRADIENT = KnownBug(
    "TruncateMod has no registered gradient (LookupError) although truncatemod(x, y) = x − trunc(x/y)·y is "
    "differentiable wherever x/y is not an integer, with ∂/∂x = 1 and ∂/∂y = −trunc(x/y) (FloorMod has the "
    "analogous gradient registered)",
    "unreported",
    reproducer("x, y = tf.constant(5.5), tf.constant(2.0)",
               "with tf.GradientTape() as t:",
               "    t.watch(x)",
               "    z = tf.truncatemod(x, y)",
               "print(t.gradient(z, x))  # expected 1.0, got LookupError: gradient registry has no entry for: TruncateMod"),
    checks=("reverse", "forward", "reverse_over_reverse", "forward_over_reverse", "reverse_over_forward",
            "forward_over_forward", "special_reverse", "special_forward", "float32", "gpu") + POINT_SECOND,
    related=("https://github.com/tensorflow/tensorflow/issues/13933",),
    searched=("no entry for: TruncateMod", "tf.truncatemod gradient not registered TruncateMod LookupError"),
    kind="missing gradient", kind_why="truncatemod is piecewise linear, differentiable off x/y ∈ ℤ; the tape raises LookupError",
    workaround=Workaround('''import tensorflow as tf


def truncatemod(x, y):
    """tf.truncatemod(x, y) as x − trunc(x/y)·y with the integer trunc(x/y) held constant: ∂/∂x = 1, ∂/∂y = −trunc(x/y)."""
    return x - tf.truncatediv(tf.stop_gradient(x), tf.stop_gradient(y)) * y
''', "truncatemod"))

_SOFTSIGN_WORKAROUND = Workaround('''import tensorflow as tf


def softsign(x):
    """tf.math.softsign(x) = x/(1 + |x|) as 1 − 1/(1 + x) for x >= 0 and 1/(1 − x) − 1 below: plain ops whose
    gradients are registered (every mode and order), and whose derivative 1/(1 + |x|)² is computed as the square of
    a reciprocal, which stays accurate where (1 + |x|)² overflows."""
    right = tf.stop_gradient(x) >= 0  # a mask of a constant: no derivative to take of the comparison
    pos = tf.where(right, x, tf.zeros_like(x))
    neg = tf.where(right, tf.zeros_like(x), x)
    return tf.where(right, 1 - 1 / (1 + pos), 1 / (1 - neg) - 1)
''', "softsign")

SOFTSIGN_GRAD_NO_GRADIENT = KnownBug(
    "SoftsignGrad (the op Softsign's gradient emits) has no registered gradient, so every second derivative and "
    "forward mode (ForwardAccumulator differentiates the backward function) raise LookupError; softsign is twice "
    "differentiable away from 0 with f'' = −2·sign(x)/(1 + |x|)³ (one-sided ∓2 at 0)",
    "https://github.com/tensorflow/tensorflow/pull/126092",
    reproducer("x = tf.constant(0.5, tf.float64)",
               "with tf.autodiff.ForwardAccumulator(x, tf.constant(1.0, tf.float64)) as acc:",
               "    y = tf.math.softsign(x)",
               "print(acc.jvp(y))  # expected 1/(1.5)^2 = 0.444..., got LookupError: gradient registry has no entry for: SoftsignGrad"),
    checks=("forward", "reverse_over_reverse", "forward_over_reverse", "reverse_over_forward",
            "forward_over_forward", "special_forward", "tail_forward", "special_reverse_over_reverse",
            "special_forward_over_reverse", "special_reverse_over_forward") + POINT_THIRD,
    searched=("SoftsignGrad gradient registry no entry second derivative softsign forward mode",),
    kind="missing gradient", kind_why="softsign is differentiable (twice away from 0); forward mode and every second "
                                      "derivative raise LookupError",
    workaround=_SOFTSIGN_WORKAROUND)

SOFTSIGN_GRAD_FORWARD_OVER_FORWARD = dataclasses.replace(SOFTSIGN_GRAD_NO_GRADIENT, checks=("special_forward_over_forward",))

ACOSH_XLA_TAIL = KnownBug(
    "Under XLA acosh's derivative 1/√(x² − 1) comes back 0 at x = 2¹⁰²² (4.5e307) although it is 2⁻¹⁰²², the smallest "
    "normal float64 (eager and tf.function return it; XLA's forward value acosh(2¹⁰²²) = 709.09 is right)",
    "unreported",
    reproducer("x = tf.constant(2.0 ** 1022, tf.float64)",
               "@tf.function(jit_compile=True)",
               "def grad(x):",
               "    with tf.GradientTape() as t:",
               "        t.watch(x)",
               "        y = tf.math.acosh(x)",
               "    return t.gradient(y, x)",
               "print(grad(x))  # expected 2**-1022 = 2.2250738585072014e-308 (eager gives it), got 0.0"),
    checks=("tail_reverse",), modes=("xla",),
    searched=("XLA jit_compile acosh gradient large input returns 0 sinh overflow",),
    kind="tail", kind_why="1/√(x² − 1) = 2⁻¹⁰²² is a normal float64; XLA returns 0",
    workaround=Workaround('''import tensorflow as tf


def acosh(x):
    """acosh x = log x + log(1 + √((1 − 1/x)(1 + 1/x))) for x >= 1: no x² that could overflow, and the derivative
    1/x + (1/x³)/(s(1 + s)) (s the square root) is 1/√(x² − 1)."""
    r = 1 / x
    return tf.math.log(x) + tf.math.log1p(tf.sqrt((1 - r) * (1 + r)))
''', "acosh"))

SIGMOID_TAIL = KnownBug(
    "SigmoidGrad computes σ'(x) as y·(1 − y) from the output y = σ(x); for x ≳ 36.7 y rounds to 1 and 1 − y to 0, so "
    "the derivative e^(−x)/(1 + e^(−x))², a normal float64 up to x ≈ 708, comes back 0 (the x < 0 side is accurate)",
    "https://github.com/tensorflow/tensorflow/issues/126060",
    reproducer("x = tf.constant(40.0, tf.float64)",
               "with tf.GradientTape() as t:",
               "    t.watch(x)",
               "    y = tf.math.sigmoid(x)",
               "print(t.gradient(y, x))  # expected exp(-40)/(1 + exp(-40))**2 = 4.248e-18, got 0.0"),
    checks=("tail_reverse", "tail_forward"),
    related=("https://github.com/tensorflow/tensorflow/issues/126628",),
    searched=("sigmoid tanh gradient underflows to zero for large input float64 computed from output y*(1-y) 1-y^2 precision",),
    kind="tail", kind_why="σ'(x) = e^(−x)/(1 + e^(−x))² is a normal float64 up to x ≈ 708; TensorFlow returns 0 from x ≈ 36.7",
    workaround=Workaround('''import tensorflow as tf


def sigmoid(x):
    """σ(x) as 1/(1 + e^(−x)) for x >= 0 and e^x/(1 + e^x) below: each branch's derivative is computed from
    e^(−|x|), which stays accurate where σ(x) rounds to 1 (tf.math.sigmoid's gradient y·(1 − y) is 0 there)."""
    right = tf.stop_gradient(x) >= 0  # a mask of a constant: no derivative to take of the comparison
    pos = tf.where(right, x, tf.zeros_like(x))
    neg = tf.where(right, tf.zeros_like(x), x)
    return tf.where(right, 1 / (1 + tf.exp(-pos)), tf.exp(neg) / (1 + tf.exp(neg)))
''', "sigmoid"))

TANH_TAIL = KnownBug(
    "TanhGrad computes tanh'(x) as 1 − y² from the output y = tanh(x); for |x| ≳ 19.1 y rounds to ±1 and 1 − y² to 0, "
    "so sech²x = 4e^(−2|x|)/(1 + e^(−2|x|))², a normal float64 up to |x| ≈ 354, comes back 0",
    "https://github.com/tensorflow/tensorflow/pull/126747",
    reproducer("x = tf.constant(20.0, tf.float64)",
               "with tf.GradientTape() as t:",
               "    t.watch(x)",
               "    y = tf.math.tanh(x)",
               "print(t.gradient(y, x))  # expected 4*exp(-40)/(1 + exp(-40))**2 = 1.70e-17, got 0.0"),
    checks=("tail_reverse", "tail_forward"),
    searched=("sigmoid tanh gradient underflows to zero for large input float64 computed from output y*(1-y) 1-y^2 precision",),
    kind="tail", kind_why="sech²x is a normal float64 up to |x| ≈ 354; TensorFlow returns 0 from |x| ≈ 19.1",
    workaround=Workaround('''import tensorflow as tf


def tanh(x):
    """tanh x as (1 − e^(−2x))/(1 + e^(−2x)) for x >= 0 and its odd reflection below: the derivative is computed from
    e^(−2|x|), which stays accurate where tanh x rounds to ±1 (tf.math.tanh's gradient 1 − y² is 0 there)."""
    def half(a):  # a >= 0
        e = tf.exp(-2 * a)
        return (1 - e) / (1 + e)
    right = tf.stop_gradient(x) >= 0  # a mask of a constant: no derivative to take of the comparison
    pos = tf.where(right, x, tf.zeros_like(x))
    neg = tf.where(right, tf.zeros_like(x), -x)
    return tf.where(right, half(pos), -half(neg))
''', "tanh"))

ATAN2_TAIL = KnownBug(
    "Atan2Grad divides by x² + y², which overflows to inf once |x| or |y| ≥ 2⁵¹² (1.34e154): both partials come back 0, "
    "although ∂atan2(y, x)/∂x = −y/(x² + y²) ≈ −1/y is a normal float64 (−2⁻⁵¹² at y = 2⁵¹², x = 1)",
    "unreported",
    reproducer("y, x = tf.constant(1e300, tf.float64), tf.constant(1e300, tf.float64)",
               "with tf.GradientTape() as t:",
               "    t.watch([y, x])",
               "    z = tf.math.atan2(y, x)",
               "print(t.gradient(z, [y, x]))  # expected [5e-301, -5e-301] (x/(x²+y²), -y/(x²+y²)), got [0.0, -0.0]"),
    checks=("tail_reverse", "tail_forward"),
    searched=("atan2 gradient x**2 + y**2 overflow large inputs returns zero gradient",),
    kind="tail", kind_why="the partials ±1/(2·1e300) are normal float64s; TensorFlow returns 0 because x² + y² overflows",
    workaround=Workaround('''import tensorflow as tf


def atan2(y, x):
    """atan2(y, x) = atan2(y/s, x/s) for any constant s > 0: with s = max(|x|, |y|) held constant the partials are
    those of the scaled arguments divided by s, and x² + y² never overflows."""
    s = tf.maximum(tf.abs(tf.stop_gradient(x)), tf.abs(tf.stop_gradient(y)))  # a constant: no derivative to take
    s = tf.where(s > 0, s, tf.ones_like(s))
    return tf.math.atan2(y / s, x / s)
''', "atan2"))

POLYVAL_ONE_COEFFICIENT = KnownBug(
    "tf.math.polyval with a one-element coefficient list returns the coefficient itself (its own shape), not p(x) = c "
    "at each x: numpy.polyval (which the docstring calls equivalent) and TensorFlow's own empty-list case return x's "
    "shape, so Σf counts c once and ∂Σf/∂c is 1 instead of the number of points",
    "https://github.com/tensorflow/tensorflow/issues/111413",
    reproducer("c, x = tf.constant(2.0, tf.float64), tf.constant([1.0, 2.0, 3.0], tf.float64)",
               "with tf.GradientTape() as t:",
               "    t.watch(c)",
               "    p = tf.math.polyval([c], x)",
               "print(p.shape, t.gradient(tf.reduce_sum(p), c))  # expected (3,) and 3.0 (numpy.polyval([2.0], x) has x's shape), got () and 1.0"),
    related=("https://github.com/tensorflow/tensorflow/pull/111980", "https://github.com/tensorflow/tensorflow/pull/111844"),
    searched=("tf.math.polyval single coefficient returns scalar not broadcast to x shape numpy.polyval",),
    kind="wrong value", kind_why="Σⱼ p(xⱼ) = 3c for the constant polynomial at 3 points, ∂/∂c = 3; TensorFlow's output is the "
                                 "scalar c, whose sum has derivative 1",
    workaround=Workaround('''import tensorflow as tf


def polyval(coeffs, x):
    """tf.math.polyval(tf.unstack(coeffs), x) broadcast to x's shape, as numpy.polyval is (TensorFlow returns the lone
    coefficient of a constant polynomial unbroadcast)."""
    p = tf.math.polyval(tf.unstack(coeffs), x)
    return p + tf.zeros_like(x)
''', "polyval"))

# ------------------------------------------------------------------------------------------ the ops

S40 = 1.0 / (1.0 + np.exp(40.0))  # σ(−40) = e^−40 / (1 + e^−40), float64 closed form
SIGMOID_PRIME_40 = np.exp(-40.0) / (1.0 + np.exp(-40.0)) ** 2  # σ'(±40) = e^−40 / (1 + e^−40)², 4.25e-18
ZERO_H = "the Hessian of a linear function is 0"


def ftz(label, args, grads, why, modes=None):
    """A tail whose derivative is subnormal (or whose input is): TensorFlow flushes it to zero (FLUSH_DENORMALS; in the
    given modes only where a traced mode folds the flushing kernel away)."""
    return tail(label, args, grads, why, bug=FLUSH_DENORMALS if modes is None else flushed(*modes))


def reciprocal_tails(name: str) -> list:
    return [
        tail("x=2^511 (last normal f')", [BIG], [-(2.0 ** -1022)], f"{name}' = −1/x² = −2⁻¹⁰²², the smallest normal float64"),
        ftz("x=2^520 (subnormal f')", [SUB], [-(2.0 ** -1040)], f"{name}' = −1/x² = −2⁻¹⁰⁴⁰, subnormal"),
        tail("x=2^-511 (f' near the largest float)", [2.0 ** -511], [-(2.0 ** 1022)], f"{name}' = −1/x² = −2¹⁰²² = −4.5e307"),
    ]


def quotient_tails() -> list:
    """x/y at x = 1 for y large and small: ∂/∂x = 1/y, ∂/∂y = −x/y²."""
    return [
        tail("x=1,y=2^511 (∂/∂y last normal)", [1.0, BIG], [2.0 ** -511, -(2.0 ** -1022)], "1/y = 2⁻⁵¹¹, −x/y² = −2⁻¹⁰²²"),
        ftz("x=1,y=2^520 (∂/∂y subnormal)", [1.0, SUB], [2.0 ** -520, -(2.0 ** -1040)], "1/y = 2⁻⁵²⁰, −x/y² = −2⁻¹⁰⁴⁰ (subnormal)"),
        tail("x=1,y=2^-511 (∂/∂y near the largest float)", [1.0, 2.0 ** -511], [2.0 ** 511, -(2.0 ** 1022)],
             "1/y = 2⁵¹¹, −x/y² = −2¹⁰²²"),
    ]


def exp_tails(name: str) -> list:
    return [
        tail("x=-708 (last normal f')", [-708.0], [np.exp(-708.0)], f"{name}' = eˣ = e^−708 = 3.3e-308, normal"),
        ftz("x=-740 (subnormal f')", [-740.0], [np.exp(-740.0)], f"{name}' = eˣ = e^−740 = 4.2e-322, subnormal"),
        tail("x=709.78 (f' near the largest float)", [709.78], [np.exp(709.78)], f"{name}' = eˣ = 1.79e308, just below the largest float"),
    ]


def div_d1(x, y):
    return 1.0 / y, -x / y ** 2


def div_d2(x, y):
    return 0.0 * x, -1.0 / y ** 2 + 0.0 * x, 2.0 * x / y ** 3


OPS = [
    # ---- arithmetic
    binary("tf.math.add", tf.math.add, REAL, REAL, [
        point("x=0,y=0", [0.0, 0.0], [1.0, 1.0], "∂(x + y)/∂x = ∂(x + y)/∂y = 1", second=hvp([0.0, 0.0], ZERO_H, v=(1.0, 2.0))),
        point("broadcast y over 3 x", [np.array([1.0, -2.0, 0.5]), 0.0], [np.ones(3), 3.0],
              "the scalar y is added to each of 3 entries: ∂Σ/∂y = 3", second=hvp([np.zeros(3), 0.0], ZERO_H)),
        grid("x (3,1) with y (1,4)", GRID_X, GRID_Y, lambda x, y: (1.0 + 0 * x, 1.0 + 0 * y), lambda x, y: (0 * x, 0 * x, 0 * x),
             "each x entry is added to 4 y entries and each y entry to 3 x entries: gradients 4 and 3", ZERO_H),
        *empty_binary(),
    ], tails=[
        tail("x=y=1e308 (x + y overflows)", [1e308, 1e308], [1.0, 1.0], "x + y = inf, but ∂(x + y)/∂x = ∂/∂y = 1 still"),
    ]),
    binary("tf.math.subtract", tf.math.subtract, REAL, REAL, [
        point("x=0,y=0", [0.0, 0.0], [1.0, -1.0], "∂(x − y)/∂x = 1, ∂(x − y)/∂y = −1", second=hvp([0.0, 0.0], ZERO_H, v=(1.0, 2.0))),
        point("broadcast y over 3 x", [np.array([1.0, -2.0, 0.5]), 0.0], [np.ones(3), -3.0],
              "the scalar y is subtracted from each of 3 entries: ∂Σ/∂y = −3", second=hvp([np.zeros(3), 0.0], ZERO_H)),
        *empty_binary(),
    ], tails=[
        tail("x=1e308,y=-1e308 (x − y overflows)", [1e308, -1e308], [1.0, -1.0], "x − y = inf, but the partials are 1 and −1 still"),
    ]),
    binary("tf.math.multiply", tf.math.multiply, REAL, REAL, [
        point("x=0,y=0", [0.0, 0.0], [0.0, 0.0], "∂(xy)/∂x = y = 0, ∂(xy)/∂y = x = 0",
              second=hvp([2.0, 1.0], "H = [[0, 1], [1, 0]] (∂²(xy)/∂x∂y = 1), so H·(1, 2) = (2, 1)", v=(1.0, 2.0))),
        point("x=0,y=3", [0.0, 3.0], [3.0, 0.0], "∂(xy)/∂x = y = 3, ∂(xy)/∂y = x = 0",
              second=hvp([1.0, 1.0], "H = [[0, 1], [1, 0]] (∂²(xy)/∂x∂y = 1), so H·(1, 1) = (1, 1)")),
        point("broadcast y over 3 x", [np.array([1.0, -2.0, 0.5]), 2.0], [np.full(3, 2.0), -0.5],
              "∂Σ xᵢy/∂xᵢ = y = 2; ∂Σ xᵢy/∂y = Σ xᵢ = −0.5",
              second=hvp([np.full(3, 0.5), 6.0], "∂²/∂xᵢ∂y = 1, the rest 0: (H·v)ₓᵢ = v_y = 0.5, (H·v)_y = Σ v_xᵢ = 1 + 2 + 3 = 6",
                         v=(np.array([1.0, 2.0, 3.0]), 0.5))),
        grid("x (3,1) with y (1,4)", GRID_X, GRID_Y, lambda x, y: (y, x), lambda x, y: (0 * x, 1.0 + 0 * x, 0 * x),
             "∂Σ xᵢyⱼ/∂xᵢ = Σⱼ yⱼ, ∂/∂yⱼ = Σᵢ xᵢ", "H·v: (Σⱼ v_yⱼ for each xᵢ, Σᵢ v_xᵢ for each yⱼ)"),
        *empty_binary(),
    ], tails=[
        tail("x=y=1e200 (xy overflows)", [1e200, 1e200], [1e200, 1e200], "xy = inf, but ∂(xy)/∂x = y and ∂/∂y = x are 1e200"),
        ftz("x=1,y=1e-310 (∂/∂x subnormal)", [1.0, 1e-310], [1e-310, 1.0], "∂(xy)/∂x = y = 1e-310 (subnormal), ∂/∂y = x = 1",
            modes=("eager",)),
    ]),
    binary("tf.math.divide", tf.math.divide, REAL, REAL_NONZERO, [
        point("x=0,y=2", [0.0, 2.0], [0.5, 0.0], "∂(x/y)/∂x = 1/y = 0.5, ∂(x/y)/∂y = −x/y² = 0",
              second=hvp([-0.5, -0.25], "H = [[0, −1/y²], [−1/y², 2x/y³]] = [[0, −1/4], [−1/4, 0]]: H·(1, 2) = (−1/2, −1/4)", v=(1.0, 2.0))),
        point("x=1,y=-1", [1.0, -1.0], [-1.0, -1.0], "1/y = −1 and −x/y² = −1",
              second=hvp([-2.0, -5.0], "H = [[0, −1/y²], [−1/y², 2x/y³]] = [[0, −1], [−1, −2]]: H·(1, 2) = (−2, −5)", v=(1.0, 2.0))),
        grid("x (3,1) with y (1,4)", GRID_X, GRID_Y, div_d1, div_d2, "1/y and −x/y², summed over the broadcast axis",
             "f_xx = 0, f_xy = −1/y², f_yy = 2x/y³ on the grid, summed over the broadcast axis"),
        *empty_binary(),
    ], tails=quotient_tails()),
    binary("tf.math.truediv", tf.math.truediv, REAL, REAL_NONZERO, [
        point("x=0,y=2", [0.0, 2.0], [0.5, 0.0], "∂(x/y)/∂x = 1/y = 0.5, ∂(x/y)/∂y = −x/y² = 0",
              second=hvp([-0.5, -0.25], "H = [[0, −1/y²], [−1/y², 2x/y³]] = [[0, −1/4], [−1/4, 0]]: H·(1, 2) = (−1/2, −1/4)", v=(1.0, 2.0))),
        point("x=3,y=-2", [3.0, -2.0], [-0.5, -0.75], "1/y = −0.5 and −x/y² = −3/4",
              second=hvp([-0.5, -1.75], "f_xy = −1/y² = −1/4, f_yy = 2x/y³ = −3/4: H·(1, 2) = (−1/2, −1/4 − 3/2)", v=(1.0, 2.0))),
        *empty_binary(),
    ], tails=quotient_tails()),
    unary("tf.math.negative", tf.math.negative, REAL, [
        point("x=0", [0.0], [-1.0], "d(−x)/dx = −1", second=hvp([0.0], ZERO_H)),
        *empty_unary(),
    ], no_tails="the derivative is the constant −1 everywhere, so there is no x where it could underflow or overflow (no float64 tail)"),
    unary("tf.math.reciprocal", tf.math.reciprocal, REAL_NONZERO, [
        point("x=±1,-2", [np.array([1.0, -1.0, -2.0])], [np.array([-1.0, -1.0, -0.25])], "d(1/x)/dx = −1/x²",
              second=hvp([np.array([2.0, -2.0, -0.25])], "(1/x)'' = 2/x³"),
              third=hvp([np.array([-6.0, -6.0, -6.0 / 16.0])], "(1/x)''' = −6/x⁴")),
        point("x=0", [0.0], [-np.inf], "−1/x² → −inf from both sides of the pole at 0",
              second=hvp([np.inf], "2/x³ → +inf as x → 0+ and −inf as x → 0−: no second derivative; asserted is the limit "
                                  "from the side of +0 (1/+0 = +inf in IEEE arithmetic)", exists=False)),
        *empty_unary(),
    ], tails=reciprocal_tails("(1/x)")),
    unary("tf.math.square", tf.math.square, REAL, [
        point("x=0,±1", [np.array([0.0, 1.0, -1.0])], [np.array([0.0, 2.0, -2.0])], "d(x²)/dx = 2x",
              second=hvp([np.full(3, 2.0)], "d²(x²)/dx² = 2 everywhere"),
              third=hvp([np.zeros(3)], "d³(x²)/dx³ = 0 everywhere (SquareGrad multiplies by 2x)")),
        *empty_unary(),
    ], tails=[
        tail("x=2^-1022 (f' = 2^-1021)", [2.0 ** -1022], [2.0 ** -1021], "2x at the smallest normal x"),
        ftz("x=2^-1023 (subnormal x, last normal f')", [2.0 ** -1023], [2.0 ** -1022],
            "2x = 2⁻¹⁰²², the smallest normal float64, at a subnormal x"),
        ftz("x=1e-310 (subnormal f')", [1e-310], [2e-310], "2x = 2e-310, subnormal"),
        tail("x=1e200 (x² overflows)", [1e200], [2e200], "x² = inf but 2x = 2e200"),
        tail("x=8.9e307 (f' near the largest float)", [8.9e307], [1.78e308], "2x = 1.78e308"),
    ]),
    unary("tf.math.sqrt", tf.math.sqrt, POSITIVE, [
        point("x=0", [0.0], [np.inf], "d√x/dx = 1/(2√x) → +inf as x → 0+ (one-sided, the domain's edge)",
              second=hvp([-np.inf], "(√x)'' = −x^(−3/2)/4 → −inf as x → 0+ (one-sided limit; √x is not defined below 0)", exists=False,
                         bug=forward_inf("special_forward_over_forward")),
              third=hvp([np.inf], "(√x)''' = 3x^(−5/2)/8 → +inf as x → 0+ (one-sided limit)")),
        point("x=1,4", [np.array([1.0, 4.0])], [np.array([0.5, 0.25])], "1/(2√x)",
              second=hvp([np.array([-0.25, -1.0 / 32.0])], "(√x)'' = −x^(−3/2)/4: −1/4 and −1/32"),
              third=hvp([np.array([3.0 / 8.0, 3.0 / 256.0])], "(√x)''' = 3x^(−5/2)/8: 3/8 and 3/256")),
        *empty_unary(),
    ], tails=[
        tail("x=2^-1022 (smallest normal x)", [2.0 ** -1022], [2.0 ** 510], "1/(2√x) = 1/(2·2⁻⁵¹¹) = 2⁵¹⁰"),
        ftz("x=5e-324 (smallest subnormal x)", [5e-324], [0.5 / np.sqrt(5e-324)], "1/(2√x) = 2.2e161 at the smallest subnormal x"),
        tail("x=1.7e308 (near the largest float)", [1.7e308], [0.5 / np.sqrt(1.7e308)], "1/(2√x) = 3.8e-155"),
    ]),
    unary("tf.math.rsqrt", tf.math.rsqrt, POSITIVE, [
        point("x=0", [0.0], [-np.inf], "d x^(−1/2)/dx = −x^(−3/2)/2 → −inf as x → 0+ (one-sided)",
              second=hvp([np.inf], "(x^(−1/2))'' = 3x^(−5/2)/4 → +inf as x → 0+ (one-sided limit)", exists=False),
              third=hvp([-np.inf], "(x^(−1/2))''' = −15x^(−7/2)/8 → −inf as x → 0+ (one-sided limit)")),
        point("x=1,4", [np.array([1.0, 4.0])], [np.array([-0.5, -1.0 / 16.0])], "−x^(−3/2)/2",
              second=hvp([np.array([0.75, 3.0 / 128.0])], "3x^(−5/2)/4: 3/4 and 3/128"),
              third=hvp([np.array([-15.0 / 8.0, -15.0 / 1024.0])], "−15x^(−7/2)/8: −15/8 and −15/1024")),
        *empty_unary(),
    ], tails=[
        tail("x=2^680 (last normal f')", [2.0 ** 680], [-(2.0 ** -1021)], "−x^(−3/2)/2 = −2⁻¹⁰²¹"),
        ftz("x=2^700 (subnormal f')", [2.0 ** 700], [-(2.0 ** -1051)], "−x^(−3/2)/2 = −2⁻¹⁰⁵¹, subnormal"),
        tail("x=2^-682 (f' near the largest float)", [2.0 ** -682], [-(2.0 ** 1022)], "−x^(−3/2)/2 = −2¹⁰²²"),
    ]),
    binary("tf.math.pow", tf.math.pow, POSITIVE, REAL, [
        point("x=0,y=0", [0.0, 0.0], [0.0, None],
              "x⁰ = 1 for every x (0⁰ = 1, IEEE pow and TensorFlow), so ∂/∂x = 0; 0^y jumps at y = 0 (∂/∂y not asserted)",
              bug=POW_X0,
              second=hvp([0.0, None], "x⁰ = 1: ∂²/∂x² = 0; the y-part ∂²/∂y∂x does not exist (∂/∂x of 0^y jumps between 0, "
                                      "1 and inf at y = 0; not asserted)", v=(1.0, 0.0), exists=False),
              third=hvp([0.0, None], "∂³/∂x³ x⁰ = 0; the y-part does not exist (not asserted)", v=(1.0, 0.0))),
        point("x=0,y=1", [0.0, 1.0], [1.0, 0.0], "x¹ = x: ∂/∂x = 1; 0^y = 0 for every y > 0: ∂/∂y = 0",
              second=hvp([0.0, None], "x¹ is linear: ∂²/∂x² = 0; ∂/∂x at x = 0 is y·0^(y−1), which jumps at y = 1 (0 above, "
                                      "inf below), so ∂²/∂y∂x does not exist (not asserted)", v=(1.0, 0.0), exists=False, bug=POW_X0),
              third=hvp([0.0, None], "∂³/∂x³ x¹ = 0; the y-part does not exist (not asserted)", v=(1.0, 0.0), bug=POW_X0)),
        point("x=0,y=2", [0.0, 2.0], [0.0, 0.0], "∂/∂x = 2x = 0; 0^y = 0 for y > 0: ∂/∂y = 0",
              second=hvp([2.0, 0.0], "∂²/∂x² = y(y−1)x^(y−2) = 2; ∂²/∂x∂y = x^(y−1)(1 + y log x) = x(1 + 2 log x) → 0 (and "
                                     "y·0^(y−1) = 0 for every y > 1); ∂²/∂y² = x^y log²x → 0: H·(1, 2) = (2, 0)", v=(1.0, 2.0)),
              third=hvp([0.0, None], "∂³/∂x³ x² = 0 (the x-part of ∇(vᵀHv) for v = (1, 0)); ∂³/∂x²∂y = (2y − 1)x^(y−2) + "
                                     "y(y−1)x^(y−2) log x = 3 + 2 log x → −inf as x → 0+: not asserted", v=(1.0, 0.0), bug=POW_X0)),
        point("x=0,y=3", [0.0, 3.0], [0.0, 0.0], "∂/∂x = 3x² = 0; 0^y = 0 for y > 0: ∂/∂y = 0",
              second=hvp([0.0, 0.0], "∂²/∂x² = 6x = 0; ∂²/∂x∂y = x²(1 + 3 log x) → 0; ∂²/∂y² = x³ log²x → 0", v=(1.0, 2.0)),
              third=hvp([6.0, 0.0], "∂³/∂x³ x³ = 6; ∂³/∂x²∂y = (2y − 1)x^(y−2) + y(y−1)x^(y−2) log x = 5x + 6x log x → 0 "
                                    "(v = (1, 0))", v=(1.0, 0.0))),
        point("x=0,y=0.5", [0.0, 0.5], [np.inf, None],
              "∂√x/∂x = 1/(2√x) → +inf as x → 0+ (one-sided); ∂/∂y = 0 (0^y = 0 for y > 0, asserted at y = 1, 2) is not "
              "asserted here: forward mode's J·e_y adds the infinite ∂/∂x times the zero x-tangent, inf·0 = NaN in IEEE arithmetic",
              second=hvp([-np.inf, -np.inf], "one-sided limits as x → 0+: ∂²/∂x² = y(y−1)x^(y−2) = −x^(−3/2)/4 → −inf, "
                                             "∂²/∂x∂y = x^(y−1)(1 + y log x) → −inf, ∂²/∂y² = x^y log²x → 0: H·(1, 1) = (−inf, −inf)",
                         exists=False, bug=POW_AT_EDGE),
              third=hvp([np.inf, None], "∂³/∂x³ = y(y−1)(y−2)x^(y−3) = (3/8)x^(−5/2) → +inf as x → 0+ (v = (1, 0)); the y-part "
                                        "is not asserted", v=(1.0, 0.0), bug=POW_AT_EDGE)),
        point("x<0, y=2,3", [np.array([-2.0, -2.0]), np.array([2.0, 3.0])], [np.array([-4.0, 12.0]), None],
              "y·x^(y−1): 2·(−2) = −4 and 3·(−2)² = 12; x^y is NaN for x < 0 and non-integer y, so ∂/∂y does not exist",
              second=hvp([np.array([2.0, -12.0]), None], "∂²/∂x² = y(y−1)x^(y−2): 2 and 3·2·(−2) = −12 (v = (1, 0)); the "
                                                         "y-part does not exist for x < 0", v=(1.0, 0.0)),
              third=hvp([np.array([0.0, 6.0]), None], "∂³/∂x³ = y(y−1)(y−2)x^(y−3): 0 for y = 2 (where TensorFlow computes "
                                                      "2·1·0·(−2)^(−1)) and 6 for y = 3", v=(1.0, 0.0))),
        point("x=1,2 y=3", [np.array([1.0, 2.0]), np.array([3.0, 3.0])], [np.array([3.0, 12.0]), np.array([0.0, 8.0 * LN2])],
              "∂/∂x = y·x^(y−1), ∂/∂y = x^y·log x (0 at x = 1, 8 log 2 at x = 2)",
              second=hvp([np.array([8.0, 20.0 + 24.0 * LN2]), np.array([1.0, 4.0 + 12.0 * LN2 + 16.0 * LN2 ** 2])],
                         "f_xx = y(y−1)x^(y−2) = (6, 12), f_xy = x^(y−1)(1 + y log x) = (1, 4 + 12 log 2), f_yy = x^y log²x = "
                         "(0, 8 log²2): H·(1, 2) = (f_xx + 2f_xy, f_xy + 2f_yy)", v=(1.0, 2.0))),
        grid("x (3,1) with y (1,4)", GRID_X, GRID_Y, lambda x, y: (y * x ** (y - 1), x ** y * np.log(x)),
             lambda x, y: (y * (y - 1) * x ** (y - 2), x ** (y - 1) * (1 + y * np.log(x)), x ** y * np.log(x) ** 2),
             "y·x^(y−1) and x^y log x, summed over the broadcast axis",
             "f_xx = y(y−1)x^(y−2), f_xy = x^(y−1)(1 + y log x), f_yy = x^y log²x on the grid"),
        *empty_binary(),
    ], tails=[
        tail("x=2,y=-1021 (∂/∂y last normal)", [2.0, -1021.0], [-1021.0 * 2.0 ** -1022, 2.0 ** -1021 * LN2],
             "∂/∂x = y·x^(y−1) = −1021·2⁻¹⁰²², ∂/∂y = x^y log x = 2⁻¹⁰²¹ log 2 = 3.1e-308"),
        ftz("x=2,y=-1030 (∂/∂y subnormal)", [2.0, -1030.0], [-1030.0 * 2.0 ** -1031, 2.0 ** -1030 * LN2],
            "∂/∂x = −1030·2⁻¹⁰³¹ (normal, 4.4e-308), ∂/∂y = 2⁻¹⁰³⁰ log 2 (subnormal)"),
        tail("x=2,y=1023 (∂/∂y near the largest float)", [2.0, 1023.0], [None, 2.0 ** 1023 * LN2],
             "∂/∂y = 2¹⁰²³ log 2 = 6.2e307; ∂/∂x = 1023·2¹⁰²² overflows (not asserted)"),
        tail("x=1e200,y=2 (x^y overflows)", [1e200, 2.0], [2e200, None], "∂/∂x = 2x = 2e200 while x² = inf; ∂/∂y = x² log x = inf (forward mode's J·e_x adds that inf times the "
             "zero y-tangent)", bug=forward_inf("tail_forward")),
    ]),
    unary("tf.math.exp", tf.math.exp, REAL, [
        point("x=0,1,-1", [np.array([0.0, 1.0, -1.0])], [np.exp(np.array([0.0, 1.0, -1.0]))], "d eˣ/dx = eˣ",
              second=hvp([np.exp(np.array([0.0, 1.0, -1.0]))], "(eˣ)'' = eˣ")),
        point("x=-800", [-800.0], [0.0], "e^−800 underflows to 0 in float64: the derivative eˣ is 0 there, not NaN",
              second=hvp([0.0], "(eˣ)'' = eˣ = e^−800, 0 in float64")),
        *empty_unary(),
    ], tails=exp_tails("(eˣ)")),
    unary("tf.math.expm1", tf.math.expm1, REAL, [
        point("x=0", [0.0], [1.0], "d(eˣ − 1)/dx = eˣ = 1", second=hvp([1.0], "(eˣ − 1)'' = eˣ = 1")),
        point("x=±1e-10", [np.array([1e-10, -1e-10])], [np.exp(np.array([1e-10, -1e-10]))], "eˣ near 0, where expm1 keeps its precision",
              second=hvp([np.exp(np.array([1e-10, -1e-10]))], "(eˣ − 1)'' = eˣ")),
        *empty_unary(),
    ], tails=exp_tails("(eˣ − 1)")),
    unary("tf.math.log", tf.math.log, POSITIVE, [
        point("x=0", [0.0], [np.inf], "d log x/dx = 1/x → +inf as x → 0+ (one-sided)",
              second=hvp([-np.inf], "(log x)'' = −1/x² → −inf as x → 0+ (one-sided limit)", exists=False, bug=FWD_SECOND_INF),
              third=hvp([np.inf], "(log x)''' = 2/x³ → +inf as x → 0+ (one-sided limit)")),
        point("x=1,e", [np.array([1.0, np.e])], [np.array([1.0, 1.0 / np.e])], "1/x",
              second=hvp([np.array([-1.0, -1.0 / np.e ** 2])], "(log x)'' = −1/x²"),
              third=hvp([np.array([2.0, 2.0 / np.e ** 3])], "(log x)''' = 2/x³")),
        *empty_unary(),
    ], tails=[
        tail("x=2^1022 (last normal f')", [2.0 ** 1022], [2.0 ** -1022], "1/x = 2⁻¹⁰²², the smallest normal float64"),
        ftz("x=1.7e308 (subnormal f')", [1.7e308], [1.0 / 1.7e308], "1/x = 5.9e-309, subnormal"),
        tail("x=2^-1022 (f' = 2^1022)", [2.0 ** -1022], [2.0 ** 1022], "1/x = 2¹⁰²² at the smallest normal x"),
        ftz("x=2^-1023 (subnormal x, f' near the largest float)", [2.0 ** -1023], [2.0 ** 1023],
            "1/x = 2¹⁰²³ = 9e307 at a subnormal x (read as 0: 1/0 = inf)"),
    ]),
    unary("tf.math.log1p", tf.math.log1p, Domain(-0.8, 2.0, "x > −1"), [
        point("x=0", [0.0], [1.0], "d log(1 + x)/dx = 1/(1 + x) = 1",
              second=hvp([-1.0], "(log(1 + x))'' = −1/(1 + x)² = −1"), third=hvp([2.0], "(log(1 + x))''' = 2/(1 + x)³ = 2")),
        point("x=±1e-10", [np.array([1e-10, -1e-10])], [1.0 / (1.0 + np.array([1e-10, -1e-10]))], "1/(1 + x) near 0",
              second=hvp([-1.0 / (1.0 + np.array([1e-10, -1e-10])) ** 2], "−1/(1 + x)²")),
        point("x=-1", [-1.0], [np.inf], "1/(1 + x) → +inf as x → −1+ (one-sided)",
              second=hvp([-np.inf], "−1/(1 + x)² → −inf as x → −1+ (one-sided limit)", exists=False, bug=FWD_SECOND_INF),
              third=hvp([np.inf], "2/(1 + x)³ → +inf as x → −1+ (one-sided limit)")),
        *empty_unary(),
    ], tails=[
        tail("x=2^1022 (last normal f')", [2.0 ** 1022], [2.0 ** -1022], "1/(1 + x) = 2⁻¹⁰²²"),
        ftz("x=1.7e308 (subnormal f')", [1.7e308], [1.0 / 1.7e308], "1/(1 + x) = 5.9e-309, subnormal"),
    ]),
    unary("tf.math.log_sigmoid", tf.math.log_sigmoid, REAL, [
        point("x=0", [0.0], [0.5], "d log σ(x)/dx = 1 − σ(x) = σ(−x) = 1/2",
              second=hvp([-0.25], "(log σ)'' = −σ(x)σ(−x) = −1/4"),
              third=hvp([0.0], "(log σ)''' = −σ'(x)(1 − 2σ(x)) = 0 at 0")),
        point("x=±40", [np.array([40.0, -40.0])], [np.array([S40, 1.0 / (1.0 + np.exp(-40.0))])],
              "σ(−x): σ(−40) = 4.25e-18 and σ(40) = 1 − 4.25e-18; finite in both tails",
              second=hvp([np.full(2, -SIGMOID_PRIME_40)], "(log σ)'' = −σ'(x) = −4.25e-18 at ±40")),
        point("x=±800", [np.array([800.0, -800.0])], [np.array([0.0, 1.0])], "σ(−x) → 0 and 1 in the tails (e^−800 underflows)",
              second=hvp([np.zeros(2)], "−σ'(±800) ≈ −e^−800, 0 in float64")),
        *empty_unary(),
    ], tails=[
        tail("x=40 (f' = 4.2e-18)", [40.0], [S40], "σ(−40) = e^−40/(1 + e^−40) = 4.25e-18"),
        tail("x=708 (last normal f')", [708.0], [np.exp(-708.0) / (1.0 + np.exp(-708.0))], "σ(−708) = 3.3e-308, normal"),
        ftz("x=740 (subnormal f')", [740.0], [np.exp(-740.0)], "σ(−740) = e^−740 = 4.2e-322, subnormal"),
    ]),
    unary("tf.math.sigmoid", tf.math.sigmoid, REAL, [
        point("x=0", [0.0], [0.25], "σ'(x) = σ(x)(1 − σ(x)) = 1/4 at 0",
              second=hvp([0.0], "σ'' = σ'(1 − 2σ) = 0 at 0"),
              third=hvp([-0.125], "σ''' = σ'(1 − 2σ)² − 2σ'² = 0 − 2/16 = −1/8 at 0")),
        point("x=±40", [np.array([40.0, -40.0])], [np.full(2, SIGMOID_PRIME_40)],
              "σ'(±40) = e^−40/(1 + e^−40)² = 4.25e-18: finite, not NaN",
              second=hvp([np.array([-1.0, 1.0]) * SIGMOID_PRIME_40 * np.tanh(20.0)], "σ'' = σ'(1 − 2σ) = −σ'·tanh(x/2) = ∓4.25e-18")),
        point("x=±800", [np.array([800.0, -800.0])], [np.zeros(2)], "σ'(x) ≤ e^−|x| underflows to 0",
              second=hvp([np.zeros(2)], "|σ''| ≤ σ' ≤ e^−800: 0 in float64")),
        *empty_unary(),
    ], tails=[
        tail("x=-708 (last normal f')", [-708.0], [sigmoid_prime(-708.0)], "σ'(x) = e^(−|x|)/(1 + e^(−|x|))² = 3.3e-308"),
        ftz("x=-740 (subnormal f')", [-740.0], [sigmoid_prime(-740.0)], "σ'(−740) = 4.2e-322, subnormal"),
        tail("x=40 (σ rounds to 1)", [40.0], [sigmoid_prime(40.0)], "σ'(40) = 4.25e-18 although σ(40) is 1.0 in float64",
             bug=SIGMOID_TAIL),
        tail("x=708 (last normal f', σ = 1)", [708.0], [sigmoid_prime(708.0)], "σ'(708) = 3.3e-308", bug=SIGMOID_TAIL),
    ]),
    unary("tf.math.tanh", tf.math.tanh, REAL, tails=[
        tail("x=20 (tanh rounds to 1)", [20.0], [sech2(20.0)], "sech²20 = 1.7e-17 although tanh 20 is 1.0 in float64", bug=TANH_TAIL),
        tail("x=354 (last normal f')", [354.0], [4.0 * np.exp(-708.0)], "sech²x = 4e^(−2|x|)/(1 + e^(−2|x|))², a normal float64 (1.3e-307)",
             bug=TANH_TAIL),
        ftz("x=-370 (subnormal f')", [-370.0], [4.0 * np.exp(-740.0)], "4e^(−740) = 1.7e-321, subnormal"),
    ], points=[
        point("x=0", [0.0], [1.0], "tanh'(x) = 1 − tanh²(x) = 1",
              second=hvp([0.0], "tanh'' = −2 tanh·sech² = 0 at 0"), third=hvp([-2.0], "tanh''' = −2sech⁴ + 4tanh²sech² = −2 at 0")),
        point("x=±40", [np.array([40.0, -40.0])], [np.full(2, 4.0 * np.exp(-80.0) / (1.0 + np.exp(-80.0)) ** 2)],
              "1 − tanh² = sech² = 4e^−2|x|/(1 + e^−2|x|)², about 7e-35: finite, not NaN",
              second=hvp([np.array([-2.0, 2.0]) * np.tanh(40.0) * sech2(40.0)], "−2 tanh·sech² = ∓1.6e-34")),
        *empty_unary(),
    ]),
    # ---- trigonometric
    unary("tf.math.sin", tf.math.sin, REAL, [
        point("x=0", [0.0], [1.0], "cos 0 = 1", second=hvp([0.0], "sin'' = −sin = 0 at 0"), third=hvp([-1.0], "sin''' = −cos = −1 at 0")),
        point("x=pi/2,pi", [np.array([np.pi / 2, np.pi])], [np.cos(np.array([np.pi / 2, np.pi]))],
              "cos(π/2) = 0 and cos π = −1 (to float64 rounding of π)",
              second=hvp([-np.sin(np.array([np.pi / 2, np.pi]))], "sin'' = −sin: −1 and −sin(fl(π)) = −1.2e-16")),
        *empty_unary(),
    ], tails=[
        tail("x=1e22 (argument reduction)", [1e22], [np.cos(1e22)], "cos(1e22) = 0.5232…, by exact argument reduction (NumPy's libm)"),
        tail("x=1e300 (argument reduction)", [1e300], [np.cos(1e300)], "cos(1e300) = −0.5754…, by exact argument reduction"),
    ]),
    unary("tf.math.cos", tf.math.cos, REAL, [
        point("x=0", [0.0], [0.0], "d cos x/dx = −sin 0 = 0", second=hvp([-1.0], "cos'' = −cos = −1 at 0"),
              third=hvp([0.0], "cos''' = sin = 0 at 0")),
        point("x=pi/2", [np.pi / 2], [-np.sin(np.pi / 2)], "−sin(π/2) = −1", second=hvp([-np.cos(np.pi / 2)], "cos'' = −cos(fl(π/2)) = −6.1e-17")),
        *empty_unary(),
    ], tails=[
        tail("x=1e22 (argument reduction)", [1e22], [-np.sin(1e22)], "−sin(1e22) = 0.8522…, by exact argument reduction"),
        tail("x=1e300 (argument reduction)", [1e300], [-np.sin(1e300)], "−sin(1e300) = 0.8179…, by exact argument reduction"),
    ]),
    unary("tf.math.tan", tf.math.tan, TAN_DOMAIN, [
        point("x=0", [0.0], [1.0], "tan' = 1/cos² = 1 at 0", second=hvp([0.0], "tan'' = 2 tan·sec² = 0 at 0"),
              third=hvp([2.0], "tan''' = 2sec⁴ + 4tan²sec² = 2 at 0")),
        point("x=pi/4", [np.pi / 4], [1.0 / np.cos(np.pi / 4) ** 2], "1/cos²(π/4) = 2",
              second=hvp([2.0 * np.tan(np.pi / 4) / np.cos(np.pi / 4) ** 2], "2 tan·sec² = 4 at π/4")),
        *empty_unary(),
    ], tails=[
        tail("x=fl(pi/2) (f' = 2.7e32)", [np.pi / 2], [1.0 / np.cos(np.pi / 2) ** 2],
             "sec² at the double nearest π/2, 6.1e-17 short of it: 1/cos² = 2.7e32"),
        tail("x=1e22 (argument reduction)", [1e22], [1.0 / np.cos(1e22) ** 2], "sec²(1e22) = 3.65…, by exact argument reduction"),
    ]),
    unary("tf.math.asin", tf.math.asin, UNIT_OPEN, [
        point("x=0,0.5", [np.array([0.0, 0.5])], [np.array([1.0, 2.0 / np.sqrt(3.0)])], "asin' = 1/√(1 − x²)",
              second=hvp([np.array([0.0, 0.5 * 0.75 ** -1.5])], "asin'' = x(1 − x²)^(−3/2): 0 and (1/2)(3/4)^(−3/2)")),
        point("x=1", [1.0], [np.inf], "1/√(1 − x²) → +inf as x → 1− (one-sided, the domain's edge)",
              second=hvp([np.inf], "x(1 − x²)^(−3/2) → +inf as x → 1− (one-sided limit)", exists=False, bug=FWD_SECOND_INF)),
        point("x=-1", [-1.0], [np.inf], "1/√(1 − x²) → +inf as x → −1+ (one-sided, the domain's edge)",
              second=hvp([-np.inf], "x(1 − x²)^(−3/2) → −inf as x → −1+ (one-sided limit)", exists=False, bug=FWD_SECOND_INF)),
        *empty_unary(),
    ], tails=[
        tail("x=1-2^-53 (largest f')", [1.0 - 2.0 ** -53], [1.0 / np.sqrt(2.0 ** -52 - 2.0 ** -106)],
             "1/√(1 − x²) with 1 − x² = 2⁻⁵² − 2⁻¹⁰⁶ exactly at the largest double below 1: 6.7e7"),
    ]),
    unary("tf.math.acos", tf.math.acos, UNIT_OPEN, [
        point("x=0,0.5", [np.array([0.0, 0.5])], [np.array([-1.0, -2.0 / np.sqrt(3.0)])], "acos' = −1/√(1 − x²)",
              second=hvp([np.array([0.0, -0.5 * 0.75 ** -1.5])], "acos'' = −x(1 − x²)^(−3/2)")),
        point("x=1", [1.0], [-np.inf], "−1/√(1 − x²) → −inf as x → 1− (one-sided, the domain's edge)",
              second=hvp([-np.inf], "−x(1 − x²)^(−3/2) → −inf as x → 1− (one-sided limit)", exists=False, bug=FWD_SECOND_INF)),
        point("x=-1", [-1.0], [-np.inf], "−1/√(1 − x²) → −inf as x → −1+ (one-sided, the domain's edge)",
              second=hvp([np.inf], "−x(1 − x²)^(−3/2) → +inf as x → −1+ (one-sided limit)", exists=False, bug=FWD_SECOND_INF)),
        *empty_unary(),
    ], tails=[
        tail("x=1-2^-53 (largest |f'|)", [1.0 - 2.0 ** -53], [-1.0 / np.sqrt(2.0 ** -52 - 2.0 ** -106)],
             "−1/√(1 − x²) with 1 − x² = 2⁻⁵² − 2⁻¹⁰⁶ exactly: −6.7e7"),
    ]),
    unary("tf.math.atan", tf.math.atan, REAL, [
        point("x=0,±1", [np.array([0.0, 1.0, -1.0])], [np.array([1.0, 0.5, 0.5])], "atan' = 1/(1 + x²)",
              second=hvp([np.array([0.0, -0.5, 0.5])], "atan'' = −2x/(1 + x²)²"),
              third=hvp([np.array([-2.0, 0.5, 0.5])], "atan''' = (6x² − 2)/(1 + x²)³: −2 and 4/8")),
        point("x=1e10", [1e10], [1e-20], "1/(1 + x²) = 1e-20 (relative error 1e-20): finite for large x",
              second=hvp([-2e10 / (1.0 + 1e20) ** 2], "−2x/(1 + x²)² = −2e-30")),
        *empty_unary(),
    ], tails=[
        tail("x=2^511 (last normal f')", [BIG], [1.0 / (1.0 + BIG ** 2)], "1/(1 + x²) = 2⁻¹⁰²²"),
        ftz("x=2^520 (subnormal f')", [SUB], [2.0 ** -1040], "1/(1 + x²) = 2⁻¹⁰⁴⁰, subnormal"),
    ]),
    binary("tf.math.atan2", tf.math.atan2, REAL_NONZERO, REAL, [
        point("y=0,x=1", [0.0, 1.0], [1.0, 0.0], "∂atan2(y, x)/∂y = x/(x² + y²) = 1, ∂/∂x = −y/(x² + y²) = 0",
              second=hvp([-2.0, -1.0], "f_yy = −2xy/r⁴ = 0, f_xx = 2xy/r⁴ = 0, f_yx = (y² − x²)/r⁴ = −1: H·(1, 2) = (−2, −1)", v=(1.0, 2.0))),
        point("y=1,x=0", [1.0, 0.0], [0.0, -1.0], "x/(x² + y²) = 0 and −y/(x² + y²) = −1 on the positive y axis",
              second=hvp([2.0, 1.0], "f_yy = f_xx = 0, f_yx = (y² − x²)/r⁴ = 1: H·(1, 2) = (2, 1)", v=(1.0, 2.0))),
        point("y=+0,x=-1 (branch cut)", [0.0, -1.0], [-1.0, 0.0],
              "atan2(+0, −1) = π is the limit from y > 0, where ∂/∂y = x/(x² + y²) = −1 (one-sided); atan2(+0, x) = π for "
              "every x < 0, so ∂/∂x = 0",
              second=hvp([-2.0, -1.0], "one-sided from y > 0, where atan2 is smooth: f_yy = f_xx = 0, f_yx = (y² − x²)/r⁴ = −1: "
                                       "H·(1, 2) = (−2, −1)", v=(1.0, 2.0), exists=False)),
        grid("y (3,1) with x (1,4)", GRID_X, GRID_Y, lambda y, x: (x / (x * x + y * y), -y / (x * x + y * y)),
             lambda y, x: (-2 * x * y / (x * x + y * y) ** 2, (y * y - x * x) / (x * x + y * y) ** 2, 2 * x * y / (x * x + y * y) ** 2),
             "x/r² and −y/r², summed over the broadcast axis", "f_yy = −2xy/r⁴, f_yx = (y² − x²)/r⁴, f_xx = 2xy/r⁴ on the grid"),
        *empty_binary(),
    ], tails=[
        tail("y=1,x=2^511 (∂/∂x last normal)", [1.0, BIG], [BIG / (BIG ** 2 + 1.0), -1.0 / (BIG ** 2 + 1.0)],
             "x/r² = 2⁻⁵¹¹, −y/r² = −2⁻¹⁰²²"),
        tail("y=2^512,x=1 (x² + y² overflows)", [2.0 ** 512, 1.0], [None, -(2.0 ** -512)],
             "−y/(x² + y²) = −2⁻⁵¹² (normal) although y² overflows; x/(x² + y²) = 2⁻¹⁰²⁴ is subnormal (not asserted)",
             bug=ATAN2_TAIL),
        tail("y=x=1e300", [1e300, 1e300], [0.5e-300, -0.5e-300], "x/(x² + y²) = 1/(2·1e300) = 5e-301, −y/(x² + y²) = −5e-301",
             bug=ATAN2_TAIL),
        ftz("y=1,x=2^520 (∂/∂x subnormal)", [1.0, SUB], [2.0 ** -520, -(2.0 ** -1040)], "x/r² = 2⁻⁵²⁰, −y/r² = −2⁻¹⁰⁴⁰ (subnormal)"),
    ]),
    # ---- hyperbolic
    unary("tf.math.sinh", tf.math.sinh, REAL, [
        point("x=0,1", [np.array([0.0, 1.0])], [np.cosh(np.array([0.0, 1.0]))], "sinh' = cosh",
              second=hvp([np.sinh(np.array([0.0, 1.0]))], "sinh'' = sinh"), third=hvp([np.cosh(np.array([0.0, 1.0]))], "sinh''' = cosh")),
        *empty_unary(),
    ], tails=[
        tail("x=710 (f' near the largest float)", [710.0], [np.cosh(710.0)], "cosh 710 = 1.117e308"),
        tail("x=-710", [-710.0], [np.cosh(-710.0)], "cosh(−710) = 1.117e308"),
    ]),
    unary("tf.math.cosh", tf.math.cosh, REAL, [
        point("x=0,1", [np.array([0.0, 1.0])], [np.sinh(np.array([0.0, 1.0]))], "cosh' = sinh: 0 at the minimum",
              second=hvp([np.cosh(np.array([0.0, 1.0]))], "cosh'' = cosh"), third=hvp([np.sinh(np.array([0.0, 1.0]))], "cosh''' = sinh")),
        *empty_unary(),
    ], tails=[
        tail("x=2^-1022 (last normal f')", [2.0 ** -1022], [2.0 ** -1022], "sinh x = x to float64 precision: 2⁻¹⁰²²"),
        ftz("x=1e-310 (subnormal f')", [1e-310], [1e-310], "sinh x = x = 1e-310, subnormal", modes=("eager", "xla")),
        tail("x=710 (f' near the largest float)", [710.0], [np.sinh(710.0)], "sinh 710 = 1.117e308"),
    ]),
    unary("tf.math.asinh", tf.math.asinh, REAL, [
        point("x=0", [0.0], [1.0], "asinh' = 1/√(1 + x²) = 1", second=hvp([0.0], "asinh'' = −x(1 + x²)^(−3/2) = 0"),
              third=hvp([-1.0], "asinh''' = (2x² − 1)(1 + x²)^(−5/2) = −1 at 0")),
        point("x=±1e8", [np.array([1e8, -1e8])], [np.full(2, 1.0 / np.sqrt(1.0 + 1e16))], "1/√(1 + x²) ≈ 1e-8 for large |x|",
              second=hvp([np.array([-1e8, 1e8]) * (1.0 + 1e16) ** -1.5], "−x(1 + x²)^(−3/2) = ∓1e-16")),
        *empty_unary(),
    ], tails=[
        tail("x=2^1022 (last normal f')", [2.0 ** 1022], [2.0 ** -1022], "1/√(1 + x²) = 1/x = 2⁻¹⁰²² to float64 precision"),
        ftz("x=1.7e308 (subnormal f')", [1.7e308], [1.0 / 1.7e308], "1/x = 5.9e-309, subnormal"),
    ]),
    unary("tf.math.acosh", tf.math.acosh, ABOVE_ONE, [
        point("x=1", [1.0], [np.inf], "acosh' = 1/√(x² − 1) → +inf as x → 1+ (one-sided, the domain's edge)",
              second=hvp([-np.inf], "acosh'' = −x(x² − 1)^(−3/2) → −inf as x → 1+ (one-sided limit)", exists=False, bug=FWD_SECOND_INF)),
        point("x=2", [2.0], [1.0 / np.sqrt(3.0)], "1/√(4 − 1)", second=hvp([-2.0 * 3.0 ** -1.5], "−x(x² − 1)^(−3/2) = −2/3^(3/2)")),
        *empty_unary(),
    ], tails=[
        tail("x=2^1022 (last normal f')", [2.0 ** 1022], [2.0 ** -1022], "1/√(x² − 1) = 1/x = 2⁻¹⁰²² to float64 precision",
             bug=ACOSH_XLA_TAIL),
        ftz("x=1.7e308 (subnormal f')", [1.7e308], [1.0 / 1.7e308], "1/x = 5.9e-309, subnormal"),
    ]),
    unary("tf.math.atanh", tf.math.atanh, UNIT_OPEN, [
        point("x=0,0.5", [np.array([0.0, 0.5])], [np.array([1.0, 4.0 / 3.0])], "atanh' = 1/(1 − x²)",
              second=hvp([np.array([0.0, 16.0 / 9.0])], "atanh'' = 2x/(1 − x²)²: 0 and 1/(9/16)"),
              third=hvp([np.array([2.0, (2.0 + 6.0 * 0.25) / 0.75 ** 3])], "atanh''' = (2 + 6x²)/(1 − x²)³")),
        point("x=1", [1.0], [np.inf], "1/(1 − x²) → +inf as x → 1− (one-sided, the domain's edge)",
              second=hvp([np.inf], "2x/(1 − x²)² → +inf as x → 1− (one-sided limit)", exists=False, bug=FWD_SECOND_INF)),
        point("x=-1", [-1.0], [np.inf], "1/(1 − x²) → +inf as x → −1+ (one-sided, the domain's edge)",
              second=hvp([-np.inf], "2x/(1 − x²)² → −inf as x → −1+ (one-sided limit)", exists=False, bug=FWD_SECOND_INF)),
        *empty_unary(),
    ], tails=[
        tail("x=1-2^-53 (largest f')", [1.0 - 2.0 ** -53], [1.0 / (2.0 ** -52 - 2.0 ** -106)],
             "1/(1 − x²) with 1 − x² = 2⁻⁵² − 2⁻¹⁰⁶ exactly: 4.5e15"),
    ]),
    # ---- absolute value, sign, max/min, clipping
    op("tf.math.abs", complex_abs_or_abs, [
        Sample((draw("tf.math.abs", (), domain=REAL_NONZERO)[0],), label="scalar"),
        Sample((draw("tf.math.abs", (2, 3), domain=REAL_NONZERO, salt="matrix")[0],), label="2x3"),
        Sample((draw("tf.math.abs", (4, 2), domain=REAL, salt="complex")[0],), {"complex_pairs": True},
               label="complex 4 (ComplexAbs of tf.complex(re, im), last axis re, im)"),
    ], domain="x ≠ 0 (real); z ≠ 0 (complex)", points=[
        point("x=0", [0.0], [between(-1.0, 1.0)], "|x| has a kink at 0: any subgradient in [−1, 1]",
              second=hvp([0.0], "|x| is linear on each side of its kink: both one-sided second derivatives are 0", exists=False)),
        point("x=±1", [np.array([1.0, -1.0])], [np.array([1.0, -1.0])], "d|x|/dx = sign x", second=hvp([np.zeros(2)], "|x|'' = 0 off 0")),
        point("complex z=3+4i", [np.array([3.0, 4.0])], [np.array([0.6, 0.8])], "∇|z| = (re, im)/|z| = (3, 4)/5",
              complex_pairs=True,
              second=hvp([np.array([-8.0, 6.0]) / 125.0], "H = (I − ẑẑᵀ)/|z| = [[16, −12], [−12, 9]]/125: H·(1, 2) = (−8, 6)/125",
                         v=(np.array([1.0, 2.0]),))),
        point("complex z=0", [np.array([0.0, 0.0])], [between([-1.0, -1.0], [1.0, 1.0])],
              "|z| is a cone at 0: subgradients fill the unit disk (asserted within its bounding box)", complex_pairs=True,
              second=hvp([None], "the cone |z| has no second derivative at 0: (I − ẑẑᵀ)/|z| grows without bound in every "
                                 "direction but the radial one (not asserted)", exists=False)),
        *empty_unary(),
    ]),
    unary("tf.math.sign", tf.math.sign, REAL_NONZERO, [
        point("x=-1,2", [np.array([-1.0, 2.0])], [np.zeros(2)], "sign is constant away from 0: derivative 0",
              second=hvp([np.zeros(2)], "sign is locally constant: 0")),
        *empty_unary(),
    ], no_tails="sign is piecewise constant: its derivative is 0 wherever it exists, so there is no x where it could underflow or overflow (no float64 tail)"),
    op("tf.math.maximum", tf.math.maximum, untied("tf.math.maximum"), diff=(0, 1), domain="x ≠ y", points=[
        point("tie x=y", [np.array([1.0, -2.0, 0.0]), np.array([1.0, -2.0, 0.0])], [between(0, 1), between(0, 1)],
              "max(x, y) has a kink at x = y: subgradients (t, 1 − t), t ∈ [0, 1] (math_grad.py sends all to x: grad·(x ≥ y), grad·(x < y))",
              second=hvp([np.zeros(3), np.zeros(3)], "max is linear on each side of the tie: every one-sided second "
                                                     "derivative is 0", v=(1.0, 2.0), exists=False)),
        point("x>y, x<y", [np.array([2.0, -1.0]), np.array([1.0, 3.0])], [np.array([1.0, 0.0]), np.array([0.0, 1.0])],
              "∂max/∂x = [x > y], ∂max/∂y = [y > x]", second=hvp([np.zeros(2), np.zeros(2)], "locally linear: 0", v=(1.0, 2.0))),
        grid("x (3,1) with y (1,4)", GRID_X + 0.1, GRID_Y, lambda x, y: ((x > y) * 1.0, (y > x) * 1.0), lambda x, y: (0 * x, 0 * x, 0 * x),
             "[x > y] and [y > x] counted over the broadcast axis (no ties on this grid)", "locally linear: 0"),
        *empty_binary(),
    ]),
    op("tf.math.minimum", tf.math.minimum, untied("tf.math.minimum"), diff=(0, 1), domain="x ≠ y", points=[
        point("tie x=y", [np.array([1.0, -2.0, 0.0]), np.array([1.0, -2.0, 0.0])], [between(0, 1), between(0, 1)],
              "min(x, y) has a kink at x = y: subgradients (t, 1 − t), t ∈ [0, 1] (math_grad.py sends all to x: grad·(x ≤ y), grad·(x > y))",
              second=hvp([np.zeros(3), np.zeros(3)], "min is linear on each side of the tie: every one-sided second "
                                                     "derivative is 0", v=(1.0, 2.0), exists=False)),
        point("x>y, x<y", [np.array([2.0, -1.0]), np.array([1.0, 3.0])], [np.array([0.0, 1.0]), np.array([1.0, 0.0])],
              "∂min/∂x = [x < y], ∂min/∂y = [y < x]", second=hvp([np.zeros(2), np.zeros(2)], "locally linear: 0", v=(1.0, 2.0))),
        *empty_binary(),
    ]),
    op("tf.clip_by_value", tf.clip_by_value, [
        Sample((np.asarray(0.25), np.asarray(-0.5), np.asarray(1.0)), label="scalar inside"),
        Sample((draw("tf.clip_by_value", (6,), domain=Domain(-2.0, 2.0, "t", avoid=(-0.5, 1.0)))[0], np.asarray(-0.5),
                np.asarray(1.0)), label="vector 6, scalar bounds"),
        Sample((draw("tf.clip_by_value", (2, 3), domain=Domain(-2.0, 2.0, "t", avoid=(-1.0, -0.5, 0.5, 1.0)), salt="m")[0],
                np.array([-1.0, -0.5, -1.0]), np.array([0.5, 1.0, 1.0])), label="2x3, bounds of shape 3"),
    ], diff=(0, 1, 2), domain="t ≠ clip_value_min, t ≠ clip_value_max", points=[
        point("inside, below, above", [np.array([0.0, -1.0, 2.0]), -0.5, 1.0], [np.array([1.0, 0.0, 0.0]), 1.0, 1.0],
              "clip(t, a, b) is t inside (∂t = 1), a below (∂a = 1), b above (∂b = 1)",
              second=hvp([np.zeros(3), 0.0, 0.0], "clip is locally linear off its kinks: 0")),
        point("t at the bounds", [np.array([-0.5, 1.0]), -0.5, 1.0], [between([0, 0], [1, 1]), between(0, 1), between(0, 1)],
              "at t = a or t = b clip has a kink: subgradients split 1 between t and that bound",
              second=hvp([np.zeros(2), 0.0, 0.0], "clip is linear on each side of its kinks: every one-sided second derivative "
                                                  "is 0", exists=False)),
        point("empty t (0,) with scalar bounds", [np.zeros(0), -0.5, 1.0], [np.zeros(0), 0.0, 0.0],
              EMPTY_WHY + "; the bounds are broadcast over no entries: ∂/∂a = ∂/∂b = 0",
              second=hvp([np.zeros(0), 0.0, 0.0], EMPTY_SECOND)),
    ]),
    binary("tf.math.squared_difference", tf.math.squared_difference, REAL, REAL, [
        point("x=y", [np.array([1.0, -2.0]), np.array([1.0, -2.0])], [np.zeros(2), np.zeros(2)],
              "∂(x − y)²/∂x = 2(x − y) = 0 at x = y, ∂/∂y = −2(x − y) = 0",
              second=hvp([np.full(2, -2.0), np.full(2, 2.0)], "H = [[2, −2], [−2, 2]]: H·(1, 2) = (−2, 2)", v=(1.0, 2.0))),
        point("x=3,y=1", [3.0, 1.0], [4.0, -4.0], "2(x − y) = 4 and −2(x − y) = −4",
              second=hvp([-2.0, 2.0], "H = [[2, −2], [−2, 2]]: H·(1, 2) = (−2, 2)", v=(1.0, 2.0))),
        grid("x (3,1) with y (1,4)", GRID_X, GRID_Y, lambda x, y: (2 * (x - y), -2 * (x - y)), lambda x, y: (2 + 0 * x, -2 + 0 * x, 2 + 0 * x),
             "2(x − y) and −2(x − y), summed over the broadcast axis", "H = [[2, −2], [−2, 2]] per pair, summed"),
        *empty_binary(),
    ], tails=[
        tail("x=1e200,y=-1e200 ((x − y)² overflows)", [1e200, -1e200], [4e200, -4e200], "2(x − y) = 4e200 while (x − y)² = inf"),
        ftz("x=1e-310,y=0 (subnormal derivative)", [1e-310, 0.0], [2e-310, -2e-310], "2(x − y) = 2e-310, subnormal"),
    ]),
    # ---- the safe variants
    binary("tf.math.xlogy", tf.math.xlogy, REAL, POSITIVE, [
        point("x=0,y=2", [0.0, 2.0], [np.log(2.0), 0.0], "∂/∂x (x·log y) = log y; ∂/∂y = x/y = 0 at x = 0",
              bug=XLOGY_AT_X0,
              second=hvp([1.0, 0.5], "H = [[0, 1/y], [1/y, −x/y²]] = [[0, 1/2], [1/2, 0]] at (0, 2): H·(1, 2) = (1, 1/2)",
                         v=(1.0, 2.0), bug=XLOGY_SECOND_AT_X0),
              third=hvp([-1.0, -1.0], "vᵀH(x, y)v = 2v_x v_y/y − v_y² x/y² for v = (1, 2); its gradient (−v_y²/y², "
                                      "−2v_x v_y/y² + 2v_y² x/y³) is (−1, −1) at (0, 2)", v=(1.0, 2.0), bug=XLOGY_SECOND_AT_X0)),
        point("x=0,y=0", [0.0, 0.0], [-np.inf, 0.0],
              "xlogy(0, y) = 0 for every y, so ∂/∂y = 0; ∂/∂x = log y = −inf at y = 0 (both one-sided quotients are −inf)",
              bug=XLOGY_AT_X0,
              second=hvp([None, 0.0], "along x = 0 xlogy is 0, so ∂²/∂y² = 0 (v = (0, 1)); ∂²/∂x∂y = 1/y → +inf, and x·log y "
                                      "is not even finite on y = 0 for x ≠ 0: the x-part is not asserted", v=(0.0, 1.0), exists=False)),
        point("x=1,y=1", [1.0, 1.0], [0.0, 1.0], "log 1 = 0 and x/y = 1",
              second=hvp([1.0, 0.0], "H = [[0, 1/y], [1/y, −x/y²]] = [[0, 1], [1, −1]] at (1, 1): H·(1, 1) = (1, 0)"),
              third=hvp([-1.0, 0.0], "vᵀH(x, y)v = 2/y − x/y² for v = (1, 1); its gradient (−1/y², −2/y² + 2x/y³) is (−1, 0) at (1, 1)")),
        grid("x (3,1) with y (1,4)", GRID_X, GRID_Y, lambda x, y: (np.log(y) + 0 * x, x / y),
             lambda x, y: (0 * x, 1 / y + 0 * x, -x / y ** 2), "log y and x/y, summed over the broadcast axis",
             "f_xx = 0, f_xy = 1/y, f_yy = −x/y² on the grid"),
        *empty_binary(),
    ], tails=[
        tail("x=1,y=2^1022 (∂/∂y last normal)", [1.0, 2.0 ** 1022], [1022 * LN2, 2.0 ** -1022], "log y = 1022 log 2, x/y = 2⁻¹⁰²²"),
        ftz("x=1,y=1.7e308 (∂/∂y subnormal)", [1.0, 1.7e308], [np.log(1.7e308), 1.0 / 1.7e308], "log y = 709.7, x/y = 5.9e-309 (subnormal)"),
        tail("x=1,y=2^-1022 (∂/∂y near the largest float)", [1.0, 2.0 ** -1022], [-1022 * LN2, 2.0 ** 1022], "log y = −708.4, x/y = 2¹⁰²²"),
    ]),
    binary("tf.math.xlog1py", tf.math.xlog1py, REAL, ABOVE_MINUS_ONE, [
        point("x=0,y=1", [0.0, 1.0], [np.log(2.0), 0.0], "∂/∂x (x·log(1 + y)) = log(1 + y) = log 2; ∂/∂y = x/(1 + y) = 0",
              bug=XLOG1PY_AT_X0,
              second=hvp([1.0, 0.5], "H = [[0, 1/(1 + y)], [1/(1 + y), −x/(1 + y)²]] = [[0, 1/2], [1/2, 0]]: H·(1, 2) = (1, 1/2)",
                         v=(1.0, 2.0), bug=XLOG1PY_SECOND_AT_X0),
              third=hvp([-1.0, -1.0], "vᵀHv = 2v_x v_y/(1 + y) − v_y² x/(1 + y)² for v = (1, 2); its gradient "
                                      "(−v_y²/(1 + y)², −2v_x v_y/(1 + y)² + 2v_y² x/(1 + y)³) is (−1, −1) at (0, 1)",
                        v=(1.0, 2.0), bug=XLOG1PY_SECOND_AT_X0)),
        point("x=0,y=-1", [0.0, -1.0], [-np.inf, 0.0],
              "xlog1py(0, y) = 0 for every y, so ∂/∂y = 0; ∂/∂x = log(1 + y) = −inf at y = −1", bug=XLOG1PY_AT_X0,
              second=hvp([None, 0.0], "along x = 0 xlog1py is 0, so ∂²/∂y² = 0 (v = (0, 1)); ∂²/∂x∂y = 1/(1 + y) → +inf: "
                                      "the x-part is not asserted", v=(0.0, 1.0), exists=False)),
        point("x=2,y=0", [2.0, 0.0], [0.0, 2.0], "log(1 + 0) = 0 and x/(1 + y) = 2",
              second=hvp([2.0, -3.0], "H = [[0, 1/(1 + y)], [1/(1 + y), −x/(1 + y)²]] = [[0, 1], [1, −2]]: H·(1, 2) = (2, −3)",
                         v=(1.0, 2.0))),
        *empty_binary(),
    ], tails=[
        tail("x=1,y=2^1022 (∂/∂y last normal)", [1.0, 2.0 ** 1022], [1022 * LN2, 2.0 ** -1022], "log(1 + y) = 1022 log 2, x/(1 + y) = 2⁻¹⁰²²"),
        ftz("x=1,y=1.7e308 (∂/∂y subnormal)", [1.0, 1.7e308], [np.log(1.7e308), 1.0 / 1.7e308], "x/(1 + y) = 5.9e-309 (subnormal)"),
    ]),
    binary("tf.math.xdivy", tf.math.xdivy, REAL, REAL_NONZERO, [
        point("x=0,y=2", [0.0, 2.0], [0.5, 0.0], "∂/∂x (x/y) = 1/y = 0.5; ∂/∂y = −x/y² = 0 at x = 0", bug=XDIVY_AT_X0,
              second=hvp([-0.5, -0.25], "H = [[0, −1/y²], [−1/y², 2x/y³]] = [[0, −1/4], [−1/4, 0]]: H·(1, 2) = (−1/2, −1/4)",
                         v=(1.0, 2.0), bug=XDIVY_SECOND_AT_X0),
              third=hvp([1.0, 1.0], "vᵀHv = −2v_x v_y/y² + 2v_y² x/y³ for v = (1, 2); its gradient (2v_y²/y³, 4v_x v_y/y³ − "
                                    "6v_y² x/y⁴) is (1, 1) at (0, 2)", v=(1.0, 2.0), bug=XDIVY_SECOND_AT_X0)),
        point("x=0,y=0", [0.0, 0.0], [None, 0.0],
              "xdivy(0, y) = 0 for every y, so ∂/∂y = 0; x/0 = ±inf for x ≠ 0 (∂/∂x not asserted)",
              second=hvp([None, 0.0], "along x = 0 xdivy is 0, so ∂²/∂y² = 0 (v = (0, 1)); ∂²/∂x∂y = −1/y² → −inf: the "
                                      "x-part is not asserted", v=(0.0, 1.0), exists=False)),
        point("x=3,y=-2", [3.0, -2.0], [-0.5, -0.75], "1/y = −0.5 and −x/y² = −3/4",
              second=hvp([-0.5, -1.75], "f_xy = −1/y² = −1/4, f_yy = 2x/y³ = −3/4: H·(1, 2) = (−1/2, −1/4 − 3/2)", v=(1.0, 2.0))),
        *empty_binary(),
    ], tails=quotient_tails()),
    binary("tf.math.divide_no_nan", tf.math.divide_no_nan, REAL, REAL_NONZERO, [
        point("x=3,y=0", [3.0, 0.0], [0.0, None],
              "divide_no_nan(x, 0) = 0 for every x (documented), so ∂/∂x = 0; x/y jumps at y = 0 (∂/∂y not asserted)",
              second=hvp([0.0, None], "f(x, 0) = 0 for every x: ∂²/∂x² = 0 (v = (1, 0)); ∂/∂x = 1/y jumps at y = 0, so "
                                      "∂²/∂y∂x does not exist (not asserted)", v=(1.0, 0.0), exists=False)),
        point("x=0,y=0", [0.0, 0.0], [0.0, 0.0], "f(x, 0) = 0 for every x and f(0, y) = 0 for every y: both partials are 0",
              second=hvp([0.0, None], "f(x, 0) = 0 for every x: ∂²/∂x² = 0 (v = (1, 0)); the mixed part does not exist "
                                      "(not asserted)", v=(1.0, 0.0), exists=False)),
        point("x=0,y=2", [0.0, 2.0], [0.5, 0.0], "1/y = 0.5 and −x/y² = 0",
              second=hvp([-0.5, -0.25], "f_xy = −1/y² = −1/4, f_yy = 2x/y³ = 0: H·(1, 2) = (−1/2, −1/4)", v=(1.0, 2.0))),
        *empty_binary(),
    ], tails=quotient_tails()),
    binary("tf.math.multiply_no_nan", tf.math.multiply_no_nan, REAL, REAL, [
        point("x=3,y=0", [3.0, 0.0], [0.0, 3.0], "∂(xy)/∂x = y = 0, ∂(xy)/∂y = x = 3",
              second=hvp([2.0, 1.0], "H = [[0, 1], [1, 0]]: H·(1, 2) = (2, 1)", v=(1.0, 2.0))),
        point("x=0,y=0", [0.0, 0.0], [0.0, 0.0], "∂(xy)/∂x = y = 0, ∂(xy)/∂y = x = 0",
              second=hvp([2.0, 1.0], "H = [[0, 1], [1, 0]]: H·(1, 2) = (2, 1)", v=(1.0, 2.0))),
        point("x=inf,y=0", [np.inf, 0.0], [0.0, None],
              "multiply_no_nan(x, 0) = 0 for every x, inf included (documented), so ∂/∂x = 0; inf·y is not finite for y ≠ 0 (∂/∂y not asserted)",
              second=hvp([0.0, None], "f(x, 0) = 0 for every x: ∂²/∂x² = 0 (v = (1, 0)); the y-part is not finite (not asserted)",
                         v=(1.0, 0.0))),
        *empty_binary(),
    ], tails=[
        tail("x=y=1e200 (xy overflows)", [1e200, 1e200], [1e200, 1e200], "xy = inf, but the partials y and x are 1e200"),
        ftz("x=1,y=1e-310 (∂/∂x subnormal)", [1.0, 1e-310], [1e-310, 1.0], "∂/∂x = y = 1e-310 (subnormal)", modes=("eager", "xla")),
    ]),
    unary("tf.math.reciprocal_no_nan", tf.math.reciprocal_no_nan, REAL_NONZERO, [
        point("x=±1,-2", [np.array([1.0, -1.0, -2.0])], [np.array([-1.0, -1.0, -0.25])], "d(1/x)/dx = −1/x²",
              second=hvp([np.array([2.0, -2.0, -0.25])], "(1/x)'' = 2/x³"),
              third=hvp([np.array([-6.0, -6.0, -6.0 / 16.0])], "(1/x)''' = −6/x⁴")),
        *empty_unary(),
    ], tails=reciprocal_tails("(1/x)")),
    unary("tf.math.softplus", tf.math.softplus, REAL, [
        point("x=0", [0.0], [0.5], "softplus' = σ(x) = 1/2", second=hvp([0.25], "softplus'' = σ'(x) = 1/4"),
              third=hvp([0.0], "softplus''' = σ''(x) = σ'(1 − 2σ) = 0 at 0")),
        point("x=±40", [np.array([40.0, -40.0])], [np.array([1.0 / (1.0 + np.exp(-40.0)), S40])],
              "σ(40) = 1 − 4.25e-18, σ(−40) = 4.25e-18: finite in both tails",
              second=hvp([np.full(2, SIGMOID_PRIME_40)], "σ'(±40) = 4.25e-18")),
        point("x=±800", [np.array([800.0, -800.0])], [np.array([1.0, 0.0])], "σ(±800) = 1 and 0 to float64",
              second=hvp([np.zeros(2)], "σ'(±800) ≤ e^−800: 0 in float64")),
        *empty_unary(),
    ], tails=[
        tail("x=-708 (last normal f')", [-708.0], [np.exp(-708.0) / (1.0 + np.exp(-708.0))], "σ(−708) = 3.3e-308"),
        ftz("x=-740 (subnormal f')", [-740.0], [np.exp(-740.0)], "σ(−740) = 4.2e-322, subnormal"),
        tail("x=1e308 (softplus near the largest float)", [1e308], [1.0], "softplus(x) = x there, σ(x) = 1"),
    ]),
    representative_first(unary("tf.math.softsign", tf.math.softsign, REAL, [
        point("x=0", [0.0], [1.0], "d(x/(1 + |x|))/dx = 1/(1 + |x|)², differentiable at 0 with derivative 1",
              second=hvp([between(-2.0, 2.0)], "softsign'' = −2 sign(x)/(1 + |x|)³ jumps at 0 (−2 from the right, +2 from the "
                                               "left): any value between the one-sided second derivatives", exists=False,
                         bug=SOFTSIGN_GRAD_FORWARD_OVER_FORWARD)),
        point("x=±1", [np.array([1.0, -1.0])], [np.array([0.25, 0.25])], "1/(1 + |x|)² = 1/4",
              second=hvp([np.array([-0.25, 0.25])], "−2 sign(x)/(1 + |x|)³ = ∓1/4", bug=SOFTSIGN_GRAD_FORWARD_OVER_FORWARD),
              third=hvp([np.array([0.375, 0.375])], "softsign''' = 6/(1 + |x|)⁴ = 6/16")),
        point("x=1e10", [1e10], [1.0 / (1.0 + 1e10) ** 2], "1/(1 + |x|)² ≈ 1e-20",
              second=hvp([-2.0 / (1.0 + 1e10) ** 3], "−2/(1 + x)³ ≈ −2e-30", bug=SOFTSIGN_GRAD_FORWARD_OVER_FORWARD)),
        *empty_unary(),
    ], bugs=(SOFTSIGN_GRAD_NO_GRADIENT,), tails=[
        tail("x=2^511 (last normal f')", [BIG], [1.0 / (1.0 + BIG) ** 2], "1/(1 + |x|)² = 2⁻¹⁰²²"),
        ftz("x=2^520 (subnormal f')", [SUB], [2.0 ** -1040], "1/(1 + |x|)² = 2⁻¹⁰⁴⁰, subnormal"),
    ])),
    # ---- piecewise constant: derivative 0 almost everywhere
    unary("tf.math.floor", tf.math.floor, NOT_INTEGER, [
        point("x=0.5,-1.5", [np.array([0.5, -1.5])], [np.zeros(2)], "floor is locally constant off the integers",
              second=hvp([np.zeros(2)], "locally constant: 0")),
        *empty_unary(),
    ], no_tails="floor is piecewise constant: its derivative is 0 wherever it exists, so there is no x where it could underflow or overflow (no float64 tail)"),
    unary("tf.math.ceil", tf.math.ceil, NOT_INTEGER, [
        point("x=0.5,-1.5", [np.array([0.5, -1.5])], [np.zeros(2)], "ceil is locally constant off the integers",
              second=hvp([np.zeros(2)], "locally constant: 0")),
        *empty_unary(),
    ], no_tails="ceil is piecewise constant: its derivative is 0 wherever it exists, so there is no x where it could underflow or overflow (no float64 tail)"),
    unary("tf.math.round", tf.math.round, NOT_HALF_INTEGER, [
        point("x=0.2,-1.0,2.0", [np.array([0.2, -1.0, 2.0])], [np.zeros(3)], "round is locally constant off the half-integers",
              second=hvp([np.zeros(3)], "locally constant: 0")),
        *empty_unary(),
    ], no_tails="round is piecewise constant: its derivative is 0 wherever it exists, so there is no x where it could underflow or overflow (no float64 tail)"),
    unary("tf.math.rint", tf.math.rint, NOT_HALF_INTEGER, [
        point("x=0.2,-1.0,2.0", [np.array([0.2, -1.0, 2.0])], [np.zeros(3)], "rint is locally constant off the half-integers",
              second=hvp([np.zeros(3)], "locally constant: 0")),
        *empty_unary(),
    ], no_tails="rint is piecewise constant: its derivative is 0 wherever it exists, so there is no x where it could underflow or overflow (no float64 tail)"),
    op("tf.math.floordiv", tf.math.floordiv, off_integer_quotients("tf.math.floordiv"), diff=(0, 1),
       domain="y ≠ 0, x/y not an integer", points=[
           point("x=5.5,y=2", [5.5, 2.0], [0.0, 0.0], "floor(x/y) is locally constant off the integers",
                 second=hvp([0.0, 0.0], "locally constant: 0", v=(1.0, 2.0))),
           *empty_binary(2.0),
       ]),
    op("tf.truncatediv", tf.truncatediv, off_integer_quotients("tf.truncatediv"), diff=(0, 1),
       domain="y ≠ 0, x/y not an integer", points=[
           point("x=-5.5,y=2", [-5.5, 2.0], [0.0, 0.0], "trunc(x/y) is locally constant off the integers",
                 second=hvp([0.0, 0.0], "locally constant: 0", v=(1.0, 2.0))),
           *empty_binary(2.0),
       ]),
    op("tf.math.floormod", tf.math.floormod, off_integer_quotients("tf.math.floormod"), diff=(0, 1),
       domain="y ≠ 0, x/y not an integer", points=[
           point("x=±5.5,y=2", [np.array([5.5, -5.5]), np.array([2.0, 2.0])], [np.ones(2), np.array([-2.0, 3.0])],
                 "x − floor(x/y)·y: ∂/∂x = 1, ∂/∂y = −floor(x/y) = −2 and 3",
                 second=hvp([np.zeros(2), np.zeros(2)], "x − floor(x/y)·y is linear in (x, y) where floor(x/y) is constant: 0",
                            v=(1.0, 2.0))),
           *empty_binary(2.0),
       ]),
    representative_first(op("tf.truncatemod", tf.truncatemod, off_integer_quotients("tf.truncatemod"), diff=(0, 1),
       domain="y ≠ 0, x/y not an integer", bugs=(TRUNCATEMOD_NO_GRADIENT,), points=[
           point("x=±5.5,y=2", [np.array([5.5, -5.5]), np.array([2.0, 2.0])], [np.ones(2), np.array([-2.0, 2.0])],
                 "x − trunc(x/y)·y: ∂/∂x = 1, ∂/∂y = −trunc(x/y) = −2 and 2",
                 second=hvp([np.zeros(2), np.zeros(2)], "x − trunc(x/y)·y is linear in (x, y) where trunc(x/y) is constant: 0",
                            v=(1.0, 2.0))),
           *empty_binary(2.0),
       ])),
    # ---- complex parts, as real functions of tf.complex(re, im)
    binary("tf.math.real", lambda re, im: tf.math.real(tf.complex(re, im)), REAL, REAL, [
        point("z=0", [0.0, 0.0], [1.0, 0.0], "Re(re + i·im) = re", second=hvp([0.0, 0.0], ZERO_H, v=(1.0, 2.0))),
        *empty_binary(),
    ], no_tails="Re(re + i·im) = re has the constant gradient (1, 0), so there is no point where it could underflow or overflow (no float64 tail)"),
    binary("tf.math.imag", lambda re, im: tf.math.imag(tf.complex(re, im)), REAL, REAL, [
        point("z=0", [0.0, 0.0], [0.0, 1.0], "Im(re + i·im) = im", second=hvp([0.0, 0.0], ZERO_H, v=(1.0, 2.0))),
        *empty_binary(),
    ], no_tails="Im(re + i·im) = im has the constant gradient (0, 1), so there is no point where it could underflow or overflow (no float64 tail)"),
    binary("tf.math.conj", conj_parts, REAL, REAL, [
        point("z=1+2i", [1.0, 2.0], [1.0, -1.0], "conj = (re, −im): the sum of its parts re − im has gradient (1, −1)",
              second=hvp([0.0, 0.0], ZERO_H, v=(1.0, 2.0))),
        *empty_binary(),
    ], no_tails="the parts (re, −im) of the conjugate have the constant Jacobian diag(1, −1) (gradient of their sum (1, −1)), so there is no point where it could underflow or overflow (no float64 tail)"),
    binary("tf.math.angle", lambda re, im: tf.math.angle(tf.complex(re, im)), REAL, REAL_NONZERO, [
        point("z=1", [1.0, 0.0], [0.0, 1.0], "arg z = atan2(im, re): ∂/∂re = −im/|z|² = 0, ∂/∂im = re/|z|² = 1",
              second=hvp([-2.0, -1.0], "f_re,re = 2 re·im/|z|⁴ = 0, f_im,im = −2 re·im/|z|⁴ = 0, f_re,im = (im² − re²)/|z|⁴ = −1: "
                                       "H·(1, 2) = (−2, −1)", v=(1.0, 2.0))),
        point("z=i", [0.0, 1.0], [-1.0, 0.0], "−im/|z|² = −1 and re/|z|² = 0",
              second=hvp([2.0, 1.0], "f_re,im = (im² − re²)/|z|⁴ = 1, the diagonal 0: H·(1, 2) = (2, 1)", v=(1.0, 2.0))),
        point("z=-1+0i (branch cut)", [-1.0, 0.0], [0.0, -1.0],
              "arg(−1 + 0i) = π is the limit from im > 0, where ∂/∂im = re/|z|² = −1 (one-sided); arg is π along the "
              "negative real axis, so ∂/∂re = 0",
              second=hvp([-2.0, -1.0], "one-sided from im > 0, where arg is smooth: f_re,im = (im² − re²)/|z|⁴ = −1, the "
                                       "diagonal 0: H·(1, 2) = (−2, −1)", v=(1.0, 2.0), exists=False)),
        *empty_binary(),
    ], tails=[
        tail("re=1,im=1e300", [1.0, 1e300], [-1e-300, None], "∂/∂re = −im/|z|² = −1e-300 (normal); ∂/∂im = re/|z|² = 1e-600 "
                                                            "is below the subnormals (not asserted)"),
        tail("re=im=1e300 (|z|² overflows)", [1e300, 1e300], [-0.5e-300, 0.5e-300], "∓1/(2·1e300) = ∓5e-301"),
    ]),
    # ---- several tensors
    op("tf.math.scalar_mul", tf.math.scalar_mul, [
        Sample((draw("tf.math.scalar_mul", ())[0], draw("tf.math.scalar_mul", (5,), salt="x")[0]), label="scalar times 5"),
        Sample((draw("tf.math.scalar_mul", (), salt="s2")[0], draw("tf.math.scalar_mul", (2, 3), salt="x2")[0]),
               label="scalar times 2x3"),
    ], diff=(0, 1), points=[
        point("scalar=0", [0.0, np.array([1.0, -2.0, 4.0])], [3.0, np.zeros(3)], "∂Σ s·xᵢ/∂s = Σ xᵢ = 3, ∂/∂xᵢ = s = 0",
              second=hvp([6.0, np.full(3, 2.0)], "∂²/∂s∂xᵢ = 1, the rest 0: (H·v)_s = Σ v_xᵢ = 6, (H·v)_xᵢ = v_s = 2",
                         v=(2.0, np.array([1.0, 2.0, 3.0])))),
        point("scalar times empty (0,)", [2.0, np.zeros(0)], [0.0, np.zeros(0)],
              "s times no entries: Σf is the empty sum, ∂/∂s = 0 and the x-gradient is empty",
              second=hvp([0.0, np.zeros(0)], EMPTY_SECOND)),
    ]),
    op("tf.math.add_n", add_n, [
        Sample(tuple(draw("tf.math.add_n", (), (), ())), label="3 scalars"),
        Sample(tuple(draw("tf.math.add_n", (4,), (4,), (4,), salt="v")), label="3 vectors of 4"),
        Sample(tuple(draw("tf.math.add_n", (2, 3), (2, 3), (2, 3), salt="m")), label="3 of 2x3"),
    ], diff=(0, 1, 2), points=[
        point("zeros", [np.zeros(2), np.zeros(2), np.zeros(2)], [np.ones(2), np.ones(2), np.ones(2)], "∂(a + b + c) = 1 for each",
              second=hvp([np.zeros(2)] * 3, ZERO_H)),
        point("one-element list", [np.array([1.0, -2.0]), np.zeros(2), np.zeros(2)], [np.ones(2), np.zeros(2), np.zeros(2)],
              "add_n([a]) = a: ∂/∂a = 1; b and c are not in the list (gradient 0)", count=1,
              second=hvp([np.zeros(2)] * 3, ZERO_H)),
        point("zero-size (2,0) inputs", [np.zeros((2, 0))] * 3, [np.zeros((2, 0))] * 3, EMPTY_WHY,
              second=hvp([np.zeros((2, 0))] * 3, EMPTY_SECOND)),
    ]),
    op("tf.math.accumulate_n", accumulate_n, [
        Sample(tuple(draw("tf.math.accumulate_n", (4,), (4,), (4,), salt="v")), label="3 vectors of 4"),
        Sample(tuple(draw("tf.math.accumulate_n", (2, 3), (2, 3), (2, 3), salt="m")), label="3 of 2x3"),
    ], diff=(0, 1, 2), points=[
        point("zeros", [np.zeros(2), np.zeros(2), np.zeros(2)], [np.ones(2), np.ones(2), np.ones(2)], "∂(a + b + c) = 1 for each",
              second=hvp([np.zeros(2)] * 3, ZERO_H)),
        point("one-element list", [np.array([1.0, -2.0]), np.zeros(2), np.zeros(2)], [np.ones(2), np.zeros(2), np.zeros(2)],
              "accumulate_n([a]) = a: ∂/∂a = 1; b and c are not in the list (gradient 0)", count=1,
              second=hvp([np.zeros(2)] * 3, ZERO_H)),
        point("zero-size (0,) inputs", [np.zeros(0)] * 3, [np.zeros(0)] * 3, EMPTY_WHY,
              second=hvp([np.zeros(0)] * 3, EMPTY_SECOND)),
    ]),
    op("tf.math.polyval", polyval, [
        Sample((draw("tf.math.polyval", (3,))[0], draw("tf.math.polyval", (5,), salt="x")[0]), label="degree 2 at 5 points"),
        Sample((draw("tf.math.polyval", (4,), salt="c4")[0], draw("tf.math.polyval", (2, 3), salt="x4")[0]),
               label="degree 3 at 2x3 points"),
        Sample((draw("tf.math.polyval", (1,), salt="c1")[0], draw("tf.math.polyval", (), salt="x1")[0]),
               label="degree 0 (constant) at a scalar"),
    ], diff=(0, 1), domain="all reals", points=[
        point("2x²-3x+1 at x=0,1", [np.array([2.0, -3.0, 1.0]), np.array([0.0, 1.0])], [np.array([1.0, 1.0, 2.0]), np.array([-3.0, 1.0])],
              "∂Σp(xⱼ)/∂cₖ = Σ xⱼ^(2−k) = (0 + 1, 0 + 1, 1 + 1); p'(x) = 4x − 3",
              second=hvp([np.array([4.0, 3.0, 0.0]), np.array([5.0, 11.0])],
                         "∂²/∂cₖ∂xⱼ = (2−k)xⱼ^(1−k), ∂²/∂xⱼ² = p''(xⱼ) = 4, ∂²/∂cₖ∂cₗ = 0; with v = ((1, 1, 1), (1, 2)): "
                         "(H·v)_c = (Σ 2xⱼv_xⱼ, Σ v_xⱼ, 0) = (4, 3, 0), (H·v)_xⱼ = 4v_xⱼ + (2xⱼ + 1) = (5, 11)",
                         v=(np.ones(3), np.array([1.0, 2.0])))),
        point("no coefficients", [np.zeros(0), np.array([1.0, 2.0])], [np.zeros(0), np.zeros(2)],
              "the polynomial with no coefficients is the empty sum 0 (math_ops.polyval returns zeros_like(x)): ∂/∂x = 0, and the coefficient gradient is empty",
              second=hvp([np.zeros(0), np.zeros(2)], "p = 0: H = 0")),
        point("one coefficient at 3 points", [np.array([2.0]), np.array([1.0, 2.0, 3.0])], [np.array([3.0]), np.zeros(3)],
              "p(x) = c₀ at each of the 3 points (numpy.polyval, which the docstring calls equivalent, gives x's shape): "
              "∂Σp/∂c₀ = 3, ∂/∂x = 0", bug=POLYVAL_ONE_COEFFICIENT,
              second=hvp([np.zeros(1), np.zeros(3)], "p = c₀ is linear in c₀ and constant in x: H = 0")),
        point("zero-size x", [np.array([2.0, -3.0, 1.0]), np.zeros((2, 0))], [np.zeros(3), np.zeros((2, 0))],
              "no points: Σp is the empty sum, so ∂/∂cₖ = 0 and the x-gradient is empty",
              second=hvp([np.zeros(3), np.zeros((2, 0))], EMPTY_SECOND)),
    ]),
    binary("tf.math.nextafter", tf.math.nextafter, REAL, FAR_ABOVE, [
        point("x1=1,x2=2", [1.0, 2.0], [1.0, 0.0],
              "nextafter(x1, x2) = x1 + one ulp towards x2: as a function of real x1 it is x1 + O(ulp), ∂/∂x1 = 1; it depends on x2 only through the direction, ∂/∂x2 = 0",
              second=hvp([0.0, 0.0], "x1 + O(ulp) is linear in x1 and locally constant in x2: 0", v=(1.0, 2.0))),
        *empty_binary(3.0),
    ], no_tails="as a function of real arguments nextafter(x1, x2) is x1 + O(ulp): its gradient is the constant (1, 0), so there is no point where it could underflow or overflow (no float64 tail)"),
]
