"""Locale spelling for the embedded writer's own words (never for names from the data).

The phrase bank is written in American spelling; `localize` turns a template's literal text into
British or Canadian spelling before any name is filled in, so "Colour Me Badd" stays as it is.
"""

from __future__ import annotations

import re
from functools import cache

from wrapped.prompts.locale import SpellingFamily

#: American -> British. Canadian takes the -our/-re/-ll- forms but keeps -ize.
_BRITISH: dict[str, str] = {
    "favorite": "favourite",
    "favorites": "favourites",
    "color": "colour",
    "colors": "colours",
    "colorful": "colourful",
    "flavor": "flavour",
    "honor": "honour",
    "humor": "humour",
    "neighbor": "neighbour",
    "neighbors": "neighbours",
    "center": "centre",
    "centered": "centred",
    "theater": "theatre",
    "traveled": "travelled",
    "traveling": "travelling",
    "time-traveled": "time-travelled",
    "catalog": "catalogue",
    "program": "programme",
    "programs": "programmes",
    "gray": "grey",
    "realize": "realise",
    "realized": "realised",
    "recognize": "recognise",
    "organize": "organise",
    "organized": "organised",
    "apologize": "apologise",
    "vacation": "holiday",
    "mom": "mum",
}
_IZE = {"realize", "realized", "recognize", "organize", "organized", "apologize"}
_US_ONLY_VOCAB = {"vacation", "mom", "program", "programs"}


@cache
def _table(family: SpellingFamily) -> tuple[dict[str, str], re.Pattern[str] | None]:
    if family == "american":
        return {}, None
    table = dict(_BRITISH)
    if family == "canadian":
        table = {k: v for k, v in table.items() if k not in _IZE and k not in _US_ONLY_VOCAB}
    words = sorted(table, key=len, reverse=True)
    return table, re.compile(
        r"(?<![\w{-])(" + "|".join(map(re.escape, words)) + r")(?![\w}])", re.I
    )


def localize(text: str, family: SpellingFamily) -> str:
    """`text` in the spelling family's forms, keeping the case of each word's first letter."""
    table, pattern = _table(family)
    if pattern is None:
        return text

    def swap(m: re.Match[str]) -> str:
        word = m.group(1)
        new = table[word.lower()]
        if word.istitle():  # "Time-Traveled" -> "Time-Travelled"
            return new.title()
        return new[0].upper() + new[1:] if word[0].isupper() else new

    return pattern.sub(swap, text)


def american_words() -> frozenset[str]:
    """US-only spellings the writer must not produce for British readers (tests use it)."""
    return frozenset(k for k in _BRITISH if k not in _US_ONLY_VOCAB)
