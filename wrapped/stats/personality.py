"""A listening personality from four documented axes, each a score in 0..1.

| axis            | low      | high     | score                                                     |
|-----------------|----------|----------|-----------------------------------------------------------|
| discovery       | familiar | explorer | share of this year's distinct artists that are new (needs history) |
| loyalty         | loyal    | varied   | 1 - share of music ms on the top-k artists                |
| era             | timeless | new      | share of dated music ms on releases from year-1 or year    |
| taste           | common   | unique   | 1 - ms-weighted share of listeners IN THIS DATA SET who also played each artist |

An axis without the data it needs (no history, no music, no release years) scores 0.5 and says
why. ``leaning`` is ``high`` when score > 0.5, else ``low``. The label comes from the most decisive
axis (largest ``|score - 0.5|``; ties -> the order above); no music at all gets a fixed label.
"""

from __future__ import annotations

from typing import Any

from wrapped.stats.fastmodel import leaf, many
from wrapped.stats.model import Axis, Personality

AXES = (
    ("discovery", "familiar", "explorer"),
    ("loyalty", "loyal", "varied"),
    ("era", "timeless", "new"),
    ("taste", "common", "unique"),
)
_AXIS, _PERSONALITY = leaf(Axis), leaf(Personality)
_AXES, _PERSONALITIES = many(Axis), many(Personality)
LABELS = {
    "familiar": "The Comfort Listener",
    "explorer": "The Explorer",
    "loyal": "The Loyalist",
    "varied": "The Variety Seeker",
    "timeless": "The Classicist",
    "new": "The Trendsetter",
    "common": "The Crowd Pleaser",
    "unique": "The Trailblazer",
}


def _pct(x: float) -> str:
    return f"{round(x * 100)}%"


def personality(
    *,
    music_ms: int,
    podcast_ms: int,
    has_history: bool,
    distinct_artists: int,
    new_artists: int,
    top_k: int,
    top_k_ms: int,
    known_ms: int,
    fresh_ms: int,
    year: int,
    popularity: float,
) -> Personality:
    """The listener's Personality (built fast from exact Python values)."""
    axes: list[Axis] = []

    def add(i: int, score: float | None, why: str) -> None:
        name, low, high = AXES[i]
        s = 0.5 if score is None else round(min(max(score, 0.0), 1.0), 3)
        axes.append(
            _AXIS(
                {
                    "name": name,
                    "low": low,
                    "high": high,
                    "score": s,
                    "leaning": high if s > 0.5 else low,
                    "explanation": why,
                }
            )
        )

    if has_history and distinct_artists:
        share = new_artists / distinct_artists
        add(
            0,
            share,
            f"{new_artists} of your {distinct_artists} artists ({_pct(share)}) were new to you this year.",
        )
    else:
        add(
            0,
            None,
            "There is no earlier listening to compare with, so this axis sits in the middle.",
        )
    if music_ms:
        share = top_k_ms / music_ms
        add(1, 1 - share, f"Your top {top_k} artists took {_pct(share)} of your music minutes.")
    else:
        add(1, None, "No music this year, so this axis sits in the middle.")
    if known_ms:
        share = fresh_ms / known_ms
        add(
            2,
            share,
            f"{_pct(share)} of your dated music minutes went to releases from {year - 1} or {year}.",
        )
    else:
        add(2, None, "No release years are known for your music, so this axis sits in the middle.")
    if music_ms:
        add(
            3,
            1 - popularity,
            f"On average {_pct(popularity)} of listeners here also played the artists you played.",
        )
    else:
        add(3, None, "No music this year, so this axis sits in the middle.")

    if not music_ms:
        label = "The Podcast Devotee" if podcast_ms else "The Quiet Listener"
    else:
        best = max(range(len(axes)), key=lambda i: (abs(axes[i].score - 0.5), -i))
        label = LABELS[axes[best].leaning]
    made: Personality = _PERSONALITY({"label": label, "axes": axes})
    return made


_NO_HISTORY = "There is no earlier listening to compare with, so this axis sits in the middle."
_NO_MUSIC = "No music this year, so this axis sits in the middle."
_NO_YEARS = "No release years are known for your music, so this axis sits in the middle."


def _axis(i: int, score: float | None, why: str) -> dict[str, Any]:
    name, low, high = AXES[i]
    s = 0.5 if score is None else round(min(max(score, 0.0), 1.0), 3)
    return {"name": name, "low": low, "high": high, "score": s,
            "leaning": high if s > 0.5 else low, "explanation": why}  # fmt: skip


def personalities(
    *,
    music_ms: list[int],
    podcast_ms: list[int],
    has_history: list[bool],
    distinct_artists: list[int],
    new_artists: list[int],
    top_k: int,
    top_k_ms: list[int],
    known_ms: list[int],
    fresh_ms: list[int],
    year: int,
    popularity: list[float],
) -> list[Personality]:
    """`personality` for every listener at once (same values; models made in bulk)."""
    axes: list[dict[str, Any]] = []
    for mu, hist, da, na, tk, kn, fr, pop in zip(
        music_ms, has_history, distinct_artists, new_artists, top_k_ms, known_ms, fresh_ms,
        popularity, strict=True,
    ):  # fmt: skip
        if hist and da:
            share = na / da
            axes.append(
                _axis(
                    0,
                    share,
                    f"{na} of your {da} artists ({_pct(share)}) were new to you this year.",
                )
            )
        else:
            axes.append(_axis(0, None, _NO_HISTORY))
        if mu:
            share = tk / mu
            axes.append(
                _axis(
                    1,
                    1 - share,
                    f"Your top {top_k} artists took {_pct(share)} of your music minutes.",
                )
            )
        else:
            axes.append(_axis(1, None, _NO_MUSIC))
        if kn:
            share = fr / kn
            axes.append(
                _axis(
                    2,
                    share,
                    f"{_pct(share)} of your dated music minutes went to releases from {year - 1} or {year}.",
                )
            )
        else:
            axes.append(_axis(2, None, _NO_YEARS))
        if mu:
            axes.append(
                _axis(
                    3,
                    1 - pop,
                    f"On average {_pct(pop)} of listeners here also played the artists you played.",
                )
            )
        else:
            axes.append(_axis(3, None, _NO_MUSIC))  # fmt: skip
    made = _AXES(axes)
    out: list[dict[str, Any]] = []
    for j, (mu, po) in enumerate(zip(music_ms, podcast_ms, strict=True)):
        ax = made[4 * j : 4 * j + 4]
        if not mu:
            label = "The Podcast Devotee" if po else "The Quiet Listener"
        else:
            best = max(range(4), key=lambda i: (abs(ax[i].score - 0.5), -i))
            label = LABELS[ax[best].leaning]
        out.append({"label": label, "axes": ax})
    result: list[Personality] = _PERSONALITIES(out)
    return result
