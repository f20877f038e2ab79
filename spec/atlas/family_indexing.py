"""Indexing: gather, scatter, embedding lookups, sort and top_k, dynamic stitch and partition.

The gradient of a gather is a scatter-add of the cotangent and the gradient of a scatter is a gather, so
duplicate indices are where a wrong rule shows: a gathered entry taken twice must receive both cotangents
(accumulate), an overwritten update must receive none. Ties in sort, top_k and tensor_scatter_nd_max/min
are kinks: any subgradient is right there unless TensorFlow documents a split. Zero-size index lists and
empty partitions must give empty or zero gradients, never an error.
"""
import numpy as np
import tensorflow as tf

from spec.atlas.records import REAL, Domain, KnownBug, Sample, as_f32_exact, between, distinct, draw, op, point

FAMILY = "indexing: gather, scatter, embedding lookup, sort, top_k, dynamic stitch/partition"


def sample(name: str, label: str, *shapes, domain: Domain = REAL, **kwargs) -> Sample:
    """A sample whose differentiable arguments (in order) have `shapes`, drawn from `domain`; the rest as kwargs."""
    return Sample(tuple(draw(name, *shapes, domain=domain, salt=label)), kwargs, label)


def untied(name: str, label: str, *shapes, **kwargs) -> Sample:
    """A sample whose arguments together hold pairwise distinct values at least 0.05 apart (no ties)."""
    sizes = [int(np.prod(s, dtype=int)) for s in shapes]
    values = distinct(name, (sum(sizes),), salt=label)
    parts = np.split(values, np.cumsum(sizes)[:-1])
    return Sample(tuple(p.reshape(s) for p, s in zip(parts, shapes)), kwargs, label)


def idx(*rows):
    return np.array(rows, dtype=np.int64)


def zeros(*shape):
    return np.zeros(shape)


# ------------------------------------------------------------------------------ known bugs

_SCATTER_UPDATE_DUPLICATE_BUG = KnownBug(
    "tensor_scatter_nd_update with duplicate indices: the output holds one update per slot (on CPU the last one, "
    "also under XLA), but the gradient gathers the cotangent into every duplicate, so the overwritten update gets "
    "the winner's gradient too (Σ over duplicates is 2 for one output slot)",
    "https://github.com/tensorflow/tensorflow/issues/56961",
    "t, u = tf.zeros([3]), tf.constant([5.0, 7.0])\nwith tf.GradientTape() as tape:\n    tape.watch(u)\n"
    "    y = tf.tensor_scatter_nd_update(t, [[1], [1]], u)  # [0, 7, 0]: the last update wins\n"
    "print(tape.gradient(tf.reduce_sum(y), u))  # expected [0, 1], got [1, 1]",
)

_STITCH_DUPLICATE_BUG = KnownBug(
    "dynamic_stitch with duplicate indices: the documented result takes the later slice, but the gradient gathers "
    "the cotangent into every data slice with that index, so the overwritten slice gets a gradient too",
    "https://github.com/tensorflow/tensorflow/issues/7397",
    "a, b = tf.constant([1.0, 2.0]), tf.constant([3.0, 4.0])\nwith tf.GradientTape() as t:\n    t.watch(a)\n"
    "    y = tf.dynamic_stitch([[0, 1], [1, 2]], [a, b])  # [1, 3, 4]: b[0] overwrites a[1]\n"
    "print(t.gradient(tf.reduce_sum(y), a))  # expected [1, 0], got [1, 1]",
)


def nested_forward_crash(checks, error: str, reproducer: str) -> KnownBug:
    return KnownBug(
        f"second order through forward mode raises {error}: the inner ForwardAccumulator's tangent is built by a "
        "function whose outputs TFE_Py_PackJVPs cannot pack for the outer accumulator (the derivatives exist: the op "
        "is linear or piecewise linear in its inputs)", "unreported", reproducer, checks=tuple(checks), modes=("eager",))


_GATHER_ND_FORWARD_CRASH = KnownBug(
    "forward mode through tf.gather_nd with indices of shape (n, 1) raises AttributeError: 'IndexedSlices' object has "
    "no attribute '_id': GatherNd's gradient returns IndexedSlices for such indices and the JVP function built from it "
    "cannot be packed (one ForwardAccumulator is enough; the tape gradient is right)",
    "unreported",
    "p = tf.constant([[1.0, 2.0], [3.0, 4.0]])\nwith tf.autodiff.ForwardAccumulator(p, tf.ones_like(p)) as acc:\n"
    "    y = tf.gather_nd(p, [[1], [0]])  # AttributeError: 'IndexedSlices' object has no attribute '_id'\n"
    "print(acc.jvp(y))  # expected [[1, 1], [1, 1]]",
    checks=("forward", "forward_over_reverse", "reverse_over_forward", "forward_over_forward"),
)
_NESTED_SCATTER = ("u = tf.constant([1.0, 2.0])\nwith tf.autodiff.ForwardAccumulator(u, tf.ones_like(u)) as outer:\n"
                   "    with tf.autodiff.ForwardAccumulator(u, tf.ones_like(u)) as acc:\n"
                   "        y = tf.scatter_nd([[1], [3]], u * u, [4])  # AttributeError: 'IndexedSlices' object has no attribute '_id'\n"
                   "print(outer.jvp(acc.jvp(y)))  # expected [0, 2, 0, 2]")
_NESTED_LOOKUP = ("p = tf.constant([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])\n"
                  "with tf.autodiff.ForwardAccumulator(p, tf.ones_like(p)) as outer:\n"
                  "    with tf.autodiff.ForwardAccumulator(p, tf.ones_like(p)) as acc:\n"
                  "        y = tf.nn.embedding_lookup(tf.split(p * p, [2, 1]), [2, 0])  # AttributeError: ... '_id'\n"
                  "print(outer.jvp(acc.jvp(y)))  # expected [[2, 2], [2, 2]] (sharded params go through dynamic_stitch)")
_NESTED_STITCH = ("a = tf.constant([1.0, 2.0])\nwith tf.autodiff.ForwardAccumulator(a, tf.ones_like(a)) as outer:\n"
                  "    with tf.autodiff.ForwardAccumulator(a, tf.ones_like(a)) as acc:\n"
                  "        y = tf.dynamic_stitch([[0, 2], [1]], [a * a, tf.constant([5.0])])  # AttributeError: ... '_id'\n"
                  "print(outer.jvp(acc.jvp(y)))  # expected [2, 0, 2]")
_NESTED_SCATTER_MAX = ("t, u = tf.constant([1.0, 2.0, 3.0]), tf.constant([5.0])\n"
                       "with tf.autodiff.ForwardAccumulator([t, u], [tf.ones(3), tf.ones(1)]) as outer:\n"
                       "    with tf.autodiff.ForwardAccumulator([t, u], [tf.ones(3), tf.ones(1)]) as acc:\n"
                       "        y = tf.reduce_sum(tf.tensor_scatter_nd_max(t, [[1]], u) ** 2)\n"
                       "    j = acc.jvp(y)  # TypeError: 'NoneType' object cannot be interpreted as an integer\n"
                       "print(outer.jvp(j))  # expected 2·(1 + 1 + 1) = 6")

_PARTITION_GRAPPLER_BUG = KnownBug(
    "the tape gradient of dynamic_partition inside tf.function raises InvalidArgumentError \"data[0].shape = [1] does "
    "not start with indices[0].shape = [2]\" (in the gradient's ParallelDynamicStitch) when the partitions' "
    "cotangents come from tensors the function takes as inputs; it runs with grappler's constant_folding turned off, "
    "and eagerly and under XLA (similar symptom, graph mode: tensorflow/tensorflow#16872); the forward case needs the "
    "tape gradient for its adjoint check and fails with it",
    "unreported",
    "x = tf.constant([1.0, 2.0, 3.0, 4.0, 5.0])\nu = [tf.constant([1.0, 2.0]), tf.constant([3.0]), tf.constant([4.0, 5.0])]\n"
    "@tf.function\ndef grad(x, u):\n    with tf.GradientTape() as t:\n        t.watch(x)\n"
    "        parts = tf.dynamic_partition(x, [0, 2, 1, 0, 2], 3)\n"
    "        y = tf.add_n([tf.reduce_sum(ui * p) for ui, p in zip(u, parts)])\n    return t.gradient(y, x)\n"
    "print(grad(x, u))  # expected [1, 4, 3, 2, 5], got InvalidArgumentError: data[0].shape = [1] does not start with "
    "indices[0].shape = [2]",
    checks=("reverse", "forward"), modes=("function",),
)


OPS = [
    # ------------------------------------------------------------------ gather
    op("tf.gather", lambda params, indices, axis=None, batch_dims=0: tf.gather(params, indices, axis=axis, batch_dims=batch_dims), [
        sample("tf.gather", "5x3, indices [4,0,2,0], axis 0", (5, 3), indices=idx(4, 0, 2, 0)),
        sample("tf.gather", "2x5, indices [[1,3],[4,4]], axis 1", (2, 5), indices=idx([1, 3], [4, 4]), axis=1),
        sample("tf.gather", "2x4x2, indices [[0,3],[2,2]], axis 1, batch_dims 1", (2, 4, 2), indices=idx([0, 3], [2, 2]),
               axis=1, batch_dims=1),
    ], points=[
        point("4, indices [1,1,3,1] (duplicates)", [[1.0, 2.0, 3.0, 4.0]], [[0.0, 3.0, 0.0, 1.0]],
              "entry i is gathered count(i) times: the gradient accumulates (scatter-add)", indices=idx(1, 1, 3, 1)),
        point("4, no indices", [[1.0, 2.0, 3.0, 4.0]], [zeros(4)], "an empty gather does not depend on params",
              indices=np.zeros(0, np.int64)),
        point("2x3, indices [[2,2]], axis 1, batch_dims 1", [[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]],
              [[[0.0, 0.0, 2.0], [0.0, 0.0, 2.0]]], "each batch row takes its column 2 twice", indices=idx([2, 2], [2, 2]),
              axis=1, batch_dims=1),
    ]),
    op("tf.gather_nd", lambda params, indices, batch_dims=0: tf.gather_nd(params, indices, batch_dims=batch_dims), [
        sample("tf.gather_nd", "3x4, indices [[0,1],[2,3],[0,1]]", (3, 4), indices=idx([0, 1], [2, 3], [0, 1])),
        sample("tf.gather_nd", "3x4, row indices [[1],[0]]", (3, 4), indices=idx([1], [0])),
        sample("tf.gather_nd", "2x3x2, indices [[[1],[2]],[[0],[0]]], batch_dims 1", (2, 3, 2),
               indices=idx([[1], [2]], [[0], [0]]), batch_dims=1),
    ], second_order_sample=1, bugs=(_GATHER_ND_FORWARD_CRASH,), points=[
        point("2x2, indices [[0,0],[1,1],[0,0]]", [[[1.0, 2.0], [3.0, 4.0]]], [[[2.0, 0.0], [0.0, 1.0]]],
              "entry (0, 0) is gathered twice, (1, 1) once: the gradient accumulates", indices=idx([0, 0], [1, 1], [0, 0])),
        point("2x2, no indices", [[[1.0, 2.0], [3.0, 4.0]]], [zeros(2, 2)], "an empty gather does not depend on params",
              indices=np.zeros((0, 2), np.int64)),
    ]),
    op("tf.nn.embedding_lookup", lambda params, ids, max_norm=None, shards=None:
       tf.nn.embedding_lookup(params if shards is None else tf.split(params, shards), ids, max_norm=max_norm), [
                sample("tf.nn.embedding_lookup", "5x3 in div shards [3,2], ids [3,0,4,3]", (5, 3), ids=idx(3, 0, 4, 3), shards=[3, 2]),
        Sample((as_f32_exact([[1.5, -1.0, 0.5], [0.25, -0.5, 0.375], [-1.25, 1.0, 2.0], [0.125, 0.25, -0.5]]),),
               {"ids": idx([2, 0], [1, 2]), "max_norm": 1.0}, "4x3, ids [[2,0],[1,2]], max_norm 1 (rows 0, 2 clipped)"),
    ], second_order_sample=0, bugs=(nested_forward_crash(["forward_over_forward"], "AttributeError ('IndexedSlices' object has no attribute "
                                  "'_id') for sharded params (looked up through dynamic_stitch)", _NESTED_LOOKUP),), points=[
        point("4x2, ids [1,1,3,1]", [np.arange(1.0, 9.0).reshape(4, 2)], [[[0.0, 0.0], [3.0, 3.0], [0.0, 0.0], [1.0, 1.0]]],
              "row i is looked up count(i) times: the gradient accumulates", ids=idx(1, 1, 3, 1)),
        point("4x2 in shards [2,2], ids [3,0,3]", [np.arange(1.0, 9.0).reshape(4, 2)],
              [[[1.0, 1.0], [0.0, 0.0], [0.0, 0.0], [2.0, 2.0]]],
              "div partitioning puts rows 2-3 in shard 1; row 3 is looked up twice there, row 0 once", ids=idx(3, 0, 3),
              shards=[2, 2]),
    ]),
    # ------------------------------------------------------------------ scatter
    op("tf.scatter_nd", lambda updates, indices, shape: tf.scatter_nd(indices, updates, shape), [
        sample("tf.scatter_nd", "4 into [8]", (4,), indices=idx([4], [3], [1], [7]), shape=[8]),
        sample("tf.scatter_nd", "2x4 rows into [4,4]", (2, 4), indices=idx([0], [2]), shape=[4, 4]),
        sample("tf.scatter_nd", "3 into [3,2], duplicate (0,1)", (3,), indices=idx([0, 1], [2, 0], [0, 1]), shape=[3, 2]),
    ], second_order_sample=0, bugs=(
             nested_forward_crash(["forward_over_forward"], "AttributeError ('IndexedSlices' object has no attribute '_id')",
                                  _NESTED_SCATTER),), points=[
        point("duplicates [[1],[1],[0]]", [[1.0, 2.0, 3.0]], [[1.0, 1.0, 1.0]],
              "scatter_nd sums duplicate updates, so each update reaches the output once", indices=idx([1], [1], [0]), shape=[3]),
        point("no updates", [zeros(0)], [zeros(0)], "an empty scatter is all zeros: an empty gradient",
              indices=np.zeros((0, 1), np.int64), shape=[3]),
    ]),
    op("tf.tensor_scatter_nd_update", lambda tensor, updates, indices: tf.tensor_scatter_nd_update(tensor, indices, updates), [
        sample("tf.tensor_scatter_nd_update", "5 with 2 updates", (5,), (2,), indices=idx([1], [3])),
        sample("tf.tensor_scatter_nd_update", "3x4 with 2 rows", (3, 4), (2, 4), indices=idx([2], [0])),
        sample("tf.tensor_scatter_nd_update", "3x3 with 3 entries", (3, 3), (3,), indices=idx([0, 0], [1, 2], [2, 1])),
    ], diff=(0, 1), domain="all reals; indices without duplicates (with duplicates the winner is unspecified on GPU)", points=[
        point("4 with updates at 0 and 2", [[1.0, 2.0, 3.0, 4.0], [5.0, 6.0]], [[0.0, 1.0, 0.0, 1.0], [1.0, 1.0]],
              "updated slots no longer depend on the tensor (0); each update reaches the output once",
              indices=idx([0], [2])),
        point("duplicate index [[1],[1]]", [[1.0, 2.0, 3.0], [5.0, 7.0]], [[1.0, 0.0, 1.0], [0.0, 1.0]],
              "on CPU (and under XLA on CPU) the updates are applied in order, so out[1] = updates[1] (7): the "
              "overwritten update does not reach the output", indices=idx([1], [1]), bug=_SCATTER_UPDATE_DUPLICATE_BUG),
    ]),
    op("tf.tensor_scatter_nd_add", lambda tensor, updates, indices: tf.tensor_scatter_nd_add(tensor, indices, updates), [
        sample("tf.tensor_scatter_nd_add", "5 with 3 updates, duplicate", (5,), (3,), indices=idx([1], [3], [1])),
        sample("tf.tensor_scatter_nd_add", "3x4 with 2 rows", (3, 4), (2, 4), indices=idx([2], [0])),
    ], diff=(0, 1), points=[
        point("duplicate index [[1],[1]]", [[1.0, 2.0, 3.0], [5.0, 7.0]], [[1.0, 1.0, 1.0], [1.0, 1.0]],
              "out = tensor + Σ updates at their slots: every entry reaches the output once", indices=idx([1], [1])),
        point("no updates", [[1.0, 2.0], zeros(0)], [[1.0, 1.0], zeros(0)], "adding nothing is the identity",
              indices=np.zeros((0, 1), np.int64)),
    ]),
    op("tf.tensor_scatter_nd_sub", lambda tensor, updates, indices: tf.tensor_scatter_nd_sub(tensor, indices, updates), [
        sample("tf.tensor_scatter_nd_sub", "5 with 3 updates, duplicate", (5,), (3,), indices=idx([4], [0], [4])),
        sample("tf.tensor_scatter_nd_sub", "3x3 with 2 entries", (3, 3), (2,), indices=idx([0, 2], [1, 1])),
    ], diff=(0, 1), points=[
        point("duplicate index [[0],[0]]", [[1.0, 2.0], [5.0, 7.0]], [[1.0, 1.0], [-1.0, -1.0]],
              "out = tensor − Σ updates at their slots", indices=idx([0], [0])),
    ]),
    op("tf.tensor_scatter_nd_max", lambda tensor, updates, indices: tf.tensor_scatter_nd_max(tensor, indices, updates), [
        untied("tf.tensor_scatter_nd_max", "5 with 3 updates", (5,), (3,), indices=idx([1], [3], [4])),
        untied("tf.tensor_scatter_nd_max", "3x3 with 2 rows", (3, 3), (2, 3), indices=idx([0], [2])),
        untied("tf.tensor_scatter_nd_max", "4 with 3 updates, duplicate", (4,), (3,), indices=idx([1], [1], [2])),
    ], diff=(0, 1), domain="all reals away from ties (tensor vs updates, duplicate updates)",
        bugs=(nested_forward_crash(["forward_over_reverse", "forward_over_forward"], "TypeError ('NoneType' object "
                                   "cannot be interpreted as an integer)", _NESTED_SCATTER_MAX),), points=[
        point("tie tensor = update", [[1.0, 2.0, 3.0], [2.0]], [[1.0, 0.5, 1.0], [0.5]],
              "convention (documented in array_grad._TensorScatterMinOrMaxGrad: the gradient is divided between tied "
              "maxima); any split with the two summing to 1 is a subgradient", indices=idx([1])),
        point("three-way tie, duplicate updates", [[5.0, 0.0], [5.0, 5.0]], [[1 / 3, 1.0], [1 / 3, 1 / 3]],
              "convention (array_grad._TensorScatterMinOrMaxGrad divides between all tied maxima): 1/3 each",
              indices=idx([0], [0])),
        point("duplicate updates, no tie", [[0.0, 1.0], [3.0, 2.0]], [[1.0, 0.0], [1.0, 0.0]],
              "out[1] = max(1, 3, 2) = 3 comes from the first update only", indices=idx([1], [1])),
    ]),
    op("tf.tensor_scatter_nd_min", lambda tensor, updates, indices: tf.tensor_scatter_nd_min(tensor, indices, updates), [
        untied("tf.tensor_scatter_nd_min", "5 with 3 updates", (5,), (3,), indices=idx([0], [2], [3])),
        untied("tf.tensor_scatter_nd_min", "2x3 with 2 entries", (2, 3), (2,), indices=idx([0, 1], [1, 2])),
        untied("tf.tensor_scatter_nd_min", "4 with 3 updates, duplicate", (4,), (3,), indices=idx([3], [0], [3])),
    ], diff=(0, 1), domain="all reals away from ties (tensor vs updates, duplicate updates)",
        bugs=(nested_forward_crash(["forward_over_reverse", "forward_over_forward"], "TypeError ('NoneType' object "
                                   "cannot be interpreted as an integer)", _NESTED_SCATTER_MAX.replace("_max", "_min").replace("u = tf.constant([1.0, 2.0, 3.0]), tf.constant([5.0])", "u = tf.constant([1.0, 2.0, 3.0]), tf.constant([0.5])")),), points=[
        point("tie tensor = update", [[1.0, 2.0, 3.0], [3.0]], [[1.0, 1.0, 0.5], [0.5]],
              "convention (documented in array_grad._TensorScatterMinOrMaxGrad: the gradient is divided between tied "
              "minima); any split with the two summing to 1 is a subgradient", indices=idx([2])),
        point("duplicate updates, no tie", [[4.0, 1.0], [3.0, 2.0]], [[0.0, 1.0], [0.0, 1.0]],
              "out[0] = min(4, 3, 2) = 2 comes from the second update only", indices=idx([0], [0])),
    ]),
    # ------------------------------------------------------------------ stitch and partition
    op("tf.dynamic_stitch", lambda a, b, ia, ib: tf.dynamic_stitch([ia, ib], [a, b]), [
        sample("tf.dynamic_stitch", "3 and 2 into 5", (3,), (2,), ia=idx(0, 2, 4), ib=idx(1, 3)),
        sample("tf.dynamic_stitch", "2x3 and 1x3 rows", (2, 3), (1, 3), ia=idx(2, 0), ib=idx(1)),
        sample("tf.dynamic_stitch", "2x2x2 and 1x2 with 2-D indices", (2, 2, 2), (1, 2), ia=idx([0, 3], [4, 1]), ib=idx(2)),
    ], diff=(0, 1), bugs=(
                          nested_forward_crash(["forward_over_forward"], "AttributeError ('IndexedSlices' object has no "
                                               "attribute '_id')", _NESTED_STITCH),), domain="all reals; indices without duplicates in the samples", points=[
        point("duplicate index across inputs", [[1.0, 2.0], [3.0, 4.0]], [[1.0, 0.0], [1.0, 1.0]],
              "documented: for duplicate indices the later slice is merged, so b[0] overwrites a[1], which then does "
              "not reach the output", ia=idx(0, 1), ib=idx(1, 2), bug=_STITCH_DUPLICATE_BUG),
        point("empty second input", [[1.0, 2.0], zeros(0)], [[1.0, 1.0], zeros(0)],
              "an empty data slice contributes nothing: an empty gradient", ia=idx(0, 1), ib=np.zeros(0, np.int64)),
    ]),
    op("tf.dynamic_partition", lambda data, partitions, num_partitions: tf.dynamic_partition(data, partitions, num_partitions),
       # _PARTITION_GRAPPLER_BUG (its reproducer still fails) does not show in the atlas's traced kernel, which
       # traces the samples and the special points together: grappler folds that larger graph differently
       samples=[
        sample("tf.dynamic_partition", "5 into 3", (5,), partitions=np.array([0, 2, 1, 0, 2], np.int32), num_partitions=3),
                sample("tf.dynamic_partition", "2x3 with 2-D partitions", (2, 3), partitions=np.array([[0, 1, 1], [1, 0, 0]], np.int32),
               num_partitions=2),
    ], points=[
        point("partition 1 empty", [[1.0, 2.0, 3.0]], [[1.0, 1.0, 1.0]],
              "the partitions split the data: each entry lands in exactly one output, the empty partition holds none",
              partitions=np.array([0, 0, 2], np.int32), num_partitions=3),
    ]),
    # ------------------------------------------------------------------ sort and top_k
    op("tf.sort", lambda values, axis=-1, direction="ASCENDING": tf.sort(values, axis=axis, direction=direction), [
        untied("tf.sort", "5, ascending", (5,)),
        untied("tf.sort", "3x4, axis 0, descending", (3, 4), axis=0, direction="DESCENDING"),
        untied("tf.sort", "2x5, axis -1, descending", (2, 5), direction="DESCENDING"),
    ], domain="all reals away from ties", points=[
        point("ties [1,2,1,2]", [[1.0, 2.0, 1.0, 2.0]], [[1.0, 1.0, 1.0, 1.0]],
              "Σ sort(x) = Σx whatever the order of tied entries: each entry reaches the output exactly once"),
        point("all equal, descending", [[3.0, 3.0, 3.0]], [[1.0, 1.0, 1.0]],
              "Σ sort(x) = Σx: a tie must not send two output slots to one input", direction="DESCENDING"),
    ]),
    op("tf.math.top_k", lambda x, k, sorted=True: tf.math.top_k(x, k=k, sorted=sorted), [
        untied("tf.math.top_k", "6, k 3", (6,), k=3),
        untied("tf.math.top_k", "3x5, k 2", (3, 5), k=2),
        untied("tf.math.top_k", "2x4, k 4 (all)", (2, 4), k=4),
    ], domain="all reals away from ties at the k-th largest value", points=[
        point("tie at the boundary, k 2", [[3.0, 1.0, 2.0, 2.0]], [between([1.0, 0.0, 0.0, 0.0], [1.0, 0.0, 1.0, 1.0])],
              "Σ top_2 = 3 + max(x₂, x₃): at x₂ = x₃ the subdifferential of max splits one unit between the tied "
              "entries (any value in [0, 1] each); the largest gets 1, the smallest 0", k=2),
        point("k 0", [[1.0, 2.0, 3.0]], [zeros(3)], "no values taken: no dependence on x", k=0),
        point("sorted False, k 2", [[0.5, -1.0, 2.0, 1.5, 0.25]], [[0.0, 0.0, 1.0, 1.0, 0.0]],
              "Σ top_2 = 2 + 1.5 whatever order the unsorted values come in (XLA's order differs from the CPU kernel's, "
              "so samples keep sorted=True)", k=2, sorted=False),
        point("ties inside the top k, k 3", [[2.0, 5.0, 2.0, 1.0]], [[1.0, 1.0, 1.0, 0.0]],
              "the tied 2s are both among the top 3: Σ top_3 = 5 + 2 + 2 whichever order, so each gets 1", k=3),
    ]),
]

