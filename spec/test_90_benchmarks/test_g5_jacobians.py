"""Chapter 90, G5 — Jacobians: tape.jacobian vectorised with pfor vs its while-loop fallback, and batch_jacobian.

Anchors (perf-anchors.md §2.2, §4 G5): at 500 outputs pfor is about 5x faster than the loop
(tensorflow#36227, the pfor author: "in line with expectation"); eager jacobian re-traces pfor on
every call (tensorflow#42835, #48314), so eager timings include that tracing while tf.function
timings exclude it (reported apart as trace_s). Workload: y = tanh(x w), x of 64 inputs, m outputs;
batch_jacobian takes 16 such examples at once. In eager mode the loop needs persistent=True, so every
method uses a persistent tape and only the vectorisation differs. The smoke run (pytest -v) runs
each method and mode at 10 outputs only; the 100 and 500 points run when measuring.
"""
import pytest
import tensorflow as tf

from spec import oracle
from spec.test_90_benchmarks import closed_forms
from spec.test_90_benchmarks.workloads import compiled
from spec.tolerances import TOL

MODES = ["eager", "function"]
METHODS = ["pfor", "loop", "batch_jacobian"]
INPUTS, BATCH = 64, 16
OUTPUTS = [10, 100, 500]


def _jacobian_pfor(x, w):
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        y = tf.tanh(tf.linalg.matvec(w, x, transpose_a=True))
    return tape.jacobian(y, x, experimental_use_pfor=True)


def _jacobian_loop(x, w):
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        y = tf.tanh(tf.linalg.matvec(w, x, transpose_a=True))
    return tape.jacobian(y, x, experimental_use_pfor=False)


def _batch_jacobian(x, w):
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        y = tf.tanh(tf.matmul(x, w))
    return tape.batch_jacobian(y, x)


BODIES = {"pfor": _jacobian_pfor, "loop": _jacobian_loop, "batch_jacobian": _batch_jacobian}


@pytest.mark.source("API-35", "ISS-17", "ADV-16")
@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("outputs", OUTPUTS)
def test_g5_jacobian_cost_tanh_map_64_inputs_by_output_size(outputs, mode, method, device, bench, rng):
    """Jacobian of tanh(x w) with pfor, with the while loop, and batch_jacobian over 16 examples (pfor about 5x faster at 500 outputs, tensorflow#36227)."""
    bench.smoke_runs_only_the_first_point(outputs, OUTPUTS, "output-size")
    w = (rng.standard_normal((INPUTS, outputs)) / INPUTS**0.5).astype("float32")
    x = rng.standard_normal((BATCH, INPUTS) if method == "batch_jacobian" else (INPUTS,)).astype("float32")
    with tf.device(device.device_name):
        tx, tw = tf.constant(x), tf.constant(w)
    fn = compiled(BODIES[method], mode)
    partners = None
    if method == "loop":
        pfor = compiled(_jacobian_pfor, mode)
        partners = {f"pfor@{mode}": lambda: pfor(tx, tw)}
    elif method == "pfor" and mode == "eager" and outputs == OUTPUTS[-1]:
        pfor_function = compiled(_jacobian_pfor, "function")
        partners = {"pfor@function": lambda: pfor_function(tx, tw)}
    jac = bench(lambda: fn(tx, tw), group="G5", workload="jacobian", variant=method, size=outputs, mode=mode,
                partners=partners)
    expected = (closed_forms.tanh_map_batch_jacobian(x, w) if method == "batch_jacobian"
                else closed_forms.tanh_map_jacobian(x, w))
    oracle.assert_close(jac, expected, TOL.F32_REDUCTION, f"jacobian ({method})")
