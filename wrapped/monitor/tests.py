"""The two-sample tests and effect sizes behind every drift figure.

Each comparison yields a p-value (KS for numeric figures, χ² for categories and rates) and an
effect size (PSI, or an absolute rate change). An alert needs both: with hundreds of cohort ×
figure tests a p-value alone raises false alarms, and on a million stories a p-value alone flags
differences too small to matter. p-values are corrected across the whole family (Holm or
Bonferroni) before they count.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import NamedTuple

import numpy as np
from scipy import stats

_EPS = 1e-4


class Comparison(NamedTuple):
    """A baseline-vs-now comparison of one figure in one cohort."""

    base: float  # the baseline's summary (mean or rate, or the top category's share)
    now: float
    effect: float  # PSI, or the absolute change of a rate
    p: float
    n_base: int
    n_now: int


def psi_from_counts(base: np.ndarray, now: np.ndarray) -> float:
    """Population stability index of two count vectors over the same bins."""
    b = base / max(base.sum(), 1)
    n = now / max(now.sum(), 1)
    b = np.maximum(b, _EPS * 10)
    n = np.maximum(n, _EPS * 10)
    return float(np.sum((n - b) * np.log(n / b)))


class Ranks(NamedTuple):
    """Both sides' values as their rank among the distinct values of the two (`levels` of
    them), computed once per column: a KS test on any subset is then two bincounts."""

    base: np.ndarray
    now: np.ndarray
    levels: int


def ranks(base: np.ndarray, now: np.ndarray) -> Ranks:
    both = np.concatenate([base, now])
    values, inv = np.unique(both, return_inverse=True)
    return Ranks(inv[: base.size], inv[base.size :], values.size)


EXACT_KS_N = 10_000
"""Up to this many values a side, scipy's KS test (its exact p-value); above, its statistic
and asymptotic p-value (what scipy's "auto" method uses there) computed from ranks."""


def numeric(base: np.ndarray, now: np.ndarray, bins: int, r: Ranks | None = None) -> Comparison:
    """PSI over the baseline's quantile bins, and the two-sample KS test (`r`: the values'
    ranks, `ranks(base, now)`, for a big sample)."""
    fb, fn = np.isfinite(base), np.isfinite(now)
    base, now = base[fb], now[fn]
    if base.size == 0 or now.size == 0:
        return Comparison(np.nan, np.nan, 0.0, 1.0, int(base.size), int(now.size))
    edges = np.unique(np.quantile(base, np.linspace(0, 1, bins + 1)[1:-1]))
    cb = np.bincount(np.searchsorted(edges, base, side="right"), minlength=edges.size + 1)
    cn = np.bincount(np.searchsorted(edges, now, side="right"), minlength=edges.size + 1)
    p = 1.0
    if r is not None and max(base.size, now.size) > EXACT_KS_N:
        p = _ks_asymptotic(r.base[fb], r.now[fn], r.levels)
    elif base.size > 1 and now.size > 1:
        with warnings.catch_warnings():  # ties make the exact method fall back: that is fine
            warnings.simplefilter("ignore", RuntimeWarning)
            p = float(stats.ks_2samp(base, now).pvalue)
    return Comparison(
        float(base.mean()), float(now.mean()), psi_from_counts(cb, cn), p, base.size, now.size
    )


def _ks_asymptotic(rb: np.ndarray, rn: np.ndarray, levels: int) -> float:
    """scipy's two-sided `ks_2samp` p-value for large samples, from the values' ranks: the
    largest gap of the two empirical CDFs (at every distinct value), then Smirnov's
    asymptotic distribution, as scipy computes it."""
    n1, n2 = rb.size, rn.size
    cdf1 = np.cumsum(np.bincount(rb, minlength=levels)) / n1
    cdf2 = np.cumsum(np.bincount(rn, minlength=levels)) / n2
    d = float(np.clip(np.abs(cdf1 - cdf2).max(), 0, 1))
    m, n = sorted([float(n1), float(n2)], reverse=True)
    return float(np.clip(stats.kstwo.sf(d, np.round(m * n / (m + n))), 0, 1))


def shift(base: np.ndarray, now: np.ndarray) -> Comparison:
    """Is `now` larger than `base`? Means, their ratio as the effect, and the one-sided
    Mann-Whitney U test (more power than KS for a shift of values that are often 0)."""
    base = base[np.isfinite(base)]
    now = now[np.isfinite(now)]
    if base.size < 2 or now.size < 2:
        return Comparison(np.nan, np.nan, 0.0, 1.0, int(base.size), int(now.size))
    p = float(stats.mannwhitneyu(now, base, alternative="greater").pvalue)
    b, n = float(base.mean()), float(now.mean())
    return Comparison(b, n, n / max(b, 1e-3), p, int(base.size), int(now.size))


def categorical(base: Sequence[object], now: Sequence[object]) -> Comparison:
    """PSI over the categories of both sides, and the χ² test of the 2 × k table.

    `base`/`now` summarise as the share of the baseline's most common category."""
    b = np.asarray(base, dtype=object).astype(str)
    n = np.asarray(now, dtype=object).astype(str)
    if b.size == 0 or n.size == 0:
        return Comparison(np.nan, np.nan, 0.0, 1.0, int(b.size), int(n.size))
    cats, inv = np.unique(np.concatenate([b, n]), return_inverse=True)
    cb = np.bincount(inv[: b.size], minlength=cats.size)
    cn = np.bincount(inv[b.size :], minlength=cats.size)
    top = int(cb.argmax())
    return Comparison(
        float(cb[top] / b.size),
        float(cn[top] / n.size),
        psi_from_counts(cb, cn),
        _chi2(np.vstack([cb, cn])),
        int(b.size),
        int(n.size),
    )


def categorical_codes(base: np.ndarray, now: np.ndarray) -> Comparison:
    """`categorical` for integer category codes (both sides coded alike): bincounts only."""
    if base.size == 0 or now.size == 0:
        return Comparison(np.nan, np.nan, 0.0, 1.0, int(base.size), int(now.size))
    k = int(max(base.max(), now.max())) + 1
    cb, cn = np.bincount(base, minlength=k), np.bincount(now, minlength=k)
    top = int(cb.argmax())
    return Comparison(
        float(cb[top] / base.size),
        float(cn[top] / now.size),
        psi_from_counts(cb, cn),
        _chi2(np.vstack([cb, cn])),
        int(base.size),
        int(now.size),
    )


def rate(base: np.ndarray, now: np.ndarray) -> Comparison:
    """A share (booleans): its absolute change, and the χ² test of the 2 × 2 table."""
    b = np.asarray(base, dtype=bool)
    n = np.asarray(now, dtype=bool)
    if b.size == 0 or n.size == 0:
        return Comparison(np.nan, np.nan, 0.0, 1.0, int(b.size), int(n.size))
    kb, kn = int(b.sum()), int(n.sum())
    table = np.array([[kb, b.size - kb], [kn, n.size - kn]])
    rb, rn = kb / b.size, kn / n.size
    return Comparison(rb, rn, abs(rn - rb), _chi2(table), int(b.size), int(n.size))


def _chi2(table: np.ndarray) -> float:
    keep = table.sum(axis=0) > 0
    t = table[:, keep]
    if t.shape[1] < 2 or (t.sum(axis=1) == 0).any():
        return 1.0
    if t.shape[1] == 2:  # 2 x 2: Yates' correction, as scipy does
        return float(stats.chi2_contingency(t, correction=True).pvalue)
    expected = np.outer(t.sum(axis=1), t.sum(axis=0)) / t.sum()
    stat = float(((t - expected) ** 2 / expected).sum())
    return float(stats.chi2.sf(stat, t.shape[1] - 1))


def adjust(pvalues: Sequence[float], method: str) -> np.ndarray:
    """Family-wise corrected p-values (Holm's step-down, or Bonferroni)."""
    p = np.asarray(pvalues, dtype=float)
    m = p.size
    if m == 0:
        return p
    if method == "bonferroni":
        return np.minimum(p * m, 1.0)
    order = np.argsort(p)
    stepped = np.maximum.accumulate((m - np.arange(m)) * p[order])
    out = np.empty(m)
    out[order] = np.minimum(stepped, 1.0)
    return out
