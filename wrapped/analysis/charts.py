"""Charts for the eval and monitor reports: matplotlib drawn to inline SVG.

One look for every report, and no network: the SVG is text inside the HTML file, so a report
opens offline and can be mailed or attached to a CI run. matplotlib's Agg backend is forced so
nothing needs a display; fonts are matplotlib's bundled DejaVu, and text stays text in the SVG
(`svg.fonttype = none`) so a browser can search it and tests can read the numbers.
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping, Sequence

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

plt.rcParams.update(
    {
        "svg.fonttype": "none",
        "font.size": 9,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "svg.hashsalt": "wrapped",  # stable ids: the same data gives the same file
    }
)


def to_svg(fig: Figure) -> str:
    """The figure as an `<svg>` element (no XML prolog), and the figure closed."""
    buf = io.StringIO()
    fig.savefig(buf, format="svg", bbox_inches="tight", metadata={"Date": None})
    plt.close(fig)
    text = buf.getvalue()
    # the RDF metadata block only names the file type; dropping it keeps reports smaller
    return re.sub(r"<metadata>.*?</metadata>\s*", "", text[text.index("<svg") :], flags=re.S)


def bars_with_intervals(
    labels: Sequence[str],
    values: Sequence[float],
    lows: Sequence[float],
    highs: Sequence[float],
    *,
    title: str,
    xlabel: str = "",
) -> str:
    """Horizontal bars with their confidence intervals (one bar per cell or cohort)."""
    v = np.asarray(values, dtype=float)
    err = np.vstack([v - np.asarray(lows, dtype=float), np.asarray(highs, dtype=float) - v])
    fig, ax = plt.subplots(figsize=(6, 0.35 * len(labels) + 1))
    ax.barh(list(labels), v, xerr=np.nan_to_num(err), color="#4c78a8", capsize=3)
    ax.invert_yaxis()
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    return to_svg(fig)


def heatmap(
    rows: Sequence[str],
    cols: Sequence[str],
    matrix: Sequence[Sequence[float]] | np.ndarray,
    *,
    title: str,
    center: float | None = None,
    fmt: str = "{:+.2f}",
) -> str:
    """A labelled matrix (e.g. cohort × metric differences), each cell annotated with its value.

    With `center`, the colour scale is symmetric around it (red below, blue above), so a drop
    reads as red whatever the metric.
    """
    m = np.asarray(matrix, dtype=float)
    fig, ax = plt.subplots(figsize=(0.9 * len(cols) + 2, 0.35 * len(rows) + 1.2))
    if center is not None:
        span = np.nanmax(np.abs(m - center)) if np.isfinite(m).any() else 1.0
        span = span or 1.0
        im = ax.imshow(m, cmap="RdBu", vmin=center - span, vmax=center + span, aspect="auto")
    else:
        im = ax.imshow(m, cmap="viridis", aspect="auto")
    ax.set_xticks(range(len(cols)), labels=list(cols), rotation=30, ha="right")
    ax.set_yticks(range(len(rows)), labels=list(rows))
    for (i, j), val in np.ndenumerate(m):
        if np.isfinite(val):
            ax.text(j, i, fmt.format(val), ha="center", va="center", fontsize=7)
    fig.colorbar(im, ax=ax, shrink=0.8)
    ax.set_title(title)
    return to_svg(fig)


def histograms(
    series: Mapping[str, Sequence[float]], *, title: str, xlabel: str = "", bins: int = 20
) -> str:
    """Overlaid step histograms, one per named series (e.g. per cell, or baseline vs now)."""
    fig, ax = plt.subplots(figsize=(6, 3))
    finite = [np.asarray(v, dtype=float) for v in series.values()]
    finite = [v[np.isfinite(v)] for v in finite]
    everything = np.concatenate(finite) if finite else np.array([])
    edges = list(np.histogram_bin_edges(everything, bins=bins)) if everything.size else bins
    for name, values in zip(series, finite, strict=True):
        if values.size:
            ax.hist(values, bins=edges, histtype="step", linewidth=1.5, label=name, density=True)
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    if series:
        ax.legend(fontsize=7)
    return to_svg(fig)
