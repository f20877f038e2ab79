"""Example ops picked at run time, for specs that use an op only as an example of something else.

A spec about *how a missing gradient is reported* (LookupError eagerly, StagingError while tracing, at the
forward call of a tf.function under a tape, ...) needs some op without a registered gradient; which op is
incidental. The guide's example, AdjustContrastv2, is one upstream change away from getting a gradient,
and then every such spec would fail for a reason that is not its own. So the example is taken from the
live gradient registry at run time: the first candidate whose op type has no entry there (an entry that
is None, from tf.no_gradient, is "not differentiable", a different behaviour) and whose Python call does
build that op. The one spec that pins AdjustContrastv2 itself is chapter 6's guide example.
"""
from __future__ import annotations

import dataclasses
import functools
from typing import Callable

#: (op type, the call as written in the spec's messages, the call) for a float32 image x of shape [2, 2, 3]
CANDIDATES: tuple[tuple[str, str, Callable], ...] = (
    ("AdjustContrastv2", "tf.image.adjust_contrast(x, 2.0)", lambda x: _tf().image.adjust_contrast(x, 2.0)),
    ("AdjustSaturation", "tf.image.adjust_saturation(x, 2.0)", lambda x: _tf().image.adjust_saturation(x, 2.0)),
    ("AdjustHue", "tf.image.adjust_hue(x, 0.1)", lambda x: _tf().image.adjust_hue(x, 0.1)),
    ("ResizeArea", "tf.image.resize(x, [1, 1], method='area')",
     lambda x: _tf().image.resize(x, [1, 1], method="area")),
)
SHAPE = (2, 2, 3)


def _tf():
    import tensorflow as tf

    return tf


@dataclasses.dataclass(frozen=True)
class Example:
    op_type: str
    call: str
    fn: Callable

    def __call__(self, x):
        return self.fn(x)


def registered_gradients() -> set[str]:
    """Op types with an entry in TensorFlow's live gradient registry (including tf.no_gradient's None)."""
    from tensorflow.python.framework import ops

    return set(ops.gradient_registry.list())


@functools.cache
def op_without_gradient() -> Example:
    """The first candidate op with no registered gradient that its call really builds; an AssertionError
    naming every candidate if none is left (then add a candidate: the specs need one)."""
    tf = _tf()
    registered = registered_gradients()
    seen = []
    for op_type, call, fn in CANDIDATES:
        if op_type in registered:
            seen.append(f"{op_type}: has a registered gradient")
            continue
        graph = tf.function(fn).get_concrete_function(tf.TensorSpec(SHAPE, tf.float32)).graph
        built = {op.type for op in graph.get_operations()}
        if op_type not in built:
            seen.append(f"{op_type}: {call} does not build it")
            continue
        return Example(op_type, call, fn)
    raise AssertionError("no candidate op without a registered gradient is left: " + "; ".join(seen))
