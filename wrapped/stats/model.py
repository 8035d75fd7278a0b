"""`UserYear`: one listener's year — the single source of truth.

Prompts render it, the grounding check verifies stories against it, eval suites and reviewers
read it. Every number a story may quote is a field here (or a fact of an interesting day), so a
story can be checked claim by claim. Minutes are whole minutes rounded half up from the exact
milliseconds, which are kept beside them so sums stay exact.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from wrapped.stats.roles import (
    AGE,
    CHART,
    COUNT,
    DATE,
    DAYS,
    DECADE,
    FACTS,
    FLAG,
    HOUR,
    LABEL,
    LOG,
    META,
    MINUTES,
    MONTH,
    MS,
    NAME,
    NESTED,
    PERCENT,
    RANK,
    SCORE,
    TERM,
    TEXT,
    TIME,
    WEEKDAY,
    YEAR,
    Kind,
)  # fmt: skip

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

    plays: Annotated[int, COUNT]
    ms: Annotated[int, MS]
    minutes: Annotated[int, MINUTES(hours=True)]


#: a top list: rows named by rank; its length is a count a story may quote ("your 5 top artists")
TOP = NESTED(key="rank", length=True)


class Ranked(_Model):
    """One row of a top list (artist, track, album, genre, podcast or episode)."""

    rank: Annotated[int, RANK] = Field(
        description="1-based; ties broken by ms desc, plays desc, then name asc"
    )
    name: Annotated[str, NAME(subject=True)]
    by: Annotated[str | None, NAME] = Field(
        default=None, description="artist of a track/album, show of an episode"
    )
    plays: Annotated[int, COUNT]
    ms: Annotated[int, MS]
    minutes: Annotated[int, MINUTES(hours=True)]


class Totals(_Model):
    all: Annotated[Amount, NESTED]
    music: Annotated[Amount, NESTED]
    podcast: Annotated[Amount, NESTED]
    audiobook: Annotated[Amount, NESTED]
    distinct_tracks: Annotated[int, COUNT]
    distinct_artists: Annotated[int, COUNT]
    distinct_albums: Annotated[int, COUNT]
    distinct_shows: Annotated[int, COUNT]
    distinct_episodes: Annotated[int, COUNT]
    listening_days: Annotated[int, DAYS] = Field(
        description="local days with any listening in the window"
    )
    minutes_estimated: Annotated[float, META] = Field(
        default=0.0,
        description="0..1 share of plays whose length is estimated (Last.fm and ListenBrainz keep "
        "no play length: each such play counts 3.5 minutes or the track's length); above 0, "
        "every minutes figure of this listener is an estimate",
    )


class Discovery(_Model):
    """New artists: only meaningful when history before the window exists."""

    has_history: Annotated[bool, META]
    new_artists: Annotated[int | None, COUNT] = None
    new_artist_share: Annotated[float | None, PERCENT] = Field(
        default=None, description="0..1 of distinct artists"
    )
    top_new_artist: Annotated[str | None, NAME] = Field(
        default=None, description="most ms among new artists; ties: plays desc, then name asc"
    )


class Clock(_Model):
    minutes_by_hour: Annotated[list[int], CHART] = Field(description="24 values, local hour 0..23")
    plays_by_hour: Annotated[list[int], CHART]
    minutes_by_weekday: Annotated[list[int], MINUTES(labels=WEEKDAYS)] = Field(
        description="7 values, Monday first"
    )
    plays_by_weekday: Annotated[list[int], COUNT(labels=WEEKDAYS)]
    peak_hour: Annotated[int | None, HOUR] = Field(
        description="local hour with the most ms; ties -> earliest"
    )
    busiest_weekday: Annotated[str | None, WEEKDAY(habitual=True)] = Field(
        description="English weekday name, e.g. 'Tuesday'; most ms, ties -> Monday first"
    )
    minutes_by_part: Annotated[dict[str, int], MINUTES(keys=Kind.TERM)] = Field(
        description="morning 05-12, afternoon 12-17, evening 17-22, night 22-05 (local)"
    )
    top_part_of_day: Annotated[str | None, TERM]


class Month(_Model):
    month: Annotated[int, MONTH] = Field(description="1..12")
    name: Annotated[str, MONTH] = Field(description="English month name")
    plays: Annotated[int, COUNT]
    ms: Annotated[int, MS]
    minutes: Annotated[int, MINUTES]
    top_artist: Annotated[str | None, NAME(drop=False)] = Field(
        description="music artist with the most ms that month; ties: plays desc, then name asc"
    )


class PeakMonth(_Model):
    """Taste evolution: the month each top artist peaked."""

    artist: Annotated[str, NAME(subject=True)]
    month: Annotated[int, MONTH] = Field(
        description="month with the most ms for this artist; ties -> earliest"
    )
    name: Annotated[str, MONTH]
    minutes: Annotated[int, MINUTES(hours=True)]


class Streak(_Model):
    """Longest run of consecutive local days; ties -> earliest start (then artist name)."""

    days: Annotated[int, DAYS]
    start: Annotated[date | None, DATE]
    end: Annotated[date | None, DATE]
    artist: Annotated[str | None, NAME] = None


class Habits(_Model):
    skip_rate: Annotated[float | None, PERCENT] = Field(
        description="0..1 share of music plays skipped, where known (`skipped`, else reason_end fwdbtn)"
    )
    completion_rate: Annotated[float | None, PERCENT] = Field(
        description="0..1 share of music plays that ended naturally (reason_end trackdone), where known"
    )
    shuffle_share: Annotated[float | None, PERCENT] = Field(
        description="0..1 share of music plays on shuffle (where known)"
    )
    repeat_track: Annotated[
        str | None, NAME(subject=True, clears=("repeat_track", "repeat_artist"))
    ] = Field(
        description="the track played most times in one local day; ties -> earliest day, then title"
    )
    repeat_artist: Annotated[str | None, NAME(clears=("repeat_track", "repeat_artist"))]
    repeat_plays: Annotated[int, COUNT] = 0
    repeat_date: Annotated[date | None, DATE] = None


class Nostalgia(_Model):
    minutes_by_decade: Annotated[dict[str, int], MINUTES(keys=Kind.DECADE)] = Field(
        description="'1990s' -> minutes, known years only"
    )
    known_share: Annotated[float, PERCENT] = Field(
        description="0..1 of music minutes with a known release year"
    )
    median_release_year: Annotated[int | None, YEAR]
    listening_age: Annotated[int | None, AGE] = Field(
        description="age someone born 20 years before the median release year would be this year"
    )
    top_decade: Annotated[str | None, DECADE] = Field(
        description="decade with the most ms; ties -> earliest"
    )


class Axis(_Model):
    """One personality axis; `score` 0 means fully `low`, 1 fully `high`."""

    name: Annotated[str, META]
    low: Annotated[str, LABEL]
    high: Annotated[str, LABEL]
    score: Annotated[float, SCORE]
    leaning: Annotated[str, TERM] = Field(description="`low` or `high` label the score leans to")
    explanation: Annotated[str, TEXT] = Field(
        description="one sentence with the numbers behind the score"
    )


class Personality(_Model):
    label: Annotated[str, LABEL]
    axes: Annotated[list[Axis], NESTED(key="name")]


class Cohort(_Model):
    country: Annotated[str | None, META]
    tier: Annotated[str | None, TERM]
    age_band: Annotated[str | None, TERM(private=True)] = Field(
        description="e.g. '18-24'; None without a birth date"
    )
    top_genre: Annotated[str | None, NAME]
    activity_band: Annotated[Literal["light", "regular", "heavy"], TERM] = Field(
        description="mean minutes per window day: < 15 light, < 60 regular, else heavy"
    )
    source_format: Annotated[str | None, META] = Field(
        default=None,
        description="export format the listener's events came from (spotify_extended, "
        "spotify_account, listenbrainz, lastfm, canonical, other); None before it was recorded",
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

    time: Annotated[str, TIME] = Field(
        description="local HH:MM of the event's timestamp (when the play ended for Spotify data)"
    )
    kind: Annotated[Literal["track", "episode", "audiobook"], META]
    title: Annotated[str, NAME(tally=True)] = Field(description="track, episode or chapter title")
    by: Annotated[str | None, NAME(tally=True)] = Field(description="artist or show")
    album: Annotated[str | None, NAME] = None
    minutes: Annotated[float, MINUTES] = Field(description="minutes played, one decimal")
    skipped: Annotated[bool | None, FLAG(tally=True)] = None
    ms: Annotated[int | None, MS] = Field(default=None, description="exact milliseconds played")
    new_artist: Annotated[bool | None, FLAG] = Field(
        default=None,
        description="music only, with history: first-ever play of this artist was this day",
    )
    release_year: Annotated[int | None, YEAR] = Field(
        default=None, description="from the catalog, when known"
    )
    genre: Annotated[str | None, NAME(drop=False, shared=True)] = Field(
        default=None, description="artist's primary genre, when known"
    )


class InterestingDay(_Model):
    date: Annotated[date, DATE]
    weekday: Annotated[str, WEEKDAY]
    category: Annotated[DayCategory, META]
    strength: Annotated[float, META] = Field(
        description="detector score; higher is more interesting"
    )
    headline: Annotated[str, TEXT] = Field(
        description="a plain, factual one-liner of why the day is interesting"
    )
    facts: Annotated[
        dict[str, int | float | str],
        FACTS(private_keys=frozenset({"age", "birth_date", "birth_year"})),
    ] = Field(description="numbers and names a story may quote; each recomputes from the full day")
    log: Annotated[list[LogEntry], LOG(key="time")] = Field(
        description="time-ordered, capped at `log_cap` entries"
    )
    log_total: Annotated[int, COUNT] = Field(description="plays that day before the cap")
    log_cap: Annotated[int, COUNT]


class Window(_Model):
    start: Annotated[date, YEAR]
    end: Annotated[date, YEAR] = Field(description="inclusive, local dates")
    year: Annotated[int, YEAR(quote=True)]


class UserYear(_Model):
    """The stats block for one listener and one window."""

    user_id: Annotated[str, META] = Field(description="pseudonymous id")
    window: Annotated[Window, NESTED]
    timezone: Annotated[str, META]
    tz_source: Annotated[Literal["override", "profile", "country", "utc"], META]
    country: Annotated[str | None, META]
    locale: Annotated[str, META] = Field(
        description="en-GB, en-US, ... for spelling and vocabulary"
    )
    birth_date: Annotated[date | None, DATE(private=True)] = None
    eligible: Annotated[bool, META]
    ineligible_reason: Annotated[str | None, META] = None
    totals: Annotated[Totals, NESTED]
    top_artists: Annotated[list[Ranked], TOP]
    top_tracks: Annotated[list[Ranked], TOP]
    top_albums: Annotated[list[Ranked], TOP]
    top_genres: Annotated[list[Ranked], TOP]
    top_podcasts: Annotated[list[Ranked], TOP]
    top_episodes: Annotated[list[Ranked], TOP]
    #: artists and tracks ranked by plays (more plays first, then ms, then name): what
    #: "most-played" claims are checked against. Empty = not known (a UserYear from before these
    #: fields existed): the grounding then treats by-plays ranks as unknown (see POLICY.md)
    top_artists_by_plays: Annotated[list[Ranked], TOP] = Field(default_factory=list)
    top_tracks_by_plays: Annotated[list[Ranked], TOP] = Field(default_factory=list)
    discovery: Annotated[Discovery, NESTED]
    clock: Annotated[Clock, NESTED]
    months: Annotated[list[Month], NESTED(key="name", peak="minutes")]
    peak_months: Annotated[list[PeakMonth], NESTED(key="artist")]
    streak: Annotated[Streak, NESTED]
    artist_streak: Annotated[Streak, NESTED]
    habits: Annotated[Habits, NESTED]
    nostalgia: Annotated[Nostalgia, NESTED]
    personality: Annotated[Personality, NESTED]
    cohort: Annotated[Cohort, NESTED]
    days: Annotated[list[InterestingDay], NESTED(day=True)] = Field(
        description="up to 5, in detector priority order"
    )

    @property
    def minutes_are_estimates(self) -> bool:
        """Are this listener's minutes estimates? (Some plays came from scrobbles, which keep
        no play length.) Then every minutes figure is, and a story must hedge it ("about")."""
        return self.totals.minutes_estimated > 0

    def day(self, when: date | str) -> InterestingDay:
        """The interesting day on `when` (KeyError when it is not one)."""
        key = when if isinstance(when, date) else date.fromisoformat(str(when))
        for d in self.days:
            if d.date == key:
                return d
        raise KeyError(f"{key} is not one of this listener's interesting days")
