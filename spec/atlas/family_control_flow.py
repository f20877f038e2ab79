"""Control flow as ops: loops, conditionals and TensorArrays, which become raw ops only when traced.

Eagerly tf.while_loop, tf.cond and tf.switch_case run their Python bodies and a tf.TensorArray is a Python list, so
eager mode checks the mathematics of the loop or branch; in tf.function and under XLA the same calls become While /
StatelessWhile, StatelessIf, Case / StatelessCase and TensorList* ops with their registered gradients, and every
record's fn gives the same values in the three modes. A loop or branch whose body reads a tf.Variable is stateful
(While, Case, with ReadVariableOp inside); the records that need one read a non-trainable variable created once
outside any trace.

Special points: zero iterations (the loop is the identity), one iteration (the body's own derivative), two (the
chain rule through the loop), the branch boundary of tf.cond (where a C¹ function has no second derivative: any
value between the one-sided ones is asserted), out-of-range switch_case indices (the last branch runs), zero-size
loop variables and empty TensorArrays. The gradient of a loop with respect to a tensor the body only captures
(w below) is the sum over iterations, the path that while_v2 accumulates separately.

Also here: the TensorList raw ops no public path emits any more (TensorListConcat, TensorListResize,
TensorListScatter, TensorListScatterV2, through tf.raw_ops), the composite-tensor variant round trip
(CompositeTensorVariantFromComponents / ToComponents: no public TF2 path emits them; ExtensionType packing is
private), tf.compat.v1.placeholder_with_default, and tf.raw_ops.PreventGradient, whose registered gradient raises
LookupError by design: its record states that behaviour as skips, the runner having no check that expects a raise.

Found here: XLA cannot compile the gradient of a loop with maximum_iterations=0 (without maximum_iterations it is
XLA's documented limitation, skipped with that reason); in tf.function the gradient of TensorArray.gather drops the
cotangent of duplicate indices (TensorListScatterIntoExistingList overwrites); forward mode through a TensorList or
composite variant raises.
Skipped under XLA with the reason: TensorList ops without an XLA kernel, and TensorArrays whose elements differ in
length.

Left out, with the reason: the TensorArray*V3 ops. Their registered gradients build a TensorArray from the op's
handle and name their accumulator after the enclosing tf.gradients call, which exists only in TF1 graphs with
control flow v1 (tf.compat.v1.disable_control_flow_v2(), a process-wide switch): under tf.GradientTape they raise
(AttributeError eagerly, ValueError "Expected op/tensor name to start with gradients" in tf.function, AssertionError
even inside a name_scope called "gradients"). TF1 control flow (Enter, Exit, Merge, Switch, NextIteration, LoopCond
and their Ref versions) is never built by TF2 code either.
"""
import dataclasses

import numpy as np
import tensorflow as tf

from spec.atlas.records import (MODES, REAL, Domain, KnownBug, Sample, Workaround, between, draw, hvp, op, point,
                                reproducer)

FAMILY = "control flow as ops: while_loop, cond, switch_case, TensorArray/TensorList, variables, composite variants"

NONZERO_SCALAR = Domain(0.3, 2.0, "x > 0 or x < 0 (away from the branch boundary)")


def sample(name: str, label: str, *shapes, domain: Domain = REAL, **kwargs) -> Sample:
    return Sample(tuple(draw(name, *shapes, domain=domain, salt=label)), kwargs, label)


def idx(*rows):
    return np.array(rows, dtype=np.int64)


# --------------------------------------------------------------------------------------------- a variable

_VARIABLES: dict = {}


def scale_variable(dtype) -> tf.Variable:
    """A non-trainable tf.Variable holding 0.5, one per dtype, created once outside any trace (tf.init_scope), so
    that a loop or branch reading it is stateful (While, Case) in every mode, as a model's weights make it."""
    if dtype not in _VARIABLES:
        with tf.init_scope():
            _VARIABLES[dtype] = tf.Variable(tf.constant(0.5, dtype), trainable=False, name=f"atlas_scale_{dtype.name}")
    return _VARIABLES[dtype]


# ------------------------------------------------------------------------------------------- the functions


def step(y, w):
    """The loop body's update: y ← sin y + w·y."""
    return tf.sin(y) + w * y


def while_loop(x, w, n):
    """n iterations of y ← sin y + w·y from y = x, by tf.while_loop with maximum_iterations (which XLA needs to
    differentiate the loop: the gradient's accumulators get a fixed size)."""
    return tf.while_loop(lambda i, y: i < n, lambda i, y: (i + 1, step(y, w)), (tf.constant(0), x),
                         maximum_iterations=n)[1]


def while_loop_unbounded(x, w, n):
    """The same loop without maximum_iterations."""
    return tf.while_loop(lambda i, y: i < n, lambda i, y: (i + 1, step(y, w)), (tf.constant(0), x))[1]


def while_loop_reading_a_variable(x, n):
    """n iterations of y ← sin y + v·y with v = 0.5 read from a tf.Variable in the body (a stateful While)."""
    v = scale_variable(x.dtype)
    return tf.while_loop(lambda i, y: i < n, lambda i, y: (i + 1, tf.sin(y) + v * y), (tf.constant(0), x),
                         maximum_iterations=n)[1]


def cond(x, y):
    """x·|x|·y by tf.cond on the sign of the scalar x: x²·y where x > 0, −x²·y otherwise (C¹, not C², at 0)."""
    return tf.cond(x > 0, lambda: x * x * y, lambda: -(x * x) * y)


def cond_reading_a_variable(x):
    """tf.cond on the sign of the scalar x with branches v·x² (x > 0) and x/v (otherwise), v = 0.5 read from a
    tf.Variable (a stateful If)."""
    v = scale_variable(x.dtype)
    return tf.cond(x > 0, lambda: v * x * x, lambda: x / v)


def switch_case(x, y, index):
    """Three branches of (x, y): sin(x)·y, x·y², exp(x) + y (same shapes); an index out of range runs the last."""
    return tf.switch_case(tf.constant(index), [lambda: tf.sin(x) * y, lambda: x * y * y, lambda: tf.exp(x) + y])


def switch_case_reading_a_variable(x, index):
    """Branches v·x², sin x, x/v with v = 0.5 read from a tf.Variable (a stateful Case)."""
    v = scale_variable(x.dtype)
    return tf.switch_case(tf.constant(index), [lambda: v * x * x, lambda: tf.sin(x), lambda: x / v])


def tensor_array_stack(x, n):
    """The RNN accumulator pattern: n iterations of y ← sin y written to a TensorArray in a tf.while_loop, stacked
    (shape (n,) + x.shape; n = 0 gives an empty stack)."""
    ta = tf.TensorArray(x.dtype, size=n, element_shape=x.shape)

    def body(i, y, ta):
        y = tf.sin(y)
        return i + 1, y, ta.write(i, y)

    return tf.while_loop(lambda i, y, ta: i < n, body, (tf.constant(0), x, ta), maximum_iterations=n)[2].stack()


def tensor_array_concat(x, cut):
    """x[:cut]² and x[cut:]·3 written as two elements of different lengths (infer_shape=False), then concatenated."""
    ta = tf.TensorArray(x.dtype, size=2, infer_shape=False)
    return ta.write(0, x[:cut] * x[:cut]).write(1, x[cut:] * 3.0).concat()


def tensor_array_gather(x, indices):
    """tf.TensorArray.unstack(x²).gather(indices): rows of x², repeated or dropped as the indices say."""
    return tf.TensorArray(x.dtype, size=x.shape[0], element_shape=x.shape[1:]).unstack(x * x).gather(indices)


def tensor_array_scatter(x, indices, size):
    """tf.TensorArray(size).scatter(indices, x²).stack(): rows of x² at the indices, zeros elsewhere."""
    ta = tf.TensorArray(x.dtype, size=size, element_shape=x.shape[1:])
    return ta.scatter(indices, x * x).stack()


def tensor_array_split(x, lengths):
    """tf.TensorArray.split(x, lengths), each piece read and multiplied by its index + 1, concatenated."""
    ta = tf.TensorArray(x.dtype, size=len(lengths), infer_shape=False).split(x, lengths)
    return tf.concat([ta.read(i) * float(i + 1) for i in range(len(lengths))], axis=0)


def _list_from(x):
    return tf.raw_ops.TensorListFromTensor(tensor=x, element_shape=tf.constant(list(x.shape[1:]), tf.int32))


def _stack(handle, x, num_elements=-1):
    return tf.raw_ops.TensorListStack(input_handle=handle, element_shape=tf.constant(list(x.shape[1:]), tf.int32),
                                      element_dtype=x.dtype, num_elements=num_elements)


def tensor_list_resize(x, size):
    """TensorListStack(TensorListResize(TensorListFromTensor(x), size)): the first `size` rows of x, zero rows added."""
    return _stack(tf.raw_ops.TensorListResize(input_handle=_list_from(x), size=size), x)


def tensor_list_concat(x):
    """TensorListConcat (V1) of the rows of x² as a list: x² flattened along the first two axes."""
    values, _ = tf.raw_ops.TensorListConcat(input_handle=_list_from(x * x), element_dtype=x.dtype,
                                            element_shape=[None] + list(x.shape[2:]))
    return values


def tensor_list_scatter(x, indices):
    """TensorListScatter (V1) of the rows of x² to the indices (the list's length is max(indices) + 1), stacked."""
    handle = tf.raw_ops.TensorListScatter(tensor=x * x, indices=indices,
                                          element_shape=tf.constant(list(x.shape[1:]), tf.int32))
    return _stack(handle, x)


def tensor_list_scatter_v2(x, indices, num_elements):
    """TensorListScatterV2 of the rows of x² into a list of num_elements, stacked (unset rows are zeros)."""
    handle = tf.raw_ops.TensorListScatterV2(tensor=x * x, indices=indices,
                                            element_shape=tf.constant(list(x.shape[1:]), tf.int32),
                                            num_elements=num_elements)
    return _stack(handle, x)


def placeholder_with_default(x):
    """tf.compat.v1.placeholder_with_default(x) with every dimension unknown, squared (an identity when nothing is fed)."""
    y = tf.compat.v1.placeholder_with_default(x, shape=[None] * len(x.shape))
    return y * y


def composite_variant_round_trip(a, b):
    """(a, b) packed into one variant by CompositeTensorVariantFromComponents, unpacked by ...ToComponents, multiplied."""
    encoded = tf.raw_ops.CompositeTensorVariantFromComponents(components=[a, b], metadata=b"")
    a2, b2 = tf.raw_ops.CompositeTensorVariantToComponents(encoded=encoded, metadata=b"", Tcomponents=[a.dtype, b.dtype])
    return a2 * b2


def prevent_gradient(x):
    return tf.raw_ops.PreventGradient(input=x, message="the atlas's PreventGradient record")


# ------------------------------------------------------------------------------------ closed forms (NumPy)


def two_iterations_hvp(x, w):
    """H·1 of Σ y2 over (x, w), with y1 = sin x + w·x and y2 = sin y1 + w·y1, from A = cos y1 + w, B = cos x + w:
    f_xx = −sin(y1)·B² − A·sin x (diagonal), f_xw = (1 − x·sin y1)·B + A, f_ww = (1 − x·sin y1)·x + x."""
    y1 = np.sin(x) + w * x
    a, b = np.cos(y1) + w, np.cos(x) + w
    f_xx, f_xw = -np.sin(y1) * b**2 - a * np.sin(x), (1 - x * np.sin(y1)) * b + a
    f_ww = (1 - x * np.sin(y1)) * x + x
    return f_xx, f_xw, f_ww


def loop_grads(x, w, n):
    """Σ of n iterations of y ← sin y + w·y, its gradient (∂/∂x, ∂/∂w) by the chain rule, float64 NumPy:
    ∂y_{k+1}/∂y_k = cos y_k + w, ∂y_{k+1}/∂w = y_k + (cos y_k + w)·∂y_k/∂w (w a scalar)."""
    y, dy_dx, dy_dw = np.asarray(x, np.float64), np.ones(np.shape(x)), np.zeros(np.shape(x))
    for _ in range(n):
        d = np.cos(y) + w
        y, dy_dx, dy_dw = np.sin(y) + w * y, d * dy_dx, y + d * dy_dw
    return dy_dx, float(np.sum(dy_dw))


X2 = np.array([0.0, 1.0])
W = 0.5

# --------------------------------------------------------------------------------------------- known bugs

UNBOUNDED_LOOP_XLA = ("XLA's documented limitation (XLA known issues, 'TensorFlow while loops need to be bounded (or have "
                      "backprop disabled)'): the gradient accumulates the body's intermediates in TensorLists of unknown "
                      "length ('XLA compilation requires a fixed tensor list size'); the tf.while_loop record sets "
                      "maximum_iterations, as the documented workaround says")

_ZERO_TRIP_XLA = KnownBug(
    "under XLA the gradient of a tf.while_loop with maximum_iterations=0 fails to compile (InvalidArgumentError: Update "
    "dim size 1 greater than dynamic slice dimension: 0): while_v2's gradient accumulators are sized by "
    "maximum_iterations and the loop counter's update does not fit an empty one; eager and tf.function return the "
    "identity's gradient",
    "unreported",
    reproducer("x = tf.constant([0.0, 1.0], tf.float64)",
               "@tf.function(jit_compile=True)",
               "def f(x):",
               "    with tf.GradientTape() as t:",
               "        t.watch(x)",
               "        y = tf.while_loop(lambda i, y: i < 0, lambda i, y: (i + 1, tf.sin(y)), (0, x), maximum_iterations=0)[1]",
               "    return t.gradient(y, x)",
               "print(f(x))  # expected [1, 1], got InvalidArgumentError: Update dim size 1 greater than dynamic slice dimension: 0"),
    checks=("special_reverse",), modes=("xla",), kind="mode failure",
    kind_why="eager and tf.function differentiate a loop that runs zero times; XLA cannot compile that gradient",
    searched=("while_loop maximum_iterations=0 XLA gradient Update dim size 1 greater than dynamic slice dimension",),
    workaround=Workaround('''import tensorflow as tf


def while_loop(x, w, n):
    """The loop with maximum_iterations at least 1: the condition still stops it after n = 0 iterations, and XLA
    compiles the gradient's accumulators."""
    return tf.while_loop(lambda i, y: i < n, lambda i, y: (i + 1, tf.sin(y) + w * y), (tf.constant(0), x),
                         maximum_iterations=max(n, 1))[1]
''', "while_loop"))

_ZERO_TRIP_XLA_VARIABLE = dataclasses.replace(_ZERO_TRIP_XLA, workaround=Workaround('''import tensorflow as tf

SCALE = {}


def while_loop_reading_a_variable(x, n):
    """The loop with maximum_iterations at least 1 (the condition still stops it after n = 0 iterations)."""
    if x.dtype not in SCALE:
        with tf.init_scope():
            SCALE[x.dtype] = tf.Variable(tf.constant(0.5, x.dtype), trainable=False)
    v = SCALE[x.dtype]
    return tf.while_loop(lambda i, y: i < n, lambda i, y: (i + 1, tf.sin(y) + v * y), (tf.constant(0), x),
                         maximum_iterations=max(n, 1))[1]
''', "while_loop_reading_a_variable"))

_ZERO_TRIP_XLA_TENSOR_ARRAY = dataclasses.replace(_ZERO_TRIP_XLA, workaround=Workaround('''import tensorflow as tf


def tensor_array_stack(x, n):
    """The accumulator loop with maximum_iterations and the TensorArray's size at least 1 (the condition still stops
    it after n = 0 steps), the stack cut back to n rows."""
    ta = tf.TensorArray(x.dtype, size=max(n, 1), element_shape=x.shape)

    def body(i, y, ta):
        y = tf.sin(y)
        return i + 1, y, ta.write(i, y)

    return tf.while_loop(lambda i, y, ta: i < n, body, (tf.constant(0), x, ta), maximum_iterations=max(n, 1))[2].stack()[:n]
''', "tensor_array_stack"))

_TENSOR_ARRAY_GATHER_DUPLICATES = KnownBug(
    "in tf.function the gradient of tf.TensorArray.gather with duplicate indices keeps one duplicate's cotangent: "
    "TensorListGather's registered gradient (list_ops._TensorListGatherGrad) scatters the cotangent rows into a new "
    "list with TensorListScatterIntoExistingList, which overwrites a row written twice instead of adding; eagerly the "
    "TensorArray is a Python list and the gradient accumulates",
    "unreported",
    reproducer("@tf.function",
               "def f(x):",
               "    with tf.GradientTape() as t:",
               "        t.watch(x)",
               "        y = tf.TensorArray(tf.float64, size=3).unstack(x).gather([0, 0, 2])",
               "    return t.gradient(y, x)",
               "print(f(tf.constant([1.0, 2.0, 3.0], tf.float64)))  # expected [2, 0, 1], got [1, 0, 1]"),
    checks=("reverse",), modes=("function",), kind="wrong value",
    kind_why="row 0 is gathered twice, so ∂Σ/∂x0 = 2·(its cotangent); tf.function returns one cotangent",
    related=("https://github.com/tensorflow/tensorflow/issues/56961",),
    searched=("TensorArray gather duplicate indices gradient wrong tf.function TensorListScatterIntoExistingList",),
    workaround=Workaround('''import tensorflow as tf


def tensor_array_gather(x, indices):
    """Gather from the stacked TensorArray with tf.gather, whose gradient adds the cotangents of duplicates."""
    rows = tf.TensorArray(x.dtype, size=x.shape[0], element_shape=x.shape[1:]).unstack(x * x).stack()
    return tf.gather(rows, indices)
''', "tensor_array_gather"))

_TENSOR_ARRAY_GATHER_DUPLICATES_AT_POINT = dataclasses.replace(_TENSOR_ARRAY_GATHER_DUPLICATES, checks=("special_reverse",))

VARIANT_FORWARD_CHECKS = ("forward", "forward_over_reverse", "reverse_over_forward", "forward_over_forward",
                          "special_forward", "special_forward_over_reverse", "special_reverse_over_forward",
                          "special_forward_over_forward")


def variant_forward_bug(op_name: str, workaround_code: str, workaround_name: str) -> KnownBug:
    """Forward mode through an op with a variant (TensorList or composite) intermediate raises TypeError."""
    return KnownBug(
        f"forward mode through {op_name} raises TypeError: `dtype` <dtype: 'variant'> is not compatible with 1 of dtype "
        "int64: ForwardAccumulator builds a tangent of ones for the variant intermediate; reverse mode is right",
        "unreported",
        reproducer("x = tf.constant([[1.0], [2.0]], tf.float64)",
                   "with tf.autodiff.ForwardAccumulator(x, tf.ones_like(x)) as acc:",
                   "    l = tf.raw_ops.TensorListFromTensor(tensor=x, element_shape=[1])",
                   "    y = tf.raw_ops.TensorListStack(input_handle=l, element_dtype=tf.float64, element_shape=[1])",
                   "print(acc.jvp(y))  # expected [[1], [1]], got TypeError: `dtype` <dtype: 'variant'> is not compatible "
                   "with 1 of dtype int64"),
        checks=VARIANT_FORWARD_CHECKS, kind="mode failure",
        kind_why="the op is linear or smooth and its reverse mode is right; every check through forward mode raises",
        related=("https://github.com/tensorflow/tensorflow/issues/59099",),
        searched=("ForwardAccumulator TensorList variant is not compatible with dtype int64 jvp",
                  "TensorArray gather duplicate indices gradient wrong tf.function TensorListScatterIntoExistingList"),
        workaround=Workaround(workaround_code, workaround_name))


_RESIZE_FORWARD = variant_forward_bug("tf.raw_ops.TensorListResize", '''import tensorflow as tf


def tensor_list_resize(x, size):
    """The resized list as a tensor: the first `size` rows of x, then zero rows up to `size`."""
    kept = x[:size]
    pad = tf.zeros(tf.concat([[size - tf.shape(kept)[0]], tf.shape(x)[1:]], 0), x.dtype)
    return tf.concat([kept, pad], 0)
''', "tensor_list_resize")
_CONCAT_FORWARD = variant_forward_bug("tf.raw_ops.TensorListConcat", '''import tensorflow as tf


def tensor_list_concat(x):
    """The concatenated rows of x² as a reshape."""
    return tf.reshape(x * x, tf.concat([[-1], tf.shape(x)[2:]], 0))
''', "tensor_list_concat")
_SCATTER_FORWARD = variant_forward_bug("tf.raw_ops.TensorListScatter", '''import tensorflow as tf


def tensor_list_scatter(x, indices):
    """The scattered and stacked rows of x² as a product with the one-hot matrix of the indices (max(indices) + 1 rows)."""
    placed = tf.one_hot(indices, tf.reduce_max(indices) + 1, dtype=x.dtype)  # [i, j] = 1 where row i goes to j
    return tf.tensordot(placed, x * x, axes=[[0], [0]])
''', "tensor_list_scatter")
_SCATTER_V2_FORWARD = variant_forward_bug("tf.raw_ops.TensorListScatterV2", '''import tensorflow as tf


def tensor_list_scatter_v2(x, indices, num_elements):
    """The scattered and stacked rows of x² as a product with the one-hot matrix of the indices (num_elements rows)."""
    placed = tf.one_hot(indices, num_elements, dtype=x.dtype)  # [i, j] = 1 where row i goes to j
    return tf.tensordot(placed, x * x, axes=[[0], [0]])
''', "tensor_list_scatter_v2")
_COMPOSITE_FORWARD = variant_forward_bug("CompositeTensorVariantFromComponents / ToComponents", '''import tensorflow as tf


def composite_variant_round_trip(a, b):
    """The product without the variant round trip (which returns its components unchanged)."""
    return a * b
''', "composite_variant_round_trip")

XLA_UNIFORM = "XLA represents a TensorList as one buffer of equal elements: elements (pieces) of different lengths cannot compile"


def no_xla_kernel(op_name: str, where: str = "") -> str:
    return f"XLA cannot compile {op_name} (no XLA_CPU_JIT kernel)" + (f", which {where} emits" if where else "")


PREVENT_GRADIENT_REASON = ("by design: tf.raw_ops.PreventGradient is the identity whose registered gradient raises "
                           "LookupError ('Gradient explicitly disabled. Reason: <message>'); TensorFlow puts it where a "
                           "second derivative would be silently wrong (the fused CTC and softmax cross-entropy "
                           "gradients), and the atlas has no check that expects a raise")

OPS = [
    # ---------------------------------------------------------------------------------------- while_loop
    op("tf.while_loop", while_loop, [
        sample("tf.while_loop", "3 iterations of a 3-vector, scalar w", (3,), (), n=3),
        sample("tf.while_loop", "2 iterations of 2x2, 2x2 w", (2, 2), (2, 2), n=2),
    ], diff=(0, 1), domain="all reals (y ← sin y + w·y, maximum_iterations = n)", points=[
        point("zero iterations", [X2, W, 0], [np.ones(2), 0.0], "the loop body never runs: f = x, ∂Σf/∂x = 1, ∂Σf/∂w = 0", bug=_ZERO_TRIP_XLA,
              second=hvp([np.zeros(2), 0.0], "f = x is linear and does not depend on w: H = 0")),
        point("one iteration", [X2, W, 1], [np.cos(X2) + W, float(np.sum(X2))],
              "f = sin x + w·x: ∂/∂x = cos x + w, ∂/∂w = Σx",
              second=hvp([-np.sin(X2) + 1.0, 2.0], "f_xx = −sin x (diagonal), f_xw = 1 per entry, f_ww = 0: "
                                                   "H·1 = (−sin x + 1, Σ 1 = 2)")),
        point("two iterations", [X2, W, 2], list(loop_grads(X2, W, 2)),
              "y1 = sin x + w x, f = sin y1 + w y1: ∂f/∂x = (cos y1 + w)(cos x + w), ∂f/∂w = Σ (cos y1 + w)·x + y1",
              second=hvp([two_iterations_hvp(X2, W)[0] + two_iterations_hvp(X2, W)[1],
                          float(np.sum(two_iterations_hvp(X2, W)[1]) + np.sum(two_iterations_hvp(X2, W)[2]))],
                         "H·1 = (f_xx + f_xw, Σ f_xw + Σ f_ww) with the closed forms of two_iterations_hvp (checked "
                         "against float64 second differences: 3.0, −0.9113595 and 4.7807357)")),
        point("zero-size loop variable", [np.zeros(0), W, 3], [np.zeros(0), 0.0],
              "an empty y stays empty through 3 iterations: an empty gradient, and 0 for w (Σ over no entries)",
              second=hvp([np.zeros(0), 0.0], "Σf = 0 identically: H = 0")),
    ]),
    op("tf.while_loop(no maximum_iterations)", while_loop_unbounded, [
        sample("tf.while_loop(no maximum_iterations)", "3 iterations of a 3-vector, scalar w", (3,), (), n=3),
    ], diff=(0, 1), domain="all reals (y ← sin y + w·y; the trip count n is known only to the condition)",
       skips={"xla": UNBOUNDED_LOOP_XLA}, points=[
        point("one iteration", [X2, W, 1], [np.cos(X2) + W, float(np.sum(X2))],
              "f = sin x + w·x: ∂/∂x = cos x + w, ∂/∂w = Σx",
              second=hvp([-np.sin(X2) + 1.0, 2.0], "H·1 = (−sin x + 1, 2) as for tf.while_loop")),
    ]),
    op("tf.while_loop(the body reads a tf.Variable)", while_loop_reading_a_variable, [
        sample("tf.while_loop(the body reads a tf.Variable)", "3 iterations of a 3-vector", (3,), n=3),
    ], domain="all reals (y ← sin y + v·y, v = 0.5 a tf.Variable: a stateful While with ReadVariableOp)", points=[
        point("zero iterations", [X2, 0], [np.ones(2)], "f = x", bug=_ZERO_TRIP_XLA_VARIABLE,
              second=hvp([np.zeros(2)], "linear: H = 0")),
        point("one iteration", [X2, 1], [np.cos(X2) + W], "f = sin x + v·x: ∂/∂x = cos x + 0.5",
              second=hvp([-np.sin(X2)], "f'' = −sin x")),
        point("two iterations", [X2, 2], [loop_grads(X2, W, 2)[0]], "(cos y1 + v)(cos x + v) with y1 = sin x + v·x",
              second=hvp([two_iterations_hvp(X2, W)[0]], "v is a constant here: H is the diagonal f_xx = −sin(y1)·B² − "
                                                         "A·sin x of two_iterations_hvp (0 and −1.6659153)")),
    ]),
    # ---------------------------------------------------------------------------------------- conditionals
    op("tf.cond", cond, [
        sample("tf.cond", "x > 0 (true branch), y 3-vector", (), (3,), domain=NONZERO_SCALAR),
        Sample((np.array(-0.75), draw("tf.cond", (2, 2), salt="neg")[0]), {}, "x < 0 (false branch), y 2x2"),
    ], diff=(0, 1), domain="x a scalar ≠ 0 (f = x·|x|·y: the branch boundary x = 0 is a point)", points=[
        point("x=0.5 (true branch)", [0.5, np.array([1.5, -1.0])], [2 * 0.5 * 0.5, np.full(2, 0.25)],
              "x²·y: ∂/∂x = 2x·Σy = 0.5, ∂/∂y = x² = 0.25",
              second=hvp([2 * 0.5 + 2 * 0.5 * 2, np.full(2, 2 * 0.5)], "f_xx = 2Σy = 1, f_xy = 2x = 1 per entry, f_yy = 0: "
                         "H·1 = (1 + 2·1, 1)")),
        point("x=-0.5 (false branch)", [-0.5, np.array([1.5, -1.0])], [-2 * -0.5 * 0.5, np.full(2, -0.25)],
              "−x²·y: ∂/∂x = −2x·Σy = 0.5, ∂/∂y = −x² = −0.25",
              second=hvp([-2 * 0.5 + -2 * -0.5 * 2, np.full(2, 1.0)], "f_xx = −2Σy = −1, f_xy = −2x = 1, f_yy = 0: "
                         "H·1 = (−1 + 2, 1)")),
        point("x=0 (the branch boundary)", [0.0, np.array([1.5, -1.0])], [0.0, np.zeros(2)],
              "both branches have value 0 and slope 0 at x = 0 (x·|x| is C¹): ∂/∂x = 2|x|Σy = 0, ∂/∂y = x|x| = 0",
              second=hvp([between(-1.0, 1.0), np.zeros(2)],
                         "x·|x| has no second derivative at 0: f_xx is 2Σy = 1 from the right and −1 from the left, so "
                         "(H·1)_x lies between −1 and 1 (TensorFlow takes the false branch, x > 0 being false); "
                         "f_xy = 2|x| = 0 from both sides, so (H·1)_y = 0", exists=False)),
    ]),
    op("tf.cond(a branch reads a tf.Variable)", cond_reading_a_variable, [
        sample("tf.cond(a branch reads a tf.Variable)", "x > 0 (true branch)", (), domain=NONZERO_SCALAR),
        Sample((np.array(-0.75),), {}, "x < 0 (false branch)"),
    ], domain="x a scalar ≠ 0 (v·x² for x > 0, x/v otherwise, v = 0.5 a tf.Variable: a stateful If)", points=[
        point("x=0.5 (true branch)", [0.5], [2 * W * 0.5], "v·x²: 2v·x = 0.5", second=hvp([2 * W], "2v = 1")),
        point("x=-0.5 (false branch)", [-0.5], [1 / W], "x/v: 1/v = 2", second=hvp([0.0], "linear: 0")),
        point("x=0 (the branch boundary)", [0.0], [between(0.0, 1 / W)],
              "both branches are 0 at x = 0 but their slopes differ (0 from the right, 1/v = 2 from the left): any value "
              "between is a subgradient (TensorFlow takes the false branch, x > 0 being false)",
              second=hvp([between(0.0, 2 * W)], "f' jumps at 0, so f'' does not exist there; the one-sided values are "
                         "2v = 1 (right) and 0 (left), and the value asserted lies between them", exists=False)),
    ]),
    op("tf.switch_case", switch_case, [
        sample("tf.switch_case", "branch 0, 3-vectors", (3,), (3,), index=0),
        sample("tf.switch_case", "branch 1, 2x2", (2, 2), (2, 2), index=1),
        sample("tf.switch_case", "branch 2, 3-vectors", (3,), (3,), index=2),
    ], diff=(0, 1), domain="all reals; index 0, 1, 2 (out of range: the last branch)", points=[
        point("branch 0", [X2, np.array([2.0, -1.0]), 0], [np.cos(X2) * [2.0, -1.0], np.sin(X2)],
              "sin(x)·y: ∂/∂x = cos x·y, ∂/∂y = sin x",
              second=hvp([-np.sin(X2) * [2.0, -1.0] + np.cos(X2), np.cos(X2)],
                         "f_xx = −sin x·y, f_xy = cos x, f_yy = 0: H·1 = (−sin x·y + cos x, cos x)")),
        point("branch 1", [X2, np.array([2.0, -1.0]), 1], [np.array([4.0, 1.0]), 2 * X2 * [2.0, -1.0]],
              "x·y²: ∂/∂x = y², ∂/∂y = 2xy",
              second=hvp([2 * np.array([2.0, -1.0]), 2 * np.array([2.0, -1.0]) + 2 * X2],
                         "f_xx = 0, f_xy = 2y, f_yy = 2x: H·1 = (2y, 2y + 2x)")),
        point("index 7 (out of range: the last branch)", [X2, np.array([2.0, -1.0]), 7], [np.exp(X2), np.ones(2)],
              "an index without a branch runs the last one, exp(x) + y: ∂/∂x = eˣ, ∂/∂y = 1",
              second=hvp([np.exp(X2), np.zeros(2)], "f_xx = eˣ, f_xy = f_yy = 0")),
        point("index -1 (out of range)", [X2, np.array([2.0, -1.0]), -1], [np.exp(X2), np.ones(2)],
              "a negative index has no branch either: the last one runs",
              second=hvp([np.exp(X2), np.zeros(2)], "f_xx = eˣ, f_xy = f_yy = 0")),
    ]),
    op("tf.switch_case(a branch reads a tf.Variable)", switch_case_reading_a_variable, [
        sample("tf.switch_case(a branch reads a tf.Variable)", "branch 0, 3-vector", (3,), index=0),
        sample("tf.switch_case(a branch reads a tf.Variable)", "branch 2, 2x2", (2, 2), index=2),
    ], domain="all reals; v = 0.5 a tf.Variable (a stateful Case with ReadVariableOp)", points=[
        point("branch 0", [X2, 0], [2 * W * X2], "v·x²: ∂/∂x = 2v·x = x", second=hvp([np.full(2, 2 * W)], "2v = 1")),
        point("branch 2", [X2, 2], [np.full(2, 1 / W)], "x/v: ∂/∂x = 1/v = 2", second=hvp([np.zeros(2)], "linear: H = 0")),
    ]),
    # ---------------------------------------------------------------------------------------- TensorArray
    op("tf.TensorArray.stack (written in a tf.while_loop)", tensor_array_stack, [
        sample("tf.TensorArray.stack (written in a tf.while_loop)", "3 steps of a 2-vector", (2,), n=3),
        sample("tf.TensorArray.stack (written in a tf.while_loop)", "2 steps of 2x2", (2, 2), n=2),
    ], domain="all reals (row k is sin applied k + 1 times)", points=[
        point("two steps", [X2, 2], [np.cos(X2) + np.cos(np.sin(X2)) * np.cos(X2)],
              "rows sin x and sin(sin x): ∂Σ/∂x = cos x + cos(sin x)·cos x",
              second=hvp([-np.sin(X2) - np.sin(np.sin(X2)) * np.cos(X2) ** 2 - np.cos(np.sin(X2)) * np.sin(X2)],
                         "(sin x)'' = −sin x; (sin sin x)'' = −sin(sin x)·cos²x − cos(sin x)·sin x")),
        point("empty TensorArray (zero steps)", [X2, 0], [np.zeros(2)],
              "no row is written: the stack has shape (0, 2) and does not depend on x", bug=_ZERO_TRIP_XLA_TENSOR_ARRAY,
              second=hvp([np.zeros(2)], "Σf = 0 identically")),
    ]),
    op("tf.TensorArray.concat", tensor_array_concat, [
        sample("tf.TensorArray.concat", "5, cut 2", (5,), cut=2),
        sample("tf.TensorArray.concat", "4x2, cut 1", (4, 2), cut=1),
    ], domain="all reals (elements of different lengths, infer_shape=False)", points=[
        point("cut 1 of 3", [np.array([2.0, 1.0, -1.0]), 1], [[4.0, 3.0, 3.0]], "x0² then 3·x1, 3·x2: ∂/∂x = (2x0, 3, 3)",
              second=hvp([[2.0, 0.0, 0.0]], "(x0²)'' = 2, the rest linear")),
        point("an empty element (cut 0)", [np.array([2.0, 1.0]), 0], [[3.0, 3.0]],
              "element 0 is empty (x[:0]²), element 1 is 3x: ∂/∂x = 3", second=hvp([np.zeros(2)], "linear: H = 0")),
    ], skips={"xla": XLA_UNIFORM}),
    op("tf.TensorArray.gather", tensor_array_gather, [
        sample("tf.TensorArray.gather", "4x2, indices [3, 0, 3]", (4, 2), indices=idx(3, 0, 3)),
        sample("tf.TensorArray.gather", "3, indices [1, 2]", (3,), indices=idx(1, 2)),
    ], domain="all reals (rows of x²)", points=[
        point("duplicate indices", [np.array([1.0, 2.0, 3.0]), idx(0, 0, 2)], [[4.0, 0.0, 6.0]],
              "row 0 is gathered twice (2·2x0), row 1 never, row 2 once (2x2)", bug=_TENSOR_ARRAY_GATHER_DUPLICATES_AT_POINT, second=hvp([[4.0, 0.0, 2.0]], "(x²)'' = 2 per use")),
        point("no indices (empty gather)", [np.array([1.0, 2.0]), np.zeros(0, np.int64)], [[0.0, 0.0]],
              "nothing is gathered: gradient 0", second=hvp([np.zeros(2)], "Σf = 0 identically")),
    ], bugs=(_TENSOR_ARRAY_GATHER_DUPLICATES,), second_order_sample=0, skips={"xla": no_xla_kernel("TensorListScatterIntoExistingList", "the gradient of a gather")}),
    op("tf.TensorArray.scatter", tensor_array_scatter, [
        sample("tf.TensorArray.scatter", "2x3 rows to [3, 0] of 4", (2, 3), indices=idx(3, 0), size=4),
        sample("tf.TensorArray.scatter", "3 to [1, 2, 0] of 3", (3,), indices=idx(1, 2, 0), size=3),
    ], domain="all reals (rows of x², distinct indices)", points=[
        point("into 4 rows", [np.array([1.0, -2.0]), idx(2, 0), 4], [[2.0, -4.0]], "each row of x² lands once: ∂/∂x = 2x",
              second=hvp([[2.0, 2.0]], "(x²)'' = 2")),
        point("nothing scattered", [np.zeros(0), np.zeros(0, np.int64), 2], [np.zeros(0)],
              "an empty scatter into 2 rows: the stack is zeros, the gradient empty", second=hvp([np.zeros(0)], "empty")),
    ], skips={"xla": no_xla_kernel("TensorListScatterIntoExistingList", "TensorArray.scatter")}),
    op("tf.TensorArray.split", tensor_array_split, [
        sample("tf.TensorArray.split", "5 into [2, 3]", (5,), lengths=[2, 3]),
        sample("tf.TensorArray.split", "4x2 into [1, 0, 3]", (4, 2), lengths=[1, 0, 3]),
    ], domain="all reals (piece i multiplied by i + 1)", points=[
        point("3 into [1, 2]", [np.array([1.0, 2.0, 3.0]), [1, 2]], [[1.0, 2.0, 2.0]], "piece 0 times 1, piece 1 times 2",
              second=hvp([np.zeros(3)], "linear: H = 0")),
        point("an empty piece", [np.array([1.0, 2.0]), [0, 2]], [[2.0, 2.0]], "piece 0 is empty, piece 1 (all of x) times 2",
              second=hvp([np.zeros(2)], "linear: H = 0")),
    ], skips={"xla": XLA_UNIFORM + " (XLA's TensorListSplit: 'All lengths have to be the same')"}),
    # ------------------------------------------------------------------------------- TensorList raw ops
    op("tf.raw_ops.TensorListResize", tensor_list_resize, [
        sample("tf.raw_ops.TensorListResize", "3x2 resized to 5", (3, 2), size=5),
        sample("tf.raw_ops.TensorListResize", "4 resized to 2", (4,), size=2),
    ], domain="all reals (kept rows pass through, added rows are zeros)", points=[
        point("shrink 3 to 2", [np.array([1.0, 2.0, 3.0]), 2], [[1.0, 1.0, 0.0]], "row 2 is dropped (0), rows 0 and 1 kept (1)",
              second=hvp([np.zeros(3)], "linear: H = 0")),
        point("grow 2 to 4", [np.array([1.0, 2.0]), 4], [[1.0, 1.0]], "both rows kept; the added rows are zeros",
              second=hvp([np.zeros(2)], "linear: H = 0")),
        point("resize to 0 (empty list)", [np.array([1.0, 2.0]), 0], [[0.0, 0.0]], "nothing is kept: gradient 0",
              second=hvp([np.zeros(2)], "Σf = 0 identically")),
    ], bugs=(_RESIZE_FORWARD,), second_order_sample=0, skips={"xla": no_xla_kernel("TensorListResize")}),
    op("tf.raw_ops.TensorListConcat", tensor_list_concat, [
        sample("tf.raw_ops.TensorListConcat", "3x2", (3, 2)),
        sample("tf.raw_ops.TensorListConcat", "2x2x3", (2, 2, 3)),
    ], domain="all reals (the list holds the rows of x²; V1: every element has the same leading length)", points=[
        point("2x2", [np.array([[1.0, -2.0], [0.5, 3.0]])], [[[2.0, -4.0], [1.0, 6.0]]], "every entry of x² once: 2x",
              second=hvp([np.full((2, 2), 2.0)], "(x²)'' = 2")),
    ], bugs=(_CONCAT_FORWARD,), second_order_sample=0, skips={"xla": no_xla_kernel("TensorListConcat")}),
    op("tf.raw_ops.TensorListScatter", tensor_list_scatter, [
        sample("tf.raw_ops.TensorListScatter", "2x3 rows to [2, 0]", (2, 3), indices=idx(2, 0).astype(np.int32)),
        sample("tf.raw_ops.TensorListScatter", "3 to [1, 0, 3]", (3,), indices=idx(1, 0, 3).astype(np.int32)),
    ], domain="all reals (rows of x², distinct indices; the list's length is max(indices) + 1)", points=[
        point("to [1, 0]", [np.array([1.0, -2.0]), idx(1, 0).astype(np.int32)], [[2.0, -4.0]], "each row once: 2x",
              second=hvp([[2.0, 2.0]], "(x²)'' = 2")),
    ], bugs=(_SCATTER_FORWARD,), second_order_sample=0, skips={"xla": no_xla_kernel("TensorListScatter")}),
    op("tf.raw_ops.TensorListScatterV2", tensor_list_scatter_v2, [
        sample("tf.raw_ops.TensorListScatterV2", "2x3 rows to [2, 0] of 4", (2, 3), indices=idx(2, 0).astype(np.int32),
               num_elements=4),
        sample("tf.raw_ops.TensorListScatterV2", "3 to [1, 0, 2] of 3", (3,), indices=idx(1, 0, 2).astype(np.int32),
               num_elements=3),
    ], domain="all reals (rows of x², distinct indices)", points=[
        point("to [3, 0] of 5", [np.array([1.0, -2.0]), idx(3, 0).astype(np.int32), 5], [[2.0, -4.0]], "each row once: 2x",
              second=hvp([[2.0, 2.0]], "(x²)'' = 2")),
    ], bugs=(_SCATTER_V2_FORWARD,), second_order_sample=0, skips={"xla": no_xla_kernel("TensorListScatterV2")}),
    # ------------------------------------------------------------------------ placeholders, variants, PreventGradient
    op("tf.compat.v1.placeholder_with_default", placeholder_with_default, [
        sample("tf.compat.v1.placeholder_with_default", "3", (3,)),
        sample("tf.compat.v1.placeholder_with_default", "2x2", (2, 2)),
    ], domain="all reals (the default's value, squared)", points=[
        point("x=[0, -1.5]", [np.array([0.0, -1.5])], [[0.0, -3.0]], "(x²)' = 2x through the identity",
              second=hvp([[2.0, 2.0]], "(x²)'' = 2")),
        point("zero-size", [np.zeros((0, 3))], [np.zeros((0, 3))], "an empty default: an empty gradient",
              second=hvp([np.zeros((0, 3))], "empty")),
    ]),
    op("tf.raw_ops.CompositeTensorVariantFromComponents", composite_variant_round_trip, [
        sample("tf.raw_ops.CompositeTensorVariantFromComponents", "two 3-vectors", (3,), (3,)),
        sample("tf.raw_ops.CompositeTensorVariantFromComponents", "2x2 and 2x2", (2, 2), (2, 2)),
    ], diff=(0, 1), domain="all reals (a·b after the variant round trip, FromComponents then ToComponents)", points=[
        point("a=[1, 2], b=[3, -1]", [np.array([1.0, 2.0]), np.array([3.0, -1.0])], [[3.0, -1.0], [1.0, 2.0]],
              "∂(a·b)/∂a = b, ∂/∂b = a through both variant ops",
              second=hvp([[1.0, 2.0], [0.5, 0.25]], "H·(va, vb) = (vb, va)", v=[[0.5, 0.25], [1.0, 2.0]])),
    ], bugs=(_COMPOSITE_FORWARD,), second_order_sample=0,
       skips={"xla": no_xla_kernel("CompositeTensorVariantFromComponents")}),
    op("tf.raw_ops.PreventGradient", prevent_gradient, [
        sample("tf.raw_ops.PreventGradient", "3", (3,)),
    ], domain="all reals (the identity; its gradient raises by design)", skips={mode: PREVENT_GRADIENT_REASON for mode in MODES}),
]
