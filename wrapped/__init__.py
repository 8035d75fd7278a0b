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

__all__ = [
    "ConfigError",
    "Draft",
    "InputError",
    "InterestingDay",
    "LLMError",
    "LLMHTTPError",
    "PromptPair",
    "Settings",
    "Story",
    "StoryRequest",
    "UserYear",
    "Verdict",
    "WrappedError",
    "__version__",
    "load_settings",
]
