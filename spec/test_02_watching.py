"""Chapter 2 — What the tape watches: trainable variables automatically, anything else only when asked.

Guide: https://www.tensorflow.org/guide/autodiff ("Controlling what the tape watches").
"""
import logging

import numpy as np
import pytest
import tensorflow as tf

from spec import oracle
from spec.harness import observe
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


@pytest.mark.source("seed 000", "seed 001", "seed 003", "seed 004", "AD-07", "API-01")
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
    watched = observe.returned(tape.watched_variables())
    assert [v.name for v in watched] == ["x0:0"]


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


# ------------------------------------------------------------------------------ choosing what to watch


@pytest.mark.source("API-04")
def test_watch_accessed_variables_false_gives_watched_x_4_and_unwatched_w_none(where):
    """With watch_accessed_variables=False and only x watched, d(x²)/dx at 2 is 4.0 while d(w³)/dw for the trainable w is None (API tf.GradientTape)."""
    x, w = tf.Variable(2.0), tf.Variable(5.0)

    def grads():
        with tf.GradientTape(watch_accessed_variables=False, persistent=True) as tape:
            tape.watch(x)
            y = x**2
            z = w**3
        return tape.gradient(y, x), tape.gradient(z, w)

    dy_dx, dz_dw = where.run(grads)
    oracle.assert_close(dy_dx, 2 * 2.0, TOL.EXACT)
    assert dz_dw is None


@pytest.mark.source("T-08")
def test_selective_watch_of_x2_gives_none_for_x1_and_3_for_x2_cubed(where):
    """watch_accessed_variables=False with only x2 watched: y = x1³ gives None, z = x2³ at 1 gives 3x2² = 3.0 (TF test testSelectivelyWatchVariables)."""
    x1, x2 = tf.Variable(1.0, name="x1"), tf.Variable(1.0, name="x2")

    def grads():
        with tf.GradientTape(watch_accessed_variables=False) as tape:
            tape.watch(x2)
            y = x1**3
            z = x2**3
        return tape.gradient([y, z], [x1, x2])

    oracle.assert_structure_close(where.run(grads), [None, 3 * 1.0**2], TOL.EXACT)


@pytest.mark.source("API-08")
def test_explicitly_watched_non_trainable_variable_gets_gradient_2(where):
    """tape.watch works on a Variable(trainable=False): d(2c)/dc is 2.0 (API tf.GradientTape.watched_variables)."""
    c = tf.Variable(3.0, name="c", trainable=False)

    def dy_dc():
        with tf.GradientTape() as tape:
            tape.watch(c)
            y = c * 2.0
        return tape.gradient(y, c)

    oracle.assert_close(where.run(dy_dc), 2.0, TOL.EXACT)


@pytest.mark.eager_only("watched_variables() reports on an eager tape")
@pytest.mark.source("API-08")
def test_watched_variables_come_in_construction_order_a_then_b_not_read_order(where):
    """y = b·a·c reads b first, yet watched_variables() names a, b (construction order, non-trainable c left out), before and after gradient() (API)."""
    with tf.device(where.device_name):
        a = tf.Variable(1.0, name="a")
        b = tf.Variable(2.0, name="b")
        c = tf.Variable(3.0, name="c", trainable=False)
        with tf.GradientTape() as tape:
            y = b * a * c
        before = observe.returned(tape.watched_variables())
        tape.gradient(y, [a, b])
        after = observe.returned(tape.watched_variables())
    assert [v.name for v in before] == [v.name for v in after] == ["a:0", "b:0"]


@pytest.mark.eager_only("watched_variables() reports on an eager tape")
@pytest.mark.source("API-08", "T-08")
def test_watched_variables_without_auto_watch_is_empty_tuple_or_only_the_watched_x2(where):
    """With watch_accessed_variables=False, watched_variables() is () when nothing is watched and (x2,) after tape.watch(x2) (API; TF test)."""
    with tf.device(where.device_name):
        x1, x2 = tf.Variable(1.0, name="x1"), tf.Variable(1.0, name="x2")
        with tf.GradientTape(watch_accessed_variables=False) as nothing:
            x1 * x2
        with tf.GradientTape(watch_accessed_variables=False) as only_x2:
            only_x2.watch(x2)
            x1 * x2
    assert observe.returned(nothing.watched_variables()) == ()
    assert observe.returned(only_x2.watched_variables()) == (x2,)


# ------------------------------------------------------------------------------ each tape watches for itself


@pytest.mark.source("API-02")
def test_two_nested_tapes_watching_x_give_dy_dx_10_then_d2y_dx2_2(where):
    """Both tapes watch x = 5: the inner gives d(x²)/dx = 10, the outer, which recorded that computation, gives d²/dx² = 2 (API tf.GradientTape)."""

    def grads(x):
        with tf.GradientTape() as outer:
            outer.watch(x)
            with tf.GradientTape() as inner:
                inner.watch(x)
                y = x * x
            dy_dx = inner.gradient(y, x)
        return dy_dx, outer.gradient(dy_dx, x)

    dy_dx, d2y_dx2 = where.run(grads, tf.constant(5.0))
    oracle.assert_close(dy_dx, 2 * 5.0, TOL.EXACT, "dy/dx")
    oracle.assert_close(d2y_dx2, 2.0, TOL.EXACT, "d²y/dx²")


@pytest.mark.source("T-02")
def test_watching_is_per_tape_the_outer_tape_sees_only_its_own_x1(where):
    """tape1 watches x1, tape2 watches x1 and x2 (both 2): tape2 gives 3x1² = 12 and 2x2 = 4; tape1 gives d(3x1²)/dx1 = 12 and None for the x2 it never watched (TF test testWatchingIsTapeLocal)."""
    x1 = tf.Variable(2.0, trainable=False)
    x2 = tf.Variable(2.0, trainable=False)

    def grads():
        with tf.GradientTape() as tape1:
            with tf.GradientTape() as tape2:
                tape1.watch(x1)
                tape2.watch([x1, x2])
                y = x1**3
                z = x2**2
                dy, dz = tape2.gradient([y, z], [x1, x2])
        return dy, dz, tape1.gradient([dy, dz], [x1, x2])

    dy, dz, outer = where.run(grads)
    oracle.assert_close(dy, 3 * 2.0**2, TOL.EXACT, "dy/dx1")
    oracle.assert_close(dz, 2 * 2.0, TOL.EXACT, "dz/dx2")
    oracle.assert_structure_close(outer, [6 * 2.0, None], TOL.EXACT, "tape1")


# ---------------------------------------------------------------------------------- what watch accepts


@pytest.mark.eager_only("the ValueError is raised by the eager tape object's watch()")
@pytest.mark.source("API-07")
@pytest.mark.parametrize(
    "thing, kind", [(3.0, "'float'"), (np.array([1.0]), "'ndarray'")], ids=["python float", "numpy array"]
)
def test_watch_rejects_a_python_float_or_numpy_array_with_valueerror(where, thing, kind):
    """tape.watch accepts only tensors and variables: a Python float or NumPy array raises ValueError naming its type (API; TF test testWatchBadThing)."""
    with tf.device(where.device_name):
        with tf.GradientTape() as tape:
            with pytest.raises(ValueError, match=f"of type {kind}, not tf.Tensor or tf.Variable"):
                tape.watch(thing)


# Logged warnings are throttled per calling line for the whole process, so these tests take no `where`:
# a second device case would call the same line again and see fewer (or no) messages.
DTYPE_WARNING = "The dtype of the watched tensor must be floating (e.g. tf.float32), got tf.{}"


@pytest.mark.source("API-09", "AD-21")
def test_watching_an_int32_tensor_logs_the_dtype_warning_only_5_times_per_call_site(caplog):
    """Watching an int32 tensor 7 times from one line logs "...must be floating (e.g. tf.float32), got tf.int32" 5 times, then stays quiet (API; logged via log_first_n)."""
    caplog.set_level(logging.WARNING, logger="tensorflow")
    x = tf.constant(10)
    for _ in range(7):
        with tf.GradientTape() as tape:
            tape.watch(x)
    assert caplog.text.count(DTYPE_WARNING.format("int32")) == 5


@pytest.mark.source("API-09", "API-18")
def test_watching_a_ragged_tensor_logs_the_dtype_warning_for_its_int64_row_splits(caplog):
    """tape.watch on a float RaggedTensor also watches its int64 row_splits and logs "...got tf.int64" (observed)."""
    caplog.set_level(logging.WARNING, logger="tensorflow")
    with tf.GradientTape() as tape:
        tape.watch(tf.ragged.constant([[1.0, 2.0], [3.0]]))
    assert DTYPE_WARNING.format("int64") in caplog.text


@pytest.mark.eager_only("the Keras layers create their variables on the first call, which tf.function allows only once")
@pytest.mark.source("API-05")
@pytest.mark.keras
def test_watching_an_unbuilt_layers_empty_variables_leaves_both_gradients_none(where):
    """tape.watch(a.variables) before layer a is built watches an empty list, so after the call its kernel and bias get [None, None] (API tf.GradientTape)."""
    with tf.device(where.device_name):
        a, b = tf.keras.layers.Dense(3), tf.keras.layers.Dense(3)
        with tf.GradientTape(watch_accessed_variables=False) as tape:
            tape.watch(a.variables)  # [] here: a builds its kernel and bias on the call below
            result = b(a(tf.ones([2, 4])))
        grads = observe.returned(tape.gradient(result, a.variables))
    assert len(a.variables) == 2
    assert grads == [None, None]
