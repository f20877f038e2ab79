"""Chapter 16 — Devices: where a gradient lives, gradients across devices, TensorFloat-32.

The suite splits the CPU into two logical devices before TensorFlow's runtime starts, so that a machine
without a GPU still has two devices to move tensors between (CPU:0 and CPU:1); on a GPU runner the
pairs are GPU:0 and CPU:0. Guide: https://www.tensorflow.org/guide/gpu ("Manually placing devices",
"Limiting GPU memory growth", "Using a single GPU on a multi-GPU system"); TensorFloat-32:
https://www.tensorflow.org/api_docs/python/tf/config/experimental/enable_tensor_float_32_execution.
"""
import numpy as np
import pytest
import tensorflow as tf

from spec import oracle
from spec.harness import observe, runtime
from spec.tolerances import TOL

XS = np.array([1.0, 2.0, -0.5])


def short(device: str) -> str:
    """'/job:localhost/replica:0/task:0/device:CPU:1' -> 'CPU:1' (also for '/device:CPU:1')."""
    spec = tf.DeviceSpec.from_string(device)
    return f"{spec.device_type}:{spec.device_index}"


def _x_sin_x_and_gradient(x):
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = x * tf.sin(x)
    return y, tape.gradient(y, x)


def _d_x_sin_x(x):
    return np.sin(x) + x * np.cos(x)


# --------------------------------------------------------------------------------------- the devices
@pytest.mark.source("GUIDE-GPU")
def test_cpu_is_split_into_two_logical_devices_cpu_0_and_cpu_1():
    """Before the runtime starts, the suite splits the CPU into two logical devices, CPU:0 and CPU:1, so cross-device behaviour runs on any machine (guide "Using multiple GPUs", logical devices)."""
    logical = observe.returned(tf.config.list_logical_devices("CPU"))
    assert [short(d.name) for d in logical] == ["CPU:0", "CPU:1"]
    assert len(tf.config.list_physical_devices("CPU")) == 1, "one physical CPU, two logical devices on it"


@pytest.mark.gpu
@pytest.mark.source("GUIDE-GPU")
def test_memory_growth_is_on_for_every_gpu():
    """The suite turns on memory growth for every GPU before the runtime starts, so TensorFlow takes GPU memory as needed instead of nearly all of it (guide "Limiting GPU memory growth")."""
    gpus = tf.config.list_physical_devices("GPU")
    if not gpus:
        pytest.skip(runtime.NO_GPU_REASON)
    growth = observe.returned([tf.config.experimental.get_memory_growth(gpu) for gpu in gpus])
    assert growth == [True] * len(gpus)


# ------------------------------------------------------------------------------------------ placement
@pytest.mark.source("GUIDE-GPU")
def test_gradient_lives_on_the_device_of_its_forward_pass(where):
    """With the forward pass and tape.gradient under one device scope, the gradient d(x·sin x)/dx = sin x + x·cos x lives on that device, on both of the case's devices (guide "Manually placing devices")."""
    for device in (where.device_name, where.second_device_name):
        with tf.device(device):
            x = tf.constant(XS, tf.float32)
        y, d_y = where.run_on(device, _x_sin_x_and_gradient, x)
        assert (short(y.device), short(d_y.device)) == (short(device), short(device))
        oracle.assert_close(d_y, _d_x_sin_x(XS), TOL.F32_FEW_OPS, f"gradient on {short(device)}")


@pytest.mark.source("GUIDE-GPU")
@pytest.mark.eager_only("a compiled function's outputs always report the device it was called on (next test)")
def test_eager_gradient_taken_outside_the_device_scope_lands_where_unscoped_ops_run(where):
    """Eagerly, the device scope at tape.gradient decides: a forward pass on the second device with tape.gradient called outside any scope gives a gradient where unscoped ops run (CPU:0 beside CPU:1), not on the forward pass's device (observed on TF 2.21)."""
    forward_device = where.second_device_name
    with tf.device(forward_device):
        x = tf.constant(XS, tf.float32)
    with tf.GradientTape() as tape:
        tape.watch(x)
        with tf.device(forward_device):
            y = x * tf.sin(x)
    d_y = tape.gradient(y, x)
    unscoped = tf.sin(x)  # an op with no device scope on the same input
    assert short(y.device) == short(forward_device)
    assert short(d_y.device) == short(unscoped.device)
    if where.device == "cpu":
        assert (short(d_y.device), short(forward_device)) == ("CPU:0", "CPU:1")
    oracle.assert_close(d_y, _d_x_sin_x(XS), TOL.F32_FEW_OPS, "gradient")


def _forward_on(device):
    def forward_and_gradient(x):
        with tf.GradientTape() as tape:
            tape.watch(x)
            with tf.device(device):
                y = x * tf.sin(x)
        return y, tape.gradient(y, x)

    return forward_and_gradient


_FORWARD_ON = {device: _forward_on(device) for device in ("/device:CPU:0", "/device:CPU:1")}


@pytest.mark.source("GUIDE-GPU")
def test_traced_function_outputs_report_the_call_device_not_the_inner_device_scope(where):
    """A forward pass under tf.device(second device) inside the function: eagerly its result reports that device; the outputs of `tf.function` and XLA report the device the function was called on (observed on TF 2.21)."""
    second = where.second_device_name
    with tf.device(where.device_name):
        x = tf.constant(XS, tf.float32)
    y, d_y = where.run(_FORWARD_ON[second], x)
    expected = second if where.eager else where.device_name
    assert short(y.device) == short(expected)
    assert short(d_y.device) == short(where.device_name), "tape.gradient runs under the call's device scope"
    oracle.assert_close(d_y, _d_x_sin_x(XS), TOL.F32_FEW_OPS, "gradient")


def _copy_to(device):
    def square_after_copy(x):
        with tf.GradientTape() as tape:
            tape.watch(x)
            with tf.device(device):
                x_there = tf.identity(x)  # the copy between devices
                y = x_there * x_there
        return x_there, tape.gradient(y, x)

    return square_after_copy


_COPY_TO = {device: _copy_to(device) for device in ("/device:CPU:0", "/device:CPU:1")}


@pytest.mark.source("GUIDE-GPU")
def test_gradient_flows_back_through_a_copy_between_devices_as_2x(where):
    """x on the case's device is copied to the second device and squared there: the gradient flows back through the copy as 2x = [2, 4, -1] and lives on x's device (guide "Manually placing devices")."""
    with tf.device(where.device_name):
        x = tf.constant(XS, tf.float32)
    x_there, d_x = where.run(_COPY_TO[where.second_device_name], x)
    if where.eager:
        assert short(x_there.device) == short(where.second_device_name), "the copy really moved x"
    assert short(d_x.device) == short(x.device)
    oracle.assert_close(d_x, 2 * XS, TOL.EXACT, "2x")


@pytest.mark.source("XLA-KNOWN-ISSUES", "GUIDE-GPU")
def test_variable_on_another_device_gives_gradient_2v_eagerly_and_traced_but_xla_refuses_it(where):
    """A Variable placed on the second device, used from a computation on the case's device: eagerly and in `tf.function` d(Σv²)/dv = 2v; XLA refuses with "Trying to access resource ... located in device" (XLA known issues: "tf.Variable on a different device")."""
    with tf.device(where.second_device_name):
        v = tf.Variable(XS, dtype=tf.float32)

    def grad():
        with tf.GradientTape() as tape:
            y = tf.reduce_sum(v * v)
        return tape.gradient(y, v)

    if where.mode == "xla":
        with pytest.raises(tf.errors.InvalidArgumentError, match="Trying to access resource .* located in device"):
            where.run(grad)
        return
    d_v = where.run(grad)
    assert short(d_v.device) == short(where.device_name)
    oracle.assert_close(d_v, 2 * XS, TOL.EXACT, "2v")


# ------------------------------------------------------------------------------------- TensorFloat-32
@pytest.mark.source("API-TF32")
def test_tf32_is_on_by_default_in_tensorflow():
    """TensorFloat-32 is enabled by default in TensorFlow: the setting the suite found before it changed anything was True (API page of enable_tensor_float_32_execution)."""
    assert observe.returned(runtime.capabilities().tf32_was_enabled) is True


@pytest.mark.source("API-TF32")
def test_tf32_is_off_while_the_suite_runs():
    """The suite turns TensorFloat-32 off before the runtime starts, so every float32 value is checked at full float32 precision; it is restored at the end of the run."""
    assert observe.returned(tf.config.experimental.tensor_float_32_execution_enabled()) is False


def _matmul_half_square_grad(a, b):
    with tf.GradientTape() as tape:
        tape.watch(a)
        loss = 0.5 * tf.reduce_sum(tf.matmul(a, b) ** 2)
    return tape.gradient(loss, a)


@pytest.fixture
def matmul_inputs(rng):
    a = rng.standard_normal((256, 512)).astype(np.float32)
    b = rng.standard_normal((512, 128)).astype(np.float32)
    return a, b


def _with_tf32(enabled: bool, fn, *args):
    tf.config.experimental.enable_tensor_float_32_execution(enabled)
    try:
        return fn(*args)
    finally:
        tf.config.experimental.enable_tensor_float_32_execution(False)


@pytest.mark.source("API-TF32")
def test_tf32_setting_leaves_a_float32_matmul_gradient_on_cpu_bit_identical(where, matmul_inputs):
    """On CPU the TensorFloat-32 setting changes nothing: d ½‖AB‖²/dA comes out bit for bit the same with it on and off (TF32 is an NVIDIA GPU feature)."""
    if where.device == "gpu":
        pytest.skip("on Ampere-or-newer GPUs TF32 does change the result: see the next test")
    a, b = (tf.constant(m) for m in matmul_inputs)
    off = _with_tf32(False, where.run, _matmul_half_square_grad, a, b)
    on = _with_tf32(True, where.run, _matmul_half_square_grad, a, b)
    np.testing.assert_array_equal(on.numpy(), off.numpy())
    scale = np.abs(oracle.matmul_half_square_grad(*matmul_inputs)).max()
    oracle.assert_close(off.numpy() / scale, oracle.matmul_half_square_grad(*matmul_inputs) / scale, TOL.F32_MATMUL_GRAD)


@pytest.mark.gpu
@pytest.mark.source("API-TF32")
@pytest.mark.eager_only("the setting is flipped between two calls; eager kernels read it at every call")
def test_tf32_makes_a_float32_matmul_gradient_about_1e_3_wrong_on_ampere_gpus(where, matmul_inputs):
    """On Ampere-or-newer GPUs TensorFloat-32, on by default, rounds matmul inputs to 10 mantissa bits: d ½‖AB‖²/dA is off by about 1e-3 of its largest entry, against under 1e-5 with it off."""
    if where.device == "cpu":
        pytest.skip("TensorFloat-32 exists only on NVIDIA GPUs of compute capability 8.0 or newer")
    if not runtime.capabilities().ampere_or_newer:
        pytest.skip(f"needs compute capability 8.0 or newer, this GPU has {runtime.capabilities().gpu_details}")
    with tf.device(where.device_name):
        a, b = (tf.constant(m) for m in matmul_inputs)
    expected = oracle.matmul_half_square_grad(*matmul_inputs)
    scale = np.abs(expected).max()
    on = _with_tf32(True, where.run, _matmul_half_square_grad, a, b)
    off = _with_tf32(False, where.run, _matmul_half_square_grad, a, b)
    oracle.assert_bracketed(on.numpy() / scale, expected / scale, TOL.TF32_MATMUL_GRAD, "TF32 on")
    oracle.assert_close(off.numpy() / scale, expected / scale, TOL.F32_MATMUL_GRAD, "TF32 off")
