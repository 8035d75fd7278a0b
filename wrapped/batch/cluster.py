"""Ray: start (or join) the cluster quietly and start the story workers.

Local Ray by default (dashboard off, usage stats off, logs quiet); `--ray-address` or
`RAY_ADDRESS` joins an existing cluster, where the same job runs unchanged.
"""

from __future__ import annotations

import logging
import math
import os
from typing import Any

from wrapped.settings import Settings
from wrapped.store.layout import RunLayout


def ensure_ray(settings: Settings) -> None:
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
    os.environ.setdefault("RAY_DEDUP_LOGS", "0")
    import ray

    if ray.is_initialized():
        return
    logging.getLogger("ray").setLevel(logging.ERROR)
    common: dict[str, Any] = {
        "include_dashboard": False,
        "log_to_driver": False,
        "logging_level": logging.ERROR,
        "configure_logging": True,
    }
    if settings.ray_address:
        ray.init(address=settings.ray_address, **common)
    else:
        ray.init(
            num_cpus=os.cpu_count() or 1,
            object_store_memory=512 * 2**20,
            **common,
        )


def start_workers(
    settings: Settings, layout: RunLayout, prompt_hash: str | None = None
) -> tuple[list[Any], Any]:
    """One async worker per CPU (or settings.workers), sharing one RPM/TPM budget actor; each
    pins the prompt version to `prompt_hash`, the one the run was planned with."""
    import ray

    from wrapped.batch.budget import BudgetActor
    from wrapped.batch.worker import StoryWorker

    cpus = int(ray.cluster_resources().get("CPU", 1)) or 1
    n = settings.workers or cpus
    budget = (
        BudgetActor.remote(settings.rpm, settings.tpm) if (settings.rpm or settings.tpm) else None
    )
    per_worker = max(1, math.ceil(settings.concurrency / n))
    # Fractional CPUs: workers wait on the network most of the time, so more than one per core
    # may be asked for; they must never block each other from being scheduled.
    cpu_each = min(1.0, cpus / n)
    workers = [
        StoryWorker.options(num_cpus=cpu_each, max_concurrency=max(16, per_worker * 4)).remote(
            settings.model_copy(update={"concurrency": per_worker}),
            str(layout.root),
            2 * per_worker,  # listeners in progress: the client caps the calls themselves
            budget,
            prompt_hash,
        )
        for _ in range(n)
    ]
    return workers, budget


def stop_workers(workers: list[Any], budget: Any) -> None:
    import ray

    for w in workers:
        try:
            ray.get(w.close.remote(), timeout=10)
        except Exception:  # noqa: BLE001 - best effort on the way out
            pass
        ray.kill(w)
    if budget is not None:
        ray.kill(budget)
