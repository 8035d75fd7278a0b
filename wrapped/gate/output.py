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

from wrapped.gate.context import ListenerContext, context_for
from wrapped.gate.facts import find_names
from wrapped.safety.lexicon import fold, lexicon
from wrapped.safety.screen import normalize_name
from wrapped.story import Check, Draft, StoryRequest

# a lookahead on the first character after each leading \b lets the engine drop most positions
# at once (same matches; ~40% less time over a story)
EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
IPV4_RE = re.compile(r"\b(?=\d)(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)\b")
IPV6_RE = re.compile(
    r"\b(?=[0-9a-fA-F])"
    r"(?:(?:[0-9a-fA-F]{1,4}:){3,7}[0-9a-fA-F]{1,4}\b|(?:[0-9a-fA-F]{1,4}:)+:[0-9a-fA-F:]*\b)"
)
UID_RE = re.compile(r"\bu_[0-9a-f]{8,}\b")
TIMESTAMP_RE = re.compile(
    r"\b(?=\d)(?:\d{4}-\d{2}-\d{2}[T ]\d{1,2}:\d{2}|\d{1,2}:\d{2}:\d{2}\b|\d{10,13}\b)"
)
PHONE_RE = re.compile(r"(?<![\w-])\+?\(?\d{2,4}\)?[\s.-]?\d{3,4}[\s.-]?\d{3,4}\b")


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


def _shingles(text: str, n: int = 3) -> set[str]:
    """Word n-grams with at least two content words (so "you are the" never counts)."""
    words = re.sub(r"[^a-z0-9]+", " ", fold(text)).split()
    out = set()
    for i in range(len(words) - n + 1):
        gram = words[i : i + n]
        if sum(w not in _STOP for w in gram) >= 2:
            out.add(" ".join(gram))
    return out


def injection_titles(flagged: list[str]) -> list[str]:
    """Instruction-like strings among the listener's flagged names (the input-side policy has
    already flagged them all, so this is a filter over the listener's flags)."""
    lex = lexicon()
    return [name for name in flagged if lex.injection.first(name)]


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

    hits = lex.unsafe.find(text)
    checks.append(_check("safety.lexicon", [f"{h.category}: '{h.term}'" for h in hits]))

    flagged = ctx.flagged
    story_norm = f" {normalize_name(text)} " if flagged else ""
    named = [n for n in flagged if normalize_name(n) and f" {normalize_name(n)} " in story_norm]
    checks.append(
        _check("safety.flagged_title", [f"names a title kept out by policy: '{n}'" for n in named])
    )

    pii: list[str] = []
    for rx, what, needs in (
        (EMAIL_RE, "e-mail address", "@"),
        (IPV4_RE, "IP address", "."),
        (IPV6_RE, "IP address", ":"),
        (UID_RE, "user id", "u_"),
        (TIMESTAMP_RE, "exact timestamp", ""),
        (PHONE_RE, "phone number", ""),
    ):
        if needs not in text:  # every match holds `needs`: skip the scan when the text does not
            continue
        for m in rx.finditer(text):
            pii.append(f"{what}: '{m.group(0)}'")
    if uy.user_id and uy.user_id in text:
        pii.append("the listener's id")
    checks.append(_check("safety.pii", list(dict.fromkeys(pii))))

    masked = _masked(text, ctx, request.day)
    sens = lex.sensitive.find(masked)
    checks.append(_check("safety.sensitive", [f"{h.category} inference: '{h.term}'" for h in sens]))
    shame = lex.shaming.find(masked)
    checks.append(_check("safety.shaming", [f"shaming: '{h.term}'" for h in shame]))

    inj = [f"instruction-like text: '{h.term}'" for h in lex.injection.find(masked)]
    titles = injection_titles(flagged)
    story_sh = _shingles(text) if titles else set()
    for title in titles:
        common = _shingles(title) & story_sh
        if common:
            inj.append(f"echoes an instruction found in the data: '{sorted(common)[0]}'")
    checks.append(_check("safety.injection", inj))
    return checks
