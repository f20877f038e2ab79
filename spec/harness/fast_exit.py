"""End the `pytest` process without tearing TensorFlow down, once pytest has finished everything.

After `pytest -v --run-slow` the process holds thousands of traced functions, XLA executables and JVP caches.
Python's shutdown then spends about 40 seconds (measured on 2 cores) in TensorFlow's C++ destructors,
after SPEC.md, the JUnit XML and the benchmark files are written and pytest has printed its summary and
unconfigured every plugin. That teardown checks nothing, so the process leaves with `os._exit(<pytest's
exit status>)` from an atexit handler instead: stdout, stderr and logging are flushed first.

Only where pytest is the program (`pytest ...` or `python -m pytest ...`): a program that calls
`pytest.main()` itself keeps its own exit, and so do pytest-xdist's workers. If a plugin raises while
unconfiguring, the handler is never installed and the exit is Python's own, with pytest's status for it.
TAPESPEC_FULL_EXIT=1 keeps Python's shutdown too (e.g. under `coverage run`, whose own atexit handler would
otherwise not run).
"""
from __future__ import annotations

import atexit
import logging
import os
import pathlib
import sys

import pytest


def invoked_as_the_pytest_command() -> bool:
    """Whether this process is the `pytest` command (or `python -m pytest`), not a host calling pytest.main()."""
    program = pathlib.Path(sys.argv[0] if sys.argv else "")
    return program.name in ("pytest", "py.test") or program.parts[-2:] == ("pytest", "__main__.py")


def pytest_sessionstart(session):
    session.config.tapespec_session = session


@pytest.hookimpl(trylast=True)
def pytest_unconfigure(config):
    session = getattr(config, "tapespec_session", None)
    if (session is None or hasattr(config, "workerinput") or not invoked_as_the_pytest_command()
            or os.environ.get("TAPESPEC_FULL_EXIT") == "1"):
        return
    status = int(session.exitstatus)

    def leave_without_teardown():
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except (OSError, ValueError):
                pass
        logging.shutdown()
        os._exit(status)

    atexit.register(leave_without_teardown)  # registered last, so it runs first
