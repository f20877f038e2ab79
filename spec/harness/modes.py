"""The execution-mode x device axis every value-level behaviour runs on.

A test that takes the `where` fixture is run once per case, with ids such as `eager-cpu`,
`function-cpu`, `xla-cpu`, `eager-gpu`, ...:

    def test_gradient_of_x_squared_at_3_is_6(where):
        def grad(x):
            with tf.GradientTape() as tape:
                tape.watch(x)
                y = x * x
            return tape.gradient(y, x)
        assert where.run(grad, tf.constant(3.0)).numpy() == 6.0

`where.device_name` is the case's device and `where.second_device_name` another one (the second logical
CPU beside CPU:0, CPU:0 beside GPU:0) for cross-device behaviour.

`where.run(fn, *args)` calls `fn` eagerly, as `tf.function(fn)` or as
`tf.function(fn, jit_compile=True)`, placed on the case's device. Each `fn` is wrapped once per mode
(cached by identity), so a module-level function is traced once per behaviour, not once per call.
Behaviours that exist only eagerly carry `@pytest.mark.eager_only("one-line reason")`: they keep the
device axis and run in the eager mode only.
"""
from __future__ import annotations

import dataclasses

import pytest
import tensorflow as tf

from spec.harness import runtime

MODES = ("eager", "function", "xla")
DEVICES = ("cpu", "gpu")

_compiled: dict = {}  # (fn, mode) -> tf.function; keyed by the function object itself


def compile_in(mode: str, fn):
    """`fn` as it runs in `mode`: itself, a tf.function, or an XLA-compiled tf.function (built once)."""
    if mode == "eager":
        return fn
    key = (fn, mode)
    if key not in _compiled:
        _compiled[key] = traced(mode, fn)
    return _compiled[key]


def traced(mode: str, fn, autograph: bool = True):
    """A new tf.function of `fn` for a traced mode: "function", or "xla" (jit_compile=True)."""
    return tf.function(fn, jit_compile=(mode == "xla"), reduce_retracing=True, autograph=autograph)


@dataclasses.dataclass(frozen=True)
class Where:
    mode: str
    device: str

    @property
    def device_name(self) -> str:
        return "/device:GPU:0" if self.device == "gpu" else "/device:CPU:0"

    @property
    def second_device_name(self) -> str:
        """Another device on this machine, for cross-device behaviour: CPU:1 (logical) beside CPU:0, CPU:0 beside GPU:0."""
        return "/device:CPU:0" if self.device == "gpu" else "/device:CPU:1"

    @property
    def eager(self) -> bool:
        return self.mode == "eager"

    def run(self, fn, *args, **kwargs):
        """Run `fn(*args, **kwargs)` in this case's mode on this case's device."""
        return self.run_on(self.device_name, fn, *args, **kwargs)

    def run_on(self, device_name: str, fn, *args, **kwargs):
        """Run `fn(*args, **kwargs)` in this case's mode on `device_name` (e.g. `where.second_device_name`)."""
        with tf.device(device_name):
            return compile_in(self.mode, fn)(*args, **kwargs)

    def __str__(self) -> str:
        return f"{self.mode}-{self.device}"


def parametrize_where(metafunc) -> None:
    if "where" not in metafunc.fixturenames:
        return
    modes = ("eager",) if metafunc.definition.get_closest_marker("eager_only") else MODES
    cases = [Where(m, d) for d in DEVICES for m in modes]
    metafunc.parametrize("where", cases, ids=[str(c) for c in cases], indirect=True)


def where_fixture(request) -> Where:
    where: Where = request.param
    if where.device == "gpu" and not runtime.capabilities().has_gpu:
        pytest.skip(runtime.NO_GPU_REASON)
    return where
