"""Slow tests: the option that bounds them and the fixture that hands the bound to a test.

Tests marked `slow` take more than a few seconds (the MultiWorkerMirroredStrategy spec starts two worker
processes, each importing TensorFlow). They are part of the default run, so `pytest -v` and `.ci/run`
include them; `pytest -m "not slow"` leaves them out for a quick pass.

`--distribution-timeout=SECONDS` (default 120) is the wall-clock bound on the worker processes the
distribution chapter starts; past it they are killed and the test fails, naming the bound.
"""
from __future__ import annotations

import pytest

DEFAULT_DISTRIBUTION_TIMEOUT_S = 120.0


def pytest_addoption(parser):
    group = parser.getgroup("tapespec")
    group.addoption(
        "--distribution-timeout", type=float, default=DEFAULT_DISTRIBUTION_TIMEOUT_S, metavar="SECONDS",
        help="bound on the worker processes of the MultiWorkerMirroredStrategy spec; past it they are killed "
        f"and the test fails (default {DEFAULT_DISTRIBUTION_TIMEOUT_S:g})",
    )


def pytest_configure(config):
    timeout = config.getoption("--distribution-timeout")
    if not timeout > 0:
        raise pytest.UsageError(f"--distribution-timeout={timeout:g}: must be a positive number of seconds")


@pytest.fixture(scope="session")
def distribution_timeout(pytestconfig) -> float:
    """Seconds the multi-worker spec waits for its worker processes (`--distribution-timeout`)."""
    return pytestconfig.getoption("--distribution-timeout")
