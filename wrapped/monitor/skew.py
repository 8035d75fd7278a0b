"""Skew for the same listeners: where both runs hold a listener, what moved.

Input drift compares populations; skew compares each listener with themselves. A code or data
change that moves days (a time-zone slip) shows here, per cohort and per quoted fact, before any
story ships — and with no sampling noise, since the listening is the same.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd

from wrapped.monitor.config import MonitorConfig
from wrapped.monitor.drift import cohort_masks
from wrapped.monitor.load import RunData
from wrapped.monitor.report import Finding


def skew(base: RunData, now: RunData, cfg: MonitorConfig) -> list[Finding]:
    """Share of shared listeners whose interesting days changed, and per fact field the share
    of their shared days whose quoted value changed."""
    bd, nd = base.days, now.days
    if bd.empty or nd.empty:
        return []
    shared = set(bd["user_id"]) & set(nd["user_id"])
    if not shared:
        return []
    bd, nd = bd[bd["user_id"].isin(shared)], nd[nd["user_id"].isin(shared)]
    sig_b = bd.groupby("user_id")["date"].agg(lambda s: tuple(sorted(s)))
    sig_n = nd.groupby("user_id")["date"].agg(lambda s: tuple(sorted(s)))
    per_user = now.listeners[now.listeners["user_id"].isin(shared)].set_index("user_id")
    moved = (sig_b.reindex(per_user.index) != sig_n.reindex(per_user.index)).to_numpy()
    users = per_user.reset_index().assign(moved=moved)
    out: list[Finding] = []
    for key, value, _, mn in cohort_masks(users, users, list(cfg.cohorts), cfg.min_cohort):
        share = float(users.loc[mn, "moved"].mean())
        out.append(_finding("days_changed", key, value, share, int(mn.sum()), cfg))
    pairs = bd.merge(nd, on=["user_id", "date", "category"], suffixes=("_b", "_n"))
    if pairs.empty:
        return out
    fb = [json.loads(x) for x in pairs["facts_b"]]
    fn = [json.loads(x) for x in pairs["facts_n"]]
    fields = sorted({k for d in fb for k in d} | {k for d in fn for k in d})
    changed = pd.DataFrame(
        {f: np.array([b.get(f) != n.get(f) for b, n in zip(fb, fn, strict=True)]) for f in fields}
    )
    cols = [c for c in pairs.columns if not c.endswith(("_b", "_n"))]
    days = pd.concat([pairs[cols].reset_index(drop=True), changed.add_prefix("fact:")], axis=1)
    for key, value, _, mn in cohort_masks(days, days, list(cfg.cohorts), cfg.min_cohort):
        for f in fields:
            share = float(days.loc[mn, f"fact:{f}"].mean())
            out.append(_finding(f"fact_changed.{f}", key, value, share, int(mn.sum()), cfg))
    return out


def _finding(
    metric: str, key: str, value: str, share: float, n: int, cfg: MonitorConfig
) -> Finding:
    return Finding(
        section="skew",
        metric=metric,
        key=key,
        value=value,
        base=0.0,
        now=share,
        effect=share,
        effect_kind="share",
        threshold=cfg.skew.max_share,
        n_base=n,
        n_now=n,
    )
