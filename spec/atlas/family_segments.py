"""Segment reductions: tf.math.segment_* and unsorted_segment_*, tf.sparse.segment_*, bincount, sparse embeddings.

All are differentiated with respect to `data` (and, for the embedding lookups, the weights); segment ids,
indices and sizes are numpy int arrays. Samples keep every segment non-empty where an empty segment's
output is not 0 (unsorted max/min give the dtype's lowest/highest value there) and away from ties and
zeros; special points are the structural corners: empty segments (ids with gaps, num_segments beyond the
largest id — no input may get gradient from them), negative ids (dropped by the unsorted ops), ties inside
a segment (TensorFlow's documented equal split), zeros inside products, duplicate indices.
"""

import numpy as np
import tensorflow as tf

from spec.atlas.records import Domain, KnownBug, Sample, distinct, draw, op, point, since

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
    """Indices with a duplicate (row 2 twice) and an unused row (3); num_segments beyond the ids."""
    return [
        Sample((_one(name, (5, 2), salt="a"), ids(0, 2, 2, 4, 1), ids(0, 0, 1, 1, 2)),
               label="5x2, indices [0 2 2 4 1], ids [0 0 1 1 2]"),
        Sample((_one(name, (4,), salt="b"), ids(3, 0, 3), ids(0, 2, 2)), dict(num_segments=4),
               label="4, indices [3 0 3], ids [0 2 2], num_segments=4 (segments 1 and 3 empty)"),
    ]



BINCOUNT_NO_GRADIENT = KnownBug(
    "tf.math.bincount with float weights runs DenseBincount, which has no gradient registered (LookupError), although "
    "the output is linear in the weights (the docstring itself equates it with unsorted_segment_sum)",
    "unreported",
    "w = tf.constant([1.0, 2.0, 3.0], tf.float64)\nwith tf.GradientTape() as t:\n    t.watch(w)\n"
    "    y = tf.math.bincount(tf.constant([0, 2, 2]), weights=w)\n"
    "print(t.gradient(y, w))  # expected [1, 1, 1], got LookupError: gradient registry has no entry for: DenseBincount",
    checks=ALL_CHECKS)


EMBEDDING_SQRTN_EMPTY_ROW_FORWARD = KnownBug(
    "forward mode through embedding_lookup_sparse(combiner='sqrtn') with a tangent on the weights gives NaN for a "
    "row with no ids, whose output is the constant 0 (tangent 0): the empty row's weight norm is 0 and 0/0 leaks",
    "unreported",
    "p = tf.constant([[1.0, 2.0], [3.0, 4.0]], tf.float64)\nw = tf.constant([1.0, 2.0], tf.float64)\n"
    "with tf.autodiff.ForwardAccumulator(w, tf.ones_like(w)) as acc:\n"
    "    ids = tf.sparse.SparseTensor([[0, 0], [2, 0]], tf.constant([1, 0], tf.int64), [3, 1])\n"
    "    y = tf.nn.embedding_lookup_sparse(p, ids, tf.sparse.SparseTensor([[0, 0], [2, 0]], w, [3, 1]), combiner='sqrtn')\n"
    "print(tf.convert_to_tensor(acc.jvp(y)))  # row 1 is [nan, nan], expected [0, 0]",
    checks=("forward",), modes=("eager",))

NESTED_FORWARD = KnownBug(
    "forward over forward through a segment op raises: the inner ForwardAccumulator transposes a backward function "
    "built on gather, whose gradient is an IndexedSlices, and the outer accumulator cannot pack it (AttributeError: "
    "'IndexedSlices' object has no attribute '_id'; a SystemError for segment_prod and unsorted_segment_prod)",
    "unreported",
    "x = tf.constant([0.5, -1.0, 2.0], tf.float64)\nids = tf.constant([0, 0, 1])\n"
    "with tf.autodiff.ForwardAccumulator(x, tf.ones_like(x)) as outer:\n"
    "    with tf.autodiff.ForwardAccumulator(x, tf.ones_like(x)) as inner:\n"
    "        y = tf.reduce_sum(tf.math.segment_sum(x, ids) ** 2)\n    jvp = inner.jvp(y)\n"
    "print(outer.jvp(jvp))  # expected 2·Σ_s (Σ_{i∈s} 1)² = 10, got AttributeError: 'IndexedSlices' object has no attribute '_id'",
    checks=("forward_over_forward",))

NESTED_FORWARD_PROD_ORDER_DEPENDENT = since(
    "2.17", "on TensorFlow 2.16 forward over forward through unsorted_segment_prod depends on what ran before in the "
    "process: alone it raises SystemError (NESTED_FORWARD, as on every later release), after the rest of the atlas's "
    "slow tier it returns the right value, so neither a pass nor the known bug holds there; from 2.17 it raises (seen "
    "alone on 2.17 and in the full slow tier of 2.20 and 2.21)",
    checks=("forward_over_forward",))

def sparse_segment_forward(public: str, grad_op: str, expected: str) -> KnownBug:
    """Forward mode through tf.sparse.segment_*: its backward op `grad_op` has no gradient registered."""
    return KnownBug(
        f"forward mode through {public} raises LookupError: ForwardAccumulator differentiates the backward "
        f"function, and its op {grad_op} has no gradient registered (although it is linear); reverse mode is right",
        "unreported",
        "data = tf.constant([0.5, -1.0, 2.0], tf.float64)\n"
        "with tf.autodiff.ForwardAccumulator(data, tf.ones_like(data)) as acc:\n"
        f"    y = {public}(data, [1, 1, 0], [0, 0, 0])\n"
        f"print(acc.jvp(y))  # expected {expected}, got LookupError: gradient registry has no entry for: {grad_op}",
        checks=("forward", "special_forward", "forward_over_reverse", "reverse_over_forward", "forward_over_forward"))


SAFE_LOOKUP_FILL_ROWS = KnownBug(
    "tf.nn.safe_embedding_lookup_sparse runs sparse_fill_empty_rows on the weights; the gradient of its backward op "
    "SparseFillEmptyRowsGrad is not registered, so every forward-mode and second-order derivative raises LookupError "
    "(first-order reverse mode is right)",
    "unreported",
    "params = tf.constant([[0.5, -1.0], [2.0, 0.25]], tf.float64)\nw = tf.constant([1.0, 2.0], tf.float64)\n"
    "ids = tf.SparseTensor([[0, 0], [2, 0]], tf.constant([1, 0], tf.int64), [3, 1])\n"
    "with tf.autodiff.ForwardAccumulator(w, tf.ones_like(w)) as acc:\n"
    "    y = tf.nn.safe_embedding_lookup_sparse(params, ids, tf.SparseTensor(ids.indices, w, ids.dense_shape), combiner='sum')\n"
    "print(acc.jvp(y))  # expected [[2, 0.25], [0, 0], [0.5, -1]], got LookupError: ... SparseFillEmptyRowsGrad",
    checks=("forward", "special_forward", "reverse_over_reverse", "forward_over_reverse", "reverse_over_forward",
            "forward_over_forward"))

EMPTY_SEGMENT_FORWARD_MEAN = KnownBug(
    "forward mode of segment_mean is NaN when a segment is empty: the backward function divides the upstream gradient "
    "by the segment sizes (0 for the empty segment) before gathering, and transposing it gives inf·0 = NaN",
    "https://github.com/tensorflow/tensorflow/issues/127233",
    "x = tf.constant([1.0, -2.0, 0.5, 3.0], tf.float64)\n"
    "with tf.autodiff.ForwardAccumulator(x, tf.ones_like(x)) as acc:\n"
    "    y = tf.math.segment_mean(x, tf.constant([0, 0, 0, 2]))\n"
    "print(acc.jvp(y))  # expected [1, 0, 1], got [1 nan 1]",
    checks=("special_forward",))


def empty_segment_forward(op_name: str, ids_text: str, num_segments: str, expected: str, got: str) -> KnownBug:
    return KnownBug(
        f"forward mode of {op_name} is NaN when a segment is empty: the backward function divides the upstream "
        "gradient by the number of selected elements per segment (0 for an empty one) and transposing it gives "
        "inf·0 = NaN", "unreported",
        "x = tf.constant([1.0, 3.0, 2.0, 5.0], tf.float64)\n"
        "with tf.autodiff.ForwardAccumulator(x, tf.ones_like(x)) as acc:\n"
        f"    y = {op_name}(x, tf.constant({ids_text}){num_segments})\n"
        f"print(acc.jvp(y))  # expected {expected} (tangent 0 for an empty segment), got {got}",
        checks=("special_forward",))


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
        Sample((params[0], weights[0]), dict(LOOKUP, combiner="sum"), "params 4x2, 3 ids over rows 0 and 2, combiner='sum'"),
        Sample((params[1], weights[1]), dict(LOOKUP, combiner="mean"), "combiner='mean'"),
        Sample((params[2], weights[2]), dict(LOOKUP, combiner="sqrtn"), "combiner='sqrtn'"),
    ]


P32 = np.array([[0.5, -1.0], [2.0, 0.25], [-1.5, 3.0]])  # params for the points: rows p0, p1, p2

OPS = [
    op("tf.math.segment_sum", tf.math.segment_sum, sorted_samples("tf.math.segment_sum"),
       domain="data: all reals; segment_ids sorted", bugs=(NESTED_FORWARD,),
       skips=no_xla("SegmentSum"), points=[
        point("empty segment: ids [0 0 2 2]", [[1.0, -2.0, 0.5, 3.0], ids(0, 0, 2, 2)], [[1.0] * 4],
              "output 1 is the empty sum 0 (a constant); every input enters exactly one segment sum once"),
        point("first id 2: ids [2 2 3]", [[1.0, -2.0, 0.5], ids(2, 2, 3)], [[1.0] * 3],
              "segments 0 and 1 are empty constants 0; each input enters one sum"),
    ]),
    op("tf.math.segment_mean", tf.math.segment_mean, sorted_samples("tf.math.segment_mean"),
       domain="data: all reals; segment_ids sorted", bugs=(NESTED_FORWARD,), skips=no_xla("SegmentMean"), points=[
        point("empty segment: ids [0 0 0 2]", [[1.0, -2.0, 0.5, 3.0], ids(0, 0, 0, 2)], [[1 / 3] * 3 + [1.0]],
              "a member of a segment of size k gets 1/k; the empty segment 1 outputs the constant 0",
              bug=EMPTY_SEGMENT_FORWARD_MEAN),
    ]),
    op("tf.math.segment_max", tf.math.segment_max, sorted_samples("tf.math.segment_max", ties_free=True),
       domain="data: all reals (samples without ties); segment_ids sorted", bugs=(NESTED_FORWARD,), skips=no_xla("SegmentMax"), points=[
        point("tie in a segment: [1 3 3 2], ids [0 0 0 1]", [[1.0, 3.0, 3.0, 2.0], ids(0, 0, 0, 1)],
              [[0.0, 0.5, 0.5, 1.0]], f"the two tied maxima of segment 0 share its gradient: {SEGMENT_TIES}"),
        point("all equal in a segment: [2 2 2], ids [0 0 0]", [[2.0, 2.0, 2.0], ids(0, 0, 0)], [[1 / 3] * 3],
              f"three tied maxima get 1/3 each: {SEGMENT_TIES}"),
        point("empty segment: [1 3 2 5], ids [0 0 2 2]", [[1.0, 3.0, 2.0, 5.0], ids(0, 0, 2, 2)], [[0.0, 1.0, 0.0, 1.0]],
              "each segment's unique maximum gets 1; the empty segment 1 outputs the constant 0 (documented) and feeds no input",
              bug=empty_segment_forward("tf.math.segment_max", "[0, 0, 2, 2]", "", "[1, 0, 1]", "[1 nan 1]")),
    ]),
    op("tf.math.segment_min", tf.math.segment_min, sorted_samples("tf.math.segment_min", ties_free=True),
       domain="data: all reals (samples without ties); segment_ids sorted", bugs=(NESTED_FORWARD,), skips=no_xla("SegmentMin"), points=[
        point("tie in a segment: [3 1 1 2], ids [0 0 0 1]", [[3.0, 1.0, 1.0, 2.0], ids(0, 0, 0, 1)],
              [[0.0, 0.5, 0.5, 1.0]], f"the two tied minima of segment 0 share its gradient: {SEGMENT_TIES}"),
        point("empty segment: [1 3 2 5], ids [0 0 2 2]", [[1.0, 3.0, 2.0, 5.0], ids(0, 0, 2, 2)], [[1.0, 0.0, 1.0, 0.0]],
              "each segment's unique minimum gets 1; the empty segment 1 outputs the constant 0 and feeds no input",
              bug=empty_segment_forward("tf.math.segment_min", "[0, 0, 2, 2]", "", "[1, 0, 1]", "[1 nan 1]")),
    ]),
    op("tf.math.segment_prod", tf.math.segment_prod, sorted_samples("tf.math.segment_prod", domain=AWAY_FROM_ZERO),
       domain="data: all reals; segment_ids sorted", bugs=(NESTED_FORWARD,), skips=no_xla("SegmentProd"), points=[
        point("one zero in a segment: [2 0 3 4], ids [0 0 0 1]", [[2.0, 0.0, 3.0, 4.0], ids(0, 0, 0, 1)],
              [[0.0, 6.0, 0.0, 1.0]], "∂/∂x_i of a segment product is the product of the others: only the zero's slot (2·3) is nonzero"),
        point("two zeros in a segment: [0 2 0 4], ids [0 0 0 1]", [[0.0, 2.0, 0.0, 4.0], ids(0, 0, 0, 1)],
              [[0.0, 0.0, 0.0, 1.0]], "with two zeros every product of the others contains a zero"),
        point("empty segment: [2 3 5], ids [0 0 2]", [[2.0, 3.0, 5.0], ids(0, 0, 2)], [[3.0, 2.0, 1.0]],
              "segment 1 is the empty product 1 (a constant); x0·x1 gives [3, 2], x2 alone gives 1"),
    ]),
    op("tf.math.unsorted_segment_sum", tf.math.unsorted_segment_sum, unsorted_samples("tf.math.unsorted_segment_sum"),
       domain="data: all reals", bugs=(NESTED_FORWARD,), points=[
        point("negative id drops its row: ids [0 -1 1 1]", [[1.0, -2.0, 0.5, 3.0], ids(0, -1, 1, 1), 2],
              [[1.0, 0.0, 1.0, 1.0]], "an input with a negative id enters no output (documented): derivative 0"),
        point("num_segments beyond the ids: ids [0 0 1], num_segments=4", [[1.0, -2.0, 0.5], ids(0, 0, 1), 4],
              [[1.0] * 3], "segments 2 and 3 are empty constants 0; each input enters one sum"),
    ]),
    op("tf.math.unsorted_segment_mean", tf.math.unsorted_segment_mean, unsorted_samples("tf.math.unsorted_segment_mean"),
       domain="data: all reals", bugs=(NESTED_FORWARD,), points=[
        point("negative id and an empty segment: ids [1 -1 1 1], num_segments=3",
              [[1.0, -2.0, 0.5, 3.0], ids(1, -1, 1, 1), 3], [[1 / 3, 0.0, 1 / 3, 1 / 3]],
              "the three members of segment 1 get 1/3; the dropped row and the empty segments 0 and 2 contribute nothing"),
    ]),
    op("tf.math.unsorted_segment_sqrt_n", tf.math.unsorted_segment_sqrt_n,
       unsorted_samples("tf.math.unsorted_segment_sqrt_n"), domain="data: all reals", bugs=(NESTED_FORWARD,), points=[
        point("negative id and an empty segment: ids [1 -1 1 0], num_segments=3",
              [[1.0, -2.0, 0.5, 3.0], ids(1, -1, 1, 0), 3], [[1 / np.sqrt(2), 0.0, 1 / np.sqrt(2), 1.0]],
              "output_s = Σ/√k_s: members of segment 1 (k = 2) get 1/√2, segment 0 (k = 1) gets 1; the dropped row 0"),
    ]),
    op("tf.math.unsorted_segment_max", tf.math.unsorted_segment_max,
       unsorted_samples("tf.math.unsorted_segment_max", ties_free=True, gaps=False),
       domain="data: all reals (samples without ties or empty segments)", bugs=(NESTED_FORWARD,), points=[
        point("ties in two segments: [2 5 2 1 5], ids [1 0 1 1 0]", [[2.0, 5.0, 2.0, 1.0, 5.0], ids(1, 0, 1, 1, 0), 2],
              [[0.5, 0.5, 0.5, 0.0, 0.5]], f"each segment's two tied maxima share its gradient: {SEGMENT_TIES}"),
        point("empty segments and a negative id: [1 3 3 2], ids [2 2 0 -1], num_segments=4",
              [[1.0, 3.0, 3.0, 2.0], ids(2, 2, 0, -1), 4], [[0.0, 1.0, 1.0, 0.0]],
              "segments 1 and 3 are empty (output the lowest float, a constant) and must feed no input; x3 is dropped",
              bug=empty_segment_forward("tf.math.unsorted_segment_max", "[2, 2, 0, -1]", ", 4", "[1, 0, 1, 0]",
                                        "[1 nan 1 nan]")),
    ]),
    op("tf.math.unsorted_segment_min", tf.math.unsorted_segment_min,
       unsorted_samples("tf.math.unsorted_segment_min", ties_free=True, gaps=False),
       domain="data: all reals (samples without ties or empty segments)", bugs=(NESTED_FORWARD,), points=[
        point("tie in a segment: [2 -5 -5 1], ids [1 0 0 1]", [[2.0, -5.0, -5.0, 1.0], ids(1, 0, 0, 1), 2],
              [[0.0, 0.5, 0.5, 1.0]], f"the two tied minima of segment 0 share its gradient: {SEGMENT_TIES}"),
        point("empty segments and a negative id: [1 3 3 2], ids [2 2 0 -1], num_segments=4",
              [[1.0, 3.0, 3.0, 2.0], ids(2, 2, 0, -1), 4], [[1.0, 0.0, 1.0, 0.0]],
              "segments 1 and 3 are empty (output the highest float, a constant) and must feed no input; x3 is dropped",
              bug=empty_segment_forward("tf.math.unsorted_segment_min", "[2, 2, 0, -1]", ", 4", "[1, 0, 1, 0]",
                                        "[1 nan 1 nan]")),
    ]),
    op("tf.math.unsorted_segment_prod", tf.math.unsorted_segment_prod,
       unsorted_samples("tf.math.unsorted_segment_prod", domain=AWAY_FROM_ZERO), domain="data: all reals",
       bugs=(NESTED_FORWARD,), gates=(NESTED_FORWARD_PROD_ORDER_DEPENDENT,), points=[
        point("one zero in a segment, segment 2 empty: [2 0 3 4], ids [0 0 0 1], num_segments=3",
              [[2.0, 0.0, 3.0, 4.0], ids(0, 0, 0, 1), 3], [[0.0, 6.0, 0.0, 1.0]],
              "only the zero's slot gets the product of the others (2·3); the empty product 1 is a constant"),
        point("two zeros in a segment: [0 5 0 4], ids [1 0 1 0]", [[0.0, 5.0, 0.0, 4.0], ids(1, 0, 1, 0), 2],
              [[0.0, 4.0, 0.0, 5.0]], "segment 1 = 0·0 has zero gradient; segment 0 = 5·4 gives [4, 5]"),
        point("negative id: [2 3 7], ids [0 -1 0]", [[2.0, 3.0, 7.0], ids(0, -1, 0), 1], [[7.0, 0.0, 2.0]],
              "x1 is dropped; segment 0 = 2·7"),
    ]),
    op("tf.sparse.segment_sum", tf.sparse.segment_sum, sparse_samples("tf.sparse.segment_sum"),
       domain="data: all reals; segment_ids sorted", bugs=(sparse_segment_forward("tf.sparse.segment_sum", "SparseSegmentSumGrad", "[3.]"),), skips=no_xla("SparseSegmentSum"), points=[
        point("duplicate indices: [1 1 1] into one segment", [[0.5, -1.0, 2.0], ids(1, 1, 1), ids(0, 0, 0)],
              [[0.0, 3.0, 0.0]], "row 1 is summed three times (derivative 3); rows 0 and 2 are not selected"),
        point("duplicates across segments, num_segments=3: indices [2 0 2], ids [0 0 2]",
              [[0.5, -1.0, 2.0], ids(2, 0, 2), ids(0, 0, 2)], [[1.0, 0.0, 2.0]],
              "row 2 enters segments 0 and 2 once each; segment 1 is empty (0)", num_segments=3),
    ]),
    op("tf.sparse.segment_mean", tf.sparse.segment_mean, sparse_samples("tf.sparse.segment_mean"),
       domain="data: all reals; segment_ids sorted", bugs=(sparse_segment_forward("tf.sparse.segment_mean", "SparseSegmentMeanGrad", "[1.]"),), skips=no_xla("SparseSegmentMean"), points=[
        point("duplicate indices: [1 1 0] into one segment", [[0.5, -1.0, 2.0], ids(1, 1, 0), ids(0, 0, 0)],
              [[1 / 3, 2 / 3, 0.0]], "the mean of (x1, x1, x0): row 1 counts twice (2/3), row 0 once (1/3)"),
        point("empty segment, num_segments=3: indices [0 2], ids [0 2]", [[0.5, -1.0, 2.0], ids(0, 2), ids(0, 2)],
              [[1.0, 0.0, 1.0]], "segments of size 1 pass their row through; segment 1 is empty (0)", num_segments=3),
    ]),
    op("tf.sparse.segment_sqrt_n", tf.sparse.segment_sqrt_n, sparse_samples("tf.sparse.segment_sqrt_n"),
       domain="data: all reals; segment_ids sorted", bugs=(sparse_segment_forward("tf.sparse.segment_sqrt_n", "SparseSegmentSqrtNGrad", "[1.7320508]"),), skips=no_xla("SparseSegmentSqrtN"), points=[
        point("duplicate indices: [1 1 0] into one segment", [[0.5, -1.0, 2.0], ids(1, 1, 0), ids(0, 0, 0)],
              [[1 / np.sqrt(3), 2 / np.sqrt(3), 0.0]], "(x1 + x1 + x0)/√3: row 1 gets 2/√3, row 0 1/√3"),
    ]),
    op("tf.math.bincount", _bincount, [
        Sample((_one("tf.math.bincount", (6,)), ids(0, 2, 2, 5, 1, 0)), label="weights 6, arr [0 2 2 5 1 0]"),
        Sample((_one("tf.math.bincount", (5,), salt="b"), ids(0, 4, 1, 3, 1)), dict(maxlength=3),
               label="arr [0 4 1 3 1], maxlength=3 (values 3 and 4 dropped)"),
        Sample((_one("tf.math.bincount", (2, 3), salt="c"), np.array([[0, 1, 1], [2, 0, 2]], np.int32)),
               dict(axis=-1, minlength=4), label="2x3, axis=-1, minlength=4"),
    ], domain="weights: all reals (arr: non-negative ints)", bugs=(BINCOUNT_NO_GRADIENT,), points=[
        point("values beyond maxlength: arr [0 4 1], maxlength=2", [[1.5, -2.0, 0.5], ids(0, 4, 1)], [[1.0, 0.0, 1.0]],
              "output[k] = Σ_{arr_i = k} w_i for k < maxlength: the weight of 4 enters nothing", maxlength=2),
    ]),
    op("tf.nn.embedding_lookup_sparse", _embedding_lookup_sparse, lookup_samples("tf.nn.embedding_lookup_sparse"),
       diff=(0, 1), domain="params: all reals; weights > 0 (sum of a row's weights > 0 for 'mean')",
       bugs=(NESTED_FORWARD, EMBEDDING_SQRTN_EMPTY_ROW_FORWARD), skips=no_xla("SegmentSum"), points=[
        point("duplicate ids, combiner='sum': row 0 = 2·p1 + 0.5·p1, row 2 = 1·p0", [P32, [2.0, 0.5, 1.0]],
              [[[1.0, 1.0], [2.5, 2.5], [0.0, 0.0]], [P32[1].sum(), P32[1].sum(), P32[0].sum()]],
              "∂/∂p_k = total weight of id k; ∂/∂w_j = Σ of the looked-up row; empty row 1 is the constant 0",
              **dict(LOOKUP_DUP, combiner="sum")),
        point("duplicate ids, combiner='mean': the weights cancel", [P32, [2.0, 0.5, 1.0]],
              [[[1.0, 1.0], [1.0, 1.0], [0.0, 0.0]], [0.0, 0.0, 0.0]],
              "row 0 = (2·p1 + 0.5·p1)/2.5 = p1 and row 2 = p0 for every positive weight: ∂/∂w = 0, ∂/∂p1 = ∂/∂p0 = 1",
              **dict(LOOKUP_DUP, combiner="mean")),
    ]),
    op("tf.nn.safe_embedding_lookup_sparse", _safe_embedding_lookup_sparse,
       lookup_samples("tf.nn.safe_embedding_lookup_sparse"), diff=(0, 1),
       domain="params: all reals; weights > 0 (samples); weights ≤ 0 are pruned for 'mean'/'sqrtn'",
       bugs=(SAFE_LOOKUP_FILL_ROWS,), skips=no_xla("SparseFillEmptyRows"), points=[
        point("non-positive weight pruned, combiner='mean': w = [1, -0.5, 2]", [P32, [1.0, -0.5, 2.0]],
              [[[1.0, 1.0], [1.0, 1.0], [0.0, 0.0]], [0.0, 0.0, 0.0]],
              "the id with weight -0.5 is pruned (documented): row 0 = (1·p1)/1 = p1, row 2 = p0, constant in every weight",
              **dict(LOOKUP_DUP, combiner="mean")),
        point("empty row filled with default_id=2, combiner='sum'", [P32, [2.0, 0.5, 1.0]],
              [[[1.0, 1.0], [2.5, 2.5], [1.0, 1.0]], [P32[1].sum(), P32[1].sum(), P32[0].sum()]],
              "row 1 has no ids and returns p2 (documented default_id): ∂/∂p2 = 1; the rest as for the plain sum",
              **dict(LOOKUP_DUP, combiner="sum", default_id=2)),
    ]),
]
