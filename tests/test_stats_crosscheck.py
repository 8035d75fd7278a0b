"""Independent check: DuckDB SQL computes the core aggregates and must agree EXACTLY.

DuckDB converts the timestamps to each listener's zone itself, so day cutting is checked too.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from _stats_helpers import events, play, profiles, settings

from wrapped.stats import compute_user_years
from wrapped.stats.aggregates import core
from wrapped.stats.model import ms_to_minutes
from wrapped.stats.prepare import prepare
from wrapped.stats.sqlcheck import CoreFrames, duckdb_core, duckdb_query, pandas_core, zones_frame

pytest.importorskip("duckdb")
#: the by-plays rankings, written independently: more plays first, then more ms, then name
_ARTISTS_BY_PLAYS = """SELECT user_id, name, plays, ms FROM (
  SELECT user_id, artist AS name, COUNT(*) AS plays, SUM(ms) AS ms,
         ROW_NUMBER() OVER (PARTITION BY user_id ORDER BY COUNT(*) DESC, SUM(ms) DESC, artist) AS r
  FROM w WHERE kind = 'track' AND artist IS NOT NULL GROUP BY user_id, artist
) WHERE r <= $k ORDER BY user_id, r"""
_TRACKS_BY_PLAYS = """SELECT user_id, name, "by", plays FROM (
  SELECT user_id, track AS name, artist AS "by", COUNT(*) AS plays,
         ROW_NUMBER() OVER (PARTITION BY user_id
                            ORDER BY COUNT(*) DESC, SUM(ms) DESC, track, artist) AS r
  FROM w WHERE kind = 'track' AND artist IS NOT NULL AND track IS NOT NULL
  GROUP BY user_id, artist, track
) WHERE r <= $k ORDER BY user_id, r"""
SAMPLE = Path(__file__).resolve().parent.parent / "data" / "sample"


def _check(ev: pd.DataFrame, prof: pd.DataFrame | None, cat: pd.DataFrame | None, s) -> CoreFrames:
    p = prepare(ev, profiles=prof, catalog=cat, settings=s)
    ours = pandas_core(p, core(p), s.top_k)
    ref = duckdb_core(ev, zones_frame(p), p.start, p.end, s.top_k)
    for name, a, b in zip(ours._fields, ours, ref, strict=True):
        pd.testing.assert_frame_equal(a, b, check_exact=True, obj=name)
    assert len(ref.days) > 0
    # and the public UserYears carry exactly the same numbers
    years = {u.user_id: u for u in compute_user_years(ev, profiles=prof, catalog=cat, settings=s)}
    zones = zones_frame(p)
    ap = duckdb_query(ev, zones, p.start, p.end, _ARTISTS_BY_PLAYS, k=s.top_k)
    tp = duckdb_query(ev, zones, p.start, p.end, _TRACKS_BY_PLAYS, k=s.top_k)
    tot = ref.totals.set_index(["user_id", "kind"])
    for uid, u in years.items():
        for kind, amt in (
            ("track", u.totals.music),
            ("episode", u.totals.podcast),
            ("audiobook", u.totals.audiobook),
        ):
            row = tot.loc[(uid, kind)] if (uid, kind) in tot.index else None
            assert (amt.plays, amt.ms) == ((0, 0) if row is None else (row["plays"], row["ms"]))
        ta = ref.top_artists[ref.top_artists.user_id == uid]
        assert [(r.name, r.plays, r.ms) for r in u.top_artists] == list(
            zip(ta["name"], ta["plays"], ta["ms"], strict=True)
        )
        tt = ref.top_tracks[ref.top_tracks.user_id == uid]
        assert [(r.name, r.by, r.ms) for r in u.top_tracks] == list(
            zip(tt["name"], tt["by"], tt["ms"], strict=True)
        )
        a = ap[ap.user_id == uid]
        assert [(r.rank, r.name, r.plays, r.ms) for r in u.top_artists_by_plays] == list(
            zip(range(1, len(a) + 1), a["name"], a["plays"], a["ms"], strict=True)
        )
        t = tp[tp.user_id == uid]
        assert [(r.name, r.by, r.plays) for r in u.top_tracks_by_plays] == list(
            zip(t["name"], t["by"], t["plays"], strict=True)
        )
        days = ref.days[ref.days.user_id == uid].set_index("day")
        assert u.totals.listening_days == len(days)
        for d in u.days:
            assert (d.facts["plays"], d.facts["minutes"]) == (
                days.loc[d.date, "plays"],
                ms_to_minutes(days.loc[d.date, "ms"]),
            )
    return ref


def test_bundled_sample_agrees_with_duckdb() -> None:
    if not (SAMPLE.is_dir() and any(SAMPLE.iterdir())):
        pytest.skip("data/sample is not there yet")
    from wrapped.ingest import ingest

    r = ingest([SAMPLE], settings=settings())
    ref = _check(r.events, r.profiles, r.catalog, settings())
    assert ref.totals.user_id.nunique() >= 20


def test_generated_data_agrees_with_duckdb() -> None:
    from wrapped.demo import generate_canonical

    d = generate_canonical(30_000, 300, seed=7)
    _check(d.events, d.profiles, d.catalog, settings())
    _check(
        d.events, d.profiles, d.catalog, settings(full_year=True, top_k=3, tz="America/Los_Angeles")
    )


def test_time_zone_edges_agree_with_duckdb() -> None:
    rows = [
        play("uk", "2024-03-31T00:30", 60_000, artist="A"),
        play("uk", "2024-03-31T23:30", 60_000, artist="B"),
        play("uk", "2024-10-27T00:59", 60_000, artist="B"),
        play("uk", "2024-10-27T01:05", 60_000, artist="A"),
        play("ny", "2024-03-10T04:30", 60_000, artist="A"),
        play("ny", "2024-01-01T04:30", 60_000, artist="A"),
        play("nz", "2024-11-15T12:30", 60_000, artist="C"),  # 16 Nov 01:30 NZDT: outside
        play("nz", "2023-12-31T11:30", 60_000, artist="C"),  # 1 Jan 00:30 NZDT: inside
    ]
    prof = profiles(
        {"user_id": "uk", "timezone": "Europe/London"},
        {"user_id": "ny", "timezone": "America/New_York"},
        {"user_id": "nz", "country": "NZ"},
    )
    ref = _check(events(rows), prof, None, settings(year=2024))
    assert ref.totals.set_index("user_id").loc["nz", "plays"] == 1


def test_chunked_batch_path_gives_identical_user_years() -> None:
    """`iter_user_years` (bounded memory) must equal the one-shot computation, listener by listener."""
    from wrapped.demo import generate_canonical
    from wrapped.stats.build import iter_user_years

    d = generate_canonical(20_000, 200, seed=3)
    s = settings(min_plays=20, min_minutes=60)
    whole = compute_user_years(d.events, profiles=d.profiles, catalog=d.catalog, settings=s)
    chunks = list(
        iter_user_years(
            d.events, profiles=d.profiles, catalog=d.catalog, settings=s, chunk_events=2_000
        )
    )
    assert len(chunks) > 5
    flat = [u for c in chunks for u in c]
    assert [u.user_id for u in flat] == [u.user_id for u in whole]
    assert [u.model_dump() for u in flat] == [u.model_dump() for u in whole]
    assert whole[0].personality.axes[3].name == "taste"  # population-relative, still equal
