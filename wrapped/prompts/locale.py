"""Which English a listener reads: the spelling family for their locale.

Prompts state it as an instruction; the embedded writer applies it to its own phrase bank.
Both read this one function, so the prompt and the fallback story never disagree.
"""

from __future__ import annotations

from typing import Literal

SpellingFamily = Literal["british", "american", "canadian"]

#: Regions whose English follows US spelling (US and territories, plus places that teach US English).
AMERICAN_REGIONS = frozenset(
    {"US", "PR", "GU", "VI", "AS", "MP", "UM", "PH", "LR", "MH", "FM", "PW"}
)


def spelling_family(locale: str | None) -> SpellingFamily:
    """`en-GB` -> british, `en-US` -> american, `en-CA` -> canadian; other regions -> british.

    A bare language ("en") or no locale at all reads as American, the most common default.
    """
    if not locale:
        return "american"
    parts = locale.replace("_", "-").split("-")
    if len(parts) < 2:
        return "american"
    region = parts[-1].upper()
    if region in AMERICAN_REGIONS:
        return "american"
    if region == "CA":
        return "canadian"
    return "british"
