"""A requests/tokens-per-minute budget shared by every worker of a run, booked by leases.

The process-wide `RateLimiter` (wrapped.llm.limiter) keeps one process under the limits; a Ray
run has several worker processes, possibly on several machines. One Ray actor holds the run's
ledger (`BudgetActor`, a `LeaseBook`), and each worker installs a `LeasedLimiter` in its process
registry: every LLM request in the run (writer and judge alike) spends from a lease the worker
booked in advance, so no call waits on a round trip to the actor (see `wrapped.batch.lease` for
the design, and why leases rather than shards). A 429 seen by any worker pauses the whole run
for its Retry-After and shrinks every worker's lease.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
from typing import Any

import ray

from wrapped.batch.lease import MAX_PAUSE_S, Ask, Grant, LeaseBook, LeaseHolder
from wrapped.llm.limiter import Reservation


@ray.remote(num_cpus=0)
class BudgetActor:
    """The run's `LeaseBook`, one per run."""

    def __init__(self, rpm: int | None, tpm: int | None) -> None:
        self._book = LeaseBook(rpm, tpm)

    def exchange(self, ask: Ask) -> Grant:
        return self._book.exchange(ask)

    def penalize(self, retry_after: float | None) -> int:
        return self._book.penalize(retry_after)

    def ledger(self) -> tuple[int, int, int]:
        """Requests and tokens granted net of returns, and the exchanges served."""
        return self._book.granted_requests, self._book.granted_tokens, self._book.exchanges


class LeasedLimiter:
    """A `Limiter` for a worker process: spends leases booked from the run's `BudgetActor`.

    `acquire` is local (a lock and a few sums) unless the lease in hand is spent, which happens
    only when the book is pacing the run (or at start). The next lease is asked for when half
    of this one is left, and the answer lands through a callback on Ray's own thread, so it is
    applied whichever event loop (or none) is waiting for it."""

    def __init__(self, actor: ray.actor.ActorHandle, rpm: int | None, tpm: int | None) -> None:
        self._actor = actor
        self.rpm = rpm
        self.tpm = tpm
        self._holder = LeaseHolder(rpm, tpm)
        self._inflight: concurrent.futures.Future[Any] | None = None

    @property
    def enabled(self) -> bool:
        return True

    async def acquire(self, tokens: int = 0) -> Reservation:
        waited = 0.0
        loop = asyncio.get_running_loop()
        while True:
            take = self._holder.take(tokens)
            if take.send is not None:
                self._send(take.send)
            if take.ok:
                return Reservation(waited, tokens)
            t0 = loop.time()
            fut = self._inflight
            if take.wait_s > 0:
                await asyncio.sleep(take.wait_s)
            elif fut is not None and not fut.done():
                await asyncio.wait([asyncio.wrap_future(fut)])
            else:  # the answer is being applied on Ray's thread right now
                await asyncio.sleep(0.001)
            waited += loop.time() - t0

    def _send(self, ask: Ask) -> None:
        fut: concurrent.futures.Future[Any] = self._actor.exchange.remote(ask).future()
        self._inflight = fut
        fut.add_done_callback(self._granted)

    def _granted(self, fut: concurrent.futures.Future[Any]) -> None:
        try:
            grant = fut.result()
        except Exception:  # noqa: BLE001 - the actor is gone (the run is ending): allow a retry
            self._holder.failed()
            return
        self._holder.granted(grant)

    def settle(self, reserved: int, actual: int) -> None:
        self._holder.settle(reserved, actual)

    def penalize(self, retry_after: float | None) -> None:
        """Tell the book (which pauses every worker); drop this worker's lease on its answer."""
        after = min(MAX_PAUSE_S, retry_after) if retry_after is not None else None
        fut: concurrent.futures.Future[Any] = self._actor.penalize.remote(after).future()
        fut.add_done_callback(self._penalized)

    def _penalized(self, fut: concurrent.futures.Future[Any]) -> None:
        try:
            self._holder.penalize(fut.result())
        except Exception:  # noqa: BLE001 - the actor is gone: nothing left to slow down
            return

    async def aclose(self) -> None:
        """Hand everything held back to the book (the run's ledger then counts only what
        was spent)."""
        fut = self._inflight
        if fut is not None and not fut.done():
            await asyncio.wait([asyncio.wrap_future(fut)])
        await self._actor.exchange.remote(self._holder.give_back())
