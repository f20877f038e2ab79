"""Chapter 9 — Several tapes and higher-order derivatives: a tape records the gradient computation of another.

Guide: https://www.tensorflow.org/guide/advanced_autodiff ("Higher-order gradients").
"""
import pytest
import tensorflow as tf

from spec import oracle
from spec.tolerances import TOL


@pytest.mark.source("seed 002", "ADV-08")
def test_nested_tapes_give_dy_dx_27_and_d2y_dx2_18_for_x_cubed_at_3(where):
    """Nesting two tapes around y = x³ at x = 3 gives dy/dx = 3x² = 27 and d²y/dx² = 6x = 18 (seed 002)."""
    x = tf.Variable(3.0)

    def first_and_second():
        with tf.GradientTape() as outer:
            with tf.GradientTape() as inner:
                y = x**3
            dy_dx = inner.gradient(y, x)
        return dy_dx, outer.gradient(dy_dx, x)

    dy_dx, d2y_dx2 = where.run(first_and_second)
    oracle.assert_close(dy_dx, 3 * 3.0**2, TOL.F32_FEW_OPS, "dy/dx")
    oracle.assert_close(d2y_dx2, 6 * 3.0, TOL.F32_FEW_OPS, "d2y/dx2")
    oracle.assert_close(d2y_dx2, oracle.hessian_fd(lambda v: v**3, 3.0).reshape(()), TOL.F32_FD, "finite differences")
