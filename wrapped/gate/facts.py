"""Everything a story may claim about one listener and one day, indexed for the grounding check.

Built once per (UserYear, day) by the caller's per-listener context
(`wrapped.gate.context.ListenerContext`): the gate checks several drafts per listener, and the
index (names regex, number pool) is the expensive part. Each number carries a *unit* so a claim
is compared only with facts of the same kind ("417 minutes" with minute facts, "14 plays" with
counts): that keeps a planted wrong number from matching some unrelated fact by chance.
What goes into the index is derived from the role each `UserYear` field declares
(`wrapped.stats.roles`): the year's facts by `wrapped.gate.derive`, a day's by
`wrapped.gate.dayfacts`; this module holds the index and its name lookups, `wrapped.gate.pools`
its numbers grouped for lookup.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from itertools import compress, repeat
from operator import attrgetter
from typing import NamedTuple

from wrapped.gate.dayfacts import index_day
from wrapped.gate.derive import Fact, _fact, walk_year
from wrapped.gate.kinds import lists_of, name_kinds
from wrapped.gate.pools import DAY_PATHS as DAY_PATHS  # where the gate has always read it
from wrapped.gate.pools import NumberPool
from wrapped.safety.lexicon import fold
from wrapped.safety.screen import normalize_name
from wrapped.stats.model import MONTHS, WEEKDAYS, InterestingDay, UserYear

CALENDAR_WORDS = frozenset(w.lower() for w in WEEKDAYS + MONTHS)

#: which top list a noun in a ranking refers to
LIST_NOUNS = {
    "artist": "top_artists",
    "artists": "top_artists",
    "act": "top_artists",
    "band": "top_artists",
    "track": "top_tracks",
    "tracks": "top_tracks",
    "song": "top_tracks",
    "songs": "top_tracks",
    "tune": "top_tracks",
    "album": "top_albums",
    "albums": "top_albums",
    "record": "top_albums",
    "genre": "top_genres",
    "genres": "top_genres",
    "podcast": "top_podcasts",
    "show": "top_podcasts",
    "podcasts": "top_podcasts",
    "episode": "top_episodes",
    "episodes": "top_episodes",
}

TOP_LISTS = (
    "top_artists",
    "top_tracks",
    "top_albums",
    "top_genres",
    "top_podcasts",
    "top_episodes",
)


@dataclass
class FactIndex:
    user_year: UserYear
    day: date
    the_day: InterestingDay | None
    numbers: list[Fact] = field(default_factory=list)
    names: dict[str, str] = field(default_factory=dict)  # normalized -> original
    #: first word -> the known names' words that open with it, longest first (`find_names`)
    first_tokens: dict[str, tuple[tuple[str, ...], ...]] = field(default_factory=dict)
    tokens: set[str] = field(default_factory=set)  # words of known names (partial mentions)
    ranks: dict[str, dict[str, int]] = field(
        default_factory=dict
    )  # list -> normalized name -> rank
    day_tops: set[str] = field(default_factory=set)  # names a day fact calls "top"
    #: normalized name -> the top lists its kind ranks in (`wrapped.gate.kinds`)
    kinds: dict[str, frozenset[str]] = field(default_factory=dict)
    weekdays: set[str] = field(default_factory=set)
    plural_weekdays: set[str] = field(default_factory=set)
    dates: set[date] = field(default_factory=set)
    times: set[str] = field(default_factory=set)  # HH:MM
    minutes_of_day: list[int] = field(default_factory=list)
    peak_hour: int | None = None
    top_month: str | None = None
    years: set[int] = field(default_factory=set)
    decades: set[int] = field(default_factory=set)
    #: `find_names` results by text; shared by the year index and its day indexes (same names)
    name_hits: dict[str, list[NameHit]] = field(default_factory=dict, repr=False)
    #: the year index this day index extends (its `numbers` are a prefix of ours)
    year: FactIndex | None = field(default=None, repr=False)
    _pools: tuple[NumberPool, ...] | None = field(default=None, repr=False)

    def pools(self) -> tuple[NumberPool, ...]:
        """`numbers` grouped for lookup by unit and value, in order: the year's (shared by every
        day of the listener, built once), then this day's. Built on first use; `numbers` must
        not change afterwards."""
        pools = self._pools
        if pools is None:
            year = self.year
            if year is None:
                pools = (NumberPool(self.numbers),)
            else:
                n = len(year.numbers)
                pools = (year.pools()[0], NumberPool(self.numbers[n:], by_value=False))
            self._pools = pools
        return pools


def build_index(uy: UserYear, day: date, year: FactIndex | None = None) -> FactIndex:
    """Index `uy` and the interesting day `day` (which may be absent: then only year facts).

    The year part (and every name of every day) is `year` when the caller kept it (built once
    per listener by `build_year_index`); the day part adds that day's numbers, times and
    weekday."""
    if year is None:
        year = build_year_index(uy)
    try:
        the_day = uy.day(day)
    except KeyError:
        the_day = None
    ix = FactIndex(
        uy,
        day,
        the_day,
        numbers=list(year.numbers),
        names=year.names,
        first_tokens=year.first_tokens,
        tokens=year.tokens,
        ranks=year.ranks,
        day_tops=set(),
        kinds=year.kinds,
        weekdays=set(year.weekdays),
        plural_weekdays=set(year.plural_weekdays),
        dates=set(year.dates),
        peak_hour=year.peak_hour,
        top_month=year.top_month,
        years=set(year.years),
        decades=year.decades,
        name_hits=year.name_hits,
        year=year,
    )
    if the_day is not None:
        index_day(ix, the_day)
    ix.dates.add(day)
    ix.weekdays.add(WEEKDAYS[day.weekday()])
    ix.plural_weekdays.add(WEEKDAYS[day.weekday()])
    return ix


def build_year_index(uy: UserYear) -> FactIndex:
    """The part of every day's index that is the same for all of a listener's days."""
    return _build_year(uy)


def _build_year(uy: UserYear) -> FactIndex:
    """The listener's year facts, derived from the `Role` declared on each field of `UserYear`
    (see `wrapped.stats.roles`): a new statistic is indexed by declaring its role, nothing here.

    The interesting days' numbers are left to `index_day` (a day's numbers back claims about
    that day only); their names, dates, weekdays and years are the listener's, indexed here.
    Names are gathered first and indexed once each (log entries repeat titles and artists), in
    first-seen order, so `names` maps each normal form to the first original seen."""
    ix = FactIndex(uy, uy.window.start, None)
    raw = walk_year(ix)
    _key_calendar_facts(ix.numbers)
    names, tokens = ix.names, ix.tokens
    for each in dict.fromkeys(raw):  # `_name`, inlined: ~200 names per listener
        if each:
            for norm, words in _name_forms(each):
                names.setdefault(norm, each)
                tokens.update(words)
    kinds: dict[str, int] = {}
    for each, mask in name_kinds(uy).items():
        for norm, _ in _name_forms(each):
            kinds[norm] = kinds.get(norm, 0) | mask
    ix.kinds = {norm: lists_of(mask) for norm, mask in kinds.items()}
    _by_plays(ix, uy)
    _compile(ix)
    return ix


#: marks a fact about a month, a weekday or a part of the day: its subject is that word
CALENDAR_MARK = "@"
_PATH = attrgetter("path")
_KEYED_RE = re.compile(
    r"months\[(\w+)\]|clock\.(?:minutes|plays)_by_weekday\[(\w+)\]|clock\.minutes_by_part\.(\w+)"
)


def _key_calendar_facts(nums: list[Fact]) -> None:
    """A month's, a weekday's or a part of the day's number is about that month, weekday or
    part: it backs a sentence that names it (or calls it the busiest), not any sentence with a
    number of that size ("fifteen plays" of an artist is not August's 15)."""
    # the candidates' positions in one C-level pass (~40 of a listener's ~270 facts)
    opens = map(str.startswith, map(_PATH, nums), repeat(("months[", "clock.")))
    for i in compress(range(len(nums)), opens):
        f = nums[i]
        if f.subject is None:
            subject = _calendar_subject(f.path)
            if subject is not None:  # `f._replace(subject=...)` without its Python-level call
                nums[i] = _fact((f.value, f.path, f.unit, f.approx, subject, f.estimate))


@lru_cache(maxsize=256)
def _calendar_subject(path: str) -> str | None:
    """The calendar subject of a fact at `path`, if it is keyed by one. Per path, not per
    listener: every listener's year has the same forty (twelve months, seven weekdays, four
    parts of the day), and the regex was most of the cost of keying them."""
    m = _KEYED_RE.match(path)
    if m is None:
        return None
    return CALENDAR_MARK + (m.group(1) or m.group(2) or m.group(3)).lower()


def _by_plays(ix: FactIndex, uy: UserYear) -> None:
    """Ranks by plays of artists and tracks: the `UserYear`'s own by-plays lists, or, for a
    UserYear from before they existed (empty), the by-minutes rows re-ranked by plays (ties
    share a rank) — exact for the rows shown, the best the year can say about the rest."""
    for lst in ("top_artists", "top_tracks"):
        key = f"{lst}_by_plays"
        if ix.ranks.get(key):
            continue
        rows = getattr(uy, lst)
        plays = sorted((r.plays for r in rows), reverse=True)
        ix.ranks[key] = {
            normalize_name(r.name): 1 + plays.index(r.plays) for r in rows if normalize_name(r.name)
        }


@lru_cache(maxsize=65536)
def _name_forms(name: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The normalized forms a name is known by, each with its words of 3+ letters.

    Per string, not per listener: catalogue names recur across listeners, and a listener's
    year index reads ~150 of them."""
    variants = {name}
    if "(" in name or "[" in name or " - " in name or "f" in name:
        stripped = _PAREN.sub("", name)  # "(Remastered 2009)"
        stripped = _SUFFIX.sub("", stripped)
        variants.add(stripped)
        variants.add(_FEAT.sub("", stripped))
    out = []
    for v in variants:
        norm = normalize_name(v)
        if norm:
            out.append((norm, tuple(w for w in norm.split() if len(w) > 2)))
    return tuple(out)


_PAREN = re.compile(r"\s*[(\[].*?[)\]]\s*$")
_SUFFIX = re.compile(r"\s+-\s+.*(remaster|version|edit|live|mix|mono|stereo).*$", re.I)
_FEAT = re.compile(r"\s+(feat\.?|ft\.?|featuring)\s.*$", re.I)


def _compile(ix: FactIndex) -> None:
    """First-token map of every known name (token tuples, longest first) for `find_names`."""
    table: dict[str, list[tuple[str, ...]]] = {}
    for norm in ix.names:
        words = _tokens(norm)
        if not words or (len(words) == 1 and words[0] in CALENDAR_WORDS):
            continue  # "Saturday" the track must not hide a weekday claim
        table.setdefault(words[0], []).append(words)
    # tuples of tuples of words: untracked by the cycle collector once built (lists stayed in
    # every full collection for as long as the listener's index lives)
    ix.first_tokens = {
        w: (c[0],) if len(c) == 1 else tuple(sorted(c, key=len, reverse=True))
        for w, c in table.items()
    }


_TOKEN_ASCII = re.compile(r"[a-z0-9]+")
_TOKEN = re.compile(r"[^\W_]+")  # any script: a Hebrew or Japanese name has tokens too


@lru_cache(maxsize=65536)
def _tokens(norm: str) -> tuple[str, ...]:
    return tuple((_TOKEN_ASCII if norm.isascii() else _TOKEN).findall(norm))


class NameHit(NamedTuple):
    start: int
    end: int
    norm: str


def find_names(text: str, ix: FactIndex) -> list[NameHit]:
    """Spans of `text` (original offsets) that are known names, longest match first."""
    if not ix.first_tokens:
        return []
    hits = ix.name_hits
    hit = hits.get(text)
    if hit is None:
        if len(hits) > 64:
            hits.clear()
        hit = hits[text] = _find_names(text, ix)
    return hit


def _find_names(text: str, ix: FactIndex) -> list[NameHit]:
    folded, idx = folded_with_map(text)
    rx = _TOKEN_ASCII if folded.isascii() else _TOKEN
    # the words in one C call; their offsets only once a name is found (most words are not)
    words: list[str] = rx.findall(folded)
    first = ix.first_tokens
    # the words that open some name, in order (one C-level pass); the rest cannot start a hit
    starts = [i for i, w in enumerate(words) if w in first]
    spans: list[tuple[int, int]] = []
    out: list[NameHit] = []
    after = 0  # a name's words are not read again
    for i in starts:
        if i < after:
            continue
        hit = None
        for cand in first[words[i]]:
            if tuple(words[i : i + len(cand)]) == cand:
                hit = cand
                break
        if hit is None:
            continue
        j = i + len(hit) - 1
        if not spans:
            spans = [m.span() for m in rx.finditer(folded)]
        s0 = i - 1 if i > 0 and words[i - 1] == "the" and spans[i][0] - spans[i - 1][1] <= 3 else i
        out.append(NameHit(idx[spans[s0][0]], idx[spans[j][1] - 1] + 1, " ".join(hit)))
        after = j + 1
    return out


_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_FOLD1: dict[str, str] = {}


def folded_with_map(text: str) -> tuple[str, Sequence[int]]:
    """`fold(text)` plus, for every folded character, the index of the original it came from
    (a `range` when folding kept every offset)."""
    if text.isascii():
        return text.lower(), range(len(text))
    table: dict[int, str] = {}
    for ch in set(_NON_ASCII.findall(text)):
        f = _FOLD1.get(ch)
        if f is None:
            f = _FOLD1[ch] = fold(ch)
        table[ord(ch)] = f
    if all(len(f) == 1 for f in table.values()):  # same length: offsets are unchanged
        return text.translate(table).lower(), range(len(text))
    out: list[str] = []
    idx: list[int] = []
    for i, ch in enumerate(text):
        f = fold(ch) if ord(ch) > 127 else ch.lower()
        out.append(f)
        idx.extend([i] * len(f))
    return "".join(out), idx
