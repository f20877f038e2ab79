"""Chapter 90, G6 — Eager vs tf.function for a whole step with a tape: many small ops vs a few large ones.

Anchors (perf-anchors.md §0 A3, §4 G6): the TF guide "Introduction to graphs" times 100 tiny
matmuls at 5.2x faster as a tf.function than eagerly (forward only, no sync); the goal here is >= 3x
for 100 10x10 matmuls with a tape and a gradient, and <= 1.2x (no meaningful gain) for a few large
matmuls, where the arithmetic dominates the per-op dispatch.
"""
import pytest
import tensorflow as tf

from spec import oracle
from spec.test_90_benchmarks import closed_forms
from spec.test_90_benchmarks.workloads import compiled, mlp_expected, mlp_loss_and_gradient, mlp_params, signed_permutation
from spec.tolerances import TOL

MODES = ["eager", "function"]
SMALL_MATMULS, SMALL_N = 100, 10
LARGE_MLP = (256, 512, 512)  # the G2 MLP: 2 matmuls of 67 M multiply-adds each


def _small_matmuls_step(x, q):
    with tf.GradientTape() as tape:
        tape.watch(x)
        h = x
        for _ in range(SMALL_MATMULS):
            h = tf.matmul(h, q)
        loss = tf.reduce_sum(h)
    return tape.gradient(loss, x)


@pytest.mark.source("AD-11")
@pytest.mark.parametrize("mode", MODES)
def test_g6_eager_vs_function_100_small_matmuls_with_tape_and_gradient(mode, device, bench, rng):
    """Gradient step through 100 matmuls of 10x10 matrices, eager vs tf.function (guide "Introduction to graphs": 5.2x forward only)."""
    x = rng.standard_normal((SMALL_N, SMALL_N)).astype("float32")
    q = signed_permutation(rng, SMALL_N)
    with tf.device(device.device_name):
        tx, tq = tf.constant(x), tf.constant(q)
    fn = compiled(_small_matmuls_step, mode)
    function = compiled(_small_matmuls_step, "function")
    partners = {"function@function": lambda: function(tx, tq)} if mode == "eager" else None
    grad = bench(lambda: fn(tx, tq), group="G6", workload="small_ops", variant=mode, size=SMALL_MATMULS, mode=mode,
                 partners=partners)
    oracle.assert_close(grad, closed_forms.matmul_chain_grad_of_sum(x, q, SMALL_MATMULS), TOL.EXACT,
                        "gradient through 100 signed-permutation matmuls")


@pytest.mark.source("AD-11")
@pytest.mark.parametrize("mode", MODES)
def test_g6_eager_vs_function_relu_mlp_256x512x512_with_tape_and_gradient(mode, device, bench):
    """Gradient step of a two-layer ReLU MLP, batch 256, widths 512, eager vs tf.function (goal <= 1.2x: arithmetic dominates)."""
    params = mlp_params(*LARGE_MLP)
    with tf.device(device.device_name):
        args = [tf.constant(p) for p in params]
    fn = compiled(mlp_loss_and_gradient, mode)
    function = compiled(mlp_loss_and_gradient, "function")
    partners = {"function@function": lambda: function(*args)} if mode == "eager" else None
    loss, grads = bench(lambda: fn(*args), group="G6", workload="large_ops", variant=mode, size=LARGE_MLP[0],
                        mode=mode, partners=partners)
    want_loss, want_grads = mlp_expected(LARGE_MLP)
    oracle.assert_close(loss, want_loss, TOL.F32_REDUCTION, "mean(y²)")
    for name, got, want in zip(("w1", "b1", "w2", "b2"), grads, want_grads):
        oracle.assert_close(got, want, TOL.F32_REDUCTION, f"d mean(y²) / d {name}")
