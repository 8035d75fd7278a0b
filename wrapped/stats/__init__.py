"""Stats: each listener's year (`UserYear`) and their most interesting days, in local time.

`compute_user_years` (all listeners as a list) and `iter_user_years` (the batch path: chunks
of whole listeners, bounded memory, identical results) are imported lazily, so importing the
model (which every stage does) does not pull in pandas.
"""

from __future__ import annotations

from typing import Any

__all__ = ["compute_user_years", "iter_user_years"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from wrapped.stats import build

        return getattr(build, name)
    raise AttributeError(name)
