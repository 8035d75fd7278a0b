"""The one token estimate: model-agnostic, for budgets (prompt log caps, the TPM limiter), never
for billing — what is paid is the endpoint's own count (`Usage`).

It lives below every stage so that `prompts` (the data block's token budget) and `llm` (the
rate limiter's reservation) share it without importing each other.
"""

from __future__ import annotations

#: about 4 characters a token for English text with the tokenizers of current chat models
CHARS_PER_TOKEN = 4


def estimate_tokens(text: str) -> int:
    """Tokens in `text`, rounded up (~4 characters a token)."""
    return -(-len(text) // CHARS_PER_TOKEN)
