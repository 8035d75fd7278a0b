"""`EmbeddedBackend`: the default writer behind the `Backend` protocol.

No model, no key, no network, no cost: `wrapped generate` works out of the box, and every story
it stores says `backend="embedded"` so nobody mistakes it for a model's. It reads no prompt, so
the generate stage renders none for it; its stories name the phrase bank they were written
from (`prompt_version="embedded"`, `prompt_hash=phrasebank_hash()`).
"""

from __future__ import annotations

import hashlib
import inspect
from functools import cache

from wrapped.settings import Settings
from wrapped.story import DraftResult, Usage, WriteJob
from wrapped.writer import compose as _compose_mod
from wrapped.writer import phrases, slots, spelling

EMBEDDED_MODEL = "embedded-v1"
#: the `prompt_version` an embedded story records (its wording is the phrase bank, not a prompt)
EMBEDDED_PROMPT = "embedded"


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
    reads_prompt = False

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or Settings()

    async def write(self, job: WriteJob) -> DraftResult:
        """Write from the job's sanitized year (the data; no prompt is read)."""
        draft = _compose_mod.compose(job.request, sanitized=job.safe_year)
        return DraftResult(
            draft=draft,
            backend=self.name,
            model=self.model,
            usage=Usage(),
            prompt_version=EMBEDDED_PROMPT,
            prompt_hash=phrasebank_hash(),
        )

    async def aclose(self) -> None:
        return None
