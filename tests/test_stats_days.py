"""Every interesting-day category, by hand, plus the priority order and the day cap."""

from __future__ import annotations

from datetime import date

import pytest
from _stats_helpers import catalog, episode, events, play, profiles, recompute_facts, settings

from wrapped.stats import compute_user_years
from wrapped.stats.model import UserYear

ROWS = [
    # history: Regular and Vintage are known before 2024
    play("bo", "2023-06-01T12:00", 100_000, artist="Regular", track="Old Fav"),
    play("bo", "2023-06-01T13:00", 100_000, artist="Vintage", track="Oldie"),
    # D1 New Year's Day
    play("bo", "2024-01-01T10:00", 60_000, artist="Regular", track="R1"),
    # D2 biggest music day: 10 x 5 min of Regular
    *[
        play("bo", f"2024-03-01T{10 + i:02d}:00", 300_000, artist="Regular", track="R1")
        for i in range(10)
    ],
    # D3 second-best Regular day
    play("bo", "2024-03-02T10:00", 200_000, artist="Regular", track="R2"),
    play("bo", "2024-03-02T11:00", 200_000, artist="Regular", track="R2"),
    # D4 discovery: three new artists
    *[
        play("bo", f"2024-04-01T1{i}:00", 100_000, artist=f"New{i}", track=f"N{i}")
        for i in (1, 2, 3)
    ],
    # D5 birthday
    play("bo", "2024-05-01T10:00", 50_000, artist="Regular", track="R1"),
    # D6 podcast
    episode("bo", "2024-06-01T08:00", 1_200_000, show="Talk", ep="Ep 9"),
    # D7 another soul artist (genre day)
    play("bo", "2024-07-01T10:00", 100_000, artist="Soulmate", track="S1"),
    # D8 nostalgia (1980)
    play("bo", "2024-08-01T10:00", 150_000, artist="Vintage", track="Oldie"),
    # D9 unusual: 3 plays of Vintage only (released 2020: not nostalgic)
    *[
        play("bo", f"2024-09-01T1{i}:00", 10_000, artist="Vintage", track="Oldie2")
        for i in (1, 2, 3)
    ],
]
CAT = catalog(
    tracks={("Regular", "R1"): 2024, ("Regular", "R2"): 2024, ("Vintage", "Oldie"): 1980,
            ("Vintage", "Oldie2"): 2020, ("Soulmate", "S1"): 2023, ("New1", "N1"): 2024,
            ("New2", "N2"): 2024, ("New3", "N3"): 2024},
    genres={"Regular": "soul", "Soulmate": "soul;funk", "Vintage": "jazz", "New1": "pop",
            "New2": "pop", "New3": "pop"},
)  # fmt: skip
PROF = profiles({"user_id": "bo", "timezone": "UTC", "birth_date": "1990-05-01", "country": "US"})


@pytest.fixture(scope="module")
def bo() -> UserYear:
    (u,) = compute_user_years(
        events(ROWS), profiles=PROF, catalog=CAT, settings=settings(year=2024, max_days=9)
    )
    return u


def test_all_nine_categories_in_priority_order(bo: UserYear) -> None:
    assert [(d.category, d.date) for d in bo.days] == [
        ("biggest_music_day", date(2024, 3, 1)),
        ("birthday", date(2024, 5, 1)),
        ("biggest_podcast_day", date(2024, 6, 1)),
        ("biggest_discovery_day", date(2024, 4, 1)),
        ("biggest_top_artist_day", date(2024, 3, 2)),  # 1 March is taken: next best
        ("biggest_top_genre_day", date(2024, 7, 1)),  # soul: 1 Mar, 2 Mar, 1 May taken
        ("most_nostalgic_day", date(2024, 8, 1)),
        ("most_unusual_day", date(2024, 9, 1)),
        ("new_years_day", date(2024, 1, 1)),
    ]


def test_default_cap_keeps_the_first_five(bo: UserYear) -> None:
    (u,) = compute_user_years(
        events(ROWS), profiles=PROF, catalog=CAT, settings=settings(year=2024)
    )
    assert [d.category for d in u.days] == [d.category for d in bo.days[:5]]
    assert len({d.date for d in u.days}) == 5


def test_biggest_music_day(bo: UserYear) -> None:
    d = bo.day("2024-03-01")
    assert (
        d.facts["music_minutes"] == 50
        and d.facts["plays"] == 10
        and d.facts["top_track_plays"] == 10
    )
    # music days: 60k, 3M, 400k, 300k, 50k, 100k, 150k, 30k -> mean 511,250 ms
    assert d.strength == round(3_000_000 / 511_250, 2)
    assert d.headline == "Your biggest music day: 50 minutes of music."
    assert d.weekday == "Friday" and d.log_total == 10 and len(d.log) == 10


def test_birthday(bo: UserYear) -> None:
    d = bo.day("2024-05-01")
    assert d.facts["age"] == 34 and d.facts["minutes"] == 1 and d.facts["top_artist"] == "Regular"
    assert d.headline == "Your birthday: 1 minute of listening."


def test_biggest_podcast_day(bo: UserYear) -> None:
    d = bo.day("2024-06-01")
    assert (d.facts["podcast_minutes"], d.facts["top_show"], d.facts["top_show_minutes"]) == (
        20,
        "Talk",
        20,
    )
    assert "top_artist" not in d.facts and d.strength == 1.0


def test_biggest_discovery_day(bo: UserYear) -> None:
    d = bo.day("2024-04-01")
    assert d.facts["new_artists"] == 3 and d.facts["top_new_artist"] == "New1"  # tie -> name
    assert d.headline == "You played 3 artists for the first time."
    assert [e.new_artist for e in d.log] == [True, True, True]
    assert bo.discovery.new_artists == 4 and bo.discovery.new_artist_share == 0.667  # + Soulmate


def test_biggest_top_artist_day(bo: UserYear) -> None:
    d = bo.day("2024-03-02")
    assert bo.top_artists[0].name == "Regular"
    assert (d.facts["year_top_artist"], d.facts["year_top_artist_minutes"], d.facts["year_top_artist_plays"]) == (
        "Regular", 7, 2)  # fmt: skip


def test_biggest_top_genre_day(bo: UserYear) -> None:
    d = bo.day("2024-07-01")
    assert bo.top_genres[0].name == "soul"
    assert (d.facts["year_top_genre"], d.facts["year_top_genre_minutes"], d.facts["year_top_genre_plays"]) == (
        "soul", 2, 1)  # fmt: skip
    assert d.log[0].genre == "soul"


def test_most_nostalgic_day(bo: UserYear) -> None:
    d = bo.day("2024-08-01")
    assert d.facts["throwback_minutes"] == 3 and d.facts["throwback_cutoff_year"] == 2014
    assert (d.facts["oldest_track"], d.facts["oldest_track_artist"], d.facts["oldest_release_year"]) == (
        "Oldie", "Vintage", 1980)  # fmt: skip
    assert d.headline == "Your most nostalgic day: 3 minutes of music released in 2014 or earlier."


def test_most_unusual_day(bo: UserYear) -> None:
    d = bo.day("2024-09-01")
    # the day is 100% Vintage; over the year Vintage has 180k of 4,090,000 music ms
    assert d.strength == round(1 - 180_000 / 4_090_000, 2)
    assert d.facts["music_plays"] == 3 and d.facts["top_artist"] == "Vintage"


def test_new_years_day(bo: UserYear) -> None:
    d = bo.day("2024-01-01")
    assert d.facts == {
        "minutes": 1, "plays": 1, "music_minutes": 1, "music_plays": 1, "distinct_artists": 1,
        "top_artist": "Regular", "top_artist_minutes": 1, "top_artist_plays": 1, "top_track": "R1",
        "top_track_artist": "Regular", "top_track_plays": 1, "first_play": "10:00", "last_play": "10:00",
    }  # fmt: skip


def test_every_fact_recomputes_from_the_days_log(bo: UserYear) -> None:
    for d in bo.days:
        assert d.facts == recompute_facts(d, bo), d.category


def test_no_history_means_no_discovery_day() -> None:
    rows = [r for r in ROWS if not str(r["ts"]).startswith("2023")]
    (u,) = compute_user_years(
        events(rows), profiles=PROF, catalog=CAT, settings=settings(year=2024, max_days=9)
    )
    assert "biggest_discovery_day" not in [d.category for d in u.days]
    assert u.discovery.has_history is False and u.discovery.new_artists is None
    assert all(e.new_artist is None for d in u.days for e in d.log)


def test_birthday_on_29_february_in_a_common_year() -> None:
    rows = [play("leap", "2023-02-28T12:00", 60_000), play("leap", "2023-03-01T12:00", 600_000)]
    prof = profiles({"user_id": "leap", "birth_date": "2000-02-29"})
    (u,) = compute_user_years(events(rows), profiles=prof, settings=settings(year=2023, max_days=9))
    assert ("birthday", date(2023, 2, 28)) in [(d.category, d.date) for d in u.days]
