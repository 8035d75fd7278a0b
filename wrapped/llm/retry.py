"""The one retry policy: which failures are worth another try, and how long to wait.

The SDK's own retries are off (`max_retries=0`), so this module is the only place a call is
ever repeated. `should_retry` is the single predicate (inspect's `ModelAPI.should_retry`);
`map_exception` turns SDK/transport exceptions into `wrapped.errors` types with one clear,
key-free message; `async_retrying` builds the tenacity loop with bounded attempts and time. (The async client makes a call's first attempt before entering the loop and
hands it a failure as the loop's own first attempt: see `ChatClient.complete`.)
"""

from __future__ import annotations

import email.utils
import json
import logging
import random
import time
from datetime import UTC, datetime
from typing import Any

import openai
from tenacity import (
    AsyncRetrying,
    RetryCallState,
    retry_if_exception,
    stop_after_attempt,
    stop_before_delay,
)
from tenacity.stop import stop_base

from wrapped.errors import (
    LLMAuthError,
    LLMError,
    LLMHTTPError,
    LLMOutageError,
    LLMOutputError,
    LLMTimeoutError,
)

log = logging.getLogger("wrapped.llm")

#: statuses that are worth another try (rate limit, timeout, conflict, server side)
RETRY_STATUSES = frozenset({408, 409, 429})
#: the longest Retry-After we honour before treating it as "give up" (the total budget decides)
MAX_RETRY_AFTER_S = 600.0


class LLMConnectionError(LLMError):
    """The endpoint could not be reached or dropped the connection (retryable).

    Lives here rather than in `wrapped.errors` because that module is a shared contract;
    it is an `LLMError`, so callers that catch `LLMError` see it.
    """


def should_retry(exc: BaseException) -> bool:
    """True when another attempt may succeed: 429/408/409/5xx, timeouts, drops, bad output.

    Accepts both our own error types and raw SDK exceptions, so a caller that holds either
    can ask the same question. `FATAL_HTTP_STATUSES` (400/401/403/404) and anything unknown
    fail fast.
    """
    if isinstance(exc, LLMAuthError):
        return False
    if isinstance(exc, LLMHTTPError):
        return _retryable_status(exc.status)
    if isinstance(exc, LLMTimeoutError | LLMConnectionError | LLMOutputError):
        return True
    if isinstance(exc, openai.APIStatusError):
        return _retryable_status(exc.status_code)
    if isinstance(exc, openai.APIConnectionError):  # includes APITimeoutError
        return True
    if isinstance(exc, openai.APIResponseValidationError | json.JSONDecodeError):
        # an unparseable 200 body (malformed JSON) is bad output, not a bad request
        return True
    return False


def is_outage(exc: BaseException) -> bool:
    """A failure of availability rather than of the reply: unreachable, timed out, 429 or 5xx
    (an unusable reply, `LLMOutputError`, is the story's problem and is not one)."""
    if isinstance(exc, LLMAuthError):
        return False
    if isinstance(exc, LLMHTTPError):
        return _retryable_status(exc.status)
    return isinstance(exc, LLMTimeoutError | LLMConnectionError)


class OutageBreaker:
    """Trips after `after` calls in a row ran out of retries on an outage, with no success in
    between. One such call can be bad luck on a flaky endpoint (its story falls back, as
    before); several in a row, with nothing getting through, is an endpoint that is down."""

    def __init__(self, after: int) -> None:
        self.after = max(1, after)
        self.streak = 0

    def ok(self) -> None:
        self.streak = 0

    def failed(self, exc: BaseException) -> BaseException:
        """The error to raise for a call that gave up: `exc`, or an `LLMOutageError` once
        tripped."""
        if not is_outage(exc):
            return exc
        self.streak += 1
        if self.streak < self.after:
            return exc
        message = getattr(exc, "message", str(exc))
        return LLMOutageError(f"{message}; {self.streak} calls in a row gave up, none got through")


def _retryable_status(status: int) -> bool:
    return status in RETRY_STATUSES or status >= 500


def parse_retry_after(headers: Any, *, now: datetime | None = None) -> float | None:
    """Seconds to wait from `Retry-After` (seconds or HTTP date) or `retry-after-ms`; else None."""
    if headers is None:
        return None
    ms = headers.get("retry-after-ms")
    if ms:
        try:
            return max(0.0, float(ms) / 1000.0)
        except ValueError:
            pass
    value = headers.get("retry-after")
    if not value:
        return None
    try:
        return min(MAX_RETRY_AFTER_S, max(0.0, float(value)))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    delta = (when - (now or datetime.now(UTC))).total_seconds()
    return min(MAX_RETRY_AFTER_S, max(0.0, delta))


def _scrub(text: str, secret: str | None) -> str:
    if secret:
        text = text.replace(secret, "***")
    return text


def map_exception(
    exc: BaseException, *, base_url: str, model: str, secret: str | None = None
) -> BaseException:
    """An SDK/transport exception as a `wrapped.errors` type with one user-facing line.

    401/403 never echo the server's body (some servers quote part of the key); every other
    message is scrubbed of the key as well, in case a proxy reflects headers.
    """
    if isinstance(exc, LLMError):
        return exc
    where = base_url or "the endpoint"
    if isinstance(exc, openai.APIStatusError):
        status = exc.status_code
        retry_after = parse_retry_after(exc.response.headers if exc.response else None)
        if status in (401, 403):
            what = "rejected the API key" if status == 401 else "refused access with this API key"
            return LLMAuthError(
                f"{where} {what} (HTTP {status}) for model '{model}': check OPENAI_API_KEY "
                "(or WRAPPED_API_KEY) and that it is meant for this endpoint",
                status=status,
            )
        if status == 404:
            return LLMHTTPError(
                f"{where} answered 404 for model '{model}': check the model name (--model) "
                "and the endpoint (OPENAI_BASE_URL)",
                status=status,
            )
        detail = _scrub(_error_detail(exc), secret)
        if status == 400:
            return LLMHTTPError(
                f"{where} rejected the request (HTTP 400) for model '{model}': {detail}",
                status=status,
            )
        return LLMHTTPError(
            f"{where} answered HTTP {status} for model '{model}': {detail}",
            status=status,
            retry_after=retry_after,
        )
    if isinstance(exc, openai.APITimeoutError) and not _refused(exc):
        return LLMTimeoutError(f"{where} did not answer in time (model '{model}')")
    if isinstance(exc, openai.APIConnectionError):
        cause = exc.__cause__ or exc.__context__
        why = f": {type(cause).__name__}" if cause else ""
        return LLMConnectionError(f"cannot reach {where}{why}")
    if isinstance(exc, openai.APIResponseValidationError | json.JSONDecodeError):
        return LLMOutputError(
            f"{where} sent a response that is not a valid chat completion ({type(exc).__name__})"
        )
    return exc


def _refused(exc: BaseException) -> bool:
    """True when a "timeout" was really a refused/failed connect (the SDK's aiohttp transport
    reports every connector error as a connect timeout)."""
    seen: BaseException | None = exc.__cause__ or exc.__context__
    for _ in range(8):
        if seen is None:
            return False
        if isinstance(seen, ConnectionError) or type(seen).__name__ == "ClientConnectorError":
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def _error_detail(exc: openai.APIStatusError) -> str:
    body = exc.body
    if isinstance(body, dict):
        msg = body.get("message") or (body.get("error") or {}).get("message")
        if isinstance(msg, str) and msg:
            return msg[:300]
    return (exc.message or type(exc).__name__)[:300]


_RNG = random.Random()  # one per process: seeding a new one per call costs more than the call


class BackoffWait:
    """Exponential backoff with full jitter, never shorter than the server's Retry-After."""

    def __init__(self, initial: float, maximum: float, *, rng: random.Random | None = None) -> None:
        self.initial = initial
        self.maximum = maximum
        self.rng = rng or _RNG

    def __call__(self, state: RetryCallState) -> float:
        n: int = max(1, state.attempt_number)
        ceiling: float = min(self.maximum, self.initial * (2 ** (n - 1)))
        backoff = ceiling / 2 + self.rng.uniform(0, ceiling / 2)  # jitter in [c/2, c]
        exc = state.outcome.exception() if state.outcome else None
        retry_after = getattr(exc, "retry_after", None) or 0.0
        return max(backoff, float(retry_after))


def _log_retry(state: RetryCallState) -> None:
    exc = state.outcome.exception() if state.outcome else None
    wait = state.next_action.sleep if state.next_action else 0.0
    log.warning(
        "LLM call attempt %d failed (%s); retrying in %.2fs", state.attempt_number, exc, wait
    )


class stop_before_deadline(stop_base):  # noqa: N801 - named like tenacity's own stops
    """tenacity's `stop_before_delay` with the clock started by the caller (`time.monotonic()`
    at `started`), not by the loop: the async client makes its first attempt before entering
    the loop, and that attempt's time counts against the budget too."""

    def __init__(self, max_delay: float, started: float) -> None:
        self.max_delay = max_delay
        self.started = started

    def __call__(self, retry_state: RetryCallState) -> bool:
        at = retry_state.outcome_timestamp or time.monotonic()
        return at - self.started + retry_state.upcoming_sleep >= self.max_delay


def retry_kwargs(
    max_attempts: int,
    max_retry_s: float,
    initial: float,
    maximum: float,
    started: float | None = None,
) -> dict[str, Any]:
    """The tenacity configuration of the one retry policy; `started` (a `time.monotonic()`)
    starts the time budget before the loop does."""
    budget = (
        stop_before_delay(max_retry_s)
        if started is None
        else stop_before_deadline(max_retry_s, started)
    )
    return dict(
        retry=retry_if_exception(should_retry),
        stop=stop_after_attempt(max(1, max_attempts)) | budget,
        wait=BackoffWait(initial, maximum),
        before_sleep=_log_retry,
        reraise=True,
    )


def async_retrying(settings: Any, started: float | None = None) -> AsyncRetrying:
    """tenacity's async loop for one call, bounded by attempts and total time (counted from
    `started`, a `time.monotonic()`, when the call began before the loop)."""
    return AsyncRetrying(
        **retry_kwargs(
            settings.max_attempts,
            settings.max_retry_s,
            settings.backoff_initial_s,
            settings.backoff_max_s,
            started,
        )
    )
