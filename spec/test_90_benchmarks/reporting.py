"""report.md and plots from a benchmark JSON (pytest-benchmark's format, with this chapter's extra_info).

Called by conftest.py at the end of a measured run. It also runs by hand on any two saved runs:

    python -m spec.test_90_benchmarks.reporting NEW.json [PREVIOUS.json] [--out DIR]

Every ratio divides two medians measured in the same run, on the same device. A ratio is marked
noisy when it moved more than 10% since the previous run, or when its own within-run uncertainty
(from the two sides' IQR and round counts) is wider than ±10%; the report says which.
"""
from __future__ import annotations

import argparse
import dataclasses
import datetime
import json
import math
import pathlib

import numpy as np

NOISE = 0.10  # a ratio that moves more than this between runs, or is this uncertain within one, is noisy


# ---------------------------------------------------------------------------------------- indexing
@dataclasses.dataclass(frozen=True)
class Sample:
    name: str
    median: float
    iqr: float
    minimum: float
    rounds: int
    iterations: int
    extra: dict

    @property
    def rel_iqr(self) -> float:
        return self.iqr / self.median if self.median > 0 else float("inf")

    @property
    def rel_se(self) -> float:
        """Relative standard error of the median: sigma ~ IQR/1.349, se(median) ~ 1.2533 sigma / sqrt(n)."""
        return 1.2533 * (self.rel_iqr / 1.349) / math.sqrt(max(self.rounds, 1))


def index(data: dict) -> dict:
    """{(group, workload, variant, size, mode, device): Sample} for every benchmark of this chapter."""
    out = {}
    for b in data.get("benchmarks", []):
        e = b.get("extra_info") or {}
        if "group" not in e:
            continue
        s = b["stats"]
        key = (e["group"], e["workload"], e["variant"], e.get("size"), e.get("mode", "eager"), e["device"])
        out[key] = Sample(b["name"], s["median"], s["iqr"], s["min"], int(s["rounds"]),
                          int(s.get("iterations", 1)), e)
    return out


# ------------------------------------------------------------------------------------------ ratios
@dataclasses.dataclass
class Ratio:
    rid: str  # stable identity across runs
    group: str
    what: str
    device: str
    value: float
    uncertainty: float  # relative, ~95% interval half-width from the two medians' standard errors
    anchor: str
    meaning: str
    sides: tuple = ()
    paired_rounds: int = 0  # > 0: value is the median of per-round ratios, the two sides timed alternately
    spread: str = ""  # what the uncertainty comes from, for the noise note
    previous: float | None = None
    noisy: str = ""

    @property
    def separate(self) -> float:
        """The ratio of the two benchmarks' own medians (each measured in its own test, one after the other)."""
        return self.sides[0].median / self.sides[1].median

    @property
    def min_ratio(self) -> float:
        """The same ratio from the two minimums: optimistic, but least disturbed by other load."""
        return self.sides[0].minimum / self.sides[1].minimum

    @property
    def change(self) -> float | None:
        return None if self.previous in (None, 0) else self.value / self.previous - 1.0


def _us(seconds: float) -> str:
    return f"{seconds * 1e6:,.1f} µs" if seconds < 1e-2 else f"{seconds * 1e3:,.1f} ms"


def ratios(data: dict) -> list[Ratio]:
    idx = index(data)
    devices = sorted({k[5] for k in idx})
    out: list[Ratio] = []

    def add(group, what, device, num, den, anchor, meaning_fn, rid=None):
        a, b = idx.get(num), idx.get(den)
        if a is None or b is None:
            return None
        partners = a.extra.get("paired") or {}
        paired = partners.get(f"{den[2]}@{den[4]}#{den[3]}") or (partners.get(f"{den[2]}@{den[4]}")
                                                                  if den[3] == num[3] else None)
        if paired and paired.get("rounds", 0) >= 3:
            value, n = paired["ratio_median"], paired["rounds"]
            rel_iqr = (paired["ratio_q3"] - paired["ratio_q1"]) / value
            unc = 2.0 * 1.2533 * (rel_iqr / 1.349) / math.sqrt(n)
            spread = f"per-round ratios spread {rel_iqr:.0%} (IQR/median) over {n} rounds"
        else:
            value, n = a.median / b.median, 0
            unc = 2.0 * math.hypot(a.rel_se, b.rel_se)
            spread = (f"IQR/median {a.rel_iqr:.0%} over {a.rounds} rounds and {b.rel_iqr:.0%} over {b.rounds}")
        r = Ratio(rid or f"{group}|{what}|{device}", group, what, device, value, unc, anchor,
                  meaning_fn(value, a, b), (a, b), n, spread)
        out.append(r)
        return r

    for dev in devices:
        # G1 ---------------------------------------------------------------------------------
        chain = sorted(k[3] for k in idx if k[:3] == ("G1", "chain", "tape") and k[5] == dev)
        for n in chain:
            def m(v, a, b, n=n):
                per_op = (a.median - b.median) / n
                goal = "within" if v <= 1.30 else "above"
                return (f"{goal} the 1.30 goal: the tape adds {per_op * 1e6:.2f} µs per op to an op of "
                        f"{b.median / n * 1e6:.1f} µs (PyTorch: +1.0 µs on 4.6 µs)")
            add("G1", f"tape / no tape, chain of {n} ops on 100 elements", dev,
                ("G1", "chain", "tape", n, "eager", dev), ("G1", "chain", "no_tape", n, "eager", dev),
                "≤ 1.30 (perf-anchors G1); PyTorch ×1.22 (A4, pytorch#122029); guide: \"tiny overhead\"", m)
        if 100 in chain and 1000 in chain:
            for rec in ("no_tape", "tape"):
                add("G1", f"chain of 1000 / chain of 100 ops, {rec.replace('_', ' ')}", dev,
                    ("G1", "chain", rec, 1000, "eager", dev), ("G1", "chain", rec, 100, "eager", dev),
                    "10 ± 1.5 if each op costs the same (perf-anchors G1)",
                    lambda v, a, b: ("linear in the number of ops" if 8.5 <= v <= 11.5 else
                                     "not linear: per-op cost changes with chain length"))
        sizes = sorted(k[3] for k in idx if k[:3] == ("G1", "size", "tape") and k[5] == dev)
        for n in sizes:
            def m(v, a, b, n=n):
                extra = (a.median - b.median) / 10
                goal = 1.05 if n >= 1_000_000 else 1.30
                where = "within" if v <= goal else "above"
                return (f"{where} the {goal:.2f} goal; the tape adds {extra * 1e6:.2f} µs per op to an op of "
                        f"{b.median / 10 * 1e6:.1f} µs on {_e(n)} elements")
            add("G1", f"tape / no tape, 10 ops on {_e(n)} elements", dev,
                ("G1", "size", "tape", n, "eager", dev), ("G1", "size", "no_tape", n, "eager", dev),
                "≤ 1.30 small, ≤ 1.05 at ≥ 1e6 elements (perf-anchors G1)", m)

        # G2 ---------------------------------------------------------------------------------
        for workload, label, anchor in (
            ("chain", "20 sin ops on 1e5 elements", "≤ 5 cheap-gradient bound (A1, Griewank & Walther); "
             "elementwise backward ≈ 1–2× forward (perf-anchors §1.2)"),
            ("mlp", "ReLU MLP 256×512×512", "3× forward for dense layers (A2, Kaplan et al. 2020); "
             "≤ 3.5 goal, 5 ceiling (perf-anchors G2)"),
        ):
            for mode in ("eager", "function", "xla"):
                def m(v, a, b):
                    if v <= 3.5:
                        return f"within the 3.5 goal: backward costs {v - 1:.1f}× the forward"
                    if v <= 5:
                        return f"within the cheap-gradient bound of 5, above 3.5: backward {v - 1:.1f}× forward"
                    return (f"above the bound of 5: backward {v - 1:.1f}× forward, which points to per-op "
                            "overhead or slow gradient kernels rather than arithmetic")
                add("G2", f"(forward + gradient) / forward, {label}, {mode}", dev,
                    ("G2", workload, "forward_and_gradient", _size(idx, "G2", workload), mode, dev),
                    ("G2", workload, "forward", _size(idx, "G2", workload), mode, dev), anchor, m)

        # G3 ---------------------------------------------------------------------------------
        n3 = _size(idx, "G3", "one_gradient")
        add("G3", "one gradient: persistent / plain tape, ReLU MLP", dev,
            ("G3", "one_gradient", "persistent", n3, "eager", dev), ("G3", "one_gradient", "plain", n3, "eager", dev),
            "≤ 1.10 (perf-anchors G3)",
            lambda v, a, b: ("within 1.10: persistence costs little for one gradient" if v <= 1.10 else
                             "above 1.10: keeping the recording costs time"))
        g2 = _ratio_of(idx, ("G2", "mlp", "forward_and_gradient", _size(idx, "G2", "mlp"), "eager", dev),
                       ("G2", "mlp", "forward", _size(idx, "G2", "mlp"), "eager", dev))
        if g2:
            back = g2 - 1.0
            ideal = (1 + 2 * back) / (2 + 2 * back)
            ideal_text = f"ideal {ideal:.2f} from this run's eager G2 MLP (backward = {back:.2f}× forward)"
        else:
            ideal, ideal_text = 0.83, "ideal 0.83 for backward = 2× forward"
        add("G3", "two gradients: one persistent recording / two full passes", dev,
            ("G3", "two_gradients", "one_recording", n3, "eager", dev),
            ("G3", "two_gradients", "two_passes", n3, "eager", dev),
            f"≤ 0.90 (perf-anchors G3); {ideal_text}",
            lambda v, a, b: (f"{'within' if v <= 0.90 else 'above'} the 0.90 goal; the forward pass saved is "
                             f"worth {1 - v:.0%} of two passes (ideal {1 - ideal:.0%})"))
        add("G3", "recording only: persistent / plain tape, ReLU MLP forward", dev,
            ("G3", "recording", "persistent", n3, "eager", dev), ("G3", "recording", "plain", n3, "eager", dev),
            "≈ 1 (the guide: a persistent tape discards nothing, it does not record more)",
            lambda v, a, b: "recording cost does not depend on persistence" if abs(v - 1) <= 0.1 else
            "persistence changes the recording cost")

        # G4 ---------------------------------------------------------------------------------
        for mode in ("eager", "function"):
            key = lambda variant: ("G4", "tanh_layer", variant, _size(idx, "G4", "tanh_layer"), mode, dev)  # noqa: E731
            add("G4", f"gradient / forward, tanh layer, {mode}", dev, key("gradient"), key("forward"),
                "≤ 5 (A1); 2 matmuls vs 1 here",
                lambda v, a, b: f"the gradient costs {v:.1f}× the forward")
            for hvp, label in (("hvp_nested_tapes", "nested tapes"), ("hvp_forward_over_back", "forward-over-back")):
                add("G4", f"HVP ({label}) / gradient, {mode}", dev, key(hvp), key("gradient"),
                    "≤ 2.5, red flag ≥ 10 (perf-anchors G4); Pearlmutter: Hv ≈ a gradient",
                    lambda v, a, b: ("within 2.5" if v <= 2.5 else "above 2.5" if v < 10 else "red flag (≥ 10)")
                    + f": a Hessian-vector product costs {v:.1f} gradients")
                add("G4", f"HVP ({label}) / forward, {mode}", dev, key(hvp), key("forward"),
                    "≤ 6 (perf-anchors G4); 5–5.3× for deep linear nets (A6, Bulatov)",
                    lambda v, a, b: f"{'within' if v <= 6 else 'above'} 6: {v:.1f} forward passes per HVP")

        # G5 ---------------------------------------------------------------------------------
        outs = sorted({k[3] for k in idx if k[:2] == ("G5", "jacobian") and k[5] == dev})
        for mode in ("eager", "function"):
            for n in outs:
                def m(v, a, b, n=n):
                    if n >= 500:
                        goal = "meets" if v >= 5 else "misses"
                        return f"{goal} the ≥ 5 goal at {n} outputs: pfor is {v:.1f}× faster than the loop"
                    return f"pfor is {v:.1f}× faster than the loop at {n} outputs" if v >= 1 else \
                        f"the loop is {1 / v:.1f}× faster than pfor at {n} outputs (pfor's fixed cost dominates)"
                add("G5", f"jacobian loop / pfor, {n} outputs, {mode}", dev,
                    ("G5", "jacobian", "loop", n, mode, dev), ("G5", "jacobian", "pfor", n, mode, dev),
                    "≥ 5 at 500 outputs (A5, tensorflow#36227)", m)
        if outs:
            n = outs[-1]
            add("G5", f"pfor jacobian eager / tf.function, {n} outputs", dev,
                ("G5", "jacobian", "pfor", n, "eager", dev), ("G5", "jacobian", "pfor", n, "function", dev),
                "eager re-traces pfor on every call (tensorflow#42835, #48314)",
                lambda v, a, b: f"eager pays {_us(a.median - b.median)} per call, mostly re-tracing pfor")

        # G6 ---------------------------------------------------------------------------------
        add("G6", "eager / tf.function, 100 matmuls of 10×10 with tape and gradient", dev,
            ("G6", "small_ops", "eager", 100, "eager", dev), ("G6", "small_ops", "function", 100, "function", dev),
            "≥ 3 (perf-anchors G6); guide \"Introduction to graphs\": 5.2× forward only (A3)",
            lambda v, a, b: f"{'meets' if v >= 3 else 'misses'} the ≥ 3 goal: tf.function removes "
                            f"{_us((a.median - b.median) / 300)} of dispatch per op (≈300 ops with the gradient)")
        n6 = _size(idx, "G6", "large_ops")
        add("G6", "eager / tf.function, ReLU MLP 256×512×512 with tape and gradient", dev,
            ("G6", "large_ops", "eager", n6, "eager", dev), ("G6", "large_ops", "function", n6, "function", dev),
            "≤ 1.2: arithmetic dominates (perf-anchors G6; guide/function: conv ≈ 1×)",
            lambda v, a, b: "within 1.2: no meaningful gain from tf.function" if v <= 1.2 else
            "above 1.2: dispatch still matters at this size")
    return out


def _e(n: int) -> str:
    return f"{n:.0e}".replace("e+0", "e").replace("e+", "e")


def _size(idx, group, workload):
    sizes = {k[3] for k in idx if k[0] == group and k[1] == workload}
    return next(iter(sizes)) if len(sizes) == 1 else None


def _ratio_of(idx, num, den):
    a, b = idx.get(num), idx.get(den)
    return a.median / b.median if a and b else None


def memory_rows(data: dict) -> list[dict]:
    rows = []
    for key, s in index(data).items():
        if key[:2] == ("G3", "recording"):
            rows.append(dict(device=key[5], tape=key[2], held=s.extra.get("held_bytes"), peak=s.extra.get("gpu_peak_bytes")))
    return sorted(rows, key=lambda r: (r["device"], r["tape"]))


def growth(data: dict) -> list[tuple]:
    """(what, device, exponent, points) for log-log least-squares fits of median time against a size."""
    idx = index(data)
    fits = []
    for dev in sorted({k[5] for k in idx}):
        for workload, label, lo in (("chain", "G1 time vs number of ops (chain on 100 elements)", 0),
                                    ("size", "G1 time vs tensor size, all sizes (10 ops)", 0),
                                    ("size", "G1 time vs tensor size, ≥ 1e4 elements (10 ops)", 10_000)):
            for rec in ("no_tape", "tape"):
                pts = sorted((k[3], s.median) for k, s in idx.items()
                             if k[:3] == ("G1", workload, rec) and k[5] == dev and k[3] >= lo)
                if len(pts) >= 2:
                    fits.append((f"{label}, {rec.replace('_', ' ')}", dev, _slope(pts), len(pts)))
        for mode in ("eager", "function"):
            for method in ("pfor", "loop", "batch_jacobian"):
                pts = sorted((k[3], s.median) for k, s in idx.items()
                             if k[:3] == ("G5", "jacobian", method) and k[4] == mode and k[5] == dev)
                if len(pts) >= 2:
                    fits.append((f"G5 jacobian time vs outputs, {method}, {mode}", dev, _slope(pts), len(pts)))
    return fits


def _slope(pts) -> float:
    x, y = np.log([p[0] for p in pts]), np.log([p[1] for p in pts])
    return float(np.polyfit(x, y, 1)[0])


# ------------------------------------------------------------------------------------------- noise
def mark_noise(current: list[Ratio], previous: list[Ratio] | None) -> None:
    prev = {r.rid: r.value for r in previous or []}
    for r in current:
        r.previous = prev.get(r.rid)
        reasons = []
        if r.change is not None and abs(r.change) > NOISE:
            reasons.append(f"moved {r.change:+.0%} since the previous run ({r.previous:.3g})")
        if r.uncertainty > NOISE:
            reasons.append(f"±{r.uncertainty:.0%} within this run ({r.spread})")
        if reasons:
            r.noisy = "; ".join(reasons) + _why(r)


def _why(r: Ratio) -> str:
    hints = []
    a, b = r.sides
    loads = [s.extra.get("load_avg_1m") for s in (a, b) if s.extra.get("load_avg_1m") is not None]
    cpus = a.extra.get("cpu_count") or 0
    if loads and cpus and max(loads) > cpus:
        hints.append(f"the machine was busy (load average {max(loads):.1f} on {cpus} CPUs, this run's own "
                     "threads included)")
    gcs = sum(int(s.extra.get("gc_collections") or 0) for s in (a, b))
    if gcs:
        hints.append(f"{gcs} garbage collections ran during the timed rounds")
    if min(a.median, b.median) < 200e-6:
        hints.append("calls under 200 µs are dominated by Python dispatch, which jitters with caches and load")
    if min(a.rounds, b.rounds) < 10:
        hints.append(f"only {min(a.rounds, b.rounds)} rounds of the slower side")
    if not hints:
        apart = [s.extra.get("started_at") for s in (a, b)]
        gap = f"{abs(apart[0] - apart[1]):.0f} s apart, " if None not in apart else ""
        hints.append(f"no load, GC or short-call cause was recorded; the two sides were timed {gap}so other "
                     "work on the machine or CPU clock changes between them are the likely cause")
    return " — likely because " + ", ".join(hints)


# ------------------------------------------------------------------------------------------- plots
def plots(data: dict, out: pathlib.Path) -> list[pathlib.Path]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    idx = index(data)
    devices = sorted({k[5] for k in idx})
    out.mkdir(parents=True, exist_ok=True)
    written = []

    def lines(ax, series, label, ls="-"):
        pts = sorted(series, key=lambda p: p[0])
        if pts:
            x = [p[0] for p in pts]
            y = np.array([p[1].median for p in pts]) * 1e6
            err = np.array([p[1].iqr for p in pts]) * 1e6 / 2
            ax.errorbar(x, y, yerr=err, marker="o", capsize=3, ls=ls, label=label)
        return bool(pts)

    def save(fig, name, drawn=True):
        if not drawn:  # a partial run (-k) without this group's benchmarks: no empty picture
            plt.close(fig)
            return
        path = out / f"{name}.png"
        fig.tight_layout()
        fig.savefig(path, dpi=100)
        plt.close(fig)
        written.append(path)

    for workload, name, xlabel, title in (
        ("chain", "cost_vs_ops", "number of tf.sin ops in the chain (100 elements)",
         "G1: eager forward time vs number of ops, with and without a tape"),
        ("size", "cost_vs_size", "elements per tensor (chain of 10 tf.sin ops)",
         "G1: eager forward time vs tensor size, with and without a tape"),
    ):
        fig, ax = plt.subplots(figsize=(7, 4.5))
        drawn = False
        for dev in devices:
            for rec in ("no_tape", "tape"):
                drawn |= lines(ax, [(k[3], s) for k, s in idx.items() if k[:3] == ("G1", workload, rec) and k[5] == dev],
                      f"{rec.replace('_', ' ')} ({dev})")
        ax.set(xscale="log", yscale="log", xlabel=xlabel, ylabel="median time per call (µs), bars: IQR", title=title)
        ax.grid(True, which="both", alpha=0.3)
        if drawn:
            ax.legend()
        save(fig, name, drawn)

    fig, ax = plt.subplots(figsize=(7, 4.5))
    drawn = False
    for dev in devices:
        for mode in ("eager", "function"):
            for method in ("pfor", "loop", "batch_jacobian"):
                drawn |= lines(ax, [(k[3], s) for k, s in idx.items()
                           if k[:3] == ("G5", "jacobian", method) and k[4] == mode and k[5] == dev],
                      f"{method}, {mode} ({dev})", ls="-" if mode == "eager" else "--")
    ax.set(xscale="log", yscale="log", xlabel="outputs m of y = tanh(x w), 64 inputs (batch_jacobian: 16 examples)",
           ylabel="median time per call (µs), bars: IQR", title="G5: Jacobian time vs output size, pfor vs loop")
    ax.grid(True, which="both", alpha=0.3)
    if drawn:
        ax.legend(fontsize=8)
    save(fig, "jacobian_vs_outputs", drawn)

    # the ratios the report's table gives: the median of per-round ratios where the two sides were timed
    # alternately (paired), else the ratio of the separate medians; bars and error bars are the table's value and ±
    table = {(r.group, r.what, r.device): r for r in ratios(data)}

    def ratio_points(group, what_of, xs, dev):
        found = [(x, table.get((group, what_of(x), dev))) for x in xs]
        return [(x, r) for x, r in found if r is not None]

    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4.2), sharey=True)
    drawn = False
    for dev in devices:
        chain = sorted({k[3] for k in idx if k[:3] == ("G1", "chain", "tape") and k[5] == dev})
        sizes = sorted({k[3] for k in idx if k[:3] == ("G1", "size", "tape") and k[5] == dev})
        for ax, pts in ((left, ratio_points("G1", lambda n: f"tape / no tape, chain of {n} ops on 100 elements", chain, dev)),
                        (right, ratio_points("G1", lambda n: f"tape / no tape, 10 ops on {_e(n)} elements", sizes, dev))):
            if pts:
                drawn = True
                ax.errorbar([x for x, _ in pts], [r.value for _, r in pts], yerr=[r.value * r.uncertainty for _, r in pts],
                            marker="o", capsize=3, label=f"tape / no tape ({dev}; paired where timed alternately)")
    for ax, xlabel in ((left, "number of tf.sin ops in the chain (100 elements)"),
                       (right, "elements per tensor (chain of 10 tf.sin ops)")):
        ax.axhline(1.30, color="r", ls="--", lw=1, label="goal ≤ 1.30 (perf-anchors G1)")
        ax.axhline(1.0, color="k", lw=0.6)
        ax.set(xscale="log", xlabel=xlabel)
        ax.grid(True, which="both", alpha=0.3)
    right.axhline(1.05, color="tab:purple", ls=":", lw=1, label="goal ≤ 1.05 at ≥ 1e6 elements")
    left.set(ylabel="time with a tape / without (ratio), bars: ±", title="G1: what recording costs, by chain length")
    right.set(title="G1: what recording costs, by tensor size")
    if drawn:
        left.legend(fontsize=8)
        right.legend(fontsize=8)
    save(fig, "tape_overhead_ratio", drawn)

    fig, ax = plt.subplots(figsize=(7, 4.5))
    modes = ["eager", "function", "xla"]
    bars = [(w, dev) for dev in devices for w in ("chain", "mlp")]
    width = 0.8 / max(len(bars), 1)
    drawn = False
    labels = {"chain": "20 sin ops on 1e5 elements", "mlp": "ReLU MLP 256×512×512"}
    for i, (workload, dev) in enumerate(bars):
        found = [table.get(("G2", f"(forward + gradient) / forward, {labels[workload]}, {mode}", dev)) for mode in modes]
        values = [r.value if r else np.nan for r in found]
        errors = [r.value * r.uncertainty if r else 0.0 for r in found]
        drawn |= any(r is not None for r in found)
        ax.bar(np.arange(len(modes)) + i * width, values, width, yerr=errors, capsize=3, label=f"{labels[workload]} ({dev})")
    ax.axhline(3, color="k", ls="--", lw=1, label="3×: dense layer in FLOPs (A2)")
    ax.axhline(5, color="r", ls=":", lw=1, label="5×: cheap-gradient bound (A1)")
    ax.set_xticks(np.arange(len(modes)) + width * (len(bars) - 1) / 2, modes)
    ax.set(xlabel="execution mode", ylabel="(forward + gradient) / forward (ratio), bars: ±",
           title="G2: gradient cost relative to the forward pass, per mode\n(the report's paired ratios)")
    ax.legend(fontsize=8)
    save(fig, "gradient_over_forward", drawn)
    return written


# ------------------------------------------------------------------------------------------ report
def write_report(data: dict, out: pathlib.Path, previous: pathlib.Path | None = None) -> list[pathlib.Path]:
    out = pathlib.Path(out)
    current = ratios(data)
    prev_data = json.loads(pathlib.Path(previous).read_text()) if previous else None
    mark_noise(current, ratios(prev_data) if prev_data else None)
    written = plots(data, out / "plots")
    report = out / "report.md"
    report.write_text(render(data, current, prev_data, written, out))
    return [report, *written]


def render(data, current, prev_data, plot_paths, out) -> str:
    ts = data.get("tapespec", {})
    mi = data.get("machine_info", {})
    ci = data.get("commit_info", {})
    L = []
    w = L.append
    w("# Tape-cost benchmarks (issue #4)\n")
    w(f"Run {data.get('datetime', '?')} · TensorFlow {ts.get('tensorflow', '?')} · Python {mi.get('python_version', '?')} · "
      f"{mi.get('cpu', {}).get('brand_raw', mi.get('processor', '?'))} · {mi.get('cpu', {}).get('count', '?')} CPUs · "
      f"GPU: {', '.join(ts.get('gpus') or []) or 'none (gpu cases skipped)'} · commit {str(ci.get('id', '?'))[:10]}"
      f"{' (dirty)' if ci.get('dirty') else ''}\n")
    w(f"Command: `pytest {ts.get('command', '')}` · measured part of the session: "
      f"{ts.get('wall_s_since_chapter_collected', float('nan')):.0f} s\n")
    if prev_data:
        w(f"Compared with the previous run ({prev_data.get('datetime', '?')}, kept as benchmarks.previous.json).\n")
    else:
        w("No previous run to compare with: run the command again to check every ratio across runs.\n")
    w("**How to read it.** Each *value* compares two workloads measured in this run on the same device, side "
      "by side: the numerator's benchmark times its partner (the denominator) right after each of its own "
      "rounds, and the value is the median of the per-round ratios, so load that comes and goes hits both "
      "sides alike. *±* is its ~95% uncertainty (per-round IQR/1.349/√rounds). *Separate medians* divides the "
      "two benchmarks' own medians (each measured in its own test, one right after the other); a value "
      "marked (separate) has no round-by-round pairing and uses that. *Ratio of mins* is the same ratio from the fastest rounds, a cross-check that "
      "other load on the machine disturbs least. *Δ prev* is the change since the previous run. **noisy** marks a ratio that "
      f"moved more than {NOISE:.0%} between runs or is less certain than ±{NOISE:.0%} within this run, with the "
      "reason. Anchors come from perf-anchors.md (A1–A6, goals G1–G6); the last column reads the number.\n")
    w("**Timing discipline.** The first call (tracing, XLA compilation, kernel set-up) is timed apart (table "
      "below); then untimed warm-up calls; then pytest-benchmark's pedantic mode with enough iterations per "
      f"round for a round of ≥ {ts.get('round_s', 0.002) * 1e3:.0f} ms and rounds for ≈ {ts.get('max_time_s', 1.0):g} s "
      f"(at least {ts.get('min_rounds', 5)}). GPU calls end with tf.test.experimental.sync_devices() inside the "
      "timed call; CPU calls are synchronous (an eager op and a tf.function call return after their kernels ran). "
      "Garbage collection stays on, as in real use; the collections during timing are counted per benchmark.\n")

    w("## Ratios\n")
    w("| group | ratio | device | value | ± | Δ prev | separate medians | ratio of mins | noise | anchor | interpretation |")
    w("|---|---|---|---|---|---|---|---|---|---|---|")
    for r in current:
        delta = "—" if r.change is None else f"{r.change:+.1%}"
        noise = f"**noisy**: {r.noisy}" if r.noisy else "stable"
        value = f"**{r.value:.3g}**" + ("" if r.paired_rounds else " (separate)")
        w(f"| {r.group} | {r.what} | {r.device} | {value} | {r.uncertainty:.1%} | {delta} | {r.separate:.3g} | "
          f"{r.min_ratio:.3g} | {noise} | "
          f"{r.anchor} | {r.meaning} |")
    noisy = [r for r in current if r.noisy]
    w(f"\n{len(current) - len(noisy)} of {len(current)} ratios stable, {len(noisy)} marked noisy.\n")

    w("## Growth exponents (least-squares fit of log time against log size)\n")
    w("An exponent of 1 means cost proportional to the size; 0 means a fixed cost per call dominates.\n")
    w("| fit | device | exponent | points |")
    w("|---|---|---|---|")
    for what, dev, slope, n in growth(data):
        w(f"| {what} | {dev} | {slope:.2f} | {n} |")

    rows = memory_rows(data)
    if rows:
        w("\n## G3: memory the tape holds after a ReLU MLP forward (256×512×512)\n")
        w("Proxy on CPU (TensorFlow reports no CPU allocator statistics): bytes of the forward's intermediate "
          "tensors still alive after the forward with no reference but the tape (weak-reference census; "
          "0 without a tape, checked by the test). GPU: allocator peak during the forward.\n")
        w("| device | tape | bytes held (proxy) | GPU peak bytes |")
        w("|---|---|---|---|")
        for row in rows:
            w(f"| {row['device']} | {row['tape']} | {row['held']:,} | {row['peak'] if row['peak'] is not None else '—'} |")
        by = {(r["device"], r["tape"]): r["held"] for r in rows}
        for dev in sorted({r["device"] for r in rows}):
            if by.get((dev, "plain")) and by.get((dev, "persistent")):
                ratio = by[(dev, "persistent")] / by[(dev, "plain")]
                w(f"\n{dev}: persistent / plain held bytes = **{ratio:.2f}** (goal ≥ 1.0, perf-anchors G3). "
                  + ("Equal: in eager mode TensorFlow decides what each op keeps for its gradient whether or not "
                     "the tape is persistent; the guide's \"nothing is discarded\" does not show here." if ratio == 1
                     else "The persistent tape keeps more."))

    w("\n## Tracing and compilation, timed apart\n")
    w("First call minus the steady-state median; for eager cases this is one-off kernel and cache set-up.\n")
    w("| benchmark | first call | steady median | trace/compile |")
    w("|---|---|---|---|")
    for key, s in sorted(index(data).items(), key=lambda kv: kv[1].name):
        if key[4] != "eager" or s.extra.get("trace_s", 0) > 0.05:
            w(f"| `{s.name}` | {_us(s.extra.get('first_call_s', float('nan')))} | {_us(s.median)} | "
              f"{_us(s.extra.get('trace_s', float('nan')))} |")

    w("\n## Every benchmark\n")
    w("| benchmark | median | IQR/median | min | rounds × iterations | GC during timing | load avg |")
    w("|---|---|---|---|---|---|---|")
    for key, s in sorted(index(data).items(), key=lambda kv: kv[1].name):
        w(f"| `{s.name}` | {_us(s.median)} | {s.rel_iqr:.1%} | {_us(s.minimum)} | {s.rounds} × {s.iterations} | "
          f"{s.extra.get('gc_collections', '?')} | {s.extra.get('load_avg_1m', float('nan')):.2f} |")

    w("\n## Plots\n")
    for p in plot_paths:
        rel = p.relative_to(out) if p.is_relative_to(out) else p
        w(f"- [{p.name}]({rel})")
    w(f"\nWritten {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M UTC}.\n")
    return "\n".join(L) + "\n"


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description="report.md and plots from a tapespec benchmark JSON")
    parser.add_argument("json", type=pathlib.Path, help="a run's JSON (benchmarks.json or a storage file)")
    parser.add_argument("previous", type=pathlib.Path, nargs="?", help="an earlier run to compare ratios with")
    parser.add_argument("--out", type=pathlib.Path, default=None, help="output folder (default: next to JSON)")
    args = parser.parse_args(argv)
    data = json.loads(args.json.read_text())
    for path in write_report(data, args.out or args.json.parent, args.previous):
        print(path)


if __name__ == "__main__":
    main()
