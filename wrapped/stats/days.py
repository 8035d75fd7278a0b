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
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from wrapped.stats.aggregates import Core, Extra
from wrapped.stats.fastmodel import many
from wrapped.stats.model import LogEntry
from wrapped.stats.prepare import (
    KIND_EPISODE,
    KIND_TRACK,
    Prepared,
    date_to_day,
)
from wrapped.stats.ranking import (
    best_per_group,
    first_per_group,
    group_sums,
    positions_in_runs,
    rank_items,
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
KIND_NAMES = ("track", "episode", "audiobook")


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

    span = p.end_day - p.start_day + 2
    ud_index = pd.Index(uu * span + (dd - p.start_day))
    a = c.artists
    ng = np.flatnonzero(x.new_group)
    disc = np.zeros(n_ud)
    if len(ng):
        pos = ud_index.get_indexer(a.group[ng] * span + (x.first_day[ng] - p.start_day))
        disc = np.bincount(pos, minlength=n_ud).astype(float)

    # most unusual: total-variation distance between the day's and the year's artist mix
    r_codes, r_group, _, r_ms, _ = group_sums(ud, p.artist, p.ms, len(p.spaces["artist"]), music)
    y_ms = np.zeros(len(r_group))
    ok = r_codes >= 0
    y_ms[r_codes[ok]] = a.ms[a.codes[ok]]
    year_music = c.ms_kind[:, 0].astype(float)
    d_share = r_ms / np.maximum(music_ms[r_group], 1)
    y_share = y_ms / np.maximum(year_music[uu[r_group]], 1)
    s1 = np.bincount(r_group, weights=np.abs(d_share - y_share), minlength=n_ud)
    s2 = np.bincount(r_group, weights=y_share, minlength=n_ud)
    tvd = np.round(0.5 * (s1 + 1.0 - s2), 6)
    music_days = np.bincount(uu[music_ms > 0], minlength=n)
    unusual_ok = (music_plays >= UNUSUAL_MIN_PLAYS) & (music_days[uu] >= 2) & (tvd > 0)

    bday = np.full(n, -(10**9), dtype=np.int64)
    for i, b in enumerate(p.birth_dates):
        if b is not None:
            bday[i] = _birthday_day(b, p.year)
    nyd = date_to_day(date(p.year, 1, 1))
    all_ms = c.ud_ms.astype(float)
    any_play = c.ud_plays > 0

    detectors: list[
        tuple[np.ndarray, np.ndarray, np.ndarray | None]
    ] = []  # (value, valid, strength)
    for value, valid in (
        (music_ms.astype(float), music_ms > 0),
        (all_ms, any_play & (dd == bday[uu])),
        (pod_ms.astype(float), pod_ms > 0),
        (disc, disc > 0),
        (ta_ms.astype(float), ta_ms > 0),
        (tg_ms.astype(float), tg_ms > 0),
        (old_ms.astype(float), old_ms > 0),
        (tvd, unusual_ok),
        (all_ms, any_play & (dd == nyd)),
    ):
        detectors.append((value, valid, None))
    strengths = []
    for i, (value, valid, _) in enumerate(detectors):
        if CATEGORIES[i] == "most_unusual_day":
            strengths.append(tvd)
        elif CATEGORIES[i] in ("birthday", "new_years_day"):
            strengths.append(_ratio_strength(all_ms, any_play, uu, n))
        else:
            strengths.append(_ratio_strength(value, valid, uu, n))

    # Each detector takes, per listener, its best (value desc, then date asc) valid day not
    # already taken - a segmented max over the listener's days, no sort. (Equivalent to sorting
    # all candidates and taking the first free one: fewer than max_days dates are ever taken.)
    rows = np.arange(n_ud) if np.all(uu[1:] >= uu[:-1]) else np.argsort(uu, kind="stable")
    su, sd = uu[rows], dd[rows]
    taken = np.full((n, max(max_days, 1)), -1, dtype=np.int64)
    count = np.zeros(n, dtype=np.int64)
    out: dict[str, list[Any]] = {k: [] for k in ("user", "ud", "cat", "strength")}
    for ci, (value, valid, _) in enumerate(detectors):
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
        out["strength"].append(strengths[ci][pick])
    if not out["user"]:
        e = np.zeros(0, dtype=np.int64)
        return Chosen(e, e, e, e, np.zeros(0))
    user = np.concatenate(out["user"])
    udc = np.concatenate(out["ud"])
    cat = np.concatenate(out["cat"])
    strength = np.concatenate(out["strength"])
    o = np.lexsort((cat, user))
    return Chosen(user[o], udc[o], dd[udc[o]], cat[o], np.round(strength[o], 2))


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


def day_details(p: Prepared, ch: Chosen, da: DayArrays) -> DayDetail:
    """Facts, headline and capped log (as `LogEntry` models) of every chosen day."""
    m = len(ch.user)
    A, T = p.spaces["artist"], p.spaces["track"]
    hh = _hhmm(np.concatenate([da.first_wall, da.last_wall]))
    f_first, f_last = hh[:m], hh[m:]
    gnames = p.spaces["genre"].names

    def mins(ms_arr: np.ndarray) -> list[int]:
        return ((ms_arr + 30_000) // 60_000).tolist()

    def names_of(item: np.ndarray, table: np.ndarray) -> list:
        if len(table) == 0:
            return [None] * m
        return np.where(item >= 0, table[np.maximum(item, 0)], _NONE).tolist()

    L = {
        "all_min": mins(da.all_ms), "plays": da.plays.tolist(), "mus_min": mins(da.mus_ms),
        "mus_plays": da.mus_plays.tolist(), "n_art": da.n_art.tolist(), "pod_min": mins(da.pod_ms),
        "pod_plays": da.pod_plays.tolist(),
        "ta": names_of(da.ta_item, A.names), "ta_min": mins(da.ta_ms),
        "ta_plays": da.ta_plays.tolist(),
        "tt": names_of(da.tt_item, T.names),
        "tt_by": names_of(da.tt_item, T.by if T.by is not None else np.array([])),
        "tt_plays": da.tt_plays.tolist(),
        "ts": names_of(da.ts_item, p.spaces["show"].names), "ts_min": mins(da.ts_ms),
        "n_new": da.n_new.tolist(), "tn": names_of(da.tn_item, A.names),
        "ya_min": mins(da.ya_ms), "ya_plays": da.ya_plays.tolist(),
        "yg_min": mins(da.yg_ms), "yg_plays": da.yg_plays.tolist(),
        "old_min": mins(da.old_ms), "old_plays": da.old_plays.tolist(),
    }  # fmt: skip
    has_old = da.has_old.tolist()
    any_old = bool(len(T)) and bool(da.has_old.any())
    old_track = T.names[da.old_track].tolist() if any_old else [None] * m
    old_by = T.by[da.old_track].tolist() if any_old and T.by is not None else [None] * m
    old_year = da.old_year.tolist()
    user_l = ch.user.tolist()
    top_art_name = [None if t < 0 else A.names[t] for t in da.top_art.tolist()]
    top_gen_name = [None if t < 0 else gnames[t] for t in da.top_gen.tolist()]
    cats = [CATEGORIES[i] for i in ch.cat.tolist()]
    cutoff = p.year - NOSTALGIA_YEARS

    facts: list[dict] = []
    heads_txt: list[str] = []
    # one zip over the per-day columns (no dict-of-lists lookups per day)
    for (cat, u, all_min, n_plays, mus_min, mus_plays, n_art_i, pod_min, pod_plays, ta, ta_min,
         ta_plays, tt, tt_by, tt_plays, ts_name, ts_min, n_new_i, tn, ya_min, ya_plays, yg_min,
         yg_plays, old_min, old_plays, first, last, h_old, o_track, o_by, o_year) in zip(
        cats, user_l, L["all_min"], L["plays"], L["mus_min"], L["mus_plays"], L["n_art"],
        L["pod_min"], L["pod_plays"], L["ta"], L["ta_min"], L["ta_plays"], L["tt"], L["tt_by"],
        L["tt_plays"], L["ts"], L["ts_min"], L["n_new"], L["tn"], L["ya_min"], L["ya_plays"],
        L["yg_min"], L["yg_plays"], L["old_min"], L["old_plays"], f_first, f_last, has_old,
        old_track, old_by, old_year, strict=True,
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
        facts.append(f)
        heads_txt.append(head)

    entries = _LOG_ENTRIES(log_rows(p, da))
    bounds = np.r_[0, np.cumsum(da.log_count)].tolist()
    logs = [entries[bounds[i] : bounds[i + 1]] for i in range(m)]
    return DayDetail(facts=facts, headlines=heads_txt, logs=logs, log_total=L["plays"])


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
