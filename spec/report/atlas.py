"""The op atlas in artifacts/SPEC.md: one table (op × check), an overview picture, the registry coverage.

Each atlas case's report carries `tapespec_atlas` (op, family, check, mode, point, and for a failed or xfailed case
the assertion message), so the controller can tabulate under pytest-xdist as well. The section is rendered through
`model.SECTIONS`; the chapter itself gets one line per check. The picture artifacts/plots/op_atlas_overview.png is
family × check, each cell the share of the family's ops that pass, annotated with the counts, so that a reader sees
at a glance where the known bugs sit; the table under it lists every op. The known bugs themselves are their own
section (spec/report/bugs.py).
"""
from __future__ import annotations

import collections
import json
import pathlib

import pytest

from spec.report import model

ATLAS_FILE = "spec/test_20_op_atlas.py"
ANCHOR = "op-atlas-op--check"
TITLE = "Op atlas: op × check"
# column -> the check of each test function that feeds it (modes other than eager get their own columns)
CHECK_OF_TEST = {
    "test_reverse_mode_gradient_matches_float64_central_differences": "reverse",
    "test_forward_mode_jvp_matches_central_differences_and_the_adjoint_of_reverse_mode": "forward",
    "test_second_derivative_matches_central_differences_of_the_first": "second order",
    "test_reverse_mode_gradient_at_a_special_point_is_the_mathematical_value": "special points",
    "test_forward_mode_gradient_at_a_special_point_is_the_mathematical_value": "special points",
    "test_second_derivative_at_a_special_point_is_the_mathematical_value": "special 2nd/3rd",
    "test_third_derivative_at_a_special_point_is_the_mathematical_value": "special 2nd/3rd",
    "test_reverse_mode_gradient_in_the_float64_tails_is_relatively_accurate": "tails",
    "test_forward_mode_gradient_in_the_float64_tails_is_relatively_accurate": "tails",
    "test_float32_gradient_agrees_with_float64": "float32",
    "test_gpu_gradients_match_the_cpu_oracle": "gpu",
    "test_the_workaround_of_a_known_bug_passes_where_the_op_fails": "workaround",
}
COLUMNS = ("reverse", "forward", "second order", "special points", "special 2nd/3rd", "tails", "float32", "function",
           "xla", "gpu", "workaround")
SYMBOL = {"passed": "✅", "xfailed": "🐞", "skipped": "⏭️", "failed": "❌", "xpassed": "⚠️", "error": "💥"}
RANK = ("error", "failed", "xpassed", "xfailed", "passed", "skipped")  # a cell shows its worst outcome
COVERAGE_TEST = "test_every_registered_gradient_is_reached_by_the_atlas_or_listed_with_its_reason"


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report_ = yield
    case = getattr(getattr(item, "callspec", None), "params", {}).get("case")
    if case is not None and item.nodeid.startswith(ATLAS_FILE):
        message = ""
        if call.excinfo is not None and report_.when == "call":
            message = " ".join(str(call.excinfo.value).split("\nassert ")[0].split(" ")).strip()[:1500]
        previous = getattr(report_, "tapespec_atlas", None) or {}
        op = case.op.name.split(" workaround ")[0]
        report_.tapespec_atlas = {
            "op": op, "family": case.op.family, "check": CHECK_OF_TEST.get(item.originalname, item.originalname),
            "mode": case.mode, "extra": case.extra, "message": message or previous.get("message", ""),
        }
    return report_


def pytest_terminal_summary(terminalreporter, config):
    omitted = getattr(config, "tapespec_atlas_omitted", 0)
    if omitted:
        terminalreporter.write_line(
            f"tapespec: {omitted} op-atlas cases are not generated in this tier: --run-slow adds reverse mode on samples, "
            "forward mode and second and third derivatives at special points, tails, float32, XLA at the points and each "
            "workaround once; "
            "--run-exhaustive also forward mode and nested compositions on samples, tf.function, XLA on samples, every "
            "workaround in every mode and the registry coverage")


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
        self.coverage: dict | None = None  # what the registry-coverage test measured

    def pytest_runtest_logreport(self, report):  # noqa: A002 - pytest's hook argument name
        for name, value in getattr(report, "user_properties", ()):
            if name == "tapespec_coverage":
                self.coverage = value
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
            column = case["check"] if case["mode"] in ("eager", "gpu") or case["check"] == "workaround" else case["mode"]
            for category, _ in case["outcomes"]:
                table.setdefault(case["op"], {}).setdefault(column, collections.Counter())[category] += 1
        return dict(sorted(table.items(), key=lambda kv: order.get(kv[0], len(order))))

    def render(self, spec_report) -> str:
        if not self.cases:
            return self.render_coverage()
        table = self.cells()
        skip_reasons = sorted({r for c in self.cases.values() for cat, r in c["outcomes"] if cat == "skipped" and r})
        key = {reason: f"A{i + 1}" for i, reason in enumerate(skip_reasons)}
        families = {c["op"]: c["family"] for c in self.cases.values()}
        out = [f"## {TITLE}\n"]
        totals = collections.Counter(cat for c in self.cases.values() for cat, _ in c["outcomes"])
        out.append(f"{len(table)} public ops in {len(set(families.values()))} families, {len(self.cases)} cases: "
                   + ", ".join(f"{SYMBOL[k]} {totals[k]} {k}" for k in RANK if totals[k])
                   + "; the known TensorFlow gradient bugs are listed by kind [below](#known-tensorflow-gradient-bugs). "
                   "A cell is the worst outcome of its cases (✅ passed, 🐞 known bug: the correct value is asserted "
                   "as a strict xfail, ⏭️ skipped with the reason below, ❌ failed, ⚠️ a known bug now passes); "
                   "second order counts the four compositions on the op's representative sample, special points every "
                   "point in reverse and forward mode, special 2nd/3rd the Hessian-vector product at every point in each "
                   "composition and the third derivative where a rule multiplies by a power of x, tails the float64 "
                   "tail points, function and xla the reverse-mode, special-point and tail checks in that mode, "
                   "workaround each known bug's workaround through the checks it fixes. Everything but eager reverse "
                   "mode and eager special points exists only with --run-slow (empty cells otherwise), and the gpu "
                   "column only where TensorFlow sees a GPU (one skipped case says so otherwise).\n")
        picture = self.plot(table, families)
        if picture:
            out.append(f"![Op atlas at a glance: family × check, the share of ops that pass and the number with a known "
                       f"bug]({picture})\n")
        out.append(self.render_coverage())
        out.append("| family | op | " + " | ".join(COLUMNS) + " |")
        out.append("|---|---|" + ":-:|" * len(COLUMNS))
        reasons_by_op = collections.defaultdict(set)
        for c in self.cases.values():
            column = c["check"] if c["mode"] in ("eager", "gpu") or c["check"] == "workaround" else c["mode"]
            for cat, r in c["outcomes"]:
                if cat == "skipped" and r:
                    reasons_by_op[(c["op"], column)].add(key[r])
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
        if skip_reasons:
            out.append("Skip reasons in the atlas:\n")
            out.extend(f"- **{key[r]}**: {r}" for r in skip_reasons)
            out.append("")
        return "\n".join(out)

    def render_coverage(self) -> str:
        """The registry-coverage test's figure: reached N of M raw ops with a registered gradient, and the rest by reason;
        where this run did not measure it, the figure the committed files give."""
        coverage = self.coverage or committed_coverage()
        if not coverage:
            return ("**Gradient registry coverage** is measured with `--run-exhaustive` (or `python -m spec.atlas.coverage`); "
                    "this run did not measure it.\n")
        how = ("" if self.coverage else " (as committed in spec/atlas/registry_unreached.json and registry_inventory.json; "
               "this run did not re-measure it: `--run-exhaustive` or `python -m spec.atlas.coverage` does)")
        unreached = coverage.get("unreached", {})
        by_reason: dict = {}
        for name, why in sorted(unreached.items()):
            by_reason.setdefault(why or "not listed", []).append(name)
        lines = [f"**Gradient registry coverage (TensorFlow {coverage.get('tensorflow', '?')}):** the atlas's records "
                 f"reach {coverage['reached']} of the {coverage['of']} public raw ops that have a registered "
                 "gradient, in the graphs of their forward pass and of reverse mode twice (nested functions included; "
                 f"spec/atlas/coverage.py){how}. The other "
                 f"{len(unreached)}, by the reason no record reaches them (spec/atlas/registry_unreached.json):\n"]
        lines += [f"- {why}: {', '.join(f'`{n}`' for n in names)}" for why, names in by_reason.items()]
        return "\n".join(lines) + "\n"

    def plot(self, table: dict, families: dict) -> str:
        """artifacts/plots/op_atlas_overview.png: family × check, each cell the share of the family's ops whose cases
        there all pass, annotated "passing/ops" and "🐞 n" for the ops with a known bug. Returns its path relative to
        the artifacts folder ("" when matplotlib cannot draw)."""
        try:
            import matplotlib

            matplotlib.use("Agg")
            import matplotlib.pyplot as plt
            import numpy as np
        except Exception:  # noqa: BLE001 - the table is the report; the picture is a convenience
            return ""
        names = list(dict.fromkeys(families[op] for op in table))
        columns = [c for c in COLUMNS if any(c in table[op] for op in table)]
        share = np.full((len(names), len(columns)), np.nan)
        labels = [["" for _ in columns] for _ in names]
        for i, family in enumerate(names):
            ops = [op for op in table if families[op] == family]
            for j, column in enumerate(columns):
                worst = [next(k for k in RANK if table[op][column][k]) for op in ops if column in table[op]]
                ran = [w for w in worst if w != "skipped"]
                if not ran:
                    continue
                passing, buggy, failing = ran.count("passed"), ran.count("xfailed"), len(ran) - ran.count("passed") - ran.count("xfailed")
                share[i, j] = passing / len(ran)
                labels[i][j] = f"{passing}/{len(ran)}" + (f"\n{buggy} bug" if buggy else "") + (f"\n{failing} fail" if failing else "")
        fig, ax = plt.subplots(figsize=(11, 0.42 * len(names) + 2.2), dpi=100)
        ax.imshow(np.ma.masked_invalid(share), cmap="RdYlGn", vmin=0.5, vmax=1.0, aspect="auto")
        for i in range(len(names)):
            for j in range(len(columns)):
                if labels[i][j]:
                    ax.text(j, i, labels[i][j], ha="center", va="center", fontsize=7.5, linespacing=0.95)
        ax.set_xticks(range(len(columns)), columns, rotation=25, ha="right", fontsize=9)
        ax.set_yticks(range(len(names)), [f"{n} ({sum(1 for op in table if families[op] == n)} ops)" for n in names], fontsize=9)
        ax.set_title("Op atlas at a glance: ops whose cases all pass / ops checked, and ops with a known bug",
                     fontsize=10)
        ax.set_xlabel("check (eager unless function or xla); grey: not run in this run", fontsize=9)
        ax.set_facecolor("#e0e0e0")
        fig.subplots_adjust(left=0.16, right=0.99, top=1 - 0.5 / fig.get_figheight(), bottom=1.3 / fig.get_figheight())
        out = self.config.artifacts_dir / "plots" / "op_atlas_overview.png"
        out.parent.mkdir(parents=True, exist_ok=True)
        fig.savefig(out)
        plt.close(fig)
        return "plots/op_atlas_overview.png"


def committed_coverage() -> dict | None:
    """The registry coverage the committed data files give: the gradient list of registry_inventory.json and the
    unreached ops of registry_unreached.json, both written by their commands from a measurement (None if unreadable)."""
    folder = pathlib.Path(__file__).resolve().parents[1] / "atlas"
    try:
        unreached = json.loads((folder / "registry_unreached.json").read_text(encoding="utf-8"))
        gradients = json.loads((folder / "registry_inventory.json").read_text(encoding="utf-8"))["gradient"]
    except (OSError, ValueError, KeyError):
        return None
    return {"reached": len(gradients) - len(unreached["unreached"]), "of": len(gradients),
            "tensorflow": unreached["tensorflow"], "unreached": unreached["unreached"]}
