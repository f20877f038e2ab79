"""Chapter 97, U1 — The baseline and "Changed since": each difference from the pinned release's baseline under its one kind, counted once per upstream change.

These specs compare a baseline and a run written here (spec/upgrade/baseline.py, spec/upgrade/changes.py). No virtual environment is created and nothing is installed.
"""
from __future__ import annotations

import copy
import html.parser
import json
import pathlib
import types

import pytest

from spec.atlas import inventory
from spec.report import collect as report_mod
from spec.upgrade import baseline, changes

pytestmark = pytest.mark.source("TAPESPEC-UPGRADE")

ROOT = pathlib.Path(__file__).resolve().parents[2]
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
