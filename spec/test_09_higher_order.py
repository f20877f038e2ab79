"""Chapter 9 — Several tapes and higher-order derivatives: a tape records the gradient computation of another.

Guide: https://www.tensorflow.org/guide/advanced_autodiff ("Higher-order gradients").
"""
import keras
import numpy as np
import pytest
import tensorflow as tf

from spec import oracle
from spec.harness import pictures
from spec.tolerances import TOL


@pytest.mark.source("seed 002", "ADV-08")
def test_nested_tapes_give_dy_dx_27_and_d2y_dx2_18_for_x_cubed_at_3(where):
    """Nesting two tapes around y = x³ at x = 3 gives dy/dx = 3x² = 27 and d²y/dx² = 6x = 18 (seed 002)."""
    x = tf.Variable(3.0)

    def first_and_second():
        with tf.GradientTape() as outer:
            with tf.GradientTape() as inner:
                y = x**3
            dy_dx = inner.gradient(y, x)
        return dy_dx, outer.gradient(dy_dx, x)

    dy_dx, d2y_dx2 = where.run(first_and_second)
    oracle.assert_close(dy_dx, 3 * 3.0**2, TOL.F32_FEW_OPS, "dy/dx")
    oracle.assert_close(d2y_dx2, 6 * 3.0, TOL.F32_FEW_OPS, "d2y/dx2")
    oracle.assert_close(d2y_dx2, oracle.hessian_fd(lambda v: v**3, 3.0).reshape(()), TOL.F32_FD, "finite differences")


def _inner_gradient_after_the_outer_tape(x):
    with tf.GradientTape() as outer:
        outer.watch(x)
        with tf.GradientTape() as inner:
            inner.watch(x)
            y = x**3
    dy_dx = inner.gradient(y, x)  # outside the outer tape's block: the outer tape does not record this
    return dy_dx, outer.gradient(dy_dx, x)


@pytest.mark.source("ADV-08", "T-03")
def test_inner_gradient_taken_after_the_outer_tape_closed_gives_27_then_none(where):
    """And if the inner tape's gradient is taken after the outer `with` block has closed? dy/dx = 27 is still right for x³ at 3, but the outer tape never recorded its computation, so d²y/dx² is None instead of 18, silently, in every mode (advanced guide, "Higher-order gradients"; observed)."""
    dy_dx, d2y_dx2 = where.run(_inner_gradient_after_the_outer_tape, tf.constant(3.0))
    oracle.assert_close(dy_dx, 3 * 3.0**2, TOL.F32_FEW_OPS, "dy/dx")
    assert d2y_dx2 is None, f"expected None (the outer tape recorded nothing), got {d2y_dx2!r}"


@pytest.mark.source("API-73")
def test_tf_hessians_raises_runtimeerror_eagerly_like_tf_gradients():
    """And tf.hessians, the one-call Hessian? It is built on tf.gradients, so eagerly it raises the same RuntimeError "tf.gradients is not supported when eager execution is enabled. Use tf.GradientTape instead." (tf.gradients API page; observed)."""
    x = tf.constant([1.0, 2.0])
    with pytest.raises(RuntimeError, match="tf.gradients is not supported when eager execution is enabled"):
        tf.hessians(tf.reduce_sum(x**3), x)


@pytest.mark.source("API-73")
def test_tf_hessians_of_sum_x_cubed_inside_tf_function_is_diag_6x_6_12(where):
    """Inside a tf.function (and under XLA) tf.hessians works: the Hessian of Σx³ at x = [1, 2] is diag(6x) = [[6, 0], [0, 12]], returned in a one-element list (observed)."""
    if where.eager:
        pytest.skip("tf.hessians builds graph ops: eagerly it raises RuntimeError (tested above)")
    (hessian,) = where.run(lambda x: tf.hessians(tf.reduce_sum(x**3), x), tf.constant([1.0, 2.0]))
    oracle.assert_close(hessian, np.diag(6 * np.array([1.0, 2.0])), TOL.EXACT, "diag(6x)")
    oracle.assert_close(hessian, oracle.hessian_fd(lambda v: np.sum(v**3), np.array([1.0, 2.0])), TOL.F32_FD,
                        "finite differences")


@pytest.mark.source("ADV-07")
def test_two_tapes_answer_for_their_own_sources_cos_0_is_1_and_sigmoid_prime_0_is_0_25(where):
    """Two tapes open at once, each watching its own constant: for y = sin(x0) + σ(x1) at 0, tape0 gives cos 0 = 1.0 and tape1 gives σ'(0) = 0.25 (advanced guide, "Multiple tapes")."""

    def grads(x0, x1):
        with tf.GradientTape() as tape0, tf.GradientTape() as tape1:
            tape0.watch(x0)
            tape1.watch(x1)
            ys = tf.reduce_sum(tf.math.sin(x0) + tf.nn.sigmoid(x1))
        return tape0.gradient(ys, x0), tape1.gradient(ys, x1)

    d_x0, d_x1 = where.run(grads, tf.constant(0.0), tf.constant(0.0))
    oracle.assert_close(d_x0, np.cos(0.0), TOL.EXACT, "tape0: d/dx0")
    oracle.assert_close(d_x1, oracle.sigmoid_prime(0.0), TOL.EXACT, "tape1: d/dx1")


@pytest.mark.source("ADV-09")
@pytest.mark.keras
def test_input_gradient_regularisation_differentiates_the_norm_of_an_input_gradient(where):
    """The gradient of ‖∂out/∂x‖ (x of shape (7, 5)) with respect to a Dense(10, relu) layer's kernel (5, 10) and bias (10,) matches finite differences (advanced guide, "Input gradient regularization")."""
    layer = keras.layers.Dense(10, activation="relu", kernel_initializer=keras.initializers.GlorotUniform(seed=9),
                               bias_initializer=keras.initializers.RandomNormal(stddev=0.5, seed=10))
    layer.build((None, 5))
    x = np.random.default_rng(9).normal(size=(7, 5))

    def regulariser_gradient(inputs):
        with tf.GradientTape() as t2:
            with tf.GradientTape(watch_accessed_variables=False) as t1:
                t1.watch(inputs)
                out = tf.reduce_sum(layer(inputs) ** 2)
            g1 = t1.gradient(out, inputs)
            g1_mag = tf.norm(g1)
        return g1, t2.gradient(g1_mag, layer.trainable_variables)

    g1, (d_kernel, d_bias) = where.run(regulariser_gradient, tf.constant(x, tf.float32))
    assert (g1.shape, d_kernel.shape, d_bias.shape) == ((7, 5), (5, 10), (10,))
    w, b = oracle.f64(layer.kernel), oracle.f64(layer.bias)

    def input_gradient(w_, b_):  # d Σ relu(x·W + b)² / dx = 2·relu(x·W + b)·Wᵀ
        return 2.0 * np.maximum(x @ w_ + b_, 0.0) @ w_.T

    oracle.assert_close(g1, input_gradient(w, b), TOL.F32_REDUCTION, "∂out/∂x, closed form")
    fd_kernel = oracle.gradient_fd(lambda w_: np.linalg.norm(input_gradient(w_, b)), w)
    fd_bias = oracle.gradient_fd(lambda b_: np.linalg.norm(input_gradient(w, b_)), b)
    oracle.assert_close(d_kernel, fd_kernel, TOL.F32_FD, "d‖g1‖/dkernel by finite differences")
    oracle.assert_close(d_bias, fd_bias, TOL.F32_FD, "d‖g1‖/dbias by finite differences")


@pytest.fixture
def two_relu_layers():
    """x (7, 5) → Dense(8, relu) → Dense(6, relu), seeded, as in the guide's Hessian example."""
    layer1 = keras.layers.Dense(8, activation="relu", kernel_initializer=keras.initializers.GlorotUniform(seed=13),
                                bias_initializer=keras.initializers.RandomNormal(stddev=0.5, seed=14))
    layer2 = keras.layers.Dense(6, activation="relu", kernel_initializer=keras.initializers.GlorotUniform(seed=15),
                                bias_initializer=keras.initializers.RandomNormal(stddev=0.5, seed=16))
    layer1.build((None, 5))
    layer2.build((None, 8))
    x = np.random.default_rng(13).normal(size=(7, 5))
    return layer1, layer2, x


def _gradient_and_hessian(layer1, layer2):
    def run(inputs):
        with tf.GradientTape() as t2:
            with tf.GradientTape() as t1:
                loss = tf.reduce_mean(layer2(layer1(inputs)) ** 2)
            g = t1.gradient(loss, layer1.kernel)
        return g, t2.jacobian(g, layer1.kernel)

    return run


def _closed_form(layer1, layer2, x):
    return oracle.relu_mlp_mean_square_grad_and_hessian_wrt_w1(x, layer1.kernel, layer1.bias, layer2.kernel, layer2.bias)


@pytest.mark.source("ADV-13")
@pytest.mark.keras
def test_hessian_by_nested_jacobian_is_5_8_5_8_symmetric_and_matches_closed_form(where, two_relu_layers, picture):
    """The jacobian of a gradient is the Hessian: for a two-layer ReLU net it has shape (5, 8, 5, 8), its 40 × 40 matrix is symmetric and equals (2/n)·Σ ∂y ⊗ ∂y (advanced guide, "Hessian")."""
    layer1, layer2, x = two_relu_layers
    g, h = where.run(_gradient_and_hessian(layer1, layer2), tf.constant(x, tf.float32))
    assert h.shape == (5, 8, 5, 8)
    h_mat = oracle.f64(h).reshape(40, 40)
    oracle.assert_close(h_mat, h_mat.T, TOL.F32_REDUCTION, "Hessian vs its transpose")
    want_g, want_h = _closed_form(layer1, layer2, x)
    oracle.assert_close(g, want_g, TOL.F32_REDUCTION, "gradient, closed form")
    oracle.assert_close(h, want_h, TOL.F32_REDUCTION, "Hessian, closed form")
    assert np.abs(want_h).max() > 0.01  # the example is not degenerate (not every ReLU is off)
    picture("hessian", pictures.heatmap, h_mat, blocks=8, colour_label="∂²loss / ∂W₁[i, j] ∂W₁[k, l] (float32)",
            title="Hessian of the loss w.r.t. the first kernel (5 × 8), as a 40 × 40 matrix",
            xlabel="kernel entry (k, l), row-major: 8 per input row", ylabel="kernel entry (i, j), row-major",
            caption="The 40 × 40 Hessian of a two-layer ReLU net's loss: symmetric, with 8 × 8 blocks per pair of input rows")


@pytest.mark.source("ADV-14")
@pytest.mark.keras
def test_newton_step_solves_the_regularised_40_by_40_system_and_updates_the_kernel(where, two_relu_layers):
    """A Newton step reshapes the (5, 8, 5, 8) Hessian to 40 × 40 (n_params an int32 40), solves (H + 10⁻³I)·u = g for u (40, 1) and subtracts u from the kernel (advanced guide, "Newton's method")."""
    if where.mode == "xla":
        pytest.skip("XLA compiles tf.linalg.solve (an LU factorisation) in about 2 s on CPU; eager and tf.function cover the step")
    layer1, layer2, x = two_relu_layers
    kernel_before = oracle.f64(layer1.kernel)
    # The Hessian itself is the previous test's claim; here g and H come from the float64 closed form.
    want_g, want_h = _closed_form(layer1, layer2, x)

    def newton_step(g, h):
        n_params = tf.reduce_prod(layer1.kernel.shape)
        h_mat = tf.reshape(h, [n_params, n_params])
        update = tf.linalg.solve(h_mat + tf.eye(n_params) * 1e-3, tf.reshape(g, [n_params, 1]))
        layer1.kernel.assign_sub(tf.reshape(update, layer1.kernel.shape))
        return n_params, update

    n_params, update = where.run(newton_step, tf.constant(want_g, tf.float32), tf.constant(want_h, tf.float32))
    assert n_params.dtype == tf.int32 and int(n_params) == 40
    assert update.shape == (40, 1)
    u = oracle.f64(update)
    h_mat = want_h.reshape(40, 40)
    residual = (h_mat + 1e-3 * np.eye(40)) @ u - want_g.reshape(40, 1)
    scale = np.linalg.norm(h_mat) * np.linalg.norm(u) + np.linalg.norm(want_g)
    assert np.linalg.norm(residual) <= TOL.NEWTON_RESIDUAL_F32.rtol * scale, TOL.NEWTON_RESIDUAL_F32.why
    oracle.assert_close(layer1.kernel, kernel_before - u.reshape(5, 8), TOL.F32_FEW_OPS, "kernel after assign_sub")
