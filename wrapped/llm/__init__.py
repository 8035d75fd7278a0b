"""The LLM layer: one robust OpenAI-compatible client and the backends built on it.

- `ChatClient` / `Completion`: a chat completion with structured output, tenacity retries,
  a process-wide rate limiter, a SQLite response cache and usage accounting.
- `OpenAIBackend`: the `Backend` that writes stories through any OpenAI-compatible endpoint.
- `Backend` / `WriteJob`: the writer protocol (`wrapped.generate.make_backend` picks one).
- `should_retry(exc)`: the one retry predicate.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from wrapped.llm.backend import Backend
from wrapped.story import WriteJob

if TYPE_CHECKING:
    from wrapped.llm.cache import ResponseCache, cache_key, default_cache_path, erase_user
    from wrapped.llm.client import ChatClient
    from wrapped.llm.completion import Completion, cost_usd
    from wrapped.llm.limiter import RateLimiter, get_limiter
    from wrapped.llm.openai_backend import OpenAIBackend
    from wrapped.llm.retry import LLMConnectionError, parse_retry_after, should_retry

# Public names resolve lazily: `wrapped.llm.cache` (used by `wrapped erase` and by worker
# processes) must not pay for importing the openai SDK (~1 s).
_LAZY = {
    "ResponseCache": "cache",
    "cache_key": "cache",
    "default_cache_path": "cache",
    "erase_user": "cache",
    "ChatClient": "client",
    "Completion": "completion",
    "cost_usd": "completion",
    "RateLimiter": "limiter",
    "get_limiter": "limiter",
    "OpenAIBackend": "openai_backend",
    "LLMConnectionError": "retry",
    "parse_retry_after": "retry",
    "should_retry": "retry",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'wrapped.llm' has no attribute {name!r}")
    value = getattr(import_module(f"wrapped.llm.{module}"), name)
    globals()[name] = value
    return value


__all__ = [
    "Backend",
    "ChatClient",
    "Completion",
    "LLMConnectionError",
    "OpenAIBackend",
    "RateLimiter",
    "ResponseCache",
    "WriteJob",
    "cache_key",
    "cost_usd",
    "default_cache_path",
    "erase_user",
    "get_limiter",
    "parse_retry_after",
    "should_retry",
]
