"""Reductions and cumulative ops: tf.math.reduce_*, tf.norm, cumsum / cumprod / cumulative_logsumexp, moments.

Samples cover axis=None, a single axis, a negative axis, several axes and keepdims; special points are
the structural corners of reductions: zeros inside products and cumulative products, ties of max/min
(TensorFlow's documented equal split), -inf and equal entries of logsumexp, zero variance, the zero
vector of norms (a kink: any subgradient of norm ≤ 1), size-1 and zero-size reduction axes.
"""
import numpy as np
import tensorflow as tf

from spec.atlas.records import (REAL, REAL_NONZERO, Domain, KnownBug, Sample, between, distinct, draw, op,
                                point)

FAMILY = "reductions and cumulative ops: tf.math.reduce_*, tf.norm, cumsum/cumprod/cumulative_logsumexp, moments"

INF = np.inf
MAX_MIN_TIES = ("convention (documented in tensorflow/python/ops/math_grad.py, _MinOrMaxGrad: \"If there are "
                "multiple minimum or maximum elements then the gradient will be divided between them\")")
ALL_CHECKS = ("reverse", "forward", "reverse_over_reverse", "forward_over_reverse", "reverse_over_forward",
              "forward_over_forward", "special_reverse", "special_forward", "float32", "gpu")
# values in [0.5, 1.5]: products of up to 12 of them stay of order 1, and no factor is near 0
AWAY_FROM_ZERO = Domain(0.5, 1.5, "x ≠ 0 (samples in [0.5, 1.5])")
POSITIVE_WEIGHTS = Domain(0.5, 2.0, "w > 0")


def _one(name: str, shape, domain=REAL, salt: str = "") -> np.ndarray:
    return draw(name, shape, domain=domain, salt=salt + str(shape))[0]


def reduction_samples(name: str, domain: Domain = REAL, ties_free: bool = False) -> list[Sample]:
    """axis=None, axis=0, axis=1 with keepdims, and the multiple/negative axes [0, -1]."""
    def x(shape, salt):
        return distinct(name, shape, salt=salt) if ties_free else _one(name, shape, domain, salt)

    return [
        Sample((x((2, 3), "a"),), dict(axis=None), "2x3, axis=None"),
        Sample((x((3, 2), "b"),), dict(axis=0), "3x2, axis=0"),
        Sample((x((2, 4), "c"),), dict(axis=1, keepdims=True), "2x4, axis=1, keepdims=True"),
        Sample((x((2, 3, 2), "d"),), dict(axis=[0, -1]), "2x3x2, axis=[0, -1]"),
    ]


def cumulative_samples(name: str, domain: Domain = REAL) -> list[Sample]:
    """Each of exclusive and reverse, alone and together, along axis 0, 1 and -1."""
    return [
        Sample((_one(name, (5,), domain, "a"),), dict(axis=0), "5, axis=0"),
        Sample((_one(name, (2, 3), domain, "b"),), dict(axis=1, exclusive=True), "2x3, axis=1, exclusive"),
        Sample((_one(name, (3, 2), domain, "c"),), dict(axis=0, reverse=True), "3x2, axis=0, reverse"),
        Sample((_one(name, (2, 4), domain, "d"),), dict(axis=-1, exclusive=True, reverse=True),
               "2x4, axis=-1, exclusive and reverse"),
    ]


def cumprod_grad(x, exclusive=False, reverse=False) -> np.ndarray:
    """∂/∂x_i Σ_j y_j for y = cumprod(x) of a vector: Σ over the outputs j that contain x_i of the product of
    their other factors, multiplied out term by term (no division, so zeros are exact)."""
    x = np.asarray(x, np.float64)
    n = len(x)
    factors = []  # factors[j] = indices whose product is y_j
    for j in range(n):
        if reverse:
            factors.append(range(j + 1 if exclusive else j, n))
        else:
            factors.append(range(0, j if exclusive else j + 1))
    grad = np.zeros(n)
    for i in range(n):
        grad[i] = sum(np.prod([x[k] for k in f if k != i]) for f in factors if i in f)
    return grad


def cumulative_logsumexp_grad(x, exclusive=False) -> np.ndarray:
    """∂/∂x_i Σ_j log Σ_{k ≤ j} e^{x_k} = Σ_{j ≥ i} e^{x_i} / S_j (strict k < j and j > i when exclusive);
    an exclusive y_0 = log 0 = -inf is a constant and contributes nothing."""
    x = np.asarray(x, np.float64)
    shift = np.max(x)
    e = np.exp(x - shift)
    n = len(x)
    grad = np.zeros(n)
    for j in range(n):
        members = range(j) if exclusive else range(j + 1)
        total = sum(e[k] for k in members)
        for k in members:
            grad[k] += e[k] / total
    return grad


def _cumulative_logsumexp(x, axis=0, exclusive=False, reverse=False, drop_log0=True):
    """tf.math.cumulative_logsumexp; with exclusive=True its first output (last, with reverse) is the empty
    log-sum log 0 = -inf for every x, a constant that the samples' differences cannot handle: dropped
    there (drop_log0) and kept at the special points."""
    y = tf.math.cumulative_logsumexp(x, axis=axis, exclusive=exclusive, reverse=reverse)
    if exclusive and drop_log0:
        n = x.shape[axis]
        y = tf.gather(y, list(range(n - 1)) if reverse else list(range(1, n)), axis=axis)
    return y


def _euclid(name):
    return KnownBug(
        f"{name}'s gradient x/‖x‖ is 0/0 = NaN at the zero vector (a subgradient such as 0 exists), and inf/NaN "
        "where ‖x‖² underflows to 0",
        "https://github.com/tensorflow/tensorflow/issues/12071",
        f"x = tf.zeros([3], tf.float64)\nwith tf.GradientTape() as t:\n    t.watch(x)\n    y = {name}(x)\n"
        "print(t.gradient(y, x))  # expected a subgradient with norm <= 1 (e.g. [0, 0, 0]), got [nan nan nan]")


def _underflow(name):
    return KnownBug(
        f"{name}(x) for x = [1e-200, 0] squares 1e-200 to 0 in float64, returns 0 and then divides by it: the "
        "gradient is [inf, nan] instead of x/‖x‖ = [1, 0]",
        "https://github.com/tensorflow/tensorflow/issues/12071",
        f"x = tf.constant([1e-200, 0.0], tf.float64)\nwith tf.GradientTape() as t:\n    t.watch(x)\n"
        f"    y = {name}(x)\nprint(t.gradient(y, x))  # expected [1, 0], got [inf nan]")


CUMPROD_ZERO = KnownBug(
    "Cumprod's gradient is div_no_nan(cumsum(cumprod(x)·g, reverse), x): at x_i = 0 it returns 0 instead of the "
    "sum of the products of the other factors",
    "https://github.com/tensorflow/tensorflow/issues/119430",
    "x = tf.constant([2.0, 0.0, 3.0, 4.0], tf.float64)\nwith tf.GradientTape() as t:\n    t.watch(x)\n"
    "    y = tf.reduce_sum(tf.math.cumprod(x))\nprint(t.gradient(y, x))  # expected [1, 32, 0, 0], got [1 0 0 0]")

STD_CONSTANT = KnownBug(
    "reduce_std = sqrt(reduce_variance): at equal entries the chain rule gives 0·(1/(2·sqrt(0))) = 0·inf = NaN "
    "where 0 (the centre of the subdifferential) is a valid subgradient",
    "unreported",
    "x = tf.constant([1.5, 1.5, 1.5, 1.5], tf.float64)\nwith tf.GradientTape() as t:\n    t.watch(x)\n"
    "    y = tf.math.reduce_std(x)\nprint(t.gradient(y, x))  # expected a subgradient (e.g. zeros), got [nan nan nan nan]")

STD_SIZE_ONE = KnownBug(
    "reduce_std over an axis of size 1 is identically 0, so its derivative is 0; TensorFlow gives 0·inf = NaN",
    "https://github.com/tensorflow/tensorflow/issues/56830",
    "x = tf.constant([[-0.5], [2.0]], tf.float64)\nwith tf.GradientTape() as t:\n    t.watch(x)\n"
    "    y = tf.math.reduce_std(x, axis=1)\nprint(t.gradient(y, x))  # expected [[0], [0]], got [[nan], [nan]]")

GLOBAL_NORM_ZERO = KnownBug(
    "global_norm = sqrt(2·Σ l2_loss): at all-zero tensors the chain rule gives 0·inf = NaN where a subgradient "
    "of norm ≤ 1 (e.g. 0) exists",
    "unreported",
    "a, b = tf.zeros([2], tf.float64), tf.zeros([2], tf.float64)\nwith tf.GradientTape() as t:\n"
    "    t.watch([a, b])\n    y = tf.linalg.global_norm([a, b])\nprint(t.gradient(y, [a, b]))  "
    "# expected subgradients with norm <= 1 (e.g. zeros), got [nan nan] for both")

SPARSE_SUM_SPARSE = KnownBug(
    "tf.sparse.reduce_sum(..., output_is_sparse=True) runs SparseReduceSumSparse, which has no gradient "
    "registered (LookupError), although its output values are sums of the input values (linear)",
    "unreported",
    "v = tf.constant([1.0, 2.0, 3.0], tf.float64)\nwith tf.GradientTape() as t:\n    t.watch(v)\n"
    "    sp = tf.SparseTensor([[0, 0], [0, 1], [1, 1]], v, [2, 2])\n"
    "    y = tf.sparse.reduce_sum(sp, axis=1, output_is_sparse=True).values\n"
    "print(t.gradient(y, v))  # expected [1, 1, 1], got LookupError: gradient registry has no entry for: SparseReduceSumSparse",
    checks=ALL_CHECKS)

LOGCUMSUMEXP_SECOND_ORDER = KnownBug(
    "CumulativeLogsumexp's backward function takes log of the upstream gradient inside where(g > 0, log g, min): "
    "differentiating it again (reverse over forward; forward over reverse with exclusive=True, whose log 0 = -inf "
    "output enters it) multiplies an unselected inf by 0 and returns NaN",
    "https://github.com/tensorflow/tensorflow/issues/127243",
    "x = tf.constant([0.5, -1.0, 2.0], tf.float64)\nwith tf.GradientTape() as t:\n    t.watch(x)\n"
    "    with tf.autodiff.ForwardAccumulator(x, tf.ones_like(x)) as acc:\n"
    "        y = tf.reduce_sum(tf.math.cumulative_logsumexp(x))\n    jvp = acc.jvp(y)  # = 3 for every x\n"
    "print(t.gradient(jvp, x))  # expected [0, 0, 0], got [nan nan nan]",
    checks=("reverse_over_forward", "forward_over_reverse"))

LOGCUMSUMEXP_FORWARD_LOG0 = KnownBug(
    "with exclusive=True the first output is log 0 = -inf for every x, a constant with tangent 0; ForwardAccumulator "
    "(which transposes the backward function) gives it the tangent NaN",
    "unreported",
    "x = tf.constant([0.0, 0.0, 0.0], tf.float64)\n"
    "with tf.autodiff.ForwardAccumulator(x, tf.constant([1.0, 0.0, 0.0], tf.float64)) as acc:\n"
    "    y = tf.math.cumulative_logsumexp(x, exclusive=True)\nprint(acc.jvp(y))  # expected [0, 1, 0.5], got [nan 1 0.5]",
    checks=("special_forward",))

MOMENTS_SECOND_ORDER = KnownBug(
    "tf.nn.moments computes the variance as mean((x − stop_gradient(mean))²): right to first order (Σ(x − mean) = 0) "
    "but the Hessian of the variance loses its −2/n² coupling term (2/n·I instead of 2/n·(I − 11ᵀ/n))",
    "unreported",
    "x = tf.constant([0.5, -1.0, 2.0], tf.float64)\nwith tf.GradientTape() as t2:\n    t2.watch(x)\n"
    "    with tf.GradientTape() as t:\n        t.watch(x)\n        _, v = tf.nn.moments(x, axes=[0])\n"
    "    g = t.gradient(v, x)\nprint(t2.jacobian(g, x))  # expected 2/3·(I − 1/3) (diagonal 4/9, off-diagonal -2/9), got 2/3·I",
    checks=("reverse_over_reverse", "forward_over_reverse", "reverse_over_forward", "forward_over_forward"))

# a std over equal entries: std(x) = ‖x − mean‖/√n is convex with subdifferential {P g/√n : ‖g‖ ≤ 1} (P the
# centring projection); |(P g)_i| ≤ ‖P e_i‖ = sqrt(1 − 1/n), so each entry lies in ±sqrt(n − 1)/n
STD_BOUND_4 = np.sqrt(3.0) / 4.0

SPARSE_INDICES = np.array([[0, 0], [0, 2], [1, 1], [2, 0], [2, 1]], np.int64)
SPARSE_SHAPE = [3, 3]


def _sparse_reduce_sum(values, indices=SPARSE_INDICES, dense_shape=SPARSE_SHAPE, **kwargs):
    """tf.sparse.reduce_sum of the SparseTensor with these values (the differentiable argument)."""
    return tf.sparse.reduce_sum(tf.SparseTensor(indices, values, dense_shape), **kwargs)


def _sparse_reduce_sum_sparse(values, indices=SPARSE_INDICES, dense_shape=SPARSE_SHAPE, **kwargs):
    """The sparse result's values (the float part of the returned SparseTensor)."""
    return tf.sparse.reduce_sum(tf.SparseTensor(indices, values, dense_shape), output_is_sparse=True, **kwargs).values


def _global_norm(a, b):
    return tf.linalg.global_norm([a, b])


def _weighted_moments(x, frequency_weights, axes, keepdims=False):
    return tf.nn.weighted_moments(x, axes, frequency_weights, keepdims=keepdims)


def _sufficient_statistics(x, shift, axes, keepdims=False):
    return tf.nn.sufficient_statistics(x, axes, shift, keepdims=keepdims)


def _normalize_moments(counts, mean_ss, variance_ss, shift=None):
    return tf.nn.normalize_moments(counts, mean_ss, variance_ss, shift)


OPS = [
    op("tf.math.reduce_sum", tf.math.reduce_sum, reduction_samples("tf.math.reduce_sum"), points=[
        point("size-1 axis: 1x3, axis=0", [np.array([[0.5, -1.0, 2.0]])], [np.ones((1, 3))],
              "a sum over one element is that element: derivative 1", axis=0),
        point("empty axis: 0x3, axis=0", [np.zeros((0, 3))], [np.zeros((0, 3))],
              "the sum over an empty axis is the constant 0 vector: the gradient is an empty (0, 3) array", axis=0),
    ]),
    op("tf.math.reduce_mean", tf.math.reduce_mean, reduction_samples("tf.math.reduce_mean"), points=[
        point("size-1 axis: 1x3, axis=0", [np.array([[0.5, -1.0, 2.0]])], [np.ones((1, 3))],
              "the mean of one element is that element: derivative 1", axis=0),
        point("empty axis: 0x3, axis=0", [np.zeros((0, 3))], [np.zeros((0, 3))],
              "the mean over an empty axis (0/0) depends on no input: the gradient is an empty (0, 3) array", axis=0),
    ]),
    op("tf.math.reduce_prod", tf.math.reduce_prod, reduction_samples("tf.math.reduce_prod", AWAY_FROM_ZERO),
       domain="all reals", points=[
        point("one zero: [2, 0, 3, 4]", [[2.0, 0.0, 3.0, 4.0]], [[0.0, 24.0, 0.0, 0.0]],
              "∂/∂x_i Π x = Π_{k≠i} x_k: with one zero only the zero's slot is nonzero (2·3·4 = 24)"),
        point("two zeros: [0, 2, 0, 3]", [[0.0, 2.0, 0.0, 3.0]], [[0.0, 0.0, 0.0, 0.0]],
              "Π_{k≠i} x_k always contains a zero when two entries are 0: the gradient is 0"),
        point("zero along axis 0: [[2, 0], [3, 4]]", [[[2.0, 0.0], [3.0, 4.0]]], [[[3.0, 4.0], [2.0, 0.0]]],
              "column products x00·x10 and x01·x11: each entry's derivative is its column partner", axis=0),
        point("empty axis: 0x3, axis=0", [np.zeros((0, 3))], [np.zeros((0, 3))],
              "the empty product is the constant 1: the gradient is an empty (0, 3) array", axis=0),
    ]),
    op("tf.math.reduce_max", tf.math.reduce_max, reduction_samples("tf.math.reduce_max", ties_free=True),
       domain="all reals (samples without ties)", points=[
        point("tie of two: [1, 3, 3]", [[1.0, 3.0, 3.0]], [[0.0, 0.5, 0.5]], f"tied maxima share the gradient: {MAX_MIN_TIES}"),
        point("all equal: [2, 2, 2, 2]", [[2.0] * 4], [[0.25] * 4], f"four tied maxima get 1/4 each: {MAX_MIN_TIES}"),
        point("tie along axis 1, keepdims: [[1, 5], [4, 4]]", [[[1.0, 5.0], [4.0, 4.0]]], [[[0.0, 1.0], [0.5, 0.5]]],
              f"row 0 has a unique maximum (derivative 1), row 1 a tie split in halves: {MAX_MIN_TIES}", axis=1, keepdims=True),
        point("size-1 axis: 3x1, axis=1", [[[0.5], [-1.0], [2.0]]], [[[1.0], [1.0], [1.0]]],
              "the max of one element is that element: derivative 1", axis=1),
    ]),
    op("tf.math.reduce_min", tf.math.reduce_min, reduction_samples("tf.math.reduce_min", ties_free=True),
       domain="all reals (samples without ties)", points=[
        point("tie of two: [3, 1, 1]", [[3.0, 1.0, 1.0]], [[0.0, 0.5, 0.5]], f"tied minima share the gradient: {MAX_MIN_TIES}"),
        point("all equal: [-2, -2, -2]", [[-2.0] * 3], [[1 / 3] * 3], f"three tied minima get 1/3 each: {MAX_MIN_TIES}"),
        point("size-1 axis: 1x3, axis=0", [[[0.5, -1.0, 2.0]]], [np.ones((1, 3))],
              "the min of one element is that element: derivative 1", axis=0),
    ]),
    op("tf.math.reduce_logsumexp", tf.math.reduce_logsumexp, reduction_samples("tf.math.reduce_logsumexp"), points=[
        point("-inf entry: [0, -inf, 0]", [[0.0, -INF, 0.0]], [[0.5, 0.0, 0.5]],
              "∂/∂x_i = softmax(x)_i = e^{x_i}/Σe^{x_k}: e^{-inf} = 0, the two zeros share 1/2 each"),
        point("all equal: [1, 1, 1, 1]", [[1.0] * 4], [[0.25] * 4], "softmax of equal entries is 1/n each"),
        point("large: [1000, 1000]", [[1000.0, 1000.0]], [[0.5, 0.5]],
              "softmax is shift-invariant: 1/2 each, though e^1000 overflows float64"),
        point("size-1 axis: 2x1, axis=1", [[[-3.0], [5.0]]], [[[1.0], [1.0]]],
              "log(e^x) = x over one element: derivative 1", axis=1),
    ]),
    op("tf.math.reduce_std", tf.math.reduce_std, reduction_samples("tf.math.reduce_std"),
       domain="all reals; not differentiable where the reduced entries are all equal", points=[
        point("all equal: [1.5, 1.5, 1.5, 1.5]", [[1.5] * 4], [between([-STD_BOUND_4] * 4, [STD_BOUND_4] * 4)],
              "std = ‖x − mean‖/√n is convex with a kink at equal entries; any subgradient P g/√n, ‖g‖ ≤ 1, has "
              "entries within ±sqrt(n − 1)/n = ±0.433 for n = 4", bug=STD_CONSTANT),
        point("size-1 axis: 2x1, axis=1", [[[-0.5], [2.0]]], [[[0.0], [0.0]]],
              "the std of one element is identically 0: derivative 0", bug=STD_SIZE_ONE, axis=1),
    ]),
    op("tf.math.reduce_variance", tf.math.reduce_variance, reduction_samples("tf.math.reduce_variance"), points=[
        point("all equal: [1.5, 1.5, 1.5, 1.5]", [[1.5] * 4], [[0.0] * 4],
              "∂/∂x_i mean((x − mean)²) = 2(x_i − mean)/n = 0 at equal entries"),
        point("size-1 axis: 2x1, axis=1", [[[-0.5], [2.0]]], [[[0.0], [0.0]]],
              "the variance of one element is identically 0: derivative 0", axis=1),
    ]),
    op("tf.math.reduce_euclidean_norm", tf.math.reduce_euclidean_norm,
       reduction_samples("tf.math.reduce_euclidean_norm"),
       domain="all reals; not differentiable at the zero vector",
       skips={"xla": "XLA cannot compile EuclideanNorm (no XLA kernel; tf.norm avoids the op for that reason)"}, points=[
        point("zero vector", [[0.0, 0.0, 0.0]], [between([-1.0] * 3, [1.0] * 3)],
              "‖x‖ is convex with a kink at 0: its subdifferential is the unit ball, so each entry lies in [-1, 1]",
              bug=_euclid("tf.math.reduce_euclidean_norm")),
        point("underflow: [1e-200, 0]", [[1e-200, 0.0]], [[1.0, 0.0]],
              "x/‖x‖ = [1, 0] exactly (‖x‖ = 1e-200 is representable; only its square underflows)",
              bug=_underflow("tf.math.reduce_euclidean_norm")),
        point("one nonzero: [0, -3, 0]", [[0.0, -3.0, 0.0]], [[0.0, -1.0, 0.0]], "x/‖x‖ = [0, -1, 0]"),
        point("size-1 axis: 2x1, axis=1", [[[-2.0], [0.5]]], [[[-1.0], [1.0]]],
              "over one element the norm is |x|: derivative sign(x)", axis=1),
    ]),
    op("tf.norm", tf.norm, [
        Sample((_one("tf.norm", (5,), salt="a"),), dict(ord="euclidean"), "5, ord='euclidean'"),
        Sample((_one("tf.norm", (2, 4), REAL_NONZERO, "b"),), dict(ord=1, axis=1), "2x4, ord=1, axis=1"),
        Sample((distinct("tf.norm", (2, 3), salt="c"),), dict(ord=np.inf, axis=-1, keepdims=True),
               "2x3, ord=inf, axis=-1, keepdims"),
        Sample((_one("tf.norm", (2, 2, 3), salt="e"),), dict(ord="fro", axis=(-2, -1)), "2x2x3, ord='fro', axis=(-2, -1)"),
        Sample((_one("tf.norm", (3, 3), REAL_NONZERO, "f"),), dict(ord=1, axis=(0, 1)),
               "3x3, ord=1, axis=(0, 1) (max column sum)"),
        Sample((_one("tf.norm", (3, 3), REAL_NONZERO, "g"),), dict(ord=np.inf, axis=(0, 1)),
               "3x3, ord=inf, axis=(0, 1) (max row sum)"),
    ], domain="all reals; ord 1/inf have kinks at zero entries and ties, ord 2 at the zero vector", points=[
        point("ord='euclidean' at the zero vector", [[0.0, 0.0, 0.0]], [between([-1.0] * 3, [1.0] * 3)],
              "‖x‖₂ is convex with the unit ball as subdifferential at 0: each entry in [-1, 1]",
              bug=_euclid("tf.norm")),
        point("ord='euclidean' underflow: [1e-200, 0]", [[1e-200, 0.0]], [[1.0, 0.0]],
              "x/‖x‖ = [1, 0] exactly (only the square underflows)", bug=_underflow("tf.norm")),
        point("ord='fro' at the zero matrix", [np.zeros((2, 2))], [between(-np.ones((2, 2)), np.ones((2, 2)))],
              "the Frobenius norm is the 2-norm of the entries: subgradients at 0 fill the unit ball",
              bug=_euclid("tf.norm"), ord="fro", axis=(0, 1)),
        point("ord=1 at the zero vector", [[0.0, 0.0, 0.0]], [between([-1.0] * 3, [1.0] * 3)],
              "Σ|x_i| has subdifferential [-1, 1] per entry at 0", ord=1),
        point("ord=inf tie: [3, -3, 1]", [[3.0, -3.0, 1.0]], [between([0.0, -1.0, 0.0], [1.0, 0.0, 0.0])],
              "max|x_i| tied between x_0 = 3 and x_1 = -3: subgradients are convex combinations of e_0 and -e_1",
              ord=np.inf),
    ]),
    op("tf.norm(ord=2, axis=(-2, -1))", tf.norm, [
        Sample((_one("tf.norm(ord=2)", (3, 2)),), dict(ord=2, axis=(0, 1)), "3x2, ord=2, axis=(0, 1)"),
        Sample((_one("tf.norm(ord=2)", (2, 2, 3), salt="b"),), dict(ord=2, axis=(-2, -1)), "2x2x3, ord=2, axis=(-2, -1)"),
    ], domain="all reals; not differentiable where the largest singular value is repeated (or 0)",
       skips={"xla": "XLA cannot compile the spectral branch of tf.norm: its ListDiff of the axes (from map_fn) is not "
                     "a compile-time constant"}, points=[
        point("diag(3, 1)", [np.diag([3.0, 1.0])], [[[1.0, 0.0], [0.0, 0.0]]],
              "∂σ_max/∂A = u₁v₁ᵀ for a simple largest singular value: e₁e₁ᵀ", ord=2, axis=(0, 1)),
        point("diag(-3, 1)", [np.diag([-3.0, 1.0])], [[[-1.0, 0.0], [0.0, 0.0]]],
              "u₁ = −e₁, v₁ = e₁: u₁v₁ᵀ = −e₁e₁ᵀ", ord=2, axis=(0, 1)),
        point("identity: tied singular values", [np.eye(2)], [between([[0.0, -0.5], [-0.5, 0.0]], [[1.0, 0.5], [0.5, 1.0]])],
              "∂σ_max(I) = {S ⪰ 0, tr S = 1}: diagonal entries in [0, 1], off-diagonal within ±1/2", ord=2, axis=(0, 1)),
        point("zero matrix", [np.zeros((2, 2))], [between(-np.ones((2, 2)), np.ones((2, 2)))],
              "the subdifferential of the spectral norm at 0 is the nuclear-norm unit ball: entries in [-1, 1]",
              ord=2, axis=(0, 1)),
    ]),
    op("tf.math.cumsum", tf.math.cumsum, cumulative_samples("tf.math.cumsum"), points=[
        point("exclusive: 4", [[0.5, -1.0, 2.0, 0.25]], [[3.0, 2.0, 1.0, 0.0]],
              "Σ_j Σ_{k<j} x_k: x_i appears in the n − 1 − i later outputs", exclusive=True),
        point("reverse and exclusive: 4", [[0.5, -1.0, 2.0, 0.25]], [[0.0, 1.0, 2.0, 3.0]],
              "Σ_j Σ_{k>j} x_k: x_i appears in the i earlier outputs", exclusive=True, reverse=True),
        point("size-1 axis, exclusive", [[1.5]], [[0.0]], "the exclusive cumsum of one element is the empty sum 0",
              exclusive=True),
        point("empty axis", [np.zeros((0,))], [np.zeros((0,))], "an empty input has an empty gradient"),
    ]),
    op("tf.math.cumprod", tf.math.cumprod, cumulative_samples("tf.math.cumprod", AWAY_FROM_ZERO),
       domain="all reals", points=[
        point("zero inside: [2, 0, 3, 4]", [[2.0, 0.0, 3.0, 4.0]], [cumprod_grad([2, 0, 3, 4])],
              "∂/∂x_i Σ_j Π_{k≤j} x_k = Σ_{j≥i} Π_{k≤j, k≠i} x_k: x_1 gets 2 + 2·3 + 2·3·4 = 32", bug=CUMPROD_ZERO),
        point("two zeros: [2, 0, 3, 0]", [[2.0, 0.0, 3.0, 0.0]], [cumprod_grad([2, 0, 3, 0])],
              "the same sum of products of the other factors: [1, 2 + 6, 0, 0]", bug=CUMPROD_ZERO),
        point("zero first: [0, 2, 3]", [[0.0, 2.0, 3.0]], [cumprod_grad([0, 2, 3])],
              "x_0 gets 1 + 2 + 2·3 = 9, the others 0", bug=CUMPROD_ZERO),
        point("exclusive, zero inside: [2, 0, 3, 4]", [[2.0, 0.0, 3.0, 4.0]], [cumprod_grad([2, 0, 3, 4], exclusive=True)],
              "y = [1, x0, x0x1, x0x1x2]: x_1 gets x0 + x0x2 = 8", bug=CUMPROD_ZERO, exclusive=True),
        point("reverse, zero inside: [2, 3, 0, 4]", [[2.0, 3.0, 0.0, 4.0]], [cumprod_grad([2, 3, 0, 4], reverse=True)],
              "y_j = Π_{k≥j} x_k: x_2 gets x3 + x1x3 + x0x1x3 = 4 + 12 + 24 = 40", bug=CUMPROD_ZERO, reverse=True),
    ]),
    op("tf.math.cumulative_logsumexp", _cumulative_logsumexp, cumulative_samples("tf.math.cumulative_logsumexp"),
       points=[
        point("all equal: [0, 0, 0, 0]", [[0.0] * 4], [cumulative_logsumexp_grad([0, 0, 0, 0])],
              "∂/∂x_i Σ_j log S_j = Σ_{j≥i} e^{x_i}/S_j with S_j = j + 1: [25/12, 13/12, 7/12, 1/4]"),
        point("-inf entry: [0, -inf, 0, 0]", [[0.0, -INF, 0.0, 0.0]], [cumulative_logsumexp_grad([0, -INF, 0, 0])],
              "e^{-inf} = 0: x_1 gets 0 and S = [1, 1, 2, 3]"),
        point("large: [1000, 1000, 1000]", [[1000.0] * 3], [cumulative_logsumexp_grad([0, 0, 0])],
              "shift-invariant: the same weights as at [0, 0, 0], though e^1000 overflows"),
        point("exclusive, keeping log 0 = -inf: [0, 0, 0, 0]", [[0.0] * 4],
              [cumulative_logsumexp_grad([0, 0, 0, 0], exclusive=True)],
              "y_0 = log 0 is constant; x_i gets Σ_{j>i} 1/j: [11/6, 5/6, 1/3, 0]", bug=LOGCUMSUMEXP_FORWARD_LOG0,
              exclusive=True, drop_log0=False),
    ], bugs=(LOGCUMSUMEXP_SECOND_ORDER,)),
    op("tf.sparse.reduce_sum", _sparse_reduce_sum, [
        Sample((_one("tf.sparse.reduce_sum", (5,), salt="a"),), dict(axis=None), "3x3 with 5 values, axis=None"),
        Sample((_one("tf.sparse.reduce_sum", (5,), salt="b"),), dict(axis=0), "axis=0"),
        Sample((_one("tf.sparse.reduce_sum", (5,), salt="c"),), dict(axis=-1, keepdims=True), "axis=-1, keepdims"),
    ], domain="all reals (the SparseTensor's values)",
       skips={"xla": "XLA cannot compile SparseReduceSum (no XLA kernel)"}, points=[
        point("row without values: axis=1", [[1.0, -2.0, 0.5]], [[1.0, 1.0, 1.0]],
              "row 1 stores nothing, its sum is the constant 0; every stored value enters one row sum once",
              indices=np.array([[0, 0], [0, 2], [2, 1]], np.int64), axis=1),
        point("no stored values", [np.zeros((0,))], [np.zeros((0,))], "no values: an empty gradient",
              indices=np.zeros((0, 2), np.int64), axis=0),
    ]),
    op("tf.sparse.reduce_sum(output_is_sparse=True)", _sparse_reduce_sum_sparse, [
        Sample((_one("tf.sparse.reduce_sum(output_is_sparse=True)", (5,)),), dict(axis=1), "3x3 with 5 values, axis=1"),
    ], domain="all reals (the SparseTensor's values)", bugs=(SPARSE_SUM_SPARSE,),
       skips={"xla": "XLA cannot compile SparseReduceSumSparse (no XLA kernel)"}, points=[
        point("axis=1", [[1.0, -2.0, 0.5, 3.0, 0.25]], [[1.0] * 5], "each value enters one row sum once",
              bug=SPARSE_SUM_SPARSE, axis=1),
    ]),
    op("tf.nn.l2_loss", tf.nn.l2_loss, [
        Sample((_one("tf.nn.l2_loss", (5,)),), label="5"),
        Sample((_one("tf.nn.l2_loss", (2, 3)),), label="2x3"),
    ], points=[
        point("zeros", [[0.0, 0.0]], [[0.0, 0.0]], "∂/∂x Σx²/2 = x = 0"),
        point("empty", [np.zeros((0,))], [np.zeros((0,))], "an empty input has an empty gradient"),
    ]),
    op("tf.linalg.global_norm", _global_norm, [
        Sample(tuple(draw("tf.linalg.global_norm", (3,), (2, 2))), label="a list of a 3-vector and a 2x2 matrix"),
        Sample(tuple(draw("tf.linalg.global_norm", (), (4,), salt="b")), label="a list of a scalar and a 4-vector"),
    ], diff=(0, 1), domain="all reals; not differentiable where every tensor is 0", points=[
        point("all zero", [[0.0, 0.0], [0.0, 0.0]], [between([-1.0] * 2, [1.0] * 2), between([-1.0] * 2, [1.0] * 2)],
              "sqrt(Σ‖t‖²) is the 2-norm of all entries: at 0 its subdifferential is the unit ball, each entry in [-1, 1]",
              bug=GLOBAL_NORM_ZERO),
        point("one tensor zero: [3, 4] and [0, 0]", [[3.0, 4.0], [0.0, 0.0]], [[0.6, 0.8], [0.0, 0.0]],
              "x/‖x‖ over all entries, ‖x‖ = 5"),
    ]),
    op("tf.nn.moments", tf.nn.moments, [
        Sample((_one("tf.nn.moments", (2, 3)),), dict(axes=[0, 1]), "2x3, axes=[0, 1]"),
        Sample((_one("tf.nn.moments", (3, 2)),), dict(axes=[0], keepdims=True), "3x2, axes=[0], keepdims"),
        Sample((_one("tf.nn.moments", (2, 3, 2)),), dict(axes=[-1]), "2x3x2, axes=[-1]"),
    ], bugs=(MOMENTS_SECOND_ORDER,), points=[
        point("all equal: [1.5, 1.5, 1.5, 1.5]", [[1.5] * 4], [[0.25] * 4],
              "∂/∂x_i (mean + variance) = 1/n + 2(x_i − mean)/n = 1/4 at equal entries", axes=[0]),
        point("size-1 axis: 2x1, axes=[1]", [[[-0.5], [2.0]]], [[[1.0], [1.0]]],
              "over one element mean = x and variance ≡ 0: derivative 1", axes=[1]),
    ]),
    op("tf.nn.weighted_moments", _weighted_moments, [
        Sample((_one("tf.nn.weighted_moments", (2, 3)), _one("tf.nn.weighted_moments", (2, 3), POSITIVE_WEIGHTS, "w")),
               dict(axes=[0, 1]), "2x3, axes=[0, 1], weights 2x3"),
        Sample((_one("tf.nn.weighted_moments", (3, 2), salt="b"), _one("tf.nn.weighted_moments", (3, 1), POSITIVE_WEIGHTS, "wb")),
               dict(axes=[0], keepdims=True), "3x2, axes=[0], weights 3x1 broadcast, keepdims"),
    ], diff=(0, 1), domain="x: all reals; frequency_weights > 0 (sum of weights > 0)", points=[
        point("zero weight: x = [1, 2, 4], w = [1, 0, 1]", [[1.0, 2.0, 4.0], [1.0, 0.0, 1.0]],
              [[-1.0, 0.0, 2.0], [-0.75, -1.25, 0.75]],
              "W = 2, m = 2.5, v = 2.25: ∂/∂x_i = w_i/W + 2w_i(x_i − m)/W; ∂/∂w_i = (x_i − m)/W + ((x_i − m)² − v)/W",
              axes=[0]),
    ]),
    op("tf.nn.sufficient_statistics", _sufficient_statistics, [
        Sample((_one("tf.nn.sufficient_statistics", (2, 3)), _one("tf.nn.sufficient_statistics", ())),
               dict(axes=[0, 1]), "2x3, axes=[0, 1], scalar shift"),
        Sample((_one("tf.nn.sufficient_statistics", (3, 2), salt="b"), _one("tf.nn.sufficient_statistics", (2,), salt="s")),
               dict(axes=[0], keepdims=True), "3x2, axes=[0], shift of shape 2, keepdims"),
    ], diff=(0, 1), domain="all reals", points=[
        point("x = shift", [[0.5, 0.5, 0.5], [0.5]], [[1.0, 1.0, 1.0], [-2.0]],
              "outputs n, Σ(x − s), Σ(x − s)², s: ∂/∂x_i = 1 + 2(x_i − s) = 1; ∂/∂s = −n − 2Σ(x − s) + 1 = −3 − 0 + 1",
              axes=[0]),
    ]),
    op("tf.nn.normalize_moments", _normalize_moments, [
        Sample(tuple(draw("tf.nn.normalize_moments", (), (), (), (), domain=POSITIVE_WEIGHTS)), label="scalars"),
        Sample(tuple(draw("tf.nn.normalize_moments", (), (3,), (3,), (3,), domain=POSITIVE_WEIGHTS, salt="b")),
               label="scalar count, vectors of 3"),
    ], diff=(0, 1, 2, 3), domain="counts > 0; the rest all reals", points=[
        point("counts = 1, shift = 0", [1.0, 2.0, 5.0, 0.0], [1.0, -3.0, 1.0, 1.0],
              "mean = m/c + s, var = v/c − (m/c)²: ∂/∂c = −m/c² − v/c² + 2m²/c³ = −2 − 5 + 8 = 1; ∂/∂m = 1/c − 2m/c² = −3; "
              "∂/∂v = 1/c; ∂/∂s = 1"),
    ]),
]
