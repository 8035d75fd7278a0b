"""Grounding of amounts: numbers and percentages.

Numbers carry a unit read from the words after them and must match a fact of that unit under
the rounding rules of `wrapped.gate.numbers`; counts of a kind ("N artists") only match counts
of that kind, "N minutes of music" only music amounts, and a number about a named item only
that item's facts, and a number about the day (or the year) only the day's (the year's) facts
(`wrapped.gate.scope`). Ranks and comparisons are in `wrapped.gate.ranks`.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache

from wrapped.gate.dayfacts import NAME_SEP, WEAK
from wrapped.gate.derive import estimated
from wrapped.gate.facts import DAY_PATHS, FactIndex
from wrapped.gate.numbers import (
    ANY_NUMBER_WORD_RE,
    DIGITS_RE,
    LATER_NEEDS,
    NUMBER_WORDS_RE,
    matches,
    qualifier_after,
    qualifier_before,
    words_to_number,
)
from wrapped.gate.scan import Run
from wrapped.gate.subjects import _PLAYS_AFTER, OWNED, _owner, _subject_scope

PCT_RE = re.compile(r"(?<![\w.])(\d+(?:\.\d+)?)\s*(%|per\s?cent\b)", re.IGNORECASE)
_TOP_END_I_RE = re.compile(r"\btop\s*$", re.IGNORECASE)

_UNIT_WORDS = [
    (re.compile(r"^(?:minutes?|mins?)\b"), "minutes"),
    (re.compile(r"^(?:hours?|hrs?)\b"), "hours"),
    (re.compile(r"^(?:days?)\b"), "days"),
    (re.compile(r"^(?:weeks?)\b"), "weeks"),
    (re.compile(r"^(?:years?[- ]old|year[- ]olds?)\b"), "age"),
    (
        re.compile(
            r"^(?:plays?|times?|spins?|streams?|listens?|songs?|tracks?|tunes?|artists?|albums?|"
            r"episodes?|podcasts?|shows?|genres?|replays?|repeats?|rounds?|goes|skips?|acts?|bands?|records?)\b"
        ),
        "count",
    ),
]
_FILLER = re.compile(
    r"^(?:different|distinct|separate|whole|full|solid|straight|consecutive|glorious|more|new|"
    r"extra|total|brand[- ]new|individual|unique|complete|back[- ]to[- ]back|entire|long|short|"
    r"of|listening|music|podcast|musical|fresh)\s+",
)


def percentages(run: Run) -> None:
    if not run.digit or ("%" not in run.orig and not run.may("per")):
        return
    for m in PCT_RE.finditer(run.cur):
        x = float(m.group(1))
        qual = qualifier_before(run.cur, m.start())
        top = _TOP_END_I_RE.search(run.cur[max(0, m.start() - 8) : m.start()])
        fact = None if top else _match(run.ix, x, qual, "percent")
        run.add(
            "number",
            run.orig[m.start() : m.end()],
            fact is not None,
            fact,
            "no such percentile in your data" if top else "no percentage in your data matches",
        )
        run.blank(m.start(), m.end())


#: count nouns -> words one of which the fact's path must contain
_NOUN_PATHS = [
    # counts OF artists (not plays by one): distinct, new, list lengths, the day's distinct
    (
        re.compile(r"^(?:artists?|acts?|bands?)\b"),
        (
            "distinct_artists",
            "new_artists",
            "len(top_artists)",
            "distinct_by",
            "explanation",
            "headline",
        ),
    ),
    (
        re.compile(r"^(?:songs?|tracks?|tunes?)\b"),
        (
            "distinct_tracks",
            "len(top_tracks)",
            "distinct_title",
            "plays",
            "count(",
            "log_total",
            "len(day.log)",
        ),
    ),
    (re.compile(r"^(?:albums?|records?)\b"), ("distinct_albums", "len(top_albums)")),
    (re.compile(r"^(?:genres?)\b"), ("len(top_genres)",)),
    (
        re.compile(r"^(?:episodes?|podcasts?|shows?)\b"),
        (
            "distinct_shows",
            "distinct_episodes",
            "len(top_podcasts)",
            "len(top_episodes)",
            "podcast_plays",
            "top_podcasts",
            "top_episodes",
            "count(",  # a show's plays that day are its episodes heard ("over three episodes")
        ),
    ),
    (
        re.compile(r"^(?:plays?|times?|spins?|streams?|listens?|replays?|repeats?|rounds?|goes)\b"),
        ("plays", "count", "log_total", "len(day.log)"),
    ),
    (re.compile(r"^(?:skips?)\b"), ("skip",)),
]
#: the unit word, then "of music"/"podcasts" in the same clause ("nine hours. Music won" is not)
_OF_KIND = re.compile(
    r"[^\s.!?;:,]+\s+(?:of\s+)?(music|podcasts?)\b(?!\s+(?:and|&)\s+(?:talk|podcasts?|shows?|chat|more|everything|audiobooks?)\b)"
)


class _Unit:
    __slots__ = ("unit", "paths")

    def __init__(self, unit: str | None, paths: tuple[str, ...] = ()) -> None:
        self.unit, self.paths = unit, paths


#: "N minutes of music": anything but podcast and all-listening amounts ("!" = must not contain)
_MUSIC_ONLY = ("!podcast", "!show", "!episode", "!audiobook", "!totals.all.", "!day.facts.minutes")


def _first_of(patterns: list[re.Pattern[str]]) -> re.Pattern[str]:
    """One pattern for "the first of `patterns` that matches here" (each a `^`-anchored
    prefix): the alternatives are tried in order, and `lastindex` - 1 says which one won."""
    return re.compile("|".join(f"({rx.pattern.removeprefix('^')})" for rx in patterns))


# the tables above, each as one match call (a number's unit is read ~3 times per story)
_UNIT_RE = _first_of([rx for rx, _ in _UNIT_WORDS])
_NOUN_RE = _first_of([rx for rx, _ in _NOUN_PATHS])
_FILLERS_RE = re.compile(rf"(?:{_FILLER.pattern.removeprefix('^')}){{0,3}}")
_NO_UNIT = _Unit(None)
_SKIPS = _Unit("count", ("skip",))
_SKIPPED_BEFORE_RE = re.compile(r"\bskipped\s+(?:only\s+|just\s+|exactly\s+)?$", re.IGNORECASE)


def _unit_after(text: str, end: int) -> _Unit:
    """The unit written after a number (up to three filler words first: "12 whole days")."""
    tail = text[end : end + 60].lower().lstrip(" -")
    at = _FILLERS_RE.match(tail).end()  # type: ignore[union-attr]  # {0,3}: always matches
    m = _UNIT_RE.match(tail, at)
    if m is None:
        return _NO_UNIT
    unit = _UNIT_WORDS[m.lastindex - 1][1]  # type: ignore[operator]  # a group matched
    paths: tuple[str, ...] = ()
    if unit == "count":
        noun = _NOUN_RE.match(tail, at)
        if noun:
            paths = _NOUN_PATHS[noun.lastindex - 1][1]  # type: ignore[operator]
    elif unit in ("minutes", "hours", "days"):  # "three hours of podcasts": podcast amounts
        kind = _OF_KIND.match(tail, at)
        if kind:
            paths = kind_paths(kind.group(1))
    return _Unit(unit, paths)


def kind_paths(kind: str) -> tuple[str, ...]:
    """The fact paths an amount "of music" or "of podcasts" may match."""
    return _MUSIC_ONLY if kind.lower() == "music" else ("podcast", "show", "episode")


@lru_cache(maxsize=8192)  # a few dozen path shapes, tried against a few fact paths each
def _path_ok(path: str, wanted: tuple[str, ...]) -> bool:
    if wanted[0].startswith("!"):
        return not any(w[1:] in path for w in wanted)
    return any(w in path for w in wanted)


def _match(
    ix: FactIndex,
    x: float,
    qual: str | None,
    unit: str | None,
    subjects: set[str] | None = None,
    paths: tuple[str, ...] = (),
    scope: str | None = None,
    bounds: tuple[float, float] | None = None,
) -> str | None:
    """The first fact of `ix.numbers` (in order) that backs `x`, as "path=value"; None if none.
    `bounds`: a range claim ("between 80 and 90 artists"): the fact must lie within it.

    Only the facts that can pass the unit and distance filters are tried (`NumberPool.near`),
    and only the pools whose facts can be of `scope` (`NumberPool.day`); the rules below are
    the whole test, applied in the original order (each rule that rejects a fact is a filter
    of its own, so the order in which they are tried does not change which fact passes)."""
    strict = subjects is not None and "" in subjects
    owned = subjects is not None and OWNED in subjects
    named = subjects is not None and bool(subjects - {""})
    only = named or strict  # a fact about a subject must be about one of `subjects`
    # no rule accepts a fact further away than this (1,000 for rounded thousands): a cheap prefilter
    reach = max(0.3 * abs(x), 3.0, 1000.0 if x >= 1000 else 0.0)
    if bounds is not None:
        x = (bounds[0] + bounds[1]) / 2
        reach = (bounds[1] - bounds[0]) / 2 + 1.0
    finite = math.isfinite(x)
    on_day = scope == "day"
    for pool in ix.pools():
        check_day = scope is not None
        if check_day and pool.day is not None:
            if pool.day != on_day:
                continue  # no fact of this pool is of the claim's scope
            check_day = False  # every fact is
        if pool.linear or not finite:
            cands = pool.facts
        elif unit == "weeks":
            cands = pool.of_unit("days")
        elif only:  # facts about other subjects are refused below: not even looked at
            cands = pool.near_about(unit or None, x, reach, subjects)  # type: ignore[arg-type]
        else:
            cands = pool.near(unit or None, x, reach)
        for f in cands:
            if unit != "weeks" and abs(f.value - x) > reach:
                continue
            subj = f.subject
            if subj is None:
                if owned:
                    continue  # "X had 31 minutes and 45 plays": X's figures, not the day's
            elif subjects is not None:
                if subj[0] == WEAK:  # one play's minutes: about its names, or nothing named
                    if named and subjects.isdisjoint(subj[1:].split(NAME_SEP)):
                        continue
                elif only and subj not in subjects:
                    continue
            if check_day and on_day != f.path.startswith(DAY_PATHS):
                continue
            if paths and f.unit != "any" and not _path_ok(f.path, paths):
                continue
            if unit == "weeks":
                if f.unit != "days":
                    continue
                if matches(x, qual or "about", f.value / 7, True):
                    return f"{f.path}/7={f.value / 7:.1f}"
                continue
            if unit and unit != f.unit and f.unit != "any":
                continue
            if not unit and f.approx:
                continue
            if bounds is not None:  # a range is a hedge: estimates may fall in it
                slack = 0.5 if f.approx else 1e-9
                if bounds[0] - slack <= f.value <= bounds[1] + slack:
                    return f"{f.path}={f.value:g}"
                continue
            if f.estimate and qual is None:  # an estimate is true only when hedged ("about")
                continue
            if matches(x, qual, f.value, f.approx or f.unit == "percent", unit == "hours"):
                return f"{f.path}={f.value:g}"
    return None


#: a share of the amount before it, its unit left out: "62 of them music", "about 18 podcasts"
_SHARE_RE = re.compile(
    r"\s+(?:of\s+them\s+(?:were\s+|was\s+|went\s+to\s+|on\s+)?|of\s+it\s+)?(music|podcasts?)\b"
    r"(?![\s-]+(?:episodes?|shows?|plays?|days?|minutes?|hours?|lists?|apps?)\b)",
    re.IGNORECASE,
)
_HOUR_FRACTIONS = {"half": 0.5, "a half": 0.5, "quarter": 0.25, "a quarter": 0.25,
                   "three quarters": 0.75, "three-quarters": 0.75}  # fmt: skip
#: a fraction after the hours' unit: "four hours and three quarters"
_HOURS_AND_RE = re.compile(
    r"\s*(?:hours?|hrs?)\s+and\s+(a\s+half|a\s+quarter|three[- ]quarters)\b", re.IGNORECASE
)


#: "a couple dozen" (24), "a few dozen" (about 36): the dozen is counted, not one
_DOZENS_RE = re.compile(r"\b(?:couple|few)\s+(?:of\s+)?$", re.IGNORECASE)


def numbers(run: Run) -> None:
    cur = run.cur
    found: list[tuple[int, int, float, bool]] = []
    for m in DIGITS_RE.finditer(cur):
        x = float(m.group(1).replace(",", "") + (m.group(2) or ""))
        if m.group(3):
            x *= 1000
        if m.group(4):
            x *= 1_000_000
        found.append((m.start(), m.end(), x, bool(m.group(3) or m.group(4))))
    low = run.low  # None: a letter `lower` does not fold, so no shortcut
    words = low is None or ANY_NUMBER_WORD_RE.search(low) is not None
    for m in NUMBER_WORDS_RE.finditer(cur) if words else ():
        val = words_to_number(m.group(0))
        if val is None:
            continue
        if val == 12 and _DOZENS_RE.search(cur, max(0, m.start() - 12), m.start()):
            val = 36 if "few" in cur[max(0, m.start() - 12) : m.start()].lower() else 24
        found.append((m.start(), m.end(), float(val), False))
    found.sort()
    ranges = _ranges(cur, found)
    later = run.can(LATER_NEEDS)  # a hedge after a number's unit ("give or take") at all?
    last: tuple[int, str] | None = None  # the sentence and unit of the last amount read
    for i, (start, end, x, shorthand) in enumerate(found):
        if i in ranges:
            lo_end = ranges[i]
            if lo_end is not None:
                _range_claim(run, found[i], found[lo_end])
            continue
        half = _HALF_RE.match(cur, end)
        if half is not None:  # "7 and a half hours"
            x, end = x + 0.5, half.end()
        u = _unit_after(cur, end)
        if u.unit == "count" and _SKIPPED_BEFORE_RE.search(cur, max(0, start - 20), start):
            u = _SKIPS  # "you skipped 11 times", "skipped only four songs": skips, not plays
        unit = u.unit
        if unit in ("hours", "minutes", "days"):
            last = (run.sentence_bounds(start)[0], unit)
        elif last is not None and last[0] == run.sentence_bounds(start)[0]:
            share = _SHARE_RE.match(cur, end)
            if share is not None:  # "80 hours, 62 of them music and about 18 podcasts"
                u = _Unit(last[1], kind_paths(share.group(1)))
                unit = u.unit
        if unit == "hours":
            more = _HOURS_AND_RE.match(cur, end)
            if more is not None:  # "four hours and three quarters"
                x += _HOUR_FRACTIONS[" ".join(more.group(1).lower().split())]
        if unit == "minutes" and _CLOCK_AFTER.match(run.orig, end):  # the time may be blanked
            continue  # "three minutes to midnight", "ten minutes past nine": a time, not an amount
        is_word = not cur[start].isdigit()
        if is_word and unit is None:
            continue
        if is_word and x <= 1:
            continue  # "one", "zero podcasts": no count the data lists (an absence is no fact)
        qual = (
            qualifier_before(cur, start)
            or qualifier_after(cur, end, later)
            or ("about" if shorthand or "dozen" in cur[start:end].lower() else None)
        )
        subjects, scope = _subject_scope(run, start)
        own = unit in ("minutes", "hours") or (unit == "count" and _PLAYS_AFTER.match(cur, end))
        owner = _owner(run, start) if subjects and own else None
        if owner is not None:
            subjects = {owner, OWNED}
        fact = _match(run.ix, x, qual, unit, subjects, u.paths, scope)
        if fact is None and "dozen" in cur[start:end].lower():  # "a dozen or so": a loose count
            fact = _match(run.ix, x, None, unit, subjects, u.paths, scope, (0.75 * x, 1.5 * x))
        span = run.orig[start:end] + (f" {unit}" if unit else "")
        why = ""  # only a claim that fails says why (most numbers are grounded)
        if fact is None:
            why = f"no {unit or 'number'} in your data matches {x:g}" + (
                f" ({qual})" if qual else ""
            )
            if qual is None and _match(run.ix, x, "about", unit, subjects, u.paths, scope):
                if estimated(run.ix.user_year):
                    why = (
                        f"{x:g} {unit or ''} is written as exact, but this listener's minutes "
                        f"are estimates (scrobbles keep no play length): write 'about {x:g}'"
                    ).replace("  ", " ")
        run.amount(x, unit, span, fact, why)
        run.blank(start, end)


_CLOCK_AFTER = re.compile(
    r"\s*(?:minutes?|mins?)\s+(?:to|past|before|after)\s+(?:midnight|noon|midday|one|two|three|"
    r"four|five|six|seven|eight|nine|ten|eleven|twelve|\d)",
    re.IGNORECASE,
)
_HALF_RE = re.compile(r"\s+and\s+a\s+half\b", re.IGNORECASE)
_RANGE_MID = re.compile(r"\s*(?:and|to|-|–|—)\s*", re.IGNORECASE)
_RANGE_OPEN = re.compile(r"\b(?:between|from)\s+$", re.IGNORECASE)


def _ranges(cur: str, found: list[tuple[int, int, float, bool]]) -> dict[int, int | None]:
    """Pairs of numbers that make one range ("between 80 and 90", "from 2 to 3", "90-100"): the
    first's index -> the second's, the second's -> None."""
    out: dict[int, int | None] = {}
    for i in range(len(found) - 1):
        a, b = found[i], found[i + 1]
        if i in out or not a[2] < b[2]:
            continue
        mid = _RANGE_MID.fullmatch(cur, a[1], b[0])
        if mid is None:
            continue
        word = mid.group(0).strip().lower()
        if word == "and" and not _RANGE_OPEN.search(cur[max(0, a[0] - 10) : a[0]]):
            continue
        out[i], out[i + 1] = i + 1, None
    return out


def _range_claim(
    run: Run, lo: tuple[int, int, float, bool], hi: tuple[int, int, float, bool]
) -> None:
    """A range is true when a fact of its unit and subject lies within it, and it is narrow
    enough to say something (at most a fifth of its top, or 5)."""
    u = _unit_after(run.cur, hi[1])
    span = run.orig[lo[0] : hi[1]] + (f" {u.unit}" if u.unit else "")
    subjects, scope = _subject_scope(run, lo[0])
    if hi[2] - lo[2] > max(0.2 * hi[2], 5.0):
        run.add("number", span, False, None, "a range this wide is not a claim about your data")
    else:
        fact = _match(run.ix, hi[2], None, u.unit, subjects, u.paths, scope, (lo[2], hi[2]))
        why = f"no {u.unit or 'number'} in your data lies between {lo[2]:g} and {hi[2]:g}"
        run.add("number", span, fact is not None, fact, why)
    run.blank(lo[0], hi[1])
