"""Older raw-op versions that public APIs no longer emit, called as users can still call them: `tf.raw_ops.X`.

Each is checked like any op: tf.raw_ops.Add, Div, Inv and InvGrad (Inv's own gradient emits ReciprocalGrad, so
InvGrad is reached only directly), SoftplusGrad (Softplus's gradient is grad·σ(x), so the tf.math.softplus record
never emits it; its registered second derivative is checked here), BatchMatMul (no broadcasting), BatchMatMulV3
(broadcasting, Tout), BatchToSpace / SpaceToBatch (4-D, one block size), BiasAddV1, Concat (dimension first),
Gather, MatrixDiag / MatrixDiagPart / MatrixSetDiag and their V2 versions (bands k, num_rows/num_cols,
padding_value), MaxPoolV2 (ksize and strides as tensors; second order reaches MaxPoolGradV2 and MaxPoolGradGradV2),
Reverse (boolean dims), NthElement, ScatterNdNonAliasingAdd, TensorStridedSliceUpdate, SparseMatMul (float32 and
bfloat16 only: checked in float32 against a float64 NumPy reference), and ArgMax/ArgMin through tf.math.argmax /
argmin: their registered gradient returns None for both inputs (the output is an integer index), so the records
check x[argmax x] = max x, whose gradient reaches x through the gather of the index.

Found here: the V2 diagonal ops' gradients ignore their left alignment for bands with a superdiagonal
(tensorflow#127235, fixed after 2.21) and drop padding_value's gradient; Gather's forward mode raises;
MaxPoolGradGradV2 has no gradient; XLA cannot compile the gradient of an empty TensorStridedSliceUpdate; and, as in
every TensorFlow kernel, subnormal derivatives are flushed to zero (Inv's tail).

Left out: tf.raw_ops.TopK (removed in GraphDef version 7: tf.function refuses to build it, and eagerly its CPU
kernel requires an index_type attribute the V1 op does not have, so it cannot run at all); the TensorArray V1/V2
ops (removed in GraphDef version 26; eagerly their ref handles are rejected); TPU, cuDNN and NCCL versions (no CPU
kernel); quantized and sparse variants (their own families). MaxPoolGradGradV2's missing gradient matters only for
a third derivative or forward mode over the second, recorded on MaxPoolV2.
"""
import dataclasses

import numpy as np
import tensorflow as tf

from spec.atlas.family_math_basic import quotient_tails
from spec.atlas.records import (POINT_CHECKS, REAL, REAL_NONZERO, KnownBug, Sample, Workaround, as_f32_exact, between,
                                binary, distinct, draw, hvp, op, point, reproducer, rng_for, tail, unary)

FAMILY = "older raw ops called through tf.raw_ops (Add, Div, Inv, BatchMatMul, MatrixDiag V1/V2, MaxPoolV2, ...)"

S0 = 0.5  # σ(0)
SP0 = 0.25  # σ'(0) = σ(1 − σ)
S40 = 1.0 / (1.0 + np.exp(40.0))  # σ(−40), float64 closed form
SP40 = np.exp(-40.0) / (1.0 + np.exp(-40.0)) ** 2  # σ'(±40)
SPP40 = SP40 * (1.0 - 2.0 * S40)  # σ''(−40) = σ'(1 − 2σ)


def sample(name: str, label: str, *shapes, **kwargs) -> Sample:
    return Sample(tuple(draw(name, *shapes, salt=label)), kwargs, label)


def idx(*rows):
    return np.array(rows, dtype=np.int64)


# ------------------------------------------------------------------------------------------ batch matmul


def bmm_grads(x, y, adj_x=False, adj_y=False):
    """∂Σ(op(X)·op(Y))/∂X and /∂Y in float64 NumPy (op = adjoint where asked, batch dims broadcast):
    with A = op(X), B = op(Y) and 1 the all-ones output, G_A = 1·Bᵀ, G_B = Aᵀ·1, then G_X = G_Aᵀ if adj_x."""
    t = lambda m: np.swapaxes(m, -1, -2)
    a, b = (t(x) if adj_x else x), (t(y) if adj_y else y)
    ones = np.ones(np.broadcast_shapes(a.shape[:-1], b.shape[:-2] + (1,))[:-1] + (a.shape[-2], b.shape[-1]))
    ga, gb = ones @ t(b), t(a) @ ones
    gx, gy = (t(ga) if adj_x else ga), (t(gb) if adj_y else gb)

    def reduce_to(g, shape):
        while g.ndim > len(shape):
            g = g.sum(axis=0)
        return g.sum(axis=tuple(i for i, d in enumerate(shape) if d == 1 and g.shape[i] != 1), keepdims=True)

    return reduce_to(gx, x.shape), reduce_to(gy, y.shape)


def bmm_point(label, x, y, vx, vy, adj_x=False, adj_y=False, **kwargs):
    """The gradient of Σ(XY) and its H·v: the gradient is linear in the other factor, so H·(vx, vy) is the gradient
    with the other factor replaced by its tangent: (G_X(Y := vy), G_Y(X := vx))."""
    gx, gy = bmm_grads(x, y, adj_x, adj_y)
    hx, _ = bmm_grads(x, vy, adj_x, adj_y)
    _, hy = bmm_grads(vx, y, adj_x, adj_y)
    return point(label, [x, y], [gx, gy], "Σ op(X)op(Y): ∂/∂A = 1·Bᵀ, ∂/∂B = Aᵀ·1 (A = op(X), B = op(Y), 1 all ones)",
                 second=hvp([hx, hy], "bilinear: H·(vx, vy) = (1·op(vy)ᵀ, op(vx)ᵀ·1) mapped back through op", v=[vx, vy]),
                 adj_x=adj_x, adj_y=adj_y, **kwargs)


# --------------------------------------------------------------------------------------------- known bugs

_DIAG_V2_PADDING_BUG = KnownBug(
    "MatrixDiagV2's registered gradient returns None for padding_value (array_grad._MatrixDiagV2Grad), so "
    "d/dp = 0 although every entry outside the band equals p: ∂Σ/∂p is the number of padded entries",
    "unreported",
    reproducer("d, p = tf.constant([1.0, 2.0]), tf.constant(0.5)",
               "with tf.GradientTape() as t:",
               "    t.watch(p)",
               "    y = tf.reduce_sum(tf.raw_ops.MatrixDiagV2(diagonal=d, k=0, num_rows=-1, num_cols=-1, padding_value=p))",
               "print(t.gradient(y, p))  # expected 2.0 (two off-diagonal entries), got None"),
    checks=("reverse", "forward", "special_reverse", "special_forward", "gpu"),
    kind="missing gradient",
    kind_why="Σ MatrixDiagV2(d, p) is linear in p with slope = the number of padded entries; the tape returns None (0)",
    searched=("MatrixDiagV2 MatrixSetDiagV2 gradient wrong alignment superdiagonal",),
    workaround=Workaround('''import tensorflow as tf


def matrix_diag_v2(diagonal, padding_value, k=0, num_rows=-1, num_cols=-1):
    """MatrixDiagV2 with a gradient for padding_value: the band with padding 0, plus p times the band's complement."""
    band = tf.raw_ops.MatrixDiagV2(diagonal=diagonal, k=k, num_rows=num_rows, num_cols=num_cols,
                                   padding_value=tf.zeros([], diagonal.dtype))
    outside = 1.0 - tf.raw_ops.MatrixDiagV2(diagonal=tf.ones_like(diagonal), k=k, num_rows=num_rows,
                                            num_cols=num_cols, padding_value=tf.zeros([], diagonal.dtype))
    return band + padding_value * outside
''', "matrix_diag_v2"))

_DIAG_PART_V2_PADDING_BUG = KnownBug(
    "MatrixDiagPartV2's registered gradient returns None for padding_value (array_grad._MatrixDiagPartV2Grad), so "
    "d/dp = 0 although every band entry that falls outside the matrix equals p: ∂Σ/∂p is the number of such entries",
    "unreported",
    reproducer("a, p = tf.constant([[1.0, 2.0], [3.0, 4.0]]), tf.constant(0.5)",
               "with tf.GradientTape() as t:",
               "    t.watch(p)",
               "    y = tf.reduce_sum(tf.raw_ops.MatrixDiagPartV2(input=a, k=[-1, 0], padding_value=p))",
               "print(t.gradient(y, p))  # expected 1.0 (diagonal -1 has one entry, padded to 2), got None"),
    checks=_DIAG_V2_PADDING_BUG.checks, kind="missing gradient",
    kind_why="Σ MatrixDiagPartV2(A, k, p) is linear in p with slope = the number of padded band entries; the tape returns None (0)",
    searched=("MatrixDiagV2 MatrixSetDiagV2 gradient wrong alignment superdiagonal",),
    workaround=Workaround('''import tensorflow as tf


def matrix_diag_part_v2(matrix, padding_value, k=0):
    """MatrixDiagPartV2 with a gradient for padding_value: the band with padding 0, plus p where the band is padding."""
    zero = tf.zeros([], matrix.dtype)
    band = tf.raw_ops.MatrixDiagPartV2(input=matrix, k=k, padding_value=zero)
    padded = 1.0 - tf.raw_ops.MatrixDiagPartV2(input=tf.ones_like(matrix), k=k, padding_value=zero)
    return band + padding_value * padded
''', "matrix_diag_part_v2"))


_V2_ALIGNMENT_WHY = (
    "the V2 diagonal ops store a band's diagonals left-aligned (LEFT_LEFT: a superdiagonal shorter than the longest "
    "diagonal is padded on the right), but their registered gradients (array_grad._MatrixDiagV2Grad, "
    "_MatrixDiagPartV2Grad, _MatrixSetDiagGradV2) call tf.linalg.diag_part / diag / set_diag with the V3 default "
    "align='RIGHT_LEFT', which right-aligns superdiagonals: the gradient of a superdiagonal in a band k=(k0, k1) with "
    "k1 > 0 is shifted by the padding")


def _alignment_bug(op_name: str, reproducer_text: str, workaround: Workaround, checks=None) -> KnownBug:
    return KnownBug(
        f"{op_name}: {_V2_ALIGNMENT_WHY}", "https://github.com/tensorflow/tensorflow/issues/127235", reproducer_text,
        checks=checks or ("reverse", "forward", "gpu"),
        kind="wrong value",
        kind_why="the op is linear in its inputs; the gradient moves a superdiagonal's cotangent to the wrong positions",
        related=("https://github.com/tensorflow/tensorflow/pull/127316", "https://github.com/tensorflow/tensorflow/pull/127408"),
        searched=("MatrixDiagV2 MatrixSetDiagV2 gradient wrong alignment superdiagonal",),
        workaround=workaround)


_SET_DIAG_V2_ALIGNMENT_BUG = _alignment_bug("MatrixSetDiagV2", reproducer(
    "a = tf.zeros([3, 3], tf.float64)",
    "d = tf.constant([[10.0, 11.0, 12.0], [20.0, 21.0, 22.0]], tf.float64)  # k=1 row [10, 11] + padding 12",
    "u = tf.reshape(tf.range(1.0, 10.0, dtype=tf.float64), [3, 3])",
    "with tf.GradientTape() as t:",
    "    t.watch(d)",
    "    y = tf.reduce_sum(u * tf.raw_ops.MatrixSetDiagV2(input=a, diagonal=d, k=[0, 1]))",
    "print(t.gradient(y, d))  # expected [[2, 6, 0], [1, 5, 9]] (u[0,1], u[1,2], padding), got [[0, 2, 6], [1, 5, 9]]"),
    Workaround('''import tensorflow as tf


def matrix_diag_v2_band(diagonal, k, num_rows=-1, num_cols=-1):
    """MatrixDiagV2 with padding 0: the band records (the gradient of padding_value is the other record's)."""
    return tf.raw_ops.MatrixDiagV2(diagonal=diagonal, k=k, num_rows=num_rows, num_cols=num_cols,
                                   padding_value=tf.zeros([], diagonal.dtype))


def matrix_diag_part_v2_band(matrix, k):
    return tf.raw_ops.MatrixDiagPartV2(input=matrix, k=k, padding_value=tf.zeros([], matrix.dtype))


def matrix_set_diag_v2(matrix, diagonal, k=0):
    """MatrixSetDiagV2 as MatrixSetDiagV3 with the V2 alignment spelled out: V3's gradient honours its align."""
    return tf.linalg.set_diag(matrix, diagonal, k=k, align="LEFT_LEFT")
''', "matrix_set_diag_v2"))

_DIAG_V2_ALIGNMENT_BUG = _alignment_bug("MatrixDiagV2", reproducer(
    "d = tf.constant([[1.0, 2.0, 0.0], [3.0, 4.0, 5.0]], tf.float64)  # k=1 row [1, 2] + padding",
    "u = tf.reshape(tf.range(1.0, 10.0, dtype=tf.float64), [3, 3])",
    "with tf.GradientTape() as t:",
    "    t.watch(d)",
    "    m = tf.raw_ops.MatrixDiagV2(diagonal=d, k=[0, 1], num_rows=3, num_cols=3, padding_value=tf.constant(0.0, tf.float64))",
    "    y = tf.reduce_sum(u * m)",
    "print(t.gradient(y, d))  # expected [[2, 6, 0], [1, 5, 9]], got [[0, 2, 6], [1, 5, 9]]"),
    Workaround('''import tensorflow as tf


def matrix_diag_v2_band(diagonal, k, num_rows=-1, num_cols=-1):
    """MatrixDiagV2 (padding 0) as MatrixDiagV3 with the V2 alignment spelled out: V3's gradient honours its align."""
    return tf.linalg.diag(diagonal, k=k, num_rows=num_rows, num_cols=num_cols, align="LEFT_LEFT")
''', "matrix_diag_v2_band"))

_DIAG_PART_V2_ALIGNMENT_BUG = _alignment_bug("MatrixDiagPartV2", reproducer(
    "a = tf.reshape(tf.range(9.0, dtype=tf.float64), [3, 3])",
    "u = tf.constant([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], tf.float64)",
    "with tf.GradientTape() as t:",
    "    t.watch(a)",
    "    z = tf.raw_ops.MatrixDiagPartV2(input=a, k=[0, 1], padding_value=tf.constant(0.0, tf.float64))  # [[a01, a12, 0], diag]",
    "    y = tf.reduce_sum(u * z)",
    "print(t.gradient(y, a))  # expected [[4, 1, 0], [0, 5, 2], [0, 0, 6]], got [[4, 2, 0], [0, 5, 3], [0, 0, 6]]"),
    Workaround('''import tensorflow as tf


def matrix_diag_part_v2_band(matrix, k):
    """MatrixDiagPartV2 (padding 0) as MatrixDiagPartV3 with the V2 alignment spelled out: V3's gradient honours its align."""
    return tf.linalg.diag_part(matrix, k=k, align="LEFT_LEFT")
''', "matrix_diag_part_v2_band"))
#: the same bugs at a special point (the linear ops' second derivatives and float32 are unaffected: 0 and the same shift)
_SET_DIAG_V2_ALIGNMENT_AT_POINT = dataclasses.replace(_SET_DIAG_V2_ALIGNMENT_BUG, checks=POINT_CHECKS)
_DIAG_V2_ALIGNMENT_AT_POINT = dataclasses.replace(_DIAG_V2_ALIGNMENT_BUG, checks=POINT_CHECKS)


_SUBNORMAL_FLUSHED = KnownBug(
    "TensorFlow's CPU kernels run with denormals flushed to zero (FTZ/DAZ, tensorflow/core/platform/denormal.cc), so a "
    "derivative whose float64 value is subnormal comes back as 0: Inv's gradient −dy·(1/x)² at x = 1e155 is −1e-310",
    "unreported",
    reproducer("x = tf.constant(1e155, tf.float64)",
               "with tf.GradientTape() as t:",
               "    t.watch(x)",
               "    y = tf.raw_ops.Inv(x=x)",
               "print(t.gradient(y, x))  # expected -1e-310 (subnormal), got -0.0"),
    checks=("tail_reverse", "tail_forward"), kind="tail",
    kind_why="−1/x² = −1e-310 is a representable (subnormal) float64; every TensorFlow kernel flushes it to 0",
    related=("https://github.com/tensorflow/tensorflow/issues/11902", "https://github.com/tensorflow/tensorflow/issues/127905"),
    searched=("tensorflow denormal subnormal flushed to zero CPU float64",),
    no_workaround="the flush is a processor mode TensorFlow sets in its kernel threads (eager, tf.function and XLA alike): "
                  "no composition of TensorFlow ops returns a subnormal result")

_GATHER_FORWARD_CRASH = KnownBug(
    "forward mode through tf.raw_ops.Gather raises AttributeError: 'IndexedSlices' object has no attribute '_id': Gather's "
    "registered gradient returns IndexedSlices, and the JVP function ForwardAccumulator builds from it cannot be packed",
    "unreported",
    reproducer("p = tf.constant([1.0, 2.0, 3.0], tf.float64)",
               "with tf.autodiff.ForwardAccumulator(p, tf.ones_like(p)) as acc:",
               "    y = tf.raw_ops.Gather(params=p, indices=[0, 0, 2])  # AttributeError: 'IndexedSlices' object has no attribute '_id'",
               "print(acc.jvp(y))  # expected [1, 1, 1]"),
    checks=("forward", "forward_over_reverse", "reverse_over_forward", "forward_over_forward", "special_forward",
            "special_forward_over_reverse", "special_reverse_over_forward", "special_forward_over_forward"),
    kind="mode failure", kind_why="reverse mode is right; forward mode (and every composition with it) raises",
    searched=("ForwardAccumulator gather IndexedSlices object has no attribute '_id'",),
    workaround=Workaround('''import tensorflow as tf


def gather(params, indices):
    """tf.raw_ops.Gather as GatherV2 on axis 0 (tf.gather), whose forward mode works."""
    return tf.gather(params, indices, axis=0)
''', "gather"))

_MAX_POOL_GRAD_GRAD_V2 = KnownBug(
    "MaxPoolGradGradV2 (what the gradient of MaxPoolV2's gradient emits) has no registered gradient, so forward mode over "
    "the reverse gradient, and reverse over forward, raise LookupError (MaxPoolGradGrad, the V1 op's, has one); a max pool "
    "is piecewise linear, so H = 0 away from ties",
    "unreported",
    reproducer("x = tf.constant([[[[1.0], [3.0]], [[2.0], [0.0]]]], tf.float64)",
               "with tf.autodiff.ForwardAccumulator(x, tf.ones_like(x)) as acc:",
               "    with tf.GradientTape() as t:",
               "        t.watch(x)",
               "        y = tf.raw_ops.MaxPoolV2(input=x, ksize=[1, 2, 2, 1], strides=[1, 2, 2, 1], padding='VALID')",
               "    g = t.gradient(y, x)",
               "print(acc.jvp(g))  # expected zeros, got LookupError: No gradient defined for operation ... (op type: MaxPoolGradGradV2)"),
    symptom="(op type: MaxPoolGradGradV2)",
    checks=("forward_over_reverse", "reverse_over_forward", "forward_over_forward", "special_forward_over_reverse",
            "special_reverse_over_forward", "special_forward_over_forward"),
    kind="missing gradient", kind_why="the second derivative exists (0 away from ties); the tape raises LookupError",
    related=("https://github.com/tensorflow/tensorflow/issues/11435",),
    searched=("No gradient defined for operation MaxPoolGradGradV2",),
    workaround=Workaround('''import tensorflow as tf


def max_pool_v2(x, ksize, strides, padding):
    """MaxPoolV2 as MaxPool (ksize and strides as attributes): MaxPoolGradGrad has a registered gradient."""
    return tf.nn.max_pool2d(x, ksize, strides, padding)
''', "max_pool_v2"))


# -------------------------------------------------------------------------------------------------- helpers


def add(x, y):
    return tf.raw_ops.Add(x=x, y=y)


def div(x, y):
    return tf.raw_ops.Div(x=x, y=y)


def inv(x):
    return tf.raw_ops.Inv(x=x)


def inv_grad(y, dy):
    return tf.raw_ops.InvGrad(y=y, dy=dy)


def softplus_grad(gradients, features):
    return tf.raw_ops.SoftplusGrad(gradients=gradients, features=features)


def batch_matmul(x, y, adj_x=False, adj_y=False):
    return tf.raw_ops.BatchMatMul(x=x, y=y, adj_x=adj_x, adj_y=adj_y)


def batch_matmul_v3(x, y, adj_x=False, adj_y=False):
    return tf.raw_ops.BatchMatMulV3(x=x, y=y, Tout=x.dtype, adj_x=adj_x, adj_y=adj_y)


def batch_to_space(x, crops, block_size):
    return tf.raw_ops.BatchToSpace(input=x, crops=crops, block_size=block_size)


def space_to_batch(x, paddings, block_size):
    return tf.raw_ops.SpaceToBatch(input=x, paddings=paddings, block_size=block_size)


def bias_add_v1(value, bias):
    return tf.raw_ops.BiasAddV1(value=value, bias=bias)


def concat(a, b, concat_dim):
    return tf.raw_ops.Concat(concat_dim=concat_dim, values=[a, b])


def gather(params, indices):
    return tf.raw_ops.Gather(params=params, indices=indices, validate_indices=True)


def matrix_diag(diagonal):
    return tf.raw_ops.MatrixDiag(diagonal=diagonal)


def matrix_diag_part(matrix):
    return tf.raw_ops.MatrixDiagPart(input=matrix)


def matrix_set_diag(matrix, diagonal):
    return tf.raw_ops.MatrixSetDiag(input=matrix, diagonal=diagonal)


def matrix_diag_v2(diagonal, padding_value, k=0, num_rows=-1, num_cols=-1):
    return tf.raw_ops.MatrixDiagV2(diagonal=diagonal, k=k, num_rows=num_rows, num_cols=num_cols, padding_value=padding_value)


def matrix_diag_part_v2(matrix, padding_value, k=0):
    return tf.raw_ops.MatrixDiagPartV2(input=matrix, k=k, padding_value=padding_value)


def matrix_diag_v2_band(diagonal, k, num_rows=-1, num_cols=-1):
    """MatrixDiagV2 with padding 0: the band records (the gradient of padding_value is the other record's)."""
    return tf.raw_ops.MatrixDiagV2(diagonal=diagonal, k=k, num_rows=num_rows, num_cols=num_cols,
                                   padding_value=tf.zeros([], diagonal.dtype))


def matrix_diag_part_v2_band(matrix, k):
    return tf.raw_ops.MatrixDiagPartV2(input=matrix, k=k, padding_value=tf.zeros([], matrix.dtype))


def matrix_set_diag_v2(matrix, diagonal, k=0):
    return tf.raw_ops.MatrixSetDiagV2(input=matrix, diagonal=diagonal, k=k)


def max_pool_v2(x, ksize, strides, padding):
    return tf.raw_ops.MaxPoolV2(input=x, ksize=ksize, strides=strides, padding=padding)


def reverse(x, dims):
    return tf.raw_ops.Reverse(tensor=x, dims=dims)


def nth_element(x, n, reverse=False):
    return tf.raw_ops.NthElement(input=x, n=n, reverse=reverse)


def sparse_matmul(a, b, transpose_a=False, transpose_b=False, a_is_sparse=False, b_is_sparse=False):
    return tf.raw_ops.SparseMatMul(a=a, b=b, transpose_a=transpose_a, transpose_b=transpose_b,
                                   a_is_sparse=a_is_sparse, b_is_sparse=b_is_sparse)


def sparse_matmul_reference(a, b, transpose_a=False, transpose_b=False, a_is_sparse=False, b_is_sparse=False):
    """SparseMatMul in float64 NumPy: op(a)·op(b) (the sparsity flags only choose the algorithm)."""
    return (a.T if transpose_a else a) @ (b.T if transpose_b else b)


def value_at_argmax(x, axis=-1):
    """x at tf.math.argmax(x, axis) (ArgMax): max x, reached through the gather of the integer index."""
    i = tf.math.argmax(x, axis=axis)
    return tf.gather(x, i, axis=axis, batch_dims=len(x.shape) - 1) if len(x.shape) > 1 else tf.gather(x, i)


def value_at_argmin(x, axis=-1):
    i = tf.math.argmin(x, axis=axis)
    return tf.gather(x, i, axis=axis, batch_dims=len(x.shape) - 1) if len(x.shape) > 1 else tf.gather(x, i)


def same_shape(name: str, fn, x, y, points, **extra):
    """An elementwise op of two arguments that does not broadcast (the *Grad ops): scalar, vector and matrix pairs."""
    samples = [Sample((x.draw(rng_for(name + label), shape), y.draw(rng_for(name + label + " y"), shape)), {}, label)
               for shape, label in (((), "scalar"), ((4,), "4"), ((2, 3), "2x3"))]
    return op(name, fn, samples, diff=(0, 1), domain=x.text if x is y else f"x: {x.text}; y: {y.text}", points=points, **extra)


def untied(name: str, label: str, shape, **kwargs) -> Sample:
    return Sample((distinct(name, shape, salt=label),), kwargs, label)


# ------------------------------------------------------------------------------------------ fixed arrays

X4 = as_f32_exact(np.arange(1.0, 17.0).reshape(4, 2, 2, 1) / 8.0)  # batch 4 of 2x2x1, for batch_to_space
M23 = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
M33 = np.arange(1.0, 10.0).reshape(3, 3)
BMM_X = np.array([[[1.0, 2.0], [0.0, -1.0]]])
BMM_Y = np.array([[[0.5, 1.0], [2.0, -3.0]]])
BMM_VX = np.array([[[1.0, 2.0], [3.0, 4.0]]])
BMM_VY = np.array([[[1.0, 0.0], [0.0, -1.0]]])
B2S_CROPPED = np.ones((4, 2, 2, 1))
B2S_CROPPED[0:2, 0] = 0.0  # batches 0 and 1 (block row offset 0), row 0: output row 0, cropped

OPS = [
    # ---------------------------------------------------------------------- elementwise V1 ops
    binary("tf.raw_ops.Add", add, REAL, REAL, [
        point("x=0,y=0", [0.0, 0.0], [1.0, 1.0], "∂(x + y)/∂x = ∂(x + y)/∂y = 1",
              second=hvp([0.0, 0.0], "x + y is linear: H = 0")),
        point("broadcast y over 3 x", [np.array([1.0, -2.0, 0.5]), 0.0], [np.ones(3), 3.0],
              "the scalar y is added to each of 3 entries: ∂Σ/∂y = 3", second=hvp([np.zeros(3), 0.0], "linear: H = 0")),
    ], no_tails="x + y has the constant gradient (1, 1), so there is no point where it could underflow or overflow "
                 "(no float64 tail)"),
    binary("tf.raw_ops.Div", div, REAL, REAL_NONZERO, [
        point("x=0,y=2", [0.0, 2.0], [0.5, 0.0], "∂(x/y)/∂x = 1/y = 0.5, ∂(x/y)/∂y = −x/y² = 0",
              second=hvp([-0.5, -0.25], "f_xx = 0, f_xy = −1/y² = −1/4, f_yy = 2x/y³ = 0; H·(1, 2) = (2·f_xy, f_xy) "
                         "= (−1/2, −1/4)", v=[1.0, 2.0])),
        point("x=1,y=-1", [1.0, -1.0], [-1.0, -1.0], "1/y = −1 and −x/y² = −1",
              second=hvp([-1.0, -3.0], "f_xx = 0, f_xy = −1/y² = −1, f_yy = 2x/y³ = −2; H·(1, 1) = (−1, −1 − 2)")),
    ], tails=quotient_tails()),  # tf.math.divide's tails (family_math_basic): 1/y and −x/y² at y = 2^±511, 2^520
    unary("tf.raw_ops.Inv", inv, REAL_NONZERO, [
        point("x=2", [2.0], [-0.25], "(1/x)' = −1/x² = −1/4",
              second=hvp([0.25], "(1/x)'' = 2/x³ = 1/4"), third=hvp([-0.375], "(1/x)''' = −6/x⁴ = −3/8")),
        point("x=-1", [-1.0], [-1.0], "−1/x² = −1", second=hvp([-2.0], "2/x³ = −2"), third=hvp([-6.0], "−6/x⁴ = −6")),
    ], tails=[
        tail("x=6.7e153 (last normal derivative)", [6.7e153], [-(1 / 6.7e153) ** 2],
             "−1/x² = −(1/x)² ≈ −2.23e-308, still normal"),
        tail("x=1e155 (subnormal derivative)", [1e155], [-(1e-155) ** 2], "−(1/x)² = −1e-310, subnormal",
             bug=_SUBNORMAL_FLUSHED),
        tail("x=1e-154 (near the largest float)", [1e-154], [-(1e154) ** 2], "−1/x² = −1e308, below the largest float"),
    ]),
    same_shape("tf.raw_ops.InvGrad", inv_grad, REAL, REAL, [
        point("y=0,dy=1", [0.0, 1.0], [0.0, 0.0], "InvGrad(y, dy) = −dy·y²: ∂/∂y = −2·dy·y = 0, ∂/∂dy = −y² = 0",
              second=hvp([-2.0, 0.0], "f_yy = −2dy = −2, f_y,dy = −2y = 0, f_dy,dy = 0: H·(1, 1) = (−2, 0)"),
              third=hvp([-4.0, -2.0], "f_yyy = 0, f_yy,dy = −2, the rest 0: D³f[·, v, v] = (2·f_yy,dy, f_dy,yy) = (−4, −2)")),
        point("y=2,dy=3", [2.0, 3.0], [-12.0, -4.0], "∂/∂y = −2·3·2 = −12, ∂/∂dy = −4",
              second=hvp([-10.0, -4.0], "f_yy = −6, f_y,dy = −4, f_dy,dy = 0: H·(1, 1) = (−10, −4)")),
    ], skips={"xla": "XLA cannot compile InvGrad (no XLA_CPU_JIT kernel)"}),
    same_shape("tf.raw_ops.SoftplusGrad", softplus_grad, REAL, REAL, [
        point("g=1,x=0", [1.0, 0.0], [S0, SP0], "g·σ(x): ∂/∂g = σ(0) = 1/2, ∂/∂x = g·σ'(0) = 1/4",
              second=hvp([SP0, SP0], "f_gg = 0, f_gx = σ'(0) = 1/4, f_xx = g·σ''(0) = 0: H·(1, 1) = (1/4, 1/4)")),
        point("g=2,x=-40", [2.0, -40.0], [S40, 2.0 * SP40], "σ(−40) = e^−40/(1 + e^−40), ∂/∂x = 2σ'(−40) (float64 closed forms)",
              second=hvp([SP40, SP40 + 2.0 * SPP40], "f_gx = σ'(−40), f_xx = 2σ''(−40) = 2σ'(1 − 2σ)")),
    ]),
    # ---------------------------------------------------------------------- matrix products
    op("tf.raw_ops.BatchMatMul", batch_matmul, [
        sample("tf.raw_ops.BatchMatMul", "2x2x3 @ 2x3x2", (2, 2, 3), (2, 3, 2)),
        sample("tf.raw_ops.BatchMatMul", "2x3x2 adj_x @ 2x3x4", (2, 3, 2), (2, 3, 4), adj_x=True),
        sample("tf.raw_ops.BatchMatMul", "1x2x3 @ 1x4x3 adj_y", (1, 2, 3), (1, 4, 3), adj_y=True),
    ], diff=(0, 1), points=[
        bmm_point("1x2x2 @ 1x2x2", BMM_X, BMM_Y, BMM_VX, BMM_VY),
        bmm_point("1x2x2 adj_x adj_y", BMM_X, BMM_Y, BMM_VX, BMM_VY, adj_x=True, adj_y=True),
        point("zero-size inner dimension", [np.zeros((1, 2, 0)), np.zeros((1, 0, 3))], [np.zeros((1, 2, 0)), np.zeros((1, 0, 3))],
              "X·Y = 0 (2x3) whatever the empty factors: empty gradients", second=hvp([np.zeros((1, 2, 0)), np.zeros((1, 0, 3))], "empty")),
    ]),
    op("tf.raw_ops.BatchMatMulV3", batch_matmul_v3, [
        sample("tf.raw_ops.BatchMatMulV3", "2x2x3 @ 2x3x2", (2, 2, 3), (2, 3, 2)),
        sample("tf.raw_ops.BatchMatMulV3", "2x1x2x3 @ 3x3x2 (broadcast batch)", (2, 1, 2, 3), (3, 3, 2)),
        sample("tf.raw_ops.BatchMatMulV3", "3x2 adj_x @ 1x3x4 adj_y", (3, 2), (1, 4, 3), adj_x=True, adj_y=True),
    ], diff=(0, 1), points=[
        bmm_point("1x2x2 @ 1x2x2", BMM_X, BMM_Y, BMM_VX, BMM_VY),
        bmm_point("2x2 broadcast against 1x2x2", BMM_X[0], BMM_Y, BMM_VX[0], BMM_VY),
    ]),
    op("tf.raw_ops.SparseMatMul", sparse_matmul, [
        sample("tf.raw_ops.SparseMatMul", "2x3 @ 3x4", (2, 3), (3, 4)),
        sample("tf.raw_ops.SparseMatMul", "3x2 transpose_a @ 4x3 transpose_b, a_is_sparse", (3, 2), (4, 3),
               transpose_a=True, transpose_b=True, a_is_sparse=True),
    ], diff=(0, 1), domain="all reals (float32 and bfloat16 only)", reference=sparse_matmul_reference, points=[
        point("2x2 @ 2x2", [BMM_X[0], BMM_Y[0]], list(bmm_grads(BMM_X[0], BMM_Y[0])),
              "Σ AB: ∂/∂A = 1·Bᵀ, ∂/∂B = Aᵀ·1",
              second=hvp([bmm_grads(BMM_X[0], BMM_VY[0])[0], bmm_grads(BMM_VX[0], BMM_Y[0])[1]],
                         "bilinear: H·(vA, vB) = (1·vBᵀ, vAᵀ·1)", v=[BMM_VX[0], BMM_VY[0]])),
        point("b_is_sparse with zeros", [BMM_X[0], np.array([[0.0, 1.0], [0.0, 0.0]])],
              list(bmm_grads(BMM_X[0], np.array([[0.0, 1.0], [0.0, 0.0]]))),
              "the sparsity flag chooses the algorithm, not the product: ∂/∂A = 1·Bᵀ, ∂/∂B = Aᵀ·1 (zeros of B get gradient too)",
              second=hvp([bmm_grads(BMM_X[0], BMM_VY[0])[0], bmm_grads(BMM_VX[0], BMM_Y[0])[1]],
                         "Σ AB is bilinear, whatever the sparsity flag: H·(vA, vB) = (1·vBᵀ, vAᵀ·1), which depends on the "
                         "tangent only (the zeros of B do not enter)", v=[BMM_VX[0], BMM_VY[0]]),
              b_is_sparse=True),
    ]),
    # ---------------------------------------------------------------------- rearrangements (linear)
    op("tf.raw_ops.BatchToSpace", batch_to_space, [
        Sample((draw("tf.raw_ops.BatchToSpace", (4, 2, 2, 1))[0], idx([0, 0], [0, 0]), 2), {}, "4x2x2x1, block 2"),
        Sample((draw("tf.raw_ops.BatchToSpace", (4, 1, 2, 2), salt="c")[0], idx([0, 0], [1, 0]), 2), {}, "4x1x2x2, block 2, crop 1 col"),
    ], points=[
        point("crops drop a row", [X4, idx([1, 0], [0, 0]), 2], [B2S_CROPPED],
              "output row 0 is the first row of batches 0 and 1 (block offset 0): cropping it leaves those 4 entries "
              "out (gradient 0), every other entry appears once (1)",
              second=hvp([np.zeros((4, 2, 2, 1))], "a permutation with drops is linear: H = 0")),
    ]),
    op("tf.raw_ops.SpaceToBatch", space_to_batch, [
        Sample((draw("tf.raw_ops.SpaceToBatch", (1, 4, 4, 1))[0], idx([0, 0], [0, 0]), 2), {}, "1x4x4x1, block 2"),
        Sample((draw("tf.raw_ops.SpaceToBatch", (2, 2, 3, 2), salt="p")[0], idx([0, 0], [1, 0]), 2), {}, "2x2x3x2, block 2, pad 1 col"),
    ], points=[
        point("padding", [np.ones((1, 2, 2, 1)), idx([1, 1], [0, 2]), 2], [np.ones((1, 2, 2, 1))],
              "padding adds zeros but each input entry appears exactly once in the output: ∂Σ/∂x = 1",
              second=hvp([np.zeros((1, 2, 2, 1))], "linear: H = 0")),
    ]),
    op("tf.raw_ops.BiasAddV1", bias_add_v1, [
        sample("tf.raw_ops.BiasAddV1", "3x4 + 4", (3, 4), (4,)),
        sample("tf.raw_ops.BiasAddV1", "2x2x3 + 3", (2, 2, 3), (3,)),
    ], diff=(0, 1), points=[
        point("2x3 + 3", [np.zeros((2, 3)), np.zeros(3)], [np.ones((2, 3)), np.full(3, 2.0)],
              "the bias is added to each of 2 rows: ∂Σ/∂b = 2", second=hvp([np.zeros((2, 3)), np.zeros(3)], "linear: H = 0")),
    ]),
    op("tf.raw_ops.Concat", concat, [
        sample("tf.raw_ops.Concat", "2x3 and 2x2 along 1", (2, 3), (2, 2), concat_dim=1),
        sample("tf.raw_ops.Concat", "1x3 and 2x3 along 0", (1, 3), (2, 3), concat_dim=0),
    ], diff=(0, 1), points=[
        point("zero-size piece", [np.ones((2, 0)), np.ones((2, 2)), 1], [np.zeros((2, 0)), np.ones((2, 2))],
              "an empty piece contributes nothing: an empty gradient; the other piece's entries appear once",
              second=hvp([np.zeros((2, 0)), np.zeros((2, 2))], "linear: H = 0")),
    ]),
    op("tf.raw_ops.Gather", gather, [
        sample("tf.raw_ops.Gather", "5x3, indices [4,0,2,0]", (5, 3), indices=idx(4, 0, 2, 0)),
        sample("tf.raw_ops.Gather", "4, indices [[1,3],[3,3]]", (4,), indices=idx([1, 3], [3, 3])),
    ], points=[
        point("duplicate indices", [np.array([1.0, 2.0, 3.0]), idx(0, 0, 2)], [[2.0, 0.0, 1.0]],
              "entry 0 is gathered twice (gradient 2), entry 1 never (0), entry 2 once (1)",
              second=hvp([np.zeros(3)], "linear: H = 0")),
        point("no indices", [np.array([1.0, 2.0]), np.zeros((0,), np.int64)], [[0.0, 0.0]],
              "an empty gather uses no entry: gradient 0", second=hvp([np.zeros(2)], "linear: H = 0")),
    ], bugs=(_GATHER_FORWARD_CRASH,), second_order_sample=0),
    # ---------------------------------------------------------------------- diagonals
    op("tf.raw_ops.MatrixDiag", matrix_diag, [
        sample("tf.raw_ops.MatrixDiag", "3", (3,)),
        sample("tf.raw_ops.MatrixDiag", "batch 2x3", (2, 3)),
    ], points=[
        point("zeros", [np.zeros(2)], [np.ones(2)], "each diagonal entry appears once: ∂Σ/∂d = 1",
              second=hvp([np.zeros(2)], "linear: H = 0")),
    ]),
    op("tf.raw_ops.MatrixDiagPart", matrix_diag_part, [
        sample("tf.raw_ops.MatrixDiagPart", "3x3", (3, 3)),
        sample("tf.raw_ops.MatrixDiagPart", "batch 2x2x3 (rectangular)", (2, 2, 3)),
    ], points=[
        point("2x3", [M23], [np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]])], "only the main diagonal is read: ∂Σ/∂A = I (2x3)",
              second=hvp([np.zeros((2, 3))], "linear: H = 0")),
    ]),
    op("tf.raw_ops.MatrixSetDiag", matrix_set_diag, [
        sample("tf.raw_ops.MatrixSetDiag", "3x3 with 3", (3, 3), (3,)),
        sample("tf.raw_ops.MatrixSetDiag", "batch 2x3x2 with 2x2", (2, 3, 2), (2, 2)),
    ], diff=(0, 1), points=[
        point("2x3", [M23, np.array([7.0, 8.0])], [np.array([[0.0, 1.0, 1.0], [1.0, 0.0, 1.0]]), np.ones(2)],
              "the diagonal of A is overwritten (gradient 0 there), the new diagonal appears once",
              second=hvp([np.zeros((2, 3)), np.zeros(2)], "linear: H = 0")),
    ]),
    op("tf.raw_ops.MatrixDiagV2", matrix_diag_v2, [
        Sample(tuple(draw("tf.raw_ops.MatrixDiagV2", (3,), ())), {}, "3, k=0"),
        Sample(tuple(draw("tf.raw_ops.MatrixDiagV2", (2, 3), (), salt="band")), dict(k=idx(-1, 0), num_rows=3, num_cols=3),
               "band k=(-1, 0) 2x3 into 3x3"),
        Sample(tuple(draw("tf.raw_ops.MatrixDiagV2", (2,), (), salt="rect")), dict(k=1, num_rows=2, num_cols=3),
               "k=1 into 2x3"),
    ], diff=(0, 1), domain="all reals (linear in the diagonal and in padding_value); bands without a superdiagonal "
                           "(those are the next record's)", bugs=(_DIAG_V2_PADDING_BUG,), second_order_sample=0, points=[
        point("2 on the diagonal", [np.array([1.0, 2.0]), 0.5], [np.ones(2), 2.0],
              "each diagonal entry appears once; the 2 off-diagonal entries of the 2x2 result are the padding: ∂Σ/∂p = 2",
              bug=_DIAG_V2_PADDING_BUG, second=hvp([np.zeros(2), 0.0], "linear: H = 0")),
    ]),
    op("tf.raw_ops.MatrixDiagV2(k band with a superdiagonal)", matrix_diag_v2_band, [
        Sample(tuple(draw("tf.raw_ops.MatrixDiagV2 band", (2, 3))), dict(k=idx(0, 1), num_rows=3, num_cols=3), "2x3, k=(0, 1) into 3x3"),
        Sample(tuple(draw("tf.raw_ops.MatrixDiagV2 band", (2, 3, 3), salt="b")), dict(k=idx(-1, 1), num_rows=3, num_cols=3),
               "batch 2x3x3, k=(-1, 1) into 3x3"),
    ], domain="all reals (linear); padding_value 0", bugs=(_DIAG_V2_ALIGNMENT_BUG,), second_order_sample=0, points=[
        point("k=(0, 1) into 3x3", [np.array([[1.0, 2.0, 0.0], [3.0, 4.0, 5.0]]), idx(0, 1)], [[[1.0, 1.0, 0.0], [1.0, 1.0, 1.0]]],
              "row 0 is the superdiagonal, left-aligned (LEFT_LEFT, V2's only alignment): its entries 0 and 1 are placed "
              "once, entry 2 is padding and unused (0); row 1 is the main diagonal, placed once",
              bug=_DIAG_V2_ALIGNMENT_AT_POINT, second=hvp([np.zeros((2, 3))], "linear: H = 0"), num_rows=3, num_cols=3),
    ]),
    op("tf.raw_ops.MatrixDiagPartV2", matrix_diag_part_v2, [
        Sample(tuple(draw("tf.raw_ops.MatrixDiagPartV2", (2, 3, 3), (), salt="band")), dict(k=idx(-1, 0)),
               "batch 2x3x3, k=(-1, 0)"),
        Sample(tuple(draw("tf.raw_ops.MatrixDiagPartV2", (3, 3), ())), {}, "3x3, k=0"),
    ], diff=(0, 1), domain="all reals (linear in the matrix and in padding_value); bands without a superdiagonal",
       bugs=(_DIAG_PART_V2_PADDING_BUG,), second_order_sample=0, points=[
        point("2x2, k=(-1, 0)", [np.array([[1.0, 2.0], [3.0, 4.0]]), 0.5], [np.array([[1.0, 0.0], [1.0, 1.0]]), 1.0],
              "diagonals 0 (two entries) and −1 (one entry, padded to length 2 with p): A's diagonal and subdiagonal "
              "are read once (1), the superdiagonal never (0); ∂Σ/∂p = 1", bug=_DIAG_PART_V2_PADDING_BUG,
              second=hvp([np.zeros((2, 2)), 0.0], "linear: H = 0"), k=idx(-1, 0)),
    ]),
    op("tf.raw_ops.MatrixDiagPartV2(k band with a superdiagonal)", matrix_diag_part_v2_band, [
        Sample(tuple(draw("tf.raw_ops.MatrixDiagPartV2 band", (3, 3))), dict(k=idx(0, 1)), "3x3, k=(0, 1)"),
        Sample(tuple(draw("tf.raw_ops.MatrixDiagPartV2 band", (2, 3, 4), salt="b")), dict(k=idx(-1, 2)), "batch 2x3x4, k=(-1, 2)"),
    ], domain="all reals (linear); padding_value 0", bugs=(_DIAG_PART_V2_ALIGNMENT_BUG,), second_order_sample=0, points=[
        point("3x3, k=(0, 1)", [M33, idx(0, 1)], [[[1.0, 1.0, 0.0], [0.0, 1.0, 1.0], [0.0, 0.0, 1.0]]],
              "the main diagonal and the superdiagonal are read once each (the all-ones cotangent of Σ does not see "
              "where the padding sits: the random cotangents of the first-order checks do)",
              second=hvp([np.zeros((3, 3))], "linear: H = 0")),
    ]),
    op("tf.raw_ops.MatrixSetDiagV2", matrix_set_diag_v2, [
        sample("tf.raw_ops.MatrixSetDiagV2", "3x3 with 2x3 band k=(0, 1)", (3, 3), (2, 3), k=idx(0, 1)),
        sample("tf.raw_ops.MatrixSetDiagV2", "3x3 with 3, k=0", (3, 3), (3,)),
    ], diff=(0, 1), bugs=(_SET_DIAG_V2_ALIGNMENT_BUG,), second_order_sample=0, points=[
        point("3x3, k=1", [M33, np.array([7.0, 8.0])], [np.array([[1.0, 0.0, 1.0], [1.0, 1.0, 0.0], [1.0, 1.0, 1.0]]), np.ones(2)],
              "the superdiagonal of A is overwritten (gradient 0 there), the new superdiagonal appears once",
              second=hvp([np.zeros((3, 3)), np.zeros(2)], "linear: H = 0"), k=1),
        point("3x3, band k=(0, 1)", [M33, np.array([[10.0, 11.0, 12.0], [20.0, 21.0, 22.0]])],
              [np.array([[0.0, 0.0, 1.0], [1.0, 0.0, 0.0], [1.0, 1.0, 0.0]]), np.array([[1.0, 1.0, 0.0], [1.0, 1.0, 1.0]])],
              "the band of A is overwritten (0 there); the superdiagonal row is left-aligned (LEFT_LEFT), so its entry 2 "
              "is padding and unused (0)", bug=_SET_DIAG_V2_ALIGNMENT_AT_POINT,
              second=hvp([np.zeros((3, 3)), np.zeros((2, 3))], "linear: H = 0"), k=idx(0, 1)),
    ]),
    # ---------------------------------------------------------------------- pooling, reversal, selection
    op("tf.raw_ops.MaxPoolV2", max_pool_v2, [
        Sample((distinct("tf.raw_ops.MaxPoolV2", (1, 4, 4, 1), gap=0.1), [1, 2, 2, 1], [1, 2, 2, 1], "VALID"), {}, "1x4x4x1 k=2 s=2 VALID"),
        Sample((distinct("tf.raw_ops.MaxPoolV2", (1, 3, 4, 2), gap=0.1, salt="same"), [1, 2, 3, 1], [1, 1, 1, 1], "SAME"), {},
               "1x3x4x2 k=(2,3) s=1 SAME"),
    ], domain="no ties within a window", points=[
        point("distinct", [np.array([[[[1.0], [3.0]], [[2.0], [0.0]]]]), [1, 2, 2, 1], [1, 2, 2, 1], "VALID"],
              [[[[[0.0], [1.0]], [[0.0], [0.0]]]]], "the unique maximum of the window gets the whole gradient",
              second=hvp([np.zeros((1, 2, 2, 1))], "max is linear near a point without ties: H = 0 (MaxPoolGradGradV2)")),
        point("tie", [np.ones((1, 2, 2, 1)), [1, 2, 2, 1], [1, 2, 2, 1], "VALID"], [between(np.zeros((1, 2, 2, 1)), np.ones((1, 2, 2, 1)))],
              "max over a window of tied values: any convex combination of the tied elements' unit vectors is a subgradient",
              second=hvp([np.zeros((1, 2, 2, 1))], "the window's max is piecewise linear: its gradient jumps at the tie, so "
                         "the second derivative does not exist; on every piece it is 0, and 0 is asserted", exists=False)),
    ], bugs=(_MAX_POOL_GRAD_GRAD_V2,),
       skips={"xla": "XLA cannot compile MaxPoolGradGradV2 (no XLA_CPU_JIT kernel), which forward mode over a max pool needs"}),
    op("tf.raw_ops.Reverse", reverse, [
        Sample((draw("tf.raw_ops.Reverse", (2, 3))[0], np.array([False, True])), {}, "2x3, dims [F, T]"),
        Sample((draw("tf.raw_ops.Reverse", (2, 2, 3), salt="b")[0], np.array([True, False, True])), {}, "2x2x3, dims [T, F, T]"),
    ], points=[
        point("no dims", [M23, np.array([False, False])], [np.ones((2, 3))], "a permutation: each entry appears once",
              second=hvp([np.zeros((2, 3))], "linear: H = 0")),
    ]),
    op("tf.raw_ops.NthElement", nth_element, [
        untied("tf.raw_ops.NthElement", "6, n 2", (6,), n=2),
        untied("tf.raw_ops.NthElement", "2x5, n 4, reverse", (2, 5), n=4, reverse=True),
    ], domain="no ties at the n-th value", points=[
        point("distinct", [np.array([3.0, 1.0, 2.0]), 1], [[0.0, 0.0, 1.0]], "the 2nd smallest value (2, at index 2) is selected",
              second=hvp([np.zeros(3)], "a selection is linear away from ties: H = 0")),
        point("tie", [np.array([1.0, 2.0, 1.0]), 0], [between([0.0, 0.0, 0.0], [1.0, 0.0, 1.0])],
              "the smallest value 1 is tied between entries 0 and 2: any convex combination is a subgradient",
              second=hvp([np.zeros(3)], "the n-th smallest value is piecewise linear (a selection): its gradient jumps at "
                         "the tie, so the second derivative does not exist; on every piece it is 0, and 0 is asserted",
                         exists=False)),
    ], skips={"xla": "XLA cannot compile NthElement (no XLA_CPU_JIT kernel)"}),
    op("tf.math.argmax", value_at_argmax, [
        untied("tf.math.argmax", "5", (5,)),
        untied("tf.math.argmax", "2x4, axis -1", (2, 4)),
    ], domain="no ties at the maximum (ArgMax's registered gradient is None for both inputs; x reaches the output "
              "through tf.gather of the index)", points=[
        point("distinct", [np.array([1.0, 3.0, 2.0])], [[0.0, 1.0, 0.0]], "x[argmax x] = max x: the maximum gets the gradient",
              second=hvp([np.zeros(3)], "max is linear away from ties: H = 0")),
        point("tie", [np.array([3.0, 1.0, 3.0])], [between([0.0, 0.0, 0.0], [1.0, 0.0, 1.0])],
              "argmax returns the first of the tied maxima, so the gradient goes to entry 0: a subgradient of max",
              second=hvp([np.zeros(3)], "x[argmax x] = max x is piecewise linear (argmax is integer-valued and not "
                         "differentiated; x enters through tf.gather at the index): its gradient jumps at the tie, so the "
                         "second derivative does not exist; on every piece it is 0, and 0 is asserted", exists=False)),
    ]),
    op("tf.math.argmin", value_at_argmin, [
        untied("tf.math.argmin", "5", (5,)),
        untied("tf.math.argmin", "2x4, axis -1", (2, 4)),
    ], domain="no ties at the minimum (ArgMin's registered gradient is None for both inputs)", points=[
        point("distinct", [np.array([1.0, -3.0, 2.0])], [[0.0, 1.0, 0.0]], "x[argmin x] = min x: the minimum gets the gradient",
              second=hvp([np.zeros(3)], "min is linear away from ties: H = 0")),
    ]),
    # ---------------------------------------------------------------------- updates
    # ScatterNdNonAliasingAdd and TensorStridedSliceUpdate: in family_indexing (with their degenerate points)
]
