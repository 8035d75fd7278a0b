"""Input-side safety: what the writer is allowed to see.

Policy (full text in wrapped/gate/POLICY.md): any title or name in a listener's data that touches
drugs, alcohol, sex, violence, self-harm, hate or strong profanity, or that reads like an
instruction to the model (prompt injection), is removed from the copy of the `UserYear` that goes
into the prompt. The model then has no reason to mention it; the output-side checks
(`wrapped.gate.output`) still reject any story that names it anyway.

What "removed" means, field by field:
* top lists (artists, tracks, albums, genres, podcasts, episodes): the row is dropped when its
  name or its `by` is flagged; the remaining rows keep their true `rank` (no renumbering), so
  "your #3 artist" stays true;
* interesting days: log entries whose title, artist/show or album is flagged are dropped
  (`log_total` keeps the true count); string facts that are flagged are dropped;
* single-name fields (month top artist, peak months, streak artist, repeat track/artist, top new
  artist, cohort top genre): set to None (peak-month rows are dropped);
* free text (day headlines, personality explanations): flagged names are replaced by
  "[withheld]"; a text that still trips the lexicon is replaced entirely.
Numbers are never changed: totals stay true, so grounding against the original data still holds.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, NamedTuple

from wrapped.gate.lexicon import fold, lexicon
from wrapped.stats.model import UserYear

WITHHELD = "[withheld]"

_TOP_LISTS = (
    "top_artists",
    "top_tracks",
    "top_albums",
    "top_genres",
    "top_podcasts",
    "top_episodes",
)


class Flag(NamedTuple):
    """One flagged value: where it was, what it was and why."""

    path: str
    name: str
    category: str


class SanitizedYear(NamedTuple):
    """The prompt-safe copy of a `UserYear` and the names that were kept out of it."""

    user_year: UserYear
    flagged: list[str]
    flags: list[Flag] = []


def is_unsafe(text: str | None) -> str | None:
    """The lexicon category `text` touches (drugs, alcohol, sex, violence, self_harm, hate,
    profanity), or "injection" for instruction-like text, else None. Handles obfuscation."""
    if not text:
        return None
    lex = lexicon()
    if lex.is_allowed(text):
        return None
    found = lex.unsafe.first(text) or lex.injection.first(text)
    if found is None and MARKUP_RE.search(text):
        return "markup"  # HTML/script in a title: never rendered into a story
    return found


#: HTML tags, entities and script URLs: a title carrying them is kept out of prompts and stories.
#: Other angle-bracket text (e.g. a fake "</listener_data>") stays data: the renderer escapes it.
_TAGS = (
    "a|abbr|b|blink|body|br|button|code|del|div|em|embed|font|form|h[1-6]|head|html|i|iframe|img|"
    "input|li|link|marquee|meta|object|ol|p|pre|s|script|small|span|strong|style|sub|sup|svg|"
    "table|td|tr|u|ul"
)
MARKUP_RE = re.compile(
    rf"<\s*/?\s*(?:{_TAGS})\b[^>]*>|&(?:#\d+|#x[0-9a-f]+|[a-z]{{2,8}});|javascript:", re.IGNORECASE
)


class _Walker:
    """Collects flags while building the sanitized dict."""

    def __init__(self, terms: set[str]) -> None:
        self.flags: list[Flag] = []
        self.names: dict[str, None] = {}
        self.terms = terms  # words of the terms the whole-year screen found

    def bad(self, value: Any, path: str) -> bool:
        if not isinstance(value, str) or not value:
            return False
        # only strings that hold a word of a found term, or could hide one (digits or symbols
        # inside words, separators, spaced or stretched letters) need the full check
        if not _SUSPICIOUS.search(value):
            folded = fold(value)
            if not any(t in folded for t in self.terms):
                return False
        category = is_unsafe(value)
        if category is None:
            return False
        self.flags.append(Flag(path, value, category))
        self.names[value] = None
        return True


def _flag_rows(rows: list[dict], path: str, walker: _Walker, keys: tuple[str, ...]) -> list[dict]:
    kept = []
    for i, row in enumerate(rows):
        # evaluate every key so each flagged name is listed, not just the first
        flagged = [walker.bad(row.get(k), f"{path}[{i}].{k}") for k in keys]
        if not any(flagged):
            kept.append(row)
    return kept


def _redact_text(text: str, names: list[str]) -> str:
    out = text
    for name in names:
        out = re.sub(re.escape(name), WITHHELD, out, flags=re.IGNORECASE)
    if is_unsafe(out):
        return "[withheld by the safety policy]"
    return out


def _string_groups(uy: UserYear) -> list[list[str]]:
    """Every title, name and free text the policy screens (ids, zones and decades are not), in
    groups: the year's own, then each interesting day's, then the personality's. A listener's
    prompts differ by one day's log, so each group is screened (and remembered) on its own."""
    out: list[str] = []
    for key in _TOP_LISTS:
        for r in getattr(uy, key):
            out.append(r.name)
            if r.by:
                out.append(r.by)
    out += [m.top_artist for m in uy.months if m.top_artist]
    out += [p.artist for p in uy.peak_months]
    for v in (
        uy.streak.artist,
        uy.artist_streak.artist,
        uy.habits.repeat_track,
        uy.habits.repeat_artist,
        uy.discovery.top_new_artist,
        uy.cohort.top_genre,
    ):
        if v:
            out.append(v)
    groups = [out]
    for d in uy.days:
        day = [d.headline, *(v for v in d.facts.values() if isinstance(v, str))]
        for e in d.log:
            day.append(e.title)
            if e.by:
                day.append(e.by)
            if e.album:
                day.append(e.album)
        groups.append(day)
    groups.append([a.explanation for a in uy.personality.axes])
    return groups


_SUSPICIOUS = re.compile(r"[^\sA-Za-z,:;()&'’-]|(?:^|\s)\w(?:\s|$)|(\w)\1\1")


#: Between two screened strings: a word no term holds and no rewrite joins to a neighbour, so
#: each string is matched as if alone. (A bare newline let the spaced-letters rewrite run on
#: across strings: "S E X" by "B" read as "sexb", and the title went into the prompt.)
_APART = " \n 00 \n "


def _screen(uy: UserYear) -> set[str]:
    """Screen the strings a group at a time; returns the words of every term found (empty: all
    clean), for the per-string pass that follows to settle."""
    terms: set[str] = set()
    for group in _string_groups(uy):
        if group:
            terms |= _screen_text(_APART.join(dict.fromkeys(group)))
    return terms


#: A listener has about a dozen distinct groups (the top lists, each day with and without its
#: log, the personality); the scripted server composes for every listener in flight (64 in the
#: benchmark) from a year it rebuilds per request, so 512 entries thrashed: 42% misses, against
#: 34% here, which is one new group per request (measured over 1,700 requests).
@lru_cache(maxsize=4096)
def _screen_text(joined: str) -> frozenset[str]:
    lex = lexicon()
    hits = lex.unsafe.find(joined) + lex.injection.find(joined)
    terms = {w for h in hits for w in h.term.split() if len(w) > 1}
    if hits or MARKUP_RE.search(joined):
        terms.add("\x00")  # markup is found per string (its "<" makes every such string suspicious)
    return frozenset(terms)


def sanitize_for_prompt(user_year: UserYear) -> SanitizedYear:
    """A copy of `user_year` with unsafe and instruction-like names removed (see module doc).

    Computed afresh on every call: a caller that needs it for several stories keeps it in its
    per-listener context (`wrapped.gate.context.ListenerContext.safe`)."""
    return _sanitize(user_year)


def _sanitize(user_year: UserYear) -> SanitizedYear:
    """A copy of `user_year` with unsafe and instruction-like names removed (see module doc).

    The input is not modified. `flagged` lists each flagged name once, in the order found;
    `flags` says where each was and which category it touched. When nothing is flagged the copy
    is shallow (one lexicon pass, no rebuild): treat it as read-only.
    """
    terms = _screen(user_year)
    if not terms:
        # the common case: one lexicon pass over every string at once, nothing to remove
        return SanitizedYear(user_year.model_copy(), [], [])
    data = user_year.model_dump()
    w = _Walker(terms)
    for key in _TOP_LISTS:
        data[key] = _flag_rows(data[key], key, w, ("name", "by"))
    for i, month in enumerate(data["months"]):
        if w.bad(month.get("top_artist"), f"months[{i}].top_artist"):
            month["top_artist"] = None
    data["peak_months"] = _flag_rows(data["peak_months"], "peak_months", w, ("artist",))
    for key in ("streak", "artist_streak"):
        if w.bad(data[key].get("artist"), f"{key}.artist"):
            data[key]["artist"] = None
    habits = data["habits"]
    for key in ("repeat_track", "repeat_artist"):
        if w.bad(habits.get(key), f"habits.{key}"):
            habits["repeat_track"] = habits["repeat_artist"] = None
    if w.bad(data["discovery"].get("top_new_artist"), "discovery.top_new_artist"):
        data["discovery"]["top_new_artist"] = None
    if w.bad(data["cohort"].get("top_genre"), "cohort.top_genre"):
        data["cohort"]["top_genre"] = None
    for d, day in enumerate(data["days"]):
        base = f"days[{d}]"
        day["facts"] = {k: v for k, v in day["facts"].items() if not w.bad(v, f"{base}.facts.{k}")}
        day["log"] = _flag_rows(day["log"], f"{base}.log", w, ("title", "by", "album"))
    names = sorted(w.names, key=len, reverse=True)
    for day in data["days"]:
        day["headline"] = _redact_text(day["headline"], names)
    for axis in data["personality"]["axes"]:
        axis["explanation"] = _redact_text(axis["explanation"], names)
    return SanitizedYear(UserYear.model_validate(data), list(w.names), w.flags)


@lru_cache(maxsize=131072)
def normalize_name(name: str) -> str:
    """Names compared across the gate: folded, punctuation-free, no leading "the"."""
    words = re.sub(r"[^a-z0-9]+", " ", fold(name)).split()
    if len(words) > 1 and words[0] == "the":
        words = words[1:]
    return " ".join(words)
