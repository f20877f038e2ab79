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
from spec.atlas import ALL_OPS
from spec.atlas.records import MODES, SECOND_ORDER, Between, KnownBug, Op
from spec.support import atlas_checks, runtime
from spec.tolerances import TOL

pytestmark = [pytest.mark.source("OP-ATLAS"), pytest.mark.atlas]

SLOW_MODE_REASON = ("op atlas in tf.function and XLA: each op is traced and compiled once per mode (minutes "
                    "in all); run with --run-slow, as .ci/run does")
SLOW_FORWARD_REASON = ("op atlas forward mode and second order: ForwardAccumulator traces a JVP function per op "
                       "type and input shape (0.1-1 s per op, minutes in all); run with --run-slow, as .ci/run does")
SLOW_FLOAT32_REASON = ("op atlas float32: a second eager pass over every op in float32 (about as long as the "
                       "float64 reverse-mode tier); run with --run-slow, as .ci/run does")
#: checks that use forward mode: the expensive tier, with the traced modes (--run-slow)
FORWARD_CHECKS = ("forward", "special_forward", "forward_over_reverse", "reverse_over_forward", "forward_over_forward")


class Case:
    """One op in one dtype and mode (and, for second order, one composition; for a point, one point)."""

    def __init__(self, op: Op, dtype: str, mode: str, extra: str = "", index: int | None = None):
        self.op, self.dtype, self.mode, self.extra, self.index = op, dtype, mode, extra, index

    @property
    def id(self) -> str:
        parts = [self.op.name] + ([self.extra] if self.extra else []) + [self.dtype, self.mode, "cpu" if self.mode != "gpu" else "gpu"]
        return "-".join(parts)


def known_bug_marks(bug: KnownBug) -> list:
    return bug.marks()


class Params(list):
    """pytest params, with the number of slow-tier cases left out (`omitted`)."""

    omitted = 0


def params(check: str, modes=MODES, dtype="float64", extras=((None, ""),), run_slow=True):
    """pytest params for `check` over every op: marks for known bugs (on the releases that have them), release
    gates (`Op.gates`: since/until), declared skips, the slow tier, Keras."""
    out = Params()
    for entry in ALL_OPS:
        for mode in modes:
            for index, extra in extras if not callable(extras) else extras(entry):
                case = Case(entry, dtype, mode, extra, index)
                marks = []
                named = extra if check == "second_order" else check  # a composition is a check of its own
                bug = entry.points[index].bug if check.startswith("special") and index is not None else None
                bug = bug if bug is not None and bug.applies(named, mode, dtype) else entry.bug_for(named, mode, dtype)
                if bug is not None:
                    marks += known_bug_marks(bug)
                for gate in entry.gates_for(named, mode):  # the op or this check exists only on some releases
                    marks += gate.marks()
                reason = entry.skips.get(named) or entry.skips.get(check) or entry.skips.get(mode)
                if reason:
                    marks.append(pytest.mark.skip(reason=f"{entry.name}: {reason}"))
                if mode in ("function", "xla"):
                    marks.append(pytest.mark.slow(reason=SLOW_MODE_REASON))
                elif named in FORWARD_CHECKS or check == "second_order":
                    marks.append(pytest.mark.slow(reason=SLOW_FORWARD_REASON))
                elif check == "float32":
                    marks.append(pytest.mark.slow(reason=SLOW_FLOAT32_REASON))
                if entry.keras:
                    marks.append(pytest.mark.keras)
                if not run_slow and any(m.name == "slow" for m in marks):
                    out.omitted += 1
                    continue
                out.append(pytest.param(case, id=case.id, marks=marks))
    return out


def point_extras(entry: Op):
    return [(i, p.label) for i, p in enumerate(entry.points)]


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


def computed(what: str, compute):
    """compute(), with a TensorFlow exception turned into an assertion that names the expected value."""
    try:
        return compute()
    except AssertionError:
        raise
    except Exception as err:  # noqa: BLE001 - TensorFlow raising is the finding, reported as such
        cause = err.cause if isinstance(err, atlas_checks.PartFailed) else err
        raise AssertionError(f"expected {what}; TensorFlow raised {type(cause).__name__}: "
                             f"{' '.join(str(cause).split())[:500]}") from err


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
    "test_float32_gradient_agrees_with_float64": dict(check="float32", modes=("eager",), dtype="float32"),
    "test_gpu_gradients_match_the_cpu_oracle": dict(check="gpu", modes=("gpu",)),
}


def pytest_generate_tests(metafunc):
    if "case" not in metafunc.fixturenames or metafunc.function.__name__ not in CASES:
        return
    run_slow = metafunc.config.getoption("--run-slow")
    if CASES[metafunc.function.__name__]["check"] == "gpu" and not runtime.capabilities().has_gpu:
        # capability computed once: without a GPU one skipped case says so instead of one per op (a skipped case
        # still costs pytest milliseconds; the table's gpu column stays empty)
        metafunc.parametrize("case", [pytest.param(None, id="no-gpu-visible", marks=pytest.mark.skip(reason=runtime.NO_GPU_REASON))])
        return
    cases = params(**CASES[metafunc.function.__name__], run_slow=run_slow)
    omitted = getattr(metafunc.config, "tapespec_atlas_omitted", 0)
    metafunc.config.tapespec_atlas_omitted = omitted + cases.omitted
    if not cases:  # every case of this check is in the slow tier: one skipped placeholder says so
        reason = SLOW_FLOAT32_REASON if CASES[metafunc.function.__name__]["check"] == "float32" else SLOW_FORWARD_REASON
        cases = [pytest.param(None, id="run-with-run-slow", marks=[pytest.mark.skip(reason=reason), pytest.mark.slow(reason=reason)])]
    metafunc.parametrize("case", cases)


# ---------------------------------------------------------------------------------------- first order


def test_reverse_mode_gradient_matches_float64_central_differences(case):
    """tf.GradientTape's ⟨∇φ(x), v⟩ equals d/dt φ(x + t·v) from float64 Richardson central differences of the op's own forward value, for every sample (in tf.function and XLA: the op's representative sample, the one second order uses)."""
    results = atlas_checks.results_for(case.op)
    got = computed("the tape's gradient", lambda: results.reverse("float64", case.mode))
    oracles, failures = results.directional_oracle(), []
    for i, g in zip(results.sample_indices(case.mode), got):
        p, o = results.prepared[i], oracles[i]
        actual = float(sum(np.vdot(gk, vk) for gk, vk in zip(g["grads"], p.vs)))
        ok, bound = oracle.scalar_agreement(actual, o["u_jv"], TOL.ATLAS_FD, o["phi"])
        if not ok:
            failures.append(f"  sample {p.sample.label!r}: expected ⟨∇φ, v⟩ = {o['u_jv']!r} (oracle: float64 "
                            f"central differences of φ along v), actual {actual!r} (tape), bound {bound:.3g}")
    assert not failures, explain(failures, TOL.ATLAS_FD)


def test_forward_mode_jvp_matches_central_differences_and_the_adjoint_of_reverse_mode(case):
    """ForwardAccumulator's J·v equals float64 central differences of f along v element by element, and ⟨u, J·v⟩ equals the tape's ⟨Jᵀu, v⟩ (adjoint identity)."""
    results = atlas_checks.results_for(case.op)
    got = computed("ForwardAccumulator's J·v", lambda: results.forward("float64", case.mode))
    try:
        reverse = results.reverse("float64", case.mode)
    except atlas_checks.PartFailed:  # reverse mode raised: its own case says so; check J·v against differences only
        reverse = [None] * len(got)
    oracles, failures, tol = results.directional_oracle(), [], TOL.ATLAS_FD
    for p, g, r, o in zip(results.prepared, got, reverse, oracles):
        for k, (jv, want) in enumerate(zip(g["jvps"], o["jv"])):
            scale = tol.atol * (1 + abs(o["phi"]))
            if jv.shape != want.shape or not np.allclose(jv, want, rtol=tol.rtol, atol=scale):
                worst = np.unravel_index(np.nanargmax(np.abs(jv - want)), want.shape) if jv.shape == want.shape and want.size else ()
                failures.append(f"  sample {p.sample.label!r}, output {k}: expected J·v = {np.array2string(want, precision=10)} "
                                f"(oracle: float64 central differences of f along v), actual {np.array2string(jv, precision=10)} "
                                f"(ForwardAccumulator); worst at index {tuple(int(i) for i in worst)}")
        if r is None:
            continue
        u_jv = float(sum(np.vdot(u, j) for u, j in zip(p.us, g["jvps"])))
        jtu_v = float(sum(np.vdot(gk, vk) for gk, vk in zip(r["grads"], p.vs)))
        ok, bound = oracle.scalar_agreement(u_jv, jtu_v, TOL.ADJOINT_F64, o["phi"])
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
    index = case.op.second_order_sample % len(results.prepared)
    for p, actual, expected, o in zip(results.second_order_samples, got, oracles, phis[index:index + 1]):
        ok, bound = oracle.scalar_agreement(actual, expected, TOL.ATLAS_SECOND_ORDER, o["phi"])
        if not ok:
            failures.append(f"  sample {p.sample.label!r}: expected wᵀHv = {expected!r} (oracle: float64 central "
                            f"differences of ⟨∇φ, w⟩ along v), actual {actual!r} ({composition}), bound {bound:.3g}")
    assert not failures, explain(failures, TOL.ATLAS_SECOND_ORDER)


# ------------------------------------------------------------------------------------- special points


def assert_point(case, direction: str):
    point = case.op.points[case.index]
    got = computed(f"the {direction}-mode gradient at {point.label}", lambda: atlas_checks.results_for(case.op).points(case.mode, direction))[case.index]
    failures = []
    for position, actual, expected in zip(case.op.diff, got, point.grads):
        if expected is None:
            continue
        if isinstance(expected, Between):
            if not (np.all(np.isfinite(actual)) and np.all(expected.lo <= actual) and np.all(actual <= expected.hi)):
                failures.append(f"  argument {position} at {point.label}: expected a subgradient between "
                                f"{np.array2string(expected.lo)} and {np.array2string(expected.hi)} ({point.why}), "
                                f"actual {np.array2string(actual)} ({direction} mode)")
            continue
        expected = np.broadcast_to(expected, actual.shape) if expected.shape != actual.shape and expected.size == 1 else expected
        finite = np.abs(expected[np.isfinite(expected)])
        scale = max(1.0, float(finite.max())) if finite.size else 1.0  # the tolerance's why: atol scales with it
        tol = dataclasses.replace(TOL.ATLAS_POINT, atol=TOL.ATLAS_POINT.atol * scale)
        try:
            oracle.assert_close_nonfinite(actual, expected, tol, f"argument {position}")
        except AssertionError:
            failures.append(f"  argument {position} at {point.label}: expected {np.array2string(expected)} "
                            f"({point.why}), actual {np.array2string(actual)} ({direction} mode)")
    assert not failures, explain(failures, TOL.ATLAS_POINT)


def test_reverse_mode_gradient_at_a_special_point_is_the_mathematical_value(case):
    """At the point in the id the tape's gradient of Σf is the closed form or limit the record gives: no NaN or inf where the derivative exists and is finite."""
    assert_point(case, "reverse")


def test_forward_mode_gradient_at_a_special_point_is_the_mathematical_value(case):
    """At the point in the id ForwardAccumulator's derivative of Σf (one one-hot tangent per input element) is the closed form or limit the record gives."""
    assert_point(case, "forward")


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
