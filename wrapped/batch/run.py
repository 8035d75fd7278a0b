"""`wrapped generate`: ingest -> stats -> (Ray fan-out: prompts -> LLM -> gate) -> store.

The driver checks the configuration (`preflight`), plans the run (`plan`, `staging`), streams
micro-batches of listeners to async Ray workers (`fanout`), seals each shard as it completes
(`seal`) and writes the manifest when it starts and when it ends (`manifest`). Re-running the
same command resumes from the journals and sealed shards: a finished listener is neither
generated nor paid for again.
"""

from __future__ import annotations

import contextlib
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from wrapped.batch.fanout import Progress, fan_out
from wrapped.batch.manifest import RunFacts, write_manifest
from wrapped.batch.plan import (
    check_inputs,
    check_selection,
    fingerprint_paths,
    make_run_id,
    selection_key,
)
from wrapped.batch.preflight import preflight
from wrapped.batch.signals import (
    forget_sigterm,
    restore_sigterm,
    stop_on_sigterm,
    stopped_by_sigterm,
)
from wrapped.batch.staging import load_inputs, read_plan, release_memory, write_plan
from wrapped.errors import BatchError, Terminated, WrappedError
from wrapped.settings import Settings
from wrapped.store import (
    Counts,
    Plan,
    PlanCounts,
    RunLayout,
    RunManifest,
    RunStore,
    check_out_dir,
)
from wrapped.store.lock import run_lock

__all__ = ["Progress", "RunResult", "check_failure_rate", "run_generate", "stopped_by_sigterm"]


class RunResult(BaseModel):
    """What `run_generate` returns: the run's folder and the manifest it wrote last."""

    model_config = ConfigDict(extra="forbid")

    run_id: str
    run_dir: Path
    manifest: RunManifest
    resumed: bool

    @property
    def failure_rate(self) -> float:
        return self.manifest.counts.failure_rate


def run_generate(
    inputs: Sequence[Path | str],
    *,
    out: Path,
    settings: Settings,
    users: int | None = None,
    sample: str | None = None,
    progress: Progress | None = None,
) -> RunResult:
    """Run (or resume) the batch job; returns what the manifest says."""
    progress = progress or Progress()
    forget_sigterm()
    previous_handler = stop_on_sigterm()
    try:
        with contextlib.ExitStack() as hold:  # holds the run's lock until the end
            return _run_generate(
                inputs,
                out=out,
                settings=settings,
                users=users,
                sample=sample,
                progress=progress,
                hold=hold,
            )
    except KeyboardInterrupt:
        if stopped_by_sigterm():
            raise Terminated() from None  # out of Ray's code now: the CLI's own exit (143)
        raise
    finally:
        restore_sigterm(previous_handler)


def _run_generate(
    inputs: Sequence[Path | str],
    *,
    out: Path,
    settings: Settings,
    users: int | None,
    sample: str | None,
    progress: Progress,
    hold: contextlib.ExitStack,
) -> RunResult:
    t0 = time.monotonic()
    timings: dict[str, float] = {}
    paths = check_inputs([Path(p) for p in inputs])
    check_selection(users, sample)
    checked = preflight(settings)
    check_out_dir(Path(out))

    from wrapped.prompts import load_version

    version = load_version(settings.prompt_version, settings)
    selection = selection_key(users, sample, settings.seed)
    fingerprint = fingerprint_paths(paths)
    run_id = settings.run_id or make_run_id(
        settings, prompt_hash=version.hash, input_fingerprint=fingerprint, selection=selection
    )
    layout = RunLayout(Path(out) / run_id)
    # one writer per run: an overlapping second job would pay for every pending listener again
    hold.enter_context(run_lock(layout.root, doing="rerun the same command"))
    resumed = layout.plan.exists()

    if resumed:
        plan, base = read_plan(layout)
        progress.stage(f"resuming run {run_id}")
    else:
        unsharded = Plan(
            run_id=run_id,
            prompt_version=settings.prompt_version,
            prompt_hash=version.hash,
            backend=settings.backend,
            model=checked.writer_model,
            input_fingerprint=fingerprint,
            selection=selection,
            shard_size=settings.shard_size,
            shards=[],
        )
        plan, base = _plan_new(layout, paths, unsharded, settings, users, sample, progress, timings)

    store = RunStore(layout.root)
    facts = RunFacts(plan=plan, base=base, settings=settings, judge=checked.judge)
    # A manifest from the start: a crashed or running run says what it is and how far it got.
    write_manifest(store, facts, timings)
    t = time.monotonic()
    try:
        fan_out(layout, plan, settings, progress=progress)
    except (WrappedError, KeyboardInterrupt) as exc:
        # stopped (the endpoint is down, a wrong key, Ctrl-C, SIGTERM): the manifest says how
        # far it got, and why
        if isinstance(exc, WrappedError):
            why = exc.message
        else:
            why = "terminated (SIGTERM)" if stopped_by_sigterm() else "interrupted (Ctrl-C)"
        timings["generate_s"] = round(time.monotonic() - t, 3)
        write_manifest(store, facts, timings, final=True, stopped=why)
        raise
    timings["generate_s"] = round(time.monotonic() - t, 3)
    timings["total_s"] = round(time.monotonic() - t0, 3)
    manifest = write_manifest(store, facts, timings, final=True)
    return RunResult(run_id=run_id, run_dir=layout.root, manifest=manifest, resumed=resumed)


def _plan_new(
    layout: RunLayout,
    paths: list[Path],
    unsharded: Plan,
    settings: Settings,
    users: int | None,
    sample: str | None,
    progress: Progress,
    timings: dict[str, float],
) -> tuple[Plan, PlanCounts]:
    """Ingest, stats and shards for a new run; the planning memory is handed back after."""
    progress.stage("reading listening history")
    t = time.monotonic()
    loaded = load_inputs(paths, settings)
    timings["ingest_s"] = round(time.monotonic() - t, 3)
    progress.stage(f"computing stats for {loaded.events['user_id'].nunique():,} listeners")
    t = time.monotonic()
    planned = write_plan(layout, loaded, unsharded, settings=settings, users=users, sample=sample)
    timings["stats_s"] = round(time.monotonic() - t, 3)
    del loaded
    release_memory()
    return planned


def check_failure_rate(result: RunResult, settings: Settings) -> None:
    """Raise (one line) when more listeners failed than the configured rate allows, or when
    there was nobody to write for (a wrong --year or input is not a successful run)."""
    c = result.manifest.counts
    if c.selected == 0:
        raise BatchError(_nobody(RunStore(result.run_dir), c))
    if result.failure_rate > settings.max_failure_rate:
        reasons = c.listener_failures_by_reason
        top = max(reasons, key=reasons.__getitem__) if reasons else "unknown"
        raise BatchError(
            f"{c.listeners_failed} of {c.listeners_done + c.listeners_failed} listeners failed "
            f"({result.failure_rate:.0%} > allowed {settings.max_failure_rate:.0%}); most common: {top}; "
            f"see {result.run_dir / 'failed'}"
        )


def _nobody(store: RunStore, c: Counts) -> str:
    """Why a run selected no listener, in one line: the commonest exact ineligibility reason."""
    if c.eligible:
        return (
            f"--sample selected none of the {c.eligible} eligible listeners "
            "(its ids match no listener in the input)"
        )
    if not c.listeners_in:
        return "no listener in the input (see the ingest report and rejects)"
    reasons = Counter(r.reason for r in store.ineligible())
    top, n = reasons.most_common(1)[0] if reasons else ("unknown", 0)
    return (
        f"no eligible listener: {c.ineligible} of {c.listeners_in} are ineligible, "
        f"{n} with '{top}'; see {store.layout.ineligible}"
    )
