"""The living-documentation report: every pytest run writes artifacts/SPEC.md and artifacts/SPEC.html.

What it reads, all of it data the tests already carry:
- the chapter: the test file, titled by its module docstring's first line up to the colon;
- the claim: the first line (paragraph) of the test's docstring; errata add a `Corrected code::` block after it;
- the code: the test function and the helpers it uses, read from the file (spec/support/snippets.py);
- what TensorFlow returned, raised, warned and logged on this run (spec/support/observe.py, `report.tapespec_observed`)
  and the pictures a test drew (spec/support/pictures.py);
- the sources: `@pytest.mark.source(...)` ids, looked up in spec/support/sources.py;
- the case: `item.callspec.params["where"]` (mode and device) and any other parameters;
- the outcome: pytest's own classification of every report (`pytest_report_teststatus`), so the totals
  at the top of SPEC.md are the numbers in pytest's summary line (passed, failed, skipped, xfailed,
  xpassed, errors, deselected, warnings).

Each behaviour renders as: claim, code, what TensorFlow returned (the eager CPU case), pictures, one outcome
line for all modes and devices (a table only where the outcomes differ), sources. Then an index by API and by
pitfall (spec/support/index.py). `behaviours()` is the model both SPEC.md and SPEC.html
(spec/support/html_report.py) are rendered from.

It works for a full run, a partial one (`-k`, one file) and under pytest-xdist: the metadata travels on
each test report (`report.tapespec`, `report.tapespec_observed`), and only the controlling process (no
`workerinput`) writes. Everything is ordered by file and collection order, never by arrival order, so a
parallel run writes the same report as a serial one (apart from the timing line).
"""
from __future__ import annotations

import collections
import dataclasses
import datetime
import platform
import re
import sys
import time

import pytest

from spec.support import index as index_mod
from spec.support import snippets
from spec.support import sources as sources_mod

REPORT_NAME = "SPEC.md"
HTML_NAME = "SPEC.html"
ORDER = ("passed", "failed", "skipped", "xfailed", "xpassed", "error")
ICON = {"passed": "✅", "failed": "❌", "skipped": "⏭️", "xfailed": "➖", "xpassed": "⚠️", "error": "💥"}
_MODE_ORDER = {"eager": 0, "function": 1, "xla": 2}
WORST = ("error", "failed", "xpassed", "passed", "xfailed", "skipped")  # a behaviour's headline outcome

#: Other plugins' sections of SPEC.md: callables (SpecReport) -> markdown, rendered after the errata in
#: registration order (the op atlas, the upgrade report). A section that raises is replaced by one line.
SECTIONS: list = []
#: Chapters whose cases another section tabulates (file -> where): each behaviour gets one line of counts
#: instead of a case table (the op atlas has thousands of cases).
COMPACT_CHAPTERS: dict = {}


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


def known_bug_of(item):
    """The KnownBug an item's `known_bug` mark carries (the closest one), or None."""
    return next((m.args[0] for m in item.iter_markers("known_bug") if m.args), None)


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
        + [_MODE_ORDER.get(getattr(where, "mode", None), 0)],
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
        self.sections = SECTIONS  # the other plugins' sections (the same list: they register after this)
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

    def _position(self) -> dict:
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
            self.collect_errors.append(f"{report.nodeid or '(session)'}: {_crash_line(report)}")
        elif report.skipped:
            self.totals["skipped"] += 1

    def pytest_runtest_logreport(self, report):
        category = self.config.hook.pytest_report_teststatus(report=report, config=self.config)[0]
        if not category or not getattr(report, "count_towards_summary", True):
            return  # a passing setup or teardown: pytest counts nothing for it either
        self.totals[category] += 1
        meta = getattr(report, "tapespec", None) or self.collected.get(report.nodeid) or {}
        case = self.cases.setdefault(report.nodeid, {"nodeid": report.nodeid, "meta": meta, "outcomes": [], "observed": []})
        case["outcomes"].append((category, report.when, _reason(report, category)))
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
            markdown = self.render()
            path.write_text(markdown, encoding="utf-8")
            self.written = path
            from spec.support import html_report

            html_path = path.with_name(HTML_NAME)
            html_path.write_text(html_report.render(self, markdown), encoding="utf-8")
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

    # -- rendering

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

    def render(self) -> str:
        out: list[str] = []
        w = out.append
        elapsed = time.time() - self.started
        w("# tapespec: TensorFlow's autodiff, as specified and as run\n")
        w(f"Generated by `{_command(self.config)}` on "
          f"{datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC in {elapsed:.1f} s. "
          "Each behaviour below is a test: its claim, its code, what TensorFlow returned on this run, "
          "and its outcome in every execution mode and on every device.\n")
        w(f"**Totals: {self.summary_line()}** (the same counts as pytest's summary line).\n")
        w(_versions_table(self._ran_where()))

        behaviours = self.behaviours()
        chapters = _by_chapter(behaviours)
        w("## Contents\n")
        w("| chapter | behaviours | " + " | ".join(ORDER) + " |")
        w("|---|---:|" + "---:|" * len(ORDER))
        for title, group in chapters.items():
            counts = collections.Counter(c for b in group for case in b.cases for c, _, _ in case["outcomes"])
            w(f"| [{title}](#{_anchor(title)}) | {len(group)} | " + " | ".join(str(counts.get(k, 0) or "") for k in ORDER) + " |")
        w("")
        w("Also: [How to read a behaviour](#how-to-read-a-behaviour) · [Index by API](#index-by-api) · "
          "[Index by pitfall](#index-by-pitfall) · [Pictures](#pictures) · [Errata](#errata)\n")
        w(HOW_TO_READ)
        if self.collect_errors:
            w("## Collection errors\n")
            w("\n".join(f"- 💥 `{e}`" for e in self.collect_errors) + "\n")

        skip_reasons = self._skip_reasons()
        for title, group in chapters.items():
            w(f"## {title}\n")
            w(_chapter_intro(group[0]) + "\n")
            for relpath, caption in self.chapter_pictures(group[0].file):
                w(f"![{caption}]({relpath})\n")
            shown: dict = {}  # helper source -> the behaviour that showed it first in this chapter
            for b in group:
                w(behaviour_markdown(b, shown))

        errata = [b for b in behaviours if b.meta.get("erratum")]
        w("## Errata\n")
        if errata:
            w("Where the published documentation and the pinned TensorFlow disagree, the spec pins what "
              "TensorFlow does. Each erratum's corrected code is shown under its test above.\n")
            for b in errata:
                w(f"- {status_icon(b)} [`{b.name}`](#{b.anchor}) ({b.chapter.split(':')[0]}): {b.claim}")
            w("")
        else:
            w("No erratum ran in this run.\n")

        w(self._index_markdown(behaviours))
        if skip_reasons:
            w("## Skip reasons\n")
            for reason, key in skip_reasons.items():
                w(f"- **{key}**: {reason}")
            w("")
        for section in self.sections:
            try:
                w(section(self))
            except Exception as err:  # noqa: BLE001 - one broken section must not lose the report
                w(f"*(section {getattr(section, '__name__', section)} could not be rendered: {type(err).__name__}: {err})*\n")
        w(self._failures())
        w(self._plots(behaviours, "\n".join(out)))
        w(self._coverage())
        return "\n".join(out).rstrip() + "\n"

    # -- the model both SPEC.md and SPEC.html are rendered from

    def behaviours(self) -> list["Behaviour"]:
        """Every behaviour that has a case in this run, in file order then test order (cached per report)."""
        key = (len(self.cases), sum(len(c["outcomes"]) for c in self.cases.values()))
        if getattr(self, "_behaviours_key", None) == key:
            return self._behaviours
        result, anchors = [], set()
        skip_reasons = self._skip_reasons()
        for file, tests in self._chapters().items():
            for name, test in tests.items():
                b = _behaviour(file, name, test, self.warnings, skip_reasons)
                anchor = b.anchor
                n = 2
                while b.anchor in anchors:  # the same test name in two files
                    b.anchor = f"{anchor}-{n}"
                    n += 1
                anchors.add(b.anchor)
                result.append(b)
        self._behaviours_key, self._behaviours = key, result
        return result

    def chapter_pictures(self, file: str) -> list[tuple[str, str]]:
        """Pictures another plugin drew during this session for a whole chapter (the benchmark plots)."""
        root = getattr(self.config, "artifacts_dir", None)
        found = []
        for relpath, (chapter_file, caption) in CHAPTER_PICTURES.items():
            if chapter_file != file or root is None:
                continue
            path = root / relpath
            try:
                if path.stat().st_mtime >= self.started - 1:
                    found.append((relpath, caption))
            except OSError:
                continue
        return found

    def _index_markdown(self, behaviours) -> str:
        api, pitfalls = behaviour_index(behaviours)
        by_key = {b.key: b for b in behaviours}
        lines = ["## Index by API\n",
                 "Which behaviours use an API, from their code (and, for Keras, distribution, devices and "
                 "execution modes, their marks and chapter). Numbers are behaviours (chapter.test) and link to them.\n"]
        lines += [_index_line(label, keys, by_key) for label, keys in api.items()]
        lines += ["", "## Index by pitfall\n",
                  "Which behaviours show a pitfall, from what TensorFlow returned, raised, warned and logged on this run "
                  "and from their claims.\n"]
        lines += [_index_line(label, keys, by_key) for label, keys in pitfalls.items()]
        return "\n".join(lines) + "\n"

    def _chapters(self) -> dict:
        """file -> test name -> {"meta", "cases": [case...]}, in file order then test order as run."""
        chapters: dict = {}
        for nodeid, case in self.cases.items():
            meta = case["meta"] or {"file": nodeid.split("::")[0], "name": nodeid.split("::")[-1].split("[")[0]}
            tests = chapters.setdefault(meta["file"], {})
            tests.setdefault(meta["name"], {"meta": meta, "cases": []})["cases"].append(case)
        position = self._position()  # collection order, before any shuffle
        ordered = {}
        for file, tests in sorted(chapters.items()):
            ordered[file] = dict(sorted(tests.items(), key=lambda kv: kv[1]["meta"].get("line", 0)))
            for test in ordered[file].values():
                test["cases"].sort(key=lambda c: (position.get(c["nodeid"], len(position)), c["meta"].get("case_key", [])))
        return ordered

    def _ran_where(self) -> str:
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

    def _in_collection_order(self) -> list:
        """The cases in collection order (not arrival order, which xdist and random order change)."""
        position = self._position()
        return sorted(self.cases.values(), key=lambda c: (position.get(c["nodeid"], len(position)), c["nodeid"]))

    def _skip_reasons(self) -> dict:
        reasons: dict = {}
        for case in self._in_collection_order():
            for category, _, reason in case["outcomes"]:
                if category == "skipped" and reason not in reasons:
                    reasons[reason] = f"S{len(reasons) + 1}"
        return reasons

    def _failures(self) -> str:
        bad = [(case["nodeid"], c) for case in self._in_collection_order() for c in case["outcomes"]
               if c[0] in ("failed", "error", "xpassed")]
        if not bad:
            return ""
        lines = ["## Failures\n"]
        for nodeid, (category, when, reason) in bad:
            lines.append(f"- {ICON[category]} {category} ({when}) `{nodeid}`: {reason}")
        return "\n".join(lines) + "\n"

    def _plots(self, behaviours=(), text_so_far: str = "") -> str:
        """Every picture of this run: the behaviours' own (shown with them above) and any other image written
        to the artifacts folder during this session that no section showed (older files are left out)."""
        lines = ["## Pictures\n"]
        shown = [(relpath, caption, b) for b in behaviours for relpath, caption in b.pictures]
        if shown:
            lines.append("Each drawn on this run by the behaviour it illustrates, and shown there:\n")
            lines += [f"- [{caption}]({relpath}): [{b.number} `{b.name}`](#{b.anchor})" for relpath, caption, b in shown]
            lines.append("")
        root = getattr(self.config, "artifacts_dir", None)
        others = []
        if root is not None:
            for p in sorted(p for ext in ("png", "svg") for p in root.rglob(f"*.{ext}") if ".cache" not in p.parts):
                rel = p.relative_to(root).as_posix()
                try:
                    recent = p.stat().st_mtime >= self.started - 1
                except OSError:
                    recent = False
                if recent and f"]({rel})" not in text_so_far and rel not in {r for r, _, _ in shown}:
                    others.append(rel)
        for rel in others:
            lines.append(f"### {rel}\n\n![{pathlib_stem(rel)}]({rel})\n")
        if not shown and not others:
            lines.append("No picture was drawn in this run.\n")
        return "\n".join(lines)

    def _coverage(self) -> str:
        metas = list(self.collected.values()) or [c["meta"] for c in self.cases.values() if c["meta"]]
        cited = collections.Counter(r for m in metas for r in m.get("sources", []))
        files = sorted({m["file"] for m in metas})
        lines = ["## Source coverage\n"]
        lines.append(f"Over the {len(metas)} collected cases in {len(files)} chapter file(s) of this run: "
                     f"{sum(1 for k in sources_mod.SOURCES if k in cited)} of {len(sources_mod.SOURCES)} sources "
                     "are cited by at least one test (`@pytest.mark.source`). A partial run (`-k`, one file) "
                     "counts only what it collected.\n")
        unknown = sorted(set(cited) - set(sources_mod.SOURCES))
        if unknown:
            lines.append("Cited but not in spec/support/sources.py (a typo, or a source to add): "
                         + ", ".join(f"`{u}`" for u in unknown) + "\n")
        missing = [k for k, v in sources_mod.SOURCES.items() if k not in cited and not v["documentation_only"]]
        docs_only = [k for k, v in sources_mod.SOURCES.items() if k not in cited and v["documentation_only"]]
        if missing:
            lines.append(f"### Not covered by any test ({len(missing)})\n")
            lines.append("| id | behaviour | section |")
            lines.append("|---|---|---|")
            for k in missing:
                entry = sources_mod.SOURCES[k]
                ref = f"[{k}]({entry['url']})" if entry["url"] else k
                lines.append(f"| {ref} | {entry['title']} | {entry['section']} |")
            lines.append("")
        else:
            lines.append("Every seed claim and every catalogue behaviour is covered by at least one test.\n")
        if docs_only:
            lines.append("Documentation-only entries (no executable value; not counted as gaps): " + ", ".join(docs_only) + "\n")
        return "\n".join(lines)


# ----------------------------------------------------------------------------------------- helpers


def _crash_line(report) -> str:
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


def _reason(report, category: str) -> str:
    if category == "skipped" and isinstance(report.longrepr, tuple):
        return str(report.longrepr[2]).removeprefix("Skipped: ")
    if category in ("xfailed", "xpassed"):
        return str(getattr(report, "wasxfail", "")).removeprefix("reason: ")
    if category in ("failed", "error"):
        return _crash_line(report)
    return ""


def _headline(cases) -> str:
    seen = {c for case in cases for c, _, _ in case["outcomes"]}
    return next((k for k in WORST if k in seen), "")


def _chapter_title(file, tests) -> str:
    meta = next(iter(tests.values()))["meta"]
    return (meta.get("chapter") or file).split(":")[0].rstrip(".").strip() or file


def _anchor(title: str) -> str:
    """GitHub's heading anchor: lower case, punctuation dropped, spaces to hyphens."""
    return re.sub(r"[^\w\- ]", "", title.lower()).replace(" ", "-")


def _link_urls(text: str) -> str:
    text = " ".join(text.split())
    return re.sub(r"(?<![(<])(https?://[^\s)]+)", r"<\1>", text)


def _command(config) -> str:
    args = [a for a in config.invocation_params.args]
    return " ".join(["pytest", *args]) if args else "pytest"


def _versions_table(ran: str) -> str:
    import numpy as np
    import tensorflow as tf

    from spec.support import modes, runtime

    try:
        import keras

        keras_version = keras.__version__
    except Exception as err:  # noqa: BLE001 - Keras is optional for the report
        keras_version = f"not importable ({type(err).__name__})"
    caps = runtime.capabilities()
    rows = [
        ("TensorFlow", tf.__version__), ("Keras", keras_version),
        ("Python", f"{platform.python_version()} ({sys.implementation.name})"), ("NumPy", np.__version__),
        ("pytest", pytest.__version__), ("Platform", platform.platform()),
        ("Devices", f"CPU: {', '.join(caps.cpus)} (logical); GPU: {', '.join(caps.gpus) or 'none visible'}"),
        ("Modes", ", ".join(f"`{m}`" for m in modes.MODES) + " (eager; inside `tf.function`; `tf.function(jit_compile=True)`)"),
        ("Cases run (not skipped)", ran),
    ]
    return "| | |\n|---|---|\n" + "\n".join(f"| {k} | {v} |" for k, v in rows) + "\n"


# ------------------------------------------------------------------------- behaviours (the model)

HOW_TO_READ = """## How to read a behaviour

Each behaviour is one test, numbered chapter.test and named by its claim. Under the name:

- **the claim**, the docstring's first sentence, with its source;
- **the code**, exactly as the spec runs it, with the helpers of the same file it uses. `where.run(f, x)`
  calls `f(x)` in the case's execution mode (eagerly, inside `tf.function`, or `tf.function(jit_compile=True)`
  for XLA) on the case's device; `oracle.assert_close(actual, expected, TOL.X)` compares with a float64 oracle
  at a tolerance from spec/tolerances.py, each with its reason; `observe.returned(v)` returns `v` unchanged
  and records it for the block below;
- **what TensorFlow returned on this run**, as an interactive session prints it (`print(grad)` shows
  `tf.Tensor(6.0, shape=(), dtype=float32)`), with exceptions and warnings in full: the eager case on the CPU,
  and `# xla instead: ...` where another mode printed something else;
- **pictures**, where a behaviour draws one;
- **the outcome** in one line for every mode and device: ✅ passed, ❌ failed, 💥 error, ⏭️ skipped (with the
  reason), 🐞 known TensorFlow bug (the correct value is asserted as a strict xfail), ⚠️ a known bug that now
  passes; a table only where the cases' outcomes differ.

Where there is no "returned" block, one line says why: a test of tapespec itself (its assertion is what it
checks), a case not run in this run (with the skip reason), a failure before anything was recorded, or a
benchmark; ⚠️ marks a TensorFlow behaviour that ran and recorded nothing, a gap in the spec.
"""

#: pictures another plugin draws for a whole chapter, shown under the chapter's title when drawn by this run
CHAPTER_PICTURES = {
    "benchmarks/plots/tape_overhead_ratio.png": ("spec/test_90_benchmarks/test_g1_recording_overhead.py",
                                                  "G1: tape / no tape, paired ratios with their uncertainty"),
    "benchmarks/plots/cost_vs_ops.png": ("spec/test_90_benchmarks/test_g1_recording_overhead.py",
                                         "G1: forward time vs number of ops, with and without a tape"),
    "benchmarks/plots/cost_vs_size.png": ("spec/test_90_benchmarks/test_g1_recording_overhead.py",
                                          "G1: forward time vs tensor size, with and without a tape"),
    "benchmarks/plots/gradient_over_forward.png": ("spec/test_90_benchmarks/test_g2_gradient_cost.py",
                                                   "G2: (forward + gradient) / forward, paired ratios per mode"),
    "benchmarks/plots/jacobian_vs_outputs.png": ("spec/test_90_benchmarks/test_g5_jacobians.py",
                                                 "G5: Jacobian time vs output size, pfor vs loop"),
}
MAX_VARIANT_BLOCKS = 8  # cases of one behaviour shown in the "returned" block
#: Chapters that test tapespec itself, not TensorFlow: each behaviour there shows MACHINERY_NOTE where a
#: TensorFlow behaviour shows what TensorFlow returned.
MACHINERY_CHAPTERS = ("spec/test_97_upgrade_machinery.py", "spec/test_98_report.py",
                      "spec/test_90_benchmarks/test_g7_report.py")
MACHINERY_NOTE = "A test of tapespec itself, not of TensorFlow: what it checks is its assertion, shown in the code."
BENCHMARK_NOTE = ("A benchmark: nothing it returns is recorded, so that its timing does not include the recording; "
                  "its assertion checks the value.")
FAILED_NOTE = "Nothing TensorFlow returned was recorded before the test failed: its message is under [Failures](#failures)."
SILENT_NOTE = ("⚠️ Nothing TensorFlow returned was recorded on this run: the test passes no value through "
               "`where.run`, `observe.returned`, `pytest.raises`, `pytest.warns` or the oracle.")


@dataclasses.dataclass
class Behaviour:
    file: str
    name: str
    key: str  # file::name
    chapter: str  # the chapter's title
    number: str  # "1.2", "90.G1.1"
    anchor: str
    meta: dict
    cases: list
    status: str  # the headline outcome
    claim: str
    snippet: object  # snippets.Snippet or None
    console: list  # lines of the "returned" block
    console_case: str  # the case it shows: "eager-cpu"
    pictures: list  # [(path relative to artifacts/, caption)]
    outcome: str  # markdown: one line, or a table
    outcome_differs: bool  # the cases' outcomes differ (a table)
    differs: bool  # modes disagree: outcomes or printed values
    raised: list  # exception types this run raised (any case)
    warned: bool
    returned: list  # printed values (any case), for the pitfall index
    compact: bool  # another section tabulates its cases (the op atlas)
    note: str = ""  # one line where the "returned" block would be, when there is none: why (_note)

    @property
    def silent(self) -> bool:
        """A TensorFlow behaviour that ran and recorded nothing (SILENT_NOTE)."""
        return self.note == SILENT_NOTE


def _final(case) -> tuple[str, str, str]:
    """A case's outcome: its worst report (an error at teardown outranks a passed call)."""
    outcomes = case["outcomes"]
    for category in WORST:
        for c, when, reason in outcomes:
            if c == category:
                return c, when, reason
    return ("", "", "")


def _label(category: str, when: str, reason: str, meta: dict, short: bool = False) -> str:
    if category == "passed":
        return "✅"
    if category == "failed":
        return "❌ failed"
    if category == "error":
        return f"💥 error at {when}"
    if category == "xfailed":
        return "🐞 known bug" if meta.get("known_bug") else ("➖ xfail" if short else f"➖ xfail: {reason}")
    if category == "xpassed":
        return "⚠️ XPASS: the known bug no longer shows"
    if category == "skipped":
        if runtime_no_gpu(reason):
            return "⏭️ no GPU"
        return "⏭️" if short else f"⏭️ skipped: {reason}"
    return category


def runtime_no_gpu(reason: str) -> bool:
    from spec.support import runtime

    return runtime.NO_GPU_REASON in (reason or "")


def _outcome(cases, meta, skip_reasons, compact_where: str = "") -> tuple[str, bool]:
    """The outcome in one line (`eager ✅ · function ✅ · xla ✅ · gpu not run: no GPU visible`), or a table
    where the cases' outcomes differ. Returns (markdown, differs)."""
    if compact_where:
        counts = collections.Counter(c for case in cases for c, _, _ in case["outcomes"])
        return (f"**Outcome:** {len(cases)} cases: " + ", ".join(f"{ICON[k]} {counts[k]} {k}" for k in ORDER if counts[k])
                + f"; case by case in {compact_where}.\n", False)
    rows, case_meta = [], {}
    for case in cases:
        m = case["meta"] or {}
        category, when, reason = _final(case)
        rows.append((m.get("variant", ""), m.get("mode") or "", m.get("device") or "", category, when, reason))
        case_meta[(m.get("variant", ""), m.get("mode") or "", m.get("device") or "")] = m
    variants = list(dict.fromkeys(r[0] for r in rows))
    has_where = any(r[1] for r in rows)
    if not has_where:
        distinct = {(r[3], r[5]) for r in rows}
        if len(distinct) == 1:
            category, when, reason = rows[0][3], rows[0][4], rows[0][5]
            each = f" (each of {len(rows)} cases)" if len(rows) > 1 else ""
            label = _label(category, when, reason, meta)
            return f"**Outcome{each}:** {'✅ passed' if label == '✅' else label}\n", False
        lines = ["**Outcome:** the cases differ.\n", "| case | outcome |", "|---|---|"]
        lines += [f"| `{v or '(no parameters)'}` | {_label(c, wh, r, case_meta.get((v, mo, d), meta))} |"
                  for v, mo, d, c, wh, r in rows]
        return "\n".join(lines) + "\n", True
    gpu = [r for r in rows if r[2] == "gpu"]
    gpu_note = ""
    if gpu and all(r[3] == "skipped" and runtime_no_gpu(r[5]) for r in gpu):
        gpu_note = "gpu not run: no GPU visible"
        rows = [r for r in rows if r[2] != "gpu"]
    devices = sorted({r[2] for r in rows}, key=lambda d: (d != "cpu", d))
    modes_present = sorted({r[1] for r in rows}, key=lambda m: _MODE_ORDER.get(m, 9))
    cells: dict = {}
    for v, mode, device, category, when, reason in rows:
        cells.setdefault((device, mode), {})[v] = (category, when, reason)
    uniform = all(len(set(vs.values())) == 1 for vs in cells.values())
    # modes disagree when one variant on one device has different (non-skip) outcomes between modes
    differs = False
    for device in devices:
        for v in variants:
            seen = {cells.get((device, m), {}).get(v, ("",))[0] for m in modes_present} - {"", "skipped"}
            differs |= len(seen) > 1
    tail = []
    if meta.get("eager_only") and modes_present == ["eager"]:
        tail.append(f"function, xla not run: eager only ({meta['eager_only']})")
    if gpu_note:
        tail.append(gpu_note)
    if uniform:
        def segment(device):
            parts = []
            for m in modes_present:
                if (device, m) in cells:
                    v, entry = next(iter(cells[(device, m)].items()))
                    parts.append(f"{m} {_label(*entry, case_meta.get((v, m, device), meta))}")
            return " · ".join(parts)
        segments = [segment(d) for d in devices]
        if len(set(segments)) == 1:
            body = segments[0] + (f" (on {' and '.join(devices)})" if len(devices) > 1 else "")
        else:
            body = " · ".join(f"{d}: {s}" for d, s in zip(devices, segments))
        each = f" (each of {len(variants)} cases)" if len(variants) > 1 else ""
        return f"**Outcome{each}:** " + " · ".join([body] + tail) + "\n", differs
    columns = [(d, m) for d in devices for m in modes_present if (d, m) in cells]
    head = [m if len(devices) == 1 else f"{m} ({d})" for d, m in columns]
    lines = ["**Outcome:** the cases differ" + (f" · {' · '.join(tail)}" if tail else "") + ".\n",
             "| case | " + " | ".join(head) + " |", "|---|" + ":-:|" * len(columns)]
    used = {}
    for v in variants:
        row = []
        for d, m in columns:
            entry = cells[(d, m)].get(v)
            if entry is None:
                row.append("")
                continue
            text = _label(*entry, case_meta.get((v, m, d), meta), short=True)
            if entry[0] == "skipped" and not runtime_no_gpu(entry[2]):
                code = skip_reasons.get(entry[2], "?")
                used[code] = entry[2]
                text += f" {code}"
            row.append(text)
        escaped = v.replace("|", "\\|")
        lines.append(f"| `{escaped}` | " + " | ".join(row) + " |" if v else "| | " + " | ".join(row) + " |")
    lines.append("")
    lines += [f"- ⏭️ **{code}**: {reason}" for code, reason in sorted(used.items(), key=lambda kv: int(kv[0][1:]) if kv[0][1:].isdigit() else 0)]
    return "\n".join(lines).rstrip() + "\n", True


def _console(file: str, cases: list, snippet, warnings: dict) -> tuple[list, str, bool]:
    """The "returned" block: per case (variant), the eager CPU case's records (else the first case that
    recorded anything), with other modes' differing values noted. Returns (lines, case shown, differs)."""
    groups: dict = {}
    for case in cases:
        groups.setdefault((case["meta"] or {}).get("variant", ""), []).append(case)
    show_types = bool(snippet) and ("isinstance(" in snippet.text or "type(" in snippet.text)
    lines, shown, differs, blocks = [], "", False, 0
    for variant, vcases in groups.items():
        def records(case):
            found = [r for r in case.get("observed", []) if r["kind"] != "picture"]
            if any(r["kind"] != "checked" for r in found):
                found = [r for r in found if r["kind"] != "checked"]
            return found

        with_records = [c for c in vcases if records(c) or warnings.get(c["nodeid"])]
        if not with_records:
            continue
        rep = next((c for c in with_records if (c["meta"] or {}).get("mode") in ("eager", None)
                    and (c["meta"] or {}).get("device") in ("cpu", None)), with_records[0])
        rep_meta = rep["meta"] or {}
        alternatives = {(c["meta"] or {}).get("mode"): records(c) for c in with_records
                        if c is not rep and (c["meta"] or {}).get("device") == rep_meta.get("device")
                        and (c["meta"] or {}).get("mode")}
        block = snippets.console(file, records(rep), show_types, alternatives)
        block += [f"# Python warning (not asserted by the test): {w}" for w in warnings.get(rep["nodeid"], [])]
        differs |= any(x.startswith("# ") and " instead: " in x for x in block)
        if not block:
            continue
        blocks += 1
        if blocks > MAX_VARIANT_BLOCKS:
            continue
        if len(groups) > 1 and variant:
            lines.append(f"# case: {variant}")
        lines += block
        if not shown:
            shown = f"{rep_meta.get('mode')}-{rep_meta.get('device')}" if rep_meta.get("mode") else ""
    if blocks > MAX_VARIANT_BLOCKS:
        lines.append(f"# … and {blocks - MAX_VARIANT_BLOCKS} more cases")
    return lines, shown, differs


def _chapter_number(title: str, file: str) -> str:
    match = re.match(r"Chapter (\d+)(?:, (G\d+))?", title)
    if match:
        return match.group(1) + (f".{match.group(2)}" if match.group(2) else "")
    stem = file.rsplit("/", 1)[-1].removesuffix(".py")
    return stem.removeprefix("test_")


def _behaviour(file: str, name: str, test: dict, warnings: dict, skip_reasons: dict) -> Behaviour:
    meta, cases = test["meta"], test["cases"]
    title = _chapter_title(file, {name: test})
    snippet = snippets.snippet(file, name)
    number = f"{_chapter_number(title, file)}.{snippet.number if snippet and snippet.number else '?'}"
    compact = file in COMPACT_CHAPTERS
    console, console_case, values_differ = ([], "", False) if compact else _console(file, cases, snippet, warnings)
    outcome, outcome_differs = _outcome(cases, meta, skip_reasons, COMPACT_CHAPTERS.get(file, ""))
    pictures = list(dict.fromkeys((r["value"], r.get("label", "")) for c in cases for r in c.get("observed", [])
                                  if r["kind"] == "picture"))
    observed = [r for c in cases for r in c.get("observed", [])]
    note = "" if console or compact else _note(file, cases, meta)
    return Behaviour(
        file=file, name=name, key=f"{file}::{name}", chapter=title, number=number, anchor=name, meta=meta,
        cases=cases, status=_headline(cases), claim=meta.get("claim") or "", snippet=snippet, console=console,
        console_case=console_case, pictures=pictures, outcome=outcome, outcome_differs=outcome_differs,
        differs=values_differ or _modes_disagree(cases), compact=compact,
        raised=list(dict.fromkeys(r.get("type", "") for r in observed if r["kind"] == "raised")),
        warned=any(r["kind"] in ("warned", "logged") for r in observed) or any(warnings.get(c["nodeid"]) for c in cases),
        returned=[r.get("value", "") for r in observed if r["kind"] in ("returned", "checked")],
        note=note,
    )


def _note(file: str, cases, meta: dict) -> str:
    """Why a behaviour shows no "returned" block: a test of tapespec itself, a case not run (the skip reasons),
    a benchmark, a failure before anything was recorded, or (SILENT_NOTE, a gap in the spec) a TensorFlow
    behaviour that ran and recorded nothing."""
    if file in MACHINERY_CHAPTERS:
        return MACHINERY_NOTE
    finals = [_final(case) for case in cases]
    if finals and all(category == "skipped" for category, _, _ in finals):
        reasons = list(dict.fromkeys(reason or "no reason given" for _, _, reason in finals))
        return (f"What TensorFlow returned on this run: nothing (not run). Skip reason{'s' if len(reasons) > 1 else ''}: "
                + "; ".join(reasons).rstrip(".") + ".")
    if meta.get("benchmark"):
        return BENCHMARK_NOTE
    ran = [category for category, _, _ in finals if category != "skipped"]
    if ran and all(category in ("failed", "error") for category in ran):
        return FAILED_NOTE
    return SILENT_NOTE


def _modes_disagree(cases) -> bool:
    by: dict = {}
    for case in cases:
        m = case["meta"] or {}
        if m.get("mode"):
            category = _final(case)[0]
            if category != "skipped":
                by.setdefault((m.get("variant"), m.get("device")), set()).add(category)
    return any(len(v) > 1 for v in by.values())


def _by_chapter(behaviours) -> dict:
    chapters: dict = {}
    for b in behaviours:
        chapters.setdefault(b.chapter, []).append(b)
    return chapters


def _chapter_intro(b: Behaviour) -> str:
    doc = b.meta.get("chapter_doc", "")
    head, _, rest = " ".join(doc.split()).partition(":")
    rest = rest.strip().removeprefix("-").strip()
    rest = (rest[:1].upper() + rest[1:]) if rest else ""
    return f"`{b.file}`" + (f". {_link_urls(rest)}" if rest else "")


def code_parts(b: Behaviour, shown: dict) -> tuple[str, list, str]:
    """(a comment naming the helpers shown earlier in the chapter, the helpers not shown yet, the test's code);
    `shown` (helper source -> behaviour number) is updated."""
    if b.snippet is None or b.compact:
        return "", [], ""
    new, earlier = [], {}
    for name, source in b.snippet.helpers:
        if source in shown:
            earlier.setdefault(shown[source], []).append(name)
        else:
            new.append((name, source))
            shown[source] = b.number
    note = "; ".join(f"{', '.join(names)}: as in {number} above" for number, names in earlier.items())
    return (f"# uses {note}" if note else ""), new, b.snippet.code


def _fence(body: str, lang: str = "") -> str:
    """A fenced code block whose fence is longer than any backtick run at the start of a line of `body`."""
    longest = max((len(m) for m in re.findall(r"(?m)^\s*(`{3,})", body)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}{lang}\n{body}\n{fence}\n"


def behaviour_markdown(b: Behaviour, shown: dict | None = None) -> str:
    """One behaviour in SPEC.md: claim, code, what TensorFlow returned, pictures, outcome, known bug, sources."""
    out = [f'<a id="{b.anchor}"></a>\n', f"### {status_icon(b)} {b.number} `{b.name}`\n",
           f"{b.claim or '*(no docstring: the claim is missing)*'}\n"]
    if b.meta.get("erratum") and b.meta.get("corrected"):
        out.append("Corrected code:\n\n" + _fence(b.meta["corrected"], "python"))
    note, helpers, code = code_parts(b, {} if shown is None else shown)
    if code:
        helper_code = "\n\n".join(source for _, source in helpers)
        lead = (note + "\n") if note else ""
        if len(helper_code.splitlines()) <= 20:
            out.append(_fence(lead + (helper_code + "\n\n\n" if helpers else "") + code, "python"))
        else:
            names = ", ".join(f"`{n}`" for n, _ in helpers)
            out.append(f"<details><summary>Helpers it uses ({len(helper_code.splitlines())} lines): {names}</summary>\n\n"
                       + _fence(helper_code, "python") + "\n</details>\n")
            out.append(_fence(lead + code, "python"))
    if b.console:
        where = f" ({b.console_case.replace('-', ', ')})" if b.console_case else ""
        out.append(f"What TensorFlow returned on this run{where}:\n\n" + _fence("\n".join(b.console), "pycon"))
    elif b.note:
        out.append(f"{b.note}\n")
    for relpath, caption in b.pictures:
        out.append(f"![{caption}]({relpath})\n")
    out.append(b.outcome)
    for bug, variants in known_bugs(b).items():
        summary, issue = bug
        link = issue if issue in ("", "unreported") else f"[{issue.split('github.com/')[-1].replace('/issues/', '#')}]({issue})"
        where = f" In {', '.join(f'`{v}`' for v in variants)}." if variants else ""
        out.append(f"🐞 Known TensorFlow bug: {summary} ({link or 'unreported'}).{where}\n")
    refs = b.meta.get("sources") or []
    out.append("Source: " + (" · ".join(sources_mod.describe(r) for r in refs) if refs else "**none declared**") + "\n")
    return "\n".join(out)


def status_icon(b: Behaviour) -> str:
    """The headline outcome's icon; 🐞 for a behaviour whose worst outcome is a known TensorFlow bug."""
    return "🐞" if b.status == "xfailed" and known_bugs(b) else ICON.get(b.status, "")


def known_bugs(b: Behaviour) -> dict:
    """(summary, issue) -> the cases' variants it marks ([] when it marks every case), in case order."""
    found: dict = {}
    variants = list(dict.fromkeys((c["meta"] or {}).get("variant", "") for c in b.cases))
    for case in b.cases:
        bug = (case["meta"] or {}).get("known_bug")
        if bug:
            found.setdefault((bug.get("summary", ""), bug.get("issue", "")), []).append((case["meta"] or {}).get("variant", ""))
    out = {}
    for key, marked in found.items():
        marked = list(dict.fromkeys(marked))
        out[key] = [] if set(marked) == set(variants) or marked == [""] else marked
    return out


def behaviour_index(behaviours) -> tuple[dict, dict]:
    """(API entries, pitfall entries): label -> behaviour keys (spec/support/index.py)."""
    facts = []
    for b in behaviours:
        if b.compact:
            continue
        snip = b.snippet
        facts.append({
            "key": b.key, "file": b.file, "meta": b.meta, "claim": b.claim,
            "calls": snip.calls if snip else set(), "keywords": snip.keywords if snip else set(),
            "text": snip.text if snip else "", "returned": b.returned, "raised": b.raised, "warned": b.warned,
            "differs": b.differs, "known_bug": bool(known_bugs(b)),
        })
    return index_mod.api_entries(facts), index_mod.pitfall_entries(facts)


MAX_INDEX_LINKS = 60  # an entry with more behaviours is listed by chapter


def _index_line(label: str, keys: list, by_key: dict) -> str:
    found = [by_key[k] for k in keys if k in by_key]
    if len(found) > MAX_INDEX_LINKS:
        chapters = collections.Counter(b.chapter for b in found)
        links = " · ".join(f"[{_chapter_number(c, '')}]({'#' + _anchor(c)}) ({n})" for c, n in chapters.items())
        return f"- **{label}** ({len(found)} behaviours; by chapter): {links}"
    return f"- **{label}** ({len(found)}): " + " · ".join(f"[{b.number}](#{b.anchor})" for b in found)


def pathlib_stem(relpath: str) -> str:
    return relpath.rsplit("/", 1)[-1].rsplit(".", 1)[0]
