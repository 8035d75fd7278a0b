"""Vectorized synthesis of listening plays: who played what, when, for how long.

Everything is a numpy array indexed by play, sorted by listener. The shape follows what real
histories show: a Zipf-like long tail of artists with personal favourites on top, sessions of
consecutive plays, a daily rhythm by local hour (quiet nights, morning and evening peaks), a few
big days per listener, skips, shuffle, podcasts one episode at a time, some audiobooks, and half
a year of history before the year so "new artists" can be computed.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import NamedTuple
from zoneinfo import ZoneInfo

import numpy as np

from wrapped.demo.catalog import Catalog

#: (country, IANA zone, share of listeners)
COUNTRIES: tuple[tuple[str, str, float], ...] = (
    ("US", "America/New_York", 0.16),
    ("US", "America/Los_Angeles", 0.09),
    ("GB", "Europe/London", 0.12),
    ("DE", "Europe/Berlin", 0.09),
    ("SE", "Europe/Stockholm", 0.05),
    ("FR", "Europe/Paris", 0.06),
    ("BR", "America/Sao_Paulo", 0.09),
    ("MX", "America/Mexico_City", 0.06),
    ("IN", "Asia/Kolkata", 0.08),
    ("JP", "Asia/Tokyo", 0.06),
    ("KR", "Asia/Seoul", 0.04),
    ("AU", "Australia/Sydney", 0.05),
    ("NG", "Africa/Lagos", 0.03),
    ("NZ", "Pacific/Auckland", 0.02),
)

KIND_TRACK, KIND_EPISODE, KIND_BOOK = 0, 1, 2
KIND_NAMES = ("track", "episode", "audiobook")
REASONS_START = ("clickrow", "playbtn", "trackdone", "fwdbtn", "backbtn", "appload")
REASONS_END = ("trackdone", "fwdbtn", "endplay", "logout", "backbtn")
RS_CLICKROW, RS_PLAYBTN, RS_TRACKDONE, RS_FWDBTN = 0, 1, 2, 3
RE_TRACKDONE, RE_FWDBTN, RE_ENDPLAY = 0, 1, 2

#: share of sessions starting in each local hour (0..23): quiet nights, commute and evening peaks.
HOUR_SHAPE = np.array(
    [1.6, 1.0, 0.6, 0.4, 0.3, 0.5, 1.5, 3.5, 5.2, 4.8, 4.2, 4.3,
     4.9, 4.6, 4.3, 4.5, 5.3, 6.2, 6.6, 6.4, 6.0, 5.2, 4.0, 2.6]
)  # fmt: skip
HISTORY_DAYS = 184  # half a year before the year


class Listeners(NamedTuple):
    """Per-listener traits (index = listener number)."""

    country: np.ndarray  # index into COUNTRIES
    weight: np.ndarray  # activity share
    podcast_share: np.ndarray
    book_share: np.ndarray
    skip_rate: np.ndarray
    shuffle_rate: np.ndarray
    fav_share: np.ndarray
    night_shift: np.ndarray  # hours added to the daily rhythm (night owls > 0)
    has_history: np.ndarray  # bool


class Plays(NamedTuple):
    """One row per play, sorted by listener then session."""

    user: np.ndarray  # int64 listener index
    ts_s: np.ndarray  # int64 UTC epoch seconds when the play ended
    ms: np.ndarray  # int64 ms played
    kind: np.ndarray  # int8 KIND_*
    item: np.ndarray  # int64 track / episode / book index
    chapter: np.ndarray  # int64 chapter number (audiobooks), else 0
    skipped: np.ndarray  # bool
    shuffle: np.ndarray  # bool
    reason_start: np.ndarray  # int8 into REASONS_START
    reason_end: np.ndarray  # int8 into REASONS_END
    country: np.ndarray  # int64 into COUNTRIES (where the play happened)


def make_listeners(rng: np.random.Generator, n: int) -> Listeners:
    """Draw listener traits: countries, activity, podcast/audiobook habits, skipping, shuffle."""
    shares = np.array([c[2] for c in COUNTRIES])
    kind_mix = rng.random(n)
    podcast = np.where(kind_mix < 0.65, rng.uniform(0, 0.04, n), rng.uniform(0.08, 0.45, n))
    podcast = np.where(kind_mix > 0.985, 0.9, podcast)
    book = np.where(rng.random(n) < 0.07, rng.uniform(0.02, 0.12, n), 0.0)
    return Listeners(
        country=rng.choice(len(COUNTRIES), n, p=shares / shares.sum()),
        weight=rng.lognormal(0.0, 0.9, n),
        podcast_share=podcast,
        book_share=book,
        skip_rate=rng.beta(2.0, 6.0, n),
        shuffle_rate=rng.beta(2.0, 2.5, n),
        fav_share=rng.uniform(0.55, 0.9, n),
        night_shift=rng.choice([-1, 0, 0, 0, 1, 2, 3], n),
        has_history=rng.random(n) < 0.8,
    )


def utc_offsets(year: int) -> tuple[np.ndarray, date]:
    """Offset (s) of each zone at local noon, per day from HISTORY_DAYS before `year` to its end."""
    first = date(year, 1, 1) - timedelta(days=HISTORY_DAYS)
    n_days = (date(year + 1, 1, 1) - first).days
    table = np.empty((len(COUNTRIES), n_days), dtype=np.int64)
    for z, (_, tz, _) in enumerate(COUNTRIES):
        zone = ZoneInfo(tz)
        for d in range(n_days):
            local = datetime.combine(first + timedelta(days=d), time(12), tzinfo=zone)
            table[z, d] = int(local.utcoffset().total_seconds())  # type: ignore[union-attr]
    return table, first


def _rank_in_runs(keys: np.ndarray) -> np.ndarray:
    """0-based position of each element within its run of equal consecutive keys."""
    if len(keys) == 0:
        return keys.astype(np.int64)
    starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
    lengths = np.diff(np.r_[starts, len(keys)])
    return np.arange(len(keys)) - np.repeat(starts, lengths)


def synthesize(
    rng: np.random.Generator,
    cat: Catalog,
    lis: Listeners,
    counts: np.ndarray,
    *,
    year: int,
) -> Plays:
    """Plays for listeners with `counts[i]` plays each (vectorized; ~1 s per million plays).

    The steps draw from `rng` in a fixed order (the same seed always gives the same plays):
    sessions, when they start, what was played, how long, then how plays follow each other.
    """
    ss = _sessions(rng, lis, counts)
    user, kind, sess, sess_first, sess_user = ss.user, ss.kind, ss.sess, ss.first, ss.user_of
    n, n_sess = len(user), len(sess_first)
    when = _session_starts(rng, lis, sess_user, len(counts), year)
    what = _items(rng, cat, lis, ss, when.day, len(counts), when.n_days)
    ms, reason_end = _durations(rng, cat, lis, what, n)
    skipped = reason_end == RE_FWDBTN

    reason_start = np.empty(n, dtype=np.int8)
    reason_start[1:] = np.where(reason_end[:-1] == RE_FWDBTN, RS_FWDBTN, RS_TRACKDONE)
    reason_start[ss.new] = np.where(rng.random(n_sess) < 0.7, RS_CLICKROW, RS_PLAYBTN)
    shuffle = (rng.random(n_sess) < lis.shuffle_rate[sess_user])[sess] & (kind == KIND_TRACK)

    # When: plays follow each other inside a session, with small gaps; `ts` is the end.
    elapsed = rng.integers(0, 4_000, n)  # small gaps between plays
    elapsed += ms
    np.cumsum(elapsed, out=elapsed)
    elapsed -= elapsed[sess_first][sess]
    end_local_s = when.start_local[sess] + elapsed // 1_000
    play_day_all = np.minimum(end_local_s // 86_400, when.n_days - 1)
    home = lis.country[user]
    ts_s = end_local_s - when.offsets[home, play_day_all] + _epoch_s(when.first_day)
    travel = (rng.random(n_sess) < 0.01)[sess]
    country = np.where(travel, rng.integers(0, len(COUNTRIES), n), home)
    return Plays(
        user,
        ts_s,
        ms,
        kind,
        what.item,
        what.chapter,
        skipped,
        shuffle,
        reason_start,
        reason_end,
        country,
    )


class _Sessions(NamedTuple):
    """Per play: listener, kind and session; per session: its first play and listener."""

    user: np.ndarray
    kind: np.ndarray
    new: np.ndarray  # bool per play: it starts a session
    sess: np.ndarray  # per play: session index
    first: np.ndarray  # per session: index of its first play
    user_of: np.ndarray  # per session: listener


def _sessions(rng: np.random.Generator, lis: Listeners, counts: np.ndarray) -> _Sessions:
    """Each play's kind, and plays cut into listening sessions."""
    n_users = len(counts)
    n = int(counts.sum())
    user = np.repeat(np.arange(n_users), counts)
    user_start = np.concatenate([[0], np.cumsum(counts)[:-1]])[counts > 0]
    is_user_start = np.zeros(n, dtype=bool)
    is_user_start[user_start] = True

    r = rng.random(n)
    kind = np.full(n, KIND_TRACK, dtype=np.int8)
    kind[r < lis.podcast_share[user] + lis.book_share[user]] = KIND_EPISODE
    kind[r < lis.book_share[user]] = KIND_BOOK
    del r
    # Episodes and chapters are sessions of their own; music comes in runs of ~9 plays.
    new_session = is_user_start | (kind != KIND_TRACK) | (rng.random(n) < 1 / 9)
    del is_user_start
    new_session[1:] |= kind[:-1] != KIND_TRACK
    sess = np.cumsum(new_session) - 1
    sess_first = np.flatnonzero(new_session)
    return _Sessions(user, kind, new_session, sess, sess_first, user[sess_first])


class _Starts(NamedTuple):
    """The year's days and UTC offsets, and when each session starts (local)."""

    offsets: np.ndarray  # per country and day: UTC offset in seconds
    first_day: date
    n_days: int
    day: np.ndarray  # per session: day index
    start_local: np.ndarray  # per session: local seconds since `first_day`


def _session_starts(
    rng: np.random.Generator, lis: Listeners, sess_user: np.ndarray, n_users: int, year: int
) -> _Starts:
    """Session days (weekends busier, a few big days per listener) and hours of the day."""
    n_sess = len(sess_user)
    offsets, first_day = utc_offsets(year)
    n_days = offsets.shape[1]
    day_idx = np.arange(n_days)
    weekday = np.array([(first_day + timedelta(days=int(d))).weekday() for d in range(7)])[
        day_idx % 7
    ]
    day_w = np.where(weekday >= 5, 1.15, 1.0) * np.where(day_idx < HISTORY_DAYS, 0.35, 1.0)
    sess_day = rng.choice(n_days, n_sess, p=day_w / day_w.sum())
    # A handful of big days per listener make "interesting days" worth telling.
    special = HISTORY_DAYS + rng.integers(0, n_days - HISTORY_DAYS, (n_users, 5))
    use_special = rng.random(n_sess) < 0.08
    sess_day = np.where(use_special, special[sess_user, rng.integers(0, 5, n_sess)], sess_day)
    no_hist = ~lis.has_history[sess_user] & (sess_day < HISTORY_DAYS)
    sess_day = np.where(no_hist, sess_day + HISTORY_DAYS, sess_day)
    hour = (
        rng.choice(24, n_sess, p=HOUR_SHAPE / HOUR_SHAPE.sum()) + lis.night_shift[sess_user]
    ) % 24
    start_local = sess_day * 86_400 + hour * 3_600 + rng.integers(0, 3_600, n_sess)
    return _Starts(offsets, first_day, n_days, sess_day, start_local)


class _Items(NamedTuple):
    """What was played, and where the plays of each kind are."""

    item: np.ndarray  # per play: track / episode / book index
    chapter: np.ndarray  # per play: chapter number (audiobooks), else 0
    t_idx: np.ndarray  # plays of tracks, episodes, books
    e_idx: np.ndarray
    b_idx: np.ndarray
    u_t: np.ndarray  # listener of each track play


def _items(
    rng: np.random.Generator, cat: Catalog, lis: Listeners, ss: _Sessions, sess_day: np.ndarray,
    n_users: int, n_days: int,
) -> _Items:  # fmt: skip
    """Tracks (favourite artists, popular ones), episodes (favourite shows), book chapters."""
    user, kind, sess = ss.user, ss.kind, ss.sess
    n = len(user)
    item = np.zeros(n, dtype=np.int64)
    chapter = np.zeros(n, dtype=np.int64)
    t_idx = np.flatnonzero(kind == KIND_TRACK)
    n_t = len(t_idx)
    n_fav = 25
    # Favourites lean popular but less than the crowd does: everyone's taste has a niche.
    fav_p = cat.artist_weight**0.6 / (cat.artist_weight**0.6).sum()
    fav = rng.choice(len(cat.artist_weight), (n_users, n_fav), p=fav_p)
    fav_from = np.where(
        rng.random((n_users, n_fav)) < 0.6, 0, rng.integers(0, n_days, (n_users, n_fav))
    )
    u_t = user[t_idx]
    slot = np.minimum(rng.exponential(5.0, n_t).astype(np.int64), n_fav - 1)
    play_day = sess_day[sess[t_idx]]
    use_fav = (rng.random(n_t) < lis.fav_share[u_t]) & (fav_from[u_t, slot] <= play_day)
    artist = np.where(
        use_fav, fav[u_t, slot], rng.choice(len(cat.artist_weight), n_t, p=cat.artist_weight)
    )
    depth = (cat.artist_n_tracks[artist] * rng.random(n_t) ** 2.2).astype(np.int64)
    item[t_idx] = cat.artist_first_track[artist] + depth

    e_idx = np.flatnonzero(kind == KIND_EPISODE)
    fav_show = rng.choice(len(cat.show_weight), (n_users, 3), p=cat.show_weight)
    show = np.where(
        rng.random(len(e_idx)) < 0.85,
        fav_show[user[e_idx], rng.integers(0, 3, len(e_idx))],
        rng.choice(len(cat.show_weight), len(e_idx), p=cat.show_weight),
    )
    item[e_idx] = cat.show_first_episode[show] + rng.integers(0, cat.show_n_episodes[show])

    b_mask = kind == KIND_BOOK
    b_idx = np.flatnonzero(b_mask)
    user_book = rng.integers(0, len(cat.books), n_users)
    item[b_idx] = user_book[user[b_idx]]
    rank = _rank_in_runs(user[b_idx])  # chapters in order, per listener
    chapter[b_idx] = rank % cat.book_n_chapters[item[b_idx]] + 1
    return _Items(item, chapter, t_idx, e_idx, b_idx, u_t)


def _durations(
    rng: np.random.Generator, cat: Catalog, lis: Listeners, what: _Items, n: int
) -> tuple[np.ndarray, np.ndarray]:
    """How long each play lasted (ms) and how it ended (`RE_*`): skips, partial plays."""
    item, t_idx, e_idx, b_idx, u_t = what.item, what.t_idx, what.e_idx, what.b_idx, what.u_t
    n_t = len(t_idx)
    ms = np.zeros(n, dtype=np.int64)
    reason_end = np.full(n, RE_TRACKDONE, dtype=np.int8)
    dur = cat.track_ms[item[t_idx]]
    rt = rng.random(n_t)
    skip = rt < lis.skip_rate[u_t]
    partial = ~skip & (rt < lis.skip_rate[u_t] + 0.06)
    ms_t = np.where(skip, rng.integers(0, 30_000, n_t), dur)
    ms_t = np.where(partial, (dur * rng.uniform(0.3, 0.95, n_t)).astype(np.int64), ms_t)
    ms[t_idx] = ms_t
    reason_end[t_idx] = np.where(skip, RE_FWDBTN, np.where(partial, RE_ENDPLAY, RE_TRACKDONE))
    ep_dur = cat.episode_ms[item[e_idx]]
    ep_frac = np.where(rng.random(len(e_idx)) < 0.55, 1.0, rng.uniform(0.05, 0.95, len(e_idx)))
    ms[e_idx] = (ep_dur * ep_frac).astype(np.int64)
    reason_end[e_idx] = np.where(ep_frac >= 1.0, RE_TRACKDONE, RE_ENDPLAY)
    ms[b_idx] = rng.integers(4 * 60_000, 50 * 60_000, len(b_idx))
    reason_end[b_idx] = RE_ENDPLAY
    return ms, reason_end


def _epoch_s(d: date) -> int:
    return int((d - date(1970, 1, 1)).days) * 86_400
