"""Fault injection for the self-check: break TensorFlow's autodiff on purpose, one way at a time.

`TAPESPEC_FAULT=<name> pytest ...` patches TensorFlow in `pytest_configure`, before any test module is
imported and before anything is traced, so a fault acts in eager execution and inside `tf.function`
and XLA alike (registered gradients are looked up while a function is traced). With the variable unset
this plugin does nothing. `python -m spec.selfcheck` runs the suite once per fault, each in a fresh
process, and fails if any fault survives (no test fails under it).

Adding a fault: write a function that patches TensorFlow and decorate it with
`@fault("name", "chapter it should be caught by", "what goes wrong, in words")` (add
`modes=("function",)` if it only acts inside tf.function). Use `_patch(obj, attr, new)` for
attributes and `_wrap_gradient(op_type, make)` for registered gradients, so the patch is undone at the
end of the run. Then run `python -m spec.selfcheck --fault name`.
"""
from __future__ import annotations

import contextlib
import dataclasses
import functools
import os
from typing import Callable

import pytest

ENV = "TAPESPEC_FAULT"
OFF = 1.01  # "off by 1%": far outside every tolerance in spec/tolerances.py, small enough to look plausible


@dataclasses.dataclass(frozen=True)
class Fault:
    name: str
    chapter: str
    description: str
    apply: Callable[[], None]
    modes: tuple | None = None  # execution modes the self-check runs it in; None: its default (--modes)
    pytest_args: tuple = ()  # extra pytest arguments for its run (e.g. the op atlas's slow tier)


FAULTS: dict[str, Fault] = {}
_undo: list = []


def fault(name: str, chapter: str, description: str, modes: tuple | None = None, pytest_args: tuple = ()):
    def register(apply):
        FAULTS[name] = Fault(name, chapter, description, apply, modes, pytest_args)
        return apply

    return register


def _patch(obj, attr: str, new) -> None:
    old = getattr(obj, attr)
    _undo.append(lambda: setattr(obj, attr, old))
    setattr(obj, attr, new)


def _wrap_gradient(op_type: str, make):
    """Replace the registered gradient of `op_type` with `make(original)`."""
    from tensorflow.python.framework import ops

    registry = ops._gradient_registry._registry  # noqa: SLF001 - the registry the tape and tf.function both use
    entry = registry[op_type]
    _undo.append(lambda: registry.__setitem__(op_type, entry))
    registry[op_type] = dict(entry, type=make(entry["type"]))


def _scale(value, factor=OFF):
    """value × factor for a tensor, IndexedSlices or None (None stays None)."""
    import tensorflow as tf

    if value is None:
        return None
    if isinstance(value, tf.IndexedSlices):
        return tf.IndexedSlices(value.values * tf.cast(factor, value.values.dtype), value.indices, value.dense_shape)
    if value.dtype.is_floating or value.dtype.is_complex:
        return value * tf.cast(factor, value.dtype)
    return value


def _scaled_gradient(op_type: str, factor=OFF) -> None:
    def make(original):
        def grad(op, *grads):
            result = original(op, *grads)
            if isinstance(result, (list, tuple)):
                return type(result)(_scale(g, factor) for g in result)
            return _scale(result, factor)

        return grad

    _wrap_gradient(op_type, make)


def _map_result(method_owner, method: str, transform) -> None:
    """Wrap `method_owner.method` so its (nested) result goes through `transform` element by element."""
    import tensorflow as tf

    original = getattr(method_owner, method)

    @functools.wraps(original)
    def wrapped(*args, **kwargs):
        return tf.nest.map_structure(transform, original(*args, **kwargs),
                                     expand_composites=False)

    _patch(method_owner, method, wrapped)


def _tape():
    from tensorflow.python.eager import backprop

    return backprop.GradientTape


# ---------------------------------------------------------------------------------- wrong gradients


@fault("sigmoid-gradient-x1.01", "01 gradients", "the registered gradient of Sigmoid is 1% too large")
def inject_sigmoid_gradient_x1_01():
    _scaled_gradient("Sigmoid")


@fault("square-gradient-x1.01", "01 gradients", "the registered gradient of Square (tf.square) is 1% too large")
def inject_square_gradient_x1_01():
    _scaled_gradient("Square")


@fault("pow-gradient-x1.01", "01 gradients", "the registered gradient of Pow (x**2) is 1% too large")
def inject_pow_gradient_x1_01():
    _scaled_gradient("Pow")


@fault("mul-gradient-swapped", "01 gradients", "the registered gradient of Mul (x*y) sends each input the other's gradient")
def inject_mul_gradient_swapped():
    def make(original):
        def grad(op, g):
            gx, gy = original(op, g)
            if gx is not None and gy is not None and gx.shape == gy.shape and gx.dtype == gy.dtype:
                return gy, gx
            return _scale(gx), _scale(gy)

        return grad

    _wrap_gradient("Mul", make)


@fault("matmul-gradient-x1.01", "13 keras", "the registered gradient of MatMul (x @ W, Dense) is 1% too large")
def inject_matmul_gradient_x1_01():
    _scaled_gradient("MatMul")


@fault("biasadd-gradient-x1.01", "13 keras", "the registered gradient of BiasAdd (Dense's bias) is 1% too large")
def inject_biasadd_gradient_x1_01():
    _scaled_gradient("BiasAdd")


@fault("where-gradient-swapped", "05 control flow", "the gradient of tf.where (SelectV2/Select) goes to the branch not taken")
def inject_where_gradient_swapped():
    def make(original):
        def grad(op, g):
            c, gx, gy = original(op, g)
            if gx is not None and gy is not None and gx.shape == gy.shape:
                return c, gy, gx
            return c, _scale(gx), _scale(gy)

        return grad

    for op_type in ("SelectV2", "Select"):
        _wrap_gradient(op_type, make)


@fault("cond-and-loop-gradient-x1.01", "05 control flow",
       "graph control flow (tf.cond, tf.while_loop inside tf.function) has gradients 1% too large", modes=("function",))
def inject_cond_and_loop_gradient_x1_01():
    for op_type in ("If", "StatelessIf", "While", "StatelessWhile"):
        _scaled_gradient(op_type)


@fault("sqrt-gradient-finite-at-0", "12 numerics", "the gradient of Sqrt is 0 instead of inf at 0 (a 'safe' division)")
def inject_sqrt_gradient_finite_at_0():
    import tensorflow as tf

    def make(original):
        def grad(op, g):
            y = op.outputs[0]
            return tf.math.divide_no_nan(g, 2.0 * y)

        return grad

    _wrap_gradient("Sqrt", make)


@fault("relu-gradient-1-at-0", "12 numerics", "the gradient of Relu at exactly 0 is 1 instead of 0")
def inject_relu_gradient_1_at_0():
    import tensorflow as tf

    def make(original):
        def grad(op, g):
            x = op.inputs[0]
            return g * tf.cast(x >= 0, g.dtype)

        return grad

    _wrap_gradient("Relu", make)


# --------------------------------------------------------------------------------- the tape itself


@fault("watch-does-nothing", "02 watching", "tape.watch(x) does nothing")
def inject_watch_does_nothing():
    _patch(_tape(), "watch", lambda self, tensor: None)


@fault("non-trainable-variables-watched", "02 watching",
       "the tape watches non-trainable variables it reads, as if they were trainable")
def inject_non_trainable_variables_watched():
    from tensorflow.python.eager import tape as tape_lib
    from tensorflow.python.framework import ops
    from tensorflow.python.ops import resource_variable_ops as rvo

    def variable_accessed(variable):
        if hasattr(ops.get_default_graph(), "watch_variable"):
            ops.get_default_graph().watch_variable(variable)
        tape_lib.variable_accessed(variable)

    _patch(rvo, "variable_accessed", variable_accessed)
    _patch(tape_lib, "variables_accessed", lambda variables: [tape_lib.variable_accessed(v) for v in variables])


@fault("persistent-forced-on", "03 persistent", "every tape is persistent, whatever persistent= says")
def inject_persistent_forced_on():
    tape = _tape()
    original = tape.__init__

    def init(self, persistent=False, watch_accessed_variables=True):
        original(self, persistent=True, watch_accessed_variables=watch_accessed_variables)

    _patch(tape, "__init__", init)


@fault("persistent-forced-off", "03 persistent", "no tape is persistent, whatever persistent= says")
def inject_persistent_forced_off():
    tape = _tape()
    original = tape.__init__

    def init(self, persistent=False, watch_accessed_variables=True):
        original(self, persistent=False, watch_accessed_variables=watch_accessed_variables)

    _patch(tape, "__init__", init)


@fault("output-gradients-ignored", "04 targets", "tape.gradient ignores output_gradients= (as if they were all ones)")
def inject_output_gradients_ignored():
    tape = _tape()
    original = tape.gradient

    def gradient(self, target, sources, output_gradients=None, unconnected_gradients="none"):
        return original(self, target, sources, unconnected_gradients=unconnected_gradients)

    _patch(tape, "gradient", gradient)


@fault("zeros-instead-of-none", "06 none", "an unconnected source gets zeros instead of None (as if unconnected_gradients='zero')")
def inject_zeros_instead_of_none():
    tape = _tape()
    original = tape.gradient

    def gradient(self, target, sources, output_gradients=None, unconnected_gradients="none"):
        return original(self, target, sources, output_gradients, unconnected_gradients="zero")

    _patch(tape, "gradient", gradient)


@fault("stop-recording-does-nothing", "07 recording control", "tape.stop_recording() records anyway")
def inject_stop_recording_does_nothing():
    _patch(_tape(), "stop_recording", lambda self: contextlib.nullcontext())


@fault("reset-does-nothing", "07 recording control", "tape.reset() keeps what was recorded")
def inject_reset_does_nothing():
    _patch(_tape(), "reset", lambda self: None)


@fault("stop-gradient-passes-gradient", "07 recording control", "tf.stop_gradient lets the gradient through (identity gradient)")
def inject_stop_gradient_passes_gradient():
    # The tape and graph gradients skip StopGradient ops outright, so its registry entry is not enough:
    # replace the function every caller reaches (tf.stop_gradient and the modules it comes from).
    import tensorflow as tf
    from tensorflow.python.ops import array_ops, gen_array_ops

    def stop_gradient(input, name=None):  # noqa: A002 - TensorFlow's own parameter name
        return tf.identity(input, name=name)

    for module in (tf, array_ops, gen_array_ops):
        _patch(module, "stop_gradient", stop_gradient)


@fault("gradients-not-differentiable", "09 higher order",
       "what tape.gradient returns cannot be differentiated again (no second derivatives)")
def inject_gradients_not_differentiable():
    import tensorflow as tf

    def cut(g):
        if g is None:
            return None
        if isinstance(g, tf.IndexedSlices):
            return tf.IndexedSlices(tf.stop_gradient(g.values), g.indices, g.dense_shape)
        return tf.stop_gradient(g)

    _map_result(_tape(), "gradient", cut)


@fault("custom-gradient-ignored", "08 custom gradients", "tf.custom_gradient runs the forward function and drops its grad_fn")
def inject_custom_gradient_ignored():
    import tensorflow as tf
    from tensorflow.python.ops import custom_gradient as cg

    def custom_gradient(f=None):
        if f is None:
            return custom_gradient

        @functools.wraps(f)
        def forward_only(*args, **kwargs):
            result, _grad_fn = f(*args, **kwargs)
            return result

        return forward_only

    _patch(cg, "custom_gradient", custom_gradient)
    _patch(tf, "custom_gradient", custom_gradient)


@fault("jacobian-x1.01", "10 jacobians", "tape.jacobian and tape.batch_jacobian are 1% too large")
def inject_jacobian_x1_01():
    _map_result(_tape(), "jacobian", _scale)
    _map_result(_tape(), "batch_jacobian", _scale)


@fault("forward-mode-x1.01", "11 forward mode", "ForwardAccumulator.jvp is 1% too large")
def inject_forward_mode_x1_01():
    from tensorflow.python.eager import forwardprop

    _map_result(forwardprop.ForwardAccumulator, "jvp", _scale)


@fault("compute-gradient-theoretical-x1.01", "14 gradient checking",
       "tf.test.compute_gradient's theoretical Jacobian is 1% too large")
def inject_compute_gradient_theoretical_x1_01():
    import numpy as np
    from tensorflow.python.ops import gradient_checker_v2 as gc

    original = gc._compute_theoretical_jacobian  # noqa: SLF001

    def theoretical(*args, **kwargs):
        return np.asarray(original(*args, **kwargs)) * OFF

    _patch(gc, "_compute_theoretical_jacobian", theoretical)


@fault("graph-gradients-x1.01", "15 modes", "inside tf.function (and XLA) tape.gradient is 1% too large; eager is right",
       modes=("function",))
def inject_graph_gradients_x1_01():
    import tensorflow as tf

    _map_result(_tape(), "gradient", lambda g: g if tf.executing_eagerly() else _scale(g))


@fault("gradients-land-on-cpu-1", "16 devices", "gradients are computed on /device:CPU:1 whatever device the forward pass used")
def inject_gradients_land_on_cpu_1():
    import tensorflow as tf

    tape = _tape()
    original = tape.gradient

    def gradient(self, *args, **kwargs):
        with tf.device("/device:CPU:1"):
            result = original(self, *args, **kwargs)
            return tf.nest.map_structure(lambda g: g if g is None or isinstance(g, tf.IndexedSlices) else tf.identity(g), result)

    _patch(tape, "gradient", gradient)


@fault("replica-gradients-x1.01", "17 distribution", "under a tf.distribute strategy tape.gradient is 1% too large")
def inject_replica_gradients_x1_01():
    import tensorflow as tf

    _map_result(_tape(), "gradient", lambda g: _scale(g) if tf.distribute.has_strategy() else g)


# ------------------------------------------------------------------------- op atlas (chapter 20)


@fault("atlas-tanh-gradient-x1.01", "20 op atlas", "the registered gradient of Tanh is 1% too large (one elementwise op)")
def atlas_tanh_gradient_off():
    _scaled_gradient("Tanh")


ATLAS_SLOW_TIER = ("--run-slow", "-m", "not slow or atlas")  # the atlas's eager forward-mode and second-order cases


@fault("atlas-tanh-second-derivative-x1.01", "20 op atlas",
       "the gradient of TanhGrad is 1% too large: tanh's first derivative is right, its second derivative is not",
       pytest_args=ATLAS_SLOW_TIER)
def atlas_tanh_second_derivative_off():
    _scaled_gradient("TanhGrad")


@fault("atlas-sin-forward-rule-x1.01", "20 op atlas",
       "ForwardAccumulator's rule for Sin is 1% too large; reverse mode is right", pytest_args=ATLAS_SLOW_TIER)
def atlas_sin_forward_rule_off():
    from tensorflow.python.eager import forwardprop

    original = forwardprop._jvp_helper  # noqa: SLF001 - the function forward mode derives every op's JVP with

    def jvp_helper(op_name, attr_tuple, inputs, outputs, tangents):
        result = original(op_name, attr_tuple, inputs, outputs, tangents)
        return [_scale(t) for t in result] if op_name == "Sin" else result

    _patch(forwardprop, "_jvp_helper", jvp_helper)


@fault("atlas-sin-gradient-wrong-at-0", "20 op atlas",
       "the gradient of Sin is 1% too large at exactly x = 0 and right everywhere else (one special point)")
def atlas_sin_wrong_at_0():
    import tensorflow as tf

    def make(original):
        def grad(op, g):
            right = original(op, g)
            x = op.inputs[0]
            return tf.where(tf.equal(x, 0), right * tf.cast(OFF, right.dtype), right)

        return grad

    _wrap_gradient("Sin", make)


@fault("atlas-roll-gradient-off-by-one", "20 op atlas",
       "the gradient of Roll rolls back by shift - 1 instead of shift (a wrong index mapping in an array op)")
def atlas_roll_gradient_off_by_one():
    import tensorflow as tf

    def make(original):
        def grad(op, g):
            shift, axis = op.inputs[1], op.inputs[2]
            return tf.roll(g, -shift + 1, axis), None, None

        return grad

    _wrap_gradient("Roll", make)


# ------------------------------------------------------------------------------------------ plugin


def pytest_addoption(parser):
    parser.getgroup("tapespec").addoption(
        "--only-modes", default=None, metavar="MODES",
        help="run the `where` cases of these execution modes only, e.g. eager,function (the self-check's "
        "fault runs: a fault acts at trace time, so function covers xla); other tests are unaffected",
    )


def pytest_collection_modifyitems(config, items):
    wanted = config.getoption("--only-modes")
    if not wanted:
        return
    modes = {m.strip() for m in wanted.split(",") if m.strip()}
    keep, drop = [], []
    for item in items:
        params = getattr(getattr(item, "callspec", None), "params", {})
        where = params.get("where") or params.get("case")  # the `where` axis, or an op-atlas case
        mode = getattr(where, "mode", None)
        (drop if mode is not None and mode not in modes and mode != "gpu" else keep).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


@pytest.hookimpl(trylast=True)
def pytest_configure(config):
    name = os.environ.get(ENV, "").strip()
    config.tapespec_fault = name or None
    if not name:
        return
    if name not in FAULTS:
        raise pytest.UsageError(f"{ENV}={name}: no such fault; known: {', '.join(FAULTS)}")
    FAULTS[name].apply()


def pytest_unconfigure(config):
    while _undo:
        _undo.pop()()


def pytest_report_header(config):
    name = getattr(config, "tapespec_fault", None)
    if name:
        return [f"tapespec: FAULT INJECTED {name}: {FAULTS[name].description} (self-check; failures are expected)"]
    return None
