"""Workload builders shared by the benchmark files: inputs made on the case's device, bodies as plain functions.

No TensorFlow op runs at import time; every builder is called inside a test.
"""
from __future__ import annotations

import functools

import numpy as np
import tensorflow as tf

from spec.test_90_benchmarks import closed_forms

MLP_SEED = 20261121  # one fixed MLP per shape, shared by G2, G3 and G6


def compiled(fn, mode: str):
    """fn itself (eager), tf.function(fn) (function) or tf.function(fn, jit_compile=True) (xla), built per test."""
    if mode == "eager":
        return fn
    return tf.function(fn, jit_compile=(mode == "xla"))


def sin_chain(x, n_ops: int):
    y = x
    for _ in range(n_ops):
        y = tf.sin(y)
    return y


def ternary(rng: np.random.Generator, shape) -> np.ndarray:
    """Entries in {-1, 0, 1} as float32: matmul sums are exact, so ReLU masks match the float64 oracle exactly."""
    return rng.integers(-1, 2, size=shape).astype(np.float32)


@functools.lru_cache(maxsize=None)
def mlp_params(batch: int, width_in: int, width: int):
    """x (batch, width_in) and w1, b1, w2, b2 of a two-layer ReLU MLP, integer-valued float32, read-only.

    One fixed set per shape, so the float64 closed forms below are computed once per run, not per case.
    """
    rng = np.random.default_rng(MLP_SEED)
    arrays = (ternary(rng, (batch, width_in)), ternary(rng, (width_in, width)), ternary(rng, (width,)),
              ternary(rng, (width, width)), ternary(rng, (width,)))
    for a in arrays:
        a.flags.writeable = False
    return arrays


@functools.lru_cache(maxsize=None)
def mlp_expected(shape: tuple, target: str = "mean_square"):
    """(mean(y²), (dw1, db1, dw2, db2) of `target`) for mlp_params(*shape), from the float64 closed forms."""
    params = mlp_params(*shape)
    return closed_forms.mlp_mean_square(*params), closed_forms.mlp_grads(*params, target=target)


def mlp_loss(x, w1, b1, w2, b2, target: str = "mean_square"):
    y = tf.matmul(tf.nn.relu(tf.matmul(x, w1) + b1), w2) + b2
    return tf.reduce_mean(tf.square(y)) if target == "mean_square" else tf.reduce_mean(y)


def mlp_loss_and_gradient(*args):
    """mean(y²) of the MLP and its gradient with respect to (w1, b1, w2, b2): one training step's tape work."""
    with tf.GradientTape() as tape:
        tape.watch(args[1:])
        loss = mlp_loss(*args)
    return loss, tape.gradient(loss, args[1:])


def signed_permutation(rng: np.random.Generator, n: int) -> np.ndarray:
    """An n x n signed permutation matrix: products of it are exact in float32 and never over/underflow."""
    q = np.zeros((n, n), np.float32)
    q[np.arange(n), rng.permutation(n)] = rng.choice([-1.0, 1.0], size=n)
    return q
