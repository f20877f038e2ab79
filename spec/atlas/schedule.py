"""The op atlas's schedule, a pytest plugin: op by op, and nothing kept once an op is done.

The atlas's cases run op by op: every check of one op, then the next op (the ops in database order, each op's checks
in test order). After an op's last case its `OpResults` (traced kernels, XLA executables, ForwardAccumulator JVP
caches, cached values; spec/atlas/checks.py) is dropped, so memory holds one op's traces at a time instead of every
op's (about 7 GB at the end of --run-slow otherwise). Under pytest-xdist a worker that later gets another case of a
released op computes it again: the same values, only slower.

A failing (or known-bug) atlas case reports its assertion message, which names the expected value, the actual value,
the oracle and the tolerance, at the line of the test that raised it, and not pytest's traceback through
TensorFlow: formatting that traceback parses every source file on the way and costs about 0.1 s per case, which is
minutes over the slow tier's known bugs.
"""
from __future__ import annotations

import functools

import pytest

from spec.atlas import checks


def op_name_of(item) -> str | None:
    """The atlas op of a collected case (a workaround case belongs to its op), or None for anything else."""
    case = getattr(getattr(item, "callspec", None), "params", {}).get("case")
    name = getattr(getattr(case, "op", None), "name", None)
    return None if name is None else name.split(" workaround ")[0]


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """Within the atlas, order the cases op by op (the ops in database order, each op's checks in test order)."""
    slots = [i for i, item in enumerate(items) if op_name_of(item) is not None]
    first_seen: dict[str, int] = {}
    for i in slots:
        first_seen.setdefault(op_name_of(items[i]), len(first_seen))
    ordered = sorted((items[i] for i in slots), key=lambda item: first_seen[op_name_of(item)])  # stable
    for i, item in zip(slots, ordered):
        items[i] = item


@pytest.hookimpl(trylast=True)
def pytest_runtest_teardown(item, nextitem):
    """After an op's last case (the next case is another op's, or none), drop everything computed for it."""
    name = op_name_of(item)
    if name is not None and (nextitem is None or op_name_of(nextitem) != name):
        release(name)


def release(name: str) -> None:
    for key in [k for k in checks.RESULTS if k == name or k.startswith(name + " workaround ")]:
        del checks.RESULTS[key]


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """An atlas case's failure is its message at the test's line (see the module docstring)."""
    if call.excinfo is not None and op_name_of(item) is not None:
        item.repr_failure = functools.partial(short_failure, item)
    return (yield)


def short_failure(item, excinfo, style=None) -> str:
    """`path:line: Type: message`, the line being the test's own where the exception passed through it."""
    here = next((entry for entry in reversed(excinfo.traceback) if entry.path == item.path), None)
    where = f"{item.location[0]}:{here.lineno + 1}" if here is not None else item.location[0]
    message = str(excinfo.value).split("\nassert ")[0]  # the message itself, without pytest's restatement of `assert not ...`
    return f"{where}: {excinfo.typename}: {message}"
