"""A requests/tokens-per-minute budget shared by every worker of a run.

The process-wide `RateLimiter` (wrapped.llm.limiter) keeps one process under the limits; a Ray
run has several worker processes, possibly on several machines. So one Ray actor holds the
run's `RateLimiter`, and each worker installs a `RemoteLimiter` proxy in its process registry:
every LLM request in the run (writer and judge alike) books its slot with the same actor.
"""

from __future__ import annotations

import asyncio

import ray

from wrapped.llm.limiter import RateLimiter, Reservation


@ray.remote(num_cpus=0)
class BudgetActor:
    def __init__(self, rpm: int | None, tpm: int | None) -> None:
        self._limiter = RateLimiter(rpm, tpm)

    def reserve(self, tokens: int = 0) -> float:
        return self._limiter.reserve(tokens).wait_s

    def settle(self, reserved: int, actual: int) -> None:
        self._limiter.settle(reserved, actual)


class RemoteLimiter:
    """Drop-in for `RateLimiter` in a worker process; the booking happens in the actor."""

    def __init__(self, actor: ray.actor.ActorHandle, rpm: int | None, tpm: int | None) -> None:
        self._actor = actor
        self.rpm = rpm
        self.tpm = tpm

    @property
    def enabled(self) -> bool:
        return True

    async def acquire(self, tokens: int = 0) -> Reservation:
        wait = await self._actor.reserve.remote(tokens)
        if wait > 0:
            await asyncio.sleep(wait)
        return Reservation(wait, tokens)

    def settle(self, reserved: int, actual: int) -> None:
        self._actor.settle.remote(reserved, actual)
