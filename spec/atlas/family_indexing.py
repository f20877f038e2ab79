"""Indexing: gather, scatter, embedding lookups, sort and top_k, dynamic stitch and partition, strided-slice updates.

The gradient of a gather is a scatter-add of the cotangent and the gradient of a scatter is a gather, so
duplicate indices are where a wrong rule shows: a gathered entry taken twice must receive both cotangents
(accumulate), an overwritten update must receive none. Ties in sort, top_k and tensor_scatter_nd_max/min
are kinks: any subgradient is right there unless TensorFlow documents a split (tensor_scatter_nd_max/min do:
a convention). Every point states its Hessian-vector product: 0 (the ops are linear, or piecewise linear
with both one-sided second derivatives 0 at a tie).

Degenerate shapes: empty indices for gather (axis 0 and 1, batch_dims, params with no rows), gather_nd (with
and without batch_dims), embedding lookups, scatter_nd (into rows, into an empty shape), tensor_scatter_nd_*
and ScatterNdNonAliasingAdd (also on an empty tensor), dynamic_stitch (one or both inputs empty), dynamic_partition
(no data, everything in one partition), zero-size strided-slice updates, top_k of no rows and of a size-1 axis,
sort of a size-1 axis. Where a degenerate gradient raises (sort or top_k along an empty axis, gather_nd of one
full index, XLA's zero-size strided-slice update) the point has a record of its own: a point that raises fails
every point of its op in that mode (the runner computes an op's points in one call), and so do gather_nd's row
indices in forward mode.
"""
import numpy as np
import tensorflow as tf

import dataclasses

from spec.atlas.records import (POINT_SECOND, REAL, Domain, KnownBug, Sample, Second, Workaround, as_f32_exact, between,
                                distinct, draw, hvp, op, point, reproducer)

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


def ones(*shape):
    return np.ones(shape)


# ------------------------------------------------------------------------------ workarounds (pasteable code)

SCATTER_ND_WORKAROUND = Workaround('''import tensorflow as tf
import numpy as np


def scatter_nd(updates, indices, shape):
    """tf.scatter_nd(indices, updates, shape) for indices known when tracing: the updates times a constant 0/1 matrix
    (duplicates add up, as documented), linear in every mode and composition (no IndexedSlices anywhere)."""
    idx, shape = np.asarray(indices), [int(s) for s in shape]
    depth = idx.shape[-1]
    slots = np.ravel_multi_index(idx.reshape(-1, depth).T, shape[:depth]) if idx.size else np.zeros(0, np.int64)
    matrix = np.zeros((int(np.prod(shape[:depth])), slots.size))
    np.add.at(matrix, (slots, np.arange(slots.size)), 1.0)
    rows = tf.reshape(updates, [slots.size, int(np.prod(shape[depth:]))])
    return tf.reshape(tf.matmul(tf.constant(matrix, updates.dtype), rows), shape)
''', "scatter_nd")

LOOKUP_WORKAROUND = Workaround('''import tensorflow as tf
import numpy as np


def embedding_lookup(params, ids, max_norm=None, shards=None):
    """tf.nn.embedding_lookup of params (split into `shards` blocks, which the "div" strategy maps back to the same row
    order) at ids known when tracing: the rows picked by a constant one-hot matrix, clipped to max_norm as TensorFlow
    clips them; no IndexedSlices, so nested forward mode works."""
    ids = np.asarray(ids)
    n = int(params.shape[0])
    rows = tf.matmul(tf.constant(np.eye(n)[ids.reshape(-1)], params.dtype), tf.reshape(params, [n, -1]))
    if max_norm is not None:
        rows = tf.clip_by_norm(rows, max_norm, axes=[1])
    return tf.reshape(rows, list(ids.shape) + params.shape[1:].as_list())
''', "embedding_lookup")

STITCH_WORKAROUND = Workaround('''import tensorflow as tf
import numpy as np


def dynamic_stitch(a, b, ia, ib):
    """tf.dynamic_stitch([ia, ib], [a, b]) for indices known when tracing: each output slot takes the slice that the
    documented merge order writes last, as a sum of constant 0/1 matrices times the data, so an overwritten slice gets
    no gradient and every mode and composition works."""
    indices = [np.asarray(ia), np.asarray(ib)]
    n = max(int(i.max()) + 1 if i.size else 0 for i in indices)
    winner = {}
    for k, idx in enumerate(indices):
        for i, j in enumerate(idx.reshape(-1)):
            winner[int(j)] = (k, i)
    out = None
    for k, (data, idx) in enumerate(zip([a, b], indices)):
        matrix = np.zeros((n, idx.size))
        for j, (source, i) in winner.items():
            if source == k:
                matrix[j, i] = 1.0
        rows = tf.reshape(data, [idx.size] + data.shape[idx.ndim:].as_list())
        part = tf.tensordot(tf.constant(matrix, data.dtype), rows, axes=1)
        out = part if out is None else out + part
    return out
''', "dynamic_stitch")

SCATTER_UPDATE_WORKAROUND = Workaround('''import tensorflow as tf
import numpy as np


def tensor_scatter_nd_update(tensor, updates, indices):
    """tf.tensor_scatter_nd_update with the duplicate indices (known when tracing) dropped but for the one applied last,
    which is the one whose value the output holds (on CPU and under XLA): the overwritten updates get no gradient."""
    idx = np.asarray(indices)
    keys = [tuple(row) for row in idx.reshape(-1, idx.shape[-1])]
    keep = np.array(sorted({key: i for i, key in enumerate(keys)}.values()), np.int64)
    return tf.tensor_scatter_nd_update(tensor, idx.reshape(-1, idx.shape[-1])[keep], tf.gather(updates, keep))
''', "tensor_scatter_nd_update")


def scatter_extremum_workaround(kind: str) -> Workaround:
    return Workaround(f'''import tensorflow as tf
import numpy as np


def tensor_scatter_nd_{kind}(tensor, updates, indices):
    """tf.tensor_scatter_nd_{kind} for indices known when tracing: each updated slot is the reduce_{kind} of the tensor's
    slice and its updates (ties split evenly, as TensorFlow documents), the others are the tensor's slice; built from
    unstack, stack and reduce_{kind}, whose second derivatives work in every composition."""
    idx = np.asarray(indices)
    depth, shape = idx.shape[-1], tensor.shape.as_list()
    slots = np.ravel_multi_index(idx.reshape(-1, depth).T, shape[:depth]) if idx.size else np.zeros(0, np.int64)
    rows = tf.unstack(tf.reshape(tensor, [-1] + shape[depth:]))
    news = tf.unstack(tf.reshape(updates, [slots.size] + shape[depth:])) if slots.size else []
    out = []
    for j, row in enumerate(rows):
        candidates = [row] + [news[i] for i in np.flatnonzero(slots == j)]
        out.append(row if len(candidates) == 1 else tf.reduce_{kind}(tf.stack(candidates), axis=0))
    return tf.reshape(tf.stack(out), shape)
''', f"tensor_scatter_nd_{kind}")


GATHER_ND_WORKAROUND = Workaround('''import tensorflow as tf
import numpy as np


def gather_nd(params, indices, batch_dims=0):
    """tf.gather_nd for indices known when tracing: the slices picked by a constant one-hot matrix (a single index too,
    whose output is a scalar); linear in every mode and composition (no IndexedSlices anywhere)."""
    idx, shape = np.asarray(indices), params.shape.as_list()
    depth = idx.shape[-1]
    grids = np.meshgrid(*[np.arange(s) for s in idx.shape[:batch_dims]], indexing="ij") if batch_dims else []
    grids = [np.broadcast_to(g.reshape(g.shape + (1,) * (idx.ndim - 1 - batch_dims)), idx.shape[:-1]) for g in grids]
    full = np.stack(grids + [idx[..., d] for d in range(depth)], axis=-1)
    k = batch_dims + depth
    n = int(np.prod(shape[:k]))
    flat = np.ravel_multi_index(full.reshape(-1, k).T, shape[:k]) if full.size else np.zeros(0, np.int64)
    pick = np.zeros((flat.size, n))
    pick[np.arange(flat.size), flat] = 1.0
    rows = tf.reshape(params, [n] + shape[k:])
    return tf.reshape(tf.tensordot(tf.constant(pick, params.dtype), rows, axes=1), list(idx.shape[:-1]) + shape[k:])
''', "gather_nd")

SORT_WORKAROUND = Workaround('''import tensorflow as tf


def sort(values, axis=-1, direction="ASCENDING"):
    """tf.sort, with an empty input (statically known) returned as it is: it sorts to itself, and its gradient is the
    empty upstream gradient (TensorFlow's gradient builds a range with delta = the empty axis's size, 0, and raises)."""
    values = tf.convert_to_tensor(values)
    if values.shape.num_elements() == 0:
        return tf.identity(values)
    return tf.sort(values, axis=axis, direction=direction)
''', "sort")

TOP_K_WORKAROUND = Workaround('''import tensorflow as tf


def top_k(x, k, sorted=True):
    """tf.math.top_k, with an empty last axis (statically known, so k = 0) answered by empty slices: no values, no
    indices, an empty gradient (TensorFlow's gradient builds a range with delta 0 there and raises)."""
    x = tf.convert_to_tensor(x)
    if x.shape[-1] == 0:
        values = x[..., :0]
        return values, tf.zeros(tf.shape(values), tf.int32)
    return tf.math.top_k(x, k=k, sorted=sorted)
''', "top_k")

STRIDED_UPDATE_WORKAROUND = Workaround('''import tensorflow as tf


def tensor_strided_slice_update(input, value, begin, end, strides, **masks):
    """tf.raw_ops.TensorStridedSliceUpdate, with a zero-size slice (a value with no entries, statically known) answered
    by the input itself, which XLA cannot compile otherwise; the value, which writes nothing, gets no gradient."""
    if value.shape.num_elements() == 0:
        return tf.identity(input)
    return tf.raw_ops.TensorStridedSliceUpdate(input=input, begin=begin, end=end, strides=strides, value=value, **masks)
''', "tensor_strided_slice_update")

PARTITION_WORKAROUND = Workaround('''import tensorflow as tf
import numpy as np


def dynamic_partition(data, partitions, num_partitions):
    """tf.dynamic_partition for partitions known when tracing: one gather per partition, whose gradient (a scatter of
    each partition's cotangent) needs no ParallelDynamicStitch."""
    p = np.asarray(partitions)
    rows = tf.reshape(data, [p.size] + data.shape[p.ndim:].as_list())
    return [tf.gather(rows, np.flatnonzero(p.reshape(-1) == k)) for k in range(num_partitions)]
''', "dynamic_partition")


# ------------------------------------------------------------------------------ known bugs

NESTED_SEARCHED = ("ForwardAccumulator nested 'IndexedSlices' object has no attribute '_id'",
                   "find_string: object has no attribute '_id'")

_SCATTER_UPDATE_DUPLICATE_BUG = KnownBug(
    "tensor_scatter_nd_update with duplicate indices: the output holds one update per slot (on CPU the last one, "
    "also under XLA), but the gradient gathers the cotangent into every duplicate, so the overwritten update gets "
    "the winner's gradient too (Σ over duplicates is 2 for one output slot)",
    "https://github.com/tensorflow/tensorflow/issues/56961",
    reproducer("t, u = tf.zeros([3]), tf.constant([5.0, 7.0])", "with tf.GradientTape() as tape:", "    tape.watch(u)",
               "    y = tf.tensor_scatter_nd_update(t, [[1], [1]], u)  # [0, 7, 0]: the last update wins",
               "print(tape.gradient(tf.reduce_sum(y), u))  # expected [0, 1], got [1, 1]"),
    kind="wrong value", kind_why="on CPU the output is piecewise the last duplicate update, differentiable with "
    "derivative 0 for the overwritten one; TensorFlow gives it the winner's gradient (the docs call the winner "
    "unspecified on GPU, which is why the record's domain excludes duplicates from the samples)",
    searched=("tensor_scatter_nd_update duplicate indices gradient both updates receive gradient",),
    workaround=SCATTER_UPDATE_WORKAROUND)

_STITCH_DUPLICATE_BUG = KnownBug(
    "dynamic_stitch with duplicate indices: the documented result takes the later slice, but the gradient gathers "
    "the cotangent into every data slice with that index, so the overwritten slice gets a gradient too",
    "https://github.com/tensorflow/tensorflow/issues/7397",
    reproducer("a, b = tf.constant([1.0, 2.0]), tf.constant([3.0, 4.0])", "with tf.GradientTape() as t:", "    t.watch(a)",
               "    y = tf.dynamic_stitch([[0, 1], [1, 2]], [a, b])  # [1, 3, 4]: b[0] overwrites a[1]",
               "print(t.gradient(tf.reduce_sum(y), a))  # expected [1, 0], got [1, 1]"),
    kind="wrong value", kind_why="the documented merge order makes the output independent of the overwritten slice "
    "(derivative 0); TensorFlow gives it the output's gradient",
    related=("https://github.com/tensorflow/tensorflow/pull/109354", "https://github.com/tensorflow/tensorflow/pull/7487",
             "https://github.com/tensorflow/tensorflow/pull/13557"),
    searched=("dynamic_stitch gradient duplicate indices overwritten data receives gradient",),
    workaround=STITCH_WORKAROUND)


def nested_forward_crash(checks, error: str, reproducer_text: str, workaround: Workaround, modes=("eager",),
                         searched=NESTED_SEARCHED) -> KnownBug:
    return KnownBug(
        f"second order through forward mode raises {error}: the inner ForwardAccumulator's tangent is built by a "
        "function whose outputs TFE_Py_PackJVPs cannot pack for the outer accumulator (the derivatives exist: the op "
        "is linear or piecewise linear in its inputs)", "unreported", reproducer_text, checks=tuple(checks), modes=modes,
        kind="mode failure", kind_why="the op is (piecewise) linear, with second derivatives that the other "
        "compositions return; compositions through nested forward mode raise",
        searched=searched, workaround=workaround)


_GATHER_ND_FORWARD_CRASH = KnownBug(
    "forward mode through tf.gather_nd with indices of shape (n, 1) raises AttributeError: 'IndexedSlices' object has "
    "no attribute '_id': GatherNd's gradient returns IndexedSlices for such indices and the JVP function built from it "
    "cannot be packed (one ForwardAccumulator is enough; the tape gradient is right)",
    "unreported",
    reproducer("p = tf.constant([[1.0, 2.0], [3.0, 4.0]])", "with tf.autodiff.ForwardAccumulator(p, tf.ones_like(p)) as acc:",
               "    y = tf.gather_nd(p, [[1], [0]])  # AttributeError: 'IndexedSlices' object has no attribute '_id'",
               "print(acc.jvp(y))  # expected [[1, 1], [1, 1]]"),
    checks=("forward", "forward_over_reverse", "reverse_over_forward", "forward_over_forward"),
    kind="mode failure", kind_why="gather_nd is linear and reverse mode returns its gradient; forward mode raises",
    searched=NESTED_SEARCHED, workaround=GATHER_ND_WORKAROUND)
_GATHER_ND_FORWARD_CRASH_POINTS = dataclasses.replace(
    _GATHER_ND_FORWARD_CRASH, checks=("special_forward", "special_forward_over_reverse", "special_reverse_over_forward",
                                      "special_forward_over_forward"))

GATHER_ND_ONE_INDEX = KnownBug(
    "tf.gather_nd with a single full index (indices of rank 1, a scalar output) has a gradient that raises: it "
    "scatters the scalar upstream gradient with ScatterNd, which needs updates of rank ≥ 1 (InvalidArgumentError "
    "\"Updates shape must have rank at least one\"; ValueError when traced)",
    "https://github.com/tensorflow/tensorflow/issues/56628",
    reproducer("p = tf.ones([2, 3], tf.float64)", "with tf.GradientTape() as t:", "    t.watch(p)",
               "    y = tf.gather_nd(p, [1, 2])  # p[1, 2], a scalar",
               "print(t.gradient(y, p))  # expected a one-hot [[0, 0, 0], [0, 0, 1]], got InvalidArgumentError: Updates "
               "shape must have rank at least one"),
    checks=("special_reverse", "special_forward") + POINT_SECOND,
    kind="missing gradient", kind_why="p[i, j] is linear in p (derivative: a one-hot); the registered gradient raises",
    searched=("gather_nd gradient fails rank-1 indices scalar output ScatterNd \"Shape must be at least rank 1\"",),
    workaround=GATHER_ND_WORKAROUND)

_NESTED_SCATTER = reproducer(
    "u = tf.constant([1.0, 2.0])", "with tf.autodiff.ForwardAccumulator(u, tf.ones_like(u)) as outer:",
    "    with tf.autodiff.ForwardAccumulator(u, tf.ones_like(u)) as acc:",
    "        y = tf.scatter_nd([[1], [3]], u * u, [4])  # AttributeError: 'IndexedSlices' object has no attribute '_id'",
    "print(outer.jvp(acc.jvp(y)))  # expected [0, 2, 0, 2]")
_NESTED_LOOKUP = reproducer(
    "p = tf.constant([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])",
    "with tf.autodiff.ForwardAccumulator(p, tf.ones_like(p)) as outer:",
    "    with tf.autodiff.ForwardAccumulator(p, tf.ones_like(p)) as acc:",
    "        y = tf.nn.embedding_lookup(tf.split(p * p, [2, 1]), [2, 0])  # AttributeError: ... '_id'",
    "print(outer.jvp(acc.jvp(y)))  # expected [[2, 2], [2, 2]] (sharded params go through dynamic_stitch)")
_NESTED_STITCH = reproducer(
    "a = tf.constant([1.0, 2.0])", "with tf.autodiff.ForwardAccumulator(a, tf.ones_like(a)) as outer:",
    "    with tf.autodiff.ForwardAccumulator(a, tf.ones_like(a)) as acc:",
    "        y = tf.dynamic_stitch([[0, 2], [1]], [a * a, tf.constant([5.0])])  # AttributeError: ... '_id'",
    "print(outer.jvp(acc.jvp(y)))  # expected [2, 0, 2]")


def _nested_scatter_extremum(kind: str, update: str) -> str:
    return reproducer(
        f"t, u = tf.constant([1.0, 2.0, 3.0]), tf.constant([{update}])",
        "with tf.autodiff.ForwardAccumulator([t, u], [tf.ones(3), tf.ones(1)]) as outer:",
        "    with tf.autodiff.ForwardAccumulator([t, u], [tf.ones(3), tf.ones(1)]) as acc:",
        f"        y = tf.reduce_sum(tf.tensor_scatter_nd_{kind}(t, [[1]], u) ** 2)",
        "    j = acc.jvp(y)  # TypeError: 'NoneType' object cannot be interpreted as an integer",
        "print(outer.jvp(j))  # expected 2·(1 + 1 + 1) = 6")


_NESTED_SCATTER_SEARCHED = NESTED_SEARCHED + (
    "tensor_scatter_nd_max nested ForwardAccumulator TypeError 'NoneType' object cannot be interpreted as an integer",)

_PARTITION_GRAPPLER_BUG = KnownBug(
    "the tape gradient of dynamic_partition inside tf.function raises InvalidArgumentError \"data[0].shape = [1] does "
    "not start with indices[0].shape = [2]\" (in the gradient's ParallelDynamicStitch) when the partitions' "
    "cotangents come from tensors the function takes as inputs; it runs with grappler's constant_folding turned off, "
    "and eagerly and under XLA (similar symptom, graph mode: tensorflow/tensorflow#16872); the forward case needs the "
    "tape gradient for its adjoint check and fails with it",
    "unreported",
    reproducer("x = tf.constant([1.0, 2.0, 3.0, 4.0, 5.0])",
               "u = [tf.constant([1.0, 2.0]), tf.constant([3.0]), tf.constant([4.0, 5.0])]",
               "@tf.function", "def grad(x, u):", "    with tf.GradientTape() as t:", "        t.watch(x)",
               "        parts = tf.dynamic_partition(x, [0, 2, 1, 0, 2], 3)",
               "        y = tf.add_n([tf.reduce_sum(ui * p) for ui, p in zip(u, parts)])", "    return t.gradient(y, x)",
               "print(grad(x, u))  # expected [1, 4, 3, 2, 5], got InvalidArgumentError: data[0].shape = [1] does not start "
               "with indices[0].shape = [2]"),
    checks=("reverse", "forward"), modes=("function",),
    kind="mode failure", kind_why="the tape gradient is right eagerly and under XLA; inside tf.function grappler's "
    "constant folding breaks it",
    related=("https://github.com/tensorflow/tensorflow/issues/16872",),
    searched=("dynamic_partition gradient tf.function \"does not start with\" indices ParallelDynamicStitch",),
    workaround=PARTITION_WORKAROUND)
# Not attached: the atlas's traced kernel, which traces the samples and the special points together, does not show it
# (grappler folds that larger graph differently); its reproducer still fails on 2.21.


def _empty_axis_bug(public: str, call: str, workaround: Workaround) -> KnownBug:
    return KnownBug(
        f"{public} along an empty axis (nothing to order) has a gradient that raises "
        "InvalidArgumentError \"Requires delta != 0\": the top_k gradient builds a range with the axis size 0 as its "
        "delta; forward mode is right", "unreported",
        reproducer("x = tf.zeros([0], tf.float64)", "with tf.GradientTape() as t:", "    t.watch(x)", f"    y = {call}",
                   "print(t.gradient(y, x))  # expected [] (shape (0,)), got InvalidArgumentError: Requires delta != 0"),
        checks=("special_reverse", "special_reverse_over_reverse", "special_forward_over_reverse",
                "special_reverse_over_forward"),
        kind="missing gradient", kind_why="the output is empty and depends on nothing, so the gradient exists (an empty "
        "array); the registered gradient raises instead of returning it",
        searched=("tf.sort gradient empty tensor \"Requires delta != 0\" top_k",),
        workaround=workaround)


SORT_EMPTY = _empty_axis_bug("tf.sort", "tf.sort(x)", SORT_WORKAROUND)
TOP_K_EMPTY = _empty_axis_bug("tf.math.top_k", "tf.math.top_k(x, k=0).values", TOP_K_WORKAROUND)

STRIDED_UPDATE_XLA_EMPTY = KnownBug(
    "under XLA, tf.raw_ops.TensorStridedSliceUpdate with a zero-size slice (the value has no entries) fails to compile "
    "its gradient: InternalError \"Missing xla_context 0-th output from TensorStridedSliceUpdate\"; eagerly and in "
    "tf.function the gradient is right",
    "unreported",
    reproducer("x, v = tf.constant([1.0, 2.0, 3.0, 4.0], tf.float64), tf.zeros([0], tf.float64)",
               "@tf.function(jit_compile=True)", "def grad(x, v):", "    with tf.GradientTape() as t:", "        t.watch(x)",
               "        y = tf.raw_ops.TensorStridedSliceUpdate(input=x, begin=[2], end=[2], strides=[1], value=v)",
               "    return t.gradient(y, x)",
               "print(grad(x, v))  # expected [1, 1, 1, 1], got InternalError: Missing xla_context 0-th output"),
    checks=("special_reverse",), modes=("xla",),
    kind="mode failure", kind_why="the update of an empty slice is the identity on the input; eager and tf.function "
    "return its gradient, XLA cannot compile it",
    searched=("TensorStridedSliceUpdate XLA empty slice Missing xla_context",),
    workaround=STRIDED_UPDATE_WORKAROUND)


NESTED_SCATTER = nested_forward_crash(["forward_over_forward"], "AttributeError ('IndexedSlices' object has no attribute "
                                      "'_id')", _NESTED_SCATTER, SCATTER_ND_WORKAROUND)
NESTED_LOOKUP = nested_forward_crash(["forward_over_forward"], "AttributeError ('IndexedSlices' object has no attribute "
                                     "'_id') for sharded params (looked up through dynamic_stitch)", _NESTED_LOOKUP,
                                     LOOKUP_WORKAROUND)
NESTED_STITCH = nested_forward_crash(["forward_over_forward"], "AttributeError ('IndexedSlices' object has no attribute "
                                     "'_id')", _NESTED_STITCH, STITCH_WORKAROUND)
NESTED_SCATTER_EXTREMUM = {
    kind: nested_forward_crash(["forward_over_reverse", "forward_over_forward"], "TypeError ('NoneType' object cannot be "
                               "interpreted as an integer)", _nested_scatter_extremum(kind, update),
                               scatter_extremum_workaround(kind), searched=_NESTED_SCATTER_SEARCHED)
    for kind, update in (("max", "5.0"), ("min", "0.5"))}
# the same failures at the special points (forward over forward runs eagerly there)
NESTED_SCATTER_POINTS = dataclasses.replace(NESTED_SCATTER, checks=("special_forward_over_forward",))
NESTED_LOOKUP_POINTS = dataclasses.replace(NESTED_LOOKUP, checks=("special_forward_over_forward",))
NESTED_STITCH_POINTS = dataclasses.replace(NESTED_STITCH, checks=("special_forward_over_forward",))
NESTED_SCATTER_EXTREMUM_POINTS = {kind: dataclasses.replace(bug, checks=("special_forward_over_reverse",
                                                                          "special_forward_over_forward"))
                                  for kind, bug in NESTED_SCATTER_EXTREMUM.items()}

TIES_HVP = ("not twice differentiable at the tie, but piecewise linear: on each side of it the output is one of the tied "
            "entries, so both one-sided second derivatives along v are 0 (the documented split rule differentiates to 0 "
            "too); asserted: 0")


LINEAR = "linear in every differentiable argument: H = 0"
EMPTY = "no entries: the Hessian-vector product is an empty array"
NO_INDEX = np.zeros(0, np.int64)


def linear(*shapes) -> Second:
    """H = 0 for an op linear in its arguments (one zeros array per differentiable argument)."""
    return hvp([np.zeros(s) for s in shapes], LINEAR)


def _tssu(input, value, begin, end, strides, **masks):
    return tf.raw_ops.TensorStridedSliceUpdate(input=input, begin=begin, end=end, strides=strides, value=value, **masks)


def _non_aliasing_add(input, updates, indices):
    return tf.raw_ops.ScatterNdNonAliasingAdd(input=input, indices=indices, updates=updates)


def _gather(params, indices, axis=None, batch_dims=0):
    return tf.gather(params, indices, axis=axis, batch_dims=batch_dims)


def _gather_nd(params, indices, batch_dims=0):
    return tf.gather_nd(params, indices, batch_dims=batch_dims)


GATHER_ND_SAMPLES = [
    sample("tf.gather_nd", "3x4, row indices [[1],[0]]", (3, 4), indices=idx([1], [0])),
    sample("tf.gather_nd", "3x4, indices [[0,1],[2,3],[0,1]]", (3, 4), indices=idx([0, 1], [2, 3], [0, 1])),
    sample("tf.gather_nd", "2x3x2, indices [[[1],[2]],[[0],[0]]], batch_dims 1", (2, 3, 2),
           indices=idx([[1], [2]], [[0], [0]]), batch_dims=1),
]

OPS = [
    # ------------------------------------------------------------------ gather
    op("tf.gather", _gather, [
        sample("tf.gather", "5x3, indices [4,0,2,0], axis 0", (5, 3), indices=idx(4, 0, 2, 0)),
        sample("tf.gather", "2x5, indices [[1,3],[4,4]], axis 1", (2, 5), indices=idx([1, 3], [4, 4]), axis=1),
        sample("tf.gather", "2x4x2, indices [[0,3],[2,2]], axis 1, batch_dims 1", (2, 4, 2), indices=idx([0, 3], [2, 2]),
               axis=1, batch_dims=1),
    ], points=[
        point("4, indices [1,1,3,1] (duplicates)", [[1.0, 2.0, 3.0, 4.0]], [[0.0, 3.0, 0.0, 1.0]],
              "entry i is gathered count(i) times: the gradient accumulates (scatter-add)", indices=idx(1, 1, 3, 1),
              second=linear(4)),
        point("4, no indices", [[1.0, 2.0, 3.0, 4.0]], [zeros(4)], "an empty gather does not depend on params",
              indices=NO_INDEX, second=linear(4)),
        point("2x3, indices [[2,2]], axis 1, batch_dims 1", [[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]],
              [[[0.0, 0.0, 2.0], [0.0, 0.0, 2.0]]], "each batch row takes its column 2 twice", indices=idx([2, 2], [2, 2]),
              axis=1, batch_dims=1, second=linear((2, 3))),
        point("0x3 params, no indices", [zeros(0, 3)], [zeros(0, 3)], "nothing to gather from, nothing gathered: an "
              "empty (0, 3) gradient", indices=NO_INDEX, second=hvp([zeros(0, 3)], EMPTY)),
        point("2x3, no indices, axis 1", [[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]], [zeros(2, 3)],
              "an empty gather along axis 1 (a 2x0 output) does not depend on params", indices=NO_INDEX, axis=1,
              second=linear((2, 3))),
        point("2x3, no indices per batch row, axis 1, batch_dims 1", [[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]], [zeros(2, 3)],
              "each batch row gathers nothing (indices of shape (2, 0)): no dependence on params",
              indices=np.zeros((2, 0), np.int64), axis=1, batch_dims=1, second=linear((2, 3))),
        point("size-1 axis: 1x3 params, indices [0,0]", [[[1.0, 2.0, 3.0]]], [[[2.0, 2.0, 2.0]]],
              "the single row is gathered twice", indices=idx(0, 0), second=linear((1, 3))),
    ]),
    op("tf.gather_nd", _gather_nd, GATHER_ND_SAMPLES, second_order_sample=0, bugs=(_GATHER_ND_FORWARD_CRASH,), points=[
        point("2x2, indices [[0,0],[1,1],[0,0]]", [[[1.0, 2.0], [3.0, 4.0]]], [[[2.0, 0.0], [0.0, 1.0]]],
              "entry (0, 0) is gathered twice, (1, 1) once: the gradient accumulates", indices=idx([0, 0], [1, 1], [0, 0]),
              second=linear((2, 2))),
        point("2x2, no indices", [[[1.0, 2.0], [3.0, 4.0]]], [zeros(2, 2)], "an empty gather does not depend on params",
              indices=np.zeros((0, 2), np.int64), second=linear((2, 2))),
        point("2x3, batch_dims 1, indices [[[1],[1]],[[0],[2]]]", [[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]],
              [[[0.0, 2.0, 0.0], [1.0, 0.0, 1.0]]], "batch row 0 takes its entry 1 twice, row 1 its entries 0 and 2",
              indices=idx([[1], [1]], [[0], [2]]), batch_dims=1, second=linear((2, 3))),
        point("2x3, batch_dims 1, no indices per batch row", [[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]], [zeros(2, 3)],
              "each batch row gathers nothing (indices of shape (2, 0, 1)): no dependence on params",
              indices=np.zeros((2, 0, 1), np.int64), batch_dims=1, second=linear((2, 3))),
    ]),
    op("tf.gather_nd(row indices)", _gather_nd, GATHER_ND_SAMPLES[:1], second_order_sample=0,
       domain="all reals; indices of shape (n, 1), whose gradient is an IndexedSlices (forward mode cannot pack it)",
       bugs=(_GATHER_ND_FORWARD_CRASH,), points=[
        point("3x2, rows [[1],[1],[0]]", [[[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]], [[[1.0, 1.0], [2.0, 2.0], [0.0, 0.0]]],
              "row 1 is gathered twice, row 0 once: the gradient accumulates", indices=idx([1], [1], [0]),
              bug=_GATHER_ND_FORWARD_CRASH_POINTS, second=linear((3, 2))),
        point("3x2, no row indices (shape (0, 1))", [[[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]], [zeros(3, 2)],
              "an empty gather of rows does not depend on params", indices=np.zeros((0, 1), np.int64),
              bug=_GATHER_ND_FORWARD_CRASH_POINTS, second=linear((3, 2))),
    ]),
    op("tf.gather_nd(one full index)", _gather_nd, GATHER_ND_SAMPLES[:1], domain="all reals; the point's indices are a "
       "single full index (rank 1), whose output is a scalar", skips={}, bugs=(_GATHER_ND_FORWARD_CRASH,), points=[
        point("2x3, indices [1,2] (the scalar p[1, 2])", [[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]],
              [[[0.0, 0.0, 0.0], [0.0, 0.0, 1.0]]], "gather_nd with one full index is the entry p[1, 2]: a one-hot gradient",
              indices=idx(1, 2), bug=GATHER_ND_ONE_INDEX, second=linear((2, 3))),
    ]),
    op("tf.nn.embedding_lookup", lambda params, ids, max_norm=None, shards=None:
       tf.nn.embedding_lookup(params if shards is None else tf.split(params, shards), ids, max_norm=max_norm), [
        sample("tf.nn.embedding_lookup", "5x3 in div shards [3,2], ids [3,0,4,3]", (5, 3), ids=idx(3, 0, 4, 3), shards=[3, 2]),
        Sample((as_f32_exact([[1.5, -1.0, 0.5], [0.25, -0.5, 0.375], [-1.25, 1.0, 2.0], [0.125, 0.25, -0.5]]),),
               {"ids": idx([2, 0], [1, 2]), "max_norm": 1.0}, "4x3, ids [[2,0],[1,2]], max_norm 1 (rows 0, 2 clipped)"),
    ], second_order_sample=0, bugs=(NESTED_LOOKUP,), points=[
        point("4x2, ids [1,1,3,1]", [np.arange(1.0, 9.0).reshape(4, 2)], [[[0.0, 0.0], [3.0, 3.0], [0.0, 0.0], [1.0, 1.0]]],
              "row i is looked up count(i) times: the gradient accumulates", ids=idx(1, 1, 3, 1), second=linear((4, 2))),
        point("4x2 in shards [2,2], ids [3,0,3]", [np.arange(1.0, 9.0).reshape(4, 2)],
              [[[1.0, 1.0], [0.0, 0.0], [0.0, 0.0], [2.0, 2.0]]],
              "div partitioning puts rows 2-3 in shard 1; row 3 is looked up twice there, row 0 once", ids=idx(3, 0, 3),
              shards=[2, 2], bug=NESTED_LOOKUP_POINTS, second=linear((4, 2))),
        point("4x2, no ids", [np.arange(1.0, 9.0).reshape(4, 2)], [zeros(4, 2)], "nothing looked up: no dependence on "
              "params", ids=NO_INDEX, second=linear((4, 2))),
        point("4x2 in shards [2,2], no ids", [np.arange(1.0, 9.0).reshape(4, 2)], [zeros(4, 2)],
              "nothing looked up in either shard: no dependence on params", ids=NO_INDEX, shards=[2, 2],
              bug=NESTED_LOOKUP_POINTS, second=linear((4, 2))),
    ]),
    # ------------------------------------------------------------------ scatter
    op("tf.scatter_nd", lambda updates, indices, shape: tf.scatter_nd(indices, updates, shape), [
        sample("tf.scatter_nd", "4 into [8]", (4,), indices=idx([4], [3], [1], [7]), shape=[8]),
        sample("tf.scatter_nd", "2x4 rows into [4,4]", (2, 4), indices=idx([0], [2]), shape=[4, 4]),
        sample("tf.scatter_nd", "3 into [3,2], duplicate (0,1)", (3,), indices=idx([0, 1], [2, 0], [0, 1]), shape=[3, 2]),
    ], second_order_sample=0, bugs=(NESTED_SCATTER,), points=[
        point("duplicates [[1],[1],[0]]", [[1.0, 2.0, 3.0]], [[1.0, 1.0, 1.0]],
              "scatter_nd sums duplicate updates, so each update reaches the output once", indices=idx([1], [1], [0]),
              shape=[3], bug=NESTED_SCATTER_POINTS, second=linear(3)),
        point("no updates", [zeros(0)], [zeros(0)], "an empty scatter is all zeros: an empty gradient",
              indices=np.zeros((0, 1), np.int64), shape=[3], second=hvp([zeros(0)], EMPTY)),
        point("no updates into rows of [3,2]", [zeros(0, 2)], [zeros(0, 2)], "no rows scattered: the output is the "
              "constant zeros(3, 2), an empty (0, 2) gradient", indices=np.zeros((0, 1), np.int64), shape=[3, 2],
              second=hvp([zeros(0, 2)], EMPTY)),
        point("no updates into the empty shape [0]", [zeros(0)], [zeros(0)], "an empty output: an empty gradient",
              indices=np.zeros((0, 1), np.int64), shape=[0], second=hvp([zeros(0)], EMPTY)),
    ]),
    op("tf.tensor_scatter_nd_update", lambda tensor, updates, indices: tf.tensor_scatter_nd_update(tensor, indices, updates), [
        sample("tf.tensor_scatter_nd_update", "5 with 2 updates", (5,), (2,), indices=idx([1], [3])),
        sample("tf.tensor_scatter_nd_update", "3x4 with 2 rows", (3, 4), (2, 4), indices=idx([2], [0])),
        sample("tf.tensor_scatter_nd_update", "3x3 with 3 entries", (3, 3), (3,), indices=idx([0, 0], [1, 2], [2, 1])),
    ], diff=(0, 1), domain="all reals; indices without duplicates (with duplicates the winner is unspecified on GPU)", points=[
        point("4 with updates at 0 and 2", [[1.0, 2.0, 3.0, 4.0], [5.0, 6.0]], [[0.0, 1.0, 0.0, 1.0], [1.0, 1.0]],
              "updated slots no longer depend on the tensor (0); each update reaches the output once",
              indices=idx([0], [2]), second=linear(4, 2)),
        point("duplicate index [[1],[1]]", [[1.0, 2.0, 3.0], [5.0, 7.0]], [[1.0, 0.0, 1.0], [0.0, 1.0]],
              "on CPU (and under XLA on CPU) the updates are applied in order, so out[1] = updates[1] (7): the "
              "overwritten update does not reach the output", indices=idx([1], [1]), bug=_SCATTER_UPDATE_DUPLICATE_BUG,
              second=linear(3, 2)),
        point("no updates", [[1.0, 2.0, 3.0], zeros(0)], [ones(3), zeros(0)], "updating nothing is the identity on the "
              "tensor", indices=np.zeros((0, 1), np.int64), second=hvp([zeros(3), zeros(0)], LINEAR)),
        point("empty tensor, no updates", [zeros(0), zeros(0)], [zeros(0), zeros(0)], "no entries at all: empty gradients",
              indices=np.zeros((0, 1), np.int64), second=hvp([zeros(0), zeros(0)], EMPTY)),
    ]),
    op("tf.tensor_scatter_nd_add", lambda tensor, updates, indices: tf.tensor_scatter_nd_add(tensor, indices, updates), [
        sample("tf.tensor_scatter_nd_add", "5 with 3 updates, duplicate", (5,), (3,), indices=idx([1], [3], [1])),
        sample("tf.tensor_scatter_nd_add", "3x4 with 2 rows", (3, 4), (2, 4), indices=idx([2], [0])),
    ], diff=(0, 1), points=[
        point("duplicate index [[1],[1]]", [[1.0, 2.0, 3.0], [5.0, 7.0]], [[1.0, 1.0, 1.0], [1.0, 1.0]],
              "out = tensor + Σ updates at their slots: every entry reaches the output once", indices=idx([1], [1]),
              second=linear(3, 2)),
        point("no updates", [[1.0, 2.0], zeros(0)], [[1.0, 1.0], zeros(0)], "adding nothing is the identity",
              indices=np.zeros((0, 1), np.int64), second=hvp([zeros(2), zeros(0)], LINEAR)),
        point("empty tensor, no updates", [zeros(0), zeros(0)], [zeros(0), zeros(0)], "no entries at all: empty gradients",
              indices=np.zeros((0, 1), np.int64), second=hvp([zeros(0), zeros(0)], EMPTY)),
    ]),
    op("tf.tensor_scatter_nd_sub", lambda tensor, updates, indices: tf.tensor_scatter_nd_sub(tensor, indices, updates), [
        sample("tf.tensor_scatter_nd_sub", "5 with 3 updates, duplicate", (5,), (3,), indices=idx([4], [0], [4])),
        sample("tf.tensor_scatter_nd_sub", "3x3 with 2 entries", (3, 3), (2,), indices=idx([0, 2], [1, 1])),
    ], diff=(0, 1), points=[
        point("duplicate index [[0],[0]]", [[1.0, 2.0], [5.0, 7.0]], [[1.0, 1.0], [-1.0, -1.0]],
              "out = tensor − Σ updates at their slots", indices=idx([0], [0]), second=linear(2, 2)),
        point("no updates", [[1.0, 2.0], zeros(0)], [[1.0, 1.0], zeros(0)], "subtracting nothing is the identity",
              indices=np.zeros((0, 1), np.int64), second=hvp([zeros(2), zeros(0)], LINEAR)),
    ]),
    op("tf.raw_ops.ScatterNdNonAliasingAdd", _non_aliasing_add, [
        sample("tf.raw_ops.ScatterNdNonAliasingAdd", "5 with 3 updates, duplicate", (5,), (3,), indices=idx([1], [3], [1])),
        sample("tf.raw_ops.ScatterNdNonAliasingAdd", "3x4 with 2 rows", (3, 4), (2, 4), indices=idx([2], [0])),
    ], diff=(0, 1), skips={"xla": "XLA cannot compile ScatterNdNonAliasingAdd (no XLA kernel)"}, points=[
        point("duplicate index [[1],[1]]", [[1.0, 2.0, 3.0], [5.0, 7.0]], [[1.0, 1.0, 1.0], [1.0, 1.0]],
              "input + Σ updates at their slots (duplicates add): every entry reaches the output once",
              indices=idx([1], [1]), second=linear(3, 2)),
        point("no updates", [[1.0, 2.0], zeros(0)], [[1.0, 1.0], zeros(0)], "adding nothing is the identity",
              indices=np.zeros((0, 1), np.int64), second=hvp([zeros(2), zeros(0)], LINEAR)),
    ]),
    op("tf.tensor_scatter_nd_max", lambda tensor, updates, indices: tf.tensor_scatter_nd_max(tensor, indices, updates), [
        untied("tf.tensor_scatter_nd_max", "5 with 3 updates", (5,), (3,), indices=idx([1], [3], [4])),
        untied("tf.tensor_scatter_nd_max", "3x3 with 2 rows", (3, 3), (2, 3), indices=idx([0], [2])),
        untied("tf.tensor_scatter_nd_max", "4 with 3 updates, duplicate", (4,), (3,), indices=idx([1], [1], [2])),
    ], diff=(0, 1), domain="all reals away from ties (tensor vs updates, duplicate updates)",
        bugs=(NESTED_SCATTER_EXTREMUM["max"],), points=[
        point("tie tensor = update", [[1.0, 2.0, 3.0], [2.0]], [[1.0, 0.5, 1.0], [0.5]],
              "convention (documented in array_grad._TensorScatterMinOrMaxGrad: the gradient is divided between tied "
              "maxima); any split with the two summing to 1 is a subgradient", indices=idx([1]),
              bug=NESTED_SCATTER_EXTREMUM_POINTS['max'],
              second=hvp([zeros(3), zeros(1)], TIES_HVP, v=[[0.0, 1.0, 0.0], [-1.0]], exists=False)),
        point("three-way tie, duplicate updates", [[5.0, 0.0], [5.0, 5.0]], [[1 / 3, 1.0], [1 / 3, 1 / 3]],
              "convention (array_grad._TensorScatterMinOrMaxGrad divides between all tied maxima): 1/3 each",
              indices=idx([0], [0]), bug=NESTED_SCATTER_EXTREMUM_POINTS['max'],
              second=hvp([zeros(2), zeros(2)], TIES_HVP, v=[[1.0, 0.0], [2.0, 3.0]], exists=False)),
        point("duplicate updates, no tie", [[0.0, 1.0], [3.0, 2.0]], [[1.0, 0.0], [1.0, 0.0]],
              "out[1] = max(1, 3, 2) = 3 comes from the first update only", indices=idx([1], [1]),
              bug=NESTED_SCATTER_EXTREMUM_POINTS['max'],
              second=hvp([zeros(2), zeros(2)], "a unique maximum: locally linear, H = 0")),
        point("no updates", [[1.0, 2.0], zeros(0)], [[1.0, 1.0], zeros(0)], "no update competes: the identity on the tensor",
              indices=np.zeros((0, 1), np.int64), bug=NESTED_SCATTER_EXTREMUM_POINTS['max'],
              second=hvp([zeros(2), zeros(0)], LINEAR)),
    ]),
    op("tf.tensor_scatter_nd_min", lambda tensor, updates, indices: tf.tensor_scatter_nd_min(tensor, indices, updates), [
        untied("tf.tensor_scatter_nd_min", "5 with 3 updates", (5,), (3,), indices=idx([0], [2], [3])),
        untied("tf.tensor_scatter_nd_min", "2x3 with 2 entries", (2, 3), (2,), indices=idx([0, 1], [1, 2])),
        untied("tf.tensor_scatter_nd_min", "4 with 3 updates, duplicate", (4,), (3,), indices=idx([3], [0], [3])),
    ], diff=(0, 1), domain="all reals away from ties (tensor vs updates, duplicate updates)",
        bugs=(NESTED_SCATTER_EXTREMUM["min"],), points=[
        point("tie tensor = update", [[1.0, 2.0, 3.0], [3.0]], [[1.0, 1.0, 0.5], [0.5]],
              "convention (documented in array_grad._TensorScatterMinOrMaxGrad: the gradient is divided between tied "
              "minima); any split with the two summing to 1 is a subgradient", indices=idx([2]),
              bug=NESTED_SCATTER_EXTREMUM_POINTS['min'],
              second=hvp([zeros(3), zeros(1)], TIES_HVP, v=[[0.0, 0.0, 1.0], [-1.0]], exists=False)),
        point("duplicate updates, no tie", [[4.0, 1.0], [3.0, 2.0]], [[0.0, 1.0], [0.0, 1.0]],
              "out[0] = min(4, 3, 2) = 2 comes from the second update only", indices=idx([0], [0]),
              bug=NESTED_SCATTER_EXTREMUM_POINTS['min'],
              second=hvp([zeros(2), zeros(2)], "a unique minimum: locally linear, H = 0")),
        point("no updates", [[1.0, 2.0], zeros(0)], [[1.0, 1.0], zeros(0)], "no update competes: the identity on the tensor",
              indices=np.zeros((0, 1), np.int64), bug=NESTED_SCATTER_EXTREMUM_POINTS['min'],
              second=hvp([zeros(2), zeros(0)], LINEAR)),
    ]),
    op("tf.raw_ops.TensorStridedSliceUpdate", _tssu, [
        sample("tf.raw_ops.TensorStridedSliceUpdate", "6, [1:4] with 3", (6,), (3,), begin=[1], end=[4], strides=[1]),
        sample("tf.raw_ops.TensorStridedSliceUpdate", "3x4, row 1 with 4 (shrink_axis_mask=1)", (3, 4), (4,), begin=[1, 0],
               end=[2, 4], strides=[1, 1], shrink_axis_mask=1),
        sample("tf.raw_ops.TensorStridedSliceUpdate", "6, [5:0:-2] with 3 (XLA has unit strides only)", (6,), (3,),
               begin=[5], end=[0], strides=[-2]),
        sample("tf.raw_ops.TensorStridedSliceUpdate", "3x4, [::-1, 1:3] with 3x2", (3, 4), (3, 2), begin=[0, 1],
               end=[0, 3], strides=[-1, 1], begin_mask=1, end_mask=1),
    ], diff=(0, 1), domain="input, value: all reals (the value has the slice's shape)", points=[
        point("4, [1:3] with 2", [[1.0, 2.0, 3.0, 4.0], [5.0, 6.0]], [[1.0, 0.0, 0.0, 1.0], [1.0, 1.0]],
              "the overwritten entries no longer depend on the input; each value entry reaches the output once",
              begin=[1], end=[3], strides=[1], second=linear(4, 2)),
        point("4, [::-1] with 4 (everything overwritten)", [[1.0, 2.0, 3.0, 4.0], [5.0, 6.0, 7.0, 8.0]],
              [zeros(4), ones(4)], "a full reversed slice replaces every entry: the input does not reach the output",
              begin=[0], end=[0], strides=[-1], begin_mask=1, end_mask=1, second=linear(4, 4)),
        point("2x3, row 1 with 3", [[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], [7.0, 8.0, 9.0]],
              [[[1.0, 1.0, 1.0], [0.0, 0.0, 0.0]], ones(3)], "row 1 is replaced by the value", begin=[1, 0], end=[2, 3],
              strides=[1, 1], shrink_axis_mask=1, second=linear((2, 3), 3)),
    ]),
    op("tf.raw_ops.TensorStridedSliceUpdate(zero-size slice)", _tssu, [
        sample("tf.raw_ops.TensorStridedSliceUpdate(zero-size slice)", "6, [1:4] with 3", (6,), (3,), begin=[1], end=[4],
               strides=[1]),
    ], diff=(0, 1), domain="input, value: all reals; the points' slices have no entries", points=[
        point("4, [2:2] with nothing", [[1.0, 2.0, 3.0, 4.0], zeros(0)], [ones(4), zeros(0)],
              "an empty slice updates nothing: the identity on the input, an empty gradient for the value", begin=[2],
              end=[2], strides=[1], bug=STRIDED_UPDATE_XLA_EMPTY, second=hvp([zeros(4), zeros(0)], LINEAR)),
        point("empty input, [0:0] with nothing", [zeros(0), zeros(0)], [zeros(0), zeros(0)],
              "no entries at all: empty gradients", begin=[0], end=[0], strides=[1], bug=STRIDED_UPDATE_XLA_EMPTY,
              second=hvp([zeros(0), zeros(0)], EMPTY)),
    ]),
    # ------------------------------------------------------------------ stitch and partition
    op("tf.dynamic_stitch", lambda a, b, ia, ib: tf.dynamic_stitch([ia, ib], [a, b]), [
        sample("tf.dynamic_stitch", "3 and 2 into 5", (3,), (2,), ia=idx(0, 2, 4), ib=idx(1, 3)),
        sample("tf.dynamic_stitch", "2x3 and 1x3 rows", (2, 3), (1, 3), ia=idx(2, 0), ib=idx(1)),
        sample("tf.dynamic_stitch", "2x2x2 and 1x2 with 2-D indices", (2, 2, 2), (1, 2), ia=idx([0, 3], [4, 1]), ib=idx(2)),
    ], diff=(0, 1), bugs=(NESTED_STITCH,), domain="all reals; indices without duplicates in the samples", points=[
        point("duplicate index across inputs", [[1.0, 2.0], [3.0, 4.0]], [[1.0, 0.0], [1.0, 1.0]],
              "documented: for duplicate indices the later slice is merged, so b[0] overwrites a[1], which then does "
              "not reach the output", ia=idx(0, 1), ib=idx(1, 2), bug=_STITCH_DUPLICATE_BUG,
              second=hvp([zeros(2), zeros(2)], LINEAR, bug=NESTED_STITCH_POINTS)),
        point("empty second input", [[1.0, 2.0], zeros(0)], [[1.0, 1.0], zeros(0)],
              "an empty data slice contributes nothing: an empty gradient", ia=idx(0, 1), ib=NO_INDEX,
              bug=NESTED_STITCH_POINTS, second=hvp([zeros(2), zeros(0)], LINEAR)),
        point("both inputs empty", [zeros(0), zeros(0)], [zeros(0), zeros(0)], "nothing stitched: an empty output, empty "
              "gradients", ia=NO_INDEX, ib=NO_INDEX, second=hvp([zeros(0), zeros(0)], EMPTY)),
        point("empty rows and one row", [zeros(0, 2), [[1.0, 2.0]]], [zeros(0, 2), ones(1, 2)],
              "the first input has no rows; the second's row is the output", ia=NO_INDEX, ib=idx(0),
              bug=NESTED_STITCH_POINTS, second=hvp([zeros(0, 2), zeros(1, 2)], LINEAR)),
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
              partitions=np.array([0, 0, 2], np.int32), num_partitions=3, second=linear(3)),
        point("everything in one partition", [[1.0, 2.0, 3.0]], [ones(3)], "partitions 0 and 2 are empty, partition 1 "
              "is the data", partitions=np.array([1, 1, 1], np.int32), num_partitions=3, second=linear(3)),
        point("no data", [zeros(0, 2)], [zeros(0, 2)], "every partition is empty: an empty gradient",
              partitions=np.zeros(0, np.int32), num_partitions=2, second=hvp([zeros(0, 2)], EMPTY)),
    ]),
    # ------------------------------------------------------------------ sort and top_k
    op("tf.sort", lambda values, axis=-1, direction="ASCENDING": tf.sort(values, axis=axis, direction=direction), [
        untied("tf.sort", "5, ascending", (5,)),
        untied("tf.sort", "3x4, axis 0, descending", (3, 4), axis=0, direction="DESCENDING"),
        untied("tf.sort", "2x5, axis -1, descending", (2, 5), direction="DESCENDING"),
    ], domain="all reals away from ties", points=[
        point("ties [1,2,1,2]", [[1.0, 2.0, 1.0, 2.0]], [[1.0, 1.0, 1.0, 1.0]],
              "Σ sort(x) = Σx whatever the order of tied entries: each entry reaches the output exactly once",
              second=hvp([zeros(4)], "Σ sort(x) = Σx is linear on a whole neighbourhood, ties included: H = 0")),
        point("all equal, descending", [[3.0, 3.0, 3.0]], [[1.0, 1.0, 1.0]],
              "Σ sort(x) = Σx: a tie must not send two output slots to one input", direction="DESCENDING",
              second=hvp([zeros(3)], "Σ sort(x) = Σx: H = 0")),
        point("size-1 axis: 3x1", [[[2.0], [-1.0], [0.5]]], [ones(3, 1)], "sorting one entry is the identity",
              second=linear((3, 1))),
    ]),
    op("tf.sort(empty axis)", lambda values, axis=-1, direction="ASCENDING": tf.sort(values, axis=axis, direction=direction), [
        untied("tf.sort(empty axis)", "5, ascending", (5,)),
    ], domain="all reals; the points' sorted axis is empty", points=[
        point("no entries", [zeros(0)], [zeros(0)], "an empty input sorts to itself: an empty gradient", bug=SORT_EMPTY,
              second=hvp([zeros(0)], EMPTY)),
        point("2x0, axis -1", [zeros(2, 0)], [zeros(2, 0)], "two empty rows sort to themselves: an empty gradient",
              bug=SORT_EMPTY, second=hvp([zeros(2, 0)], EMPTY)),
        point("0x3, axis 0 (an empty axis of a 2-D input)", [zeros(0, 3)], [zeros(0, 3)],
              "nothing to sort along axis 0: an empty gradient", axis=0, bug=SORT_EMPTY, second=hvp([zeros(0, 3)], EMPTY)),
    ]),
    op("tf.math.top_k", lambda x, k, sorted=True: tf.math.top_k(x, k=k, sorted=sorted), [
        untied("tf.math.top_k", "6, k 3", (6,), k=3),
        untied("tf.math.top_k", "3x5, k 2", (3, 5), k=2),
        untied("tf.math.top_k", "2x4, k 4 (all)", (2, 4), k=4),
    ], domain="all reals away from ties at the k-th largest value", points=[
        point("tie at the boundary, k 2", [[3.0, 1.0, 2.0, 2.0]], [between([1.0, 0.0, 0.0, 0.0], [1.0, 0.0, 1.0, 1.0])],
              "Σ top_2 = 3 + max(x₂, x₃): at x₂ = x₃ the subdifferential of max splits one unit between the tied "
              "entries (any value in [0, 1] each); the largest gets 1, the smallest 0", k=2,
              second=hvp([zeros(4)], TIES_HVP, v=[[0.0, 0.0, 1.0, -1.0]], exists=False)),
        point("k 0", [[1.0, 2.0, 3.0]], [zeros(3)], "no values taken: no dependence on x", k=0, second=linear(3)),
        point("sorted False, k 2", [[0.5, -1.0, 2.0, 1.5, 0.25]], [[0.0, 0.0, 1.0, 1.0, 0.0]],
              "Σ top_2 = 2 + 1.5 whatever order the unsorted values come in (XLA's order differs from the CPU kernel's, "
              "so samples keep sorted=True)", k=2, sorted=False, second=linear(5)),
        point("ties inside the top k, k 3", [[2.0, 5.0, 2.0, 1.0]], [[1.0, 1.0, 1.0, 0.0]],
              "the tied 2s are both among the top 3: Σ top_3 = 5 + 2 + 2 whichever order, so each gets 1", k=3,
              second=hvp([zeros(4)], "Σ top_3 = x₀ + x₁ + x₂ on a whole neighbourhood (the 4th entry, 1, stays out): "
                         "H = 0")),
        point("no rows: 0x3, k 2", [zeros(0, 3)], [zeros(0, 3)], "no rows to choose from: an empty gradient", k=2,
              second=hvp([zeros(0, 3)], EMPTY)),
        point("size-1 last axis: 2x1, k 1", [[[1.0], [2.0]]], [ones(2, 1)], "the top 1 of one entry is that entry", k=1,
              second=linear((2, 1))),
    ]),
    op("tf.math.top_k(empty last axis)", lambda x, k, sorted=True: tf.math.top_k(x, k=k, sorted=sorted), [
        untied("tf.math.top_k(empty last axis)", "6, k 3", (6,), k=3),
    ], domain="all reals; the point's last axis is empty (k = 0)", points=[
        point("no entries, k 0", [zeros(0)], [zeros(0)], "nothing to choose from: an empty gradient", k=0, bug=TOP_K_EMPTY,
              second=hvp([zeros(0)], EMPTY)),
    ]),
]
