"""Chapter 3 — Persistent tapes: one recording, many gradients; a plain tape gives one set and is released.

Guide: https://www.tensorflow.org/guide/autodiff ("Gradients of non-scalar targets", persistent tapes).
"""
import gc
import logging
import weakref

import numpy as np
import pytest
import tensorflow as tf

from spec import oracle
from spec.harness import observe
from spec.tolerances import TOL


@pytest.mark.source("seed 000", "seed 001", "seed 004", "AD-10")
def test_persistent_tape_gives_dy_dx_6_and_dz_dx_108_from_one_recording(where):
    """A persistent tape recording y = x², z = y² at x = 3 answers dy/dx = 2x = 6 and dz/dx = 4x³ = 108 (seeds 000, 001, 004)."""
    x = tf.Variable(3.0)

    def both():
        with tf.GradientTape(persistent=True) as tape:
            y = x * x
            z = y * y
        return tape.gradient(y, x), tape.gradient(z, x)

    dy_dx, dz_dx = where.run(both)
    oracle.assert_close(dy_dx, 2 * 3.0, TOL.EXACT, "dy/dx")
    oracle.assert_close(dz_dx, 4 * 3.0**3, TOL.EXACT, "dz/dx")


@pytest.mark.eager_only("releasing the tape object is a Python-level, eager behaviour")
@pytest.mark.source("seed 000", "seed 001", "seed 004", "AD-10")
def test_del_persistent_tape_releases_it(where):
    """After `del tape` nothing keeps a used persistent tape alive: it is garbage collected (seeds 000, 001, 004)."""
    with tf.device(where.device_name):
        x = tf.Variable(3.0)
        with tf.GradientTape(persistent=True) as tape:
            y = x * x
        tape.gradient(y, x)
        released = weakref.ref(tape)
        del tape
        gc.collect()
    assert observe.returned(released()) is None


@pytest.mark.eager_only("the second call is rejected when the Python tape object is asked again")
@pytest.mark.source("seed 004", "API-10")
def test_second_gradient_on_non_persistent_tape_raises_runtimeerror(where):
    """A plain tape computes one set of gradients; asking again raises RuntimeError saying so (seed 004)."""
    with tf.device(where.device_name):
        x = tf.Variable(3.0)
        with tf.GradientTape() as tape:
            y = x * x
        tape.gradient(y, x)
        with pytest.raises(RuntimeError, match="can only be used to compute one set of gradients"):
            tape.gradient(y, x)


@pytest.mark.eager_only("the second call is rejected when the Python tape object is asked again")
@pytest.mark.source("API-10")
def test_jacobian_after_gradient_on_non_persistent_tape_raises_the_same_runtimeerror(where):
    """jacobian() counts as a second set of gradients: after gradient() on a plain tape it raises "...one set of gradients (or jacobians)" (API)."""
    with tf.device(where.device_name):
        x = tf.Variable(3.0)
        with tf.GradientTape() as tape:
            y = x * x
        tape.gradient(y, x)
        with pytest.raises(RuntimeError, match=r"one set of gradients \(or jacobians\)"):
            tape.jacobian(y, x)


def _vector_persistent_gradients(x):
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        y = x * x
        z = y * y
    return tape.gradient(z, x), tape.gradient(y, x), tape.gradient(z, x)


@pytest.mark.source("AD-10", "API-03", "AD-11")
def test_persistent_tape_on_watched_vector_gives_4x_cubed_then_2x_then_4x_cubed_again(where):
    """At x = [1, 3] a persistent tape answers three calls in any order: dz/dx = 4x³ = [4, 108], dy/dx = 2x = [2, 6], then [4, 108] again (guide; API)."""
    first_z, y, second_z = where.run(_vector_persistent_gradients, tf.constant([1.0, 3.0]))
    xs = np.array([1.0, 3.0])
    oracle.assert_close(first_z, 4 * xs**3, TOL.EXACT, "dz/dx")
    oracle.assert_close(y, 2 * xs, TOL.EXACT, "dy/dx")
    oracle.assert_close(second_z, 4 * xs**3, TOL.EXACT, "dz/dx asked again")


def _dies_with_tape(persistent):
    """A tape over z = sin(x)², and a weak reference to sin(x), which only the tape's recording keeps alive."""
    x = tf.constant(3.0)
    with tf.GradientTape(persistent=persistent) as tape:
        tape.watch(x)
        y = tf.sin(x)
        z = y * y  # Mul's gradient needs y, so the recording holds it
    intermediate = weakref.ref(y)
    del y  # reference counting frees tensors at once: no gc.collect() needed
    return tape, z, x, intermediate


@pytest.mark.eager_only("what the recording keeps alive is observed on eager tensors")
@pytest.mark.source("AD-10", "AD-11", "ISS-19")
def test_non_persistent_tape_frees_its_recorded_intermediates_at_the_gradient_call(where):
    """A plain tape holds the intermediate sin(x) while recording and drops it as soon as gradient() returns (guide "Notes on performance"; issue #21584)."""
    with tf.device(where.device_name):
        tape, z, x, intermediate = _dies_with_tape(persistent=False)
        assert observe.returned(intermediate()) is not None, "held by the recording before gradient()"
        tape.gradient(z, x)
    assert observe.returned(intermediate()) is None


@pytest.mark.eager_only("what the recording keeps alive is observed on eager tensors")
@pytest.mark.source("AD-10", "AD-11", "ISS-19")
def test_persistent_tape_keeps_its_intermediates_after_gradient_until_del_tape(where):
    """A persistent tape still holds sin(x) after gradient(); `del tape` releases it (guide "Notes on performance")."""
    with tf.device(where.device_name):
        tape, z, x, intermediate = _dies_with_tape(persistent=True)
        tape.gradient(z, x)
        assert observe.returned(intermediate()) is not None, "still held after gradient()"
        del tape
    assert observe.returned(intermediate()) is None


@pytest.mark.eager_only("what the recording keeps alive is observed on eager tensors")
@pytest.mark.source("AD-10", "ISS-19")
def test_issue_21584_reproducer_running_total_inside_a_persistent_tape_keeps_no_earlier_step_gradients_4_16_36(where):
    """The code questioned in https://github.com/tensorflow/tensorflow/issues/21584 (the eager GAN example's `total_discriminator_loss += discriminator_loss_val` inside `with tfe.GradientTape(persistent=True) as g`, its networks reduced to loss = (w·x)² with w = 2 over batches x = 1, 2, 3) leaks nothing, as the maintainers answered: each step's gradient is its own 2w·x² = 4, 16, 36, the total is Σ(w·x)² = 56, and a step's intermediates die when the next step rebinds `g`."""
    with tf.device(where.device_name):
        w = tf.Variable(2.0)
        total_discriminator_loss = 0.0
        grads, intermediates = [], []
        for x in (1.0, 2.0, 3.0):
            with tf.GradientTape(persistent=True) as g:
                wx = w * x
                discriminator_loss_val = wx * wx
                total_discriminator_loss += discriminator_loss_val
            grads.append(g.gradient(discriminator_loss_val, w))
            intermediates.append(weakref.ref(wx))
            del wx
        alive = [ref() is not None for ref in intermediates]
    oracle.assert_structure_close(observe.returned(grads), [4.0, 16.0, 36.0], TOL.EXACT, "per-step gradients")
    oracle.assert_close(total_discriminator_loss, 4.0 + 16.0 + 36.0, TOL.EXACT, "running total")
    assert alive == [False, False, True], "only the last step's tape, still bound to g, holds its intermediates"
    del g
    assert intermediates[-1]() is None


_DIM_45016 = 100  # issue #45016: an input of dimension 100 and 100 trainable variables in `w`


def _mse_steps_45016(w):
    """Issue #45016's two training steps, each a tf.function: the MSE of y_hat = w·x formed by vector arithmetic,
    and the same prediction formed element by element in a tf.while_loop."""

    @tf.function
    def vector_step(x, y):
        with tf.GradientTape() as tape:
            y_hat = w * x
            loss = tf.reduce_mean((y_hat - y) ** 2)
        return loss, tape.gradient(loss, w)

    @tf.function
    def while_loop_step(x, y):
        with tf.GradientTape() as tape:
            _, y_hat = tf.while_loop(
                lambda i, acc: i < _DIM_45016, lambda i, acc: (i + 1, acc.write(i, w[i] * x[i])),
                (tf.constant(0), tf.TensorArray(tf.float32, size=_DIM_45016)),
            )
            loss = tf.reduce_mean((y_hat.stack() - y) ** 2)
        return loss, tape.gradient(loss, w)

    return {"vector": vector_step, "while_loop": while_loop_step}


def _live_python_objects_after(step, x, y, calls):
    """Live gc-tracked Python objects after `calls` more steps; a young-generation collection first frees the
    steps' cyclic garbage (a full collection costs a quarter of a second here, and what a step leaks survives both)."""
    for _ in range(calls):
        step(x, y)
    gc.collect(1)
    return len(gc.get_objects())


@pytest.mark.source("ISS-19")
def test_issue_45016_scenario_while_loop_mse_step_in_tf_function_gives_gradient_2_residual_x_over_100_and_keeps_no_object_per_step():
    """https://github.com/tensorflow/tensorflow/issues/45016 reported a memory leak with tf.GradientTape, tf.while_loop and tf.function in a regression whose prediction it formed two ways, by vector arithmetic and element by element in a tf.while_loop. The issue's code is not in its stored text (it is cut before the two methods' code); this runs the scenario its title and text state: an input x of dimension 100, 100 trainable variables w = 1, y_hat = w·x either as a vector or element-wise in a tf.while_loop, loss MSE. Both give d MSE/dw = 2(w·x − y)·x/100, and on the pinned release ten more calls of either step leave fewer than ten more live Python objects and trace no new graph. That is the memory this spec can count deterministically; process memory (RSS) is not checked, and tf.config.experimental.get_memory_info reports 0 for the CPU."""
    rng = np.random.default_rng(45016)
    x, y = (tf.constant(rng.normal(size=_DIM_45016), tf.float32) for _ in range(2))
    w = tf.Variable(tf.ones(_DIM_45016), name="w")
    steps = _mse_steps_45016(w)
    residual = 1.0 * x.numpy().astype(np.float64) - y.numpy()
    growth, traces = {}, {}
    for form, step in steps.items():
        loss, grad = step(x, y)
        oracle.assert_close(loss, np.mean(residual**2), TOL.F32_REDUCTION, f"MSE ({form})")
        oracle.assert_close(grad, 2 * residual * x.numpy() / _DIM_45016, TOL.F32_FEW_OPS, f"d MSE/dw ({form})")
        before = _live_python_objects_after(step, x, y, 10)
        growth[form] = _live_python_objects_after(step, x, y, 10) - before
        traces[form] = step.experimental_get_tracing_count()
    assert observe.returned(traces) == {"vector": 1, "while_loop": 1}
    assert all(more < 10 for more in observe.returned(growth).values()), f"live Python objects added by 10 steps: {growth}"


# ------------------------------------------------------------------------ gradient() inside the context


@pytest.mark.source("T-03", "API-12")
def test_persistent_tape_records_its_own_gradients_x_cubed_at_3_gives_27_27_18_then_6(where):
    """Gradients taken inside a persistent tape's context are recorded: y = x³ at 3 gives y = 27, dy = 27, d²y = 18 inside and d³y = 6 after (TF test)."""
    x = tf.Variable(3.0)

    def derivatives():
        with tf.GradientTape(persistent=True) as tape:
            y = x**3
            dy = tape.gradient(y, x)
            d2y = tape.gradient(dy, x)
        return y, dy, d2y, tape.gradient(d2y, x)

    actual = where.run(derivatives)
    oracle.assert_structure_close(actual, (3.0**3, 3 * 3.0**2, 6 * 3.0, 6.0), TOL.EXACT, "(y, dy, d2y, d3y)")


# Logged warnings are throttled per calling line for the whole process: this test takes no `where`.
@pytest.mark.source("API-12")
def test_gradient_inside_persistent_context_logs_the_efficiency_warning_once_per_call_site(caplog):
    """Calling gradient() inside a persistent tape's context logs "...significantly less efficient..." once per line, and the result stays differentiable: 6 then 2 (API)."""
    caplog.set_level(logging.WARNING, logger="tensorflow")
    x = tf.constant(3.0)
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        y = x * x
        for _ in range(2):
            dy = tape.gradient(y, x)
    message = "Calling GradientTape.gradient on a persistent tape inside its context is significantly less efficient"
    assert caplog.text.count(message) == 1
    oracle.assert_close(dy, 2 * 3.0, TOL.EXACT, "dy/dx")
    oracle.assert_close(tape.gradient(dy, x), 2.0, TOL.EXACT, "d²y/dx²")
