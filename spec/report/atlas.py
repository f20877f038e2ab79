"""The op atlas in artifacts/SPEC.md: one table (op × check), the known TensorFlow gradient bugs, a pass map.

Each atlas case's report carries `tapespec_atlas` (op, family, check, mode, point, and for a failed or
xfailed case the assertion message), so the controller can tabulate under pytest-xdist as well. The
section is rendered by spec/report/markdown.py (`model.SECTIONS`); the chapter itself gets one line per check.
The pass map is artifacts/plots/op_atlas_pass_map.png.
"""
from __future__ import annotations

import collections

import pytest

from spec.bugs import known_bug_of
from spec.report import model

ATLAS_FILE = "spec/test_20_op_atlas.py"
ANCHOR = "op-atlas-op--check"
TITLE = "Op atlas: op × check"
BUGS_TITLE = "Known TensorFlow gradient bugs"
# column -> the check of each test function that feeds it (modes other than eager get their own columns)
CHECK_OF_TEST = {
    "test_reverse_mode_gradient_matches_float64_central_differences": "reverse",
    "test_forward_mode_jvp_matches_central_differences_and_the_adjoint_of_reverse_mode": "forward",
    "test_second_derivative_matches_central_differences_of_the_first": "second order",
    "test_reverse_mode_gradient_at_a_special_point_is_the_mathematical_value": "special points",
    "test_forward_mode_gradient_at_a_special_point_is_the_mathematical_value": "special points",
    "test_float32_gradient_agrees_with_float64": "float32",
    "test_gpu_gradients_match_the_cpu_oracle": "gpu",
}
COLUMNS = ("reverse", "forward", "second order", "special points", "float32", "function", "xla", "gpu")
SYMBOL = {"passed": "✅", "xfailed": "🐞", "skipped": "⏭️", "failed": "❌", "xpassed": "⚠️", "error": "💥"}
RANK = ("error", "failed", "xpassed", "xfailed", "passed", "skipped")  # a cell shows its worst outcome


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report_ = yield
    case = getattr(getattr(item, "callspec", None), "params", {}).get("case")
    bug = known_bug_of(item)
    if bug is not None and not item.nodeid.startswith(ATLAS_FILE):  # a chapter's known bug: listed with the atlas's
        message = ""
        if call.excinfo is not None and report_.when == "call":
            message = " ".join(str(call.excinfo.value).split("\nassert ")[0].split()).strip()[:1500]
        report_.tapespec_atlas = {
            "op": item.nodeid.split("::")[-1], "family": item.nodeid.split("::")[0], "check": "chapter",
            "mode": "", "extra": "", "message": message, "chapter": True,
            "bug": {"summary": bug.summary, "issue": bug.issue, "reproducer": bug.reproducer},
        }
    elif case is not None and item.nodeid.startswith(ATLAS_FILE):
        message = ""
        if call.excinfo is not None and report_.when == "call":
            message = " ".join(str(call.excinfo.value).split("\nassert ")[0].split(" ")).strip()[:1500]
        previous = getattr(report_, "tapespec_atlas", None) or {}
        report_.tapespec_atlas = {
            "op": case.op.name, "family": case.op.family, "check": CHECK_OF_TEST.get(item.originalname, item.originalname),
            "mode": case.mode, "extra": case.extra, "message": message or previous.get("message", ""),
            "bug": None if bug is None else {"summary": bug.summary, "issue": bug.issue, "reproducer": bug.reproducer},
        }
    return report_


def pytest_terminal_summary(terminalreporter, config):
    omitted = getattr(config, "tapespec_atlas_omitted", 0)
    if omitted:
        terminalreporter.write_line(
            f"tapespec: {omitted} op-atlas cases (forward mode, second order, float32, tf.function, XLA) are not generated "
            "without --run-slow")


def pytest_configure(config):
    model.COMPACT_CHAPTERS[ATLAS_FILE] = f"[{TITLE}](#{ANCHOR})"
    if not hasattr(config, "workerinput"):
        collector = AtlasCollector(config)
        config.pluginmanager.register(collector, "tapespec-atlas-report")
        model.SECTIONS.append(collector.render)


class AtlasCollector:
    def __init__(self, config):
        self.config = config
        self.cases: dict[str, dict] = {}  # nodeid -> atlas metadata + outcome

    def pytest_runtest_logreport(self, report):  # noqa: A002 - pytest's hook argument name
        atlas = getattr(report, "tapespec_atlas", None)
        if not atlas:
            return
        category = self.config.hook.pytest_report_teststatus(report=report, config=self.config)[0]
        if not category:
            return
        reason = ""
        if category == "skipped" and isinstance(report.longrepr, tuple):
            reason = str(report.longrepr[2]).removeprefix("Skipped: ")
        entry = self.cases.setdefault(report.nodeid, dict(atlas, nodeid=report.nodeid, outcomes=[]))
        if atlas.get("message"):
            entry["message"] = atlas["message"]
        entry["outcomes"].append((category, reason))

    # -- rendering

    def cells(self) -> dict:
        """op -> column -> Counter of outcomes; op order as in the database."""
        from spec.atlas import ALL_OPS

        order = {entry.name: i for i, entry in enumerate(ALL_OPS)}
        table: dict = {}
        for case in self.cases.values():
            if case.get("chapter"):
                continue
            column = case["check"] if case["mode"] in ("eager", "gpu") else case["mode"]
            for category, _ in case["outcomes"]:
                table.setdefault(case["op"], {}).setdefault(column, collections.Counter())[category] += 1
        return dict(sorted(table.items(), key=lambda kv: order.get(kv[0], len(order))))

    def render(self, spec_report) -> str:
        chapter_cases = {k: c for k, c in self.cases.items() if c.get("chapter")}
        self.cases = {k: c for k, c in self.cases.items() if not c.get("chapter")}
        bugs_everywhere = self.known_bugs(chapter_cases)
        if not self.cases:
            return self.render_bugs(bugs_everywhere) if bugs_everywhere else ""
        table = self.cells()
        skip_reasons = sorted({r for c in self.cases.values() for cat, r in c["outcomes"] if cat == "skipped" and r})
        key = {reason: f"A{i + 1}" for i, reason in enumerate(skip_reasons)}
        families = {c["op"]: c["family"] for c in self.cases.values()}
        bugs = self.known_bugs()
        out = [f"## {TITLE}\n"]
        totals = collections.Counter(cat for c in self.cases.values() for cat, _ in c["outcomes"])
        out.append(f"{len(table)} public ops in {len(set(families.values()))} families, {len(self.cases)} cases: "
                   + ", ".join(f"{SYMBOL[k]} {totals[k]} {k}" for k in RANK if totals[k])
                   + f"; {len(bugs)} known TensorFlow gradient bugs ([below](#known-tensorflow-gradient-bugs)). "
                   "A cell is the worst outcome of its cases (✅ passed, 🐞 known bug: the correct value is asserted "
                   "as a strict xfail, ⏭️ skipped with the reason below, ❌ failed, ⚠️ a known bug now passes); "
                   "second order counts the four compositions on the op's last sample, special points every point in "
                   "reverse and forward mode, function and xla the reverse-mode and special-point checks in that mode. "
                   "Forward mode, second order, float32, function and xla exist only with --run-slow (empty cells otherwise), "
                   "and the gpu column only where TensorFlow sees a GPU (one skipped case says so otherwise). "
                   "The pass map after the table shows it as a picture.\n")
        out.append("| family | op | " + " | ".join(COLUMNS) + " |")
        out.append("|---|---|" + ":-:|" * len(COLUMNS))
        reasons_by_op = collections.defaultdict(set)
        for c in self.cases.values():
            for cat, r in c["outcomes"]:
                if cat == "skipped" and r:
                    reasons_by_op[(c["op"], c["check"] if c["mode"] in ("eager", "gpu") else c["mode"])].add(key[r])
        for op_name, columns in table.items():
            row = []
            for column in COLUMNS:
                counts = columns.get(column)
                if not counts:
                    row.append("")
                    continue
                worst = next(k for k in RANK if counts[k])
                text = SYMBOL[worst]
                n = sum(counts.values())
                if n > 1 and worst != "skipped":
                    text += f" {counts['passed']}/{n}" if worst in ("xfailed", "failed", "xpassed", "error") else ""
                if worst == "skipped":
                    text += " " + ",".join(sorted(reasons_by_op[(op_name, column)]))
                row.append(text)
            out.append(f"| {families.get(op_name, '')} | `{op_name}` | " + " | ".join(row) + " |")
        out.append("")
        out.append("![Op atlas pass map: ops (rows) × checks (columns), coloured by outcome](plots/op_atlas_pass_map.png)\n")
        if skip_reasons:
            out.append("Skip reasons in the atlas:\n")
            out.extend(f"- **{key[r]}**: {r}" for r in skip_reasons)
            out.append("")
        out.append(self.render_bugs(bugs + bugs_everywhere))
        self.plot(table)
        return "\n".join(out)

    def known_bugs(self, cases: dict | None = None) -> list[dict]:
        """One entry per (op, bug): where it shows (checks, points, modes) and the first expected/actual message."""
        from spec.atlas import ALL_OPS

        order = {entry.name: i for i, entry in enumerate(ALL_OPS)}
        merged: dict = {}
        # in a fixed order (not arrival order, which xdist changes), so SPEC.md is the same serially and in parallel
        for c in sorted((self.cases if cases is None else cases).values(), key=lambda c: (order.get(c["op"], len(order)), c["nodeid"])):
            if not c.get("bug"):
                continue
            op = c["op"].split("[")[0] if c.get("chapter") else c["op"]
            k = (op, c["bug"]["summary"])
            entry = merged.setdefault(k, dict(c["bug"], op=op, where=[], message="", outcomes=collections.Counter()))
            entry["where"].append((f"`{c['family']}` `[{c['op'].split('[', 1)[1]}" if "[" in c["op"] else f"`{c['family']}`")
                                  if c.get("chapter") else
                                  f"{c['check']}{' ' + c['extra'] if c['extra'] else ''} ({c['mode']})")
            for cat, _ in c["outcomes"]:
                entry["outcomes"][cat] += 1
            if c.get("message") and not entry["message"]:
                entry["message"] = c["message"]
        return list(merged.values())

    def render_bugs(self, bugs) -> str:
        out = [f"## {BUGS_TITLE}\n"]
        if not bugs:
            return "\n".join(out + ["No known bug was among the cases of this run.\n"])
        out.append("Each bug's cases assert the mathematically correct value and are strict xfails: when a release "
                   "fixes one, its cases XPASS, which fails the run and asks for the record in spec/atlas/ to be "
                   "updated.\n")
        for b in bugs:
            link = b["issue"] if b["issue"] == "unreported" else f"[{b['issue'].split('github.com/')[-1]}]({b['issue']})"
            status = ", ".join(f"{SYMBOL[k]} {n} {k}" for k, n in b["outcomes"].items())
            out.append(f"### `{b['op']}`\n\n{b['summary']}\n")
            out.append(f"- Upstream: {link}")
            places = list(dict.fromkeys(b["where"]))
            out.append(f"- Where: {'; '.join(places[:8])}{' …' if len(places) > 8 else ''} — {status}")
            if b["message"]:
                out.append(f"- Expected and actual: {b['message'][:700]}")
            out.append("\nReproducer:\n\n```python\n" + b["reproducer"].strip() + "\n```\n")
        return "\n".join(out)

    def plot(self, table) -> None:
        """artifacts/plots/op_atlas_pass_map.png: ops (rows) × checks (columns), coloured by outcome."""
        try:
            import matplotlib

            matplotlib.use("Agg")
            import matplotlib.pyplot as plt
            from matplotlib.colors import ListedColormap
            from matplotlib.patches import Patch
        except Exception:  # noqa: BLE001 - the table is the report; the picture is a convenience
            return
        import numpy as np

        codes = {"": 0, "skipped": 1, "passed": 2, "xfailed": 3, "xpassed": 4, "failed": 5, "error": 5}
        colours = ["#ffffff", "#c8c8c8", "#4caf50", "#ff9800", "#9c27b0", "#e53935"]
        labels = ["not run", "skipped", "passed", "known bug (xfail)", "known bug passes (xpass)", "failed / error"]
        ops = list(table)
        grid = np.zeros((len(ops), len(COLUMNS)))
        for i, name in enumerate(ops):
            for j, column in enumerate(COLUMNS):
                counts = table[name].get(column)
                if counts:
                    grid[i, j] = codes[next(k for k in RANK if counts[k])]
        height = max(4.0, 0.11 * len(ops) + 1.5)
        fig, ax = plt.subplots(figsize=(7.5, height), dpi=110)
        ax.imshow(grid, aspect="auto", cmap=ListedColormap(colours), vmin=0, vmax=len(colours) - 1, interpolation="nearest")
        ax.set_xticks(range(len(COLUMNS)), COLUMNS, rotation=30, ha="right", fontsize=8)
        ax.set_yticks(range(len(ops)), ops, fontsize=max(3, min(8, 600 / max(len(ops), 1))))
        ax.set_xlabel("check (eager unless function or xla)")
        ax.set_ylabel("op (database order, grouped by family)")
        ax.set_title("Op atlas pass map: each op's gradient against mathematics")
        ax.legend(handles=[Patch(color=c, label=l) for c, l in zip(colours, labels)], loc="upper center",
                  bbox_to_anchor=(0.5, -0.8 / height), ncol=3, fontsize=7)
        # fixed margins instead of tight_layout(): laying out ~370 labels is most of the plot's cost, and
        # tight_layout() would draw them once more before savefig() draws them again
        fig.subplots_adjust(left=0.36, right=0.98, top=1 - 0.45 / height, bottom=1.45 / height)
        out = self.config.artifacts_dir / "plots" / "op_atlas_pass_map.png"
        out.parent.mkdir(parents=True, exist_ok=True)
        fig.savefig(out)
        plt.close(fig)
