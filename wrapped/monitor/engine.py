"""`monitor`: one run against its baseline(s) — findings, the family correction, and alerts.

An alert needs a significant test after the correction (Holm or Bonferroni over every test of
the invocation) AND an effect at or above its threshold. A fault that hits one cohort also moves
every wider cohort holding those listeners (country=JP shifts tier=free a little); so when
alerts overlap, the run is re-checked without the strongest alerting cohort's listeners, and an
alert that then disappears is reported as explained by that cohort, not raised again.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd

from wrapped.monitor import tests
from wrapped.monitor.config import MonitorConfig
from wrapped.monitor.drift import drift, invariants, labels
from wrapped.monitor.load import RunData, load_run, pool
from wrapped.monitor.report import Finding, Report
from wrapped.monitor.skew import skew
from wrapped.store import RunStore
from wrapped.store.columns import ensure_columns

MAX_ROOTS = 8
"""Root causes looked for before the remaining alerts are all reported as they are."""


def monitor_paths(run: Path, baselines: list[Path], cfg: MonitorConfig) -> Report:
    """Load the runs (through the store, as columns) and compare them. A run written before
    its shards had columns gets them first (once, said in one line). The runs are read one
    after the other in this process: from columns, reading is a small part of the cost, and
    loader processes would each hold a copy of what they hand back (over 4 GB for two runs
    of a million stories)."""
    paths = [Path(run), *map(Path, baselines)]
    for p in paths:
        if (p / "manifest.json").exists() and (built := ensure_columns(RunStore.open(p))):
            print(f"monitor: {p}: wrote the columns of {len(built)} shard(s) sealed before "
                  "this release (columns/, built once from their JSONL)", file=sys.stderr)  # fmt: skip
    loaded = [load_run(p) for p in paths]
    return monitor(loaded[0], loaded[1:], cfg)


def monitor(now: RunData, bases: list[RunData], cfg: MonitorConfig) -> Report:
    """Compare `now` with the pooled `bases` (skew uses the last baseline: the latest run)."""
    base = pool(bases)
    findings = _judge(_all(base, bases[-1], now, cfg), cfg)
    roots: list[str] = []
    while len(roots) < MAX_ROOTS:
        live = [f for f in findings if f.alert and f.cohort not in roots]
        if not live:
            break
        # the cohort with the most alerting figures, then the strongest effect; on a tie (a
        # rate at 100% in several cohorts) the widest cohort, since it explains the narrower
        # ones; then the configured key order
        order = {k: i for i, k in enumerate(cfg.cohorts)}
        count = Counter(f.cohort for f in live)
        top = max(
            live,
            key=lambda f: (
                f.key != "all",
                count[f.cohort],
                round(f.effect / f.threshold, 6),
                f.n_now,
                -order.get(f.key, 99),
            ),
        )
        roots.append(top.cohort)
        others = [f for f in live if f.cohort != top.cohort]
        if not others:
            break
        b, last, n = _drop(top, base, bases[-1], now)
        again = {(f.metric, f.cohort): f for f in _judge(_all(b, last, n, cfg), cfg)}
        for f in others:
            redo = again.get((f.metric, f.cohort))
            if redo is None or not redo.alert:
                f.explained_by = top.cohort
                f.alert = False
    _wider_roots(findings, roots, now)
    return Report(
        run=now.name,
        baselines=[b.name for b in bases],
        tests=sum(f.p is not None for f in findings),
        correction=cfg.correction,
        alpha=cfg.alpha,
        findings=findings,
    )


def _wider_roots(findings: list[Finding], roots: list[str], now: RunData) -> None:
    """A root whose listeners all belong to a later, wider root is explained by that one (a
    country whose listeners all read en-US, when the en-US locale broke). For a root that
    alerts only on its stories, "its listeners" are those with stories: listeners without one
    (ineligible, or nothing written) cannot have moved a story figure."""
    if len(roots) < 2:
        return
    t = now.listeners
    writers = set(now.stories["user_id"]) if "user_id" in now.stories.columns else set()
    members: dict[str, set[str]] = {}
    for root in roots:
        key, _, value = root.partition("=")
        if key in t.columns:
            members[root] = set(t.loc[labels(t[key]) == value, "user_id"])
    for a in roots:
        alerting = [f for f in findings if f.alert and f.cohort == a]
        story_only = bool(alerting) and all(f.metric.split(".")[0] == "story" for f in alerting)
        for b in roots:
            if a == b or a not in members or b not in members:
                continue
            mine, theirs = members[a], members[b]
            if story_only:
                mine, theirs = mine & writers, theirs & writers
            if mine and mine < theirs:
                for f in alerting:
                    f.alert, f.explained_by = False, b
                break


def _all(base: RunData, last: RunData, now: RunData, cfg: MonitorConfig) -> list[Finding]:
    found = drift(base, now, cfg) + invariants(base, now, cfg) + skew(last, now, cfg)
    return [f for f in found if f.metric not in cfg.ignore]


def _judge(findings: list[Finding], cfg: MonitorConfig) -> list[Finding]:
    tested = [f for f in findings if f.p is not None]
    adjusted = tests.adjust([f.p for f in tested], cfg.correction)  # type: ignore[misc]
    for f, p in zip(tested, adjusted, strict=True):
        f.p_adjusted = float(p)
    for f in findings:
        significant = f.p_adjusted is None or f.p_adjusted <= cfg.alpha
        f.alert = bool(significant and np.isfinite(f.effect) and f.effect >= f.threshold)
    return findings


def _drop(
    top: Finding, base: RunData, last: RunData, now: RunData
) -> tuple[RunData, RunData, RunData]:
    """The three views without the listeners of `top`'s cohort (in either run)."""

    def users(r: RunData) -> set[str]:
        t = r.listeners
        if top.key not in t.columns:
            return set()
        return set(t.loc[labels(t[top.key]) == top.value, "user_id"])

    gone = users(base) | users(last) | users(now)
    return _without(base, gone), _without(last, gone), _without(now, gone)


def _without(r: RunData, gone: set[str]) -> RunData:
    def keep(t: pd.DataFrame) -> pd.DataFrame:
        return t[~t["user_id"].isin(gone)] if "user_id" in t.columns else t

    return RunData(r.name, keep(r.listeners), keep(r.days), keep(r.stories), {}, 0, r.has_stories,
                   r.fact_fields)  # fmt: skip
