"""Chapter 4 — Non-scalar targets: a list, dict or vector target gives the gradient of its sum, and output_gradients weights each entry.

Guide: https://www.tensorflow.org/guide/autodiff ("Gradients of non-scalar targets").
"""
import numpy as np
import pytest
import tensorflow as tf

from spec import oracle
from spec.tolerances import TOL


def _two_scalar_targets(x):
    with tf.GradientTape(persistent=True) as tape:
        y0 = x**2
        y1 = 1 / x
    return tape.gradient(y0, x), tape.gradient(y1, x)


@pytest.mark.source("AD-12")
def test_two_scalar_targets_on_a_persistent_tape_give_2x_4_and_minus_1_over_x2_minus_0_25(where):
    """At x = 2, y0 = x² and y1 = 1/x asked one at a time give dy0/dx = 4.0 and dy1/dx = −1/x² = −0.25 (guide)."""
    x = tf.Variable(2.0)
    dy0, dy1 = where.run(_two_scalar_targets, x)
    oracle.assert_close(dy0, 2 * 2.0, TOL.EXACT, "dy0/dx")
    oracle.assert_close(dy1, -1 / 2.0**2, TOL.EXACT, "dy1/dx")


@pytest.mark.source("AD-13")
def test_dict_of_targets_gives_the_sum_of_their_gradients_4_minus_0_25_is_3_75(where):
    """tape.gradient({'y0': x², 'y1': 1/x}, x) at x = 2 is the gradient of the sum: 4 − 0.25 = 3.75 (guide)."""
    x = tf.Variable(2.0)

    def grad():
        with tf.GradientTape() as tape:
            y0 = x**2
            y1 = 1 / x
        return tape.gradient({"y0": y0, "y1": y1}, x)

    actual = where.run(grad)
    oracle.assert_close(actual, 2 * 2.0 - 1 / 2.0**2, TOL.EXACT)
    oracle.assert_close(actual, oracle.gradient_fd(lambda v: v**2 + 1 / v, 2.0), TOL.F32_FD, "finite differences")


@pytest.mark.source("AD-14")
def test_vector_target_gives_the_gradient_of_its_sum_3_plus_4_is_7(where):
    """y = x·[3, 4] is a vector; its gradient with respect to the scalar x is d(3x + 4x)/dx = 7.0 (guide)."""
    x = tf.Variable(2.0)

    def grad():
        with tf.GradientTape() as tape:
            y = x * [3.0, 4.0]
        return tape.gradient(y, x)

    oracle.assert_close(where.run(grad), 3.0 + 4.0, TOL.EXACT)


@pytest.mark.source("AD-27")
def test_z_equals_sum_squared_over_ones_2x2_gives_all_eights_and_dz_dy_8(where):
    """x = ones(2, 2), y = sum(x) = 4, z = y²: dz/dx = 2y is 8.0 in every entry and dz/dy = 8.0 (legacy tutorial)."""

    def grads(x):
        with tf.GradientTape(persistent=True) as tape:
            tape.watch(x)
            y = tf.reduce_sum(x)
            z = tf.multiply(y, y)
        return tape.gradient(z, x), tape.gradient(z, y)

    dz_dx, dz_dy = where.run(grads, tf.ones((2, 2)))
    oracle.assert_close(dz_dx, np.full((2, 2), 2 * 4.0), TOL.EXACT, "dz/dx")
    oracle.assert_close(dz_dy, 2 * 4.0, TOL.EXACT, "dz/dy")
    fd = oracle.gradient_fd(lambda m: np.sum(m) ** 2, np.ones((2, 2)))
    oracle.assert_close(dz_dx, fd, TOL.F32_FD, "dz/dx by finite differences")


# ------------------------------------------------------------------------------------ output_gradients


@pytest.mark.source("API-16")
def test_output_gradients_weight_each_entry_1_0_10_times_2x_gives_2_0_60(where):
    """For y = x² at x = [1, 2, 3], output_gradients [1, 0, 10] give the vector-Jacobian product [1·2, 0·4, 10·6] = [2, 0, 60] (API)."""

    def vjp(x, weights):
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = x * x
        return tape.gradient(y, x, output_gradients=weights)

    xs, weights = np.array([1.0, 2.0, 3.0]), np.array([1.0, 0.0, 10.0])
    actual = where.run(vjp, tf.constant(xs, tf.float32), tf.constant(weights, tf.float32))
    oracle.assert_close(actual, weights * 2 * xs, TOL.EXACT)
    jac = oracle.jacobian_fd(np.square, xs)
    oracle.assert_close(actual, weights @ jac, TOL.F32_FD, "uᵀJ by finite differences")


@pytest.mark.source("API-16")
def test_output_gradients_for_a_list_of_targets_weight_each_target_gives_32_and_4(where):
    """Targets [x², 3x] at x = [1, 2] with output_gradients [[1, 1], [10, 0]] give [1·2 + 10·3, 1·4 + 0·3] = [32, 4] (API)."""

    def vjp(x):
        with tf.GradientTape() as tape:
            tape.watch(x)
            y1 = x * x
            y2 = 3.0 * x
        return tape.gradient([y1, y2], x, output_gradients=[tf.constant([1.0, 1.0]), tf.constant([10.0, 0.0])])

    xs = np.array([1.0, 2.0])
    actual = where.run(vjp, tf.constant(xs, tf.float32))
    oracle.assert_close(actual, np.array([1.0, 1.0]) * 2 * xs + np.array([10.0, 0.0]) * 3.0, TOL.EXACT)


@pytest.mark.source("API-16")
def test_python_float_output_gradients_1_and_2_weight_xy_and_x_gives_y_plus_2_is_4(where):
    """Targets [x·y, x] at (3, 2) with output_gradients [1.0, 2.0] give 1·y + 2·1 = 4.0 (TF test testOutputGradUsedInComputation)."""

    def vjp(x, y):
        with tf.GradientTape() as tape:
            tape.watch([x, y])
            targets = [x * y, x]
        return tape.gradient(targets, [x], output_gradients=[1.0, 2.0])

    oracle.assert_structure_close(where.run(vjp, tf.constant(3.0), tf.constant(2.0)), [1 * 2.0 + 2 * 1.0], TOL.EXACT)


MISMATCHES = {
    # id: (output_gradients for the float32 target of shape [2], fragment of the eager error)
    "shape 3 vs 2": (lambda: tf.constant([1.0, 2.0, 3.0]), r"Incompatible shapes: \[3\] vs. \[2\]"),
    "int32 weights for a float32 target": (
        lambda: tf.constant([1, 2]),
        r"cannot compute Mul as input #1\(zero-based\) was expected to be a int32 tensor but is a float tensor",
    ),
}


@pytest.mark.eager_only("inside tf.function the mismatch is caught while tracing, as ValueError or TypeError instead")
@pytest.mark.source("API-17")
@pytest.mark.parametrize("mismatch", MISMATCHES, ids=list(MISMATCHES))
def test_output_gradients_of_wrong_shape_or_dtype_raise_invalidargumenterror(where, mismatch):
    """output_gradients must match the target: shape [3] against [2], or int32 against float32, raises InvalidArgumentError from the Mul (observed)."""
    make, fragment = MISMATCHES[mismatch]
    with tf.device(where.device_name):
        x = tf.constant([1.0, 2.0])
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = x * x
        with pytest.raises(tf.errors.InvalidArgumentError, match=fragment):
            tape.gradient(y, x, output_gradients=make())


@pytest.mark.eager_only("the TypeError is raised by the eager tape object's argument check")
@pytest.mark.source("API-13")
def test_none_as_target_raises_typeerror(where):
    """tape.gradient(None, x) raises TypeError "Argument `target` should be a list or nested structure of Tensors... but received None." (API)."""
    with tf.device(where.device_name):
        x = tf.Variable(3.0)
        with tf.GradientTape() as tape:
            x * x
        with pytest.raises(TypeError, match=r"Argument `target` should be .* but received None"):
            tape.gradient(None, x)


# ------------------------------------------------------------------------------- a loss over logits


@pytest.mark.source("T-06")
def test_mean_softmax_cross_entropy_at_logits_0_0_label_1_0_gives_minus_half_half(where):
    """d mean(CE)/d logits at logits [[0, 0]], labels [[1, 0]] is (softmax − labels)/batch = [[−0.5, 0.5]] (TF test testSoftmaxCrossEntropyGradient)."""

    def grad(logits, labels):
        with tf.GradientTape() as tape:
            tape.watch(logits)
            loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(labels=labels, logits=logits))
        return tape.gradient(loss, logits)

    logits, labels = np.array([[0.0, 0.0]]), np.array([[1.0, 0.0]])
    actual = where.run(grad, tf.constant(logits, tf.float32), tf.constant(labels, tf.float32))
    softmax = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    oracle.assert_close(actual, (softmax - labels) / len(logits), TOL.EXACT)

    def mean_ce(z):
        z = z.reshape(logits.shape)
        return np.mean(-(labels * (z - np.log(np.exp(z).sum(axis=1, keepdims=True)))).sum(axis=1))

    oracle.assert_close(actual, oracle.gradient_fd(mean_ce, logits), TOL.F32_FD, "finite differences")
