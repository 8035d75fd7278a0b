"""Interesting days: priority-ordered detectors, each proposing its best local days.

Detectors, in PRIORITY order (a listener gets up to ``settings.max_days`` distinct dates; each
detector in turn takes its best-scoring date not already taken; date ties -> earliest date):

1. ``biggest_music_day``      most music ms. Strength: that ms / the listener's mean music ms
                              over days with music (how many "usual days" it was worth).
2. ``birthday``               the profile birth date's month/day in the window year (29 Feb ->
                              28 Feb in common years), with any play. Strength: day ms / mean day ms.
3. ``biggest_podcast_day``    most podcast (episode) ms. Strength as in 1, over podcast days.
4. ``biggest_discovery_day``  most artists played for the FIRST time ever (only when there is
                              history before the window). Strength: count / mean count.
5. ``biggest_top_artist_day`` most ms of the year's #1 artist. Strength as in 1.
6. ``biggest_top_genre_day``  most ms of the year's #1 genre (needs the catalog). Strength as in 1.
7. ``most_nostalgic_day``     most ms of music released 10+ years before the window year (needs
                              release years). Strength as in 1.
8. ``most_unusual_day``       largest total-variation distance (0..1) between that day's artist
                              mix and the year's, among days with >= 3 music plays (and only when
                              the listener has >= 2 music days). Strength: the distance.
9. ``new_years_day``          1 January (local) with any play. Strength: day ms / mean day ms.

Calendar days come early (2, 9 last because most people listen on 1 January) since they are rare
and personal. Each day carries ``facts`` computed from ALL of that day's plays (never the capped
log): a base set (minutes, plays, music_minutes, distinct_artists, top_artist, top_track, first
and last play time, ...) plus the category's own. The log is time-ordered, the first
``settings.log_cap`` plays, with ``log_total`` stating how many there were.

This module chooses the days; `day_numbers` computes their facts and logs as arrays and
`day_facts` names and formats them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from wrapped.stats.aggregates import Core, Extra
from wrapped.stats.prepare import (
    KIND_EPISODE,
    KIND_TRACK,
    Prepared,
    date_to_day,
)
from wrapped.stats.ranking import (
    best_per_group,
    group_sums,
    sums,
)

CATEGORIES = (
    "biggest_music_day",
    "birthday",
    "biggest_podcast_day",
    "biggest_discovery_day",
    "biggest_top_artist_day",
    "biggest_top_genre_day",
    "most_nostalgic_day",
    "most_unusual_day",
    "new_years_day",
)
NOSTALGIA_YEARS = 10
UNUSUAL_MIN_PLAYS = 3


@dataclass
class Chosen:
    """The selected days (one row each), sorted by (user, priority)."""

    user: np.ndarray
    ud: np.ndarray
    day: np.ndarray
    cat: np.ndarray  # index into CATEGORIES
    strength: np.ndarray


def _birthday_day(b: date, year: int) -> int:
    try:
        return date_to_day(b.replace(year=year))
    except ValueError:  # 29 Feb in a common year
        return date_to_day(date(year, 2, 28))


def _ratio_strength(
    value: np.ndarray, valid: np.ndarray, ud_user: np.ndarray, n: int
) -> np.ndarray:
    tot = np.bincount(ud_user[valid], weights=value[valid], minlength=n)
    cnt = np.bincount(ud_user[valid], minlength=n)
    mean = np.divide(tot, cnt, out=np.ones(n), where=cnt > 0)
    return np.divide(value, mean[ud_user], out=np.zeros(len(value)), where=mean[ud_user] > 0)


def choose_days(p: Prepared, c: Core, x: Extra, max_days: int) -> Chosen:
    """Run the detectors (vectorized over all users) and pick up to `max_days` dates each."""
    return _pick(c, _detectors(p, c, x), p.n_users, max_days)


class _Detector(NamedTuple):
    """One detector's score of every (listener, day), in `CATEGORIES` order."""

    value: np.ndarray  # higher is better
    valid: np.ndarray  # bool: the day qualifies at all
    strength: np.ndarray  # how strong the day is (see the module docstring)


def _detectors(p: Prepared, c: Core, x: Extra) -> list[_Detector]:
    """Every detector's value, validity and strength per (listener, local day)."""
    n = p.n_users
    n_ud = len(c.ud_user)
    ud, uu, dd = c.ud_codes, c.ud_user, c.ud_day
    music = p.kind == KIND_TRACK
    music_ms, music_plays = sums(ud, p.ms, n_ud, music)
    pod_ms, _ = sums(ud, p.ms, n_ud, p.kind == KIND_EPISODE)
    top_art = c.artists.first_item(n)
    ta_ms, _ = sums(ud, p.ms, n_ud, music & (p.artist >= 0) & (p.artist == top_art[p.uid]))
    top_gen = x.genres.first_item(n)
    tg_ms, _ = sums(ud, p.ms, n_ud, music & (p.genre >= 0) & (p.genre == top_gen[p.uid]))
    old = music & (p.ryear >= 0) & (p.ryear <= p.year - NOSTALGIA_YEARS)
    old_ms, _ = sums(ud, p.ms, n_ud, old)
    disc = _discoveries(p, c, x)
    tvd, unusual_ok = _unusual(p, c, music, music_ms, music_plays)

    bday = np.full(n, -(10**9), dtype=np.int64)
    for i, b in enumerate(p.birth_dates):
        if b is not None:
            bday[i] = _birthday_day(b, p.year)
    nyd = date_to_day(date(p.year, 1, 1))
    all_ms = c.ud_ms.astype(float)
    any_play = c.ud_plays > 0

    out = []
    for i, (value, valid) in enumerate((
        (music_ms.astype(float), music_ms > 0),
        (all_ms, any_play & (dd == bday[uu])),
        (pod_ms.astype(float), pod_ms > 0),
        (disc, disc > 0),
        (ta_ms.astype(float), ta_ms > 0),
        (tg_ms.astype(float), tg_ms > 0),
        (old_ms.astype(float), old_ms > 0),
        (tvd, unusual_ok),
        (all_ms, any_play & (dd == nyd)),
    )):  # fmt: skip
        if CATEGORIES[i] == "most_unusual_day":
            strength = tvd
        elif CATEGORIES[i] in ("birthday", "new_years_day"):
            strength = _ratio_strength(all_ms, any_play, uu, n)
        else:
            strength = _ratio_strength(value, valid, uu, n)
        out.append(_Detector(value, valid, strength))
    return out


def _discoveries(p: Prepared, c: Core, x: Extra) -> np.ndarray:
    """Per (listener, day): how many artists were played for the first time ever that day."""
    n_ud = len(c.ud_user)
    span = p.end_day - p.start_day + 2
    ud_index = pd.Index(c.ud_user * span + (c.ud_day - p.start_day))
    a = c.artists
    ng = np.flatnonzero(x.new_group)
    disc = np.zeros(n_ud)
    if len(ng):
        pos = ud_index.get_indexer(a.group[ng] * span + (x.first_day[ng] - p.start_day))
        disc = np.bincount(pos, minlength=n_ud).astype(float)
    return disc


def _unusual(
    p: Prepared, c: Core, music: np.ndarray, music_ms: np.ndarray, music_plays: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Per (listener, day): total-variation distance between the day's and the year's artist
    mix, and whether the day may be the most unusual one."""
    n_ud = len(c.ud_user)
    uu, a = c.ud_user, c.artists
    r_codes, r_group, _, r_ms, _ = group_sums(
        c.ud_codes, p.artist, p.ms, len(p.spaces["artist"]), music
    )
    y_ms = np.zeros(len(r_group))
    ok = r_codes >= 0
    y_ms[r_codes[ok]] = a.ms[a.codes[ok]]
    year_music = c.ms_kind[:, 0].astype(float)
    d_share = r_ms / np.maximum(music_ms[r_group], 1)
    y_share = y_ms / np.maximum(year_music[uu[r_group]], 1)
    s1 = np.bincount(r_group, weights=np.abs(d_share - y_share), minlength=n_ud)
    s2 = np.bincount(r_group, weights=y_share, minlength=n_ud)
    tvd = np.round(0.5 * (s1 + 1.0 - s2), 6)
    music_days = np.bincount(uu[music_ms > 0], minlength=p.n_users)
    unusual_ok = (music_plays >= UNUSUAL_MIN_PLAYS) & (music_days[uu] >= 2) & (tvd > 0)
    return tvd, unusual_ok


def _pick(c: Core, detectors: list[_Detector], n: int, max_days: int) -> Chosen:
    """Up to `max_days` distinct dates per listener, detector after detector.

    Each detector takes, per listener, its best (value desc, then date asc) valid day not
    already taken - a segmented max over the listener's days, no sort. (Equivalent to sorting
    all candidates and taking the first free one: fewer than max_days dates are ever taken.)
    """
    n_ud = len(c.ud_user)
    uu, dd = c.ud_user, c.ud_day
    rows = np.arange(n_ud) if np.all(uu[1:] >= uu[:-1]) else np.argsort(uu, kind="stable")
    su, sd = uu[rows], dd[rows]
    taken = np.full((n, max(max_days, 1)), -1, dtype=np.int64)
    count = np.zeros(n, dtype=np.int64)
    out: dict[str, list[Any]] = {k: [] for k in ("user", "ud", "cat", "strength")}
    for ci, (value, valid, strength) in enumerate(detectors):
        if max_days <= 0:
            break
        ok = valid[rows] & (count[su] < max_days)
        if ci:  # nothing is taken before the first detector
            ok &= ~(taken[su] == sd[:, None]).any(axis=1)
        idx = np.flatnonzero(ok)
        if len(idx) == 0:
            continue
        cu, cv, cd = su[idx], value[rows[idx]], sd[idx]
        starts = np.flatnonzero(np.r_[True, cu[1:] != cu[:-1]])
        lengths = np.diff(np.r_[starts, len(idx)])
        top = cv == np.repeat(np.maximum.reduceat(cv, starts), lengths)
        first = best_per_group(cu, np.where(top, cd, np.iinfo(np.int64).max), n)
        pick = rows[idx[first[first >= 0]]]
        pu = uu[pick]
        taken[pu, count[pu]] = dd[pick]
        count[pu] += 1
        out["user"].append(pu)
        out["ud"].append(pick)
        out["cat"].append(np.full(len(pick), ci))
        out["strength"].append(strength[pick])
    if not out["user"]:
        e = np.zeros(0, dtype=np.int64)
        return Chosen(e, e, e, e, np.zeros(0))
    user = np.concatenate(out["user"])
    udc = np.concatenate(out["ud"])
    cat = np.concatenate(out["cat"])
    strength_all = np.concatenate(out["strength"])
    o = np.lexsort((cat, user))
    return Chosen(user[o], udc[o], dd[udc[o]], cat[o], np.round(strength_all[o], 2))
