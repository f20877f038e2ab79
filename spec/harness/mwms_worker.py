"""One worker of the MultiWorkerMirroredStrategy spec (spec/test_17_distribution.py), run as a script.

    TF_CONFIG='{"cluster": {"worker": [...]}, "task": {"type": "worker", "index": I}}' \
        python spec/harness/mwms_worker.py INPUT.json OUTPUT.json

INPUT.json holds the global batch (`x`, `t`) and the starting weights (`w`, `b`) of a linear model.
Worker I takes its contiguous share of the rows, computes the per-example squared error with a
GradientTape, scales it with tf.nn.compute_average_loss (global batch = rows per worker x replicas in
sync), and sums the replicas' gradients with strategy.reduce(SUM). It writes the summed gradients to
OUTPUT.json. The test starts, bounds and stops the workers; this script never talks to anything but
the other worker on 127.0.0.1.
"""
from __future__ import annotations

import json
import os
import sys
import time

START = time.monotonic()

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402


def log(message: str) -> None:
    print(f"[{time.monotonic() - START:6.2f} s] {message}", flush=True)  # the test shows this log on failure


def main(input_path: str, output_path: str) -> None:
    log(f"TensorFlow {tf.__version__} imported")
    data = json.loads(open(input_path).read())
    task = json.loads(os.environ["TF_CONFIG"])["task"]
    strategy = tf.distribute.MultiWorkerMirroredStrategy(
        communication_options=tf.distribute.experimental.CommunicationOptions(
            implementation=tf.distribute.experimental.CommunicationImplementation.RING
        )
    )
    log(f"strategy ready: task {task}, {strategy.num_replicas_in_sync} replicas in sync")
    workers = strategy.cluster_resolver.cluster_spec().num_tasks("worker")
    x = np.asarray(data["x"], np.float32)
    t = np.asarray(data["t"], np.float32)
    rows = len(x) // workers
    share = slice(task["index"] * rows, (task["index"] + 1) * rows)
    with strategy.scope():
        w = tf.Variable(np.asarray(data["w"], np.float32))
        b = tf.Variable(np.asarray(data["b"], np.float32))

    def replica_step(x, t):
        with tf.GradientTape() as tape:
            y = tf.matmul(x, w) + b
            per_example = tf.reduce_sum((y - t) ** 2, axis=1)
            loss = tf.nn.compute_average_loss(per_example)  # / (rows per replica x replicas in sync)
        return tape.gradient(loss, [w, b])

    @tf.function
    def step(x, t):
        per_replica = strategy.run(replica_step, args=(x, t))
        return [strategy.reduce(tf.distribute.ReduceOp.SUM, g, axis=None) for g in per_replica]

    d_w, d_b = step(tf.constant(x[share]), tf.constant(t[share]))
    log("gradients summed across workers")
    result = {
        "index": task["index"],
        "replicas_in_sync": strategy.num_replicas_in_sync,
        "rows": rows,
        "d_w": d_w.numpy().tolist(),
        "d_b": d_b.numpy().tolist(),
    }
    tmp = output_path + ".part"
    with open(tmp, "w") as f:
        json.dump(result, f)
    os.replace(tmp, output_path)  # the test never reads a half-written file


if __name__ == "__main__":
    main(*sys.argv[1:3])
