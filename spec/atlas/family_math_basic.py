"""tf.math: arithmetic, powers, exponentials and logarithms, trigonometric and hyperbolic functions.

Elementwise ops of one or two tensors (and the few that take a list of them: add_n, accumulate_n,
polyval), the "safe" variants (xlogy, xdivy, divide_no_nan, multiply_no_nan, reciprocal_no_nan), the
piecewise-constant ones whose derivative is 0 almost everywhere (sign, floor, ceil, round, rint,
floordiv, truncatediv) and the complex parts (real, imag, conj, angle, abs) as real functions of
tf.complex(re, im). Gradient rules: tensorflow/python/ops/math_grad.py (Softplus/Softsign: nn_grad.py,
clip_by_value: clip_ops.py, a Minimum then a Maximum).
"""
import numpy as np
import tensorflow as tf

from spec.atlas.records import (BINARY_SHAPES, POSITIVE, REAL, REAL_NONZERO, UNIT_OPEN, Domain, KnownBug,
                                Sample, Workaround, as_f32_exact, between, binary, distinct, draw, hvp, op, point, rng_for, tail,
                                unary)

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


def reproducer(*lines: str) -> str:
    return "\n".join(("import tensorflow as tf",) + lines)


# ------------------------------------------------------------------------------------------ known bugs

XLOGY_AT_X0 = KnownBug(
    "XlogyGrad returns ∂/∂x = xlogy(x ≠ 0, y) = 0 at x = 0, but ∂/∂x (x·log y) = log y for every x (the zero-mask "
    "of the forward value was applied to the derivative)",
    "https://github.com/tensorflow/tensorflow/issues/119476",
    reproducer("x, y = tf.constant(0.0, tf.float64), tf.constant(2.0, tf.float64)",
               "with tf.GradientTape() as t:",
               "    t.watch(x)",
               "    z = tf.math.xlogy(x, y)",
               "print(t.gradient(z, x))  # expected log(2) = 0.693..., got 0.0"),
    kind="wrong value", kind_why="x·log y is differentiable in x at x = 0 for y > 0 (∂/∂x = log y); TensorFlow returns 0",
    workaround=Workaround('''import tensorflow as tf


@tf.custom_gradient
def xlogy(x, y):
    """tf.math.xlogy with ∂/∂x = log y at every x (TensorFlow's gradient masks it to 0 where x = 0)."""
    def grad(upstream):
        gx, gy = upstream * tf.math.log(y), upstream * tf.math.xdivy(x, y)
        sx, sy = tf.shape(x), tf.shape(y)
        rx, ry = tf.raw_ops.BroadcastGradientArgs(s0=sx, s1=sy)  # sum over the axes each input was broadcast along
        return tf.reshape(tf.reduce_sum(gx, rx), sx), tf.reshape(tf.reduce_sum(gy, ry), sy)
    return tf.math.xlogy(x, y), grad
''', "xlogy"))

XLOG1PY_AT_X0 = KnownBug(
    "Xlog1pyGrad returns ∂/∂x = xlog1py(x ≠ 0, y) = 0 at x = 0, but ∂/∂x (x·log(1 + y)) = log(1 + y) for every x",
    "https://github.com/tensorflow/tensorflow/issues/119476",
    reproducer("x, y = tf.constant(0.0, tf.float64), tf.constant(1.0, tf.float64)",
               "with tf.GradientTape() as t:",
               "    t.watch(x)",
               "    z = tf.math.xlog1py(x, y)",
               "print(t.gradient(z, x))  # expected log(2) = 0.693..., got 0.0"))

XDIVY_AT_X0 = KnownBug(
    "XdivyGrad returns ∂/∂x = xdivy(x ≠ 0, y) = 0 at x = 0, but ∂/∂x (x / y) = 1/y for every x",
    "https://github.com/tensorflow/tensorflow/issues/127238",
    reproducer("x, y = tf.constant(0.0, tf.float64), tf.constant(2.0, tf.float64)",
               "with tf.GradientTape() as t:",
               "    t.watch(x)",
               "    z = tf.math.xdivy(x, y)",
               "print(t.gradient(z, x))  # expected 0.5, got 0.0"))

POW_X0_Y0 = KnownBug(
    "PowGrad computes ∂/∂x = y·x^(y−1) = 0·0^(−1) = 0·inf = NaN at x = 0, y = 0, but x⁰ = 1 for every x, so the "
    "derivative is 0 (the same NaN makes the 5th derivative of x⁴ NaN at 0)",
    "https://github.com/tensorflow/tensorflow/issues/35011",
    reproducer("x = tf.constant(0.0, tf.float64)",
               "with tf.GradientTape() as t:",
               "    t.watch(x)",
               "    z = tf.math.pow(x, tf.constant(0.0, tf.float64))",
               "print(t.gradient(z, x))  # expected 0.0, got nan"))

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
            "forward_over_forward", "special_reverse", "special_forward", "float32", "gpu"))

SOFTSIGN_GRAD_NO_GRADIENT = KnownBug(
    "SoftsignGrad (the op Softsign's gradient emits) has no registered gradient, so every second derivative and "
    "forward mode (ForwardAccumulator differentiates the backward function) raise LookupError; softsign is smooth "
    "with f'' = −2·sign(x)/(1 + |x|)³",
    "https://github.com/tensorflow/tensorflow/pull/126092",
    reproducer("x = tf.constant(0.5, tf.float64)",
               "with tf.autodiff.ForwardAccumulator(x, tf.constant(1.0, tf.float64)) as acc:",
               "    y = tf.math.softsign(x)",
               "print(acc.jvp(y))  # expected 1/(1.5)^2 = 0.444..., got LookupError: gradient registry has no entry for: SoftsignGrad"),
    checks=("forward", "reverse_over_reverse", "forward_over_reverse", "reverse_over_forward",
            "forward_over_forward", "special_forward"))

# ------------------------------------------------------------------------------------------ the ops

S40 = 1.0 / (1.0 + np.exp(40.0))  # σ(−40) = e^−40 / (1 + e^−40), float64 closed form
SIGMOID_PRIME_40 = np.exp(-40.0) / (1.0 + np.exp(-40.0)) ** 2  # σ'(±40) = e^−40 / (1 + e^−40)², 4.25e-18

OPS = [
    # ---- arithmetic
    binary("tf.math.add", tf.math.add, REAL, REAL, [
        point("x=0,y=0", [0.0, 0.0], [1.0, 1.0], "∂(x + y)/∂x = ∂(x + y)/∂y = 1"),
        point("broadcast y over 3 x", [np.array([1.0, -2.0, 0.5]), 0.0], [np.ones(3), 3.0],
              "the scalar y is added to each of 3 entries: ∂Σ/∂y = 3"),
    ]),
    binary("tf.math.subtract", tf.math.subtract, REAL, REAL, [
        point("x=0,y=0", [0.0, 0.0], [1.0, -1.0], "∂(x − y)/∂x = 1, ∂(x − y)/∂y = −1"),
        point("broadcast y over 3 x", [np.array([1.0, -2.0, 0.5]), 0.0], [np.ones(3), -3.0],
              "the scalar y is subtracted from each of 3 entries: ∂Σ/∂y = −3"),
    ]),
    binary("tf.math.multiply", tf.math.multiply, REAL, REAL, [
        point("x=0,y=0", [0.0, 0.0], [0.0, 0.0], "∂(xy)/∂x = y = 0, ∂(xy)/∂y = x = 0"),
        point("x=0,y=3", [0.0, 3.0], [3.0, 0.0], "∂(xy)/∂x = y = 3, ∂(xy)/∂y = x = 0",
              second=hvp([1.0, 1.0], "H = [[0, 1], [1, 0]] (∂²(xy)/∂x∂y = 1), so H·(1, 1) = (1, 1)")),
        point("broadcast y over 3 x", [np.array([1.0, -2.0, 0.5]), 2.0], [np.full(3, 2.0), -0.5],
              "∂Σ xᵢy/∂xᵢ = y = 2; ∂Σ xᵢy/∂y = Σ xᵢ = −0.5"),
    ]),
    binary("tf.math.divide", tf.math.divide, REAL, REAL_NONZERO, [
        point("x=0,y=2", [0.0, 2.0], [0.5, 0.0], "∂(x/y)/∂x = 1/y = 0.5, ∂(x/y)/∂y = −x/y² = 0"),
        point("x=1,y=-1", [1.0, -1.0], [-1.0, -1.0], "1/y = −1 and −x/y² = −1"),
    ]),
    binary("tf.math.truediv", tf.math.truediv, REAL, REAL_NONZERO, [
        point("x=0,y=2", [0.0, 2.0], [0.5, 0.0], "∂(x/y)/∂x = 1/y = 0.5, ∂(x/y)/∂y = −x/y² = 0"),
        point("x=3,y=-2", [3.0, -2.0], [-0.5, -0.75], "1/y = −0.5 and −x/y² = −3/4"),
    ]),
    unary("tf.math.negative", tf.math.negative, REAL, [
        point("x=0", [0.0], [-1.0], "d(−x)/dx = −1"),
    ]),
    unary("tf.math.reciprocal", tf.math.reciprocal, REAL_NONZERO, [
        point("x=±1,-2", [np.array([1.0, -1.0, -2.0])], [np.array([-1.0, -1.0, -0.25])], "d(1/x)/dx = −1/x²"),
        point("x=0", [0.0], [-np.inf], "−1/x² → −inf from both sides of the pole at 0"),
    ]),
    unary("tf.math.square", tf.math.square, REAL, [
        point("x=0,±1", [np.array([0.0, 1.0, -1.0])], [np.array([0.0, 2.0, -2.0])], "d(x²)/dx = 2x",
              second=hvp([np.full(3, 2.0)], "d²(x²)/dx² = 2 everywhere")),
    ]),
    unary("tf.math.sqrt", tf.math.sqrt, POSITIVE, [
        point("x=0", [0.0], [np.inf], "d√x/dx = 1/(2√x) → +inf as x → 0+ (one-sided, the domain's edge)"),
        point("x=1,4", [np.array([1.0, 4.0])], [np.array([0.5, 0.25])], "1/(2√x)"),
    ]),
    unary("tf.math.rsqrt", tf.math.rsqrt, POSITIVE, [
        point("x=0", [0.0], [-np.inf], "d x^(−1/2)/dx = −x^(−3/2)/2 → −inf as x → 0+ (one-sided)"),
        point("x=1,4", [np.array([1.0, 4.0])], [np.array([-0.5, -1.0 / 16.0])], "−x^(−3/2)/2"),
    ]),
    binary("tf.math.pow", tf.math.pow, POSITIVE, REAL, [
        point("x=0,y=0", [0.0, 0.0], [0.0, None],
              "x⁰ = 1 for every x (0⁰ = 1, IEEE pow and TensorFlow), so ∂/∂x = 0; 0^y jumps at y = 0 (∂/∂y not asserted)",
              bug=POW_X0_Y0),
        point("x=0,y=1", [0.0, 1.0], [1.0, 0.0], "x¹ = x: ∂/∂x = 1; 0^y = 0 for every y > 0: ∂/∂y = 0"),
        point("x=0,y=2", [0.0, 2.0], [0.0, 0.0], "∂/∂x = 2x = 0; 0^y = 0 for y > 0: ∂/∂y = 0"),
        point("x=0,y=0.5", [0.0, 0.5], [np.inf, None],
              "∂√x/∂x = 1/(2√x) → +inf as x → 0+ (one-sided); ∂/∂y = 0 (0^y = 0 for y > 0, asserted at y = 1, 2) is not "
              "asserted here: forward mode's J·e_y adds the infinite ∂/∂x times the zero x-tangent, inf·0 = NaN in IEEE arithmetic"),
        point("x<0, y=2,3", [np.array([-2.0, -2.0]), np.array([2.0, 3.0])], [np.array([-4.0, 12.0]), None],
              "y·x^(y−1): 2·(−2) = −4 and 3·(−2)² = 12; x^y is NaN for x < 0 and non-integer y, so ∂/∂y does not exist"),
        point("x=1,2 y=3", [np.array([1.0, 2.0]), np.array([3.0, 3.0])], [np.array([3.0, 12.0]), np.array([0.0, 8.0 * np.log(2.0)])],
              "∂/∂x = y·x^(y−1), ∂/∂y = x^y·log x (0 at x = 1, 8 log 2 at x = 2)"),
    ]),
    unary("tf.math.exp", tf.math.exp, REAL, [
        point("x=0,1,-1", [np.array([0.0, 1.0, -1.0])], [np.exp(np.array([0.0, 1.0, -1.0]))], "d eˣ/dx = eˣ"),
        point("x=-800", [-800.0], [0.0], "e^−800 underflows to 0 in float64: the derivative eˣ is 0 there, not NaN"),
    ]),
    unary("tf.math.expm1", tf.math.expm1, REAL, [
        point("x=0", [0.0], [1.0], "d(eˣ − 1)/dx = eˣ = 1", second=hvp([1.0], "(eˣ − 1)'' = eˣ = 1")),
        point("x=±1e-10", [np.array([1e-10, -1e-10])], [np.exp(np.array([1e-10, -1e-10]))], "eˣ near 0, where expm1 keeps its precision"),
    ]),
    unary("tf.math.log", tf.math.log, POSITIVE, [
        point("x=0", [0.0], [np.inf], "d log x/dx = 1/x → +inf as x → 0+ (one-sided)"),
        point("x=1,e", [np.array([1.0, np.e])], [np.array([1.0, 1.0 / np.e])], "1/x"),
    ]),
    unary("tf.math.log1p", tf.math.log1p, Domain(-0.8, 2.0, "x > −1"), [
        point("x=0", [0.0], [1.0], "d log(1 + x)/dx = 1/(1 + x) = 1"),
        point("x=±1e-10", [np.array([1e-10, -1e-10])], [1.0 / (1.0 + np.array([1e-10, -1e-10]))], "1/(1 + x) near 0"),
        point("x=-1", [-1.0], [np.inf], "1/(1 + x) → +inf as x → −1+ (one-sided)"),
    ]),
    unary("tf.math.log_sigmoid", tf.math.log_sigmoid, REAL, [
        point("x=0", [0.0], [0.5], "d log σ(x)/dx = 1 − σ(x) = σ(−x) = 1/2"),
        point("x=±40", [np.array([40.0, -40.0])], [np.array([S40, 1.0 / (1.0 + np.exp(-40.0))])],
              "σ(−x): σ(−40) = 4.25e-18 and σ(40) = 1 − 4.25e-18; finite in both tails"),
        point("x=±800", [np.array([800.0, -800.0])], [np.array([0.0, 1.0])], "σ(−x) → 0 and 1 in the tails (e^−800 underflows)"),
    ]),
    unary("tf.math.sigmoid", tf.math.sigmoid, REAL, [
        point("x=0", [0.0], [0.25], "σ'(x) = σ(x)(1 − σ(x)) = 1/4 at 0"),
        point("x=±40", [np.array([40.0, -40.0])], [np.full(2, SIGMOID_PRIME_40)],
              "σ'(±40) = e^−40/(1 + e^−40)² = 4.25e-18: finite, not NaN"),
        point("x=±800", [np.array([800.0, -800.0])], [np.zeros(2)], "σ'(x) ≤ e^−|x| underflows to 0"),
    ]),
    unary("tf.math.tanh", tf.math.tanh, REAL, tails=[
        tail("x=354 (last normal f')", [354.0], [4.0 * np.exp(-708.0)], "sech²x = 4e^(−2|x|)/(1 + e^(−2|x|))², a normal float64 (1.3e-307)"),
        tail("x=-370 (subnormal f')", [-370.0], [4.0 * np.exp(-740.0)], "4e^(−740) = 1.7e-321, subnormal"),
    ], points=[
        point("x=0", [0.0], [1.0], "tanh'(x) = 1 − tanh²(x) = 1"),
        point("x=±40", [np.array([40.0, -40.0])], [np.full(2, 4.0 * np.exp(-80.0) / (1.0 + np.exp(-80.0)) ** 2)],
              "1 − tanh² = sech² = 4e^−2|x|/(1 + e^−2|x|)², about 7e-35: finite, not NaN"),
    ]),
    # ---- trigonometric
    unary("tf.math.sin", tf.math.sin, REAL, [
        point("x=0", [0.0], [1.0], "cos 0 = 1"),
        point("x=pi/2,pi", [np.array([np.pi / 2, np.pi])], [np.cos(np.array([np.pi / 2, np.pi]))],
              "cos(π/2) = 0 and cos π = −1 (to float64 rounding of π)"),
    ]),
    unary("tf.math.cos", tf.math.cos, REAL, [
        point("x=0", [0.0], [0.0], "d cos x/dx = −sin 0 = 0"),
        point("x=pi/2", [np.pi / 2], [-np.sin(np.pi / 2)], "−sin(π/2) = −1"),
    ]),
    unary("tf.math.tan", tf.math.tan, TAN_DOMAIN, [
        point("x=0", [0.0], [1.0], "tan' = 1/cos² = 1 at 0"),
        point("x=pi/4", [np.pi / 4], [1.0 / np.cos(np.pi / 4) ** 2], "1/cos²(π/4) = 2"),
    ]),
    unary("tf.math.asin", tf.math.asin, UNIT_OPEN, [
        point("x=0,0.5", [np.array([0.0, 0.5])], [np.array([1.0, 2.0 / np.sqrt(3.0)])], "asin' = 1/√(1 − x²)"),
        point("x=1", [1.0], [np.inf], "1/√(1 − x²) → +inf as x → 1− (one-sided, the domain's edge)"),
        point("x=-1", [-1.0], [np.inf], "1/√(1 − x²) → +inf as x → −1+ (one-sided, the domain's edge)"),
    ]),
    unary("tf.math.acos", tf.math.acos, UNIT_OPEN, [
        point("x=0,0.5", [np.array([0.0, 0.5])], [np.array([-1.0, -2.0 / np.sqrt(3.0)])], "acos' = −1/√(1 − x²)"),
        point("x=1", [1.0], [-np.inf], "−1/√(1 − x²) → −inf as x → 1− (one-sided, the domain's edge)"),
        point("x=-1", [-1.0], [-np.inf], "−1/√(1 − x²) → −inf as x → −1+ (one-sided, the domain's edge)"),
    ]),
    unary("tf.math.atan", tf.math.atan, REAL, [
        point("x=0,±1", [np.array([0.0, 1.0, -1.0])], [np.array([1.0, 0.5, 0.5])], "atan' = 1/(1 + x²)"),
        point("x=1e10", [1e10], [1e-20], "1/(1 + x²) = 1e-20 (relative error 1e-20): finite for large x"),
    ]),
    binary("tf.math.atan2", tf.math.atan2, REAL_NONZERO, REAL, [
        point("y=0,x=1", [0.0, 1.0], [1.0, 0.0], "∂atan2(y, x)/∂y = x/(x² + y²) = 1, ∂/∂x = −y/(x² + y²) = 0"),
        point("y=1,x=0", [1.0, 0.0], [0.0, -1.0], "x/(x² + y²) = 0 and −y/(x² + y²) = −1 on the positive y axis"),
        point("y=+0,x=-1 (branch cut)", [0.0, -1.0], [-1.0, 0.0],
              "atan2(+0, −1) = π is the limit from y > 0, where ∂/∂y = x/(x² + y²) = −1 (one-sided); atan2(+0, x) = π for "
              "every x < 0, so ∂/∂x = 0"),
    ]),
    # ---- hyperbolic
    unary("tf.math.sinh", tf.math.sinh, REAL, [
        point("x=0,1", [np.array([0.0, 1.0])], [np.cosh(np.array([0.0, 1.0]))], "sinh' = cosh"),
    ]),
    unary("tf.math.cosh", tf.math.cosh, REAL, [
        point("x=0,1", [np.array([0.0, 1.0])], [np.sinh(np.array([0.0, 1.0]))], "cosh' = sinh: 0 at the minimum"),
    ]),
    unary("tf.math.asinh", tf.math.asinh, REAL, [
        point("x=0", [0.0], [1.0], "asinh' = 1/√(1 + x²) = 1"),
        point("x=±1e8", [np.array([1e8, -1e8])], [np.full(2, 1.0 / np.sqrt(1.0 + 1e16))], "1/√(1 + x²) ≈ 1e-8 for large |x|"),
    ]),
    unary("tf.math.acosh", tf.math.acosh, ABOVE_ONE, [
        point("x=1", [1.0], [np.inf], "acosh' = 1/√(x² − 1) → +inf as x → 1+ (one-sided, the domain's edge)"),
        point("x=2", [2.0], [1.0 / np.sqrt(3.0)], "1/√(4 − 1)"),
    ]),
    unary("tf.math.atanh", tf.math.atanh, UNIT_OPEN, [
        point("x=0,0.5", [np.array([0.0, 0.5])], [np.array([1.0, 4.0 / 3.0])], "atanh' = 1/(1 − x²)"),
        point("x=1", [1.0], [np.inf], "1/(1 − x²) → +inf as x → 1− (one-sided, the domain's edge)"),
        point("x=-1", [-1.0], [np.inf], "1/(1 − x²) → +inf as x → −1+ (one-sided, the domain's edge)"),
    ]),
    # ---- absolute value, sign, max/min, clipping
    op("tf.math.abs", complex_abs_or_abs, [
        Sample((draw("tf.math.abs", (), domain=REAL_NONZERO)[0],), label="scalar"),
        Sample((draw("tf.math.abs", (2, 3), domain=REAL_NONZERO, salt="matrix")[0],), label="2x3"),
        Sample((draw("tf.math.abs", (4, 2), domain=REAL, salt="complex")[0],), {"complex_pairs": True},
               label="complex 4 (ComplexAbs of tf.complex(re, im), last axis re, im)"),
    ], domain="x ≠ 0 (real); z ≠ 0 (complex)", points=[
        point("x=0", [0.0], [between(-1.0, 1.0)], "|x| has a kink at 0: any subgradient in [−1, 1]"),
        point("x=±1", [np.array([1.0, -1.0])], [np.array([1.0, -1.0])], "d|x|/dx = sign x"),
        point("complex z=3+4i", [np.array([3.0, 4.0])], [np.array([0.6, 0.8])], "∇|z| = (re, im)/|z| = (3, 4)/5",
              complex_pairs=True),
        point("complex z=0", [np.array([0.0, 0.0])], [between([-1.0, -1.0], [1.0, 1.0])],
              "|z| is a cone at 0: subgradients fill the unit disk (asserted within its bounding box)", complex_pairs=True),
    ]),
    unary("tf.math.sign", tf.math.sign, REAL_NONZERO, [
        point("x=-1,2", [np.array([-1.0, 2.0])], [np.zeros(2)], "sign is constant away from 0: derivative 0"),
    ]),
    op("tf.math.maximum", tf.math.maximum, untied("tf.math.maximum"), diff=(0, 1), domain="x ≠ y", points=[
        point("tie x=y", [np.array([1.0, -2.0, 0.0]), np.array([1.0, -2.0, 0.0])], [between(0, 1), between(0, 1)],
              "max(x, y) has a kink at x = y: subgradients (t, 1 − t), t ∈ [0, 1] (math_grad.py sends all to x: grad·(x ≥ y), grad·(x < y))"),
        point("x>y, x<y", [np.array([2.0, -1.0]), np.array([1.0, 3.0])], [np.array([1.0, 0.0]), np.array([0.0, 1.0])],
              "∂max/∂x = [x > y], ∂max/∂y = [y > x]"),
    ]),
    op("tf.math.minimum", tf.math.minimum, untied("tf.math.minimum"), diff=(0, 1), domain="x ≠ y", points=[
        point("tie x=y", [np.array([1.0, -2.0, 0.0]), np.array([1.0, -2.0, 0.0])], [between(0, 1), between(0, 1)],
              "min(x, y) has a kink at x = y: subgradients (t, 1 − t), t ∈ [0, 1] (math_grad.py sends all to x: grad·(x ≤ y), grad·(x > y))"),
        point("x>y, x<y", [np.array([2.0, -1.0]), np.array([1.0, 3.0])], [np.array([0.0, 1.0]), np.array([1.0, 0.0])],
              "∂min/∂x = [x < y], ∂min/∂y = [y < x]"),
    ]),
    op("tf.clip_by_value", tf.clip_by_value, [
        Sample((np.asarray(0.25), np.asarray(-0.5), np.asarray(1.0)), label="scalar inside"),
        Sample((draw("tf.clip_by_value", (6,), domain=Domain(-2.0, 2.0, "t", avoid=(-0.5, 1.0)))[0], np.asarray(-0.5),
                np.asarray(1.0)), label="vector 6, scalar bounds"),
        Sample((draw("tf.clip_by_value", (2, 3), domain=Domain(-2.0, 2.0, "t", avoid=(-1.0, -0.5, 0.5, 1.0)), salt="m")[0],
                np.array([-1.0, -0.5, -1.0]), np.array([0.5, 1.0, 1.0])), label="2x3, bounds of shape 3"),
    ], diff=(0, 1, 2), domain="t ≠ clip_value_min, t ≠ clip_value_max", points=[
        point("inside, below, above", [np.array([0.0, -1.0, 2.0]), -0.5, 1.0], [np.array([1.0, 0.0, 0.0]), 1.0, 1.0],
              "clip(t, a, b) is t inside (∂t = 1), a below (∂a = 1), b above (∂b = 1)"),
        point("t at the bounds", [np.array([-0.5, 1.0]), -0.5, 1.0], [between([0, 0], [1, 1]), between(0, 1), between(0, 1)],
              "at t = a or t = b clip has a kink: subgradients split 1 between t and that bound"),
    ]),
    binary("tf.math.squared_difference", tf.math.squared_difference, REAL, REAL, [
        point("x=y", [np.array([1.0, -2.0]), np.array([1.0, -2.0])], [np.zeros(2), np.zeros(2)],
              "∂(x − y)²/∂x = 2(x − y) = 0 at x = y, ∂/∂y = −2(x − y) = 0"),
        point("x=3,y=1", [3.0, 1.0], [4.0, -4.0], "2(x − y) = 4 and −2(x − y) = −4"),
    ]),
    # ---- the safe variants
    binary("tf.math.xlogy", tf.math.xlogy, REAL, POSITIVE, [
        point("x=0,y=2", [0.0, 2.0], [np.log(2.0), 0.0], "∂/∂x (x·log y) = log y; ∂/∂y = x/y = 0 at x = 0",
              bug=XLOGY_AT_X0),
        point("x=0,y=0", [0.0, 0.0], [-np.inf, 0.0],
              "xlogy(0, y) = 0 for every y, so ∂/∂y = 0; ∂/∂x = log y = −inf at y = 0 (both one-sided quotients are −inf)",
              bug=XLOGY_AT_X0),
        point("x=1,y=1", [1.0, 1.0], [0.0, 1.0], "log 1 = 0 and x/y = 1",
              second=hvp([1.0, 0.0], "H = [[0, 1/y], [1/y, −x/y²]] = [[0, 1], [1, −1]] at (1, 1): H·(1, 1) = (1, 0)"),
              third=hvp([-1.0, 0.0], "vᵀH(x, y)v = 2/y − x/y² for v = (1, 1); its gradient (−1/y², −2/y² + 2x/y³) is (−1, 0) at (1, 1)")),
    ]),
    binary("tf.math.xlog1py", tf.math.xlog1py, REAL, ABOVE_MINUS_ONE, [
        point("x=0,y=1", [0.0, 1.0], [np.log(2.0), 0.0], "∂/∂x (x·log(1 + y)) = log(1 + y) = log 2; ∂/∂y = x/(1 + y) = 0",
              bug=XLOG1PY_AT_X0),
        point("x=0,y=-1", [0.0, -1.0], [-np.inf, 0.0],
              "xlog1py(0, y) = 0 for every y, so ∂/∂y = 0; ∂/∂x = log(1 + y) = −inf at y = −1", bug=XLOG1PY_AT_X0),
        point("x=2,y=0", [2.0, 0.0], [0.0, 2.0], "log(1 + 0) = 0 and x/(1 + y) = 2"),
    ]),
    binary("tf.math.xdivy", tf.math.xdivy, REAL, REAL_NONZERO, [
        point("x=0,y=2", [0.0, 2.0], [0.5, 0.0], "∂/∂x (x/y) = 1/y = 0.5; ∂/∂y = −x/y² = 0 at x = 0", bug=XDIVY_AT_X0),
        point("x=0,y=0", [0.0, 0.0], [None, 0.0],
              "xdivy(0, y) = 0 for every y, so ∂/∂y = 0; x/0 = ±inf for x ≠ 0 (∂/∂x not asserted)"),
        point("x=3,y=-2", [3.0, -2.0], [-0.5, -0.75], "1/y = −0.5 and −x/y² = −3/4"),
    ]),
    binary("tf.math.divide_no_nan", tf.math.divide_no_nan, REAL, REAL_NONZERO, [
        point("x=3,y=0", [3.0, 0.0], [0.0, None],
              "divide_no_nan(x, 0) = 0 for every x (documented), so ∂/∂x = 0; x/y jumps at y = 0 (∂/∂y not asserted)"),
        point("x=0,y=0", [0.0, 0.0], [0.0, 0.0], "f(x, 0) = 0 for every x and f(0, y) = 0 for every y: both partials are 0"),
        point("x=0,y=2", [0.0, 2.0], [0.5, 0.0], "1/y = 0.5 and −x/y² = 0"),
    ]),
    binary("tf.math.multiply_no_nan", tf.math.multiply_no_nan, REAL, REAL, [
        point("x=3,y=0", [3.0, 0.0], [0.0, 3.0], "∂(xy)/∂x = y = 0, ∂(xy)/∂y = x = 3"),
        point("x=0,y=0", [0.0, 0.0], [0.0, 0.0], "∂(xy)/∂x = y = 0, ∂(xy)/∂y = x = 0"),
        point("x=inf,y=0", [np.inf, 0.0], [0.0, None],
              "multiply_no_nan(x, 0) = 0 for every x, inf included (documented), so ∂/∂x = 0; inf·y is not finite for y ≠ 0 (∂/∂y not asserted)"),
    ]),
    unary("tf.math.reciprocal_no_nan", tf.math.reciprocal_no_nan, REAL_NONZERO, [
        point("x=±1,-2", [np.array([1.0, -1.0, -2.0])], [np.array([-1.0, -1.0, -0.25])], "d(1/x)/dx = −1/x²"),
    ]),
    unary("tf.math.softplus", tf.math.softplus, REAL, [
        point("x=0", [0.0], [0.5], "softplus' = σ(x) = 1/2"),
        point("x=±40", [np.array([40.0, -40.0])], [np.array([1.0 / (1.0 + np.exp(-40.0)), S40])],
              "σ(40) = 1 − 4.25e-18, σ(−40) = 4.25e-18: finite in both tails"),
        point("x=±800", [np.array([800.0, -800.0])], [np.array([1.0, 0.0])], "σ(±800) = 1 and 0 to float64"),
    ]),
    unary("tf.math.softsign", tf.math.softsign, REAL, [
        point("x=0,±1", [np.array([0.0, 1.0, -1.0])], [np.array([1.0, 0.25, 0.25])],
              "d(x/(1 + |x|))/dx = 1/(1 + |x|)², differentiable at 0 with derivative 1"),
        point("x=1e10", [1e10], [1.0 / (1.0 + 1e10) ** 2], "1/(1 + |x|)² ≈ 1e-20"),
    ], bugs=(SOFTSIGN_GRAD_NO_GRADIENT,)),
    # ---- piecewise constant: derivative 0 almost everywhere
    unary("tf.math.floor", tf.math.floor, NOT_INTEGER, [
        point("x=0.5,-1.5", [np.array([0.5, -1.5])], [np.zeros(2)], "floor is locally constant off the integers"),
    ]),
    unary("tf.math.ceil", tf.math.ceil, NOT_INTEGER, [
        point("x=0.5,-1.5", [np.array([0.5, -1.5])], [np.zeros(2)], "ceil is locally constant off the integers"),
    ]),
    unary("tf.math.round", tf.math.round, NOT_HALF_INTEGER, [
        point("x=0.2,-1.0,2.0", [np.array([0.2, -1.0, 2.0])], [np.zeros(3)], "round is locally constant off the half-integers"),
    ]),
    unary("tf.math.rint", tf.math.rint, NOT_HALF_INTEGER, [
        point("x=0.2,-1.0,2.0", [np.array([0.2, -1.0, 2.0])], [np.zeros(3)], "rint is locally constant off the half-integers"),
    ]),
    op("tf.math.floordiv", tf.math.floordiv, off_integer_quotients("tf.math.floordiv"), diff=(0, 1),
       domain="y ≠ 0, x/y not an integer", points=[
           point("x=5.5,y=2", [5.5, 2.0], [0.0, 0.0], "floor(x/y) is locally constant off the integers"),
       ]),
    op("tf.truncatediv", tf.truncatediv, off_integer_quotients("tf.truncatediv"), diff=(0, 1),
       domain="y ≠ 0, x/y not an integer", points=[
           point("x=-5.5,y=2", [-5.5, 2.0], [0.0, 0.0], "trunc(x/y) is locally constant off the integers"),
       ]),
    op("tf.math.floormod", tf.math.floormod, off_integer_quotients("tf.math.floormod"), diff=(0, 1),
       domain="y ≠ 0, x/y not an integer", points=[
           point("x=±5.5,y=2", [np.array([5.5, -5.5]), np.array([2.0, 2.0])], [np.ones(2), np.array([-2.0, 3.0])],
                 "x − floor(x/y)·y: ∂/∂x = 1, ∂/∂y = −floor(x/y) = −2 and 3"),
       ]),
    op("tf.truncatemod", tf.truncatemod, off_integer_quotients("tf.truncatemod"), diff=(0, 1),
       domain="y ≠ 0, x/y not an integer", bugs=(TRUNCATEMOD_NO_GRADIENT,), points=[
           point("x=±5.5,y=2", [np.array([5.5, -5.5]), np.array([2.0, 2.0])], [np.ones(2), np.array([-2.0, 2.0])],
                 "x − trunc(x/y)·y: ∂/∂x = 1, ∂/∂y = −trunc(x/y) = −2 and 2"),
       ]),
    # ---- complex parts, as real functions of tf.complex(re, im)
    binary("tf.math.real", lambda re, im: tf.math.real(tf.complex(re, im)), REAL, REAL, [
        point("z=0", [0.0, 0.0], [1.0, 0.0], "Re(re + i·im) = re"),
    ]),
    binary("tf.math.imag", lambda re, im: tf.math.imag(tf.complex(re, im)), REAL, REAL, [
        point("z=0", [0.0, 0.0], [0.0, 1.0], "Im(re + i·im) = im"),
    ]),
    binary("tf.math.conj", conj_parts, REAL, REAL, [
        point("z=1+2i", [1.0, 2.0], [1.0, -1.0], "conj = (re, −im): the sum of its parts re − im has gradient (1, −1)"),
    ]),
    binary("tf.math.angle", lambda re, im: tf.math.angle(tf.complex(re, im)), REAL, REAL_NONZERO, [
        point("z=1", [1.0, 0.0], [0.0, 1.0], "arg z = atan2(im, re): ∂/∂re = −im/|z|² = 0, ∂/∂im = re/|z|² = 1"),
        point("z=i", [0.0, 1.0], [-1.0, 0.0], "−im/|z|² = −1 and re/|z|² = 0"),
        point("z=-1+0i (branch cut)", [-1.0, 0.0], [0.0, -1.0],
              "arg(−1 + 0i) = π is the limit from im > 0, where ∂/∂im = re/|z|² = −1 (one-sided); arg is π along the "
              "negative real axis, so ∂/∂re = 0"),
    ]),
    # ---- several tensors
    op("tf.math.scalar_mul", tf.math.scalar_mul, [
        Sample((draw("tf.math.scalar_mul", ())[0], draw("tf.math.scalar_mul", (5,), salt="x")[0]), label="scalar times 5"),
        Sample((draw("tf.math.scalar_mul", (), salt="s2")[0], draw("tf.math.scalar_mul", (2, 3), salt="x2")[0]),
               label="scalar times 2x3"),
    ], diff=(0, 1), points=[
        point("scalar=0", [0.0, np.array([1.0, -2.0, 4.0])], [3.0, np.zeros(3)], "∂Σ s·xᵢ/∂s = Σ xᵢ = 3, ∂/∂xᵢ = s = 0"),
    ]),
    op("tf.math.add_n", lambda a, b, c: tf.math.add_n([a, b, c]), [
        Sample(tuple(draw("tf.math.add_n", (), (), ())), label="3 scalars"),
        Sample(tuple(draw("tf.math.add_n", (4,), (4,), (4,), salt="v")), label="3 vectors of 4"),
        Sample(tuple(draw("tf.math.add_n", (2, 3), (2, 3), (2, 3), salt="m")), label="3 of 2x3"),
    ], diff=(0, 1, 2), points=[
        point("zeros", [np.zeros(2), np.zeros(2), np.zeros(2)], [np.ones(2), np.ones(2), np.ones(2)], "∂(a + b + c) = 1 for each"),
    ]),
    op("tf.math.accumulate_n", lambda a, b, c: tf.math.accumulate_n([a, b, c]), [
        Sample(tuple(draw("tf.math.accumulate_n", (4,), (4,), (4,), salt="v")), label="3 vectors of 4"),
        Sample(tuple(draw("tf.math.accumulate_n", (2, 3), (2, 3), (2, 3), salt="m")), label="3 of 2x3"),
    ], diff=(0, 1, 2), points=[
        point("zeros", [np.zeros(2), np.zeros(2), np.zeros(2)], [np.ones(2), np.ones(2), np.ones(2)], "∂(a + b + c) = 1 for each"),
    ]),
    op("tf.math.polyval", polyval, [
        Sample((draw("tf.math.polyval", (3,))[0], draw("tf.math.polyval", (5,), salt="x")[0]), label="degree 2 at 5 points"),
        Sample((draw("tf.math.polyval", (4,), salt="c4")[0], draw("tf.math.polyval", (2, 3), salt="x4")[0]),
               label="degree 3 at 2x3 points"),
        Sample((draw("tf.math.polyval", (1,), salt="c1")[0], draw("tf.math.polyval", (), salt="x1")[0]),
               label="degree 0 (constant) at a scalar"),
    ], diff=(0, 1), domain="all reals", points=[
        point("2x²-3x+1 at x=0,1", [np.array([2.0, -3.0, 1.0]), np.array([0.0, 1.0])], [np.array([1.0, 1.0, 2.0]), np.array([-3.0, 1.0])],
              "∂Σp(xⱼ)/∂cₖ = Σ xⱼ^(2−k) = (0 + 1, 0 + 1, 1 + 1); p'(x) = 4x − 3"),
        point("no coefficients", [np.zeros(0), np.array([1.0, 2.0])], [np.zeros(0), np.zeros(2)],
              "the polynomial with no coefficients is the empty sum 0 (math_ops.polyval returns zeros_like(x)): ∂/∂x = 0, and the coefficient gradient is empty"),
    ]),
    binary("tf.math.nextafter", tf.math.nextafter, REAL, FAR_ABOVE, [
        point("x1=1,x2=2", [1.0, 2.0], [1.0, 0.0],
              "nextafter(x1, x2) = x1 + one ulp towards x2: as a function of real x1 it is x1 + O(ulp), ∂/∂x1 = 1; it depends on x2 only through the direction, ∂/∂x2 = 0"),
    ]),
]
