"""The TensorFlow releases the spec runs on: which one is running, and comparing releases.

Versions are parsed by `packaging.version` (PEP 440: it also reads tf-nightly's `2.23.0-dev20261026` and rc
builds) and compared by their release numbers only, so a nightly of 2.23.0 counts as 2.23.0 and a gate "since
2.17" holds for 2.17.0rc1 too: `parse("2.17.1") == (2, 17, 1)`. A bound of fewer numbers compares on those
numbers: "2.17" covers every 2.17.x.
"""
from __future__ import annotations

from packaging.version import InvalidVersion, Version

#: The releases the spec supports and CI runs (besides tf-nightly); the release table has one column each.
SUPPORTED = ("2.16", "2.17", "2.18", "2.19", "2.20", "2.21")


def parse(version: str) -> tuple[int, ...]:
    """'2.17.1' -> (2, 17, 1); '2.23.0-dev20261026' / '2.23.0.dev20261026' -> (2, 23, 0); '2.18' -> (2, 18)."""
    try:
        return Version(str(version).strip()).release
    except InvalidVersion:
        raise ValueError(f"not a version: {version!r}") from None


def _at_least(version: tuple[int, ...], bound: tuple[int, ...]) -> bool:
    return version[: len(bound)] >= bound


def within(version: tuple[int, ...], since: str | None = None, until: str | None = None) -> bool:
    """since <= version < until, by release numbers (either bound may be None: open on that side)."""
    return (since is None or _at_least(version, parse(since))) and (until is None or not _at_least(version, parse(until)))


def span_words(since: str | None = None, until: str | None = None) -> str:
    """The releases since <= r < until in words: "since 2.18", "before 2.20", "2.18 up to (not including) 2.20"."""
    if since and until:
        return f"{since} up to (not including) {until}"
    return f"since {since}" if since else (f"before {until}" if until else "")


def tensorflow_version() -> str:
    import tensorflow as tf

    return tf.__version__
