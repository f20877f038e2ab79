"""Chapter 3 — Persistent tapes: one recording, many gradients; a plain tape gives one set and is released.

Guide: https://www.tensorflow.org/guide/autodiff ("Gradients of non-scalar targets", persistent tapes).
"""
import gc
import weakref

import pytest
import tensorflow as tf

from spec import oracle
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
    assert released() is None


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
