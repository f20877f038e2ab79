"""Chapter 10 — Jacobians: `tape.jacobian` differentiates every element of a target, `tape.batch_jacobian` one row per sample.

Guide: https://www.tensorflow.org/guide/advanced_autodiff ("Jacobians", "Batch Jacobian").
API: https://www.tensorflow.org/api_docs/python/tf/GradientTape#jacobian and #batch_jacobian.
"""
import logging
import re

import keras
import numpy as np
import pytest
import tensorflow as tf
from tensorflow.python.eager.polymorphic_function import polymorphic_function
from tensorflow.python.ops.parallel_for import control_flow_ops as pfor_ops

from spec import oracle
from spec.harness import pictures
from spec.tolerances import TOL


def _dense(units, activation, seed):
    return keras.layers.Dense(
        units, activation=activation,
        kernel_initializer=keras.initializers.GlorotUniform(seed=seed),
        bias_initializer=keras.initializers.RandomNormal(stddev=0.5, seed=seed + 1),
    )


def _elu64(z):
    return np.where(z > 0, z, np.expm1(np.minimum(z, 0.0)))


def _batch_diagonal(j):
    """The (b, y, x) blocks j[b, :, b, :] of a full (b, y, b, x) Jacobian."""
    return np.einsum("bxby->bxy", j)


# ----------------------------------------------------------------------------- docstring examples


def _square_jacobians(x, method):
    """tape.<method>(x·x, x) computed with pfor (the default) and with experimental_use_pfor=False."""
    with tf.GradientTape(persistent=True) as tape:  # a while_loop needs a persistent tape eagerly
        tape.watch(x)
        y = x * x
    compute = getattr(tape, method)
    return compute(y, x), compute(y, x, experimental_use_pfor=False)


@pytest.mark.source("API-33", "API-35")
def test_jacobian_of_x_squared_at_1_2_is_diag_2_4_with_pfor_and_with_a_while_loop(where):
    """For y = x·x at x = [1, 2] the Jacobian is [[2, 0], [0, 4]], vectorized by pfor or looped with experimental_use_pfor=False (GradientTape.jacobian API page)."""
    x = np.array([1.0, 2.0])
    for actual in where.run(_square_jacobians, tf.constant(x, tf.float32), "jacobian"):
        oracle.assert_close(actual, np.diag(2 * x), TOL.EXACT)
        oracle.assert_close(actual, oracle.jacobian_fd(np.square, x), TOL.JACOBIAN_OFF_BY_1PCT, "finite differences")


@pytest.mark.source("API-34", "API-36")
def test_batch_jacobian_of_x_squared_is_diag_2_4_and_diag_6_8_with_pfor_and_with_a_while_loop(where):
    """For y = x·x at x = [[1, 2], [3, 4]] batch_jacobian gives one block per row, [[2, 0], [0, 4]] and [[6, 0], [0, 8]], with or without pfor (API page)."""
    x = np.array([[1.0, 2.0], [3.0, 4.0]])
    full = oracle.jacobian_fd(np.square, x)
    for actual in where.run(_square_jacobians, tf.constant(x, tf.float32), "batch_jacobian"):
        oracle.assert_close(actual, [np.diag(2 * row) for row in x], TOL.EXACT)
        oracle.assert_close(actual, _batch_diagonal(full), TOL.JACOBIAN_OFF_BY_1PCT, "finite differences")


# ------------------------------------------------------------------------------------ guide: shapes


@pytest.mark.source("ADV-10")
def test_jacobian_wrt_a_scalar_has_the_target_shape_201_and_equals_sigmoid_prime(where):
    """The Jacobian of σ(x + δ) (201 points) with respect to the scalar δ = 0 has the target's shape (201,) and equals σ'(x) (advanced guide, "Scalar source")."""
    xs = np.linspace(-10.0, 10.0, 201)
    delta = tf.Variable(0.0)

    def jacobian(x):
        with tf.GradientTape() as tape:
            y = tf.nn.sigmoid(x + delta)
        return tape.jacobian(y, delta)

    actual = where.run(jacobian, tf.constant(xs, tf.float32))
    assert actual.shape == (201,)
    oracle.assert_close(actual, oracle.sigmoid_prime(xs), TOL.F32_FEW_OPS, "closed form")


@pytest.fixture(scope="module")
def relu_layer():
    """Dense(10, relu) built for 5 inputs, an input x (7, 5), and one function giving the Jacobian and the
    gradient of its output with respect to its kernel (shared, so each mode compiles it once for the module)."""
    layer = _dense(10, "relu", seed=11)
    layer.build((None, 5))
    x = np.random.default_rng(11).normal(size=(7, 5))

    def jacobian_and_gradient(inputs):
        with tf.GradientTape(persistent=True) as tape:
            y = layer(inputs)
        return tape.jacobian(y, layer.kernel), tape.gradient(y, layer.kernel)

    return layer, x, jacobian_and_gradient


@pytest.mark.source("ADV-11")
@pytest.mark.keras
def test_jacobian_of_dense_output_wrt_kernel_has_shape_7_10_5_10(where, relu_layer, picture):
    """The Jacobian of a Dense(10, relu) output (7, 10) with respect to its Keras kernel (5, 10) has shape (7, 10, 5, 10) and matches finite differences (advanced guide, "Tensor source")."""
    layer, x, jacobian_and_gradient = relu_layer
    actual, _ = where.run(jacobian_and_gradient, tf.constant(x, tf.float32))
    assert actual.shape == (7, 10, 5, 10)
    b = oracle.f64(layer.bias)
    expected = oracle.jacobian_fd(lambda w: np.maximum(x @ w + b, 0.0), oracle.f64(layer.kernel))
    oracle.assert_close(actual, expected, TOL.JACOBIAN_OFF_BY_1PCT, "finite differences")
    with pytest.raises(AssertionError):  # the tolerance is tight enough to catch a Jacobian off by 1%
        oracle.assert_close(oracle.f64(actual) * 1.01, expected, TOL.JACOBIAN_OFF_BY_1PCT)
    picture("jacobian", pictures.heatmap, oracle.f64(actual).reshape(70, 50), blocks=10,
            colour_label="∂y[b, j] / ∂kernel[i, k] (float32)",
            title="Jacobian of Dense(10, relu)(x) (7 × 10) w.r.t. its kernel (5 × 10)",
            xlabel="kernel entry (i, k), row-major: 10 per input", ylabel="output entry (b, j), row-major: 10 per example",
            caption="The (7, 10, 5, 10) Jacobian as a 70 × 50 matrix: output j depends only on kernel column j, "
                    "and is 0 where the ReLU is off")


@pytest.mark.source("ADV-12")
@pytest.mark.keras
def test_jacobian_summed_over_the_target_axes_equals_the_gradient_x_transpose_mask(where, relu_layer):
    """Summing the (7, 10, 5, 10) Jacobian over the target axes gives the (5, 10) gradient of Σy: xᵀ·[x·W + b > 0] (advanced guide, "Tensor source")."""
    layer, x, jacobian_and_gradient = relu_layer
    jacobian, gradient = where.run(jacobian_and_gradient, tf.constant(x, tf.float32))
    assert gradient.shape == (5, 10)
    mask = (x @ oracle.f64(layer.kernel) + oracle.f64(layer.bias)) > 0
    expected = x.T @ mask
    oracle.assert_close(oracle.f64(jacobian).sum(axis=(0, 1)), expected, TOL.F32_REDUCTION, "Jacobian summed over the target")
    oracle.assert_close(gradient, expected, TOL.F32_REDUCTION, "gradient")


# ------------------------------------------------------------------------------- batch Jacobians


@pytest.fixture(scope="module")
def elu_net():
    """x (7, 5) → Dense(8, elu) → Dense(6, elu), its float64 twin, and one function giving tape.<method>(y, x)
    and forward mode's J·v (shared, so each mode compiles it once per method for the module)."""
    layer1, layer2 = _dense(8, "elu", seed=21), _dense(6, "elu", seed=23)
    layer1.build((None, 5))
    layer2.build((None, 8))
    w1, b1, w2, b2 = (oracle.f64(v) for v in (layer1.kernel, layer1.bias, layer2.kernel, layer2.bias))

    def net64(x):
        return _elu64(_elu64(x @ w1 + b1) @ w2 + b2)

    def jacobian_and_jvp(inputs, tangent, method):
        with tf.GradientTape() as tape:
            tape.watch(inputs)
            with tf.autodiff.ForwardAccumulator(inputs, tangent) as acc:
                y = layer2(layer1(inputs))
        return getattr(tape, method)(y, inputs), acc.jvp(y)

    x = np.random.default_rng(21).normal(size=(7, 5))
    return jacobian_and_jvp, net64, x


@pytest.mark.source("ADV-15")
@pytest.mark.keras
def test_full_jacobian_of_a_batch_is_7_6_7_5_and_zero_off_the_batch_diagonal(where, elu_net, rng):
    """For samples computed independently, the full Jacobian (7, 6, 7, 5) is exactly 0 wherever the two batch indices differ (advanced guide, "Batch Jacobian")."""
    jacobian_and_jvp, net64, x = elu_net
    v = rng.normal(size=x.shape)
    jacobian, jv = where.run(jacobian_and_jvp, tf.constant(x, tf.float32), tf.constant(v, tf.float32), "jacobian")
    jacobian = oracle.f64(jacobian)
    assert jacobian.shape == (7, 6, 7, 5)
    off_diagonal = ~np.eye(7, dtype=bool)[:, None, :, None].repeat(6, axis=1).repeat(5, axis=3)
    assert np.all(jacobian[off_diagonal] == 0.0)
    oracle.assert_close(jacobian, oracle.jacobian_fd(net64, x), TOL.JACOBIAN_OFF_BY_1PCT, "finite differences")
    # ⟨u, J v⟩ from forward mode equals ⟨Jᵀu, v⟩ from the tape's Jacobian
    u = rng.normal(size=(7, 6))
    oracle.assert_adjoint(lambda _: jv, lambda u_: np.einsum("byax,by->ax", jacobian, u_), u, v, TOL.ADJOINT_F32)


@pytest.mark.source("ADV-16")
@pytest.mark.keras
def test_batch_jacobian_7_6_5_equals_the_batch_diagonal_of_the_full_jacobian(where, elu_net, rng):
    """batch_jacobian gives the (7, 6, 5) blocks j[b, :, b, :], which here also equal the full Jacobian summed over its second batch axis (advanced guide, "Batch Jacobian")."""
    jacobian_and_jvp, net64, x = elu_net
    v = rng.normal(size=x.shape)
    batch, jv = where.run(jacobian_and_jvp, tf.constant(x, tf.float32), tf.constant(v, tf.float32), "batch_jacobian")
    assert batch.shape == (7, 6, 5)
    full = oracle.jacobian_fd(net64, x)
    oracle.assert_close(batch, _batch_diagonal(full), TOL.JACOBIAN_OFF_BY_1PCT, "einsum('bxby->bxy') of finite differences")
    oracle.assert_close(batch, full.sum(axis=2), TOL.JACOBIAN_OFF_BY_1PCT, "finite differences summed over axis 2")
    u = rng.normal(size=(7, 6))
    batch = oracle.f64(batch)
    oracle.assert_adjoint(lambda _: jv, lambda u_: np.einsum("byx,by->bx", batch, u_), u, v, TOL.ADJOINT_F32)


@pytest.mark.source("ADV-17")
@pytest.mark.keras
def test_batch_jacobian_runs_on_batch_norm_output_though_samples_are_coupled(where):
    """With batch norm (training) mixing samples, batch_jacobian still returns (7, 6, 5), but it is Σ_b' ∂y[b']/∂x[b], not the diagonal blocks (advanced guide caution)."""
    layer1, layer2 = _dense(8, "elu", seed=31), _dense(6, "elu", seed=33)
    bn = keras.layers.BatchNormalization()
    layer1.build((None, 5))
    bn.build((None, 8))
    layer2.build((None, 8))
    x = np.random.default_rng(31).normal(size=(7, 5))

    def batch_jacobian(inputs):
        with tf.GradientTape() as tape:
            tape.watch(inputs)
            y = layer2(bn(layer1(inputs), training=True))
        return tape.batch_jacobian(y, inputs)

    w1, b1, w2, b2 = (oracle.f64(v) for v in (layer1.kernel, layer1.bias, layer2.kernel, layer2.bias))
    gamma, beta = oracle.f64(bn.gamma), oracle.f64(bn.beta)

    def net64(v):
        h = _elu64(v @ w1 + b1)
        h = (h - h.mean(axis=0)) / np.sqrt(h.var(axis=0) + bn.epsilon) * gamma + beta
        return _elu64(h @ w2 + b2)

    batch = where.run(batch_jacobian, tf.constant(x, tf.float32))
    expected = oracle.jacobian_fd(net64, x)  # the full (7, 6, 7, 5) Jacobian
    off_diagonal = ~np.eye(7, dtype=bool)[:, None, :, None].repeat(6, axis=1).repeat(5, axis=3)
    assert np.abs(expected[off_diagonal]).max() > 0.1  # the samples really are coupled
    assert batch.shape == (7, 6, 5)
    # batch_jacobian differentiates Σ_b' y[b', i] for each output i: it sums over the target's batch axis,
    # which equals the diagonal block only when the samples are independent.
    summed = expected.sum(axis=0).transpose(1, 0, 2)
    oracle.assert_close(batch, summed, TOL.JACOBIAN_OFF_BY_1PCT, "full Jacobian summed over the target batch axis")
    assert not oracle.is_close(batch, _batch_diagonal(expected), rtol=0.1, atol=0.01), "matches the diagonal blocks"


# --------------------------------------------------------------------------- targets and sources


@pytest.mark.source("ADV-18")
def test_jacobian_target_must_be_one_tensor_a_list_raises_attributeerror(where):
    """Unlike gradient(), jacobian() takes a single target: a list of targets raises AttributeError "'list' object has no attribute 'shape'" (advanced guide, "Jacobians")."""

    def jacobian(x):
        with tf.GradientTape() as tape:
            tape.watch(x)
            y1, y2 = x * x, x * 3.0
        return tape.jacobian([y1, y2], x)

    with pytest.raises(AttributeError, match="'list' object has no attribute 'shape'"):
        where.run(jacobian, tf.constant([1.0, 2.0]))


@pytest.mark.source("ADV-18", "API-40")
def test_jacobian_sources_may_be_a_nest_of_lists_and_dicts_and_keep_its_structure(where):
    """For y = a·b with a = [1, 2], b = 3, sources {"a": a, "b": b, "list": [a, b]} come back in that structure: dy/da = 3·I (2, 2), dy/db = a (2,) (API page)."""

    def jacobians(a, b):
        with tf.GradientTape() as tape:
            tape.watch([a, b])
            y = a * b
        return tape.jacobian(y, {"a": a, "b": b, "list": [a, b]})

    actual = where.run(jacobians, tf.constant([1.0, 2.0]), tf.constant(3.0))
    assert sorted(actual) == ["a", "b", "list"]
    assert isinstance(actual["list"], list) and len(actual["list"]) == 2
    for what, dy_da, dy_db in [("dict", actual["a"], actual["b"]), ("list", *actual["list"])]:
        oracle.assert_close(dy_da, 3.0 * np.eye(2), TOL.EXACT, f"dy/da in the {what}")
        oracle.assert_close(dy_db, [1.0, 2.0], TOL.EXACT, f"dy/db in the {what}")


# -------------------------------------------------------------------------------- persistence rule

NEEDS_PERSISTENT = {
    "jacobian": "GradientTape must be created with persistent=True to compute the jacobian with eager "
    "execution enabled and with  experimental_use_pfor set to False.",
    "batch_jacobian": "GradientTape must be created with persistent=True to compute the batch_jacobian "
    "with eager execution enabled and  with experimental_use_pfor set to False.",
}


def _without_pfor_on_a_plain_tape(x, method):
    with tf.GradientTape() as tape:  # not persistent
        tape.watch(x)
        y = x * x
    return getattr(tape, method)(y, x, experimental_use_pfor=False)


@pytest.mark.source("API-35", "API-36")
def test_without_pfor_a_plain_tape_is_refused_only_in_eager_execution(where):
    """With experimental_use_pfor=False a non-persistent tape raises RuntimeError eagerly (note the double spaces in the messages) but works inside tf.function (API page)."""
    x = tf.constant([[1.0, 2.0], [3.0, 4.0]])
    full = np.diag(2 * oracle.f64(x).ravel()).reshape(2, 2, 2, 2)
    for method, message in NEEDS_PERSISTENT.items():
        if where.eager:
            with pytest.raises(RuntimeError, match=re.escape(message)):
                where.run(_without_pfor_on_a_plain_tape, x, method)
        else:
            actual = where.run(_without_pfor_on_a_plain_tape, x, method)
            oracle.assert_close(actual, full if method == "jacobian" else _batch_diagonal(full), TOL.EXACT, method)


BAD_BATCH_SHAPES = {
    # id: (target shape, source shape, message)
    "first dimensions 1 and 2": (
        (1, 4), (2, 2), "Need first dimension of target shape ((1, 4)) and source shape ((2, 2)) to match."),
    "rank-1 source": ((2,), (2,), "Shape (2,) must have rank at least 2"),
}


@pytest.mark.source("API-37")
@pytest.mark.parametrize("case", BAD_BATCH_SHAPES, ids=list(BAD_BATCH_SHAPES))
def test_batch_jacobian_rejects_mismatched_batch_dimensions_with_valueerror(where, case):
    """batch_jacobian only checks that target and source share a first dimension of rank ≥ 2 inputs; otherwise ValueError (API page)."""
    target_shape, source_shape, message = BAD_BATCH_SHAPES[case]

    def batch_jacobian(x):
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = tf.reshape(x * x, target_shape)
        return tape.batch_jacobian(y, x)

    with pytest.raises(ValueError, match=re.escape(message)):
        where.run(batch_jacobian, tf.ones(source_shape))


# ---------------------------------------------------------------------------------- unconnected


@pytest.mark.source("API-38")
@pytest.mark.parametrize("unconnected", ["NONE", "ZERO"])
def test_jacobian_wrt_an_unconnected_source_is_none_or_zeros_2_by_3(where, unconnected):
    """y = x·x (x of shape (2,)) does not use the watched z (3,): jacobian(y, z) is None, or zeros of shape (2, 3) with ZERO (API page)."""
    mode = getattr(tf.UnconnectedGradients, unconnected)

    def jacobian(x, z):
        with tf.GradientTape() as tape:
            tape.watch([x, z])
            y = x * x
        return tape.jacobian(y, z, unconnected_gradients=mode)

    expected = None if unconnected == "NONE" else np.zeros((2, 3))
    actual = where.run(jacobian, tf.constant([1.0, 2.0]), tf.constant([1.0, 2.0, 3.0]))
    oracle.assert_structure_close(actual, expected, TOL.EXACT, "jacobian")


def _jacobian_of_int_square(s):
    with tf.GradientTape() as tape:
        tape.watch(s)
        y = s * s
    return tape.jacobian(y, s)


@pytest.mark.source("AD-21", "API-38")
def test_jacobian_wrt_a_watched_int32_source_is_none_not_diag_2s(where):
    """And with an int32 source? As for tape.gradient, integers are not differentiable: jacobian(s·s, s) for s = [1, 2] (int32) is None, not diag(2s) = [[2, 0], [0, 4]], in every mode (the autodiff guide on integer sources, catalogue AD-21; observed)."""
    actual = where.run(_jacobian_of_int_square, tf.constant([1, 2]))
    assert actual is None, f"expected None for an int32 source, got {actual!r}"


# ------------------------------------------------------------------------- sparse and vectorization


@pytest.mark.source("API-41")
def test_jacobian_densifies_the_indexedslices_of_a_gather_to_a_3_by_2_tensor(where):
    """jacobian() returns dense tensors even where gradient() gives IndexedSlices: Σ gather(params, [0]) gives [[1, 1], [0, 0], [0, 0]] (API page)."""
    params = tf.Variable([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])

    def jacobian():
        with tf.GradientTape() as tape:
            y = tf.reduce_sum(tf.gather(params, [0]))
        return tape.jacobian(y, params)

    actual = where.run(jacobian)  # also logs "Converting IndexedSlices ... to a dense representation"
    assert isinstance(actual, tf.Tensor)
    oracle.assert_close(actual, [[1.0, 1.0], [0.0, 0.0], [0.0, 0.0]], TOL.EXACT)


@pytest.mark.eager_only("the failure is injected into the eager call of pfor; only the wrapping message is the claim")
@pytest.mark.source("API-42")
@pytest.mark.parametrize("method", ["jacobian", "batch_jacobian"])
def test_a_vectorization_valueerror_is_rewrapped_with_advice_to_disable_pfor(where, method, monkeypatch):
    """If pfor fails with ValueError, the error says "Encountered an exception while vectorizing the <method> computation" and suggests experimental_use_pfor=False (API page)."""

    def failing_pfor(*args, **kwargs):
        raise ValueError("no converter (injected)")

    monkeypatch.setattr(pfor_ops, "pfor", failing_pfor)
    x = tf.constant([[1.0, 2.0], [3.0, 4.0]])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = x * x
    expected = (rf"Encountered an exception while vectorizing the {method} computation\. "
                r"Vectorization can be disabled by setting experimental_use_pfor to False\.")
    with pytest.raises(ValueError, match=expected) as raised:
        getattr(tape, method)(y, x)
    assert "injected" in str(raised.value.__cause__)


@pytest.mark.eager_only("each eager jacobian call traces pfor's internal tf.function again; graphs trace once")
@pytest.mark.source("ISS-17")
def test_repeated_eager_jacobians_log_a_retracing_warning_from_the_5th_call(where, caplog, monkeypatch):
    """Each eager jacobian() retraces pfor's inner tf.function; the 5th and 6th calls log "5 (6) out of the last 5 (6) calls ... triggered tf.function retracing" (issues #42835, #36227)."""
    # A fresh detector: TensorFlow warns at most twice per traced function per process (then stays
    # quiet), and earlier eager jacobians in this process would otherwise have used those warnings up.
    monkeypatch.setattr(polymorphic_function, "_frequent_tracing_detector_manager",
                        polymorphic_function._FrequentTracingDetectorManager())
    caplog.set_level(logging.WARNING, logger="tensorflow")
    x = tf.constant([1.0, 2.0])
    warned_at = []
    for call in range(1, 7):
        caplog.clear()
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = x * x
        tape.jacobian(y, x)
        if "triggered tf.function retracing" in caplog.text:
            warned_at.append(call)
            assert f"{call} out of the last {call} calls to <function pfor.<locals>.f" in caplog.text
    assert warned_at == [5, 6]


def _reflect_pad_jacobians(x):
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        y = tf.pad(x, [[2, 2]], mode="REFLECT") ** 2
    return tape.jacobian(y, x), tape.jacobian(y, x, experimental_use_pfor=False)


@pytest.mark.source("ISS-18")
def test_pfor_falls_back_silently_for_reflect_pad_and_stays_correct(where, caplog):
    """MirrorPadGrad has no pfor converter; jacobian() falls back to a loop without logging "Using a while_loop for converting" and matches finite differences (keras-cv#291, PR #55192)."""
    caplog.set_level(logging.WARNING, logger="tensorflow")
    x = np.array([1.0, 2.0, 3.0, 4.0])
    with_pfor, with_loop = where.run(_reflect_pad_jacobians, tf.constant(x, tf.float32))
    expected = oracle.jacobian_fd(lambda v: np.pad(v, 2, mode="reflect") ** 2, x)
    assert with_pfor.shape == (8, 4)
    oracle.assert_close(with_pfor, expected, TOL.JACOBIAN_OFF_BY_1PCT, "pfor vs finite differences")
    oracle.assert_close(with_loop, expected, TOL.JACOBIAN_OFF_BY_1PCT, "while_loop vs finite differences")
    assert "Using a while_loop for converting" not in caplog.text  # jacobian() leaves pfor at its default warn=False
