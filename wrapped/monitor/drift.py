"""Input and output drift per cohort, and the invariants: every figure as a `Finding`.

A figure is compared in each cohort (every value of every configured key, plus "all") that has
at least `min_cohort` units on both sides. `engine.monitor` corrects the p-values across the
whole family and decides which findings alert.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import NamedTuple

import numpy as np
import pandas as pd

from wrapped.monitor import tests
from wrapped.monitor.config import MonitorConfig
from wrapped.monitor.load import RunData
from wrapped.monitor.report import EffectKind, Finding, Section


class Figure(NamedTuple):
    """What to compare: a column of one table, how, and the threshold on its effect."""

    section: Section
    metric: str
    table: str  # listeners | days | stories
    column: str
    kind: str  # numeric | categorical | rate
    threshold: float


def figures(cfg: MonitorConfig, stories: pd.DataFrame) -> list[Figure]:
    """Every figure the monitor compares (judge rubrics are found in the stories)."""
    ip, op = cfg.input.psi, cfg.output.psi
    out = [Figure("input", c, "listeners", c, "numeric", ip)
           for c in ("minutes", "plays", "distinct_artists", "streak_days")]  # fmt: skip
    out += [Figure("input", c, "listeners", c, "categorical", ip)
            for c in ("tz_source", "eligibility", "top_genre_known")]  # fmt: skip
    out += [Figure("input", f"day.{c}", "days", c, "categorical", ip)
            for c in ("category", "weekday", "peak_hour")]  # fmt: skip
    out += [Figure("output", f"story.{c}", "stories", c, "rate", cfg.output.rate_change)
            for c in ("pass", "fallback", "needs_review", "failed")]  # fmt: skip
    judge = sorted(c for c in stories.columns if c.startswith("judge:"))
    out += [Figure("output", f"story.{c}", "stories", c, "numeric", op)
            for c in ("words", "attempts", "tokens", "cost_usd", "latency_s", *judge)]  # fmt: skip
    return out


class Paired:
    """One table of both runs, prepared once: cohort masks, and every column as a numpy array
    (categories as integer codes shared by both sides), so each figure is array slicing."""

    def __init__(self, base: pd.DataFrame, now: pd.DataFrame, keys: list[str], min_n: int):
        self.base, self.now = base, now
        self.cohorts = list(cohort_masks(base, now, keys, min_n))
        self._cols: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        self._ranks: dict[str, tests.Ranks] = {}

    def ranks(self, name: str) -> tests.Ranks:
        """A numeric column's ranks (for the KS tests of its cohorts), computed once."""
        if name not in self._ranks:
            self._ranks[name] = tests.ranks(*self.column(name, "numeric"))
        return self._ranks[name]

    def column(self, name: str, kind: str) -> tuple[np.ndarray, np.ndarray]:
        if name not in self._cols:
            b, n = self.base[name], self.now[name]
            if kind == "categorical":
                # only the partition matters (counts per category): typed columns are
                # factorised as they are, not as a million Python strings
                typed = b.dtype != object and n.dtype != object
                both, _ = pd.factorize(
                    pd.concat([b, n] if typed else [labels(b), labels(n)], ignore_index=True),
                    use_na_sentinel=False,
                )
                self._cols[name] = (both[: len(b)], both[len(b) :])
            elif kind == "rate":
                self._cols[name] = (b.to_numpy(dtype=bool), n.to_numpy(dtype=bool))
            else:
                self._cols[name] = (b.to_numpy(dtype=float), n.to_numpy(dtype=float))
        return self._cols[name]


def cohort_masks(
    base: pd.DataFrame, now: pd.DataFrame, keys: list[str], min_n: int
) -> Iterator[tuple[str, str, np.ndarray, np.ndarray]]:
    """(key, value, base mask, now mask) for every cohort large enough on both sides."""
    for key in ["all", *keys]:
        if key not in base.columns or key not in now.columns:
            continue
        b, n, values = codes(base[key], now[key])
        cb = np.bincount(b, minlength=len(values))
        cn = np.bincount(n, minlength=len(values))
        for k in sorted(range(len(values)), key=lambda k: str(values[k])):
            if key != "all" and cb[k] == len(b) and cn[k] == len(n):
                continue  # the same as "all" (e.g. one source format): compared there
            if cb[k] >= min_n and cn[k] >= min_n:
                yield key, str(values[k]), b == k, n == k


def codes(base: pd.Series, now: pd.Series) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Both sides of a cohort column as integer codes into one list of `labels`. Cohort
    columns are categorical (a few dozen values over a million rows): their codes are mapped,
    not their million strings hashed again for every figure."""
    if isinstance(base.dtype, pd.CategoricalDtype) and isinstance(now.dtype, pd.CategoricalDtype):
        cats = [[str(c) for c in s.cat.categories] for s in (base, now)]
        values = list(dict.fromkeys([*cats[0], *cats[1], "unknown"]))
        at = {v: i for i, v in enumerate(values)}
        # a missing value's code is -1: the last entry of each map, "unknown"
        maps = [np.array([*(at[c] for c in cs), at["unknown"]]) for cs in cats]
        return (maps[0][base.cat.codes.to_numpy()], maps[1][now.cat.codes.to_numpy()], values)
    both, found = pd.factorize(pd.concat([labels(base), labels(now)]))
    return both[: len(base)], both[len(base) :], [str(v) for v in found]


def labels(s: pd.Series) -> pd.Series:
    """A cohort column as strings ("unknown" where missing: ineligible listeners' rows)."""
    s = s.astype(object)
    if s.isna().any():
        s = s.where(s.notna(), "unknown")
    if pd.api.types.infer_dtype(s, skipna=False) == "string":
        return s
    return s.astype(str).astype(object)


def compare(
    kind: str, b: np.ndarray, n: np.ndarray, bins: int, r: tests.Ranks | None = None
) -> tests.Comparison:
    if kind == "numeric":
        return tests.numeric(b, n, bins, r)
    if kind == "rate":
        return tests.rate(b, n)
    return tests.categorical_codes(b, n)


def _finding(fig: Figure, key: str, value: str, c: tests.Comparison) -> Finding:
    return Finding(
        section=fig.section,
        metric=fig.metric,
        key=key,
        value=value,
        base=_f(c.base),
        now=_f(c.now),
        effect=c.effect,
        effect_kind="change" if fig.kind == "rate" else "psi",
        threshold=fig.threshold,
        p=c.p,
        n_base=c.n_base,
        n_now=c.n_now,
    )


def drift(base: RunData, now: RunData, cfg: MonitorConfig) -> list[Finding]:
    """Input and output drift per cohort."""
    out: list[Finding] = []
    with_stories = base.has_stories and now.has_stories and len(base.stories) and len(now.stories)
    paired: dict[str, Paired] = {}
    for fig in figures(cfg, now.stories):
        if fig.table == "stories" and not with_stories:
            continue
        tb, tn = getattr(base, fig.table), getattr(now, fig.table)
        if fig.column not in tb.columns or fig.column not in tn.columns:
            continue
        if fig.table not in paired:
            keys = [*cfg.cohorts, "prompt"] if fig.table == "stories" else list(cfg.cohorts)
            paired[fig.table] = Paired(tb, tn, keys, cfg.min_cohort)
        pt = paired[fig.table]
        cb, cn = pt.column(fig.column, fig.kind)
        r = pt.ranks(fig.column) if fig.kind == "numeric" else None
        for key, value, mb, mn in pt.cohorts:
            if key == fig.column:
                continue
            rm = None if r is None else tests.Ranks(r.base[mb], r.now[mn], r.levels)
            c = compare(fig.kind, cb[mb], cn[mn], cfg.input.bins, rm)
            out.append(_finding(fig, key, value, c))
    if with_stories:
        out += _sameness(base.stories, now.stories, cfg)
    out += _rejects(base, now, cfg)
    return out


def _sameness(base: pd.DataFrame, now: pd.DataFrame, cfg: MonitorConfig) -> list[Finding]:
    """Share of stories whose skeleton (numbers and names blanked) another listener's story in
    the same cohort also has: stories that read alike across listeners."""
    fig = Figure("output", "story.sameness", "stories", "same", "rate", cfg.output.sameness_change)
    out = []
    keys = [*cfg.cohorts, "prompt"]
    hb, hn = (base["skeleton"] != "").to_numpy(), (now["skeleton"] != "").to_numpy()
    # per story, its skeleton and listener as integers, once (not once per cohort key)
    sk = [pd.factorize(t["skeleton"])[0].astype(np.int64) for t in (base, now)]
    us = [pd.factorize(t["user_id"])[0].astype(np.int64) for t in (base, now)]
    for key in ["all", *keys]:
        if key not in base.columns or key not in now.columns:
            continue
        gb, gn, _ = codes(base[key], now[key])
        sb, sn = _shared(gb, sk[0], us[0]), _shared(gn, sk[1], us[1])
        for k, value, mb, mn in cohort_masks(
            base, now, [key] if key != "all" else [], cfg.min_cohort
        ):
            if k != key:
                continue
            out.append(_finding(fig, key, value, tests.rate(sb[mb & hb], sn[mn & hn])))
    return out


def _shared(group: np.ndarray, skel: np.ndarray, user: np.ndarray) -> np.ndarray:
    """Per story: does another listener in its cohort (`group`) have a story of its skeleton?"""
    group = group.astype(np.int64)
    combo = group * (skel.max(initial=0) + 1) + skel
    pairs = np.unique(combo * (user.max(initial=0) + 1) + user)
    listeners = np.bincount(pairs // (user.max(initial=0) + 1), minlength=combo.max(initial=0) + 1)
    return listeners[combo] > 1


def _rejects(base: RunData, now: RunData, cfg: MonitorConfig) -> list[Finding]:
    """Ingest rejects by reason (a run-level figure: rejected records belong to no cohort)."""
    if not base.read or not now.read:
        return []
    reasons = sorted(set(base.rejects) | set(now.rejects))
    if not reasons:
        return []
    cb = np.array(
        [base.rejects.get(r, 0) for r in reasons] + [base.read - sum(base.rejects.values())]
    )
    cn = np.array([now.rejects.get(r, 0) for r in reasons] + [now.read - sum(now.rejects.values())])
    p = tests._chi2(np.vstack([cb, cn]))
    return [
        Finding(
            section="input",
            metric="ingest.rejects_by_reason",
            key="all",
            value="all",
            base=float(cb[:-1].sum() / base.read),
            now=float(cn[:-1].sum() / now.read),
            effect=tests.psi_from_counts(cb, cn),
            effect_kind="psi",
            threshold=cfg.input.psi,
            p=p,
            n_base=base.read,
            n_now=now.read,
        )
    ]


def invariants(base: RunData, now: RunData, cfg: MonitorConfig) -> list[Finding]:
    """The silent failures: night-time interesting days, impossible days, logs across local
    midnight, cohorts whose stories all fell back, a jump in profile time zones."""
    inv = cfg.invariants
    out: list[Finding] = []
    keys = list(cfg.cohorts)
    bd, nd = base.days, now.days
    if len(bd) and len(nd):
        night_b, night_n = bd["night_share"].to_numpy(float), nd["night_share"].to_numpy(float)
        long_b = (bd["day_minutes"] > inv.max_day_hours * 60).to_numpy()
        long_n = (nd["day_minutes"] > inv.max_day_hours * 60).to_numpy()
        cross_b = bd["crosses_midnight"].to_numpy(bool)
        cross_n = nd["crosses_midnight"].to_numpy(bool)
        for key, value, mb, mn in cohort_masks(bd, nd, keys, cfg.min_cohort):
            c = tests.shift(night_b[mb], night_n[mn])
            ok = c.now - c.base >= inv.night_min_change
            effect = c.effect if ok else 0.0
            out.append(_inv("day.night_share", key, value, c, effect, "ratio", inv.night_factor))
            c = tests.rate(long_b[mb], long_n[mn])
            out.append(_rise("day.over_max_hours", key, value, c, inv.day_hours_change))
            c = tests.rate(cross_b[mb], cross_n[mn])
            out.append(_rise("day.log_crosses_midnight", key, value, c, inv.day_hours_change))
    bl, nl = base.listeners, now.listeners
    if "tz_source" in bl.columns and "tz_source" in nl.columns:
        bl, nl = bl[bl["tz_source"].notna()], nl[nl["tz_source"].notna()]
        prof_b = (bl["tz_source"] == "profile").to_numpy(bool)
        prof_n = (nl["tz_source"] == "profile").to_numpy(bool)
        for key, value, mb, mn in cohort_masks(bl, nl, keys, cfg.min_cohort):
            c = tests.rate(prof_b[mb], prof_n[mn])
            out.append(
                _inv("tz_profile_share", key, value, c, c.effect, "change", inv.tz_profile_change)
            )
    bs, ns = base.stories, now.stories
    if base.has_stories and now.has_stories and len(bs) and len(ns):
        fell_b = (bs["fallback"].to_numpy(bool)) | bs["failed"].to_numpy(bool)
        fell_n = (ns["fallback"].to_numpy(bool)) | ns["failed"].to_numpy(bool)
        for key, value, mb, mn in cohort_masks(bs, ns, [*keys, "prompt"], cfg.min_cohort):
            c = tests.rate(fell_b[mb], fell_n[mn])
            all_fell = c.now >= 1.0 and c.base < 1.0
            out.append(
                _inv("story.all_fall_back", key, value, c, c.now if all_fell else 0.0, "share", 1.0)
            )
    return out


def _rise(metric: str, key: str, value: str, c: tests.Comparison, threshold: float) -> Finding:
    return _inv(metric, key, value, c, max(c.now - c.base, 0.0), "change", threshold)


def _inv(metric: str, key: str, value: str, c: tests.Comparison, effect: float, kind: EffectKind,
         threshold: float) -> Finding:  # fmt: skip
    return Finding(
        section="invariant",
        metric=metric,
        key=key,
        value=value,
        base=_f(c.base),
        now=_f(c.now),
        effect=float(effect),
        effect_kind=kind,
        threshold=threshold,
        p=c.p,
        n_base=c.n_base,
        n_now=c.n_now,
    )


def _f(x: float) -> float | None:
    return None if x is None or not np.isfinite(x) else float(x)


Recompute = Callable[[str, np.ndarray], Finding | None]
