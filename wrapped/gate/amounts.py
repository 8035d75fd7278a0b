"""Grounding of amounts: numbers, percentages, rankings and comparisons.

Numbers carry a unit read from the words after them and must match a fact of that unit under
the rounding rules of `wrapped.gate.numbers`; counts of a kind ("N artists") only match counts
of that kind, "N minutes of music" only music amounts, and a number about a named item only
that item's facts. Rankings must hold for the nearest named item; comparisons must agree with
both items' ranks.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache

from wrapped.gate.derive import estimated
from wrapped.gate.facts import LIST_NOUNS, TOP_LISTS, FactIndex
from wrapped.gate.numbers import (
    _UNITS,
    DIGITS_RE,
    NUMBER_WORDS_RE,
    matches,
    qualifier_after,
    qualifier_before,
    words_to_number,
)
from wrapped.gate.scan import Run, Span
from wrapped.stats.model import MONTHS, WEEKDAYS

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

PCT_RE = re.compile(r"(?<![\w.])(\d+(?:\.\d+)?)\s*(%|per\s?cent\b)", re.IGNORECASE)
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

_UNIT_WORDS = [
    (re.compile(r"^(?:minutes?|mins?)\b"), "minutes"),
    (re.compile(r"^(?:hours?|hrs?)\b"), "hours"),
    (re.compile(r"^(?:days?)\b"), "days"),
    (re.compile(r"^(?:weeks?)\b"), "weeks"),
    (re.compile(r"^(?:years?[- ]old|year[- ]olds?)\b"), "age"),
    (
        re.compile(
            r"^(?:plays?|times?|spins?|streams?|listens?|songs?|tracks?|tunes?|artists?|albums?|"
            r"episodes?|podcasts?|shows?|genres?|replays?|repeats?|rounds?|goes|skips?|acts?|bands?|records?)\b"
        ),
        "count",
    ),
]
_FILLER = re.compile(
    r"^(?:different|distinct|separate|whole|full|solid|straight|consecutive|glorious|more|new|"
    r"extra|total|brand[- ]new|individual|unique|complete|back[- ]to[- ]back|entire|long|short|"
    r"of|listening|music|podcast|musical|fresh)\s+",
)


def percentages(run: Run) -> None:
    for m in PCT_RE.finditer(run.cur):
        x = float(m.group(1))
        qual = qualifier_before(run.cur, m.start())
        top = _TOP_END_I_RE.search(run.cur[max(0, m.start() - 8) : m.start()])
        fact = None if top else _match(run.ix, x, qual, "percent")
        run.add(
            "number",
            run.orig[m.start() : m.end()],
            fact is not None,
            fact,
            "no such percentile in your data" if top else "no percentage in your data matches",
        )
        run.blank(m.start(), m.end())


def _nearest_name(run: Run, pos: int, end: int) -> Span | None:
    s0, s1 = run.sentence_bounds(pos)
    best, dist = None, 10**9
    for sp in run.names:
        if sp.start >= s0 and sp.end <= s1 + 1:
            d = min(abs(sp.start - end), abs(sp.end - pos))
            if d < dist:
                best, dist = sp, d
    return best


def _check_rank(
    run: Run, m: re.Match[str], rank: int | None, noun: str | None, any_rank: bool
) -> None:
    sp = _name_for(run, m.start(), m.end())
    span = run.orig[m.start() : m.end()]
    if sp is None:
        return  # nothing named: no checkable claim
    lists = [LIST_NOUNS[noun.lower()]] if noun else list(TOP_LISTS)
    variants = ("", "_by_plays") if plays_claim(run, m.start()) else ("",)
    got = [(lst + v, run.ix.ranks.get(lst + v, {}).get(sp.norm)) for lst in lists for v in variants]
    got = [(lst, r) for lst, r in got if r is not None]
    s0, s1 = run.sentence_bounds(m.start())
    sentence = run.orig[s0:s1].lower()
    day_scope = rank == 1 and sp.norm in run.ix.day_tops and _DAY_WORD_RE.search(sentence)
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


#: forms that claim rank 1 without a number: "no one got more ... than X", "more ... than any
#: other", "came back to most", "on repeat all year", "took the top spot", "your favourite? X"
_NOUNS_RX = r"(?:artists?|acts?|bands?|singers?|songs?|tracks?|tunes?|albums?|records?|genres?|podcasts?|shows?|episodes?)"
RANK1_THAN_RE = re.compile(
    rf"\b(?=[nN])(?:no(?:\s+other)?\s+(?:one|body|{_NOUNS_RX})|nobody|nothing|none)\b[^.!?;]{{0,60}}?"
    r"\b(?:more|longer|as\s+much|as\s+often|closer)\b[^.!?;]{0,40}?\b(?:than|as)\b",
    re.IGNORECASE,
)
RANK1_ANY_RE = re.compile(
    rf"\b(?=[mtaoaMTAO])(?:more\b[^.!?;]{{0,50}}?\bthan\s+(?:with\s+|to\s+|on\s+|for\s+)?(?:any(?:one|thing|body)?"
    rf"(?:\s+(?:other|else))?(?:\s+{_NOUNS_RX})?|all\s+(?:the\s+)?(?:others|rest)|every(?:one|thing|"
    rf"body)\s+else)|above\s+all\s+(?:others|else)|(?:over|ahead\s+of)\s+(?:all|every)\s+"
    rf"(?:the\s+)?(?:others|rest|other\s+{_NOUNS_RX}))\b",
    re.IGNORECASE,
)
RANK1_PHRASE_RE = re.compile(
    r"\b(?=[cprotlnahswfmCPROTLNAHSWFM#])(?:came\s+back\s+to\s+(?:\w+\s+)?most|kept\s+coming\s+back\s+to|returned\s+to\s+"
    r"(?:\w+\s+)?most|(?:played|streamed|spun|replayed|looped|heard|loved|picked|chose|"
    r"reached\s+for|listened\s+to)\s+(?:\w+\s+)?(?:the\s+)?most(?:\s+often)?\b(?!\s+(?:on|that|of\s+the\s+day))|"
    r"on\s+repeat\s+(?:all|the\s+whole|every|this)\s+(?:year|month)|(?:took|claimed|grabbed|"
    r"won|holds?|held|earned|nabbed|snagged|secured)\s+(?:the\s+)?(?:top\s+spot|top\s+slot|"
    r"crown|throne|gold(?:\s+medal)?|first\s+place|number[- ]one\s+spot|#1\s+spot|pole\s+position|"
    r"title)|(?:in|at)\s+first\s+place|at\s+the\s+top\s+of\s+(?:your|the)\s+(?:list|chart|"
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
    rf"favou?rite\s+)?({_NOUNS_RX}))?\b(?=[^.!?]{{0,40}}?(?:were|was|:|—|–|included|featured|"
    rf"went\s+to|read|looked\s+like|came\s+down\s+to))",
    re.IGNORECASE,
)
_PLAYS_WORDS = re.compile(
    r"\b(?:plays?|played|streams?|streamed|spins?|spun|replay\w*|times|came\s+back|returned|"
    r"repeat|looped|most[- ]played|scrobbl\w*)\b",
    re.IGNORECASE,
)
_DAY_WORDS = re.compile(
    r"\b(?:day|today|that\s+(?:afternoon|morning|evening|night)|tonight)\b", re.IGNORECASE
)
_TOP_END_I_RE = re.compile(r"\btop\s*$", re.IGNORECASE)
_TOP_END_RE = re.compile(r"\btop\s*$")
_DAY_WORD_RE = re.compile(r"\b(day|today|that day|afternoon|morning|evening|night)\b")
_NON_DIGIT_RE = re.compile(r"\D")
_NOUNS_I_RE = re.compile(_NOUNS_RX, re.IGNORECASE)


def _noun_list(noun: str | None) -> str | None:
    if not noun:
        return None
    n = noun.lower()
    if n.startswith("singer"):
        return "top_artists"
    return LIST_NOUNS.get(n) or LIST_NOUNS.get(n.rstrip("s"))


def _claim_rank(
    run: Run, start: int, end: int, sp: Span, rank: int, lst: str | None, max_rank: bool = False
) -> None:
    """Record that `sp` holds `rank` (or a rank <= `rank` when `max_rank`) in `lst` (None: any
    top list), by minutes or by plays (or, for rank 1, as the day's top)."""
    lists = [lst] if lst else list(TOP_LISTS)
    got: list[tuple[str, int]] = []
    variants = ("", "_by_plays") if plays_claim(run, start) else ("",)
    for name in lists:
        for variant in (name + v for v in variants):
            r = run.ix.ranks.get(variant, {}).get(sp.norm)
            if r is not None:
                got.append((variant, r))
    ok = any((r <= rank) if max_rank else (r == rank) for _, r in got)
    if not ok and rank == 1 and sp.norm in run.ix.day_tops:
        # the day's top: true unless the sentence says it is about the year
        ok = sentence_scope(run, start) != "year"
    where = ", ".join(f"{g}[{r}]" for g, r in got) if got else "not in your top lists"
    span = run.orig[start:end]
    run.add("rank", f"{span} ({sp.original})", ok, f"{where}={sp.original}" if ok else None,
            f"{sp.original} is {where}" if got else f"{sp.original} is not in that top list")  # fmt: skip


def _name_for(run: Run, start: int, end: int, *, after_only: bool = False) -> Span | None:
    """The name a rank form is about: in its sentence (nearest, or the first after it when
    `after_only`), else, when the sentence is a question or ends in a colon, the first name
    of the next sentence ("Your top artist? X, no contest.")."""
    s0, s1 = run.sentence_bounds(start)
    if after_only:
        later = [sp for sp in run.names if sp.start >= end and sp.start <= s1]
        if later:
            return later[0]
    else:
        sp = _nearest_name(run, start, end)
        if sp is not None:
            return sp
    if "?" in run.orig[s0 : s1 + 1] and s1 + 2 < len(run.orig):
        n0, n1 = run.sentence_bounds(s1 + 2)
        nxt = [sp for sp in run.names if n0 <= sp.start <= n1]
        if n0 > s0 and nxt:
            return nxt[0]
    return None


_PHRASE_STEMS = ("most", "repeat", "top", "crown", "throne", "gold", "first", "pole", "title",
                 "led ", "headed", "ruled", "owned", "dominated", "reigned", "champion", "winner",
                 "king", "queen", "mvp", "favo", "came back", "coming back")  # fmt: skip
_PLACE_STEMS = ("runner", "place", "spot", "slot", "position", "fiddle", "step", "silver",
                "bronze", "second", "third", "behind", "below", "number")  # fmt: skip


def rank_forms(run: Run) -> None:
    """Rank claims written without a rank number (see the patterns above)."""
    if not run.names:
        return  # every form is about a named item
    cur = run.cur
    low = cur.lower()
    has_than = " than " in low or " as " in low
    if has_than and ("no" in low or "none" in low):
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
        _rank1(run, rx)
    if any(st in low for st in _PLACE_STEMS):
        _places(run)
    if "top" in low:
        _lists(run)


def _rank1_than(run: Run) -> None:
    for m in RANK1_THAN_RE.finditer(run.cur):
        sp = _name_for(run, m.start(), m.end(), after_only=True)
        if sp is not None:
            noun = _NOUNS_I_RE.search(m.group(0))
            _claim_rank(run, m.start(), m.end(), sp, 1, _noun_list(noun.group(0) if noun else None))
            run.blank(m.start(), m.end())


def _rank1(run: Run, rx: re.Pattern[str]) -> None:
    for m in rx.finditer(run.cur):
        s0, _ = run.sentence_bounds(m.start())
        before = [sp for sp in run.names if s0 <= sp.start and sp.end <= m.start()]
        sp = before[-1] if before and rx is RANK1_ANY_RE else _name_for(run, m.start(), m.end())
        if sp is None:
            continue
        noun = _NOUNS_I_RE.search(m.group(0))
        _claim_rank(run, m.start(), m.end(), sp, 1, _noun_list(noun.group(0) if noun else None))
        run.blank(m.start(), m.end())


def _places(run: Run) -> None:
    for m in RANK_PLACE_RE.finditer(run.cur):
        g = [x for x in m.groups() if x]
        word = g[0].lower() if g else ""
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
        sp = _name_for(run, m.start(), m.end())
        if sp is None:
            continue
        _claim_rank(run, m.start(), m.end(), sp, rank, None)
        run.blank(m.start(), m.end())


def _lists(run: Run) -> None:
    for m in RANK_LIST_RE.finditer(run.cur):
        val = m.group(1).lower()
        n = int(val) if val.isdigit() else _PLACE_WORDS.get(val) or _UNITS.get(val, 0)
        lst = _noun_list(m.group(2))
        s0, s1 = run.sentence_bounds(m.start())
        named = [sp for sp in run.names if m.end() <= sp.start <= s1]
        for sp in named[: max(n, 1)]:
            _claim_rank(run, m.start(), m.end(), sp, n, lst, max_rank=True)
        run.blank(m.start(), m.end())


_DAY_SCOPE = re.compile(
    r"\b(?:(?:that|this|the|a|one|single|same|which)\s+(?:single\s+)?(?:day|date|afternoon|"
    r"morning|evening|night)|today|tonight|all\s+day|(?:in|on)\s+(?:a|one)\s+(?:single\s+)?day|"
    r"the\s+record\s+day|by\s+(?:lunch|noon|midnight|bedtime)|birthday|new\s+year'?s\s+day)\b",
    re.IGNORECASE,
)
_YEAR_SCOPE = re.compile(
    r"\b(?:(?:this|the|your|whole|entire|all|a|full)\s+(?:whole\s+|entire\s+)?year|"
    r"year[- ](?:long|round)|(?:19|20)\d\d|in\s+total|all\s+told|overall|12\s+months|"
    r"twelve\s+months|annual\w*|all[- ]time|every\s+month|(?:over|across|throughout)\s+"
    r"(?:the|your)\s+(?:whole\s+)?(?:year|months))\b",
    re.IGNORECASE,
)


_DAY_STEMS = ("day", "tonight", "afternoon", "morning", "evening", "night", "lunch", "noon",
              "bedtime", "date")  # fmt: skip
_YEAR_STEMS = ("year", "19", "20", "total", "told", "overall", "month", "annual", "all-time",
               "all time")  # fmt: skip


def sentence_scope(run: Run, pos: int) -> str | None:
    """What the sentence at `pos` is about: "day" (the requested day: "that day", its date,
    its weekday), "year" ("this year", "all year", "in total"), or None (both or neither)."""
    s0, s1 = run.sentence_bounds(pos)
    memo = run.memo
    key = ("scope", s0)
    if key in memo:
        known = memo[key]
        return known if isinstance(known, str) else None
    memo[key] = scope = _scope(run, s0, s1)
    return scope


@lru_cache(maxsize=4096)
def _date_rx(month: str, day: int, weekday: str) -> re.Pattern[str]:
    return re.compile(
        rf"\b(?:{month}\s+{day}(?!\d)|{day}(?:st|nd|rd|th)?\s+(?:of\s+)?{month}|{weekday}(?!s))\b",
        re.IGNORECASE,
    )


def _scope(run: Run, s0: int, s1: int) -> str | None:
    text = run.orig[s0:s1]
    for sp in run.names:  # "Autumn of the Morning" the track says nothing of a morning
        if s0 <= sp.start and sp.end <= s1:
            text = text[: sp.start - s0] + " " * (sp.end - sp.start) + text[sp.end - s0 :]
    low = text.lower()
    day = any(w in low for w in _DAY_STEMS) and _DAY_SCOPE.search(text) is not None
    if not day:
        d = run.ix.day
        month, weekday = MONTHS[d.month - 1], WEEKDAYS[d.weekday()]
        if month.lower() in low or weekday.lower() in low:
            day = _date_rx(month, d.day, weekday).search(text) is not None
    year = any(w in low for w in _YEAR_STEMS) and _YEAR_SCOPE.search(text) is not None
    if day and not year:
        return "day"
    if year and not day:
        return "year"
    return None


def _is_day_fact(path: str) -> bool:
    return path.startswith(("day.", "sum(day", "len(day", "count(day"))


def plays_claim(run: Run, pos: int) -> bool:
    """Does the sentence at `pos` speak of plays (so a rank in it may be by plays)?"""
    s0, s1 = run.sentence_bounds(pos)
    key = ("plays", s0)
    if key not in run.memo:
        run.memo[key] = bool(_PLAYS_WORDS.search(run.orig[s0:s1]))
    return bool(run.memo[key])


def ranks(run: Run) -> None:
    for m in RANK_NUM_RE.finditer(run.cur):
        val = m.group(1).lower()
        rank = int(val) if val.isdigit() else _SMALL[val]
        _check_rank(run, m, rank, m.group(2), False)
        run.blank(m.start(), m.end())
    for m in RANK_ORD_RE.finditer(run.cur):
        tok = m.group(1).lower()
        rank = _ORD_WORDS.get(tok) or int(_NON_DIGIT_RE.sub("", tok))
        _check_rank(run, m, rank, m.group(2), False)
        run.blank(m.start(), m.end())
    for m in RANK_TOP_RE.finditer(run.cur):
        pre = run.cur[max(0, m.start() - 12) : m.start()].lower()
        if _TOP_END_RE.search(pre):
            continue
        _check_rank(run, m, 1, m.group(2), bool(m.group(1)) or m.group(2).lower().endswith("s"))
        run.blank(m.start(), m.end())


def comparisons(run: Run) -> None:
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
        for lst in TOP_LISTS:
            ranks = run.ix.ranks.get(lst, {})
            if a.norm in ranks and b.norm in ranks:
                less = m.group(0).lower().startswith(("less", "fewer"))
                ok = (ranks[a.norm] > ranks[b.norm]) if less else (ranks[a.norm] < ranks[b.norm])
                run.add(
                    "comparison",
                    run.orig[a.start : b.end],
                    ok,
                    f"{lst} ranks" if ok else None,
                    f"{a.original} is #{ranks[a.norm]} and {b.original} #{ranks[b.norm]} in {lst}",
                )
                break


#: count nouns -> words one of which the fact's path must contain
_NOUN_PATHS = [
    # counts OF artists (not plays by one): distinct, new, list lengths, the day's distinct
    (
        re.compile(r"^(?:artists?|acts?|bands?)\b"),
        (
            "distinct_artists",
            "new_artists",
            "len(top_artists)",
            "distinct_by",
            "explanation",
            "headline",
        ),
    ),
    (
        re.compile(r"^(?:songs?|tracks?|tunes?)\b"),
        (
            "distinct_tracks",
            "len(top_tracks)",
            "distinct_title",
            "plays",
            "count(",
            "log_total",
            "len(day.log)",
        ),
    ),
    (re.compile(r"^(?:albums?|records?)\b"), ("distinct_albums", "len(top_albums)")),
    (re.compile(r"^(?:genres?)\b"), ("len(top_genres)",)),
    (
        re.compile(r"^(?:episodes?|podcasts?|shows?)\b"),
        (
            "distinct_shows",
            "distinct_episodes",
            "len(top_podcasts)",
            "len(top_episodes)",
            "podcast_plays",
            "top_podcasts",
            "top_episodes",
        ),
    ),
    (
        re.compile(r"^(?:plays?|times?|spins?|streams?|listens?|replays?|repeats?|rounds?|goes)\b"),
        ("plays", "count", "log_total", "len(day.log)"),
    ),
    (re.compile(r"^(?:skips?)\b"), ("skip",)),
]
_OF_KIND = re.compile(
    r"^\S+\s+(?:of\s+)?(music|podcasts?)\b(?!\s+(?:and|&)\s+(?:talk|podcasts?|shows?|chat|more|everything|audiobooks?)\b)"
)


class _Unit:
    __slots__ = ("unit", "paths")

    def __init__(self, unit: str | None, paths: tuple[str, ...] = ()) -> None:
        self.unit, self.paths = unit, paths


_RANK_WORDS = re.compile(
    r"\b(?=[tfmn#s])(top|favou?rite|most[- ]played|number one|#\d|no\. ?\d|second|third)\b", re.I
)


#: "N minutes of music": anything but podcast and all-listening amounts ("!" = must not contain)
_MUSIC_ONLY = ("!podcast", "!show", "!episode", "!audiobook", "!totals.all.", "!day.facts.minutes")
_DECADE_WORD = re.compile(r"\b(?:19|20)\d0s\b")


def _unit_after(text: str, end: int) -> _Unit:
    tail = text[end : end + 60].lower().lstrip(" -")
    for _ in range(3):
        f = _FILLER.match(tail)
        if not f:
            break
        tail = tail[f.end() :]
    for rx, unit in _UNIT_WORDS:
        if rx.match(tail):
            paths: tuple[str, ...] = ()
            if unit == "count":
                for nrx, want in _NOUN_PATHS:
                    if nrx.match(tail):
                        paths = want
                        break
            elif unit == "minutes":
                kind = _OF_KIND.match(tail)
                if kind:
                    paths = (
                        _MUSIC_ONLY if kind.group(1) == "music" else ("podcast", "show", "episode")
                    )
            return _Unit(unit, paths)
    return _Unit(None)


def _path_ok(path: str, wanted: tuple[str, ...]) -> bool:
    if wanted[0].startswith("!"):
        return not any(w[1:] in path for w in wanted)
    return any(w in path for w in wanted)


def _match(
    ix: FactIndex,
    x: float,
    qual: str | None,
    unit: str | None,
    subjects: set[str] | None = None,
    paths: tuple[str, ...] = (),
    scope: str | None = None,
) -> str | None:
    """The first fact of `ix.numbers` (in order) that backs `x`, as "path=value"; None if none.

    Only the facts that can pass the unit and distance filters are tried (`NumberPool.near`);
    the rules below are the whole test, applied in the original order."""
    strict = subjects is not None and "" in subjects
    # no rule accepts a fact further away than this (1,000 for rounded thousands): a cheap prefilter
    reach = max(0.3 * abs(x), 3.0, 1000.0 if x >= 1000 else 0.0)
    finite = math.isfinite(x)
    for pool in ix.pools():
        if pool.linear or not finite:
            cands = pool.facts
        elif unit == "weeks":
            cands = pool.of_unit("days")
        else:
            cands = pool.near(unit or None, x, reach)
        for f in cands:
            if unit != "weeks" and abs(f.value - x) > reach:
                continue
            if scope is not None and (scope == "day") != _is_day_fact(f.path):
                continue
            if (
                f.subject is not None
                and subjects is not None
                and (subjects - {""} or strict)
                and f.subject not in subjects
            ):
                continue
            if paths and f.unit != "any" and not _path_ok(f.path, paths):
                continue
            if unit == "weeks":
                if f.unit != "days":
                    continue
                if matches(x, qual or "about", f.value / 7, True):
                    return f"{f.path}/7={f.value / 7:.1f}"
                continue
            if unit and unit != f.unit and f.unit != "any":
                continue
            if not unit and f.approx:
                continue
            if f.estimate and qual is None:  # an estimate is true only when hedged ("about")
                continue
            if matches(x, qual, f.value, f.approx or f.unit == "percent"):
                return f"{f.path}={f.value:g}"
    return None


def numbers(run: Run) -> None:
    cur = run.cur
    found: list[tuple[int, int, float, bool]] = []
    for m in DIGITS_RE.finditer(cur):
        x = float(m.group(1).replace(",", "") + (m.group(2) or ""))
        if m.group(3):
            x *= 1000
        if m.group(4):
            x *= 1_000_000
        found.append((m.start(), m.end(), x, bool(m.group(3) or m.group(4))))
    for m in NUMBER_WORDS_RE.finditer(cur):
        val = words_to_number(m.group(0))
        if val is None:
            continue
        found.append((m.start(), m.end(), float(val), False))
    for start, end, x, shorthand in sorted(found):
        u = _unit_after(cur, end)
        unit = u.unit
        is_word = not cur[start].isdigit()
        if is_word and unit is None:
            continue
        if is_word and x == 1:
            continue
        qual = (
            qualifier_before(cur, start)
            or qualifier_after(cur, end)
            or ("about" if shorthand else None)
        )
        s0, s1 = run.sentence_bounds(start)
        p0, _ = run.sentence_bounds(max(0, s0 - 2))  # two sentences back ("they earned ...")
        p0, _ = run.sentence_bounds(max(0, p0 - 2))
        subjects = {sp.norm for sp in run.names if sp.start >= p0 and sp.end <= s1 + 1}
        subjects.update(m.group(0).lower() for m in _DECADE_WORD.finditer(run.orig[p0:s1]))
        if not _RANK_WORDS.search(run.orig[s0:s1]):
            subjects.add("")  # marks "only named subjects"; rank talk may refer to any row
        scope = sentence_scope(run, start)
        fact = _match(run.ix, x, qual, unit, subjects, u.paths, scope)
        span = run.orig[start:end] + (f" {unit}" if unit else "")
        why = f"no {unit or 'number'} in your data matches {x:g}" + (f" ({qual})" if qual else "")
        if (
            fact is None
            and qual is None
            and _match(run.ix, x, "about", unit, subjects, u.paths, scope)
        ):
            if estimated(run.ix.user_year):
                why = (
                    f"{x:g} {unit or ''} is written as exact, but this listener's minutes are "
                    f"estimates (scrobbles keep no play length): write 'about {x:g}'"
                ).replace("  ", " ")
        run.add("number", span, fact is not None, fact, why)
        run.blank(start, end)
