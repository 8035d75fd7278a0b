"""Numbers as stories write them, and the declared rules for when a written number is true.

Rounding rules (a claim `x` about a fact `f`):

* no qualifier: `x == f` (one decimal for fractional facts); a round number >= 1,000 may be `f`
  rounded to the nearest 100 or 1,000 ("32,000 minutes" for 32,109); derived facts (hours or
  days computed from minutes) may be rounded to a whole number either way (6.95 h -> "6" or "7").
* over / more than / above / at least / upwards of / north of / just over / "x+": `f >= x` and
  the bound is not loose: `f <= max(1.25 x, x + 2)`.
* nearly / almost / just under / under / less than / shy of / not quite: `f <= x`
  and `f >= min(0.8 x, x - 2)`.
* about / around / roughly / approximately / some / circa / close to / ~ / "or so" / "k"
  shorthand / "a dozen" / "give or take" after the unit: `|f - x| <= max(0.1 x, 1)`.
* a range ("between 80 and 90", "2 to 3 hours", "90-100"): `lo <= f <= hi`, and only a narrow
  one (`hi - lo <= max(0.2 hi, 5)`) says anything.
"""

from __future__ import annotations

import re
from functools import lru_cache

from text_to_num import text2num

from wrapped.gate.needs import needs

_UNITS = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
_TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
_SCALES = {"hundred": 100, "thousand": 1000}
_WORD_ALT = "|".join(sorted([*_UNITS, *_TENS, *_SCALES, "dozen"], key=len, reverse=True))
# the lookahead (a first letter some number word, or "a", starts with) only skips word
# boundaries where the alternation cannot match: 2-3x faster over a story, same matches
_FIRST = "".join(sorted({w[0] for w in _WORD_ALT.split("|")} | {"a"}))
NUMBER_WORDS_RE = re.compile(
    rf"\b(?=[{_FIRST}])(?:a\s+)?(?:{_WORD_ALT})(?:(?:\s+and\s+|[\s-]+)(?:{_WORD_ALT}))*\b",
    re.IGNORECASE,
)
# the first digit, then "no word character or point before it": the engine's fast search finds
# digits (same matches as a leading `(?<![\w.])`)
#: a number word as a whole word, in LOWER-CASE text: every match of NUMBER_WORDS_RE holds one,
#: and this pattern opens with a letter (the engine's fast search), so most stories, which hold
#: none, skip that scan
ANY_NUMBER_WORD_RE = re.compile("|".join(rf"{w[0]}(?<!\w.){w[1:]}\b" for w in _WORD_ALT.split("|")))
DIGITS_RE = re.compile(
    r"(\d(?<![\w.]\d)(?:\d{0,2}(?:,\d{3})+|\d*))(\.\d+)?(?:\s?(k|K)\b|\s+(million)\b)?"
)

QUALIFIERS = {
    "over": "over",
    "more than": "over",
    "above": "over",
    "upwards of": "over",
    "north of": "over",
    "at least": "over",
    "well over": "over",
    "just over": "over",
    "a little over": "over",
    "nearly": "under",
    "almost": "under",
    "close to": "about",  # writers use it both ways: "close to 130" for 131 is fair
    "just under": "under",
    "under": "under",
    "less than": "under",
    "fewer than": "under",
    "below": "under",
    "shy of": "under",
    "not quite": "under",
    "just shy of": "under",
    "a little under": "under",
    "about": "about",
    "around": "about",
    "roughly": "about",
    "approximately": "about",
    "some": "about",
    "circa": "about",
    "~": "about",
    "an estimated": "about",
    "more or less": "about",
    "give or take": "about",
    "the best part of": "under",
    "the better part of": "under",
}
_QUAL_RE = re.compile(
    r"(?:^|[^a-z])("
    + "|".join(sorted(map(re.escape, QUALIFIERS), key=len, reverse=True))
    + r")\s*(?:a\s+)?$",
    re.IGNORECASE,
)
_AFTER_RE = re.compile(r"^\s*(\+|-?plus\b|or so\b|-?odd\b|ish\b)", re.IGNORECASE)


@lru_cache(maxsize=4096)  # a pure function of a few words; text2num is the costly part
def words_to_number(text: str) -> int | None:
    """'forty-six' -> 46, 'a dozen' -> 12, 'nine hundred and thirty' -> 930, 'twelve hundred'
    -> 1200; None if not a number. `text2num` (the `text2num` package) reads the number words;
    what it leaves ("a dozen", a leading "a") is read here."""
    low = text.lower().strip()
    if not low.startswith("a ") and "dozen" not in low:
        try:
            return int(text2num(low, "en"))
        except ValueError:
            pass
    words = re.split(r"[\s-]+", low)
    total = current = 0
    seen = False
    for w in words:
        if w in ("a", "and"):
            continue  # "a hundred", "a dozen": the scale reads a missing count as one; "a four-day run" is four
        if w == "dozen":
            current = (current or 1) * 12
        elif w in _UNITS:
            current += _UNITS[w]
        elif w in _TENS:
            current += _TENS[w]
        elif w == "hundred":
            current = (current or 1) * 100
        elif w == "thousand":
            total += (current or 1) * 1000
            current = 0
        else:
            return None
        seen = True
    return total + current if seen else None


#: how each qualifier ends (its last two characters): `_QUAL_RE` matches only where one ends the
#: window, or ends it before an "a" ("more than a hundred")
_QUAL_ENDS = frozenset(q[-2:] for q in QUALIFIERS)


def _may_qualify(window: str) -> bool:
    """Can `_QUAL_RE` match `window`? False only when no qualifier's ending closes it (then
    the pattern, tried at every position of the window, cannot match)."""
    body = window.rstrip()
    for end in (body, body[:-1].rstrip()) if body[-1:] in ("a", "A") else (body,):
        last = end[-2:]
        if not last.isascii() or last.lower() in _QUAL_ENDS or last[-1:] == "~":
            return True  # a letter outside ASCII may match one inside: the pattern decides
    return False


def qualifier_before(text: str, start: int) -> str | None:
    """The qualifier ('over' | 'under' | 'about') written just before position `start`."""
    window = text[max(0, start - 24) : start]
    if not _may_qualify(window):
        return None
    m = _QUAL_RE.search(window)
    if m is None:
        return None
    if m.group(1).lower() == "over" and _ACROSS_RE.search(window, 0, m.start(1)):
        return None  # "15 minutes over four plays": across, not "more than"
    return QUALIFIERS[m.group(1).lower()]


#: an amount's unit just before a bare "over": the "over" spreads it ("across"), not a hedge
_ACROSS_RE = re.compile(
    r"\b(?:minutes?|mins?|hours?|hrs?|plays?|times|streams?|spins?|listens?|songs?|tracks?)"
    r"\s*$",
    re.IGNORECASE,
)


def qualifier_after(text: str, end: int, later: bool = True) -> str | None:
    """The qualifier written just after a number ("40+", "40-odd"), or after its unit in the
    same clause ("120 artists, give or take"). `later=False`: the text holds none of those
    hedges (`LATER_NEEDS`), so they are not looked for."""
    m = _AFTER_RE.match(text[end : end + 8])
    if m:
        return "about" if m.group(1).lower() in ("or so", "odd", "-odd", "ish") else "over"
    if later and _LATER_RE.match(text, end, end + 48):
        return "about"
    return None


#: a hedge after the number's unit, before the clause ends ("260 minutes, give or take")
_LATER_RE = re.compile(
    r"[^.!?;\n\d]{0,28}?(?:,\s*|\s+)(?:give\s+or\s+take|or\s+so|more\s+or\s+less|"
    r"or\s+thereabouts)\b",
    re.IGNORECASE,
)
#: what every match of _LATER_RE holds (`wrapped.gate.needs`; `Run.can(LATER_NEEDS)`)
LATER_NEEDS = needs(_LATER_RE)


def matches(x: float, qual: str | None, f: float, approx: bool, hours: bool = False) -> bool:
    """Is the written `x` (with qualifier `qual`) true of fact `f` under the module's rules?

    `hours`: a hedge on hours is held to the tenth of the amount or to a fraction of an hour,
    whichever is more: "about" a quarter of an hour, "nearly" 25 minutes, "over" half an hour
    (the count rules' "within 2" would let "nearly three hours" stand for one hour)."""
    if hours and qual is not None:
        if qual == "over":
            return x <= f <= x + max(0.25 * x, 0.5)
        if qual == "under":
            return x - max(0.1 * x, 0.4) <= f <= x
        return abs(f - x) <= max(0.1 * x, 0.25)
    if qual == "over":
        return f >= x and f <= max(1.25 * x, x + 2)
    if qual == "under":
        return f <= x and f >= min(0.8 * x, x - 2)
    if qual == "about":
        # within 10%, or x is f rounded to x's own round step ("about 30" for 26), up to 17%
        step = next((st for st in (1000, 100, 10) if x >= st and x % st == 0), 1)
        return abs(f - x) <= max(0.1 * x, 1, min(step / 2, 0.17 * x))
    if abs(x - f) <= 0.05 + 1e-9 or (approx and abs(x - f) < 1):
        return True
    if x >= 1000 and x == int(x):
        xi = int(x)
        return any(xi % step == 0 and xi == round(f / step) * step for step in (100, 1000))
    return False
