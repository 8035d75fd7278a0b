"""Time that passed between things a story tells: days counted on the calendar, hours on the
day's clock.

Writers count: "six days into 2025", "thirteen days later, on March 18", "two days after that
run ended", "eleven hours later, at 23:08", "in under four hours", "going for over fifteen hours
by then". Read as plain amounts ("6 days", "11 hours") these match no fact of the year, and the
gate would reject a true story. Each is read here first, by the calendar or the clock it counts
on, and only a reading that holds is claimed (and blanked); one that does not is left to
`amounts.numbers`, which checks it as an amount, so a wrong count is still a wrong count:

* N days into the year (or into 2025): the requested day is the year's Nth (or N+1th: "six days
  into" the year is the 6th or 7th, as people count);
* N days later / after / before / earlier / apart: N is the difference between two dates of the
  sentence and the one before it, the requested day among them ("from July 16 to 19" names two);
* day N of a streak ("day 28 of your 38-day streak"): the requested day is the streak's Nth;
* N hours later / apart / after / in (under) N hours / going for N hours: the time between two
  clock times of the day (its first and last play, and the times the sentence gives), with the
  hedge held as for any amount of hours (`numbers.matches`).
"""

from __future__ import annotations

import re
from datetime import date
from itertools import combinations

from wrapped.gate.numbers import matches, qualifier_after, qualifier_before
from wrapped.gate.scan import Run
from wrapped.gate.spoken import _NUM, _value
from wrapped.gate.when import TIME_RE, hour24

_DAYS_RE = re.compile(
    rf"\b({_NUM})\s+days?\s+(into|later|after|before|earlier|apart|on|afterwards?)\b", re.IGNORECASE
)
_INTO_YEAR_RE = re.compile(r"\s*(?:the\s+(?:new\s+)?year|(?:19|20)\d\d)\b", re.IGNORECASE)
_HOURS_RE = re.compile(
    rf"\b({_NUM})\s+hours?\b(?:\s+(later|apart|after|afterwards?|on|in|long|of\s+clock|by\s+then)\b)?",
    re.IGNORECASE,
)
#: what makes "N hours" a stretch of the clock rather than an amount of listening ("for" and
#: "over" do not: "you listened for five hours" is an amount)
_SPAN_BEFORE_RE = re.compile(
    r"\b(?:in|into|within|inside|spanning|spanned|going\s+for|ran\s+for|lasted|stretched\s+(?:over|across))"
    r"\s+(?:(?:just\s+)?(?:under|less\s+"
    r"than|more\s+than|over|about|almost|nearly|roughly|around)\s+)?$",
    re.IGNORECASE,
)
#: "day 28 of your 38-day streak", "Day 3 of the Run"
_STREAK_DAY_RE = re.compile(
    rf"\bday\s+({_NUM})\s+of\s+(?:your|the|that|a|this)\s+(?:[\w-]+\s+){{0,3}}?(?:streak|run)\b",
    re.IGNORECASE,
)
#: what the two patterns above cannot match without (a cheap scan first: most stories lack both)
_DAYS_CUE_RE = re.compile(
    r"\sdays?\s+(?:into|later|after|before|earlier|apart|on|afterwards?)\b", re.IGNORECASE
)
_HOURS_CUE_RE = re.compile(
    r"\shours?\s+(?:later|apart|after|afterwards?|on|in|long|of\s+clock|by\s+then)\b|\b(?:in|into|"
    r"within|inside|spanning|spanned|for|lasted|over|across)\s+(?:[\w-]+\s+){0,4}?hours?\b",
    re.IGNORECASE,
)
#: the data's own clock values ("first_play": "07:45")
_FACT_TIME_RE = re.compile(r"([01]?\d|2[0-3]):([0-5]\d)")


def elapsed(run: Run) -> None:
    """Claim the day and hour counts that the calendar or the day's clock bears out."""
    low = run.low
    if low is not None and "day" not in low and " hour" not in low:
        return
    if low is None or "streak" in low or " run" in low:
        for m in _STREAK_DAY_RE.finditer(run.cur):
            x = _value(m.group(1))
            if x is not None and x in _streak_days(run):
                _claim(run, m.start(), m.end(), "the streak's calendar")
    cur = run.cur
    if (low is None or " day" in low) and _DAYS_CUE_RE.search(cur):
        for m in _DAYS_RE.finditer(cur):
            x = _value(m.group(1))
            if x is not None and _days_hold(run, m, x):
                _claim(run, m.start(), m.end(), "the calendar")
    if (low is None or " hour" in low) and _HOURS_CUE_RE.search(cur):
        for m in _HOURS_RE.finditer(run.cur):
            x = _value(m.group(1))
            if x is not None and _hours_hold(run, m, x):
                _claim(run, m.start(), m.end(), "the day's clock")


def _streak_days(run: Run) -> set[int]:
    """Which day of each of the year's streaks the requested day is (1 = the streak's first)."""
    uy, day = run.ix.user_year, run.ix.day
    out = set()
    for st in (uy.streak, uy.artist_streak):
        if st.start is not None and st.end is not None and st.start <= day <= st.end:
            out.add((day - st.start).days + 1)
    return out


def _claim(run: Run, start: int, end: int, fact: str) -> None:
    run.add("number", run.orig[start:end], True, fact)
    run.blank(start, end)


def _days_hold(run: Run, m: re.Match[str], x: float) -> bool:
    day = run.ix.day
    if m.group(2).lower() == "into":
        if _INTO_YEAR_RE.match(run.orig, m.end()) is None:
            return False
        nth = day.timetuple().tm_yday
        return x in (nth, nth - 1)
    dates = _dates_near(run, m.start())
    return any(abs((a - b).days) == x for a, b in combinations(dates, 2))


def _dates_near(run: Run, pos: int) -> set[date]:
    """The requested day and every date its sentence and the one before it name (as
    `when.dates` read them)."""
    s0, s1 = run.sentence_bounds(pos)
    p0, _ = run.sentence_bounds(max(0, s0 - 2))
    day = run.ix.day
    out = {day}
    for at, month, d in run.dates_read:
        if p0 <= at < s1:
            try:
                out.add(date(day.year, month, d))
            except ValueError:
                continue
    return out


def _hours_hold(run: Run, m: re.Match[str], x: float) -> bool:
    s0, s1 = run.sentence_bounds(m.start())
    if not (m.group(2) or _SPAN_BEFORE_RE.search(run.orig, max(s0, m.start() - 24), m.start())):
        return False  # "three hours of podcasts": an amount, for `amounts`
    qual = qualifier_before(run.orig, m.start()) or qualifier_after(run.orig, m.end())
    times = set(_day_clock(run))
    p0, _ = run.sentence_bounds(max(0, s0 - 2))
    for t in TIME_RE.finditer(run.orig, p0, s1):  # "from 11:30 am to 1:30 pm": two hours, not ten
        h, mm = int(t.group(1)), int(t.group(2))
        if h <= 24 and mm <= 59:
            times.add(hour24(h, t.group(4)) * 60 + mm)
    spans = {abs(a - b) / 60 for a, b in combinations(times, 2)}
    return any(matches(x, qual, f, True, hours=True) for f in spans)


def _day_clock(run: Run) -> list[int]:
    """The requested day's first and last play, as minutes of the day (none if unknown)."""
    try:
        facts = run.ix.user_year.day(run.ix.day).facts
    except KeyError:
        return []
    out = []
    for key in ("first_play", "last_play"):
        v = facts.get(key)
        if isinstance(v, str) and _FACT_TIME_RE.fullmatch(v):
            h, mm = v.split(":")
            out.append(int(h) * 60 + int(mm))
    return out
