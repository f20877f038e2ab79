"""Chapter 6 — When a gradient is None: the target does not depend on the source through operations the tape recorded and can differentiate.

Guide: https://www.tensorflow.org/guide/autodiff ("Getting a gradient of None", "Zeros instead of None").
"""
import logging

import numpy as np
import pytest
import tensorflow as tf

from spec import oracle
from spec.harness import observe
from spec.tolerances import TOL

DTYPE_WARNING = "The dtype of the watched tensor must be floating (e.g. tf.float32), got tf.{}"


@pytest.mark.source("AD-18")
def test_target_not_connected_to_the_source_gives_none(where):
    """z = y² never uses x, so dz/dx is None although x is a watched trainable Variable (guide "Getting a gradient of None")."""
    x, y = tf.Variable(2.0), tf.Variable(3.0)

    def dz_dx():
        with tf.GradientTape() as tape:
            z = y * y
        return tape.gradient(z, x)

    assert where.run(dz_dx) is None


@pytest.mark.source("AD-19")
def test_replacing_the_variable_by_x_plus_1_gives_1_then_none(where):
    """In a loop, `x = x + 1` turns the Variable into a plain tensor: the first pass gives d(x + 1)/dx = 1.0, the second None (guide; use x.assign_add(1))."""
    variable = tf.Variable(2.0)

    def two_passes():
        x, grads = variable, []
        for _ in range(2):
            with tf.GradientTape() as tape:
                y = x + 1
            grads.append(tape.gradient(y, x))
            x = x + 1  # the mistake the guide shows: a Tensor now, which the next tape does not watch
        return grads

    oracle.assert_structure_close(where.run(two_passes), [1.0, None], TOL.EXACT)


@pytest.mark.eager_only("inside tf.function NumPy cannot read a symbolic tensor at all (NotImplementedError)")
@pytest.mark.source("AD-20")
def test_numpy_calculation_inside_the_tape_disconnects_the_gradient_none(where):
    """np.mean of x² inside the tape returns a NumPy value the tape never saw, so the gradient of the final reduce_mean with respect to x is None (guide)."""
    with tf.device(where.device_name):
        x = tf.Variable([[1.0, 2.0], [3.0, 4.0]])
        with tf.GradientTape() as tape:
            x2 = x**2
            y = np.mean(x2, axis=0)
            y = tf.reduce_mean(y, axis=0)
        assert observe.returned(tape.gradient(y, x)) is None


# ------------------------------------------------------------------------------------- integer dtypes


@pytest.mark.source("AD-21", "API-06")
def test_watched_int32_source_gives_none(where):
    """Integers are not differentiable: with x = 10 (int32) watched, d(x·x)/dx is None, not 20 (guide; API)."""

    def dy_dx(x):
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = x * x
        return tape.gradient(y, x)

    assert where.run(dy_dx, tf.constant(10)) is None


# Logged warnings are throttled per calling line for the whole process: this test takes no `where`.
@pytest.mark.source("AD-21", "API-06")
@pytest.mark.parametrize("value, dtype", [(10, "int32"), ("text", "string")], ids=["int32", "string"])
def test_watching_a_non_float_tensor_logs_must_be_floating_and_gives_none(caplog, value, dtype):
    """Watching an int32 or string tensor logs "The dtype of the watched tensor must be floating (e.g. tf.float32), got tf.<dtype>" and its gradient is None (guide; TF test)."""
    caplog.set_level(logging.WARNING, logger="tensorflow")
    x = tf.constant(value)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.identity(x)
    assert DTYPE_WARNING.format(dtype) in caplog.text
    assert tape.gradient(y, x) is None


@pytest.mark.eager_only("inside tf.function the same mix fails while tracing, as a TypeError")
@pytest.mark.source("AD-21")
def test_int32_times_float32_raises_invalidargumenterror_rather_than_giving_none(where):
    """In practice mixing dtypes fails before any gradient: tf.constant(10) * tf.constant(1.5) raises InvalidArgumentError (guide)."""
    with tf.device(where.device_name):
        with pytest.raises(tf.errors.InvalidArgumentError, match=r"expected to be a int32 tensor but is a float tensor"):
            tf.constant(10) * tf.constant(1.5)


@pytest.mark.source("ISS-12")
def test_int32_variable_is_trainable_yet_its_gradient_is_none_without_a_warning(where, caplog):
    """tf.Variable(3) is int32 and reports trainable=True, yet d(x·x)/dx is None, silently: no warning, as it is watched automatically (issues #26143, #43845)."""
    caplog.set_level(logging.WARNING, logger="tensorflow")
    x = tf.Variable(3)

    def dy_dx():
        with tf.GradientTape() as tape:
            y = x * x
        return tape.gradient(y, x)

    assert x.trainable
    assert where.run(dy_dx) is None
    assert "must be floating" not in caplog.text


@pytest.mark.source("ISS-12")
def test_issue_26143_reproducer_forward_of_int_variables_1_and_2_gives_gradients_none_none_silently(where, caplog):
    """The reproducer of https://github.com/tensorflow/tensorflow/issues/26143 as posted (run unchanged, in each mode): integers have no derivative, so d(a·b)/d[tf.Variable(1), tf.Variable(2)] is [None, None] (documented behaviour), and the error message the issue asked for is still not logged for automatically watched variables."""
    caplog.set_level(logging.WARNING, logger="tensorflow")

    def forward(a, b):
        """f = a * b"""
        return a * b

    params = [tf.Variable(1), tf.Variable(2)]

    def reproducer():
        with tf.GradientTape() as tape:
            result = forward(*params)
        return tape.gradient(result, params)

    assert where.run(reproducer) == [None, None]
    assert "must be floating" not in caplog.text


@pytest.mark.source("ISS-12")
def test_issue_27378_scenario_tf_gradients_in_a_graph_wrt_integer_initialised_variables_is_none_none():
    """https://github.com/tensorflow/tensorflow/issues/27378 is expected behaviour, unchanged: tf.gradients in a graph (here a tf.function) with respect to variables initialised with integers, w = tf.Variable(2) and b = tf.Variable(1) for y = w·x + b, gives [None, None], as the maintainer answered ("mathematically there is no gradient defined on integer types"). The issue's code is not in its text (only screenshots); this is the scenario the answer states."""
    w, b = tf.Variable(2), tf.Variable(1)

    @tf.function
    def gradients(x):
        y = w * x + b
        return tf.gradients(y, [w, b])

    assert (w.dtype, b.dtype) == (tf.int32, tf.int32)
    assert observe.returned(gradients(tf.constant(3))) == [None, None]


@pytest.mark.source("ISS-12")
def test_issue_43845_scenario_gradient_descent_optimizer_on_int_variable_raises_no_gradients_provided_float_steps_3_to_2_4():
    """https://github.com/tensorflow/tensorflow/issues/43845 is expected behaviour, unchanged: GradientDescentOptimizer raises ValueError "No gradients provided for any variable" when the variable is not a float, because an integer variable's gradient is None (guide, "Getting a gradient of None": integers are not differentiable). The issue's code is not in its stored text (it is cut inside the issue template); this runs the scenario its title states, eagerly: tf.compat.v1.train.GradientDescentOptimizer(0.1).minimize(lambda: w·w, var_list=[w]) raises for w = tf.Variable(3), and with w = tf.Variable(3.0) takes the step 3 − 0.1·2·3 = 2.4."""
    optimizer = tf.compat.v1.train.GradientDescentOptimizer(0.1)
    w_int, w_float = tf.Variable(3), tf.Variable(3.0)
    with pytest.raises(ValueError, match=r"No gradients provided for any variable, check your graph for ops that do not support gradients"):
        optimizer.minimize(lambda: w_int * w_int, var_list=[w_int])
    assert observe.returned(w_int.numpy()) == 3
    optimizer.minimize(lambda: w_float * w_float, var_list=[w_float])
    oracle.assert_close(w_float, 3.0 - 0.1 * 2 * 3.0, TOL.F32_FEW_OPS, "w after one step")


CASTS = {
    # id: (the path from the float32 variable x, expected gradient at x = 1.0 as a function of x)
    "through int32 gives None": (lambda x: tf.cast(tf.cast(x, tf.int32), tf.float32) ** 2, None),
    "through float64 and back gives 2x": (lambda x: tf.cast(tf.cast(x, tf.float64), tf.float32) ** 2, 2.0),
    "into float64 gives a float32 2x": (lambda x: tf.cast(x, tf.float64) ** 2, 2.0),
}


@pytest.mark.source("ISS-12")
@pytest.mark.parametrize("path", CASTS, ids=list(CASTS))
def test_casts_an_int_cast_cuts_the_gradient_a_float64_detour_keeps_2x_in_float32(where, path):
    """At x = 1, (int32 cast x)² has a None gradient; through float64 the gradient is 2x = 2.0 and has the source's dtype, float32 (PR #30107)."""
    square_along, expected = CASTS[path]
    x = tf.Variable(1.0)

    def dy_dx():
        with tf.GradientTape() as tape:
            y = square_along(x)
        return tape.gradient(y, x)

    actual = where.run(dy_dx)
    if expected is None:
        assert actual is None
    else:
        assert actual.dtype == tf.float32
        oracle.assert_close(actual, expected, TOL.EXACT)


@pytest.mark.eager_only("the ValueError is raised by the Keras optimizer's eager apply_gradients")
@pytest.mark.source("ISS-12")
@pytest.mark.keras
def test_keras_optimizer_given_only_none_gradients_raises_no_gradients_provided(where):
    """All-None gradients (say from int variables) make SGD.apply_gradients raise ValueError "No gradients provided for any variable." (issue #43845)."""
    with tf.device(where.device_name):
        variables = [tf.Variable(1.0), tf.Variable(2.0)]
        optimizer = tf.keras.optimizers.SGD()
        with pytest.raises(ValueError, match="No gradients provided for any variable"):
            optimizer.apply_gradients(zip([None, None], variables))


@pytest.mark.eager_only("the warning is issued by the Keras optimizer's eager apply_gradients")
@pytest.mark.source("ISS-12")
@pytest.mark.keras
def test_keras_optimizer_given_one_none_gradient_warns_and_leaves_that_variable_alone(where):
    """With gradients [1.0, None], SGD(0.5) warns "Gradients do not exist for variables ['b:0']", moves a to 1 − 0.5 = 0.5 and leaves b at 2.0 (Keras 3)."""
    with tf.device(where.device_name):
        a, b = tf.Variable(1.0, name="a"), tf.Variable(2.0, name="b")
        optimizer = tf.keras.optimizers.SGD(learning_rate=0.5)
        with pytest.warns(UserWarning, match=r"Gradients do not exist for variables \['b:0'\] when minimizing the loss"):
            optimizer.apply_gradients(zip([tf.constant(1.0), None], [a, b]))
    oracle.assert_close(a, 1.0 - 0.5 * 1.0, TOL.EXACT, "a after one step")
    oracle.assert_close(b, 2.0, TOL.EXACT, "b untouched")


# --------------------------------------------------------------------------------- stateful operations


@pytest.mark.source("AD-22")
def test_assign_add_is_stateful_and_blocks_the_gradient_none(where):
    """x1.assign_add(x0) then y = x1²: the tape cannot see through the state change, so dy/dx0 is None (guide "Took gradients through a stateful object")."""
    x0, x1 = tf.Variable(3.0), tf.Variable(0.0)

    def dy_dx0():
        with tf.GradientTape() as tape:
            x1.assign_add(x0)
            y = x1**2
        return tape.gradient(y, x0)

    assert where.run(dy_dx0) is None


@pytest.mark.source("AD-23")
def test_dataset_iterator_is_stateful_and_stops_the_gradient_none(where):
    """A value read from a tf.data iterator has no gradient back to the Variable it was built from: d next(iter(from_tensors(3v)))/dv is None (guide)."""
    if where.mode == "xla":
        pytest.skip("XLA cannot compile tf.data's dataset and iterator ops")
    v = tf.Variable(2.0)

    def dy_dv():
        with tf.GradientTape() as tape:
            y = next(iter(tf.data.Dataset.from_tensors(v * 3.0)))
        return tape.gradient(y, v)

    assert where.run(dy_dv) is None


@pytest.mark.eager_only("inside tf.function the LookupError is re-raised wrapped in a StagingError")
@pytest.mark.source("AD-24")
def test_op_without_a_registered_gradient_raises_lookuperror_naming_adjustcontrastv2(where):
    """tf.image.adjust_contrast has no registered gradient: tape.gradient raises LookupError "gradient registry has no entry for: AdjustContrastv2" (guide)."""
    with tf.device(where.device_name):
        image, delta = tf.Variable([[[0.5, 0.0, 0.0]]]), tf.Variable(0.1)
        with tf.GradientTape() as tape:
            new_image = tf.image.adjust_contrast(image, delta)
        with pytest.raises(LookupError, match="gradient registry has no entry for: AdjustContrastv2"):
            tape.gradient(new_image, [image, delta])


# ------------------------------------------------------------------------------------- zeros, not None

UNCONNECTED = {
    # id: (unconnected_gradients argument, expected gradient for the 2-vector x)
    "UnconnectedGradients.ZERO gives zeros": (lambda: tf.UnconnectedGradients.ZERO, np.zeros(2)),
    "'zero' gives zeros": (lambda: "zero", np.zeros(2)),
    "'none' gives None": (lambda: "none", None),
}


@pytest.mark.source("AD-25", "API-15")
@pytest.mark.parametrize("choice", UNCONNECTED, ids=list(UNCONNECTED))
def test_unconnected_gradients_zero_gives_zeros_of_the_source_shape_none_gives_none(where, choice):
    """For z = y², unconnected_gradients=UnconnectedGradients.ZERO or 'zero' gives dz/dx = [0, 0] shaped like x; 'none' (the default) gives None (guide; API)."""
    make, expected = UNCONNECTED[choice]
    x, y = tf.Variable([2.0, 2.0]), tf.Variable(3.0)
    unconnected = make()

    def dz_dx():
        with tf.GradientTape() as tape:
            z = y**2
        return tape.gradient(z, x, unconnected_gradients=unconnected)

    oracle.assert_structure_close(where.run(dz_dx), expected, TOL.EXACT)


@pytest.mark.eager_only("the ValueError is raised by the eager tape object's argument check")
@pytest.mark.source("API-15")
def test_unknown_unconnected_gradients_value_foo_raises_valueerror(where):
    """unconnected_gradients='foo' raises ValueError "Unknown value for unconnected_gradients: 'foo'" (API)."""
    with tf.device(where.device_name):
        x = tf.Variable(2.0)
        with tf.GradientTape() as tape:
            y = x * x
        with pytest.raises(ValueError, match="Unknown value for unconnected_gradients: 'foo'"):
            tape.gradient(y, x, unconnected_gradients="foo")


# ------------------------------------------------------------------------------ slicing after the tape


@pytest.mark.source("ISS-26")
def test_slicing_the_target_after_the_tape_closed_gives_none(where):
    """y = x² is recorded, but y[0] taken after the `with` block is not: gradient(y[0], x) is None; slice inside the block (observed; cf. issue #27660)."""

    def grad(x):
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = x * x
        return tape.gradient(y[0], x)

    assert where.run(grad, tf.constant([1.0, 2.0])) is None


@pytest.mark.source("ISS-26")
def test_slicing_the_target_inside_the_tape_gives_2x_then_0(where):
    """The same slice taken inside the `with` block is recorded: d(y[0])/dx = [2x₀, 0] = [2, 0] at x = [1, 2] (observed; cf. issue #27660)."""

    def grad(x):
        with tf.GradientTape() as tape:
            tape.watch(x)
            first = (x * x)[0]
        return tape.gradient(first, x)

    oracle.assert_close(where.run(grad, tf.constant([1.0, 2.0])), [2.0, 0.0], TOL.EXACT)
