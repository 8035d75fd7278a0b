"""Properties (hypothesis) on random listening: sums, orderings, facts that recompute."""

from __future__ import annotations

from collections import defaultdict

import pandas as pd
from _stats_helpers import catalog, events, profiles, recompute_facts, settings
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from wrapped.stats import compute_user_years

ARTISTS = ["Ava", "Bo", "Cy", "ava", "Émile"]
ZONES = ["UTC", "America/New_York", "Asia/Kolkata", "Europe/London", "Pacific/Auckland"]
START = pd.Timestamp("2023-12-25", tz="UTC")


@st.composite
def listening(draw):
    n = draw(st.integers(1, 40))
    rows = []
    for _ in range(n):
        user = draw(st.sampled_from(["u1", "u2", "u3"]))
        kind = draw(st.sampled_from(["track", "track", "track", "episode", "audiobook"]))
        minutes = draw(st.integers(0, 60 * 24 * 330))  # minute offset from START
        ms = draw(st.sampled_from([0, 1, 29_999, 30_000, 60_000, 90_000, 180_000, 3_600_000]))
        artist = draw(st.sampled_from(ARTISTS))
        title = draw(st.sampled_from(["x", "y", "z"]))
        rows.append({
            "user_id": user, "ts": START + pd.Timedelta(minutes=minutes), "ms_played": ms,
            "kind": kind,
            "track": title if kind != "episode" else None,
            "artist": artist if kind != "episode" else None,
            "album": draw(st.sampled_from([None, "LP"])) if kind == "track" else None,
            "show": "Show " + artist if kind == "episode" else None,
            "episode": title if kind == "episode" else None,
            "skipped": draw(st.sampled_from([None, True, False])),
        })  # fmt: skip
    zones = {u: draw(st.sampled_from(ZONES)) for u in ("u1", "u2", "u3")}
    return rows, zones


CAT = catalog(tracks={(a, t): 1960 + 7 * i + j for i, a in enumerate(ARTISTS) for j, t in enumerate("xyz")},
              genres={a: g for a, g in zip(ARTISTS, ["pop", "rock", "pop", "jazz", "rock"], strict=True)})  # fmt: skip
FAST = hsettings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _run(rows, zones, **kw):
    prof = profiles(*({"user_id": u, "timezone": z} for u, z in zones.items()))
    base = {"year": 2024, "max_days": 9, "log_cap": 1000}
    base.update(kw)
    return compute_user_years(events(rows), profiles=prof, catalog=CAT, settings=settings(**base))


def _key(r):
    return (-r.ms, -r.plays, r.name, r.by or "")


@FAST
@given(listening())
def test_months_and_hours_sum_to_the_total(data) -> None:
    rows, zones = data
    for u in _run(rows, zones, full_year=True):
        assert sum(m.ms for m in u.months) == u.totals.all.ms
        assert sum(m.plays for m in u.months) == u.totals.all.plays == sum(u.clock.plays_by_hour)
        assert u.totals.all.ms == u.totals.music.ms + u.totals.podcast.ms + u.totals.audiobook.ms
        assert sum(u.clock.plays_by_weekday) == u.totals.all.plays


@FAST
@given(listening())
def test_top_lists_sorted_without_arbitrary_ties(data) -> None:
    rows, zones = data
    for u in _run(rows, zones, top_k=3):
        for lst in (
            u.top_artists,
            u.top_tracks,
            u.top_albums,
            u.top_genres,
            u.top_podcasts,
            u.top_episodes,
        ):
            keys = [_key(r) for r in lst]
            assert keys == sorted(keys) and len(set(keys)) == len(keys)
            assert [r.rank for r in lst] == list(range(1, len(lst) + 1))
            assert all(r.minutes == (r.ms + 30_000) // 60_000 for r in lst)
        # brute force: the top-3 artists are the best 3 of all artists
        agg = defaultdict(lambda: [0, 0])
        for r in rows:
            if r["user_id"] == u.user_id and r["kind"] == "track":
                ts = r["ts"].tz_convert(u.timezone)
                if ts.year == 2024 and (ts.month, ts.day) <= (11, 15):
                    agg[r["artist"]][0] += r["ms_played"]
                    agg[r["artist"]][1] += 1
        want = sorted(agg, key=lambda a: (-agg[a][0], -agg[a][1], a))[:3]
        assert [r.name for r in u.top_artists] == want


@FAST
@given(listening())
def test_every_interesting_day_fact_recomputes_from_its_log(data) -> None:
    rows, zones = data
    for u in _run(rows, zones):
        dates = [d.date for d in u.days]
        assert len(dates) == len(set(dates)) <= 9
        for d in u.days:
            assert d.facts == recompute_facts(d, u)
            assert u.window.start <= d.date <= u.window.end
