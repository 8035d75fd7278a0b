"""Preflight: every configuration mistake is one clear line before any work.

No key, an unknown backend, a cluster or an endpoint that is not there: found here in seconds,
not as a dead actor's traceback or minutes of retries ending in fallback stories.
"""

from __future__ import annotations

import asyncio
from typing import NamedTuple

from wrapped.settings import Settings
from wrapped.story import JudgeInfo


class Preflight(NamedTuple):
    writer_model: str
    judge: JudgeInfo


def preflight(settings: Settings) -> Preflight:
    """Build the backend and gate once, knock on the Ray cluster's and the LLM endpoints' doors,
    and say which writer model and which judge the run will use."""
    from wrapped.batch.cluster import check_ray_address
    from wrapped.batch.runtime import build_runtime
    from wrapped.gate.judge import describe_judge
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
    return Preflight(writer_model=runtime.backend.model, judge=describe_judge(settings))
