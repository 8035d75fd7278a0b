"""Where a story's CPU goes on the worker side: the batch worker's path, in one process, timed
by part with the thread's CPU clock (not sampled wall time).

`bench_generate.py` gives the CPU per story of each process; this splits the Ray worker's
share. The listeners go through what `StoryWorker` runs (`write_listener` with the runtime a
worker builds, against the scripted server in its own process, writer + judge), without Ray.
Each part is wrapped for the run: a plain function by its own CPU time, a coroutine by the CPU
time of its steps between awaits, so the client's SDK call is counted without the 100 ms it
waits. Parts nest (the judge's client call is inside `gate.score`); the tree is printed as is.

py-spy on a loaded 2-core machine counts a thread that is runnable but waiting for a core (or
inside a loopback send that wakes the server) as busy; these figures are CPU only. The whole
run's CPU per story still moves by +-10% from one run to the next with the machine's load:
compare two versions by alternating them in one session, not by one run each.

    python benchmarks/prof_worker.py                 # 200 listeners
    python benchmarks/prof_worker.py --listeners 400
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import gc
import os
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Generator
from pathlib import Path
from typing import Any

os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")

from wrapped.settings import Settings, deepeval_offline_env  # noqa: E402

os.environ.update(deepeval_offline_env())  # before the judge imports deepeval

CPU: Counter[str] = Counter()
CALLS: Counter[str] = Counter()


def timed(owner: Any, name: str, label: str) -> None:
    """Replace `owner.name` (a function) by one that adds its thread CPU time to `label`."""
    f = getattr(owner, name)

    @functools.wraps(f)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        t = time.thread_time()
        try:
            return f(*args, **kwargs)
        finally:
            CPU[label] += time.thread_time() - t
            CALLS[label] += 1

    setattr(owner, name, wrapper)


class _Steps:
    """Awaits a coroutine, adding the CPU time of each of its steps (not its waits)."""

    def __init__(self, coro: Any, label: str) -> None:
        self.coro, self.label = coro, label

    def __await__(self) -> Generator[Any, Any, Any]:
        it = self.coro.__await__()
        value: Any = None
        error: BaseException | None = None
        while True:
            t = time.thread_time()
            try:
                step = it.send(value) if error is None else it.throw(error)
            except StopIteration as done:
                CALLS[self.label] += 1
                return done.value
            finally:
                CPU[self.label] += time.thread_time() - t
            try:
                value, error = (yield step), None
            except BaseException as exc:  # noqa: BLE001 - handed on to the coroutine
                value, error = None, exc


def timed_async(owner: Any, name: str, label: str) -> None:
    f: Callable[..., Any] = getattr(owner, name)

    @functools.wraps(f)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        return _Steps(f(*args, **kwargs), label)

    setattr(owner, name, wrapper)


def instrument() -> None:
    import openai

    import wrapped.gate.judge as judge
    import wrapped.gate.policy as policy
    import wrapped.generate.story as story
    import wrapped.llm.client as client
    import wrapped.llm.openai_backend as writer
    from wrapped.llm.cache import ResponseCache

    render = sys.modules["wrapped.prompts.render"]
    timed_async(policy.Gate, "score", "gate.score (deterministic + judge)")
    timed(policy, "deterministic", "  gate: deterministic checks")
    timed_async(judge.Judge, "_panel", "  gate: judge (its prompt, deepeval, its LLM call)")
    timed(judge, "render_judge", "    judge prompt (render_judge)")
    timed_async(writer.OpenAIBackend, "write", "writer call (OpenAIBackend.write)")
    timed(story, "_prompt", "writer prompt + data block (story._prompt)")
    timed(story, "build_data_block", "  data block")
    timed(render, "render_template", "  templates (writer)")
    timed_async(client.ChatClient, "complete", "ChatClient.complete, writer + judge")
    timed_async(openai.AsyncOpenAI, "post", "  openai SDK post (httpx2 + aiohttp)")
    timed(ResponseCache, "get", "  response cache get")
    timed(ResponseCache, "put", "  response cache put")
    timed(client, "request_body", "  request body (orjson)")
    timed(client, "reply_of", "  reply read")


#: the parts as printed: a tree, each part's own lines under it
ORDER = (
    "listener's year parsed",
    "writer prompt + data block (story._prompt)",
    "  data block",
    "  templates (writer)",
    "writer call (OpenAIBackend.write)",
    "gate.score (deterministic + judge)",
    "  gate: deterministic checks",
    "  gate: judge (its prompt, deepeval, its LLM call)",
    "    judge prompt (render_judge)",
    "ChatClient.complete, writer + judge",
    "  openai SDK post (httpx2 + aiohttp)",
    "  request body (orjson)",
    "  response cache get",
    "  response cache put",
    "  reply read",
    "journal line (finished)",
)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--listeners", type=int, default=200)
    ap.add_argument("--concurrency", type=int, default=16, help="one worker's share of 32")
    args = ap.parse_args()

    from wrapped.batch.staging import batches_with_data, load_inputs, write_plan
    from wrapped.demo import generate_canonical
    from wrapped.store import Plan, RunLayout
    from wrapped.testing import Script, ScriptedServer

    tmp = Path(tempfile.mkdtemp())
    data = generate_canonical(args.listeners * 150, args.listeners, year=2024, seed=1)
    (tmp / "in").mkdir()
    for part in ("events", "profiles", "catalog"):
        getattr(data, part).to_parquet(tmp / "in" / f"{part}.parquet")
    with ScriptedServer(Script(latency_ms=100.0, seed=1), mode="process") as srv:
        settings = Settings(
            backend="scripted", base_url=srv.base_url, model="scripted",
            judge_model="scripted-judge", concurrency=args.concurrency,
            cache_path=tmp / "cache.sqlite", max_days=5, judge=True,
        )  # fmt: skip
        layout = RunLayout(tmp / "run")
        plan = Plan(
            run_id="prof", prompt_version=settings.prompt_version, prompt_hash="",
            backend="scripted", model="scripted", input_fingerprint="-", selection="-",
            shard_size=settings.shard_size, shards=[],
        )  # fmt: skip
        plan, _ = write_plan(
            layout, load_inputs([tmp / "in"], settings), plan, settings=settings, users=None,
            sample=None,
        )  # fmt: skip
        todo = [(i, list(s)) for i, s in enumerate(plan.shards)]
        years = [j for _, batch in batches_with_data(layout, todo, 4) for j in batch]
        server_pid = srv._proc.pid  # type: ignore[union-attr]
        run(settings, layout, years, server_pid)


def run(settings: Settings, layout: Any, years: list[str], server_pid: int) -> None:
    import psutil

    from wrapped.batch.runtime import build_runtime
    from wrapped.generate import write_listener
    from wrapped.prompts.render import pin_prompts
    from wrapped.safety.lexicon import lexicon
    from wrapped.stats.model import UserYear
    from wrapped.turns import cpu_turn

    pin_prompts(settings)
    runtime = build_runtime(settings, run_dir=str(layout.root))
    lexicon()
    gc.collect()
    gc.freeze()  # as the worker does
    gc.set_threshold(20_000, 20, 100)
    slots = asyncio.Semaphore(2 * settings.concurrency)

    async def one(year_json: str) -> Any:
        async with slots:
            await cpu_turn()
            t = time.thread_time()
            year = UserYear.model_validate_json(year_json)
            CPU["listener's year parsed"] += time.thread_time() - t
            result = await write_listener(
                year, gate=runtime.gate, backend=runtime.backend, settings=settings
            )
            await cpu_turn()
            t = time.thread_time()
            done = result.finished()
            CPU["journal line (finished)"] += time.thread_time() - t
            return done

    async def all_of(batch: list[str]) -> list[Any]:
        return list(await asyncio.gather(*(one(j) for j in batch)))

    asyncio.run(all_of(years[:8]))  # warm-up: first connections, caches, lazy imports
    instrument()
    CPU.clear()
    server = psutil.Process(server_pid)
    s0, c0 = sum(server.cpu_times()[:2]), time.thread_time()
    done = asyncio.run(all_of(years[8:]))
    cpu, server_cpu = time.thread_time() - c0, sum(server.cpu_times()[:2]) - s0
    stories = sum(d.stories for d in done)
    calls = CALLS["ChatClient.complete, writer + judge"]
    print(
        f"{len(done)} listeners, {stories} stories, {calls} LLM calls: worker path "
        f"{1000 * cpu / stories:.2f} CPU ms/story (this thread); the scripted server "
        f"{1000 * server_cpu / max(1, calls):.2f} CPU ms/call | load {os.getloadavg()[0]:.1f}"
    )
    for label in ORDER:
        if label in CPU:
            print(f"  {1000 * CPU[label] / stories:6.3f} ms/story  {label}")
    named = sum(
        CPU[k]
        for k in (
            "gate.score (deterministic + judge)",
            "writer call (OpenAIBackend.write)",
            "writer prompt + data block (story._prompt)",
            "listener's year parsed",
            "journal line (finished)",
        )
    )
    print(
        f"  {1000 * (cpu - named) / stories:6.3f} ms/story  the rest: the event loop, aiohttp's "
        "body writes and reads, the judge's deepeval glue, write_story's bookkeeping"
    )


if __name__ == "__main__":
    main()
