"""Turn the canonical event table into integer arrays, once, for every aggregate after it.

Everything downstream is numpy on these arrays (``bincount``, ``lexsort``, ``factorize``): no
Python loop ever runs over events. Strings are factorized once into key spaces (`keys`);
profiles and the catalog are looked up per listener and per artist/track (`context`); `chunks`
cuts the result into whole listeners.

Window: ``[Jan 1, Nov 15]`` of ``year`` in LOCAL dates (``full_year``: to Dec 31); ``year``
defaults to the latest local year with data (holding at least 1% of
the events, so New Year's Eve plays that end after midnight do not select a nearly empty year). Events before the window are *history* (used only
for "new artists"); events after it are ignored.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import numpy as np
import pandas as pd

from wrapped.errors import InputError
from wrapped.events import EVENT_COLUMNS
from wrapped.ingest.clean import clean_names
from wrapped.settings import Settings
from wrapped.stats import tz as tzmod
from wrapped.stats.context import catalog_lookup, listeners, parse_birth
from wrapped.stats.keys import (
    KeySpace,
    combine_keys,
    factorize,
    rank_names,
    stable_order,
    unique_pairs,
)
from wrapped.stats.source_format import source_formats

DAY_NS = 86_400 * 10**9
HOUR_NS = 3_600 * 10**9
EPOCH = date(1970, 1, 1)
KIND_TRACK, KIND_EPISODE, KIND_AUDIOBOOK = 0, 1, 2
#: How each ``reason_end`` counts. Completed: the track ran out. Skipped (when the ``skipped``
#: flag itself is unknown): the listener pressed "next".
DONE_REASONS = frozenset({"trackdone"})
SKIP_REASONS = frozenset({"fwdbtn"})
#: Default year = the latest local calendar year holding at least this share of all events.
YEAR_MIN_SHARE = 0.01


def day_to_date(day: int) -> date:
    """Local day number (days since 1970-01-01) to a date."""
    return EPOCH + timedelta(days=int(day))


def date_to_day(d: date) -> int:
    return (d - EPOCH).days


@dataclass
class Prepared:
    """Integer arrays of the window's events plus per-listener context (all internal)."""

    users: np.ndarray  # object array of user ids, sorted
    year: int
    start_day: int
    end_day: int
    zones: list[str]
    tz_sources: list[str]
    countries: list[str | None]
    tiers: list[str | None]
    birth_dates: list[date | None]
    source_formats: list[str]  # per user: the export format of their events (source_format)
    has_history: np.ndarray  # bool per user
    hist_pairs: np.ndarray  # int64 uid * n_artists + artist, music before the window (unique)
    # window events (all arrays aligned)
    uid: np.ndarray
    day: np.ndarray
    hour: np.ndarray
    weekday: np.ndarray
    month: np.ndarray
    ms: np.ndarray
    kind: np.ndarray
    artist: np.ndarray
    track: np.ndarray
    album: np.ndarray
    show: np.ndarray
    episode: np.ndarray
    genre: np.ndarray
    ryear: np.ndarray
    skip: np.ndarray
    done: np.ndarray
    shuffle: np.ndarray
    est: np.ndarray  # int8: 1 when the play's length is estimated (a scrobble), else 0
    wall: np.ndarray
    ts: np.ndarray  # UTC ns: true time order (local wall time repeats on DST fall-back days)
    row: np.ndarray  # position in the input frame (for log titles)
    spaces: dict[str, KeySpace] = field(default_factory=dict)
    artist_share: np.ndarray | None = None  # per artist: share of all listeners who played it
    artist_genre: np.ndarray | None = None  # per artist code: primary genre code, -1 unknown
    #: raw string codes per window event (any kind) and their names (last entry None), for logs
    raw: dict[str, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict)

    @property
    def n_users(self) -> int:
        return len(self.users)

    @property
    def start(self) -> date:
        return day_to_date(self.start_day)

    @property
    def end(self) -> date:
        return day_to_date(self.end_day)


def _flag(series: pd.Series) -> np.ndarray:
    """Nullable boolean -> int8 (1 true, 0 false, -1 unknown)."""
    flags: np.ndarray = series.astype("boolean").to_numpy(dtype="int8", na_value=-1)
    return flags


def resolve_year(settings: Settings, day: np.ndarray) -> int:
    if settings.year is not None:
        return int(settings.year)
    if len(day) == 0:
        raise InputError("no events: cannot pick a year (pass --year)")
    lo = int(day.min())
    per_day = np.bincount(day - lo)  # calendar math on distinct days only, not per event
    days = np.flatnonzero(per_day)
    years = (days + lo).astype("M8[D]").astype("M8[Y]").astype(np.int64) + 1970
    ys, inv = np.unique(years, return_inverse=True)
    counts = np.bincount(inv, weights=per_day[days])
    # the latest year holding >= 1% of the events: a New Year's Eve party spilling past
    # midnight must not make the next, nearly empty year the default
    return int(ys[counts >= max(1, YEAR_MIN_SHARE * len(day))].max())


def prepare(
    events: pd.DataFrame,
    *,
    profiles: pd.DataFrame | None,
    catalog: pd.DataFrame | None,
    settings: Settings,
) -> Prepared:
    """Factorize, localize and window the events (see the module docstring)."""
    missing = [c for c in ("user_id", "ts", "ms_played", "kind") if c not in events.columns]
    if missing:
        raise InputError(f"events table lacks canonical column(s) {', '.join(missing)}")
    for c in EVENT_COLUMNS:
        if c not in events.columns:
            events = events.assign(**{c: pd.Series(pd.NA, index=events.index, dtype="string")})
    if not isinstance(events["ts"].dtype, pd.DatetimeTZDtype):
        raise InputError("events 'ts' must be timezone-aware (UTC) timestamps", field="ts")
    unusable = events["user_id"].isna() | events["ts"].isna()
    if unusable.any():  # no copy of a 10M-row frame unless needed
        events = events[~unusable]
    clean_names(events := events.copy(deep=False), settings.max_name_chars)  # as ingest does
    override = tzmod.check_override(settings.tz)
    with _helper(settings.stats_workers) as bg:
        return _prepare(events, profiles, catalog, settings, override, bg)


class _Inline:
    """`submit` that runs at once: the one-thread stand-in for a helper thread."""

    def submit(self, fn: Callable[..., Any], /, *args: Any) -> Future[Any]:
        f: Future[Any] = Future()
        try:
            f.set_result(fn(*args))
        except Exception as exc:  # handed to whoever asks for the result, as a pool would
            f.set_exception(exc)
        return f


@contextmanager
def _helper(workers: int) -> Iterator[ThreadPoolExecutor | _Inline]:
    """One helper thread for `prepare` when more than one thread is allowed.

    Why a thread: the heavy steps (pyarrow hashing of strings, numpy gathers and sorts) release
    the GIL, so independent steps run on the second core.
    """
    if workers <= 1:
        yield _Inline()
        return
    pool = ThreadPoolExecutor(1, thread_name_prefix="wrapped-prepare")
    try:
        yield pool
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _factorize_ranked(values: pd.Series) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    codes, uniques = factorize(values)
    return codes, uniques, rank_names(uniques)


def _flags(skipped: pd.Series, shuffle: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    return _flag(skipped), _flag(shuffle)


def _time_columns(
    idx: np.ndarray,
    wall: np.ndarray,
    day_all: np.ndarray,
    ts: np.ndarray,
    ms_all: np.ndarray,
    start_day: int,
    end_day: int,
) -> dict[str, np.ndarray]:
    """The window events' time columns (and ms), in `idx` order."""
    w = wall[idx]
    d = day_all[idx]
    span_days = np.arange(start_day, end_day + 1)
    month_of = (span_days.astype("M8[D]").astype("M8[M]").astype(np.int64) % 12 + 1).astype(np.int8)
    hour = w // HOUR_NS
    hour %= 24  # in place: one fresh 10M-row temporary instead of two
    weekday = d + 3  # 1970-01-01 was a Thursday; Monday = 0
    weekday %= 7
    return {
        "day": d,
        # small dtypes (memory); every combined key is built from an int64 operand (uid, day,
        # group codes), so nothing overflows
        "hour": hour.astype(np.int8),
        "weekday": weekday.astype(np.int8),
        "month": month_of[d - start_day],  # a table lookup per event, not calendar math
        "ms": ms_all[idx],
        "wall": w,
        "ts": ts[idx],
    }  # fmt: skip


def _artist_share(
    uid: np.ndarray, artist: np.ndarray, played: np.ndarray, na: int, n_users: int
) -> np.ndarray:
    """Per artist: share of all listeners who played it in the window."""
    pairs = unique_pairs(uid[played], artist[played], na)
    return np.bincount(pairs % na, minlength=na) / max(n_users, 1)


def _kinds_and_ms(events: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Per event: kind code (`KIND_*`, -1 unknown) and ms played (never negative)."""
    kind_codes, kind_uniq = factorize(events["kind"])
    kind_map = np.array(
        [{"track": 0, "episode": 1, "audiobook": 2}.get(k, -1) for k in kind_uniq] + [-1],
        dtype=np.int8,
    )
    kind_all = kind_map[kind_codes]  # -1 code indexes the trailing -1
    ms_all = events["ms_played"].to_numpy(dtype=np.int64, na_value=0)
    return kind_all, np.maximum(ms_all, 0)


def _done_and_skip(
    r_codes: np.ndarray, r_uniq: np.ndarray, skipped: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Completed and skipped flags (int8: 1, 0, -1 unknown) from `reason_end` and `skipped`."""
    is_done = np.array([u in DONE_REASONS for u in r_uniq] + [False])
    is_fwd = np.array([u in SKIP_REASONS for u in r_uniq] + [False])
    known_reason = r_codes >= 0
    done = np.where(known_reason, is_done[r_codes].astype(np.int8), -1).astype(np.int8)
    skip = np.where(
        skipped >= 0, skipped, np.where(known_reason, is_fwd[r_codes].astype(np.int8), -1)
    ).astype(np.int8)
    return done, skip


def _prepare(
    events: pd.DataFrame,
    profiles: pd.DataFrame | None,
    catalog: pd.DataFrame | None,
    settings: Settings,
    override: str | None,
    bg: ThreadPoolExecutor | _Inline,
) -> Prepared:
    """`prepare` with `bg` for steps that can run beside this thread (order of results fixed)."""
    col = {c: events[c] for c in ("artist", "track", "album", "show", "episode", "reason_end")}
    # string columns are hashed in the helper while this thread localizes the time stamps;
    # nothing needs them before the window is cut
    f_artist = bg.submit(_factorize_ranked, col["artist"])
    f_track = bg.submit(factorize, col["track"])
    f_album = bg.submit(factorize, col["album"])
    f_show = bg.submit(_factorize_ranked, col["show"])
    f_episode = bg.submit(factorize, col["episode"])
    f_reason = bg.submit(factorize, col["reason_end"])
    f_flags = bg.submit(_flags, events["skipped"], events["shuffle"])

    who = listeners(events, profiles, override)
    uid_all, users, n_users, prof = who.uid_all, who.users, len(who.users), who.prof
    ts = pd.DatetimeIndex(events["ts"]).tz_convert("UTC").as_unit("ns").asi8
    wall = tzmod.local_wall_ns(ts, who.zone_of_user[uid_all], who.zone_names)
    day_all = np.floor_divide(wall, DAY_NS)

    year = resolve_year(settings, day_all)
    start_day = date_to_day(date(year, 1, 1))
    end_day = date_to_day(date(year, 12, 31) if settings.full_year else date(year, 11, 15))

    kind_all, ms_all = _kinds_and_ms(events)
    keep = (day_all <= end_day) & (kind_all >= 0)
    win = keep & (day_all >= start_day)
    music_all = kind_all == KIND_TRACK

    a_raw, a_uniq, a_rank = f_artist.result()
    a_codes = np.where(music_all, a_raw, -1)
    artists = KeySpace(names=a_uniq, by=None, rank=a_rank)
    hist = keep & ~win
    has_history = np.bincount(uid_all[hist], minlength=n_users) > 0
    hm = hist & (a_codes >= 0)
    na = max(len(artists), 1)
    f_hist = bg.submit(unique_pairs, uid_all[hm], a_codes[hm], na)

    idx = np.flatnonzero(win)
    # window events grouped by listener (stable: input order within one), so the per-chunk
    # split is a slice, not a 10-million-row gather
    idx = idx[stable_order(uid_all[idx])]
    uid = uid_all[idx].astype(np.int64, copy=False)
    kind = kind_all[idx]
    music = kind == KIND_TRACK
    artist = a_codes[idx]
    played = music & (artist >= 0)
    t_codes, t_uniq = f_track.result()
    t_codes = t_codes[idx]
    # queued in the order this thread needs them
    f_combined = bg.submit(combine_keys, artist, t_codes, artists, t_uniq, music)
    f_time = bg.submit(_time_columns, idx, wall, day_all, ts, ms_all, start_day, end_day)
    f_share = bg.submit(_artist_share, uid, artist, played, na, n_users)
    al_codes, al_uniq = f_album.result()
    al_codes = al_codes[idx]
    album, albums = combine_keys(artist, al_codes, artists, al_uniq, music)
    s_codes, s_uniq, s_rank = f_show.result()
    s_codes = s_codes[idx]
    is_ep = kind == KIND_EPISODE
    show = np.where(is_ep, s_codes, -1)
    shows = KeySpace(names=s_uniq, by=None, rank=s_rank)
    e_codes, e_uniq = f_episode.result()
    e_codes = e_codes[idx]
    episode, episodes = combine_keys(show, e_codes, shows, e_uniq, is_ep)
    skipped_all, shuffle_all = f_flags.result()
    r_codes, r_uniq = f_reason.result()
    done, skip = _done_and_skip(r_codes[idx], r_uniq, skipped_all[idx])
    shuffle = shuffle_all[idx]
    est = (_flag(events["ms_estimated"])[idx] == 1).astype(np.int8)

    track, tracks = f_combined.result()

    art_genre, genres, track_year = catalog_lookup(catalog, artists, tracks)
    genre = np.where(artist >= 0, art_genre[np.maximum(artist, 0)], -1) if len(artists) else artist
    ryear = np.where(track >= 0, track_year[np.maximum(track, 0)], -1) if len(tracks) else track
    return Prepared(
        artist_share=f_share.result(),
        artist_genre=art_genre,
        users=users,
        year=year,
        start_day=start_day,
        end_day=end_day,
        zones=who.zones,
        tz_sources=who.sources,
        countries=who.countries,
        tiers=list(prof["tier"]),
        birth_dates=[parse_birth(b) for b in prof["birth_date"]],
        source_formats=source_formats(uid_all, events.get("source"), n_users),
        has_history=has_history,
        hist_pairs=f_hist.result(),
        uid=uid,
        **f_time.result(),
        # int32/int8 for item-like arrays (memory), without copying those already so
        kind=kind.astype(np.int8, copy=False),
        artist=artist.astype(np.int32, copy=False),
        track=track.astype(np.int32, copy=False),
        album=album.astype(np.int32, copy=False),
        show=show.astype(np.int32, copy=False),
        episode=episode.astype(np.int32, copy=False),
        genre=genre.astype(np.int32, copy=False),
        ryear=ryear.astype(np.int32, copy=False),
        skip=skip,
        done=done,
        shuffle=shuffle,
        est=est,
        row=idx,
        spaces={
            "artist": artists,
            "track": tracks,
            "album": albums,
            "show": shows,
            "episode": episodes,
            "genre": genres,
        },
        raw={
            "artist": _raw(a_raw[idx], a_uniq),
            "track": _raw(t_codes, t_uniq),
            "album": _raw(al_codes, al_uniq),
            "show": _raw(s_codes, s_uniq),
            "episode": _raw(e_codes, e_uniq),
        },
    )


def _raw(codes: np.ndarray, uniques: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Compact codes (-1 -> the trailing None) for taking display strings later."""
    none = np.array([None], dtype=object)
    return codes.astype(np.int32, copy=False), np.append(uniques, none).astype(object)
