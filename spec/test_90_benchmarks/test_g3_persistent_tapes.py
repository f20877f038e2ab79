"""Chapter 90, G3 — Persistent tapes: one gradient, one recording reused for two gradients, memory held.

Anchors (perf-anchors.md §1.3, §4 G3): the TF guide ("Notes on performance") says a persistent tape
discards nothing, so its peak memory is higher; a reverse-mode tape's memory grows with the run time
of the recorded program (Griewank 1992). Goals: persistent / plain <= 1.10 for one gradient; one
recording + two gradients / two full passes <= 0.90 (ideal (1 + 2r) / (2 + 2r) for backward = r x
forward). All eager: persistence is a property of the Python tape object.

Memory proxy on CPU, where TensorFlow reports no allocator statistics
(tf.config.experimental.get_memory_info("CPU:0") returns zeros): the bytes of the forward pass's
intermediate tensors that are still alive after the forward, when the test holds no reference to
them, i.e. what the tape keeps for the backward pass (found with weak references). On GPU the peak
allocator memory of the forward pass (get_memory_info("GPU:0")["peak"]) is reported as well.
"""
import weakref

import pytest
import tensorflow as tf

from spec import oracle
from spec.test_90_benchmarks.workloads import mlp_expected, mlp_loss, mlp_params
from spec.tolerances import TOL

MLP = (256, 512, 512)
TAPES = ["plain", "persistent"]


def _one_gradient(persistent: bool, args):
    with tf.GradientTape(persistent=persistent) as tape:
        tape.watch(args[1:])
        loss = mlp_loss(*args)
    grads = tape.gradient(loss, args[1:])
    del tape
    return loss, grads


def _two_gradients(strategy: str, args):
    if strategy == "two_passes":
        return _one_gradient(False, args)[1], _two_pass_mean(args)
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(args[1:])
        y = tf.matmul(tf.nn.relu(tf.matmul(args[0], args[1]) + args[2]), args[3]) + args[4]
        mean_square, mean = tf.reduce_mean(tf.square(y)), tf.reduce_mean(y)
    grads = tape.gradient(mean_square, args[1:]), tape.gradient(mean, args[1:])
    del tape
    return grads


def _two_pass_mean(args):
    with tf.GradientTape() as tape:
        tape.watch(args[1:])
        loss = mlp_loss(*args, target="mean")
    return tape.gradient(loss, args[1:])


def _mlp_args(device):
    with tf.device(device.device_name):
        return [tf.constant(p) for p in mlp_params(*MLP)]


def assert_mlp_grads(grads, target="mean_square"):
    for name, got, want in zip(("w1", "b1", "w2", "b2"), grads, mlp_expected(MLP, target)[1]):
        oracle.assert_close(got, want, TOL.F32_REDUCTION, f"d {target} / d {name}")


@pytest.mark.source("AD-10", "AD-11")
@pytest.mark.parametrize("tape", TAPES)
def test_g3_one_gradient_on_a_persistent_vs_a_plain_tape_mlp(tape, device, bench):
    """Forward + one gradient of a ReLU MLP on a persistent vs a plain tape (goal persistent / plain <= 1.10, perf-anchors G3)."""
    args = _mlp_args(device)
    partners = {"plain@eager": lambda: _one_gradient(False, args)} if tape == "persistent" else None
    loss, grads = bench(lambda: _one_gradient(tape == "persistent", args), group="G3", workload="one_gradient",
                        variant=tape, size=MLP[0], partners=partners)
    oracle.assert_close(loss, mlp_expected(MLP)[0], TOL.F32_REDUCTION, "mean(y²)")
    assert_mlp_grads(grads)


@pytest.mark.source("AD-10", "AD-11")
@pytest.mark.parametrize("strategy", ["one_recording", "two_passes"])
def test_g3_two_gradients_from_one_persistent_recording_vs_two_full_passes(strategy, device, bench):
    """Gradients of mean(y²) and mean(y): one persistent recording vs two forward + gradient passes (goal <= 0.90, perf-anchors G3)."""
    args = _mlp_args(device)
    partners = {"two_passes@eager": lambda: _two_gradients("two_passes", args)} if strategy == "one_recording" else None
    first, second = bench(lambda: _two_gradients(strategy, args), group="G3", workload="two_gradients",
                          variant=strategy, size=MLP[0], partners=partners)
    assert_mlp_grads(first, "mean_square")
    assert_mlp_grads(second, "mean")


def _held_bytes(recording: str, args) -> int:
    """Bytes of forward intermediates kept alive after the forward, by nothing but the tape (weak-reference census)."""
    x, w1, b1, w2, b2 = args
    refs = []

    def keep(t):
        refs.append(weakref.ref(t))
        return t

    def forward():
        y = keep(keep(tf.matmul(keep(tf.nn.relu(keep(keep(tf.matmul(x, w1)) + b1))), w2)) + b2)
        return tf.reduce_mean(keep(tf.square(y)))

    if recording == "no_tape":
        loss = forward()
        tape = None
    else:
        with tf.GradientTape(persistent=(recording == "persistent")) as tape:
            tape.watch(args[1:])
            loss = forward()
    # No gc.collect(): tensors are freed by reference counting the moment nothing refers to them (the
    # no-tape census must find 0 bytes, which also shows that no reference cycle keeps one alive).
    held = sum(t.shape.num_elements() * t.dtype.size for t in (r() for r in refs) if t is not None)
    del tape, loss
    return held


@pytest.mark.source("AD-10", "AD-11")
@pytest.mark.parametrize("tape", TAPES)
def test_g3_memory_held_by_a_plain_vs_a_persistent_tape_after_the_forward_mlp(tape, device, bench):
    """Bytes of intermediates a plain vs a persistent tape keeps after a ReLU MLP forward, and the recording time (guide: persistent discards nothing)."""
    args = _mlp_args(device)
    with tf.device(device.device_name):
        assert _held_bytes("no_tape", args) == 0, "without a tape no intermediate outlives the forward pass"
        held = _held_bytes(tape, args)
        assert held > 0, "a tape watching the weights must keep some intermediates for the backward pass"
        peak = None
        if device.kind == "gpu":
            tf.config.experimental.reset_memory_stats("GPU:0")
            before = tf.config.experimental.get_memory_info("GPU:0")["current"]
            _held_bytes(tape, args)
            peak = tf.config.experimental.get_memory_info("GPU:0")["peak"] - before
    bench.extra(held_bytes=held, gpu_peak_bytes=peak)

    def record(persistent: bool):
        with tf.GradientTape(persistent=persistent) as t:
            t.watch(args[1:])
            loss = mlp_loss(*args)
        del t
        return loss

    partners = {"plain@eager": lambda: record(False)} if tape == "persistent" else None
    loss = bench(lambda: record(tape == "persistent"), group="G3", workload="recording", variant=tape, size=MLP[0],
                 partners=partners)
    oracle.assert_close(loss, mlp_expected(MLP)[0], TOL.F32_REDUCTION, "mean(y²)")
