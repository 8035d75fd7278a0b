"""The embedded writer: grounded stories with no model, no key and no network.

`compose(request) -> Draft` is the default backend's writer and the generate stage's safe
fallback;
`EmbeddedBackend(settings)` wraps it in the `Backend` protocol.
"""

from __future__ import annotations

from wrapped.writer.backend import (
    EMBEDDED_MODEL,
    EMBEDDED_PROMPT,
    EmbeddedBackend,
    phrasebank_hash,
)
from wrapped.writer.compose import MAX_WORDS, MIN_WORDS, compose

__all__ = [
    "EMBEDDED_MODEL",
    "EMBEDDED_PROMPT",
    "MAX_WORDS",
    "MIN_WORDS",
    "EmbeddedBackend",
    "compose",
    "phrasebank_hash",
]
