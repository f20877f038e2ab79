"""The living-documentation report: every pytest run writes artifacts/SPEC.md.

What it reads, all of it data the tests already carry:
- the chapter: the test file, titled by its module docstring's first line up to the colon;
- the claim: the first line (paragraph) of the test's docstring; errata add a `Corrected code::` block after it;
- the sources: `@pytest.mark.source(...)` ids, looked up in spec/support/sources.py;
- the case: `item.callspec.params["where"]` (mode and device) and any other parameters;
- the outcome: pytest's own classification of every report (`pytest_report_teststatus`), so the totals
  at the top of SPEC.md are the numbers in pytest's summary line (passed, failed, skipped, xfailed,
  xpassed, errors, deselected, warnings).

It works for a full run, a partial one (`-k`, one file) and under pytest-xdist: the metadata travels on
each test report (`report.tapespec`), and only the controlling process (no `workerinput`) writes.
"""
from __future__ import annotations

import collections
import datetime
import platform
import re
import sys
import time

import pytest

from spec.support import sources as sources_mod

REPORT_NAME = "SPEC.md"
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
    return {
        "file": item.nodeid.split("::", 1)[0],
        "chapter": _first_line(getattr(module, "__doc__", None)),
        "chapter_doc": (getattr(module, "__doc__", None) or "").strip(),
        "name": getattr(item, "originalname", None) or item.name,
        "claim": _first_line(doc),
        "corrected": _corrected_code(doc),
        "erratum": item.get_closest_marker("erratum") is not None,
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
        self.cases: dict[str, dict] = {}  # nodeid -> {"meta": ..., "outcomes": [(category, when, reason)]}
        self.totals: collections.Counter = collections.Counter()
        self.collect_errors: list[str] = []
        self.written = None
        self.failed_to_write = ""

    # -- gathering

    @pytest.hookimpl(wrapper=True, tryfirst=True)
    def pytest_collection_modifyitems(self, session, config, items):
        for item in items:  # everything collected, before -k / -m deselect any of it
            if hasattr(item, "function"):
                self.collected[item.nodeid] = item_metadata(item)
        return (yield)

    def pytest_deselected(self, items):
        self.totals["deselected"] += len(items)

    def pytest_warning_recorded(self, warning_message, when, nodeid, location):
        self.totals["warnings"] += 1

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
        case = self.cases.setdefault(report.nodeid, {"nodeid": report.nodeid, "meta": meta, "outcomes": []})
        case["outcomes"].append((category, report.when, _reason(report, category)))

    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self, session, exitstatus):
        if self.config.option.collectonly:  # --collect-only runs nothing: keep the last real report
            return
        try:
            path = self.config.artifacts_dir / REPORT_NAME
        except AttributeError:  # conftest did not configure (usage error): nothing to report on
            return
        try:
            path.write_text(self.render(), encoding="utf-8")
            self.written = path
        except Exception as err:  # noqa: BLE001 - a report bug must not hide the test results
            self.failed_to_write = f"{type(err).__name__}: {err}"

    def pytest_terminal_summary(self, terminalreporter):
        if self.written is not None:
            terminalreporter.write_line(f"tapespec: wrote {self.written} ({self.summary_line()})")
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
          "Each behaviour below is a test: its claim, where the claim is documented, and what happened "
          "in every execution mode and on every device.\n")
        w(f"**Totals: {self.summary_line()}** (the same counts as pytest's summary line).\n")
        w(_versions_table(self._ran_where()))

        chapters = self._chapters()
        w("## Contents\n")
        w("| chapter | behaviours | " + " | ".join(ORDER) + " |")
        w("|---|---:|" + "---:|" * len(ORDER))
        for file, tests in chapters.items():
            counts = collections.Counter(c for t in tests.values() for case in t["cases"] for c, _, _ in case["outcomes"])
            title = _chapter_title(file, tests)
            w(f"| [{title}](#{_anchor(title)}) | {len(tests)} | " + " | ".join(str(counts.get(k, 0) or "") for k in ORDER) + " |")
        w("")
        if self.collect_errors:
            w("## Collection errors\n")
            w("\n".join(f"- 💥 `{e}`" for e in self.collect_errors) + "\n")

        skip_reasons = self._skip_reasons()
        errata = []
        for file, tests in chapters.items():
            title = _chapter_title(file, tests)
            w(f"## {title}\n")
            doc = next(iter(tests.values()))["meta"].get("chapter_doc", "")
            head, _, rest = " ".join(doc.split()).partition(":")
            rest = rest.strip().removeprefix("-").strip()
            rest = (rest[:1].upper() + rest[1:]) if rest else ""
            w(f"`{file}`" + (f". {_link_urls(rest)}" if rest else "") + "\n")
            for name, test in tests.items():
                meta = test["meta"]
                status = _headline(test["cases"])
                w(f'<a id="{name}"></a>\n\n### {ICON.get(status, "")} `{name}`\n')
                w(f"{meta.get('claim') or '*(no docstring: the claim is missing)*'}\n")
                refs = meta.get("sources") or []
                w("Source: " + (" · ".join(sources_mod.describe(r) for r in refs) if refs else "**none declared**") + "\n")
                if meta.get("erratum"):
                    errata.append((title, name, meta, status))
                    if meta.get("corrected"):
                        w("Corrected code:\n\n```python\n" + meta["corrected"] + "\n```\n")
                if file in COMPACT_CHAPTERS:
                    counts = collections.Counter(c for case in test["cases"] for c, _, _ in case["outcomes"])
                    w(f"{len(test['cases'])} cases: " + ", ".join(f"{ICON[k]} {counts[k]} {k}" for k in ORDER if counts[k])
                      + f"; case by case in {COMPACT_CHAPTERS[file]}.\n")
                else:
                    w(_case_table(test["cases"], skip_reasons))

        w("## Errata\n")
        if errata:
            w("Where the published documentation and the pinned TensorFlow disagree, the spec pins what "
              "TensorFlow does. Each erratum's corrected code is shown under its test above.\n")
            for title, name, meta, status in errata:
                w(f"- {ICON.get(status, '')} [`{name}`](#{name}) ({title.split(':')[0]}): {meta.get('claim')}")
            w("")
        else:
            w("No erratum ran in this run.\n")

        if skip_reasons:
            w("## Skip reasons\n")
            for reason, key in skip_reasons.items():
                w(f"- **{key}**: {reason}")
            w("")
        for section in SECTIONS:
            try:
                w(section(self))
            except Exception as err:  # noqa: BLE001 - one broken section must not lose the report
                w(f"*(section {getattr(section, '__name__', section)} could not be rendered: {type(err).__name__}: {err})*\n")
        w(self._failures())
        w(self._plots())
        w(self._coverage())
        return "\n".join(out).rstrip() + "\n"

    def _chapters(self) -> dict:
        """file -> test name -> {"meta", "cases": [case...]}, in file order then test order as run."""
        chapters: dict = {}
        for nodeid, case in self.cases.items():
            meta = case["meta"] or {"file": nodeid.split("::")[0], "name": nodeid.split("::")[-1].split("[")[0]}
            tests = chapters.setdefault(meta["file"], {})
            tests.setdefault(meta["name"], {"meta": meta, "cases": []})["cases"].append(case)
        position = {nodeid: i for i, nodeid in enumerate(self.collected)}  # collection order, before any shuffle
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
        position = {nodeid: i for i, nodeid in enumerate(self.collected)}
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

    def _plots(self) -> str:
        root = self.config.artifacts_dir
        plots = sorted(p for ext in ("png", "svg") for p in root.rglob(f"*.{ext}") if ".cache" not in p.parts)
        lines = ["## Plots\n"]
        if not plots:
            return "\n".join(lines + ["No plot in this artifacts folder yet.\n"])
        for p in plots:
            rel = p.relative_to(root).as_posix()
            lines.append(f"### {rel}\n\n![{p.stem}]({rel})\n")
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
    longrepr = report.longrepr
    crash = getattr(getattr(longrepr, "reprcrash", None), "message", None)
    text = crash if crash else str(longrepr or "")
    line = next((x.strip() for x in text.splitlines() if x.strip()), "")
    return line[:300]


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


def _case_table(cases, skip_reasons) -> str:
    """Rows: variant x mode; columns: device. One cell per case, listing its outcomes."""
    devices = sorted({c["meta"].get("device") or "" for c in cases}, key=lambda d: (d != "cpu", d))
    has_where = any(c["meta"].get("mode") for c in cases)
    rows: dict = {}
    for case in cases:
        meta = case["meta"]
        row = (meta.get("variant", ""), meta.get("mode") or "")
        cell = ", ".join(_cell(c, when, r, skip_reasons) for c, when, r in case["outcomes"])
        rows.setdefault(row, {})[meta.get("device") or ""] = cell
    variants = list(dict.fromkeys(variant for variant, _ in rows))  # first appearance: collection order
    rows = dict(sorted(rows.items(), key=lambda kv: (variants.index(kv[0][0]), _MODE_ORDER.get(kv[0][1], 0))))
    if not has_where and len(rows) == 1:
        return "Outcome: " + next(iter(rows.values()))[""] + "\n"
    header = (["case"] if any(v for v, _ in rows) else []) + (["mode"] if has_where else [])
    cols = [d or "outcome" for d in devices]
    lines = ["| " + " | ".join(header + cols) + " |", "|" + "---|" * (len(header) + len(cols))]
    for (variant, mode), cells in rows.items():
        variant = variant.replace("|", "\\|")
        lead = ([f"`{variant}`" if variant else ""] if "case" in header else []) + ([mode] if has_where else [])
        lines.append("| " + " | ".join(lead + [cells.get(d, "") for d in devices]) + " |")
    return "\n".join(lines) + "\n"


def _cell(category, when, reason, skip_reasons) -> str:
    text = f"{ICON.get(category, '')} {category}"
    if category == "skipped":
        return f"{text} ({skip_reasons.get(reason, '?')})"
    if category in ("error",):
        return f"{text} at {when}"
    return text


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
