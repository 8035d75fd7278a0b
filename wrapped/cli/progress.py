"""Rich progress for long work: listeners done/total, stories/s, ETA, pass rate, tokens, cost."""

from __future__ import annotations

import time

from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from wrapped.batch.fanout import Progress as RunProgress
from wrapped.batch.live import LiveCounts
from wrapped.story import Usage


class RichRunProgress(RunProgress):
    """A live bar on a terminal. Elsewhere (a log file, a CI or cluster job) rich would draw
    the bar once, at the end, so a plain line is printed every `every_s` seconds instead: a
    run of hours shows in its log that it is alive, and how far it got.

    Both count stories and LLM calls as the workers finish them (`alive`), not only whole
    listeners: with a slow model a listener takes minutes, and the log said "listeners 0/3"
    and nothing else for all of them."""

    def __init__(self, console: Console, enabled: bool = True, every_s: float = 30.0) -> None:
        self.console = console
        self.enabled = enabled
        self.live = enabled
        self._live = LiveCounts()
        self._plain = enabled and not console.is_terminal
        self._every = every_s
        self._last = 0.0
        self._total = self._done = self._done_before = 0
        self._progress: Progress | None = None
        self._task: TaskID | None = None
        self._stories = 0
        self._passed = 0
        self._usage = Usage()
        self._t0 = time.monotonic()

    def stage(self, text: str) -> None:
        if self.enabled:
            self.console.print(f"[dim]•[/] {escape(text)}", highlight=False)

    def start(self, total: int, done: int) -> None:
        self._t0 = self._last = time.monotonic()
        self._total, self._done, self._done_before = total, done, done
        if not self.enabled:
            return
        if self._plain:
            self._line()
            return
        self._progress = Progress(
            TextColumn("[bold]listeners"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[rate]}"),
            TextColumn("pass {task.fields[pass_rate]}"),
            TextColumn("{task.fields[tokens]} tok"),
            TextColumn("${task.fields[cost]}"),
            TimeElapsedColumn(),
            TextColumn("ETA"),
            TimeRemainingColumn(),
            console=self.console,
            transient=False,
        )
        self._progress.start()
        self._task = self._progress.add_task(
            "generate",
            total=total,
            completed=done,
            rate="0.0 stories/s, 0.0 calls/s",
            pass_rate="-",
            tokens="0",
            cost="0.0000",
        )

    def advance(self, n: int, *, stories: int, passed: int, usage: Usage) -> None:
        self._stories += stories
        self._passed += passed
        self._usage = self._usage + usage
        self._done += n
        self._show(n)

    def alive(self, counts: LiveCounts) -> None:
        self._live = counts
        self._show(0)

    def _show(self, advance: int) -> None:
        if self._plain:
            if time.monotonic() - self._last >= self._every:
                self._line()
            return
        if self._progress is None or self._task is None:
            return
        f = self._figures()
        elapsed = max(1e-6, time.monotonic() - self._t0)
        self._progress.update(
            self._task,
            advance=advance,
            rate=f"{f.stories / elapsed:.1f} stories/s, {f.calls / elapsed:.1f} calls/s",
            pass_rate=f"{self._passed / self._stories:.0%}" if self._stories else "-",
            tokens=f"{f.tokens:,}",
            cost=f"{f.cost_usd:.4f}",
        )

    def _figures(self) -> LiveCounts:
        """Stories, calls, tokens and cost so far: the workers' live counts, or the finished
        listeners' sums where those are ahead (a poll answers up to a second late)."""
        u, live = self._usage, self._live
        return LiveCounts(
            stories=max(live.stories, self._stories),
            calls=max(live.calls, u.calls),
            tokens=max(live.tokens, u.prompt_tokens + u.completion_tokens),
            cost_usd=max(live.cost_usd, u.cost_usd),
        )

    def _line(self) -> None:
        """listeners done/total (%), stories and LLM calls (and their rates), pass rate,
        tokens, cost, elapsed, ETA."""
        self._last = now = time.monotonic()
        elapsed = now - self._t0
        total, done = self._total, self._done
        pct = f" ({done / total:.0%})" if total else ""
        f = self._figures()
        per_s = 1 / elapsed if elapsed > 0 else 0.0
        new = done - self._done_before
        eta = "-"
        if new and total > done:
            eta = _clock((total - done) * elapsed / new)
        passed = f"{self._passed / self._stories:.0%}" if self._stories else "-"
        self.console.print(
            f"listeners {done:,}/{total:,}{pct} | {f.stories:,} stories ({f.stories * per_s:.1f}/s) | "
            f"{f.calls:,} LLM calls ({f.calls * per_s:.1f}/s) | pass {passed} | "
            f"{f.tokens:,} tok | ${f.cost_usd:.4f} | elapsed {_clock(elapsed)} | ETA {eta}",
            markup=False,
            highlight=False,
            soft_wrap=True,
        )

    def stop(self) -> None:
        if self._plain and self._total:
            self._line()
            self._total = 0  # once
        if self._progress is not None:
            self._progress.stop()
            self._progress = None


def _clock(seconds: float) -> str:
    s = int(seconds)
    return f"{s // 3600}:{s // 60 % 60:02d}:{s % 60:02d}"
