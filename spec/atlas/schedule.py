"""The op atlas's schedule, a pytest plugin: op by op, and nothing kept once an op is done.

The atlas's cases run op by op: every check of one op, then the next op (the ops in database order, each op's checks
in test order). After an op's last case its `OpResults` (traced kernels, XLA executables, ForwardAccumulator JVP
caches, cached values; spec/atlas/checks.py) is dropped, so memory holds one op's traces at a time instead of every
op's (about 7 GB at the end of --run-slow otherwise). Under pytest-xdist a worker that later gets another case of a
released op computes it again: the same values, only slower.
"""
from __future__ import annotations

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
