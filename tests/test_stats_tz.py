"""Local time: zone resolution, days cut at local midnight, DST change days, window edges."""

from __future__ import annotations

from datetime import date

import pytest
from _stats_helpers import by_user, events, play, profiles, settings

from wrapped.errors import ConfigError
from wrapped.stats import compute_user_years
from wrapped.stats.tz import locale_for


def _one(rows, **kw):
    prof = kw.pop("prof", None)
    (u,) = compute_user_years(events(rows), profiles=prof, settings=settings(year=2024, **kw))
    return u


def test_2330_local_is_the_next_day_in_utc() -> None:
    """New York, 9 March 23:30 EST = 10 March 04:30 UTC: the play belongs to 9 March."""
    prof = profiles({"user_id": "ny", "timezone": "America/New_York", "country": "US"})
    u = _one([play("ny", "2024-03-10T04:30", 600_000)], prof=prof)
    assert (u.timezone, u.tz_source, u.locale) == ("America/New_York", "profile", "en-US")
    (d,) = u.days
    assert d.date == date(2024, 3, 9) and d.weekday == "Saturday"
    assert d.log[0].time == "23:30" and d.facts["first_play"] == "23:30"
    assert u.clock.plays_by_hour[23] == 1 and u.clock.plays_by_weekday[5] == 1
    assert u.clock.top_part_of_day == "night"


def test_utc_new_year_play_can_be_last_years_history() -> None:
    """1 Jan 04:30 UTC is still 31 Dec in New York: history, not the window."""
    prof = profiles({"user_id": "ny", "timezone": "America/New_York"})
    rows = [
        play("ny", "2024-01-01T04:30", 60_000, artist="Old"),
        play("ny", "2024-02-01T12:00", 60_000, artist="Old"),
    ]
    u = _one(rows, prof=prof)
    assert u.totals.all.plays == 1 and u.discovery.has_history and u.discovery.new_artists == 0
    assert all(d.category != "new_years_day" for d in u.days)


def test_local_new_years_day_and_window_end_in_tokyo() -> None:
    """Country JP -> Asia/Tokyo: 31 Dec 15:30 UTC is 1 Jan 00:30; 15 Nov 15:30 UTC is 16 Nov."""
    prof = profiles({"user_id": "jp", "country": "JP"})
    rows = [
        play("jp", "2023-12-31T15:30", 120_000, artist="A"),  # 2024-01-01 00:30 local
        play("jp", "2024-03-01T03:00", 600_000, artist="B"),
        play("jp", "2024-11-15T14:00", 60_000, artist="C"),  # 23:00 on 15 Nov: inside
        play("jp", "2024-11-15T15:30", 60_000, artist="D"),  # 00:30 on 16 Nov: outside
    ]
    u = _one(rows, prof=prof)
    assert (u.timezone, u.tz_source) == ("Asia/Tokyo", "country")
    assert u.totals.all.plays == 3 and [r.name for r in u.top_artists] == ["B", "A", "C"]
    nyd = u.day("2024-01-01")
    assert (
        nyd.category == "new_years_day" and nyd.facts["minutes"] == 2 and nyd.log[0].time == "00:30"
    )
    assert nyd.headline == "New Year's Day: 2 minutes of listening."


def test_dst_spring_forward_day_in_london() -> None:
    """31 Mar 2024: clocks go 01:00 GMT -> 02:00 BST; the local day has 23 hours."""
    prof = profiles({"user_id": "uk", "timezone": "Europe/London"})
    rows = [
        play("uk", "2024-03-31T00:30", 60_000, artist="A"),  # 00:30 GMT, 31 Mar
        play("uk", "2024-03-31T01:30", 120_000, artist="B"),  # 02:30 BST, 31 Mar
        play("uk", "2024-03-31T22:59", 180_000, artist="C"),  # 23:59 BST, 31 Mar
        play("uk", "2024-03-31T23:30", 240_000, artist="D"),  # 00:30 BST, 1 Apr
    ]
    u = _one(rows, prof=prof, max_days=9)
    mar31 = u.day("2024-03-31")
    assert mar31.facts["plays"] == 3 and mar31.facts["minutes"] == 6
    assert [e.time for e in mar31.log] == ["00:30", "02:30", "23:59"]
    assert (
        u.clock.plays_by_hour[1] == 0
        and u.clock.plays_by_hour[2] == 1
        and u.clock.plays_by_hour[0] == 2
    )
    assert u.months[2].plays == 3 and u.months[3].plays == 1  # March 3, April 1
    assert u.streak.days == 2 and u.streak.end == date(2024, 4, 1)


def test_dst_fall_back_day_has_two_one_oclocks() -> None:
    """27 Oct 2024: 01:00-02:00 happens twice in London (25-hour day)."""
    prof = profiles({"user_id": "uk", "timezone": "Europe/London"})
    rows = [
        play("uk", "2024-10-27T00:30", 60_000, artist="A"),  # 01:30 BST
        play("uk", "2024-10-27T00:59", 60_000, artist="B"),  # 01:59 BST
        play("uk", "2024-10-27T01:05", 60_000, artist="C"),  # 01:05 GMT (after 01:59 BST!)
        play("uk", "2024-10-27T23:30", 60_000, artist="D"),  # 23:30 GMT, still 27 Oct
    ]
    u = _one(rows, prof=prof)
    (d,) = u.days
    assert d.date == date(2024, 10, 27) and d.facts["plays"] == 4
    assert [e.time for e in d.log] == ["01:30", "01:59", "01:05", "23:30"]  # true time order
    assert (d.facts["first_play"], d.facts["last_play"]) == ("01:30", "23:30")
    assert u.clock.plays_by_hour[1] == 3


def test_zone_resolution_order() -> None:
    rows = [play(x, "2024-05-01T12:00", 60_000) for x in ("a", "b", "c", "d", "e")]
    prof = profiles(
        {"user_id": "a", "timezone": "Asia/Kolkata", "country": "US"},
        {"user_id": "b", "country": "CA"},
        {"user_id": "c", "timezone": "Mars/Olympus_Mons", "country": "DE"},  # invalid zone
        {"user_id": "d", "country": "ZZ"},  # unknown country
    )
    ev = events(rows + [play("e", "2024-05-02T12:00", 1, country="AU")])
    us = by_user(compute_user_years(ev, profiles=prof, settings=settings(year=2024)))
    got = {k: (v.timezone, v.tz_source, v.locale) for k, v in us.items()}
    assert got == {
        "a": ("Asia/Kolkata", "profile", "en-US"),
        "b": ("America/Toronto", "country", "en-CA"),
        "c": ("Europe/Berlin", "country", "en-US"),
        "d": ("UTC", "utc", "en-US"),
        "e": ("Australia/Sydney", "country", "en-GB"),  # country from the events
    }
    over = compute_user_years(ev, profiles=prof, settings=settings(year=2024, tz="Europe/Paris"))
    assert {(u.timezone, u.tz_source) for u in over} == {("Europe/Paris", "override")}


def test_bad_override_zone_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="not a known IANA time zone"):
        compute_user_years(
            events([play("a", "2024-05-01T12:00", 1)]), settings=settings(tz="Nowhere/City")
        )


@pytest.mark.parametrize(
    ("country", "locale"),
    [("GB", "en-GB"), ("ie", "en-GB"), ("AU", "en-GB"), ("NZ", "en-GB"), ("IN", "en-GB"), ("ZA", "en-GB"),
     ("US", "en-US"), ("CA", "en-CA"), ("DE", "en-US"), (None, "en-US")],
)  # fmt: skip
def test_locale_from_country(country: str | None, locale: str) -> None:
    assert locale_for(country) == locale


def test_default_year_ignores_new_years_eve_spill() -> None:
    """A party past midnight must not make next year (nearly empty) the default."""
    rows = [play("p", f"2024-06-{d:02d}T12:00", 60_000) for d in range(1, 29)] * 4
    rows.append(play("p", "2025-01-01T00:10", 60_000))
    (u,) = compute_user_years(events(rows), settings=settings())
    assert u.window.year == 2024
