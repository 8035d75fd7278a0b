"""Per-row metrics: the gate's scorers folded into 0/1 or scores, plus the suite-level ones the
gate does not have (length, reading ease, claims and their grounded share, sameness, cost).

Every metric is a number per row so `compare` can pair rows listener by listener. Sameness is
a property of a batch: each row records whether its opening and its title are shared with
another listener's story in the same cell (`unique_opening`, `unique_title`), and
`distinct_n` gives the cell-wide distinct-n-gram share for the report.

Reading ease is Flesch's formula with a vowel-group syllable count: `textstat`, the usual
package, loads the CMU dictionary through NLTK's downloader at first use, which cannot run
offline, and the score is only compared between versions, where the heuristic's bias cancels.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence

from wrapped.story import Check

#: metric -> True when higher is better (what `compare` and the report read)
HIGHER_IS_BETTER: dict[str, bool] = {
    "gate_pass": True,
    "format": True,
    "grounding": True,
    "safety": True,
    "grounded_share": True,
    "claims": True,
    "unique_opening": True,
    "unique_title": True,
    "reading_ease": True,
    "words": True,
    "cost_usd": False,
    "latency_s": False,
    "tokens": False,
}

_WORD = re.compile(r"[A-Za-zÀ-ÿ0-9']+")
_SENTENCE = re.compile(r"[.!?]+(?:\s|$)")
_VOWELS = re.compile(r"[aeiouyà-ÿ]+")


def higher_is_better(metric: str) -> bool:
    """Judge scores (judge.*) are higher-is-better too."""
    return HIGHER_IS_BETTER.get(metric, True)


def words(text: str) -> list[str]:
    return _WORD.findall(text)


def syllables(word: str) -> int:
    w = word.lower()
    n = len(_VOWELS.findall(w))
    if w.endswith("e") and not w.endswith(("le", "ee")) and n > 1:
        n -= 1
    return max(1, n)


def reading_ease(text: str) -> float | None:
    """Flesch reading ease (higher: easier); None for an empty text."""
    ws = words(text)
    if not ws:
        return None
    sentences = max(1, len(_SENTENCE.findall(text)))
    syl = sum(syllables(w) for w in ws)
    return round(206.835 - 1.015 * (len(ws) / sentences) - 84.6 * (syl / len(ws)), 2)


def _layer_pass(checks: Sequence[Check], layer: str) -> float | None:
    mine = [c for c in checks if c.layer == layer and c.status in ("pass", "fail")]
    if not mine:
        return None
    return 0.0 if any(c.status == "fail" for c in mine) else 1.0


def row_metrics(
    checks: Sequence[Check],
    *,
    title: str,
    story: str,
    decision: str,
    prompt_tokens: int,
    completion_tokens: int,
    cost_usd: float,
    latency_s: float,
) -> dict[str, float | None]:
    """One row's numbers (sameness is added per cell by `add_sameness`)."""
    out: dict[str, float | None] = {"gate_pass": 1.0 if decision == "pass" else 0.0}
    for layer in ("format", "grounding", "safety"):
        out[layer] = _layer_pass(checks, layer)
    for c in checks:
        if c.layer == "judge" and c.status in ("pass", "fail") and c.score is not None:
            out[c.name] = float(c.score)
    claims = [cl for c in checks if c.name == "grounding" for cl in c.claims]
    has_story = bool(story.strip())
    out["claims"] = float(len(claims)) if has_story else None
    out["grounded_share"] = (
        sum(cl.grounded for cl in claims) / len(claims)
        if claims
        else (None if not has_story else 0.0)
    )
    out["words"] = float(len(words(story))) if has_story else None
    out["reading_ease"] = reading_ease(story) if has_story else None
    out["cost_usd"] = cost_usd
    out["latency_s"] = latency_s
    out["tokens"] = float(prompt_tokens + completion_tokens)
    return out


def opening(story: str, n: int = 6) -> str:
    return " ".join(w.lower() for w in words(story)[:n])


def add_sameness(
    metrics: list[dict[str, float | None]], titles: list[str], stories: list[str]
) -> None:
    """`unique_opening` / `unique_title`: 1 when no other story of the batch (one cell) starts
    with the same six words / carries the same title, else 0 — a model that tells everyone the
    same story scores 0 on both."""
    openings = [opening(s) for s in stories]
    normal_titles = [" ".join(words(t.lower())) for t in titles]
    o_count = Counter(o for o in openings if o)
    t_count = Counter(t for t in normal_titles if t)
    for m, o, t in zip(metrics, openings, normal_titles, strict=True):
        m["unique_opening"] = (1.0 if o_count[o] == 1 else 0.0) if o else None
        m["unique_title"] = (1.0 if t_count[t] == 1 else 0.0) if t else None


def distinct_n(stories: Iterable[str], n: int = 2) -> float | None:
    """Distinct n-grams / all n-grams across a batch of stories (1.0: nothing repeats)."""
    grams: list[tuple[str, ...]] = []
    for s in stories:
        ws = [w.lower() for w in words(s)]
        grams += [tuple(ws[i : i + n]) for i in range(len(ws) - n + 1)]
    return len(set(grams)) / len(grams) if grams else None
