"""The input-side safety filter, as the prompts and the embedded writer see it.

The policy itself is `wrapped.safety` (shared with the gate's output side): titles and names
that touch drugs, alcohol, sex, violence, self-harm or hate are removed from a `UserYear` before
any writer sees it, so no model is handed a reason to mention them. It computes afresh on
each call: the generate stage sanitizes once per listener (`wrapped.gate.context`) and hands the
result to `render`/`compose`; this path is for one-off callers (the CLI, the scripted server).
"""

from __future__ import annotations

from typing import NamedTuple

from wrapped.safety.screen import sanitize_for_prompt
from wrapped.stats.model import UserYear


class SafeYear(NamedTuple):
    user_year: UserYear
    flagged: list[str]


def safe_year(user_year: UserYear) -> SafeYear:
    """The listener's year with unsafe titles removed, and the names that were removed."""
    result = sanitize_for_prompt(user_year)
    return SafeYear(result.user_year, list(result.flagged))
