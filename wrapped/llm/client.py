"""`ChatClient`: one chat-completion call done properly, over the real `openai` SDK.

Order of work per call: build the request (structured-output mode) → response cache →
rate limiter → SDK request (its own retries off) → finish_reason and schema checks → usage →
cache write. tenacity wraps everything after the cache lookup, with `should_retry` deciding.

The hot path calls `AsyncOpenAI.post("/chat/completions", content=..., cast_to=httpx2.Response)`
with the body already serialized (it is hashed for the cache key anyway), the SDK's
documented way to make a request it need not re-type (auth, headers, timeouts and status errors
are still the SDK's). `chat.completions.create()` sends the same request, but first walks every
message through the SDK's TypedDict transform and then builds a typed `ChatCompletion`, together
about 1 ms of CPU per call here for no change to our plain-JSON body and the four fields we read
(see benchmarks/bench_llm_client.py). `sdk_path="create"` switches back.

The reply's fields, its price and `Completion` live in `completion`; the SDK client of each event
loop, the request options and the in-flight cap in `sdk`.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Awaitable, Sequence
from typing import Any, Literal, NamedTuple

import httpx2
import openai
from pydantic import BaseModel

from wrapped.errors import ConfigError, LLMOutputError, WrappedError
from wrapped.llm import structured
from wrapped.llm.cache import (
    CachedResponse,
    ResponseCache,
    cache_key,
    default_cache_path,
    request_body,
)
from wrapped.llm.completion import Completion, cost_usd, reply_of
from wrapped.llm.limiter import Limiter, estimate_request_tokens, get_limiter
from wrapped.llm.retry import OutageBreaker, async_retrying, map_exception
from wrapped.llm.sdk import (
    NO_PLATFORM_HEADERS,
    LoopClient,
    close_with_loop,
    in_flight,
    post_options,
)
from wrapped.settings import Settings
from wrapped.story import Message, Usage

log = logging.getLogger("wrapped.llm")

OPENAI_URL = "https://api.openai.com/v1"
#: sent as the key to endpoints that need none (llama.cpp, the scripted server, vLLM ...)
PLACEHOLDER_KEY = "not-needed"


def _as_dicts(messages: Sequence[dict[str, Any] | Message]) -> list[dict[str, Any]]:
    return [m.model_dump() if isinstance(m, BaseModel) else dict(m) for m in messages]


class _Prepared(NamedTuple):
    """One call's request, built once and reused by every attempt."""

    body: dict[str, Any]
    content: bytes  # `body` as JSON, as sent
    key: str
    model: str
    schema: type[BaseModel] | None
    messages: list[dict[str, Any]]
    max_tokens: int | None


class ChatClient:
    """Chat completions with structured output, retries, a shared limiter, a cache and usage.

    Safe to share between many concurrent tasks. The async SDK client is created per event
    loop on first use (a connection pool belongs to one loop); a blocking caller runs
    `asyncio.run(client.complete(...))`, whose pool is closed with its loop.
    """

    def __init__(
        self,
        settings: Settings,
        *,
        base_url: str | None = None,
        api_key: str | None = None,
        model: str | None = None,
        cache: bool | None = None,
        transport: Literal["aiohttp", "httpx"] = "aiohttp",
        sdk_path: Literal["post", "create"] = "post",
    ) -> None:
        self.settings = settings
        self.base_url = (base_url or settings.base_url or OPENAI_URL).rstrip("/")
        self.model = model or settings.model
        key = api_key or (settings.api_key.get_secret_value() if settings.api_key else None)
        if not key:
            if self.base_url == OPENAI_URL:
                raise ConfigError(
                    "no API key for api.openai.com: set OPENAI_API_KEY, or use --backend embedded"
                )
            key = PLACEHOLDER_KEY  # local servers ignore it; the SDK insists on one
        self._key = key
        self.transport = transport
        self.sdk_path = sdk_path
        use_cache = settings.cache if cache is None else cache
        self._cache_path = (settings.cache_path or default_cache_path()) if use_cache else None
        self._cache: ResponseCache | None = None
        self.limiter: Limiter = get_limiter(self.base_url, settings.rpm, settings.tpm)
        self.breaker = OutageBreaker(settings.outage_after)
        self._aclients: dict[int, LoopClient] = {}
        self.default_params: dict[str, Any] = {
            "temperature": settings.temperature,
            "max_tokens": settings.max_tokens,
        }

    def __repr__(self) -> str:  # never show the key
        return f"ChatClient(base_url={self.base_url!r}, model={self.model!r})"

    # -- SDK clients ------------------------------------------------------------------------

    def _timeout(self) -> httpx2.Timeout:
        t = self.settings.timeout_s
        return httpx2.Timeout(t, connect=min(10.0, t), pool=t)

    def _limits(self) -> httpx2.Limits:
        # Writer and judge calls of one shard share the pool: room for both at full concurrency.
        n = max(8, 2 * self.settings.concurrency)
        return httpx2.Limits(max_connections=n, max_keepalive_connections=n, keepalive_expiry=30)

    async def _async_client(self) -> openai.AsyncOpenAI:
        loop = asyncio.get_running_loop()
        entry = self._aclients.get(id(loop))
        if entry is not None and entry.loop is loop:
            return entry.client
        http: httpx2.AsyncClient
        if self.transport == "aiohttp":
            http = openai.DefaultAioHttpClient(timeout=self._timeout(), limits=self._limits())
        else:
            http = openai.DefaultAsyncHttpx2Client(timeout=self._timeout(), limits=self._limits())
        client = openai.AsyncOpenAI(
            base_url=self.base_url,
            api_key=self._key,
            max_retries=0,
            http_client=http,
            default_headers=NO_PLATFORM_HEADERS,
        )
        # Close the pool when its loop shuts down (asyncio.run finalises async generators),
        # so a caller that runs one loop per call (a sync judge) leaks no connections.
        closer = close_with_loop(client)
        await closer.__anext__()
        self._aclients = {k: v for k, v in self._aclients.items() if not v.loop.is_closed()}
        self._aclients[id(loop)] = LoopClient(loop, client, closer)
        return client

    def _cache_db(self) -> ResponseCache | None:
        if self._cache is None and self._cache_path is not None:
            self._cache = ResponseCache(self._cache_path)
        return self._cache

    async def aclose(self) -> None:
        """Close the SDK clients of the current loop (others are dropped) and the cache."""
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            loop = None
        for owner, _client, closer in list(self._aclients.values()):
            if owner is loop:
                await closer.aclose()
        self._aclients.clear()
        self.close()

    def close(self) -> None:
        """Close the cache file (the SDK clients belong to their loops: see `aclose`)."""
        if self._cache is not None:
            self._cache.close()
            self._cache = None

    # -- one call ---------------------------------------------------------------------------

    def _prepare(
        self,
        messages: Sequence[dict[str, Any] | Message],
        schema: type[BaseModel] | None,
        model: str | None,
        params: dict[str, Any] | None,
        use_cache: bool = True,
    ) -> _Prepared:
        model = model or self.model
        merged = {**self.default_params, **(params or {})}
        msgs = _as_dicts(messages)
        schema_key = None
        if schema is not None:
            mode = self.settings.structured_output
            msgs = structured.with_instruction(msgs, schema, mode)
            fmt = structured.response_format(schema, mode)
            if fmt is not None:
                merged["response_format"] = fmt
            schema_key = structured.strict_schema_key(schema)
        body = {"model": model, "messages": msgs, **merged}
        content = request_body(body)
        key = ""
        if use_cache and self._cache_path is not None:
            key = cache_key(content, schema_key)
        return _Prepared(body, content, key, model, schema, msgs, merged.get("max_tokens"))

    def _from_cache(self, prep: _Prepared, use_cache: bool, t0: float) -> Completion | None:
        db = self._cache_db() if use_cache and prep.key else None
        hit = db.get(prep.key) if db is not None else None
        if hit is None:
            return None
        parsed = structured.parse_output(hit.text, prep.schema) if prep.schema else None
        usage = Usage(cached_calls=1, latency_s=time.perf_counter() - t0)
        return Completion(
            text=hit.text,
            parsed=parsed,
            usage=usage,
            cached=True,
            model=prep.model,
            finish_reason=hit.finish_reason,
        )

    def _accept(self, prep: _Prepared, resp: Any, paid: list[Usage], latency: float) -> Completion:
        """Check one 200 reply; its tokens are paid for whether or not the output is usable."""
        try:
            reply = reply_of(resp)
        except (ValueError, KeyError, IndexError, TypeError, AttributeError):
            paid.append(Usage(calls=1, latency_s=latency))  # billed, but unreadable
            raise LLMOutputError(
                f"{self.base_url} sent a 200 that is not a valid chat completion"
            ) from None
        pt, ct = reply.prompt_tokens, reply.completion_tokens
        call = Usage(
            calls=1,
            prompt_tokens=pt,
            completion_tokens=ct,
            cost_usd=cost_usd(prep.model, pt, ct, self.settings.prices),
            latency_s=latency,
        )
        paid.append(call)
        if reply.finish_reason == "length":
            raise LLMOutputError(
                f"the reply was cut off at max_tokens={prep.max_tokens} (finish_reason=length)"
            )
        if reply.finish_reason == "content_filter":
            raise LLMOutputError("the endpoint's content filter stopped the reply")
        parsed = structured.parse_output(reply.text, prep.schema) if prep.schema else None
        return Completion(
            text=reply.text, parsed=parsed, usage=call, model=reply.model or prep.model,
            finish_reason=reply.finish_reason,
        )  # fmt: skip

    def _finish(
        self, prep: _Prepared, done: Completion, paid: list[Usage], attempts: int, t0: float,
        use_cache: bool, user_id: str | None,
    ) -> Completion:  # fmt: skip
        total = sum(paid, Usage())
        total.latency_s = time.perf_counter() - t0
        db = self._cache_db() if use_cache and prep.key else None
        if db is not None:
            db.put(
                prep.key,
                model=prep.model,
                user_id=user_id,
                response=CachedResponse(
                    done.text,
                    done.finish_reason,
                    done.usage.prompt_tokens,
                    done.usage.completion_tokens,
                ),
            )
        return done.model_copy(update={"usage": total, "attempts": attempts})

    def _annotate(self, exc: BaseException, attempts: int, t0: float) -> BaseException:
        """Say why retrying stopped, on the error the caller will see."""
        if not isinstance(exc, WrappedError):
            return exc
        notes = []
        if attempts > 1:
            notes.append(f"gave up after {attempts} attempts")
        after = getattr(exc, "retry_after", None)
        budget = self.settings.max_retry_s
        if after and time.perf_counter() - t0 + after >= budget:
            notes.append(f"its Retry-After of {after:g}s is past the retry budget ({budget:g}s)")
        if notes:
            exc.message = f"{exc.message} ({'; '.join(notes)})"
            exc.args = (exc.message,)
        return exc

    async def complete(
        self,
        messages: Sequence[dict[str, Any] | Message],
        *,
        schema: type[BaseModel] | None = None,
        model: str | None = None,
        params: dict[str, Any] | None = None,
        user_id: str | None = None,
        cache: bool = True,
    ) -> Completion:
        """One chat completion. `schema` asks for (and validates) structured output;
        `user_id` (pseudonymous) tags the cache row for erasure; `cache=False` bypasses it."""
        t0 = time.perf_counter()
        prep = self._prepare(messages, schema, model, params, cache)
        hit = self._from_cache(prep, cache, t0)
        if hit is not None:
            return hit
        client = await self._async_client()
        paid: list[Usage] = []
        estimate = estimate_request_tokens(prep.messages, prep.max_tokens)
        try:
            # The first try runs outside tenacity: nearly every call succeeds at once, and the
            # loop's bookkeeping was ~5% of a worker's py-spy samples (2.2% of its instructions,
            # callgrind). A failure becomes the loop's first attempt, so which errors are
            # retried, the waits and the budget are the loop's, as if it had run from the start.
            done = await self._attempt(client, prep, paid, estimate, 0)
            attempts = 1
        except Exception as first:  # noqa: BLE001 - the retry policy decides, not this line
            try:
                done, attempts = await self._retry(client, prep, paid, estimate, first, t0)
            except Exception as exc:  # noqa: BLE001 - re-raised, as an outage once tripped
                raise self.breaker.failed(exc) from None
        self.breaker.ok()
        return self._finish(prep, done, paid, attempts, t0, cache, user_id)

    async def _attempt(
        self, client: openai.AsyncOpenAI, prep: _Prepared, paid: list[Usage], estimate: int,
        retries: int,
    ) -> Completion:  # fmt: skip
        """One request through the SDK (`retries` taken before it): budget, in-flight cap,
        then the reply checked."""
        res = await self.limiter.acquire(estimate)
        t1 = time.perf_counter()
        try:
            async with in_flight(self.settings.concurrency):
                resp = await self._send(client, prep, retries)
        except Exception as exc:
            raise self._failed(exc, prep, paid, t1) from None
        return self._settled(prep, resp, paid, t1, res.tokens)

    def _send(self, client: openai.AsyncOpenAI, prep: _Prepared, retries: int) -> Awaitable[Any]:
        """The SDK request, to await. "post" sends the body bytes serialized once in
        `_prepare`; "create" lets the SDK build them (the same request, for comparison)."""
        options = post_options(retries)
        if self.sdk_path == "create":
            return client.chat.completions.create(**prep.body, extra_headers=options["headers"])
        return client.post(
            "/chat/completions", content=prep.content, cast_to=httpx2.Response, options=options
        )

    def _failed(
        self, exc: Exception, prep: _Prepared, paid: list[Usage], t1: float
    ) -> BaseException:
        """The error to raise for a request that failed (a 200 with a broken body is paid)."""
        if isinstance(exc, json.JSONDecodeError):
            paid.append(Usage(calls=1, latency_s=time.perf_counter() - t1))
        mapped = map_exception(exc, base_url=self.base_url, model=prep.model, secret=self._key)
        if getattr(mapped, "status", None) == 429:  # the shared budget slows everyone down
            self.limiter.penalize(getattr(mapped, "retry_after", None))
        return mapped

    def _settled(
        self, prep: _Prepared, resp: Any, paid: list[Usage], t1: float, reserved: int
    ) -> Completion:
        """`_accept` the reply, and settle the token budget with what was actually paid."""
        n_paid = len(paid)
        try:
            return self._accept(prep, resp, paid, time.perf_counter() - t1)
        finally:
            if len(paid) > n_paid:
                used = paid[-1].prompt_tokens + paid[-1].completion_tokens
                self.limiter.settle(reserved, used)

    async def _retry(
        self, client: openai.AsyncOpenAI, prep: _Prepared, paid: list[Usage], estimate: int,
        first: BaseException, t0: float,
    ) -> tuple[Completion, int]:  # fmt: skip
        """tenacity's loop after a failed first attempt, which it books as its own first."""
        attempts = 1
        failed: BaseException | None = first
        started = time.monotonic() - (time.perf_counter() - t0)
        try:
            async for attempt in async_retrying(self.settings, started):
                with attempt:
                    if failed is not None:
                        exc, failed = failed, None
                        raise exc
                    attempts += 1
                    done = await self._attempt(client, prep, paid, estimate, attempts - 1)
        except Exception as exc:
            raise self._annotate(exc, attempts, t0) from None
        return done, attempts
