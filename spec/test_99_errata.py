"""Chapter 99 — Errata: where published documentation and the pinned TensorFlow disagree, the spec pins
what TensorFlow does and the docstring shows the corrected code.
"""
import pytest
import tensorflow as tf

# ---------------------------------------------------------------------------------- seeds (foundation)


@pytest.mark.erratum
@pytest.mark.source("seed 002")
def test_watch_on_a_tape_never_entered_raises_attributeerror():
    """Seed 002 calls tape.watch on a GradientTape never entered with `with`; that raises AttributeError.

    Corrected code::

        x = tf.constant(3.0)
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = x * x
    """
    tape = tf.GradientTape()
    with pytest.raises(AttributeError, match="_tape"):
        tape.watch(tf.constant(3.0))


# ------------------------------------------------------------------------------------------- basics

# ------------------------------------------------------------------------------------------ advanced

# --------------------------------------------------------------------------------- API and gotchas
