"""Chapter 97 — The upgrade machinery: the baseline comparison, version gates, the upgrade command, the registry inventory and example ops.

These specs run the machinery behind "Changed since TensorFlow 2.21.0", `@pytest.mark.since` / `until`,
`python -m spec.upgrade` and the gradient registry inventory on small hand-made data: a baseline and a run
written here, version strings, a requirements file under pytest's tmp_path, inventories of a few ops. No
virtual environment is created and nothing is installed; only the example-op specs trace a TensorFlow op.
A strict xfail here would be a bug of the machinery itself: the test asserts the intended behaviour, and the
XPASS after a fix asks for the mark to be removed.
"""
from __future__ import annotations

import copy
import html.parser
import json
import pathlib
import subprocess
import sys
import tempfile
import types

import pytest

from spec.atlas import inventory
from spec.harness import examples, releases
from spec.report import collect as report_mod
from spec.upgrade import baseline, changes, gates
from spec.upgrade import recipe as upgrade

pytestmark = pytest.mark.source("TAPESPEC-UPGRADE")

ROOT = pathlib.Path(__file__).resolve().parent.parent
FILE = "spec/test_01_gradients.py"
OTHER_FILE = "spec/test_02_watching.py"
BASE, NOW = "2.21.0", "2.22.0"


# ============================================================================ the baseline comparison
def _value(actual: str) -> dict:
    """One recorded oracle comparison, as the baseline recorder writes it."""
    return {"what": "gradient", "expected": "6.", "actual": actual, "tolerance": "rtol=0, atol=0"}


def _case(outcome: str, *, claim: str = "d(x²)/dx at 3 is 6.0.", file: str = FILE, values=None, message=None) -> dict:
    """One case as the collector keeps it: outcome, claim, chapter file, and its values and message if any."""
    case = {"outcome": outcome, "claim": claim, "file": file}
    if values:
        case["values"] = values
    if message:
        case["message"] = message
    return case


def _crash(message: str) -> str:
    """The one-line failure message the report (and so the baseline) keeps for a crash with this message."""
    longrepr = types.SimpleNamespace(reprcrash=types.SimpleNamespace(message=message))
    return report_mod.crash_line(types.SimpleNamespace(longrepr=longrepr))


def _xpass_strict(reason: str) -> str:
    """The one-line message of a strict xfail that passed (pytest's longrepr is the bare string)."""
    return report_mod.crash_line(types.SimpleNamespace(longrepr=f"[XPASS(strict)] {reason}"))


BUG = "known TensorFlow bug (unreported): tf.norm's gradient at the origin is NaN"
SAME = f"{FILE}::test_unchanged[eager-cpu]"  # in the baseline and in the run, passing both times
CHANGED = f"{FILE}::test_changed[eager-cpu]"

#: (kind, the case in the baseline or None, the case in this run or None)
KIND_EXAMPLES = [
    pytest.param("value changed", _case("passed", values=[_value("6.")]),
                 _case("failed", values=[_value("7.")], message=_crash("AssertionError: gradient: expected 6.0, actual 7.0")),
                 id="value changed"),
    pytest.param("now raises", _case("passed", values=[_value("6.")]),
                 _case("failed", message=_crash("tensorflow.python.framework.errors_impl.InvalidArgumentError: "
                                                "Incompatible shapes: [2] vs. [3]")),
                 id="now raises"),
    pytest.param("no longer raises", _case("passed"), _case("failed", message=_crash("Failed: DID NOT RAISE <class 'LookupError'>")),
                 id="no longer raises-pytest.raises"),
    pytest.param("no longer raises", _case("passed"),
                 _case("failed", message=_crash("Failed: DID NOT WARN. No warnings of type (<class 'UserWarning'>,) were emitted.")),
                 id="no longer raises-pytest.warns"),
    pytest.param("known bug now fixed", _case("xfailed", message=BUG), _case("failed", message=_xpass_strict(BUG)),
                 id="known bug now fixed-strict XPASS"),
    pytest.param("known bug now fixed", _case("xfailed", message=BUG), _case("xpassed", message=BUG),
                 id="known bug now fixed-xpassed"),
    pytest.param("other outcome change", _case("passed"),
                 _case("skipped", message="TensorFlow 2.16.2: this behaviour is specified since 2.17: folded"),
                 id="other outcome change-passed to skipped"),
    pytest.param("new case", None, _case("passed"), id="new case"),
    pytest.param("case gone", _case("passed"), None, id="case gone"),
]

SMALL_INVENTORY = {"tensorflow": BASE, "gradient": ["Add", "Sin"], "not_differentiable": ["Shape"],
                   "neither": ["AdjustContrastv2"]}


@pytest.fixture
def registry(monkeypatch, tmp_path) -> dict:
    """A hand-made committed inventory (on tmp_path) and live registry, equal until a test changes the live one."""
    path = tmp_path / "registry_inventory.json"
    path.write_text(inventory.render(SMALL_INVENTORY), encoding="utf-8")
    monkeypatch.setattr(inventory, "PATH", path)
    live = copy.deepcopy(SMALL_INVENTORY)
    monkeypatch.setattr(inventory, "live", lambda: live)
    return live


def _compare(tmp_path, base_cases: dict, now_cases: dict, deselected: bool = False, run_slow: bool = True) -> dict:
    """Write the hand-made baseline as the committed file is written, load it back, compare this run with it."""
    path = tmp_path / f"tf-{BASE}.json"
    path.write_text(baseline.dump(BASE, "pytest --run-slow --baseline-write", base_cases), encoding="utf-8")
    return changes.compare(baseline.load(path), copy.deepcopy(now_cases), NOW, deselected=deselected,
                            run_slow=run_slow)


def _section(comparison: dict) -> str:
    """SPEC.md's "Changed since" section for this comparison, as the report renders it."""
    plugin = types.SimpleNamespace(comparison=comparison)
    spec_report = types.SimpleNamespace(config=types.SimpleNamespace(
        pluginmanager=types.SimpleNamespace(get_plugin=lambda name: plugin if name == "tapespec-baseline" else None)))
    return changes.section(spec_report)


def _every_kind(tmp_path) -> dict:
    """One comparison holding every kind at once: each KIND_EXAMPLES row as its own case, and a registry change."""
    base_cases, now_cases = {SAME: _case("passed")}, {SAME: _case("passed")}
    for i, param in enumerate(KIND_EXAMPLES):
        _, before, now = param.values
        nodeid = f"{FILE}::test_changed_{i}[eager-cpu]"
        if before:
            base_cases[nodeid] = before
        if now:
            now_cases[nodeid] = now
    return _compare(tmp_path, base_cases, now_cases)


@pytest.mark.parametrize(("kind", "before", "now"), KIND_EXAMPLES)
def test_baseline_comparison_files_each_difference_under_its_one_kind_and_nothing_else(tmp_path, registry, kind, before, now):
    """A case whose outcome differs from the baseline lands in exactly one group, its kind, with the baseline's and this run's outcome; an unchanged case is not listed (spec/upgrade/baseline.py; README "On another TensorFlow release")."""
    base_cases, now_cases = {SAME: _case("passed")}, {SAME: _case("passed")}
    if before:
        base_cases[CHANGED] = before
    if now:
        now_cases[CHANGED] = now

    changes = _compare(tmp_path, base_cases, now_cases)["changes"]

    assert list(changes) == [kind], changes
    (entry,) = changes[kind]
    assert entry["nodeid"] == CHANGED
    assert entry["claim"] == "d(x²)/dx at 3 is 6.0."
    assert (entry.get("before") or "").split(" — ")[0] == (before["outcome"] if before else "")
    assert (entry.get("now") or "").split(" — ")[0] == (now["outcome"] if now else "")


def test_baseline_value_change_shows_the_baseline_actual_6_and_this_runs_actual_7_against_expected_6(tmp_path, registry):
    """A changed value is reported with the baseline's comparison (expected 6., actual 6.) and this run's (expected 6., actual 7.) and the failure message (spec/upgrade/baseline.py)."""
    (param,) = [p for p in KIND_EXAMPLES if p.id == "value changed"]
    _, before, now = param.values

    (entry,) = _compare(tmp_path, {CHANGED: before}, {CHANGED: now})["changes"]["value changed"]

    assert entry["before"] == "passed — gradient: expected 6., actual 6."
    assert entry["now"] == ("failed — gradient: expected 6., actual 7. — AssertionError: gradient: expected 6.0, "
                            "actual 7.0")


def test_baseline_comparison_of_identical_runs_is_no_change(tmp_path, registry):
    """The same cases with the same outcomes and values as the baseline give no change at all, and the section says "no change." with no table (spec/upgrade/baseline.py)."""
    cases = {SAME: _case("passed", values=[_value("6.")]), CHANGED: _case("xfailed", message=BUG),
             f"{OTHER_FILE}::test_skipped": _case("skipped", file=OTHER_FILE, message="no GPU")}

    comparison = _compare(tmp_path, cases, cases)

    assert comparison == {"baseline": BASE, "version": NOW, "not_compared": 0, "changes": {}}
    section = _section(comparison)
    assert "no change." in section
    assert "|" not in section and "###" not in section


def test_baseline_case_gone_is_listed_only_for_a_chapter_that_ran(tmp_path, registry):
    """A baseline case missing from this run is "case gone" when its chapter file ran, and not listed when its chapter did not run at all (spec/upgrade/baseline.py)."""
    gone_here, gone_elsewhere = f"{FILE}::test_removed", f"{OTHER_FILE}::test_not_run"
    base_cases = {SAME: _case("passed"), gone_here: _case("passed"), gone_elsewhere: _case("passed", file=OTHER_FILE)}

    changes = _compare(tmp_path, base_cases, {SAME: _case("passed")})["changes"]

    assert [e["nodeid"] for e in changes["case gone"]] == [gone_here]


def test_baseline_slow_tier_case_absent_without_run_slow_is_not_compared_not_gone(tmp_path, registry):
    """Without --run-slow the baseline's slow-tier cases (recorded with "tier": "slow") that this run did not generate are counted as not compared and the section says so; with --run-slow the same absence is "case gone" (spec/upgrade/baseline.py)."""
    slow_case = f"{FILE}::test_forward_mode[op-float64-eager-cpu]"
    base_cases = {SAME: _case("passed"), slow_case: dict(_case("passed"), tier="slow")}

    default_tier = _compare(tmp_path, base_cases, {SAME: _case("passed")}, run_slow=False)
    slow_tier = _compare(tmp_path, base_cases, {SAME: _case("passed")}, run_slow=True)

    assert (default_tier["changes"], default_tier["not_compared"]) == ({}, 1)
    assert "1 case(s) of the baseline's slow tier were not generated in this run" in _section(default_tier)
    assert [e["nodeid"] for e in slow_tier["changes"]["case gone"]] == [slow_case]


def test_baseline_run_with_deselected_cases_lists_no_case_gone(tmp_path, registry):
    """A run that deselected cases (-k, -m) cannot tell a removed case from a deselected one, so it lists no "case gone" (spec/upgrade/baseline.py)."""
    base_cases = {SAME: _case("passed"), f"{FILE}::test_removed": _case("passed")}

    changes = _compare(tmp_path, base_cases, {SAME: _case("passed")}, deselected=True)["changes"]

    assert changes == {}


@pytest.mark.source("OP-ATLAS")
@pytest.mark.parametrize(("move", "op", "before", "now"), [
    pytest.param(("neither", "gradient"), "AdjustContrastv2", "nothing registered (LookupError)", "a gradient is registered",
                 id="registered"),
    pytest.param(("gradient", "not_differentiable"), "Sin", "a gradient is registered", "registered as not differentiable",
                 id="made not differentiable"),
    pytest.param(("gradient", None), "Sin", "a gradient is registered", "not a public raw op", id="op removed"),
])
def test_baseline_registry_change_is_gradient_registered_or_removed_with_both_states_in_words(tmp_path, registry, move, op, before, now):
    """An op whose gradient-registry state differs from the committed inventory is listed as tf.raw_ops.<op> under "gradient registered or removed", the inventory's state as baseline and the live one as this run (spec/atlas/inventory.py)."""
    old, new = move
    registry[old].remove(op)
    if new:
        registry[new].append(op)

    changes = _compare(tmp_path, {SAME: _case("passed")}, {SAME: _case("passed")})["changes"]

    assert changes == {"gradient registered or removed": [{
        "nodeid": f"tf.raw_ops.{op}", "claim": f"the gradient registry's entry for {op}", "before": before, "now": now}]}


@pytest.mark.source("OP-ATLAS")
def test_baseline_new_raw_op_with_nothing_registered_is_not_a_registry_change(tmp_path, registry):
    """A raw op that appears with no registry entry changes no gradient, so it is not listed: its cases, if any, show up as new cases (spec/upgrade/baseline.py)."""
    registry["neither"].append("BrandNewOp")

    assert _compare(tmp_path, {SAME: _case("passed")}, {SAME: _case("passed")})["changes"] == {}


def test_baseline_file_holds_one_case_per_line_and_load_restores_each_claim_and_file(tmp_path):
    """`dump` writes each behaviour's claim once and each case on its own line; `load` gives back every case with its claim and chapter file (spec/upgrade/baseline.py)."""
    cases = {f"{FILE}::test_a[eager-cpu]": _case("passed", values=[_value("6.")]),
             f"{FILE}::test_a[function-cpu]": _case("failed", message="AssertionError: x"),
             f"{OTHER_FILE}::test_b": _case("xfailed", claim="b | c", file=OTHER_FILE, message=BUG)}
    path = tmp_path / "tf-2.21.0.json"
    path.write_text(baseline.dump(BASE, "pytest", cases), encoding="utf-8")

    lines = path.read_text(encoding="utf-8").splitlines()
    for nodeid in cases:
        assert sum(line.lstrip().startswith(json.dumps(nodeid) + ": {") for line in lines) == 1, nodeid
    assert sum("d(x²)/dx at 3 is 6.0." in line for line in lines) == 1
    loaded = baseline.load(path)
    assert loaded["tensorflow"] == BASE and loaded["cases"] == cases


class _Tables(html.parser.HTMLParser):
    """The h3 headings and the tables of rendered HTML: each table a list of rows, each row its cells' text."""

    def __init__(self):
        super().__init__()
        self.headings, self.tables, self._text = [], [], None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self.tables[-1].append([])
        elif tag in ("td", "th", "h3"):
            self._text = []

    def handle_endtag(self, tag):
        if tag in ("td", "th"):
            self.tables[-1][-1].append("".join(self._text))
        elif tag == "h3":
            self.headings.append("".join(self._text))
        if tag in ("td", "th", "h3"):
            self._text = None

    def handle_data(self, data):
        if self._text is not None:
            self._text.append(data)


def test_changed_since_section_renders_as_markdown_tables_one_row_per_change_in_the_order_of_the_kinds(tmp_path, registry):
    """Rendered by a CommonMark parser with tables, the section is a count per kind, an "at a glance" table kind | change | cases, then per kind a heading and a table behaviour | case | baseline (2.21.0) | this run (2.22.0) with one row per change, a | in a claim kept inside its cell (spec/upgrade/baseline.py)."""
    markdown_it = pytest.importorskip("markdown_it", reason="markdown-it-py (installed with Keras's rich) renders the markdown")
    registry["neither"].remove("AdjustContrastv2")
    registry["gradient"].append("AdjustContrastv2")
    comparison = _every_kind(tmp_path)
    value_changed = f"{FILE}::test_changed_0[eager-cpu]"
    comparison["changes"]["value changed"][0]["claim"] = "x | y: a claim with a pipe"

    parsed = _Tables()
    parsed.feed(markdown_it.MarkdownIt("commonmark").enable("table").render(_section(comparison)))

    kinds = [k for k in changes.KINDS if k in comparison["changes"]]
    assert kinds == list(changes.KINDS), "every kind is in this comparison"
    counts = {k: len(v) for k, v in comparison["changes"].items()}
    assert parsed.tables[0] == [["kind", "count"], *([k, str(counts[k])] for k in kinds)]
    glance = changes.glance(comparison["changes"])
    assert parsed.headings == [f"At a glance: {len(glance)} distinct change(s)",
                               *(f"{k[0].upper()}{k[1:]} ({counts[k]})" for k in kinds)]
    assert parsed.tables[1] == [["kind", "change", "cases"], *([k, c, str(n)] for k, c, n in glance)]
    assert len(parsed.tables) == 2 + len(kinds)
    for kind, table in zip(kinds, parsed.tables[2:]):
        assert table[0] == ["behaviour", "case", f"baseline ({BASE})", f"this run ({NOW})"], kind
        assert len(table) == 1 + counts[kind] and all(len(row) == 4 for row in table), kind
    (row,) = [r for r in parsed.tables[2 + kinds.index("value changed")][1:] if r[1] == value_changed]
    assert row[0] == "x | y: a claim with a pipe"


def test_one_fixed_known_bug_in_four_cases_is_one_change_at_a_glance(tmp_path, registry):
    """A known bug fixed upstream shows up in every case it broke (modes, samples, records of other ops citing the same issue); "at a glance" counts it once, by its issue and the first case's summary, with its 4 cases, and an unrelated unreported fix is a row of its own, by its summary (spec/upgrade/baseline.py; issue 11 "one upstream change, one behaviour")."""
    cumprod = "known TensorFlow bug (https://github.com/tensorflow/tensorflow/issues/119430): Cumprod's gradient is 0 at a zero"
    tnp_cumprod = "known TensorFlow bug (https://github.com/tensorflow/tensorflow/issues/119430): tnp.cumprod inherits Cumprod's gradient"
    other = "known TensorFlow bug (unreported): kaiser_window's gradient at beta = 0 is r - 1"
    base_cases = {f"{FILE}::test_cumprod[{mode}-cpu]": _case("xfailed", message=cumprod) for mode in ("eager", "function", "xla")}
    base_cases[f"{FILE}::test_tnp_cumprod[eager-cpu]"] = _case("xfailed", message=tnp_cumprod)
    base_cases[f"{FILE}::test_kaiser[eager-cpu]"] = _case("xfailed", message=other)
    now_cases = {nodeid: _case("xpassed", message="[XPASS(strict)]") for nodeid in base_cases}

    rows = changes.glance(_compare(tmp_path, base_cases, now_cases)["changes"])

    assert sorted(rows) == [
        ("known bug now fixed", "known bug https://github.com/tensorflow/tensorflow/issues/119430: Cumprod's gradient is 0 at a zero", 4),
        ("known bug now fixed", "known bug unreported: kaiser_window's gradient at beta = 0 is r - 1", 1)]


def test_changed_since_section_names_changes_in_neutral_words_without_regression_or_broken(tmp_path, registry):
    """The section calls a difference by what changed (value changed, now raises, ...) and "baseline" / "this run", never a judgement such as regression, broken, worse or better (spec/upgrade/baseline.py)."""
    section = _section(_every_kind(tmp_path)).lower()

    assert f"baseline ({BASE})" in section and f"this run ({NOW})" in section
    judgements = [w for w in ("regression", "regress", "broken", "breaks", "worse", "better", "improve", "wrong")
                  if w in section]
    assert judgements == []


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


# ============================================================================== python -m spec.upgrade
REQUIREMENTS_TEXT = ("# hand-made requirements\n"
                     "tensorflow==2.21.0\n"
                     "tensorflow-probability==0.25.0\n"
                     "numpy>=1.26\n"
                     "pytest==9.2.0\n")


@pytest.fixture
def requirements_file(monkeypatch, tmp_path) -> pathlib.Path:
    """A hand-made requirements.txt on tmp_path, which spec.upgrade reads instead of the repository's."""
    path = tmp_path / "requirements.txt"
    path.write_text(REQUIREMENTS_TEXT)
    monkeypatch.setattr(upgrade, "REQUIREMENTS", path)
    return path


def _upgrade(*args: str, tmp_path: pathlib.Path) -> subprocess.CompletedProcess:
    """`python -m spec.upgrade ARGS` in a fresh interpreter, with its venv pointed into tmp_path."""
    return subprocess.run([sys.executable, "-m", "spec.upgrade", *args, "--venv", str(tmp_path / "venv")],
                          cwd=ROOT, capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize(("release", "line"), [
    ("2.17.1", "tensorflow==2.17.1"), ("2.18", "tensorflow==2.18.*"), ("nightly", "tf-nightly"),
    ("tf-nightly", "tf-nightly"), ("nightly-cpu", "tf-nightly-cpu"), (RC, "tensorflow==2.21.0rc1"),
    ("pinned", "tensorflow==2.21.0"),
])
def test_upgrade_release_2_17_1_is_tensorflow_2_17_1_2_18_the_newest_2_18_and_nightly_tf_nightly(requirements_file, release, line):
    """A release names one requirement line: an exact release pins it, major.minor takes its newest patch (==2.18.*), nightly is the tf-nightly package (nightly-cpu its CPU-only build) and pinned is requirements.txt's own line (spec/upgrade/recipe.py; README)."""
    assert upgrade.tensorflow_requirement(release) == line


@pytest.mark.parametrize(("release", "line"), [
    ("2.17.1", "tensorflow==2.17.1"), ("2.18", "tensorflow==2.18.*"), ("nightly", "tf-nightly")])
def test_upgrade_requirements_swap_only_the_tensorflow_line(requirements_file, release, line):
    """The requirements for a release are requirements.txt with its `tensorflow==` line replaced and every other line, tensorflow-probability's pin included, unchanged (spec/upgrade/recipe.py; README)."""
    before, after = REQUIREMENTS_TEXT.splitlines(keepends=True), upgrade.requirements(release).splitlines(keepends=True)

    assert len(after) == len(before)
    assert [(i, a) for i, (b, a) in enumerate(zip(before, after)) if a != b] == [(1, line + "\n")]


def test_upgrade_requirements_keep_a_blank_line_after_the_tensorflow_pin(monkeypatch, tmp_path):
    """A blank line after the `tensorflow==` line stays: only the pin itself is replaced (spec/upgrade/recipe.py)."""
    path = tmp_path / "requirements.txt"
    path.write_text("tensorflow==2.21.0\n\n# test tools\npytest==9.2.0\n")
    monkeypatch.setattr(upgrade, "REQUIREMENTS", path)

    assert upgrade.requirements("2.17.1") == "tensorflow==2.17.1\n\n# test tools\npytest==9.2.0\n"


def test_upgrade_requirements_without_a_tensorflow_pin_stop_with_a_message_naming_the_file(monkeypatch, tmp_path):
    """A requirements file with no `tensorflow==` line stops the command with "no `tensorflow==...` line in <file>" (spec/upgrade/recipe.py)."""
    path = tmp_path / "requirements.txt"
    path.write_text("numpy>=1.26\n")
    monkeypatch.setattr(upgrade, "REQUIREMENTS", path)

    with pytest.raises(SystemExit) as stopped:
        upgrade.requirements("2.17.1")
    assert stopped.value.code == f"spec.upgrade: no `tensorflow==...` line in {path}"


def test_upgrade_print_requirements_prints_the_swapped_file_exits_0_and_creates_no_venv(requirements_file, tmp_path, capsys):
    """`python -m spec.upgrade 2.17.1 --print-requirements` prints the swapped requirements, returns 0 and creates no virtual environment (spec/upgrade/recipe.py)."""
    venv_dir = tmp_path / "venv"

    status = upgrade.main(["2.17.1", "--print-requirements", "--venv", str(venv_dir)])

    assert status == 0
    assert capsys.readouterr().out == REQUIREMENTS_TEXT.replace("tensorflow==2.21.0", "tensorflow==2.17.1")
    assert not venv_dir.exists()


@pytest.mark.parametrize(("release", "message"), [
    pytest.param("banana", "spec.upgrade: 'banana' is not a release like 2.17.1, 2.18 or nightly", id="banana"),
    pytest.param("2.15.1", "spec.upgrade: the spec runs on TensorFlow 2.16 and later, not 2.15.1", id="2.15.1"),
])
def test_upgrade_bad_release_exits_1_with_one_line_naming_it_and_no_traceback(tmp_path, release, message):
    """`python -m spec.upgrade banana` (or a release before 2.16) exits with status 1 and one line on stderr naming it, no traceback, no venv (spec/upgrade/recipe.py)."""
    done = _upgrade(release, tmp_path=tmp_path)

    assert (done.returncode, done.stderr, done.stdout) == (1, message + "\n", "")
    assert not (tmp_path / "venv").exists()


def test_upgrade_release_candidate_2_18rc1_prints_tensorflow_2_18rc1_not_a_traceback(tmp_path):
    """A release candidate written without the patch number, 2.18rc1, gives `tensorflow==2.18rc1`, as 2.21.0rc1 gives `tensorflow==2.21.0rc1` (spec/upgrade/recipe.py)."""
    done = _upgrade("2.18rc1", "--print-requirements", tmp_path=tmp_path)

    assert "Traceback" not in done.stderr, done.stderr.strip().splitlines()[-1]
    assert done.returncode == 0 and "\ntensorflow==2.18rc1\n" in done.stdout


def test_upgrade_help_exits_0_with_the_usage_and_every_option(tmp_path):
    """`python -m spec.upgrade --help` prints the usage, the release argument and each option, and exits 0 (spec/upgrade/recipe.py)."""
    done = _upgrade("--help", tmp_path=tmp_path)

    assert done.returncode == 0 and done.stderr == ""
    assert done.stdout.startswith("usage: python -m spec.upgrade")
    for word in ("release", "--venv", "--print-requirements", "--install-only", "pytest"):
        assert word in done.stdout, word


def test_upgrade_without_a_release_exits_2_saying_release_is_required(tmp_path):
    """`python -m spec.upgrade` with no release is argparse's usage error: exit status 2, "the following arguments are required: release" (spec/upgrade/recipe.py)."""
    done = _upgrade(tmp_path=tmp_path)

    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.startswith("usage: python -m spec.upgrade")
    assert "error: the following arguments are required: release" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.fixture
def no_install(monkeypatch) -> dict:
    """spec.upgrade with install and pytest replaced by recorders: what it would install where, and what it would run."""
    seen = {"status": 0}

    def install(release, venv_dir):
        seen["install"] = (release, venv_dir)
        return pathlib.Path("/venvs/tf/bin/python")

    def run(command, cwd):
        seen["command"], seen["cwd"] = command, cwd
        return subprocess.CompletedProcess(command, seen["status"])

    monkeypatch.setattr(upgrade, "install", install)
    monkeypatch.setattr(upgrade, "subprocess", types.SimpleNamespace(run=run))
    return seen


@pytest.mark.parametrize(("argv", "pytest_args"), [
    pytest.param([], ["-v", "--artifacts-dir=artifacts/tf-2.16.2"], id="default"),
    pytest.param(["--", "-k", "keras", "--run-slow"], ["-v", "-k", "keras", "--run-slow", "--artifacts-dir=artifacts/tf-2.16.2"],
                 id="-k keras --run-slow"),
    pytest.param(["--", "-q", "--artifacts-dir=/tmp/a"], ["-q", "--artifacts-dir=/tmp/a"], id="own -q and artifacts dir"),
])
def test_upgrade_runs_pytest_v_with_the_arguments_after_double_dash_and_artifacts_tf_release(no_install, argv, pytest_args):
    """Arguments after `--` go to pytest in the release's venv, with -v unless a verbosity is given and --artifacts-dir=artifacts/tf-<release> unless one is given, run from the repository (spec/upgrade/recipe.py; README)."""
    upgrade.main(["2.16.2", *argv])

    assert no_install["command"] == ["/venvs/tf/bin/python", "-m", "pytest", *pytest_args]
    assert no_install["cwd"] == upgrade.ROOT
    default_venv = pathlib.Path(tempfile.gettempdir()) / "tapespec-venvs" / "tf-2.16.2"
    assert no_install["install"] == ("2.16.2", default_venv.resolve())


def test_upgrade_exit_status_is_pytests_3(no_install):
    """The command returns the exit status of the pytest it ran, here 3 (spec/upgrade/recipe.py)."""
    no_install["status"] = 3

    assert upgrade.main(["nightly"]) == 3


def test_upgrade_reuses_a_venv_whose_stamp_equals_the_requirements_and_creates_nothing(requirements_file, tmp_path, monkeypatch):
    """A venv holding a python and a stamp equal to the release's requirements is reused as it is: no venv is created and pip is not run (spec/upgrade/recipe.py)."""
    def forbidden(*args, **kwargs):
        raise AssertionError("spec.upgrade created a venv or ran pip")

    monkeypatch.setattr(upgrade, "venv", types.SimpleNamespace(EnvBuilder=forbidden))
    monkeypatch.setattr(upgrade, "subprocess", types.SimpleNamespace(run=forbidden))
    venv_dir = tmp_path / "venv"
    python = upgrade._bin(venv_dir, "python")
    python.parent.mkdir(parents=True)
    python.write_text("")
    (venv_dir / "tapespec-requirements.txt").write_text(upgrade.requirements("2.17.1"))

    assert upgrade.install("2.17.1", venv_dir) == python


# ============================================================================ the registry inventory
OLD = {"tensorflow": "2.21.0", "gradient": ["Add", "Sin"], "not_differentiable": ["Shape"],
       "neither": ["AdjustContrastv2", "Print"]}
NEW = {"tensorflow": "2.22.0", "gradient": ["Add", "AdjustContrastv2", "NewOp"], "not_differentiable": ["Shape", "Sin"],
       "neither": []}


@pytest.mark.source("OP-ATLAS")
def test_inventory_difference_names_each_changed_op_with_old_and_new_state_absent_if_missing():
    """difference(old, new) lists exactly the ops whose state changed, sorted, as (op, old, new), "absent" where an inventory lacks the op; Add and Shape, unchanged, are not listed (spec/atlas/inventory.py)."""
    assert inventory.difference(OLD, NEW) == [
        ("AdjustContrastv2", "neither", "gradient"),
        ("NewOp", "absent", "gradient"),
        ("Print", "neither", "absent"),
        ("Sin", "gradient", "not_differentiable"),
    ]


@pytest.mark.source("OP-ATLAS")
def test_inventory_difference_of_an_inventory_with_itself_is_empty_whatever_its_version():
    """Two inventories with the same op states differ in nothing, even when their TensorFlow versions differ (spec/atlas/inventory.py)."""
    assert inventory.difference(OLD, {**copy.deepcopy(OLD), "tensorflow": "2.22.0"}) == []


@pytest.mark.source("OP-ATLAS")
def test_inventory_render_writes_one_op_per_line_and_round_trips_through_json():
    """render() gives JSON with every op name alone on its own line (so a diff reads op by op), an empty state included, and json.loads gives the inventory back (spec/atlas/inventory.py)."""
    text = inventory.render(NEW)

    lines = [line.strip().rstrip(",") for line in text.splitlines()]
    for state in inventory.STATES:
        for op in NEW[state]:
            assert lines.count(json.dumps(op)) == 1, op
    assert len(lines) == 2 + 1 + 2 * len(inventory.STATES) + sum(len(NEW[s]) for s in inventory.STATES)
    assert json.loads(text) == NEW


@pytest.mark.source("OP-ATLAS")
def test_committed_inventory_file_is_exactly_what_render_writes_for_it():
    """The committed spec/atlas/registry_inventory.json is render()'s output for its own content, so regenerating it on the same registry changes no line (spec/atlas/inventory.py)."""
    assert inventory.render(inventory.committed()) == inventory.PATH.read_text(encoding="utf-8")


# ============================================================================== example ops
@pytest.fixture
def choose_again():
    """Forget the cached example op before and after the test, so the chapters get the live registry's choice."""
    examples.op_without_gradient.cache_clear()
    yield
    examples.op_without_gradient.cache_clear()


@pytest.mark.source("API-75")
def test_example_op_without_gradient_has_no_entry_in_the_live_gradient_registry():
    """The example op the missing-gradient specs use is a candidate whose op type has no entry at all in TensorFlow's live gradient registry (neither a gradient nor tf.no_gradient's None) (spec/harness/examples.py)."""
    from tensorflow.python.framework import ops

    op = examples.op_without_gradient()

    assert op.op_type in [c[0] for c in examples.CANDIDATES]
    assert op.op_type not in ops.gradient_registry.list()


@pytest.mark.source("API-75")
def test_example_registry_lookup_counts_a_not_differentiable_entry_as_registered():
    """An op registered as not differentiable (tf.no_gradient, entry None) counts as registered, so it is never chosen as the op without a gradient (spec/harness/examples.py)."""
    not_differentiable = set(inventory.live()["not_differentiable"])

    assert not_differentiable and not_differentiable <= examples.registered_gradients()


@pytest.mark.source("API-75")
def test_example_op_skips_adjustcontrastv2_once_it_has_a_gradient_and_takes_adjustsaturation(monkeypatch, choose_again):
    """With AdjustContrastv2 in the registry, the choice skips it and takes the next candidate without an entry, AdjustSaturation (spec/harness/examples.py)."""
    monkeypatch.setattr(examples, "registered_gradients", lambda: {"AdjustContrastv2"})

    assert examples.op_without_gradient().op_type == "AdjustSaturation"


@pytest.mark.source("API-75")
def test_example_op_with_every_candidate_registered_is_an_assertionerror_naming_each_candidate(monkeypatch, choose_again):
    """When every candidate has a registry entry no op is chosen: an AssertionError names each candidate as having a registered gradient (spec/harness/examples.py)."""
    monkeypatch.setattr(examples, "registered_gradients", lambda: {c[0] for c in examples.CANDIDATES})

    with pytest.raises(AssertionError, match="no candidate op without a registered gradient is left") as caught:
        examples.op_without_gradient()
    for op_type, _, _ in examples.CANDIDATES:
        assert f"{op_type}: has a registered gradient" in str(caught.value)


@pytest.mark.source("API-75")
def test_example_op_skips_a_candidate_whose_call_does_not_build_its_op(monkeypatch, choose_again):
    """A candidate whose call does not build its op type is skipped and named as such ("does not build it"), even with no registry entry (spec/harness/examples.py)."""
    import tensorflow as tf

    monkeypatch.setattr(examples, "registered_gradients", set)
    monkeypatch.setattr(examples, "CANDIDATES", (("NoSuchOp", "tf.identity(x)", tf.identity),))

    with pytest.raises(AssertionError, match=r"NoSuchOp: tf.identity\(x\) does not build it"):
        examples.op_without_gradient()


# ------------------------------------------------------------------------------ a known bug's symptom

def _known_bug_report(symptom: str, failure: Exception):
    """The report of a case carrying a known bug with `symptom`, after pytest's strict xfail took `failure`
    as expected; passed through spec/bugs/symptoms.py's hook."""
    from spec.bugs import KnownBug
    from spec.bugs import symptoms as known_bugs

    bug = KnownBug("Op has no gradient", "unreported", "tape.gradient(op(x), x)", symptom=symptom)
    item = types.SimpleNamespace(iter_markers=lambda name: [types.SimpleNamespace(args=(bug,))] if name == "known_bug" else [])
    call = types.SimpleNamespace(when="call", excinfo=types.SimpleNamespace(value=failure, typename=type(failure).__name__))
    report = types.SimpleNamespace(outcome="skipped", wasxfail="reason: known TensorFlow bug", longrepr=None)
    hook = known_bugs.pytest_runtest_makereport(item, call)
    next(hook)
    with pytest.raises(StopIteration) as done:
        hook.send(report)
    return done.value.value


@pytest.mark.source("OP-ATLAS")
def test_known_bug_xfail_counts_when_the_failure_shows_its_symptom():
    """A case of a known bug whose failure contains the bug's symptom ("gradient registry has no entry for: AdjustHue") stays an expected failure (spec/bugs/symptoms.py)."""
    failure = AssertionError("expected the tape's gradient; TensorFlow raised LookupError: gradient registry has no entry for: AdjustHue")

    report = _known_bug_report("gradient registry has no entry for: AdjustHue", failure)

    assert (report.outcome, hasattr(report, "wasxfail")) == ("skipped", True)


@pytest.mark.source("OP-ATLAS")
def test_known_bug_case_failing_without_its_symptom_is_failed_naming_the_symptom_and_the_failure():
    """A case of a known bug that fails for another reason (here InvalidArgumentError: a double where the op takes float) is reported failed, not as the known bug, and the message names the symptom expected and the failure seen (spec/bugs/symptoms.py)."""
    failure = AssertionError("TensorFlow raised InvalidArgumentError: input #1 was expected to be a float tensor but is a double tensor")

    report = _known_bug_report("gradient registry has no entry for: AdjustHue", failure)

    assert report.outcome == "failed" and not hasattr(report, "wasxfail")
    assert report.longrepr == ("AssertionError: expected the known bug's symptom 'gradient registry has no entry for: AdjustHue' "
                               "(strict xfail); actual failure: AssertionError: TensorFlow raised InvalidArgumentError: "
                               "input #1 was expected to be a float tensor but is a double tensor")


@pytest.mark.source("OP-ATLAS")
def test_known_bug_whose_reproducer_gets_a_lookuperror_has_that_registry_message_as_its_symptom():
    """A KnownBug whose reproducer says "got LookupError: gradient registry has no entry for: SoftsignGrad" has "gradient registry has no entry for: SoftsignGrad" as its symptom unless it names one; a bug without such a line has none (spec/atlas/records.py)."""
    from spec.bugs import KnownBug

    missing = KnownBug("SoftsignGrad has no gradient", "unreported",
                       "print(acc.jvp(y))  # expected 0.44, got LookupError: gradient registry has no entry for: SoftsignGrad")
    wrong_value = KnownBug("Cumprod at 0", "unreported", "print(t.gradient(y, x))  # expected [1, 8, 0], got [1, 0, 0]")

    assert missing.symptom == "gradient registry has no entry for: SoftsignGrad"
    assert wrong_value.symptom == ""
