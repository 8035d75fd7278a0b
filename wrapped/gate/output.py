"""Output-side safety: deterministic checks on what a writer produced.

Each check is its own `Check` (layer="safety") so a reviewer sees exactly which rule fired:

* `safety.lexicon` — the maintained lexicon, obfuscation included (see `wrapped.safety.lexicon`);
* `safety.flagged_title` — the story names one of the listener's own titles that the input-side
  policy kept out of the prompt (it can only come from elsewhere: a cache, a leak, a guess);
* `safety.pii` — e-mail addresses, IP addresses, the listener's id (or any pseudonymous id),
  exact timestamps (a date with a time, or a time with seconds), phone-like numbers;
* `safety.sensitive` — health, religion, sexuality or politics words outside the listener's own
  names (an inference from listening; "Faith" the album is a name, "your faith" is not);
* `safety.shaming` — mocking habits ("guilty pleasure", "embarrassing", "touch grass");
* `safety.injection` — instruction-like text ("ignore previous instructions", "system prompt") or
  any 3-word run (two content words or more) of an instruction-like title from the listener's data echoed in the story.
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache
from typing import NamedTuple

from wrapped.gate.context import ListenerContext, context_for
from wrapped.gate.facts import find_names
from wrapped.gate.pii import EMAIL_RE, IPV4_RE, TIMESTAMP_RE, UID_RE, find_pii
from wrapped.safety import forms
from wrapped.safety.lexicon import alnum_words, fold, lexicon, plain
from wrapped.safety.screen import normalize_name, normalize_text
from wrapped.story import Check, Draft, StoryRequest

__all__ = ["EMAIL_RE", "IPV4_RE", "TIMESTAMP_RE", "UID_RE", "check_safety", "injection_titles"]


def _check(name: str, reasons: list[str]) -> Check:
    return Check(
        name=name,
        layer="safety",
        status="fail" if reasons else "pass",
        score=0.0 if reasons else 1.0,
        reasons=reasons,
    )


def _masked(text: str, ctx: ListenerContext, day: date) -> str:
    """`text` with the listener's known names blanked (so "Faith" the album is not an inference)."""
    chars = list(text)
    for hit in find_names(text, ctx.index(day)):
        chars[hit.start : hit.end] = " " * (hit.end - hit.start)
    return "".join(chars)


_STOP = frozenset(
    """a an the and or but of to in on at for with from by is are was were be been you your
    yours they them their it its this that these those i me my we our he she his her as so
    all any some just also then than too very can will would should could must may might do
    does did not no yes if into out up down over about listener user""".split()
)

_NON_ALNUM_RUN = re.compile(r"[^a-z0-9]+")


def _shingles(text: str, n: int = 3) -> set[str]:
    """Word n-grams with at least two content words (so "you are the" never counts)."""
    words = _NON_ALNUM_RUN.sub(" ", fold(text)).split()
    out = set()
    for i in range(len(words) - n + 1):
        gram = words[i : i + n]
        if sum(w not in _STOP for w in gram) >= 2:
            out.add(" ".join(gram))
    return out


def _shingles_among(
    text: str, wanted: frozenset[str], firsts: frozenset[str], n: int = 3
) -> set[str]:
    """`_shingles(text) & wanted`, without the content-word test: a gram in `wanted` passed it
    already (a gram's words decide it), so only a set lookup per gram is left, and only for
    grams opening with one of `firsts` (the first words of `wanted`)."""
    words = alnum_words(text)
    joined = (" ".join(words[i : i + n]) for i in range(len(words) - n + 1) if words[i] in firsts)
    return {g for g in joined if g in wanted}


def injection_titles(flagged: list[str]) -> list[str]:
    """Instruction-like strings among the listener's flagged names (the input-side policy has
    already flagged them all, so this is a filter over the listener's flags)."""
    return list(_listener_flags(tuple(flagged)).titles)


class _Flags(NamedTuple):
    """What check_safety derives from a listener's flagged names, the same for every story."""

    #: (flagged name, its normalized form) for the names that normalize to something
    normed: tuple[tuple[str, str], ...]
    #: the instruction-like ones (`injection_titles`)
    titles: tuple[str, ...]
    #: each instruction-like title's shingles
    shingles: tuple[frozenset[str], ...]
    #: all of them (a story's shingles matter only when among these)
    any_shingle: frozenset[str]
    #: their first words (a story's grams opening otherwise are not looked up)
    firsts: frozenset[str]


@lru_cache(maxsize=256)
def _listener_flags(flagged: tuple[str, ...]) -> _Flags:
    """Per listener (keyed by its flagged names): computed once, not once per story."""
    lex = lexicon()
    titles = tuple(name for name in flagged if lex.injection.first(name))
    normed = tuple((n, k) for n in flagged if (k := normalize_name(n)))
    shingles = tuple(frozenset(_shingles(t)) for t in titles)
    any_shingle = frozenset().union(*shingles)
    firsts = frozenset(g.split(" ", 1)[0] for g in any_shingle)
    return _Flags(normed, titles, shingles, any_shingle, firsts)


def check_safety(
    draft: Draft, request: StoryRequest, ctx: ListenerContext | None = None
) -> list[Check]:
    """The deterministic output-side safety checks for one draft (see module doc).

    `ctx`: the listener's context (flagged names, fact index), else built for this call."""
    uy = request.user_year
    ctx = context_for(uy, ctx)
    text = f"{draft.title}\n{draft.story}"
    lex = lexicon()
    checks: list[Check] = []

    masked = _masked(text, ctx, request.day)
    # forms read the plain view: folded, look-alike letters mapped, invisible characters gone
    plain_text = plain(text)
    plain_masked = plain(masked)
    hits = [f"{h.category}: '{h.term}'" for h in lex.unsafe.find(text)]
    if "*" in text or "#" in text or "_" in text:
        hits += [f"{h.category} (masked): '{h.term}'" for h in lex.unsafe.masked(text)]
    by_family: dict[str, list[tuple[str, str]]] = {}
    for h in lex.story_terms.find(masked):
        family, category = h.category.split(":", 1)
        by_family.setdefault(family, []).append((category, h.term))
    hits += [f"{cat} (idiom): '{term}'" for cat, term in by_family.get("idiom", [])]
    hits += [f"unsafe figure of speech: '{x}'" for x in forms.idioms(plain_masked, plain_text)]
    checks.append(_check("safety.lexicon", list(dict.fromkeys(hits))))

    flagged = ctx.flagged
    flags = _listener_flags(tuple(flagged))
    story_norm = f" {normalize_text(text)} " if flagged else ""
    named = [n for n, k in flags.normed if f" {k} " in story_norm]
    checks.append(
        _check("safety.flagged_title", [f"names a title kept out by policy: '{n}'" for n in named])
    )

    pii = find_pii(text, masked, user_id=uy.user_id, year=uy.window.year)
    checks.append(_check("safety.pii", pii))

    sens_r = [f"{cat} inference: '{term}'" for cat, term in by_family.get("sensitive", [])]
    sens_r += [f"inference: '{x}'" for x in forms.sensitive(plain_masked, plain_text)]
    checks.append(_check("safety.sensitive", list(dict.fromkeys(sens_r))))
    shame = [f"shaming: '{term}'" for _, term in by_family.get("shaming", [])]
    shame += [f"shaming: '{x}'" for x in forms.shaming(plain_masked, plain_text)]
    checks.append(_check("safety.shaming", list(dict.fromkeys(shame))))

    inj = [f"instruction-like text: '{term}'" for _, term in by_family.get("injection", [])]
    inj += [f"instruction-like text: '{x}'" for x in forms.injection(plain_text, text)]
    story_sh = _shingles_among(text, flags.any_shingle, flags.firsts) if flags.titles else set()
    for title_sh in flags.shingles:
        common = title_sh & story_sh
        if common:
            inj.append(f"echoes an instruction found in the data: '{sorted(common)[0]}'")
    checks.append(_check("safety.injection", inj))
    return checks
