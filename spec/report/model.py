"""The model SPEC.md and SPEC.html are rendered from: one `Behaviour` per test, built from its cases.

A behaviour is one test function: its chapter and number (chapter.test), claim, code (spec/report/snippets.py),
what TensorFlow returned on this run (the "returned" block), pictures, outcome over every mode and device
(spec/report/outcomes.py), known bugs and sources. `build(chapters, warnings, skip_reasons)` makes them from the
collector's cases (spec/report/collect.py), in file order then test order, never arrival order.

Other plugins contribute through the tables here: `SECTIONS` (a whole section of SPEC.md after the errata: the op
atlas, the release table, "Changed since"), `COMPACT_CHAPTERS` (a chapter whose cases another section tabulates) and
`CHAPTER_PICTURES` (pictures drawn for a whole chapter).
"""
from __future__ import annotations

import dataclasses
import re

from spec.report import index as index_mod
from spec.report import snippets
from spec.report.outcomes import ICON, final, headline, modes_disagree, outcome_line


#: Other plugins' sections of SPEC.md: callables (SpecReport) -> markdown, rendered after the errata in
#: registration order (the op atlas, the upgrade report). A section that raises is replaced by one line.
SECTIONS: list = []
#: Chapters whose cases another section tabulates (file -> where): each behaviour gets one line of counts
#: instead of a case table (the op atlas has thousands of cases).
COMPACT_CHAPTERS: dict = {}


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
MACHINERY_CHAPTERS = ("spec/test_97_upgrade_machinery/", "spec/test_98_report/",
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


def returned_block(file: str, cases: list, snippet, warnings: dict) -> tuple[list, str, bool]:
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


def chapter_number(title: str, file: str) -> str:
    match = re.match(r"Chapter (\d+)(?:, ([A-Z]\d+))?", title)
    if match:
        return match.group(1) + (f".{match.group(2)}" if match.group(2) else "")
    stem = file.rsplit("/", 1)[-1].removesuffix(".py")
    return stem.removeprefix("test_")


def chapter_title(file, tests) -> str:
    meta = next(iter(tests.values()))["meta"]
    return (meta.get("chapter") or file).split(":")[0].rstrip(".").strip() or file


def anchor(title: str) -> str:
    """GitHub's heading anchor: lower case, punctuation dropped, spaces to hyphens."""
    return re.sub(r"[^\w\- ]", "", title.lower()).replace(" ", "-")


def link_urls(text: str) -> str:
    """Bare URLs in prose as Markdown autolinks, without the punctuation that ends the sentence around them."""
    text = " ".join(text.split())
    return re.sub(r"(?<![(<])(https?://[^\s)<>]*[^\s)<>.,;:!?'\"])", r"<\1>", text)


def chapters_of(cases: dict, position: dict) -> dict:
    """file -> test name -> {"meta", "cases": [case...]}, in file order then test order, each test's cases in
    collection order (`position`: nodeid -> place, before any shuffle)."""
    chapters: dict = {}
    for nodeid, case in cases.items():
        meta = case["meta"] or {"file": nodeid.split("::")[0], "name": nodeid.split("::")[-1].split("[")[0]}
        tests = chapters.setdefault(meta["file"], {})
        tests.setdefault(meta["name"], {"meta": meta, "cases": []})["cases"].append(case)
    ordered = {}
    for file, tests in sorted(chapters.items()):
        ordered[file] = dict(sorted(tests.items(), key=lambda kv: kv[1]["meta"].get("line", 0)))
        for test in ordered[file].values():
            test["cases"].sort(key=lambda c: (position.get(c["nodeid"], len(position)), c["meta"].get("case_key", [])))
    return ordered


def build(chapters: dict, warnings: dict, skip_reasons: dict) -> list[Behaviour]:
    """Every behaviour of `chapters` (chapters_of), with anchors made unique (the same test name in two files)."""
    result, anchors = [], set()
    for file, tests in chapters.items():
        for name, test in tests.items():
            b = behaviour(file, name, test, warnings, skip_reasons)
            first, n = b.anchor, 2
            while b.anchor in anchors:
                b.anchor = f"{first}-{n}"
                n += 1
            anchors.add(b.anchor)
            result.append(b)
    return result


def behaviour(file: str, name: str, test: dict, warnings: dict, skip_reasons: dict) -> Behaviour:
    meta, cases = test["meta"], test["cases"]
    title = chapter_title(file, {name: test})
    snippet = snippets.snippet(file, name)
    number = f"{chapter_number(title, file)}.{snippet.number if snippet and snippet.number else '?'}"
    compact = file in COMPACT_CHAPTERS
    console, console_case, values_differ = ([], "", False) if compact else returned_block(file, cases, snippet, warnings)
    outcome, outcome_differs = outcome_line(cases, meta, skip_reasons, COMPACT_CHAPTERS.get(file, ""))
    pictures = list(dict.fromkeys((r["value"], r.get("label", "")) for c in cases for r in c.get("observed", [])
                                  if r["kind"] == "picture"))
    observed = [r for c in cases for r in c.get("observed", [])]
    note = "" if console or compact else missing_note(file, cases, meta)
    return Behaviour(
        file=file, name=name, key=f"{file}::{name}", chapter=title, number=number, anchor=name, meta=meta,
        cases=cases, status=headline(cases), claim=meta.get("claim") or "", snippet=snippet, console=console,
        console_case=console_case, pictures=pictures, outcome=outcome, outcome_differs=outcome_differs,
        differs=values_differ or modes_disagree(cases), compact=compact,
        raised=list(dict.fromkeys(r.get("type", "") for r in observed if r["kind"] == "raised")),
        warned=any(r["kind"] in ("warned", "logged") for r in observed) or any(warnings.get(c["nodeid"]) for c in cases),
        returned=[r.get("value", "") for r in observed if r["kind"] in ("returned", "checked")],
        note=note,
    )


def missing_note(file: str, cases, meta: dict) -> str:
    """Why a behaviour shows no "returned" block: a test of tapespec itself, a case not run (the skip reasons),
    a benchmark, a failure before anything was recorded, or (SILENT_NOTE, a gap in the spec) a TensorFlow
    behaviour that ran and recorded nothing."""
    if file.startswith(MACHINERY_CHAPTERS):
        return MACHINERY_NOTE
    finals = [final(case) for case in cases]
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


def by_chapter(behaviours) -> dict:
    chapters: dict = {}
    for b in behaviours:
        chapters.setdefault(b.chapter, []).append(b)
    return chapters


def chapter_intro(b: Behaviour) -> str:
    doc = b.meta.get("chapter_doc", "")
    head, _, rest = " ".join(doc.split()).partition(":")
    rest = rest.strip().removeprefix("-").strip()
    rest = (rest[:1].upper() + rest[1:]) if rest else ""
    return f"`{b.file}`" + (f". {link_urls(rest)}" if rest else "")


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
    """(API entries, pitfall entries): label -> behaviour keys (spec/report/index.py)."""
    facts = []
    for b in behaviours:
        if b.compact or b.file.startswith(MACHINERY_CHAPTERS):
            continue  # the op atlas has its own table; tapespec's own tests are not about TensorFlow's API
        snip = b.snippet
        facts.append({
            "key": b.key, "file": b.file, "meta": b.meta, "claim": b.claim,
            "calls": snip.calls if snip else set(), "keywords": snip.keywords if snip else set(),
            "text": snip.text if snip else "", "returned": b.returned, "raised": b.raised, "warned": b.warned,
            "differs": b.differs, "known_bug": bool(known_bugs(b)),
        })
    return index_mod.api_entries(facts), index_mod.pitfall_entries(facts)
