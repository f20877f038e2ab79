"""Chapter 13 — Keras: gradients with respect to a layer's variables, as Keras 3 names them.

Guide: https://www.tensorflow.org/guide/autodiff ("Gradients with respect to a model").
"""
import pytest
import tensorflow as tf

from spec import oracle
from spec.tolerances import TOL


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
