"""One listener's derived values, built once and dropped with the listener.

A listener's five stories (and their retries, and the judge's prompts) all need the same
derived views of its `UserYear`: the input-side sanitized copy, the fact index (the year part
shared by every day, plus one part per day) and the prompt's data-block base. Building them is
the costly part of checking a draft, so the caller (the generate stage, per listener; the CLI,
per story) makes one `ListenerContext` and passes it along; nothing is kept anywhere else, so
nothing has to be released by hand when the listener is done.
"""

from __future__ import annotations

from datetime import date

from wrapped.gate.facts import FactIndex, build_index, build_year_index
from wrapped.prompts.datablock import ListenerBase, listener_base
from wrapped.prompts.sanitize import SafeYear
from wrapped.safety.screen import SanitizedYear, flagged_names, sanitize_for_prompt
from wrapped.stats.model import UserYear


class ListenerContext:
    """Lazily built, then kept: `safe`, `flagged`, `index(day)`, `prompt_base`.

    Not thread-safe and not meant to be: one listener is written by one task."""

    __slots__ = ("user_year", "_safe", "_flagged", "_year_index", "_days", "_base")

    def __init__(self, user_year: UserYear) -> None:
        self.user_year = user_year
        self._safe: SanitizedYear | None = None
        self._flagged: list[str] | None = None
        self._year_index: FactIndex | None = None
        self._days: dict[date, FactIndex] = {}
        self._base: ListenerBase | None = None

    @property
    def safe(self) -> SanitizedYear:
        """The year as writers may see it (the input-side policy, `wrapped.safety.screen`)."""
        if self._safe is None:
            self._safe = sanitize_for_prompt(self.user_year)
        return self._safe

    @property
    def flagged(self) -> list[str]:
        """The listener's own names the policy keeps out of prompts and stories (the output-side
        checks need only these: the sanitized copy is not built for them)."""
        if self._safe is not None:
            return self._safe.flagged
        if self._flagged is None:
            self._flagged = flagged_names(self.user_year)
        return self._flagged

    def index(self, day: date) -> FactIndex:
        """The grounding index for `day` (the year part is built once for all days)."""
        ix = self._days.get(day)
        if ix is None:
            if self._year_index is None:
                self._year_index = build_year_index(self.user_year)
            ix = self._days[day] = build_index(self.user_year, day, self._year_index)
        return ix

    @property
    def prompt_base(self) -> ListenerBase:
        """What every prompt of this listener shares (`wrapped.prompts.datablock`)."""
        if self._base is None:
            safe = self.safe
            self._base = listener_base(self.user_year, SafeYear(safe.user_year, safe.flagged))
        return self._base


def context_for(user_year: UserYear, ctx: ListenerContext | None) -> ListenerContext:
    """`ctx` when the caller has one for this listener, else a fresh one (one-off callers)."""
    if ctx is not None and ctx.user_year is user_year:
        return ctx
    return ListenerContext(user_year)
