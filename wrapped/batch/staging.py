"""Planning with data: ingest, stats staged on disk chunk by chunk, shards cut from the staging.

Only ids and file offsets stay in memory, so planning 100,000 listeners costs the stats stage's
own memory and not 100,000 models on top of it. The fan-out later reads each shard's staged
years once, when its first batch is due.
"""

from __future__ import annotations

import os
import re
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict

from wrapped.batch.plan import batches, cut_shards, select_users
from wrapped.errors import BatchError, InputError
from wrapped.jsonfast import loads
from wrapped.settings import Settings
from wrapped.store import (
    Plan,
    PlanCounts,
    RunLayout,
    RunStore,
    atomic_write_text,
    write_jsonl_atomic,
)


class Loaded(BaseModel):
    """What ingest hands to planning."""

    model_config = ConfigDict(arbitrary_types_allowed=True)
    events: Any
    profiles: Any = None
    catalog: Any = None
    report: Any = None
    rejects: Any = None  # ingest's RejectTable (columnar; pandas/arrow stay out of the workers)


def load_inputs(paths: list[Path], settings: Settings) -> Loaded:
    """Ingest raw exports, or read an ingest output folder / canonical Parquet directly."""
    from wrapped.ingest import ingest, read_ingested

    if len(paths) == 1 and paths[0].is_dir() and (paths[0] / "events.parquet").exists():
        res = read_ingested(paths[0])
    else:
        sources: list[Path | str] = [*paths]
        res = ingest(sources, settings=settings)
    return Loaded(
        events=res.events,
        profiles=res.profiles,
        catalog=res.catalog,
        report=res.report,
        rejects=res.rejects,
    )


def read_plan(layout: RunLayout) -> tuple[Plan, PlanCounts]:
    """The plan a resume follows; a damaged one is one line that says what to do, not a
    pydantic traceback (the files are written atomically, so only a hand edit or a disk
    fault damages them)."""
    store = RunStore(layout.root)
    try:
        return store.plan(), store.plan_counts()
    except InputError as exc:
        why = exc.reason
    raise BatchError(
        f"{layout.root} cannot be resumed, its plan is damaged ({why}); move the folder away "
        "to start the run again"
    )


def write_plan(
    layout: RunLayout,
    loaded: Loaded,
    plan: Plan,
    *,
    settings: Settings,
    users: int | None,
    sample: str | None,
) -> tuple[Plan, PlanCounts]:
    """Compute stats, stage the selected listeners' years per shard, and write the plan.

    `plan` comes without shards; the returned one has them. plan.json is written last: its
    presence means "planned completely"."""
    layout.root.mkdir(parents=True, exist_ok=True)
    _write_ingest_evidence(layout, loaded)
    staging = layout.root / ".user_years.staging"
    offsets, ineligible = _stage_years(loaded, settings, staging)
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
    base = PlanCounts(
        listeners_in=len(offsets) + len(ineligible),
        eligible=len(offsets),
        ineligible=len(ineligible),
        # like reasons grouped: "only 3 plays between ..." and "only 4 plays ..." are one
        ineligible_by_reason=dict(Counter(re.sub(r"[\d-]+", "N", r) for _, r in ineligible)),
        selected=len(chosen),
        not_selected=len(offsets) - len(chosen),
    )
    store = RunStore(layout.root)
    store.write_plan_counts(base)
    plan = plan.model_copy(update={"shards": shards})
    store.write_plan(plan)
    return plan, base


def _write_ingest_evidence(layout: RunLayout, loaded: Loaded) -> None:
    """The ingest report and the rejects (reasons, never the private values)."""
    if loaded.report is not None:
        atomic_write_text(
            layout.ingest_dir / "ingest_report.json", loaded.report.model_dump_json(indent=2) + "\n"
        )
    # streamed from ingest's columnar table: ten million rejects never become Python objects
    path = layout.ingest_dir / "rejects.jsonl"
    tmp = path.with_name(f".{path.name}.tmp")
    with tmp.open("wb") as fh:
        if loaded.rejects is not None:
            loaded.rejects.write_jsonl(fh)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def _stage_years(
    loaded: Loaded, settings: Settings, staging: Path
) -> tuple[dict[str, tuple[int, int]], list[tuple[str, str]]]:
    """Every eligible listener's UserYear as one JSON line of `staging`; returns
    (user id -> (offset, length)) and the ineligible listeners with their reasons."""
    from wrapped.stats import iter_user_years

    offsets: dict[str, tuple[int, int]] = {}
    ineligible: list[tuple[str, str]] = []
    with staging.open("wb") as fh:
        for chunk in iter_user_years(
            loaded.events,
            profiles=loaded.profiles,
            catalog=loaded.catalog,
            settings=fork_safe(settings),
        ):
            for uy in chunk:
                if not uy.eligible:
                    ineligible.append((uy.user_id, uy.ineligible_reason or "unknown"))
                    continue
                line = uy.model_dump_json().encode("utf-8") + b"\n"
                offsets[uy.user_id] = (fh.tell(), len(line))
                fh.write(line)
    return offsets, ineligible


def fork_safe(settings: Settings) -> Settings:
    """Stats helpers are forked; once Ray runs in this process (a second run in the same
    process: tests, benchmarks, notebooks) its threads make fork unsafe, so plan in one."""
    ray = sys.modules.get("ray")
    if settings.stats_workers > 1 and ray is not None and ray.is_initialized():
        return settings.model_copy(update={"stats_workers": 1})
    return settings


def release_memory() -> None:
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
    user_id: str = loads(line)["user_id"]
    return user_id


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


def batches_with_data(
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
