"""`wrapped generate`: ingest -> stats -> (Ray fan-out: prompts -> LLM -> gate) -> store.

The driver plans the run, streams micro-batches of listeners to async Ray workers with a bounded
number in flight (back-pressure), appends each finished listener to its shard's journal the
moment it returns, and seals a shard (atomic files) once all its listeners are in. Re-running the
same command resumes from the journals and sealed shards: a finished listener is neither
generated nor paid for again.
"""

from __future__ import annotations

import contextlib
import json
import logging
import math
import re
import signal
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

import wrapped
from wrapped.batch.cluster import cluster_info
from wrapped.batch.manifest import Counts, recount, summarize
from wrapped.batch.plan import (
    Plan,
    batches,
    check_inputs,
    check_selection,
    cut_shards,
    fingerprint_paths,
    make_run_id,
    select_users,
)
from wrapped.errors import BatchError, ConfigError, Terminated, WrappedError
from wrapped.jsonfast import loads
from wrapped.settings import Settings
from wrapped.store import (
    Journal,
    RunLayout,
    atomic_write_text,
    check_out_dir,
    read_jsonl,
    write_jsonl_atomic,
)
from wrapped.store.lock import run_lock
from wrapped.story import Usage

log = logging.getLogger(__name__)


class RunResult(BaseModel):
    model_config = ConfigDict(extra="forbid", arbitrary_types_allowed=True)

    run_id: str
    run_dir: Path
    manifest: dict[str, Any]
    resumed: bool
    failure_rate: float


class Progress:
    """What the driver reports as it goes; the CLI renders it as a rich progress bar."""

    def start(self, total: int, done: int) -> None: ...
    def advance(self, n: int, *, stories: int, passed: int, usage: Usage) -> None: ...
    def stage(self, text: str) -> None: ...
    def stop(self) -> None: ...


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
    _SIGTERM.clear()
    previous_handler = _stop_on_sigterm()
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
        if _SIGTERM.is_set():
            raise Terminated() from None  # out of Ray's code now: the CLI's own exit (143)
        raise
    finally:
        if previous_handler is not None:
            signal.signal(signal.SIGTERM, previous_handler)


#: set by the SIGTERM handler: Ray's C code re-raises what the handler raised as a plain
#: KeyboardInterrupt, so the kind of stop is kept here
_SIGTERM = threading.Event()


def stopped_by_sigterm() -> bool:
    """Whether the last run was stopped by SIGTERM (then Ray's processes may be gone too)."""
    return _SIGTERM.is_set()


def _stop_on_sigterm() -> Any:
    """SIGTERM takes the Ctrl-C path (in the main thread only, where signals are delivered):
    workers stopped, the manifest says why, one line. Python's default would end the process
    on the spot; once Ray is up, its own handler prints a crash report. The handler raises
    KeyboardInterrupt because the Ray code the driver waits in passes only that through
    cleanly (anything else became a SystemError). Returns the handler it replaced (None off
    the main thread)."""
    if threading.current_thread() is not threading.main_thread():
        return None

    def _raise(signum: int, frame: Any) -> None:
        _SIGTERM.set()
        raise KeyboardInterrupt

    return signal.signal(signal.SIGTERM, _raise)


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
    writer_model = _preflight(settings)
    check_out_dir(Path(out))

    from wrapped.prompts import load_version

    version = load_version(settings.prompt_version, settings)
    selection_key = _selection_key(users, sample, settings.seed)
    fingerprint = fingerprint_paths(paths)
    run_id = settings.run_id or make_run_id(
        settings, prompt_hash=version.hash, input_fingerprint=fingerprint, selection=selection_key
    )
    layout = RunLayout(Path(out) / run_id)
    # one writer per run: an overlapping second job would pay for every pending listener again
    hold.enter_context(run_lock(layout.root, doing="rerun the same command"))
    resumed = layout.plan.exists()

    if resumed:
        plan, base_counts = _read_plan(layout)
        progress.stage(f"resuming run {run_id}")
    else:
        progress.stage("reading listening history")
        t = time.monotonic()
        loaded = _load_inputs(paths, settings)
        timings["ingest_s"] = round(time.monotonic() - t, 3)
        progress.stage(f"computing stats for {loaded.events['user_id'].nunique():,} listeners")
        t = time.monotonic()
        plan, base_counts = _write_plan(
            layout,
            loaded,
            settings=settings,
            version=version,
            fingerprint=fingerprint,
            users=users,
            sample=sample,
            selection_key=selection_key,
            run_id=run_id,
            writer_model=writer_model,
        )
        timings["stats_s"] = round(time.monotonic() - t, 3)
        del loaded
        _release_memory()

    # A manifest from the start: a crashed or running run says what it is and how far it got.
    _write_manifest(layout, plan, settings, base_counts, timings, version)
    t = time.monotonic()
    try:
        _fan_out(layout, plan, settings, progress=progress)
    except (WrappedError, KeyboardInterrupt) as exc:
        # stopped (the endpoint is down, a wrong key, Ctrl-C, SIGTERM): the manifest says how
        # far it got, and why
        if isinstance(exc, WrappedError):
            why = exc.message
        else:
            why = "terminated (SIGTERM)" if _SIGTERM.is_set() else "interrupted (Ctrl-C)"
        timings["generate_s"] = round(time.monotonic() - t, 3)
        _write_manifest(
            layout, plan, settings, base_counts, timings, version, final=True, stopped=why
        )
        raise
    timings["generate_s"] = round(time.monotonic() - t, 3)
    timings["total_s"] = round(time.monotonic() - t0, 3)

    manifest = _write_manifest(layout, plan, settings, base_counts, timings, version, final=True)
    counts = Counts.model_validate(manifest["counts"])
    finished = counts.listeners_done + counts.listeners_failed
    failure_rate = counts.listeners_failed / finished if finished else 0.0
    return RunResult(
        run_id=run_id,
        run_dir=layout.root,
        manifest=manifest,
        resumed=resumed,
        failure_rate=failure_rate,
    )


def _read_plan(layout: RunLayout) -> tuple[Plan, dict[str, Any]]:
    """The plan a resume follows; a damaged one is one line that says what to do, not a
    pydantic traceback (the files are written atomically, so only a hand edit or a disk
    fault damages them)."""
    try:
        plan = Plan.model_validate_json(layout.plan.read_text(encoding="utf-8"))
        counts = json.loads(layout.root.joinpath("plan_counts.json").read_text(encoding="utf-8"))
    except ValidationError as exc:
        why = exc.errors()[0]["msg"]
    except (OSError, ValueError) as exc:
        why = getattr(exc, "strerror", None) or str(exc).splitlines()[0]
    else:
        return plan, counts
    raise BatchError(
        f"{layout.root} cannot be resumed, its plan is damaged ({why}); move the folder away "
        "to start the run again"
    )


def check_failure_rate(result: RunResult, settings: Settings) -> None:
    """Raise (one line) when more listeners failed than the configured rate allows, or when
    there was nobody to write for (a wrong --year or input is not a successful run)."""
    c = result.manifest["counts"]
    if c["selected"] == 0:
        raise BatchError(_nobody(result.run_dir, c))
    if result.failure_rate > settings.max_failure_rate:
        reasons = c.get("listener_failures_by_reason") or {}
        top = max(reasons, key=reasons.get) if reasons else "unknown"
        raise BatchError(
            f"{c['listeners_failed']} of {c['listeners_done'] + c['listeners_failed']} listeners failed "
            f"({result.failure_rate:.0%} > allowed {settings.max_failure_rate:.0%}); most common: {top}; "
            f"see {result.run_dir / 'failed'}"
        )


def _nobody(run_dir: Path, c: dict[str, Any]) -> str:
    """Why a run selected no listener, in one line: the commonest exact ineligibility reason."""
    if c["eligible"]:
        return (
            f"--sample selected none of the {c['eligible']} eligible listeners "
            "(its ids match no listener in the input)"
        )
    if not c["listeners_in"]:
        return "no listener in the input (see the ingest report and rejects)"
    reasons = Counter(r.get("reason", "unknown") for r in read_jsonl(run_dir / "ineligible.jsonl"))
    top, n = reasons.most_common(1)[0] if reasons else ("unknown", 0)
    return (
        f"no eligible listener: {c['ineligible']} of {c['listeners_in']} are ineligible, "
        f"{n} with '{top}'; see {run_dir / 'ineligible.jsonl'}"
    )


# --- planning -------------------------------------------------------------------------------


class _Loaded(BaseModel):
    model_config = ConfigDict(arbitrary_types_allowed=True)
    events: Any
    profiles: Any = None
    catalog: Any = None
    report: Any = None
    rejects: list[Any] = []


def _load_inputs(paths: list[Path], settings: Settings) -> _Loaded:
    """Ingest raw exports, or read an ingest output folder / canonical Parquet directly."""
    from wrapped.ingest import ingest, read_ingested

    if len(paths) == 1 and paths[0].is_dir() and (paths[0] / "events.parquet").exists():
        res = read_ingested(paths[0])
    else:
        res = ingest(paths, settings=settings)
    return _Loaded(
        events=res.events,
        profiles=res.profiles,
        catalog=res.catalog,
        report=res.report,
        rejects=list(res.rejects),
    )


def _write_plan(
    layout: RunLayout,
    loaded: _Loaded,
    *,
    settings: Settings,
    version: Any,
    fingerprint: str,
    users: int | None,
    sample: str | None,
    selection_key: str,
    run_id: str,
    writer_model: str,
) -> tuple[Plan, dict[str, Any]]:
    """Compute stats chunk by chunk, stage them on disk, then cut and write the shards.

    Only ids and file offsets stay in memory, so planning 100,000 listeners costs the stats
    stage's own memory and not 100,000 models on top of it.
    """
    from wrapped.stats import iter_user_years

    layout.root.mkdir(parents=True, exist_ok=True)
    # ingest evidence: the report and the rejects (reasons, never the private values)
    if loaded.report is not None:
        atomic_write_text(
            layout.ingest_dir / "ingest_report.json", loaded.report.model_dump_json(indent=2) + "\n"
        )
    write_jsonl_atomic(
        layout.ingest_dir / "rejects.jsonl",
        (
            r.model_dump(mode="json") if hasattr(r, "model_dump") else dict(r)
            for r in loaded.rejects
        ),
    )
    staging = layout.root / ".user_years.staging"
    offsets: dict[str, tuple[int, int]] = {}
    ineligible: list[tuple[str, str]] = []
    with staging.open("wb") as fh:
        for chunk in iter_user_years(
            loaded.events,
            profiles=loaded.profiles,
            catalog=loaded.catalog,
            settings=_fork_safe(settings),
        ):
            for uy in chunk:
                if not uy.eligible:
                    ineligible.append((uy.user_id, uy.ineligible_reason or "unknown"))
                    continue
                line = uy.model_dump_json().encode("utf-8") + b"\n"
                offsets[uy.user_id] = (fh.tell(), len(line))
                fh.write(line)
    write_jsonl_atomic(layout.ineligible, ({"user_id": u, "reason": r} for u, r in ineligible))
    chosen, _ = select_users(
        list(offsets),
        users=users,
        sample=sample,
        seed=settings.seed,
        salt=settings.salt.get_secret_value(),
    )
    shards = cut_shards(chosen, settings.shard_size)
    with staging.open("rb") as fh:
        for i, shard in enumerate(shards):
            lines = []
            for u in shard:
                off, n = offsets[u]
                fh.seek(off)
                lines.append(fh.read(n).decode("utf-8"))
            atomic_write_text(layout.shard_file("user_years", i), "".join(lines))
    staging.unlink()
    reasons = Counter(re.sub(r"[\d-]+", "N", r) for _, r in ineligible)  # group like reasons
    base_counts = {
        "listeners_in": len(offsets) + len(ineligible),
        "eligible": len(offsets),
        "ineligible": len(ineligible),
        "ineligible_by_reason": dict(reasons),
        "selected": len(chosen),
        "not_selected": len(offsets) - len(chosen),
    }
    atomic_write_text(
        layout.root / "plan_counts.json", json.dumps(base_counts, sort_keys=True) + "\n"
    )
    plan = Plan(
        run_id=run_id,
        prompt_version=settings.prompt_version,
        prompt_hash=version.hash,
        backend=settings.backend,
        model=writer_model,
        input_fingerprint=fingerprint,
        selection=selection_key,
        shard_size=settings.shard_size,
        shards=shards,
    )
    # plan.json last: its presence means "planned completely"
    atomic_write_text(layout.plan, plan.model_dump_json(indent=1) + "\n")
    return plan, base_counts


def _selection_key(users: int | None, sample: str | None, seed: int) -> str:
    if users is not None:
        return f"first:{users}"
    if sample is None:
        return "all"
    p = Path(sample)
    if p.is_file():
        return "file:" + fingerprint_paths([p])
    return f"sample:{sample}:{seed}"


# --- fan-out --------------------------------------------------------------------------------


def _fan_out(layout: RunLayout, plan: Plan, settings: Settings, *, progress: Progress) -> None:
    todo: list[tuple[int, list[str]]] = []  # (shard, user ids still to write)
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
            _seal(layout, i, plan.shards[i])
    progress.start(plan.eligible, done_before)
    if not todo:
        progress.stop()
        return

    import ray

    from wrapped.batch.cluster import ensure_ray, start_workers

    ensure_ray(settings)
    _stop_on_sigterm()  # again: starting Ray installed its own handler
    workers, budget = start_workers(settings, layout, plan.prompt_hash)
    journals: dict[int, Journal] = {}
    left = {i: len(rem) for i, rem in todo}
    # Back-pressure: enough listeners in flight to keep every LLM slot busy (twice the call
    # cap, since a story also spends time in the gate), and no more, so memory stays flat.
    window = max(2 * len(workers), math.ceil(2 * settings.concurrency / settings.batch_size))
    pending: dict[Any, tuple[int, int]] = {}  # ref -> (shard, worker)
    load = [0] * len(workers)  # batches in flight per worker
    submitted = 0
    stream = _batches_with_data(layout, todo, settings.batch_size)
    fatal: str | None = None  # a configuration error: every listener would fail alike
    halted: str | None = None  # the endpoint is down: stop, and let a rerun finish the rest
    try:
        while True:
            while len(pending) < window and fatal is None and halted is None:
                nxt = next(stream, None)
                if nxt is None:
                    break
                i, payload = nxt
                w = least_loaded(load, submitted)
                pending[workers[w].process.remote(payload)] = (i, w)
                load[w] += 1
                submitted += 1
            if not pending:
                break
            ready, _ = ray.wait(list(pending), num_returns=1)
            for ref in ready:
                i, w = pending.pop(ref)
                load[w] -= 1
                try:
                    records = ray.get(ref)
                except ray.exceptions.RayError as exc:
                    raise BatchError(f"a Ray worker failed: {_root_cause(exc)}") from None
                journal = journals.setdefault(i, Journal(layout.journal(i)))
                n_stories = n_passed = 0
                usage = Usage()
                good = []
                for rec in records:
                    if rec.status == "fatal":
                        fatal = fatal or rec.error
                        continue
                    if rec.status == "halted":
                        halted = halted or rec.error
                        continue
                    good.append(rec.line)
                    n_stories += rec.stories
                    n_passed += rec.passed
                    usage = usage + rec.usage
                journal.append_lines(good)
                left[i] -= len(good)
                progress.advance(
                    len(good),
                    stories=n_stories,
                    passed=n_passed,
                    usage=usage,
                )
                if left[i] == 0:
                    journal.close()
                    _seal(layout, i, plan.shards[i])
                    journals.pop(i, None)
            if (fatal is not None or halted is not None) and not pending:
                break
    finally:
        for j in journals.values():
            j.close()
        progress.stop()
        from wrapped.batch.cluster import stop_workers

        # On SIGTERM no goodbye to the workers: a stop sent to the whole process group (systemd,
        # `kill -TERM -PGID`) has ended Ray's own processes too, and a call to them would wait
        # out Ray's 60 s reconnect before the manifest is written. They go with the driver.
        if not _SIGTERM.is_set():
            stop_workers(workers, budget)
    if fatal is not None:
        raise ConfigError(fatal)
    if halted is not None:
        raise BatchError(
            f"the run stopped: {halted}. What was finished is stored; rerun the same command "
            "to resume once the endpoint answers"
        )


def _write_manifest(
    layout: RunLayout,
    plan: Plan,
    settings: Settings,
    base_counts: dict[str, Any],
    timings: dict[str, float],
    version: Any,
    *,
    final: bool = False,
    stopped: str | None = None,
) -> dict[str, Any]:
    counts, usage = recount(layout, plan.shards)
    counts = counts.model_copy(update=base_counts)
    manifest = _manifest(layout, plan, settings, counts, usage, timings, version, final=final)
    if stopped is not None:
        manifest["stopped"] = stopped
    atomic_write_text(layout.manifest, json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    return manifest


def _release_memory() -> None:
    """Hand the planning stage's freed memory back to the OS before the long fan-out, so the
    driver's footprint while writing stories does not carry the input's size along."""
    import ctypes
    import gc

    gc.collect()
    try:
        import pyarrow

        pyarrow.default_memory_pool().release_unused()
    except Exception:  # noqa: BLE001 - best effort
        pass
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass  # not glibc: nothing to trim


def _preflight(settings: Settings) -> str:
    """Build the backend and gate once here, and knock on the Ray cluster's and the LLM
    endpoints' doors, so a configuration mistake (no key, unknown backend, a cluster or an
    endpoint that is not there) is one clear line before any work, not a dead actor's
    traceback or minutes of retries ending in fallback stories."""
    import asyncio

    from wrapped.batch.cluster import check_ray_address
    from wrapped.batch.runtime import build_runtime
    from wrapped.llm.probe import check_endpoint

    check_ray_address(settings)
    runtime = build_runtime(settings)
    asyncio.run(runtime.aclose())
    writer_url = getattr(getattr(runtime.backend, "client", None), "base_url", None)
    if writer_url:
        check_endpoint(writer_url, role="LLM endpoint", option="--base-url or OPENAI_BASE_URL")
    judge_url = runtime.gate.judge_base_url
    if judge_url and judge_url != writer_url:
        check_endpoint(judge_url, role="judge endpoint", option="--judge-base-url")
    return runtime.backend.model


def _root_cause(exc: BaseException) -> str:
    """The last 'SomeError: message' line of a Ray error (its own text is a whole traceback)."""
    lines = [
        ln.strip() for ln in str(exc).splitlines() if re.match(r"\s*[\w.]+(Error|Exception): ", ln)
    ]
    return lines[-1] if lines else type(exc).__name__


def _fork_safe(settings: Settings) -> Settings:
    """Stats helpers are forked; once Ray runs in this process (a second run in the same
    process: tests, benchmarks, notebooks) its threads make fork unsafe, so plan in one."""
    ray = sys.modules.get("ray")
    if settings.stats_workers > 1 and ray is not None and ray.is_initialized():
        return settings.model_copy(update={"stats_workers": 1})
    return settings


def least_loaded(load: list[int], turn: int) -> int:
    """The worker with the fewest batches in flight; ties go round-robin from `turn`.

    The freed worker gets the next batch, so a slower worker (a busy node of a cluster, one
    waiting out a 429) is not handed work at the pace of the fastest one."""
    n = len(load)
    return min(((turn + k) % n for k in range(n)), key=load.__getitem__)


def _user_years(layout: RunLayout, shard: int, wanted: set[str]) -> dict[str, str]:
    """The staged UserYear JSON lines of `wanted` listeners in one shard, by user id."""
    out = {}
    path = layout.shard_file("user_years", shard)
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            uid = staged_user_id(line)
            if uid in wanted:
                out[uid] = line.strip()
    return out


_ID_PREFIX = '{"user_id":"'


def staged_user_id(line: str) -> str:
    """The user id of one staged year, read without decoding the ~20 KB year behind it.

    `model_dump_json` writes UserYear's first field first, so the line starts with the id; a
    JSON string ends at its first quote unless a backslash escapes one, so an id without a
    backslash is exactly the text up to that quote. Anything else is decoded in full."""
    if line.startswith(_ID_PREFIX):
        end = line.find('"', len(_ID_PREFIX))
        uid = line[len(_ID_PREFIX) : end]
        if end > 0 and "\\" not in uid:
            return uid
    return loads(line)["user_id"]


def _batches_with_data(
    layout: RunLayout, todo: list[tuple[int, list[str]]], size: int
) -> Iterator[tuple[int, list[str]]]:
    """(shard, the UserYear JSON of up to `size` listeners) in plan order.

    Each shard's staging file is read once, when its first batch is due, and dropped after its
    last: one shard's listeners in memory at a time, not one re-read per batch."""
    for i, remaining in todo:
        data = _user_years(layout, i, set(remaining))
        for batch in batches(remaining, size):
            yield i, [data.pop(u) for u in batch]
        del data


def _seal(layout: RunLayout, shard: int, users: list[str]) -> None:
    """Write a finished shard's files atomically; the stories file last (the done-marker)."""
    records = Journal(layout.journal(shard)).done()
    ordered = [records[u] for u in users if u in records]
    stories, review, failed, verdicts = [], [], [], []
    for rec in ordered:
        verdicts.extend(rec.get("verdicts", []))
        if rec["status"] != "done":
            failed.append(
                {"kind": "listener", "user_id": rec["user_id"], "error": rec.get("error")}
            )
            continue
        for s in rec.get("stories", []):
            (review if s["decision"] == "needs_review" else stories).append(s)
        for v in rec.get("verdicts", []):
            if v["decision"] == "failed":
                failed.append(
                    {
                        "kind": "story",
                        "user_id": rec["user_id"],
                        "day": v["day"],
                        "reasons": v.get("reasons", []),
                    }
                )
    write_jsonl_atomic(layout.shard_file("verdicts", shard), verdicts)
    write_jsonl_atomic(layout.shard_file("needs_review", shard), review)
    write_jsonl_atomic(layout.shard_file("failed", shard), failed)
    write_jsonl_atomic(layout.shard_file("listeners", shard), (summarize(r) for r in ordered))
    write_jsonl_atomic(layout.shard_file("stories", shard), stories)
    layout.journal(shard).unlink(missing_ok=True)


def _manifest(
    layout: RunLayout,
    plan: Plan,
    settings: Settings,
    counts: Counts,
    usage: Usage,
    timings: dict[str, float],
    version: Any,
    *,
    final: bool,
) -> dict[str, Any]:
    """The manifest; written once when an invocation starts ("running") and once at its end."""
    previous = {}
    if layout.manifest.exists():
        try:
            previous = json.loads(layout.manifest.read_text(encoding="utf-8"))
        except ValueError:
            previous = {}  # damaged by hand: the counts are recounted anyway, from the shards
    runs = previous.get("invocations", 0) + (0 if final else 1)
    if not final:
        status = "running"
    else:
        status = "complete" if counts.listeners_pending == 0 else "incomplete"
    return {
        "run_id": plan.run_id,
        "status": status,
        "invocations": runs,
        "code_version": wrapped.__version__,
        "prompt": {"version": plan.prompt_version, "hash": plan.prompt_hash},
        "backend": plan.backend,
        "model": plan.model,
        "input_fingerprint": plan.input_fingerprint,
        "selection": plan.selection,
        "shards": len(plan.shards),
        "settings": settings.public_dump(),
        "counts": counts.model_dump(),
        "counts_add_up": not counts.problems(),
        "count_problems": counts.problems(),
        "usage": usage.model_dump(),
        "timings": {**previous.get("timings", {}), **timings},
        "ingest_report": _read_json(layout.ingest_dir / "ingest_report.json"),
        # after a SIGTERM Ray may be gone, and asking it would wait out its 60 s reconnect
        "ray": (None if _SIGTERM.is_set() else cluster_info()) or previous.get("ray"),
    }


def _read_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


def load_stories(run_dir: Path) -> list[dict[str, Any]]:
    """Every stored story of a run (sealed shards), in shard order."""
    out: list[dict[str, Any]] = []
    for p in sorted((run_dir / "stories").glob("shard-*.jsonl")):
        out.extend(read_jsonl(p))
    return out
