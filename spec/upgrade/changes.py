""""Changed since TensorFlow <baseline>": this run compared with the committed baseline, case id by case id.

`compare(baseline, cases, version)` groups every difference by kind (`KINDS`): value changed, now raises, no longer
raises, known bug now fixed, other outcome change, gradient registered or removed (the live gradient registry against
the committed spec/atlas/registry_inventory.json), new case, case gone. `glance(changes)` counts each upstream change
once (a known bug by its issue, an op-atlas op by its op and check, any other case by its behaviour). `section` renders
it into SPEC.md (registered by spec/upgrade/baseline.py, which collects the cases and loads the baseline).
"""
from __future__ import annotations

import collections
import json
import re

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


def section(spec_report) -> str:
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
                 "(spec/upgrade/baselines/; regenerate it with `python -m spec.upgrade.baseline --write`): "
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

