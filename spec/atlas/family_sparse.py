"""Sparse tensors: the tf.sparse ops, SparseTensor operators and the CSR sparse-matrix raw ops.

Every record differentiates the float arrays a user would watch — a SparseTensor's `values` (and the dense operand
or default value where the op has one) — and builds the SparseTensor inside `fn` from fixed int64 indices and a
dense shape given as keyword arguments. A SparseTensor result is read as its `.values` (the runner keeps float
tensors only), a CSR matrix through CSRSparseMatrixToDense or CSRSparseMatrixToSparseTensor; where Σ(values) would
be constant or blind to a permutation (softmax sums to 1 per row; reorder, transpose and concat only move values),
the record multiplies the values by fixed weights (`weights=`), so the gradient at a point shows where each value
went. Indices are in canonical row-major order unless a sample says otherwise (SparseAdd, SparseSparseMaximum and
SparseTensorToCSRSparseMatrix assume it; the latter silently misplaces values given out of order, a forward-value
precondition, not a gradient matter).

Covered: sparse_dense_matmul (both operands, both adjoint flags, dense @ sparse), tf.sparse.add of two SparseTensors
(SparseAdd, with a threshold) and of a SparseTensor and a dense tensor (SparseTensorDenseAdd), reduce_sum of rank 3
and zero-size shapes (the rank-2 samples are in family_reductions), reduce_max (with and without axis and keepdims,
ties), softmax, to_dense (SparseToDense, with its default value), reorder, reshape, slice, transpose, maximum and
minimum (SparseSparseMaximum/Minimum), SparseTensor * dense and / dense (SparseDenseCwiseMul/Div),
tf.raw_ops.SparseDenseCwiseAdd, concat (SparseConcat), fill_empty_rows (with its default value), expand_dims,
bincount with weights, from_dense, and the CSR raw ops SparseTensorToCSRSparseMatrix, DenseToCSRSparseMatrix,
CSRSparseMatrixToDense, CSRSparseMatrixToSparseTensor, SparseMatrixMatMul, SparseMatrixSparseMatMul and
SparseMatrixTranspose. Degenerate shapes: SparseTensors without values (nnz = 0), empty rows, every row empty and
zero-size dense shapes; the right gradient there is the empty or zero array of the argument's shape.

Known TensorFlow bugs found here (each a strict xfail with its search terms and a workaround run in every mode):
no gradient at all for reduce_max (SparseReduceMax), maximum/minimum (the registered rule has the wrong signature),
SparseDenseCwiseAdd, concat (registered not differentiable) and bincount with weights (DenseCountSparseOutput); a crash
of reduce_sum's gradient when the reduced shape has a zero dimension; forward mode and second order broken for softmax,
slice, fill_empty_rows (their backward ops have no gradient), add (its JVP is silently 0) and every CSR op (variant
tangents); nested forward mode through ops whose backward gathers (IndexedSlices); SparseMatrixSparseMatMul's gradient
raising in eager mode and, with an operand without values, inside tf.function.

Left out: tf.sparse.segment_* (family_segments) and tf.sparse.reduce_sum of rank 2 and with output_is_sparse=True
(family_reductions); tf.raw_ops.SparseMatrixAdd, SparseMatrixMul and SparseMatrixSoftmax, which have GPU kernels
only in this build (NotFoundError on the CPU; SparseMatrixMul's gradient raises NotImplementedError besides);
SparseMatrixMatMul with a zero-row CSR matrix, which kills the process with SIGFPE in the forward kernel (reported to
the lead, not a case: it would end the test run); tf.sparse.to_dense with duplicate indices and
validate_indices=False, whose value is not defined; the set, cross, hashing and serialization ops (integer-valued);
SparseTensor * dense without stored values as a special point: its forward over reverse raises AttributeError
('IndexedSlices' object has no attribute '_id', MUL_NESTED's reproducer) when the op runs alone and passes after the
rest of the atlas has run in the same process, so no strict outcome can be asserted there.
"""
from __future__ import annotations

import dataclasses

import numpy as np
import tensorflow as tf

from spec.atlas.records import (POINT_SECOND, SECOND_ORDER, Domain, KnownBug, Sample, between, distinct, draw, hvp,
                                only, op, point, reproducer, workaround)

FAMILY = "sparse tensors: tf.sparse ops, SparseTensor operators and the CSR sparse-matrix raw ops"

ALL_CHECKS = ("reverse", "forward", "reverse_over_reverse", "forward_over_reverse", "reverse_over_forward",
              "forward_over_forward", "special_reverse", "special_forward", "float32", "gpu")
LINEAR = "the op is linear in its differentiable arguments, so its Hessian is 0 and H·v = 0"
NONZERO = Domain(0.5, 2.0, "away from 0 (samples in [0.5, 2])")


def no_xla(*raw_ops: str) -> dict:
    return {"xla": f"XLA cannot compile {', '.join(raw_ops)} (no XLA kernel is registered for it)"}


def ix(*rows) -> np.ndarray:
    """int64 indices, one row per stored value."""
    return np.array(rows, np.int64)


def no_values(rank: int = 2) -> np.ndarray:
    return np.zeros((0, rank), np.int64)


def _one(name: str, shape, salt: str = "", domain: Domain = Domain(-2.0, 2.0, "all reals")) -> np.ndarray:
    return draw(name, shape, domain=domain, salt=salt + str(shape))[0]


def dense_of(indices, values, shape) -> np.ndarray:
    """The dense array a SparseTensor stands for (duplicates summed), in float64 NumPy."""
    out = np.zeros(shape)
    np.add.at(out, tuple(np.asarray(indices, np.int64).T), np.asarray(values, np.float64))
    return out


def at(dense, indices) -> np.ndarray:
    """dense[indices] as a vector, one entry per index row (empty for no rows)."""
    return np.asarray(dense, np.float64)[tuple(np.asarray(indices, np.int64).T)]


def zeros_like(a) -> np.ndarray:
    return np.zeros(np.shape(a))


def linear_hvp(*args, bug=None):
    """H·v = 0 per differentiable argument, of the arguments' shapes (`bug`: a known bug of this point's H·v)."""
    return hvp([zeros_like(a) for a in args], LINEAR, bug=bug)


def weighted(values, weights):
    return values if weights is None else values * tf.constant(np.asarray(weights), values.dtype)


# ------------------------------------------------------------------------------------- the functions


def _sparse_dense_matmul(values, b, *, indices, shape, adjoint_a=False, adjoint_b=False, dense_first=False):
    """tf.sparse.sparse_dense_matmul of SparseTensor(indices, values, shape) and the dense b; with dense_first
    the dense b is the left operand (then adjoint_a applies to b and adjoint_b to the SparseTensor)."""
    sp = tf.SparseTensor(indices, values, shape)
    if dense_first:
        return tf.sparse.sparse_dense_matmul(b, sp, adjoint_a=adjoint_a, adjoint_b=adjoint_b)
    return tf.sparse.sparse_dense_matmul(sp, b, adjoint_a=adjoint_a, adjoint_b=adjoint_b)


def _matmul_grads(indices, values, b, shape, adjoint_a=False, adjoint_b=False, dense_first=False):
    """∂/∂values and ∂/∂b of Σ(op(first) @ op(second)) with all-ones cotangent G: ∂/∂F = G·Sᵀ, ∂/∂S = Fᵀ·G (F, S the
    operands after their adjoints), transposed back through each adjoint; the values' entry is ∂/∂A at its index."""
    a = dense_of(indices, values, shape)
    first, second = (np.asarray(b, float), a) if dense_first else (a, np.asarray(b, float))
    f = first.T if adjoint_a else first
    s = second.T if adjoint_b else second
    g = np.ones((f.shape[0], s.shape[1]))
    d_f, d_s = g @ s.T, f.T @ g
    d_first, d_second = (d_f.T if adjoint_a else d_f), (d_s.T if adjoint_b else d_s)
    d_a, d_b = (d_second, d_first) if dense_first else (d_first, d_second)
    return at(d_a, indices), d_b


def matmul_point(label, indices, values, b, shape, why, va=None, vb=None, sbug=None, **flags):
    """A point of a bilinear product: the gradient and, for the tangent (va, vb), H·v = (∂/∂A of Σ op(A)op(vb) at
    the value indices, ∂/∂b of Σ op(va)op(b)) — each block of the Hessian is the other operand's gradient map."""
    values, b = np.asarray(values, float), np.asarray(b, float)
    va = np.linspace(1.0, 2.0, values.size) if va is None else np.asarray(va, float)
    vb = np.linspace(-1.0, 1.5, b.size).reshape(b.shape) if vb is None else np.asarray(vb, float)
    g_values, g_b = _matmul_grads(indices, values, b, shape, **flags)
    h_values = _matmul_grads(indices, values, vb, shape, **flags)[0]
    h_b = _matmul_grads(indices, va, b, shape, **flags)[1]
    return point(label, [values, b], [g_values, g_b], why,
                 second=hvp([h_values, h_b], "bilinear in (values, b): H·(va, vb) = (∂/∂values Σ op(A)·op(vb), "
                            "∂/∂b Σ op(A(va))·op(b)), the products' gradient maps with the other tangent", v=[va, vb], bug=sbug),
                 indices=indices, shape=shape, **flags)


def _sparse_add(a, b, *, a_indices, b_indices, shape, threshold=0.0):
    """The values of tf.sparse.add(A, B, threshold) for two SparseTensors (SparseAdd)."""
    return tf.sparse.add(tf.SparseTensor(a_indices, a, shape), tf.SparseTensor(b_indices, b, shape), threshold).values


def _sparse_add_dense(values, dense, *, indices, shape):
    """tf.sparse.add(SparseTensor, dense) — a dense result (SparseTensorDenseAdd)."""
    return tf.sparse.add(tf.SparseTensor(indices, values, shape), dense)


def _sparse_reduce_sum(values, *, indices, shape, **kwargs):
    return tf.sparse.reduce_sum(tf.SparseTensor(indices, values, shape), **kwargs)


def _sparse_reduce_max(values, *, indices, shape, **kwargs):
    return tf.sparse.reduce_max(tf.SparseTensor(indices, values, shape), **kwargs)


def _sparse_softmax(values, *, indices, shape, weights=None):
    return weighted(tf.sparse.softmax(tf.SparseTensor(indices, values, shape)).values, weights)


def _to_dense(values, default, *, indices, shape, validate_indices=True):
    return tf.sparse.to_dense(tf.SparseTensor(indices, values, shape), default_value=default,
                              validate_indices=validate_indices)


def _reorder(values, *, indices, shape, weights=None):
    return weighted(tf.sparse.reorder(tf.SparseTensor(indices, values, shape)).values, weights)


def _reshape(values, *, indices, shape, new_shape, weights=None):
    return weighted(tf.sparse.reshape(tf.SparseTensor(indices, values, shape), new_shape).values, weights)


def _slice(values, *, indices, shape, start, size, weights=None):
    return weighted(tf.sparse.slice(tf.SparseTensor(indices, values, shape), start, size).values, weights)


def _transpose(values, *, indices, shape, perm=None, weights=None):
    return weighted(tf.sparse.transpose(tf.SparseTensor(indices, values, shape), perm).values, weights)


def _maximum(a, b, *, a_indices, b_indices, shape):
    return tf.sparse.maximum(tf.SparseTensor(a_indices, a, shape), tf.SparseTensor(b_indices, b, shape)).values


def _minimum(a, b, *, a_indices, b_indices, shape):
    return tf.sparse.minimum(tf.SparseTensor(a_indices, a, shape), tf.SparseTensor(b_indices, b, shape)).values


def _sparse_mul(values, dense, *, indices, shape):
    """SparseTensor * dense (SparseDenseCwiseMul): the dense operand broadcasts to the sparse shape."""
    return (tf.SparseTensor(indices, values, shape) * dense).values


def _sparse_div(values, dense, *, indices, shape):
    """SparseTensor / dense (SparseDenseCwiseDiv)."""
    return (tf.SparseTensor(indices, values, shape) / dense).values


def _cwise_add(values, dense, *, indices, shape):
    return tf.raw_ops.SparseDenseCwiseAdd(sp_indices=indices, sp_values=values,
                                          sp_shape=np.asarray(shape, np.int64), dense=dense)


def _concat(a, b, *, a_indices, b_indices, a_shape, b_shape, axis, expand_nonconcat_dims=False, weights=None):
    out = tf.sparse.concat(axis, [tf.SparseTensor(a_indices, a, a_shape), tf.SparseTensor(b_indices, b, b_shape)],
                           expand_nonconcat_dims=expand_nonconcat_dims)
    return weighted(out.values, weights)


def _fill_empty_rows(values, default, *, indices, shape, weights=None):
    filled, _ = tf.sparse.fill_empty_rows(tf.SparseTensor(indices, values, shape), default)
    return weighted(filled.values, weights)


def _expand_dims(values, *, indices, shape, axis):
    return tf.sparse.expand_dims(tf.SparseTensor(indices, values, shape), axis).values


def _bincount(weights, *, indices, ids, shape, **kwargs):
    """The values of tf.sparse.bincount of the SparseTensor of ids, weighted by the SparseTensor of `weights` at the
    same positions."""
    sp_ids = tf.SparseTensor(indices, tf.constant(ids, tf.int64), shape)
    return tf.sparse.bincount(sp_ids, weights=tf.SparseTensor(indices, weights, shape), **kwargs).values


def _from_dense(x, weights=None):
    return weighted(tf.sparse.from_dense(x).values, weights)


# -- CSR sparse matrices (tf.raw_ops; tensorflow.python.ops.linalg.sparse has no public path)


def _csr(values, indices, shape):
    return tf.raw_ops.SparseTensorToCSRSparseMatrix(indices=indices, values=values,
                                                    dense_shape=np.asarray(shape, np.int64))


def _csr_dense(matrix, dtype):
    return tf.raw_ops.CSRSparseMatrixToDense(sparse_input=matrix, type=dtype)


def _csr_from_sparse_tensor(values, *, indices, shape, weights=None):
    """SparseTensorToCSRSparseMatrix, read back with CSRSparseMatrixToSparseTensor (row-major values)."""
    out = tf.raw_ops.CSRSparseMatrixToSparseTensor(sparse_matrix=_csr(values, indices, shape), type=values.dtype)
    return weighted(out.values, weights)


def _csr_to_dense(values, *, indices, shape, weights=None):
    """CSRSparseMatrixToDense of the CSR matrix built from (indices, values)."""
    return weighted(_csr_dense(_csr(values, indices, shape), values.dtype), weights)


def _dense_to_csr(x, *, indices, weights=None):
    """DenseToCSRSparseMatrix keeps x at `indices` (given, not derived from x); read back dense."""
    matrix = tf.raw_ops.DenseToCSRSparseMatrix(dense_input=x, indices=indices)
    return weighted(_csr_dense(matrix, x.dtype), weights)


def _csr_to_sparse_tensor(x, *, indices, weights=None):
    """CSRSparseMatrixToSparseTensor of DenseToCSRSparseMatrix(x, indices): the values x[indices]."""
    matrix = tf.raw_ops.DenseToCSRSparseMatrix(dense_input=x, indices=indices)
    return weighted(tf.raw_ops.CSRSparseMatrixToSparseTensor(sparse_matrix=matrix, type=x.dtype).values, weights)


def _csr_matmul(values, b, *, indices, shape, **flags):
    """SparseMatrixMatMul(CSR(indices, values), b) with its transpose/adjoint flags (dense result)."""
    return tf.raw_ops.SparseMatrixMatMul(a=_csr(values, indices, shape), b=b, **flags)


def _csr_sparse_matmul(a, b, *, a_indices, b_indices, a_shape, b_shape, **flags):
    """SparseMatrixSparseMatMul of two CSR matrices, read back dense."""
    product = tf.raw_ops.SparseMatrixSparseMatMul(a=_csr(a, a_indices, a_shape), b=_csr(b, b_indices, b_shape),
                                                  type=a.dtype, **flags)
    return _csr_dense(product, a.dtype)


def _spsp_grads(a_indices, a, b_indices, b, a_shape, b_shape, transpose_a=False, transpose_b=False):
    """∂/∂a and ∂/∂b (values) of Σ(op(A)·op(B)) for two sparse operands: ∂/∂F = G·Sᵀ, ∂/∂S = Fᵀ·G with G all ones."""
    f, s = dense_of(a_indices, a, a_shape), dense_of(b_indices, b, b_shape)
    f, s = (f.T if transpose_a else f), (s.T if transpose_b else s)
    g = np.ones((f.shape[0], s.shape[1]))
    d_f, d_s = g @ s.T, f.T @ g
    return at(d_f.T if transpose_a else d_f, a_indices), at(d_s.T if transpose_b else d_s, b_indices)


def spsp_point(label, a_indices, a, b_indices, b, a_shape, b_shape, why, sbug=None, **flags):
    a, b = np.asarray(a, float), np.asarray(b, float)
    va, vb = np.linspace(1.0, 2.0, a.size), np.linspace(-1.0, 1.5, b.size)
    g_a, g_b = _spsp_grads(a_indices, a, b_indices, b, a_shape, b_shape, **flags)
    h_a = _spsp_grads(a_indices, a, b_indices, vb, a_shape, b_shape, **flags)[0]
    h_b = _spsp_grads(a_indices, va, b_indices, b, a_shape, b_shape, **flags)[1]
    return point(label, [a, b], [g_a, g_b], why,
                 second=hvp([h_a, h_b], "bilinear: H·(va, vb) = (∂/∂a Σ op(A)·op(B(vb)), ∂/∂b Σ op(A(va))·op(B))",
                            v=[va, vb], bug=sbug),
                 a_indices=a_indices, b_indices=b_indices, a_shape=a_shape, b_shape=b_shape, **flags)


def _csr_transpose(values, *, indices, shape, weights=None):
    transposed = tf.raw_ops.SparseMatrixTranspose(input=_csr(values, indices, shape), type=values.dtype)
    return weighted(_csr_dense(transposed, values.dtype), weights)


# --------------------------------------------------------------------------------- expected values


def softmax_rows(indices, values, shape):
    """The sparse softmax of every row of the last axis over its stored values, in float64 NumPy."""
    indices, values = np.asarray(indices), np.asarray(values, float)
    rows = [tuple(r[:-1]) for r in indices]
    out = np.zeros_like(values)
    for key in set(rows):
        members = [k for k, r in enumerate(rows) if r == key]
        e = np.exp(values[members] - values[members].max())
        out[members] = e / e.sum()
    return rows, out


def softmax_grad_hvp(indices, values, shape, weights, v):
    """For f = Σ_k w_k s_k (s the row softmax): ∂f/∂x_j = s_j (w_j − w̄_row), w̄ = Σ s_i w_i over the row, and
    H_jk = s_j (δ_jk − s_k)(w_j − w̄) − s_j s_k (w_k − w̄) within a row (0 across rows); returns (∇f, H·v)."""
    rows, s = softmax_rows(indices, values, shape)
    w, v = np.asarray(weights, float), np.asarray(v, float)
    grad, hv = np.zeros_like(s), np.zeros_like(s)
    for key in set(rows):
        m = [k for k, r in enumerate(rows) if r == key]
        sm, wm, vm = s[m], w[m], v[m]
        wbar = float(sm @ wm)
        grad[m] = sm * (wm - wbar)
        hess = (np.diag(sm) - np.outer(sm, sm)) * (wm - wbar)[:, None] - np.outer(sm, sm * (wm - wbar))
        hv[m] = hess @ vm
    return grad, hv


def softmax_point(label, indices, values, shape, weights, why, v=None, sbug=None):
    values = np.asarray(values, float)
    v = np.linspace(1.0, -1.0, values.size) if v is None else np.asarray(v, float)
    grad, hv = softmax_grad_hvp(indices, values, shape, weights, v)
    return point(label, [values], [grad], why,
                 second=hvp([hv], "H_jk = s_j(δ_jk − s_k)(w_j − w̄) − s_j s_k (w_k − w̄) within each row, w̄ = Σ s w "
                            "(differentiating ∂f/∂x_j = s_j (w_j − w̄)); rows do not interact", v=[v], bug=sbug),
                 indices=indices, shape=shape, weights=weights)


def broadcast_positions(indices, shape, dense_shape):
    """For each stored index, the position of the dense operand it meets under broadcasting (trailing alignment)."""
    indices = np.asarray(indices, np.int64)
    lead = len(shape) - len(dense_shape)
    pos = indices[:, lead:] if len(indices) else np.zeros((0, len(dense_shape)), np.int64)
    return np.minimum(pos, np.asarray(dense_shape, np.int64) - 1) if len(dense_shape) else pos


def cwise_point(label, indices, values, dense, shape, kind, why, va=None, vd=None, sbug=None):
    """A point of SparseTensor * dense or / dense: x_k and the dense entry d_k it meets (broadcast).
    mul: ∂/∂x_k = d_k, ∂/∂d = Σ_{k→d} x_k; H·v: (v_d at k, Σ_{k→d} v_x).
    div: ∂/∂x_k = 1/d_k, ∂/∂d = −Σ_{k→d} x_k/d²; H·v: (−v_d/d_k², Σ_{k→d} (−v_x,k/d² + 2 x_k v_d/d³))."""
    values, dense = np.asarray(values, float), np.asarray(dense, float)
    pos = broadcast_positions(indices, shape, dense.shape)
    d_k = dense[tuple(pos.T)] if values.size else np.zeros(0)
    va = np.linspace(1.0, 2.0, values.size) if va is None else np.asarray(va, float)
    vd = np.linspace(-1.0, 1.0, dense.size).reshape(dense.shape) if vd is None else np.asarray(vd, float)
    vd_k = vd[tuple(pos.T)] if values.size else np.zeros(0)
    g_d, h_d = np.zeros(dense.shape), np.zeros(dense.shape)
    if kind == "mul":
        g_x, h_x = d_k, vd_k
        np.add.at(g_d, tuple(pos.T), values)
        np.add.at(h_d, tuple(pos.T), va)
    else:
        g_x, h_x = 1.0 / d_k, -vd_k / d_k ** 2
        np.add.at(g_d, tuple(pos.T), -values / d_k ** 2)
        np.add.at(h_d, tuple(pos.T), -va / d_k ** 2 + 2.0 * values * vd_k / d_k ** 3)
    formula = ("x·d is bilinear: H·(v_x, v_d) = (v_d at each value's position, Σ of v_x over the values meeting d)"
               if kind == "mul" else "∂²(x/d)/∂x∂d = −1/d², ∂²(x/d)/∂d² = 2x/d³, ∂²/∂x² = 0; summed over the values "
               "meeting each dense entry")
    return point(label, [values, dense], [g_x, g_d], why, second=hvp([h_x, h_d], formula, v=[va, vd], bug=sbug),
                 indices=indices, shape=shape)


# ------------------------------------------------------------------------------------------ known bugs

FORWARD = ("forward", "special_forward")
FORWARD_SECOND = ("forward_over_forward", "forward_over_reverse", "reverse_over_forward")
MISSING = ALL_CHECKS + ("special_reverse_over_reverse", "special_forward_over_reverse", "special_reverse_over_forward")
IDX_SLICES_SEARCHED = ("ForwardAccumulator 'IndexedSlices' object has no attribute '_id'",
                       "tf.autodiff.ForwardAccumulator jvp gather IndexedSlices error nested forward")
VARIANT_SEARCHED = ("ForwardAccumulator variant dtype not compatible RaggedTensor map_fn forward-mode jvp",
                    "\"is not compatible with 1 of dtype int64\" variant ForwardAccumulator jvp sparse matrix")


SPARSE_ADD_FORWARD = KnownBug(
    "forward mode through tf.sparse.add of two SparseTensors (SparseAdd) returns the tangent 0: ForwardAccumulator "
    "transposes the backward function, whose op SparseAddGrad is registered as not differentiable "
    "(sparse_grad.py: ops.NotDifferentiable(\"SparseAddGrad\")), so the JVP of this linear op is dropped; reverse mode "
    "is right",
    "unreported",
    reproducer("a = tf.constant([1.0, 2.0], tf.float64)",
               "with tf.autodiff.ForwardAccumulator(a, tf.ones_like(a)) as acc:",
               "    y = tf.sparse.add(tf.SparseTensor([[0, 0], [1, 1]], a, [2, 2]),",
               "                      tf.SparseTensor([[0, 1]], tf.constant([5.0], tf.float64), [2, 2])).values",
               "print(acc.jvp(y))  # expected [1, 0, 1], got [0 0 0]"),
    checks=("forward",), kind="mode failure",
    kind_why="forward mode returns 0 for a linear op whose reverse-mode gradient (1 per contributor) is right",
    searched=("SparseAddGrad NotDifferentiable forward mode jvp tf.sparse.add zero tangent",),
    workaround=workaround("sparse_add_values", '''
def sparse_add_values(a, b, *, a_indices, b_indices, shape, threshold=0.0):
    """The values of tf.sparse.add(A, B, threshold), read from the dense sum at the result's indices (SparseToDense and
    GatherNd are differentiable in every mode; SparseAdd only supplies the pattern)."""
    sa, sb = tf.SparseTensor(a_indices, a, shape), tf.SparseTensor(b_indices, b, shape)
    total = tf.sparse.to_dense(sa) + tf.sparse.to_dense(sb)
    pattern = tf.where(tf.abs(tf.stop_gradient(total)) >= threshold)  # the positions SparseAdd keeps (|a + b| >= threshold) ...
    stored = tf.sparse.to_dense(tf.SparseTensor(a_indices, tf.ones_like(a), shape)) + tf.sparse.to_dense(
        tf.SparseTensor(b_indices, tf.ones_like(b), shape))
    pattern = tf.boolean_mask(pattern, tf.gather_nd(stored, pattern) > 0)  # ... among those either operand stores
    return tf.gather_nd(total, pattern)
'''))

SPARSE_REDUCE_SUM_EMPTY = KnownBug(
    "the gradient of tf.sparse.reduce_sum (SparseReduceSum) raises InvalidArgumentError \"Integer division by zero\" "
    "when the reduced shape has a zero dimension (a 0x3 tensor summed over axis 1, a 3x0 one over axis 0): the rule "
    "divides dense_shape by the kept dimensions (sparse_grad.py, _SparseReduceSumGrad: sp_shape // "
    "output_shape_kept_dims); the gradient is the empty array",
    "unreported",
    reproducer("v = tf.zeros([0], tf.float64)",
               "with tf.GradientTape() as t:",
               "    t.watch(v)",
               "    y = tf.sparse.reduce_sum(tf.SparseTensor(tf.zeros([0, 2], tf.int64), v, [0, 3]), axis=1)",
               "print(t.gradient(y, v))  # expected [] (shape (0,)), got InvalidArgumentError: Integer division by zero"),
    checks=("special_reverse", "special_reverse_over_reverse", "special_forward_over_reverse",
            "special_reverse_over_forward"),
    kind="missing gradient",
    kind_why="the tape raises where the gradient exists (the empty array of the values' shape)",
    searched=("sparse_reduce_sum gradient \"Integer division by zero\" empty SparseTensor zero dimension",),
    workaround=workaround("sparse_reduce_sum", '''
def sparse_reduce_sum(values, *, indices, shape, **kwargs):
    """tf.sparse.reduce_sum through the dense tensor: zero-size shapes need no division."""
    return tf.reduce_sum(tf.sparse.to_dense(tf.SparseTensor(indices, values, shape)), **kwargs)
'''))

SPARSE_REDUCE_MAX_NO_GRADIENT = KnownBug(
    "tf.sparse.reduce_max runs SparseReduceMax, which has no gradient registered (LookupError), although the maximum "
    "over the stored values is differentiable wherever it is unique (∂ = 1 on the maximum); its docstring says \"a "
    "gradient is not defined for this function\"",
    "https://github.com/tensorflow/tensorflow/issues/54214",
    reproducer("v = tf.constant([1.0, 3.0, 2.0], tf.float64)",
               "with tf.GradientTape() as t:",
               "    t.watch(v)",
               "    y = tf.sparse.reduce_max(tf.SparseTensor([[0, 0], [0, 1], [1, 0]], v, [2, 2]), axis=1)",
               "print(t.gradient(y, v))  # expected [0, 1, 1], got LookupError: gradient registry has no entry for: SparseReduceMax"),
    checks=MISSING, kind="missing gradient",
    kind_why="the maximum of the stored values is differentiable away from ties; the tape raises LookupError",
    related=("https://github.com/tensorflow/tensorflow/pull/19161",),
    searched=("tf.sparse.reduce_max gradient SparseReduceMax no gradient registered",),
    workaround=workaround("sparse_reduce_max", '''
def sparse_reduce_max(values, *, indices, shape, **kwargs):
    """tf.sparse.reduce_max through the dense tensor with the lowest float where nothing is stored (the max is over
    the stored values only): the mean of the entries equal to the maximum (found without a gradient), so ties share it
    as in tf.reduce_max; a reduction over no stored value is 0, as tf.sparse.reduce_max gives. Only sums and products
    are differentiated, which every mode handles (nested forward mode inside tf.function fails on Max)."""
    lowest = values.dtype.min
    dense = tf.sparse.to_dense(tf.SparseTensor(indices, values, shape), default_value=lowest)
    axis, keepdims = kwargs.get("axis"), kwargs.get("keepdims", False)
    fixed = tf.stop_gradient(dense)  # comparisons of watched tensors break nested forward mode inside tf.function
    top = tf.reduce_max(fixed, axis=axis, keepdims=True)
    chosen = tf.cast(tf.equal(fixed, top), values.dtype)
    m = (tf.reduce_max(fixed, axis=axis, keepdims=keepdims)
         + tf.reduce_sum(chosen * (dense - top), axis=axis, keepdims=keepdims) / tf.reduce_sum(chosen, axis, keepdims))
    return m * tf.cast(tf.not_equal(tf.stop_gradient(m), lowest), m.dtype)
'''))

SPARSE_SOFTMAX_HIGHER = KnownBug(
    "forward mode and every second derivative of tf.sparse.softmax raise NotImplementedError: SparseSoftmax's gradient "
    "adds the row sums with sparse_dense_cwise_add, and SparseDenseCwiseAdd's registered gradient raises \"Gradient for "
    "SparseDenseCwiseAdd is not implemented\" (ForwardAccumulator differentiates the backward function); the first-order "
    "reverse gradient is right",
    "unreported",
    reproducer("v = tf.constant([0.5, -1.0, 2.0], tf.float64)",
               "with tf.autodiff.ForwardAccumulator(v, tf.constant([1.0, 0.0, 0.0], tf.float64)) as acc:",
               "    y = tf.sparse.softmax(tf.SparseTensor([[0, 0], [0, 1], [0, 2]], v, [1, 3])).values",
               "print(acc.jvp(y))  # expected s_0·(e_0 − s), got NotImplementedError: Gradient for SparseDenseCwiseAdd is not implemented"),
    checks=FORWARD + SECOND_ORDER + ("special_reverse_over_reverse", "special_forward_over_reverse",
                                     "special_reverse_over_forward"),
    symptom="Gradient for SparseDenseCwiseAdd is not implemented", kind="mode failure",
    kind_why="first-order reverse mode is right; forward mode and every second-order composition raise",
    searched=("\"Gradient for SparseDenseCwiseAdd is not implemented\" sparse softmax hessian second order",),
    workaround=workaround("sparse_softmax_values", '''
def sparse_softmax_values(values, *, indices, shape, weights=None):
    """tf.sparse.softmax(...).values through a dense softmax whose unstored entries hold the lowest float (exp of it
    minus a row maximum is exactly 0), read back at the stored indices."""
    dense = tf.sparse.to_dense(tf.SparseTensor(indices, values, shape), default_value=values.dtype.min)
    out = tf.gather_nd(tf.nn.softmax(dense, axis=-1), indices)
    return out if weights is None else out * tf.constant(weights, values.dtype)
'''))

CWISE_ADD_NO_GRADIENT = KnownBug(
    "SparseDenseCwiseAdd's registered gradient raises NotImplementedError (\"Gradient for SparseDenseCwiseAdd is not "
    "implemented\"), although out_k = x_k + dense[index_k] is linear (∂/∂x = 1, ∂/∂dense = the count of values meeting "
    "each entry)",
    "unreported",
    reproducer("v = tf.constant([1.0, 2.0], tf.float64)",
               "d = tf.constant([10.0, 20.0], tf.float64)",
               "with tf.GradientTape() as t:",
               "    t.watch([v, d])",
               "    y = tf.raw_ops.SparseDenseCwiseAdd(sp_indices=[[0, 0], [1, 0]], sp_values=v, sp_shape=[2, 2], dense=d)",
               "print(t.gradient(y, [v, d]))  # expected [1, 1] and [2, 0], got NotImplementedError: Gradient for SparseDenseCwiseAdd is not implemented"),
    checks=ALL_CHECKS + POINT_SECOND, symptom="Gradient for SparseDenseCwiseAdd is not implemented",
    kind="missing gradient", kind_why="a linear op whose gradient function raises NotImplementedError",
    searched=("\"Gradient for SparseDenseCwiseAdd is not implemented\" sparse softmax hessian second order",),
    workaround=workaround("sparse_dense_cwise_add", '''
def sparse_dense_cwise_add(values, dense, *, indices, shape):
    """SparseDenseCwiseAdd: each value plus the dense entry it meets after broadcasting the dense operand to `shape`."""
    return values + tf.gather_nd(tf.broadcast_to(dense, shape), indices)
'''))

SPARSE_SLICE_FORWARD = KnownBug(
    "forward mode through tf.sparse.slice raises LookupError: ForwardAccumulator differentiates the backward function, "
    "and its op SparseSliceGrad has no gradient registered (although it is linear); reverse mode is right",
    "unreported",
    reproducer("v = tf.constant([1.0, 2.0, 3.0], tf.float64)",
               "with tf.autodiff.ForwardAccumulator(v, tf.ones_like(v)) as acc:",
               "    y = tf.sparse.slice(tf.SparseTensor([[0, 0], [1, 1], [2, 2]], v, [3, 3]), [1, 0], [2, 3]).values",
               "print(acc.jvp(y))  # expected [1, 1], got LookupError: gradient registry has no entry for: SparseSliceGrad"),
    checks=FORWARD + FORWARD_SECOND + ("special_forward_over_reverse", "special_reverse_over_forward"),
    kind="mode failure", kind_why="first-order reverse mode is right; forward mode raises",
    related=("https://github.com/tensorflow/tensorflow/pull/19663",),
    searched=("gradient registry has no entry for SparseFillEmptyRowsGrad SparseSliceGrad second derivative",),
    workaround=workaround("sparse_slice_values", '''
def sparse_slice_values(values, *, indices, shape, start, size, weights=None):
    """tf.sparse.slice(...).values as a 0/1 selection matrix times the values: the kept entries are those whose index
    lies in [start, start + size), in their input order (the order SparseSlice keeps)."""
    indices = tf.constant(indices, tf.int64)
    lo = tf.constant(start, tf.int64)
    inside = tf.reduce_all((indices >= lo) & (indices < lo + tf.constant(size, tf.int64)), axis=1)
    select = tf.boolean_mask(tf.eye(tf.shape(indices)[0], dtype=values.dtype), inside)
    out = tf.linalg.matvec(select, values)
    return out if weights is None else out * tf.constant(weights, values.dtype)
'''))

SPARSE_MAXIMUM_NO_GRADIENT = KnownBug(
    "tf.sparse.maximum (SparseSparseMaximum) has a registered gradient function with the wrong signature: the tape "
    "calls it with the op and two output gradients and it raises TypeError (\"_SparseSparseMaximumGrad() takes 2 "
    "positional arguments but 3 were given\"; its body would raise NotImplementedError); the elementwise maximum is "
    "differentiable away from ties",
    "https://github.com/tensorflow/tensorflow/issues/61132",
    reproducer("a, b = tf.constant([1.0, -2.0], tf.float64), tf.constant([0.5, 4.0], tf.float64)",
               "with tf.GradientTape() as t:",
               "    t.watch([a, b])",
               "    y = tf.sparse.maximum(tf.SparseTensor([[0, 0], [1, 1]], a, [2, 2]), tf.SparseTensor([[0, 0], [1, 1]], b, [2, 2]))",
               "print(t.gradient(y.values, [a, b]))  # expected [1, 0] and [0, 1], got TypeError: _SparseSparseMaximumGrad() takes 2 positional arguments but 3 were given"),
    checks=MISSING, symptom="_SparseSparseMaximumGrad() takes 2 positional arguments", kind="missing gradient",
    kind_why="the maximum is differentiable away from ties; the tape raises TypeError",
    searched=("SparseAddGrad NotDifferentiable forward mode jvp tf.sparse.add zero tangent",
              "tf.sparse.reduce_max gradient SparseReduceMax no gradient registered"),
    workaround=workaround("sparse_maximum_values", '''
def sparse_maximum_values(a, b, *, a_indices, b_indices, shape):
    """tf.sparse.maximum(A, B).values: the dense maximum (unstored entries are 0 in each operand) read at the result's
    indices."""
    sa, sb = tf.SparseTensor(a_indices, a, shape), tf.SparseTensor(b_indices, b, shape)
    ones = lambda sp: tf.SparseTensor(sp.indices, tf.ones(tf.shape(sp.values), sp.dtype), shape)  # the pattern only
    pattern = tf.sparse.maximum(ones(sa), ones(sb)).indices  # the union of both patterns
    x, y = tf.sparse.to_dense(sa), tf.sparse.to_dense(sb)
    # the maximum as a selection, compared without a gradient (nested forward mode inside tf.function fails on
    # comparisons of watched tensors)
    first = tf.cast(tf.stop_gradient(x) >= tf.stop_gradient(y), x.dtype)
    # read at the result's indices by a one-hot matrix of their row-major positions (GatherNd with indices of unknown
    # shape also breaks nested forward mode inside tf.function)
    strides = tf.math.cumprod(tf.constant(list(shape[1:]) + [1], tf.int64), reverse=True)
    flat = tf.reduce_sum(pattern * strides, axis=1)
    size = tf.cast(tf.reduce_prod(tf.constant(shape, tf.int64)), tf.int32)
    return tf.linalg.matvec(tf.one_hot(flat, size, dtype=x.dtype), tf.reshape(first * x + (1.0 - first) * y, [-1]))
'''))

SPARSE_MINIMUM_NO_GRADIENT = dataclasses.replace(
    SPARSE_MAXIMUM_NO_GRADIENT,
    summary=SPARSE_MAXIMUM_NO_GRADIENT.summary.replace("maximum", "minimum").replace("Maximum", "Minimum"),
    reproducer=SPARSE_MAXIMUM_NO_GRADIENT.reproducer.replace("maximum", "minimum").replace("Maximum", "Minimum")
    .replace("expected [1, 0] and [0, 1]", "expected [0, 1] and [1, 0]"),
    symptom="_SparseSparseMinimumGrad() takes 2 positional arguments",
    kind_why="the minimum is differentiable away from ties; the tape raises TypeError",
    related=("https://github.com/tensorflow/tensorflow/issues/61132",), issue="unreported",
    workaround=workaround("sparse_minimum_values", '''
def sparse_minimum_values(a, b, *, a_indices, b_indices, shape):
    """tf.sparse.minimum(A, B).values: the dense minimum (unstored entries are 0) read at the result's indices."""
    sa, sb = tf.SparseTensor(a_indices, a, shape), tf.SparseTensor(b_indices, b, shape)
    ones = lambda sp: tf.SparseTensor(sp.indices, tf.ones(tf.shape(sp.values), sp.dtype), shape)  # the pattern only
    pattern = tf.sparse.maximum(ones(sa), ones(sb)).indices  # the union of both patterns
    x, y = tf.sparse.to_dense(sa), tf.sparse.to_dense(sb)
    # the minimum as a selection, compared without a gradient (nested forward mode inside tf.function fails on
    # comparisons of watched tensors)
    first = tf.cast(tf.stop_gradient(x) <= tf.stop_gradient(y), x.dtype)
    # read at the result's indices by a one-hot matrix of their row-major positions (GatherNd with indices of unknown
    # shape also breaks nested forward mode inside tf.function)
    strides = tf.math.cumprod(tf.constant(list(shape[1:]) + [1], tf.int64), reverse=True)
    flat = tf.reduce_sum(pattern * strides, axis=1)
    size = tf.cast(tf.reduce_prod(tf.constant(shape, tf.int64)), tf.int32)
    return tf.linalg.matvec(tf.one_hot(flat, size, dtype=x.dtype), tf.reshape(first * x + (1.0 - first) * y, [-1]))
'''))

SPARSE_CONCAT_NO_GRADIENT = KnownBug(
    "tf.sparse.concat runs SparseConcat, which is registered as not differentiable (sparse_grad.py: "
    "ops.NotDifferentiable(\"SparseConcat\")): the tape returns None (0 with unconnected_gradients=ZERO) for the values, "
    "although the result's values are the inputs' values reordered",
    "unreported",
    reproducer("a, b = tf.constant([1.0, 2.0], tf.float64), tf.constant([3.0], tf.float64)",
               "with tf.GradientTape() as t:",
               "    t.watch([a, b])",
               "    y = tf.sparse.concat(1, [tf.SparseTensor([[0, 0], [1, 0]], a, [2, 1]), tf.SparseTensor([[0, 0]], b, [2, 1])])",
               "print(t.gradient(y.values, [a, b]))  # expected [1, 1] and [1], got [None, None]"),
    checks=("reverse", "forward", "special_reverse", "special_forward", "gpu"), kind="missing gradient",
    kind_why="a permutation of the inputs' values, registered as not differentiable: the tape returns None",
    searched=("tf.sparse.concat gradient None SparseConcat not differentiable values",),
    workaround=workaround("sparse_concat_values", '''
import numpy as np


def sparse_concat_values(a, b, *, a_indices, b_indices, a_shape, b_shape, axis, expand_nonconcat_dims=False,
                         weights=None):
    """tf.sparse.concat(axis, [A, B]).values: B's indices shifted by A's extent along `axis`, both value lists joined
    with tf.concat and put in row-major order with tf.sparse.reorder (both differentiable)."""
    offset = np.zeros(len(a_shape), np.int64)
    offset[axis] = a_shape[axis]
    shape = np.maximum(a_shape, b_shape) if expand_nonconcat_dims else np.array(a_shape, np.int64)
    shape[axis] = a_shape[axis] + b_shape[axis]
    indices = tf.concat([tf.constant(a_indices, tf.int64), tf.constant(b_indices, tf.int64) + offset], 0)
    out = tf.sparse.reorder(tf.SparseTensor(indices, tf.concat([a, b], 0), shape)).values
    return out if weights is None else out * tf.constant(weights, a.dtype)
'''))

SPARSE_BINCOUNT_NO_GRADIENT = KnownBug(
    "tf.sparse.bincount with weights runs DenseCountSparseOutput / SparseCountSparseOutput, which have no gradient "
    "registered (LookupError), although each bin is the sum of the weights of its ids (linear in the weights)",
    "unreported",
    reproducer("w = tf.constant([1.5, -2.0, 0.5], tf.float64)",
               "with tf.GradientTape() as t:",
               "    t.watch(w)",
               "    y = tf.sparse.bincount(tf.constant([1, 3, 1]), weights=w).values",
               "print(t.gradient(y, w))  # expected [1, 1, 1], got LookupError: gradient registry has no entry for: DenseCountSparseOutput"),
    checks=MISSING, symptom="gradient registry has no entry for: ", kind="missing gradient",
    kind_why="a linear function of the weights; the tape raises LookupError",
    searched=("tf.sparse.bincount weights gradient DenseCountSparseOutput SparseCountSparseOutput LookupError",),
    workaround=workaround("sparse_bincount_values", '''
def sparse_bincount_values(weights, *, indices, ids, shape, axis=0, **kwargs):
    """The values of tf.sparse.bincount(ids, weights, axis): one-hot matrices of the (row and) id of every stored value
    times the weights, read at the result's indices."""
    sp_ids = tf.SparseTensor(indices, tf.constant(ids, tf.int64), shape)
    pattern = tf.sparse.bincount(sp_ids, axis=axis, **kwargs).indices
    width = tf.cast(tf.reduce_max(pattern[:, -1]), tf.int32) + 1 if len(ids) else 1
    bins = tf.one_hot(sp_ids.values, width, dtype=weights.dtype)
    if axis == 0:  # one histogram over everything, read at the result's bins by a one-hot matrix (GatherNd with one
        # index per row would give an IndexedSlices gradient, which forward mode cannot transpose)
        return tf.linalg.matvec(tf.one_hot(pattern[:, 0], width, dtype=weights.dtype),
                                tf.linalg.matvec(bins, weights, transpose_a=True))
    rows = tf.one_hot(sp_ids.indices[:, 0], shape[0], dtype=weights.dtype)  # a histogram per row
    return tf.gather_nd(tf.linalg.matmul(rows, bins * weights[:, None], transpose_a=True), pattern)
'''))

SPARSE_FILL_FORWARD = KnownBug(
    "forward mode through tf.sparse.fill_empty_rows raises LookupError: ForwardAccumulator differentiates the backward "
    "function, and its op SparseFillEmptyRowsGrad has no gradient registered (although it is linear); reverse mode is right",
    "unreported",
    reproducer("v = tf.constant([1.0, 2.0], tf.float64)",
               "with tf.autodiff.ForwardAccumulator(v, tf.ones_like(v)) as acc:",
               "    y = tf.sparse.fill_empty_rows(tf.SparseTensor([[0, 0], [2, 0]], v, [3, 2]), tf.constant(0.0, tf.float64))[0].values",
               "print(acc.jvp(y))  # expected [1, 0, 1], got LookupError: gradient registry has no entry for: SparseFillEmptyRowsGrad"),
    checks=FORWARD + FORWARD_SECOND + ("special_forward_over_forward", "special_forward_over_reverse",
                                       "special_reverse_over_forward"),
    kind="mode failure", kind_why="first-order reverse mode is right; forward mode raises",
    searched=("gradient registry has no entry for SparseFillEmptyRowsGrad SparseSliceGrad second derivative",),
    workaround=workaround("fill_empty_rows_values", '''
def fill_empty_rows_values(values, default, *, indices, shape, weights=None):
    """tf.sparse.fill_empty_rows(...)[0].values: the default at column 0 of every row without values, appended, and
    the joined values put in row-major order by a permutation matrix (matmul is differentiable in every mode)."""
    indices = tf.constant(indices, tf.int64)
    nrows = shape[0]
    counts = tf.math.unsorted_segment_sum(tf.ones_like(indices[:, 0]), indices[:, 0], nrows)
    empty = tf.where(tf.equal(counts, 0))  # [k, 1]
    filled = tf.concat([empty, tf.zeros([tf.shape(empty)[0], len(shape) - 1], tf.int64)], 1)
    all_indices = tf.concat([indices, filled], 0)
    all_values = tf.concat([values, tf.fill(tf.shape(empty)[:1], default)], 0)
    strides = tf.math.cumprod(tf.constant(list(shape[1:]) + [1], tf.int64), reverse=True)
    order = tf.argsort(tf.cast(tf.reduce_sum(all_indices * strides, axis=1), tf.int32))
    out = tf.linalg.matvec(tf.one_hot(order, tf.shape(order)[0], dtype=values.dtype), all_values)
    return out if weights is None else out * tf.constant(weights, values.dtype)
'''))


def csr_forward(raw_op: str, code: str, name: str) -> KnownBug:
    """Forward mode through a CSR sparse-matrix op: ForwardAccumulator cannot carry the CSR matrix's variant tangent."""
    return KnownBug(
        f"forward mode through tf.raw_ops.{raw_op} raises TypeError (\"`dtype` <dtype: 'variant'> is not compatible "
        "with 1 of dtype int64\"): the CSR matrix is a variant tensor and ForwardAccumulator cannot build its tangent; "
        "reverse mode is right",
        "unreported",
        reproducer("v = tf.constant([1.0, 2.0], tf.float64)",
                   "with tf.autodiff.ForwardAccumulator(v, tf.ones_like(v)) as acc:",
                   "    m = tf.raw_ops.SparseTensorToCSRSparseMatrix(indices=[[0, 0], [1, 1]], values=v, dense_shape=[2, 2])",
                   "    y = tf.raw_ops.CSRSparseMatrixToDense(sparse_input=m, type=tf.float64)",
                   "print(acc.jvp(y))  # expected [[1, 0], [0, 1]], got TypeError: `dtype` <dtype: 'variant'> is not compatible with 1 of dtype int64"),
        checks=FORWARD + FORWARD_SECOND + ("special_forward_over_reverse", "special_reverse_over_forward"),
        symptom="<dtype: 'variant'> is not compatible", kind="mode failure",
        kind_why="reverse mode is right; every forward-mode composition raises on the variant CSR matrix",
        searched=VARIANT_SEARCHED, workaround=workaround(name, code))


def indexed_slices_forward(public: str, checks, code: str, name: str, expected: str, got: str) -> KnownBug:
    """Nested forward mode (or forward over reverse) through a gather whose gradient is an IndexedSlices."""
    return KnownBug(
        f"{public}: forward over forward (or forward over reverse) raises — the inner ForwardAccumulator's backward "
        "function gathers, its gradient is an IndexedSlices, and the outer accumulator cannot pack it (AttributeError: "
        "'IndexedSlices' object has no attribute '_id', or a SystemError wrapping it); first-order modes are right",
        "unreported",
        reproducer(*expected.split("\n"), f"# got {got}"),
        checks=tuple(checks), kind="mode failure",
        kind_why="every first-order mode is right; nesting ForwardAccumulator over it raises",
        searched=IDX_SLICES_SEARCHED, workaround=workaround(name, code))


SDMM_NESTED = indexed_slices_forward(
    "tf.sparse.sparse_dense_matmul", ("forward_over_forward",), '''
def sparse_dense_matmul(values, b, *, indices, shape, adjoint_a=False, adjoint_b=False, dense_first=False):
    """tf.sparse.sparse_dense_matmul through the dense matrix (tf.scatter_nd, which adds duplicate indices as the op
    does) and tf.linalg.matmul."""
    a = tf.scatter_nd(indices, values, shape)
    if dense_first:
        return tf.linalg.matmul(b, a, adjoint_a=adjoint_a, adjoint_b=adjoint_b)
    return tf.linalg.matmul(a, b, adjoint_a=adjoint_a, adjoint_b=adjoint_b)
''', "sparse_dense_matmul",
    "v, b = tf.constant([1.0, 2.0], tf.float64), tf.constant([[1.0], [3.0]], tf.float64)\n"
    "with tf.autodiff.ForwardAccumulator(v, tf.ones_like(v)) as outer:\n"
    "    with tf.autodiff.ForwardAccumulator(v, tf.ones_like(v)) as inner:\n"
    "        y = tf.reduce_sum(tf.sparse.sparse_dense_matmul(tf.SparseTensor([[0, 0], [1, 1]], v, [2, 2]), b) ** 2)\n"
    "    jvp = inner.jvp(y)\n"
    "print(outer.jvp(jvp))  # expected 2·(1² + 3²) = 20",
    "SystemError: <built-in method ...> returned a result with an exception set")

REORDER_NESTED = indexed_slices_forward(
    "tf.sparse.reorder", ("forward_over_forward",), '''
def sparse_reorder_values(values, *, indices, shape, weights=None):
    """tf.sparse.reorder(...).values as a permutation matrix (from the row-major rank of each index) times the values."""
    indices = tf.constant(indices, tf.int64)
    strides = tf.math.cumprod(tf.constant(list(shape[1:]) + [1], tf.int64), reverse=True)
    order = tf.argsort(tf.cast(tf.reduce_sum(indices * strides, axis=1), tf.int32))
    out = tf.linalg.matvec(tf.one_hot(order, tf.shape(order)[0], dtype=values.dtype), values)
    return out if weights is None else out * tf.constant(weights, values.dtype)
''', "sparse_reorder_values",
    "v = tf.constant([1.0, 2.0], tf.float64)\n"
    "with tf.autodiff.ForwardAccumulator(v, tf.ones_like(v)) as outer:\n"
    "    with tf.autodiff.ForwardAccumulator(v, tf.ones_like(v)) as inner:\n"
    "        y = tf.reduce_sum(tf.sparse.reorder(tf.SparseTensor([[1, 0], [0, 0]], v, [2, 1])).values ** 2)\n"
    "    jvp = inner.jvp(y)\n"
    "print(outer.jvp(jvp))  # expected 2·2 = 4",
    "AttributeError: 'IndexedSlices' object has no attribute '_id'")

TRANSPOSE_NESTED = indexed_slices_forward(
    "tf.sparse.transpose", ("forward_over_forward",), '''
def sparse_transpose_values(values, *, indices, shape, perm=None, weights=None):
    """tf.sparse.transpose(...).values: the dense tensor transposed, read at the transposed pattern."""
    sp = tf.SparseTensor(indices, values, shape)
    pattern = tf.sparse.transpose(tf.SparseTensor(indices, tf.ones(tf.shape(values), values.dtype), shape), perm).indices
    out = tf.gather_nd(tf.transpose(tf.sparse.to_dense(sp, validate_indices=False), perm), pattern)
    return out if weights is None else out * tf.constant(weights, values.dtype)
''', "sparse_transpose_values",
    "v = tf.constant([1.0, 2.0], tf.float64)\n"
    "with tf.autodiff.ForwardAccumulator(v, tf.ones_like(v)) as outer:\n"
    "    with tf.autodiff.ForwardAccumulator(v, tf.ones_like(v)) as inner:\n"
    "        y = tf.reduce_sum(tf.sparse.transpose(tf.SparseTensor([[0, 1], [1, 0]], v, [2, 2])).values ** 2)\n"
    "    jvp = inner.jvp(y)\n"
    "print(outer.jvp(jvp))  # expected 2·2 = 4",
    "AttributeError: 'IndexedSlices' object has no attribute '_id'")

DIV_NESTED = indexed_slices_forward(
    "SparseTensor / dense (SparseDenseCwiseDiv)", ("forward_over_reverse", "special_forward_over_reverse"), '''
def sparse_div_values(values, dense, *, indices, shape):
    """(SparseTensor / dense).values: each value over the dense entry it meets after broadcasting."""
    return values / tf.gather_nd(tf.broadcast_to(dense, shape), indices)
''', "sparse_div_values",
    "v, d = tf.constant([1.0, 2.0], tf.float64), tf.constant([2.0, 4.0], tf.float64)\n"
    "with tf.autodiff.ForwardAccumulator(d, tf.ones_like(d)) as acc:\n"
    "    with tf.GradientTape() as t:\n"
    "        t.watch(d)\n"
    "        y = tf.reduce_sum((tf.SparseTensor([[0, 0], [1, 1]], v, [2, 2]) / d).values)\n"
    "    g = t.gradient(y, d)\n"
    "print(acc.jvp(g))  # expected 2x/d³ = [0.25, 0.0625]",
    "AttributeError: 'IndexedSlices' object has no attribute '_id'")

MUL_NESTED = indexed_slices_forward(
    "SparseTensor * dense (SparseDenseCwiseMul) without stored values", ("special_forward_over_reverse",), '''
def sparse_mul_values(values, dense, *, indices, shape):
    """(SparseTensor * dense).values: each value times the dense entry it meets after broadcasting."""
    return values * tf.gather_nd(tf.broadcast_to(dense, shape), indices)
''', "sparse_mul_values",
    "v, d = tf.zeros([0], tf.float64), tf.constant([1.0, 2.0], tf.float64)\n"
    "with tf.autodiff.ForwardAccumulator(d, tf.ones_like(d)) as acc:\n"
    "    with tf.GradientTape() as t:\n"
    "        t.watch(d)\n"
    "        y = tf.reduce_sum((tf.SparseTensor(tf.zeros([0, 2], tf.int64), v, [2, 2]) * d).values)\n"
    "    g = t.gradient(y, d)\n"
    "print(acc.jvp(g))  # expected [0, 0]",
    "AttributeError: 'IndexedSlices' object has no attribute '_id'")

SPSPMM_EAGER = KnownBug(
    "the gradient of tf.raw_ops.SparseMatrixSparseMatMul raises ValueError (\"matrix has missing handle data\") in eager "
    "mode: the rule prunes the product to the operands' patterns with _PruneCSRMatrix, which reads the CSR matrix's dtype "
    "from graph handle data an eager tensor does not have; inside tf.function it works",
    "unreported",
    reproducer("a = tf.constant([1.0, 2.0], tf.float64)",
               "with tf.GradientTape() as t:",
               "    t.watch(a)",
               "    m = tf.raw_ops.SparseTensorToCSRSparseMatrix(indices=[[0, 0], [1, 1]], values=a, dense_shape=[2, 2])",
               "    p = tf.raw_ops.SparseMatrixSparseMatMul(a=m, b=m, type=tf.float64)",
               "    y = tf.raw_ops.CSRSparseMatrixToDense(sparse_input=p, type=tf.float64)",
               "print(t.gradient(y, a))  # expected 2a = [2, 4], got ValueError: matrix has missing handle data"),
    checks=("reverse", "reverse_over_reverse", "special_reverse", "special_reverse_over_reverse", "float32", "gpu"),
    modes=("eager",), symptom="matrix has missing handle data", kind="mode failure",
    kind_why="the same gradient is right inside tf.function; eager mode raises (tf.function around the call does not help: "
             "the eager tape then needs zeros_like of the CSR variant, which has no CPU kernel)",
    searched=("SparseMatrixSparseMatMul gradient eager \"matrix has missing handle data\" CSRSparseMatrix",),
    workaround=workaround("csr_sparse_matmul_dense", '''
def csr_sparse_matmul_dense(a, b, *, a_indices, b_indices, a_shape, b_shape, transpose_a=False, transpose_b=False):
    """The product of the two sparse matrices through their dense forms: its gradient with respect to each operand's
    values is the dense gradient read at that operand's indices, as SparseMatrixSparseMatMul's is."""
    da = tf.sparse.to_dense(tf.SparseTensor(a_indices, a, a_shape))
    db = tf.sparse.to_dense(tf.SparseTensor(b_indices, b, b_shape))
    return tf.linalg.matmul(da, db, transpose_a=transpose_a, transpose_b=transpose_b)
'''))

SPSPMM_EMPTY = KnownBug(
    "the gradient of tf.raw_ops.SparseMatrixSparseMatMul raises InvalidArgumentError (\"indices[0] = 0 is not in [0, 0)\") "
    "when one operand stores no values: _PruneSparseTensor gathers the other operand's product pattern at "
    "searchsorted positions of an empty index list; the gradient is 0 for the other operand and empty for this one",
    "unreported",
    reproducer("a, b = tf.zeros([0], tf.float64), tf.constant([3.0, -1.0], tf.float64)",
               "@tf.function",
               "def grad(a, b):",
               "    with tf.GradientTape() as t:",
               "        t.watch([a, b])",
               "        csr = lambda v, i: tf.raw_ops.SparseTensorToCSRSparseMatrix(indices=i, values=v, dense_shape=[2, 2])",
               "        p = tf.raw_ops.SparseMatrixSparseMatMul(a=csr(a, tf.zeros([0, 2], tf.int64)), b=csr(b, [[0, 1], [1, 0]]), type=tf.float64)",
               "        y = tf.raw_ops.CSRSparseMatrixToDense(sparse_input=p, type=tf.float64)",
               "    return t.gradient(y, [a, b])",
               "print(grad(a, b))  # expected [] and [0, 0], got InvalidArgumentError: indices[0] = 0 is not in [0, 0)"),
    checks=("reverse", "special_reverse"), modes=("function",), kind="missing gradient",
    kind_why="the tape raises where the gradient exists (0 for the operand with values, empty for the other)",
    searched=("SparseMatrixSparseMatMul gradient eager \"matrix has missing handle data\" CSRSparseMatrix",),
    workaround=workaround("csr_sparse_matmul_dense", '''
def csr_sparse_matmul_dense(a, b, *, a_indices, b_indices, a_shape, b_shape, transpose_a=False, transpose_b=False):
    """The product of the two sparse matrices through their dense forms: its gradient with respect to each operand's
    values is the dense gradient read at that operand's indices, as SparseMatrixSparseMatMul's is."""
    da = tf.sparse.to_dense(tf.SparseTensor(a_indices, a, a_shape))
    db = tf.sparse.to_dense(tf.SparseTensor(b_indices, b, b_shape))
    return tf.linalg.matmul(da, db, transpose_a=transpose_a, transpose_b=transpose_b)
'''))

CSR_FROM_SPARSE_FORWARD = csr_forward("SparseTensorToCSRSparseMatrix", '''
def csr_from_sparse_tensor(values, *, indices, shape, weights=None):
    """SparseTensorToCSRSparseMatrix read back with CSRSparseMatrixToSparseTensor returns the values in row-major order:
    for indices in that order (which the op requires) they are the values themselves."""
    return values if weights is None else values * tf.constant(weights, values.dtype)
''', "csr_from_sparse_tensor")

CSR_TO_DENSE_FORWARD = csr_forward("CSRSparseMatrixToDense", '''
def csr_to_dense(values, *, indices, shape, weights=None):
    """The CSR matrix's dense form is the SparseTensor's (tf.sparse.to_dense)."""
    out = tf.sparse.to_dense(tf.SparseTensor(indices, values, shape))
    return out if weights is None else out * tf.constant(weights, values.dtype)
''', "csr_to_dense")

DENSE_TO_CSR_FORWARD = csr_forward("DenseToCSRSparseMatrix", '''
def dense_to_csr(x, *, indices, weights=None):
    """DenseToCSRSparseMatrix(x, indices) read back dense keeps x at the given indices: gather them and scatter back."""
    out = tf.scatter_nd(indices, tf.gather_nd(x, indices), tf.shape(x, out_type=tf.int64))
    return out if weights is None else out * tf.constant(weights, x.dtype)
''', "dense_to_csr")

CSR_TO_SPARSE_FORWARD = csr_forward("CSRSparseMatrixToSparseTensor", '''
def csr_to_sparse_tensor(x, *, indices, weights=None):
    """The values of the CSR matrix of x at `indices` (given in row-major order) are x gathered there."""
    out = tf.gather_nd(x, indices)
    return out if weights is None else out * tf.constant(weights, x.dtype)
''', "csr_to_sparse_tensor")

CSR_MATMUL_FORWARD = csr_forward("SparseMatrixMatMul", '''
def csr_matmul(values, b, *, indices, shape, transpose_a=False, transpose_b=False, adjoint_a=False, adjoint_b=False,
               transpose_output=False):
    """SparseMatrixMatMul through the dense matrix (real dtypes: adjoint = transpose)."""
    a = tf.sparse.to_dense(tf.SparseTensor(indices, values, shape))
    out = tf.linalg.matmul(a, b, transpose_a=transpose_a or adjoint_a, transpose_b=transpose_b or adjoint_b)
    return tf.linalg.matrix_transpose(out) if transpose_output else out
''', "csr_matmul")

CSR_SPSPMM_FORWARD = csr_forward("SparseMatrixSparseMatMul", SPSPMM_EMPTY.workaround.code.split("\n\n\n", 1)[1],
                                 "csr_sparse_matmul_dense")

CSR_TRANSPOSE_FORWARD = csr_forward("SparseMatrixTranspose", '''
def csr_transpose(values, *, indices, shape, weights=None):
    """The transposed CSR matrix's dense form: the SparseTensor's dense form, transposed in its last two axes."""
    out = tf.linalg.matrix_transpose(tf.sparse.to_dense(tf.SparseTensor(indices, values, shape)))
    return out if weights is None else out * tf.constant(weights, values.dtype)
''', "csr_transpose")


# ------------------------------------------------------------------------------------------ samples

MM_IDX = ix([0, 0], [0, 3], [2, 1], [2, 2], [2, 3])  # 3x4, row 1 empty
MM_IDX_T = ix([0, 1], [1, 2], [2, 0], [3, 0], [3, 2])  # 4x3 (its adjoint is 3x4), column 1 of the adjoint empty
IDX33 = ix([0, 0], [0, 2], [1, 1], [2, 0], [2, 1])  # 3x3 with 5 values
IDX33_B = ix([0, 1], [1, 1], [2, 0], [2, 2])  # overlaps IDX33 at (1,1) and (2,0)
IDX3D = ix([0, 0, 1], [0, 1, 0], [0, 1, 2], [1, 0, 0], [1, 0, 2], [1, 1, 1])  # 2x2x3, 6 values


def mm_samples(name):
    v = lambda salt: _one(name, (5,), salt)  # noqa: E731
    return [
        Sample((v("a"), _one(name, (4, 2), "b")), dict(indices=MM_IDX, shape=[3, 4]), "3x4 (row 1 empty) @ 4x2"),
        Sample((v("c"), _one(name, (4, 2), "d")), dict(indices=MM_IDX_T, shape=[4, 3], adjoint_a=True),
               "adjoint_a: (4x3)ᵀ @ 4x2"),
        Sample((v("e"), _one(name, (2, 4), "f")), dict(indices=MM_IDX, shape=[3, 4], adjoint_b=True),
               "adjoint_b: 3x4 @ (2x4)ᵀ"),
        Sample((v("g"), _one(name, (2, 4), "h")), dict(indices=MM_IDX_T, shape=[4, 3], adjoint_a=True, adjoint_b=True),
               "adjoint_a and adjoint_b"),
        Sample((v("i"), _one(name, (2, 3), "j")), dict(indices=MM_IDX, shape=[3, 4], dense_first=True),
               "dense 2x3 @ sparse 3x4"),
    ]


B22 = np.array([[1.0, 2.0], [3.0, 4.0]])

OPS = [
    op("tf.sparse.sparse_dense_matmul", _sparse_dense_matmul, mm_samples("tf.sparse.sparse_dense_matmul"), diff=(0, 1),
       domain="values and the dense operand: all reals", second_order_sample=0,
       bugs=(SDMM_NESTED,), skips=no_xla("SparseTensorDenseMatMul"), points=[
        matmul_point("duplicate index (0,1) twice", ix([0, 1], [0, 1], [1, 0]), [1.0, 2.0, 3.0], B22, [2, 2],
                     "Σ(A·B) with A = [[0, 3], [3, 0]] (the duplicates add): ∂/∂A_rc = Σ_j B_cj (row sums of B: 3, 7), "
                     "each duplicate gets it; ∂/∂B_cj = Σ_r A_rc = 3", sbug=only(SDMM_NESTED, "special_forward_over_forward")),
        matmul_point("no stored values (nnz = 0)", no_values(), np.zeros(0), B22, [2, 2],
                     "A = 0: the values' gradient is empty, ∂/∂B_cj = Σ_r A_rc = 0",
                     sbug=only(SDMM_NESTED, "special_forward_over_forward")),
        matmul_point("zero rows: A is 0x3", no_values(), np.zeros(0), np.ones((3, 2)), [0, 3],
                     "the product is 0x2 (no entries): every gradient is empty or zero",
                     sbug=only(SDMM_NESTED, "special_forward_over_forward")),
        matmul_point("zero inner dimension: A 3x0 @ B 0x2", no_values(), np.zeros(0), np.zeros((0, 2)), [3, 0],
                     "the product is the 3x2 zero matrix whatever B is: empty gradients of shapes (0,) and (0, 2)"),
        matmul_point("adjoint_a with an empty column", ix([0, 1], [2, 0]), [2.0, -1.0], np.array([[1.0, -1.0], [0.5, 2.0],
                     [3.0, 0.0]]), [3, 2], "Aᵀ is 2x3 with A = [[0, 2], [0, 0], [−1, 0]]: ∂/∂A_rc = Σ_j B_rj "
                     "(row sums 0, 2.5, 3) at the stored (r, c); ∂/∂B_rj = Σ_c A_rc", adjoint_a=True,
                     sbug=only(SDMM_NESTED, "special_forward_over_forward")),
    ]),
    op("tf.sparse.add", _sparse_add, [
        Sample((_one("tf.sparse.add", (5,), "a"), _one("tf.sparse.add", (4,), "b")),
               dict(a_indices=IDX33, b_indices=IDX33_B, shape=[3, 3]), "3x3, 5 and 4 values, 2 shared positions"),
        Sample((_one("tf.sparse.add", (6,), "c"), _one("tf.sparse.add", (2,), "d")),
               dict(a_indices=IDX3D, b_indices=ix([0, 0, 0], [1, 1, 2]), shape=[2, 2, 3]), "2x2x3, disjoint patterns"),
        Sample((np.array([1.0, -2.0, 0.5, 3.0, 0.25]), np.array([-0.75, 1.5, 0.5, -1.0])),
               dict(a_indices=IDX33, b_indices=IDX33_B, shape=[3, 3], threshold=0.6),
               "threshold=0.6 drops (2,1) = 0.25; every other sum, the shared 2.0 and 3.5 too, has |s| ≥ 0.75"),
    ], diff=(0, 1), domain="all reals (|a + b| away from the threshold)", second_order_sample=0, bugs=(SPARSE_ADD_FORWARD,), skips=no_xla("SparseAdd"), points=[
        point("cancelling to exactly 0 at a shared position, threshold 0", [[1.0, 2.0], [-1.0, 4.0]],
              [[1.0, 1.0], [1.0, 1.0]], "with threshold 0 every sum is kept (|s| ≥ 0), the 0 at (0,0) too: each output "
              "value is a_i + b_j or a single value, ∂ = 1 for each contributor",
              bug=only(SPARSE_ADD_FORWARD, "special_forward"), second=linear_hvp([1.0, 2.0], [-1.0, 4.0]),
              a_indices=ix([0, 0], [1, 1]), b_indices=ix([0, 0], [1, 0]),
              shape=[2, 2]),
        point("a sum below the threshold is dropped", [[1.0, 0.25], [0.5, -0.1]], [[1.0, 0.0], [1.0, 0.0]],
              "threshold 0.3: (0,0) = 1.5 is kept, (1,1) = 0.15 is dropped for every nearby input, so a_1 and b_1 reach "
              "no output", bug=only(SPARSE_ADD_FORWARD, "special_forward"), second=linear_hvp([1.0, 0.25], [0.5, -0.1]),
              a_indices=ix([0, 0], [1, 1]),
              b_indices=ix([0, 0], [1, 1]), shape=[2, 2], threshold=0.3),
        point("A without values (nnz = 0)", [np.zeros(0), [2.0, -3.0]], [np.zeros(0), [1.0, 1.0]],
              "the sum is B itself: ∂/∂b = 1, the empty a has an empty gradient",
              bug=only(SPARSE_ADD_FORWARD, "special_forward"), second=linear_hvp(np.zeros(0), [2.0, -3.0]),
              a_indices=no_values(), b_indices=ix([0, 1], [1, 0]),
              shape=[2, 2]),
        point("both without values, zero-size shape 0x3", [np.zeros(0), np.zeros(0)], [np.zeros(0), np.zeros(0)],
              "no values anywhere: empty gradients", second=linear_hvp(np.zeros(0), np.zeros(0)),
              a_indices=no_values(), b_indices=no_values(), shape=[0, 3]),
    ]),
    op("tf.sparse.add(sparse, dense)", _sparse_add_dense, [
        Sample((_one("tf.sparse.add(sparse, dense)", (5,), "a"), _one("tf.sparse.add(sparse, dense)", (3, 3), "b")),
               dict(indices=IDX33, shape=[3, 3]), "3x3 SparseTensor + 3x3"),
        Sample((_one("tf.sparse.add(sparse, dense)", (6,), "c"), _one("tf.sparse.add(sparse, dense)", (2, 2, 3), "d")),
               dict(indices=IDX3D, shape=[2, 2, 3]), "2x2x3"),
    ], diff=(0, 1), domain="all reals", skips=no_xla("SparseTensorDenseAdd"), points=[
        point("duplicate index", [[1.0, 2.0], np.ones((2, 2))], [[1.0, 1.0], np.ones((2, 2))],
              "SparseTensorDenseAdd adds each stored value at its index, twice at the duplicate: ∂/∂a_k = 1, "
              "∂/∂dense = 1", second=linear_hvp([1.0, 2.0], np.ones((2, 2))), indices=ix([0, 1], [0, 1]),
              shape=[2, 2]),
        point("no stored values (nnz = 0)", [np.zeros(0), np.ones((2, 3))], [np.zeros(0), np.ones((2, 3))],
              "the result is the dense operand", second=linear_hvp(np.zeros(0), np.ones((2, 3))),
              indices=no_values(), shape=[2, 3]),
        point("zero-size shape 0x3", [np.zeros(0), np.zeros((0, 3))], [np.zeros(0), np.zeros((0, 3))],
              "an empty result: empty gradients of the arguments' shapes",
              second=linear_hvp(np.zeros(0), np.zeros((0, 3))), indices=no_values(), shape=[0, 3]),
    ]),
    op("tf.sparse.reduce_sum(rank 3, no values)", _sparse_reduce_sum, [
        Sample((_one("tf.sparse.reduce_sum(rank 3, no values)", (6,), "a"),), dict(indices=IDX3D, shape=[2, 2, 3],
               axis=[0, 2]), "2x2x3, axis=[0, 2]"),
        Sample((_one("tf.sparse.reduce_sum(rank 3, no values)", (6,), "b"),), dict(indices=IDX3D, shape=[2, 2, 3],
               axis=1, keepdims=True), "axis=1, keepdims"),
        Sample((_one("tf.sparse.reduce_sum(rank 3, no values)", (6,), "c"),), dict(indices=IDX3D, shape=[2, 2, 3]),
               "axis=None"),
    ], domain="all reals (the SparseTensor's values)", skips=no_xla("SparseReduceSum"), points=[
        point("every row empty (nnz = 0), axis=1", [np.zeros(0)], [np.zeros(0)], "no values: an empty gradient",
              second=linear_hvp(np.zeros(0)), indices=no_values(), shape=[3, 2], axis=1),
        point("zero-size 3x0, axis=1", [np.zeros(0)], [np.zeros(0)],
              "the row sums of a 3x0 tensor are three constant 0s: an empty gradient",
              second=linear_hvp(np.zeros(0)), indices=no_values(), shape=[3, 0], axis=1),
    ]),
    op("tf.sparse.reduce_sum(to a zero-size shape)", _sparse_reduce_sum, [
        Sample((_one("tf.sparse.reduce_sum(to a zero-size shape)", (2,)),), dict(indices=ix([0, 1], [1, 2]), shape=[2, 3],
               axis=1), "2x3, axis=1 (the non-degenerate neighbour of the points)"),
    ], domain="all reals (the SparseTensor's values)", bugs=(SPARSE_REDUCE_SUM_EMPTY,), skips=no_xla("SparseReduceSum"),
       points=[
        point("zero-size 0x3, axis=1", [np.zeros(0)], [np.zeros(0)],
              "a 0x3 tensor has no values; its row sums are the empty vector: an empty gradient",
              second=linear_hvp(np.zeros(0)), indices=no_values(), shape=[0, 3], axis=1),
        point("zero-size 3x0, axis=0", [np.zeros(0)], [np.zeros(0)],
              "a 3x0 tensor has no values; its column sums are the empty vector: an empty gradient",
              second=linear_hvp(np.zeros(0)), indices=no_values(), shape=[3, 0], axis=0),
    ]),
    op("tf.sparse.reduce_max", _sparse_reduce_max, [
        Sample((distinct("tf.sparse.reduce_max", (5,), salt="a"),), dict(indices=IDX33, shape=[3, 3]), "3x3, axis=None"),
        Sample((distinct("tf.sparse.reduce_max", (5,), salt="b"),), dict(indices=IDX33, shape=[3, 3], axis=1),
               "axis=1"),
        Sample((distinct("tf.sparse.reduce_max", (5,), salt="c"),), dict(indices=IDX33, shape=[3, 3], axis=0,
               keepdims=True), "axis=0, keepdims"),
        Sample((distinct("tf.sparse.reduce_max", (6,), salt="d"),), dict(indices=IDX3D, shape=[2, 2, 3], axis=[1, 2]),
               "2x2x3, axis=[1, 2]"),
    ], domain="all reals (samples without ties); the maximum is over the stored values only",
       second_order_sample=0, bugs=(SPARSE_REDUCE_MAX_NO_GRADIENT,), skips=no_xla("SparseReduceMax"), points=[
        point("tie in a row: axis=1", [[2.0, 2.0, -1.0]], [between([0.0, 0.0, 1.0], [1.0, 1.0, 1.0])],
              "row 0 holds 2 twice: max is not differentiable there, every subgradient puts weights in [0, 1] (summing "
              "to 1) on the tied entries; row 1's only value −1 is its maximum (∂ = 1)",
              second=hvp([zeros_like([0, 0, 0])], "piecewise linear: H = 0 on each side of the tie", exists=False,
                         bug=only(SPARSE_REDUCE_MAX_NO_GRADIENT, "special_forward_over_forward")),
              indices=ix([0, 0], [0, 2], [1, 1]), shape=[2, 3], axis=1),
        point("negative values beside implicit zeros, and an empty row: axis=1", [[-1.0, -3.0, -0.5]],
              [[1.0, 0.0, 1.0]], "tf.sparse.reduce_max reduces over the stored values only: row 0's max is −1 (not "
              "the implicit 0), row 2's is −0.5; row 1 stores nothing and is the constant 0",
              second=linear_hvp([0, 0, 0], bug=only(SPARSE_REDUCE_MAX_NO_GRADIENT, "special_forward_over_forward")), indices=ix([0, 0], [0, 1], [2, 2]),
              shape=[3, 3], axis=1),
        point("no stored values (nnz = 0), axis=None", [np.zeros(0)], [np.zeros(0)],
              "the result is a constant (0): an empty gradient", second=linear_hvp(np.zeros(0)),
              indices=no_values(), shape=[2, 2]),
    ]),
    op("tf.sparse.softmax", _sparse_softmax, [
        Sample((_one("tf.sparse.softmax", (5,), "a"),), dict(indices=MM_IDX, shape=[3, 4]), "3x4, rows of 2, 0, 3 values"),
        Sample((_one("tf.sparse.softmax", (6,), "b"),), dict(indices=IDX3D, shape=[2, 2, 3]), "2x2x3 (rows of the last axis)"),
    ], domain="all reals", second_order_sample=0, bugs=(SPARSE_SOFTMAX_HIGHER,), skips=no_xla("SparseSoftmax"), points=[
        softmax_point("weighted, rows of 2, 0 and 3 values", MM_IDX, [0.5, -1.0, 2.0, 0.0, 1.0], [3, 4],
                      [1.0, 2.0, -1.0, 0.5, 3.0], "f = Σ w·s: ∂f/∂x_j = s_j (w_j − w̄) per row with w̄ = Σ s w; the "
                      "empty row 1 has no values", sbug=only(SPARSE_SOFTMAX_HIGHER, "special_forward_over_forward")),
        softmax_point("equal logits in a row", ix([0, 0], [0, 1], [0, 2]), [0.3, 0.3, 0.3], [1, 3], [1.0, 0.0, -1.0],
                      "s = 1/3 each, w̄ = 0: ∂f/∂x_j = w_j/3", sbug=only(SPARSE_SOFTMAX_HIGHER, "special_forward_over_forward")),
        softmax_point("a row with one value", ix([0, 1], [1, 0], [1, 2]), [5.0, 1.0, -1.0], [2, 3], [2.0, 1.0, 1.0],
                      "a single value's softmax is the constant 1: gradient 0; row 1 has equal weights so w − w̄ = 0",
                      sbug=only(SPARSE_SOFTMAX_HIGHER, "special_forward_over_forward")),
        softmax_point("no stored values (nnz = 0)", no_values(), np.zeros(0), [2, 3], np.zeros(0),
                      "no values: an empty gradient"),
    ]),
    op("tf.sparse.to_dense", _to_dense, [
        Sample((_one("tf.sparse.to_dense", (5,), "a"), np.array(0.5)), dict(indices=IDX33, shape=[3, 3]),
               "3x3 with 5 values, default 0.5"),
        Sample((_one("tf.sparse.to_dense", (6,), "b"), np.array(-1.25)), dict(indices=IDX3D, shape=[2, 2, 3]), "2x2x3"),
        Sample((_one("tf.sparse.to_dense", (3,), "c"), np.array(0.75)),
               dict(indices=ix([2, 1], [0, 0], [1, 2]), shape=[3, 3], validate_indices=False),
               "indices out of order, validate_indices=False"),
    ], diff=(0, 1), domain="all reals", points=[
        point("no stored values: every entry is the default", [np.zeros(0), 2.0], [np.zeros(0), 6.0],
              "the 2x3 result is the default everywhere: ∂Σ/∂default = 6", second=linear_hvp(np.zeros(0), 2.0),
              indices=no_values(), shape=[2, 3]),
        point("every position stored", [[1.0, 2.0, 3.0, 4.0], 9.0], [np.ones(4), 0.0],
              "no entry takes the default: ∂/∂default = 0", second=linear_hvp(np.ones(4), 9.0),
              indices=ix([0, 0], [0, 1], [1, 0], [1, 1]), shape=[2, 2]),
        point("zero-size shape 0x3", [np.zeros(0), 2.0], [np.zeros(0), 0.0],
              "an empty result: the default enters no entry", second=linear_hvp(np.zeros(0), 2.0),
              indices=no_values(), shape=[0, 3]),
    ]),
    op("tf.sparse.reorder", _reorder, [
        Sample((_one("tf.sparse.reorder", (5,), "a"),), dict(indices=IDX33[[3, 0, 4, 2, 1]], shape=[3, 3]),
               "3x3, 5 values shuffled"),
        Sample((_one("tf.sparse.reorder", (6,), "b"),), dict(indices=IDX3D[::-1].copy(), shape=[2, 2, 3]),
               "2x2x3, reversed"),
    ], domain="all reals", bugs=(REORDER_NESTED,), skips=no_xla("SparseReorder"), points=[
        point("reversed order, weighted", [[1.0, 2.0, 3.0]], [[30.0, 20.0, 10.0]],
              "the values come out in row-major order (3, 2, 1) and meet the weights (10, 20, 30): value k gets the "
              "weight of its new place", second=linear_hvp([0, 0, 0], bug=only(REORDER_NESTED, "special_forward_over_forward")), indices=ix([2, 0], [1, 1], [0, 2]),
              shape=[3, 3], weights=[10.0, 20.0, 30.0]),
        point("no stored values (nnz = 0)", [np.zeros(0)], [np.zeros(0)], "an empty gradient",
              second=linear_hvp(np.zeros(0)), indices=no_values(), shape=[2, 2]),
    ]),
    op("tf.sparse.reshape", _reshape, [
        Sample((_one("tf.sparse.reshape", (5,), "a"),), dict(indices=IDX33, shape=[3, 3], new_shape=[9, 1]), "3x3 to 9x1"),
        Sample((_one("tf.sparse.reshape", (6,), "b"),), dict(indices=IDX3D, shape=[2, 2, 3], new_shape=[-1, 3]),
               "2x2x3 to [-1, 3]"),
    ], domain="all reals", skips=no_xla("SparseReshape"), points=[
        point("weighted 3x3 to 1x9", [[1.0, 2.0, 3.0, 4.0, 5.0]], [[1.0, -1.0, 2.0, -2.0, 3.0]],
              "reshape keeps the values and their order (row-major positions are unchanged): ∂/∂value_k = w_k",
              second=linear_hvp(np.zeros(5)), indices=IDX33, shape=[3, 3], new_shape=[1, 9],
              weights=[1.0, -1.0, 2.0, -2.0, 3.0]),
        point("no stored values, zero-size 0x3 to 3x0", [np.zeros(0)], [np.zeros(0)], "an empty gradient",
              second=linear_hvp(np.zeros(0)), indices=no_values(), shape=[0, 3], new_shape=[3, 0]),
    ]),
    op("tf.sparse.slice", _slice, [
        Sample((_one("tf.sparse.slice", (5,), "a"),), dict(indices=IDX33, shape=[3, 3], start=[1, 0], size=[2, 2]),
               "3x3, rows 1-2 × columns 0-1"),
        Sample((_one("tf.sparse.slice", (6,), "b"),), dict(indices=IDX3D, shape=[2, 2, 3], start=[0, 1, 0],
               size=[2, 1, 5]), "2x2x3, size past the end (clipped)"),
    ], domain="all reals", second_order_sample=0, bugs=(SPARSE_SLICE_FORWARD,), skips=no_xla("SparseSlice"), points=[
        point("weighted, values outside the slice", [[1.0, 2.0, 3.0, 4.0, 5.0]], [[0.0, 0.0, 10.0, 20.0, 30.0]],
              "rows 1-2 × columns 0-1 keep (1,1), (2,0), (2,1) in order; (0,0) and (0,2) enter nothing",
              second=linear_hvp(np.zeros(5), bug=only(SPARSE_SLICE_FORWARD, "special_forward_over_forward")), indices=IDX33, shape=[3, 3], start=[1, 0],
              size=[2, 2],
              weights=[10.0, 20.0, 30.0]),
        point("a slice holding no value", [[1.0, 2.0, 3.0, 4.0, 5.0]], [np.zeros(5)],
              "row 1 × column 2 stores nothing: an empty output, every value gets 0",
              second=linear_hvp(np.zeros(5), bug=only(SPARSE_SLICE_FORWARD, "special_forward_over_forward")), indices=IDX33, shape=[3, 3], start=[1, 2],
              size=[1, 1]),
        point("no stored values (nnz = 0)", [np.zeros(0)], [np.zeros(0)], "an empty gradient",
              second=linear_hvp(np.zeros(0)), indices=no_values(), shape=[3, 3], start=[0, 0], size=[2, 2]),
        point("zero-size slice", [[1.0, 2.0, 3.0, 4.0, 5.0]], [np.zeros(5)], "size [0, 3] selects nothing",
              second=linear_hvp(np.zeros(5), bug=only(SPARSE_SLICE_FORWARD, "special_forward_over_forward")), indices=IDX33, shape=[3, 3], start=[0, 0],
              size=[0, 3]),
    ]),
    op("tf.sparse.transpose", _transpose, [
        Sample((_one("tf.sparse.transpose", (5,), "a"),), dict(indices=IDX33, shape=[3, 3]), "3x3"),
        Sample((_one("tf.sparse.transpose", (6,), "b"),), dict(indices=IDX3D, shape=[2, 2, 3], perm=[2, 0, 1]),
               "2x2x3, perm=[2, 0, 1]"),
    ], domain="all reals", bugs=(TRANSPOSE_NESTED,), skips=no_xla("SparseReorder"), points=[
        point("weighted 3x3", [[1.0, 2.0, 3.0, 4.0, 5.0]], [[1.0, 5.0, 3.0, 2.0, 4.0]],
              "transposed, (0,0), (0,2), (1,1), (2,0), (2,1) become (0,0), (2,0), (1,1), (0,2), (1,2), in row-major "
              "order (0,0), (0,2), (1,1), (1,2), (2,0): the weights 1-5 reach v0, v3, v2, v4, v1",
              second=linear_hvp(np.zeros(5), bug=only(TRANSPOSE_NESTED, "special_forward_over_forward")), indices=IDX33, shape=[3, 3],
              weights=[1.0, 2.0, 3.0, 4.0, 5.0]),
        point("no stored values, zero-size 0x3", [np.zeros(0)], [np.zeros(0)], "an empty gradient",
              second=linear_hvp(np.zeros(0)), indices=no_values(), shape=[0, 3]),
    ]),
    op("tf.sparse.maximum", _maximum, [
        Sample((distinct("tf.sparse.maximum", (9,), salt="a")[:5], distinct("tf.sparse.maximum", (9,), salt="a")[5:]),
               dict(a_indices=IDX33, b_indices=IDX33_B, shape=[3, 3]), "3x3, overlapping patterns"),
    ], diff=(0, 1), domain="all reals (no ties, no value at 0 where the other is implicit)",
       bugs=(SPARSE_MAXIMUM_NO_GRADIENT,), skips=no_xla("SparseSparseMaximum"), points=[
        point("a value against an implicit 0", [[1.0, -2.0, 3.0], [-1.0, 4.0, 3.5]], [[1.0, 0.0, 0.0], [0.0, 1.0, 1.0]],
              "positions missing in one operand count as 0: (0,0) max(1, −1) → a; (0,1) max(−2, 0) = 0, a constant; "
              "(1,0) max(0, 4) → b; (1,1) max(3, 3.5) → b",
              second=linear_hvp([0, 0, 0], [0, 0, 0], bug=only(SPARSE_MAXIMUM_NO_GRADIENT, "special_forward_over_forward")),
              a_indices=ix([0, 0], [0, 1], [1, 1]), b_indices=ix([0, 0], [1, 0], [1, 1]), shape=[2, 2]),
        point("a tie", [[2.0], [2.0]], [between([0.0], [1.0]), between([0.0], [1.0])],
              "max(a, b) at a = b: any convex split of the gradient is a subgradient",
              second=hvp([[0.0], [0.0]], "piecewise linear: H = 0 on both sides", exists=False,
                         bug=only(SPARSE_MAXIMUM_NO_GRADIENT, "special_forward_over_forward")),
              a_indices=ix([0, 0]), b_indices=ix([0, 0]), shape=[1, 1]),
        point("no stored values (nnz = 0)", [np.zeros(0), np.zeros(0)], [np.zeros(0), np.zeros(0)],
              "empty gradients", second=linear_hvp(np.zeros(0), np.zeros(0)), a_indices=no_values(),
              b_indices=no_values(), shape=[2, 2]),
    ]),
    op("tf.sparse.minimum", _minimum, [
        Sample((distinct("tf.sparse.minimum", (9,), salt="a")[:5], distinct("tf.sparse.minimum", (9,), salt="a")[5:]),
               dict(a_indices=IDX33, b_indices=IDX33_B, shape=[3, 3]), "3x3, overlapping patterns"),
    ], diff=(0, 1), domain="all reals (no ties, no value at 0 where the other is implicit)",
       bugs=(SPARSE_MINIMUM_NO_GRADIENT,), skips=no_xla("SparseSparseMinimum"), points=[
        point("a value against an implicit 0", [[1.0, -2.0, 3.0], [-1.0, 4.0, 3.5]], [[0.0, 1.0, 1.0], [1.0, 0.0, 0.0]],
              "positions missing in one operand count as 0: (0,0) min(1, −1) → b; (0,1) min(−2, 0) → a; (1,0) "
              "min(0, 4) = 0, a constant; (1,1) min(3, 3.5) → a",
              second=linear_hvp([0, 0, 0], [0, 0, 0], bug=only(SPARSE_MINIMUM_NO_GRADIENT, "special_forward_over_forward")),
              a_indices=ix([0, 0], [0, 1], [1, 1]), b_indices=ix([0, 0], [1, 0], [1, 1]), shape=[2, 2]),
        point("a tie", [[2.0], [2.0]], [between([0.0], [1.0]), between([0.0], [1.0])],
              "min(a, b) at a = b: any convex split of the gradient is a subgradient",
              second=hvp([[0.0], [0.0]], "piecewise linear: H = 0 on both sides", exists=False,
                         bug=only(SPARSE_MINIMUM_NO_GRADIENT, "special_forward_over_forward")),
              a_indices=ix([0, 0]), b_indices=ix([0, 0]), shape=[1, 1]),
    ]),
    op("tf.SparseTensor.__mul__", _sparse_mul, [
        Sample((_one("tf.SparseTensor.__mul__", (5,), "a"), _one("tf.SparseTensor.__mul__", (3, 3), "b")),
               dict(indices=IDX33, shape=[3, 3]), "3x3 * 3x3"),
        Sample((_one("tf.SparseTensor.__mul__", (5,), "c"), _one("tf.SparseTensor.__mul__", (3,), "d")),
               dict(indices=IDX33, shape=[3, 3]), "3x3 * 3 (broadcast over rows)"),
        Sample((_one("tf.SparseTensor.__mul__", (6,), "e"), _one("tf.SparseTensor.__mul__", (2, 1, 3), "f")),
               dict(indices=IDX3D, shape=[2, 2, 3]), "2x2x3 * 2x1x3"),
    ], diff=(0, 1), domain="all reals", skips=no_xla("SparseDenseCwiseMul"), points=[
        cwise_point("broadcast column vector", IDX33, [1.0, 2.0, 3.0, 4.0, 5.0], np.array([[2.0], [0.0], [-1.0]]),
                    [3, 3], "mul", "x_k · d_row: ∂/∂x_k = d of its row (2, 2, 0, −1, −1); ∂/∂d_r = Σ of row r's values "
                    "(3, 3, 9)"),
    ]),
    op("tf.SparseTensor.__truediv__", _sparse_div, [
        Sample((_one("tf.SparseTensor.__truediv__", (5,), "a"), _one("tf.SparseTensor.__truediv__", (3, 3), "b", NONZERO)),
               dict(indices=IDX33, shape=[3, 3]), "3x3 / 3x3"),
        Sample((_one("tf.SparseTensor.__truediv__", (5,), "c"), _one("tf.SparseTensor.__truediv__", (3,), "d", NONZERO)),
               dict(indices=IDX33, shape=[3, 3]), "3x3 / 3 (broadcast over rows)"),
    ], diff=(0, 1), domain="values any; the dense divisor ≠ 0 where it meets a value", bugs=(DIV_NESTED,),
       skips=no_xla("SparseDenseCwiseDiv"), points=[
        cwise_point("broadcast row vector with a negative divisor", IDX33, [1.0, 2.0, 3.0, 4.0, 5.0],
                    np.array([2.0, -1.0, 4.0]), [3, 3], "div", "x_k / d_col: ∂/∂x_k = 1/d, ∂/∂d_c = −Σ x_k/d_c² over "
                    "column c's values"),
        cwise_point("a divisor that meets no value may be 0", ix([0, 0]), [3.0], np.array([2.0, 0.0]), [2, 2], "div",
                    "only d_0 divides a value; d_1 = 0 enters nothing: ∂/∂d_1 = 0, no inf"),
    ]),
    op("tf.raw_ops.SparseDenseCwiseAdd", _cwise_add, [
        Sample((_one("tf.raw_ops.SparseDenseCwiseAdd", (5,), "a"), _one("tf.raw_ops.SparseDenseCwiseAdd", (3, 3), "b")),
               dict(indices=IDX33, shape=[3, 3]), "3x3 + 3x3 at the stored positions"),
        Sample((_one("tf.raw_ops.SparseDenseCwiseAdd", (5,), "c"), _one("tf.raw_ops.SparseDenseCwiseAdd", (3, 1), "d")),
               dict(indices=IDX33, shape=[3, 3]), "3x3 + 3x1 (broadcast)"),
    ], diff=(0, 1), domain="all reals", second_order_sample=0, bugs=(CWISE_ADD_NO_GRADIENT,), skips=no_xla("SparseDenseCwiseAdd"), points=[
        point("broadcast row vector", [[1.0, 2.0, 3.0, 4.0, 5.0], [0.5, -1.0, 2.0]], [np.ones(5), [2.0, 2.0, 1.0]],
              "out_k = x_k + d_col(k): ∂/∂x = 1; ∂/∂d_c = number of values in column c (2, 2, 1)",
              second=linear_hvp(np.zeros(5), np.zeros(3)), indices=IDX33, shape=[3, 3]),
        point("no stored values (nnz = 0)", [np.zeros(0), [1.0, 2.0]], [np.zeros(0), [0.0, 0.0]],
              "no output values: the dense operand enters nothing", second=linear_hvp(np.zeros(0), np.zeros(2)),
              indices=no_values(), shape=[2, 2]),
    ]),
    op("tf.sparse.concat", _concat, [
        Sample((_one("tf.sparse.concat", (5,), "a"), _one("tf.sparse.concat", (4,), "b")),
               dict(a_indices=IDX33, b_indices=IDX33_B, a_shape=[3, 3], b_shape=[3, 3], axis=1), "3x3 ⧺ 3x3 along axis 1"),
        Sample((_one("tf.sparse.concat", (5,), "c"), _one("tf.sparse.concat", (4,), "d")),
               dict(a_indices=IDX33, b_indices=IDX33_B, a_shape=[3, 3], b_shape=[3, 3], axis=0), "along axis 0"),
        Sample((_one("tf.sparse.concat", (5,), "e"), _one("tf.sparse.concat", (1,), "f")),
               dict(a_indices=IDX33, b_indices=ix([1, 0]), a_shape=[3, 3], b_shape=[2, 1], axis=1,
                    expand_nonconcat_dims=True), "3x3 ⧺ 2x1, expand_nonconcat_dims"),
    ], diff=(0, 1), domain="all reals", second_order_sample=0, bugs=(SPARSE_CONCAT_NO_GRADIENT,), skips=no_xla("SparseConcat"), points=[
        point("weighted, axis 1", [[1.0, 2.0], [3.0]], [[10.0, 30.0], [20.0]],
              "A (0,0), (1,0) and B (0,0) → (0,0), (1,0), (0,1) of the 2x2 result, in row-major order (0,0), (0,1), "
              "(1,0): the weights 10, 20, 30 reach a_0, b_0, a_1", second=linear_hvp([0, 0], [0]),
              a_indices=ix([0, 0], [1, 0]), b_indices=ix([0, 0]), a_shape=[2, 1], b_shape=[2, 1], axis=1,
              weights=[10.0, 20.0, 30.0]),
        point("one operand without values (nnz = 0)", [np.zeros(0), [1.0, -2.0]], [np.zeros(0), [1.0, 1.0]],
              "the result holds B's values: ∂/∂b = 1, an empty gradient for a", second=linear_hvp(np.zeros(0), [0, 0]),
              a_indices=no_values(), b_indices=ix([0, 0], [1, 1]), a_shape=[2, 2], b_shape=[2, 2], axis=0),
    ]),
    op("tf.sparse.fill_empty_rows", _fill_empty_rows, [
        Sample((_one("tf.sparse.fill_empty_rows", (5,), "a"), np.array(0.5)), dict(indices=MM_IDX, shape=[3, 4]),
               "3x4, row 1 empty"),
        Sample((_one("tf.sparse.fill_empty_rows", (3,), "b"), np.array(-1.5)),
               dict(indices=ix([1, 0, 1], [1, 1, 0], [3, 0, 2]), shape=[5, 2, 3]), "5x2x3, rows 0, 2, 4 empty"),
    ], diff=(0, 1), domain="all reals", second_order_sample=0, bugs=(SPARSE_FILL_FORWARD,), skips=no_xla("SparseFillEmptyRows"), points=[
        point("weighted, two empty rows", [[1.0, 2.0], 7.0], [[10.0, 30.0], 60.0],
              "rows 1 and 3 of 4 get the default at column 0: the values in row-major order are a_0 (row 0), d (row 1), "
              "a_1 (row 2), d (row 3) and meet the weights 10, 20, 30, 40: ∂/∂a = (10, 30), ∂/∂d = 20 + 40",
              second=linear_hvp([0, 0], 0.0), indices=ix([0, 1], [2, 0]), shape=[4, 2],
              weights=[10.0, 20.0, 30.0, 40.0]),
        point("no empty row", [[1.0, 2.0], 7.0], [[1.0, 1.0], 0.0], "nothing is filled: ∂/∂default = 0",
              second=linear_hvp([0, 0], 0.0), indices=ix([0, 1], [1, 0]), shape=[2, 2]),
        point("every row empty (nnz = 0)", [np.zeros(0), 7.0], [np.zeros(0), 3.0],
              "all 3 rows get the default: ∂/∂default = 3", second=linear_hvp(np.zeros(0), 0.0),
              indices=no_values(), shape=[3, 2]),
        point("zero rows: shape 0x3", [np.zeros(0), 7.0], [np.zeros(0), 0.0], "no row to fill: ∂/∂default = 0",
              second=linear_hvp(np.zeros(0), 0.0), indices=no_values(), shape=[0, 3]),
    ]),
    op("tf.sparse.expand_dims", _expand_dims, [
        Sample((_one("tf.sparse.expand_dims", (5,), "a"),), dict(indices=IDX33, shape=[3, 3], axis=1), "3x3, axis=1"),
        Sample((_one("tf.sparse.expand_dims", (6,), "b"),), dict(indices=IDX3D, shape=[2, 2, 3], axis=-1),
               "2x2x3, axis=-1"),
    ], domain="all reals", points=[
        point("no stored values, zero-size 0x3", [np.zeros(0)], [np.zeros(0)], "an empty gradient",
              second=linear_hvp(np.zeros(0)), indices=no_values(), shape=[0, 3], axis=0),
    ]),
    op("tf.sparse.bincount", _bincount, [
        Sample((_one("tf.sparse.bincount", (5,), "a"),), dict(indices=IDX33, ids=[2, 0, 2, 4, 1], shape=[3, 3]),
               "ids [2 0 2 4 1], axis=0 (one histogram)"),
        Sample((_one("tf.sparse.bincount", (5,), "b"),), dict(indices=IDX33, ids=[2, 0, 2, 1, 1], shape=[3, 3], axis=-1),
               "axis=-1 (a histogram per row)"),
    ], domain="weights: all reals (ids: non-negative ints)", second_order_sample=0, bugs=(SPARSE_BINCOUNT_NO_GRADIENT,),
       skips=no_xla("SparseCountSparseOutput"), points=[
        point("weights of equal ids add", [[1.5, -2.0, 0.5]], [[1.0, 1.0, 1.0]],
              "bins 1 (1.5 + 0.5) and 3 (−2): each weight enters one bin once",
              second=linear_hvp([0, 0, 0], bug=only(SPARSE_BINCOUNT_NO_GRADIENT, "special_forward_over_forward")), indices=ix([0, 0], [0, 1], [1, 0]),
              ids=[1, 3, 1], shape=[2, 2]),
        point("no stored values (nnz = 0)", [np.zeros(0)], [np.zeros(0)], "an empty gradient",
              second=linear_hvp(np.zeros(0)), indices=no_values(), ids=[], shape=[2, 2]),
    ]),
    op("tf.sparse.from_dense", _from_dense, [
        Sample((_one("tf.sparse.from_dense", (3, 4), "a", NONZERO),), label="3x4 (no zeros)"),
        Sample((_one("tf.sparse.from_dense", (2, 2, 3), "b", NONZERO),), label="2x2x3"),
    ], domain="entries ≠ 0 (the stored pattern is {x ≠ 0})", points=[
        point("weighted 2x2", [[[1.0, -2.0], [3.0, 0.5]]], [[[1.0, 2.0], [3.0, 4.0]]],
              "every entry is stored, in row-major order: ∂/∂x = the weight at its place", second=linear_hvp(np.zeros((2, 2))),
              weights=[1.0, 2.0, 3.0, 4.0]),
        point("zero entries", [[[1.0, 0.0], [0.0, -2.0]]], [between([[1.0, 0.0], [0.0, 1.0]], [[1.0, 1.0], [1.0, 1.0]])],
              "the stored pattern is {x ≠ 0}: moving a 0 entry off 0 adds a stored value, so the op (a vector of values whose "
              "length jumps there) has no derivative in it; Σ of the values equals Σx, whose derivative is 1, while a fixed "
              "pattern (TensorFlow's gather at tf.where(x ≠ 0), and JAX's BCOO fromdense JVP, which extracts the tangent at "
              "the stored indices only: jax-ml/jax#6739) gives 0 — any value in [0, 1] is accepted at the zeros, the stored "
              "entries get 1", second=hvp([np.zeros((2, 2))], "linear on each pattern: H = 0 on both sides", exists=False)),
        point("zero-size 0x3", [np.zeros((0, 3))], [np.zeros((0, 3))], "no entries: an empty gradient",
              second=linear_hvp(np.zeros((0, 3)))),
    ]),
    # ---- CSR sparse matrices (tf.raw_ops)
    op("tf.raw_ops.SparseTensorToCSRSparseMatrix", _csr_from_sparse_tensor, [
        Sample((_one("tf.raw_ops.SparseTensorToCSRSparseMatrix", (5,), "a"),), dict(indices=IDX33, shape=[3, 3]), "3x3"),
        Sample((_one("tf.raw_ops.SparseTensorToCSRSparseMatrix", (6,), "b"),), dict(indices=IDX3D, shape=[2, 2, 3]),
               "batch of 2 2x3"),
    ], domain="all reals", second_order_sample=0, bugs=(CSR_FROM_SPARSE_FORWARD,), skips=no_xla("SparseTensorToCSRSparseMatrix"), points=[
        point("weighted, an empty row", [[1.0, 2.0, 3.0]], [[4.0, 5.0, 6.0]],
              "read back in row-major order: ∂/∂value_k = w_k",
              second=linear_hvp(np.zeros(3), bug=only(CSR_FROM_SPARSE_FORWARD, "special_forward_over_forward")),
              indices=ix([0, 1], [2, 0], [2, 2]), shape=[3, 3], weights=[4.0, 5.0, 6.0]),
        point("no stored values (nnz = 0)", [np.zeros(0)], [np.zeros(0)], "an empty gradient",
              second=linear_hvp(np.zeros(0)), indices=no_values(), shape=[3, 3]),
    ]),
    op("tf.raw_ops.CSRSparseMatrixToDense", _csr_to_dense, [
        Sample((_one("tf.raw_ops.CSRSparseMatrixToDense", (5,), "a"),), dict(indices=IDX33, shape=[3, 3]), "3x3"),
        Sample((_one("tf.raw_ops.CSRSparseMatrixToDense", (6,), "b"),), dict(indices=IDX3D, shape=[2, 2, 3]),
               "batch of 2 2x3"),
    ], domain="all reals", second_order_sample=0, bugs=(CSR_TO_DENSE_FORWARD,), skips=no_xla("CSRSparseMatrixToDense"), points=[
        point("weighted", [[1.0, 2.0]], [[2.0, -3.0]], "dense[i] = value at i: ∂/∂value = the weight at its position",
              second=linear_hvp(np.zeros(2), bug=only(CSR_TO_DENSE_FORWARD, "special_forward_over_forward")), indices=ix([0, 1], [1, 0]), shape=[2, 2],
              weights=np.array([[1.0, 2.0], [-3.0, 4.0]])),
        point("every row empty (nnz = 0)", [np.zeros(0)], [np.zeros(0)], "the zero matrix: an empty gradient",
              second=linear_hvp(np.zeros(0)), indices=no_values(), shape=[2, 3]),
        point("zero-size 0x3", [np.zeros(0)], [np.zeros(0)], "an empty matrix: an empty gradient",
              second=linear_hvp(np.zeros(0)), indices=no_values(), shape=[0, 3]),
    ]),
    op("tf.raw_ops.DenseToCSRSparseMatrix", _dense_to_csr, [
        Sample((_one("tf.raw_ops.DenseToCSRSparseMatrix", (3, 3), "a"),), dict(indices=IDX33), "3x3 at 5 given indices"),
        Sample((_one("tf.raw_ops.DenseToCSRSparseMatrix", (2, 2, 3), "b"),), dict(indices=IDX3D), "batch of 2 2x3"),
    ], domain="all reals", second_order_sample=0, bugs=(DENSE_TO_CSR_FORWARD,), skips=no_xla("DenseToCSRSparseMatrix"), points=[
        point("entries off the given indices are dropped", [[[1.0, 2.0], [3.0, 4.0]]], [[[1.0, 0.0], [0.0, 1.0]]],
              "the matrix keeps x at (0,0) and (1,1) only (the indices are given, not derived from x): ∂ = 1 there, 0 "
              "elsewhere", second=linear_hvp(np.zeros((2, 2)), bug=only(DENSE_TO_CSR_FORWARD, "special_forward_over_forward")), indices=ix([0, 0], [1, 1])),
        point("no indices (nnz = 0)", [[[1.0, 2.0], [3.0, 4.0]]], [np.zeros((2, 2))],
              "the zero matrix whatever x is", second=linear_hvp(np.zeros((2, 2)), bug=only(DENSE_TO_CSR_FORWARD, "special_forward_over_forward")),
              indices=no_values()),
        point("zero-size 0x3", [np.zeros((0, 3))], [np.zeros((0, 3))], "an empty gradient",
              second=linear_hvp(np.zeros((0, 3))), indices=no_values()),
    ]),
    op("tf.raw_ops.CSRSparseMatrixToSparseTensor", _csr_to_sparse_tensor, [
        Sample((_one("tf.raw_ops.CSRSparseMatrixToSparseTensor", (3, 3), "a"),), dict(indices=IDX33), "3x3"),
        Sample((_one("tf.raw_ops.CSRSparseMatrixToSparseTensor", (2, 2, 3), "b"),), dict(indices=IDX3D), "batch of 2 2x3"),
    ], domain="all reals", second_order_sample=0, bugs=(CSR_TO_SPARSE_FORWARD,), skips=no_xla("CSRSparseMatrixToSparseTensor"), points=[
        point("weighted", [[[1.0, 2.0], [3.0, 4.0]]], [[[5.0, 0.0], [6.0, 0.0]]],
              "the values x[0,0], x[1,0] in row-major order meet the weights 5, 6; the other entries are not kept",
              second=linear_hvp(np.zeros((2, 2)), bug=only(CSR_TO_SPARSE_FORWARD, "special_forward_over_forward")), indices=ix([0, 0], [1, 0]),
              weights=[5.0, 6.0]),
        point("no indices (nnz = 0)", [[[1.0, 2.0], [3.0, 4.0]]], [np.zeros((2, 2))], "no values: the gradient is 0",
              second=linear_hvp(np.zeros((2, 2)), bug=only(CSR_TO_SPARSE_FORWARD, "special_forward_over_forward")), indices=no_values()),
    ]),
    op("tf.raw_ops.SparseMatrixMatMul", _csr_matmul, [
        Sample((_one("tf.raw_ops.SparseMatrixMatMul", (5,), "a"), _one("tf.raw_ops.SparseMatrixMatMul", (4, 2), "b")),
               dict(indices=MM_IDX, shape=[3, 4]), "CSR 3x4 (row 1 empty) @ 4x2"),
        Sample((_one("tf.raw_ops.SparseMatrixMatMul", (5,), "c"), _one("tf.raw_ops.SparseMatrixMatMul", (4, 2), "d")),
               dict(indices=MM_IDX_T, shape=[4, 3], transpose_a=True), "transpose_a"),
        Sample((_one("tf.raw_ops.SparseMatrixMatMul", (5,), "e"), _one("tf.raw_ops.SparseMatrixMatMul", (2, 4), "f")),
               dict(indices=MM_IDX, shape=[3, 4], adjoint_b=True), "adjoint_b"),
        Sample((_one("tf.raw_ops.SparseMatrixMatMul", (5,), "g"), _one("tf.raw_ops.SparseMatrixMatMul", (4, 2), "h")),
               dict(indices=MM_IDX, shape=[3, 4], transpose_output=True), "transpose_output"),
        Sample((_one("tf.raw_ops.SparseMatrixMatMul", (6,), "i"), _one("tf.raw_ops.SparseMatrixMatMul", (2, 3, 2), "j")),
               dict(indices=IDX3D, shape=[2, 2, 3]), "batch of 2: 2x3 @ 3x2"),
    ], diff=(0, 1), domain="all reals", second_order_sample=0, bugs=(CSR_MATMUL_FORWARD,),
       skips=no_xla("SparseTensorToCSRSparseMatrix"), points=[
        matmul_point("no stored values (nnz = 0)", no_values(), np.zeros(0), B22, [2, 2],
                     "A = 0: the values' gradient is empty, ∂/∂B = Σ_r A_rc = 0",
                     sbug=only(CSR_MATMUL_FORWARD, "special_forward_over_forward")),
        matmul_point("an empty row, adjoint_a", ix([0, 1], [2, 0]), [2.0, -1.0], np.array([[1.0, -1.0], [0.5, 2.0],
                     [3.0, 0.0]]), [3, 2], "Aᵀ·B with A = [[0, 2], [0, 0], [−1, 0]]: ∂/∂A_rc = Σ_j B_rj at the stored "
                     "(r, c), ∂/∂B_rj = Σ_c A_rc", adjoint_a=True, sbug=only(CSR_MATMUL_FORWARD, "special_forward_over_forward")),
    ]),
    op("tf.raw_ops.SparseMatrixSparseMatMul", _csr_sparse_matmul, [
        Sample((_one("tf.raw_ops.SparseMatrixSparseMatMul", (5,), "a"), _one("tf.raw_ops.SparseMatrixSparseMatMul", (4,), "b")),
               dict(a_indices=IDX33, b_indices=IDX33_B, a_shape=[3, 3], b_shape=[3, 3]), "CSR 3x3 @ CSR 3x3"),
        Sample((_one("tf.raw_ops.SparseMatrixSparseMatMul", (5,), "c"), _one("tf.raw_ops.SparseMatrixSparseMatMul", (4,), "d")),
               dict(a_indices=IDX33, b_indices=IDX33_B, a_shape=[3, 3], b_shape=[3, 3], transpose_a=True),
               "transpose_a"),
    ], diff=(0, 1), domain="all reals", second_order_sample=0, bugs=(SPSPMM_EAGER, CSR_SPSPMM_FORWARD),
       skips=no_xla("SparseTensorToCSRSparseMatrix"), points=[
        spsp_point("2x2: diagonal A times an anti-diagonal B", ix([0, 0], [1, 1]), [1.0, 2.0], ix([0, 1], [1, 0]),
                   [3.0, -1.0], [2, 2], [2, 2], "A = diag(1, 2), B = [[0, 3], [−1, 0]]: ∂Σ(AB)/∂A_ik = Σ_j B_kj (row "
                   "sums 3, −1), ∂Σ(AB)/∂B_kj = Σ_i A_ik (column sums 1, 2), read at the stored positions",
                   sbug=only(CSR_SPSPMM_FORWARD, "special_forward_over_forward")),
    ]),
    op("tf.raw_ops.SparseMatrixSparseMatMul(an operand without values)", _csr_sparse_matmul, [
        Sample((np.zeros(0), _one("tf.raw_ops.SparseMatrixSparseMatMul(an operand without values)", (4,))),
               dict(a_indices=no_values(), b_indices=IDX33_B, a_shape=[3, 3], b_shape=[3, 3]),
               "CSR 3x3 without values @ CSR 3x3"),
    ], diff=(0, 1), domain="all reals", bugs=(SPSPMM_EAGER, SPSPMM_EMPTY, CSR_SPSPMM_FORWARD),
       skips=no_xla("SparseTensorToCSRSparseMatrix"), points=[
        spsp_point("transpose_a, A without values", no_values(), np.zeros(0), ix([0, 1], [1, 0]), [3.0, -1.0], [2, 2],
                   [2, 2], "A = 0: an empty gradient for A, and ∂/∂B = Σ_i A_ik = 0", transpose_a=True,
                   sbug=only(CSR_SPSPMM_FORWARD, "special_forward_over_forward")),
    ]),
    op("tf.raw_ops.SparseMatrixTranspose", _csr_transpose, [
        Sample((_one("tf.raw_ops.SparseMatrixTranspose", (5,), "a"),), dict(indices=MM_IDX, shape=[3, 4]), "3x4"),
        Sample((_one("tf.raw_ops.SparseMatrixTranspose", (6,), "b"),), dict(indices=IDX3D, shape=[2, 2, 3]),
               "batch of 2 2x3"),
    ], domain="all reals", second_order_sample=0, bugs=(CSR_TRANSPOSE_FORWARD,), skips=no_xla("SparseMatrixTranspose"), points=[
        point("weighted 2x3", [[1.0, 2.0]], [[6.0, 3.0]], "A = [[0, a0, 0], [0, 0, a1]]ᵀ is 3x2 with a0 at (1,0) and a1 "
              "at (2,1), meeting the weights 6 and 3", second=linear_hvp(np.zeros(2), bug=only(CSR_TRANSPOSE_FORWARD, "special_forward_over_forward")),
              indices=ix([0, 1], [1, 2]),
              shape=[2, 3], weights=np.array([[1.0, 2.0], [6.0, 4.0], [5.0, 3.0]])),
        point("no stored values (nnz = 0)", [np.zeros(0)], [np.zeros(0)], "an empty gradient",
              second=linear_hvp(np.zeros(0)), indices=no_values(), shape=[2, 3]),
    ]),
]
