"""Chapter 90, G2 — Gradient cost: forward + tape.gradient against the forward pass alone, per mode.

Anchors (perf-anchors.md §1.1-1.2, §4 G2): the cheap-gradient principle bounds a reverse-mode gradient
by about 5x the function (Griewank & Walther 2008, quoted by Kakade & Lee, NeurIPS 2018); for a dense
layer forward + backward = 3x forward in FLOPs (Kaplan et al. 2020). Eager ratios on small graphs are
dominated by per-op dispatch, not arithmetic. XLA compilation is excluded from the timings and
reported apart (trace_s).
"""
import pytest
import tensorflow as tf

from spec import oracle
from spec.test_90_benchmarks import closed_forms
from spec.test_90_benchmarks.workloads import compiled, mlp_expected, mlp_loss, mlp_loss_and_gradient, mlp_params, sin_chain
from spec.tolerances import TOL

MODES = ["eager", "function", "xla"]
PASSES = ["forward", "forward_and_gradient"]
CHAIN_OPS, CHAIN_ELEMENTS = 20, 100_000
MLP = (256, 512, 512)  # batch x input width x hidden/output width


def _chain_forward(x):
    return sin_chain(x, CHAIN_OPS)


def _chain_forward_and_gradient(x):
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = sin_chain(x, CHAIN_OPS)
    return y, tape.gradient(y, x)  # gradient of sum(y)


def _mlp_forward(*args):
    return mlp_loss(*args)


@pytest.mark.source("AD-11")
@pytest.mark.parametrize("pass_", PASSES)
@pytest.mark.parametrize("mode", MODES)
def test_g2_gradient_cost_elementwise_chain_of_20_ops_on_1e5_elements(mode, pass_, device, bench, rng):
    """Forward vs forward + gradient of 20 tf.sin ops on 1e5 elements (cheap-gradient bound about 5x, Griewank & Walther)."""
    with tf.device(device.device_name):
        x = tf.constant(rng.uniform(-2.0, 2.0, CHAIN_ELEMENTS).astype("float32"))
    fn = compiled(_chain_forward if pass_ == "forward" else _chain_forward_and_gradient, mode)
    forward = compiled(_chain_forward, mode)
    partners = {f"forward@{mode}": lambda: forward(x)} if pass_ != "forward" else None
    out = bench(lambda: fn(x), group="G2", workload="chain", variant=pass_, size=CHAIN_ELEMENTS, mode=mode,
                partners=partners)
    y = out if pass_ == "forward" else out[0]
    oracle.assert_close(y, closed_forms.sin_chain(x, CHAIN_OPS), TOL.F32_REDUCTION, "sin applied 20 times")
    if pass_ != "forward":
        oracle.assert_close(out[1], closed_forms.sin_chain_grad_of_sum(x, CHAIN_OPS), TOL.F32_REDUCTION,
                            "gradient of the chain")


@pytest.mark.source("AD-11", "seed 004")
@pytest.mark.parametrize("pass_", PASSES)
@pytest.mark.parametrize("mode", MODES)
def test_g2_gradient_cost_relu_mlp_256x512x512(mode, pass_, device, bench):
    """Forward vs forward + gradient of a two-layer ReLU MLP, batch 256, widths 512 (dense layer: 3x forward, Kaplan et al. 2020)."""
    params = mlp_params(*MLP)
    with tf.device(device.device_name):
        args = [tf.constant(p) for p in params]
    fn = compiled(_mlp_forward if pass_ == "forward" else mlp_loss_and_gradient, mode)
    forward = compiled(_mlp_forward, mode)
    partners = {f"forward@{mode}": lambda: forward(*args)} if pass_ != "forward" else None
    out = bench(lambda: fn(*args), group="G2", workload="mlp", variant=pass_, size=MLP[0], mode=mode,
                partners=partners)
    loss = out if pass_ == "forward" else out[0]
    want_loss, want_grads = mlp_expected(MLP)
    oracle.assert_close(loss, want_loss, TOL.F32_REDUCTION, "mean(y²)")
    if pass_ != "forward":
        for name, got, want in zip(("w1", "b1", "w2", "b2"), out[1], want_grads):
            oracle.assert_close(got, want, TOL.F32_REDUCTION, f"d mean(y²) / d {name}")
