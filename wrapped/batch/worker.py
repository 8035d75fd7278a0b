"""The Ray actor that writes stories: async, so one worker keeps many LLM calls in flight.

Each worker builds its own backend and gate once (clients, connection pools, the response cache)
and hands each listener to the generate stage (`wrapped.generate.write_listener`);
and takes micro-batches of listeners from the driver. The driver bounds how many batches are in
flight, which is the back-pressure that keeps memory flat however many listeners there are.
"""

from __future__ import annotations

import asyncio
from typing import Any

import ray

from wrapped.batch.live import LiveCounter, LiveCounts
from wrapped.heap import settle_long_running
from wrapped.settings import Settings
from wrapped.turns import cpu_turn


@ray.remote(num_cpus=1)
class StoryWorker:
    def __init__(
        self,
        settings: Settings,
        run_dir: str,
        concurrency: int,
        budget: Any = None,
        prompt_hash: str | None = None,
    ) -> None:
        # (deepeval's offline environment, its folder under run_dir: the judge sets it up)
        from wrapped.batch.runtime import build_runtime
        from wrapped.prompts.render import pin_prompts

        self._settings = settings
        self._live = LiveCounter()  # stories finished, for the driver's progress line
        # the prompt the run was planned with, for the worker's whole life (see pin_version)
        pin_prompts(settings, expect_hash=prompt_hash)
        self._runtime = build_runtime(settings, budget=budget, run_dir=run_dir)
        # Listeners in progress: twice the LLM-call cap (`concurrency`, enforced per request
        # by the client). A listener spends part of its time in the gate and the prompt
        # renderer, not on the wire; with only as many listeners as call slots, those slots
        # would sit idle for that time.
        self._sem = asyncio.Semaphore(2 * max(1, concurrency))
        # Everything alive now (modules, the runtime, the lexicon) lives as long as the actor:
        # out of the collector's sight, a full GC pass walks only listeners in flight, not the
        # ~160k import-time objects (about 0.4 ms of CPU per story in prof_worker).
        from wrapped.safety.lexicon import lexicon

        lexicon()  # built now, so it is frozen with the rest
        # Collection passes, measured over 1,687 stories: at the default threshold (700),
        # 905 young + 83 middle + 8 full passes took 11% of the worker's CPU; spaced out
        # (`wrapped.heap`), 16 young passes took 3% (~50 ms each, a pause the LLM calls in
        # flight do not notice).
        settle_long_running()

    async def process(self, user_year_jsons: list[str]) -> list[Any]:
        """`Finished` per listener, in the order given."""
        return list(await asyncio.gather(*(self._one(j) for j in user_year_jsons)))

    async def _one(self, user_year_json: str) -> Any:
        from wrapped.generate import write_listener
        from wrapped.stats.model import UserYear

        async with self._sem:
            # parsing the year and serializing the result are CPU-only steps like the gate's:
            # they take turns too (see wrapped.turns)
            await cpu_turn()
            uy = UserYear.model_validate_json(user_year_json)
            result = await write_listener(
                uy,
                gate=self._runtime.gate,
                backend=self._runtime.backend,
                settings=self._settings,
                on_story=self._live.on_story,
            )
            await cpu_turn()
            return result.finished()

    async def live_counts(self) -> LiveCounts:
        """Stories finished so far (and their calls, tokens, cost): the driver asks every
        second or so, so a slow model still shows the job is alive."""
        return self._live.snapshot()

    async def close(self) -> None:
        await self._runtime.aclose()
