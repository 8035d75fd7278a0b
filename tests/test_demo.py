"""The demo generator: canonical data at any size, and the bundled sample in real formats."""

from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo

import pandas as pd
import pytest

from wrapped.demo import generate_canonical, write_sample
from wrapped.demo.sample import HARD_TITLES, PERSONAS
from wrapped.events import CATALOG_DTYPES, EVENT_COLUMNS, PROFILE_DTYPES, conform
from wrapped.ingest import ingest, pseudonymize
from wrapped.settings import Settings


@pytest.fixture(scope="module")
def demo():
    return generate_canonical(60_000, 300, year=2024, seed=7)


def test_canonical_shape_and_dtypes(demo) -> None:
    ev = demo.events
    assert len(ev) == 60_000 and ev["user_id"].nunique() == 300
    assert ev.columns.tolist() == EVENT_COLUMNS
    pd.testing.assert_frame_equal(conform(ev), ev)  # already canonical: conform changes nothing
    assert str(ev["ts"].dt.tz) == "UTC" and (ev["ms_played"] >= 0).all()
    assert set(ev["kind"]) == {"track", "episode", "audiobook"}
    assert ev["user_id"].str.fullmatch(r"u_[0-9a-f]{16}").all()
    assert demo.profiles.dtypes.astype(str).to_dict() == {
        c: str(pd.Series(dtype=t).dtype) for c, t in PROFILE_DTYPES.items()
    }
    assert demo.catalog.columns.tolist() == list(CATALOG_DTYPES)
    assert set(demo.profiles["user_id"]) == set(ev["user_id"])
    # every played artist has genres in the catalog; release years exist for nostalgia
    assert set(ev["artist"].dropna()) <= set(demo.catalog["artist"])
    assert demo.catalog["release_year"].dropna().between(1960, 2024).all()
    assert {ZoneInfo(z).key for z in demo.profiles["timezone"]} == set(demo.profiles["timezone"])


def test_realistic_shape(demo) -> None:
    ev = demo.events
    tracks = ev[ev["kind"] == "track"]
    plays = tracks["artist"].value_counts()
    # long tail: the top 10% of artists hold most plays, but no artist dominates
    top = plays.iloc[: max(1, len(plays) // 10)].sum() / plays.sum()
    assert 0.4 < top < 0.95 and plays.iloc[0] / plays.sum() < 0.1
    assert 0.05 < tracks["skipped"].mean() < 0.5 and 0.1 < tracks["shuffle"].mean() < 0.9
    assert (
        ev["ts"] < pd.Timestamp("2024-01-01", tz="UTC")
    ).mean() > 0.02  # history before the year
    assert demo.profiles["country"].nunique() >= 8 and set(demo.profiles["tier"]) == {
        "free",
        "premium",
    }
    # daily rhythm: local 03:00-05:00 is quieter than 17:00-20:00
    tz = demo.profiles.set_index("user_id")["timezone"]
    local_hour = pd.Series(
        [
            t.tz_convert(tz[u]).hour
            for t, u in zip(ev["ts"].iloc[:5000], ev["user_id"].iloc[:5000], strict=True)
        ]
    )
    assert local_hour.between(3, 4).mean() < local_hour.between(17, 20).mean() / 3


def test_deterministic_for_a_seed() -> None:
    a, b = generate_canonical(5_000, 40, seed=1), generate_canonical(5_000, 40, seed=1)
    pd.testing.assert_frame_equal(a.events, b.events)
    assert not generate_canonical(5_000, 40, seed=2).events["ts"].equals(a.events["ts"])


def test_scales_vectorized() -> None:
    import time

    t = time.perf_counter()
    d = generate_canonical(1_000_000, 10_000, seed=0)
    assert len(d.events) == 1_000_000
    assert time.perf_counter() - t < 30  # 10M/100k takes ~20 s on this machine


@pytest.fixture(scope="module")
def sample(sample_dir: Path):
    return ingest([sample_dir], settings=Settings())


def _uid(account: str) -> str:
    return pseudonymize(account, Settings().salt)


def test_sample_ingests_whole_with_every_listener(sample) -> None:
    rep = sample.report
    assert rep.adds_up() and rep.users == len(PERSONAS) and rep.profiles == len(PERSONAS)
    assert {f.format for f in rep.files} == {
        "spotify_extended",
        "spotify_account",
        "listenbrainz",
        "lastfm_csv",
    }
    assert rep.catalog_rows > 0 and rep.dropped_by_reason == {"incognito_mode": 3}


def test_sample_has_the_hard_cases(sample) -> None:
    ev = sample.events
    window = ev[
        (ev["ts"] >= pd.Timestamp("2024-01-01", tz="UTC"))
        & (ev["ts"] < pd.Timestamp("2024-11-16", tz="UTC"))
    ]
    per_user = window.groupby("user_id").agg(plays=("ms_played", "size"), ms=("ms_played", "sum"))
    assert (ev["user_id"] == _uid("quinn.three")).sum() == 3
    eligible = per_user[(per_user["plays"] >= 20) & (per_user["ms"] >= 60 * 60_000)]
    assert len(eligible) >= len(PERSONAS) - 1
    pete = ev[ev["user_id"] == _uid("podcast.pete")]
    assert set(pete["kind"]) == {"episode"}
    titles = set(ev["track"].dropna())
    assert set(HARD_TITLES) <= titles
    assert any(not t.isascii() for t in titles)
    # New Year's Eve across local midnight in Auckland: still 31 December in UTC.
    kiwi = ev[ev["user_id"] == _uid("kiwi.nye")]
    local = kiwi["ts"].dt.tz_convert("Pacific/Auckland")
    after_midnight = kiwi[
        (local.dt.month == 1) & (local.dt.day == 1) & (local.dt.year == 2024) & (local.dt.hour < 3)
    ]
    before_midnight = kiwi[
        (local.dt.month == 12)
        & (local.dt.day == 31)
        & (local.dt.year == 2023)
        & (local.dt.hour == 23)
    ]
    assert len(after_midnight) >= 5 and len(before_midnight) >= 5
    assert (after_midnight["ts"].dt.year == 2023).all()


def test_write_sample_is_deterministic(tmp_path: Path) -> None:
    a, b = (
        write_sample(tmp_path / "a", n_listeners=4, seed=3),
        write_sample(tmp_path / "b", n_listeners=4, seed=3),
    )
    files_a = sorted(p.relative_to(a) for p in a.rglob("*") if p.is_file())
    assert files_a == sorted(p.relative_to(b) for p in b.rglob("*") if p.is_file())
    assert all((a / f).read_bytes() == (b / f).read_bytes() for f in files_a)
    r = ingest([a], settings=Settings())
    assert r.report.users == 4 and r.report.adds_up()
