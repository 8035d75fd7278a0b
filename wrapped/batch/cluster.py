"""Ray: start (or join) the cluster quietly and start the story workers.

Local Ray by default (dashboard off, usage stats off, logs quiet); `--ray-address` or
`RAY_ADDRESS` joins an existing cluster, where the same job runs unchanged.
"""

from __future__ import annotations

import logging
import math
import os
import sys
from pathlib import Path
from typing import Any

from wrapped.errors import ConfigError
from wrapped.llm.probe import knock
from wrapped.settings import Settings
from wrapped.store.layout import RunLayout

#: whether this process joined an existing cluster (else it started its own)
_JOINED = False


def _unreachable(address: str, why: str, *, joined: bool = False) -> ConfigError:
    hint = (
        "if the cluster asks for a token, give this machine the head's `ray get-auth-token` "
        "as RAY_AUTH_TOKEN"
        if joined
        else "start it there with `ray start --head`"
    )
    return ConfigError(
        f"cannot reach the Ray cluster at '{address}' (--ray-address or RAY_ADDRESS): {why}; "
        f"{hint}, or leave the address out to run on this machine"
    )


def _first_line(exc: BaseException) -> str:
    """Ray's connection errors as a clause of our one-line message."""
    return str(exc).splitlines()[0].rstrip(".") if str(exc) else type(exc).__name__


def _send_token_if_any() -> None:
    """Ray (2.59 on) guards a cluster that `ray start` launched with a token, kept in
    ~/.ray/auth_token (or RAY_AUTH_TOKEN / RAY_AUTH_TOKEN_PATH). A driver that joins by
    address sends it only when RAY_AUTH_MODE=token; without it the join retries for ~20 s and
    fails. A token sent to a cluster without authentication is ignored (tried on Ray 2.60),
    so it goes whenever one is at hand, unless RAY_AUTH_MODE says otherwise. Ray reads the
    mode when it is imported: this must run first (`check_ray_address` does)."""
    if "RAY_AUTH_MODE" in os.environ:
        return
    if (
        os.environ.get("RAY_AUTH_TOKEN")
        or os.environ.get("RAY_AUTH_TOKEN_PATH")
        or (Path.home() / ".ray" / "auth_token").is_file()
    ):
        os.environ["RAY_AUTH_MODE"] = "token"


def check_ray_address(settings: Settings) -> None:
    """Refuse an unreachable cluster address in seconds, before any work.

    Given a wrong address, `ray.init` keeps retrying the cluster's control store for minutes,
    printing Ray's own C++ warnings, and only then fails (or not at all). One TCP connect to
    the same host and port says the same thing at once ("auto": the address it stands for).
    "local" asks for a Ray of our own."""
    address = settings.ray_address
    if not address or address == "local":
        return
    _send_token_if_any()  # before anything imports ray, which reads RAY_AUTH_MODE once
    target = _resolve_auto() if address == "auto" else address
    if target is None:
        return
    host, sep, port = target.removeprefix("ray://").rpartition(":")
    if not sep or not port.isdigit() or not host:
        raise ConfigError(
            f"Ray address '{address}' (--ray-address or RAY_ADDRESS) is not HOST:PORT, "
            "ray://HOST:PORT or auto"
        )
    why = knock(host, int(port))
    if why is not None:
        if target != address:
            why = f"it names {target}, which answers: {why}"
        raise _unreachable(address, why)


def _resolve_auto() -> str | None:
    """The cluster "auto" means: the last one `ray start` recorded on this machine, else the
    one control store running here. Ray connects to a recorded cluster that has since stopped
    for minutes before it gives up, so the recorded address is probed like a given one.
    Ray's own resolver is private API: if it moves, "auto" is left to `ray.init`."""
    try:
        from ray._private.services import canonicalize_bootstrap_address_or_die
    except ImportError:
        return None
    try:
        return str(canonicalize_bootstrap_address_or_die("auto"))
    except ConnectionError as exc:  # no cluster recorded or running here
        raise _unreachable("auto", _first_line(exc)) from None
    except Exception:  # noqa: BLE001 - a changed private API: ray.init decides
        return None


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
        try:
            ray.init(address=settings.ray_address, **common)
        except (ConnectionError, TimeoutError, ValueError) as exc:  # e.g. "auto", none running
            joined = settings.ray_address != "auto"  # "auto" found no cluster to join at all
            raise _unreachable(settings.ray_address, _first_line(exc), joined=joined) from None
        global _JOINED
        _JOINED = True
    else:
        # "local": a new instance of our own, even when `ray start` left one running on this
        # machine (which ray.init() would otherwise join, refusing our num_cpus)
        ray.init(
            address="local",
            num_cpus=os.cpu_count() or 1,
            object_store_memory=512 * 2**20,
            **common,
        )


def cluster_info() -> dict[str, Any] | None:
    """Where this invocation's listeners were written: the cluster's address, its nodes and
    CPUs (None when Ray did not start: nothing was left to write)."""
    ray = sys.modules.get("ray")
    if ray is None or not ray.is_initialized():
        return None
    alive = [n for n in ray.nodes() if n.get("Alive")]
    return {
        "address": ray.get_runtime_context().gcs_address,
        "joined": _JOINED,
        "nodes": len(alive),
        "cpus": int(ray.cluster_resources().get("CPU", 0)),
    }


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
    budget = None
    if settings.rpm or settings.tpm:
        budget = BudgetActor.remote(settings.rpm, settings.tpm)  # type: ignore[attr-defined]
    per_worker = max(1, math.ceil(settings.concurrency / n))
    # Fractional CPUs: workers wait on the network most of the time, so more than one per core
    # may be asked for; they must never block each other from being scheduled.
    cpu_each = min(1.0, cpus / n)
    workers = [
        StoryWorker.options(  # type: ignore[attr-defined]
            num_cpus=cpu_each, max_concurrency=max(16, per_worker * 4)
        ).remote(
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
