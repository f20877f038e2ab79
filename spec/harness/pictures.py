"""Teaching pictures, each drawn by the behaviour it illustrates from the values TensorFlow returned on this run.

A test takes the `picture` fixture and calls it with a file name, one of the drawing functions below and its
data, and a caption:

    picture("x_squared", pictures.curves_and_gradient, XS, {...}, caption="x² and its tape gradient 2x")

The fixture draws only once per behaviour: in the eager CPU case (or in a test without the mode axis), so
tf.function and XLA cases pay nothing. It writes `artifacts/plots/<name>.png` and records the picture for the
report (spec/harness/observe.py), which shows it inline next to the behaviour in SPEC.md and embeds it in
SPEC.html. Every picture has a title, labelled axes (the quantities are dimensionless unless a unit is
given), and a legend or a colour bar.
"""
from __future__ import annotations

import pathlib

import numpy as np
import pytest

from spec.harness import observe

DPI = 100


def _plt():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


class Picture:
    """`picture(name, draw, *args, caption=..., **kwargs)`: draw(*args, **kwargs) returns a matplotlib Figure."""

    def __init__(self, artifacts_dir: pathlib.Path, draws: bool):
        self.artifacts_dir, self.draws = artifacts_dir, draws

    def __call__(self, name: str, draw, *args, caption: str, **kwargs) -> pathlib.Path | None:
        if not self.draws:
            return None
        plt = _plt()
        path = self.artifacts_dir / "plots" / f"{name}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        fig = draw(*args, **kwargs)
        try:
            fig.savefig(path, dpi=DPI)
        finally:
            plt.close(fig)
        observe.picture(f"plots/{name}.png", caption)
        return path


@pytest.fixture
def picture(request, artifacts_dir) -> Picture:
    """Draws a picture for SPEC.md in the eager CPU case (or a test without the mode axis); a no-op otherwise."""
    where = getattr(getattr(request.node, "callspec", None), "params", {}).get("where")
    draws = where is None or (where.mode == "eager" and where.device == "cpu")
    return Picture(artifacts_dir, draws)


# ------------------------------------------------------------------------------- drawing functions


def sigmoid(xs, sigma, tape_gradient, float64_gradient, tolerance: float, floor: float):
    """σ, the tape's float32 gradient (markers) and the float64 closed form (a wide line) over xs; below, their
    difference on a log scale against the tolerance and the floor the spec brackets it with."""
    plt = _plt()
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(7.2, 6.2), sharex=True, gridspec_kw={"height_ratios": [3, 2]})
    top.plot(xs, sigma, color="0.55", lw=1.5, label="σ(x)")
    top.plot(xs, float64_gradient, color="tab:orange", lw=5, alpha=0.45, label="σ(x)(1 − σ(x)), float64 closed form")
    top.plot(xs, tape_gradient, ls="--", lw=1, color="tab:blue", marker="o", markersize=3.5, markevery=4,
             label="dσ/dx from tf.GradientTape (float32)")
    top.set(ylabel="value (dimensionless)", title="The sigmoid and its gradient: the tape against float64")
    top.grid(True, alpha=0.3)
    top.legend(loc="upper left", fontsize=8.5)
    error = np.abs(np.asarray(tape_gradient, np.float64) - np.asarray(float64_gradient, np.float64))
    shown = np.where(error > 0, error, np.nan)
    bottom.semilogy(xs, shown, ".", color="tab:blue", markersize=4, label="|tape − float64| (exact points left out)")
    bottom.axhline(tolerance, color="tab:red", ls="--", lw=1, label=f"tolerance {tolerance:g}: every point is below")
    bottom.axhline(floor, color="0.3", ls=":", lw=1, label=f"{floor:g}: some point is above (float32 rounding)")
    bottom.set(xlabel="x (dimensionless)", ylabel="absolute error")
    bottom.grid(True, which="both", alpha=0.3)
    bottom.legend(loc="lower center", fontsize=8)
    fig.tight_layout()
    return fig


def curves_and_gradient(xs, function, tape_gradient, exact_gradient, *, title: str, function_label: str,
                        tape_label: str, exact_label: str):
    """A function, the tape's gradient (markers) and the exact derivative (a line) over xs."""
    plt = _plt()
    fig, ax = plt.subplots(figsize=(6.8, 4.2))
    ax.plot(xs, function, color="0.5", lw=1.5, label=function_label)
    ax.plot(xs, exact_gradient, color="tab:orange", lw=4, alpha=0.5, label=exact_label)
    ax.plot(xs, tape_gradient, ls="none", marker="o", markersize=5, color="tab:blue", label=tape_label)
    ax.axhline(0, color="k", lw=0.6)
    ax.set(title=title, xlabel="x (dimensionless)", ylabel="value (dimensionless)")
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize=9)
    fig.tight_layout()
    return fig


def kinks(xs, functions: dict, gradients: dict, at: float, picked: dict):
    """Functions with a kink at `at` (left panel) and, one panel each, their tape gradients: the steps, the
    one-sided limits at the kink (open circles) and the value TensorFlow picks there (a star)."""
    plt = _plt()
    fig, axes = plt.subplots(1, 1 + len(gradients), figsize=(4.0 * (1 + len(gradients)), 3.9))
    colours = ["tab:blue", "tab:green", "tab:purple", "tab:brown"]
    styles = ["-", "--", "-.", ":"]
    for (name, values), colour, style in zip(functions.items(), colours, styles):
        axes[0].plot(xs, values, color=colour, lw=2.5, ls=style, label=name)
    axes[0].set(title=f"Functions with a kink at x = {at:g}", xlabel="x (dimensionless)", ylabel="f(x)")
    axes[0].grid(True, alpha=0.3)
    axes[0].legend(fontsize=9)
    away = np.abs(xs - at) > 1e-12
    for ax, (name, grad), colour in zip(axes[1:], gradients.items(), colours):
        grad = np.asarray(grad, np.float64)
        left, right = away & (xs < at), away & (xs > at)
        ax.plot(xs[left], grad[left], color=colour, lw=2.5, label="tape gradient away from the kink")
        ax.plot(xs[right], grad[right], color=colour, lw=2.5)
        ax.plot([at, at], [grad[left][-1], grad[right][0]], "o", mfc="white", color=colour, markersize=9,
                label="one-sided limits at the kink")
        ax.plot([at], [picked[name]], "*", color="tab:red", markersize=17, mec="k",
                label=f"TensorFlow's value at x = {at:g}: {picked[name]:g}")
        ax.set(title=f"d/dx {name} from tf.GradientTape", xlabel="x (dimensionless)", ylabel="df/dx")
        ax.set_ylim(min(-1.3, grad.min() - 0.3), max(2.1, grad.max() + 1.1))  # room for the legend above
        ax.grid(True, alpha=0.3)
        ax.legend(fontsize=8, loc="upper left")
    fig.tight_layout()
    return fig


def where_nan(xs, values, naive_gradient, safe_gradient, *, threshold: float):
    """y = tf.where(x < threshold, 0, 1/x) (top) and its gradient (bottom): the naive form's NaN where the
    unselected branch 1/x divides by zero, and the double-where fix. Lines break at the jump x = threshold."""
    plt = _plt()
    xs = np.asarray(xs, np.float64)
    below, above = xs < threshold, xs >= threshold
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(7.2, 6.0), sharex=True)
    values = np.asarray(values, np.float64)
    top.plot(xs[below], values[below], color="0.4", lw=2, label=f"y = tf.where(x < {threshold:g}, 0, 1/x)")
    top.plot(xs[above], values[above], color="0.4", lw=2)
    top.set(ylabel="y (dimensionless)", title="tf.where's NaN gradient and the double-where fix")
    top.grid(True, alpha=0.3)
    top.legend(fontsize=9, loc="upper left")
    naive = np.asarray(naive_gradient, np.float64)
    safe = np.asarray(safe_gradient, np.float64)
    bottom.plot(xs[below], safe[below], color="tab:green", lw=5, alpha=0.45,
                label="double where: 1/tf.where(x == 0, 1, x), finite everywhere")
    bottom.plot(xs[above], safe[above], color="tab:green", lw=5, alpha=0.45)
    finite = np.isfinite(naive)
    bottom.plot(xs[finite], naive[finite], ls="none", marker="o", markersize=4, color="tab:blue",
                label="naive tf.where: the gradient where it is finite")
    for x in xs[~finite]:
        bottom.axvline(x, color="tab:red", lw=1, ls="--")
        bottom.plot([x], [0.0], "X", color="tab:red", markersize=12,
                    label=f"naive tf.where: NaN at x = {x:g} (0 · d(1/x)/dx = 0 · (−inf))")
    bottom.set(xlabel="x (dimensionless)", ylabel="dy/dx from tf.GradientTape")
    low = float(np.nanmin(safe)) if np.isfinite(safe).any() else -1.0
    bottom.set_ylim(low - 0.65 * (abs(low) + 0.1), None)  # room for the legend below the curves
    bottom.grid(True, alpha=0.3)
    bottom.legend(fontsize=8, loc="lower left")
    fig.tight_layout()
    return fig


def heatmap(matrix, *, title: str, xlabel: str, ylabel: str, colour_label: str, blocks: int = 0):
    """A matrix as a heat map centred on 0 (blue negative, red positive), with a colour bar; `blocks` draws a
    grid every `blocks` rows and columns."""
    plt = _plt()
    matrix = np.asarray(matrix, np.float64)
    fig, ax = plt.subplots(figsize=(6.8, 5.6))
    limit = float(np.max(np.abs(matrix))) or 1.0
    image = ax.imshow(matrix, cmap="RdBu_r", vmin=-limit, vmax=limit, interpolation="nearest")
    if blocks:
        for k in range(blocks, max(matrix.shape), blocks):
            if k < matrix.shape[0]:
                ax.axhline(k - 0.5, color="0.6", lw=0.5)
            if k < matrix.shape[1]:
                ax.axvline(k - 0.5, color="0.6", lw=0.5)
    ax.set(title=title, xlabel=xlabel, ylabel=ylabel)
    fig.colorbar(image, ax=ax, label=colour_label)
    fig.tight_layout()
    return fig
