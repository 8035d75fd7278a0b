"""wrapped: grounded, safe, LLM-written year-in-review stories from listening histories."""

from __future__ import annotations

__version__ = "0.1.0"

from wrapped.errors import (
    ConfigError,
    InputError,
    LLMError,
    LLMHTTPError,
    WrappedError,
)
from wrapped.settings import Settings, load_settings
from wrapped.stats.model import InterestingDay, UserYear
from wrapped.story import Draft, PromptPair, Story, StoryRequest, Verdict


def __getattr__(name: str) -> object:
    """Stage entry points load lazily, so `import wrapped` stays cheap (no pandas, openai, ray)."""
    lazy = {
        "compute_user_years": ("wrapped.stats", "compute_user_years"),
        "iter_user_years": ("wrapped.stats", "iter_user_years"),
        "render": ("wrapped.prompts", "render"),
        "compose": ("wrapped.writer", "compose"),
        "make_backend": ("wrapped.generate", "make_backend"),
        "ChatClient": ("wrapped.llm", "ChatClient"),
        "Gate": ("wrapped.gate", "Gate"),
        "ListenerContext": ("wrapped.gate", "ListenerContext"),
        "describe_judge": ("wrapped.gate", "describe_judge"),
        "score_story": ("wrapped.gate", "score_story"),
        "write_listener": ("wrapped.generate", "write_listener"),
        "write_story": ("wrapped.generate", "write_story"),
        "run_generate": ("wrapped.batch.run", "run_generate"),
        "RunManifest": ("wrapped.store", "RunManifest"),
        "RunStore": ("wrapped.store", "RunStore"),
        "erase_user": ("wrapped.erase", "erase_user"),
    }
    if name not in lazy:
        raise AttributeError(f"module 'wrapped' has no attribute {name!r}")
    from importlib import import_module

    module, attr = lazy[name]
    return getattr(import_module(module), attr)


__all__ = [
    "ChatClient",
    "ConfigError",
    "Draft",
    "Gate",
    "InputError",
    "InterestingDay",
    "LLMError",
    "LLMHTTPError",
    "ListenerContext",
    "PromptPair",
    "RunManifest",
    "RunStore",
    "Settings",
    "Story",
    "StoryRequest",
    "UserYear",
    "Verdict",
    "WrappedError",
    "__version__",
    "compose",
    "compute_user_years",
    "describe_judge",
    "erase_user",
    "iter_user_years",
    "load_settings",
    "make_backend",
    "render",
    "run_generate",
    "score_story",
    "write_listener",
    "write_story",
]
