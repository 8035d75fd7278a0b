"""Claims of a clear lead: "by a mile", "nobody came close", "no contest", "miles ahead".

Such a phrase says more than a rank: the item is first *and* far ahead of the second. Said of
the year's number one when the runner-up is a few minutes behind, it is false ("nobody came
close" to a 299-296 finish), so it is checked against the year's top list: the named item must
be first, ahead of the second by at least `CLEAR_LEAD` of its own figure (by plays when the
sentence speaks of plays, else by minutes). A lead claimed for a day is not checked here: the
day's facts hold no runner-up.
"""

from __future__ import annotations

import re

from wrapped.gate.ranks import _name_for
from wrapped.gate.scan import Run
from wrapped.gate.scope import plays_claim, sentence_scope
from wrapped.safety.screen import normalize_name
from wrapped.stats.model import Ranked

#: the smallest lead, as a share of the leader's figure, that "by a mile" may describe
CLEAR_LEAD = 0.10

_LEAD_RE = re.compile(
    r"\b(?:by\s+(?:a\s+(?:mile|distance|long\s+way|country\s+mile|wide\s+margin)|miles|far)|"
    r"miles\s+(?:ahead|clear|in\s+front)|streets\s+ahead|(?:no\s*(?:one|body)|nothing|none|"
    r"no\s+other\s+\w+)\s+(?:else\s+)?(?:came|comes|got|gets)\s+close|no\s+contest|"
    r"ran\s+away\s+with|way\s+out\s+in\s+front|in\s+a\s+league\s+of\s+(?:its|their|his|her)\s+own)\b",
    re.IGNORECASE,
)
#: what makes the lead one in a top list: a rank word in the sentence (or the question before)
_RANK_CUE_RE = re.compile(
    r"\b(?:top|favou?rite|number\s+one|no\.\s?1|first\s+place|most[- ](?:played|streamed)|"
    r"played\s+most|came\s+back\s+to\s+most|the\s+most\s+(?:time|minutes|plays)|year|"
    r"(?:19|20)\d\d)\b|#1",
    re.IGNORECASE,
)
#: a lead over something else than the rest of a top list: a month, a day, a week, a streak
_OTHER_BEST_RE = re.compile(
    r"\b(?:best|biggest|busiest|longest|favou?rite|top)\s+(?:\w+\s+)?(?:month|day|week|weekend|"
    r"streak|run|hour|morning|evening|night|season)\b",
    re.IGNORECASE,
)
_LISTS = ("top_artists", "top_tracks", "top_albums", "top_genres", "top_podcasts")


def leads(run: Run) -> None:
    """Check every clear-lead phrase of the year against its top list (see the module doc)."""
    if not run.names or not run.may("mile", "distance", "long way", "margin", "far", "close",
                                    "contest", "streets", "ran away", "out in front", "league"):  # fmt: skip
        return
    for m in _LEAD_RE.finditer(run.cur):
        if sentence_scope(run, m.start()) == "day":
            continue  # a day's runner-up is not in the data: nothing to check
        s0, s1 = run.sentence_bounds(m.start())
        # "Your top artist? X, no contest.": the question's rank word counts
        p0 = run.sentence_bounds(s0 - 2)[0] if s0 >= 2 and run.orig[s0 - 2] == "?" else s0
        near = run.orig[max(s0, m.start() - 40) : min(s1, m.end() + 20)]
        if _OTHER_BEST_RE.search(near) or not _RANK_CUE_RE.search(run.orig, p0, s1):
            continue  # "their best month by far": a lead, but not in a top list
        sp = _name_for(run, m.start(), m.end())
        if sp is None:
            continue
        ok, why = _clear_lead(run, sp.norm, plays_claim(run, m.start()))
        if ok is None:
            continue  # not a top-list item: the rank forms say what it is
        span = run.orig[m.start() : m.end()]
        run.add("rank", f"{span} ({sp.original})", ok, why if ok else None, why)
        run.blank(m.start(), m.end())


def _clear_lead(run: Run, norm: str, by_plays: bool) -> tuple[bool | None, str]:
    uy = run.ix.user_year
    for lst in _LISTS:
        rows: list[Ranked] = list(getattr(uy, lst))
        if by_plays and getattr(uy, f"{lst}_by_plays", None):
            rows = list(getattr(uy, f"{lst}_by_plays"))
        names = [normalize_name(r.name) for r in rows]
        if norm not in names:
            continue
        if names[0] != norm or len(rows) < 2:
            return False, f"not first in {lst}"
        a, b = (rows[0].plays, rows[1].plays) if by_plays else (rows[0].minutes, rows[1].minutes)
        lead = (a - b) / a if a else 0.0
        unit = "plays" if by_plays else "minutes"
        return lead >= CLEAR_LEAD, f"{lst}: {a} {unit} to the next one's {b}"
    return None, ""
