"""Version gating: where a supported TensorFlow release really behaves differently, the spec states both.

    @pytest.mark.since("2.17", reason="...")            # the behaviour of TensorFlow 2.17 and later
    @pytest.mark.until("2.17", reason="...")            # the behaviour before 2.17 (2.16.x)
    pytest.param(..., marks=pytest.mark.since("2.17", modes=["function"], reason="..."))  # only these modes

A case outside its range is skipped with the range and the reason ("TensorFlow 2.16.2: this behaviour is
specified since 2.17: ..."), so every release from 2.16 on runs green and each gated behaviour says which
releases it holds for. A version is compared by its release numbers only: 2.23.0-dev20261026 (tf-nightly)
counts as 2.23.0 (spec/harness/releases.py). `modes` limits the gate to those execution modes (the other modes run on every release).

SPEC.md gets "Behaviours that differ between releases": one row per gated behaviour, one column per
supported release, with the outcome of this run in the column of the release that ran.
"""
from __future__ import annotations

import pytest

from spec.harness import releases
from spec.report import model, outcomes

def gates(item) -> list[dict]:
    """The since/until marks on a collected case, as data."""
    out = []
    for kind in ("since", "until"):
        for mark in item.iter_markers(kind):
            if len(mark.args) != 1:
                raise pytest.UsageError(f"{item.nodeid}: @pytest.mark.{kind} takes one version, e.g. {kind}(\"2.17\", reason=...)")
            reason = mark.kwargs.get("reason", "")
            if not reason:
                raise pytest.UsageError(f"{item.nodeid}: @pytest.mark.{kind}({mark.args[0]!r}) needs reason=...: why the releases differ")
            try:
                releases.parse(mark.args[0])
            except ValueError:
                raise pytest.UsageError(f"{item.nodeid}: @pytest.mark.{kind}({mark.args[0]!r}): not a version like "
                                        f"\"2.17\" or \"2.17.1\"") from None
            modes = mark.kwargs.get("modes")
            out.append({"kind": kind, "version": str(mark.args[0]), "reason": reason,
                        "modes": list(modes) if modes else None})
    for mark in item.iter_markers("bug_releases"):  # a known TensorFlow bug of some releases only: never skipped
        out.append({"kind": "bug", "since": mark.kwargs.get("since"), "until": mark.kwargs.get("until"),
                    "reason": mark.kwargs.get("reason", ""), "modes": None})
    return out


def _mode(item) -> str | None:
    callspec = getattr(item, "callspec", None)
    where = callspec.params.get("where") if callspec is not None else None
    return getattr(where, "mode", None)


def applies(gate: dict, version: tuple[int, ...], mode: str | None) -> bool:
    """Whether the gated behaviour is specified for this release (and mode). A known bug's span is not a gate:
    the right value is specified on every release (`has_bug` says where TensorFlow gets it wrong)."""
    if gate["kind"] == "bug" or (gate["modes"] is not None and mode not in gate["modes"]):
        return True
    return releases.within(version, **{gate["kind"]: gate["version"]})


def has_bug(gate: dict, version: tuple[int, ...]) -> bool:
    """Whether release `version` has the known bug whose span `gate` is (since <= version < until)."""
    return gate["kind"] == "bug" and releases.within(version, gate["since"], gate["until"])


def describe(gate: dict) -> str:
    if gate["kind"] == "bug":
        return f"known TensorFlow bug {releases.span_words(gate['since'], gate['until'])}"
    span = releases.span_words(**{gate["kind"]: gate["version"]})
    modes = f" ({', '.join(gate['modes'])} mode)" if gate["modes"] else ""
    return f"{span}{modes}"


def pytest_configure(config):
    config.addinivalue_line("markers", "since(version, reason, modes=None): the behaviour of TensorFlow `version` and "
                            "later; skipped on older releases (only in `modes` if given)")
    config.addinivalue_line("markers", "until(version, reason, modes=None): the behaviour of releases before "
                            "`version`; skipped from `version` on (only in `modes` if given)")
    config.addinivalue_line("markers", "bug_releases(since=None, until=None, reason=''): a known TensorFlow bug of "
                            "these releases only (KnownBug since/until); never skipped, a row of the release table")
    if not hasattr(config, "workerinput") and _table not in model.SECTIONS:
        model.SECTIONS.append(_table)
    config.pluginmanager.register(_Collector(), "tapespec-versions")


def pytest_collection_modifyitems(config, items):
    version_text = releases.tensorflow_version()
    version = releases.parse(version_text)
    for item in items:
        for gate in gates(item):
            if not applies(gate, version, _mode(item)):
                item.add_marker(pytest.mark.skip(
                    reason=f"TensorFlow {version_text}: this behaviour is specified {describe(gate)}: {gate['reason']}"))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    found = gates(item)
    if found:
        report.tapespec_gates = found  # xdist carries it to the controller, which renders the table
    return report


class _Collector:
    """On the controlling process: every gated case and its outcomes, for the table."""

    def __init__(self):
        self.cases: dict[str, dict] = {}

    def pytest_runtest_logreport(self, report):
        found = getattr(report, "tapespec_gates", None)
        if not found:
            return
        meta = getattr(report, "tapespec", None) or {}
        if all(g["modes"] and meta.get("mode") not in g["modes"] for g in found):
            return  # a mode the gate leaves alone: that case runs on every release
        case = self.cases.setdefault(report.nodeid, {"gates": found, "meta": meta, "outcomes": []})
        if report.when == "call" or report.outcome != "passed":
            case["outcomes"].append(_category(report))


def _category(report) -> str:
    if hasattr(report, "wasxfail"):
        return "xfailed" if report.skipped else "xpassed"
    return {"passed": "passed", "failed": "failed" if report.when == "call" else "error",
            "skipped": "skipped"}[report.outcome]


def _worst(seen: list[str]) -> str:
    return next((k for k in outcomes.WORST if k in seen), "")


def _table(spec_report) -> str:
    collector = spec_report.config.pluginmanager.get_plugin("tapespec-versions")
    cases = getattr(collector, "cases", {})
    version_text = releases.tensorflow_version()
    version = releases.parse(version_text)
    lines = ["## Behaviours that differ between releases\n"]
    if not cases:
        return "\n".join(lines + ["No version-gated behaviour ran in this run.\n"])
    lines.append(f"Where a supported release behaves differently, the spec states each behaviour with the releases "
                 f"it holds for (`@pytest.mark.since` / `@pytest.mark.until`, spec/upgrade/gates.py). "
                 f"✔ = specified for that release; in the column of this run's TensorFlow ({version_text}) "
                 "the outcome of its cases. A behaviour outside its releases is skipped with the reason. A known "
                 "TensorFlow bug of some releases only asserts the right value everywhere: 🐞 = that release has "
                 "the bug (a strict xfail there).\n")
    rows: dict = {}
    for nodeid, case in cases.items():
        meta = case["meta"]
        name = meta.get("name") or nodeid.split("::")[-1].split("[")[0]
        variant = meta.get("variant") or ""
        key = (meta.get("file", nodeid.split("::")[0]), name, variant,
               tuple(describe(g) for g in case["gates"]))
        row = rows.setdefault(key, {"gates": case["gates"], "claim": meta.get("claim", ""), "outcomes": []})
        row["outcomes"] += case["outcomes"]
    header = ["behaviour", "releases", *releases.SUPPORTED, "why"]
    lines.append("| " + " | ".join(header) + " |")
    lines.append("|" + "---|" * len(header))
    for (file, name, variant, spans), row in sorted(rows.items()):
        cells = []
        for release in releases.SUPPORTED:
            rel = releases.parse(release)
            specified = all(applies({**g, "modes": None}, rel, None) for g in row["gates"])
            here = version[:2] == rel
            if here:
                outcome = _worst(row["outcomes"])
                cells.append(f"{outcomes.ICON.get(outcome, '')} {outcome}" if outcome else ("✔" if specified else "—"))
            else:
                buggy = any(has_bug(g, rel) for g in row["gates"])
                cells.append("🐞" if buggy else "✔" if specified else "—")
        label = f"[`{name}`](#{name})" + (f" `{variant}`".replace("|", "\\|") if variant else "")
        reasons = "; ".join(dict.fromkeys(g["reason"] for g in row["gates"]))
        lines.append(f"| {label} | {'; '.join(spans)} | " + " | ".join(cells) + f" | {reasons} |")
    return "\n".join(lines) + "\n"
