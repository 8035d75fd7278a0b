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


_TURNS: dict[int, tuple[asyncio.AbstractEventLoop, _Turns]] = {}


async def cpu_turn() -> None:
    """Wait for this task's turn to run a CPU-heavy step on the running loop (see module doc)."""
    loop = asyncio.get_running_loop()
    entry = _TURNS.get(id(loop))
    if entry is None or entry[0] is not loop:
        for key in [k for k, (lp, _) in _TURNS.items() if lp.is_closed()]:
            del _TURNS[key]
        entry = _TURNS[id(loop)] = (loop, _Turns(loop))
    await entry[1].wait()
