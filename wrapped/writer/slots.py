"""What the embedded writer may say: named slots filled only from the listener's own data.

Every slot is a value copied from the (sanitized) `UserYear` — a name exactly as stored, or an
integer written with thousands separators — together with the path it came from. A phrase can
only use slots, so a story can only state what the data states. Counts below 2 are left out (no
"1 plays"), and so is anything the safety filter withheld.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import NamedTuple

from wrapped.prompts.locale import SpellingFamily
from wrapped.stats.model import MONTHS, InterestingDay, UserYear

WITHHELD_MARK = "[withheld"
PART_PHRASE = {
    "morning": "in the morning",
    "afternoon": "in the afternoon",
    "evening": "in the evening",
    "night": "at night",
}


class Slot(NamedTuple):
    text: str
    path: str
    value: str | int


Slots = dict[str, Slot]


def the_date(day: date, weekday: str, family: SpellingFamily) -> str:
    """'Saturday 16 March' (British, Canadian) or 'Saturday, March 16' (American)."""
    month = MONTHS[day.month - 1]
    if family == "american":
        return f"{weekday}, {month} {day.day}"
    return f"{weekday} {day.day} {month}"


def _name(slots: Slots, key: str, value: object, path: str) -> None:
    if isinstance(value, str) and value.strip() and WITHHELD_MARK not in value:
        slots[key] = Slot(value.strip(), path, value)


def _count(slots: Slots, key: str, value: object, path: str, minimum: int = 2) -> None:
    if isinstance(value, int) and not isinstance(value, bool) and value >= minimum:
        slots[key] = Slot(f"{value:,}", path, value)


def _hedge_minutes(slots: Slots, uy: UserYear) -> Slots:
    """Minutes that are estimates (scrobbles keep no play length) are written "about N"."""
    if uy.minutes_are_estimates:
        for key, slot in slots.items():
            if key.endswith("minutes"):
                slots[key] = slot._replace(text=f"about {slot.text}")
    return slots


def day_slots(uy: UserYear, index: int, family: SpellingFamily) -> Slots:
    """Slots about the requested day: date, facts, the first play, a recurring artist."""
    day: InterestingDay = uy.days[index]
    base = f"listener.days[{index}]"
    s: Slots = {}
    s["the_date"] = Slot(
        the_date(day.date, day.weekday, family), f"{base}.date", day.date.isoformat()
    )
    s["weekday"] = Slot(day.weekday, f"{base}.weekday", day.weekday)
    s["month"] = Slot(MONTHS[day.date.month - 1], f"{base}.date", day.date.isoformat())
    f = day.facts
    fp = f"{base}.facts"
    for key in (
        "minutes", "plays", "music_minutes", "music_plays", "distinct_artists", "podcast_minutes",
        "podcast_plays", "top_artist_minutes", "top_artist_plays", "top_track_plays",
        "top_show_minutes", "new_artists", "year_top_artist_minutes", "year_top_artist_plays",
        "year_top_genre_minutes", "year_top_genre_plays", "throwback_minutes", "throwback_plays",
    ):  # fmt: skip
        _count(s, f"d_{key}", f.get(key), f"{fp}.{key}")
    for key in (
        "top_artist", "top_track", "top_track_artist", "top_show", "top_new_artist",
        "year_top_artist", "year_top_genre", "oldest_track", "oldest_track_artist",
    ):  # fmt: skip
        _name(s, f"d_{key}", f.get(key), f"{fp}.{key}")
    year = f.get("throwback_cutoff_year")
    if isinstance(year, int) and 1900 < year < 2100:
        s["d_cutoff_year"] = Slot(str(year), f"{fp}.throwback_cutoff_year", year)
    oldest = f.get("oldest_release_year")
    if isinstance(oldest, int) and 1900 < oldest < 2100:
        s["d_oldest_year"] = Slot(str(oldest), f"{fp}.oldest_release_year", oldest)
    # The log is shown only when it is complete enough to speak for the day's start.
    if day.log:
        first = day.log[0]
        _name(s, "first_title", first.title, f"{base}.log[0].title")
        _name(s, "first_by", first.by, f"{base}.log[0].by")
        counts = Counter(e.by for e in day.log if e.by and e.kind == "track")
        if counts:
            name, n = max(counts.items(), key=lambda kv: (kv[1], kv[0]))
            if n >= 3:
                _name(s, "log_regular", name, f"{base}.log[*].by")
    return _hedge_minutes(s, uy)


def year_slots(uy: UserYear) -> Slots:
    """Slots from the stats block: totals, the number ones, streaks, personality."""
    s: Slots = {}
    t = uy.totals
    _count(s, "total_minutes", t.all.minutes, "listener.totals.all.minutes")
    _count(s, "music_minutes", t.music.minutes, "listener.totals.music.minutes")
    _count(s, "podcast_minutes", t.podcast.minutes, "listener.totals.podcast.minutes")
    _count(s, "listening_days", t.listening_days, "listener.totals.listening_days")
    _count(s, "distinct_artists", t.distinct_artists, "listener.totals.distinct_artists")
    _count(s, "distinct_tracks", t.distinct_tracks, "listener.totals.distinct_tracks")
    _count(s, "distinct_shows", t.distinct_shows, "listener.totals.distinct_shows")
    for key, rows in (
        ("artist", uy.top_artists),
        ("track", uy.top_tracks),
        ("genre", uy.top_genres),
        ("podcast", uy.top_podcasts),
    ):
        # "your top X" is a ranking claim: only the true #1 may be called that.
        if rows and rows[0].rank == 1:
            path = f"listener.top_{key}s[0]"
            _name(s, f"top_{key}", rows[0].name, f"{path}.name")
            _count(s, f"top_{key}_minutes", rows[0].minutes, f"{path}.minutes")
            _count(s, f"top_{key}_plays", rows[0].plays, f"{path}.plays")
            if rows[0].by:
                _name(s, f"top_{key}_by", rows[0].by, f"{path}.by")
    if uy.discovery.has_history:
        _count(s, "year_new_artists", uy.discovery.new_artists, "listener.discovery.new_artists")
    _count(s, "streak_days", uy.streak.days, "listener.streak.days", minimum=3)
    if uy.artist_streak.artist:
        _count(
            s, "artist_streak_days", uy.artist_streak.days, "listener.artist_streak.days", minimum=3
        )
        if "artist_streak_days" in s:
            _name(
                s, "artist_streak_artist", uy.artist_streak.artist, "listener.artist_streak.artist"
            )
    _name(s, "personality", uy.personality.label, "listener.personality.label")
    part = uy.clock.top_part_of_day
    if part in PART_PHRASE:
        s["top_part"] = Slot(PART_PHRASE[part], "listener.clock.top_part_of_day", part)
    return _hedge_minutes(s, uy)
