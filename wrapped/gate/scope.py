"""What a sentence is about: the requested day, the year, plays.

A number or a rank is bound to its subject (POLICY.md): "417 minutes that day" is checked
against the day's facts, "86 hours this year" against the year's, and a "most-played" rank may be
by plays. The grounding extractors ask these questions of the same few sentences, so the answers
are memoized per sentence in the run (`Run.memo`).
"""

from __future__ import annotations

import re
from datetime import date

from wrapped.gate.needs import Needs, holds, needs, present
from wrapped.gate.numbers import _WORD_ALT
from wrapped.gate.scan import Run
from wrapped.safety.required import spaced
from wrapped.stats.model import MONTHS, WEEKDAYS

_PLAYS_WORDS = re.compile(
    r"\b(?:plays?|played|streams?|streamed|spins?|spun|replay\w*|times|came\s+back|returned|"
    r"repeat|looped|most[- ]played|scrobbl\w*)\b",
    re.IGNORECASE,
)

# the lookaheads name the first letters of the alternatives: same matches, ~2x faster scans
_DAY_SCOPE = re.compile(
    r"\b(?=[tasowibnTASOWIBN])(?:(?:that|this|the|a|one|single|same|which)\s+(?:single\s+)?(?:day|date|afternoon|"
    r"morning|evening|night)|today|tonight|all\s+day|(?:in|on)\s+(?:a|one)\s+(?:single\s+)?day|"
    r"the\s+record\s+day|by\s+(?:lunch|noon|midnight|bedtime)|birthday|new\s+year'?s\s+day)\b",
    re.IGNORECASE,
)
_YEAR_SCOPE = re.compile(
    r"\b(?=[tyaefw1o2iTYAEFW1O2I])(?:(?:this|the|your|whole|entire|all|a|full)\s+(?:whole\s+|entire\s+)?year|"
    r"year[- ](?:long|round)|(?:19|20)\d\d|overall|12\s+months|"
    r"twelve\s+months|annual\w*|all[- ]time|every\s+month|(?:over|across|throughout)\s+"
    r"(?:the|your)\s+(?:whole\s+)?(?:year|months))\b",
    re.IGNORECASE,
)


_DAY_OF_YEAR = re.compile(
    r"(?<!every )\b(?:day|night|date)\s+(?:of|in|all|this|that)\s+(?:the\s+|this\s+|your\s+)?"
    r"(?:whole\s+|entire\s+)?(?:year|(?:19|20)\d\d)\b"
    r"|\b(?:your|the)\s+longest\s+(?:music\s+|listening\s+)?(?:trip|journey|session|stretch|outing)\b"
    r"|\b(?:your|the)\s+(?:biggest|busiest|fullest|heaviest|loudest|most)\s+(?:one\s+|music\s+|"
    r"listening\s+)?(?:of|in|all)\s+(?:the\s+|this\s+"
    r"|your\s+)?(?:whole\s+|entire\s+)?(?:year|(?:19|20)\d\d)\b|\b(?:annual|yearly)\s+(?:maximum|"
    r"high|record|best|peak)\b"
    r"|\b(?:any|every)\s+(?:other\s+)?(?:single\s+)?day\b[^.;:!?]{0,40}?"
    r"\b(?:this|the|that|all)\s+year\b",
    re.IGNORECASE,
)
#: a record day named ("their biggest day with you", "your biggest electronic day"): the day
_RECORD_DAY = re.compile(
    r"\b(?:biggest|busiest|longest|heaviest|fullest|loudest|quietest|record|best|top)\s+"
    r"(?:[\w-]+\s+){0,2}?day\b(?!\s+of\s+(?:the|your)\s+week)",
    re.IGNORECASE,
)
#: a rank that identifies an item by its year ("your top artist of the year", "your number two
#: artist of 2024", "top artist all year"): an apposition, not what the sentence's numbers are about
_RANK_OF_YEAR = re.compile(
    r"\b(?:top|number\s+(?:one|two|three|four|five|\d)|#\d|favou?rite|most[- ]played|second|third)"
    r"\s+(?:new\s+)?(?:[\w-]+\s+)?(?:artists?|tracks?|songs?|albums?|genres?|shows?|podcasts?)"
    r"\s+(?:of\s+(?:the\s+(?:whole\s+)?year|(?:19|20)\d\d)|(?:all|this)\s+year|in\s+(?:19|20)\d\d)\b",
    re.IGNORECASE,
)
#: a name described by its year ("Amber Cactus, the song that finished your year on top", "the
#: artist you played more than any other this year"): like a rank of the year, it names the item,
#: and the sentence's numbers stay what the rest of it says (a description holding a figure of
#: its own keeps it: "the song you played 71 times this year", and so does one a figure follows:
#: "the song you streamed most all year, sixty-two times")
_NAMED_BY_YEAR = re.compile(
    r"\bthe\s+(?:same\s+)?(?:song|track|artist|album|show|podcast|genre|one|band)\s+(?:that|which|"
    r"you|who)\b[^,.;:!?\d]{0,60}?\b(?:year|(?:19|20)\d\d)\b(?:\s+on\s+top)?"
    rf"(?!\s*[,:—–]?\s*(?:(?:with|at|on|by)\s+)?(?:\d|(?:a\s+)?(?:{_WORD_ALT})\b))",
    re.IGNORECASE,
)
_PART_OF_DAY_RE = re.compile(r"\b(?:time|part|hour)\s+of\s+(?:the\s+)?day\b", re.IGNORECASE)
_PARTS_RE = re.compile(r"\b(?:the|your)\s+(?:morning|afternoon|evening|night)s?\b", re.IGNORECASE)
_MONTHS_LOW = tuple(m.lower() for m in MONTHS)
_DIGIT_RE = re.compile(r"\d")
_DAY_STEMS = ("day", "tonight", "afternoon", "morning", "evening", "night", "lunch", "noon",
              "bedtime", "date")  # fmt: skip
_YEAR_STEMS = ("year", "19", "20", "overall", "month", "annual", "all-time", "all time")


def sentence_scope(run: Run, pos: int) -> str | None:
    """What the sentence at `pos` is about: "day" (the requested day: "that day", its date,
    its weekday), "year" ("this year", "all year", "in total"), or None (both or neither)."""
    s0, s1 = run.sentence_bounds(pos)
    memo = run.memo
    key = ("scope", s0)
    if key in memo:
        known = memo[key]
        return known if isinstance(known, str) else None
    memo[key] = scope = _scope(run, s0, s1)
    return scope


#: where a sentence's clauses meet (", and it finished the year as ...", ", which tracks, because
#: they finished 2024 on top"); a colon or a dash
#: does not end one: what follows it spells out what came before ("your biggest day: 117 minutes")
_CLAUSE_RE = re.compile(
    r",\s+(?:and|but|while|whereas|yet|which|because|since|though|although|(?:just\s+)?as)\s+|;\s*",
    re.IGNORECASE,
)


def clause_bounds(run: Run, pos: int) -> tuple[int, int, bool]:
    """The clause at `pos`: its start and end, and whether its sentence joins several (the
    breaks are found once per sentence, in `run.clauses`)."""
    s0, s1 = run.sentence_bounds(pos)
    breaks = run.clauses.get(s0)
    if breaks is None:
        text = run.orig
        if text.find(",", s0, s1) < 0 and text.find(";", s0, s1) < 0:
            breaks = run.clauses[s0] = ()  # every clause break holds one or the other
        else:
            breaks = run.clauses[s0] = tuple(
                m.span()
                for m in _CLAUSE_RE.finditer(text, s0, s1)
                if not any(sp.start <= m.start() < sp.end for sp in run.names)  # "Evil;Band"
            )
    c0, c1 = s0, s1
    for b0, b1 in breaks:
        if b1 <= pos:
            c0 = b1
        elif b0 >= pos:
            c1 = b0
            break
    return c0, c1, bool(breaks)


def clause_scope(run: Run, pos: int) -> str | None:
    """What the clause at `pos` is about, when its sentence joins clauses about different
    things ("X played three times that day, and it finished the year as your top track with
    40 plays"): the clause's own "day" or "year", or None when only another clause says which;
    the sentence's scope when it is one clause."""
    c0, c1, several = clause_bounds(run, pos)
    if not several:
        return sentence_scope(run, pos)
    ckey = ("clause", c0)
    if ckey not in run.memo:
        run.memo[ckey] = _scope(run, c0, c1)
    known = run.memo[ckey]
    return known if isinstance(known, str) else None


# The day's own date or weekday named in a sentence, as three patterns over every month and
# weekday (one named group each), compiled once: a pattern per day cost a compile per new day.
_MONTH_GROUPS = "|".join(f"(?P<m{i}>{m})" for i, m in enumerate(MONTHS))
# A lookahead on the names' first letters lets the engine drop most positions at once, and the
# day's digits open their pattern (then the boundary behind them: `(?<!\w\d)`), so the engine's
# fast search finds them: the same matches as `\b(?:months)`, `\b(?P<d>\d+)`, `\b(?:weekdays)`.
_MONTH_DAY_RE = re.compile(
    rf"\b(?=[jfmasond])(?:{_MONTH_GROUPS})\s+(?P<d>\d+)(?!\d)\b", re.IGNORECASE
)
_DAY_MONTH_RE = re.compile(
    rf"(?P<d>\d(?<!\w\d)\d*)(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{_MONTH_GROUPS})\b", re.IGNORECASE
)
_WEEKDAY_GROUPS = "|".join(f"(?P<w{i}>{w})" for i, w in enumerate(WEEKDAYS))
_WEEKDAY_ONE_RE = re.compile(rf"\b(?=[mtwfs])(?:{_WEEKDAY_GROUPS})(?!s)\b", re.IGNORECASE)


def _names_day(text: str, d: date) -> bool:
    """Does `text` name `d` ("March 3", "3rd of March") or its weekday (singular)?

    A match names a month (or weekday) by its group, so a case-blind match is read as the
    pattern read it; the day is the whole digit run (a word boundary and no digit after it)."""
    month, day = f"m{d.month - 1}", str(d.day)
    for rx in (_MONTH_DAY_RE, _DAY_MONTH_RE):
        for m in rx.finditer(text):
            if m.group(month) is not None and m.group("d") == day:
                return True
    weekday = f"w{d.weekday()}"
    return any(m.group(weekday) is not None for m in _WEEKDAY_ONE_RE.finditer(text))


def _names_other_date(text: str, d: date) -> bool:
    """Does `text` name a date ("11 January", "March 18") other than `d`? (Both patterns need a
    digit: a text without one is not scanned.)"""
    if _DIGIT_RE.search(text) is None:
        return False
    for rx in (_MONTH_DAY_RE, _DAY_MONTH_RE):
        for m in rx.finditer(text):
            month = next(int(k[1:]) for k, v in m.groupdict().items() if k[0] == "m" and v)
            if (month + 1, int(m.group("d"))) != (d.month, d.day):
                return True
    return False


#: what the scope patterns' matches hold (`wrapped.gate.needs`)
_DAY_OF_YEAR_NEEDS, _RECORD_DAY_NEEDS, _RANK_OF_YEAR_NEEDS, _YEAR_SCOPE_NEEDS, _PLAYS_NEEDS = map(
    needs, (_DAY_OF_YEAR, _RECORD_DAY, _RANK_OF_YEAR, _YEAR_SCOPE, _PLAYS_WORDS)
)


def _may(need: Needs, low: str, held: list[frozenset[str]], fold: bool) -> bool:
    """Can a pattern that needs `need` match the text whose lower case is `low`? The strings
    it holds are found on first need (kept in `held`, emptied when the text changes); without
    `fold` (the story holds a letter `lower` leaves unfolded) it may."""
    if not fold:
        return True
    if not held:
        held.append(present(spaced(low)))
    return holds(need, held[0])


def _scope(run: Run, s0: int, s1: int) -> str | None:
    text = run.orig[s0:s1]
    for sp in run.names:  # "Autumn of the Morning" the track says nothing of a morning
        if s0 <= sp.start and sp.end <= s1:
            text = text[: sp.start - s0] + " " * (sp.end - sp.start) + text[sp.end - s0 :]
    low = text.lower()
    if (" of the day" in low or " of day" in low) and _PART_OF_DAY_RE.search(text):
        # "the evening is your biggest part of the day": a clock figure of the year, and its
        # "the evening" a part of every day, not the requested one
        text = _PARTS_RE.sub(" ", _PART_OF_DAY_RE.sub(" ", text))
        low = text.lower()
    # `low` as `needs` strings are looked for in it (when the story holds no letter that
    # `lower` leaves unfolded; else every pattern runs): rebuilt whenever the text changes
    fold = run.low is not None
    held: list[frozenset[str]] = []
    superlative = None
    if _may(_DAY_OF_YEAR_NEEDS, low, held, fold):
        # "your biggest day of the year", "more than on any other day this year", "78
        # minutes, your biggest of the year", "the annual maximum": about the day
        superlative = _DAY_OF_YEAR.search(text)
        if superlative is not None:
            text = text[: superlative.start()] + text[superlative.end() :]
            low = text.lower()
            held.clear()
    day = (
        superlative is not None
        or (
            "day" in low
            and _may(_RECORD_DAY_NEEDS, low, held, fold)
            and _RECORD_DAY.search(text) is not None
        )
        or (any(w in low for w in _DAY_STEMS) and _DAY_SCOPE.search(text) is not None)
    )
    d = run.ix.day
    if not day:
        month, weekday = MONTHS[d.month - 1], WEEKDAYS[d.weekday()]
        if month.lower() in low or weekday.lower() in low:
            day = _names_day(text, d)
    elif any(m in low for m in _MONTHS_LOW) and _names_other_date(text, d):
        # "on 11 January you played it five times, more than any song got in a single day":
        # a record of another day is no claim about the requested one
        day = _names_day(text, d)
    if ("year" in low or "20" in low or "19" in low) and _may(_RANK_OF_YEAR_NEEDS, low, held, fold):
        # "X, your top artist of the year, had five plays": the rank names X, it does not make
        # the sentence's numbers the year's
        text = _RANK_OF_YEAR.sub(" ", text)
        low = text.lower()
        held.clear()
    if "the " in low and ("year" in low or "20" in low or "19" in low):
        named = _NAMED_BY_YEAR.sub(" ", text)  # rare: no `needs` prefilter
        if len(named) != len(text):
            text, low = named, named.lower()
            held.clear()
    year = (
        any(w in low for w in _YEAR_STEMS)
        and _may(_YEAR_SCOPE_NEEDS, low, held, fold)
        and _YEAR_SCOPE.search(text) is not None
    )
    if day and not year:
        return "day"
    if year and not day:
        return "year"
    return None


def plays_claim(run: Run, pos: int) -> bool:
    """Does the sentence at `pos` speak of plays (so a rank in it may be by plays)?"""
    s0, s1 = run.sentence_bounds(pos)
    key = ("plays", s0)
    if key not in run.memo:
        run.memo[key] = run.can(_PLAYS_NEEDS) and bool(_PLAYS_WORDS.search(run.orig[s0:s1]))
    return bool(run.memo[key])


#: a rank phrase bound to the requested day by its own words: "your top track of the day", "the
#: song you played most that day", "that night's favourite", "the day's biggest artist"
_OF_DAY_RE = re.compile(
    r"\s+(?:of\s+(?:the|that)\s+day|(?:on\s+)?that\s+(?:day|morning|afternoon|evening|night))\b",
    re.IGNORECASE,
)
_DAYS_RE = re.compile(
    r"\b(?:the|that)\s+(?:day|morning|afternoon|evening|night)['’]s\s+(?:very\s+)?$", re.IGNORECASE
)


def day_bound(run: Run, start: int, end: int) -> bool:
    """Is the rank phrase at `start:end` said of the requested day ("top track of the day",
    "played most that day", "the day's top artist")? Then it is the day's ranking it claims,
    whatever the year's says: a first place of the year is no first place of the day."""
    return (
        _OF_DAY_RE.match(run.orig, end) is not None
        or _DAYS_RE.search(run.orig, max(0, start - 24), start) is not None
    )
