"""Chapter 1 — Computing gradients: a tape records operations, `tape.gradient(target, source)` plays them back.

Guide: https://www.tensorflow.org/guide/autodiff ("Computing gradients", "Gradient tapes").
"""
import numpy as np
import pytest
import tensorflow as tf

from spec import oracle
from spec.tolerances import TOL

XS = np.linspace(-4.0, 4.0, 17)  # includes 0 and the integers, where 2x is exact
SIGMOID_XS = np.linspace(-10.0, 10.0, 201)  # symmetric grid through 0, step 0.1


@pytest.mark.source("seed 000", "seed 001", "AD-01")
def test_gradient_of_x_squared_at_3_is_6(where):
    """The derivative of y = x² at x = 3 is 2·3 = 6.0 (seeds 000, 001; guide "Gradient tapes")."""
    x = tf.Variable(3.0)

    def dy_dx():
        with tf.GradientTape() as tape:
            y = x**2
        return tape.gradient(y, x)

    actual = where.run(dy_dx)
    assert actual.dtype == tf.float32
    oracle.assert_close(actual, 2 * 3.0, TOL.EXACT)
    oracle.assert_close(actual, oracle.gradient_fd(lambda v: v**2, 3.0), TOL.F32_FD, "finite differences")


@pytest.mark.source("seed 000", "seed 001", "AD-15")
def test_gradient_of_x_squared_over_a_range_is_2x(where):
    """Over x in [-4, 4], the elementwise derivative of x² is 2x at every point (seeds 000, 001)."""

    def dy_dx(x):
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = x**2
        return tape.gradient(y, x)

    actual = where.run(dy_dx, tf.constant(XS, tf.float32))
    oracle.assert_close(actual, 2 * XS, TOL.EXACT)
    oracle.assert_close(actual, oracle.derivative_fd(np.square, XS), TOL.F32_FD, "finite differences")


@pytest.mark.source("seed 002", "seed 003")
@pytest.mark.parametrize("product", ["w*w", "tf.square(w)"])
def test_gradient_of_w_squared_at_variable_5_is_10(where, product):
    """d(w·w)/dw and d(tf.square(w))/dw at the Variable w = 5 are both 10.0 (seeds 002, 003)."""
    w = tf.Variable(5.0)
    square = {"w*w": lambda v: v * v, "tf.square(w)": tf.square}[product]

    def dy_dw():
        with tf.GradientTape() as tape:
            y = square(w)
        return tape.gradient(y, w)

    oracle.assert_close(where.run(dy_dw), 2 * 5.0, TOL.EXACT)


def _sigmoid_gradient(x):
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.sigmoid(x)
    return tape.gradient(y, x)


@pytest.fixture(scope="module")
def sigmoid_xs():
    return tf.constant(SIGMOID_XS, tf.float32)


@pytest.mark.source("seed 000", "seed 001")
def test_sigmoid_gradient_equals_sigmoid_times_one_minus_sigmoid(where, sigmoid_xs):
    """On [-10, 10] the gradient of σ(x) is σ(x)(1 − σ(x)), checked in float64 and by finite differences (seeds 000, 001)."""
    actual = where.run(_sigmoid_gradient, sigmoid_xs)
    oracle.assert_close(actual, oracle.sigmoid_prime(SIGMOID_XS), TOL.F32_FEW_OPS, "closed form")
    oracle.assert_close(actual, oracle.derivative_fd(oracle.sigmoid, SIGMOID_XS), TOL.F32_FD, "finite differences")


@pytest.mark.source("seed 000", "seed 001")
def test_sigmoid_gradient_is_symmetric_about_0(where, sigmoid_xs):
    """σ'(−x) = σ'(x): the gradient over a grid symmetric about 0 reads the same reversed (seeds 000, 001)."""
    actual = oracle.f64(where.run(_sigmoid_gradient, sigmoid_xs))
    oracle.assert_close(actual, actual[::-1], TOL.F32_FEW_OPS, "mirror image")


@pytest.mark.source("seed 000", "seed 001")
def test_sigmoid_gradient_peaks_at_0_25_at_x_0(where, sigmoid_xs):
    """The sigmoid's gradient is largest at x = 0, where it is exactly σ(0)(1 − σ(0)) = 0.25 (seeds 000, 001)."""
    actual = oracle.f64(where.run(_sigmoid_gradient, sigmoid_xs))
    assert SIGMOID_XS[np.argmax(actual)] == 0.0
    assert actual.max() == 0.25


@pytest.mark.source("seed 000", "seed 001")
def test_sigmoid_gradient_vanishes_below_5e_5_at_abs_x_10(where, sigmoid_xs):
    """In the tails the gradient vanishes: σ'(±10) ≈ 4.54e-5, under 5e-5 and still positive (seeds 000, 001)."""
    actual = oracle.f64(where.run(_sigmoid_gradient, sigmoid_xs))
    tails = actual[[0, -1]]
    oracle.assert_close(tails, oracle.sigmoid_prime([-10.0, 10.0]), TOL.F32_FEW_OPS, "closed form")
    assert np.all((tails > 0) & (tails < 5e-5))


@pytest.mark.source("seed 000", "seed 001")
def test_sigmoid_gradient_is_float32_accurate_to_1e_7_not_1e_8(where, sigmoid_xs):
    """The float32 gradient differs from float64 σ(1−σ) by under 1e-7 but more than 1e-8: float32 rounding, nothing worse."""
    actual = where.run(_sigmoid_gradient, sigmoid_xs)
    oracle.assert_bracketed(actual, oracle.sigmoid_prime(SIGMOID_XS), TOL.SIGMOID_F32_VS_F64)


@pytest.mark.source("seed 000", "seed 001")
def test_sigmoid_and_its_gradient_are_plotted_to_artifacts(save_plot, sigmoid_xs):
    """A picture of σ(x) and its tape gradient over [-10, 10] is written to artifacts/plots/sigmoid.png (seeds 000, 001)."""
    gradient = _sigmoid_gradient(sigmoid_xs).numpy()
    path = save_plot(
        "sigmoid", SIGMOID_XS,
        {"σ(x)": oracle.sigmoid(SIGMOID_XS), "dσ/dx from tf.GradientTape": gradient,
         "σ(x)(1 − σ(x)), float64": oracle.sigmoid_prime(SIGMOID_XS)},
        title="The sigmoid and its gradient", xlabel="x", ylabel="value",
    )
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.source("seed 004", "AD-02")
def test_linear_model_gradients_have_source_shapes_and_equal_closed_form(where):
    """For y = x@W + b, loss = mean(y²): dL/dW (3, 2) = xᵀ·2y/n and dL/db (2,) = Σ 2y/n, also by finite differences (seed 004)."""
    w = tf.Variable(tf.random.normal((3, 2), seed=4), name="w")
    b = tf.Variable(tf.constant([0.5, -0.25]), name="b")
    x = tf.constant([[1.0, 2.0, 3.0]])

    def grads():
        with tf.GradientTape() as tape:
            y = x @ w + b
            loss = tf.reduce_mean(y**2)
        return tape.gradient(loss, [w, b])

    dl_dw, dl_db = where.run(grads)
    assert (dl_dw.shape, dl_db.shape) == ((3, 2), (2,))
    want_w, want_b = oracle.linear_mean_square_grads(x, w, b)
    oracle.assert_close(dl_dw, want_w, TOL.F32_REDUCTION, "dL/dW")
    oracle.assert_close(dl_db, want_b, TOL.F32_REDUCTION, "dL/db")

    x64, w64, b64 = oracle.f64(x), oracle.f64(w), oracle.f64(b)
    fd_w = oracle.gradient_fd(lambda m: np.mean((x64 @ m + b64) ** 2), w64)
    fd_b = oracle.gradient_fd(lambda v: np.mean((x64 @ w64 + v) ** 2), b64)
    oracle.assert_close(dl_dw, fd_w, TOL.F32_FD, "dL/dW by finite differences")
    oracle.assert_close(dl_db, fd_b, TOL.F32_FD, "dL/db by finite differences")
