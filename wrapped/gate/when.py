"""Grounding of calendar claims: dates, years, decades, weekdays, months and times of day.

Rules (see POLICY.md): a date must be the day or another date in the data, and a weekday written
with it must be that date's; years must be in the data, decades in the nostalgia block; a
singular weekday must be the day's, another interesting day's or the busiest; a plural one the
busiest or the day's; "biggest month" must be the month with most minutes; a time must match a
play in the day's log (exact +-1 min, an hour, "around" +-60 min) or the peak hour.
"""

from __future__ import annotations

import re
from datetime import date

from wrapped.gate.facts import FactIndex
from wrapped.gate.needs import needs
from wrapped.gate.numbers import qualifier_before
from wrapped.gate.scan import Run, opening
from wrapped.stats.model import MONTHS, WEEKDAYS

# Where a pattern would open with a word boundary before a digit or a letter, it opens with that
# character and then checks the boundary behind it (`(?<!\w\d)`: "no word character before this
# digit"): the engine then finds the opening characters with its fast search instead of trying
# every position. Same matches.
# The lookaheads on a first character (what the alternatives can start with) only let the engine
# drop most positions at once: same matches, faster scans.
# months in any case ("january 13" in a lower-case story), but "may" only capitalised (a verb)
_MONTH_ALT = (
    "(?i:" + "|".join(m for m in MONTHS + tuple(m[:3] for m in MONTHS) if m != "May") + "|sept)"
    # "may" in lower case only before a day of the month ("tues may 27"), never a verb's "may"
    r"|May|may(?=\s+\d{1,2}(?:st|nd|rd|th)?\b(?![:.,]?\d)(?!\s+(?:minutes?|hours?|plays?|songs?|"
    r"tracks?|artists?|times|days?|episodes?|podcasts?|spins?|streams?)\b))"
)
WEEKDAY_ALT = "|".join(WEEKDAYS)
ISO_RE = re.compile(
    r"(\d(?<!\w\d)\d{3})-(\d{2})-(\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2})?(?:Z|[+-]\d{2}:?\d{2})?)?\b"
)
DMY_RE = re.compile(
    rf"(\d(?<!\w\d)\d?)(?:st|nd|rd|th)?(?:\s+of)?\s+({_MONTH_ALT})\.?(?:,?\s+(\d{{4}}))?\b"
)
MDY_RE = re.compile(
    rf"\b(?=[JFMASONDjfmasond])({_MONTH_ALT})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(\d{{4}}))?"
)
TIME_RE = re.compile(
    r"(\d(?<!\w\d)\d?):(\d{2})(?::(\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)?(?!\w|:\d)", re.IGNORECASE
)
HOUR_RE = re.compile(
    r"(\d(?<!\w\d)\d?)\s*(am|pm|a\.m\.|p\.m\.|o'clock|o’clock|at\s+night|"
    r"in\s+the\s+(?:morning|afternoon|evening))(?!\w)",
    re.IGNORECASE,
)
BARE_HOUR_RE = re.compile(
    r"\b(?=[abutps])(at|after|before|around|until|till|past|since)\s+(\d{1,2})\b(?![:.,]?\d)(?!\s*(?:%|[a-z]))",
    re.IGNORECASE,
)
NAMED_TIME_RE = re.compile(r"\b(?=[mn])(midnight|noon|midday)\b", re.IGNORECASE)
DECADE_RE = re.compile(
    r"(?<![\w])(?=[\d’'tfsen])(?:(19|20)(\d)0s|[’']?(\d)0s|(twenties|thirties|forties|fifties|sixties|seventies|eighties|nineties|noughties))\b",
    re.IGNORECASE,
)
YEAR_RE = re.compile(r"((?:19|20)(?<![\w.,]..)\d\d)(?!\w|,\d)")  # "2024," is a year; "2024,5" not


def _words_alt(words: tuple[str, ...]) -> str:
    """The alternation of capitalised `words`, each opening a word: its first letter, then the
    boundary check behind that letter, then the rest ("M", boundary, "onday"; see above)."""
    return "|".join(rf"{w[0]}(?<!\w.){w[1:]}" for w in words)


WEEKDAY_RE = re.compile(rf"({_words_alt(WEEKDAYS)})(s)?\b")
MONTH_RE = re.compile(rf"({_words_alt(MONTHS)})\b")
TOP_MONTH_RE = re.compile(
    r"\b(?=[btlh])(biggest|busiest|top|loudest|heaviest)\s+month\b", re.IGNORECASE
)


def _month_num(token: str) -> int:
    t = token[:3].lower()
    return [m[:3].lower() for m in MONTHS].index(t) + 1


_WEEKDAY_BEFORE_RE = re.compile(rf"\b({WEEKDAY_ALT}),?\s*(?:the\s+)?$")
_TIME_QUAL_RE = re.compile(
    r"\b(before|after|past|by|until|till|from|since|around|about|just after|just before)\s*$",
    re.IGNORECASE,
)


#: what a month's name (or its abbreviation) contains, lower case
_MONTH_STEMS = tuple(m[:3].lower() for m in MONTHS)


#: what every match of MDY_RE (DMY_RE) holds, in lower case: a month's name opening a word, then
#: spaces and a digit (a digit, then spaces and a month's name)
_MDY_NEEDS = opening(list(_MONTH_STEMS), r"[a-z]*\.?\s+\d")
_DMY_NEEDS = re.compile(rf"\d(?:st|nd|rd|th)?(?:\s+of)?\s+(?:{'|'.join(_MONTH_STEMS)})")


def dates(run: Run) -> None:
    ix = run.ix
    if not run.digit:
        return  # every date form has a day or a year in digits
    for rx, kind, may in (
        (ISO_RE, "iso", "-" in run.orig),
        (DMY_RE, "dmy", run.has(_DMY_NEEDS)),
        (MDY_RE, "mdy", run.has(_MDY_NEEDS)),
    ):
        if not may:
            continue
        for m in rx.finditer(run.cur):
            try:
                if kind == "iso":
                    y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
                elif kind == "dmy":
                    d, mo, y = int(m.group(1)), _month_num(m.group(2)), int(m.group(3) or 0)
                else:
                    mo, d, y = _month_num(m.group(1)), int(m.group(2)), int(m.group(3) or 0)
                if kind == "mdy" and m.group(1) == "May" and d > 31:
                    continue
                candidates = {
                    x for x in ix.dates if x.month == mo and x.day == d and (not y or x.year == y)
                }
            except ValueError:
                continue
            run.dates_read.append((m.start(), mo, d))
            span = run.orig[m.start() : m.end()]
            wd = _WEEKDAY_BEFORE_RE.search(run.cur[max(0, m.start() - 14) : m.start()])
            if wd and candidates:
                candidates = {x for x in candidates if WEEKDAYS[x.weekday()] == wd.group(1)}
                span = f"{wd.group(1)} {span}"
            _date_claim(run, span, candidates)
            run.blank(m.start(), m.end())
            if kind != "iso":  # "March 17 to 20", "17-20 March": the other end is a date too
                _range_end(run, m, kind, mo, d, y)
    if " the " in run.orig and run.may("st ", "nd ", "rd ", "th "):
        _ordinal_days(run)


#: "a streak in March, from the 8th to the 27th": a day of the month its sentence names
_ORDINAL_DAY_RE = re.compile(
    r"\b(?:from|on|until|till|to|through|by)\s+the\s+(\d{1,2})(?:st|nd|rd|th)\b", re.IGNORECASE
)


_MONTH_ANY_CASE_RE = re.compile(MONTH_RE.pattern, re.IGNORECASE)


def _ordinal_days(run: Run) -> None:
    for m in _ORDINAL_DAY_RE.finditer(run.cur):
        s0, _ = run.sentence_bounds(m.start())
        months = [
            x for x in _MONTH_ANY_CASE_RE.finditer(run.orig, s0, m.start()) if x.group(1) != "may"
        ]
        if not months:
            continue  # no month named before it: left to the amounts
        mo, d = _month_num(months[-1].group(1).title()), int(m.group(1))
        _date_claim(
            run,
            run.orig[m.start(1) : m.end()],
            {x for x in run.ix.dates if (x.month, x.day) == (mo, d)},
        )
        run.blank(m.start(1), m.end())


def _date_claim(run: Run, span: str, candidates: set[date]) -> None:
    if candidates:
        run.add("date", span, True, f"date={min(candidates).isoformat()}")
    else:
        run.add(
            "date",
            span,
            False,
            why=f"no listening fact on that date (the day is {run.ix.day.isoformat()})",
        )


#: the other end of a date range: a bare day of the month after "March 17" or before "20 March"
_RANGE_AFTER_RE = re.compile(
    r"\s*(?:to|through|till|until|-|–|—)\s*(\d{1,2})(?:st|nd|rd|th)?\b(?![:.]\d|,\d|\s*[%a-z])"
)
_RANGE_BEFORE_RE = re.compile(
    r"(?<![\w:.,])(\d{1,2})(?:st|nd|rd|th)?\s*(?:to|through|till|until|-|–|—)\s*$"
)


def _range_end(run: Run, m: re.Match[str], kind: str, mo: int, d: int, y: int) -> None:
    if kind == "mdy":
        r = _RANGE_AFTER_RE.match(run.cur, m.end())
    else:
        r = _RANGE_BEFORE_RE.search(run.cur, max(0, m.start() - 16), m.start())
    if r is None:
        return
    other = int(r.group(1))
    if not 1 <= other <= 31 or (other <= d if kind == "mdy" else other >= d):
        return  # a range runs forward within its month
    found = {x for x in run.ix.dates if x.month == mo and x.day == other and (not y or x.year == y)}
    run.dates_read.append((r.start(1), mo, other))
    _date_claim(run, run.orig[r.start(1) : r.end(1)], found)
    run.blank(r.start(1), r.end(1))


def hour24(h: int, ampm: str | None) -> int:
    """The hour on a 24-hour clock of `h` read with its "am"/"pm" (as written when none)."""
    if not ampm:
        return h
    pm = ampm.lower().startswith("p")
    if h == 12:
        return 12 if pm else 0
    return h + 12 if pm else h


def times(run: Run) -> None:
    """Clock times, bare hours ("after 8"), hours ("9pm") and named times, in that order (each
    pattern only where its digits, colon or word are in the text)."""
    if run.digit:
        if ":" in run.orig:
            _clock_times(run)
        if run.has(_BARE_HOUR_NEEDS) and run.can(_BARE_HOUR_READ):
            _bare_hours(run)
        if run.can(_HOUR_READ):
            _named_times(run, HOUR_RE)
    if run.may("mid", "noon"):
        _named_times(run, NAMED_TIME_RE)


#: what every match of BARE_HOUR_RE holds: its word, spaces, a digit
_BARE_HOUR_NEEDS = opening(
    ["at", "after", "before", "around", "until", "till", "past", "since"], r"\s+\d"
)
#: what every match of BARE_HOUR_RE (HOUR_RE) holds, read from it (`wrapped.gate.needs`)
_BARE_HOUR_READ, _HOUR_READ = needs(BARE_HOUR_RE), needs(HOUR_RE)


def _clock_times(run: Run) -> None:
    ix = run.ix
    for m in TIME_RE.finditer(run.cur):
        h, mi = int(m.group(1)), int(m.group(2))
        if h > 24 or mi > 59:
            continue
        hh = hour24(h, m.group(4))
        minute = hh * 60 + mi
        qual = qualifier_before(run.cur, m.start()) or _time_qual(run.cur, m.start())
        ok = _time_ok(ix, minute, qual, exact=True)
        if not ok and not m.group(4) and h <= 12:
            # a 12-hour clock without am/pm: "12:40" is 00:40 or 12:40, "9:15" 9:15 or 21:15
            ok = _time_ok(ix, (h % 12 if h == 12 else h + 12) * 60 + mi, qual, exact=True)
        run.add(
            "time",
            run.orig[m.start() : m.end()],
            ok,
            "day.log time" if ok else None,
            "no play at that time in the day's log",
        )
        run.blank(m.start(), m.end())


def _bare_hours(run: Run) -> None:
    ix = run.ix
    for m in BARE_HOUR_RE.finditer(run.cur):  # "just after 8", "before 11"
        h = int(m.group(2))
        if not 1 <= h <= 24:
            continue
        qual = _time_qual(run.cur, m.start(2))
        ok = _time_ok(ix, (h % 24) * 60, qual, exact=False) or (
            h <= 12 and _time_ok(ix, (h + 12) % 24 * 60, qual, exact=False)
        )
        run.add(
            "time",
            run.orig[m.start(2) : m.end(2)],
            ok,
            "day.log time" if ok else None,
            "no listening at that hour in the data",
        )
        run.blank(m.start(2), m.end(2))


def _named_times(run: Run, rx: re.Pattern[str]) -> None:
    """An hour ("9pm", "10 o'clock") or a named time ("midnight")."""
    ix = run.ix
    for m in rx.finditer(run.cur):
        if rx is HOUR_RE:
            h = int(m.group(1))
            if h > 12 and not m.group(2).lower().startswith("o"):
                continue
            hh = hour24(h, _ampm(h, m.group(2).lower()))
        else:
            hh = 0 if m.group(1).lower() == "midnight" else 12
        qual = qualifier_before(run.cur, m.start()) or _time_qual(run.cur, m.start())
        if qual is None and hh == 0 and _TO_RE.search(run.cur, max(0, m.start() - 24), m.start()):
            qual = "until"  # "(ten minutes) to midnight", "from three to midnight"
        ok = _time_ok(ix, hh * 60, qual, exact=False)
        if not ok and rx is HOUR_RE and m.group(2).lower().startswith("o") and h <= 12:
            ok = _time_ok(ix, (h + 12) * 60, qual, exact=False)
        run.add(
            "time",
            run.orig[m.start() : m.end()],
            ok,
            "day.log/peak hour" if ok else None,
            "no listening at that hour in the data",
        )
        run.blank(m.start(), m.end())


def _ampm(h: int, suffix: str) -> str | None:
    """ "am"/"pm" for an hour's suffix: "9pm", "7 in the morning", "11 at night" (pm), "2 at
    night" (am); None for "o'clock"."""
    if suffix.startswith("in"):
        return "am" if suffix.endswith("morning") else "pm"
    if suffix.startswith("at"):
        return "pm" if 6 <= h <= 11 else "am"
    return suffix if suffix[0] in "ap" else None


_TO_RE = re.compile(r"\bto\s+$", re.IGNORECASE)


#: how each of _TIME_QUAL_RE's words ends (its last two letters, lower case)
_TIME_QUAL_ENDS = ("re", "er", "st", "by", "il", "ll", "om", "ce", "nd", "ut")


def _may_time_qual(window: str) -> bool:
    """Can _TIME_QUAL_RE match `window`? Its match closes the window (then only white space):
    False when no word of it ends the window; a letter outside ASCII may match one inside."""
    return not window.isascii() or window.rstrip()[-2:].lower() in _TIME_QUAL_ENDS


def _time_qual(text: str, start: int) -> str | None:
    window = text[max(0, start - 16) : start]
    if not _may_time_qual(window):
        return None
    m = _TIME_QUAL_RE.search(window)
    return m.group(1).lower() if m else None


def _time_ok(ix: FactIndex, minute: int, qual: str | None, *, exact: bool) -> bool:
    plays = ix.minutes_of_day
    peak = ix.peak_hour * 60 if ix.peak_hour is not None else None
    if qual in ("before", "by", "until", "till", "just before", "under"):
        minute = minute or 24 * 60  # "before midnight"
        return any(p <= minute for p in plays)
    if qual in ("after", "past", "from", "since", "just after", "over"):
        return any(p >= minute for p in plays)
    if qual in ("around", "about"):
        return any(abs(p - minute) <= 60 for p in plays) or (
            peak is not None and abs(peak - minute) <= 60
        )
    if exact:
        return any(abs(p - minute) <= 1 for p in plays)
    return any(minute <= p < minute + 60 for p in plays) or peak == minute


#: a month a range or a list runs through ("your biggest month from January to June")
_MONTH_IN_RANGE_RE = re.compile(r"\b(?:from|to|through|until|till|between)\s+$", re.IGNORECASE)


def _claimed_top_month(run: Run, s0: int, s1: int, pos: int) -> bool:
    """Is the month at `pos` the one its sentence calls the biggest? The month nearest the
    claim ("X topped February, March and April, and April was your biggest month"), not one a
    range or a list beside it names. Found once per sentence, before its months are read."""
    key = ("top month", s0)
    if key not in run.memo:
        run.memo[key] = None
        claim = TOP_MONTH_RE.search(run.orig, s0, s1)
        text = run.cur
        months = [
            x.start()
            for x in MONTH_RE.finditer(text, s0, s1)
            if not _MONTH_IN_RANGE_RE.search(text, max(s0, x.start() - 9), x.start())
        ]
        if claim is not None and months:
            c0, c1 = claim.span()
            run.memo[key] = min(months, key=lambda p: abs(p - c1) if p >= c1 else c0 - p)
    return run.memo[key] == pos


def calendar(run: Run) -> None:
    ix = run.ix
    cur = run.cur
    for m in WEEKDAY_RE.finditer(cur) if "day" in run.orig else ():
        name, plural = m.group(1), bool(m.group(2))
        allowed = ix.plural_weekdays if plural else ix.weekdays
        ok = name in allowed
        run.add(
            "weekday",
            m.group(0),
            ok,
            f"weekday={name}" if ok else None,
            f"the day was a {WEEKDAYS[ix.day.weekday()]}"
            if not plural
            else f"your busiest weekday is {ix.user_year.clock.busiest_weekday}",
        )
        run.blank(m.start(), m.end())
    if not run.may(*_MONTH_STEMS):
        return
    cur = run.cur
    window_months = {m.name for m in ix.user_year.months} | {MONTHS[ix.day.month - 1]}
    for m in MONTH_RE.finditer(cur):
        name = m.group(1)
        s0, s1 = run.sentence_bounds(m.start())
        if _claimed_top_month(run, s0, s1, m.start()):
            ok = name == ix.top_month
            why = f"your biggest month was {ix.top_month}"
        else:
            ok = name in window_months
            why = "no listening that month"
        run.add("month", name, ok, f"month={name}" if ok else None, why)
        run.blank(m.start(), m.end())


def decades_years(run: Run) -> None:
    ix = run.ix
    word_decades = {
        "twenties": 2,
        "thirties": 3,
        "forties": 4,
        "fifties": 5,
        "sixties": 6,
        "seventies": 7,
        "eighties": 8,
        "nineties": 9,
        "noughties": 0,
    }
    for m in DECADE_RE.finditer(run.cur) if run.may("0s", "ties") else ():
        if m.group(1):
            dec = int(m.group(1) + m.group(2) + "0")
            options = {dec}
        else:
            digit = int(m.group(3)) if m.group(3) else word_decades[m.group(4).lower()]
            options = {1900 + digit * 10, 2000 + digit * 10}
        ok = bool(options & ix.decades)
        run.add(
            "number",
            run.orig[m.start() : m.end()],
            ok,
            "nostalgia.minutes_by_decade" if ok else None,
            "that decade is not in your listening",
        )
        run.blank(m.start(), m.end())
    if "19" not in run.orig and "20" not in run.orig:
        return
    for m in YEAR_RE.finditer(run.cur):
        y = int(m.group(1))
        ok = y in ix.years
        run.add(
            "date", m.group(1), ok, f"year={y}" if ok else None, "that year is not in your data"
        )
        run.blank(m.start(), m.end())
