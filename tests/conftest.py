"""Shared fixtures. Tests never reach the network: the LLM is the project's scripted
OpenAI-compatible server on 127.0.0.1, reached through the real openai SDK."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# Before anything imports deepeval or ray: offline, quiet, no prompts on a TTY.
os.environ.setdefault("DEEPEVAL_TELEMETRY_OPT_OUT", "1")
os.environ.setdefault("DEEPEVAL_NO_INSPECT_PROMPT", "1")
os.environ.setdefault("DEEPEVAL_DISABLE_DOTENV", "1")
os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
for var in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "RAY_ADDRESS"):
    os.environ.pop(var, None)  # a developer's real key or cluster must never leak into tests

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "data" / "sample"
REALDATA = REPO.parent / "shared" / "realdata"


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO


@pytest.fixture(scope="session")
def sample_dir() -> Path:
    if not SAMPLE.exists():
        pytest.fail(f"bundled sample missing: {SAMPLE}")
    return SAMPLE


@pytest.fixture(scope="session")
def realdata_dir() -> Path:
    if not REALDATA.exists():
        pytest.skip("../shared/realdata is not beside this checkout")
    return REALDATA


@pytest.fixture(scope="session")
def ray_session():
    """One local Ray for the whole test session (start-up costs ~2.5 s)."""
    import ray

    from wrapped.batch.cluster import ensure_ray
    from wrapped.settings import Settings

    ensure_ray(Settings())
    yield ray
    ray.shutdown()
