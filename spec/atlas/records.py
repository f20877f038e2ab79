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
    symptom: str = ""  # text the failure must contain for the xfail to count (spec/support/known_bugs.py)
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
class Workaround:
    """Code a user can paste today in place of the op: it defines the function `name` with the record's call
    signature (a reformulation, a safe composition, or a tf.custom_gradient with the correct rule). The atlas runs
    it through the same checks and oracle as the bug, in eager, tf.function and XLA, and it must pass there."""

    code: str
    name: str

    def load(self) -> Callable:
        """The function the code defines, from the code exactly as SPEC.md shows it."""
        namespace: dict = {}
        exec(compile(self.code, f"<workaround {self.name}>", "exec"), namespace)  # noqa: S102 - our own record
        return namespace[self.name]


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
    second: Second | None = None  # the Hessian-vector product of Σf here (every special point states one)
    third: Second | None = None  # D³(Σf)[·, v, v], where the gradient rule multiplies by a power of x (pow, xlogy)


@dataclasses.dataclass(frozen=True)
class Second:
    """A higher derivative of Σf at a special point, as a product with the tangent v: for `Point.second` the
    Hessian-vector product H·v, for `Point.third` the vector D³(Σf)[·, v, v] = ∇ₓ(vᵀH(x)v); one array per
    differentiable argument (a `Between` at a kink, None: not asserted).

    `v` is one tangent per differentiable argument, ones where None (for an elementwise op of one argument H·1 is
    f''(x) itself). `why` says where the value comes from; where the derivative does not exist at the point
    (`exists=False`) it says so and what is asserted instead (the one-sided value both sides share, a limit).
    `bug` marks a point where TensorFlow returns something else; without one, the point's own bug applies where
    its checks name the composition (POINT_SECOND, POINT_THIRD)."""

    hv: tuple
    why: str
    v: tuple | None = None
    exists: bool = True
    bug: KnownBug | None = None

    def tangents(self, args: Sequence[np.ndarray]) -> list[np.ndarray]:
        """v per differentiable argument, as float64 arrays of the arguments' shapes."""
        if self.v is None:
            return [np.ones(np.shape(a)) for a in args]
        return [np.broadcast_to(np.asarray(v, np.float64), np.shape(a)).copy() for v, a in zip(self.v, args)]


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
    tails: tuple[Point, ...] = ()  # float64 tail points: compared relatively (TOL.ATLAS_TAIL), first order
    reference: Callable | None = None  # float32-only kernels: the op's forward as float64 NumPy (same arguments)

    @property
    def dtype(self) -> str:
        """The dtype every check but `float32` runs in: float64, or float32 for an op whose kernel has no float64
        (its oracle is then the float64 NumPy `reference`, never TensorFlow's kernel)."""
        return "float32" if self.reference is not None else "float64"

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


def _as_grad(g):
    return g if g is None or isinstance(g, Between) else np.asarray(g, np.float64)


def point(label: str, args, grads, why: str, bug: KnownBug | None = None, second: Second | None = None,
          third: Second | None = None, **kwargs) -> Point:
    """A special point; scalars are fine for `args` and `grads` (a grad may be `between(lo, hi)` at a kink).
    `second=hvp(...)` gives the Hessian-vector product there, `third=hvp(...)` the third derivative along v."""
    return Point(label, tuple(np.asarray(a) if isinstance(a, (list, float, np.ndarray)) else a for a in args),
                 tuple(_as_grad(g) for g in grads), why, dict(kwargs), bug, second, third)


def hvp(values, why: str, v=None, exists: bool = True, bug: KnownBug | None = None) -> Second:
    """`Point.second` (or `third`): the expected product per differentiable argument, e.g. `hvp([2.0], "(x²)'' = 2")`;
    `v` the tangent per argument (default ones); `exists=False` where the derivative does not exist at the point."""
    return Second(tuple(_as_grad(h) for h in values), why,
                  None if v is None else tuple(np.asarray(t, np.float64) for t in v), exists, bug)


def tail(label: str, args, grads, why: str, bug: KnownBug | None = None, **kwargs) -> Point:
    """A float64 tail point (`Op.tails`): where the derivative is last a normal number, subnormal, or near the
    largest float. Compared relatively, so 0 or inf where the true derivative is representable fails."""
    return point(label, args, grads, why, bug, **kwargs)


def _shape_label(shape) -> str:
    return "scalar" if shape == () else "x".join(map(str, shape))
