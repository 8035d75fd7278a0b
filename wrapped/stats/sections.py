"""The sections of a `UserYear` (totals, top lists, clock, habits, days, ...) for a chunk.

Each function takes numbers already computed for every listener of a chunk (`ChunkArrays`, see
`summary`) and returns the section's models, made bottom-up with `fastmodel` makers: values are
already exact Python types and nested values already models (see fastmodel for how this is
checked). Only names are looked up here; `build.build_dicts` puts the sections together.
Activity band: mean minutes per window day < 15 light, < 60 regular, else heavy.
Age band: age on the window's last day.
"""

from __future__ import annotations

from datetime import date

import numpy as np

from wrapped.stats.day_facts import day_details
from wrapped.stats.days import CATEGORIES
from wrapped.stats.fastmodel import leaf, many
from wrapped.stats.keys import KeySpace
from wrapped.stats.model import MONTHS as MODEL_MONTHS
from wrapped.stats.model import (
    WEEKDAYS,
    Amount,
    Clock,
    Cohort,
    Discovery,
    Habits,
    InterestingDay,
    Month,
    Nostalgia,
    PeakMonth,
    Ranked,
    Streak,
    Totals,
    UserYear,
    Window,
)
from wrapped.stats.prepare import Prepared
from wrapped.stats.streaks import Streaks
from wrapped.stats.summary import ChunkArrays, Top

MONTHS = ("", *MODEL_MONTHS)  # indexed by month number
PARTS = (("morning", range(5, 12)), ("afternoon", range(12, 17)), ("evening", range(17, 22)),
         ("night", (22, 23, 0, 1, 2, 3, 4)))  # fmt: skip
AGE_BANDS = ((18, "under 18"), (25, "18-24"), (35, "25-34"), (45, "35-44"), (55, "45-54"),
             (65, "55-64"), (10**6, "65+"))  # fmt: skip
#: a `leaf` maker for each model made one at a time ...
MK = {cls: leaf(cls) for cls in (Discovery, Window)}
#: ... and the bulk versions (`fastmodel.many`), used for every list of models
MANY = {cls: many(cls) for cls in (Amount, Discovery, Clock, Streak, Habits, Nostalgia, Cohort,
                                    Totals, InterestingDay, UserYear, Ranked, Month, PeakMonth)}  # fmt: skip


def ranked(t: Top, space: KeySpace, n: int) -> list[list[Ranked]]:
    """One top list per listener, its rows named from `space`."""
    names = space.names[t.item].tolist()
    by = space.by[t.item].tolist() if space.by is not None else [None] * len(t.item)
    rows = MANY[Ranked](
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


def peak_months(x: ChunkArrays, artist_names: np.ndarray) -> tuple[list[PeakMonth], list[int]]:
    """Every top artist's peak month, and where each listener's rows start and end."""
    rows = MANY[PeakMonth](
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
    return rows, np.r_[0, np.cumsum(x.peak_count)].tolist()


def interesting_days(
    p: Prepared, x: ChunkArrays, log_cap: int
) -> tuple[list[InterestingDay], list[int]]:
    """Every chosen day as a model, and where each listener's days start and end."""
    ch = x.chosen
    dd = day_details(p, ch, x.days)
    day_bounds = np.r_[0, np.cumsum(np.bincount(ch.user, minlength=p.n_users))].tolist()
    ch_day = dates(ch.day)
    ch_cat = [CATEGORIES[i] for i in ch.cat.tolist()]
    ch_wd = [WEEKDAYS[d.weekday()] for d in ch_day]
    ch_strength = ch.strength.tolist()
    days_all = MANY[InterestingDay]([
        {"date": dte, "weekday": wd, "category": cat, "strength": stg, "headline": hl, "facts": fa,
         "log": lg, "log_total": lt, "log_cap": log_cap}
        for dte, wd, cat, stg, hl, fa, lg, lt in zip(
            ch_day, ch_wd, ch_cat, ch_strength, dd.headlines, dd.facts, dd.logs, dd.log_total, strict=True
        )
    ])  # fmt: skip
    return days_all, day_bounds


def totals(
    x: ChunkArrays, all_plays_l: list[int], all_ms_l: list[int], d_artists: list[int]
) -> list[Totals]:
    """Plays and minutes (all and per kind), distinct counts, listening days, estimated share."""
    mk_amount = MANY[Amount]
    amounts = [
        mk_amount([{"plays": pl, "ms": m_, "minutes": (m_ + 30_000) // 60_000}
                   for pl, m_ in zip(plays_col, ms_col, strict=True)])
        for plays_col, ms_col in (
            (all_plays_l, all_ms_l),
            *((x.plays_kind[:, j].tolist(), x.ms_kind[:, j].tolist()) for j in range(3)),
        )
    ]  # fmt: skip
    d = x.distinct
    return MANY[Totals]([
        {"all": a0, "music": a1, "podcast": a2, "audiobook": a3, "distinct_tracks": dt,
         "distinct_artists": da, "distinct_albums": dal, "distinct_shows": ds, "distinct_episodes": de,
         "listening_days": ld, "minutes_estimated": max(round(ep / pl, 3), 0.001) if ep else 0.0}
        for a0, a1, a2, a3, dt, da, dal, ds, de, ld, ep, pl in zip(
            *amounts, d["track"].tolist(), d_artists, d["album"].tolist(), d["show"].tolist(),
            d["episode"].tolist(), x.listening_days.tolist(), x.estimated_plays.tolist(),
            all_plays_l, strict=True)
    ])  # fmt: skip


def discoveries(
    x: ChunkArrays, artist_names: np.ndarray, has_hist: list[bool], new_per_user: list[int],
    d_artists: list[int],
) -> list[Discovery]:  # fmt: skip
    """New artists of listeners with history before the window; the same empty one for others."""
    n = len(has_hist)
    top_new = [None if j < 0 else artist_names[j] for j in x.top_new_artist.tolist()]
    disc_none = MK[Discovery]({"has_history": False, "new_artists": None, "new_artist_share": None,
                               "top_new_artist": None})  # fmt: skip
    hist_u = [u for u in range(n) if has_hist[u]]
    disc_hist = MANY[Discovery]([
        {"has_history": True, "new_artists": new_per_user[u],
         "new_artist_share": round(new_per_user[u] / d_artists[u], 3) if d_artists[u] else None,
         "top_new_artist": top_new[u]}
        for u in hist_u
    ])  # fmt: skip
    discs = [disc_none] * n
    for u, dsc in zip(hist_u, disc_hist, strict=True):
        discs[u] = dsc
    return discs


def months(x: ChunkArrays, artist_names: np.ndarray, last_month: int) -> list[Month]:
    """Months 1..`last_month` of every listener, listener after listener."""
    month_top = [None if j < 0 else artist_names[j] for j in x.month_top.tolist()]
    return MANY[Month]([
        {"month": i + 1, "name": MONTHS[i + 1], "plays": mp[i], "ms": mm[i],
         "minutes": (mm[i] + 30_000) // 60_000, "top_artist": month_top[u * 12 + i]}
        for u, (mm, mp) in enumerate(zip(x.month_ms.tolist(), x.month_plays.tolist(), strict=True))
        for i in range(last_month)
    ])  # fmt: skip


def cohorts(p: Prepared, top_genres: list[list[Ranked]], all_ms_l: list[int]) -> list[Cohort]:
    """Cohort keys: country, tier, age band, top genre, activity band, source format."""
    n_window_days = p.end_day - p.start_day + 1
    end = p.end
    return MANY[Cohort]([
        {"country": country, "tier": tier, "age_band": _age_band(bd, end),
         "top_genre": tg[0].name if tg else None,
         "activity_band": "light" if avg < 15 else ("regular" if avg < 60 else "heavy"),
         "source_format": fmt}
        for country, tier, bd, tg, avg, fmt in zip(
            p.countries, p.tiers, p.birth_dates, top_genres,
            (m_ / 60_000 / n_window_days for m_ in all_ms_l), p.source_formats, strict=True)
    ])  # fmt: skip


def ineligible_reasons(
    p: Prepared, all_plays_l: list[int], all_ms_l: list[int], min_plays: int, min_minutes: int
) -> list[str | None]:
    """Why each listener gets no story (None when eligible)."""
    span_txt = f"between {p.start.isoformat()} and {p.end.isoformat()}"
    return [
        _reason(pl, (ms_ + 30_000) // 60_000, span_txt, min_plays, min_minutes)
        for pl, ms_ in zip(all_plays_l, all_ms_l, strict=True)
    ]


def _age(b: date, on: date) -> int:
    return on.year - b.year - ((on.month, on.day) < (b.month, b.day))


def _age_band(b: date | None, on: date) -> str | None:
    if b is None:
        return None
    age = _age(b, on)
    return next(label for limit, label in AGE_BANDS if age < limit)


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


def dates(days: np.ndarray) -> list[date]:
    """Local day numbers -> datetime.date, vectorized."""
    out: list[date] = np.asarray(days, dtype=np.int64).astype("M8[D]").tolist()
    return out


def _minutes(ms: np.ndarray) -> np.ndarray:
    return (ms + 30_000) // 60_000


def clocks(x: ChunkArrays, n: int) -> list[Clock]:
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
    return MANY[Clock]([
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


def habits(p: Prepared, x: ChunkArrays, n: int) -> list[Habits]:
    T = p.spaces["track"]
    has = x.repeat_has
    trk = x.repeat_track
    names = T.names[trk].tolist() if len(T) else [None] * n
    by = T.by[trk].tolist() if len(T) and T.by is not None else [None] * n
    plays = x.repeat_plays.tolist()
    rdates = dates(x.repeat_day) if has.any() else [None] * n

    def rates(arr: np.ndarray) -> list[float | None]:
        num, den = arr[:, 0], arr[:, 1]
        vals = np.round(np.divide(num, den, out=np.zeros(n), where=den > 0), 3).tolist()
        return [v if d else None for v, d in zip(vals, den.tolist(), strict=True)]

    return MANY[Habits]([
        {"skip_rate": sk, "completion_rate": dn, "shuffle_share": sh,
         "repeat_track": nm if h else None, "repeat_artist": b if h else None,
         "repeat_plays": pl, "repeat_date": rd if h else None}
        for sk, dn, sh, h, nm, b, pl, rd in zip(
            rates(x.skip), rates(x.done), rates(x.shuffle), has.tolist(), names, by, plays, rdates,
            strict=True,
        )
    ])  # fmt: skip


def nostalgia(p: Prepared, x: ChunkArrays, n: int) -> list[Nostalgia]:
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
    return MANY[Nostalgia]([
        {
            "minutes_by_decade": {lb: m for lb, m, z in zip(labels, mrow, zrow, strict=True) if z},
            "known_share": sh, "median_release_year": y if y >= 0 else None,
            "listening_age": p.year - (y - 20) if y >= 0 else None,
            "top_decade": labels[t] if t >= 0 else None,
        }
        for mrow, zrow, sh, y, t in zip(mins, nz, share, my, top, strict=True)
    ])  # fmt: skip


def streaks(p: Prepared, st: Streaks) -> tuple[list[Streak], list[Streak]]:
    names = p.spaces["artist"].names
    s_start = dates(np.maximum(st.start, 0))
    s_end = dates(np.maximum(st.start + st.days - 1, 0))
    a_start = dates(np.maximum(st.artist_start, 0))
    a_end = dates(np.maximum(st.artist_start + st.artist_days - 1, 0))
    a_name = names[np.maximum(st.artist, 0)].tolist() if len(names) else [None] * p.n_users
    mk = MANY[Streak]
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
