"""`EmbeddedBackend`: the default writer behind the `Backend` protocol.

No model, no key, no network, no cost: `wrapped generate` works out of the box, and every story
it stores says `backend="embedded"` so nobody mistakes it for a model's.
"""

from __future__ import annotations

import hashlib
import inspect
from functools import cache

from wrapped.settings import Settings
from wrapped.story import DraftResult, StoryRequest, Usage
from wrapped.writer import compose as _compose_mod
from wrapped.writer import phrases, slots, spelling

EMBEDDED_MODEL = "embedded-v1"


@cache
def phrasebank_hash() -> str:
    """Identity of the embedded writer's wording (like a prompt version hash): 16 hex digits."""
    h = hashlib.sha256()
    for module in (phrases, slots, spelling, _compose_mod):
        h.update(inspect.getsource(module).encode("utf-8") + b"\0")
    return h.hexdigest()[:16]


class EmbeddedBackend:
    """Writes each draft with `wrapped.writer.compose` (name "embedded", model "embedded-v1")."""

    name = "embedded"
    model = EMBEDDED_MODEL

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings

    async def write(self, request: StoryRequest) -> DraftResult:
        """Render the prompt a model would be sent, then write from the data.

        The embedded writer does not read the prompt, but rendering it keeps the default run
        honest about the rest of the pipeline: a broken template or data block fails here as it
        would against a real model, and each story records the prompt version and hash it was
        written under (it is still marked backend "embedded", usage zero)."""
        prompt = None
        if self.settings is not None:
            from wrapped.prompts import render

            prompt = render(request, settings=self.settings)
        draft = _compose_mod.compose(request)
        return DraftResult(
            draft=draft, backend=self.name, model=self.model, usage=Usage(), prompt=prompt
        )

    def write_sync(self, request: StoryRequest) -> DraftResult:
        """The same, for callers without an event loop (the CLI, the gate's fallback)."""
        draft = _compose_mod.compose(request)
        return DraftResult(
            draft=draft, backend=self.name, model=self.model, usage=Usage(), prompt=None
        )

    async def aclose(self) -> None:
        return None
