"""The grounding verifier: every claim in a story checked against the listener's data, no LLM.

This module holds the run order and the name rules; calendar claims are in `wrapped.gate.when`,
amounts (numbers, percentages) in `wrapped.gate.amounts`, ranks and comparisons in
`wrapped.gate.ranks` and `wrapped.gate.rankforms`, the fact index in
`wrapped.gate.facts`, the rounding rules in `wrapped.gate.numbers`.

Order matters: known names are found first (case, accents, curly quotes and a leading "The"
folded away) and blanked out, so numbers inside names ("Maroon 5", "1989") are not read as
claims. Then dates, times, percentages, decades and years, rankings and comparisons, weekdays and
months, and finally the remaining numbers, each blanked once read.

Names: any *quoted* span, any capitalised multi-word span, any capitalised word mid-sentence, and
a capitalised word opening a sentence when a verb like "kept"/"was" or a possessive follows it,
that is not a known name (or a word of one, e.g. "Phoebe" for Phoebe Bridgers), a calendar word
or a common capitalised word ("I", "New Year's Day"), is a hallucination candidate. Title-case
titles are exempt from the capitalised-span rule (every word is capitalised there).

Numbers carry a unit read from the next words (minutes, hours, days, plays/times/songs...,
percent, years old) and must match a fact of that unit under the rounding rules in
`wrapped.gate.numbers`. Number *words* count only with a unit ("twelve plays"), since "one of",
"the two of you" are idiom, not claims. Rankings ("your #2 artist", "second-favourite song", "top
artist") need the named item nearest in the sentence to hold that rank. Weekdays must be the
day's weekday, another interesting day's, or (plural: "Saturdays") the busiest weekday.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from wrapped.gate import amounts, elapsed, margins, rankforms, ranks, spoken, tallies, when
from wrapped.gate.context import ListenerContext, context_for
from wrapped.gate.facts import CALENDAR_WORDS, FactIndex, find_names
from wrapped.gate.needs import needs
from wrapped.gate.numbers import DIGITS_RE, NUMBER_WORDS_RE, words_to_number
from wrapped.gate.scan import BLANK, Run, Span
from wrapped.safety.screen import normalize_name
from wrapped.stats.model import UserYear
from wrapped.story import Check, Draft

_COMMON_CAPS = frozenset(
    """i i'm i've i'd i'll ok okay dj mc tv uk us usa eu wrapped spotify new year's year eve day
    christmas easter halloween valentine's english british american european top artist artists
    track tracks song songs album albums genre genres podcast podcasts episode episodes playlist
    playlists music listening listener minutes plays repeat shuffle your you the of in on and
    a an my our soundtrack soundtracks mixtape hits hit replay encore chorus verse volume
    headphones speakers morning afternoon evening night weekend weekday immediate release
    announced today breaking news update exclusive official""".split()
) | frozenset(  # words shouted for emphasis ("Monday was HUGE for you!")
    """huge big bigger biggest massive enormous epic wild loud louder loudest best most more all
    every never always so very really totally love yes no wow omg lol""".split()
)
#: number idioms that are not claims about the data
_IDIOMS = re.compile(
    r"\b(?:24/7|24-7|9[- ]to[- ]5|nine[- ]to[- ]five|1[01]0\s?%|1[01]0 per ?cent|360 degrees)", re.I
)
_IDIOMS_NEEDS = needs(_IDIOMS)
_STARTERS = frozenset(
    """you your yours that this these those it its it's the a an and but so or yet on in at by
    from when what whatever whoever while then there here still also meanwhile later of for with
    just nothing which who nobody everything everyone now today tonight every each some most
    many more after before between not no yes even only all if as because since though although
    once until how why where one two three four five six seven eight nine ten first second
    third last next another somewhere somehow someone something sometimes safe whether let
    we our us they their he she his her my me mornings evenings nights afternoons morning
    evening night afternoon turns turned call put take keep here's that's there's what's
    who's let's don't didn't isn't wasn't can't won't could would should might must may
    across around among against along amid behind below beneath beside beyond despite during
    inside into near outside over past through throughout toward towards under upon within
    without via plus starring featuring presenting introducing hi hello hey dear good great
    expect imagine picture consider remember note meet enjoy trust think guess stay look listen
    things everything stuff case news reports word life time days nights mercury venus saturn
    hear cheers thanks welcome goodnight you've you're you'd you'll we've we're we'd we'll
    they've they're it'll i'm i've both doors strong add cue queue pair throw mix give
    press hit play""".split()
)
_NAME_VERBS = frozenset(
    """was were is are kept had has took led owned came ruled topped dominated stole
    soundtracked carried got made opened closed played showed returned appeared remained edged
    beat headed followed joined won started finished""".split()
)
_CAP_WORD = r"(?:[A-Z](?:[\w'’&-]|[.!](?=\w))*|\d+[A-Za-z]+)"
_CONNECT = r"(?:of|the|and|&|de|la|le|los|las|el|in|on|a|to|for|n'|'n'|y|von|van|da|del|du|der)"
# lookaheads on the first character: same matches, the engine skips most positions at once
# the first word opens with its first character (a capital or a digit) and then takes the rest of
# `_CAP_WORD`'s alternative for it: the engine's fast search finds those characters
_CAP_FIRST = r"[A-Z\d](?:(?<=[A-Z])(?:[\w'’&-]|[.!](?=\w))*|(?<=\d)\d*[A-Za-z]+)"
CAP_SPAN_RE = re.compile(rf"{_CAP_FIRST}(?:\s+(?:{_CONNECT}\s+)*{_CAP_WORD})*")
QUOTE_RE = re.compile(
    r"(?=[“\"‘'])(?:[“\"]([^”\"\n]{1,80})[”\"]|(?<![\w])[‘']([^’'\n]{1,80})[’'](?![\w]))"
)

_TITLE_WORD_RE = re.compile(r"[^\W\d_][\w']*")
_UPPER_RE = re.compile(r"[A-Z]")
_LATIN_RE = re.compile(r"[A-Za-z]")
_INTRO_END_RE = re.compile(r"[:—–]\s*[\"“‘']?\s*$")
_NEXT_WORD_RE = re.compile(r"([’']s\b|\w+)")


def verify_grounding(
    text: str,
    user_year: UserYear,
    day: date,
    *,
    title_case: bool = False,
    ctx: ListenerContext | None = None,
) -> Check:
    """Check every claim in `text` against `user_year` and `day`; layer="grounding".

    `title_case=True` for a Title Case headline: capitalised words are then not name candidates.
    `ctx`: the listener's context, whose fact index is reused (else one is built for this call).
    """
    run = _read(text, context_for(user_year, ctx).index(day), title_case)
    bad = [c for c in run.claims if not c.grounded]
    return Check(
        name="grounding",
        layer="grounding",
        status="fail" if bad else "pass",
        score=1.0 - len(bad) / max(1, len(run.claims)),
        reasons=[f"{c.kind} '{c.text}': {c.why}" for c in bad],
        claims=run.claims,
    )


def _read(text: str, ix: FactIndex, title_case: bool) -> Run:
    """Every claim of `text`, each checked (see the module doc for the order)."""
    run = Run(text, ix)
    _names(run)
    if (run.digit or run.may("nine")) and run.can(_IDIOMS_NEEDS):
        for m in _IDIOMS.finditer(run.cur):
            run.blank(m.start(), m.end())
    _quotes(run)
    when.dates(run)
    spoken.clock_words(run)
    when.times(run)
    amounts.percentages(run)
    when.decades_years(run)
    margins.leads(run)
    rankforms.rank_forms(run)
    ranks.ranks(run)
    ranks.comparisons(run)
    when.calendar(run)
    elapsed.elapsed(run)
    spoken.durations(run)
    spoken.relations(run)
    tallies.named_counts(run)
    amounts.numbers(run)
    if not title_case:
        _capitalised(run)
    if not text.isascii():
        _uncased(run)
    return run


def _echoes(title: Run, story: Run) -> None:
    """A title's figure that the story states and grounds ("Ninety-Eight Plays" over "98
    plays ... that was Canyon Highway's 2025") is grounded by it: a headline names no subject
    of its own. A small count (2 to 12) the story says in any reading ("Three Plays Against
    One" over "three against one each", "Three Times the Nearest Rival" over "three times the
    minutes") is the story's too; the story's own claims are checked where it says them."""
    told = {(x, unit) for _, x, unit, ok in story.values if ok}
    small: set[float] | None = None
    for i, x, unit, ok in title.values:
        if not ok and unit in ("count", None) and 2 <= x <= 12 and x == int(x):
            if small is None:
                small = _small_numbers(story.orig) | tallies.title_counts(title, story)
            ok = x in small
        if not ok and (x, unit) in told:
            ok = True
        if ok and not title.claims[i].grounded:
            c = title.claims[i]
            title.claims[i] = c.model_copy(
                update={"grounded": True, "fact": "the story's own figure", "why": None}
            )


def _small_numbers(text: str) -> set[float]:
    """The numbers from 2 to 12 a text says, in digits or words."""
    out = {float(m.group(1)) for m in DIGITS_RE.finditer(text) if len(m.group(1)) <= 2}
    for m in NUMBER_WORDS_RE.finditer(text):
        v = words_to_number(m.group(0))
        if v is not None:
            out.add(float(v))
    return {x for x in out if 2 <= x <= 12}


def verify_draft(
    draft: Draft, user_year: UserYear, day: date, ctx: ListenerContext | None = None
) -> Check:
    """Grounding of a whole draft: its title and its story, claims merged into one Check."""
    ix = context_for(user_year, ctx).index(day)
    words = [w for w in _TITLE_WORD_RE.findall(draft.title) if len(w) > 3]
    title_case = bool(words) and sum(w[0].isupper() for w in words) / len(words) >= 0.5
    title, story = _read(draft.title, ix, title_case), _read(draft.story, ix, False)
    _echoes(title, story)
    a, b = title.claims, story.claims
    claims = a + b
    reasons = [f"title: {c.kind} '{c.text}': {c.why}" for c in a if not c.grounded]
    reasons += [f"{c.kind} '{c.text}': {c.why}" for c in b if not c.grounded]
    n_bad = len(reasons)
    return Check(
        name="grounding",
        layer="grounding",
        status="fail" if n_bad else "pass",
        score=1.0 - n_bad / max(1, len(claims)),
        reasons=reasons,
        claims=claims,
    )


# --- names -----------------------------------------------------------------------------------


def _names(run: Run) -> None:
    for hit in find_names(run.orig, run.ix):
        start, end, norm = hit
        original = run.orig[start:end]
        known = run.ix.names.get(norm)
        if known is None:
            continue
        run.names.append(Span(start, end, norm, known))
        quoted = start > 0 and run.orig[start - 1] in "\"“‘'"
        if any(ch.isupper() for ch in original) or quoted or " " in norm:
            run.add("name", original, True, f"name={known}")
        run.blank(start, end)


def _quotes(run: Run) -> None:
    if not any(q in run.orig for q in "\"“‘'"):
        return
    cur = run.cur
    for m in QUOTE_RE.finditer(cur):
        inner = m.group(1) or m.group(2) or ""
        rest = inner.replace(BLANK, "").strip(" ,.!?-–—:;'’")
        if not rest or not _UPPER_RE.search(rest[:1]) or not _LATIN_RE.search(rest):
            continue
        span = run.orig[m.start() : m.end()]
        if _is_common_caps(rest):
            continue
        run.add("name", span, False, why="not a name in your listening data")
        run.blank(m.start(), m.end())


def _is_common_caps(phrase: str) -> bool:
    words = [w.strip(".,!?;:'’\"").lower() for w in phrase.split()]
    return all(w in _COMMON_CAPS or w in CALENDAR_WORDS or not w for w in words)


#: runs of letters of scripts without case (and Cyrillic, Greek): in an English story, a name
_UNCASED_RE = re.compile(
    r"[\u0370-\u03ff\u0400-\u04ff\u0590-\u05ff\u0600-\u06ff\u0900-\u0dff\u0e00-\u0e7f"
    r"\u1100-\u11ff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]+"
    r"(?:[\s·・-]+[\u0370-\u03ff\u0400-\u04ff\u0590-\u05ff\u0600-\u06ff\u0900-\u0dff"
    r"\u0e00-\u0e7f\u1100-\u11ff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]+)*"
)


def _uncased(run: Run) -> None:
    """A name in a script without capitals (Hebrew, Devanagari, Japanese ...) left after the
    known names were blanked is not in the data: the capitalised-span rule cannot see it."""
    for m in _UNCASED_RE.finditer(run.cur):
        if not any(ch.isalpha() for ch in m.group(0)):
            continue  # a vowel sign left after a known name ends: part of that name
        run.add("name", m.group(0), False, why="not a name in your listening data")


_END_MARKS = frozenset(".!?…:;—–(\n")


def _sentence_ends(text: str) -> bool:
    """Does `text` end a sentence: a mark (`_END_MARKS`), then only spaces and at most one
    quote? Read from the end (a pattern anchored at the end tried every position of the text
    before each capitalised word)."""
    body = text.rstrip()
    if "\n" in text[len(body) :]:
        return True  # a line break is a mark, and only spaces follow it
    if body and body[-1] in "\"“‘'":
        quoted = body[:-1].rstrip()
        if "\n" in body[len(quoted) : -1]:
            return True
        body = quoted
    if body and body[-1] not in _END_MARKS and ord(body[-1]) > 0x2000:
        # an emoji or pictograph ends a sentence the way a mark does ("... party 🌱 Nine of")
        return unicodedata.category(body[-1]) == "So"
    return bool(body) and body[-1] in _END_MARKS


def _after_colon(cur: str, start: int) -> bool:
    """Is `start` just after a colon or a dash ("In second place: Eminem.")? A word there is a
    name, as a list item is."""
    return bool(_INTRO_END_RE.search(cur[max(0, start - 4) : start]))


def _before_name(run: Run, end: int) -> bool:
    """Does a known name follow `end` after one space or hyphen ("DJ" + a known name)?"""
    return any(sp.start == end + 1 for sp in run.names) and run.orig[end : end + 1] in " -"


def _capitalised(run: Run) -> None:
    cur = run.cur
    for m in CAP_SPAN_RE.finditer(cur):
        span = m.group(0).rstrip(".'’!-")
        start = m.start()
        words = span.split()
        at_start = start == 0 or _sentence_ends(cur[:start])
        if at_start:
            first = words[0].lower().strip("'’")
            if (
                first in _STARTERS
                or first.endswith("ly")
                or first in _COMMON_CAPS
                or first in CALENDAR_WORDS
            ):
                words = words[1:]
                start = cur.find(words[0], start) if words else start
            elif (
                len(words) == 1 and not _after_colon(cur, start) and not _before_name(run, m.end())
            ):
                after = cur[m.end() : m.end() + 20].lstrip()
                nxt = _NEXT_WORD_RE.match(after)
                if not nxt or not (
                    nxt.group(1).startswith(("'s", "’s")) or nxt.group(1).lower() in _NAME_VERBS
                ):
                    continue
        while words and words[0].lower() in ("the", "a", "and", "of"):
            words = words[1:]
        if not words:
            continue
        phrase = " ".join(words)
        if _is_common_caps(phrase):
            continue
        norm = normalize_name(phrase)
        if not norm or norm in run.ix.names:
            continue
        toks = norm.split()
        if all(t in run.ix.tokens or t in CALENDAR_WORDS or t in _COMMON_CAPS for t in toks):
            run.add("name", phrase, True, "name=part of a known name")
            continue
        run.add("name", phrase, False, why="not a name in your listening data")
