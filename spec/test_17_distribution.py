"""Chapter 17 — Distribution: tape gradients under tf.distribute add up to the global batch's gradient.

Each replica computes its per-example losses with a GradientTape and scales them with
`tf.nn.compute_average_loss`, which divides by the *global* batch size; summing the replicas' gradients
(ReduceOp.SUM) then gives exactly the gradient of the mean loss over the whole batch on one device.
Checked for a linear model with a squared-error loss against its float64 closed form, and against the
single-device tape. MirroredStrategy runs on the two logical CPUs (on two GPUs where a machine has them);
MultiWorkerMirroredStrategy runs two worker processes on 127.0.0.1.
Guide: https://www.tensorflow.org/tutorials/distribute/custom_training ("Define the loss function");
https://www.tensorflow.org/tutorials/distribute/multi_worker_with_ctl.
"""
import json
import os
import pathlib
import socket
import subprocess
import sys
import time

import numpy as np
import pytest
import tensorflow as tf

from spec import oracle
from spec.harness import runtime
from spec.tolerances import TOL

GLOBAL_BATCH, FEATURES, OUTPUTS, REPLICAS = 8, 3, 2, 2
WORKER_SCRIPT = pathlib.Path(__file__).resolve().parent / "harness" / "mwms_worker.py"
PROXY_VARIABLES = {"http_proxy", "https_proxy", "grpc_proxy", "all_proxy"}  # gRPC would send 127.0.0.1 through them


def replica_devices() -> tuple[str, ...]:
    """Two GPUs where the machine has them, otherwise the two logical CPUs (one GPU is not two replicas)."""
    caps = runtime.capabilities()
    if len(caps.gpus) >= REPLICAS:
        return tuple(f"/device:GPU:{i}" for i in range(REPLICAS))
    return caps.cpus[:REPLICAS]


def _label() -> str:
    return f"{REPLICAS}{'gpu' if 'GPU' in replica_devices()[0] else 'cpu'}"


MODE_IDS = [f"{mode}-{_label()}" for mode in ("eager", "function")]


@pytest.fixture
def batch(rng):
    """A global batch of 8 rows (x, targets t) and the starting weights (w, b) of a 3 -> 2 linear model."""
    x = rng.standard_normal((GLOBAL_BATCH, FEATURES)).astype(np.float32)
    t = rng.standard_normal((GLOBAL_BATCH, OUTPUTS)).astype(np.float32)
    w = rng.standard_normal((FEATURES, OUTPUTS)).astype(np.float32)
    b = rng.standard_normal((OUTPUTS,)).astype(np.float32)
    return x, t, w, b


@pytest.fixture(scope="module")
def strategy():
    return tf.distribute.MirroredStrategy(list(replica_devices()))


def _squared_error(y, t):
    return tf.reduce_sum((y - t) ** 2, axis=1)  # one loss per example


def single_device_gradients(x, t, w, b):
    """The reference run: the whole batch on one device, mean of the per-example losses, one tape."""
    with tf.device("/device:CPU:0"):
        w, b = tf.Variable(w), tf.Variable(b)
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(_squared_error(tf.matmul(x, w) + b, t))
        return tape.gradient(loss, [w, b])


def _rows_of_replica(x, t):
    """Replica i gets rows [4i, 4i + 4) of the global batch, as a distributed value."""
    rows = GLOBAL_BATCH // REPLICAS

    def share(context):
        i = context.replica_id_in_sync_group
        return tf.constant(x[i * rows:(i + 1) * rows]), tf.constant(t[i * rows:(i + 1) * rows])

    return share


def _run_and_sum(strategy, mode, replica_step, x, t):
    """strategy.run(replica_step) on each replica's rows, then ReduceOp.SUM; eagerly or inside tf.function."""
    shares = strategy.experimental_distribute_values_from_function(_rows_of_replica(x, t))

    def step(shares):
        per_replica = strategy.run(replica_step, args=shares)
        summed = [strategy.reduce(tf.distribute.ReduceOp.SUM, g, axis=None) for g in per_replica]
        return summed, [strategy.experimental_local_results(g) for g in per_replica]

    return (tf.function(step) if mode == "function" else step)(shares)


def _assert_replica_shares(local, x, t, w, b, what):
    """Replica i's own gradient is its rows' mean-loss gradient times 4/8: compute_average_loss divides by 8."""
    rows = GLOBAL_BATCH // REPLICAS
    for i, (d_w, d_b) in enumerate(zip(*local)):
        want_w, want_b = oracle.linear_mean_squared_error_grads(x[i * rows:(i + 1) * rows], t[i * rows:(i + 1) * rows], w, b)
        oracle.assert_close(d_w, want_w * rows / GLOBAL_BATCH, TOL.F32_REDUCTION, f"{what}: replica {i} d/dw")
        oracle.assert_close(d_b, want_b * rows / GLOBAL_BATCH, TOL.F32_REDUCTION, f"{what}: replica {i} d/db")


def _assert_global(summed, x, t, w, b, what):
    want_w, want_b = oracle.linear_mean_squared_error_grads(x, t, w, b)
    single_w, single_b = single_device_gradients(x, t, w, b)
    oracle.assert_close(summed[0], want_w, TOL.F32_REDUCTION, f"{what}: summed d/dw vs closed form")
    oracle.assert_close(summed[1], want_b, TOL.F32_REDUCTION, f"{what}: summed d/db vs closed form")
    oracle.assert_close(summed[0], single_w, TOL.F32_REDUCTION, f"{what}: summed d/dw vs one device")
    oracle.assert_close(summed[1], single_b, TOL.F32_REDUCTION, f"{what}: summed d/db vs one device")


# ---------------------------------------------------------------------------------- MirroredStrategy
@pytest.mark.source("GUIDE-DIST-CUSTOM")
@pytest.mark.parametrize("mode", ["eager", "function"], ids=MODE_IDS)
def test_mirrored_replica_gradients_summed_equal_the_global_batch_gradient(mode, strategy, batch):
    """MirroredStrategy, 2 replicas x 4 rows: tape gradients of compute_average_loss, reduced with SUM, equal the gradient of the mean loss over all 8 rows (closed form and one device) (tutorial "Custom training with tf.distribute.Strategy")."""
    x, t, w, b = batch
    with strategy.scope():
        w_var, b_var = tf.Variable(w), tf.Variable(b)
    assert strategy.num_replicas_in_sync == REPLICAS

    def replica_step(x, t):
        with tf.GradientTape() as tape:
            per_example = _squared_error(tf.matmul(x, w_var) + b_var, t)
            loss = tf.nn.compute_average_loss(per_example)  # sum / (4 rows x 2 replicas)
        return tape.gradient(loss, [w_var, b_var])

    summed, local = _run_and_sum(strategy, mode, replica_step, x, t)
    _assert_replica_shares(local, x, t, w, b, "tape")
    _assert_global(summed, x, t, w, b, "tape")


@pytest.mark.source("GUIDE-DIST-CUSTOM", "AD-04")
@pytest.mark.parametrize("mode", ["eager", "function"], ids=MODE_IDS)
@pytest.mark.keras
def test_mirrored_keras_dense_gradients_summed_equal_the_global_batch_gradient(mode, strategy, batch):
    """A Keras Dense layer built under strategy.scope(): its per-replica gradients of compute_average_loss, reduced with SUM, equal the global batch's gradient, kernel then bias (tutorial "Custom training with tf.distribute.Strategy")."""
    x, t, w, b = batch
    with strategy.scope():
        layer = tf.keras.layers.Dense(OUTPUTS)
        layer.build((None, FEATURES))
    layer.kernel.assign(w)
    layer.bias.assign(b)
    assert [tuple(v.shape) for v in layer.trainable_variables] == [(FEATURES, OUTPUTS), (OUTPUTS,)]

    def replica_step(x, t):
        with tf.GradientTape() as tape:
            loss = tf.nn.compute_average_loss(_squared_error(layer(x), t))
        return tape.gradient(loss, layer.trainable_variables)

    summed, local = _run_and_sum(strategy, mode, replica_step, x, t)
    _assert_replica_shares(local, x, t, w, b, "Keras")
    _assert_global(summed, x, t, w, b, "Keras")


# ------------------------------------------------------------------------ MultiWorkerMirroredStrategy
def _free_local_ports(n: int) -> list[int]:
    """n ports free on 127.0.0.1 now (bound together, so distinct, then released for the workers)."""
    sockets = [socket.socket(socket.AF_INET, socket.SOCK_STREAM) for _ in range(n)]
    try:
        for s in sockets:
            s.bind(("127.0.0.1", 0))
        return [s.getsockname()[1] for s in sockets]
    finally:
        for s in sockets:
            s.close()


def _tail(path: pathlib.Path, lines: int = 15) -> str:
    text = path.read_text(errors="replace") if path.exists() else "(no output)"
    return "\n".join(text.splitlines()[-lines:])


def run_workers(tmp_path: pathlib.Path, data: dict, timeout: float) -> list[dict]:
    """Start two workers on 127.0.0.1, wait at most `timeout` seconds, always stop them, return their results."""
    (tmp_path / "input.json").write_text(json.dumps(data))
    cluster = {"worker": [f"127.0.0.1:{port}" for port in _free_local_ports(REPLICAS)]}
    procs, logs = [], []
    try:
        for index in range(REPLICAS):
            env = {
                **{k: v for k, v in os.environ.items() if k.lower() not in PROXY_VARIABLES},
                "TF_CONFIG": json.dumps({"cluster": cluster, "task": {"type": "worker", "index": index}}),
                "TF_CPP_MIN_LOG_LEVEL": "3",
                "CUDA_VISIBLE_DEVICES": "",  # one CPU replica per worker, also on GPU runners
            }
            logs.append(tmp_path / f"worker{index}.log")
            with logs[-1].open("w") as log:
                procs.append(subprocess.Popen(
                    [sys.executable, str(WORKER_SCRIPT), str(tmp_path / "input.json"), str(tmp_path / f"worker{index}.json")],
                    env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                ))
        deadline = time.monotonic() + timeout
        for index, proc in enumerate(procs):
            try:
                code = proc.wait(timeout=max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                pytest.fail(f"worker {index} still running after {timeout:g} s (--distribution-timeout); "
                            f"its output:\n{_tail(logs[index])}")
            assert code == 0, f"worker {index} exited with {code}; its output:\n{_tail(logs[index])}"
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
                proc.wait(timeout=10)
    return [json.loads((tmp_path / f"worker{index}.json").read_text()) for index in range(REPLICAS)]


@pytest.mark.slow
@pytest.mark.source("GUIDE-DIST-MWMS", "GUIDE-DIST-CUSTOM")
@pytest.mark.parametrize("mode", ["function"], ids=[f"function-{REPLICAS}workers-cpu"])
def test_multi_worker_mirrored_gradients_summed_equal_the_global_batch_gradient(mode, batch, tmp_path, distribution_timeout):
    """MultiWorkerMirroredStrategy, two worker processes on 127.0.0.1 with 4 rows each: tape gradients of compute_average_loss, reduced with SUM, equal the global batch's gradient on both workers (tutorial "Custom training loop with MultiWorkerMirroredStrategy")."""
    x, t, w, b = batch
    results = run_workers(tmp_path, {k: v.tolist() for k, v in zip("xtwb", batch)}, distribution_timeout)
    assert [(r["index"], r["replicas_in_sync"], r["rows"]) for r in results] == [(0, 2, 4), (1, 2, 4)]
    for r in results:
        _assert_global([np.array(r["d_w"]), np.array(r["d_b"])], x, t, w, b, f"worker {r['index']}")
    assert results[0]["d_w"] == results[1]["d_w"] and results[0]["d_b"] == results[1]["d_b"], (
        "an all-reduce leaves the same sum on every worker, bit for bit"
    )
