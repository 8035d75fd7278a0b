"""The numbers behind every chosen day: facts from ALL of the day's plays, and the capped log.

Integer arrays only, no names (see `DayArrays`): this is the part of a chunk a helper process can
compute (`wrapped.stats.parallel`); `day_facts` turns it into facts, headlines and log entries.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from wrapped.stats.aggregates import Core, Extra
from wrapped.stats.days import NOSTALGIA_YEARS, Chosen
from wrapped.stats.prepare import KIND_EPISODE, KIND_TRACK, Prepared
from wrapped.stats.ranking import (
    best_per_group,
    first_per_group,
    positions_in_runs,
    rank_items,
    sums,
)


@dataclass
class DayArrays:
    """The numbers behind every chosen day's facts and log: integer arrays only (no names).

    Per chosen day unless noted. ``*_item`` are item codes of the day's first-ranked artist,
    track, show or new artist (-1 none); ``*_ms``/``*_plays`` of such a pick are 0 when none.
    """

    all_ms: np.ndarray
    plays: np.ndarray
    mus_ms: np.ndarray
    mus_plays: np.ndarray
    n_art: np.ndarray
    pod_ms: np.ndarray
    pod_plays: np.ndarray
    ta_item: np.ndarray
    ta_ms: np.ndarray
    ta_plays: np.ndarray
    tt_item: np.ndarray
    tt_plays: np.ndarray
    ts_item: np.ndarray
    ts_ms: np.ndarray
    n_new: np.ndarray
    tn_item: np.ndarray
    ya_ms: np.ndarray
    ya_plays: np.ndarray
    yg_ms: np.ndarray
    yg_plays: np.ndarray
    old_ms: np.ndarray
    old_plays: np.ndarray
    first_wall: np.ndarray
    last_wall: np.ndarray
    has_old: np.ndarray  # bool
    old_track: np.ndarray  # track code of the oldest release (meaningful where has_old)
    old_year: np.ndarray
    top_art: np.ndarray  # per LISTENER: year's top artist code, -1 none
    top_gen: np.ndarray  # per LISTENER: year's top genre code, -1 none
    log: dict[str, np.ndarray]  # per log entry (time order within each day): see `_log_columns`
    log_count: np.ndarray  # entries per chosen day


def _item_of(first: np.ndarray, items: np.ndarray) -> np.ndarray:
    """Item code of each group's first-ranked row (`Ranking.first`), -1 when none."""
    if len(items) == 0:
        return np.full(len(first), -1, dtype=np.int64)
    return np.where(first >= 0, items[np.maximum(first, 0)], -1)


def _value_of(first: np.ndarray, values: np.ndarray) -> np.ndarray:
    if len(values) == 0:
        return np.zeros(len(first), dtype=np.int64)
    return np.where(first >= 0, values[np.maximum(first, 0)], 0)


def day_arrays(p: Prepared, c: Core, x: Extra, ch: Chosen, log_cap: int) -> DayArrays:
    """Facts (from ALL of the day's plays) and the capped log of every chosen day, as arrays.

    Only numpy: this is the part of a chunk a helper process can compute (see `build`).
    """
    m = len(ch.user)
    cd_of_ud = np.full(len(c.ud_user), -1, dtype=np.int64)
    cd_of_ud[ch.ud] = np.arange(m)
    ecd_all = cd_of_ud[c.ud_codes]
    sel = np.flatnonzero(ecd_all >= 0)
    ecd = ecd_all[sel]
    o = np.lexsort((p.row[sel], p.ts[sel], ecd))
    sel, ecd = sel[o], ecd[o]
    ms, kind, art, wall = p.ms[sel], p.kind[sel], p.artist[sel], p.wall[sel]
    trk, gen, ry = p.track[sel], p.genre[sel], p.ryear[sel]
    music = kind == KIND_TRACK
    A, T = p.spaces["artist"], p.spaces["track"]

    all_ms, plays = sums(ecd, ms, m)
    mus_ms, mus_plays = sums(ecd, ms, m, music)
    pod_ms, pod_plays = sums(ecd, ms, m, kind == KIND_EPISODE)
    ra = rank_items(ecd, art, ms, A.rank, music)
    n_art = ra.distinct(m)
    fa = ra.first(m)
    rt = rank_items(ecd, trk, ms, T.rank, music)
    ft = rt.first(m)
    rs = rank_items(ecd, p.show[sel], ms, p.spaces["show"].rank, kind == KIND_EPISODE)
    fs = rs.first(m)
    first_wall = np.full(m, 0, dtype=np.int64)
    last_wall = np.full(m, 0, dtype=np.int64)
    pos = positions_in_runs(ecd)
    heads = np.flatnonzero(pos == 0)
    first_wall[ecd[heads]] = wall[heads]
    tails = np.r_[heads[1:] - 1, len(ecd) - 1] if len(heads) else heads
    last_wall[ecd[tails]] = wall[tails]

    # first-ever plays of an artist on this day
    acode = c.artists.codes[sel]
    is_new = np.zeros(len(sel), dtype=bool)
    okc = acode >= 0
    is_new[okc] = x.new_group[acode[okc]] & (x.first_day[acode[okc]] == p.day[sel][okc])
    rn = rank_items(ecd, art, ms, A.rank, is_new)
    n_new = rn.distinct(m)
    fn = rn.first(m)

    top_art = c.artists.first_item(p.n_users)
    ya = music & (art >= 0) & (art == top_art[p.uid[sel]])
    ya_ms, ya_plays = sums(ecd, ms, m, ya)
    top_gen = x.genres.first_item(p.n_users)
    yg = music & (gen >= 0) & (gen == top_gen[p.uid[sel]])
    yg_ms, yg_plays = sums(ecd, ms, m, yg)
    old = music & (ry >= 0) & (ry <= p.year - NOSTALGIA_YEARS)
    old_ms, old_plays = sums(ecd, ms, m, old)
    known = np.flatnonzero(music & (ry >= 0) & (trk >= 0))
    # oldest release per day (ties: track name); ecd is sorted, so a segmented min suffices
    if len(known) and (int(ry[known].max()) + 1) * (len(T) + 1) < 2**62:
        oo = known
        fo = best_per_group(ecd[known], ry[known].astype(np.int64) * len(T) + T.rank[trk[known]], m)
    else:
        oo = known[np.lexsort((T.rank[trk[known]], ry[known], ecd[known]))]
        fo = first_per_group(ecd[oo], m)
    oj = oo[np.maximum(fo, 0)] if len(oo) else np.zeros(m, dtype=np.int64)

    keep = np.flatnonzero(pos < log_cap)
    return DayArrays(
        all_ms=all_ms, plays=plays, mus_ms=mus_ms, mus_plays=mus_plays, n_art=n_art,
        pod_ms=pod_ms, pod_plays=pod_plays,
        ta_item=_item_of(fa, ra.item), ta_ms=_value_of(fa, ra.ms), ta_plays=_value_of(fa, ra.plays),
        tt_item=_item_of(ft, rt.item), tt_plays=_value_of(ft, rt.plays),
        ts_item=_item_of(fs, rs.item), ts_ms=_value_of(fs, rs.ms),
        n_new=n_new, tn_item=_item_of(fn, rn.item),
        ya_ms=ya_ms, ya_plays=ya_plays, yg_ms=yg_ms, yg_plays=yg_plays,
        old_ms=old_ms, old_plays=old_plays, first_wall=first_wall, last_wall=last_wall,
        has_old=fo >= 0,
        old_track=trk[oj] if len(oo) else np.zeros(m, dtype=np.int64),
        old_year=ry[oj] if len(oo) else np.zeros(m, dtype=np.int64),
        top_art=top_art, top_gen=top_gen,
        log=_log_columns(p, sel[keep], is_new[keep]), log_count=np.bincount(ecd[keep], minlength=m),
    )  # fmt: skip


def _log_columns(p: Prepared, ev: np.ndarray, is_new: np.ndarray) -> dict[str, np.ndarray]:
    """The numbers of the log entries of events `ev` (display names are looked up later)."""
    ms = p.ms[ev]
    kind = p.kind[ev]
    cols = {name: codes[ev] for name, (codes, _) in p.raw.items()}  # -1 -> the trailing None
    return cols | {
        "kind": kind, "minute": (p.wall[ev] // (60 * 10**9)) % (24 * 60), "ms": ms,
        "minutes": np.round(ms / 60_000, 1), "skip": p.skip[ev], "ryear": p.ryear[ev],
        "genre": p.genre[ev], "new": is_new,
        "with_new": (kind == KIND_TRACK) & p.has_history[p.uid[ev]],
    }  # fmt: skip
