"""The `--html` report: the same page and charts as the eval report (`wrapped.analysis`)."""

from __future__ import annotations

from collections import defaultdict

import numpy as np
from markupsafe import Markup

from wrapped.analysis.charts import bars_with_intervals, heatmap
from wrapped.analysis.page import Section, render_page, table
from wrapped.monitor.report import Finding, Report

_HEAT_ROWS = 40  # cohorts shown in a heat map (the most drifted first)


def render(report: Report) -> str:
    """The whole report as one self-contained HTML page."""
    alerts = report.alerts
    sections = [Section("Alerts", _alerts(alerts))]
    for section, title in (
        ("input", "Input drift per cohort (effect / threshold)"),
        ("output", "Output drift per cohort (effect / threshold)"),
        ("skew", "Skew for the same listeners (share changed / threshold)"),
        ("invariant", "Invariants (effect / threshold)"),
    ):
        found = [f for f in report.findings if f.section == section]
        if found:
            sections.append(Section(title, _heat(found, title) + _top(found)))
    subtitle = (
        f"run {report.run} against {', '.join(report.baselines)} — {len(alerts)} alert(s), "
        f"{report.tests} tests, {report.correction} correction at alpha {report.alpha:g}"
    )
    return render_page("wrapped monitor", sections, subtitle=subtitle)


def _alerts(alerts: list[Finding]) -> Markup:
    if not alerts:
        return Markup('<p class="good">No alert: every figure is within its thresholds.</p>')
    rows = [
        [f"{f.section}.{f.metric}", f.cohort, _n(f.base), _n(f.now), f"{f.effect_kind} {f.effect:.3g}",
         f"{f.threshold:g}", _n(f.p_adjusted)]
        for f in alerts
    ]  # fmt: skip
    cls = [["bad"] * 7 for _ in rows]
    head = ["metric", "cohort", "baseline", "now", "effect", "threshold", "p (corrected)"]
    chart = bars_with_intervals(
        [f"{f.metric} [{f.cohort}]" for f in alerts],
        [f.effect / f.threshold for f in alerts],
        [f.effect / f.threshold for f in alerts],
        [f.effect / f.threshold for f in alerts],
        title="alerts: effect as a multiple of its threshold",
    )
    return table(head, rows, cell_class=cls) + Markup(chart)


def _heat(found: list[Finding], title: str) -> Markup:
    cells: dict[tuple[str, str], float] = defaultdict(float)
    for f in found:
        cells[(f.cohort, f.metric)] = max(cells[(f.cohort, f.metric)], f.effect / f.threshold)
    metrics = sorted({m for _, m in cells})
    worst: dict[str, float] = defaultdict(float)
    for (c, _), v in cells.items():
        worst[c] = max(worst[c], v)
    cohorts = sorted(worst, key=lambda c: -worst[c])[:_HEAT_ROWS]
    m = np.array([[cells.get((c, k), np.nan) for k in metrics] for c in cohorts])
    return Markup(heatmap(cohorts, metrics, m, title=title, fmt="{:.2f}"))


def _top(found: list[Finding]) -> Markup:
    worst = sorted(found, key=lambda f: -f.effect / f.threshold)[:15]
    rows = [
        [f.metric, f.cohort, _n(f.base), _n(f.now), f"{f.effect:.3g}", f"{f.threshold:g}",
         _n(f.p_adjusted), "alert" if f.alert else (f"explained by {f.explained_by}" if f.explained_by else ""),
         f.n_base, f.n_now]
        for f in worst
    ]  # fmt: skip
    head = ["metric", "cohort", "baseline", "now", "effect", "threshold", "p (corrected)", "",
            "n base", "n now"]  # fmt: skip
    cls = [["bad" if f.alert else ""] * 10 for f in worst]
    return table(head, rows, cell_class=cls)


def _n(x: float | None) -> str:
    return "n/a" if x is None or not np.isfinite(x) else f"{x:.4g}"
