"""Chapter 13 — Keras: gradients with respect to a layer's variables, as Keras 3 names them.

Guide: https://www.tensorflow.org/guide/autodiff ("Gradients with respect to a model").
"""
import numpy as np
import pytest
import tensorflow as tf

from spec import oracle
from spec.support import observe
from spec.tolerances import TOL

pytestmark = pytest.mark.keras  # every spec of this chapter depends on Keras


@pytest.mark.source("seed 004", "AD-04")
def test_dense_relu_gradients_are_kernel_3x2_then_bias_2_and_equal_relu_masked_closed_form(where):
    """Dense(2, relu) on [[1, 2, 3]]: trainable_variables are `kernel` (3, 2) then `bias` (2,), and d mean(y²) matches the relu-masked closed form (seed 004)."""
    tf.keras.utils.set_random_seed(4)
    with tf.device(where.device_name):
        layer = tf.keras.layers.Dense(2, activation="relu", name="dense")
        x = tf.constant([[1.0, 2.0, 3.0]])
        layer.build(x.shape)
    variables = layer.trainable_variables
    assert [(v.name, v.path, tuple(v.shape)) for v in variables] == [
        ("kernel", "dense/kernel", (3, 2)), ("bias", "dense/bias", (2,))
    ]

    def grads():
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(layer(x) ** 2)
        return tape.gradient(loss, layer.trainable_variables)

    d_kernel, d_bias = where.run(grads)
    assert (d_kernel.shape, d_bias.shape) == ((3, 2), (2,))
    want_kernel, want_bias = oracle.dense_relu_mean_square_grads(x, layer.kernel, layer.bias)
    assert want_bias.any(), "seed 4 must leave at least one unit active, or the closed form is trivially zero"
    oracle.assert_close(d_kernel, want_kernel, TOL.F32_REDUCTION, "d loss / d kernel")
    oracle.assert_close(d_bias, want_bias, TOL.F32_REDUCTION, "d loss / d bias")


# ----------------------------------------------------------- Keras 3 interplay (ISS-13, 14, 20, 21, 22)
def _sequential_dense(name):
    """Sequential([Input((3,)), Dense(1)]) with kernel = [[1], [2], [3]] and bias = [0.5], explicitly named."""
    model = tf.keras.Sequential([tf.keras.Input((3,)), tf.keras.layers.Dense(1, name=f"{name}_dense")], name=name)
    model.layers[0].kernel.assign([[1.0], [2.0], [3.0]])
    model.layers[0].bias.assign([0.5])
    return model


LEAVING_TF = {
    "model.predict returns numpy": lambda model, x: tf.reduce_sum(tf.constant(model.predict(x, verbose=0))),
    "model(x).numpy()": lambda model, x: tf.reduce_sum(model(x).numpy()),
}


@pytest.mark.eager_only("model.predict and Tensor.numpy() leave TensorFlow; neither runs inside a tf.function")
@pytest.mark.source("ISS-13")
@pytest.mark.parametrize("leave", LEAVING_TF, ids=list(LEAVING_TF))
def test_model_output_that_went_through_numpy_has_no_gradient_none_none(where, leave):
    """A loss built from model.predict(x) or model(x).numpy() is a new constant to the tape: d loss/d [kernel, bias] is [None, None] (issues #26404, #42984)."""
    with tf.device(where.device_name):
        model = _sequential_dense("leaves_tf")
        x = tf.ones((2, 3))
        with tf.GradientTape() as tape:
            loss = LEAVING_TF[leave](model, x)
        assert observe.returned(tape.gradient(loss, model.trainable_variables)) == [None, None]


@pytest.mark.source("ISS-13")
@pytest.mark.parametrize("call", ["model(x)", "keras.ops.sum"], ids=["model(x)", "keras.ops"])
def test_model_called_on_tensors_has_gradients_x_transposed_ones_and_batch_size(where, call):
    """Calling the model, and keras.ops on its output, stays in TensorFlow: d Σ model(x)/d kernel = xᵀ·1 and d/d bias = 2 rows (issue #26404)."""
    with tf.device(where.device_name):
        model = _sequential_dense("stays_in_tf")
    total = tf.reduce_sum if call == "model(x)" else tf.keras.ops.sum
    x = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])

    def grads(x):
        with tf.GradientTape() as tape:
            loss = total(model(x))
        return tape.gradient(loss, model.trainable_variables)

    d_kernel, d_bias = where.run(grads, tf.constant(x, tf.float32))
    oracle.assert_close(d_kernel, x.T @ np.ones((2, 1)), TOL.EXACT, "d loss / d kernel")
    oracle.assert_close(d_bias, [x.shape[0] * 1.0], TOL.EXACT, "d loss / d bias")


@pytest.mark.source("ISS-13")
def test_batch_normalization_moving_statistics_get_none_use_trainable_variables(where):
    """model.variables includes BatchNormalization's non-trainable moving_mean and moving_variance, which get None; the four trainable ones get gradients (issue #26404)."""
    with tf.device(where.device_name):
        model = tf.keras.Sequential(
            [tf.keras.Input((3,)), tf.keras.layers.Dense(2, name="bn_dense"),
             tf.keras.layers.BatchNormalization(name="bn")], name="with_bn",
        )
    x = tf.constant([[1.0, 2.0, 3.0], [0.0, -1.0, 2.0]])

    def grads():
        with tf.GradientTape() as tape:
            loss = tf.reduce_sum(model(x, training=True) ** 2)
        return tape.gradient(loss, model.variables)

    gradients = where.run(grads)
    assert [v.path for v in model.variables] == [
        "with_bn/bn_dense/kernel", "with_bn/bn_dense/bias", "with_bn/bn/gamma", "with_bn/bn/beta",
        "with_bn/bn/moving_mean", "with_bn/bn/moving_variance",
    ]
    assert [None if g is None else tuple(g.shape) for g in gradients] == [(3, 2), (2,), (2,), (2,), None, None]


class _Overwrite(tf.keras.layers.Layer):
    """Stores its input in a weight, then returns 3·weight; with pass_through the store is an identity for gradients."""

    def __init__(self, pass_through, **kwargs):
        super().__init__(**kwargs)
        self.pass_through = pass_through

    def build(self, input_shape):
        self.w = self.add_weight(shape=(), initializer="zeros", name="w")

    def store(self, x):
        """Assign x to the weight and read the stored value back (what Keras's assign returns differs by release)."""
        self.w.assign(x)
        return tf.convert_to_tensor(self.w)

    def call(self, x):
        if self.pass_through:
            return 3.0 * tf.grad_pass_through(self.store)(x)
        return 3.0 * self.store(x)


@pytest.mark.source("ISS-14", "AD-22", "API-64")
@pytest.mark.parametrize(
    "pass_through, expected", [(False, None), (True, 3.0)], ids=["assign gives None", "grad_pass_through gives 3"]
)
def test_assign_inside_a_layer_cuts_the_gradient_to_its_input_grad_pass_through_restores_it(
    where, pass_through, expected
):
    """A layer that assigns its input to a weight and returns 3·weight has no gradient to the input (None); wrapping the assign in tf.grad_pass_through gives 3.0 (issue #54532)."""
    with tf.device(where.device_name):
        layer = _Overwrite(pass_through, name=f"overwrite_{pass_through}")
        layer.build(())

    def grad(x):
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = layer(x)
        return y, tape.gradient(y, x)

    y, dy_dx = where.run(grad, tf.constant(2.0))
    oracle.assert_close(y, 3.0 * 2.0, TOL.EXACT, "forward value")
    oracle.assert_close(layer.w, 2.0, TOL.EXACT, "the weight holds the input")
    if expected is None:
        assert dy_dx is None
    else:
        oracle.assert_close(dy_dx, expected, TOL.EXACT, "gradient")


@pytest.mark.eager_only("watched_variables() reports on an eager tape")
@pytest.mark.source("ISS-20")
def test_keras3_variable_name_is_kernel_path_is_layer_slash_kernel_but_the_tape_sees_layer_kernel_0(where):
    """A Keras 3 variable is named `kernel` with path `paths_dense/kernel`; the tape's watched_variables() holds the backing tf.Variable named `paths_dense/kernel:0` (keras#19853)."""
    with tf.device(where.device_name):
        layer = tf.keras.layers.Dense(2, name="paths_dense")
        layer.build((None, 3))
        with tf.GradientTape() as tape:
            tf.reduce_sum(layer(tf.ones((1, 3))))
    names = observe.returned([(v.name, v.path) for v in layer.trainable_variables])
    assert names == [("kernel", "paths_dense/kernel"), ("bias", "paths_dense/bias")]
    watched = observe.returned(tape.watched_variables())
    assert [type(v).__name__ for v in watched] == ["ResourceVariable", "ResourceVariable"]
    assert [v.name for v in watched] == ["paths_dense/kernel:0", "paths_dense/bias:0"]
    assert [v is k.value for v, k in zip(watched, layer.trainable_variables)] == [True, True]


@pytest.mark.source("ISS-21", "API-43")
def test_forward_accumulator_over_keras3_variable_value_gives_jvp_x_times_tangent(where):
    """ForwardAccumulator takes a Keras 3 variable's backing tf.Variable (`.value`): the JVP of dense(x) along a kernel tangent t is x·t (issue #79523)."""
    with tf.device(where.device_name):
        layer = tf.keras.layers.Dense(1, name="jvp_dense")
        layer.build((None, 2))
    x = np.array([[2.0, 3.0], [1.0, 4.0]])
    tangent = np.array([[1.0], [0.0]])

    def jvp(x, t):
        with tf.autodiff.ForwardAccumulator(primals=layer.kernel.value, tangents=t) as acc:
            y = layer(x)
        return acc.jvp(y)

    oracle.assert_close(where.run(jvp, tf.constant(x, tf.float32), tf.constant(tangent, tf.float32)),
                        x @ tangent, TOL.EXACT)


@pytest.mark.source("ISS-22")
def test_tape_watch_of_a_keras3_variable_raises_valueerror_it_is_not_a_tf_variable():
    """A Keras 3 variable is not a tf.Variable, so tape.watch(layer.kernel) raises ValueError "of type 'Variable', not tf.Tensor or tf.Variable" (keras#19874)."""
    layer = tf.keras.layers.Dense(2, name="watch_dense")
    layer.build((None, 3))
    assert not isinstance(layer.kernel, tf.Variable)
    with tf.GradientTape() as tape:
        with pytest.raises(ValueError, match="of type 'Variable', not tf.Tensor or tf.Variable or ExtensionType"):
            tape.watch(layer.kernel)


@pytest.mark.source("ISS-22")
def test_tape_watch_of_keras3_variable_values_works_and_gradients_are_x_transposed_ones_and_ones(where):
    """Watching `.value` of each variable works, and tape.gradient accepts the Keras variables themselves: for Σ dense(x), xᵀ·1 and 1 (keras#19874)."""
    with tf.device(where.device_name):
        layer = tf.keras.layers.Dense(2, name="watch_value_dense")
        layer.build((None, 3))
    x = np.array([[1.0, 2.0, 3.0]])

    def grads(x):
        with tf.GradientTape(watch_accessed_variables=False) as tape:
            tape.watch([v.value for v in layer.trainable_variables])
            y = tf.reduce_sum(layer(x))
        return tape.gradient(y, layer.trainable_variables)

    d_kernel, d_bias = where.run(grads, tf.constant(x, tf.float32))
    oracle.assert_close(d_kernel, x.T @ np.ones((1, 2)), TOL.EXACT, "d / d kernel")
    oracle.assert_close(d_bias, np.ones(2), TOL.EXACT, "d / d bias")
