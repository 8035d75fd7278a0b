"""Numbers as people say them rather than write them: clock times in words, hours in words,
compound durations, margins, multiples and proportions.

LLM writers rarely keep to "N minutes". They say "twenty-five past midnight", "half an hour",
"seven hours and forty minutes", "82 minutes ahead of X", "three times as many plays", "nine in
ten". Read as bare numbers ("25", "40 minutes", "82 minutes"), each of those is a false claim,
so they are read here first, each by its own rule, and blanked for `amounts.numbers`:

* a clock time in words is a time of the day's log (+-2 minutes; the hour's both halves of
  the clock when "in the morning"/"at night" is not said);
* hours in words and compound durations are amounts (`amounts._match`, hours rules);
* a margin ("by 42 minutes", "82 minutes ahead of", "a gap of 67") is the difference between
  two facts of the same kind: two items the sentence names, or one named item and another row
  of the same list (the runner-up it beat);
* a multiple ("three times as many") is a comparison, not a count: it claims nothing checkable
  here and is blanked;
* a proportion ("nine in ten", "fewer than four in every hundred plays") is a percentage.
"""

from __future__ import annotations

import re
from functools import lru_cache

from wrapped.gate.amounts import (
    _HOUR_FRACTIONS,
    _match,
    _unit_after,
    kind_paths,
)
from wrapped.gate.dayfacts import WEAK
from wrapped.gate.facts import CALENDAR_MARK, DAY_PATHS
from wrapped.gate.numbers import (
    _UNITS,
    _WORD_ALT,
    DIGITS_RE,
    NUMBER_WORDS_RE,
    matches,
    qualifier_after,
    qualifier_before,
    words_to_number,
)
from wrapped.gate.scan import Run
from wrapped.gate.subjects import _subject_scope
from wrapped.gate.when import _time_ok, _time_qual

#: a number in digits or words ("forty", "twenty-five", "one hundred and five")
_NUM = rf"(?:\d{{1,3}}(?:,\d{{3}})*|(?:{_WORD_ALT})(?:(?:\s+and\s+|[\s-]+)(?:{_WORD_ALT}))*)"


def _value(token: str) -> float | None:
    token = token.strip()
    if token[:1].isdigit():
        return float(token.replace(",", ""))
    v = words_to_number(token)
    return None if v is None else float(v)


# --- clock times in words --------------------------------------------------------------------

_HOUR_WORDS = {w: n for w, n in _UNITS.items() if 1 <= n <= 12}
_CLOCK_RE = re.compile(
    rf"(?<![\d:.,])\b(a\s+quarter|quarter|half|{_NUM})\s+(minutes?\s+)?(past|after|to|before)\s+"
    rf"(midnight|noon|midday|{'|'.join(_HOUR_WORDS)}|1[0-2]|[1-9])\b(?![:.]\d)(?![\s-]+[a-z]*(?:minute|hour|"
    r"day|play|song|track|artist|time|show|episode))"
    r"(\s+(?:in\s+the\s+(?:morning|afternoon|evening)|at\s+night))?",
    re.IGNORECASE,
)
#: a clock time said as one: "at", "began", "ended" ... just before it
_AT_RE = re.compile(
    r"\b(?:at|began|begun|started|starting|ended|ending|finished|closed|opened|until|till)\s+$",
    re.IGNORECASE,
)
_NEARLY_RE = re.compile(r"\b(?:nearly|almost)\s+$", re.IGNORECASE)
_RANGE_OPEN_RE = re.compile(r"\b(?:from|between|rose|went|grew|jumped)\s+$", re.IGNORECASE)
_JUST_RE = re.compile(
    r"\b(?:just|shortly|a\s+little|a\s+bit)\s+(?:before|after)\s+$", re.IGNORECASE
)


#: what follows the connector of every clock time in words: its hour (`_follows`)
_HOUR_AFTER = re.compile(
    rf"(?:midnight|noon|midday|{'|'.join(_HOUR_WORDS)}|1[0-2]|[1-9])\b(?![:.]\d)"
)
#: what follows "by" (or "a gap of") in a margin: a number
_NUMBER_AFTER = re.compile(rf"(?:just |only |a mere |exactly )?(?:\d|(?:{_WORD_ALT})\b)")


def _follows(low: str | None, words: tuple[str, ...], rx: re.Pattern[str]) -> bool:
    """Is one of `words` (each with its spaces) in `low` followed by what `rx` matches? True
    when `low` is None (no shortcut). Found with `str.find`: a connector is in most stories, a
    pattern tried at each of its few places costs far less than a scan of the story."""
    if low is None:
        return True
    for w in words:
        at = low.find(w)
        while at != -1:
            if rx.match(low, at + len(w)):
                return True
            at = low.find(w, at + 1)
    return False


def clock_words(run: Run) -> None:
    """ "twenty-five past midnight", "eleven minutes to twelve", "a quarter past one in the
    morning": a time of the day's log."""
    if not _follows(run.low, (" past ", " after ", " to ", " before "), _HOUR_AFTER):
        return
    for m in _CLOCK_RE.finditer(run.cur):
        word = m.group(1).lower()
        if word in ("a quarter", "quarter"):
            mins: float | None = 15
        elif word == "half":
            mins = 30
        else:
            mins = _value(word)
        if mins is None or not 1 <= mins < 60:
            continue
        to = m.group(3).lower() in ("to", "before")
        qual = _time_qual(run.cur, m.start())
        if qual is None and _NEARLY_RE.search(run.cur, max(0, m.start() - 10), m.start()):
            qual = "just before"  # "until nearly half past eleven"
        said = m.group(2) or m.group(5) or _AT_RE.search(run.cur, max(0, m.start() - 12), m.start())
        if to and not (said or qual not in (None, "around", "about")):
            continue  # "five to four", "18 to 12": a score, unless said as a time
        if not m.group(2) and _RANGE_OPEN_RE.search(run.cur, max(0, m.start() - 10), m.start()):
            continue  # "from three to seven": a range of amounts, not "three to seven"
        target = m.group(4).lower()
        hour = 0 if target == "midnight" else 12 if target in ("noon", "midday") else None
        if hour is None:
            hour = int(target) if target.isdigit() else _HOUR_WORDS[target]
        base = hour * 60 - mins if to else hour * 60 + mins
        part = (m.group(5) or "").lower()
        if target in ("midnight", "noon", "midday"):
            candidates = [base % 1440]
        elif "morning" in part or ("night" in part and hour >= 12):
            candidates = [base % 720]
        elif part:
            candidates = [base % 720 + 720]
        else:
            candidates = [base % 720, base % 720 + 720]
        # "half past ten" is said of 22:35 too; "eleven minutes to twelve" is exact
        slack = 2 if m.group(2) or word not in ("half", "a quarter", "quarter") else 5
        ok = any(
            _time_ok(run.ix, int(c), qual, exact=True)
            or (qual is None and any(abs(p - c) <= slack for p in run.ix.minutes_of_day))
            for c in candidates
        )
        run.add("time", run.orig[m.start() : m.end()], ok, "day.log" if ok else None,
                "no listening at that time in the data")  # fmt: skip
        run.blank(m.start(), m.end())


# --- hours in words and compound durations ----------------------------------------------------

#: "half an hour", "a quarter of an hour", "three quarters of an hour", "an hour and a half",
#: "an hour" (group 1: the fraction, 2: "and a half", 3: "and N minutes")
_HOUR_PHRASE_RE = re.compile(
    r"\b(?:(half|(?:a\s+)?quarter|three[- ]quarters)\s+(?:of\s+)?an|an)\s+hour"
    rf"(\s+and\s+a\s+half)?(?:,?\s+and\s+({_NUM})\s+minutes?)?\b",
    re.IGNORECASE,
)
#: "seven hours and forty minutes", "2 hours, 16 minutes"
_COMPOUND_RE = re.compile(
    rf"\b({_NUM})\s+hours?,?\s+(?:and\s+)?({_NUM})\s+minutes?\b", re.IGNORECASE
)
_OF_KIND_AFTER = re.compile(r"\s+of\s+(music|podcasts?)\b", re.IGNORECASE)


def _paths_after(run: Run, end: int) -> tuple[str, ...]:
    kind = _OF_KIND_AFTER.match(run.cur, end)
    if kind is None:
        return ()
    return kind_paths(kind.group(1))


def _amount(run: Run, start: int, end: int, x: float, unit: str, why: str) -> None:
    qual = qualifier_before(run.cur, start) or qualifier_after(run.cur, end)
    subjects, scope = _subject_scope(run, start)
    fact = _match(run.ix, x, qual, unit, subjects, _paths_after(run, end), scope)
    run.amount(x, unit, run.orig[start:end], fact, why + (f" ({qual})" if qual else ""))
    run.blank(start, end)


_COMPOUND_NEEDS = re.compile(r"hours?,? (?:and )?\S+(?: \S+)? minute")


def durations(run: Run) -> None:
    """Hours in words ("well over half an hour") and compound durations ("seven hours and forty
    minutes" = 460 minutes). A bare "an hour" is a claim only when hedged or followed by "of"
    ("an hour later" is not)."""
    if not run.may("hour"):
        return
    for m in _COMPOUND_RE.finditer(run.cur) if run.has(_COMPOUND_NEEDS) else ():
        h, mins = _value(m.group(1)), _value(m.group(2))
        if h is not None and mins is not None and mins < 60:
            x = h * 60 + mins
            _amount(run, m.start(), m.end(), x, "minutes", f"no minutes in your data match {x:g}")
    for m in _HOUR_PHRASE_RE.finditer(run.cur) if run.may("an hour") else ():
        frac = m.group(1)
        x = _HOUR_FRACTIONS[" ".join(frac.lower().split())] if frac else 1.0
        if m.group(2):
            x += 0.5
        if m.group(3):
            mins = _value(m.group(3))
            if mins is None or mins >= 60:
                continue
            x = 60 * x + mins
            _amount(run, m.start(), m.end(), x, "minutes", f"no minutes in your data match {x:g}")
            continue
        qual = qualifier_before(run.cur, m.start()) or qualifier_after(run.cur, m.end())
        if (
            frac is None
            and not m.group(2)
            and qual is None
            and not run.cur.startswith(" of", m.end())
        ):
            continue
        _amount(run, m.start(), m.end(), x, "hours", f"no hours in your data match {x:g}")


# --- margins, multiples, proportions ---------------------------------------------------------

#: what opens a margin before its number ("won by 42 minutes", "a gap of 67"), or follows it
_MARGIN_BEFORE_RE = re.compile(
    r"(?:\b(?:won|wins?|beat|beats|beating|led|leads?|edged|edges|ahead|behind|trailed|trails?|topped|"
    r"tops|outplayed|more|less|fewer|longer|shorter|second|third|place|first|level|short)\b"
    r"[^.;:!?]{0,40}\bby|\x00\s+by|\b(?:gap|lead|margin|difference)\s+of)\s+(?:just\s+|only\s+|a\s+mere\s+|"
    r"exactly\s+)?$",
    re.IGNORECASE,
)
_MARGIN_AFTER_RE = re.compile(
    r"\s*(minutes?|mins?|plays?|streams?|spins?|hours?)\s+(?:ahead|behind|clear|apart|short|more|less|"
    r"fewer)\b|\s*(?:ahead|behind|clear\s+of|apart)\b",
    re.IGNORECASE,
)
#: what may follow a margin opened before its number: its unit, or nothing ("by 42, 224 to 182")
_MARGIN_UNIT_RE = re.compile(
    r"\s*(?:(?:minutes?|mins?|plays?|streams?|spins?|hours?)\b|[,.;:!?)]|$)", re.IGNORECASE
)
#: "three times as many", "two and a half times the minutes", "more than three times X's"
_MULTIPLE_AFTER_RE = re.compile(
    r"(?:\s+and\s+a\s+half)?\s+times\s+(?:as\s+(?:many|much|long|often)\b|more\b|what\b|longer\b|"
    r"over\b|bigger\b|the\s+(?:minutes|plays|time|amount|number|length)\b|any\s+other\b|"
    r"(?:[^\s.,;:!?]+\s+){0,3}?[^\s.,;:!?]+['’]s\b)",
    re.IGNORECASE,
)
#: "nine in ten", "four in every five minutes", "six plays in every hundred"
_PROPORTION_AFTER_RE = re.compile(
    r"\s+(?:[a-z]+\s+)?(?:in|out\s+of)\s+(?:(?:every|each)\s+(ten|five|four|three|hundred|100|10)\b|"
    r"(ten|five|four|three|hundred|100|10)\b(?!\s+(?:minutes?|hours?|days?|weeks?|months?)))",
    re.IGNORECASE,
)
_PER = {"ten": 10, "10": 10, "five": 5, "four": 4, "three": 3, "hundred": 100, "100": 100}
_UNIT_OF = {"minute": "minutes", "min": "minutes", "play": "count", "stream": "count",
            "spin": "count", "hour": "hours"}  # fmt: skip


#: what each cue holds, in lower case (`Run.has`): most stories hold none, and skip the pass
_PROPORTION_NEEDS = re.compile(
    r" (?:in|out of) (?:every |each )?(?:ten|five|four|three|hundred|100|10)\b"
)
_MARGIN_AFTER_NEEDS = re.compile(
    r"\b(?:ahead|behind|clear of|apart)\b|(?:minutes?|mins?|plays?|streams?|spins?|hours?) "
    r"(?:short|more|less|fewer)\b"
)


_PROPORTION_WORDS = (" in every ", " in each ", " in ten", " in five", " in four", " in three",
                     " in a hundred", " in 10", " out of ")  # fmt: skip
_MARGIN_WORDS = ("ahead", "behind", "clear of", "apart", " short", " more", " less", " fewer")
_MARGIN_OPENERS = (" by ", "gap of ", "lead of ", "margin of ", "difference of ")


#: how every match of _MARGIN_BEFORE_RE ends, before its last white space: its opener ("by",
#: "gap of") or a word between that and the number ("just", "only", "a mere", "exactly")
_MARGIN_ENDS = ("by", "of", "just", "only", "mere", "exactly")


def _may_open_margin(window: str) -> bool:
    """Can _MARGIN_BEFORE_RE match at the end of `window`? False only when the window does not
    end in white space after one of `_MARGIN_ENDS` (the pattern, tried at each of its 64
    positions, cannot match there); a letter outside ASCII may match one inside: True."""
    if not window.isascii():
        return True
    body = window.rstrip()
    return len(body) < len(window) and body[-8:].lower().endswith(_MARGIN_ENDS)


def relations(run: Run) -> None:
    """Margins, multiples and proportions (see the module doc), each read before the plain
    numbers."""
    multiple = run.may(" times ")
    proportion = run.may(*_PROPORTION_WORDS) and run.has(_PROPORTION_NEEDS)
    margin_after = run.may(*_MARGIN_WORDS) and run.has(_MARGIN_AFTER_NEEDS)
    margin_before = _follows(run.low, _MARGIN_OPENERS, _NUMBER_AFTER)
    if not (multiple or proportion or margin_after or margin_before):
        return  # most stories: none of the cue words
    cur = run.cur
    hits = [(m.start(), m.end(), m.group(0)) for m in DIGITS_RE.finditer(cur)]
    hits += [(m.start(), m.end(), m.group(0)) for m in NUMBER_WORDS_RE.finditer(cur)]
    for start, end, token in sorted(hits):
        if run.cur[start] == "\x00":
            continue  # read by an earlier rule of this pass
        x = _value(token)
        if x is None:
            continue
        if multiple and _MULTIPLE_AFTER_RE.match(cur, end):
            run.blank(start, end)  # a comparison of two amounts, not a count
            continue
        prop = _PROPORTION_AFTER_RE.match(cur, end) if proportion else None
        per = _PER[(prop.group(1) or prop.group(2)).lower()] if prop is not None else 0
        if prop is not None and x < per:
            _proportion(run, start, prop.end(), 100 * x / per)
            continue
        after = _MARGIN_AFTER_RE.match(cur, end) if margin_after else None
        before = (
            after is None
            and margin_before
            and _may_open_margin(cur[max(0, start - 64) : start])
            and _MARGIN_BEFORE_RE.search(cur, max(0, start - 64), start)
        )
        if before and not _MARGIN_UNIT_RE.match(cur, end):
            continue  # "played by 12 artists": no margin
        if after is not None or before:
            word = (after.group(1) if after is not None else None) or ""
            unit = _UNIT_OF.get(word.lower().rstrip("s")) or _unit_after(cur, end).unit
            _margin(run, start, after.end(1) if after is not None and after.group(1) else end,
                    x, unit)  # fmt: skip


def _proportion(run: Run, start: int, end: int, pct: float) -> None:
    qual = qualifier_before(run.cur, start) or "about"
    fact = _match(run.ix, pct, qual, "percent")
    if fact is None and qual == "about":  # "nine in ten" for 89%: the writer's own rounding
        fact = _match(run.ix, pct, None, "percent", bounds=(pct - 5, pct + 5))
    run.add("number", run.orig[start:end], fact is not None, fact,
            f"no share in your data is about {pct:g}%")  # fmt: skip
    run.blank(start, end)


_INDEX_RE = re.compile(r"\[[^\]]*\]")


@lru_cache(maxsize=8192)  # a margin compares each named fact with every other: paths repeat
def _family(path: str) -> str:
    """The list and field of a row's fact ("top_artists[2].minutes" -> "top_artists[].minutes")."""
    return _INDEX_RE.sub("[]", path)


def _margin(run: Run, start: int, end: int, x: float, unit: str | None) -> None:
    """A margin is true when two facts of one kind and scope differ by it: of two items the
    sentence names, or of one named item and another row of its list."""
    s0, s1 = run.sentence_bounds(start)
    named = {sp.norm for sp in run.names if s0 <= sp.start and sp.end <= s1 + 1}
    _, scope = _subject_scope(run, start)
    qual = qualifier_before(run.cur, start)
    facts = [
        f
        for f in run.ix.numbers
        if f.subject
        and f.subject[0] not in (WEAK, CALENDAR_MARK)
        and (unit is None or f.unit == unit)
        and (scope is None or (scope == "day") == f.path.startswith(DAY_PATHS))
    ]
    mine = [f for f in facts if f.subject in named]
    found = None
    for a in mine:
        for b in facts:
            if b is a or b.unit != a.unit or b.subject == a.subject:
                continue
            if b.subject not in named and _family(b.path) != _family(a.path):
                continue
            if matches(x, qual, abs(a.value - b.value), a.approx or b.approx):
                found = f"{a.path}-{b.path}={abs(a.value - b.value):g}"
                break
        if found:
            break
    run.amount(x, unit, run.orig[start:end], found, f"no two of your figures differ by {x:g}")
    run.blank(start, end)
