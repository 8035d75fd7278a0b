"""The scripted server plays several writer models: `sloppy` slips on about 30% of its stories
(an invented artist and an unsafe aside, together), `bland` tells every listener one story."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

from _llm_helpers import llm_settings
from _prompt_helpers import gb_listener, request_for

from wrapped.llm import OpenAIBackend
from wrapped.prompts import render, safe_year
from wrapped.story import StoryRequest, WriteJob
from wrapped.testing import Script, ScriptedServer
from wrapped.testing.defects import KNOWN_ARTISTS, UNSAFE_SENTENCES


def _stories(base_url: str, tmp_path, model: str, requests: list[StoryRequest]) -> list[str]:
    settings = llm_settings(base_url, tmp_path, model=model, cache=False)

    async def go() -> list[str]:
        backend = OpenAIBackend(settings)
        try:
            out = []
            for req in requests:
                job = WriteJob(
                    req, render(req, settings=settings), safe_year(req.user_year).user_year
                )
                out.append((await backend.write(job)).draft.story)
            return out
        finally:
            await backend.aclose()

    # a thread of its own: a session's Playwright keeps an event loop running on this one
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, go()).result()


def test_sloppy_slips_on_about_a_third_and_bland_says_one_thing(tmp_path):
    uy = gb_listener()
    requests = [
        request_for(uy, i).model_copy(update={"seed": s}) for s in range(12) for i in range(3)
    ]
    with ScriptedServer(Script()) as srv:
        clean = _stories(srv.base_url, tmp_path, "scripted", requests)
        sloppy = _stories(srv.base_url, tmp_path, "sloppy", requests)
        bland = _stories(srv.base_url, tmp_path, "bland", requests[:6])
        log = srv.requests()

    def slipped(text: str) -> bool:
        return any(a in text for a in KNOWN_ARTISTS) and any(u in text for u in UNSAFE_SENTENCES)

    assert not any(slipped(s) for s in clean)
    share = sum(slipped(s) for s in sloppy) / len(sloppy)
    assert 0.1 <= share <= 0.55, share  # ~30%, seeded per request
    assert all(slipped(s) or s in clean for s in sloppy)  # the rest is the clean story
    assert len(set(bland)) == 1 and len(set(clean)) > 1
    assert {r.model for r in log} == {"scripted", "sloppy", "bland"}
