"""Confidence intervals and agreement figures shared by eval, review and monitor.

Every figure a prompt engineer or reviewer acts on comes with an interval and its sample size,
because a one-point drop on 40 stories is noise and on 40,000 is a regression.

Bootstrap of a mean, fast and exact: the resampled mean of values that take few distinct levels
(pass/fail, a judge's 1-5, a paired difference in -1/0/1) depends only on how many times each
level is drawn, which is a multinomial draw. So `bootstrap_means` draws B multinomials of k levels
(cost B*k) instead of B*n indices: the ordinary nonparametric bootstrap, exactly. Values with many
distinct levels (latency, cost) are resampled by index when the sample is small; past
`EXACT_CELLS` index draws they are first binned into `MAX_LEVELS` quantile bins, each standing
for its members' mean. That keeps `compare` over 100,000 rows to seconds, and only drops the
spread inside a bin (an interval narrower by far less than its own bootstrap noise).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import numpy as np

MAX_LEVELS = 256
"""Above this many distinct values, resample indices instead of level counts."""
EXACT_CELLS = 20_000_000
"""n * n_boot above which many-level values are binned before resampling."""
_CHUNK = 2_000_000  # indices drawn at once on the index path (16 MB)


class Interval(NamedTuple):
    """A point estimate with a percentile-bootstrap interval and the sample it rests on."""

    value: float
    low: float
    high: float
    n: int

    def contains(self, x: float) -> bool:
        return self.low <= x <= self.high


def bootstrap_means(
    values: Sequence[float] | np.ndarray, n_boot: int, rng: np.random.Generator
) -> np.ndarray:
    """`n_boot` bootstrap replicates of the mean of `values` (NaN-free, length ≥ 1)."""
    x = np.asarray(values, dtype=float)
    n = x.size
    levels, counts = np.unique(x, return_counts=True)
    if levels.size > MAX_LEVELS and n * n_boot > EXACT_CELLS:
        levels, counts = _binned(x)
    if levels.size <= MAX_LEVELS:
        draws = rng.multinomial(n, counts / n, size=n_boot)
        return draws @ levels / n
    out = np.empty(n_boot)
    per = max(1, _CHUNK // n)
    for start in range(0, n_boot, per):
        b = min(per, n_boot - start)
        idx = rng.integers(0, n, size=(b, n))
        out[start : start + b] = x[idx].mean(axis=1)
    return out


def mean_ci(
    values: Sequence[float] | np.ndarray,
    *,
    n_boot: int = 1000,
    level: float = 0.95,
    seed: int = 0,
) -> Interval:
    """The mean with a percentile-bootstrap interval; NaNs (unscored rows) are left out."""
    x = _finite(values)
    if x.size == 0:
        return Interval(float("nan"), float("nan"), float("nan"), 0)
    reps = bootstrap_means(x, n_boot, np.random.default_rng(seed))
    return _interval(float(x.mean()), reps, level, x.size)


def paired_diff_ci(
    base: Sequence[float] | np.ndarray,
    new: Sequence[float] | np.ndarray,
    *,
    n_boot: int = 1000,
    level: float = 0.95,
    seed: int = 0,
) -> Interval:
    """Mean of `new - base` over paired units (same listener and day), with a paired bootstrap.

    Pairs where either side is NaN are left out, and `n` says how many remain.
    """
    b = np.asarray(base, dtype=float)
    v = np.asarray(new, dtype=float)
    if b.shape != v.shape:
        raise ValueError(f"paired samples differ in length: {b.size} and {v.size}")
    d = v - b
    return mean_ci(d, n_boot=n_boot, level=level, seed=seed)


def weighted_mean_ci(
    values: Sequence[float] | np.ndarray,
    inclusion_prob: Sequence[float] | np.ndarray,
    *,
    n_boot: int = 1000,
    level: float = 0.95,
    seed: int = 0,
) -> Interval:
    """A Hajek (inverse-probability weighted) mean, for estimates from a stratified sample.

    `inclusion_prob` is each sampled unit's probability of having been drawn; the estimate is
    what the mean would be over the whole population the sample was drawn from.
    """
    x = np.asarray(values, dtype=float)
    p = np.asarray(inclusion_prob, dtype=float)
    keep = np.isfinite(x) & (p > 0)
    x, w = x[keep], 1.0 / p[keep]
    if x.size == 0:
        return Interval(float("nan"), float("nan"), float("nan"), 0)
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, x.size, size=(n_boot, x.size))
    reps = (x[idx] * w[idx]).sum(axis=1) / w[idx].sum(axis=1)
    return _interval(float((x * w).sum() / w.sum()), reps, level, int(x.size))


def cohen_kappa(a: Sequence[object], b: Sequence[object]) -> float:
    """Cohen's κ between two raters' labels on the same items (1 = perfect, 0 = chance).

    NaN when there is nothing to compare or when chance agreement is total (one label only).
    """
    if len(a) != len(b):
        raise ValueError(f"raters labelled different numbers of items: {len(a)} and {len(b)}")
    if not a:
        return float("nan")
    labels = sorted({*map(str, a), *map(str, b)})
    code = {x: i for i, x in enumerate(labels)}
    ia = np.array([code[str(x)] for x in a])
    ib = np.array([code[str(x)] for x in b])
    return _kappa_codes(ia, ib, len(labels))


def kappa_ci(
    a: Sequence[object],
    b: Sequence[object],
    *,
    n_boot: int = 1000,
    level: float = 0.95,
    seed: int = 0,
) -> Interval:
    """Cohen's κ with a bootstrap interval over items."""
    value = cohen_kappa(a, b)
    n = len(a)
    if n == 0:
        return Interval(value, float("nan"), float("nan"), 0)
    labels = sorted({*map(str, a), *map(str, b)})
    code = {x: i for i, x in enumerate(labels)}
    ia = np.array([code[str(x)] for x in a])
    ib = np.array([code[str(x)] for x in b])
    rng = np.random.default_rng(seed)
    reps = np.array(
        [_kappa_codes(ia[i], ib[i], len(labels)) for i in rng.integers(0, n, size=(n_boot, n))]
    )
    return _interval(value, reps[np.isfinite(reps)], level, n)


def fleiss_kappa(counts: Sequence[Sequence[int]] | np.ndarray) -> float:
    """Fleiss' κ for items × categories rating counts (every item rated by the same number).

    Raises `ValueError` when items were rated by different numbers of raters.
    """
    m = np.asarray(counts, dtype=float)
    if m.ndim != 2 or m.shape[0] == 0:
        return float("nan")
    raters = m.sum(axis=1)
    if not np.all(raters == raters[0]) or raters[0] < 2:
        raise ValueError("Fleiss' kappa needs every item rated by the same number (>= 2) of raters")
    r = raters[0]
    p_j = m.sum(axis=0) / m.sum()
    p_i = ((m * m).sum(axis=1) - r) / (r * (r - 1))
    p_bar, p_e = p_i.mean(), float((p_j * p_j).sum())
    return float("nan") if p_e == 1 else float((p_bar - p_e) / (1 - p_e))


def _kappa_codes(ia: np.ndarray, ib: np.ndarray, k: int) -> float:
    n = ia.size
    table = np.bincount(ia * k + ib, minlength=k * k).reshape(k, k) / n
    p_o = float(np.trace(table))
    p_e = float(table.sum(axis=1) @ table.sum(axis=0))
    return float("nan") if p_e >= 1 else (p_o - p_e) / (1 - p_e)


def _binned(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """`MAX_LEVELS` quantile bins of `x`: each bin's mean and size."""
    order = np.sort(x)
    bounds = np.linspace(0, order.size, MAX_LEVELS + 1).astype(int)
    sums = np.add.reduceat(order, bounds[:-1])
    counts = np.diff(bounds)
    keep = counts > 0
    return sums[keep] / counts[keep], counts[keep]


def _finite(values: Sequence[float] | np.ndarray) -> np.ndarray:
    x = np.asarray(values, dtype=float)
    return x[np.isfinite(x)]


def _interval(value: float, reps: np.ndarray, level: float, n: int) -> Interval:
    if reps.size == 0:
        return Interval(value, float("nan"), float("nan"), n)
    tail = (1 - level) / 2 * 100
    low, high = np.percentile(reps, [tail, 100 - tail])
    return Interval(value, float(low), float(high), n)
