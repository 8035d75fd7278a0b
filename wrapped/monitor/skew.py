"""Skew for the same listeners: where both runs hold a listener, what moved.

Input drift compares populations; skew compares each listener with themselves. A code or data
change that moves days (a time-zone slip) shows here, per cohort and per quoted fact, before any
story ships — and with no sampling noise, since the listening is the same.
"""

from __future__ import annotations

import numpy as np
import orjson
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
    shared = np.intersect1d(bd["user_id"].unique(), nd["user_id"].unique())
    if not shared.size:
        return []
    bd, nd = bd[bd["user_id"].isin(shared)], nd[nd["user_id"].isin(shared)]
    # a listener's days moved when a (listener, date) is in one run and not the other
    both = (
        bd[["user_id", "date"]]
        .drop_duplicates()
        .merge(nd[["user_id", "date"]].drop_duplicates(), how="outer", indicator=True)
    )
    moved_users = both.loc[both["_merge"] != "both", "user_id"].unique()
    users = now.listeners[now.listeners["user_id"].isin(shared)].drop_duplicates("user_id")
    users = users.assign(moved=users["user_id"].isin(moved_users).to_numpy())
    out: list[Finding] = []
    for key, value, _, mn in cohort_masks(users, users, list(cfg.cohorts), cfg.min_cohort):
        share = float(users.loc[mn, "moved"].mean())
        out.append(_finding("days_changed", key, value, share, int(mn.sum()), cfg))
    pairs = bd.merge(nd, on=["user_id", "date", "category"], suffixes=("_b", "_n"))
    if pairs.empty:
        return out
    fields = sorted(base.fact_fields | now.fact_fields)
    changed = {f: np.zeros(len(pairs), bool) for f in fields}
    differ = np.flatnonzero((pairs["facts_b"] != pairs["facts_n"]).to_numpy())
    fb, fn = pairs["facts_b"].to_numpy(), pairs["facts_n"].to_numpy()
    for i in differ:  # only the pairs whose facts differ at all are compared field by field
        b, n = orjson.loads(fb[i]), orjson.loads(fn[i])
        for f in b.keys() | n.keys():
            changed.setdefault(f, np.zeros(len(pairs), bool))[i] = b.get(f) != n.get(f)
    fields = sorted(changed)
    cols = [c for c in pairs.columns if not c.endswith(("_b", "_n"))]
    days = pd.concat(
        [pairs[cols].reset_index(drop=True), pd.DataFrame(changed).add_prefix("fact:")], axis=1
    )
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
