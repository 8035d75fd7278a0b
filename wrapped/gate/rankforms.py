"""Rank 1 (and 2, 3 ...) claimed without a rank number: "no one got more ... than X", "more
than any other", "came back to most", "on repeat all year", "took the top spot", "runner-up",
"in second place", "your top three were ...". Each form needs a named item (`ranks._name_for`)
and is checked like a numbered rank (`ranks._claim_rank`).
"""

from __future__ import annotations

import re

from wrapped.gate.needs import needs
from wrapped.gate.numbers import _UNITS
from wrapped.gate.ranks import (
    _NOUNS_I_RE,
    _NOUNS_RX,
    _claim_rank,
    _holder_kind,
    _name_for,
    _noun_list,
)
from wrapped.gate.scan import Run, Span
from wrapped.gate.scope import clause_bounds
from wrapped.safety.screen import normalize_name

#: forms that claim rank 1 without a number: "no one got more ... than X", "more ... than any
#: other", "came back to most", "spent the most time with", "on repeat all year", "took the top
#: spot", "your favourite? X"
RANK1_THAN_RE = re.compile(
    rf"\b(?=[nN])(?:no(?:\s+other)?\s+(?:one|body|{_NOUNS_RX})|nobody|nothing|none)\b[^.!?;]{{0,60}}?"
    r"\b(?:more|longer|as\s+much|as\s+often|closer)\b[^.!?;]{0,40}?\b(?:than|as)\b",
    re.IGNORECASE,
)
RANK1_ANY_RE = re.compile(
    rf"\b(?=[mtaoaMTAO])(?:more\b[^.!?;]{{0,50}}?\bthan\s+(?:with\s+|to\s+|on\s+|for\s+)?(?:any(?:one|thing|body)?"
    rf"(?!(?:\s+(?:other|else))?\s+(?:days?|dates?|nights?|weeks?|months?|years?|times?)\b)"
    rf"(?:\s+(?:other|else))?(?:\s+{_NOUNS_RX})?|all\s+(?:the\s+)?(?:others|rest)|every(?:one|thing|"
    rf"body)\s+else)|above\s+all\s+(?:others|else)|(?:over|ahead\s+of)\s+(?:all|every)\s+"
    rf"(?:the\s+)?(?:others|rest|other\s+{_NOUNS_RX}))\b",
    re.IGNORECASE,
)
RANK1_PHRASE_RE = re.compile(
    r"\b(?=[cprotlnahswfmCPROTLNAHSWFM#])(?:came\s+back\s+to\s+(?:\w+\s+)?most|kept\s+coming\s+back\s+to|returned\s+to\s+"
    r"(?:\w+\s+)?most|(?:played|streamed|spun|replayed|looped|heard|loved|picked|chose|"
    r"reached\s+for|listened\s+to|pressed\s+play\s+on|hit\s+play\s+on|queued(?:\s+up)?|put\s+on|turned\s+to|went\s+back\s+to)\s+(?:\w+\s+)?(?:the\s+)?most(?:\s+often)?\b(?!\s+(?:on|that(?!\s+(?:day|morning|afternoon|evening|night)\b)))|"
    r"spen(?:t|d|ding)\s+(?:the\s+)?most\s+(?:time|minutes|hours)\s+(?:with|on)\b|"
    r"on\s+repeat\s+(?:all|the\s+whole|every|this)\s+(?:year|month)|(?:took|claimed|grabbed|"
    r"won|holds?|held|earned|nabbed|snagged|secured)\s+(?:the\s+)?(?:top\s+spot|top\s+slot|"
    r"crown|throne|gold(?:\s+medal)?|first\s+place|number[- ]one\s+spot|#1\s+spot|pole\s+position|"
    r"title)|(?:gold(?:\s+medal)?|crown|trophy|top\s+spot|first\s+prize)\s+(?:(?:for|of)\s+(?:the|your|this)\s+"
    r"year|(?:for\s+(?:the|your|this)\s+year\s+)?goes\s+to)|(?:in|at)\s+first\s+place|at\s+the\s+top\s+of\s+(?:your|the)\s+(?:list|chart|"
    r"charts|pile|year|rankings?|leaderboard)|topped\s+your\s+(?:list|chart|charts|year|"
    r"rankings?)|(?:led|headed|ruled|owned|dominated)\s+your\s+(?:year|list|chart|charts|"
    r"rankings?)|(?:led|leads)\s+the\s+(?:pack|way|field)|reigned\s+supreme|the\s+(?:undisputed\s+)?"
    r"(?:champion|winner|king|queen|mvp|gold\s+medallist)\s+of\s+your|"
    r"(?:your\s+)?(?:most[- ](?:loved|listened(?:[- ]to)?|replayed|looped|heard|spun)|all[- ]time\s+favou?rite))\b",
    re.IGNORECASE,
)
RANK_PLACE_RE = re.compile(
    r"\b(?=[rsctfbjnRSCTFBJN#])(?:(runner[- ]ups?)|(?:(first|second|third|fourth|fifth)|([1-5])(?:st|nd|rd|th))"
    r"[- ](?:place|spot|slot|position|fiddle|step)|(silver)(?:\s+medal)?|(bronze)(?:\s+medal)?|"
    r"(?:close|distant)\s+(second|third)|just\s+(?:behind|below)|right\s+behind|"
    r"number\s+(two|three|four|five)\s+(?:spot|slot|position|place))\b",
    re.IGNORECASE,
)
_PLACE_WORDS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "two": 2,
                "three": 3, "four": 4, "five": 5}  # fmt: skip
RANK_LIST_RE = re.compile(
    rf"\b(?=[tT])top\s+(two|three|four|five|six|seven|eight|nine|ten|\d+)\s*(?:(?:most[- ]played\s+|"
    rf"favou?rite\s+)?({_NOUNS_RX}))?(?:\s*\b(?:by|on)\s+(?:plays|minutes|time))?\b(?=[^.!?]{{0,40}}?"
    rf"(?:were|was|:|—|–|included|featured|went\s+to|read|looked\s+like|came\s+down\s+to)|"
    rf"(?:\s+(?:this|that)\s+year|\s+of\s+(?:the\s+year|\d{{4}})|\s+in\s+\d{{4}})?,\s)"
    # "your three most-played artists", "the three artists you spent the most time with"
    rf"|\b(?=[tTyY])(?:the|your)\s+(two|three|four|five)\s+(?:most[- ](?:played|streamed)\s+)?"
    rf"({_NOUNS_RX})(?:(?=\s*[—–:,])|\s+(?:you\s+)?(?:spent\s+the\s+most\s+time\s+with|played\s+"
    rf"(?:the\s+)?most|streamed\s+most|listened\s+to\s+most|came\s+back\s+to\s+most)\b)",
    re.IGNORECASE,
)

#: what each form's matches hold (`wrapped.gate.needs`)
_NEEDS = {
    rx: needs(rx)
    for rx in (RANK1_THAN_RE, RANK1_ANY_RE, RANK1_PHRASE_RE, RANK_PLACE_RE, RANK_LIST_RE)
}
_PHRASE_STEMS = ("most", "repeat", "top", "crown", "throne", "gold", "first", "pole", "title",
                 "trophy", "prize",
                 "led ", "headed", "ruled", "owned", "dominated", "reigned", "champion", "winner",
                 "king", "queen", "mvp", "favo", "came back", "coming back")  # fmt: skip
_PLACE_STEMS = ("runner", "place", "spot", "slot", "position", "fiddle", "step", "silver",
                "bronze", "second", "third", "behind", "below", "number")  # fmt: skip
#: a place with its ranking named outright: "fourth by plays as well", "third by minutes too"
RANK_BY_RE = re.compile(
    r"\b(?:(first|second|third|fourth|fifth)|([1-5])(?:st|nd|rd|th))\s+by\s+(plays|minutes)\b",
    re.IGNORECASE,
)
_BY_NEEDS = needs(RANK_BY_RE)


def rank_forms(run: Run) -> None:
    """Rank claims written without a rank number (see the patterns above)."""
    if not run.names:
        return  # every form is about a named item
    cur = run.cur
    low = cur.lower()
    has_than = " than " in low or " as " in low
    if has_than and ("no" in low or "none" in low) and run.can(_NEEDS[RANK1_THAN_RE]):
        _rank1_than(run)
    rxs = [RANK1_PHRASE_RE] if any(st in low for st in _PHRASE_STEMS) else []
    if (
        has_than
        or "above all" in low
        or "ahead of" in low
        or "over all" in low
        or "over every" in low
    ):
        rxs.insert(0, RANK1_ANY_RE)
    for rx in rxs:
        if run.can(_NEEDS[rx]):
            _rank1(run, rx)
    if any(st in low for st in _PLACE_STEMS) and run.can(_NEEDS[RANK_PLACE_RE]):
        _places(run)
    if (" by plays" in low or " by minutes" in low) and run.can(_BY_NEEDS):
        _by_places(run)
    if ("top" in low or "most" in low) and run.can(_NEEDS[RANK_LIST_RE]):
        _lists(run)


def _rank1_than(run: Run) -> None:
    for m in RANK1_THAN_RE.finditer(run.cur):
        noun = _NOUNS_I_RE.search(m.group(0))
        lst = _noun_list(noun.group(0) if noun else None)
        sp = _name_for(run, m.start(), m.end(), after_only=True, want=lst)
        if sp is not None:
            _claim_rank(run, m.start(), m.end(), sp, 1, lst)
            run.blank(m.start(), m.end())


#: the noun a rank phrase is said of, just before it ("the track you returned to most", "the
#: song you played more than any other")
_NOUN_BEFORE_RE = re.compile(
    rf"\b({_NOUNS_RX})\s+(?:that\s+|which\s+)?(?:you\s+(?:[\w'’]+\s+){{0,2}})?$", re.IGNORECASE
)


def _rank1(run: Run, rx: re.Pattern[str]) -> None:
    for m in rx.finditer(run.cur):
        s0, _ = run.sentence_bounds(m.start())
        noun = _NOUNS_I_RE.search(m.group(0))
        said_of = _NOUN_BEFORE_RE.search(run.orig, max(s0, m.start() - 24), m.start())
        if said_of is not None and not noun and said_of.group(1).lower().endswith("s"):
            continue  # "the three artists you spent the most time with": a list (`_lists`)
        lst = _noun_list(noun.group(0) if noun else said_of.group(1) if said_of else None)
        before = [
            sp
            for sp in run.names
            if s0 <= sp.start and sp.end <= m.start() and _holder_kind(run, sp, lst)
        ]
        if before and rx is RANK1_ANY_RE:
            sp: Span | None = before[-1]
        else:
            sp = _name_for(run, m.start(), m.end(), want=lst)
        if sp is None:
            continue
        if rx is RANK1_ANY_RE and _ONE_DAY_RE.match(run.orig, m.end()):
            _day_record(run, m.start(), m.end(), sp)
        else:  # "more than any other" is false of a shared first place
            _claim_rank(run, m.start(), m.end(), sp, 1, lst, unique=rx is RANK1_ANY_RE)
        run.blank(m.start(), m.end())


#: "more than any song got in a single day": the year's one-day record, not a year rank
_ONE_DAY_RE = re.compile(
    r"(?:\s+[\w'’]+){0,4}?\s+(?:in|on)\s+(?:a|one|any)\s+(?:single\s+|other\s+)?day\b",
    re.IGNORECASE,
)


def _day_record(run: Run, start: int, end: int, sp: Span) -> None:
    """The year's most plays of one track in one day (`habits.repeat_track`, or its artist)."""
    habits = run.ix.user_year.habits
    holders = {normalize_name(n) for n in (habits.repeat_track, habits.repeat_artist) if n}
    ok = sp.norm in holders
    run.add("rank", f"{run.orig[start:end]} ({sp.original})", ok,
            "habits.repeat_track" if ok else None,
            f"{sp.original} does not hold the year's one-day record")  # fmt: skip


#: a name right after "behind"/"below" is the reference a place is counted from, not its holder
_REFERENCE_BEFORE = re.compile(r"\b(?:behind|below|after|than)\s+$", re.IGNORECASE)


def _is_reference(run: Run, sp: Span) -> bool:
    return bool(_REFERENCE_BEFORE.search(run.orig[max(0, sp.start - 12) : sp.start]))


_IN_PLACE_RE = re.compile(r"\s+(?:in|at)\s+(?:the\s+)?", re.IGNORECASE)


def _held_just_before(run: Run, start: int) -> Span | None:
    """The name written just before "in second place" ("ahead of folk in second place"): it
    holds the place, even after a comparison word."""
    for sp in run.names:
        if start - 16 <= sp.end <= start and _IN_PLACE_RE.fullmatch(run.orig, sp.end, start):
            return sp
    return None


def _places(run: Run) -> None:
    for m in RANK_PLACE_RE.finditer(run.cur):
        g = [x for x in m.groups() if x]
        word = g[0].lower() if g else ""
        behind = not g  # "just behind X": X is the reference, the holder is named before it
        if word.startswith("runner"):
            rank = 2
        elif word in ("silver",):
            rank = 2
        elif word in ("bronze",):
            rank = 3
        elif word.isdigit():
            rank = int(word)
        elif word in _PLACE_WORDS:
            rank = _PLACE_WORDS[word]
        else:  # "just behind": second
            rank = 2
        if behind:
            # the holder: named before ("Y, right behind X"), else after the reference
            # ("Right behind X sat Y"); the reference holds the place above
            s0, s1 = run.sentence_bounds(m.start())
            before = [x for x in run.names if s0 <= x.start and x.end <= m.start()]
            after = [x for x in run.names if m.end() <= x.start <= s1]
            ref = after[0] if after and _is_reference(run, after[0]) else None
            holders = before[-1:] or [x for x in after if x is not ref][:1]
            sp = holders[0] if holders else None
            if ref is not None and sp is not None:
                _claim_rank(run, m.start(), m.end(), ref, 1, None)
        elif run.orig.startswith(("'s", "’s"), m.end()):
            continue  # "162 plays to the runner-up's 136": the runner-up is not named
        else:
            sp = _held_just_before(run, m.start()) or _name_for(
                run, m.start(), m.end(), skip=lambda x: _is_reference(run, x)
            )
        if sp is None:
            continue
        _claim_rank(run, m.start(), m.end(), sp, rank, None)
        run.blank(m.start(), m.end())


def _by_places(run: Run) -> None:
    """ "X is third by minutes, while Y is second by plays": held by the last name before the
    phrase in its clause ("X's song" and "Song by X" are the song's), in the ranking the phrase
    names; a clause that names no one ("though only fourth by plays") claims nothing here."""
    for m in RANK_BY_RE.finditer(run.cur):
        s0, _ = run.sentence_bounds(m.start())
        c0 = clause_bounds(run, m.start())[0]
        own = [
            sp for sp in run.names if c0 <= sp.start and sp.end <= m.start() and _may_hold(run, sp)
        ]
        if not own and _ELLIPSIS_RE.fullmatch(run.orig, c0, m.start()):
            # "X is your fourth artist, and fourth by plays as well": the sentence's subject
            own = [sp for sp in run.names if s0 <= sp.start < c0 and _may_hold(run, sp)][:1]
        if not own:
            continue  # "even though it's only fourth by plays": a pronoun, not a name
        word = (m.group(1) or m.group(2)).lower()
        rank = int(word) if word.isdigit() else _PLACE_WORDS[word]
        _claim_rank(run, m.start(), m.end(), own[-1], rank, None, by=m.group(3).lower())
        run.blank(m.start(), m.end())


#: a clause that is only its joining word and the place ("and fourth by plays as well")
_ELLIPSIS_RE = re.compile(
    r"[\s,]*(?:and|but|yet|though|although|while)?\s*(?:only|also|just|a\s+(?:clear|close|distant))?\s*",
    re.IGNORECASE,
)


def _may_hold(run: Run, sp: Span) -> bool:
    """Not "X's" (the song after it holds the place), not the artist of "Song by X", and
    written as a name (capitalised)."""
    orig = run.orig
    return (
        sp.original[:1].isupper()
        and not orig.startswith(("'s", "’s"), sp.end)
        and not orig.endswith(" by ", 0, sp.start)
    )


def _lists(run: Run) -> None:
    for m in RANK_LIST_RE.finditer(run.cur):
        val = (m.group(1) or m.group(3)).lower()
        n = int(val) if val.isdigit() else _PLACE_WORDS.get(val) or _UNITS.get(val, 0)
        noun = m.group(2) or m.group(4)
        if m.group(3) and not (
            "most" in m.group(0).lower() or "most" in run.orig[m.end() : m.end() + 40]
        ):
            continue  # "the three artists, A, B and C": a count of names, not a rank
        lst = _noun_list(noun)
        s0, s1 = run.sentence_bounds(m.start())
        named = [sp for sp in run.names if m.end() <= sp.start <= s1]
        for sp in named[: max(n, 1)]:
            _claim_rank(run, m.start(), m.end(), sp, n, lst, max_rank=True)
        run.blank(m.start(), m.end())
