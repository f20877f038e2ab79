"""The op atlas's records: what is checked for one public op, kept apart from how it is checked.

An entry is an `Op`: the public callable as users call it (`tf.math.xlogy`, `keras.ops.logsumexp`), which
positional arguments are differentiable, samples (scalar, vector, broadcasting and batched shapes, and
every keyword that changes the mathematics), its domain in words, and `Point`s: special inputs with the
mathematically correct gradient there, from a closed form or a limit, never from TensorFlow. Where
TensorFlow is wrong, the entry carries a `KnownBug` (upstream link or "unreported", and a reproducer);
the runner then asserts the correct value under a strict xfail.

Releases: a `KnownBug` with `since`/`until` exists only on those releases (elsewhere its cases are plain
checks of the right value); an `Op`'s `gates` (`since(...)`/`until(...)`, the marks of
spec/support/versions.py) skip the cases of a check or mode a release cannot run, with the reason, and
list them in SPEC.md's "Behaviours that differ between releases".

Entries are pure data built with numpy at import time; no TensorFlow op runs until a test does. The
builders at the bottom (`unary`, `binary`, `op`) keep a family file to one line of intent per op.
"""
from __future__ import annotations

import dataclasses
import re
import zlib
from typing import Callable, Sequence

import numpy as np

from spec.tolerances import Tol

#: the checks the runner makes per op; a KnownBug or a skip names the ones it concerns
FIRST_ORDER = ("reverse", "forward")
SECOND_ORDER = ("reverse_over_reverse", "forward_over_reverse", "reverse_over_forward", "forward_over_forward")
POINT_CHECKS = ("special_reverse", "special_forward")
CHECKS = FIRST_ORDER + SECOND_ORDER + POINT_CHECKS + ("float32", "gpu")
MODES = ("eager", "function", "xla")


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
    symptom: str = ""  # text the failure must contain for the xfail to count (spec/support/known_bugs.py)

    def __post_init__(self):
        unknown = set(self.checks) - set(CHECKS) | set(self.modes) - set(MODES)
        assert not unknown, f"KnownBug names unknown checks or modes: {sorted(unknown)}"
        assert self.issue == "unreported" or self.issue.startswith("https://github.com/"), self.issue
        assert not (self.since or self.until) or self.releases_why, "a KnownBug with since/until says why (releases_why)"
        missing = re.search(r"got LookupError: gradient registry has no entry for: (\w+)", self.reproducer)
        if not self.symptom and missing:  # a missing gradient's own error is its symptom
            object.__setattr__(self, "symptom", f"gradient registry has no entry for: {missing.group(1)}")

    def present(self, version: str | None = None) -> bool:
        """Whether the running TensorFlow (or `version`) has this bug: since <= version < until."""
        if self.since is None and self.until is None:
            return True
        from spec.support import versions

        return versions.within(versions.parse(version or versions.tensorflow_version()), self.since, self.until)

    def releases(self) -> str:
        """The releases with the bug, in words: "" (all), "since 2.18", "before 2.20", "2.18 up to (not including) 2.20"."""
        from spec.support import versions

        return versions.span_words(self.since, self.until)

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

    def __call__(self, test):
        """Use as a decorator on a chapter's test: `@KnownBug(...)`."""
        for mark in self.marks():
            test = mark(test)
        return test


@dataclasses.dataclass(frozen=True)
class Sample:
    """One call: positional `args` (float arrays at the differentiable positions, anything else as is)."""

    args: tuple
    kwargs: dict = dataclasses.field(default_factory=dict)
    label: str = ""


@dataclasses.dataclass(frozen=True)
class Point:
    """A special input and the correct gradient of sum(outputs) there, per differentiable argument.

    `grads` holds one array per differentiable argument (None: not asserted). `why` says where the value
    comes from (a closed form, a limit, a one-sided derivative, a documented convention). `bug` marks a
    point where TensorFlow returns something else.
    """

    label: str
    args: tuple
    grads: tuple
    why: str
    kwargs: dict = dataclasses.field(default_factory=dict)
    bug: KnownBug | None = None


@dataclasses.dataclass(frozen=True)
class Op:
    """One public differentiable op as users call it, and what the atlas checks of it."""

    name: str  # the public spelling, also the case id: "tf.math.xlogy"
    fn: Callable
    samples: tuple[Sample, ...]
    diff: tuple[int, ...]  # positions of the differentiable arguments
    domain: str  # in words: "x > 0", "all reals", "y > 0; x any"
    family: str = ""
    points: tuple[Point, ...] = ()
    bugs: tuple[KnownBug, ...] = ()  # bugs away from special points (a wrong rule everywhere, a mode, float32)
    skips: dict = dataclasses.field(default_factory=dict)  # check or mode -> reason it cannot run
    f32_tol: Tol | None = None  # float32 vs float64 tolerance when the default does not fit (with its reason)
    keras: bool = False  # keras.ops wrapper: the case is marked `keras`
    second_order_sample: int = -1  # the sample second order is checked on (default: the last, usually broadcasting)
    gates: tuple[Gate, ...] = ()  # checks or modes specified only on some releases (the op or its gradient is newer)

    def bug_for(self, check: str, mode: str, dtype: str = "float64", version: str | None = None) -> KnownBug | None:
        return next((b for b in self.bugs if b.applies(check, mode, dtype, version)), None)

    def gates_for(self, check: str, mode: str) -> list[Gate]:
        return [g for g in self.gates if (not g.checks or check in g.checks) and (not g.modes or mode in g.modes)]


@dataclasses.dataclass(frozen=True)
class Gate:
    """What the op's record specifies holds only from release `since` on, or only before `until`
    (spec/support/versions.py): outside, its cases are skipped with `reason`, which names the release and the
    cause ("tf.X exists since 2.17"). `checks` / `modes` narrow it (empty: every case of the op)."""

    reason: str
    since: str | None = None
    until: str | None = None
    checks: tuple[str, ...] = ()
    modes: tuple[str, ...] = ()

    def __post_init__(self):
        assert (self.since is None) != (self.until is None), "a Gate has one of since= or until="
        unknown = set(self.checks) - set(CHECKS) | set(self.modes) - set(MODES)
        assert not unknown, f"Gate names unknown checks or modes: {sorted(unknown)}"

    def marks(self) -> list:
        import pytest

        return [pytest.mark.since(self.since, reason=self.reason) if self.since else
                pytest.mark.until(self.until, reason=self.reason)]


def since(version: str, reason: str, checks: Sequence[str] = (), modes: Sequence[str] = ()) -> Gate:
    return Gate(reason, since=version, checks=tuple(checks), modes=tuple(modes))


def until(version: str, reason: str, checks: Sequence[str] = (), modes: Sequence[str] = ()) -> Gate:
    return Gate(reason, until=version, checks=tuple(checks), modes=tuple(modes))


# ------------------------------------------------------------------------------------------ builders


@dataclasses.dataclass(frozen=True)
class Domain:
    """Where samples are drawn: uniformly in [lo, hi], at least `margin` from any point in `avoid`."""

    lo: float
    hi: float
    text: str
    avoid: tuple[float, ...] = ()
    margin: float = 0.1

    def draw(self, rng: np.random.Generator, shape) -> np.ndarray:
        x = rng.uniform(self.lo, self.hi, size=shape)
        for _ in range(100):
            bad = np.zeros(np.shape(x), bool)
            for a in self.avoid:
                bad |= np.abs(x - a) < self.margin
            if not bad.any():
                break
            x = np.where(bad, rng.uniform(self.lo, self.hi, size=np.shape(x)), x)
        return as_f32_exact(x)


REAL = Domain(-2.0, 2.0, "all reals")
REAL_NONZERO = Domain(-2.0, 2.0, "x ≠ 0", avoid=(0.0,))
POSITIVE = Domain(0.2, 3.0, "x > 0")
UNIT_OPEN = Domain(-0.9, 0.9, "-1 < x < 1")
PROBABILITY = Domain(0.05, 0.95, "0 < x < 1")


def as_f32_exact(x) -> np.ndarray:
    """float64 values that float32 represents exactly, so float32 and float64 runs see the same inputs."""
    return np.asarray(x, np.float64).astype(np.float32).astype(np.float64)


def rng_for(name: str) -> np.random.Generator:
    """A generator seeded by the op's name: the same samples every run, whatever else is in the atlas."""
    return np.random.default_rng(zlib.adler32(name.encode()))


UNARY_SHAPES = ((), (5,), (2, 3))
BINARY_SHAPES = (((), ()), ((4,), (4,)), ((3, 1), (4,)))


def unary(name: str, fn: Callable, domain: Domain = REAL, points: Sequence[Point] = (), **extra) -> Op:
    """An elementwise op of one argument: samples of shape (), (5,) and (2, 3) drawn from `domain`."""
    rng = rng_for(name)
    samples = tuple(Sample((domain.draw(rng, s),), label=_shape_label(s)) for s in UNARY_SHAPES)
    return Op(name, fn, samples, (0,), domain.text, points=tuple(points), **extra)


def binary(name: str, fn: Callable, x: Domain = REAL, y: Domain = REAL, points: Sequence[Point] = (),
           diff: tuple[int, ...] = (0, 1), **extra) -> Op:
    """An elementwise op of two arguments: scalar pairs, equal vectors, and (3, 1) broadcast against (4,)."""
    rng = rng_for(name)
    samples = tuple(Sample((x.draw(rng, sx), y.draw(rng, sy)), label=f"{_shape_label(sx)} with {_shape_label(sy)}")
                    for sx, sy in BINARY_SHAPES)
    domain = x.text if x is y else f"x: {x.text}; y: {y.text}"
    return Op(name, fn, samples, diff, domain, points=tuple(points), **extra)


def op(name: str, fn: Callable, samples: Sequence[Sample], diff: tuple[int, ...] = (0,), domain: str = "all reals",
       points: Sequence[Point] = (), **extra) -> Op:
    """Any other op: samples written out (use `draw` for their arrays)."""
    return Op(name, fn, tuple(samples), diff, domain, points=tuple(points), **extra)


def draw(name: str, *shapes, domain: Domain = REAL, salt: str = "") -> list[np.ndarray]:
    """Arrays of the given shapes from `domain`, seeded by `name` (+ `salt` to tell samples of one op apart)."""
    rng = rng_for(name + salt)
    return [domain.draw(rng, s) for s in shapes]


def distinct(name: str, shape, lo: float = -2.0, hi: float = 2.0, gap: float = 0.05, salt: str = "") -> np.ndarray:
    """Values at least `gap` apart (no ties), shuffled: for max/min/sort/top_k away from their kinks."""
    rng = rng_for(name + salt)
    n = int(np.prod(shape, dtype=int))
    assert (hi - lo) / gap > n, "range too small for that many distinct values"
    grid = np.arange(lo, hi, gap)
    values = rng.choice(grid, size=n, replace=False) + gap / 4
    return as_f32_exact(values.reshape(shape))


@dataclasses.dataclass(frozen=True)
class Between:
    """At a kink or tie any subgradient is right: the gradient must lie in [lo, hi] elementwise (finite)."""

    lo: np.ndarray
    hi: np.ndarray


def between(lo, hi) -> Between:
    return Between(np.asarray(lo, np.float64), np.asarray(hi, np.float64))


def point(label: str, args, grads, why: str, bug: KnownBug | None = None, **kwargs) -> Point:
    """A special point; scalars are fine for `args` and `grads` (a grad may be `between(lo, hi)` at a kink)."""
    as_grad = (lambda g: g if g is None or isinstance(g, Between) else np.asarray(g, np.float64))
    return Point(label, tuple(np.asarray(a) if isinstance(a, (list, float, np.ndarray)) else a for a in args),
                 tuple(as_grad(g) for g in grads), why, dict(kwargs), bug)


def _shape_label(shape) -> str:
    return "scalar" if shape == () else "x".join(map(str, shape))
