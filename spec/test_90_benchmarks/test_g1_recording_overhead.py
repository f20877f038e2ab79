"""Chapter 90, G1 — Recording overhead: the same eager forward pass with and without a GradientTape.

The TF guide ("Notes on performance") calls the cost of running ops inside a tape a "tiny overhead";
PyTorch measures +1.0 µs on a 4.6 µs op (x1.22, pytorch#122029). perf-anchors.md §4 G1 sets the goal
tape / no tape <= 1.30 on small tensors and <= 1.05 at 1e6 elements. Each call records a chain of
`tf.sin` ops on a watched tensor; the tape is created and released inside the timed call. The smoke
run (pytest -v) runs the first point of each sweep; every point runs when measuring.
"""
import pytest
import tensorflow as tf

from spec import oracle
from spec.test_90_benchmarks import closed_forms
from spec.test_90_benchmarks.workloads import sin_chain
from spec.tolerances import TOL

RECORDING = ["no_tape", "tape"]
CHAIN_OPS = [10, 100, 1000]
CHAIN_ELEMENTS = 100
SIZES = [10, 100, 1_000, 10_000, 100_000, 1_000_000]
SIZE_SWEEP_OPS = 10


def _forward(x, n_ops: int, recording: str):
    if recording == "no_tape":
        return sin_chain(x, n_ops)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = sin_chain(x, n_ops)
    del tape
    return y


@pytest.mark.source("AD-11")
@pytest.mark.parametrize("recording", RECORDING)
@pytest.mark.parametrize("n_ops", CHAIN_OPS)
def test_g1_recording_overhead_chain_of_n_ops(n_ops, recording, device, bench, rng):
    """Time of a chain of n tf.sin ops on 100 elements, with and without a tape (guide "tiny overhead"; PyTorch x1.22, #122029)."""
    bench.smoke_runs_only_the_first_point(n_ops, CHAIN_OPS, "chain-length")
    with tf.device(device.device_name):
        x = tf.constant(rng.uniform(-2.0, 2.0, CHAIN_ELEMENTS).astype("float32"))
    partners = {"no_tape@eager": lambda: _forward(x, n_ops, "no_tape")} if recording == "tape" else {}
    if n_ops == CHAIN_OPS[-1]:  # the linearity check: 1000 ops against 100 ops, timed alternately
        partners[f"{recording}@eager#{CHAIN_OPS[-2]}"] = lambda: _forward(x, CHAIN_OPS[-2], recording)
    y = bench(lambda: _forward(x, n_ops, recording), group="G1", workload="chain", variant=recording, size=n_ops,
              partners=partners or None)
    oracle.assert_close(y, closed_forms.sin_chain(x, n_ops), TOL.F32_REDUCTION, f"sin applied {n_ops} times")


@pytest.mark.source("AD-11")
@pytest.mark.parametrize("recording", RECORDING)
@pytest.mark.parametrize("elements", SIZES, ids=["1e1", "1e2", "1e3", "1e4", "1e5", "1e6"])
def test_g1_recording_overhead_10_ops_by_tensor_size(elements, recording, device, bench, rng):
    """Time of 10 tf.sin ops on tensors of 10 to 1e6 elements, with and without a tape (guide "tiny overhead"; goal <= 1.05 at 1e6)."""
    bench.smoke_runs_only_the_first_point(elements, SIZES, "tensor-size")
    with tf.device(device.device_name):
        x = tf.constant(rng.uniform(-2.0, 2.0, elements).astype("float32"))
    partners = {"no_tape@eager": lambda: _forward(x, SIZE_SWEEP_OPS, "no_tape")} if recording == "tape" else None
    y = bench(lambda: _forward(x, SIZE_SWEEP_OPS, recording), group="G1", workload="size", variant=recording,
              size=elements, partners=partners)
    oracle.assert_close(y, closed_forms.sin_chain(x, SIZE_SWEEP_OPS), TOL.F32_REDUCTION, "sin applied 10 times")
