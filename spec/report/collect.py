"""The report's collector, a pytest plugin: every run writes artifacts/SPEC.md and artifacts/SPEC.html.

What it reads, all of it data the tests already carry:
- the chapter: the test file, titled by its module docstring's first line up to the colon;
- the claim: the first line (paragraph) of the test's docstring; errata add a `Corrected code::` block after it;
- the code: the test function and the helpers it uses, read from the file (spec/report/snippets.py);
- what TensorFlow returned, raised, warned and logged on this run (spec/harness/observe.py, `report.tapespec_observed`)
  and the pictures a test drew (spec/harness/pictures.py);
- the sources: `@pytest.mark.source(...)` ids, looked up in spec/report/sources.py;
- the case: `item.callspec.params["where"]` (mode and device) and any other parameters;
- the outcome: pytest's own classification of every report (`pytest_report_teststatus`), so the totals
  at the top of SPEC.md are the numbers in pytest's summary line (passed, failed, skipped, xfailed,
  xpassed, errors, deselected, warnings).

At the end of the session the model (spec/report/model.py) is built from what was collected and rendered twice:
SPEC.md by spec/report/markdown.py, SPEC.html by spec/report/html.py.

It works for a full run, a partial one (`-k`, one file) and under pytest-xdist: the metadata travels on
each test report (`report.tapespec`, `report.tapespec_observed`), and only the controlling process (no
`workerinput`) writes. Everything is ordered by file and collection order, never by arrival order, so a
parallel run writes the same report as a serial one (apart from the timing line).
"""
from __future__ import annotations

import collections
import re
import time

import pytest

from spec.bugs import known_bug_of
from spec.report import html, markdown, model
from spec.report.outcomes import MODE_ORDER

REPORT_NAME = "SPEC.md"
HTML_NAME = "SPEC.html"


# ------------------------------------------------------------------------------- metadata per test


def _first_line(doc: str | None) -> str:
    """The docstring's first paragraph on one line (a long first line may be wrapped)."""
    paragraph = (doc or "").strip().split("\n\n", 1)[0]
    return " ".join(paragraph.split())


def _corrected_code(doc: str | None) -> str:
    """The indented block after `Corrected code::` in a docstring, dedented; "" if there is none."""
    if not doc or "Corrected code::" not in doc:
        return ""
    lines = [line.rstrip() for line in doc.split("Corrected code::", 1)[1].splitlines()]
    while lines and not lines[0].strip():
        lines.pop(0)
    while lines and not lines[-1].strip():
        lines.pop()
    indent = min((len(x) - len(x.lstrip()) for x in lines if x.strip()), default=0)
    return "\n".join(x[indent:] for x in lines)


def item_metadata(item) -> dict:
    """Everything the report needs about one collected case, as JSON-friendly data."""
    module = getattr(item, "module", None)
    function = getattr(item, "function", None)
    callspec = getattr(item, "callspec", None)
    params = dict(callspec.params) if callspec is not None else {}
    where = params.pop("where", None)
    case_id = callspec.id if callspec is not None else ""
    variant = case_id
    if where is not None:  # the other parameters' id: the case id without the mode-device part
        variant = re.sub("-{2,}", "-", case_id.replace(f"{where.mode}-{where.device}", "")).strip("-")
    refs = [str(ref) for mark in item.iter_markers("source") for ref in mark.args]
    doc = getattr(function, "__doc__", None)
    eager_only = item.get_closest_marker("eager_only")
    bug = known_bug_of(item)
    return {
        "file": item.nodeid.split("::", 1)[0],
        "chapter": _first_line(getattr(module, "__doc__", None)),
        "chapter_doc": (getattr(module, "__doc__", None) or "").strip(),
        "name": getattr(item, "originalname", None) or item.name,
        "claim": _first_line(doc),
        "corrected": _corrected_code(doc),
        "erratum": item.get_closest_marker("erratum") is not None,
        "eager_only": str(eager_only.args[0]) if eager_only is not None and eager_only.args else "",
        "keras": item.get_closest_marker("keras") is not None,
        "benchmark": bool({"bench", "benchmark"} & set(getattr(item, "fixturenames", ()))),
        "known_bug": None if bug is None else {"summary": str(getattr(bug, "summary", bug)),
                                               "issue": str(getattr(bug, "issue", ""))},
        "sources": list(dict.fromkeys(refs)),
        "mode": getattr(where, "mode", None),
        "device": getattr(where, "device", None),
        "variant": variant,
        # where the test and the case sit in the file, so the report keeps file order under -p random_order or xdist
        "line": item.location[1] or 0,
        "case_key": [i for k, i in sorted(getattr(callspec, "indices", {}).items()) if k != "where"]
        + [MODE_ORDER.get(getattr(where, "mode", None), 0)],
    }


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Attach the case's metadata to each of its reports; xdist carries it from worker to controller."""
    report = yield
    report.tapespec = item_metadata(item)
    return report


# ------------------------------------------------------------------------------------- the writer


def pytest_configure(config):
    if hasattr(config, "workerinput"):  # an xdist worker: the controller writes the report
        return
    config.pluginmanager.register(SpecReport(config), "tapespec-report")


# ------------------------------------------------------------------------------------- the collector


class SpecReport:
    def __init__(self, config):
        self.config = config
        self.started = time.time()
        self.collected: dict[str, dict] = {}  # nodeid -> metadata, before -k/-m deselection
        self.worker_order: list[str] = []  # collection order after every plugin reordered (under xdist: the workers')
        self.cases: dict[str, dict] = {}  # nodeid -> {"meta": ..., "outcomes": [(category, when, reason)]}
        self.totals: collections.Counter = collections.Counter()
        self.collect_errors: list[str] = []
        self.warnings: dict[str, list] = {}  # nodeid -> Python warnings pytest recorded (not asserted by the test)
        self.sections = model.SECTIONS  # the other plugins' sections (the same list: they register after this)
        self.written = None
        self.html_written = None
        self.failed_to_write = ""

    # -- gathering

    @pytest.hookimpl(wrapper=True, tryfirst=True)
    def pytest_collection_modifyitems(self, session, config, items):
        for item in items:  # everything collected, before -k / -m deselect any of it
            if hasattr(item, "function"):
                self.collected[item.nodeid] = item_metadata(item)
        result = yield
        self.worker_order = [item.nodeid for item in items]  # the final order, as xdist's workers report it
        return result

    @pytest.hookimpl(optionalhook=True)
    def pytest_xdist_node_collection_finished(self, node, ids):
        """Every xdist worker collects the same items in the same order: the first one's is the collection order."""
        if not self.worker_order:
            self.worker_order = list(ids)

    def position(self) -> dict:
        """nodeid -> its place in collection order (before any shuffle), serially and under pytest-xdist alike."""
        return {nodeid: i for i, nodeid in enumerate(self.worker_order or self.collected)}

    def pytest_deselected(self, items):
        self.totals["deselected"] += len(items)

    def pytest_warning_recorded(self, warning_message, when, nodeid, location):
        self.totals["warnings"] += 1
        if nodeid and when == "runtest":
            message = getattr(warning_message, "message", warning_message)
            text = f"{type(message).__name__ if isinstance(message, Warning) else 'Warning'}: {message}"
            text = re.sub(r"\b0x[0-9a-fA-F]{6,}\b", "0x…", text)  # memory addresses differ from run to run
            found = self.warnings.setdefault(nodeid, [])
            if text not in found and len(found) < 3:
                found.append(text[:800])

    def pytest_collectreport(self, report):
        if report.failed:
            self.totals["error"] += 1
            self.collect_errors.append(f"{report.nodeid or '(session)'}: {crash_line(report)}")
        elif report.skipped:
            self.totals["skipped"] += 1

    def pytest_runtest_logreport(self, report):
        category = self.config.hook.pytest_report_teststatus(report=report, config=self.config)[0]
        if not category or not getattr(report, "count_towards_summary", True):
            return  # a passing setup or teardown: pytest counts nothing for it either
        self.totals[category] += 1
        meta = getattr(report, "tapespec", None) or self.collected.get(report.nodeid) or {}
        case = self.cases.setdefault(report.nodeid, {"nodeid": report.nodeid, "meta": meta, "outcomes": [], "observed": []})
        case["outcomes"].append((category, report.when, reason(report, category)))
        case["observed"].extend(getattr(report, "tapespec_observed", None) or [])

    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self, session, exitstatus):
        if self.config.option.collectonly:  # --collect-only runs nothing: keep the last real report
            return
        try:
            path = self.config.artifacts_dir / REPORT_NAME
        except AttributeError:  # conftest did not configure (usage error): nothing to report on
            return
        try:
            text = markdown.render(self)
            path.write_text(text, encoding="utf-8")
            self.written = path
            html_path = path.with_name(HTML_NAME)
            html_path.write_text(html.render(self, text), encoding="utf-8")
            self.html_written = html_path
        except Exception as err:  # noqa: BLE001 - a report bug must not hide the test results
            self.failed_to_write = f"{type(err).__name__}: {err}"

    def pytest_terminal_summary(self, terminalreporter):
        if self.written is not None:
            also = f" and {self.html_written.name}" if self.html_written is not None else ""
            terminalreporter.write_line(f"tapespec: wrote {self.written}{also} ({self.summary_line()})")
            if self.failed_to_write:
                terminalreporter.write_line(f"tapespec: could not write {HTML_NAME}: {self.failed_to_write}", red=True)
            silent = [b for b in self.behaviours() if b.silent]
            if silent:
                names = ", ".join(f"{b.number} {b.name}" for b in silent[:5]) + (", …" if len(silent) > 5 else "")
                terminalreporter.write_line(f"tapespec: {len(silent)} TensorFlow behaviour(s) ran but recorded nothing "
                                            f"TensorFlow returned (SPEC.md shows ⚠️ under each): {names}", yellow=True)
        elif self.failed_to_write:
            terminalreporter.write_line(f"tapespec: could not write {REPORT_NAME}: {self.failed_to_write}", red=True)

    def summary_line(self) -> str:
        """The counts in pytest's words and order: '12 passed, 3 skipped, 2 deselected, 1 warning'."""
        keys = ["failed", "passed", "skipped", "deselected", "xfailed", "xpassed", "warnings", "error"]
        parts = []
        for key in keys + sorted(set(self.totals) - set(keys)):
            n = self.totals.get(key, 0)
            if n:
                word = {"warnings": "warning", "error": "error"}.get(key, key)
                parts.append(f"{n} {word}{'s' if n != 1 and key in ('warnings', 'error') else ''}")
        return ", ".join(parts) or "no tests ran"

    def command(self) -> str:
        """The command line that ran, as SPEC.md's first line names it."""
        return command(self.config)

    # -- the model both SPEC.md and SPEC.html are rendered from

    def behaviours(self) -> list[model.Behaviour]:
        """Every behaviour that has a case in this run, in file order then test order (cached per report)."""
        key = (len(self.cases), sum(len(c["outcomes"]) for c in self.cases.values()))
        if getattr(self, "_behaviours_key", None) != key:
            chapters = model.chapters_of(self.cases, self.position())
            self._behaviours_key, self._behaviours = key, model.build(chapters, self.warnings, self.skip_reasons())
        return self._behaviours

    def chapter_pictures(self, file: str) -> list[tuple[str, str]]:
        """Pictures another plugin drew during this session for a whole chapter (the benchmark plots)."""
        root = getattr(self.config, "artifacts_dir", None)
        found = []
        for relpath, (chapter_file, caption) in model.CHAPTER_PICTURES.items():
            if chapter_file != file or root is None:
                continue
            path = root / relpath
            try:
                if path.stat().st_mtime >= self.started - 1:
                    found.append((relpath, caption))
            except OSError:
                continue
        return found

    def ran_where(self) -> str:
        """How many cases ran (were not skipped) in each mode and on each device in this run."""
        ran = collections.Counter()
        for case in self.cases.values():
            if any(c != "skipped" for c, _, _ in case["outcomes"]):
                meta = case["meta"] or {}
                if meta.get("mode"):
                    ran[f"{meta['mode']}-{meta.get('device')}"] += 1
                else:
                    ran["no mode axis"] += 1
        return ", ".join(f"{k} {n}" for k, n in sorted(ran.items())) or "nothing ran"

    def in_collection_order(self) -> list:
        """The cases in collection order (not arrival order, which xdist and random order change)."""
        position = self.position()
        return sorted(self.cases.values(), key=lambda c: (position.get(c["nodeid"], len(position)), c["nodeid"]))

    def skip_reasons(self) -> dict:
        reasons: dict = {}
        for case in self.in_collection_order():
            for category, _, reason in case["outcomes"]:
                if category == "skipped" and reason not in reasons:
                    reasons[reason] = f"S{len(reasons) + 1}"
        return reasons


# ----------------------------------------------------------------------------------------- helpers


def crash_line(report) -> str:
    """The whole failure message on one line: expected and actual, oracle and tolerance, as the assertion
    or pytest.raises wrote them (NumPy's and pytest's reports start with an empty or generic first line)."""
    longrepr = report.longrepr
    crash = getattr(getattr(longrepr, "reprcrash", None), "message", None)
    text = crash if crash else str(longrepr or "")
    lines = [" ".join(x.split()) for x in text.splitlines() if x.strip()]
    lines = [x for x in lines if x not in ("AssertionError:", "E")]
    if len(lines) > 1 and re.match(r"(AssertionError: )?assert ", lines[0]):
        lines = [x for x in lines if not x.startswith(("+ where", "+ and"))]  # pytest's call-site explanations
    line = " · ".join(lines)
    is_none = re.fullmatch(r"(?:AssertionError: )?assert (.+) is None", line)
    if is_none:
        line = f"expected None; actual: {is_none.group(1)}"
    raised = re.match(r"(?:Failed: )?DID NOT RAISE (?:<class '([\w.]+)'>|(.+))$", line)
    if raised:  # pytest.raises: name both sides
        line = f"expected {raised.group(1) or raised.group(2)} to be raised; actual: no exception"
    elif line.startswith("[XPASS(strict)]"):
        line = "expected the known bug (strict xfail); actual: the assertion passed · " + line
    elif re.match(r"[\w.]+(Error|Exception|Warning)\b", line) and not line.startswith("AssertionError"):
        line = f"expected no exception; actual: {line}"
    return line if len(line) <= 1200 else line[:1199] + "…"


def reason(report, category: str) -> str:
    if category == "skipped" and isinstance(report.longrepr, tuple):
        return str(report.longrepr[2]).removeprefix("Skipped: ")
    if category in ("xfailed", "xpassed"):
        return str(getattr(report, "wasxfail", "")).removeprefix("reason: ")
    if category in ("failed", "error"):
        return crash_line(report)
    return ""


def command(config) -> str:
    args = [a for a in config.invocation_params.args]
    return " ".join(["pytest", *args]) if args else "pytest"
