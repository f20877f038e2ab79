"""Every known bug of the spec with where it is recorded: the op atlas's records and the chapters' KnownBugs."""
from __future__ import annotations

import dataclasses
import importlib
import pathlib

from spec.bugs import KnownBug

ROOT = pathlib.Path(__file__).resolve().parents[2]


@dataclasses.dataclass
class Found:
    """One known bug and where the spec records it: the atlas op (with the points it breaks) or the chapter's test module."""

    bug: KnownBug
    op: object | None = None  # the atlas record (spec.atlas.records.Op), or None for a chapter's bug
    points: list = dataclasses.field(default_factory=list)  # the op's special or tail points the bug breaks
    chapter: str = ""  # for a chapter's bug: its file

    @property
    def subject(self) -> str:
        return self.op.name if self.op is not None else self.chapter

    @property
    def slug(self) -> str:
        base = (self.op.name if self.op is not None else pathlib.Path(self.chapter).stem) + "-" + self.bug.summary[:40]
        return "".join(c if c.isalnum() or c in ".-" else "-" for c in base).strip("-").lower()


def atlas_bugs() -> list[Found]:
    """Each (op, bug) pair of the atlas once, with the points the bug breaks on that op."""
    from spec.atlas import ALL_OPS

    found: dict = {}
    for entry in ALL_OPS:
        for bug in entry.bugs:
            found.setdefault((entry.name, bug.summary), Found(bug, entry))
        for point in (*entry.points, *entry.tails):
            for bug in (point.bug, getattr(point.second, "bug", None), getattr(point.third, "bug", None)):
                if bug is not None:
                    found.setdefault((entry.name, bug.summary), Found(bug, entry)).points.append(point)
    return list(found.values())


def chapter_bugs() -> list[Found]:
    """The KnownBugs a chapter module defines at its top level (the chapters run no TensorFlow op at import)."""
    found = []
    for path in sorted((ROOT / "spec").glob("test_*.py")):
        module = importlib.import_module(f"spec.{path.stem}")
        for value in vars(module).values():
            if isinstance(value, KnownBug):
                found.append(Found(value, chapter=str(path.relative_to(ROOT))))
    return found


def all_bugs() -> list[Found]:
    """Every recorded bug: the atlas's (op by op) then the chapters'."""
    return atlas_bugs() + chapter_bugs()


def select(found: list[Found], query: str) -> list[Found]:
    """The bugs whose op, chapter file or summary contains `query` (an exact op name matches only that op)."""
    exact = [f for f in found if f.subject == query]
    return exact or [f for f in found if query in f.subject or query.lower() in f.bug.summary.lower()]
