"""`wrapped eval report`: one self-contained HTML file (no CDN, opens offline).

The matrix (cells x metrics, each a mean with its bootstrap 95% interval), a cohort x metric
heatmap (differences against BASE when one is given), score distributions, cost and latency
per cell, and the worst stories per metric beside their failing checks and the claims the
data contradicts. Charts are matplotlib SVG inlined by `wrapped.analysis.charts`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

import numpy as np
import pandas as pd
from markupsafe import Markup

from wrapped.analysis import charts
from wrapped.analysis.intervals import mean_ci
from wrapped.analysis.page import Section, render_page, table
from wrapped.eval.compare import compare_frames
from wrapped.eval.metrics import distinct_n, higher_is_better
from wrapped.eval.suite import Suite

#: the matrix's columns, in order (judge.* columns follow when a judge ran)
MATRIX_METRICS = (
    "gate_pass", "format", "grounding", "safety", "grounded_share", "claims",
    "unique_opening", "unique_title", "words", "reading_ease", "cost_usd", "latency_s",
)  # fmt: skip
WORST_METRICS = ("grounding", "safety", "unique_opening", "gate_pass")


def _metrics(frame: pd.DataFrame) -> list[str]:
    have = {c[2:] for c in frame.columns if c.startswith("m.")}
    judged = sorted(m for m in have if m.startswith("judge."))
    return [m for m in MATRIX_METRICS if m in have] + judged


def _fmt(x: float) -> str:
    if not np.isfinite(x):
        return "–"
    return f"{x:.4f}" if abs(x) < 0.01 and x else (f"{x:.2f}" if abs(x) < 100 else f"{x:.0f}")


#: the terminal summary's columns (the HTML matrix shows every metric)
SUMMARY_METRICS = ("gate_pass", "grounding", "safety", "grounded_share", "unique_opening", "words")


def matrix_rows(
    frame: pd.DataFrame, only: Sequence[str] | None = None
) -> tuple[list[str], list[list[str]]]:
    """Cells x metrics as text: 'mean [low, high]' per metric, n and distinct-2 per cell."""
    metrics = [m for m in _metrics(frame) if only is None or m in only]
    header = ["cell", "n", *metrics, "distinct_2"]
    rows = []
    for cell, part in frame.groupby("cell", sort=True):
        row = [str(cell), str(len(part))]
        for m in metrics:
            ci = mean_ci(part[f"m.{m}"].to_numpy(dtype=float))
            row.append(f"{_fmt(ci.value)} [{_fmt(ci.low)}, {_fmt(ci.high)}]" if ci.n else "–")
        d2 = distinct_n(part["story"].tolist(), 2)
        row.append(_fmt(d2) if d2 is not None else "–")
        rows.append(row)
    return header, rows


def render_report(
    frame: pd.DataFrame, suite: Suite, *, base: pd.DataFrame | None = None, title: str = ""
) -> str:
    """The whole report as one HTML string."""
    sections = [
        Section("Matrix: cells × metrics (mean, 95% CI)", _matrix(frame), "matrix"),
        Section("Cohorts × metrics", _heatmaps(frame, suite, base), "cohorts"),
        Section("Score distributions", _distributions(frame), "distributions"),
        Section("Cost and latency per cell", _cost(frame), "cost"),
        Section("Worst stories per metric", _worst(frame), "worst"),
    ]
    cells = frame["cell"].nunique() if len(frame) else 0
    subtitle = f"suite {suite.name}: {len(frame)} rows, {cells} cells"
    return render_page(title or f"Eval report: {suite.name}", sections, subtitle=subtitle)


def _matrix(frame: pd.DataFrame) -> Markup:
    header, rows = matrix_rows(frame)
    body = table(header, rows)
    if "m.gate_pass" in frame.columns and len(frame):
        labels, vals, lows, highs = [], [], [], []
        for cell, part in frame.groupby("cell", sort=True):
            ci = mean_ci(part["m.grounding"].to_numpy(dtype=float))
            labels.append(str(cell))
            vals.append(ci.value)
            lows.append(ci.low)
            highs.append(ci.high)
        body += Markup(
            charts.bars_with_intervals(
                labels, vals, lows, highs, title="grounding pass rate", xlabel="share of stories"
            )
        )
    return body


def _heatmaps(frame: pd.DataFrame, suite: Suite, base: pd.DataFrame | None) -> Markup:
    metrics = [
        m
        for m in ("gate_pass", "grounding", "safety", "unique_opening", "grounded_share")
        if f"m.{m}" in frame.columns
    ]
    keys = [k for k in suite.compare_by if f"c.{k}" in frame.columns]
    if base is not None:
        diffs = compare_frames(base, frame, keys=keys, thresholds=suite.thresholds, n_boot=200)
        names = sorted({f"{d.cohort_key}={d.cohort}" for d in diffs})
        grid = np.full((len(names), len(metrics)), np.nan)
        for d in diffs:
            if d.metric in metrics:
                grid[names.index(f"{d.cohort_key}={d.cohort}"), metrics.index(d.metric)] = (
                    d.diff.value
                )
        return Markup(charts.heatmap(names, metrics, grid, title="new - base", center=0.0))
    out = Markup()
    for cell, part in list(frame.groupby("cell", sort=True))[:6]:
        names, grid_rows = [], []
        for k in keys:
            for v, grp in part.groupby(f"c.{k}", sort=True):
                names.append(f"{k}={v}")
                grid_rows.append([grp[f"m.{m}"].astype(float).mean() for m in metrics])
        if names:
            out += Markup(
                charts.heatmap(names, metrics, np.array(grid_rows), title=str(cell), fmt="{:.2f}")
            )
    return out


def _distributions(frame: pd.DataFrame) -> Markup:
    out = Markup()
    cols = ["reading_ease", "words"] + [c[2:] for c in frame.columns if c.startswith("m.judge.")][
        :4
    ]
    for m in cols:
        if f"m.{m}" not in frame.columns:
            continue
        series = {
            str(cell): part[f"m.{m}"].to_numpy(dtype=float)
            for cell, part in frame.groupby("cell", sort=True)
        }
        out += Markup(charts.histograms(series, title=m, xlabel=m))
    return out


def _cost(frame: pd.DataFrame) -> Markup:
    rows = []
    for cell, part in frame.groupby("cell", sort=True):
        rows.append(
            [
                str(cell),
                len(part),
                f"{part['cost_usd'].sum():.4f}",
                f"{part['cost_usd'].mean():.6f}",
                f"{part['latency_s'].mean():.3f}",
                f"{part['latency_s'].quantile(0.95):.3f}",
                int((part["prompt_tokens"] + part["completion_tokens"]).mean()),
            ]
        )
    header = ["cell", "stories", "cost (USD)", "cost/story", "latency/story (s)", "p95 (s)",
              "tokens/story"]  # fmt: skip
    return table(header, rows)


def _worst(frame: pd.DataFrame, per_metric: int = 3) -> Markup:
    out = Markup()
    for m in WORST_METRICS:
        col = f"m.{m}"
        if col not in frame.columns:
            continue
        scored = frame[frame[col].notna()]
        ordered = scored.sort_values(col, ascending=higher_is_better(m), kind="stable")
        worst = ordered[ordered[col] < 1.0].head(per_metric)
        if worst.empty:
            continue
        rows = []
        for _, r in worst.iterrows():
            checks = json.loads(r["checks_json"])
            failing = [
                f"{c['name']}: " + "; ".join(c["reasons"][:3])
                for c in checks
                if c["status"] == "fail"
            ]
            contradicted = [x for c in checks for x in c["contradicted"]]
            rows.append(
                [
                    f"{r['cell']}\n{r['story_id']}",
                    f"{r['title']}\n\n{r['story']}",
                    "\n".join(failing) or "–",
                    "\n".join(contradicted) or "–",
                ]
            )
        out += Markup(f"<h3>{Markup.escape(m)}</h3>")
        out += table(
            ["cell / story", "story", "failing checks", "claims the data contradicts"],
            rows,
            cell_class=[["", "story", "story", "story"] for _ in rows],
        )
    return out or Markup("<p>No story failed a check.</p>")
