"""The input-side safety filter, as the prompts and the embedded writer see it.

The policy itself lives in the gate (`wrapped.gate.safety.sanitize_for_prompt`): titles and names
that touch drugs, alcohol, sex, violence, self-harm or hate are removed from a `UserYear` before
any writer sees it, so no model is handed a reason to mention them. This wrapper imports it lazily
(the gate imports the prompts, not the other way round at import time).
"""

from __future__ import annotations

import warnings
from typing import NamedTuple

from wrapped.stats.model import UserYear


class SafeYear(NamedTuple):
    user_year: UserYear
    flagged: list[str]


def safe_year(user_year: UserYear) -> SafeYear:
    """The listener's year with unsafe titles removed, and the names that were removed."""
    try:
        from wrapped.gate.safety import sanitize_for_prompt
    except ModuleNotFoundError as exc:  # pragma: no cover - only before the gate lands
        if exc.name not in ("wrapped.gate.safety", "wrapped.gate"):
            raise
        # TODO(gate): remove once wrapped.gate.safety is in every install. Until then prompts are
        # rendered unfiltered, loudly.
        warnings.warn(
            "wrapped.gate.safety is missing: prompts are rendered WITHOUT the input safety filter",
            RuntimeWarning,
            stacklevel=2,
        )
        return SafeYear(user_year, [])
    try:  # memoized per UserYear object: a listener's 5 days are filtered once
        from wrapped.gate.safety import sanitized as _memo
    except ImportError:  # pragma: no cover - older gate without the memo
        _memo = sanitize_for_prompt
    result = _memo(user_year)
    return SafeYear(result.user_year, list(result.flagged))
