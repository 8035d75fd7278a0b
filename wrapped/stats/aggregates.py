"""Vectorized per-listener aggregates over the window's events (numpy, no per-event loop).

Every ranking here follows the one tie-break rule documented in `wrapped.stats.ranking`.
Minutes are ``ms_to_minutes`` of exact millisecond sums (rounded once, half up). Skip, completion
and shuffle rates are over MUSIC plays where the flag is known: ``skip`` is the ``skipped`` flag,
else ``reason_end == "fwdbtn"``; completion is ``reason_end == "trackdone"``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import pandas as pd

from wrapped.stats.prepare import KIND_EPISODE, KIND_TRACK, Prepared
from wrapped.stats.ranking import (
    Ranking,
    first_per_group,
    group_sums,
    order_by_rule,
    positions_in_runs,
    rank_items,
    rank_rollup,
    sums,
    top_items,
)


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
    """Everything per listener that `core` does not hold and is not a day or a streak."""
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
    peak = _peak_months(p, a, k)

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

    repeat, rday, rtrack = _repeat_obsession(p, music)
    years = _release_years(p, music)

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
        decade_ms=years.decade_ms,
        known_ms=years.known_ms,
        median_year=years.median_year,
        new_ms=years.new_ms,
        popularity=popularity,
    )


def _peak_months(p: Prepared, a: Ranking, k: int) -> Ranking:
    """Peak month of each top-k artist: most ms, ties -> earliest month."""
    in_top = np.zeros(len(p.uid), dtype=bool)
    okc = a.codes >= 0
    in_top[okc] = a.pos[a.codes[okc]] < k
    peak = rank_items(a.codes, p.month - 1, p.ms, np.arange(12), in_top)
    order = order_by_rule(peak.group, peak.ms, np.zeros(len(peak.ms), dtype=np.int64), peak.item)
    peak.pos[order] = positions_in_runs(peak.group[order])
    peak.order = order
    return peak


def _repeat_obsession(p: Prepared, music: np.ndarray) -> tuple[Ranking, np.ndarray, np.ndarray]:
    """Most plays of one track in one local day: (ranking, day and track per item code).

    Ties -> earliest day, then track name (the day is part of the item, so rank = day offset *
    n_tracks + track rank). Only the first per listener is ranked (pos 0; all others pos 1).
    """
    n = p.n_users
    nt = max(len(p.spaces["track"]), 1)
    trank = p.spaces["track"].rank
    span = p.end_day - p.start_day + 2
    rcodes, rg, ritem, rms, rplays = group_sums(
        p.uid, (p.day - p.start_day) * nt + p.track, p.ms, span * nt, music & (p.track >= 0)
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
    return repeat, rday, rtrack


class _Years(NamedTuple):
    """Per listener, from music with a known release year."""

    decade_ms: dict[int, np.ndarray]  # decade -> per-user ms
    known_ms: np.ndarray
    median_year: np.ndarray  # -1 unknown
    new_ms: np.ndarray  # on tracks released in year-1 .. year


def _release_years(p: Prepared, music: np.ndarray) -> _Years:
    """Minutes by decade, median release year and fresh-music ms (where the year is known)."""
    n = p.n_users
    uid, ms = p.uid, p.ms
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
    return _Years(decade_ms, known_ms, median_year, new_ms)


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
