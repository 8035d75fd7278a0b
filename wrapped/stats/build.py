"""Assemble one `UserYear` per listener from the vectorized aggregates, chunk by chunk.

All arithmetic happens over all listeners at once (see prepare/aggregates/streaks/days); this
module and `sections` only loop over LISTENERS to put already-computed numbers into models.
Eligibility is explicit: a listener needs at least ``settings.min_plays`` plays AND
``settings.min_minutes`` minutes (all kinds) in the window; otherwise ``eligible`` is False with
a one-line reason.
"""

from __future__ import annotations

import gc
from collections.abc import Generator, Iterator
from contextlib import contextmanager

import pandas as pd
from pydantic import TypeAdapter

from wrapped.settings import Settings
from wrapped.stats import sections as sec
from wrapped.stats.chunks import split_by_users
from wrapped.stats.model import UserYear, Window
from wrapped.stats.parallel import helpers_for, iter_chunks
from wrapped.stats.personality import personalities
from wrapped.stats.prepare import Prepared, day_to_date, prepare
from wrapped.stats.summary import TOP_LISTS, ChunkArrays, chunk_arrays
from wrapped.stats.tz import locale_for

_LIST = TypeAdapter(list[UserYear])
#: Listeners are aggregated about this many window events at a time (see `iter_user_years`).
#: Smaller chunks keep the numpy working set in cache: 250k was ~7% less CPU than 1M on the
#: 10M-event benchmark data, and holds fewer models at once.
CHUNK_EVENTS = 250_000


def build_dicts(
    p: Prepared, settings: Settings, arrays: ChunkArrays | None = None
) -> list[UserYear]:
    """The UserYear of every listener in `p`, built bottom-up with `fastmodel` makers.

    `arrays` is `chunk_arrays(p, settings)` (the numbers), computed here when not given; this
    function only looks names up and makes the models, one section at a time (`sections`).
    """
    n, k = p.n_users, settings.top_k
    x = chunk_arrays(p, settings) if arrays is None else arrays
    artist_names = p.spaces["artist"].names
    tops = {name: sec.ranked(x.tops[name], p.spaces[space], n) for name, space in TOP_LISTS}
    all_ms_l = x.ms_kind.sum(axis=1).tolist()
    all_plays_l = x.plays_kind.sum(axis=1).tolist()
    d_artists = x.distinct["artist"].tolist()
    new_per_user = x.new_artists.tolist()
    has_hist = p.has_history.tolist()

    days_all, day_bounds = sec.interesting_days(p, x, settings.log_cap)
    peak_rows, peak_bounds = sec.peak_months(x, artist_names)
    lm = day_to_date(p.end_day).month  # the window's last month
    months = sec.months(x, artist_names, lm)
    clocks = sec.clocks(x, n)
    habits = sec.habits(p, x, n)
    nostalgia = sec.nostalgia(p, x, n)
    streak_l, astreak_l = sec.streaks(p, x.streaks)
    window = sec.MK[Window]({"start": p.start, "end": p.end, "year": p.year})
    reasons = sec.ineligible_reasons(
        p, all_plays_l, all_ms_l, settings.min_plays, settings.min_minutes
    )
    totals = sec.totals(x, all_plays_l, all_ms_l, d_artists)
    discs = sec.discoveries(x, artist_names, has_hist, new_per_user, d_artists)
    pers = personalities(
        music_ms=x.ms_kind[:, 0].tolist(), podcast_ms=x.ms_kind[:, 1].tolist(), has_history=has_hist,
        distinct_artists=d_artists, new_artists=new_per_user, top_k=k, top_k_ms=x.top_k_ms.tolist(),
        known_ms=x.known_ms.tolist(), fresh_ms=x.new_ms.tolist(), year=p.year,
        popularity=x.popularity.tolist(),
    )  # fmt: skip
    tg_all = tops["top_genres"]
    cohorts = sec.cohorts(p, tg_all, all_ms_l)
    users = p.users.tolist()
    return sec.MANY[UserYear](
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
                "top_artists_by_plays": tops["top_artists_by_plays"][u],
                "top_tracks_by_plays": tops["top_tracks_by_plays"][u],
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
