"""Counts of what the story itself names: "Three shows, three different ways of being a
favourite", "the three shows", "two songs got two plays each: A and B", "the other thirteen
artists".

Such a number counts the items the story lists around it (or the rest of a day's items beside
the one it names), not a fact of the year: read as an amount ("3 count") it matches nothing and
a true story is rejected. A count is claimed here only when it holds; one that does not is left
to `amounts.numbers`, which checks it as an amount:

* "the / these / those / your N <noun>", and "N <noun>," opening a sentence: the story names N
  items of the noun's kind in that sentence and the two before it;
* "N <noun> ...: A, B and C": the names after the colon are N;
* "the other N <noun>" on the requested day: the day's distinct items of the kind, less the
  ones the sentence names.
"""

from __future__ import annotations

import re

from wrapped.gate.facts import LIST_NOUNS
from wrapped.gate.numbers import words_to_number
from wrapped.gate.scan import Run
from wrapped.gate.spoken import _NUM

_NOUNS = r"(artists|acts|bands|songs|tracks|tunes|albums|records|genres|shows|podcasts)"
_NOUN_RE = re.compile(rf"\b{_NOUNS}\b", re.IGNORECASE)
_TITLE_COUNT_RE = re.compile(rf"\b(\w+)\s+{_NOUNS}\b", re.IGNORECASE)
#: the count right before a noun (anchored at the noun's end)
_COUNT_BEFORE_RE = re.compile(
    rf"\b(?:(the\s+other|the|these|those|your|all)\s+)?({_NUM})\s+{_NOUNS}\b\Z", re.IGNORECASE
)
#: the day's count of distinct items, per list (the facts `other N` is checked against)
_DAY_DISTINCT = {"top_artists": "distinct_artists", "top_tracks": "distinct_tracks"}


def named_counts(run: Run) -> None:
    """Claim the counts of named items that hold (see the module doc)."""
    if not run.names:
        return
    cur = run.cur
    for hit in _NOUN_RE.finditer(cur):  # few nouns per story: the count is read before each
        m = _COUNT_BEFORE_RE.search(cur, max(0, hit.start() - 64), hit.end())
        if m is None:
            continue
        word = m.group(2)
        x = float(word.replace(",", "")) if word[0].isdigit() else words_to_number(word)
        lst = _list_of(m.group(3))
        if x is None or x < 2 or lst is None:
            continue
        if _holds(run, m, x, lst):
            run.add("number", run.orig[m.start() : m.end()], True, "the story's own names")
            run.blank(m.start(), m.end())


def _of_kind(run: Run, start: int, end: int, lst: str) -> set[str]:
    return {
        sp.norm
        for sp in run.names
        if start <= sp.start and sp.end <= end and lst in run.ix.kinds.get(sp.norm, ())
    }


def _holds(run: Run, m: re.Match[str], x: float, lst: str) -> bool:
    det = (m.group(1) or "").lower()
    s0, s1 = run.sentence_bounds(m.start())
    if det.startswith("the") and "other" in det:
        key = _DAY_DISTINCT.get(lst)
        try:
            total = run.ix.user_year.day(run.ix.day).facts.get(key) if key else None
        except KeyError:
            total = None
        named = len(_of_kind(run, s0, s1, lst))  # or the one before: "X led. The other 13 ..."
        return isinstance(total, int) and x in (total - named, total - 1)
    colon = run.orig.find(":", m.end(), s1 + 1)
    if colon >= 0 and len(_of_kind(run, colon, s1 + 1, lst)) == x:
        return True  # "two songs got two plays each: A and B"
    if det or m.start() - s0 <= 1:
        p0, _ = run.sentence_bounds(max(0, s0 - 2))
        p0, _ = run.sentence_bounds(max(0, p0 - 2))
        return len(_of_kind(run, p0, s1, lst)) == x
    return False


def title_counts(title: Run, story: Run) -> set[float]:
    """The title's "Two Shows", "Five Artists" that hold: the story names that many items of
    the kind (a headline counts what its story tells)."""
    out: set[float] = set()
    for m in _TITLE_COUNT_RE.finditer(title.orig):
        word = m.group(1)
        x = float(word) if word.isdigit() else words_to_number(word)
        lst = _list_of(m.group(2))
        if x is not None and lst is not None and len(_of_kind(story, 0, len(story.orig), lst)) == x:
            out.add(float(x))
    return out


def _list_of(noun: str) -> str | None:
    noun = noun.lower()
    return LIST_NOUNS.get(noun) or LIST_NOUNS.get(noun[:-1])
