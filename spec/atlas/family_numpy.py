"""tf.experimental.numpy: the NumPy-compatible wrappers that compose several TensorFlow ops.

Only wrappers that do their own work are listed (their own formula, a composition, special handling of
zeros, NaN or ranks); pure aliases of a tf.math op (tnp.sqrt, tnp.power, tnp.arctan2, tnp.expm1, ...) are
left to the tf.math families. `tnp.experimental_enable_numpy_behavior()` is never called: it changes global
state for the whole suite. The implementations are in tensorflow/python/ops/numpy_ops/np_math_ops.py and
np_array_ops.py.
"""
import dataclasses
import math

import numpy as np
import tensorflow.experimental.numpy as tnp

from spec.atlas.family_keras import HYPOT_WORKAROUND, LOGADDEXP_WORKAROUND, SINC_WORKAROUND, SUBNORMAL_INPUT
from spec.atlas.family_nn import MAX, TINY

from spec.atlas.records import (FLUSH_TO_ZERO, POINT_CHECKS, POINT_SECOND, POINT_THIRD, POSITIVE, REAL, REAL_NONZERO, Domain, KnownBug, Sample, Workaround,
                                TAIL_CHECKS, between, binary, distinct, hvp, tail,
                                draw, op, point, unary)

FAMILY = "tf.experimental.numpy: NumPy-compatible wrappers"

LN2 = np.log(2.0)


def _sinc_prime(x):
    """d/dx sin(πx)/(πx) = (πx cos πx − sin πx)/(πx²), in float64."""
    x = np.float64(x)
    return (np.pi * x * np.cos(np.pi * x) - np.sin(np.pi * x)) / (np.pi * x * x)


def _repro(*lines):
    return "\n".join(("import numpy as np, tensorflow as tf", "import tensorflow.experimental.numpy as tnp") + lines)


# ------------------------------------------------------------------------------------------ workarounds

LOGADDEXP2_WORKAROUND = Workaround('''import math
import tensorflow as tf


def logaddexp2(x1, x2):
    """m + log₂(2^(x1 − m) + 2^(x2 − m)) with the shift m = max(x1, x2) held constant (stop_gradient, 0 where it is not
    finite): the gradient is (2^x1, 2^x2)/(2^x1 + 2^x2), 1/2 each at a tie."""
    ln2 = math.log(2.0)
    m = tf.stop_gradient(tf.maximum(x1, x2))
    m = tf.where(tf.math.is_finite(m), m, tf.zeros_like(m))
    return m + tf.math.log(tf.exp((x1 - m) * ln2) + tf.exp((x2 - m) * ln2)) / ln2
''', "logaddexp2")
VANDER_WORKAROUND = Workaround('''import tensorflow as tf


def vander(x, N=None, increasing=False):
    """The columns 1, x, x², … as repeated products (x^k = x^(k−1)·x), whose gradients have no x^(−1) factor at 0."""
    n = x.shape[0] if N is None else N
    columns = [tf.ones_like(x)]
    for _ in range(1, n):
        columns.append(columns[-1] * x)
    v = tf.stack(columns, axis=1)
    return v if increasing else v[:, ::-1]
''', "vander")
VAR_WORKAROUND = Workaround('''import tensorflow as tf


def var(a, ddof=0, axis=None, with_dtype=False):
    """Σ(a − mean)²/(n − ddof) written out: no dtype=None cast, so ddof ≠ 0 works."""
    mean = tf.reduce_mean(a, axis=axis, keepdims=True)
    n = tf.cast(tf.size(a) if axis is None else tf.shape(a)[axis], a.dtype)
    return tf.reduce_sum(tf.square(a - mean), axis=axis) / (n - ddof)
''', "var")
STD_WORKAROUND = Workaround('''import tensorflow as tf


def std(a, axis=None, keepdims=None):
    """√var with the root taken only where the variance is positive (a safe 1 elsewhere): where the spread is 0 the
    value is 0 with the subgradient 0, never Sqrt's inf times the variance's 0."""
    mean = tf.reduce_mean(a, axis=axis, keepdims=True)
    var = tf.reduce_mean(tf.square(a - mean), axis=axis, keepdims=bool(keepdims))
    positive = var > 0
    return tf.where(positive, tf.sqrt(tf.where(positive, var, tf.ones_like(var))), tf.zeros_like(var))
''', "std")
LOOP_PRODUCTS = '''import tensorflow as tf


def _last(a, axis):
    """a with `axis` moved last (flattened for axis None), and the permutation back."""
    x = tf.reshape(a, [-1]) if axis is None else a
    rank = x.shape.rank
    axis = -1 % rank if axis is None else axis % rank
    perm = [i for i in range(rank) if i != axis] + [axis]
    return tf.transpose(x, perm), [perm.index(i) for i in range(rank)], axis


def _products(x):
    """The running products x0, x0·x1, … along the last axis, one Mul at a time: every derivative of every order is
    a product of entries, with no division by an entry (which Cumprod's gradient and, through it, reduce_prod's second
    derivative do)."""
    columns = [x[..., 0]]
    for i in range(1, x.shape[-1]):
        columns.append(columns[-1] * x[..., i])
    return columns
'''
CUMPROD_WORKAROUND = Workaround(LOOP_PRODUCTS + '''

def cumprod(a, axis=None, dtype=None):
    """tnp.cumprod as running products."""
    x, back, _ = _last(a, axis)
    return tf.transpose(tf.stack(_products(x), axis=-1), back)
''', "cumprod")
PROD_WORKAROUND = Workaround(LOOP_PRODUCTS + '''

def prod(a, axis=None, dtype=None, keepdims=None):
    """tnp.prod as the last running product (an empty product is 1)."""
    x, _, axis = _last(a, axis)
    out = _products(x)[-1] if x.shape[-1] else tf.ones_like(x[..., 0])
    return tf.expand_dims(out, axis) if keepdims and a.shape.rank else out
''', "prod")
NANPROD_WORKAROUND = Workaround(LOOP_PRODUCTS + '''

def nanprod(a, axis=None, dtype=None, keepdims=False):
    """tnp.nanprod as running products of the entries with NaN replaced by 1."""
    x, _, axis = _last(tf.where(tf.math.is_nan(a), tf.ones_like(a), a), axis)
    out = _products(x)[-1]
    return tf.expand_dims(out, axis) if keepdims and a.shape.rank else out
''', "nanprod")


# ------------------------------------------------------------------------------------------ known bugs

HYPOT_ORIGIN = KnownBug(
    "tnp.hypot is sqrt(x² + y²): at (0, 0) Sqrt's gradient 1/(2·0) = inf meets 2x = 0, so both partials are "
    "0·inf = NaN where any subgradient in the unit disc is right", "unreported",
    _repro("x, y = tf.constant(0.0, tf.float64), tf.constant(0.0, tf.float64)",
           "with tf.GradientTape() as t:", "    t.watch([x, y]); h = tnp.hypot(x, y)",
           "print(t.gradient(h, [x, y]))  # expected values in [-1, 1] (e.g. 0), got [nan, nan]"),
    kind="convention", kind_why="hypot has no derivative at the origin; TensorFlow returns NaN where the unit disc holds subgradients; jnp.hypot returns (1/2, 1/2) (jax/_src/numpy/ufuncs.py selects max(|x1|, |x2|) at 0, whose JVP splits a tie in halves, and abs's JVP is select(x ≥ 0, g, −g) in jax/_src/lax/lax.py); PyTorch not checked",
    related=("https://github.com/tensorflow/tensorflow/pull/127697",), searched=("tnp.hypot overflow large inputs gradient zero squares inputs",))
HYPOT_OVERFLOW = KnownBug(
    "tnp.hypot squares its inputs: for (3e200, 4e200) x² overflows, the value is inf and the gradient "
    "0.5/sqrt(inf)·2x collapses to 0 instead of x/hypot = 0.6, 0.8",
    "https://github.com/tensorflow/tensorflow/issues/124774",
    _repro("x, y = tf.constant(3e200, tf.float64), tf.constant(4e200, tf.float64)",
           "with tf.GradientTape() as t:", "    t.watch([x, y]); h = tnp.hypot(x, y)",
           "print(h, t.gradient(h, [x, y]))  # expected 5e200 and [0.6, 0.8], got inf and [0.0, 0.0]"),
    kind="wrong value", kind_why="hypot(3e200, 4e200) = 5e200 is finite and smooth; squaring overflows and the gradient comes out 0",
    related=("https://github.com/tensorflow/tensorflow/pull/124888", "https://github.com/tensorflow/tensorflow/pull/127697"),
    searched=("tnp.hypot overflow large inputs gradient zero squares inputs",
              "tf.experimental.numpy.hypot returns inf for large finite inputs overflow"), workaround=HYPOT_WORKAROUND)
SINC_ZERO = KnownBug(
    "tnp.sinc is where(x == 0, 1, sin(πx)/(πx)): the unselected branch's gradient at x = 0 is 0/0 = NaN and "
    "`where` multiplies it by 0, so reverse mode gives NaN where sinc'(0) = 0 (forward mode gives 0)",
    "https://github.com/tensorflow/tensorflow/pull/127478",
    _repro("x = tf.constant(0.0, tf.float64)", "with tf.GradientTape() as t:",
           "    t.watch(x); y = tnp.sinc(x)", "print(t.gradient(y, x))  # expected 0.0, got nan"),
    checks=("special_reverse",),
    kind="wrong value", kind_why="sinc is analytic at 0 with sinc'(0) = 0; reverse mode returns NaN",
    workaround=SINC_WORKAROUND,
    related=("https://github.com/tensorflow/tensorflow/issues/127226", "https://github.com/tensorflow/tensorflow/pull/127742"), searched=("keras.ops.sinc gradient NaN at zero tf.where",))


LOG2_WORKAROUND = Workaround('''import math
import tensorflow as tf


def log2(x):
    """log₂x with a custom gradient upstream·(1/ln 2)/x (a normal number up to x = 6.5e307, where Log's gradient forms
    the subnormal 1/x first and flushes it). Its forward computation, which forward mode differentiates, is
    multiply_no_nan(log x, 1/ln 2), whose JVP never multiplies log x = −inf by the constant's zero tangent, and above
    2¹⁰⁰⁰ log((x·2⁻¹⁰⁰⁰)^(1/ln 2)) + 1000, whose tangent chain 2⁻¹⁰⁰⁰, Pow's p·u^(p−1), 1/u^p stays normal."""
    c = 1 / math.log(2.0)

    @tf.custom_gradient
    def _log2(x):
        big = x > 2.0 ** 1000
        xb = tf.where(big, x, tf.ones_like(x)) * 2.0 ** -1000
        xs = tf.where(big, tf.ones_like(x), x)
        large = tf.math.log(tf.pow(xb, c)) + 1000.0
        small = tf.math.multiply_no_nan(tf.math.log(xs), tf.constant(c, x.dtype))

        def grad(upstream):
            return upstream * c / x

        return tf.where(big, large, small), grad

    return _log2(x)
''', "log2")
EXP2_WORKAROUND = Workaround('''import math
import tensorflow as tf


def exp2(x):
    """2ˣ as exp(multiply_no_nan(x, ln 2)): forward mode through MulNoNan never multiplies an infinite primal by the
    constant's zero tangent, where Pow(2, x) multiplies x·2^(x−1) (infinite at x = ±inf and for x > 1024) by it."""
    return tf.exp(tf.math.multiply_no_nan(x, tf.constant(math.log(2.0), x.dtype)))
''', "exp2")
def _zero_tangent_bug(what, op_name, arg, expected, checks=("special_forward",), workaround=None):
    return KnownBug(
        f"{what}: ForwardAccumulator's JVP includes the zero tangent of the constant operand times an infinite "
        f"primal (0·inf = NaN), so forward mode gives NaN where reverse mode gives {expected}", "unreported",
        _repro(f"x = tf.constant({arg}, tf.float64)",
               "with tf.autodiff.ForwardAccumulator(x, tf.constant(1.0, tf.float64)) as acc:",
               f"    y = {op_name}(x)", f"print(acc.jvp(y))  # expected {expected}, got nan"),
        checks=checks, workaround=workaround,
        searched=("ForwardAccumulator NaN jvp constant operand zero tangent times inf",),
    kind="mode failure", kind_why="reverse mode gives the one-sided limit or the overflowed value; forward mode returns NaN")


LOG2_ZERO = _zero_tangent_bug("tnp.log2 is log(x)/ln 2; at x = 0 log x = -inf", "tnp.log2", 0.0, "inf",
                              workaround=LOG2_WORKAROUND)
EXP2_NEG_INF = _zero_tangent_bug("tnp.exp2 is 2**x = Pow(2, x); at x = -inf Pow's base-gradient x·2^(x-1) is "
                                 "-inf·0", "tnp.exp2", "-np.inf", "0.0", workaround=EXP2_WORKAROUND)
LOG2_TAIL_FORWARD = _zero_tangent_bug("tnp.log2 is log(x)/ln 2; at the subnormal x = 1e-310, which the kernels read as 0, "
                                      "log x = -inf", "tnp.log2", 1e-310, "inf (1/(x ln 2) = 1.4e310 overflows)",
                                      checks=("tail_forward",), workaround=LOG2_WORKAROUND)
EXP2_TAIL_FORWARD = _zero_tangent_bug("tnp.exp2 is 2**x = Pow(2, x); at x = 1030 Pow's base-gradient x·2^(x-1) is inf",
                                      "tnp.exp2", 1030.0, "inf (2^1030·ln 2 overflows)", checks=("tail_forward",),
                                      workaround=EXP2_WORKAROUND)
TNP_CBRT_SUBNORMAL = KnownBug(
    "tnp.cbrt is where(x < 0, −|x|^(1/3), |x|^(1/3)): the kernels read the subnormal x = 1e-310 as 0 (denormals-are-zero; "
    "the value comes out 1.35e-108 instead of 4.6e-104) and Abs's gradient sign(x) is 0, so the derivative (1/3)·x^(−2/3) = 1.5e206, "
    "a normal float64, comes out 0", "https://github.com/tensorflow/tensorflow/issues/127905",
    _repro("x = tf.constant(1e-310, tf.float64)", "with tf.GradientTape() as t:", "    t.watch(x); y = tnp.cbrt(x)",
           "print(t.gradient(y, x))  # expected 1.547e206, got 0.0"),
    checks=TAIL_CHECKS, kind="tail", kind_why="(1/3)·x^(−2/3) = 1.5e206 is representable; Sign of the subnormal input is 0",
    no_workaround=SUBNORMAL_INPUT,
    related=("https://github.com/tensorflow/tensorflow/issues/62399",),
    searched=("float64 gradient subnormal returns 0 ScopedFlushDenormal denormals-are-zero eager tf.function XLA",))
TNP_SINC_SMALL = KnownBug(
    "tnp.sinc's gradient near 0 is the quotient rule (πx·cos πx − sin πx)/(πx²), whose numerator −(πx)³/3 is the "
    "difference of two numbers of size πx: relative error ε/(πx)², 30% at x = 1e-8 and 0 (−inf under XLA) at "
    "x = 1e-300, where the derivative −π²x/3 is a normal float64", "unreported",
    _repro("x = tf.constant(1e-8, tf.float64)", "with tf.GradientTape() as t:", "    t.watch(x); y = tnp.sinc(x)",
           "print(t.gradient(y, x))  # expected -π²·1e-8/3 = -3.2899e-08, got -2.34e-08"),
    checks=TAIL_CHECKS, kind="tail",
    kind_why="sinc'(x) = −π²x/3 + O(x³) is representable near 0; the quotient-rule gradient cancels to 0 or garbage",
    workaround=SINC_WORKAROUND,
    searched=("sinc gradient inaccurate near zero catastrophic cancellation small x",))


def _logaddexp_tie(name, expected, workaround):
    return KnownBug(
        f"{name} is maximum(x1, x2) + log1p(exp(-|x1 - x2|)): at x1 = x2 Maximum sends the whole gradient to x1 "
        f"and Abs'(0) = 0 drops the correction, so the partials are (1, 0) instead of the smooth function's "
        f"(1/2, 1/2)", "https://github.com/tensorflow/tensorflow/pull/127741",
        _repro("x1, x2 = tf.constant(0.0, tf.float64), tf.constant(0.0, tf.float64)",
               "with tf.GradientTape() as t:", f"    t.watch([x1, x2]); y = {name}(x1, x2)",
               f"print(t.gradient(y, [x1, x2]))  # expected [{expected}, {expected}], got [1.0, 0.0]"),
    kind="wrong value", kind_why="logaddexp is smooth at x1 = x2; TensorFlow returns (1, 0)",
    related=("https://github.com/tensorflow/tensorflow/issues/127232", "https://github.com/keras-team/keras/pull/23616"),
    searched=("logaddexp gradient equal inputs maximum tie wrong gradient 1 0 instead of 0.5",), workaround=workaround,
    checks=POINT_CHECKS + POINT_SECOND)


CBRT_ZERO = KnownBug(
    "tnp.cbrt is where(x < 0, -|x|^(1/3), |x|^(1/3)): at x = 0 Pow's gradient (1/3)·0^(-2/3) = inf meets "
    "Abs'(0) = 0, giving NaN where the derivative of the cube root is +inf from both sides", "unreported",
    _repro("x = tf.constant(0.0, tf.float64)", "with tf.GradientTape() as t:",
           "    t.watch(x); y = tnp.cbrt(x)", "print(t.gradient(y, x))  # expected inf, got nan"),
    kind="convention", kind_why="the cube root has no finite derivative at 0 (+inf from both sides); TensorFlow returns NaN; JAX returns +inf (jax/_src/lax/lax.py: cbrt's JVP is g·(1/3)·ans⁻²); PyTorch not checked",
    searched=("cbrt gradient NaN at zero",))
VANDER_ZERO = KnownBug(
    "tnp.vander is pow(x, [N-1, ..., 0]): the column x⁰ = 1 has Pow's gradient 0·x^(-1) = 0·inf = NaN at "
    "x = 0 (reverse mode: that entry; forward mode: every entry, as the NaN JVP column is summed)",
    "https://github.com/tensorflow/tensorflow/pull/127494",
    _repro("x = tf.constant([0.0, 1.0, 2.0], tf.float64)", "with tf.GradientTape() as t:",
           "    t.watch(x); v = tnp.vander(x, 3)", "print(t.gradient(v, x))  # expected [1, 3, 5], got [nan, 3, 5]"),
    kind="wrong value", kind_why="each column x^k is a polynomial, differentiable at 0; the x⁰ column's Pow gradient makes it NaN",
    searched=("vander gradient NaN at zero pow x to the 0",), workaround=VANDER_WORKAROUND,
    checks=POINT_CHECKS + POINT_SECOND + POINT_THIRD)
VAR_DDOF = KnownBug(
    "tnp.var with ddof ≠ 0 and no dtype casts its result to dtype=None and raises TypeError (\"Cannot convert "
    "the argument `type_value`: None to a TensorFlow DType\"), so neither value nor gradient exists",
    "https://github.com/tensorflow/tensorflow/pull/125955",
    _repro("x = tf.constant([1.0, 2.0, 4.0], tf.float64)", "with tf.GradientTape() as t:",
           "    t.watch(x); v = tnp.var(x, ddof=1)",
           "print(t.gradient(v, x))  # expected 2(x - mean)/(n - 1) = [-4/3, -1/3, 5/3], got TypeError"),
    kind="missing gradient", kind_why="the variance is smooth; the call raises, so no gradient exists",
    searched=("tnp.var ddof dtype None TypeError Cannot convert the argument type_value",), workaround=VAR_WORKAROUND,
    checks=POINT_CHECKS + POINT_SECOND)


def _std_bug(label, issue, x, kind, kind_why, **links):
    return KnownBug(
        f"tnp.std is reduce_std = sqrt(reduce_variance): where the spread is zero ({label}) Sqrt's gradient is "
        "inf and the variance's gradient 0, so every partial is 0·inf = NaN", issue,
        _repro(f"x = tf.constant({x}, tf.float64)", "with tf.GradientTape() as t:",
               "    t.watch(x); s = tnp.std(x)", "print(t.gradient(s, x))  # expected 0 (a subgradient), got nan"),
    kind=kind, kind_why=kind_why, searched=("reduce_std gradient NaN single element or constant input tnp.std",), **links)


CUMPROD_ZERO = KnownBug(
    "Cumprod's gradient is cumsum(prod·g, reverse)/x with div_no_nan: the division by a zero entry returns 0, "
    "dropping the products that skip that entry (for [2, 0, 3]: ∂/∂x₁ = 2 + 2·3 = 8, TensorFlow says 0)",
    "https://github.com/tensorflow/tensorflow/issues/119430",
    _repro("x = tf.constant([2.0, 0.0, 3.0], tf.float64)", "with tf.GradientTape() as t:",
           "    t.watch(x); c = tnp.cumprod(x)", "print(t.gradient(c, x))  # expected [1, 8, 0], got [1, 0, 0]"),
    kind="wrong value", kind_why="Σ cumprod is a polynomial; at a zero entry TensorFlow drops the products that skip it",
    related=("https://github.com/tensorflow/tensorflow/pull/120282", "https://github.com/tensorflow/tensorflow/issues/3862"), searched=("cumprod gradient wrong when input contains zero",),
    workaround=CUMPROD_WORKAROUND,
    checks=POINT_CHECKS + POINT_SECOND)


LOG2_LARGE = KnownBug(
    "tnp.log2 is log(x)/ln 2 and Log's gradient is upstream·reciprocal(x): for x > 4.5e307 reciprocal(x) is subnormal and "
    "flushed to 0 before the factor 1/ln 2 would make it normal again, so the derivative 1/(x·ln 2), a normal float64 "
    "up to x = 6.5e307, comes out 0", "unreported",
    _repro("x = tf.constant(6e307, tf.float64)", "with tf.GradientTape() as t:", "    t.watch(x); y = tnp.log2(x)",
           "print(t.gradient(y, x))  # expected 1/(6e307·ln 2) = 2.4044e-308, got 0.0"),
    checks=TAIL_CHECKS, kind="tail",
    kind_why="1/(x ln 2) = 2.4e-308 is a normal float64 at x = 6e307; the intermediate 1/x is flushed to 0",
    workaround=LOG2_WORKAROUND,
    related=("https://github.com/tensorflow/tensorflow/issues/127905",),
    searched=("float64 gradient subnormal returns 0 ScopedFlushDenormal denormals-are-zero eager tf.function XLA",))



TNP_SINC_ZERO_SECOND = KnownBug(
    "tnp.sinc's second and third derivatives at 0 are NaN in every composition: where(x == 0, 1, sin(πx)/(πx)) "
    "differentiates the unselected quotient at 0/0", "https://github.com/tensorflow/tensorflow/pull/127478",
    _repro("x = tf.constant(0.0, tf.float64)", "with tf.GradientTape() as t2:", "    t2.watch(x)",
           "    with tf.GradientTape() as t:", "        t.watch(x); y = tnp.sinc(x)", "    g = t.gradient(y, x)",
           "print(t2.gradient(g, x))  # expected -pi**2/3 = -3.2899, got nan"),
    checks=POINT_SECOND + POINT_THIRD, kind="wrong value",
    kind_why="sinc is analytic at 0 (sinc'' = −π²/3, sinc‴ = 0); TensorFlow returns NaN",
    related=("https://github.com/tensorflow/tensorflow/issues/127226",), searched=("keras.ops.sinc gradient NaN at zero tf.where",),
    workaround=SINC_WORKAROUND)
LOG2_ZERO_SECOND = _zero_tangent_bug("tnp.log2's second derivative at 0 through forward mode: log x = -inf meets the constant's zero "
                                     "tangent", "tnp.log2", 0.0, "-inf (reverse over reverse)",
                                     checks=("special_forward_over_reverse", "special_reverse_over_forward",
                                             "special_forward_over_forward"))
LOG2_ZERO_SECOND = dataclasses.replace(
    LOG2_ZERO_SECOND, no_workaround="none found: the first-order workaround (multiply_no_nan, a custom gradient) still gives NaN "
    "here, because the JVP of log's own derivative 1/x at x = 0 multiplies the infinite 1/x² by a zero tangent inside "
    "TensorFlow's rules; reverse over reverse gives the right −inf")
EXP2_NEG_INF_SECOND = _zero_tangent_bug("tnp.exp2's second derivative at -inf through forward mode: Pow's base-gradient "
                                        "x·2^(x-1) is -inf·0", "tnp.exp2", "-np.inf", "0.0 (reverse over reverse)",
                                        checks=("special_forward_over_reverse", "special_reverse_over_forward",
                                                "special_forward_over_forward"), workaround=EXP2_WORKAROUND)
PROD_ZERO_SECOND = KnownBug(
    "tnp.prod is reduce_prod, whose gradient is built from exclusive cumulative products (tf.math.cumprod); Cumprod's own "
    "gradient divides by the entry (div_no_nan), so the second derivative at a zero entry loses the products that skip it: "
    "for [2, 0, 3] H·1 comes out (3, 0, 2) by reverse over reverse and (0, 5, 0) by forward over reverse instead of (3, 5, 2)",
    "unreported",
    _repro("x = tf.constant([2.0, 0.0, 3.0], tf.float64)", "with tf.GradientTape() as t2:", "    t2.watch(x)",
           "    with tf.GradientTape() as t:", "        t.watch(x); p = tnp.prod(x)", "    g = t.gradient(p, x)",
           "print(t2.gradient(g, x))  # expected H·1 = [3, 5, 2], got [3, 0, 2]"),
    checks=POINT_SECOND, kind="wrong value", kind_why="Πx is a polynomial; its Hessian at a zero entry comes out wrong",
    related=("https://github.com/tensorflow/tensorflow/issues/119430", "https://github.com/tensorflow/tensorflow/pull/120282"),
    searched=("cumprod gradient wrong when input contains zero",), workaround=PROD_WORKAROUND)
NANPROD_ZERO_SECOND = dataclasses.replace(
    PROD_ZERO_SECOND, summary="tnp.nanprod is reduce_prod of the entries with NaN replaced by 1, so it inherits reduce_prod's "
    "wrong second derivative at a zero entry (its gradient's cumprod divides by the entry): for [0, NaN, 3] H·1 comes out "
    "(0, 0, 1) instead of (1, 0, 1)", workaround=NANPROD_WORKAROUND)

# ------------------------------------------------------------------------------------------- helpers

HYPOT_H_WHY = "∇²‖(x, y)‖ = (I − uuᵀ)/r with u = (x, y)/r:"
LSE_H_WHY = "log(e^x1 + e^x2): H = p(1 − p)·[[1, −1], [−1, 1]] with p = σ(x1 − x2), so H·1 = 0 and v = (1, 0) gives p(1 − p)·(1, −1);"
AVERAGE_H_WHY = ("avg = Σwa/S (S = Σw): H_aa = 0, ∂²/∂a_i∂w_j = δ_ij/S − w_i/S², ∂²/∂w_j∂w_k = −((a_j − avg) + (a_k − avg))/S²; "
                 "H·(1, 1) computed from these closed forms")


def _std_hvp(x, v):
    """H·v of std(x) = ‖d‖/√n, d = Px: H = (P − ddᵀ/‖d‖²)/(‖d‖√n) (closed form, float64)."""
    x, v = np.asarray(x, np.float64), np.asarray(v, np.float64)
    n = x.size
    d = x - x.mean()
    r = np.linalg.norm(d)
    pv = v - v.mean()
    return (pv - d * (d @ v) / r ** 2) / (r * np.sqrt(n))


def _average_hvp(a, w):
    """H·(1, 1) of Σwa/Σw from the closed-form second partials."""
    a, w = np.asarray(a, np.float64), np.asarray(w, np.float64)
    S = w.sum()
    avg = (w * a).sum() / S
    h_aw = np.eye(a.size) / S - w[:, None] / S ** 2
    h_ww = -((a - avg)[:, None] + (a - avg)[None, :]) / S ** 2
    ones = np.ones(a.size)
    return h_aw @ ones, h_aw.T @ ones + h_ww @ ones


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
        point("x=3,y=4", [3.0, 4.0], [0.6, 0.8], "∂hypot/∂x = x/hypot, ∂/∂y = y/hypot with hypot(3, 4) = 5",
              second=hvp([0.032, -0.024], HYPOT_H_WHY + " u = (0.6, 0.8), r = 5: H·1 = (1 − 1.4·u)/5")),
        point("x=0,y=2", [0.0, 2.0], [0.0, 1.0], "x/hypot = 0 and y/hypot = 1: smooth away from the origin",
              second=hvp([0.5, 0.0], HYPOT_H_WHY + " u = (0, 1), r = 2: H·1 = (1, 0)/2")),
        point("x=0,y=0", [0.0, 0.0], [between(-1, 1), between(-1, 1)],
              "hypot is the Euclidean norm of (x, y): at the origin its subdifferential is the unit disc, so "
              "each partial of a subgradient lies in [-1, 1]", bug=HYPOT_ORIGIN,
              second=hvp([None, None], "hypot is not twice differentiable at the origin (its Hessian grows like 1/r): nothing is asserted", exists=False)),
        point("x=3e200,y=4e200", [3e200, 4e200], [0.6, 0.8],
              "x/hypot and y/hypot depend only on the ratio: 0.6 and 0.8, with hypot = 5e200 finite in float64",
              bug=HYPOT_OVERFLOW,
              second=hvp([0.032e-200, -0.024e-200], HYPOT_H_WHY + " u = (0.6, 0.8), r = 5e200: H·1 = (1 − 1.4·u)/r (entries of "
                         "3e-202: the absolute tolerance cannot tell them from 0, so TensorFlow's 0 passes)")),
    ], tails=[
        # as keras.ops.hypot's tails (family_keras): the partials (x, y)/hypot where x/hypot leaves the normal range, and
        # near the largest float, where tnp.hypot's x² + y² overflows (HYPOT_OVERFLOW, in the tails too)
        tail("x=1e-300,y=1e10 (subnormal ∂/∂x)", [1e-300, 1e10], [1e-300 / 1e10, 1.0],
             "x/hypot = 1e-310, y/hypot = 1: hypot = 1e10 to 1e-620 relative, so the partials are exactly x/y and 1; "
             "1e-310 is subnormal", bug=FLUSH_TO_ZERO),
        tail("x=1e-290,y=1e10", [1e-290, 1e10], [1e-300, 1.0], "x/hypot = 1e-300 (normal; 2x·1/(2·hypot) on the way "
             "is normal too, though x² = 1e-580 underflows to 0 in the value), y/hypot = 1"),
        tail("x=1e300,y=2e300", [1e300, 2e300], [5 ** -0.5, 2 * 5 ** -0.5], "near the largest float hypot = √5·1e300 "
             "still fits: the partials are (1, 2)/√5; x² + y² overflows inside tnp.hypot",
             bug=dataclasses.replace(HYPOT_OVERFLOW, checks=TAIL_CHECKS)),
    ]),
    unary("tf.experimental.numpy.sinc", tnp.sinc, REAL_NONZERO, [
        point("x=0", [0.0], [0.0], "sinc is even and analytic at 0 (1 − (πx)²/6 + ...): derivative 0",
              bug=SINC_ZERO,
              second=hvp([-np.pi ** 2 / 3], "sinc = 1 − (πx)²/6 + …: sinc''(0) = −π²/3", bug=TNP_SINC_ZERO_SECOND),
              third=hvp([0.0], "sinc is even, so its odd derivatives vanish at 0: sinc‴(0) = 0 (the series "
                        "1 − (πx)²/6 + (πx)⁴/120 − … has no odd term)", bug=TNP_SINC_ZERO_SECOND)),
        point("x=1", [1.0], [_sinc_prime(1.0)], "(πx cos πx − sin πx)/(πx²) = cos π = −1 at x = 1",
              second=hvp([2.0], "sinc''(x) = π²·g''(πx), g(y) = sin y/y, g'' = −sin y/y − 2cos y/y² + 2 sin y/y³ = 2/π² at y = π")),
        point("x=0.5", [0.5], [_sinc_prime(0.5)], "(πx cos πx − sin πx)/(πx²) = −4/π at x = 1/2",
              second=hvp([-2 * np.pi + 16 / np.pi], "π²·g''(π/2) = π²(−2/π + 16/π³)"),
              third=hvp([12 * np.pi - 96 / np.pi], "sinc‴(x) = π³·g‴(πx), g‴ = −cos y/y + 3 sin y/y² + 6 cos y/y³ − 6 sin y/y⁴ = 12/π² − 96/π⁴ at y = π/2: 12π − 96/π (float64 central differences of numpy.sinc agree to 2e-6)")),
    ], tails=[
        tail("x=1e-8", [1e-8], [-np.pi ** 2 * 1e-8 / 3], "sinc'(x) = −π²x/3 + π⁴x³/30 − …: −π²·1e-8/3 (the cubic term is 1e-16 of it)",
             bug=TNP_SINC_SMALL),
        tail("x=1e-300", [1e-300], [-np.pi ** 2 * 1e-300 / 3], "−π²x/3 = −3.3e-300, a normal float64", bug=TNP_SINC_SMALL),
    ]),
    unary("tf.experimental.numpy.log2", tnp.log2, POSITIVE, [
        point("x=1", [1.0], [1 / LN2], "d log₂x/dx = 1/(x ln 2)",
              second=hvp([-1 / LN2], "(log₂x)'' = −1/(x² ln 2)"),
              third=hvp([2 / LN2], "(log₂x)‴ = 2/(x³ ln 2)")),
        point("x=0", [0.0], [np.inf], "1/(x ln 2) → +inf as x → 0+ (one-sided: log₂ is defined for x > 0)",
              bug=LOG2_ZERO,
              second=hvp([-np.inf], "−1/(x² ln 2) → −inf as x → 0+ (one-sided)", bug=LOG2_ZERO_SECOND)),
    ], tails=[
        tail("x=smallest normal", [TINY], [1 / (TINY * LN2)], "1/(x ln 2) = 6.5e307, the largest derivative at a normal x"),
        tail("x=1e-310 (subnormal x)", [1e-310], [np.inf], "1/(x ln 2) = 1.4e310 overflows: inf", bug=LOG2_TAIL_FORWARD),
        tail("x=6e307 (last normal f')", [6e307], [1 / (6e307 * LN2)], "1/(x ln 2) = 2.4e-308, a normal float64", bug=LOG2_LARGE),
        tail("x=max (subnormal f')", [MAX], [1 / (MAX * LN2)], "1/(x ln 2) = 8.0e-309, subnormal",
             bug=FLUSH_TO_ZERO),
    ]),
    binary("tf.experimental.numpy.logaddexp", tnp.logaddexp, REAL, REAL, [
        point("x1=x2=0", [0.0, 0.0], [0.5, 0.5],
              "∂/∂x1 log(e^x1 + e^x2) = e^x1/(e^x1 + e^x2), smooth everywhere: 1/2 each at a tie",
              bug=_logaddexp_tie("tnp.logaddexp", 0.5, LOGADDEXP_WORKAROUND),
              second=hvp([0.25, -0.25], LSE_H_WHY + " p = 1/2", v=(1.0, 0.0))),
        point("x1=0,x2=2", [0.0, 2.0], [1 / (1 + np.exp(2.0)), 1 / (1 + np.exp(-2.0))],
              "e^x1/(e^x1 + e^x2) = 1/(1 + e²) and e^x2/(e^x1 + e^x2) = 1/(1 + e^-2)",
              second=hvp([0.25 / np.cosh(1.0) ** 2, -0.25 / np.cosh(1.0) ** 2], LSE_H_WHY + " p = σ(−2): p(1 − p) = 1/(4cosh²1)", v=(1.0, 0.0))),
        point("x1=-inf,x2=0", [-np.inf, 0.0], [0.0, 1.0], "limit x1 → −inf: logaddexp → x2, partials (0, 1)",
              second=hvp([0.0, 0.0], LSE_H_WHY + " p = 0", v=(1.0, 0.0))),
    ], tails=[
        # as keras.ops.logaddexp's tails (family_keras): ∂/∂x1 = σ(x1 − x2) = e^(x1 − x2)/(1 + e^(x1 − x2)) leaving the
        # normal range, and values near the largest float
        tail("x1=-708,x2=0", [-708.0, 0.0], [np.exp(-708.0) / (1 + np.exp(-708.0)), 1 / (1 + np.exp(-708.0))],
             "∂/∂x1 = σ(−708) = e^−708/(1 + e^−708) = 3.3e-308 (the last normal one at an integer x1), ∂/∂x2 = σ(708) = 1"),
        tail("x1=-740,x2=0", [-740.0, 0.0], [np.exp(-740.0), 1.0], "σ(−740) = e^−740 = 4.2e-322, subnormal", bug=FLUSH_TO_ZERO),
        tail("x1=1e308,x2=5e307", [1e308, 5e307], [1.0, 0.0], "near the largest float: σ(5e307) = 1 and σ(−5e307) = "
             "e^−5e307, which is 0 in float64 too"),
    ]),
    binary("tf.experimental.numpy.logaddexp2", tnp.logaddexp2, REAL, REAL, [
        point("x1=x2=1", [1.0, 1.0], [0.5, 0.5],
              "∂/∂x1 log₂(2^x1 + 2^x2) = 2^x1/(2^x1 + 2^x2), smooth: 1/2 each at a tie",
              bug=_logaddexp_tie("tnp.logaddexp2", 0.5, LOGADDEXP2_WORKAROUND),
              second=hvp([LN2 / 4, -LN2 / 4], "log₂(2^x1 + 2^x2): H = ln 2·p(1 − p)·[[1, −1], [−1, 1]] with p = 2^x1/(2^x1 + 2^x2) = 1/2; v = (1, 0)", v=(1.0, 0.0))),
        point("x1=1,x2=3", [1.0, 3.0], [0.2, 0.8], "2/(2 + 8) and 8/(2 + 8)",
              second=hvp([0.16 * LN2, -0.16 * LN2], "H = ln 2·p(1 − p)·[[1, −1], [−1, 1]] with p = 0.2: p(1 − p) = 0.16; v = (1, 0)", v=(1.0, 0.0))),
    ], tails=[
        # ∂/∂x1 = 2^x1/(2^x1 + 2^x2) = 2^δ/(1 + 2^δ) with δ = x1 − x2: 2^δ exactly, to float64 rounding, for δ ≤ −60
        tail("x1=-1021,x2=0", [-1021.0, 0.0], [2.0 ** -1021, 1.0],
             "∂/∂x1 = 2^−1021/(1 + 2^−1021) = 2^−1021 = 4.5e-308 (normal), ∂/∂x2 = 1/(1 + 2^−1021) = 1"),
        tail("x1=-1030,x2=0", [-1030.0, 0.0], [2.0 ** -1030, 1.0], "∂/∂x1 = 2^−1030 = 8.7e-311, subnormal", bug=FLUSH_TO_ZERO),
        tail("x1=1e308,x2=5e307", [1e308, 5e307], [1.0, 0.0], "near the largest float: 2^(x1 − x2) overflows, the "
             "partials are 1/(1 + 2^−5e307) = 1 and 2^−5e307 = 0 in float64"),
    ]),
    unary("tf.experimental.numpy.cbrt", tnp.cbrt, REAL_NONZERO, [
        point("x=0", [0.0], [np.inf], "d x^(1/3)/dx = x^(-2/3)/3 → +inf from both sides at 0 (vertical tangent)",
              bug=CBRT_ZERO,
              second=hvp([None], "the cube root has no second derivative at 0 (−(2/9)x^(−5/3) is unbounded, with opposite signs on the two sides): nothing is asserted", exists=False)),
        point("x=-8", [-8.0], [1 / 12], "cbrt is odd, its derivative even: (1/3)·8^(-2/3) = 1/12",
              second=hvp([1 / 144], "cbrt'' = −(2/9)·x^(−5/3) = −(2/9)·(−1/32) at −8"),
              third=hvp([10 / 6912], "cbrt‴ = (10/27)·x^(−8/3) = (10/27)·(−2)^(−8) = 10/6912 at −8 (the power rule's "
                        "x^(1/3 − 3))")),
        point("x=1", [1.0], [1 / 3], "(1/3)·1^(-2/3)",
              second=hvp([-2 / 9], "cbrt'' = −(2/9)·x^(−5/3) = −2/9 at 1")),
    ], tails=[
        tail("x=1e-310 (subnormal x)", [1e-310], [(1e-310) ** (-2 / 3) / 3], "(1/3)·x^(−2/3) = 1.5e206, a normal float64",
             bug=TNP_CBRT_SUBNORMAL),
        tail("x=smallest normal", [TINY], [TINY ** (-2 / 3) / 3], "(1/3)·x^(−2/3) = 4.2e204"),
        tail("x=±max", [[MAX, -MAX]], [[MAX ** (-2 / 3) / 3] * 2], "(1/3)·|x|^(−2/3) = 1.05e-206 on both sides"),
    ]),
    unary("tf.experimental.numpy.exp2", tnp.exp2, REAL, [
        point("x=0", [0.0], [LN2], "d 2^x/dx = 2^x ln 2 = ln 2 at 0",
              second=hvp([LN2 ** 2], "(2ˣ)'' = 2ˣ(ln 2)²"),
              third=hvp([LN2 ** 3], "(2ˣ)‴ = 2ˣ(ln 2)³")),
        point("x=3", [3.0], [8 * LN2], "2³ ln 2",
              second=hvp([8 * LN2 ** 2], "2³(ln 2)²")),
        point("x=-inf", [-np.inf], [0.0], "2^x ln 2 → 0 as x → −inf", bug=EXP2_NEG_INF,
              second=hvp([0.0], "2ˣ(ln 2)² → 0 as x → −inf", bug=EXP2_NEG_INF_SECOND)),
    ], tails=[
        tail("x=-1021 (last normal f')", [-1021.0], [math.ldexp(LN2, -1021)], "2ˣ ln 2 = 3.1e-308, a normal float64"),
        tail("x=-1022 (subnormal f')", [-1022.0], [math.ldexp(LN2, -1022)], "2ˣ ln 2 = 1.5e-308, subnormal",
             bug=FLUSH_TO_ZERO),
        tail("x=1023.9 (near max)", [1023.9], [2.0 ** 1023.9 * LN2], "2ˣ ln 2 = 1.16e308"),
        tail("x=1030 (overflow)", [1030.0], [np.inf], "2ˣ ln 2 = 7.4e309 overflows: inf", bug=EXP2_TAIL_FORWARD),
    ]),
    op("tf.experimental.numpy.vander", tnp.vander, [
        Sample(tuple(draw("vander", (4,), domain=REAL_NONZERO)), {}, "4 N=None (decreasing powers)"),
        Sample(tuple(draw("vander", (3,), domain=REAL_NONZERO, salt="inc")), {"N": 4, "increasing": True},
               "3 N=4 increasing"),
    ], domain="all reals (integer powers 0..N-1)", points=[
        point("x=[0,1,2],N=3", [[0.0, 1.0, 2.0]], [[1.0, 3.0, 5.0]],
              "Σ over a row of [x², x, 1] has derivative 2x + 1; x⁰ = 1 is constant (derivative 0 at x = 0 too)",
              bug=VANDER_ZERO, N=3,
              second=hvp([[2.0, 2.0, 2.0]], "Σ over a row of [x², x, 1]: second derivative 2 (x⁰ = 1 contributes 0, at x = 0 too)"),
              third=hvp([[0.0, 0.0, 0.0]], "x² + x + 1 is a quadratic: its third derivative is 0 everywhere (the rule y·x^(y−1) of x⁰ must give 0 at x = 0)")),
        point("x=[1,2],N=2,increasing", [[1.0, 2.0]], [[1.0, 1.0]], "rows [1, x]: derivative 1", N=2,
              increasing=True,
              second=hvp([np.zeros(2)], "rows [1, x]: linear, H = 0")),
    ]),
    op("tf.experimental.numpy.diff", tnp.diff, [
        Sample((distinct("diff", (6,)),), {}, "6 n=1"),
        Sample((distinct("diff", (6,), salt="2"),), {"n": 2}, "6 n=2"),
        Sample((distinct("diff", (3, 4), salt="a"),), {"axis": 0}, "3x4 axis=0"),
        Sample((distinct("diff", (2, 4), salt="b"),), {"n": 3, "axis": -1}, "2x4 n=3 axis=-1"),
    ], points=[
        point("n=2 on length 3", [[1.0, 4.0, 9.0]], [[1.0, -2.0, 1.0]], "Σ diff² = x0 − 2x1 + x2", n=2,
              second=hvp([np.zeros(3)], "linear: H = 0")),
        point("length-1 axis", [[[1.0], [2.0]]], [np.zeros((2, 1))],
              "diff along a length-1 axis is empty: Σ over it is 0 for every input, derivative 0",
              second=hvp([np.zeros((2, 1))], "linear: H = 0")),
        point("n exceeds length", [[1.0, 5.0]], [[0.0, 0.0]], "n = 3 on length 2: the result is empty", n=3,
              second=hvp([np.zeros(2)], "linear: H = 0")),
    ]),
    op("tf.experimental.numpy.cross", tnp.cross, [
        Sample(tuple(draw("cross", (3,), (3,))), {}, "3 with 3"),
        Sample(tuple(draw("cross", (2, 3), (3,), salt="b")), {}, "2x3 with 3 (broadcast)"),
        Sample(tuple(draw("cross", (2,), (2,), salt="2d")), {}, "2 with 2 (z-component only)"),
        Sample(tuple(draw("cross", (3, 2), (2, 3), salt="ax")), {"axisa": 0}, "3x2 axisa=0 with 2x3"),
    ], diff=(0, 1), points=[
        point("a=[1,2,3],b=[4,5,6]", [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], [[-1.0, 2.0, -1.0], [1.0, -2.0, 1.0]],
              "Σ(a×b) = 1·(a×b) = a·(b×1): ∂/∂a = b×1 = (b1−b2, b2−b0, b0−b1), ∂/∂b = 1×a = (a2−a1, a0−a2, a1−a0)",
              second=hvp([[1.0, 0.0, -1.0], [0.0, 1.0, -1.0]], "Σ(a×b) is bilinear: H·(v_a, v_b) = (v_b×1, 1×v_a) (H·1 = 0, so v = (e₀, e₁)): e₁×1 = (1, 0, −1), 1×e₀ = (0, 1, −1)", v=([1.0, 0.0, 0.0], [0.0, 1.0, 0.0]))),
        point("2-vectors a=[1,2],b=[3,5]", [[1.0, 2.0], [3.0, 5.0]], [[5.0, -3.0], [-2.0, 1.0]],
              "2-D cross is the scalar a0·b1 − a1·b0: ∂/∂a = (b1, −b0), ∂/∂b = (−a1, a0)",
              second=hvp([[1.0, 0.0], [0.0, 1.0]], "a0·b1 − a1·b0: H·(v_a, v_b) = ((v_b1, −v_b0), (−v_a1, v_a0)); v = (e₀, e₁) gives ((1, 0), (0, 1))", v=([1.0, 0.0], [0.0, 1.0]))),
    ]),
    op("tf.experimental.numpy.kron", tnp.kron, [
        Sample(tuple(draw("kron", (2, 2), (2, 3))), {}, "2x2 with 2x3"),
        Sample(tuple(draw("kron", (3,), (2,), salt="v")), {}, "3 with 2"),
        Sample(tuple(draw("kron", (2,), (2, 2), salt="r")), {}, "2 with 2x2 (ranks differ)"),
    ], diff=(0, 1), points=[
        point("a=[[1,2]],b=[[1,1],[1,3]]", [[[1.0, 2.0]], [[1.0, 1.0], [1.0, 3.0]]], [[[6.0, 6.0]], np.full((2, 2), 3.0)],
              "Σ kron(a, b) = (Σa)(Σb): ∂/∂a = Σb = 6, ∂/∂b = Σa = 3",
              second=hvp([np.full((1, 2), 4.0), np.full((2, 2), 2.0)], "Σ kron = (Σa)(Σb): H·(1, 1) = (Σ1_b, Σ1_a) = (4, 2) per entry")),
        point("zero-size a", [np.zeros((0,)), [1.0, 2.0]], [np.zeros((0,)), [0.0, 0.0]],
              "kron of an empty vector is empty: its sum is 0 for every b",
              second=hvp([np.zeros((0,)), [0.0, 0.0]], "Σ kron ≡ 0: H = 0")),
    ]),
    op("tf.experimental.numpy.dot", tnp.dot, [
        Sample(tuple(draw("dot", (), (3,))), {}, "scalar with 3"),
        Sample(tuple(draw("dot", (2, 3), (3,), salt="mv")), {}, "2x3 with 3"),
        Sample(tuple(draw("dot", (2, 3), (3, 2), salt="mm")), {}, "2x3 with 3x2"),
        Sample(tuple(draw("dot", (2, 3), (2, 3, 2), salt="nd")), {}, "2x3 with 2x3x2 (last with second-to-last)"),
    ], diff=(0, 1), points=[
        point("a=[[1,2]],b=[[3],[4]]", [[[1.0, 2.0]], [[3.0], [4.0]]], [[[3.0, 4.0]], [[1.0], [2.0]]],
              "Σ(ab) = Σ_k a_k b_k here: ∂/∂a = bᵀ, ∂/∂b = aᵀ",
              second=hvp([np.ones((1, 2)), np.ones((2, 1))], "Σ a_k b_k is bilinear: ∂²/∂a_k∂b_k = 1, H·(1, 1) = (1, 1)")),
        point("zero-size inner dimension", [np.zeros((2, 0)), np.zeros((0, 3))], [np.zeros((2, 0)), np.zeros((0, 3))],
              "a 2x0 by 0x3 product is the zero 2x3 matrix for every input: nothing to differentiate",
              second=hvp([np.zeros((2, 0)), np.zeros((0, 3))], "Σ ≡ 0: H = 0")),
    ]),
    op("tf.experimental.numpy.matmul", tnp.matmul, [
        Sample(tuple(draw("matmul", (3,), (3, 2))), {}, "3 with 3x2 (vector promoted)"),
        Sample(tuple(draw("matmul", (2, 3), (3,), salt="mv")), {}, "2x3 with 3"),
        Sample(tuple(draw("matmul", (2, 2, 3), (3, 2), salt="b")), {}, "2x2x3 with 3x2 (batch broadcast)"),
        Sample(tuple(draw("matmul", (2, 3), (3, 4), salt="mm")), {}, "2x3 with 3x4"),
    ], diff=(0, 1), points=[
        point("vector with vector", [[1.0, 2.0], [3.0, 4.0]], [[3.0, 4.0], [1.0, 2.0]],
              "1-D @ 1-D is the inner product: ∂/∂a = b, ∂/∂b = a",
              second=hvp([[1.0, 1.0], [1.0, 1.0]], "a·b is bilinear: H·(1, 1) = (1, 1)")),
    ]),
    op("tf.experimental.numpy.polyval", tnp.polyval, [
        Sample(tuple(draw("polyval", (3,), (4,))), {}, "3 coefficients at 4 points"),
        Sample(tuple(draw("polyval", (4,), (2, 3), salt="m")), {}, "4 coefficients at 2x3 points"),
        Sample(tuple(draw("polyval", (1,), (3,), salt="c")), {}, "constant polynomial broadcast to 3 points"),
    ], diff=(0, 1), points=[
        point("p=[1,2,3],x=0", [[1.0, 2.0, 3.0], 0.0], [[0.0, 0.0, 1.0], 2.0],
              "p(x) = x² + 2x + 3: ∂/∂p = (x², x, 1) = (0, 0, 1), ∂/∂x = 2x + 2 = 2 at 0",
              second=hvp([[0.0, 1.0, 0.0], 3.0], "p(x) = p0x² + p1x + p2: ∂²/∂x² = 2p0 = 2, ∂²/∂p_i∂x = (2x, 1, 0) = (0, 1, 0), ∂²/∂p² = 0: H·1 = ((0, 1, 0), 2 + 0 + 1 + 0)"),
              third=hvp([[2.0, 0.0, 0.0], 4.0], "vᵀHv with v = 1 is 2·Σ_i (n−1−i)x^(n−2−i) + Σ_i p_i(n−1−i)(n−2−i)x^(n−3−i) = 2(2x + 1) + 2p0: its gradient is (2, 0, 0) in p and 4 in x")),
        point("scalar p, x=[1,2]", [2.0, [1.0, 2.0]], [2.0, [0.0, 0.0]],
              "a 0-order polynomial broadcast to x's shape: Σ = 2·p, constant in x",
              second=hvp([0.0, [0.0, 0.0]], "Σ = 2p: linear, H = 0")),
    ]),
    op("tf.experimental.numpy.clip", _clip, [
        Sample((draw("clip", (5,), domain=CLIP_A)[0], np.float64(-0.5), np.float64(0.7)), {}, "5 with scalar bounds"),
        Sample((draw("clip", (2, 3), domain=CLIP_A, salt="b")[0], np.full((3,), -0.5), np.full((2, 1), 0.7)), {},
               "2x3 with bounds 3 and 2x1 (broadcast)"),
    ], diff=(0, 1, 2), domain="a, a_min < a_max; a away from the bounds", points=[
        point("a inside", [0.2, -0.5, 0.7], [1.0, 0.0, 0.0], "clip is the identity strictly inside (a_min, a_max)",
              second=hvp([0.0, 0.0, 0.0], "the identity inside: H = 0")),
        point("a below", [-1.0, -0.5, 0.7], [0.0, 1.0, 0.0], "below a_min the result is a_min",
              second=hvp([0.0, 0.0, 0.0], "a_min below: H = 0")),
        point("a=a_min", [-0.5, -0.5, 0.7], [between(0, 1), between(0, 1), 0.0],
              "at a = a_min, clip = max(a, a_min) locally: any split of the derivative between a and a_min is a subgradient",
              second=hvp([0.0, 0.0, 0.0], "max(a, a_min) at the tie: no second derivative, 0 on every piece, and 0 is asserted", exists=False)),
        point("a=a_max", [0.7, -0.5, 0.7], [between(0, 1), 0.0, between(0, 1)],
              "at a = a_max, clip = min(a, a_max) locally: any split between a and a_max is a subgradient",
              second=hvp([0.0, 0.0, 0.0], "min(a, a_max) at the tie: no second derivative, 0 on every piece, and 0 is asserted", exists=False)),
    ]),
    op("tf.experimental.numpy.var", _var, [
        Sample((distinct("var", (5,)),), {}, "5 ddof=0"),
        Sample((distinct("var", (2, 3), salt="ax"),), {"axis": 0}, "2x3 axis=0"),
        Sample((distinct("var", (2, 4), salt="dd"),), {"ddof": 1, "axis": 1, "with_dtype": True},
               "2x4 ddof=1 axis=1 (dtype given)"),
    ], points=[
        point("ddof=1 without dtype", [[1.0, 2.0, 4.0]], [[-4 / 3, -1 / 3, 5 / 3]],
              "var with ddof = Σ(x − m)²/(n − ddof): gradient 2(x − m)/(n − 1) with m = 7/3", bug=VAR_DDOF, ddof=1,
              second=hvp([[2 / 3, -1 / 3, -1 / 3]], "Σ(x − m)²/(n − 1) has Hessian 2P/(n − 1) = P (n = 3, P = I − 11ᵀ/n): H·e₀ = (2/3, −1/3, −1/3)", v=([1.0, 0.0, 0.0],))),
    ]),
    op("tf.experimental.numpy.std", tnp.std, [
        Sample((distinct("std", (5,)),), {}, "5"),
        Sample((distinct("std", (2, 3), salt="ax"),), {"axis": 1}, "2x3 axis=1"),
        Sample((distinct("std", (3, 2), salt="kd"),), {"axis": 0, "keepdims": True}, "3x2 axis=0 keepdims"),
    ], points=[
        point("x=[1,2,4]", [[1.0, 2.0, 4.0]],
              [(np.array([1.0, 2.0, 4.0]) - 7 / 3) / (3 * np.std([1.0, 2.0, 4.0]))], "∂std/∂x = (x − m)/(n·std)",
              second=hvp([_std_hvp([1.0, 2.0, 4.0], [1.0, 0.0, 0.0])], "std = ‖d‖/√n with d = Px: H = (P − ddᵀ/‖d‖²)/(‖d‖√n), H·e₀", v=([1.0, 0.0, 0.0],))),
        point("size-1 reduction", [[0.7]], [[0.0]], "the standard deviation of one value is 0 for every value: derivative 0",
              bug=_std_bug("a single element", "https://github.com/tensorflow/tensorflow/issues/56830", [0.7], "wrong value",
                           "the standard deviation of one value is the constant 0, differentiable with derivative 0; TensorFlow returns NaN",
                           workaround=STD_WORKAROUND, checks=POINT_CHECKS + POINT_SECOND),
              second=hvp([[0.0]], "the standard deviation of one value is 0 for every value: H = 0")),
        point("constant vector", [[2.0, 2.0, 2.0]], [between(-np.sqrt(2) / 3, np.sqrt(2) / 3)],
              "std = ‖Px‖/√n with P = I − 11ᵀ/n: at a constant x its subgradients are Pu/√n with ‖u‖ ≤ 1, whose "
              "entries lie in ±√(1 − 1/n)/√n = ±√2/3", bug=_std_bug("all values equal", "unreported", [2.0, 2.0, 2.0], "convention",
                           "‖Px‖/√n has no derivative where Px = 0; TensorFlow returns NaN where subgradients exist; jnp.std is lax.sqrt(var) (jax/_src/numpy/reductions.py), so JAX returns NaN too (sqrt's JVP g·0.5/ans in jax/_src/lax/lax.py); PyTorch's tools/autograd/derivatives.yaml (std.correction, read in an index copy) masks the derivative to 0 where the result is 0"),
              second=hvp([None], "‖Px‖/√n is not twice differentiable where Px = 0 (its Hessian grows like 1/‖Px‖): nothing is asserted", exists=False)),
    ]),
    op("tf.experimental.numpy.average", _average, [
        Sample((draw("average", (4,))[0], draw("average", (4,), domain=POSITIVE, salt="w")[0]), {}, "4 weights 4"),
        Sample((draw("average", (2, 3), salt="a")[0], draw("average", (3,), domain=POSITIVE, salt="w1")[0]),
               {"axis": 1}, "2x3 axis=1 weights 3"),
        Sample((draw("average", (2, 3), salt="e")[0], draw("average", (2, 3), domain=POSITIVE, salt="w2")[0]),
               {"axis": 0}, "2x3 axis=0 weights 2x3"),
    ], diff=(0, 1), domain="a any; weights with a nonzero sum", points=[
        point("a=[1,2,4],w=[1,1,2]", [[1.0, 2.0, 4.0], [1.0, 1.0, 2.0]], [[0.25, 0.25, 0.5], [-0.4375, -0.1875, 0.3125]],
              "avg = Σwa/Σw = 11/4: ∂/∂a = w/Σw, ∂/∂w = (a − avg)/Σw",
              second=hvp(list(_average_hvp([1.0, 2.0, 4.0], [1.0, 1.0, 2.0])), AVERAGE_H_WHY)),
        point("a zero weight", [[1.0, 5.0, 3.0], [1.0, 0.0, 1.0]], [[0.5, 0.0, 0.5], [-0.5, 1.5, 0.5]],
              "avg = 2: a value with weight 0 does not move the average, but its weight does ((5 − 2)/2)",
              second=hvp(list(_average_hvp([1.0, 5.0, 3.0], [1.0, 0.0, 1.0])), AVERAGE_H_WHY)),
    ]),
    op("tf.experimental.numpy.cumprod", tnp.cumprod, [
        Sample(tuple(draw("cumprod", (5,), domain=REAL_NONZERO)), {}, "5 axis=None"),
        Sample(tuple(draw("cumprod", (2, 3), domain=REAL_NONZERO, salt="1")), {"axis": 1}, "2x3 axis=1"),
        Sample(tuple(draw("cumprod", (2, 3), domain=REAL_NONZERO, salt="f")), {}, "2x3 axis=None (flattened)"),
    ], domain="all reals", points=[
        point("x=[1,2,3]", [[1.0, 2.0, 3.0]], [[9.0, 4.0, 2.0]], "Σ cumprod = x0 + x0x1 + x0x1x2: (1 + 2 + 6, 1 + 3, 2)",
              second=hvp([[6.0, 5.0, 3.0]], "Σ = x0 + x0x1 + x0x1x2: H_01 = 1 + x2 = 4, H_02 = x1 = 2, H_12 = x0 = 1, diagonal 0: H·1 = (6, 5, 3)")),
        point("x=[2,0,3]", [[2.0, 0.0, 3.0]], [[1.0, 8.0, 0.0]],
              "Σ = x0 + x0x1 + x0x1x2: ∂/∂x1 = x0 + x0x2 = 2 + 6 = 8 at x1 = 0", bug=CUMPROD_ZERO,
              second=hvp([[4.0, 6.0, 2.0]], "H_01 = 1 + x2 = 4, H_02 = x1 = 0, H_12 = x0 = 2: H·1 = (4, 6, 2)")),
        point("x=[0,2,3]", [[0.0, 2.0, 3.0]], [[9.0, 0.0, 0.0]], "∂/∂x0 = 1 + x1 + x1x2 = 9; the rest carry a factor x0 = 0",
              bug=CUMPROD_ZERO,
              second=hvp([[6.0, 4.0, 2.0]], "H_01 = 1 + x2 = 4, H_02 = x1 = 2, H_12 = x0 = 0: H·1 = (6, 4, 2)")),
        point("x=[2,0,0,3]", [[2.0, 0.0, 0.0, 3.0]], [[1.0, 2.0, 0.0, 0.0]],
              "∂/∂x1 = x0 + x0x2 + x0x2x3 = 2 (x2 = 0); ∂/∂x2 and ∂/∂x3 carry the factor x1 = 0", bug=CUMPROD_ZERO,
              second=hvp([[1.0, 9.0, 8.0, 0.0]], "Σ = x0 + x0x1 + x0x1x2 + x0x1x2x3: H_01 = 1 + x2 + x2x3 = 1, H_12 = x0 + x0x3 = 8, every other pair carries x1 or x2 = 0: H·1 = (1, 9, 8, 0)")),
    ]),
    op("tf.experimental.numpy.prod", tnp.prod, [
        Sample(tuple(draw("prod", (5,), domain=REAL_NONZERO)), {}, "5"),
        Sample(tuple(draw("prod", (2, 3), domain=REAL_NONZERO, salt="0")), {"axis": 0}, "2x3 axis=0"),
        Sample(tuple(draw("prod", (2, 3), domain=REAL_NONZERO, salt="k")), {"axis": 1, "keepdims": True},
               "2x3 axis=1 keepdims"),
    ], points=[
        point("x=[1,2,3]", [[1.0, 2.0, 3.0]], [[6.0, 3.0, 2.0]], "∂Πx/∂x_i = Π_{j≠i} x_j",
              second=hvp([[5.0, 4.0, 3.0]], "∂²Πx/∂x_i∂x_j = Π_{k≠i,j} x_k: H = [[0, 3, 2], [3, 0, 1], [2, 1, 0]], H·1 = (5, 4, 3)")),
        point("one zero", [[2.0, 0.0, 3.0]], [[0.0, 6.0, 0.0]], "Π_{j≠i} x_j: only the zero entry's complement is nonzero",
              second=hvp([[3.0, 5.0, 2.0]], "H_01 = x2 = 3, H_02 = x1 = 0, H_12 = x0 = 2: H·1 = (3, 5, 2)", bug=PROD_ZERO_SECOND)),
        point("empty", [np.zeros(0)], [np.zeros(0)], "the product of no values is 1 for every input: an empty gradient",
              second=hvp([np.zeros(0)], "an empty input: the empty Hessian-vector product")),
        point("size-1 axis", [[[2.0], [3.0]]], [np.ones((2, 1))], "the product over one value is the value: derivative 1", axis=1,
              second=hvp([np.zeros((2, 1))], "the identity: H = 0")),
        point("two zeros", [[2.0, 0.0, 0.0]], [[0.0, 0.0, 0.0]], "every Π_{j≠i} x_j contains a zero",
              second=hvp([[0.0, 2.0, 2.0]], "H_12 = x0 = 2, H_01 = x2 = 0, H_02 = x1 = 0: H·1 = (0, 2, 2)", bug=PROD_ZERO_SECOND)),
    ]),
    op("tf.experimental.numpy.ptp", tnp.ptp, [
        Sample((distinct("ptp", (5,)),), {}, "5"),
        Sample((distinct("ptp", (2, 3), salt="0"),), {"axis": 0}, "2x3 axis=0"),
        Sample((distinct("ptp", (2, 3), salt="1"),), {"axis": 1, "keepdims": True}, "2x3 axis=1 keepdims"),
    ], points=[
        point("x=[1,3,2]", [[1.0, 3.0, 2.0]], [[-1.0, 1.0, 0.0]], "ptp = max − min: +1 at the maximum, −1 at the minimum",
              second=hvp([np.zeros(3)], "max − min is locally linear at distinct values: H = 0")),
        point("tie at the maximum", [[1.0, 3.0, 3.0]], [between([-1, 0, 0], [-1, 1, 1])],
              "max over a tie: any convex combination of the tied entries is a subgradient; −1 at the unique minimum",
              second=hvp([np.zeros(3)], "piecewise linear: the gradient jumps here, so the second derivative does not exist; it is 0 on every piece, and 0 is asserted", exists=False)),
        point("size-1", [[0.7]], [[0.0]], "the range of one value is 0 for every value: derivative 0 (max and min pick the same entry)",
              second=hvp([[0.0]], "the output is constant: 0")),
        point("constant vector", [[2.0, 2.0, 2.0]], [between(-1, 1)],
              "ptp ≥ 0 is minimal at a constant vector: subgradients are p − q with p, q in the simplex, entries in [−1, 1]",
              second=hvp([np.zeros(3)], "piecewise linear: the gradient jumps here, so the second derivative does not exist; it is 0 on every piece, and 0 is asserted", exists=False)),
    ]),
    op("tf.experimental.numpy.heaviside", tnp.heaviside, [
        Sample((np.array([0.0, 1.5, -0.5, 0.0]), draw("heaviside", (4,))[0]), {}, "x1 with zeros, x2 4"),
        Sample((np.array([[0.0], [-1.0]]), draw("heaviside", (3,), salt="b")[0]), {}, "x1 2x1 with x2 3 (broadcast)"),
    ], diff=(1,), domain="x1 any (not differentiated: a step function); x2 any", points=[
        point("x1=[0,-1,2]", [[0.0, -1.0, 2.0], [0.3, 0.3, 0.3]], [[1.0, 0.0, 0.0]],
              "heaviside(x1, x2) = x2 exactly where x1 = 0, else 0 or 1: ∂/∂x2 = [x1 = 0]",
              second=hvp([np.zeros(3)], "x2 enters linearly: H = 0")),
    ]),
    op("tf.experimental.numpy.nanmean", tnp.nanmean, [
        Sample((np.array([0.5, np.nan, -1.25, 2.0, 0.75]),), {}, "5 with a NaN"),
        Sample((np.array([[1.0, np.nan, -0.5], [0.25, 1.5, -2.0]]),), {"axis": 0}, "2x3 axis=0 with a NaN"),
        Sample(tuple(draw("nanmean", (4,))), {}, "4 without NaN"),
    ], domain="all reals; NaN entries are ignored", points=[
        point("x=[1,NaN,3]", [[1.0, np.nan, 3.0]], [[0.5, 0.0, 0.5]],
              "mean of the non-NaN entries: 1/count each, and a NaN entry does not enter the value (derivative 0)",
              second=hvp([np.zeros(3)], "a mean of the non-NaN entries: linear, H = 0")),
    ]),
    op("tf.experimental.numpy.nanprod", tnp.nanprod, [
        Sample((np.array([0.5, np.nan, -1.25, 2.0]),), {}, "4 with a NaN"),
        Sample((np.array([[1.5, np.nan, -0.5], [0.25, 1.5, -2.0]]),), {"axis": 1}, "2x3 axis=1 with a NaN"),
    ], domain="all reals; NaN entries count as 1", points=[
        point("x=[2,NaN,3]", [[2.0, np.nan, 3.0]], [[3.0, 0.0, 2.0]], "product of the non-NaN entries: Π_{j≠i}; NaN entry ignored",
              second=hvp([[1.0, 0.0, 1.0]], "Σ = x0·x2 (the NaN entry counts as 1): H_02 = 1, H·1 = (1, 0, 1)")),
        point("x=[0,NaN,3]", [[0.0, np.nan, 3.0]], [[3.0, 0.0, 0.0]], "a zero among them: only its own partial (3) is nonzero",
              second=hvp([[1.0, 0.0, 1.0]], "Σ = x0·x2: H_02 = 1, H·1 = (1, 0, 1)", bug=NANPROD_ZERO_SECOND)),
    ]),
    op("tf.experimental.numpy.trace", tnp.trace, [
        Sample(tuple(draw("trace", (3, 3))), {}, "3x3"),
        Sample(tuple(draw("trace", (3, 4), salt="o")), {"offset": 1}, "3x4 offset=1"),
        Sample(tuple(draw("trace", (3, 3), salt="n")), {"offset": -1}, "3x3 offset=-1"),
        Sample(tuple(draw("trace", (2, 3, 3), salt="b")), {"axis1": 1, "axis2": 2}, "2x3x3 axis1=1 axis2=2"),
    ], points=[
        point("2x2", [[[1.0, 2.0], [3.0, 4.0]]], [np.eye(2)], "∂ tr A/∂A = I",
              second=hvp([np.zeros((2, 2))], "linear: H = 0")),
        point("offset beyond the matrix", [np.ones((2, 2))], [np.zeros((2, 2))],
              "offset 5 selects no entry: the trace is 0 for every A", offset=5,
              second=hvp([np.zeros((2, 2))], "linear: H = 0")),
    ]),
    op("tf.experimental.numpy.take", tnp.take, [
        Sample((draw("take", (5,))[0], np.array([0, 4, 2])), {}, "5 indices [0,4,2]"),
        Sample((draw("take", (2, 3), salt="a")[0], np.array([2, 0])), {"axis": 1}, "2x3 axis=1"),
        Sample((draw("take", (4,), salt="w")[0], np.array([-1, 5, 1])), {"mode": "wrap"}, "4 mode=wrap"),
        Sample((draw("take", (4,), salt="c")[0], np.array([7, -2, 1])), {"mode": "clip"}, "4 mode=clip (out of range)"),
    ], domain="a any; integer indices (not differentiated)", points=[
        point("duplicates, clipped", [[1.0, 2.0, 3.0], np.array([0, 0, 5, -3])], [[3.0, 0.0, 1.0]],
              "mode='clip' maps 5 → 2 and −3 → 0: entry 0 is taken three times, entry 2 once",
              second=hvp([np.zeros(3)], "linear: H = 0")),
        point("wrap", [[1.0, 2.0, 3.0], np.array([0, 4, -1])], [[1.0, 1.0, 1.0]],
              "mode='wrap' maps 4 → 1 and −1 → 2: each entry once", mode="wrap",
              second=hvp([np.zeros(3)], "linear: H = 0")),
    ]),
    op("tf.experimental.numpy.take_along_axis", tnp.take_along_axis, [
        Sample((draw("tala", (2, 3))[0], np.array([[0, 2], [1, 1]]), 1), {}, "2x3 axis=1"),
        Sample((draw("tala", (3, 2), salt="0")[0], np.array([[2, 0]]), 0), {}, "3x2 axis=0 (indices broadcast)"),
    ], domain="arr any; integer indices (not differentiated)", points=[
        point("duplicate and negative indices", [[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], np.array([[0, 0], [1, -1]]), 1],
              [[[2.0, 0.0, 0.0], [0.0, 1.0, 1.0]]], "row 0 takes entry 0 twice; row 1 takes entries 1 and −1 = 2",
              second=hvp([np.zeros((2, 3))], "linear: H = 0")),
    ]),
]
