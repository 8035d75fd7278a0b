"""Hand-computed expected values for every stat of the UserYear, on small fixtures."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
from _stats_helpers import by_user, catalog, episode, events, play, profiles, settings

from wrapped.stats import compute_user_years
from wrapped.stats.model import UserYear


@pytest.fixture(scope="module")
def ana() -> UserYear:
    """One listener, London (GMT in winter = UTC), with history, catalog and a birthday."""
    rows = [
        play("ana", "2023-12-10T12:00", 200_000, track="Old Song", artist="Zed"),
        play("ana", "2024-01-01T09:00", 180_000, track="Alpha", artist="Ana Band", album="First",
             reason_end="trackdone", skipped=False, shuffle=True),
        play("ana", "2024-01-01T09:05", 120_000, track="Beta", artist="Ana Band", album="First",
             reason_end="trackdone", shuffle=False),
        play("ana", "2024-01-02T20:00", 180_000, track="Alpha", artist="Ana Band", album="First",
             reason_end="fwdbtn", shuffle=True),
        play("ana", "2024-01-03T20:00", 240_000, track="Zed Song", artist="Zed",
             reason_end="trackdone", skipped=False),
        episode("ana", "2024-02-10T23:00", 1_800_000, show="Pod", ep="Ep 1"),
        play("ana", "2024-11-20T10:00", 100_000, track="Late", artist="X"),  # after the window
    ]  # fmt: skip
    prof = profiles(
        {"user_id": "ana", "country": "GB", "tier": "premium", "birth_date": "2000-01-02"}
    )
    cat = catalog(
        tracks={("Ana Band", "Alpha"): 2024, ("Ana Band", "Beta"): 2023, ("Zed", "Zed Song"): 1995},
        genres={"Ana Band": "indie;pop", "Zed": "rock"},
    )
    out = compute_user_years(
        events(rows),
        profiles=prof,
        catalog=cat,
        settings=settings(year=2024, min_plays=3, min_minutes=10),
    )
    assert len(out) == 1
    return out[0]


def test_identity_window_zone_locale(ana: UserYear) -> None:
    assert ana.user_id == "ana"
    assert (ana.window.start, ana.window.end, ana.window.year) == (
        date(2024, 1, 1),
        date(2024, 11, 15),
        2024,
    )
    assert (ana.timezone, ana.tz_source, ana.country, ana.locale) == (
        "Europe/London",
        "country",
        "GB",
        "en-GB",
    )
    assert ana.birth_date == date(2000, 1, 2)
    assert ana.eligible and ana.ineligible_reason is None


def test_totals(ana: UserYear) -> None:
    t = ana.totals
    assert (t.all.plays, t.all.ms, t.all.minutes) == (5, 2_520_000, 42)
    assert (t.music.plays, t.music.ms, t.music.minutes) == (4, 720_000, 12)
    assert (t.podcast.plays, t.podcast.ms, t.podcast.minutes) == (1, 1_800_000, 30)
    assert (t.audiobook.plays, t.audiobook.ms) == (0, 0)
    assert (t.distinct_tracks, t.distinct_artists, t.distinct_albums) == (3, 2, 1)
    assert (t.distinct_shows, t.distinct_episodes, t.listening_days) == (1, 1, 4)


def test_top_lists(ana: UserYear) -> None:
    assert [(r.rank, r.name, r.plays, r.ms, r.minutes) for r in ana.top_artists] == [
        (1, "Ana Band", 3, 480_000, 8),
        (2, "Zed", 1, 240_000, 4),
    ]
    assert [(r.name, r.by, r.plays, r.minutes) for r in ana.top_tracks] == [
        ("Alpha", "Ana Band", 2, 6),
        ("Zed Song", "Zed", 1, 4),
        ("Beta", "Ana Band", 1, 2),
    ]
    assert [(r.name, r.by, r.plays) for r in ana.top_albums] == [("First", "Ana Band", 3)]
    assert [(r.name, r.minutes) for r in ana.top_genres] == [("indie", 8), ("rock", 4)]
    assert [(r.name, r.minutes) for r in ana.top_podcasts] == [("Pod", 30)]
    assert [(r.name, r.by, r.minutes) for r in ana.top_episodes] == [("Ep 1", "Pod", 30)]


def test_discovery(ana: UserYear) -> None:
    d = ana.discovery
    assert (d.has_history, d.new_artists, d.new_artist_share, d.top_new_artist) == (
        True,
        1,
        0.5,
        "Ana Band",
    )


def test_clock(ana: UserYear) -> None:
    c = ana.clock
    assert c.minutes_by_hour[9] == 5 and c.minutes_by_hour[20] == 7 and c.minutes_by_hour[23] == 30
    assert sum(c.minutes_by_hour) == 42 and c.plays_by_hour[9] == 2 and sum(c.plays_by_hour) == 5
    # 2024-01-01 Monday, 01-02 Tuesday, 01-03 Wednesday, 02-10 Saturday
    assert c.minutes_by_weekday == [5, 3, 4, 0, 0, 30, 0]
    assert c.plays_by_weekday == [2, 1, 1, 0, 0, 1, 0]
    assert (c.peak_hour, c.busiest_weekday) == (23, "Saturday")
    assert c.minutes_by_part == {"morning": 5, "afternoon": 0, "evening": 7, "night": 30}
    assert c.top_part_of_day == "night"


def test_months_and_peaks(ana: UserYear) -> None:
    assert len(ana.months) == 11  # January..November (window ends 15 Nov)
    jan, feb = ana.months[0], ana.months[1]
    assert (jan.name, jan.plays, jan.ms, jan.minutes, jan.top_artist) == (
        "January",
        4,
        720_000,
        12,
        "Ana Band",
    )
    assert (feb.name, feb.plays, feb.minutes, feb.top_artist) == ("February", 1, 30, None)
    assert all(m.plays == 0 and m.top_artist is None for m in ana.months[2:])
    assert [(p.artist, p.month, p.name, p.minutes) for p in ana.peak_months] == [
        ("Ana Band", 1, "January", 8),
        ("Zed", 1, "January", 4),
    ]


def test_streaks(ana: UserYear) -> None:
    s, a = ana.streak, ana.artist_streak
    assert (s.days, s.start, s.end) == (3, date(2024, 1, 1), date(2024, 1, 3))
    assert (a.days, a.start, a.end, a.artist) == (2, date(2024, 1, 1), date(2024, 1, 2), "Ana Band")


def test_habits(ana: UserYear) -> None:
    h = ana.habits
    # skip: F, (null -> trackdone) F, (null -> fwdbtn) T, F; done: 3 of 4; shuffle known on 3: T F T
    assert (h.skip_rate, h.completion_rate, h.shuffle_share) == (0.25, 0.75, 0.667)
    # every track once a day -> earliest day, then title: Alpha (01-01)
    assert (h.repeat_track, h.repeat_artist, h.repeat_plays, h.repeat_date) == (
        "Alpha", "Ana Band", 1, date(2024, 1, 1))  # fmt: skip


def test_nostalgia(ana: UserYear) -> None:
    n = ana.nostalgia
    assert n.minutes_by_decade == {"1990s": 4, "2020s": 8}
    assert n.known_share == 1.0
    # ms by year: 1995 240k, 2023 120k, 2024 360k; half of 720k reached at 2023
    assert (n.median_release_year, n.listening_age, n.top_decade) == (2023, 21, "2020s")


def test_personality(ana: UserYear) -> None:
    axes = {a.name: a for a in ana.personality.axes}
    assert [a.name for a in ana.personality.axes] == ["discovery", "loyalty", "era", "taste"]
    assert (axes["discovery"].score, axes["discovery"].leaning) == (0.5, "familiar")
    assert "1 of your 2 artists (50%)" in axes["discovery"].explanation
    assert (axes["loyalty"].score, axes["loyalty"].leaning) == (0.0, "loyal")
    assert "100%" in axes["loyalty"].explanation
    assert (axes["era"].score, axes["era"].leaning) == (0.667, "new")
    assert "67%" in axes["era"].explanation and "2023 or 2024" in axes["era"].explanation
    assert axes["taste"].score == 0.0  # the only listener: everyone plays her artists
    assert ana.personality.label == "The Loyalist"  # loyalty and taste tie at 0.5 from centre


def test_cohort(ana: UserYear) -> None:
    c = ana.cohort
    assert (c.country, c.tier, c.age_band, c.top_genre, c.activity_band) == (
        "GB",
        "premium",
        "18-24",
        "indie",
        "light",
    )


def test_interesting_days(ana: UserYear) -> None:
    assert [(d.date, d.category) for d in ana.days] == [
        (date(2024, 1, 1), "biggest_music_day"),
        (date(2024, 1, 2), "birthday"),
        (date(2024, 2, 10), "biggest_podcast_day"),
        (date(2024, 1, 3), "most_nostalgic_day"),
    ]
    big = ana.day("2024-01-01")
    assert big.weekday == "Monday" and big.strength == 1.25  # 300k vs the mean music day 240k
    assert big.facts == {
        "minutes": 5, "plays": 2, "music_minutes": 5, "music_plays": 2, "distinct_artists": 1,
        "top_artist": "Ana Band", "top_artist_minutes": 5, "top_artist_plays": 2, "top_track": "Alpha",
        "top_track_artist": "Ana Band", "top_track_plays": 1, "first_play": "09:00", "last_play": "09:05",
    }  # fmt: skip
    assert big.headline == "Your biggest music day: 5 minutes of music."
    assert [
        (e.time, e.title, e.by, e.minutes, e.new_artist, e.release_year, e.genre) for e in big.log
    ] == [
        ("09:00", "Alpha", "Ana Band", 3.0, True, 2024, "indie"),
        ("09:05", "Beta", "Ana Band", 2.0, True, 2023, "indie"),  # discovered this day
    ]
    assert (big.log_total, big.log_cap) == (2, 40)
    bday = ana.day(date(2024, 1, 2))
    assert bday.facts["age"] == 24 and bday.strength == 0.29  # 180k vs mean day 630k
    nos = ana.day("2024-01-03")
    assert nos.facts["throwback_minutes"] == 4 and nos.facts["oldest_release_year"] == 1995
    assert nos.facts["oldest_track"] == "Zed Song" and nos.facts["throwback_cutoff_year"] == 2014
    pod = ana.day("2024-02-10")
    assert pod.facts["top_show"] == "Pod" and pod.facts["podcast_minutes"] == 30
    assert pod.log[0].kind == "episode" and pod.log[0].title == "Ep 1" and pod.log[0].by == "Pod"
    with pytest.raises(KeyError):
        ana.day("2024-03-01")


def test_strict_validation_roundtrip(ana: UserYear) -> None:
    """The fast builder produces exactly what strict validation accepts (no numpy scalars)."""
    assert UserYear.model_validate(ana.model_dump(), strict=True) == ana
    assert UserYear.model_validate_json(ana.model_dump_json()) == ana


def test_three_play_listener_is_ineligible_with_reason() -> None:
    rows = [play("tri", f"2024-03-0{i}T10:00", 200_000) for i in (1, 2, 3)]
    (u,) = compute_user_years(
        events(rows), settings=settings(year=2024, min_plays=20, min_minutes=60)
    )
    assert not u.eligible
    assert (
        u.ineligible_reason
        == "only 3 plays between 2024-01-01 and 2024-11-15 (a story needs at least 20)"
    )
    assert u.totals.all.plays == 3 and u.totals.all.minutes == 10  # stats are still there
    assert u.tz_source == "utc" and u.timezone == "UTC" and u.locale == "en-US"


def test_too_few_minutes_is_ineligible() -> None:
    rows = [play("min", "2024-03-01T10:00", 30_000)] * 25
    (u,) = compute_user_years(
        events(rows), settings=settings(year=2024, min_plays=20, min_minutes=60)
    )
    assert not u.eligible and u.ineligible_reason.startswith("only 13 minutes of listening between")


def test_empty_window() -> None:
    """Only last year's plays: a listener with history but nothing to celebrate."""
    rows = [play("old", "2023-05-01T10:00", 200_000), play("new", "2024-05-01T10:00", 200_000)]
    u = by_user(compute_user_years(events(rows), settings=settings(year=2024)))["old"]
    assert (
        not u.eligible and u.ineligible_reason == "no listening between 2024-01-01 and 2024-11-15"
    )
    assert (
        u.totals.all.plays == 0 and u.top_artists == [] and u.days == [] and u.months[0].plays == 0
    )
    assert u.discovery.has_history and u.discovery.new_artists == 0
    assert (
        u.clock.peak_hour is None
        and u.clock.busiest_weekday is None
        and u.clock.top_part_of_day is None
    )
    assert u.streak.days == 0 and u.streak.start is None and u.habits.skip_rate is None
    assert u.personality.label == "The Quiet Listener" and u.cohort.activity_band == "light"


def test_podcast_only_listener() -> None:
    rows = [
        episode("pod", "2024-04-01T07:00", 2_400_000, show="News", ep="Mon"),
        episode("pod", "2024-04-02T07:00", 1_200_000, show="News", ep="Tue"),
        episode("pod", "2024-04-02T08:00", 1_800_000, show="Science", ep="Stars"),
    ]
    (u,) = compute_user_years(events(rows), settings=settings(year=2024))
    assert u.totals.music.plays == 0 and u.totals.podcast.minutes == 90
    assert u.top_artists == [] and u.top_tracks == [] and u.top_genres == []
    assert [(r.name, r.minutes, r.plays) for r in u.top_podcasts] == [
        ("News", 60, 2),
        ("Science", 30, 1),
    ]
    assert [r.name for r in u.top_episodes] == ["Mon", "Stars", "Tue"]
    assert [(d.date, d.category) for d in u.days] == [(date(2024, 4, 2), "biggest_podcast_day")]
    assert u.day("2024-04-02").facts["top_show"] == "Science"  # 30 min vs News 20 min that day
    assert u.personality.label == "The Podcast Devotee" and u.habits.repeat_plays == 0
    assert u.clock.top_part_of_day == "morning" and u.nostalgia.median_release_year is None


def test_ties_follow_the_documented_rule() -> None:
    """ms desc, then plays desc, then name ascending."""
    rows = [
        play("t", "2024-02-01T10:00", 100_000, artist="Bravo", track="b1"),
        play(
            "t", "2024-02-01T11:00", 100_000, artist="Alpha", track="a1"
        ),  # same ms+plays as Bravo
        play("t", "2024-02-01T12:00", 50_000, artist="Charlie", track="c1"),
        play("t", "2024-02-01T13:00", 50_000, artist="Charlie", track="c2"),  # 100k, but 2 plays
        play(
            "t", "2024-02-02T10:00", 100_000, artist="Delta", track="d1"
        ),  # less than 200k? no: ties
    ]
    (u,) = compute_user_years(events(rows), settings=settings(year=2024))
    # all four artists have 100k; Charlie has 2 plays; then Alpha < Bravo < Delta by name
    assert [r.name for r in u.top_artists] == ["Charlie", "Alpha", "Bravo", "Delta"]
    assert [(r.name, r.by) for r in u.top_tracks][:3] == [
        ("a1", "Alpha"),
        ("b1", "Bravo"),
        ("d1", "Delta"),
    ]
    # biggest music day: 02-01 has 300k; artist streak tie on 1 day -> earliest, then name
    assert u.artist_streak.artist == "Alpha" and u.artist_streak.days == 1
    big = u.day("2024-02-01")
    assert big.facts["top_artist"] == "Charlie" and big.facts["top_track"] == "a1"


def test_top_k_and_caps_come_from_settings() -> None:
    rows = [
        play("k", f"2024-06-01T{h:02d}:00", 60_000 * (h + 1), artist=f"A{h:02d}", track="x")
        for h in range(10)
    ]
    (u,) = compute_user_years(
        events(rows), settings=settings(year=2024, top_k=3, log_cap=4, max_days=1)
    )
    assert [r.name for r in u.top_artists] == ["A09", "A08", "A07"]
    (d,) = u.days
    assert d.log_total == 10 and len(d.log) == 4 and d.log_cap == 4
    assert [e.time for e in d.log] == ["00:00", "01:00", "02:00", "03:00"]
    assert d.facts["plays"] == 10 and d.facts["minutes"] == 55  # from ALL plays, not the capped log


def test_full_year_and_default_year() -> None:
    rows = [play("y", "2023-03-01T10:00", 60_000), play("y", "2024-12-20T10:00", 120_000)]
    (u,) = compute_user_years(events(rows), settings=settings())  # latest year with data: 2024
    assert u.window.year == 2024 and u.window.end == date(2024, 11, 15) and u.totals.all.plays == 0
    (f,) = compute_user_years(events(rows), settings=settings(full_year=True))
    assert (
        f.window.end == date(2024, 12, 31)
        and f.totals.all.plays == 1
        and f.months[-1].name == "December"
    )


def test_users_sorted_and_each_listener_present() -> None:
    rows = [play(u, "2024-02-01T10:00", 60_000) for u in ("zoe", "adam", "mia")]
    assert [u.user_id for u in compute_user_years(events(rows), settings=settings())] == [
        "adam",
        "mia",
        "zoe",
    ]


def test_rows_without_user_or_time_are_ignored_and_naive_times_refused() -> None:
    from wrapped.errors import InputError

    ev = events([play("a", "2024-03-01T10:00", 60_000), play("b", "2024-03-01T10:00", 60_000)])
    ev.loc[1, "ts"] = pd.NaT
    (u,) = compute_user_years(ev, settings=settings(year=2024))
    assert u.user_id == "a" and u.totals.all.plays == 1
    naive = ev.assign(ts=ev["ts"].dt.tz_localize(None))
    with pytest.raises(InputError, match="timezone-aware"):
        compute_user_years(naive, settings=settings(year=2024))
