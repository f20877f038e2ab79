"""Chapter 20 — The op atlas: every public differentiable op's gradient against mathematics.

One generic runner over the database in spec/atlas/ (one record per op: samples, domain, special points
with their correct derivatives, known TensorFlow bugs). Case ids read `[op-dtype-mode-device]`, with the
sample point or the second-order composition where the check has one. φ(x) = Σ⟨u, f(x)⟩ for fixed random
directions u; v and w are fixed random input directions. Reverse mode and the special points in reverse
mode run eagerly by default; float32, forward mode (ForwardAccumulator traces a JVP function per op and
shape), second order (on each op's last sample) and the `function` and `xla` cases of reverse mode (each op
traced or compiled once per mode, on that sample and every special point) exist only with --run-slow, as
.ci/run runs. Where TensorFlow is wrong the case asserts the correct value and is a strict xfail
(`known_bug`), so a fix shows up as XPASS.
"""
from __future__ import annotations

import dataclasses
import gc

import numpy as np
import pytest

from spec import oracle
from spec.atlas import ALL_OPS, kernels
from spec.atlas import checks as atlas_checks
from spec.atlas.records import MODES, SECOND_ORDER, Between, KnownBug, Op, Point
from spec.harness import observe, runtime
from spec.tolerances import TOL

pytestmark = [pytest.mark.source("OP-ATLAS"), pytest.mark.atlas,
              # the size-1 axis points of keras.ops.softmax ask for exactly what Keras warns about
              pytest.mark.filterwarnings("ignore:You are using a softmax over axis:UserWarning")]

SLOW_MODE_REASON = ("op atlas in tf.function and XLA: each op is traced and compiled once per mode (minutes "
                    "in all); run with --run-slow, as .ci/run does")
SLOW_FORWARD_REASON = ("op atlas forward mode and second order: ForwardAccumulator traces a JVP function per op "
                       "type and input shape (0.1-1 s per op, minutes in all); run with --run-slow, as .ci/run does")
SLOW_FLOAT32_REASON = ("op atlas float32: a second eager pass over every op in float32 (about as long as the "
                       "float64 reverse-mode tier); run with --run-slow, as .ci/run does")
SLOW_HIGHER_REASON = ("op atlas second and third derivatives at special points and the float64 tails: one more eager "
                      "pass per point and composition (nested forward mode traces a JVP function per op type and "
                      "shape); run with --run-slow, as .ci/run does")
SLOW_WORKAROUND_REASON = ("op atlas workarounds: each known bug's workaround is run through a check it fixes (with "
                          "--run-exhaustive: every check, point and mode it fixes); run with --run-slow, as .ci/run does")
SLOW_SAMPLES_REASON = ("op atlas reverse mode on random samples, for an op with special points: the default run checks "
                       "it at those points (the samples' differences are most of the default tier's atlas time); run "
                       "with --run-slow, as .ci/run does")
FLOAT32_ONLY_REASON = ("the op computes only in float32: every other check of it already runs in float32 against "
                       "its float64 NumPy reference")
#: checks that use forward mode: the expensive tier, with the traced modes (--run-slow)
FORWARD_CHECKS = ("forward", "special_forward", "forward_over_reverse", "reverse_over_forward", "forward_over_forward")
HIGHER_CHECKS = tuple(f"special_{c}" for c in SECOND_ORDER) + ("special_third", "tail_reverse", "tail_forward")
#: what only --run-exhaustive generates (measured on 2 cores, the slow tier would take about 1,000 s of atlas alone with
#: them, seven times its budget): forward mode and the nested-forward compositions on samples, reverse over forward
#: and forward over forward at points, every check inside tf.function, XLA on samples (XLA at special points and tails
#: stays), and a workaround beyond its first eager case. --run-slow keeps what the atlas is for: every special point
#: in reverse and forward mode, reverse over reverse and forward over reverse there, third derivatives, float64
#: tails, float32 kernels, reverse over reverse on samples, XLA at the points, and each workaround once.
EXHAUSTIVE_CHECKS = ("forward", "forward_over_reverse", "reverse_over_forward", "forward_over_forward",
                     "special_reverse_over_forward", "special_forward_over_forward")
EXHAUSTIVE_REASON = ("op atlas exhaustive tier (forward mode and nested forward compositions on samples, reverse and "
                     "forward over forward at points, tf.function, XLA on samples, workarounds beyond their first case): "
                     "beyond the slow tier's budget; run with --run-exhaustive")


def exhaustive(check: str, named: str, mode: str) -> bool:
    """Whether a case of the atlas is generated only with --run-exhaustive (see EXHAUSTIVE_CHECKS)."""
    return named in EXHAUSTIVE_CHECKS or mode == "function" or (mode == "xla" and check == "reverse")


class Case:
    """One op in one dtype and mode (and, for second order, one composition; for a point, one point)."""

    def __init__(self, op: Op, dtype: str, mode: str, extra: str = "", index: int | None = None, check: str = ""):
        self.op, self.dtype, self.mode, self.extra, self.index, self.check = op, dtype, mode, extra, index, check

    @property
    def composition(self) -> str:
        """For a second derivative at a point, the composition its check names ("reverse_over_reverse", ...)."""
        return self.check.removeprefix("special_")

    @property
    def id(self) -> str:
        parts = [self.op.name] + ([self.extra] if self.extra else []) + [self.dtype, self.mode, "cpu" if self.mode != "gpu" else "gpu"]
        return "-".join(parts)


def known_bug_marks(bug: KnownBug) -> list:
    return bug.marks()


class Params(list):
    """pytest params, with the number of slow-tier cases left out (`omitted`)."""

    omitted = 0


def points_of(entry: Op, check: str) -> tuple[Point, ...]:
    return entry.tails if check.startswith("tail") else entry.points


def case_bug(entry: Op, check: str, named: str, index: int | None, mode: str, dtype: str) -> KnownBug | None:
    """The known bug of a case: its point's (for a higher derivative, the `Second`'s first), else the op's."""
    candidates = []
    if index is not None and (check.startswith("special") or check.startswith("tail")):
        point = points_of(entry, check)[index]
        higher = point.third if named == "special_third" else point.second if named.startswith("special_") and named not in ("special_reverse", "special_forward") else None
        candidates = [getattr(higher, "bug", None), point.bug]
    for bug in candidates:
        if bug is not None and bug.applies(named, mode, dtype):
            return bug
    if index is not None and named in FORWARD_AT_POINTS and all_empty(points_of(entry, check)[index], entry):
        return None  # one forward pass per input element: with none, nothing runs, so an op's forward bug cannot show
    return entry.bug_for(named, mode, dtype)


#: the checks that take one forward pass per input element at a point: first-order forward mode and forward over
#: forward (forward over reverse and reverse over forward run the op's gradient graph even on empty inputs, so their
#: bugs still show there)
FORWARD_AT_POINTS = ("special_forward", "special_forward_over_forward", "tail_forward")


def all_empty(point: Point, entry: Op) -> bool:
    """Whether every differentiable argument of the point has no element."""
    return all(np.size(point.args[i]) == 0 for i in entry.diff)


def params(check: str, modes=MODES, dtype=None, extras=((None, ""),), run_slow=True, run_exhaustive=True):
    """pytest params for `check` over every op: marks for known bugs (on the releases that have them), release
    gates (`Op.gates`: since/until), declared skips, the slow tier, Keras. `dtype` None: the op's own (float64,
    or float32 for a float32-only kernel)."""
    out = Params()
    for entry in ALL_OPS:
        for mode in modes:
            for index, extra, *named_check in extras if not callable(extras) else extras(entry):
                case_dtype = dtype or entry.dtype
                # a composition is a check of its own
                named = named_check[0] if named_check else extra if check == "second_order" else check
                case = Case(entry, case_dtype, mode, extra, index, named)
                marks = []
                bug = case_bug(entry, check, named, index, mode, case_dtype)
                if bug is not None:
                    marks += known_bug_marks(bug)
                for gate in entry.gates_for(named, mode):  # the op or this check exists only on some releases
                    marks += gate.marks()
                reason = entry.skips.get(named) or entry.skips.get(check) or entry.skips.get(mode)
                if check == "float32" and entry.reference is not None:
                    reason = FLOAT32_ONLY_REASON
                if reason:
                    marks.append(pytest.mark.skip(reason=f"{entry.name}: {reason}"))
                if exhaustive(check, named, mode):
                    marks.append(pytest.mark.exhaustive(reason=EXHAUSTIVE_REASON))
                if mode in ("function", "xla"):
                    marks.append(pytest.mark.slow(reason=SLOW_MODE_REASON))
                elif named in HIGHER_CHECKS:
                    marks.append(pytest.mark.slow(reason=SLOW_HIGHER_REASON))
                elif named in FORWARD_CHECKS or check == "second_order":
                    marks.append(pytest.mark.slow(reason=SLOW_FORWARD_REASON))
                elif check == "float32":
                    marks.append(pytest.mark.slow(reason=SLOW_FLOAT32_REASON))
                elif check == "reverse" and entry.points:
                    marks.append(pytest.mark.slow(reason=SLOW_SAMPLES_REASON))
                if entry.keras:
                    marks.append(pytest.mark.keras)
                if (not run_slow and any(m.name == "slow" for m in marks)
                        or not run_exhaustive and any(m.name == "exhaustive" for m in marks)):
                    out.omitted += 1
                    continue
                out.append(pytest.param(case, id=case.id, marks=marks))
    return out


def point_extras(entry: Op):
    return [(i, p.label) for i, p in enumerate(entry.points)]


def tail_extras(entry: Op):
    return [(i, p.label) for i, p in enumerate(entry.tails)]


def point_second_extras(entry: Op):
    """(point, composition) for every point that states its second derivative: four compositions each."""
    return [(i, f"{p.label}-{c}", f"special_{c}") for i, p in enumerate(entry.points) if p.second is not None
            for c in SECOND_ORDER]


def point_third_extras(entry: Op):
    return [(i, f"{p.label}-third", "special_third") for i, p in enumerate(entry.points) if p.third is not None]


def second_order_extras(entry: Op):
    return [(None, c) for c in SECOND_ORDER]


@pytest.fixture(scope="module", autouse=True)
def fewer_garbage_collections():
    """While the atlas runs, Python's cyclic garbage collector runs less often (thresholds 50,000 / 20 / 100 instead
    of 700 / 10 / 10); the chapters keep the defaults.

    The atlas keeps every op's traced kernels and JVP caches (millions of long-lived Python objects), and each
    full collection walks all of them again: with the defaults that is about 8% of the slow tier's time, and it
    grows as the tier goes on. Nothing in the atlas depends on when a cycle is collected."""
    before = gc.get_threshold()
    gc.set_threshold(50_000, 20, 100)
    yield
    gc.set_threshold(*before)


def tolerance(case, float64_tol, float32_kernel_tol):
    """The tolerance of a check: float64's, or for an op whose kernel computes only in float32 the one derived
    from float32 rounding (its oracle is the float64 NumPy reference)."""
    return float32_kernel_tol if case.dtype == "float32" else float64_tol


def magnitude(case, o, grads, vs) -> float:
    """The oracle-side scale of a directional derivative's absolute tolerance: |φ(x)|, and for a float32-only
    kernel also Σ|∇φ|·|v|, the size of the terms whose float32 rounding the sum ⟨∇φ, v⟩ carries."""
    if case.dtype != "float32":
        return o["phi"]
    return abs(o["phi"]) + float(sum(np.sum(np.abs(g) * np.abs(v)) for g, v in zip(grads, vs)))


def oracle_of(case) -> str:
    return "φ (the op's float64 NumPy reference)" if case.op.reference is not None else "φ"


def computed(what: str, compute):
    """compute(), with a TensorFlow exception turned into an assertion that names the expected value."""
    try:
        return compute()
    except AssertionError:
        raise
    except Exception as err:  # noqa: BLE001 - TensorFlow raising is the finding, reported as such
        cause = err.cause if isinstance(err, kernels.PartFailed) else err
        text = " ".join(str(cause).split())
        if len(text) > 1200:  # a graph-mode traceback puts the message last: keep its head and its tail
            text = f"{text[:400]} … {text[-800:]}"
        raise AssertionError(f"expected {what}; TensorFlow raised {type(cause).__name__}: {text}") from err


def explain(failures: list[str], tol) -> str:
    return f"{len(failures)} mismatch(es) (tolerance: {tol.why}):\n" + "\n".join(failures)


# ------------------------------------------------------------------------------------- the cases
# Which cases each test gets: the check, its modes, dtype and per-op extras (points, compositions). Without
# --run-slow the expensive tier (forward mode, second order, tf.function, XLA) is not generated at all: a
# skipped case still costs pytest a few milliseconds, and there are thousands. The terminal and SPEC.md say
# how many were left out.
CASES = {
    "test_reverse_mode_gradient_matches_float64_central_differences": dict(check="reverse"),
    "test_forward_mode_jvp_matches_central_differences_and_the_adjoint_of_reverse_mode": dict(check="forward", modes=("eager",)),
    "test_second_derivative_matches_central_differences_of_the_first": dict(check="second_order", modes=("eager",),
                                                                            extras=second_order_extras),
    "test_reverse_mode_gradient_at_a_special_point_is_the_mathematical_value": dict(check="special_reverse", extras=point_extras),
    "test_forward_mode_gradient_at_a_special_point_is_the_mathematical_value": dict(check="special_forward", modes=("eager",),
                                                                                    extras=point_extras),
    "test_second_derivative_at_a_special_point_is_the_mathematical_value": dict(check="special_second", modes=("eager",),
                                                                                extras=point_second_extras),
    "test_third_derivative_at_a_special_point_is_the_mathematical_value": dict(check="special_third", modes=("eager",),
                                                                               extras=point_third_extras),
    "test_reverse_mode_gradient_in_the_float64_tails_is_relatively_accurate": dict(check="tail_reverse", extras=tail_extras),
    "test_forward_mode_gradient_in_the_float64_tails_is_relatively_accurate": dict(check="tail_forward", modes=("eager",),
                                                                                   extras=tail_extras),
    "test_float32_gradient_agrees_with_float64": dict(check="float32", modes=("eager",), dtype="float32"),
    "test_gpu_gradients_match_the_cpu_oracle": dict(check="gpu", modes=("gpu",)),
    "test_the_workaround_of_a_known_bug_passes_where_the_op_fails": {},  # its own params: workaround_params
}


#: checks a workaround runs eagerly only: float32, and the per-element ones at points (forward mode and higher
#: derivatives take one pass per input element there, which tracing would multiply); every other check it breaks
#: runs in eager, tf.function and XLA
EAGER_ONLY_WORKAROUND_CHECKS = ("float32", "special_forward", "tail_forward") + tuple(
    f"special_{c}" for c in SECOND_ORDER) + ("special_third",)


def workaround_params(run_slow: bool, run_exhaustive: bool = False) -> Params:
    """One case per known bug with a workaround, check it breaks, point (for point checks) and mode (eager,
    tf.function, XLA; per-element point checks eagerly): the workaround in place of the op, through the same check
    and oracle. The slow tier runs each workaround's first eager case that is not skipped; the others are in the
    exhaustive tier."""
    out = Params()
    for entry in ALL_OPS:
        for number, (bug, points) in enumerate(bugs_with_workarounds(entry), start=1):
            fixed = workaround_op(entry, bug, number)
            first_taken = False
            for check in bug.checks:
                if check == "gpu" or (check == "float32" and entry.reference is not None):
                    continue
                chosen = ([(i, p.label) for i, p in points.get(check, [])] if check.startswith(("special", "tail"))
                          else [(None, "")])
                for mode in MODES if check not in EAGER_ONLY_WORKAROUND_CHECKS else ("eager",):
                    for index, label in chosen:
                        extra = "-".join(filter(None, [f"bug{number}", check, label]))
                        case = Case(fixed, "float32" if check == "float32" else entry.dtype, mode, extra, index, check)
                        case.workaround_of = bug  # the report shows this case's outcome under the bug
                        reason = entry.skips.get(check) or entry.skips.get(mode)
                        marks = [pytest.mark.slow(reason=SLOW_WORKAROUND_REASON)] + (
                            [pytest.mark.skip(reason=f"{entry.name}: {reason}")] if reason else [])
                        marks += [m for gate in entry.gates_for(check, mode) for m in gate.marks()]
                        if entry.keras:
                            marks.append(pytest.mark.keras)
                        in_slow_tier = not first_taken and mode == "eager" and not reason and check not in EXHAUSTIVE_CHECKS
                        first_taken = first_taken or in_slow_tier
                        if not in_slow_tier:
                            marks.append(pytest.mark.exhaustive(reason=EXHAUSTIVE_REASON))
                        if not run_slow or not in_slow_tier and not run_exhaustive:
                            out.omitted += 1
                            continue
                        out.append(pytest.param(case, id=case.id, marks=marks))
    return out


def bugs_with_workarounds(entry: Op) -> list[tuple[KnownBug, dict]]:
    """The op's known bugs that carry a workaround, each with the points per point check it breaks there."""
    found: dict[int, tuple[KnownBug, dict]] = {}

    def add(bug, check, index, point):
        if bug is not None and bug.workaround is not None and check in bug.checks:
            found.setdefault(id(bug), (bug, {}))[1].setdefault(check, []).append((index, point))

    for bug in entry.bugs:
        if bug.workaround is not None:
            found.setdefault(id(bug), (bug, {}))
    for check in ("special_reverse", "special_forward", "tail_reverse", "tail_forward", *HIGHER_CHECKS[:5]):
        for index, point in enumerate(points_of(entry, check)):
            higher = point.third if check == "special_third" else point.second if check in HIGHER_CHECKS[:4] else None
            if check in HIGHER_CHECKS[:5] and higher is None:
                continue
            bug = case_bug(entry, check, check, index, "eager", entry.dtype) or case_bug(entry, check, check, index, "xla", entry.dtype)
            add(bug, check, index, point)
    return list(found.values())


def workaround_op(entry: Op, bug: KnownBug, number: int) -> Op:
    """The record with the workaround's function in place of the op's (and no known bugs: it must pass), named after
    the op and the bug's number on it, so two bugs' workarounds never share computed results."""
    return dataclasses.replace(entry, name=f"{entry.name} workaround {number} {bug.workaround.name}", fn=bug.workaround.load(),
                               bugs=())


def check_case(case) -> None:
    """Run the check `case.check` names on `case` (the workaround test's dispatch to the atlas's own checks)."""
    check = case.check
    if check == "reverse":
        test_reverse_mode_gradient_matches_float64_central_differences(case)
    elif check == "forward":
        test_forward_mode_jvp_matches_central_differences_and_the_adjoint_of_reverse_mode(case)
    elif check in SECOND_ORDER:
        test_second_derivative_matches_central_differences_of_the_first(Case(case.op, case.dtype, case.mode, check, None, check))
    elif check in ("special_reverse", "special_forward"):
        assert_point(case, check.removeprefix("special_"))
    elif check == "special_third":
        test_third_derivative_at_a_special_point_is_the_mathematical_value(case)
    elif check.startswith("special_"):
        test_second_derivative_at_a_special_point_is_the_mathematical_value(case)
    elif check in ("tail_reverse", "tail_forward"):
        assert_tail(case, check.removeprefix("tail_"))
    elif check == "float32":
        test_float32_gradient_agrees_with_float64(case)
    else:
        raise AssertionError(f"no check named {check!r}")


def pytest_generate_tests(metafunc):
    if "case" not in metafunc.fixturenames or metafunc.function.__name__ not in CASES:
        return
    if metafunc.function.__name__ == "test_the_workaround_of_a_known_bug_passes_where_the_op_fails":
        cases = workaround_params(metafunc.config.getoption("--run-slow"), metafunc.config.getoption("--run-exhaustive"))
        metafunc.config.tapespec_atlas_omitted = getattr(metafunc.config, "tapespec_atlas_omitted", 0) + cases.omitted
        if not cases:
            reason = SLOW_WORKAROUND_REASON if cases.omitted else "no known bug carries a workaround yet"
            cases = [pytest.param(None, id="run-with-run-slow" if cases.omitted else "none-yet",
                                  marks=[pytest.mark.skip(reason=reason), pytest.mark.slow(reason=reason)])]
        metafunc.parametrize("case", cases)
        return
    run_slow = metafunc.config.getoption("--run-slow")
    if CASES[metafunc.function.__name__]["check"] == "gpu" and not runtime.capabilities().has_gpu:
        # capability computed once: without a GPU one skipped case says so instead of one per op (a skipped case
        # still costs pytest milliseconds; the table's gpu column stays empty)
        metafunc.parametrize("case", [pytest.param(None, id="no-gpu-visible", marks=pytest.mark.skip(reason=runtime.NO_GPU_REASON))])
        return
    cases = params(**CASES[metafunc.function.__name__], run_slow=run_slow,
                   run_exhaustive=metafunc.config.getoption("--run-exhaustive"))
    omitted = getattr(metafunc.config, "tapespec_atlas_omitted", 0)
    metafunc.config.tapespec_atlas_omitted = omitted + cases.omitted
    if not cases and not cases.omitted:  # no record states what this check needs
        cases = [pytest.param(None, id="no-record-states-it", marks=pytest.mark.skip(reason="no atlas record states it yet"))]
    elif not cases and run_slow:  # every case of this check is in the exhaustive tier: one skipped placeholder says so
        cases = [pytest.param(None, id="run-with-run-exhaustive", marks=[pytest.mark.skip(reason=EXHAUSTIVE_REASON),
                                                                         pytest.mark.exhaustive(reason=EXHAUSTIVE_REASON)])]
    elif not cases:  # every case of this check is in the slow tier: one skipped placeholder says so
        check = CASES[metafunc.function.__name__]["check"]
        reason = (SLOW_FLOAT32_REASON if check == "float32" else SLOW_HIGHER_REASON if check in ("special_second", "special_third")
                  or check.startswith("tail") else SLOW_FORWARD_REASON)
        cases = [pytest.param(None, id="run-with-run-slow", marks=[pytest.mark.skip(reason=reason), pytest.mark.slow(reason=reason)])]
    metafunc.parametrize("case", cases)


# ---------------------------------------------------------------------------------------- first order


def test_reverse_mode_gradient_matches_float64_central_differences(case):
    """tf.GradientTape's ⟨∇φ(x), v⟩ equals d/dt φ(x + t·v) from float64 Richardson central differences of the op's own forward value, for every sample (in tf.function and XLA: the op's representative sample, the one second order uses)."""
    results = atlas_checks.results_for(case.op)
    got = computed("the tape's gradient", lambda: results.reverse(results.dtype, case.mode))
    oracles, failures, tol = results.directional_oracle(), [], tolerance(case, TOL.ATLAS_FD, TOL.ATLAS_F32_KERNEL)
    for i, g in zip(results.sample_indices(case.mode), got):
        p, o = results.prepared[i], oracles[i]
        actual = float(sum(np.vdot(gk, vk) for gk, vk in zip(g["grads"], p.vs)))
        ok, bound = oracle.scalar_agreement(actual, o["u_jv"], tol, magnitude(case, o, g["grads"], p.vs))
        if not ok:
            failures.append(f"  sample {p.sample.label!r}: expected ⟨∇φ, v⟩ = {o['u_jv']!r} (oracle: float64 "
                            f"central differences of {oracle_of(case)} along v), actual {actual!r} (tape), bound {bound:.3g}")
    assert not failures, explain(failures, tol)


def test_forward_mode_jvp_matches_central_differences_and_the_adjoint_of_reverse_mode(case):
    """ForwardAccumulator's J·v equals float64 central differences of f along v element by element, and ⟨u, J·v⟩ equals the tape's ⟨Jᵀu, v⟩ (adjoint identity)."""
    results = atlas_checks.results_for(case.op)
    got = computed("ForwardAccumulator's J·v", lambda: results.forward(results.dtype, case.mode))
    try:
        reverse = results.reverse(results.dtype, case.mode)
    except kernels.PartFailed:  # reverse mode raised: its own case says so; check J·v against differences only
        reverse = [None] * len(got)
    oracles, failures = results.directional_oracle(), []
    tol, adjoint_tol = tolerance(case, TOL.ATLAS_FD, TOL.ATLAS_F32_KERNEL), tolerance(case, TOL.ADJOINT_F64, TOL.ADJOINT_F32)
    chosen = results.sample_indices(case.mode)  # every sample eagerly; the representative one in tf.function and XLA
    for p, g, r, o in zip([results.prepared[i] for i in chosen], got, reverse, [oracles[i] for i in chosen]):
        for k, (jv, want) in enumerate(zip(g["jvps"], o["jv"])):
            scale = tol.atol * (1 + abs(o["phi"]) + (float(np.abs(want).max()) if want.size and case.dtype == "float32" else 0.0))
            if jv.shape != want.shape or not np.allclose(jv, want, rtol=tol.rtol, atol=scale):
                worst = np.unravel_index(np.nanargmax(np.abs(jv - want)), want.shape) if jv.shape == want.shape and want.size else ()
                failures.append(f"  sample {p.sample.label!r}, output {k}: expected J·v = {np.array2string(want, precision=10)} "
                                f"(oracle: float64 central differences of f along v), actual {np.array2string(jv, precision=10)} "
                                f"(ForwardAccumulator); worst at index {tuple(int(i) for i in worst)}")
        if r is None:
            continue
        u_jv = float(sum(np.vdot(u, j) for u, j in zip(p.us, g["jvps"])))
        jtu_v = float(sum(np.vdot(gk, vk) for gk, vk in zip(r["grads"], p.vs)))
        ok, bound = oracle.scalar_agreement(u_jv, jtu_v, adjoint_tol, magnitude(case, o, r["grads"], p.vs))
        if not ok:
            failures.append(f"  sample {p.sample.label!r}: adjoint identity broken: ⟨u, J·v⟩ = {u_jv!r} (forward) "
                            f"but ⟨Jᵀu, v⟩ = {jtu_v!r} (reverse), bound {bound:.3g}")
    assert not failures, explain(failures, tol)


# --------------------------------------------------------------------------------------- second order


def test_second_derivative_matches_central_differences_of_the_first(case):
    """wᵀ·H·v of φ composed as named in the id (reverse/forward over reverse/forward) equals d/dt ⟨∇φ(x + t·v), w⟩ from float64 central differences of the float64 tape gradient."""
    composition = case.extra
    results = atlas_checks.results_for(case.op)
    got = computed(f"wᵀHv by {composition}", lambda: results.second_order(composition, case.mode))
    oracles = computed("the float64 tape gradient that the second-order oracle differentiates", results.second_order_oracle)
    phis, failures = results.directional_oracle(), []
    tol = tolerance(case, TOL.ATLAS_SECOND_ORDER, TOL.ATLAS_F32_KERNEL_SECOND)
    index = case.op.second_order_sample % len(results.prepared)
    for p, actual, expected, o in zip(results.second_order_samples, got, oracles, phis[index:index + 1]):
        ok, bound = oracle.scalar_agreement(actual, expected, tol, o["phi"])
        if not ok:
            what = ("nested float64 central differences of φ (the NumPy reference) along v and w" if case.dtype == "float32"
                    else "float64 central differences of ⟨∇φ, w⟩ along v")
            failures.append(f"  sample {p.sample.label!r}: expected wᵀHv = {expected!r} (oracle: {what}), "
                            f"actual {actual!r} ({composition}), bound {bound:.3g}")
    assert not failures, explain(failures, tol)


# ------------------------------------------------------------------------------------- special points


def compare_at_point(case, label: str, got, wanted, why: str, how: str, base_tol, relative: bool = False) -> list[str]:
    """Mismatches between TensorFlow's per-argument values at a point and the record's: a `Between` is a
    subgradient interval; NaN and inf must sit where the record puts them; finite entries agree within `base_tol`,
    its absolute part scaled by the largest |expected entry| (relative: by nothing, a tail point's values are tiny)."""
    failures = []
    for position, actual, expected in zip(case.op.diff, got, wanted):
        if expected is None:
            continue
        if isinstance(expected, Between):
            if not (np.all(np.isfinite(actual)) and np.all(expected.lo <= actual) and np.all(actual <= expected.hi)):
                failures.append(f"  argument {position} at {label}: expected a value between "
                                f"{np.array2string(expected.lo)} and {np.array2string(expected.hi)} ({why}), "
                                f"actual {np.array2string(actual)} ({how})")
            continue
        expected = np.broadcast_to(expected, actual.shape) if expected.shape != actual.shape and expected.size == 1 else expected
        finite = np.abs(expected[np.isfinite(expected)])
        scale = max(1.0, float(finite.max())) if finite.size and not relative else 1.0  # the tolerance's why: atol scales with it
        tol = dataclasses.replace(base_tol, atol=base_tol.atol * scale)
        try:
            oracle.assert_close_nonfinite(actual, expected, tol, f"argument {position}")
        except AssertionError:
            failures.append(f"  argument {position} at {label}: expected {np.array2string(expected, precision=17)} "
                            f"({why}), actual {np.array2string(actual, precision=17)} ({how})")
    return failures


def assert_point(case, direction: str):
    point = case.op.points[case.index]
    results = atlas_checks.results_for(case.op)
    got = computed(f"the {direction}-mode gradient at {point.label}", lambda: results.point(case.mode, direction, case.index))
    tol = tolerance(case, TOL.ATLAS_POINT, TOL.ATLAS_F32_POINT)
    failures = compare_at_point(case, point.label, got, point.grads, point.why, f"{direction} mode", tol)
    if direction == "reverse" and case.mode == "eager" and (point.repeat or kernels.degenerate(point)):
        # memory that was never written shows as a value that changes between runs, and is right by chance in some:
        # a zero-size input is computed once more, a point with `repeat` that many times, each checked
        for run in range(max(1, point.repeat)):
            again = computed(f"the reverse-mode gradient at {point.label}, computed again", lambda: results.point_again(case.index))
            for position, first, second in zip(case.op.diff, got, again):
                if first.shape != second.shape or not np.array_equal(first, second, equal_nan=True):
                    failures.append(f"  argument {position} at {point.label}: the gradient changes between identical "
                                    f"eager runs: {np.array2string(first)} then {np.array2string(second)} (run {run + 2})")
            failures += compare_at_point(case, f"{point.label} (run {run + 2})", again, point.grads, point.why,
                                         f"{direction} mode", tol) if point.repeat else []
            if failures:
                break
    assert not failures, explain(failures, tol)


def test_reverse_mode_gradient_at_a_special_point_is_the_mathematical_value(case):
    """At the point in the id the tape's gradient of Σf is the closed form or limit the record gives: no NaN or inf where the derivative exists and is finite."""
    assert_point(case, "reverse")


def test_forward_mode_gradient_at_a_special_point_is_the_mathematical_value(case):
    """At the point in the id ForwardAccumulator's derivative of Σf (one one-hot tangent per input element) is the closed form or limit the record gives."""
    assert_point(case, "forward")


def test_second_derivative_at_a_special_point_is_the_mathematical_value(case):
    """At the point in the id the Hessian-vector product H·v of Σf by the composition in the id (v: the record's tangent, ones by default) is the closed form, limit or one-sided value the record gives."""
    point = case.op.points[case.index]
    second = point.second
    got = computed(f"H·v at {point.label} by {case.composition}", lambda: atlas_checks.results_for(case.op).point_higher(case.index, case.composition, mode=case.mode))
    why = second.why if second.exists else f"the second derivative does not exist here: {second.why}"
    tol = tolerance(case, TOL.ATLAS_POINT, TOL.ATLAS_F32_POINT)
    assert not (failures := compare_at_point(case, point.label, got, second.hv, why, case.composition, tol)), explain(failures, tol)


def test_third_derivative_at_a_special_point_is_the_mathematical_value(case):
    """At the point in the id D³(Σf)[·, v, v], the gradient of vᵀH(x)v by reverse over reverse over reverse, is the closed form or limit the record gives (for ops whose gradient rule multiplies by a power of x)."""
    point = case.op.points[case.index]
    third = point.third
    got = computed(f"D³(Σf)[·, v, v] at {point.label}", lambda: atlas_checks.results_for(case.op).point_higher(case.index, "third", "third", case.mode))
    why = third.why if third.exists else f"the third derivative does not exist here: {third.why}"
    tol = tolerance(case, TOL.ATLAS_POINT, TOL.ATLAS_F32_POINT)
    assert not (failures := compare_at_point(case, point.label, got, third.hv, why, "reverse³", tol)), explain(failures, tol)


def assert_tail(case, direction: str):
    point = case.op.tails[case.index]
    got = computed(f"the {direction}-mode gradient at {point.label}", lambda: atlas_checks.results_for(case.op).tail(case.mode, direction, case.index))
    failures = compare_at_point(case, point.label, got, point.grads, point.why, f"{direction} mode", TOL.ATLAS_TAIL, relative=True)
    assert not failures, explain(failures, TOL.ATLAS_TAIL)


def test_reverse_mode_gradient_in_the_float64_tails_is_relatively_accurate(case):
    """At the tail point in the id (where the derivative is last a normal float64, subnormal, or near the largest float) the tape's gradient of Σf has the record's value to a relative tolerance: 0 or inf where the true derivative is representable is a finding."""
    assert_tail(case, "reverse")


def test_forward_mode_gradient_in_the_float64_tails_is_relatively_accurate(case):
    """At the tail point in the id ForwardAccumulator's derivative of Σf has the record's value to a relative tolerance."""
    assert_tail(case, "forward")


# ------------------------------------------------------------------------------------ float32, GPU


def test_float32_gradient_agrees_with_float64(case):
    """The tape's float32 gradient equals its float64 gradient at the same float32-exact inputs, within the op's float32 tolerance."""
    results = atlas_checks.results_for(case.op)
    tol = case.op.f32_tol or TOL.ATLAS_F32
    got = computed("the float32 gradient", lambda: results.reverse("float32", case.mode))
    want = computed("the float64 gradient", lambda: results.reverse("float64", case.mode))
    failures = []
    for p, g32, g64 in zip(results.prepared, got, want):
        for position, a, e in zip(case.op.diff, g32["grads"], g64["grads"]):
            scale = max(1.0, float(np.abs(e).max())) if e.size else 1.0
            if not np.allclose(a, e, rtol=tol.rtol, atol=tol.atol * scale):
                failures.append(f"  sample {p.sample.label!r}, argument {position}: expected {np.array2string(e, precision=8)} "
                                f"(float64 tape), actual {np.array2string(a, precision=8)} (float32 tape)")
    assert not failures, explain(failures, tol)


def test_gpu_gradients_match_the_cpu_oracle(case):
    """On a GPU the tape's float64 gradient of every sample agrees with the float64 central differences within the same tolerances as on CPU."""
    results = atlas_checks.results_for(case.op)
    got, oracles = results.first_order_on("float64", "/device:GPU:0"), results.directional_oracle()
    for p, g, o in zip(results.prepared, got, oracles):
        actual = float(sum(np.vdot(gk, vk) for gk, vk in zip(g["grads"], p.vs)))
        ok, bound = oracle.scalar_agreement(actual, o["u_jv"], TOL.ATLAS_FD, o["phi"])
        assert ok, (f"sample {p.sample.label!r}: expected ⟨∇φ, v⟩ = {o['u_jv']!r} (float64 differences), "
                    f"actual {actual!r} on GPU, bound {bound:.3g}")


# ------------------------------------------------------------------------------------- workarounds


def test_the_workaround_of_a_known_bug_passes_where_the_op_fails(case):
    """The known bug's workaround (SPEC.md shows its code, which is what runs here), used in place of the op, passes the check in the id that the op fails, against the same oracle, in eager, tf.function and XLA."""
    check_case(case)


# --------------------------------------------------------------------------------- registry inventory


def test_gradient_registry_matches_the_committed_inventory_op_by_op():
    """Every public raw op (`tf.raw_ops`) has the registry state the committed inventory gives for the pinned release: a registered gradient, registered not differentiable, or neither (regenerate with `python -m spec.atlas.inventory --write`)."""
    import tensorflow as tf

    from spec.atlas import inventory

    committed, live = inventory.committed(), inventory.live()
    changes = inventory.difference(committed, live)
    if live["tensorflow"] != committed["tensorflow"]:
        pytest.skip(f"the inventory is of TensorFlow {committed['tensorflow']}, this is {tf.__version__}: "
                    f"{len(changes)} op(s) differ (listed in SPEC.md's upgrade section and by "
                    "`python -m spec.atlas.inventory`)")
    assert not changes, (f"{len(changes)} public raw op(s) changed registry state against the inventory "
                         f"(expected -> actual): " + "; ".join(f"{n}: {a} -> {b}" for n, a, b in changes[:40]))


COVERAGE_REASON = ("gradient-registry coverage builds every atlas record's second-order graph (about 110 s on 2 "
                   "cores); run with --run-exhaustive, or `python -m spec.atlas.coverage`")


@pytest.mark.slow(reason=COVERAGE_REASON)
@pytest.mark.exhaustive(reason=COVERAGE_REASON)
def test_every_registered_gradient_is_reached_by_the_atlas_or_listed_with_its_reason(record_property):
    """Every raw op with a registered gradient appears in the forward or backward graph (reverse mode twice, nested functions included) of some atlas record, or is listed in spec/atlas/registry_unreached.json with the reason no record reaches it; no listed op is reached (`python -m spec.atlas.coverage --write` rewrites the file, keeping its reasons)."""
    import tensorflow as tf

    from spec.atlas import coverage

    measured = coverage.measure()
    gradients = coverage.gradient_ops()
    listed = coverage.committed()
    result = coverage.compare(set(measured["reached"]), gradients, listed)
    reached = len(gradients) - len(result["unreached"])
    record_property("tapespec_coverage", {"reached": reached, "of": len(gradients), "tensorflow": tf.__version__,
                                          "unreached": {name: listed.get(name, "") for name in result["unreached"]}})
    observe.returned(f"reached {reached} of {len(gradients)} raw ops with a registered gradient")
    problems = []
    if result["unlisted"]:
        problems.append(f"reached by no atlas record and not listed with a reason: {', '.join(result['unlisted'])}")
    if result["no_reason"]:
        problems.append(f"listed without a reason: {', '.join(result['no_reason'])}")
    if result["stale"] and json_release(coverage) == tf.__version__:
        problems.append(f"listed as unreached but reached, or without a registered gradient now: {', '.join(result['stale'])}")
    assert not problems, "; ".join(problems)


def json_release(coverage) -> str:
    import json

    return json.loads(coverage.PATH.read_text(encoding="utf-8"))["tensorflow"]


def test_every_atlas_entry_names_a_public_callable_and_real_differentiable_arguments():
    """Each record's name is a public spelling (tf., keras.ops., tf.Tensor.), its samples give every differentiable position, and its points give one expected gradient per differentiable argument."""
    problems = []
    for entry in ALL_OPS:
        if not entry.name.startswith(("tf.", "keras.ops.")):
            problems.append(f"{entry.name}: not a public tf./keras.ops. name")
        for sample in entry.samples:
            if max(entry.diff, default=-1) >= len(sample.args):
                problems.append(f"{entry.name} {sample.label!r}: differentiable position missing")
        for p in entry.points:
            if len(p.grads) != len(entry.diff):
                problems.append(f"{entry.name} point {p.label!r}: {len(p.grads)} expected gradients for {len(entry.diff)} arguments")
    assert not problems, "\n".join(problems)


def test_every_special_point_states_its_second_derivative_and_every_elementwise_op_its_tails():
    """Every special point of every record gives the Hessian-vector product of Σf there (or says the second derivative does not exist and what is asserted instead), and every elementwise record has float64 tail points or says why it has none (`no_tails`)."""
    problems = []
    for entry in ALL_OPS:
        for p in entry.points:
            if p.second is None:
                problems.append(f"{entry.name} point {p.label!r}: no second derivative (second=hvp(...))")
            elif len(p.second.hv) != len(entry.diff):
                problems.append(f"{entry.name} point {p.label!r}: {len(p.second.hv)} H·v entries for {len(entry.diff)} arguments")
        if entry.elementwise and not entry.tails and not entry.no_tails:
            problems.append(f"{entry.name}: elementwise, but no tail points and no reason (no_tails=...)")
    assert not problems, f"{len(problems)} record(s) incomplete:\n" + "\n".join(problems[:60])
