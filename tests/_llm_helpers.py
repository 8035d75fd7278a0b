"""Helpers for the LLM client and scripted-server tests (no network: loopback only)."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

from wrapped.settings import Settings

REPO = Path(__file__).resolve().parent.parent

#: a key that must never appear in a log, a message or a file
SECRET_KEY = "sk-wrapped-test-DO-NOT-LEAK-7f3a9c1e5b"


def llm_settings(base_url: str, tmp_path: Path, **overrides: Any) -> Settings:
    """Settings for a client test: fast backoff, a cache file in tmp_path, no real key."""
    values: dict[str, Any] = {
        "base_url": base_url,
        "model": "scripted",
        "backend": "scripted",
        "cache": False,
        "cache_path": tmp_path / "llm_cache.sqlite3",
        "backoff_initial_s": 0.01,
        "backoff_max_s": 0.05,
        "max_attempts": 4,
        "max_retry_s": 30.0,
        "timeout_s": 5.0,
        "prompts_dir": REPO / "prompts",
    }
    values.update(overrides)
    return Settings(**values)


def data_messages(user_id: str = "u_0000000000000001", day: str = "2024-03-01", attempt: int = 1,
                  note: str = "") -> list[dict]:  # fmt: skip
    """A minimal chat carrying one data block (enough for the server to log user and day)."""
    block = {
        "request": {"day": day, "category": "biggest_music_day", "locale": "en-GB",
                    "attempt": attempt},
        "listener": {"user_id": user_id},
        "previous_stories": [],
        "feedback": [],
    }  # fmt: skip
    return [
        {"role": "system", "content": f"You write short stories. {note}".strip()},
        {
            "role": "user",
            "content": f"<listener_data>\n{json.dumps(block, sort_keys=True)}\n</listener_data>",
        },
    ]


def run(coro):
    """Run one coroutine on a fresh loop (each test owns its loop)."""
    return asyncio.run(coro)


def cache_writer(path: str, start: int, n: int) -> None:
    """A worker process's share of cache writes (for the multi-process cache test)."""
    from wrapped.llm.cache import CachedResponse, ResponseCache

    cache = ResponseCache(path)
    for i in range(start, start + n):
        cache.put(
            f"k{i}", model="m", user_id=f"u{i % 3}", response=CachedResponse("t", "stop", 1, 1)
        )
    cache.close()
