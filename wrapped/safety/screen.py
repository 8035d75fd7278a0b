"""Input-side safety: what the writer is allowed to see.

Policy (full text in wrapped/gate/POLICY.md): any title or name in a listener's data that touches
drugs, alcohol, sex, violence, self-harm, hate or strong profanity, or that reads like an
instruction to the model (prompt injection), is removed from the copy of the `UserYear` that goes
into the prompt. The model then has no reason to mention it; the output-side checks
(`wrapped.gate.output`) still reject any story that names it anyway.

What is screened and what "removed" means follows each field's role (`wrapped.stats.roles`):
every `NAME` (artists, tracks, albums, shows, genres, episodes, a day's log titles), every
`TEXT` (day headlines, personality explanations) and the string values of a day's `FACTS`.
* a flagged name in a list row drops the row (top lists, peak months, a day's log): the
  remaining rows keep their true `rank` (no renumbering), so "your #3 artist" stays true, and
  `log_total` keeps the true count; a name declared ``drop=False`` (a month's top artist, a
  log entry's genre) and a name in a single model (streak artist, repeat track/artist, top new
  artist, cohort top genre) is set to None, with its declared `clears` (the repeat pair);
* a flagged string fact is dropped;
* free text: flagged names are replaced by "[withheld]"; a text that still trips the lexicon
  is replaced entirely.
Numbers are never changed: totals stay true, so grounding against the original data still holds.
"""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import chain
from operator import attrgetter
from typing import Any, NamedTuple

from pydantic import BaseModel

from wrapped.safety.flags import MARKUP_RE, Flag, Walker, is_unsafe
from wrapped.safety.lexicon import Hit, alnum_words, fold, lexicon, views
from wrapped.stats.fastmodel import construct
from wrapped.stats.model import UserYear
from wrapped.stats.roles import SCREENED, Kind, Role, roles_of

__all__ = [
    "MARKUP_RE",
    "WITHHELD",
    "Flag",
    "SanitizedYear",
    "flagged_names",
    "is_unsafe",
    "normalize_name",
    "normalize_text",
    "sanitize_for_prompt",
]

WITHHELD = "[withheld]"


class SanitizedYear(NamedTuple):
    """The prompt-safe copy of a `UserYear` and the names that were kept out of it."""

    user_year: UserYear
    flagged: list[str]
    flags: list[Flag] = []


def _redact_text(text: str, names: list[str]) -> str:
    out = text
    for name in names:
        out = re.sub(re.escape(name), WITHHELD, out, flags=re.IGNORECASE)
    if is_unsafe(out):
        return "[withheld by the safety policy]"
    return out


def _string_groups(uy: UserYear) -> list[list[str]]:
    """Every string the policy screens (the `SCREENED` roles: names, free text, the string
    facts of a day; ids, zones and our own labels are not), in groups: the year's own names,
    then each interesting day's, then the year's free text. A listener's prompts differ by one
    day's log, so each group is screened (and remembered) on its own; a `shared` name (a play's
    catalogue genre, the same on every day) is screened once, with the year's names."""
    year: list[str] = []
    texts: list[str] = []
    groups: list[list[str]] = [year]
    _gather(uy, year, texts, _Groups(year, groups))
    groups.append(texts)
    return groups


class _Groups(NamedTuple):
    year: list[str]  # the year's own names (and every shared one)
    all: list[list[str]]


@lru_cache(maxsize=64)
def _screened(cls: type[BaseModel]) -> tuple[tuple[str, Kind, type[BaseModel] | None, Role], ...]:
    """The fields of `cls` that hold (or lead to) screened strings."""
    out = []
    for f in roles_of(cls):
        if f.role.kind in SCREENED or (f.model is not None and _screened(f.model)):
            out.append((f.name, f.role.kind, f.model, f.role))
    return tuple(out)


def _gather(obj: BaseModel, names: list[str], texts: list[str], groups: _Groups) -> None:
    """Append `obj`'s screened strings: names to `names`, free text to `texts`; each
    interesting day opens a group of its own for both."""
    for name, kind, model, role in _screened(type(obj)):
        value = getattr(obj, name)
        if not value:
            continue
        if kind is Kind.NAME:
            (groups.year if role.shared else names).append(value)
        elif kind is Kind.TEXT:
            texts.append(value)
        elif kind is Kind.FACTS:
            names.extend(v for v in value.values() if isinstance(v, str))
        elif model is None:
            continue
        elif role.day:  # each day: its own group, its text first (as the prompt shows it)
            for day in value:
                group: list[str] = []
                groups.all.append(group)
                _gather(day, group, group, groups)
        elif role.kind is Kind.LOG:  # the hot loop: a few hundred plays per listener
            own, shared = _log_names(model)
            for entry in value:
                names.extend(filter(None, own(entry)))
            if shared is not None:
                groups.year.extend(dict.fromkeys(filter(None, map(shared, value))))
        elif isinstance(value, list):
            for row in value:
                _gather(row, names, texts, groups)
        else:
            _gather(value, names, texts, groups)


@lru_cache(maxsize=16)
def _log_names(cls: type[BaseModel]) -> tuple[Any, Any]:
    """(a play's own names as a tuple, its shared name or None) getters."""
    fields = [f for f in roles_of(cls) if f.role.kind is Kind.NAME]
    own = [f.name for f in fields if not f.role.shared]
    shared = [f.name for f in fields if f.role.shared]
    get = attrgetter(*own)
    return (get if len(own) > 1 else lambda e: (get(e),)), (
        attrgetter(shared[0]) if shared else None
    )


#: Between two screened strings: a word no term holds and no rewrite joins to a neighbour, so
#: each string is matched as if alone. (A bare newline let the spaced-letters rewrite run on
#: across strings: "S E X" by "B" read as "sexb", and the title went into the prompt.)
_APART = " \n 00 \n "


def _screen(uy: UserYear) -> set[str]:
    """Screen the strings a group at a time; returns the words of every term found (empty: all
    clean), for the per-string pass that follows to settle."""
    return _screen_groups(_string_groups(uy))


def _screen_groups(groups: list[list[str]]) -> set[str]:
    """`_screen` of the groups of `_string_groups`."""
    terms: set[str] = set()
    for group in groups:
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
    unsafe, injection = lex.unsafe.scan_words, lex.injection.scan_words
    # `unsafe.find(joined) + injection.find(joined)` as a set of words: each view split once
    hits: list[Hit] = []
    for view in views(joined):
        words = view.split()
        hits += unsafe(words) + injection(words)
    terms = {w for h in hits for w in h.term.split() if len(w) > 1}
    if hits or MARKUP_RE.search(joined):
        terms.add("\x00")  # markup is found per string (its "<" makes every such string suspicious)
    return frozenset(terms)


def sanitize_for_prompt(user_year: UserYear) -> SanitizedYear:
    """A copy of `user_year` with unsafe and instruction-like names removed (see module doc).

    Computed afresh on every call: a caller that needs it for several stories keeps it in its
    per-listener context (`wrapped.gate.context.ListenerContext.safe`)."""
    return _sanitize(user_year)


def flagged_names(user_year: UserYear) -> list[str]:
    """`sanitize_for_prompt(user_year).flagged`, without building the sanitized copy.

    The output-side checks need only the flagged names; rescoring stored stories or checking a
    draft whose prompt was built elsewhere would otherwise dump, clean and re-validate the whole
    year (a third of a cold check). Same walk and same order as `_clean`, on the model itself."""
    groups = _string_groups(user_year)
    terms = _screen_groups(groups)
    if not terms:
        return []
    w = Walker(terms)
    w.settle(dict.fromkeys(chain.from_iterable(groups)))  # every string the walk can ask about
    _flag(user_year, w, False)
    return list(w.names)


def _flag(obj: BaseModel, w: Walker, in_list: bool) -> None:
    """`_clean`'s flagging, read-only: a flagged name that clears its siblings (the repeat
    pair) hides them from the rest of the walk, as the cleared copy would."""
    cleared: set[str] = set()
    for name, kind, model, role in _screened(type(obj)):
        value = None if name in cleared else getattr(obj, name)
        if kind is Kind.TEXT:
            continue
        if kind is Kind.FACTS and value:
            for v in value.values():
                w.bad(v, "")
        elif kind is Kind.NAME:
            category = w.category(value)
            if category is None:
                continue
            w.flag(str(value), "", category)
            if not (in_list and role.drop):
                cleared.update(role.clears or (name,))
        elif model is not None and isinstance(value, list):
            flat = _flat_names(model)
            if flat is None:
                for row in value:
                    _flag(row, w, True)
                continue
            # the hot loop: every play of every day's log, whose names repeat (each is looked
            # at once, where it first occurs)
            w.flag_distinct(chain.from_iterable(map(flat, value)))
        elif model is not None and value is not None:
            _flag(value, w, False)


@lru_cache(maxsize=64)
def _flat_names(cls: type[BaseModel]) -> Any:
    """A getter of a row's screened names as a tuple, when the row holds names only and none
    clears a sibling (its flags are then its flagged names in field order); else None."""
    fields = _screened(cls)
    if not fields or any(
        kind is not Kind.NAME or role.clears not in ((), (name,)) for name, kind, _, role in fields
    ):
        return None
    get = attrgetter(*(name for name, *_ in fields))
    return get if len(fields) > 1 else lambda row: (get(row),)


def _sanitize(user_year: UserYear) -> SanitizedYear:
    """A copy of `user_year` with unsafe and instruction-like names removed (see module doc).

    What is removed follows each field's role: a flagged name drops its row from a list (or,
    with ``drop=False`` and for single models, is cleared along with its `clears`), a flagged
    string fact is dropped, and free text has the flagged names redacted.
    The input is not modified. `flagged` lists each flagged name once, in the order found;
    `flags` says where each was and which category it touched. When nothing is flagged the copy
    is shallow (one lexicon pass, no rebuild): treat it as read-only.
    """
    terms = _screen(user_year)
    if not terms:
        # the common case: one lexicon pass over every string at once, nothing to remove
        return SanitizedYear(user_year.model_copy(), [], [])
    data = user_year.model_dump()
    w = Walker(terms)
    texts: list[tuple[dict[str, Any], str]] = []
    _clean(data, user_year, "", w, texts, False)
    names = sorted(w.names, key=len, reverse=True)
    for holder, key in texts:
        holder[key] = _redact_text(holder[key], names)
    # `data` is a dump of a valid year less some rows, keys and words: its values keep their
    # types, so the year is rebuilt by placing them (re-validating ~1,000 models cost more
    # than the whole screen)
    clean = construct(type(user_year), data)
    assert isinstance(clean, UserYear)
    return SanitizedYear(clean, list(w.names), w.flags)


def _clean(
    data: dict[str, Any],
    obj: BaseModel,
    path: str,
    w: Walker,
    texts: list[tuple[dict[str, Any], str]],
    in_list: bool,
) -> bool:
    """Remove the flagged strings of `data` (`obj` dumped) in place, by the roles of `obj`'s
    fields; True when the row itself must go. Free text is noted in `texts`, to be redacted
    once every flagged name is known."""
    drop = False
    for name, kind, model, role in _screened(type(obj)):
        value = data.get(name)
        if kind is Kind.TEXT:
            texts.append((data, name))
        elif kind is Kind.FACTS and value:
            where = f"{path}.{name}"
            data[name] = {k: v for k, v in value.items() if not w.bad(v, f"{where}.{k}")}
        elif kind is Kind.NAME:
            category = w.category(value)
            if category is None:  # every key is checked: each flagged name is listed
                continue
            w.flag(str(value), f"{path}.{name}" if path else name, category)
            if in_list and role.drop:
                drop = True
            else:
                for key in role.clears or (name,):
                    data[key] = None
        elif model is not None and isinstance(value, list):
            where = f"{path}.{name}" if path else name
            rows = getattr(obj, name)
            data[name] = [
                row
                for i, (row, model_row) in enumerate(zip(value, rows, strict=True))
                if not _clean(row, model_row, f"{where}[{i}]", w, texts, True)
            ]
        elif model is not None and value is not None:
            _clean(value, getattr(obj, name), f"{path}.{name}" if path else name, w, texts, False)
    return drop


_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_NON_WORD = re.compile(r"[\W_]+")


@lru_cache(maxsize=131072)
def normalize_name(name: str) -> str:
    """Names compared across the gate: folded, punctuation-free, no leading "the"."""
    return normalize_text(name)


def normalize_text(text: str) -> str:
    """`normalize_name`, not kept: for a story, which is normalized once (kept, every story a
    worker checked stayed in memory, up to 131,072 of them, for no later hit)."""
    if text.isascii():  # the runs of a-z and 0-9 of its lower case, by a translation (2x)
        words = alnum_words(text)
    else:
        folded = fold(text)
        if folded.isascii():
            words = _NON_ALNUM.sub(" ", folded).split()
        else:  # names in other scripts keep their letters (a Hebrew or Japanese name is a name)
            words = _NON_WORD.sub(" ", folded).split()
    if len(words) > 1 and words[0] == "the":
        words = words[1:]
    return " ".join(words)
