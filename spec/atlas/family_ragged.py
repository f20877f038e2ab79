"""Ragged tensors: reductions, gather, conversions, map_fn/vectorized_map, elementwise math, masks, concat/stack, softmax.

Every record differentiates the flat values of a RaggedTensor (and a dense operand or default value where the op has
one) and builds the RaggedTensor inside `fn` with tf.RaggedTensor.from_row_splits (or from_nested_row_splits) from
fixed int64 row splits given as keyword arguments; a RaggedTensor result is read as its `.flat_values`, a
SparseTensor as its `.values`. Where Σ(values) would not see where each value went (gather, to_sparse, concat,
softmax, fill), the record multiplies by fixed weights (`weights=`).

Covered: tf.reduce_sum, reduce_mean and reduce_max over ragged rows (axis 1, axis 0 across rows of different length,
axis None, keepdims, an inner dense dimension, ragged rank 2), tf.gather of ragged params (RaggedGather),
RaggedTensor.to_tensor with a default value and a shape that pads and truncates (RaggedTensorToTensor),
RaggedTensor.to_sparse (RaggedTensorToSparse), tf.map_fn over a RaggedTensor with dense and ragged results
(RaggedTensorToVariant / RaggedTensorFromVariant; the traced modes run it inside tf.function), tf.vectorized_map over
a RaggedTensor of equal row lengths, tf.math.multiply of ragged operands and broadcasting against a dense column,
tf.ragged.boolean_mask, tf.concat and tf.stack of ragged tensors, tf.raw_ops.RaggedFillEmptyRows (the op
tf.nn.safe_embedding_lookup_sparse emits for ragged ids) and tf.nn.softmax over ragged rows. Degenerate shapes: empty
rows, every row empty (no values) and zero rows; the right gradient there is the empty or zero array of the
argument's shape.

Known TensorFlow bugs found here (strict xfails with search terms and workarounds): forward mode raises through
tf.gather, to_tensor, concat/stack along rows (IndexedSlices backward functions), map_fn (variant tangents) and
RaggedFillEmptyRows (its backward op has no gradient); nested forward mode fails through every reduction and softmax
(UnsortedSegment* backward functions gather); reduce_max's forward mode is NaN at an empty row; map_fn has no second
derivative (RaggedTensorToVariantGradient has none); tf.vectorized_map over a RaggedTensor has no usable gradient.

Left out: tf.reduce_mean of an empty row (0/0 = NaN is its value, nothing to differentiate); tf.vectorized_map over
rows of different lengths, whose forward value already fails (pfor cannot stack rows of different lengths);
tf.ragged.range, row_lengths, value_rowids, bincount and cross, which are integer-valued.
"""
from __future__ import annotations

import dataclasses

import numpy as np
import tensorflow as tf

from spec.atlas.records import (Domain, KnownBug, Sample, Workaround, between, distinct, draw, hvp, only, op, point,
                                reproducer, workaround)

FAMILY = "ragged tensors: reductions, gather, to_tensor/to_sparse, map_fn, elementwise, mask, concat, softmax"

ALL_CHECKS = ("reverse", "forward", "reverse_over_reverse", "forward_over_reverse", "reverse_over_forward",
              "forward_over_forward", "special_reverse", "special_forward", "float32", "gpu")
LINEAR = "the op is linear in its differentiable arguments, so its Hessian is 0 and H·v = 0"
POSITIVE = Domain(0.5, 2.0, "x > 0 (samples in [0.5, 2])")


def no_xla(*raw_ops: str) -> dict:
    return {"xla": f"XLA cannot compile {', '.join(raw_ops)} (no XLA kernel is registered for it)"}


XLA_RAGGED_RANGE = {"xla": "XLA cannot compile RaggedRange (no XLA kernel), which the ragged reduction over axis 0 and ragged "
                           "broadcasting emit"}


def splits(*values) -> np.ndarray:
    return np.array(values, np.int64)


def _one(name: str, shape, salt: str = "", domain: Domain = Domain(-2.0, 2.0, "all reals")) -> np.ndarray:
    return draw(name, shape, domain=domain, salt=salt + str(shape))[0]


def zeros_like(a) -> np.ndarray:
    return np.zeros(np.shape(a))


def linear_hvp(*args, bug=None):
    return hvp([zeros_like(a) for a in args], LINEAR, bug=bug)


def weighted(values, weights):
    return values if weights is None else values * tf.constant(np.asarray(weights), values.dtype)


def ragged(values, row_splits, inner_splits=None):
    """tf.RaggedTensor.from_row_splits(values, row_splits), or of rank 2 with `inner_splits` first."""
    if inner_splits is not None:
        return tf.RaggedTensor.from_nested_row_splits(values, [row_splits, inner_splits])
    return tf.RaggedTensor.from_row_splits(values, row_splits)


# the standard rows: lengths 2, 0, 3, 1 (row 1 empty)
S4 = splits(0, 2, 2, 5, 6)
S3_FULL = splits(0, 2, 5, 6)  # lengths 2, 3, 1: no empty row
NO_ROWS = splits(0)
ALL_EMPTY = splits(0, 0, 0, 0)  # three empty rows


# ------------------------------------------------------------------------------------- the functions


def _reduce(fn):
    def reduce(values, *, row_splits, inner_splits=None, **kwargs):
        out = fn(ragged(values, row_splits, inner_splits), **kwargs)
        return out.flat_values if isinstance(out, tf.RaggedTensor) else out
    return reduce


_reduce_sum, _reduce_mean, _reduce_max = _reduce(tf.reduce_sum), _reduce(tf.reduce_mean), _reduce(tf.reduce_max)


def _gather(values, *, row_splits, indices, weights=None):
    return weighted(tf.gather(ragged(values, row_splits), indices).flat_values, weights)


def _to_tensor(values, default, *, row_splits, shape=None):
    return ragged(values, row_splits).to_tensor(default_value=default, shape=shape)


def _to_sparse(values, *, row_splits, inner_splits=None, weights=None):
    return weighted(ragged(values, row_splits, inner_splits).to_sparse().values, weights)


def _map_fn(values, *, row_splits):
    """tf.map_fn(Σ r², rows) with a dense result: RaggedTensorToVariant in, a float per row out."""
    return tf.map_fn(lambda row: tf.reduce_sum(row * row), ragged(values, row_splits), fn_output_signature=values.dtype)


def _map_fn_ragged(values, *, row_splits, weights=None):
    """tf.map_fn(r ↦ r·r, rows) with a ragged result (RaggedTensorFromVariant), read as its flat values."""
    spec = tf.RaggedTensorSpec([None], values.dtype, ragged_rank=0)
    out = tf.map_fn(lambda row: row * row, ragged(values, row_splits), fn_output_signature=spec)
    return weighted(out.flat_values, weights)


def _vectorized_map(values, *, row_splits):
    return tf.vectorized_map(lambda row: tf.reduce_sum(row * row), ragged(values, row_splits))


def _multiply(a, b, *, row_splits, b_row_splits=None):
    """ragged(a) * ragged(b) with the same splits, or (without b_row_splits) ragged(a) * b for a dense column b."""
    left = ragged(a, row_splits)
    right = ragged(b, b_row_splits) if b_row_splits is not None else b
    return (left * right).flat_values


def _boolean_mask(values, *, mask, row_splits=None, weights=None):
    """tf.ragged.boolean_mask of a ragged (row_splits given) or dense 2-D `values` with a mask of the same structure."""
    data = ragged(values, row_splits) if row_splits is not None else values
    m = ragged(tf.constant(mask), row_splits) if row_splits is not None else tf.constant(mask)
    return weighted(tf.ragged.boolean_mask(data, m).flat_values, weights)


def _concat(a, b, *, a_splits, b_splits, axis, weights=None):
    return weighted(tf.concat([ragged(a, a_splits), ragged(b, b_splits)], axis=axis).flat_values, weights)


def _stack(a, b, *, a_splits, b_splits, axis, weights=None):
    return weighted(tf.stack([ragged(a, a_splits), ragged(b, b_splits)], axis=axis).flat_values, weights)


def _fill_empty_rows(values, default, *, value_rowids, nrows, weights=None):
    out = tf.raw_ops.RaggedFillEmptyRows(value_rowids=value_rowids, values=values, nrows=np.int64(nrows),
                                         default_value=default)
    return weighted(out.output_values, weights)


def _softmax(values, *, row_splits, weights=None):
    return weighted(tf.nn.softmax(ragged(values, row_splits)).flat_values, weights)


# --------------------------------------------------------------------------------- expected values


def rows_of(row_splits):
    return [list(range(row_splits[i], row_splits[i + 1])) for i in range(len(row_splits) - 1)]


def softmax_grad_hvp(values, row_splits, weights, v):
    """For f = Σ_k w_k s_k (s the row softmax): ∂f/∂x_j = s_j (w_j − w̄), w̄ = Σ s w over the row;
    H_jk = s_j(δ_jk − s_k)(w_j − w̄) − s_j s_k (w_k − w̄) within a row, 0 across rows. Returns (∇f, H·v)."""
    x, w, v = (np.asarray(a, float) for a in (values, weights, v))
    grad, hv = np.zeros_like(x), np.zeros_like(x)
    for m in rows_of(row_splits):
        if not m:
            continue
        e = np.exp(x[m] - x[m].max())
        s = e / e.sum()
        wbar = float(s @ w[m])
        grad[m] = s * (w[m] - wbar)
        hess = (np.diag(s) - np.outer(s, s)) * (w[m] - wbar)[:, None] - np.outer(s, s * (w[m] - wbar))
        hv[m] = hess @ v[m]
    return grad, hv


def softmax_point(label, values, row_splits, weights, why, bug=None, second_bug=None):
    values = np.asarray(values, float)
    v = np.linspace(1.0, -1.0, values.size)
    grad, hv = softmax_grad_hvp(values, row_splits, weights, v)
    return point(label, [values], [grad], why, bug=bug,
                 second=hvp([hv], "H_jk = s_j(δ_jk − s_k)(w_j − w̄) − s_j s_k (w_k − w̄) within each row, w̄ = Σ s w "
                            "(differentiating ∂f/∂x_j = s_j (w_j − w̄)); rows do not interact", v=[v], bug=second_bug),
                 row_splits=row_splits, weights=weights)


# ------------------------------------------------------------------------------------------ known bugs

FORWARD_SECOND = ("forward_over_forward", "forward_over_reverse", "reverse_over_forward")
POINT_FORWARD_SECOND = ("special_forward_over_forward", "special_forward_over_reverse", "special_reverse_over_forward")
IDX_SLICES_SEARCHED = ("ForwardAccumulator 'IndexedSlices' object has no attribute '_id'",
                       "tf.autodiff.ForwardAccumulator jvp gather IndexedSlices error nested forward",
                       "RaggedTensor to_tensor tf.gather ragged ForwardAccumulator forward-mode jvp error")


# The workarounds below rebuild a ragged op from dense ops whose derivatives every mode handles: the RaggedTensor of the
# flat positions (tf.range) gives, for each place of the result, which value lands there (-1: none), and a one-hot
# matrix of those positions times the values moves them (a matmul, where a gather would give IndexedSlices).
DENSE_ROWS = '''
def row_positions(row_splits, shape=None):
    """For each place [row, column] of the dense form of a RaggedTensor with these row splits, the index of the flat
    value stored there, or -1 (built from ranges and comparisons, which XLA compiles, unlike RaggedTensorToTensor);
    `shape` = [rows, columns] pads or cuts as RaggedTensor.to_tensor(shape=...) does."""
    splits = tf.convert_to_tensor(row_splits, tf.int64)
    lengths = splits[1:] - splits[:-1]
    width = tf.reduce_max(tf.concat([lengths, [0]], 0)) if shape is None else tf.constant(shape[1], tf.int64)
    columns = tf.range(width)
    positions = tf.where(columns[None, :] < lengths[:, None], splits[:-1, None] + columns[None, :], -1)
    if shape is not None:
        missing = tf.maximum(shape[0] - tf.shape(positions)[0], 0)
        positions = tf.concat([positions, -tf.ones([missing, shape[1]], tf.int64)], 0)[:shape[0]]
    return positions


def dense_rows(values, row_splits, fill=0.0, shape=None):
    """The RaggedTensor(values, row_splits) as a dense [rows, width, ...] tensor holding `fill` where a row has no value,
    and the 0/1 mask of the stored places (broadcastable against it)."""
    n = tf.shape(values)[0]
    positions = row_positions(row_splits, shape)
    picked = tf.tensordot(tf.one_hot(positions, n, dtype=values.dtype), values, axes=[[2], [0]])
    mask = tf.cast(positions >= 0, values.dtype)
    mask = tf.reshape(mask, tf.concat([tf.shape(mask), tf.ones([tf.rank(values) - 1], tf.int32)], 0))
    return picked + (1.0 - mask) * fill, mask
'''


def dense_workaround(name: str, body: str) -> Workaround:
    return Workaround("import tensorflow as tf\n\n" + DENSE_ROWS + "\n\n" + body.strip("\n") + "\n", name)


def indexed_slices_forward(public: str, checks, nested: bool, code: Workaround, repro: str, expected: str) -> KnownBug:
    """Forward mode through a ragged op whose backward function gathers (its gradient an IndexedSlices)."""
    what = ("forward over forward (and forward over reverse) raises" if nested else
            "forward mode raises, in first order and in every composition with it,")
    return KnownBug(
        f"{public}: {what} — ForwardAccumulator transposes a backward function that returns an IndexedSlices and "
        "cannot pack it (AttributeError: 'IndexedSlices' object has no attribute '_id'); reverse mode is right",
        "unreported", reproducer(*repro.split("\n"), f"print(...)  # expected {expected}, got AttributeError: "
                                 "'IndexedSlices' object has no attribute '_id'"),
        checks=tuple(checks), symptom="'IndexedSlices' object has no attribute '_id'", kind="mode failure",
        kind_why="reverse mode is right; the forward-mode composition named raises",
        searched=IDX_SLICES_SEARCHED, workaround=code)


REDUCE_NESTED_REPRO = ("x = tf.constant([1.0, 2.0, 3.0], tf.float64)\n"
                       "with tf.autodiff.ForwardAccumulator(x, tf.ones_like(x)) as outer:\n"
                       "    with tf.autodiff.ForwardAccumulator(x, tf.ones_like(x)) as inner:\n"
                       "        y = tf.reduce_sum(tf.reduce_sum(tf.RaggedTensor.from_row_splits(x, [0, 2, 3]), axis=1) ** 2)\n"
                       "    jvp = inner.jvp(y)\n"
                       "print(outer.jvp(jvp))")

REDUCE_SUM_NESTED = indexed_slices_forward(
    "tf.reduce_sum over ragged rows (UnsortedSegmentSum)", ("forward_over_forward",), True, dense_workaround(
        "ragged_reduce_sum", '''
def ragged_reduce_sum(values, *, row_splits, inner_splits=None, **kwargs):
    """tf.reduce_sum of a RaggedTensor with one ragged dimension, through its dense form with 0 where rows are short
    (with a second ragged dimension, `inner_splits`, TensorFlow's own reduction)."""
    if inner_splits is not None:
        out = tf.reduce_sum(tf.RaggedTensor.from_nested_row_splits(values, [row_splits, inner_splits]), **kwargs)
        return out.flat_values if isinstance(out, tf.RaggedTensor) else out
    dense, _ = dense_rows(values, row_splits)
    return tf.reduce_sum(dense, **kwargs)
'''), REDUCE_NESTED_REPRO, "2·(2² + 1²)·... = 2·Σ_rows (row length)² = 10")

REDUCE_MEAN_NESTED = indexed_slices_forward(
    "tf.reduce_mean over ragged rows (UnsortedSegmentSum)", ("forward_over_forward",), True, dense_workaround(
        "ragged_reduce_mean", '''
def ragged_reduce_mean(values, *, row_splits, inner_splits=None, **kwargs):
    """tf.reduce_mean of a RaggedTensor with one ragged dimension: the dense sum over the stored places divided by
    their count (with a second ragged dimension, `inner_splits`, TensorFlow's own reduction)."""
    if inner_splits is not None:
        out = tf.reduce_mean(tf.RaggedTensor.from_nested_row_splits(values, [row_splits, inner_splits]), **kwargs)
        return out.flat_values if isinstance(out, tf.RaggedTensor) else out
    dense, mask = dense_rows(values, row_splits)
    return tf.reduce_sum(dense, **kwargs) / tf.reduce_sum(mask * tf.ones_like(dense), **kwargs)
'''), REDUCE_NESTED_REPRO.replace("reduce_sum(tf.RaggedTensor", "reduce_mean(tf.RaggedTensor"),
    "2·Σ_rows 1² = 4")

REDUCE_MAX_NESTED = indexed_slices_forward(
    "tf.reduce_max over ragged rows (UnsortedSegmentMax)", ("forward_over_forward",), True, dense_workaround(
        "ragged_reduce_max", '''
def ragged_reduce_max(values, *, row_splits, inner_splits=None, **kwargs):
    """tf.reduce_max of a RaggedTensor with one ragged dimension, through its dense form holding the lowest float where
    rows are short (an empty row's maximum is that lowest float, as for the RaggedTensor; with a second ragged dimension,
    `inner_splits`, TensorFlow's own reduction)."""
    if inner_splits is not None:
        out = tf.reduce_max(tf.RaggedTensor.from_nested_row_splits(values, [row_splits, inner_splits]), **kwargs)
        return out.flat_values if isinstance(out, tf.RaggedTensor) else out
    dense, _ = dense_rows(values, row_splits, fill=values.dtype.min)
    axis, keepdims = kwargs.get("axis"), kwargs.get("keepdims", False)
    fixed = tf.stop_gradient(dense)  # the maximum found without a gradient (comparisons of watched tensors break nested
    top = tf.reduce_max(fixed, axis=axis, keepdims=True)  # forward mode inside tf.function); ties share the derivative as
    chosen = tf.cast(tf.equal(fixed, top), values.dtype)  # in tf.reduce_max, and only sums are differentiated
    return (tf.reduce_max(fixed, axis=axis, keepdims=keepdims)
            + tf.reduce_sum(chosen * (dense - top), axis=axis, keepdims=keepdims) / tf.reduce_sum(chosen, axis, keepdims))
'''), REDUCE_NESTED_REPRO.replace("reduce_sum(tf.RaggedTensor", "reduce_max(tf.RaggedTensor"),
    "2·Σ_rows 1² = 4")

SOFTMAX_NESTED = indexed_slices_forward(
    "tf.nn.softmax over ragged rows", ("forward_over_forward",), True, dense_workaround("ragged_softmax", '''
def ragged_softmax(values, *, row_splits, weights=None):
    """tf.nn.softmax over the rows of a RaggedTensor through its dense form holding the lowest float where rows are
    short (exp of it minus a row maximum is 0), read back to the flat values with the transposed one-hot matrix."""
    n = tf.shape(values)[0]
    positions = row_positions(row_splits)
    dense, _ = dense_rows(values, row_splits, fill=values.dtype.min)
    out = tf.einsum("rwn,rw->n", tf.one_hot(positions, n, dtype=values.dtype), tf.nn.softmax(dense, axis=1))
    return out if weights is None else out * tf.constant(weights, values.dtype)
'''), REDUCE_NESTED_REPRO.replace("tf.reduce_sum(tf.RaggedTensor.from_row_splits(x, [0, 2, 3]), axis=1)",
                                  "tf.nn.softmax(tf.RaggedTensor.from_row_splits(x, [0, 2, 3])).flat_values"),
    "the second derivative of Σ s², a finite number")

REDUCE_MAX_EMPTY_ROW_NAN = KnownBug(
    "forward mode of tf.reduce_max over ragged rows is NaN for an empty row, whose output is the constant lowest float "
    "(tangent 0): the UnsortedSegmentMax backward function divides by the number of maxima per segment (0 for an empty "
    "one) and transposing it gives 0/0",
    "https://github.com/tensorflow/tensorflow/issues/57002",
    reproducer("x = tf.constant([1.0, 3.0, 2.0], tf.float64)",
               "with tf.autodiff.ForwardAccumulator(x, tf.ones_like(x)) as acc:",
               "    y = tf.reduce_max(tf.RaggedTensor.from_row_splits(x, [0, 2, 2, 3]), axis=1)",
               "print(acc.jvp(y))  # expected [1, 0, 1], got [1 nan 1]"),
    checks=("special_forward",), kind="wrong value",
    kind_why="the empty row's output is a constant (tangent 0); forward mode returns NaN",
    related=("https://github.com/tensorflow/tensorflow/issues/127233",),
    searched=("forward mode unsorted_segment_max empty segment NaN jvp RaggedTensor reduce_max",),
    workaround=workaround("ragged_reduce_max_masked", '''
def ragged_reduce_max_masked(values, *, row_splits, inner_splits=None, **kwargs):
    """tf.reduce_max of the RaggedTensor with the empty reductions selected away by tf.where (which also selects their
    NaN tangent away): the count of values per output comes from the same reduction of ones."""
    if inner_splits is not None:
        rt = tf.RaggedTensor.from_nested_row_splits(values, [row_splits, inner_splits])
    else:
        rt = tf.RaggedTensor.from_row_splits(values, row_splits)
    m = tf.reduce_max(rt, **kwargs)
    count = tf.reduce_sum(rt.with_flat_values(tf.ones_like(tf.stop_gradient(rt.flat_values))), **kwargs)
    if isinstance(m, tf.RaggedTensor):
        m, count = m.flat_values, count.flat_values
    return tf.where(count > 0, m, tf.fill(tf.shape(m), tf.constant(values.dtype.min, values.dtype)))
'''))

GATHER_FORWARD = indexed_slices_forward(
    "tf.gather of ragged params (RaggedGather)", ("forward",) + FORWARD_SECOND + ("special_forward",) +
    POINT_FORWARD_SECOND[1:], False, dense_workaround("ragged_gather_values", '''
def ragged_gather_values(values, *, row_splits, indices, weights=None):
    """tf.gather(RaggedTensor, indices).flat_values as a one-hot matrix of the gathered flat positions times the values."""
    n = tf.shape(values)[0]
    positions = tf.gather(tf.RaggedTensor.from_row_splits(tf.range(n), row_splits), indices).flat_values
    out = tf.tensordot(tf.one_hot(positions, n, dtype=values.dtype), values, axes=1)
    return out if weights is None else out * tf.constant(weights, values.dtype)
'''), "x = tf.constant([1.0, 2.0, 3.0], tf.float64)\n"
      "with tf.autodiff.ForwardAccumulator(x, tf.ones_like(x)) as acc:\n"
      "    y = tf.gather(tf.RaggedTensor.from_row_splits(x, [0, 2, 3]), [1, 0]).flat_values", "[1, 1, 1]")

TO_TENSOR_FORWARD = indexed_slices_forward(
    "RaggedTensor.to_tensor (RaggedTensorToTensor)", ("forward",) + FORWARD_SECOND + ("special_forward",) +
    POINT_FORWARD_SECOND, False, dense_workaround("ragged_to_tensor", '''
def ragged_to_tensor(values, default, *, row_splits, shape=None):
    """RaggedTensor.to_tensor(default, shape) from one-hot matrices: the value landing at each place, or the default."""
    dense, mask = dense_rows(values, row_splits, shape=shape)
    return dense + (1.0 - mask) * default
'''), "x = tf.constant([1.0, 2.0, 3.0], tf.float64)\n"
      "with tf.autodiff.ForwardAccumulator(x, tf.ones_like(x)) as acc:\n"
      "    y = tf.RaggedTensor.from_row_splits(x, [0, 2, 3]).to_tensor()", "[[1, 1], [1, 0]]")


def concat_like(public: str, op_name: str, checks) -> KnownBug:
    return indexed_slices_forward(
        f"{public} of RaggedTensors", checks, False, Workaround(f'''import tensorflow as tf


def ragged_{op_name}_values(a, b, *, a_splits, b_splits, axis, weights=None):
    """tf.{op_name}([ragged(a), ragged(b)], axis).flat_values: the same op on the flat positions of [a, b] says where
    each value lands; a one-hot matrix of those positions times [a, b] moves them."""
    na, nb = tf.shape(a)[0], tf.shape(b)[0]
    pa = tf.RaggedTensor.from_row_splits(tf.range(na), a_splits)
    pb = tf.RaggedTensor.from_row_splits(tf.range(nb) + na, b_splits)
    positions = tf.{op_name}([pa, pb], axis=axis).flat_values
    out = tf.linalg.matvec(tf.one_hot(positions, na + nb, dtype=a.dtype), tf.concat([a, b], 0))
    return out if weights is None else out * tf.constant(weights, a.dtype)
''', f"ragged_{op_name}_values"),
        "a, b = tf.constant([1.0, 2.0], tf.float64), tf.constant([3.0], tf.float64)\n"
        "with tf.autodiff.ForwardAccumulator(a, tf.ones_like(a)) as acc:\n"
        f"    y = tf.{op_name}([tf.RaggedTensor.from_row_splits(a, [0, 1, 2]), "
        "tf.RaggedTensor.from_row_splits(b, [0, 1, 1])], axis=1).flat_values", "[1, 0, 1]")


CONCAT_FORWARD = concat_like("tf.concat", "concat", ("forward",) + FORWARD_SECOND)
STACK_FORWARD = concat_like("tf.stack", "stack", ("forward",) + FORWARD_SECOND + ("special_forward",))

MAP_FN_FORWARD = KnownBug(
    "forward mode through tf.map_fn over a RaggedTensor raises: eagerly TypeError (\"`dtype` <dtype: 'variant'> is not "
    "compatible with 1 of dtype int64\", ForwardAccumulator cannot build a tangent for the RaggedTensorToVariant "
    "encoding), inside tf.function LookupError (RaggedTensorToVariantGradient has no gradient); reverse mode is right",
    "unreported",
    reproducer("x = tf.constant([1.0, 2.0, 3.0], tf.float64)",
               "with tf.autodiff.ForwardAccumulator(x, tf.ones_like(x)) as acc:",
               "    y = tf.map_fn(lambda r: tf.reduce_sum(r * r), tf.RaggedTensor.from_row_splits(x, [0, 2, 3]),",
               "                  fn_output_signature=tf.float64)",
               "print(acc.jvp(y))  # expected [6, 6], got TypeError: `dtype` <dtype: 'variant'> is not compatible with 1 of dtype int64"),
    checks=("forward",) + FORWARD_SECOND + ("special_forward", "special_forward_over_reverse", "special_reverse_over_forward"),
    kind="mode failure", kind_why="reverse mode is right; every forward-mode composition raises",
    related=("https://github.com/tensorflow/tensorflow/issues/43107",),
    searched=("ForwardAccumulator variant dtype not compatible RaggedTensor map_fn forward-mode jvp",
              "RaggedTensorToVariantGradient no gradient defined second derivative map_fn ragged hessian"),
    workaround=workaround("map_fn_row_sums_of_squares", '''
def map_fn_row_sums_of_squares(values, *, row_splits):
    """tf.map_fn(lambda r: tf.reduce_sum(r * r), rows) without the variant encoding: the squares summed per row by the
    transposed one-hot matrix of the value row ids."""
    rt = tf.RaggedTensor.from_row_splits(values, row_splits)
    rows = tf.one_hot(rt.value_rowids(), tf.cast(rt.nrows(), tf.int32), dtype=values.dtype)
    return tf.linalg.matvec(rows, values * values, transpose_a=True)
'''))

MAP_FN_SECOND = KnownBug(
    "reverse over reverse through tf.map_fn over a RaggedTensor raises LookupError: the gradient of "
    "RaggedTensorToVariant emits RaggedTensorToVariantGradient, which has no gradient registered (it is linear in the "
    "encoded gradient)",
    "unreported",
    reproducer("x = tf.constant([1.0, 2.0, 3.0], tf.float64)",
               "with tf.GradientTape() as outer:",
               "    outer.watch(x)",
               "    with tf.GradientTape() as inner:",
               "        inner.watch(x)",
               "        y = tf.reduce_sum(tf.map_fn(lambda r: tf.reduce_sum(r * r), tf.RaggedTensor.from_row_splits(x, [0, 2, 3]),",
               "                                    fn_output_signature=tf.float64))",
               "    g = inner.gradient(y, x)",
               "print(outer.gradient(g, x))  # expected [2, 2, 2], got LookupError: gradient registry has no entry for: RaggedTensorToVariantGradient"),
    checks=("reverse_over_reverse", "special_reverse_over_reverse"), kind="missing gradient",
    kind_why="the second derivative exists (2 for Σ r²); the tape raises LookupError",
    related=("https://github.com/tensorflow/tensorflow/issues/43107",),
    searched=("RaggedTensorToVariantGradient no gradient defined second derivative map_fn ragged hessian",),
    workaround=MAP_FN_FORWARD.workaround)

MAP_FN_RAGGED_FORWARD = dataclasses.replace(
    MAP_FN_FORWARD, reproducer=MAP_FN_FORWARD.reproducer.replace(
        "tf.reduce_sum(r * r), tf.RaggedTensor.from_row_splits(x, [0, 2, 3]),\n                  fn_output_signature=tf.float64)",
        "r * r, tf.RaggedTensor.from_row_splits(x, [0, 2, 3])).flat_values").replace("expected [6, 6]", "expected [2, 4, 6]"),
    workaround=workaround("map_fn_squares", '''
def map_fn_squares(values, *, row_splits, weights=None):
    """tf.map_fn(lambda r: r * r, rows).flat_values: the map is elementwise, so it is the flat values squared."""
    out = values * values
    return out if weights is None else out * tf.constant(weights, values.dtype)
'''))
MAP_FN_RAGGED_SECOND = dataclasses.replace(MAP_FN_SECOND, workaround=MAP_FN_RAGGED_FORWARD.workaround)

VMAP_NO_GRADIENT = KnownBug(
    "tf.vectorized_map over a RaggedTensor (rows of equal length, where its forward value works) has no usable gradient: "
    "reverse mode raises InvalidArgumentError (\"ZerosLike non-scalar Tensor with dtype=DT_VARIANT is not supported\", the "
    "backward pass needs zeros for the stacked RaggedTensorToVariant encodings) and forward mode raises TypeError on the "
    "variant",
    "unreported",
    reproducer("x = tf.constant([1.0, 2.0, 3.0, 4.0], tf.float64)",
               "with tf.GradientTape() as t:",
               "    t.watch(x)",
               "    y = tf.vectorized_map(lambda r: tf.reduce_sum(r * r), tf.RaggedTensor.from_row_splits(x, [0, 2, 4]))",
               "print(t.gradient(y, x))  # expected 2x = [2, 4, 6, 8], got InvalidArgumentError: ZerosLike non-scalar Tensor with dtype=DT_VARIANT is not supported"),
    checks=ALL_CHECKS + ("special_reverse_over_reverse", "special_forward_over_reverse", "special_reverse_over_forward",
                         "special_forward_over_forward"),
    kind="missing gradient", kind_why="Σ r² per row is smooth; the tape raises",
    searched=("vectorized_map RaggedTensor gradient \"ZerosLike non-scalar Tensor with dtype=DT_VARIANT is not supported\"",),
    workaround=workaround("vectorized_map_rows", '''
def vectorized_map_rows(values, *, row_splits):
    """Rows of equal length are the rows of a dense matrix, and the mapped function of a row (Σ r²) is a reduction
    along its axis 1 (tf.vectorized_map over the dense matrix would do too, but reverse over forward mode through it
    raises InternalError: "returned too few gradients")."""
    rows = tf.reshape(values, [tf.shape(row_splits)[0] - 1, -1])
    return tf.reduce_sum(rows * rows, axis=1)
'''))

FILL_FORWARD = KnownBug(
    "forward mode through tf.raw_ops.RaggedFillEmptyRows raises LookupError: ForwardAccumulator differentiates the "
    "backward function, and its op RaggedFillEmptyRowsGrad has no gradient registered (although it is linear); reverse "
    "mode is right",
    "unreported",
    reproducer("v = tf.constant([1.0, 2.0], tf.float64)",
               "with tf.autodiff.ForwardAccumulator(v, tf.ones_like(v)) as acc:",
               "    y = tf.raw_ops.RaggedFillEmptyRows(value_rowids=tf.constant([0, 2], tf.int64), values=v, nrows=tf.constant(3, tf.int64),",
               "                                       default_value=tf.constant(0.0, tf.float64)).output_values",
               "print(acc.jvp(y))  # expected [1, 0, 1], got LookupError: gradient registry has no entry for: RaggedFillEmptyRowsGrad"),
    checks=("forward",) + FORWARD_SECOND + ("special_forward",) + POINT_FORWARD_SECOND,
    kind="mode failure", kind_why="first-order reverse mode is right; forward mode raises",
    searched=("gradient registry has no entry for SparseFillEmptyRowsGrad SparseSliceGrad second derivative",),
    workaround=workaround("ragged_fill_empty_rows_values", '''
def ragged_fill_empty_rows_values(values, default, *, value_rowids, nrows, weights=None):
    """RaggedFillEmptyRows(...).output_values: the default appended once per empty row and the values put in row order by
    a permutation matrix (a stable sort of the row ids; matmul is differentiable in every mode)."""
    rowids = tf.constant(value_rowids, tf.int64)
    counts = tf.math.bincount(tf.cast(rowids, tf.int32), minlength=nrows, maxlength=nrows)
    empty = tf.where(tf.equal(counts, 0))[:, 0]
    all_rows = tf.concat([rowids, empty], 0)
    all_values = tf.concat([values, tf.fill(tf.shape(empty), default)], 0)
    order = tf.argsort(tf.cast(all_rows, tf.int32), stable=True)
    out = tf.linalg.matvec(tf.one_hot(order, tf.shape(order)[0], dtype=values.dtype), all_values)
    return out if weights is None else out * tf.constant(weights, values.dtype)
'''))


# ------------------------------------------------------------------------------------------ samples


def reduce_samples(name, distinct_values=False, no_empty=False):
    def vals(shape, salt):
        return distinct(name, shape, salt=salt) if distinct_values else _one(name, shape, salt)

    rows = S3_FULL if no_empty else S4
    label = "rows of 2, 3, 1" if no_empty else "rows of 2, 0, 3, 1"
    return [
        Sample((vals((6,), "a"),), dict(row_splits=rows, axis=1), f"{label}, axis=1"),
        Sample((vals((6,), "b"),), dict(row_splits=rows, axis=0), f"{label}, axis=0 (columns of 3, 2, 1 values)"),
        Sample((vals((6,), "c"),), dict(row_splits=rows, axis=None), f"{label}, axis=None"),
        Sample((vals((6, 2), "d"),), dict(row_splits=rows, axis=1, keepdims=True), f"{label} of 2-vectors, axis=1, keepdims"),
        Sample((vals((6,), "e"),), dict(row_splits=splits(0, 2, 3), inner_splits=splits(0, 2, 3, 6), axis=2),
               "ragged rank 2: [[[a b] [c]] [[d e f]]], axis=2"),
    ]


GATHER_W = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0]

OPS = [
    op("tf.reduce_sum(RaggedTensor)", _reduce_sum, reduce_samples("tf.reduce_sum(RaggedTensor)"), domain="all reals",
       second_order_sample=0, bugs=(REDUCE_SUM_NESTED,), skips=XLA_RAGGED_RANGE, points=[
        point("an empty row, axis=1", [[1.0, -2.0, 0.5]], [[1.0, 1.0, 1.0]],
              "row 1 sums nothing (the constant 0); every value enters one row sum once",
              second=linear_hvp([0, 0, 0], bug=only(REDUCE_SUM_NESTED, "special_forward_over_forward")), row_splits=splits(0, 2, 2, 3), axis=1),
        point("every row empty, axis=1", [np.zeros(0)], [np.zeros(0)], "three constant 0s: an empty gradient",
              second=linear_hvp(np.zeros(0)), row_splits=ALL_EMPTY, axis=1),
        point("zero rows, axis=1", [np.zeros(0)], [np.zeros(0)], "an empty result: an empty gradient",
              second=linear_hvp(np.zeros(0)), row_splits=NO_ROWS, axis=1),
        point("zero rows, axis=0", [np.zeros((0, 2))], [np.zeros((0, 2))],
              "no rows of 2-vectors: the sum over rows is the constant [0, 0]", second=linear_hvp(np.zeros((0, 2))),
              row_splits=NO_ROWS, axis=0),
    ]),
    op("tf.reduce_mean(RaggedTensor)", _reduce_mean, reduce_samples("tf.reduce_mean(RaggedTensor)", no_empty=True),
       domain="all reals (every row non-empty: an empty row's mean is 0/0)", second_order_sample=0,
       bugs=(REDUCE_MEAN_NESTED,), skips=XLA_RAGGED_RANGE, points=[
        point("rows of 1, 2 and 3, axis=1", [[4.0, 1.0, -1.0, 0.5, 2.0, 3.0]], [[1.0, 0.5, 0.5, 1 / 3, 1 / 3, 1 / 3]],
              "a value of a row of k values enters that row's mean with weight 1/k",
              second=linear_hvp(np.zeros(6), bug=only(REDUCE_MEAN_NESTED, "special_forward_over_forward")),
              row_splits=splits(0, 1, 3, 6), axis=1),
        point("columns of different height, axis=0", [[1.0, 2.0, 3.0, 4.0, 5.0]], [[0.5, 0.5, 1.0, 0.5, 0.5]],
              "rows [1 2 3] [4 5]: column means (1+4)/2, (2+5)/2, 3/1 — each value gets 1/(its column's height)",
              second=linear_hvp(np.zeros(5), bug=only(REDUCE_MEAN_NESTED, "special_forward_over_forward")), row_splits=splits(0, 3, 5), axis=0),
        point("zero rows, axis=1", [np.zeros(0)], [np.zeros(0)], "an empty result: an empty gradient",
              second=linear_hvp(np.zeros(0)), row_splits=NO_ROWS, axis=1),
    ]),
    op("tf.reduce_max(RaggedTensor)", _reduce_max, reduce_samples("tf.reduce_max(RaggedTensor)", distinct_values=True, no_empty=True),
       domain="all reals (samples without ties or empty rows: an empty row's max is the lowest float, a constant whose "
              "size defeats the difference oracle; the special points check it)",
       second_order_sample=0, bugs=(REDUCE_MAX_NESTED,), points=[
        point("unique maxima, axis=1", [[1.0, 3.0, -2.0, 0.5]], [[0.0, 1.0, 0.0, 1.0]],
              "rows [1 3] [−2 0.5]: each row's unique maximum gets 1",
              second=linear_hvp(np.zeros(4), bug=only(REDUCE_MAX_NESTED, "special_forward_over_forward")),
              row_splits=splits(0, 2, 4), axis=1),
        point("a tie in a row, axis=1", [[2.0, 2.0, -1.0]], [between([0.0, 0.0, 1.0], [1.0, 1.0, 1.0])],
              "row 0 holds 2 twice: any convex split of its gradient between the ties is a subgradient; row 1's only "
              "value is its max", second=hvp([np.zeros(3)], "piecewise linear: H = 0 on each side of the tie",
                                              exists=False, bug=only(REDUCE_MAX_NESTED, "special_forward_over_forward")),
              row_splits=splits(0, 2, 3), axis=1),
        point("an empty row, axis=1", [[1.0, 3.0, 2.0, 5.0]], [[0.0, 1.0, 0.0, 1.0]],
              "rows [1 3] [] [2 5]: the empty row is the constant lowest float and feeds no value",
              bug=REDUCE_MAX_EMPTY_ROW_NAN,
              second=linear_hvp(np.zeros(4), bug=only(REDUCE_MAX_NESTED, "special_forward_over_forward")), row_splits=splits(0, 2, 2, 4), axis=1),
        point("every row empty, axis=1", [np.zeros(0)], [np.zeros(0)], "constants only: an empty gradient",
              second=linear_hvp(np.zeros(0)), row_splits=ALL_EMPTY, axis=1),
        point("zero rows, axis=1", [np.zeros(0)], [np.zeros(0)], "an empty result: an empty gradient",
              second=linear_hvp(np.zeros(0)), row_splits=NO_ROWS, axis=1),
    ]),
    op("tf.gather(RaggedTensor)", _gather, [
        Sample((_one("tf.gather(RaggedTensor)", (6,), "a"),), dict(row_splits=S4, indices=np.array([2, 0, 2])),
               "rows of 2, 0, 3, 1; indices [2 0 2]"),
        Sample((_one("tf.gather(RaggedTensor)", (6,), "b"),), dict(row_splits=S4, indices=np.array([[3, 1], [0, 2]])),
               "2x2 indices (an empty row among them)"),
    ], domain="all reals", second_order_sample=0, bugs=(GATHER_FORWARD,), skips=no_xla("RaggedGather"), points=[
        point("duplicate and empty rows, weighted", [[1.0, 2.0, 3.0]], [[1 + 6, 2 + 7, 4]],
              "rows [a0 a1] [] [a2]; indices [0 1 2 0] gather a0 a1 a2 a0 a1, weights 1 2 4 6 7: a0 gets 1 + 6, a1 gets "
              "2 + 7, a2 gets 4", second=linear_hvp(np.zeros(3), bug=only(GATHER_FORWARD, "special_forward_over_forward")), row_splits=splits(0, 2, 2, 3),
              indices=np.array([0, 1, 2, 0]), weights=[1.0, 2.0, 4.0, 6.0, 7.0]),
        point("no indices", [[1.0, 2.0, 3.0]], [np.zeros(3)], "nothing is gathered: every value gets 0",
              second=linear_hvp(np.zeros(3), bug=only(GATHER_FORWARD, "special_forward_over_forward")), row_splits=splits(0, 2, 3), indices=np.zeros(0, np.int64)),
        point("only empty rows gathered", [[1.0, 2.0]], [np.zeros(2)], "rows 1 and 2 are empty: no value is gathered",
              second=linear_hvp(np.zeros(2), bug=only(GATHER_FORWARD, "special_forward_over_forward")), row_splits=splits(0, 2, 2, 2), indices=np.array([1, 2, 1])),
        point("every row empty", [np.zeros(0)], [np.zeros(0)], "no values: an empty gradient",
              second=linear_hvp(np.zeros(0)), row_splits=ALL_EMPTY, indices=np.array([0, 2])),
        point("zero rows, no indices", [np.zeros(0)], [np.zeros(0)], "nothing to gather from: an empty gradient",
              second=linear_hvp(np.zeros(0)), row_splits=NO_ROWS, indices=np.zeros(0, np.int64)),
    ]),
    op("tf.RaggedTensor.to_tensor", _to_tensor, [
        Sample((_one("tf.RaggedTensor.to_tensor", (6,), "a"), np.array(0.5)), dict(row_splits=S4),
               "rows of 2, 0, 3, 1 to 4x3, default 0.5"),
        Sample((_one("tf.RaggedTensor.to_tensor", (6,), "b"), np.array(-1.0)), dict(row_splits=S4, shape=[5, 2]),
               "shape [5, 2]: a padding row, row 2 truncated"),
        Sample((_one("tf.RaggedTensor.to_tensor", (6, 2), "c"), np.array([0.25, -0.5])), dict(row_splits=S4),
               "rows of 2-vectors, default a 2-vector"),
    ], diff=(0, 1), domain="all reals", second_order_sample=0, bugs=(TO_TENSOR_FORWARD,),
       skips=no_xla("RaggedTensorToTensor"), points=[
        point("truncation and padding: shape [4, 1]", [[1.0, 2.0, 3.0, 4.0], 9.0], [[1.0, 0.0, 1.0, 1.0], 1.0],
              "rows [v0 v1] [v2] [v3] cut to width 1 and padded to 4 rows: [v0] [v2] [v3] [d] — v1 is dropped (∂ = 0), "
              "the default fills one entry", second=linear_hvp(np.zeros(4), 0.0), row_splits=splits(0, 2, 3, 4),
              shape=[4, 1]),
        point("every row empty", [np.zeros(0), 9.0], [np.zeros(0), 0.0],
              "three empty rows become a 3x0 tensor: no entry takes the default", second=linear_hvp(np.zeros(0), 0.0),
              row_splits=ALL_EMPTY),
        point("every row empty, shape [3, 2]", [np.zeros(0), 9.0], [np.zeros(0), 6.0],
              "all 6 entries take the default: ∂/∂default = 6", second=linear_hvp(np.zeros(0), 0.0),
              row_splits=ALL_EMPTY, shape=[3, 2]),
        point("zero rows", [np.zeros(0), 9.0], [np.zeros(0), 0.0], "a 0x0 result: an empty gradient and 0 for the "
              "default", second=linear_hvp(np.zeros(0), 0.0), row_splits=NO_ROWS),
    ]),
    op("tf.RaggedTensor.to_sparse", _to_sparse, [
        Sample((_one("tf.RaggedTensor.to_sparse", (6,), "a"),), dict(row_splits=S4), "rows of 2, 0, 3, 1"),
        Sample((_one("tf.RaggedTensor.to_sparse", (6,), "b"),), dict(row_splits=splits(0, 2, 3),
               inner_splits=splits(0, 2, 3, 6)), "ragged rank 2"),
    ], domain="all reals", skips=no_xla("RaggedTensorToSparse"), points=[
        point("weighted, an empty row", [[1.0, 2.0, 3.0]], [[4.0, 5.0, 6.0]],
              "the SparseTensor holds the values in row-major order: ∂/∂value_k = w_k", second=linear_hvp(np.zeros(3)),
              row_splits=splits(0, 1, 1, 3), weights=[4.0, 5.0, 6.0]),
        point("every row empty", [np.zeros(0)], [np.zeros(0)], "no values: an empty gradient",
              second=linear_hvp(np.zeros(0)), row_splits=ALL_EMPTY),
        point("zero rows", [np.zeros(0)], [np.zeros(0)], "an empty gradient", second=linear_hvp(np.zeros(0)),
              row_splits=NO_ROWS),
    ]),
    op("tf.map_fn(RaggedTensor)", _map_fn, [
        Sample((_one("tf.map_fn(RaggedTensor)", (6,), "a"),), dict(row_splits=S4), "rows of 2, 0, 3, 1: Σ r² per row"),
    ], domain="all reals", bugs=(MAP_FN_FORWARD, only(MAP_FN_SECOND, "reverse_over_reverse")),
       skips=no_xla("RaggedTensorToVariant"), points=[
        point("an empty row", [[1.0, -2.0, 3.0]], [[2.0, -4.0, 6.0]], "∂Σ_rows Σ r²/∂x = 2x; the empty row is the "
              "constant 0", bug=only(MAP_FN_SECOND, "special_reverse_over_reverse"),
              second=hvp([np.full(3, 2.0)], "Σ x² has H = 2I: H·1 = 2", bug=only(MAP_FN_FORWARD, "special_forward_over_forward")),
              row_splits=splits(0, 2, 2, 3)),
        point("every row empty", [np.zeros(0)], [np.zeros(0)], "constants only: an empty gradient",
              bug=only(MAP_FN_SECOND, "special_reverse_over_reverse"),
              second=hvp([np.zeros(0)], "no values: an empty H·v"), row_splits=ALL_EMPTY),
        point("zero rows", [np.zeros(0)], [np.zeros(0)], "an empty result: an empty gradient",
              second=hvp([np.zeros(0)], "no values: an empty H·v"), row_splits=NO_ROWS),
    ]),
    op("tf.map_fn(RaggedTensor -> RaggedTensor)", _map_fn_ragged, [
        Sample((_one("tf.map_fn(RaggedTensor -> RaggedTensor)", (6,), "a"),), dict(row_splits=S4),
               "rows of 2, 0, 3, 1: r ↦ r·r"),
    ], domain="all reals", bugs=(MAP_FN_RAGGED_FORWARD, only(MAP_FN_RAGGED_SECOND, "reverse_over_reverse")),
       skips=no_xla("RaggedTensorToVariant"), points=[
        point("weighted, an empty row", [[1.0, -2.0, 3.0]], [[2.0, -12.0, 30.0]], "out = x² in place: ∂/∂x = 2x·w "
              "with w = (1, 3, 5)", bug=only(MAP_FN_RAGGED_SECOND, "special_reverse_over_reverse"),
              second=hvp([np.array([2.0, 6.0, 10.0])], "∂²(w x²)/∂x² = 2w", bug=only(MAP_FN_RAGGED_FORWARD, "special_forward_over_forward")),
              row_splits=splits(0, 2, 2, 3), weights=[1.0, 3.0, 5.0]),
        point("every row empty", [np.zeros(0)], [np.zeros(0)], "no values: an empty gradient",
              bug=only(MAP_FN_RAGGED_SECOND, "special_reverse_over_reverse"),
              second=hvp([np.zeros(0)], "no values: an empty H·v"), row_splits=ALL_EMPTY),
    ]),
    op("tf.vectorized_map(RaggedTensor)", _vectorized_map, [
        Sample((_one("tf.vectorized_map(RaggedTensor)", (6,), "a"),), dict(row_splits=splits(0, 2, 4, 6)),
               "3 rows of 2 (equal lengths): Σ r² per row"),
    ], domain="all reals (rows of equal length)", bugs=(VMAP_NO_GRADIENT,), skips=no_xla("RaggedTensorToVariant"),
       points=[
        point("rows of 2", [[1.0, -2.0, 3.0, 0.5]], [[2.0, -4.0, 6.0, 1.0]], "∂Σ_rows Σ r²/∂x = 2x",
              second=hvp([np.full(4, 2.0)], "Σ x² has H = 2I"), row_splits=splits(0, 2, 4)),
    ]),
    op("tf.math.multiply(RaggedTensor)", _multiply, [
        Sample((_one("tf.math.multiply(RaggedTensor)", (6,), "a"), _one("tf.math.multiply(RaggedTensor)", (6,), "b")),
               dict(row_splits=S4, b_row_splits=S4), "ragged * ragged, rows of 2, 0, 3, 1"),
        Sample((_one("tf.math.multiply(RaggedTensor)", (6,), "c"), _one("tf.math.multiply(RaggedTensor)", (4, 1), "d")),
               dict(row_splits=S4), "ragged * dense 4x1 (one factor per row)"),
    ], diff=(0, 1), domain="all reals", skips=XLA_RAGGED_RANGE, points=[
        point("a dense factor per row, an empty row", [[1.0, 2.0, 3.0], [[2.0], [5.0], [-1.0]]],
              [[2.0, 2.0, -1.0], [[3.0], [0.0], [3.0]]],
              "rows [1 2] [] [3] times (2, 5, −1): ∂/∂x = its row's factor; ∂/∂d_r = Σ of row r (3, 0, 3)",
              second=hvp([[1.0, 1.0, 1.0], [[2.0], [0.0], [1.0]]], "x·d is bilinear: H·(v_x, v_d) = (v_d of each value's "
                         "row, Σ of v_x over row r); with v = 1 that is (1 per value, the row lengths 2, 0, 1)"),
              row_splits=splits(0, 2, 2, 3)),
        point("every row empty", [np.zeros(0), [[1.0], [2.0]]], [np.zeros(0), [[0.0], [0.0]]],
              "no products: the factors enter nothing", second=linear_hvp(np.zeros(0), np.zeros((2, 1))),
              row_splits=splits(0, 0, 0)),
        point("zero rows", [np.zeros(0), np.zeros((0, 1))], [np.zeros(0), np.zeros((0, 1))],
              "no rows and no factors: empty gradients", second=linear_hvp(np.zeros(0), np.zeros((0, 1))),
              row_splits=NO_ROWS),
    ]),
    op("tf.ragged.boolean_mask", _boolean_mask, [
        Sample((_one("tf.ragged.boolean_mask", (2, 3), "a"),), dict(mask=np.array([[True, False, True],
               [False, True, True]])), "dense 2x3 with a 2x3 mask: ragged rows of 2, 2"),
        Sample((_one("tf.ragged.boolean_mask", (6,), "b"),), dict(row_splits=S4,
               mask=np.array([True, False, True, True, False, True])), "ragged rows of 2, 0, 3, 1 with a ragged mask"),
    ], domain="all reals", points=[
        point("weighted, masked values", [[1.0, 2.0, 3.0, 4.0]], [[5.0, 0.0, 0.0, 6.0]],
              "the mask keeps values 0 and 3 (weights 5, 6); the others enter nothing", second=linear_hvp(np.zeros(4)),
              row_splits=splits(0, 2, 4), mask=np.array([True, False, False, True]), weights=[5.0, 6.0]),
        point("an all-false mask", [[1.0, 2.0, 3.0]], [np.zeros(3)], "nothing is kept: every value gets 0",
              second=linear_hvp(np.zeros(3)), row_splits=splits(0, 1, 3), mask=np.array([False, False, False])),
        point("every row empty", [np.zeros(0)], [np.zeros(0)], "no values: an empty gradient",
              second=linear_hvp(np.zeros(0)), row_splits=ALL_EMPTY, mask=np.zeros(0, bool)),
        point("zero rows", [np.zeros(0)], [np.zeros(0)], "no rows: an empty gradient",
              second=linear_hvp(np.zeros(0)), row_splits=NO_ROWS, mask=np.zeros(0, bool)),
    ]),
    op("tf.concat(RaggedTensor)", _concat, [
        Sample((_one("tf.concat(RaggedTensor)", (6,), "c"), _one("tf.concat(RaggedTensor)", (4,), "d")),
               dict(a_splits=S4, b_splits=splits(0, 1, 1, 3, 4), axis=1), "row by row (axis 1)"),
        Sample((_one("tf.concat(RaggedTensor)", (6,), "a"), _one("tf.concat(RaggedTensor)", (3,), "b")),
               dict(a_splits=S4, b_splits=splits(0, 1, 3), axis=0), "rows 2, 0, 3, 1 ⧺ rows 1, 2 (axis 0)"),
    ], diff=(0, 1), domain="all reals", second_order_sample=0, bugs=(CONCAT_FORWARD,), skips=no_xla("RaggedGather"),
       points=[
        point("weighted, axis 1", [[1.0, 2.0], [3.0]], [[10.0, 30.0], [20.0]],
              "rows [a0] [a1] ⧺ [b0] [] → [a0 b0] [a1]: flat values a0, b0, a1 meet the weights 10, 20, 30",
              bug=only(CONCAT_FORWARD, "special_forward"),  # with axis 0 and an operand without values forward mode works
              second=linear_hvp([0, 0], [0], bug=only(CONCAT_FORWARD, *POINT_FORWARD_SECOND)), a_splits=splits(0, 1, 2), b_splits=splits(0, 1, 1), axis=1,
              weights=[10.0, 20.0, 30.0]),
        point("an operand without values, axis 0", [np.zeros(0), [1.0, -2.0]], [np.zeros(0), [1.0, 1.0]],
              "the result holds b's values: ∂/∂b = 1", second=linear_hvp(np.zeros(0), [0, 0]),
              a_splits=splits(0, 0, 0), b_splits=splits(0, 2), axis=0),
        point("zero rows ⧺ zero rows, axis 1", [np.zeros(0), np.zeros(0)], [np.zeros(0), np.zeros(0)],
              "an empty result: empty gradients",
              second=linear_hvp(np.zeros(0), np.zeros(0), bug=only(CONCAT_FORWARD, *POINT_FORWARD_SECOND[1:])),
              a_splits=NO_ROWS, b_splits=NO_ROWS, axis=1),
    ]),
    op("tf.stack(RaggedTensor)", _stack, [
        Sample((_one("tf.stack(RaggedTensor)", (6,), "c"), _one("tf.stack(RaggedTensor)", (4,), "d")),
               dict(a_splits=S4, b_splits=splits(0, 1, 1, 3, 4), axis=1), "axis 1 (row by row)"),
        Sample((_one("tf.stack(RaggedTensor)", (6,), "a"), _one("tf.stack(RaggedTensor)", (4,), "b")),
               dict(a_splits=S4, b_splits=splits(0, 1, 1, 3, 4), axis=0), "two ragged 4-row tensors, axis 0"),
    ], diff=(0, 1), domain="all reals", second_order_sample=0, bugs=(STACK_FORWARD,), skips=no_xla("RaggedGather"),
       points=[
        point("weighted, axis 1", [[1.0, 2.0], [3.0]], [[10.0, 30.0], [20.0]],
              "rows [a0] [a1] and [b0] [] stacked row by row: [[a0] [b0]] [[a1] []], flat a0, b0, a1",
              second=linear_hvp([0, 0], [0], bug=only(STACK_FORWARD, *POINT_FORWARD_SECOND)), a_splits=splits(0, 1, 2), b_splits=splits(0, 1, 1), axis=1,
              weights=[10.0, 20.0, 30.0]),
        point("zero rows, axis 0", [np.zeros(0), np.zeros(0)], [np.zeros(0), np.zeros(0)],
              "an empty result: empty gradients", second=linear_hvp(np.zeros(0), np.zeros(0)),
              a_splits=NO_ROWS, b_splits=NO_ROWS, axis=0),
    ]),
    op("tf.raw_ops.RaggedFillEmptyRows", _fill_empty_rows, [
        Sample((_one("tf.raw_ops.RaggedFillEmptyRows", (6,), "a"), np.array(0.5)),
               dict(value_rowids=np.array([0, 0, 2, 2, 2, 3], np.int64), nrows=5), "rows of 2, 0, 3, 1, 0"),
    ], diff=(0, 1), domain="all reals", bugs=(FILL_FORWARD,), skips=no_xla("RaggedFillEmptyRows"), points=[
        point("weighted, two empty rows", [[1.0, 2.0], 7.0], [[10.0, 30.0], 60.0],
              "rows [a0] [] [a1] []: the filled values a0, d, a1, d meet the weights 10, 20, 30, 40",
              second=linear_hvp([0, 0], 0.0), value_rowids=np.array([0, 2], np.int64), nrows=4,
              weights=[10.0, 20.0, 30.0, 40.0]),
        point("no empty row", [[1.0, 2.0], 7.0], [[1.0, 1.0], 0.0], "nothing is filled: ∂/∂default = 0",
              second=linear_hvp([0, 0], 0.0), value_rowids=np.array([0, 1], np.int64), nrows=2),
        point("every row empty", [np.zeros(0), 7.0], [np.zeros(0), 3.0], "3 rows get the default: ∂/∂default = 3",
              second=linear_hvp(np.zeros(0), 0.0), value_rowids=np.zeros(0, np.int64), nrows=3),
        point("zero rows", [np.zeros(0), 7.0], [np.zeros(0), 0.0], "nothing to fill: ∂/∂default = 0",
              second=linear_hvp(np.zeros(0), 0.0), value_rowids=np.zeros(0, np.int64), nrows=0),
    ]),
    op("tf.nn.softmax(RaggedTensor)", _softmax, [
        Sample((_one("tf.nn.softmax(RaggedTensor)", (6,), "a"),), dict(row_splits=S4), "rows of 2, 0, 3, 1"),
    ], domain="all reals", bugs=(SOFTMAX_NESTED,), skips=no_xla("RaggedRange"), points=[
        softmax_point("weighted, rows of 2, 0 and 3", [0.5, -1.0, 2.0, 0.0, 1.0], splits(0, 2, 2, 5),
                      [1.0, 2.0, -1.0, 0.5, 3.0], "f = Σ w·s: ∂f/∂x_j = s_j (w_j − w̄) per row, w̄ = Σ s w",
                      second_bug=only(SOFTMAX_NESTED, "special_forward_over_forward")),
        softmax_point("a row with one value", [5.0, 1.0, -1.0], splits(0, 1, 3), [2.0, 1.0, 1.0],
                      "a single value's softmax is the constant 1; row 1 has equal weights, so w − w̄ = 0",
                      second_bug=only(SOFTMAX_NESTED, "special_forward_over_forward")),
        softmax_point("every row empty", np.zeros(0), ALL_EMPTY, np.zeros(0), "no values: an empty gradient"),
        softmax_point("zero rows", np.zeros(0), NO_ROWS, np.zeros(0), "no rows: an empty gradient"),
    ]),
]
