"""`wrapped eval compare BASE NEW`: two result sets side by side, listener by listener.

Rows pair on (user_id, day), so a difference is the same listeners' stories written two ways.
For every metric, overall and for each value of the suite's cohort keys, the mean difference
gets a paired bootstrap 95% interval and its sample size. A regression is a move past the
suite's threshold whose interval excludes zero: noise on a small cohort is not a regression,
and two runs of the same cell differ by exactly nothing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd

from wrapped.analysis.intervals import Interval, paired_diff_ci
from wrapped.errors import ConfigError, InputError
from wrapped.eval.metrics import higher_is_better
from wrapped.eval.model import read_manifest
from wrapped.eval.rows import read_frame
from wrapped.eval.suite import Threshold

ALL = "all"


class Side(NamedTuple):
    """One side of a comparison: a results folder and, when it holds several, one cell."""

    folder: Path
    cell: str | None

    @property
    def label(self) -> str:
        return f"{self.folder}:{self.cell}" if self.cell else str(self.folder)


class Diff(NamedTuple):
    """One metric in one cohort: base and new means and the paired difference."""

    metric: str
    cohort_key: str
    cohort: str
    base: float
    new: float
    diff: Interval
    regression: bool
    threshold: str


def parse_side(spec: str) -> Side:
    """`FOLDER` or `FOLDER:CELL`."""
    path = Path(spec)
    if not path.exists() and ":" in spec:
        folder, cell = spec.rsplit(":", 1)
        return Side(Path(folder), cell)
    return Side(path, None)


def load_side(side: Side) -> pd.DataFrame:
    """The side's rows (one cell's); a folder of several cells needs `:CELL`."""
    read_manifest(side.folder)
    frame = read_frame(side.folder)
    cells = sorted(frame["cell"].unique()) if len(frame) else []
    if side.cell is None:
        if len(cells) > 1:
            raise ConfigError(
                f"{side.folder} holds {len(cells)} cells: name one as {side.folder}:CELL "
                f"(cells: {', '.join(cells)})"
            )
        return frame
    if side.cell not in cells:
        raise InputError(
            f"no cell {side.cell!r} (cells: {', '.join(cells)})", file=str(side.folder)
        )
    return frame[frame["cell"] == side.cell]


def compare_frames(
    base: pd.DataFrame,
    new: pd.DataFrame,
    *,
    keys: Sequence[str],
    thresholds: Mapping[str, Threshold],
    n_boot: int = 1000,
    seed: int = 0,
) -> list[Diff]:
    """Every metric the two sides share, overall and per cohort value of `keys`."""
    metrics = sorted(c[2:] for c in base.columns if c.startswith("m.") and c in set(new.columns))
    cohort_cols = [f"c.{k}" for k in keys if f"c.{k}" in base.columns]
    left = base[["user_id", "day", *cohort_cols, *(f"m.{m}" for m in metrics)]]
    right = new[["user_id", "day", *(f"m.{m}" for m in metrics)]]
    paired = left.merge(right, on=["user_id", "day"], suffixes=("_b", "_n"))
    groups: list[tuple[str, str, np.ndarray]] = [(ALL, ALL, np.ones(len(paired), dtype=bool))]
    for col in cohort_cols:
        values = paired[col].astype(str).to_numpy()
        for v in sorted(set(values)):
            groups.append((col[2:], v, values == v))
    diffs_of = {
        m: paired[f"m.{m}_n"].to_numpy(dtype=float) - paired[f"m.{m}_b"].to_numpy(dtype=float)
        for m in metrics
    }
    base_of = {m: paired[f"m.{m}_b"].to_numpy(dtype=float) for m in metrics}
    if len(paired) >= POISSON_ROWS:
        intervals = _poisson_intervals(diffs_of, groups, n_boot, seed)
    else:
        intervals = {
            (m, key, value): paired_diff_ci(
                base_of[m][mask], base_of[m][mask] + diffs_of[m][mask], n_boot=n_boot, seed=seed
            )
            for m in metrics
            for key, value, mask in groups
        }
    out: list[Diff] = []
    for metric in metrics:
        d_all, b_all = diffs_of[metric], base_of[metric]
        for key, value, mask in groups:
            diff = intervals[(metric, key, value)]
            if diff.n == 0:
                continue
            ok = mask & np.isfinite(d_all)
            regression, why = _crossed(metric, diff, thresholds.get(metric))
            out.append(
                Diff(
                    metric=metric,
                    cohort_key=key,
                    cohort=value,
                    base=float(b_all[ok].mean()),
                    new=float((b_all[ok] + d_all[ok]).mean()),
                    diff=diff,
                    regression=regression,
                    threshold=why,
                )
            )
    return out


#: from this many paired rows on, resamples share one set of Poisson(1) weights (see below)
POISSON_ROWS = 5_000


def _poisson_intervals(
    diffs: dict[str, np.ndarray],
    groups: list[tuple[str, str, np.ndarray]],
    n_boot: int,
    seed: int,
    level: float = 0.95,
) -> dict[tuple[str, str, str], Interval]:
    """Every (metric, cohort) interval from one set of resampling weights.

    The Poisson bootstrap (each row drawn Poisson(1) times instead of a multinomial draw of
    exactly n) is the standard large-sample form of the bootstrap: with thousands of pairs the
    two agree, and one weight matrix then serves every metric and cohort as a matrix product
    (weights x values), instead of one resample of row indices per metric per cohort. Pairs
    where either side is unscored (NaN) are left out of that metric, as in `paired_diff_ci`."""
    names = list(diffs)
    values = np.column_stack([diffs[m] for m in names])  # rows x metrics
    valid = np.isfinite(values)
    filled = np.where(valid, values, 0.0)
    # one float32 product per group gives both sums and counts (values, then 1 where present)
    both = np.hstack([filled, valid]).astype(np.float32)
    k = len(names)
    rng = np.random.default_rng(seed)
    n = len(values)
    chunk = max(1, 4_000_000 // max(1, n))
    sums: dict[int, list[np.ndarray]] = {i: [] for i in range(len(groups))}
    for start in range(0, n_boot, chunk):
        w = _poisson_weights(rng, (min(chunk, n_boot - start), n))
        for gi, (_, _, mask) in enumerate(groups):
            prod = w[:, mask] @ both[mask]
            with np.errstate(invalid="ignore", divide="ignore"):
                sums[gi].append(prod[:, :k] / prod[:, k:])
    tail = (1 - level) / 2 * 100
    out: dict[tuple[str, str, str], Interval] = {}
    for gi, (key, value, mask) in enumerate(groups):
        reps = np.vstack(sums[gi])  # resamples x metrics
        for j, m in enumerate(names):
            col = filled[mask, j][valid[mask, j]]
            if col.size == 0:
                out[(m, key, value)] = Interval(float("nan"), float("nan"), float("nan"), 0)
                continue
            r = reps[:, j]
            r = r[np.isfinite(r)]
            low, high = np.percentile(r, [tail, 100 - tail]) if r.size else (np.nan, np.nan)
            out[(m, key, value)] = Interval(float(col.mean()), float(low), float(high), col.size)
    return out


#: P(Poisson(1) <= k) for k = 0..7 (the chance of 8 or more is 1e-5: counted as 8)
_POISSON_CDF = np.cumsum([np.exp(-1.0) / np.prod(np.arange(1, k + 1)) for k in range(8)])


def _poisson_weights(rng: np.random.Generator, shape: tuple[int, int]) -> np.ndarray:
    """Poisson(1) counts by inverting the CDF on float32 uniforms: several times faster than
    `rng.poisson`, which draws each count on its own."""
    u = rng.random(shape, dtype=np.float32)
    w = np.zeros(shape, dtype=np.float32)
    for c in _POISSON_CDF:
        w += u > np.float32(c)
    return w


def _crossed(metric: str, diff: Interval, t: Threshold | None) -> tuple[bool, str]:
    """Past the threshold, in the bad direction, with an interval that excludes zero."""
    if t is None:
        return False, ""
    if t.max_drop is not None:
        return (diff.value < -t.max_drop and diff.high < 0), f"max_drop {t.max_drop:g}"
    assert t.max_rise is not None
    return (diff.value > t.max_rise and diff.low > 0), f"max_rise {t.max_rise:g}"


def regression_lines(diffs: Sequence[Diff]) -> list[str]:
    """One line per crossed threshold: metric, cohort, the move and its interval."""
    return [
        f"regression: {d.metric} in {_where(d)}: {d.base:.3f} -> {d.new:.3f} "
        f"({d.diff.value:+.3f}, 95% CI [{d.diff.low:+.3f}, {d.diff.high:+.3f}], n={d.diff.n}; "
        f"{d.threshold})"
        for d in diffs
        if d.regression
    ]


def _where(d: Diff) -> str:
    return "overall" if d.cohort_key == ALL else f"{d.cohort_key}={d.cohort}"


def direction_word(metric: str, value: float) -> str:
    if value == 0:
        return "same"
    better = (value > 0) == higher_is_better(metric)
    return "better" if better else "worse"
