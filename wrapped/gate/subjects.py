"""What a number is about: the names around it, the months, weekdays and parts of the day its
sentence names, the one item its clause gives it to, and its day or year scope.

Read by `wrapped.gate.amounts` and `wrapped.gate.spoken` for each number; memoized per sentence
in the run (`Run.subjects`), since every number of a sentence shares the answer.
"""

from __future__ import annotations

import re

from wrapped.gate.facts import CALENDAR_MARK
from wrapped.gate.needs import needs
from wrapped.gate.scan import Run
from wrapped.gate.scope import clause_bounds, clause_scope
from wrapped.stats.model import MONTHS, WEEKDAYS

_RANK_WORDS = re.compile(
    r"\b(?=[tfmn#s])(top|favou?rite|most[- ]played|number one|#\d|no\. ?\d|second|third)\b", re.I
)

_RANK_WORDS_NEED = needs(_RANK_WORDS)  # what its matches hold (`wrapped.gate.needs`)

_DECADE_WORD = re.compile(r"\b(?:19|20)\d0s\b")


_CALENDAR_WORDS = tuple(w.lower() for w in (*MONTHS, *WEEKDAYS)) + (
    "morning", "afternoon", "evening", "night")  # fmt: skip
_BUSIEST_WEEKDAY_RE = re.compile(
    r"\b(?:busiest|biggest|favou?rite|top|loudest)\s+(?:day\s+of\s+(?:the|your)\s+week|weekday)"
)
_BUSIEST_MONTH_RE = re.compile(r"\b(?:busiest|biggest|top|best|peak|loudest)\s+month")
_TOP_PART_RE = re.compile(r"\b(?:time|part)\s+of\s+(?:the\s+)?day")


def _calendar_subjects(run: Run, low: str) -> list[str]:
    """The months, weekdays and parts of the day a window of text names (`low`: lower case),
    or calls the busiest ("your busiest day of the week"), as subjects of calendar facts."""
    held = run.tables.get("calendar")
    if held is None:  # `low` is a part of the text: what the text lacks, it lacks
        whole = run.orig.lower()
        held = run.tables["calendar"] = tuple(w for w in _CALENDAR_WORDS if w in whole)
    out = [CALENDAR_MARK + w for w in held if w in low]
    uy = run.ix.user_year
    if "week" in low and uy.clock.busiest_weekday and _BUSIEST_WEEKDAY_RE.search(low):
        out.append(CALENDAR_MARK + uy.clock.busiest_weekday.lower())
    if "month" in low and run.ix.top_month and _BUSIEST_MONTH_RE.search(low):
        out.append(CALENDAR_MARK + run.ix.top_month.lower())
    if " of " in low and uy.clock.top_part_of_day and _TOP_PART_RE.search(low):
        out.append(CALENDAR_MARK + uy.clock.top_part_of_day.lower())
    return out


#: marks the subjects of a number its clause gives to one named item (`_owner`)
OWNED = "!"
#: between an item that opens its clause and a number: the item "had", "got" ... the number
_OWNS_RE = re.compile(
    r"\s*,?\s*(?:had|has|got|gets|took|takes|added|adds|racked\s+up|clocked|managed|scored|"
    r"(?:led|leads)(?:\s+[\w'’]+){0,3}?\s+with|came\s+(?:in|round|around|back)\s+with)\b"
    r"(?![^.;:!?]*\b(?:days?|total|all|of|out|among|across|year|month|week|morning|afternoon|"
    r"evening|night|session)\b)[^.;:!?]*$",
    re.IGNORECASE,
)


_PLAYS_AFTER = re.compile(r"\s*(?:plays?|times|streams?|spins?|listens?)\b", re.IGNORECASE)
_SCORE_RE = re.compile(r"\w\s+(?:to|vs\.?|versus|against)\s+$", re.IGNORECASE)


def _owner(run: Run, start: int) -> str | None:
    """The named item whose figure the number at `start` is, when the item opens the number's
    clause and "had"/"got"/"led ... with" it ("Uma Evening had the most time, 31 minutes and
    45 plays"): then the number is that item's, never a total of the day."""
    c0 = clause_bounds(run, start)[0]
    inside = [sp for sp in run.names if c0 <= sp.start and sp.end <= start]
    if len(inside) != 1 or inside[0].start - c0 > 4:
        return None  # the clause does not open with the item, or names another before it
    sp = inside[0]
    if _SCORE_RE.search(run.orig, max(sp.end, start - 16), start):
        return None  # "the most plays, 79 to 73": the second figure is the other side's
    return sp.norm if _OWNS_RE.match(run.orig, sp.end, start) else None


def _subject_scope(run: Run, start: int) -> tuple[set[str], str | None]:
    """What the number at `start` may be about: the names of its sentence and the two before
    (with "" marking "only these", unless rank talk may mean any row), and its day/year scope."""
    s0, s1 = run.sentence_bounds(start)
    known = run.subjects.get(s0)  # the same for every number of the sentence (only read)
    if known is not None:
        return known, clause_scope(run, start)
    p0, _ = run.sentence_bounds(max(0, s0 - 2))  # two sentences back ("they earned ...")
    p0, _ = run.sentence_bounds(max(0, p0 - 2))
    end = s1
    if run.orig[s1 : s1 + 1] == "?" and s1 + 2 < len(run.orig):
        end = run.sentence_bounds(s1 + 2)[1]  # "Which song got 42 plays? X." : the answer's names
    subjects = {sp.norm for sp in run.names if sp.start >= p0 and sp.end <= end + 1}
    if "0s" in run.orig:  # a decade ("1990s") is a subject too
        subjects.update(m.group(0).lower() for m in _DECADE_WORD.finditer(run.orig[p0:s1]))
    subjects.update(_calendar_subjects(run, run.orig[s0:s1].lower()))  # its own sentence
    if not (run.can(_RANK_WORDS_NEED) and _RANK_WORDS.search(run.orig[s0:s1])):
        subjects.add("")  # marks "only named subjects"; rank talk may refer to any row
    run.subjects[s0] = subjects
    return subjects, clause_scope(run, start)
