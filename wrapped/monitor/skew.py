"""Skew for the same listeners: where both runs hold a listener, what moved.

Input drift compares populations; skew compares each listener with themselves. A code or data
change that moves days (a time-zone slip) shows here, per cohort and per quoted fact, before any
story ships — and with no sampling noise, since the listening is the same.
"""

from __future__ import annotations

import numpy as np
import orjson
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

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
    # listeners, dates and categories as integers shared by both runs: a million days are
    # matched by integer keys, not by joins of strings
    user, users_found = pd.factorize(pd.concat([bd["user_id"], nd["user_id"]], ignore_index=True))
    date = pd.factorize(pd.concat([bd["date"], nd["date"]], ignore_index=True))[0]
    cat = pd.factorize(pd.concat([bd["category"], nd["category"]], ignore_index=True))[0]
    nb = len(bd)
    ub, un = user[:nb], user[nb:]
    shared_ids = np.intersect1d(ub, un)
    if not shared_ids.size:
        return []
    keep_b, keep_n = np.isin(ub, shared_ids), np.isin(un, shared_ids)
    n_dates, n_cats = int(date.max()) + 1, int(cat.max()) + 1
    day_key = user.astype(np.int64) * n_dates + date
    kb, kn = day_key[:nb][keep_b], day_key[nb:][keep_n]
    # a listener's days moved when a (listener, date) is in one run and not the other
    moved_ids = np.unique(np.setxor1d(kb, kn) // n_dates)
    moved_users = np.asarray(users_found)[moved_ids]
    shared = np.asarray(users_found)[shared_ids]
    users = now.listeners[_isin(now.listeners["user_id"], shared)].drop_duplicates("user_id")
    users = users.assign(moved=_isin(users["user_id"], moved_users))
    out: list[Finding] = []
    for key, value, _, mn in cohort_masks(users, users, list(cfg.cohorts), cfg.min_cohort):
        share = float(users.loc[mn, "moved"].mean())
        out.append(_finding("days_changed", key, value, share, int(mn.sum()), cfg))
    # the same (listener, date, category) in both runs: its quoted facts, compared
    full = day_key * n_cats + cat
    fb = pd.Series(np.flatnonzero(keep_b), index=full[:nb][keep_b])
    fn = pd.Series(np.flatnonzero(keep_n), index=full[nb:][keep_n])
    pairs = pd.DataFrame({"b": fb}).join(pd.DataFrame({"n": fn}), how="inner")
    if pairs.empty:
        return out
    ib, in_ = pairs["b"].to_numpy(), pairs["n"].to_numpy()
    facts_b = pa.array(bd["facts"], pa.string()).take(ib)  # Arrow-backed: no Python strings
    facts_n = pa.array(nd["facts"], pa.string()).take(in_)
    fields = sorted(base.fact_fields | now.fact_fields)
    changed = {f: np.zeros(len(pairs), bool) for f in fields}
    differ = np.flatnonzero(pc.not_equal(facts_b, facts_n).to_numpy(zero_copy_only=False))
    for i in differ:  # only the pairs whose facts differ at all are compared field by field
        b, n = orjson.loads(facts_b[i].as_py()), orjson.loads(facts_n[i].as_py())
        for f in b.keys() | n.keys():
            changed.setdefault(f, np.zeros(len(pairs), bool))[i] = b.get(f) != n.get(f)
    fields = sorted(changed)
    grid = np.column_stack([changed[f] for f in fields]) if fields else np.zeros((len(pairs), 0))
    days = nd.iloc[in_].reset_index(drop=True)
    for key, value, _, mn in cohort_masks(days, days, list(cfg.cohorts), cfg.min_cohort):
        shares = grid[mn].mean(axis=0)
        for f, share in zip(fields, shares, strict=True):
            out.append(_finding(f"fact_changed.{f}", key, value, float(share), int(mn.sum()), cfg))
    return out


def _isin(col: pd.Series, values: np.ndarray) -> np.ndarray:
    """`col.isin(values)` for a million strings, hashed in Arrow."""
    found = pc.is_in(pa.array(col, pa.string()), value_set=pa.array(values, pa.string()))
    return found.to_numpy(zero_copy_only=False)


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
