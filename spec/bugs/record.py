"""The known-bug record: where TensorFlow's gradient is wrong, what is right, and what to do about it.

A `KnownBug` marks the cases it breaks with a strict xfail that asserts the mathematically correct value: when a
release fixes the bug its cases XPASS, which fails the run and asks for the record to be updated. Besides the
upstream link and a reproducer it carries what a reader needs: its `kind` (a bug, or a convention at a point with no
derivative), the other upstream links and the searches that found them, and a `Workaround` that the spec runs.

The check and mode names are the op atlas's (spec/test_20_op_atlas.py); a chapter's bug names none of them.
"""
from __future__ import annotations

import dataclasses
import re
from typing import Callable

from spec.harness import releases

#: the checks the runner makes per op; a KnownBug or a skip names the ones it concerns
FIRST_ORDER = ("reverse", "forward")
SECOND_ORDER = ("reverse_over_reverse", "forward_over_reverse", "reverse_over_forward", "forward_over_forward")
POINT_CHECKS = ("special_reverse", "special_forward")
#: second order at a special point, one check per composition, and the third derivative (reverse³)
POINT_SECOND = tuple(f"special_{c}" for c in SECOND_ORDER)
POINT_THIRD = ("special_third",)
#: first order in the float64 tails (relative comparison)
TAIL_CHECKS = ("tail_reverse", "tail_forward")
CHECKS = FIRST_ORDER + SECOND_ORDER + POINT_CHECKS + POINT_SECOND + POINT_THIRD + TAIL_CHECKS + ("float32", "gpu")
MODES = ("eager", "function", "xla")


#: what kind of thing a known bug is (SPEC.md counts each apart; "convention" is not counted as a bug)
KINDS = {
    "wrong value": "the function is differentiable there and TensorFlow returns another value (NaN included)",
    "missing gradient": "the function is differentiable but the tape raises (no registered gradient) or returns None/0",
    "mode failure": "one execution mode or composition raises or disagrees where the others are right",
    "precision": "computed in a lower precision than the dtype asked for",
    "tail": "0 or inf in the float64 tails where the true derivative is a representable number",
    "convention": "no derivative exists at the point: TensorFlow returns NaN/inf where a finite subgradient exists, "
                  "or picks another one-sided value than the one stated",
}


@dataclasses.dataclass(frozen=True)
class KnownBug:
    """TensorFlow's gradient is wrong here; the test asserts the right value under a strict xfail.

    `issue` is the upstream issue's URL (github.com/tensorflow/tensorflow or keras-team/keras) or
    "unreported"; `reproducer` is the minimal code a maintainer would run; `checks` and `modes` say
    which cases it breaks (a fix makes exactly those XPASS, which strict xfail turns into a failure
    asking for this record to be updated).
    """

    summary: str
    issue: str
    reproducer: str
    checks: tuple[str, ...] = POINT_CHECKS
    modes: tuple[str, ...] = MODES
    dtypes: tuple[str, ...] = ("float64", "float32")
    since: str | None = None  # the first release that has the bug (None: every supported release)
    until: str | None = None  # the release that fixed it (None: not fixed in the pinned release)
    releases_why: str = ""  # with since/until: what changed in that release (the cause, in one sentence)
    symptom: str = ""  # text the failure must contain for the xfail to count (spec/bugs/symptoms.py)
    kind: str = ""  # one of KINDS
    kind_why: str = ""  # one line: why it is that kind (for a convention: what PyTorch and JAX return there)
    related: tuple[str, ...] = ()  # further upstream links (fix PRs, duplicates, comments), each a github.com URL
    searched: tuple[str, ...] = ()  # the search terms used on the TensorFlow and Keras trackers
    workaround: Workaround | None = None  # code a user can paste today, run by the spec in every mode
    no_workaround: str = ""  # why there is none (a missing kernel), where workaround is None and kind is a bug

    def __post_init__(self):
        unknown = set(self.checks) - set(CHECKS) | set(self.modes) - set(MODES)
        assert not unknown, f"KnownBug names unknown checks or modes: {sorted(unknown)}"
        assert self.issue == "unreported" or self.issue.startswith("https://github.com/"), self.issue
        assert not self.kind or self.kind in KINDS, f"KnownBug kind {self.kind!r} is not one of {sorted(KINDS)}"
        assert all(link.startswith("https://github.com/") for link in self.related), self.related
        assert not (self.since or self.until) or self.releases_why, "a KnownBug with since/until says why (releases_why)"
        missing = re.search(r"got LookupError: gradient registry has no entry for: (\w+)", self.reproducer)
        if not self.symptom and missing:  # a missing gradient's own error is its symptom
            object.__setattr__(self, "symptom", f"gradient registry has no entry for: {missing.group(1)}")

    def present(self, version: str | None = None) -> bool:
        """Whether the running TensorFlow (or `version`) has this bug: since <= version < until."""
        if self.since is None and self.until is None:
            return True
        return releases.within(releases.parse(version or releases.tensorflow_version()), self.since, self.until)

    def releases(self) -> str:
        """The releases with the bug, in words: "" (all), "since 2.18", "before 2.20", "2.18 up to (not including) 2.20"."""
        return releases.span_words(self.since, self.until)

    def applies(self, check: str, mode: str, dtype: str = "float64", version: str | None = None) -> bool:
        return check in self.checks and mode in self.modes and dtype in self.dtypes and self.present(version)

    def marks(self) -> list:
        """The marks of a case this bug breaks: `known_bug` (for the report) and a strict xfail on AssertionError.

        None on a release without the bug (since/until): there the case is a plain check of the right value."""
        import pytest

        # a bug of some releases only: a row of SPEC.md's behaviour × release table on every release
        span = [pytest.mark.bug_releases(since=self.since, until=self.until, reason=self.releases_why)] if self.releases() else []
        if not self.present():
            return span
        where = f" (TensorFlow {self.releases()}: {self.releases_why})" if self.releases() else ""
        return span + [pytest.mark.known_bug(self),
                pytest.mark.xfail(strict=True, raises=AssertionError,
                                  reason=f"known TensorFlow bug ({self.issue}): {self.summary}{where}")]

    def as_data(self) -> dict:
        """The record as JSON-friendly data, for the report (it travels on test reports, also under pytest-xdist)."""
        return {"summary": self.summary, "issue": self.issue, "reproducer": self.reproducer, "kind": self.kind,
                "kind_why": self.kind_why, "related": list(self.related), "searched": list(self.searched),
                "workaround": None if self.workaround is None else {"code": self.workaround.code, "name": self.workaround.name},
                "no_workaround": self.no_workaround, "releases": self.releases(), "releases_why": self.releases_why}

    @property
    def is_bug(self) -> bool:
        """A TensorFlow bug (every kind but a convention at a point with no derivative)."""
        return self.kind != "convention"

    def __call__(self, test):
        """Use as a decorator on a chapter's test: `@KnownBug(...)`."""
        for mark in self.marks():
            test = mark(test)
        return test


@dataclasses.dataclass(frozen=True)
class Workaround:
    """Code a user can paste today in place of the op: it defines the function `name` with the record's call
    signature (a reformulation, a safe composition, or a tf.custom_gradient with the correct rule). The atlas runs
    it through the same checks and oracle as the bug, in eager, tf.function and XLA, and it must pass there (the
    slow tier runs its first eager case, the exhaustive tier every check, point and mode)."""

    code: str
    name: str

    def load(self) -> Callable:
        """The function the code defines, from the code exactly as SPEC.md shows it."""
        namespace: dict = {}
        exec(compile(self.code, f"<workaround {self.name}>", "exec"), namespace)  # noqa: S102 - our own record
        return namespace[self.name]


def known_bug_of(item):
    """The KnownBug an item's `known_bug` mark carries (the closest one), or None."""
    return next((m.args[0] for m in item.iter_markers("known_bug") if m.args), None)
