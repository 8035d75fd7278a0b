"""The generate stage: prompt → backend → draft → the gate's scorers → decision.

- `write_story(request, ctx=, backend=, gate=, settings=)`: the one loop for one day (attempts
  with feedback, fallback, needs_review; the `Story` and `Verdict` built once).
- `write_listener(user_year, gate=, backend=, settings=)`: a listener's days in order, with its
  `ListenerContext`; returns a `ListenerResult` (a failure is data).
- `make_backend(settings)`, `build_gate(settings, backend)`: what a worker builds once.
"""

from __future__ import annotations

from wrapped.generate.backends import build_gate, make_backend
from wrapped.generate.listener import Finished, ListenerResult, write_listener
from wrapped.generate.story import StoryOutcome, write_story

__all__ = [
    "Finished",
    "ListenerResult",
    "StoryOutcome",
    "build_gate",
    "make_backend",
    "write_listener",
    "write_story",
]
