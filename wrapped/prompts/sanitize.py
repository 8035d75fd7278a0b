"""The input-side safety filter, as the prompts and the embedded writer see it.

The policy itself lives in the gate (`wrapped.gate.safety.sanitize_for_prompt`): titles and names
that touch drugs, alcohol, sex, violence, self-harm or hate are removed from a `UserYear` before
any writer sees it, so no model is handed a reason to mention them. This wrapper imports it lazily
(the gate imports the prompts, not the other way round at import time). It computes afresh on
each call: the generate stage sanitizes once per listener (`wrapped.gate.context`) and hands the
result to `render`/`compose`; this path is for one-off callers (the CLI, the scripted server).
"""

from __future__ import annotations

from typing import NamedTuple

from wrapped.stats.model import UserYear


class SafeYear(NamedTuple):
    user_year: UserYear
    flagged: list[str]


def safe_year(user_year: UserYear) -> SafeYear:
    """The listener's year with unsafe titles removed, and the names that were removed."""
    from wrapped.gate.safety import sanitize_for_prompt

    result = sanitize_for_prompt(user_year)
    return SafeYear(result.user_year, list(result.flagged))
