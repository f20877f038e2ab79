"""Reductions and cumulative ops: tf.math.reduce_*, tf.norm, cumsum / cumprod / cumulative_logsumexp, moments.

Samples cover axis=None, a single axis, a negative axis, several axes and keepdims; special points are
the structural corners of reductions: zeros inside products and cumulative products, ties of max/min
(TensorFlow's documented equal split), -inf and equal entries of logsumexp, zero variance, the zero
vector of norms (a kink: any subgradient of norm ≤ 1), size-1 axes. Every point states its Hessian-vector
product (products, cumprod, logsumexp, std, variance, norms and moments have genuine second derivatives, derived
multiplied out so that zeros are exact; at ties and kinks both one-sided second derivatives, asserted as 0) and,
where the gradient rule divides or multiplies by the input (products and cumprod with zeros, normalize_moments,
a norm), the third derivative along v.

Degenerate shapes: every reduction over a zero-size axis (2x0, axis=1: sum 0, prod 1, max -inf, min +inf,
logsumexp -inf, mean/std/variance/moments NaN, norms 0), over the whole of an empty input, and over the non-empty
axis of an empty input with keepdims; cumulative ops along a zero-size axis and on empty inputs; norms of empty
vectors and matrices; global_norm with an empty tensor; sufficient_statistics of empty data; SparseTensors with no
values and with a zero-size dense shape. The gradient there is the empty (or zero) array of the input's shape; a
sparse reduce_sum that keeps a zero-size dimension raises in its gradient and has a record of its own, so that its
error does not mask the other points (the runner computes an op's points in one call per mode).
"""
import dataclasses

import numpy as np
import tensorflow as tf

from spec.atlas.records import (POINT_CHECKS, POINT_SECOND, POINT_THIRD, REAL, REAL_NONZERO, Domain, KnownBug, Sample,
                                Workaround, between, distinct, draw, hvp, op, point, reproducer)

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


def cumprod_sets(n: int, exclusive=False, reverse=False) -> list[range]:
    """The index sets whose products are the outputs of cumprod of a vector of length n."""
    if reverse:
        return [range(j + 1 if exclusive else j, n) for j in range(n)]
    return [range(0, j if exclusive else j + 1) for j in range(n)]


def multilinear_grad(x, sets) -> np.ndarray:
    """∂/∂x_i Σ_F Π_{k∈F} x_k (products over index sets F of the flattened x) = Σ_{F∋i} Π_{k∈F∖{i}} x_k, multiplied
    out term by term (no division, so zeros are exact)."""
    x = np.asarray(x, np.float64)
    flat, out = x.ravel(), np.zeros(x.size)
    for f in sets:
        for i in f:
            out[i] += np.prod([flat[k] for k in f if k != i])
    return out.reshape(x.shape)


def multilinear_hvp(x, sets, v=None) -> np.ndarray:
    """H·v of the same sum of products: (Hv)_i = Σ_{F∋i} Σ_{m∈F, m≠i} v_m Π_{k∈F∖{i,m}} x_k (no division)."""
    x = np.asarray(x, np.float64)
    flat, out = x.ravel(), np.zeros(x.size)
    w = np.ones(x.size) if v is None else np.asarray(v, np.float64).ravel()
    for f in sets:
        for i in f:
            for m in f:
                if m != i:
                    out[i] += w[m] * np.prod([flat[k] for k in f if k not in (i, m)])
    return out.reshape(x.shape)


def multilinear_third(x, sets, v=None) -> np.ndarray:
    """D³(Σf)[·, v, v] = ∇ₓ(vᵀHv) of the same sum: Σ_{F∋i} Σ over ordered pairs m ≠ l of F∖{i} of
    v_m v_l Π_{k∈F∖{i,m,l}} x_k (no division)."""
    x = np.asarray(x, np.float64)
    flat, out = x.ravel(), np.zeros(x.size)
    w = np.ones(x.size) if v is None else np.asarray(v, np.float64).ravel()
    for f in sets:
        for i in f:
            for m in f:
                for l in f:
                    if len({i, m, l}) == 3:
                        out[i] += w[m] * w[l] * np.prod([flat[k] for k in f if k not in (i, m, l)])
    return out.reshape(x.shape)


def cumprod_grad(x, exclusive=False, reverse=False) -> np.ndarray:
    """∂/∂x_i Σ_j y_j for y = cumprod(x) of a vector: Σ over the outputs j that contain x_i of the product of
    their other factors, multiplied out term by term (no division, so zeros are exact)."""
    return multilinear_grad(x, cumprod_sets(len(x), exclusive, reverse))


def cumprod_hvp(x, exclusive=False, reverse=False, v=None) -> np.ndarray:
    return multilinear_hvp(x, cumprod_sets(len(x), exclusive, reverse), v)


def cumprod_third(x, exclusive=False, reverse=False, v=None) -> np.ndarray:
    return multilinear_third(x, cumprod_sets(len(x), exclusive, reverse), v)


def _softmax(x) -> np.ndarray:
    """softmax of a vector, e^{-inf} = 0, computed shifted (so e^1000 does not overflow)."""
    x = np.asarray(x, np.float64)
    e = np.exp(x - np.max(x))
    return e / e.sum()


def logsumexp_hvp(x, v) -> np.ndarray:
    """H·v of log Σ e^{x_k}: H = diag(p) − ppᵀ with p = softmax(x), so Hv = p⊙v − p(p·v) (H·1 = 0: logsumexp
    grows by t along 1, which is why the points use a tangent v that is not constant)."""
    p, v = _softmax(x), np.asarray(v, np.float64)
    return p * v - p * float(p @ v)


def cumulative_logsumexp_grad(x, exclusive=False) -> np.ndarray:
    """∂/∂x_i Σ_j log Σ_{k ≤ j} e^{x_k} = Σ_{j ≥ i} e^{x_i} / S_j (strict k < j and j > i when exclusive);
    an exclusive y_0 = log 0 = -inf is a constant and contributes nothing."""
    x = np.asarray(x, np.float64)
    n = len(x)
    grad = np.zeros(n)
    for j in range(n):
        members = list(range(j) if exclusive else range(j + 1))
        if members:
            grad[members] += _softmax(x[members])
    return grad


def cumulative_logsumexp_hvp(x, v, exclusive=False) -> np.ndarray:
    """H·v of Σ_j log Σ_{k ≤ j} e^{x_k}: the sum over the prefixes of logsumexp_hvp on each prefix."""
    x, v = np.asarray(x, np.float64), np.asarray(v, np.float64)
    out = np.zeros(len(x))
    for j in range(len(x)):
        members = list(range(j) if exclusive else range(j + 1))
        if members:
            out[members] += logsumexp_hvp(x[members], v[members])
    return out


def norm_hvp(x, v=None) -> np.ndarray:
    """H·v of ‖x‖₂ away from 0: H = (I − x̂x̂ᵀ)/‖x‖, computed from x/max|x| so that ‖x‖² may underflow."""
    x = np.asarray(x, np.float64)
    v = np.ones(x.shape) if v is None else np.asarray(v, np.float64)
    scale = np.max(np.abs(x))
    u = x / scale
    r = np.sqrt(np.sum(u * u))
    unit = u / r
    return (v - unit * np.sum(unit * v)) / (scale * r)


def _cumulative_logsumexp(x, axis=0, exclusive=False, reverse=False, drop_log0=True):
    """tf.math.cumulative_logsumexp; with exclusive=True its first output (last, with reverse) is the empty
    log-sum log 0 = -inf for every x, a constant that the samples' differences cannot handle: dropped
    there (drop_log0) and kept at the special points."""
    y = tf.math.cumulative_logsumexp(x, axis=axis, exclusive=exclusive, reverse=reverse)
    if exclusive and drop_log0:
        n = x.shape[axis]
        y = tf.gather(y, list(range(n - 1)) if reverse else list(range(1, n)), axis=axis)
    return y


NORM_SEARCHED = ("tf.norm gradient NaN at zero vector",)
PYTORCH_NORM = ("PyTorch returns the subgradient 0 (norm_backward in torch/csrc/autograd/FunctionsManual.cpp: "
                "(self / norm).masked_fill_(norm == 0, 0)); JAX returns NaN (jnp.linalg.norm is sqrt(sum(x·x)) in "
                "jax/_src/numpy/linalg.py, and jax-ml/jax#4177 closed NaN at zero as intended)")


def _euclid(name):
    return KnownBug(
        f"{name}'s gradient x/‖x‖ is 0/0 = NaN at the zero vector (a subgradient such as 0 exists), and so is every "
        "second derivative there",
        "https://github.com/tensorflow/tensorflow/issues/12071",
        reproducer("x = tf.zeros([3], tf.float64)", "with tf.GradientTape() as t:", "    t.watch(x)", f"    y = {name}(x)",
                   "print(t.gradient(y, x))  # expected a subgradient with norm <= 1 (e.g. [0, 0, 0]), got [nan nan nan]"),
        checks=POINT_CHECKS + POINT_SECOND,
        kind="convention", kind_why="‖x‖ has no derivative at 0 (its subdifferential is the unit ball); TensorFlow returns "
        "NaN where 0 is a subgradient. " + PYTORCH_NORM,
        related=("https://github.com/tensorflow/tensorflow/pull/108761", "https://github.com/tensorflow/tensorflow/pull/109329"),
        searched=NORM_SEARCHED)


def _underflow(name, fn_code):
    return KnownBug(
        f"{name}(x) for x = [1e-200, 0] squares 1e-200 to 0 in float64, returns 0 and then divides by it: the "
        "gradient is [inf, nan] instead of x/‖x‖ = [1, 0], and H·v is NaN instead of [0, 1e100] for v = 1e-100·1",
        "https://github.com/tensorflow/tensorflow/issues/12071",
        reproducer("x = tf.constant([1e-200, 0.0], tf.float64)", "with tf.GradientTape() as t:", "    t.watch(x)",
                   f"    y = {name}(x)", "print(t.gradient(y, x))  # expected [1, 0], got [inf nan]"),
        checks=POINT_CHECKS + POINT_SECOND,
        kind="wrong value", kind_why="‖x‖ = 1e-200 is representable and smooth there (x ≠ 0); only the intermediate x² "
        "underflows, and TensorFlow returns inf/NaN for the finite derivative",
        related=("https://github.com/tensorflow/tensorflow/pull/108761", "https://github.com/tensorflow/tensorflow/pull/109329"),
        searched=NORM_SEARCHED, workaround=Workaround(fn_code, name.split(".")[-1]))


EUCLIDEAN_NORM_ZERO = _euclid("tf.math.reduce_euclidean_norm")
EUCLIDEAN_NORM_UNDERFLOW = _underflow("tf.math.reduce_euclidean_norm", """import tensorflow as tf


def reduce_euclidean_norm(input_tensor, axis=None, keepdims=False, name=None):
    \"\"\"‖x‖ as m·‖x/m‖ with m = max|x| held constant (the value does not depend on m, so every derivative is that of
    ‖x‖): x/m is of order 1, so nothing underflows where x ≠ 0.\"\"\"
    x = tf.convert_to_tensor(input_tensor)
    m = tf.stop_gradient(tf.reduce_max(tf.abs(x), axis=axis, keepdims=True))
    m = tf.stop_gradient(tf.where(m > 0, m, tf.ones_like(m)))
    inverse = tf.stop_gradient(1 / m)  # multiplied, not divided by: no 1/m² in any derivative
    scaled = tf.sqrt(tf.reduce_sum(tf.square(x * inverse), axis=axis, keepdims=True)) * m
    return scaled if keepdims else tf.squeeze(scaled, axis=axis)
""")
NORM_ZERO = _euclid("tf.norm")
NORM_UNDERFLOW_ALL = _underflow("tf.norm", """import tensorflow as tf


def norm(tensor, ord="euclidean", axis=None, keepdims=None, name=None):
    \"\"\"tf.norm; its euclidean vector norm as m·‖x/m‖ with m = max|x| held constant (the value does not depend on m, so
    every derivative is that of ‖x‖): x/m is of order 1, so nothing underflows where x ≠ 0.\"\"\"
    if ord not in ("euclidean", 2) or (axis is not None and not isinstance(axis, int)):
        return tf.norm(tensor, ord=ord, axis=axis, keepdims=keepdims)
    x = tf.convert_to_tensor(tensor)
    m = tf.stop_gradient(tf.reduce_max(tf.abs(x), axis=axis, keepdims=True))
    m = tf.stop_gradient(tf.where(m > 0, m, tf.ones_like(m)))
    inverse = tf.stop_gradient(1 / m)  # multiplied, not divided by: no 1/m² in any derivative
    scaled = tf.sqrt(tf.reduce_sum(tf.square(x * inverse), axis=axis, keepdims=True)) * m
    return scaled if keepdims else tf.squeeze(scaled, axis=axis)
""")
# tf.norm compiles under XLA, which the workaround cannot survive at second order: the bug is split in two
NORM_UNDERFLOW = dataclasses.replace(NORM_UNDERFLOW_ALL, checks=POINT_CHECKS)
NORM_UNDERFLOW_SECOND = dataclasses.replace(
    NORM_UNDERFLOW_ALL, checks=POINT_SECOND, workaround=None,
    no_workaround="the rescaled norm m·‖x/m‖ (NORM_UNDERFLOW's workaround) gives H·v = [0, 1e100] eagerly and in tf.function, "
    "but XLA reassociates (x·(1/m))² into x²·(1/m)², which underflows to 0·inf = NaN, and no composition of public ops is "
    "kept from that rewrite in every mode")

SPARSE_REDUCE_SUM_WORKAROUND = Workaround("""import tensorflow as tf
import numpy as np

INDICES = np.array([[0, 0], [0, 2], [1, 1], [2, 0], [2, 1]])


def sparse_reduce_sum(values, indices=INDICES, dense_shape=(3, 3), axis=None, keepdims=False, sparse_output=False):
    \"\"\"tf.sparse.reduce_sum(tf.SparseTensor(indices, values, dense_shape), axis, keepdims) (with sparse_output: the
    values of the output_is_sparse=True result) for indices known when tracing: a product of the values with a constant
    0/1 matrix, whose derivatives of every order are defined, at any dense shape (a zero dimension too).\"\"\"
    idx = np.asarray(indices, np.int64).reshape(-1, len(dense_shape))
    rank = len(dense_shape)
    axes = range(rank) if axis is None else [a % rank for a in np.atleast_1d(axis)]
    kept = [d for d in range(rank) if d not in axes]
    kept_shape = [int(dense_shape[d]) for d in kept]
    keys = idx[:, kept]
    if sparse_output:  # one output value per distinct kept coordinate, in row-major order
        out_keys, slot = np.unique(keys, axis=0, return_inverse=True)
        n_out, out_shape = len(out_keys), [len(out_keys)]
    else:
        n_out = int(np.prod(kept_shape))
        slot = np.ravel_multi_index(keys.T, kept_shape) if len(idx) and kept else np.zeros(len(idx), np.int64)
        out_shape = [1 if d in axes else int(dense_shape[d]) for d in range(rank)] if keepdims else kept_shape
    matrix = np.zeros((len(idx), n_out))
    matrix[np.arange(len(idx)), np.ravel(slot)] = 1.0
    total = tf.linalg.matvec(tf.constant(matrix, values.dtype), values, transpose_a=True)
    return tf.reshape(total, out_shape)
""", "sparse_reduce_sum")

SPARSE_REDUCE_SUM_ZERO_DIM = KnownBug(
    "tf.sparse.reduce_sum of a SparseTensor whose dense shape has a zero dimension (so it stores no values) raises "
    "InvalidArgumentError \"Integer division by zero\" in its gradient: _SparseReduceSumGrad divides the dense shape "
    "by the kept-dims output shape (a 0 there), where the gradient is the empty array of the (empty) values",
    "unreported",
    reproducer("v = tf.zeros([0], tf.float64)", "with tf.GradientTape() as t:", "    t.watch(v)",
               "    y = tf.sparse.reduce_sum(tf.SparseTensor(tf.zeros([0, 2], tf.int64), v, [0, 3]), axis=1)",
               "print(t.gradient(y, v))  # expected [] (shape (0,)), got InvalidArgumentError: Integer division by zero"),
    checks=("special_reverse", "special_reverse_over_reverse", "special_forward_over_reverse", "special_reverse_over_forward"),
    kind="missing gradient", kind_why="the output is a constant (no values can be stored), so the gradient exists (an "
    "empty array); the registered gradient raises instead of returning it",
    searched=("sparse reduce_sum gradient \"Integer division by zero\" empty dense shape",),
    workaround=SPARSE_REDUCE_SUM_WORKAROUND)

CHAIN_PRODUCT = """import tensorflow as tf


def cumprod(x, axis=0, exclusive=False, reverse=False, name=None):
    \"\"\"tf.math.cumprod as a chain of multiplications along a static axis: Mul's derivatives of every order are exact
    at zeros (no division by x), in reverse and forward mode.\"\"\"
    parts = tf.unstack(x, axis=axis)
    if not parts:  # an empty axis
        return tf.identity(x)
    if reverse:
        parts = parts[::-1]
    running, out = tf.ones_like(parts[0]), []
    for part in parts:
        if exclusive:
            out.append(running)
            running = running * part
        else:
            running = running * part
            out.append(running)
    return tf.stack(out[::-1] if reverse else out, axis=axis)
"""

CUMPROD_ZERO = KnownBug(
    "Cumprod's gradient is div_no_nan(cumsum(cumprod(x)·g, reverse), x): at x_i = 0 it returns 0 instead of the "
    "sum of the products of the other factors, and its second and third derivatives there are wrong too",
    "https://github.com/tensorflow/tensorflow/issues/119430",
    reproducer("x = tf.constant([2.0, 0.0, 3.0, 4.0], tf.float64)", "with tf.GradientTape() as t:", "    t.watch(x)",
               "    y = tf.reduce_sum(tf.math.cumprod(x))", "print(t.gradient(y, x))  # expected [1, 32, 0, 0], got [1 0 0 0]"),
    checks=POINT_CHECKS + POINT_SECOND + POINT_THIRD,
    kind="wrong value", kind_why="a sum of products is a polynomial, differentiable everywhere; at a zero factor "
    "TensorFlow returns 0 (div_no_nan) instead of the product of the other factors",
    related=("https://github.com/tensorflow/tensorflow/pull/120282", "https://github.com/tensorflow/tensorflow/issues/3862"),
    searched=("cumprod gradient wrong when input contains zero",),
    workaround=Workaround(CHAIN_PRODUCT, "cumprod"))

REDUCE_PROD_SECOND_ZERO = KnownBug(
    "ProdGrad is zero-safe to first order (products of exclusive cumprods), but its derivative goes through "
    "Cumprod's gradient, div_no_nan(…, x): at a zero entry the second and third derivatives of reduce_prod lose the "
    "terms of that entry (H·1 = [12, 0, 8, 6] instead of [12, 26, 8, 6] at [2, 0, 3, 4]; 0 instead of H₀₂ = 6 with "
    "two zeros)",
    "https://github.com/tensorflow/tensorflow/issues/61117",
    reproducer("x = tf.constant([2.0, 0.0, 3.0, 4.0], tf.float64)", "with tf.GradientTape() as t2:", "    t2.watch(x)",
               "    with tf.GradientTape() as t:", "        t.watch(x)", "        y = tf.math.reduce_prod(x)",
               "    g = t.gradient(y, x)",
               "print(t2.gradient(g, x))  # expected H·1 = [12, 26, 8, 6], got [12, 0, 8, 6]"),
    checks=POINT_SECOND + POINT_THIRD,
    kind="wrong value", kind_why="a product is a polynomial with exact second and third derivatives everywhere; at a "
    "zero entry TensorFlow drops the terms that divide by it",
    related=("https://github.com/tensorflow/tensorflow/issues/44556", "https://github.com/tensorflow/tensorflow/issues/21130",
             "https://github.com/tensorflow/tensorflow/issues/119430"),
    searched=("reduce_prod hessian second-order gradient zero input wrong",),
    workaround=Workaround("""import tensorflow as tf


def reduce_prod(input_tensor, axis=None, keepdims=False, name=None):
    \"\"\"tf.math.reduce_prod as a chain of multiplications over the reduced axes (static shape): Mul's derivatives of
    every order are exact at zeros, where ProdGrad's second derivative goes through Cumprod's division by x.\"\"\"
    x = tf.convert_to_tensor(input_tensor)
    rank = x.shape.rank
    axes = list(range(rank)) if axis is None else [a % rank for a in (axis if isinstance(axis, (list, tuple)) else [axis])]
    kept = [d for d in range(rank) if d not in axes]
    moved = tf.reshape(tf.transpose(x, axes + kept), [-1] + [x.shape[d] for d in kept])
    result = tf.ones([x.shape[d] for d in kept], x.dtype)
    for part in tf.unstack(moved, axis=0):
        result = result * part
    if keepdims:
        result = tf.reshape(result, [1 if d in axes else x.shape[d] for d in range(rank)])
    return result
""", "reduce_prod"))

STD_CONSTANT = KnownBug(
    "reduce_std = sqrt(reduce_variance): at equal entries the chain rule gives 0·(1/(2·sqrt(0))) = 0·inf = NaN "
    "where 0 (the centre of the subdifferential) is a valid subgradient; its second derivatives are NaN too",
    "unreported",
    reproducer("x = tf.constant([1.5, 1.5, 1.5, 1.5], tf.float64)", "with tf.GradientTape() as t:", "    t.watch(x)",
               "    y = tf.math.reduce_std(x)",
               "print(t.gradient(y, x))  # expected a subgradient (e.g. zeros), got [nan nan nan nan]"),
    checks=POINT_CHECKS + POINT_SECOND,
    kind="convention", kind_why="std = ‖x − mean‖/√n has no derivative where all entries are equal (a kink); TensorFlow "
    "returns NaN where 0 is a subgradient. PyTorch returns 0 (std_backward in torch/csrc/autograd/FunctionsManual.cpp "
    "masks grad/(2·std) to 0 where std == 0); JAX returns NaN (jnp.std is lax.sqrt(var(...)) in "
    "jax/_src/numpy/reductions.py)",
    related=("https://github.com/tensorflow/tensorflow/issues/56830",),
    searched=("reduce_std gradient NaN when all values equal",))

STD_SIZE_ONE = KnownBug(
    "reduce_std over an axis of size 1 is identically 0, so its derivatives are 0; TensorFlow gives 0·inf = NaN "
    "(first and second order)",
    "https://github.com/tensorflow/tensorflow/issues/56830",
    reproducer("x = tf.constant([[-0.5], [2.0]], tf.float64)", "with tf.GradientTape() as t:", "    t.watch(x)",
               "    y = tf.math.reduce_std(x, axis=1)", "print(t.gradient(y, x))  # expected [[0], [0]], got [[nan], [nan]]"),
    checks=POINT_CHECKS + POINT_SECOND,
    kind="wrong value", kind_why="the std of one element is the constant 0 on a whole neighbourhood (derivatives 0); "
    "TensorFlow returns NaN",
    searched=("reduce_std gradient NaN when all values equal",),
    workaround=Workaround("""import tensorflow as tf


def reduce_std(input_tensor, axis=None, keepdims=False, name=None):
    \"\"\"sqrt(variance) with the square root taken only where the variance is positive (elsewhere the constant 0):
    derivatives 0 where the std is identically 0 (a size-1 axis), and the subgradient 0 where all entries are equal.\"\"\"
    variance = tf.math.reduce_variance(input_tensor, axis=axis, keepdims=keepdims)
    positive = tf.stop_gradient(variance) > 0  # compare a constant: nested forward mode in tf.function fails on Greater
    safe = tf.where(positive, variance, tf.ones_like(variance))
    return tf.where(positive, tf.sqrt(safe), tf.zeros_like(variance))
""", "reduce_std"))

GLOBAL_NORM_ZERO = KnownBug(
    "global_norm = sqrt(2·Σ l2_loss): at all-zero tensors the chain rule gives 0·inf = NaN where a subgradient "
    "of norm ≤ 1 (e.g. 0) exists; its second derivatives are NaN too",
    "unreported",
    reproducer("a, b = tf.zeros([2], tf.float64), tf.zeros([2], tf.float64)", "with tf.GradientTape() as t:",
               "    t.watch([a, b])", "    y = tf.linalg.global_norm([a, b])",
               "print(t.gradient(y, [a, b]))  # expected subgradients with norm <= 1 (e.g. zeros), got [nan nan] for both"),
    checks=POINT_CHECKS + POINT_SECOND,
    kind="convention", kind_why="the 2-norm of all entries has no derivative at 0 (its subdifferential is the unit ball); "
    "TensorFlow returns NaN where 0 is a subgradient. For the same 2-norm at 0 " + PYTORCH_NORM,
    related=("https://github.com/tensorflow/tensorflow/issues/12071", "https://github.com/tensorflow/tensorflow/issues/22048"),
    searched=("tf.linalg.global_norm gradient nan zero tensors clip_by_global_norm",))

SPARSE_SUM_SPARSE = KnownBug(
    "tf.sparse.reduce_sum(..., output_is_sparse=True) runs SparseReduceSumSparse, which has no gradient "
    "registered (LookupError), although its output values are sums of the input values (linear)",
    "https://github.com/tensorflow/tensorflow/issues/14964",
    reproducer("v = tf.constant([1.0, 2.0, 3.0], tf.float64)", "with tf.GradientTape() as t:", "    t.watch(v)",
               "    sp = tf.SparseTensor([[0, 0], [0, 1], [1, 1]], v, [2, 2])",
               "    y = tf.sparse.reduce_sum(sp, axis=1, output_is_sparse=True).values",
               "print(t.gradient(y, v))  # expected [1, 1, 1], got LookupError: gradient registry has no entry for: "
               "SparseReduceSumSparse"),
    checks=ALL_CHECKS + POINT_SECOND,
    kind="missing gradient", kind_why="the output values are sums of the input values (linear, derivative 0/1); no "
    "gradient is registered for SparseReduceSumSparse",
    searched=("SparseReduceSumSparse no gradient registered sparse_reduce_sum_sparse",),
    workaround=Workaround(SPARSE_REDUCE_SUM_WORKAROUND.code.replace(
        "sparse_output=False):", "sparse_output=True):"), "sparse_reduce_sum"))

LOGCUMSUMEXP_WORKAROUND = Workaround("""import tensorflow as tf


def cumulative_logsumexp(x, axis=0, exclusive=False, reverse=False, drop_log0=True):
    \"\"\"The atlas's tf.math.cumulative_logsumexp entry (drop_log0 drops the exclusive log 0 = -inf output) as one
    reduce_logsumexp per prefix along a static axis: reduce_logsumexp's derivatives of every order are finite, and the
    empty prefix is the constant -inf (tangent 0).\"\"\"
    n = x.shape[axis]
    outputs = []
    for j in range(n):
        members = list(range(j + 1 if exclusive else j, n)) if reverse else list(range(j if exclusive else j + 1))
        if members:
            part = tf.gather(x, members, axis=axis)
            shift = tf.stop_gradient(tf.reduce_max(part, axis=axis, keepdims=True))  # a constant: the value is exact
            outputs.append(tf.squeeze(shift, axis) + tf.math.log(tf.reduce_sum(tf.exp(part - shift), axis=axis)))
        else:
            outputs.append(tf.fill(tf.shape(tf.reduce_sum(x, axis=axis)), tf.constant(-float("inf"), x.dtype)))
    y = tf.stack(outputs, axis=axis)
    if exclusive and drop_log0:
        y = tf.gather(y, list(range(n - 1)) if reverse else list(range(1, n)), axis=axis)
    return y
""", "cumulative_logsumexp")

LOGCUMSUMEXP_SECOND_ORDER = KnownBug(
    "CumulativeLogsumexp's backward function takes log of the upstream gradient inside where(g > 0, log g, min): "
    "differentiating it again (reverse over forward; forward over reverse with exclusive=True, whose log 0 = -inf "
    "output enters it) multiplies an unselected inf by 0 and returns NaN",
    "https://github.com/tensorflow/tensorflow/issues/127243",
    reproducer("x = tf.constant([0.5, -1.0, 2.0], tf.float64)", "with tf.GradientTape() as t:", "    t.watch(x)",
               "    with tf.autodiff.ForwardAccumulator(x, tf.ones_like(x)) as acc:",
               "        y = tf.reduce_sum(tf.math.cumulative_logsumexp(x))", "    jvp = acc.jvp(y)  # = 3 for every x",
               "print(t.gradient(jvp, x))  # expected [0, 0, 0], got [nan nan nan]"),
    checks=("reverse_over_forward", "forward_over_reverse"),
    kind="mode failure", kind_why="the function is smooth and reverse over reverse is right; compositions that "
    "differentiate the backward function's log(g) return NaN",
    related=("https://github.com/tensorflow/tensorflow/pull/127551",),
    searched=("cumulative_logsumexp second derivative NaN gradient of gradient",),
    workaround=LOGCUMSUMEXP_WORKAROUND)
# the same bug at the special points: reverse over forward everywhere, and forward over reverse where the exclusive
# log 0 output enters the backward function
LOGCUMSUMEXP_SECOND_ORDER_AT_POINTS = dataclasses.replace(LOGCUMSUMEXP_SECOND_ORDER, checks=("special_reverse_over_forward",))
LOGCUMSUMEXP_SECOND_ORDER_EXCLUSIVE = dataclasses.replace(
    LOGCUMSUMEXP_SECOND_ORDER, checks=("special_reverse_over_forward", "special_forward_over_reverse"))

LOGCUMSUMEXP_FORWARD_LOG0 = KnownBug(
    "with exclusive=True the first output is log 0 = -inf for every x, a constant with tangent 0; ForwardAccumulator "
    "(which transposes the backward function) gives it the tangent NaN, and forward over forward NaN everywhere",
    "unreported",
    reproducer("x = tf.constant([0.0, 0.0, 0.0], tf.float64)",
               "with tf.autodiff.ForwardAccumulator(x, tf.constant([1.0, 0.0, 0.0], tf.float64)) as acc:",
               "    y = tf.math.cumulative_logsumexp(x, exclusive=True)",
               "print(acc.jvp(y))  # expected [0, 1, 0.5], got [nan 1 0.5]"),
    checks=("special_forward", "special_forward_over_forward"),
    kind="mode failure", kind_why="the -inf output is a constant (tangent 0) and reverse mode is right; forward mode "
    "returns NaN for it",
    searched=("cumulative_logsumexp exclusive=True ForwardAccumulator jvp NaN -inf output",),
    workaround=LOGCUMSUMEXP_WORKAROUND)

MOMENTS_SECOND_ORDER = KnownBug(
    "tf.nn.moments computes the variance as mean((x − stop_gradient(mean))²): right to first order (Σ(x − mean) = 0) "
    "but the Hessian of the variance loses its −2/n² coupling term (2/n·I instead of 2/n·(I − 11ᵀ/n))",
    "unreported",
    reproducer("x = tf.constant([0.5, -1.0, 2.0], tf.float64)", "with tf.GradientTape() as t2:", "    t2.watch(x)",
               "    with tf.GradientTape() as t:", "        t.watch(x)", "        _, v = tf.nn.moments(x, axes=[0])",
               "    g = t.gradient(v, x)",
               "print(t2.jacobian(g, x))  # expected 2/3·(I − 1/3) (diagonal 4/9, off-diagonal -2/9), got 2/3·I"),
    checks=("reverse_over_reverse", "forward_over_reverse", "reverse_over_forward", "forward_over_forward"),
    kind="wrong value", kind_why="the variance is a quadratic with Hessian 2/n·(I − 11ᵀ/n) everywhere; TensorFlow's "
    "stop_gradient drops the 11ᵀ term from every second derivative",
    related=("https://github.com/tensorflow/tensorflow/pull/19609",),
    searched=("tf.nn.moments stop_gradient variance second derivative Hessian wrong",),
    workaround=Workaround("""import tensorflow as tf


def moments(x, axes, shift=None, keepdims=False, name=None):
    \"\"\"tf.nn.moments without the stop_gradient on the mean: the same values and first derivatives, and the variance's
    true Hessian 2/n·(I − 11ᵀ/n).\"\"\"
    mean = tf.reduce_mean(x, axes, keepdims=True)
    variance = tf.reduce_mean(tf.math.squared_difference(x, mean), axes, keepdims=True)
    if not keepdims:
        mean, variance = tf.squeeze(mean, axes), tf.squeeze(variance, axes)
    return mean, variance
""", "moments"))
MOMENTS_SECOND_ORDER_AT_POINTS = dataclasses.replace(MOMENTS_SECOND_ORDER, checks=POINT_SECOND)

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


def weighted_moments_hvp(x, w, vx, vw) -> tuple[np.ndarray, np.ndarray]:
    """H·v of Σf = m + var for m = A/W, var = B/W − m² (A = Σwx, B = Σwx², W = Σw), by differentiating the closed-form
    gradient g_x = (w/W)(1 + 2x − 2m), g_w = ((x − m)(1 − 2m) + x² − B/W)/W along (vx, vw)."""
    x, w, vx, vw = (np.asarray(a, np.float64) for a in (x, w, vx, vw))
    a, b, total = np.sum(w * x), np.sum(w * x * x), np.sum(w)
    m, q = a / total, b / total
    da, db, dw = np.sum(w * vx + x * vw), np.sum(2 * w * x * vx + x * x * vw), np.sum(vw)
    dm, dq = (da - m * dw) / total, (db - q * dw) / total
    g_w = ((x - m) * (1 - 2 * m) + x * x - q) / total
    h_x = (vw / total - w * dw / total**2) * (1 + 2 * x - 2 * m) + (w / total) * (2 * vx - 2 * dm)
    h_w = ((vx - dm) * (1 - 2 * m) - 2 * dm * (x - m) + 2 * x * vx - dq) / total - g_w * dw / total
    return h_x, h_w


LINEAR = "linear in x: H = 0"
EMPTY = "an empty input: the Hessian-vector product is an empty array"
PIECEWISE_LINEAR = ("not twice differentiable at the tie, but piecewise linear: on each side the function is one of the "
                    "tied entries (linear), so both one-sided second derivatives along v are 0 (TensorFlow's split rule "
                    "differentiates to 0 too); asserted: 0")
V4 = np.array([1.0, 2.0, 3.0, 4.0])  # a tangent that is not constant: logsumexp, std and variance are flat along 1
PROD_2034 = [2.0, 0.0, 3.0, 4.0]
PROD_0203 = [0.0, 2.0, 0.0, 3.0]
COLUMNS_2X2 = [[0, 2], [1, 3]]  # flat indices of the columns of a 2x2 matrix (a product over axis 0)
UNDERFLOW_V = np.array([1e-100, 1e-100])
UNDERFLOW_HVP = ("H = (I − x̂x̂ᵀ)/‖x‖ = diag(0, 1)/1e-200: H·v = [0, 1e100] for v = 1e-100·1 (a small tangent, so that the "
                 "products of a second derivative's intermediate terms, of order (1e-100/1e-200)² = 1e200, stay representable)")
NORM_ZERO_HVP = ("‖x‖ is not twice differentiable at 0 (its Hessian (I − x̂x̂ᵀ)/‖x‖ is unbounded near 0), but along the "
                 "tangent v = 1 it is ‖1‖·|t|, linear on each side: H(t·1)·1 = 0 for every t ≠ 0, so both one-sided "
                 "second derivatives along v are 0; asserted: 0")


def _empty_reduction_points(what: str, value: str, keepdims: bool = True) -> list:
    """A reduction over a zero-size axis (input 2x0, axis 1), and over the non-empty axis of an empty input."""
    points = [
        point("zero-size axis: 2x0, axis=1", [np.zeros((2, 0))], [np.zeros((2, 0))],
              f"{what} over an empty axis is {value} for every input: the gradient is an empty (2, 0) array", axis=1,
              second=hvp([np.zeros((2, 0))], EMPTY)),
        point("empty input: 0, axis=None", [np.zeros((0,))], [np.zeros((0,))],
              f"{what} of no entries is {value}: an empty gradient", second=hvp([np.zeros((0,))], EMPTY)),
    ]
    if keepdims:
        points.append(point("empty input, other axis: 0x3, axis=1, keepdims", [np.zeros((0, 3))], [np.zeros((0, 3))],
                            "reducing the non-empty axis of an empty input gives an empty (0, 1) output: empty gradient",
                            axis=1, keepdims=True, second=hvp([np.zeros((0, 3))], EMPTY)))
    return points


def _empty_cumulative_points(**extra) -> list:
    """Cumulative ops along a zero-size axis, and along the non-empty axis of an empty input: empty gradients."""
    return [
        point("zero-size axis: 2x0, axis=1", [np.zeros((2, 0))], [np.zeros((2, 0))],
              "no entries along the axis: an empty output and an empty (2, 0) gradient", axis=1,
              second=hvp([np.zeros((2, 0))], EMPTY)),
        point("empty input, other axis: 0x3, axis=1, exclusive", [np.zeros((0, 3))], [np.zeros((0, 3))],
              "an empty (0, 3) input has an empty output and an empty gradient", axis=1, exclusive=True,
              second=hvp([np.zeros((0, 3))], EMPTY), **extra),
        point("empty vector, reverse", [np.zeros((0,))], [np.zeros((0,))], "an empty input has an empty gradient",
              reverse=True, second=hvp([np.zeros((0,))], EMPTY)),
    ]


CUMPROD_HVP = ("H_im of Σ_j Π_{k∈F_j} x_k is Σ over the outputs j containing both x_i and x_m of the product of their other "
               "factors (cumprod_hvp multiplies every term out, so zeros are exact)")
CUMPROD_THIRD = ("∇(1ᵀH1): Σ over the outputs j containing x_i of the products of their factors other than x_i and an "
                 "ordered pair of two more (cumprod_third, multiplied out)")
CUMULATIVE_LSE_HVP = ("Σ_j log S_j has H = Σ_j (diag(p_j) − p_j p_jᵀ) with p_j the softmax of the prefix x_{≤j} (H·1 = 0, "
                      "so v is not constant): the sum of p_j⊙v − p_j(p_j·v) over the prefixes (cumulative_logsumexp_hvp)")


OPS = [
    op("tf.math.reduce_sum", tf.math.reduce_sum, reduction_samples("tf.math.reduce_sum"), points=[
        point("size-1 axis: 1x3, axis=0", [np.array([[0.5, -1.0, 2.0]])], [np.ones((1, 3))],
              "a sum over one element is that element: derivative 1", axis=0, second=hvp([np.zeros((1, 3))], LINEAR)),
        point("empty axis: 0x3, axis=0", [np.zeros((0, 3))], [np.zeros((0, 3))],
              "the sum over an empty axis is the constant 0 vector: the gradient is an empty (0, 3) array", axis=0,
              second=hvp([np.zeros((0, 3))], EMPTY)),
        *_empty_reduction_points("the sum", "0 (the empty sum)"),
    ]),
    op("tf.math.reduce_mean", tf.math.reduce_mean, reduction_samples("tf.math.reduce_mean"), points=[
        point("size-1 axis: 1x3, axis=0", [np.array([[0.5, -1.0, 2.0]])], [np.ones((1, 3))],
              "the mean of one element is that element: derivative 1", axis=0, second=hvp([np.zeros((1, 3))], LINEAR)),
        point("empty axis: 0x3, axis=0", [np.zeros((0, 3))], [np.zeros((0, 3))],
              "the mean over an empty axis (0/0) depends on no input: the gradient is an empty (0, 3) array", axis=0,
              second=hvp([np.zeros((0, 3))], EMPTY)),
        *_empty_reduction_points("the mean", "0/0 = NaN (NumPy's value too)"),
    ]),
    op("tf.math.reduce_prod", tf.math.reduce_prod, reduction_samples("tf.math.reduce_prod", AWAY_FROM_ZERO),
       domain="all reals", points=[
        point("one zero: [2, 0, 3, 4]", [PROD_2034], [[0.0, 24.0, 0.0, 0.0]],
              "∂/∂x_i Π x = Π_{k≠i} x_k: with one zero only the zero's slot is nonzero (2·3·4 = 24)",
              second=hvp([multilinear_hvp(PROD_2034, [range(4)])],
                         "∂²/∂x_i∂x_j Π x = Π_{k≠i,j} x_k (i ≠ j), 0 on the diagonal: H·1 = [3·4, 3·4 + 2·4 + 2·3, 2·4, 2·3] "
                         "= [12, 26, 8, 6] (each product multiplied out, no division)", bug=REDUCE_PROD_SECOND_ZERO),
              third=hvp([multilinear_third(PROD_2034, [range(4)])],
                        "1ᵀH1 = d²/dt² Π(x_k + t) at 0 = 2·e₂(x) (the second elementary symmetric polynomial); its gradient "
                        "is 2·Σ_{k≠i} x_k = [14, 18, 12, 10]", bug=REDUCE_PROD_SECOND_ZERO)),
        point("two zeros: [0, 2, 0, 3]", [PROD_0203], [[0.0, 0.0, 0.0, 0.0]],
              "Π_{k≠i} x_k always contains a zero when two entries are 0: the gradient is 0",
              second=hvp([multilinear_hvp(PROD_0203, [range(4)])],
                         "H_ij = Π_{k≠i,j} x_k: only the pair of zeros (0, 2) leaves a nonzero product 2·3 = 6, so H·1 = "
                         "[6, 0, 6, 0] although the gradient is 0", bug=REDUCE_PROD_SECOND_ZERO),
              third=hvp([multilinear_third(PROD_0203, [range(4)])],
                        "∇(1ᵀH1) = ∇ 2e₂(x) = 2·Σ_{k≠i} x_k = [10, 6, 10, 4]", bug=REDUCE_PROD_SECOND_ZERO)),
        point("zero along axis 0: [[2, 0], [3, 4]]", [[[2.0, 0.0], [3.0, 4.0]]], [[[3.0, 4.0], [2.0, 0.0]]],
              "column products x00·x10 and x01·x11: each entry's derivative is its column partner", axis=0,
              second=hvp([multilinear_hvp([[2.0, 0.0], [3.0, 4.0]], COLUMNS_2X2)],
                         "each column product ab has H = [[0, 1], [1, 0]]: H·1 = 1 everywhere, the zero included", bug=REDUCE_PROD_SECOND_ZERO),
              third=hvp([np.zeros((2, 2))], "a product of two factors has a constant Hessian: third derivative 0")),
        point("empty axis: 0x3, axis=0", [np.zeros((0, 3))], [np.zeros((0, 3))],
              "the empty product is the constant 1: the gradient is an empty (0, 3) array", axis=0,
              second=hvp([np.zeros((0, 3))], EMPTY)),
        *_empty_reduction_points("the product", "1 (the empty product)"),
    ]),
    op("tf.math.reduce_max", tf.math.reduce_max, reduction_samples("tf.math.reduce_max", ties_free=True),
       domain="all reals (samples without ties)", points=[
        point("tie of two: [1, 3, 3]", [[1.0, 3.0, 3.0]], [[0.0, 0.5, 0.5]], f"tied maxima share the gradient: {MAX_MIN_TIES}",
              second=hvp([np.zeros(3)], PIECEWISE_LINEAR, v=[[0.0, 1.0, -1.0]], exists=False)),
        point("all equal: [2, 2, 2, 2]", [[2.0] * 4], [[0.25] * 4], f"four tied maxima get 1/4 each: {MAX_MIN_TIES}",
              second=hvp([np.zeros(4)], PIECEWISE_LINEAR, v=[V4], exists=False)),
        point("tie along axis 1, keepdims: [[1, 5], [4, 4]]", [[[1.0, 5.0], [4.0, 4.0]]], [[[0.0, 1.0], [0.5, 0.5]]],
              f"row 0 has a unique maximum (derivative 1), row 1 a tie split in halves: {MAX_MIN_TIES}", axis=1, keepdims=True,
              second=hvp([np.zeros((2, 2))], PIECEWISE_LINEAR, v=[[[1.0, -1.0], [1.0, -1.0]]], exists=False)),
        point("size-1 axis: 3x1, axis=1", [[[0.5], [-1.0], [2.0]]], [[[1.0], [1.0], [1.0]]],
              "the max of one element is that element: derivative 1", axis=1, second=hvp([np.zeros((3, 1))], LINEAR)),
        *_empty_reduction_points("the max", "-inf (TensorFlow's value, the identity of max; NumPy raises)"),
    ]),
    op("tf.math.reduce_min", tf.math.reduce_min, reduction_samples("tf.math.reduce_min", ties_free=True),
       domain="all reals (samples without ties)", points=[
        point("tie of two: [3, 1, 1]", [[3.0, 1.0, 1.0]], [[0.0, 0.5, 0.5]], f"tied minima share the gradient: {MAX_MIN_TIES}",
              second=hvp([np.zeros(3)], PIECEWISE_LINEAR, v=[[0.0, 1.0, -1.0]], exists=False)),
        point("all equal: [-2, -2, -2]", [[-2.0] * 3], [[1 / 3] * 3], f"three tied minima get 1/3 each: {MAX_MIN_TIES}",
              second=hvp([np.zeros(3)], PIECEWISE_LINEAR, v=[[1.0, 2.0, 3.0]], exists=False)),
        point("size-1 axis: 1x3, axis=0", [[[0.5, -1.0, 2.0]]], [np.ones((1, 3))],
              "the min of one element is that element: derivative 1", axis=0, second=hvp([np.zeros((1, 3))], LINEAR)),
        *_empty_reduction_points("the min", "+inf (TensorFlow's value, the identity of min; NumPy raises)"),
    ]),
    op("tf.math.reduce_logsumexp", tf.math.reduce_logsumexp, reduction_samples("tf.math.reduce_logsumexp"), points=[
        point("-inf entry: [0, -inf, 0]", [[0.0, -INF, 0.0]], [[0.5, 0.0, 0.5]],
              "∂/∂x_i = softmax(x)_i = e^{x_i}/Σe^{x_k}: e^{-inf} = 0, the two zeros share 1/2 each",
              second=hvp([logsumexp_hvp([0.0, -INF, 0.0], [1.0, 2.0, 3.0])],
                         "H = diag(p) − ppᵀ, p = (1/2, 0, 1/2): Hv = p⊙v − p(p·v) = [0.5, 0, 1.5] − 2p = [-0.5, 0, 0.5]",
                         v=[[1.0, 2.0, 3.0]])),
        point("all equal: [1, 1, 1, 1]", [[1.0] * 4], [[0.25] * 4], "softmax of equal entries is 1/n each",
              second=hvp([logsumexp_hvp([1.0] * 4, V4)], "Hv = p⊙v − p(p·v) = (v − mean v)/4 = [-0.375, -0.125, 0.125, 0.375]",
                         v=[V4])),
        point("large: [1000, 1000]", [[1000.0, 1000.0]], [[0.5, 0.5]],
              "softmax is shift-invariant: 1/2 each, though e^1000 overflows float64",
              second=hvp([logsumexp_hvp([0.0, 0.0], [1.0, 3.0])], "Hv = (v − mean v)/2 = [-0.5, 0.5], as at [0, 0]",
                         v=[[1.0, 3.0]])),
        point("size-1 axis: 2x1, axis=1", [[[-3.0], [5.0]]], [[[1.0], [1.0]]],
              "log(e^x) = x over one element: derivative 1", axis=1, second=hvp([np.zeros((2, 1))], "log(e^x) = x: H = 0")),
        *_empty_reduction_points("logsumexp", "log 0 = -inf"),
    ]),
    op("tf.math.reduce_std", tf.math.reduce_std, reduction_samples("tf.math.reduce_std"),
       domain="all reals; not differentiable where the reduced entries are all equal", points=[
        point("all equal: [1.5, 1.5, 1.5, 1.5]", [[1.5] * 4], [between([-STD_BOUND_4] * 4, [STD_BOUND_4] * 4)],
              "std = ‖x − mean‖/√n is convex with a kink at equal entries; any subgradient P g/√n, ‖g‖ ≤ 1, has "
              "entries within ±sqrt(n − 1)/n = ±0.433 for n = 4", bug=STD_CONSTANT,
              second=hvp([np.zeros(4)], "not twice differentiable at equal entries; std(x₀ + t·v) = |t|·std(v) is linear "
                         "on each side (std is shift-invariant and positively homogeneous in x − mean), so H(x₀ + t·v)·v = 0 "
                         "for every t ≠ 0: both one-sided second derivatives along v are 0; asserted: 0", v=[V4], exists=False)),
        point("size-1 axis: 2x1, axis=1", [[[-0.5], [2.0]]], [[[0.0], [0.0]]],
              "the std of one element is identically 0: derivative 0", bug=STD_SIZE_ONE, axis=1,
              second=hvp([np.zeros((2, 1))], "the std of one element is identically 0: H = 0")),
        *_empty_reduction_points("the std", "0/0 = NaN (NumPy's value too)"),
    ]),
    op("tf.math.reduce_variance", tf.math.reduce_variance, reduction_samples("tf.math.reduce_variance"), points=[
        point("all equal: [1.5, 1.5, 1.5, 1.5]", [[1.5] * 4], [[0.0] * 4],
              "∂/∂x_i mean((x − mean)²) = 2(x_i − mean)/n = 0 at equal entries",
              second=hvp([(V4 - V4.mean()) / 2], "H = (2/n)(I − 11ᵀ/n): Hv = (v − mean v)/2 = [-0.75, -0.25, 0.25, 0.75]",
                         v=[V4])),
        point("size-1 axis: 2x1, axis=1", [[[-0.5], [2.0]]], [[[0.0], [0.0]]],
              "the variance of one element is identically 0: derivative 0", axis=1,
              second=hvp([np.zeros((2, 1))], "identically 0: H = (2/1)(1 − 1/1) = 0")),
        *_empty_reduction_points("the variance", "0/0 = NaN (NumPy's value too)"),
    ]),
    op("tf.math.reduce_euclidean_norm", tf.math.reduce_euclidean_norm,
       reduction_samples("tf.math.reduce_euclidean_norm"),
       domain="all reals; not differentiable at the zero vector",
       skips={"xla": "XLA cannot compile EuclideanNorm (no XLA kernel; tf.norm avoids the op for that reason)"}, points=[
        point("zero vector", [[0.0, 0.0, 0.0]], [between([-1.0] * 3, [1.0] * 3)],
              "‖x‖ is convex with a kink at 0: its subdifferential is the unit ball, so each entry lies in [-1, 1]",
              bug=EUCLIDEAN_NORM_ZERO, second=hvp([np.zeros(3)], NORM_ZERO_HVP, exists=False)),
        point("underflow: [1e-200, 0]", [[1e-200, 0.0]], [[1.0, 0.0]],
              "x/‖x‖ = [1, 0] exactly (‖x‖ = 1e-200 is representable; only its square underflows)",
              bug=EUCLIDEAN_NORM_UNDERFLOW,
              second=hvp([norm_hvp([1e-200, 0.0], UNDERFLOW_V)], UNDERFLOW_HVP, v=[UNDERFLOW_V])),
        point("one nonzero: [0, -3, 0]", [[0.0, -3.0, 0.0]], [[0.0, -1.0, 0.0]], "x/‖x‖ = [0, -1, 0]",
              second=hvp([norm_hvp([0.0, -3.0, 0.0])], "H = (I − x̂x̂ᵀ)/‖x‖ = diag(1, 0, 1)/3: H·1 = [1/3, 0, 1/3]"),
              third=hvp([[2 / 9, 2 / 9, 2 / 9]],
                        "1ᵀH1 = (‖1‖²‖x‖² − (x·1)²)/‖x‖³; its gradient −‖1‖²x/‖x‖³ − 2(x·1)1/‖x‖³ + 3(x·1)²x/‖x‖⁵ at "
                        "x = (0, −3, 0) is [2/9, 1/3 + 2/9 − 1/3, 2/9] = 2/9 each")),
        point("size-1 axis: 2x1, axis=1", [[[-2.0], [0.5]]], [[[-1.0], [1.0]]],
              "over one element the norm is |x|: derivative sign(x)", axis=1,
              second=hvp([np.zeros((2, 1))], "|x| is linear away from 0: H = 0")),
        *_empty_reduction_points("the norm", "0 (the empty sum of squares)"),
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
              bug=NORM_ZERO, second=hvp([np.zeros(3)], NORM_ZERO_HVP, exists=False)),
        point("ord='euclidean' underflow: [1e-200, 0]", [[1e-200, 0.0]], [[1.0, 0.0]],
              "x/‖x‖ = [1, 0] exactly (only the square underflows)", bug=NORM_UNDERFLOW,
              second=hvp([norm_hvp([1e-200, 0.0], UNDERFLOW_V)], UNDERFLOW_HVP, v=[UNDERFLOW_V], bug=NORM_UNDERFLOW_SECOND)),
        point("ord='fro' at the zero matrix", [np.zeros((2, 2))], [between(-np.ones((2, 2)), np.ones((2, 2)))],
              "the Frobenius norm is the 2-norm of the entries: subgradients at 0 fill the unit ball",
              bug=NORM_ZERO, ord="fro", axis=(0, 1), second=hvp([np.zeros((2, 2))], NORM_ZERO_HVP, exists=False)),
        point("ord=1 at the zero vector", [[0.0, 0.0, 0.0]], [between([-1.0] * 3, [1.0] * 3)],
              "Σ|x_i| has subdifferential [-1, 1] per entry at 0", ord=1,
              second=hvp([np.zeros(3)], "Σ|x_i| is piecewise linear: along v = [1, -2, 3] it is 6|t|, linear on each side, so "
                         "both one-sided second derivatives are 0; asserted: 0", v=[[1.0, -2.0, 3.0]], exists=False)),
        point("ord=inf tie: [3, -3, 1]", [[3.0, -3.0, 1.0]], [between([0.0, -1.0, 0.0], [1.0, 0.0, 0.0])],
              "max|x_i| tied between x_0 = 3 and x_1 = -3: subgradients are convex combinations of e_0 and -e_1",
              ord=np.inf, second=hvp([np.zeros(3)], PIECEWISE_LINEAR, v=[[1.0, 1.0, 0.5]], exists=False)),
        point("empty vector, ord='euclidean'", [np.zeros((0,))], [np.zeros((0,))],
              "the norm of no entries is the constant 0: an empty gradient", second=hvp([np.zeros((0,))], EMPTY)),
        point("empty vector, ord=1", [np.zeros((0,))], [np.zeros((0,))], "the empty sum 0: an empty gradient", ord=1,
              second=hvp([np.zeros((0,))], EMPTY)),
        point("empty vector, ord=inf", [np.zeros((0,))], [np.zeros((0,))],
              "max|x| over no entries: a constant, an empty gradient", ord=np.inf, second=hvp([np.zeros((0,))], EMPTY)),
        point("0x3 matrix, ord='fro'", [np.zeros((0, 3))], [np.zeros((0, 3))],
              "the Frobenius norm of an empty matrix is the constant 0: an empty gradient", ord="fro", axis=(0, 1),
              second=hvp([np.zeros((0, 3))], EMPTY)),
    ]),
    op("tf.norm(ord=2, axis=(-2, -1))", tf.norm, [
        Sample((_one("tf.norm(ord=2)", (3, 2)),), dict(ord=2, axis=(0, 1)), "3x2, ord=2, axis=(0, 1)"),
        Sample((_one("tf.norm(ord=2)", (2, 2, 3), salt="b"),), dict(ord=2, axis=(-2, -1)), "2x2x3, ord=2, axis=(-2, -1)"),
    ], domain="all reals; not differentiable where the largest singular value is repeated (or 0)",
       skips={"xla": "XLA cannot compile the spectral branch of tf.norm: its ListDiff of the axes (from map_fn) is not "
                     "a compile-time constant"}, points=[
        point("diag(3, 1)", [np.diag([3.0, 1.0])], [[[1.0, 0.0], [0.0, 0.0]]],
              "∂σ_max/∂A = u₁v₁ᵀ for a simple largest singular value: e₁e₁ᵀ", ord=2, axis=(0, 1),
              second=hvp([[[0.0, 0.5], [0.5, 0.0]]],
                         "d²σ₁[E, E] = (σ₁(a₁₂² + a₂₁²) + 2σ₂a₁₂a₂₁)/(σ₁² − σ₂²) with a_ij = u_iᵀEv_j (U = V = I): "
                         "(3E₁₂² + 3E₂₁² + 2E₁₂E₂₁)/8, and σ₁ = 3 + E₁₁ is linear in the diagonal, so H on (E₁₂, E₂₁) is "
                         "[[3, 1], [1, 3]]/8 and H·1 = [[0, 1/2], [1/2, 0]]")),
        point("diag(-3, 1)", [np.diag([-3.0, 1.0])], [[[-1.0, 0.0], [0.0, 0.0]]],
              "u₁ = −e₁, v₁ = e₁: u₁v₁ᵀ = −e₁e₁ᵀ", ord=2, axis=(0, 1),
              second=hvp([[[0.0, 0.25], [0.25, 0.0]]],
                         "as for diag(3, 1) with u₁ = −e₁: a₁₂ = −E₁₂, so d²σ₁[E, E] = (3E₁₂² + 3E₂₁² − 2E₁₂E₂₁)/8, H on "
                         "(E₁₂, E₂₁) is [[3, −1], [−1, 3]]/8 and H·1 = [[0, 1/4], [1/4, 0]]")),
        point("identity: tied singular values", [np.eye(2)], [between([[0.0, -0.5], [-0.5, 0.0]], [[1.0, 0.5], [0.5, 1.0]])],
              "∂σ_max(I) = {S ⪰ 0, tr S = 1}: diagonal entries in [0, 1], off-diagonal within ±1/2", ord=2, axis=(0, 1),
              second=hvp([np.zeros((2, 2))],
                         "not twice differentiable at I (σ₁ = σ₂); along V = 11ᵀ, σ_max(I + tV) = 1 + 2t for t > 0 and 1 for "
                         "−1 < t < 0, with the constant gradients 11ᵀ/2 and (e₁ − e₂)(e₁ − e₂)ᵀ/2 on the two sides: both "
                         "one-sided second derivatives along V are 0; asserted: 0", exists=False)),
        point("zero matrix", [np.zeros((2, 2))], [between(-np.ones((2, 2)), np.ones((2, 2)))],
              "the subdifferential of the spectral norm at 0 is the nuclear-norm unit ball: entries in [-1, 1]",
              ord=2, axis=(0, 1),
              second=hvp([np.zeros((2, 2))], "not twice differentiable at 0; ‖tV‖₂ = |t|·‖V‖₂ is linear on each side, so "
                         "H(tV)·V = 0 for t ≠ 0 (Euler's identity for a degree-1 homogeneous function); asserted: 0",
                         exists=False)),
    ]),
    op("tf.math.cumsum", tf.math.cumsum, cumulative_samples("tf.math.cumsum"), points=[
        point("exclusive: 4", [[0.5, -1.0, 2.0, 0.25]], [[3.0, 2.0, 1.0, 0.0]],
              "Σ_j Σ_{k<j} x_k: x_i appears in the n − 1 − i later outputs", exclusive=True, second=hvp([np.zeros(4)], LINEAR)),
        point("reverse and exclusive: 4", [[0.5, -1.0, 2.0, 0.25]], [[0.0, 1.0, 2.0, 3.0]],
              "Σ_j Σ_{k>j} x_k: x_i appears in the i earlier outputs", exclusive=True, reverse=True,
              second=hvp([np.zeros(4)], LINEAR)),
        point("size-1 axis, exclusive", [[1.5]], [[0.0]], "the exclusive cumsum of one element is the empty sum 0",
              exclusive=True, second=hvp([np.zeros(1)], LINEAR)),
        point("empty axis", [np.zeros((0,))], [np.zeros((0,))], "an empty input has an empty gradient",
              second=hvp([np.zeros((0,))], EMPTY)),
        *_empty_cumulative_points(),
    ]),
    op("tf.math.cumprod", tf.math.cumprod, cumulative_samples("tf.math.cumprod", AWAY_FROM_ZERO),
       domain="all reals", points=[
        point("zero inside: [2, 0, 3, 4]", [PROD_2034], [cumprod_grad(PROD_2034)],
              "∂/∂x_i Σ_j Π_{k≤j} x_k = Σ_{j≥i} Π_{k≤j, k≠i} x_k: x_1 gets 2 + 2·3 + 2·3·4 = 32", bug=CUMPROD_ZERO,
              second=hvp([cumprod_hvp(PROD_2034)], CUMPROD_HVP), third=hvp([cumprod_third(PROD_2034)], CUMPROD_THIRD)),
        point("two zeros: [2, 0, 3, 0]", [[2.0, 0.0, 3.0, 0.0]], [cumprod_grad([2, 0, 3, 0])],
              "the same sum of products of the other factors: [1, 2 + 6, 0, 0]", bug=CUMPROD_ZERO,
              second=hvp([cumprod_hvp([2, 0, 3, 0])], CUMPROD_HVP), third=hvp([cumprod_third([2, 0, 3, 0])], CUMPROD_THIRD)),
        point("zero first: [0, 2, 3]", [[0.0, 2.0, 3.0]], [cumprod_grad([0, 2, 3])],
              "x_0 gets 1 + 2 + 2·3 = 9, the others 0", bug=CUMPROD_ZERO,
              second=hvp([cumprod_hvp([0, 2, 3])], CUMPROD_HVP), third=hvp([cumprod_third([0, 2, 3])], CUMPROD_THIRD)),
        point("exclusive, zero inside: [2, 0, 3, 4]", [PROD_2034], [cumprod_grad(PROD_2034, exclusive=True)],
              "y = [1, x0, x0x1, x0x1x2]: x_1 gets x0 + x0x2 = 8", bug=CUMPROD_ZERO, exclusive=True,
              second=hvp([cumprod_hvp(PROD_2034, exclusive=True)], CUMPROD_HVP),
              third=hvp([cumprod_third(PROD_2034, exclusive=True)], CUMPROD_THIRD)),
        point("reverse, zero inside: [2, 3, 0, 4]", [[2.0, 3.0, 0.0, 4.0]], [cumprod_grad([2, 3, 0, 4], reverse=True)],
              "y_j = Π_{k≥j} x_k: x_2 gets x3 + x1x3 + x0x1x3 = 4 + 12 + 24 = 40", bug=CUMPROD_ZERO, reverse=True,
              second=hvp([cumprod_hvp([2, 3, 0, 4], reverse=True)], CUMPROD_HVP),
              third=hvp([cumprod_third([2, 3, 0, 4], reverse=True)], CUMPROD_THIRD)),
        point("no zero: [2, -1, 3]", [[2.0, -1.0, 3.0]], [cumprod_grad([2, -1, 3])],
              "away from zeros: Σ_{j≥i} Π_{k≤j, k≠i} x_k = [1 − 1 − 3, 2 + 6, −2] = [-3, 8, -2]",
              second=hvp([cumprod_hvp([2, -1, 3])], CUMPROD_HVP), third=hvp([cumprod_third([2, -1, 3])], CUMPROD_THIRD)),
        point("empty axis", [np.zeros((0,))], [np.zeros((0,))], "an empty input has an empty gradient",
              second=hvp([np.zeros((0,))], EMPTY)),
        *_empty_cumulative_points(),
    ]),
    op("tf.math.cumulative_logsumexp", _cumulative_logsumexp, cumulative_samples("tf.math.cumulative_logsumexp"),
       points=[
        point("all equal: [0, 0, 0, 0]", [[0.0] * 4], [cumulative_logsumexp_grad([0, 0, 0, 0])],
              "∂/∂x_i Σ_j log S_j = Σ_{j≥i} e^{x_i}/S_j with S_j = j + 1: [25/12, 13/12, 7/12, 1/4]",
              second=hvp([cumulative_logsumexp_hvp([0.0] * 4, V4)], CUMULATIVE_LSE_HVP, v=[V4],
                         bug=LOGCUMSUMEXP_SECOND_ORDER_AT_POINTS)),
        point("-inf entry: [0, -inf, 0, 0]", [[0.0, -INF, 0.0, 0.0]], [cumulative_logsumexp_grad([0, -INF, 0, 0])],
              "e^{-inf} = 0: x_1 gets 0 and S = [1, 1, 2, 3]",
              second=hvp([cumulative_logsumexp_hvp([0.0, -INF, 0.0, 0.0], V4)], CUMULATIVE_LSE_HVP, v=[V4],
                         bug=LOGCUMSUMEXP_SECOND_ORDER_AT_POINTS)),
        point("large: [1000, 1000, 1000]", [[1000.0] * 3], [cumulative_logsumexp_grad([0, 0, 0])],
              "shift-invariant: the same weights as at [0, 0, 0], though e^1000 overflows",
              second=hvp([cumulative_logsumexp_hvp([0.0] * 3, [1.0, 2.0, 3.0])], CUMULATIVE_LSE_HVP, v=[[1.0, 2.0, 3.0]],
                         bug=LOGCUMSUMEXP_SECOND_ORDER_AT_POINTS)),
        point("exclusive, keeping log 0 = -inf: [0, 0, 0, 0]", [[0.0] * 4],
              [cumulative_logsumexp_grad([0, 0, 0, 0], exclusive=True)],
              "y_0 = log 0 is constant; x_i gets Σ_{j>i} 1/j: [11/6, 5/6, 1/3, 0]", bug=LOGCUMSUMEXP_FORWARD_LOG0,
              exclusive=True, drop_log0=False,
              second=hvp([cumulative_logsumexp_hvp([0.0] * 4, V4, exclusive=True)], CUMULATIVE_LSE_HVP, v=[V4],
                         bug=LOGCUMSUMEXP_SECOND_ORDER_EXCLUSIVE)),
        point("empty axis", [np.zeros((0,))], [np.zeros((0,))], "an empty input has an empty gradient",
              second=hvp([np.zeros((0,))], EMPTY)),
        *_empty_cumulative_points(drop_log0=False),
    ], bugs=(LOGCUMSUMEXP_SECOND_ORDER,)),
    op("tf.sparse.reduce_sum", _sparse_reduce_sum, [
        Sample((_one("tf.sparse.reduce_sum", (5,), salt="a"),), dict(axis=None), "3x3 with 5 values, axis=None"),
        Sample((_one("tf.sparse.reduce_sum", (5,), salt="b"),), dict(axis=0), "axis=0"),
        Sample((_one("tf.sparse.reduce_sum", (5,), salt="c"),), dict(axis=-1, keepdims=True), "axis=-1, keepdims"),
    ], domain="all reals (the SparseTensor's values)",
       skips={"xla": "XLA cannot compile SparseReduceSum (no XLA kernel)"}, points=[
        point("row without values: axis=1", [[1.0, -2.0, 0.5]], [[1.0, 1.0, 1.0]],
              "row 1 stores nothing, its sum is the constant 0; every stored value enters one row sum once",
              indices=np.array([[0, 0], [0, 2], [2, 1]], np.int64), axis=1, second=hvp([np.zeros(3)], LINEAR)),
        point("no stored values", [np.zeros((0,))], [np.zeros((0,))], "no values: an empty gradient",
              indices=np.zeros((0, 2), np.int64), axis=0, second=hvp([np.zeros((0,))], EMPTY)),
        point("zero-size dense shape [2, 0], axis=None", [np.zeros((0,))], [np.zeros((0,))],
              "a 2x0 SparseTensor stores no values; its sum is the constant 0: an empty gradient",
              indices=np.zeros((0, 2), np.int64), dense_shape=[2, 0], axis=None, second=hvp([np.zeros((0,))], EMPTY)),
        point("zero-size dense shape [0, 3], summed over the zero dimension: axis=0", [np.zeros((0,))], [np.zeros((0,))],
              "the column sums of a 0x3 SparseTensor are the constant zeros(3): an empty gradient",
              indices=np.zeros((0, 2), np.int64), dense_shape=[0, 3], axis=0, second=hvp([np.zeros((0,))], EMPTY)),
    ]),
    op("tf.sparse.reduce_sum(zero-size dense_shape)", _sparse_reduce_sum, [
        Sample((_one("tf.sparse.reduce_sum(zero-size dense_shape)", (5,)),), dict(axis=1), "3x3 with 5 values, axis=1"),
    ], domain="all reals (the SparseTensor's values); the points' dense shapes have a zero dimension that is kept",
       skips={"xla": "XLA cannot compile SparseReduceSum (no XLA kernel)"}, points=[
        point("zero-size dense shape [0, 3], axis=1", [np.zeros((0,))], [np.zeros((0,))],
              "a 0x3 SparseTensor stores no values; its row sums form an empty (0,) output: an empty gradient",
              bug=SPARSE_REDUCE_SUM_ZERO_DIM, indices=np.zeros((0, 2), np.int64), dense_shape=[0, 3], axis=1,
              second=hvp([np.zeros((0,))], EMPTY)),
        point("zero-size dense shape [2, 0], axis=0", [np.zeros((0,))], [np.zeros((0,))],
              "a 2x0 SparseTensor stores no values; its column sums form an empty (0,) output: an empty gradient",
              bug=SPARSE_REDUCE_SUM_ZERO_DIM, indices=np.zeros((0, 2), np.int64), dense_shape=[2, 0], axis=0,
              second=hvp([np.zeros((0,))], EMPTY)),
    ]),
    op("tf.sparse.reduce_sum(output_is_sparse=True)", _sparse_reduce_sum_sparse, [
        Sample((_one("tf.sparse.reduce_sum(output_is_sparse=True)", (5,)),), dict(axis=1), "3x3 with 5 values, axis=1"),
    ], domain="all reals (the SparseTensor's values)", bugs=(SPARSE_SUM_SPARSE,),
       skips={"xla": "XLA cannot compile SparseReduceSumSparse (no XLA kernel)"}, points=[
        point("axis=1", [[1.0, -2.0, 0.5, 3.0, 0.25]], [[1.0] * 5], "each value enters one row sum once",
              bug=SPARSE_SUM_SPARSE, axis=1, second=hvp([np.zeros(5)], LINEAR)),
    ]),
    op("tf.nn.l2_loss", tf.nn.l2_loss, [
        Sample((_one("tf.nn.l2_loss", (5,)),), label="5"),
        Sample((_one("tf.nn.l2_loss", (2, 3)),), label="2x3"),
    ], points=[
        point("zeros", [[0.0, 0.0]], [[0.0, 0.0]], "∂/∂x Σx²/2 = x = 0", second=hvp([[1.0, 1.0]], "H = I: H·1 = 1")),
        point("empty", [np.zeros((0,))], [np.zeros((0,))], "an empty input has an empty gradient",
              second=hvp([np.zeros((0,))], EMPTY)),
        point("empty 0x3", [np.zeros((0, 3))], [np.zeros((0, 3))], "Σx²/2 over no entries is the constant 0",
              second=hvp([np.zeros((0, 3))], EMPTY)),
    ]),
    op("tf.linalg.global_norm", _global_norm, [
        Sample(tuple(draw("tf.linalg.global_norm", (3,), (2, 2))), label="a list of a 3-vector and a 2x2 matrix"),
        Sample(tuple(draw("tf.linalg.global_norm", (), (4,), salt="b")), label="a list of a scalar and a 4-vector"),
    ], diff=(0, 1), domain="all reals; not differentiable where every tensor is 0", points=[
        point("all zero", [[0.0, 0.0], [0.0, 0.0]], [between([-1.0] * 2, [1.0] * 2), between([-1.0] * 2, [1.0] * 2)],
              "sqrt(Σ‖t‖²) is the 2-norm of all entries: at 0 its subdifferential is the unit ball, each entry in [-1, 1]",
              bug=GLOBAL_NORM_ZERO, second=hvp([np.zeros(2), np.zeros(2)], NORM_ZERO_HVP, exists=False)),
        point("one tensor zero: [3, 4] and [0, 0]", [[3.0, 4.0], [0.0, 0.0]], [[0.6, 0.8], [0.0, 0.0]],
              "x/‖x‖ over all entries, ‖x‖ = 5",
              second=hvp(np.split(norm_hvp([3.0, 4.0, 0.0, 0.0]), 2),
                         "H = (I − x̂x̂ᵀ)/5 over all four entries, x̂ = (0.6, 0.8, 0, 0), x̂·1 = 1.4: H·1 = "
                         "[(1 − 0.84)/5, (1 − 1.12)/5] and [1/5, 1/5]")),
        point("one tensor empty: [] and [3, 4]", [np.zeros((0,)), [3.0, 4.0]], [np.zeros((0,)), [0.6, 0.8]],
              "an empty tensor adds nothing to the norm: x/‖x‖ for the other, an empty gradient for it",
              second=hvp([np.zeros((0,)), norm_hvp([3.0, 4.0])], "H = (I − x̂x̂ᵀ)/5 on the non-empty tensor: "
                         "[(1 − 0.6·1.4)/5, (1 − 0.8·1.4)/5] = [0.032, -0.024]")),
        point("both empty", [np.zeros((0,)), np.zeros((0, 2))], [np.zeros((0,)), np.zeros((0, 2))],
              "the norm of no entries is the constant 0: empty gradients",
              second=hvp([np.zeros((0,)), np.zeros((0, 2))], EMPTY)),
    ]),
    op("tf.nn.moments", tf.nn.moments, [
        Sample((_one("tf.nn.moments", (2, 3)),), dict(axes=[0, 1]), "2x3, axes=[0, 1]"),
        Sample((_one("tf.nn.moments", (3, 2)),), dict(axes=[0], keepdims=True), "3x2, axes=[0], keepdims"),
        Sample((_one("tf.nn.moments", (2, 3, 2)),), dict(axes=[-1]), "2x3x2, axes=[-1]"),
    ], bugs=(MOMENTS_SECOND_ORDER,), points=[
        point("all equal: [1.5, 1.5, 1.5, 1.5]", [[1.5] * 4], [[0.25] * 4],
              "∂/∂x_i (mean + variance) = 1/n + 2(x_i − mean)/n = 1/4 at equal entries", axes=[0],
              second=hvp([(V4 - V4.mean()) / 2], "the mean is linear; the variance has H = (2/n)(I − 11ᵀ/n): "
                         "Hv = (v − mean v)/2 = [-0.75, -0.25, 0.25, 0.75]", v=[V4],
                         bug=MOMENTS_SECOND_ORDER_AT_POINTS)),
        point("size-1 axis: 2x1, axes=[1]", [[[-0.5], [2.0]]], [[[1.0], [1.0]]],
              "over one element mean = x and variance ≡ 0: derivative 1", axes=[1],
              second=hvp([np.zeros((2, 1))], "mean = x is linear and the variance of one element is identically 0: H = 0",
                         bug=MOMENTS_SECOND_ORDER_AT_POINTS)),
        point("zero-size axis: 2x0, axes=[1]", [np.zeros((2, 0))], [np.zeros((2, 0))],
              "the mean and variance of no entries are 0/0 = NaN for every input: an empty gradient", axes=[1],
              second=hvp([np.zeros((2, 0))], EMPTY)),
        point("empty input, other axis: 0x3, axes=[1]", [np.zeros((0, 3))], [np.zeros((0, 3))],
              "moments over the non-empty axis of an empty input are empty (0,) outputs: an empty gradient", axes=[1],
              second=hvp([np.zeros((0, 3))], EMPTY)),
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
              axes=[0],
              second=hvp(weighted_moments_hvp([1.0, 2.0, 4.0], [1.0, 0.0, 1.0], [1.0, -1.0, 2.0], [0.5, 1.0, -1.0]),
                         "differentiating the closed-form gradient g_x = (w/W)(1 + 2x − 2m), g_w = ((x − m)(1 − 2m) + x² − "
                         "B/W)/W (A = Σwx, B = Σwx², W = Σw, m = A/W) along v (weighted_moments_hvp)",
                         v=[[1.0, -1.0, 2.0], [0.5, 1.0, -1.0]])),
    ]),
    op("tf.nn.sufficient_statistics", _sufficient_statistics, [
        Sample((_one("tf.nn.sufficient_statistics", (2, 3)), _one("tf.nn.sufficient_statistics", ())),
               dict(axes=[0, 1]), "2x3, axes=[0, 1], scalar shift"),
        Sample((_one("tf.nn.sufficient_statistics", (3, 2), salt="b"), _one("tf.nn.sufficient_statistics", (2,), salt="s")),
               dict(axes=[0], keepdims=True), "3x2, axes=[0], shift of shape 2, keepdims"),
    ], diff=(0, 1), domain="all reals", points=[
        point("x = shift", [[0.5, 0.5, 0.5], [0.5]], [[1.0, 1.0, 1.0], [-2.0]],
              "outputs n, Σ(x − s), Σ(x − s)², s: ∂/∂x_i = 1 + 2(x_i − s) = 1; ∂/∂s = −n − 2Σ(x − s) + 1 = −3 − 0 + 1",
              axes=[0],
              second=hvp([[0.0, 2.0, 4.0], [-6.0]], "∂²/∂x_i∂x_j = 2δ_ij, ∂²/∂x_i∂s = −2, ∂²/∂s² = 2n = 6: for v = ([1, 2, 3], "
                         "1), H·v = (2v_x − 2, −2Σv_x + 6) = ([0, 2, 4], −6)", v=[[1.0, 2.0, 3.0], [1.0]])),
        point("empty x", [np.zeros((0,)), 0.5], [np.zeros((0,)), 1.0],
              "count 0, Σ(x − s) = Σ(x − s)² = 0 over no entries, and the shift output s itself: ∂/∂s = 1", axes=[0],
              second=hvp([np.zeros((0,)), 0.0], "the outputs are constants and s: H = 0")),
    ]),
    op("tf.nn.normalize_moments", _normalize_moments, [
        Sample(tuple(draw("tf.nn.normalize_moments", (), (), (), (), domain=POSITIVE_WEIGHTS)), label="scalars"),
        Sample(tuple(draw("tf.nn.normalize_moments", (), (3,), (3,), (3,), domain=POSITIVE_WEIGHTS, salt="b")),
               label="scalar count, vectors of 3"),
    ], diff=(0, 1, 2, 3), domain="counts > 0; the rest all reals", points=[
        point("counts = 1, shift = 0", [1.0, 2.0, 5.0, 0.0], [1.0, -3.0, 1.0, 1.0],
              "mean = m/c + s, var = v/c − (m/c)²: ∂/∂c = −m/c² − v/c² + 2m²/c³ = −2 − 5 + 8 = 1; ∂/∂m = 1/c − 2m/c² = −3; "
              "∂/∂v = 1/c; ∂/∂s = 1",
              second=hvp([-4.0, 5.0, -1.0, 0.0],
                         "f_cc = 2(m + v)/c³ − 6m²/c⁴ = −10, f_cm = −1/c² + 4m/c³ = 7, f_cv = −1/c² = −1, f_mm = −2/c² = −2, "
                         "the rest 0: H·1 = (−10 + 7 − 1, 7 − 2, −1, 0)"),
              third=hvp([18.0, -14.0, 2.0, 0.0],
                        "1ᵀH1 = (10m + 2v)/c³ − 6m²/c⁴ − 6/c²; its gradient (−3(10m + 2v)/c⁴ + 24m²/c⁵ + 12/c³, "
                        "10/c³ − 12m/c⁴, 2/c³, 0) = (−90 + 96 + 12, 10 − 24, 2, 0)")),
    ]),
]
