"""The LLM layer: one robust OpenAI-compatible client and the backends built on it.

- `ChatClient` / `Completion`: a chat completion with structured output, tenacity retries,
  a process-wide rate limiter, a SQLite response cache and usage accounting.
- `OpenAIBackend`: the `Backend` that writes stories through any OpenAI-compatible endpoint.
- `make_backend(settings)`: the backend `settings.backend` names.
- `should_retry(exc)`: the one retry predicate.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from wrapped.errors import ConfigError
from wrapped.llm.backend import Backend
from wrapped.settings import Settings

if TYPE_CHECKING:
    from wrapped.llm.cache import ResponseCache, cache_key, default_cache_path, erase_user
    from wrapped.llm.client import ChatClient, Completion, cost_usd
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
    "Completion": "client",
    "cost_usd": "client",
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


def make_backend(settings: Settings) -> Backend:
    """The writer `settings.backend` names.

    embedded -> the deterministic writer (no key, no network); openai -> any OpenAI-compatible
    endpoint; scripted -> the same client against a running `wrapped fake-llm` (needs
    base_url); local -> a llama.cpp server on 127.0.0.1 started by wrapped.writer.local.
    """
    kind = settings.backend
    if kind == "embedded":
        from wrapped.writer import EmbeddedBackend

        return EmbeddedBackend(settings)
    from wrapped.llm.openai_backend import OpenAIBackend

    if kind == "openai":
        return OpenAIBackend(settings)
    if kind == "scripted":
        if not settings.base_url:
            raise ConfigError(
                "--backend scripted needs --base-url (or WRAPPED_BASE_URL) of a running "
                "`wrapped fake-llm`, e.g. http://127.0.0.1:8089/v1"
            )
        return OpenAIBackend(settings, name="scripted")
    if kind == "local":
        try:
            from wrapped.writer.local import make_local_backend
        except ImportError as exc:
            raise ConfigError(
                f"--backend local is not available ({exc}); install it with "
                "pip install 'wrapped[local]'"
            ) from None
        return make_local_backend(settings)
    raise ConfigError(f"unknown backend {kind!r}")


__all__ = [
    "Backend",
    "ChatClient",
    "Completion",
    "LLMConnectionError",
    "OpenAIBackend",
    "RateLimiter",
    "ResponseCache",
    "cache_key",
    "cost_usd",
    "default_cache_path",
    "erase_user",
    "get_limiter",
    "make_backend",
    "parse_retry_after",
    "should_retry",
]
