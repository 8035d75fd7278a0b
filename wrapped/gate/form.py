"""The format check: the cheapest gate of all, and the one that still stands when no judge runs.

Weak models produce things no grounding rule catches because they claim nothing: template
leftovers ("{{name}}", "<the story>"), citation markers ("[145]"), markdown lists, one-line
fragments. The rules mirror the Draft schema and the system prompt's contract.
"""

from __future__ import annotations

import re

from wrapped.story import Check, Draft
from wrapped.text import first_unsafe

MIN_WORDS, MAX_WORDS = 40, 160
MAX_TITLE = 80

_LEFTOVERS = (
    (re.compile(r"\{\{|\}\}|\{%|%\}"), "template syntax"),
    (re.compile(r"<\s*/?\s*[A-Za-z][^<>]{0,60}>"), "markup or a <placeholder>"),
    (re.compile(r"\[\s*\d+\s*\]"), "a [N] marker"),
    (re.compile(r"(?m)^\s{0,3}(?:#{1,6}\s|[-*•]\s|\d+[.)]\s)"), "a markdown heading or list"),
    (
        re.compile(
            r"(?i)\b(?:lorem ipsum|insert (?:name|artist|title)|your (?:story|title) here)\b"
        ),
        "placeholder text",
    ),
)

_YOU_RE = re.compile(r"\byou(?:r|rs|'re|'ve|'d|'ll)?\b", re.IGNORECASE)


def check_format(draft: Draft) -> Check:
    """Length, title and leftovers; `layer="format"` so a reviewer sees it is not about content."""
    reasons: list[str] = []
    words = len(draft.story.split())
    if not MIN_WORDS <= words <= MAX_WORDS:
        reasons.append(f"format: the story has {words} words (allowed {MIN_WORDS}-{MAX_WORDS})")
    title = draft.title.strip()
    if not title:
        reasons.append("format: the title is empty")
    elif len(title) > MAX_TITLE:
        reasons.append(f"format: the title has {len(title)} characters (at most {MAX_TITLE})")
    if not _YOU_RE.search(draft.story):
        reasons.append("format: the story is not written to the listener (no 'you' or 'your')")
    for field, text in (("title", draft.title), ("story", draft.story)):
        unsafe = first_unsafe(text)
        if unsafe:  # taken from a name: an escape sequence or a bidi override shown to a reader
            reasons.append(f"format: the {field} contains a control or bidi character ({unsafe})")
        for rx, what in _LEFTOVERS:
            m = rx.search(text)
            if m:
                reasons.append(f"format: the {field} contains {what}: '{m.group(0).strip()}'")
    return Check(
        name="format",
        layer="format",
        status="fail" if reasons else "pass",
        score=0.0 if reasons else 1.0,
        reasons=reasons,
    )
