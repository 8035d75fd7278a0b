"""Assemble one `UserYear` per listener from the vectorized aggregates.

All arithmetic happens over all listeners at once (see prepare/aggregates/streaks/days); this
module only loops over LISTENERS to put already-computed numbers into models. Eligibility is
explicit: a listener needs at least ``settings.min_plays`` plays AND ``settings.min_minutes``
minutes (all kinds) in the window; otherwise ``eligible`` is False with a one-line reason.
Activity band: mean minutes per window day < 15 light, < 60 regular, else heavy.
Age band: age on the window's last day.
"""

from __future__ import annotations

import gc
from collections.abc import Generator, Iterator
from contextlib import contextmanager
from datetime import date

import numpy as np
import pandas as pd
from pydantic import TypeAdapter

from wrapped.settings import Settings
from wrapped.stats.chunks import split_by_users
from wrapped.stats.day_facts import day_details
from wrapped.stats.days import CATEGORIES
from wrapped.stats.fastmodel import leaf, many
from wrapped.stats.keys import KeySpace
from wrapped.stats.model import MONTHS as MODEL_MONTHS
from wrapped.stats.model import (
    WEEKDAYS,
    Amount,
    Axis,
    Clock,
    Cohort,
    Discovery,
    Habits,
    InterestingDay,
    Month,
    Nostalgia,
    PeakMonth,
    Personality,
    Ranked,
    Streak,
    Totals,
    UserYear,
    Window,
    ms_to_minutes,
)
from wrapped.stats.parallel import helpers_for, iter_chunks
from wrapped.stats.personality import personalities
from wrapped.stats.prepare import Prepared, day_to_date, prepare
from wrapped.stats.summary import TOP_LISTS, ChunkArrays, Top, chunk_arrays
from wrapped.stats.tz import locale_for

MONTHS = ("", *MODEL_MONTHS)  # indexed by month number
PARTS = (("morning", range(5, 12)), ("afternoon", range(12, 17)), ("evening", range(17, 22)),
         ("night", (22, 23, 0, 1, 2, 3, 4)))  # fmt: skip
AGE_BANDS = ((18, "under 18"), (25, "18-24"), (35, "25-34"), (45, "35-44"), (55, "45-54"),
             (65, "55-64"), (10**6, "65+"))  # fmt: skip
_LIST = TypeAdapter(list[UserYear])
#: Listeners are aggregated about this many window events at a time (see `iter_user_years`).
#: Smaller chunks keep the numpy working set in cache: 250k was ~7% less CPU than 1M on the
#: 10M-event benchmark data, and holds fewer models at once.
CHUNK_EVENTS = 250_000
# Every model is made bottom-up with `leaf` makers (values are already exact Python types and
# nested values already models); see fastmodel for how this is checked.
_MK = {cls: leaf(cls) for cls in (Amount, Window, Discovery, Clock, Streak, Habits, Nostalgia,
                                   Axis, Personality, Cohort, Totals, InterestingDay, UserYear)}  # fmt: skip
# ... and their bulk versions (`fastmodel.many`), used for every list of models.
_MANY = {cls: many(cls) for cls in (*_MK, Ranked, Month, PeakMonth)}


def _ranked(t: Top, space: KeySpace, n: int) -> list[list[Ranked]]:
    names = space.names[t.item].tolist()
    by = space.by[t.item].tolist() if space.by is not None else [None] * len(t.item)
    rows = _MANY[Ranked](
        [
            {
                "rank": pos + 1,
                "name": na,
                "by": b,
                "plays": pl,
                "ms": m,
                "minutes": (m + 30_000) // 60_000,
            }
            for pos, na, b, pl, m in zip(
                t.pos.tolist(), names, by, t.plays.tolist(), t.ms.tolist(), strict=True
            )
        ]
    )
    bounds = np.r_[0, np.cumsum(t.count)].tolist()
    return [rows[bounds[i] : bounds[i + 1]] for i in range(n)]


def _age(b: date, on: date) -> int:
    return on.year - b.year - ((on.month, on.day) < (b.month, b.day))


def _age_band(b: date | None, on: date) -> str | None:
    if b is None:
        return None
    age = _age(b, on)
    return next(label for limit, label in AGE_BANDS if age < limit)


def _argmax_or_none(row: list[int]) -> int | None:
    best = max(row)
    return row.index(best) if best > 0 else None


def _amount(plays: int, ms: int) -> Amount:
    return _MK[Amount]({"plays": plays, "ms": ms, "minutes": ms_to_minutes(ms)})


def _rate(a: int, b: int) -> float | None:
    return round(a / b, 3) if b else None


def build_dicts(
    p: Prepared, settings: Settings, arrays: ChunkArrays | None = None
) -> list[UserYear]:
    """The UserYear of every listener in `p`, built bottom-up with `fastmodel` makers.

    `arrays` is `chunk_arrays(p, settings)` (the numbers), computed here when not given; this
    function only looks names up and makes the models.
    """
    n, k = p.n_users, settings.top_k
    x = chunk_arrays(p, settings) if arrays is None else arrays
    st, ch = x.streaks, x.chosen
    dd = day_details(p, ch, x.days)

    S = p.spaces
    tops = {name: _ranked(x.tops[name], S[space], n) for name, space in TOP_LISTS}
    d_tracks = x.distinct["track"].tolist()
    d_artists = x.distinct["artist"].tolist()
    d_albums = x.distinct["album"].tolist()
    d_shows = x.distinct["show"].tolist()
    d_eps = x.distinct["episode"].tolist()
    l_days = x.listening_days.tolist()
    est_plays = x.estimated_plays.tolist()

    artist_names = S["artist"].names
    new_per_user = x.new_artists.tolist()
    top_new = [None if j < 0 else artist_names[j] for j in x.top_new_artist.tolist()]
    topk_ms = x.top_k_ms.tolist()

    last_month = day_to_date(p.end_day).month
    month_ms = x.month_ms.tolist()
    month_plays = x.month_plays.tolist()
    month_top = [None if j < 0 else artist_names[j] for j in x.month_top.tolist()]
    peak_rows = _MANY[PeakMonth](
        [
            {
                "artist": an,
                "month": mo + 1,
                "name": MONTHS[mo + 1],
                "minutes": (pm + 30_000) // 60_000,
            }
            for an, mo, pm in zip(
                artist_names[x.peak_artist].tolist(),
                x.peak_month.tolist(),
                x.peak_ms.tolist(),
                strict=True,
            )
        ]
    )
    peak_bounds = np.r_[0, np.cumsum(x.peak_count)].tolist()
    clocks = _clocks(x, n)
    habits = _habits(p, x, n)
    nostalgia = _nostalgia(p, x, n)
    streak_l, astreak_l = _streaks(p, st)
    known_ms, fresh_ms = x.known_ms.tolist(), x.new_ms.tolist()
    popularity = x.popularity.tolist()

    day_bounds = np.r_[0, np.cumsum(np.bincount(ch.user, minlength=n))].tolist()
    ch_day = _dates(ch.day)
    ch_cat = [CATEGORIES[i] for i in ch.cat.tolist()]
    ch_wd = [WEEKDAYS[d.weekday()] for d in ch_day]
    ch_strength = ch.strength.tolist()
    log_cap = settings.log_cap
    days_all = _MANY[InterestingDay]([
        {"date": dte, "weekday": wd, "category": cat, "strength": stg, "headline": hl, "facts": fa,
         "log": lg, "log_total": lt, "log_cap": log_cap}
        for dte, wd, cat, stg, hl, fa, lg, lt in zip(
            ch_day, ch_wd, ch_cat, ch_strength, dd.headlines, dd.facts, dd.logs, dd.log_total, strict=True
        )
    ])  # fmt: skip

    start, end = p.start, p.end
    n_window_days = p.end_day - p.start_day + 1
    span_txt = f"between {start.isoformat()} and {end.isoformat()}"
    all_ms_l = x.ms_kind.sum(axis=1).tolist()
    all_plays_l = x.plays_kind.sum(axis=1).tolist()
    has_hist = p.has_history.tolist()
    users = p.users.tolist()
    min_plays, min_minutes = settings.min_plays, settings.min_minutes
    disc_none = _MK[Discovery]({"has_history": False, "new_artists": None, "new_artist_share": None,
                         "top_new_artist": None})  # fmt: skip
    window = _MK[Window]({"start": start, "end": end, "year": p.year})
    reasons = [
        _reason(pl, (ms_ + 30_000) // 60_000, span_txt, min_plays, min_minutes)
        for pl, ms_ in zip(all_plays_l, all_ms_l, strict=True)
    ]
    mk_amount = _MANY[Amount]
    amounts = [
        mk_amount([{"plays": pl, "ms": m_, "minutes": (m_ + 30_000) // 60_000}
                   for pl, m_ in zip(plays_col, ms_col, strict=True)])
        for plays_col, ms_col in (
            (all_plays_l, all_ms_l),
            *((x.plays_kind[:, j].tolist(), x.ms_kind[:, j].tolist()) for j in range(3)),
        )
    ]  # fmt: skip
    totals = _MANY[Totals]([
        {"all": a0, "music": a1, "podcast": a2, "audiobook": a3, "distinct_tracks": dt,
         "distinct_artists": da, "distinct_albums": dal, "distinct_shows": ds, "distinct_episodes": de,
         "listening_days": ld, "minutes_estimated": max(round(ep / pl, 3), 0.001) if ep else 0.0}
        for a0, a1, a2, a3, dt, da, dal, ds, de, ld, ep, pl in zip(
            *amounts, d_tracks, d_artists, d_albums, d_shows, d_eps, l_days, est_plays, all_plays_l,
            strict=True)
    ])  # fmt: skip
    hist_u = [u for u in range(n) if has_hist[u]]
    disc_hist = _MANY[Discovery]([
        {"has_history": True, "new_artists": new_per_user[u],
         "new_artist_share": round(new_per_user[u] / d_artists[u], 3) if d_artists[u] else None,
         "top_new_artist": top_new[u]}
        for u in hist_u
    ])  # fmt: skip
    discs = [disc_none] * n
    for u, dsc in zip(hist_u, disc_hist, strict=True):
        discs[u] = dsc
    months = _MANY[Month]([
        {"month": i + 1, "name": MONTHS[i + 1], "plays": mp[i], "ms": mm[i],
         "minutes": (mm[i] + 30_000) // 60_000, "top_artist": month_top[u * 12 + i]}
        for u, mm, mp in zip(range(n), month_ms, month_plays, strict=True)
        for i in range(last_month)
    ])  # fmt: skip
    pers = personalities(
        music_ms=x.ms_kind[:, 0].tolist(), podcast_ms=x.ms_kind[:, 1].tolist(), has_history=has_hist,
        distinct_artists=d_artists, new_artists=new_per_user, top_k=k, top_k_ms=topk_ms,
        known_ms=known_ms, fresh_ms=fresh_ms, year=p.year, popularity=popularity,
    )  # fmt: skip
    tg_all = tops["top_genres"]
    cohorts = _MANY[Cohort]([
        {"country": country, "tier": tier, "age_band": _age_band(bd, end),
         "top_genre": tg[0].name if tg else None,
         "activity_band": "light" if avg < 15 else ("regular" if avg < 60 else "heavy")}
        for country, tier, bd, tg, avg in zip(
            p.countries, p.tiers, p.birth_dates, tg_all,
            (m_ / 60_000 / n_window_days for m_ in all_ms_l), strict=True)
    ])  # fmt: skip
    lm = last_month
    out = _MANY[UserYear](
        [
            {
                "user_id": users[u],
                "window": window,
                "timezone": p.zones[u],
                "tz_source": p.tz_sources[u],
                "country": p.countries[u],
                "locale": locale_for(p.countries[u]),
                "birth_date": p.birth_dates[u],
                "eligible": reasons[u] is None,
                "ineligible_reason": reasons[u],
                "totals": totals[u],
                "top_artists": tops["top_artists"][u],
                "top_tracks": tops["top_tracks"][u],
                "top_albums": tops["top_albums"][u],
                "top_genres": tg_all[u],
                "top_podcasts": tops["top_podcasts"][u],
                "top_episodes": tops["top_episodes"][u],
                "discovery": discs[u],
                "clock": clocks[u],
                "months": months[u * lm : (u + 1) * lm],
                "peak_months": peak_rows[peak_bounds[u] : peak_bounds[u + 1]],
                "streak": streak_l[u],
                "artist_streak": astreak_l[u],
                "habits": habits[u],
                "nostalgia": nostalgia[u],
                "personality": pers[u],
                "cohort": cohorts[u],
                "days": days_all[day_bounds[u] : day_bounds[u + 1]],
            }
            for u in range(n)
        ]
    )
    return out


def _reason(
    all_plays: int, all_min: int, span_txt: str, min_plays: int, min_minutes: int
) -> str | None:
    """Why a listener is not eligible for a story (None when eligible)."""
    if all_plays == 0:
        return f"no listening {span_txt}"
    if all_plays < min_plays:
        return f"only {_count(all_plays, 'play')} {span_txt} (a story needs at least {min_plays})"
    if all_min < min_minutes:
        return (
            f"only {_count(all_min, 'minute')} of listening {span_txt} "
            f"(a story needs at least {min_minutes})"
        )
    return None


def _count(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _dates(days: np.ndarray) -> list[date]:
    """Local day numbers -> datetime.date, vectorized."""
    return np.asarray(days, dtype=np.int64).astype("M8[D]").tolist()


def _minutes(ms: np.ndarray) -> np.ndarray:
    return (ms + 30_000) // 60_000


def _clocks(x: ChunkArrays, n: int) -> list[Clock]:
    """Clock per listener: argmax picks the earliest hour/weekday/part on ties."""
    part_idx = np.zeros(24, dtype=np.int64)
    for i, (_, hrs) in enumerate(PARTS):
        part_idx[list(hrs)] = i
    part_ms = np.zeros((n, 4), dtype=np.int64)
    for i in range(4):
        part_ms[:, i] = x.hour_ms[:, part_idx == i].sum(axis=1)
    any_ms = x.hour_ms.sum(axis=1) > 0
    peak = np.where(x.hour_ms.max(axis=1) > 0, x.hour_ms.argmax(axis=1), -1).tolist()
    wd = np.where(x.wd_ms.max(axis=1) > 0, x.wd_ms.argmax(axis=1), -1).tolist()
    tp = np.where(any_ms, part_ms.argmax(axis=1), -1).tolist()
    part_names = [name for name, _ in PARTS]
    pm = _minutes(part_ms).tolist()
    return _MANY[Clock]([
        {
            "minutes_by_hour": hm, "plays_by_hour": hp, "minutes_by_weekday": wm,
            "plays_by_weekday": wp, "peak_hour": None if ph < 0 else ph,
            "busiest_weekday": None if w < 0 else WEEKDAYS[w],
            "minutes_by_part": dict(zip(part_names, pmu, strict=True)),
            "top_part_of_day": None if t < 0 else part_names[t],
        }
        for hm, hp, wm, wp, ph, w, pmu, t in zip(
            _minutes(x.hour_ms).tolist(), x.hour_plays.tolist(), _minutes(x.wd_ms).tolist(),
            x.wd_plays.tolist(), peak, wd, pm, tp, strict=True,
        )
    ])  # fmt: skip


def _habits(p: Prepared, x: ChunkArrays, n: int) -> list[Habits]:
    T = p.spaces["track"]
    has = x.repeat_has
    trk = x.repeat_track
    names = T.names[trk].tolist() if len(T) else [None] * n
    by = T.by[trk].tolist() if len(T) and T.by is not None else [None] * n
    plays = x.repeat_plays.tolist()
    rdates = _dates(x.repeat_day) if has.any() else [None] * n

    def rates(arr: np.ndarray) -> list[float | None]:
        num, den = arr[:, 0], arr[:, 1]
        vals = np.round(np.divide(num, den, out=np.zeros(n), where=den > 0), 3).tolist()
        return [v if d else None for v, d in zip(vals, den.tolist(), strict=True)]

    return _MANY[Habits]([
        {"skip_rate": sk, "completion_rate": dn, "shuffle_share": sh,
         "repeat_track": nm if h else None, "repeat_artist": b if h else None,
         "repeat_plays": pl, "repeat_date": rd if h else None}
        for sk, dn, sh, h, nm, b, pl, rd in zip(
            rates(x.skip), rates(x.done), rates(x.shuffle), has.tolist(), names, by, plays, rdates,
            strict=True,
        )
    ])  # fmt: skip


def _nostalgia(p: Prepared, x: ChunkArrays, n: int) -> list[Nostalgia]:
    decades = sorted(x.decade_ms)
    music_ms = x.ms_kind[:, 0]
    known = x.known_ms
    share = np.round(np.divide(known, music_ms, out=np.zeros(n), where=music_ms > 0), 3).tolist()
    my = x.median_year.tolist()
    if decades:
        mat = np.stack([x.decade_ms[d] for d in decades], axis=1)
        mins = _minutes(mat).tolist()
        top = np.where(known > 0, mat.argmax(axis=1), -1).tolist()  # ties -> earliest decade
        nz = (mat > 0).tolist()
    else:
        mins, top, nz = [[]] * n, [-1] * n, [[]] * n
    labels = [f"{d}s" for d in decades]
    return _MANY[Nostalgia]([
        {
            "minutes_by_decade": {lb: m for lb, m, z in zip(labels, mrow, zrow, strict=True) if z},
            "known_share": sh, "median_release_year": y if y >= 0 else None,
            "listening_age": p.year - (y - 20) if y >= 0 else None,
            "top_decade": labels[t] if t >= 0 else None,
        }
        for mrow, zrow, sh, y, t in zip(mins, nz, share, my, top, strict=True)
    ])  # fmt: skip


def _streaks(p: Prepared, st) -> tuple[list[dict], list[dict]]:
    names = p.spaces["artist"].names
    s_start = _dates(np.maximum(st.start, 0))
    s_end = _dates(np.maximum(st.start + st.days - 1, 0))
    a_start = _dates(np.maximum(st.artist_start, 0))
    a_end = _dates(np.maximum(st.artist_start + st.artist_days - 1, 0))
    a_name = names[np.maximum(st.artist, 0)].tolist() if len(names) else [None] * p.n_users
    mk = _MANY[Streak]
    s = mk(
        [
            {"days": d, "start": a if d else None, "end": b if d else None, "artist": None}
            for d, a, b in zip(st.days.tolist(), s_start, s_end, strict=True)
        ]
    )
    a = mk(
        [
            {
                "days": d,
                "start": x if d else None,
                "end": y if d else None,
                "artist": nm if d else None,
            }
            for d, x, y, nm in zip(st.artist_days.tolist(), a_start, a_end, a_name, strict=True)
        ]
    )
    return s, a


def compute_user_years(
    events: pd.DataFrame,
    *,
    profiles: pd.DataFrame | None = None,
    catalog: pd.DataFrame | None = None,
    settings: Settings,
    validate: bool = False,
) -> list[UserYear]:
    """One `UserYear` per listener with any events, sorted by user id.

    Window, year, time zones, top_k, log_cap, max_days and eligibility thresholds come from
    `settings`. Ineligible listeners are returned too (``eligible=False`` + reason).
    Models are built with `fastmodel` makers (the first of every chunk is validated strictly as
    a canary); ``validate=True`` validates every one (several times slower at batch scale).
    """
    out: list[UserYear] = []
    for chunk in iter_user_years(
        events, profiles=profiles, catalog=catalog, settings=settings, validate=validate
    ):
        out.extend(chunk)
    return out


def iter_user_years(
    events: pd.DataFrame,
    *,
    profiles: pd.DataFrame | None = None,
    catalog: pd.DataFrame | None = None,
    settings: Settings,
    validate: bool = False,
    chunk_events: int = CHUNK_EVENTS,
    workers: int | None = None,
) -> Iterator[list[UserYear]]:
    """The same UserYears as `compute_user_years`, yielded in chunks of whole listeners.

    For batch runs: the input is localized and factorized once, then aggregated ~`chunk_events`
    window events at a time, so memory holds a few chunks of models, not 100,000 listeners'.
    Results are identical to the unchunked computation (population shares are global).

    ``workers`` (default ``settings.stats_workers``) > 1 uses that many processes: forked
    helpers compute the array half of the next chunks while this process makes the models of
    the current one (see `parallel`); the models are always made here, in chunk order, so the
    output is the same as with one worker.
    """
    if len(events) == 0:
        return
    if workers is not None and workers != settings.stats_workers:
        settings = settings.model_copy(update={"stats_workers": workers})  # prepare reads it
    unfreeze = gc.get_freeze_count() == 0  # leave a caller's own frozen set alone
    with gc_paused():
        whole = prepare(events, profiles=profiles, catalog=catalog, settings=settings)
        helpers = helpers_for(settings.stats_workers)
        chunks: Generator[tuple[Prepared, ChunkArrays | None], None, None]
        first: tuple[Prepared, ChunkArrays | None] | None
        if helpers:  # fork with the GC off, every object of the input shared with the helpers
            chunks = iter_chunks(whole, chunk_events, settings, helpers)
            first = next(chunks)  # the helpers start now, from the prepared arrays
        else:
            chunks = ((p, None) for p in split_by_users(whole, chunk_events))
            first = next(chunks)
    del whole  # the chunks keep what they need
    try:
        while first is not None:
            p, arrays = first
            first = None
            out = [_chunk(p, settings, validate, arrays)]
            del p, arrays  # the chunk's arrays go before the caller gets the models
            # handed over without a reference kept here: the chunk is freed when the caller
            # drops it, not when the next one is asked for
            yield out.pop()
            first = next(chunks, None)
    finally:
        chunks.close()
        if unfreeze:
            gc.unfreeze()


def _chunk(
    p: Prepared, settings: Settings, validate: bool, arrays: ChunkArrays | None
) -> list[UserYear]:
    """The UserYears of one chunk; its objects are frozen for the GC (see `gc_paused`)."""
    with gc_paused(freeze=True):
        out = build_dicts(p, settings, arrays)
        if validate:  # every listener, strictly, from plain data
            out = _LIST.validate_python([u.model_dump() for u in out], strict=True)
        elif out:
            canary = UserYear.model_validate(out[0].model_dump(), strict=True)
            if canary != out[0]:
                raise AssertionError(
                    "stats builder produced a value that strict validation changes"
                )
    return out


@contextmanager
def gc_paused(freeze: bool = False) -> Iterator[None]:
    """Pause the cyclic GC while millions of small, acyclic objects are created.

    Without this, CPython re-scans the ever-growing heap on every allocation burst: building
    100,000 UserYears took ~4x longer. Nothing here creates reference cycles.
    ``freeze=True`` also moves everything alive to the GC's permanent generation on the way out
    (`gc.freeze`, O(1)): otherwise the first allocation after re-enabling triggers a collection
    that traverses the whole new chunk (~1 million objects, ~7% of the stats time). Frozen
    objects are still freed by reference counting when the caller drops them;
    `iter_user_years` unfreezes when it ends.
    """
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if freeze:
            gc.freeze()
        if was:
            gc.enable()
