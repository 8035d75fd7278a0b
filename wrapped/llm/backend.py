"""The writer interface both the embedded writer and the OpenAI-compatible client implement."""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from wrapped.story import DraftResult, StoryRequest


@runtime_checkable
class Backend(Protocol):
    """Writes one draft for one request. Async so a shard can keep many calls in flight."""

    name: str
    model: str

    async def write(self, request: StoryRequest) -> DraftResult: ...

    async def aclose(self) -> None: ...
