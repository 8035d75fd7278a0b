"""Client-side requests/minute and tokens/minute limits, shared by everything in a process.

Providers enforce per-key limits; going over them only buys 429s and backoff. A limiter per
endpoint lives in a module-level registry, so a shard's writer calls, the judge and anything
else in the same process draw from the same budget.

The buckets are reservation based: `reserve()` books capacity under a `threading.Lock` and
returns how long the caller must wait, then the caller sleeps outside the lock (`asyncio.sleep`
or `time.sleep`). So the same limiter works from any event loop and any thread, and waiting
callers are served in booking order.

`Limiter` is what the client needs of one: `RateLimiter` here, or the batch run's proxy to a
limiter shared by every worker (`wrapped.batch.budget.LeasedLimiter`).
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Sequence
from typing import Any, NamedTuple, Protocol

from wrapped.tokens import estimate_tokens


class _Bucket:
    """A token bucket that may go into debt; debt is the queue of booked-but-unserved work."""

    def __init__(self, per_minute: float, burst_s: float) -> None:
        self.rate = per_minute / 60.0
        # At most `burst_s` seconds' worth at once (never less than one unit), so a full
        # minute's budget is not fired in the first instant and then refused for 59 s.
        self.capacity = max(1.0, self.rate * burst_s)
        self.tokens = self.capacity
        self.stamp = time.monotonic()

    def reserve(self, amount: float, now: float) -> float:
        self.tokens = min(self.capacity, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        # A single request larger than the bucket would wait forever: charge at most capacity.
        self.tokens -= min(amount, self.capacity)
        return 0.0 if self.tokens >= 0 else -self.tokens / self.rate

    def adjust(self, delta: float) -> None:
        """Give back (delta < 0) or charge (delta > 0) tokens once the real usage is known."""
        self.tokens = min(self.capacity, self.tokens - delta)


class Reservation(NamedTuple):
    wait_s: float
    tokens: int


class Limiter(Protocol):
    """What `ChatClient` needs of a limiter: wait for a slot, then settle the real usage."""

    rpm: int | None
    tpm: int | None

    async def acquire(self, tokens: int = 0) -> Reservation: ...

    def settle(self, reserved: int, actual: int) -> None: ...

    def penalize(self, retry_after: float | None) -> None:
        """The endpoint answered 429 (with this Retry-After, if any)."""
        ...


class RateLimiter:
    """RPM and TPM limits for one endpoint. Either may be None (unlimited)."""

    def __init__(self, rpm: int | None = None, tpm: int | None = None, burst_s: float = 1.0):
        self._lock = threading.Lock()
        self.rpm = rpm
        self.tpm = tpm
        self._requests = _Bucket(rpm, burst_s) if rpm else None
        self._tokens = _Bucket(tpm, burst_s) if tpm else None

    @property
    def enabled(self) -> bool:
        return self._requests is not None or self._tokens is not None

    def reserve(self, tokens: int = 0) -> Reservation:
        """Book one request of about `tokens` tokens; returns how long to wait before sending."""
        if not self.enabled:
            return Reservation(0.0, tokens)
        with self._lock:
            now = time.monotonic()
            wait = 0.0
            if self._requests is not None:
                wait = max(wait, self._requests.reserve(1, now))
            if self._tokens is not None:
                wait = max(wait, self._tokens.reserve(tokens, now))
            return Reservation(wait, tokens)

    def settle(self, reserved: int, actual: int) -> None:
        """Correct the token bucket with the real usage of a finished call."""
        if self._tokens is None or actual <= 0:
            return
        with self._lock:
            self._tokens.adjust(actual - reserved)

    def penalize(self, retry_after: float | None) -> None:
        """Nothing beyond the failed call's own wait (the retry policy honours Retry-After):
        a run-wide pause belongs to the run's shared budget (`wrapped.batch.budget`), and a
        Retry-After past a call's retry budget must not stall the other calls of a process."""

    async def acquire(self, tokens: int = 0) -> Reservation:
        """Wait (asynchronously) until one request of ~`tokens` tokens may be sent."""
        res = self.reserve(tokens)
        if res.wait_s > 0:
            await asyncio.sleep(res.wait_s)
        return res


_REGISTRY: dict[str, Limiter] = {}
_REGISTRY_LOCK = threading.Lock()


def get_limiter(endpoint: str, rpm: int | None, tpm: int | None) -> Limiter:
    """The process-wide limiter for `endpoint`; re-created if its configured limits change."""
    key = endpoint.rstrip("/")
    with _REGISTRY_LOCK:
        current = _REGISTRY.get(key)
        if current is None or current.rpm != rpm or current.tpm != tpm:
            current = RateLimiter(rpm, tpm)
            _REGISTRY[key] = current
        return current


def estimate_request_tokens(messages: Sequence[dict[str, Any]], max_tokens: int | None) -> int:
    """A cheap upper-ish estimate of one request for the TPM bucket: the messages' text
    (`wrapped.tokens.estimate_tokens`), a few tokens of framing each, and the reply cap."""
    text = sum(estimate_tokens(str(m.get("content", ""))) for m in messages)
    return text + 8 * len(messages) + int(max_tokens or 0)


def register_limiter(endpoint: str, limiter: Limiter) -> None:
    """Install `limiter` as `endpoint`'s process-wide limiter — how a batch worker joins the
    run's shared budget."""
    with _REGISTRY_LOCK:
        _REGISTRY[endpoint.rstrip("/")] = limiter
