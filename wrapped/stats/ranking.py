"""Rankings: exact ms/plays sums per (group, item) and each item's place within its group.

Tie-break rule, used by EVERY ranking in the stats block (top lists, top artist of a month or a
day, top new artist): **more milliseconds first, then more plays, then name ascending** in
Unicode code-point order (for tracks/albums/episodes: title, then artist/show). Argmax-style picks
over a fixed axis (peak hour, busiest weekday, peak month, top decade, part of day) take the
earliest position on ties. So no tie is ever broken arbitrarily, and the same data always gives
the same order.

Also the segmented helpers the rankings are built from (positions in sorted runs, the best or
first row per group, plain per-group sums): numpy only, no per-event loop.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd


@dataclass
class Ranking:
    """Groups (group, item) with exact ms/plays sums and their position within the group."""

    codes: np.ndarray  # per input row: group-item code, -1 when the row was not counted
    group: np.ndarray  # per group-item
    item: np.ndarray
    ms: np.ndarray
    plays: np.ndarray
    pos: np.ndarray  # 0-based rank within the group under the tie-break rule
    order: np.ndarray  # group-item indices sorted by (group, pos)

    def top(self, k: int) -> np.ndarray:
        """Group-item indices with pos < k, sorted by (group, pos)."""
        o = self.order
        picked: np.ndarray = o[self.pos[o] < k]
        return picked

    def first(self, n_groups: int) -> np.ndarray:
        """Per group: index of its rank-1 group-item, -1 when the group is empty."""
        out = np.full(n_groups, -1, dtype=np.int64)
        t = self.top(1)
        out[self.group[t]] = t
        return out

    def first_item(self, n_groups: int) -> np.ndarray:
        """Per group: the item code ranked first, -1 when the group is empty."""
        out = np.full(n_groups, -1, dtype=np.int64)
        t = self.top(1)
        out[self.group[t]] = self.item[t]
        return out

    def distinct(self, n_groups: int) -> np.ndarray:
        return np.bincount(self.group, minlength=n_groups)


def group_sums(
    group: np.ndarray,
    item: np.ndarray,
    ms: np.ndarray,
    n_items: int,
    mask: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(codes per row, group, item, ms, plays) per distinct (group, item); rows with item < 0
    or outside `mask` are not counted (code -1)."""
    n_items = max(n_items, 1)
    valid = item >= 0 if mask is None else (mask & (item >= 0))
    idx = np.flatnonzero(valid)
    sub, uniq = pd.factorize(group[idx] * n_items + item[idx])
    codes = np.full(len(item), -1, dtype=np.int64)
    codes[idx] = sub
    gms = np.bincount(sub, weights=ms[idx], minlength=len(uniq)).astype(np.int64)
    plays = np.bincount(sub, minlength=len(uniq)).astype(np.int64)
    return codes, uniq // n_items, uniq % n_items, gms, plays


def order_by_rule(g: np.ndarray, ms: np.ndarray, plays: np.ndarray, rank: np.ndarray) -> np.ndarray:
    """Indices sorted by (g asc, ms desc, plays desc, rank asc) - the documented tie-break.

    One packed int64 argsort on (g, ms desc) does almost all the work; only runs that tie on
    both are re-sorted by (plays desc, rank asc). Falls back to lexsort if the keys do not pack.
    """
    if len(g) == 0:
        return np.zeros(0, dtype=np.int64)
    gbits = max(int(g.max()).bit_length(), 1)
    msmax = int(ms.max())
    msbits = max(msmax.bit_length(), 1)
    if gbits + msbits > 62 or int(g.min()) < 0 or int(ms.min()) < 0:
        return np.lexsort((rank, -plays, -ms, g))
    packed = (g << msbits) | (msmax - ms)
    order = np.argsort(packed)  # ties on (g, ms) are re-sorted below
    sp = packed[order]
    same = sp[1:] == sp[:-1]
    if same.any():
        member = np.zeros(len(sp), dtype=bool)
        member[1:] |= same
        member[:-1] |= same
        idx = np.flatnonzero(member)
        run = np.cumsum(np.r_[True, ~same[idx[1:] - 1]])
        sub = order[idx]
        pl, rk = plays[sub], rank[sub]
        pmax = int(pl.max())
        pbits, kbits = max(pmax.bit_length(), 1), max(int(rk.max()).bit_length(), 1)
        if int(run[-1]).bit_length() + pbits + kbits <= 62 and int(rk.min()) >= 0:
            key = (run << (pbits + kbits)) | ((pmax - pl) << kbits) | rk
            order[idx] = sub[np.argsort(key)]
        else:
            order[idx] = sub[np.lexsort((rk, -pl, run))]
    return order


def rank_items(
    group: np.ndarray,
    item: np.ndarray,
    ms: np.ndarray,
    space_rank: np.ndarray,
    mask: np.ndarray | None = None,
) -> Ranking:
    """Sum ms and plays per (group, item) and rank items within each group (tie-break above)."""
    codes, g, it, gms, plays = group_sums(group, item, ms, len(space_rank), mask)
    rank = space_rank[it] if len(it) else np.zeros(0, dtype=np.int64)
    order = order_by_rule(g, gms, plays, rank)
    pos = np.empty(len(g), dtype=np.int64)
    pos[order] = positions_in_runs(g[order])
    return Ranking(codes=codes, group=g, item=it, ms=gms, plays=plays, pos=pos, order=order)


def rerank_by_plays(r: Ranking, space_rank: np.ndarray) -> Ranking:
    """The same (group, item) sums as `r`, ranked by plays: **more plays first, then more
    milliseconds, then name ascending** (the tie-break rule with its first two keys swapped),
    for "most-played" claims, which the by-minutes order does not answer."""
    rank = space_rank[r.item] if len(r.item) else np.zeros(0, dtype=np.int64)
    order = order_by_rule(r.group, r.plays, r.ms, rank)
    pos = np.empty(len(r.group), dtype=np.int64)
    pos[order] = positions_in_runs(r.group[order])
    return Ranking(codes=r.codes, group=r.group, item=r.item, ms=r.ms, plays=r.plays, pos=pos,
                   order=order)  # fmt: skip


def top_items(
    group: np.ndarray,
    item: np.ndarray,
    ms: np.ndarray,
    space_rank: np.ndarray,
    n_groups: int,
    mask: np.ndarray | None = None,
) -> Ranking:
    """Like `rank_items`, but only each group's FIRST item is ranked (pos 0; all others pos 1).

    For rankings read only through ``first``/``top(1)`` (top artist of each month): three
    segmented max/min passes instead of sorting every group-item.
    """
    codes, g, it, gms, plays = group_sums(group, item, ms, len(space_rank), mask)
    rank = space_rank[it] if len(it) else np.zeros(0, dtype=np.int64)
    best = np.zeros(n_groups, dtype=np.int64)
    np.maximum.at(best, g, gms)
    c = np.flatnonzero(gms == best[g])
    best[:] = -1
    np.maximum.at(best, g[c], plays[c])
    c = c[plays[c] == best[g[c]]]
    best[:] = np.iinfo(np.int64).max
    np.minimum.at(best, g[c], rank[c])
    chosen = c[rank[c] == best[g[c]]]  # ranks are unique per item: one per group
    chosen = chosen[np.argsort(g[chosen], kind="stable")]
    pos = np.ones(len(g), dtype=np.int64)
    pos[chosen] = 0
    return Ranking(codes=codes, group=g, item=it, ms=gms, plays=plays, pos=pos, order=chosen)


def rank_rollup(r: Ranking, item_of: np.ndarray, space_rank: np.ndarray) -> Ranking:
    """Re-rank the group-items of `r` by a coarser item (``item_of[r.item]``, -1 = none).

    Same sums as `rank_items` over the events (every event of a group-item has the same coarse
    item), from ~10x fewer rows. ``codes`` are per group-item of `r`, not per event.
    """
    coarse = item_of[r.item] if len(r.item) and len(item_of) else np.full(len(r.item), -1)
    n_items = max(len(space_rank), 1)
    valid = np.flatnonzero(coarse >= 0)
    sub, uniq = pd.factorize(r.group[valid] * n_items + coarse[valid])
    codes = np.full(len(r.item), -1, dtype=np.int64)
    codes[valid] = sub
    gms = np.bincount(sub, weights=r.ms[valid], minlength=len(uniq)).astype(np.int64)
    plays = np.bincount(sub, weights=r.plays[valid], minlength=len(uniq)).astype(np.int64)
    g, it = uniq // n_items, uniq % n_items
    rank = space_rank[it] if len(it) else np.zeros(0, dtype=np.int64)
    order = order_by_rule(g, gms, plays, rank)
    pos = np.empty(len(g), dtype=np.int64)
    pos[order] = positions_in_runs(g[order])
    return Ranking(codes=codes, group=g, item=it, ms=gms, plays=plays, pos=pos, order=order)


def positions_in_runs(sorted_keys: np.ndarray) -> np.ndarray:
    """0,1,2,... restarting whenever the (sorted) key changes."""
    n = len(sorted_keys)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    idx = np.arange(n)
    start = np.empty(n, dtype=bool)
    start[0] = True
    start[1:] = sorted_keys[1:] != sorted_keys[:-1]
    return idx - np.maximum.accumulate(np.where(start, idx, 0))


def best_per_group(sorted_groups: np.ndarray, key: np.ndarray, n_groups: int) -> np.ndarray:
    """Per group: index of the row with the smallest `key` (-1 when absent).

    `sorted_groups` must be non-decreasing; equal keys -> the first row (as a stable lexsort
    would pick). A segmented min instead of a full sort.
    """
    out = np.full(n_groups, -1, dtype=np.int64)
    if len(sorted_groups) == 0:
        return out
    starts = np.flatnonzero(np.r_[True, sorted_groups[1:] != sorted_groups[:-1]])
    mins = np.minimum.reduceat(key, starts)
    lengths = np.diff(np.r_[starts, len(key)])
    hit = np.flatnonzero(key == np.repeat(mins, lengths))[::-1]
    out[sorted_groups[hit]] = hit  # reversed: on equal keys the last write is the first row
    return out


def first_per_group(sorted_groups: np.ndarray, n_groups: int) -> np.ndarray:
    """Per group: index of its first row in `sorted_groups`, -1 when absent."""
    out = np.full(n_groups, -1, dtype=np.int64)
    if len(sorted_groups):
        pos = positions_in_runs(sorted_groups)
        heads = np.flatnonzero(pos == 0)
        out[sorted_groups[heads]] = heads
    return out


def sums(
    group: np.ndarray, ms: np.ndarray, n_groups: int, mask: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Exact (ms, plays) per group."""
    if mask is not None:
        group, ms = group[mask], ms[mask]
    m = np.bincount(group, weights=ms, minlength=n_groups).astype(np.int64)
    p = np.bincount(group, minlength=n_groups).astype(np.int64)
    return m, p
