"""The array half of a chunk of listeners: every number `build` puts into the models.

`chunk_arrays` runs all aggregates over one chunk (core, extra, streaks, interesting days) and
keeps only what the models need: arrays per listener, per chosen day or per log entry, with
item CODES where the models show names. It makes no Python object per listener, so a helper
process can compute it and send it over a pipe at memcpy speed (see `parallel`); `build` then
only looks names up and makes the models. (Sending Python objects instead does not pay: pickle
rebuilds a log entry's dict barely faster than the builder makes it.)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from wrapped.settings import Settings
from wrapped.stats.aggregates import core, extra
from wrapped.stats.day_numbers import DayArrays, day_arrays
from wrapped.stats.days import Chosen, choose_days
from wrapped.stats.prepare import Prepared
from wrapped.stats.ranking import Ranking, rerank_by_plays
from wrapped.stats.streaks import Streaks, streaks

#: the six top lists of a UserYear and the key space each ranks
TOP_LISTS = (
    ("top_artists", "artist"),
    ("top_tracks", "track"),
    ("top_albums", "album"),
    ("top_genres", "genre"),
    ("top_podcasts", "show"),
    ("top_episodes", "episode"),
    ("top_artists_by_plays", "artist"),
    ("top_tracks_by_plays", "track"),
)


@dataclass
class Top:
    """The top-k rows of one ranking, listener after listener, each in rank order."""

    item: np.ndarray  # item code
    pos: np.ndarray  # 0-based rank
    plays: np.ndarray
    ms: np.ndarray
    count: np.ndarray  # rows per listener


def _top(r: Ranking, k: int, n: int) -> Top:
    t = r.top(k)
    return Top(r.item[t], r.pos[t], r.plays[t], r.ms[t], np.bincount(r.group[t], minlength=n))


@dataclass
class ChunkArrays:
    """Per listener (n rows) unless noted; item codes are -1 when there is none."""

    ms_kind: np.ndarray  # (n, 3) track, episode, audiobook
    plays_kind: np.ndarray
    tops: dict[str, Top]  # by UserYear field name (TOP_LISTS)
    distinct: dict[str, np.ndarray]  # by key space: distinct items played
    listening_days: np.ndarray
    estimated_plays: np.ndarray  # window plays whose length is estimated (scrobbles)
    new_artists: np.ndarray
    top_new_artist: np.ndarray  # artist code
    top_k_ms: np.ndarray  # music ms of the listener's top-k artists
    month_ms: np.ndarray  # (n, 12)
    month_plays: np.ndarray
    month_top: np.ndarray  # (n * 12,) artist code of each month's top artist
    peak_artist: np.ndarray  # per top-k artist with a peak month (listener, rank order): code
    peak_month: np.ndarray  # 0-based
    peak_ms: np.ndarray
    peak_count: np.ndarray  # per listener: rows above
    hour_ms: np.ndarray  # (n, 24)
    hour_plays: np.ndarray
    wd_ms: np.ndarray  # (n, 7)
    wd_plays: np.ndarray
    skip: np.ndarray  # (n, 2): count, known
    done: np.ndarray
    shuffle: np.ndarray
    repeat_has: np.ndarray  # bool
    repeat_track: np.ndarray  # track code (meaningful where repeat_has)
    repeat_plays: np.ndarray  # 0 where not repeat_has
    repeat_day: np.ndarray  # local day number (meaningful where repeat_has)
    decade_ms: dict[int, np.ndarray]
    known_ms: np.ndarray
    median_year: np.ndarray  # -1 unknown
    new_ms: np.ndarray
    popularity: np.ndarray
    streaks: Streaks
    chosen: Chosen  # per chosen day
    days: DayArrays  # per chosen day and per log entry


def chunk_arrays(p: Prepared, settings: Settings) -> ChunkArrays:
    """Aggregate one chunk (see the module docstring)."""
    n, k = p.n_users, settings.top_k
    c = core(p)
    x = extra(p, c, k)
    st = streaks(p, c.ud_user, c.ud_day)
    ch = choose_days(p, c, x, settings.max_days)
    da = day_arrays(p, c, x, ch, settings.log_cap)

    a = c.artists
    rankings = {"top_artists": a, "top_tracks": c.tracks, "top_albums": x.albums,
                "top_genres": x.genres, "top_podcasts": x.shows, "top_episodes": x.episodes,
                "top_artists_by_plays": rerank_by_plays(a, p.spaces["artist"].rank),
                "top_tracks_by_plays": rerank_by_plays(c.tracks, p.spaces["track"].rank)}  # fmt: skip
    new_order = a.order[x.new_group[a.order]]
    new_first = np.full(n, -1, dtype=np.int64)
    new_first[a.group[new_order[::-1]]] = new_order[::-1]  # last write = first in rank order
    top_new = (
        np.where(new_first >= 0, a.item[np.maximum(new_first, 0)], -1) if len(a.item) else new_first
    )
    in_k = a.pos < k
    mt = x.month_top.first(n * 12)
    month_top = (
        np.where(mt >= 0, x.month_top.item[np.maximum(mt, 0)], -1) if len(x.month_top.item) else mt
    )

    # peak month of each top-k artist (rank order), where it has one
    peak_first = x.peak.first(len(a.group))
    ta = a.top(k)
    pj = peak_first[ta]
    ta, pj = ta[pj >= 0], pj[pj >= 0]

    rep = x.repeat.first(n)
    has = rep >= 0
    r = np.maximum(rep, 0)
    zeros = np.zeros(n, dtype=np.int64)
    return ChunkArrays(
        ms_kind=c.ms_kind,
        plays_kind=c.plays_kind,
        tops={name: _top(rk, k, n) for name, rk in rankings.items()},
        distinct={"track": c.tracks.distinct(n), "artist": a.distinct(n), "album": x.albums.distinct(n),
                  "show": x.shows.distinct(n), "episode": x.episodes.distinct(n)},
        listening_days=np.bincount(c.ud_user, minlength=n),
        estimated_plays=np.bincount(p.uid, weights=p.est, minlength=n).astype(np.int64),
        new_artists=np.bincount(a.group[x.new_group], minlength=n),
        top_new_artist=top_new,
        top_k_ms=np.bincount(a.group[in_k], weights=a.ms[in_k], minlength=n).astype(np.int64),
        month_ms=x.month_ms,
        month_plays=x.month_plays,
        month_top=month_top,
        peak_artist=a.item[ta],
        peak_month=x.peak.item[pj],
        peak_ms=x.peak.ms[pj],
        peak_count=np.bincount(a.group[ta], minlength=n),
        hour_ms=x.hour_ms,
        hour_plays=x.hour_plays,
        wd_ms=x.wd_ms,
        wd_plays=x.wd_plays,
        skip=x.skip,
        done=x.done,
        shuffle=x.shuffle,
        repeat_has=has,
        repeat_track=x.repeat_track[r] if len(x.repeat_track) else zeros,
        repeat_plays=np.where(has, x.repeat.plays[r] if len(x.repeat.plays) else 0, 0),
        repeat_day=x.repeat_day[r] if len(x.repeat_day) else zeros,
        decade_ms=x.decade_ms,
        known_ms=x.known_ms,
        median_year=x.median_year,
        new_ms=x.new_ms,
        popularity=x.popularity,
        streaks=st,
        chosen=ch,
        days=da,
    )  # fmt: skip
