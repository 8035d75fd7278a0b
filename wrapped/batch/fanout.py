"""The fan-out: micro-batches of listeners to async Ray workers, results into the journals.

A bounded number of batches is in flight (back-pressure), each finished listener is appended
to its shard's journal the moment its batch returns, and a shard is sealed once all its
listeners are in. A configuration error ("fatal") or an outage of the endpoint ("halted") stops
the submissions; what is in flight is still journaled, and the run then raises.
"""

from __future__ import annotations

import math
import re
import time
from typing import Any

from wrapped.batch.live import LiveCounts, total
from wrapped.batch.seal import seal
from wrapped.batch.signals import stop_on_sigterm, stopped_by_sigterm
from wrapped.batch.staging import batches_with_data
from wrapped.errors import BatchError, ConfigError
from wrapped.settings import Settings
from wrapped.store import Journal, Plan, RunLayout
from wrapped.story import Usage

#: how often the driver asks the workers for their live counts (when the progress wants them)
POLL_S = 1.0


class Progress:
    """What the driver reports as it goes; the CLI renders it as a bar or as plain lines."""

    #: whether `alive` is wanted: the driver then wakes up every fraction of POLL_S to ask the
    #: workers for their live counts (a silent log with a slow model, otherwise)
    live: bool = False

    def start(self, total: int, done: int) -> None: ...
    def advance(self, n: int, *, stories: int, passed: int, usage: Usage) -> None: ...
    def alive(self, counts: LiveCounts) -> None: ...
    def stage(self, text: str) -> None: ...
    def stop(self) -> None: ...


def fan_out(layout: RunLayout, plan: Plan, settings: Settings, *, progress: Progress) -> None:
    """Write every listener of `plan` not yet finished; seal each shard as it completes."""
    todo, done_before = _todo(layout, plan)
    progress.start(plan.eligible, done_before)
    if not todo:
        progress.stop()
        return

    from wrapped.batch.cluster import ensure_ray, start_workers, stop_workers

    ensure_ray(settings)
    stop_on_sigterm()  # again: starting Ray installed its own handler
    workers, budget = start_workers(settings, layout, plan.prompt_hash)
    run = _FanOut(layout, plan, settings, workers, progress, todo)
    try:
        run.loop()
    finally:
        run.close()
        progress.stop()
        # On SIGTERM no goodbye to the workers: a stop sent to the whole process group (systemd,
        # `kill -TERM -PGID`) has ended Ray's own processes too, and a call to them would wait
        # out Ray's 60 s reconnect before the manifest is written. They go with the driver.
        if not stopped_by_sigterm():
            stop_workers(workers, budget)
    run.raise_if_stopped()


def _todo(layout: RunLayout, plan: Plan) -> tuple[list[tuple[int, list[str]]], int]:
    """(shard, user ids still to write) for every unsealed shard, and how many are done.
    A shard whose listeners are all journaled (a crash before sealing) is sealed here."""
    todo: list[tuple[int, list[str]]] = []
    done_before = 0
    for i, shard in enumerate(plan.shards):
        if layout.shard_done(i):
            done_before += len(shard)
            continue
        finished = Journal(layout.journal(i)).done()
        done_before += len(finished)
        remaining = [u for u in shard if u not in finished]
        if remaining:
            todo.append((i, remaining))
        else:
            seal(layout, i, plan.shards[i])
    return todo, done_before


class _FanOut:
    """One invocation's fan-out state: batches in flight, journals open, why it stopped."""

    def __init__(
        self,
        layout: RunLayout,
        plan: Plan,
        settings: Settings,
        workers: list[Any],
        progress: Progress,
        todo: list[tuple[int, list[str]]],
    ) -> None:
        self.layout, self.plan, self.workers, self.progress = layout, plan, workers, progress
        self.journals: dict[int, Journal] = {}
        self.left = {i: len(rem) for i, rem in todo}
        # Back-pressure: enough listeners in flight to keep every LLM slot busy (twice the call
        # cap, since a story also spends time in the gate), and no more, so memory stays flat.
        self.window = max(
            2 * len(workers), math.ceil(2 * settings.concurrency / settings.batch_size)
        )
        self.pending: dict[Any, tuple[int, int]] = {}  # ref -> (shard, worker)
        self.load = [0] * len(workers)  # batches in flight per worker
        self.submitted = 0
        self.stream = batches_with_data(layout, todo, settings.batch_size)
        self.fatal: str | None = None  # a configuration error: every listener would fail alike
        self.halted: str | None = None  # the endpoint is down: stop, a rerun finishes the rest
        self.pulse = _Pulse(workers) if progress.live else None

    def loop(self) -> None:
        import ray

        timeout = POLL_S / 4 if self.pulse is not None else None
        while True:
            self._submit()
            if not self.pending:
                break
            ready, _ = ray.wait(list(self.pending), num_returns=1, timeout=timeout)
            for ref in ready:
                self._collect(ref)
            if self.pulse is not None:
                self.progress.alive(self.pulse.counts())
            if (self.fatal is not None or self.halted is not None) and not self.pending:
                break

    def _submit(self) -> None:
        while len(self.pending) < self.window and self.fatal is None and self.halted is None:
            nxt = next(self.stream, None)
            if nxt is None:
                return
            i, payload = nxt
            w = least_loaded(self.load, self.submitted)
            self.pending[self.workers[w].process.remote(payload)] = (i, w)
            self.load[w] += 1
            self.submitted += 1

    def _collect(self, ref: Any) -> None:
        """Journal one returned batch; seal its shard if that was the shard's last listener."""
        import ray

        i, w = self.pending.pop(ref)
        self.load[w] -= 1
        try:
            records = ray.get(ref)
        except ray.exceptions.RayError as exc:
            raise BatchError(f"a Ray worker failed: {root_cause(exc)}") from None
        journal = self.journals.setdefault(i, Journal(self.layout.journal(i)))
        n_stories = n_passed = 0
        usage = Usage()
        good = []
        for rec in records:
            if rec.status == "fatal":
                self.fatal = self.fatal or rec.error
                continue
            if rec.status == "halted":
                self.halted = self.halted or rec.error
                continue
            good.append(rec.line)
            n_stories += rec.stories
            n_passed += rec.passed
            usage = usage + rec.usage
        journal.append_lines(good)
        self.left[i] -= len(good)
        self.progress.advance(len(good), stories=n_stories, passed=n_passed, usage=usage)
        if self.left[i] == 0:
            journal.close()
            seal(self.layout, i, self.plan.shards[i])
            self.journals.pop(i, None)

    def close(self) -> None:
        for j in self.journals.values():
            j.close()

    def raise_if_stopped(self) -> None:
        if self.fatal is not None:
            raise ConfigError(self.fatal)
        if self.halted is not None:
            raise BatchError(
                f"the run stopped: {self.halted}. What was finished is stored; rerun the same "
                "command to resume once the endpoint answers"
            )


class _Pulse:
    """Asks the workers for their live counts every POLL_S, never waiting on the answer: a
    worker still starting (a local model loading) or busy answers later, and the last
    counts stand until then."""

    def __init__(self, workers: list[Any]) -> None:
        self._workers = workers
        self._asked: list[Any] = []
        self._next = 0.0
        self._counts = LiveCounts()

    def counts(self) -> LiveCounts:
        import ray

        if self._asked:
            ready, _ = ray.wait(self._asked, num_returns=len(self._asked), timeout=0)
            if len(ready) == len(self._asked):
                self._counts = total(ray.get(self._asked))
                self._asked = []
        now = time.monotonic()
        if not self._asked and now >= self._next:
            self._asked = [w.live_counts.remote() for w in self._workers]
            self._next = now + POLL_S
        return self._counts


def least_loaded(load: list[int], turn: int) -> int:
    """The worker with the fewest batches in flight; ties go round-robin from `turn`.

    The freed worker gets the next batch, so a slower worker (a busy node of a cluster, one
    waiting out a 429) is not handed work at the pace of the fastest one."""
    n = len(load)
    return min(((turn + k) % n for k in range(n)), key=load.__getitem__)


def root_cause(exc: BaseException) -> str:
    """The last 'SomeError: message' line of a Ray error (its own text is a whole traceback)."""
    lines = [
        ln.strip() for ln in str(exc).splitlines() if re.match(r"\s*[\w.]+(Error|Exception): ", ln)
    ]
    return lines[-1] if lines else type(exc).__name__
