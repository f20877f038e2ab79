"""tapespec's pytest configuration: options, the TensorFlow runtime set-up, shared fixtures.

The plugins live in the packages that own their concern (spec/harness, spec/bugs, spec/atlas, spec/report,
spec/upgrade, spec/selfcheck) and are listed in `pytest_plugins`.
"""
from __future__ import annotations

import functools
import inspect
import pathlib
import sys
import tempfile
import zlib

from spec.harness import runtime  # first: sets TensorFlow's log level before TensorFlow is imported

import numpy as np  # noqa: E402
import pytest  # noqa: E402
import tensorflow as tf  # noqa: E402

from spec.harness import modes  # noqa: E402

# In this order: SPEC.md's sections appear in the order their plugins register (the op atlas, the release table,
# "Changed since"), and the oracle's comparisons are wrapped by the baseline's recorder before the report's.
pytest_plugins = [
    "spec.report.collect",  # SPEC.md and SPEC.html
    "spec.report.atlas",  # the op atlas: its table, overview picture and registry coverage
    "spec.report.bugs",  # the known TensorFlow gradient bugs by kind, with their workarounds
    "spec.atlas.schedule",  # the atlas op by op, an op's traces dropped after its last case
    "spec.selfcheck.faults",  # TAPESPEC_FAULT: break autodiff on purpose
    "spec.harness.slow",  # --run-slow
    "spec.upgrade.gates",  # since/until, and the table behaviour x release
    "spec.upgrade.baseline",  # the baseline and "Changed since"
    "spec.harness.observe",  # what TensorFlow returned, for the report
    "spec.harness.pictures",  # the teaching pictures
    "spec.harness.fast_exit",  # no C++ teardown after pytest has finished
    "spec.bugs.symptoms",  # a known bug's strict xfail counts only with its symptom
]

ROOT = pathlib.Path(__file__).resolve().parent
SEED = 20261121  # every test starts from this seed; rng gives each test its own stable stream


def pytest_addoption(parser):
    group = parser.getgroup("tapespec")
    group.addoption(
        "--artifacts-dir", default=None, metavar="PATH",
        help="where plots, reports and benchmark results are written (default: artifacts/ next to "
        "conftest.py). Write it as --artifacts-dir=PATH: pytest reads a separate existing PATH as a test path",
    )
    group.addoption(
        "--require-gpu", action="store_true", default=False,
        help="exit with a usage error at start when TensorFlow sees no GPU (for GPU CI jobs)",
    )


def _artifacts_dir(config) -> pathlib.Path:
    given = config.getoption("--artifacts-dir")
    path = pathlib.Path(given).expanduser() if given else ROOT / "artifacts"
    path = path if path.is_absolute() else pathlib.Path(config.invocation_params.dir) / path
    if path.exists() and not path.is_dir():
        raise pytest.UsageError(f"--artifacts-dir {given or path}: exists and is not a directory")
    try:
        path.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=path):
            pass
    except OSError as err:
        raise pytest.UsageError(f"--artifacts-dir {given or path}: cannot be written ({err.strerror})") from None
    return path


def pytest_configure(config):
    config.artifacts_dir = _artifacts_dir(config)
    runtime.configure(require_gpu=config.getoption("--require-gpu"))


def pytest_unconfigure(config):
    runtime.restore()


def pytest_report_header(config):
    caps = runtime.capabilities()
    return [
        f"tapespec: TensorFlow {tf.__version__}, NumPy {np.__version__}",
        f"tapespec: devices CPU x{len(caps.cpus)} (logical), GPU: {', '.join(caps.gpus) or 'none'}; "
        f"modes {', '.join(modes.MODES)}; artifacts in {config.artifacts_dir}",
    ]


def pytest_generate_tests(metafunc):
    modes.parametrize_where(metafunc)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Report every "no GPU" skip at the one place that decides it, so `-ra` folds them into one line."""
    report = yield
    if report.skipped and isinstance(report.longrepr, tuple) and runtime.NO_GPU_REASON in report.longrepr[2]:
        report.longrepr = (*_gpu_skip_location(), report.longrepr[2])
    return report


@functools.cache
def _gpu_skip_location() -> tuple[str, int]:
    """modes.where_fixture's `pytest.skip` line, looked up once for the whole run."""
    source, first = inspect.getsourcelines(modes.where_fixture)
    line = first + next(i for i, text in enumerate(source) if "pytest.skip" in text)
    return str(pathlib.Path(modes.__file__).relative_to(ROOT)), line


@pytest.fixture
def where(request) -> modes.Where:
    """The execution mode and device of this case (ids like `eager-cpu`, `xla-gpu`)."""
    return modes.where_fixture(request)


@pytest.fixture(autouse=True)
def _fixed_seeds(request):
    """Every test starts from the same global seeds, whatever ran before it (Keras's too, once it is imported:
    an unseeded Keras initializer then draws the same weights in a serial and in a parallel run).

    Op-atlas cases draw nothing from TensorFlow's global generator (their inputs are NumPy arrays seeded by the op's
    name, their samplers stateless ops with explicit seeds), so they skip `tf.random.set_seed`: it also empties
    TensorFlow's eager kernel cache, and re-creating every kernel in each of thousands of cases costs more than the
    checks themselves (the default tier's atlas: 14.8 s with it, 8.9 s without)."""
    np.random.seed(SEED % 2**32)
    if request.node.get_closest_marker("atlas") is not None:
        return
    tf.random.set_seed(SEED)
    keras = sys.modules.get("keras")
    if keras is not None:
        keras.utils.set_random_seed(SEED % 2**32)


@pytest.fixture
def rng(request) -> np.random.Generator:
    """A numpy Generator seeded from the test's name (not its parameters): stable per test, independent of order."""
    return np.random.default_rng(zlib.adler32(request.node.originalname.encode()))


@pytest.fixture(scope="session")
def artifacts_dir(pytestconfig) -> pathlib.Path:
    """Where generated files go (`--artifacts-dir`, default artifacts/); git ignores its contents."""
    return pytestconfig.artifacts_dir


@pytest.fixture(scope="session")
def save_plot(artifacts_dir):
    """save_plot(name, x, {label: y}, title=..., xlabel=..., ylabel=...) writes artifacts/plots/<name>.png."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    def save(name, x, curves, *, title, xlabel, ylabel) -> pathlib.Path:
        out = artifacts_dir / "plots" / f"{name}.png"
        out.parent.mkdir(parents=True, exist_ok=True)
        fig, ax = plt.subplots(figsize=(6.4, 4.0), dpi=100)
        for label, y in curves.items():
            ax.plot(np.asarray(x), np.asarray(y), label=label)
        ax.set(title=title, xlabel=xlabel, ylabel=ylabel)
        ax.grid(True, alpha=0.3)
        ax.legend()
        fig.tight_layout()
        fig.savefig(out)
        plt.close(fig)
        return out

    return save
