"""Shared fixtures. Tests never reach the network: the LLM is the project's scripted
OpenAI-compatible server on 127.0.0.1, reached through the real openai SDK, and the session's
network guard (`_netguard`) refuses anything beyond loopback in the pytest process.
Tests of a real endpoint opt in with WRAPPED_REAL_ENDPOINT=1, which leaves the guard off."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from _browser import chromium  # noqa: F401  (a headless Chromium per test module)
from _netguard import arm, disarm

from wrapped.settings import deepeval_offline_env

# Before anything imports deepeval or ray: offline, quiet, no prompts on a TTY.
os.environ.update(deepeval_offline_env())
os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
for var in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "RAY_ADDRESS"):
    os.environ.pop(var, None)  # a developer's real key or cluster must never leak into tests

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "data" / "sample"
REALDATA = REPO.parent / "shared" / "realdata"


#: The test files that take longest (`--durations` of the whole suite, 2026-12-07: test_batch
#: ~35% of it), started first. Two xdist workers take one file at a time; a long file started
#: last would keep one worker busy long after the other ran out of work. Only the order of the
#: files changes (each file's tests keep theirs); a file missing from the list runs after these.
LONGEST_FIRST = (
    "test_batch.py",
    "test_monitor_stories.py",
    "test_lint.py",
    "test_eval.py",
    "test_batch_cluster.py",
    "test_generate.py",
    "test_monitor_false_alarms.py",
    "test_stats_props.py",
    "test_hostile_inputs.py",
    "test_readme.py",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    rank = {name: i for i, name in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))  # stable within a file


@pytest.fixture(scope="session", autouse=True)
def network_guard() -> Iterator[None]:
    """No test reaches beyond loopback (subprocesses and Ray workers are outside the guard:
    they are other processes; see tests/_netguard.py)."""
    if os.environ.get("WRAPPED_REAL_ENDPOINT") == "1":
        yield  # the opt-in real-endpoint tests need the network
        return
    arm()
    try:
        yield
    finally:
        disarm()


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
