"""What every match of an extractor's pattern must contain, read from the pattern itself.

Most of the grounding extractors' patterns match in few stories (a rank said without a number,
an ordinal before a list noun, "9pm"), yet each scan of a story costs as much as the work
on a match. `needs(rx)` reads, from the pattern's parse tree (`wrapped.safety.required`),
sets of strings such that every match holds a string of each set; one Aho-Corasick pass over the
story, spaced and case folded, finds which of all the sets' strings it holds (`present`), and an
extractor skips its scan when a set has none of them (`Run.can`). Patterns are read when their
modules load, before any story is read (a string added later rebuilds the automaton).
Nothing is declared by hand, so no rule can slip past the filter: a pattern whose strings
cannot be read has no sets, and always runs.

Why a string of a match in `Run.cur` (the text with what was read blanked) is in the original
story: blanking only writes `scan.BLANK`, so every character a match takes other than a blank
is the original's at that position, and white space is never blanked. The strings are looked
for in `spaced(caseless(text))`: each run of white space one space (as `required_sets` writes
`\\s`), and every letter that a case-blind ASCII letter matches made that letter in lower case
(a pattern's letters are looked for in lower case, whatever its flags: a lower-cased string of
a case-sensitive match is in the lower-cased text too). A set holding a blank or a letter
outside ASCII that has a case is dropped (what it would need is not known).
"""

from __future__ import annotations

import re
from typing import Any

from wrapped.safety.required import build_automaton, required_sets

Needs = tuple[frozenset[str], ...]
#: every pattern read so far, with what it needs (the tests check each against its matches)
READ: dict[re.Pattern[str], Needs] = {}
#: every string of every set read, and the automaton over them (built on first use, again
#: when a pattern read later adds strings)
_STRINGS: set[str] = set()
_AUTOMATON: list[Any] = []


def _known(s: str) -> bool:
    return "\x00" not in s and all(c.isascii() or c.lower() == c.upper() for c in s)


def present(text: str) -> frozenset[str]:
    """The strings of all read sets that `text` (spaced and case folded) holds: one
    Aho-Corasick pass (the `pyahocorasick` package), where a substring test per string cost
    more than the scans it saved (a rank form needs one of ~60 phrases)."""
    if not _AUTOMATON:
        _AUTOMATON.append(build_automaton((s, s) for s in _STRINGS))
    return frozenset(s for _, s in _AUTOMATON[0].iter(text))


def holds(need: Needs, found: frozenset[str]) -> bool:
    """Does a text whose `present` strings are `found` hold a string of every set of `need`?"""
    for strings in need:
        if strings.isdisjoint(found):
            return False
    return True


#: a class that is one short range of digits ("[2-9]"), which `required_sets` does not spell
_DIGIT_RANGE = re.compile(r"(?<!\\)\[(\d)-(\d)\]")


def _spelled(m: re.Match[str]) -> str:
    digits = "".join(map(str, range(int(m.group(1)), int(m.group(2)) + 1)))
    return f"[{digits}]" if 0 < len(digits) <= 8 else m.group(0)


def needs(rx: re.Pattern[str]) -> Needs:
    """Sets of lower-case strings, every match of `rx` holding one string of each. A range of
    digits is read as the class of its digits ("[2-9]" as "[23456789]", the same characters),
    so "[2-9](?:nd|rd|th)" needs "2nd" ... "9th", not any "th"."""
    out = []
    for strings in required_sets(_DIGIT_RANGE.sub(_spelled, rx.pattern), rx.flags):
        if all(_known(s) for s in strings):
            out.append(frozenset(s.lower() for s in strings))
    READ[rx] = found = tuple(out)
    new = set().union(*found) - _STRINGS
    if new:
        _STRINGS.update(new)
        _AUTOMATON.clear()
    return found
