"""The writer a run uses and the gate that checks it, built once per process.

`make_backend(settings)` picks the writer `settings.backend` names; `build_gate(settings,
backend)` builds the gate whose judge follows `wrapped.gate.judge.judge_target` — with the local
model, the judge shares the writer's model server (only the writer can start it).
"""

from __future__ import annotations

from pathlib import Path

from wrapped.errors import ConfigError
from wrapped.gate import Gate
from wrapped.gate.judge import JudgeTarget, judge_target
from wrapped.llm.backend import Backend
from wrapped.llm.local import LocalBackend, make_local_backend
from wrapped.llm.openai_backend import OpenAIBackend
from wrapped.settings import Settings
from wrapped.writer import EmbeddedBackend


def make_backend(settings: Settings) -> Backend:
    """The writer `settings.backend` names.

    embedded -> the deterministic writer (no key, no network); openai -> any OpenAI-compatible
    endpoint; scripted -> the same client against a running `wrapped fake-llm` (needs
    base_url); local -> a llama.cpp server on 127.0.0.1 started by `wrapped.llm.local`.
    """
    kind = settings.backend
    if kind == "embedded":
        return EmbeddedBackend(settings)
    if kind == "openai":
        return OpenAIBackend(settings)
    if kind == "scripted":
        if not settings.base_url:
            raise ConfigError(
                "--backend scripted needs --base-url (or WRAPPED_BASE_URL) of a running "
                "`wrapped fake-llm`, e.g. http://127.0.0.1:8089/v1"
            )
        return OpenAIBackend(settings, name="scripted")
    if kind == "local":
        return make_local_backend(settings)
    raise ConfigError(f"unknown backend {kind!r}")


def build_gate(settings: Settings, backend: Backend, *, run_dir: Path | str | None = None) -> Gate:
    """The gate for `backend`'s drafts (its judge on the local model's server when it runs
    there; every other judge builds its own client)."""
    target = judge_target(settings)
    client = None
    if isinstance(target, JudgeTarget) and target.local:
        if not isinstance(backend, LocalBackend):
            raise ConfigError("the local judge needs the local writer (--backend local)")
        client = backend.shared_client()
    return Gate(settings, client, run_dir=run_dir)
