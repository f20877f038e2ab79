"""Slow tests: the option that bounds them and the fixture that hands the bound to a test.

Tests marked `slow` take more than a few seconds because they start fresh TensorFlow processes (the
MultiWorkerMirroredStrategy spec starts two workers; the SavedModel specs load a model in a new process).
`pytest -v` skips them with that reason, so the everyday run stays near a minute on 2 cores;
`pytest -v --run-slow` includes them, and `.ci/run` always passes it. `--run-exhaustive` adds the specs marked
`exhaustive` on top (the op atlas in tf.function, forward mode and nested forward compositions on samples, XLA on
samples, every workaround in every mode, the registry coverage), beyond the slow tier's time budget.

`--distribution-timeout=SECONDS` (default 120) is the wall-clock bound on the worker processes the
distribution chapter starts; past it they are killed and the test fails, naming the bound.
"""
from __future__ import annotations

import pytest

DEFAULT_DISTRIBUTION_TIMEOUT_S = 120.0


SLOW_REASON = "slow: starts fresh TensorFlow processes (5-20 s); run with --run-slow, as .ci/run does"


def pytest_addoption(parser):
    group = parser.getgroup("tapespec")
    group.addoption(
        "--run-slow", action="store_true", default=False,
        help="also run the specs marked slow (they start fresh TensorFlow processes); CI passes it",
    )
    group.addoption(
        "--run-exhaustive", action="store_true", default=False,
        help="also run the specs marked exhaustive (implies --run-slow): the op atlas in tf.function, forward mode and "
        "nested forward compositions on samples, XLA on samples, every workaround in every mode, the registry coverage",
    )
    group.addoption(
        "--distribution-timeout", type=float, default=DEFAULT_DISTRIBUTION_TIMEOUT_S, metavar="SECONDS",
        help="bound on the worker processes of the MultiWorkerMirroredStrategy spec; past it they are killed "
        f"and the test fails (default {DEFAULT_DISTRIBUTION_TIMEOUT_S:g})",
    )


def pytest_configure(config):
    if config.getoption("--run-exhaustive"):
        config.option.run_slow = True  # the exhaustive tier is the slow tier and more
    timeout = config.getoption("--distribution-timeout")
    if not timeout > 0:
        raise pytest.UsageError(f"--distribution-timeout={timeout:g}: must be a positive number of seconds")


def pytest_collection_modifyitems(config, items):
    if not config.getoption("--run-exhaustive"):
        for item in items:
            mark = item.get_closest_marker("exhaustive")
            if mark:
                item.add_marker(pytest.mark.skip(reason=mark.kwargs.get("reason", "exhaustive: run with --run-exhaustive")))
    if config.getoption("--run-slow"):
        return
    for item in items:
        mark = item.get_closest_marker("slow")
        if mark:  # @pytest.mark.slow(reason="...") names its own cost; bare `slow` is a fresh-process spec
            item.add_marker(pytest.mark.skip(reason=mark.kwargs.get("reason", SLOW_REASON)))


@pytest.fixture(scope="session")
def distribution_timeout(pytestconfig) -> float:
    """Seconds the multi-worker spec waits for its worker processes (`--distribution-timeout`)."""
    return pytestconfig.getoption("--distribution-timeout")
