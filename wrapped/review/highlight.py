"""Where each claim the grounding scorer found sits in the story's text.

The scorer records a claim's text as it normalised it ("23 count" for "23 times", "Tuesday
February 13" for "Tuesday, February 13"), so a claim is located by its exact text first, then by
its words with any punctuation between them, then by its first number. A claim that cannot be
placed is still listed under the story, never dropped.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from wrapped.story import Claim


class Segment(NamedTuple):
    text: str
    claim: int | None  # index into the claims list


def _patterns(text: str) -> list[re.Pattern[str]]:
    pats = [re.compile(re.escape(text), re.IGNORECASE)]
    words = re.findall(r"\w+", text)
    if len(words) > 1:
        pats.append(re.compile(r"[\W_]+".join(map(re.escape, words)), re.IGNORECASE))
    num = re.search(r"\d[\d,.]*", text)
    if num:
        pats.append(re.compile(r"(?<![\d,.])" + re.escape(num.group()) + r"(?![\d])"))
    return pats


def segments(story: str, claims: list[Claim]) -> tuple[list[Segment], list[int]]:
    """The story cut into plain and claim segments, and the claims not found in it."""
    taken = [False] * len(story)
    spans: list[tuple[int, int, int]] = []
    unplaced: list[int] = []
    for i, claim in enumerate(claims):
        if not claim.text.strip():
            unplaced.append(i)
            continue
        span = _free_match(story, claim.text, taken)
        if span is None:
            unplaced.append(i)
            continue
        a, b = span
        for j in range(a, b):
            taken[j] = True
        spans.append((a, b, i))
    spans.sort()
    out: list[Segment] = []
    pos = 0
    for a, b, i in spans:
        if a > pos:
            out.append(Segment(story[pos:a], None))
        out.append(Segment(story[a:b], i))
        pos = b
    if pos < len(story):
        out.append(Segment(story[pos:], None))
    return out, unplaced


def _free_match(story: str, text: str, taken: list[bool]) -> tuple[int, int] | None:
    for pat in _patterns(text):
        for m in pat.finditer(story):
            if m.end() > m.start() and not any(taken[m.start() : m.end()]):
                return m.start(), m.end()
    return None
