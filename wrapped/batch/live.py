"""Live counts a worker keeps as stories finish, so a slow model still shows the job is alive.

The driver learns of a listener only when its whole batch returns: with a slow model that is
minutes, and a log showed "listeners 0/3" and nothing else. Each worker counts every finished
story (and its LLM calls, tokens and cost) the moment it finishes; the driver asks for the counts
every second or so (`StoryWorker.live_counts`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from wrapped.generate import StoryOutcome


class LiveCounts(NamedTuple):
    """Stories finished and what they cost, since the worker started."""

    stories: int = 0
    calls: int = 0
    tokens: int = 0
    cost_usd: float = 0.0


class LiveCounter:
    """One worker's running totals; `on_story` is the one place a finished story is counted."""

    def __init__(self) -> None:
        self._counts = LiveCounts()

    def on_story(self, outcome: StoryOutcome) -> None:
        usage = outcome.usage
        c = self._counts
        self._counts = LiveCounts(
            c.stories + 1,
            c.calls + usage.calls,
            c.tokens + usage.prompt_tokens + usage.completion_tokens,
            c.cost_usd + usage.cost_usd,
        )

    def snapshot(self) -> LiveCounts:
        return self._counts


def total(counts: Iterable[LiveCounts]) -> LiveCounts:
    """The sum over workers."""
    out = LiveCounts()
    for c in counts:
        out = LiveCounts(
            out.stories + c.stories,
            out.calls + c.calls,
            out.tokens + c.tokens,
            out.cost_usd + c.cost_usd,
        )
    return out
