"""What a worker needs to write stories: the backend and the gate, built once per process."""

from __future__ import annotations

from typing import Any, NamedTuple

from wrapped.gate import Gate
from wrapped.llm.backend import Backend
from wrapped.settings import Settings


class Runtime(NamedTuple):
    backend: Backend
    gate: Gate

    async def aclose(self) -> None:
        await self.backend.aclose()
        await self.gate.aclose()


def build_runtime(settings: Settings, *, budget: Any = None, run_dir: str | None = None) -> Runtime:
    """Backend + gate; with a budget actor, every endpoint's limiter in this process is shared."""
    from wrapped.generate import build_gate, make_backend

    if budget is not None:
        _install_shared_budget(settings, budget)
    backend = make_backend(settings)
    return Runtime(backend=backend, gate=build_gate(settings, backend, run_dir=run_dir))


def _install_shared_budget(settings: Settings, budget: Any) -> None:
    from wrapped.batch.budget import LeasedLimiter
    from wrapped.llm.limiter import register_limiter

    proxy = LeasedLimiter(budget, settings.rpm, settings.tpm)
    for url in {settings.base_url, settings.judge_base_url or settings.base_url}:
        if url:
            register_limiter(url, proxy)
