"""Rank claims: numbered ranks, "top"/"favourite", comparisons, and rank 1 without a number.

Rankings must hold for the item they are about (the nearest name in the sentence, or the first
name after a question or a colon): in its top list by minutes, or by plays when the sentence
speaks of plays, or, for rank 1, as the day's top. Comparisons must agree with both items' ranks.
The forms of rank 1 without a number ("no one got more ... than X", "came back to most", "on
repeat all year", "runner-up", "your top three were ...") are in `wrapped.gate.rankforms`.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from wrapped.gate.facts import LIST_NOUNS, TOP_LISTS
from wrapped.gate.needs import needs
from wrapped.gate.numbers import _UNITS
from wrapped.gate.scan import Run, Span, opening
from wrapped.gate.scope import day_bound, sentence_scope
from wrapped.safety.screen import normalize_name

_ORD_WORDS = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
}
# "#one" .. "number ten": the spelled ranks, from the one number-word table
_SMALL = {w: n for w, n in _UNITS.items() if 1 <= n <= 10}
_NOUN_ALT = "|".join(sorted(LIST_NOUNS, key=len, reverse=True))
# Each pattern opens with a lookahead on its first character (what its alternatives can start
# with): the engine then drops most positions at once. Same matches, scans 1.5-3x faster.

RANK_NUM_RE = re.compile(
    rf"(?=[#n])(?:#\s?|\bno\.\s?|\bnumber[\s-]+)(\d+|{'|'.join(_SMALL)})\b(?:\s+(?:most[- ]played\s+|favou?rite\s+)?({_NOUN_ALT})\b)?",
    re.IGNORECASE,
)
RANK_ORD_RE = re.compile(
    rf"\b(?=[stfen1-9])(second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|[2-9](?:nd|rd|th)|10th)"
    rf"(?:[- ](?:most[- ](?:played|streamed|listened[- ]to)|favou?rite|biggest|top|placed))?[- ]+({_NOUN_ALT})\b",
    re.IGNORECASE,
)
RANK_TOP_RE = re.compile(
    rf"\b(?=[ovtfmnb])(one of (?:your|the)\s+)?(?:(?:very\s+)?top|favou?rite|most[- ]played|most[- ]streamed|number[- ]one|biggest)\s+({_NOUN_ALT})\b",
    re.IGNORECASE,
)
COMPARE_RE = re.compile(
    r"\b(?=[mlfaoeb])(?:(?:more|less|fewer)(?:\s+[\w-]+){0,2}?\s+than|ahead of|outplayed|outstreamed|edged out|beat|beating)\b",
    re.IGNORECASE,
)


#: where one clause of a sentence ends and the next begins (", and Y was your top artist")
_CLAUSE_BREAK_RE = re.compile(
    r",\s+(?:and|but|while|whereas|with|though|although|yet)\s+|;\s*", re.IGNORECASE
)
#: a name these words open is the reference of a comparison ("right behind X"), not the holder
_REFERENCE_BEFORE_RE = re.compile(
    r"\b(?:behind|below|beneath|after|ahead\s+of|than|beating|over|out|edging(?:\s+out)?)\s+$",
    re.IGNORECASE,
)


#: a rank phrase said of a subject ("it was your top track", "finished as your top artist"), not
#: a description standing in for one ("with your top artist", "your top artist had ...")
_PREDICATE_RE = re.compile(
    r"\b(?:is|was|are|were|as|become|became|becomes|remains|remained|stayed|stays|be|been|being)"
    r"\s+(?:\w+ly\s+|also\s+|still\s+)?(?:your|the|my)\s+(?:\w+\s+)?$",
    re.IGNORECASE,
)


def _holder_kind(run: Run, sp: Span, want: str | None) -> bool:
    """Can `sp` hold a rank in list `want` (None: any list)? A name the data knows no kind of
    (a personality word) holds none; a track does not hold an artist's rank."""
    kinds = run.ix.kinds.get(sp.norm)
    if not kinds:
        return not run.ix.kinds  # an index without kinds (no names) cannot tell
    return want is None or want in kinds


def _nearest_name(
    run: Run,
    pos: int,
    end: int,
    skip: Callable[[Span], bool] | None = None,
    want: str | None = None,
) -> Span | None:
    """The name a rank phrase at `[pos, end)` is about: of the phrase's kind (`want`), never
    the reference a comparison names ("number two, right behind X"); the nearest in the
    phrase's own clause. A clause without one: when the phrase is said of its subject ("it
    was your top track"), the nearest named before it in the sentence, else the last of the
    previous sentence (what "it" stands for); a phrase used as a description ("your top
    artist had their biggest day") is about no name."""
    s0, s1 = run.sentence_bounds(pos)
    c0, c1 = s0, s1
    text = run.orig
    for b in _CLAUSE_BREAK_RE.finditer(text, s0, s1):
        if any(sp.start <= b.start() < sp.end for sp in run.names):
            continue  # a ";" inside a name ("Evil;Band") ends no clause
        if b.end() <= pos:
            c0 = b.end()
        elif b.start() >= end:
            c1 = b.start()
            break
    best, dist = None, 10**9
    before: Span | None = None
    for sp in run.names:
        if sp.start >= s0 and sp.end <= s1 + 1 and (skip is None or not skip(sp)):
            if not _holder_kind(run, sp, want):
                continue
            if _REFERENCE_BEFORE_RE.search(text, max(s0, sp.start - 16), sp.start):
                continue
            if sp.end <= pos:
                before = sp
            if not (c0 <= sp.start and sp.end <= c1 + 1):
                continue
            d = min(abs(sp.start - end), abs(sp.end - pos))
            if d < dist:
                best, dist = sp, d
    if best is not None or not _PREDICATE_RE.search(text, max(c0, pos - 40), pos):
        return best
    if text[s1 : s1 + 1] == "?":
        return None  # "Who was your top artist? X.": the answer follows (`_name_for`)
    if before is not None:
        return before
    if s0 < 2:
        return None
    p0, _ = run.sentence_bounds(s0 - 2)
    prev = [
        sp for sp in run.names if p0 <= sp.start and sp.end <= s0 and _holder_kind(run, sp, want)
    ]
    return prev[-1] if prev else None


#: "most-played", "the artist you pressed play on most": a rank by plays, never by minutes
_BY_PLAYS_RE = re.compile(
    r"\bmost[- ](?:played|streamed|spun|replayed|looped)\b|\b(?:played|streamed|spun|replayed|"
    r"looped|pressed\s+play\s+on|hit\s+play\s+on)\s+(?:\w+\s+)?(?:the\s+)?most\b"
    r"|\b(?:more|most)\s+(?:plays|spins|streams|listens|replays|scrobbles)\b|\b(?:by|on)\s+plays\b"
    r"|\b(?:came|come|coming|kept\s+coming)\s+back\s+to|\breturned\s+to|\bon\s+repeat\b",
    re.IGNORECASE,
)
#: a verb of playing just before a rank phrase: "the artist you played more often than anyone"
_PLAYED_BEFORE_RE = re.compile(
    r"\b(?:played|streamed|spun|replayed|looped|pressed\s+play\s+on|hit\s+play\s+on|put\s+on)"
    r"\b[^.;:!?]{0,20}$|\d[\d,]*\s+(?:plays|streams|spins|listens|times|scrobbles|replays)\b[^.;:!?\d]{0,16}$",
    re.IGNORECASE,
)
#: a ranking named right after the phrase: "your top artist by plays"
_BY_PLAYS_AFTER_RE = re.compile(
    r"[^.;:!?]{0,24}?\b(?:by|in|on|for)\s+(?:the\s+)?(?:plays|play\s+count|streams|spins|scrobbles)\b",
    re.IGNORECASE,
)
#: a rank phrase the year is named right after ("your top artist of the year"): not the day's
_OF_YEAR_RE = re.compile(
    r"\s+(?:of\s+(?:the\s+|your\s+|this\s+)?(?:year|\d{4})|(?:this|all|that)\s+year|in\s+\d{4}"
    r"|for\s+the\s+year)\b",
    re.IGNORECASE,
)


def _variants(run: Run, pos: int, span: str, lists: list[str]) -> list[str]:
    """The rankings a rank phrase is in: by plays when it says plays ("most-played", "more
    plays than any other", "the artist you played more often than anyone", "top artist by
    plays"), else by minutes, the year's own ranking ("top", "favourite", "number one", "more
    than any other artist": a sentence that also quotes plays does not change what "top"
    means)."""
    end = pos + len(span)
    if (
        _BY_PLAYS_RE.search(span)
        or _PLAYED_BEFORE_RE.search(run.orig, max(0, pos - 32), pos)
        or _BY_PLAYS_AFTER_RE.match(run.orig, end)
    ):
        return [lst + "_by_plays" if lst + "_by_plays" in run.ix.ranks else lst for lst in lists]
    return lists


def _check_rank(
    run: Run, m: re.Match[str], rank: int | None, noun: str | None, any_rank: bool
) -> None:
    lists = [LIST_NOUNS[noun.lower()]] if noun else list(TOP_LISTS)
    sp = _name_for(run, m.start(), m.end(), want=lists[0] if noun else None)
    span = run.orig[m.start() : m.end()]
    if sp is None:
        return  # nothing named: no checkable claim
    if rank == 1 and not any_rank and day_bound(run, m.start(), m.end()):
        _day_top(run, span, sp)
        return
    got = [
        (v, run.ix.ranks.get(v, {}).get(sp.norm)) for v in _variants(run, m.start(), span, lists)
    ]
    got = [(lst, r) for lst, r in got if r is not None]
    s0, s1 = run.sentence_bounds(m.start())
    sentence = run.orig[s0:s1].lower()
    day_scope = (
        rank == 1
        and sp.norm in run.ix.day_tops
        and _DAY_WORD_RE.search(sentence)
        and not _OF_YEAR_RE.match(run.orig, m.end())
    )
    if any_rank:
        ok = bool(got)
    else:
        ok = any(r == rank for _, r in got) or bool(day_scope)
    where = f"{got[0][0]}[{got[0][1]}]" if got else "not in your top lists"
    run.add(
        "rank",
        f"{span} ({sp.original})",
        ok,
        f"{where}={sp.original}" if ok else None,
        f"{sp.original} is {where}" if got else f"{sp.original} is not in that top list",
    )


def _day_top(run: Run, span: str, sp: Span) -> None:
    """Record the claim that `sp` was the requested day's top (a name a day fact calls top, or
    a complete log's unique most-played of its kind: `FactIndex.day_tops`)."""
    ok = sp.norm in run.ix.day_tops
    run.add("rank", f"{span} ({sp.original})", ok, f"the day's top={sp.original}" if ok else None,
            f"{sp.original} was not the day's top")  # fmt: skip


_TOP_END_RE = re.compile(r"\btop\s*$")
_DAY_WORD_RE = re.compile(r"\b(day|today|that day|afternoon|morning|evening|night)\b")
_NON_DIGIT_RE = re.compile(r"\D")
_NOUNS_RX = r"(?:artists?|acts?|bands?|singers?|songs?|tracks?|tunes?|albums?|records?|genres?|podcasts?|shows?|episodes?)"
_NOUNS_I_RE = re.compile(_NOUNS_RX, re.IGNORECASE)


def _noun_list(noun: str | None) -> str | None:
    if not noun:
        return None
    n = noun.lower()
    if n.startswith("singer"):
        return "top_artists"
    return LIST_NOUNS.get(n) or LIST_NOUNS.get(n.rstrip("s"))


def _claim_rank(
    run: Run,
    start: int,
    end: int,
    sp: Span,
    rank: int,
    lst: str | None,
    max_rank: bool = False,
    unique: bool = False,
    by: str | None = None,
) -> None:
    """Record that `sp` holds `rank` (or a rank <= `rank` when `max_rank`) in `lst` (None: any
    top list), by minutes or by plays (or, for rank 1, as the day's top). `unique`: "more
    than any other" is false of a first place shared with the second row. `by`: "minutes" or
    "plays" when the phrase names its ranking outright ("third by minutes")."""
    lists = [lst] if lst else list(TOP_LISTS)
    got: list[tuple[str, int]] = []
    span = run.orig[start:end]
    if rank == 1 and not max_rank and day_bound(run, start, end):
        _day_top(run, span, sp)
        return
    if by == "minutes":
        variants = lists
    elif by == "plays":
        variants = [v for x in lists if (v := f"{x}_by_plays") in run.ix.ranks]
    else:
        variants = _variants(run, start, span, lists)
    for variant in variants:
        r = run.ix.ranks.get(variant, {}).get(sp.norm)
        if r is not None:
            got.append((variant, r))
    ok = any((r <= rank) if max_rank else (r == rank) for _, r in got)
    if ok and unique and rank == 1:
        tie = _tied_first(run, [v for v, r in got if r == 1], sp.norm)
        if tie is not None:
            run.add("rank", f"{span} ({sp.original})", False, None,
                    f"{sp.original} shares first place with {tie}")  # fmt: skip
            return
    if not ok and rank == 1 and sp.norm in run.ix.day_tops and not _OF_YEAR_RE.match(run.orig, end):
        # the day's top: true unless the sentence says it is about the year
        ok = sentence_scope(run, start) != "year"
    where = ", ".join(f"{g}[{r}]" for g, r in got) if got else "not in your top lists"
    run.add("rank", f"{span} ({sp.original})", ok, f"{where}={sp.original}" if ok else None,
            f"{sp.original} is {where}" if got else f"{sp.original} is not in that top list")  # fmt: skip


def _tied_first(run: Run, variants: list[str], holder: str) -> str | None:
    """The name `holder` shares first place with in each of `variants` (by plays for a
    by-plays list, else by minutes); None when it holds first place alone in one of them."""
    tie = None
    for variant in variants:
        rows = getattr(run.ix.user_year, variant, None)
        if not rows or len(rows) < 2:
            return None
        key = "plays" if variant.endswith("_by_plays") else "minutes"
        if getattr(rows[0], key) != getattr(rows[1], key):
            return None
        tie = rows[1].name if normalize_name(rows[0].name) == holder else rows[0].name
    return tie


def _name_for(
    run: Run,
    start: int,
    end: int,
    *,
    after_only: bool = False,
    skip: Callable[[Span], bool] | None = None,
    want: str | None = None,
) -> Span | None:
    """The name a rank form is about: in its sentence (nearest, or the first after it when
    `after_only`), else, when the sentence is a question or ends in a colon, the first name
    of the next sentence ("Your top artist? X, no contest."), or the name that is the whole of
    the sentence before ("X. Your number one artist."). `skip`: names that cannot be the
    holder (the reference of "just behind X"); `want`: the list the rank is in (its kind)."""
    s0, s1 = run.sentence_bounds(start)
    if after_only:
        later = [sp for sp in run.names if end <= sp.start <= s1 and _holder_kind(run, sp, want)]
        if later:
            return later[0]
    else:
        sp = _nearest_name(run, start, end, skip, want)
        if sp is not None:
            return sp
    if "?" in run.orig[s0 : s1 + 1] and s1 + 2 < len(run.orig):
        n0, n1 = run.sentence_bounds(s1 + 2)
        nxt = [sp for sp in run.names if n0 <= sp.start <= n1 and _holder_kind(run, sp, want)]
        if n0 > s0 and nxt:
            return nxt[0]
    if s0 > 1 and not after_only:  # "Tiny Balloon Club. Your number one artist of 2025."
        p0, p1 = run.sentence_bounds(s0 - 2)
        inside = [sp for sp in run.names if p0 <= sp.start and sp.end <= p1 + 1]
        rest = run.orig[p0:p1]
        for sp in inside:
            rest = rest.replace(sp.original, " ")
        if len(inside) == 1 and _holder_kind(run, inside[0], want) and len(rest.split()) <= 1:
            return inside[0]  # a sentence that is only a name: the next one is about it
    return None


#: words one of which each pattern needs (`Run.may`)
_NUM_STEMS = ("#", "no.", "number")
_ORD_STEMS = tuple(_ORD_WORDS)[1:]
_TOP_STEMS = ("top", "favo", "most", "number", "biggest")
_COMPARE_STEMS = ("than", "ahead of", "outplayed", "outstreamed", "edged out", "beat")
#: what each pattern's matches hold, read from it (`wrapped.gate.needs`)
_NUM_NEEDS, _ORD_NEEDS, _TOP_READ, _COMPARE_NEEDS = map(
    needs, (RANK_NUM_RE, RANK_ORD_RE, RANK_TOP_RE, COMPARE_RE)
)


def ranks(run: Run) -> None:
    if run.may(*_NUM_STEMS) and run.can(_NUM_NEEDS):
        _numbered(run)
    if (run.digit or run.may(*_ORD_STEMS)) and run.can(_ORD_NEEDS):
        _ordinals(run)
    if run.may(*_TOP_STEMS) and run.can(_TOP_READ):
        _tops(run)


def _numbered(run: Run) -> None:
    for m in RANK_NUM_RE.finditer(run.cur):
        val = m.group(1).lower()
        rank = int(val) if val.isdigit() else _SMALL[val]
        _check_rank(run, m, rank, m.group(2), False)
        run.blank(m.start(), m.end())


def _ordinals(run: Run) -> None:
    for m in RANK_ORD_RE.finditer(run.cur):
        tok = m.group(1).lower()
        rank = _ORD_WORDS.get(tok) or int(_NON_DIGIT_RE.sub("", tok))
        _check_rank(run, m, rank, m.group(2), False)
        run.blank(m.start(), m.end())


#: what every match of RANK_TOP_RE holds: a rank word, then a list noun
_TOP_NEEDS = opening(
    ["top", "favourite", "favorite", "most-played", "most played", "most-streamed",
     "most streamed", "number-one", "number one", "biggest"],
    rf"\s+(?:{_NOUN_ALT})\b",
)  # fmt: skip


def _tops(run: Run) -> None:
    if not run.has(_TOP_NEEDS):
        return
    for m in RANK_TOP_RE.finditer(run.cur):
        pre = run.cur[max(0, m.start() - 12) : m.start()].lower()
        if _TOP_END_RE.search(pre):
            continue
        _check_rank(run, m, 1, m.group(2), bool(m.group(1)) or m.group(2).lower().endswith("s"))
        run.blank(m.start(), m.end())


_PASSIVE_RE = re.compile(r"\s+by\b", re.IGNORECASE)
_PLAYS_IN_RE = re.compile(r"\b(?:by|on|in)\s+plays\b|\bplays?\b", re.IGNORECASE)


def comparisons(run: Run) -> None:
    if not run.names or not run.may(*_COMPARE_STEMS) or not run.can(_COMPARE_NEEDS):
        return  # a comparison is between two named items
    for m in COMPARE_RE.finditer(run.cur):
        s0, s1 = run.sentence_bounds(m.start())
        before = [
            sp
            for sp in run.names
            if sp.start >= s0 and sp.end <= m.start() and m.start() - sp.end < 60
        ]
        after = [sp for sp in run.names if sp.start >= m.end() and sp.start - m.end() < 12]
        if not before or not after:
            continue
        a, b = before[-1], after[0]
        # "third by plays, 101, one ahead of Y": a sentence that speaks of plays compares by them
        by_plays = _PLAYS_IN_RE.search(run.orig, s0, s1) is not None
        for lst in TOP_LISTS:
            ranks = run.ix.ranks.get(lst, {})
            if by_plays and a.norm in run.ix.ranks.get(f"{lst}_by_plays", {}):
                lst = f"{lst}_by_plays"
                ranks = run.ix.ranks[lst]
            if a.norm in ranks and b.norm in ranks:
                less = m.group(0).lower().startswith(("less", "fewer")) or bool(
                    _PASSIVE_RE.match(run.orig, m.end())  # "X, edged out by Y": Y is ahead
                )
                ok = (ranks[a.norm] > ranks[b.norm]) if less else (ranks[a.norm] < ranks[b.norm])
                run.add(
                    "comparison",
                    run.orig[a.start : b.end],
                    ok,
                    f"{lst} ranks" if ok else None,
                    f"{a.original} is #{ranks[a.norm]} and {b.original} #{ranks[b.norm]} in {lst}",
                )
                break
