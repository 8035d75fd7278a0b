"""Vectorized per-listener aggregates over the window's events (numpy, no per-event loop).

Tie-break rule, used by EVERY ranking in the stats block (top lists, top artist of a month or a
day, top new artist): **more milliseconds first, then more plays, then name ascending** in
Unicode code-point order (for tracks/albums/episodes: title, then artist/show). Argmax-style picks
over a fixed axis (peak hour, busiest weekday, peak month, top decade, part of day) take the
earliest position on ties. So no tie is ever broken arbitrarily, and the same data always gives
the same order.

Minutes are ``ms_to_minutes`` of exact millisecond sums (rounded once, half up). Skip, completion
and shuffle rates are over MUSIC plays where the flag is known: ``skip`` is the ``skipped`` flag,
else ``reason_end == "fwdbtn"``; completion is ``reason_end == "trackdone"``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from wrapped.stats.prepare import KIND_EPISODE, KIND_TRACK, Prepared


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


@dataclass
class Core:
    """The core aggregates (also cross-checked against DuckDB)."""

    ms_kind: np.ndarray  # (n_users, 3) exact ms per kind (track, episode, audiobook)
    plays_kind: np.ndarray  # (n_users, 3)
    artists: Ranking
    tracks: Ranking
    ud_codes: np.ndarray  # per event: (user, local day) code
    ud_user: np.ndarray  # per (user, day)
    ud_day: np.ndarray
    ud_ms: np.ndarray
    ud_plays: np.ndarray


def core(p: Prepared) -> Core:
    """Minutes/plays per kind, artist and track rankings, per-local-day totals."""
    n = p.n_users
    music = p.kind == KIND_TRACK
    mk = np.bincount(p.uid * 3 + p.kind, weights=p.ms, minlength=n * 3).astype(np.int64)
    pk = np.bincount(p.uid * 3 + p.kind, minlength=n * 3).astype(np.int64)
    artists = rank_items(p.uid, p.artist, p.ms, p.spaces["artist"].rank, music)
    tracks = rank_items(p.uid, p.track, p.ms, p.spaces["track"].rank, music)
    span = p.end_day - p.start_day + 2
    ud_codes, ud_uniq = pd.factorize(p.uid * span + (p.day - p.start_day))
    ud_ms, ud_plays = sums(ud_codes, p.ms, len(ud_uniq))
    return Core(
        ms_kind=mk.reshape(n, 3),
        plays_kind=pk.reshape(n, 3),
        artists=artists,
        tracks=tracks,
        ud_codes=ud_codes.astype(np.int64),
        ud_user=ud_uniq // span,
        ud_day=ud_uniq % span + p.start_day,
        ud_ms=ud_ms,
        ud_plays=ud_plays,
    )


@dataclass
class Extra:
    """Everything else that is per listener and not a day or a streak."""

    albums: Ranking
    genres: Ranking
    shows: Ranking
    episodes: Ranking
    month_ms: np.ndarray  # (n_users, 12)
    month_plays: np.ndarray
    month_top: Ranking  # group = uid * 12 + month - 1, item = artist (only the first ranked)
    peak: Ranking  # group = artist group-item (from core.artists), item = month - 1
    hour_ms: np.ndarray  # (n_users, 24)
    hour_plays: np.ndarray
    wd_ms: np.ndarray  # (n_users, 7)
    wd_plays: np.ndarray
    new_group: np.ndarray  # per artist group-item: new this year (no history pair)
    first_day: np.ndarray  # per artist group-item: first local day in the window
    skip: np.ndarray  # (n_users, 2): skipped, known
    done: np.ndarray
    shuffle: np.ndarray
    repeat: Ranking  # group = user, item = (day, track) code, by plays
    repeat_day: np.ndarray  # per repeat item code: day
    repeat_track: np.ndarray  # per repeat item code: track code
    decade_ms: dict[int, np.ndarray]  # decade -> per-user ms
    known_ms: np.ndarray  # per user music ms with a known release year
    median_year: np.ndarray  # per user, -1 unknown
    new_ms: np.ndarray  # per user music ms on tracks released in year-1 .. year
    popularity: np.ndarray  # per user: ms-weighted share of listeners who also played the artist


def _counts2(uid: np.ndarray, flag: np.ndarray, n: int) -> np.ndarray:
    known = flag >= 0
    return np.stack(
        [
            np.bincount(uid[known], weights=(flag[known] == 1), minlength=n).astype(np.int64),
            np.bincount(uid[known], minlength=n).astype(np.int64),
        ],
        axis=1,
    )


def extra(p: Prepared, c: Core, k: int) -> Extra:
    # `prepare` fills both for every chunk; None only while a Prepared is being built
    assert p.artist_genre is not None and p.artist_share is not None
    n = p.n_users
    uid, ms = p.uid, p.ms
    music = p.kind == KIND_TRACK
    ep = p.kind == KIND_EPISODE
    albums = rank_items(uid, p.album, ms, p.spaces["album"].rank, music)
    # a genre is a function of the artist: roll the (listener, artist) sums up
    genres = rank_rollup(c.artists, p.artist_genre, p.spaces["genre"].rank)
    shows = rank_items(uid, p.show, ms, p.spaces["show"].rank, ep)
    episodes = rank_items(uid, p.episode, ms, p.spaces["episode"].rank, ep)

    um = uid * 12 + (p.month - 1)
    month_ms, month_plays = sums(um, ms, n * 12)
    month_top = top_items(um, p.artist, ms, p.spaces["artist"].rank, n * 12, music)
    a = c.artists
    # peak month of each top-k artist: most ms, ties -> earliest month
    in_top = np.zeros(len(uid), dtype=bool)
    okc = a.codes >= 0
    in_top[okc] = a.pos[a.codes[okc]] < k
    peak = rank_items(a.codes, p.month - 1, ms, np.arange(12), in_top)
    order = order_by_rule(peak.group, peak.ms, np.zeros(len(peak.ms), dtype=np.int64), peak.item)
    peak.pos[order] = positions_in_runs(peak.group[order])
    peak.order = order

    uh = uid * 24 + p.hour
    hour_ms, hour_plays = sums(uh, ms, n * 24)
    uw = uid * 7 + p.weekday
    wd_ms, wd_plays = sums(uw, ms, n * 7)

    na = max(len(p.spaces["artist"]), 1)
    pair = a.group * na + a.item
    new_group = ~np.isin(pair, p.hist_pairs) & p.has_history[a.group]
    first_day = np.full(len(a.group), np.iinfo(np.int64).max, dtype=np.int64)
    ok = a.codes >= 0
    np.minimum.at(first_day, a.codes[ok], p.day[ok])

    # repeat obsession: most plays of one track in one local day; ties -> earliest day, then
    # track name (the day is part of the item, so rank = day offset * n_tracks + track rank)
    nt = max(len(p.spaces["track"]), 1)
    trank = p.spaces["track"].rank
    span = p.end_day - p.start_day + 2
    rcodes, rg, ritem, rms, rplays = group_sums(
        uid, (p.day - p.start_day) * nt + p.track, ms, span * nt, music & (p.track >= 0)
    )
    del rcodes
    rday = ritem // nt + p.start_day
    rtrack = ritem % nt
    rrank = (rday - p.start_day) * nt + (trank[rtrack] if len(rtrack) else 0)
    # only the first per listener is needed: max plays, then the smallest (day, track) rank
    maxp = np.zeros(n, dtype=np.int64)
    np.maximum.at(maxp, rg, rplays)
    cand = rplays == maxp[rg]
    best = np.full(n, np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(best, rg[cand], rrank[cand])
    chosen = np.flatnonzero(cand & (rrank == best[rg]))
    chosen = chosen[np.argsort(rg[chosen], kind="stable")]
    rpos = np.ones(len(rg), dtype=np.int64)
    rpos[chosen] = 0
    repeat = Ranking(codes=np.zeros(0, np.int64), group=rg, item=np.arange(len(rg)), ms=rms,
                     plays=rplays, pos=rpos, order=chosen)  # fmt: skip

    known = music & (p.ryear >= 0)
    decade_ms: dict[int, np.ndarray] = {}
    if known.any():
        dec = (p.ryear[known] // 10) * 10
        for d in np.unique(dec):
            sel = dec == d
            decade_ms[int(d)] = np.bincount(
                uid[known][sel], weights=ms[known][sel], minlength=n
            ).astype(np.int64)
    known_ms = np.bincount(uid[known], weights=ms[known], minlength=n).astype(np.int64)
    median_year = _weighted_median_year(uid[known], p.ryear[known], ms[known], known_ms, n)
    fresh = known & (p.ryear >= p.year - 1)
    new_ms = np.bincount(uid[fresh], weights=ms[fresh], minlength=n).astype(np.int64)

    share = p.artist_share  # share of ALL listeners (not just this chunk) who played each artist
    wsum = np.bincount(a.group, weights=a.ms * share[a.item], minlength=n)
    music_ms = c.ms_kind[:, 0]
    popularity = np.divide(wsum, music_ms, out=np.zeros(n), where=music_ms > 0)

    return Extra(
        albums=albums,
        genres=genres,
        shows=shows,
        episodes=episodes,
        month_ms=month_ms.reshape(n, 12),
        month_plays=month_plays.reshape(n, 12),
        month_top=month_top,
        peak=peak,
        hour_ms=hour_ms.reshape(n, 24),
        hour_plays=hour_plays.reshape(n, 24),
        wd_ms=wd_ms.reshape(n, 7),
        wd_plays=wd_plays.reshape(n, 7),
        new_group=new_group,
        first_day=first_day,
        skip=_counts2(uid[music], p.skip[music], n),
        done=_counts2(uid[music], p.done[music], n),
        shuffle=_counts2(uid[music], p.shuffle[music], n),
        repeat=repeat,
        repeat_day=rday,
        repeat_track=rtrack,
        decade_ms=decade_ms,
        known_ms=known_ms,
        median_year=median_year,
        new_ms=new_ms,
        popularity=popularity,
    )


def _weighted_median_year(
    uid: np.ndarray, year: np.ndarray, ms: np.ndarray, total: np.ndarray, n: int
) -> np.ndarray:
    """Lower ms-weighted median: the first year where the cumulative ms reaches half."""
    out = np.full(n, -1, dtype=np.int64)
    if len(uid) == 0:
        return out
    key, uniq = pd.factorize(uid * 10_000 + year)
    gms = np.bincount(key, weights=ms).astype(np.int64)
    order = np.argsort(uniq, kind="stable")
    u = uniq[order] // 10_000
    y = uniq[order] % 10_000
    m = gms[order]
    cum = np.cumsum(m)
    start = first_per_group(u, n)
    before = np.where(start[u] > 0, cum[np.maximum(start[u] - 1, 0)], 0)
    before = np.where(start[u] == 0, 0, before)
    within = cum - before
    reached = 2 * within >= total[u]
    idx = np.flatnonzero(reached)
    # first reaching row per user
    firsts = first_per_group(u[idx], n)
    has = firsts >= 0
    out[has] = y[idx[firsts[has]]]
    return out
