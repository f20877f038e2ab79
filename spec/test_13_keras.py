"""Chapter 13 — Keras: gradients with respect to a layer's variables, as Keras 3 names them.

Guide: https://www.tensorflow.org/guide/autodiff ("Gradients with respect to a model").
"""
import keras
import numpy as np
import pytest
import tensorflow as tf

from spec import oracle
from spec.harness import observe
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
    """A loss built from model.predict(x) or model(x).numpy() is a new constant to the tape: d loss/d [kernel, bias] is [None, None] (issue #26404)."""
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


@pytest.mark.source("ISS-13")
def test_issue_26404_reproducer_gradients_wrt_model_variables_are_none_for_batchnorm_moving_mean_and_variance_only():
    """The reproducer of https://github.com/tensorflow/tensorflow/issues/26404 (the eager ResNet-50 training step taking gradients with respect to `model.variables`) gives None exactly for BatchNormalization's moving_mean and moving_variance, as the answer in the issue says (use model.trainable_variables): they are not trainable, the tape watched only the trainable variables, and with `model.trainable_variables` no gradient is None (d loss/d dense bias = 2Σ(prediction − label) over the batch). Adapted: ResNet-50 is reduced to a convolution, BatchNormalization and a dense layer (BatchNormalization is the point; the whole network costs seconds); `With` and `tape.watched.variables()` are read as `with` and `tape.watched_variables()`; compute_loss(prediction, label, operation='L2'), not in the issue, is Σ(prediction − label)²; the `loss = ...` line, dedented in the stored text, stays in the `with` block, as the reporter's outcome needs; Keras 3's optimizer.apply_gradients takes no global_step and warns that the two moving statistics have no gradient."""
    tf.keras.utils.set_random_seed(26404)
    model = tf.keras.Sequential(
        [tf.keras.Input((8, 8, 3)), tf.keras.layers.Conv2D(4, 3, name="conv"),
         tf.keras.layers.BatchNormalization(name="bn"), tf.keras.layers.ReLU(),
         tf.keras.layers.GlobalAveragePooling2D(), tf.keras.layers.Dense(2, name="fc")], name="resnet_reduced",
    )
    x, label = tf.random.normal((2, 8, 8, 3)), tf.constant([[1.0, 0.0], [0.0, 1.0]])
    optimizer = tf.keras.optimizers.SGD(0.01)

    def compute_loss(prediction, label, operation):
        assert operation == "L2"
        return tf.reduce_sum((prediction - label) ** 2)

    with tf.GradientTape() as tape:
        prediction = model(x, training=True)
        var_list = tape.watched_variables()
        loss = compute_loss(prediction, label, operation="L2")
    grads = tape.gradient(loss, model.variables)
    moving = r"\['resnet_reduced/bn/moving_mean', 'resnet_reduced/bn/moving_variance'\]"
    with pytest.warns(UserWarning, match=f"Gradients do not exist for variables {moving} when minimizing the loss"):
        optimizer.apply_gradients(zip(grads, model.variables))
    none = [v.path for v, g in zip(model.variables, observe.returned(grads)) if g is None]
    assert none == ["resnet_reduced/bn/moving_mean", "resnet_reduced/bn/moving_variance"]
    assert [id(v) for v in var_list] == [id(v.value) for v in model.trainable_variables], "the tape watched the trainable ones"

    with tf.GradientTape() as tape:
        prediction = model(x, training=True)
        loss = compute_loss(prediction, label, operation="L2")
    fixed = observe.returned(tape.gradient(loss, model.trainable_variables))
    assert all(g is not None for g in fixed)
    oracle.assert_close(fixed[-1], 2 * np.sum(prediction.numpy() - label.numpy(), axis=0), TOL.F32_REDUCTION, "d loss / d fc bias")


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


@pytest.mark.source("ISS-14")
def test_issue_54532_scenario_model_call_that_assigns_x_3_to_its_weight_returns_4_5_and_its_tape_gradient_is_none_not_w():
    """https://github.com/tensorflow/tensorflow/issues/54532 is expected behaviour, unchanged: when a Keras model's call assigns its input x to its weight w and returns a function of w, tape.gradient with respect to x is None, not the value of w the reporter expected, because an assignment is not differentiable (guide: state stops gradients; tf.grad_pass_through, above, is the way through). The issue's code is cut in its stored text after its first lines (`class DummyModel(tf.keras.Model)`, whose build adds a float64 scalar weight `w`); this runs those lines, adapted where Keras 3 requires (add_weight takes `name=` as a keyword), and the scenario its text states: call reassigns w with x, here x = 3, and returns w²/2, whose derivative is the value of w the reporter expected. The forward value is 4.5 and w holds 3."""

    class DummyModel(tf.keras.Model):
        def __init__(self):
            super().__init__()
            pass

        def build(self, input_shape):
            self.w = self.add_weight(name="w", shape=(), dtype=tf.float64, initializer="zeros")

        def call(self, x):
            self.w.assign(x)
            return 0.5 * self.w**2

    model = DummyModel()
    x = tf.constant(3.0, tf.float64)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = model(x)
    oracle.assert_close(y, 0.5 * 3.0**2, TOL.EXACT, "w²/2")
    oracle.assert_close(model.w, 3.0, TOL.EXACT, "w holds x")
    assert observe.returned(tape.gradient(y, x)) is None


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


@pytest.mark.source("ISS-20")
def test_keras_pr_19853_snippet_weight_built_under_a_layer_that_added_one_in_init_has_nested_path_and_gradients_15_10_6():
    """The snippet of https://github.com/keras-team/keras/pull/19853 (merged: a layer that called add_weight in __init__ cached an empty parent path, so the weights built under it later "restarted" their path at that layer): on the pinned release the var_c that B's sublayer C builds has the nested path a/b/c/var_c, the var_c of A's own C is a/<that C's name>/var_c, B's var_b, added in __init__ before any scope, is b/var_b, and the tape gives each its own gradient: 15, 10 and 6 for var_b = 2 and the two var_c = 3 and 5 at x = 1. The stored text cuts the snippet at B's `def call`; B.call (C, then times var_b) and class C (adds var_c in build, multiplies by it) are completed as the pull request describes them; the layers' names are read from the layers, since Keras numbers repeated automatic names (c_1, ...)."""

    class A(keras.layers.Layer):

        def __init__(self):
            super().__init__()
            self.b = B()
            self.c = C()

        def call(self, input):
            return self.c(self.b(input))

    class B(keras.layers.Layer):
        def __init__(self):
            super().__init__()
            self.c = C()
            self.var_b = self.add_weight(
                shape=(1, ),
                name="var_b",
            )

        def call(self, input):
            return self.c(input) * self.var_b

    class C(keras.layers.Layer):
        def build(self, input_shape):
            self.var_c = self.add_weight(shape=(1,), name="var_c")

        def call(self, input):
            return input * self.var_c

    a = A()
    x = tf.ones((1, 1))
    a(x)  # builds the C layers
    a.b.var_b.assign([2.0])
    a.b.c.var_c.assign([3.0])
    a.c.var_c.assign([5.0])
    paths = observe.returned([v.path for v in (a.b.var_b, a.b.c.var_c, a.c.var_c)])
    assert paths == [f"{a.b.name}/var_b", f"{a.name}/{a.b.name}/{a.b.c.name}/var_c", f"{a.name}/{a.c.name}/var_c"]
    with tf.GradientTape() as tape:
        y = tf.reduce_sum(a(x))
    grads = tape.gradient(y, [a.b.var_b, a.b.c.var_c, a.c.var_c])
    oracle.assert_structure_close(grads, [np.array([3.0 * 5.0]), np.array([2.0 * 5.0]), np.array([3.0 * 2.0])], TOL.EXACT, "d y/d [var_b, b's var_c, a's var_c]")


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
