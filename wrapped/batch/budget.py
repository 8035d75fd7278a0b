"""A requests/tokens-per-minute budget shared by every worker of a run.

One Ray actor holds the budget; a worker asks it for a reservation before each LLM request and
sleeps for the delay it is given (GCRA: reservations always succeed, later ones wait longer), so
the whole cluster stays under the limits no matter how many workers there are.
"""

from __future__ import annotations

import asyncio
import time

import ray


class Bucket:
    """Generic cell rate algorithm over one quantity (requests or tokens) per minute."""

    def __init__(self, per_minute: float, burst_s: float = 1.0) -> None:
        self.rate = per_minute / 60.0
        self.tau = max(1.0, self.rate * burst_s) / self.rate  # tolerated burst, in seconds
        self.tat = 0.0  # theoretical arrival time

    def reserve(self, amount: float, now: float) -> float:
        t = amount / self.rate
        tat = max(self.tat, now)
        delay = max(0.0, tat + t - self.tau - now)
        self.tat = tat + t
        return delay


class Budget:
    """Both buckets; `reserve` returns how long the caller must wait before sending."""

    def __init__(self, rpm: int | None, tpm: int | None) -> None:
        self.requests = Bucket(rpm) if rpm else None
        self.tokens = Bucket(tpm) if tpm else None

    def reserve(self, tokens: int = 0) -> float:
        now = time.monotonic()
        delay = 0.0
        if self.requests is not None:
            delay = max(delay, self.requests.reserve(1, now))
        if self.tokens is not None and tokens:
            delay = max(delay, self.tokens.reserve(tokens, now))
        return delay


@ray.remote(num_cpus=0)
class BudgetActor:
    def __init__(self, rpm: int | None, tpm: int | None) -> None:
        self._budget = Budget(rpm, tpm)

    def reserve(self, tokens: int = 0) -> float:
        return self._budget.reserve(tokens)


class RemoteLimiter:
    """The worker-side handle: `await acquire(tokens)` waits for the shared budget."""

    def __init__(self, actor: ray.actor.ActorHandle) -> None:
        self._actor = actor

    async def acquire(self, tokens: int = 0) -> None:
        delay = await self._actor.reserve.remote(tokens)
        if delay > 0:
            await asyncio.sleep(delay)
