"""The shared state of one grounding run: the text being read, blanked as claims are taken.

Each extractor (names, dates and times, amounts) reads `Run.cur`, records claims with
`Run.add` and blanks what it consumed, so no span is read twice (a year inside a date, a number
inside a name).
"""

from __future__ import annotations

import re
from bisect import bisect_left

from wrapped.gate.facts import FactIndex
from wrapped.gate.needs import Needs, holds, present
from wrapped.safety.required import caseless, spaced
from wrapped.stats.fastmodel import leaf
from wrapped.story import Claim, ClaimKind

BLANK = "\x00"
_BLANKABLE = re.compile(r"[^ \n]")
#: where a sentence ends: ". ", "! ", "? " (at the mark) or a newline
_BREAK_RE = re.compile(r"[.!?](?= )|\n")
_claim = leaf(Claim)
_DIGIT_RE = re.compile(r"\d")
#: letters outside ASCII that a case-blind pattern matches as ASCII ones ("ſ" as "s", "ı" as
#: "i") but `str.lower` leaves as they are: a text holding one gets no `may` shortcut
_FOLDS_TO_ASCII = re.compile("[\u0130\u0131\u017f\u212a]")


def opening(words: list[str], tail: str = r"\b") -> re.Pattern[str]:
    """A pattern for lower-case text: one of `words` opening a word, then `tail`.

    Each word is written as its first letter, then the boundary check behind that letter, then
    the rest: the engine finds the first letters with its fast search, where a pattern opening
    with a word boundary is tried at every position. Used as a necessary condition (`Run.has`)
    before a case-blind pattern that the engine must try everywhere."""
    return re.compile("|".join(rf"{w[0]}(?<!\w.){w[1:]}{tail}" for w in words))


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
        #: per-sentence answers (scope, plays talk, where the month called the biggest is) shared
        #: by the extractors, keyed by start
        self.memo: dict[tuple[str, int], str | bool | int | None] = {}
        #: `sentence_bounds` by position (the extractors ask about the same few positions)
        self._bounds: dict[int, tuple[int, int]] = {}
        self._marks: list[int] | None = None
        #: where the clauses of the sentence starting at a position meet (`scope.clause_scope`)
        self.clauses: dict[int, tuple[tuple[int, int], ...]] = {}
        #: each amount read: (its claim's index, value, unit, grounded), so a title's figure
        #: can be matched with the story's (`grounding.verify_draft`)
        self.values: list[tuple[int, float, str | None, bool]] = []
        #: every date `when.dates` read, as (position, month, day), for the counts of days
        #: between them (`elapsed`)
        self.dates_read: list[tuple[int, int, int]] = []
        #: what the numbers of the sentence starting at a position may be about (`amounts`)
        self.subjects: dict[int, set[str]] = {}
        #: the words of a table (by its name) that the whole text holds: a sentence of the text
        #: holds no other (`subjects._calendar_subjects` asks once per sentence)
        self.tables: dict[str, tuple[str, ...]] = {}
        #: the shortcuts of `may`: most patterns need a word or a digit most stories lack, and
        #: a substring test on the whole text costs a fraction of a pattern's scan
        self.low: str | None = None if _FOLDS_TO_ASCII.search(text) else text.lower()
        self.digit = _DIGIT_RE.search(text) is not None
        self._present: frozenset[str] | None = None

    def can(self, needs: Needs) -> bool:
        """Can a pattern match whose `needs` (`wrapped.gate.needs`) these are? False only when
        one of its sets has no string in the text (spaced, case folded; built on first use)."""
        found = self._present
        if found is None:
            low = self.low
            found = self._present = present(spaced(caseless(self.orig) if low is None else low))
        return holds(needs, found)

    def has(self, rx: re.Pattern[str]) -> bool:
        """Can a pattern match whose necessary part `rx` (made by `opening`) does not occur in
        the lower-cased text? False only when it does not occur there."""
        low = self.low
        return low is None or rx.search(low) is not None

    def may(self, *words: str) -> bool:
        """Can a pattern that needs one of `words` (lower case, matched ignoring case) match?
        False only when none is in the text: blanking only removes, so what the original text
        lacks, `cur` lacks too."""
        low = self.low
        if low is None:
            return True
        for w in words:
            if w in low:
                return True
        return False

    def blank(self, start: int, end: int) -> None:
        """Blank `[start, end)` (spaces and newlines stay, so word and sentence breaks do)."""
        cur = self.cur
        part = cur[start:end]
        if " " in part or "\n" in part:
            part = _BLANKABLE.sub(BLANK, part)
        else:  # one word (most spans): no pattern needed
            part = BLANK * len(part)
        self.cur = cur[:start] + part + cur[end:]

    def add(
        self,
        kind: ClaimKind,
        span: str,
        ok: bool,
        fact: str | None = None,
        why: str | None = None,
    ) -> None:
        # the values are typed by this signature: validating ~10 claims per story cost more
        # than reading them (`leaf` places the fields, in the model's order)
        self.claims.append(
            _claim(
                {
                    "kind": kind,
                    "text": span,
                    "grounded": ok,
                    "fact": fact if ok else None,
                    "why": None if ok else why,
                }
            )
        )

    def amount(self, value: float, unit: str | None, span: str, fact: str | None, why: str) -> None:
        """Record an amount's claim (`add`) and its value (`values`)."""
        self.values.append((len(self.claims), value, unit, fact is not None))
        self.add("number", span, fact is not None, fact, why)

    def sentence_bounds(self, pos: int) -> tuple[int, int]:
        """The sentence around `pos`: from just after the last ". ", "! ", "? " or newline that
        ends before `pos`, to the first one at or after `pos` (else the text's ends)."""
        found = self._bounds.get(pos)
        if found is None:
            found = self._bounds[pos] = self._sentence_bounds(pos)
        return found

    def _sentence_bounds(self, pos: int) -> tuple[int, int]:
        marks = self._marks
        if marks is None:  # every sentence break of the text, found in one scan
            marks = self._marks = [m.start() for m in _BREAK_RE.finditer(self.orig)]
        k = bisect_left(marks, pos)
        start = -1
        if k:
            start = marks[k - 1]
            if start == pos - 1 and self.orig[start] != "\n":  # ". " must end before `pos`
                start = marks[k - 2] if k > 1 else -1
        return (start + 1, marks[k] if k < len(marks) else len(self.orig))
