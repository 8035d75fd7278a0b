"""The openai SDK side of `ChatClient`: one SDK client per event loop, request options, the
process's cap on requests in flight."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator
from typing import Any, NamedTuple

import openai

from wrapped.turns import loop_local


async def close_with_loop(client: openai.AsyncOpenAI) -> AsyncGenerator[None, None]:
    """Started once, it closes `client` when its loop finalises async generators (loop end)."""
    try:
        yield
    finally:
        await client.close()


class LoopClient(NamedTuple):
    """An event loop's SDK client, and the generator that closes it when the loop ends."""

    loop: asyncio.AbstractEventLoop
    client: openai.AsyncOpenAI
    closer: AsyncGenerator[None, None]


#: `post(content=...)` sends bytes as they are; they are JSON (`request_body`)
_JSON_BODY: Any = {"headers": {"Content-Type": "application/json"}}


def post_options(retries: int) -> Any:
    """The request options of one attempt. The SDK sends `X-Stainless-Retry-Count` with every
    request and counts only its own retries, which are off (`max_retries=0`: tenacity retries,
    see `wrapped.llm.retry`), so it would tell the provider 0 on every retry; the header
    carries the retries taken by this call instead, for the provider's logs and rate limiter."""
    if retries == 0:
        return _JSON_BODY
    return {"headers": {**_JSON_BODY["headers"], "X-Stainless-Retry-Count": str(retries)}}


#: The SDK's platform headers are left out of every request: the endpoint needs none of them,
#: so a provider is not told the job machine's OS, CPU architecture, Python runtime and
#: library versions, and each request has 7 fewer headers for httpx to build and normalize
#: (with the reply read by `jsonfast`, the worker path's instructions per story fell 3%,
#: callgrind). The SDK's own way to drop a default header is `omit`.
_PLATFORM_HEADERS = (
    "X-Stainless-Lang",
    "X-Stainless-Package-Version",
    "X-Stainless-OS",
    "X-Stainless-Arch",
    "X-Stainless-Runtime",
    "X-Stainless-Runtime-Version",
    "X-Stainless-Async",
)
NO_PLATFORM_HEADERS: dict[str, Any] = {h: openai.omit for h in _PLATFORM_HEADERS}

_IN_FLIGHT: dict[Any, tuple[asyncio.AbstractEventLoop, asyncio.Semaphore]] = {}


def in_flight(limit: int) -> asyncio.Semaphore:
    """The process's cap on LLM requests in flight (per event loop): writer and judge calls
    share it, so `--concurrency N` means N requests at once, whichever client sends them."""
    n = max(1, int(limit))
    return loop_local(_IN_FLIGHT, lambda _loop: asyncio.Semaphore(n), n)
