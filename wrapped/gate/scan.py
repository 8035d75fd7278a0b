"""The shared state of one grounding run: the text being read, blanked as claims are taken.

Each extractor (names, dates and times, amounts) reads `Run.cur`, records claims with
`Run.add` and blanks what it consumed, so no span is read twice (a year inside a date, a number
inside a name).
"""

from __future__ import annotations

import re

from wrapped.gate.facts import FactIndex
from wrapped.story import Claim, ClaimKind

BLANK = "\x00"
_BLANKABLE = re.compile(r"[^ \n]")


class Span:
    __slots__ = ("start", "end", "norm", "original")

    def __init__(self, start: int, end: int, norm: str, original: str) -> None:
        self.start, self.end, self.norm, self.original = start, end, norm, original


class Run:
    """State of one verification: the text being blanked and the claims found."""

    def __init__(self, text: str, ix: FactIndex) -> None:
        self.orig = text
        self.cur = text  # the text with what has been read blanked; replaced, never mutated
        self.ix = ix
        self.claims: list[Claim] = []
        self.names: list[Span] = []
        #: per-sentence answers (scope, plays talk) shared by the extractors, keyed by start
        self.memo: dict[tuple[str, int], str | bool | None] = {}
        #: `sentence_bounds` by position (the extractors ask about the same few positions)
        self._bounds: dict[int, tuple[int, int]] = {}

    def blank(self, start: int, end: int) -> None:
        """Blank `[start, end)` (spaces and newlines stay, so word and sentence breaks do)."""
        cur = self.cur
        self.cur = cur[:start] + _BLANKABLE.sub(BLANK, cur[start:end]) + cur[end:]

    def add(
        self,
        kind: ClaimKind,
        span: str,
        ok: bool,
        fact: str | None = None,
        why: str | None = None,
    ) -> None:
        self.claims.append(
            Claim(
                kind=kind,
                text=span,
                grounded=ok,
                fact=fact if ok else None,
                why=None if ok else why,
            )
        )

    def sentence_bounds(self, pos: int) -> tuple[int, int]:
        found = self._bounds.get(pos)
        if found is None:
            found = self._bounds[pos] = self._sentence_bounds(pos)
        return found

    def _sentence_bounds(self, pos: int) -> tuple[int, int]:
        s = self.orig
        start = max(
            s.rfind(". ", 0, pos),
            s.rfind("! ", 0, pos),
            s.rfind("? ", 0, pos),
            s.rfind("\n", 0, pos),
        )
        ends = [
            i
            for i in (s.find(". ", pos), s.find("! ", pos), s.find("? ", pos), s.find("\n", pos))
            if i >= 0
        ]
        return (start + 1 if start >= 0 else 0, min(ends) if ends else len(s))
