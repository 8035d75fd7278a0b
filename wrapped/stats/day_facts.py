"""Each chosen day's facts, headline and log entries, with names, from its `DayArrays`.

Only lookups and formatting: every number was computed in `day_numbers`. The facts are a base set
(minutes, plays, music_minutes, distinct_artists, top_artist, top_track, first and last play
time, ...) plus the category's own; the log keeps ``log_total`` beside the capped entries.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np

from wrapped.stats.day_numbers import DayArrays
from wrapped.stats.days import CATEGORIES, NOSTALGIA_YEARS, Chosen
from wrapped.stats.fastmodel import many
from wrapped.stats.model import LogEntry
from wrapped.stats.prepare import KIND_EPISODE, Prepared

KIND_NAMES = ("track", "episode", "audiobook")
_HHMM = np.array([f"{m // 60:02d}:{m % 60:02d}" for m in range(24 * 60)], dtype=object)


def _hhmm(wall: np.ndarray) -> list[str]:
    """Local wall-clock ns -> "HH:MM" (a table lookup, no per-event formatting)."""
    return _HHMM[(wall // (60 * 10**9)) % (24 * 60)].tolist()


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


@dataclass
class DayDetail:
    facts: list[dict]
    headlines: list[str]
    logs: list[list[dict]]
    log_total: list[int]


class _DayColumns(NamedTuple):
    """Per chosen day, as Python lists: what its facts and headline are made of."""

    cat: list[str]
    user: list[int]
    all_min: list[int]
    plays: list[int]
    mus_min: list[int]
    mus_plays: list[int]
    n_art: list[int]
    pod_min: list[int]
    pod_plays: list[int]
    ta: list[Any]  # the day's top artist (None: none), its minutes and plays
    ta_min: list[int]
    ta_plays: list[int]
    tt: list[Any]  # the day's top track, its artist and plays
    tt_by: list[Any]
    tt_plays: list[int]
    ts: list[Any]  # the day's top show and its minutes
    ts_min: list[int]
    n_new: list[int]
    tn: list[Any]  # the day's top new artist
    ya_min: list[int]  # the year's top artist on that day
    ya_plays: list[int]
    yg_min: list[int]  # the year's top genre on that day
    yg_plays: list[int]
    old_min: list[int]
    old_plays: list[int]
    first: list[str]  # "HH:MM" of the first and last play
    last: list[str]
    has_old: list[bool]
    old_track: list[Any]
    old_by: list[Any]
    old_year: list[int]


def _day_columns(p: Prepared, ch: Chosen, da: DayArrays) -> _DayColumns:
    """Names looked up and minutes rounded for all chosen days at once (numpy, not per day)."""
    m = len(ch.user)
    A, T = p.spaces["artist"], p.spaces["track"]
    hh = _hhmm(np.concatenate([da.first_wall, da.last_wall]))

    def mins(ms_arr: np.ndarray) -> list[int]:
        return ((ms_arr + 30_000) // 60_000).tolist()

    def names_of(item: np.ndarray, table: np.ndarray) -> list:
        if len(table) == 0:
            return [None] * m
        return np.where(item >= 0, table[np.maximum(item, 0)], _NONE).tolist()

    any_old = bool(len(T)) and bool(da.has_old.any())
    return _DayColumns(
        cat=[CATEGORIES[i] for i in ch.cat.tolist()], user=ch.user.tolist(),
        all_min=mins(da.all_ms), plays=da.plays.tolist(), mus_min=mins(da.mus_ms),
        mus_plays=da.mus_plays.tolist(), n_art=da.n_art.tolist(), pod_min=mins(da.pod_ms),
        pod_plays=da.pod_plays.tolist(),
        ta=names_of(da.ta_item, A.names), ta_min=mins(da.ta_ms), ta_plays=da.ta_plays.tolist(),
        tt=names_of(da.tt_item, T.names),
        tt_by=names_of(da.tt_item, T.by if T.by is not None else np.array([])),
        tt_plays=da.tt_plays.tolist(),
        ts=names_of(da.ts_item, p.spaces["show"].names), ts_min=mins(da.ts_ms),
        n_new=da.n_new.tolist(), tn=names_of(da.tn_item, A.names),
        ya_min=mins(da.ya_ms), ya_plays=da.ya_plays.tolist(),
        yg_min=mins(da.yg_ms), yg_plays=da.yg_plays.tolist(),
        old_min=mins(da.old_ms), old_plays=da.old_plays.tolist(),
        first=hh[:m], last=hh[m:], has_old=da.has_old.tolist(),
        old_track=T.names[da.old_track].tolist() if any_old else [None] * m,
        old_by=T.by[da.old_track].tolist() if any_old and T.by is not None else [None] * m,
        old_year=da.old_year.tolist(),
    )  # fmt: skip


def _base_facts(cols: _DayColumns) -> list[dict]:
    """The facts every kind of day has: minutes and plays, music, podcasts, top artist and
    track, first and last play (the category's own facts are added after these)."""
    out: list[dict] = []
    for (all_min, n_plays, mus_min, mus_plays, n_art_i, pod_min, pod_plays, ta, ta_min, ta_plays,
         tt, tt_by, tt_plays, first, last) in zip(
        cols.all_min, cols.plays, cols.mus_min, cols.mus_plays, cols.n_art, cols.pod_min,
        cols.pod_plays, cols.ta, cols.ta_min, cols.ta_plays, cols.tt, cols.tt_by, cols.tt_plays,
        cols.first, cols.last, strict=True,
    ):  # fmt: skip
        f: dict = {"minutes": all_min, "plays": n_plays}
        if mus_plays:
            f["music_minutes"] = mus_min
            f["music_plays"] = mus_plays
            f["distinct_artists"] = n_art_i
        if pod_plays:
            f["podcast_minutes"] = pod_min
            f["podcast_plays"] = pod_plays
        if ta is not None:
            f["top_artist"] = ta
            f["top_artist_minutes"] = ta_min
            f["top_artist_plays"] = ta_plays
        if tt is not None:
            f["top_track"] = tt
            f["top_track_artist"] = tt_by
            f["top_track_plays"] = tt_plays
        f["first_play"] = first
        f["last_play"] = last
        out.append(f)
    return out


def day_details(p: Prepared, ch: Chosen, da: DayArrays) -> DayDetail:
    """Facts, headline and capped log (as `LogEntry` models) of every chosen day."""
    A, gnames = p.spaces["artist"], p.spaces["genre"].names
    cols = _day_columns(p, ch, da)
    top_art_name = [None if t < 0 else A.names[t] for t in da.top_art.tolist()]
    top_gen_name = [None if t < 0 else gnames[t] for t in da.top_gen.tolist()]
    cutoff = p.year - NOSTALGIA_YEARS

    facts = _base_facts(cols)
    heads_txt: list[str] = []
    # one zip over the per-day columns (no dict-of-lists lookups per day); the branches stay
    # inline, not a call per category, since this loop runs once per chosen day
    for (f, cat, u, all_min, mus_min, pod_min, ts_name, ts_min, n_new_i, tn, ya_min, ya_plays,
         yg_min, yg_plays, old_min, old_plays, h_old, o_track, o_by, o_year) in zip(
        facts, cols.cat, cols.user, cols.all_min, cols.mus_min, cols.pod_min, cols.ts,
        cols.ts_min, cols.n_new, cols.tn, cols.ya_min, cols.ya_plays, cols.yg_min, cols.yg_plays,
        cols.old_min, cols.old_plays, cols.has_old, cols.old_track, cols.old_by, cols.old_year,
        strict=True,
    ):  # fmt: skip
        if cat == "biggest_music_day":
            head = f"Your biggest music day: {_plural(mus_min, 'minute')} of music."
        elif cat == "biggest_podcast_day":
            if ts_name is not None:
                f["top_show"] = ts_name
                f["top_show_minutes"] = ts_min
            head = f"Your biggest podcast day: {_plural(pod_min, 'minute')} of podcasts."
        elif cat == "biggest_discovery_day":
            f["new_artists"] = n_new_i
            if tn is not None:
                f["top_new_artist"] = tn
            head = f"You played {_plural(n_new_i, 'artist')} for the first time."
        elif cat == "biggest_top_artist_day":
            name = top_art_name[u]
            f["year_top_artist"] = name
            f["year_top_artist_minutes"] = ya_min
            f["year_top_artist_plays"] = ya_plays
            head = f"Your biggest day with {name}, your top artist of the year: {_plural(ya_min, 'minute')}."
        elif cat == "biggest_top_genre_day":
            name = top_gen_name[u]
            f["year_top_genre"] = name
            f["year_top_genre_minutes"] = yg_min
            f["year_top_genre_plays"] = yg_plays
            head = (
                f"Your biggest {name} day, your top genre of the year: {_plural(yg_min, 'minute')}."
            )
        elif cat == "most_nostalgic_day":
            f["throwback_minutes"] = old_min
            f["throwback_plays"] = old_plays
            f["throwback_cutoff_year"] = cutoff
            if h_old:
                f["oldest_track"] = o_track
                f["oldest_track_artist"] = o_by
                f["oldest_release_year"] = o_year
            head = f"Your most nostalgic day: {_plural(old_min, 'minute')} of music released in {cutoff} or earlier."
        elif cat == "most_unusual_day":
            head = "Your most unusual day: your artist mix was the furthest from your usual one."
        elif cat == "birthday":
            b = p.birth_dates[u]
            if b is not None:
                f["age"] = p.year - b.year
            head = f"Your birthday: {_plural(all_min, 'minute')} of listening."
        else:
            head = f"New Year's Day: {_plural(all_min, 'minute')} of listening."
        heads_txt.append(head)

    entries = _LOG_ENTRIES(log_rows(p, da))
    bounds = np.r_[0, np.cumsum(da.log_count)].tolist()
    logs = [entries[bounds[i] : bounds[i + 1]] for i in range(len(ch.user))]
    return DayDetail(facts=facts, headlines=heads_txt, logs=logs, log_total=cols.plays)


_LOG_ENTRIES = many(LogEntry)
_SKIP = np.array([None, False, True], dtype=object)  # skip flag -1/0/1
#: None as a 0-d object array: what `np.where`/`np.append` broadcast (numpy's stubs refuse a bare None)
_NONE = np.array(None, dtype=object)


def log_rows(p: Prepared, da: DayArrays) -> list[dict]:
    """The LogEntry fields of every log entry (`DayArrays.log` order) as plain dicts."""
    L = da.log

    def raw(name: str) -> np.ndarray:
        return p.raw[name][1][L[name]]

    track, episode, album = raw("track"), raw("episode"), raw("album")
    is_ep = L["kind"] == KIND_EPISODE
    title = np.where(is_ep, episode, track)
    title = np.where(title == _NONE, album, title)  # noqa: E711 (elementwise on object arrays)
    title = np.where(title == _NONE, "(unknown)", title)  # noqa: E711
    by = np.where(is_ep, raw("show"), raw("artist"))
    alb = np.where(is_ep, _NONE, album)
    ry = L["ryear"]
    gnames = np.append(p.spaces["genre"].names, _NONE).astype(object)
    new = np.where(L["with_new"], L["new"], _NONE)
    kinds = np.array(KIND_NAMES, dtype=object)[L["kind"]]
    return [
        {"time": t, "kind": k, "title": ti, "by": b, "album": al, "minutes": mi, "skipped": sk,
              "ms": msv, "new_artist": nw, "release_year": y, "genre": g}
        for t, k, ti, b, al, mi, sk, msv, nw, y, g in zip(
            _HHMM[L["minute"]].tolist(), kinds.tolist(), title.tolist(), by.tolist(), alb.tolist(),
            L["minutes"].tolist(), _SKIP[L["skip"] + 1].tolist(), L["ms"].tolist(),
            new.tolist(), np.where(ry < 0, _NONE, ry).tolist(), gnames[L["genre"]].tolist(), strict=True,
        )
    ]  # fmt: skip
