"""`UserYear`: one listener's year — the single source of truth.

Prompts render it, the grounding check verifies stories against it, eval suites and reviewers
read it. Every number a story may quote is a field here (or a fact of an interesting day), so a
story can be checked claim by claim. Minutes are whole minutes rounded half up from the exact
milliseconds, which are kept beside them so sums stay exact.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

#: English names used in the stats block and everywhere a story names a day or month (Monday first).
WEEKDAYS: tuple[str, ...] = (
    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday",
)  # fmt: skip
MONTHS: tuple[str, ...] = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


def ms_to_minutes(ms: int) -> int:
    """Whole minutes, rounded half up (the one rounding rule every stage shares)."""
    return int((int(ms) + 30_000) // 60_000)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Amount(_Model):
    """Listening volume."""

    plays: int
    ms: int
    minutes: int


class Ranked(_Model):
    """One row of a top list (artist, track, album, genre, podcast or episode)."""

    rank: int = Field(description="1-based; ties broken by ms desc, plays desc, then name asc")
    name: str
    by: str | None = Field(default=None, description="artist of a track/album, show of an episode")
    plays: int
    ms: int
    minutes: int


class Totals(_Model):
    all: Amount
    music: Amount
    podcast: Amount
    audiobook: Amount
    distinct_tracks: int
    distinct_artists: int
    distinct_albums: int
    distinct_shows: int
    distinct_episodes: int
    listening_days: int = Field(description="local days with any listening in the window")


class Discovery(_Model):
    """New artists: only meaningful when history before the window exists."""

    has_history: bool
    new_artists: int | None = None
    new_artist_share: float | None = Field(default=None, description="0..1 of distinct artists")
    top_new_artist: str | None = Field(
        default=None, description="most ms among new artists; ties: plays desc, then name asc"
    )


class Clock(_Model):
    minutes_by_hour: list[int] = Field(description="24 values, local hour 0..23")
    plays_by_hour: list[int]
    minutes_by_weekday: list[int] = Field(description="7 values, Monday first")
    plays_by_weekday: list[int]
    peak_hour: int | None = Field(description="local hour with the most ms; ties -> earliest")
    busiest_weekday: str | None = Field(
        description="English weekday name, e.g. 'Tuesday'; most ms, ties -> Monday first"
    )
    minutes_by_part: dict[str, int] = Field(
        description="morning 05-12, afternoon 12-17, evening 17-22, night 22-05 (local)"
    )
    top_part_of_day: str | None


class Month(_Model):
    month: int = Field(description="1..12")
    name: str = Field(description="English month name")
    plays: int
    ms: int
    minutes: int
    top_artist: str | None = Field(
        description="music artist with the most ms that month; ties: plays desc, then name asc"
    )


class PeakMonth(_Model):
    """Taste evolution: the month each top artist peaked."""

    artist: str
    month: int = Field(description="month with the most ms for this artist; ties -> earliest")
    name: str
    minutes: int


class Streak(_Model):
    """Longest run of consecutive local days; ties -> earliest start (then artist name)."""

    days: int
    start: date | None
    end: date | None
    artist: str | None = None


class Habits(_Model):
    skip_rate: float | None = Field(
        description="0..1 share of music plays skipped, where known (`skipped`, else reason_end fwdbtn)"
    )
    completion_rate: float | None = Field(
        description="0..1 share of music plays that ended naturally (reason_end trackdone), where known"
    )
    shuffle_share: float | None = Field(
        description="0..1 share of music plays on shuffle (where known)"
    )
    repeat_track: str | None = Field(
        description="the track played most times in one local day; ties -> earliest day, then title"
    )
    repeat_artist: str | None
    repeat_plays: int = 0
    repeat_date: date | None = None


class Nostalgia(_Model):
    minutes_by_decade: dict[str, int] = Field(description="'1990s' -> minutes, known years only")
    known_share: float = Field(description="0..1 of music minutes with a known release year")
    median_release_year: int | None
    listening_age: int | None = Field(
        description="age someone born 20 years before the median release year would be this year"
    )
    top_decade: str | None = Field(description="decade with the most ms; ties -> earliest")


class Axis(_Model):
    """One personality axis; `score` 0 means fully `low`, 1 fully `high`."""

    name: str
    low: str
    high: str
    score: float
    leaning: str = Field(description="`low` or `high` label the score leans to")
    explanation: str = Field(description="one sentence with the numbers behind the score")


class Personality(_Model):
    label: str
    axes: list[Axis]


class Cohort(_Model):
    country: str | None
    tier: str | None
    age_band: str | None = Field(description="e.g. '18-24'; None without a birth date")
    top_genre: str | None
    activity_band: Literal["light", "regular", "heavy"] = Field(
        description="mean minutes per window day: < 15 light, < 60 regular, else heavy"
    )


DayCategory = Literal[
    "biggest_music_day",
    "biggest_podcast_day",
    "biggest_discovery_day",
    "biggest_top_artist_day",
    "biggest_top_genre_day",
    "most_nostalgic_day",
    "most_unusual_day",
    "birthday",
    "new_years_day",
]


class LogEntry(_Model):
    """One play in a day's log, in local time."""

    time: str = Field(
        description="local HH:MM of the event's timestamp (when the play ended for Spotify data)"
    )
    kind: Literal["track", "episode", "audiobook"]
    title: str = Field(description="track, episode or chapter title")
    by: str | None = Field(description="artist or show")
    album: str | None = None
    minutes: float = Field(description="minutes played, one decimal")
    skipped: bool | None = None
    ms: int | None = Field(default=None, description="exact milliseconds played")
    new_artist: bool | None = Field(
        default=None,
        description="music only, with history: first-ever play of this artist was this day",
    )
    release_year: int | None = Field(default=None, description="from the catalog, when known")
    genre: str | None = Field(default=None, description="artist's primary genre, when known")


class InterestingDay(_Model):
    date: date
    weekday: str
    category: DayCategory
    strength: float = Field(description="detector score; higher is more interesting")
    headline: str = Field(description="a plain, factual one-liner of why the day is interesting")
    facts: dict[str, int | float | str] = Field(
        description="numbers and names a story may quote; each recomputes from the full day"
    )
    log: list[LogEntry] = Field(description="time-ordered, capped at `log_cap` entries")
    log_total: int = Field(description="plays that day before the cap")
    log_cap: int


class Window(_Model):
    start: date
    end: date = Field(description="inclusive, local dates")
    year: int


class UserYear(_Model):
    """The stats block for one listener and one window."""

    user_id: str = Field(description="pseudonymous id")
    window: Window
    timezone: str
    tz_source: Literal["override", "profile", "country", "utc"]
    country: str | None
    locale: str = Field(description="en-GB, en-US, ... for spelling and vocabulary")
    birth_date: date | None = None
    eligible: bool
    ineligible_reason: str | None = None
    totals: Totals
    top_artists: list[Ranked]
    top_tracks: list[Ranked]
    top_albums: list[Ranked]
    top_genres: list[Ranked]
    top_podcasts: list[Ranked]
    top_episodes: list[Ranked]
    discovery: Discovery
    clock: Clock
    months: list[Month]
    peak_months: list[PeakMonth]
    streak: Streak
    artist_streak: Streak
    habits: Habits
    nostalgia: Nostalgia
    personality: Personality
    cohort: Cohort
    days: list[InterestingDay] = Field(description="up to 5, in detector priority order")

    def day(self, when: date | str) -> InterestingDay:
        """The interesting day on `when` (KeyError when it is not one)."""
        key = when if isinstance(when, date) else date.fromisoformat(str(when))
        for d in self.days:
            if d.date == key:
                return d
        raise KeyError(f"{key} is not one of this listener's interesting days")
