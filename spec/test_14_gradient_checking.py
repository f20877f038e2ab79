"""Chapter 14 — Gradient checking: tf.test.compute_gradient sets the tape's Jacobian beside a finite-difference one.

API: https://www.tensorflow.org/api_docs/python/tf/test/compute_gradient (ops/gradient_checker_v2.py).

compute_gradient is the subject here, so its two Jacobians are each compared with the float64 closed
form (spec/oracle.py), never only with each other. The value claims run f in every mode (`where`); the
claims about the shape of what it returns run eagerly.
"""
import numpy as np
import pytest
import tensorflow as tf

from spec import oracle
from spec.harness import observe
from spec.tolerances import TOL


def _square(x):
    return x * x


def _sum_of_squares(x):
    return tf.reduce_sum(x**2)


def _jacobians_in(where, fn, xs):
    """compute_gradient over fn as it runs in this case's mode: the theoretical Jacobian comes from a tape
    around that call, the numeric one from central differences of it. The report shows the two Jacobians
    compute_gradient returned, not the many evaluations of fn behind them."""
    with observe.quiet():
        jacobians = tf.test.compute_gradient(lambda *args: where.run(fn, *args), xs)
    return observe.returned(jacobians)


@pytest.mark.source("API-65")
def test_compute_gradient_of_x_squared_at_1_returns_two_tuples_each_holding_a_1x1_array_of_2(where):
    """compute_gradient(x², [1.0]) returns (theoretical, numeric), each a tuple with one (y_size, x_size) = (1, 1) float32 array equal to 2x = 2.0 (API page)."""
    theoretical, numeric = _jacobians_in(where, _square, [1.0])
    assert type(theoretical) is tuple and type(numeric) is tuple
    assert len(theoretical) == len(numeric) == 1
    for name, jacobian in (("theoretical", theoretical[0]), ("numeric", numeric[0])):
        assert isinstance(jacobian, np.ndarray) and jacobian.dtype == np.float32, name
        oracle.assert_close(jacobian, [[2 * 1.0]], TOL.EXACT, name)


@pytest.mark.source("API-65")
def test_compute_gradient_of_elementwise_square_at_1_2_is_the_diagonal_2_4():
    """For x = [1, 2] both Jacobians of the elementwise x² are the 2×2 matrix diag(2x) = [[2, 0], [0, 4]] (API page)."""
    x = np.array([1.0, 2.0])
    theoretical, numeric = tf.test.compute_gradient(_square, [tf.constant(x, tf.float32)])
    oracle.assert_close(theoretical[0], np.diag(2 * x), TOL.EXACT, "theoretical")
    oracle.assert_close(numeric[0], np.diag(2 * x), TOL.EXACT, "numeric")
    oracle.assert_close(numeric[0], oracle.jacobian_fd(np.square, x), TOL.F32_FD, "float64 finite differences")


@pytest.mark.source("API-65")
def test_compute_gradient_flattens_a_2x2_float64_input_into_a_1x4_row_2_4_6_8():
    """A scalar Σx² of a 2×2 float64 x = [[1, 2], [3, 4]] gives float64 Jacobians of shape (1, 4): the flattened 2x = [[2, 4, 6, 8]] (API page)."""
    x = np.array([[1.0, 2.0], [3.0, 4.0]])
    theoretical, numeric = tf.test.compute_gradient(_sum_of_squares, [tf.constant(x, tf.float64)])
    want = (2 * x).reshape(1, 4)
    for name, jacobian in (("theoretical", theoretical[0]), ("numeric", numeric[0])):
        assert jacobian.dtype == np.float64, name
        oracle.assert_close(jacobian, want, TOL.F64, name)
    oracle.assert_close(numeric[0], oracle.gradient_fd(lambda m: np.sum(m**2), x).reshape(1, 4), TOL.FD_SELF,
                        "float64 finite differences")


@pytest.mark.source("API-65")
def test_compute_gradient_gives_one_jacobian_per_argument_of_x_times_y_at_2_3():
    """With two arguments it returns one Jacobian per argument: for x·y at (2, 3), d/dx = y = [[3]] and d/dy = x = [[2]] (API page)."""
    theoretical, numeric = tf.test.compute_gradient(tf.multiply, [2.0, 3.0])
    assert len(theoretical) == len(numeric) == 2
    for jacobians, name in ((theoretical, "theoretical"), (numeric, "numeric")):
        oracle.assert_close(jacobians[0], [[3.0]], TOL.EXACT, f"{name} d/dx")
        oracle.assert_close(jacobians[1], [[2.0]], TOL.EXACT, f"{name} d/dy")


@pytest.mark.source("API-65")
def test_compute_gradient_of_sigmoid_numeric_jacobian_is_float32_accurate_to_5e_5_not_5e_6(where):
    """On x in [−3, 3], both Jacobians of σ are diag(σ(1 − σ)); the numeric one, a float32 central difference with step 1/1024, only to about 2e-5 (API page)."""
    xs = np.linspace(-3.0, 3.0, 7)
    theoretical, numeric = _jacobians_in(where, tf.sigmoid, [tf.constant(xs, tf.float32)])
    want = np.diag(oracle.sigmoid_prime(xs))
    oracle.assert_close(theoretical[0], want, TOL.F32_FEW_OPS, "theoretical")
    oracle.assert_bracketed(numeric[0], want, TOL.GRADIENT_CHECK_F32, "numeric")


@pytest.mark.source("API-66")
def test_compute_gradient_with_a_bare_float_instead_of_a_list_raises_valueerror():
    """x must be a list or tuple of the arguments: compute_gradient(f, 1.0) raises ValueError "`x` must be a list or tuple" (API page)."""
    with pytest.raises(ValueError, match="`x` must be a list or tuple of values convertible to a Tensor"):
        tf.test.compute_gradient(_square, 1.0)


@pytest.mark.source("API-67")
def test_compute_gradient_of_relu_at_its_kink_theoretical_0_numeric_0_5(where):
    """At x = 0 relu's registered gradient is 0, while the central difference (relu(h) − relu(−h))/2h is 0.5: a kink, not a bug (issue #62429)."""
    theoretical, numeric = _jacobians_in(where, tf.nn.relu, [tf.constant([0.0])])
    left, right = oracle.one_sided_derivatives(lambda v: np.maximum(v, 0.0), 0.0)
    oracle.assert_close(theoretical[0], [[0.0]], TOL.EXACT, "theoretical: relu's gradient at 0")
    oracle.assert_close(numeric[0], [[(left + right) / 2]], TOL.EXACT, "numeric: the mean of the one-sided slopes")
    assert np.abs(theoretical[0] - numeric[0]).max() == 0.5, "the largest gap (gradient_checker_v2.max_error) is 0.5"
