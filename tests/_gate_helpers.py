"""A small, hand-written `UserYear` for the gate's tests (numbers chosen so each is unique)."""

from __future__ import annotations

from datetime import date
from typing import Any

from wrapped.stats.model import UserYear

DAY = date(2024, 3, 9)  # a Saturday


def user_year_dict(**overrides: Any) -> dict[str, Any]:
    """The JSON form of a listener's year; pass overrides to plant titles or change facts."""
    data: dict[str, Any] = {
        "user_id": "u_1a2b3c4d5e6f7a8b",
        "window": {"start": "2024-01-01", "end": "2024-12-31", "year": 2024},
        "timezone": "Europe/London",
        "tz_source": "profile",
        "country": "GB",
        "locale": "en-GB",
        "birth_date": None,
        "eligible": True,
        "ineligible_reason": None,
        "totals": {
            "all": {"plays": 8123, "ms": 1_926_540_000, "minutes": 32109},
            "music": {"plays": 7702, "ms": 1_700_000_000, "minutes": 28333},
            "podcast": {"plays": 421, "ms": 226_540_000, "minutes": 3776},
            "audiobook": {"plays": 0, "ms": 0, "minutes": 0},
            "distinct_tracks": 1234,
            "distinct_artists": 287,
            "distinct_albums": 512,
            "distinct_shows": 6,
            "distinct_episodes": 97,
            "listening_days": 341,
        },
        "top_artists": [
            _r(1, "The Beatles", None, 402, 1516),
            _r(2, "Björk", None, 377, 1321),
            _r(3, "Phoebe Bridgers", None, 251, 905),
            _r(4, "Khruangbin", None, 199, 781),
            _r(5, "Little Simz", None, 151, 543),
        ],
        "top_tracks": [
            _r(1, "Here Comes the Sun", "The Beatles", 88, 262),
            _r(2, "Jóga", "Björk", 71, 333),
            _r(3, "Motion Sickness", "Phoebe Bridgers", 64, 209),
            _r(4, "Maria También", "Khruangbin", 52, 171),
            _r(5, "Venom", "Little Simz", 47, 133),
        ],
        "top_albums": [
            _r(1, "Abbey Road", "The Beatles", 211, 655),
            _r(2, "Homogenic", "Björk", 160, 501),
            _r(3, "Punisher", "Phoebe Bridgers", 120, 402),
            _r(4, "Con Todo El Mundo", "Khruangbin", 99, 301),
            _r(5, "Grey Area", "Little Simz", 61, 333),
        ],
        "top_genres": [
            _r(1, "indie rock", None, 1400, 5003),
            _r(2, "art pop", None, 900, 3007),
            _r(3, "psychedelic soul", None, 500, 2011),
        ],
        "top_podcasts": [
            _r(1, "Song Exploder", None, 140, 2011),
            _r(2, "Desert Island Discs", None, 90, 1516),
        ],
        "top_episodes": [
            _r(1, "Bon Iver - Holocene", "Song Exploder", 3, 152),
        ],
        "discovery": {
            "has_history": True,
            "new_artists": 83,
            "new_artist_share": 0.29,
            "top_new_artist": "Little Simz",
        },
        "clock": {
            "minutes_by_hour": [10] * 24,
            "plays_by_hour": [3] * 24,
            "minutes_by_weekday": [4000, 4100, 4200, 4300, 4400, 6000, 5109],
            "plays_by_weekday": [1000, 1010, 1020, 1030, 1040, 1600, 1423],
            "peak_hour": 21,
            "busiest_weekday": "Saturday",
            "minutes_by_part": {
                "morning": 7000,
                "afternoon": 8000,
                "evening": 12000,
                "night": 5109,
            },
            "top_part_of_day": "evening",
        },
        "months": [
            {
                "month": m,
                "name": n,
                "plays": 600 + m,
                "ms": 0,
                "minutes": 2500 + m * 10,
                "top_artist": "The Beatles" if m != 7 else "Björk",
            }
            for m, n in enumerate(
                [
                    "January",
                    "February",
                    "March",
                    "April",
                    "May",
                    "June",
                    "July",
                    "August",
                    "September",
                    "October",
                    "November",
                    "December",
                ],
                start=1,
            )
        ],
        "peak_months": [
            {"artist": "The Beatles", "month": 3, "name": "March", "minutes": 611},
            {"artist": "Björk", "month": 7, "name": "July", "minutes": 540},
        ],
        "streak": {"days": 46, "start": "2024-02-01", "end": "2024-03-17", "artist": None},
        "artist_streak": {
            "days": 9,
            "start": "2024-03-02",
            "end": "2024-03-10",
            "artist": "The Beatles",
        },
        "habits": {
            "skip_rate": 0.18,
            "completion_rate": 0.74,
            "shuffle_share": 0.42,
            "repeat_track": "Here Comes the Sun",
            "repeat_artist": "The Beatles",
            "repeat_plays": 14,
            "repeat_date": "2024-03-09",
        },
        "nostalgia": {
            "minutes_by_decade": {"1960s": 9000, "1990s": 6000, "2020s": 13333},
            "known_share": 0.91,
            "median_release_year": 1997,
            "listening_age": 47,
            "top_decade": "2020s",
        },
        "personality": {
            "label": "The Time Traveller",
            "axes": [
                {
                    "name": "era",
                    "low": "new",
                    "high": "old",
                    "score": 0.61,
                    "leaning": "old",
                    "explanation": "61% of your minutes went to music released before 2000.",
                }
            ],
        },
        "cohort": {
            "country": "GB",
            "tier": "premium",
            "age_band": None,
            "top_genre": "indie rock",
            "activity_band": "heavy",
        },
        "days": [
            {
                "date": DAY.isoformat(),
                "weekday": "Saturday",
                "category": "biggest_music_day",
                "strength": 3.2,
                "headline": "Your biggest music day: 417 minutes, mostly The Beatles.",
                "facts": {
                    "minutes": 417,
                    "plays": 96,
                    "top_artist": "The Beatles",
                    "top_artist_plays": 38,
                    "top_track": "Here Comes the Sun",
                    "top_track_plays": 14,
                    "distinct_artists": 17,
                },
                "log": [
                    _log("07:42", "Here Comes the Sun", "The Beatles", "Abbey Road", 3.1),
                    _log("08:15", "Jóga", "Björk", "Homogenic", 5.0),
                    _log("12:30", "Kyoto", "Phoebe Bridgers", "Punisher", 3.1),
                    _log("18:05", "Something", "The Beatles", "Abbey Road", 3.0),
                    _log(
                        "23:50", "Evan Finds the Third Room", "Khruangbin", "Con Todo El Mundo", 4.2
                    ),
                ],
                "log_total": 96,
                "log_cap": 40,
            },
            {
                "date": "2024-01-01",
                "weekday": "Monday",
                "category": "new_years_day",
                "strength": 1.0,
                "headline": "New Year's Day: 88 minutes.",
                "facts": {
                    "minutes": 88,
                    "plays": 21,
                    "first_track": "Hyperballad",
                    "first_artist": "Björk",
                },
                "log": [_log("10:02", "Hyperballad", "Björk", "Post", 5.2)],
                "log_total": 21,
                "log_cap": 40,
            },
        ],
    }
    data.update(overrides)
    return data


def _r(rank: int, name: str, by: str | None, plays: int, minutes: int) -> dict[str, Any]:
    return {
        "rank": rank,
        "name": name,
        "by": by,
        "plays": plays,
        "ms": minutes * 60_000,
        "minutes": minutes,
    }


def _log(time: str, title: str, by: str, album: str, minutes: float) -> dict[str, Any]:
    return {
        "time": time,
        "kind": "track",
        "title": title,
        "by": by,
        "album": album,
        "minutes": minutes,
        "skipped": False,
    }


def make_user_year(**overrides: Any) -> UserYear:
    """A validated `UserYear` (see `user_year_dict`)."""
    return UserYear.model_validate(user_year_dict(**overrides))


def with_planted_titles(titles: list[tuple[str, str]]) -> UserYear:
    """The fixture listener with (title, artist) tracks added to the top list and the day log."""
    data = user_year_dict()
    for i, (title, artist) in enumerate(titles):
        data["top_tracks"].append(_r(6 + i, title, artist, 30 - i, 95))
        data["days"][0]["log"].append(_log(f"2{i % 4}:1{i % 10}", title, artist, "Singles", 3.0))
    return UserYear.model_validate(data)


# --- offline guard -----------------------------------------------------------------------------

import contextlib  # noqa: E402
import socket  # noqa: E402
import sys  # noqa: E402
from collections.abc import Iterator  # noqa: E402

_LOOPBACK = {"127.0.0.1", "::1", "localhost", "::ffff:127.0.0.1"}
_GUARD: dict[str, Any] = {"armed": False, "attempts": []}


class NetworkBlocked(OSError):
    """Raised by the audit hook for any non-loopback connection or DNS lookup while armed."""


def _hook(event: str, args: tuple) -> None:
    if not _GUARD["armed"]:
        return
    host = None
    if event == "socket.connect":
        sock, address = args
        if isinstance(address, tuple) and sock.family in (socket.AF_INET, socket.AF_INET6):
            host = str(address[0])
    elif event == "socket.getaddrinfo":
        host = str(args[0]) if args and args[0] is not None else None
    if host is not None and host not in _LOOPBACK:
        _GUARD["attempts"].append((event, host))
        raise NetworkBlocked(f"non-loopback network access during an offline test: {event} {host}")


_INSTALLED: list[bool] = []


@contextlib.contextmanager
def offline_guard() -> Iterator[list[tuple[str, str]]]:
    """While active, any connect/DNS lookup to a non-loopback host raises and is recorded.

    Audit hooks cannot be removed, so one hook is installed per process and armed/disarmed here.
    Yields the list of attempts (a library that swallows the error still leaves a record)."""
    if not _INSTALLED:
        sys.addaudithook(_hook)
        _INSTALLED.append(True)
    _GUARD["attempts"] = []
    _GUARD["armed"] = True
    try:
        yield _GUARD["attempts"]
    finally:
        _GUARD["armed"] = False
