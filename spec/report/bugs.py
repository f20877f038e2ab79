"""The known TensorFlow gradient bugs in artifacts/SPEC.md, by kind, each with what to do about it.

Every case that carries a `known_bug` mark (an op-atlas case or a chapter's test) reports its KnownBug as data
(`tapespec_bug`), and every case of the atlas's workaround test reports the bug it works around
(`tapespec_workaround`). The section counts the distinct bugs by kind; the headline count leaves out the
conventions (points where no derivative exists, where TensorFlow picks a value a maintainer may defend), which get
their own list with what PyTorch and JAX return there. Under each bug: where it shows, the upstream links (or
"unreported" and the searches behind that), expected and actual, the reproducer, and the workaround with how its
cases went in eager, tf.function and XLA (or why there is none).
"""
from __future__ import annotations

import collections

import pytest

from spec.bugs import KINDS, known_bug_of
from spec.report import model
from spec.report.outcomes import MODE_ORDER

TITLE = "Known TensorFlow gradient bugs"
CONVENTIONS_TITLE = "Conventions at points with no derivative"
BUG_KINDS = [k for k in KINDS if k != "convention"]
SYMBOL = {"passed": "✅", "xfailed": "🐞", "skipped": "⏭️", "failed": "❌", "xpassed": "⚠️", "error": "💥"}


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    bug = known_bug_of(item)
    case = getattr(getattr(item, "callspec", None), "params", {}).get("case")
    fixed = [getattr(case, "workaround_of", None)] + [b for m in item.iter_markers("workaround_of") for b in m.args]
    fixed = [b for b in fixed if b is not None]  # the atlas's workaround cases, and chapter tests marked workaround_of
    if bug is None and not fixed:
        return report
    where = _where(item, case)
    if not where:
        return report
    if bug is not None:
        message = ""
        if call.excinfo is not None and report.when == "call":
            message = " ".join(str(call.excinfo.value).split("\nassert ")[0].split()).strip()[:1500]
        report.tapespec_bug = {"bug": bug.as_data(), **where, "message": message}
    if fixed:
        report.tapespec_workaround = [{"bug": b.summary, **where} for b in fixed]
    return report


def _where(item, case) -> dict:
    """Where a case is: the op (or, for a chapter, the test) and the check, mode and point."""
    if case is not None and hasattr(case, "op"):
        return {"op": case.op.name.split(" workaround ")[0], "where": f"{case.check or 'check'}"
                + (f" {case.extra}" if case.extra and not case.extra.startswith("bug") else "") + f" ({case.mode})",
                "mode": case.mode, "chapter": False}
    callspec = getattr(item, "callspec", None)
    where = getattr(callspec, "params", {}).get("where") if callspec is not None else None
    if getattr(where, "device", "cpu") != "cpu":
        return {}  # a GPU case: whether it runs depends on the machine (one line on the bug says so, not one per case)
    return {"op": item.nodeid.split("::")[-1].split("[")[0], "where": f"`{item.nodeid.split('::')[0]}`"
            + (f" `[{callspec.id}]`" if callspec is not None else ""), "mode": getattr(where, "mode", ""), "chapter": True}


def pytest_configure(config):
    if not hasattr(config, "workerinput"):
        collector = BugCollector(config)
        config.pluginmanager.register(collector, "tapespec-bug-report")
        model.SECTIONS.append(collector.render)


class BugCollector:
    def __init__(self, config):
        self.config = config
        self.cases: list[dict] = []  # a known bug's cases: bug data, where, message, outcome
        self.workarounds: list[dict] = []  # the workaround test's cases: bug summary, where, outcome

    def pytest_runtest_logreport(self, report):  # noqa: A002 - pytest's hook argument name
        category = self.config.hook.pytest_report_teststatus(report=report, config=self.config)[0]
        if not category or not getattr(report, "count_towards_summary", True):
            return
        if getattr(report, "tapespec_bug", None):
            self.cases.append(dict(report.tapespec_bug, nodeid=report.nodeid, outcome=category))
        for fixed in getattr(report, "tapespec_workaround", None) or ():
            self.workarounds.append(dict(fixed, nodeid=report.nodeid, outcome=category))

    # -- the model: one entry per distinct bug

    def bugs(self) -> list[dict]:
        """One entry per distinct bug (its summary), in a fixed order (kind, then the first op in atlas order, then
        the case id), never arrival order, so SPEC.md is the same serially and under xdist."""
        from spec.atlas import ALL_OPS

        order = {entry.name: i for i, entry in enumerate(ALL_OPS)}
        merged: dict = {}
        for case in sorted(self.cases, key=lambda c: (c["chapter"], order.get(c["op"], len(order)), c["nodeid"])):
            data = case["bug"]
            entry = merged.setdefault(data["summary"], dict(data, ops=[], where=[], message="", outcomes=collections.Counter(),
                                                           tested=collections.defaultdict(collections.Counter)))
            entry["ops"].append(case["op"])
            entry["where"].append(case["where"])
            entry["outcomes"][case["outcome"]] += 1
            if case["message"] and not entry["message"]:
                entry["message"] = case["message"]
        for case in self.workarounds:
            if case["bug"] in merged:
                merged[case["bug"]]["tested"][case["mode"]][case["outcome"]] += 1
        rank = {kind: i for i, kind in enumerate(KINDS)}
        return sorted(merged.values(), key=lambda b: (rank.get(b["kind"], len(rank)), order.get(b["ops"][0], len(order))))

    # -- rendering

    def render(self, spec_report) -> str:
        bugs = self.bugs()
        out = [f"## {TITLE}\n"]
        if not bugs:
            return "\n".join(out + ["No known bug was among the cases of this run.\n"])
        real = [b for b in bugs if b["kind"] != "convention"]
        conventions = [b for b in bugs if b["kind"] == "convention"]
        by_kind = collections.Counter(b["kind"] or "unclassified" for b in real)
        linked = sum(1 for b in real if b["issue"] != "unreported")
        with_workaround = sum(1 for b in real if b["workaround"])
        out.append(f"**{len(real)} TensorFlow gradient bugs** in this run's cases: "
                   + ", ".join(f"[{kind}](#{model.anchor(kind)}) {by_kind[kind]}" for kind in BUG_KINDS + ["unclassified"]
                               if by_kind[kind])
                   + f". {linked} are linked to an upstream issue or pull request and {len(real) - linked} are unreported "
                   f"(searched for, and the searches are listed); {with_workaround} have a workaround the spec runs, "
                   f"{len(real) - with_workaround} say why there is none. Not counted as bugs: "
                   f"[{len(conventions)} conventions at points with no derivative](#{model.anchor(CONVENTIONS_TITLE)}).\n")
        out.append("Each bug's cases assert the mathematically correct value and are strict xfails: when a release fixes "
                   "one, its cases XPASS, which fails the run and asks for the record to be updated. "
                   "`python -m spec.bugreport OP` prints an upstream-ready report of a bug (all of them: `--all`).\n")
        out.append("| kind | what it means | bugs |\n|---|---|---:|")
        out += [f"| {kind} | {KINDS[kind]} | {by_kind[kind]} |" for kind in BUG_KINDS if by_kind[kind]]
        out.append("")
        for kind in BUG_KINDS + ["unclassified"]:
            group = [b for b in real if (b["kind"] or "unclassified") == kind]
            if not group:
                continue
            out.append(f"### {kind[:1].upper() + kind[1:]}\n")
            out += [self.render_bug(b) for b in group]
        out.append(f"## {CONVENTIONS_TITLE}\n")
        if conventions:
            out.append("At these points the function has no derivative (a kink, a tie, a boundary), so any value is a "
                       "convention; the spec asserts the one its record states (a subgradient where one exists) and "
                       "says what TensorFlow returns instead and what PyTorch and JAX return, where their sources say.\n")
            out += [self.render_bug(b) for b in conventions]
        else:
            out.append("No convention was among the cases of this run.\n")
        return "\n".join(out)

    def render_bug(self, b: dict) -> str:
        ops = list(dict.fromkeys(b["ops"]))
        status = ", ".join(f"{SYMBOL[k]} {n} {k}" for k, n in b["outcomes"].items())
        heading = ", ".join(f"`{op}`" for op in ops[:4]) + (f" and {len(ops) - 4} more" if len(ops) > 4 else "")
        lines = [f"#### {heading}\n", f"{b['summary']}\n"]
        if b["kind"]:
            lines.append(f"- **Kind:** {b['kind']} — {b['kind_why'] or KINDS[b['kind']]}")
        links = ([] if b["issue"] == "unreported" else [b["issue"]]) + list(b["related"])
        upstream = " · ".join(f"[{_short(link)}]({link})" for link in links) if links else "unreported"
        if b["searched"]:
            upstream += " (searched: " + "; ".join(f"“{term}”" for term in b["searched"]) + ")"
        lines.append(f"- **Upstream:** {upstream}")
        if b["releases"]:
            lines.append(f"- **Releases:** TensorFlow {b['releases']}: {b['releases_why']}")
        places = list(dict.fromkeys(b["where"]))
        lines.append(f"- **Where:** {'; '.join(places[:8])}{' …' if len(places) > 8 else ''} — {status}")
        if b["message"]:
            lines.append(f"- **Expected and actual:** {b['message'][:700]}")
        lines.append("\nReproducer:\n\n" + _fence(b["reproducer"].strip()))
        if b["workaround"]:
            tested = " · ".join(f"{mode} " + ", ".join(f"{SYMBOL[k]} {n}" for k, n in counts.items())
                                for mode, counts in sorted(b["tested"].items(), key=lambda kv: MODE_ORDER.get(kv[0], 9)))
            lines.append(f"Workaround (`{b['workaround']['name']}`, used in place of the buggy call; "
                         + (f"its cases in this run: {tested}" if tested else "its cases run with --run-slow") + "):\n\n"
                         + _fence(b["workaround"]["code"].strip()))
        elif b["no_workaround"]:
            lines.append(f"No workaround: {b['no_workaround']}\n")
        return "\n".join(lines)


def _short(link: str) -> str:
    """github.com/tensorflow/tensorflow/issues/38349 -> tensorflow#38349; pull requests and other repositories alike."""
    parts = link.rstrip("/").split("/")
    if len(parts) >= 7 and parts[2] == "github.com":
        repo = parts[4] if parts[3] == parts[4] or parts[3] == "tensorflow" and parts[4] == "tensorflow" else f"{parts[3]}/{parts[4]}"
        return f"{repo}{'#' if parts[5] == 'issues' else ' PR #'}{parts[6]}"
    return link


def _fence(body: str) -> str:
    return f"```python\n{body}\n```\n"
