"""Streaks: longest runs of consecutive LOCAL days (vectorized over all listeners at once).

- Listening streak: consecutive local days with any play in the window. Ties: the earliest run.
- Artist streak: consecutive local days with at least one MUSIC play of the same artist. Ties:
  the earliest start, then artist name ascending.

Trick: each (key, day) is encoded as ``key * span + day_offset`` with ``span`` one larger than
the window, so two sorted codes are consecutive days of the same key exactly when they differ
by 1 (the padding day breaks runs across keys).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from wrapped.stats.prepare import KIND_TRACK, Prepared
from wrapped.stats.ranking import best_per_group, first_per_group


@dataclass
class Streaks:
    days: np.ndarray  # per user, 0 when none
    start: np.ndarray  # per user, local day number (-1 none)
    artist_days: np.ndarray
    artist_start: np.ndarray
    artist: np.ndarray  # artist code, -1 none


def _runs(codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sorted unique codes -> (run start code, run length)."""
    if len(codes) == 0:
        return codes, codes
    brk = np.empty(len(codes), dtype=bool)
    brk[0] = True
    brk[1:] = np.diff(codes) != 1
    run_id = np.cumsum(brk) - 1
    return codes[brk], np.bincount(run_id)


def streaks(p: Prepared, ud_user: np.ndarray, ud_day: np.ndarray) -> Streaks:
    n = p.n_users
    span = p.end_day - p.start_day + 2
    days = np.zeros(n, dtype=np.int64)
    start = np.full(n, -1, dtype=np.int64)
    codes = np.sort(ud_user * span + (ud_day - p.start_day))
    rs, rl = _runs(codes)
    if len(rs):
        ru = rs // span  # non-decreasing: codes are sorted
        f = best_per_group(ru, (span - rl) * span + rs % span, n)  # longest, then earliest
        has = f >= 0
        days[has] = rl[f[has]]
        start[has] = rs[f[has]] % span + p.start_day

    a_days = np.zeros(n, dtype=np.int64)
    a_start = np.full(n, -1, dtype=np.int64)
    a_art = np.full(n, -1, dtype=np.int64)
    m = (p.kind == KIND_TRACK) & (p.artist >= 0)
    if m.any():
        na = len(p.spaces["artist"])
        key = (p.uid[m] * na + p.artist[m]) * span + (p.day[m] - p.start_day)
        codes = np.sort(pd.unique(key))
        rs, rl = _runs(codes)
        pair = rs // span
        ru, ra = pair // na, pair % na
        rstart = rs % span
        arank = p.spaces["artist"].rank[ra]
        if (span + 1) * span * (na + 1) < 2**62:  # longest, then earliest, then artist name
            f = best_per_group(ru, ((span - rl) * span + rstart) * na + arank, n)
        else:
            o = np.lexsort((arank, rstart, -rl, ru))
            f = first_per_group(ru[o], n)
            f = np.where(f >= 0, o[np.maximum(f, 0)], -1)
        has = f >= 0
        a_days[has] = rl[f[has]]
        a_start[has] = rstart[f[has]] + p.start_day
        a_art[has] = ra[f[has]]
    return Streaks(days=days, start=start, artist_days=a_days, artist_start=a_start, artist=a_art)
