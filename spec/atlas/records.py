"""The op atlas's records: what is checked for one public op, kept apart from how it is checked.

An entry is an `Op`: the public callable as users call it (`tf.math.xlogy`, `keras.ops.logsumexp`), which
positional arguments are differentiable, samples (scalar, vector, broadcasting and batched shapes, and
every keyword that changes the mathematics), its domain in words, and `Point`s: special inputs with the
mathematically correct gradient there, from a closed form or a limit, never from TensorFlow. Where
TensorFlow is wrong, the entry carries a `KnownBug` (upstream link or "unreported", and a reproducer);
the runner then asserts the correct value under a strict xfail.

Releases: a `KnownBug` with `since`/`until` exists only on those releases (elsewhere its cases are plain
checks of the right value); an `Op`'s `gates` (`since(...)`/`until(...)`, the marks of
spec/upgrade/gates.py) skip the cases of a check or mode a release cannot run, with the reason, and
list them in SPEC.md's "Behaviours that differ between releases".

Entries are pure data built with numpy at import time; no TensorFlow op runs until a test does. The
builders at the bottom (`unary`, `binary`, `op`) keep a family file to one line of intent per op.
"""
from __future__ import annotations

import dataclasses
import zlib
from typing import Callable, Sequence

import numpy as np

from spec.bugs.record import (CHECKS, FIRST_ORDER, KINDS, MODES, POINT_CHECKS, POINT_SECOND, POINT_THIRD,  # noqa: F401
                               SECOND_ORDER, TAIL_CHECKS, KnownBug, Workaround)
from spec.tolerances import Tol


@dataclasses.dataclass(frozen=True)
class Sample:
    """One call: positional `args` (float arrays at the differentiable positions, anything else as is)."""

    args: tuple
    kwargs: dict = dataclasses.field(default_factory=dict)
    label: str = ""


#: One cause behind every tail point whose derivative is a subnormal float64: TensorFlow's CPU kernels run with
#: flush-to-zero and denormals-are-zero, so no op returns a subnormal result. Shared by every family's tail points,
#: so it counts once.
FLUSH_TO_ZERO = KnownBug(
    "TensorFlow runs its CPU kernels with subnormal floats flushed to zero (FTZ/DAZ, set per op by "
    "tensorflow/core/platform/denormal.h's ScopedFlushDenormal): a derivative that is a subnormal float64 "
    "(below 2.2250738585072014e-308) comes back as 0, and a subnormal input is read as 0 (x² at x = 2⁻¹⁰²³ has the "
    "normal derivative 2⁻¹⁰²², TensorFlow returns 0; log at 2⁻¹⁰²³ returns inf for 2¹⁰²³)",
    "https://github.com/tensorflow/tensorflow/issues/127905",
    "import tensorflow as tf\nx = tf.constant(-740.0, tf.float64)\nwith tf.GradientTape() as t:\n    t.watch(x)\n"
    "    y = tf.math.exp(x)\nprint(t.gradient(y, x))  # expected exp(-740) = 4.2e-322 (a subnormal float64, numpy.exp "
    "gives it), got 0.0",
    checks=TAIL_CHECKS, kind="tail",
    kind_why="the true derivative is a representable subnormal float64 (or, at a subnormal input, a normal one); "
             "TensorFlow returns 0 (or inf) because every CPU kernel flushes subnormals on purpose (its denormal_test "
             "asserts the flush), a speed choice",
    related=("https://github.com/tensorflow/tensorflow/issues/124151", "https://github.com/tensorflow/tensorflow/issues/62399",
             "https://github.com/tensorflow/tensorflow/issues/11902", "https://github.com/tensorflow/tensorflow/pull/125178"),
    searched=("TensorFlow denormal flush to zero subnormal float64 result becomes 0 CPU",
              "tensorflow flush denormals to zero subnormal float64 result 0 CPU",
              "tf.math.sign subnormal input returns 0 denormal flush",
              "float64 gradient subnormal returns 0 ScopedFlushDenormal denormals-are-zero eager tf.function XLA"),
    no_workaround="every TensorFlow CPU kernel, the ones a workaround would be made of included, flushes subnormal results "
                  "and inputs to zero, so no composition of TensorFlow ops returns a subnormal derivative; scaling the "
                  "loss (e.g. by 2**600) keeps such gradients in the normal range")


def flushed(*modes: str) -> KnownBug:
    """FLUSH_TO_ZERO in some modes only: where tf.function's graph optimizer or XLA folds the multiplication by the
    upstream 1 away, a subnormal partial passes through without a kernel that would flush it."""
    return dataclasses.replace(FLUSH_TO_ZERO, modes=modes)


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
    repeat: int = 0  # eager reverse mode computes the gradient this many times afresh, each must be right (memory never written)


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
    elementwise: bool = False  # set by unary() and binary(): such an op needs tail points, or `no_tails`
    no_tails: str = ""  # why an elementwise op has no float64 tail points (its derivative is 0 or constant everywhere)

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
    (spec/upgrade/gates.py): outside, its cases are skipped with `reason`, which names the release and the
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
    return Op(name, fn, samples, (0,), domain.text, points=tuple(points), elementwise=True, **extra)


def binary(name: str, fn: Callable, x: Domain = REAL, y: Domain = REAL, points: Sequence[Point] = (),
           diff: tuple[int, ...] = (0, 1), **extra) -> Op:
    """An elementwise op of two arguments: scalar pairs, equal vectors, and (3, 1) broadcast against (4,)."""
    rng = rng_for(name)
    samples = tuple(Sample((x.draw(rng, sx), y.draw(rng, sy)), label=f"{_shape_label(sx)} with {_shape_label(sy)}")
                    for sx, sy in BINARY_SHAPES)
    domain = x.text if x is y else f"x: {x.text}; y: {y.text}"
    return Op(name, fn, samples, diff, domain, points=tuple(points), elementwise=True, **extra)


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
          third: Second | None = None, repeat: int = 0, **kwargs) -> Point:
    """A special point; scalars are fine for `args` and `grads` (a grad may be `between(lo, hi)` at a kink).
    `second=hvp(...)` gives the Hessian-vector product there, `third=hvp(...)` the third derivative along v;
    `repeat=N` computes the eager reverse-mode gradient N times afresh (a gradient read from memory that was never
    written is right by chance in some calls: each of N must be)."""
    return Point(label, tuple(np.asarray(a) if isinstance(a, (list, float, np.ndarray)) else a for a in args),
                 tuple(_as_grad(g) for g in grads), why, dict(kwargs), bug, second, third, repeat)


def hvp(values, why: str, v=None, exists: bool = True, bug: KnownBug | None = None) -> Second:
    """`Point.second` (or `third`): the expected product per differentiable argument, e.g. `hvp([2.0], "(x²)'' = 2")`;
    `v` the tangent per argument (default ones); `exists=False` where the derivative does not exist at the point."""
    return Second(tuple(_as_grad(h) for h in values), why,
                  None if v is None else tuple(np.asarray(t, np.float64) for t in v), exists, bug)


def reproducer(*lines: str) -> str:
    """A known bug's reproducer: `import tensorflow as tf` and the lines."""
    return "\n".join(("import tensorflow as tf",) + lines)


def only(bug: KnownBug, *checks: str) -> KnownBug:
    """The same bug, naming only `checks` (for a point whose other cases pass, e.g. one with no values)."""
    return dataclasses.replace(bug, checks=tuple(checks))


def workaround(name: str, body: str) -> Workaround:
    """A Workaround whose code is `import tensorflow as tf` and `body` (which defines `name`)."""
    return Workaround("import tensorflow as tf\n\n\n" + body.strip("\n") + "\n", name)


def tail(label: str, args, grads, why: str, bug: KnownBug | None = None, **kwargs) -> Point:
    """A float64 tail point (`Op.tails`): where the derivative is last a normal number, subnormal, or near the
    largest float. Compared relatively, so 0 or inf where the true derivative is representable fails."""
    return point(label, args, grads, why, bug, **kwargs)


def _shape_label(shape) -> str:
    return "scalar" if shape == () else "x".join(map(str, shape))
