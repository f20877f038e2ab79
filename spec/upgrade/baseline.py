"""The baseline of the pinned release, a pytest plugin: each case's outcome and values recorded and compared.

The committed baseline `spec/upgrade/baselines/tf-<version>.json` holds, per case id (pytest node id), its outcome,
its claim and the values that matter: what each oracle comparison (`oracle.assert_close` and its
relatives) compared, as expected (oracle) and actual (TensorFlow), and the message of a failure or the
reason of a known bug. Regenerate it after changing the pin, in a venv with requirements.txt installed:

    python -m spec.upgrade.baseline --write        # = pytest --run-slow --baseline-write, then checks the file

This plugin records every case and, at the end of a run, loads the baseline and hands both to
spec/upgrade/changes.py, whose section "Changed since TensorFlow <baseline>" SPEC.md shows on any release.
`--baseline=PATH` compares with another file; `--baseline=none` leaves the section out.
"""
from __future__ import annotations

import functools
import json
import pathlib
import re
import subprocess
import sys

import pytest

from spec.report import collect, model
from spec.upgrade import changes

ROOT = pathlib.Path(__file__).resolve().parents[2]
BASELINE_DIR = pathlib.Path(__file__).resolve().with_name("baselines")
MAX_VALUES = 8  # oracle comparisons kept per case (nested comparisons of a structure count one each)


# ----------------------------------------------------------------------------------- options, hooks


def pytest_addoption(parser):
    group = parser.getgroup("tapespec")
    group.addoption("--baseline-write", action="store_true", default=False,
                    help="write spec/upgrade/baselines/tf-<TensorFlow version>.json from this run (the baseline of the pinned "
                    "release; see `python -m spec.upgrade.baseline --write`)")
    group.addoption("--baseline", default=None, metavar="PATH",
                    help="the baseline SPEC.md compares with (default: the spec/upgrade/baselines/ file of requirements.txt's "
                    "TensorFlow pin); `none` leaves the 'Changed since' section out")


def pytest_configure(config):
    _install_recorder()
    if hasattr(config, "workerinput"):
        return
    plugin = _Baseline(config)
    config.pluginmanager.register(plugin, "tapespec-baseline")
    if changes.section not in model.SECTIONS:
        model.SECTIONS.append(changes.section)


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
        reason = collect.reason(report, category)
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
            path.write_text(dump(version, collect.command(self.config), self.cases), encoding="utf-8")
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
        self.comparison = changes.compare(baseline, self.cases, version, deselected=self._deselected(session),
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


# ---------------------------------------------------------------------------------- the command


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m spec.upgrade.baseline", description=__doc__.split("\n\n")[0])
    parser.add_argument("--write", action="store_true",
                        help="run the whole suite (pytest --run-slow --baseline-write) and write spec/upgrade/baselines/tf-<version>.json")
    parser.add_argument("pytest_args", nargs="*", help="more pytest arguments (after --)")
    args = parser.parse_args(argv)
    if not args.write:
        parser.print_help()
        return 2
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--run-slow", "--baseline-write",
               *args.pytest_args]
    print("spec.upgrade.baseline: " + " ".join(command), flush=True)
    return subprocess.run(command, cwd=ROOT).returncode


if __name__ == "__main__":
    sys.exit(main())
