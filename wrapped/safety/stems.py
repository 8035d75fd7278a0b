"""Trigger stems: a cheap test that a text can hold one of a family's forms at all.

Every safety form (`wrapped.safety.forms`) has a set of stems; a story is tested against the few
stems whose first letters its words hold, and the family's regex runs only when one is there.
The families test them after `wrapped.safety.required` has found a branch that can match (the
stems gate as before; the required strings, read from the patterns, rule out far more stories).
"""

from __future__ import annotations

import re

from wrapped.safety.alternation import words_of


class Stems:
    """A family's trigger stems, looked up by the first letters of the text's words: a story
    is tested against the few stems whose first letters it holds, not against all of them
    (one pass over its words instead of a substring search per stem)."""

    __slots__ = ("by_key", "odd")

    def __init__(self, stems: tuple[str, ...]) -> None:
        self.by_key: dict[str, list[str]] = {}
        self.odd: list[str] = []
        for st in stems:
            lead = re.match(r"[a-z]+", st.lstrip())
            if lead is None or len(lead.group(0)) < 2:
                self.odd.append(st)
            else:
                self.by_key.setdefault(lead.group(0)[:3], []).append(st)

    def found(self, text: str, keys: frozenset[str]) -> bool:
        if any(st in text for st in self.odd):
            return True
        for k in keys.intersection(self.by_key):
            if any(st in text for st in self.by_key[k]):
                return True
        return False


def keys_of(text: str) -> frozenset[str]:
    """The 2- and 3-letter heads of the words (runs of a-z) of a folded text (what
    `Stems.found` looks up): the word heads `alternation` finds for the same text, kept."""
    return words_of(text).keys


def any_stem(text: str, stems: Stems, heads: str | None = None) -> bool:
    """Does `text` hold one of `stems`? `heads`: the text whose word heads count (default
    `text`; the output-side checks give the story before its names were masked)."""
    return stems.found(text, keys_of(text if heads is None else heads))
