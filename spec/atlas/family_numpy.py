"""tf.experimental.numpy: the NumPy-compatible wrappers that compose several TensorFlow ops.

Only wrappers that do their own work are listed (their own formula, a composition, special handling of
zeros, NaN or ranks); pure aliases of a tf.math op (tnp.sqrt, tnp.power, tnp.arctan2, tnp.expm1, ...) are
left to the tf.math families. `tnp.experimental_enable_numpy_behavior()` is never called: it changes global
state for the whole suite. The implementations are in tensorflow/python/ops/numpy_ops/np_math_ops.py and
np_array_ops.py.
"""
import numpy as np
import tensorflow.experimental.numpy as tnp

from spec.atlas.records import (POSITIVE, REAL, REAL_NONZERO, Domain, KnownBug, Sample, between, binary, distinct,
                                draw, op, point, unary)

FAMILY = "tf.experimental.numpy: NumPy-compatible wrappers"

LN2 = np.log(2.0)


def _sinc_prime(x):
    """d/dx sin(πx)/(πx) = (πx cos πx − sin πx)/(πx²), in float64."""
    x = np.float64(x)
    return (np.pi * x * np.cos(np.pi * x) - np.sin(np.pi * x)) / (np.pi * x * x)


def _repro(*lines):
    return "\n".join(("import numpy as np, tensorflow as tf", "import tensorflow.experimental.numpy as tnp") + lines)


# ------------------------------------------------------------------------------------------ known bugs

HYPOT_ORIGIN = KnownBug(
    "tnp.hypot is sqrt(x² + y²): at (0, 0) Sqrt's gradient 1/(2·0) = inf meets 2x = 0, so both partials are "
    "0·inf = NaN where any subgradient in the unit disc is right", "unreported",
    _repro("x, y = tf.constant(0.0, tf.float64), tf.constant(0.0, tf.float64)",
           "with tf.GradientTape() as t:", "    t.watch([x, y]); h = tnp.hypot(x, y)",
           "print(t.gradient(h, [x, y]))  # expected values in [-1, 1] (e.g. 0), got [nan, nan]"))
HYPOT_OVERFLOW = KnownBug(
    "tnp.hypot squares its inputs: for (3e200, 4e200) x² overflows, the value is inf and the gradient "
    "0.5/sqrt(inf)·2x collapses to 0 instead of x/hypot = 0.6, 0.8",
    "https://github.com/tensorflow/tensorflow/issues/124774",
    _repro("x, y = tf.constant(3e200, tf.float64), tf.constant(4e200, tf.float64)",
           "with tf.GradientTape() as t:", "    t.watch([x, y]); h = tnp.hypot(x, y)",
           "print(h, t.gradient(h, [x, y]))  # expected 5e200 and [0.6, 0.8], got inf and [0.0, 0.0]"))
SINC_ZERO = KnownBug(
    "tnp.sinc is where(x == 0, 1, sin(πx)/(πx)): the unselected branch's gradient at x = 0 is 0/0 = NaN and "
    "`where` multiplies it by 0, so reverse mode gives NaN where sinc'(0) = 0 (forward mode gives 0)",
    "https://github.com/tensorflow/tensorflow/pull/127478",
    _repro("x = tf.constant(0.0, tf.float64)", "with tf.GradientTape() as t:",
           "    t.watch(x); y = tnp.sinc(x)", "print(t.gradient(y, x))  # expected 0.0, got nan"),
    checks=("special_reverse",))


def _zero_tangent_bug(what, op_name, arg, expected):
    return KnownBug(
        f"{what}: ForwardAccumulator's JVP includes the zero tangent of the constant operand times an infinite "
        f"primal (0·inf = NaN), so forward mode gives NaN where reverse mode gives {expected}", "unreported",
        _repro(f"x = tf.constant({arg}, tf.float64)",
               "with tf.autodiff.ForwardAccumulator(x, tf.constant(1.0, tf.float64)) as acc:",
               f"    y = {op_name}(x)", f"print(acc.jvp(y))  # expected {expected}, got nan"),
        checks=("special_forward",))


LOG2_ZERO = _zero_tangent_bug("tnp.log2 is log(x)/ln 2; at x = 0 log x = -inf", "tnp.log2", 0.0, "inf")
EXP2_NEG_INF = _zero_tangent_bug("tnp.exp2 is 2**x = Pow(2, x); at x = -inf Pow's base-gradient x·2^(x-1) is "
                                 "-inf·0", "tnp.exp2", "-np.inf", "0.0")


def _logaddexp_tie(name, expected):
    return KnownBug(
        f"{name} is maximum(x1, x2) + log1p(exp(-|x1 - x2|)): at x1 = x2 Maximum sends the whole gradient to x1 "
        f"and Abs'(0) = 0 drops the correction, so the partials are (1, 0) instead of the smooth function's "
        f"(1/2, 1/2)", "https://github.com/tensorflow/tensorflow/pull/127741",
        _repro("x1, x2 = tf.constant(0.0, tf.float64), tf.constant(0.0, tf.float64)",
               "with tf.GradientTape() as t:", f"    t.watch([x1, x2]); y = {name}(x1, x2)",
               f"print(t.gradient(y, [x1, x2]))  # expected [{expected}, {expected}], got [1.0, 0.0]"))


CBRT_ZERO = KnownBug(
    "tnp.cbrt is where(x < 0, -|x|^(1/3), |x|^(1/3)): at x = 0 Pow's gradient (1/3)·0^(-2/3) = inf meets "
    "Abs'(0) = 0, giving NaN where the derivative of the cube root is +inf from both sides", "unreported",
    _repro("x = tf.constant(0.0, tf.float64)", "with tf.GradientTape() as t:",
           "    t.watch(x); y = tnp.cbrt(x)", "print(t.gradient(y, x))  # expected inf, got nan"))
VANDER_ZERO = KnownBug(
    "tnp.vander is pow(x, [N-1, ..., 0]): the column x⁰ = 1 has Pow's gradient 0·x^(-1) = 0·inf = NaN at "
    "x = 0 (reverse mode: that entry; forward mode: every entry, as the NaN JVP column is summed)",
    "unreported",
    _repro("x = tf.constant([0.0, 1.0, 2.0], tf.float64)", "with tf.GradientTape() as t:",
           "    t.watch(x); v = tnp.vander(x, 3)", "print(t.gradient(v, x))  # expected [1, 3, 5], got [nan, 3, 5]"))
VAR_DDOF = KnownBug(
    "tnp.var with ddof ≠ 0 and no dtype casts its result to dtype=None and raises TypeError (\"Cannot convert "
    "the argument `type_value`: None to a TensorFlow DType\"), so neither value nor gradient exists",
    "https://github.com/tensorflow/tensorflow/pull/125955",
    _repro("x = tf.constant([1.0, 2.0, 4.0], tf.float64)", "with tf.GradientTape() as t:",
           "    t.watch(x); v = tnp.var(x, ddof=1)",
           "print(t.gradient(v, x))  # expected 2(x - mean)/(n - 1) = [-4/3, -1/3, 5/3], got TypeError"))


def _std_bug(label, issue, x):
    return KnownBug(
        f"tnp.std is reduce_std = sqrt(reduce_variance): where the spread is zero ({label}) Sqrt's gradient is "
        "inf and the variance's gradient 0, so every partial is 0·inf = NaN", issue,
        _repro(f"x = tf.constant({x}, tf.float64)", "with tf.GradientTape() as t:",
               "    t.watch(x); s = tnp.std(x)", "print(t.gradient(s, x))  # expected 0 (a subgradient), got nan"))


CUMPROD_ZERO = KnownBug(
    "Cumprod's gradient is cumsum(prod·g, reverse)/x with div_no_nan: the division by a zero entry returns 0, "
    "dropping the products that skip that entry (for [2, 0, 3]: ∂/∂x₁ = 2 + 2·3 = 8, TensorFlow says 0)",
    "https://github.com/tensorflow/tensorflow/issues/119430",
    _repro("x = tf.constant([2.0, 0.0, 3.0], tf.float64)", "with tf.GradientTape() as t:",
           "    t.watch(x); c = tnp.cumprod(x)", "print(t.gradient(c, x))  # expected [1, 8, 0], got [1, 0, 0]"))


# ------------------------------------------------------------------------------------------- helpers


def _clip(a, a_min, a_max):
    return tnp.clip(a, a_min, a_max)


def _var(a, ddof=0, axis=None, with_dtype=False):
    return tnp.var(a, axis=axis, ddof=ddof, dtype=a.dtype if with_dtype else None)


def _average(a, w, axis=None):
    return tnp.average(a, axis=axis, weights=w)


# Away from the clip bounds -0.5 and 0.7 by at least 0.1 (they are kinks).
CLIP_A = Domain(-1.5, 1.5, "a away from the bounds", avoid=(-0.5, 0.7), margin=0.1)

OPS = [
    binary("tf.experimental.numpy.hypot", tnp.hypot, REAL_NONZERO, REAL_NONZERO, [
        point("x=3,y=4", [3.0, 4.0], [0.6, 0.8], "∂hypot/∂x = x/hypot, ∂/∂y = y/hypot with hypot(3, 4) = 5"),
        point("x=0,y=2", [0.0, 2.0], [0.0, 1.0], "x/hypot = 0 and y/hypot = 1: smooth away from the origin"),
        point("x=0,y=0", [0.0, 0.0], [between(-1, 1), between(-1, 1)],
              "hypot is the Euclidean norm of (x, y): at the origin its subdifferential is the unit disc, so "
              "each partial of a subgradient lies in [-1, 1]", bug=HYPOT_ORIGIN),
        point("x=3e200,y=4e200", [3e200, 4e200], [0.6, 0.8],
              "x/hypot and y/hypot depend only on the ratio: 0.6 and 0.8, with hypot = 5e200 finite in float64",
              bug=HYPOT_OVERFLOW),
    ]),
    unary("tf.experimental.numpy.sinc", tnp.sinc, REAL_NONZERO, [
        point("x=0", [0.0], [0.0], "sinc is even and analytic at 0 (1 − (πx)²/6 + ...): derivative 0",
              bug=SINC_ZERO),
        point("x=1", [1.0], [_sinc_prime(1.0)], "(πx cos πx − sin πx)/(πx²) = cos π = −1 at x = 1"),
        point("x=0.5", [0.5], [_sinc_prime(0.5)], "(πx cos πx − sin πx)/(πx²) = −4/π at x = 1/2"),
    ]),
    unary("tf.experimental.numpy.log2", tnp.log2, POSITIVE, [
        point("x=1", [1.0], [1 / LN2], "d log₂x/dx = 1/(x ln 2)"),
        point("x=0", [0.0], [np.inf], "1/(x ln 2) → +inf as x → 0+ (one-sided: log₂ is defined for x > 0)",
              bug=LOG2_ZERO),
    ]),
    binary("tf.experimental.numpy.logaddexp", tnp.logaddexp, REAL, REAL, [
        point("x1=x2=0", [0.0, 0.0], [0.5, 0.5],
              "∂/∂x1 log(e^x1 + e^x2) = e^x1/(e^x1 + e^x2), smooth everywhere: 1/2 each at a tie",
              bug=_logaddexp_tie("tnp.logaddexp", 0.5)),
        point("x1=0,x2=2", [0.0, 2.0], [1 / (1 + np.exp(2.0)), 1 / (1 + np.exp(-2.0))],
              "e^x1/(e^x1 + e^x2) = 1/(1 + e²) and e^x2/(e^x1 + e^x2) = 1/(1 + e^-2)"),
        point("x1=-inf,x2=0", [-np.inf, 0.0], [0.0, 1.0], "limit x1 → −inf: logaddexp → x2, partials (0, 1)"),
    ]),
    binary("tf.experimental.numpy.logaddexp2", tnp.logaddexp2, REAL, REAL, [
        point("x1=x2=1", [1.0, 1.0], [0.5, 0.5],
              "∂/∂x1 log₂(2^x1 + 2^x2) = 2^x1/(2^x1 + 2^x2), smooth: 1/2 each at a tie",
              bug=_logaddexp_tie("tnp.logaddexp2", 0.5)),
        point("x1=1,x2=3", [1.0, 3.0], [0.2, 0.8], "2/(2 + 8) and 8/(2 + 8)"),
    ]),
    unary("tf.experimental.numpy.cbrt", tnp.cbrt, REAL_NONZERO, [
        point("x=0", [0.0], [np.inf], "d x^(1/3)/dx = x^(-2/3)/3 → +inf from both sides at 0 (vertical tangent)",
              bug=CBRT_ZERO),
        point("x=-8", [-8.0], [1 / 12], "cbrt is odd, its derivative even: (1/3)·8^(-2/3) = 1/12"),
        point("x=1", [1.0], [1 / 3], "(1/3)·1^(-2/3)"),
    ]),
    unary("tf.experimental.numpy.exp2", tnp.exp2, REAL, [
        point("x=0", [0.0], [LN2], "d 2^x/dx = 2^x ln 2 = ln 2 at 0"),
        point("x=3", [3.0], [8 * LN2], "2³ ln 2"),
        point("x=-inf", [-np.inf], [0.0], "2^x ln 2 → 0 as x → −inf", bug=EXP2_NEG_INF),
    ]),
    op("tf.experimental.numpy.vander", tnp.vander, [
        Sample(tuple(draw("vander", (4,), domain=REAL_NONZERO)), {}, "4 N=None (decreasing powers)"),
        Sample(tuple(draw("vander", (3,), domain=REAL_NONZERO, salt="inc")), {"N": 4, "increasing": True},
               "3 N=4 increasing"),
    ], domain="all reals (integer powers 0..N-1)", points=[
        point("x=[0,1,2],N=3", [[0.0, 1.0, 2.0]], [[1.0, 3.0, 5.0]],
              "Σ over a row of [x², x, 1] has derivative 2x + 1; x⁰ = 1 is constant (derivative 0 at x = 0 too)",
              bug=VANDER_ZERO, N=3),
        point("x=[1,2],N=2,increasing", [[1.0, 2.0]], [[1.0, 1.0]], "rows [1, x]: derivative 1", N=2,
              increasing=True),
    ]),
    op("tf.experimental.numpy.diff", tnp.diff, [
        Sample((distinct("diff", (6,)),), {}, "6 n=1"),
        Sample((distinct("diff", (6,), salt="2"),), {"n": 2}, "6 n=2"),
        Sample((distinct("diff", (3, 4), salt="a"),), {"axis": 0}, "3x4 axis=0"),
        Sample((distinct("diff", (2, 4), salt="b"),), {"n": 3, "axis": -1}, "2x4 n=3 axis=-1"),
    ], points=[
        point("n=2 on length 3", [[1.0, 4.0, 9.0]], [[1.0, -2.0, 1.0]], "Σ diff² = x0 − 2x1 + x2", n=2),
        point("length-1 axis", [[[1.0], [2.0]]], [np.zeros((2, 1))],
              "diff along a length-1 axis is empty: Σ over it is 0 for every input, derivative 0"),
        point("n exceeds length", [[1.0, 5.0]], [[0.0, 0.0]], "n = 3 on length 2: the result is empty", n=3),
    ]),
    op("tf.experimental.numpy.cross", tnp.cross, [
        Sample(tuple(draw("cross", (3,), (3,))), {}, "3 with 3"),
        Sample(tuple(draw("cross", (2, 3), (3,), salt="b")), {}, "2x3 with 3 (broadcast)"),
        Sample(tuple(draw("cross", (2,), (2,), salt="2d")), {}, "2 with 2 (z-component only)"),
        Sample(tuple(draw("cross", (3, 2), (2, 3), salt="ax")), {"axisa": 0}, "3x2 axisa=0 with 2x3"),
    ], diff=(0, 1), points=[
        point("a=[1,2,3],b=[4,5,6]", [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], [[-1.0, 2.0, -1.0], [1.0, -2.0, 1.0]],
              "Σ(a×b) = 1·(a×b) = a·(b×1): ∂/∂a = b×1 = (b1−b2, b2−b0, b0−b1), ∂/∂b = 1×a = (a2−a1, a0−a2, a1−a0)"),
        point("2-vectors a=[1,2],b=[3,5]", [[1.0, 2.0], [3.0, 5.0]], [[5.0, -3.0], [-2.0, 1.0]],
              "2-D cross is the scalar a0·b1 − a1·b0: ∂/∂a = (b1, −b0), ∂/∂b = (−a1, a0)"),
    ]),
    op("tf.experimental.numpy.kron", tnp.kron, [
        Sample(tuple(draw("kron", (2, 2), (2, 3))), {}, "2x2 with 2x3"),
        Sample(tuple(draw("kron", (3,), (2,), salt="v")), {}, "3 with 2"),
        Sample(tuple(draw("kron", (2,), (2, 2), salt="r")), {}, "2 with 2x2 (ranks differ)"),
    ], diff=(0, 1), points=[
        point("a=[[1,2]],b=[[1,1],[1,3]]", [[[1.0, 2.0]], [[1.0, 1.0], [1.0, 3.0]]], [[[6.0, 6.0]], np.full((2, 2), 3.0)],
              "Σ kron(a, b) = (Σa)(Σb): ∂/∂a = Σb = 6, ∂/∂b = Σa = 3"),
        point("zero-size a", [np.zeros((0,)), [1.0, 2.0]], [np.zeros((0,)), [0.0, 0.0]],
              "kron of an empty vector is empty: its sum is 0 for every b"),
    ]),
    op("tf.experimental.numpy.dot", tnp.dot, [
        Sample(tuple(draw("dot", (), (3,))), {}, "scalar with 3"),
        Sample(tuple(draw("dot", (2, 3), (3,), salt="mv")), {}, "2x3 with 3"),
        Sample(tuple(draw("dot", (2, 3), (3, 2), salt="mm")), {}, "2x3 with 3x2"),
        Sample(tuple(draw("dot", (2, 3), (2, 3, 2), salt="nd")), {}, "2x3 with 2x3x2 (last with second-to-last)"),
    ], diff=(0, 1), points=[
        point("a=[[1,2]],b=[[3],[4]]", [[[1.0, 2.0]], [[3.0], [4.0]]], [[[3.0, 4.0]], [[1.0], [2.0]]],
              "Σ(ab) = Σ_k a_k b_k here: ∂/∂a = bᵀ, ∂/∂b = aᵀ"),
        point("zero-size inner dimension", [np.zeros((2, 0)), np.zeros((0, 3))], [np.zeros((2, 0)), np.zeros((0, 3))],
              "a 2x0 by 0x3 product is the zero 2x3 matrix for every input: nothing to differentiate"),
    ]),
    op("tf.experimental.numpy.matmul", tnp.matmul, [
        Sample(tuple(draw("matmul", (3,), (3, 2))), {}, "3 with 3x2 (vector promoted)"),
        Sample(tuple(draw("matmul", (2, 3), (3,), salt="mv")), {}, "2x3 with 3"),
        Sample(tuple(draw("matmul", (2, 2, 3), (3, 2), salt="b")), {}, "2x2x3 with 3x2 (batch broadcast)"),
        Sample(tuple(draw("matmul", (2, 3), (3, 4), salt="mm")), {}, "2x3 with 3x4"),
    ], diff=(0, 1), points=[
        point("vector with vector", [[1.0, 2.0], [3.0, 4.0]], [[3.0, 4.0], [1.0, 2.0]],
              "1-D @ 1-D is the inner product: ∂/∂a = b, ∂/∂b = a"),
    ]),
    op("tf.experimental.numpy.polyval", tnp.polyval, [
        Sample(tuple(draw("polyval", (3,), (4,))), {}, "3 coefficients at 4 points"),
        Sample(tuple(draw("polyval", (4,), (2, 3), salt="m")), {}, "4 coefficients at 2x3 points"),
        Sample(tuple(draw("polyval", (1,), (3,), salt="c")), {}, "constant polynomial broadcast to 3 points"),
    ], diff=(0, 1), points=[
        point("p=[1,2,3],x=0", [[1.0, 2.0, 3.0], 0.0], [[0.0, 0.0, 1.0], 2.0],
              "p(x) = x² + 2x + 3: ∂/∂p = (x², x, 1) = (0, 0, 1), ∂/∂x = 2x + 2 = 2 at 0"),
        point("scalar p, x=[1,2]", [2.0, [1.0, 2.0]], [2.0, [0.0, 0.0]],
              "a 0-order polynomial broadcast to x's shape: Σ = 2·p, constant in x"),
    ]),
    op("tf.experimental.numpy.clip", _clip, [
        Sample((draw("clip", (5,), domain=CLIP_A)[0], np.float64(-0.5), np.float64(0.7)), {}, "5 with scalar bounds"),
        Sample((draw("clip", (2, 3), domain=CLIP_A, salt="b")[0], np.full((3,), -0.5), np.full((2, 1), 0.7)), {},
               "2x3 with bounds 3 and 2x1 (broadcast)"),
    ], diff=(0, 1, 2), domain="a, a_min < a_max; a away from the bounds", points=[
        point("a inside", [0.2, -0.5, 0.7], [1.0, 0.0, 0.0], "clip is the identity strictly inside (a_min, a_max)"),
        point("a below", [-1.0, -0.5, 0.7], [0.0, 1.0, 0.0], "below a_min the result is a_min"),
        point("a=a_min", [-0.5, -0.5, 0.7], [between(0, 1), between(0, 1), 0.0],
              "at a = a_min, clip = max(a, a_min) locally: any split of the derivative between a and a_min is a subgradient"),
        point("a=a_max", [0.7, -0.5, 0.7], [between(0, 1), 0.0, between(0, 1)],
              "at a = a_max, clip = min(a, a_max) locally: any split between a and a_max is a subgradient"),
    ]),
    op("tf.experimental.numpy.var", _var, [
        Sample((distinct("var", (5,)),), {}, "5 ddof=0"),
        Sample((distinct("var", (2, 3), salt="ax"),), {"axis": 0}, "2x3 axis=0"),
        Sample((distinct("var", (2, 4), salt="dd"),), {"ddof": 1, "axis": 1, "with_dtype": True},
               "2x4 ddof=1 axis=1 (dtype given)"),
    ], points=[
        point("ddof=1 without dtype", [[1.0, 2.0, 4.0]], [[-4 / 3, -1 / 3, 5 / 3]],
              "var with ddof = Σ(x − m)²/(n − ddof): gradient 2(x − m)/(n − 1) with m = 7/3", bug=VAR_DDOF, ddof=1),
    ]),
    op("tf.experimental.numpy.std", tnp.std, [
        Sample((distinct("std", (5,)),), {}, "5"),
        Sample((distinct("std", (2, 3), salt="ax"),), {"axis": 1}, "2x3 axis=1"),
        Sample((distinct("std", (3, 2), salt="kd"),), {"axis": 0, "keepdims": True}, "3x2 axis=0 keepdims"),
    ], points=[
        point("x=[1,2,4]", [[1.0, 2.0, 4.0]],
              [(np.array([1.0, 2.0, 4.0]) - 7 / 3) / (3 * np.std([1.0, 2.0, 4.0]))], "∂std/∂x = (x − m)/(n·std)"),
        point("size-1 reduction", [[0.7]], [[0.0]], "the standard deviation of one value is 0 for every value: derivative 0",
              bug=_std_bug("a single element", "https://github.com/tensorflow/tensorflow/issues/56830", [0.7])),
        point("constant vector", [[2.0, 2.0, 2.0]], [between(-np.sqrt(2) / 3, np.sqrt(2) / 3)],
              "std = ‖Px‖/√n with P = I − 11ᵀ/n: at a constant x its subgradients are Pu/√n with ‖u‖ ≤ 1, whose "
              "entries lie in ±√(1 − 1/n)/√n = ±√2/3", bug=_std_bug("all values equal", "unreported", [2.0, 2.0, 2.0])),
    ]),
    op("tf.experimental.numpy.average", _average, [
        Sample((draw("average", (4,))[0], draw("average", (4,), domain=POSITIVE, salt="w")[0]), {}, "4 weights 4"),
        Sample((draw("average", (2, 3), salt="a")[0], draw("average", (3,), domain=POSITIVE, salt="w1")[0]),
               {"axis": 1}, "2x3 axis=1 weights 3"),
        Sample((draw("average", (2, 3), salt="e")[0], draw("average", (2, 3), domain=POSITIVE, salt="w2")[0]),
               {"axis": 0}, "2x3 axis=0 weights 2x3"),
    ], diff=(0, 1), domain="a any; weights with a nonzero sum", points=[
        point("a=[1,2,4],w=[1,1,2]", [[1.0, 2.0, 4.0], [1.0, 1.0, 2.0]], [[0.25, 0.25, 0.5], [-0.4375, -0.1875, 0.3125]],
              "avg = Σwa/Σw = 11/4: ∂/∂a = w/Σw, ∂/∂w = (a − avg)/Σw"),
        point("a zero weight", [[1.0, 5.0, 3.0], [1.0, 0.0, 1.0]], [[0.5, 0.0, 0.5], [-0.5, 1.5, 0.5]],
              "avg = 2: a value with weight 0 does not move the average, but its weight does ((5 − 2)/2)"),
    ]),
    op("tf.experimental.numpy.cumprod", tnp.cumprod, [
        Sample(tuple(draw("cumprod", (5,), domain=REAL_NONZERO)), {}, "5 axis=None"),
        Sample(tuple(draw("cumprod", (2, 3), domain=REAL_NONZERO, salt="1")), {"axis": 1}, "2x3 axis=1"),
        Sample(tuple(draw("cumprod", (2, 3), domain=REAL_NONZERO, salt="f")), {}, "2x3 axis=None (flattened)"),
    ], domain="all reals", points=[
        point("x=[1,2,3]", [[1.0, 2.0, 3.0]], [[9.0, 4.0, 2.0]], "Σ cumprod = x0 + x0x1 + x0x1x2: (1 + 2 + 6, 1 + 3, 2)"),
        point("x=[2,0,3]", [[2.0, 0.0, 3.0]], [[1.0, 8.0, 0.0]],
              "Σ = x0 + x0x1 + x0x1x2: ∂/∂x1 = x0 + x0x2 = 2 + 6 = 8 at x1 = 0", bug=CUMPROD_ZERO),
        point("x=[0,2,3]", [[0.0, 2.0, 3.0]], [[9.0, 0.0, 0.0]], "∂/∂x0 = 1 + x1 + x1x2 = 9; the rest carry a factor x0 = 0",
              bug=CUMPROD_ZERO),
        point("x=[2,0,0,3]", [[2.0, 0.0, 0.0, 3.0]], [[1.0, 2.0, 0.0, 0.0]],
              "∂/∂x1 = x0 + x0x2 + x0x2x3 = 2 (x2 = 0); ∂/∂x2 and ∂/∂x3 carry the factor x1 = 0", bug=CUMPROD_ZERO),
    ]),
    op("tf.experimental.numpy.prod", tnp.prod, [
        Sample(tuple(draw("prod", (5,), domain=REAL_NONZERO)), {}, "5"),
        Sample(tuple(draw("prod", (2, 3), domain=REAL_NONZERO, salt="0")), {"axis": 0}, "2x3 axis=0"),
        Sample(tuple(draw("prod", (2, 3), domain=REAL_NONZERO, salt="k")), {"axis": 1, "keepdims": True},
               "2x3 axis=1 keepdims"),
    ], points=[
        point("x=[1,2,3]", [[1.0, 2.0, 3.0]], [[6.0, 3.0, 2.0]], "∂Πx/∂x_i = Π_{j≠i} x_j"),
        point("one zero", [[2.0, 0.0, 3.0]], [[0.0, 6.0, 0.0]], "Π_{j≠i} x_j: only the zero entry's complement is nonzero"),
        point("two zeros", [[2.0, 0.0, 0.0]], [[0.0, 0.0, 0.0]], "every Π_{j≠i} x_j contains a zero"),
    ]),
    op("tf.experimental.numpy.ptp", tnp.ptp, [
        Sample((distinct("ptp", (5,)),), {}, "5"),
        Sample((distinct("ptp", (2, 3), salt="0"),), {"axis": 0}, "2x3 axis=0"),
        Sample((distinct("ptp", (2, 3), salt="1"),), {"axis": 1, "keepdims": True}, "2x3 axis=1 keepdims"),
    ], points=[
        point("x=[1,3,2]", [[1.0, 3.0, 2.0]], [[-1.0, 1.0, 0.0]], "ptp = max − min: +1 at the maximum, −1 at the minimum"),
        point("tie at the maximum", [[1.0, 3.0, 3.0]], [between([-1, 0, 0], [-1, 1, 1])],
              "max over a tie: any convex combination of the tied entries is a subgradient; −1 at the unique minimum"),
        point("constant vector", [[2.0, 2.0, 2.0]], [between(-1, 1)],
              "ptp ≥ 0 is minimal at a constant vector: subgradients are p − q with p, q in the simplex, entries in [−1, 1]"),
    ]),
    op("tf.experimental.numpy.heaviside", tnp.heaviside, [
        Sample((np.array([0.0, 1.5, -0.5, 0.0]), draw("heaviside", (4,))[0]), {}, "x1 with zeros, x2 4"),
        Sample((np.array([[0.0], [-1.0]]), draw("heaviside", (3,), salt="b")[0]), {}, "x1 2x1 with x2 3 (broadcast)"),
    ], diff=(1,), domain="x1 any (not differentiated: a step function); x2 any", points=[
        point("x1=[0,-1,2]", [[0.0, -1.0, 2.0], [0.3, 0.3, 0.3]], [[1.0, 0.0, 0.0]],
              "heaviside(x1, x2) = x2 exactly where x1 = 0, else 0 or 1: ∂/∂x2 = [x1 = 0]"),
    ]),
    op("tf.experimental.numpy.nanmean", tnp.nanmean, [
        Sample((np.array([0.5, np.nan, -1.25, 2.0, 0.75]),), {}, "5 with a NaN"),
        Sample((np.array([[1.0, np.nan, -0.5], [0.25, 1.5, -2.0]]),), {"axis": 0}, "2x3 axis=0 with a NaN"),
        Sample(tuple(draw("nanmean", (4,))), {}, "4 without NaN"),
    ], domain="all reals; NaN entries are ignored", points=[
        point("x=[1,NaN,3]", [[1.0, np.nan, 3.0]], [[0.5, 0.0, 0.5]],
              "mean of the non-NaN entries: 1/count each, and a NaN entry does not enter the value (derivative 0)"),
    ]),
    op("tf.experimental.numpy.nanprod", tnp.nanprod, [
        Sample((np.array([0.5, np.nan, -1.25, 2.0]),), {}, "4 with a NaN"),
        Sample((np.array([[1.5, np.nan, -0.5], [0.25, 1.5, -2.0]]),), {"axis": 1}, "2x3 axis=1 with a NaN"),
    ], domain="all reals; NaN entries count as 1", points=[
        point("x=[2,NaN,3]", [[2.0, np.nan, 3.0]], [[3.0, 0.0, 2.0]], "product of the non-NaN entries: Π_{j≠i}; NaN entry ignored"),
        point("x=[0,NaN,3]", [[0.0, np.nan, 3.0]], [[3.0, 0.0, 0.0]], "a zero among them: only its own partial (3) is nonzero"),
    ]),
    op("tf.experimental.numpy.trace", tnp.trace, [
        Sample(tuple(draw("trace", (3, 3))), {}, "3x3"),
        Sample(tuple(draw("trace", (3, 4), salt="o")), {"offset": 1}, "3x4 offset=1"),
        Sample(tuple(draw("trace", (3, 3), salt="n")), {"offset": -1}, "3x3 offset=-1"),
        Sample(tuple(draw("trace", (2, 3, 3), salt="b")), {"axis1": 1, "axis2": 2}, "2x3x3 axis1=1 axis2=2"),
    ], points=[
        point("2x2", [[[1.0, 2.0], [3.0, 4.0]]], [np.eye(2)], "∂ tr A/∂A = I"),
        point("offset beyond the matrix", [np.ones((2, 2))], [np.zeros((2, 2))],
              "offset 5 selects no entry: the trace is 0 for every A", offset=5),
    ]),
    op("tf.experimental.numpy.take", tnp.take, [
        Sample((draw("take", (5,))[0], np.array([0, 4, 2])), {}, "5 indices [0,4,2]"),
        Sample((draw("take", (2, 3), salt="a")[0], np.array([2, 0])), {"axis": 1}, "2x3 axis=1"),
        Sample((draw("take", (4,), salt="w")[0], np.array([-1, 5, 1])), {"mode": "wrap"}, "4 mode=wrap"),
        Sample((draw("take", (4,), salt="c")[0], np.array([7, -2, 1])), {"mode": "clip"}, "4 mode=clip (out of range)"),
    ], domain="a any; integer indices (not differentiated)", points=[
        point("duplicates, clipped", [[1.0, 2.0, 3.0], np.array([0, 0, 5, -3])], [[3.0, 0.0, 1.0]],
              "mode='clip' maps 5 → 2 and −3 → 0: entry 0 is taken three times, entry 2 once"),
        point("wrap", [[1.0, 2.0, 3.0], np.array([0, 4, -1])], [[1.0, 1.0, 1.0]],
              "mode='wrap' maps 4 → 1 and −1 → 2: each entry once", mode="wrap"),
    ]),
    op("tf.experimental.numpy.take_along_axis", tnp.take_along_axis, [
        Sample((draw("tala", (2, 3))[0], np.array([[0, 2], [1, 1]]), 1), {}, "2x3 axis=1"),
        Sample((draw("tala", (3, 2), salt="0")[0], np.array([[2, 0]]), 0), {}, "3x2 axis=0 (indices broadcast)"),
    ], domain="arr any; integer indices (not differentiated)", points=[
        point("duplicate and negative indices", [[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], np.array([[0, 0], [1, -1]]), 1],
              [[[2.0, 0.0, 0.0], [0.0, 1.0, 1.0]]], "row 0 takes entry 0 twice; row 1 takes entries 1 and −1 = 2"),
    ]),
]
