"""Chapter 2 — What the tape watches: trainable variables automatically, anything else only when asked.

Guide: https://www.tensorflow.org/guide/autodiff ("Controlling what the tape watches").
"""
import pytest
import tensorflow as tf

from spec import oracle
from spec.tolerances import TOL


@pytest.mark.source("seed 002")
def test_gradient_of_x_times_y_wrt_watched_constant_x_3_is_y_2(where):
    """With x = 3 a watched constant and y = 2, z = x·y has dz/dx = y = 2.0 (seed 002)."""

    def dz_dx(x, y):
        with tf.GradientTape() as tape:
            tape.watch(x)
            z = x * y
        return tape.gradient(z, x)

    oracle.assert_close(where.run(dz_dx, tf.constant(3.0), tf.constant(2.0)), 2.0, TOL.EXACT)


@pytest.mark.source("seed 000", "seed 001", "seed 003", "seed 004", "AD-05")
def test_trainable_variable_is_watched_automatically_gradient_6(where):
    """A trainable tf.Variable needs no tape.watch: d(x²)/dx at x = 3 is 6.0 (seeds 000, 001, 003, 004)."""
    x = tf.Variable(3.0)

    def dy_dx():
        with tf.GradientTape() as tape:
            y = x**2
        return tape.gradient(y, x)

    oracle.assert_close(where.run(dy_dx), 6.0, TOL.EXACT)


@pytest.mark.source("seed 000", "seed 001", "seed 003", "seed 004", "AD-05")
def test_unwatched_constant_gradient_is_none(where):
    """A tf.constant is not watched, so the gradient of x² with respect to it is None (seeds 000, 001, 003, 004)."""

    def dy_dx(x):
        with tf.GradientTape() as tape:
            y = x**2
        return tape.gradient(y, x)

    assert where.run(dy_dx, tf.constant(3.0)) is None


@pytest.mark.source("seed 000", "seed 001", "seed 003", "seed 004", "AD-07")
def test_watched_constant_gradient_is_6(where):
    """After tape.watch(x) the same constant x = 3 has d(x²)/dx = 6.0 (seeds 000, 001, 003, 004)."""

    def dy_dx(x):
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = x**2
        return tape.gradient(y, x)

    oracle.assert_close(where.run(dy_dx, tf.constant(3.0)), 6.0, TOL.EXACT)


SOURCES = {
    # id: (make the source, expected gradient of its square at 3)
    "trainable Variable gives 6": (lambda: tf.Variable(3.0, name="x0"), 6.0),
    "Variable(trainable=False) gives None": (lambda: tf.Variable(3.0, name="x1", trainable=False), None),
    "Variable + 1.0 is a Tensor and gives None": (lambda: tf.Variable(2.0, name="x2") + 1.0, None),
    "constant gives None": (lambda: tf.constant(3.0, name="x3"), None),
}


@pytest.mark.eager_only("watched_variables() and sources built outside the tape are eager objects here")
@pytest.mark.source("seed 004", "AD-05")
@pytest.mark.parametrize("source", SOURCES, ids=list(SOURCES))
def test_only_trainable_variables_are_watched_by_default(where, source):
    """Of Variable, non-trainable Variable, Variable+1.0 and constant (all 3), only the first gets d(x²)/dx = 6.0 (seed 004)."""
    make, expected = SOURCES[source]
    with tf.device(where.device_name):
        x = make()
        with tf.GradientTape() as tape:
            y = x**2
        actual = tape.gradient(y, x)
    if expected is None:
        assert actual is None
    else:
        oracle.assert_close(actual, expected, TOL.EXACT)


@pytest.mark.eager_only("watched_variables() reports on an eager tape")
@pytest.mark.source("seed 004", "AD-06")
def test_watched_variables_lists_only_the_trainable_variable_x0(where):
    """After y = x0² + x1² + x2² the tape's watched_variables() names only the trainable x0 (seed 004)."""
    with tf.device(where.device_name):
        x0 = tf.Variable(3.0, name="x0")
        x1 = tf.Variable(3.0, name="x1", trainable=False)
        x2 = tf.Variable(2.0, name="x2") + 1.0
        with tf.GradientTape() as tape:
            y = x0**2 + x1**2 + x2**2
        tape.gradient(y, [x0, x1, x2])
    assert [v.name for v in tape.watched_variables()] == ["x0:0"]


@pytest.mark.source("seed 004", "AD-08")
def test_watch_accessed_variables_false_gives_only_explicitly_watched_x1_a_gradient(where):
    """With watch_accessed_variables=False and only x1 watched, d/dx0 is None and d softplus(x1)/dx1 = σ(10) (seed 004)."""
    x0, x1 = tf.Variable(0.0), tf.Variable(10.0)

    def grads():
        with tf.GradientTape(watch_accessed_variables=False) as tape:
            tape.watch(x1)
            y = tf.reduce_sum(tf.math.sin(x0) + tf.nn.softplus(x1))
        return tape.gradient(y, {"x0": x0, "x1": x1})

    grad = where.run(grads)
    assert grad["x0"] is None
    oracle.assert_close(grad["x1"], oracle.sigmoid(10.0), TOL.F32_FEW_OPS)
