"""Chapter 11 — Forward mode: `tf.autodiff.ForwardAccumulator` pushes a tangent through the computation and gives Jacobian-vector products.

API: https://www.tensorflow.org/api_docs/python/tf/autodiff/ForwardAccumulator
Guide: https://www.tensorflow.org/guide/advanced_autodiff ("Jacobians"; forward mode is the column-at-a-time counterpart).
"""
import logging

import keras
import numpy as np
import pytest
import tensorflow as tf
from tensorflow.python.platform import tf_logging

from spec import oracle
from spec.bugs import KnownBug, Workaround
from spec.tolerances import TOL


def _f64_net(x, w):
    """The float64 twin of _net: R^4 -> R^3, a smooth map with all entries of its Jacobian in play."""
    return np.tanh(w @ x) * np.sin(x[:3]) + x[::-1][:3] ** 2


def _net(x, w):
    return tf.tanh(tf.linalg.matvec(w, x)) * tf.sin(x[:3]) + x[::-1][:3] ** 2


def _jvp_and_vjp(x, w, tangent, cotangent):
    """J·tangent by forward mode and Jᵀ·cotangent by the tape, for the same point x."""
    with tf.GradientTape() as tape:
        tape.watch(x)
        with tf.autodiff.ForwardAccumulator(x, tangent) as acc:
            y = _net(x, w)
    return acc.jvp(y), tape.gradient(y, x, output_gradients=cotangent)


@pytest.fixture
def smooth_map(rng):
    x = rng.normal(size=4)
    w = rng.normal(size=(3, 4))
    return x, w


# ----------------------------------------------------------------------------- Jacobian-vector products


@pytest.mark.source("API-43")
def test_jvp_equals_jacobian_times_tangent_by_finite_differences(where, smooth_map, rng):
    """acc.jvp(y) is J·v: for a smooth map R⁴ → R³ and a random tangent v it matches the float64 finite-difference Jacobian times v (ForwardAccumulator API page)."""
    x, w = smooth_map
    v, u = rng.normal(size=4), rng.normal(size=3)
    jv, _ = where.run(_jvp_and_vjp, *(tf.constant(a, tf.float32) for a in (x, w, v, u)))
    expected = oracle.jacobian_fd(lambda p: _f64_net(p, w), x) @ v
    oracle.assert_close(jv, expected, TOL.JACOBIAN_OFF_BY_1PCT, "J·v by finite differences")


@pytest.mark.source("API-43")
def test_jvp_and_tape_vjp_satisfy_the_adjoint_identity(where, smooth_map, rng):
    """Forward and reverse mode describe one Jacobian: ⟨u, J v⟩ (ForwardAccumulator) equals ⟨Jᵀ u, v⟩ (GradientTape) for random u, v (adjoint identity)."""
    x, w = smooth_map
    v, u = rng.normal(size=4), rng.normal(size=3)
    jv, vjp = where.run(_jvp_and_vjp, *(tf.constant(a, tf.float32) for a in (x, w, v, u)))
    oracle.assert_adjoint(lambda _: jv, lambda _: vjp, u, v, TOL.ADJOINT_F32)
    expected_vjp = u @ oracle.jacobian_fd(lambda p: _f64_net(p, w), x)
    oracle.assert_close(vjp, expected_vjp, TOL.JACOBIAN_OFF_BY_1PCT, "Jᵀ·u by finite differences")


@pytest.mark.source("API-43", "ISS-21")
@pytest.mark.keras
def test_one_hot_tangents_give_the_columns_of_the_linear_regression_gradient(where):
    """The docstring's linear regression: JVPs with one-hot tangents on kernel and bias are the entries of d loss/d params = (2xᵀr, Σ2r) (API page; Keras 3 needs `.value`)."""
    x = np.array([[2.0, 3.0], [1.0, 4.0]])
    targets = np.array([[1.0], [-1.0]])
    dense = keras.layers.Dense(1, kernel_initializer=keras.initializers.GlorotUniform(seed=43), bias_initializer="ones")
    dense.build([None, 2])
    kernel, bias = dense.kernel.value, dense.bias.value  # Keras 3 variables are not accepted as primals (ISS-21)

    def jvps(inputs, labels):
        def loss():
            return tf.reduce_sum((dense(inputs) - labels) ** 2.0)

        out = []
        for primal, tangent in [(kernel, [[1.0], [0.0]]), (kernel, [[0.0], [1.0]]), (bias, [1.0])]:
            with tf.autodiff.ForwardAccumulator(primal, tf.constant(tangent)) as acc:
                out.append(acc.jvp(loss()))
        return tf.stack(out)

    actual = where.run(jvps, tf.constant(x, tf.float32), tf.constant(targets, tf.float32))
    residual = x @ oracle.f64(kernel) + oracle.f64(bias) - targets
    expected = np.concatenate([(x.T @ (2 * residual)).ravel(), (2 * residual).sum(axis=0)])
    oracle.assert_close(actual, expected, TOL.F32_REDUCTION, "closed form")


@pytest.mark.source("API-47")
def test_jvp_passes_through_a_tf_function_d_x_sin_x_at_1_is_1_3818(where):
    """Forward mode sees inside a called tf.function: d/dx[x·sin x] at x = 1 is sin 1 + cos 1 = 1.3817732 (observed, catalogue API-47)."""
    inner = tf.function(lambda x: x * tf.sin(x))

    def jvp(x):
        with tf.autodiff.ForwardAccumulator(x, tf.constant(1.0)) as acc:
            y = inner(x)
        return acc.jvp(y)

    actual = where.run(jvp, tf.constant(1.0))
    oracle.assert_close(actual, np.sin(1.0) + np.cos(1.0), TOL.F32_FEW_OPS, "closed form")


@pytest.mark.source("API-47")
def test_jvp_wrt_a_variable_of_v_squared_at_2_is_4(where):
    """A tf.Variable can be a primal: with tangent 1, the JVP of v·v at v = 2 is 2v = 4 (observed, catalogue API-47)."""
    v = tf.Variable(2.0)

    def jvp():
        with tf.autodiff.ForwardAccumulator(v, tf.constant(1.0)) as acc:
            y = v * v
        return acc.jvp(y)

    oracle.assert_close(where.run(jvp), 4.0, TOL.EXACT)


# ----------------------------------------------------------------------------------- higher order


def _nested_accumulators(primal):
    with tf.autodiff.ForwardAccumulator(primal, tf.constant(1.0)) as outer:
        with tf.autodiff.ForwardAccumulator(primal, tf.constant(1.0)) as inner:
            primal_out = primal ** tf.constant(3.5)
    return inner.jvp(primal_out), outer.jvp(inner.jvp(primal_out)), inner.jvp(outer.jvp(primal_out))


@pytest.mark.source("API-44")
def test_nested_accumulators_give_first_4_4417_and_second_10_0948_derivative_of_x_to_3_5(where):
    """Nesting accumulators on x^3.5 at 1.1 gives inner.jvp = 3.5·1.1^2.5 = 4.4417 and outer.jvp(inner.jvp) = 3.5·2.5·1.1^1.5 = 10.0948 (API page)."""
    first, second, _ = where.run(_nested_accumulators, tf.constant(1.1))
    oracle.assert_close(first, 3.5 * 1.1**2.5, TOL.F32_FEW_OPS, "first derivative")
    oracle.assert_close(second, 3.5 * 2.5 * 1.1**1.5, TOL.F32_FEW_OPS, "second derivative")
    oracle.assert_close(first, oracle.derivative_fd(lambda p: p**3.5, 1.1), TOL.F32_FD, "finite differences")


@pytest.mark.source("API-44")
def test_nested_accumulators_in_the_wrong_order_give_none(where):
    """The inner accumulator cannot differentiate the outer one's JVP: inner.jvp(outer.jvp(y)) is None (API page: "will not work")."""
    *_, reversed_order = where.run(_nested_accumulators, tf.constant(1.1))
    assert reversed_order is None


V_CUBED_POINT, V_CUBED_TANGENT = np.array([1.0, 2.0]), np.array([1.0, 0.0])


@pytest.mark.source("API-45")
def test_forward_over_backward_hessian_vector_product_of_sum_v_cubed_is_6_0(where):
    """An accumulator around a tape: for Σv³ at v = [1, 2] the gradient is 3v² = [3, 12] and its JVP along [1, 0] is H·t = 6v·t = [6, 0] (API page)."""
    v = tf.Variable(V_CUBED_POINT, dtype=tf.float32)

    def forward_over_backward():
        with tf.autodiff.ForwardAccumulator(v, tf.constant(V_CUBED_TANGENT, tf.float32)) as acc:
            with tf.GradientTape() as tape:
                y = tf.reduce_sum(v**3.0)
            backward = tape.gradient(y, v)
        return backward, acc.jvp(backward)

    backward, hvp = where.run(forward_over_backward)
    oracle.assert_close(backward, 3 * V_CUBED_POINT**2, TOL.EXACT, "gradient")
    oracle.assert_close(hvp, 6 * V_CUBED_POINT * V_CUBED_TANGENT, TOL.EXACT, "Hessian-vector product")
    expected = oracle.hessian_fd(lambda p: np.sum(p**3), V_CUBED_POINT) @ V_CUBED_TANGENT
    oracle.assert_close(hvp, expected, TOL.F32_FD, "finite-difference Hessian times t")


@pytest.mark.source("API-45")
def test_backward_over_forward_hessian_vector_product_is_also_6_0(where):
    """A tape around an accumulator: the gradient of the JVP of Σx³ along [1, 0] at x = [1, 2] is also H·t = [6, 0] (observed, catalogue API-45)."""

    def backward_over_forward(x, tangent):
        with tf.GradientTape() as tape:
            tape.watch(x)
            with tf.autodiff.ForwardAccumulator(x, tangent) as acc:
                y = tf.reduce_sum(x**3.0)
            jvp = acc.jvp(y)
        return tape.gradient(jvp, x)

    hvp = where.run(backward_over_forward, tf.constant(V_CUBED_POINT, tf.float32), tf.constant(V_CUBED_TANGENT, tf.float32))
    oracle.assert_close(hvp, 6 * V_CUBED_POINT * V_CUBED_TANGENT, TOL.EXACT)


def _hvp(x, w, tangent):
    with tf.autodiff.ForwardAccumulator(x, tangent) as acc:
        with tf.GradientTape() as tape:
            tape.watch(x)
            loss = tf.reduce_sum(_net(x, w) ** 2)
        grad = tape.gradient(loss, x)
    return acc.jvp(grad)


@pytest.mark.source("API-45")
def test_forward_over_backward_hvp_matches_the_finite_difference_hessian_times_v(where, smooth_map, rng):
    """For a loss with a full 4 × 4 Hessian H, forward-over-backward gives H·v for a random v, matching float64 finite differences (API page)."""
    x, w = smooth_map
    v = rng.normal(size=4)
    hv = where.run(_hvp, *(tf.constant(a, tf.float32) for a in (x, w, v)))
    hessian = oracle.hessian_fd(lambda p: np.sum(_f64_net(p, w) ** 2), x)
    oracle.assert_close(hessian, hessian.T, TOL.FD_SELF, "the oracle Hessian is symmetric")
    oracle.assert_close(hv, hessian @ v, TOL.JACOBIAN_OFF_BY_1PCT, "H·v by finite differences")


# ------------------------------------------------------------- known bugs: second order through forward mode


def _or_raised(expected: str, compute):
    """compute(), with TensorFlow's exception turned into an AssertionError that names the expected value."""
    try:
        return compute()
    except Exception as err:  # noqa: BLE001 - TensorFlow raising is the finding, reported as such
        text = " ".join(str(err).split())
        raise AssertionError(f"expected {expected}; TensorFlow raised {type(err).__name__}: {text[-700:]}") from None


NESTED_NO_DERIVATIVE = KnownBug(
    "inside tf.function (and XLA), nested ForwardAccumulators raise IndexError: list index out of range at any op "
    "without a derivative that reads a tensor both watch: a comparison, tf.shape of a tensor of unknown static shape, "
    "and the IsFinite in tf.reduce_logsumexp and the Shape in tf.gather_nd(batch_dims=1) with indices of unknown "
    "shape; the inner accumulator's JVP of such an op is a traced function with no outputs, and the outer "
    "accumulator, recording that call while tracing, reads its first output "
    "(_DelayedRewriteGradientFunctions._backward: outputs[0])",
    "unreported",
    """@tf.function
def second_derivative(x):
    with tf.autodiff.ForwardAccumulator(x, tf.ones_like(x)) as outer:
        with tf.autodiff.ForwardAccumulator(x, tf.ones_like(x)) as inner:
            y = tf.where(tf.equal(x, 0.0), 0.0, x ** 3)  # IndexError: list index out of range
        d1 = inner.jvp(y)
    return outer.jvp(d1)


print(second_derivative(tf.constant(2.0)))  # expected 6·2 = 12.0 (run eagerly, it is)""",
    modes=("function", "xla"),
    symptom="IndexError: list index out of range",
    kind="mode failure",
    kind_why="eagerly the same nested accumulators return the right second derivatives; only while tracing "
             "(tf.function, and so XLA) does the outer accumulator record the inner one's empty JVP function call",
    searched=("nested ForwardAccumulator tf.function IndexError list index out of range",
              "_DelayedRewriteGradientFunctions _backward outputs[0] IndexError function with no outputs gradient tape",
              "call_op = outputs[0].op IndexError: list index out of range concrete_function _backward_function",
              "ForwardAccumulator nested inside tf.function fails on non-differentiable op (Equal, Shape, Cast, Floor) "
              "while tracing",
              "forward over forward second derivative tf.function ForwardAccumulator nested comparison tf.where error",
              "reduce_logsumexp nested ForwardAccumulator tf.function error second derivative"),
    workaround=Workaround('''import tensorflow as tf


class TangentFreeOps:
    """tf.equal, tf.greater_equal, tf.shape, tf.reduce_logsumexp and tf.gather_nd, safe under nested
    ForwardAccumulators in a tf.function: an op without a derivative reads tf.stop_gradient of its input, which
    carries no tangent, so no accumulator records it; the two ops that apply such an op inside are written out."""

    @staticmethod
    def equal(x, y):
        return tf.equal(tf.stop_gradient(x), y)

    @staticmethod
    def greater_equal(x, y):
        return tf.greater_equal(tf.stop_gradient(x), y)

    @staticmethod
    def shape(x):
        return tf.shape(tf.stop_gradient(x))

    @staticmethod
    def reduce_logsumexp(x):
        """log Σ exp(x) over all of x (finite x), shifted by max(x) taken of a tangent-free x."""
        shift = tf.reduce_max(tf.stop_gradient(x))
        return shift + tf.math.log(tf.reduce_sum(tf.exp(x - shift)))

    @staticmethod
    def gather_nd(params, indices, batch_dims=0):
        """batch_dims 0 or 1, indices of rank 2: with batch_dims=1 each row of indices gets its row number
        prepended, and a plain gather_nd (no tf.shape of the output) does the rest."""
        if batch_dims == 0:
            return tf.gather_nd(params, indices)
        rows = tf.range(tf.shape(indices, out_type=indices.dtype)[0])[:, None]
        return tf.gather_nd(params, tf.concat([rows, indices], axis=1))
''', "TangentFreeOps"),
)

# Each case is written against `ops`: tf itself (the bug) or the workaround's TangentFreeOps. `n` = 2 is a tensor
# argument, so x[:n] and a reshape to [n, -1] have unknown static shapes once traced.
NESTED_X, NESTED_TANGENT = np.array([-0.5, 2.0]), np.array([1.0, -1.0])
_SOFTMAX = np.exp(NESTED_X) / np.exp(NESTED_X).sum()
NO_DERIVATIVE_CASES = {
    # id: (f(ops, x, n), D²f[v, v] at NESTED_X along NESTED_TANGENT, float64 closed form; v² = 1 entrywise)
    "tf.equal: where(x = 0, 0, x^3) is 6x = [-3, 12]":
        (lambda ops, x, n: tf.where(ops.equal(x, 0.0), tf.zeros_like(x), x**3), 6 * NESTED_X),
    "x >= 0: where(x >= 0, x^3, -x^3) = |x|^3 is 6|x| = [3, 12]":
        (lambda ops, x, n: tf.where(ops.greater_equal(x, 0.0), x**3, -(x**3)), 6 * np.abs(NESTED_X)),
    "tf.shape of x[:n]: reshape(x^3, shape(x[:n])) is 6x = [-3, 12]":
        (lambda ops, x, n: tf.reshape(x**3, ops.shape(x[:n])), 6 * NESTED_X),
    "tf.reduce_logsumexp(x) is v^T (diag p - p p^T) v = 4 p0 p1 = 0.2804":
        (lambda ops, x, n: ops.reduce_logsumexp(x), 4 * _SOFTMAX[0] * _SOFTMAX[1]),
    "gather_nd(batch_dims=1), indices of unknown shape: x^3 is 6x = [-3, 12]":
        (lambda ops, x, n: ops.gather_nd(tf.stack([x**3, x], axis=1),
                                         tf.reshape(tf.zeros([2], tf.int32), tf.stack([n, -1])), batch_dims=1),
         6 * NESTED_X),
}


def _second_directional_derivative(f, ops):
    """D²f[v, v] = outer.jvp(inner.jvp(f(x))), both accumulators watching x with tangent v."""

    def second(x, v, n):
        with tf.autodiff.ForwardAccumulator(x, v) as outer:
            with tf.autodiff.ForwardAccumulator(x, v) as inner:
                y = f(ops, x, n)
            first = inner.jvp(y)
        return outer.jvp(first)

    return second


_NESTED_WITH_TF = {case: _second_directional_derivative(f, tf) for case, (f, _) in NO_DERIVATIVE_CASES.items()}


NESTED_SLOW = ("nested ForwardAccumulators trace a JVP of a JVP for every op and case (4 s of the default run on 2 "
               "cores); run with --run-slow, as .ci/run does")


def _nested_inputs():
    return tf.constant(NESTED_X, tf.float32), tf.constant(NESTED_TANGENT, tf.float32), tf.constant(2)


@pytest.mark.source("API-44")
@pytest.mark.slow(reason=NESTED_SLOW)
@pytest.mark.parametrize("case", list(NO_DERIVATIVE_CASES))
def test_nested_accumulators_past_an_op_without_a_derivative_give_x_cubed_6x_and_logsumexp_4_p0_p1(where, request, case):
    """An op without a derivative applied to the watched x (a comparison, tf.shape, or one inside tf.reduce_logsumexp or tf.gather_nd) contributes nothing, so nested accumulators give the closed-form second derivative along v = [1, −1] at x = [−0.5, 2], eagerly and, once the bug is fixed, in tf.function and XLA, where they now raise IndexError (observed on TF 2.21; unreported)."""
    if where.mode in NESTED_NO_DERIVATIVE.modes:
        for mark in NESTED_NO_DERIVATIVE.marks():
            request.applymarker(mark)
    expected = NO_DERIVATIVE_CASES[case][1]
    second = _or_raised(f"D²f[v, v] = {np.round(expected, 4)}",
                        lambda: where.run(_NESTED_WITH_TF[case], *_nested_inputs()))
    oracle.assert_close(second, expected, TOL.F32_FEW_OPS, "second directional derivative")


@pytest.mark.source("API-44")
@pytest.mark.slow(reason=NESTED_SLOW)
@pytest.mark.workaround_of(NESTED_NO_DERIVATIVE)
@pytest.mark.parametrize("case", list(NO_DERIVATIVE_CASES))
def test_tangent_free_ops_workaround_gives_the_same_second_derivatives_in_every_mode(where, case):
    """NESTED_NO_DERIVATIVE's workaround as pasted (TangentFreeOps: the op without a derivative reads tf.stop_gradient of x) gives each case above its closed-form second derivative in every mode (observed on TF 2.21)."""
    f, expected = NO_DERIVATIVE_CASES[case]
    second = where.run(_second_directional_derivative(f, NESTED_NO_DERIVATIVE.workaround.load()), *_nested_inputs())
    oracle.assert_close(second, expected, TOL.F32_FEW_OPS, "second directional derivative")


VMAP_REVERSE_OVER_FORWARD = KnownBug(
    "reverse over forward mode through tf.vectorized_map is lost eagerly: the tape's gradient of the JVP is None when "
    "the map runs over the watched x itself (also under XLA) and raises InternalError \"returned too few gradients\" "
    "when it runs over a tensor computed from x; vectorized_map runs its loop as a tf.function when called eagerly or "
    "under XLA, and a tape around an accumulator loses (or cannot replay) the gradient of the JVP through that call",
    "unreported",
    """x = tf.constant([[1.0, 2.0], [3.0, 4.0]])
for mapped in (lambda: x, lambda: 2.0 * x):
    with tf.GradientTape() as tape:
        tape.watch(x)
        with tf.autodiff.ForwardAccumulator(x, tf.ones_like(x)) as acc:
            y = tf.reduce_sum(tf.vectorized_map(lambda r: tf.reduce_sum(r ** 3), mapped()))
        jvp = acc.jvp(y)
    print(tape.gradient(jvp, x))
# over x: None, expected H·v = 6·x = [[6, 12], [18, 24]]
# over 2x: got InternalError: Recorded operation '__forward___forward_f_…' returned too few gradients. Expected 2 but
# received 3; expected 48·x = [[48, 96], [144, 192]]""",
    modes=("eager", "xla"),
    kind="missing gradient",
    kind_why="Σ (s·r)³ over the rows is smooth and the tape returns None (or raises) for it eagerly; inside a "
             "tf.function vectorized_map is not wrapped in a function of its own and the same code gives 6s³·x·v",
    searched=("vectorized_map ForwardAccumulator GradientTape InternalError returned too few gradients Expected 2 but "
              "received 3",
              "\"returned too few gradients\" InternalError Recorded operation __forward GradientTape",
              "ForwardAccumulator inside GradientTape tf.function \"returned too few gradients\"",
              "tape.gradient of acc.jvp returns None when the function is a tf.function (reverse over forward "
              "Hessian-vector product)",
              "GradientTape outside ForwardAccumulator, calling a tf.function inside: gradient of jvp is None or wrong"),
    workaround=Workaround('''import tensorflow as tf


def hessian_vector_product(f, x, v):
    """H·v of the scalar f at x by forward over reverse (an accumulator around the tape), which carries the tangent
    through tf.vectorized_map in every mode; for a scalar f it equals reverse over forward, since H is symmetric."""
    with tf.autodiff.ForwardAccumulator(x, v) as acc:
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = f(x)
        grad = tape.gradient(y, x)
    return acc.jvp(grad)
''', "hessian_vector_product"),
)

VMAP_X = np.array([[1.0, 2.0], [3.0, -1.0], [0.5, 0.25]])
VMAP_TANGENT = np.array([[1.0, -1.0], [0.5, 2.0], [-2.0, 1.0]])
VMAP_SCALES = {"over x itself is 6x*v": 1.0, "over 2x, computed from x, is 48x*v": 2.0}


def _sum_of_mapped_row_cubes(scale):
    """Σ over the rows r of (s·x) of Σ r³, the rows mapped by tf.vectorized_map; s = 1 maps x itself."""
    def f(x):
        return tf.reduce_sum(tf.vectorized_map(lambda row: tf.reduce_sum(row**3), x if scale == 1.0 else scale * x))

    return f


def _reverse_over_forward(f):
    def hvp(x, v):
        with tf.GradientTape() as tape:
            tape.watch(x)
            with tf.autodiff.ForwardAccumulator(x, v) as acc:
                y = f(x)
            jvp = acc.jvp(y)
        return tape.gradient(jvp, x)

    return hvp


_VMAP_REVERSE_OVER_FORWARD = {case: _reverse_over_forward(_sum_of_mapped_row_cubes(scale))
                              for case, scale in VMAP_SCALES.items()}


VMAP_SLOW = ("tf.vectorized_map called eagerly converts and traces its loop body afresh on every call (13 s for these "
             "cases on 2 cores, a sixth of the default run); run with --run-slow, as .ci/run does")


def _vmap_inputs():
    return tf.constant(VMAP_X, tf.float32), tf.constant(VMAP_TANGENT, tf.float32)


@pytest.mark.source("API-45")
@pytest.mark.slow(reason=VMAP_SLOW)
@pytest.mark.parametrize("case", list(VMAP_SCALES))
def test_reverse_over_forward_through_vectorized_map_of_row_cubes_gives_h_v_6_s_cubed_x_v(where, request, case):
    """A tape around an accumulator gives the Hessian-vector product of Σ (s·x)³ summed by tf.vectorized_map over the rows of a 3 × 2 matrix, H·v = 6s³·x·v, in every mode, as it does inside tf.function; eagerly TensorFlow returns None over x itself (under XLA too) and raises InternalError "returned too few gradients" over 2x (observed on TF 2.21; unreported)."""
    scale = VMAP_SCALES[case]
    if where.mode == "eager" or (where.mode == "xla" and scale == 1.0):
        for mark in VMAP_REVERSE_OVER_FORWARD.marks():
            request.applymarker(mark)
    expected = 6 * scale**3 * VMAP_X * VMAP_TANGENT
    hvp = _or_raised(f"H·v = 6s³·x·v = {expected.tolist()}",
                     lambda: where.run(_VMAP_REVERSE_OVER_FORWARD[case], *_vmap_inputs()))
    oracle.assert_structure_close(hvp, expected, TOL.F32_FEW_OPS, "H·v")


@pytest.mark.source("API-45")
@pytest.mark.slow(reason=VMAP_SLOW)
@pytest.mark.workaround_of(VMAP_REVERSE_OVER_FORWARD)
@pytest.mark.parametrize("case", list(VMAP_SCALES))
def test_forward_over_reverse_workaround_gives_the_vectorized_map_h_v_6_s_cubed_x_v_in_every_mode(where, case):
    """VMAP_REVERSE_OVER_FORWARD's workaround as pasted (hessian_vector_product: an accumulator around the tape) gives the same H·v = 6s³·x·v through tf.vectorized_map in every mode (observed on TF 2.21)."""
    hessian_vector_product = VMAP_REVERSE_OVER_FORWARD.workaround.load()
    scale = VMAP_SCALES[case]
    hvp = where.run(hessian_vector_product, _sum_of_mapped_row_cubes(scale), *_vmap_inputs())
    oracle.assert_close(hvp, 6 * scale**3 * VMAP_X * VMAP_TANGENT, TOL.F32_FEW_OPS, "H·v")


# ----------------------------------------------------------------------------- unconnected and scope


@pytest.mark.source("API-47")
@pytest.mark.parametrize("unconnected", ["NONE", "ZERO"])
def test_jvp_of_a_value_not_depending_on_the_primal_is_none_or_zero(where, unconnected):
    """z = 2·3 does not depend on the primal: acc.jvp(z) is None, or 0.0 with UnconnectedGradients.ZERO (API page)."""
    mode = getattr(tf.UnconnectedGradients, unconnected)

    def jvp(x):
        with tf.autodiff.ForwardAccumulator(x, tf.constant(1.0)) as acc:
            z = tf.constant(2.0) * 3.0
        return acc.jvp(z, unconnected_gradients=mode)

    expected = None if unconnected == "NONE" else 0.0
    oracle.assert_structure_close(where.run(jvp, tf.constant(3.0)), expected, TOL.EXACT, "jvp")


@pytest.mark.source("API-47")
def test_ops_after_the_with_block_get_no_jvp_but_earlier_jvps_stay_readable(where):
    """After the `with` block ends, x·x gets no JVP (None), while the JVP of x·x computed inside, 2x = 6 at x = 3, can still be read (observed, catalogue API-47)."""

    def jvps(x):
        with tf.autodiff.ForwardAccumulator(x, tf.constant(1.0)) as acc:
            inside = x * x
        after = x * x
        return acc.jvp(inside), acc.jvp(after)

    inside, after = where.run(jvps, tf.constant(3.0))
    oracle.assert_close(inside, 6.0, TOL.EXACT)
    assert after is None


# ------------------------------------------------------------------------------------------ errors


@pytest.mark.eager_only("the constructor's argument check is Python code that runs before any op")
@pytest.mark.source("API-46")
def test_the_same_primal_twice_raises_valueerror_with_a_literal_brace_placeholder(where):
    """Passing one tensor twice as a primal raises ValueError "Tensor {} was specified as a primal multiple times" — with a literal {}, never formatted (API page)."""
    x = tf.constant(1.0)
    with pytest.raises(ValueError, match=r"Tensor \{\} was specified as a primal multiple times.*sum the corresponding tangents"):
        tf.autodiff.ForwardAccumulator([x, x], [tf.constant(1.0), tf.constant(2.0)])


@pytest.mark.eager_only("the constructor's argument check is Python code that runs before any op")
@pytest.mark.source("API-46")
def test_a_python_float_primal_raises_attributeerror_float_has_no_dtype(where):
    """And with a Python float as the primal? The constructor does not convert it: ForwardAccumulator(3.0, 1.0) raises AttributeError "'float' object has no attribute 'dtype'"; a tensor or Variable is needed, as for tape.gradient's sources (observed)."""
    with pytest.raises(AttributeError, match="'float' object has no attribute 'dtype'"):
        tf.autodiff.ForwardAccumulator(3.0, 1.0)


# This warning is logged with log_first_n(5) keyed on a line inside TensorFlow, not on the caller, so it
# is throttled for the whole process: the test takes no `where` and starts from a fresh throttle.
@pytest.mark.source("API-47")
def test_an_int32_primal_logs_a_warning_and_gets_no_jvp(caplog, monkeypatch):
    """An int32 primal is not watched: TensorFlow logs "The dtype of the watched primal must be floating" and its JVP is None (observed, catalogue API-47)."""
    monkeypatch.setattr(tf_logging, "_log_counter_per_token", {})
    caplog.set_level(logging.WARNING, logger="tensorflow")
    x = tf.constant(3)
    with tf.autodiff.ForwardAccumulator(x, tf.constant(1)) as acc:
        y = x * x
    assert "The dtype of the watched primal must be floating (e.g. tf.float32), got tf.int32" in caplog.text
    assert acc.jvp(y) is None


@pytest.mark.eager_only("construction is a Python-level call; nothing is computed")
@pytest.mark.source("API-47")
def test_a_tangent_of_the_wrong_shape_is_not_rejected_at_construction(where):
    """A (3,) tangent for a (2,) primal is accepted by the constructor and the `with` block, and jvp(primal) hands it back as given (observed, catalogue API-47)."""
    primal = tf.constant([1.0, 2.0])
    acc = tf.autodiff.ForwardAccumulator(primal, tf.constant([1.0, 2.0, 3.0]))
    with acc:
        pass
    oracle.assert_close(acc.jvp(primal), [1.0, 2.0, 3.0], TOL.EXACT, "the unchecked tangent")
