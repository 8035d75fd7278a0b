"""The run's manifest, as the batch job writes it: once when an invocation starts ("running"),
and once at its end ("complete" or "incomplete", and why it stopped).

The counts are recounted from the store's files (`wrapped.store.counts.recount`), so the
manifest describes exactly what a reader of the run folder will find.
"""

from __future__ import annotations

from typing import NamedTuple

import wrapped
from wrapped.batch.cluster import cluster_info
from wrapped.batch.signals import stopped_by_sigterm
from wrapped.errors import InputError
from wrapped.settings import Settings
from wrapped.store import SCHEMA_VERSION, Plan, PlanCounts, RunManifest, RunStore
from wrapped.store.counts import recount
from wrapped.store.model import PromptRef, RayInfo, RunStatus
from wrapped.story import JudgeInfo


class RunFacts(NamedTuple):
    """What an invocation knows before its fan-out and keeps in every manifest it writes."""

    plan: Plan
    base: PlanCounts
    settings: Settings
    judge: JudgeInfo


def write_manifest(
    store: RunStore,
    facts: RunFacts,
    timings: dict[str, float],
    *,
    final: bool = False,
    stopped: str | None = None,
) -> RunManifest:
    """Recount, write and return the manifest. The invocation count, earlier timings and the
    Ray cluster of earlier invocations carry over; a damaged earlier manifest is rebuilt."""
    counts, usage = recount(store.layout, facts.plan.shards)
    counts = counts.model_copy(update=facts.base.model_dump())
    previous = _previous(store)
    status: RunStatus = "running"
    if final:
        status = "complete" if counts.listeners_pending == 0 else "incomplete"
    # after a SIGTERM Ray may be gone, and asking it would wait out its 60 s reconnect
    ray = None if stopped_by_sigterm() else cluster_info()
    plan = facts.plan
    manifest = RunManifest(
        schema_version=SCHEMA_VERSION,
        run_id=plan.run_id,
        status=status,
        invocations=(previous.invocations if previous else 0) + (0 if final else 1),
        code_version=wrapped.__version__,
        prompt=PromptRef(version=plan.prompt_version, hash=plan.prompt_hash),
        backend=plan.backend,
        model=plan.model,
        judge=facts.judge,
        input_fingerprint=plan.input_fingerprint,
        selection=plan.selection,
        shards=len(plan.shards),
        settings=facts.settings.public_dump(),
        counts=counts,
        counts_add_up=not counts.problems(),
        count_problems=counts.problems(),
        usage=usage,
        timings={**(previous.timings if previous else {}), **timings},
        ingest_report=store.ingest_report(),
        ray=RayInfo.model_validate(ray) if ray else (previous.ray if previous else None),
        stopped=stopped,
        erased_listeners=previous.erased_listeners if previous else 0,
    )
    store.write_manifest(manifest)
    return manifest


def _previous(store: RunStore) -> RunManifest | None:
    """The manifest an earlier invocation wrote, if there is one this release can read (one
    damaged by hand is rebuilt: the counts are recounted from the shards anyway)."""
    if not store.has_manifest:
        return None
    try:
        return store.manifest()
    except InputError:
        return None
