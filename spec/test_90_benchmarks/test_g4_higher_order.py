"""Chapter 90, G4 — Higher order: Hessian-vector products by nested tapes and by forward-over-back.

Anchors (perf-anchors.md §1.3, §2.3, §4 G4): Pearlmutter (1994) — Hv costs about as much as a gradient;
double backprop about 5x a plain step (pytorch#3076); HVP 5-5.3x forward for a deep linear net
(Bulatov). Goals: HVP / gradient <= 2.5 (red flag >= 10), HVP / forward <= 6. Workload: f(w) =
sum(c * tanh(x w)) with x 256x512, w 512x512, v a direction like w (all positive); the tape watches
w only.
"""
import functools

import numpy as np
import pytest
import tensorflow as tf

from spec import oracle
from spec.test_90_benchmarks import closed_forms
from spec.test_90_benchmarks.workloads import compiled
from spec.tolerances import TOL

MODES = ["eager", "function"]
PASSES = ["forward", "gradient", "hvp_nested_tapes", "hvp_forward_over_back"]
SHAPE = (256, 512, 512)


def _f(x, w, c):
    return tf.reduce_sum(c * tf.tanh(tf.matmul(x, w)))


def _forward(x, w, c, v):
    return _f(x, w, c)


def _gradient(x, w, c, v):
    with tf.GradientTape() as tape:
        tape.watch(w)
        f = _f(x, w, c)
    return tape.gradient(f, w)


def _hvp_nested_tapes(x, w, c, v):
    with tf.GradientTape() as outer:
        outer.watch(w)
        with tf.GradientTape() as inner:
            inner.watch(w)
            f = _f(x, w, c)
        g_dot_v = tf.reduce_sum(inner.gradient(f, w) * v)
    return outer.gradient(g_dot_v, w)


def _hvp_forward_over_back(x, w, c, v):
    with tf.autodiff.ForwardAccumulator(w, v) as acc:
        with tf.GradientTape() as tape:
            tape.watch(w)
            f = _f(x, w, c)
        g = tape.gradient(f, w)
    return acc.jvp(g)


@functools.lru_cache(maxsize=None)
def _inputs():
    """x, w, c, v as float32 numpy, one fixed set for every case.

    Positive x, w, c, v: every sum in f, its gradient and Hv adds terms of one sign, so float32 stays
    within TOL.F32_REDUCTION of the float64 closed form (mixed signs cancel to ~1e-4 relative error).
    """
    batch, n, m = SHAPE
    rng = np.random.default_rng(20261121)
    arrays = (rng.uniform(0.0, 1.0, (batch, n)), rng.uniform(0.0, 2.0 / n, (n, m)),
              rng.uniform(0.5, 1.0, (batch, m)), rng.uniform(0.0, 2.0 / n, (n, m)))
    return tuple(a.astype("float32") for a in arrays)


@functools.lru_cache(maxsize=None)
def _expected(pass_: str):
    x, w, c, v = _inputs()
    if pass_ == "forward":
        return closed_forms.tanh_layer_value(x, w, c)
    if pass_ == "gradient":
        return closed_forms.tanh_layer_grad(x, w, c)
    return closed_forms.tanh_layer_hvp(x, w, c, v)


BODIES = {"forward": _forward, "gradient": _gradient, "hvp_nested_tapes": _hvp_nested_tapes,
          "hvp_forward_over_back": _hvp_forward_over_back}


@pytest.mark.source("ADV-08", "API-45")
@pytest.mark.parametrize("pass_", PASSES)
@pytest.mark.parametrize("mode", MODES)
def test_g4_hessian_vector_product_cost_tanh_layer_256x512x512(mode, pass_, device, bench):
    """Forward, gradient and two Hessian-vector products of sum(c·tanh(x w)) (Pearlmutter 1994: Hv about a gradient; HVP 5x forward, Bulatov)."""
    with tf.device(device.device_name):
        args = [tf.constant(a) for a in _inputs()]
    fn = compiled(BODIES[pass_], mode)
    denominators = {"forward": [], "gradient": ["forward"]}.get(pass_, ["gradient", "forward"])
    partners = {f"{d}@{mode}": functools.partial(compiled(BODIES[d], mode), *args) for d in denominators}
    out = bench(lambda: fn(*args), group="G4", workload="tanh_layer", variant=pass_, size=SHAPE[0], mode=mode,
                partners=partners or None)
    oracle.assert_close(out, _expected(pass_), TOL.F32_REDUCTION, pass_)
