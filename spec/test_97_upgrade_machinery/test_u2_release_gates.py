"""Chapter 97, U2 — Release gates: since/until, what a release number is, and the table behaviour × release.

These specs collect hand-made items on hand-made releases (spec/upgrade/gates.py, spec/harness/releases.py). No virtual environment is created and nothing is installed.
"""
from __future__ import annotations

import pathlib
import types

import pytest

from spec.harness import releases
from spec.upgrade import gates

pytestmark = pytest.mark.source("TAPESPEC-UPGRADE")

ROOT = pathlib.Path(__file__).resolve().parents[2]
FILE = "spec/test_01_gradients.py"
OTHER_FILE = "spec/test_02_watching.py"
BASE, NOW = "2.21.0", "2.22.0"


# ============================================================================== version gates
class _Item:
    """The part of a collected pytest item that versions.py reads (marks, node id, mode); add_marker records."""

    def __init__(self, *marks, mode: str | None = None, nodeid: str = f"{FILE}::test_gated"):
        self.marks = [m.mark for m in marks]
        self.nodeid = nodeid
        self.callspec = types.SimpleNamespace(params={"where": types.SimpleNamespace(mode=mode)}) if mode else None
        self.added = []

    def iter_markers(self, name):
        return (m for m in self.marks if m.name == name)

    def add_marker(self, marker):
        self.added.append(marker.mark)


def _holds(kind: str, bound: str, running: str) -> bool:
    """Whether @pytest.mark.<kind>(bound) specifies the behaviour on TensorFlow `running`."""
    (gate,) = gates.gates(_Item(getattr(pytest.mark, kind)(bound, reason="why")))
    return gates.applies(gate, releases.parse(running), None)


NIGHTLY = "2.23.0.dev20261026"
RC = "2.21.0rc1"


@pytest.mark.parametrize(("running", "numbers"), [
    ("2.16.0", (2, 16, 0)), ("2.17.0", (2, 17, 0)), ("2.21.0", (2, 21, 0)), (NIGHTLY, (2, 23, 0)),
    ("2.23.0-dev20261026", (2, 23, 0)), (RC, (2, 21, 0)), ("2.18", (2, 18)),
])
def test_version_is_compared_by_its_release_numbers_nightly_2_23_0_dev_is_2_23_0_and_2_21_0rc1_is_2_21_0(running, numbers):
    """A version is read as its release numbers only: tf-nightly's 2.23.0.dev20261026 counts as 2.23.0 and the release candidate 2.21.0rc1 as 2.21.0 (spec/upgrade/gates.py)."""
    assert releases.parse(running) == numbers


@pytest.mark.parametrize(("running", "holds"), [
    ("2.16.0", False), ("2.17.0", True), ("2.21.0", True), (NIGHTLY, True), (RC, True)])
def test_since_2_17_holds_from_2_17_0_on_and_not_on_2_16_0(running, holds):
    """@pytest.mark.since("2.17") specifies a behaviour on 2.17.0 and every later release, nightly included, and not on 2.16.0 (spec/upgrade/gates.py; README)."""
    assert _holds("since", "2.17", running) is holds


@pytest.mark.parametrize(("running", "holds"), [
    ("2.16.0", True), ("2.17.0", False), ("2.21.0", False), (NIGHTLY, False), (RC, False)])
def test_until_2_17_holds_on_2_16_0_only_and_not_from_2_17_0_on(running, holds):
    """@pytest.mark.until("2.17") specifies the behaviour of releases before 2.17: 2.16.0 yes, 2.17.0 and later no (spec/upgrade/gates.py; README)."""
    assert _holds("until", "2.17", running) is holds


@pytest.mark.parametrize(("kind", "holds"), [("since", True), ("until", False)])
def test_release_candidate_2_21_0rc1_counts_as_2_21_for_since_and_until_2_21(kind, holds):
    """2.21.0rc1 is on the 2.21 side of a 2.21 gate: since("2.21") holds there and until("2.21") does not (spec/upgrade/gates.py)."""
    assert _holds(kind, "2.21", RC) is holds


@pytest.mark.parametrize(("running", "skipped"), [("2.16.0", True), ("2.17.0", False), (NIGHTLY, False)])
def test_case_gated_since_2_17_is_skipped_on_2_16_0_with_the_release_the_span_and_the_reason(monkeypatch, running, skipped):
    """Collected on 2.16.0, a case marked since("2.17", reason=...) gets a skip whose reason names the release, "specified since 2.17" and the why; on 2.17.0 and nightly it runs (spec/upgrade/gates.py)."""
    monkeypatch.setattr(releases, "tensorflow_version", lambda: running)
    item = _Item(pytest.mark.since("2.17", reason="pow(x, 0) is folded"))

    gates.pytest_collection_modifyitems(None, [item])

    expected = [("skip", f"TensorFlow {running}: this behaviour is specified since 2.17: pow(x, 0) is folded")]
    assert [(m.name, m.kwargs.get("reason")) for m in item.added] == (expected if skipped else [])


@pytest.mark.parametrize(("mode", "skipped"), [("eager", False), ("function", True)])
def test_since_2_17_limited_to_function_mode_skips_only_the_function_case_on_2_16_0(monkeypatch, mode, skipped):
    """since("2.17", modes=["function"]) on 2.16.0 skips the function case, saying "(function mode)", and leaves the eager case running (spec/upgrade/gates.py)."""
    monkeypatch.setattr(releases, "tensorflow_version", lambda: "2.16.0")
    item = _Item(pytest.mark.since("2.17", reason="folded", modes=["function"]), mode=mode)

    gates.pytest_collection_modifyitems(None, [item])

    expected = [("skip", "TensorFlow 2.16.0: this behaviour is specified since 2.17 (function mode): folded")]
    assert [(m.name, m.kwargs.get("reason")) for m in item.added] == (expected if skipped else [])


@pytest.mark.parametrize("running", ["2.16.0", "2.17.0"])
def test_known_bug_until_2_17_is_never_skipped_and_a_strict_xfail_only_on_2_16(monkeypatch, running):
    """A KnownBug(until="2.17") asserts the right value on every release: collected on 2.16.0 it is a strict xfail, on 2.17.0 a plain check; neither is skipped, and both carry its span for the release table (spec/atlas/records.py, spec/upgrade/gates.py)."""
    from spec.bugs import KnownBug

    monkeypatch.setattr(releases, "tensorflow_version", lambda: running)
    bug = KnownBug("no NotDifferentiable registration", "unreported", "tf.raw_ops.X(...)", until="2.17",
                   releases_why="2.17 registered it")
    item = _Item(*bug.marks())

    gates.pytest_collection_modifyitems(None, [item])

    names = [m.name for m in bug.marks()]
    expected = ["bug_releases", "known_bug", "xfail"] if running == "2.16.0" else ["bug_releases"]
    assert (names, item.added) == (expected, [])
    assert [gates.describe(g) for g in gates.gates(item)] == ["known TensorFlow bug before 2.17"]


def test_release_table_marks_each_release_with_a_known_bug_until_2_17_as_bug_and_the_others_as_specified(monkeypatch):
    """In "Behaviours that differ between releases" a known bug before 2.17 is one row: 🐞 under 2.16, ✔ under 2.18-2.21, and this run's outcome under its own release (spec/upgrade/gates.py)."""
    monkeypatch.setattr(releases, "tensorflow_version", lambda: "2.17.1")
    gate = {"kind": "bug", "since": None, "until": "2.17", "reason": "2.17 registered it", "modes": None}
    collector = types.SimpleNamespace(cases={"spec/test_20_op_atlas.py::test_x[op]": {
        "gates": [gate], "meta": {"name": "test_x", "variant": "op"}, "outcomes": ["passed"]}})
    config = types.SimpleNamespace(pluginmanager=types.SimpleNamespace(get_plugin=lambda name: collector))

    table = gates._table(types.SimpleNamespace(config=config))  # noqa: SLF001

    row = next(line for line in table.splitlines() if line.startswith("| [`test_x`]"))
    assert row.split(" | ")[1:9] == ["known TensorFlow bug before 2.17", "🐞", "✅ passed", "✔", "✔", "✔", "✔",
                                     "2.17 registered it |"]


def test_since_without_a_reason_is_a_usage_error_naming_the_case():
    """since("2.17") without reason=... stops the run with a usage error that names the case and asks for the reason (spec/upgrade/gates.py)."""
    with pytest.raises(pytest.UsageError, match=r"spec/test_01_gradients.py::test_gated: @pytest.mark.since\('2.17'\) needs reason="):
        gates.gates(_Item(pytest.mark.since("2.17")))


def test_since_with_a_malformed_version_banana_is_a_usage_error_naming_the_case_not_a_traceback():
    """since("banana", reason=...) is a usage error naming the case and the string, like a missing reason, not a ValueError traceback (spec/upgrade/gates.py)."""
    with pytest.raises(pytest.UsageError, match=r"spec/test_01_gradients.py::test_gated.*'banana'"):
        gates.gates(_Item(pytest.mark.since("banana", reason="why")))


def test_since_with_a_comma_typo_2_comma_17_is_a_usage_error_not_a_gate_on_every_2_x_release():
    """since("2,17", reason=...) is a usage error: a version that is not wholly release numbers must not be read as its leading "2" (spec/upgrade/gates.py)."""
    with pytest.raises(pytest.UsageError, match="'2,17'"):
        gates.gates(_Item(pytest.mark.since("2,17", reason="why")))
