"""The baseline of the pinned release, and "Changed since TensorFlow <pinned>" in SPEC.md on any other.

The committed baseline `spec/baseline/tf-<version>.json` holds, per case id (pytest node id), its outcome,
its claim and the values that matter: what each oracle comparison (`oracle.assert_close` and its
relatives) compared, as expected (oracle) and actual (TensorFlow), and the message of a failure or the
reason of a known bug. Regenerate it after changing the pin, in a venv with requirements.txt installed:

    python -m spec.support.baseline --write        # = pytest --run-slow --baseline-write, then checks the file

A run on any other release (or the same one) compares itself with the baseline and SPEC.md gets a
section "Changed since TensorFlow <baseline>" grouped by kind: value changed, now raises, no longer
raises, known bug now fixed, other outcome changes, new case, case gone, and gradient registered or
removed (the live gradient registry against the committed spec/atlas/registry_inventory.json). Each
entry names the behaviour (the claim), the case, the baseline (expected) and this run (actual).
`--baseline=PATH` compares with another file; `--baseline=none` leaves the section out.
"""
from __future__ import annotations

import collections
import functools
import json
import pathlib
import re
import subprocess
import sys

import pytest

from spec.support import report as report_mod

ROOT = pathlib.Path(__file__).resolve().parents[2]
BASELINE_DIR = ROOT / "spec" / "baseline"
MAX_VALUES = 8  # oracle comparisons kept per case (nested comparisons of a structure count one each)
_current: list | None = None  # the comparisons of the case running now (in this process)

KINDS = {
    "value changed": "The assertion on a value fails now: the baseline's value (expected) against this run's.",
    "now raises": "The case raises an exception it did not raise in the baseline.",
    "no longer raises": "An exception (or warning) the baseline raised is no longer raised.",
    "known bug now fixed": "A known TensorFlow bug (strict xfail) no longer reproduces: TensorFlow now gives the correct value.",
    "other outcome change": "The outcome changed in another way (skipped, not skipped, a known bug that appeared, an error in set-up).",
    "gradient registered or removed": "An op's entry in TensorFlow's gradient registry changed (spec/atlas/registry_inventory.json against the live registry).",
    "new case": "A case id this run has and the baseline does not.",
    "case gone": "A case id the baseline has and this run, running its whole chapter, does not.",
}


# ----------------------------------------------------------------------------------- options, hooks


def pytest_addoption(parser):
    group = parser.getgroup("tapespec")
    group.addoption("--baseline-write", action="store_true", default=False,
                    help="write spec/baseline/tf-<TensorFlow version>.json from this run (the baseline of the pinned "
                    "release; see `python -m spec.support.baseline --write`)")
    group.addoption("--baseline", default=None, metavar="PATH",
                    help="the baseline SPEC.md compares with (default: the spec/baseline/ file of requirements.txt's "
                    "TensorFlow pin); `none` leaves the 'Changed since' section out")


def pytest_configure(config):
    _install_recorder()
    if hasattr(config, "workerinput"):
        return
    plugin = _Baseline(config)
    config.pluginmanager.register(plugin, "tapespec-baseline")
    if _section not in report_mod.SECTIONS:
        report_mod.SECTIONS.append(_section)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    global _current
    _current = []
    try:
        return (yield)
    finally:
        item._tapespec_values = _current
        _current = None


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if call.when == "call":
        report.tapespec_values = list(getattr(item, "_tapespec_values", None) or [])
    if item.get_closest_marker("slow") is not None:
        report.tapespec_tier = "slow"  # in the baseline: without --run-slow such a case is not generated or not run
        if not item.config.getoption("--run-slow"):
            report.tapespec_not_run = "slow, and --run-slow not given"
    return report


def _install_recorder():
    """Wrap the oracle's comparisons so each case records what it compared (expected and actual)."""
    from spec import oracle

    for name in ("assert_close", "assert_close_nonfinite", "assert_bracketed"):
        original = getattr(oracle, name, None)
        if original is None or getattr(original, "_tapespec_recorded", False):
            continue
        setattr(oracle, name, _recording(original))


def _recording(original):
    @functools.wraps(original)
    def compare(actual, expected, tol, what="value"):
        if _current is not None and len(_current) < MAX_VALUES:
            try:
                _current.append({"what": str(what), "expected": _show(expected), "actual": _show(actual),
                                 "tolerance": f"rtol={tol.rtol:g}, atol={tol.atol:g}"})
            except Exception:  # noqa: BLE001 - recording must never change a test's outcome
                pass
        return original(actual, expected, tol, what)

    compare._tapespec_recorded = True
    return compare


def _show(value) -> str:
    """A compared value in a few words: the value itself up to 12 numbers, else its shape and a summary."""
    import numpy as np

    try:
        a = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        return repr(value)[:200]
    if a.size <= 12:
        return " ".join(np.array2string(a, precision=6, max_line_width=10_000).split())
    flat = a.ravel()
    with np.errstate(all="ignore"):
        finite = flat[np.isfinite(flat)]
        stats = (f"min {finite.min():.6g}, max {finite.max():.6g}, sum {finite.sum():.6g}" if finite.size else "no finite entry")
    nonfinite = flat.size - finite.size
    return (f"shape {a.shape}: [{' '.join(f'{x:.6g}' for x in flat[:4])} …], {stats}"
            + (f", {nonfinite} non-finite" if nonfinite else ""))


# ------------------------------------------------------------------------------------ the collector


class _Baseline:
    def __init__(self, config):
        self.config = config
        self.cases: dict[str, dict] = {}
        self.comparison: dict | None = None

    def pytest_runtest_logreport(self, report):
        category = self.config.hook.pytest_report_teststatus(report=report, config=self.config)[0]
        if not category or not getattr(report, "count_towards_summary", True):
            return
        meta = getattr(report, "tapespec", None) or {}
        if meta.get("device") == "gpu":
            return  # whether a GPU case runs depends on the machine, not the release: the baseline is CPU's
        case = self.cases.setdefault(report.nodeid, {
            "outcome": category, "claim": meta.get("claim", ""), "file": report.nodeid.split("::")[0]})
        if category in _RANK and _RANK[category] < _RANK.get(case["outcome"], 99):
            case["outcome"] = category  # a failing teardown after a pass is an error, as pytest counts it
        values = getattr(report, "tapespec_values", None)
        if values:
            case["values"] = values
        reason = report_mod._reason(report, category)
        if reason and category != "passed":
            case["message"] = reason
        if getattr(report, "tapespec_not_run", None):
            case["not_run"] = report.tapespec_not_run
        if getattr(report, "tapespec_tier", None):
            case["tier"] = report.tapespec_tier

    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self, session, exitstatus):
        if self.config.option.collectonly:
            return
        version = _tensorflow_version()
        if self.config.getoption("--baseline-write"):
            path = BASELINE_DIR / f"tf-{version}.json"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(dump(version, report_mod._command(self.config), self.cases), encoding="utf-8")
            self.written = path
            return
        path = _baseline_path(self.config)
        if path is None:
            return
        try:
            baseline = load(path)
        except (OSError, ValueError) as err:
            self.comparison = {"error": f"{path}: {err}"}
            return
        self.comparison = compare(baseline, self.cases, version, deselected=self._deselected(session),
                                  run_slow=bool(self.config.getoption("--run-slow")))

    def _deselected(self, session) -> bool:
        option = self.config.option
        if (option.keyword or option.markexpr or getattr(option, "deselect", None) or getattr(option, "lf", False)
                or getattr(option, "stepwise", False) or getattr(option, "only_modes", None)
                or any("::" in str(arg) for arg in self.config.args)):
            return True  # a selection: cases outside it are not gone (xdist's controller never sees deselection)
        spec_report = self.config.pluginmanager.get_plugin("tapespec-report")
        return bool(getattr(spec_report, "totals", {}).get("deselected"))

    def pytest_terminal_summary(self, terminalreporter):
        written = getattr(self, "written", None)
        if written is not None:
            terminalreporter.write_line(f"tapespec: wrote the baseline {written} ({len(self.cases)} cases)")
        elif self.comparison and "changes" in self.comparison:
            n = sum(len(v) for v in self.comparison["changes"].values())
            terminalreporter.write_line(
                f"tapespec: {n} change(s) since TensorFlow {self.comparison['baseline']} "
                f"(SPEC.md, 'Changed since TensorFlow {self.comparison['baseline']}')")


_RANK = {"error": 0, "failed": 1, "xpassed": 2, "xfailed": 3, "passed": 4, "skipped": 5}


def _tensorflow_version() -> str:
    import tensorflow as tf

    return tf.__version__


def pinned_version() -> str | None:
    match = re.search(r"^tensorflow==(\S+)\s*$", (ROOT / "requirements.txt").read_text(), re.MULTILINE)
    return match.group(1) if match else None


def _baseline_path(config) -> pathlib.Path | None:
    given = config.getoption("--baseline")
    if given and given.lower() == "none":
        return None
    if given:
        path = pathlib.Path(given)
        return path if path.is_absolute() else pathlib.Path(config.invocation_params.dir) / path
    pinned = pinned_version()
    path = BASELINE_DIR / f"tf-{pinned}.json"
    return path if path.exists() else None


def dump(version: str, command: str, cases: dict) -> str:
    """The baseline file: each behaviour's claim once, then one case per line (a diff reads case by case)."""
    behaviours = {}
    for nodeid, case in sorted(cases.items()):
        behaviours.setdefault(nodeid.split("[", 1)[0], case.get("claim", ""))
    lines = ["{", f' "tensorflow": {json.dumps(version)},', f' "command": {json.dumps(command)},', ' "behaviours": {']
    lines += [f"  {json.dumps(k)}: {json.dumps(v, ensure_ascii=False)}," for k, v in behaviours.items()]
    lines[-1] = lines[-1].rstrip(",") if behaviours else lines[-1]
    lines += [" },", ' "cases": {']
    for nodeid, case in sorted(cases.items()):
        slim = {k: v for k, v in case.items() if k not in ("claim", "file")}
        lines.append(f"  {json.dumps(nodeid, ensure_ascii=False)}: {json.dumps(slim, ensure_ascii=False)},")
    lines[-1] = lines[-1].rstrip(",") if cases else lines[-1]
    lines += [" }", "}"]
    return "\n".join(lines) + "\n"


def load(path: pathlib.Path) -> dict:
    """A baseline file, with each case's claim and file filled in from its behaviour."""
    data = json.loads(path.read_text(encoding="utf-8"))
    behaviours = data.get("behaviours", {})
    for nodeid, case in data.get("cases", {}).items():
        case.setdefault("claim", behaviours.get(nodeid.split("[", 1)[0], ""))
        case.setdefault("file", nodeid.split("::")[0])
    return data


# ------------------------------------------------------------------------------------ the comparison


def _kind(before: dict, now: dict) -> str | None:
    was, is_ = before.get("outcome"), now.get("outcome")
    if was == is_:
        return None
    message = now.get("message", "")
    if was == "xfailed" and is_ in ("xpassed", "passed", "failed") and (is_ != "failed" or "XPASS" in message):
        return "known bug now fixed"
    if was == "passed" and is_ == "failed":
        if "to be raised; actual: no exception" in message or "DID NOT WARN" in message or "DID NOT RAISE" in message:
            return "no longer raises"
        if message.startswith("expected no exception; actual:"):
            return "now raises"
        return "value changed"
    return "other outcome change"


def compare(baseline: dict, cases: dict, version: str, deselected: bool = False, run_slow: bool = True) -> dict:
    """The changes between the baseline's cases and this run's, grouped by kind. Without `run_slow`, the
    baseline's slow-tier cases that this run did not generate are counted as not compared, not as gone."""
    changes: dict = collections.defaultdict(list)
    not_compared = 0
    base_cases = baseline.get("cases", {})
    for nodeid, now in cases.items():
        if now.get("not_run"):
            continue  # a slow case skipped for want of --run-slow says nothing about the release
        before = base_cases.get(nodeid)
        if before is None:
            changes["new case"].append({"nodeid": nodeid, "claim": now.get("claim", ""), "now": _describe(now)})
            continue
        kind = _kind(before, now)
        if kind:
            changes[kind].append({"nodeid": nodeid, "claim": now.get("claim") or before.get("claim", ""),
                                  "before": _describe(before), "now": _describe(now),
                                  "change": _change(nodeid, before, now.get("claim") or before.get("claim", ""))})
    run_files = {c["file"] for c in cases.values()}
    if not deselected:
        for nodeid, before in base_cases.items():
            if nodeid not in cases and nodeid.split("::")[0] in run_files:
                if not run_slow and before.get("tier") == "slow":
                    not_compared += 1  # the slow tier was not asked for: absent, not gone
                    continue
                changes["case gone"].append({"nodeid": nodeid, "claim": before.get("claim", ""),
                                             "before": _describe(before)})
    registry = _registry_changes()
    if registry:
        changes["gradient registered or removed"] = registry
    return {"baseline": baseline.get("tensorflow", "?"), "version": version, "not_compared": not_compared,
            # rows by case id, not arrival order (xdist), so a parallel run reports the same section
            "changes": {k: sorted(changes[k], key=lambda c: str(c.get("nodeid", c.get("op", ""))))
                        for k in KINDS if changes.get(k)}}


_BUG = re.compile(r"known TensorFlow bug \((?P<issue>[^)]*)\): (?P<summary>.*)", re.DOTALL)
_ATLAS_FILE = "spec/test_20_op_atlas.py"


def _change(nodeid: str, before: dict, claim: str) -> str:
    """What one upstream change would be called, so that its cases count once in "at a glance": a known bug
    by its issue and summary; an op-atlas case by its op and check; any other case by its behaviour."""
    bug = _BUG.search(before.get("message", "") or "")
    if bug:
        return f"known bug {bug['issue']}: {bug['summary'].split('. ')[0][:160]}"
    if nodeid.startswith(_ATLAS_FILE + "::") and "[" in nodeid:
        test, params = nodeid.split("::", 1)[1].rstrip("]").split("[", 1)
        return f"{params.split('-', 1)[0]}: {claim or test}"
    return claim or nodeid.split("[", 1)[0]


def glance(changes: dict) -> list[tuple[str, str, int]]:
    """(kind, change, number of cases) for every distinct change: one upstream change, one row, however
    many cases (modes, samples, records, chapters) it shows up in. A known bug with an upstream link is named
    by the link and the first case's bug summary."""
    rows: dict = {}
    for kind, entries in changes.items():
        for entry in entries:
            change = entry.get("change") or entry.get("claim") or entry["nodeid"]
            # a known bug with a link is one upstream change, whichever record's summary names it
            key = (kind, change.split(": ", 1)[0] if change.startswith("known bug http") else change)
            count, text = rows.get(key, (0, change))
            rows[key] = (count + 1, text)
    return [(kind, text, n) for (kind, _), (n, text) in rows.items()]


def _describe(case: dict) -> str:
    parts = [case.get("outcome", "?")]
    values = case.get("values") or []
    if values:
        parts.append("; ".join(f"{v['what']}: expected {v['expected']}, actual {v['actual']}" for v in values[:3])
                     + (f"; … {len(values) - 3} more" if len(values) > 3 else ""))
    if case.get("message"):
        parts.append(case["message"])
    return " — ".join(parts)


def _registry_changes() -> list:
    """Ops whose gradient-registry state differs from the committed inventory of the pinned release."""
    try:
        from spec.atlas import inventory
    except Exception:  # noqa: BLE001 - the inventory is optional for the upgrade report
        return []
    try:
        committed = json.loads(inventory.PATH.read_text(encoding="utf-8"))
        live = inventory.live()
    except Exception:  # noqa: BLE001
        return []
    before = {op: state for state in inventory.STATES for op in committed.get(state, [])}
    after = {op: state for state in inventory.STATES for op in live.get(state, [])}
    words = {"gradient": "a gradient is registered", "not_differentiable": "registered as not differentiable",
             "neither": "nothing registered (LookupError)", None: "not a public raw op"}
    out = []
    for op in sorted(set(before) | set(after)):
        states = {before.get(op), after.get(op)}
        if len(states) == 2 and states != {None, "neither"}:  # an op without gradient that came or went: no gradient changed
            out.append({"nodeid": f"tf.raw_ops.{op}", "claim": f"the gradient registry's entry for {op}",
                        "before": words[before.get(op)], "now": words[after.get(op)]})
    return out


# ------------------------------------------------------------------------------------- the section


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _section(spec_report) -> str:
    plugin = spec_report.config.pluginmanager.get_plugin("tapespec-baseline")
    comparison = getattr(plugin, "comparison", None)
    if not comparison:
        return ""
    if "error" in comparison:
        return f"## Changed since the baseline\n\nThe baseline could not be read: {comparison['error']}\n"
    base, version = comparison["baseline"], comparison["version"]
    lines = [f"## Changed since TensorFlow {base}\n"]
    changes = comparison["changes"]
    total = sum(len(v) for v in changes.values())
    lines.append(f"This run (TensorFlow {version}) compared with the committed baseline of TensorFlow {base} "
                 "(spec/baseline/; regenerate it with `python -m spec.support.baseline --write`): "
                 + (f"{total} change(s)." if total else "no change.") + " Baseline = what the spec recorded on "
                 f"{base} (expected); this run = what it saw now (actual).\n")
    if comparison.get("not_compared"):
        lines.append(f"{comparison['not_compared']} case(s) of the baseline's slow tier were not generated in this run "
                     "and are not compared: run with `--run-slow` to compare them too.\n")
    if total:
        lines.append("| kind | count |\n|---|---:|")
        lines += [f"| [{kind}](#{_anchor(kind)}) | {len(entries)} |" for kind, entries in changes.items()]
        lines.append("")
        rows = glance(changes)
        lines.append(f"### At a glance: {len(rows)} distinct change(s)\n")
        lines.append("One row per change: a known bug by its issue, an op-atlas op by its op and check, any other "
                     "case by its behaviour, however many cases (modes, samples, devices) show it.\n")
        lines.append("| kind | change | cases |\n|---|---|---:|")
        lines += [f"| {kind} | {_cell(change)} | {n} |" for kind, change, n in rows]
        lines.append("")
    for kind, entries in changes.items():
        lines.append(f'<a id="{_anchor(kind)}"></a>\n\n### {kind[:1].upper() + kind[1:]} ({len(entries)})\n')
        lines.append(KINDS[kind] + "\n")
        lines.append(f"| behaviour | case | baseline ({base}) | this run ({version}) |")
        lines.append("|---|---|---|---|")
        for e in entries:
            lines.append(f"| {_cell(e.get('claim') or '')} | `{_cell(e['nodeid'])}` | {_cell(e.get('before', '—'))} "
                         f"| {_cell(e.get('now', '—'))} |")
        lines.append("")
    return "\n".join(lines)


def _anchor(kind: str) -> str:
    return "changed-" + kind.replace(" ", "-")


# ---------------------------------------------------------------------------------- the command


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m spec.support.baseline", description=__doc__.split("\n\n")[0])
    parser.add_argument("--write", action="store_true",
                        help="run the whole suite (pytest --run-slow --baseline-write) and write spec/baseline/tf-<version>.json")
    parser.add_argument("pytest_args", nargs="*", help="more pytest arguments (after --)")
    args = parser.parse_args(argv)
    if not args.write:
        parser.print_help()
        return 2
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--run-slow", "--baseline-write",
               *args.pytest_args]
    print("spec.support.baseline: " + " ".join(command), flush=True)
    return subprocess.run(command, cwd=ROOT).returncode


if __name__ == "__main__":
    sys.exit(main())
