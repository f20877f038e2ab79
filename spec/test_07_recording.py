"""Chapter 7 — Controlling recording: pause a tape, clear it, re-enter it, and cut single paths with tf.stop_gradient.

Guide: https://www.tensorflow.org/guide/advanced_autodiff ("Controlling gradient recording", "Stop gradient").
API: https://www.tensorflow.org/api_docs/python/tf/GradientTape#stop_recording,
https://www.tensorflow.org/api_docs/python/tf/stop_gradient, https://www.tensorflow.org/api_docs/python/tf/UnconnectedGradients
"""
import numpy as np
import pytest
import tensorflow as tf

from spec import oracle
from spec.harness import observe
from spec.tolerances import TOL

ZERO = tf.UnconnectedGradients.ZERO

# ----------------------------------------------------------------------------------- stop_recording


@pytest.mark.source("ADV-01")
def test_stop_recording_hides_y_squared_dz_dx_is_4_dz_dy_is_none(where):
    """With y² computed inside stop_recording(), z = x² + y² at x = 2, y = 3 gives dz/dx = 4 and dz/dy = None (advanced guide, "Stop recording")."""
    x, y = tf.Variable(2.0), tf.Variable(3.0)

    def grads():
        with tf.GradientTape() as tape:
            x_sq = x * x
            with tape.stop_recording():
                y_sq = y * y
            z = x_sq + y_sq
        return tape.gradient(z, {"x": x, "y": y})

    grad = where.run(grads)
    oracle.assert_close(grad["x"], 2 * 2.0, TOL.EXACT, "dz/dx")
    assert grad["y"] is None


@pytest.mark.source("API-25")
@pytest.mark.parametrize("watched", [False, True], ids=["unwatched", "watched-before-pause"])
def test_stop_recording_hides_ops_on_a_constant_gradient_is_none(where, watched):
    """y = x² computed inside stop_recording() has no gradient for the constant x = 4, watched or not (GradientTape.stop_recording API page)."""

    def dy_dx(x):
        with tf.GradientTape() as tape:
            if watched:
                tape.watch(x)
            with tape.stop_recording():
                y = x**2
        return tape.gradient(y, x)

    assert where.run(dy_dx, tf.constant(4.0)) is None


@pytest.mark.source("T-05")
def test_ops_after_a_stop_recording_block_are_recorded_again_dz_dx2_is_4(where):
    """With x2 = 2x: y = x2² inside stop_recording() gives None, z = x2² after the block gives dz/dx2 = 2·x2 = 4 at x = 1 (TF test testTapeStopStartRecording)."""

    def grads(x):
        with tf.GradientTape(persistent=True) as tape:
            tape.watch(x)
            x2 = x * 2
            with tape.stop_recording():
                y = x2 * x2
            z = x2 * x2
        return tape.gradient(y, x2), tape.gradient(z, x2)

    dy, dz = where.run(grads, tf.constant(1.0))
    assert dy is None
    oracle.assert_close(dz, 2 * 2.0, TOL.EXACT, "dz/dx2")


@pytest.mark.source("API-32")
@pytest.mark.parametrize("order", ["watch-inside-stop-recording", "op-before-watch"])
def test_watch_has_no_effect_on_ops_that_ran_unrecorded_gradient_is_none(where, order):
    """An op is recorded only if an input is watched when it runs: watching inside stop_recording() or after y = x·x both give None (observed, catalogue API-32)."""

    def dy_dx(x):
        with tf.GradientTape() as tape:
            if order == "watch-inside-stop-recording":
                with tape.stop_recording():
                    tape.watch(x)
                y = x * x
            else:
                y = x * x
                tape.watch(x)
        return tape.gradient(y, x)

    # The first case documents a surprise: watch() inside stop_recording() is dropped, not deferred.
    assert where.run(dy_dx, tf.constant(3.0)) is None


@pytest.mark.eager_only("the error is raised by the Python tape object that was never entered")
@pytest.mark.source("API-26")
def test_stop_recording_on_a_tape_never_entered_raises_runtimeerror(where):
    """stop_recording() on a GradientTape never entered with `with` raises RuntimeError (GradientTape.stop_recording API page)."""
    tape = tf.GradientTape()
    with pytest.raises(RuntimeError, match="Trying to stop recording a tape which is not recording"):
        with tape.stop_recording():
            pass


# ------------------------------------------------------------------------------------------- reset


@pytest.mark.source("ADV-02")
def test_reset_discards_the_recording_so_far_dz_dx_is_4_dz_dy_is_none(where):
    """After y² is recorded, tape.reset() forgets it: z = x² + y² at x = 2, y = 3 gives dz/dx = 4 and dz/dy = None (advanced guide, "Stop recording")."""
    x, y = tf.Variable(2.0), tf.Variable(3.0)

    def grads():
        with tf.GradientTape() as tape:
            y_sq = y * y
            tape.reset()
            z = x * x + y_sq
        return tape.gradient(z, {"x": x, "y": y})

    grad = where.run(grads)
    oracle.assert_close(grad["x"], 2 * 2.0, TOL.EXACT, "dz/dx")
    assert grad["y"] is None


@pytest.mark.source("API-31")
def test_reset_counts_only_ops_recorded_after_it_gradient_is_2_not_4(where):
    """loss = v·v; reset(); loss += v·v at v = 1: only the second product is on the tape, so dloss/dv = 2v = 2, not 4 (TF test testTapeReset)."""
    v = tf.Variable(1.0)

    def grad():
        with tf.GradientTape() as tape:
            loss = v * v
            tape.reset()
            loss += v * v
        return tape.gradient(loss, v)

    oracle.assert_close(where.run(grad), 2 * 1.0, TOL.EXACT)


@pytest.mark.source("API-31")
def test_reset_on_a_persistent_tape_forgets_old_targets_and_keeps_new_ones(where):
    """On a persistent tape, y = x² recorded before reset() has gradient None, z = x³ recorded after it has 3x² = 12 at x = 2 (GradientTape.reset API page)."""

    def grads(x):
        with tf.GradientTape(persistent=True) as tape:
            tape.watch(x)
            y = x * x
            tape.reset()
            tape.watch(x)  # reset() also forgets what was watched
            z = x * x * x
        return tape.gradient(y, x), tape.gradient(z, x)

    dy, dz = where.run(grads, tf.constant(2.0))
    assert dy is None
    oracle.assert_close(dz, 3 * 2.0**2, TOL.EXACT, "dz/dx")


@pytest.mark.eager_only("the error is raised by the eager Python tape object after its context exited")
@pytest.mark.source("API-28")
def test_reset_after_the_with_block_raises_valueerror(where):
    """reset() on a tape whose `with` block has exited raises ValueError "Tape is not recording." (GradientTape.reset API page)."""
    x = tf.Variable(1.0)
    with tf.GradientTape() as tape:
        x * x
    with pytest.raises(ValueError, match="Tape is not recording"):
        tape.reset()


# ---------------------------------------------------------------------------------------- re-entry


@pytest.mark.source("API-30")
def test_reentering_an_exited_tape_continues_recording_dz_dx_is_4(where):
    """A tape entered twice keeps one recording: y = 2x in the first block, z = 2y in the second give dz/dx = 4 (TF test testGradientTapeReEnterContext)."""

    def dz_dx(x):
        tape = tf.GradientTape()
        with tape:
            tape.watch(x)
            y = 2 * x
        with tape:
            z = 2 * y
        return tape.gradient(z, x)

    oracle.assert_close(where.run(dz_dx, tf.constant(3.0)), 4.0, TOL.EXACT)


@pytest.mark.eager_only("the error is raised by the Python tape object when it is entered a second time")
@pytest.mark.source("API-29")
def test_reentering_an_active_tape_raises_valueerror(where):
    """Entering a tape inside its own `with` block raises ValueError "Tape is still recording" (TF test testNestedSelfContexts)."""
    tape = tf.GradientTape()
    with pytest.raises(ValueError, match="Tape is still recording, This can happen if you try to re-enter"):
        with tape:
            with tape:
                pass


# ----------------------------------------------------------------------------------- stop_gradient


@pytest.mark.source("ADV-03")
def test_stop_gradient_blocks_one_path_dz_dx_is_4_dz_dy_is_none(where):
    """z = x² + stop_gradient(y²) at x = 2, y = 3: dz/dx = 4 and dz/dy = None (advanced guide, "Stop gradient")."""
    x, y = tf.Variable(2.0), tf.Variable(3.0)

    def grads():
        with tf.GradientTape() as tape:
            y_sq = y**2
            z = x**2 + tf.stop_gradient(y_sq)
        return tape.gradient(z, {"x": x, "y": y})

    grad = where.run(grads)
    oracle.assert_close(grad["x"], 2 * 2.0, TOL.EXACT, "dz/dx")
    assert grad["y"] is None


@pytest.mark.source("API-48")
def test_stop_gradient_of_one_factor_of_x_times_x_gives_x_3_not_2x(where):
    """d/dx [stop_gradient(x)·x] at x = 3 is the stopped factor's value, 3, not 2x = 6 (tf.stop_gradient API page, observed)."""

    def grad(x):
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = tf.stop_gradient(x) * x
        return tape.gradient(y, x)

    oracle.assert_close(where.run(grad, tf.constant(3.0)), 3.0, TOL.EXACT)


@pytest.mark.source("API-48", "API-49")
@pytest.mark.parametrize("unconnected", ["NONE", "ZERO"])
def test_stop_gradient_of_the_whole_target_gives_none_or_zero(where, unconnected):
    """Stopping the whole target stop_gradient(x·x) disconnects it: the gradient is None, or 0.0 with UnconnectedGradients.ZERO (tf.stop_gradient API page)."""
    mode = getattr(tf.UnconnectedGradients, unconnected)

    def grad(x):
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = tf.stop_gradient(x * x)
        return tape.gradient(y, x, unconnected_gradients=mode)

    expected = None if unconnected == "NONE" else 0.0
    oracle.assert_structure_close(where.run(grad, tf.constant(3.0)), expected, TOL.EXACT)


@pytest.mark.source("API-48")
def test_straight_through_rounding_has_forward_4_and_gradient_1(where):
    """The straight-through estimator x + stop_gradient(round(1.4x) − x) at x = 3 rounds forward (4.0) and passes gradient 1.0 back (observed)."""

    def value_and_grad(x):
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = x + tf.stop_gradient(tf.round(1.4 * x) - x)
        return y, tape.gradient(y, x)

    y, dy = where.run(value_and_grad, tf.constant(3.0))
    oracle.assert_close(y, np.round(1.4 * 3.0), TOL.EXACT, "forward")
    oracle.assert_close(dy, 1.0, TOL.EXACT, "gradient")


def _stable_softmax(x):
    z = x - tf.stop_gradient(tf.reduce_max(x))
    numerator = tf.exp(z)
    return numerator / tf.reduce_sum(numerator)


def _naive_softmax(x):
    return tf.exp(x) / tf.reduce_sum(tf.exp(x))


def _softmax64(x):
    e = np.exp(x - np.max(x))  # float64 reference; shifting by the max does not change the value
    return e / e.sum()


LARGE_LOGITS = [1000.0, 1000.0, 999.0]


@pytest.mark.source("API-48")
def test_stable_softmax_of_1000_1000_999_is_finite_where_the_naive_one_is_nan(where):
    """Subtracting stop_gradient(max(x)) keeps softmax([1000, 1000, 999]) finite, [0.4223, 0.4223, 0.1554]; exp(x)/Σexp(x) gives NaN (tf.stop_gradient API page)."""
    x = tf.constant(LARGE_LOGITS)
    stable, naive = where.run(lambda v: (_stable_softmax(v), _naive_softmax(v)), x)
    oracle.assert_close(stable, _softmax64(LARGE_LOGITS), TOL.F32_REDUCTION, "stable softmax")
    oracle.assert_close(stable, [0.42231882, 0.42231882, 0.15536241], TOL.F32_FEW_OPS, "documented values")
    assert np.isnan(oracle.f64(naive)).all()


def _stable_softmax_first_gradient(x):
    with tf.GradientTape() as tape:
        tape.watch(x)
        first = _stable_softmax(x)[0]  # sliced inside the tape, so the slice is recorded
    return tape.gradient(first, x)


@pytest.mark.source("API-48")
def test_stable_softmax_gradient_is_the_softmax_jacobian_row_s0_times_delta_minus_s(where):
    """The stopped max does not change the derivative: d s₀/dx at [1000, 1000, 999] is s₀(δ₀ⱼ − sⱼ) = [0.2440, −0.1784, −0.0656] (tf.stop_gradient API page)."""
    actual = where.run(_stable_softmax_first_gradient, tf.constant(LARGE_LOGITS))
    s = _softmax64(LARGE_LOGITS)
    oracle.assert_close(actual, s[0] * (np.eye(3)[0] - s), TOL.F32_REDUCTION, "closed form")
    oracle.assert_close(actual, oracle.gradient_fd(lambda v: _softmax64(v)[0], LARGE_LOGITS), TOL.F32_FD, "finite differences")


# --------------------------------------------------------------------------- tf.UnconnectedGradients


@pytest.mark.source("API-49")
def test_unconnected_gradients_has_exactly_none_and_zero_valued_none_and_zero():
    """tf.UnconnectedGradients lists exactly NONE ('none') and ZERO ('zero'), in that order (tf.UnconnectedGradients API page)."""
    members = observe.returned([(m.name, m.value) for m in tf.UnconnectedGradients])
    assert members == [("NONE", "none"), ("ZERO", "zero")]


@pytest.mark.source("API-49")
def test_unconnected_zero_gradient_has_the_source_shape_and_int32_dtype(where):
    """UnconnectedGradients.ZERO answers with zeros in the source's shape and dtype: an int32 source [1, 2] gives int32 [0, 0] (tf.UnconnectedGradients API page)."""

    def grad(x):
        with tf.GradientTape() as tape:
            tape.watch(x)  # logs a warning that an int32 tensor cannot be watched; the ZERO answer still comes
            y = tf.constant(2.0) * 3.0
        return tape.gradient(y, x, unconnected_gradients=ZERO)

    actual = where.run(grad, tf.constant([1, 2]))
    assert actual.dtype == tf.int32
    np.testing.assert_array_equal(actual.numpy(), [0, 0])


@pytest.mark.source("API-49")
def test_unconnected_zero_does_not_densify_a_connected_sparse_gradient(where):
    """ZERO only fills unconnected sources: the connected gather gradient stays tf.IndexedSlices with row 0 = [1, 1] (observed, catalogue API-49)."""
    params = tf.Variable([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])

    def grad():
        with tf.GradientTape() as tape:
            y = tf.reduce_sum(tf.gather(params, [0]))
        return tape.gradient(y, params, unconnected_gradients=ZERO)

    actual = where.run(grad)
    assert isinstance(actual, tf.IndexedSlices)
    oracle.assert_close(tf.convert_to_tensor(actual), [[1.0, 1.0], [0.0, 0.0], [0.0, 0.0]], TOL.EXACT)
