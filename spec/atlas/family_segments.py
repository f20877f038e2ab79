"""Segment reductions: tf.math.segment_* and unsorted_segment_*, tf.sparse.segment_*, bincount, sparse embeddings.

All are differentiated with respect to `data` (and, for the embedding lookups, the weights); segment ids,
indices and sizes are numpy int arrays. Samples keep every segment non-empty where an empty segment's
output is not 0 (unsorted max/min give the dtype's lowest/highest value there) and away from ties and
zeros; tf.sparse.segment_* are sampled with num_segments (the raw ops SparseSegment*WithNumSegments) and
without. Special points are the structural corners: empty segments (ids with gaps, num_segments beyond the
largest id — no input may get gradient from them), negative ids (dropped by the unsorted ops), ties inside
a segment (TensorFlow's documented equal split, a convention), zeros inside products, duplicate indices. Every
point states its Hessian-vector product (0 for the linear ops, 0 on both sides of a tie, the multiplied-out
products of the other factors for segment products, bilinear terms for the weighted lookups) and products with
zeros their third derivative.

Degenerate shapes: no data and no ids (sorted ops; 0 entries and 0x3 rows), no data with num_segments 3 and 0,
every id negative (unsorted ops), num_segments = 0 with every id negative (a record per op: its gradient raises,
and a raising point would fail every other point of its op in that mode), sparse segments beyond and before the
ids and with no data at all, lookups with no ids at all (zeros, or every row the default id). Empty indices on
data with rows (tf.sparse.segment_*) return uninitialised memory as the gradient (SPARSE_SEGMENT_EMPTY_INDICES,
tensorflow#72785); it is zeros in a fraction of the calls, so no strict xfail can hold it and it is recorded
without a point.
"""

import numpy as np
import tensorflow as tf

import dataclasses

from spec.atlas.family_reductions import multilinear_hvp, multilinear_third
from spec.atlas.records import (MODES, POINT_SECOND, Domain, KnownBug, Op, Point, Sample, Workaround, distinct, draw,
                                hvp, op, point, reproducer, since)

FAMILY = "segment reductions: tf.math.(unsorted_)segment_*, tf.sparse.segment_*, bincount, sparse embedding lookups"

ALL_CHECKS = ("reverse", "forward", "reverse_over_reverse", "forward_over_reverse", "reverse_over_forward",
              "forward_over_forward", "special_reverse", "special_forward", "float32", "gpu")
SEGMENT_TIES = ("convention (documented in tensorflow/python/ops/math_grad.py, _SegmentMinOrMaxGrad / "
                "_UnsortedSegmentMinOrMaxGrad: \"The gradient for the ith segment is divided evenly among the "
                "selected elements in that segment\")")
AWAY_FROM_ZERO = Domain(0.5, 1.5, "data ≠ 0 (samples in [0.5, 1.5])")
POSITIVE_WEIGHTS = Domain(0.5, 2.0, "weights > 0")


def no_xla(raw_op: str) -> dict:
    return {"xla": f"XLA cannot compile {raw_op} (no XLA kernel)"}


def ids(*values) -> np.ndarray:
    return np.array(values, np.int32)


def _one(name: str, shape, domain=Domain(-2.0, 2.0, "all reals"), salt: str = "") -> np.ndarray:
    return draw(name, shape, domain=domain, salt=salt + str(shape))[0]


def sorted_samples(name: str, ties_free=False, domain=Domain(-2.0, 2.0, "all reals")) -> list[Sample]:
    """Sorted ids: 1-D data, 2-D data, 3-D data in one segment (empty segments are special points)."""
    def x(shape, salt):
        return distinct(name, shape, salt=salt) if ties_free else _one(name, shape, domain, salt)

    return [
        Sample((x((6,), "a"), ids(0, 0, 1, 1, 1, 2)), label="6, ids [0 0 1 1 1 2]"),
        Sample((x((5, 3), "b"), ids(0, 1, 1, 2, 2)), label="5x3, ids [0 1 1 2 2]"),
        Sample((x((3, 2, 2), "c"), ids(0, 0, 0)), label="3x2x2, ids [0 0 0]"),
    ]


def unsorted_samples(name: str, ties_free=False, domain=Domain(-2.0, 2.0, "all reals"), gaps=True) -> list[Sample]:
    """Unsorted ids; 2-D ids over the leading two dimensions; (with `gaps`) num_segments beyond the largest id."""
    def x(shape, salt):
        return distinct(name, shape, salt=salt) if ties_free else _one(name, shape, domain, salt)

    samples = [
        Sample((x((6,), "a"), ids(2, 0, 1, 0, 2, 1), 3), label="6, ids [2 0 1 0 2 1], num_segments=3"),
        Sample((x((2, 3, 2), "b"), np.array([[0, 2, 1], [1, 0, 0]], np.int32), 3),
               label="2x3x2, ids 2x3 [[0 2 1] [1 0 0]], num_segments=3"),
    ]
    if gaps:
        samples.append(Sample((x((5, 2), "c"), ids(3, 0, 3, 1, 0), 5),
                              label="5x2, ids [3 0 3 1 0], num_segments=5 (segments 2 and 4 empty)"))
    return samples


def sparse_samples(name: str) -> list[Sample]:
    """With num_segments beyond the ids (the raw ops SparseSegment*WithNumSegments; first, the sample the traced modes
    and second order use), and indices with a duplicate (row 2 twice) and an unused row (3)."""
    return [
        Sample((_one(name, (4,), salt="b"), ids(3, 0, 3), ids(0, 2, 2)), dict(num_segments=4),
               label="4, indices [3 0 3], ids [0 2 2], num_segments=4 (segments 1 and 3 empty)"),
        Sample((_one(name, (5, 2), salt="a"), ids(0, 2, 2, 4, 1), ids(0, 0, 1, 1, 2)),
               label="5x2, indices [0 2 2 4 1], ids [0 0 1 1 2]"),
    ]



# ------------------------------------------------------------------------------ workarounds (pasteable code)

SEGMENT_CODE = '''import tensorflow as tf
import numpy as np


def _segment_reduce(data, segment_ids, num_segments, kind, empty):
    """The segment reduction `kind` of `data` over its leading segment_ids.ndim dimensions, for ids known when tracing:
    sums and means as products with a constant 0/1 matrix, max/min as reductions of masked copies, products as chains
    of multiplications (no gather, whose IndexedSlices gradient nested forward mode cannot pack, no division by a zero
    count or by a zero factor); negative ids are dropped and an empty segment is the constant `empty`."""
    ids = np.asarray(segment_ids).reshape(-1)
    n = int(num_segments) if num_segments is not None else (int(ids.max()) + 1 if ids.size else 0)
    rows = tf.reshape(data, [ids.size] + data.shape[np.ndim(segment_ids):].as_list())
    member = ids[None, :] == np.arange(n)[:, None]  # (segments, rows), a constant
    counts = member.sum(axis=1)
    if kind in ("sum", "mean", "sqrt_n"):
        scale = {"sum": np.ones(n), "mean": 1.0 / np.maximum(counts, 1), "sqrt_n": 1.0 / np.sqrt(np.maximum(counts, 1))}[kind]
        return tf.tensordot(tf.constant(member * scale[:, None], data.dtype), rows, axes=1)
    parts, singles = [], tf.unstack(rows) if kind == "prod" else None
    for s in range(n):
        if counts[s] == 0:
            parts.append(tf.fill(tf.shape(rows)[1:], tf.constant(empty, data.dtype)))
        elif kind == "prod":  # a chain of multiplications: every derivative exact at zeros
            product = singles[np.flatnonzero(member[s])[0]]
            for i in np.flatnonzero(member[s])[1:]:
                product = product * singles[i]
            parts.append(product)
        else:
            mask = tf.constant(member[s].reshape([-1] + [1] * (rows.shape.rank - 1)))
            neutral = tf.constant(-np.inf if kind == "max" else np.inf, data.dtype)
            parts.append((tf.reduce_max if kind == "max" else tf.reduce_min)(tf.where(mask, rows, neutral), axis=0))
    return tf.stack(parts) if parts else tf.zeros([0] + rows.shape[1:].as_list(), data.dtype)
'''


def segment_workaround(kind: str, unsorted: bool) -> Workaround:
    """A dense reformulation of tf.math.(unsorted_)segment_<kind> with the op's own call signature."""
    if unsorted:
        empty = {"max": "data.dtype.min", "min": "data.dtype.max", "prod": "1.0"}.get(kind, "0.0")
        name = f"unsorted_segment_{kind}"
        code = (f"\n\ndef {name}(data, segment_ids, num_segments, name=None):\n"
                f"    return _segment_reduce(data, segment_ids, num_segments, {kind!r}, {empty})\n")
    else:
        empty = "1.0" if kind == "prod" else "0.0"
        name = f"segment_{kind}"
        code = (f"\n\ndef {name}(data, segment_ids, name=None):\n"
                f"    return _segment_reduce(data, segment_ids, None, {kind!r}, {empty})\n")
    return Workaround(SEGMENT_CODE + code, name)


SPARSE_SEGMENT_CODE = '''import tensorflow as tf
import numpy as np


def segment_KIND(data, indices, segment_ids, name=None, num_segments=None, sparse_gradient=False):
    """tf.sparse.segment_KIND for indices and segment ids known when tracing: a product of data with a constant matrix
    (how often each row enters each segment, scaled by the segment's size), whose derivatives are defined in every mode
    and composition, and which is 0 for a segment that selects nothing."""
    idx, ids = np.asarray(indices).reshape(-1), np.asarray(segment_ids).reshape(-1)
    n = int(num_segments) if num_segments is not None else (int(ids.max()) + 1 if ids.size else 0)
    select = np.zeros((idx.size, int(data.shape[0])))
    select[np.arange(idx.size), idx] = 1.0
    member = (ids[None, :] == np.arange(n)[:, None]).astype(float)
    counts = np.maximum(member.sum(axis=1, keepdims=True), 1.0)
    member = {"sum": member, "mean": member / counts, "sqrt_n": member / np.sqrt(counts)}["KIND"]
    return tf.tensordot(tf.constant(member @ select, data.dtype), data, axes=1)
'''


def sparse_segment_workaround(kind: str) -> Workaround:
    """A dense reformulation of tf.sparse.segment_<kind>, with or without num_segments."""
    return Workaround(SPARSE_SEGMENT_CODE.replace("KIND", kind), f"segment_{kind}")


LOOKUP_CODE = '''import tensorflow as tf
import numpy as np


def _lookup(params, weights, positions, ids_values, shape, combiner, prune, default_id):
    """An embedding lookup of the ids at `positions` (known when tracing) as products with constant 0/1 matrices: the
    rows picked from params, weighted and summed per row of the batch, divided by the sum (mean) or the root of the sum
    of squares (sqrtn) of the row's weights; with `prune`, weights <= 0 are dropped; an empty row is 0, or
    params[default_id]. Every derivative is defined in every mode, and an empty row has tangent 0."""
    rows, ids = np.asarray(positions).reshape(-1, 2)[:, 0], np.asarray(ids_values).reshape(-1)
    pick = np.zeros((ids.size, int(params.shape[0])))
    pick[np.arange(ids.size), ids] = 1.0
    looked = tf.matmul(tf.constant(pick, params.dtype), params)
    w = tf.ones([ids.size], params.dtype) if weights is None else weights
    keep = tf.cast(tf.stop_gradient(w) > 0, w.dtype) if prune else tf.ones_like(w)
    w = w * keep
    to_row = tf.constant((rows[None, :] == np.arange(int(shape[0]))[:, None]).astype(float), params.dtype)
    total = tf.matmul(to_row, w[:, None] * looked)
    empty = tf.stop_gradient(tf.linalg.matvec(to_row, keep)) == 0
    if combiner != "sum":
        denominator = tf.linalg.matvec(to_row, w if combiner == "mean" else w * w)
        safe = tf.where(empty, tf.ones_like(denominator), denominator)
        total = total / (safe if combiner == "mean" else tf.sqrt(safe))[:, None]
    if default_id is not None:
        default = tf.matmul(tf.constant(np.eye(int(params.shape[0]))[[default_id]], params.dtype), params)
        total = tf.where(empty[:, None], default, total)
    return total
'''

LOOKUP_WORKAROUND = Workaround(LOOKUP_CODE + '''

def embedding_lookup_sparse(params, weights, *, positions, ids_values, shape, combiner, weighted=True):
    return _lookup(params, weights if weighted else None, positions, ids_values, shape, combiner, False, None)
''', "embedding_lookup_sparse")

SAFE_LOOKUP_WORKAROUND = Workaround(LOOKUP_CODE + '''

def safe_embedding_lookup_sparse(params, weights, *, positions, ids_values, shape, combiner, default_id=None):
    return _lookup(params, weights, positions, ids_values, shape, combiner, combiner != "sum", default_id)
''', "safe_embedding_lookup_sparse")

BINCOUNT_WORKAROUND = Workaround('''import tensorflow as tf
import numpy as np


def bincount(weights, arr, minlength=None, maxlength=None, axis=None):
    """tf.math.bincount(arr, weights, ...) for arr known when tracing: the weights times a constant one-hot matrix of
    arr (values at or beyond the output size fall out), linear in the weights in every mode."""
    values = np.asarray(arr)
    size = int(values.max()) + 1 if values.size else 0
    size = max(size, minlength or 0)
    size = min(size, maxlength) if maxlength is not None else size
    one_hot = tf.constant((values[..., None] == np.arange(size)).astype(float), weights.dtype)
    if axis is None:
        return tf.tensordot(tf.reshape(weights, [-1]), tf.reshape(one_hot, [-1, size]), axes=1)
    return tf.einsum("ri,rik->rk", weights, one_hot)
''', "bincount")

# ------------------------------------------------------------------------------ known bugs

BINCOUNT_NO_GRADIENT = KnownBug(
    "tf.math.bincount with float weights runs DenseBincount, which has no gradient registered (LookupError), although "
    "the output is linear in the weights (the docstring itself equates it with unsorted_segment_sum)",
    "unreported",
    reproducer("w = tf.constant([1.0, 2.0, 3.0], tf.float64)", "with tf.GradientTape() as t:", "    t.watch(w)",
               "    y = tf.math.bincount(tf.constant([0, 2, 2]), weights=w)",
               "print(t.gradient(y, w))  # expected [1, 1, 1], got LookupError: gradient registry has no entry for: DenseBincount"),
    checks=ALL_CHECKS + POINT_SECOND,
    kind="missing gradient", kind_why="the output is linear in the weights (a sum per bin); no gradient is registered "
    "for DenseBincount",
    searched=("bincount weights gradient LookupError DenseBincount no gradient",
              "tensorflow tf.math.bincount not differentiable weights gradient None"),
    workaround=BINCOUNT_WORKAROUND)

EMBEDDING_SQRTN_EMPTY_ROW_FORWARD = KnownBug(
    "forward mode through embedding_lookup_sparse(combiner='sqrtn') with a tangent on the weights gives NaN for a "
    "row with no ids, whose output is the constant 0 (tangent 0): the empty row's weight norm is 0 and 0/0 leaks",
    "unreported",
    reproducer("p = tf.constant([[1.0, 2.0], [3.0, 4.0]], tf.float64)", "w = tf.constant([1.0, 2.0], tf.float64)",
               "with tf.autodiff.ForwardAccumulator(w, tf.ones_like(w)) as acc:",
               "    ids = tf.sparse.SparseTensor([[0, 0], [2, 0]], tf.constant([1, 0], tf.int64), [3, 1])",
               "    y = tf.nn.embedding_lookup_sparse(p, ids, tf.sparse.SparseTensor([[0, 0], [2, 0]], w, [3, 1]), "
               "combiner='sqrtn')",
               "print(tf.convert_to_tensor(acc.jvp(y)))  # row 1 is [nan, nan], expected [0, 0]"),
    checks=("forward",), modes=("eager",),
    kind="mode failure", kind_why="the empty row is the constant 0 that TensorFlow computes (tangent 0) and reverse mode "
    "is right; forward mode returns NaN there. The docstring assumes at least one id per row, so an empty row is "
    "outside its contract (safe_embedding_lookup_sparse is the documented way), but the value returned there is 0",
    related=("https://github.com/tensorflow/tensorflow/issues/36359", "https://github.com/tensorflow/tensorflow/issues/127233"),
    searched=("embedding_lookup_sparse combiner sqrtn forward-mode jvp NaN empty row weights",),
    workaround=LOOKUP_WORKAROUND)

NESTED_FORWARD = KnownBug(
    "forward over forward through a segment op raises: the inner ForwardAccumulator transposes a backward function "
    "built on gather, whose gradient is an IndexedSlices, and the outer accumulator cannot pack it (AttributeError: "
    "'IndexedSlices' object has no attribute '_id'; a SystemError for segment_prod and unsorted_segment_prod)",
    "unreported",
    reproducer("x = tf.constant([0.5, -1.0, 2.0], tf.float64)", "ids = tf.constant([0, 0, 1])",
               "with tf.autodiff.ForwardAccumulator(x, tf.ones_like(x)) as outer:",
               "    with tf.autodiff.ForwardAccumulator(x, tf.ones_like(x)) as inner:",
               "        y = tf.reduce_sum(tf.math.segment_sum(x, ids) ** 2)", "    jvp = inner.jvp(y)",
               "print(outer.jvp(jvp))  # expected 2·Σ_s (Σ_{i∈s} 1)² = 10, got AttributeError: 'IndexedSlices' object "
               "has no attribute '_id'"),
    checks=("forward_over_forward",),
    kind="mode failure", kind_why="the segment ops are (piecewise) linear or polynomial with defined second derivatives, "
    "which the other three compositions return; forward over forward raises",
    searched=("ForwardAccumulator nested 'IndexedSlices' object has no attribute '_id'",
              "find_string: object has no attribute '_id'"),
    workaround=segment_workaround("sum", unsorted=False))  # the reproducer's op; each record's copy has its own op's


def nested_forward(workaround: Workaround) -> KnownBug:
    """NESTED_FORWARD for one op, with a workaround of that op's call signature."""
    return dataclasses.replace(NESTED_FORWARD, workaround=workaround)


NESTED_FORWARD_LOOKUP = nested_forward(LOOKUP_WORKAROUND)

NESTED_FORWARD_PROD_ORDER_DEPENDENT = since(
    "2.17", "on TensorFlow 2.16 forward over forward through unsorted_segment_prod depends on what ran before in the "
    "process: alone it raises SystemError (NESTED_FORWARD, as on every later release), after the rest of the atlas's "
    "slow tier it returns the right value, so neither a pass nor the known bug holds there; from 2.17 it raises (seen "
    "alone on 2.17 and in the full slow tier of 2.20 and 2.21)",
    checks=("forward_over_forward",))


def sparse_segment_forward(kind: str, grad_op: str, expected: str, checks) -> KnownBug:
    """Forward mode through tf.sparse.segment_<kind>: its backward op `grad_op` has no gradient registered."""
    public = f"tf.sparse.segment_{kind}"
    return KnownBug(
        f"forward mode through {public} raises LookupError: ForwardAccumulator differentiates the backward "
        f"function, and its op {grad_op} has no gradient registered (although it is linear); reverse mode is right",
        "unreported",
        reproducer("data = tf.constant([0.5, -1.0, 2.0], tf.float64)",
                   "with tf.autodiff.ForwardAccumulator(data, tf.ones_like(data)) as acc:",
                   f"    y = {public}(data, [1, 1, 0], [0, 0, 0])",
                   f"print(acc.jvp(y))  # expected {expected}, got LookupError: gradient registry has no entry for: {grad_op}"),
        checks=checks,
        kind="mode failure", kind_why="the op is linear and reverse mode returns its derivative; forward mode (and every "
        "composition that uses it) raises",
        searched=("SparseSegmentSumGrad gradient registry has no entry forward mode jvp sparse_segment",),
        workaround=sparse_segment_workaround(kind))


_SPARSE_GRADS = {"sum": ("SparseSegmentSumGrad", "[3.]"), "mean": ("SparseSegmentMeanGrad", "[1.]"),
                 "sqrt_n": ("SparseSegmentSqrtNGrad", "[1.7320508]")}
SPARSE_SEGMENT_FORWARD = {k: sparse_segment_forward(k, *v, checks=("forward", "forward_over_reverse", "reverse_over_forward",
                                                                    "forward_over_forward"))
                          for k, v in _SPARSE_GRADS.items()}
SPARSE_SEGMENT_FORWARD_POINTS = {k: sparse_segment_forward(k, *v, checks=("special_forward", "special_forward_over_reverse",
                                                                           "special_reverse_over_forward",
                                                                           "special_forward_over_forward"))
                                 for k, v in _SPARSE_GRADS.items()}

SPARSE_SEGMENT_EMPTY_INDICES = KnownBug(
    "tf.sparse.segment_sum / segment_mean / segment_sqrt_n with empty indices (nothing selected) on data with rows: the "
    "gradient, zeros(data.shape), is a buffer SparseSegmentReductionGrad never writes, so it holds whatever memory it "
    "was given (denormal pointers, 1e+189, NaN; different in every call, sometimes all zeros)",
    "https://github.com/tensorflow/tensorflow/issues/72785",
    reproducer("data = tf.ones([40, 9], tf.float64)", "none = tf.zeros([0], tf.int32)",
               "for _ in range(3):", "    with tf.GradientTape() as t:", "        t.watch(data)",
               "        y = tf.sparse.segment_sum(data, none, none, num_segments=3)",
               "    g = t.gradient(y, data)",
               "    print(float(tf.reduce_max(tf.abs(g))))  # expected 0.0 each time, got garbage that changes from call to call"),
    checks=("special_reverse",), modes=("eager",),
    kind="wrong value", kind_why="the output does not depend on data (its gradient is 0); TensorFlow returns "
    "uninitialised memory",
    searched=("sparse reduce_sum gradient \"Integer division by zero\" empty dense shape",),
    workaround=sparse_segment_workaround("sum"))
# The garbage is all zeros in a fraction of the calls (about half of them in tf.function on 16x16 data, 1 in 60
# eagerly), so one call cannot hold a strict xfail: the record `tf.sparse.segment_sum(empty indices)` below computes
# the eager gradient 30 times (`repeat`), each of which must be zeros.

SAFE_LOOKUP_FILL_ROWS = KnownBug(
    "tf.nn.safe_embedding_lookup_sparse runs sparse_fill_empty_rows on the weights; the gradient of its backward op "
    "SparseFillEmptyRowsGrad is not registered, so every forward-mode and second-order derivative raises LookupError "
    "(first-order reverse mode is right)",
    "unreported",
    reproducer("params = tf.constant([[0.5, -1.0], [2.0, 0.25]], tf.float64)", "w = tf.constant([1.0, 2.0], tf.float64)",
               "ids = tf.SparseTensor([[0, 0], [2, 0]], tf.constant([1, 0], tf.int64), [3, 1])",
               "with tf.autodiff.ForwardAccumulator(w, tf.ones_like(w)) as acc:",
               "    y = tf.nn.safe_embedding_lookup_sparse(params, ids, tf.SparseTensor(ids.indices, w, ids.dense_shape), "
               "combiner='sum')",
               "print(acc.jvp(y))  # expected [[2, 0.25], [0, 0], [0.5, -1]], got LookupError: gradient registry has no "
               "entry for: SparseFillEmptyRowsGrad"),
    checks=("forward", "reverse_over_reverse", "forward_over_reverse", "reverse_over_forward", "forward_over_forward"),
    kind="mode failure", kind_why="the lookup is bilinear in params and weights and reverse mode returns its gradient; "
    "forward mode and every second derivative raise",
    searched=("SparseFillEmptyRowsGrad gradient not registered safe_embedding_lookup_sparse second order",),
    workaround=SAFE_LOOKUP_WORKAROUND)
SAFE_LOOKUP_FILL_ROWS_POINTS = dataclasses.replace(SAFE_LOOKUP_FILL_ROWS, checks=("special_forward",) + POINT_SECOND)

EMPTY_SEGMENT_FORWARD_MEAN = KnownBug(
    "forward mode of segment_mean is NaN when a segment is empty: the backward function divides the upstream gradient "
    "by the segment sizes (0 for the empty segment) before gathering, and transposing it gives inf·0 = NaN",
    "https://github.com/tensorflow/tensorflow/issues/127233",
    reproducer("x = tf.constant([1.0, -2.0, 0.5, 3.0], tf.float64)",
               "with tf.autodiff.ForwardAccumulator(x, tf.ones_like(x)) as acc:",
               "    y = tf.math.segment_mean(x, tf.constant([0, 0, 0, 2]))", "print(acc.jvp(y))  # expected [1, 0, 1], got [1 nan 1]"),
    checks=("special_forward",),
    kind="mode failure", kind_why="the empty segment's output is the constant 0 (tangent 0) and reverse mode is right; "
    "forward mode returns NaN there",
    related=("https://github.com/tensorflow/tensorflow/pull/127449",),
    searched=("segment_mean ForwardAccumulator jvp NaN empty segment forward mode",),
    workaround=segment_workaround("mean", unsorted=False))


def empty_segment_forward(op_name: str, ids_text: str, num_segments: str, expected: str, got: str) -> KnownBug:
    kind, unsorted = op_name.split("_")[-1], "unsorted" in op_name
    return KnownBug(
        f"forward mode of {op_name} is NaN when a segment is empty: the backward function divides the upstream "
        "gradient by the number of selected elements per segment (0 for an empty one) and transposing it gives "
        "inf·0 = NaN", "https://github.com/tensorflow/tensorflow/issues/57002",
        reproducer("x = tf.constant([1.0, 3.0, 2.0, 5.0], tf.float64)",
                   "with tf.autodiff.ForwardAccumulator(x, tf.ones_like(x)) as acc:",
                   f"    y = {op_name}(x, tf.constant({ids_text}){num_segments})",
                   f"print(acc.jvp(y))  # expected {expected} (tangent 0 for an empty segment), got {got}"),
        checks=("special_forward",),
        kind="mode failure", kind_why="an empty segment's output is a constant (tangent 0) and reverse mode is right; "
        "forward mode returns NaN there",
        related=("https://github.com/tensorflow/tensorflow/issues/127233", "https://github.com/tensorflow/tensorflow/pull/127449"),
        searched=("segment_mean ForwardAccumulator jvp NaN empty segment forward mode",),
        workaround=segment_workaround(kind, unsorted))


def zero_segments_bug(kind: str, checks) -> KnownBug:
    name = f"tf.math.unsorted_segment_{kind}"
    return KnownBug(
        f"{name} with num_segments=0 and data whose ids are all negative (every row dropped): the output is an empty "
        "constant, but the gradient gathers the upstream gradient at max(id, 0) = 0 from an empty tensor and raises "
        "InvalidArgumentError \"indices[0] = 0 is not in [0, 0)\" (XLA: \"Scatter dimension 0 is of size zero\"; forward "
        "mode raises too)", "unreported",
        reproducer("x = tf.constant([1.0, -2.0, 0.5], tf.float64)", "with tf.GradientTape() as t:", "    t.watch(x)",
                   f"    y = {name}(x, tf.constant([-1, -1, -1]), 0)",
                   "print(t.gradient(y, x))  # expected [0, 0, 0], got InvalidArgumentError: indices[0] = 0 is not in [0, 0)"),
        checks=checks,
        kind="missing gradient", kind_why="the output is an empty constant, so the gradient exists (zeros); the registered "
        "gradient raises instead of returning it",
        searched=("unsorted_segment_sum num_segments=0 gradient \"is not in [0, 0)\" negative segment ids",),
        workaround=segment_workaround(kind, unsorted=True))


# the reverse check passes in tf.function (grappler drops the gather) but for the product (whose gradient gathers twice)
_ZERO_SEGMENTS_CHECKS = ("special_reverse", "special_forward") + POINT_SECOND
ZERO_SEGMENTS_BUGS = {kind: dataclasses.replace(zero_segments_bug(kind, _ZERO_SEGMENTS_CHECKS),
                                                modes=MODES if kind == "prod" else ("eager", "xla"))
                      for kind in ("sum", "mean", "sqrt_n", "max", "min", "prod")}

# forward over forward at the special points: the same NESTED_FORWARD, at every point with data (a point without data
# passes), attached by with_nested_forward_at_points after the records are built
def nested_at_points(bug: KnownBug) -> KnownBug:
    return dataclasses.replace(bug, checks=("special_forward_over_forward",))


def with_nested_forward_at_points(entry: Op, bug: KnownBug) -> Op:
    """`entry` with `bug` (NESTED_FORWARD at the special points) on every point whose data is not empty: as the point's
    bug, or, where the point has a first-order bug of its own, as its Hessian-vector product's."""
    points = []
    for pt in entry.points:
        if all(np.size(pt.args[i]) == 0 for i in entry.diff):
            points.append(pt)
        elif pt.bug is None:
            points.append(dataclasses.replace(pt, bug=bug))
        else:
            assert pt.second is not None and pt.second.bug is None, pt.label
            points.append(dataclasses.replace(pt, second=dataclasses.replace(pt.second, bug=bug)))
    return dataclasses.replace(entry, points=tuple(points))


NESTED = {(kind, unsorted): nested_forward(segment_workaround(kind, unsorted))
          for kind in ("sum", "mean", "sqrt_n", "max", "min", "prod") for unsorted in (False, True)
          if unsorted or kind != "sqrt_n"}
NESTED_LOOKUP_AT_POINTS = nested_at_points(NESTED_FORWARD_LOOKUP)


def segment_prod_second(public: str, checks, got: str) -> KnownBug:
    return KnownBug(
        f"{public}'s gradient handles zeros with where(is_zero, product of the non-zero entries, product/x) and, for a "
        "segment with two or more zeros, where(num_zeros > 1, 0, …): right to first order, but its derivative drops the "
        "products of the other factors at the zeros (0 instead of H₀₂ = x₁ with two zeros) or takes 0·inf = NaN from the "
        "division branch that where discards",
        "unreported",
        reproducer("x = tf.constant([0.0, 2.0, 0.0, 4.0], tf.float64)", "with tf.GradientTape() as t2:", "    t2.watch(x)",
                   "    with tf.GradientTape() as t:", "        t.watch(x)",
                   f"        y = tf.reduce_sum({public}(x, tf.constant([0, 0, 0, 1]){', 2' if 'unsorted' in public else ''}))",
                   "    g = t.gradient(y, x)", f"print(t2.gradient(g, x))  # expected H·1 = [2, 0, 2, 0], got {got}"),
        checks=checks,
        kind="wrong value", kind_why="a segment product is a polynomial with exact second and third derivatives "
        "everywhere; at zero factors TensorFlow returns 0 or NaN for them",
        related=("https://github.com/tensorflow/tensorflow/issues/61117", "https://github.com/tensorflow/tensorflow/pull/42237"),
        searched=("unsorted_segment_prod segment_prod second order gradient NaN zero hessian",),
        workaround=segment_workaround("prod", "unsorted" in public))


_REVERSE_SECOND = ("special_reverse_over_reverse", "special_forward_over_reverse", "special_reverse_over_forward")
SEGMENT_PROD_TWO_ZEROS = segment_prod_second("tf.math.segment_prod", _REVERSE_SECOND + ("special_third",), "[0 0 0 0]")
UNSORTED_PROD_TWO_ZEROS = segment_prod_second("tf.math.unsorted_segment_prod", _REVERSE_SECOND + ("special_third",),
                                              "[nan 0 nan 0]")
UNSORTED_PROD_ONE_ZERO = dataclasses.replace(
    UNSORTED_PROD_TWO_ZEROS, checks=("special_reverse_over_reverse", "special_reverse_over_forward", "special_third"))

SPARSE_SEGMENT_FORWARD_EMPTY = {k: dataclasses.replace(b, checks=("special_forward_over_reverse", "special_reverse_over_forward"))
                                for k, b in SPARSE_SEGMENT_FORWARD_POINTS.items()}

EVERY_ID_NEGATIVE_FORWARD = {
    kind: empty_segment_forward(f"tf.math.unsorted_segment_{kind}", "[-1, -1, -1]", ", 2", "[0, 0]", "[nan nan]")
    for kind in ("max", "min")}


SEGMENT_PROD_HVP = ("H_ij of a segment product Π_{k∈s} x_k is Π_{k∈s, k≠i,j} x_k for i ≠ j in the same segment, 0 otherwise "
                    "(multiplied out, no division)")
SEGMENT_PROD_THIRD = ("∇(1ᵀH1): for a segment of three, 1ᵀH1 = 2(x_a + x_b + x_c), so 2 for each member of a three-factor "
                      "segment and 0 for a one-factor segment")
LOOKUP_SUM_HVP = ("Σ output = Σ_j w_j Σ_c p[id_j, c] is bilinear: ∂²/∂w_j∂p[k, c] = [id_j = k], so for v = 1 the params "
                  "part is Σ_{j: id_j = k} 1 = [[1, 1], [2, 2], [0, 0]] (ids [1, 1, 0]) and the weights part Σ_c 1 = 2 each")
NO_LOOKUP = dict(positions=np.zeros((0, 2), np.int64), ids_values=np.zeros(0, np.int64), shape=[3, 2])
NO_IDS = np.zeros(0, np.int32)


def empty_sparse_points(kind: str) -> list:
    """tf.sparse.segment_<kind> with segments beyond or before the ids, and with no data at all."""
    scale = {"sum": 1.0, "mean": 0.5, "sqrt_n": 1 / np.sqrt(2)}[kind]
    bug = SPARSE_SEGMENT_FORWARD_POINTS[kind]
    return [
        point("num_segments beyond the ids: indices [1 0], ids [0 0], num_segments=3", [[0.5, -1.0, 2.0], ids(1, 0), ids(0, 0)],
              [[scale, scale, 0.0]], "rows 1 and 0 form segment 0; segments 1 and 2 are empty constants 0; row 2 is not "
              "selected", num_segments=3, bug=bug, second=hvp([np.zeros(3)], "linear in data: H = 0")),
        point("leading empty segments: indices [1 0], ids [2 2]", [[0.5, -1.0, 2.0], ids(1, 0), ids(2, 2)],
              [[scale, scale, 0.0]], "segments 0 and 1 are empty constants 0; rows 1 and 0 form segment 2", bug=bug,
              second=hvp([np.zeros(3)], "linear in data: H = 0")),
        point("no data, no indices, num_segments=0", [np.zeros((0, 2)), NO_IDS, NO_IDS], [np.zeros((0, 2))],
              "nothing selected, no segments: an empty output and an empty gradient", num_segments=0,
              bug=SPARSE_SEGMENT_FORWARD_EMPTY[kind], second=hvp([np.zeros((0, 2))], "no data: the Hessian-vector product is an empty array")),
    ]


def _bincount(weights, arr, **kwargs):
    return tf.math.bincount(arr, weights=weights, **kwargs)


def _embedding_lookup_sparse(params, weights, *, positions, ids_values, shape, combiner, weighted=True):
    """tf.nn.embedding_lookup_sparse with sp_ids = SparseTensor(positions, ids_values, shape) and sp_weights the
    SparseTensor of `weights` at the same positions (None when not `weighted`: all weights 1)."""
    sp_ids = tf.SparseTensor(positions, ids_values, shape)
    sp_weights = tf.SparseTensor(positions, weights, shape) if weighted else None
    return tf.nn.embedding_lookup_sparse(params, sp_ids, sp_weights, combiner=combiner)


def _safe_embedding_lookup_sparse(params, weights, *, positions, ids_values, shape, combiner, default_id=None):
    sp_ids = tf.SparseTensor(positions, ids_values, shape)
    sp_weights = tf.SparseTensor(positions, weights, shape)
    return tf.nn.safe_embedding_lookup_sparse(params, sp_ids, sp_weights, combiner=combiner, default_id=default_id)


# rows 0 and 2 of a 3x2 batch hold ids; row 1 is empty
POSITIONS = np.array([[0, 0], [0, 1], [2, 0]], np.int64)
LOOKUP = dict(positions=POSITIONS, ids_values=np.array([1, 3, 0], np.int64), shape=[3, 2])
LOOKUP_DUP = dict(positions=POSITIONS, ids_values=np.array([1, 1, 0], np.int64), shape=[3, 2])


def lookup_samples(name: str) -> list[Sample]:
    params = [_one(name, (4, 2), salt=s) for s in "abc"]
    weights = [_one(name, (3,), POSITIVE_WEIGHTS, salt="w" + s) for s in "abc"]
    return [
        Sample((params[2], weights[2]), dict(LOOKUP, combiner="sqrtn"), "params 4x2, 3 ids over rows 0 and 2, combiner='sqrtn'"),
        Sample((params[0], weights[0]), dict(LOOKUP, combiner="sum"), "combiner='sum'"),
        Sample((params[1], weights[1]), dict(LOOKUP, combiner="mean"), "combiner='mean'"),
    ]


P32 = np.array([[0.5, -1.0], [2.0, 0.25], [-1.5, 3.0]])  # params for the points: rows p0, p1, p2

LINEAR = "linear in data: H = 0"
EMPTY = "no data: the Hessian-vector product is an empty array"
TIES_HVP = ("not twice differentiable at the tie, but piecewise linear: on each side the segment's max (min) is one "
            "of the tied entries, so both one-sided second derivatives along v are 0 (the documented split rule "
            "differentiates to 0 too); asserted: 0")
def empty_sorted_points(what: str) -> list:
    """A sorted segment op on no data: empty ids, and empty rows of a 2-D data."""
    return [
        point("no data: 0 entries, ids []", [np.zeros((0,)), NO_IDS], [np.zeros((0,))],
              f"{what} of no segments: an empty output and an empty gradient", second=hvp([np.zeros((0,))], EMPTY)),
        point("no rows: 0x3 data, ids []", [np.zeros((0, 3)), NO_IDS], [np.zeros((0, 3))],
              f"{what} of no rows: an empty (0, 3) output and an empty (0, 3) gradient", second=hvp([np.zeros((0, 3))], EMPTY)),
    ]


def empty_unsorted_points(what: str, empty: str, negative_bug: KnownBug | None = None) -> list:
    """An unsorted segment op on no data (with and without segments), and with every id negative."""
    return [
        point("no data, num_segments=3: 0x2 data, ids []", [np.zeros((0, 2)), NO_IDS, 3], [np.zeros((0, 2))],
              f"three empty segments: the output is the constant {empty} (3, 2); an empty (0, 2) gradient",
              second=hvp([np.zeros((0, 2))], EMPTY)),
        point("no data, num_segments=0", [np.zeros((0,)), NO_IDS, 0], [np.zeros((0,))],
              f"no segments and no data: {what} is an empty output, the gradient an empty array",
              second=hvp([np.zeros((0,))], EMPTY)),
        point("every id negative, num_segments=2: ids [-1 -2 -1]", [[1.0, -2.0, 0.5], ids(-1, -2, -1), 2], [np.zeros(3)],
              f"every row is dropped (documented for negative ids): the output is the constant {empty}, the gradient 0",
              bug=negative_bug, second=hvp([np.zeros(3)], "the output does not depend on the data: H = 0")),
    ]


def zero_segments_point(what: str, bug: KnownBug) -> Point:
    """num_segments = 0 with data whose ids are all negative: an empty output that depends on nothing."""
    return point("num_segments=0, every id negative: ids [-1 -1 -1]", [[1.0, -2.0, 0.5], ids(-1, -1, -1), 0], [np.zeros(3)],
                 f"no segments, every row dropped: {what} is an empty (0,) output, which depends on no input: the "
                 "gradient is zeros(3)", bug=bug, second=hvp([np.zeros(3)], "an empty output: H = 0"))


def zero_segments_record(name: str, fn, bug: KnownBug, what: str, samples) -> Op:
    """The num_segments = 0 point of an unsorted segment op, in a record of its own: its gradient raises, and a point
    that raises fails every point of its op in that mode (the runner computes an op's points in one call)."""
    return op(f"{name}(num_segments=0)", fn, samples, domain="data: all reals; the point has num_segments = 0",
              points=[zero_segments_point(what, bug)], bugs=(nested_forward(bug.workaround),),
              gates=(NESTED_FORWARD_PROD_ORDER_DEPENDENT,) if name.endswith("prod") else ())


OPS = [
    op("tf.math.segment_sum", tf.math.segment_sum, sorted_samples("tf.math.segment_sum"),
       domain="data: all reals; segment_ids sorted", bugs=(NESTED[("sum", False)],),
       skips=no_xla("SegmentSum"), points=[
        point("empty segment: ids [0 0 2 2]", [[1.0, -2.0, 0.5, 3.0], ids(0, 0, 2, 2)], [[1.0] * 4],
              "output 1 is the empty sum 0 (a constant); every input enters exactly one segment sum once",
              second=hvp([np.zeros(4)], LINEAR)),
        point("first id 2: ids [2 2 3]", [[1.0, -2.0, 0.5], ids(2, 2, 3)], [[1.0] * 3],
              "segments 0 and 1 are empty constants 0; each input enters one sum", second=hvp([np.zeros(3)], LINEAR)),
        *empty_sorted_points("the segment sum"),
    ]),
    op("tf.math.segment_mean", tf.math.segment_mean, sorted_samples("tf.math.segment_mean"),
       domain="data: all reals; segment_ids sorted", bugs=(NESTED[("mean", False)],), skips=no_xla("SegmentMean"), points=[
        point("empty segment: ids [0 0 0 2]", [[1.0, -2.0, 0.5, 3.0], ids(0, 0, 0, 2)], [[1 / 3] * 3 + [1.0]],
              "a member of a segment of size k gets 1/k; the empty segment 1 outputs the constant 0",
              bug=EMPTY_SEGMENT_FORWARD_MEAN, second=hvp([np.zeros(4)], LINEAR)),
        *empty_sorted_points("the segment mean"),
    ]),
    op("tf.math.segment_max", tf.math.segment_max, sorted_samples("tf.math.segment_max", ties_free=True),
       domain="data: all reals (samples without ties); segment_ids sorted", bugs=(NESTED[("max", False)],), skips=no_xla("SegmentMax"), points=[
        point("tie in a segment: [1 3 3 2], ids [0 0 0 1]", [[1.0, 3.0, 3.0, 2.0], ids(0, 0, 0, 1)],
              [[0.0, 0.5, 0.5, 1.0]], f"the two tied maxima of segment 0 share its gradient: {SEGMENT_TIES}",
              second=hvp([np.zeros(4)], TIES_HVP, v=[[0.0, 1.0, -1.0, 1.0]], exists=False)),
        point("all equal in a segment: [2 2 2], ids [0 0 0]", [[2.0, 2.0, 2.0], ids(0, 0, 0)], [[1 / 3] * 3],
              f"three tied maxima get 1/3 each: {SEGMENT_TIES}",
              second=hvp([np.zeros(3)], TIES_HVP, v=[[1.0, 2.0, 3.0]], exists=False)),
        point("empty segment: [1 3 2 5], ids [0 0 2 2]", [[1.0, 3.0, 2.0, 5.0], ids(0, 0, 2, 2)], [[0.0, 1.0, 0.0, 1.0]],
              "each segment's unique maximum gets 1; the empty segment 1 outputs the constant 0 (documented) and feeds no input",
              bug=empty_segment_forward("tf.math.segment_max", "[0, 0, 2, 2]", "", "[1, 0, 1]", "[1 nan 1]"),
              second=hvp([np.zeros(4)], "unique maxima: locally linear, H = 0")),
        *empty_sorted_points("the segment max"),
    ]),
    op("tf.math.segment_min", tf.math.segment_min, sorted_samples("tf.math.segment_min", ties_free=True),
       domain="data: all reals (samples without ties); segment_ids sorted", bugs=(NESTED[("min", False)],), skips=no_xla("SegmentMin"), points=[
        point("tie in a segment: [3 1 1 2], ids [0 0 0 1]", [[3.0, 1.0, 1.0, 2.0], ids(0, 0, 0, 1)],
              [[0.0, 0.5, 0.5, 1.0]], f"the two tied minima of segment 0 share its gradient: {SEGMENT_TIES}",
              second=hvp([np.zeros(4)], TIES_HVP, v=[[0.0, 1.0, -1.0, 1.0]], exists=False)),
        point("empty segment: [1 3 2 5], ids [0 0 2 2]", [[1.0, 3.0, 2.0, 5.0], ids(0, 0, 2, 2)], [[1.0, 0.0, 1.0, 0.0]],
              "each segment's unique minimum gets 1; the empty segment 1 outputs the constant 0 and feeds no input",
              bug=empty_segment_forward("tf.math.segment_min", "[0, 0, 2, 2]", "", "[1, 0, 1]", "[1 nan 1]"),
              second=hvp([np.zeros(4)], "unique minima: locally linear, H = 0")),
        *empty_sorted_points("the segment min"),
    ]),
    op("tf.math.segment_prod", tf.math.segment_prod, sorted_samples("tf.math.segment_prod", domain=AWAY_FROM_ZERO),
       domain="data: all reals; segment_ids sorted", bugs=(NESTED[("prod", False)],), skips=no_xla("SegmentProd"), points=[
        point("one zero in a segment: [2 0 3 4], ids [0 0 0 1]", [[2.0, 0.0, 3.0, 4.0], ids(0, 0, 0, 1)],
              [[0.0, 6.0, 0.0, 1.0]], "∂/∂x_i of a segment product is the product of the others: only the zero's slot (2·3) is nonzero",
              second=hvp([multilinear_hvp([2.0, 0.0, 3.0, 4.0], [[0, 1, 2], [3]])], SEGMENT_PROD_HVP),
              third=hvp([multilinear_third([2.0, 0.0, 3.0, 4.0], [[0, 1, 2], [3]])], SEGMENT_PROD_THIRD)),
        point("two zeros in a segment: [0 2 0 4], ids [0 0 0 1]", [[0.0, 2.0, 0.0, 4.0], ids(0, 0, 0, 1)],
              [[0.0, 0.0, 0.0, 1.0]], "with two zeros every product of the others contains a zero",
              second=hvp([multilinear_hvp([0.0, 2.0, 0.0, 4.0], [[0, 1, 2], [3]])],
                         SEGMENT_PROD_HVP + ": H₀₂ = x₁ = 2 survives although the gradient is 0, so H·1 = [2, 0, 2, 0]",
                         bug=SEGMENT_PROD_TWO_ZEROS),
              third=hvp([multilinear_third([0.0, 2.0, 0.0, 4.0], [[0, 1, 2], [3]])], SEGMENT_PROD_THIRD,
                        bug=SEGMENT_PROD_TWO_ZEROS)),
        point("empty segment: [2 3 5], ids [0 0 2]", [[2.0, 3.0, 5.0], ids(0, 0, 2)], [[3.0, 2.0, 1.0]],
              "segment 1 is the empty product 1 (a constant); x0·x1 gives [3, 2], x2 alone gives 1",
              second=hvp([multilinear_hvp([2.0, 3.0, 5.0], [[0, 1], [2]])], "x0·x1 has H = [[0, 1], [1, 0]], x2 is linear: "
                         "H·1 = [1, 1, 0]")),
        *empty_sorted_points("the segment product"),
    ]),
    op("tf.math.unsorted_segment_sum", tf.math.unsorted_segment_sum, unsorted_samples("tf.math.unsorted_segment_sum"),
       domain="data: all reals", bugs=(NESTED[("sum", True)],), points=[
        point("negative id drops its row: ids [0 -1 1 1]", [[1.0, -2.0, 0.5, 3.0], ids(0, -1, 1, 1), 2],
              [[1.0, 0.0, 1.0, 1.0]], "an input with a negative id enters no output (documented): derivative 0",
              second=hvp([np.zeros(4)], LINEAR)),
        point("num_segments beyond the ids: ids [0 0 1], num_segments=4", [[1.0, -2.0, 0.5], ids(0, 0, 1), 4],
              [[1.0] * 3], "segments 2 and 3 are empty constants 0; each input enters one sum", second=hvp([np.zeros(3)], LINEAR)),
        *empty_unsorted_points("the segment sum", "0"),
    ]),
    op("tf.math.unsorted_segment_mean", tf.math.unsorted_segment_mean, unsorted_samples("tf.math.unsorted_segment_mean"),
       domain="data: all reals", bugs=(NESTED[("mean", True)],), points=[
        point("negative id and an empty segment: ids [1 -1 1 1], num_segments=3",
              [[1.0, -2.0, 0.5, 3.0], ids(1, -1, 1, 1), 3], [[1 / 3, 0.0, 1 / 3, 1 / 3]],
              "the three members of segment 1 get 1/3; the dropped row and the empty segments 0 and 2 contribute nothing",
              second=hvp([np.zeros(4)], LINEAR)),
        *empty_unsorted_points("the segment mean", "0"),
    ]),
    op("tf.math.unsorted_segment_sqrt_n", tf.math.unsorted_segment_sqrt_n,
       unsorted_samples("tf.math.unsorted_segment_sqrt_n"), domain="data: all reals", bugs=(NESTED[("sqrt_n", True)],), points=[
        point("negative id and an empty segment: ids [1 -1 1 0], num_segments=3",
              [[1.0, -2.0, 0.5, 3.0], ids(1, -1, 1, 0), 3], [[1 / np.sqrt(2), 0.0, 1 / np.sqrt(2), 1.0]],
              "output_s = Σ/√k_s: members of segment 1 (k = 2) get 1/√2, segment 0 (k = 1) gets 1; the dropped row 0",
              second=hvp([np.zeros(4)], LINEAR)),
        *empty_unsorted_points("the segment sum over √size", "0"),
    ]),
    op("tf.math.unsorted_segment_max", tf.math.unsorted_segment_max,
       unsorted_samples("tf.math.unsorted_segment_max", ties_free=True, gaps=False),
       domain="data: all reals (samples without ties or empty segments)", bugs=(NESTED[("max", True)],), points=[
        point("ties in two segments: [2 5 2 1 5], ids [1 0 1 1 0]", [[2.0, 5.0, 2.0, 1.0, 5.0], ids(1, 0, 1, 1, 0), 2],
              [[0.5, 0.5, 0.5, 0.0, 0.5]], f"each segment's two tied maxima share its gradient: {SEGMENT_TIES}",
              second=hvp([np.zeros(5)], TIES_HVP, v=[[1.0, 1.0, -1.0, 0.0, -1.0]], exists=False)),
        point("empty segments and a negative id: [1 3 3 2], ids [2 2 0 -1], num_segments=4",
              [[1.0, 3.0, 3.0, 2.0], ids(2, 2, 0, -1), 4], [[0.0, 1.0, 1.0, 0.0]],
              "segments 1 and 3 are empty (output the lowest float, a constant) and must feed no input; x3 is dropped",
              bug=empty_segment_forward("tf.math.unsorted_segment_max", "[2, 2, 0, -1]", ", 4", "[1, 0, 1, 0]",
                                        "[1 nan 1 nan]"), second=hvp([np.zeros(4)], "unique maxima: locally linear, H = 0")),
        *empty_unsorted_points("the segment max", "lowest float", EVERY_ID_NEGATIVE_FORWARD["max"]),
    ]),
    op("tf.math.unsorted_segment_min", tf.math.unsorted_segment_min,
       unsorted_samples("tf.math.unsorted_segment_min", ties_free=True, gaps=False),
       domain="data: all reals (samples without ties or empty segments)", bugs=(NESTED[("min", True)],), points=[
        point("tie in a segment: [2 -5 -5 1], ids [1 0 0 1]", [[2.0, -5.0, -5.0, 1.0], ids(1, 0, 0, 1), 2],
              [[0.0, 0.5, 0.5, 1.0]], f"the two tied minima of segment 0 share its gradient: {SEGMENT_TIES}",
              second=hvp([np.zeros(4)], TIES_HVP, v=[[1.0, 1.0, -1.0, 1.0]], exists=False)),
        point("empty segments and a negative id: [1 3 3 2], ids [2 2 0 -1], num_segments=4",
              [[1.0, 3.0, 3.0, 2.0], ids(2, 2, 0, -1), 4], [[1.0, 0.0, 1.0, 0.0]],
              "segments 1 and 3 are empty (output the highest float, a constant) and must feed no input; x3 is dropped",
              bug=empty_segment_forward("tf.math.unsorted_segment_min", "[2, 2, 0, -1]", ", 4", "[1, 0, 1, 0]",
                                        "[1 nan 1 nan]"), second=hvp([np.zeros(4)], "unique minima: locally linear, H = 0")),
        *empty_unsorted_points("the segment min", "highest float", EVERY_ID_NEGATIVE_FORWARD["min"]),
    ]),
    op("tf.math.unsorted_segment_prod", tf.math.unsorted_segment_prod,
       unsorted_samples("tf.math.unsorted_segment_prod", domain=AWAY_FROM_ZERO), domain="data: all reals",
       bugs=(NESTED[("prod", True)],), gates=(NESTED_FORWARD_PROD_ORDER_DEPENDENT,), points=[
        point("one zero in a segment, segment 2 empty: [2 0 3 4], ids [0 0 0 1], num_segments=3",
              [[2.0, 0.0, 3.0, 4.0], ids(0, 0, 0, 1), 3], [[0.0, 6.0, 0.0, 1.0]],
              "only the zero's slot gets the product of the others (2·3); the empty product 1 is a constant",
              second=hvp([multilinear_hvp([2.0, 0.0, 3.0, 4.0], [[0, 1, 2], [3]])], SEGMENT_PROD_HVP,
                         bug=UNSORTED_PROD_ONE_ZERO),
              third=hvp([multilinear_third([2.0, 0.0, 3.0, 4.0], [[0, 1, 2], [3]])], SEGMENT_PROD_THIRD,
                        bug=UNSORTED_PROD_ONE_ZERO)),
        point("two zeros in a segment: [0 5 0 4], ids [1 0 1 0]", [[0.0, 5.0, 0.0, 4.0], ids(1, 0, 1, 0), 2],
              [[0.0, 4.0, 0.0, 5.0]], "segment 1 = 0·0 has zero gradient; segment 0 = 5·4 gives [4, 5]",
              second=hvp([multilinear_hvp([0.0, 5.0, 0.0, 4.0], [[1, 3], [0, 2]])],
                         "each segment is a product of two, H = [[0, 1], [1, 0]] per segment: H·1 = 1 everywhere, the "
                         "zeros included (∂²(x₀x₂)/∂x₀∂x₂ = 1)", bug=UNSORTED_PROD_TWO_ZEROS),
              third=hvp([np.zeros(4)], "products of two factors: the Hessian is constant, third derivative 0",
                        bug=UNSORTED_PROD_TWO_ZEROS)),
        point("negative id: [2 3 7], ids [0 -1 0]", [[2.0, 3.0, 7.0], ids(0, -1, 0), 1], [[7.0, 0.0, 2.0]],
              "x1 is dropped; segment 0 = 2·7", second=hvp([multilinear_hvp([2.0, 3.0, 7.0], [[0, 2]])],
                                                           "segment 0 = x0·x2: H·1 = [1, 0, 1]")),
        *empty_unsorted_points("the segment product", "1 (the empty product)"),
    ]),
    *[zero_segments_record(f"tf.math.unsorted_segment_{kind}", getattr(tf.math, f"unsorted_segment_{kind}"),
                           ZERO_SEGMENTS_BUGS[kind], f"the segment {kind}",
                           unsorted_samples(f"tf.math.unsorted_segment_{kind}(num_segments=0)", gaps=False,
                                            ties_free=kind in ("max", "min"),
                                            domain=AWAY_FROM_ZERO if kind == "prod" else Domain(-2.0, 2.0, "all reals"))[:1])
      for kind in ("sum", "mean", "sqrt_n", "max", "min", "prod")],
    op("tf.sparse.segment_sum", tf.sparse.segment_sum, sparse_samples("tf.sparse.segment_sum"), second_order_sample=0,
       domain="data: all reals; segment_ids sorted", bugs=(SPARSE_SEGMENT_FORWARD["sum"],), skips=no_xla("SparseSegmentSum"), points=[
        point("duplicate indices: [1 1 1] into one segment", [[0.5, -1.0, 2.0], ids(1, 1, 1), ids(0, 0, 0)],
              [[0.0, 3.0, 0.0]], "row 1 is summed three times (derivative 3); rows 0 and 2 are not selected",
              bug=SPARSE_SEGMENT_FORWARD_POINTS["sum"], second=hvp([np.zeros(3)], LINEAR)),
        point("duplicates across segments, num_segments=3: indices [2 0 2], ids [0 0 2]",
              [[0.5, -1.0, 2.0], ids(2, 0, 2), ids(0, 0, 2)], [[1.0, 0.0, 2.0]],
              "row 2 enters segments 0 and 2 once each; segment 1 is empty (0)", num_segments=3,
              bug=SPARSE_SEGMENT_FORWARD_POINTS["sum"], second=hvp([np.zeros(3)], LINEAR)),
        *empty_sparse_points("sum"),
    ]),
    op("tf.sparse.segment_sum(empty indices)", tf.sparse.segment_sum, sparse_samples("tf.sparse.segment_sum(empty indices)")[:1],
       domain="data: all reals; no row selected", bugs=(SPARSE_SEGMENT_FORWARD["sum"],), skips={
           **no_xla("SparseSegmentSum"),
           "function": "the gradient with nothing selected is memory never written, zero in about half of the traced "
                       "calls: one traced call cannot tell (the eager case computes it 30 times)",
           "special_forward": "360 one-hot tangents on 40x9 data for a gradient that is memory never written: the eager "
                              "reverse-mode case computes it 30 times"}, points=[
        point("40x9 data, empty indices, num_segments=3", [np.ones((40, 9)), np.zeros([0], np.int32), np.zeros([0], np.int32)],
              [np.zeros((40, 9))], "no row is selected, so the output (3 rows of zeros) does not depend on data", num_segments=3,
              bug=SPARSE_SEGMENT_EMPTY_INDICES, repeat=30,
              second=hvp([np.zeros((40, 9))], LINEAR, bug=SPARSE_SEGMENT_FORWARD_POINTS["sum"])),
    ]),
    op("tf.sparse.segment_mean", tf.sparse.segment_mean, sparse_samples("tf.sparse.segment_mean"), second_order_sample=0,
       domain="data: all reals; segment_ids sorted", bugs=(SPARSE_SEGMENT_FORWARD["mean"],), skips=no_xla("SparseSegmentMean"), points=[
        point("duplicate indices: [1 1 0] into one segment", [[0.5, -1.0, 2.0], ids(1, 1, 0), ids(0, 0, 0)],
              [[1 / 3, 2 / 3, 0.0]], "the mean of (x1, x1, x0): row 1 counts twice (2/3), row 0 once (1/3)",
              bug=SPARSE_SEGMENT_FORWARD_POINTS["mean"], second=hvp([np.zeros(3)], LINEAR)),
        point("empty segment, num_segments=3: indices [0 2], ids [0 2]", [[0.5, -1.0, 2.0], ids(0, 2), ids(0, 2)],
              [[1.0, 0.0, 1.0]], "segments of size 1 pass their row through; segment 1 is empty (0)", num_segments=3,
              bug=SPARSE_SEGMENT_FORWARD_POINTS["mean"], second=hvp([np.zeros(3)], LINEAR)),
        *empty_sparse_points("mean"),
    ]),
    op("tf.sparse.segment_sqrt_n", tf.sparse.segment_sqrt_n, sparse_samples("tf.sparse.segment_sqrt_n"), second_order_sample=0,
       domain="data: all reals; segment_ids sorted", bugs=(SPARSE_SEGMENT_FORWARD["sqrt_n"],), skips=no_xla("SparseSegmentSqrtN"), points=[
        point("duplicate indices: [1 1 0] into one segment", [[0.5, -1.0, 2.0], ids(1, 1, 0), ids(0, 0, 0)],
              [[1 / np.sqrt(3), 2 / np.sqrt(3), 0.0]], "(x1 + x1 + x0)/√3: row 1 gets 2/√3, row 0 1/√3",
              bug=SPARSE_SEGMENT_FORWARD_POINTS["sqrt_n"], second=hvp([np.zeros(3)], LINEAR)),
        point("empty segment, num_segments=4: indices [2 0 0], ids [0 0 3]", [[0.5, -1.0, 2.0], ids(2, 0, 0), ids(0, 0, 3)],
              [[1 / np.sqrt(2) + 1.0, 0.0, 1 / np.sqrt(2)]],
              "segment 0 = (x2 + x0)/√2, segment 3 = x0/√1, segments 1 and 2 empty (0): x0 gets 1/√2 + 1", num_segments=4,
              bug=SPARSE_SEGMENT_FORWARD_POINTS["sqrt_n"], second=hvp([np.zeros(3)], LINEAR)),
        *empty_sparse_points("sqrt_n"),
    ]),
    op("tf.math.bincount", _bincount, [
        Sample((_one("tf.math.bincount", (2, 3), salt="c"), np.array([[0, 1, 1], [2, 0, 2]], np.int32)),
               dict(axis=-1, minlength=4), label="2x3, axis=-1, minlength=4"),
        Sample((_one("tf.math.bincount", (6,)), ids(0, 2, 2, 5, 1, 0)), label="weights 6, arr [0 2 2 5 1 0]"),
        Sample((_one("tf.math.bincount", (5,), salt="b"), ids(0, 4, 1, 3, 1)), dict(maxlength=3),
               label="arr [0 4 1 3 1], maxlength=3 (values 3 and 4 dropped)"),
    ], domain="weights: all reals (arr: non-negative ints)", bugs=(BINCOUNT_NO_GRADIENT,), second_order_sample=0, points=[
        point("values beyond maxlength: arr [0 4 1], maxlength=2", [[1.5, -2.0, 0.5], ids(0, 4, 1)], [[1.0, 0.0, 1.0]],
              "output[k] = Σ_{arr_i = k} w_i for k < maxlength: the weight of 4 enters nothing", maxlength=2,
              second=hvp([np.zeros(3)], "linear in the weights: H = 0")),
        point("minlength beyond the values: arr [0 1], minlength=4", [[1.5, -2.0], ids(0, 1)], [[1.0, 1.0]],
              "bins 2 and 3 are empty constants 0; each weight enters one bin", minlength=4,
              second=hvp([np.zeros(2)], "linear in the weights: H = 0")),
    ]),
    op("tf.nn.embedding_lookup_sparse", _embedding_lookup_sparse, lookup_samples("tf.nn.embedding_lookup_sparse"), second_order_sample=0,
       diff=(0, 1), domain="params: all reals; weights > 0 (sum of a row's weights > 0 for 'mean'); the docstring "
              "assumes one id per row, the samples' empty row 1 and the points without ids are outside it (TensorFlow "
              "returns 0 there)",
       bugs=(NESTED_FORWARD_LOOKUP, EMBEDDING_SQRTN_EMPTY_ROW_FORWARD), skips=no_xla("SegmentSum"), points=[
        point("duplicate ids, combiner='sum': row 0 = 2·p1 + 0.5·p1, row 2 = 1·p0", [P32, [2.0, 0.5, 1.0]],
              [[[1.0, 1.0], [2.5, 2.5], [0.0, 0.0]], [P32[1].sum(), P32[1].sum(), P32[0].sum()]],
              "∂/∂p_k = total weight of id k; ∂/∂w_j = Σ of the looked-up row; empty row 1 is the constant 0",
              second=hvp([[[1.0, 1.0], [2.0, 2.0], [0.0, 0.0]], [2.0, 2.0, 2.0]], LOOKUP_SUM_HVP),
              **dict(LOOKUP_DUP, combiner="sum")),
        point("duplicate ids, combiner='mean': the weights cancel", [P32, [2.0, 0.5, 1.0]],
              [[[1.0, 1.0], [1.0, 1.0], [0.0, 0.0]], [0.0, 0.0, 0.0]],
              "row 0 = (2·p1 + 0.5·p1)/2.5 = p1 and row 2 = p0 for every positive weight: ∂/∂w = 0, ∂/∂p1 = ∂/∂p0 = 1",
              second=hvp([np.zeros((3, 2)), np.zeros(3)], "Σ output = Σp1 + Σp0 for every positive weight: H = 0"),
              **dict(LOOKUP_DUP, combiner="mean")),
        point("no ids at all, combiner='sum'", [P32, np.zeros((0,))], [np.zeros((3, 2)), np.zeros((0,))],
              "every row is empty (outside the docstring's assumption of one id per row; TensorFlow returns the constant "
              "zeros(3, 2) there): the gradients are zeros and an empty array",
              second=hvp([np.zeros((3, 2)), np.zeros((0,))], "a constant output: H = 0"),
              **dict(NO_LOOKUP, combiner="sum")),
        point("no ids at all, combiner='sqrtn'", [P32, np.zeros((0,))], [np.zeros((3, 2)), np.zeros((0,))],
              "every row is empty: the output is the constant zeros(3, 2), the gradients zeros and an empty array",
              second=hvp([np.zeros((3, 2)), np.zeros((0,))], "a constant output: H = 0"),
              **dict(NO_LOOKUP, combiner="sqrtn")),
    ]),
    op("tf.nn.safe_embedding_lookup_sparse", _safe_embedding_lookup_sparse,
       lookup_samples("tf.nn.safe_embedding_lookup_sparse"), diff=(0, 1), second_order_sample=0,
       domain="params: all reals; weights > 0 (samples); weights ≤ 0 are pruned for 'mean'/'sqrtn'",
       bugs=(SAFE_LOOKUP_FILL_ROWS,), skips=no_xla("SparseFillEmptyRows"), points=[
        point("non-positive weight pruned, combiner='mean': w = [1, -0.5, 2]", [P32, [1.0, -0.5, 2.0]],
              [[[1.0, 1.0], [1.0, 1.0], [0.0, 0.0]], [0.0, 0.0, 0.0]],
              "the id with weight -0.5 is pruned (documented): row 0 = (1·p1)/1 = p1, row 2 = p0, constant in every weight",
              bug=SAFE_LOOKUP_FILL_ROWS_POINTS, second=hvp([np.zeros((3, 2)), np.zeros(3)],
                                                          "Σ output = Σp1 + Σp0 near these weights: H = 0"),
              **dict(LOOKUP_DUP, combiner="mean")),
        point("empty row filled with default_id=2, combiner='sum'", [P32, [2.0, 0.5, 1.0]],
              [[[1.0, 1.0], [2.5, 2.5], [1.0, 1.0]], [P32[1].sum(), P32[1].sum(), P32[0].sum()]],
              "row 1 has no ids and returns p2 (documented default_id): ∂/∂p2 = 1; the rest as for the plain sum",
              bug=SAFE_LOOKUP_FILL_ROWS_POINTS, second=hvp([[[1.0, 1.0], [2.0, 2.0], [0.0, 0.0]], [2.0, 2.0, 2.0]],
                                                          LOOKUP_SUM_HVP + "; the default row p2 is linear"),
              **dict(LOOKUP_DUP, combiner="sum", default_id=2)),
        point("no ids at all, default_id=2, combiner='mean'", [P32, np.zeros((0,))], [[[0.0, 0.0], [0.0, 0.0], [3.0, 3.0]],
              np.zeros((0,))], "every row is empty and returns p2 (documented default_id): ∂/∂p2 = 3 per column",
              bug=SAFE_LOOKUP_FILL_ROWS_POINTS, second=hvp([np.zeros((3, 2)), np.zeros((0,))], "Σ output = 3·Σp2: H = 0"),
              **dict(NO_LOOKUP, combiner="mean", default_id=2)),
        point("no ids at all, no default_id, combiner='sum'", [P32, np.zeros((0,))], [np.zeros((3, 2)), np.zeros((0,))],
              "every row is empty and returns zeros (documented without default_id): the output is constant",
              bug=SAFE_LOOKUP_FILL_ROWS_POINTS, second=hvp([np.zeros((3, 2)), np.zeros((0,))], "a constant output: H = 0"),
              **dict(NO_LOOKUP, combiner="sum")),
    ]),
]

# forward over forward raises at the special points as on the samples (NESTED_FORWARD), wherever there is data
_NESTED_AT_POINTS = {f"tf.math.{'unsorted_' if unsorted else ''}segment_{kind}": nested_at_points(bug)
                     for (kind, unsorted), bug in NESTED.items()}
_NESTED_AT_POINTS["tf.nn.embedding_lookup_sparse"] = NESTED_LOOKUP_AT_POINTS
OPS = [with_nested_forward_at_points(entry, _NESTED_AT_POINTS[entry.name]) if entry.name in _NESTED_AT_POINTS else entry
       for entry in OPS]
