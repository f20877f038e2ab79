"""Chapter 5 — Control flow: the tape records the operations that ran, so only the branch taken gets a gradient, and the condition gets none.

Guide: https://www.tensorflow.org/guide/autodiff ("Control flow"); the loop example comes from the TF 2.0-2.2
tutorial tensorflow/docs site/en/tutorials/customization/autodiff.ipynb, which that guide replaced.
"""
import numpy as np
import pytest
import tensorflow as tf

from spec import oracle
from spec.tolerances import TOL


@pytest.mark.eager_only("tf.function turns an `if` on a tensor into tf.cond, whose untaken branch gives 0.0, not None")
@pytest.mark.source("AD-16")
def test_python_if_records_only_the_branch_taken_dv0_1_and_dv1_none(where):
    """With x = 1 > 0 the `if` returns v0, so d/dv0 = 1.0 and v1, used only in the branch not taken, gets None (guide "Control flow")."""
    with tf.device(where.device_name):
        x = tf.constant(1.0)
        v0, v1 = tf.Variable(2.0), tf.Variable(2.0)
        with tf.GradientTape() as tape:
            tape.watch(x)
            if x > 0.0:
                result = v0
            else:
                result = v1**2
        dv0, dv1 = tape.gradient(result, [v0, v1])
    oracle.assert_close(dv0, 1.0, TOL.EXACT)
    assert dv1 is None


@pytest.mark.source("AD-17")
def test_gradient_wrt_the_condition_x_is_none(where):
    """The comparison x > 0 is not differentiable: the result has no gradient with respect to the watched x, in every mode (guide "Control flow")."""
    v0, v1 = tf.Variable(2.0), tf.Variable(2.0)

    def d_result_dx(x):
        with tf.GradientTape() as tape:
            tape.watch(x)
            if x > 0.0:
                result = v0
            else:
                result = v1**2
        return tape.gradient(result, x)

    assert where.run(d_result_dx, tf.constant(1.0)) is None


def _loop_gradient(x, steps):
    with tf.GradientTape() as tape:
        tape.watch(x)
        output = 1.0
        for i in range(steps):  # a Python loop: unrolled, steps 2, 3 and 4 multiply by x
            if 1 < i < 5:
                output = tf.multiply(output, x)
    return tape.gradient(output, x)


@pytest.mark.source("AD-26")
@pytest.mark.parametrize(
    "steps, multiplications", [(6, 3), (5, 3), (4, 2)], ids=["6 steps give 12", "5 steps give 12", "4 steps give 4"]
)
def test_python_loop_multiplying_x_for_steps_2_to_4_gives_n_x_to_the_n_minus_1(where, steps, multiplications):
    """A Python for/if multiplies by x at steps 2..4 only: at x = 2, 6 and 5 steps give d(x³) = 12, 4 steps give d(x²) = 4 (legacy tutorial)."""
    actual = where.run(_loop_gradient, tf.constant(2.0), steps)
    oracle.assert_close(actual, multiplications * 2.0 ** (multiplications - 1), TOL.EXACT)


def _tensor_if_and_loop_gradient(x, n):
    with tf.GradientTape() as tape:
        tape.watch(x)
        if x > 0.0:  # on tensors: plain Python eagerly, tf.cond once AutoGraph converts it in tf.function
            y = x * x
        else:
            y = -x
        out = tf.ones_like(x)
        for _ in tf.range(n):  # likewise a Python loop eagerly, a tf.while_loop in tf.function
            out = out * y
    return tape.gradient(out, x)


TENSOR_CONTROL_FLOW = {
    # id: (x, the closed form of d(y³)/dx for the branch taken)
    "x=1.5 takes x*x, 6x^5 = 45.5625": (1.5, lambda x: 6 * x**5),
    "x=-2 takes -x, -3x^2 = -12": (-2.0, lambda x: -3 * x**2),
}


@pytest.mark.source("AD-16", "AD-26")
@pytest.mark.parametrize("case", TENSOR_CONTROL_FLOW, ids=list(TENSOR_CONTROL_FLOW))
def test_if_and_for_on_tensors_differentiate_the_path_taken_in_every_mode(where, case):
    """An `if x > 0` and a `for` over tf.range(3) on tensors give the gradient of the path taken, y³ with y = x² or −x, eagerly and as tf.cond/tf.while_loop (guide "Control flow")."""
    x, closed_form = TENSOR_CONTROL_FLOW[case]
    actual = where.run(_tensor_if_and_loop_gradient, tf.constant(x), tf.constant(3))
    oracle.assert_close(actual, closed_form(x), TOL.F32_FEW_OPS)
    path = (lambda v: (v * v) ** 3) if x > 0 else (lambda v: (-v) ** 3)
    oracle.assert_close(actual, oracle.derivative_fd(path, x), TOL.F32_FD, "finite differences")


@pytest.mark.source("T-07")
def test_tf_where_passes_the_gradient_of_the_selected_branch_1_at_5_and_2x_100_at_50(where):
    """y = tf.where(x < 10, x, x²) gives dy/dx = 1 at x = 5 (first branch) and 2x = 100 at x = 50 (second branch) (TF test)."""

    def grad(x):
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = tf.where(x < 10.0, x, x * x)
        return tape.gradient(y, x)

    xs = np.array([5.0, 50.0])
    actual = where.run(grad, tf.constant(xs, tf.float32))
    oracle.assert_close(actual, np.where(xs < 10, 1.0, 2 * xs), TOL.EXACT)
    fd = oracle.derivative_fd(lambda v: np.where(v < 10, v, v * v), xs)
    oracle.assert_close(actual, fd, TOL.F32_FD, "finite differences")


@pytest.mark.eager_only("Python's max() calls bool() on a symbolic tensor, which tf.function rejects")
@pytest.mark.source("T-01")
def test_python_max_over_variables_returns_the_largest_and_only_it_gets_gradient_1(where):
    """max([Var(2), Var(3), Var(5)]) with Python's builtin is the Variable 5.0 itself: gradients [None, None, 1.0] (TF test testMaxOverVariables)."""
    with tf.device(where.device_name):
        variables = [tf.Variable(2.0), tf.Variable(3.0), tf.Variable(5.0)]
        with tf.GradientTape() as tape:
            largest = max(variables)
        grads = tape.gradient(largest, variables)
    assert largest is variables[2]
    oracle.assert_close(largest, 5.0, TOL.EXACT, "max")
    oracle.assert_structure_close(grads, [None, None, 1.0], TOL.EXACT)
