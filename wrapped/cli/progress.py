"""Rich progress for long work: listeners done/total, stories/s, ETA, pass rate, tokens, cost."""

from __future__ import annotations

import time

from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from wrapped.batch.run import Progress as RunProgress
from wrapped.story import Usage


class RichRunProgress(RunProgress):
    def __init__(self, console: Console, enabled: bool = True) -> None:
        self.console = console
        self.enabled = enabled
        self._progress: Progress | None = None
        self._task = None
        self._stories = 0
        self._passed = 0
        self._usage = Usage()
        self._t0 = time.monotonic()

    def stage(self, text: str) -> None:
        if self.enabled:
            self.console.print(f"[dim]•[/] {escape(text)}", highlight=False)

    def start(self, total: int, done: int) -> None:
        self._t0 = time.monotonic()
        if not self.enabled:
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
            rate="0.0 stories/s",
            pass_rate="-",
            tokens="0",
            cost="0.0000",
        )

    def advance(self, n: int, *, stories: int, passed: int, usage: Usage) -> None:
        self._stories += stories
        self._passed += passed
        self._usage = self._usage + usage
        if self._progress is None:
            return
        elapsed = max(1e-6, time.monotonic() - self._t0)
        self._progress.update(
            self._task,
            advance=n,
            rate=f"{self._stories / elapsed:.1f} stories/s",
            pass_rate=f"{self._passed / self._stories:.0%}" if self._stories else "-",
            tokens=f"{self._usage.prompt_tokens + self._usage.completion_tokens:,}",
            cost=f"{self._usage.cost_usd:.4f}",
        )

    def stop(self) -> None:
        if self._progress is not None:
            self._progress.stop()
            self._progress = None
