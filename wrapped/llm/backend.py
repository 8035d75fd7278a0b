"""The writer interface the embedded writer, the OpenAI-compatible client and the local model
implement. Backends never render prompts: the generate stage renders one for a backend that
reads it (`reads_prompt`) and hands it over in a `WriteJob`."""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from wrapped.settings import Settings
from wrapped.story import DraftResult, WriteJob


@runtime_checkable
class Backend(Protocol):
    """Writes one draft for one job. Async so a shard can keep many calls in flight."""

    name: str
    model: str
    #: whether `write` sends `job.prompt` (False: the generate stage renders none for it)
    reads_prompt: bool
    #: the settings its prompts are rendered with (a backend may narrow the run's, e.g. the
    #: local model's shorter day log)
    settings: Settings

    async def write(self, job: WriteJob) -> DraftResult: ...

    async def aclose(self) -> None: ...
