"""A behaviour's outcome over its cases: one line for every mode and device, or a table where the cases differ.

`outcome_line(cases, meta, skip_reasons)` gives the markdown line (`eager ✅ · function ✅ · xla ✅ · gpu not run: no GPU
visible`) or table; `headline(cases)` the behaviour's worst outcome; the icons and the order the report counts in.
"""
from __future__ import annotations

import collections

from spec.harness import runtime

ORDER = ("passed", "failed", "skipped", "xfailed", "xpassed", "error")
ICON = {"passed": "✅", "failed": "❌", "skipped": "⏭️", "xfailed": "➖", "xpassed": "⚠️", "error": "💥"}
MODE_ORDER = {"eager": 0, "function": 1, "xla": 2}
WORST = ("error", "failed", "xpassed", "passed", "xfailed", "skipped")  # a behaviour's headline outcome


def headline(cases) -> str:
    seen = {c for case in cases for c, _, _ in case["outcomes"]}
    return next((k for k in WORST if k in seen), "")


def final(case) -> tuple[str, str, str]:
    """A case's outcome: its worst report (an error at teardown outranks a passed call)."""
    outcomes = case["outcomes"]
    for category in WORST:
        for c, when, reason in outcomes:
            if c == category:
                return c, when, reason
    return ("", "", "")


def label(category: str, when: str, reason: str, meta: dict, short: bool = False) -> str:
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
        if no_gpu(reason):
            return "⏭️ no GPU"
        return "⏭️" if short else f"⏭️ skipped: {reason}"
    return category


def no_gpu(reason: str) -> bool:
    return runtime.NO_GPU_REASON in (reason or "")


def outcome_line(cases, meta, skip_reasons, compact_where: str = "") -> tuple[str, bool]:
    """The outcome in one line (`eager ✅ · function ✅ · xla ✅ · gpu not run: no GPU visible`), or a table
    where the cases' outcomes differ. Returns (markdown, differs)."""
    if compact_where:
        counts = collections.Counter(c for case in cases for c, _, _ in case["outcomes"])
        return (f"**Outcome:** {len(cases)} cases: " + ", ".join(f"{ICON[k]} {counts[k]} {k}" for k in ORDER if counts[k])
                + f"; case by case in {compact_where}.\n", False)
    rows, case_meta = [], {}
    for case in cases:
        m = case["meta"] or {}
        category, when, reason = final(case)
        rows.append((m.get("variant", ""), m.get("mode") or "", m.get("device") or "", category, when, reason))
        case_meta[(m.get("variant", ""), m.get("mode") or "", m.get("device") or "")] = m
    variants = list(dict.fromkeys(r[0] for r in rows))
    has_where = any(r[1] for r in rows)
    if not has_where:
        distinct = {(r[3], r[5]) for r in rows}
        if len(distinct) == 1:
            category, when, reason = rows[0][3], rows[0][4], rows[0][5]
            each = f" (each of {len(rows)} cases)" if len(rows) > 1 else ""
            text = label(category, when, reason, meta)
            return f"**Outcome{each}:** {'✅ passed' if text == '✅' else text}\n", False
        lines = ["**Outcome:** the cases differ.\n", "| case | outcome |", "|---|---|"]
        lines += [f"| `{v or '(no parameters)'}` | {label(c, wh, r, case_meta.get((v, mo, d), meta))} |"
                  for v, mo, d, c, wh, r in rows]
        return "\n".join(lines) + "\n", True
    gpu = [r for r in rows if r[2] == "gpu"]
    gpu_note = ""
    if gpu and all(r[3] == "skipped" and no_gpu(r[5]) for r in gpu):
        gpu_note = "gpu not run: no GPU visible"
        rows = [r for r in rows if r[2] != "gpu"]
    devices = sorted({r[2] for r in rows}, key=lambda d: (d != "cpu", d))
    modes_present = sorted({r[1] for r in rows}, key=lambda m: MODE_ORDER.get(m, 9))
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
                    parts.append(f"{m} {label(*entry, case_meta.get((v, m, device), meta))}")
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
            text = label(*entry, case_meta.get((v, m, d), meta), short=True)
            if entry[0] == "skipped" and not no_gpu(entry[2]):
                code = skip_reasons.get(entry[2], "?")
                used[code] = entry[2]
                text += f" {code}"
            row.append(text)
        escaped = v.replace("|", "\\|")
        lines.append(f"| `{escaped}` | " + " | ".join(row) + " |" if v else "| | " + " | ".join(row) + " |")
    lines.append("")
    lines += [f"- ⏭️ **{code}**: {reason}" for code, reason in sorted(used.items(), key=lambda kv: int(kv[0][1:]) if kv[0][1:].isdigit() else 0)]
    return "\n".join(lines).rstrip() + "\n", True


def modes_disagree(cases) -> bool:
    by: dict = {}
    for case in cases:
        m = case["meta"] or {}
        if m.get("mode"):
            category = final(case)[0]
            if category != "skipped":
                by.setdefault((m.get("variant"), m.get("device")), set()).add(category)
    return any(len(v) > 1 for v in by.values())
