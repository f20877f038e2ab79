"""TensorFlow runtime set-up for the whole run, done once before any test is collected.

Everything here must happen before TensorFlow's runtime starts (the first op it runs): splitting the
CPU into logical devices, GPU memory growth and TensorFloat-32 cannot be changed afterwards. Test
modules therefore never run TensorFlow ops at import time.
"""
from __future__ import annotations

import dataclasses
import os
import pathlib

# Importing TensorFlow imports Keras and matplotlib, which write a config file and a font cache into
# the home directory. Keep them under artifacts/.cache (git-ignored) so the suite writes nowhere else.
_CACHE = pathlib.Path(__file__).resolve().parents[2] / "artifacts" / ".cache"
os.environ.setdefault("KERAS_HOME", str(_CACHE / "keras"))
os.environ.setdefault("MPLCONFIGDIR", str(_CACHE / "matplotlib"))
os.environ.setdefault("MPLBACKEND", "Agg")

# C++ log noise off before TensorFlow is imported (INFO and WARNING from the runtime). Python-side
# warnings still go to the `tensorflow` logger, where the spec asserts them with caplog.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")  # also hides "failed call to cuInit" on CPU-only machines
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")  # oneDNN reorders float ops: results vary by CPU

import pytest  # noqa: E402
import tensorflow as tf  # noqa: E402

LOGICAL_CPUS = 2  # enough for forward-on-one-device / gradient-on-another and a two-replica strategy


@dataclasses.dataclass(frozen=True)
class Capabilities:
    """What this machine offers, computed once (trio-style capability marks)."""

    gpus: tuple[str, ...]
    gpu_details: dict
    cpus: tuple[str, ...]
    tf32_was_enabled: bool

    @property
    def has_gpu(self) -> bool:
        return bool(self.gpus)

    @property
    def ampere_or_newer(self) -> bool:
        cc = self.gpu_details.get("compute_capability")
        return bool(cc) and tuple(cc) >= (8, 0)


CAPS: Capabilities | None = None
NO_GPU_REASON = "no GPU visible to TensorFlow on this machine (run on a GPU runner; --require-gpu makes that an error)"


def capabilities() -> Capabilities:
    assert CAPS is not None, "runtime.configure() runs in pytest_configure"
    return CAPS


def configure(require_gpu: bool) -> Capabilities:
    """Configure devices before the runtime starts and record what is there."""
    global CAPS
    if CAPS is not None:
        return CAPS
    tf.get_logger().setLevel("WARNING")
    gpus = tf.config.list_physical_devices("GPU")
    if require_gpu and not gpus:
        raise pytest.UsageError(
            "--require-gpu was given but TensorFlow sees no GPU "
            f"(tf.config.list_physical_devices('GPU') is empty; TensorFlow {tf.__version__}). "
            "Install tensorflow[and-cuda] and check the driver with nvidia-smi."
        )
    for gpu in gpus:
        tf.config.experimental.set_memory_growth(gpu, True)
    details = tf.config.experimental.get_device_details(gpus[0]) if gpus else {}
    cpus = tf.config.list_physical_devices("CPU")
    tf.config.set_logical_device_configuration(
        cpus[0], [tf.config.LogicalDeviceConfiguration() for _ in range(LOGICAL_CPUS)]
    )
    # Correctness runs with TensorFloat-32 off: on Ampere-or-newer GPUs it is on by default and
    # rounds float32 matmul inputs to 10 mantissa bits. Restored in restore().
    tf32 = tf.config.experimental.tensor_float_32_execution_enabled()
    tf.config.experimental.enable_tensor_float_32_execution(False)
    CAPS = Capabilities(
        gpus=tuple(g.name for g in gpus),
        gpu_details=dict(details),
        cpus=tuple(d.name for d in tf.config.list_logical_devices("CPU")),
        tf32_was_enabled=tf32,
    )
    return CAPS


def restore() -> None:
    if CAPS is not None:
        tf.config.experimental.enable_tensor_float_32_execution(CAPS.tf32_was_enabled)
