"""Miscellaneous ops: py_function, check_numerics, approximate top-k, isotonic regression, tensor_diag(_part),
complex abs/angle as real functions of (re, im), gathers from a tf.Variable, raw ClipByValue and AccumulateNV2.

- tf.py_function (EagerPyFunc): the gradient runs the tape through the Python function (here t³ − 2t, so the
  oracle is 3t² − 2 and 6t). Under XLA a Python function cannot be compiled (skip). The second derivative is None
  by reverse over reverse and reverse over forward, and forward mode over the gradient raises (two known bugs).
- tf.debugging.check_numerics (CheckNumerics) and tf.raw_ops.CheckNumericsV2: identity on finite input, gradient 1
  (CheckNumericsV2 has no XLA kernel: skip).
- tf.math.approx_max_k / approx_min_k (ApproxTopK): the selected values' gradient is 1 at the selected entries, 0
  elsewhere (away from ties; at a tie any convex split is a subgradient). Float32 only, so both records check in
  float32 against a float64 NumPy top-k (`reference`); the CPU has no kernel for approx_min_k (is_max_k=false is
  registered for XLA only), so its record calls it inside a jit-compiled tf.function.
- tf.nn.isotonic_regression (IsotonicRegression): each pool's output is the mean of its inputs, so for a weighted
  sum Σ wᵢ·outᵢ (the points pass `weights`) ∂/∂xᵢ is the mean of w over xᵢ's pool: both directions
  (decreasing=True/False), a batch, a rank-1 input and an empty batch; the integer `segments` output is dropped. At a
  tie between pools (equal means) the pooling changes: a kink, so the samples are written out with every pool's mean
  well away from its neighbours'. The solution is piecewise linear: H = 0 away from ties. TensorFlow's gradient
  (_MeanAggregator) is wrong for a rank-1 input, raises for an empty batch, and breaks forward over forward (known
  bugs); the workaround rewrites the pool means with one-hot matrices of the returned segments.
- tf.linalg.tensor_diag (Diag), tensor_diag_part (DiagPart): linear, gradients are the diagonal embedding and part.
- tf.raw_ops.ComplexAbs and tf.raw_ops.Angle of tf.complex(re, im) (what tf.abs and tf.math.angle of a complex
  tensor reach; the public spellings are in family_math_basic): ∇|z| = (re, im)/|z|, ∇arg z = (−im, re)/|z|²; at
  z = 0 neither has a derivative.
- tf.gather / tf.nn.embedding_lookup / tf.gather_nd on a tf.Variable (ResourceGather, ResourceGatherNd): the
  differentiable tensor is assigned to a variable inside the record's function and the gather reads the variable;
  a tf.custom_gradient bridge hands the gradient the tape computes for the variable (ResourceGather's registered
  rule, IndexedSlices) back to the tensor. ForwardAccumulator does not see custom gradients, and a variable's value
  carries no tangent, so forward mode, and the second-order compositions over it, are declared skips for these three.
  Reverse over reverse and forward over reverse differentiate the bridge's gradient, which is linear in the incoming
  gradient and does not depend on the values (H = 0); the bridge's tape is persistent, since forward over reverse
  runs the gradient twice.
- tf.raw_ops.ClipByValue (tf.clip_by_value's own record is in family_math_basic; the raw op takes scalar bounds or
  bounds of the input's shape, no broadcasting).

Left out: tf.raw_ops.AccumulateNV2 (no kernel is registered: grappler rewrites it in graphs, eagerly it raises
NotFoundError; tf.math.accumulate_n is AddN on 2.21 and has its record in family_math_basic); tf.numpy_function / tf.compat.v1.py_func (PyFunc, PyFuncStateless: registered not differentiable by
design), tf.debugging.assert_* (no output to differentiate).
"""
import dataclasses

import numpy as np
import tensorflow as tf

from spec.atlas.records import (POINT_CHECKS, POINT_SECOND, KnownBug, Sample, Workaround, as_f32_exact, between,
                                distinct, draw, hvp, op, point, rng_for)

FAMILY = "miscellaneous: py_function, check_numerics, approx top-k, isotonic regression, diag, complex, Variable gathers"

FORWARD_CHECKS = ("forward", "special_forward")


def a(*values) -> np.ndarray:
    return np.asarray(values, np.float64)


# ----------------------------------------------------------------------------------- py_function

def py_cubic(x):
    """tf.py_function of t ↦ t³ − 2t (EagerPyFunc): the tape runs through the Python function."""
    return tf.py_function(lambda t: t ** 3 - 2.0 * t, [x], Tout=x.dtype)


PY_CUBIC_IN_OPS = Workaround('''import tensorflow as tf


def py_cubic(x):
    """Where second derivatives are needed, write the Python function in TensorFlow ops (the tape then records them
    like any others) instead of wrapping it in tf.py_function: here t³ − 2t."""
    return x ** 3 - 2.0 * x
''', "py_cubic")

PY_FUNCTION_SECOND = KnownBug(
    "the gradient of tf.py_function (EagerPyFunc) is computed by another EagerPyFunc whose inputs are the incoming "
    "gradients only, so a second tape sees no path back to x: the second derivative by reverse over reverse and "
    "reverse over forward is None (0 with unconnected_gradients=ZERO), although the Python function t³ − 2t has "
    "second derivative 6t",
    "unreported",
    "import tensorflow as tf\nx = tf.constant([1.0], tf.float64)\n"
    "with tf.GradientTape() as t2:\n    t2.watch(x)\n    with tf.GradientTape() as t1:\n        t1.watch(x)\n"
    "        y = tf.py_function(lambda t: t ** 3 - 2.0 * t, [x], Tout=tf.float64)\n    g = t1.gradient(y, x)\n"
    "print(t2.gradient(g, x))  # expected [6.], got None",
    checks=("reverse_over_reverse", "reverse_over_forward", "special_reverse_over_reverse", "special_reverse_over_forward"),
    kind="missing gradient",
    kind_why="the Python function is twice differentiable and its first derivative is right; the second is None",
    searched=("py_function second order gradient None higher derivative",
              "tf.py_function second derivative gradient None higher order EagerPyFunc"),
    workaround=PY_CUBIC_IN_OPS)

PY_FUNCTION_FORWARD_OVER_GRADIENT = KnownBug(
    "forward mode over tf.py_function's gradient (forward over reverse, forward over forward) raises UnknownError from "
    "script_ops.eagerly_executed_grad: KeyError: b'pyfunc_N', the recorded forward call's tape is no longer in "
    "tape_cache when the gradient's EagerPyFunc runs again; the second derivative of t³ − 2t is 6t",
    "unreported",
    "import tensorflow as tf\nx = tf.constant([1.0], tf.float64)\n"
    "with tf.autodiff.ForwardAccumulator(x, tf.constant([1.0], tf.float64)) as acc:\n"
    "    with tf.GradientTape() as t1:\n        t1.watch(x)\n"
    "        y = tf.py_function(lambda t: t ** 3 - 2.0 * t, [x], Tout=tf.float64)\n    g = t1.gradient(y, x)\n"
    "print(acc.jvp(g))  # expected [6.], got UnknownError ... KeyError: b'pyfunc_1'",
    checks=("forward_over_reverse", "forward_over_forward", "special_forward_over_reverse",
            "special_forward_over_forward"),
    symptom="UnknownError",  # the KeyError comes after the graph's node trace, past the 500 characters a case reports
    kind="missing gradient",
    kind_why="the Python function is twice differentiable; forward mode over its gradient raises instead of giving 6t",
    searched=("py_function ForwardAccumulator KeyError pyfunc UnknownError EagerPyFunc forward mode jvp",),
    workaround=PY_CUBIC_IN_OPS)


def py_second(bug, checks):
    """A py_function bug on some checks only: at the zero-size point the compositions that return an empty array pass."""
    return dataclasses.replace(bug, checks=tuple(checks))


# ----------------------------------------------------------------------------------- approx top-k


def approx_max_k(x, k=2):
    return tf.math.approx_max_k(x, k)[0]


@tf.function(jit_compile=True, autograph=False)
def _approx_min_k_xla(x, k):
    return tf.math.approx_min_k(x, k)[0]


def approx_min_k(x, k=2):
    """approx_min_k has no CPU kernel (ApproxTopK with is_max_k=false is registered for XLA devices only)."""
    return _approx_min_k_xla(x, k)


def top_k_reference(largest: bool):
    def reference(x, k=2):
        order = np.argsort(-x if largest else x, axis=-1, kind="stable")[..., :k]
        return np.take_along_axis(x, order, axis=-1)
    return reference


def topk_samples(name):
    return [
        Sample((distinct(name, (6,)),), {"k": 2}, "6, k 2"),
        Sample((distinct(name, (3, 5), salt="m"),), {"k": 3}, "3x5, k 3 along the last axis"),
    ]


def topk_points(largest: bool):
    word = "largest" if largest else "smallest"
    x = a(0.5, -1.25, 2.0, 0.75)
    pick = a(1, 0, 1, 1) if largest else a(1, 1, 0, 1)
    return [
        point(f"4, k 3 ({word} three)", [x], [pick], f"the {word} 3 values are selected: ∂/∂xᵢ = 1 for them, 0 otherwise",
              second=hvp([np.zeros(4)], "selection is linear away from ties: H = 0"), k=3),
        point("tie at the cut", [a(1.0, 1.0, -2.0 if largest else 4.0)], [between(a(0, 0, 0), a(1, 1, 0))],
              "k = 1 with a tie for the selected value: any convex split of the 1 between the tied entries is a "
              "subgradient (convention; the sum over the tie is 1)", k=1,
              second=hvp([np.zeros(3)], "the tie is a kink of the selection (max/min of the tied entries), so no second "
                         "derivative exists; on each side the selection is linear, H = 0, the value asserted", exists=False)),
        point("k = n (everything)", [a(0.5, -1.0)], [a(1.0, 1.0)], "every entry is selected once", k=2,
              second=hvp([np.zeros(2)], "linear: H = 0")),
        point("zero-size batch", [np.zeros((0, 3))], [np.zeros((0, 3))], "no rows: the gradient is empty", k=2,
              second=hvp([np.zeros((0, 3))], "no entries")),
    ]


# ----------------------------------------------------------------------------------- isotonic regression


def isotonic(x, decreasing=True, weights=None):
    out = tf.nn.isotonic_regression(x, decreasing=decreasing, axis=-1)[0]
    return out if weights is None else out * tf.constant(weights, x.dtype)


ISOTONIC_WORKAROUND = Workaround('''import tensorflow as tf


def isotonic(x, decreasing=True, weights=None):
    """tf.nn.isotonic_regression's solution written as the mean of each pool, with one-hot matrices of the segments it
    returns: its gradient (the pool's mean) is then right for a rank-1 input, for an empty batch and in nested forward
    mode, where TensorFlow's registered gradient is not."""
    _, segments = tf.nn.isotonic_regression(tf.stop_gradient(x), decreasing=decreasing, axis=-1)
    pools = tf.one_hot(segments, tf.shape(x)[-1], dtype=x.dtype)  # [..., n, n]: 1 where entry i is in pool k
    sums = tf.einsum("...ik,...i->...k", pools, x)
    means = sums / tf.maximum(tf.reduce_sum(pools, -2), 1.0)  # unused pools have no entries
    out = tf.einsum("...ik,...k->...i", pools, means)
    return out if weights is None else out * tf.constant(weights, x.dtype)
''', "isotonic")

ISOTONIC_RANK_1 = KnownBug(
    "_IsotonicRegressionGrad (_MeanAggregator) splits its inputs along axis 0, assuming a batch of rows: for a "
    "rank-1 input every element becomes its own row and segment, so the gradient is the identity (pools are "
    "ignored) and has shape [n, 1] instead of [n]; the derivative of a pooled output is the pool's mean weight",
    "https://github.com/tensorflow/tensorflow/issues/127234",
    "import tensorflow as tf\nx = tf.constant([1.0, 3.0, 2.0, 0.0], tf.float64)  # decreasing: pools {0, 1}, {2}, {3}\n"
    "with tf.GradientTape() as t:\n    t.watch(x)\n"
    "    y = tf.reduce_sum(tf.nn.isotonic_regression(x)[0] * tf.constant([1.0, 2.0, 3.0, 4.0], tf.float64))\n"
    "print(t.gradient(y, x))  # expected [1.5 1.5 3. 4.], got [[1.] [2.] [3.] [4.]]",
    # at the rank-1 points the second derivative (0) comes back in the wrong shape [n, 1] by forward over reverse and
    # reverse over forward; on the samples (ISOTONIC_RANK_1_ON_SAMPLES) only eager mode checks the rank-1 one
    checks=("reverse", "forward") + POINT_CHECKS + ("special_forward_over_reverse", "special_reverse_over_forward"),
    kind="wrong value",
    kind_why="the pooled output is differentiable away from ties (mean of the pool); TensorFlow returns the identity in "
             "another shape for rank-1 input",
    related=("https://github.com/tensorflow/tensorflow/pull/127550", "https://github.com/tensorflow/tensorflow/pull/127475"),
    searched=("isotonic_regression gradient wrong shape 1-D input",
              "isotonic_regression gradient wrong shape rank 1 input _MeanAggregator"),
    workaround=ISOTONIC_WORKAROUND)
#: on the samples only the rank-1 one (checked eagerly) has the bug
ISOTONIC_RANK_1_ON_SAMPLES = dataclasses.replace(ISOTONIC_RANK_1, checks=("reverse", "forward"), modes=("eager",))
ISOTONIC_RANK_1_AT_POINT = dataclasses.replace(
    ISOTONIC_RANK_1, checks=POINT_CHECKS + ("special_forward_over_reverse", "special_reverse_over_forward"))

ISOTONIC_NESTED_FORWARD = KnownBug(
    "forward over forward through tf.nn.isotonic_regression raises AttributeError ('IndexedSlices' object has no "
    "attribute '_id'): the inner ForwardAccumulator computes IsotonicRegression's JVP with a traced function of its "
    "gradient _MeanAggregator, whose gather returns IndexedSlices, and the outer accumulator cannot pack a tangent for "
    "them; the solution is piecewise linear in x, so its second derivative is 0 away from ties",
    "unreported",
    "import tensorflow as tf\nx = tf.constant([[0.0, 1.0, -1.0]], tf.float64)\n"
    "with tf.autodiff.ForwardAccumulator(x, tf.ones_like(x)) as outer:\n"
    "    with tf.autodiff.ForwardAccumulator(x, tf.ones_like(x)) as inner:\n"
    "        y = tf.nn.isotonic_regression(x)[0]\n    j = inner.jvp(y)\n"
    "print(outer.jvp(j))  # expected [[0. 0. 0.]], got AttributeError: 'IndexedSlices' object has no attribute '_id'",
    checks=("forward_over_forward", "special_forward_over_forward"),
    symptom="'IndexedSlices' object has no attribute '_id'",
    kind="mode failure",
    kind_why="reverse over reverse, forward over reverse and reverse over forward give the second derivative (0); "
             "forward over forward raises at the same inputs",
    searched=("ForwardAccumulator nested 'IndexedSlices' object has no attribute '_id' TFE_Py_PackJVPs",
              "ForwardAccumulator gather IndexedSlices AttributeError _id jvp nested forward mode",
              "'IndexedSlices' object has no attribute '_id'"),
    workaround=ISOTONIC_WORKAROUND)

ISOTONIC_EMPTY_BATCH = KnownBug(
    "the gradient of tf.nn.isotonic_regression of an empty batch (shape [0, n]) raises InvalidArgumentError: "
    "_MeanAggregator splits the incoming gradient into shape[0] = 0 rows, and Split requires num_split ≥ 1; the "
    "gradient of a function of no entries is the empty array",
    "https://github.com/tensorflow/tensorflow/pull/127475",
    "import tensorflow as tf\nx = tf.zeros([0, 3], tf.float64)\n"
    "with tf.GradientTape() as t:\n    t.watch(x)\n    y = tf.nn.isotonic_regression(x)[0]\n"
    "print(t.gradient(y, x))  # expected an empty [0, 3] array, got InvalidArgumentError: Value for attr 'num_split' "
    "of 0 must be at least minimum 1",
    checks=("special_reverse",) + POINT_SECOND[:3],  # forward over forward has no one-hot tangent to push here
    symptom="num_split",
    kind="missing gradient",
    kind_why="an empty input has an empty gradient; the tape raises instead of returning it",
    related=("https://github.com/tensorflow/tensorflow/issues/127234",),
    searched=("isotonic_regression gradient wrong shape rank 1 input _MeanAggregator",),
    workaround=ISOTONIC_WORKAROUND)

NO_TIES_SECOND = "piecewise linear away from ties: H = 0"


def isotonic_points():
    w = a(1, 2, 3, 4)
    nested = dict(bug=ISOTONIC_NESTED_FORWARD)
    return [
        point("decreasing: pools {0,1},{2},{3}", [a(1.0, 3.0, 2.0, 0.0)], [a(1.5, 1.5, 3.0, 4.0)],
              "non-increasing fit [2, 2, 2, 0]: x₀ < x₁ violates the order and pools to their mean 2; then 2 ≥ 2 ≥ 0; "
              "Σ wᵢ outᵢ has ∂/∂xᵢ = mean of w over xᵢ's pool: (1 + 2)/2, (1 + 2)/2, 3, 4", weights=w,
              bug=ISOTONIC_RANK_1_AT_POINT, second=hvp([np.zeros(4)], NO_TIES_SECOND, **nested)),
        point("increasing: pools {0},{1,2,3}", [a(1.0, 3.0, 2.0, 0.0)], [a(1.0, 3.0, 3.0, 3.0)],
              "non-decreasing fit [1, 5/3, 5/3, 5/3]: x₁..x₃ pool; ∂/∂xᵢ = mean of w over the pool: 1, then (2 + 3 + 4)/3",
              weights=w, decreasing=False, bug=ISOTONIC_RANK_1_AT_POINT,
              second=hvp([np.zeros(4)], NO_TIES_SECOND, **nested)),
        point("batch 2x3, decreasing", [np.array([[0.0, 1.0, -1.0], [3.0, 2.0, 1.0]])],
              [np.array([[1.5, 1.5, 3.0], [1.0, 2.0, 3.0]])],
              "row 0 pools {0, 1} (mean w 1.5), row 1 is already non-increasing (no pooling): ∂ = w",
              weights=a(1, 2, 3), second=hvp([np.zeros((2, 3))], NO_TIES_SECOND, **nested)),
        point("already sorted (size-1 pools)", [np.array([[2.0, 1.0, 0.5]])], [np.array([[1.0, 2.0, 3.0]])],
              "no pooling: output = input, ∂ = w", weights=a(1, 2, 3),
              second=hvp([np.zeros((1, 3))], "linear: H = 0", **nested)),
        point("empty batch 0x3", [np.zeros((0, 3))], [np.zeros((0, 3))], "no rows: the gradient is empty",
              bug=ISOTONIC_EMPTY_BATCH, second=hvp([np.zeros((0, 3))], "no entries")),
    ]


# ----------------------------------------------------------------------------------- complex parts


def complex_abs(re, im):
    return tf.raw_ops.ComplexAbs(x=tf.complex(re, im), Tout=re.dtype)


def complex_angle(re, im):
    return tf.raw_ops.Angle(input=tf.complex(re, im), Tout=re.dtype)


ANGLE_AT_ZERO = KnownBug(
    "Angle's gradient at z = 0 is (−inf, NaN) (its rule −im/|z|², re/|z|² divides 0 by 0); arg z has no derivative "
    "there (it takes every value on a small circle), so any finite value is as good as another",
    "https://github.com/tensorflow/tensorflow/issues/50854",
    "import tensorflow as tf\nre, im = tf.constant(0.0, tf.float64), tf.constant(0.0, tf.float64)\n"
    "with tf.GradientTape() as t:\n    t.watch([re, im])\n    y = tf.math.angle(tf.complex(re, im))\n"
    "print(t.gradient(y, [re, im]))  # -inf and nan; a finite subgradient-like value (0, 0) is what |z| returns at 0",
    kind="convention",
    kind_why="arg z is discontinuous at 0, no derivative exists; TensorFlow returns −inf/NaN where a finite value "
             "(0, 0), as ComplexAbs gives at 0, could be chosen. PyTorch returns 0 (torch/csrc/autograd/FunctionsManual.cpp "
             "angle_backward: where(self == 0, 0, ...), used by tools/autograd/derivatives.yaml for angle); JAX returns NaN "
             "(jnp.angle is atan2(imag, real), whose JVP in jax/_src/lax/lax.py divides by x² + y²)",
    searched=("tf.math.angle gradient nan at zero complex",))


# ----------------------------------------------------------------------------------- variables


_VARIABLES: dict = {}


def _variable_like(value):
    """One variable per (shape, dtype), created outside any tf.function (init_scope) and reused."""
    key = (tuple(value.shape), value.dtype.name)
    if key not in _VARIABLES:
        with tf.init_scope():
            _VARIABLES[key] = tf.Variable(tf.zeros(value.shape, value.dtype), trainable=True)
    return _VARIABLES[key]


def through_variable(read):
    """`read(variable)` as a function of a tensor: the tensor is assigned to a variable, read by `read`, and the
    gradient the tape computes for the variable (the resource op's registered rule) is handed back to the tensor."""

    def fn(params, *args, **kwargs):
        variable = _variable_like(params)

        @tf.custom_gradient
        def bridge(value):
            with tf.control_dependencies([variable.assign(value)]):
                # persistent: forward over reverse runs grad() twice (once for the gradient, once for its JVP)
                with tf.GradientTape(watch_accessed_variables=False, persistent=True) as tape:
                    tape.watch(variable)
                    out = read(variable, *args, **kwargs)

            def grad(upstream, variables=()):
                g = tape.gradient(out, variable, output_gradients=upstream)
                g = tf.convert_to_tensor(g) if g is not None else tf.zeros_like(value)
                return g, [None] * len(variables)  # the variable only carries the value: no gradient of its own

            return tf.identity(out), grad

        return bridge(params)

    return fn


gather_variable = through_variable(lambda v, indices, axis=0: tf.gather(v, indices, axis=axis))
lookup_variable = through_variable(lambda v, ids: tf.nn.embedding_lookup(v, ids))
gather_nd_variable = through_variable(lambda v, indices: tf.gather_nd(v, indices))

#: every check whose innermost derivative is forward mode: the tangent of the tensor never reaches the gather
VARIABLE_SKIPS = {c: "a tf.Variable's value carries no tangent, and the record's tf.custom_gradient bridge from the "
                     "tensor to the variable is invisible to ForwardAccumulator (the gradient by reverse mode, and "
                     "reverse and forward mode over it, are checked)"
                  for c in FORWARD_CHECKS + ("reverse_over_forward", "forward_over_forward", "special_reverse_over_forward",
                                             "special_forward_over_forward")}


def idx(*rows):
    return np.asarray(rows, np.int64)


# ----------------------------------------------------------------------------------- records


OPS = [
    op("tf.py_function", py_cubic, [
        Sample((draw("tf.py_function", ())[0],), label="scalar"),
        Sample((draw("tf.py_function", (2, 3), salt="m")[0],), label="2x3"),
    ], domain="all reals (the Python function t³ − 2t)", bugs=(
        py_second(PY_FUNCTION_SECOND, ("reverse_over_reverse", "reverse_over_forward")),
        py_second(PY_FUNCTION_FORWARD_OVER_GRADIENT, ("forward_over_reverse", "forward_over_forward"))), points=[
        # the point's own bug covers the compositions over reverse mode, its second derivative's those over forward mode
        point("t=0,1,-2", [a(0.0, 1.0, -2.0)], [a(-2.0, 1.0, 10.0)], "d(t³ − 2t)/dt = 3t² − 2",
              bug=py_second(PY_FUNCTION_SECOND, ("special_reverse_over_reverse", "special_reverse_over_forward")),
              second=hvp([a(0.0, 6.0, -12.0)], "(t³ − 2t)'' = 6t", bug=py_second(
                  PY_FUNCTION_FORWARD_OVER_GRADIENT, ("special_forward_over_reverse", "special_forward_over_forward")))),
        # no entries: a None second derivative is the right empty array, and forward over forward pushes no tangent;
        # forward over reverse still runs the gradient's EagerPyFunc twice
        point("zero-size", [np.zeros(0)], [np.zeros(0)], "no entries: the gradient is empty",
              second=hvp([np.zeros(0)], "no entries",
                         bug=py_second(PY_FUNCTION_FORWARD_OVER_GRADIENT, ("special_forward_over_reverse",)))),
    ], skips={"xla": "XLA cannot compile EagerPyFunc: the Python function runs outside the compiled graph"}),
    op("tf.debugging.check_numerics", lambda x: tf.debugging.check_numerics(x, "atlas"), [
        Sample((draw("cn", (5,))[0],), label="5"), Sample((draw("cn", (2, 3), salt="m")[0],), label="2x3"),
    ], domain="finite x (it raises on NaN or inf)", points=[
        point("x=0,1e300,-2", [a(0.0, 1e300, -2.0)], [np.ones(3)], "the identity on finite input: gradient 1",
              second=hvp([np.zeros(3)], "linear: H = 0")),
        point("zero-size", [np.zeros((0, 2))], [np.zeros((0, 2))], "no entries", second=hvp([np.zeros((0, 2))], "no entries")),
    ]),
    op("tf.raw_ops.CheckNumericsV2", lambda x: tf.raw_ops.CheckNumericsV2(tensor=x, message="atlas"), [
        Sample((draw("cn2", (5,))[0],), label="5"), Sample((draw("cn2", (2, 3), salt="m")[0],), label="2x3"),
    ], domain="finite x", points=[
        point("x=0,-1e-300,3", [a(0.0, -1e-300, 3.0)], [np.ones(3)], "the identity on finite input: gradient 1",
              second=hvp([np.zeros(3)], "linear: H = 0")),
    ], skips={"xla": "XLA cannot compile CheckNumericsV2: no XLA_CPU_JIT kernel is registered for it (jit_compile=True "
                     "raises 'Detected unsupported operations'; CheckNumerics has one)"}),
    op("tf.math.approx_max_k", approx_max_k, topk_samples("tf.math.approx_max_k"), domain="no ties among the top k",
       reference=top_k_reference(True), points=topk_points(True)),
    op("tf.math.approx_min_k", approx_min_k, topk_samples("tf.math.approx_min_k"), domain="no ties among the bottom k",
       reference=top_k_reference(False), points=topk_points(False)),
    op("tf.nn.isotonic_regression", isotonic, [
        # the batched sample first, as the representative one: the workaround test checks forward mode in tf.function
        # too, and the runner's forward check pairs the representative sample's result with the first sample
        # written out: values on a grid (distinct()) make pools with equal means (ties) likely; here every pool's mean
        # is at least 0.2 from its neighbours' and from the means of its own prefixes and suffixes
        Sample((as_f32_exact([[0.3, 1.3, -0.6, 0.0, -1.5], [1.7, 0.4, 0.9, -0.8, 0.2]]),), {"decreasing": True},
               "2x5 batch, decreasing: pools {0,1},{2,3},{4} and {0},{1,2},{3,4}"),
        Sample((as_f32_exact([1.0, -0.4, 0.5, -0.2, -1.6, -0.3]),), {"decreasing": True},
               "6, decreasing (rank 1): pools {0},{1,2},{3},{4,5}"),
        Sample((as_f32_exact([[-1.7, 1.3, 1.9, 1.1], [1.2, 0.9, 1.8, -2.0], [0.5, 1.4, -1.8, 0.6]]),), {"decreasing": False},
               "3x4 batch, increasing: pools {0},{1},{2,3} / {0,1,2,3} / {0,1,2},{3}"),
    ], domain="no ties between pools' means", second_order_sample=0, points=isotonic_points(),
       bugs=(ISOTONIC_RANK_1_ON_SAMPLES, dataclasses.replace(ISOTONIC_NESTED_FORWARD, checks=("forward_over_forward",))),
       skips={"xla": "XLA cannot compile IsotonicRegression: no XLA_CPU_JIT kernel is registered for it (jit_compile=True "
                     "raises 'Detected unsupported operations')"}),
    op("tf.linalg.tensor_diag", tf.linalg.tensor_diag, [
        Sample((draw("td", (3,))[0],), label="3 -> 3x3"), Sample((draw("td", (2, 2), salt="m")[0],), label="2x2 -> 2x2x2x2"),
    ], points=[
        point("3", [a(1.0, -2.0, 0.0)], [np.ones(3)], "Σ diag(x) = Σ x: gradient 1", second=hvp([np.zeros(3)], "linear")),
        point("zero-size", [np.zeros(0)], [np.zeros(0)], "shape [0] -> [0, 0]: empty", second=hvp([np.zeros(0)], "no entries")),
        point("1x1", [np.array([[2.0]])], [np.array([[1.0]])], "a single entry", second=hvp([np.zeros((1, 1))], "linear")),
    ]),
    op("tf.linalg.tensor_diag_part", tf.linalg.tensor_diag_part, [
        Sample((draw("tdp", (3, 3))[0],), label="3x3"), Sample((draw("tdp", (2, 3, 2, 3), salt="m")[0],), label="2x3x2x3"),
    ], points=[
        point("2x2", [np.array([[1.0, 2.0], [3.0, 4.0]])], [np.eye(2)], "Σ diag_part(x) = trace: gradient I",
              second=hvp([np.zeros((2, 2))], "linear")),
        point("zero-size", [np.zeros((0, 0))], [np.zeros((0, 0))], "empty", second=hvp([np.zeros((0, 0))], "no entries")),
    ]),
    op("tf.raw_ops.ComplexAbs", complex_abs, [
        Sample((draw("cabs", (4,))[0], draw("cabs", (4,), salt="i")[0]), label="4 of re, im"),
        Sample((draw("cabs", (2, 3), salt="m")[0], draw("cabs", (2, 3), salt="mi")[0]), label="2x3"),
    ], diff=(0, 1), domain="z ≠ 0", points=[
        point("z=3+4i", [3.0, 4.0], [0.6, 0.8], "∇|z| = (re, im)/|z| = (3, 4)/5",
              second=hvp([0.032, -0.024], "H = (I − ẑẑᵀ)/|z| with ẑ = (0.6, 0.8): H·(1, 1) = ((1, 1) − ẑ·1.4)/5 = "
                         "(0.16, −0.12)/5")),
        point("z=-2 (negative real axis)", [-2.0, 0.0], [-1.0, 0.0], "(re, im)/|z| = (−1, 0): |z| is smooth there",
              second=hvp([0.0, 0.5], "H = (I − ẑẑᵀ)/|z| = diag(0, 1)/2: H·(1, 1) = (0, 0.5)")),
        point("z=0", [0.0, 0.0], [between(-1.0, 1.0), between(-1.0, 1.0)],
              "|z| is a cone at 0, no derivative: subgradients fill the unit disk (asserted within its bounding box)",
              second=hvp([0.0, 0.0], "no second derivative at the cone's tip (H = (I − ẑẑᵀ)/|z| grows without bound); "
                         "along the ray z = t·v, v = (1, 1), H·v = 0 for every t ≠ 0 (H annihilates ẑ), on both sides: "
                         "that one-sided value is asserted", exists=False)),
    ]),
    op("tf.raw_ops.Angle", complex_angle, [
        Sample((as_f32_exact(rng_for("cang").uniform(0.2, 2.0, (4,))), draw("cang", (4,), salt="i")[0]), label="4, re > 0"),
        Sample((as_f32_exact(rng_for("cang m").uniform(0.2, 2.0, (2, 3))), draw("cang", (2, 3), salt="mi")[0]), label="2x3, re > 0"),
    ], diff=(0, 1), domain="z off the branch cut (re > 0 in samples)", points=[
        point("z=1+i", [1.0, 1.0], [-0.5, 0.5], "∇ atan2(im, re) = (−im, re)/|z|² = (−1, 1)/2",
              second=hvp([0.5, -0.5], "H = [[2·re·im, im² − re²], [im² − re², −2·re·im]]/|z|⁴ = [[2, 0], [0, −2]]/4: "
                         "H·(1, 1) = (0.5, −0.5)")),
        point("z=-1+0i (branch cut)", [-1.0, 0.0], [0.0, -1.0],
              "arg(−1 + 0i) = π is the limit from im > 0, where ∂/∂im = re/|z|² = −1 (one-sided); arg is π along the "
              "negative real axis, so ∂/∂re = 0",
              second=hvp([-1.0, -1.0], "arg jumps by 2π across the cut, so no derivative exists there; its derivative "
                         "(−im, re)/|z|² is the same smooth formula on both sides, so both one-sided Hessians are "
                         "[[2·re·im, im² − re²], [im² − re², −2·re·im]]/|z|⁴ = [[0, −1], [−1, 0]]: H·(1, 1) = (−1, −1)",
                         exists=False)),
        point("z=0", [0.0, 0.0], [between(-1.0, 1.0), between(-1.0, 1.0)],
              "arg z has no derivative at 0 (every value on a small circle): any finite value is a convention; asserted "
              "finite and bounded", bug=ANGLE_AT_ZERO,
              second=hvp([None, None], "no second derivative at 0, and no one-sided one: along the ray z = t·(1, 1) H·v = "
                         "(1, −1)/(2t²) grows without bound, so nothing is asserted", exists=False)),
    ]),
    op("tf.gather(tf.Variable)", gather_variable, [
        Sample((draw("gv", (5, 3))[0], idx(4, 0, 2, 0)), label="5x3, indices [4,0,2,0]"),
        Sample((draw("gv", (2, 5), salt="m")[0], idx(1, 3, 3)), {"axis": 1}, "2x5, indices [1,3,3], axis 1"),
    ], domain="params: all reals (the value of a tf.Variable)", skips=VARIABLE_SKIPS, points=[
        point("duplicates [1,1,3,1]", [a(1.0, 2.0, 3.0, 4.0), idx(1, 1, 3, 1)], [a(0.0, 3.0, 0.0, 1.0)],
              "entry i is read count(i) times: ResourceGather's IndexedSlices accumulate",
              second=hvp([np.zeros(4)], "linear: H = 0")),
        point("no indices", [a(1.0, 2.0), np.zeros(0, np.int64)], [np.zeros(2)], "an empty gather reads nothing",
              second=hvp([np.zeros(2)], "linear")),
        point("size-1 axis 1x3, indices [0,0]", [np.array([[1.0, 2.0, 3.0]]), idx(0, 0)], [np.full((1, 3), 2.0)],
              "the one row read twice", second=hvp([np.zeros((1, 3))], "linear")),
    ]),
    op("tf.nn.embedding_lookup(tf.Variable)", lookup_variable, [
        Sample((draw("elv", (5, 2))[0], idx(3, 0, 4, 3)), label="5x2, ids [3,0,4,3]"),
        Sample((draw("elv", (4, 3), salt="m")[0], idx([2, 0], [1, 2])), label="4x3, ids [[2,0],[1,2]]"),
    ], domain="params: all reals (the value of a tf.Variable)", skips=VARIABLE_SKIPS, points=[
        point("ids [1,1,3,1]", [np.arange(1.0, 9.0).reshape(4, 2), idx(1, 1, 3, 1)],
              [np.array([[0.0, 0.0], [3.0, 3.0], [0.0, 0.0], [1.0, 1.0]])], "row i is looked up count(i) times",
              second=hvp([np.zeros((4, 2))], "linear")),
        point("no ids", [np.ones((3, 2)), np.zeros(0, np.int64)], [np.zeros((3, 2))], "nothing is looked up",
              second=hvp([np.zeros((3, 2))], "linear")),
    ]),
    op("tf.gather_nd(tf.Variable)", gather_nd_variable, [
        Sample((draw("gndv", (3, 4))[0], idx([0, 1], [2, 3], [0, 1])), label="3x4, indices [[0,1],[2,3],[0,1]]"),
        Sample((draw("gndv", (3, 4), salt="r")[0], idx([1], [0])), label="3x4, rows [[1],[0]]"),
    ], domain="params: all reals (the value of a tf.Variable)", points=[
        point("duplicates [[0,0],[1,1],[0,0]]", [np.array([[1.0, 2.0], [3.0, 4.0]]), idx([0, 0], [1, 1], [0, 0])],
              [np.array([[2.0, 0.0], [0.0, 1.0]])], "ResourceGatherNd's gradient accumulates (0, 0) twice",
              second=hvp([np.zeros((2, 2))], "linear")),
        point("no indices", [np.ones((2, 2)), np.zeros((0, 2), np.int64)], [np.zeros((2, 2))], "nothing is read",
              second=hvp([np.zeros((2, 2))], "linear")),
    ], skips={**VARIABLE_SKIPS, "xla": "XLA cannot compile ResourceGatherNd: no XLA_CPU_JIT kernel is registered for it "
                                       "(jit_compile=True raises 'Detected unsupported operations')"}),
    op("tf.raw_ops.ClipByValue", lambda t, lo, hi: tf.raw_ops.ClipByValue(t=t, clip_value_min=lo, clip_value_max=hi), [
        Sample((as_f32_exact([0.25, -1.5, 1.75, 0.5]), np.asarray(-0.5), np.asarray(1.0)), label="4, scalar bounds"),
        Sample((as_f32_exact([[-2.0, 0.0, 1.5], [0.25, 2.0, -0.75]]), np.array([[-1.0, -0.5, -1.0], [-1.0, -0.5, 0.0]]),
                np.array([[0.5, 1.0, 1.0], [0.5, 1.5, 1.0]])), label="2x3, bounds of the same shape (no broadcasting)"),
    ], diff=(0, 1, 2), domain="t ≠ clip_value_min, t ≠ clip_value_max", points=[
        point("inside, below, above", [a(0.0, -1.0, 2.0), -0.5, 1.0], [a(1.0, 0.0, 0.0), 1.0, 1.0],
              "clip(t, a, b) is t inside (∂t = 1), a below (∂a = 1), b above (∂b = 1)",
              second=hvp([np.zeros(3), 0.0, 0.0], "piecewise linear away from the bounds: H = 0")),
        point("t at the bounds", [a(-0.5, 1.0), -0.5, 1.0], [between(a(0, 0), a(1, 1)), between(0, 1), between(0, 1)],
              "at t = a or t = b clip has a kink: subgradients split 1 between t and that bound (convention)",
              second=hvp([np.zeros(2), 0.0, 0.0], "a kink: no second derivative; clip is linear on each side (t, or the "
                         "bound), so both one-sided Hessians are 0, the value asserted", exists=False)),
        point("zero-size", [np.zeros(0), -0.5, 1.0], [np.zeros(0), 0.0, 0.0], "no entries: every gradient 0",
              second=hvp([np.zeros(0), 0.0, 0.0], "no entries")),
    ]),
]
