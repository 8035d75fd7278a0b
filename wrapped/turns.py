"""CPU-heavy steps take turns, one per pass of the event loop, so replies are not kept waiting.

A worker keeps dozens of listeners in flight on one event loop. Each story alternates between
waiting on the LLM and a few milliseconds of pure CPU (the prompt, the gate's checks). asyncio
runs, in each pass, every callback that was ready when the pass began: when a dozen listeners'
replies land together, the next pass runs a dozen gate checks back to back, and a reply that
arrives meanwhile waits the whole pass before its task can hand its LLM slot to the next
request. The slots are what the run's throughput is made of (calls/s = slots / time each is
held), so that wait was paid for by every call.

`await cpu_turn()` before a heavy step queues the task; one queued task is let go per pass. A
pass is then at most one heavy step plus the light ones (replies read, slots handed over, requests
sent), so a slot is handed on within about one heavy step of its reply. The CPU work is the same
and runs in the same order (first come, first served); only the replies stop queueing behind it.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

V = TypeVar("V")


def loop_local(
    registry: dict[Any, tuple[asyncio.AbstractEventLoop, Any]],
    make: Callable[[asyncio.AbstractEventLoop], V],
    *extra: Hashable,
) -> V:
    """`make(loop)` once per running event loop (and `extra` key parts), kept in `registry`.

    asyncio primitives belong to one loop, and a process may run several in turn (the sync
    paths run one per call), so each loop gets its own; entries of closed loops are dropped
    when a new one registers. The loop itself is kept beside its value, so a new loop that
    reuses a closed one's id() is never handed the old value."""
    loop = asyncio.get_running_loop()
    key = (id(loop), *extra)
    entry = registry.get(key)
    if entry is None or entry[0] is not loop:
        for k in [k for k, (lp, _) in registry.items() if lp.is_closed()]:
            del registry[k]
        entry = registry[key] = (loop, make(loop))
    return entry[1]


class _Turns:
    """The queue of one event loop's tasks waiting for their turn."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop
        self._waiting: deque[asyncio.Future[None]] = deque()
        self._scheduled = False

    def wait(self) -> asyncio.Future[None]:
        fut = self._loop.create_future()
        self._waiting.append(fut)
        if not self._scheduled:
            self._scheduled = True
            self._loop.call_soon(self._release_one)
        return fut

    def _release_one(self) -> None:
        waiting = self._waiting
        while waiting:
            fut = waiting.popleft()
            if not fut.done():  # a cancelled waiter gives its turn to the next
                fut.set_result(None)
                break
        if waiting:
            self._loop.call_soon(self._release_one)  # the next one, in the next pass
        else:
            self._scheduled = False


_TURNS: dict[Any, tuple[asyncio.AbstractEventLoop, _Turns]] = {}


async def cpu_turn() -> None:
    """Wait for this task's turn to run a CPU-heavy step on the running loop (see module doc)."""
    await loop_local(_TURNS, _Turns).wait()
