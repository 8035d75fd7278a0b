"""Prompts: versioned Jinja templates rendered into the exact messages for one story.

`render(request, settings=..., block=...)` -> `PromptPair`; the listener's data travels in one
delimited JSON block (`build_data_block`, from the listener's shared `listener_base`, which the
caller builds once per listener; `extract_data_block` parses it back); a version is identified
by the hash of its files (`load_version`, `list_versions`).
"""

from __future__ import annotations

from wrapped.prompts.datablock import (
    CLOSE,
    OPEN,
    DataBlock,
    ListenerBase,
    build_data_block,
    cap_log,
    extract_data_block,
    extract_from_messages,
    listener_base,
    request_from_data,
)
from wrapped.prompts.locale import SpellingFamily, spelling_family
from wrapped.prompts.render import format_messages, render, render_judge, render_template
from wrapped.prompts.sanitize import SafeYear, safe_year
from wrapped.prompts.versions import (
    PromptMeta,
    PromptVersion,
    list_versions,
    load_version,
    version_hash,
)

__all__ = [
    "CLOSE",
    "OPEN",
    "DataBlock",
    "ListenerBase",
    "PromptMeta",
    "PromptVersion",
    "SafeYear",
    "SpellingFamily",
    "build_data_block",
    "cap_log",
    "extract_data_block",
    "extract_from_messages",
    "format_messages",
    "list_versions",
    "listener_base",
    "load_version",
    "render",
    "render_judge",
    "render_template",
    "request_from_data",
    "safe_year",
    "spelling_family",
    "version_hash",
]
