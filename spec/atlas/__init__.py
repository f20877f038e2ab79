"""The op atlas's database: one `Op` record per public differentiable op, grouped by family.

Each family module (`family_*.py`) defines `FAMILY` (its title; `FAMILIES` maps the short name to it) and `OPS` (a list of records built with
the helpers in `records.py`). `ALL_OPS` is every record in family order; names are unique. The generic
runner is `spec/test_20_op_atlas.py`; how a record is checked is in `spec/atlas/kernels.py` (the computations) and `spec/atlas/checks.py` (running them
once per op and mode, cached).
"""
from __future__ import annotations

import dataclasses
import importlib
import pkgutil

from spec.atlas.records import Op


FAMILIES: dict[str, str] = {}  # filled by _load: short name (the module's, without family_) -> title


def _load() -> list[Op]:
    ops: list[Op] = []
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if not info.name.startswith("family_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        FAMILIES[info.name.removeprefix("family_")] = module.FAMILY
        ops.extend(dataclasses.replace(entry, family=info.name.removeprefix("family_")) for entry in module.OPS)
    names = [entry.name for entry in ops]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    assert not duplicates, f"op atlas: names listed twice: {duplicates}"
    return ops


def __getattr__(name: str):
    """ALL_OPS and BY_NAME are built on first use, so importing spec.atlas.records (as chapters do for
    KnownBug) does not import every family."""
    if name == "ALL_OPS":
        globals()["ALL_OPS"] = _load()
        return globals()["ALL_OPS"]
    if name == "BY_NAME":
        globals()["BY_NAME"] = {entry.name: entry for entry in __getattr__("ALL_OPS")}
        return globals()["BY_NAME"]
    raise AttributeError(name)
