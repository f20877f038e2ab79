"""tf.nn: activations, softmax and normalisation, convolutions and pooling, losses.

Aliases of tf.math ops (tf.nn.softplus, softsign, sigmoid, tanh) are in the tf.math families, and tf.nn.moments,
weighted_moments, sufficient_statistics, normalize_moments, l2_loss (family_reductions) and embedding_lookup
(family_indexing) are not repeated here. The float32-only kernels tf.nn.max_pool3d, avg_pool3d,
local_response_normalization and fused_batch_norm are in spec/atlas/family_float32_kernels.py (checked against a
float64 NumPy reference). Left out, each for its reason: tf.nn.dropout draws a fresh mask per call, so differences of
its forward value mean nothing; ops with no gradient at all (in_top_k, zero_fraction, collapse_repeated,
compute_accidental_hits, ctc_unique_labels, the ctc decoders, the candidate samplers). isotonic_regression is
recorded by another family, and approx_max_k/approx_min_k compute in float32 only (family_float32_kernels.py's
subject). Ops that draw random numbers are recorded with a fixed seed or given samples, which makes them
deterministic functions: tf.nn.experimental.stateless_dropout (its mask depends on the dtype and differs under XLA, so
the float32 and XLA checks, which compare different functions, are skipped) and nce_loss/sampled_softmax_loss
(sampled_values given). fractional_max_pool/fractional_avg_pool with an op seed give the same regions call after call
in eager mode, but their forward-mode and second-order checks disagreed with differences in a first run and the cause
was not investigated, so they are not recorded yet.

Float64 tails: TensorFlow's CPU kernels flush subnormal results to zero (eager, tf.function and XLA alike), so every
tail point whose derivative is subnormal is the shared known bug FLUSH_TO_ZERO (spec/atlas/records.py), kind "tail".
"""
import math

import numpy as np
import tensorflow as tf

from spec.atlas.records import (FLUSH_TO_ZERO, POINT_SECOND, REAL, REAL_NONZERO, TAIL_CHECKS, Domain, KnownBug, Sample, Workaround,
                                between, distinct, draw, hvp, op, point, tail, unary)

FAMILY = "tf.nn: activations, softmax, normalisation, convolution, pooling, losses"

SELU_SCALE = 1.0507009873554804934193349852946
SELU_ALPHA = 1.6732632423543772848170429916717
SECOND = ("reverse_over_reverse", "forward_over_reverse", "reverse_over_forward", "forward_over_forward")

POS = Domain(0.3, 2.0, "x > 0")
SMALL = Domain(-0.05, 0.05, "small")  # a perturbation far smaller than the 0.1 gap of `distinct` values


def _d(name, *shapes, domain=REAL, salt=""):
    """Like `draw`, one array or a list."""
    out = draw(name, *shapes, domain=domain, salt=salt)
    return out[0] if len(out) == 1 else out


def _ties(shape, value=1.0):
    return np.full(shape, value)


# ----------------------------------------------------------------------------------------- activations

# ------------------------------------------------------------------------------- shared tail bugs, formulas

MAX = 1.7976931348623157e308  # the largest float64
TINY = 2.2250738585072014e-308  # the smallest normal float64




def _gelu_prime(x):
    """d/dx x·Φ(x) = Φ(x) + x·φ(x), with Φ(x) = erfc(−x/√2)/2 (accurate in the left tail, where Φ is tiny)."""
    return 0.5 * math.erfc(-x / math.sqrt(2.0)) + x * math.exp(-x * x / 2.0) / math.sqrt(2.0 * math.pi)


def _gelu_tanh_prime(x):
    """d/dx x/2·(1 + tanh u) = d/dx x·σ(2u), u = c(x + 0.044715x³): σ(2u)·(1 + x·σ(−2u)·2u'), in log space (no 1 + tanh)."""
    c, a = math.sqrt(2.0 / math.pi), 0.044715
    u2 = 2.0 * c * (x + a * x ** 3)
    k = 1.0 + x * (1.0 / (1.0 + math.exp(u2)) if u2 < 700 else 0.0) * 2.0 * c * (1.0 + 3.0 * a * x * x)
    return math.copysign(math.exp(u2 - math.log1p(math.exp(u2)) + math.log(abs(k))), k)


ELU_TAIL = KnownBug(
    "EluGrad computes the derivative for x < 0 as upstream·(y + 1) with y = expm1(x): once eˣ < 2⁻⁵³ (x < −37) "
    "y rounds to −1 and y + 1 = 0, so the derivative eˣ, a normal float64 down to x = −708.4, comes out 0 (and "
    "loses relative precision from x ≈ −20 on)", "https://github.com/tensorflow/tensorflow/issues/124833",
    "import tensorflow as tf\nx = tf.constant(-708.0, tf.float64)\nwith tf.GradientTape() as t:\n"
    "    t.watch(x); y = tf.nn.elu(x)\nprint(t.gradient(y, x))  # expected exp(-708) = 3.3075530e-308, got 0.0",
    checks=TAIL_CHECKS, kind="tail", kind_why="eˣ is a normal float64 at x = −708; EluGrad's y + 1 cancels it to 0",
    searched=("EluGrad gradient underflow large negative input elu derivative zero",
              "elu gradient zero for large negative inputs EluGrad expm1 y + 1 underflow float64"),
    workaround=Workaround('''import tensorflow as tf


def elu(x):
    """tf.nn.elu with the derivative eˣ computed as exp(x), not as expm1(x) + 1 (which cancels to 0 for x < −37)."""
    return tf.where(x > 0, x, tf.math.expm1(tf.minimum(x, tf.zeros_like(x))))
''', "elu"),
    related=("https://github.com/tensorflow/tensorflow/pull/124902",))
SELU_TAIL = KnownBug(
    "SeluGrad computes the derivative for x < 0 as upstream·(y + scale·α) with y = scale·α·expm1(x): for x < −37 "
    "the sum cancels to 0, so scale·α·eˣ, a normal float64 down to x = −708.3 (where eˣ itself is still normal), comes out 0", "https://github.com/tensorflow/tensorflow/issues/124834",
    "import tensorflow as tf\nx = tf.constant(-708.3, tf.float64)\nwith tf.GradientTape() as t:\n"
    "    t.watch(x); y = tf.nn.selu(x)\nprint(t.gradient(y, x))  # expected 1.7581·exp(-708.3) = 4.31e-308, got 0.0",
    checks=TAIL_CHECKS, kind="tail", kind_why="scale·α·eˣ is a normal float64 at x = −708.3; SeluGrad's y + scale·α cancels it to 0",
    searched=("tf.nn.selu gradient zero large negative float64 SeluGrad",),
    workaround=Workaround('''import tensorflow as tf

SCALE, ALPHA = 1.0507009873554804934193349852946, 1.6732632423543772848170429916717


def selu(x):
    """tf.nn.selu with the derivative scale·α·eˣ computed through exp(x), not as y + scale·α (which cancels to 0)."""
    return SCALE * tf.where(x > 0, x, ALPHA * tf.math.expm1(tf.minimum(x, tf.zeros_like(x))))
''', "selu"),
    related=("https://github.com/tensorflow/tensorflow/pull/125171",))
GELU_WORKAROUND = Workaround('''import tensorflow as tf


def gelu(x, approximate=False):
    """tf.nn.gelu with its constants in the input's dtype (TensorFlow casts 1/√2 and 0.044715 through float32) and the
    tanh form written as x·σ(2u), which equals x/2·(1 + tanh u) without the cancellation of 1 + tanh u for x ≪ 0."""
    if approximate:
        u = tf.constant(0.7978845608028654, x.dtype) * (x + tf.constant(0.044715, x.dtype) * x * x * x)
        return x * tf.math.sigmoid(2.0 * u)
    return 0.5 * x * tf.math.erfc(-x * tf.constant(0.7071067811865476, x.dtype))
''', "gelu")
GELU_PRECISION = KnownBug(
    "tf.nn.gelu(approximate=False) is 0.5·x·erfc(−x·cast(0.7071067811865476, dtype)) and cast() of a Python float makes a "
    "float32 constant first: the float64 op uses 1/√2 rounded to float32 (relative error 1.7e-8), so value and "
    "derivative are off by about 1.7e-8·x² relatively (1.5e-5 at x = −30, where the derivative is 5e-196), and the "
    "second derivative at 0, √(2/π), by 1.7e-8",
    "unreported",
    "import math, tensorflow as tf\nx = tf.constant(-30.0, tf.float64)\nwith tf.GradientTape() as t:\n"
    "    t.watch(x); y = tf.nn.gelu(x)\n"
    "expected = 0.5 * math.erfc(30 / math.sqrt(2)) - 30 * math.exp(-450) / math.sqrt(2 * math.pi)\n"
    "print(t.gradient(y, x).numpy() / expected - 1)  # expected ~1e-16, got 1.5e-05",
    checks=TAIL_CHECKS + POINT_SECOND, kind="precision",
    kind_why="the float64 op computes with a float32 constant (math_ops.cast(0.7071067811865476, features.dtype))",
    searched=("tf.nn.gelu float64 precision constant cast float32",), workaround=GELU_WORKAROUND)
GELU_TANH_TAIL = KnownBug(
    "tf.nn.gelu(approximate=True) is 0.5·x·(1 + tanh(u)): for x < −6 tanh(u) rounds to −1, so 1 + tanh(u) and the "
    "sech²(u) = 1 − tanh² of its gradient are 0, and the derivative (−4.7e-20 at x = −8, a normal float64 down to "
    "x = −21.2) comes out 0; the coefficient 0.044715 is also cast through float32", "unreported",
    "import tensorflow as tf\nx = tf.constant(-8.0, tf.float64)\nwith tf.GradientTape() as t:\n"
    "    t.watch(x); y = tf.nn.gelu(x, approximate=True)\nprint(t.gradient(y, x))  # expected -4.7147845e-20, got 0.0",
    checks=TAIL_CHECKS, kind="tail", kind_why="the derivative is a normal float64 there; 1 + tanh(u) cancels it to 0",
    searched=("tf.nn.gelu float64 precision constant cast float32",), workaround=GELU_WORKAROUND)
SILU_BETA_OVERFLOW = KnownBug(
    "tf.nn.silu's custom gradient computes ∂/∂β as Σ upstream·x²·σ(βx)(1 − σ(βx)): at x = 1e200 x² overflows to inf "
    "and σ(βx)(1 − σ(βx)) is 0, so ∂/∂β is NaN where x²·σ'(βx) underflows to 0 (the value x·σ(βx) = x is finite)",
    "unreported",
    "import tensorflow as tf\nx, b = tf.constant(1e200, tf.float64), tf.constant(1.0, tf.float64)\n"
    "with tf.GradientTape() as t:\n    t.watch(b); y = tf.nn.silu(x, b)\nprint(t.gradient(y, b))  # expected 0.0, got nan",
    checks=("tail_reverse",), kind="wrong value",
    kind_why="∂/∂β = x²·σ'(βx) is 0 in float64 there (e^−1e200 underflows), TensorFlow returns NaN (inf·0)",
    searched=("tf.nn.silu beta gradient nan large input",),
    workaround=Workaround('''import tensorflow as tf


def silu(x, beta=1.0):
    """tf.nn.silu as the plain composition x·σ(βx): autodiff multiplies σ'(βx) by x before the second factor x, so
    ∂/∂β = x·(σ'(βx)·x) stays 0 where σ' underflows, instead of x²·σ' = inf·0."""
    return x * tf.math.sigmoid(beta * x)
''', "silu"))


def _kink_second(why):
    return hvp([0.0], f"{why}: the first derivative jumps there, so the second does not exist; both one-sided "
                      "second derivatives are 0 (piecewise linear), and 0 is asserted", exists=False)


ACTIVATIONS = [
    unary("tf.nn.relu", tf.nn.relu, REAL_NONZERO, [
        point("x=0", [0.0], [between(0.0, 1.0)], "max(x, 0) has the subdifferential [0, 1] at 0 (left slope 0, right slope 1)",
              second=_kink_second("max(x, 0) at 0")),
        point("x=[-1.5,2]", [[-1.5, 2.0]], [[0.0, 1.0]], "slope 0 for x < 0, 1 for x > 0",
              second=hvp([[0.0, 0.0]], "relu is linear on each side: relu'' = 0")),
    ], tails=[
        tail("x=smallest normal", [TINY], [1.0], "slope 1 for every x > 0, the smallest normal float64 included"),
        tail("x=±max", [[MAX, -MAX]], [[1.0, 0.0]], "slope 1 for x > 0, 0 for x < 0, up to the largest float"),
    ]),
    unary("tf.nn.relu6", tf.nn.relu6, Domain(-2.0, 8.0, "x ≠ 0, 6", avoid=(0.0, 6.0)), [
        point("x=0", [0.0], [between(0.0, 1.0)], "min(max(x, 0), 6): left slope 0, right slope 1 at 0",
              second=_kink_second("relu6 at 0")),
        point("x=6", [6.0], [between(0.0, 1.0)], "min(max(x, 0), 6): left slope 1, right slope 0 at 6",
              second=_kink_second("relu6 at 6")),
        point("x=[-1,3,7]", [[-1.0, 3.0, 7.0]], [[0.0, 1.0, 0.0]], "slope 1 on (0, 6), 0 outside",
              second=hvp([np.zeros(3)], "relu6 is linear on each piece: relu6'' = 0")),
    ], tails=[
        tail("x=smallest normal", [TINY], [1.0], "slope 1 on (0, 6), the smallest normal float64 included"),
        tail("x=±max", [[MAX, -MAX]], [[0.0, 0.0]], "slope 0 outside [0, 6], up to the largest float"),
    ]),
    op("tf.nn.crelu", lambda x, axis=-1: tf.nn.crelu(x, axis=axis), [
        Sample((_d("tf.nn.crelu", (5,), domain=REAL_NONZERO),), label="5 axis=-1"),
        Sample((_d("tf.nn.crelu", (2, 3), domain=REAL_NONZERO, salt="a0"),), {"axis": 0}, label="2x3 axis=0"),
    ], domain="x ≠ 0 (concat(relu(x), relu(-x)))", points=[
        point("x=0", [[0.0]], [between(-1.0, 1.0)], "Σ crelu(x) = relu(x) + relu(−x) = |x|, whose subdifferential at 0 is [−1, 1]",
              second=hvp([[0.0]], "|x| at 0: the slope jumps from −1 to 1, so |x|'' does not exist; both one-sided second "
                                  "derivatives are 0, and 0 is asserted", exists=False)),
        point("x=[-1.5,2]", [[-1.5, 2.0]], [[-1.0, 1.0]], "Σ crelu(x) = |x|: slope sign(x)",
              second=hvp([[0.0, 0.0]], "|x| is linear on each side: second derivative 0")),
        point("zero-size", [np.zeros((0, 3))], [np.zeros((0, 3))], "no entries: Σ crelu = 0 for every input (output 0x6)",
              second=hvp([np.zeros((0, 3))], "an empty input: the Hessian-vector product is the empty array")),
    ], tails=[
        tail("x=±max", [[MAX, -MAX]], [[1.0, -1.0]], "Σ crelu(x) = |x|: slope sign(x) up to the largest float"),
    ]),
    unary("tf.nn.elu", tf.nn.elu, REAL, [
        point("x=0", [0.0], [1.0], "e^x − 1 for x < 0 and x for x ≥ 0: both one-sided slopes are 1 at 0 (e^0 = 1), so elu'(0) = 1",
              second=hvp([between(0.0, 1.0)], "elu'' is eˣ = 1 on the left and 0 on the right of 0: it does not exist "
                                              "there; a value between the one-sided ones is asserted", exists=False)),
        point("x=-1", [-1.0], [math.exp(-1.0)], "d(e^x − 1)/dx = e^x", second=hvp([math.exp(-1.0)], "(eˣ − 1)'' = eˣ")),
        point("x=-1000", [-1000.0], [0.0], "e^x → 0: the derivative at −1000 is e^−1000 = 0 in float64",
              second=hvp([0.0], "(eˣ − 1)'' = eˣ = e^−1000, 0 in float64")),
    ], tails=[
        tail("x=-708 (last normal f')", [-708.0], [math.exp(-708.0)], "elu'(x) = eˣ = 3.3e-308, a normal float64", bug=ELU_TAIL),
        tail("x=-740 (subnormal f')", [-740.0], [math.exp(-740.0)], "eˣ = 4.2e-322, subnormal",
             bug=FLUSH_TO_ZERO),
        tail("x=max", [MAX], [1.0], "slope 1 for x > 0 up to the largest float"),
    ]),
    unary("tf.nn.selu", tf.nn.selu, REAL_NONZERO, [
        point("x=0", [0.0], [between(SELU_SCALE * (1 - 1e-12), SELU_SCALE * SELU_ALPHA * (1 + 1e-12))],
              "scale·x for x ≥ 0 (slope scale ≈ 1.0507), scale·α·(e^x − 1) for x < 0 (slope scale·α ≈ 1.7581 at 0): a kink "
              "(bounds widened by 1e-12 for the rounding of scale·α; eager picks scale, XLA scale·α)",
              second=hvp([between(0.0, SELU_SCALE * SELU_ALPHA * (1 + 1e-12))],
                         "selu'' is scale·α·eˣ = 1.7581 on the left of 0 and 0 on the right, and selu' itself jumps: the "
                         "second derivative does not exist; a value between the one-sided ones is asserted", exists=False)),
        point("x=-1", [-1.0], [SELU_SCALE * SELU_ALPHA * math.exp(-1.0)], "d/dx scale·α·(e^x − 1) = scale·α·e^x",
              second=hvp([SELU_SCALE * SELU_ALPHA * math.exp(-1.0)], "(scale·α·(eˣ − 1))'' = scale·α·eˣ")),
        point("x=1", [1.0], [SELU_SCALE], "d/dx scale·x = scale", second=hvp([0.0], "scale·x is linear: 0")),
    ], tails=[
        tail("x=-708.3 (last normal f')", [-708.3], [SELU_SCALE * SELU_ALPHA * math.exp(-708.3)],
             "scale·α·eˣ = 4.3e-308, a normal float64 (and so is eˣ = 2.45e-308; e^−708.4 is subnormal)", bug=SELU_TAIL),
        tail("x=-740 (subnormal f')", [-740.0], [SELU_SCALE * SELU_ALPHA * math.exp(-740.0)], "scale·α·e^−740 = 7.4e-322, subnormal",
             bug=FLUSH_TO_ZERO),
        tail("x=max", [MAX], [SELU_SCALE], "slope scale for x > 0 up to the largest float"),
    ]),
    op("tf.nn.gelu", lambda x, approximate=False: tf.nn.gelu(x, approximate=approximate), [
        Sample((_d("tf.nn.gelu", ()),), label="scalar exact"),
        Sample((_d("tf.nn.gelu", (5,), salt="v"),), label="5 exact"),
        Sample((_d("tf.nn.gelu", (2, 3), salt="a"),), {"approximate": True}, label="2x3 approximate=True"),
    ], domain="all reals", points=[
        point("x=0 exact", [0.0], [0.5], "d/dx x·Φ(x) = Φ(x) + x·φ(x) = 1/2 at 0",
              second=hvp([2.0 / math.sqrt(2.0 * math.pi)], "(xΦ)'' = 2φ(x) + xφ'(x) = φ(x)(2 − x²) = 2φ(0) = √(2/π)",
                         bug=GELU_PRECISION)),
        point("x=0 approximate", [0.0], [0.5], "d/dx x/2·(1 + tanh(c(x + 0.044715x³))) = 1/2 at 0", approximate=True,
              second=hvp([math.sqrt(2.0 / math.pi)], "f'' = sech²u·u' + x/2·(sech²u·u')' with u(0) = 0, u'(0) = c = √(2/π): "
                                                   "c at 0 (the x/2 term vanishes)")),
    ], tails=[
        tail("x=-30 exact", [-30.0], [_gelu_prime(-30.0)], "Φ(x) + xφ(x) = −5.2e-196 (erfc form, accurate in the tail)",
             bug=GELU_PRECISION),
        tail("x=-37.5 exact (last normal terms)", [-37.5], [_gelu_prime(-37.5)],
             "Φ(x) + xφ(x) = −6.5e-305, with both terms normal (Φ(−37.5) = 4.6e-308; from x ≈ −37.6 on Φ is subnormal, so the "
             "last normal derivative −3.5e-308 at −37.7 has a flushed term)", bug=GELU_PRECISION),
        tail("x=-38.3 exact (subnormal f')", [-38.3], [_gelu_prime(-38.3)], "Φ(x) + xφ(x) = −4.5e-318, subnormal",
             bug=FLUSH_TO_ZERO),
        tail("x=max exact", [MAX], [1.0], "Φ(x) → 1 and xφ(x) → 0: slope 1"),
        tail("x=-8 approximate", [-8.0], [_gelu_tanh_prime(-8.0)], "d/dx x·σ(2u) = −4.7e-20 (log-space form)",
             bug=GELU_TANH_TAIL, approximate=True),
        tail("x=-21 approximate (last normal terms)", [-21.0], [_gelu_tanh_prime(-21.0)],
             "−5.8e-299, with σ(2u) = e^−694 normal (from x ≈ −21.1 on σ(2u) is subnormal, the derivative still normal)",
             bug=GELU_TANH_TAIL, approximate=True),
        tail("x=-21.4 approximate (subnormal f')", [-21.4], [_gelu_tanh_prime(-21.4)], "−6.2e-316, subnormal",
             bug=FLUSH_TO_ZERO,
             approximate=True),
    ]),
    op("tf.nn.leaky_relu", lambda x, alpha=0.2: tf.nn.leaky_relu(x, alpha=alpha), [
        Sample((_d("tf.nn.leaky_relu", (5,), domain=REAL_NONZERO),), label="5 alpha=0.2"),
        Sample((_d("tf.nn.leaky_relu", (2, 3), domain=REAL_NONZERO, salt="a"),), {"alpha": 0.125}, label="2x3 alpha=0.125"),
    ], domain="x ≠ 0 (alpha is stored as a float32 attribute)", points=[
        point("x=0 alpha=0.2", [0.0], [between(0.2, 1.0)], "slope α on the left, 1 on the right: subdifferential [α, 1]",
              second=_kink_second("leaky_relu at 0")),
        point("x=[-1,2] alpha=0.125", [[-1.0, 2.0]], [[0.125, 1.0]],
              "slope α for x < 0, 1 for x > 0 (α is a float32 attribute: 0.125 is exact, 0.01 would be 0.0099999998)", alpha=0.125,
              second=hvp([[0.0, 0.0]], "linear on each side: 0")),
    ], tails=[
        tail("x=±max alpha=0.125", [[MAX, -MAX]], [[1.0, 0.125]], "slope 1 and α up to the largest float", alpha=0.125),
    ]),
    op("tf.nn.silu", tf.nn.silu, [
        Sample(tuple(_d("tf.nn.silu", (5,), ())), label="5 with beta scalar"),
        Sample(tuple(_d("tf.nn.silu", (2, 3), (), salt="b")), label="2x3 with beta scalar"),
    ], diff=(0, 1), domain="x and beta real", points=[
        point("x=0,beta=1", [[0.0], 1.0], [[0.5], 0.0],
              "∂/∂x x·σ(βx) = σ(βx) + βx·σ'(βx) = 1/2 at x = 0; ∂/∂β = x²·σ'(βx) = 0",
              second=hvp([[0.5], 0.0], "∂²/∂x² = 2βσ'(βx) + β²xσ''(βx) = 1/2, ∂²/∂x∂β = 2xσ'(βx) + βx²σ''(βx) = 0, "
                                       "∂²/∂β² = x³σ''(βx) = 0 at x = 0: H·(1, 1) = (1/2, 0)")),
        point("x=[1,-1],beta=0", [[1.0, -1.0], 0.0], [[0.5, 0.5], 0.5],
              "β = 0: ∂/∂x = σ(0) = 1/2; ∂/∂β = Σ x²·σ'(βx) = (1 + 1)·σ'(0) = 2·(1/4)",
              second=hvp([[0.5, -0.5], -0.5], "β = 0 (σ'(0) = 1/4, σ''(0) = 0): ∂²/∂x_i² = 0, ∂²/∂x_i∂β = 2x_iσ'(0) = x_i/2, "
                                              "∂²/∂β² = 0; with v = ((1, 2), 1): x-part x_i/2·1 = (1/2, −1/2), β-part "
                                              "1/2·1 − 1/2·2 = −1/2", v=([1.0, 2.0], 1.0))),
    ], tails=[
        tail("x=-700 (normal f')", [[-700.0], 1.0], [[math.exp(-700.0) * (1.0 - 700.0)], 700.0 ** 2 * math.exp(-700.0)],
             "∂/∂x = σ(x)(1 + x·σ(−x)) = e^−700·(1 − 700), ∂/∂β = x²σ(x)σ(−x) = 700²·e^−700 (β = 1): normal floats"),
        tail("x=-740 (subnormal f')", [[-740.0], 1.0], [[math.exp(-740.0) * (1.0 - 740.0)], None],
             "σ(x)(1 + x·σ(−x)) = −739·e^−740 = −3.1e-319, subnormal (∂/∂β = 2.3e-316 is not asserted)",
             bug=FLUSH_TO_ZERO),
        tail("x=1e200", [[1e200], 1.0], [[1.0], 0.0], "∂/∂x = σ(x)(1 + x·σ(−x)) = 1, ∂/∂β = x²σ'(x) = 1e400·e^−1e200 = 0",
             bug=SILU_BETA_OVERFLOW),
    ]),
]

# ----------------------------------------------------------------------- softmax, normalisation

NORMALISATION = [
    op("tf.nn.softmax", lambda x, axis=-1: tf.nn.softmax(x, axis=axis), [
        Sample((_d("tf.nn.softmax", (5,)),), label="5 axis=-1"),
        Sample((_d("tf.nn.softmax", (2, 3), salt="a"),), label="2x3 axis=-1"),
        Sample((_d("tf.nn.softmax", (2, 3), salt="b"),), {"axis": 0}, label="2x3 axis=0"),
    ], domain="all reals", points=[
        point("equal logits", [[0.0, 0.0, 0.0]], [[0.0, 0.0, 0.0]], "Σ softmax = 1 for every input: its gradient is 0",
              second=hvp([np.zeros(3)], "Σ softmax ≡ 1: every derivative of it is 0", v=([1.0, 0.0, 0.0],))),
        point("logits ±1000", [[1000.0, -1000.0, 0.0]], [[0.0, 0.0, 0.0]], "Σ softmax = 1 for every input, saturated or not: gradient 0, finite",
              second=hvp([np.zeros(3)], "Σ softmax ≡ 1: H = 0, finite in the saturated case too", v=([1.0, 0.0, 0.0],))),
        point("zero-size batch", [np.zeros((0, 3))], [np.zeros((0, 3))], "a 0x3 batch: the output is 0x3, Σ = 0 for every input",
              second=hvp([np.zeros((0, 3))], "an empty input: the empty Hessian-vector product")),
        point("zero-size feature axis", [np.zeros((2, 0))], [np.zeros((2, 0))], "softmax over an empty axis: a 2x0 output, Σ = 0",
              second=hvp([np.zeros((2, 0))], "an empty input: the empty Hessian-vector product")),
        point("size-1 axis", [[[0.5], [-2.0]]], [np.zeros((2, 1))], "softmax over one entry is 1 for every input: derivative 0",
              second=hvp([np.zeros((2, 1))], "the output is constant: 0")),
    ]),
    op("tf.nn.log_softmax", lambda x, axis=-1: tf.nn.log_softmax(x, axis=axis), [
        Sample((_d("tf.nn.log_softmax", (5,)),), label="5 axis=-1"),
        Sample((_d("tf.nn.log_softmax", (2, 3), salt="a"),), label="2x3 axis=-1"),
        Sample((_d("tf.nn.log_softmax", (2, 3), salt="b"),), {"axis": 0}, label="2x3 axis=0"),
    ], domain="all reals", points=[
        point("equal logits", [[0.0, 0.0, 0.0]], [[0.0, 0.0, 0.0]], "∂/∂x_j Σ_i (x_i − LSE(x)) = 1 − n·p_j = 1 − 3·(1/3) = 0",
              second=hvp([[-2 / 3, 1 / 3, 1 / 3]], "H = −n·(diag p − ppᵀ) with p = 1/3: H·e₀ = −3·((1/3, 0, 0) − (1/9)·1) = "
                                                   "(−2/3, 1/3, 1/3) (H·1 = 0, so v = e₀)", v=([1.0, 0.0, 0.0],))),
        point("logits ±1000", [[1000.0, -1000.0, 0.0]], [[-2.0, 1.0, 1.0]],
              "1 − n·p_j with p = softmax = (1, e^−2000, e^−1000) = (1, 0, 0) in float64: (−2, 1, 1), finite",
              second=hvp([np.zeros(3)], "H = −n·(diag p − ppᵀ) with p = (1, 0, 0) in float64: 0, finite", v=([1.0, 0.0, 0.0],))),
        point("zero-size batch", [np.zeros((0, 3))], [np.zeros((0, 3))], "a 0x3 batch: the output is 0x3, Σ = 0 for every input",
              second=hvp([np.zeros((0, 3))], "an empty input: the empty Hessian-vector product")),
        point("zero-size feature axis", [np.zeros((2, 0))], [np.zeros((2, 0))], "log_softmax over an empty axis: a 2x0 output, Σ = 0",
              second=hvp([np.zeros((2, 0))], "an empty input: the empty Hessian-vector product")),
        point("size-1 axis", [[[0.5], [-2.0]]], [np.zeros((2, 1))], "log_softmax over one entry is 0 for every input: derivative 0",
              second=hvp([np.zeros((2, 1))], "the output is constant: 0")),
    ]),
    op("tf.nn.l2_normalize", lambda x, axis=None: tf.nn.l2_normalize(x, axis=axis), [
        Sample((_d("tf.nn.l2_normalize", (5,)),), label="5 axis=None"),
        Sample((_d("tf.nn.l2_normalize", (2, 3), salt="a"),), {"axis": 1}, label="2x3 axis=1"),
        Sample((_d("tf.nn.l2_normalize", (2, 3), salt="b"),), {"axis": 0}, label="2x3 axis=0"),
    ], domain="x ≠ 0 along the axis (Σx² > epsilon = 1e-12)", points=[
        point("x=(3,4)", [[3.0, 4.0]], [[0.032, -0.024]], "∂/∂x_j Σ_i x_i/‖x‖ = (1 − y_j·Σy)/‖x‖ with y = (0.6, 0.8): (1 − 0.84)/5, (1 − 1.12)/5",
              second=hvp([[-0.01888, 0.01216]], "H = −(x1ᵀ + 1xᵀ)/r³ − S·I/r³ + 3S·xxᵀ/r⁵ (S = Σx = 7, r = 5, n = 2): "
                                                 "H·1 = −(n·x + 2S·1)/r³ + 3S²·x/r⁵ = (−20/125 + 441/3125, −22/125 + 588/3125)")),
        point("x=0", [[0.0, 0.0, 0.0]], [[1e6, 1e6, 1e6]],
              "documented as x / sqrt(max(Σx², epsilon)): on the ball Σx² < epsilon = 1e-12 it is x/√epsilon = 10⁶·x, so each ∂/∂x_j = 10⁶",
              second=hvp([np.zeros(3)], "10⁶·x is linear on the ball Σx² < epsilon: H = 0")),
        point("size-1 axis", [[[3.0], [-2.0]]], [np.zeros((2, 1))], "x/|x| along a length-1 axis is sign(x): derivative 0 away from 0",
              second=hvp([np.zeros((2, 1))], "sign(x) is constant near ±3, ±2: 0"), axis=1),
        point("zero-size batch", [np.zeros((0, 3))], [np.zeros((0, 3))], "a 0x3 input normalised along axis 1: empty output",
              second=hvp([np.zeros((0, 3))], "an empty input: the empty Hessian-vector product"), axis=1),
    ]),
    op("tf.nn.batch_normalization", tf.nn.batch_normalization, [
        Sample((*_d("tf.nn.batch_normalization", (2, 3), (3,)), _d("tf.nn.batch_normalization", (3,), domain=POS, salt="v"),
                *_d("tf.nn.batch_normalization", (3,), (3,), salt="os"), 1e-3), label="2x3 per-channel eps=1e-3"),
        Sample((*_d("tf.nn.batch_normalization", (2, 2, 3), (2, 1, 3), salt="b"),
                _d("tf.nn.batch_normalization", (2, 1, 3), domain=POS, salt="vb"),
                *_d("tf.nn.batch_normalization", (3,), (3,), salt="osb"), 0.5), label="2x2x3 stats 2x1x3 eps=0.5"),
    ], diff=(0, 1, 2, 3, 4), domain="variance + epsilon > 0", points=[
        point("x=mean", [[1.0], [1.0], [0.75], [0.5], [2.0], 0.25], [[2.0], [-2.0], [0.0], [1.0], [0.0]],
              "y = s·(x − m)/√(v + ε) + o with v + ε = 1: ∂/∂x = s = 2, ∂/∂m = −2, ∂/∂v = −s(x − m)/2·(v + ε)^(−3/2) = 0, ∂/∂o = 1, ∂/∂s = x − m = 0",
              second=hvp([[2.0], [-2.0], [1.0], [0.0], [-1.0]],
                         "with d = x − m = 0, w = v + ε = 1, s = 2 the nonzero second partials are f_xv = −s/2·w^(−3/2) = −1, "
                         "f_xs = w^(−1/2) = 1, f_mv = 1, f_ms = −1 (f_vv, f_vs ∝ d = 0); for v = (1, 2, 3, 4, 5): "
                         "x: −3 + 5, m: 3 − 5, v: −1 + 2, o: 0, s: 1 − 2", v=([1.0], [2.0], [3.0], [4.0], [5.0]))),
        point("zero-size batch", [np.zeros((0, 3)), np.zeros(3), np.ones(3), np.zeros(3), np.ones(3), 1e-3],
              [np.zeros((0, 3)), np.zeros(3), np.zeros(3), np.full(3, 0.0), np.zeros(3)],
              "a 0x3 batch: the output is 0x3 and Σ = 0 for every input, so every partial is 0 (the statistics' too)",
              second=hvp([np.zeros((0, 3)), np.zeros(3), np.zeros(3), np.zeros(3), np.zeros(3)], "Σ ≡ 0: H = 0")),
    ]),
    op("tf.nn.bias_add", lambda x, b, data_format=None: tf.nn.bias_add(x, b, data_format=data_format), [
        Sample(tuple(_d("tf.nn.bias_add", (2, 3), (3,))), label="2x3 with 3"),
        Sample(tuple(_d("tf.nn.bias_add", (1, 2, 2, 3), (3,), salt="a")), label="1x2x2x3 NHWC"),
        Sample(tuple(_d("tf.nn.bias_add", (1, 3, 2, 2), (3,), salt="b")), {"data_format": "NCHW"}, label="1x3x2x2 NCHW"),
    ], diff=(0, 1), domain="all reals", points=[
        point("2x3 with 3", [np.zeros((2, 3)), [1.0, 2.0, 3.0]], [np.ones((2, 3)), [2.0, 2.0, 2.0]],
              "x + b broadcast over the batch: ∂/∂x = 1, ∂/∂b_c = number of rows = 2",
              second=hvp([np.zeros((2, 3)), np.zeros(3)], "x + b is linear: H = 0")),
        point("zero-size batch", [np.zeros((0, 3)), [1.0, 2.0, 3.0]], [np.zeros((0, 3)), np.zeros(3)],
              "no rows: the output is 0x3 and Σ = 0 for every b, so ∂/∂b = 0 (not NaN)",
              second=hvp([np.zeros((0, 3)), np.zeros(3)], "linear: H = 0")),
    ]),
]

# ------------------------------------------------------------------------------------------- convolution

def _conv_sample(name, x_shape, f_shape, label, salt="", **kwargs):
    x, f = _d(name, x_shape, f_shape, salt=salt + label)
    return Sample((x, f), kwargs, label=label)


BILINEAR_WHY = ("Σ conv(x, f) is bilinear: H has only the cross blocks, so H·(v_x, v_f) = (∇ₓ Σconv(·, v_f), ∇_f Σconv(v_x, ·)), "
                "the first-order gradients with the other argument replaced by its tangent (ones here): the gradients above")

DILATED_CONV = (
    "the float64 CPU kernels of Conv2DBackpropInput/Conv2DBackpropFilter reject dilations > 1 (\"Current CPU "
    "implementations do not yet support dilation rates larger than 1\") although the float64 forward Conv2D accepts "
    "them: every float64 reverse gradient raises, and so does forward mode inside a tf.function, whose JVP graph uses "
    "Conv2DBackpropInput (float32 works through oneDNN; XLA compiles its own kernels)",
    "https://github.com/tensorflow/tensorflow/issues/28264",
    "x = tf.ones([1, 4, 4, 1], tf.float64)\nf = tf.ones([2, 2, 1, 1], tf.float64)\n"
    "with tf.GradientTape() as t:\n    t.watch(x)\n    y = tf.nn.conv2d(x, f, 1, 'SAME', dilations=2)\n"
    "print(t.gradient(y, x))  # expected the 4x4 count of taps meeting each pixel, got InvalidArgumentError")

DILATED_CONV_LINKS = dict(
    related=("https://github.com/tensorflow/tensorflow/issues/69103",),
    searched=("Conv2DBackpropInput CPU dilation rates larger than 1 not supported float64 gradient",),
    workaround=Workaround('''import tensorflow as tf


def conv2d_dilated(x, f, padding="SAME"):
    """tf.nn.conv2d(x, f, 1, padding, dilations=2) through atrous_conv2d, which runs an undilated Conv2D on the
    space-to-batch rearranged input: its float64 CPU gradients exist."""
    return tf.nn.atrous_conv2d(x, f, 2, padding)
''', "conv2d_dilated"))

CONVOLUTION = [
    op("tf.nn.conv1d", lambda x, f, stride=1, padding="SAME", dilations=None: tf.nn.conv1d(x, f, stride, padding, dilations=dilations), [
        _conv_sample("tf.nn.conv1d", (1, 6, 2), (3, 2, 2), "1x6x2 * 3x2x2 stride=1 SAME"),
        _conv_sample("tf.nn.conv1d", (2, 5, 2), (2, 2, 3), "2x5x2 * 2x2x3 stride=2 VALID", stride=2, padding="VALID"),
    ], diff=(0, 1), domain="all reals (bilinear)", points=[
        point("ones, VALID", [np.ones((1, 3, 1)), np.ones((2, 1, 1))], [[[[1.0], [2.0], [1.0]]], [[[2.0]], [[2.0]]]],
              "outputs x0·f0 + x1·f1 and x1·f0 + x2·f1: ∂/∂x = (f0, f0 + f1, f1), ∂/∂f_k = Σ of the inputs it meets", padding="VALID",
              second=hvp([[[[1.0], [2.0], [1.0]]], [[[2.0]], [[2.0]]]], BILINEAR_WHY)),
        point("zero-size batch", [np.zeros((0, 3, 1)), np.ones((2, 1, 1))], [np.zeros((0, 3, 1)), np.zeros((2, 1, 1))],
              "no examples: the output is 0x2x1 and Σ = 0 for every filter, so ∂/∂f = 0", padding="VALID",
              second=hvp([np.zeros((0, 3, 1)), np.zeros((2, 1, 1))], "Σ ≡ 0: H = 0")),
    ]),
    op("tf.nn.conv2d", lambda x, f, strides=1, padding="SAME", dilations=None: tf.nn.conv2d(x, f, strides, padding, dilations=dilations), [
        _conv_sample("tf.nn.conv2d", (1, 3, 4, 2), (2, 2, 2, 2), "1x3x4x2 * 2x2x2x2 strides=1 SAME"),
        _conv_sample("tf.nn.conv2d", (1, 4, 4, 1), (3, 3, 1, 2), "1x4x4x1 * 3x3x1x2 strides=2 VALID", strides=2, padding="VALID"),
        _conv_sample("tf.nn.conv2d", (1, 3, 3, 1), (2, 2, 1, 1), "1x3x3x1 * 2x2x1x1 explicit padding",
                     padding=[[0, 0], [1, 0], [0, 1], [0, 0]]),
    ], diff=(0, 1), domain="all reals (bilinear)", points=[
        point("ones, VALID", [np.ones((1, 2, 2, 1)), np.ones((2, 2, 1, 1))], [np.ones((1, 2, 2, 1)), np.ones((2, 2, 1, 1))],
              "a 2x2 window over a 2x2 input gives one output Σ x·f: ∂/∂x = f = 1, ∂/∂f = x = 1", padding="VALID",
              second=hvp([np.ones((1, 2, 2, 1)), np.ones((2, 2, 1, 1))], BILINEAR_WHY)),
        point("zero-size batch", [np.zeros((0, 3, 3, 1)), np.ones((2, 2, 1, 1))], [np.zeros((0, 3, 3, 1)), np.zeros((2, 2, 1, 1))],
              "no examples: the output is 0x2x2x1 and Σ = 0 for every filter, so ∂/∂f = 0", padding="VALID",
              second=hvp([np.zeros((0, 3, 3, 1)), np.zeros((2, 2, 1, 1))], "Σ ≡ 0: H = 0")),
    ]),
    op("tf.nn.conv2d(dilations=2)", lambda x, f, padding="SAME": tf.nn.conv2d(x, f, 1, padding, dilations=2), [
        _conv_sample("tf.nn.conv2d(dilations=2)", (1, 4, 4, 1), (2, 2, 1, 2), "1x4x4x1 * 2x2x1x2 SAME"),
        _conv_sample("tf.nn.conv2d(dilations=2)", (1, 4, 5, 2), (2, 2, 2, 1), "1x4x5x2 * 2x2x2x1 VALID", padding="VALID"),
    ], diff=(0, 1), domain="all reals (bilinear); tf.nn.conv1d with dilations > 1 goes through the same Conv2D",
       bugs=(KnownBug(*DILATED_CONV, checks=("reverse", "float32"), modes=("eager", "function"), kind="missing gradient",
                      kind_why="conv2d is bilinear, so its gradient exists; the float64 CPU backprop kernels raise instead",
                      **DILATED_CONV_LINKS),
             KnownBug(*DILATED_CONV, checks=("forward",), modes=("function",), kind="mode failure",
                      kind_why="forward mode works eagerly and under XLA; inside a tf.function its JVP graph uses the raising kernel",
                      **DILATED_CONV_LINKS)),
       second_order_sample=0,  # the runner's forward check in tf.function/XLA pairs its one result with sample 0
       skips={"second_order": "every composition's oracle differentiates the float64 reverse gradient, which raises here "
                              "(the KnownBug above; three compositions raise themselves, forward-over-forward runs), so "
                              "nothing can check a second derivative"}),
    op("tf.nn.conv3d", lambda x, f, strides=(1, 1, 1, 1, 1), padding="SAME": tf.nn.conv3d(x, f, list(strides), padding), [
        _conv_sample("tf.nn.conv3d", (1, 2, 3, 2, 2), (2, 2, 2, 2, 1), "1x2x3x2x2 * 2x2x2x2x1 SAME"),
        _conv_sample("tf.nn.conv3d", (1, 2, 3, 3, 1), (2, 2, 2, 1, 2), "1x2x3x3x1 * 2x2x2x1x2 strides=(1,1,2,2,1) VALID",
                     strides=(1, 1, 2, 2, 1), padding="VALID"),
    ], diff=(0, 1), domain="all reals (bilinear)", points=[
        point("ones, VALID", [np.ones((1, 2, 2, 2, 1)), np.ones((2, 2, 2, 1, 1))], [np.ones((1, 2, 2, 2, 1)), np.ones((2, 2, 2, 1, 1))],
              "a 2x2x2 window over a 2x2x2 input gives one output Σ x·f: ∂/∂x = f = 1, ∂/∂f = x = 1", padding="VALID",
              second=hvp([np.ones((1, 2, 2, 2, 1)), np.ones((2, 2, 2, 1, 1))], BILINEAR_WHY)),
        point("zero-size batch", [np.zeros((0, 2, 2, 2, 1)), np.ones((2, 2, 2, 1, 1))], [np.zeros((0, 2, 2, 2, 1)), np.zeros((2, 2, 2, 1, 1))],
              "no examples: Σ = 0 for every filter, so ∂/∂f = 0", padding="VALID",
              second=hvp([np.zeros((0, 2, 2, 2, 1)), np.zeros((2, 2, 2, 1, 1))], "Σ ≡ 0: H = 0")),
    ]),
    op("tf.nn.conv1d_transpose", lambda x, f, output_shape, strides, padding="SAME": tf.nn.conv1d_transpose(x, f, output_shape, strides, padding), [
        Sample((*_d("tf.nn.conv1d_transpose", (1, 3, 2), (2, 3, 2)), [1, 6, 3], 2), label="1x3x2 -> 1x6x3 strides=2 SAME"),
        Sample((*_d("tf.nn.conv1d_transpose", (1, 4, 2), (3, 2, 2), salt="v"), [1, 6, 2], 1), {"padding": "VALID"},
               label="1x4x2 -> 1x6x2 strides=1 VALID"),
    ], diff=(0, 1), domain="all reals (bilinear)"),
    op("tf.nn.conv2d_transpose", lambda x, f, output_shape, strides, padding="SAME": tf.nn.conv2d_transpose(x, f, output_shape, strides, padding), [
        Sample((*_d("tf.nn.conv2d_transpose", (1, 2, 2, 2), (2, 2, 3, 2)), [1, 4, 4, 3], 2), label="1x2x2x2 -> 1x4x4x3 strides=2 SAME"),
        Sample((*_d("tf.nn.conv2d_transpose", (1, 3, 3, 1), (2, 2, 2, 1), salt="v"), [1, 4, 4, 2], 1), {"padding": "VALID"},
               label="1x3x3x1 -> 1x4x4x2 strides=1 VALID"),
    ], diff=(0, 1), domain="all reals (bilinear)"),
    op("tf.nn.conv3d_transpose", lambda x, f, output_shape, strides, padding="SAME": tf.nn.conv3d_transpose(x, f, output_shape, strides, padding), [
        Sample((*_d("tf.nn.conv3d_transpose", (1, 2, 2, 2, 1), (2, 2, 2, 2, 1)), [1, 4, 4, 4, 2], 2), label="1x2x2x2x1 -> 1x4x4x4x2 strides=2 SAME"),
        Sample((*_d("tf.nn.conv3d_transpose", (1, 2, 2, 2, 2), (2, 2, 2, 1, 2), salt="v"), [1, 3, 3, 3, 1], 1), {"padding": "VALID"},
               label="1x2x2x2x2 -> 1x3x3x3x1 strides=1 VALID"),
    ], diff=(0, 1), domain="all reals (bilinear)"),
    op("tf.nn.depthwise_conv2d", lambda x, f, strides=(1, 1, 1, 1), padding="SAME", dilations=None:
       tf.nn.depthwise_conv2d(x, f, list(strides), padding, dilations=dilations), [
        _conv_sample("tf.nn.depthwise_conv2d", (1, 3, 4, 2), (2, 2, 2, 2), "1x3x4x2 * 2x2x2x2 SAME"),
        _conv_sample("tf.nn.depthwise_conv2d", (1, 4, 4, 1), (2, 2, 1, 3), "1x4x4x1 * 2x2x1x3 strides=2 VALID",
                     strides=(1, 2, 2, 1), padding="VALID"),
        _conv_sample("tf.nn.depthwise_conv2d", (1, 4, 4, 1), (2, 2, 1, 2), "1x4x4x1 * 2x2x1x2 dilations=2 SAME", dilations=[2, 2]),
    ], diff=(0, 1), domain="all reals (bilinear)"),
    op("tf.nn.separable_conv2d", lambda x, dw, pw, strides=(1, 1, 1, 1), padding="SAME", dilations=None:
       tf.nn.separable_conv2d(x, dw, pw, list(strides), padding, dilations=dilations), [
        Sample(tuple(_d("tf.nn.separable_conv2d", (1, 3, 4, 2), (2, 2, 2, 2), (1, 1, 4, 3))), label="1x3x4x2 dw 2x2x2x2 pw 1x1x4x3 SAME"),
        Sample(tuple(_d("tf.nn.separable_conv2d", (1, 4, 4, 1), (2, 2, 1, 2), (1, 1, 2, 2), salt="s")),
               {"strides": (1, 2, 2, 1), "padding": "VALID"}, label="1x4x4x1 strides=2 VALID"),
        Sample(tuple(_d("tf.nn.separable_conv2d", (1, 4, 4, 1), (2, 2, 1, 2), (1, 1, 2, 1), salt="d")),
               {"dilations": [2, 2]}, label="1x4x4x1 dilations=2 SAME"),
    ], diff=(0, 1, 2), domain="all reals (trilinear)"),
    op("tf.nn.atrous_conv2d", lambda x, f, rate=2, padding="SAME": tf.nn.atrous_conv2d(x, f, rate, padding), [
        _conv_sample("tf.nn.atrous_conv2d", (1, 4, 4, 1), (2, 2, 1, 2), "1x4x4x1 * 2x2x1x2 rate=2 SAME"),
        _conv_sample("tf.nn.atrous_conv2d", (1, 4, 4, 2), (2, 2, 2, 1), "1x4x4x2 * 2x2x2x1 rate=2 VALID", padding="VALID"),
        _conv_sample("tf.nn.atrous_conv2d", (1, 3, 4, 1), (2, 2, 1, 1), "1x3x4x1 * 2x2x1x1 rate=1 SAME", rate=1),
    ], diff=(0, 1), domain="all reals (bilinear)"),
    op("tf.nn.convolution", lambda x, f, strides=None, padding="SAME", dilations=None:
       tf.nn.convolution(x, f, strides=strides, padding=padding, dilations=dilations), [
        _conv_sample("tf.nn.convolution", (1, 6, 2), (3, 2, 2), "1-D 1x6x2 * 3x2x2 SAME"),
        _conv_sample("tf.nn.convolution", (1, 4, 4, 1), (2, 2, 1, 2), "2-D 1x4x4x1 * 2x2x1x2 strides=2 VALID", strides=2, padding="VALID"),
        _conv_sample("tf.nn.convolution", (1, 4, 4, 1), (2, 2, 1, 2), "2-D 1x4x4x1 * 2x2x1x2 dilations=2 SAME", dilations=2),
    ], diff=(0, 1), domain="all reals (bilinear)", second_order_sample=1, bugs=(
        KnownBug("with the default data_format=None tf.nn.convolution records Conv2D with data_format None; its gradient "
                 "Conv2DBackpropInput inherits it and _Conv2DBackpropInputGrad calls op.get_attr('data_format').decode(): "
                 "differentiating the reverse gradient again raises AttributeError", "unreported",
                 "x = tf.ones([1, 4, 4, 1], tf.float64)\nf = tf.ones([2, 2, 1, 1], tf.float64)\n"
                 "with tf.GradientTape() as outer:\n    outer.watch(f)\n    with tf.GradientTape() as inner:\n"
                 "        inner.watch(x)\n        y = tf.nn.convolution(x, f, padding='VALID')\n"
                 "    g = inner.gradient(y, x)\nprint(outer.gradient(g, f))  # expected 9s (each tap meets 9 outputs), "
                 "got AttributeError: 'NoneType' object has no attribute 'decode'",
                 checks=("reverse_over_reverse", "forward_over_reverse"), modes=("eager",), kind="mode failure",
                 kind_why="reverse over forward and forward over forward give the second derivative; the two compositions "
                          "that differentiate Conv2DBackpropInput's gradient raise",
                 searched=("tf.nn.convolution second derivative AttributeError NoneType has no attribute decode data_format",),
                 workaround=Workaround('''import tensorflow as tf


def convolution(x, f, strides=None, padding="SAME", dilations=None):
    """tf.nn.convolution with data_format spelled out, so the recorded Conv2D (and its backprop ops) carry one."""
    return tf.nn.convolution(x, f, strides=strides, padding=padding, dilations=dilations,
                             data_format="NWC" if x.shape.rank == 3 else "NHWC")
''', "convolution")),)),
]


def _morph_sample(name, x_shape, f_shape, label, **kwargs):
    """Distinct inputs 0.1 apart and a filter within [0, 0.04]: each window's max (min) is decided by the input alone."""
    x = distinct(name, x_shape, gap=0.1, salt=label)
    f = distinct(name, f_shape, lo=0.0, hi=0.04, gap=0.004, salt=label + "f")
    return Sample((x, f), {"strides": [1, 1, 1, 1], "padding": "SAME", "dilations": [1, 1, 1, 1], **kwargs}, label=label)


FORWARD_AND_SECOND = ("forward",) + SECOND + ("special_forward",)


def _tie_second(shapes):
    """A max (min) over tied values is piecewise linear: its gradient jumps at the tie, so H does not exist there."""
    return hvp([np.zeros(sh) for sh in shapes], "piecewise linear: the gradient jumps at the tie, so the second derivative "
               "does not exist; on every piece it is 0, and 0 is asserted", exists=False)


def _linear_second(*shapes):
    return hvp([np.zeros(sh) for sh in shapes], "linear in x: H = 0")
FORWARD_NOTE = " (forward mode transposes the backward function, so it needs that gradient too)"


def _no_grad_of_grad(op_name, call, raw, raised=None, **links):
    return KnownBug(f"{raw} (the backward of {op_name}) has no registered gradient: forward mode{FORWARD_NOTE} and "
                    f"every second derivative raise LookupError although {op_name} is piecewise linear", "unreported",
                    f"x = tf.constant([[[[1.0], [3.0]], [[2.0], [0.0]]]], tf.float64)\n{call}\n"
                    "with tf.autodiff.ForwardAccumulator(x, tf.ones_like(x)) as acc:\n    y = f(x)\n"
                    f"print(acc.jvp(y))  # expected 1.0 (the tangent at the pixel the window selects), got LookupError: gradient "
                    f"registry has no entry for: {raised or raw}", checks=FORWARD_AND_SECOND + POINT_SECOND,
                    kind="missing gradient", kind_why=f"{op_name} is piecewise linear: its second derivative (0 between the "
                    "ties) and its JVP exist, but the backward op has no gradient", **links)


MORPH_WINDOWS = '''import tensorflow as tf


def _windows(x, kh, kw, strides, padding, dilations):
    """The (batch, out_h, out_w, kh, kw, channels) windows of x; SAME pads with -inf, which a max never picks."""
    sh, sw, rh, rw = strides[1], strides[2], dilations[1], dilations[2]
    if padding == "SAME":
        h, w = x.shape[1], x.shape[2]
        ph = max((-(-h // sh) - 1) * sh + (kh - 1) * rh + 1 - h, 0)
        pw = max((-(-w // sw) - 1) * sw + (kw - 1) * rw + 1 - w, 0)
        x = tf.pad(x, [[0, 0], [ph // 2, ph - ph // 2], [pw // 2, pw - pw // 2], [0, 0]], constant_values=float("-inf"))
    p = tf.image.extract_patches(x, [1, kh, kw, 1], [1, sh, sw, 1], [1, rh, rw, 1], "VALID")
    return tf.reshape(p, [-1, p.shape[1], p.shape[2], kh, kw, x.shape[3]])
'''
DILATION_WORKAROUND = Workaround(MORPH_WINDOWS + '''

def dilation2d(x, f, strides, padding, dilations):
    """tf.nn.dilation2d as the max over each window of x + f: extract_patches and reduce_max have gradients of
    every order, where Dilation2DBackpropInput/Filter have none."""
    return tf.reduce_max(_windows(x, f.shape[0], f.shape[1], strides, padding, dilations) + f, axis=[3, 4])
''', "dilation2d")
EROSION_WORKAROUND = Workaround(MORPH_WINDOWS + '''

def erosion2d(x, f, strides, padding, dilations):
    """tf.nn.erosion2d as the min over each window of x − f (extract_patches and reduce_max of the negated image)."""
    return -tf.reduce_max(_windows(-x, f.shape[0], f.shape[1], strides, padding, dilations) + f[::-1, ::-1], axis=[3, 4])
''', "erosion2d")
DILATION_SEARCHED = ("Dilation2DBackpropInput no gradient defined second derivative dilation2d",)


MORPHOLOGY = [
    op("tf.nn.dilation2d", lambda x, f, strides, padding, dilations: tf.nn.dilation2d(x, f, strides, padding, "NHWC", dilations), [
        _morph_sample("tf.nn.dilation2d", (1, 3, 4, 2), (2, 2, 2), "1x3x4x2 with 2x2x2 SAME"),
        _morph_sample("tf.nn.dilation2d", (1, 4, 4, 1), (2, 2, 1), "1x4x4x1 with 2x2x1 strides=2 VALID", strides=[1, 2, 2, 1], padding="VALID"),
        _morph_sample("tf.nn.dilation2d", (1, 4, 4, 1), (2, 2, 1), "1x4x4x1 with 2x2x1 dilations=2 VALID", dilations=[1, 2, 2, 1], padding="VALID"),
    ], diff=(0, 1), domain="no ties among x + filter in a window", points=[
        point("tie", [np.ones((1, 2, 2, 1)), np.zeros((2, 2, 1))], [between(np.zeros((1, 2, 2, 1)), np.ones((1, 2, 2, 1))),
                                                                    between(np.zeros((2, 2, 1)), np.ones((2, 2, 1)))],
              "one output max(x + f) over four tied sums: any convex combination of them is a subgradient (each entry in [0, 1])",
              strides=[1, 1, 1, 1], padding="VALID", dilations=[1, 1, 1, 1], second=_tie_second(((1, 2, 2, 1), (2, 2, 1)))),
    ], bugs=(_no_grad_of_grad("Dilation2D", "f = lambda x: tf.nn.dilation2d(x, tf.zeros([2, 2, 1], tf.float64), [1, 1, 1, 1], "
                              "'VALID', 'NHWC', [1, 1, 1, 1])", "Dilation2DBackpropInput/Filter",
                              "Dilation2DBackpropFilter", searched=DILATION_SEARCHED, workaround=DILATION_WORKAROUND),),
       second_order_sample=0,  # the runner's forward check in tf.function/XLA pairs its one result with sample 0
       skips={"xla": "XLA cannot compile Dilation2D (no XLA_CPU_JIT kernel)"}),
    op("tf.nn.erosion2d", lambda x, f, strides, padding, dilations: tf.nn.erosion2d(x, f, strides, padding, "NHWC", dilations), [
        _morph_sample("tf.nn.erosion2d", (1, 3, 4, 2), (2, 2, 2), "1x3x4x2 with 2x2x2 SAME"),
        _morph_sample("tf.nn.erosion2d", (1, 4, 4, 1), (2, 2, 1), "1x4x4x1 with 2x2x1 strides=2 VALID", strides=[1, 2, 2, 1], padding="VALID"),
    ], diff=(0, 1), domain="no ties among x − filter in a window", points=[
        point("tie", [np.ones((1, 2, 2, 1)), np.zeros((2, 2, 1))], [between(np.zeros((1, 2, 2, 1)), np.ones((1, 2, 2, 1))),
                                                                    between(-np.ones((2, 2, 1)), np.zeros((2, 2, 1)))],
              "one output min(x − f) over four tied differences: any convex combination is a subgradient (x entries in [0, 1], "
              "filter entries in [−1, 0])", strides=[1, 1, 1, 1], padding="VALID", dilations=[1, 1, 1, 1],
              second=_tie_second(((1, 2, 2, 1), (2, 2, 1)))),
    ], bugs=(_no_grad_of_grad("Dilation2D", "f = lambda x: tf.nn.erosion2d(x, tf.zeros([2, 2, 1], tf.float64), [1, 1, 1, 1], "
                              "'VALID', 'NHWC', [1, 1, 1, 1])", "Dilation2DBackpropInput/Filter",
                              "Dilation2DBackpropFilter", searched=DILATION_SEARCHED, workaround=EROSION_WORKAROUND),),
       second_order_sample=0,  # the runner's forward check in tf.function/XLA pairs its one result with sample 0
       skips={"xla": "XLA cannot compile Dilation2D, which erosion2d runs on the negated image (no XLA_CPU_JIT kernel)"}),
]

# ------------------------------------------------------------------------------------------------ pooling

MAXPOOL_XLA = "XLA cannot compile MaxPoolGradGrad (no XLA_CPU_JIT kernel), which forward mode over a max pool needs"
TIE_WHY = ("max over a window of tied values: any convex combination of the tied elements' unit vectors is a subgradient "
           "(each entry in [0, 1])")


def _pool_sample(name, shape, label, ksize, strides, padding, maximum):
    x = distinct(name, shape, gap=0.1, salt=label) if maximum else _d(name, shape, salt=label)
    return Sample((x, ksize, strides, padding), label=label)


POOLING = [
    op("tf.nn.avg_pool1d", tf.nn.avg_pool1d, [
        _pool_sample("tf.nn.avg_pool1d", (1, 6, 2), "1x6x2 k=2 s=2 VALID", 2, 2, "VALID", False),
        _pool_sample("tf.nn.avg_pool1d", (2, 5, 2), "2x5x2 k=3 s=1 SAME", 3, 1, "SAME", False),
    ], domain="all reals (linear)", points=[
        point("SAME edge", [np.ones((1, 3, 1)), 2, 1, "SAME"], [[[[0.5], [1.0], [1.5]]]],
              "SAME windows (x0, x1), (x1, x2), (x2): the mean of the in-bounds elements, so x2 gets 1/2 + 1",
              second=_linear_second((1, 3, 1))),
        point("zero-size batch", [np.zeros((0, 4, 1)), 2, 2, "VALID"], [np.zeros((0, 4, 1))], "no examples: empty output, Σ = 0",
              second=_linear_second((0, 4, 1))),
    ]),
    op("tf.nn.avg_pool2d", tf.nn.avg_pool2d, [
        _pool_sample("tf.nn.avg_pool2d", (1, 4, 4, 1), "1x4x4x1 k=2 s=2 VALID", 2, 2, "VALID", False),
        _pool_sample("tf.nn.avg_pool2d", (1, 3, 4, 2), "1x3x4x2 k=(2,3) s=1 SAME", (2, 3), 1, "SAME", False),
    ], domain="all reals (linear)", points=[
        point("VALID 2x2", [np.ones((1, 2, 2, 1)), 2, 2, "VALID"], [np.full((1, 2, 2, 1), 0.25)], "one window mean of four: 1/4 each",
              second=_linear_second((1, 2, 2, 1))),
        point("zero-size batch", [np.zeros((0, 2, 2, 1)), 2, 2, "VALID"], [np.zeros((0, 2, 2, 1))], "no examples: empty output, Σ = 0",
              second=_linear_second((0, 2, 2, 1))),
    ]),
    op("tf.nn.max_pool1d", tf.nn.max_pool1d, [
        _pool_sample("tf.nn.max_pool1d", (1, 6, 2), "1x6x2 k=2 s=2 VALID", 2, 2, "VALID", True),
        _pool_sample("tf.nn.max_pool1d", (2, 5, 2), "2x5x2 k=3 s=1 SAME", 3, 1, "SAME", True),
    ], domain="no ties within a window", points=[
        point("tie", [np.ones((1, 2, 1)), 2, 2, "VALID"], [between(np.zeros((1, 2, 1)), np.ones((1, 2, 1)))], TIE_WHY,
              second=_tie_second(((1, 2, 1),))),
        point("zero-size batch", [np.zeros((0, 4, 1)), 2, 2, "VALID"], [np.zeros((0, 4, 1))], "no examples: empty output, Σ = 0",
              second=_linear_second((0, 4, 1))),
    ], skips={"xla": MAXPOOL_XLA}),
    op("tf.nn.max_pool2d", tf.nn.max_pool2d, [
        _pool_sample("tf.nn.max_pool2d", (1, 4, 4, 1), "1x4x4x1 k=2 s=2 VALID", 2, 2, "VALID", True),
        _pool_sample("tf.nn.max_pool2d", (1, 3, 4, 2), "1x3x4x2 k=(2,3) s=1 SAME", (2, 3), 1, "SAME", True),
    ], domain="no ties within a window", points=[
        point("tie", [np.ones((1, 2, 2, 1)), 2, 2, "VALID"], [between(np.zeros((1, 2, 2, 1)), np.ones((1, 2, 2, 1)))], TIE_WHY,
              second=_tie_second(((1, 2, 2, 1),))),
        point("distinct", [np.array([[[[1.0], [3.0]], [[2.0], [0.0]]]]), 2, 2, "VALID"], [[[[[0.0], [1.0]], [[0.0], [0.0]]]]],
              "the unique maximum of the window gets the whole gradient",
              second=hvp([np.zeros((1, 2, 2, 1))], "the window's maximum is x₁ near this point: the output is linear, H = 0")),
        point("zero-size batch", [np.zeros((0, 2, 2, 1)), 2, 2, "VALID"], [np.zeros((0, 2, 2, 1))], "no examples: empty output, Σ = 0",
              second=_linear_second((0, 2, 2, 1))),
    ], skips={"xla": MAXPOOL_XLA}),
    op("tf.nn.max_pool_with_argmax", lambda x, ksize, strides, padding: tf.nn.max_pool_with_argmax(x, ksize, strides, padding), [
        _pool_sample("tf.nn.max_pool_with_argmax", (1, 4, 4, 1), "1x4x4x1 k=2 s=2 VALID", 2, 2, "VALID", True),
        _pool_sample("tf.nn.max_pool_with_argmax", (1, 3, 4, 2), "1x3x4x2 k=2 s=1 SAME", 2, 1, "SAME", True),
    ], domain="no ties within a window (argmax is an integer output, not differentiated)", points=[
        point("tie", [np.ones((1, 2, 2, 1)), 2, 2, "VALID"], [between(np.zeros((1, 2, 2, 1)), np.ones((1, 2, 2, 1)))], TIE_WHY,
              second=_tie_second(((1, 2, 2, 1),))),
    ], bugs=(_no_grad_of_grad("MaxPoolWithArgmax", "f = lambda x: tf.nn.max_pool_with_argmax(x, 2, 2, 'VALID')[0]",
                              "MaxPoolGradWithArgmax", related=("https://github.com/tensorflow/tensorflow/issues/6143",),
                              searched=("MaxPoolGradWithArgmax no gradient registered LookupError second order",),
                              workaround=Workaround('''import tensorflow as tf


def max_pool_with_argmax(x, ksize, strides, padding):
    """The values output of tf.nn.max_pool_with_argmax through tf.nn.max_pool2d, whose gradient MaxPoolGrad has a
    registered gradient (MaxPoolGradGrad); the argmax output is an integer and not differentiated."""
    return tf.nn.max_pool2d(x, ksize, strides, padding)
''', "max_pool_with_argmax")),), second_order_sample=0,  # the runner's forward check in tf.function/XLA pairs its one result with sample 0
       skips={"xla": "XLA cannot compile MaxPoolWithArgmax (no XLA_CPU_JIT kernel)"}),
    op("tf.nn.pool", lambda x, window_shape, pooling_type, strides=None, padding="VALID", dilations=None:
       tf.nn.pool(x, window_shape, pooling_type, strides=strides, padding=padding, dilations=dilations), [
        Sample((distinct("tf.nn.pool", (1, 6, 2), gap=0.1), [2], "MAX"), {"strides": [2]}, label="1-D MAX k=2 s=2 VALID"),
        Sample((_d("tf.nn.pool", (1, 4, 4, 1), salt="avg"), [2, 2], "AVG"), {"padding": "SAME"}, label="2-D AVG k=2 SAME"),
        Sample((distinct("tf.nn.pool", (1, 4, 5, 1), gap=0.1, salt="dil"), [2, 2], "MAX"), {"dilations": [2, 2]},
               label="2-D MAX k=2 dilations=2 VALID"),
    ], domain="no ties within a MAX window", points=[
        point("MAX tie", [np.ones((1, 2, 2, 1)), [2, 2], "MAX"], [between(np.zeros((1, 2, 2, 1)), np.ones((1, 2, 2, 1)))], TIE_WHY,
              second=_tie_second(((1, 2, 2, 1),))),
        point("AVG", [np.ones((1, 2, 2, 1)), [2, 2], "AVG"], [np.full((1, 2, 2, 1), 0.25)], "one window mean of four: 1/4 each",
              second=_linear_second((1, 2, 2, 1))),
    ], skips={"xla": MAXPOOL_XLA + " (the MAX samples share the kernel with the AVG ones)"}),
]

# -------------------------------------------------------------------------------------------------- losses

XENT_REPRO = (
    "labels = tf.constant([[0.2, 0.3, 0.5]], tf.float64)\n"
    "logits = tf.constant([[0.1, -0.4, 0.7]], tf.float64)\n"
    "with tf.GradientTape() as outer:\n"
    "    outer.watch(labels)\n"
    "    with tf.GradientTape() as inner:\n"
    "        inner.watch(logits)\n"
    "        loss = tf.nn.softmax_cross_entropy_with_logits(labels=labels, logits=logits)\n"
    "    g = inner.gradient(loss, logits)  # softmax(logits)·Σlabels − labels\n"
    "print(outer.jacobian(g, labels))  # expected ∂g_i/∂labels_j = p_i − δ_ij (−0.71, 0.29, ... ), got all zeros")

POISSON_REPRO = (
    "z = tf.constant([0.0], tf.float64)  # a Poisson count of 0\n"
    "c = tf.constant([0.5], tf.float64)\n"
    "with tf.GradientTape() as t:\n"
    "    t.watch(z)\n"
    "    loss = tf.nn.log_poisson_loss(z, c, compute_full_loss=True)\n"
    "print(t.gradient(loss, z))  # expected [-0.5] (the Stirling term is 0 for 0 <= z <= 1), got [nan]")

POISSON_WORKAROUND = Workaround('''import math
import tensorflow as tf


def log_poisson_loss(targets, log_input, compute_full_loss=False):
    """tf.nn.log_poisson_loss with the Stirling term evaluated at a safe target (1) where it is not used, so the
    unselected branch's gradient is finite and the where's 0 multiplies a number, not NaN."""
    loss = tf.exp(log_input) - log_input * targets
    if compute_full_loss:
        used = targets > 1
        z = tf.where(used, targets, tf.ones_like(targets))
        stirling = z * tf.math.log(z) - z + 0.5 * tf.math.log(2 * math.pi * z)
        loss += tf.where(used, stirling, tf.zeros_like(stirling))
    return loss
''', "log_poisson_loss")
POISSON_META = dict(
    issue="unreported", reproducer=POISSON_REPRO, kind="wrong value",
    kind_why="the loss is e^c − z·c near z = 0 (smooth); reverse mode returns NaN from the unselected branch",
    searched=("log_poisson_loss compute_full_loss gradient nan targets zero",), workaround=POISSON_WORKAROUND)
POISSON_AT_ZERO = KnownBug(
    "the unselected Stirling branch z·log z + ½·log(2πz) has a NaN derivative at z = 0 and tf.where's gradient "
    "multiplies it by 0: 0·NaN = NaN (forward mode is right: the JVP of the unselected branch is not computed through "
    "the mask)", checks=("special_reverse",), **POISSON_META)
POISSON_AT_ZERO_SECOND = KnownBug(
    "at z = 0 every second derivative that goes through reverse mode is NaN for the same reason: the unselected "
    "Stirling branch's NaN derivative times where's 0 (forward over forward is right)",
    checks=("special_reverse_over_reverse", "special_forward_over_reverse", "special_reverse_over_forward"), **POISSON_META)

XENT_SEARCHED = ("softmax_cross_entropy_with_logits second derivative with respect to labels is zero",
                 "softmax_cross_entropy_with_logits_v2 gradient of gradient with respect to labels missing grad_grad labels")
XENT_RELATED = ("https://github.com/tensorflow/tensorflow/issues/7403", "https://github.com/tensorflow/tensorflow/pull/7948")
XENT_WORKAROUND = Workaround('''import tensorflow as tf


def softmax_cross_entropy_with_logits(labels, logits, axis=-1):
    """−Σ labels·log_softmax(logits) as a composition: every derivative of every order follows from log_softmax's."""
    return -tf.reduce_sum(labels * tf.nn.log_softmax(logits, axis=axis), axis=axis)
''', "softmax_cross_entropy_with_logits")
XENT_H_WHY = ("L = (Σt)·LSE(z) − t·z: H_tt = 0, H_tz = 1pᵀ − I, H_zz = (Σt)(diag p − ppᵀ), so H·(v_t, v_z) = "
              "((p·v_z)·1 − v_z, (Σv_t)·p − v_t + (Σt)(p∘v_z − (p·v_z)·p)); v_t sums to 0, a tangent of the simplex.")
XENT_AT_POINT = KnownBug(
    "the gradient of the logits-gradient output (softmax − labels) with respect to labels is missing at a point too: "
    "_SoftmaxCrossEntropyWithLogitsGrad passes grad_grad on to the logits only, so the labels part of H·v loses "
    "∂(softmax − labels)/∂labels·v_z", "https://github.com/tensorflow/tensorflow/issues/26495", XENT_REPRO,
    checks=POINT_SECOND, kind="missing gradient",
    kind_why="the loss is smooth in (labels, logits); the labels block of the Hessian's logits-gradient path is returned as 0",
    related=XENT_RELATED, searched=XENT_SEARCHED, workaround=XENT_WORKAROUND)

CTC_REPRO = (
    "logits = tf.zeros([2, 1, 2], tf.float64)\n"
    "labels = tf.SparseTensor([[0, 0]], [1], [1, 1])\n"
    "with tf.GradientTape() as outer:\n"
    "    outer.watch(logits)\n"
    "    with tf.GradientTape() as inner:\n"
    "        inner.watch(logits)\n"
    "        loss = tf.nn.ctc_loss(labels, logits, None, [2], blank_index=0)\n"
    "    g = inner.gradient(loss, logits)\n"
    "print(outer.gradient(g, logits))  # expected the (finite) Hessian-vector product, got LookupError (prevent_gradient)")

CTC_PRECISION_WHY = (
    "the CTC kernels' LogSumExp<T> (core/util/ctc/ctc_loss_util.h) calls log1pf(expf(...)) for every T, so the float64 "
    "loss and gradient carry float32 rounding (−log(3/4) comes out 0.28768208242 instead of 0.28768207245; ∂/∂z off by "
    "2e-8), and differences of the float64 loss are only ~1e-5 accurate", "unreported",
    "logits = tf.zeros([2, 1, 2], tf.float64)\nlabels = tf.SparseTensor([[0, 0]], [1], [1, 1])\n"
    "print(tf.nn.ctc_loss(labels, logits, None, [2], blank_index=0).numpy() + np.log(0.75))"
    "  # expected ~1e-17, got 1.0e-08")
CTC_NO_WORKAROUND = "tf.nn.ctc_loss's only other path, dense labels (ctc_loss_dense), raises for float64 logits (it multiplies by float32 tensors), XLA has no CTC kernel, and the fused CTCLoss kernel is the one at fault: a float64 CTC needs the forward-backward recursion written out in TensorFlow ops"
CTC_PRECISION_META = dict(kind="precision", kind_why="the float64 kernel does its log-sum-exp in float32 (log1pf, expf)",
                          searched=("ctc_loss float64 tf.function CTCLossV2 type float64 does not match expected type float32",),
                          no_workaround=CTC_NO_WORKAROUND)
CTC_PRECISION = KnownBug(*CTC_PRECISION_WHY, checks=("forward",), **CTC_PRECISION_META)
CTC_PRECISION_AT_POINT = KnownBug(*CTC_PRECISION_WHY, checks=("special_reverse", "special_forward"), **CTC_PRECISION_META)

CTC_GRAPH = KnownBug(
    "in a tf.function, ctc_loss with SparseTensor labels also traces the cuDNN branch (CTCLossV2, float32 only) next to "
    "the CPU one, so float64 logits raise TypeError at trace time although the same call works eagerly",
    "unreported",
    "logits = tf.zeros([2, 1, 2], tf.float64)\n"
    "f = tf.function(lambda z: tf.nn.ctc_loss(tf.SparseTensor([[0, 0]], [1], [1, 1]), z, None, [2], blank_index=0))\n"
    "print(f(logits))  # expected [0.2877] (= −log(3/4), as eagerly), got TypeError: Input 'inputs' of 'CTCLossV2' Op has "
    "type float64 that does not match expected type of float32",
    checks=("reverse", "forward", "special_reverse", "special_forward"), modes=("function", "xla"), kind="mode failure",
    kind_why="the same float64 call works eagerly; tracing it in a tf.function raises TypeError",
    related=("https://github.com/tensorflow/tensorflow/pull/31164",),
    searched=("ctc_loss float64 tf.function CTCLossV2 type float64 does not match expected type float32",),
    no_workaround=CTC_NO_WORKAROUND)

CTC_LABELS = {  # (indices, values, dense_shape) of the SparseTensor of labels, and the frame counts
    "one": (np.array([[0, 0], [0, 1]], np.int64), np.array([1, 2], np.int32), np.array([1, 2], np.int64), np.array([4], np.int32)),
    "two": (np.array([[0, 0], [1, 0], [1, 1]], np.int64), np.array([1, 2, 1], np.int32), np.array([2, 2], np.int64),
            np.array([4, 3], np.int32)),
    "single": (np.array([[0, 0]], np.int64), np.array([1], np.int32), np.array([1, 1], np.int64), np.array([2], np.int32)),
}


def _simplex(name, shape, axis=-1):
    """Labels that are probability distributions along `axis` (as the op requires), with dyadic entries summing to 1 exactly."""
    rng = np.random.default_rng(len(name) * 7919 + int(np.prod(shape)))
    moved = list(shape)
    n = moved.pop(axis)
    rows = []
    for _ in range(int(np.prod(moved, dtype=int))):
        cuts = np.sort(rng.choice(np.arange(1, 64), size=n - 1, replace=False))
        rows.append(np.diff(np.concatenate([[0], cuts, [64]])) / 64.0)
    return np.moveaxis(np.asarray(rows).reshape(moved + [n]), -1, axis)


def _ctc(logits, indices, values, dense_shape, logit_length):
    labels = tf.SparseTensor(indices, values, dense_shape)
    return tf.nn.ctc_loss(labels, logits, None, logit_length, logits_time_major=True, blank_index=0)


LOSSES = [
    op("tf.nn.softmax_cross_entropy_with_logits", lambda labels, logits, axis=-1:
       tf.nn.softmax_cross_entropy_with_logits(labels=labels, logits=logits, axis=axis), [
        Sample((_simplex("xent", (3,)), _d("tf.nn.softmax_cross_entropy_with_logits", (3,), salt="z")), label="3"),
        Sample((_simplex("xent", (2, 4)), _d("tf.nn.softmax_cross_entropy_with_logits", (2, 4), salt="za")), label="2x4 axis=-1"),
        Sample((_simplex("xent", (4, 2), axis=0), _d("tf.nn.softmax_cross_entropy_with_logits", (4, 2), salt="zb")), {"axis": 0},
               label="4x2 axis=0"),
    ], diff=(0, 1), domain="logits real; labels a probability distribution along the axis (documented requirement: the "
                           "logits-gradient softmax − labels assumes Σ labels = 1); the loss −Σ labels·log_softmax(logits)", points=[
        point("equal logits, one-hot", [[0.0, 1.0, 0.0], [0.0, 0.0, 0.0]], [[math.log(3)] * 3, [1 / 3, -2 / 3, 1 / 3]],
              "∂/∂labels = −log_softmax = log 3; ∂/∂logits = softmax·Σlabels − labels = 1/3 − (0, 1, 0)",
              second=hvp([[1 / 3, -2 / 3, 1 / 3], [-10 / 9, 11 / 9, -1 / 9]], XENT_H_WHY + " With p = 1/3, Σt = 1: labels part "
                         "(1/3)·1 − (0, 1, 0); logits part −(1, −1, 0) + (0, 1/3, 0) − (1/9)·1", v=([1.0, -1.0, 0.0], [0.0, 1.0, 0.0]),
                         bug=XENT_AT_POINT)),
        point("logits ±1000", [[0.0, 1.0, 0.0], [1000.0, -1000.0, 0.0]], [[0.0, 2000.0, 1000.0], [1.0, -1.0, 0.0]],
              "−log_softmax = LSE − z = 1000 − z, exact in float64; softmax = (1, 0, 0): ∂/∂logits = (1, 0, 0) − (0, 1, 0), finite",
              second=hvp([[0.0, -1.0, 0.0], [-1.0, 1.0, 0.0]], XENT_H_WHY + " With p = (1, 0, 0) in float64 (diag p − ppᵀ = 0): "
                         "labels part (p·v_z)·1 − v_z = −(0, 1, 0); logits part −v_t = (−1, 1, 0)", v=([1.0, -1.0, 0.0], [0.0, 1.0, 0.0]),
                         bug=XENT_AT_POINT)),
        point("zero-size batch", [np.zeros((0, 3)), np.zeros((0, 3))], [np.zeros((0, 3)), np.zeros((0, 3))],
              "no examples: the loss has shape (0,), Σ = 0 for every input",
              second=hvp([np.zeros((0, 3)), np.zeros((0, 3))], "Σ ≡ 0: H = 0")),
    ], bugs=(KnownBug("the gradient of the logits-gradient output (softmax − labels) with respect to labels is missing: "
                      "_SoftmaxCrossEntropyWithLogitsGrad passes grad_grad on to the logits only, so on that path "
                      "∂(softmax·Σlabels − labels)/∂labels = p·1ᵀ − I comes out 0 (the other path, through the labels' "
                      "gradient −log_softmax(logits), is right, so the computed Hessian is not even symmetric)", "https://github.com/tensorflow/tensorflow/issues/26495", XENT_REPRO,
                      checks=SECOND, modes=("eager",), kind="missing gradient",
                      kind_why="the loss is smooth in (labels, logits); one block of its Hessian comes out 0",
                      related=XENT_RELATED, searched=XENT_SEARCHED, workaround=XENT_WORKAROUND),)),
    op("tf.nn.sparse_softmax_cross_entropy_with_logits", lambda logits, labels:
       tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits), [
        Sample((_d("tf.nn.sparse_softmax_cross_entropy_with_logits", (3,)), np.array(2, np.int32)), label="3 label scalar"),
        Sample((_d("tf.nn.sparse_softmax_cross_entropy_with_logits", (2, 4), salt="a"), np.array([1, 3], np.int32)), label="2x4 labels 2"),
        Sample((_d("tf.nn.sparse_softmax_cross_entropy_with_logits", (2, 2, 3), salt="b"), np.array([[0, 2], [1, 1]], np.int32)),
               label="2x2x3 labels 2x2"),
    ], domain="logits real; integer labels not differentiated", points=[
        point("equal logits", [[[0.0, 0.0, 0.0]], np.array([1], np.int32)], [[[1 / 3, -2 / 3, 1 / 3]]], "softmax − onehot = 1/3 − (0, 1, 0)",
              second=hvp([[[2 / 9, -1 / 9, -1 / 9]]], "L = LSE(z) − z_label: H = diag p − ppᵀ, H·e₀ = (1/3, 0, 0) − (1/9)·1 "
                         "(H·1 = 0, so v = e₀)", v=([[1.0, 0.0, 0.0]],))),
        point("logits ±1000", [[[1000.0, -1000.0, 0.0]], np.array([1], np.int32)], [[[1.0, -1.0, 0.0]]],
              "softmax = (1, 0, 0) in float64: softmax − onehot = (1, −1, 0), finite though the loss is 2000",
              second=hvp([[[0.0, 0.0, 0.0]]], "H = diag p − ppᵀ = 0 for p = (1, 0, 0) in float64: finite", v=([[1.0, 0.0, 0.0]],))),
        point("zero-size batch", [np.zeros((0, 3)), np.zeros((0,), np.int32)], [np.zeros((0, 3))], "no examples: Σ = 0",
              second=hvp([np.zeros((0, 3))], "Σ ≡ 0: H = 0")),
    ]),
    op("tf.nn.sigmoid_cross_entropy_with_logits", lambda labels, logits: tf.nn.sigmoid_cross_entropy_with_logits(labels=labels, logits=logits), [
        Sample((_d("tf.nn.sigmoid_cross_entropy_with_logits", (5,), domain=Domain(0.05, 0.95, "")),
                _d("tf.nn.sigmoid_cross_entropy_with_logits", (5,), domain=Domain(-4.0, 4.0, ""), salt="z")), label="5"),
        Sample((_d("tf.nn.sigmoid_cross_entropy_with_logits", (2, 3), domain=Domain(0.05, 0.95, ""), salt="a"),
                _d("tf.nn.sigmoid_cross_entropy_with_logits", (2, 3), domain=Domain(-4.0, 4.0, ""), salt="za")), label="2x3"),
    ], diff=(0, 1), domain="labels and logits real (z·softplus(−x) + (1 − z)·softplus(x))", points=[
        point("logits=0", [[0.3], [0.0]], [[0.0], [0.2]], "∂/∂z = −x = 0; ∂/∂x = σ(x) − z = 0.5 − 0.3 (smooth at 0 despite the |x| in TF's formula)",
              second=hvp([[-1.0], [-0.75]], "L = softplus(x) − z·x: H_zz = 0, H_zx = −1, H_xx = σ'(x) = 1/4 at 0; H·(1, 1) = (−1, −1 + 1/4)"),
              third=hvp([[0.0], [0.0]], "with v = (0, 1) vᵀHv = σ'(x), whose gradient is (0, σ''(x)) = (0, σ(1 − σ)(1 − 2σ)) = 0 at "
                        "x = 0 (smooth there, though TensorFlow's formula has |x| and relu)", v=([0.0], [1.0]))),
        point("logits ±100", [[0.3, 0.3], [100.0, -100.0]], [[-100.0, 100.0], [0.7, -0.3]],
              "∂/∂z = −x; ∂/∂x = σ(x) − z with σ(100) = 1, σ(−100) = 3.7e−44: finite",
              second=hvp([[-1.0, -1.0], [-1.0, -1.0]], "H_zx = −1, H_xx = σ'(±100) = 3.7e-44: H·(1, 1) = (−1, −1 + 3.7e-44) = (−1, −1)")),
        point("zero-size batch", [np.zeros((0, 2)), np.zeros((0, 2))], [np.zeros((0, 2)), np.zeros((0, 2))], "no examples: Σ = 0",
              second=hvp([np.zeros((0, 2)), np.zeros((0, 2))], "Σ ≡ 0: H = 0")),
    ]),
    op("tf.nn.weighted_cross_entropy_with_logits", lambda labels, logits, pos_weight:
       tf.nn.weighted_cross_entropy_with_logits(labels, logits, pos_weight), [
        Sample((_d("tf.nn.weighted_cross_entropy_with_logits", (5,), domain=Domain(0.05, 0.95, "")),
                _d("tf.nn.weighted_cross_entropy_with_logits", (5,), domain=Domain(-4.0, 4.0, ""), salt="z"),
                _d("tf.nn.weighted_cross_entropy_with_logits", (), domain=POS, salt="q")), label="5 pos_weight scalar"),
        Sample((_d("tf.nn.weighted_cross_entropy_with_logits", (2, 3), domain=Domain(0.05, 0.95, ""), salt="a"),
                _d("tf.nn.weighted_cross_entropy_with_logits", (2, 3), domain=Domain(-4.0, 4.0, ""), salt="za"),
                _d("tf.nn.weighted_cross_entropy_with_logits", (3,), domain=POS, salt="qa")), label="2x3 pos_weight 3"),
    ], diff=(0, 1, 2), domain="pos_weight > 0 (q·z·softplus(−x) + (1 − z)·softplus(x))", points=[
        point("logits=0", [[0.5], [0.0], 2.0], [[math.log(2)], [-0.25], 0.5 * math.log(2)],
              "∂/∂x = −q·z·σ(−x) + (1 − z)·σ(x) = −0.5 + 0.25; ∂/∂z = (q − 1)·softplus(−x) − x = log 2; ∂/∂q = z·softplus(−x) = log 2 / 2",
              bug=KnownBug("the loss is computed as (1 − z)·x + l·(log1p(exp(−|x|)) + relu(−x)); the two kinks at x = 0 cancel "
                           "in the value (softplus(−x) is smooth) but TensorFlow differentiates each with slope 0 there "
                           "(abs'(0) = relu'(0) = 0), dropping the −l·σ(0) = −l/2 term: ∂/∂x is 1 − z instead of 1 − z − l/2",
                           "unreported",
                           "x = tf.constant([0.0], tf.float64)\nwith tf.GradientTape() as t:\n    t.watch(x)\n"
                           "    loss = tf.nn.weighted_cross_entropy_with_logits(tf.constant([0.5], tf.float64), x, 2.0)\n"
                           "print(t.gradient(loss, x))  # expected [-0.25], got [0.5]",
                           checks=("special_reverse", "special_forward") + POINT_SECOND, kind="wrong value",
                           kind_why="q·z·softplus(−x) + (1 − z)·softplus(x) is smooth at x = 0; TensorFlow drops the −l/2 term",
                           related=("https://github.com/pytorch/pytorch/pull/2195",),
                           searched=("weighted_cross_entropy_with_logits gradient wrong at logits zero",),
                           workaround=Workaround('''import tensorflow as tf


def weighted_cross_entropy_with_logits(labels, logits, pos_weight):
    """q·z·softplus(−x) + (1 − z)·softplus(x), written with the smooth softplus instead of |x| and relu(−x)."""
    return pos_weight * labels * tf.math.softplus(-logits) + (1 - labels) * tf.math.softplus(logits)
''', "weighted_cross_entropy_with_logits")),
              second=hvp([[-1.5 + math.log(2)], [-1.375], math.log(2) - 0.25],
                         "L = q·z·sp(−x) + (1 − z)·sp(x): H_zx = −qσ(−x) − σ(x) = −1.5, H_zq = sp(−x) = log 2, "
                         "H_xx = (qz + 1 − z)σ'(x) = 1.5/4, H_xq = −zσ(−x) = −1/4, H_zz = H_qq = 0 at z = 1/2, x = 0, q = 2: "
                         "H·1 = (−1.5 + log 2, −1.5 + 0.375 − 0.25, log 2 − 0.25)")),
        point("logits=-100", [[0.5], [-100.0], 2.0], [[200.0], [-1.0], 50.0],
              "softplus(100) = 100 and σ(100) = 1 in float64: ∂/∂z = (q − 1)·100 + 100; ∂/∂x = −q·z + (1 − z)·σ(−100); ∂/∂q = z·100",
              second=hvp([[98.0], [-2.5], 99.5], "H_zx = −qσ(100) − σ(−100) = −2, H_zq = sp(100) = 100, H_xx = 1.5·σ'(−100) "
                         "= 5.6e-44, H_xq = −zσ(100) = −1/2: H·1 = (−2 + 100, −2 + 5.6e-44 − 0.5, 100 − 0.5)")),
    ]),
    op("tf.nn.log_poisson_loss", lambda targets, log_input, compute_full_loss=False:
       tf.nn.log_poisson_loss(targets, log_input, compute_full_loss=compute_full_loss), [
        Sample((_d("tf.nn.log_poisson_loss", (5,), domain=POS), _d("tf.nn.log_poisson_loss", (5,), salt="c")), label="5"),
        Sample((_d("tf.nn.log_poisson_loss", (2, 3), domain=Domain(0.2, 3.0, "", avoid=(1.0,), margin=0.15), salt="a"),
                _d("tf.nn.log_poisson_loss", (2, 3), salt="ca")), {"compute_full_loss": True}, label="2x3 compute_full_loss"),
    ], diff=(0, 1), domain="targets ≥ 0; with compute_full_loss targets ≠ 1 (the Stirling term jumps there)", points=[
        point("targets=0", [[0.0], [0.5]], [[-0.5], [math.exp(0.5)]], "e^c − z·c: ∂/∂z = −c, ∂/∂c = e^c",
              second=hvp([[-1.0], [math.exp(0.5) - 1.0]], "H_zz = 0, H_zc = −1, H_cc = e^c: H·1 = (−1, e^0.5 − 1)")),
        point("targets=0 full", [[0.0], [0.5]], [[-0.5], [math.exp(0.5)]],
              "the Stirling term is replaced by 0 for 0 ≤ z ≤ 1, so the loss is e^c − z·c there: ∂/∂z = −c, ∂/∂c = e^c",
              compute_full_loss=True,
              second=hvp([[-1.0], [math.exp(0.5) - 1.0]], "the Stirling term is 0 on [0, 1]: H_zz = 0, H_zc = −1, H_cc = e^c",
                         bug=POISSON_AT_ZERO_SECOND),
              bug=POISSON_AT_ZERO),
        point("targets=2 full", [[2.0], [0.5]], [[-0.5 + math.log(2.0) + 0.25], [math.exp(0.5) - 2.0]],
              "e^c − z·c + z·log z − z + ½·log(2πz): ∂/∂z = −c + log z + 1/(2z), ∂/∂c = e^c − z", compute_full_loss=True,
              second=hvp([[-0.625], [math.exp(0.5) - 1.0]], "H_zz = 1/z − 1/(2z²) = 3/8 at z = 2, H_zc = −1, H_cc = e^c: "
                         "H·1 = (3/8 − 1, e^0.5 − 1)"),
              third=hvp([[-0.125], [math.exp(0.5)]], "z·log z makes f_zz = 1/z − 1/(2z²): vᵀHv = f_zz + 2f_zc + f_cc = 1/z − "
                        "1/(2z²) − 2 + e^c for v = (1, 1), whose gradient is (−1/z² + 1/z³, e^c) = (−1/8, e^0.5) at z = 2")),
    ]),
    op("tf.nn.ctc_loss", _ctc, [
        Sample((_d("tf.nn.ctc_loss", (4, 1, 4)), *CTC_LABELS["one"]), label="4 frames batch 1 labels [1,2]"),
        Sample((_d("tf.nn.ctc_loss", (4, 2, 3), salt="b"), *CTC_LABELS["two"]), label="4 frames batch 2 labels [1],[2,1] lengths 4,3"),
    ], domain="logits real; sparse integer labels (blank_index=0) not differentiated", points=[
        point("T=1 one label", [np.zeros((1, 1, 2)), *CTC_LABELS["single"][:3], np.array([1], np.int32)], [[[[0.5, -0.5]]]],
              "one path (emit label 1): loss = −log softmax(z)₁, gradient softmax − onehot = (1/2, −1/2)",
              second=hvp([[[[0.25, -0.25]]]], "H = diag p − ppᵀ = [[1/4, −1/4], [−1/4, 1/4]] (H·1 = 0, so v = e₀)",
                         v=([[[1.0, 0.0]]],))),
        point("T=2 one label", [np.zeros((2, 1, 2)), *CTC_LABELS["single"]], [np.array([[[1 / 6, -1 / 6]], [[1 / 6, -1 / 6]]])],
              "paths (1,1), (1,b), (b,1) each of probability 1/4; ∂(−log P)/∂z_tk = p_tk − occupancy_tk with occupancy of the "
              "label 2/3 at each frame: 1/2 − 1/3, 1/2 − 2/3", bug=CTC_PRECISION_AT_POINT,
              second=hvp([np.array([[[-1 / 36, 1 / 36]], [[-1 / 9, 1 / 9]]])],
                         "with d_t = z_t1 − z_t0 and b_t = σ(−d_t): P = 1 − b₀b₁, L = −log P; at b = 1/2 the Hessian in d is "
                         "[[b₁²s₀²/P², (s₀s₁P + b₀b₁s₀s₁)/P²], ...] = [[1/36, 1/9], [1/9, 1/36]] (s = b(1 − b) = 1/4, P = 3/4); "
                         "v = e(frame 0, label) gives v_d = (1, 0), H_d·v_d = (1/36, 1/9), and ∂/∂z_t1 = ∂/∂d_t = −∂/∂z_t0",
                         v=(np.array([[[0.0, 1.0]], [[0.0, 0.0]]]),))),
    ], bugs=(CTC_PRECISION, CTC_GRAPH, KnownBug("the CTC loss's gradient is the fused op's second output wrapped in prevent_gradient, so every second "
                      "derivative raises LookupError although the loss is smooth in the logits", "unreported", CTC_REPRO,
                      checks=SECOND + POINT_SECOND, modes=("eager",), kind="missing gradient",
                      kind_why="−log P(labels | logits) is smooth in the logits; its second derivatives raise LookupError",
                      searched=("ctc_loss second derivative prevent_gradient LookupError hessian",),
                      no_workaround=CTC_NO_WORKAROUND),)),
    op("tf.nn.compute_average_loss", lambda loss, global_batch_size=None:
       tf.nn.compute_average_loss(loss, global_batch_size=global_batch_size), [
        Sample((_d("tf.nn.compute_average_loss", (4,)),), {"global_batch_size": 8}, label="4 global_batch_size=8"),
        Sample((_d("tf.nn.compute_average_loss", (2, 3), salt="a"),), label="2x3 batch size from the shape"),
    ], domain="all reals (Σ loss / global batch size)", points=[
        point("ones", [np.ones(4)], [np.full(4, 0.125)], "Σ l / 8", global_batch_size=8, second=_linear_second((4,))),
        point("zero-size batch", [np.zeros((0,))], [np.zeros((0,))], "no losses: Σ/8 = 0 for every input", global_batch_size=8,
              second=_linear_second((0,))),
    ]),
    op("tf.nn.compute_average_loss(sample_weight=w)", lambda loss, w, global_batch_size=None:
       tf.nn.compute_average_loss(loss, sample_weight=w, global_batch_size=global_batch_size), [
        Sample((*_d("tf.nn.compute_average_loss(sample_weight=w)", (4,), (4,)),), {"global_batch_size": 8},
               label="4 weights 4 global_batch_size=8"),
        Sample((*_d("tf.nn.compute_average_loss(sample_weight=w)", (2, 3), (2, 1), salt="a"),), label="2x3 weights 2x1"),
    ], diff=(0, 1), domain="all reals (Σ w·loss / global batch size)", points=[
        point("ones", [np.ones(4), np.ones(4)], [np.full(4, 0.125), np.full(4, 0.125)],
              "Σ w·l / 8: ∂/∂l = w/8, ∂/∂w = l/8", global_batch_size=8,
              second=hvp([np.full(4, 0.125), np.full(4, 0.125)], "bilinear: ∂²/∂l_i∂w_i = 1/8, so H·(1, 1) = (1/8, 1/8)")),
    ], bugs=(KnownBug("with sample_weight the float64 loss is computed in float32: losses/util.py's "
                      "scale_losses_by_sample_weight casts losses and weights to float32 (a TODO there says so), so the "
                      "value, its differences and the forward-mode JVP carry float32 rounding (relative errors ~1e-5 in "
                      "the derivatives)", "unreported",
                      "l = tf.constant([0.1, 0.2], tf.float64)\nw = tf.constant([1.0, 1.0], tf.float64)\n"
                      "print(tf.nn.compute_average_loss(l, sample_weight=w, global_batch_size=2).numpy() - 0.15)"
                      "  # expected ~1e-17, got 2.2e-09 (float32 rounding)",
                      checks=("reverse", "forward") + SECOND, kind="precision",
                      kind_why="the float64 loss is computed in float32 (a cast in scale_losses_by_sample_weight)",
                      searched=("compute_average_loss sample_weight float32 cast float64 precision",),
                      workaround=Workaround('''import tensorflow as tf


def compute_average_loss(loss, w, global_batch_size=None):
    """Σ w·loss / global batch size in the loss's own dtype (outside a distribution strategy, one replica)."""
    per_example = loss * w
    n = global_batch_size if global_batch_size is not None else tf.shape(per_example)[0]
    return tf.reduce_sum(per_example) / tf.cast(n, per_example.dtype)
''', "compute_average_loss")),), second_order_sample=0),  # the runner's forward check in tf.function/XLA pairs its one result with sample 0
    unary("tf.nn.scale_regularization_loss", tf.nn.scale_regularization_loss, REAL, [
        point("x=(1,-2)", [[1.0, -2.0]], [[1.0, 1.0]], "the loss divided by the number of replicas, 1 outside a distribution strategy",
              second=_linear_second((2,))),
    ], no_tails="the loss is divided by the number of replicas, a constant (1 here): the derivative is that constant "
                "everywhere, so there is no x where it could underflow or overflow (no float64 tail)"),
]

# ------------------------------------------------------------------------- dispatchers, seeded and sampled ops

NCE_SAMPLED = (np.array([1, 3], np.int64), np.full((2, 1), 0.4), np.full((2,), 0.4))  # candidates, true and sampled expected counts
NCE_LABELS = np.array([[0], [2]], np.int64)


def _sampled(dtype):
    """NCE_SAMPLED as the op wants it: int64 candidates, expected counts in the weights' dtype."""
    return (tf.constant(NCE_SAMPLED[0]), tf.constant(NCE_SAMPLED[1], dtype), tf.constant(NCE_SAMPLED[2], dtype))


SEEDED_SKIP = ("the mask depends on the dtype (the uniform draws are rounded to it), so float32 and float64 are "
               "different functions and their gradients differ by design")

EXTRA = [
    op("tf.nn.atrous_conv2d_transpose", lambda v, f, output_shape, rate=2, padding="SAME":
       tf.nn.atrous_conv2d_transpose(v, f, output_shape, rate, padding), [
        Sample((*_d("tf.nn.atrous_conv2d_transpose", (1, 4, 4, 2), (2, 2, 3, 2)), [1, 4, 4, 3]), label="1x4x4x2 -> 1x4x4x3 rate=2 SAME"),
        Sample((*_d("tf.nn.atrous_conv2d_transpose", (1, 3, 3, 1), (2, 2, 2, 1), salt="v"), [1, 5, 5, 2]), {"padding": "VALID"},
               label="1x3x3x1 -> 1x5x5x2 rate=2 VALID"),
    ], diff=(0, 1), domain="all reals (bilinear)"),
    op("tf.nn.conv_transpose", lambda x, f, output_shape, strides, padding="SAME":
       tf.nn.conv_transpose(x, f, output_shape, strides, padding), [
        Sample((*_d("tf.nn.conv_transpose", (1, 3, 2), (2, 3, 2)), [1, 6, 3], 2), label="1-D 1x3x2 -> 1x6x3 strides=2 SAME"),
        Sample((*_d("tf.nn.conv_transpose", (1, 2, 2, 2), (2, 2, 3, 2), salt="2d"), [1, 3, 3, 3], 1), {"padding": "VALID"},
               label="2-D 1x2x2x2 -> 1x3x3x3 strides=1 VALID"),
    ], diff=(0, 1), domain="all reals (bilinear)"),
    op("tf.nn.avg_pool", tf.nn.avg_pool, [
        _pool_sample("tf.nn.avg_pool", (1, 6, 2), "1-D 1x6x2 k=2 s=2 VALID", 2, 2, "VALID", False),
        _pool_sample("tf.nn.avg_pool", (1, 4, 4, 1), "2-D 1x4x4x1 k=2 s=2 SAME", 2, 2, "SAME", False),
    ], domain="all reals (linear)", points=[
        point("VALID 2x2", [np.ones((1, 2, 2, 1)), 2, 2, "VALID"], [np.full((1, 2, 2, 1), 0.25)], "one window mean of four: 1/4 each",
              second=_linear_second((1, 2, 2, 1))),
    ]),
    op("tf.nn.max_pool", tf.nn.max_pool, [
        _pool_sample("tf.nn.max_pool", (1, 6, 2), "1-D 1x6x2 k=2 s=2 VALID", 2, 2, "VALID", True),
        _pool_sample("tf.nn.max_pool", (1, 4, 4, 1), "2-D 1x4x4x1 k=2 s=2 VALID", 2, 2, "VALID", True),
    ], domain="no ties within a window", points=[
        point("tie", [np.ones((1, 2, 2, 1)), 2, 2, "VALID"], [between(np.zeros((1, 2, 2, 1)), np.ones((1, 2, 2, 1)))], TIE_WHY,
              second=_tie_second(((1, 2, 2, 1),))),
    ], skips={"xla": MAXPOOL_XLA}),
    op("tf.nn.depthwise_conv2d_backprop_input", lambda f, o, input_sizes, strides=(1, 1, 1, 1), padding="SAME":
       tf.nn.depthwise_conv2d_backprop_input(input_sizes, f, o, list(strides), padding), [
        Sample((*_d("tf.nn.depthwise_conv2d_backprop_input", (2, 2, 2, 1), (1, 4, 4, 2)), [1, 4, 4, 2]), label="filter 2x2x2x1, 1x4x4x2 SAME"),
        Sample((*_d("tf.nn.depthwise_conv2d_backprop_input", (2, 2, 1, 2), (1, 2, 2, 2), salt="s"), [1, 4, 4, 1]),
               {"strides": (1, 2, 2, 1), "padding": "VALID"}, label="filter 2x2x1x2, 1x2x2x2 strides=2 VALID"),
    ], diff=(0, 1), domain="all reals (bilinear in filter and out_backprop)"),
    op("tf.nn.depthwise_conv2d_backprop_filter", lambda x, o, filter_sizes, strides=(1, 1, 1, 1), padding="SAME":
       tf.nn.depthwise_conv2d_backprop_filter(x, filter_sizes, o, list(strides), padding), [
        Sample((*_d("tf.nn.depthwise_conv2d_backprop_filter", (1, 4, 4, 2), (1, 4, 4, 2)), [2, 2, 2, 1]), label="1x4x4x2, filter 2x2x2x1 SAME"),
        Sample((*_d("tf.nn.depthwise_conv2d_backprop_filter", (1, 4, 4, 1), (1, 2, 2, 2), salt="s"), [2, 2, 1, 2]),
               {"strides": (1, 2, 2, 1), "padding": "VALID"}, label="1x4x4x1, filter 2x2x1x2 strides=2 VALID"),
    ], diff=(0, 1), domain="all reals (bilinear in input and out_backprop)"),
    op("tf.nn.experimental.stateless_dropout", lambda x, rate, seed: tf.nn.experimental.stateless_dropout(x, rate, seed), [
        Sample((_d("tf.nn.experimental.stateless_dropout", (6,)), 0.5, [1, 2]), label="6 rate=0.5 seed=(1,2)"),
        Sample((_d("tf.nn.experimental.stateless_dropout", (2, 3), salt="b"), 0.25, [3, 4]), label="2x3 rate=0.25 seed=(3,4)"),
    ], domain="all reals (x·mask/(1 − rate), the mask fixed by the seed)",
       skips={"float32": SEEDED_SKIP, "xla": "XLA draws another mask for the same seed (its own stateless RNG algorithm: "
                                             "[2, 2, 0, 2, 2, 2] eagerly, [0, 0, 2, 0, 0, 2] compiled, for six ones at seed (1, 2)), so "
                                             "the compiled gradient belongs to another function than the eager forward value"}),
    op("tf.nn.nce_loss", lambda w, b, x, num_true=1: tf.nn.nce_loss(w, b, NCE_LABELS, x, 2, 5, num_true=num_true,
                                                                   sampled_values=_sampled(w.dtype)), [
        Sample(tuple(_d("tf.nn.nce_loss", (5, 3), (5,), (2, 3))), label="5 classes dim 3, batch 2, sampled [1, 3]"),
    ], diff=(0, 1, 2), domain="weights, biases, inputs real (sampled_values given: a deterministic function)"),
    op("tf.nn.sampled_softmax_loss", lambda w, b, x, remove_accidental_hits=True:
       tf.nn.sampled_softmax_loss(w, b, NCE_LABELS, x, 2, 5, sampled_values=_sampled(w.dtype),
                                  remove_accidental_hits=remove_accidental_hits), [
        Sample(tuple(_d("tf.nn.sampled_softmax_loss", (5, 3), (5,), (2, 3))), label="5 classes dim 3, batch 2, sampled [1, 3]"),
        Sample(tuple(_d("tf.nn.sampled_softmax_loss", (5, 3), (5,), (2, 3), salt="k")), {"remove_accidental_hits": False},
               label="remove_accidental_hits=False"),
    ], diff=(0, 1, 2), domain="weights, biases, inputs real (sampled_values given: a deterministic function)"),
]

OPS = ACTIVATIONS + NORMALISATION + CONVOLUTION + MORPHOLOGY + POOLING + LOSSES + EXTRA
